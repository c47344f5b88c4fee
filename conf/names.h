/* names: unit-name helpers shared inside conf/ (the public ones are in
 * unit.h). */
#ifndef SVD_NAMES_H
#define SVD_NAMES_H

#include <stdbool.h>

/* systemd's limit: 256 bytes with the NUL. */
#define UNIT_NAME_MAX_BYTES 255

/* A valid "prefix[@instance].service" name. */
bool names_valid(const char *name);
/* ".service" of "foo@bar.service", ".socket" of "foo.socket": where the
 * suffix of a loadable unit begins in name; "" for another name. */
const char *names_suffix(const char *name);
/* "foo" for "foo.service" and "foo@bar.service"; NULL on ENOMEM. */
char *names_prefix(const char *name);
/* systemd's unit_name_unescape(): "-" is "/", "\xNN" a byte. NULL with
 * errno EINVAL for another escape, or ENOMEM. */
char *names_unescape(const char *text);

#endif
