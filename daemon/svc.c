/* svc: the state machine. Its table, step_table at the end of this file,
 * names an action for every event in every state; the actions above it
 * are small and named for what they do. */
#include "svc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"
#include "spawn.h"

int svc_init(struct svc *svc, const char *name, struct unit *unit,
	     const struct svc_ops *ops, void *owner)
{
	*svc = (struct svc){ .ops = ops, .owner = owner, .unit = unit };
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

void svc_replace_unit(struct svc *svc, struct unit *unit)
{
	unit_free(svc->unit);
	svc->unit = unit;
}

static void set_cause_text(struct svc *svc, const char *why)
{
	free(svc->cause_text);
	svc->cause_text = why ? strdup(why) : NULL;
}

/* The failure of a control command becomes the cause's text. */
static void take_cause_text(struct svc *svc, char *text)
{
	free(svc->cause_text);
	svc->cause_text = text;
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

void svc_set_status_errno(struct svc *svc, int value)
{
	svc->status_errno = value;
}

void svc_fail_dependency(struct svc *svc, const char *why)
{
	set_cause_text(svc, why);
	svc_step(svc, SVC_EV_DEPENDENCY_FAILED, 0);
}

/* --- the clock --- */

static double usec_to_sec(uint64_t usec)
{
	return (double)usec / 1e6;
}

static void arm_timer(struct svc *svc, uint64_t usec)
{
	double seconds = usec_to_sec(usec);

	if (usec == USEC_INFINITY)
		return;
	svc->timer_deadline = svc->ops->now(svc) + seconds;
	svc->ops->timer_arm(svc, seconds);
}

/* The timer each state runs while it lasts (USEC_INFINITY: none). */
static uint64_t state_timeout_usec(const struct svc *svc, enum svc_state state)
{
	const struct unit *unit = svc->unit;

	switch (state) {
	case SVC_CONDITION:
	case SVC_START_PRE:
	case SVC_START:
	case SVC_START_POST:
	case SVC_RELOAD:
		return unit->timeout_start_usec;
	case SVC_STOP:
	case SVC_STOP_SIGTERM:
	case SVC_STOP_SIGKILL:
	case SVC_STOP_POST:
	case SVC_FINAL_SIGTERM:
	case SVC_FINAL_SIGKILL:
		return unit->timeout_stop_usec;
	case SVC_AUTO_RESTART:
		return unit->restart_usec;
	case SVC_INACTIVE:
	case SVC_RUNNING:
	case SVC_EXITED:
	case SVC_FAILED:
	case SVC_STATE_COUNT:
		break;
	}
	return USEC_INFINITY;
}

/* EXTEND_TIMEOUT_USEC=: the deadline moves to now + ms if that is later,
 * as in systemd; it never comes sooner, and no timeout stays none. */
static void extend_timer(struct svc *svc, int ms)
{
	double now = svc->ops->now(svc), later = now + ms / 1000.;

	if (ms <= 0 || svc->timer_deadline == 0 || later <= svc->timer_deadline)
		return;
	svc->timer_deadline = later;
	svc->ops->timer_arm(svc, later - now);
}

/* The one writer of svc->state: records why and when, logs, arms or
 * cancels the timer that belongs to the new state, and tells the owner
 * (which only records it: reactions run after the step). */
static void set_state(struct svc *svc, enum svc_state state,
		      enum svc_cause cause, int detail)
{
	enum svc_state old = svc->state;
	char buf[1024];

	if (svc_is_starting(svc) && (state == SVC_RUNNING || state == SVC_EXITED))
		svc->n_started++;
	svc->state = state;
	svc->cause = cause;
	svc->cause_detail = detail;
	svc->state_since = svc->ops->now(svc);
	svc->state_since_wall = svc->ops->wall_now(svc);
	svc->ops->timer_stop(svc);
	svc->timer_deadline = 0;
	arm_timer(svc, state_timeout_usec(svc, state));
	log_msg(state == SVC_FAILED && old != state && !svc->quiet ?
		LOG_LEVEL_WARNING : LOG_LEVEL_DEBUG,
		svc->name, "%s -> %s: %s", svc_state_name(old),
		svc_state_name(state), svc_describe_cause(svc, buf, sizeof(buf)));
	svc->ops->state_changed(svc, old);
}

/* --- processes --- */

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

/* A control process whose phase is left: killed, and no longer ours
 * (the reaper collects it as an orphan). */
static void abandon_control(struct svc *svc)
{
	if (!svc->control_pid)
		return;
	svc->ops->kill_control(svc, SIGKILL);
	forget_control(svc);
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

static const struct exec_cmd *current_cmd(const struct svc *svc)
{
	return &svc->unit->exec_start[svc->exec_index];
}

/* The control commands each phase runs. */
static enum unit_exec phase_commands(enum svc_state state)
{
	switch (state) {
	case SVC_CONDITION:
		return UNIT_EXEC_CONDITION;
	case SVC_START_PRE:
		return UNIT_EXEC_START_PRE;
	case SVC_START_POST:
		return UNIT_EXEC_START_POST;
	case SVC_RELOAD:
		return UNIT_EXEC_RELOAD;
	case SVC_STOP:
		return UNIT_EXEC_STOP;
	default:
		return UNIT_EXEC_STOP_POST;
	}
}

/* The command of a control process, or NULL when a daemon-reload took
 * it away meanwhile. */
static const struct exec_cmd *control_cmd(const struct svc *svc,
					  enum unit_exec kind, size_t index)
{
	return index < svc->unit->n_exec[kind] ? &svc->unit->exec[kind][index] :
	       NULL;
}

/* "ExecStartPre=/bin/check --x: exited with status 3"; NULL on ENOMEM. */
static char *describe_control(const struct svc *svc, enum unit_exec kind,
			      size_t index, int wstatus, int err)
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

/* --- how a run ends --- */

/* The first failure of a run is its result, as in systemd: what comes
 * after it (a SIGKILL, an ExecStopPost= failure) does not change it.
 * While the run is clean, the latest end (an exit, a stop) is kept. */
static void set_end(struct svc *svc, enum policy_result result,
		    enum svc_cause cause, int detail)
{
	if (svc->result != POLICY_RESULT_SUCCESS)
		return;
	svc->result = result;
	svc->end_cause = cause;
	svc->end_detail = detail;
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

static bool restart_wanted(const struct svc *svc)
{
	return !svc->restart_forbidden &&
	       policy_should_restart(svc->unit, svc->result, svc->last_wstatus);
}

/* ExecStopPost= is done (or there is none): the run's end is taken. */
static void enter_dead(struct svc *svc)
{
	enum svc_state state = restart_wanted(svc) ? SVC_AUTO_RESTART :
			       svc->result != POLICY_RESULT_SUCCESS ? SVC_FAILED :
			       SVC_INACTIVE;

	/* Leftovers were signalled: the group of this run is history, and
	 * its number may be reused by others. */
	if (!svc->main_pid)
		svc->pgid = 0;
	set_state(svc, state, svc->end_cause, svc->end_detail);
}

static void run_control(struct svc *svc, enum svc_state phase, size_t index,
			enum svc_cause cause);

/* The service is down, whatever ended it: ExecStopPost= runs first. */
static void enter_stop_post(struct svc *svc)
{
	run_control(svc, SVC_STOP_POST, 0, svc->end_cause);
}

/* The run ended by itself: RemainAfterExit= keeps a clean end active;
 * anything else goes down through ExecStopPost=. */
static void run_ended(struct svc *svc)
{
	if (!restart_wanted(svc) && svc->result == POLICY_RESULT_SUCCESS &&
	    svc->unit->remain_after_exit) {
		set_state(svc, SVC_EXITED, svc->end_cause, svc->end_detail);
		return;
	}
	enter_stop_post(svc);
}

/* Stop signal to the main process, then wait in state (stop-sigterm);
 * KillMode=none leaves the processes to themselves and the service down
 * (the reaper still collects them). */
static void enter_signal(struct svc *svc, enum svc_cause cause, int signo)
{
	if (svc->unit->kill_mode == UNIT_KILL_NONE) {
		forget_main(svc);
		enter_stop_post(svc);
		return;
	}
	send_stop_signal(svc, signo);
	set_state(svc, SVC_STOP_SIGTERM, cause, 0);
}

/* --- the start sequence: condition, start-pre, start, start-post --- */

static void enter_start(struct svc *svc, enum svc_cause cause);
static void enter_start_post(struct svc *svc, enum svc_cause cause);

/* What follows the last command of a phase. */
static void phase_done(struct svc *svc, enum svc_state phase,
		       enum svc_cause cause)
{
	switch (phase) {
	case SVC_CONDITION:
		run_control(svc, SVC_START_PRE, 0, cause);
		break;
	case SVC_START_PRE:
		enter_start(svc, cause);
		break;
	case SVC_START_POST:
		if (svc->main_pid) {
			set_state(svc, SVC_RUNNING, svc_waits_for_ready(svc) ?
				  SVC_CAUSE_READY : SVC_CAUSE_EXEC_OK, 0);
			break;
		}
		run_ended(svc);	/* a oneshot: its commands are done */
		break;
	case SVC_RELOAD:
		set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOADED, 0);
		break;
	case SVC_STOP:
		/* The main process may have gone during ExecStop= (often its
		 * doing); if not, it gets the stop signal now. */
		if (svc->main_pid) {
			enter_signal(svc, SVC_CAUSE_STOP_REQUEST,
				     svc->unit->kill_signal);
			break;
		}
		signal_leftovers(svc);
		enter_stop_post(svc);
		break;
	default:	/* stop-post, final-sigterm, final-sigkill */
		enter_dead(svc);
		break;
	}
}

/* A control command of phase failed (ExecStop=/ExecStopPost= failures
 * are only logged and never come here). */
static void phase_failed(struct svc *svc, enum svc_state phase)
{
	if (phase == SVC_RELOAD) {
		set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOAD_FAILED, 0);
		return;
	}
	set_end(svc, POLICY_RESULT_EXIT_CODE, SVC_CAUSE_CONTROL_FAILED, 0);
	/* ExecStartPost= failed while the main process runs: it stops. */
	if (phase == SVC_START_POST && svc->main_pid) {
		enter_signal(svc, SVC_CAUSE_CONTROL_FAILED, svc->unit->kill_signal);
		return;
	}
	enter_stop_post(svc);
}

/* Runs the commands of phase from index on, one at a time, as the
 * control process; when none is left, what follows them. */
static void run_control(struct svc *svc, enum svc_state phase, size_t index,
			enum svc_cause cause)
{
	enum unit_exec kind = phase_commands(phase);
	char why[600];
	pid_t pid;

	if (index >= svc->unit->n_exec[kind]) {
		phase_done(svc, phase, cause);
		return;
	}
	svc->control_index = index;
	svc->control_exec_errno = 0;
	pid = svc->ops->spawn(svc, &svc->unit->exec[kind][index], true, why,
			      sizeof(why));
	if (pid < 0) {
		char *text = describe_control(svc, kind, index, 0, errno);

		log_warning(svc->name, "%s", text ? text : unit_exec_name(kind));
		if (kind == UNIT_EXEC_STOP || kind == UNIT_EXEC_STOP_POST) {
			free(text);
			run_control(svc, phase, index + 1, cause);
			return;
		}
		take_cause_text(svc, text);
		phase_failed(svc, phase);
		return;
	}
	svc->control_pid = pid;
	if (svc->state != phase)
		set_state(svc, phase, cause, 0);
}

/* Forks the current ExecStart=: start, or a retry/failure if the fork
 * (or a setting before it) failed. */
static void spawn_main(struct svc *svc, enum svc_cause cause)
{
	char why[600];
	pid_t pid;

	svc->exec_errno = 0;
	svc->exec_step = 0;
	svc->has_exited = false;
	set_cause_text(svc, NULL);
	pid = svc->ops->spawn(svc, current_cmd(svc), false, why, sizeof(why));
	if (pid > 0) {
		svc->main_pid = svc->pgid = pid;
		if (svc->state != SVC_START)
			set_state(svc, SVC_START, cause, 0);
		return;
	}
	if (*why)
		set_cause_text(svc, why);
	svc->result = POLICY_RESULT_RESOURCES;
	/* Out of processes or memory may pass: retry like a crash would;
	 * a setting that cannot be applied will not. */
	set_state(svc, spawn_errno_is_transient(errno) ? SVC_AUTO_RESTART :
		  SVC_FAILED, SVC_CAUSE_SPAWN_FAILED, errno);
}

static void enter_start(struct svc *svc, enum svc_cause cause)
{
	svc->exec_index = 0;
	if (svc->unit->n_exec_start == 0) {
		/* A oneshot with only ExecStartPre=/ExecStop=... */
		enter_start_post(svc, cause);
		return;
	}
	spawn_main(svc, cause);
}

/* The main process is started (exec'd, READY=1, the forking parent
 * gone, a oneshot done): ExecStartPost= comes before running. */
static void enter_start_post(struct svc *svc, enum svc_cause cause)
{
	run_control(svc, SVC_START_POST, 0, cause);
}

/* A start, by request or by Restart=: conditions, the start limit, then
 * the commands. */
static void start_attempt(struct svc *svc, enum svc_cause cause)
{
	const struct unit *unit = svc->unit;
	char why[300];

	svc->result = POLICY_RESULT_SUCCESS;
	svc->end_cause = SVC_CAUSE_EXITED;
	svc->end_detail = 0;
	svc->restart_forbidden = false;
	/* What the last run said about itself is stale now. */
	svc_set_status_text(svc, NULL);
	svc->status_errno = 0;
	/* Before the start limit, as systemd: a skipped start is no start. */
	switch (svc->ops->check_conditions(svc, why, sizeof(why))) {
	case CONDITION_PASS:
		break;
	case CONDITION_SKIP:
		set_cause_text(svc, why);
		set_state(svc, SVC_INACTIVE, SVC_CAUSE_CONDITION, 0);
		return;
	case CONDITION_FAIL:
		set_cause_text(svc, why);
		svc->result = POLICY_RESULT_ASSERT;
		set_state(svc, SVC_FAILED, SVC_CAUSE_ASSERT, 0);
		return;
	}
	if (!start_limit_allow(&svc->start_limit, unit->start_limit_burst,
			       usec_to_sec(unit->start_limit_interval_usec),
			       svc->ops->now(svc))) {
		svc->result = POLICY_RESULT_START_LIMIT_HIT;
		set_state(svc, SVC_FAILED, SVC_CAUSE_START_LIMIT,
			  (int)unit->start_limit_burst);
		return;
	}
	run_control(svc, SVC_CONDITION, 0, cause);
}

/* --- the actions of the table, one per kind of cell --- */

typedef void svc_action(struct svc *svc, int arg);

/* A message that came too late or twice, or a request already met. */
static void ignore(struct svc *svc, int arg)
{
}

/* A pair that cannot happen: said loudly, never fatal (svd may be PID 1). */
static void bug(struct svc *svc, int arg)
{
	log_error(svc->name, "BUG: an event (%d) in state %s that cannot "
		  "happen; ignored", arg, svc_state_name(svc->state));
}

/* A start request from outside: a fresh chance, start limit included. */
static void start_requested(struct svc *svc, int arg)
{
	start_limit_reset(&svc->start_limit);
	svc->n_restarts = 0;
	start_attempt(svc, SVC_CAUSE_START_REQUEST);
}

static void restart_now(struct svc *svc, int arg)
{
	svc->n_restarts++;
	start_attempt(svc, SVC_CAUSE_RESTART);
}

static void dependency_failed(struct svc *svc, int arg)
{
	svc->result = POLICY_RESULT_DEPENDENCY;
	set_state(svc, SVC_FAILED, SVC_CAUSE_DEPENDENCY, 0);
}

static void reset_failed(struct svc *svc, int arg)
{
	start_limit_reset(&svc->start_limit);
	if (svc->state == SVC_FAILED)
		set_state(svc, SVC_INACTIVE, SVC_CAUSE_RESET, 0);
}

static void exec_failed(struct svc *svc, int failure)
{
	/* The exit that follows decides what it means. */
	svc->exec_step = failure >> 16;
	svc->exec_errno = failure & 0xffff;
}

static void control_exec_failed(struct svc *svc, int err)
{
	svc->control_exec_errno = err;
}

static void extend_timeout(struct svc *svc, int ms)
{
	extend_timer(svc, ms);
}

static void take_main_pid(struct svc *svc, int pid)
{
	svc->main_pid = pid;
}

/* exec succeeded: a simple or exec service is started; others wait for
 * READY=1, the forking parent's exit, or the oneshot's end. */
static void exec_ok(struct svc *svc, int arg)
{
	enum unit_type type = svc->unit->type;

	if (type != UNIT_TYPE_ONESHOT && type != UNIT_TYPE_FORKING &&
	    !svc_waits_for_ready(svc))
		enter_start_post(svc, SVC_CAUSE_EXEC_OK);
}

static void ready_while_starting(struct svc *svc, int arg)
{
	if (svc_waits_for_ready(svc))
		enter_start_post(svc, SVC_CAUSE_READY);
}

/* Type=notify-reload says READY=1 when a reload is done; a READY=1 while
 * ExecReload= runs is not about the reload. */
static void ready_while_reloading(struct svc *svc, int arg)
{
	if (!svc->control_pid)
		set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOADED, 0);
}

static void record_exit(struct svc *svc, int wstatus)
{
	svc->last_wstatus = wstatus;
	svc->has_exited = true;
	forget_main(svc);
}

/* Type=forking: the parent's clean exit is the start; the daemon it
 * left is the main process from now on. */
static bool forking_parent_exited(struct svc *svc, int wstatus)
{
	char why[300];
	pid_t pid;

	if (svc->unit->type != UNIT_TYPE_FORKING || svc->state != SVC_START ||
	    svc->exec_errno || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
		return false;
	pid = svc->ops->find_main(svc, why, sizeof(why));
	if (pid > 0) {
		svc->main_pid = pid;
		enter_start_post(svc, SVC_CAUSE_EXEC_OK);
		return true;
	}
	set_cause_text(svc, why);
	log_warning(svc->name, "no main process: %s", why);
	signal_leftovers(svc);
	set_end(svc, POLICY_RESULT_PROTOCOL, SVC_CAUSE_NO_MAIN_PID, 0);
	run_ended(svc);
	return true;
}

/* How the main process's exit judges the run. */
static enum policy_result judge_exit(const struct svc *svc, int wstatus)
{
	enum policy_result result = policy_classify_exit(svc->unit, wstatus);

	if (result == POLICY_RESULT_SUCCESS && svc->exec_errno)
		return POLICY_RESULT_EXIT_CODE;
	/* Gone before it said READY=1: it never started, as systemd says. */
	if (result == POLICY_RESULT_SUCCESS && svc->state == SVC_START &&
	    svc_waits_for_ready(svc))
		return POLICY_RESULT_PROTOCOL;
	if (result != POLICY_RESULT_SUCCESS && !svc->exec_errno &&
	    (current_cmd(svc)->flags & EXEC_FLAG_IGNORE_FAILURE))
		return POLICY_RESULT_SUCCESS;
	return result;
}

/* The main process ended while starting or up. */
static void main_exited(struct svc *svc, int wstatus)
{
	enum policy_result result;
	enum svc_cause cause;
	int detail;

	record_exit(svc, wstatus);
	if (forking_parent_exited(svc, wstatus))
		return;
	/* An ExecStartPost= or ExecReload= still running has lost its
	 * purpose. */
	abandon_control(svc);
	/* RemainAfterExit= keeps what the service started running. */
	if (!svc->unit->remain_after_exit)
		signal_leftovers(svc);
	result = judge_exit(svc, wstatus);
	exit_cause(svc, wstatus, &cause, &detail);
	set_end(svc, result, cause, detail);
	if (svc->state == SVC_START && svc->unit->type == UNIT_TYPE_ONESHOT &&
	    result == POLICY_RESULT_SUCCESS) {
		/* The next of a oneshot's commands, or ExecStartPost=. */
		if (svc->exec_index + 1 < svc->unit->n_exec_start) {
			svc->exec_index++;
			spawn_main(svc, cause);
		} else {
			enter_start_post(svc, cause);
		}
		return;
	}
	run_ended(svc);
}

/* The main process ended during ExecStop=: the stop goes on when
 * ExecStop= is done, as systemd waits for it. */
static void main_exited_in_stop(struct svc *svc, int wstatus)
{
	record_exit(svc, wstatus);
}

/* The main process answered the stop signal (or SIGKILL). */
static void main_stopped(struct svc *svc, int wstatus)
{
	enum policy_result result;
	enum svc_cause cause;
	int detail;

	record_exit(svc, wstatus);
	if (svc->state == SVC_STOP_SIGKILL) {
		set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_STOP_TIMEOUT, SIGKILL);
	} else {
		/* Dying of the stop signal is clean; a failure exit on the
		 * way down is still a failure. */
		result = policy_classify_exit(svc->unit, wstatus);
		exit_cause(svc, wstatus, &cause, &detail);
		if (result != POLICY_RESULT_SUCCESS &&
		    !(current_cmd(svc)->flags & EXEC_FLAG_IGNORE_FAILURE))
			set_end(svc, result, cause, detail);
	}
	enter_stop_post(svc);
}

/* The control process of the current phase ended: the next command,
 * what follows the phase, or its failure. */
static void control_exited(struct svc *svc, int wstatus)
{
	enum svc_state phase = svc->state;
	enum unit_exec kind = phase_commands(phase);
	size_t index = svc->control_index;
	int err = svc->control_exec_errno;
	bool ok = !err && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
	const struct exec_cmd *cmd = control_cmd(svc, kind, index);
	char *text;

	forget_control(svc);
	if (phase == SVC_FINAL_SIGTERM || phase == SVC_FINAL_SIGKILL) {
		enter_dead(svc);
		return;
	}
	if (ok) {
		run_control(svc, phase, index + 1, svc->cause);
		return;
	}
	text = describe_control(svc, kind, index, wstatus, err);
	/* ExecCondition= exiting 1-254 says "do not start", not "failed". */
	if (phase == SVC_CONDITION && !err && WIFEXITED(wstatus) &&
	    WEXITSTATUS(wstatus) < 255) {
		take_cause_text(svc, text);
		svc->restart_forbidden = true;
		svc->end_cause = SVC_CAUSE_CONDITION;
		enter_stop_post(svc);
		return;
	}
	if (!cmd || (cmd->flags & EXEC_FLAG_IGNORE_FAILURE) ||
	    kind == UNIT_EXEC_STOP || kind == UNIT_EXEC_STOP_POST) {
		log_warning(svc->name, "%s (ignored)", text ? text :
			    unit_exec_name(kind));
		free(text);
		run_control(svc, phase, index + 1, svc->cause);
		return;
	}
	log_warning(svc->name, "%s", text ? text : unit_exec_name(kind));
	take_cause_text(svc, text);
	/* Restart= and RestartPreventExitStatus= judge this exit. */
	svc->last_wstatus = wstatus;
	phase_failed(svc, phase);
}

/* A stop asked for, while starting or up: no restart follows. ExecStop=
 * is for a service that runs; one still starting gets the signal, as
 * systemd does; one with no process left goes down through
 * ExecStopPost=. */
static void stop_requested(struct svc *svc, int arg)
{
	svc->restart_forbidden = true;
	set_end(svc, POLICY_RESULT_SUCCESS, SVC_CAUSE_STOP_REQUEST, 0);
	abandon_control(svc);
	if ((svc->state == SVC_RUNNING || svc->state == SVC_RELOAD ||
	     svc->state == SVC_EXITED) && svc->unit->n_exec[UNIT_EXEC_STOP]) {
		run_control(svc, SVC_STOP, 0, SVC_CAUSE_STOP_REQUEST);
		return;
	}
	if (svc->main_pid) {
		enter_signal(svc, SVC_CAUSE_STOP_REQUEST, svc->unit->kill_signal);
		return;
	}
	if (svc->state == SVC_EXITED)
		signal_leftovers(svc);
	enter_stop_post(svc);
}

/* Asked again while stopping: whatever started the stop, no restart. */
static void stop_again(struct svc *svc, int arg)
{
	svc->restart_forbidden = true;
}

static void stop_waiting_restart(struct svc *svc, int arg)
{
	set_state(svc, SVC_INACTIVE, SVC_CAUSE_STOP_REQUEST, 0);
}

/* svctl reload: ExecReload=, or SIGHUP to the main process. */
static void reload_requested(struct svc *svc, int arg)
{
	if (svc->unit->n_exec[UNIT_EXEC_RELOAD]) {
		run_control(svc, SVC_RELOAD, 0, SVC_CAUSE_RELOAD);
		return;
	}
	svc->ops->kill(svc, SIGHUP, false);
	/* Type=notify-reload says READY=1 again when it is done. */
	if (svc->unit->type == UNIT_TYPE_NOTIFY_RELOAD) {
		set_state(svc, SVC_RELOAD, SVC_CAUSE_RELOAD, 0);
		return;
	}
	set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOADED, 0);
}

