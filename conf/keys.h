/* keys: every key systemd knows in the sections of a .service or .socket
 * file, and which of them svd implements. A key moves from "unsupported" to
 * "implemented" by giving its table entry in keys.c a parse function.
 * Internal to conf/. */
#ifndef SVD_KEYS_H
#define SVD_KEYS_H

#include "unit_keys.h"

struct key_def {
	const char *name;
	key_parse_fn *parse;	/* NULL: known to systemd, not to svd */
};

enum key_section {
	KEY_SECTION_UNIT,
	KEY_SECTION_SERVICE,
	KEY_SECTION_SOCKET,
	KEY_SECTION_INSTALL,
	KEY_SECTION_EXTENSION,	/* "X-...": the user's own, ignored silently */
	KEY_SECTION_UNKNOWN,
};

enum key_section keys_section(const char *name);
/* The entry for key in section, or NULL for a key systemd does not know
 * there either. */
const struct key_def *keys_find(enum key_section section, const char *key);

#endif
