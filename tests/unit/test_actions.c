/* actions: which changes are ends, the action and status each takes. */
#include <check.h>

#include <signal.h>
#include <sys/wait.h>

#include "actions.h"
#include "check_main.h"

#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)

START_TEST(ends)
{
	ck_assert_int_eq(actions_end_of(SVC_RUNNING, SVC_FAILED), ACTIONS_END_FAILED);
	ck_assert_int_eq(actions_end_of(SVC_STOP_POST, SVC_FAILED), ACTIONS_END_FAILED);
	ck_assert_int_eq(actions_end_of(SVC_RUNNING, SVC_INACTIVE), ACTIONS_END_SUCCEEDED);
	ck_assert_int_eq(actions_end_of(SVC_STOP_SIGTERM, SVC_INACTIVE), ACTIONS_END_SUCCEEDED);
	/* reset-failed, a restart on its way, no change: no end */
	ck_assert_int_eq(actions_end_of(SVC_FAILED, SVC_INACTIVE), ACTIONS_END_NONE);
	ck_assert_int_eq(actions_end_of(SVC_RUNNING, SVC_AUTO_RESTART), ACTIONS_END_NONE);
	ck_assert_int_eq(actions_end_of(SVC_FAILED, SVC_FAILED), ACTIONS_END_NONE);
	ck_assert_int_eq(actions_end_of(SVC_INACTIVE, SVC_START), ACTIONS_END_NONE);
}
END_TEST

START_TEST(exit_status)
{
	struct unit *unit = unit_new();
	struct svc svc = { .unit = unit };

	ck_assert_ptr_nonnull(unit);
	/* Never ran (a start limit hit before any exit): 1, or 0. */
	ck_assert_int_eq(actions_exit_status(&svc, ACTIONS_END_FAILED), 1);
	ck_assert_int_eq(actions_exit_status(&svc, ACTIONS_END_SUCCEEDED), 0);
	svc.has_exited = true;
	svc.last_wstatus = EXITED(3);
	ck_assert_int_eq(actions_exit_status(&svc, ACTIONS_END_FAILED), 3);
	svc.last_wstatus = KILLED(SIGKILL);
	ck_assert_int_eq(actions_exit_status(&svc, ACTIONS_END_FAILED), 137);
	/* A failure whose process exited 0 (a timeout, a failed
	 * ExecStartPost=) is still no success. */
	svc.last_wstatus = EXITED(0);
	ck_assert_int_eq(actions_exit_status(&svc, ACTIONS_END_FAILED), 1);
	ck_assert_int_eq(actions_exit_status(&svc, ACTIONS_END_SUCCEEDED), 0);
	unit->failure_action_exit_status = 42;
	unit->success_action_exit_status = 0;
	svc.last_wstatus = EXITED(3);
	ck_assert_int_eq(actions_exit_status(&svc, ACTIONS_END_FAILED), 42);
	ck_assert_int_eq(actions_exit_status(&svc, ACTIONS_END_SUCCEEDED), 0);
	unit_free(unit);
}
END_TEST

START_TEST(actions_and_units)
{
	struct unit *unit = unit_new();

	ck_assert_ptr_nonnull(unit);
	unit->failure_action = UNIT_ACTION_EXIT_FORCE;
	unit->success_action = UNIT_ACTION_REBOOT;
	ck_assert_int_eq(actions_action(unit, ACTIONS_END_FAILED), UNIT_ACTION_EXIT_FORCE);
	ck_assert_int_eq(actions_action(unit, ACTIONS_END_SUCCEEDED), UNIT_ACTION_REBOOT);
	ck_assert_int_eq(actions_action(unit, ACTIONS_END_NONE), UNIT_ACTION_NONE);
	ck_assert_int_eq(actions_action(NULL, ACTIONS_END_FAILED), UNIT_ACTION_NONE);
	ck_assert_ptr_null(actions_units(unit, ACTIONS_END_FAILED));
	ck_assert(actions_forced(UNIT_ACTION_EXIT_FORCE));
	ck_assert(actions_forced(UNIT_ACTION_HALT_FORCE));
	ck_assert(!actions_forced(UNIT_ACTION_EXIT));
	ck_assert_int_eq(actions_halt(UNIT_ACTION_EXIT), HALT_POWEROFF);
	ck_assert_int_eq(actions_halt(UNIT_ACTION_REBOOT_FORCE), HALT_REBOOT);
	ck_assert_int_eq(actions_halt(UNIT_ACTION_HALT), HALT_HALT);
	ck_assert_int_eq(actions_halt(UNIT_ACTION_POWEROFF_FORCE), HALT_POWEROFF);
	ck_assert_str_eq(unit_action_name(UNIT_ACTION_POWEROFF_FORCE), "poweroff-force");
	unit_free(unit);
}
END_TEST

static Suite *actions_suite(void)
{
	Suite *s = suite_create("actions");
	TCase *tc = tcase_create("actions");

	tcase_add_test(tc, ends);
	tcase_add_test(tc, exit_status);
	tcase_add_test(tc, actions_and_units);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(actions_suite());
}
