/* sbuf: a growing heap string, so that no value is ever cut at a fixed
 * buffer size. Internal to conf/. */
#ifndef SVD_SBUF_H
#define SVD_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char *s;	/* NUL-terminated once anything was added; may be NULL */
	size_t len;
	size_t cap;
};

#define SBUF_INIT { NULL, 0, 0 }

/* Append; -1 with errno = ENOMEM, the buffer stays valid. */
int sbuf_add(struct sbuf *b, const char *s, size_t n);
int sbuf_adds(struct sbuf *b, const char *s);
int sbuf_addc(struct sbuf *b, char c);
/* Appends printf-style text, all of it: the buffer grows to fit. */
int sbuf_addf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sbuf_vaddf(struct sbuf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends the file at path, whole: E2BIG past max_bytes. A FIFO or
 * socket is refused (EINVAL) rather than read, and opened O_NONBLOCK so
 * that a stray one cannot block svd; a directory is EISDIR; a character
 * device is read, so that /dev/null works as an empty file. -1 with
 * errno. */
int sbuf_read_file(struct sbuf *b, const char *path, size_t max_bytes);
/* Hands the string over ("" when empty); NULL on ENOMEM. */
char *sbuf_take(struct sbuf *b);
void sbuf_free(struct sbuf *b);

#endif