static void watchdog_expired(struct svc *svc, int arg)
{
	log_warning(svc->name, "watchdog timeout: sending SIG%s",
		    value_signal_name(svc->unit->watchdog_signal));
	set_end(svc, POLICY_RESULT_WATCHDOG, SVC_CAUSE_WATCHDOG, 0);
	enter_signal(svc, SVC_CAUSE_WATCHDOG, svc->unit->watchdog_signal);
}

/* TimeoutStartSec= ran out in a start phase. */
static void start_timed_out(struct svc *svc, int arg)
{
	log_warning(svc->name, "did not start within TimeoutStartSec=");
	abandon_control(svc);
	set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_START_TIMEOUT, 0);
	if (svc->main_pid)
		enter_signal(svc, SVC_CAUSE_START_TIMEOUT, svc->unit->kill_signal);
	else
		run_ended(svc);
}

static void reload_timed_out(struct svc *svc, int arg)
{
	abandon_control(svc);
	set_cause_text(svc, "the reload did not finish within TimeoutStartSec=");
	set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOAD_FAILED, 0);
}

/* An ExecStop= that hangs is killed, and the stop goes on without it. */
static void stop_command_timed_out(struct svc *svc, int arg)
{
	log_warning(svc->name, "ExecStop= did not finish within "
		    "TimeoutStopSec=, killed");
	abandon_control(svc);
	phase_done(svc, SVC_STOP, SVC_CAUSE_STOP_REQUEST);
}

