/* manager: the table of services and everything that connects a service's
 * state machine to the world: loading units, spawning through libev,
 * timers, the reaper's pid lookup, enable/disable state. */
#ifndef SVD_MANAGER_H
#define SVD_MANAGER_H

#include <ev.h>
#include <stdbool.h>

#include "jobs.h"
#include "logs.h"
#include "notify.h"
#include "pidmap.h"
#include "spawn.h"
#include "svc.h"
#include "unit.h"

/* Most services (units and instances) one svd manages. */
#define MANAGER_SERVICES_MAX 100000

enum service_load {
	SERVICE_LOADED,		/* the unit file is valid */
	SERVICE_LOAD_ERROR,	/* the unit file has errors: see load_error */
	SERVICE_MASKED,		/* linked to /dev/null */
};

struct manager;

struct service {
	struct svc svc;		/* name, unit, state: see svc.h */
	struct manager *mgr;
	ev_timer timer;		/* the timer of the current state */
	ev_io status_io;	/* exec status pipe of the main process */
	ev_io control_io;	/* and of the control process */
	ev_timer watchdog;	/* WatchdogSec=: runs while running */
	struct logs_service logs; /* what it prints, and svd's notes */
	uint64_t watchdog_usec;	/* WATCHDOG_USEC= from the service, or 0 */
	enum service_load load;
	char *load_error;	/* first error of the unit file, or NULL */
	char *path;		/* the unit file, or NULL */
	bool enabled;		/* started at boot (not disabled) */
	/* Container mode's main command: spawned with what svd inherited,
	 * started and stopped by container.c, not by boot or stop-all. */
	const struct spawn_inherit *inherit;
	bool seen;		/* mark for daemon-reload */

	struct jobs_node node;	/* its place in the dependency graph */
	/* Its state changed since the reactions last ran (manager.c). */
	struct service *changed_next;
	bool changed_queued;	/* in the manager's queue of changes */
	bool changed_really;	/* a change of state, not only news */
	enum svc_state changed_from; /* the state before the first change */
	pid_t exit_pid;		/* main process exit held until the reactions
				   to its exec ran, or 0; exit_wstatus its */
	int exit_wstatus;
	bool runtime_dir_stale;	/* RuntimeDirectory= goes before the next
				   spawn or at the reaction, whichever first */
	bool linked;		/* its dependencies are resolved */
	size_t jobs_index;	/* scratch: its place while checking cycles */
	bool start_job;		/* queued start, waiting for its order */
	bool stop_job;		/* queued stop, waiting for its order */
};

/* Called after the state of a service changed (from the event loop,
 * after the step: read its current state), and with service NULL when
 * jobs moved on without one. */
typedef void manager_change_fn(void *ctx, struct service *service);

struct manager_config {
	const char *const *unit_dirs;
	size_t n_unit_dirs;
	const char *state_dir;	/* enable/disable marks live here */
	const char *hostname;	/* for %H */
	const char *notify_socket; /* NOTIFY_SOCKET for services, or NULL */
	char *const *svd_environ;  /* what PassEnvironment= takes from */
	char *const *directory_roots; /* UNIT_DIR_COUNT: /run, /var/lib, ... */
	const struct logs_config *logs;
	rlim_t nofile_soft;	   /* svd's soft RLIMIT_NOFILE at start, or 0 */
	manager_change_fn *on_change;
	void *ctx;
};

struct manager {
	struct ev_loop *loop;
	struct manager_config config;
	struct unit_load_ctx load_ctx;
	struct service **services; /* sorted by name */
	size_t n_services;
	size_t cap_services;
	char **aliases;		/* "alias.service=target.service" */
	struct pidmap pids;	/* main pid -> service */
	unsigned long orphans_reaped;
	struct jobs jobs;	/* the dependency graph and its jobs */
	/* Services whose state changed, oldest first: a step only records
	 * its change, the reactions run from this watcher, before the loop
	 * sleeps (unreferenced: it keeps no loop alive). */
	struct service *changed_first, *changed_last;
	ev_prepare react;
};

int manager_init(struct manager *mgr, struct ev_loop *loop,
		 const struct manager_config *config);
void manager_free(struct manager *mgr);

/* Scans the unit directories and loads every unit; a unit with errors is
 * kept (in SERVICE_LOAD_ERROR) so status can show why. Used at start and
 * for daemon-reload: existing services keep running with the new
 * definition taking effect at their next start. */
int manager_load_all(struct manager *mgr);
/* Starts every loaded, enabled unit (boot). */
void manager_start_enabled(struct manager *mgr);

/* Looks a name up ("web", "web.service", an alias, "tpl@inst"), loading a
 * template's instance on first use. Returns NULL with *error set to a
 * static message when there is no such unit. */
struct service *manager_find(struct manager *mgr, const char *name,
			     const char **error);

/* The same, without linking the dependencies of an instance it loads:
 * for jobs, which links what it made itself. */
struct service *manager_get(struct manager *mgr, const char *name,
			    const char **error);

/* The target of that name ("network.target"), made the first time it
 * is asked for: svd provides every target as a synchronization point.
 * NULL (logged) when out of memory. */
struct service *manager_target(struct manager *mgr, const char *name);

/* Adds container mode's main command as a service; takes unit. Returns
 * NULL with errno. */
struct service *manager_add_main(struct manager *mgr, struct unit *unit,
				 const struct spawn_inherit *inherit);

/* Queue a start (with what it pulls in) or a stop (with what goes
 * with it); the jobs run from the reactions, after the current step. */
void manager_start(struct manager *mgr, struct service *service);
void manager_stop(struct manager *mgr, struct service *service);

/* Persists enable/disable in the state directory. Returns -1 with errno. */
int manager_set_enabled(struct manager *mgr, struct service *service,
			bool enabled);

/* An sd_notify message from pid (a notify_message_fn; ctx is the
 * manager): applied to the service it belongs to if its NotifyAccess=
 * lets that process speak, else dropped with a debug line. */
void manager_notify(void *ctx, pid_t sender, const struct notify_msg *msg);

/* The reaper: every terminated child, service or orphan. */
void manager_child_exited(struct manager *mgr, pid_t pid, int wstatus);

void manager_stop_all(struct manager *mgr);
/* Closes every service's log file, at the end of a shutdown. */
void manager_close_log_files(struct manager *mgr);
/* True when no service has a process or a pending start. */
bool manager_is_idle(const struct manager *mgr);

const char *service_load_name(enum service_load load);

#endif
