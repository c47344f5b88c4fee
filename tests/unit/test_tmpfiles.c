/* Tests for conf/tmpfiles.c and tmpfiles_files.c: tmpfiles.d(5) lines,
 * specifiers, errors naming FILE:LINE, directories merged by name. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strv.h"
#include "tmpfiles.h"

static const struct tmpfiles_specs specs = {
	.machine_id = "0123456789abcdef0123456789abcdef",
	.boot_id = "fedcba9876543210fedcba9876543210",
	.hostname = "board.example.org",
	.kernel_release = "6.1.0",
	.architecture = "x86-64",
	.runtime_dir = "/run",
	.state_dir = "/var/lib",
	.cache_dir = "/var/cache",
	.logs_dir = "/var/log",
	.tmp_dir = "/tmp",
	.var_tmp_dir = "/var/tmp",
	.home = "/root",
	.user = "root",
	.group = "root",
	.uid = 0,
	.gid = 0,
};

/* What a parse said: "E:" or "W:" then the message. */
static char **said;

static void collect(void *ctx, bool error, const char *message)
{
	char *line;

	ck_assert_int_ge(asprintf(&line, "%s%s", error ? "E:" : "W:", message), 0);
	ck_assert_int_eq(strv_push_take(&said, line), 0);
}

static void parse(struct tmpfiles_list *list, const char *text, bool boot)
{
	*list = (struct tmpfiles_list){ 0 };
	strv_free(said);
	said = NULL;
	ck_assert_int_eq(tmpfiles_parse_text(list, text, strlen(text), "t.conf",
					     &specs, boot, collect, NULL), 0);
}

/* The one line text gives, with nothing said. */
static const struct tmpfiles_line *one(struct tmpfiles_list *list,
				       const char *text)
{
	parse(list, text, false);
	ck_assert_msg(said == NULL, "unexpected: %s", said ? said[0] : "");
	ck_assert_uint_eq(list->n, 1);
	return &list->lines[0];
}

static void assert_said(size_t i, const char *want)
{
	ck_assert_msg(strv_length(said) > i, "nothing said; expected %s", want);
	ck_assert_str_eq(said[i], want);
}

