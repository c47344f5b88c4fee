/* policy: exit classification, Restart=, the start limit. */
#include <check.h>

#include "check_main.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "fake_unit.h"
#include "policy.h"

/* Wait statuses as the kernel encodes them. */
#define EXITED(code) (((code) & 0xff) << 8)
#define KILLED(sig) ((sig) & 0x7f)
#define DUMPED(sig) (((sig) & 0x7f) | 0x80)

START_TEST(classify_exits)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);

	ck_assert_int_eq(policy_classify_exit(unit, EXITED(0)), POLICY_RESULT_SUCCESS);
	ck_assert_int_eq(policy_classify_exit(unit, EXITED(3)), POLICY_RESULT_EXIT_CODE);
	ck_assert_int_eq(policy_classify_exit(unit, KILLED(SIGTERM)), POLICY_RESULT_SUCCESS);
	ck_assert_int_eq(policy_classify_exit(unit, KILLED(SIGINT)), POLICY_RESULT_SUCCESS);
	ck_assert_int_eq(policy_classify_exit(unit, KILLED(SIGHUP)), POLICY_RESULT_SUCCESS);
	ck_assert_int_eq(policy_classify_exit(unit, KILLED(SIGPIPE)), POLICY_RESULT_SUCCESS);
	ck_assert_int_eq(policy_classify_exit(unit, KILLED(SIGKILL)), POLICY_RESULT_SIGNAL);
	ck_assert_int_eq(policy_classify_exit(unit, DUMPED(SIGSEGV)), POLICY_RESULT_CORE_DUMP);
	/* SuccessExitStatus= widens success. */
	unit->success_exit_status = calloc(1, sizeof(*unit->success_exit_status));
	ck_assert_ptr_nonnull(unit->success_exit_status);
	unit->success_exit_status->codes[3 / 8] |= 1u << (3 % 8);
	unit->success_exit_status->signals |= UINT64_C(1) << SIGUSR1;
	ck_assert_int_eq(policy_classify_exit(unit, EXITED(3)), POLICY_RESULT_SUCCESS);
	ck_assert_int_eq(policy_classify_exit(unit, KILLED(SIGUSR1)), POLICY_RESULT_SUCCESS);
	unit_free(unit);
}
END_TEST

/* The table of systemd.service(5), Restart=. */
static const struct {
	enum unit_restart restart;
	bool success, exit_code, signal, timeout, watchdog;
} restart_table[] = {
	{ UNIT_RESTART_NO, 0, 0, 0, 0, 0 },
	{ UNIT_RESTART_ALWAYS, 1, 1, 1, 1, 1 },
	{ UNIT_RESTART_ON_SUCCESS, 1, 0, 0, 0, 0 },
	{ UNIT_RESTART_ON_FAILURE, 0, 1, 1, 1, 1 },
	{ UNIT_RESTART_ON_ABNORMAL, 0, 0, 1, 1, 1 },
	{ UNIT_RESTART_ON_ABORT, 0, 0, 1, 0, 0 },
	{ UNIT_RESTART_ON_WATCHDOG, 0, 0, 0, 0, 1 },
};

START_TEST(restart_policies)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, restart_table[_i].restart, 1);

	ck_assert_int_eq(policy_should_restart(unit, POLICY_RESULT_SUCCESS, EXITED(0)),
			 restart_table[_i].success);
	ck_assert_int_eq(policy_should_restart(unit, POLICY_RESULT_EXIT_CODE, EXITED(1)),
			 restart_table[_i].exit_code);
	ck_assert_int_eq(policy_should_restart(unit, POLICY_RESULT_SIGNAL, KILLED(SIGKILL)),
			 restart_table[_i].signal);
	ck_assert_int_eq(policy_should_restart(unit, POLICY_RESULT_CORE_DUMP, DUMPED(SIGABRT)),
			 restart_table[_i].signal);
	ck_assert_int_eq(policy_should_restart(unit, POLICY_RESULT_TIMEOUT, 0),
			 restart_table[_i].timeout);
	ck_assert_int_eq(policy_should_restart(unit, POLICY_RESULT_WATCHDOG, 0),
			 restart_table[_i].watchdog);
	ck_assert(!policy_should_restart(unit, POLICY_RESULT_START_LIMIT_HIT, 0));
	unit_free(unit);
}
END_TEST

