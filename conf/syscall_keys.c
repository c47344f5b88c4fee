/* syscall_keys: the system call keys of systemd.exec(5) (SystemCallFilter=,
 * RestrictAddressFamilies=, ...), parsed into the unit's syscall_sandbox,
 * which exists only once one of them is given.
 *
 * A name these keys do not know (a system call, a group, an errno, an
 * address family, a namespace kind, an architecture) is a warning and
 * the entry is left out, as systemd does: newer systemd versions and
 * kernels add names, and a unit written for them still loads. */
#include "unit_keys.h"
#include "parser.h"
#include "syscall_filter.h"
#include "value.h"
#include "words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The unit's sandbox, made at the first key that needs one. */
static struct unit_syscall_sandbox *sandbox(struct unit_parser *p)
{
	if (!p->unit->syscall_sandbox)
		p->unit->syscall_sandbox = syscall_sandbox_new();
	return p->unit->syscall_sandbox;
}

/* The settings change: a compiled filter is out of date. Only ever set
 * by the daemon, after loading; cleared here for the fuzzers' sake. */
static void forget_compiled(struct unit_syscall_sandbox *sb)
{
	syscall_programs_free(sb->compiled);
	sb->compiled = NULL;
}

static void warn(void *ctx, const char *message)
{
	struct unit_parser *p = ctx;

	parser_diag(p, UNIT_DIAG_WARNING, "%s=: %s", p->key, message);
}

/* The next word of *rest, or 0 at the end; a syntax error is warned
 * about and ends the list (systemd ignores the rest of the line). */
static int next_word(struct unit_parser *p, const char **rest,
		     unsigned flags, char **word)
{
	const char *why = NULL;
	int r = words_next(rest, flags, word, &why);

	if (r < 0 && why) {
		parser_diag(p, UNIT_DIAG_WARNING, "%s=: %s, rest of the value "
			    "ignored", p->key, why);
		return 0;
	}
	if (r < 0)
		parser_nomem(p);
	return r;
}

/* "name" or "name:errno" of SystemCallFilter=; false after a warning. */
static bool split_errno(struct unit_parser *p, char *word, bool invert,
			int *errnum)
{
	char *colon = strchr(word, ':');

	*errnum = SYSCALL_ERRNO_DEFAULT;
	if (colon) {
		*colon = '\0';
		*errnum = syscall_errno_parse(colon + 1, true);
	}
	if (!*word || (colon && *errnum < 0)) {
		if (colon)
			*colon = ':';
		parser_diag(p, UNIT_DIAG_WARNING, "%s=: \"%s\": expected "
			    "NAME or NAME:ERRNO (an errno name, 0-4095 or kill), "
			    "ignored", p->key, word);
		return false;
	}
	if (!invert && colon) {
		parser_diag(p, UNIT_DIAG_WARNING, "%s=: \"%s:%s\": an allowed "
			    "system call takes no error number, ignored",
			    p->key, word, colon + 1);
		return false;
	}
	return true;
}

/* SystemCallFilter= and SystemCallLog=: the first assignment decides
 * whether the set is an allow list ("~" makes a deny list); later ones
 * add or take out, as systemd's config_parse_syscall_filter(). */
static int parse_set(struct unit_parser *p, const char *value,
		     struct syscall_set *set, bool filter)
{
	bool invert = value[0] == '~';
	const char *rest = value + invert;
	char *word;
	int r;

	if (!set->started) {
		set->started = true;
		set->allow_list = !invert;
		/* What every program needs (execve, exit, ...) is allowed. */
		if (filter && !invert &&
		    syscall_set_update(set, "@default", SYSCALL_ERRNO_DEFAULT, 0,
				       NULL, NULL) < 0)
			return parser_nomem(p);
	}
	while ((r = next_word(p, &rest, 0, &word)) > 0) {
		int errnum = SYSCALL_ERRNO_DEFAULT;
		bool ok = !filter || split_errno(p, word, invert, &errnum);

		if (ok && syscall_set_update(set, word, errnum,
					     SYSCALL_PARSE_WARN |
					     (invert ? SYSCALL_PARSE_INVERT : 0),
					     warn, p) < 0) {
			free(word);
			return parser_nomem(p);
		}
		free(word);
	}
	return r < 0 ? -1 : 0;
}

