#include "vocab.h"

#include <stdlib.h>
#include <string.h>

const char *vocab_socket_path(void)
{
	const char *env = getenv("SVD_SOCKET");

	return env && *env ? env : VOCAB_DEFAULT_SOCKET_PATH;
}

#define SOME VOCAB_UNITS_SOME
#define NONE VOCAB_UNITS_NONE
#define OPTIONAL VOCAB_UNITS_OPTIONAL
#define PRIV VOCAB_PRIVILEGED
#define WAITS VOCAB_WAITS
#define CHANGES VOCAB_CHANGES
#define OWN_ARGS VOCAB_OWN_ARGS
#define ROOT VOCAB_ROOT_ONLY
#define OUTPUT VOCAB_READS_OUTPUT

/* In the order of svctl --help. Columns: name, what svctl sends, unit=,
 * flags, svctl's operands (min, max), its --help line. */
const struct vocab_verb vocab_verbs[] = {
	{ "start", "start", SOME, PRIV | WAITS | CHANGES, 1, -1,
	  "start UNIT...", "start and wait until running or failed" },
	{ "stop", "stop", SOME, PRIV | WAITS, 1, -1,
	  "stop UNIT...", "stop and wait until stopped" },
	{ "restart", "restart", SOME, PRIV | WAITS | CHANGES, 1, -1,
	  "restart UNIT...", "stop, then start" },
	{ "reload", "reload", SOME, PRIV | WAITS | CHANGES, 1, -1,
	  "reload UNIT...", "run ExecReload= (SIGHUP for Type=notify-reload)\n"
	  "and wait" },
	/* Without a unit, svctl asks list instead. */
	{ "status", "status", SOME, 0, 0, -1,
	  "status [UNIT...]", "state, cause, main PID, restarts, command" },
	{ "list", "list", NONE, 0, 0, 0,
	  "list", "a table of all units" },
	{ "show", "show", SOME, 0, 1, -1,
	  "show UNIT...", "KEY=VALUE properties" },
	/* What services print may be secret: only for named readers. */
	{ "logs", "logs", SOME, OUTPUT, 1, 1,
	  "logs UNIT [-n N] [-f]", "the unit's recent output (its last N lines);\n"
	  "-f: then follow new lines until interrupted" },
	{ "is-active", "show", SOME, 0, 1, -1,
	  "is-active UNIT...", "print active/inactive/failed/activating;\n"
	  "exit 0 when one is active" },
	{ "is-failed", "show", SOME, 0, 1, -1,
	  "is-failed UNIT...", "print the state; exit 0 when one failed" },
	{ "is-enabled", "show", SOME, 0, 1, -1,
	  "is-enabled UNIT...", "print enabled/disabled; exit 0 when one is\n"
	  "enabled" },
	{ "cat", "show", SOME, 0, 1, -1,
	  "cat UNIT...", "the unit file and its drop-ins, as loaded" },
	/* Asks show, then daemon-reload: for who may reload. */
	{ "edit", "show", SOME, 0, 1, 1,
	  "edit UNIT", "write a drop-in in $EDITOR, then reload" },
	{ "list-dependencies", "show", SOME, 0, 1, 1,
	  "list-dependencies UNIT", "\nwhat it requires and wants, as a tree\n"
	  "(targets expanded; --all: every unit)" },
	{ "kill", "kill", SOME, PRIV, 1, -1,
	  "kill [-s SIG] [--kill-whom=main|all] UNIT...",
	  "\nsend SIG (default SIGTERM) to the unit's\nprocesses (all: main, "
	  "control and their group)" },
	/* Read-only as status is: state changes say nothing secret. */
	{ "monitor", "monitor", NONE, 0, 0, 0,
	  "monitor", "print every state change as it happens (--json:\n"
	  "a JSON object a line) until interrupted" },
	{ "enable", "enable", SOME, PRIV, 1, -1,
	  "enable UNIT...", "start at boot (default)" },
	{ "disable", "disable", SOME, PRIV, 1, -1,
	  "disable UNIT...", "do not start at boot" },
	{ "mask", "mask", SOME, PRIV, 1, -1,
	  "mask UNIT...", "never start it: a link to /dev/null in the first\n"
	  "unit directory; then daemon-reload" },
	{ "unmask", "unmask", SOME, PRIV, 1, -1,
	  "unmask UNIT...", "remove its /dev/null links; then daemon-reload" },
	{ "reset-failed", "reset-failed", OPTIONAL, PRIV, 0, -1,
	  "reset-failed [UNIT...]", "forget failures and the start limit" },
	{ "daemon-reload", "daemon-reload", NONE, PRIV | CHANGES, 0, 0,
	  "daemon-reload", "re-read the unit files" },
	{ "daemon-reexec", "daemon-reexec", NONE, PRIV | CHANGES, 0, 0,
	  "daemon-reexec", "run svd's binary anew (an upgrade) keeping every\n"
	  "service, its pids and its state" },
	{ "verify", NULL, NONE, 0, 1, -1,
	  "verify FILE...", "check unit files offline" },
	{ "security", NULL, NONE, 0, 0, -1,
	  "security [UNIT...]", "each service's exposure, check by check, as\n"
	  "systemd-analyze security scores it (offline;\nno unit: one line a service)" },
	/* The synopsis is too wide for the column: the text goes below. */
	{ "tmpfiles", "tmpfiles", NONE, PRIV | ROOT | CHANGES | OWN_ARGS, 1, -1,
	  "tmpfiles [--create] [--remove] [--boot] [FILE...]",
	  "\napply tmpfiles.d(5) lines: --create, --remove\nor both; --boot also "
	  "the '!' lines" },
	/* Allowed while shutting down: asked again, svd stops waiting. */
	{ "poweroff", "poweroff", NONE, PRIV | ROOT, 0, 0,
	  "poweroff, reboot, halt", "stop everything and power off, reboot or\n"
	  "halt (svd as init; a container svd just stops)" },
	{ "reboot", "reboot", NONE, PRIV | ROOT, 0, 0, NULL, NULL },
	{ "halt", "halt", NONE, PRIV | ROOT, 0, 0, NULL, NULL },
	{ "is-system-running", "is-system-running", NONE, 0, 0, 0,
	  "is-system-running", "starting, running, degraded (a unit failed) or\n"
	  "stopping; exit 0 only when running (a health check)" },
	{ "version", "version", NONE, 0, 0, 0,
	  "version", "print svctl's and svd's versions" },
};

