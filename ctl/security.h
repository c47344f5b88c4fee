/* security: a service's exposure, check by check, as systemd-analyze
 * security scores it (its checks, weights, ranges and labels: see the
 * table in security.c).
 *
 * Two layers: struct security_info holds every input the checks read,
 * as plain values with systemd's defaults for a system service; the
 * scorer turns one into rows and a total with no I/O at all, so it is
 * unit-tested on hand-built values. security_unit.h fills one from a
 * loaded unit. */
#ifndef SVCTL_SECURITY_H
#define SVCTL_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum security_protect_system {
	SECURITY_PROTECT_SYSTEM_NO,
	SECURITY_PROTECT_SYSTEM_YES,	/* /usr, /boot, /efi read-only */
	SECURITY_PROTECT_SYSTEM_FULL,	/* and /etc */
	SECURITY_PROTECT_SYSTEM_STRICT,	/* the whole tree */
};

enum security_protect_home {
	SECURITY_PROTECT_HOME_NO,
	SECURITY_PROTECT_HOME_YES,	/* inaccessible */
	SECURITY_PROTECT_HOME_READ_ONLY,
	SECURITY_PROTECT_HOME_TMPFS,	/* empty tmpfs over them */
};

enum security_protect_proc {
	SECURITY_PROTECT_PROC_DEFAULT,	/* every process visible */
	SECURITY_PROTECT_PROC_NOACCESS,	/* hidepid=noaccess */
	SECURITY_PROTECT_PROC_INVISIBLE,
	SECURITY_PROTECT_PROC_PTRACEABLE,
};

enum security_proc_subset {
	SECURITY_PROC_SUBSET_ALL,
	SECURITY_PROC_SUBSET_PID,	/* only the process directories */
};

enum security_keyring_mode {
	SECURITY_KEYRING_INHERIT,	/* the manager's session keyring */
	SECURITY_KEYRING_PRIVATE,	/* a keyring of its own (systemd's default) */
	SECURITY_KEYRING_SHARED,	/* its own, linked to the user's */
};

enum security_notify_access {
	SECURITY_NOTIFY_NONE,
	SECURITY_NOTIFY_MAIN,
	SECURITY_NOTIFY_EXEC,
	SECURITY_NOTIFY_ALL,		/* any process of the service */
};

/* SystemCallArchitectures= */
enum security_syscall_archs {
	SECURITY_ARCHS_ANY,		/* empty: every ABI the kernel has */
	SECURITY_ARCHS_NATIVE,		/* "native" alone */
	SECURITY_ARCHS_SEVERAL,		/* anything else, even the native
					   architecture by its name */
};

/* SystemCallFilter=: which kind of list the unit gives. */
enum security_syscall_filter {
	SECURITY_SYSCALLS_UNFILTERED,	/* no filter at all */
	SECURITY_SYSCALLS_ALLOW_LIST,	/* only the named calls */
	SECURITY_SYSCALLS_DENY_LIST,	/* "~": all but the named calls */
};

/* The groups of systemd.exec(5) that the checks ask about. */
enum security_syscall_group {
	SECURITY_SYSCALL_CLOCK,
	SECURITY_SYSCALL_CPU_EMULATION,
	SECURITY_SYSCALL_DEBUG,
	SECURITY_SYSCALL_MODULE,
	SECURITY_SYSCALL_MOUNT,
	SECURITY_SYSCALL_OBSOLETE,
	SECURITY_SYSCALL_PRIVILEGED,
	SECURITY_SYSCALL_RAW_IO,
	SECURITY_SYSCALL_REBOOT,
	SECURITY_SYSCALL_RESOURCES,
	SECURITY_SYSCALL_SWAP,
	SECURITY_SYSCALL_GROUP_COUNT,
};
#define SECURITY_SYSCALL_BIT(group) (1u << (group))

/* Namespace types RestrictNamespaces= can forbid. */
enum security_namespace {
	SECURITY_NS_USER,
	SECURITY_NS_MNT,
	SECURITY_NS_IPC,
	SECURITY_NS_PID,
	SECURITY_NS_CGROUP,
	SECURITY_NS_NET,
	SECURITY_NS_UTS,
	SECURITY_NS_COUNT,
};
#define SECURITY_NS_BIT(ns) (1u << (ns))
#define SECURITY_NS_ALL ((1u << SECURITY_NS_COUNT) - 1)

enum security_device_policy {
	SECURITY_DEVICE_POLICY_AUTO,	/* no device ACL */
	SECURITY_DEVICE_POLICY_CLOSED,
	SECURITY_DEVICE_POLICY_STRICT,
};

/* Every input a check reads. security_info_init() gives what a unit
 * without any of these keys gets under systemd, running as root. */
