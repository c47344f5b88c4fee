/* Tests for conf/sandbox_fs.c: the file-system and namespace keys as the
 * unit loader parses them, their resets, prefixes and bad values. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strv.h"
#include "unit.h"

static char dir[PATH_MAX];
static char path[PATH_MAX];
static char **diags;

static void collect_diag(void *ctx, enum unit_diag_level level, const char *message)
{
	char *line;

	(void)ctx;
	ck_assert_int_ge(asprintf(&line, "%c %s", level == UNIT_DIAG_ERROR ? 'E' : 'W',
				  message), 0);
	ck_assert_int_eq(strv_push_take(&diags, line), 0);
}

static const char *dirs[1] = { dir };
static const struct unit_load_ctx ctx = {
	.dirs = dirs, .n_dirs = 1, .diag = collect_diag,
	.spec = { .host = &(struct spec_host){ .hostname = "testhost" } },
};

static void setup(void)
{
	strcpy(dir, "/tmp/svd-test-sandbox.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.service", dir);
	diags = NULL;
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
	strv_free(diags);
	diags = NULL;
}

/* The unit of [Service] lines body with ExecStart=/bin/true; NULL when
 * it does not load. */
static struct unit *load(const char *body)
{
	struct unit *u = NULL;
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "[Service]\nExecStart=/bin/true\n%s", body);
	ck_assert_int_eq(fclose(f), 0);
	strv_free(diags);
	diags = NULL;
	if (unit_load_file(&ctx, path, NULL, &u) < 0)
		return NULL;
	return u;
}

static bool has_diag(const char *text)
{
	for (char **d = diags; d && *d; d++)
		if (strstr(*d, text))
			return true;
	return false;
}

START_TEST(none_means_no_allocation)
{
	struct unit *u = load("User=nobody\n");

	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_null(u->fs_sandbox);
	unit_free(u);
}
END_TEST

START_TEST(enums_and_booleans)
{
	struct unit *u = load("ProtectSystem=strict\nProtectHome=read-only\n"
			      "PrivateTmp=yes\nPrivateDevices=true\n"
			      "ProtectProc=invisible\nProcSubset=pid\n"
			      "PrivateUsers=self\nProtectKernelTunables=1\n"
			      "ProtectHostname=yes\nPrivateNetwork=no\n");
	const struct unit_sandbox_fs *s;

	ck_assert_ptr_nonnull(u);
	s = u->fs_sandbox;
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->protect_system, SANDBOX_SYSTEM_STRICT);
	ck_assert_int_eq(s->protect_home, SANDBOX_HOME_READ_ONLY);
	ck_assert_int_eq(s->private_tmp, SANDBOX_TMP_YES);
	ck_assert(s->private_devices);
	ck_assert_int_eq(s->protect_proc, SANDBOX_PROC_INVISIBLE);
	ck_assert(s->proc_subset_pid);
	ck_assert(s->private_users);
	ck_assert(s->protect_kernel_tunables);
	ck_assert(s->protect_hostname);
	ck_assert(!s->private_network);
	ck_assert(sandbox_fs_needs_mounts(s));
	ck_assert_int_eq(sandbox_fs_first_mount_key(s), SANDBOX_PROTECT_SYSTEM);
	unit_free(u);
	/* yes means yes; an empty value the default */
	u = load("ProtectSystem=yes\nProtectHome=yes\nProtectHome=\n");
	ck_assert_int_eq(u->fs_sandbox->protect_system, SANDBOX_SYSTEM_YES);
	ck_assert_int_eq(u->fs_sandbox->protect_home, SANDBOX_HOME_NO);
	unit_free(u);
	/* namespaces only: no mount namespace needed */
	u = load("PrivateNetwork=yes\n");
	ck_assert(!sandbox_fs_needs_mounts(u->fs_sandbox));
	unit_free(u);
}
END_TEST

