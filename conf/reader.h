/* reader: cuts a unit file into logical lines the way systemd's
 * config_parse() does: comment lines (first non-blank '#' or ';') vanish
 * even inside a continuation, a line ending in an odd number of
 * backslashes continues on the next with that backslash turned into a
 * space. Internal to conf/. */
#ifndef SVD_READER_H
#define SVD_READER_H

#include <stddef.h>

#include "sbuf.h"

struct reader {
	const char *buf;	/* the whole file, not NUL-terminated */
	size_t len;
	size_t pos;		/* start of the next physical line */
	unsigned next_line;	/* its number, from 1 */
	size_t max_bytes;	/* longest logical line accepted */
};

enum reader_result {
	READER_END,		/* no more lines */
	READER_LINE,		/* *line holds a logical line */
	READER_TOO_LONG,	/* skipped a logical line over max_bytes */
	READER_NOMEM,
};

void reader_init(struct reader *r, const char *buf, size_t len,
		 size_t max_bytes);
/* The next logical line, without its newline, in line (reset first), and
 * the physical line it starts on in *lineno. */
enum reader_result reader_next(struct reader *r, struct sbuf *line,
			       unsigned *lineno);

#endif
