/* reader: see reader.h. */
#include "reader.h"

#include <stdbool.h>
#include <string.h>

void reader_init(struct reader *r, const char *buf, size_t len,
		 size_t max_bytes)
{
	/* A UTF-8 byte order mark is no part of the first line. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	r->buf = buf;
	r->len = len;
	r->pos = 0;
	r->next_line = 1;
	r->max_bytes = max_bytes;
}

/* The next physical line, without "\n" or "\r\n". */
static const char *physical_line(struct reader *r, size_t *len)
{
	const char *start = r->buf + r->pos;
	const char *nl = memchr(start, '\n', r->len - r->pos);
	size_t n = nl ? (size_t)(nl - start) : r->len - r->pos;

	r->pos += nl ? n + 1 : n;
	r->next_line++;
	if (n > 0 && start[n - 1] == '\r')
		n--;
	*len = n;
	return start;
}

static bool is_comment(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < len && (s[i] == '#' || s[i] == ';');
}

/* An odd run of trailing backslashes: the last one escapes the newline. */
static bool continues(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && s[len - 1 - n] == '\\')
		n++;
	return n % 2 == 1;
}

enum reader_result reader_next(struct reader *r, struct sbuf *line,
			       unsigned *lineno)
{
	bool cont = false, too_long = false, got = false;

	line->len = 0;
	while (r->pos < r->len) {
		unsigned number = r->next_line;
		size_t n;
		const char *s = physical_line(r, &n);

		if (is_comment(s, n))
			continue;
		if (!cont)
			*lineno = number;
		got = true;
		if (line->len + n > r->max_bytes)
			too_long = true;
		else if (sbuf_add(line, s, n) < 0)
			return READER_NOMEM;
		cont = continues(s, n);
		if (cont && !too_long)
			line->s[line->len - 1] = ' ';
		if (!cont)
			break;
	}
	if (!got)
		return READER_END;
	return too_long ? READER_TOO_LONG : READER_LINE;
}
