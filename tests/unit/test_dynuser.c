/* Tests for daemon/dynuser.c (DynamicUser='s names and uids) and
 * daemon/ipc_clean.c (RemoveIPC= against listings in a temporary tree). */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dynuser.h"
#include "fake_unit.h"
#include "ipc_clean.h"

static void name_of(const char *user, const char *unit_name, const char *want)
{
	struct unit *u = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 1);
	char name[DYNUSER_NAME_MAX + 1];

	u->user = user ? strdup(user) : NULL;
	dynuser_name(u, unit_name, name);
	if (want[0] == '_')
		ck_assert_int_eq(strncmp(name, want, strlen(want)), 0);
	else
		ck_assert_str_eq(name, want);
	unit_free(u);
}

START_TEST(names_as_systemd_derives_them)
{
	name_of(NULL, "web.service", "web");
	name_of(NULL, "getty@tty1.service", "getty");
	name_of("webby", "web.service", "webby");
	/* not a user name: a hash */
	name_of(NULL, "9lives.service", "_du");
	name_of(NULL, "a-very-long-service-name-that-goes-on-and-on.service", "_du");
	name_of("1000", "web.service", "_du");
}
END_TEST

START_TEST(uids_shared_by_name_freed_at_last)
{
	struct dynusers set = { 0 };
	struct dynuser *a = dynuser_acquire(&set, "svd-test-a", (uid_t)-1);
	struct dynuser *b = dynuser_acquire(&set, "svd-test-b", (uid_t)-1);
	struct dynuser *a2 = dynuser_acquire(&set, "svd-test-a", (uid_t)-1);
	uid_t uid_a;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_eq(a, a2);
	ck_assert_uint_eq(a->refs, 2);
	ck_assert_uint_ne(a->uid, b->uid);
	ck_assert_uint_ge(a->uid, UNIT_DYNAMIC_UID_MIN);
	ck_assert_uint_le(a->uid, UNIT_DYNAMIC_UID_MAX);
	ck_assert(!dynuser_uid_free(&set, a->uid));
	uid_a = a->uid;
	/* The same name hashes to the same uid: the next run gets it. */
	dynuser_release(&set, a);
	ck_assert(!dynuser_uid_free(&set, uid_a));
	dynuser_release(&set, a2);
	ck_assert_uint_eq(set.n, 1);
	a = dynuser_acquire(&set, "svd-test-a", (uid_t)-1);
	ck_assert_uint_eq(a->uid, uid_a);
	dynuser_release(&set, a);
	/* A preferred uid is taken when free, else not. */
	a = dynuser_acquire(&set, "svd-test-c", b->uid);
	ck_assert_uint_ne(a->uid, b->uid);
	dynuser_release(&set, a);
	a = dynuser_acquire(&set, "svd-test-c", uid_a);
	ck_assert_uint_eq(a->uid, uid_a);
	dynuser_release(&set, a);
	/* Out of range or root: never. */
	ck_assert(!dynuser_uid_free(&set, 0));
	ck_assert(!dynuser_uid_free(&set, UNIT_DYNAMIC_UID_MAX + 1));
	dynuser_release(&set, b);
	ck_assert_uint_eq(set.n, 0);
	ck_assert_ptr_null(set.first);
}
END_TEST

static char tree[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A System V listing of another user's object (left alone: the test
 * never removes the host's), and POSIX files owned by the user, by
 * another, by root. */
START_TEST(ipc_removes_what_the_user_owns)
{
	char path[256];
	struct ipc_clean_paths paths;
	char sysvipc[128], shm[128], mq[128];

	if (geteuid() != 0)
		return;	/* chown needs root */
	strcpy(tree, "/tmp/svd-ipc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tree));
	snprintf(sysvipc, sizeof(sysvipc), "%s/sysvipc", tree);
	snprintf(shm, sizeof(shm), "%s/shm", tree);
	snprintf(mq, sizeof(mq), "%s/mq", tree);
	ck_assert_int_eq(mkdir(sysvipc, 0755), 0);
	ck_assert_int_eq(mkdir(shm, 0755), 0);
	paths = (struct ipc_clean_paths){ sysvipc, shm, mq };
	put("sysvipc/shm", "key shmid perms size cpid lpid nattch uid gid cuid cgid\n"
	    "0 2147483000 600 4096 1 1 0 64990 64990 64999 64999\n");
	put("sysvipc/sem", "key semid perms nsems uid gid cuid cgid\nbad line\n");
	put("shm/mine", "x");
	put("shm/theirs", "x");
	put("shm/roots", "x");
	snprintf(path, sizeof(path), "%s/mine", shm);
	ck_assert_int_eq(chown(path, 64999, 64999), 0);
	snprintf(path, sizeof(path), "%s/theirs", shm);
	ck_assert_int_eq(chown(path, 64998, 64998), 0);
	ck_assert_uint_eq(ipc_clean(&paths, 64999, 64999, "t"), 1);
	snprintf(path, sizeof(path), "%s/mine", shm);
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/theirs", shm);
	ck_assert_int_eq(access(path, F_OK), 0);
	/* root's are never touched */
	ck_assert_uint_eq(ipc_clean(&paths, 0, 0, "t"), 0);
	snprintf(path, sizeof(path), "%s/roots", shm);
	ck_assert_int_eq(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "rm -rf %s", tree);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

static Suite *dynuser_suite(void)
{
	Suite *s = suite_create("dynuser");
	TCase *tc = tcase_create("dynuser");

	tcase_add_test(tc, names_as_systemd_derives_them);
	tcase_add_test(tc, uids_shared_by_name_freed_at_last);
	tcase_add_test(tc, ipc_removes_what_the_user_owns);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(dynuser_suite());
}
