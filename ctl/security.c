/* The checks, weights, ranges, texts and arithmetic of systemd 252's
 * `systemd-analyze security` (src/analyze/analyze-security.c, systemd
 * v252, as Debian 12 ships it), so that both tools give the same figure
 * for the same settings. Only the marks and the "~..." of the exotic
 * address families are ASCII here. */
#include "security.h"

#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP(c) (UINT64_C(1) << (c))
#ifndef CAP_BPF
#define CAP_BPF 39	/* Linux 5.8; older headers lack it */
#endif

struct security_check;

/* Returns the badness (0..range, or SECURITY_NOT_APPLICABLE); may write
 * row->description, else the check's text for the badness is used. */
typedef int assess_fn(const struct security_check *check,
		      const struct security_info *info,
		      struct security_row *row);

struct security_check {
	const char *name;
	const char *json_field;
	const char *good, *bad, *na;	/* texts for badness 0, range, n/a */
	unsigned weight, range;
	assess_fn *assess;
	size_t offset;		/* assess_bool: the field it reads */
	uint64_t mask;		/* capabilities, namespaces, a syscall group */
	unsigned parameter;	/* the syscall group, by number */
	bool invert;		/* assess_bool: true is the open setting */
	/* Not applicable to a unit with DefaultDependencies=no */
	bool default_dependencies_only;
};

static void describe(struct security_row *row, const char *text)
{
	snprintf(row->description, sizeof(row->description), "%s", text);
}

static bool user_is_root(const char *user)
{
	return user && (strcmp(user, "root") == 0 || strcmp(user, "0") == 0);
}

/* As systemd: root unless a user is named or DynamicUser= picks one. */
static bool runs_privileged(const struct security_info *info)
{
	if (user_is_root(info->user))
		return true;
	if (info->dynamic_user)
		return false;
	return !info->user || !*info->user;
}

static int assess_bool(const struct security_check *check,
		       const struct security_info *info,
		       struct security_row *row)
{
	bool value = *(const bool *)((const char *)info + check->offset);

	return check->invert ? value : !value;
}

static int assess_user(const struct security_check *check,
		       const struct security_info *info,
		       struct security_row *row)
{
	if (info->user && strcmp(info->user, "nobody") == 0) {
		describe(row, "Service runs under as 'nobody' user, which "
			 "should not be used for services");
		return 9;
	}
	if (info->dynamic_user && !user_is_root(info->user)) {
		describe(row, "Service runs under a transient non-root user identity");
		return 0;
	}
	if (info->user && *info->user && !user_is_root(info->user)) {
		describe(row, "Service runs under a static non-root user identity");
		return 0;
	}
	return 10;
}

static int assess_supplementary_groups(const struct security_check *check,
				       const struct security_info *info,
				       struct security_row *row)
{
	if (runs_privileged(info))
		return SECURITY_NOT_APPLICABLE;
	return info->n_supplementary_groups > 0;
}

static int assess_remove_ipc(const struct security_check *check,
			     const struct security_info *info,
			     struct security_row *row)
{
	if (runs_privileged(info))
		return SECURITY_NOT_APPLICABLE;
	return !info->remove_ipc;
}

static int assess_protect_home(const struct security_check *check,
			       const struct security_info *info,
			       struct security_row *row)
{
	static const struct {
		int badness;
		const char *text;
	} by_mode[] = {
		[SECURITY_PROTECT_HOME_NO] = {
			10, "Service has full access to home directories" },
		[SECURITY_PROTECT_HOME_YES] = {
			0, "Service has no access to home directories" },
		[SECURITY_PROTECT_HOME_READ_ONLY] = {
			5, "Service has read-only access to home directories" },
		[SECURITY_PROTECT_HOME_TMPFS] = {
			1, "Service has access to fake empty home directories" },
	};

	describe(row, by_mode[info->protect_home].text);
	return by_mode[info->protect_home].badness;
}

static int assess_protect_system(const struct security_check *check,
				 const struct security_info *info,
				 struct security_row *row)
{
	static const struct {
		int badness;
		const char *text;
	} by_mode[] = {
		[SECURITY_PROTECT_SYSTEM_NO] = {
			10, "Service has full access to the OS file hierarchy" },
		[SECURITY_PROTECT_SYSTEM_YES] = {
			5, "Service has limited write access to the OS file hierarchy" },
		[SECURITY_PROTECT_SYSTEM_FULL] = {
			3, "Service has very limited write access to the OS file hierarchy" },
		[SECURITY_PROTECT_SYSTEM_STRICT] = {
			0, "Service has strict read-only access to the OS file hierarchy" },
	};

