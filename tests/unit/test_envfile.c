/* Tests for conf/envfile.c: EnvironmentFile= syntax and reading. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "envfile.h"
#include "strv.h"

/* The warnings a parse gave, in order. */
struct warnings {
	char **messages;
};

static void collect(void *ctx, const char *message)
{
	struct warnings *w = ctx;

	ck_assert_int_eq(strv_push(&w->messages, message), 0);
}

/* Parses text (NUL-terminated) as test.env; returns the environment. */
static char **parse(const char *text, struct warnings *w)
{
	char **env = NULL;

	ck_assert_int_eq(envfile_parse(text, strlen(text), "test.env", &env,
				       collect, w), 0);
	return env;
}

/* Parses text that must give no warning. */
static char **parse_clean(const char *text)
{
	struct warnings w = { NULL };
	char **env = parse(text, &w);

	ck_assert_msg(w.messages == NULL, "unexpected warning: %s",
		      w.messages ? w.messages[0] : "");
	return env;
}

static void assert_var(char **env, const char *key, const char *value)
{
	const char *got = strv_env_get(env, key);

	ck_assert_msg(got != NULL, "%s is not set", key);
	ck_assert_str_eq(got, value);
}

/* The one value text gives A. */
static void assert_a(const char *text, const char *value)
{
	char **env = parse_clean(text);

	ck_assert_msg(strv_length(env) == 1, "\"%s\" should set one variable",
		      text);
	assert_var(env, "A", value);
	strv_free(env);
}

START_TEST(comments_and_blanks)
{
	char **env = parse_clean("# a comment\n"
				 "; another one\n"
				 "   # indented\n"
				 "\n"
				 "  \t\n"
				 "# not continued \\\n"
				 "A=1\n"
				 "B=2 # not a comment here\n");

	ck_assert_uint_eq(strv_length(env), 2);
	assert_var(env, "A", "1");
	assert_var(env, "B", "2 # not a comment here");
	strv_free(env);
	ck_assert_ptr_null(parse_clean(""));
	ck_assert_ptr_null(parse_clean("# only\n\n"));
}
END_TEST

START_TEST(unquoted)
{
	assert_a("A=1", "1");
	assert_a("A=hello world\n", "hello world");
	assert_a("  A  =   hello world  \t\n", "hello world");
	assert_a("A=\n", "");
	assert_a("A=   \n", "");
	assert_a("A=x=y\n", "x=y");
	assert_a("A=a\"b'c\n", "a\"b'c");
	assert_a("A=1\r\n", "1");
}
END_TEST

START_TEST(unquoted_escapes)
{
	assert_a("A=a\\ b\n", "a b");
	assert_a("A=a\\\\b\n", "a\\b");
	assert_a("A=a\\\"b\n", "a\"b");
	assert_a("A=a\\nb\n", "anb");
	assert_a("A=\\ x\n", " x");
	/* an escaped trailing blank is kept, a plain one dropped */
	assert_a("A=x\\  \n", "x ");
	assert_a("A=x\\", "x");
}
END_TEST

START_TEST(unquoted_continuation)
{
	char **env = parse_clean("A=one \\\n  two\nB=3\n");

	assert_var(env, "A", "one   two");
	assert_var(env, "B", "3");
	strv_free(env);
	assert_a("A=one\\\ntwo\\\nthree\n", "onetwothree");
}
END_TEST

START_TEST(single_quotes)
{
	char **env;

	assert_a("A='x  y'\n", "x  y");
	assert_a("A='\\n \\\\ $HOME \"q\" `c`'\n", "\\n \\\\ $HOME \"q\" `c`");
	assert_a("A=''\n", "");
	assert_a("A='  '\n", "  ");
	env = parse_clean("A='one\ntwo\\\nthree'\nB=2\n");
	assert_var(env, "A", "one\ntwo\\\nthree");
	assert_var(env, "B", "2");
	strv_free(env);
}
END_TEST

