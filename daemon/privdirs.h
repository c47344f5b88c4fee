/* privdirs: StateDirectory=, CacheDirectory= and LogsDirectory= of a
 * DynamicUser= service, arranged as systemd arranges them. The directory
 * is ROOT/private/NAME, owned by the dynamic uid; ROOT/private is root's,
 * 0700, so that whoever holds a recycled uid later cannot reach what an
 * earlier holder left; ROOT/NAME is a symlink to private/NAME, so paths
 * read the same. The service itself reaches its directories through a
 * mount namespace of its own (spawn.h, struct spawn_private): there
 * ROOT/private is an empty tmpfs with only its own directories bound in. */
#ifndef SVD_PRIVDIRS_H
#define SVD_PRIVDIRS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spawn.h"
#include "unit.h"

/* Directories deep in a private one that are chowned to a new uid; a
 * deeper tree is left as it is, and said. */
#define PRIVDIRS_CHOWN_DEPTH_MAX 64

/* The owner of the first of unit's private directories that exists, or
 * (uid_t)-1: the uid to give its dynamic user again, so that its files
 * need no chown. */
uid_t privdirs_owner(const struct unit *unit, char *const *roots);

/* Makes them for uid and gid (same number) with the unit's ...Mode=: a
 * plain ROOT/NAME left from before DynamicUser= is moved in, a directory
 * owned by another uid (an earlier dynamic one) is chowned through.
 * Returns -1 with why set ("StateDirectory=foo: symlink /var/lib/foo: ..."). */
int privdirs_make(const struct unit *unit, char *const *roots, uid_t uid,
		  char *why, size_t size);

/* What the child binds (spawn_private), made from the unit's names;
 * empty (n_dirs 0) for a unit without such directories. -1: ENOMEM. */
int privdirs_mounts(const struct unit *unit, char *const *roots,
		    struct spawn_private *out);
void privdirs_mounts_free(struct spawn_private *mounts);

#endif
