/* devlog_msg: one syslog datagram read into its parts, pure (no system
 * call, no allocation), for devlog.c, its unit test and its fuzzer.
 * Formats: "<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG" (RFC 3164, as glibc's
 * syslog(3) and logger(1) send), "<PRI>1 TIMESTAMP HOST APP PROCID MSGID
 * SD MSG" (RFC 5424), and anything else as bare text. */
#ifndef SVD_DEVLOG_MSG_H
#define SVD_DEVLOG_MSG_H

#include <stddef.h>

/* What a message without "<PRI>" is: user.notice, as logger(1) sends. */
#define DEVLOG_DEFAULT_PRIORITY ((1 << 3) | 5)

/* Where a message's parts are: slices of the parsed buffer. */
struct devlog_msg {
	int priority;		/* facility * 8 + severity, 0..191 */
	const char *tag;	/* TAG or APP-NAME, NULL when none */
	size_t tag_len;
	const char *pid;	/* [PID] or PROCID as written, NULL when none */
	size_t pid_len;
	const char *text;	/* MSG: never NULL */
	size_t text_len;
};

/* Reads one datagram of len bytes (any bytes; no NUL needed). Never
 * fails: what does not parse is the text, at DEVLOG_DEFAULT_PRIORITY.
 * Trailing newlines and NULs are not part of the text. */
void devlog_parse(const char *buf, size_t len, struct devlog_msg *msg);

#endif
