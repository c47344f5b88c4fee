/* svc_step: the state machine's table. step_table names an action for
 * every event in every state; the actions are small and named for what
 * they do, and enter the phases through svc_phase.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "log.h"
#include "svc.h"
#include "svc_phase.h"

typedef void svc_action(struct svc *svc, int arg);

/* A message that came too late or twice, or a request already met. */
static void ignore(struct svc *svc, int arg)
{
}

/* A pair that cannot happen: svc_step says so loudly, naming the event,
 * and goes on (svd may be PID 1). */
static void bug(struct svc *svc, int arg)
{
}

/* A start request from outside: a fresh chance, start limit included. */
static void start_requested(struct svc *svc, int arg)
{
	start_limit_reset(&svc->start_limit);
	svc->n_restarts = 0;
	svc->restart_streak = 0;
	svc_start_attempt(svc, SVC_CAUSE_START_REQUEST);
}

static void restart_now(struct svc *svc, int arg)
{
	svc->n_restarts++;
	svc->restart_streak++;
	svc_start_attempt(svc, SVC_CAUSE_RESTART);
}

static void dependency_failed(struct svc *svc, int arg)
{
	svc->result = POLICY_RESULT_DEPENDENCY;
	svc_set_state(svc, SVC_FAILED, SVC_CAUSE_DEPENDENCY, 0);
}

/* In any state, as systemd: the start limit and the restart count start
 * over; a failed service is inactive again. */
static void reset_failed(struct svc *svc, int arg)
{
	start_limit_reset(&svc->start_limit);
	svc->n_restarts = 0;
	svc->restart_streak = 0;
	if (svc->state == SVC_FAILED)
		svc_set_state(svc, SVC_INACTIVE, SVC_CAUSE_RESET, 0);
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
	svc_extend_timer(svc, ms);
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
		svc_enter_start_post(svc, SVC_CAUSE_EXEC_OK);
}

static void ready_while_starting(struct svc *svc, int arg)
{
	if (svc_waits_for_ready(svc))
		svc_enter_start_post(svc, SVC_CAUSE_READY);
}

/* Type=notify-reload says READY=1 when a reload is done, as does a
 * service that said RELOADING=1; otherwise a READY=1 while ExecReload=
 * runs is not about the reload. */
static void ready_while_reloading(struct svc *svc, int arg)
{
	svc->reload_notified = false;
	if (!svc->control_pid)
		svc_set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOADED, 0);
}

/* RELOADING=1 (systemd 253's protocol): reloading, on its own or during
 * ExecReload=, until its READY=1. */
static void reloading_notified(struct svc *svc, int arg)
{
	svc->reload_notified = true;
	if (svc->state == SVC_RUNNING)
		svc_set_state(svc, SVC_RELOAD, SVC_CAUSE_RELOADING, 0);
}

static void record_exit(struct svc *svc, int wstatus)
{
	svc->last_wstatus = wstatus;
	svc->has_exited = true;
	svc_forget_main(svc);
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
		svc_enter_start_post(svc, SVC_CAUSE_EXEC_OK);
		return true;
	}
	svc_set_cause_text(svc, why);
	log_warning(svc->name, "no main process: %s", why);
	svc_signal_leftovers(svc);
	svc_set_end(svc, POLICY_RESULT_PROTOCOL, SVC_CAUSE_NO_MAIN_PID, 0);
	svc_run_ended(svc);
	return true;
}

/* A SIGKILL that the OOM killer sent: Result=oom-kill. */
static bool oom_kill(struct svc *svc, int wstatus)
{
	return WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL &&
	       svc->ops->oom_killed && svc->ops->oom_killed(svc);
}

/* How the main process's exit judges the run. */
static enum policy_result judge_exit(struct svc *svc, int wstatus)
{
	enum policy_result result = policy_classify_exit(svc->unit, wstatus);

	if (oom_kill(svc, wstatus))
		return POLICY_RESULT_OOM_KILL;