int key_system_call_filter(struct unit_parser *p, const char *value)
{
	struct unit_syscall_sandbox *sb = p->unit->syscall_sandbox;
	bool log = strcmp(p->key, "SystemCallLog") == 0;

	if (!*value) {
		if (sb) {
			syscall_set_clear(log ? &sb->log : &sb->filter);
			forget_compiled(sb);
		}
		return 0;
	}
	if (!(sb = sandbox(p)))
		return parser_nomem(p);
	forget_compiled(sb);
	return parse_set(p, value, log ? &sb->log : &sb->filter, !log);
}

int key_system_call_error_number(struct unit_parser *p, const char *value)
{
	struct unit_syscall_sandbox *sb = p->unit->syscall_sandbox;
	int e = SYSCALL_ERRNO_KILL;

	if (*value && strcmp(value, "kill") != 0) {
		e = syscall_errno_parse(value, false);
		if (e <= 0) {
			parser_diag(p, UNIT_DIAG_WARNING, "%s=%s: expected an "
				    "errno name such as EPERM, a number from 1 "
				    "to 4095, or kill; ignored", p->key, value);
			return 0;
		}
	}
	if (!sb && e == SYSCALL_ERRNO_KILL)
		return 0;
	if (!sb && !(sb = sandbox(p)))
		return parser_nomem(p);
	forget_compiled(sb);
	sb->error_number = e;
	return 0;
}

static int arch_index(const char *name)
{
	for (unsigned i = 0; i < syscall_archs_count; i++)
		if (strcmp(syscall_archs[i].name, name) == 0)
			return (int)i;
	return -1;
}

int key_system_call_architectures(struct unit_parser *p, const char *value)
{
	struct unit_syscall_sandbox *sb = p->unit->syscall_sandbox;
	const char *rest = value;
	char *word;
	int r;

	if (!*value) {
		if (sb) {
			sb->archs = 0;
			forget_compiled(sb);
		}
		return 0;
	}
	if (!(sb = sandbox(p)))
		return parser_nomem(p);
	forget_compiled(sb);
	while ((r = next_word(p, &rest, WORDS_UNQUOTE, &word)) > 0) {
		int i = arch_index(word);

		if (i < 0)
			parser_diag(p, UNIT_DIAG_WARNING, "%s=: unknown "
				    "architecture \"%s\", ignored", p->key, word);
		else
			sb->archs |= 1u << i;
		free(word);
	}
	return r < 0 ? -1 : 0;
}

/* The families of one assignment, as systemd's
 * config_parse_address_families(): the first decides allow or deny
 * list, a later one of the other kind takes its families out. */
static int parse_families(struct unit_parser *p, struct unit_syscall_sandbox *sb,
			  const char *value)
{
	bool invert = value[0] == '~';
	const char *rest = value + invert;
	char *word;
	int r;

	if (!sb->address_families_started) {
		sb->address_families_started = true;
		sb->address_families_allow_list = !invert;
	}
	while ((r = next_word(p, &rest, WORDS_UNQUOTE, &word)) > 0) {
		int af = syscall_af_parse(word);

		if (af < 0)
			parser_diag(p, UNIT_DIAG_WARNING, "%s=: unknown address "
				    "family \"%s\", ignored", p->key, word);
		else if (invert != sb->address_families_allow_list)
			sb->address_families |= UINT64_C(1) << af;
		else
			sb->address_families &= ~(UINT64_C(1) << af);
		free(word);
	}
	return r < 0 ? -1 : 0;
}

