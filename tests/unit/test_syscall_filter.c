/* Tests for conf/syscall_filter.c and conf/syscall_keys.c: the @group
 * table, systemd's merge rules for SystemCallFilter= and the other list
 * keys, the names they take, the API other keys use, and the warnings
 * for names they do not know. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "strv.h"
#include "syscall_filter.h"
#include "unit.h"

static char **diags;

static void collect_diag(void *ctx, enum unit_diag_level level,
			 const char *message)
{
	char *line;

	(void)ctx;
	ck_assert_int_ge(asprintf(&line, "%c %s",
				  level == UNIT_DIAG_ERROR ? 'E' : 'W',
				  message), 0);
	ck_assert_int_eq(strv_push_take(&diags, line), 0);
}

static const struct unit_load_ctx ctx = {
	.diag = collect_diag,
	.spec = { .host = &(struct spec_host){ .hostname = "testhost" } },
};

/* The unit of a [Service] section with body; NULL if it did not load. */
static struct unit *load_service(const char *body)
{
	char path[] = "/tmp/svd-test-syscall-XXXXXX.service";
	struct unit *u = NULL;
	int fd = mkstemps(path, 8);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "[Service]\nExecStart=/bin/true\n%s\n", body);
	ck_assert_int_eq(fclose(f), 0);
	strv_free(diags);
	diags = NULL;
	if (unit_load_file(&ctx, path, NULL, &u) < 0)
		u = NULL;
	unlink(path);
	return u;
}

static bool has_diag(const char *text)
{
	for (size_t i = 0; diags && diags[i]; i++)
		if (strstr(diags[i], text))
			return true;
	return false;
}

static int nr(const char *name)
{
	int id = seccomp_syscall_resolve_name(name);

	ck_assert_int_ne(id, __NR_SCMP_ERROR);
	return id;
}

/* The errno a set gives name, or -100 when it is not in the set. */
static int rule_of(const struct syscall_set *set, const char *name)
{
	int id = nr(name);

	for (size_t i = 0; i < set->n; i++)
		if (set->rules[i].id == id)
			return set->rules[i].errnum;
	return -100;
}

START_TEST(group_table_is_whole)
{
	static const char *const wanted[] = {
		"@default", "@aio", "@basic-io", "@chown", "@clock",
		"@cpu-emulation", "@debug", "@file-system", "@io-event", "@ipc",
		"@keyring", "@memlock", "@module", "@mount", "@network-io",
		"@obsolete", "@pkey", "@privileged", "@process", "@raw-io",
		"@reboot", "@resources", "@setuid", "@signal", "@swap", "@sync",
		"@system-service", "@timer", "@known",
	};

	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		ck_assert_msg(syscall_group_find(wanted[i]), "%s", wanted[i]);
	ck_assert_ptr_null(syscall_group_find("@nope"));
	ck_assert_ptr_null(syscall_group_find("mount"));
	/* every member @group is defined, every group has members */
	for (unsigned g = 0; g < syscall_groups_count; g++) {
		ck_assert_ptr_nonnull(syscall_groups[g].members[0]);
		for (const char *const *m = syscall_groups[g].members; *m; m++)
			if (**m == '@')
				ck_assert_msg(syscall_group_find(*m), "%s", *m);
	}
}
END_TEST

START_TEST(nested_groups_resolve)
{
	struct syscall_set set = { .allow_list = true, .started = true };

	ck_assert_int_eq(syscall_set_update(&set, "@privileged", -1, 0, NULL, NULL), 0);
	/* @privileged holds @chown, @clock, @module, @raw-io, ... */
	ck_assert_int_eq(rule_of(&set, "fchown"), SYSCALL_ERRNO_DEFAULT);
	ck_assert_int_eq(rule_of(&set, "settimeofday"), SYSCALL_ERRNO_DEFAULT);
	ck_assert_int_eq(rule_of(&set, "init_module"), SYSCALL_ERRNO_DEFAULT);
	ck_assert_int_eq(rule_of(&set, "iopl"), SYSCALL_ERRNO_DEFAULT);
	ck_assert_int_eq(rule_of(&set, "read"), -100);
	syscall_set_clear(&set);
}
END_TEST