static void sigterm_timed_out(struct svc *svc, int arg)
{
	if (!svc->unit->send_sigkill) {
		/* SendSIGKILL=no: nothing more to try. */
		forget_main(svc);
		set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_UNKILLABLE, 0);
		enter_stop_post(svc);
		return;
	}
	log_warning(svc->name, "did not stop within TimeoutStopSec=, "
		    "sending SIGKILL");
	svc->ops->kill(svc, SIGKILL, svc->unit->kill_mode != UNIT_KILL_PROCESS);
	set_state(svc, SVC_STOP_SIGKILL, SVC_CAUSE_STOP_TIMEOUT, SIGKILL);
}

/* A process stuck in the kernel: given up on; the reaper will still
 * collect it whenever it dies. */
static void sigkill_timed_out(struct svc *svc, int arg)
{
	forget_main(svc);
	set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_UNKILLABLE, 0);
	svc->end_cause = SVC_CAUSE_UNKILLABLE;
	enter_stop_post(svc);
}

/* ExecStopPost= hangs: KillSignal=, then SIGKILL, then given up on, as
 * systemd's final-sigterm and final-sigkill. */
static void stop_post_timed_out(struct svc *svc, int arg)
{
	log_warning(svc->name, "ExecStopPost= did not finish within "
		    "TimeoutStopSec=, sending SIG%s",
		    value_signal_name(svc->unit->kill_signal));
	svc->ops->kill_control(svc, svc->unit->kill_signal);
	if (svc->unit->kill_signal != SIGKILL)
		svc->ops->kill_control(svc, SIGCONT);
	set_state(svc, SVC_FINAL_SIGTERM, SVC_CAUSE_STOP_POST_TIMEOUT, 0);
}

