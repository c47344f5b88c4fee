/* boot: what svd does first as the kernel's init on a board (PID 1 with
 * no COMMAND), before it loads any unit: mount the API filesystems the
 * kernel did not, open the console and the kernel log, set the hostname.
 * Every step that fails is logged and boot goes on: an init that stops
 * at the first error leaves a board nobody can log in to. */
#ifndef SVD_BOOT_H
#define SVD_BOOT_H

#include <stdbool.h>

struct boot_result {
	int kmsg_fd;		/* /dev/kmsg for writing, or -1 */
	bool console_ok;	/* stdio is a console, not /dev/null */
};

/* Runs the boot steps in order; logs go to the kernel log as soon as
 * /dev/kmsg can be opened. */
void boot_system(struct boot_result *result);

/* Mounts cgroup2 on /sys/fs/cgroup unless something is mounted there
 * (a hybrid or v1 tmpfs included). Not part of boot_system(): only when
 * svd.conf leaves cgroups on, since a mount of cgroup2 in the initial
 * cgroup namespace sets the whole hierarchy's mount options. */
void boot_mount_cgroup(void);

/* Reads the first hostname in path ("# comments" and blanks skipped):
 * 0 with name set, -1 with errno (EINVAL for a name the kernel would not
 * take). */
int boot_read_hostname(const char *path, char *name, unsigned size);

/* Whether path is the root of a mount. */
bool boot_is_mount_point(const char *path);

#endif
