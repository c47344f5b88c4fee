/* Tests for conf/exec.c and conf/spec.c: Exec*= splitting, prefixes,
 * specifiers and $VAR expansion at spawn time. */
#include <check.h>

#include "check_main.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "strv.h"

static const struct spec_ctx no_spec;

/* Parses value and checks its argv against the NULL-terminated words. */
static void check_argv(const char *value, const struct spec_ctx *spec, ...)
{
	struct exec_cmd cmd;
	char *error = NULL;
	const char *want;
	va_list ap;
	size_t i = 0;

	ck_assert_msg(exec_parse(value, spec, &cmd, &error) == 0,
		      "%s: %s", value, error ? error : "?");
	va_start(ap, spec);
	while ((want = va_arg(ap, const char *))) {
		ck_assert_msg(cmd.argv[i], "%s: argv[%zu] missing", value, i);
		ck_assert_str_eq(cmd.argv[i], want);
		i++;
	}
	va_end(ap);
	ck_assert_msg(cmd.argv[i] == NULL, "%s: extra argv[%zu] \"%s\"",
		      value, i, cmd.argv[i]);
	ck_assert_str_eq(cmd.line, value);
	exec_cmd_clear(&cmd);
}

/* Parsing fails with an error containing the text why. */
static void check_error(const char *value, const char *why)
{
	struct exec_cmd cmd;
	char *error = NULL;

	ck_assert_msg(exec_parse(value, &no_spec, &cmd, &error) < 0,
		      "\"%s\" should be refused", value);
	ck_assert_ptr_nonnull(error);
	ck_assert_msg(strstr(error, why), "\"%s\": error \"%s\" lacks \"%s\"",
		      value, error, why);
	free(error);
}

START_TEST(plain_words)
{
	check_argv("/bin/echo a  b\tc", &no_spec, "/bin/echo", "a", "b", "c",
		   NULL);
	check_argv("true", &no_spec, "true", NULL);	/* searched in PATH */
}
END_TEST

START_TEST(quoting)
{
	check_argv("/bin/sh -c \"echo a ; echo b\"", &no_spec, "/bin/sh", "-c",
		   "echo a ; echo b", NULL);
	check_argv("/bin/echo 'a b' \"c 'd'\"", &no_spec, "/bin/echo", "a b",
		   "c 'd'", NULL);
	check_argv("/bin/echo x\"a b\"y", &no_spec, "/bin/echo", "xa by",
		   NULL);
	check_argv("/bin/foo -P \"\"", &no_spec, "/bin/foo", "-P", "", NULL);
	check_argv("/bin/foo '' x", &no_spec, "/bin/foo", "", "x", NULL);
	check_argv("\"/bin/my prog\" a", &no_spec, "/bin/my prog", "a", NULL);
}
END_TEST

START_TEST(escapes)
{
	check_argv("/bin/echo a\\nb \\t \\\\ \\\" \\' \\x41 \\101 \\s",
		   &no_spec, "/bin/echo", "a\nb", "\t", "\\", "\"", "'", "A",
		   "A", " ", NULL);
	check_argv("/bin/echo \"in \\\"quotes\\\"\"", &no_spec, "/bin/echo",
		   "in \"quotes\"", NULL);
	/* "\ " is no C escape: kept, and the blank does not split */
	check_argv("/bin/echo a\\ b", &no_spec, "/bin/echo", "a\\ b", NULL);
	check_argv("/bin/echo \\u00e9", &no_spec, "/bin/echo", "\xc3\xa9",
		   NULL);
	/* unknown escapes after the command stay as written, as in systemd */
	check_argv("/bin/grep \\d+ 'x\\.y'", &no_spec, "/bin/grep", "\\d+",
		   "x\\.y", NULL);
	/* so does a backslash at the very end */
	check_argv("/bin/echo a\\", &no_spec, "/bin/echo", "a\\", NULL);
}
END_TEST