static void final_sigterm_timed_out(struct svc *svc, int arg)
{
	svc->ops->kill_control(svc, SIGKILL);
	set_state(svc, SVC_FINAL_SIGKILL, SVC_CAUSE_STOP_POST_TIMEOUT, 0);
}

static void final_sigkill_timed_out(struct svc *svc, int arg)
{
	log_warning(svc->name, "ExecStopPost= survived SIGKILL; given up on");
	forget_control(svc);
	enter_dead(svc);
}

/* --- the table: every event in every state --- */

/* The start phases with a control process (condition, start-pre,
 * start-post) differ only in what an exit of the main process means. */
#define CONTROL_START_PHASE(main_exit)					\
	{								\
		[SVC_EV_START] = ignore,				\
		[SVC_EV_STOP] = stop_requested,				\
		[SVC_EV_EXEC_OK] = ignore,				\
		[SVC_EV_EXEC_FAILED] = exec_failed,			\
		[SVC_EV_EXIT] = main_exit,				\
		[SVC_EV_TIMER] = start_timed_out,			\
		[SVC_EV_RESET_FAILED] = ignore,				\
		[SVC_EV_READY] = ignore,				\
		[SVC_EV_EXTEND_TIMEOUT] = extend_timeout,		\
		[SVC_EV_WATCHDOG] = ignore,				\
		[SVC_EV_DEPENDENCY_FAILED] = ignore,			\
		[SVC_EV_CONTROL_EXIT] = control_exited,			\
		[SVC_EV_CONTROL_EXEC_FAILED] = control_exec_failed,	\
		[SVC_EV_RELOAD] = ignore,				\
		[SVC_EV_MAIN_PID] = take_main_pid,			\
	}

