/* policy: the pure decisions about a process that ended and a service that
 * wants to start again (Restart=, SuccessExitStatus=, the start limit).
 * No I/O, no clock of its own: unit-tested with plain values. */
#ifndef SVD_POLICY_H
#define SVD_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "unit.h"

/* How a service's run ended, in systemd's Result= terms. */
enum policy_result {
	POLICY_RESULT_SUCCESS,	     /* clean exit or clean signal */
	POLICY_RESULT_EXIT_CODE,     /* unclean exit code (incl. exec failure) */
	POLICY_RESULT_SIGNAL,	     /* killed by an unclean signal */
	POLICY_RESULT_CORE_DUMP,     /* killed, and dumped core */
	POLICY_RESULT_TIMEOUT,	     /* svd gave up waiting (start or stop) */
	POLICY_RESULT_WATCHDOG,	     /* missed keep-alive (WatchdogSec=) */
	POLICY_RESULT_START_LIMIT_HIT,
	POLICY_RESULT_RESOURCES,     /* svd could not fork or set up */
	POLICY_RESULT_DEPENDENCY,    /* not started: a dependency failed */
	POLICY_RESULT_PROTOCOL,	     /* Type=notify: exited before READY=1 */
	POLICY_RESULT_ASSERT,	     /* not started: an Assert*= failed */
	POLICY_RESULT_OOM_KILL,	     /* the kernel's OOM killer hit its cgroup */
};

const char *policy_result_name(enum policy_result result);

/* Classifies a wait status (as from waitpid) against the unit's
 * SuccessExitStatus=. Exit 0 and death by SIGHUP, SIGINT, SIGTERM or
 * SIGPIPE are clean, as in systemd. */
enum policy_result policy_classify_exit(const struct unit *unit, int wstatus);

/* Whether Restart= asks for a restart after a run that ended with result
 * and wait status wstatus (ignored for TIMEOUT/WATCHDOG/RESOURCES).
 * RestartPreventExitStatus= wins over Restart=. */
bool policy_should_restart(const struct unit *unit, enum policy_result result,
			   int wstatus);

/* A wait status as a shell (and a container runtime) says it: the exit
 * code, or 128+N for death by signal N. */
int policy_shell_status(int wstatus);

/* The delay before automatic restart number n (1: the first since the
 * service last stayed up), as systemd's service_restart_usec_next():
 * RestartSec= for the first, then growing geometrically to
 * RestartMaxDelaySec= over RestartSteps= steps, and that from then on;
 * RestartSec= alone when either is unset. */
uint64_t policy_restart_delay(const struct unit *unit, unsigned n);

/* Start-rate limiting, as systemd's ratelimit: at most `burst` starts in
 * a window of `interval` seconds that opens with the first start. Times
 * are monotonic seconds. */
struct start_limit {
	double window_start;	/* when the current window opened */
	unsigned count;		/* starts in the current window */
	bool open;		/* a window is open */
};

void start_limit_reset(struct start_limit *limit);
/* Records a start at now, or returns false (recording nothing) when it
 * would be more than burst starts in the window. A zero burst or interval
 * disables the limit. */
bool start_limit_allow(struct start_limit *limit, unsigned burst,
		       double interval_sec, double now);

#endif
