/* seccomp_build: see seccomp_build.h. */
#include "seccomp_build.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#ifndef PER_LINUX32
#define PER_LINUX32 0x0008
#endif

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A comparison of argument n, spelled out: libseccomp's SCMP_A0()
 * leaves datum_b to the compiler, which -Wmissing-field-initializers
 * does not accept. */
#define ARG(n, op, a, b) \
	((struct scmp_arg_cmp){ (n), (op), (scmp_datum_t)(a), (scmp_datum_t)(b) })

/* The architectures a process of this machine may call the kernel
 * with, native last (systemd's seccomp_local_archs[]). */
static const uint32_t local_archs[] = {
#if defined(__x86_64__) && !defined(__ILP32__)
	SCMP_ARCH_X86, SCMP_ARCH_X32, SCMP_ARCH_X86_64,
#elif defined(__aarch64__)
	SCMP_ARCH_ARM, SCMP_ARCH_AARCH64,
#else
	SCMP_ARCH_NATIVE,
#endif
};

struct builder {
	const struct unit_syscall_sandbox *sb;
	struct syscall_programs *out;
	size_t cap;
	/* The local architectures still filtered: those that
	 * SystemCallArchitectures= blocks need no filter of their own. */
	uint32_t archs[N_OF(local_archs)];
	size_t n_archs;
	int memfd;		/* where libseccomp exports a program */
	char *why;
	size_t size;
};

bool seccomp_available(void)
{
	static int known = -1;	/* a fact about the kernel, found once */

	if (known < 0)
		known = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 &&
			prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0) < 0 &&
			errno == EFAULT;
	return known;
}

/* -1 with errno err and why "KEY: what: error". */
static int fail(struct builder *b, int key, int err, const char *what)
{
	char errbuf[160];

	snprintf(b->why, b->size, "%s: %s: %s", syscall_key_name(key), what,
		 log_errno_text(err, errbuf, sizeof(errbuf)));
	errno = err;
	return -1;
}

/* systemd's scmp_act_kill_process(): the whole process, where the
 * kernel can (4.14); a thread on older ones. */
static uint32_t act_kill(void)
{
	return seccomp_api_get() >= 3 ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL;
}

static uint32_t act_for(int errnum, uint32_t fallback)
{
	if (errnum == SYSCALL_ERRNO_KILL)
		return act_kill();
	if (errnum >= 0)
		return SCMP_ACT_ERRNO((uint32_t)errnum);
	return fallback;
}

/* A filter for one architecture only (systemd's
 * seccomp_init_for_arch()): calls of other architectures pass it, the
 * other filters see them; no_new_privs is svd's business. */
