/* svc: how each phase of a service is entered and left (the machinery
 * the actions of svc_step.c's table call), and the predicates. */
#include "svc.h"
#include "svc_phase.h"

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

void svc_set_cause_text(struct svc *svc, const char *why)
{
	free(svc->cause_text);
	svc->cause_text = why ? strdup(why) : NULL;
}

/* The failure of a control command becomes the cause's text. */
void svc_take_cause_text(struct svc *svc, char *text)
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
	svc_set_cause_text(svc, why);
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
		return policy_restart_delay(unit, svc->restart_streak + 1);
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
void svc_extend_timer(struct svc *svc, int ms)
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
/* RestartSteps=: each automatic restart in a row waits longer; a service
 * that had stayed up at least RestartMaxDelaySec= (the longest wait)
 * before it went down starts the steps over. systemd has no such rule:
 * its delays only start over at a start request. */
static void note_restart_streak(struct svc *svc)
{
	const struct unit *unit = svc->unit;
	double now = svc->ops->now(svc);

	if (unit && unit->restart_max_delay_usec != USEC_INFINITY &&
	    svc->running_since > 0 &&
	    now - svc->running_since >= usec_to_sec(unit->restart_max_delay_usec))
		svc->restart_streak = 0;
	svc->running_since = 0;
}

void svc_set_state(struct svc *svc, enum svc_state state,
		      enum svc_cause cause, int detail)
{
	enum svc_state old = svc->state;
	char buf[1024];

