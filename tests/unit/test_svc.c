/* svc: the state machine, driven with fake effects and injected events. */
#include <check.h>

#include <math.h>

#include "check_main.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_unit.h"
#include "log.h"
#include "svc.h"

#define EXITED(code) (((code) & 0xff) << 8)
#define KILLED(sig) ((sig) & 0x7f)

/* What the state machine asked the world to do. */
static struct {
	int spawns;
	int spawn_errno;	/* nonzero: the next spawn fails so */
	int kills;
	int last_signal;
	bool last_group;
	bool timer_armed;
	double timer_seconds;
	double now;
	int changes;
	pid_t next_pid;
	int control_spawns;
	int control_kills;
	const struct exec_cmd *last_control;
	bool adopt_fails;
} fx;

static pid_t fake_spawn(struct svc *svc, const struct exec_cmd *cmd,
			bool control, char *why, unsigned size)
{
	*why = '\0';
	fx.spawns++;
	if (fx.spawn_errno) {
		errno = fx.spawn_errno;
		return -1;
	}
	if (control) {
		fx.control_spawns++;
		fx.last_control = cmd;
	}
	return fx.next_pid++;
}

static void fake_kill_control(struct svc *svc, int signo)
{
	fx.control_kills++;
}

static void fake_forget_control(struct svc *svc)
{
}

static pid_t fake_find_main(struct svc *svc, char *why, unsigned size)
{
	if (fx.adopt_fails) {
		snprintf(why, size, "PIDFile=/run/x.pid: No such file");
		return 0;
	}
	return fx.next_pid++;
}

static enum condition_verdict fake_check_conditions(struct svc *svc, char *why,
						    unsigned size)
{
	return condition_check(svc->unit, why, size);
}

static void fake_kill(struct svc *svc, int signo, bool group)
{
	fx.kills++;
	fx.last_signal = signo;
	fx.last_group = group;
}

static void fake_timer_arm(struct svc *svc, double seconds)
{
	fx.timer_armed = true;
	fx.timer_seconds = seconds;
}

static void fake_timer_stop(struct svc *svc)
{
	fx.timer_armed = false;
}

static double fake_now(struct svc *svc)
{
	return fx.now;
}

static double fake_wall_now(struct svc *svc)
{
	return 1e9 + fx.now;
}

static void fake_forget_pid(struct svc *svc)
{
}

static void fake_state_changed(struct svc *svc, enum svc_state old)
{
	fx.changes++;
}

static const struct svc_ops fake_ops = {
	.spawn = fake_spawn,
	.kill_control = fake_kill_control,
	.forget_control = fake_forget_control,
	.find_main = fake_find_main,
	.kill = fake_kill,
	.timer_arm = fake_timer_arm,
	.timer_stop = fake_timer_stop,
	.now = fake_now,
	.wall_now = fake_wall_now,
	.forget_pid = fake_forget_pid,
	.check_conditions = fake_check_conditions,
	.state_changed = fake_state_changed,
};

static struct svc svc;

static void setup_with(struct unit *unit)
{
	memset(&fx, 0, sizeof(fx));
	fx.next_pid = 100;
	log_set_level(LOG_LEVEL_ERROR);
	ck_assert_int_eq(svc_init(&svc, "t.service", unit, &fake_ops, NULL), 0);
}

static void teardown(void)
{
	svc_destroy(&svc);
}

static void start_running(void)
{
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(svc.state, SVC_START);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_EXEC_OK);
}

START_TEST(start_exec_ok_runs)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1));
	start_running();
	ck_assert_int_eq(fx.spawns, 1);
	ck_assert_int_eq(svc.main_pid, 100);
	ck_assert(svc_is_active(&svc));
	ck_assert_str_eq(svc_active_state(&svc), "active");
	ck_assert_str_eq(svc_sub_state(&svc), "running");
	/* A second start is a no-op. */
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(fx.spawns, 1);
	teardown();
}
END_TEST

START_TEST(exec_failure_fails_with_errno)
{
	char buf[200];

	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1));
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXEC_FAILED, ENOENT);
	ck_assert_int_eq(svc.state, SVC_START);	/* the exit decides */
	svc_step(&svc, SVC_EV_EXIT, EXITED(127));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_EXEC_FAILED);
	ck_assert_int_eq(svc.result, POLICY_RESULT_EXIT_CODE);
	svc_describe_cause(&svc, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "exec failed: ENOENT (No such file or directory)"),
		      "cause: %s", buf);
	teardown();
}
END_TEST

