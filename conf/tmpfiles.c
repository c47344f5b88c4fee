/* tmpfiles: one tmpfiles.d(5) line at a time, as systemd-tmpfiles'
 * parse_line(): six fields split like systemd's extract_first_word()
 * (quotes, C escapes), the rest of the line is the argument. */
#include "tmpfiles.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "value.h"
#include "words.h"

#define BLANKS " \t\r"
/* The fields before the argument: type, path, mode, user, group, age. */
#define N_FIELDS 6

/* What the line being parsed reports through. */
struct parse {
	struct tmpfiles_list *list;
	const char *file;	/* the list's copy */
	unsigned line;
	tmpfiles_diag_fn *diag;
	void *ctx;
	bool nomem;
};

__attribute__((format(printf, 3, 4)))
static void say(struct parse *p, bool error, const char *fmt, ...)
{
	struct sbuf msg = SBUF_INIT;
	va_list ap;
	int r;

	if (error)
		p->list->n_errors++;
	else
		p->list->n_warnings++;
	if (!p->diag)
		return;
	va_start(ap, fmt);
	r = sbuf_addf(&msg, "%s:%u: ", p->file, p->line);
	if (r == 0)
		r = sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	p->diag(p->ctx, error, r == 0 ? msg.s : "tmpfiles: a message was lost: "
		"out of memory");
	sbuf_free(&msg);
}

/* What %c stands for: *value (may be NULL: unknown on this system), or
 * 1 for no such specifier. */
static int spec_value(char c, const struct tmpfiles_specs *s,
		      const char **value)
{
	switch (c) {
	case 'm': *value = s->machine_id; return 0;
	case 'b': *value = s->boot_id; return 0;
	case 'H': *value = s->hostname; return 0;
	case 'v': *value = s->kernel_release; return 0;
	case 'a': *value = s->architecture; return 0;
	case 't': *value = s->runtime_dir; return 0;
	case 'S': *value = s->state_dir; return 0;
	case 'C': *value = s->cache_dir; return 0;
	case 'L': *value = s->logs_dir; return 0;
	case 'T': *value = s->tmp_dir; return 0;
	case 'V': *value = s->var_tmp_dir; return 0;
	case 'h': *value = s->home; return 0;
	case 'u': *value = s->user; return 0;
	case 'g': *value = s->group; return 0;
	case '%': *value = "%"; return 0;
	default: return 1;
	}
}

enum expand { EXPAND_OK, EXPAND_UNKNOWN, EXPAND_UNRESOLVED, EXPAND_NOMEM };

/* Replaces the specifiers in text; *bad gets the offending letter. */
static enum expand expand(const char *text, const struct tmpfiles_specs *s,
			  char **out, char *bad)
{
	struct sbuf b = SBUF_INIT;
	enum expand r = EXPAND_OK;

	if (sbuf_add(&b, "", 0) < 0)
		return EXPAND_NOMEM;
	for (; *text && r == EXPAND_OK; text++) {
		const char *value = NULL;
		size_t len;
		char num[24];

		/* A '%' at the very end stays, as in systemd. */
		if (*text != '%' || text[1] == '\0') {
			if (sbuf_addc(&b, *text) < 0)
				r = EXPAND_NOMEM;
			continue;
		}
		*bad = *++text;
		if (*bad == 'U' || *bad == 'G') {
			snprintf(num, sizeof(num), "%lu", *bad == 'U' ? s->uid : s->gid);
			value = num;
		} else if (*bad == 'l') {
			value = s->hostname;	/* its first label */
		} else if (spec_value(*bad, s, &value)) {
			r = EXPAND_UNKNOWN;
			break;
		}
		if (!value) {
			r = EXPAND_UNRESOLVED;
			break;
		}
		len = *bad == 'l' ? strcspn(value, ".") : strlen(value);
		if (sbuf_add(&b, value, len) < 0)
			r = EXPAND_NOMEM;
	}
	if (r == EXPAND_OK)
		*out = b.s;
	else
		sbuf_free(&b);
	return r;
}

/* Expands a field, reporting what stops it: -1 then (the line is
 * dropped: an error for a bad specifier, a warning for one this system
 * cannot resolve, as systemd's log_unresolvable_specifier()). */
