/* madeup: the units svd makes up for names that have no file. A
 * NAME.target is a synchronization point, reached once what it pulls in
 * is settled. svd has no mount or device units of systemd's kind (it
 * mounts nothing, it has no udev): a NAME.mount stands for its path
 * being a mount point, a NAME.device for its device node existing, both
 * checked when the unit is started. And RequiresMountsFor=, which names
 * the .mount units of the file systems /etc/fstab mounts at a path or
 * above it. */
#ifndef SVD_MADEUP_H
#define SVD_MADEUP_H

#include <stdbool.h>
#include <stddef.h>

#include "unit.h"

/* Where RequiresMountsFor= learns which file systems are to be mounted. */
#define MADEUP_FSTAB_PATH "/etc/fstab"
/* Most mount points read from the fstab; past it, the rest is ignored
 * (logged). */
#define MADEUP_FSTAB_MAX_ENTRIES 4096

/* The kind svd makes name up as (a .target, .mount or .device name);
 * false for any other. */
bool madeup_kind(const char *name, enum unit_kind *kind);

/* The unit made up for name: nothing to run, active once started while
 * what it stands for is there. NULL with *why a static phrase: a .mount
 * or .device name that is no path, or out of memory. */
struct unit *madeup_unit(const char *name, const char **why);

/* Whether what a made-up .mount or .device unit stands for is there
 * now; false with why written ("/data is not a mount point"). True for
 * any other unit. */
bool madeup_check(const struct unit *unit, char *why, size_t size);

/* The mount points of the fstab at path, plain (as RequiresMountsFor=
 * paths are), without "/", swap and entries that are no absolute path.
 * A missing file is an empty list. 0, or -1 with errno (the list then
 * holds what was read). */
int madeup_fstab_read(const char *path, char ***points);

/* The .mount names RequiresMountsFor=path means: one for each mount
 * point among points that is path or above it, outermost first. NULL
 * with errno ENOMEM; an empty list when there is none. */
char **madeup_mounts_for(char *const *points, const char *path);

#endif
