/* The sd_notify message parser: the input is one datagram as a service
 * sends it to NOTIFY_SOCKET (svd drops anything longer than
 * NOTIFY_MESSAGE_MAX before parsing). What it reports is checked against
 * the limits the manager relies on. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "notify.h"

static bool only_newlines(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (data[i] != '\n')
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notify_msg msg;
	char *buf;
	bool understood;

	if (size > NOTIFY_MESSAGE_MAX)
		return 0;
	buf = fuzz_strndup(data, size);
	understood = notify_parse(buf, size, &msg);
	FUZZ_ASSERT(msg.main_pid == 0 || msg.main_pid > 1);
	FUZZ_ASSERT(msg.errno_value >= 0 && msg.errno_value <= 4095);
	if (msg.status)
		FUZZ_ASSERT(msg.status >= buf && msg.status <= buf + size);
	/* Nothing understood and nothing unknown: there were no lines. */
	if (!understood && msg.n_unknown == 0)
		FUZZ_ASSERT(only_newlines(data, size));
	free(buf);
	return 0;
}