/* The stop phases wait for a process and take another stop request as
 * "no restart after it". */
#define STOP_PHASE(main_exit, control_exit, timer, extend)		\
	{								\
		[SVC_EV_START] = ignore,				\
		[SVC_EV_STOP] = stop_again,				\
		[SVC_EV_EXEC_OK] = ignore,				\
		[SVC_EV_EXEC_FAILED] = exec_failed,			\
		[SVC_EV_EXIT] = main_exit,				\
		[SVC_EV_TIMER] = timer,					\
		[SVC_EV_RESET_FAILED] = ignore,				\
		[SVC_EV_READY] = ignore,				\
		[SVC_EV_EXTEND_TIMEOUT] = extend,			\
		[SVC_EV_WATCHDOG] = ignore,				\
		[SVC_EV_DEPENDENCY_FAILED] = ignore,			\
		[SVC_EV_CONTROL_EXIT] = control_exit,			\
		[SVC_EV_CONTROL_EXEC_FAILED] = control_exec_failed,	\
		[SVC_EV_RELOAD] = ignore,				\
		[SVC_EV_MAIN_PID] = ignore,				\
	}

/* Down and at rest (inactive, failed): a start starts. */
#define AT_REST								\
	{								\
		[SVC_EV_START] = start_requested,			\
		[SVC_EV_STOP] = ignore,					\
		[SVC_EV_EXEC_OK] = bug,					\
		[SVC_EV_EXEC_FAILED] = bug,				\
		[SVC_EV_EXIT] = bug,					\
		[SVC_EV_TIMER] = bug,					\
		[SVC_EV_RESET_FAILED] = reset_failed,			\
		[SVC_EV_READY] = ignore,				\
		[SVC_EV_EXTEND_TIMEOUT] = ignore,			\
		[SVC_EV_WATCHDOG] = ignore,				\
		[SVC_EV_DEPENDENCY_FAILED] = dependency_failed,		\
		[SVC_EV_CONTROL_EXIT] = bug,				\
		[SVC_EV_CONTROL_EXEC_FAILED] = bug,			\
		[SVC_EV_RELOAD] = ignore,				\
		[SVC_EV_MAIN_PID] = ignore,				\
	}

