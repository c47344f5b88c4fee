/* envfile: see envfile.h. One pass over the text with a cursor, following
 * the states of systemd's parse_env_file_internal(); each assignment is
 * built as "KEY=VALUE" in one growing buffer and set in an envmap (O(1)
 * each) only once all of it proved valid. */
#include "envfile.h"
#include "envmap.h"
#include "sbuf.h"
#include "strv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How much of a bad variable name a warning shows. */
#define ENVFILE_NAME_SHOWN_MAX_BYTES 64

/* Where the parse is in the text. */
struct cursor {
	const char *p, *end;
	unsigned line;		/* line of *p, from 1; counted in take() only */
	const char *path;	/* for warnings */
	envfile_diag_fn *diag;	/* NULL: warnings are dropped */
	void *ctx;
};

/* How the scan of a value ended; the scans return -1 on ENOMEM. */
enum value_end {
	VALUE_DONE,		/* at the end of its line or of the text */
	VALUE_OPEN_QUOTE,	/* the text ended inside quotes */
};

/* "PATH:LINE: message", whole however long the path: built on the heap. */
__attribute__((format(printf, 3, 4)))
static void warn_at(const struct cursor *c, unsigned line, const char *fmt, ...)
{
	struct sbuf message = SBUF_INIT;
	va_list ap;
	int r;

	if (!c->diag)
		return;
	va_start(ap, fmt);
	r = sbuf_addf(&message, "%s:%u: ", c->path, line);
	if (r == 0)
		r = sbuf_vaddf(&message, fmt, ap);
	va_end(ap);
	c->diag(c->ctx, r == 0 ? message.s : "EnvironmentFile=: a warning "
		"was lost: out of memory");
	sbuf_free(&message);
}

static bool at_end(const struct cursor *c)
{
	return c->p >= c->end;
}

/* The next character, consumed. */
static char take(struct cursor *c)
{
	char ch = *c->p++;

	if (ch == '\n')
		c->line++;
	return ch;
}