START_TEST(path_lists_and_prefixes)
{
	struct unit *u = load("ReadWritePaths=-/var/lib/x \"/srv/a b\"\n"
			      "ReadWritePaths=+/data\nReadOnlyDirectories=-+/etc//x/\n"
			      "InaccessiblePaths=/home\nNoExecPaths=/\nExecPaths=/usr/bin\n");
	const struct sandbox_paths *rw, *ro;

	ck_assert_ptr_nonnull(u);
	rw = &u->fs_sandbox->paths[0];
	ro = &u->fs_sandbox->paths[1];
	ck_assert_uint_eq(rw->n, 3);
	ck_assert_str_eq(rw->items[0].path, "/var/lib/x");
	ck_assert(rw->items[0].optional && !rw->items[0].in_root);
	ck_assert_str_eq(rw->items[1].path, "/srv/a b");
	ck_assert(!rw->items[1].optional);
	ck_assert(rw->items[2].in_root);
	ck_assert_uint_eq(ro->n, 1);
	ck_assert_str_eq(ro->items[0].path, "/etc/x");
	ck_assert(ro->items[0].optional && ro->items[0].in_root);
	ck_assert_uint_eq(u->fs_sandbox->paths[2].n, 1);
	ck_assert_uint_eq(u->fs_sandbox->paths[3].n, 1);
	ck_assert_uint_eq(u->fs_sandbox->paths[4].n, 1);
	unit_free(u);
	/* an empty assignment resets the list */
	u = load("ReadOnlyPaths=/a /b\nReadOnlyPaths=\nReadOnlyPaths=/c\n");
	ck_assert_uint_eq(u->fs_sandbox->paths[1].n, 1);
	ck_assert_str_eq(u->fs_sandbox->paths[1].items[0].path, "/c");
	unit_free(u);
}
END_TEST

START_TEST(binds_and_tmpfs)
{
	struct unit *u = load("BindPaths=/a -/b:/c /d:/e:norbind\n"
			      "BindReadOnlyPaths=/f:/g:rbind\n"
			      "TemporaryFileSystem=/var:ro,size=10M /run\n");
	const struct unit_sandbox_fs *s;

	ck_assert_ptr_nonnull(u);
	s = u->fs_sandbox;
	ck_assert_uint_eq(s->n_binds, 4);
	ck_assert_str_eq(s->binds[0].source, "/a");
	ck_assert_str_eq(s->binds[0].destination, "/a");
	ck_assert(s->binds[0].recursive && !s->binds[0].read_only);
	ck_assert(s->binds[1].optional);
	ck_assert_str_eq(s->binds[1].destination, "/c");
	ck_assert(!s->binds[2].recursive);
	ck_assert(s->binds[3].read_only && s->binds[3].recursive);
	ck_assert_uint_eq(s->n_tmpfs, 2);
	ck_assert_str_eq(s->tmpfs[0].path, "/var");
	ck_assert_str_eq(s->tmpfs[0].options, "ro,size=10M");
	ck_assert_ptr_null(s->tmpfs[1].options);
	unit_free(u);
	/* BindPaths= reset leaves BindReadOnlyPaths= */
	u = load("BindPaths=/a\nBindReadOnlyPaths=/b\nBindPaths=\n");
	ck_assert_uint_eq(u->fs_sandbox->n_binds, 1);
	ck_assert(u->fs_sandbox->binds[0].read_only);
	unit_free(u);
}
END_TEST

START_TEST(bad_values)
{
	static const char *const bad[] = {
		"ProtectSystem=very\n", "ProtectHome=maybe\n", "PrivateTmp=sometimes\n",
		"ProtectProc=yes\n", "ProcSubset=some\n", "PrivateDevices=2x\n",
		"PrivateNetwork=self\n", "ReadOnlyPaths=relative\n",
		"ReadWritePaths=/a/../b\n", "InaccessiblePaths=+-/x\n",
		"BindPaths=/a:relative\n", "BindPaths=/a:/b:bogus\n",
		"TemporaryFileSystem=tmp\n", "ExecPaths=\"/unbalanced\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct unit *u = load(bad[i]);

		ck_assert_msg(u == NULL, "%s loaded", bad[i]);
		ck_assert_msg(has_diag("invalid value"), "%s: %s", bad[i],
			      diags ? diags[0] : "no diagnostics");
	}
}
END_TEST

START_TEST(key_names)
{
	ck_assert_str_eq(sandbox_fs_key_name(SANDBOX_PROTECT_SYSTEM), "ProtectSystem=");
	ck_assert_str_eq(sandbox_fs_key_name(SANDBOX_PRIVATE_USERS), "PrivateUsers=");
	ck_assert_str_eq(sandbox_fs_key_name(SANDBOX_KEY_COUNT), "?");
	/* no longer warned about as unsupported */
	unit_free(load("PrivateTmp=yes\nProtectSystem=full\n"));
	ck_assert(!has_diag("unsupported"));
}
END_TEST

static Suite *sandbox_fs_suite(void)
{
	Suite *s = suite_create("sandbox_fs");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, none_means_no_allocation);
	tcase_add_test(tc, enums_and_booleans);
	tcase_add_test(tc, path_lists_and_prefixes);
	tcase_add_test(tc, binds_and_tmpfs);
	tcase_add_test(tc, bad_values);
	tcase_add_test(tc, key_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(sandbox_fs_suite());
}
