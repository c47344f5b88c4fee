/* service_state: one service to and from its record of the state
 * image (state.h), for a re-exec (reexec.h). */
#ifndef SVD_SERVICE_STATE_H
#define SVD_SERVICE_STATE_H

#include <stddef.h>

#include "service.h"
#include "state.h"

/* Fills u with what service holds now. -1 with errno (ENOMEM). */
int service_state_save(struct service *service, struct state_unit *u);
/* Gives service what u says, as the old svd had it: state, pids,
 * counters, timers with the time that was left, pipes, sockets, log
 * lines. Nothing is spawned or killed. Returns 0, or -1 with why
 * filled when a part could not be restored (the rest is). */
int service_state_restore(struct service *service, const struct state_unit *u,
			  char *why, size_t size);

#endif
