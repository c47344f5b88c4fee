/* exec_keys: the systemd.exec(5) keys that shape a service's process
 * beyond its command: environment files, limits, directories, standard
 * streams. Values are checked here; svd applies them at each start. */
#include "unit_keys.h"
#include "caps.h"
#include "parser.h"
#include "rlimit.h"
#include "strv.h"
#include "words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* An absolute path after specifiers, or NULL after reporting. */
static char *absolute_path(struct unit_parser *p, const char *value,
			   const char *shown)
{
	char *text = keys_expand(p, value);

	if (text && text[0] != '/') {
		free(text);
		parser_invalid(p, shown, "an absolute path");
		return NULL;
	}
	return text;
}

/* One file per assignment; "-" before the path: a missing file is fine.
 * The file is read at each start, as systemd does. */
int key_environment_file(struct unit_parser *p, const char *value)
{
	bool optional = value[0] == '-';
	char *path, *entry;

	if (!*value) {
		strv_free(p->unit->environment_files);
		p->unit->environment_files = NULL;
		return 0;
	}
	if (!(path = absolute_path(p, value + optional, value)))
		return -1;
	if (asprintf(&entry, "%s%s", optional ? "-" : "", path) < 0) {
		free(path);
		return parser_nomem(p);
	}
	free(path);
	if (strv_push_take(&p->unit->environment_files, entry) < 0)
		return parser_nomem(p);
	return 0;
}

/* Names from svd's own environment: NAME only. */
int key_pass_environment(struct unit_parser *p, const char *value)
{
	char ***list = &p->unit->pass_environment;
	size_t kept = strv_length(*list);

	if (keys_set_list(p, value, list, true) < 0)
		return -1;
	for (size_t i = kept; *list && (*list)[i]; i++)
		if (!strv_env_name_valid((*list)[i], strlen((*list)[i])))
			return parser_invalid(p, value, "variable names");
	return 0;
}

/* NAME removes the variable, NAME=VALUE only that exact assignment. */
int key_unset_environment(struct unit_parser *p, const char *value)
{
	char ***list = &p->unit->unset_environment;
	size_t kept = strv_length(*list);

	if (keys_set_list(p, value, list, true) < 0)
		return -1;
	for (size_t i = kept; *list && (*list)[i]; i++) {
		const char *word = (*list)[i];

		if (!strv_env_name_valid(word, strcspn(word, "=")))
			return parser_invalid(p, value, "variable names or "
					      "NAME=VALUE assignments");
	}
	return 0;
}

int key_root_directory(struct unit_parser *p, const char *value)
{
	return keys_set_path(p, value, &p->unit->root_directory);
}

/* Every Limit*= key: which one is in p->key. */
int key_limit(struct unit_parser *p, const char *value)
{
	int resource = rlimit_from_key(p->key);
	struct unit_rlimit limit = { .set = true };

	if (resource < 0 || resource >= RLIM_NLIMITS)
		return parser_invalid(p, value, "a known Limit key");
	if (!*value) {
		if (p->unit->limits)
			p->unit->limits[resource] = (struct unit_rlimit){ 0 };
		return 0;
	}
	if (rlimit_parse(resource, value, &limit.soft, &limit.hard) < 0)
		return parser_invalid(p, value, "a value or SOFT:HARD, each a "
				      "number (with a unit where the limit has "
				      "one) or infinity, soft not above hard");
	if (!p->unit->limits &&
	    !(p->unit->limits = calloc(RLIM_NLIMITS, sizeof(*p->unit->limits))))
		return parser_nomem(p);
	p->unit->limits[resource] = limit;
	return 0;
}

/* "RuntimeDirectory" or "RuntimeDirectoryMode" -> UNIT_DIR_RUNTIME. */
static int dir_of_key(const char *key)
{
	for (int d = 0; d < UNIT_DIR_COUNT; d++) {
		const char *name = unit_dir_name((enum unit_dir)d);

		if (strncmp(key, name, strlen(name)) == 0)
			return d;
	}
	return -1;
}

/* Relative, without "." or ".." components: it must stay under its root. */
static bool directory_name_valid(const char *name)
{
	const char *part = name;

	if (!*name || name[0] == '/')
		return false;
	while (*part) {
		size_t len = strcspn(part, "/");

		if (len == 0 || (len == 1 && part[0] == '.') ||
		    (len == 2 && part[0] == '.' && part[1] == '.'))
			return false;
		part += len;
		if (*part == '/')
			part++;
	}
	return true;
}

int key_directory(struct unit_parser *p, const char *value)
{
	int dir = dir_of_key(p->key);
	char ***list;
	size_t kept;

	if (dir < 0)
		return parser_invalid(p, value, "a known directory key");
	list = &p->unit->directories[dir];
	kept = strv_length(*list);
	if (keys_set_list(p, value, list, true) < 0)
		return -1;
	for (size_t i = kept; *list && (*list)[i]; i++) {
		char *name = (*list)[i];
		size_t len = strlen(name);

		while (len > 1 && name[len - 1] == '/')
			name[--len] = '\0';
		if (!directory_name_valid(name))
			return parser_invalid(p, value, "relative paths without "
					      ". or .. components");
	}
	return 0;
}

