/* ctl/args: svctl's command line, options anywhere as systemctl's. */
#include <check.h>

#include "check_main.h"
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

static struct ctl_args args;
static char errbuf[512];
/* argv as main() gets it: writable words that outlive the parse. */
static char words[32][128];

/* Parses the words (NULL-terminated) after "svctl"; the error text, if
 * any, in errbuf. */
static int parse(const char *first, ...)
{
	char *argv[32] = { words[0] };
	int argc = 1;
	va_list ap;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");
	int r;

	memset(errbuf, 0, sizeof(errbuf));
	va_start(ap, first);
	strcpy(words[0], "svctl");
	for (const char *w = first; w; w = va_arg(ap, const char *)) {
		snprintf(words[argc], sizeof(words[argc]), "%s", w);
		argv[argc] = words[argc];
		argc++;
	}
	va_end(ap);
	ctl_args_free(&args);
	r = ctl_args_parse(&args, argc, argv, "/default.sock", err);
	fclose(err);
	return r;
}

START_TEST(options_after_the_verb_and_units)
{
	ck_assert_int_eq(parse("status", "--json", "web", NULL), 0);
	ck_assert_str_eq(args.verb, "status");
	ck_assert(args.json);
	ck_assert_int_eq(args.n_operands, 1);
	ck_assert_str_eq(args.operands[0], "web");
	ck_assert_int_eq(parse("list", "--json", NULL), 0);
	ck_assert_str_eq(args.verb, "list");
	ck_assert_int_eq(args.n_operands, 0);
	ck_assert_int_eq(parse("--json", "is-active", "a", "b", "-q", NULL), 0);
	ck_assert(args.json && args.quiet);
	ck_assert_int_eq(args.n_operands, 2);
	ck_assert_str_eq(args.socket_path, "/default.sock");
}
END_TEST

START_TEST(socket_before_the_verb_signal_after_kill)
{
	ck_assert_int_eq(parse("-s", "/x.sock", "kill", "-s", "HUP", "web", NULL), 0);
	ck_assert_str_eq(args.socket_path, "/x.sock");
	ck_assert_int_eq(args.signal, SIGHUP);
	ck_assert_str_eq(args.operands[0], "web");
	ck_assert_int_eq(parse("kill", "web", "--signal=SIGKILL",
			       "--kill-whom=main", NULL), 0);
	ck_assert_int_eq(args.signal, SIGKILL);
	ck_assert_str_eq(args.kill_whom, "main");
	ck_assert_int_eq(parse("status", "-s", "/y.sock", "web", NULL), 0);
	ck_assert_str_eq(args.socket_path, "/y.sock");
	ck_assert_int_eq(parse("--socket=/z.sock", "list", NULL), 0);
	ck_assert_str_eq(args.socket_path, "/z.sock");
}
END_TEST

START_TEST(values_joined_and_forms)
{
	ck_assert_int_eq(parse("show", "-p", "A", "web", "--property=B,C",
			       "-pD", "--value", NULL), 0);
	ck_assert_str_eq(args.properties, "A,B,C,D");
	ck_assert(args.value);
	ck_assert(ctl_args_in_list(args.properties, "C"));
	ck_assert(!ctl_args_in_list(args.properties, "AB"));
	ck_assert(ctl_args_in_list(NULL, "anything"));
	ck_assert_int_eq(parse("logs", "web", "-n", "5", "-f", NULL), 0);
	ck_assert_str_eq(args.lines, "5");
	ck_assert(args.follow);
	ck_assert_int_eq(parse("logs", "-n7", "web", NULL), 0);
	ck_assert_str_eq(args.lines, "7");
	ck_assert_int_eq(parse("list", "--failed", NULL), 0);
	ck_assert_str_eq(args.state, "failed");
	ck_assert_int_eq(parse("list", "--state", "active,failed", "-a", NULL), 0);
	ck_assert_str_eq(args.state, "active,failed");
	ck_assert(args.all);
	ck_assert_int_eq(parse("--json=pretty", "--no-pager", "--no-color",
			       "list", NULL), 0);
	ck_assert(args.json && args.no_color);
}
END_TEST

