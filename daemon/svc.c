#include "svc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "condition.h"
#include "log.h"
#include "spawn.h"

static const char *const state_names[] = {
	[SVC_INACTIVE] = "inactive",
	[SVC_STARTING] = "starting",
	[SVC_RUNNING] = "running",
	[SVC_STOPPING] = "stopping",
	[SVC_EXITED] = "exited",
	[SVC_FAILED] = "failed",
	[SVC_AUTO_RESTART] = "auto-restart",
	[SVC_RELOADING] = "reloading",
};

static const char *const event_names[] = {
	[SVC_EV_START] = "start",
	[SVC_EV_STOP] = "stop",
	[SVC_EV_EXEC_OK] = "exec-ok",
	[SVC_EV_EXEC_FAILED] = "exec-failed",
	[SVC_EV_EXIT] = "exit",
	[SVC_EV_TIMER] = "timer",
	[SVC_EV_RESET_FAILED] = "reset-failed",
	[SVC_EV_READY] = "ready",
	[SVC_EV_EXTEND_TIMEOUT] = "extend-timeout",
	[SVC_EV_WATCHDOG] = "watchdog",
	[SVC_EV_DEPENDENCY_FAILED] = "dependency-failed",
	[SVC_EV_CONTROL_EXIT] = "control-exit",
	[SVC_EV_CONTROL_EXEC_FAILED] = "control-exec-failed",
	[SVC_EV_RELOAD] = "reload",
	[SVC_EV_MAIN_PID] = "main-pid",
};

static const char *const cause_names[] = {
	[SVC_CAUSE_NONE] = "none",
	[SVC_CAUSE_START_REQUEST] = "start-request",
	[SVC_CAUSE_STOP_REQUEST] = "stop-request",
	[SVC_CAUSE_EXEC_OK] = "exec-ok",
	[SVC_CAUSE_EXEC_FAILED] = "exec-failed",
	[SVC_CAUSE_SPAWN_FAILED] = "spawn-failed",
	[SVC_CAUSE_EXITED] = "exited",
	[SVC_CAUSE_KILLED] = "killed",
	[SVC_CAUSE_START_TIMEOUT] = "start-timeout",
	[SVC_CAUSE_STOP_TIMEOUT] = "stop-timeout",
	[SVC_CAUSE_UNKILLABLE] = "unkillable",
	[SVC_CAUSE_RESTART] = "restart",
	[SVC_CAUSE_START_LIMIT] = "start-limit-hit",
	[SVC_CAUSE_RESET] = "reset-failed",
	[SVC_CAUSE_READY] = "ready",
	[SVC_CAUSE_WATCHDOG] = "watchdog",
	[SVC_CAUSE_DEPENDENCY] = "dependency",
	[SVC_CAUSE_CONDITION] = "condition",
	[SVC_CAUSE_ASSERT] = "assert",
	[SVC_CAUSE_CONTROL_FAILED] = "control-failed",
	[SVC_CAUSE_RELOAD] = "reload",
	[SVC_CAUSE_RELOADED] = "reloaded",
	[SVC_CAUSE_RELOAD_FAILED] = "reload-failed",
	[SVC_CAUSE_NO_MAIN_PID] = "no-main-pid",
};

const char *svc_state_name(enum svc_state state)
{
	return state < SVC_STATE_COUNT ? state_names[state] : "?";
}

const char *svc_event_name(enum svc_event event)
{
	return event < SVC_EVENT_COUNT ? event_names[event] : "?";
}

const char *svc_cause_name(enum svc_cause cause)
{
	return cause <= SVC_CAUSE_NO_MAIN_PID ? cause_names[cause] : "?";
}

int svc_init(struct svc *svc, const char *name, struct unit *unit,
	     const struct svc_ops *ops, void *owner)
{
	*svc = (struct svc){ .ops = ops, .owner = owner, .unit = unit,
			     .control_kind = -1 };
	svc->name = strdup(name);
	return svc->name ? 0 : -1;
}

void svc_destroy(struct svc *svc)
{
	unit_free(svc->unit);
	free(svc->name);
	free(svc->status_text);
	free(svc->cause_text);
}

static void set_cause_text(struct svc *svc, const char *why)
{
	free(svc->cause_text);
	svc->cause_text = why ? strdup(why) : NULL;
}

void svc_set_cause_text(struct svc *svc, const char *text)
{
	set_cause_text(svc, text);
}

void svc_fail_dependency(struct svc *svc, const char *why)
{
	set_cause_text(svc, why);
	svc_step(svc, SVC_EV_DEPENDENCY_FAILED, 0);
}

bool svc_waits_for_ready(const struct svc *svc)
{
	return svc->unit && (svc->unit->type == UNIT_TYPE_NOTIFY ||
			     svc->unit->type == UNIT_TYPE_NOTIFY_RELOAD);
}

int svc_set_status_text(struct svc *svc, const char *text)
{
	char *copy = text ? strdup(text) : NULL;

	if (text && !copy)
		return -1;
	free(svc->status_text);
	svc->status_text = copy;
	return 0;
}

void svc_replace_unit(struct svc *svc, struct unit *unit)
{
	unit_free(svc->unit);
	svc->unit = unit;
}

/* The pids belong to svc until it lets them go: the owner unmaps them. */
static void forget_main(struct svc *svc)
{
	svc->ops->forget_pid(svc);
	svc->main_pid = 0;
}

static void forget_control(struct svc *svc)
{
	svc->ops->forget_control(svc);
	svc->control_pid = 0;
}

static double usec_to_sec(uint64_t usec)
{
	return (double)usec / 1e6;
}

static void arm_timer(struct svc *svc, double seconds)
{
	svc->timer_deadline = svc->ops->now(svc) + seconds;
	svc->ops->timer_arm(svc, seconds);
}

/* EXTEND_TIMEOUT_USEC=: the deadline moves to now + ms if that is later,
 * as in systemd; it never comes sooner, and no timeout stays none. */
