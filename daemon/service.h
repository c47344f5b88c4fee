/* service: one supervised unit as the daemon holds it, its state machine
 * (svc.h) with the effects that state machine asks for: spawning through
 * spawn/execenv/creds, kills, the state's timer, the exec status pipes,
 * the watchdog. A state change is only recorded (a queue of changed
 * services); what follows from it runs later, from the manager's
 * reactions, so that no step ever runs inside another. */
#ifndef SVD_SERVICE_H
#define SVD_SERVICE_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

#include "activation.h"
#include "cgroup.h"
#include "creds.h"
#include "dynuser.h"
#include "execenv.h"
#include "jobs.h"
#include "logs.h"
#include "pidmap.h"
#include "sandbox.h"
#include "spawn.h"
#include "svc.h"
#include "unit.h"

struct mounts;

enum service_load {
	SERVICE_LOADED,		/* the unit file is valid */
	SERVICE_LOAD_ERROR,	/* the unit file has errors: see load_error */
	SERVICE_MASKED,		/* linked to /dev/null */
};

struct service;

/* What every service shares. */
/* A first-in first-out queue of services, each on it at most once: the
 * link lives in the service (no allocation while the loop runs). */
struct service_link {
	struct service_link *next;
	bool queued;
};

struct service_queue {
	struct service_link *first, *last;
};

/* How a spawned process's exec went, until svd has heard it: its status
 * pipe when it was forked, or the outcome spawn already knew (vfork),
 * handed to the reactions so that it is heard after the step that
 * spawned, as a pipe's would be. */
struct exec_status {
	ev_io *pipe;		/* a forked child's, while watched; else NULL */
	struct spawn_failure outcome;	/* while known; step -1: exec'd */
	bool known;
};

struct service_env {
	struct ev_loop *loop;
	struct pidmap pids;	/* main and control pids -> their service */
	struct jobs *jobs;	/* the graph every service's node is in */
	struct execenv_ctx exec; /* NOTIFY_SOCKET, svd's environ, roots */
	const struct logs_config *logs;
	rlim_t nofile_soft;	/* svd's soft RLIMIT_NOFILE at start, or 0 */
	struct service *first, *last;	/* every service, in the order made */
	size_t n;
	/* Kept at each change, so that "is the boot done?" and "is all
	 * stopped?" cost nothing per change (pids.live counts processes). */
	size_t n_starting;	/* services in a start phase */
	size_t n_starting_idle;	/* of which Type=idle (boot waits not for them) */
	/* Type=idle: while the boot's other jobs run, the write end stays
	 * open; an idle service's process waits (at most 5 s, in the child)
	 * for it to close. Both -1 once boot is through. */
	int idle_pipe[2];
	size_t n_transitional;	/* in any phase that passes by itself */
	/* Services whose state changed since the reactions last ran,
	 * oldest first. */
	struct service_queue changed;
	/* Services with an exec outcome known but not yet heard. */
	struct service_queue spawned;
	/* Instances that may be unused now (service_look_unused), for the
	 * reactions to free once nothing holds them. */
	struct service_queue unused;
	/* Socket units that are up (activation.h), with the manager's
	 * hooks for a readable socket and for names. */
	struct listeners listeners;
	/* Told before a service is freed (daemon-reload dropped its unit),
	 * so nothing keeps a pointer to it. */
	void (*on_free)(void *ctx, struct service *service);
	void *on_free_ctx;
	/* svd's cgroup2 tree (mode CGROUP_OFF: none), and the watcher of
	 * its inotify fd (service_cgroup.h). */
	struct cgroup_root *cgroups;
	ev_io cgroup_io;
	/* Each service's cgroup.events and memory.events watch -> the
	 * service: an event finds its service in O(1), not by a walk (one
	 * comes with every start). Keyed like the pid map (wds are > 0). */
	struct pidmap cgroup_watches;
	/* fstab's file systems, for the .mount units (svd as init), or
	 * NULL. */
	struct mounts *mounts;
	/* Told of each change of state as it is made (same ctx). */
	void (*on_transition)(void *ctx, struct service *service,
			      enum svc_state old);
	struct dynusers dynusers;	/* DynamicUser='s, in use */
};

