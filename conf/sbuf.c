/* sbuf: see sbuf.h. */
#include "sbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Room for n more bytes and a NUL. */
static int reserve(struct sbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 64;
	char *grown;

	if (b->len + n + 1 <= b->cap)
		return 0;
	while (cap < b->len + n + 1)
		cap *= 2;
	grown = realloc(b->s, cap);
	if (!grown)
		return -1;
	b->s = grown;
	b->cap = cap;
	return 0;
}

int sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (reserve(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int sbuf_adds(struct sbuf *b, const char *s)
{
	return sbuf_add(b, s, strlen(s));
}

int sbuf_addc(struct sbuf *b, char c)
{
	return sbuf_add(b, &c, 1);
}

int sbuf_vaddf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	/* Measure first: vsnprintf() into what is left would cut the text. */
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		return -1;
	if (reserve(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sbuf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

char *sbuf_take(struct sbuf *b)
{
	char *s;

	if (!b->s && sbuf_add(b, "", 0) < 0)
		return NULL;
	s = b->s;
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* The rest of fd into b; E2BIG past max_bytes. */
static int read_all(int fd, struct sbuf *b, size_t max_bytes)
{
	char chunk[8192];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		if (b->len + (size_t)n > max_bytes) {
			errno = E2BIG;
			return -1;
		}
		if (sbuf_add(b, chunk, (size_t)n) < 0)
			return -1;
	}
}

int sbuf_read_file(struct sbuf *b, const char *path, size_t max_bytes)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	int r = -1, saved;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		r = -1;
	else if (S_ISDIR(st.st_mode))
		errno = EISDIR;
	else if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		errno = EINVAL;
	else
		r = read_all(fd, b, max_bytes);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}