static int expand_field(struct parse *p, const char *what, const char *text,
			const struct tmpfiles_specs *s, char **out)
{
	char bad = 0;

	switch (expand(text, s, out, &bad)) {
	case EXPAND_OK:
		return 0;
	case EXPAND_UNKNOWN:
		say(p, true, "%s %s: unknown specifier %%%c", what, text, bad);
		break;
	case EXPAND_UNRESOLVED:
		say(p, false, "%s %s: %%%c is unknown on this system; line "
		    "ignored", what, text, bad);
		break;
	case EXPAND_NOMEM:
		p->nomem = true;
		break;
	}
	return -1;
}

/* "/a//b/./c/" -> "/a/b/c"; ".." is refused: a line must not climb out
 * of the root it is applied under. */
static int normalize_path(struct parse *p, char *path)
{
	char *out = path, *in = path;

	if (path[0] != '/') {
		say(p, true, "path %s is not absolute", path);
		return -1;
	}
	while (*in) {
		size_t len;

		in += strspn(in, "/");
		len = strcspn(in, "/");
		if (len == 0)
			break;
		if (len == 2 && in[0] == '.' && in[1] == '.') {
			say(p, true, "path %s: \"..\" is not allowed", path);
			return -1;
		}
		if (!(len == 1 && in[0] == '.')) {
			*out++ = '/';
			memmove(out, in, len);
			out += len;
		}
		in += len;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
	return 0;
}

/* The type letter and its modifiers. 0 to go on, 1 to drop the line
 * without an error, -1 after an error. */
static int parse_type(struct parse *p, const char *word,
		      struct tmpfiles_line *l)
{
	static const char known[] = "fFwdDevqQpLcbCxXrRzZ";
	static const char unapplied[] = "hHtTaA";
	char type = word[0];

	if (!type || (!strchr(known, type) && !strchr(unapplied, type))) {
		say(p, true, "unknown type '%s'", word);
		return -1;
	}
	for (const char *m = word + 1; *m; m++) {
		switch (*m) {
		case '+': l->force = true; break;
		case '!': l->boot = true; break;
		case '-': l->allow_failure = true; break;
		case '=': l->replace_type = true; break;
		case '$': break;	/* --purge, which svd does not do */
		case '~':
			say(p, false, "type %s: base64 arguments ('~') are not "
			    "supported; line ignored", word);
			return 1;
		case '^':
			say(p, false, "type %s: credentials ('^') are not "
			    "supported; line ignored", word);
			return 1;
		default:
			say(p, true, "type %s: unknown modifier '%c'", word, *m);
			return -1;
		}
	}
	if (strchr(unapplied, type)) {
		say(p, false, "type '%c' (attributes, ACLs, extended attributes) "
		    "is not supported; line ignored", type);
		return 1;
	}
	/* F is f+; subvolumes are plain directories off btrfs, and svd
	 * makes no subvolumes. */
	if (type == 'F') {
		type = 'f';
		l->force = true;
	} else if (type == 'v' || type == 'q' || type == 'Q') {
		type = 'd';
	}
	l->type = type;
	return 0;
}

static int parse_mode(struct parse *p, const char *word,
		      struct tmpfiles_line *l)
{
	const char *m = word;
	unsigned long mode;
	char *end;

	l->mode = strchr("dD", l->type) ? 0755 : 0644;
	if (strcmp(word, "-") == 0)
		return 0;
	for (; *m == '~' || *m == ':'; m++)
		*(*m == '~' ? &l->mode_masked : &l->mode_on_create) = true;
	errno = 0;
	mode = strtoul(m, &end, 8);
	if (!*m || *end || errno || mode > 07777 || strspn(m, "01234567") != strlen(m)) {
		say(p, true, "mode %s: expected an octal mode such as 0755 "
		    "(with '~' or ':' before it) or -", word);
		return -1;
	}
	l->mode = (mode_t)mode;
	l->mode_set = true;
	return 0;
}

/* User or group: a name or a number, ':' before it for "only when
 * created"; resolved where the line is applied. */
static int parse_owner(struct parse *p, const char *word, char **out,
		       bool *on_create)
{
	if (strcmp(word, "-") == 0)
		return 0;
	if (word[0] == ':') {
		*on_create = true;
		word++;
	}
	if (!*word || strchr(word, '/') || strchr(word, ':')) {
		say(p, true, "user or group %s: expected a name, a number or -",
		    word);
		return -1;
	}
	if (!(*out = strdup(word)))
		p->nomem = true;
	return *out ? 0 : -1;
}

/* [~][aAbBcmM...:]TIMESPAN or -. Only --clean uses it: parsed so that a
 * typo is reported. */
static int parse_age(struct parse *p, const char *word,
		     struct tmpfiles_line *l)
{
	const char *a = word;
	size_t by;

	if (strcmp(word, "-") == 0)
		return 0;
	if (*a == '~')
		a++;
	by = strspn(a, "aAbBcmM");
	if (a[by] == ':')
		a += by + 1;
	if (value_parse_timespan(a, &l->age_usec) < 0) {
		say(p, true, "age %s: expected a time span such as 10d or -",
		    word);
		return -1;
	}
	l->age_set = true;
	return 0;
}

/* f w: C escapes in place; a NUL may be written, hence the length. */
static int unescape_argument(struct parse *p, struct tmpfiles_line *l)
{
	char *in = l->argument, *out = l->argument;

	while (*in) {
		char bytes[4];
		size_t n;
		int used;

		if (*in != '\\') {
			*out++ = *in++;
			continue;
		}
		used = words_unescape_one(in + 1, bytes, &n);
		if (used < 0) {
			say(p, true, "argument: unknown escape \\%.1s", in + 1);
			return -1;
		}
		memcpy(out, bytes, n);
		out += n;
		in += 1 + used;
	}
	*out = '\0';
	l->argument_len = (size_t)(out - l->argument);
	return 0;
}

static int parse_device(struct parse *p, struct tmpfiles_line *l)
{
	unsigned major, minor;
	int end = 0;

	if (!l->argument ||
	    sscanf(l->argument, "%u:%u%n", &major, &minor, &end) != 2 ||
	    l->argument[end] || strspn(l->argument, "0123456789:") !=
	    strlen(l->argument)) {
		say(p, true, "type '%c' needs MAJOR:MINOR as its argument",
		    l->type);
		return -1;
	}
	l->major = major;
	l->minor = minor;
	return 0;
}

/* L and C without an argument: the file of the same path under
 * /usr/share/factory. */
static int factory_default(struct parse *p, struct tmpfiles_line *l)
{
	if (l->argument)
		return 0;
	if (asprintf(&l->argument, "/usr/share/factory%s", l->path) < 0) {
		l->argument = NULL;
		p->nomem = true;
		return -1;
	}
	return 0;
}

/* What each type makes of the argument (after the specifiers). */
static int parse_argument(struct parse *p, struct tmpfiles_line *l)
{
	switch (l->type) {
	case 'f':
		return l->argument ? unescape_argument(p, l) : 0;
	case 'w':
		if (!l->argument) {
			say(p, true, "type 'w' needs an argument to write");
			return -1;
		}
		return unescape_argument(p, l);
	case 'L':
		return factory_default(p, l);
	case 'C':
		if (factory_default(p, l) < 0)
			return -1;
		if (l->argument[0] != '/') {
			say(p, true, "type 'C': source %s is not absolute",
			    l->argument);
			return -1;
		}
		return normalize_path(p, l->argument);
	case 'c':
	case 'b':
		return parse_device(p, l);
	default:
		if (l->argument) {
			say(p, false, "type '%c' takes no argument; %s ignored",
			    l->type, l->argument);
			free(l->argument);
			l->argument = NULL;
		}
		return 0;
	}
}

static void line_clear(struct tmpfiles_line *l)
{
	free(l->path);
	free(l->user);
	free(l->group);
	free(l->argument);
	*l = (struct tmpfiles_line){ 0 };
}

/* The six fields; *rest is left at the argument. */
static int split_fields(struct parse *p, const char **rest, char **fields)
{
	const char *error = NULL;
	int n = 0;

	for (; n < N_FIELDS; n++) {
		int r = words_next(rest, WORDS_UNQUOTE | WORDS_CUNESCAPE,
				   &fields[n], &error);

		if (r == 0)
			break;
		if (r < 0) {
			if (errno == ENOMEM)
				p->nomem = true;
			else
				say(p, true, "%s", error ? error : "syntax error");
			return -1;
		}
	}
	if (n < 2) {
		say(p, true, "expected at least a type and a path");
		return -1;
	}
	*rest += strspn(*rest, BLANKS);
	return 0;
}

/* The fields into l: 0 to keep it, 1 to drop it quietly, -1 after an
 * error (or ENOMEM in p->nomem). */
static int fill_line(struct parse *p, char **f, const char *rest,
		     const struct tmpfiles_specs *specs, bool boot,
		     struct tmpfiles_line *l)
{
	int r = parse_type(p, f[0], l);

	if (r != 0)
		return r;
	if (l->boot && !boot)
		return 1;
	if (expand_field(p, "path", f[1], specs, &l->path) < 0 ||
	    normalize_path(p, l->path) < 0)
		return -1;
	if ((f[2] && parse_mode(p, f[2], l) < 0) ||
	    (f[3] && parse_owner(p, f[3], &l->user, &l->user_on_create) < 0) ||
	    (f[4] && parse_owner(p, f[4], &l->group, &l->group_on_create) < 0) ||
	    (f[5] && parse_age(p, f[5], l) < 0))
		return -1;
	if (!f[2])
		l->mode = strchr("dD", l->type) ? 0755 : 0644;
	if (*rest && strcmp(rest, "-") != 0 && strchr("fwLC", l->type) &&
	    expand_field(p, "argument", rest, specs, &l->argument) < 0)
		return -1;
	if (*rest && strcmp(rest, "-") != 0 && !l->argument &&
	    !(l->argument = strdup(rest))) {
		p->nomem = true;
		return -1;
	}
	return parse_argument(p, l);
}

static int list_push(struct tmpfiles_list *list, struct tmpfiles_line *l)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		struct tmpfiles_line *lines = realloc(list->lines,
						      cap * sizeof(*lines));

		if (!lines)
			return -1;
		list->lines = lines;
		list->cap = cap;
	}
	list->lines[list->n++] = *l;
	return 0;
}

