/* logring: a service's last lines in a bounded byte ring. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logring.h"

#define LINES_MAX 64
#define TEXT_MAX_BYTES 300

/* What tail() handed out, copied, since its text dies with the callback. */
struct seen {
	size_t n;
	struct logring_line lines[LINES_MAX];
	char texts[LINES_MAX][TEXT_MAX_BYTES];
};

static void remember(void *ctx, const struct logring_line *line)
{
	struct seen *seen = ctx;

	ck_assert_uint_lt(seen->n, LINES_MAX);
	ck_assert_uint_lt(line->len, TEXT_MAX_BYTES);
	ck_assert_int_eq(line->text[line->len], '\0');
	memcpy(seen->texts[seen->n], line->text, line->len + 1);
	seen->lines[seen->n] = *line;
	seen->lines[seen->n].text = seen->texts[seen->n];
	seen->n++;
}

static void tail_into(const struct logring *ring, size_t n, struct seen *seen)
{
	seen->n = 0;
	logring_tail(ring, n, remember, seen);
}

static void push_str(struct logring *ring, uint64_t usec, enum log_stream stream,
		     const char *text)
{
	ck_assert_int_eq(logring_push(ring, usec, stream, text, strlen(text)), 0);
}

static void push_numbered(struct logring *ring, int from, int to)
{
	char text[32];

	for (int i = from; i <= to; i++) {
		snprintf(text, sizeof(text), "line %d", i);
		push_str(ring, (uint64_t)i, LOG_STREAM_STDOUT, text);
	}
}

START_TEST(empty_ring_allocates_nothing)
{
	struct logring ring;
	struct seen seen;

	logring_init(&ring, 4096);
	ck_assert_uint_eq(logring_allocated(&ring), 0);
	ck_assert_uint_eq(logring_count(&ring), 0);
	ck_assert_uint_eq(logring_last_seq(&ring), 0);
	tail_into(&ring, SIZE_MAX, &seen);
	ck_assert_uint_eq(seen.n, 0);
	logring_free(&ring);
	ck_assert_uint_eq(logring_allocated(&ring), 0);
	ck_assert_uint_eq(ring.max_bytes, 4096);
}
END_TEST

START_TEST(stream_names)
{
	ck_assert_str_eq(log_stream_name(LOG_STREAM_STDOUT), "stdout");
	ck_assert_str_eq(log_stream_name(LOG_STREAM_STDERR), "stderr");
	ck_assert_str_eq(log_stream_name(LOG_STREAM_SVD), "svd");
	ck_assert_str_eq(log_stream_name(LOG_STREAM_SYSLOG), "syslog");
	ck_assert_str_eq(log_stream_name((enum log_stream)7), "?");
	ck_assert_str_eq(log_priority_name(0), "emerg");
	ck_assert_str_eq(log_priority_name(3), "err");
	ck_assert_str_eq(log_priority_name(7), "debug");
	ck_assert_str_eq(log_priority_name(8), "?");
	ck_assert_str_eq(log_priority_name(LOG_PRIORITY_NONE), "?");
	ck_assert_str_eq(log_line_label(LOG_STREAM_SYSLOG, 4), "syslog/warning");
	ck_assert_str_eq(log_line_label(LOG_STREAM_STDOUT, LOG_PRIORITY_NONE),
			 "stdout");
	ck_assert_str_eq(log_line_label(LOG_STREAM_SYSLOG, LOG_PRIORITY_NONE),
			 "syslog");
}
END_TEST

