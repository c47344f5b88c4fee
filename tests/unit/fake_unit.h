/* Hand-built units for daemon unit tests: no parser involved. */
#ifndef SVD_TEST_FAKE_UNIT_H
#define SVD_TEST_FAKE_UNIT_H

#include <stdlib.h>
#include <string.h>

#include "unit.h"

static inline struct unit *fake_unit(enum unit_type type,
				     enum unit_restart restart, size_t n_exec)
{
	/* The defaults an empty unit file gives, as the parser starts from. */
	struct unit *unit = unit_new();

	unit->name = strdup("t.service");
	unit->type = type;
	unit->restart = restart;
	unit->n_exec_start = n_exec;
	unit->exec_start = calloc(n_exec ? n_exec : 1, sizeof(*unit->exec_start));
	for (size_t i = 0; i < n_exec; i++) {
		unit->exec_start[i].path = strdup("/bin/true");
		unit->exec_start[i].line = strdup("/bin/true");
		unit->exec_start[i].argv = calloc(2, sizeof(char *));
		unit->exec_start[i].argv[0] = strdup("/bin/true");
	}
	return unit;
}

#endif
