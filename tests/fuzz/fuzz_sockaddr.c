/* Listen addresses of .socket units. Beyond "no crash": a refusal says
 * why and leaves the output untouched; an accepted address has a length
 * inside its family's structure, and formats into a terminated string
 * that, for IP and paths, parses back to the same address. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "sockaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	struct listen_addr addr, before, again;
	const char *error = NULL;
	char buf[160];

	memset(&addr, 0x5a, sizeof(addr));
	before = addr;
	if (listen_addr_parse(text, &addr, &error) < 0) {
		FUZZ_ASSERT(error && *error);
		FUZZ_ASSERT(memcmp(&before, &addr, sizeof(addr)) == 0);
		free(text);
		return 0;
	}
	FUZZ_ASSERT(addr.len > 0 && addr.len <= sizeof(addr.u));
	listen_addr_format(&addr.u.sa, addr.len, buf, sizeof(buf));
	FUZZ_ASSERT(strlen(buf) < sizeof(buf));
	if (addr.u.sa.sa_family != AF_UNIX && !addr.any_port) {
		FUZZ_ASSERT(listen_addr_parse(buf, &again, &error) == 0);
		FUZZ_ASSERT(again.len == addr.len);
		FUZZ_ASSERT(memcmp(&again.u, &addr.u, addr.len) == 0);
	}
	if (addr.u.sa.sa_family == AF_UNIX && text[0] == '/')
		FUZZ_ASSERT(strcmp(buf, text) == 0);
	free(text);
	return 0;
}