/* Who a service's processes run as, for as long as it runs (from its
 * first spawn until it is down): what DynamicUser= gave it, and what
 * RemoveIPC= cleans after. Allocated only for a service that runs as
 * another user, so the thousand services of root cost a pointer each. */
struct service_ident {
	struct dynuser *dynamic;	/* DynamicUser='s, or NULL */
	uid_t uid;
	gid_t gid;
	/* RemoveIPC= (its own, or handed on by a service of the same user
	 * that stopped first): clean when the last of them stops */
	bool clean_ipc;
	/* DynamicUser='s directories, bound in each of its processes */
	struct spawn_private private_dirs;
};

struct service {
	struct svc svc;		/* name, unit, state: see svc.h */
	struct service_env *env;
	struct jobs_node node;	/* its place in the dependency graph */
	ev_timer timer;		/* the timer of the current state */
	struct exec_status main_exec;	/* of the main process */
	struct exec_status control_exec; /* and of the control process */
	struct service_link spawned;	/* on env->spawned */
	ev_timer *watchdog;	/* WatchdogSec=: runs while running; made
				   the first time it does */
	/* A pidfd of an adopted main process (not svd's child: no SIGCHLD
	 * tells its end), while watched; else NULL. */
	ev_io *pidfd;
	struct listener *listener;	/* a socket unit's, while it is open */
	struct connection *connection;	/* an Accept=yes instance's */
	struct logs_service logs; /* what it prints, and svd's notes */
	struct cgroup_unit cgroup; /* its cgroup while it has one */
	/* PrivateTmp='s directories while it is up (sandbox.h); NULL */
	struct sandbox_runtime *sandbox;
	/* Resource settings its cgroup could not take, for status; NULL */
	char *cgroup_warning;
	uint64_t watchdog_usec;	/* WATCHDOG_USEC= from the service, or 0 */
	char *load_error;	/* first error of the unit file, or NULL */
	char *path;		/* the unit file, or NULL */
	/* What its files were (names, sizes, times of the unit file and
	 * drop-ins) when last loaded, and when the current run started:
	 * when they differ, status says that a restart applies the unit
	 * as it is now (daemon-reload does not touch what runs). */
	uint64_t definition_stamp, run_stamp;
	/* Container mode's main command: spawned with what svd inherited,
	 * started and stopped by container.c, not by boot or stop-all. */
	const struct spawn_inherit *inherit;
	struct service_link unused;	/* in env's queue of instances to look at */
	struct service *prev, *next;	/* env's list */
	struct service *hash_next;	/* the registry's bucket */
	/* Its state changed since the reactions last ran. */
	struct service_link changed;	/* in env's queue of changes */
	enum svc_state changed_from; /* the state before the first change */
	enum service_load load;
	unsigned n_waiting;	/* requests waiting for it to settle */
	bool changed_really;	/* a change of state, not only news */
	/* It entered failed, or stopped after running, since the daemon's
	 * reaction last looked (actions.h): FailureAction= & co. */
	bool ended_failed, ended_succeeded;
	bool enabled;		/* started at boot (not disabled) */
	bool starting_idle;	/* counted in env->n_starting_idle */
	bool seen;		/* mark for daemon-reload */
	/* svd made it for a name with no file (madeup.h): a target, a
	 * .mount or a .device; kept across daemon-reload. */
	bool made_up;
	/* Made from a template on first use (no file of its own): freed
	 * once inactive and held by nothing (registry_free_unused). */
	bool instance;
	/* Loaded apart for one reply, in no table (registry_peek). */
	bool transient;
	bool runtime_dir_stale;	/* RuntimeDirectory= goes before the next
				   spawn or at the reaction, whichever first */
	struct service_ident *ident;	/* while it runs as another user */
};

const char *service_load_name(enum service_load load);

/* A service without a unit yet, appended to env's list and to the jobs
 * graph. Returns NULL with errno. */
struct service *service_new(struct service_env *env, const char *name);
/* Stops its watchers, forgets its pids, takes it out of env and jobs. */
void service_free(struct service *service);
/* It runs, and its unit files changed since its run started: a restart
 * applies them (svctl status says so). */
