/* actions: what a service's end asks of svd and of other units:
 * FailureAction=/SuccessAction= with their exit statuses, and
 * OnFailure=/OnSuccess= (systemd.unit(5)). The decisions are here; the
 * daemon carries them out. */
#ifndef SVD_ACTIONS_H
#define SVD_ACTIONS_H

#include "halt.h"
#include "svc.h"
#include "unit.h"

enum actions_end {
	ACTIONS_END_NONE,	/* not an end */
	ACTIONS_END_FAILED,	/* it entered failed (a start limit hit too) */
	ACTIONS_END_SUCCEEDED,	/* it stopped, after running, not failed */
};

/* What a change of state from `from` to `to` is. An automatic restart is
 * no end: a service that keeps failing ends when it gives up (failed). */
enum actions_end actions_end_of(enum svc_state from, enum svc_state to);

/* The unit's action for that end, and the unit names to start. */
enum unit_action actions_action(const struct unit *unit, enum actions_end end);
char *const *actions_units(const struct unit *unit, enum actions_end end);

/* The status svd exits with for an exit action: the unit's
 * *ActionExitStatus=, else its main process's own status (the exit code,
 * 128+N for signal N), else 1 for a failure and 0 for a success. */
int actions_exit_status(const struct svc *svc, enum actions_end end);

/* As init: what the action does to the system (exit is poweroff, as for
 * a container manager above that has nothing to exit to). */
enum halt_action actions_halt(enum unit_action action);
/* The -force variants: no orderly stop, the sweep at once. */
bool actions_forced(enum unit_action action);

#endif