START_TEST(prefixes)
{
	struct exec_cmd cmd;
	char *error = NULL;

	ck_assert_int_eq(exec_parse("-/bin/false", &no_spec, &cmd, &error), 0);
	ck_assert_str_eq(cmd.path, "/bin/false");
	ck_assert_str_eq(cmd.argv[0], "/bin/false");
	ck_assert_uint_eq(cmd.flags, EXEC_FLAG_IGNORE_FAILURE);
	exec_cmd_clear(&cmd);

	ck_assert_int_eq(exec_parse("@/bin/sh mysh -c x", &no_spec, &cmd,
				    &error), 0);
	ck_assert_str_eq(cmd.path, "/bin/sh");
	ck_assert_str_eq(cmd.argv[0], "mysh");
	ck_assert_str_eq(cmd.argv[1], "-c");
	ck_assert_uint_eq(cmd.flags, 0);
	exec_cmd_clear(&cmd);

	ck_assert_int_eq(exec_parse(":-@+/bin/x y", &no_spec, &cmd, &error),
			 0);
	ck_assert_str_eq(cmd.path, "/bin/x");
	ck_assert_str_eq(cmd.argv[0], "y");
	ck_assert_uint_eq(cmd.flags, EXEC_FLAG_IGNORE_FAILURE |
			  EXEC_FLAG_NO_ENV_EXPAND | EXEC_FLAG_FULL_PRIVILEGES);
	exec_cmd_clear(&cmd);

	ck_assert_int_eq(exec_parse("!!-/bin/x", &no_spec, &cmd, &error), 0);
	ck_assert_uint_eq(cmd.flags, EXEC_FLAG_IGNORE_FAILURE |
			  EXEC_FLAG_AMBIENT_MAGIC);
	exec_cmd_clear(&cmd);

	ck_assert_int_eq(exec_parse("!/bin/x", &no_spec, &cmd, &error), 0);
	ck_assert_uint_eq(cmd.flags, EXEC_FLAG_NO_SETUID);
	exec_cmd_clear(&cmd);
	/* quotes come off before the prefixes, as in systemd */
	ck_assert_int_eq(exec_parse("\"-/bin/x\"", &no_spec, &cmd, &error), 0);
	ck_assert_uint_eq(cmd.flags, EXEC_FLAG_IGNORE_FAILURE);
	exec_cmd_clear(&cmd);
}
END_TEST

START_TEST(bad_commands)
{
	check_error("", "empty command");
	check_error("   ", "empty command");
	check_error("-", "empty command");
	check_error("-@", "empty command");
	check_error("@/bin/sh", "argv[0]");
	check_error("@/bin/sh ''", "argv[0]");
	check_error("--/bin/true", "neither an absolute path");
	check_error("+!/bin/true", "neither an absolute path");
	check_error("bin/true", "neither an absolute path");
	check_error("/bin/", "directory");
	check_error("/bin/echo \"unbalanced", "unbalanced quotes");
	check_error("/bin/echo 'unbalanced", "unbalanced quotes");
	check_error("/bin/ec\\qho", "unknown escape \\q");
	check_error("/bin/ec\\x00ho", "unknown escape \\x");
	check_error("/bin/a ; /bin/b", "several commands");
	check_error("/bin/echo %z", "unknown specifier %z");
}
END_TEST

