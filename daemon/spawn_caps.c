/* spawn_caps: see spawn_caps.h. The kernel's interfaces are used raw
 * (<linux/capability.h>, prctl): libcap's cap_get_proc() and
 * cap_set_proc() allocate, which a vfork child must not. */
#include "spawn_caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "exec.h"
#include "log.h"

/* A process's three capability sets, as 64-bit masks. */
struct cap_sets {
	uint64_t effective, permitted, inheritable;
};

static int sets_get(struct cap_sets *sets)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &header, data) < 0)
		return -1;
	sets->effective = data[0].effective | (uint64_t)data[1].effective << 32;
	sets->permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
	sets->inheritable = data[0].inheritable |
			    (uint64_t)data[1].inheritable << 32;
	return 0;
}

static int sets_set(const struct cap_sets *sets)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {
		{ (uint32_t)sets->effective, (uint32_t)sets->permitted,
		  (uint32_t)sets->inheritable },
		{ (uint32_t)(sets->effective >> 32), (uint32_t)(sets->permitted >> 32),
		  (uint32_t)(sets->inheritable >> 32) },
	};

	return (int)syscall(SYS_capset, &header, data);
}

/* Dropping from the bounding set and setting secure bits take
 * CAP_SETPCAP in the effective set: after setresuid() to a user only the
 * permitted set kept it (keep-caps), and the kernel may have left it out
 * of PID 1's effective set. Raised from the permitted set where it is
 * there; exec recomputes the effective set anyway. */
static void gain_setpcap(void)
{
	struct cap_sets sets;

	if (sets_get(&sets) < 0 || (sets.effective & CAPS_BIT(CAP_SETPCAP)) ||
	    !(sets.permitted & CAPS_BIT(CAP_SETPCAP)))
		return;
	sets.effective |= CAPS_BIT(CAP_SETPCAP);
	sets_set(&sets);	/* failing: the step that needs it says so */
}

bool spawn_caps_ambient_supported(void)
{
	/* systemd's test: any answer but "no such option" means yes. */
	return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0) >= 0 ||
	       (errno != EINVAL && errno != EOPNOTSUPP && errno != ENOSYS);
}

/* Why the service cannot get ambient capability cap, or NULL. */
static const char *ambient_refused(const struct spawn_caps *caps, int cap,
				   const struct cap_sets *own)
{
	if (cap > caps->last_cap)
		return "the running kernel does not know it";
	if (caps->drop_bounding && !(caps->bounding & CAPS_BIT(cap)))
		return "CapabilityBoundingSet= leaves it out";
	if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1)
		return "not in svd's own bounding set";
	if (!(own->permitted & CAPS_BIT(cap)))
		return "svd itself does not hold it";
	return NULL;
}

/* The ambient set the service gets: named capabilities it cannot get
 * fail the start; those a "~" implied are left out. */
static int prepare_ambient(const struct unit *unit, struct spawn_caps *caps,
			   char *why, size_t size)
{
	uint64_t want = unit->ambient_capabilities;
	struct cap_sets own;

	if (!spawn_caps_ambient_supported()) {
		snprintf(why, size, "AmbientCapabilities=: this kernel has no "
			 "ambient capabilities");
		errno = EOPNOTSUPP;
		return -1;
	}
	if (sets_get(&own) < 0) {
		int err = errno;
		char errbuf[160];

		snprintf(why, size, "AmbientCapabilities=: capget: %s",
			 log_errno_text(err, errbuf, sizeof(errbuf)));
		errno = err;
		return -1;
	}
	for (int cap = 0; cap < CAPS_MAX; cap++) {
		const char *refused;
		char name[32];

		if (!(want & CAPS_BIT(cap)) ||
		    !(refused = ambient_refused(caps, cap, &own)))
			continue;
		if (unit->ambient_capabilities_named & CAPS_BIT(cap)) {
			snprintf(why, size, "AmbientCapabilities=%s: %s",
				 caps_name(cap, name, sizeof(name)), refused);
			errno = EPERM;
			return -1;
		}
		want &= ~CAPS_BIT(cap);
	}
	caps->ambient = want;
	return 0;
}

int spawn_caps_prepare(const struct unit *unit, unsigned exec_flags,
		       struct spawn_caps *caps, char *why, size_t size)
{
	/* '!!' where ambient capabilities are missing: the command runs
	 * as root to drop what it needs itself, with what it takes. */
	bool ambient_fallback = (exec_flags & EXEC_FLAG_AMBIENT_MAGIC) &&
				!spawn_caps_ambient_supported();
	uint64_t all;