static void extend_timer(struct svc *svc, int ms)
{
	double now = svc->ops->now(svc), later = now + ms / 1000.;

	if (ms <= 0 || svc->timer_deadline == 0 || later <= svc->timer_deadline)
		return;
	arm_timer(svc, later - now);
}

/* The exit that follows decides what a failed exec means. */
static void exec_failed(struct svc *svc, int failure)
{
	svc->exec_step = failure >> 16;
	svc->exec_errno = failure & 0xffff;
}

static void start_requested(struct svc *svc);
static void run_ended(struct svc *svc, enum svc_cause cause, int detail);
static void begin_stop(struct svc *svc, enum svc_cause cause);
static void continue_control(struct svc *svc, int kind, size_t index,
			     enum svc_cause cause);

/* The one writer of svc->state: records why and when, logs, arms or
 * cancels the timer that belongs to the new state. */
static void svc_set_state(struct svc *svc, enum svc_state state,
			  enum svc_cause cause, int detail)
{
	enum svc_state old = svc->state;
	const struct unit *unit = svc->unit;
	char buf[1024];

	svc->state = state;
	svc->cause = cause;
	svc->cause_detail = detail;
	svc->state_since = svc->ops->now(svc);
	svc->ops->timer_stop(svc);
	svc->timer_deadline = 0;
	switch (state) {
	case SVC_STARTING:
	case SVC_RELOADING:
		if (unit->timeout_start_usec != USEC_INFINITY)
			arm_timer(svc, usec_to_sec(unit->timeout_start_usec));
		break;
	case SVC_STOPPING:
		if (unit->timeout_stop_usec != USEC_INFINITY)
			arm_timer(svc, usec_to_sec(unit->timeout_stop_usec));
		break;
	case SVC_AUTO_RESTART:
		arm_timer(svc, usec_to_sec(unit->restart_usec));
		break;
	default:
		break;
	}
	log_msg(state == SVC_FAILED && old != state && !svc->quiet ?
		LOG_LEVEL_WARNING : LOG_LEVEL_DEBUG,
		svc->name, "%s -> %s: %s", svc_state_name(old),
		svc_state_name(state), svc_describe_cause(svc, buf, sizeof(buf)));
	svc->ops->state_changed(svc, old);
}

static const struct exec_cmd *current_cmd(const struct svc *svc)
{
	return &svc->unit->exec_start[svc->exec_index];
}

/* Forks the current command: STARTING, or a retry/failure if fork failed. */
static void spawn_current(struct svc *svc, enum svc_cause cause)
{
	char why[600];
	pid_t pid;

	if (svc->exec_index == 0) {
		/* What the last run said about itself is stale now. */
		svc_set_status_text(svc, NULL);
		svc->status_errno = 0;
	}
	svc->exec_errno = 0;
	svc->exec_step = 0;
	svc->has_exited = false;
	svc->sigkill_sent = false;
	set_cause_text(svc, NULL);
	pid = svc->ops->spawn(svc, current_cmd(svc), false, why, sizeof(why));
	if (pid > 0) {
		svc->main_pid = svc->pgid = pid;
		svc_set_state(svc, SVC_STARTING, cause, 0);
		return;
	}
	if (*why)
		set_cause_text(svc, why);
	svc->result = POLICY_RESULT_RESOURCES;
	/* Out of processes or memory may pass: retry like a crash would. */
	if (spawn_errno_is_transient(errno)) {
		svc_set_state(svc, SVC_AUTO_RESTART, SVC_CAUSE_SPAWN_FAILED, errno);
		return;
	}
	svc_set_state(svc, SVC_FAILED, SVC_CAUSE_SPAWN_FAILED, errno);
}

static void start_attempt(struct svc *svc, enum svc_cause cause)
{
	const struct unit *unit = svc->unit;
	char why[300];

	svc->start_pending = false;
	/* Before the start limit, as systemd: a skipped start is no start. */
	switch (svc->ops->check_conditions(svc, why, sizeof(why))) {
	case CONDITION_PASS:
		break;
	case CONDITION_SKIP:
		set_cause_text(svc, why);
		svc->result = POLICY_RESULT_SUCCESS;
		svc_set_state(svc, SVC_INACTIVE, SVC_CAUSE_CONDITION, 0);
		return;
	case CONDITION_FAIL:
		set_cause_text(svc, why);
		svc->result = POLICY_RESULT_ASSERT;
		svc_set_state(svc, SVC_FAILED, SVC_CAUSE_ASSERT, 0);
		return;
	}
	if (!start_limit_allow(&svc->start_limit, unit->start_limit_burst,
			       usec_to_sec(unit->start_limit_interval_usec),
			       svc->ops->now(svc))) {
		svc->result = POLICY_RESULT_START_LIMIT_HIT;
		svc_set_state(svc, SVC_FAILED, SVC_CAUSE_START_LIMIT,
			      (int)unit->start_limit_burst);
		return;
	}
	svc->exec_index = 0;
	/* ExecCondition=, then ExecStartPre=, then ExecStart=. */
	continue_control(svc, UNIT_EXEC_CONDITION, 0, cause);
}

/* A start request from outside: a fresh chance, start limit included. */
static void start_requested(struct svc *svc)
{
	start_limit_reset(&svc->start_limit);
	svc->n_restarts = 0;
	start_attempt(svc, SVC_CAUSE_START_REQUEST);
}

static void exit_cause(const struct svc *svc, int wstatus,
		       enum svc_cause *cause, int *detail)
{
	if (svc->exec_errno) {
		*cause = SVC_CAUSE_EXEC_FAILED;
		*detail = svc->exec_errno;
	} else if (WIFEXITED(wstatus)) {
		*cause = SVC_CAUSE_EXITED;
		*detail = WEXITSTATUS(wstatus);
	} else {
		*cause = SVC_CAUSE_KILLED;
		*detail = WTERMSIG(wstatus);
	}
}

/* The service is down (or waits to restart): ExecStopPost= runs first,
 * whatever ended it, then the state is taken. A restart asked for while
 * stopping happens then. */
