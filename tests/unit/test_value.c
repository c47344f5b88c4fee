/* Tests for conf/value.c: time spans, booleans, signals, exit statuses. */
#include <check.h>

#include "check_main.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

static uint64_t span(const char *text)
{
	uint64_t usec = 12345;

	ck_assert_msg(value_parse_timespan(text, &usec) == 0,
		      "\"%s\" should parse", text);
	return usec;
}

static void bad_span(const char *text)
{
	uint64_t usec = 12345;

	ck_assert_msg(value_parse_timespan(text, &usec) < 0,
		      "\"%s\" should be refused", text);
	ck_assert_uint_eq(usec, 12345);	/* untouched */
}

START_TEST(timespan_units)
{
	ck_assert_uint_eq(span("5"), 5 * USEC_PER_SEC);
	ck_assert_uint_eq(span("5s"), 5 * USEC_PER_SEC);
	ck_assert_uint_eq(span("5 s"), 5 * USEC_PER_SEC);
	ck_assert_uint_eq(span("500ms"), 500 * USEC_PER_MSEC);
	ck_assert_uint_eq(span("3min"), 180 * USEC_PER_SEC);
	ck_assert_uint_eq(span("3m"), 180 * USEC_PER_SEC);
	ck_assert_uint_eq(span("1h 30s"), 3630 * USEC_PER_SEC);
	ck_assert_uint_eq(span("1h30s"), 3630 * USEC_PER_SEC);
	ck_assert_uint_eq(span(" 2 hours 1 minute "), 7260 * USEC_PER_SEC);
	ck_assert_uint_eq(span("1d"), 86400 * USEC_PER_SEC);
	ck_assert_uint_eq(span("1w"), 7 * 86400 * USEC_PER_SEC);
	ck_assert_uint_eq(span("100us"), 100);
	ck_assert_uint_eq(span("100usec"), 100);
	ck_assert_uint_eq(span("0"), 0);
	ck_assert_uint_eq(span("infinity"), USEC_INFINITY);
}
END_TEST

START_TEST(timespan_fractions)
{
	ck_assert_uint_eq(span("2.5s"), 2500 * USEC_PER_MSEC);
	ck_assert_uint_eq(span("2.5"), 2500 * USEC_PER_MSEC);
	/* exact, with no floating point rounding */
	ck_assert_uint_eq(span("0.3s"), 300 * USEC_PER_MSEC);
	ck_assert_uint_eq(span("1.5min"), 90 * USEC_PER_SEC);
	ck_assert_uint_eq(span(".5s"), 500 * USEC_PER_MSEC);
	ck_assert_uint_eq(span("0.0000001s"), 0);
}
END_TEST

START_TEST(timespan_invalid)
{
	bad_span("");
	bad_span("   ");
	bad_span("abc");
	bad_span("5x");
	bad_span("-5");
	bad_span("5s-");
	bad_span("3.");
	bad_span("3.s");
	bad_span(".");
	bad_span("infinity 5s");
	bad_span("99999999999999999999");
	bad_span("18446744073709551615s");
	bad_span("1000000000000y");
}
END_TEST

START_TEST(timespan_format)
{
	char buf[64], small[6];

	ck_assert_str_eq(value_format_timespan(90 * USEC_PER_SEC, buf,
					       sizeof(buf)), "1min 30s");
	ck_assert_str_eq(value_format_timespan(100 * USEC_PER_MSEC, buf,
					       sizeof(buf)), "100ms");
	ck_assert_str_eq(value_format_timespan(0, buf, sizeof(buf)), "0");
	ck_assert_str_eq(value_format_timespan(USEC_INFINITY, buf,
					       sizeof(buf)), "infinity");
	ck_assert_str_eq(value_format_timespan(3630 * USEC_PER_SEC + 5, buf,
					       sizeof(buf)), "1h 30s 5us");
	/* a small buffer gets whole components only, NUL-terminated */
	value_format_timespan(3630 * USEC_PER_SEC, small, sizeof(small));
	ck_assert_str_eq(small, "1h");
}
END_TEST

START_TEST(booleans)
{
	static const char *const yes[] = { "yes", "YES", "true", "on", "1",
					   "y", "t", "On" };
	static const char *const no[] = { "no", "false", "off", "0", "No",
					  "n", "f", "OFF" };
	bool b;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		ck_assert_int_eq(value_parse_bool(yes[i], &b), 0);
		ck_assert_msg(b, "%s should be true", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = true;
		ck_assert_int_eq(value_parse_bool(no[i], &b), 0);
		ck_assert_msg(!b, "%s should be false", no[i]);
	}
	b = true;
	ck_assert_int_lt(value_parse_bool("maybe", &b), 0);
	ck_assert_int_lt(value_parse_bool("", &b), 0);
	ck_assert_int_lt(value_parse_bool("yes ", &b), 0);
	ck_assert(b);
}
END_TEST