/* systemd 254's curve: RestartSec= * (max/RestartSec=)^((n-1)/steps). */
START_TEST(restart_delay_curve)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1);

	unit->restart_usec = 2000000;
	ck_assert_uint_eq(policy_restart_delay(unit, 5), 2000000); /* unset */
	unit->restart_steps = 3;
	ck_assert_uint_eq(policy_restart_delay(unit, 5), 2000000); /* no max */
	unit->restart_max_delay_usec = 16000000;
	ck_assert_uint_eq(policy_restart_delay(unit, 1), 2000000);
	ck_assert_uint_eq(policy_restart_delay(unit, 2) / 1000, 4000);
	ck_assert_uint_eq(policy_restart_delay(unit, 3) / 1000, 8000);
	ck_assert_uint_eq(policy_restart_delay(unit, 4), 16000000);
	ck_assert_uint_eq(policy_restart_delay(unit, 400), 16000000);
	unit->restart_usec = 0;	/* as systemd: no growth from 0 */
	ck_assert_uint_eq(policy_restart_delay(unit, 3), 0);
	unit->restart_usec = 20000000;	/* above the max: RestartSec= */
	ck_assert_uint_eq(policy_restart_delay(unit, 3), 20000000);
	unit_free(unit);
}
END_TEST

START_TEST(restart_prevented)
{
	struct unit *unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_ALWAYS, 1);

	unit->restart_prevent_exit_status = calloc(1, sizeof(*unit->restart_prevent_exit_status));
	ck_assert_ptr_nonnull(unit->restart_prevent_exit_status);
	unit->restart_prevent_exit_status->codes[0] |= 1u << 2;
	unit->restart_prevent_exit_status->signals |= UINT64_C(1) << SIGKILL;
	ck_assert(!policy_should_restart(unit, POLICY_RESULT_EXIT_CODE, EXITED(2)));
	ck_assert(!policy_should_restart(unit, POLICY_RESULT_SIGNAL, KILLED(SIGKILL)));
	ck_assert(policy_should_restart(unit, POLICY_RESULT_EXIT_CODE, EXITED(1)));
	unit_free(unit);
}
END_TEST

START_TEST(start_limit_window)
{
	struct start_limit limit;
	int allowed;

	start_limit_reset(&limit);
	ck_assert(start_limit_allow(&limit, 3, 10, 0.0));
	ck_assert(start_limit_allow(&limit, 3, 10, 1.0));
	ck_assert(start_limit_allow(&limit, 3, 10, 2.0));
	ck_assert(!start_limit_allow(&limit, 3, 10, 3.0));	/* 4th within 10 s */
	ck_assert(!start_limit_allow(&limit, 3, 10, 9.9));
	ck_assert(start_limit_allow(&limit, 3, 10, 10.0));	/* a new window */
	ck_assert(start_limit_allow(&limit, 3, 10, 10.1));
	ck_assert(start_limit_allow(&limit, 3, 10, 10.2));
	ck_assert(!start_limit_allow(&limit, 3, 10, 10.3));
	start_limit_reset(&limit);
	ck_assert(start_limit_allow(&limit, 3, 10, 10.4));
	/* Any burst, no memory per start: a million is fine. */
	start_limit_reset(&limit);
	allowed = 0;
	for (int i = 0; i < 1000000; i++)
		allowed += start_limit_allow(&limit, 1000000, 10, 0.0);
	ck_assert_int_eq(allowed, 1000000);
	ck_assert(!start_limit_allow(&limit, 1000000, 10, 0.0));
	/* Burst 0 or interval 0: no limit. */
	for (int i = 0; i < 100; i++) {
		ck_assert(start_limit_allow(&limit, 0, 10, i * 0.01));
		ck_assert(start_limit_allow(&limit, 3, 0, i * 0.01));
	}
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, classify_exits);
	tcase_add_loop_test(tc, restart_policies, 0,
			    sizeof(restart_table) / sizeof(restart_table[0]));
	tcase_add_test(tc, restart_prevented);
	tcase_add_test(tc, restart_delay_curve);
	tcase_add_test(tc, start_limit_window);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(policy_suite());
}
