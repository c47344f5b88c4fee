#include "security_unit.h"

#include <linux/sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <sys/socket.h>

#include "syscall_filter.h"

static enum security_notify_access notify_access(enum unit_notify_access a)
{
	switch (a) {
	case UNIT_NOTIFY_MAIN:
		return SECURITY_NOTIFY_MAIN;
	case UNIT_NOTIFY_EXEC:
		return SECURITY_NOTIFY_EXEC;
	case UNIT_NOTIFY_ALL:
		return SECURITY_NOTIFY_ALL;
	case UNIT_NOTIFY_NONE:
		break;
	}
	return SECURITY_NOTIFY_NONE;
}

static size_t count(char **list)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	return n;
}

/* Who the service runs as, and what it may do as that user. */
static void identity(const struct unit *u, struct security_info *out)
{
	out->user = u->user;
	out->n_supplementary_groups = count(u->supplementary_groups);
	/* Not given: svd leaves the bounding set as it is, every
	 * capability for svd as root. */
	out->capability_bounding_set = u->capability_bounding_set_given ?
				       u->capability_bounding_set : UINT64_MAX;
	out->ambient_capabilities = u->ambient_capabilities;
	out->no_new_privileges = unit_no_new_privileges(u);
	out->umask = (mode_t)u->umask;
	out->notify_access = notify_access(u->notify_access);
	out->root_directory = u->root_directory;
	/* svd has no RootImage= and no Delegate=: root_image NULL and
	 * delegate false are what it does. */
	out->dynamic_user = u->dynamic_user;
	out->keyring_mode = u->keyring_mode == UNIT_KEYRING_INHERIT ?
			    SECURITY_KEYRING_INHERIT :
			    u->keyring_mode == UNIT_KEYRING_SHARED ?
			    SECURITY_KEYRING_SHARED : SECURITY_KEYRING_PRIVATE;
	out->remove_ipc = unit_remove_ipc(u);
	/* DefaultDependencies= is not read by svd: it is taken as yes. */
}

/* The per-service mount namespace and the other namespace keys
 * (conf/sandbox_fs.h). */
static void mounts(const struct unit *u, struct security_info *out)
{
	static const enum security_protect_system systems[] = {
		[SANDBOX_SYSTEM_NO] = SECURITY_PROTECT_SYSTEM_NO,
		[SANDBOX_SYSTEM_YES] = SECURITY_PROTECT_SYSTEM_YES,
		[SANDBOX_SYSTEM_FULL] = SECURITY_PROTECT_SYSTEM_FULL,
		[SANDBOX_SYSTEM_STRICT] = SECURITY_PROTECT_SYSTEM_STRICT,
	};
	static const enum security_protect_home homes[] = {
		[SANDBOX_HOME_NO] = SECURITY_PROTECT_HOME_NO,
		[SANDBOX_HOME_YES] = SECURITY_PROTECT_HOME_YES,
		[SANDBOX_HOME_READ_ONLY] = SECURITY_PROTECT_HOME_READ_ONLY,
		[SANDBOX_HOME_TMPFS] = SECURITY_PROTECT_HOME_TMPFS,
	};
	static const enum security_protect_proc procs[] = {
		[SANDBOX_PROC_DEFAULT] = SECURITY_PROTECT_PROC_DEFAULT,
		[SANDBOX_PROC_NOACCESS] = SECURITY_PROTECT_PROC_NOACCESS,
		[SANDBOX_PROC_INVISIBLE] = SECURITY_PROTECT_PROC_INVISIBLE,
		[SANDBOX_PROC_PTRACEABLE] = SECURITY_PROTECT_PROC_PTRACEABLE,
	};
	const struct unit_sandbox_fs *s = u->fs_sandbox;

	if (!s)
		return;
	out->protect_system = systems[s->protect_system];
	out->protect_home = homes[s->protect_home];
	out->protect_proc = procs[s->protect_proc];
	out->proc_subset = s->proc_subset_pid ? SECURITY_PROC_SUBSET_PID :
			   SECURITY_PROC_SUBSET_ALL;
	out->private_tmp = s->private_tmp != SANDBOX_TMP_NO;
	out->private_devices = s->private_devices;
	out->private_network = s->private_network;
	out->private_users = s->private_users;
	/* PrivateMounts= is a setting of its own in systemd, which svd does
	 * not implement: false, as systemd-analyze reads it for such units. */
	out->protect_kernel_tunables = s->protect_kernel_tunables;
	out->protect_kernel_modules = s->protect_kernel_modules;
	out->protect_kernel_logs = s->protect_kernel_logs;
	out->protect_control_groups = s->protect_control_groups;
	out->protect_clock = s->protect_clock;
	out->protect_hostname = s->protect_hostname;
	/* What systemd implies: a closed device policy for PrivateDevices=,
	 * /dev/rtc read for ProtectClock= on top (svd's minimal /dev is the
	 * same confinement). */
	if (s->private_devices)
		out->device_policy = SECURITY_DEVICE_POLICY_CLOSED;
	if (s->protect_clock)
		out->device_allow = "char-rtc:r";
}

/* The seccomp settings (issue 16, item 2). */

