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
/* Hands the string over ("" when empty); NULL on ENOMEM. */
char *sbuf_take(struct sbuf *b);
void sbuf_free(struct sbuf *b);

#endif