START_TEST(signals)
{
	int sig = 0;

	ck_assert_int_eq(value_parse_signal("TERM", &sig), 0);
	ck_assert_int_eq(sig, SIGTERM);
	ck_assert_int_eq(value_parse_signal("SIGKILL", &sig), 0);
	ck_assert_int_eq(sig, SIGKILL);
	ck_assert_int_eq(value_parse_signal("SIGINT", &sig), 0);
	ck_assert_int_eq(sig, SIGINT);
	ck_assert_int_eq(value_parse_signal("9", &sig), 0);
	ck_assert_int_eq(sig, 9);
	ck_assert_int_eq(value_parse_signal("RTMIN+3", &sig), 0);
	ck_assert_int_eq(sig, SIGRTMIN + 3);
	ck_assert_int_eq(value_parse_signal("SIGRTMIN", &sig), 0);
	ck_assert_int_eq(sig, SIGRTMIN);
	ck_assert_int_eq(value_parse_signal("RTMAX-1", &sig), 0);
	ck_assert_int_eq(sig, SIGRTMAX - 1);
	sig = 77;
	ck_assert_int_lt(value_parse_signal("SIGFOO", &sig), 0);
	ck_assert_int_lt(value_parse_signal("0", &sig), 0);
	ck_assert_int_lt(value_parse_signal("65", &sig), 0);
	ck_assert_int_lt(value_parse_signal("RTMIN+100", &sig), 0);
	ck_assert_int_lt(value_parse_signal("term", &sig), 0);
	ck_assert_int_lt(value_parse_signal("", &sig), 0);
	ck_assert_int_eq(sig, 77);
	ck_assert_str_eq(value_signal_name(SIGTERM), "TERM");
	ck_assert_str_eq(value_signal_name(SIGHUP), "HUP");
	ck_assert_ptr_null(value_signal_name(0));
}
END_TEST

START_TEST(exit_status)
{
	struct exit_status_set set;

	memset(&set, 0, sizeof(set));
	ck_assert_int_eq(value_parse_exit_status_set("15 21", &set), 0);
	ck_assert(exit_status_set_has_code(&set, 15));
	ck_assert(exit_status_set_has_code(&set, 21));
	ck_assert(!exit_status_set_has_code(&set, 0));
	ck_assert_int_eq(value_parse_exit_status_set("INVALIDARGUMENT "
						     "NOTINSTALLED 255", &set),
			 0);
	ck_assert(exit_status_set_has_code(&set, 2));
	ck_assert(exit_status_set_has_code(&set, 5));
	ck_assert(exit_status_set_has_code(&set, 255));
	ck_assert(exit_status_set_has_code(&set, 15));	/* added to */
	ck_assert_int_eq(value_parse_exit_status_set("SIGKILL TERM", &set), 0);
	ck_assert(exit_status_set_has_signal(&set, SIGKILL));
	ck_assert(exit_status_set_has_signal(&set, SIGTERM));
	ck_assert(!exit_status_set_has_signal(&set, SIGHUP));
	ck_assert_int_eq(value_parse_exit_status_set("", &set), 0);
}
END_TEST

START_TEST(exit_status_invalid)
{
	struct exit_status_set set, before;

	memset(&set, 0, sizeof(set));
	ck_assert_int_eq(value_parse_exit_status_set("1", &set), 0);
	before = set;
	ck_assert_int_lt(value_parse_exit_status_set("2 256", &set), 0);
	ck_assert_int_lt(value_parse_exit_status_set("3 FOO", &set), 0);
	ck_assert_int_lt(value_parse_exit_status_set("-1", &set), 0);
	/* a bad word leaves the set as it was */
	ck_assert_mem_eq(&set, &before, sizeof(set));
	ck_assert(!exit_status_set_has_code(&set, 2));
	ck_assert(!exit_status_set_has_code(&set, 300));
}
END_TEST

static Suite *value_suite(void)
{
	Suite *s = suite_create("value");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, timespan_units);
	tcase_add_test(tc, timespan_fractions);
	tcase_add_test(tc, timespan_invalid);
	tcase_add_test(tc, timespan_format);
	tcase_add_test(tc, booleans);
	tcase_add_test(tc, signals);
	tcase_add_test(tc, exit_status);
	tcase_add_test(tc, exit_status_invalid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(value_suite());
}