START_TEST(stop_sends_signal_then_inactive)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1));
	start_running();
	svc_step(&svc, SVC_EV_STOP, 0);
	ck_assert_int_eq(svc.state, SVC_STOP_SIGTERM);
	ck_assert(fx.timer_armed);
	ck_assert(fx.timer_seconds == 10.0);
	ck_assert_int_eq(fx.kills, 2);			/* TERM, then CONT */
	ck_assert_int_eq(fx.last_signal, SIGCONT);
	ck_assert(fx.last_group);
	/* Dying of SIGTERM after a stop request is a clean stop, and
	 * Restart=always does not restart a stopped service. */
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGTERM));
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	ck_assert_int_eq(svc.result, POLICY_RESULT_SUCCESS);
	ck_assert(!fx.timer_armed);
	ck_assert_int_eq(fx.spawns, 1);
	teardown();
}
END_TEST

START_TEST(stop_timeout_sends_sigkill)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1));
	start_running();
	svc_step(&svc, SVC_EV_STOP, 0);
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(fx.last_signal, SIGKILL);
	ck_assert_int_eq(svc.state, SVC_STOP_SIGKILL);
	ck_assert_str_eq(svc_sub_state(&svc), "stop-sigkill");
	ck_assert(fx.timer_armed);
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGKILL));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_STOP_TIMEOUT);
	ck_assert_int_eq(svc.result, POLICY_RESULT_TIMEOUT);
	teardown();
}
END_TEST

START_TEST(kill_mode_mixed_and_process)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);

	unit->kill_mode = UNIT_KILL_MIXED;
	setup_with(unit);
	start_running();
	svc_step(&svc, SVC_EV_STOP, 0);
	ck_assert(!fx.last_group);		/* SIGTERM to the main process */
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(fx.last_signal, SIGKILL);
	ck_assert(fx.last_group);		/* SIGKILL to everyone */
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGKILL));
	svc.unit->kill_mode = UNIT_KILL_PROCESS;
	start_running();
	svc_step(&svc, SVC_EV_STOP, 0);
	ck_assert(!fx.last_group);
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(fx.last_signal, SIGKILL);
	ck_assert(!fx.last_group);		/* process: the main one only */
	teardown();
}
END_TEST

START_TEST(kill_mode_none_abandons)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1);

	unit->kill_mode = UNIT_KILL_NONE;
	setup_with(unit);
	start_running();
	svc_step(&svc, SVC_EV_STOP, 0);
	ck_assert_int_eq(fx.kills, 0);
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	ck_assert_int_eq(svc.main_pid, 0);
	teardown();
}
END_TEST

START_TEST(unkillable_is_given_up)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1));
	start_running();
	svc_step(&svc, SVC_EV_STOP, 0);
	svc_step(&svc, SVC_EV_TIMER, 0);
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_UNKILLABLE);
	ck_assert_int_eq(svc.main_pid, 0);
	teardown();
}
END_TEST

START_TEST(crash_restarts_after_delay)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ON_FAILURE, 1));
	start_running();
	svc_step(&svc, SVC_EV_EXIT, EXITED(1));
	ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
	ck_assert(fx.timer_armed);
	ck_assert(fx.timer_seconds == 0.1);		/* RestartSec= default */
	ck_assert_str_eq(svc_active_state(&svc), "activating");
	fx.now = 0.1;
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(svc.state, SVC_START);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_RESTART);
	ck_assert_uint_eq(svc.n_restarts, 1);
	ck_assert_int_eq(fx.spawns, 2);
	teardown();
}
END_TEST

/* RestartSteps=3, RestartSec=1s, RestartMaxDelaySec=8s: 1, 2, 4, 8, 8 s;
 * a run that stayed up 8 s starts the steps over. */
START_TEST(restart_delays_grow_and_start_over)
{
	static const double want[] = { 1, 2, 4, 8, 8 };
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1);

	unit->restart_usec = 1000000;
	unit->restart_steps = 3;
	unit->restart_max_delay_usec = 8000000;
	unit->start_limit_burst = 0;
	setup_with(unit);
	start_running();
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		svc_step(&svc, SVC_EV_EXIT, EXITED(1));
		ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
		ck_assert_msg(fabs(fx.timer_seconds - want[i]) < 1e-6,
			      "restart %zu waits %g s", i + 1, fx.timer_seconds);
		fx.now += fx.timer_seconds;
		svc_step(&svc, SVC_EV_TIMER, 0);
		svc_step(&svc, SVC_EV_EXEC_OK, 0);
		fx.now += 1;	/* up for a second only */
	}
	/* Up long enough this time: the next restart is the first again. */
	fx.now += 8;
	svc_step(&svc, SVC_EV_EXIT, EXITED(1));
	ck_assert(fabs(fx.timer_seconds - 1) < 1e-6);
	ck_assert_uint_eq(svc.n_restarts, 5);	/* NRestarts counts on */
	/* A start request starts them over too. */
	fx.now += 1;
	svc_step(&svc, SVC_EV_TIMER, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	svc_step(&svc, SVC_EV_EXIT, EXITED(1));
	ck_assert(fabs(fx.timer_seconds - 2) < 1e-6);
	svc_step(&svc, SVC_EV_STOP, 0);
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	svc_step(&svc, SVC_EV_EXIT, EXITED(1));
	ck_assert(fabs(fx.timer_seconds - 1) < 1e-6);
	teardown();
}
END_TEST