struct security_info {
	const char *user;		/* User=; NULL or "" or "root"/"0": root */
	bool dynamic_user;		/* DynamicUser= */
	size_t n_supplementary_groups;	/* SupplementaryGroups= */
	uint64_t capability_bounding_set; /* bit N: capability N kept */
	uint64_t ambient_capabilities;	/* bit N: capability N ambient */
	bool no_new_privileges;
	mode_t umask;
	enum security_notify_access notify_access;
	enum security_keyring_mode keyring_mode;
	bool remove_ipc;
	bool delegate;			/* Delegate=: its own cgroup subtree */
	/* DefaultDependencies=: no means an early-boot service, for which
	 * the file system checks do not apply */
	bool default_dependencies;
	const char *root_directory;	/* RootDirectory=; NULL, "" or "/": none */
	const char *root_image;		/* RootImage= */

	/* Mount and namespace settings */
	enum security_protect_system protect_system;
	enum security_protect_home protect_home;
	enum security_protect_proc protect_proc;
	enum security_proc_subset proc_subset;
	bool private_tmp, private_devices, private_network, private_users;
	bool private_mounts;
	bool protect_kernel_tunables, protect_kernel_modules;
	bool protect_kernel_logs, protect_control_groups;
	bool protect_clock, protect_hostname;

	/* Seccomp settings */
	enum security_syscall_archs syscall_archs;
	enum security_syscall_filter syscall_filter;
	/* SECURITY_SYSCALL_BIT(g) set: no system call of group g gets
	 * through the filter (every one denied, or none allowed); systemd
	 * checks the calls of the group one by one */
	unsigned syscall_groups_blocked;
	/* For a group that gets through: one of its calls the filter lets
	 * pass, named in the row as systemd does ("chown"), or NULL */
	const char *syscall_example[SECURITY_SYSCALL_GROUP_COUNT];
	/* RestrictAddressFamilies=: each true when that family is refused */
	bool af_inet_denied;		/* AF_INET and AF_INET6 */
	bool af_unix_denied, af_netlink_denied, af_packet_denied;
	bool af_other_denied;		/* every family not named above */
	unsigned namespaces_allowed;	/* SECURITY_NS_BIT()s it may create */
	bool restrict_realtime, restrict_suid_sgid;
	bool lock_personality, memory_deny_write_execute;

	/* Resource control settings */
	bool ip_deny_all;		/* IPAddressDeny=any */
	bool ip_allow_localhost;	/* IPAddressAllow= localhost entries */
	bool ip_allow_other;		/* IPAddressAllow= other entries */
	bool ip_custom_filters;		/* IPIngressFilterPath=/...Egress... */
	enum security_device_policy device_policy;
	/* DeviceAllow= entries, "char-rtc:r" separated by spaces (what
	 * systemd prints); NULL or "": none */
	const char *device_allow;
};

/* A badness that does not count: the check does not apply. */
#define SECURITY_NOT_APPLICABLE (-1)
/* Longest description a row gets (the syscall group texts). */
#define SECURITY_DESCRIPTION_MAX_BYTES 128

struct security_row {
	const char *name;	/* the check: "PrivateNetwork=", ... */
	const char *json_field;	/* systemd's name for it in JSON */
	char description[SECURITY_DESCRIPTION_MAX_BYTES];
	/* Printed after the description between detail_before and
	 * detail_after (the device list, a system call allowed): what the
	 * info names, borrowed from it, so its length is the info's; NULL
	 * for none */
	const char *detail;
	const char *detail_before, *detail_after;
	unsigned weight;	/* its share of the total */
	unsigned range;		/* badness 0 (confined) .. range (open) */
	int badness;		/* or SECURITY_NOT_APPLICABLE */
	unsigned exposure;	/* its part of the total, in tenths, rounded
				   up; 0 for a good or a n/a row */
};

/* As many rows as systemd 252 has checks. */
#define SECURITY_N_CHECKS 81

struct security_report {
	struct security_row rows[SECURITY_N_CHECKS];
	size_t n_rows;
	unsigned exposure;	/* 0..100: tenths of the 0.0-10.0 score */
};

/* systemd's defaults for a system service run as root. */
void security_info_init(struct security_info *info);

/* Scores info: the rows in systemd's table order and the total. The
 * rows' details point into info. */
void security_assess(const struct security_info *info,
		     struct security_report *report);

/* Orders the rows as systemd-analyze prints them: by description,
 * the later in the alphabet first, then by name. */
void security_report_sort(struct security_report *report);

/* "UNSAFE", ... for an exposure 0..100 (systemd's thresholds:
 * 100 DANGEROUS, 90 UNSAFE, 75 EXPOSED, 50 MEDIUM, 10 OK, 1 SAFE,
 * 0 PERFECT). */
const char *security_level_name(unsigned exposure);

/* Whether a row is good (fully confined), bad, or does not apply. */
enum security_mark {
	SECURITY_MARK_NA,
	SECURITY_MARK_GOOD,
	SECURITY_MARK_BAD,
};
enum security_mark security_row_mark(const struct security_row *row);

#endif
