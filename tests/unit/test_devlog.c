/* devlog: parsing syslog datagrams (glibc's and logger's RFC 3164 shape,
 * RFC 5424, bare text). The socket side, attribution and forwarding are
 * tested with real senders by tests/integration/test_syslog.sh. */
#include <check.h>

#include "check_main.h"
#include <string.h>

#include "devlog_msg.h"

static struct devlog_msg parse(const char *text)
{
	struct devlog_msg msg;

	devlog_parse(text, strlen(text), &msg);
	return msg;
}

static void assert_slice(const char *got, size_t len, const char *want)
{
	if (!want) {
		ck_assert_ptr_null(got);
		ck_assert_uint_eq(len, 0);
		return;
	}
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_int_eq(memcmp(got, want, len), 0);
}

static void assert_msg(const char *text, int priority, const char *tag,
		       const char *pid, const char *body)
{
	struct devlog_msg msg = parse(text);

	ck_assert_int_eq(msg.priority, priority);
	assert_slice(msg.tag, msg.tag_len, tag);
	assert_slice(msg.pid, msg.pid_len, pid);
	assert_slice(msg.text, msg.text_len, body);
}

START_TEST(glibc_syslog)
{
	/* syslog(LOG_ERR | LOG_DAEMON, ...) after openlog("web", LOG_PID) */
	assert_msg("<27>Dec  6 12:00:01 web[4242]: listening failed", 27, "web",
		   "4242", "listening failed");
	assert_msg("<14>Nov 23 09:05:59 cron: job done", 14, "cron", NULL,
		   "job done");
	/* Only one blank is the separator: the rest is the message's. */
	assert_msg("<13>Jan  1 00:00:00 app:   indented", 13, "app", NULL,
		   "  indented");
	/* A trailing newline or NUL is not part of the text. */
	assert_msg("<11>Jan  1 00:00:00 x[1]: a\n", 11, "x", "1", "a");
	{
		const char buf[] = "<11>Jan  1 00:00:00 x[1]: a\n";
		struct devlog_msg msg;

		devlog_parse(buf, sizeof(buf), &msg);	/* with the NUL */
		assert_slice(msg.text, msg.text_len, "a");
	}
}
END_TEST

START_TEST(no_timestamp_or_no_tag)
{
	assert_msg("<30>svd-test[12]: hi", 30, "svd-test", "12", "hi");
	assert_msg("<30>just words here", 30, NULL, NULL, "just words here");
	/* The first word ends in ':': that is a tag, as journald reads it. */
	assert_msg("<30>Note: it is", 30, "Note", NULL, "it is");
	assert_msg("<30>tag:", 30, "tag", NULL, "");
	assert_msg("<30>[12]: no name", 30, NULL, "12", "no name");
	assert_msg("<30>a[]: empty pid", 30, "a", NULL, "empty pid");
	assert_msg("<30>Dec  6 12:00:01 ", 30, NULL, NULL, "");
}
END_TEST

START_TEST(bare_and_bad_priority)
{
	assert_msg("hello", DEVLOG_DEFAULT_PRIORITY, NULL, NULL, "hello");
	assert_msg("", DEVLOG_DEFAULT_PRIORITY, NULL, NULL, "");
	/* A bad "<N>" is text: nothing is lost. */
	assert_msg("<192>too big", DEVLOG_DEFAULT_PRIORITY, NULL, NULL,
		   "<192>too big");
	assert_msg("<1234>x", DEVLOG_DEFAULT_PRIORITY, NULL, NULL, "<1234>x");
	assert_msg("<>x", DEVLOG_DEFAULT_PRIORITY, NULL, NULL, "<>x");
	assert_msg("<7", DEVLOG_DEFAULT_PRIORITY, NULL, NULL, "<7");
	assert_msg("<191>max", 191, NULL, NULL, "max");
	assert_msg("<0>kern", 0, NULL, NULL, "kern");
}
END_TEST

START_TEST(rfc5424)
{
	assert_msg("<165>1 2003-10-11T22:14:15.003Z host.example evntslog 1234 "
		   "ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"App\"] "
		   "An application event", 165, "evntslog", "1234",
		   "An application event");
	/* Nil values, no MSG, a BOM, an escaped ']' in a value. */
	assert_msg("<34>1 - - su - ID47 -", 34, "su", NULL, "");
	assert_msg("<34>1 - - - - - - \xef\xbb\xbfutf8", 34, NULL, NULL, "utf8");
	assert_msg("<34>1 - h a 9 - [x@1 k=\"a\\]b\"][y@2] m", 34, "a", "9", "m");
	/* Not 5424 after all: read as 3164 from past the priority. */
	assert_msg("<34>1 - h a", 34, NULL, NULL, "1 - h a");
	assert_msg("<34>1 - h a 9 - [unclosed m", 34, NULL, NULL,
		   "1 - h a 9 - [unclosed m");
}
END_TEST

START_TEST(any_bytes)
{
	const char buf[] = "<12>x[1]: a\0b\x01\xff";
	struct devlog_msg msg;

	devlog_parse(buf, sizeof(buf) - 1, &msg);
	ck_assert_int_eq(msg.priority, 12);
	ck_assert_uint_eq(msg.text_len, 5);
	ck_assert_int_eq(memcmp(msg.text, "a\0b\x01\xff", 5), 0);
}
END_TEST

static Suite *devlog_suite(void)
{
	Suite *s = suite_create("devlog");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, glibc_syslog);
	tcase_add_test(tc, no_timestamp_or_no_tag);
	tcase_add_test(tc, bare_and_bad_priority);
	tcase_add_test(tc, rfc5424);
	tcase_add_test(tc, any_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(devlog_suite());
}
