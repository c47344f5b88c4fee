/* Tests for conf/host.c: the host's values for unit specifiers, read
 * from files under a test root of their own. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host.h"

static char root[PATH_MAX];

static void setup(void)
{
	strcpy(root, "/tmp/svd-test-host.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	return remove(path);
}

static void teardown(void)
{
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes root/path, making its directories. */
static void write_file(const char *path, const char *content)
{
	char full[PATH_MAX + 64];
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (char *slash = strchr(full + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		ck_assert(mkdir(full, 0755) == 0 || errno == EEXIST);
		*slash = '/';
	}
	f = fopen(full, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	fclose(f);
}

START_TEST(reads_the_files)
{
	struct spec_host h;

	write_file("/etc/machine-id", "0123456789ABCDEF0123456789abcdef\n");
	write_file("/proc/sys/kernel/random/boot_id",
		   "e2b3c9a0-1d2f-4b6e-9a8c-7f6e5d4c3b2a\n");
	write_file("/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"
		   "BUILD_ID='b 7'\nIMAGE_ID=img\nIMAGE_VERSION=1.2\n");
	write_file("/etc/machine-info", "PRETTY_HOSTNAME=\"Box of Tricks\"\n");
	ck_assert_int_eq(host_read(&h, root), 0);
	ck_assert_str_eq(h.machine_id, "0123456789abcdef0123456789abcdef");
	ck_assert_str_eq(h.boot_id, "e2b3c9a01d2f4b6e9a8c7f6e5d4c3b2a");
	ck_assert_str_eq(h.os_id, "debian");
	ck_assert_str_eq(h.os_version_id, "12");
	ck_assert_str_eq(h.os_variant_id, "");
	ck_assert_str_eq(h.os_build_id, "b 7");
	ck_assert_str_eq(h.os_image_id, "img");
	ck_assert_str_eq(h.os_image_version, "1.2");
	ck_assert_str_eq(h.pretty_hostname, "Box of Tricks");
	host_clear(&h);
	ck_assert_ptr_null(h.machine_id);
}
END_TEST

/* What cannot be read stays NULL: its specifier is then an error. */
START_TEST(missing_or_bad_files)
{
	struct spec_host h;

	write_file("/etc/machine-id", "uninitialized\n");
	write_file("/proc/sys/kernel/random/boot_id", "0123\n");
	ck_assert_int_eq(host_read(&h, root), 0);
	ck_assert_ptr_null(h.machine_id);
	ck_assert_ptr_null(h.boot_id);
	ck_assert_ptr_null(h.os_id);
	ck_assert_ptr_null(h.pretty_hostname);
	host_clear(&h);
	/* 33 digits are no ID either; os-release from /usr/lib. */
	write_file("/etc/machine-id", "0123456789abcdef0123456789abcdef0\n");
	write_file("/usr/lib/os-release", "ID=fallback\n");
	ck_assert_int_eq(host_read(&h, root), 0);
	ck_assert_ptr_null(h.machine_id);
	ck_assert_str_eq(h.os_id, "fallback");
	ck_assert_str_eq(h.os_version_id, "");
	host_clear(&h);
}
END_TEST

/* A FIFO where an ID should be is not waited on. */
START_TEST(fifo_is_no_id)
{
	char path[PATH_MAX + 32];
	struct spec_host h;

	snprintf(path, sizeof(path), "%s/etc", root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/machine-id", root);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(host_read(&h, root), 0);
	ck_assert_ptr_null(h.machine_id);
	host_clear(&h);
}
END_TEST

/* uname, the user and the temporary directories, as systemd has them. */
START_TEST(system_values)
{
	struct spec_host h;
	struct utsname u;
	char number[32];

	ck_assert_int_eq(uname(&u), 0);
	ck_assert_int_eq(unsetenv("TMPDIR"), 0);
	ck_assert_int_eq(setenv("TEMP", "relative", 1), 0);
	ck_assert_int_eq(setenv("TMP", "/scratch", 1), 0);
	ck_assert_int_eq(host_read(&h, NULL), 0);
	ck_assert_str_eq(h.hostname, u.nodename);
	ck_assert_str_eq(h.kernel_release, u.release);
	ck_assert_str_eq(h.architecture, host_architecture(u.machine));
	snprintf(number, sizeof(number), "%u", (unsigned)getuid());
	ck_assert_str_eq(h.user_id, number);
	snprintf(number, sizeof(number), "%u", (unsigned)getgid());
	ck_assert_str_eq(h.group_id, number);
	ck_assert_ptr_nonnull(h.user_name);
	if (getuid() == 0) {
		ck_assert_str_eq(h.user_name, "root");
		ck_assert_str_eq(h.home, "/root");
		ck_assert_str_eq(h.shell, "/bin/sh");
	}
	ck_assert_str_eq(h.tmp_dir, "/scratch");
	ck_assert_str_eq(h.var_tmp_dir, "/scratch");
	host_clear(&h);
	unsetenv("TMP");
	unsetenv("TEMP");
	ck_assert_int_eq(host_read(&h, NULL), 0);
	ck_assert_str_eq(h.tmp_dir, "/tmp");
	ck_assert_str_eq(h.var_tmp_dir, "/var/tmp");
	host_clear(&h);
}
END_TEST

START_TEST(architecture_names)
{
	ck_assert_str_eq(host_architecture("x86_64"), "x86-64");
	ck_assert_str_eq(host_architecture("i686"), "x86");
	ck_assert_str_eq(host_architecture("aarch64"), "arm64");
	ck_assert_str_eq(host_architecture("armv7l"), "arm");
	ck_assert_str_eq(host_architecture("armv5tejb"), "arm-be");
	ck_assert_str_eq(host_architecture("ppc64le"), "ppc64-le");
	ck_assert_str_eq(host_architecture("riscv64"), "riscv64");
	ck_assert_str_eq(host_architecture("sh4a"), "sh");
	ck_assert_str_eq(host_architecture("new-cpu"), "new-cpu");
}
END_TEST

static Suite *host_suite(void)
{
	Suite *s = suite_create("host");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reads_the_files);
	tcase_add_test(tc, missing_or_bad_files);
	tcase_add_test(tc, fifo_is_no_id);
	tcase_add_test(tc, system_values);
	tcase_add_test(tc, architecture_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(host_suite());
}