static void finish(struct svc *svc, enum svc_state state, enum svc_cause cause,
		   int detail)
{
	if (svc->unit->n_exec[UNIT_EXEC_STOP_POST] && !svc->ending) {
		svc->ending = true;
		svc->end_state = state;
		svc->end_cause = cause;
		svc->end_detail = detail;
		continue_control(svc, UNIT_EXEC_STOP_POST, 0, cause);
		return;
	}
	svc->ending = false;
	/* Leftovers were signalled: the group of this run is history, and
	 * its number may be reused by others. */
	if (!svc->main_pid && state != SVC_EXITED)
		svc->pgid = 0;
	svc_set_state(svc, state, cause, detail);
	if (svc->start_pending && !svc_is_busy(svc))
		start_requested(svc);
}

/* The run is over with svc->result: restart, stay active, or fail. */
static void run_ended(struct svc *svc, enum svc_cause cause, int detail)
{
	const struct unit *unit = svc->unit;
	bool success = svc->result == POLICY_RESULT_SUCCESS;

	if (policy_should_restart(unit, svc->result, svc->last_wstatus)) {
		finish(svc, SVC_AUTO_RESTART, cause, detail);
		return;
	}
	if (!success)
		finish(svc, SVC_FAILED, cause, detail);
	else if (unit->remain_after_exit)
		svc_set_state(svc, SVC_EXITED, cause, detail);
	else
		finish(svc, SVC_INACTIVE, cause, detail);
}

/* Processes the main process left in its group go with it, as with
 * systemd's KillMode=control-group. No main process is left to wait for,
 * so this is a signal, not a stop. */
static void signal_leftovers(struct svc *svc)
{
	const struct unit *unit = svc->unit;

	if (unit->kill_mode != UNIT_KILL_CONTROL_GROUP &&
	    unit->kill_mode != UNIT_KILL_MIXED)
		return;
	svc->ops->kill(svc, unit->kill_signal, true);
	if (unit->kill_signal != SIGKILL)
		svc->ops->kill(svc, SIGCONT, true);
}

static void main_started(struct svc *svc, enum svc_cause cause);

static void forking_parent_exited(struct svc *svc)
{
	char why[300];
	pid_t pid = svc->ops->find_main(svc, why, sizeof(why));

	if (pid > 0) {
		svc->main_pid = pid;
		main_started(svc, SVC_CAUSE_EXEC_OK);
		return;
	}
	set_cause_text(svc, why);
	log_warning(svc->name, "no main process: %s", why);
	signal_leftovers(svc);
	svc->result = POLICY_RESULT_PROTOCOL;
	run_ended(svc, SVC_CAUSE_NO_MAIN_PID, 0);
}

static void main_exited(struct svc *svc, int wstatus)
{
	const struct unit *unit = svc->unit;
	enum svc_cause cause;
	int detail;

	svc->last_wstatus = wstatus;
	svc->has_exited = true;
	forget_main(svc);
	/* Type=forking: the parent's clean exit is the start; the daemon it
	 * left is the main process from now on. */
	if (svc->state == SVC_STARTING && unit->type == UNIT_TYPE_FORKING &&
	    svc->control_kind < 0 && !svc->exec_errno && WIFEXITED(wstatus) &&
	    WEXITSTATUS(wstatus) == 0) {
		forking_parent_exited(svc);
		return;
	}
	/* An ExecStartPost= or ExecReload= still running has lost its
	 * purpose: its end will be ignored. */
	if (svc->control_kind >= 0) {
		svc->ops->kill_control(svc, SIGKILL);
		svc->control_kind = -1;
	}
	/* RemainAfterExit= keeps what the service started running. */
	if (!unit->remain_after_exit)
		signal_leftovers(svc);
	svc->result = policy_classify_exit(unit, wstatus);
	if (svc->result == POLICY_RESULT_SUCCESS && svc->exec_errno)
		svc->result = POLICY_RESULT_EXIT_CODE;
	/* Gone before it said READY=1: it never started, as systemd says. */
	if (svc->result == POLICY_RESULT_SUCCESS && svc->state == SVC_STARTING &&
	    svc_waits_for_ready(svc))
		svc->result = POLICY_RESULT_PROTOCOL;
	exit_cause(svc, wstatus, &cause, &detail);
	if (svc->state == SVC_STARTING && unit->type == UNIT_TYPE_ONESHOT &&
	    svc->result == POLICY_RESULT_SUCCESS &&
	    svc->exec_index + 1 < unit->n_exec_start) {
		svc->exec_index++;
		spawn_current(svc, cause);
		return;
	}
	if (svc->result != POLICY_RESULT_SUCCESS &&
	    (current_cmd(svc)->flags & EXEC_FLAG_IGNORE_FAILURE) &&
	    !svc->exec_errno)
		svc->result = POLICY_RESULT_SUCCESS;
	/* A oneshot is started when its commands are done: ExecStartPost=
	 * comes then. */
	if (svc->state == SVC_STARTING && svc->result == POLICY_RESULT_SUCCESS &&
	    unit->type == UNIT_TYPE_ONESHOT && unit->n_exec[UNIT_EXEC_START_POST]) {
		continue_control(svc, UNIT_EXEC_START_POST, 0, cause);
		return;
	}
	run_ended(svc, cause, detail);
}

/* signo (and SIGCONT, so a stopped process can act on it) to whom
 * KillMode= says, as in systemd: the group (control-group), or the main
 * process alone (mixed, whose final SIGKILL still goes to the group, and
 * process). */
static void send_stop_signal(struct svc *svc, int signo)
{
	bool group = svc->unit->kill_mode == UNIT_KILL_CONTROL_GROUP;

	svc->ops->kill(svc, signo, group);
	if (signo != SIGKILL)
		svc->ops->kill(svc, SIGCONT, group);
}

