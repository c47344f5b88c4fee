/* svc_text: what the state machine's states, events and causes are
 * called, and the sentence status shows for a cause. Display only: the
 * machine itself is in svc.c. */
#include "svc.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "spawn.h"

static const char *const state_names[SVC_STATE_COUNT] = {
	[SVC_INACTIVE] = "inactive",
	[SVC_CONDITION] = "condition",
	[SVC_START_PRE] = "start-pre",
	[SVC_START] = "start",
	[SVC_START_POST] = "start-post",
	[SVC_RUNNING] = "running",
	[SVC_RELOAD] = "reload",
	[SVC_STOP] = "stop",
	[SVC_STOP_SIGTERM] = "stop-sigterm",
	[SVC_STOP_SIGKILL] = "stop-sigkill",
	[SVC_STOP_POST] = "stop-post",
	[SVC_FINAL_SIGTERM] = "final-sigterm",
	[SVC_FINAL_SIGKILL] = "final-sigkill",
	[SVC_AUTO_RESTART] = "auto-restart",
	[SVC_EXITED] = "exited",
	[SVC_FAILED] = "failed",
};

static const char *const event_names[SVC_EVENT_COUNT] = {
	[SVC_EV_START] = "start",
	[SVC_EV_STOP] = "stop",
	[SVC_EV_EXEC_OK] = "exec-ok",
	[SVC_EV_EXEC_FAILED] = "exec-failed",
	[SVC_EV_EXIT] = "exit",
	[SVC_EV_TIMER] = "timer",
	[SVC_EV_RESET_FAILED] = "reset-failed",
	[SVC_EV_READY] = "ready",
	[SVC_EV_EXTEND_TIMEOUT] = "extend-timeout",
	[SVC_EV_WATCHDOG] = "watchdog",
	[SVC_EV_DEPENDENCY_FAILED] = "dependency-failed",
	[SVC_EV_CONTROL_EXIT] = "control-exit",
	[SVC_EV_CONTROL_EXEC_FAILED] = "control-exec-failed",
	[SVC_EV_RELOAD] = "reload",
	[SVC_EV_MAIN_PID] = "main-pid",
	[SVC_EV_RELOADING] = "reloading",
	[SVC_EV_CGROUP_EMPTY] = "cgroup-empty",
	[SVC_EV_OOM_KILL] = "oom-kill",
};

/* How a cause's detail reads, after the cause's words. */
enum detail_kind {
	DETAIL_NONE,	/* the words say it all */
	DETAIL_TEXT,	/* then cause_text (or the fallback) */
	DETAIL_NUMBER,	/* then the detail as a number, then more words */
	DETAIL_SPECIAL,	/* built by describe_special() */
};

static const struct cause_text {
	const char *name;	/* StateCause= */
	const char *words;	/* before the detail */
	enum detail_kind kind;
	const char *more;	/* after a number; a text's fallback */
} causes[SVC_CAUSE_COUNT] = {
	[SVC_CAUSE_NONE] = { "none", "none", DETAIL_NONE, NULL },
	[SVC_CAUSE_START_REQUEST] = { "start-request", "start requested",
				      DETAIL_NONE, NULL },
	[SVC_CAUSE_STOP_REQUEST] = { "stop-request", "stop requested",
				     DETAIL_NONE, NULL },
	[SVC_CAUSE_EXEC_OK] = { "exec-ok", "started (exec succeeded)",
				DETAIL_NONE, NULL },
	[SVC_CAUSE_EXEC_FAILED] = { "exec-failed", NULL, DETAIL_SPECIAL, NULL },
	[SVC_CAUSE_SPAWN_FAILED] = { "spawn-failed", NULL, DETAIL_SPECIAL, NULL },
	[SVC_CAUSE_EXITED] = { "exited", "exited with status ",
			       DETAIL_NUMBER, "" },
	[SVC_CAUSE_KILLED] = { "killed", NULL, DETAIL_SPECIAL, NULL },
	[SVC_CAUSE_START_TIMEOUT] = { "start-timeout", NULL, DETAIL_SPECIAL,
				      NULL },
	[SVC_CAUSE_STOP_TIMEOUT] = { "stop-timeout", "did not stop within "
				     "TimeoutStopSec=, killed with SIGKILL",
				     DETAIL_NONE, NULL },
	[SVC_CAUSE_UNKILLABLE] = { "unkillable", "survived SIGKILL; given up on",
				   DETAIL_NONE, NULL },
	[SVC_CAUSE_RESTART] = { "restart", "restarted by Restart=",
				DETAIL_NONE, NULL },
	[SVC_CAUSE_START_LIMIT] = { "start-limit-hit", "start limit hit: more "
				    "than ", DETAIL_NUMBER, " starts within "
				    "StartLimitIntervalSec=" },
	[SVC_CAUSE_RESET] = { "reset-failed", "failure reset", DETAIL_NONE,
			      NULL },
	[SVC_CAUSE_READY] = { "ready", "ready (READY=1)", DETAIL_NONE, NULL },
	[SVC_CAUSE_WATCHDOG] = { "watchdog", NULL, DETAIL_SPECIAL, NULL },
	[SVC_CAUSE_DEPENDENCY] = { "dependency", "not started: ", DETAIL_TEXT,
				   "a dependency failed" },
	[SVC_CAUSE_CONDITION] = { "condition", "start condition failed: ",
				  DETAIL_TEXT, "?" },
	[SVC_CAUSE_ASSERT] = { "assert", "assertion failed: ", DETAIL_TEXT,
			       "?" },
	[SVC_CAUSE_CONTROL_FAILED] = { "control-failed", "", DETAIL_TEXT,
				       "a control command failed" },
	[SVC_CAUSE_RELOAD] = { "reload", "reload requested", DETAIL_NONE, NULL },
	[SVC_CAUSE_RELOADED] = { "reloaded", "reloaded", DETAIL_NONE, NULL },
	[SVC_CAUSE_RELOADING] = { "reloading", "reloading (RELOADING=1)",
				  DETAIL_NONE, NULL },
	[SVC_CAUSE_RELOAD_FAILED] = { "reload-failed", "reload failed: ",
				      DETAIL_TEXT, "?" },
	[SVC_CAUSE_NO_MAIN_PID] = { "no-main-pid", "no main process: ",
				    DETAIL_TEXT, "?" },
	[SVC_CAUSE_CONTROL_TIMEOUT] = { "control-timeout", "", DETAIL_TEXT,
					"a stop command did not finish within "
					"TimeoutStopSec=" },
	[SVC_CAUSE_LISTENING] = { "listening", "listening", DETAIL_NONE, NULL },
	[SVC_CAUSE_LISTEN_FAILED] = { "listen-failed", "could not listen: ",
				      DETAIL_TEXT, "?" },
	[SVC_CAUSE_ADOPTED] = { "adopted", "adopted: ", DETAIL_TEXT,
				"running when svd started" },
	[SVC_CAUSE_ADOPTED_GONE] = { "adopted-gone", "ended, exit status unknown "
				     "(adopted: not svd's child)", DETAIL_NONE,
				     NULL },
	[SVC_CAUSE_OOM_KILL] = { "oom-kill", "a process was killed by the "
				 "OOM killer (OOMPolicy=)", DETAIL_NONE, NULL },
};

