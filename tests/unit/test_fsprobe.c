/* fsprobe: an ext superblock read, and LABEL=/UUID= found through udev's
 * links or, without them, by reading the block devices sysfs lists (a
 * directory of files here). */
#include <check.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "fsprobe.h"

static char dir[64], sys_block[96], dev[96];

static const unsigned char uuid[16] = {
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
};

static void superblock(unsigned char *sb, const char *label)
{
	memset(sb, 0, FSPROBE_EXT_SIZE);
	sb[0x38] = 0x53;
	sb[0x39] = 0xef;
	memcpy(sb + 0x68, uuid, sizeof(uuid));
	memcpy(sb + 0x78, label, strnlen(label, 16));
}

/* A device node (a file) in dev and its name in sys_block. */
static void device(const char *name, const char *label)
{
	unsigned char sb[FSPROBE_EXT_SIZE];
	char path[160];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", sys_block, name);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s", dev, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	if (label) {
		superblock(sb, label);
		ck_assert_int_eq(pwrite(fd, sb, sizeof(sb), FSPROBE_EXT_OFFSET),
				 (ssize_t)sizeof(sb));
	} else {
		ck_assert_int_eq(write(fd, "x", 1), 1);
	}
	close(fd);
}

static void setup(void)
{
	strcpy(dir, "/tmp/test_fsprobe.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sys_block, sizeof(sys_block), "%s/sys", dir);
	snprintf(dev, sizeof(dev), "%s/dev", dir);
	ck_assert_int_eq(mkdir(sys_block, 0755), 0);
	ck_assert_int_eq(mkdir(dev, 0755), 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(ext_superblock)
{
	unsigned char sb[FSPROBE_EXT_SIZE];
	struct fsprobe_id id;

	superblock(sb, "sixteen-chars-xx");
	ck_assert(fsprobe_ext(sb, sizeof(sb), &id));
	ck_assert_str_eq(id.uuid, "12345678-9abc-def0-0123-456789abcdef");
	ck_assert_str_eq(id.label, "sixteen-chars-xx");
	ck_assert(!fsprobe_ext(sb, sizeof(sb) - 1, &id));
	sb[0x38] = 0;
	ck_assert(!fsprobe_ext(sb, sizeof(sb), &id));
}
END_TEST

START_TEST(resolve_by_reading)
{
	char *path, want[160];

	device("vda", NULL);
	device("vdb", "data");
	device("vdc", "other");
	path = fsprobe_resolve("LABEL=data", sys_block, dev);
	snprintf(want, sizeof(want), "%s/vdb", dev);
	ck_assert_str_eq(path, want);
	free(path);
	path = fsprobe_resolve("UUID=12345678-9ABC-def0-0123-456789abcdef",
			       sys_block, dev);
	ck_assert_ptr_nonnull(path);
	free(path);
	errno = 0;
	ck_assert_ptr_null(fsprobe_resolve("LABEL=none", sys_block, dev));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(fsprobe_resolve("LABEL=", sys_block, dev));
	ck_assert_ptr_null(fsprobe_resolve("LABEL=a/b", sys_block, dev));
	/* Not read for: udev's link only. */
	ck_assert_ptr_null(fsprobe_resolve("PARTLABEL=data", sys_block, dev));
	path = fsprobe_resolve("/dev/vdq", sys_block, dev);
	ck_assert_str_eq(path, "/dev/vdq");
	free(path);
}
END_TEST

START_TEST(resolve_by_udev_link)
{
	char link_dir[160], link[200], *path;

	snprintf(link_dir, sizeof(link_dir), "%s/disk", dev);
	ck_assert_int_eq(mkdir(link_dir, 0755), 0);
	snprintf(link_dir, sizeof(link_dir), "%s/disk/by-partlabel", dev);
	ck_assert_int_eq(mkdir(link_dir, 0755), 0);
	device("vde", NULL);
	snprintf(link, sizeof(link), "%s/boot", link_dir);
	ck_assert_int_eq(symlink("../../vde", link), 0);
	path = fsprobe_resolve("PARTLABEL=boot", sys_block, dev);
	ck_assert_str_eq(path, link);
	free(path);
}
END_TEST

static Suite *fsprobe_suite(void)
{
	Suite *s = suite_create("fsprobe");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ext_superblock);
	tcase_add_test(tc, resolve_by_reading);
	tcase_add_test(tc, resolve_by_udev_link);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(fsprobe_suite());
}