bool service_needs_restart(const struct service *service);
/* Gives it its (re)loaded definition (takes unit and error). A busy
 * service whose file now has errors keeps its old definition. */
void service_set_definition(struct service *service, const char *path,
			    enum service_load load, struct unit *unit,
			    char *error);

/* The next changed service (NULL when none); its changed_from and
 * changed_really say what changed. */
struct service *service_pop_change(struct service_env *env);
/* An instance may be unused now (it went down, a request stopped
 * waiting on it, a follower left, what named it went away): queued for
 * the reactions to look at, after the step. Not an instance: nothing. */
void service_look_unused(struct service *service);
/* The next instance to look at, or NULL. */
struct service *service_pop_unused(struct service_env *env);

/* Hears the exec outcomes spawn knew at once (steps them into their
 * services); returns how many services it looked at. For the reactions,
 * outside any step. */
size_t service_hear_spawned(struct service_env *env);
bool service_any_spawned(const struct service_env *env);

/* What a change means for the service itself: its keep-alive clock,
 * its RuntimeDirectory=. */
void service_react(struct service *service);

/* --- who it runs as, in service_ident.c --- */

/* The credentials of a spawn (creds_resolve, and DynamicUser='s user,
 * taken at the first spawn of a run, with its private directories made
 * and set in req). Returns -1 with why set. */
int service_ident_creds(struct service *service, struct creds *creds,
			struct spawn_request *req, char *why, unsigned size);
/* It is down: RemoveIPC= cleans once no other service runs as its user,
 * and DynamicUser='s user is given back. */
void service_ident_release(struct service *service);

/* --- its cgroup, in service_cgroup.c: made at its first spawn, with the
 * resource settings written before any process is in it; every process
 * it spawns joins it; removed once the service is down and it is empty.
 * Where svd has no cgroup2 (env->cgroups off) they do nothing. --- */

/* Watches env->cgroups' events (cgroup.events, memory.events). */
void service_cgroups_start(struct service_env *env);
void service_cgroups_stop(struct service_env *env);
/* Before a spawn: the cgroup exists and req says to join it. Returns -1
 * with errno and why when it cannot be made: the spawn fails. */
int service_cgroup_prepare(struct service *service, struct spawn_request *req,
			   char *why, unsigned size);
/* Finds the cgroup its processes are in already (a re-exec, an
 * adoption): watched again, as svd had it. -1 after logging. */
int service_cgroup_reopen(struct service *service);
/* Signals every process of its cgroup; false when it has none (the
 * caller signals its process group instead). */
bool service_cgroup_kill(struct service *service, int signo);
/* No process left in its cgroup (or it has none). */
bool service_cgroup_empty(struct service *service);
/* The OOM killer hit its cgroup since last asked. */
bool service_cgroup_oom(struct service *service);
/* Down with an empty cgroup: the cgroup goes. */
void service_cgroup_release(struct service *service);
/* Frees what the service holds of it (service_free). */
void service_cgroup_free(struct service *service);
/* An inotify watch fired: true when it is one of its cgroup's, whose
 * news (empty, OOM kill) it has taken. */
bool service_cgroup_event(struct service *service, int wd);

/* --- after a re-exec (reexec.h) --- */
/* Watches the exec status pipe fd of its main (or control) process, a
 * spawn the old svd had not heard from yet. */
void service_adopt_exec_status(struct service *service, bool control, int fd);
/* Its main process is not svd's child (adopted): watched through a
 * pidfd, whose end steps it as an exit of unknown status. -1 after
 * logging (pidfd_open needs Linux 5.3). */
int service_watch_pidfd(struct service *service);
/* Its state was restored (svc_restore_state): counted in env as if it
 * had been entered. */
void service_count_restored(struct service *service);

/* One of its processes ended (the reaper found pid in env's map). */
void service_child_exited(struct service *service, pid_t pid, int wstatus);
/* Winds the keep-alive clock up again (WATCHDOG=1), or stops it. */
void service_watchdog_update(struct service *service);

#endif