	if (result == POLICY_RESULT_SUCCESS && svc->exec_errno)
		return POLICY_RESULT_EXIT_CODE;
	/* Gone before it said READY=1: it never started, as systemd says. */
	if (result == POLICY_RESULT_SUCCESS && svc->state == SVC_START &&
	    svc_waits_for_ready(svc))
		return POLICY_RESULT_PROTOCOL;
	if (result != POLICY_RESULT_SUCCESS && !svc->exec_errno &&
	    svc_current_ignores_failure(svc))
		return POLICY_RESULT_SUCCESS;
	return result;
}

/* The main process ended while starting or up. */
static void main_exited(struct svc *svc, int wstatus)
{
	bool started = svc->state == SVC_RUNNING || svc->state == SVC_RELOAD;
	enum policy_result result;
	enum svc_cause cause;
	int detail;

	record_exit(svc, wstatus);
	if (forking_parent_exited(svc, wstatus))
		return;
	/* An ExecStartPost= or ExecReload= still running has lost its
	 * purpose. */
	svc_abandon_control(svc);
	/* RemainAfterExit= keeps what the service started running. */
	if (!svc->unit->remain_after_exit)
		svc_signal_leftovers(svc);
	result = judge_exit(svc, wstatus);
	svc_exit_cause(svc, wstatus, &cause, &detail);
	svc_set_end(svc, result, cause, detail);
	if (svc->state == SVC_START && svc->unit->type == UNIT_TYPE_ONESHOT &&
	    result == POLICY_RESULT_SUCCESS) {
		/* The next of a oneshot's commands, or ExecStartPost=. */
		if (svc->exec_index + 1 < svc->unit->n_exec_start) {
			svc->exec_index++;
			svc_spawn_main(svc, cause);
		} else {
			svc_enter_start_post(svc, cause);
		}
		return;
	}
	if (started)
		svc_run_finished(svc);
	else
		svc_run_ended(svc);
}

/* The main process's end while it is being stopped counts only when it
 * is a failure (dying of the stop signal is clean). */
static void judge_stop_exit(struct svc *svc, int wstatus)
{
	enum policy_result result = policy_classify_exit(svc->unit, wstatus);
	enum svc_cause cause;
	int detail;

	svc_exit_cause(svc, wstatus, &cause, &detail);
	if (oom_kill(svc, wstatus))
		svc_set_end(svc, POLICY_RESULT_OOM_KILL, SVC_CAUSE_OOM_KILL, 0);
	else if (result != POLICY_RESULT_SUCCESS && !svc_current_ignores_failure(svc))
		svc_set_end(svc, result, cause, detail);
}

/* The main process ended during ExecStop=: the stop goes on when
 * ExecStop= is done, as systemd waits for it. */
static void main_exited_in_stop(struct svc *svc, int wstatus)
{
	record_exit(svc, wstatus);
	judge_stop_exit(svc, wstatus);
}

/* The main process answered the stop signal (or SIGKILL). What it
 * left in its cgroup is waited for in the same state (cgroup_empty). */
static void main_stopped(struct svc *svc, int wstatus)
{
	record_exit(svc, wstatus);
	if (svc->state == SVC_STOP_SIGKILL)
		svc_set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_STOP_TIMEOUT, SIGKILL);
	else
		judge_stop_exit(svc, wstatus);
	if (svc_cgroup_busy(svc)) {
		log_debug(svc->name, "main process gone, waiting for the rest "
			  "of its cgroup");
		return;
	}
	svc_enter_stop_post(svc);
}

/* The last process of its cgroup is gone: once the main process is too,
 * the stop is over. */
static void cgroup_empty(struct svc *svc, int arg)
{
	if ((svc->state != SVC_STOP_SIGTERM && svc->state != SVC_STOP_SIGKILL) ||
	    svc->main_pid)
		return;
	/* What needed SIGKILL fails the run, as a main process would. */
	if (svc->state == SVC_STOP_SIGKILL)
		svc_set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_STOP_TIMEOUT, SIGKILL);
	svc_enter_stop_post(svc);
}