START_TEST(double_quotes)
{
	char **env;

	assert_a("A=\"x  y\"\n", "x  y");
	assert_a("A=\"a\\\"b\\\\c\\`d\\$e\"\n", "a\"b\\c`d$e");
	/* any other backslash stays, as in sh */
	assert_a("A=\"a\\nb\\'c\"\n", "a\\nb\\'c");
	assert_a("A=\"it's\"\n", "it's");
	assert_a("A=\"\"\n", "");
	env = parse_clean("A=\"one\ntwo\"\nB=\"x\\\ny\"\nC=3\n");
	assert_var(env, "A", "one\ntwo");
	assert_var(env, "B", "xy");
	assert_var(env, "C", "3");
	strv_free(env);
}
END_TEST

START_TEST(after_closing_quote)
{
	assert_a("A=\"x\" y\n", "xy");
	assert_a("A=\"x\"'y'z\n", "xyz");
	assert_a("A=\"a b\"  c d  \n", "a bc d");
	assert_a("A=\"a b\"   \n", "a b");
	assert_a("A='x'\"y\" 'z'\n", "xyz");
	/* quotes inside an unquoted value are plain characters */
	assert_a("A=x \"y z\"\n", "x \"y z\"");
}
END_TEST

START_TEST(later_wins)
{
	char **env = NULL;

	ck_assert_int_eq(strv_push(&env, "A=old"), 0);
	ck_assert_int_eq(strv_push(&env, "KEEP=me"), 0);
	ck_assert_int_eq(envfile_parse("A=1\nB=2\nA=3\n", 12, "test.env",
				       &env, NULL, NULL), 0);
	ck_assert_uint_eq(strv_length(env), 3);
	assert_var(env, "A", "3");
	assert_var(env, "B", "2");
	assert_var(env, "KEEP", "me");
	strv_free(env);
}
END_TEST

/* Checks warning i starts with "test.env:LINE: ". */
static void assert_warning(struct warnings *w, size_t i, unsigned line,
			   const char *part)
{
	char prefix[64];

	ck_assert_uint_gt(strv_length(w->messages), i);
	snprintf(prefix, sizeof(prefix), "test.env:%u: ", line);
	ck_assert_msg(strncmp(w->messages[i], prefix, strlen(prefix)) == 0,
		      "warning %zu \"%s\" should start with \"%s\"", i,
		      w->messages[i], prefix);
	ck_assert_msg(strstr(w->messages[i], part) != NULL,
		      "warning \"%s\" should say \"%s\"", w->messages[i], part);
}

START_TEST(invalid_lines)
{
	struct warnings w = { NULL };
	char **env = parse("A=1\n"			/* 1 */
			   "no equals here\n"		/* 2 */
			   "9X=bad\n"			/* 3 */
			   "export B=2\n"		/* 4 */
			   "C='multi\n"			/* 5 */
			   "line'\n"			/* 6 */
			   "=empty\n"			/* 7 */
			   "D=one\\\n"			/* 8 */
			   "two\n"			/* 9 */
			   "X-Y=3\n"			/* 10 */
			   "E=ok\n"			/* 11 */
			   "F=\"never closed\n"		/* 12 */
			   "G=swallowed\n", &w);	/* 13 */

	ck_assert_uint_eq(strv_length(w.messages), 6);
	assert_warning(&w, 0, 2, "'='");
	assert_warning(&w, 1, 3, "\"9X\"");
	assert_warning(&w, 2, 4, "\"export B\"");
	assert_warning(&w, 3, 7, "\"\"");
	assert_warning(&w, 4, 10, "\"X-Y\"");
	assert_warning(&w, 5, 12, "quote");
	ck_assert_uint_eq(strv_length(env), 4);
	assert_var(env, "A", "1");
	assert_var(env, "C", "multi\nline");
	assert_var(env, "D", "onetwo");
	assert_var(env, "E", "ok");
	strv_free(env);
	strv_free(w.messages);
}
END_TEST

START_TEST(unterminated_single_quote)
{
	struct warnings w = { NULL };
	char **env = parse("A=1\nB='open\n\n", &w);

	ck_assert_uint_eq(strv_length(w.messages), 1);
	assert_warning(&w, 0, 2, "quote");
	ck_assert_uint_eq(strv_length(env), 1);
	assert_var(env, "A", "1");
	strv_free(env);
	strv_free(w.messages);
}
END_TEST