	describe(row, by_mode[info->protect_system].text);
	return by_mode[info->protect_system].badness;
}

static bool empty_or_root(const char *path)
{
	return !path || !*path || strspn(path, "/") == strlen(path);
}

static int assess_root_directory(const struct security_check *check,
				 const struct security_info *info,
				 struct security_row *row)
{
	return empty_or_root(info->root_directory) &&
	       empty_or_root(info->root_image);
}

static int assess_capabilities(const struct security_check *check,
			       const struct security_info *info,
			       struct security_row *row)
{
	return (info->capability_bounding_set & check->mask) != 0;
}

static int assess_ambient(const struct security_check *check,
			  const struct security_info *info,
			  struct security_row *row)
{
	return info->ambient_capabilities != 0;
}

static int assess_umask(const struct security_check *check,
			const struct security_info *info,
			struct security_row *row)
{
	/* The first permission the mask lets through decides. */
	static const struct {
		mode_t bit;
		int badness;
		const char *text;
	} steps[] = {
		{ 0002, 10, "Files created by service are world-writable by default" },
		{ 0004, 5, "Files created by service are world-readable by default" },
		{ 0020, 2, "Files created by service are group-writable by default" },
		{ 0040, 1, "Files created by service are group-readable by default" },
	};

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (!(info->umask & steps[i].bit)) {
			describe(row, steps[i].text);
			return steps[i].badness;
		}
	describe(row, "Files created by service are accessible only by "
		 "service's own user by default");
	return 0;
}

static int assess_keyring_mode(const struct security_check *check,
			       const struct security_info *info,
			       struct security_row *row)
{
	return info->keyring_mode != SECURITY_KEYRING_PRIVATE;
}

static int assess_protect_proc(const struct security_check *check,
			       const struct security_info *info,
			       struct security_row *row)
{
	switch (info->protect_proc) {
	case SECURITY_PROTECT_PROC_NOACCESS:
		return 1;
	case SECURITY_PROTECT_PROC_INVISIBLE:
	case SECURITY_PROTECT_PROC_PTRACEABLE:
		return 0;
	case SECURITY_PROTECT_PROC_DEFAULT:
		break;
	}
	return 3;
}

static int assess_proc_subset(const struct security_check *check,
			      const struct security_info *info,
			      struct security_row *row)
{
	return info->proc_subset != SECURITY_PROC_SUBSET_PID;
}

static int assess_notify_access(const struct security_check *check,
				const struct security_info *info,
				struct security_row *row)
{
	return info->notify_access == SECURITY_NOTIFY_ALL;
}

static int assess_namespaces(const struct security_check *check,
			     const struct security_info *info,
			     struct security_row *row)
{
	return (info->namespaces_allowed & check->mask) != 0;
}

static int assess_syscall_archs(const struct security_check *check,
				const struct security_info *info,
				struct security_row *row)
{
	switch (info->syscall_archs) {
	case SECURITY_ARCHS_NATIVE:
		describe(row, "Service may execute system calls only with native ABI");
		return 0;
	case SECURITY_ARCHS_SEVERAL:
		describe(row, "Service may execute system calls with multiple ABIs");
		return 8;
	case SECURITY_ARCHS_ANY:
		break;
	}
	describe(row, "Service may execute system calls with all ABIs");
	return 10;
}

/* systemd names the group in the text ("@mount"): the check's name
 * after its "~". */
static int assess_syscall_group(const struct security_check *check,
				const struct security_info *info,
				struct security_row *row)
{
	const char *group = strchr(check->name, '@');
	bool blocked = info->syscall_groups_blocked & check->mask;
	const char *example = info->syscall_example[check->parameter];

	if (!blocked && example) {
		row->detail = example;
		row->detail_before = " (e.g. ";
		row->detail_after = " is allowed)";
	}

	switch (info->syscall_filter) {
	case SECURITY_SYSCALLS_ALLOW_LIST:
		snprintf(row->description, sizeof(row->description),
			 "System call allow list defined for service, and %s "
			 "is %sincluded", group, blocked ? "not " : "");
		return blocked ? 0 : 9;
	case SECURITY_SYSCALLS_DENY_LIST:
		snprintf(row->description, sizeof(row->description),
			 "System call deny list defined for service, and %s "
			 "is %sincluded", group, blocked ? "" : "not ");
		return blocked ? 0 : 10;
	case SECURITY_SYSCALLS_UNFILTERED:
		break;
	}
	describe(row, "Service does not filter system calls");
	return 10;
}