/* Sends the stop signal and waits in SVC_STOPPING. */
static void begin_stop_with(struct svc *svc, enum svc_cause cause, int signo)
{
	const struct unit *unit = svc->unit;

	if (unit->kill_mode == UNIT_KILL_NONE) {
		/* Nothing is killed: the processes are left to themselves
		 * (the reaper still collects them) and the service is down. */
		forget_main(svc);
		if (cause == SVC_CAUSE_START_TIMEOUT || cause == SVC_CAUSE_WATCHDOG ||
		    cause == SVC_CAUSE_CONTROL_FAILED)
			finish(svc, SVC_FAILED, cause, 0);
		else
			finish(svc, SVC_INACTIVE, cause, 0);
		return;
	}
	send_stop_signal(svc, signo);
	svc_set_state(svc, SVC_STOPPING, cause, 0);
}

static void begin_stop(struct svc *svc, enum svc_cause cause)
{
	begin_stop_with(svc, cause, svc->unit->kill_signal);
}

static void stopped(struct svc *svc, int wstatus)
{
	enum policy_result result = policy_classify_exit(svc->unit, wstatus);
	enum svc_cause cause;
	int detail;

	/* The main process went during ExecStop= (often its doing): the
	 * stop goes on when ExecStop= is done, as systemd waits for it. */
	if (svc->control_kind == UNIT_EXEC_STOP) {
		svc->last_wstatus = wstatus;
		svc->has_exited = true;
		forget_main(svc);
		return;
	}

	svc->last_wstatus = wstatus;
	svc->has_exited = true;
	forget_main(svc);
	exit_cause(svc, wstatus, &cause, &detail);
	if (svc->cause == SVC_CAUSE_START_TIMEOUT) {
		/* A start that timed out failed, however it died; Restart=
		 * decides, as for any failure. */
		svc->result = POLICY_RESULT_TIMEOUT;
		run_ended(svc, SVC_CAUSE_START_TIMEOUT, 0);
	} else if (svc->cause == SVC_CAUSE_WATCHDOG) {
		svc->result = POLICY_RESULT_WATCHDOG;
		run_ended(svc, SVC_CAUSE_WATCHDOG, 0);
	} else if (svc->cause == SVC_CAUSE_CONTROL_FAILED) {
		/* Stopped because ExecStartPost= failed: result says so. */
		run_ended(svc, SVC_CAUSE_CONTROL_FAILED, 0);
	} else if (svc->sigkill_sent) {
		svc->result = POLICY_RESULT_TIMEOUT;
		finish(svc, SVC_FAILED, SVC_CAUSE_STOP_TIMEOUT, SIGKILL);
	} else if (result != POLICY_RESULT_SUCCESS &&
		   !(current_cmd(svc)->flags & EXEC_FLAG_IGNORE_FAILURE)) {
		svc->result = result;
		finish(svc, SVC_FAILED, cause, detail);
	} else {
		svc->result = POLICY_RESULT_SUCCESS;
		finish(svc, SVC_INACTIVE, SVC_CAUSE_STOP_REQUEST, 0);
	}
}

static void control_done(struct svc *svc, int kind, enum svc_cause cause);

static void stop_timer_fired(struct svc *svc)
{
	int kind = svc->control_kind;

	/* An ExecStop= or ExecStopPost= that hangs is killed, and the stop
	 * goes on without it, with time for what comes next. */
	if (kind == UNIT_EXEC_STOP || kind == UNIT_EXEC_STOP_POST) {
		log_warning(svc->name, "%s= did not finish within "
			    "TimeoutStopSec=, killed", unit_exec_name(kind));
		svc->ops->kill_control(svc, SIGKILL);
		svc->control_kind = -1;
		if (svc->unit->timeout_stop_usec != USEC_INFINITY)
			arm_timer(svc, usec_to_sec(svc->unit->timeout_stop_usec));
		control_done(svc, kind, svc->cause);
		return;
	}
	if (!svc->sigkill_sent && svc->unit->send_sigkill) {
		log_warning(svc->name, "did not stop within TimeoutStopSec=, "
			    "sending SIGKILL");
		svc->ops->kill(svc, SIGKILL, svc->unit->kill_mode != UNIT_KILL_PROCESS);
		svc->sigkill_sent = true;
		arm_timer(svc, usec_to_sec(svc->unit->timeout_stop_usec));
		return;
	}
	/* A process stuck in the kernel: give up on it, the reaper will still
	 * collect it whenever it dies. */
	forget_main(svc);
	svc->result = POLICY_RESULT_TIMEOUT;
	finish(svc, SVC_FAILED, SVC_CAUSE_UNKILLABLE, 0);
}

/* --- control processes: ExecCondition= ... ExecStopPost= --- */

static enum svc_state control_state(int kind)
{
	switch (kind) {
	case UNIT_EXEC_CONDITION:
	case UNIT_EXEC_START_PRE:
	case UNIT_EXEC_START_POST:
		return SVC_STARTING;
	case UNIT_EXEC_RELOAD:
		return SVC_RELOADING;
	default:
		return SVC_STOPPING;
	}
}

/* The command of a control process, or NULL when a daemon-reload took
 * it away meanwhile. */
static const struct exec_cmd *control_cmd(const struct svc *svc, int kind,
					  size_t index)
{
	return index < svc->unit->n_exec[kind] ? &svc->unit->exec[kind][index] :
	       NULL;
}

/* "ExecStartPre=/bin/check --x: exited with status 3"; NULL on ENOMEM. */
static char *describe_control(const struct svc *svc, int kind, size_t index,
			      int wstatus, int err)
{
	const struct exec_cmd *cmd = control_cmd(svc, kind, index);
	char detail[200], *text;

	if (err)
		log_errno_text(err, detail, sizeof(detail));
	else if (WIFEXITED(wstatus))
		snprintf(detail, sizeof(detail), "exited with status %d",
			 WEXITSTATUS(wstatus));
	else
		snprintf(detail, sizeof(detail), "killed by SIG%s",
			 value_signal_name(WTERMSIG(wstatus)));
	if (asprintf(&text, "%s=%s: %s%s", unit_exec_name(kind),
		     cmd && cmd->line ? cmd->line : "(gone after daemon-reload)",
		     err ? "exec failed: " : "", detail) < 0)
		return NULL;
	return text;
}

