/* state_save: an image in the state format (state.h), into a growing
 * buffer, then to an fd whole. */
#include "state.h"
#include "state_fields.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct out {
	char *buf;
	size_t len, cap;
	bool failed;		/* ENOMEM: the rest is skipped */
};

static void reserve(struct out *o, size_t more)
{
	size_t cap = o->cap ? o->cap : 4096;
	char *buf;

	if (o->failed || o->len + more <= o->cap)
		return;
	while (cap < o->len + more) {
		if (cap > SIZE_MAX / 2) {
			o->failed = true;
			return;
		}
		cap *= 2;
	}
	if (!(buf = realloc(o->buf, cap))) {
		o->failed = true;
		return;
	}
	o->buf = buf;
	o->cap = cap;
}

static void put(struct out *o, const char *s, size_t len)
{
	reserve(o, len);
	if (o->failed)
		return;
	memcpy(o->buf + o->len, s, len);
	o->len += len;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void putf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void putf(struct out *o, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Only numbers come here: 64 bytes hold any of them. */
	put(o, buf, n > 0 && (size_t)n < sizeof(buf) ? (size_t)n : 0);
}

static void put_escaped(struct out *o, const char *data, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";

	reserve(o, len * 3);
	for (size_t i = 0; i < len && !o->failed; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c > ' ' && c < 0x7f && c != '%') {
			o->buf[o->len++] = (char)c;
			continue;
		}
		o->buf[o->len++] = '%';
		o->buf[o->len++] = hex[c >> 4];
		o->buf[o->len++] = hex[c & 15];
	}
}

/* Fields at their defaults are left out: a reader takes the default
 * for an absent key, and an image of idle units stays small. */
static void put_field(struct out *o, const struct state_field *f,
		      const void *rec)
{
	const char *p = (const char *)rec + f->offset;
	const struct state_blob *b = (const void *)p;
	int64_t i64;

	switch (f->type) {
	case STATE_F_BLOB:
	case STATE_F_TEXT:
		if (!b->data)
			return;
		putf(o, " %s=", f->key);
		put_escaped(o, b->data, b->len);
		return;
	case STATE_F_I64:
		memcpy(&i64, p, sizeof(i64));
		if (i64 != (f->min == -1 ? -1 : 0))
			putf(o, " %s=%" PRId64, f->key, i64);
		return;
	case STATE_F_U64:
		if (*(const uint64_t *)(const void *)p)
			putf(o, " %s=%" PRIu64, f->key, *(const uint64_t *)(const void *)p);
		return;
	case STATE_F_INT:
		if (*(const int *)(const void *)p != (f->min == -1 ? -1 : 0))
			putf(o, " %s=%d", f->key, *(const int *)(const void *)p);
		return;
	case STATE_F_ENUM: {
		const char *name = f->name(*(const int *)(const void *)p);

		if (name && (f->required || *(const int *)(const void *)p != 0)) {
			putf(o, " %s=", f->key);
			puts_(o, name);
		}
		return;
	}
	case STATE_F_BOOL:
		if (*(const bool *)(const void *)p)
			putf(o, " %s=1", f->key);
		return;
	case STATE_F_DOUBLE: {
		double v = *(const double *)(const void *)p;

		if (v != (f->min == -1 ? -1. : 0.))
			putf(o, " %s=%.17g", f->key, v);
		return;
	}
	case STATE_F_FDS: {
		const struct state_unit *u = rec;

		if (!u->n_listen_fds)
			return;
		putf(o, " %s=", f->key);
		for (size_t i = 0; i < u->n_listen_fds; i++)
			putf(o, "%s%" PRId64, i ? "," : "", u->listen_fds[i]);
		return;
	}
	}
}

static void put_record(struct out *o, const char *kind,
		       const struct state_field *fields, const void *rec)
{
	puts_(o, kind);
	for (const struct state_field *f = fields; f->key; f++)
		put_field(o, f, rec);
	puts_(o, "\n");
}

char *state_save_buffer(const struct state_image *img, size_t *len)
{
	struct out o = { 0 };

	putf(&o, "%s %u\n", STATE_MAGIC, (unsigned)STATE_FORMAT_VERSION);
	put_record(&o, "daemon", state_daemon_fields, img);
	for (size_t i = 0; i < img->n_units; i++) {
		const struct state_unit *u = &img->units[i];

		put_record(&o, "unit", state_unit_fields, u);
		for (size_t j = 0; j < u->n_lines; j++)
			put_record(&o, "line", state_line_fields, &u->lines[j]);
	}
	puts_(&o, "end\n");
	if (o.failed) {
		free(o.buf);
		errno = ENOMEM;
		return NULL;
	}
	*len = o.len;
	return o.buf;
}

int state_save(const struct state_image *img, int fd)
{
	size_t len, done = 0;
	char *buf = state_save_buffer(img, &len);

	if (!buf)
		return -1;
	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : EIO;

			free(buf);
			errno = err;
			return -1;
		}
		done += (size_t)n;
	}
	free(buf);
	return 0;
}

void state_format_line(char *buf, size_t size)
{
	snprintf(buf, size, "%s %u %u", STATE_MAGIC,
		 (unsigned)STATE_FORMAT_VERSION_MIN, (unsigned)STATE_FORMAT_VERSION);
}

bool state_format_accepts(const char *line, unsigned version)
{
	char magic[16];
	unsigned lo, hi;

	if (sscanf(line, "%15s %u %u", magic, &lo, &hi) != 3)
		return false;
	return strcmp(magic, STATE_MAGIC) == 0 && lo <= version && version <= hi;
}
