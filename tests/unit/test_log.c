/* log: the limit on repeated messages, with an injected clock and the
 * lines caught by a writer instead of stderr. */
#include <check.h>

#include "check_main.h"
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "loglimit.h"

#define LINES_MAX 256
#define LINE_MAX_BYTES 200
#define SEC_USEC ((uint64_t)1000000)

/* What the writer saw: the first LINES_MAX lines, and how many in all. */
static struct {
	size_t n;
	char lines[LINES_MAX][LINE_MAX_BYTES];
	char last[LINE_MAX_BYTES];
} seen;

static uint64_t clock_usec;
static double timer_delay_sec;	/* the last flush the log asked for */
static int timer_requests;

static void catch_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(line[len - 1], '\n');
	snprintf(seen.last, sizeof(seen.last), "%.*s", (int)len - 1, line);
	if (seen.n < LINES_MAX)
		memcpy(seen.lines[seen.n], seen.last, sizeof(seen.last));
	seen.n++;
}

static uint64_t fake_clock(void)
{
	return clock_usec;
}

static void fake_timer(void *ctx, double delay_sec)
{
	(void)ctx;
	timer_delay_sec = delay_sec;
	timer_requests++;
}

/* Every test starts an hour after the last one, so windows of a test
 * that ran before (without check's fork) are over. */
static void setup(void)
{
	clock_usec += 3600 * SEC_USEC;
	log_set_writer(catch_line, NULL);
	log_set_clock(fake_clock);
	log_set_flush_timer(fake_timer, NULL);
	log_set_level(LOG_LEVEL_INFO);
	log_set_limit(true);
	log_flush_suppressed();
	memset(&seen, 0, sizeof(seen));
	timer_delay_sec = 0;
	timer_requests = 0;
}

static void teardown(void)
{
	log_set_limit(false);
	log_set_flush_timer(NULL, NULL);
	log_set_clock(NULL);
	log_set_writer(NULL, NULL);
}

static void warn_n(const char *unit, int n)
{
	for (int i = 0; i < n; i++)
		log_warning(unit, "exited with status %d", i);
}