static int assess_ip_address(const struct security_check *check,
			     const struct security_info *info,
			     struct security_row *row)
{
	if (info->ip_custom_filters) {
		describe(row, "Service defines custom ingress/egress IP filters "
			 "with BPF programs");
		return 0;
	}
	if (!info->ip_deny_all) {
		describe(row, "Service does not define an IP address allow list");
		return 10;
	}
	if (info->ip_allow_other) {
		describe(row, "Service defines IP address allow list with "
			 "non-localhost entries");
		return 5;
	}
	if (info->ip_allow_localhost) {
		describe(row, "Service defines IP address allow list with only "
			 "localhost entries");
		return 2;
	}
	describe(row, "Service blocks all IP address ranges");
	return 0;
}

static int assess_device_allow(const struct security_check *check,
			       const struct security_info *info,
			       struct security_row *row)
{
	if (info->device_policy == SECURITY_DEVICE_POLICY_AUTO) {
		describe(row, "Service has no device ACL");
		return 10;
	}
	if (info->device_allow && *info->device_allow) {
		describe(row, "Service has a device ACL with some special devices");
		row->detail = info->device_allow;
		row->detail_before = ": ";
		row->detail_after = "";
		return 5;
	}
	describe(row, "Service has a minimal device ACL");
	return 0;
}

#define BOOL_CHECK(field) .assess = assess_bool, \
	.offset = offsetof(struct security_info, field)
#define CAPS_CHECK(caps) .assess = assess_capabilities, .mask = (caps)
#define NS_CHECK(ns) .assess = assess_namespaces, .mask = SECURITY_NS_BIT(ns)
#define SYSCALL_CHECK(g) .assess = assess_syscall_group, \
	.mask = SECURITY_SYSCALL_BIT(g), .parameter = (g), .range = 10

