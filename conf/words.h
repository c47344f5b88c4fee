/* words: systemd's extract_first_word(), the one tokenizer behind Exec*=,
 * Environment= and list values. Internal to conf/. */
#ifndef SVD_WORDS_H
#define SVD_WORDS_H

#include <stddef.h>

enum words_flag {
	WORDS_UNQUOTE = 1 << 0,	       /* "..." and '...' group and vanish */
	WORDS_CUNESCAPE = 1 << 1,      /* \n \t \xNN ... are decoded */
	WORDS_CUNESCAPE_RELAX = 1 << 2, /* unknown escapes stay as written */
	WORDS_RELAX = 1 << 3,	       /* unbalanced quotes end the word */
	/* A backslash and what follows stay as written: unit names
	 * ("dev-virtio\x2dports.device"), systemd's EXTRACT_RETAIN_ESCAPE. */
	WORDS_RETAIN_ESCAPE = 1 << 4,
};

#define WORDS_UNKNOWN_ESCAPE "unknown escape"

/* Cuts the next word off *p (skipping leading blanks) into a malloc'd
 * *word. Returns 1 with a word, 0 at the end of the text, -1 on ENOMEM
 * (errno set) or bad syntax (errno = EINVAL, *error names it; for
 * WORDS_UNKNOWN_ESCAPE *p is left just past the backslash). */
int words_next(const char **p, unsigned flags, char **word, const char **error);

/* Decodes one escape after a backslash at s: \a \b \f \n \r \t \v \\ \"
 * \' \s \xNN \NNN (octal) \uNNNN \UNNNNNNNN. Writes the bytes to out (up to
 * 4) and their count to *n_out. Returns the characters consumed after the
 * backslash, or -1 when the escape is unknown or encodes NUL. */
int words_unescape_one(const char *s, char *out, size_t *n_out);

/* The value of a hexadecimal digit, or -1. */
int words_hex_digit(char c);

#endif
