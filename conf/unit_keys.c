/* unit_keys: the keys svd implements. Each function takes one assignment,
 * checks the value as systemd's load-fragment.c does, and reports a value
 * it cannot accept through parser_invalid(), naming what would be. */
#include "unit_keys.h"
#include "caps.h"
#include "parser.h"
#include "strv.h"
#include "words.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Values with specifiers resolved; NULL after reporting the problem. */
char *keys_expand(struct unit_parser *p, const char *value)
{
	char *error = NULL, *text = spec_expand(value, &p->spec, &error);

	if (text)
		return text;
	if (!error) {
		parser_nomem(p);
		return NULL;
	}
	parser_diag(p, UNIT_DIAG_ERROR, "%s=%s: %s", p->key, value, error);
	free(error);
	return NULL;
}

/* A string value; empty resets it. */
int keys_set_string(struct unit_parser *p, const char *value, char **field)
{
	char *text = NULL;

	if (*value && !(text = keys_expand(p, value)))
		return -1;
	free(*field);
	*field = text;
	return 0;
}

static int set_enum(struct unit_parser *p, const char *value,
		    const char *const *names, size_t n, const char *expected)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(value, names[i]) == 0)
			return (int)i;
	return parser_invalid(p, value, expected);
}

/* For every scalar key, an empty assignment ("Restart=") restores the
 * default, as in systemd: a drop-in may reset what the unit file set. */
static int set_bool(struct unit_parser *p, const char *value, bool *field,
		    bool default_value)
{
	if (!*value) {
		*field = default_value;
		return 0;
	}
	if (value_parse_bool(value, field) < 0)
		return parser_invalid(p, value, "yes, no, true, false, on, off, "
				      "1 or 0");
	return 0;
}

static int set_timespan(struct unit_parser *p, const char *value,
			uint64_t *field, uint64_t default_value);

int keys_set_bool(struct unit_parser *p, const char *value, bool *field,
		  bool default_value)
{
	return set_bool(p, value, field, default_value);
}

int keys_set_timespan(struct unit_parser *p, const char *value,
		      uint64_t *field, uint64_t default_value)
{
	return set_timespan(p, value, field, default_value);
}

static int set_timespan(struct unit_parser *p, const char *value,
			uint64_t *field, uint64_t default_value)
{
	if (!*value) {
		*field = default_value;
		return 0;
	}
	if (value_parse_timespan(value, field) < 0)
		return parser_invalid(p, value, "a time span such as 5, 5s, "
				      "500ms, 3min, 1h 30s or infinity");
	return 0;
}

/* The word with specifiers resolved; an unknown specifier is only a
 * warning here ([Install] values are resolved again when a unit is
 * enabled), the word is kept as written. NULL on ENOMEM. */
static char *expand_or_keep(struct unit_parser *p, char *word)
{
	char *error = NULL, *text = spec_expand(word, &p->spec, &error);

	if (text || !error) {
		free(word);
		return text;
	}
	parser_diag(p, UNIT_DIAG_WARNING, "%s=%s: %s, kept as written",
		    p->key, word, error);
	free(error);
	return word;
}

/* keys_set_list() with words_next()'s flags. */
static int set_list(struct unit_parser *p, const char *value, char ***list,
		    bool specifiers, unsigned flags)
{
	const char *rest = value, *why = NULL;
	char *word;
	int r;

	if (!*value) {
		strv_free(*list);
		*list = NULL;
		return 0;
	}
	while ((r = words_next(&rest, flags, &word, &why)) > 0) {
		if (specifiers)
			word = expand_or_keep(p, word);
		if (!word || strv_push_take(list, word) < 0)
			return parser_nomem(p);
	}
	if (r < 0 && why)
		return parser_invalid(p, value, "space-separated words with "
				      "balanced quotes");
	return r < 0 ? parser_nomem(p) : 0;
}

/* A space-separated list: words are appended, an empty value resets. */
int keys_set_list(struct unit_parser *p, const char *value, char ***list,
		  bool specifiers)
{
	return set_list(p, value, list, specifiers, WORDS_UNQUOTE);
}

/* Unit types a dependency may name; svd runs services and provides
 * targets, and says so when a unit needs one of the others. */
