/* seccomp_rules: see seccomp_rules.h. */
#include "seccomp_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>

#ifndef PER_LINUX32
#define PER_LINUX32 0x0008
#endif

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A comparison of argument n, spelled out: libseccomp's SCMP_A0()
 * leaves datum_b to the compiler, which -Wmissing-field-initializers
 * does not accept. */
#define ARG(n, op, a, b) \
	((struct scmp_arg_cmp){ (n), (op), (scmp_datum_t)(a), (scmp_datum_t)(b) })

int seccomp_rules_add(scmp_filter_ctx ctx, uint32_t action, int id,
		      unsigned n_args, const struct scmp_arg_cmp *args)
{
	int r = seccomp_rule_add_exact_array(ctx, action, id, n_args, args);

	return r == -EDOM ? 0 : r;
}

/* A rule for a call named, where libseccomp knows the name. */
static int named_rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
		      unsigned n_args, const struct scmp_arg_cmp *args)
{
	int id = seccomp_syscall_resolve_name(name);

	if (id == __NR_SCMP_ERROR)
		return 0;
	return seccomp_rules_add(ctx, action, id, n_args, args);
}

/* Whether socket()'s family can be filtered on arch: not where it
 * goes through socketcall(), as systemd. */
bool seccomp_rules_families_filtered(uint32_t arch)
{
	switch (arch) {
	case SCMP_ARCH_X86_64: case SCMP_ARCH_X32: case SCMP_ARCH_ARM:
	case SCMP_ARCH_AARCH64: case SCMP_ARCH_MIPSEL64N32:
	case SCMP_ARCH_MIPS64N32: case SCMP_ARCH_MIPSEL64: case SCMP_ARCH_MIPS64:
	case SCMP_ARCH_RISCV64:
		return true;
	default:
		return false;
	}
}

/* RestrictAddressFamilies=: socket() of a family not allowed fails
 * with EAFNOSUPPORT. */
int seccomp_rules_families(scmp_filter_ctx ctx,
			   const struct unit_syscall_sandbox *sb)
{
	uint32_t deny = SCMP_ACT_ERRNO(EAFNOSUPPORT);
	int id = seccomp_syscall_resolve_name("socket");
	int first = 0, last = 0, r = 0;

	if (!sb->address_families_allow_list) {
		for (int af = 0; af < SYSCALL_AF_LIMIT && r >= 0; af++)
			if (sb->address_families & (UINT64_C(1) << af))
				r = seccomp_rules_add(ctx, deny, id, 1,
					 &ARG(0, SCMP_CMP_EQ, af, 0));
		return r;
	}
	for (int af = 1; af < AF_MAX; af++)
		if (sb->address_families & (UINT64_C(1) << af)) {
			if (!first)
				first = af;
			last = af;
		}
	if (!first)
		return seccomp_rules_add(ctx, deny, id, 0, NULL);
	if ((r = seccomp_rules_add(ctx, deny, id, 1, &ARG(0, SCMP_CMP_LT, first, 0))) < 0 ||
	    (r = seccomp_rules_add(ctx, deny, id, 1, &ARG(0, SCMP_CMP_GT, last, 0))) < 0)
		return r;
	for (int af = first + 1; af < last && r >= 0; af++)
		if (!(sb->address_families & (UINT64_C(1) << af)))
			r = seccomp_rules_add(ctx, deny, id, 1, &ARG(0, SCMP_CMP_EQ, af, 0));
	return r;
}

/* MemoryDenyWriteExecute=: no mapping both writable and executable, and
 * none made executable later (systemd's per-architecture calls). */
int seccomp_rules_mdwe(scmp_filter_ctx ctx, uint32_t arch)
{
	const uint32_t deny = SCMP_ACT_ERRNO(EPERM);
	const char *map = "mmap", *blocked = NULL;
	bool shmat = true;
	int r;

	switch (arch) {
	case SCMP_ARCH_X86:
	case SCMP_ARCH_S390:
		map = "mmap2";
		blocked = "mmap";	/* old_mmap: its arguments are in memory */
		shmat = false;		/* multiplexed through ipc() */
		break;
	case SCMP_ARCH_PPC: case SCMP_ARCH_PPC64: case SCMP_ARCH_PPC64LE:
	case SCMP_ARCH_S390X:
		shmat = false;
		break;
	case SCMP_ARCH_ARM:
		map = "mmap2";
		break;
	default:
		break;
	}
	if ((r = named_rule(ctx, deny, map, 1, &ARG(2, SCMP_CMP_MASKED_EQ,
			PROT_EXEC | PROT_WRITE, PROT_EXEC | PROT_WRITE))) < 0 ||
	    (blocked && (r = named_rule(ctx, deny, blocked, 0, NULL)) < 0) ||
	    (r = named_rule(ctx, deny, "mprotect", 1, &ARG(2, SCMP_CMP_MASKED_EQ,
			PROT_EXEC, PROT_EXEC))) < 0 ||
	    (r = named_rule(ctx, deny, "pkey_mprotect", 1, &ARG(2,
			SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC))) < 0)
		return r;
	if (shmat)
		r = named_rule(ctx, deny, "shmat", 1, &ARG(2, SCMP_CMP_MASKED_EQ,
							    SHM_EXEC, SHM_EXEC));
	return r;
}