/* The number N of a "N similar messages suppressed" line, or -1. */
static long suppressed_in(const char *line)
{
	const char *p = strstr(line, " similar messages");
	long n;

	if (!p)
		return -1;
	while (p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return sscanf(p, "%ld", &n) == 1 ? n : -1;
}

static bool seen_line(const char *want)
{
	for (size_t i = 0; i < seen.n && i < LINES_MAX; i++)
		if (strcmp(seen.lines[i], want) == 0)
			return true;
	return false;
}

START_TEST(burst_passes)
{
	warn_n("web.service", LOG_BURST_MESSAGES);
	ck_assert_uint_eq(seen.n, LOG_BURST_MESSAGES);
	ck_assert_str_eq(seen.lines[0], "svd: warning: web.service: exited with status 0");
	ck_assert_str_eq(seen.last, "svd: warning: web.service: exited with status 9");
	ck_assert_int_eq(timer_requests, 0);
}
END_TEST

START_TEST(excess_dropped_and_counted)
{
	warn_n("web.service", LOG_BURST_MESSAGES + 15);
	ck_assert_uint_eq(seen.n, LOG_BURST_MESSAGES);
	/* Still inside the window: still dropped, still counted. */
	clock_usec += LOG_BURST_INTERVAL_USEC - 1;
	log_warning("web.service", "one more");
	ck_assert_uint_eq(seen.n, LOG_BURST_MESSAGES);
	/* The window is over: the note first, then the message. */
	clock_usec += 1;
	log_warning("web.service", "after the window");
	ck_assert_uint_eq(seen.n, LOG_BURST_MESSAGES + 2);
	ck_assert_str_eq(seen.lines[LOG_BURST_MESSAGES],
			 "svd: warning: web.service: 16 similar messages suppressed");
	ck_assert_str_eq(seen.last, "svd: warning: web.service: after the window");
	/* A new window: a whole burst again, and no second note. */
	warn_n("web.service", LOG_BURST_MESSAGES - 1);
	ck_assert_uint_eq(seen.n, 2 * LOG_BURST_MESSAGES + 1);
}
END_TEST

START_TEST(note_at_the_window_end_from_the_timer)
{
	warn_n("web.service", LOG_BURST_MESSAGES + 3);
	/* The first drop asks for a flush when the window ends. */
	ck_assert_int_eq(timer_requests, 1);
	ck_assert(timer_delay_sec > LOG_BURST_INTERVAL_SEC - 0.001 &&
		  timer_delay_sec <= LOG_BURST_INTERVAL_SEC);
	/* Early (a timer that fires a little early): nothing yet, asked again. */
	clock_usec += LOG_BURST_INTERVAL_USEC - SEC_USEC;
	log_flush_suppressed();
	ck_assert_uint_eq(seen.n, LOG_BURST_MESSAGES);
	ck_assert_int_eq(timer_requests, 2);
	ck_assert(timer_delay_sec > 0.999 && timer_delay_sec <= 1.0);
	clock_usec += SEC_USEC;
	log_flush_suppressed();
	ck_assert_uint_eq(seen.n, LOG_BURST_MESSAGES + 1);
	ck_assert_str_eq(seen.last,
			 "svd: warning: web.service: 3 similar messages suppressed");
	/* Said once: neither the next flush nor the next message repeats it. */
	log_flush_suppressed();
	log_warning("web.service", "later");
	ck_assert_uint_eq(seen.n, LOG_BURST_MESSAGES + 2);
	ck_assert_str_eq(seen.last, "svd: warning: web.service: later");
	ck_assert_int_eq(timer_requests, 2);
}
END_TEST

START_TEST(the_note_has_the_worst_level_dropped)
{
	warn_n("web.service", LOG_BURST_MESSAGES);
	log_info("web.service", "dropped info");
	log_error("web.service", "dropped error");
	clock_usec += LOG_BURST_INTERVAL_USEC;
	log_flush_suppressed();
	ck_assert_str_eq(seen.last,
			 "svd: error: web.service: 2 similar messages suppressed");
}
END_TEST

START_TEST(two_units_are_limited_apart)
{
	warn_n("a.service", 3 * LOG_BURST_MESSAGES);
	warn_n("b.service", LOG_BURST_MESSAGES);
	ck_assert_uint_eq(seen.n, 2 * LOG_BURST_MESSAGES);
	ck_assert_str_eq(seen.last, "svd: warning: b.service: exited with status 9");
	log_warning("b.service", "over");
	clock_usec += LOG_BURST_INTERVAL_USEC;
	log_flush_suppressed();
	ck_assert_uint_eq(seen.n, 2 * LOG_BURST_MESSAGES + 2);
	/* In the table's order, which is the hashes'. */
	ck_assert(seen_line("svd: warning: a.service: 20 similar messages suppressed"));
	ck_assert(seen_line("svd: warning: b.service: 1 similar messages suppressed"));
}
END_TEST

START_TEST(svd_itself_is_limited_per_call_site)
{
	for (int i = 0; i < 3 * LOG_BURST_MESSAGES; i++)
		log_warning(NULL, "accept: %s", "EMFILE");
	ck_assert_uint_eq(seen.n, LOG_BURST_MESSAGES);
	/* Another of svd's messages is not silenced by that flood. */
	log_info(NULL, "shutting down");
	ck_assert_str_eq(seen.last, "svd: info: shutting down");
	clock_usec += LOG_BURST_INTERVAL_USEC;
	log_flush_suppressed();
	ck_assert_str_eq(seen.last, "svd: warning: 20 similar messages "
			 "suppressed (\"accept: %s\")");
}
END_TEST

START_TEST(debug_has_a_budget_of_its_own)
{
	log_set_level(LOG_LEVEL_DEBUG);
	for (int i = 0; i < 2 * LOG_DEBUG_BURST_MESSAGES; i++)
		log_debug("web.service", "event %d", i);
	ck_assert_uint_eq(seen.n, LOG_DEBUG_BURST_MESSAGES);
	/* -v's chatter has not used up the unit's warnings. */
	warn_n("web.service", LOG_BURST_MESSAGES + 1);
	ck_assert_uint_eq(seen.n, LOG_DEBUG_BURST_MESSAGES + LOG_BURST_MESSAGES);
	clock_usec += LOG_BURST_INTERVAL_USEC;
	log_flush_suppressed();
	ck_assert_uint_eq(seen.n, LOG_DEBUG_BURST_MESSAGES + LOG_BURST_MESSAGES + 2);
	ck_assert_int_ge(suppressed_in(seen.lines[seen.n - 1]), 1);
	ck_assert_int_ge(suppressed_in(seen.lines[seen.n - 2]), 1);
	ck_assert_int_eq(suppressed_in(seen.lines[seen.n - 1]) +
			 suppressed_in(seen.lines[seen.n - 2]),
			 LOG_DEBUG_BURST_MESSAGES + 1);
}
END_TEST

START_TEST(filtered_messages_cost_nothing)
{
	/* Below the verbosity: neither written nor counted. */
	for (int i = 0; i < 3 * LOG_DEBUG_BURST_MESSAGES; i++)
		log_debug("web.service", "event %d", i);
	warn_n("web.service", LOG_BURST_MESSAGES);
	clock_usec += LOG_BURST_INTERVAL_USEC;
	log_flush_suppressed();
	ck_assert_uint_eq(seen.n, LOG_BURST_MESSAGES);
}
END_TEST

START_TEST(off_passes_everything)
{
	log_set_limit(false);
	warn_n("web.service", 5 * LOG_BURST_MESSAGES);
	ck_assert_uint_eq(seen.n, 5 * LOG_BURST_MESSAGES);
}
END_TEST

START_TEST(turning_off_says_what_is_owed)
{
	warn_n("web.service", LOG_BURST_MESSAGES + 4);
	log_set_limit(false);	/* svd's loop ends, mid-window */
	ck_assert_str_eq(seen.last,
			 "svd: warning: web.service: 4 similar messages suppressed");
}
END_TEST

START_TEST(long_names_are_cut_in_the_note_only)
{
	char a[300], b[300];

	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	b[sizeof(b) - 2] = 'y';	/* differs past what the note keeps */
	warn_n(a, LOG_BURST_MESSAGES + 1);
	warn_n(b, LOG_BURST_MESSAGES);
	ck_assert_uint_eq(seen.n, 2 * LOG_BURST_MESSAGES);
	clock_usec += LOG_BURST_INTERVAL_USEC;
	log_flush_suppressed();
	ck_assert_uint_eq(seen.n, 2 * LOG_BURST_MESSAGES + 1);
	ck_assert_ptr_nonnull(strstr(seen.last, "xxx...: 1 similar messages suppressed"));
	ck_assert_uint_lt(strlen(seen.last), 120);
}
END_TEST

/* 100,000 units, each logging a few times in one window: the table does
 * not grow (it cannot: it is a fixed array), and all of svd writes at
 * most a burst per record. */
#define MANY_UNITS 100000
#define MESSAGES_EACH 3

static void log_names(int from, int to)
{
	char name[32];

	for (int i = from; i < to; i++) {
		snprintf(name, sizeof(name), "u%d.service", i);
		for (int j = 0; j < MESSAGES_EACH; j++)
			log_warning(name, "exited with status %d", j);
	}
}

/* -v's chatter fills the table; an error of a unit that comes after is
 * not refused on a debug record's count (found by a review: 0 of 100
 * errors got through). */
START_TEST(debug_records_do_not_use_up_errors)
{
	char name[32];
	size_t before;

	log_set_level(LOG_LEVEL_DEBUG);
	for (int i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "chatty%d.service", i);
		for (int j = 0; j < 20; j++)
			log_debug(name, "event %d", j);
	}
	before = seen.n;
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "broken%d.service", i);
		log_error(name, "failed");
	}
	ck_assert_uint_eq(seen.n - before, 100);
}
END_TEST