static bool dep_name_ok(const char *name)
{
	static const char *const suffixes[] = {
		".service", ".target", ".socket", ".mount", ".device", ".path",
		".timer", ".slice", ".scope", ".swap", ".automount",
	};
	const char *dot = strrchr(name, '.');

	if (!dot || dot == name || strlen(name) > 255 || strchr(name, '/'))
		return false;
	for (size_t i = 0; i < N_OF(suffixes); i++)
		if (strcmp(dot, suffixes[i]) == 0)
			return true;
	return false;
}

/* As systemd: a name that is not a unit's is warned about and skipped,
 * the rest of the line still counts. */
/* Unit names (dependencies, OnFailure=, OnSuccess=): a word that is
 * none is warned about and dropped. */
static int set_unit_list(struct unit_parser *p, const char *value, char ***list)
{
	size_t kept = strv_length(*list), n;

	/* "dev-virtio\x2dports.device" is the name, backslash and all. */
	if (set_list(p, value, list, true,
		     WORDS_UNQUOTE | WORDS_RETAIN_ESCAPE) < 0)
		return -1;
	n = strv_length(*list);
	for (size_t i = kept; i < n;) {
		if (dep_name_ok((*list)[i])) {
			i++;
			continue;
		}
		parser_diag(p, UNIT_DIAG_WARNING, "%s=: not a unit name, "
			    "ignored: %s", p->key, (*list)[i]);
		free((*list)[i]);
		memmove(&(*list)[i], &(*list)[i + 1], (n - i) * sizeof(**list));
		n--;
	}
	return 0;
}

static int set_deps(struct unit_parser *p, const char *value, enum unit_dep dep)
{
	return set_unit_list(p, value, &p->unit->deps[dep]);
}

/* RequiresMountsFor=: absolute paths; a word that is none is warned
 * about and dropped, as systemd does. */
int key_requires_mounts_for(struct unit_parser *p, const char *value)
{
	char ***list = &p->unit->requires_mounts_for;
	size_t kept = strv_length(*list), n;

	if (keys_set_list(p, value, list, true) < 0)
		return -1;
	n = strv_length(*list);
	for (size_t i = kept; i < n;) {
		if (unit_path_plain((*list)[i])) {
			i++;
			continue;
		}
		parser_diag(p, UNIT_DIAG_WARNING, "%s=: not an absolute plain "
			    "path, ignored: %s", p->key, (*list)[i]);
		free((*list)[i]);
		memmove(&(*list)[i], &(*list)[i + 1], (n - i) * sizeof(**list));
		n--;
	}
	return 0;
}

int key_requires(struct unit_parser *p, const char *value)
{
	return set_deps(p, value, UNIT_DEP_REQUIRES);
}

int key_requisite(struct unit_parser *p, const char *value)
{
	return set_deps(p, value, UNIT_DEP_REQUISITE);
}

int key_wants(struct unit_parser *p, const char *value)
{
	return set_deps(p, value, UNIT_DEP_WANTS);
}

int key_binds_to(struct unit_parser *p, const char *value)
{
	return set_deps(p, value, UNIT_DEP_BINDS_TO);
}

int key_part_of(struct unit_parser *p, const char *value)
{
	return set_deps(p, value, UNIT_DEP_PART_OF);
}

int key_conflicts(struct unit_parser *p, const char *value)
{
	return set_deps(p, value, UNIT_DEP_CONFLICTS);
}

int key_after(struct unit_parser *p, const char *value)
{
	return set_deps(p, value, UNIT_DEP_AFTER);
}

int key_before(struct unit_parser *p, const char *value)
{
	return set_deps(p, value, UNIT_DEP_BEFORE);
}

/* Condition*= and Assert*=; p->key says which. "|" makes a trigger, "!"
 * negates; an empty value resets the conditions (or the asserts), as in
 * systemd. */