/* Noted only: the main process's exit (or none) judges the run. */
static void oom_event(struct svc *svc, int arg)
{
	log_warning(svc->name, "a process was killed by the OOM killer");
}

/* OOMPolicy=: stop (the default) and kill stop the service with
 * Result=oom-kill, kill at once with SIGKILL; continue only notes it. */
static void oom_killed(struct svc *svc, int arg)
{
	enum unit_oom_policy policy = svc->unit->oom_policy;

	oom_event(svc, arg);
	if (policy == UNIT_OOM_CONTINUE)
		return;
	svc_abandon_control(svc);
	svc_set_end(svc, POLICY_RESULT_OOM_KILL, SVC_CAUSE_OOM_KILL, 0);
	if (svc->main_pid || svc_cgroup_busy(svc))
		svc_enter_signal(svc, SVC_CAUSE_OOM_KILL, policy == UNIT_OOM_KILL ?
				 SIGKILL : svc->unit->kill_signal);
	else
		svc_run_ended(svc);
}

/* A command's failure as systemd counts it: only exit 0 is clean, and a
 * signal is not an exit code (Restart=on-abnormal tells them apart). */
static enum policy_result control_result(int wstatus, int err)
{
	if (err || WIFEXITED(wstatus))
		return POLICY_RESULT_EXIT_CODE;
	return WCOREDUMP(wstatus) ? POLICY_RESULT_CORE_DUMP : POLICY_RESULT_SIGNAL;
}

/* The control process of the current phase ended: the next command,
 * what follows the phase, or its failure. */
static void control_exited(struct svc *svc, int wstatus)
{
	enum svc_state phase = svc->state;
	enum unit_exec kind = svc_phase_commands(phase);
	size_t index = svc->control_index;
	int err = svc->control_exec_errno;
	bool ok = !err && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
	const struct exec_cmd *cmd = svc_control_cmd(svc, kind, index);
	char *text;

	svc_forget_control(svc);
	if (phase == SVC_FINAL_SIGTERM || phase == SVC_FINAL_SIGKILL) {
		svc_enter_dead(svc);
		return;
	}
	if (ok) {
		svc_run_control(svc, phase, index + 1, svc->cause);
		return;
	}
	text = svc_describe_control(svc, kind, index, wstatus, err);
	/* ExecCondition= exiting 1-254 says "do not start", not "failed". */
	if (phase == SVC_CONDITION && !err && WIFEXITED(wstatus) &&
	    WEXITSTATUS(wstatus) < 255) {
		svc_take_cause_text(svc, text);
		svc->restart_forbidden = true;
		svc->end_cause = SVC_CAUSE_CONDITION;
		svc_enter_stop_post(svc);
		return;
	}
	if (!cmd || (cmd->flags & EXEC_FLAG_IGNORE_FAILURE) ||
	    kind == UNIT_EXEC_STOP || kind == UNIT_EXEC_STOP_POST) {
		log_warning(svc->name, "%s (ignored)", text ? text :
			    unit_exec_name(kind));
		free(text);
		svc_run_control(svc, phase, index + 1, svc->cause);
		return;
	}
	log_warning(svc->name, "%s", text ? text : unit_exec_name(kind));
	svc_take_cause_text(svc, text);
	/* Restart= and RestartPreventExitStatus= judge this exit. */
	svc->last_wstatus = wstatus;
	svc_phase_failed(svc, phase, control_result(wstatus, err));
}

/* A stop asked for, while starting or up: no restart follows. ExecStop=
 * is for a service that runs; one still starting gets the signal, as
 * systemd does; one with no process left goes down through
 * ExecStopPost=. */
