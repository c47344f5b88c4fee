/* state_fields: the records of the state format as tables, shared by
 * its writer (state_save.c) and its reader (state_load.c) only, so the
 * two can never disagree on a key. Not an API for anyone else. */
#ifndef SVD_STATE_FIELDS_H
#define SVD_STATE_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

enum state_field_type {
	STATE_F_BLOB,	/* struct state_blob, percent-escaped */
	STATE_F_TEXT,	/* the same, without NUL bytes */
	STATE_F_I64,	/* int64_t within [min, max] */
	STATE_F_U64,	/* uint64_t */
	STATE_F_INT,	/* int within [min, max] */
	STATE_F_ENUM,	/* int, written by its name (names[0..max]) */
	STATE_F_BOOL,	/* bool: 0 or 1 */
	STATE_F_DOUBLE,	/* double, finite, >= min */
	STATE_F_FDS,	/* a unit's listen_fds/n_listen_fds: "3,4,5" */
};

struct state_field {
	const char *key;
	enum state_field_type type;
	size_t offset;
	int64_t min, max;
	/* STATE_F_ENUM: the name of value i, NULL or "?" when none. */
	const char *(*name)(int value);
	bool required;
};

extern const struct state_field state_daemon_fields[];
extern const struct state_field state_unit_fields[];
extern const struct state_field state_line_fields[];

#endif
