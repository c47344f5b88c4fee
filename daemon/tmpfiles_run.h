/* tmpfiles_run: one whole tmpfiles run, as `systemd-tmpfiles --create
 * --remove [--boot]`: the files found (or named), their lines parsed with
 * this system's specifiers, then applied. It runs in svd itself only
 * before the event loop starts (TmpfilesAtStart=); `svctl tmpfiles` runs
 * it in a helper process (`svd --tmpfiles`, tmpfiles_cmd.h), so that a
 * large tree never holds up svd's loop. */
#ifndef SVD_TMPFILES_RUN_H
#define SVD_TMPFILES_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"
#include "tmpfiles.h"

struct tmpfiles_run_opts {
	const struct settings *settings; /* directories, root, %t %S %C %L */
	char *const *files;	/* NULL: every file of the directories */
	size_t n_files;
	bool create, remove, boot;
	tmpfiles_diag_fn *diag;
	void *ctx;
};

/* The directories of settings (TmpfilesDirectories= or the defaults),
 * NULL-terminated; *n gets their count. */
const char *const *tmpfiles_run_dirs(const struct settings *settings,
				     size_t *n);
/* Returns how many lines (or files) failed; every problem went to diag. */
unsigned tmpfiles_run(const struct tmpfiles_run_opts *opts);

/* `svd --tmpfiles [--create] [--remove] [--boot] [-c FILE] [FILE...]`:
 * the run, each problem one line on stdout ("error: FILE:LINE: ...",
 * "warning: ..."). Exit status 0, 1 when a line failed, 2 usage. */
int tmpfiles_run_main(int argc, char **argv, const char *default_config);

#endif
