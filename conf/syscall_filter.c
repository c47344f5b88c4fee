/* syscall_filter: see syscall_filter.h. */
#include "syscall_filter.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Nested @groups deeper than this are a loop in the data file. */
#define SYSCALL_GROUP_MAX_DEPTH 8

static const char *const key_names[SYSCALL_KEY_COUNT] = {
	[SYSCALL_KEY_ARCHITECTURES] = "SystemCallArchitectures=",
	[SYSCALL_KEY_ADDRESS_FAMILIES] = "RestrictAddressFamilies=",
	[SYSCALL_KEY_MEMORY_DENY_WRITE_EXECUTE] = "MemoryDenyWriteExecute=",
	[SYSCALL_KEY_RESTRICT_REALTIME] = "RestrictRealtime=",
	[SYSCALL_KEY_RESTRICT_SUID_SGID] = "RestrictSUIDSGID=",
	[SYSCALL_KEY_RESTRICT_NAMESPACES] = "RestrictNamespaces=",
	[SYSCALL_KEY_LOCK_PERSONALITY] = "LockPersonality=",
	[SYSCALL_KEY_LOG] = "SystemCallLog=",
	[SYSCALL_KEY_FILTER] = "SystemCallFilter=",
	[SYSCALL_KEY_PROTECT_KERNEL_TUNABLES] = "ProtectKernelTunables=",
	[SYSCALL_KEY_PROTECT_KERNEL_MODULES] = "ProtectKernelModules=",
	[SYSCALL_KEY_PROTECT_KERNEL_LOGS] = "ProtectKernelLogs=",
	[SYSCALL_KEY_PROTECT_CLOCK] = "ProtectClock=",
	[SYSCALL_KEY_PRIVATE_DEVICES] = "PrivateDevices=",
	[SYSCALL_KEY_PROTECT_HOSTNAME] = "ProtectHostname=",
};

const char *syscall_key_name(int key)
{
	return key >= 0 && key < SYSCALL_KEY_COUNT ? key_names[key] : "?";
}

/* systemd's seccomp_arch_from_string() names. */
const struct syscall_arch syscall_archs[] = {
	{ "native", SCMP_ARCH_NATIVE },
	{ "x86", SCMP_ARCH_X86 },
	{ "x86-64", SCMP_ARCH_X86_64 },
	{ "x32", SCMP_ARCH_X32 },
	{ "arm", SCMP_ARCH_ARM },
	{ "arm64", SCMP_ARCH_AARCH64 },
	{ "mips", SCMP_ARCH_MIPS },
	{ "mips64", SCMP_ARCH_MIPS64 },
	{ "mips64-n32", SCMP_ARCH_MIPS64N32 },
	{ "mips-le", SCMP_ARCH_MIPSEL },
	{ "mips64-le", SCMP_ARCH_MIPSEL64 },
	{ "mips64-le-n32", SCMP_ARCH_MIPSEL64N32 },
	{ "parisc", SCMP_ARCH_PARISC },
	{ "parisc64", SCMP_ARCH_PARISC64 },
	{ "ppc", SCMP_ARCH_PPC },
	{ "ppc64", SCMP_ARCH_PPC64 },
	{ "ppc64-le", SCMP_ARCH_PPC64LE },
	{ "riscv64", SCMP_ARCH_RISCV64 },
	{ "s390", SCMP_ARCH_S390 },
	{ "s390x", SCMP_ARCH_S390X },
};
const unsigned syscall_archs_count = N_OF(syscall_archs);

