/* notify: parsing sd_notify messages. The socket side is tested with
 * real clients by tests/integration/test_notify.sh. */
#include <check.h>

#include "check_main.h"
#include <string.h>

#include "notify.h"

static bool parse(const char *text, struct notify_msg *msg)
{
	static char buf[NOTIFY_MESSAGE_MAX + 1];
	size_t len = strlen(text);

	memcpy(buf, text, len + 1);
	return notify_parse(buf, len, msg);
}

START_TEST(every_key)
{
	struct notify_msg msg;

	ck_assert(parse("READY=1\nSTATUS=serving 42 clients\nMAINPID=4711\n"
			"ERRNO=2\nEXTEND_TIMEOUT_USEC=5000000\nWATCHDOG=1\n"
			"WATCHDOG_USEC=30000000\nRELOADING=1\nSTOPPING=1\n"
			"BARRIER=1\n", &msg));
	ck_assert(msg.ready && msg.watchdog && msg.reloading && msg.stopping);
	ck_assert(msg.barrier);
	ck_assert(!msg.watchdog_trigger);
	ck_assert_str_eq(msg.status, "serving 42 clients");
	ck_assert_int_eq(msg.main_pid, 4711);
	ck_assert_int_eq(msg.errno_value, 2);
	ck_assert_uint_eq(msg.extend_timeout_usec, 5000000);
	ck_assert_uint_eq(msg.watchdog_usec, 30000000);
	ck_assert_uint_eq(msg.n_unknown, 0);
	ck_assert(parse("WATCHDOG=trigger", &msg));
	ck_assert(msg.watchdog_trigger && !msg.watchdog);
}
END_TEST

START_TEST(status_keeps_equals_and_empty)
{
	struct notify_msg msg;

	ck_assert(parse("STATUS=a=b; c", &msg));
	ck_assert_str_eq(msg.status, "a=b; c");
	ck_assert(parse("STATUS=", &msg));
	ck_assert_str_eq(msg.status, "");
}
END_TEST

START_TEST(bad_values_are_ignored)
{
	struct notify_msg msg;

	/* Nothing understood: the message is dropped whole. */
	ck_assert(!parse("READY=2", &msg));
	ck_assert(!parse("MAINPID=1", &msg));	/* never init */
	ck_assert(!parse("MAINPID=-3", &msg));
	ck_assert(!parse("MAINPID=12abc", &msg));
	ck_assert(!parse("ERRNO=99999", &msg));
	ck_assert(!parse("EXTEND_TIMEOUT_USEC=", &msg));
	ck_assert(!parse("no equals sign", &msg));
	ck_assert(!parse("", &msg));
	ck_assert(!parse("\n\n", &msg));
	ck_assert(!parse("FDSTORE=1", &msg));
	/* A good line next to a bad one still counts. */
	ck_assert(parse("READY=1\nMAINPID=x", &msg));
	ck_assert(msg.ready);
	ck_assert_int_eq(msg.main_pid, 0);
	ck_assert_uint_eq(msg.n_unknown, 1);
}
END_TEST

START_TEST(embedded_nul_refused)
{
	char buf[] = "STATUS=a\0READY=1";
	struct notify_msg msg;

	ck_assert(!notify_parse(buf, sizeof(buf) - 1, &msg));
	ck_assert(!msg.ready);
}
END_TEST

static Suite *notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, every_key);
	tcase_add_test(tc, status_keeps_equals_and_empty);
	tcase_add_test(tc, bad_values_are_ignored);
	tcase_add_test(tc, embedded_nul_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(notify_suite());
}
