/* Tests for conf/rlimit.c: Limit*= keys and values. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "rlimit.h"

#define UNTOUCHED ((rlim_t)12345)

static void ok(int resource, const char *text, rlim_t soft, rlim_t hard)
{
	rlim_t s = UNTOUCHED, h = UNTOUCHED;

	ck_assert_msg(rlimit_parse(resource, text, &s, &h) == 0,
		      "%s=%s should parse (errno %d)",
		      rlimit_key_name(resource), text, errno);
	ck_assert_msg(s == soft && h == hard,
		      "%s=%s gave %llu:%llu, not %llu:%llu",
		      rlimit_key_name(resource), text, (unsigned long long)s,
		      (unsigned long long)h, (unsigned long long)soft,
		      (unsigned long long)hard);
}

/* One value for both soft and hard. */
static void ok1(int resource, const char *text, rlim_t value)
{
	ok(resource, text, value, value);
}

static void bad(int resource, const char *text, int err)
{
	rlim_t s = UNTOUCHED, h = UNTOUCHED;

	errno = 0;
	ck_assert_msg(rlimit_parse(resource, text, &s, &h) == -1,
		      "%s=%s should be refused", rlimit_key_name(resource),
		      text);
	ck_assert_msg(errno == err, "%s=%s: errno %d, not %d",
		      rlimit_key_name(resource), text, errno, err);
	ck_assert(s == UNTOUCHED && h == UNTOUCHED);
}

START_TEST(keys)
{
	static const char *const names[RLIMIT_KEYS_COUNT] = {
		"LimitCPU", "LimitFSIZE", "LimitDATA", "LimitSTACK",
		"LimitCORE", "LimitRSS", "LimitNOFILE", "LimitAS",
		"LimitNPROC", "LimitMEMLOCK", "LimitLOCKS", "LimitSIGPENDING",
		"LimitMSGQUEUE", "LimitNICE", "LimitRTPRIO", "LimitRTTIME",
	};
	bool seen[RLIM_NLIMITS] = { false };

	for (size_t i = 0; i < RLIMIT_KEYS_COUNT; i++) {
		int r = rlimit_from_key(names[i]);

		ck_assert_msg(r >= 0 && r < RLIM_NLIMITS, "%s", names[i]);
		ck_assert_msg(!seen[r], "%s maps to a resource twice", names[i]);
		seen[r] = true;
		ck_assert_str_eq(rlimit_key_name(r), names[i]);
	}
	ck_assert_int_eq(rlimit_from_key("LimitNOFILE"), RLIMIT_NOFILE);
	ck_assert_int_eq(rlimit_from_key("LimitRTTIME"), RLIMIT_RTTIME);
	ck_assert_str_eq(rlimit_key_name(RLIMIT_CPU), "LimitCPU");
	ck_assert_int_eq(rlimit_from_key("LimitFOO"), -1);
	ck_assert_int_eq(rlimit_from_key("Limitnofile"), -1);
	ck_assert_int_eq(rlimit_from_key("NOFILE"), -1);
	ck_assert_int_eq(rlimit_from_key(""), -1);
	ck_assert_ptr_null(rlimit_key_name(-1));
	ck_assert_ptr_null(rlimit_key_name(RLIM_NLIMITS));
	bad(-1, "1", EINVAL);
	bad(RLIM_NLIMITS, "1", EINVAL);
}
END_TEST

START_TEST(counts)
{
	ok1(RLIMIT_NOFILE, "1024", 1024);
	ok1(RLIMIT_NOFILE, "0", 0);
	ok(RLIMIT_NOFILE, "1024:524288", 1024, 524288);
	ok(RLIMIT_NOFILE, " 1024 : 4096 ", 1024, 4096);
	ok(RLIMIT_NOFILE, "8:8", 8, 8);
	ok1(RLIMIT_NOFILE, "infinity", RLIM_INFINITY);
	ok(RLIMIT_NOFILE, "1024:infinity", 1024, RLIM_INFINITY);
	ok1(RLIMIT_NPROC, "4096", 4096);
	ok1(RLIMIT_LOCKS, "100", 100);
	ok1(RLIMIT_SIGPENDING, "63535", 63535);
	ok1(RLIMIT_RTPRIO, "99", 99);
	ok1(RLIMIT_NOFILE, "18446744073709551614", (rlim_t)UINT64_MAX - 1);
}
END_TEST

