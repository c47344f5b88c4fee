/* ctl/output and ctl/monitor_out: what svctl prints, for people and as
 * JSON, from replies as svd sends them. */
#include <check.h>

#include "check_main.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor_out.h"
#include "output.h"

static struct proto_buf buf;
static struct proto_msg msg;
static char *text;
static size_t text_len;

/* A reply of KEY, VALUE, ... pairs (NULL-terminated), decoded. */
static const struct proto_msg *reply(const char *key, ...)
{
	const char *error = NULL;
	va_list ap;

	proto_begin(&buf, NULL);
	va_start(ap, key);
	for (const char *k = key; k; k = va_arg(ap, const char *))
		ck_assert_int_eq(proto_put(&buf, k, va_arg(ap, const char *)), 0);
	va_end(ap);
	ck_assert_int_eq(proto_decode(buf.data, buf.len, false, &msg, &error), 0);
	return &msg;
}

static FILE *capture(void)
{
	free(text);
	text = NULL;
	return open_memstream(&text, &text_len);
}

START_TEST(json_is_typed)
{
	FILE *out = capture();

	output_json_object(out, reply("Id", "web.service", "MainPID", "42",
				      "NRestarts", "0", "StatusErrno", "-5",
				      "WatchdogUSec", "", "ExecStart", "/bin/a",
				      "LogDroppedLines", "3", "Description", "12",
				      "status", "ok", NULL), NULL);
	fclose(out);
	ck_assert_str_eq(text, "{\"Id\":\"web.service\",\"MainPID\":42,"
			 "\"NRestarts\":0,\"StatusErrno\":-5,\"WatchdogUSec\":null,"
			 "\"ExecStart\":[\"/bin/a\"],\"LogDroppedLines\":3,"
			 "\"Description\":\"12\"}");
}
END_TEST

START_TEST(json_number_that_is_not_stays_a_string)
{
	FILE *out = capture();

	output_json_object(out, reply("MainPID", "4x2", "NRestarts", "-1", NULL),
			   NULL);
	fclose(out);
	ck_assert_str_eq(text, "{\"MainPID\":\"4x2\",\"NRestarts\":\"-1\"}");
}
END_TEST

START_TEST(json_log_lines_are_objects_and_filter)
{
	FILE *out = capture();

	output_json_object(out, reply("Id", "a", "LogTime", "T1", "LogStream",
				      "stdout", "LogText", "hi \"x\"", "LogTime",
				      "T2", "LogStream", "svd", "LogText", "b", NULL),
			   NULL);
	fclose(out);
	ck_assert_str_eq(text, "{\"Id\":\"a\",\"Log\":["
			 "{\"time\":\"T1\",\"stream\":\"stdout\",\"text\":\"hi \\\"x\\\"\"},"
			 "{\"time\":\"T2\",\"stream\":\"svd\",\"text\":\"b\"}]}");
	out = capture();
	output_json_object(out, reply("Id", "a", "MainPID", "1", "State", "x", NULL),
			   "MainPID,State");
	fclose(out);
	ck_assert_str_eq(text, "{\"MainPID\":1,\"State\":\"x\"}");
}
END_TEST

START_TEST(show_property_and_value)
{
	FILE *out = capture();

	output_show(out, reply("Id", "a", "MainPID", "7", "status", "ok", NULL),
		    "MainPID", true);
	output_show(out, &msg, NULL, false);
	fclose(out);
	ck_assert_str_eq(text, "7\nId=a\nMainPID=7\n");
}
END_TEST