/* A syslog line keeps its severity; the others have none. */
START_TEST(priority_comes_back)
{
	struct logring ring;
	struct seen seen;

	logring_init(&ring, 4096);
	push_str(&ring, 1, LOG_STREAM_STDOUT, "plain");
	ck_assert_int_eq(logring_push_priority(&ring, 2, LOG_STREAM_SYSLOG, 3,
					       "disk full", 9), 0);
	ck_assert_int_eq(logring_push_priority(&ring, 3, LOG_STREAM_SYSLOG, 0,
					       "panic", 5), 0);
	tail_into(&ring, SIZE_MAX, &seen);
	ck_assert_uint_eq(seen.n, 3);
	ck_assert_int_eq(seen.lines[0].priority, LOG_PRIORITY_NONE);
	ck_assert_int_eq(seen.lines[1].stream, LOG_STREAM_SYSLOG);
	ck_assert_int_eq(seen.lines[1].priority, 3);
	ck_assert_str_eq(seen.texts[1], "disk full");
	ck_assert_int_eq(seen.lines[2].priority, 0);
	errno = 0;
	ck_assert_int_eq(logring_push_priority(&ring, 4, LOG_STREAM_SYSLOG, 8,
					       "x", 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(logring_push_priority(&ring, 4, LOG_STREAM_SYSLOG, -2,
					       "x", 1), -1);
	ck_assert_uint_eq(logring_count(&ring), 3);
	logring_free(&ring);
}
END_TEST

START_TEST(lines_come_back_in_order)
{
	struct logring ring;
	struct seen seen;

	logring_init(&ring, 4096);
	push_str(&ring, 100, LOG_STREAM_STDOUT, "listening on :8080");
	push_str(&ring, 200, LOG_STREAM_STDERR, "warning: cache cold");
	push_str(&ring, 300, LOG_STREAM_SVD, "exited with status 3");
	ck_assert_uint_eq(logring_count(&ring), 3);
	ck_assert_uint_eq(logring_last_seq(&ring), 3);
	ck_assert_uint_eq(logring_allocated(&ring), LOGRING_INITIAL_BYTES);
	tail_into(&ring, SIZE_MAX, &seen);
	ck_assert_uint_eq(seen.n, 3);
	ck_assert_uint_eq(seen.lines[0].seq, 1);
	ck_assert_uint_eq(seen.lines[0].realtime_usec, 100);
	ck_assert_int_eq(seen.lines[0].stream, LOG_STREAM_STDOUT);
	ck_assert_str_eq(seen.lines[0].text, "listening on :8080");
	ck_assert_uint_eq(seen.lines[0].len, strlen("listening on :8080"));
	ck_assert_uint_eq(seen.lines[1].seq, 2);
	ck_assert_int_eq(seen.lines[1].stream, LOG_STREAM_STDERR);
	ck_assert_str_eq(seen.lines[1].text, "warning: cache cold");
	ck_assert_uint_eq(seen.lines[2].seq, 3);
	ck_assert_uint_eq(seen.lines[2].realtime_usec, 300);
	ck_assert_int_eq(seen.lines[2].stream, LOG_STREAM_SVD);
	ck_assert_str_eq(seen.lines[2].text, "exited with status 3");
	logring_free(&ring);
}
END_TEST

START_TEST(tail_n_counts_from_the_newest)
{
	struct logring ring;
	struct seen seen;

	logring_init(&ring, 4096);
	push_numbered(&ring, 1, 5);
	tail_into(&ring, 0, &seen);
	ck_assert_uint_eq(seen.n, 0);
	tail_into(&ring, 1, &seen);
	ck_assert_uint_eq(seen.n, 1);
	ck_assert_uint_eq(seen.lines[0].seq, 5);
	ck_assert_str_eq(seen.lines[0].text, "line 5");
	tail_into(&ring, 3, &seen);
	ck_assert_uint_eq(seen.n, 3);
	ck_assert_str_eq(seen.lines[0].text, "line 3");
	ck_assert_str_eq(seen.lines[2].text, "line 5");
	tail_into(&ring, 5, &seen);
	ck_assert_uint_eq(seen.n, 5);
	ck_assert_uint_eq(seen.lines[0].seq, 1);
	tail_into(&ring, 100, &seen);
	ck_assert_uint_eq(seen.n, 5);
	ck_assert_str_eq(seen.lines[0].text, "line 1");
	ck_assert_str_eq(seen.lines[4].text, "line 5");
	logring_free(&ring);
}
END_TEST

START_TEST(empty_lines)
{
	struct logring ring;
	struct seen seen;

	logring_init(&ring, 4096);
	ck_assert_int_eq(logring_push(&ring, 1, LOG_STREAM_STDOUT, "", 0), 0);
	ck_assert_int_eq(logring_push(&ring, 2, LOG_STREAM_STDERR, NULL, 0), 0);
	push_str(&ring, 3, LOG_STREAM_STDOUT, "after");
	tail_into(&ring, SIZE_MAX, &seen);
	ck_assert_uint_eq(seen.n, 3);
	ck_assert_uint_eq(seen.lines[0].len, 0);
	ck_assert_str_eq(seen.lines[0].text, "");
	ck_assert_uint_eq(seen.lines[1].len, 0);
	ck_assert_str_eq(seen.lines[1].text, "");
	ck_assert_uint_eq(seen.lines[1].seq, 2);
	ck_assert_str_eq(seen.lines[2].text, "after");
	logring_free(&ring);
}
END_TEST

START_TEST(every_byte_but_nul)
{
	struct logring ring;
	struct seen seen;
	char text[255];

	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (char)(i + 1);
	logring_init(&ring, 4096);
	ck_assert_int_eq(logring_push(&ring, 1, LOG_STREAM_STDOUT, text, sizeof(text)), 0);
	tail_into(&ring, SIZE_MAX, &seen);
	ck_assert_uint_eq(seen.n, 1);
	ck_assert_uint_eq(seen.lines[0].len, sizeof(text));
	ck_assert_mem_eq(seen.lines[0].text, text, sizeof(text));
	ck_assert_int_eq(seen.lines[0].text[sizeof(text)], '\0');
	logring_free(&ring);
}
END_TEST

/* Pushes 40-byte lines until the ring holds count_goal of them, checking
 * that nothing is evicted on the way. */
static void fill_without_eviction(struct logring *ring, size_t count_goal)
{
	char text[40];

	memset(text, 'x', sizeof(text));
	while (logring_count(ring) < count_goal) {
		size_t before = logring_count(ring);

		ck_assert_int_eq(logring_push(ring, 0, LOG_STREAM_STDOUT, text, sizeof(text)), 0);
		ck_assert_uint_eq(logring_count(ring), before + 1);
	}
}

START_TEST(grows_by_doubling_from_initial)
{
	struct logring ring;
	size_t rec = logring_record_bytes(40);
	size_t cap = LOGRING_INITIAL_BYTES;

	logring_init(&ring, 8192);
	fill_without_eviction(&ring, 1);
	ck_assert_uint_eq(logring_allocated(&ring), cap);
	fill_without_eviction(&ring, cap / rec);
	ck_assert_uint_eq(logring_allocated(&ring), cap);
	for (; cap < 8192; cap *= 2) {
		fill_without_eviction(&ring, cap / rec + 1);
		ck_assert_uint_eq(logring_allocated(&ring), cap * 2);
	}
	fill_without_eviction(&ring, 8192 / rec);
	/* Full: from now on lines are evicted and the ring stays this size. */
	push_numbered(&ring, 1, 1000);
	ck_assert_uint_eq(logring_allocated(&ring), 8192);
	ck_assert_uint_eq(logring_count(&ring), 8192 / logring_record_bytes(strlen("line 1000")));
	logring_free(&ring);
}
END_TEST

START_TEST(growth_stops_at_an_odd_maximum)
{
	struct logring ring;

	logring_init(&ring, 3000);
	fill_without_eviction(&ring, 2048 / logring_record_bytes(40) + 1);
	ck_assert_uint_eq(logring_allocated(&ring), 3000);
	push_numbered(&ring, 1, 500);
	ck_assert_uint_eq(logring_allocated(&ring), 3000);
	logring_free(&ring);

	logring_init(&ring, 200);
	push_numbered(&ring, 1, 50);
	ck_assert_uint_eq(logring_allocated(&ring), 200);
	logring_free(&ring);
}
END_TEST

START_TEST(a_long_first_line_grows_at_once)
{
	struct logring ring;
	char text[1500];

	memset(text, 'y', sizeof(text));
	logring_init(&ring, 8192);
	ck_assert_int_eq(logring_push(&ring, 0, LOG_STREAM_STDOUT, text, sizeof(text)), 0);
	ck_assert_uint_eq(logring_allocated(&ring), 2048);
	logring_free(&ring);
}
END_TEST

START_TEST(eviction_keeps_the_newest)
{
	struct logring ring;
	struct seen seen;
	size_t rec = logring_record_bytes(strlen("line 1000"));

	logring_init(&ring, 2048);
	push_numbered(&ring, 1, 1000);
	ck_assert_uint_le(logring_allocated(&ring), 2048);
	ck_assert_uint_eq(logring_last_seq(&ring), 1000);
	ck_assert_uint_eq(logring_count(&ring), 2048 / rec);
	tail_into(&ring, 3, &seen);
	ck_assert_str_eq(seen.texts[0], "line 998");
	ck_assert_str_eq(seen.texts[2], "line 1000");
	ck_assert_uint_eq(seen.lines[2].seq, 1000);
	ck_assert_uint_eq(seen.lines[2].realtime_usec, 1000);
	logring_free(&ring);
}
END_TEST

START_TEST(record_too_big_is_emsgsize)
{
	struct logring ring;
	struct seen seen;
	char text[256];
	size_t fits = 0;

	memset(text, 'z', sizeof(text));
	while (logring_record_bytes(fits + 1) <= 256)
		fits++;
	logring_init(&ring, 256);
	errno = 0;
	ck_assert_int_eq(logring_push(&ring, 0, LOG_STREAM_STDOUT, text, fits + 1), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_uint_eq(logring_allocated(&ring), 0);
	ck_assert_uint_eq(logring_last_seq(&ring), 0);
	errno = 0;
	ck_assert_int_eq(logring_push(&ring, 0, LOG_STREAM_STDOUT, text, SIZE_MAX), -1);
	ck_assert_int_eq(errno, EMSGSIZE);

	/* A record of exactly max_bytes fits, alone. */
	push_str(&ring, 0, LOG_STREAM_STDOUT, "short");
	ck_assert_int_eq(logring_push(&ring, 0, LOG_STREAM_STDOUT, text, fits), 0);
	ck_assert_uint_eq(logring_count(&ring), 1);
	push_str(&ring, 0, LOG_STREAM_STDOUT, "next");
	tail_into(&ring, SIZE_MAX, &seen);
	ck_assert_uint_eq(seen.n, 1);
	ck_assert_str_eq(seen.texts[0], "next");
	ck_assert_uint_eq(seen.lines[0].seq, 3);
	logring_free(&ring);
}
END_TEST

START_TEST(bad_stream_is_einval)
{
	struct logring ring;

	logring_init(&ring, 1024);
	errno = 0;
	ck_assert_int_eq(logring_push(&ring, 0, (enum log_stream)4, "x", 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(logring_last_seq(&ring), 0);
	ck_assert_uint_eq(logring_allocated(&ring), 0);
}
END_TEST

START_TEST(free_starts_over)
{
	struct logring ring;
	struct seen seen;

	logring_init(&ring, 1024);
	push_numbered(&ring, 1, 100);
	logring_free(&ring);
	ck_assert_uint_eq(logring_allocated(&ring), 0);
	ck_assert_uint_eq(logring_count(&ring), 0);
	ck_assert_uint_eq(logring_last_seq(&ring), 0);
	push_str(&ring, 0, LOG_STREAM_STDOUT, "again");
	tail_into(&ring, SIZE_MAX, &seen);
	ck_assert_uint_eq(seen.n, 1);
	ck_assert_uint_eq(seen.lines[0].seq, 1);
	logring_free(&ring);
}
END_TEST

/* The randomized test: line seq has a random length, and bytes, stream and
 * time that follow from seq, so a line read back is checked without keeping
 * its text: its bytes are pattern[seq % 255 + i], never NUL. */
#define MODEL_PUSHES 6000
#define MODEL_TEXT_MAX_BYTES 4096

static char pattern[255 + MODEL_TEXT_MAX_BYTES];
static uint64_t rng_state = 88172645463325252u;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const char *model_text(uint64_t seq)
{
	if (!pattern[0])
		for (size_t i = 0; i < sizeof(pattern); i++)
			pattern[i] = (char)(1 + i % 255);
	return pattern + seq % 255;
}

struct model_check {
	const size_t *lens;	/* by seq */
	uint64_t first_seq;	/* of the first line seen, 0 before */
	uint64_t next_seq;	/* the seq the next line must have */
	size_t calls;
	size_t bytes;		/* record bytes of the lines seen */
	uint64_t bad_seq;	/* the first line that was not as pushed */
};

static bool line_as_pushed(const struct model_check *check,
			   const struct logring_line *line)
{
	return line->seq == check->next_seq &&
	       line->len == check->lens[line->seq] &&
	       line->realtime_usec == line->seq * 1000 &&
	       line->stream == (enum log_stream)(line->seq % 3) &&
	       memcmp(line->text, model_text(line->seq), line->len) == 0 &&
	       line->text[line->len] == '\0';
}

/* No ck_assert here: check marks every assertion through a pipe, too slow
 * for millions of lines. The caller looks at bad_seq. */
static void check_model_line(void *ctx, const struct logring_line *line)
{
	struct model_check *check = ctx;

	if (check->calls++ == 0)
		check->first_seq = check->next_seq = line->seq;
	if (!line_as_pushed(check, line) && !check->bad_seq)
		check->bad_seq = line->seq;
	check->next_seq++;
	check->bytes += logring_record_bytes(line->len);
}

/* After each push, tail(all) must be the newest lines as pushed,
 * contiguous, newest last, within the budget, and none evicted needlessly:
 * the lines kept plus the one evicted last fill the ring but for less than
 * one record (the most a wrap leaves unused at the buffer's end). Returns
 * what is wrong, or NULL. */
static const char *tail_all_mismatch(const struct logring *ring, const size_t *lens,
				     uint64_t pushed, size_t max_bytes, size_t max_rec)
{
	struct model_check check = { .lens = lens };

	logring_tail(ring, SIZE_MAX, check_model_line, &check);
	if (check.bad_seq)
		return "a line is not as pushed, or out of order";
	if (check.calls != logring_count(ring) || check.calls == 0)
		return "tail(all) called back count times";
	if (check.next_seq - 1 != pushed)
		return "the newest line is not last";
	if (check.bytes > logring_allocated(ring) || logring_allocated(ring) > max_bytes)
		return "more bytes than the budget";
	if (check.first_seq > 1 && logring_allocated(ring) != max_bytes)
		return "evicted before growing to max_bytes";
	if (check.first_seq > 1 &&
	    check.bytes + logring_record_bytes(lens[check.first_seq - 1]) <= max_bytes - max_rec)
		return "evicted more than needed";
	return NULL;
}

static const char *tail_n_mismatch(const struct logring *ring, const size_t *lens,
				   uint64_t pushed, size_t n)
{
	struct model_check check = { .lens = lens };
	size_t count = logring_count(ring);

	logring_tail(ring, n, check_model_line, &check);
	if (check.bad_seq)
		return "tail(n): a line is not as pushed, or out of order";
	if (check.calls != (n < count ? n : count))
		return "tail(n) called back min(n, count) times";
	if (n && check.next_seq - 1 != pushed)
		return "tail(n): the newest line is not last";
	return NULL;
}

static const struct {
	size_t max_bytes;
	size_t max_len;
} models[] = {
	{ 1024, 200 }, { 2048, 1000 }, { 3000, 2000 }, { 8192, 1000 },
	{ 16384, 4000 }, { 200, 100 }, { 2048, 0 },
};

START_TEST(wraps_with_mixed_sizes)
{
	static size_t lens[MODEL_PUSHES + 1];
	size_t max_bytes = models[_i].max_bytes, max_len = models[_i].max_len;
	size_t max_rec = logring_record_bytes(max_len);
	struct logring ring;

	ck_assert_uint_le(max_len, MODEL_TEXT_MAX_BYTES);
	logring_init(&ring, max_bytes);
	for (uint64_t seq = 1; seq <= MODEL_PUSHES; seq++) {
		/* Mostly short lines, some up to the longest. */
		size_t len = (size_t)(rng_next() % (rng_next() % 4 ? max_len / 8 + 1 : max_len + 1));
		size_t n = (size_t)(rng_next() % (logring_count(&ring) + 3));
		const char *why;

		lens[seq] = len;
		if (logring_push(&ring, seq * 1000, (enum log_stream)(seq % 3),
				 model_text(seq), len) < 0)
			ck_abort_msg("push %" PRIu64 ": %s", seq, strerror(errno));
		why = tail_all_mismatch(&ring, lens, seq, max_bytes, max_rec);
		if (!why)
			why = tail_n_mismatch(&ring, lens, seq, n);
		if (why)
			ck_abort_msg("max %zu, push %" PRIu64 " of %zu bytes: %s",
				     max_bytes, seq, len, why);
	}
	ck_assert_uint_eq(logring_last_seq(&ring), MODEL_PUSHES);
	logring_free(&ring);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("logring");
	TCase *tc = tcase_create("logring");

	tcase_add_test(tc, empty_ring_allocates_nothing);
	tcase_add_test(tc, stream_names);
	tcase_add_test(tc, lines_come_back_in_order);
	tcase_add_test(tc, priority_comes_back);
	tcase_add_test(tc, tail_n_counts_from_the_newest);
	tcase_add_test(tc, empty_lines);
	tcase_add_test(tc, every_byte_but_nul);
	tcase_add_test(tc, grows_by_doubling_from_initial);
	tcase_add_test(tc, growth_stops_at_an_odd_maximum);
	tcase_add_test(tc, a_long_first_line_grows_at_once);
	tcase_add_test(tc, eviction_keeps_the_newest);
	tcase_add_test(tc, record_too_big_is_emsgsize);
	tcase_add_test(tc, bad_stream_is_einval);
	tcase_add_test(tc, free_starts_over);
	tcase_add_loop_test(tc, wraps_with_mixed_sizes, 0, sizeof(models) / sizeof(models[0]));
	suite_add_tcase(s, tc);
	return check_run(s);
}