static svc_action *const step_table[SVC_STATE_COUNT][SVC_EVENT_COUNT] = {
	[SVC_INACTIVE] = AT_REST,
	[SVC_FAILED] = AT_REST,
	[SVC_CONDITION] = CONTROL_START_PHASE(bug),
	[SVC_START_PRE] = CONTROL_START_PHASE(bug),
	[SVC_START_POST] = CONTROL_START_PHASE(main_exited),
	[SVC_START] = {
		[SVC_EV_START] = ignore,
		[SVC_EV_STOP] = stop_requested,
		[SVC_EV_EXEC_OK] = exec_ok,
		[SVC_EV_EXEC_FAILED] = exec_failed,
		[SVC_EV_EXIT] = main_exited,
		[SVC_EV_TIMER] = start_timed_out,
		[SVC_EV_RESET_FAILED] = ignore,
		[SVC_EV_READY] = ready_while_starting,
		[SVC_EV_EXTEND_TIMEOUT] = extend_timeout,
		[SVC_EV_WATCHDOG] = ignore,
		[SVC_EV_DEPENDENCY_FAILED] = ignore,
		[SVC_EV_CONTROL_EXIT] = bug,
		[SVC_EV_CONTROL_EXEC_FAILED] = bug,
		[SVC_EV_RELOAD] = ignore,
		[SVC_EV_MAIN_PID] = take_main_pid,
	},
	[SVC_RUNNING] = {
		[SVC_EV_START] = ignore,
		[SVC_EV_STOP] = stop_requested,
		[SVC_EV_EXEC_OK] = ignore,	/* after READY=1, read late */
		[SVC_EV_EXEC_FAILED] = exec_failed,
		[SVC_EV_EXIT] = main_exited,
		[SVC_EV_TIMER] = bug,
		[SVC_EV_RESET_FAILED] = ignore,
		[SVC_EV_READY] = ignore,
		[SVC_EV_EXTEND_TIMEOUT] = ignore,
		[SVC_EV_WATCHDOG] = watchdog_expired,
		[SVC_EV_DEPENDENCY_FAILED] = ignore,
		[SVC_EV_CONTROL_EXIT] = bug,
		[SVC_EV_CONTROL_EXEC_FAILED] = bug,
		[SVC_EV_RELOAD] = reload_requested,
		[SVC_EV_MAIN_PID] = take_main_pid,
	},
	[SVC_RELOAD] = {
		[SVC_EV_START] = ignore,
		[SVC_EV_STOP] = stop_requested,
		[SVC_EV_EXEC_OK] = ignore,
		[SVC_EV_EXEC_FAILED] = exec_failed,
		[SVC_EV_EXIT] = main_exited,
		[SVC_EV_TIMER] = reload_timed_out,
		[SVC_EV_RESET_FAILED] = ignore,
		[SVC_EV_READY] = ready_while_reloading,
		[SVC_EV_EXTEND_TIMEOUT] = ignore,
		[SVC_EV_WATCHDOG] = ignore,
		[SVC_EV_DEPENDENCY_FAILED] = ignore,
		[SVC_EV_CONTROL_EXIT] = control_exited,
		[SVC_EV_CONTROL_EXEC_FAILED] = control_exec_failed,
		[SVC_EV_RELOAD] = ignore,
		[SVC_EV_MAIN_PID] = take_main_pid,
	},
	[SVC_STOP] = STOP_PHASE(main_exited_in_stop, control_exited,
				stop_command_timed_out, extend_timeout),
	[SVC_STOP_SIGTERM] = STOP_PHASE(main_stopped, bug, sigterm_timed_out,
					extend_timeout),
	[SVC_STOP_SIGKILL] = STOP_PHASE(main_stopped, bug, sigkill_timed_out,
					ignore),
	[SVC_STOP_POST] = STOP_PHASE(bug, control_exited, stop_post_timed_out,
				     extend_timeout),
	[SVC_FINAL_SIGTERM] = STOP_PHASE(bug, control_exited,
					 final_sigterm_timed_out, extend_timeout),
	[SVC_FINAL_SIGKILL] = STOP_PHASE(bug, control_exited,
					 final_sigkill_timed_out, ignore),
	[SVC_AUTO_RESTART] = {
		[SVC_EV_START] = start_requested,
		[SVC_EV_STOP] = stop_waiting_restart,
		[SVC_EV_EXEC_OK] = bug,
		[SVC_EV_EXEC_FAILED] = bug,
		[SVC_EV_EXIT] = bug,
		[SVC_EV_TIMER] = restart_now,
		[SVC_EV_RESET_FAILED] = ignore,
		[SVC_EV_READY] = ignore,
		[SVC_EV_EXTEND_TIMEOUT] = ignore,
		[SVC_EV_WATCHDOG] = ignore,
		[SVC_EV_DEPENDENCY_FAILED] = dependency_failed,
		[SVC_EV_CONTROL_EXIT] = bug,
		[SVC_EV_CONTROL_EXEC_FAILED] = bug,
		[SVC_EV_RELOAD] = ignore,
		[SVC_EV_MAIN_PID] = ignore,
	},
	[SVC_EXITED] = {
		[SVC_EV_START] = ignore,
		[SVC_EV_STOP] = stop_requested,
		[SVC_EV_EXEC_OK] = bug,
		[SVC_EV_EXEC_FAILED] = bug,
		[SVC_EV_EXIT] = bug,
		[SVC_EV_TIMER] = bug,
		[SVC_EV_RESET_FAILED] = reset_failed,
		[SVC_EV_READY] = ignore,
		[SVC_EV_EXTEND_TIMEOUT] = ignore,
		[SVC_EV_WATCHDOG] = ignore,
		[SVC_EV_DEPENDENCY_FAILED] = ignore,
		[SVC_EV_CONTROL_EXIT] = bug,
		[SVC_EV_CONTROL_EXEC_FAILED] = bug,
		[SVC_EV_RELOAD] = ignore,
		[SVC_EV_MAIN_PID] = ignore,
	},
};