int key_condition(struct unit_parser *p, const char *value)
{
	bool assert = strncmp(p->key, "Assert", 6) == 0;
	const char *name = p->key + (assert ? 6 : 9);
	struct unit *u = p->unit;
	struct unit_condition c = { .assert = assert }, *grown;
	int type = -1;

	for (int t = 0; t < UNIT_COND_COUNT; t++)
		if (strcmp(name, unit_condition_name(t)) == 0)
			type = t;
	if (type < 0)
		return KEY_NOTED;
	if (!*value) {
		size_t kept = 0;

		for (size_t i = 0; i < u->n_conditions; i++) {
			if (u->conditions[i].assert == assert) {
				free(u->conditions[i].arg);
				continue;
			}
			u->conditions[kept++] = u->conditions[i];
		}
		u->n_conditions = kept;
		return 0;
	}
	c.type = (enum unit_condition_type)type;
	if (*value == '|') {
		c.trigger = true;
		value++;
	}
	if (*value == '!') {
		c.negate = true;
		value++;
	}
	if (type == UNIT_COND_CAPABILITY && caps_from_name(value) < 0)
		return parser_invalid(p, value, "a capability name such as "
				      "CAP_SYS_TIME, after an optional | and !");
	if (type != UNIT_COND_VIRTUALIZATION && type != UNIT_COND_HOST &&
	    type != UNIT_COND_CAPABILITY && *value != '/')
		return parser_invalid(p, value, "an absolute path, after an "
				      "optional | and !");
	c.arg = strdup(value);
	if (c.arg)
		c.arg = expand_or_keep(p, c.arg);
	if (!c.arg)
		return parser_nomem(p);
	grown = realloc(u->conditions, (u->n_conditions + 1) * sizeof(*grown));
	if (!grown) {
		free(c.arg);
		return parser_nomem(p);
	}
	u->conditions = grown;
	u->conditions[u->n_conditions++] = c;
	return 0;
}

int key_description(struct unit_parser *p, const char *value)
{
	return keys_set_string(p, value, &p->unit->description);
}

/* Documentation= takes URIs; systemd drops unknown schemes with a warning. */
static bool doc_url_ok(const char *url)
{
	static const char *const schemes[] = {
		"http://", "https://", "file:", "info:", "man:",
	};

	for (size_t i = 0; i < N_OF(schemes); i++)
		if (strncmp(url, schemes[i], strlen(schemes[i])) == 0 &&
		    url[strlen(schemes[i])] != '\0')
			return true;
	return false;
}

int key_documentation(struct unit_parser *p, const char *value)
{
	char **list = p->unit->documentation;
	size_t kept = strv_length(list);
	size_t n;

	if (keys_set_list(p, value, &list, true) < 0) {
		p->unit->documentation = list;
		return -1;
	}
	n = strv_length(list);
	for (size_t i = kept; i < n;) {
		if (doc_url_ok(list[i])) {
			i++;
			continue;
		}
		parser_diag(p, UNIT_DIAG_WARNING, "Documentation=%s: not an "
			    "http, https, file, info or man URL, ignored",
			    list[i]);
		free(list[i]);
		memmove(&list[i], &list[i + 1], (n - i) * sizeof(*list));
		n--;
	}
	p->unit->documentation = list;
	return 0;
}

int key_start_limit_burst(struct unit_parser *p, const char *value)
{
	char *end;
	unsigned long n;

	if (!*value) {
		p->unit->start_limit_burst = UNIT_DEFAULT_START_LIMIT_BURST;
		return 0;
	}
	if (value[0] < '0' || value[0] > '9')
		return parser_invalid(p, value, "a number (0: no start limit)");
	n = strtoul(value, &end, 10);
	if (*end || n > 1000000000UL)
		return parser_invalid(p, value, "a number (0: no start limit)");
	p->unit->start_limit_burst = (unsigned)n;
	return 0;
}

int key_start_limit_interval(struct unit_parser *p, const char *value)
{
	return set_timespan(p, value, &p->unit->start_limit_interval_usec,
			    UNIT_DEFAULT_START_LIMIT_INTERVAL_USEC);
}

static const char *const action_names[UNIT_ACTION_COUNT] = {
	[UNIT_ACTION_NONE] = "none",
	[UNIT_ACTION_EXIT] = "exit", [UNIT_ACTION_EXIT_FORCE] = "exit-force",
	[UNIT_ACTION_REBOOT] = "reboot", [UNIT_ACTION_REBOOT_FORCE] = "reboot-force",
	[UNIT_ACTION_POWEROFF] = "poweroff",
	[UNIT_ACTION_POWEROFF_FORCE] = "poweroff-force",
	[UNIT_ACTION_HALT] = "halt", [UNIT_ACTION_HALT_FORCE] = "halt-force",
};

const char *unit_action_name(enum unit_action action)
{
	return action >= 0 && action < UNIT_ACTION_COUNT ? action_names[action] : "?";
}

