/* caps: the values of systemd.exec(5)'s capability keys
 * (CapabilityBoundingSet=, AmbientCapabilities=, SecureBits=), as
 * systemd reads them. Capability names and numbers come from libcap
 * (cap_from_name(), cap_to_name()), so svd knows the names the system's
 * libcap knows; numbers 0-63 are taken as they are. Pure functions: no
 * system call of their own. */
#ifndef SVD_CAPS_H
#define SVD_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/* Capabilities are bits of a uint64_t, as in the kernel's masks. */
#define CAPS_MAX 64
#define CAPS_BIT(cap) (UINT64_C(1) << (cap))

/* "CAP_NET_ADMIN", "cap_net_admin" (any case) or a number 0-63 -> its
 * number; -1 for anything else. */
int caps_from_name(const char *name);

/* The lowercase name of cap ("cap_net_admin", or "45" for a number
 * libcap has no name for) in buf, which it returns. */
const char *caps_name(int cap, char *buf, unsigned size);

/* The highest capability number the running kernel knows, as libcap
 * found it when it was loaded (/proc/sys/kernel/cap_last_cap, or its
 * probe where /proc is missing); at most 63. */
int caps_last_cap(void);

/* systemd's rule for one more assignment of the capabilities sum to a
 * set: a first assignment (first), or an empty list (sum 0: "" or "~"
 * alone), replaces the set, with sum's complement for "~" (invert);
 * later ones are ORed into it, or with "~" take theirs out of it.
 * Returns the new set. */
uint64_t caps_merge(uint64_t set, bool first, uint64_t sum, bool invert);

/* A SecureBits= word ("keep-caps", "noroot-locked", ...) -> its
 * SECBIT_* mask; -1 for anything else. */
int caps_securebit_from_word(const char *word);

#endif