/* systemd.exec(5)'s example: read write, then ~write, is read. */
START_TEST(merge_rules)
{
	struct syscall_set set = { .allow_list = true, .started = true };

	ck_assert_int_eq(syscall_set_update(&set, "read", -1, 0, NULL, NULL), 0);
	ck_assert_int_eq(syscall_set_update(&set, "write", -1, 0, NULL, NULL), 0);
	ck_assert_int_eq(syscall_set_update(&set, "write", -1,
					    SYSCALL_PARSE_INVERT, NULL, NULL), 0);
	ck_assert_uint_eq(set.n, 1);
	ck_assert_int_eq(rule_of(&set, "read"), SYSCALL_ERRNO_DEFAULT);
	/* a '~' entry with its own errno stays in an allow list, with it */
	ck_assert_int_eq(syscall_set_update(&set, "ptrace", EACCES,
					    SYSCALL_PARSE_INVERT, NULL, NULL), 0);
	ck_assert_int_eq(rule_of(&set, "ptrace"), EACCES);
	syscall_set_clear(&set);

	/* a deny list: '~' adds with the errno, a plain entry takes out */
	set = (struct syscall_set){ .started = true };
	ck_assert_int_eq(syscall_set_update(&set, "@mount", EPERM,
					    SYSCALL_PARSE_INVERT, NULL, NULL), 0);
	ck_assert_int_eq(rule_of(&set, "mount"), EPERM);
	ck_assert_int_eq(rule_of(&set, "pivot_root"), EPERM);
	ck_assert_int_eq(syscall_set_update(&set, "mount", -1, 0, NULL, NULL), 0);
	ck_assert_int_eq(rule_of(&set, "mount"), -100);
	ck_assert_int_eq(rule_of(&set, "umount2"), EPERM);
	/* a later errno replaces the earlier one */
	ck_assert_int_eq(syscall_set_update(&set, "umount2", SYSCALL_ERRNO_KILL,
					    SYSCALL_PARSE_INVERT, NULL, NULL), 0);
	ck_assert_int_eq(rule_of(&set, "umount2"), SYSCALL_ERRNO_KILL);
	for (size_t i = 1; i < set.n; i++)
		ck_assert_int_lt(set.rules[i - 1].id, set.rules[i].id);
	syscall_set_clear(&set);
}
END_TEST

START_TEST(names)
{
	ck_assert_int_eq(syscall_errno_parse("EPERM", false), EPERM);
	ck_assert_int_eq(syscall_errno_parse("EUCLEAN", true), EUCLEAN);
	ck_assert_int_eq(syscall_errno_parse("13", false), 13);
	ck_assert_int_eq(syscall_errno_parse("0", false), 0);
	ck_assert_int_eq(syscall_errno_parse("4095", false), 4095);
	ck_assert_int_eq(syscall_errno_parse("4096", false), -1);
	ck_assert_int_eq(syscall_errno_parse("-1", false), -1);
	ck_assert_int_eq(syscall_errno_parse("kill", true), SYSCALL_ERRNO_KILL);
	ck_assert_int_eq(syscall_errno_parse("kill", false), -1);
	ck_assert_int_eq(syscall_errno_parse("eperm", false), -1);
	ck_assert_int_eq(syscall_errno_parse("EBOGUS", false), -1);
	ck_assert_int_eq(syscall_errno_parse("", false), -1);
	ck_assert_int_eq(syscall_errno_parse("12x", false), -1);
	ck_assert_int_eq(syscall_af_parse("AF_INET"), AF_INET);
	ck_assert_int_eq(syscall_af_parse("AF_UNIX"), AF_UNIX);
	ck_assert_int_eq(syscall_af_parse("AF_LOCAL"), AF_UNIX);
	ck_assert_int_eq(syscall_af_parse("AF_PACKET"), AF_PACKET);
	ck_assert_int_eq(syscall_af_parse("af_inet"), -1);
	ck_assert_int_eq(syscall_af_parse("INET"), -1);
	ck_assert_str_eq(syscall_af_name(AF_INET6), "AF_INET6");
	ck_assert_str_eq(syscall_key_name(SYSCALL_KEY_FILTER), "SystemCallFilter=");
	ck_assert_str_eq(syscall_key_name(SYSCALL_KEY_COUNT), "?");
}
END_TEST