/* systemd's other values, as the closest svd has. */
static const struct {
	const char *name;
	enum unit_action action;
} action_aliases[] = {
	{ "reboot-immediate", UNIT_ACTION_REBOOT_FORCE },
	{ "poweroff-immediate", UNIT_ACTION_POWEROFF_FORCE },
	{ "halt-immediate", UNIT_ACTION_HALT_FORCE },
	{ "soft-reboot", UNIT_ACTION_REBOOT },
	{ "soft-reboot-force", UNIT_ACTION_REBOOT_FORCE },
	{ "kexec", UNIT_ACTION_REBOOT },
	{ "kexec-force", UNIT_ACTION_REBOOT_FORCE },
};

static int set_action(struct unit_parser *p, const char *value,
		      enum unit_action *field)
{
	if (!*value) {
		*field = UNIT_ACTION_NONE;
		return 0;
	}
	for (int a = 0; a < UNIT_ACTION_COUNT; a++)
		if (strcmp(value, action_names[a]) == 0) {
			*field = (enum unit_action)a;
			return 0;
		}
	for (size_t i = 0; i < sizeof(action_aliases) / sizeof(action_aliases[0]); i++)
		if (strcmp(value, action_aliases[i].name) == 0) {
			parser_diag(p, UNIT_DIAG_WARNING, "%s=%s: svd does %s "
				    "instead", p->key, value,
				    action_names[action_aliases[i].action]);
			*field = action_aliases[i].action;
			return 0;
		}
	return parser_invalid(p, value, "none, exit, exit-force, reboot, "
			      "reboot-force, poweroff, poweroff-force, halt or "
			      "halt-force");
}

int key_success_action(struct unit_parser *p, const char *value)
{
	int r = set_action(p, value, &p->unit->success_action);

	p->has_success_action = p->unit->success_action != UNIT_ACTION_NONE;
	return r;
}

int key_failure_action(struct unit_parser *p, const char *value)
{
	return set_action(p, value, &p->unit->failure_action);
}

static int set_action_exit_status(struct unit_parser *p, const char *value,
				  short *field)
{
	char *end;
	long n;

	if (!*value) {
		*field = -1;
		return 0;
	}
	n = strtol(value, &end, 10);
	if (value[0] < '0' || value[0] > '9' || *end || n > 255)
		return parser_invalid(p, value, "an exit status from 0 to 255");
	*field = (short)n;
	return 0;
}

int key_failure_action_exit_status(struct unit_parser *p, const char *value)
{
	return set_action_exit_status(p, value, &p->unit->failure_action_exit_status);
}

int key_success_action_exit_status(struct unit_parser *p, const char *value)
{
	return set_action_exit_status(p, value, &p->unit->success_action_exit_status);
}

int key_on_failure(struct unit_parser *p, const char *value)
{
	return set_unit_list(p, value, &p->unit->on_failure);
}

int key_on_success(struct unit_parser *p, const char *value)
{
	return set_unit_list(p, value, &p->unit->on_success);
}

int key_type(struct unit_parser *p, const char *value)
{
	static const char *const names[] = {
		[UNIT_TYPE_SIMPLE] = "simple", [UNIT_TYPE_EXEC] = "exec",
		[UNIT_TYPE_ONESHOT] = "oneshot",
		[UNIT_TYPE_FORKING] = "forking", [UNIT_TYPE_NOTIFY] = "notify",
		[UNIT_TYPE_NOTIFY_RELOAD] = "notify-reload",
		[UNIT_TYPE_DBUS] = "dbus", [UNIT_TYPE_IDLE] = "idle",
	};
	int i;

	if (!*value) {	/* back to the default, and to guessing it */
		p->type_set = false;
		p->unit->type = UNIT_TYPE_SIMPLE;
		return 0;
	}
	i = set_enum(p, value, names, N_OF(names), "simple, exec, forking, "
		     "oneshot, dbus, notify, notify-reload or idle");
	if (i < 0)
		return -1;
	p->unit->type = (enum unit_type)i;
	p->type_set = true;
	return 0;
}

static void exec_start_reset(struct unit *u)
{
	exec_cmds_free(u->exec_start, u->n_exec_start);
	u->exec_start = NULL;
	u->n_exec_start = 0;
}