/* The failure of a control command becomes the cause's text. */
static void take_cause_text(struct svc *svc, char *text)
{
	free(svc->cause_text);
	svc->cause_text = text;
}

/* What follows the last command of a kind. */
static void control_done(struct svc *svc, int kind, enum svc_cause cause)
{
	switch (kind) {
	case UNIT_EXEC_CONDITION:
		continue_control(svc, UNIT_EXEC_START_PRE, 0, cause);
		break;
	case UNIT_EXEC_START_PRE:
		svc->exec_index = 0;
		if (svc->unit->n_exec_start == 0) {
			/* A oneshot with only ExecStartPre=/ExecStop=... */
			svc->result = POLICY_RESULT_SUCCESS;
			continue_control(svc, UNIT_EXEC_START_POST, 0, cause);
			break;
		}
		spawn_current(svc, cause);
		break;
	case UNIT_EXEC_START_POST:
		if (svc->main_pid)
			svc_set_state(svc, SVC_RUNNING, svc_waits_for_ready(svc) ?
				      SVC_CAUSE_READY : SVC_CAUSE_EXEC_OK, 0);
		else	/* a oneshot: its commands are done */
			run_ended(svc, SVC_CAUSE_EXITED, 0);
		break;
	case UNIT_EXEC_RELOAD:
		svc_set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOADED, 0);
		break;
	case UNIT_EXEC_STOP:
		if (svc->main_pid && svc->unit->kill_mode != UNIT_KILL_NONE) {
			send_stop_signal(svc, svc->unit->kill_signal);
			/* The signal gets its own TimeoutStopSec=. */
			if (svc->unit->timeout_stop_usec != USEC_INFINITY)
				arm_timer(svc, usec_to_sec(svc->unit->timeout_stop_usec));
			break;	/* the main process's end takes it on */
		}
		if (svc->main_pid)	/* KillMode=none: left to itself */
			forget_main(svc);
		signal_leftovers(svc);
		svc->result = POLICY_RESULT_SUCCESS;
		finish(svc, SVC_INACTIVE, SVC_CAUSE_STOP_REQUEST, 0);
		break;
	case UNIT_EXEC_STOP_POST:
		finish(svc, svc->end_state, svc->end_cause, svc->end_detail);
		break;
	}
}

/* A control command failed (not ExecStop=/ExecStopPost=, whose failure
 * is only logged). */
static void control_failed(struct svc *svc, int kind)
{
	switch (kind) {
	case UNIT_EXEC_CONDITION:
	case UNIT_EXEC_START_PRE:
		svc->result = POLICY_RESULT_EXIT_CODE;
		run_ended(svc, SVC_CAUSE_CONTROL_FAILED, 0);
		break;
	case UNIT_EXEC_START_POST:
		svc->result = POLICY_RESULT_EXIT_CODE;
		if (svc->main_pid)
			begin_stop(svc, SVC_CAUSE_CONTROL_FAILED);
		else
			run_ended(svc, SVC_CAUSE_CONTROL_FAILED, 0);
		break;
	case UNIT_EXEC_RELOAD:
		svc_set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOAD_FAILED, 0);
		break;
	}
}

/* Runs the commands of kind from index on as the control process, one
 * at a time; when none is left, what follows them. */
static void continue_control(struct svc *svc, int kind, size_t index,
			     enum svc_cause cause)
{
	const struct unit *unit = svc->unit;
	enum svc_state state = control_state(kind);
	char why[600];
	pid_t pid;

	if (index >= unit->n_exec[kind]) {
		svc->control_kind = -1;
		control_done(svc, kind, cause);
		return;
	}
	svc->control_kind = kind;
	svc->control_index = index;
	svc->control_exec_errno = 0;
	pid = svc->ops->spawn(svc, &unit->exec[kind][index], true, why, sizeof(why));
	if (pid < 0) {
		char *text = describe_control(svc, kind, index, 0, errno);

		svc->control_kind = -1;
		log_warning(svc->name, "%s", text ? text : unit_exec_name(kind));
		if (kind == UNIT_EXEC_STOP || kind == UNIT_EXEC_STOP_POST) {
			free(text);
			continue_control(svc, kind, index + 1, cause);
		} else {
			take_cause_text(svc, text);
			control_failed(svc, kind);
		}
		return;
	}
	svc->control_pid = pid;
	if (svc->state != state)
		svc_set_state(svc, state, cause, 0);
}

static void control_exited(struct svc *svc, int wstatus)
{
	int kind = svc->control_kind, err = svc->control_exec_errno;
	size_t index = svc->control_index;
	bool ok = !err && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
	char *text;

	forget_control(svc);
	if (kind < 0) {
		/* Of a phase that was left: nothing waits for it, but the
		 * service may be idle only now. */
		svc->ops->state_changed(svc, svc->state);
		if (svc->start_pending && !svc_is_busy(svc))
			start_requested(svc);
		return;
	}
	svc->control_kind = -1;
	if (ok) {
		continue_control(svc, kind, index + 1, svc->cause);
		return;
	}
	text = describe_control(svc, kind, index, wstatus, err);
	/* ExecCondition= exiting 1-254 says "do not start", not "failed". */
	if (kind == UNIT_EXEC_CONDITION && !err && WIFEXITED(wstatus) &&
	    WEXITSTATUS(wstatus) < 255) {
		take_cause_text(svc, text);
		svc->result = POLICY_RESULT_SUCCESS;
		finish(svc, SVC_INACTIVE, SVC_CAUSE_CONDITION, 0);
		return;
	}
	if (!control_cmd(svc, kind, index) ||
	    (control_cmd(svc, kind, index)->flags & EXEC_FLAG_IGNORE_FAILURE) ||
	    kind == UNIT_EXEC_STOP || kind == UNIT_EXEC_STOP_POST) {
		log_warning(svc->name, "%s (ignored)", text ? text :
			    unit_exec_name(kind));
		free(text);
		continue_control(svc, kind, index + 1, svc->cause);
		return;
	}
	log_warning(svc->name, "%s", text ? text : unit_exec_name(kind));
	take_cause_text(svc, text);
	/* Restart= and RestartPreventExitStatus= judge this exit. */
	svc->last_wstatus = wstatus;
	control_failed(svc, kind);
}