START_TEST(count_errors)
{
	bad(RLIMIT_NOFILE, "", EINVAL);
	bad(RLIMIT_NOFILE, "  ", EINVAL);
	bad(RLIMIT_NOFILE, "abc", EINVAL);
	bad(RLIMIT_NOFILE, "-1", EINVAL);
	bad(RLIMIT_NOFILE, "+1", EINVAL);
	bad(RLIMIT_NOFILE, "1K", EINVAL);
	bad(RLIMIT_NOFILE, "1.5", EINVAL);
	bad(RLIMIT_NOFILE, "0x10", EINVAL);
	bad(RLIMIT_NOFILE, "1 2", EINVAL);
	bad(RLIMIT_NOFILE, "Infinity", EINVAL);
	bad(RLIMIT_NOFILE, "4096:1024", EINVAL);	/* soft above hard */
	bad(RLIMIT_NOFILE, "infinity:1024", EINVAL);
	bad(RLIMIT_NOFILE, "1:2:3", EINVAL);
	bad(RLIMIT_NOFILE, ":5", EINVAL);
	bad(RLIMIT_NOFILE, "5:", EINVAL);
	bad(RLIMIT_NOFILE, ":", EINVAL);
	/* RLIM_INFINITY is spelled "infinity" only; past it is no number */
	bad(RLIMIT_NOFILE, "18446744073709551615", ERANGE);
	bad(RLIMIT_NOFILE, "99999999999999999999", ERANGE);
	bad(RLIMIT_NPROC, "1:99999999999999999999", ERANGE);
}
END_TEST

START_TEST(too_long)
{
	char text[200];

	memset(text, '0', sizeof(text) - 2);
	text[sizeof(text) - 2] = '1';
	text[sizeof(text) - 1] = '\0';
	bad(RLIMIT_NOFILE, text, EINVAL);	/* refused, never cut */
}
END_TEST

START_TEST(sizes)
{
	ok1(RLIMIT_CORE, "0", 0);
	ok1(RLIMIT_CORE, "512", 512);
	ok1(RLIMIT_CORE, "512B", 512);
	ok1(RLIMIT_FSIZE, "1K", 1024);
	ok1(RLIMIT_DATA, "1M", 1024 * 1024);
	ok1(RLIMIT_STACK, "8M", 8 * 1024 * 1024);
	ok1(RLIMIT_RSS, "1G", (rlim_t)1 << 30);
	ok1(RLIMIT_AS, "2T", (rlim_t)2 << 40);
	ok1(RLIMIT_MEMLOCK, "3P", (rlim_t)3 << 50);
	ok1(RLIMIT_MSGQUEUE, "15E", (rlim_t)15 << 60);
	ok1(RLIMIT_MEMLOCK, "64 K", 64 * 1024);
	ok(RLIMIT_MEMLOCK, "64K:1M", 64 * 1024, 1024 * 1024);
	ok(RLIMIT_CORE, "0:infinity", 0, RLIM_INFINITY);
	ok1(RLIMIT_CORE, "infinity", RLIM_INFINITY);
	/* systemd's fractions and sums of parts, in falling units */
	ok1(RLIMIT_AS, "1.5K", 1536);
	ok1(RLIMIT_AS, "1.5G", (rlim_t)3 << 29);
	ok1(RLIMIT_AS, "0.1K", 102);
	ok1(RLIMIT_AS, "10.M", 10 * 1024 * 1024);
	ok1(RLIMIT_AS, "1G 512M", ((rlim_t)1 << 30) + ((rlim_t)1 << 29));
	ok1(RLIMIT_AS, "1M 1K 1", 1024 * 1024 + 1024 + 1);
	ok1(RLIMIT_AS, "15E 1023P", UINT64_MAX - ((rlim_t)1 << 50) + 1);
}
END_TEST

START_TEST(size_errors)
{
	bad(RLIMIT_AS, "1X", EINVAL);
	bad(RLIMIT_AS, "1k", EINVAL);
	bad(RLIMIT_AS, "1KiB", EINVAL);
	bad(RLIMIT_AS, "1KB", EINVAL);
	bad(RLIMIT_AS, "K", EINVAL);
	bad(RLIMIT_AS, ".5K", EINVAL);
	bad(RLIMIT_AS, "-1K", EINVAL);
	bad(RLIMIT_AS, "1M 1G", EINVAL);	/* units must fall */
	bad(RLIMIT_AS, "1K 1K", EINVAL);
	bad(RLIMIT_AS, "5 5", EINVAL);
	bad(RLIMIT_AS, "2M:1M", EINVAL);
	bad(RLIMIT_AS, "16E", ERANGE);
	bad(RLIMIT_AS, "15E 1024P", ERANGE);
	bad(RLIMIT_AS, "99999999999999999999K", ERANGE);
	bad(RLIMIT_AS, "18446744073709551615", ERANGE);
}
END_TEST