static scmp_filter_ctx init_for_arch(uint32_t arch, uint32_t default_action)
{
	scmp_filter_ctx ctx = seccomp_init(default_action);

	if (!ctx)
		return NULL;
	if ((arch != SCMP_ARCH_NATIVE && arch != seccomp_arch_native() &&
	     (seccomp_arch_remove(ctx, seccomp_arch_native()) < 0 ||
	      seccomp_arch_add(ctx, arch) < 0)) ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* The program of ctx, appended to b->out (ctx is released). */
static int export(struct builder *b, scmp_filter_ctx ctx, int key)
{
	struct syscall_program *p;
	void *insns = NULL;
	off_t bytes;
	int r;

	if (b->out->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct syscall_programs *grown = realloc(b->out, sizeof(*grown) +
							 cap * sizeof(grown->v[0]));

		if (!grown) {
			seccomp_release(ctx);
			return fail(b, key, ENOMEM, "compiling the filter");
		}
		b->out = grown;
		b->cap = cap;
	}
	if (ftruncate(b->memfd, 0) < 0 || lseek(b->memfd, 0, SEEK_SET) < 0) {
		seccomp_release(ctx);
		return fail(b, key, errno, "exporting the filter");
	}
	r = seccomp_export_bpf(ctx, b->memfd);
	seccomp_release(ctx);
	if (r < 0)
		return fail(b, key, -r, "exporting the filter");
	bytes = lseek(b->memfd, 0, SEEK_END);
	if (bytes <= 0 || bytes % (off_t)sizeof(struct sock_filter) ||
	    bytes / (off_t)sizeof(struct sock_filter) > SECCOMP_PROGRAM_MAX_INSNS)
		return fail(b, key, bytes < 0 ? errno : E2BIG, "exporting the filter");
	if (!(insns = malloc((size_t)bytes)))
		return fail(b, key, ENOMEM, "exporting the filter");
	if (pread(b->memfd, insns, (size_t)bytes, 0) != bytes) {
		free(insns);
		return fail(b, key, EIO, "reading the exported filter");
	}
	p = &b->out->v[b->out->n++];
	p->key = (unsigned short)key;
	p->len = (unsigned short)(bytes / (off_t)sizeof(struct sock_filter));
	p->insns = insns;
	return 0;
}

/* Adds a rule; a call this architecture does not have is no error
 * (libseccomp's EDOM), as systemd skips it. */
static int rule(scmp_filter_ctx ctx, uint32_t action, int id, unsigned n_args,
		const struct scmp_arg_cmp *args)
{
	int r = seccomp_rule_add_exact_array(ctx, action, id, n_args, args);

	return r == -EDOM ? 0 : r;
}

/* A rule for a call named, where libseccomp knows the name. */
static int named_rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
		      unsigned n_args, const struct scmp_arg_cmp *args)
{
	int id = seccomp_syscall_resolve_name(name);

	return id == __NR_SCMP_ERROR ? 0 : rule(ctx, action, id, n_args, args);
}

/* A set of calls (SystemCallFilter=, SystemCallLog=, implied denials)
 * for each architecture: listed calls get their own errno or action,
 * the others default_action. */
static int build_set(struct builder *b, int key, const struct syscall_set *set,
		     uint32_t default_action, uint32_t action)
{
	for (size_t a = 0; a < b->n_archs; a++) {
		scmp_filter_ctx ctx = init_for_arch(b->archs[a], default_action);

		if (!ctx)
			return fail(b, key, ENOMEM, "making a filter");
		for (size_t i = 0; i < set->n; i++) {
			const struct syscall_rule *r = &set->rules[i];
			int err = -rule(ctx, act_for(r->errnum, action), r->id,
					0, NULL);

			if (err > 0) {
				char what[96];
				char *name = seccomp_syscall_resolve_num_arch(
					SCMP_ARCH_NATIVE, r->id);

				snprintf(what, sizeof(what), "a rule for %s",
					 name ? name : "a system call");
				free(name);
				seccomp_release(ctx);
				return fail(b, key, err, what);
			}
		}
		if (export(b, ctx, key) < 0)
			return -1;
	}
	return 0;
}

/* SystemCallArchitectures=: one filter with no rules whose list of
 * architectures is the allowed ones: a call of any other dies
 * (libseccomp's bad-architecture action). The native one always
 * stays, or svd's own exec would fail. */
static int build_archs(struct builder *b)
{
	const struct unit_syscall_sandbox *sb = b->sb;
	uint32_t native = seccomp_arch_native();
	scmp_filter_ctx ctx;
	size_t kept = 0;
	bool blocked = false;
	int r;

	if (!sb->archs)
		return 0;
	if (!(ctx = seccomp_init(SCMP_ACT_ALLOW)))
		return fail(b, SYSCALL_KEY_ARCHITECTURES, ENOMEM, "making a filter");
	for (size_t a = 0; a < b->n_archs; a++) {
		uint32_t arch = b->archs[a];
		bool allowed = arch == native || arch == SCMP_ARCH_NATIVE;

		for (unsigned i = 0; !allowed && i < syscall_archs_count; i++)
			allowed = (sb->archs & (1u << i)) &&
				  (syscall_archs[i].scmp_arch == arch ||
				   (syscall_archs[i].scmp_arch == SCMP_ARCH_NATIVE &&
				    native == arch));
		if (!allowed) {
			blocked = true;
			continue;
		}
		b->archs[kept++] = arch;
		r = seccomp_arch_add(ctx, arch);
		if (r < 0 && r != -EEXIST) {
			seccomp_release(ctx);
			return fail(b, SYSCALL_KEY_ARCHITECTURES, -r,
				    "adding an architecture");
		}
	}
	b->n_archs = kept;
	if (!blocked) {
		seccomp_release(ctx);
		return 0;
	}
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0) {
		seccomp_release(ctx);
		return fail(b, SYSCALL_KEY_ARCHITECTURES, -r, "making a filter");
	}
	return export(b, ctx, SYSCALL_KEY_ARCHITECTURES);
}

/* Whether socket()'s family can be filtered on arch: not where it
 * goes through socketcall(), as systemd. */
