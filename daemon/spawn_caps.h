/* spawn_caps: a service's capabilities, secure bits and no_new_privs
 * (systemd.exec(5)'s CapabilityBoundingSet=, AmbientCapabilities=,
 * SecureBits=, NoNewPrivileges=).
 *
 * svd works out what to do before the fork (spawn_caps_prepare: which
 * capabilities the kernel knows and svd holds, names for the messages);
 * the child applies it with raw prctl(), capget() and capset() system
 * calls only, nothing that allocates, in the order systemd's
 * exec_invoke() (src/core/exec-invoke.c) and capability-util.c use:
 *
 *   1. spawn_caps_before_user, as root: drop what the bounding set does
 *      not keep, set the inheritable set to the ambient one, and, when a
 *      User= follows and ambient capabilities are asked for, set
 *      SECBIT_KEEP_CAPS so the permitted set survives setresuid();
 *   2. setgroups, setresgid, setresuid (spawn.c);
 *   3. spawn_caps_after_user: raise each ambient capability (setresuid
 *      cleared the ambient set, whatever keep-caps says);
 *   4. spawn_caps_last, right before exec: the unit's secure bits, then
 *      PR_SET_NO_NEW_PRIVS. */
#ifndef SVD_SPAWN_CAPS_H
#define SVD_SPAWN_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unit.h"

/* What the child applies; all zero: nothing. */
struct spawn_caps {
	bool drop_bounding;	/* drop every capability not in bounding */
	uint64_t bounding;	/* capabilities the bounding set keeps */
	uint64_t ambient;	/* raised: inheritable, then ambient */
	bool set_securebits;	/* SecureBits= given */
	int securebits;		/* SECBIT_* */
	bool no_new_privs;	/* NoNewPrivileges=yes */
	int last_cap;		/* the kernel's highest capability */
};

/* Which setting a failing step of the child was applying. */
enum spawn_caps_step {
	SPAWN_CAPS_BOUNDING,	/* CapabilityBoundingSet= */
	SPAWN_CAPS_AMBIENT,	/* AmbientCapabilities= */
	SPAWN_CAPS_SECUREBITS,	/* SecureBits= */
	SPAWN_CAPS_NO_NEW_PRIVS, /* NoNewPrivileges= */
};

/* Whether this kernel has ambient capabilities (Linux 4.3 and later):
 * where it has not, '!!' commands run as root, as in systemd. */
bool spawn_caps_ambient_supported(void);

/* Fills *caps for a command of unit with the exec flags given (see
 * exec.h: '+' applies none of it; '!!' on a kernel without ambient
 * capabilities keeps CAP_SETUID, CAP_SETGID and CAP_SETPCAP in the
 * bounding set and raises no ambient ones, as systemd does). A
 * capability AmbientCapabilities= names that the service cannot get
 * (the kernel does not know it, CapabilityBoundingSet= or svd's own
 * bounding set leaves it out, svd does not hold it) fails: returns -1
 * with errno EPERM (EOPNOTSUPP: no ambient capabilities at all) and why
 * naming it. Those only implied by a "~" list are left out quietly. */
int spawn_caps_prepare(const struct unit *unit, unsigned exec_flags,
		       struct spawn_caps *caps, char *why, size_t size);

/* The child's steps (see above). Each returns 0, or -1 with errno and
 * *step (enum spawn_caps_step) set. Async-signal-safe. */
int spawn_caps_before_user(const struct spawn_caps *caps, bool switch_user,
			   int *step);
int spawn_caps_after_user(const struct spawn_caps *caps, int *step);
int spawn_caps_last(const struct spawn_caps *caps, int *step);

#endif