static void stop_requested(struct svc *svc, int arg)
{
	svc->restart_forbidden = true;
	svc_set_end(svc, POLICY_RESULT_SUCCESS, SVC_CAUSE_STOP_REQUEST, 0);
	svc_abandon_control(svc);
	if ((svc->state == SVC_RUNNING || svc->state == SVC_RELOAD ||
	     svc->state == SVC_EXITED) && svc->unit->n_exec[UNIT_EXEC_STOP]) {
		svc_run_control(svc, SVC_STOP, 0, SVC_CAUSE_STOP_REQUEST);
		return;
	}
	/* Without a main process, what is left in its cgroup is stopped and
	 * waited for the same way. */
	if (svc->main_pid || svc_cgroup_busy(svc)) {
		svc_enter_signal(svc, SVC_CAUSE_STOP_REQUEST, svc->unit->kill_signal);
		return;
	}
	if (svc->state == SVC_EXITED)
		svc_signal_leftovers(svc);
	svc_enter_stop_post(svc);
}

/* Asked again while stopping: whatever started the stop, no restart. */
static void stop_again(struct svc *svc, int arg)
{
	svc->restart_forbidden = true;
}

static void stop_waiting_restart(struct svc *svc, int arg)
{
	svc_set_state(svc, SVC_INACTIVE, SVC_CAUSE_STOP_REQUEST, 0);
}

/* svctl reload: ExecReload=, or for Type=notify-reload SIGHUP to the
 * main process, which says READY=1 again when it is done. A unit with
 * neither cannot be reloaded (commands refuses it first, as systemctl
 * does: a SIGHUP it never asked for kills many a daemon). */
static void reload_requested(struct svc *svc, int arg)
{
	if (svc->unit->n_exec[UNIT_EXEC_RELOAD]) {
		svc_run_control(svc, SVC_RELOAD, 0, SVC_CAUSE_RELOAD);
		return;
	}
	if (svc->unit->type == UNIT_TYPE_NOTIFY_RELOAD) {
		svc->ops->kill(svc, SIGHUP, false);
		svc_set_state(svc, SVC_RELOAD, SVC_CAUSE_RELOAD, 0);
		return;
	}
	log_warning(svc->name, "no ExecReload=: nothing to reload");
}

static void watchdog_expired(struct svc *svc, int arg)
{
	log_warning(svc->name, "watchdog timeout: sending SIG%s",
		    value_signal_name(svc->unit->watchdog_signal));
	svc_set_end(svc, POLICY_RESULT_WATCHDOG, SVC_CAUSE_WATCHDOG, 0);
	svc_enter_signal(svc, SVC_CAUSE_WATCHDOG, svc->unit->watchdog_signal);
}

/* TimeoutStartSec= ran out in a start phase. */
static void start_timed_out(struct svc *svc, int arg)
{
	log_warning(svc->name, "did not start within TimeoutStartSec=");
	svc_abandon_control(svc);
	svc_set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_START_TIMEOUT, 0);
	if (svc->main_pid)
		svc_enter_signal(svc, SVC_CAUSE_START_TIMEOUT, svc->unit->kill_signal);
	else
		svc_run_ended(svc);
}

static void reload_timed_out(struct svc *svc, int arg)
{
	svc_abandon_control(svc);
	svc_set_cause_text(svc, "the reload did not finish within TimeoutStartSec=");
	svc_set_state(svc, SVC_RUNNING, SVC_CAUSE_RELOAD_FAILED, 0);
}

/* An ExecStop= that hangs is killed, and the stop goes on without it. */
static void stop_command_timed_out(struct svc *svc, int arg)
{
	const char *why = "ExecStop= did not finish within TimeoutStopSec=";

	log_warning(svc->name, "%s, killed", why);
	svc_abandon_control(svc);
	/* A timeout fails the run, as systemd says (Result=timeout). */
	if (svc->result == POLICY_RESULT_SUCCESS)
		svc_set_cause_text(svc, why);
	svc_set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_CONTROL_TIMEOUT, 0);
	svc_phase_done(svc, SVC_STOP, SVC_CAUSE_STOP_REQUEST);
}