static int exec_start_append(struct unit_parser *p, struct exec_cmd *cmds,
			     size_t n)
{
	struct unit *u = p->unit;
	struct exec_cmd *grown;

	grown = realloc(u->exec_start, (u->n_exec_start + n) * sizeof(*grown));
	if (!grown) {
		for (size_t i = 0; i < n; i++)
			exec_cmd_clear(&cmds[i]);
		return parser_nomem(p);
	}
	memcpy(&grown[u->n_exec_start], cmds, n * sizeof(*cmds));
	u->exec_start = grown;
	u->n_exec_start += n;
	return 0;
}

/* Several ExecStart= lines are checked against Type= only at the end:
 * Type= may come later or from a drop-in. */
int key_exec_start(struct unit_parser *p, const char *value)
{
	struct exec_cmd *cmds;
	char *error = NULL, *file;
	size_t n;
	int r;

	if (!*value) {
		exec_start_reset(p->unit);
		return 0;
	}
	if (exec_parse_multi(value, &p->spec, &cmds, &n, &error) < 0) {
		if (!error)
			return parser_nomem(p);
		parser_diag(p, UNIT_DIAG_ERROR, "%s=%s: %s", p->key, value,
			    error);
		free(error);
		return -1;
	}
	r = exec_start_append(p, cmds, n);
	free(cmds);
	file = strdup(p->file);
	if (!file)
		return parser_nomem(p);
	free(p->exec_start_file);
	p->exec_start_file = file;
	p->exec_start_line = p->line;
	return r;
}

/* ExecStartPre= and the other control commands; p->key says which. Like
 * ExecStart=, each line adds commands and an empty one resets them. */
int key_exec_control(struct unit_parser *p, const char *value)
{
	struct unit *u = p->unit;
	struct exec_cmd *cmds, *grown;
	char *error = NULL;
	int kind = -1;
	size_t n;

	for (int k = 0; k < UNIT_EXEC_COUNT; k++)
		if (strcmp(p->key, unit_exec_name(k)) == 0)
			kind = k;
	/* A socket's ExecStopPre= runs where a service's ExecStop= does:
	 * before the sockets close. */
	if (strcmp(p->key, "ExecStopPre") == 0)
		kind = UNIT_EXEC_STOP;
	if (kind < 0)
		return KEY_NOTED;
	if (kind == UNIT_EXEC_STOP)
		p->has_exec_stop = *value != '\0';
	if (!*value) {
		exec_cmds_free(u->exec[kind], u->n_exec[kind]);
		u->exec[kind] = NULL;
		u->n_exec[kind] = 0;
		return 0;
	}
	if (exec_parse_multi(value, &p->spec, &cmds, &n, &error) < 0) {
		if (!error)
			return parser_nomem(p);
		parser_diag(p, UNIT_DIAG_ERROR, "%s=%s: %s", p->key, value, error);
		free(error);
		return -1;
	}
	if (n > UINT_MAX - u->n_exec[kind]) {
		exec_cmds_free(cmds, n);
		parser_diag(p, UNIT_DIAG_ERROR, "%s=: more commands than svd "
			    "counts", p->key);
		return -1;
	}
	grown = realloc(u->exec[kind], (u->n_exec[kind] + n) * sizeof(*grown));
	if (!grown) {
		exec_cmds_free(cmds, n);
		return parser_nomem(p);
	}
	memcpy(&grown[u->n_exec[kind]], cmds, n * sizeof(*cmds));
	u->exec[kind] = grown;
	u->n_exec[kind] += n;
	free(cmds);
	return 0;
}

int key_note_bus_name(struct unit_parser *p, const char *value)
{
	p->has_bus_name = *value != '\0';
	return KEY_NOTED;
}

int key_restart(struct unit_parser *p, const char *value)
{
	static const char *const names[] = {
		[UNIT_RESTART_NO] = "no", [UNIT_RESTART_ALWAYS] = "always",
		[UNIT_RESTART_ON_SUCCESS] = "on-success",
		[UNIT_RESTART_ON_FAILURE] = "on-failure",
		[UNIT_RESTART_ON_ABNORMAL] = "on-abnormal",
		[UNIT_RESTART_ON_ABORT] = "on-abort",
		[UNIT_RESTART_ON_WATCHDOG] = "on-watchdog",
	};
	int i;

	if (!*value) {
		p->unit->restart = UNIT_RESTART_NO;
		return 0;
	}
	i = set_enum(p, value, names, N_OF(names), "no, always, "
			 "on-success, on-failure, on-abnormal, on-abort or "
			 "on-watchdog");

	if (i < 0)
		return -1;
	p->unit->restart = (enum unit_restart)i;
	return 0;
}

