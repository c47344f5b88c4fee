/* wants: the NAME.wants/ and NAME.requires/ directories of the unit
 * directories, as systemd reads them: each entry (a symlink, or a file
 * of that name as git stores a link) is a unit that NAME wants or
 * requires. Pure file reading: the daemon decides what the edges mean. */
#ifndef SVD_WANTS_H
#define SVD_WANTS_H

#include <stddef.h>

#include "unit.h"

/* Most entries wants_scan() returns; past it, it fails (E2BIG), as
 * unit_dir_list() does past UNIT_LIST_MAX_FILES. */
#define WANTS_MAX_ENTRIES 100000

struct wants_entry {
	char *owner;		/* the unit that wants or requires: "x.target" */
	enum unit_dep kind;	/* UNIT_DEP_WANTS or UNIT_DEP_REQUIRES */
	char *name;		/* the unit wanted or required */
};

struct wants {
	struct wants_entry *v;
	size_t n, cap;
};

/* Called for a NAME.wants/ path that could not be read (not for one
 * that is not a directory): the scan goes on without it. */
typedef void wants_diag_fn(void *ctx, const char *path, int err);

/* Appends the entries of every NAME.wants/ and NAME.requires/ of dirs
 * to out, in directory order and, within one, in readdir() order.
 * Returns -1 with errno (ENOMEM, E2BIG); out keeps what was read. */
int wants_scan(const char *const *dirs, size_t n_dirs, struct wants *out,
	       wants_diag_fn *diag, void *ctx);
/* Appends one entry (copies the names). Returns -1 with errno. */
int wants_add(struct wants *w, const char *owner, enum unit_dep kind,
	      const char *name);
void wants_free(struct wants *w);

#endif