static void sigterm_timed_out(struct svc *svc, int arg)
{
	if (!svc->unit->send_sigkill) {
		/* SendSIGKILL=no: nothing more to try. */
		svc_forget_main(svc);
		svc_set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_UNKILLABLE, 0);
		svc_enter_stop_post(svc);
		return;
	}
	log_warning(svc->name, "did not stop within TimeoutStopSec=, "
		    "sending SIGKILL");
	svc->ops->kill(svc, SIGKILL, svc->unit->kill_mode != UNIT_KILL_PROCESS);
	svc_set_state(svc, SVC_STOP_SIGKILL, SVC_CAUSE_STOP_TIMEOUT, SIGKILL);
}

/* A process stuck in the kernel: given up on; the reaper will still
 * collect it whenever it dies. */
static void sigkill_timed_out(struct svc *svc, int arg)
{
	svc_forget_main(svc);
	svc_set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_UNKILLABLE, 0);
	svc_enter_stop_post(svc);
}

/* ExecStopPost= hangs: KillSignal=, then SIGKILL, then given up on (the
 * final-sigterm and final-sigkill of systemd, which there also end what
 * is left of the cgroup). A timeout fails the run. */
static void stop_post_timed_out(struct svc *svc, int arg)
{
	const char *why = "ExecStopPost= did not finish within TimeoutStopSec=";

	log_warning(svc->name, "%s, sending SIG%s", why,
		    value_signal_name(svc->unit->kill_signal));
	if (svc->result == POLICY_RESULT_SUCCESS)
		svc_set_cause_text(svc, why);
	svc_set_end(svc, POLICY_RESULT_TIMEOUT, SVC_CAUSE_CONTROL_TIMEOUT, 0);
	svc->ops->kill_control(svc, svc->unit->kill_signal);
	if (svc->unit->kill_signal != SIGKILL)
		svc->ops->kill_control(svc, SIGCONT);
	svc_set_state(svc, SVC_FINAL_SIGTERM, SVC_CAUSE_CONTROL_TIMEOUT, 0);
}

static void final_sigterm_timed_out(struct svc *svc, int arg)
{
	if (!svc->unit->send_sigkill) {
		/* SendSIGKILL=no: left to itself. */
		svc_forget_control(svc);
		svc_enter_dead(svc);
		return;
	}
	svc->ops->kill_control(svc, SIGKILL);
	svc_set_state(svc, SVC_FINAL_SIGKILL, SVC_CAUSE_CONTROL_TIMEOUT, 0);
}

static void final_sigkill_timed_out(struct svc *svc, int arg)
{
	log_warning(svc->name, "ExecStopPost= survived SIGKILL; given up on");
	svc_forget_control(svc);
	svc_enter_dead(svc);
}

/* --- the table: every event in every state --- */

/* The start phases with a control process (condition, start-pre,
 * start-post) differ only in what an exit of the main process means. */
#define CONTROL_START_PHASE(main_exit, main_pid)			\
	{								\
		[SVC_EV_START] = ignore,				\
		[SVC_EV_STOP] = stop_requested,				\
		[SVC_EV_EXEC_OK] = ignore,				\
		[SVC_EV_EXEC_FAILED] = exec_failed,			\
		[SVC_EV_EXIT] = main_exit,				\
		[SVC_EV_TIMER] = start_timed_out,			\
		[SVC_EV_RESET_FAILED] = reset_failed,				\
		[SVC_EV_READY] = ignore,				\
		[SVC_EV_EXTEND_TIMEOUT] = extend_timeout,		\
		[SVC_EV_WATCHDOG] = ignore,				\
		[SVC_EV_DEPENDENCY_FAILED] = ignore,			\
		[SVC_EV_CONTROL_EXIT] = control_exited,			\
		[SVC_EV_CONTROL_EXEC_FAILED] = control_exec_failed,	\
		[SVC_EV_RELOAD] = ignore,				\
		[SVC_EV_MAIN_PID] = main_pid,				\
		[SVC_EV_RELOADING] = ignore,				\
		[SVC_EV_CGROUP_EMPTY] = ignore,				\
		[SVC_EV_OOM_KILL] = oom_event,				\
	}

/* The stop phases wait for a process and take another stop request as
 * "no restart after it". */
