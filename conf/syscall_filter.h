/* syscall_filter: a unit's system call sandbox as its file gives it
 * (systemd.exec(5)'s SystemCallFilter=, SystemCallErrorNumber=,
 * SystemCallArchitectures=, SystemCallLog=, RestrictAddressFamilies=,
 * RestrictNamespaces=, RestrictRealtime=, RestrictSUIDSGID=,
 * LockPersonality=, MemoryDenyWriteExecute=), the @group tables
 * (syscall_groups.txt), and the filters other keys imply.
 *
 * Names are resolved with libseccomp's tables, which make no system call,
 * so the parser stays file-only; the daemon compiles the settings into
 * BPF programs (daemon/seccomp_build.h) and caches them here.
 *
 * API for the keys of other modules (ProtectClock=, ...): after the last
 * file of a unit is parsed, call syscall_sandbox_deny() once per key that
 * is on; it makes the unit's sandbox if it has none. */
#ifndef SVD_SYSCALL_FILTER_H
#define SVD_SYSCALL_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a listed system call does (struct syscall_rule.errnum). */
#define SYSCALL_ERRNO_DEFAULT (-1)	/* the filter's own action */
#define SYSCALL_ERRNO_KILL 0x10000	/* "kill": the process dies by SIGSYS */
#define SYSCALL_ERRNO_MAX 4095		/* the kernel's highest errno */

/* One group of syscall_groups.txt. */
struct syscall_group {
	const char *name;	 /* "@mount" */
	const char *description;
	const char *const *members; /* names and @groups; NULL ends them */
};

extern const struct syscall_group syscall_groups[];
extern const unsigned syscall_groups_count;

/* The group named name ("@mount"), or NULL. */
const struct syscall_group *syscall_group_find(const char *name);

/* The keys that put filters into a sandbox, for messages and for the
 * spawn step that failed. The implied ones come from other keys through
 * syscall_sandbox_deny(). */
enum syscall_key {
	SYSCALL_KEY_ARCHITECTURES,
	SYSCALL_KEY_ADDRESS_FAMILIES,
	SYSCALL_KEY_MEMORY_DENY_WRITE_EXECUTE,
	SYSCALL_KEY_RESTRICT_REALTIME,
	SYSCALL_KEY_RESTRICT_SUID_SGID,
	SYSCALL_KEY_RESTRICT_NAMESPACES,
	SYSCALL_KEY_LOCK_PERSONALITY,
	SYSCALL_KEY_LOG,
	SYSCALL_KEY_FILTER,
	/* implied by other keys (systemd's exec_child() order) */
	SYSCALL_KEY_PROTECT_KERNEL_TUNABLES,	/* _sysctl */
	SYSCALL_KEY_PROTECT_KERNEL_MODULES,	/* @module */
	SYSCALL_KEY_PROTECT_KERNEL_LOGS,	/* syslog */
	SYSCALL_KEY_PROTECT_CLOCK,		/* @clock */
	SYSCALL_KEY_PRIVATE_DEVICES,		/* @raw-io */
	SYSCALL_KEY_PROTECT_HOSTNAME,		/* sethostname setdomainname */
	SYSCALL_KEY_COUNT,
};

/* "SystemCallFilter=", ...: the key with its '='; "?" out of range. */
const char *syscall_key_name(int key);

/* One system call of a set: libseccomp's number for it on the native
 * architecture (negative for one that only other architectures have). */
struct syscall_rule {
	int id;
	int errnum;		/* SYSCALL_ERRNO_DEFAULT, _KILL or 0-4095 */
};

/* SystemCallFilter='s or SystemCallLog='s merged assignments. */
struct syscall_set {
	struct syscall_rule *rules;	/* sorted by id */
	size_t n, cap;
	bool allow_list;	/* listed calls pass, others get the action */
	bool started;		/* an assignment set allow_list already */
};

/* A set is in force: an allow list (even of nothing), or calls listed. */
bool syscall_set_active(const struct syscall_set *set);
void syscall_set_clear(struct syscall_set *set);

/* SystemCallArchitectures=, the names systemd knows; "native" is the
 * architecture svd was built for. */
struct syscall_arch {
	const char *name;
	uint32_t scmp_arch;	/* SCMP_ARCH_* */
};
extern const struct syscall_arch syscall_archs[];
extern const unsigned syscall_archs_count;

/* RestrictNamespaces=: the kinds, by name. */
struct syscall_namespace {
	const char *name;	/* "cgroup", "ipc", "mnt", ... */
	unsigned long flag;	/* CLONE_NEW* */
};
extern const struct syscall_namespace syscall_namespaces[];
extern const unsigned syscall_namespaces_count;
/* Every CLONE_NEW* flag of the table. */
unsigned long syscall_namespaces_all(void);
/* restrict_namespaces while RestrictNamespaces= is not given. */
#define SYSCALL_NAMESPACES_UNSET (~0UL)