START_TEST(double_dash_ends_options)
{
	ck_assert_int_eq(parse("tmpfiles", "--create", "--", "-odd.conf", NULL), 0);
	ck_assert(args.create);
	ck_assert_int_eq(args.n_operands, 1);
	ck_assert_str_eq(args.operands[0], "-odd.conf");
}
END_TEST

START_TEST(bad_input_is_a_usage_error)
{
	ck_assert_int_eq(parse("list", "--bogus", NULL), -1);
	ck_assert_str_eq(errbuf, "svctl: unknown option --bogus\n");
	ck_assert_int_eq(parse("show", "web", "-p", NULL), -1);
	ck_assert_str_eq(errbuf, "svctl: -p needs a value\n");
	ck_assert_int_eq(parse("kill", "-s", "NOPE", "web", NULL), -1);
	ck_assert_str_eq(errbuf, "svctl: NOPE: not a signal\n");
	ck_assert_int_eq(parse("kill", "--kill-whom=some", "web", NULL), -1);
	ck_assert_int_eq(parse("logs", "web", "-n", "x", NULL), -1);
	ck_assert_str_eq(errbuf, "svctl: -n x: expected a number\n");
	ck_assert_int_eq(parse("-s", NULL), -1);
}
END_TEST

START_TEST(signal_names)
{
	ck_assert_int_eq(ctl_args_signal("TERM"), SIGTERM);
	ck_assert_int_eq(ctl_args_signal("sigusr1"), SIGUSR1);
	ck_assert_int_eq(ctl_args_signal("9"), 9);
	ck_assert_int_eq(ctl_args_signal("0"), -1);
	ck_assert_int_eq(ctl_args_signal("9x"), -1);
	ck_assert_int_eq(ctl_args_signal("1000"), -1);
	ck_assert_int_eq(ctl_args_signal(""), -1);
	ck_assert_int_eq(ctl_args_signal("SIG"), -1);
}
END_TEST

START_TEST(security_units_and_threshold)
{
	ck_assert_int_eq(parse("security", "-u", "/a", "web", "--units=/b",
			       "--threshold=50", NULL), 0);
	ck_assert_int_eq(args.n_unit_dirs, 2);
	ck_assert_str_eq(args.unit_dirs[0], "/a");
	ck_assert_str_eq(args.unit_dirs[1], "/b");
	ck_assert_int_eq(args.threshold, 50);
	ck_assert_int_eq(args.n_operands, 1);
	ck_assert_int_eq(parse("security", NULL), 0);
	ck_assert_int_eq(args.threshold, -1);	/* not given */
	ck_assert_int_eq(parse("security", "--threshold=0", NULL), 0);
	ck_assert_int_eq(args.threshold, 0);
	ck_assert_int_eq(parse("security", "--threshold=101", NULL), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "expected a number from 0 to 100"));
	ck_assert_int_eq(parse("security", "--threshold=-1", NULL), -1);
	ck_assert_int_eq(parse("security", "--threshold=5x", NULL), -1);
	ck_assert_int_eq(parse("security", "-u", NULL), -1);
	ck_assert_ptr_nonnull(strstr(errbuf, "-u needs a value"));
}
END_TEST

static Suite *args_suite(void)
{
	Suite *s = suite_create("ctl_args");
	TCase *tc = tcase_create("args");

	tcase_add_test(tc, options_after_the_verb_and_units);
	tcase_add_test(tc, socket_before_the_verb_signal_after_kill);
	tcase_add_test(tc, values_joined_and_forms);
	tcase_add_test(tc, double_dash_ends_options);
	tcase_add_test(tc, bad_input_is_a_usage_error);
	tcase_add_test(tc, signal_names);
	tcase_add_test(tc, security_units_and_threshold);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int r = check_run(args_suite());

	ctl_args_free(&args);
	return r;
}
