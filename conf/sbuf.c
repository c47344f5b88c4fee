/* sbuf: see sbuf.h. */
#include "sbuf.h"

#include <stdlib.h>
#include <string.h>

int sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *grown;

		while (cap < b->len + n + 1)
			cap *= 2;
		grown = realloc(b->s, cap);
		if (!grown)
			return -1;
		b->s = grown;
		b->cap = cap;
	}
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
