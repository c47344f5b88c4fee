/* sbuf: a growing heap string, so that no value is ever cut at a fixed
 * buffer size. Internal to conf/. */
#ifndef SVD_SBUF_H
#define SVD_SBUF_H

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
/* Hands the string over ("" when empty); NULL on ENOMEM. */
char *sbuf_take(struct sbuf *b);
void sbuf_free(struct sbuf *b);

#endif