const char *svc_state_name(enum svc_state state)
{
	return state < SVC_STATE_COUNT ? state_names[state] : "?";
}

const char *svc_event_name(enum svc_event event)
{
	return event < SVC_EVENT_COUNT ? event_names[event] : "?";
}

const char *svc_cause_name(enum svc_cause cause)
{
	return cause < SVC_CAUSE_COUNT ? causes[cause].name : "?";
}

static void describe_special(const struct svc *svc, char *buf, unsigned size)
{
	char errbuf[160];
	int detail = svc->cause_detail;
	const char *signame;

	switch (svc->cause) {
	case SVC_CAUSE_EXEC_FAILED:
		snprintf(buf, size, "%s failed: %s", spawn_step_name(svc->exec_step),
			 log_errno_text(detail, errbuf, sizeof(errbuf)));
		break;
	case SVC_CAUSE_SPAWN_FAILED:
		snprintf(buf, size, "could not spawn: %s", svc->cause_text ?
			 svc->cause_text : log_errno_text(detail, errbuf, sizeof(errbuf)));
		break;
	case SVC_CAUSE_KILLED:
		signame = value_signal_name(detail);
		snprintf(buf, size, "killed by signal %d (SIG%s)", detail,
			 signame ? signame : "?");
		break;
	case SVC_CAUSE_START_TIMEOUT:
		snprintf(buf, size, "did not start within TimeoutStartSec=%s",
			 svc_waits_for_ready(svc) ? " (no READY=1)" : "");
		break;
	case SVC_CAUSE_WATCHDOG:
		snprintf(buf, size, "watchdog timeout: no keep-alive within "
			 "WatchdogSec=, killed with SIG%s", svc->unit ?
			 value_signal_name(svc->unit->watchdog_signal) : "?");
		break;
	default:
		snprintf(buf, size, "%s", svc_cause_name(svc->cause));
	}
}

static void describe_cause(const struct svc *svc, char *buf, unsigned size)
{
	const struct cause_text *text = svc->cause < SVC_CAUSE_COUNT ?
					&causes[svc->cause] : NULL;

	if (!text) {
		snprintf(buf, size, "?");
		return;
	}
	switch (text->kind) {
	case DETAIL_NONE:
		snprintf(buf, size, "%s", text->words);
		break;
	case DETAIL_TEXT:
		snprintf(buf, size, "%s%s", text->words, svc->cause_text ?
			 svc->cause_text : text->more);
		break;
	case DETAIL_NUMBER:
		snprintf(buf, size, "%s%d%s", text->words, svc->cause_detail,
			 text->more);
		break;
	case DETAIL_SPECIAL:
		describe_special(svc, buf, size);
		break;
	}
}

/* A cause may quote a whole command line: one too long for buf ends in
 * "...", never silently. */
const char *svc_describe_cause(const struct svc *svc, char *buf, unsigned size)
{
	describe_cause(svc, buf, size);
	if (size > 4 && strlen(buf) == size - 1)
		memcpy(buf + size - 4, "...", 4);
	return buf;
}

const char *svc_active_state(const struct svc *svc)
{
	if (svc_is_starting(svc) || svc->state == SVC_AUTO_RESTART)
		return "activating";
	if (svc_is_stopping(svc))
		return "deactivating";
	if (svc_is_reloading(svc))
		return "reloading";
	if (svc_is_failed(svc))
		return "failed";
	if (svc_is_up(svc))
		return "active";
	return "inactive";
}

/* systemd calls the inactive phase "dead"; every other name is its own. */
const char *svc_sub_state(const struct svc *svc)
{
	/* A socket that is up listens: systemd's name for it. */
	if (svc->state == SVC_EXITED && svc->unit &&
	    svc->unit->kind == UNIT_KIND_SOCKET)
		return "listening";
	return svc->state == SVC_INACTIVE ? "dead" : svc_state_name(svc->state);
}