/* The address families the kernel headers name, up to AF_MAX. */
#define SYSCALL_AF_LIMIT 64

/* A filter another key implies (systemd's ProtectClock=, ...): its
 * calls fail with errnum. */
struct syscall_deny {
	enum syscall_key key;
	struct syscall_set set;	/* a deny list */
};

/* A filter compiled for the kernel: what seccomp(SECCOMP_SET_MODE_FILTER)
 * takes. Made by the daemon at a unit's first start and kept with the
 * settings it came from, so a restart compiles nothing; freed with them
 * (daemon-reload loads the unit anew). */
struct syscall_program {
	unsigned short key;	/* enum syscall_key it enforces */
	unsigned short len;	/* instructions */
	void *insns;		/* struct sock_filter[len] */
};

struct syscall_programs {
	size_t n;
	struct syscall_program v[];
};

void syscall_programs_free(struct syscall_programs *programs);

/* struct unit's syscall_sandbox: NULL unless one of these keys is given
 * (most units: no memory at all). */
struct unit_syscall_sandbox {
	struct syscall_set filter;	/* SystemCallFilter= */
	int error_number;		/* SystemCallErrorNumber=: 1-4095, or
					   SYSCALL_ERRNO_KILL (the default) */
	struct syscall_set log;		/* SystemCallLog= */
	uint32_t archs;			/* bit i: syscall_archs[i]; 0: any */
	/* RestrictAddressFamilies=: bit AF_*; allow list or deny list.
	 * Given: an allow list (even empty: "none") or families listed. */
	uint64_t address_families;
	bool address_families_allow_list;
	bool address_families_started;	/* an assignment set the kind */
	/* RestrictNamespaces=: the CLONE_NEW* flags still allowed;
	 * SYSCALL_NAMESPACES_UNSET while not given. */
	unsigned long restrict_namespaces;
	bool restrict_realtime;		/* RestrictRealtime= */
	bool restrict_suid_sgid;	/* RestrictSUIDSGID= */
	bool lock_personality;		/* LockPersonality= */
	bool memory_deny_write_execute;	/* MemoryDenyWriteExecute= */
	struct syscall_deny *denies;	/* implied by other keys */
	size_t n_denies;
	/* The daemon's cache (see struct syscall_program); NULL until the
	 * first start. */
	struct syscall_programs *compiled;
};

struct unit_syscall_sandbox *syscall_sandbox_new(void);
void syscall_sandbox_free(struct unit_syscall_sandbox *sb);
/* Whether any setting asks for a filter: a unit whose settings were all
 * reset runs without one. */
bool syscall_sandbox_active(const struct unit_syscall_sandbox *sb);

/* Called for each problem met while parsing (an unknown name): message
 * says what and that it was ignored. */
typedef void syscall_warn_fn(void *ctx, const char *message);

/* Flags of syscall_set_update(). */
enum {
	SYSCALL_PARSE_INVERT = 1 << 0,	/* the assignment started with '~' */
	SYSCALL_PARSE_WARN = 1 << 1,	/* unknown names are warned about */
};

/* Merges name (a system call or an @group, nested groups resolved) into
 * set as systemd's seccomp_parse_syscall_filter() does: a call joins the
 * set when the assignment's kind matches the set's (an allow list and no
 * '~', or a deny list and '~'), or is a '~' entry with its own errnum in
 * an allow list; otherwise it leaves the set. Names libseccomp does not
 * know are skipped (warned about at the top level with
 * SYSCALL_PARSE_WARN). Returns 0, or -1 on ENOMEM. */
int syscall_set_update(struct syscall_set *set, const char *name, int errnum,
		       unsigned flags, syscall_warn_fn *warn, void *ctx);

/* "EPERM", "13", "kill" (when kill_ok): SYSCALL_ERRNO_KILL or 0-4095;
 * -1 for anything else. */
int syscall_errno_parse(const char *text, bool kill_ok);
/* "AF_INET", ...: the family, or -1. */
int syscall_af_parse(const char *name);
/* The AF_* name of family, or NULL. */
const char *syscall_af_name(int family);

/* For the keys of other modules: adds a filter that makes the calls of
 * names (a system call or an @group, or several separated by blanks)
 * fail with errnum (systemd uses EPERM for all of them), on behalf of
 * key, making *sb if the unit has none. A second call for the same key
 * replaces the first. Returns 0, or -1 with errno: ENOMEM, EINVAL for a
 * key that is not one of the implied ones or an errnum out of range. */
int syscall_sandbox_deny(struct unit_syscall_sandbox **sb, enum syscall_key key,
			 const char *names, int errnum);
/* The same for one @group: syscall_sandbox_deny_group(&u->syscall_sandbox,
 * SYSCALL_KEY_PROTECT_CLOCK, "@clock", EPERM). */
int syscall_sandbox_deny_group(struct unit_syscall_sandbox **sb,
			       enum syscall_key key, const char *group,
			       int errnum);

#endif
