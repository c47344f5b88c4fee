/* security_cmd: `svctl security [UNIT...]`, offline as `svctl verify`:
 * the units are read from the unit directories (or a path), never asked
 * of svd, so it works whether svd runs or not. */
#ifndef SVCTL_SECURITY_CMD_H
#define SVCTL_SECURITY_CMD_H

#include <stdbool.h>
#include <stddef.h>

/* Where svd reads units unless -u says (daemon/main.c's default). */
#define SECURITY_DEFAULT_UNIT_DIR "/etc/svd/units"

struct security_cmd {
	const char *const *dirs;	/* unit directories, first wins */
	size_t n_dirs;
	bool json, color, quiet;
	/* --threshold=: an exposure (0..100, tenths) above which a unit
	 * fails the command; 100 never does, as in systemd-analyze */
	unsigned threshold;
};

/* With units (names, or paths with a '/'): each one's checks; without,
 * one line per service of the directories. Returns svctl's exit code:
 * 0; 1 a unit above the threshold, with errors, masked or no service;
 * 4 no such unit (or not a valid name). */
int security_cmd_run(const struct security_cmd *cmd, char *const *units,
		     size_t n_units);

#endif
