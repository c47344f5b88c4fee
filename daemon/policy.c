#include "policy.h"

#include <math.h>
#include <signal.h>
#include <sys/wait.h>

static const char *const result_names[] = {
	[POLICY_RESULT_SUCCESS] = "success",
	[POLICY_RESULT_EXIT_CODE] = "exit-code",
	[POLICY_RESULT_SIGNAL] = "signal",
	[POLICY_RESULT_CORE_DUMP] = "core-dump",
	[POLICY_RESULT_TIMEOUT] = "timeout",
	[POLICY_RESULT_WATCHDOG] = "watchdog",
	[POLICY_RESULT_START_LIMIT_HIT] = "start-limit-hit",
	[POLICY_RESULT_RESOURCES] = "resources",
	[POLICY_RESULT_DEPENDENCY] = "dependency",
	[POLICY_RESULT_PROTOCOL] = "protocol",
	[POLICY_RESULT_ASSERT] = "assert",
	[POLICY_RESULT_OOM_KILL] = "oom-kill",
};

const char *policy_result_name(enum policy_result result)
{
	return result_names[result];
}

static bool signal_is_clean(const struct unit *unit, int signo)
{
	switch (signo) {
	case SIGHUP:
	case SIGINT:
	case SIGTERM:
	case SIGPIPE:
		return true;
	default:
		return exit_status_set_has_signal(unit->success_exit_status, signo);
	}
}

enum policy_result policy_classify_exit(const struct unit *unit, int wstatus)
{
	if (WIFEXITED(wstatus)) {
		int code = WEXITSTATUS(wstatus);

		if (code == 0 ||
		    exit_status_set_has_code(unit->success_exit_status, code))
			return POLICY_RESULT_SUCCESS;
		return POLICY_RESULT_EXIT_CODE;
	}
	if (signal_is_clean(unit, WTERMSIG(wstatus)))
		return POLICY_RESULT_SUCCESS;
	return WCOREDUMP(wstatus) ? POLICY_RESULT_CORE_DUMP : POLICY_RESULT_SIGNAL;
}

static bool restart_prevented(const struct unit *unit, int wstatus)
{
	const struct exit_status_set *prevent = unit->restart_prevent_exit_status;

	if (WIFEXITED(wstatus))
		return exit_status_set_has_code(prevent, WEXITSTATUS(wstatus));
	if (WIFSIGNALED(wstatus))
		return exit_status_set_has_signal(prevent, WTERMSIG(wstatus));
	return false;
}

bool policy_should_restart(const struct unit *unit, enum policy_result result,
			   int wstatus)
{
	bool success = result == POLICY_RESULT_SUCCESS;
	bool unclean_signal = result == POLICY_RESULT_SIGNAL ||
			      result == POLICY_RESULT_CORE_DUMP;
	bool timeout = result == POLICY_RESULT_TIMEOUT;
	bool watchdog = result == POLICY_RESULT_WATCHDOG;
	/* As systemd's table: an OOM kill is abnormal, as a signal is. */
	bool oom = result == POLICY_RESULT_OOM_KILL;

	/* Not a run that ended: nothing to restart. */
	if (result == POLICY_RESULT_START_LIMIT_HIT ||
	    result == POLICY_RESULT_DEPENDENCY || result == POLICY_RESULT_ASSERT)
		return false;
	if ((result == POLICY_RESULT_SUCCESS ||
	     result == POLICY_RESULT_EXIT_CODE || unclean_signal) &&
	    restart_prevented(unit, wstatus))
		return false;
	switch (unit->restart) {
	case UNIT_RESTART_NO:
		return false;
	case UNIT_RESTART_ALWAYS:
		return true;
	case UNIT_RESTART_ON_SUCCESS:
		return success;
	case UNIT_RESTART_ON_FAILURE:
		return !success;
	case UNIT_RESTART_ON_ABNORMAL:
		return unclean_signal || timeout || watchdog || oom;
	case UNIT_RESTART_ON_ABORT:
		return unclean_signal;
	case UNIT_RESTART_ON_WATCHDOG:
		return watchdog;
	}
	return false;
}

void start_limit_reset(struct start_limit *limit)
{
	*limit = (struct start_limit){0};
}

bool start_limit_allow(struct start_limit *limit, unsigned burst,
		       double interval_sec, double now)
{
	if (burst == 0 || interval_sec <= 0)
		return true;
	if (!limit->open || now >= limit->window_start + interval_sec) {
		limit->open = true;
		limit->window_start = now;
		limit->count = 0;
	}
	if (limit->count >= burst)
		return false;
	limit->count++;
	return true;
}

uint64_t policy_restart_delay(const struct unit *unit, unsigned n)
{
	double ratio, exponent;

	if (n <= 1 || unit->restart_steps == 0 || unit->restart_usec == 0 ||
	    unit->restart_max_delay_usec == USEC_INFINITY ||
	    unit->restart_usec >= unit->restart_max_delay_usec)
		return unit->restart_usec;
	if (n > unit->restart_steps)
		return unit->restart_max_delay_usec;
	ratio = (double)unit->restart_max_delay_usec / (double)unit->restart_usec;
	exponent = (double)(n - 1) / (double)unit->restart_steps;
	return (uint64_t)((double)unit->restart_usec * pow(ratio, exponent) + 0.5);
}

int policy_shell_status(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}
