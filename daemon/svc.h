/* svc: one service's life as an explicit state machine.
 *
 * The states are the phases of systemd's service.c. svc_step(svc, event)
 * is the only entry point that changes a service: it looks the pair up in
 * one table (svc.c: step_table) where every cell is decided. Only
 * set_state() writes the state: it records the cause and the time, arms
 * the timer that belongs to the new state, and tells the owner, which only
 * records that something changed: what follows (jobs, clients, shutdown)
 * runs after the step, from the event loop. Effects (fork, kill, timers,
 * the clock, condition checks) go through struct svc_ops, so unit tests
 * drive every transition with fakes. */
#ifndef SVD_SVC_H
#define SVD_SVC_H

#include <stdbool.h>
#include <sys/types.h>

#include "condition.h"
#include "policy.h"
#include "unit.h"

enum svc_state {
	SVC_INACTIVE,	   /* not running: never started, or stopped cleanly */
	SVC_CONDITION,	   /* ExecCondition= runs */
	SVC_START_PRE,	   /* ExecStartPre= runs */
	SVC_START,	   /* the main process (a oneshot's commands) runs:
			      waiting for exec, READY=1, the forking parent's
			      exit, or the oneshot's end */
	SVC_START_POST,	   /* ExecStartPost= runs */
	SVC_RUNNING,	   /* started; the main process runs */
	SVC_RELOAD,	   /* ExecReload= runs, or a notify-reload service has
			      been sent SIGHUP and owes READY=1 */
	SVC_STOP,	   /* ExecStop= runs */
	SVC_STOP_SIGTERM,  /* KillSignal= (or WatchdogSignal=) sent; waiting
			      for the main process */
	SVC_STOP_SIGKILL,  /* SIGKILL sent after TimeoutStopSec= */
	SVC_STOP_POST,	   /* ExecStopPost= runs */
	SVC_FINAL_SIGTERM, /* ExecStopPost= hung: KillSignal= sent to it */
	SVC_FINAL_SIGKILL, /* and then SIGKILL */
	SVC_AUTO_RESTART,  /* waiting RestartSec= before starting again */
	SVC_EXITED,	   /* done and active: RemainAfterExit=yes */
	SVC_FAILED,	   /* ended badly; stays until start or reset-failed */
	SVC_STATE_COUNT,
};

enum svc_event {
	SVC_EV_START,	     /* start requested (svctl, boot, jobs) */
	SVC_EV_STOP,	     /* stop requested (svctl, shutdown, jobs) */
	SVC_EV_EXEC_OK,	     /* the main process exec'd successfully */
	SVC_EV_EXEC_FAILED,  /* exec (or setup before it) failed: arg =
				SVC_EXEC_FAILURE(step, errno) */
	SVC_EV_EXIT,	     /* the main process ended: arg = wait status */
	SVC_EV_TIMER,	     /* the state's timer fired */
	SVC_EV_RESET_FAILED, /* svctl reset-failed */
	SVC_EV_READY,	     /* sd_notify READY=1 */
	SVC_EV_EXTEND_TIMEOUT, /* EXTEND_TIMEOUT_USEC=: arg = milliseconds */
	SVC_EV_WATCHDOG,     /* keep-alive missed, or WATCHDOG=trigger */
	SVC_EV_DEPENDENCY_FAILED, /* its start job failed: see cause_text */
	SVC_EV_CONTROL_EXIT,	  /* the control process ended: arg = status */
	SVC_EV_CONTROL_EXEC_FAILED, /* it could not be exec'd: arg = errno */
	SVC_EV_RELOAD,		  /* svctl reload */
	SVC_EV_MAIN_PID,	  /* MAINPID= accepted by the owner: arg = pid */
	SVC_EV_RELOADING,	  /* sd_notify RELOADING=1 */
	SVC_EV_CGROUP_EMPTY,	  /* its cgroup has no process left */
	SVC_EV_OOM_KILL,	  /* the OOM killer hit a process of its cgroup */
	SVC_EVENT_COUNT,
};

/* SVC_EV_EXEC_FAILED's arg: the spawn step that failed (spawn.h) and
 * its errno, in one int (an errno fits in 16 bits). */