/* systemd's table, in its order. */
static const struct security_check checks[SECURITY_N_CHECKS] = {
	{ "User=/DynamicUser=", "UserOrDynamicUser", NULL,
	  "Service runs as root user", NULL, 2000, 10, .assess = assess_user },
	{ "SupplementaryGroups=", "SupplementaryGroups",
	  "Service has no supplementary groups",
	  "Service runs with supplementary groups",
	  "Service runs as root, option does not matter", 200, 1,
	  .assess = assess_supplementary_groups },
	{ "PrivateDevices=", "PrivateDevices",
	  "Service has no access to hardware devices",
	  "Service potentially has access to hardware devices", NULL, 1000, 1,
	  BOOL_CHECK(private_devices) },
	{ "PrivateMounts=", "PrivateMounts",
	  "Service cannot install system mounts",
	  "Service may install system mounts", NULL, 1000, 1,
	  BOOL_CHECK(private_mounts) },
	{ "PrivateNetwork=", "PrivateNetwork",
	  "Service has no access to the host's network",
	  "Service has access to the host's network", NULL, 2500, 1,
	  BOOL_CHECK(private_network) },
	{ "PrivateTmp=", "PrivateTmp",
	  "Service has no access to other software's temporary files",
	  "Service has access to other software's temporary files", NULL,
	  1000, 1, BOOL_CHECK(private_tmp), .default_dependencies_only = true },
	{ "PrivateUsers=", "PrivateUsers",
	  "Service does not have access to other users",
	  "Service has access to other users", NULL, 1000, 1,
	  BOOL_CHECK(private_users) },
	{ "ProtectControlGroups=", "ProtectControlGroups",
	  "Service cannot modify the control group file system",
	  "Service may modify the control group file system", NULL, 1000, 1,
	  BOOL_CHECK(protect_control_groups) },
	{ "ProtectKernelModules=", "ProtectKernelModules",
	  "Service cannot load or read kernel modules",
	  "Service may load or read kernel modules", NULL, 1000, 1,
	  BOOL_CHECK(protect_kernel_modules) },
	{ "ProtectKernelTunables=", "ProtectKernelTunables",
	  "Service cannot alter kernel tunables (/proc/sys, ...)",
	  "Service may alter kernel tunables", NULL, 1000, 1,
	  BOOL_CHECK(protect_kernel_tunables) },
	{ "ProtectKernelLogs=", "ProtectKernelLogs",
	  "Service cannot read from or write to the kernel log ring buffer",
	  "Service may read from or write to the kernel log ring buffer", NULL,
	  1000, 1, BOOL_CHECK(protect_kernel_logs) },
	{ "ProtectClock=", "ProtectClock",
	  "Service cannot write to the hardware clock or system clock",
	  "Service may write to the hardware clock or system clock", NULL,
	  1000, 1, BOOL_CHECK(protect_clock) },
	{ "ProtectHome=", "ProtectHome", NULL, NULL, NULL, 1000, 10,
	  .assess = assess_protect_home, .default_dependencies_only = true },
	{ "ProtectHostname=", "ProtectHostname",
	  "Service cannot change system host/domainname",
	  "Service may change system host/domainname", NULL, 50, 1,
	  BOOL_CHECK(protect_hostname) },
	{ "ProtectSystem=", "ProtectSystem", NULL, NULL, NULL, 1000, 10,
	  .assess = assess_protect_system, .default_dependencies_only = true },
	{ "RootDirectory=/RootImage=", "RootDirectoryOrRootImage",
	  "Service has its own root directory/image",
	  "Service runs within the host's root directory", NULL, 200, 1,
	  .assess = assess_root_directory, .default_dependencies_only = true },
	{ "LockPersonality=", "LockPersonality",
	  "Service cannot change ABI personality",
	  "Service may change ABI personality", NULL, 100, 1,
	  BOOL_CHECK(lock_personality) },
	{ "MemoryDenyWriteExecute=", "MemoryDenyWriteExecute",
	  "Service cannot create writable executable memory mappings",
	  "Service may create writable executable memory mappings", NULL,
	  100, 1, BOOL_CHECK(memory_deny_write_execute) },
	{ "NoNewPrivileges=", "NoNewPrivileges",
	  "Service processes cannot acquire new privileges",
	  "Service processes may acquire new privileges", NULL, 1000, 1,
	  BOOL_CHECK(no_new_privileges) },
	{ "CapabilityBoundingSet=~CAP_SYS_ADMIN",
	  "CapabilityBoundingSet_CAP_SYS_ADMIN",
	  "Service has no administrator privileges",
	  "Service has administrator privileges", NULL, 1500, 1,
	  CAPS_CHECK(CAP(CAP_SYS_ADMIN)) },
	{ "CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP)",
	  "CapabilityBoundingSet_CAP_SET_UID_GID_PCAP",
	  "Service cannot change UID/GID identities/capabilities",
	  "Service may change UID/GID identities/capabilities", NULL, 1500, 1,
	  CAPS_CHECK(CAP(CAP_SETUID) | CAP(CAP_SETGID) | CAP(CAP_SETPCAP)) },
	{ "CapabilityBoundingSet=~CAP_SYS_PTRACE",
	  "CapabilityBoundingSet_CAP_SYS_PTRACE",
	  "Service has no ptrace() debugging abilities",
	  "Service has ptrace() debugging abilities", NULL, 1500, 1,
	  CAPS_CHECK(CAP(CAP_SYS_PTRACE)) },
	{ "CapabilityBoundingSet=~CAP_SYS_TIME",
	  "CapabilityBoundingSet_CAP_SYS_TIME",
	  "Service processes cannot change the system clock",
	  "Service processes may change the system clock", NULL, 1000, 1,
	  CAPS_CHECK(CAP(CAP_SYS_TIME)) },
	{ "CapabilityBoundingSet=~CAP_NET_ADMIN",
	  "CapabilityBoundingSet_CAP_NET_ADMIN",
	  "Service has no network configuration privileges",
	  "Service has network configuration privileges", NULL, 1000, 1,
	  CAPS_CHECK(CAP(CAP_NET_ADMIN)) },
	{ "CapabilityBoundingSet=~CAP_SYS_RAWIO",
	  "CapabilityBoundingSet_CAP_SYS_RAWIO",
	  "Service has no raw I/O access", "Service has raw I/O access", NULL,
	  1000, 1, CAPS_CHECK(CAP(CAP_SYS_RAWIO)) },
	{ "CapabilityBoundingSet=~CAP_SYS_MODULE",
	  "CapabilityBoundingSet_CAP_SYS_MODULE",
	  "Service cannot load kernel modules",
	  "Service may load kernel modules", NULL, 1000, 1,
	  CAPS_CHECK(CAP(CAP_SYS_MODULE)) },
	{ "CapabilityBoundingSet=~CAP_AUDIT_*", "CapabilityBoundingSet_CAP_AUDIT",
	  "Service has no audit subsystem access",
	  "Service has audit subsystem access", NULL, 500, 1,
	  CAPS_CHECK(CAP(CAP_AUDIT_CONTROL) | CAP(CAP_AUDIT_READ) |
		     CAP(CAP_AUDIT_WRITE)) },
	{ "CapabilityBoundingSet=~CAP_SYSLOG", "CapabilityBoundingSet_CAP_SYSLOG",
	  "Service has no access to kernel logging",
	  "Service has access to kernel logging", NULL, 500, 1,
	  CAPS_CHECK(CAP(CAP_SYSLOG)) },
	{ "CapabilityBoundingSet=~CAP_SYS_(NICE|RESOURCE)",
	  "CapabilityBoundingSet_CAP_SYS_NICE_RESOURCE",
	  "Service has no privileges to change resource use parameters",
	  "Service has privileges to change resource use parameters", NULL,
	  500, 1, CAPS_CHECK(CAP(CAP_SYS_NICE) | CAP(CAP_SYS_RESOURCE)) },
	{ "CapabilityBoundingSet=~CAP_MKNOD", "CapabilityBoundingSet_CAP_MKNOD",
	  "Service cannot create device nodes",
	  "Service may create device nodes", NULL, 500, 1,
	  CAPS_CHECK(CAP(CAP_MKNOD)) },
	{ "CapabilityBoundingSet=~CAP_(CHOWN|FSETID|SETFCAP)",
	  "CapabilityBoundingSet_CAP_CHOWN_FSETID_SETFCAP",
	  "Service cannot change file ownership/access mode/capabilities",
	  "Service may change file ownership/access mode/capabilities "
	  "unrestricted", NULL, 1000, 1,
	  CAPS_CHECK(CAP(CAP_CHOWN) | CAP(CAP_FSETID) | CAP(CAP_SETFCAP)) },
	{ "CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)",
	  "CapabilityBoundingSet_CAP_DAC_FOWNER_IPC_OWNER",
	  "Service cannot override UNIX file/IPC permission checks",
	  "Service may override UNIX file/IPC permission checks", NULL, 1000, 1,
	  CAPS_CHECK(CAP(CAP_DAC_OVERRIDE) | CAP(CAP_DAC_READ_SEARCH) |
		     CAP(CAP_FOWNER) | CAP(CAP_IPC_OWNER)) },
	{ "CapabilityBoundingSet=~CAP_KILL", "CapabilityBoundingSet_CAP_KILL",
	  "Service cannot send UNIX signals to arbitrary processes",
	  "Service may send UNIX signals to arbitrary processes", NULL, 500, 1,
	  CAPS_CHECK(CAP(CAP_KILL)) },
	/* systemd's JSON name ends in a stray ')'; not copied. */
	{ "CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)",
	  "CapabilityBoundingSet_CAP_NET_BIND_SERVICE_BROADCAST_RAW",
	  "Service has no elevated networking privileges",
	  "Service has elevated networking privileges", NULL, 500, 1,
	  CAPS_CHECK(CAP(CAP_NET_BIND_SERVICE) | CAP(CAP_NET_BROADCAST) |
		     CAP(CAP_NET_RAW)) },
	{ "CapabilityBoundingSet=~CAP_SYS_BOOT", "CapabilityBoundingSet_CAP_SYS_BOOT",
	  "Service cannot issue reboot()", "Service may issue reboot()", NULL,
	  100, 1, CAPS_CHECK(CAP(CAP_SYS_BOOT)) },
	{ "CapabilityBoundingSet=~CAP_MAC_*", "CapabilityBoundingSet_CAP_MAC",
	  "Service cannot adjust SMACK MAC", "Service may adjust SMACK MAC", NULL,
	  100, 1, CAPS_CHECK(CAP(CAP_MAC_ADMIN) | CAP(CAP_MAC_OVERRIDE)) },
	{ "CapabilityBoundingSet=~CAP_LINUX_IMMUTABLE",
	  "CapabilityBoundingSet_CAP_LINUX_IMMUTABLE",
	  "Service cannot mark files immutable",
	  "Service may mark files immutable", NULL, 75, 1,
	  CAPS_CHECK(CAP(CAP_LINUX_IMMUTABLE)) },
	{ "CapabilityBoundingSet=~CAP_IPC_LOCK", "CapabilityBoundingSet_CAP_IPC_LOCK",
	  "Service cannot lock memory into RAM",
	  "Service may lock memory into RAM", NULL, 50, 1,
	  CAPS_CHECK(CAP(CAP_IPC_LOCK)) },
	{ "CapabilityBoundingSet=~CAP_SYS_CHROOT",
	  "CapabilityBoundingSet_CAP_SYS_CHROOT",
	  "Service cannot issue chroot()", "Service may issue chroot()", NULL,
	  50, 1, CAPS_CHECK(CAP(CAP_SYS_CHROOT)) },
	{ "CapabilityBoundingSet=~CAP_BLOCK_SUSPEND",
	  "CapabilityBoundingSet_CAP_BLOCK_SUSPEND",
	  "Service cannot establish wake locks",
	  "Service may establish wake locks", NULL, 25, 1,
	  CAPS_CHECK(CAP(CAP_BLOCK_SUSPEND)) },
	{ "CapabilityBoundingSet=~CAP_WAKE_ALARM",
	  "CapabilityBoundingSet_CAP_WAKE_ALARM",
	  "Service cannot program timers that wake up the system",
	  "Service may program timers that wake up the system", NULL, 25, 1,
	  CAPS_CHECK(CAP(CAP_WAKE_ALARM)) },
	{ "CapabilityBoundingSet=~CAP_LEASE", "CapabilityBoundingSet_CAP_LEASE",
	  "Service cannot create file leases", "Service may create file leases",
	  NULL, 25, 1, CAPS_CHECK(CAP(CAP_LEASE)) },
	{ "CapabilityBoundingSet=~CAP_SYS_TTY_CONFIG",
	  "CapabilityBoundingSet_CAP_SYS_TTY_CONFIG",
	  "Service cannot issue vhangup()", "Service may issue vhangup()", NULL,
	  25, 1, CAPS_CHECK(CAP(CAP_SYS_TTY_CONFIG)) },
	{ "CapabilityBoundingSet=~CAP_SYS_PACCT",
	  "CapabilityBoundingSet_CAP_SYS_PACCT",
	  "Service cannot use acct()", "Service may use acct()", NULL, 25, 1,
	  CAPS_CHECK(CAP(CAP_SYS_PACCT)) },
	{ "CapabilityBoundingSet=~CAP_BPF", "CapabilityBoundingSet_CAP_BPF",
	  "Service may not load BPF programs", "Service may load BPF programs",
	  NULL, 25, 1, CAPS_CHECK(CAP(CAP_BPF)) },
	{ "UMask=", "UMask", NULL, NULL, NULL, 100, 10, .assess = assess_umask },
	{ "KeyringMode=", "KeyringMode",
	  "Service doesn't share key material with other services",
	  "Service shares key material with other service", NULL, 1000, 1,
	  .assess = assess_keyring_mode },
	{ "ProtectProc=", "ProtectProc",
	  "Service has restricted access to process tree (/proc hidepid=)",
	  "Service has full access to process tree (/proc hidepid=)", NULL,
	  1000, 3, .assess = assess_protect_proc },
	{ "ProcSubset=", "ProcSubset",
	  "Service has no access to non-process /proc files (/proc subset=)",
	  "Service has full access to non-process /proc files (/proc subset=)",
	  NULL, 10, 1, .assess = assess_proc_subset },
	{ "NotifyAccess=", "NotifyAccess",
	  "Service child processes cannot alter service state",
	  "Service child processes may alter service state", NULL, 1000, 1,
	  .assess = assess_notify_access },
	{ "RemoveIPC=", "RemoveIPC",
	  "Service user cannot leave SysV IPC objects around",
	  "Service user may leave SysV IPC objects around",
	  "Service runs as root, option does not apply", 100, 1,
	  .assess = assess_remove_ipc },
	{ "Delegate=", "Delegate",
	  "Service does not maintain its own delegated control group subtree",
	  "Service maintains its own delegated control group subtree", NULL,
	  100, 1, BOOL_CHECK(delegate), .invert = true },
	{ "RestrictRealtime=", "RestrictRealtime",
	  "Service realtime scheduling access is restricted",
	  "Service may acquire realtime scheduling", NULL, 500, 1,
	  BOOL_CHECK(restrict_realtime) },
	{ "RestrictSUIDSGID=", "RestrictSUIDSGID",
	  "SUID/SGID file creation by service is restricted",
	  "Service may create SUID/SGID files", NULL, 1000, 1,
	  BOOL_CHECK(restrict_suid_sgid) },
	{ "RestrictNamespaces=~user", "RestrictNamespaces_user",
	  "Service cannot create user namespaces",
	  "Service may create user namespaces", NULL, 1500, 1,
	  NS_CHECK(SECURITY_NS_USER) },
	{ "RestrictNamespaces=~mnt", "RestrictNamespaces_mnt",
	  "Service cannot create file system namespaces",
	  "Service may create file system namespaces", NULL, 500, 1,
	  NS_CHECK(SECURITY_NS_MNT) },
	{ "RestrictNamespaces=~ipc", "RestrictNamespaces_ipc",
	  "Service cannot create IPC namespaces",
	  "Service may create IPC namespaces", NULL, 500, 1,
	  NS_CHECK(SECURITY_NS_IPC) },
	{ "RestrictNamespaces=~pid", "RestrictNamespaces_pid",
	  "Service cannot create process namespaces",
	  "Service may create process namespaces", NULL, 500, 1,
	  NS_CHECK(SECURITY_NS_PID) },
	{ "RestrictNamespaces=~cgroup", "RestrictNamespaces_cgroup",
	  "Service cannot create cgroup namespaces",
	  "Service may create cgroup namespaces", NULL, 500, 1,
	  NS_CHECK(SECURITY_NS_CGROUP) },
	{ "RestrictNamespaces=~net", "RestrictNamespaces_net",
	  "Service cannot create network namespaces",
	  "Service may create network namespaces", NULL, 500, 1,
	  NS_CHECK(SECURITY_NS_NET) },
	{ "RestrictNamespaces=~uts", "RestrictNamespaces_uts",
	  "Service cannot create hostname namespaces",
	  "Service may create hostname namespaces", NULL, 100, 1,
	  NS_CHECK(SECURITY_NS_UTS) },
	{ "RestrictAddressFamilies=~AF_(INET|INET6)",
	  "RestrictAddressFamilies_AF_INET_INET6",
	  "Service cannot allocate Internet sockets",
	  "Service may allocate Internet sockets", NULL, 1500, 1,
	  BOOL_CHECK(af_inet_denied) },
	{ "RestrictAddressFamilies=~AF_UNIX", "RestrictAddressFamilies_AF_UNIX",
	  "Service cannot allocate local sockets",
	  "Service may allocate local sockets", NULL, 25, 1,
	  BOOL_CHECK(af_unix_denied) },
	{ "RestrictAddressFamilies=~AF_NETLINK",
	  "RestrictAddressFamilies_AF_NETLINK",
	  "Service cannot allocate netlink sockets",
	  "Service may allocate netlink sockets", NULL, 200, 1,
	  BOOL_CHECK(af_netlink_denied) },
	{ "RestrictAddressFamilies=~AF_PACKET",
	  "RestrictAddressFamilies_AF_PACKET",
	  "Service cannot allocate packet sockets",
	  "Service may allocate packet sockets", NULL, 1000, 1,
	  BOOL_CHECK(af_packet_denied) },
	{ "RestrictAddressFamilies=~...", "RestrictAddressFamilies_OTHER",
	  "Service cannot allocate exotic sockets",
	  "Service may allocate exotic sockets", NULL, 1250, 1,
	  BOOL_CHECK(af_other_denied) },
	{ "SystemCallArchitectures=", "SystemCallArchitectures", NULL, NULL,
	  NULL, 1000, 10, .assess = assess_syscall_archs },
	{ "SystemCallFilter=~@swap", "SystemCallFilter_swap", NULL, NULL, NULL,
	  1000, SYSCALL_CHECK(SECURITY_SYSCALL_SWAP) },
	{ "SystemCallFilter=~@obsolete", "SystemCallFilter_obsolete", NULL, NULL,
	  NULL, 250, SYSCALL_CHECK(SECURITY_SYSCALL_OBSOLETE) },
	{ "SystemCallFilter=~@clock", "SystemCallFilter_clock", NULL, NULL, NULL,
	  1000, SYSCALL_CHECK(SECURITY_SYSCALL_CLOCK) },
	{ "SystemCallFilter=~@cpu-emulation", "SystemCallFilter_cpu_emulation",
	  NULL, NULL, NULL, 250, SYSCALL_CHECK(SECURITY_SYSCALL_CPU_EMULATION) },
	{ "SystemCallFilter=~@debug", "SystemCallFilter_debug", NULL, NULL, NULL,
	  1000, SYSCALL_CHECK(SECURITY_SYSCALL_DEBUG) },
	{ "SystemCallFilter=~@mount", "SystemCallFilter_mount", NULL, NULL, NULL,
	  1000, SYSCALL_CHECK(SECURITY_SYSCALL_MOUNT) },
	{ "SystemCallFilter=~@module", "SystemCallFilter_module", NULL, NULL,
	  NULL, 1000, SYSCALL_CHECK(SECURITY_SYSCALL_MODULE) },
	{ "SystemCallFilter=~@raw-io", "SystemCallFilter_raw_io", NULL, NULL,
	  NULL, 1000, SYSCALL_CHECK(SECURITY_SYSCALL_RAW_IO) },
	{ "SystemCallFilter=~@reboot", "SystemCallFilter_reboot", NULL, NULL,
	  NULL, 1000, SYSCALL_CHECK(SECURITY_SYSCALL_REBOOT) },
	{ "SystemCallFilter=~@privileged", "SystemCallFilter_privileged", NULL,
	  NULL, NULL, 700, SYSCALL_CHECK(SECURITY_SYSCALL_PRIVILEGED) },
	{ "SystemCallFilter=~@resources", "SystemCallFilter_resources", NULL,
	  NULL, NULL, 700, SYSCALL_CHECK(SECURITY_SYSCALL_RESOURCES) },
	{ "IPAddressDeny=", "IPAddressDeny", NULL, NULL, NULL, 1000, 10,
	  .assess = assess_ip_address },
	{ "DeviceAllow=", "DeviceAllow", NULL, NULL, NULL, 1000, 10,
	  .assess = assess_device_allow },
	{ "AmbientCapabilities=", "AmbientCapabilities",
	  "Service process does not receive ambient capabilities",
	  "Service process receives ambient capabilities", NULL, 500, 1,
	  .assess = assess_ambient },
};