/* A stop asked for: ExecStop= first if the main process runs, then the
 * stop signal. A control process still at work is killed. */
static void stop_requested(struct svc *svc)
{
	if (svc->control_kind >= 0) {
		svc->ops->kill_control(svc, SIGKILL);
		svc->control_kind = -1;
	}
	/* Stopped before the main command ran (during ExecStartPre=, or
	 * a oneshot's ExecStartPost=): nothing is left to signal. */
	if (!svc->main_pid) {
		svc->result = POLICY_RESULT_SUCCESS;
		finish(svc, SVC_INACTIVE, SVC_CAUSE_STOP_REQUEST, 0);
		return;
	}
	/* ExecStop= is for a service that runs; one still starting gets
	 * the signal, as systemd does. */
	if (svc->unit->n_exec[UNIT_EXEC_STOP] &&
	    (svc->state == SVC_RUNNING || svc->state == SVC_RELOADING)) {
		svc->result = POLICY_RESULT_SUCCESS;
		continue_control(svc, UNIT_EXEC_STOP, 0, SVC_CAUSE_STOP_REQUEST);
		return;
	}
	begin_stop(svc, SVC_CAUSE_STOP_REQUEST);
}

/* The main process is started (exec'd, or READY=1): ExecStartPost=
 * comes before running. */
static void main_started(struct svc *svc, enum svc_cause cause)
{
	if (svc->unit->n_exec[UNIT_EXEC_START_POST])
		continue_control(svc, UNIT_EXEC_START_POST, 0, cause);
	else
		svc_set_state(svc, SVC_RUNNING, cause, 0);
}

/* svctl reload: ExecReload=, or SIGHUP to the main process. */
static void reload_requested(struct svc *svc)
{
	if (svc->unit->n_exec[UNIT_EXEC_RELOAD]) {
		continue_control(svc, UNIT_EXEC_RELOAD, 0, SVC_CAUSE_RELOAD);
		return;
	}
	svc->ops->kill(svc, SIGHUP, false);
	/* Type=notify-reload says READY=1 again when it is done. */
	if (svc->unit->type == UNIT_TYPE_NOTIFY_RELOAD) {
		svc_set_state(svc, SVC_RELOADING, SVC_CAUSE_RELOAD, 0);
		return;
	}
	svc_set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOADED, 0);
}

static void bug(struct svc *svc, enum svc_event event)
{
	log_error(svc->name, "BUG: event %s in state %s ignored",
		  svc_event_name(event), svc_state_name(svc->state));
}

static void step_stopped(struct svc *svc, enum svc_event event)
{
	switch (event) {
	case SVC_EV_START:
		start_requested(svc);
		break;
	case SVC_EV_STOP:
		if (svc->state != SVC_EXITED)
			break;
		/* A oneshot that stayed active: its ExecStop= undoes it. */
		if (svc->unit->n_exec[UNIT_EXEC_STOP]) {
			continue_control(svc, UNIT_EXEC_STOP, 0, SVC_CAUSE_STOP_REQUEST);
			break;
		}
		signal_leftovers(svc);
		finish(svc, SVC_INACTIVE, SVC_CAUSE_STOP_REQUEST, 0);
		break;
	case SVC_EV_RESET_FAILED:
		if (svc->state == SVC_FAILED)
			svc_set_state(svc, SVC_INACTIVE, SVC_CAUSE_RESET, 0);
		start_limit_reset(&svc->start_limit);
		break;
	case SVC_EV_READY:
	case SVC_EV_EXTEND_TIMEOUT:
	case SVC_EV_WATCHDOG:
	case SVC_EV_MAIN_PID:
	case SVC_EV_RELOAD:
		break;	/* a message that came after the end: too late */
	case SVC_EV_DEPENDENCY_FAILED:
		svc->result = POLICY_RESULT_DEPENDENCY;
		svc_set_state(svc, SVC_FAILED, SVC_CAUSE_DEPENDENCY, 0);
		break;
	default:
		bug(svc, event);
	}
}

static void step_active(struct svc *svc, enum svc_event event, int arg)
{
	switch (event) {
	case SVC_EV_START:
		break;	/* already starting or running */
	case SVC_EV_STOP:
		stop_requested(svc);
		break;
	case SVC_EV_EXEC_OK:
		/* A notify service is started when it says so, not at exec. */
		if (svc->state == SVC_STARTING && svc->control_kind < 0 &&
		    svc->unit->type != UNIT_TYPE_ONESHOT &&
		    svc->unit->type != UNIT_TYPE_FORKING &&
		    !svc_waits_for_ready(svc))
			main_started(svc, SVC_CAUSE_EXEC_OK);
		break;
	case SVC_EV_READY:
		if (svc->state == SVC_STARTING && svc->control_kind < 0 &&
		    svc_waits_for_ready(svc))
			main_started(svc, SVC_CAUSE_READY);
		else if (svc->state == SVC_RELOADING && svc->control_kind < 0)
			svc_set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOADED, 0);
		break;
	case SVC_EV_RELOAD:
		if (svc->state == SVC_RUNNING)
			reload_requested(svc);
		break;
	case SVC_EV_EXTEND_TIMEOUT:
		/* The service asks for more time than TimeoutStartSec=. */
		if (svc->state == SVC_STARTING)
			extend_timer(svc, arg);
		break;
	case SVC_EV_WATCHDOG:
		if (svc->state != SVC_RUNNING)
			break;
		log_warning(svc->name, "watchdog timeout: sending SIG%s",
			    value_signal_name(svc->unit->watchdog_signal));
		svc->result = POLICY_RESULT_WATCHDOG;
		begin_stop_with(svc, SVC_CAUSE_WATCHDOG,
				svc->unit->watchdog_signal);
		break;
	case SVC_EV_EXEC_FAILED:
		exec_failed(svc, arg);	/* the exit that follows decides */
		break;
	case SVC_EV_EXIT:
		main_exited(svc, arg);
		break;
	case SVC_EV_TIMER:
		if (svc->control_kind >= 0) {
			/* ExecStartPre= & co. or ExecReload= hang. */
			svc->ops->kill_control(svc, SIGKILL);
			svc->control_kind = -1;
		}
		if (svc->state == SVC_RELOADING) {
			set_cause_text(svc, "the reload did not finish within "
				       "TimeoutStartSec=");
			svc_set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOAD_FAILED, 0);
			break;
		}
		if (svc->state != SVC_STARTING) {
			bug(svc, event);
			break;
		}
		log_warning(svc->name, "did not start within TimeoutStartSec=");
		svc->result = POLICY_RESULT_TIMEOUT;
		if (svc->main_pid)
			begin_stop(svc, SVC_CAUSE_START_TIMEOUT);
		else
			run_ended(svc, SVC_CAUSE_START_TIMEOUT, 0);
		break;
	case SVC_EV_RESET_FAILED:
		break;
	case SVC_EV_MAIN_PID:
		svc->main_pid = arg;
		break;
	default:
		bug(svc, event);
	}
}

