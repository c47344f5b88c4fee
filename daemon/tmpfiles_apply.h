/* tmpfiles_apply: parsed tmpfiles.d lines made true on the file system,
 * under a root directory (tmpfiles_fs.h says how paths stay in it).
 *
 * As systemd-tmpfiles: with remove, r and R lines and the contents of D
 * directories go first; then, with create, every line that makes
 * something (in path order, so a directory before what it holds), then
 * those that change what exists (w e z Z, whose paths may be globs).
 * x and X only matter to --clean, which svd does not do (ages are parsed
 * and checked, never used). Each failure is reported as
 * "FILE:LINE: PATH: what: ERRNO (text)" and the next line goes on. */
#ifndef SVD_TMPFILES_APPLY_H
#define SVD_TMPFILES_APPLY_H

#include <stdbool.h>

#include "tmpfiles.h"

struct tmpfiles_apply_opts {
	const char *root;	/* "/" or a directory the paths are under */
	bool create;		/* --create */
	bool remove;		/* --remove */
	tmpfiles_diag_fn *diag;
	void *ctx;
};

/* Returns how many lines failed (a '-' line's failure is a warning and
 * not counted), or -1 when root cannot be opened (reported). */
int tmpfiles_apply(const struct tmpfiles_list *list,
		   const struct tmpfiles_apply_opts *opts);

#endif
