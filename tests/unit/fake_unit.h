/* Hand-built units for daemon unit tests: no parser involved. */
#ifndef SVD_TEST_FAKE_UNIT_H
#define SVD_TEST_FAKE_UNIT_H

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static inline struct unit *fake_unit(enum unit_type type,
				     enum unit_restart restart, size_t n_exec)
{
	struct unit *unit = calloc(1, sizeof(*unit));

	unit->name = strdup("t.service");
	unit->type = type;
	unit->restart = restart;
	unit->restart_usec = UNIT_DEFAULT_RESTART_USEC;
	unit->timeout_stop_usec = UNIT_DEFAULT_TIMEOUT_STOP_USEC;
	unit->timeout_start_usec = UNIT_DEFAULT_TIMEOUT_START_USEC;
	unit->kill_signal = SIGTERM;
	unit->send_sigkill = true;
	unit->start_limit_burst = UNIT_DEFAULT_START_LIMIT_BURST;
	unit->start_limit_interval_usec = UNIT_DEFAULT_START_LIMIT_INTERVAL_USEC;
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