/* systemd ends a line at \r as well as at \n. */
static bool is_newline(char ch)
{
	return ch == '\n' || ch == '\r';
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Skips blanks and empty lines; false at the end of the text. */
static bool skip_space(struct cursor *c)
{
	while (!at_end(c) && (is_blank(*c->p) || is_newline(*c->p)))
		take(c);
	return !at_end(c);
}

/* Past the end of the line. A backslash does not continue a comment:
 * systemd stopped that in v254. */
static void skip_line(struct cursor *c)
{
	while (!at_end(c) && !is_newline(take(c)))
		;
}

/* The name before '=', trailing blanks dropped. Returns 0 past the '=', or
 * -1 past the end of the line when there is no '='. */
static int scan_key(struct cursor *c, const char **key, size_t *len)
{
	*key = c->p;
	while (!at_end(c) && *c->p != '=' && !is_newline(*c->p))
		take(c);
	*len = (size_t)(c->p - *key);
	while (*len > 0 && is_blank((*key)[*len - 1]))
		(*len)--;
	if (at_end(c) || take(c) != '=')
		return -1;
	return 0;
}

/* '...': everything up to the closing quote, newlines included. */
static int scan_single_quoted(struct cursor *c, struct sbuf *b)
{
	while (!at_end(c)) {
		char ch = take(c);

		if (ch == '\'')
			return VALUE_DONE;
		if (sbuf_addc(b, ch) < 0)
			return -1;
	}
	return VALUE_OPEN_QUOTE;
}

/* What "\<ch>" means inside double quotes: the characters the shell needs
 * escaped stand for themselves, a newline vanishes with its backslash, any
 * other backslash stays as written, as in sh. */
static int add_quoted_escape(struct sbuf *b, char ch)
{
	bool shell_special = ch == '"' || ch == '\\' || ch == '`' || ch == '$';

	if (ch == '\n')
		return 0;
	if (!shell_special && sbuf_addc(b, '\\') < 0)
		return -1;
	return sbuf_addc(b, ch);
}

static int scan_double_quoted(struct cursor *c, struct sbuf *b)
{
	while (!at_end(c)) {
		char ch = take(c);

		if (ch == '"')
			return VALUE_DONE;
		if (ch == '\\') {
			if (at_end(c))
				break;
			if (add_quoted_escape(b, take(c)) < 0)
				return -1;
		} else if (sbuf_addc(b, ch) < 0) {
			return -1;
		}
	}
	return VALUE_OPEN_QUOTE;
}

/* Unquoted text to the end of the line: a backslash takes the next
 * character as it is, or joins the next line (whose leading blanks are
 * kept, as in systemd). Trailing blanks are dropped unless escaped. */
static int scan_unquoted(struct cursor *c, struct sbuf *b)
{
	size_t trim = SIZE_MAX;	/* where the trailing blanks start */

	while (!at_end(c)) {
		char ch = take(c);

		if (is_newline(ch))
			break;
		if (ch == '\\') {
			trim = SIZE_MAX;
			if (at_end(c))
				break;
			ch = take(c);
			if (is_newline(ch))
				continue;
		} else if (!is_blank(ch)) {
			trim = SIZE_MAX;
		} else if (trim == SIZE_MAX) {
			trim = b->len;
		}
		if (sbuf_addc(b, ch) < 0)
			return -1;
	}
	if (trim != SIZE_MAX) {
		b->len = trim;
		b->s[trim] = '\0';
	}
	return VALUE_DONE;
}

/* The value after '=': blanks skipped, then quoted parts in a row, then
 * at most one unquoted part to the end of the line, all joined. */
static int scan_value(struct cursor *c, struct sbuf *b)
{
	int r = VALUE_DONE;

	while (r == VALUE_DONE && !at_end(c) && !is_newline(*c->p)) {
		char ch = *c->p;

		if (ch != '\'' && ch != '"' && !is_blank(ch))
			return scan_unquoted(c, b);
		take(c);
		if (ch == '\'')
			r = scan_single_quoted(c, b);
		else if (ch == '"')
			r = scan_double_quoted(c, b);
	}
	if (r == VALUE_DONE && !at_end(c))
		take(c);	/* the newline */
	return r;
}


/* Names the bad name, cut and with unprintable bytes as '?'. */
static void warn_name(const struct cursor *c, unsigned line, const char *s,
		      size_t len)
{
	char shown[ENVFILE_NAME_SHOWN_MAX_BYTES + 1];
	size_t n = len < ENVFILE_NAME_SHOWN_MAX_BYTES ? len
		: ENVFILE_NAME_SHOWN_MAX_BYTES;

	for (size_t i = 0; i < n; i++)
		shown[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	shown[n] = '\0';
	warn_at(c, line, "invalid variable name \"%s%s\", ignored", shown,
	     n < len ? "..." : "");
}

/* One assignment from c->p on, built in b; applied when all of it is
 * valid, else reported and dropped. -1 on ENOMEM only. */
static int parse_assignment(struct cursor *c, struct sbuf *b,
			    struct envmap *env)
{
	const char *start = c->p, *key;
	unsigned line = c->line;
	size_t key_len;
	bool has_eq = scan_key(c, &key, &key_len) == 0;
	int r = VALUE_DONE;

	b->len = 0;
	if (sbuf_add(b, key, key_len) < 0 || sbuf_addc(b, '=') < 0)
		return -1;
	if (has_eq && (r = scan_value(c, b)) < 0)
		return -1;
	if (memchr(start, '\0', (size_t)(c->p - start)))
		warn_at(c, line, "NUL byte, ignored");
	else if (!has_eq)
		warn_at(c, line, "no '=' in line, ignored");
	else if (r == VALUE_OPEN_QUOTE)
		warn_at(c, line, "quote not closed by the end of the file, ignored");
	else if (!strv_env_name_valid(key, key_len))
		warn_name(c, line, key, key_len);
	else
		return envmap_put(env, b->s);
	return 0;
}

int envfile_apply_text(const char *text, size_t len, const char *path,
		       struct envmap *env, envfile_diag_fn *diag, void *ctx)
{
	struct cursor c = { .line = 1, .path = path, .diag = diag, .ctx = ctx };
	struct sbuf b = SBUF_INIT;
	int r = 0;

	if (len == 0)
		return 0;	/* text may be NULL then */
	c.p = text;
	c.end = text + len;
	while (r == 0 && skip_space(&c)) {
		if (*c.p == '#' || *c.p == ';')
			skip_line(&c);
		else
			r = parse_assignment(&c, &b, env);
	}
	sbuf_free(&b);
	return r;
}

/* The reason for the caller to show; errno is kept. */
static void explain(char *why, size_t size, const char *path, int err)
{
	if (!why || size == 0)
		return;
	if (err == E2BIG)
		snprintf(why, size, "EnvironmentFile=%s: larger than %d bytes",
			 path, ENVFILE_MAX_BYTES);
	else if (err == EINVAL)
		snprintf(why, size, "EnvironmentFile=%s: not a regular file",
			 path);
	else
		snprintf(why, size, "EnvironmentFile=%s: %s", path,
			 strerror(err));
	errno = err;
}

int envfile_apply_file(const char *path, struct envmap *env,
		       envfile_diag_fn *diag, void *ctx, char *why,
		       size_t why_size)
{
	struct sbuf text = SBUF_INIT;
	int r = sbuf_read_file(&text, path, ENVFILE_MAX_BYTES);

	if (r == 0)
		r = envfile_apply_text(text.s, text.len, path, env, diag, ctx);
	if (r < 0)
		explain(why, why_size, path, errno);
	sbuf_free(&text);
	return r;
}

/* *env into a map, the map back into *env: O(n) for the whole. */
static int apply_to_strv(char ***env, const char *text, size_t len,
			 const char *path, envfile_diag_fn *diag, void *ctx,
			 char *why, size_t why_size)
{
	struct envmap map = ENVMAP_INIT;
	int r = envmap_put_all(&map, *env);

	if (r == 0)
		r = text ? envfile_apply_text(text, len, path, &map, diag, ctx) :
			   envfile_apply_file(path, &map, diag, ctx, why,
					      why_size);
	else if (!text)
		explain(why, why_size, path, errno);
	if (r == 0) {
		strv_free(*env);
		*env = envmap_take(&map);
	}
	envmap_free(&map);
	return r;
}

int envfile_parse(const char *text, size_t len, const char *path, char ***env,
		  envfile_diag_fn *diag, void *ctx)
{
	if (len == 0)
		return 0;	/* text may be NULL then */
	return apply_to_strv(env, text, len, path, diag, ctx, NULL, 0);
}

int envfile_read(const char *path, char ***env, envfile_diag_fn *diag,
		 void *ctx, char *why, size_t why_size)
{
	return apply_to_strv(env, NULL, 0, path, diag, ctx, why, why_size);
}