/* Unit files' diagnostics come through one "%s" call site: each file
 * has a budget of its own (a review found 15 bad files at a
 * daemon-reload shown as 10 errors and a note naming none). */
START_TEST(diagnostics_limited_per_file)
{
	char text[64];
	size_t before = seen.n;

	for (int i = 0; i < 15; i++) {
		snprintf(text, sizeof(text), "/u/bad%d.service:3: no", i);
		log_error(NULL, "%s", text);
	}
	ck_assert_uint_eq(seen.n - before, 15);
	for (int i = 0; i < 15; i++)
		log_error(NULL, "%s", "/u/worse.service:1: no");
	ck_assert_uint_eq(seen.n - before, 15 + LOG_BURST_MESSAGES);
	clock_usec += LOG_BURST_INTERVAL_USEC;
	log_flush_suppressed();
	ck_assert(seen_line("svd: error: /u/worse.service: 5 similar messages "
			    "suppressed"));
}
END_TEST

START_TEST(many_names_stay_bounded)
{
	size_t written, heap_at_1000;

	/* What malloc and stdio set up once is not the table's: the heap is
	 * measured from the thousandth name on. */
	log_names(0, 1000);
	heap_at_1000 = mallinfo2().uordblks;
	log_names(1000, MANY_UNITS);
	ck_assert_uint_eq(mallinfo2().uordblks, heap_at_1000);
	written = seen.n;
	ck_assert_uint_le(written, LOGLIMIT_SLOTS * LOG_BURST_MESSAGES);
	/* At most a note per record and one for those taken over. */
	clock_usec += LOG_BURST_INTERVAL_USEC;
	log_flush_suppressed();
	ck_assert_uint_le(seen.n - written, LOGLIMIT_SLOTS + 1);
	ck_assert_ptr_nonnull(strstr(seen.last, "similar messages of other units"));
}
END_TEST