int key_directory_mode(struct unit_parser *p, const char *value)
{
	int dir = dir_of_key(p->key);
	char *end;
	long mode;

	if (dir < 0)
		return parser_invalid(p, value, "a known directory key");
	if (!*value) {
		p->unit->directory_mode[dir] = 0755;
		return 0;
	}
	errno = 0;
	mode = strtol(value, &end, 8);
	if (errno || *end || end == value || mode < 0 || mode > 07777)
		return parser_invalid(p, value, "an octal mode such as 0755");
	p->unit->directory_mode[dir] = (int)mode;
	return 0;
}

int key_runtime_directory_preserve(struct unit_parser *p, const char *value)
{
	bool yes;

	if (!*value) {
		p->unit->runtime_directory_preserve = UNIT_PRESERVE_NO;
	} else if (strcmp(value, "restart") == 0) {
		p->unit->runtime_directory_preserve = UNIT_PRESERVE_RESTART;
	} else if (value_parse_bool(value, &yes) == 0) {
		p->unit->runtime_directory_preserve =
			yes ? UNIT_PRESERVE_YES : UNIT_PRESERVE_NO;
	} else {
		return parser_invalid(p, value, "yes, no or restart");
	}
	return 0;
}

static const struct {
	const char *word;
	enum unit_stdio stdio;
} stdio_words[] = {
	{ "inherit", UNIT_STDIO_INHERIT },
	{ "null", UNIT_STDIO_NULL },
	{ "journal", UNIT_STDIO_LOG },
	{ "syslog", UNIT_STDIO_LOG },
	{ "kmsg", UNIT_STDIO_LOG },
	{ "journal+console", UNIT_STDIO_LOG_CONSOLE },
	{ "syslog+console", UNIT_STDIO_LOG_CONSOLE },
	{ "kmsg+console", UNIT_STDIO_LOG_CONSOLE },
	{ "socket", UNIT_STDIO_SOCKET },
	{ "tty", UNIT_STDIO_TTY },
	{ "tty-force", UNIT_STDIO_TTY_FORCE },
	{ "tty-fail", UNIT_STDIO_TTY_FAIL },
};

static const struct {
	const char *prefix;
	enum unit_stdio stdio;
} stdio_files[] = {
	{ "file:", UNIT_STDIO_FILE },
	{ "append:", UNIT_STDIO_APPEND },
	{ "truncate:", UNIT_STDIO_TRUNCATE },
};

/* systemd's words that need what svd does not have: a warning, and the
 * stream keeps its default rather than failing the unit. */
static bool stdio_unsupported(struct unit_parser *p, const char *value)
{
	static const char *const words[] = { "data", "fd" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t len = strlen(words[i]);

		if (strncmp(value, words[i], len) == 0 &&
		    (value[len] == '\0' || value[len] == ':')) {
			parser_diag(p, UNIT_DIAG_WARNING, "%s=%s: not supported "
				    "by svd, the default is used", p->key, value);
			return true;
		}
	}
	return false;
}

static int set_stdio(struct unit_parser *p, const char *value, bool input,
		     enum unit_stdio *stdio, char **path)
{
	*stdio = UNIT_STDIO_DEFAULT;
	free(*path);
	*path = NULL;
	if (!*value || stdio_unsupported(p, value))
		return 0;
	for (size_t i = 0; i < sizeof(stdio_files) / sizeof(stdio_files[0]); i++) {
		size_t len = strlen(stdio_files[i].prefix);

		if (strncmp(value, stdio_files[i].prefix, len) != 0)
			continue;
		if (input && stdio_files[i].stdio != UNIT_STDIO_FILE)
			break;
		if (!(*path = absolute_path(p, value + len, value)))
			return -1;
		*stdio = stdio_files[i].stdio;
		return 0;
	}
	for (size_t i = 0; i < sizeof(stdio_words) / sizeof(stdio_words[0]); i++) {
		enum unit_stdio s = stdio_words[i].stdio;

		if (strcmp(value, stdio_words[i].word) != 0 ||
		    (input && s != UNIT_STDIO_NULL && s != UNIT_STDIO_SOCKET &&
		     s != UNIT_STDIO_TTY && s != UNIT_STDIO_TTY_FORCE &&
		     s != UNIT_STDIO_TTY_FAIL) ||
		    (!input && (s == UNIT_STDIO_TTY_FORCE || s == UNIT_STDIO_TTY_FAIL)))
			continue;
		*stdio = stdio_words[i].stdio;
		return 0;
	}
	return parser_invalid(p, value, input ? "null, tty, tty-force, tty-fail, "
			      "socket or file:PATH" :
			      "inherit, null, tty, journal, syslog, kmsg (svd's "
			      "log), socket, file:PATH, append:PATH or "
			      "truncate:PATH");
}

int key_standard_input(struct unit_parser *p, const char *value)
{
	return set_stdio(p, value, true, &p->unit->std_input,
			 &p->unit->std_input_path);
}