	if (svc_is_starting(svc) && (state == SVC_RUNNING || state == SVC_EXITED))
		svc->n_started++;
	if (state == SVC_RUNNING && old != SVC_RELOAD)
		svc->running_since = svc->ops->now(svc);
	if (state == SVC_AUTO_RESTART)
		note_restart_streak(svc);
	if (state != SVC_RELOAD)
		svc->reload_notified = false;
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

void svc_restore_state(struct svc *svc, enum svc_state state,
		       enum svc_cause cause, int detail, double since_age,
		       double since_wall, double timer_left)
{
	double now = svc->ops->now(svc);

	svc->state = state;
	svc->cause = cause;
	svc->cause_detail = detail;
	svc->state_since = now - since_age;
	svc->state_since_wall = since_wall;
	svc->ops->timer_stop(svc);
	svc->timer_deadline = 0;
	/* The time that was left: a restart due in 0.3 s is due in 0.3 s
	 * after the exec too, not a whole RestartSec= later. */
	if (timer_left >= 0) {
		svc->timer_deadline = now + timer_left;
		svc->ops->timer_arm(svc, timer_left);
	}
	log_debug(svc->name, "restored in %s (%.3f s left on its timer)",
		  svc_state_name(state), timer_left);
}

/* --- processes --- */

/* The pids belong to svc until it lets them go: the owner unmaps them. */
void svc_forget_main(struct svc *svc)
{
	svc->ops->forget_pid(svc);
	svc->main_pid = 0;
}

void svc_forget_control(struct svc *svc)
{
	svc->ops->forget_control(svc);
	svc->control_pid = 0;
}

/* A control process whose phase is left: killed, and no longer ours
 * (the reaper collects it as an orphan). */
void svc_abandon_control(struct svc *svc)
{
	if (!svc->control_pid)
		return;
	svc->ops->kill_control(svc, SIGKILL);
	svc_forget_control(svc);
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
	/* SendSIGHUP=: shells and the like take SIGHUP as "the terminal is
	 * gone" where they ignore SIGTERM (an interactive sh does). */
	if (signo != SIGKILL && svc->unit->send_sighup)
		svc->ops->kill(svc, SIGHUP, group);
}

/* Processes the main process left in its group go with it, as with
 * systemd's KillMode=control-group. No main process is left to wait for,
 * so this is a signal, not a stop. */
void svc_signal_leftovers(struct svc *svc)
{
	const struct unit *unit = svc->unit;

	if (unit->kill_mode != UNIT_KILL_CONTROL_GROUP &&
	    unit->kill_mode != UNIT_KILL_MIXED)
		return;
	svc->ops->kill(svc, unit->kill_signal, true);
	if (unit->kill_signal != SIGKILL)
		svc->ops->kill(svc, SIGCONT, true);
	if (unit->kill_signal != SIGKILL && unit->send_sighup)
		svc->ops->kill(svc, SIGHUP, true);
}

const struct exec_cmd *svc_current_cmd(const struct svc *svc)
{
	return &svc->unit->exec_start[svc->exec_index];
}

/* A daemon-reload may have taken the running command away: its '-'
 * then counts as not given. */
bool svc_current_ignores_failure(const struct svc *svc)
{
	return svc->exec_index < svc->unit->n_exec_start &&
	       (svc_current_cmd(svc)->flags & EXEC_FLAG_IGNORE_FAILURE);
}

/* The control commands each phase runs. */
enum unit_exec svc_phase_commands(enum svc_state state)
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
const struct exec_cmd *svc_control_cmd(const struct svc *svc,
					  enum unit_exec kind, size_t index)
{
	return index < svc->unit->n_exec[kind] ? &svc->unit->exec[kind][index] :
	       NULL;
}

/* "ExecStartPre=/bin/check --x: exited with status 3"; NULL on ENOMEM. */
char *svc_describe_control(const struct svc *svc, enum unit_exec kind,
			      size_t index, int wstatus, int err)
{
	const struct exec_cmd *cmd = svc_control_cmd(svc, kind, index);
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
void svc_set_end(struct svc *svc, enum policy_result result,
		    enum svc_cause cause, int detail)
{
	if (svc->result != POLICY_RESULT_SUCCESS)
		return;
	svc->result = result;
	svc->end_cause = cause;
	svc->end_detail = detail;
}

void svc_exit_cause(const struct svc *svc, int wstatus,
		       enum svc_cause *cause, int *detail)
{
	if (svc->adopted) {
		/* Not svd's child: its end was seen through a pidfd, which
		 * tells no status. Taken as a clean exit, said as unknown. */
		*cause = SVC_CAUSE_ADOPTED_GONE;
		*detail = 0;
	} else if (svc->exec_errno) {
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
void svc_enter_dead(struct svc *svc)
{
	enum svc_state state = restart_wanted(svc) ? SVC_AUTO_RESTART :
			       svc->result != POLICY_RESULT_SUCCESS ? SVC_FAILED :
			       SVC_INACTIVE;

	/* Leftovers were signalled: the group of this run is history, and
	 * its number may be reused by others. */
	if (!svc->main_pid)
		svc->pgid = 0;
	svc_set_state(svc, state, svc->end_cause, svc->end_detail);
}


bool svc_cgroup_busy(struct svc *svc)
{
	enum unit_kill_mode mode = svc->unit->kill_mode;

	if (mode != UNIT_KILL_CONTROL_GROUP && mode != UNIT_KILL_MIXED)
		return false;
	return svc->ops->cgroup_empty && !svc->ops->cgroup_empty(svc);
}

/* The service is down, whatever ended it: ExecStopPost= runs first. What
 * is left in its cgroup goes before, through stop-sigterm (and
 * stop-sigkill), as systemd stops a service whose main process ended
 * by itself; a stop signal phase that gave up goes on without it. */
void svc_enter_stop_post(struct svc *svc)
{
	if (!svc->main_pid && svc->state != SVC_STOP_SIGTERM &&
	    svc->state != SVC_STOP_SIGKILL && svc_cgroup_busy(svc)) {
		svc_enter_signal(svc, svc->end_cause, svc->unit->kill_signal);
		return;
	}
	svc_run_control(svc, SVC_STOP_POST, 0, svc->end_cause);
}

/* The run ended by itself: RemainAfterExit= keeps a clean end active;
 * anything else goes down through ExecStopPost=. */
void svc_run_ended(struct svc *svc)
{
	if (!restart_wanted(svc) && svc->result == POLICY_RESULT_SUCCESS &&
	    svc->unit->remain_after_exit) {
		svc_set_state(svc, SVC_EXITED, svc->end_cause, svc->end_detail);
		return;
	}
	svc_enter_stop_post(svc);
}

/* A run that got started ended by itself. A clean end runs ExecStop=
 * as a stop request would (systemd.service(5): "the stop operation is
 * always performed if the service started successfully"), unless
 * RemainAfterExit= keeps the service active. */
void svc_run_finished(struct svc *svc)
{
	if (svc->result == POLICY_RESULT_SUCCESS && !svc->unit->remain_after_exit &&
	    svc->unit->n_exec[UNIT_EXEC_STOP]) {
		svc_run_control(svc, SVC_STOP, 0, svc->end_cause);
		return;
	}
	svc_run_ended(svc);
}

/* Stop signal to the main process, then wait in state (stop-sigterm);
 * KillMode=none leaves the processes to themselves and the service down
 * (the reaper still collects them). */
void svc_enter_signal(struct svc *svc, enum svc_cause cause, int signo)
{
	if (svc->unit->kill_mode == UNIT_KILL_NONE) {
		svc_forget_main(svc);
		svc_enter_stop_post(svc);
		return;
	}
	send_stop_signal(svc, signo);
	svc_set_state(svc, SVC_STOP_SIGTERM, cause, 0);
}

/* --- the start sequence: condition, start-pre, start, start-post --- */

static void enter_start(struct svc *svc, enum svc_cause cause);

/* What follows the last command of a phase. */
void svc_phase_done(struct svc *svc, enum svc_state phase,
		       enum svc_cause cause)
{
	switch (phase) {
	case SVC_CONDITION:
		svc_run_control(svc, SVC_START_PRE, 0, cause);
		break;
	case SVC_START_PRE:
		enter_start(svc, cause);
		break;
	case SVC_START_POST:
		if (svc->main_pid) {
			svc_set_state(svc, SVC_RUNNING, svc_waits_for_ready(svc) ?
				  SVC_CAUSE_READY : SVC_CAUSE_EXEC_OK, 0);
			break;
		}
		svc_run_finished(svc);	/* a oneshot: its commands are done */
		break;
	case SVC_RELOAD:
		/* It said RELOADING=1 and not yet READY=1: it is not done. */
		if (svc->reload_notified)
			break;
		svc_set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOADED, 0);
		break;
	case SVC_STOP:
		/* The main process may have gone during ExecStop= (often its
		 * doing); if not, it gets the stop signal now. */
		if (svc->main_pid) {
			svc_enter_signal(svc, SVC_CAUSE_STOP_REQUEST,
				     svc->unit->kill_signal);
			break;
		}
		svc_signal_leftovers(svc);
		svc_enter_stop_post(svc);
		break;
	default:	/* stop-post, final-sigterm, final-sigkill */
		svc_enter_dead(svc);
		break;
	}
}

/* A control command of phase failed (ExecStop=/ExecStopPost= failures
 * are only logged and never come here). */
void svc_phase_failed(struct svc *svc, enum svc_state phase,
		      enum policy_result result)
{
	if (phase == SVC_RELOAD) {
		svc_set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOAD_FAILED, 0);
		return;
	}
	svc_set_end(svc, result, SVC_CAUSE_CONTROL_FAILED, 0);
	/* ExecStartPost= failed while the main process runs: it stops. */
	if (phase == SVC_START_POST && svc->main_pid) {
		svc_enter_signal(svc, SVC_CAUSE_CONTROL_FAILED, svc->unit->kill_signal);
		return;
	}
	svc_enter_stop_post(svc);
}

/* Each command of a phase gets the phase's whole timeout, as systemd
 * arms its timer at every spawn. */
static void enter_or_rearm(struct svc *svc, enum svc_state phase,
			   enum svc_cause cause)
{
	/* ExecStop= after a run ended by itself, and ExecStopPost=, are
	 * entered for the run's end: its detail goes with it ("exited with
	 * status 1", not the 0 of no detail). */
	bool for_end = (phase == SVC_STOP || phase == SVC_STOP_POST) &&
		       cause == svc->end_cause;

	if (svc->state != phase) {
		svc_set_state(svc, phase, cause, for_end ? svc->end_detail : 0);
		return;
	}
	svc->ops->timer_stop(svc);
	svc->timer_deadline = 0;
	arm_timer(svc, state_timeout_usec(svc, phase));
}

/* Runs the commands of phase from index on, one at a time, as the
 * control process; when none is left, what follows them. */
void svc_run_control(struct svc *svc, enum svc_state phase, size_t index,
			enum svc_cause cause)
{
	enum unit_exec kind = svc_phase_commands(phase);
	char why[600];
	pid_t pid;

	if (index >= svc->unit->n_exec[kind]) {
		svc_phase_done(svc, phase, cause);
		return;
	}
	svc->control_index = index;
	svc->control_exec_errno = 0;
	pid = svc->ops->spawn(svc, &svc->unit->exec[kind][index], true, why,
			      sizeof(why));
	if (pid < 0) {
		char *text = svc_describe_control(svc, kind, index, 0, errno);

		log_warning(svc->name, "%s", text ? text : unit_exec_name(kind));
		if (kind == UNIT_EXEC_STOP || kind == UNIT_EXEC_STOP_POST) {
			free(text);
			svc_run_control(svc, phase, index + 1, cause);
			return;
		}
		svc_take_cause_text(svc, text);
		svc_phase_failed(svc, phase, POLICY_RESULT_RESOURCES);
		return;
	}
	svc->control_pid = pid;
	enter_or_rearm(svc, phase, cause);
}

/* Forks the current ExecStart=: start, or a retry/failure if the fork
 * (or a setting before it) failed. */
void svc_spawn_main(struct svc *svc, enum svc_cause cause)
{
	char why[600];
	pid_t pid;

	svc->exec_errno = 0;
	svc->exec_step = 0;
	svc->has_exited = false;
	svc->adopted = false;
	svc_set_cause_text(svc, NULL);
	pid = svc->ops->spawn(svc, svc_current_cmd(svc), false, why, sizeof(why));
	if (pid > 0) {
		svc->main_pid = svc->pgid = pid;
		enter_or_rearm(svc, SVC_START, cause);
		return;
	}
	if (*why)
		svc_set_cause_text(svc, why);
	/* Out of processes or memory may pass: retried like a crash, with
	 * or without Restart=. A setting that cannot be applied will not
	 * pass: failed, after ExecStopPost=, and no Restart=. */
	if (spawn_errno_is_transient(errno)) {
		svc->result = POLICY_RESULT_RESOURCES;
		svc_set_state(svc, SVC_AUTO_RESTART, SVC_CAUSE_SPAWN_FAILED, errno);
		return;
	}
	svc_set_end(svc, POLICY_RESULT_RESOURCES, SVC_CAUSE_SPAWN_FAILED, errno);
	svc->restart_forbidden = true;
	svc_enter_stop_post(svc);
}

/* A socket unit has no main process: its start makes its sockets, and
 * it is up once they listen (after ExecStartPost=). */
static void enter_listening(struct svc *svc)
{
	char why[300];

	*why = '\0';
	if (svc->ops->listen && svc->ops->listen(svc, why, sizeof(why)) < 0) {
		int err = errno;

		svc_set_cause_text(svc, *why ? why : NULL);
		svc_set_end(svc, POLICY_RESULT_RESOURCES, SVC_CAUSE_LISTEN_FAILED,
			    err);
		svc->restart_forbidden = true;
		svc_enter_stop_post(svc);
		return;
	}
	/* What status says once it is up, after ExecStartPost=. */
	svc->end_cause = SVC_CAUSE_LISTENING;
	svc->end_detail = 0;
	svc_enter_start_post(svc, SVC_CAUSE_LISTENING);
}

static void enter_start(struct svc *svc, enum svc_cause cause)
{
	svc->exec_index = 0;
	if (svc->unit->kind == UNIT_KIND_SOCKET) {
		enter_listening(svc);
		return;
	}
	if (svc->unit->n_exec_start == 0) {
		/* A oneshot with only ExecStartPre=/ExecStop=... */
		svc_enter_start_post(svc, cause);
		return;
	}
	svc_spawn_main(svc, cause);
}

/* The main process is started (exec'd, READY=1, the forking parent
 * gone, a oneshot done): ExecStartPost= comes before running. */
void svc_enter_start_post(struct svc *svc, enum svc_cause cause)
{
	svc_run_control(svc, SVC_START_POST, 0, cause);
}

/* A start, by request or by Restart=: conditions, the start limit, then
 * the commands. */
void svc_start_attempt(struct svc *svc, enum svc_cause cause)
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
		svc_set_cause_text(svc, why);
		svc_set_state(svc, SVC_INACTIVE, SVC_CAUSE_CONDITION, 0);
		return;
	case CONDITION_FAIL:
		svc_set_cause_text(svc, why);
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
	svc_run_control(svc, SVC_CONDITION, 0, cause);
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

bool svc_accepts_main_pid(const struct svc *svc)
{
	return svc->state == SVC_START || svc->state == SVC_START_POST ||
	       svc->state == SVC_RUNNING || svc->state == SVC_RELOAD ||
	       svc->state == SVC_STOP || svc->state == SVC_STOP_SIGTERM;
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

bool svc_is_inactive(const struct svc *svc)
{
	return svc->state == SVC_INACTIVE;
}

bool svc_is_active(const struct svc *svc)
{
	return svc->state == SVC_RUNNING || svc->state == SVC_EXITED ||
	       svc->state == SVC_RELOAD || svc_is_stopping(svc);
}

bool svc_state_is_transitional(enum svc_state state)
{
	return svc_state_is_starting(state) || svc_state_is_stopping(state) ||
	       state == SVC_AUTO_RESTART || state == SVC_RELOAD;
}

bool svc_is_busy(const struct svc *svc)
{
	return svc->main_pid != 0 || svc->control_pid != 0 ||
	       svc_state_is_transitional(svc->state);
}
