/* proto: the control protocol codec shared by svd and svctl.
 *
 * One SOCK_SEQPACKET message is text lines. A request starts with its verb
 * ("start"), then KEY=VALUE lines ("unit=web.service"); a reply is only
 * KEY=VALUE lines, and the last reply message of a request carries
 * "status=ok" or "status=error" with "error=...". Values are escaped (\\ and
 * \n) so a value never holds a raw newline. Both sides validate every
 * length: a message over PROTO_MSG_MAX_BYTES is never produced and is
 * rejected on receipt. */
#ifndef SVD_PROTO_H
#define SVD_PROTO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define PROTO_MSG_MAX_BYTES (64 * 1024)
/* Fields in one decoded message; more is a malformed message. */
#define PROTO_FIELDS_MAX 256
#define PROTO_VERB_MAX_BYTES 32
#define PROTO_KEY_MAX_BYTES 64

struct proto_field {
	const char *key;
	const char *value;
};

/* A decoded message; strings point into the buffer that was decoded. */
struct proto_msg {
	const char *verb;	/* requests: the first line; replies: NULL */
	struct proto_field fields[PROTO_FIELDS_MAX];
	size_t n_fields;
};

/* Decodes len bytes of buf in place (buf must have room for one more
 * byte, a terminating NUL). With has_verb, the first line is a verb
 * [a-z-]+. Returns 0, or -1 with *error a static description. */
int proto_decode(char *buf, size_t len, bool has_verb, struct proto_msg *msg,
		 const char **error);
/* The first value of key, or NULL. */
const char *proto_get(const struct proto_msg *msg, const char *key);

/* A message being built. */
struct proto_buf {
	char data[PROTO_MSG_MAX_BYTES];
	size_t len;
	size_t n_fields;	/* at most PROTO_FIELDS_MAX */
};

/* Starts a message; verb is NULL for a reply. Returns -1 for a bad verb. */
int proto_begin(struct proto_buf *buf, const char *verb);
/* Appends KEY=VALUE with the value escaped. Returns -1 (message
 * unchanged) when the key is invalid or the field would not fit (in
 * bytes, or past PROTO_FIELDS_MAX fields): the
 * caller starts a new message or reports the error, nothing is cut. */
int proto_put(struct proto_buf *buf, const char *key, const char *value);
int proto_putf(struct proto_buf *buf, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Bytes a field would take, to decide whether to start a new message. */
size_t proto_field_size(const char *key, const char *value);

#endif