int key_restart_sec(struct unit_parser *p, const char *value)
{
	return set_timespan(p, value, &p->unit->restart_usec,
			    UNIT_DEFAULT_RESTART_USEC);
}

int key_restart_max_delay(struct unit_parser *p, const char *value)
{
	return set_timespan(p, value, &p->unit->restart_max_delay_usec,
			    USEC_INFINITY);
}

int key_restart_steps(struct unit_parser *p, const char *value)
{
	char *end;
	unsigned long n;

	if (!*value) {
		p->unit->restart_steps = 0;
		return 0;
	}
	n = strtoul(value, &end, 10);
	if (value[0] < '0' || value[0] > '9' || *end || n > 3000)
		return parser_invalid(p, value, "a number of steps from 0 to 3000");
	p->unit->restart_steps = (unsigned)n;
	return 0;
}

/* For the timeouts, 0 means "no timeout", as in systemd. */
static int set_timeout(struct unit_parser *p, const char *value,
		       uint64_t *field, uint64_t default_value)
{
	uint64_t usec;

	if (!*value) {
		*field = default_value;
		return 0;
	}
	if (value_parse_timespan(value, &usec) < 0)
		return parser_invalid(p, value, "a time span such as 90, 90s, "
				      "1min 30s, or 0 or infinity for none");
	*field = usec == 0 ? USEC_INFINITY : usec;
	return 0;
}

int key_timeout_stop(struct unit_parser *p, const char *value)
{
	return set_timeout(p, value, &p->unit->timeout_stop_usec,
			   UNIT_DEFAULT_TIMEOUT_STOP_USEC);
}

int key_timeout_start(struct unit_parser *p, const char *value)
{
	if (set_timeout(p, value, &p->unit->timeout_start_usec,
			UNIT_DEFAULT_TIMEOUT_START_USEC) < 0)
		return -1;
	p->timeout_start_set = *value != '\0';
	return 0;
}

int key_timeout(struct unit_parser *p, const char *value)
{
	if (key_timeout_start(p, value) < 0)
		return -1;
	p->unit->timeout_stop_usec = p->unit->timeout_start_usec;
	return 0;
}

int key_kill_signal(struct unit_parser *p, const char *value)
{
	if (!*value) {
		p->unit->kill_signal = SIGTERM;
		return 0;
	}
	if (value_parse_signal(value, &p->unit->kill_signal) < 0)
		return parser_invalid(p, value, "a signal name such as SIGTERM "
				      "or TERM, RTMIN+n, or a number");
	return 0;
}

int key_watchdog_signal(struct unit_parser *p, const char *value)
{
	if (!*value) {
		p->unit->watchdog_signal = SIGABRT;
		return 0;
	}
	if (value_parse_signal(value, &p->unit->watchdog_signal) < 0)
		return parser_invalid(p, value, "a signal name such as SIGABRT "
				      "or ABRT, RTMIN+n, or a number");
	return 0;
}

int key_kill_mode(struct unit_parser *p, const char *value)
{
	static const char *const names[] = {
		[UNIT_KILL_CONTROL_GROUP] = "control-group",
		[UNIT_KILL_PROCESS] = "process",
		[UNIT_KILL_MIXED] = "mixed", [UNIT_KILL_NONE] = "none",
	};
	int i;

	if (!*value) {
		p->unit->kill_mode = UNIT_KILL_CONTROL_GROUP;
		return 0;
	}
	i = set_enum(p, value, names, N_OF(names), "control-group, "
			 "process, mixed or none");

	if (i < 0)
		return -1;
	p->unit->kill_mode = (enum unit_kill_mode)i;
	return 0;
}

int key_notify_access(struct unit_parser *p, const char *value)
{
	static const char *const names[] = {
		[UNIT_NOTIFY_NONE] = "none", [UNIT_NOTIFY_MAIN] = "main",
		[UNIT_NOTIFY_EXEC] = "exec", [UNIT_NOTIFY_ALL] = "all",
	};
	int i;

	p->unit->notify_access_set = *value != '\0';
	if (!*value) {
		p->unit->notify_access = UNIT_NOTIFY_NONE;
		return 0;
	}
	i = set_enum(p, value, names, N_OF(names), "none, main, exec or all");
	if (i < 0)
		return -1;
	p->unit->notify_access = (enum unit_notify_access)i;
	return 0;
}