const size_t vocab_n_verbs = sizeof(vocab_verbs) / sizeof(vocab_verbs[0]);

const struct vocab_verb *vocab_verb_find(const char *name)
{
	for (size_t i = 0; i < vocab_n_verbs; i++)
		if (strcmp(vocab_verbs[i].name, name) == 0)
			return &vocab_verbs[i];
	return NULL;
}

const struct vocab_verb *vocab_request_find(const char *verb)
{
	const struct vocab_verb *v = vocab_verb_find(verb);

	return v && v->wire && strcmp(v->wire, v->name) == 0 ? v : NULL;
}

#define BRIEF true

const struct vocab_prop vocab_props[VOCAB_PROP_COUNT] = {
	[VOCAB_PROP_ID] = { "Id", VOCAB_STRING, BRIEF },
	[VOCAB_PROP_DESCRIPTION] = { "Description", VOCAB_STRING, BRIEF },
	[VOCAB_PROP_LOAD_STATE] = { "LoadState", VOCAB_STRING, BRIEF },
	[VOCAB_PROP_ACTIVE_STATE] = { "ActiveState", VOCAB_STRING, BRIEF },
	[VOCAB_PROP_SUB_STATE] = { "SubState", VOCAB_STRING, BRIEF },
	[VOCAB_PROP_UNIT_FILE_STATE] = { "UnitFileState", VOCAB_STRING, BRIEF },
	[VOCAB_PROP_LOAD_ERROR] = { "LoadError", VOCAB_STRING, false },
	[VOCAB_PROP_FRAGMENT_PATH] = { "FragmentPath", VOCAB_STRING, false },
	[VOCAB_PROP_STATE] = { "State", VOCAB_STRING, false },
	[VOCAB_PROP_STATE_CAUSE] = { "StateCause", VOCAB_STRING, false },
	[VOCAB_PROP_STATE_CAUSE_TEXT] = { "StateCauseText", VOCAB_STRING, false },
	[VOCAB_PROP_STATE_CHANGE_TIMESTAMP] =
		{ "StateChangeTimestampUSec", VOCAB_USEC, false },
	[VOCAB_PROP_MAIN_PID] = { "MainPID", VOCAB_INT, false },
	[VOCAB_PROP_N_RESTARTS] = { "NRestarts", VOCAB_UINT, false },
	[VOCAB_PROP_RESULT] = { "Result", VOCAB_STRING, false },
	[VOCAB_PROP_EXEC_MAIN_CODE] = { "ExecMainCode", VOCAB_STRING, false },
	[VOCAB_PROP_EXEC_MAIN_STATUS] = { "ExecMainStatus", VOCAB_INT, false },
	[VOCAB_PROP_EXEC_ERROR] = { "ExecError", VOCAB_STRING, false },
	[VOCAB_PROP_STATUS_TEXT] = { "StatusText", VOCAB_STRING, false },
	[VOCAB_PROP_STATUS_ERRNO] = { "StatusErrno", VOCAB_INT, false },
	[VOCAB_PROP_TYPE] = { "Type", VOCAB_STRING, false },
	[VOCAB_PROP_NOTIFY_ACCESS] = { "NotifyAccess", VOCAB_STRING, false },
	[VOCAB_PROP_WATCHDOG_USEC] = { "WatchdogUSec", VOCAB_USEC, false },
	[VOCAB_PROP_RESTART] = { "Restart", VOCAB_STRING, false },
	[VOCAB_PROP_RESTART_USEC_NEXT] = { "RestartUSecNext", VOCAB_USEC, false },
	[VOCAB_PROP_EXEC_START] = { "ExecStart", VOCAB_STRINGS, false },
	[VOCAB_PROP_LISTEN] = { "Listen", VOCAB_STRINGS, false },
	[VOCAB_PROP_TRIGGERS] = { "Triggers", VOCAB_STRING, false },
	[VOCAB_PROP_N_ACCEPTED] = { "NAccepted", VOCAB_UINT, false },
	[VOCAB_PROP_N_CONNECTIONS] = { "NConnections", VOCAB_UINT, false },
	[VOCAB_PROP_N_REFUSED] = { "NRefused", VOCAB_UINT, false },
	[VOCAB_PROP_TRIGGER_STALLED] = { "TriggerStalled", VOCAB_STRING, false },
	[VOCAB_PROP_TIMEOUT_START_USEC] = { "TimeoutStartUSec", VOCAB_USEC, false },
	[VOCAB_PROP_TIMEOUT_STOP_USEC] = { "TimeoutStopUSec", VOCAB_USEC, false },
	[VOCAB_PROP_CONTROL_GROUP] = { "ControlGroup", VOCAB_STRING, false },
	[VOCAB_PROP_TASKS_CURRENT] = { "TasksCurrent", VOCAB_UINT, false },
	[VOCAB_PROP_MEMORY_CURRENT] = { "MemoryCurrent", VOCAB_UINT, false },
	[VOCAB_PROP_MEMORY_PEAK] = { "MemoryPeak", VOCAB_UINT, false },
	[VOCAB_PROP_MEMORY_MAX] = { "MemoryMax", VOCAB_UINT, false },
	[VOCAB_PROP_CPU_USAGE_NSEC] = { "CPUUsageNSec", VOCAB_UINT, false },
	[VOCAB_PROP_CGROUP_PROCESS] = { "CGroupProcess", VOCAB_STRINGS, false },
	[VOCAB_PROP_CGROUP_WARNING] = { "CGroupWarning", VOCAB_STRING, false },
	[VOCAB_PROP_DROP_IN_PATHS] = { "DropInPaths", VOCAB_STRINGS, false },
	[VOCAB_PROP_NEED_RESTART] = { "NeedRestart", VOCAB_BOOL, false },
	[VOCAB_PROP_REQUIRES] = { "Requires", VOCAB_STRINGS, false },
	[VOCAB_PROP_REQUISITE] = { "Requisite", VOCAB_STRINGS, false },
	[VOCAB_PROP_WANTS] = { "Wants", VOCAB_STRINGS, false },
	[VOCAB_PROP_BINDS_TO] = { "BindsTo", VOCAB_STRINGS, false },
	[VOCAB_PROP_PART_OF] = { "PartOf", VOCAB_STRINGS, false },
	[VOCAB_PROP_CONFLICTS] = { "Conflicts", VOCAB_STRINGS, false },
	[VOCAB_PROP_AFTER] = { "After", VOCAB_STRINGS, false },
	[VOCAB_PROP_BEFORE] = { "Before", VOCAB_STRINGS, false },
};

const struct vocab_prop *vocab_prop_find(const char *name)
{
	for (size_t i = 0; i < VOCAB_PROP_COUNT; i++)
		if (strcmp(vocab_props[i].name, name) == 0)
			return &vocab_props[i];
	return NULL;
}