START_TEST(clean_exit_not_restarted_on_failure)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ON_FAILURE, 1));
	start_running();
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_EXITED);
	teardown();
}
END_TEST

START_TEST(crash_loop_hits_start_limit)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1));
	svc_step(&svc, SVC_EV_START, 0);
	for (int i = 0; i < 10 && svc.state != SVC_FAILED; i++) {
		svc_step(&svc, SVC_EV_EXEC_OK, 0);
		svc_step(&svc, SVC_EV_EXIT, EXITED(1));
		ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
		fx.now += 0.1;
		svc_step(&svc, SVC_EV_TIMER, 0);
	}
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_START_LIMIT);
	ck_assert_int_eq(svc.result, POLICY_RESULT_START_LIMIT_HIT);
	ck_assert_int_eq(fx.spawns, 5);			/* StartLimitBurst=5 */
	ck_assert(!fx.timer_armed);			/* no CPU spent waiting */
	/* A start request is a fresh chance. */
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(svc.state, SVC_START);
	teardown();
}
END_TEST

START_TEST(reset_failed_clears)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1));
	start_running();
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGSEGV));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_KILLED);
	svc_step(&svc, SVC_EV_RESET_FAILED, 0);
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_RESET);
	teardown();
}
END_TEST

START_TEST(oneshot_runs_commands_in_turn)
{
	struct unit *unit = fake_unit(UNIT_TYPE_ONESHOT, UNIT_RESTART_NO, 2);

	unit->remain_after_exit = true;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	ck_assert_int_eq(svc.state, SVC_START);	/* until it exits */
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_START);
	ck_assert_int_eq(fx.spawns, 2);
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_EXITED);
	ck_assert(svc_is_active(&svc));
	svc_step(&svc, SVC_EV_STOP, 0);
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	teardown();
}
END_TEST

START_TEST(oneshot_failure_stops_sequence)
{
	setup_with(fake_unit(UNIT_TYPE_ONESHOT, UNIT_RESTART_NO, 2));
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXIT, EXITED(2));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(fx.spawns, 1);
	teardown();
}
END_TEST

START_TEST(ignore_failure_prefix)
{
	struct unit *unit = fake_unit(UNIT_TYPE_ONESHOT, UNIT_RESTART_NO, 1);

	unit->exec_start[0].flags |= EXEC_FLAG_IGNORE_FAILURE;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXIT, EXITED(2));
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	ck_assert_int_eq(svc.result, POLICY_RESULT_SUCCESS);
	teardown();
}
END_TEST

START_TEST(start_timeout_fails)
{
	setup_with(fake_unit(UNIT_TYPE_ONESHOT, UNIT_RESTART_NO, 1));
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert(fx.timer_armed);
	ck_assert(fx.timer_seconds == 90.0);
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(svc.state, SVC_STOP_SIGTERM);
	ck_assert_int_eq(fx.last_signal, SIGCONT);
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGTERM));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_START_TIMEOUT);
	ck_assert_int_eq(svc.result, POLICY_RESULT_TIMEOUT);
	teardown();
}
END_TEST

START_TEST(restart_while_stopping)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1));
	start_running();
	svc_step(&svc, SVC_EV_STOP, 0);
	/* A start while stopping waits for the stop: the start job holds
	 * it back (jobs.c), the state machine takes no note of it. */
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(svc.state, SVC_STOP_SIGTERM);
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGTERM));
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(svc.state, SVC_START);
	ck_assert_int_eq(fx.spawns, 2);
	teardown();
}
END_TEST

START_TEST(transient_spawn_error_retries)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1));
	fx.spawn_errno = EAGAIN;
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_SPAWN_FAILED);
	fx.spawn_errno = 0;
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(svc.state, SVC_START);
	teardown();
}
END_TEST

START_TEST(permanent_spawn_error_fails)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1));
	fx.spawn_errno = EACCES;
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.result, POLICY_RESULT_RESOURCES);
	teardown();
}
END_TEST

START_TEST(impossible_events_are_ignored)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1));
	/* Logged as BUG, never fatal: svd may be PID 1. */
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	svc_step(&svc, SVC_EV_TIMER, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	ck_assert_int_eq(fx.changes, 0);
	teardown();
}
END_TEST

