/* Tests for daemon/seccomp_build.c and daemon/spawn_seccomp.c: every
 * @group compiles as an allow list and as a deny list for every
 * architecture this machine runs, each setting gives the programs
 * systemd would load, a program fits the kernel's limit, the '+' prefix
 * and an inactive sandbox give none, and the compiled programs are kept
 * with the unit so that a second start compiles nothing. Loading them is
 * the integration test's (test_seccomp.sh). */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>

#include "exec.h"
#include "seccomp_build.h"
#include "spawn_seccomp.h"
#include "syscall_filter.h"
#include "unit.h"

/* How many architectures the filters are made for on this build. */
#if defined(__x86_64__) && !defined(__ILP32__)
#define N_ARCHS 3
#elif defined(__aarch64__)
#define N_ARCHS 2
#else
#define N_ARCHS 1
#endif

static struct syscall_programs *build_ok(const struct unit_syscall_sandbox *sb)
{
	struct syscall_programs *programs = NULL;
	char why[256] = "";

	ck_assert_msg(seccomp_build(sb, &programs, why, sizeof(why)) == 0,
		      "%s", why);
	ck_assert_ptr_nonnull(programs);
	for (size_t i = 0; i < programs->n; i++) {
		ck_assert_uint_gt(programs->v[i].len, 0);
		ck_assert_uint_le(programs->v[i].len, SECCOMP_PROGRAM_MAX_INSNS);
		ck_assert_ptr_nonnull(programs->v[i].insns);
	}
	return programs;
}

static size_t count_key(const struct syscall_programs *p, enum syscall_key key)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].key == key;
	return n;
}

START_TEST(every_group_compiles)
{
	for (unsigned g = 0; g < syscall_groups_count; g++) {
		for (int allow = 0; allow <= 1; allow++) {
			struct unit_syscall_sandbox *sb = syscall_sandbox_new();
			struct syscall_programs *p;

			ck_assert_ptr_nonnull(sb);
			sb->filter.started = true;
			sb->filter.allow_list = allow;
			ck_assert_int_eq(syscall_set_update(&sb->filter,
				syscall_groups[g].name, allow ? -1 : EPERM,
				allow ? 0 : SYSCALL_PARSE_INVERT, NULL, NULL), 0);
			p = build_ok(sb);
			ck_assert_uint_eq(p->n, N_ARCHS);
			ck_assert_uint_eq(count_key(p, SYSCALL_KEY_FILTER), N_ARCHS);
			syscall_programs_free(p);
			syscall_sandbox_free(sb);
		}
	}
}
END_TEST

/* Every setting, in systemd's order of loading: the filter last. */
START_TEST(every_setting)
{
	struct unit_syscall_sandbox *sb = syscall_sandbox_new();
	struct syscall_programs *p;

	sb->lock_personality = sb->memory_deny_write_execute = true;
	sb->restrict_realtime = sb->restrict_suid_sgid = true;
	sb->restrict_namespaces = 0;
	sb->address_families_allow_list = true;
	sb->address_families = 1u << 1;
	sb->log.started = true;
	ck_assert_int_eq(syscall_set_update(&sb->log, "@mount", -1,
					    SYSCALL_PARSE_INVERT, NULL, NULL), 0);
	sb->filter.started = true;
	sb->filter.allow_list = true;
	ck_assert_int_eq(syscall_set_update(&sb->filter, "@system-service", -1,
					    0, NULL, NULL), 0);
	ck_assert_int_eq(syscall_sandbox_deny_group(&sb, SYSCALL_KEY_PROTECT_CLOCK,
						    "@clock", EPERM), 0);
	p = build_ok(sb);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_MEMORY_DENY_WRITE_EXECUTE), N_ARCHS);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_RESTRICT_REALTIME), N_ARCHS);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_RESTRICT_SUID_SGID), N_ARCHS);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_RESTRICT_NAMESPACES), N_ARCHS);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_LOCK_PERSONALITY), N_ARCHS);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_PROTECT_CLOCK), N_ARCHS);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_LOG), N_ARCHS);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_FILTER), N_ARCHS);
	/* x86 has socketcall(): no family filter there, as systemd */
	ck_assert_uint_ge(count_key(p, SYSCALL_KEY_ADDRESS_FAMILIES), 1);
	ck_assert_uint_le(count_key(p, SYSCALL_KEY_ADDRESS_FAMILIES), N_ARCHS);
	ck_assert_uint_eq(p->v[p->n - 1].key, SYSCALL_KEY_FILTER);
	syscall_programs_free(p);
	syscall_sandbox_free(sb);
}
END_TEST

/* "native": one program restricts the architectures, and no other
 * filter is made for the ones it blocks. */
START_TEST(native_only)
{
	struct unit_syscall_sandbox *sb = syscall_sandbox_new();
	struct syscall_programs *p;

	sb->archs = 1;	/* syscall_archs[0]: "native" */
	sb->restrict_realtime = true;
	p = build_ok(sb);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_RESTRICT_REALTIME), 1);
	ck_assert_uint_eq(count_key(p, SYSCALL_KEY_ARCHITECTURES), N_ARCHS > 1);
	syscall_programs_free(p);
	syscall_sandbox_free(sb);
}
END_TEST

START_TEST(prepare_and_cache)
{
	struct unit *u = unit_new();
	struct spawn_seccomp s;
	const struct syscall_programs *first;
	char why[256] = "";

	ck_assert_ptr_nonnull(u);
	/* no sandbox: nothing to load */
	ck_assert_int_eq(spawn_seccomp_prepare(u, 0, &s, why, sizeof(why)), 0);
	ck_assert_ptr_null(s.programs);
	u->syscall_sandbox = syscall_sandbox_new();
	/* a sandbox with every setting off: nothing either */
	ck_assert_int_eq(spawn_seccomp_prepare(u, 0, &s, why, sizeof(why)), 0);
	ck_assert_ptr_null(s.programs);
	u->syscall_sandbox->restrict_suid_sgid = true;
	if (!seccomp_available()) {
		ck_assert_int_eq(spawn_seccomp_prepare(u, 0, &s, why, sizeof(why)), -1);
		ck_assert_int_eq(errno, EOPNOTSUPP);
		ck_assert_ptr_nonnull(strstr(why, "RestrictSUIDSGID="));
		unit_free(u);
		return;
	}
	ck_assert_int_eq(spawn_seccomp_prepare(u, 0, &s, why, sizeof(why)), 0);
	ck_assert_ptr_nonnull(s.programs);
	first = s.programs;
	ck_assert_ptr_eq(u->syscall_sandbox->compiled, first);
	/* a restart: the same programs, nothing compiled */
	ck_assert_int_eq(spawn_seccomp_prepare(u, 0, &s, why, sizeof(why)), 0);
	ck_assert_ptr_eq(s.programs, first);
	/* '+': no filter */
	ck_assert_int_eq(spawn_seccomp_prepare(u, EXEC_FLAG_FULL_PRIVILEGES, &s,
					       why, sizeof(why)), 0);
	ck_assert_ptr_null(s.programs);
	unit_free(u);
}
END_TEST

static Suite *seccomp_build_suite(void)
{
	Suite *s = suite_create("seccomp_build");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_group_compiles);
	tcase_add_test(tc, every_setting);
	tcase_add_test(tc, native_only);
	tcase_add_test(tc, prepare_and_cache);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(seccomp_build_suite());
}