static const char *const group_names[SECURITY_SYSCALL_GROUP_COUNT] = {
	[SECURITY_SYSCALL_CLOCK] = "@clock",
	[SECURITY_SYSCALL_CPU_EMULATION] = "@cpu-emulation",
	[SECURITY_SYSCALL_DEBUG] = "@debug",
	[SECURITY_SYSCALL_MODULE] = "@module",
	[SECURITY_SYSCALL_MOUNT] = "@mount",
	[SECURITY_SYSCALL_OBSOLETE] = "@obsolete",
	[SECURITY_SYSCALL_PRIVILEGED] = "@privileged",
	[SECURITY_SYSCALL_RAW_IO] = "@raw-io",
	[SECURITY_SYSCALL_REBOOT] = "@reboot",
	[SECURITY_SYSCALL_RESOURCES] = "@resources",
	[SECURITY_SYSCALL_SWAP] = "@swap",
};

static bool set_has(const struct syscall_set *set, int id)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->rules[mid].id == id)
			return true;
		if (set->rules[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* A call of group (nested groups followed) that the filter lets through,
 * as systemd looks at them one by one; NULL when none does. Calls this
 * architecture does not have are passed over, as systemd does. */
static const char *passes(const struct syscall_set *set,
			  const struct syscall_group *group, unsigned depth)
{
	for (const char *const *m = group->members; m && *m; m++) {
		if (**m == '@') {
			const struct syscall_group *inner = syscall_group_find(*m);
			const char *found = inner && depth < 8 ?
					    passes(set, inner, depth + 1) : NULL;

			if (found)
				return found;
			continue;
		}
		int id = seccomp_syscall_resolve_name(*m);

		if (id == __NR_SCMP_ERROR)
			continue;
		if (set->allow_list == set_has(set, id))
			return *m;
	}
	return NULL;
}

static void syscall_filter(const struct syscall_set *set,
			   struct security_info *out)
{
	if (!syscall_set_active(set))
		return;
	out->syscall_filter = set->allow_list ? SECURITY_SYSCALLS_ALLOW_LIST :
						SECURITY_SYSCALLS_DENY_LIST;
	for (int g = 0; g < SECURITY_SYSCALL_GROUP_COUNT; g++) {
		const struct syscall_group *group = syscall_group_find(group_names[g]);
		const char *through = group ? passes(set, group, 0) : NULL;

		if (through)
			out->syscall_example[g] = through;
		else
			out->syscall_groups_blocked |= SECURITY_SYSCALL_BIT(g);
	}
}

static bool af_denied(const struct unit_syscall_sandbox *sb, int family)
{
	bool listed = sb->address_families & (UINT64_C(1) << family);

	if (!sb->address_families_started)
		return false;
	return sb->address_families_allow_list ? !listed : listed;
}

/* Every family but the five systemd names is refused: only an allow
 * list can say so (a deny list would have to name them all). */
static bool af_others_denied(const struct unit_syscall_sandbox *sb)
{
	uint64_t named = (UINT64_C(1) << AF_INET) | (UINT64_C(1) << AF_INET6) |
			 (UINT64_C(1) << AF_UNIX) | (UINT64_C(1) << AF_NETLINK) |
			 (UINT64_C(1) << AF_PACKET);

	return sb->address_families_started && sb->address_families_allow_list &&
	       !(sb->address_families & ~named);
}

static void namespaces(unsigned long allowed, struct security_info *out)
{
	static const struct { unsigned long flag; enum security_namespace ns; } map[] = {
		{ CLONE_NEWUSER, SECURITY_NS_USER }, { CLONE_NEWNS, SECURITY_NS_MNT },
		{ CLONE_NEWIPC, SECURITY_NS_IPC }, { CLONE_NEWPID, SECURITY_NS_PID },
		{ CLONE_NEWCGROUP, SECURITY_NS_CGROUP }, { CLONE_NEWNET, SECURITY_NS_NET },
		{ CLONE_NEWUTS, SECURITY_NS_UTS },
	};

	if (allowed == SYSCALL_NAMESPACES_UNSET)
		return;
	out->namespaces_allowed = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (allowed & map[i].flag)
			out->namespaces_allowed |= SECURITY_NS_BIT(map[i].ns);
}

static void syscalls(const struct unit *u, struct security_info *out)
{
	const struct unit_syscall_sandbox *sb = u->syscall_sandbox;

	if (!sb)
		return;
	/* Bit 0 of archs is "native" (syscall_archs[0]). */
	out->syscall_archs = !sb->archs ? SECURITY_ARCHS_ANY :
			     sb->archs == 1 ? SECURITY_ARCHS_NATIVE :
			     SECURITY_ARCHS_SEVERAL;
	syscall_filter(&sb->filter, out);
	out->af_inet_denied = af_denied(sb, AF_INET) && af_denied(sb, AF_INET6);
	out->af_unix_denied = af_denied(sb, AF_UNIX);
	out->af_netlink_denied = af_denied(sb, AF_NETLINK);
	out->af_packet_denied = af_denied(sb, AF_PACKET);
	out->af_other_denied = af_others_denied(sb);
	namespaces(sb->restrict_namespaces, out);
	out->restrict_realtime = sb->restrict_realtime;
	out->restrict_suid_sgid = sb->restrict_suid_sgid;
	out->lock_personality = sb->lock_personality;
	out->memory_deny_write_execute = sb->memory_deny_write_execute;
}

void security_info_from_unit(const struct unit *u, struct security_info *out)
{
	security_info_init(out);
	identity(u, out);
	mounts(u, out);
	syscalls(u, out);
	/* IPAddressDeny=/IPAddressAllow= and DevicePolicy=/DeviceAllow=
	 * are not enforced by svd (no BPF programs): left open. */
}
