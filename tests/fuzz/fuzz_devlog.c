/* The syslog datagram parser: the input is one datagram as a program
 * sends it to svd's syslog socket (svd drops anything longer than
 * DEVLOG_MESSAGE_MAX_BYTES before parsing). What it reports is checked
 * against what devlog.c relies on: every part a slice of the datagram,
 * in order and apart (so "TAG[PID]: MSG" fits the line buffer), and a
 * priority a syslog PRI can be. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "devlog.h"	/* DEVLOG_MESSAGE_MAX_BYTES */
#include "devlog_msg.h"

static bool inside(const char *part, size_t len, const char *buf, size_t size)
{
	return part >= buf && part <= buf + size && len <= (size_t)(buf + size - part);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devlog_msg msg;
	char *buf;

	if (size > DEVLOG_MESSAGE_MAX_BYTES)
		return 0;
	/* A copy of exactly size bytes, so that ASan sees any read past it. */
	buf = malloc(size ? size : 1);
	FUZZ_ASSERT(buf != NULL);
	memcpy(buf, data, size);
	devlog_parse(buf, size, &msg);
	FUZZ_ASSERT(msg.priority >= 0 && msg.priority <= 191);
	FUZZ_ASSERT(msg.text != NULL);
	FUZZ_ASSERT(inside(msg.text, msg.text_len, buf, size));
	FUZZ_ASSERT(!msg.tag || (msg.tag_len > 0 &&
				 inside(msg.tag, msg.tag_len, buf, size) &&
				 msg.tag + msg.tag_len <= msg.text));
	FUZZ_ASSERT(msg.tag || msg.tag_len == 0);
	FUZZ_ASSERT(!msg.pid || (msg.pid_len > 0 &&
				 inside(msg.pid, msg.pid_len, buf, size) &&
				 msg.pid + msg.pid_len <= msg.text &&
				 (!msg.tag || msg.tag + msg.tag_len <= msg.pid)));
	FUZZ_ASSERT(msg.pid || msg.pid_len == 0);
	FUZZ_ASSERT(msg.tag_len + msg.pid_len + msg.text_len <= size);
	/* The text ends where the datagram's trailing newlines/NULs begin. */
	FUZZ_ASSERT(msg.text_len == 0 ||
		    (msg.text[msg.text_len - 1] != '\n' &&
		     msg.text[msg.text_len - 1] != '\0'));
	free(buf);
	return 0;
}
