/* wants: NAME.wants/ and NAME.requires/ directories. */
#include <check.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "wants.h"

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/test_wants.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void make(const char *rel, bool is_dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (is_dir) {
		ck_assert_int_eq(mkdir(path, 0755), 0);
	} else {
		FILE *f = fopen(path, "w");

		ck_assert_ptr_nonnull(f);
		fclose(f);
	}
}

static const struct wants_entry *find(const struct wants *w, const char *owner,
				      const char *name)
{
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->v[i].owner, owner) && !strcmp(w->v[i].name, name))
			return &w->v[i];
	return NULL;
}

static int diag_calls;

static void count_diag(void *ctx, const char *path, int err)
{
	diag_calls++;
}

START_TEST(wants_and_requires_dirs)
{
	const char *dirs[] = { dir };
	struct wants w = {0};
	const struct wants_entry *e;
	char link_path[256];

	make("multi-user.target.wants", true);
	make("multi-user.target.wants/a.service", false);
	snprintf(link_path, sizeof(link_path),
		 "%s/multi-user.target.wants/b.service", dir);
	ck_assert_int_eq(symlink("../b.service", link_path), 0);
	make("web.service.requires", true);
	make("web.service.requires/db.service", false);
	make("web.service", false);
	/* A file named like the directory is not one: skipped quietly. */
	make("odd.target.wants", false);
	diag_calls = 0;
	ck_assert_int_eq(wants_scan(dirs, 1, &w, count_diag, NULL), 0);
	ck_assert_uint_eq(w.n, 3);
	ck_assert_int_eq(diag_calls, 0);
	e = find(&w, "multi-user.target", "a.service");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, UNIT_DEP_WANTS);
	ck_assert_ptr_nonnull(find(&w, "multi-user.target", "b.service"));
	e = find(&w, "web.service", "db.service");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, UNIT_DEP_REQUIRES);
	wants_free(&w);
	ck_assert_uint_eq(w.n, 0);
}
END_TEST

START_TEST(missing_directory_is_empty)
{
	const char *dirs[] = { "/nonexistent/svd-test", dir };
	struct wants w = {0};

	ck_assert_int_eq(wants_scan(dirs, 2, &w, count_diag, NULL), 0);
	ck_assert_uint_eq(w.n, 0);
	wants_free(&w);
}
END_TEST

START_TEST(unreadable_wants_dir_is_reported)
{
	const char *dirs[] = { dir };
	struct wants w = {0};
	char path[256];

	if (geteuid() == 0)
		return;	/* root reads it all the same */
	make("x.target.wants", true);
	snprintf(path, sizeof(path), "%s/x.target.wants", dir);
	ck_assert_int_eq(chmod(path, 0), 0);
	diag_calls = 0;
	ck_assert_int_eq(wants_scan(dirs, 1, &w, count_diag, NULL), 0);
	ck_assert_int_eq(diag_calls, 1);
	chmod(path, 0755);
	wants_free(&w);
}
END_TEST

START_TEST(add_copies)
{
	struct wants w = {0};
	char owner[] = "a.target";

	ck_assert_int_eq(wants_add(&w, owner, UNIT_DEP_WANTS, "b.service"), 0);
	owner[0] = 'z';
	ck_assert_str_eq(w.v[0].owner, "a.target");
	wants_free(&w);
}
END_TEST

static Suite *wants_suite(void)
{
	Suite *s = suite_create("wants");
	TCase *tc = tcase_create("scan");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, wants_and_requires_dirs);
	tcase_add_test(tc, missing_directory_is_empty);
	tcase_add_test(tc, unreadable_wants_dir_is_reported);
	tcase_add_test(tc, add_copies);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(wants_suite());
}