START_TEST(notify_waits_for_ready)
{
	struct unit *unit = fake_unit(UNIT_TYPE_NOTIFY, UNIT_RESTART_NO, 1);
	char buf[200];

	unit->timeout_start_usec = 2 * USEC_PER_SEC;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	/* Exec is not readiness for a notify service. */
	ck_assert_int_eq(svc.state, SVC_START);
	ck_assert_str_eq(svc_active_state(&svc), "activating");
	ck_assert(fx.timer_seconds == 2.0);
	/* More time asked for: the deadline moves later... */
	fx.now = 1.0;
	svc_step(&svc, SVC_EV_EXTEND_TIMEOUT, 5000);
	ck_assert(fx.timer_armed);
	ck_assert(fx.timer_seconds == 5.0);
	/* ...but never sooner. */
	fx.timer_seconds = 0;
	svc_step(&svc, SVC_EV_EXTEND_TIMEOUT, 100);
	ck_assert(fx.timer_seconds == 0);
	svc_step(&svc, SVC_EV_READY, 0);
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_READY);
	ck_assert_str_eq(svc_describe_cause(&svc, buf, sizeof(buf)), "ready (READY=1)");
	/* READY=1 again, or a late one after the end, changes nothing. */
	svc_step(&svc, SVC_EV_READY, 0);
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	svc_step(&svc, SVC_EV_READY, 0);
	svc_step(&svc, SVC_EV_WATCHDOG, 0);
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	teardown();
}
END_TEST

START_TEST(notify_exit_before_ready_fails)
{
	setup_with(fake_unit(UNIT_TYPE_NOTIFY, UNIT_RESTART_NO, 1));
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.result, POLICY_RESULT_PROTOCOL);
	teardown();
}
END_TEST

START_TEST(no_timeout_stays_none)
{
	struct unit *unit = fake_unit(UNIT_TYPE_NOTIFY, UNIT_RESTART_NO, 1);

	unit->timeout_start_usec = USEC_INFINITY;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert(!fx.timer_armed);
	svc_step(&svc, SVC_EV_EXTEND_TIMEOUT, 1000);
	ck_assert(!fx.timer_armed);
	teardown();
}
END_TEST

START_TEST(notify_never_ready_times_out)
{
	char buf[200];

	setup_with(fake_unit(UNIT_TYPE_NOTIFY, UNIT_RESTART_NO, 1));
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(svc.state, SVC_STOP_SIGTERM);
	ck_assert_int_eq(fx.last_signal, SIGCONT);
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGTERM));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.result, POLICY_RESULT_TIMEOUT);
	ck_assert_str_eq(svc_describe_cause(&svc, buf, sizeof(buf)),
			 "did not start within TimeoutStartSec= (no READY=1)");
	teardown();
}
END_TEST

START_TEST(watchdog_kills_and_restarts)
{
	struct unit *unit = fake_unit(UNIT_TYPE_NOTIFY, UNIT_RESTART_ON_WATCHDOG, 1);

	unit->watchdog_signal = SIGABRT;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	/* Not yet running: a watchdog event is too early to count. */
	svc_step(&svc, SVC_EV_WATCHDOG, 0);
	ck_assert_int_eq(svc.state, SVC_START);
	svc_step(&svc, SVC_EV_READY, 0);
	fx.kills = 0;
	svc_step(&svc, SVC_EV_WATCHDOG, 0);
	ck_assert_int_eq(svc.state, SVC_STOP_SIGTERM);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_WATCHDOG);
	ck_assert_int_eq(fx.kills, 2);	/* SIGABRT, then SIGCONT */
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGABRT));
	ck_assert_int_eq(svc.result, POLICY_RESULT_WATCHDOG);
	ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_WATCHDOG);
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(svc.state, SVC_START);
	ck_assert_uint_eq(svc.n_restarts, 1);
	teardown();
}
END_TEST

START_TEST(status_text_kept_and_cleared_at_start)
{
	setup_with(fake_unit(UNIT_TYPE_NOTIFY, UNIT_RESTART_NO, 1));
	ck_assert_int_eq(svc_set_status_text(&svc, "warming up"), 0);
	ck_assert_str_eq(svc.status_text, "warming up");
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_ptr_null(svc.status_text);
	ck_assert_int_eq(svc_set_status_text(&svc, "serving"), 0);
	ck_assert_str_eq(svc.status_text, "serving");
	teardown();
}
END_TEST

START_TEST(forking_adopts_the_daemon)
{
	setup_with(fake_unit(UNIT_TYPE_FORKING, UNIT_RESTART_NO, 1));
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	/* Exec'd is not started: the parent's exit is. */
	ck_assert_int_eq(svc.state, SVC_START);
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	ck_assert_int_eq(svc.main_pid, 101);
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGKILL));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	/* No daemon to adopt: failed, with the reason. */
	fx.adopt_fails = true;
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_NO_MAIN_PID);
	teardown();
}
END_TEST

