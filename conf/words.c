/* words: a port of the rules of systemd's extract_first_word() for the
 * flag combinations svd uses. Words grow in a heap buffer, so there is no
 * length limit other than the line's. */
#include "words.h"

#include "sbuf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLANKS " \t\n\r"

int words_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t utf8_encode(uint32_t u, char *out)
{
	if (u < 0x80) {
		out[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		out[0] = (char)(0xc0 | (u >> 6));
		out[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		out[0] = (char)(0xe0 | (u >> 12));
		out[1] = (char)(0x80 | ((u >> 6) & 0x3f));
		out[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (u >> 18));
	out[1] = (char)(0x80 | ((u >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((u >> 6) & 0x3f));
	out[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

/* \xNN, \uNNNN, \UNNNNNNNN: digits hex digits after the letter. */
static int unescape_hex(const char *s, int digits, char *out, size_t *n_out)
{
	uint32_t u = 0;

	for (int i = 1; i <= digits; i++) {
		int v = words_hex_digit(s[i]);

		if (v < 0)
			return -1;
		u = u << 4 | (uint32_t)v;
	}
	if (u == 0 || u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff))
		return -1;	/* NUL ends C strings; surrogates are no chars */
	if (digits == 2) {	/* \xNN is a byte, not a code point */
		out[0] = (char)u;
		*n_out = 1;
	} else
		*n_out = utf8_encode(u, out);
	return digits + 1;
}

static int unescape_octal(const char *s, char *out, size_t *n_out)
{
	unsigned v = 0;

	for (int i = 0; i < 3; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		v = v * 8 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 255)
		return -1;
	out[0] = (char)v;
	*n_out = 1;
	return 3;
}

int words_unescape_one(const char *s, char *out, size_t *n_out)
{
	static const char simple_in[] = "abfnrtv\\\"'s";
	static const char simple_out[] = "\a\b\f\n\r\t\v\\\"' ";
	const char *hit;

	if (*s == '\0')
		return -1;
	hit = strchr(simple_in, *s);
	if (hit) {
		out[0] = simple_out[hit - simple_in];
		*n_out = 1;
		return 1;
	}
	switch (*s) {
	case 'x':
		return unescape_hex(s, 2, out, n_out);
	case 'u':
		return unescape_hex(s, 4, out, n_out);
	case 'U':
		return unescape_hex(s, 8, out, n_out);
	default:
		return unescape_octal(s, out, n_out);
	}
}

/* The character(s) after a backslash at *p; advances *p past them. */
static int take_escape(const char **p, unsigned flags, struct sbuf *b,
		       const char **error)
{
	char out[4];
	size_t n;
	int used;

	if (**p == '\0') {
		/* A trailing backslash: relaxed unescaping keeps it as
		 * written; WORDS_RELAX drops it and ends the word, as
		 * systemd's EXTRACT_RELAX (a variable's value split for a
		 * "$VAR" word, "a\\"). */
		if (flags & WORDS_CUNESCAPE_RELAX)
			return sbuf_add(b, "\\", 1);
		if (flags & WORDS_RELAX)
			return 0;
		*error = "trailing backslash";
		errno = EINVAL;
		return -1;
	}
	if (flags & WORDS_RETAIN_ESCAPE) {
		used = 1;
		if (sbuf_add(b, "\\", 1) < 0 || sbuf_add(b, *p, 1) < 0)
			return -1;
	} else if (!(flags & WORDS_CUNESCAPE)) {
		used = 1;
		if (sbuf_add(b, *p, 1) < 0)
			return -1;
	} else if ((used = words_unescape_one(*p, out, &n)) > 0) {
		if (sbuf_add(b, out, n) < 0)
			return -1;
	} else if (flags & WORDS_CUNESCAPE_RELAX) {
		used = 1;
		if (sbuf_add(b, "\\", 1) < 0 || sbuf_add(b, *p, 1) < 0)
			return -1;
	} else {
		*error = WORDS_UNKNOWN_ESCAPE;
		errno = EINVAL;
		return -1;
	}
	*p += used;
	return 0;
}

/* Inside quotes, up to the closing quote. */
static int take_quoted(const char **p, char quote, unsigned flags,
		       struct sbuf *b, const char **error)
{
	for (;;) {
		char c = **p;

		if (c == '\0') {
			if (flags & WORDS_RELAX)
				return 0;
			*error = "unbalanced quotes";
			errno = EINVAL;
			return -1;
		}
		(*p)++;
		if (c == quote)
			return 0;
		if (c == '\\') {
			if (take_escape(p, flags, b, error) < 0)
				return -1;
		} else if (sbuf_add(b, &c, 1) < 0)
			return -1;
	}
}

int words_next(const char **p, unsigned flags, char **word, const char **error)
{
	struct sbuf b = SBUF_INIT;

	*p += strspn(*p, BLANKS);
	if (**p == '\0')
		return 0;
	if (sbuf_add(&b, "", 0) < 0)	/* "" is a word too */
		return -1;
	while (**p && !strchr(BLANKS, **p)) {
		char c = *(*p)++;
		int r;

		if (c == '\\')
			r = take_escape(p, flags, &b, error);
		else if ((flags & WORDS_UNQUOTE) && (c == '"' || c == '\''))
			r = take_quoted(p, c, flags, &b, error);
		else
			r = sbuf_add(&b, &c, 1);
		if (r < 0) {
			sbuf_free(&b);
			return -1;
		}
	}
	/* Words outlive the parse (a command's argv, for every unit): give
	 * back the rest of sbuf's minimum 64 bytes. */
	if (b.cap > b.len + 1) {
		char *fitted = realloc(b.s, b.len + 1);

		if (fitted)
			b.s = fitted;
	}
	*word = b.s;
	return 1;
}
