/* mounts: /etc/fstab at boot, for svd as init. Before any unit starts,
 * / is remounted with its fstab options, every entry without noauto is
 * mounted (parents before children, a bind's source before it) and every
 * swap entry is enabled; each failure is logged and boot goes on. The
 * .mount units svd makes up ask here whether their file system is there
 * (madeup.h): one of fstab's that is not is mounted then (a noauto entry
 * on demand, a failed one tried again), and when that fails the unit
 * fails saying what and why, and so do the units that require it. The
 * unmounting is the shutdown's (halt.h), in reverse order. */
#ifndef SVD_MOUNTS_H
#define SVD_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "fstab.h"

#define MOUNTS_FSTAB_PATH "/etc/fstab"

enum mounts_state {
	MOUNTS_PENDING,		/* not tried (noauto, or not yet) */
	MOUNTS_DONE,		/* mounted (or enabled, a swap) by svd */
	MOUNTS_THERE,		/* was mounted already */
	MOUNTS_FAILED,		/* why says what and why */
};

struct mounts_result {
	enum mounts_state state;
	char *why;	/* "mount /dev/vdb on /data (ext4): ENOENT (...)" */
};

struct mounts {
	char *path;		/* the fstab's, for messages */
	struct fstab tab;
	struct mounts_result *results;	/* one per tab entry */
	/* Where mounts look for devices; "" is the real root (tests may
	 * point them elsewhere). */
	const char *sys_block, *dev;
};

/* Reads the fstab at path (a missing file is an empty one; bad lines
 * are logged as "PATH:LINE: ..." and skipped). 0, or -1 with errno when
 * it cannot be read (m is then an empty fstab). */
int mounts_load(struct mounts *m, const char *path);

/* Remounts / per its entry, mounts the auto entries, enables the auto
 * swaps, logging each failure and one line of counts. */
void mounts_boot(struct mounts *m);

/* Whether something is mounted at point (plain) now: if not and the
 * fstab has an entry for it, mounts it first. False with why filled
 * ("mount LABEL=data on /data (ext4): ENOENT (No such file or
 * directory)", or "/data is not a mount point" with no entry). */
bool mounts_ensure(struct mounts *m, const char *point, char *why, size_t size);

/* The first failure of an auto entry without nofail, or NULL: what
 * local-fs.target fails by. */
const char *mounts_failed_required(const struct mounts *m);

/* Turns off the swaps mounts_boot() turned on, last first (the others,
 * the kernel's or another's, are not svd's to touch). */
void mounts_swapoff(struct mounts *m);

void mounts_free(struct mounts *m);

#endif