START_TEST(no_key_no_memory)
{
	struct unit *u = load_service("RestrictRealtime=no\nLockPersonality=\n"
				      "SystemCallErrorNumber=kill\nSystemCallFilter=\n"
				      "RestrictNamespaces=no");

	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_null(u->syscall_sandbox);
	unit_free(u);
	u = load_service("");
	ck_assert_ptr_null(u->syscall_sandbox);
	unit_free(u);
}
END_TEST

START_TEST(redis_lines)
{
	struct unit *u = load_service(
		"LockPersonality=true\nMemoryDenyWriteExecute=true\n"
		"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n"
		"RestrictNamespaces=true\nRestrictRealtime=true\n"
		"RestrictSUIDSGID=true\nSystemCallArchitectures=native\n"
		"SystemCallFilter=@system-service\n"
		"SystemCallFilter=~ @privileged @resources\n");
	struct unit_syscall_sandbox *sb;

	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_null(diags);
	sb = u->syscall_sandbox;
	ck_assert_ptr_nonnull(sb);
	ck_assert(syscall_sandbox_active(sb));
	ck_assert(sb->lock_personality && sb->memory_deny_write_execute);
	ck_assert(sb->restrict_realtime && sb->restrict_suid_sgid);
	ck_assert_uint_eq(sb->restrict_namespaces, 0);
	ck_assert(sb->address_families_allow_list);
	ck_assert_uint_eq(sb->address_families, (UINT64_C(1) << AF_INET) |
			  (UINT64_C(1) << AF_INET6) | (UINT64_C(1) << AF_UNIX));
	ck_assert_uint_eq(sb->archs, 1);	/* "native" */
	ck_assert(sb->filter.allow_list);
	/* @default comes with an allow list; @privileged went out */
	ck_assert_int_eq(rule_of(&sb->filter, "execve"), SYSCALL_ERRNO_DEFAULT);
	ck_assert_int_eq(rule_of(&sb->filter, "read"), SYSCALL_ERRNO_DEFAULT);
	ck_assert_int_eq(rule_of(&sb->filter, "setuid"), -100);
	ck_assert_int_eq(rule_of(&sb->filter, "setrlimit"), -100);
	ck_assert_int_eq(rule_of(&sb->filter, "mount"), -100);
	ck_assert_int_eq(sb->error_number, SYSCALL_ERRNO_KILL);
	unit_free(u);
}
END_TEST

START_TEST(later_assignments)
{
	struct unit *u = load_service(
		"SystemCallFilter=~@mount:EPERM\nSystemCallFilter=\n"
		"SystemCallFilter=~ptrace:EACCES @reboot\n"
		"SystemCallErrorNumber=ENOSYS\n"
		"RestrictAddressFamilies=AF_INET AF_INET6\n"
		"RestrictAddressFamilies=~AF_INET6\n"
		"RestrictNamespaces=~user net\nRestrictNamespaces=net\n"
		"SystemCallArchitectures=native x86\nSystemCallArchitectures=\n");
	struct unit_syscall_sandbox *sb;

	ck_assert_ptr_nonnull(u);
	sb = u->syscall_sandbox;
	ck_assert(!sb->filter.allow_list);
	ck_assert_int_eq(rule_of(&sb->filter, "mount"), -100);
	ck_assert_int_eq(rule_of(&sb->filter, "ptrace"), EACCES);
	ck_assert_int_eq(rule_of(&sb->filter, "reboot"), SYSCALL_ERRNO_DEFAULT);
	ck_assert_int_eq(sb->error_number, ENOSYS);
	ck_assert_uint_eq(sb->address_families, UINT64_C(1) << AF_INET);
	ck_assert_uint_eq(sb->restrict_namespaces,
			  syscall_namespaces_all() & ~(unsigned long)CLONE_NEWUSER);
	ck_assert_uint_eq(sb->archs, 0);
	unit_free(u);

	u = load_service("RestrictAddressFamilies=none");
	ck_assert(u->syscall_sandbox->address_families_allow_list);
	ck_assert_uint_eq(u->syscall_sandbox->address_families, 0);
	ck_assert(syscall_sandbox_active(u->syscall_sandbox));
	unit_free(u);
	u = load_service("RestrictAddressFamilies=AF_UNIX\nRestrictAddressFamilies=");
	ck_assert(!syscall_sandbox_active(u->syscall_sandbox));
	unit_free(u);
}
END_TEST

