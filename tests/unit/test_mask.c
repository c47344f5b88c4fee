/* Tests for daemon/mask.c: a mask is made only where nothing has the
 * name, and only a link to /dev/null is ever removed. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mask.h"

static char dir[] = "/tmp/svd-mask-XXXXXX";

static void setup(void)
{
	strcpy(dir, "/tmp/svd-mask-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void make_file(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "[Service]\n", 10), 10);
	close(fd);
}

static char *link_text(const char *name)
{
	static char buf[256];
	char path[128];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

START_TEST(mask_then_again_then_unmask)
{
	char *path = NULL;

	ck_assert_int_eq(mask_create(dir, "web.service", &path), 0);
	ck_assert_str_eq(link_text("web.service"), "/dev/null");
	ck_assert_ptr_nonnull(strstr(path, "/web.service"));
	free(path);
	ck_assert_int_eq(mask_create(dir, "web.service", &path), 1);
	free(path);
	ck_assert_int_eq(mask_remove(dir, "web.service", &path), 0);
	free(path);
	ck_assert_ptr_null(link_text("web.service"));
	ck_assert_int_eq(mask_remove(dir, "web.service", &path), 1);
	free(path);
}
END_TEST

START_TEST(a_unit_file_is_never_masked_nor_removed)
{
	char *path = NULL;
	struct stat st;
	char file[128];

	make_file("web.service");
	errno = 0;
	ck_assert_int_eq(mask_create(dir, "web.service", &path), -1);
	ck_assert_int_eq(errno, EEXIST);
	free(path);
	ck_assert_int_eq(mask_remove(dir, "web.service", &path), 1);
	free(path);
	snprintf(file, sizeof(file), "%s/web.service", dir);
	ck_assert_int_eq(lstat(file, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
}
END_TEST

/* An alias, and a link to another null device path, are the admin's. */
START_TEST(other_links_stay)
{
	char *path = NULL, link[128];

	snprintf(link, sizeof(link), "%s/alias.service", dir);
	ck_assert_int_eq(symlink("web.service", link), 0);
	ck_assert_int_eq(mask_create(dir, "alias.service", &path), -1);
	ck_assert_int_eq(errno, EEXIST);
	free(path);
	ck_assert_int_eq(mask_remove(dir, "alias.service", &path), 1);
	free(path);
	ck_assert_str_eq(link_text("alias.service"), "web.service");
	snprintf(link, sizeof(link), "%s/other.service", dir);
	ck_assert_int_eq(symlink("/dev/null/", link), 0);
	ck_assert_int_eq(mask_remove(dir, "other.service", &path), 1);
	free(path);
	ck_assert_str_eq(link_text("other.service"), "/dev/null/");
}
END_TEST

START_TEST(missing_directory_is_an_error)
{
	char *path = NULL;

	errno = 0;
	ck_assert_int_eq(mask_create("/nonexistent/svd-units", "web.service",
				     &path), -1);
	ck_assert_int_eq(errno, ENOENT);
	free(path);
	ck_assert_int_eq(mask_remove("/nonexistent/svd-units", "web.service",
				     &path), 1);
	free(path);
}
END_TEST

static Suite *mask_suite(void)
{
	Suite *s = suite_create("mask");
	TCase *tc = tcase_create("mask");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mask_then_again_then_unmask);
	tcase_add_test(tc, a_unit_file_is_never_masked_nor_removed);
	tcase_add_test(tc, other_links_stay);
	tcase_add_test(tc, missing_directory_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(mask_suite());
}