/* RestrictRealtime=: sched_setscheduler() only to SCHED_OTHER,
 * SCHED_BATCH and SCHED_IDLE. */
int seccomp_rules_realtime(scmp_filter_ctx ctx)
{
	int id = seccomp_syscall_resolve_name("sched_setscheduler");
	int r = 0;

	for (int policy = 0; policy < SCHED_IDLE && r >= 0; policy++)
		if (policy != SCHED_OTHER && policy != SCHED_BATCH)
			r = seccomp_rules_add(ctx, SCMP_ACT_ERRNO(EPERM), id, 1,
				 &ARG(1, SCMP_CMP_EQ, policy, 0));
	if (r >= 0)
		r = seccomp_rules_add(ctx, SCMP_ACT_ERRNO(EPERM), id, 1,
			 &ARG(1, SCMP_CMP_GT, SCHED_IDLE, 0));
	return r;
}

/* RestrictSUIDSGID=: no file made or changed with mode bit m. */
static int sxid_rules(scmp_filter_ctx ctx, scmp_datum_t m)
{
	static const struct { const char *name; unsigned mode_arg; } calls[] = {
		{ "chmod", 1 }, { "fchmod", 1 }, { "fchmodat", 2 },
		{ "fchmodat2", 2 }, { "mkdir", 1 }, { "mkdirat", 2 },
		{ "mknod", 1 }, { "mknodat", 2 }, { "creat", 1 },
	};
	const uint32_t deny = SCMP_ACT_ERRNO(EPERM);
	struct scmp_arg_cmp two[2];
	int r = 0;

	for (size_t i = 0; i < N_OF(calls) && r >= 0; i++) {
		two[0] = (struct scmp_arg_cmp){ calls[i].mode_arg, SCMP_CMP_MASKED_EQ,
						m, m };
		r = named_rule(ctx, deny, calls[i].name, 1, two);
	}
	if (r < 0)
		return r;
	two[0] = ARG(1, SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT);
	two[1] = ARG(2, SCMP_CMP_MASKED_EQ, m, m);
	if ((r = named_rule(ctx, deny, "open", 2, two)) < 0)
		return r;
	two[0] = ARG(2, SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT);
	two[1] = ARG(3, SCMP_CMP_MASKED_EQ, m, m);
	return named_rule(ctx, deny, "openat", 2, two);
}

int seccomp_rules_suid_sgid(scmp_filter_ctx ctx)
{
	int r;

	if ((r = sxid_rules(ctx, S_ISUID)) < 0 || (r = sxid_rules(ctx, S_ISGID)) < 0)
		return r;
	/* Its flags are in a structure no filter can read: programs fall
	 * back to openat(), which is filtered. */
	return named_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "openat2", 0, NULL);
}

/* RestrictNamespaces=: unshare(), clone() and setns() of the kinds not
 * kept fail with EPERM; clone3() with ENOSYS (its flags are in memory),
 * so that glibc falls back to clone(). */
int seccomp_rules_namespaces(scmp_filter_ctx ctx, uint32_t arch,
			     unsigned long keep)
{
	const uint32_t deny = SCMP_ACT_ERRNO(EPERM);
	unsigned long all = syscall_namespaces_all();
	int clone_id = seccomp_syscall_resolve_name("clone");
	int unshare_id = seccomp_syscall_resolve_name("unshare");
	int setns_id = seccomp_syscall_resolve_name("setns");
	bool s390 = arch == SCMP_ARCH_S390 || arch == SCMP_ARCH_S390X;
	int r;

	if ((r = named_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL)) < 0)
		return r;
	if (!(keep & all))
		r = seccomp_rules_add(ctx, deny, setns_id, 0, NULL);
	else
		r = seccomp_rules_add(ctx, deny, setns_id, 1, &ARG(1, SCMP_CMP_EQ, 0, 0));
	for (unsigned i = 0; i < syscall_namespaces_count && r >= 0; i++) {
		scmp_datum_t f = syscall_namespaces[i].flag;

		if (keep & f)
			continue;
		if ((r = seccomp_rules_add(ctx, deny, unshare_id, 1,
			      &ARG(0, SCMP_CMP_MASKED_EQ, f, f))) < 0)
			break;
		/* s390 swaps clone()'s first two arguments */
		r = seccomp_rules_add(ctx, deny, clone_id, 1, s390 ?
			 &ARG(1, SCMP_CMP_MASKED_EQ, f, f) :
			 &ARG(0, SCMP_CMP_MASKED_EQ, f, f));
		if (r >= 0 && (keep & all))
			r = seccomp_rules_add(ctx, deny, setns_id, 1,
				 &ARG(1, SCMP_CMP_MASKED_EQ, f, f));
	}
	return r;
}

/* LockPersonality=: personality() only to the one svd runs with, as
 * systemd's opinionated_personality() sees it (PER_LINUX or
 * PER_LINUX32). */
int seccomp_rules_personality(scmp_filter_ctx ctx)
{
	int current = personality(0xffffffff);
	scmp_datum_t keep = current >= 0 && (current & 0xffff) == PER_LINUX32 ?
			    PER_LINUX32 : PER_LINUX;

	return named_rule(ctx, SCMP_ACT_ERRNO(EPERM), "personality", 1,
			  &ARG(0, SCMP_CMP_NE, keep, 0));
}
