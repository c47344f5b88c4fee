/* state_load: the state format (state.h) back into an image, every
 * field checked against its table (state_fields.c) before anything is
 * kept. */
#include "state.h"
#include "state_fields.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logring.h"

struct reader {
	const char *p, *end;
	unsigned line;
	char *why;
	size_t size;
};

static int bad(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct reader *r, const char *fmt, ...)
{
	int n = snprintf(r->why, r->size, "line %u: ", r->line);
	va_list ap;

	if (n < 0 || (size_t)n >= r->size)
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->why + n, r->size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Unescapes [s, s + len) into a new blob. */
static int unescape(struct reader *r, const char *key, const char *s,
		    size_t len, struct state_blob *b, bool text)
{
	char *out = malloc(len + 1);
	size_t n = 0;

	if (!out)
		return bad(r, "%s: out of memory", key);
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] != '%') {
			out[n++] = s[i];
			continue;
		}
		if (i + 2 >= len) {
			free(out);
			return bad(r, "%s: a cut %%-escape", key);
		}
		hi = hexval(s[i + 1]);
		lo = hexval(s[i + 2]);
		if (hi < 0 || lo < 0) {
			free(out);
			return bad(r, "%s: a bad %%-escape", key);
		}
		out[n++] = (char)(hi << 4 | lo);
		i += 2;
	}
	out[n] = '\0';
	if (text && memchr(out, '\0', n)) {
		free(out);
		return bad(r, "%s: a NUL byte in text", key);
	}
	b->data = out;
	b->len = n;
	return 0;
}

static int parse_i64(struct reader *r, const char *key, const char *s,
		     size_t len, int64_t min, int64_t max, int64_t *out)
{
	char buf[32], *end;
	long long v;

	if (len == 0 || len >= sizeof(buf))
		return bad(r, "%s: not a number", key);
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end || (buf[0] != '-' && (buf[0] < '0' || buf[0] > '9')))
		return bad(r, "%s=%s: not a number", key, buf);
	if (v < min || v > max)
		return bad(r, "%s=%s: out of range", key, buf);
	*out = v;
	return 0;
}

static int parse_u64(struct reader *r, const char *key, const char *s,
		     size_t len, uint64_t *out)
{
	char buf[32], *end;
	unsigned long long v;

	if (len == 0 || len >= sizeof(buf) || s[0] < '0' || s[0] > '9')
		return bad(r, "%s: not a number", key);
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || *end)
		return bad(r, "%s=%s: not a number", key, buf);
	*out = v;
	return 0;
}

static int parse_double(struct reader *r, const char *key, const char *s,
			size_t len, double min, double *out)
{
	char buf[40], *end;
	double v;

	if (len == 0 || len >= sizeof(buf))
		return bad(r, "%s: not a number", key);
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (errno || *end || !isfinite(v) || v < min)
		return bad(r, "%s=%s: not a number of seconds", key, buf);
	*out = v;
	return 0;
}

static int parse_enum(struct reader *r, const struct state_field *f,
		      const char *s, size_t len, int *out)
{
	for (int64_t v = f->min; v <= f->max; v++) {
		const char *name = f->name((int)v);

		if (name && strlen(name) == len && memcmp(name, s, len) == 0) {
			*out = (int)v;
			return 0;
		}
	}
	return bad(r, "%s=%.*s: unknown", f->key, (int)(len > 40 ? 40 : len), s);
}

static int parse_fds(struct reader *r, const char *key, const char *s,
		     size_t len, struct state_unit *u)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n += s[i] == ',';
	if (n > STATE_LISTEN_FDS_MAX)
		return bad(r, "%s: more than %d fds", key, STATE_LISTEN_FDS_MAX);
	if (!(u->listen_fds = calloc(n, sizeof(*u->listen_fds))))
		return bad(r, "%s: out of memory", key);
	for (size_t i = 0; i < n; i++) {
		const char *comma = memchr(s, ',', len);
		size_t piece = comma ? (size_t)(comma - s) : len;

		if (parse_i64(r, key, s, piece, 0, INT32_MAX, &u->listen_fds[i]) < 0)
			return -1;
		u->n_listen_fds = i + 1;
		s += piece + (comma ? 1 : 0);
		len -= piece + (comma ? 1 : 0);
	}
	return 0;
}

static int parse_field(struct reader *r, const struct state_field *f,
		       void *rec, const char *s, size_t len)
{
	char *p = (char *)rec + f->offset;
	int64_t i64;

	switch (f->type) {
	case STATE_F_BLOB:
	case STATE_F_TEXT:
		return unescape(r, f->key, s, len, (void *)p, f->type == STATE_F_TEXT);
	case STATE_F_I64:
		return parse_i64(r, f->key, s, len, f->min, f->max, (void *)p);
	case STATE_F_U64:
		return parse_u64(r, f->key, s, len, (void *)p);
	case STATE_F_INT:
		if (parse_i64(r, f->key, s, len, f->min, f->max, &i64) < 0)
			return -1;
		*(int *)(void *)p = (int)i64;
		return 0;
	case STATE_F_ENUM:
		return parse_enum(r, f, s, len, (void *)p);
	case STATE_F_BOOL:
		if (len != 1 || (s[0] != '0' && s[0] != '1'))
			return bad(r, "%s: not 0 or 1", f->key);
		*(bool *)(void *)p = s[0] == '1';
		return 0;
	case STATE_F_DOUBLE:
		return parse_double(r, f->key, s, len, (double)f->min, (void *)p);
	case STATE_F_FDS:
		return parse_fds(r, f->key, s, len, rec);
	}
	return bad(r, "%s: BUG: no such type", f->key);
}