START_TEST(control_commands_in_order)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);
	struct exec_cmd *pre = calloc(2, sizeof(*pre));

	pre[0].path = strdup("/bin/pre1");
	pre[1].path = strdup("/bin/pre2");
	pre[1].flags = EXEC_FLAG_IGNORE_FAILURE;
	unit->exec[UNIT_EXEC_START_PRE] = pre;
	unit->n_exec[UNIT_EXEC_START_PRE] = 2;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(svc.state, SVC_START_PRE);
	ck_assert_str_eq(svc_sub_state(&svc), "start-pre");
	ck_assert_ptr_eq(fx.last_control, &pre[0]);
	ck_assert_int_eq(svc.main_pid, 0);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_ptr_eq(fx.last_control, &pre[1]);
	/* '-': its failure does not count. */
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(1));
	ck_assert_int_ne(svc.main_pid, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	svc_step(&svc, SVC_EV_STOP, 0);
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGTERM));
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	/* A failing first one fails the start before the main command. */
	pre[1].flags = 0;
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(3));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_CONTROL_FAILED);
	ck_assert_int_eq(svc.control_pid, 0);
	teardown();
}
END_TEST

/* RELOADING=1: reloading until READY=1, on its own or with ExecReload=
 * (whose end alone does not end the reload then). */
START_TEST(reloading_waits_for_ready)
{
	struct unit *unit = fake_unit(UNIT_TYPE_NOTIFY, UNIT_RESTART_NO, 1);
	struct exec_cmd *reload = calloc(1, sizeof(*reload));

	reload->path = strdup("/bin/kill");
	unit->exec[UNIT_EXEC_RELOAD] = reload;
	unit->n_exec[UNIT_EXEC_RELOAD] = 1;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	svc_step(&svc, SVC_EV_READY, 0);
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	/* On its own (a SIGHUP from elsewhere). */
	svc_step(&svc, SVC_EV_RELOADING, 0);
	ck_assert_int_eq(svc.state, SVC_RELOAD);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_RELOADING);
	svc_step(&svc, SVC_EV_READY, 0);
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_RELOADED);
	/* ExecReload= done, READY=1 not yet: still reloading. */
	svc_step(&svc, SVC_EV_RELOAD, 0);
	svc_step(&svc, SVC_EV_RELOADING, 0);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_RELOAD);
	svc_step(&svc, SVC_EV_READY, 0);
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_RELOADED);
	/* READY=1 before ExecReload= ended: done with it. */
	svc_step(&svc, SVC_EV_RELOAD, 0);
	svc_step(&svc, SVC_EV_RELOADING, 0);
	svc_step(&svc, SVC_EV_READY, 0);
	ck_assert_int_eq(svc.state, SVC_RELOAD);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_RELOADED);
	teardown();
}
END_TEST

START_TEST(reload_with_and_without_execreload)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);
	struct exec_cmd *reload = calloc(1, sizeof(*reload));

	reload->path = strdup("/bin/kill");
	unit->exec[UNIT_EXEC_RELOAD] = reload;
	unit->n_exec[UNIT_EXEC_RELOAD] = 1;
	setup_with(unit);
	start_running();
	svc_step(&svc, SVC_EV_RELOAD, 0);
	ck_assert_int_eq(svc.state, SVC_RELOAD);
	ck_assert(svc_is_active(&svc));
	ck_assert_str_eq(svc_active_state(&svc), "reloading");
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_RELOADED);
	svc_step(&svc, SVC_EV_RELOAD, 0);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(2));
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_RELOAD_FAILED);
	/* Without ExecReload=: nothing, no SIGHUP it never asked for. */
	unit->n_exec[UNIT_EXEC_RELOAD] = 0;
	fx.kills = 0;
	svc_step(&svc, SVC_EV_RELOAD, 0);
	ck_assert_int_eq(fx.kills, 0);
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	/* Type=notify-reload: SIGHUP, reloading until READY=1. */
	unit->type = UNIT_TYPE_NOTIFY_RELOAD;
	svc_step(&svc, SVC_EV_RELOAD, 0);
	ck_assert_int_eq(fx.kills, 1);
	ck_assert_int_eq(fx.last_signal, SIGHUP);
	ck_assert(!fx.last_group);
	ck_assert_int_eq(svc.state, SVC_RELOAD);
	unit->type = UNIT_TYPE_SIMPLE;
	unit->n_exec[UNIT_EXEC_RELOAD] = 1;
	teardown();
}
END_TEST

/* daemon-reload may take the command a control process runs away. */
START_TEST(control_command_gone_after_reload)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);
	struct exec_cmd *pre = calloc(2, sizeof(*pre));

	pre[0].path = strdup("/bin/a");
	pre[1].path = strdup("/bin/b");
	unit->exec[UNIT_EXEC_START_PRE] = pre;
	unit->n_exec[UNIT_EXEC_START_PRE] = 2;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_uint_eq(svc.control_index, 1);
	svc_replace_unit(&svc, fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1));
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(1));
	/* The new unit has no ExecStartPre=: on to the main command. */
	ck_assert_int_ne(svc.main_pid, 0);
	teardown();
}
END_TEST

START_TEST(every_state_and_event_has_a_name)
{
	for (int s = 0; s < SVC_STATE_COUNT; s++)
		ck_assert_str_ne(svc_state_name(s), "?");
	for (int e = 0; e < SVC_EVENT_COUNT; e++)
		ck_assert_str_ne(svc_event_name(e), "?");
	for (int c = 0; c < SVC_CAUSE_COUNT; c++)
		ck_assert_str_ne(svc_cause_name(c), "?");
}
END_TEST

