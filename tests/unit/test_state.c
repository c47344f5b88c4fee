/* state: the re-exec state format, written and read back. */
#include <check.h>

#include "check_main.h"
#include <stdlib.h>
#include <string.h>

#include "logring.h"
#include "state.h"
#include "state_fields.h"
#include "svc.h"

static void fill(struct state_image *img)
{
	struct state_unit *u;
	static const char binary[] = "a b\n%c\0d\xff";

	state_image_init(img);
	img->control_fd = 3;
	img->notify_fd = 4;
	img->booted = true;
	img->orphans_reaped = 12345678901ULL;
	u = state_image_add_unit(img);
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(state_blob_set(&u->name, "web.service", 11), 0);
	u->state = SVC_AUTO_RESTART;
	u->cause = SVC_CAUSE_EXITED;
	u->cause_detail = 3;
	ck_assert_int_eq(state_blob_set(&u->cause_text, "it said: 100% = done", 20), 0);
	u->since_age = 1.25;
	u->since_wall = 1796568529.527855;
	u->timer_left = 0.3;
	u->main_pid = 4242;
	u->n_restarts = 7;
	u->limit_open = true;
	u->limit_age = 2.5;
	u->limit_count = 3;
	u->out_fd = 9;
	ck_assert_int_eq(state_blob_set(&u->out_partial, binary, sizeof(binary) - 1), 0);
	u->listen_fds = calloc(2, sizeof(*u->listen_fds));
	u->listen_fds[0] = 10;
	u->listen_fds[1] = 11;
	u->n_listen_fds = 2;
	ck_assert_int_eq(state_unit_add_line(u, 41, 1000, LOG_STREAM_STDOUT,
					     LOG_PRIORITY_NONE, "hello world", 11), 0);
	ck_assert_int_eq(state_unit_add_line(u, 42, 1001, LOG_STREAM_SYSLOG, 3,
					     "", 0), 0);
	/* A second unit at its defaults. */
	u = state_image_add_unit(img);
	ck_assert_int_eq(state_blob_set(&u->name, "idle.service", 12), 0);
}

START_TEST(round_trip)
{
	struct state_image img, back;
	char why[200], *buf, *again;
	size_t len, len2;

	fill(&img);
	buf = state_save_buffer(&img, &len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(state_load(buf, len, &back, why, sizeof(why)), 0);
	ck_assert_uint_eq(back.n_units, 2);
	ck_assert_int_eq(back.control_fd, 3);
	ck_assert_int_eq(back.devlog_fd, -1);
	ck_assert(back.orphans_reaped == 12345678901ULL);
	ck_assert_str_eq(back.units[0].name.data, "web.service");
	ck_assert_int_eq(back.units[0].state, SVC_AUTO_RESTART);
	ck_assert_str_eq(back.units[0].cause_text.data, "it said: 100% = done");
	ck_assert(back.units[0].since_wall == 1796568529.527855);
	ck_assert(back.units[0].timer_left == 0.3);
	ck_assert_uint_eq(back.units[0].out_partial.len, 9);
	ck_assert_mem_eq(back.units[0].out_partial.data, "a b\n%c\0d\xff", 9);
	ck_assert_uint_eq(back.units[0].n_listen_fds, 2);
	ck_assert_int_eq(back.units[0].listen_fds[1], 11);
	ck_assert_uint_eq(back.units[0].n_lines, 2);
	ck_assert_str_eq(back.units[0].lines[0].text.data, "hello world");
	ck_assert_int_eq(back.units[0].lines[1].priority, 3);
	ck_assert_int_eq(back.units[1].timer_left, -1);
	ck_assert_int_eq(back.units[1].out_fd, -1);
	ck_assert_ptr_null(back.units[1].cause_text.data);
	/* And again: the same bytes. */
	again = state_save_buffer(&back, &len2);
	ck_assert_uint_eq(len, len2);
	ck_assert_mem_eq(buf, again, len);
	free(again);
	free(buf);
	state_image_free(&back);
	state_image_free(&img);
}
END_TEST

/* Any cut is refused, with nothing kept. */
START_TEST(truncated)
{
	struct state_image img, back;
	char why[200], *buf;
	size_t len;

	fill(&img);
	buf = state_save_buffer(&img, &len);
	for (size_t cut = 0; cut < len; cut++) {
		ck_assert_int_eq(state_load(buf, cut, &back, why, sizeof(why)), -1);
		ck_assert_uint_eq(back.n_units, 0);
		ck_assert(why[0] != '\0');
	}
	free(buf);
	state_image_free(&img);
}
END_TEST

static int load_text(const char *text, char *why, size_t size)
{
	struct state_image img;
	int r = state_load(text, strlen(text), &img, why, size);

	state_image_free(&img);
	return r;
}

START_TEST(bad_version_and_fields)
{
	char why[200];

	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nend\n", why, sizeof(why)), 0);
	ck_assert_int_eq(load_text("svd-state 2\ndaemon\nend\n", why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "format version 2"));
	ck_assert_int_eq(load_text("svd-state 0\ndaemon\nend\n", why, sizeof(why)), -1);
	ck_assert_int_eq(load_text("sv-state 1\ndaemon\nend\n", why, sizeof(why)), -1);
	ck_assert_int_eq(state_peek_version("svd-state 12\n", 13), 12);
	ck_assert_int_eq(state_peek_version("svd-state x\n", 12), -1);
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nunit name=a state=flying\nend\n",
				   why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "line 3"));
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nunit state=running\nend\n",
				   why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "name missing"));
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nunit name=a state=running bogus=1\nend\n",
				   why, sizeof(why)), -1);
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nunit name=a state=running main_pid=-5\nend\n",
				   why, sizeof(why)), -1);
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nunit name=a state=running name=b\nend\n",
				   why, sizeof(why)), -1);
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nunit name=a%0 state=running\nend\n",
				   why, sizeof(why)), -1);
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nunit name=a%00 state=running\nend\n",
				   why, sizeof(why)), -1);
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nunit name=a state=running timer_left=nan\nend\n",
				   why, sizeof(why)), -1);
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nline seq=1 stream=stdout text=x\nend\n",
				   why, sizeof(why)), -1);
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nend\nmore\n", why, sizeof(why)), -1);
	ck_assert_int_eq(load_text("svd-state 1\ndaemon\nunit name=a state=running\n"
				   "line seq=2 stream=stdout text=x\nline seq=2 stream=stdout text=y\nend\n",
				   why, sizeof(why)), -1);
}
END_TEST

START_TEST(format_line)
{
	char line[64];

	state_format_line(line, sizeof(line));
	ck_assert(state_format_accepts(line, STATE_FORMAT_VERSION));
	ck_assert(!state_format_accepts(line, STATE_FORMAT_VERSION + 1));
	ck_assert(!state_format_accepts("svd-state 7 9", STATE_FORMAT_VERSION));
	ck_assert(!state_format_accepts("garbage", 1));
}
END_TEST

/* The reader marks the fields seen in a 64-bit set. */
START_TEST(tables_fit)
{
	size_t n = 0;

	while (state_unit_fields[n].key)
		n++;
	ck_assert_uint_le(n, 64);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, bad_version_and_fields);
	tcase_add_test(tc, format_line);
	tcase_add_test(tc, tables_fit);
	suite_add_tcase(s, tc);
	return check_run(s);
}