/* The kinds /proc/PID/ns names, as systemd's namespace_info[]. */
const struct syscall_namespace syscall_namespaces[] = {
	{ "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC },
	{ "net", CLONE_NEWNET }, { "mnt", CLONE_NEWNS },
	{ "pid", CLONE_NEWPID }, { "user", CLONE_NEWUSER },
	{ "uts", CLONE_NEWUTS }, { "time", CLONE_NEWTIME },
};
const unsigned syscall_namespaces_count = N_OF(syscall_namespaces);

unsigned long syscall_namespaces_all(void)
{
	unsigned long all = 0;

	for (unsigned i = 0; i < N_OF(syscall_namespaces); i++)
		all |= syscall_namespaces[i].flag;
	return all;
}

/* The AF_* names of <sys/socket.h> (glibc 2.36), with its aliases. */
static const struct {
	const char *name;
	int family;
} af_names[] = {
	{ "AF_UNSPEC", AF_UNSPEC }, { "AF_UNIX", AF_UNIX },
	{ "AF_LOCAL", AF_LOCAL }, { "AF_FILE", AF_FILE },
	{ "AF_INET", AF_INET }, { "AF_AX25", AF_AX25 },
	{ "AF_IPX", AF_IPX }, { "AF_APPLETALK", AF_APPLETALK },
	{ "AF_NETROM", AF_NETROM }, { "AF_BRIDGE", AF_BRIDGE },
	{ "AF_ATMPVC", AF_ATMPVC }, { "AF_X25", AF_X25 },
	{ "AF_INET6", AF_INET6 }, { "AF_ROSE", AF_ROSE },
	{ "AF_DECnet", AF_DECnet }, { "AF_NETBEUI", AF_NETBEUI },
	{ "AF_SECURITY", AF_SECURITY }, { "AF_KEY", AF_KEY },
	{ "AF_NETLINK", AF_NETLINK }, { "AF_ROUTE", AF_ROUTE },
	{ "AF_PACKET", AF_PACKET }, { "AF_ASH", AF_ASH },
	{ "AF_ECONET", AF_ECONET }, { "AF_ATMSVC", AF_ATMSVC },
	{ "AF_RDS", AF_RDS }, { "AF_SNA", AF_SNA },
	{ "AF_IRDA", AF_IRDA }, { "AF_PPPOX", AF_PPPOX },
	{ "AF_WANPIPE", AF_WANPIPE }, { "AF_LLC", AF_LLC },
	{ "AF_IB", AF_IB }, { "AF_MPLS", AF_MPLS },
	{ "AF_CAN", AF_CAN }, { "AF_TIPC", AF_TIPC },
	{ "AF_BLUETOOTH", AF_BLUETOOTH }, { "AF_IUCV", AF_IUCV },
	{ "AF_RXRPC", AF_RXRPC }, { "AF_ISDN", AF_ISDN },
	{ "AF_PHONET", AF_PHONET }, { "AF_IEEE802154", AF_IEEE802154 },
	{ "AF_CAIF", AF_CAIF }, { "AF_ALG", AF_ALG },
	{ "AF_NFC", AF_NFC }, { "AF_VSOCK", AF_VSOCK },
	{ "AF_KCM", AF_KCM }, { "AF_QIPCRTR", AF_QIPCRTR },
	{ "AF_SMC", AF_SMC }, { "AF_XDP", AF_XDP },
	{ "AF_MCTP", AF_MCTP },
};

_Static_assert(AF_MAX <= SYSCALL_AF_LIMIT, "AF_* must fit a uint64_t");

int syscall_af_parse(const char *name)
{
	for (size_t i = 0; i < N_OF(af_names); i++)
		if (strcmp(af_names[i].name, name) == 0)
			return af_names[i].family;
	return -1;
}

const char *syscall_af_name(int family)
{
	for (size_t i = 0; i < N_OF(af_names); i++)
		if (af_names[i].family == family)
			return af_names[i].name;
	return NULL;
}

const struct syscall_group *syscall_group_find(const char *name)
{
	for (unsigned i = 0; i < syscall_groups_count; i++)
		if (strcmp(syscall_groups[i].name, name) == 0)
			return &syscall_groups[i];
	return NULL;
}

/* systemd's parse_errno(): a name of errno(3) or a number up to 4095. */
int syscall_errno_parse(const char *text, bool kill_ok)
{
	char *end;
	long n;

	if (kill_ok && strcmp(text, "kill") == 0)
		return SYSCALL_ERRNO_KILL;
	if (text[0] == 'E') {
		for (int e = 1; e <= SYSCALL_ERRNO_MAX; e++) {
			const char *name = strerrorname_np(e);

			if (name && strcmp(name, text) == 0)
				return e;
		}
		return -1;
	}
	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	n = strtol(text, &end, 10);
	if (errno || *end || n > SYSCALL_ERRNO_MAX)
		return -1;
	return (int)n;
}

bool syscall_set_active(const struct syscall_set *set)
{
	return set->allow_list || set->n > 0;
}

void syscall_set_clear(struct syscall_set *set)
{
	free(set->rules);
	*set = (struct syscall_set){0};
}

/* Where id is, or where it would go to keep the rules sorted. */
static size_t set_find(const struct syscall_set *set, int id, bool *found)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->rules[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < set->n && set->rules[lo].id == id;
	return lo;
}

static int set_put(struct syscall_set *set, int id, int errnum)
{
	bool found;
	size_t at = set_find(set, id, &found);

	if (found) {
		set->rules[at].errnum = errnum;
		return 0;
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct syscall_rule *rules = realloc(set->rules,
						     cap * sizeof(*rules));

		if (!rules)
			return -1;
		set->rules = rules;
		set->cap = cap;
	}
	memmove(&set->rules[at + 1], &set->rules[at],
		(set->n - at) * sizeof(*set->rules));
	set->rules[at] = (struct syscall_rule){ id, errnum };
	set->n++;
	return 0;
}

static void set_remove(struct syscall_set *set, int id)
{
	bool found;
	size_t at = set_find(set, id, &found);

	if (!found)
		return;
	memmove(&set->rules[at], &set->rules[at + 1],
		(set->n - at - 1) * sizeof(*set->rules));
	set->n--;
}

static void warn_ignored(syscall_warn_fn *warn, void *ctx, const char *what,
			 const char *name)
{
	char message[160];

	if (!warn)
		return;
	snprintf(message, sizeof(message), "%s \"%.64s\", ignored", what, name);
	warn(ctx, message);
}

static int update(struct syscall_set *set, const char *name, int errnum,
		  unsigned flags, syscall_warn_fn *warn, void *ctx, int depth)
{
	bool invert = flags & SYSCALL_PARSE_INVERT;
	int id;

	if (name[0] == '@') {
		const struct syscall_group *group = syscall_group_find(name);

		if (!group || depth >= SYSCALL_GROUP_MAX_DEPTH) {
			if (flags & SYSCALL_PARSE_WARN)
				warn_ignored(warn, ctx, "unknown system call group",
					     name);
			return 0;
		}
		/* The table's own names are not the unit's mistakes. */
		for (const char *const *m = group->members; *m; m++)
			if (update(set, *m, errnum, flags & ~SYSCALL_PARSE_WARN,
				   warn, ctx, depth + 1) < 0)
				return -1;
		return 0;
	}
	id = seccomp_syscall_resolve_name(name);
	if (id == __NR_SCMP_ERROR) {
		if (flags & SYSCALL_PARSE_WARN)
			warn_ignored(warn, ctx, "unknown system call", name);
		return 0;
	}
	if (invert != set->allow_list ||
	    (invert && set->allow_list && errnum != SYSCALL_ERRNO_DEFAULT))
		return set_put(set, id, errnum);
	set_remove(set, id);
	return 0;
}

int syscall_set_update(struct syscall_set *set, const char *name, int errnum,
		       unsigned flags, syscall_warn_fn *warn, void *ctx)
{
	return update(set, name, errnum, flags, warn, ctx, 0);
}

void syscall_programs_free(struct syscall_programs *programs)
{
	if (!programs)
		return;
	for (size_t i = 0; i < programs->n; i++)
		free(programs->v[i].insns);
	free(programs);
}

struct unit_syscall_sandbox *syscall_sandbox_new(void)
{
	struct unit_syscall_sandbox *sb = calloc(1, sizeof(*sb));

	if (sb) {
		sb->error_number = SYSCALL_ERRNO_KILL;
		sb->restrict_namespaces = SYSCALL_NAMESPACES_UNSET;
	}
	return sb;
}

void syscall_sandbox_free(struct unit_syscall_sandbox *sb)
{
	if (!sb)
		return;
	syscall_set_clear(&sb->filter);
	syscall_set_clear(&sb->log);
	for (size_t i = 0; i < sb->n_denies; i++)
		syscall_set_clear(&sb->denies[i].set);
	free(sb->denies);
	syscall_programs_free(sb->compiled);
	free(sb);
}

bool syscall_sandbox_active(const struct unit_syscall_sandbox *sb)
{
	unsigned long all = syscall_namespaces_all();

	return sb && (syscall_set_active(&sb->filter) ||
		      syscall_set_active(&sb->log) || sb->archs ||
		      sb->address_families_allow_list || sb->address_families ||
		      (sb->restrict_namespaces & all) != all ||
		      sb->restrict_realtime || sb->restrict_suid_sgid ||
		      sb->lock_personality || sb->memory_deny_write_execute ||
		      sb->n_denies > 0);
}

/* The entry of key, made empty, or a new one; NULL on ENOMEM. */
static struct syscall_deny *deny_entry(struct unit_syscall_sandbox *sb,
				       enum syscall_key key)
{
	struct syscall_deny *denies;

	for (size_t i = 0; i < sb->n_denies; i++)
		if (sb->denies[i].key == key) {
			syscall_set_clear(&sb->denies[i].set);
			return &sb->denies[i];
		}
	denies = realloc(sb->denies, (sb->n_denies + 1) * sizeof(*denies));
	if (!denies)
		return NULL;
	sb->denies = denies;
	denies[sb->n_denies] = (struct syscall_deny){ .key = key };
	return &denies[sb->n_denies++];
}

int syscall_sandbox_deny(struct unit_syscall_sandbox **sb, enum syscall_key key,
			 const char *names, int errnum)
{
	struct syscall_deny *entry;
	char name[64];

	if (key < SYSCALL_KEY_PROTECT_KERNEL_TUNABLES || key >= SYSCALL_KEY_COUNT ||
	    ((errnum < 0 || errnum > SYSCALL_ERRNO_MAX) &&
	     errnum != SYSCALL_ERRNO_KILL)) {
		errno = EINVAL;
		return -1;
	}
	if (!*sb && !(*sb = syscall_sandbox_new()))
		return -1;
	if (!(entry = deny_entry(*sb, key)))
		return -1;
	for (const char *p = names; *p;) {
		size_t len = strcspn(p, " \t");

		if (len >= sizeof(name)) {
			errno = EINVAL;
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		p += len;
		p += strspn(p, " \t");
		if (len && syscall_set_update(&entry->set, name, errnum,
					      SYSCALL_PARSE_INVERT, NULL, NULL) < 0)
			return -1;
	}
	/* A filter compiled before this one was added is out of date. */
	syscall_programs_free((*sb)->compiled);
	(*sb)->compiled = NULL;
	return 0;
}

int syscall_sandbox_deny_group(struct unit_syscall_sandbox **sb,
			       enum syscall_key key, const char *group,
			       int errnum)
{
	return syscall_sandbox_deny(sb, key, group, errnum);
}