#define SVC_EXEC_FAILURE(step, err) (((step) << 16) | (err))

/* Why the service is in its state: shown by status with its detail
 * (svc_text.c turns both into words). */
enum svc_cause {
	SVC_CAUSE_NONE,		  /* never changed state */
	SVC_CAUSE_START_REQUEST,  /* asked to start */
	SVC_CAUSE_STOP_REQUEST,	  /* asked to stop */
	SVC_CAUSE_EXEC_OK,	  /* exec succeeded */
	SVC_CAUSE_EXEC_FAILED,	  /* detail: errno (and setup step) */
	SVC_CAUSE_SPAWN_FAILED,	  /* fork or pipe failed; detail: errno */
	SVC_CAUSE_EXITED,	  /* detail: exit code */
	SVC_CAUSE_KILLED,	  /* detail: signal */
	SVC_CAUSE_START_TIMEOUT,  /* start did not finish in TimeoutStartSec= */
	SVC_CAUSE_STOP_TIMEOUT,	  /* ignored the stop signal: SIGKILL sent */
	SVC_CAUSE_UNKILLABLE,	  /* survived SIGKILL for TimeoutStopSec= */
	SVC_CAUSE_RESTART,	  /* RestartSec= elapsed: started again */
	SVC_CAUSE_START_LIMIT,	  /* too many starts within the interval */
	SVC_CAUSE_RESET,	  /* reset-failed */
	SVC_CAUSE_READY,	  /* said READY=1 */
	SVC_CAUSE_WATCHDOG,	  /* missed its keep-alive: WatchdogSignal sent */
	SVC_CAUSE_DEPENDENCY,	  /* not started: cause_text says why */
	SVC_CAUSE_CONDITION,	  /* start skipped: cause_text, the condition */
	SVC_CAUSE_ASSERT,	  /* start failed: cause_text, the assertion */
	SVC_CAUSE_CONTROL_FAILED, /* ExecStartPre= & co.: cause_text says which */
	SVC_CAUSE_RELOAD,	  /* reload requested */
	SVC_CAUSE_RELOADED,	  /* ExecReload= done (or SIGHUP sent) */
	SVC_CAUSE_RELOADING,	  /* it said RELOADING=1: until READY=1 */
	SVC_CAUSE_RELOAD_FAILED,  /* ExecReload= failed: cause_text */
	SVC_CAUSE_NO_MAIN_PID,	  /* Type=forking: no daemon found: cause_text */
	SVC_CAUSE_CONTROL_TIMEOUT, /* ExecStop=/ExecStopPost= hung: cause_text */
	SVC_CAUSE_LISTENING,	  /* a socket unit's sockets are open */
	SVC_CAUSE_LISTEN_FAILED,  /* they could not be: cause_text says why */
	SVC_CAUSE_OOM_KILL,	  /* the OOM killer hit its cgroup (OOMPolicy=) */
	SVC_CAUSE_ADOPTED,	  /* found running after svd crashed (adopt.h) */
	SVC_CAUSE_ADOPTED_GONE,	  /* that process ended: its status is unknown */
	SVC_CAUSE_COUNT,
};

struct svc;

/* The effects the state machine asks for. The state machine alone writes
 * struct svc; the effects only report back through return values. */