/* One line, NUL-terminated, trailing blanks gone. -1 only on ENOMEM. */
static int parse_line(struct parse *p, const char *text,
		      const struct tmpfiles_specs *specs, bool boot)
{
	char *fields[N_FIELDS] = { NULL };
	struct tmpfiles_line l = { 0 };
	const char *rest = text;
	int r = -1;

	if (split_fields(p, &rest, fields) == 0)
		r = fill_line(p, fields, rest, specs, boot, &l);
	for (int i = 0; i < N_FIELDS; i++)
		free(fields[i]);
	if (r == 0) {
		l.file = p->file;
		l.line = p->line;
		if (list_push(p->list, &l) == 0)
			return 0;
		p->nomem = true;
	}
	line_clear(&l);
	return p->nomem ? -1 : 0;
}

/* The list keeps the file name for its lines. */
static const char *keep_file_name(struct tmpfiles_list *list, const char *path)
{
	char **files;

	if (list->n_files && strcmp(list->files[list->n_files - 1], path) == 0)
		return list->files[list->n_files - 1];
	files = realloc(list->files, (list->n_files + 1) * sizeof(*files));
	if (!files)
		return NULL;
	list->files = files;
	if (!(files[list->n_files] = strdup(path)))
		return NULL;
	return files[list->n_files++];
}