bool svc_step_decided(enum svc_state state, enum svc_event event)
{
	return state < SVC_STATE_COUNT && event < SVC_EVENT_COUNT &&
	       step_table[state][event] != NULL;
}

void svc_step(struct svc *svc, enum svc_event event, int arg)
{
	svc_action *action;

	if (svc->stepping) {
		/* A reaction ran inside a step: the owner broke the rule that
		 * state_changed only records. */
		log_error(svc->name, "BUG: event %s inside a step; ignored",
			  svc_event_name(event));
		return;
	}
	if (!svc->unit) {
		/* A unit that failed to load only ever sits in inactive. */
		if (event != SVC_EV_START && event != SVC_EV_STOP &&
		    event != SVC_EV_RESET_FAILED)
			log_error(svc->name, "BUG: event %s without a unit",
				  svc_event_name(event));
		return;
	}
	log_debug(svc->name, "event %s (%d) in state %s", svc_event_name(event),
		  arg, svc_state_name(svc->state));
	action = svc_step_decided(svc->state, event) ?
		 step_table[svc->state][event] : bug;
	svc->stepping = true;
	action(svc, arg);
	svc->stepping = false;
}

/* --- predicates --- */

bool svc_state_is_starting(enum svc_state state)
{
	return state == SVC_CONDITION || state == SVC_START_PRE ||
	       state == SVC_START || state == SVC_START_POST;
}