struct svc_ops {
	/* Forks and execs the command (a control command gets $MAINPID);
	 * the pid belongs to svc from then on (the reaper finds it). Returns
	 * the pid, or -1 with errno and, when a setting could not be
	 * applied, why filled (else why is ""). */
	pid_t (*spawn)(struct svc *svc, const struct exec_cmd *cmd, bool control,
		       char *why, unsigned size);
	/* Sends signo to the control process, if there is one. */
	void (*kill_control)(struct svc *svc, int signo);
	/* svc->control_pid is gone: it no longer belongs to svc. */
	void (*forget_control)(struct svc *svc);
	/* Type=forking: the daemon its ExecStart= left (PIDFile=, or the
	 * one process it left), made to belong to svc. Returns its pid, or
	 * 0 with why filled when there is none to take. */
	pid_t (*find_main)(struct svc *svc, char *why, unsigned size);
	/* Sends signo to the main process or its group per KillMode=. */
	void (*kill)(struct svc *svc, int signo, bool group);
	void (*timer_arm)(struct svc *svc, double seconds);
	void (*timer_stop)(struct svc *svc);
	/* Monotonic seconds, and the wall clock for display. */
	double (*now)(struct svc *svc);
	double (*wall_now)(struct svc *svc);
	/* svc->main_pid is gone: forget it, close its exec pipe. */
	void (*forget_pid)(struct svc *svc);
	/* Condition*= and Assert*= (file system look-ups: not in svc.c). */
	enum condition_verdict (*check_conditions)(struct svc *svc, char *why,
						   unsigned size);
	/* A socket unit's start: makes its sockets (listen.h). Returns 0,
	 * or -1 with errno and why filled. NULL where there are none. */
	int (*listen)(struct svc *svc, char *why, unsigned size);
	/* Whether its cgroup has no process left; NULL or no cgroup: true
	 * (then the main process's exit is the end, as with process
	 * groups). */
	bool (*cgroup_empty)(struct svc *svc);
	/* Whether the OOM killer hit its cgroup since last asked; NULL:
	 * never. */
	bool (*oom_killed)(struct svc *svc);
	/* After every state change. Records it only: what follows (jobs,
	 * clients, the manager) runs after the step, from the event loop. */
	void (*state_changed)(struct svc *svc, enum svc_state old_state);
};

struct svc {
	char *name;
	struct unit *unit;	/* NULL while the unit failed to load */
	const struct svc_ops *ops;
	void *owner;		/* the daemon's per-service data */
	bool quiet;		/* set by the owner: log changes at debug only
				   (a container's command, whose exit status
				   speaks for it) */
	bool stepping;		/* inside svc_step: no reaction may run */
	bool has_exited;	/* last_wstatus is valid */
	bool restart_forbidden;	/* stopped on request or skipped: the run
				   ends without Restart= */
	/* RELOADING=1 came and no READY=1 yet: the reload is not done
	 * until it comes, ExecReload= or not. */
	bool reload_notified;
	/* Its main process was found running by an svd that did not start
	 * it (adopt.h): not svd's child, its exit status unknown. */
	bool adopted;

	enum svc_state state;
	enum svc_cause cause;
	int cause_detail;	/* errno, exit code or signal, per cause */
	int status_errno;	/* last ERRNO= from sd_notify, or 0 */
	char *cause_text;	/* dependency, condition, control command... */
	double state_since;	/* monotonic seconds */
	double state_since_wall; /* wall-clock seconds, for display */
	double timer_deadline;	/* when the state's timer fires; 0: none */

	pid_t main_pid;		/* 0 when none */
	pid_t pgid;		/* process group of the last spawn: it outlives
				   the main process (leftovers are killed) */
	size_t exec_index;	/* which ExecStart= runs (a oneshot's list) */
	int exec_errno;		/* errno of the last failed exec, or 0 */
	int exec_step;		/* spawn step that failed, see spawn.h */
	int last_wstatus;	/* wait status of the last main process */

	/* The control process of the current phase (ExecCondition= ...
	 * ExecStopPost=): which list follows from the state. */
	pid_t control_pid;	/* 0 when none */
	int control_exec_errno;	/* it could not be exec'd */
	unsigned n_started;	/* starts that got through (running or
				   exited): a client waiting for a start
				   sees one that did, even if the service
				   went down again before the reactions ran */
	size_t control_index;	/* which command of the phase's list */

	/* How the current run ends: decided where it is known (an exit, a
	 * timeout, a failed command), taken once ExecStopPost= is done. */
	enum policy_result result; /* the first failure of the run */
	enum svc_cause end_cause;
	int end_detail;

	unsigned n_restarts;	/* automatic restarts since the last start
				   request */
	/* Automatic restarts in a row (RestartSteps=): starts over with a
	 * start request, reset-failed, or a run that stayed up. */
	unsigned restart_streak;
	double running_since;	/* monotonic: when it last began running */
	struct start_limit start_limit;
	char *status_text;	/* last STATUS= from sd_notify, or NULL */
};

