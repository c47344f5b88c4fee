/* seccomp_build: see seccomp_build.h. */
#include "seccomp_build.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "log.h"
#include "seccomp_rules.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

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

/* Appends program to b->out, which takes its instructions (freed here
 * on failure). */
static int push(struct builder *b, struct syscall_program program)
{
	if (b->out->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct syscall_programs *grown = realloc(b->out, sizeof(*grown) +
							 cap * sizeof(grown->v[0]));

		if (!grown) {
			free(program.insns);
			return fail(b, program.key, ENOMEM, "compiling the filter");
		}
		b->out = grown;
		b->cap = cap;
	}
	b->out->v[b->out->n++] = program;
	return 0;
}

/* The program of ctx, exported through b->memfd (ctx is released). */
static int compile(struct builder *b, scmp_filter_ctx ctx, int key,
		   struct syscall_program *program)
{
	void *insns;
	off_t bytes;
	int r;

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
	*program = (struct syscall_program){
		.key = (unsigned short)key,
		.len = (unsigned short)(bytes / (off_t)sizeof(struct sock_filter)),
		.insns = insns,
	};
	return 0;
}

/* The program of ctx, appended to b->out (ctx is released). */
static int export(struct builder *b, scmp_filter_ctx ctx, int key)
{
	struct syscall_program program;

	if (compile(b, ctx, key, &program) < 0)
		return -1;
	return push(b, program);
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
			int err = -seccomp_rules_add(ctx, act_for(r->errnum, action),
						     r->id, 0, NULL);

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
static int build_archs(struct builder *b, struct syscall_program *program)
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
	return compile(b, ctx, SYSCALL_KEY_ARCHITECTURES, program);
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
		    !seccomp_rules_families_filtered(b->archs[a] == SCMP_ARCH_NATIVE ?
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
	return seccomp_rules_families(ctx, b->sb);
}

static int add_mdwe(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return seccomp_rules_mdwe(ctx, arch == SCMP_ARCH_NATIVE ? seccomp_arch_native() : arch);
}

static int add_realtime(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return seccomp_rules_realtime(ctx);
}

static int add_suid_sgid(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return seccomp_rules_suid_sgid(ctx);
}

static int add_namespaces(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return seccomp_rules_namespaces(ctx, arch == SCMP_ARCH_NATIVE ? seccomp_arch_native() :
			       arch, b->sb->restrict_namespaces);
}

static int add_personality(struct builder *b, scmp_filter_ctx ctx, uint32_t arch)
{
	return seccomp_rules_personality(ctx);
}

/* The filters of the keys that restrict one thing each, and those
 * other keys imply, in systemd's order of loading. */
static int build_restrictions(struct builder *b)
{
	const struct unit_syscall_sandbox *sb = b->sb;
	unsigned long all = syscall_namespaces_all();

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
	for (size_t i = 0; i < sb->n_denies; i++)
		if (sb->denies[i].set.n &&
		    build_set(b, (int)sb->denies[i].key, &sb->denies[i].set,
			      SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(EPERM)) < 0)
			return -1;
	return 0;
}

/* Every filter of the sandbox, in systemd's order of loading. */
static int build_all(struct builder *b)
{
	const struct unit_syscall_sandbox *sb = b->sb;

	struct syscall_program archs = { .insns = NULL };

	/* First, so that the filters below skip the architectures it
	 * blocks; its program goes where systemd loads it. */
	if (build_archs(b, &archs) < 0)
		return -1;
	if (build_restrictions(b) < 0) {
		free(archs.insns);
		return -1;
	}
	if (archs.insns && push(b, archs) < 0)
		return -1;
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