bool svc_is_starting(const struct svc *svc)
{
	return svc_state_is_starting(svc->state);
}

bool svc_state_is_stopping(enum svc_state state)
{
	return state == SVC_STOP || state == SVC_STOP_SIGTERM ||
	       state == SVC_STOP_SIGKILL || state == SVC_STOP_POST ||
	       state == SVC_FINAL_SIGTERM || state == SVC_FINAL_SIGKILL;
}

bool svc_is_stopping(const struct svc *svc)
{
	return svc_state_is_stopping(svc->state);
}

bool svc_is_running(const struct svc *svc)
{
	return svc->state == SVC_RUNNING;
}

bool svc_is_reloading(const struct svc *svc)
{
	return svc->state == SVC_RELOAD;
}

bool svc_state_is_failed(enum svc_state state)
{
	return state == SVC_FAILED;
}

bool svc_is_failed(const struct svc *svc)
{
	return svc_state_is_failed(svc->state);
}

bool svc_is_auto_restart(const struct svc *svc)
{
	return svc->state == SVC_AUTO_RESTART;
}

bool svc_state_is_up(enum svc_state state)
{
	return state == SVC_CONDITION || state == SVC_START_PRE ||
	       state == SVC_START || state == SVC_START_POST ||
	       state == SVC_RUNNING || state == SVC_RELOAD || state == SVC_EXITED;
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

bool svc_is_active(const struct svc *svc)
{
	return svc->state == SVC_RUNNING || svc->state == SVC_EXITED ||
	       svc->state == SVC_RELOAD || svc_is_stopping(svc);
}

bool svc_is_busy(const struct svc *svc)
{
	return svc->main_pid != 0 || svc->control_pid != 0 ||
	       svc_is_starting(svc) || svc_is_stopping(svc) ||
	       svc->state == SVC_AUTO_RESTART || svc->state == SVC_RELOAD;
}