START_TEST(list_widens_and_counts)
{
	struct output_row rows[] = {
		{ "a-rather-long-name-of-forty-characters.service", "loaded",
		  "failed", "failed", "A" },
		{ "b.service", "loaded", "active", "running", "B" },
	};
	struct output_list_opts opts = { .legend = true, .hidden = 1 };
	FILE *out = capture();
	char want[128];

	output_list(out, rows, 2, &opts);
	fclose(out);

	/* Each column as wide as its widest cell, the long name's. */
	snprintf(want, sizeof(want), "\n%-*s loaded active running B\n",
		 (int)strlen(rows[0].id), "b.service");
	ck_assert_msg(strstr(text, want), "%s", text);
	ck_assert_msg(strstr(text, "2 units listed. 1 other not shown (see --all).\n"),
		      "%s", text);
	ck_assert(!strchr(text, '\033'));
	out = capture();
	opts.color = true;
	opts.legend = false;
	output_list(out, rows, 2, &opts);
	fclose(out);
	/* Red for the failed row only; no heading, no count. */
	ck_assert_msg(strstr(text, " \033[0;1;31mfailed failed \033[0m A\n"), "%s", text);
	ck_assert_int_eq(strncmp(text, "a-rather", 8), 0);
	ck_assert(!strstr(text, "listed"));
}
END_TEST

START_TEST(list_empty_says_so)
{
	struct output_list_opts opts = { .legend = true };
	FILE *out = capture();

	output_list(out, NULL, 0, &opts);
	fclose(out);
	ck_assert_str_eq(text, "0 units listed.\n");
}
END_TEST

START_TEST(status_colours_only_when_asked)
{
	FILE *out = capture();

	output_status(out, reply("Id", "web.service", "ActiveState", "active",
				 "SubState", "running", "MainPID", "0", NULL), false);
	fclose(out);
	ck_assert(!strchr(text, '\033'));
	ck_assert_msg(strstr(text, "     Active: active (running)\n"), "%s", text);
	out = capture();
	output_status(out, &msg, true);
	fclose(out);
	ck_assert_msg(strstr(text, "\033[0;1;32m\u25cf\033[0m web.service\n"), "%s", text);
	ck_assert_msg(strstr(text, "Active: \033[0;1;32mactive (running)\033[0m"),
		      "%s", text);
}
END_TEST

START_TEST(monitor_lines)
{
	FILE *out = capture();

	monitor_out_event(out, reply("Id", "web.service", "State", "running",
				     "ActiveState", "active", "SubState", "running",
				     "StateCauseText", "started\033[2J",
				     "StateChangeTimestampUSec", "1765000000250000",
				     "MainPID", "42", "OldState", "start", NULL), false);
	monitor_out_event(out, reply("Id", "web.service", "State", "failed",
				     "ActiveState", "failed", "SubState", "failed",
				     "StateCauseText", "exited with status 3",
				     "StateChangeTimestampUSec", "1765000001000000",
				     "MainPID", "0", "OldState", "running",
				     "ExecMainCode", "exited", "ExecMainStatus", "3",
				     NULL), false);
	monitor_out_event(out, reply("EventsDropped", "12",
				     "StateChangeTimestampUSec", "1765000002000000",
				     NULL), false);
	monitor_out_event(out, reply("Id", "a", "MainPID", "5", NULL), true);
	fclose(out);
	ck_assert_str_eq(text,
		"2025-12-06T05:46:40.250000Z web.service: start -> running "
		"(active/running): started?[2J; pid 42\n"
		"2025-12-06T05:46:41.000000Z web.service: running -> failed "
		"(failed/failed): exited with status 3; exited, status=3\n"
		"2025-12-06T05:46:42.000000Z svd: 12 events lost: svctl did not "
		"read fast enough\n"
		"{\"Id\":\"a\",\"MainPID\":5}\n");
}
END_TEST

static Suite *output_suite(void)
{
	Suite *s = suite_create("ctl_output");
	TCase *tc = tcase_create("output");

	tcase_add_test(tc, json_is_typed);
	tcase_add_test(tc, json_number_that_is_not_stays_a_string);
	tcase_add_test(tc, json_log_lines_are_objects_and_filter);
	tcase_add_test(tc, show_property_and_value);
	tcase_add_test(tc, list_widens_and_counts);
	tcase_add_test(tc, list_empty_says_so);
	tcase_add_test(tc, status_colours_only_when_asked);
	tcase_add_test(tc, monitor_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int r = check_run(output_suite());

	free(text);
	return r;
}