START_TEST(semicolons)
{
	struct exec_cmd *cmds;
	char *error = NULL;
	size_t n;

	ck_assert_int_eq(exec_parse_multi("/bin/a 1 ; /bin/b \\; 2;", &no_spec,
					  &cmds, &n, &error), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(cmds[0].path, "/bin/a");
	ck_assert_str_eq(cmds[0].argv[1], "1");
	ck_assert_ptr_null(cmds[0].argv[2]);
	ck_assert_str_eq(cmds[1].path, "/bin/b");
	ck_assert_str_eq(cmds[1].argv[1], ";");
	ck_assert_str_eq(cmds[1].argv[2], "2;");
	exec_cmd_clear(&cmds[0]);
	exec_cmd_clear(&cmds[1]);
	free(cmds);
	ck_assert_int_lt(exec_parse_multi("/bin/a ; ; /bin/b", &no_spec, &cmds,
					  &n, &error), 0);
	ck_assert_ptr_nonnull(error);
	free(error);
}
END_TEST

static struct spec_host box = {
	.hostname = "box.example.org", .machine_id = "0123456789abcdef0123456789abcdef",
	.boot_id = "fedcba9876543210fedcba9876543210", .kernel_release = "6.1.0-9",
	.architecture = "x86-64", .os_id = "debian", .os_version_id = "12",
	.os_variant_id = "", .os_build_id = "b7", .os_image_id = "img",
	.os_image_version = "1.2", .user_name = "root", .user_id = "0",
	.group_name = "wheel", .group_id = "10", .home = "/root",
	.shell = "/bin/sh", .tmp_dir = "/tmp", .var_tmp_dir = "/var/tmp",
};

static const struct spec_ctx instance_spec = {
	.unit_name = "web@a-b\\x2dc.service",
	.prefix = "web",
	.instance = "a-b\\x2dc",
	.host = &box,
	.runtime_dir = "/tmp/run",
};

START_TEST(specifiers)
{
	check_argv("/bin/echo %N %p %I %H %t %S %L %%i 100%",
		   &instance_spec, "/bin/echo", "web@a-b-c", "web", "a/b-c",
		   "box.example.org", "/tmp/run", "/var/lib", "/var/log", "%i", "100%",
		   NULL);
	/* specifiers are resolved before the line is split and unescaped,
	 * as in systemd: an escaped instance loses its "\x2d" there */
	check_argv("/bin/echo %n %i '%i'", &instance_spec, "/bin/echo",
		   "web@a-b-c.service", "a-b-c", "a-b-c", NULL);
	check_argv("/bin/echo %f", &instance_spec, "/bin/echo", "/a/b-c",
		   NULL);
	/* an empty expansion is no word at all, unless quoted */
	check_argv("/bin/echo x%iy %i \"%i\"", &no_spec, "/bin/echo", "xy",
		   "", NULL);
}
END_TEST

START_TEST(spec_expand_direct)
{
	char *error = NULL, *s;

	s = spec_expand("%p-%i on %H", &instance_spec, &error);
	ck_assert_str_eq(s, "web-a-b\\x2dc on box.example.org");
	free(s);
	ck_assert_ptr_null(spec_expand("%Q", &instance_spec, &error));
	ck_assert_str_eq(error, "unknown specifier %Q");
	free(error);
}
END_TEST

/* text expanded for spec is want. */
static void check_spec(const char *text, const struct spec_ctx *spec,
		       const char *want)
{
	char *error = NULL, *s = spec_expand(text, spec, &error);

	ck_assert_msg(s, "%s: %s", text, error ? error : "out of memory");
	ck_assert_msg(strcmp(s, want) == 0, "%s: \"%s\", want \"%s\"", text,
		      s, want);
	free(s);
}

/* Every specifier of systemd.unit(5)'s table, for the system manager. */
START_TEST(spec_every_specifier)
{
	static const struct spec_ctx spec = {
		.unit_name = "exec-spec@foo-bar.service", .prefix = "exec-spec",
		.instance = "foo-bar", .fragment = "/etc/svd/units/exec-spec@.service",
		.host = &box,
	};
	static const char *const table[][2] = {
		{ "%n", "exec-spec@foo-bar.service" }, { "%N", "exec-spec@foo-bar" },
		{ "%p", "exec-spec" }, { "%P", "exec/spec" }, { "%i", "foo-bar" },
		{ "%I", "foo/bar" }, { "%j", "spec" }, { "%J", "spec" },
		{ "%f", "/foo/bar" }, { "%y", "/etc/svd/units/exec-spec@.service" },
		{ "%Y", "/etc/svd/units" },
		{ "%d", "/run/credentials/exec-spec@foo-bar.service" },
		{ "%H", "box.example.org" }, { "%l", "box" }, { "%q", "box" },
		{ "%m", "0123456789abcdef0123456789abcdef" },
		{ "%b", "fedcba9876543210fedcba9876543210" }, { "%v", "6.1.0-9" },
		{ "%a", "x86-64" }, { "%o", "debian" }, { "%w", "12" }, { "%W", "" },
		{ "%B", "b7" }, { "%M", "img" }, { "%A", "1.2" }, { "%u", "root" },
		{ "%U", "0" }, { "%g", "wheel" }, { "%G", "10" }, { "%h", "/root" },
		{ "%s", "/bin/sh" }, { "%t", "/run" }, { "%S", "/var/lib" },
		{ "%L", "/var/log" }, { "%C", "/var/cache" }, { "%E", "/etc" },
		{ "%T", "/tmp" }, { "%V", "/var/tmp" }, { "%%", "%" },
	};
	struct spec_host pretty = box;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		check_spec(table[i][0], &spec, table[i][1]);
	pretty.pretty_hostname = "Box of Tricks";
	check_spec("%q", &(struct spec_ctx){ .host = &pretty }, "Box of Tricks");
	/* Without a host, the directories still have systemd's values. */
	check_spec("%T %V %C", &no_spec, "/tmp /var/tmp /var/cache");
}
END_TEST

/* A specifier with no value here is an error naming it and why. */
START_TEST(spec_unresolved)
{
	struct spec_host none = box;
	const struct spec_ctx spec = { .unit_name = "x.service", .host = &none };
	char *error = NULL;

	none.machine_id = NULL;
	ck_assert_ptr_null(spec_expand("id=%m", &spec, &error));
	ck_assert_str_eq(error, "cannot resolve specifier %m: no valid machine "
			 "ID in /etc/machine-id");
	free(error);
	ck_assert_ptr_null(spec_expand("%y", &spec, &error));
	ck_assert_str_eq(error, "cannot resolve specifier %y: the unit has no "
			 "file");
	free(error);
	ck_assert_ptr_null(spec_expand("%u", &no_spec, &error));
	ck_assert_str_eq(error, "cannot resolve specifier %u: the manager's "
			 "user is not known");
	free(error);
	ck_assert_ptr_null(spec_expand("%c", &spec, &error));
	ck_assert_str_eq(error, "unknown specifier %c");
	free(error);
}
END_TEST

/* %j, %J and %Y at their edges. */
START_TEST(spec_name_parts)
{
	check_spec("%j|%J", &(struct spec_ctx){ .prefix = "web" }, "web|web");
	check_spec("%j|%J", &(struct spec_ctx){ .prefix = "a-b\\x2dc" },
		   "b\\x2dc|b-c");
	check_spec("%j", &(struct spec_ctx){ .prefix = "trailing-" }, "");
	check_spec("%Y", &(struct spec_ctx){ .fragment = "x.service" }, ".");
	check_spec("%Y", &(struct spec_ctx){ .fragment = "/x.service" }, "/");
	check_spec("%y", &(struct spec_ctx){ .fragment = "u/x.service" },
		   "u/x.service");
}
END_TEST

/* Expands value's argv against env, checks the NULL-terminated words. */
static void check_expand(const char *value, char *const *env, ...)
{
	struct exec_cmd cmd;
	char *error = NULL, **argv;
	const char *want;
	va_list ap;
	size_t i = 0;

	ck_assert_int_eq(exec_parse(value, &no_spec, &cmd, &error), 0);
	argv = exec_expand_argv(&cmd, env);
	ck_assert_ptr_nonnull(argv);
	va_start(ap, env);
	while ((want = va_arg(ap, const char *))) {
		ck_assert_msg(argv[i], "%s: argv[%zu] missing", value, i);
		ck_assert_str_eq(argv[i], want);
		i++;
	}
	va_end(ap);
	ck_assert_msg(argv[i] == NULL, "%s: extra argv[%zu] \"%s\"", value, i,
		      argv[i]);
	strv_free(argv);
	exec_cmd_clear(&cmd);
}

START_TEST(expand_env)
{
	char *env[] = { "OPTS=-a  -b", "Q=x 'y z'", "E=", "P=/p",
			"B=a b\\", "BQ=x 'y\\", NULL };

	/* a word that is exactly $VAR: split into words */
	check_expand("/bin/d $OPTS end", env, "/bin/d", "-a", "-b", "end",
		     NULL);
	check_expand("/bin/d $Q", env, "/bin/d", "x", "y z", NULL);
	/* a trailing backslash ends the value's last word, as systemd's
	 * EXTRACT_RELAX does, inside quotes too (fuzz_exec found these
	 * failing the whole expansion as ENOMEM) */
	check_expand("/bin/d $B end", env, "/bin/d", "a", "b", "end", NULL);
	check_expand("/bin/d $BQ", env, "/bin/d", "x", "y", NULL);
	/* unset or empty: no word at all */
	check_expand("/bin/d $NOPE $E x", env, "/bin/d", "x", NULL);
	/* ${VAR} anywhere, as one piece */
	check_expand("/bin/d ${OPTS} pre${P}post ${NOPE}", env, "/bin/d",
		     "-a  -b", "pre/ppost", "", NULL);
	/* $VAR inside a larger word is left alone */
	check_expand("/bin/d --x=$P $P/x", env, "/bin/d", "--x=$P", "$P/x",
		     NULL);
	/* $$ is a dollar */
	check_expand("/bin/d $$ $$P a$$b", env, "/bin/d", "$", "$P", "a$b",
		     NULL);
	check_expand("/bin/d ${P", env, "/bin/d", "${P", NULL);
	/* ':' turns expansion off */
	check_expand(":/bin/d $P ${P}", env, "/bin/d", "$P", "${P}", NULL);
}
END_TEST

static Suite *exec_suite(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, plain_words);
	tcase_add_test(tc, quoting);
	tcase_add_test(tc, escapes);
	tcase_add_test(tc, prefixes);
	tcase_add_test(tc, bad_commands);
	tcase_add_test(tc, semicolons);
	tcase_add_test(tc, specifiers);
	tcase_add_test(tc, spec_expand_direct);
	tcase_add_test(tc, spec_every_specifier);
	tcase_add_test(tc, spec_unresolved);
	tcase_add_test(tc, spec_name_parts);
	tcase_add_test(tc, expand_env);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(exec_suite());
}