int key_watchdog(struct unit_parser *p, const char *value)
{
	uint64_t usec;

	if (!*value) {
		p->unit->watchdog_usec = 0;
		return 0;
	}
	if (value_parse_timespan(value, &usec) < 0)
		return parser_invalid(p, value, "a time span such as 30s, or 0 "
				      "or infinity for none");
	p->unit->watchdog_usec = usec == USEC_INFINITY ? 0 : usec;
	return 0;
}

int key_send_sigkill(struct unit_parser *p, const char *value)
{
	return set_bool(p, value, &p->unit->send_sigkill, true);
}

static int set_exit_status(struct unit_parser *p, const char *value,
			   struct exit_status_set **set)
{
	struct exit_status_set parsed = {0};

	if (!*value) {
		free(*set);
		*set = NULL;
		return 0;
	}
	if (*set)
		parsed = **set;
	if (value_parse_exit_status_set(value, &parsed) < 0)
		return parser_invalid(p, value, "exit codes 0-255, exit status "
				      "names such as NOTINSTALLED, or signal "
				      "names such as SIGTERM");
	if (!*set && !(*set = malloc(sizeof(**set))))
		return parser_nomem(p);
	**set = parsed;
	return 0;
}

int key_success_exit_status(struct unit_parser *p, const char *value)
{
	return set_exit_status(p, value, &p->unit->success_exit_status);
}

int key_restart_prevent_exit_status(struct unit_parser *p, const char *value)
{
	return set_exit_status(p, value, &p->unit->restart_prevent_exit_status);
}

int key_ignore_sigpipe(struct unit_parser *p, const char *value)
{
	return set_bool(p, value, &p->unit->ignore_sigpipe, true);
}

/* TTYReset=, TTYVHangup=, TTYVTDisallocate=, SendSIGHUP=: all "no"
 * unless set. */
int key_exec_bool(struct unit_parser *p, const char *value)
{
	struct unit *u = p->unit;
	bool *field = strcmp(p->key, "TTYReset") == 0 ? &u->tty_reset :
		      strcmp(p->key, "TTYVHangup") == 0 ? &u->tty_vhangup :
		      strcmp(p->key, "TTYVTDisallocate") == 0 ?
		      &u->tty_vt_disallocate : &u->send_sighup;

	return set_bool(p, value, field, false);
}

int key_no_new_privileges(struct unit_parser *p, const char *value)
{
	return set_bool(p, value, &p->unit->no_new_privileges, false);
}

int key_remain_after_exit(struct unit_parser *p, const char *value)
{
	return set_bool(p, value, &p->unit->remain_after_exit, false);
}


/* One word of Environment=: specifiers resolved, then a valid
 * assignment set (later wins) or, as in systemd, a warning. */
static int environment_word(struct unit_parser *p, char *word)
{
	char *error = NULL, *text = spec_expand(word, &p->spec, &error);
	const char *eq;
	int r = 0;

	if (!text && !error)
		r = parser_nomem(p);
	else if (!text)
		parser_diag(p, UNIT_DIAG_WARNING, "Environment=%s: %s, ignored",
			    word, error);
	else if (!(eq = strchr(text, '=')) ||
		 !strv_env_name_valid(text, (size_t)(eq - text)))
		parser_diag(p, UNIT_DIAG_WARNING, "Environment=%s: not a valid "
			    "NAME=VALUE assignment, ignored", text);
	else {
		/* Indexed: a unit of 1 MiB of assignments loads in O(n). */
		r = envmap_put_take(&p->environment, text) < 0 ?
			parser_nomem(p) : 0;
		text = NULL;	/* taken, or freed on failure */
	}
	free(error);
	free(text);
	return r;
}

int key_environment(struct unit_parser *p, const char *value)
{
	const char *rest = value, *why = NULL;
	char *word;
	int r;

	if (!*value) {
		envmap_free(&p->environment);
		return 0;
	}
	while ((r = words_next(&rest, WORDS_UNQUOTE | WORDS_CUNESCAPE, &word,
			       &why)) > 0) {
		r = environment_word(p, word);
		free(word);
		if (r < 0)
			return -1;
	}
	if (r < 0 && why)
		return parser_invalid(p, value, "space-separated NAME=VALUE "
				      "assignments, each optionally quoted");
	return r < 0 ? parser_nomem(p) : 0;
}