int key_restrict_address_families(struct unit_parser *p, const char *value)
{
	struct unit_syscall_sandbox *sb = p->unit->syscall_sandbox;

	if (!*value) {
		if (sb) {
			sb->address_families = 0;
			sb->address_families_allow_list = false;
			sb->address_families_started = false;
			forget_compiled(sb);
		}
		return 0;
	}
	if (!(sb = sandbox(p)))
		return parser_nomem(p);
	forget_compiled(sb);
	if (strcmp(value, "none") == 0) {
		sb->address_families = 0;
		sb->address_families_allow_list = true;
		sb->address_families_started = true;
		return 0;
	}
	return parse_families(p, sb, value);
}

/* "cgroup ipc ...": their CLONE_NEW* flags; -1 after a warning. */
static int namespace_flags(struct unit_parser *p, const char *list,
			   unsigned long *flags)
{
	const char *rest = list;
	char *word;
	int r;

	*flags = 0;
	while ((r = next_word(p, &rest, 0, &word)) > 0) {
		unsigned i;

		for (i = 0; i < syscall_namespaces_count; i++)
			if (strcmp(word, syscall_namespaces[i].name) == 0)
				break;
		if (i == syscall_namespaces_count) {
			parser_diag(p, UNIT_DIAG_WARNING, "%s=: unknown namespace "
				    "type \"%s\" (expected cgroup, ipc, net, mnt, "
				    "pid, user, uts, time), value ignored",
				    p->key, word);
			free(word);
			return -1;
		}
		*flags |= syscall_namespaces[i].flag;
		free(word);
	}
	return r;
}

/* yes: none allowed, no: all; a list allows those, "~list" all others;
 * a later list adds to or takes from the earlier one. */
int key_restrict_namespaces(struct unit_parser *p, const char *value)
{
	struct unit_syscall_sandbox *sb = p->unit->syscall_sandbox;
	unsigned long all = syscall_namespaces_all(), flags;
	bool invert = value[0] == '~', yes;

	if (!*value || (value_parse_bool(value, &yes) == 0 && !yes)) {
		if (sb) {
			sb->restrict_namespaces = *value ? all :
						  SYSCALL_NAMESPACES_UNSET;
			forget_compiled(sb);
		}
		return 0;
	}
	if (!(sb = sandbox(p)))
		return parser_nomem(p);
	forget_compiled(sb);
	if (value_parse_bool(value, &yes) == 0) {
		sb->restrict_namespaces = 0;
		return 0;
	}
	if (namespace_flags(p, value + invert, &flags) < 0)
		return 0;
	if (sb->restrict_namespaces == SYSCALL_NAMESPACES_UNSET)
		sb->restrict_namespaces = invert ? ~flags & all : flags;
	else if (invert)
		sb->restrict_namespaces &= ~flags;
	else
		sb->restrict_namespaces |= flags;
	return 0;
}

/* RestrictRealtime=, RestrictSUIDSGID=, LockPersonality=,
 * MemoryDenyWriteExecute=. */
int key_syscall_bool(struct unit_parser *p, const char *value)
{
	struct unit_syscall_sandbox *sb = p->unit->syscall_sandbox;
	bool on = false;
	bool *field;

	if (keys_set_bool(p, value, &on, false) < 0)
		return -1;
	if (!on && !sb)
		return 0;
	if (!(sb = sandbox(p)))
		return parser_nomem(p);
	forget_compiled(sb);
	if (strcmp(p->key, "RestrictRealtime") == 0)
		field = &sb->restrict_realtime;
	else if (strcmp(p->key, "RestrictSUIDSGID") == 0)
		field = &sb->restrict_suid_sgid;
	else if (strcmp(p->key, "LockPersonality") == 0)
		field = &sb->lock_personality;
	else
		field = &sb->memory_deny_write_execute;
	*field = on;
	return 0;
}
