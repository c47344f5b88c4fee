/* condition: evaluating a unit's Condition*= and Assert*= before each
 * start, as systemd does: every plain one must hold, and of the triggers
 * ("|"), if there are any, at least one. A failed condition skips the
 * start (the unit stays inactive); a failed assertion fails it. */
#ifndef SVD_CONDITION_H
#define SVD_CONDITION_H

#include <stdbool.h>

#include "unit.h"

enum condition_verdict {
	CONDITION_PASS,
	CONDITION_SKIP,		/* a Condition*= does not hold */
	CONDITION_FAIL,		/* an Assert*= does not hold */
};

/* Checks unit's conditions; on SKIP or FAIL writes which one to why. */
enum condition_verdict condition_check(const struct unit *unit, char *why,
				       unsigned size);

/* One test, before "!": true when it holds. */
bool condition_holds(const struct unit_condition *c);

/* What this system runs in: "none", or a name systemd-detect-virt would
 * print ("docker", "podman", "lxc", "kvm", "qemu", "vmware", ...), with
 * its kind ("vm" or "container"). */
const char *condition_virtualization(const char **kind);

#endif
