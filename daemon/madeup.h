/* madeup: the units svd makes up for names that have no file. A
 * NAME.target is a synchronization point, reached once what it pulls in
 * is settled. svd has no mount or device units of systemd's kind (it has
 * no udev, and mounts fstab's file systems at boot, mounts.h): a
 * NAME.mount stands for its path being a mount point (one of fstab's is
 * mounted when it is not), a NAME.device for its device node existing,
 * both checked when the unit is started. And RequiresMountsFor=, which
 * names the .mount units of the file systems /etc/fstab mounts at a path
 * or above it. */
#ifndef SVD_MADEUP_H
#define SVD_MADEUP_H

#include <stdbool.h>
#include <stddef.h>

#include "unit.h"

struct mounts;

/* Where RequiresMountsFor= learns which file systems are to be mounted. */
#define MADEUP_FSTAB_PATH "/etc/fstab"
/* Reached once fstab's mounts are: it fails when one of them failed
 * that has neither nofail nor noauto. */
#define MADEUP_LOCAL_FS_TARGET "local-fs.target"

/* The kind svd makes name up as (a .target, .mount or .device name);
 * false for any other. */
bool madeup_kind(const char *name, enum unit_kind *kind);

/* The unit made up for name: nothing to run, active once started while
 * what it stands for is there. NULL with *why a static phrase: a .mount
 * or .device name that is no path, or out of memory. */
struct unit *madeup_unit(const char *name, const char **why);

/* Whether what a made-up .mount or .device unit stands for is there
 * now; false with why written ("/data is not a mount point"). With
 * mounts (svd as init), a .mount of fstab's is mounted first if it is
 * not (mounts.h), and local-fs.target fails by a failed mount. True for
 * any other unit. */
bool madeup_check(const struct unit *unit, struct mounts *mounts, char *why,
		  size_t size);

/* The mount points of the fstab at path, plain (as RequiresMountsFor=
 * paths are), without "/", swap and entries that are no absolute path.
 * A missing file is an empty list; bad lines are skipped quietly. 0, or
 * -1 with errno (the list then holds what was read). */
int madeup_fstab_read(const char *path, char ***points);

/* The .mount names RequiresMountsFor=path means: one for each mount
 * point among points that is path or above it, outermost first. NULL
 * with errno ENOMEM; an empty list when there is none. */
char **madeup_mounts_for(char *const *points, const char *path);

#endif