/* The same, summing the notes as they come. */
static uint64_t notes_sum, plain_lines;

static void sum_line(void *ctx, const char *line, size_t len)
{
	long n;

	(void)ctx;
	(void)len;
	n = suppressed_in(line);
	if (n >= 0)
		notes_sum += (uint64_t)n;
	else
		plain_lines++;
}

START_TEST(every_message_is_written_or_counted)
{
	log_set_writer(sum_line, NULL);
	notes_sum = plain_lines = 0;
	log_names(0, MANY_UNITS);
	/* And one unit in a crash loop among them, over two windows. */
	for (int i = 0; i < 1000; i++) {
		if (i == 500)
			clock_usec += LOG_BURST_INTERVAL_USEC;
		log_warning("crash.service", "exited with status 1");
	}
	clock_usec += LOG_BURST_INTERVAL_USEC;
	log_flush_suppressed();
	ck_assert_uint_eq(plain_lines + notes_sum,
			  (uint64_t)MANY_UNITS * MESSAGES_EACH + 1000);
	ck_assert_uint_le(plain_lines, (uint64_t)LOGLIMIT_SLOTS * LOG_BURST_MESSAGES * 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("limit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, burst_passes);
	tcase_add_test(tc, excess_dropped_and_counted);
	tcase_add_test(tc, note_at_the_window_end_from_the_timer);
	tcase_add_test(tc, the_note_has_the_worst_level_dropped);
	tcase_add_test(tc, two_units_are_limited_apart);
	tcase_add_test(tc, svd_itself_is_limited_per_call_site);
	tcase_add_test(tc, debug_has_a_budget_of_its_own);
	tcase_add_test(tc, filtered_messages_cost_nothing);
	tcase_add_test(tc, off_passes_everything);
	tcase_add_test(tc, turning_off_says_what_is_owed);
	tcase_add_test(tc, long_names_are_cut_in_the_note_only);
	tcase_add_test(tc, debug_records_do_not_use_up_errors);
	tcase_add_test(tc, diagnostics_limited_per_file);
	tcase_add_test(tc, many_names_stay_bounded);
	tcase_add_test(tc, every_message_is_written_or_counted);
	suite_add_tcase(s, tc);
	return check_run(s);
}