static void step_stopping(struct svc *svc, enum svc_event event, int arg)
{
	switch (event) {
	case SVC_EV_START:
		svc->start_pending = true;
		break;
	case SVC_EV_STOP:
		svc->start_pending = false;
		break;
	case SVC_EV_EXEC_OK:
	case SVC_EV_RESET_FAILED:
		break;
	case SVC_EV_EXEC_FAILED:
		exec_failed(svc, arg);
		break;
	case SVC_EV_EXIT:
		stopped(svc, arg);
		break;
	case SVC_EV_TIMER:
		stop_timer_fired(svc);
		break;
	case SVC_EV_EXTEND_TIMEOUT:
		if (!svc->sigkill_sent)
			extend_timer(svc, arg);
		break;
	case SVC_EV_READY:
	case SVC_EV_WATCHDOG:
	case SVC_EV_MAIN_PID:
	case SVC_EV_RELOAD:
		break;	/* too late for any of them */
	default:
		bug(svc, event);
	}
}

static void step_auto_restart(struct svc *svc, enum svc_event event)
{
	switch (event) {
	case SVC_EV_START:
		start_requested(svc);
		break;
	case SVC_EV_STOP:
		svc_set_state(svc, SVC_INACTIVE, SVC_CAUSE_STOP_REQUEST, 0);
		break;
	case SVC_EV_TIMER:
		svc->n_restarts++;
		start_attempt(svc, SVC_CAUSE_RESTART);
		break;
	case SVC_EV_DEPENDENCY_FAILED:
		svc->result = POLICY_RESULT_DEPENDENCY;
		svc_set_state(svc, SVC_FAILED, SVC_CAUSE_DEPENDENCY, 0);
		break;
	case SVC_EV_RESET_FAILED:
	case SVC_EV_READY:
	case SVC_EV_EXTEND_TIMEOUT:
	case SVC_EV_WATCHDOG:
	case SVC_EV_MAIN_PID:
	case SVC_EV_RELOAD:
		break;
	default:
		bug(svc, event);
	}
}

void svc_step(struct svc *svc, enum svc_event event, int arg)
{
	/* Control processes are followed in every state: the phase that
	 * ran one decides what its end means. */
	if (event == SVC_EV_CONTROL_EXEC_FAILED) {
		svc->control_exec_errno = arg;
		return;
	}
	if (event == SVC_EV_CONTROL_EXIT) {
		log_debug(svc->name, "control process ended (%d) in state %s",
			  arg, svc_state_name(svc->state));
		if (svc->unit)
			control_exited(svc, arg);
		else
			forget_control(svc);
		return;
	}
	if (!svc->unit) {
		/* A unit that failed to load only ever sits in inactive. */
		if (event != SVC_EV_START && event != SVC_EV_STOP &&
		    event != SVC_EV_RESET_FAILED)
			bug(svc, event);
		return;
	}
	log_debug(svc->name, "event %s (%d) in state %s", svc_event_name(event),
		  arg, svc_state_name(svc->state));
	switch (svc->state) {
	case SVC_INACTIVE:
	case SVC_EXITED:
	case SVC_FAILED:
		step_stopped(svc, event);
		break;
	case SVC_STARTING:
	case SVC_RUNNING:
	case SVC_RELOADING:
		step_active(svc, event, arg);
		break;
	case SVC_STOPPING:
		step_stopping(svc, event, arg);
		break;
	case SVC_AUTO_RESTART:
		step_auto_restart(svc, event);
		break;
	default:
		bug(svc, event);
	}
}

static const char *describe_cause(const struct svc *svc, char *buf,
				  unsigned size);

/* A cause may quote a whole command line: one too long for buf ends in
 * "...", never silently. */
const char *svc_describe_cause(const struct svc *svc, char *buf, unsigned size)
{
	describe_cause(svc, buf, size);
	if (size > 4 && strlen(buf) == size - 1)
		memcpy(buf + size - 4, "...", 4);
	return buf;
}