START_TEST(fields_and_defaults)
{
	struct tmpfiles_list list;
	const struct tmpfiles_line *l = one(&list, "d /run/foo 0750 daemon adm 10d -\n");

	ck_assert_int_eq(l->type, 'd');
	ck_assert_str_eq(l->path, "/run/foo");
	ck_assert_uint_eq(l->mode, 0750);
	ck_assert(l->mode_set);
	ck_assert_str_eq(l->user, "daemon");
	ck_assert_str_eq(l->group, "adm");
	ck_assert(l->age_set);
	ck_assert_uint_eq(l->age_usec, 10ULL * 86400 * 1000000);
	ck_assert_ptr_null(l->argument);
	ck_assert_str_eq(l->file, "t.conf");
	ck_assert_uint_eq(l->line, 1);
	tmpfiles_list_free(&list);

	l = one(&list, "d /run/bar\n");
	ck_assert(!l->mode_set);
	ck_assert_uint_eq(l->mode, 0755);
	ck_assert_ptr_null(l->user);
	ck_assert_ptr_null(l->group);
	ck_assert(!l->age_set);
	tmpfiles_list_free(&list);

	l = one(&list, "f /run/bar - - -\n");
	ck_assert_uint_eq(l->mode, 0644);
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(comments_blanks_and_line_numbers)
{
	struct tmpfiles_list list;

	parse(&list, "# comment\n\n   \t\n  # indented\nd /a\n\nd /b   \n", false);
	ck_assert_ptr_null(said);
	ck_assert_uint_eq(list.n, 2);
	ck_assert_uint_eq(list.lines[0].line, 5);
	ck_assert_uint_eq(list.lines[1].line, 7);
	ck_assert_str_eq(list.lines[1].path, "/b");
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(modifiers)
{
	struct tmpfiles_list list;
	const struct tmpfiles_line *l;

	l = one(&list, "L+ /etc/mtab - - - - ../proc/self/mounts\n");
	ck_assert(l->force);
	ck_assert_str_eq(l->argument, "../proc/self/mounts");
	tmpfiles_list_free(&list);
	/* F is f+. */
	l = one(&list, "F /run/x\n");
	ck_assert_int_eq(l->type, 'f');
	ck_assert(l->force);
	tmpfiles_list_free(&list);
	l = one(&list, "d- /root :0700 root :root -\n");
	ck_assert(l->allow_failure);
	ck_assert(l->mode_on_create);
	ck_assert(!l->user_on_create);
	ck_assert(l->group_on_create);
	ck_assert_str_eq(l->group, "root");
	tmpfiles_list_free(&list);
	l = one(&list, "z /run/x ~0755\n");
	ck_assert(l->mode_masked);
	tmpfiles_list_free(&list);
	/* q, Q and v are directories where there is no btrfs. */
	l = one(&list, "Q /home 0755 - - -\n");
	ck_assert_int_eq(l->type, 'd');
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(boot_only_lines)
{
	struct tmpfiles_list list;

	parse(&list, "r! /forcefsck\nf+! /run/nologin 0644 - - - \"booting\"\nd /a\n", false);
	ck_assert_ptr_null(said);
	ck_assert_uint_eq(list.n, 1);
	tmpfiles_list_free(&list);
	parse(&list, "r! /forcefsck\nf+! /run/nologin 0644 - - - \"booting\"\nd /a\n", true);
	ck_assert_uint_eq(list.n, 3);
	ck_assert(list.lines[0].boot);
	ck_assert_int_eq(list.lines[0].type, 'r');
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(specifiers)
{
	struct tmpfiles_list list;
	const struct tmpfiles_line *l;

	l = one(&list, "d /run/%m/%b/%H/%l/%v/%a\n");
	ck_assert_str_eq(l->path, "/run/0123456789abcdef0123456789abcdef/"
			 "fedcba9876543210fedcba9876543210/board.example.org/"
			 "board/6.1.0/x86-64");
	tmpfiles_list_free(&list);
	l = one(&list, "d %t/a%S%C%L%T%V%h\n");
	ck_assert_str_eq(l->path, "/run/a/var/lib/var/cache/var/log/tmp/var/tmp/root");
	tmpfiles_list_free(&list);
	l = one(&list, "f /x-%u-%U-%g-%G-%% - - - - %H\n");
	ck_assert_str_eq(l->path, "/x-root-0-root-0-%");
	ck_assert_str_eq(l->argument, "board.example.org");
	tmpfiles_list_free(&list);
	/* A '%' at the very end stays. */
	l = one(&list, "d /run/100%\n");
	ck_assert_str_eq(l->path, "/run/100%");
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(bad_specifiers)
{
	struct tmpfiles_list list;
	struct tmpfiles_specs none = specs;

	parse(&list, "d /run/%q\nd /ok\n", false);
	assert_said(0, "E:t.conf:1: path /run/%q: unknown specifier %q");
	ck_assert_uint_eq(list.n, 1);
	ck_assert_uint_eq(list.n_errors, 1);
	tmpfiles_list_free(&list);
	/* Unknown on this system: skipped with a warning, as systemd. */
	none.machine_id = NULL;
	strv_free(said);
	said = NULL;
	list = (struct tmpfiles_list){ 0 };
	ck_assert_int_eq(tmpfiles_parse_text(&list, "d /x/%m\n", 8, "t.conf",
					     &none, false, collect, NULL), 0);
	assert_said(0, "W:t.conf:1: path /x/%m: %m is unknown on this system; line ignored");
	ck_assert_uint_eq(list.n, 0);
	ck_assert_uint_eq(list.n_errors, 0);
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(paths)
{
	struct tmpfiles_list list;
	const struct tmpfiles_line *l = one(&list, "d //run/./a//b/\n");

	ck_assert_str_eq(l->path, "/run/a/b");
	tmpfiles_list_free(&list);
	l = one(&list, "d \"/run/with space\"\n");
	ck_assert_str_eq(l->path, "/run/with space");
	tmpfiles_list_free(&list);
	parse(&list, "d run/relative\nd /run/../etc\n", false);
	assert_said(0, "E:t.conf:1: path run/relative is not absolute");
	assert_said(1, "E:t.conf:2: path /run/../etc: \"..\" is not allowed");
	ck_assert_uint_eq(list.n, 0);
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(arguments)
{
	struct tmpfiles_list list;
	const struct tmpfiles_line *l;

	l = one(&list, "f /a - - - - one\\ttwo\\nthree four\n");
	ck_assert_str_eq(l->argument, "one\ttwo\nthree four");
	ck_assert_uint_eq(l->argument_len, strlen("one\ttwo\nthree four"));
	tmpfiles_list_free(&list);
	l = one(&list, "w+ /sys/x - - - - 1\n");
	ck_assert_str_eq(l->argument, "1");
	tmpfiles_list_free(&list);
	/* L and C without an argument: /usr/share/factory. */
	l = one(&list, "L /etc/issue\n");
	ck_assert_str_eq(l->argument, "/usr/share/factory/etc/issue");
	tmpfiles_list_free(&list);
	l = one(&list, "C /etc/skel - - - - /usr/share/skel\n");
	ck_assert_str_eq(l->argument, "/usr/share/skel");
	tmpfiles_list_free(&list);
	l = one(&list, "c /dev/fuse 0666 - - - 10:229\n");
	ck_assert_uint_eq(l->major, 10);
	ck_assert_uint_eq(l->minor, 229);
	tmpfiles_list_free(&list);
	/* "-" is no argument. */
	l = one(&list, "f /a - - - -\n");
	ck_assert_ptr_null(l->argument);
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(bad_lines_are_errors_the_rest_stays)
{
	struct tmpfiles_list list;

	parse(&list,
	      "d /ok1\n"
	      "y /what\n"
	      "d /m 0999\n"
	      "d /u - bad/user\n"
	      "d /a - - - soon\n"
	      "w /no-argument\n"
	      "C /c - - - - relative\n"
	      "c /dev/x - - - - 1-2\n"
	      "d? /q\n"
	      "d\n"
	      "d \"/unbalanced\n"
	      "f /esc - - - - \\q\n"
	      "d /ok2\n", false);
	ck_assert_uint_eq(list.n, 2);
	ck_assert_str_eq(list.lines[0].path, "/ok1");
	ck_assert_str_eq(list.lines[1].path, "/ok2");
	ck_assert_uint_eq(list.n_errors, 11);
	assert_said(0, "E:t.conf:2: unknown type 'y'");
	assert_said(1, "E:t.conf:3: mode 0999: expected an octal mode such as "
		    "0755 (with '~' or ':' before it) or -");
	assert_said(2, "E:t.conf:4: user or group bad/user: expected a name, "
		    "a number or -");
	assert_said(3, "E:t.conf:5: age soon: expected a time span such as 10d or -");
	assert_said(4, "E:t.conf:6: type 'w' needs an argument to write");
	assert_said(5, "E:t.conf:7: type 'C': source relative is not absolute");
	assert_said(6, "E:t.conf:8: type 'c' needs MAJOR:MINOR as its argument");
	assert_said(7, "E:t.conf:9: type d?: unknown modifier '?'");
	assert_said(8, "E:t.conf:10: expected at least a type and a path");
	ck_assert_msg(strncmp(said[9], "E:t.conf:11: ", 13) == 0, "%s", said[9]);
	assert_said(10, "E:t.conf:12: argument: unknown escape \\q");
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(unsupported_are_warnings)
{
	struct tmpfiles_list list;

	parse(&list, "h /var/log/journal - - - - +C\n"
	      "f^ /etc/hosts - - - - network.hosts\n"
	      "a+ /x - - - - u:1:r\n"
	      "d /run/a - - - - ignored\n", false);
	ck_assert_uint_eq(list.n_errors, 0);
	ck_assert_uint_eq(list.n, 1);
	assert_said(0, "W:t.conf:1: type 'h' (attributes, ACLs, extended "
		    "attributes) is not supported; line ignored");
	assert_said(1, "W:t.conf:2: type f^: credentials ('^') are not "
		    "supported; line ignored");
	assert_said(3, "W:t.conf:4: type 'd' takes no argument; ignored ignored");
	ck_assert_ptr_null(list.lines[0].argument);
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(nul_byte_and_no_final_newline)
{
	struct tmpfiles_list list = { 0 };
	static const char text[] = "d /a\nd /b\0x\nd /c";

	strv_free(said);
	said = NULL;
	ck_assert_int_eq(tmpfiles_parse_text(&list, text, sizeof(text) - 1,
					     "t.conf", &specs, false, collect,
					     NULL), 0);
	ck_assert_uint_eq(list.n, 2);
	ck_assert_str_eq(list.lines[1].path, "/c");
	assert_said(0, "E:t.conf:2: line holds a NUL byte; ignored");
	tmpfiles_list_free(&list);
}
END_TEST

START_TEST(duplicates_first_wins)
{
	struct tmpfiles_list list;

	parse(&list, "d /run/x 0700\nf /run/x\nz /run/x 0711\nd /run/x 0755\n", false);
	ck_assert_int_eq(tmpfiles_finish(&list, collect, NULL), 0);
	/* d then z are compatible; f and the second d are not. */
	ck_assert_uint_eq(list.n, 2);
	ck_assert_int_eq(list.lines[0].type, 'd');
	ck_assert_uint_eq(list.lines[0].mode, 0700);
	ck_assert_int_eq(list.lines[1].type, 'z');
	assert_said(0, "W:t.conf:2: duplicate line for path /run/x (first at "
		    "t.conf:1); ignored");
	assert_said(1, "W:t.conf:4: duplicate line for path /run/x (first at "
		    "t.conf:1); ignored");
	tmpfiles_list_free(&list);
}
END_TEST

static char *tmpdir;

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path;
	FILE *f;

	ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static char *subdir(const char *name)
{
	char *path;

	ck_assert_int_ge(asprintf(&path, "%s/%s", tmpdir, name), 0);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	return path;
}

START_TEST(directories_merged_by_name)
{
	char template[] = "/tmp/svd-tmpfiles-test.XXXXXX";
	char *etc, *run, *usr, *masked;
	char **files;
	const char *dirs[4];

	tmpdir = mkdtemp(template);
	ck_assert_ptr_nonnull(tmpdir);
	etc = subdir("etc");
	run = subdir("run");
	usr = subdir("usr");
	dirs[0] = etc;
	dirs[1] = run;
	dirs[2] = usr;
	dirs[3] = "/nonexistent-svd-dir";
	write_file(usr, "b.conf", "d /b\n");
	write_file(usr, "a.conf", "d /a\n");
	write_file(run, "a.conf", "d /a-run\n");
	write_file(etc, "a.conf", "d /a-etc\n");
	write_file(run, "c.conf", "d /c\n");
	write_file(usr, "not-conf.txt", "d /x\n");
	write_file(etc, ".hidden.conf", "d /x\n");
	ck_assert_int_ge(asprintf(&masked, "%s/m.conf", etc), 0);
	ck_assert_int_eq(symlink("/dev/null", masked), 0);
	write_file(usr, "m.conf", "d /masked\n");
	files = tmpfiles_find_files(dirs, 4, collect, NULL);
	ck_assert_ptr_nonnull(files);
	ck_assert_uint_eq(strv_length(files), 4);
	ck_assert_str_eq(files[0] + strlen(etc), "/a.conf");
	ck_assert(strncmp(files[0], etc, strlen(etc)) == 0);
	ck_assert(strncmp(files[1], usr, strlen(usr)) == 0);
	ck_assert_str_eq(files[1] + strlen(usr), "/b.conf");
	ck_assert(strncmp(files[2], run, strlen(run)) == 0);
	ck_assert_str_eq(files[3], masked);
	{
		struct tmpfiles_list list = { 0 };

		for (size_t i = 0; files[i]; i++)
			ck_assert_int_eq(tmpfiles_parse_file(&list, files[i], &specs,
							     false, collect, NULL), 0);
		ck_assert_uint_eq(list.n, 3);
		ck_assert_str_eq(list.lines[0].path, "/a-etc");
		ck_assert_str_eq(list.lines[1].path, "/b");
		ck_assert_str_eq(list.lines[2].path, "/c");
		tmpfiles_list_free(&list);
	}
	/* A bare name is looked up like the directories merge. */
	{
		char *found = tmpfiles_resolve_file("a.conf", dirs, 4);

		ck_assert_str_eq(found, files[0]);
		free(found);
		ck_assert_ptr_null(tmpfiles_resolve_file("zz.conf", dirs, 4));
		ck_assert_int_eq(errno, ENOENT);
		found = tmpfiles_resolve_file("./rel.conf", dirs, 4);
		ck_assert_str_eq(found, "./rel.conf");
		free(found);
	}
	strv_free(files);
	free(masked);
	free(etc);
	free(run);
	free(usr);
	{
		char *cmd;

		ck_assert_int_ge(asprintf(&cmd, "rm -rf '%s'", tmpdir), 0);
		ck_assert_int_eq(system(cmd), 0);
		free(cmd);
	}
}
END_TEST

START_TEST(unreadable_file_is_an_error)
{
	struct tmpfiles_list list = { 0 };

	strv_free(said);
	said = NULL;
	ck_assert_int_eq(tmpfiles_parse_file(&list, "/nonexistent/x.conf", &specs,
					     false, collect, NULL), -1);
	ck_assert_uint_eq(list.n_errors, 1);
	assert_said(0, "E:/nonexistent/x.conf: No such file or directory");
	tmpfiles_list_free(&list);
}
END_TEST

/* Lines from this machine's /usr/lib/tmpfiles.d and of the packages in
 * the brief's list parse as systemd would: no error. */
START_TEST(real_lines)
{
	struct tmpfiles_list list;

	parse(&list,
	      "d /run/haproxy 2775 haproxy haproxy -\n"
	      "d /run/memcached 0755 memcache memcache -\n"
	      "L /var/lib/dbus/machine-id - - - - /etc/machine-id\n"
	      "d /var/cache/man 0755 man man 1w\n"
	      "d\t/etc/polkit-1/rules.d\t0700\tpolkitd\troot\t-\t-\n"
	      "d /var/log/postgresql 1775 root postgres - -\n"
	      "x /tmp/systemd-private-%b-*\n"
	      "X /tmp/systemd-private-%b-*/tmp\n"
	      "R! /tmp/systemd-private-*\n"
	      "z /run/log/journal 2755 root systemd-journal - -\n"
	      "d /var/lib/systemd/pstore 0755 root root 14d\n", true);
	ck_assert_msg(said == NULL, "unexpected: %s", said ? said[0] : "");
	ck_assert_uint_eq(list.n, 11);
	ck_assert_uint_eq(list.lines[0].mode, 02775);
	ck_assert_str_eq(list.lines[6].path,
			 "/tmp/systemd-private-fedcba9876543210fedcba9876543210-*");
	tmpfiles_list_free(&list);
}
END_TEST

static Suite *tmpfiles_suite(void)
{
	Suite *s = suite_create("tmpfiles");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fields_and_defaults);
	tcase_add_test(tc, comments_blanks_and_line_numbers);
	tcase_add_test(tc, modifiers);
	tcase_add_test(tc, boot_only_lines);
	tcase_add_test(tc, specifiers);
	tcase_add_test(tc, bad_specifiers);
	tcase_add_test(tc, paths);
	tcase_add_test(tc, arguments);
	tcase_add_test(tc, bad_lines_are_errors_the_rest_stays);
	tcase_add_test(tc, unsupported_are_warnings);
	tcase_add_test(tc, nul_byte_and_no_final_newline);
	tcase_add_test(tc, duplicates_first_wins);
	tcase_add_test(tc, directories_merged_by_name);
	tcase_add_test(tc, unreadable_file_is_an_error);
	tcase_add_test(tc, real_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int r = check_run(tmpfiles_suite());

	strv_free(said);
	return r;
}