int tmpfiles_parse_text(struct tmpfiles_list *list, const char *text,
			size_t len, const char *path,
			const struct tmpfiles_specs *specs, bool boot,
			tmpfiles_diag_fn *diag, void *ctx)
{
	struct parse p = { .list = list, .diag = diag, .ctx = ctx };
	const char *end = text + len;
	struct sbuf line = SBUF_INIT;

	if (!(p.file = keep_file_name(list, path)))
		return -1;
	for (const char *s = text; s < end && !p.nomem;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		const char *start;

		p.line++;
		line.len = 0;
		if (sbuf_add(&line, s, n) < 0 || sbuf_add(&line, "", 0) < 0) {
			p.nomem = true;
			break;
		}
		s += n + (nl != NULL);
		if (memchr(line.s, '\0', n)) {
			say(&p, true, "line holds a NUL byte; ignored");
			continue;
		}
		while (line.len && strchr(BLANKS, line.s[line.len - 1]))
			line.s[--line.len] = '\0';
		start = line.s + strspn(line.s, BLANKS);
		if (*start != '\0' && *start != '#' &&
		    parse_line(&p, start, specs, boot) < 0)
			p.nomem = true;
	}
	sbuf_free(&line);
	if (p.nomem) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void tmpfiles_list_free(struct tmpfiles_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		line_clear(&list->lines[i]);
	for (size_t i = 0; i < list->n_files; i++)
		free(list->files[i]);
	free(list->lines);
	free(list->files);
	*list = (struct tmpfiles_list){ 0 };
}

bool tmpfiles_type_globs(char type)
{
	return type && strchr("weRrZzXx", type);
}
