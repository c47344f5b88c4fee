/* halt: the last steps of svd as init, once every service is stopped
 * and every process swept: sync, unmount (or remount read-only) the
 * filesystems, and reboot(2). And what PID 1 does when it cannot go on:
 * stay up reaping, since its exit would panic the kernel. */
#ifndef SVD_HALT_H
#define SVD_HALT_H

#include <stdbool.h>

enum halt_action {
	HALT_NONE,	/* only stop: svd exits (not init) */
	HALT_REBOOT,
	HALT_POWEROFF,
	HALT_HALT,
};

/* "reboot", "poweroff", "halt" or "stop". */
const char *halt_action_name(enum halt_action action);

/* Syncs, unmounts what can be and remounts the rest read-only (the
 * kernel's own filesystems, proc, sysfs, devtmpfs..., are left alone), then
 * calls reboot(2). In a PID namespace that ends the namespace: its
 * parent sees init killed by SIGHUP (reboot) or SIGINT (poweroff, halt).
 * Returns only when reboot(2) failed, after logging why. */
void halt_system(enum halt_action action);

/* Unescapes a mount point as /proc/self/mountinfo writes it ("\040" for
 * a space), in place. */
void halt_unescape_mount_point(char *path);
/* Splits one /proc/self/mountinfo line in place into its mount point
 * (unescaped) and filesystem type. False for a line of another shape. */
bool halt_parse_mountinfo_line(char *line, char **point, char **fstype);

/* Reaps children forever and never returns. Async-signal-safe: the
 * crash handler ends here too. */
_Noreturn void halt_freeze(void);

#endif