void security_info_init(struct security_info *info)
{
	*info = (struct security_info){
		.capability_bounding_set = UINT64_MAX,
		.umask = 0022,
		.keyring_mode = SECURITY_KEYRING_PRIVATE,
		.default_dependencies = true,
		.namespaces_allowed = SECURITY_NS_ALL,
	};
}

static unsigned div_round_up(unsigned long long a, unsigned long long b)
{
	return (unsigned)((a + b - 1) / b);
}

static int assess_one(const struct security_check *check,
		      const struct security_info *info,
		      struct security_row *row)
{
	int badness;
	const char *text;

	*row = (struct security_row){
		.name = check->name, .json_field = check->json_field,
		.weight = check->weight, .range = check->range,
	};
	if (check->default_dependencies_only && !info->default_dependencies) {
		describe(row, "Service runs in special boot phase, option is "
			 "not appropriate");
		return row->badness = SECURITY_NOT_APPLICABLE;
	}
	badness = check->assess(check, info, row);
	if (badness > (int)check->range)
		badness = (int)check->range;	/* a table bug; never past */
	row->badness = badness;
	if (row->description[0])
		return badness;
	text = badness == SECURITY_NOT_APPLICABLE ? check->na :
	       badness == 0 ? check->good :
	       badness == (int)check->range ? check->bad : NULL;
	describe(row, text ? text : "");
	return badness;
}