/* "-" prefix: a missing directory is no failure; "~": the user's home. */
int key_working_directory(struct unit_parser *p, const char *value)
{
	bool optional = value[0] == '-';
	char *text;

	if (!*value) {
		free(p->unit->working_directory);
		p->unit->working_directory = NULL;
		p->unit->working_directory_optional = false;
		return 0;
	}
	text = keys_expand(p, value + optional);
	if (!text)
		return -1;
	if (strcmp(text, "~") != 0 && text[0] != '/') {
		free(text);
		return parser_invalid(p, value, "an absolute path or ~, "
				      "optionally after -");
	}
	free(p->unit->working_directory);
	p->unit->working_directory = text;
	p->unit->working_directory_optional = optional;
	return 0;
}

/* An absolute path after specifiers; empty resets it. */
int keys_set_path(struct unit_parser *p, const char *value, char **field)
{
	char *text;

	if (!*value) {
		free(*field);
		*field = NULL;
		return 0;
	}
	text = keys_expand(p, value);
	if (!text)
		return -1;
	if (text[0] != '/') {
		free(text);
		return parser_invalid(p, value, "an absolute path");
	}
	free(*field);
	*field = text;
	return 0;
}

int key_pid_file(struct unit_parser *p, const char *value)
{
	return keys_set_path(p, value, &p->unit->pid_file);
}

/* A user or group name as useradd takes it, or a number. */
static bool account_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 32 || name[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]) &&
		    !(name[i] == '$' && i == len - 1))
			return false;
	return true;
}

static int set_account(struct unit_parser *p, const char *value, char **field)
{
	char *text;

	if (!*value) {
		free(*field);
		*field = NULL;
		return 0;
	}
	text = keys_expand(p, value);
	if (!text)
		return -1;
	if (!account_name_ok(text)) {
		free(text);
		return parser_invalid(p, value, "a user or group name, or a "
				      "number");
	}
	free(*field);
	*field = text;
	return 0;
}

int key_user(struct unit_parser *p, const char *value)
{
	return set_account(p, value, &p->unit->user);
}

int key_group(struct unit_parser *p, const char *value)
{
	return set_account(p, value, &p->unit->group);
}

int key_supplementary_groups(struct unit_parser *p, const char *value)
{
	char ***list = &p->unit->supplementary_groups;
	size_t kept = strv_length(*list);

	if (keys_set_list(p, value, list, true) < 0)
		return -1;
	for (size_t i = kept; *list && (*list)[i]; i++)
		if (!account_name_ok((*list)[i]))
			return parser_invalid(p, value, "group names or numbers");
	return 0;
}

int key_umask(struct unit_parser *p, const char *value)
{
	char *end;
	long mask;

	if (!*value) {
		p->unit->umask = 0022;
		return 0;
	}
	errno = 0;
	mask = strtol(value, &end, 8);
	if (errno || *end || end == value || mask < 0 || mask > 0777)
		return parser_invalid(p, value, "an octal mode such as 0022");
	p->unit->umask = (int)mask;
	return 0;
}

int key_nice(struct unit_parser *p, const char *value)
{
	char *end;
	long nice;

	if (!*value) {
		p->unit->nice_set = false;
		return 0;
	}
	errno = 0;
	nice = strtol(value, &end, 10);
	if (errno || *end || end == value || nice < -20 || nice > 19)
		return parser_invalid(p, value, "a number from -20 to 19");
	p->unit->nice = (int)nice;
	p->unit->nice_set = true;
	return 0;
}

int key_wanted_by(struct unit_parser *p, const char *value)
{
	return keys_set_list(p, value, &p->unit->wanted_by, true);
}

int key_required_by(struct unit_parser *p, const char *value)
{
	return keys_set_list(p, value, &p->unit->required_by, true);
}

int key_alias(struct unit_parser *p, const char *value)
{
	return keys_set_list(p, value, &p->unit->aliases, true);
}

int key_also(struct unit_parser *p, const char *value)
{
	return keys_set_list(p, value, &p->unit->also, true);
}

int key_default_instance(struct unit_parser *p, const char *value)
{
	return keys_set_string(p, value, &p->unit->default_instance);
}
