/* boot and halt: the parts of init mode that are plain functions
 * (hostname file, mount points, mountinfo escapes). The steps that
 * mount, sethostname and reboot are tested as PID 1 in namespaces by
 * tests/integration/test_board.sh. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "halt.h"

static char hostname_path[] = "/tmp/svd-test-hostname.XXXXXX";

static void write_hostname_file(const char *text)
{
	int fd = mkstemp(hostname_path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static int read_back(const char *text, char *name, unsigned size)
{
	int r;

	strcpy(hostname_path, "/tmp/svd-test-hostname.XXXXXX");
	write_hostname_file(text);
	r = boot_read_hostname(hostname_path, name, size);
	unlink(hostname_path);
	return r;
}

START_TEST(hostname_first_name_after_comments)
{
	char name[256];

	ck_assert_int_eq(read_back("# written by the image builder\n\n"
				   "  board-7.example \n other\n", name,
				   sizeof(name)), 0);
	ck_assert_str_eq(name, "board-7.example");
	ck_assert_int_eq(read_back("plain", name, sizeof(name)), 0);
	ck_assert_str_eq(name, "plain");
}
END_TEST

START_TEST(hostname_invalid_is_einval)
{
	char name[256] = "unchanged";
	char long_name[80];

	ck_assert_int_eq(read_back("bad name\n", name, sizeof(name)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(read_back("-dash\n", name, sizeof(name)), -1);
	ck_assert_int_eq(read_back("# only a comment\n", name, sizeof(name)), -1);
	ck_assert_int_eq(errno, EINVAL);
	memset(long_name, 'a', 65);
	strcpy(long_name + 65, "\n");
	ck_assert_int_eq(read_back(long_name, name, sizeof(name)), -1);
	/* A name that does not fit the caller's buffer is refused, not cut. */
	ck_assert_int_eq(read_back("abcdefgh\n", name, 8), -1);
	ck_assert_str_eq(name, "unchanged");
	/* A long comment is skipped whole, not read in pieces. */
	{
		char text[600] = "# ";

		memset(text + 2, 'x', 500);
		strcpy(text + 502, "evil-host\nreal-host\n");
		ck_assert_int_eq(read_back(text, name, sizeof(name)), 0);
		ck_assert_str_eq(name, "real-host");
	}
}
END_TEST

START_TEST(hostname_missing_file_is_enoent)
{
	char name[64];

	ck_assert_int_eq(boot_read_hostname("/nonexistent/hostname", name,
					    sizeof(name)), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(mount_points)
{
	char dir[] = "/tmp/svd-test-dir.XXXXXX";

	ck_assert(boot_is_mount_point("/"));
	ck_assert(boot_is_mount_point("/proc"));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert(!boot_is_mount_point(dir));
	rmdir(dir);
	ck_assert(!boot_is_mount_point("/nonexistent"));
}
END_TEST

START_TEST(mountinfo_escapes)
{
	char path[] = "/mnt/with\\040space/and\\011tab/back\\134slash/\\08x";

	halt_unescape_mount_point(path);
	ck_assert_str_eq(path, "/mnt/with space/and\ttab/back\\slash/\\08x");
}
END_TEST

START_TEST(mountinfo_lines)
{
	char line1[] = "36 35 98:0 /mnt1 /mnt/with\\040space rw,noatime "
		       "master:1 shared:2 - ext3 /dev/root rw,errors=continue\n";
	char line2[] = "22 1 0:21 / /proc rw,nosuid - proc proc rw\n";
	char no_separator[] = "22 1 0:21 / /proc rw,nosuid proc proc rw\n";
	char too_short[] = "22 1 / - proc proc rw\n";
	char *point, *fstype;

	ck_assert(halt_parse_mountinfo_line(line1, &point, &fstype));
	ck_assert_str_eq(point, "/mnt/with space");
	ck_assert_str_eq(fstype, "ext3");
	ck_assert(halt_parse_mountinfo_line(line2, &point, &fstype));
	ck_assert_str_eq(point, "/proc");
	ck_assert_str_eq(fstype, "proc");
	ck_assert(!halt_parse_mountinfo_line(no_separator, &point, &fstype));
	ck_assert(!halt_parse_mountinfo_line(too_short, &point, &fstype));
}
END_TEST

START_TEST(action_names)
{
	ck_assert_str_eq(halt_action_name(HALT_REBOOT), "reboot");
	ck_assert_str_eq(halt_action_name(HALT_POWEROFF), "poweroff");
	ck_assert_str_eq(halt_action_name(HALT_HALT), "halt");
	ck_assert_str_eq(halt_action_name(HALT_NONE), "stop");
}
END_TEST

static Suite *init_suite(void)
{
	Suite *s = suite_create("init");
	TCase *tc = tcase_create("boot");

	tcase_add_test(tc, hostname_first_name_after_comments);
	tcase_add_test(tc, hostname_invalid_is_einval);
	tcase_add_test(tc, hostname_missing_file_is_enoent);
	tcase_add_test(tc, mount_points);
	suite_add_tcase(s, tc);
	tc = tcase_create("halt");
	tcase_add_test(tc, mountinfo_escapes);
	tcase_add_test(tc, mountinfo_lines);
	tcase_add_test(tc, action_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(init_suite());
}