static bool arch_has_socket_call(uint32_t arch)
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
static int family_rules(scmp_filter_ctx ctx, const struct unit_syscall_sandbox *sb)
{
	uint32_t deny = SCMP_ACT_ERRNO(EAFNOSUPPORT);
	int id = seccomp_syscall_resolve_name("socket");
	int first = 0, last = 0, r = 0;

	if (!sb->address_families_allow_list) {
		for (int af = 0; af < SYSCALL_AF_LIMIT && r >= 0; af++)
			if (sb->address_families & (UINT64_C(1) << af))
				r = rule(ctx, deny, id, 1,
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
		return rule(ctx, deny, id, 0, NULL);
	if ((r = rule(ctx, deny, id, 1, &ARG(0, SCMP_CMP_LT, first, 0))) < 0 ||
	    (r = rule(ctx, deny, id, 1, &ARG(0, SCMP_CMP_GT, last, 0))) < 0)
		return r;
	for (int af = first + 1; af < last && r >= 0; af++)
		if (!(sb->address_families & (UINT64_C(1) << af)))
			r = rule(ctx, deny, id, 1, &ARG(0, SCMP_CMP_EQ, af, 0));
	return r;
}

/* MemoryDenyWriteExecute=: no mapping both writable and executable, and
 * none made executable later (systemd's per-architecture calls). */
static int mdwe_rules(scmp_filter_ctx ctx, uint32_t arch)
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
static int realtime_rules(scmp_filter_ctx ctx)
{
	int id = seccomp_syscall_resolve_name("sched_setscheduler");
	int r = 0;

	for (int policy = 0; policy < SCHED_IDLE && r >= 0; policy++)
		if (policy != SCHED_OTHER && policy != SCHED_BATCH)
			r = rule(ctx, SCMP_ACT_ERRNO(EPERM), id, 1,
				 &ARG(1, SCMP_CMP_EQ, policy, 0));
	if (r >= 0)
		r = rule(ctx, SCMP_ACT_ERRNO(EPERM), id, 1,
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

static int suid_sgid_rules(scmp_filter_ctx ctx)
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
static int namespace_rules(scmp_filter_ctx ctx, uint32_t arch,
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
		r = rule(ctx, deny, setns_id, 0, NULL);
	else
		r = rule(ctx, deny, setns_id, 1, &ARG(1, SCMP_CMP_EQ, 0, 0));
	for (unsigned i = 0; i < syscall_namespaces_count && r >= 0; i++) {
		scmp_datum_t f = syscall_namespaces[i].flag;

		if (keep & f)
			continue;
		if ((r = rule(ctx, deny, unshare_id, 1,
			      &ARG(0, SCMP_CMP_MASKED_EQ, f, f))) < 0)
			break;
		/* s390 swaps clone()'s first two arguments */
		r = rule(ctx, deny, clone_id, 1, s390 ?
			 &ARG(1, SCMP_CMP_MASKED_EQ, f, f) :
			 &ARG(0, SCMP_CMP_MASKED_EQ, f, f));
		if (r >= 0 && (keep & all))
			r = rule(ctx, deny, setns_id, 1,
				 &ARG(1, SCMP_CMP_MASKED_EQ, f, f));
	}
	return r;
}

/* LockPersonality=: personality() only to the one svd runs with, as
 * systemd's opinionated_personality() sees it (PER_LINUX or
 * PER_LINUX32). */
static int personality_rules(scmp_filter_ctx ctx)
{
	int current = personality(0xffffffff);
	scmp_datum_t keep = current >= 0 && (current & 0xffff) == PER_LINUX32 ?
			    PER_LINUX32 : PER_LINUX;

	return named_rule(ctx, SCMP_ACT_ERRNO(EPERM), "personality", 1,
			  &ARG(0, SCMP_CMP_NE, keep, 0));
}

/* One filter per architecture whose rules fn adds. */
static int build_rules(struct builder *b, int key,
		       int (*fn)(struct builder *b, scmp_filter_ctx ctx,
				 uint32_t arch))
{
	for (size_t a = 0; a < b->n_archs; a++) {
		scmp_filter_ctx ctx;
		int r;

		if (key == SYSCALL_KEY_ADDRESS_FAMILIES &&
		    !arch_has_socket_call(b->archs[a] == SCMP_ARCH_NATIVE ?
					  seccomp_arch_native() : b->archs[a]))
			continue;
		if (!(ctx = init_for_arch(b->archs[a], SCMP_ACT_ALLOW)))
			return fail(b, key, ENOMEM, "making a filter");
		if ((r = fn(b, ctx, b->archs[a])) < 0) {
			seccomp_release(ctx);
			return fail(b, key, -r, "adding its rules");
		}
		if (export(b, ctx, key) < 0)
			return -1;
	}
	return 0;
}

static int add_families(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return family_rules(ctx, b->sb);
}

static int add_mdwe(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return mdwe_rules(ctx, arch == SCMP_ARCH_NATIVE ? seccomp_arch_native() : arch);
}

static int add_realtime(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return realtime_rules(ctx);
}

static int add_suid_sgid(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return suid_sgid_rules(ctx);
}

static int add_namespaces(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return namespace_rules(ctx, arch == SCMP_ARCH_NATIVE ? seccomp_arch_native() :
			       arch, b->sb->restrict_namespaces);
}

static int add_personality(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return personality_rules(ctx);
}

/* The filters of the sandbox in systemd's order of loading. */
static int build_all(struct builder *b)
{
	const struct unit_syscall_sandbox *sb = b->sb;
	unsigned long all = syscall_namespaces_all();
	size_t archs_at;
	int r = 0;

	/* First, so that the filters below skip what it blocks; its
	 * program goes where systemd loads it. */
	if (build_archs(b) < 0)
		return -1;
	archs_at = b->out->n;
	if ((sb->address_families_allow_list || sb->address_families) &&
	    build_rules(b, SYSCALL_KEY_ADDRESS_FAMILIES, add_families) < 0)
		return -1;
	if (sb->memory_deny_write_execute &&
	    build_rules(b, SYSCALL_KEY_MEMORY_DENY_WRITE_EXECUTE, add_mdwe) < 0)
		return -1;
	if (sb->restrict_realtime &&
	    build_rules(b, SYSCALL_KEY_RESTRICT_REALTIME, add_realtime) < 0)
		return -1;
	if (sb->restrict_suid_sgid &&
	    build_rules(b, SYSCALL_KEY_RESTRICT_SUID_SGID, add_suid_sgid) < 0)
		return -1;
	if ((sb->restrict_namespaces & all) != all &&
	    build_rules(b, SYSCALL_KEY_RESTRICT_NAMESPACES, add_namespaces) < 0)
		return -1;
	for (size_t i = 0; i < sb->n_denies && r >= 0; i++)
		if (sb->denies[i].set.n)
			r = build_set(b, (int)sb->denies[i].key, &sb->denies[i].set,
				      SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(EPERM));
	if (r < 0)
		return -1;
	if (archs_at) {
		/* the architectures' program to just after the others */
		struct syscall_program archs = b->out->v[0];

		memmove(&b->out->v[0], &b->out->v[1],
			(b->out->n - 1) * sizeof(b->out->v[0]));
		b->out->v[b->out->n - 1] = archs;
	}
	if (sb->lock_personality &&
	    build_rules(b, SYSCALL_KEY_LOCK_PERSONALITY, add_personality) < 0)
		return -1;
	if (syscall_set_active(&sb->log) &&
	    build_set(b, SYSCALL_KEY_LOG, &sb->log,
		      sb->log.allow_list ? SCMP_ACT_ALLOW : SCMP_ACT_LOG,
		      sb->log.allow_list ? SCMP_ACT_LOG : SCMP_ACT_ALLOW) < 0)
		return -1;
	/* Last, as systemd: the errno of the filter loaded last wins. */
	if (syscall_set_active(&sb->filter)) {
		uint32_t negative = act_for(sb->error_number, act_kill());

		return build_set(b, SYSCALL_KEY_FILTER, &sb->filter,
				 sb->filter.allow_list ? negative : SCMP_ACT_ALLOW,
				 sb->filter.allow_list ? SCMP_ACT_ALLOW : negative);
	}
	return 0;
}

int seccomp_build(const struct unit_syscall_sandbox *sb,
		  struct syscall_programs **out, char *why, size_t size)
{
	struct builder b = { .sb = sb, .why = why, .size = size, .memfd = -1 };
	int err;

	*out = NULL;
	b.out = calloc(1, sizeof(*b.out));
	if (!b.out) {
		snprintf(why, size, "system call filters: out of memory");
		return -1;
	}
	memcpy(b.archs, local_archs, sizeof(local_archs));
	b.n_archs = N_OF(local_archs);
	b.memfd = memfd_create("svd-seccomp", MFD_CLOEXEC);
	if (b.memfd < 0) {
		err = errno;
		syscall_programs_free(b.out);
		snprintf(why, size, "system call filters: memfd_create: %s",
			 strerror(err));
		errno = err;
		return -1;
	}
	if (build_all(&b) < 0) {
		err = errno;
		close(b.memfd);
		syscall_programs_free(b.out);
		errno = err;
		return -1;
	}
	close(b.memfd);
	*out = b.out;
	return 0;
}