/* The fields of one record: [s, end) holds " key=value key=value". */
static int parse_record(struct reader *r, const struct state_field *fields,
			void *rec, const char *s, const char *end)
{
	uint64_t seen = 0;	/* a bit per field of the table */

	while (s < end) {
		const char *word, *eq;
		const struct state_field *f;
		size_t klen;

		if (*s++ != ' ')
			return bad(r, "fields are separated by one space");
		word = s;
		while (s < end && *s != ' ')
			s++;
		eq = memchr(word, '=', (size_t)(s - word));
		if (!eq)
			return bad(r, "a field without '='");
		klen = (size_t)(eq - word);
		for (f = fields; f->key; f++)
			if (strlen(f->key) == klen && memcmp(f->key, word, klen) == 0)
				break;
		if (!f->key)
			return bad(r, "unknown field %.*s", (int)(klen > 40 ? 40 : klen),
				   word);
		if (seen & (1ULL << (f - fields)))
			return bad(r, "%s given twice", f->key);
		seen |= 1ULL << (f - fields);
		if (parse_field(r, f, rec, eq + 1, (size_t)(s - eq - 1)) < 0)
			return -1;
	}
	for (const struct state_field *f = fields; f->key; f++)
		if (f->required && !(seen & (1ULL << (f - fields))))
			return bad(r, "%s missing", f->key);
	return 0;
}

/* The next line, without its newline; false at the end of the input. */
static bool next_line(struct reader *r, const char **s, const char **end)
{
	const char *nl;

	if (r->p >= r->end)
		return false;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	*s = r->p;
	*end = nl ? nl : r->end;
	r->p = nl ? nl + 1 : r->end;
	r->line++;
	return nl != NULL;	/* a last line without newline is cut */
}

static bool is_kind(const char *s, const char *end, const char *kind,
		    const char **rest)
{
	size_t len = strlen(kind);

	if ((size_t)(end - s) < len || memcmp(s, kind, len) != 0 ||
	    (s + len < end && s[len] != ' '))
		return false;
	*rest = s + len;
	return true;
}

int state_peek_version(const char *buf, size_t len)
{
	size_t mlen = strlen(STATE_MAGIC);
	unsigned v = 0;
	size_t i = mlen + 1;

	if (len < mlen + 2 || memcmp(buf, STATE_MAGIC, mlen) != 0 || buf[mlen] != ' ')
		return -1;
	for (; i < len && buf[i] >= '0' && buf[i] <= '9' && v < 100000; i++)
		v = v * 10 + (unsigned)(buf[i] - '0');
	if (i == mlen + 1 || i >= len || buf[i] != '\n')
		return -1;
	return (int)v;
}

static int parse_body(struct reader *r, struct state_image *img)
{
	const char *s, *end, *rest;
	struct state_unit *unit = NULL;
	bool daemon_seen = false;

	while (next_line(r, &s, &end)) {
		if (is_kind(s, end, "end", &rest) && rest == end)
			return r->p == r->end ? 0 : bad(r, "data after end");
		if (is_kind(s, end, "daemon", &rest)) {
			if (daemon_seen || unit)
				return bad(r, "daemon: one, before the units");
			daemon_seen = true;
			if (parse_record(r, state_daemon_fields, img, rest, end) < 0)
				return -1;
		} else if (is_kind(s, end, "unit", &rest)) {
			if (!daemon_seen)
				return bad(r, "unit before daemon");
			if (!(unit = state_image_add_unit(img)))
				return bad(r, "out of memory");
			if (parse_record(r, state_unit_fields, unit, rest, end) < 0)
				return -1;
		} else if (is_kind(s, end, "line", &rest)) {
			struct state_line line = { .priority = LOG_PRIORITY_NONE };
			uint64_t prev;

			if (!unit)
				return bad(r, "line before any unit");
			if (parse_record(r, state_line_fields, &line, rest, end) < 0) {
				free(line.text.data);
				return -1;
			}
			prev = unit->n_lines ? unit->lines[unit->n_lines - 1].seq : 0;
			if (line.seq <= prev || line.text.len > STATE_LINE_MAX_BYTES ||
			    (line.priority != LOG_PRIORITY_NONE &&
			     line.stream != LOG_STREAM_SYSLOG) ||
			    memchr(line.text.data, '\0', line.text.len)) {
				free(line.text.data);
				return bad(r, "line: seq not rising, text too long "
					   "or with a NUL, or a priority off syslog");
			}
			if (state_unit_add_line(unit, line.seq, line.usec, line.stream,
						line.priority, line.text.data,
						line.text.len) < 0) {
				free(line.text.data);
				return bad(r, "out of memory");
			}
			free(line.text.data);
		} else {
			return bad(r, "unknown record %.*s", (int)(end - s > 20 ? 20 : end - s), s);
		}
	}
	r->line++;
	return bad(r, "cut short: no end line");
}

int state_load(const char *buf, size_t len, struct state_image *img,
	       char *why, size_t size)
{
	struct reader r = { .p = buf, .end = buf + len, .why = why, .size = size };
	int version = state_peek_version(buf, len);

	state_image_init(img);
	if (size)
		*why = '\0';
	if (version < 0) {
		r.line = 1;
		return bad(&r, "not an svd state (no '%s N' line)", STATE_MAGIC);
	}
	if (version < STATE_FORMAT_VERSION_MIN || version > STATE_FORMAT_VERSION) {
		r.line = 1;
		return bad(&r, "format version %d; this svd reads %d to %d", version,
			   STATE_FORMAT_VERSION_MIN, STATE_FORMAT_VERSION);
	}
	r.p = (const char *)memchr(buf, '\n', len) + 1;
	r.line = 1;
	img->version = (unsigned)version;
	if (parse_body(&r, img) < 0) {
		state_image_free(img);
		return -1;
	}
	return 0;
}