	*caps = (struct spawn_caps){ .last_cap = caps_last_cap() };
	/* '+': full privileges, none of these settings. */
	if (exec_flags & EXEC_FLAG_FULL_PRIVILEGES)
		return 0;
	all = caps->last_cap >= CAPS_MAX - 1 ? UINT64_MAX :
	      CAPS_BIT(caps->last_cap + 1) - 1;
	if (unit->capability_bounding_set_given) {
		caps->bounding = unit->capability_bounding_set & all;
		if (ambient_fallback)
			caps->bounding |= CAPS_BIT(CAP_SETUID) | CAPS_BIT(CAP_SETGID) |
					  CAPS_BIT(CAP_SETPCAP);
		caps->drop_bounding = caps->bounding != all;
	}
	if (unit->ambient_capabilities && !ambient_fallback &&
	    prepare_ambient(unit, caps, why, size) < 0)
		return -1;
	caps->set_securebits = unit->secure_bits_given;
	caps->securebits = unit->secure_bits;
	caps->no_new_privs = unit_no_new_privileges(unit);
	return 0;
}

/* Drops from the bounding set what it does not keep: a capability
 * that cannot be dropped only matters if it is there (systemd's
 * capability_bounding_set_drop()). */
static int drop_bounding(const struct spawn_caps *caps)
{
	gain_setpcap();
	for (int cap = 0; cap <= caps->last_cap; cap++) {
		int err;

		if (caps->bounding & CAPS_BIT(cap) ||
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		err = errno;
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 0) {
			errno = err;
			return -1;
		}
	}
	return 0;
}

/* The inheritable set: exactly the ambient capabilities (the kernel
 * raises an ambient one only where it is inheritable too), else without
 * what the bounding set dropped, so that exec cannot give those back. */
static int set_inheritable(const struct spawn_caps *caps)
{
	struct cap_sets sets;
	uint64_t inheritable;

	if (sets_get(&sets) < 0)
		return -1;
	inheritable = caps->ambient ? caps->ambient : sets.inheritable;
	if (caps->drop_bounding)
		inheritable &= caps->bounding;
	if (inheritable == sets.inheritable)
		return 0;
	sets.inheritable = inheritable;
	return sets_set(&sets);
}

/* Before setresuid(): the unit's secure bits while svd may still set
 * them, with keep-caps for ambient capabilities so that the permitted
 * set survives (as systemd's enforce_user()); keep-caps is not locked
 * yet where the unit wants it off, spawn_caps_last() puts it right. */
static int securebits_before_user(const struct spawn_caps *caps)
{
	int now = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	int want;

	if (now < 0)
		return -1;
	want = caps->set_securebits ? caps->securebits : now;
	if (caps->ambient && !(want & SECBIT_KEEP_CAPS))
		want = (want | SECBIT_KEEP_CAPS) & ~SECBIT_KEEP_CAPS_LOCKED;
	if (want == now)
		return 0;
	return prctl(PR_SET_SECUREBITS, want, 0, 0, 0);
}

int spawn_caps_before_user(const struct spawn_caps *caps, bool switch_user,
			   int *step)
{
	*step = SPAWN_CAPS_BOUNDING;
	if (caps->drop_bounding && drop_bounding(caps) < 0)
		return -1;
	if (caps->ambient)
		*step = SPAWN_CAPS_AMBIENT;
	if ((caps->drop_bounding || caps->ambient) && set_inheritable(caps) < 0)
		return -1;
	*step = SPAWN_CAPS_SECUREBITS;
	if (switch_user && (caps->ambient || caps->set_securebits) &&
	    securebits_before_user(caps) < 0)
		return -1;
	return 0;
}

/* Each ambient capability raised, every other one lowered: what svd
 * had in its own ambient set is not the service's business (systemd's
 * capability_ambient_set_apply()). */
int spawn_caps_after_user(const struct spawn_caps *caps, int *step)
{
	*step = SPAWN_CAPS_AMBIENT;
	if (!caps->ambient)
		return 0;
	for (int cap = 0; cap <= caps->last_cap; cap++) {
		int set;

		if (caps->ambient & CAPS_BIT(cap)) {
			if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
				return -1;
			continue;
		}
		set = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0);
		if (set < 0 || (set == 1 && prctl(PR_CAP_AMBIENT,
						  PR_CAP_AMBIENT_LOWER, cap, 0, 0) < 0))
			return -1;
	}
	return 0;
}

int spawn_caps_last(const struct spawn_caps *caps, int *step)
{
	*step = SPAWN_CAPS_SECUREBITS;
	if (caps->set_securebits &&
	    prctl(PR_GET_SECUREBITS, 0, 0, 0, 0) != caps->securebits) {
		gain_setpcap();
		if (prctl(PR_SET_SECUREBITS, caps->securebits, 0, 0, 0) < 0)
			return -1;
	}
	*step = SPAWN_CAPS_NO_NEW_PRIVS;
	if (caps->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return 0;
}