START_TEST(nul_byte)
{
	static const char text[] = "A=1\nB=x\0y\nC\0=2\n# c\0\nD=4";
	struct warnings w = { NULL };
	char **env = NULL;

	ck_assert_int_eq(envfile_parse(text, sizeof(text) - 1, "test.env", &env,
				       collect, &w), 0);
	ck_assert_uint_eq(strv_length(w.messages), 2);
	assert_warning(&w, 0, 2, "NUL");
	assert_warning(&w, 1, 3, "NUL");
	ck_assert_uint_eq(strv_length(env), 2);
	assert_var(env, "A", "1");
	assert_var(env, "D", "4");
	strv_free(env);
	strv_free(w.messages);
}
END_TEST

START_TEST(long_bad_name_is_cut)
{
	struct warnings w = { NULL };
	char text[300];

	memset(text, 'x', sizeof(text));
	text[0] = '1';
	memcpy(text + sizeof(text) - 3, "=v", 3);
	ck_assert_ptr_null(parse(text, &w));
	ck_assert_uint_eq(strv_length(w.messages), 1);
	assert_warning(&w, 0, 1, "...\"");
	ck_assert_uint_lt(strlen(w.messages[0]), 120);
	strv_free(w.messages);
}
END_TEST

/* Files under a fresh directory, removed at the end. */
static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/svd-envfile-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	ck_assert_int_eq(rmdir(tmpdir), 0);
}

static void tmp_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* The lowest free fd: the same before and after means nothing leaked. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

/* A warning names the whole path, however long: it used to be cut at
 * 1 KiB. */
START_TEST(long_path_named_whole)
{
	struct warnings w = { NULL };
	char path[3001], *expected;
	char **env = NULL;

	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	ck_assert_int_eq(envfile_parse("A=1\nnoequals\n", 13, path, &env,
				       collect, &w), 0);
	ck_assert_int_ge(asprintf(&expected, "%s:2: no '=' in line, ignored",
				  path), 0);
	ck_assert_ptr_nonnull(w.messages);
	/* Not ck_assert_str_eq(): check cannot carry a message this long. */
	ck_assert_msg(strcmp(w.messages[0], expected) == 0, "got %zu bytes: "
		      "%.60s...%s", strlen(w.messages[0]), w.messages[0],
		      w.messages[0] + strlen(w.messages[0]) - 40);
	free(expected);
	strv_free(w.messages);
	strv_free(env);
}
END_TEST

START_TEST(read_file)
{
	static const char text[] = "# defaults\nOPTS=\"-v --x\"\nbad line\n";
	char path[128], why[256] = "";
	struct warnings w = { NULL };
	char **env = NULL;
	int fd = lowest_free_fd();

	make_tmpdir();
	tmp_path(path, sizeof(path), "foo");
	write_file(path, text, strlen(text));
	ck_assert_int_eq(envfile_read(path, &env, collect, &w, why,
				      sizeof(why)), 0);
	ck_assert_str_eq(why, "");
	assert_var(env, "OPTS", "-v --x");
	ck_assert_uint_eq(strv_length(w.messages), 1);
	ck_assert_uint_eq(strncmp(w.messages[0], path, strlen(path)), 0);
	ck_assert_str_eq(w.messages[0] + strlen(path), ":3: no '=' in line, "
			 "ignored");
	ck_assert_int_eq(unlink(path), 0);
	remove_tmpdir();
	ck_assert_int_eq(lowest_free_fd(), fd);
	strv_free(env);
	strv_free(w.messages);
}
END_TEST

START_TEST(read_empty_and_dev_null)
{
	char path[128], why[256];
	char **env = NULL;

	make_tmpdir();
	tmp_path(path, sizeof(path), "empty");
	write_file(path, "", 0);
	ck_assert_int_eq(envfile_read(path, &env, NULL, NULL, why,
				      sizeof(why)), 0);
	ck_assert_int_eq(envfile_read("/dev/null", &env, NULL, NULL, why,
				      sizeof(why)), 0);
	ck_assert_ptr_null(env);
	ck_assert_int_eq(unlink(path), 0);
	remove_tmpdir();
}
END_TEST