START_TEST(bad_names_are_warnings)
{
	struct unit *u = load_service(
		"SystemCallFilter=~@nosuch nosuchcall mount:EBOGUS ptrace:EACCES\n"
		"SystemCallFilter=read:EPERM\n"
		"SystemCallErrorNumber=0\n"
		"RestrictAddressFamilies=AF_BOGUS AF_UNIX\n"
		"RestrictNamespaces=user bogus\n"
		"SystemCallArchitectures=vax native\n"
		"SystemCallFilter=~\"unbalanced\n");

	ck_assert_ptr_nonnull(u);
	ck_assert(has_diag(":3: SystemCallFilter=: unknown system call group \"@nosuch\", ignored"));
	ck_assert(has_diag(":3: SystemCallFilter=: unknown system call \"nosuchcall\", ignored"));
	ck_assert(has_diag(":3: SystemCallFilter=: \"mount:EBOGUS\": expected"));
	ck_assert(has_diag(":4: SystemCallFilter=: \"read:EPERM\": an allowed system call takes no error number"));
	ck_assert(has_diag(":5: SystemCallErrorNumber=0: expected"));
	ck_assert(has_diag(":6: RestrictAddressFamilies=: unknown address family \"AF_BOGUS\""));
	ck_assert(has_diag(":7: RestrictNamespaces=: unknown namespace type \"bogus\""));
	ck_assert(has_diag(":8: SystemCallArchitectures=: unknown architecture \"vax\""));
	ck_assert(has_diag(":9: SystemCallFilter=: "));
	for (size_t i = 0; diags[i]; i++)
		ck_assert_msg(diags[i][0] == 'W', "%s", diags[i]);
	/* what could be read still counts */
	ck_assert_int_eq(rule_of(&u->syscall_sandbox->filter, "ptrace"), EACCES);
	ck_assert_uint_eq(u->syscall_sandbox->address_families, UINT64_C(1) << AF_UNIX);
	ck_assert_uint_eq(u->syscall_sandbox->restrict_namespaces,
			  SYSCALL_NAMESPACES_UNSET);
	unit_free(u);
	/* a boolean key's bad value is an error, as every boolean */
	ck_assert_ptr_null(load_service("RestrictRealtime=maybe"));
}
END_TEST

START_TEST(deny_api)
{
	struct unit_syscall_sandbox *sb = NULL;

	ck_assert_int_eq(syscall_sandbox_deny_group(&sb, SYSCALL_KEY_PROTECT_CLOCK,
						    "@clock", EPERM), 0);
	ck_assert_ptr_nonnull(sb);
	ck_assert(syscall_sandbox_active(sb));
	ck_assert_uint_eq(sb->n_denies, 1);
	ck_assert_int_eq(rule_of(&sb->denies[0].set, "settimeofday"), EPERM);
	ck_assert_int_eq(syscall_sandbox_deny(&sb, SYSCALL_KEY_PROTECT_HOSTNAME,
					      "sethostname  setdomainname", EPERM), 0);
	ck_assert_uint_eq(sb->n_denies, 2);
	ck_assert_uint_eq(sb->denies[1].set.n, 2);
	/* the same key again replaces its filter */
	ck_assert_int_eq(syscall_sandbox_deny(&sb, SYSCALL_KEY_PROTECT_HOSTNAME,
					      "sethostname", EPERM), 0);
	ck_assert_uint_eq(sb->n_denies, 2);
	ck_assert_uint_eq(sb->denies[1].set.n, 1);
	errno = 0;
	ck_assert_int_eq(syscall_sandbox_deny(&sb, SYSCALL_KEY_FILTER, "mount", EPERM), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(syscall_sandbox_deny(&sb, SYSCALL_KEY_PROTECT_CLOCK, "@clock", 5000), -1);
	syscall_sandbox_free(sb);
}
END_TEST

static Suite *syscall_filter_suite(void)
{
	Suite *s = suite_create("syscall_filter");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, group_table_is_whole);
	tcase_add_test(tc, nested_groups_resolve);
	tcase_add_test(tc, merge_rules);
	tcase_add_test(tc, names);
	tcase_add_test(tc, no_key_no_memory);
	tcase_add_test(tc, redis_lines);
	tcase_add_test(tc, later_assignments);
	tcase_add_test(tc, bad_names_are_warnings);
	tcase_add_test(tc, deny_api);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int r = check_run(syscall_filter_suite());

	strv_free(diags);
	return r;
}