int key_standard_output(struct unit_parser *p, const char *value)
{
	return set_stdio(p, value, false, &p->unit->std_output,
			 &p->unit->std_output_path);
}

int key_standard_error(struct unit_parser *p, const char *value)
{
	return set_stdio(p, value, false, &p->unit->std_error,
			 &p->unit->std_error_path);
}

int key_tty_path(struct unit_parser *p, const char *value)
{
	char *path = NULL;

	if (*value && !(path = absolute_path(p, value, value)))
		return -1;
	free(p->unit->tty_path);
	p->unit->tty_path = path;
	return 0;
}

/* TTYRows=, TTYColumns=: empty resets to "as the terminal has it". */
int key_tty_size(struct unit_parser *p, const char *value)
{
	int *field = strcmp(p->key, "TTYRows") == 0 ? &p->unit->tty_rows :
		     &p->unit->tty_columns;
	char *end;
	long n;

	if (!*value) {
		*field = -1;
		return 0;
	}
	errno = 0;
	n = strtol(value, &end, 10);
	if (errno || *end || end == value || n < 0 || n > 65535)
		return parser_invalid(p, value, "a number of 0 to 65535");
	*field = (int)n;
	return 0;
}

int key_syslog_identifier(struct unit_parser *p, const char *value)
{
	return keys_set_string(p, value, &p->unit->syslog_identifier);
}

/* UtmpIdentifier=: any text; utmp keeps its last four bytes, as
 * systemd writes it ("ttyS0" is "tyS0"). */
int key_utmp_identifier(struct unit_parser *p, const char *value)
{
	return keys_set_string(p, value, &p->unit->utmp_id);
}

int key_utmp_mode(struct unit_parser *p, const char *value)
{
	static const char *const modes[] = { "init", "login", "user" };

	if (!*value) {
		p->unit->utmp_mode = UNIT_UTMP_INIT;
		return 0;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(value, modes[i]) == 0) {
			p->unit->utmp_mode = (enum unit_utmp_mode)i;
			return 0;
		}
	return parser_invalid(p, value, "init, login or user");
}

/* The capabilities a list (value without its "~") names. An unknown
 * name is warned about and left out, as systemd does: it may be one that
 * a newer kernel and libcap know, and the unit still loads (left out of
 * CapabilityBoundingSet=, it is dropped; of "~" lists, kept). */
static int capability_list(struct unit_parser *p, const char *value,
			   bool invert, uint64_t *sum)
{
	const char *rest = value + invert, *why = NULL;
	char *word;
	int r;

	*sum = 0;
	while ((r = words_next(&rest, WORDS_UNQUOTE | WORDS_RELAX, &word, &why)) > 0) {
		int cap = caps_from_name(word);

		if (cap < 0)
			parser_diag(p, UNIT_DIAG_WARNING, "%s=%s: unknown "
				    "capability \"%s\", ignored", p->key,
				    value, word);
		else
			*sum |= CAPS_BIT(cap);
		free(word);
	}
	return r < 0 ? parser_nomem(p) : 0;
}

int key_capability_bounding_set(struct unit_parser *p, const char *value)
{
	struct unit *u = p->unit;
	bool invert = value[0] == '~';
	uint64_t sum;

	if (capability_list(p, value, invert, &sum) < 0)
		return -1;
	u->capability_bounding_set = caps_merge(u->capability_bounding_set,
						!u->capability_bounding_set_given,
						sum, invert);
	u->capability_bounding_set_given = true;
	return 0;
}

/* As systemd, an empty ambient set counts as not yet assigned. */
int key_ambient_capabilities(struct unit_parser *p, const char *value)
{
	struct unit *u = p->unit;
	bool invert = value[0] == '~';
	bool first = u->ambient_capabilities == 0;
	uint64_t sum, *named = &u->ambient_capabilities_named;

	if (capability_list(p, value, invert, &sum) < 0)
		return -1;
	u->ambient_capabilities = caps_merge(u->ambient_capabilities, first,
					     sum, invert);
	if (sum == 0 || first)
		*named = invert ? 0 : sum;
	else
		*named = invert ? *named & ~sum : *named | sum;
	return 0;
}

/* Words ORed into the bits; empty: back to not given. */
int key_secure_bits(struct unit_parser *p, const char *value)
{
	const char *rest = value, *why = NULL;
	int bits = 0, r;
	char *word;

	if (!*value) {
		p->unit->secure_bits = 0;
		p->unit->secure_bits_given = false;
		return 0;
	}
	while ((r = words_next(&rest, WORDS_UNQUOTE, &word, &why)) > 0) {
		int bit = caps_securebit_from_word(word);

		free(word);
		if (bit < 0)
			return parser_invalid(p, value, "keep-caps, "
					      "keep-caps-locked, no-setuid-fixup, "
					      "no-setuid-fixup-locked, noroot, "
					      "noroot-locked");
		bits |= bit;
	}
	if (r < 0 && why)
		return parser_invalid(p, value, "words with balanced quotes");
	if (r < 0)
		return parser_nomem(p);
	p->unit->secure_bits |= bits;
	p->unit->secure_bits_given = true;
	return 0;
}