void security_assess(const struct security_info *info,
		     struct security_report *report)
{
	unsigned long long badness_sum = 0, weight_sum = 0;

	report->n_rows = SECURITY_N_CHECKS;
	for (size_t i = 0; i < SECURITY_N_CHECKS; i++) {
		const struct security_check *c = &checks[i];
		int b = assess_one(c, info, &report->rows[i]);

		if (b == SECURITY_NOT_APPLICABLE)
			continue;
		/* Each check rounded up on its own, as systemd sums. */
		badness_sum += div_round_up((unsigned long long)b * c->weight,
					    c->range);
		weight_sum += c->weight;
	}
	for (size_t i = 0; i < SECURITY_N_CHECKS; i++) {
		struct security_row *row = &report->rows[i];

		if (row->badness > 0)
			row->exposure = div_round_up(
				div_round_up((unsigned long long)row->badness *
					     row->weight * 100, row->range),
				weight_sum);
	}
	report->exposure = div_round_up(badness_sum * 100, weight_sum);
}

static int row_cmp(const void *a, const void *b)
{
	const struct security_row *x = a, *y = b;
	int r = strcmp(y->description, x->description);

	if (!r)
		r = strcmp(y->detail ? y->detail : "", x->detail ? x->detail : "");

	return r ? r : strcmp(x->name, y->name);
}

void security_report_sort(struct security_report *report)
{
	qsort(report->rows, report->n_rows, sizeof(report->rows[0]), row_cmp);
}

const char *security_level_name(unsigned exposure)
{
	static const struct {
		unsigned from;
		const char *name;
	} levels[] = {
		{ 100, "DANGEROUS" }, { 90, "UNSAFE" }, { 75, "EXPOSED" },
		{ 50, "MEDIUM" }, { 10, "OK" }, { 1, "SAFE" },
	};

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (exposure >= levels[i].from)
			return levels[i].name;
	return "PERFECT";
}

enum security_mark security_row_mark(const struct security_row *row)
{
	if (row->badness == SECURITY_NOT_APPLICABLE)
		return SECURITY_MARK_NA;
	return row->badness == 0 ? SECURITY_MARK_GOOD : SECURITY_MARK_BAD;
}
