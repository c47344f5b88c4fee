#include "security_unit.h"

#include <stdint.h>

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
	out->no_new_privileges = u->no_new_privileges;
	out->umask = (mode_t)u->umask;
	out->notify_access = notify_access(u->notify_access);
	out->root_directory = u->root_directory;
	/* svd has no RootImage= and no Delegate=: root_image NULL and
	 * delegate false are what it does. */
	/* LEAD: wire DynamicUser= from u->dynamic_user after the merge */
	/* LEAD: wire KeyringMode= from u->keyring_mode after the merge (until then the row shows systemd's default, private, though svd gives no keyring of its own) */
	/* LEAD: wire RemoveIPC= from u->remove_ipc after the merge */
	/* DefaultDependencies= is not read by svd: it is taken as yes. */
}

/* The per-service mount namespace (issue 16, item 1). */
static void mounts(const struct unit *u, struct security_info *out)
{
	/* LEAD: wire ProtectSystem= from u->protect_system after the merge */
	/* LEAD: wire ProtectHome= from u->protect_home after the merge */
	/* LEAD: wire PrivateTmp= from u->private_tmp after the merge */
	/* LEAD: wire PrivateDevices= from u->private_devices after the merge */
	/* LEAD: wire PrivateNetwork= from u->private_network after the merge */
	/* LEAD: wire PrivateUsers= from u->private_users after the merge */
	/* LEAD: wire PrivateMounts= from u->private_mounts after the merge (also true when any mount key implies a namespace of its own, as systemd's PrivateMounts property is the setting only) */
	/* LEAD: wire ProtectKernelTunables= from u->protect_kernel_tunables after the merge */
	/* LEAD: wire ProtectKernelModules= from u->protect_kernel_modules after the merge */
	/* LEAD: wire ProtectKernelLogs= from u->protect_kernel_logs after the merge */
	/* LEAD: wire ProtectControlGroups= from u->protect_control_groups after the merge */
	/* LEAD: wire ProtectClock= from u->protect_clock after the merge */
	/* LEAD: wire ProtectHostname= from u->protect_hostname after the merge */
	/* LEAD: wire ProtectProc= from u->protect_proc after the merge */
	/* LEAD: wire ProcSubset= from u->proc_subset after the merge */
	/* LEAD: wire DevicePolicy=/DeviceAllow= from u->private_devices after the merge (systemd implies device_policy CLOSED for PrivateDevices=yes, and device_allow "char-rtc:r" for ProtectClock=yes on top; svd's minimal /dev is the same confinement) */
	(void)u;
	(void)out;
}

/* The seccomp settings (issue 16, item 2). */
static void syscalls(const struct unit *u, struct security_info *out)
{
	/* LEAD: wire SystemCallArchitectures= from u->syscall_archs after the merge ("native" alone: SECURITY_ARCHS_NATIVE) */
	/* LEAD: wire SystemCallFilter= from u->syscall_filter after the merge (kind into syscall_filter; syscall_groups_blocked: a bit per group none of whose calls gets through; syscall_example[group]: one call of a group that does, optional) */
	/* LEAD: wire RestrictAddressFamilies= from u->restrict_address_families after the merge (af_*_denied: AF_INET/AF_INET6, AF_UNIX, AF_NETLINK, AF_PACKET, any other) */
	/* LEAD: wire RestrictNamespaces= from u->restrict_namespaces after the merge (namespaces_allowed: SECURITY_NS_BIT per type it may create) */
	/* LEAD: wire RestrictRealtime= from u->restrict_realtime after the merge */
	/* LEAD: wire RestrictSUIDSGID= from u->restrict_suid_sgid after the merge */
	/* LEAD: wire LockPersonality= from u->lock_personality after the merge */
	/* LEAD: wire MemoryDenyWriteExecute= from u->memory_deny_write_execute after the merge */
	(void)u;
	(void)out;
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