#define STOP_PHASE(main_exit, control_exit, timer, main_pid)		\
	{								\
		[SVC_EV_START] = ignore,				\
		[SVC_EV_STOP] = stop_again,				\
		[SVC_EV_EXEC_OK] = ignore,				\
		[SVC_EV_EXEC_FAILED] = exec_failed,			\
		[SVC_EV_EXIT] = main_exit,				\
		[SVC_EV_TIMER] = timer,					\
		[SVC_EV_RESET_FAILED] = reset_failed,				\
		[SVC_EV_READY] = ignore,				\
		[SVC_EV_EXTEND_TIMEOUT] = extend_timeout,		\
		[SVC_EV_WATCHDOG] = ignore,				\
		[SVC_EV_DEPENDENCY_FAILED] = ignore,			\
		[SVC_EV_CONTROL_EXIT] = control_exit,			\
		[SVC_EV_CONTROL_EXEC_FAILED] = control_exec_failed,	\
		[SVC_EV_RELOAD] = ignore,				\
		[SVC_EV_MAIN_PID] = main_pid,				\
		[SVC_EV_RELOADING] = ignore,				\
		[SVC_EV_CGROUP_EMPTY] = cgroup_empty,			\
		[SVC_EV_OOM_KILL] = oom_event,				\
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
		[SVC_EV_RELOADING] = ignore,				\
		[SVC_EV_CGROUP_EMPTY] = ignore,				\
		[SVC_EV_OOM_KILL] = ignore,				\
	}