START_TEST(cpu_seconds)
{
	ok1(RLIMIT_CPU, "60", 60);
	ok1(RLIMIT_CPU, "0", 0);
	ok1(RLIMIT_CPU, "1min", 60);
	ok1(RLIMIT_CPU, "1h 30s", 3630);
	ok1(RLIMIT_CPU, "1.5s", 2);	/* rounded up */
	ok1(RLIMIT_CPU, "500ms", 1);
	ok1(RLIMIT_CPU, "1us", 1);
	ok(RLIMIT_CPU, "2h:3h", 7200, 10800);
	ok(RLIMIT_CPU, "30:infinity", 30, RLIM_INFINITY);
	ok1(RLIMIT_CPU, "infinity", RLIM_INFINITY);
	bad(RLIMIT_CPU, "5x", EINVAL);
	bad(RLIMIT_CPU, "-5", EINVAL);
	bad(RLIMIT_CPU, "3.", EINVAL);
	bad(RLIMIT_CPU, "3h:2h", EINVAL);
	bad(RLIMIT_CPU, "99999999999999999999", ERANGE);
	bad(RLIMIT_CPU, "1000000000000y", ERANGE);
	bad(RLIMIT_CPU, "1s:1000000000000y", ERANGE);
}
END_TEST

START_TEST(rttime_usec)
{
	ok1(RLIMIT_RTTIME, "500", 500);	/* a bare number is microseconds */
	ok1(RLIMIT_RTTIME, "1.5", 1);
	ok1(RLIMIT_RTTIME, "1s", 1000000);
	ok1(RLIMIT_RTTIME, "200ms", 200000);
	ok(RLIMIT_RTTIME, "2ms:1s", 2000, 1000000);
	ok1(RLIMIT_RTTIME, "infinity", RLIM_INFINITY);
	bad(RLIMIT_RTTIME, "5x", EINVAL);
	bad(RLIMIT_RTTIME, "1.", EINVAL);
	bad(RLIMIT_RTTIME, "2s:1s", EINVAL);
	bad(RLIMIT_RTTIME, "99999999999999999999", ERANGE);
	bad(RLIMIT_RTTIME, "1000000y", ERANGE);
}
END_TEST

START_TEST(nice)
{
	ok1(RLIMIT_NICE, "0", 0);
	ok1(RLIMIT_NICE, "40", 40);
	ok1(RLIMIT_NICE, "20", 20);
	ok1(RLIMIT_NICE, "+0", 20);
	ok1(RLIMIT_NICE, "-0", 20);
	ok1(RLIMIT_NICE, "+19", 1);
	ok1(RLIMIT_NICE, "-20", 40);
	ok1(RLIMIT_NICE, "-5", 25);
	ok(RLIMIT_NICE, "+5:-5", 15, 25);
	ok1(RLIMIT_NICE, "infinity", RLIM_INFINITY);
	bad(RLIMIT_NICE, "41", ERANGE);
	bad(RLIMIT_NICE, "+20", ERANGE);
	bad(RLIMIT_NICE, "-21", ERANGE);
	bad(RLIMIT_NICE, "-5:+5", EINVAL);	/* 25:15, soft above hard */
	bad(RLIMIT_NICE, "+", EINVAL);
	bad(RLIMIT_NICE, "++1", EINVAL);
	bad(RLIMIT_NICE, "1K", EINVAL);
	bad(RLIMIT_NICE, "high", EINVAL);
}
END_TEST

static Suite *rlimit_suite(void)
{
	Suite *s = suite_create("rlimit");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, keys);
	tcase_add_test(tc, counts);
	tcase_add_test(tc, count_errors);
	tcase_add_test(tc, too_long);
	tcase_add_test(tc, sizes);
	tcase_add_test(tc, size_errors);
	tcase_add_test(tc, cpu_seconds);
	tcase_add_test(tc, rttime_usec);
	tcase_add_test(tc, nice);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(rlimit_suite());
}