/* The table is the whole machine: no pair is left undecided. */
START_TEST(every_cell_of_the_table_is_decided)
{
	for (int s = 0; s < SVC_STATE_COUNT; s++)
		for (int e = 0; e < SVC_EVENT_COUNT; e++)
			ck_assert_msg(svc_step_decided(s, e), "%s x %s",
				      svc_state_name(s), svc_event_name(e));
}
END_TEST

static struct exec_cmd *commands(const char *a, const char *b)
{
	struct exec_cmd *cmd = calloc(2, sizeof(*cmd));

	cmd[0].path = strdup(a);
	cmd[0].line = strdup(a);
	if (b) {
		cmd[1].path = strdup(b);
		cmd[1].line = strdup(b);
	}
	return cmd;
}

static void give(struct unit *unit, enum unit_exec kind, const char *a,
		 const char *b)
{
	unit->exec[kind] = commands(a, b);
	unit->n_exec[kind] = b ? 2 : 1;
}

/* Each phase is a state of its own, with its own timer. */
START_TEST(phases_are_states)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);

	give(unit, UNIT_EXEC_CONDITION, "/bin/cond", NULL);
	give(unit, UNIT_EXEC_START_PRE, "/bin/pre", NULL);
	give(unit, UNIT_EXEC_START_POST, "/bin/post", NULL);
	give(unit, UNIT_EXEC_STOP, "/bin/stop", NULL);
	give(unit, UNIT_EXEC_STOP_POST, "/bin/stoppost", NULL);
	unit->timeout_start_usec = 3 * USEC_PER_SEC;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(svc.state, SVC_CONDITION);
	ck_assert(fx.timer_seconds == 3.0);
	fx.now = 2.0;
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_START_PRE);
	ck_assert(fx.timer_seconds == 3.0);	/* a fresh timeout per phase */
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_START);
	ck_assert(svc_is_starting(&svc));
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	ck_assert_int_eq(svc.state, SVC_START_POST);
	ck_assert_str_eq(svc_active_state(&svc), "activating");
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_RUNNING);
	ck_assert(!fx.timer_armed);
	svc_step(&svc, SVC_EV_STOP, 0);
	ck_assert_int_eq(svc.state, SVC_STOP);
	ck_assert_str_eq(svc_active_state(&svc), "deactivating");
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_STOP_SIGTERM);
	ck_assert(fx.timer_seconds == 10.0);
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGTERM));
	ck_assert_int_eq(svc.state, SVC_STOP_POST);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_STOP_REQUEST);
	ck_assert_str_eq(svc_sub_state(&svc), "dead");
	ck_assert_int_eq(fx.control_spawns, 5);
	teardown();
}
END_TEST

/* ExecStopPost= runs after a failure too, and the failure is what the
 * final state says; one that hangs gets KillSignal=, then SIGKILL. */
START_TEST(stop_post_after_failure_and_final_signals)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);

	give(unit, UNIT_EXEC_STOP_POST, "/bin/cleanup", NULL);
	setup_with(unit);
	start_running();
	svc_step(&svc, SVC_EV_EXIT, EXITED(4));
	ck_assert_int_eq(svc.state, SVC_STOP_POST);
	/* The cause of stop-post is that exit, status and all. */
	ck_assert_int_eq(svc.cause, SVC_CAUSE_EXITED);
	ck_assert_int_eq(svc.cause_detail, 4);
	ck_assert_int_eq(fx.control_spawns, 1);
	fx.control_kills = 0;
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(svc.state, SVC_FINAL_SIGTERM);
	ck_assert_int_eq(fx.control_kills, 2);		/* TERM, then CONT */
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(svc.state, SVC_FINAL_SIGKILL);
	ck_assert_int_eq(fx.control_kills, 3);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, KILLED(SIGKILL));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_EXITED);
	ck_assert_int_eq(svc.cause_detail, 4);
	ck_assert_int_eq(svc.result, POLICY_RESULT_EXIT_CODE);
	ck_assert_int_eq(svc.control_pid, 0);
	teardown();
}
END_TEST

/* A hung ExecStop= is killed and the stop signal follows. */
START_TEST(stop_command_timeout_goes_on)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1);

	give(unit, UNIT_EXEC_STOP, "/bin/stop", NULL);
	setup_with(unit);
	start_running();
	svc_step(&svc, SVC_EV_STOP, 0);
	ck_assert_int_eq(svc.state, SVC_STOP);
	svc_step(&svc, SVC_EV_TIMER, 0);
	ck_assert_int_eq(svc.control_pid, 0);
	ck_assert_int_eq(svc.state, SVC_STOP_SIGTERM);
	svc_step(&svc, SVC_EV_EXIT, KILLED(SIGTERM));
	/* The timeout fails the run, as systemd's Result=timeout; stopped
	 * on request, Restart=always does not apply. */
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.result, POLICY_RESULT_TIMEOUT);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_CONTROL_TIMEOUT);
	teardown();
}
END_TEST

