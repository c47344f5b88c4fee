/* rlimit: the Limit*= keys of systemd.exec(5) and their values, parsed as
 * systemd's rlimit-util.c does so that a unit's limits mean the same under
 * svd. Pure functions: no I/O; svd applies the limits in the child.
 *
 * A value is one limit for both soft and hard, or "SOFT:HARD"; each is
 * "infinity" or a number in the resource's unit:
 *   LimitCPU                 seconds, or a time span ("1h"), rounded up;
 *   LimitRTTIME              microseconds, or a time span ("500ms");
 *   LimitFSIZE DATA STACK CORE RSS AS MEMLOCK MSGQUEUE
 *                            bytes, with K M G T P E (base 1024) or B,
 *                            "1.5G" and "1G 512M" as in systemd;
 *   LimitNOFILE NPROC LOCKS SIGPENDING RTPRIO
 *                            plain decimal counts;
 *   LimitNICE                the raw limit 0..40, or a nice level written
 *                            with its sign, +19..-20 (raw = 20 - nice). */
#ifndef SVD_RLIMIT_H
#define SVD_RLIMIT_H

#include <sys/resource.h>

/* How many Limit*= keys there are. */
#define RLIMIT_KEYS_COUNT 16

/* "LimitNOFILE" -> RLIMIT_NOFILE; -1 for any other text. */
int rlimit_from_key(const char *key);
/* RLIMIT_NOFILE -> "LimitNOFILE"; NULL for a resource with no key. */
const char *rlimit_key_name(int resource);

/* Parses a Limit*= value for resource. Returns 0, or -1 with errno EINVAL
 * (not a value for it, soft above hard, an unknown resource) or ERANGE (a
 * number too large, a nice level out of range); the outputs are then
 * untouched. Blanks around each part are ignored. */
int rlimit_parse(int resource, const char *text, rlim_t *soft, rlim_t *hard);

#endif