const char *svc_state_name(enum svc_state state);
const char *svc_event_name(enum svc_event event);
const char *svc_cause_name(enum svc_cause cause);

/* Initialises svc for unit (which may be NULL, a unit that failed to
 * load); takes ownership of unit. Returns -1 (ENOMEM). */
int svc_init(struct svc *svc, const char *name, struct unit *unit,
	     const struct svc_ops *ops, void *owner);
void svc_destroy(struct svc *svc);
/* Replaces the unit definition (daemon-reload); takes effect at the next
 * start. */
void svc_replace_unit(struct svc *svc, struct unit *unit);

void svc_step(struct svc *svc, enum svc_event event, int arg);
/* After a re-exec (reexec.h), the other writer of the state: what the
 * old svd had, with no transition (nothing is told: nothing changed),
 * its timer armed with the time that was left (-1: none). The caller
 * restores the other fields as they were. */
void svc_restore_state(struct svc *svc, enum svc_state state,
		       enum svc_cause cause, int detail, double since_age,
		       double since_wall, double timer_left);
/* Whether the table decides the pair (a unit test checks them all). */
bool svc_step_decided(enum svc_state state, enum svc_event event);

/* Whether the service says itself when it is ready (Type=notify). */
bool svc_waits_for_ready(const struct svc *svc);
/* STATUS= and ERRNO= from the service; NULL clears the text. Returns -1
 * (ENOMEM). */
int svc_set_status_text(struct svc *svc, const char *text);
void svc_set_status_errno(struct svc *svc, int value);
/* Fails a start that never began (SVC_EV_DEPENDENCY_FAILED) with why, a
 * phrase such as "dependency failed: db.service". */
void svc_fail_dependency(struct svc *svc, const char *why);

/* "exited with status 3", "exec failed: ENOENT (No such file or
 * directory)", ... into buf (svc_text.c). */
const char *svc_describe_cause(const struct svc *svc, char *buf, unsigned size);

/* systemd's ActiveState= and SubState= for the state. */
const char *svc_active_state(const struct svc *svc);
const char *svc_sub_state(const struct svc *svc);

/* The phases grouped as jobs, clients and the manager ask about them:
 * nobody outside svc.c compares states one by one. */
/* Active as `systemctl is-active` means it (running, exited, stopping). */
bool svc_is_active(const struct svc *svc);
/* Has a process or a pending timer: shutdown must wait for it. */
bool svc_is_busy(const struct svc *svc);
/* A state that passes by itself (a start, stop or reload phase, or
 * auto-restart): busy whatever the processes. */
bool svc_state_is_transitional(enum svc_state state);
/* On its way up: a start phase, before running. */
bool svc_state_is_starting(enum svc_state state);
bool svc_is_starting(const struct svc *svc);
/* On its way down: a stop phase. */
bool svc_is_stopping(const struct svc *svc);
/* Its main process runs and nothing else is under way. */
bool svc_is_running(const struct svc *svc);
/* ExecReload= (or a notify-reload's READY=1) under way. */
bool svc_is_reloading(const struct svc *svc);
bool svc_state_is_failed(enum svc_state state);
bool svc_is_failed(const struct svc *svc);
/* Whether MAINPID= may name its main process now: while it starts
 * (after ExecStartPre=), runs, reloads or answers the stop, as systemd. */
bool svc_accepts_main_pid(const struct svc *svc);
/* Waiting RestartSec= before Restart= starts it again. */
bool svc_is_auto_restart(const struct svc *svc);
/* Up, or coming up: starting, running, reloading or exited (a start
 * job has nothing to do for it). */
bool svc_state_is_up(enum svc_state state);
bool svc_is_up(const struct svc *svc);
/* A stop phase (ExecStop= ... the final SIGKILL). */
bool svc_state_is_stopping(enum svc_state state);
/* Down: inactive, failed, or waiting to restart. */
bool svc_state_is_down(enum svc_state state);
/* A run is over: inactive, failed, or exited (RemainAfterExit=). */
bool svc_has_ended(const struct svc *svc);
/* Down and done with: inactive (not failed, not waiting to restart). */
bool svc_is_inactive(const struct svc *svc);

#endif
