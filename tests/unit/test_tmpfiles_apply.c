/* Tests for daemon/tmpfiles_apply.c and tmpfiles_fs.c: lines applied
 * into a temporary root, never outside it. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strv.h"
#include "tmpfiles.h"
#include "tmpfiles_apply.h"

static char top[64];	/* the test's directory: root/ and outside/ */
static char root[128];
static char **said;

static void collect(void *ctx, bool error, const char *message)
{
	char *line;

	ck_assert_int_ge(asprintf(&line, "%s%s", error ? "E:" : "W:", message), 0);
	ck_assert_int_eq(strv_push_take(&said, line), 0);
}

static const struct tmpfiles_specs specs = { .runtime_dir = "/run" };

static void setup(void)
{
	snprintf(top, sizeof(top), "/tmp/svd-apply-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(root, sizeof(root), "%s/root", top);
	ck_assert_int_eq(mkdir(root, 0755), 0);
	strv_free(said);
	said = NULL;
}

static void teardown(void)
{
	char *cmd;

	ck_assert_int_ge(asprintf(&cmd, "rm -rf '%s'", top), 0);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

/* Applies text under root; returns how many lines failed. */
static int apply(const char *text, bool create, bool remove)
{
	struct tmpfiles_list list = { 0 };
	struct tmpfiles_apply_opts o = {
		.root = root, .create = create, .remove = remove,
		.diag = collect,
	};
	int failed;

	ck_assert_int_eq(tmpfiles_parse_text(&list, text, strlen(text), "t.conf",
					     &specs, true, collect, NULL), 0);
	ck_assert_int_eq(tmpfiles_finish(&list, collect, NULL), 0);
	failed = tmpfiles_apply(&list, &o);
	tmpfiles_list_free(&list);
	return failed;
}

static char *in(const char *base, const char *path)
{
	static char buf[4][512];
	static int next;
	char *out = buf[next++ % 4];

	snprintf(out, sizeof(buf[0]), "%s%s", base, path);
	return out;
}

static unsigned mode_of(const char *path)
{
	struct stat st;

	ck_assert_msg(lstat(path, &st) == 0, "%s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(parents_made_and_modes)
{
	ck_assert_int_eq(apply("d /a/b/c 0700\nf /x/y/file 0640 - - - hi\n",
			       true, false), 0);
	ck_assert_uint_eq(mode_of(in(root, "/a")), 0755);
	ck_assert_uint_eq(mode_of(in(root, "/a/b/c")), 0700);
	ck_assert_uint_eq(mode_of(in(root, "/x/y/file")), 0640);
	ck_assert_str_eq(slurp(in(root, "/x/y/file")), "hi");
}
END_TEST

/* An existing directory gets an explicit mode, not a default one. */
START_TEST(existing_directory)
{
	ck_assert_int_eq(mkdir(in(root, "/d"), 0700), 0);
	ck_assert_int_eq(mkdir(in(root, "/e"), 0700), 0);
	ck_assert_int_eq(apply("d /d\nd /e 0751\n", true, false), 0);
	ck_assert_uint_eq(mode_of(in(root, "/d")), 0700);
	ck_assert_uint_eq(mode_of(in(root, "/e")), 0751);
}
END_TEST

START_TEST(masked_mode)
{
	put(in(root, "/noexec"), "");
	ck_assert_int_eq(chmod(in(root, "/noexec"), 0600), 0);
	ck_assert_int_eq(apply("z /noexec ~0755\n", true, false), 0);
	/* No execute bit before: none after; read and write as asked. */
	ck_assert_uint_eq(mode_of(in(root, "/noexec")), 0644);
}
END_TEST

/* An absolute symlink on the way is resolved inside the root. */
START_TEST(symlink_on_the_way_stays_inside)
{
	char *outside = in(top, "/outside");

	ck_assert_int_eq(mkdir(outside, 0755), 0);
	ck_assert_int_eq(mkdir(in(root, "/inside"), 0755), 0);
	ck_assert_int_eq(symlink("/inside", in(root, "/link")), 0);
	ck_assert_int_eq(symlink(outside, in(root, "/escape")), 0);
	ck_assert_int_eq(apply("d /link/made\nd /escape/made\n", true, false), 1);
	ck_assert_uint_eq(mode_of(in(root, "/inside/made")), 0755);
	ck_assert_int_eq(access(in(top, "/outside/made"), F_OK), -1);
	ck_assert_ptr_nonnull(said);
	ck_assert_msg(strstr(said[0], "t.conf:2: /escape/made: ") != NULL, "%s", said[0]);
}
END_TEST

/* The last component is never followed: a link's target keeps its mode. */
START_TEST(final_symlink_not_followed)
{
	char *target = in(top, "/target");

	put(target, "secret");
	ck_assert_int_eq(chmod(target, 0600), 0);
	ck_assert_int_eq(symlink(target, in(root, "/ln")), 0);
	ck_assert_int_eq(apply("z /ln 0666\nf+ /ln - - - - overwritten\nw /ln - - - - x\n",
			       true, false), 2);
	ck_assert_uint_eq(mode_of(target), 0600);
	ck_assert_str_eq(slurp(target), "secret");
}
END_TEST

START_TEST(remove_and_remove_tree)
{
	ck_assert_int_eq(mkdir(in(root, "/full"), 0755), 0);
	put(in(root, "/full/f"), "");
	ck_assert_int_eq(mkdir(in(root, "/tree"), 0755), 0);
	ck_assert_int_eq(mkdir(in(root, "/tree/sub"), 0755), 0);
	put(in(root, "/tree/sub/f"), "");
	put(in(root, "/g1"), "");
	put(in(root, "/g2"), "");
	/* The tree holds a link out: the link goes, not what it points at. */
	ck_assert_int_eq(mkdir(in(top, "/kept"), 0755), 0);
	put(in(top, "/kept/f"), "");
	ck_assert_int_eq(symlink(in(top, "/kept"), in(root, "/tree/out")), 0);
	/* create only: nothing removed. */
	ck_assert_int_eq(apply("R /tree\nr /g*\n", true, false), 0);
	ck_assert_int_eq(access(in(root, "/tree/sub/f"), F_OK), 0);
	ck_assert_int_eq(apply("R /tree\nr /g*\nr /full\nr /none\n", false, true), 0);
	ck_assert_int_eq(access(in(root, "/tree"), F_OK), -1);
	ck_assert_int_eq(access(in(root, "/g1"), F_OK), -1);
	ck_assert_int_eq(access(in(root, "/g2"), F_OK), -1);
	ck_assert_int_eq(access(in(top, "/kept/f"), F_OK), 0);
	/* r leaves a directory that is not empty, with a warning. */
	ck_assert_int_eq(access(in(root, "/full/f"), F_OK), 0);
	ck_assert_ptr_nonnull(said);
	ck_assert_str_eq(said[0], "W:t.conf:3: /full: directory not empty; not "
			 "removed (R removes a tree)");
}
END_TEST

START_TEST(copy_tree)
{
	ck_assert_int_eq(mkdir(in(root, "/src"), 0750), 0);
	ck_assert_int_eq(mkdir(in(root, "/src/sub"), 0700), 0);
	put(in(root, "/src/sub/f"), "content");
	ck_assert_int_eq(chmod(in(root, "/src/sub/f"), 0604), 0);
	ck_assert_int_eq(symlink("sub/f", in(root, "/src/ln")), 0);
	ck_assert_int_eq(mkdir(in(root, "/full"), 0755), 0);
	put(in(root, "/full/own"), "own");
	ck_assert_int_eq(apply("C /dst - - - - /src\nC /full - - - - /src\n"
			       "C+ /merged - - - - /src\n", true, false), 0);
	ck_assert_str_eq(slurp(in(root, "/dst/sub/f")), "content");
	ck_assert_uint_eq(mode_of(in(root, "/dst")), 0750);
	ck_assert_uint_eq(mode_of(in(root, "/dst/sub/f")), 0604);
	/* C leaves a directory that has things; C+ merges into it. */
	ck_assert_int_eq(access(in(root, "/full/sub"), F_OK), -1);
	ck_assert_int_eq(mkdir(in(root, "/merge2"), 0755), 0);
	put(in(root, "/merge2/own"), "own");
	ck_assert_int_eq(apply("C+ /merge2 - - - - /src\n", true, false), 0);
	ck_assert_str_eq(slurp(in(root, "/merge2/sub/f")), "content");
	ck_assert_str_eq(slurp(in(root, "/merge2/own")), "own");
	/* A missing source is the line's failure. */
	ck_assert_int_eq(apply("C /x - - - - /nonexistent\n", true, false), 1);
}
END_TEST

START_TEST(symlinks_and_nodes)
{
	put(in(root, "/occupied"), "");
	ck_assert_int_eq(symlink("/old", in(root, "/relink")), 0);
	ck_assert_int_eq(apply("L /l - - - - /target\nL /occupied - - - - /t\n"
			       "L+ /relink - - - - /new\np /fifo\n", true, false), 0);
	{
		char buf[64];
		ssize_t n = readlink(in(root, "/l"), buf, sizeof(buf) - 1);

		ck_assert_int_eq(n, 7);
		buf[n] = '\0';
		ck_assert_str_eq(buf, "/target");
		n = readlink(in(root, "/relink"), buf, sizeof(buf) - 1);
		buf[n] = '\0';
		ck_assert_str_eq(buf, "/new");
	}
	/* L leaves what is in the way, as systemd does. */
	ck_assert_str_eq(slurp(in(root, "/occupied")), "");
	ck_assert_uint_eq(mode_of(in(root, "/fifo")), 0644);
}
END_TEST

START_TEST(failures_go_on_and_minus_is_a_warning)
{
	put(in(root, "/file"), "");
	ck_assert_int_eq(apply("d /file/under\nd- /file\nd /after\n", true, false), 1);
	ck_assert_int_eq(access(in(root, "/after"), F_OK), 0);
	ck_assert_uint_eq(strv_length(said), 2);
	ck_assert_str_eq(said[0], "W:t.conf:2: /file: exists and is not a directory");
	ck_assert_str_eq(said[1], "E:t.conf:1: /file/under: opening its directory: "
			 "ENOTDIR (Not a directory)");
}
END_TEST

START_TEST(missing_root)
{
	snprintf(root, sizeof(root), "%s/none", top);
	ck_assert_int_eq(apply("d /a\n", true, false), -1);
	ck_assert_ptr_nonnull(said);
	ck_assert_msg(strstr(said[0], "E:tmpfiles: root ") == said[0], "%s", said[0]);
}
END_TEST

static Suite *apply_suite(void)
{
	Suite *s = suite_create("tmpfiles_apply");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, parents_made_and_modes);
	tcase_add_test(tc, existing_directory);
	tcase_add_test(tc, masked_mode);
	tcase_add_test(tc, symlink_on_the_way_stays_inside);
	tcase_add_test(tc, final_symlink_not_followed);
	tcase_add_test(tc, remove_and_remove_tree);
	tcase_add_test(tc, copy_tree);
	tcase_add_test(tc, symlinks_and_nodes);
	tcase_add_test(tc, failures_go_on_and_minus_is_a_warning);
	tcase_add_test(tc, missing_root);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int r;

	umask(022);
	r = check_run(apply_suite());
	strv_free(said);
	return r;
}