/* ExecCondition= exiting 1-254 skips the start without failing it, and
 * no Restart= follows a skip. */
START_TEST(exec_condition_skips)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1);

	give(unit, UNIT_EXEC_CONDITION, "/bin/false", NULL);
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(1));
	ck_assert_int_eq(svc.state, SVC_INACTIVE);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_CONDITION);
	ck_assert_int_eq(fx.spawns, 1);
	teardown();
}
END_TEST

/* Every command of a phase gets the whole timeout (systemd arms its
 * timer at each spawn). */
START_TEST(each_command_gets_the_timeout)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);

	give(unit, UNIT_EXEC_START_PRE, "/bin/a", "/bin/b");
	unit->timeout_start_usec = 5 * USEC_PER_SEC;
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert(svc.timer_deadline == 5.0);
	fx.now = 4.0;
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_START_PRE);
	ck_assert(svc.timer_deadline == 9.0);
	teardown();
}
END_TEST

/* A started service that ends by itself, cleanly, gets its ExecStop=
 * (systemd: "the stop operation is always performed if the service
 * started successfully"); Restart= decides after it. */
START_TEST(clean_end_runs_execstop)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1);

	give(unit, UNIT_EXEC_STOP, "/bin/stop", NULL);
	setup_with(unit);
	start_running();
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_STOP);
	ck_assert_int_eq(fx.control_spawns, 1);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
	/* A failure goes down without it. */
	fx.now = 1.0;
	svc_step(&svc, SVC_EV_TIMER, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	svc_step(&svc, SVC_EV_EXIT, EXITED(3));
	ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
	ck_assert_int_eq(fx.control_spawns, 1);
	teardown();
}
END_TEST

/* A setting that cannot be applied (before the fork) fails the start
 * after ExecStopPost=, and Restart= does not try again. */
START_TEST(setup_failure_runs_stop_post)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1);

	give(unit, UNIT_EXEC_STOP_POST, "/bin/cleanup", NULL);
	setup_with(unit);
	/* The fake fails every spawn: ExecStopPost= is tried, and its
	 * failure only logged. */
	fx.spawn_errno = EACCES;
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(fx.spawns, 2);
	ck_assert_int_eq(svc.state, SVC_FAILED);
	ck_assert_int_eq(svc.cause, SVC_CAUSE_SPAWN_FAILED);
	ck_assert_int_eq(svc.result, POLICY_RESULT_RESOURCES);
	teardown();
}
END_TEST

/* MAINPID= names nothing before the main command runs, and may still
 * while the stop signal is answered. */
START_TEST(main_pid_only_when_it_can_be)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);

	give(unit, UNIT_EXEC_START_PRE, "/bin/pre", NULL);
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert(!svc_accepts_main_pid(&svc));
	svc_step(&svc, SVC_EV_MAIN_PID, 4242);
	ck_assert_int_eq(svc.main_pid, 0);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, EXITED(0));
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	svc_step(&svc, SVC_EV_STOP, 0);
	ck_assert(svc_accepts_main_pid(&svc));
	svc_step(&svc, SVC_EV_MAIN_PID, 4242);
	ck_assert_int_eq(svc.main_pid, 4242);
	teardown();
}
END_TEST

/* reset-failed in any state: the restart count and the start limit
 * start over (systemd's reset-failed). */
START_TEST(reset_failed_while_restarting)
{
	setup_with(fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1));
	start_running();
	svc_step(&svc, SVC_EV_EXIT, EXITED(1));
	fx.now = 0.1;
	svc_step(&svc, SVC_EV_TIMER, 0);
	svc_step(&svc, SVC_EV_EXEC_OK, 0);
	svc_step(&svc, SVC_EV_EXIT, EXITED(1));
	ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
	ck_assert_uint_eq(svc.n_restarts, 1);
	svc_step(&svc, SVC_EV_RESET_FAILED, 0);
	ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
	ck_assert_uint_eq(svc.n_restarts, 0);
	ck_assert_uint_eq(svc.start_limit.count, 0);
	teardown();
}
END_TEST

/* A control command killed by a signal is Result=signal, not an exit
 * code: Restart=on-abnormal tells them apart. */
START_TEST(control_killed_is_a_signal)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ON_ABNORMAL, 1);

	give(unit, UNIT_EXEC_START_PRE, "/bin/pre", NULL);
	setup_with(unit);
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_CONTROL_EXIT, KILLED(SIGSEGV));
	ck_assert_int_eq(svc.result, POLICY_RESULT_SIGNAL);
	ck_assert_int_eq(svc.state, SVC_AUTO_RESTART);
	teardown();
}
END_TEST

/* A daemon-reload may take away the ExecStart= that runs: its exit is
 * judged without it, never by reading past the new list. */
