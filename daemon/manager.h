/* manager: ties the services (service.h), their table (registry.h) and
 * their jobs (jobs.h) together and to the event loop. A step only records
 * that a state changed; one ev_prepare watcher runs the reactions after
 * it, in a fixed order: the service's own bookkeeping, then jobs, then
 * the daemon's on_change (clients, container, boot, shutdown). */
#ifndef SVD_MANAGER_H
#define SVD_MANAGER_H

#include <ev.h>
#include <stdbool.h>
#include <sys/resource.h>

#include "jobs.h"
#include "logs.h"
#include "notify.h"
#include "registry.h"
#include "service.h"
#include "spawn.h"

/* Called after the state of a service changed (from the event loop,
 * after the step: read its current state), and with service NULL when
 * jobs moved on without one. */
typedef void manager_change_fn(void *ctx, struct service *service);
/* Called before a service is freed (daemon-reload dropped its unit, or
 * an instance went unused). */
typedef void manager_forget_fn(void *ctx, struct service *service);
/* Called at each change of a service's state, inside the step that made
 * it (svctl monitor): it may only record or queue, never step. */
typedef void manager_transition_fn(void *ctx, struct service *service,
				   enum svc_state old);

struct manager_config {
	const char *const *unit_dirs;
	size_t n_unit_dirs;
	const char *state_dir;	/* enable/disable marks live here */
	const char *fstab;	/* for RequiresMountsFor= (madeup.h), or NULL */
	const struct spec_host *host;	/* for %H, %m, %u, ... (host.h) */
	/* svd.conf's DefaultTimeoutStartSec=/...StopSec=; 0: built in */
	uint64_t default_timeout_start_usec, default_timeout_stop_usec;
	const char *notify_socket; /* NOTIFY_SOCKET for services, or NULL */
	char *const *svd_environ;  /* what PassEnvironment= takes from */
	char *const *directory_roots; /* UNIT_DIR_COUNT: /run, /var/lib, ... */
	const struct logs_config *logs;
	/* svd.conf's SandboxFallback=, read at each start (a reload may
	 * change it) */
	const enum settings_sandbox_fallback *sandbox_fallback;
	rlim_t nofile_soft;	   /* svd's soft RLIMIT_NOFILE at start, or 0 */
	struct cgroup_root *cgroups; /* svd's cgroup2 tree, or NULL */
	struct mounts *mounts;	/* fstab's mounts (svd as init), or NULL */
	manager_change_fn *on_change;
	manager_forget_fn *on_forget;
	manager_transition_fn *on_transition;	/* may be NULL */
	void *ctx;
};

struct manager {
	struct ev_loop *loop;
	struct manager_config config;
	struct service_env env;	/* every service, the pid map, changes */
	struct registry registry; /* the services by name */
	struct jobs jobs;	/* the dependency graph and its jobs */
	/* Runs the reactions before the loop sleeps; unreferenced, so it
	 * keeps no loop alive, and it never wakes an idle svd. */
	ev_prepare react;
	unsigned long orphans_reaped;
	char **fstab;		/* its mount points, at the last load */
};

int manager_init(struct manager *mgr, struct ev_loop *loop,
		 const struct manager_config *config);
void manager_free(struct manager *mgr);

/* Loads (or reloads: daemon-reload) every unit and resolves their
 * dependencies; see registry_load_all(). */
int manager_load_all(struct manager *mgr);
/* Queues the start of every loaded, enabled unit and default.target
 * (boot); the jobs run from the first turn of the loop. */
void manager_start_enabled(struct manager *mgr);
/* Lets Type=idle services waiting for the boot's jobs go at once (and
 * every later one start without waiting). */
void manager_close_idle_pipe(struct manager *mgr);

/* Looks a name up as users write it, loading (and linking) a template's
 * instance on first use. NULL with *error set when there is none. */
struct service *manager_find(struct manager *mgr, const char *name,
			     const char **error);
/* For a read-only request: as manager_find(), but an instance that is
 * not loaded comes transient (service->transient), from its template,
 * kept nowhere; give it to manager_drop_transient() once answered. */
struct service *manager_peek(struct manager *mgr, const char *name,
			     const char **error);
/* Frees a transient service (registry_peek); nothing for any other. */
void manager_drop_transient(struct manager *mgr, struct service *service);
/* The target of that name, made on first use; NULL when out of memory. */
struct service *manager_target(struct manager *mgr, const char *name);
/* Adds container mode's main command as a service; takes unit. Returns
 * NULL with errno. */
/* The unit directories' NAME.d/ drop-ins, on a unit svd made; -1 when
 * one had errors (logged, with file and line). */
int manager_apply_dropins(struct manager *mgr, struct unit *unit);
struct service *manager_add_main(struct manager *mgr, struct unit *unit,
				 const struct spawn_inherit *inherit);
/* Runs the reactions still owed now (before a re-exec saves the state:
 * no change may be left unheard). Never from inside a step. */
void manager_react_now(struct manager *mgr);
/* How many services there are. */
size_t manager_count(const struct manager *mgr);
/* Every service in the order made: for (s = manager_first(m); s;
 * s = s->next). */
struct service *manager_first(const struct manager *mgr);
/* Every service sorted by name, to free(); NULL with errno. */
struct service **manager_sorted(const struct manager *mgr, size_t *n);

/* Queue a start (with what it pulls in) or a stop (with what goes
 * with it); the jobs run from the reactions, after the current step. */
void manager_start(struct manager *mgr, struct service *service);
void manager_stop(struct manager *mgr, struct service *service);

/* Persists enable/disable in the state directory. Returns -1 with errno. */
int manager_set_enabled(struct manager *mgr, struct service *service,
			bool enabled);

/* An sd_notify message from pid (a notify_message_fn; ctx is the
 * manager): see dispatch.h. */
void manager_notify(void *ctx, pid_t sender, const struct notify_msg *msg);

/* The log of the service a syslog message's sender belongs to (a
 * devlog_find_fn; ctx is the manager), or NULL: see dispatch.h. */
struct logs_service *manager_syslog_owner(void *ctx, pid_t sender);

/* The reaper: every terminated child, service or orphan. */
void manager_child_exited(struct manager *mgr, pid_t pid, int wstatus);

void manager_stop_all(struct manager *mgr);
/* Closes every service's log file, at the end of a shutdown. */
void manager_close_log_files(struct manager *mgr);
/* True when no service has a process or a pending job. */
bool manager_is_idle(const struct manager *mgr);
/* True while a start is queued or under way (the boot is not done). */
bool manager_is_starting(const struct manager *mgr);

#endif