static svc_action *const step_table[SVC_STATE_COUNT][SVC_EVENT_COUNT] = {
	[SVC_INACTIVE] = AT_REST,
	[SVC_FAILED] = AT_REST,
	/* No main process yet: none may exit, none may be named. */
	[SVC_CONDITION] = CONTROL_START_PHASE(bug, ignore),
	[SVC_START_PRE] = CONTROL_START_PHASE(bug, ignore),
	[SVC_START_POST] = CONTROL_START_PHASE(main_exited, take_main_pid),
	[SVC_START] = {
		[SVC_EV_START] = ignore,
		[SVC_EV_STOP] = stop_requested,
		[SVC_EV_EXEC_OK] = exec_ok,
		[SVC_EV_EXEC_FAILED] = exec_failed,
		[SVC_EV_EXIT] = main_exited,
		[SVC_EV_TIMER] = start_timed_out,
		[SVC_EV_RESET_FAILED] = reset_failed,
		[SVC_EV_READY] = ready_while_starting,
		[SVC_EV_EXTEND_TIMEOUT] = extend_timeout,
		[SVC_EV_WATCHDOG] = ignore,
		[SVC_EV_DEPENDENCY_FAILED] = ignore,
		[SVC_EV_CONTROL_EXIT] = bug,
		[SVC_EV_CONTROL_EXEC_FAILED] = bug,
		[SVC_EV_RELOAD] = ignore,
		[SVC_EV_MAIN_PID] = take_main_pid,
		[SVC_EV_RELOADING] = ignore,
		[SVC_EV_CGROUP_EMPTY] = ignore,
		[SVC_EV_OOM_KILL] = oom_killed,
	},
	[SVC_RUNNING] = {
		[SVC_EV_START] = ignore,
		[SVC_EV_STOP] = stop_requested,
		[SVC_EV_EXEC_OK] = ignore,	/* after READY=1, read late */
		[SVC_EV_EXEC_FAILED] = exec_failed,
		[SVC_EV_EXIT] = main_exited,
		[SVC_EV_TIMER] = bug,
		[SVC_EV_RESET_FAILED] = reset_failed,
		[SVC_EV_READY] = ignore,
		[SVC_EV_EXTEND_TIMEOUT] = ignore,
		[SVC_EV_WATCHDOG] = watchdog_expired,
		[SVC_EV_DEPENDENCY_FAILED] = ignore,
		[SVC_EV_CONTROL_EXIT] = bug,
		[SVC_EV_CONTROL_EXEC_FAILED] = bug,
		[SVC_EV_RELOAD] = reload_requested,
		[SVC_EV_MAIN_PID] = take_main_pid,
		[SVC_EV_RELOADING] = reloading_notified,
		[SVC_EV_CGROUP_EMPTY] = ignore,
		[SVC_EV_OOM_KILL] = oom_killed,
	},
	[SVC_RELOAD] = {
		[SVC_EV_START] = ignore,
		[SVC_EV_STOP] = stop_requested,
		[SVC_EV_EXEC_OK] = ignore,
		[SVC_EV_EXEC_FAILED] = exec_failed,
		[SVC_EV_EXIT] = main_exited,
		[SVC_EV_TIMER] = reload_timed_out,
		[SVC_EV_RESET_FAILED] = reset_failed,
		[SVC_EV_READY] = ready_while_reloading,
		[SVC_EV_EXTEND_TIMEOUT] = extend_timeout,
		[SVC_EV_WATCHDOG] = ignore,
		[SVC_EV_DEPENDENCY_FAILED] = ignore,
		[SVC_EV_CONTROL_EXIT] = control_exited,
		[SVC_EV_CONTROL_EXEC_FAILED] = control_exec_failed,
		[SVC_EV_RELOAD] = ignore,
		[SVC_EV_MAIN_PID] = take_main_pid,
		[SVC_EV_RELOADING] = reloading_notified,
		[SVC_EV_CGROUP_EMPTY] = ignore,
		[SVC_EV_OOM_KILL] = oom_killed,
	},
	/* MAINPID= is taken while the main process may still answer the
	 * stop, as systemd takes it (stop, stop-sigterm). */
	[SVC_STOP] = STOP_PHASE(main_exited_in_stop, control_exited,
				stop_command_timed_out, take_main_pid),
	[SVC_STOP_SIGTERM] = STOP_PHASE(main_stopped, bug, sigterm_timed_out,
					take_main_pid),
	[SVC_STOP_SIGKILL] = STOP_PHASE(main_stopped, bug, sigkill_timed_out,
					ignore),
	[SVC_STOP_POST] = STOP_PHASE(bug, control_exited, stop_post_timed_out,
				     ignore),
	[SVC_FINAL_SIGTERM] = STOP_PHASE(bug, control_exited,
					 final_sigterm_timed_out, ignore),
	[SVC_FINAL_SIGKILL] = STOP_PHASE(bug, control_exited,
					 final_sigkill_timed_out, ignore),
	[SVC_AUTO_RESTART] = {
		[SVC_EV_START] = start_requested,
		[SVC_EV_STOP] = stop_waiting_restart,
		[SVC_EV_EXEC_OK] = bug,
		[SVC_EV_EXEC_FAILED] = bug,
		[SVC_EV_EXIT] = bug,
		[SVC_EV_TIMER] = restart_now,
		[SVC_EV_RESET_FAILED] = reset_failed,
		[SVC_EV_READY] = ignore,
		[SVC_EV_EXTEND_TIMEOUT] = ignore,
		[SVC_EV_WATCHDOG] = ignore,
		[SVC_EV_DEPENDENCY_FAILED] = dependency_failed,
		[SVC_EV_CONTROL_EXIT] = bug,
		[SVC_EV_CONTROL_EXEC_FAILED] = bug,
		[SVC_EV_RELOAD] = ignore,
		[SVC_EV_MAIN_PID] = ignore,
		[SVC_EV_RELOADING] = ignore,
		[SVC_EV_CGROUP_EMPTY] = ignore,
		[SVC_EV_OOM_KILL] = oom_event,
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
		[SVC_EV_RELOADING] = ignore,
		[SVC_EV_CGROUP_EMPTY] = ignore,
		[SVC_EV_OOM_KILL] = oom_event,
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
	if (action == bug) {
		log_error(svc->name, "BUG: event %s (%d) in state %s cannot "
			  "happen; ignored", svc_event_name(event), arg,
			  svc_state_name(svc->state));
		return;
	}
	svc->stepping = true;
	action(svc, arg);
	svc->stepping = false;
}
