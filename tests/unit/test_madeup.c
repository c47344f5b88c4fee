/* madeup: the units svd makes up for .target, .mount and .device names,
 * the check of what they stand for, the fstab and RequiresMountsFor=. */
#include <check.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "madeup.h"
#include "strv.h"

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/test_madeup.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Whether name's made-up unit is there now; why into why. */
static bool check(const char *name, char *why, size_t size)
{
	const char *error = NULL;
	struct unit *u = madeup_unit(name, &error);
	bool there;

	ck_assert_msg(u, "%s: %s", name, error);
	why[0] = '\0';
	there = madeup_check(u, NULL, why, size);
	unit_free(u);
	return there;
}

START_TEST(kinds_and_units)
{
	enum unit_kind kind;
	const char *why = NULL;
	struct unit *u;

	ck_assert(madeup_kind("a.target", &kind));
	ck_assert_int_eq(kind, UNIT_KIND_TARGET);
	ck_assert(madeup_kind("a.mount", &kind));
	ck_assert_int_eq(kind, UNIT_KIND_MOUNT);
	ck_assert(madeup_kind("a.device", &kind));
	ck_assert_int_eq(kind, UNIT_KIND_DEVICE);
	ck_assert(!madeup_kind("a.service", NULL));
	ck_assert(!madeup_kind("a.timer", NULL));
	ck_assert(!madeup_kind(".mount", NULL));

	u = madeup_unit("net.target", &why);
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u->description, "target net.target");
	ck_assert_int_eq(u->type, UNIT_TYPE_ONESHOT);
	ck_assert(u->remain_after_exit);
	ck_assert_uint_eq(u->start_limit_burst, 0);
	unit_free(u);
	u = madeup_unit("var-lib.mount", &why);
	ck_assert_str_eq(u->description, "mount point /var/lib");
	unit_free(u);
	u = madeup_unit("sys-subsystem-net-devices-eth0.device", &why);
	ck_assert_str_eq(u->description, "device /sys/class/net/eth0");
	unit_free(u);
	ck_assert_ptr_null(madeup_unit("-var.mount", &why));
	ck_assert_ptr_nonnull(strstr(why, "escaping"));
	ck_assert_ptr_null(madeup_unit("a.service", &why));
}
END_TEST

START_TEST(checks_at_start)
{
	char why[256], name[128], *escaped;

	ck_assert(check("-.mount", why, sizeof(why)));
	ck_assert(check("proc.mount", why, sizeof(why)));
	ck_assert(check("dev-null.device", why, sizeof(why)));
	ck_assert(check("sys-subsystem-net-devices-lo.device", why, sizeof(why)));
	ck_assert(check("net.target", why, sizeof(why)));

	ck_assert(!check("dev-svd_no_such_node.device", why, sizeof(why)));
	ck_assert_str_eq(why, "/dev/svd_no_such_node does not exist");
	ck_assert(!check("sys-subsystem-net-devices-svd0nope.device", why,
			 sizeof(why)));
	ck_assert_str_eq(why, "/sys/class/net/svd0nope does not exist");

	/* A plain directory is no mount point; a missing one is named. */
	escaped = unit_name_from_path(dir, ".mount");
	ck_assert_ptr_nonnull(escaped);
	ck_assert(!check(escaped, why, sizeof(why)));
	snprintf(name, sizeof(name), "%s is not a mount point", dir);
	ck_assert_str_eq(why, name);
	free(escaped);
	ck_assert(!check("svd_no_such_dir.mount", why, sizeof(why)));
	ck_assert_str_eq(why, "/svd_no_such_dir: No such file or directory");
}
END_TEST

static void write_fstab(const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fstab", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(fstab_and_mounts_for)
{
	char path[128], **points = NULL, **names;

	snprintf(path, sizeof(path), "%s/fstab", dir);
	ck_assert_int_eq(madeup_fstab_read(path, &points), 0);	/* none */
	ck_assert_ptr_null(points);
	write_fstab("# a comment\n"
		    "\n"
		    "   # indented comment\n"
		    "UUID=1 / ext4 defaults 0 1\n"
		    "/dev/sda2 /srv//data/ ext4 noauto 0 2\n"
		    "/dev/sda3\t/srv\text4\tdefaults\n"
		    "/dev/sda4 none swap sw 0 0\n"
		    "/dev/sda5 /with\\040space ext4 defaults 0 0\n"
		    "/dev/sda6 relative ext4 defaults 0 0\n"
		    "/dev/sda7 /a/../b ext4 defaults 0 0\n"
		    "lonely\n"
		    "/dev/sda8 /srvx ext4 defaults 0 0\n");
	ck_assert_int_eq(madeup_fstab_read(path, &points), 0);
	ck_assert_uint_eq(strv_length(points), 4);
	ck_assert_str_eq(points[0], "/srv/data");
	ck_assert_str_eq(points[1], "/srv");
	ck_assert_str_eq(points[2], "/with space");
	ck_assert_str_eq(points[3], "/srvx");

	/* Outermost first; /srvx is no parent of /srv/data/db. */
	names = madeup_mounts_for(points, "/srv/data/db");
	ck_assert_uint_eq(strv_length(names), 2);
	ck_assert_str_eq(names[0], "srv.mount");
	ck_assert_str_eq(names[1], "srv-data.mount");
	strv_free(names);
	names = madeup_mounts_for(points, "/with space");
	ck_assert_uint_eq(strv_length(names), 1);
	ck_assert_str_eq(names[0], "with\\x20space.mount");
	strv_free(names);
	names = madeup_mounts_for(points, "/var/lib");
	ck_assert_ptr_nonnull(names);
	ck_assert_ptr_null(names[0]);
	strv_free(names);
	names = madeup_mounts_for(NULL, "/srv");
	ck_assert_ptr_nonnull(names);
	ck_assert_ptr_null(names[0]);
	strv_free(names);
	strv_free(points);

	/* A directory is no fstab: the error is the caller's to log. */
	ck_assert_int_eq(madeup_fstab_read(dir, &points), -1);
	strv_free(points);
}
END_TEST

static Suite *madeup_suite(void)
{
	Suite *s = suite_create("madeup");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, kinds_and_units);
	tcase_add_test(tc, checks_at_start);
	tcase_add_test(tc, fstab_and_mounts_for);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(madeup_suite());
}