START_TEST(read_missing)
{
	char path[128], expected[256], why[256];
	char **env = NULL;
	int fd = lowest_free_fd();

	make_tmpdir();
	tmp_path(path, sizeof(path), "missing");
	errno = 0;
	ck_assert_int_eq(envfile_read(path, &env, NULL, NULL, why,
				      sizeof(why)), -1);
	ck_assert_int_eq(errno, ENOENT);
	snprintf(expected, sizeof(expected), "EnvironmentFile=%s: No such "
		 "file or directory", path);
	ck_assert_str_eq(why, expected);
	ck_assert_ptr_null(env);
	/* no reason wanted */
	ck_assert_int_eq(envfile_read(path, &env, NULL, NULL, NULL, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	remove_tmpdir();
	ck_assert_int_eq(lowest_free_fd(), fd);
}
END_TEST

/* A file of n bytes: comment lines, then A=1 at the very end. */
static char *make_big_text(size_t n)
{
	char *text = malloc(n);

	ck_assert_ptr_nonnull(text);
	memset(text, '#', n);
	for (size_t i = 63; i < n; i += 64)
		text[i] = '\n';
	memcpy(text + n - 4, "A=1", 3);
	text[n - 5] = '\n';
	text[n - 1] = '\n';
	return text;
}

START_TEST(read_too_large)
{
	char path[128], why[256];
	char *text = make_big_text(ENVFILE_MAX_BYTES + 1);
	char **env = NULL;
	int fd = lowest_free_fd();

	make_tmpdir();
	tmp_path(path, sizeof(path), "big");
	write_file(path, text, ENVFILE_MAX_BYTES + 1);
	errno = 0;
	ck_assert_int_eq(envfile_read(path, &env, NULL, NULL, why,
				      sizeof(why)), -1);
	ck_assert_int_eq(errno, E2BIG);
	ck_assert_msg(strstr(why, "EnvironmentFile=") == why &&
		      strstr(why, "larger than 1048576 bytes"), "why: %s", why);
	ck_assert_ptr_null(env);
	ck_assert_int_eq(unlink(path), 0);
	free(text);
	/* exactly the limit is fine, and read to its last byte */
	text = make_big_text(ENVFILE_MAX_BYTES);
	write_file(path, text, ENVFILE_MAX_BYTES);
	ck_assert_int_eq(envfile_read(path, &env, NULL, NULL, why,
				      sizeof(why)), 0);
	assert_var(env, "A", "1");
	ck_assert_int_eq(unlink(path), 0);
	remove_tmpdir();
	ck_assert_int_eq(lowest_free_fd(), fd);
	free(text);
	strv_free(env);
}
END_TEST

START_TEST(read_not_a_file)
{
	char path[128], why[256];
	char **env = NULL;

	make_tmpdir();
	ck_assert_int_eq(envfile_read(tmpdir, &env, NULL, NULL, why,
				      sizeof(why)), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_ptr_nonnull(strstr(why, "Is a directory"));
	/* a FIFO is refused, not waited on */
	tmp_path(path, sizeof(path), "fifo");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(envfile_read(path, &env, NULL, NULL, why,
				      sizeof(why)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "not a regular file"));
	ck_assert_ptr_null(env);
	ck_assert_int_eq(unlink(path), 0);
	remove_tmpdir();
}
END_TEST

static Suite *envfile_suite(void)
{
	Suite *s = suite_create("envfile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, comments_and_blanks);
	tcase_add_test(tc, unquoted);
	tcase_add_test(tc, unquoted_escapes);
	tcase_add_test(tc, unquoted_continuation);
	tcase_add_test(tc, single_quotes);
	tcase_add_test(tc, double_quotes);
	tcase_add_test(tc, after_closing_quote);
	tcase_add_test(tc, later_wins);
	tcase_add_test(tc, invalid_lines);
	tcase_add_test(tc, unterminated_single_quote);
	tcase_add_test(tc, nul_byte);
	tcase_add_test(tc, long_bad_name_is_cut);
	tcase_add_test(tc, long_path_named_whole);
	tcase_add_test(tc, read_file);
	tcase_add_test(tc, read_empty_and_dev_null);
	tcase_add_test(tc, read_missing);
	tcase_add_test(tc, read_too_large);
	tcase_add_test(tc, read_not_a_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(envfile_suite());
}