START_TEST(reload_shrinks_running_oneshot)
{
	setup_with(fake_unit(UNIT_TYPE_ONESHOT, UNIT_RESTART_NO, 3));
	svc_step(&svc, SVC_EV_START, 0);
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	svc_step(&svc, SVC_EV_EXIT, EXITED(0));
	ck_assert_uint_eq(svc.exec_index, 2);
	svc_replace_unit(&svc, fake_unit(UNIT_TYPE_ONESHOT, UNIT_RESTART_NO, 1));
	svc_step(&svc, SVC_EV_EXIT, EXITED(1));
	ck_assert_int_eq(svc.state, SVC_FAILED);
	teardown();
}
END_TEST

static int nested_steps;

/* An owner that breaks the rule: it steps the service from inside the
 * step that changed it. */
static void stepping_state_changed(struct svc *s, enum svc_state old)
{
	fx.changes++;
	ck_assert(s->stepping);
	nested_steps++;
	svc_step(s, SVC_EV_STOP, 0);
}

/* The owner hears of a change inside the step, so it may only record
 * it: a step taken from there is refused, and the state is what the
 * first step made it. */
START_TEST(no_step_inside_a_step)
{
	struct svc_ops ops = fake_ops;

	ops.state_changed = stepping_state_changed;
	memset(&fx, 0, sizeof(fx));
	fx.next_pid = 100;
	log_set_level(LOG_LEVEL_ERROR);
	ck_assert_int_eq(svc_init(&svc, "t.service",
				  fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1),
				  &ops, NULL), 0);
	svc_step(&svc, SVC_EV_START, 0);
	ck_assert_int_eq(nested_steps, 1);
	ck_assert_int_eq(svc.state, SVC_START);
	ck_assert(!svc.stepping);
	teardown();
}
END_TEST

static Suite *svc_suite(void)
{
	Suite *s = suite_create("svc");
	TCase *tc = tcase_create("state machine");

	tcase_add_test(tc, start_exec_ok_runs);
	tcase_add_test(tc, exec_failure_fails_with_errno);
	tcase_add_test(tc, stop_sends_signal_then_inactive);
	tcase_add_test(tc, stop_timeout_sends_sigkill);
	tcase_add_test(tc, kill_mode_mixed_and_process);
	tcase_add_test(tc, kill_mode_none_abandons);
	tcase_add_test(tc, unkillable_is_given_up);
	tcase_add_test(tc, crash_restarts_after_delay);
	tcase_add_test(tc, restart_delays_grow_and_start_over);
	tcase_add_test(tc, clean_exit_not_restarted_on_failure);
	tcase_add_test(tc, crash_loop_hits_start_limit);
	tcase_add_test(tc, reset_failed_clears);
	tcase_add_test(tc, oneshot_runs_commands_in_turn);
	tcase_add_test(tc, oneshot_failure_stops_sequence);
	tcase_add_test(tc, ignore_failure_prefix);
	tcase_add_test(tc, start_timeout_fails);
	tcase_add_test(tc, restart_while_stopping);
	tcase_add_test(tc, transient_spawn_error_retries);
	tcase_add_test(tc, permanent_spawn_error_fails);
	tcase_add_test(tc, impossible_events_are_ignored);
	tcase_add_test(tc, notify_waits_for_ready);
	tcase_add_test(tc, notify_never_ready_times_out);
	tcase_add_test(tc, notify_exit_before_ready_fails);
	tcase_add_test(tc, no_timeout_stays_none);
	tcase_add_test(tc, watchdog_kills_and_restarts);
	tcase_add_test(tc, status_text_kept_and_cleared_at_start);
	tcase_add_test(tc, forking_adopts_the_daemon);
	tcase_add_test(tc, control_commands_in_order);
	tcase_add_test(tc, reload_with_and_without_execreload);
	tcase_add_test(tc, reloading_waits_for_ready);
	tcase_add_test(tc, control_command_gone_after_reload);
	tcase_add_test(tc, every_state_and_event_has_a_name);
	tcase_add_test(tc, every_cell_of_the_table_is_decided);
	tcase_add_test(tc, phases_are_states);
	tcase_add_test(tc, stop_post_after_failure_and_final_signals);
	tcase_add_test(tc, stop_command_timeout_goes_on);
	tcase_add_test(tc, exec_condition_skips);
	tcase_add_test(tc, no_step_inside_a_step);
	tcase_add_test(tc, each_command_gets_the_timeout);
	tcase_add_test(tc, clean_end_runs_execstop);
	tcase_add_test(tc, setup_failure_runs_stop_post);
	tcase_add_test(tc, main_pid_only_when_it_can_be);
	tcase_add_test(tc, reset_failed_while_restarting);
	tcase_add_test(tc, control_killed_is_a_signal);
	tcase_add_test(tc, reload_shrinks_running_oneshot);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(svc_suite());
}
