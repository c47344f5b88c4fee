#include "actions.h"

enum actions_end actions_end_of(enum svc_state from, enum svc_state to)
{
	if (from == to)
		return ACTIONS_END_NONE;
	if (to == SVC_FAILED)
		return ACTIONS_END_FAILED;
	/* reset-failed is no new end; a start that never got anywhere (a
	 * condition) is one, as in systemd. */
	if (to == SVC_INACTIVE && from != SVC_FAILED)
		return ACTIONS_END_SUCCEEDED;
	return ACTIONS_END_NONE;
}

enum unit_action actions_action(const struct unit *unit, enum actions_end end)
{
	if (!unit || end == ACTIONS_END_NONE)
		return UNIT_ACTION_NONE;
	return end == ACTIONS_END_FAILED ? unit->failure_action : unit->success_action;
}

char *const *actions_units(const struct unit *unit, enum actions_end end)
{
	if (!unit || end == ACTIONS_END_NONE)
		return NULL;
	return end == ACTIONS_END_FAILED ? unit->on_failure : unit->on_success;
}

int actions_exit_status(const struct svc *svc, enum actions_end end)
{
	const struct unit *unit = svc->unit;
	int configured = !unit ? -1 : end == ACTIONS_END_FAILED ?
			 unit->failure_action_exit_status :
			 unit->success_action_exit_status;

	if (configured >= 0)
		return configured;
	/* A failure whose process exited 0 (a timeout, a failed
	 * ExecStartPost=) is still no success. */
	if (svc->has_exited) {
		int status = policy_shell_status(svc->last_wstatus);

		if (status != 0 || end != ACTIONS_END_FAILED)
			return status;
	}
	return end == ACTIONS_END_FAILED ? 1 : 0;
}

enum halt_action actions_halt(enum unit_action action)
{
	switch (action) {
	case UNIT_ACTION_REBOOT:
	case UNIT_ACTION_REBOOT_FORCE:
		return HALT_REBOOT;
	case UNIT_ACTION_HALT:
	case UNIT_ACTION_HALT_FORCE:
		return HALT_HALT;
	case UNIT_ACTION_NONE:
		return HALT_NONE;
	default:
		return HALT_POWEROFF;
	}
}

bool actions_forced(enum unit_action action)
{
	return action == UNIT_ACTION_EXIT_FORCE || action == UNIT_ACTION_REBOOT_FORCE ||
	       action == UNIT_ACTION_POWEROFF_FORCE || action == UNIT_ACTION_HALT_FORCE;
}