static const char *describe_cause(const struct svc *svc, char *buf,
				  unsigned size)
{
	char errbuf[160];
	int detail = svc->cause_detail;

	switch (svc->cause) {
	case SVC_CAUSE_EXEC_FAILED:
		snprintf(buf, size, "%s failed: %s", spawn_step_name(svc->exec_step),
			 log_errno_text(detail, errbuf, sizeof(errbuf)));
		break;
	case SVC_CAUSE_SPAWN_FAILED:
		if (svc->cause_text)
			snprintf(buf, size, "could not spawn: %s", svc->cause_text);
		else
			snprintf(buf, size, "could not spawn: %s",
				 log_errno_text(detail, errbuf, sizeof(errbuf)));
		break;
	case SVC_CAUSE_EXITED:
		snprintf(buf, size, "exited with status %d", detail);
		break;
	case SVC_CAUSE_KILLED:
		snprintf(buf, size, "killed by signal %d (SIG%s)", detail,
			 value_signal_name(detail) ? value_signal_name(detail) : "?");
		break;
	case SVC_CAUSE_START_LIMIT:
		snprintf(buf, size, "start limit hit: more than %d starts within "
			 "StartLimitIntervalSec=", detail);
		break;
	case SVC_CAUSE_STOP_TIMEOUT:
		snprintf(buf, size, "did not stop within TimeoutStopSec=, killed "
			 "with SIGKILL");
		break;
	case SVC_CAUSE_UNKILLABLE:
		snprintf(buf, size, "survived SIGKILL; given up on");
		break;
	case SVC_CAUSE_START_TIMEOUT:
		snprintf(buf, size, "did not start within TimeoutStartSec=%s",
			 svc_waits_for_ready(svc) ? " (no READY=1)" : "");
		break;
	case SVC_CAUSE_START_REQUEST:
		snprintf(buf, size, "start requested");
		break;
	case SVC_CAUSE_STOP_REQUEST:
		snprintf(buf, size, "stop requested");
		break;
	case SVC_CAUSE_EXEC_OK:
		snprintf(buf, size, "started (exec succeeded)");
		break;
	case SVC_CAUSE_RESTART:
		snprintf(buf, size, "restarted by Restart=");
		break;
	case SVC_CAUSE_RESET:
		snprintf(buf, size, "failure reset");
		break;
	case SVC_CAUSE_READY:
		snprintf(buf, size, "ready (READY=1)");
		break;
	case SVC_CAUSE_DEPENDENCY:
		snprintf(buf, size, "not started: %s",
			 svc->cause_text ? svc->cause_text : "a dependency failed");
		break;
	case SVC_CAUSE_CONDITION:
		snprintf(buf, size, "start condition failed: %s",
			 svc->cause_text ? svc->cause_text : "?");
		break;
	case SVC_CAUSE_CONTROL_FAILED:
		snprintf(buf, size, "%s", svc->cause_text ? svc->cause_text :
			 "a control command failed");
		break;
	case SVC_CAUSE_RELOAD:
		snprintf(buf, size, "reload requested");
		break;
	case SVC_CAUSE_RELOADED:
		snprintf(buf, size, "reloaded");
		break;
	case SVC_CAUSE_NO_MAIN_PID:
		snprintf(buf, size, "no main process: %s", svc->cause_text ?
			 svc->cause_text : "?");
		break;
	case SVC_CAUSE_RELOAD_FAILED:
		snprintf(buf, size, "reload failed: %s", svc->cause_text ?
			 svc->cause_text : "?");
		break;
	case SVC_CAUSE_ASSERT:
		snprintf(buf, size, "assertion failed: %s",
			 svc->cause_text ? svc->cause_text : "?");
		break;
	case SVC_CAUSE_WATCHDOG:
		snprintf(buf, size, "watchdog timeout: no keep-alive within "
			 "WatchdogSec=, killed with SIG%s",
			 value_signal_name(svc->unit->watchdog_signal));
		break;
	default:
		snprintf(buf, size, "%s", svc_cause_name(svc->cause));
	}
	return buf;
}

const char *svc_active_state(const struct svc *svc)
{
	switch (svc->state) {
	case SVC_STARTING:
	case SVC_AUTO_RESTART:
		return "activating";
	case SVC_RUNNING:
	case SVC_EXITED:
		return "active";
	case SVC_STOPPING:
		return "deactivating";
	case SVC_RELOADING:
		return "reloading";
	case SVC_FAILED:
		return "failed";
	default:
		return "inactive";
	}
}

const char *svc_sub_state(const struct svc *svc)
{
	switch (svc->state) {
	case SVC_INACTIVE:
		return "dead";
	case SVC_STARTING:
		return "start";
	case SVC_STOPPING:
		return svc->control_kind == UNIT_EXEC_STOP ? "stop" :
		       svc->control_kind == UNIT_EXEC_STOP_POST ? "stop-post" :
		       svc->sigkill_sent ? "stop-sigkill" : "stop-sigterm";
	case SVC_RELOADING:
		return "reload";
	default:
		return svc_state_name(svc->state);
	}
}

bool svc_is_active(const struct svc *svc)
{
	return svc->state == SVC_RUNNING || svc->state == SVC_EXITED ||
	       svc->state == SVC_STOPPING || svc->state == SVC_RELOADING;
}

bool svc_is_busy(const struct svc *svc)
{
	return svc->main_pid != 0 || svc->control_pid != 0 ||
	       svc->state == SVC_STARTING || svc->state == SVC_STOPPING ||
	       svc->state == SVC_AUTO_RESTART || svc->state == SVC_RELOADING;
}

bool svc_is_starting(const struct svc *svc)
{
	return svc->state == SVC_STARTING;
}

bool svc_is_stopping(const struct svc *svc)
{
	return svc->state == SVC_STOPPING;
}

bool svc_is_running(const struct svc *svc)
{
	return svc->state == SVC_RUNNING;
}

bool svc_is_reloading(const struct svc *svc)
{
	return svc->state == SVC_RELOADING;
}

bool svc_is_failed(const struct svc *svc)
{
	return svc->state == SVC_FAILED;
}

bool svc_state_is_up(enum svc_state state)
{
	return state == SVC_RUNNING || state == SVC_EXITED ||
	       state == SVC_STARTING || state == SVC_RELOADING;
}

bool svc_is_up(const struct svc *svc)
{
	return svc_state_is_up(svc->state);
}

bool svc_state_is_down(enum svc_state state)
{
	return state == SVC_INACTIVE || state == SVC_FAILED ||
	       state == SVC_AUTO_RESTART;
}

bool svc_has_ended(const struct svc *svc)
{
	return svc->state == SVC_INACTIVE || svc->state == SVC_FAILED ||
	       svc->state == SVC_EXITED;
}
