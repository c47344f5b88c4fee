/* log_writer BYTES [LINE_BYTES]: writes numbered lines to stdout as fast
 * as it can, in 64 KiB writes, so the writer is never what a log
 * benchmark measures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int write_all(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long total = argc > 1 ? strtoull(argv[1], NULL, 10) : 0;
	size_t line_bytes = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
	static char buf[64 * 1024];
	unsigned long long written = 0, line = 0;
	size_t used = 0;

	if (total == 0 || line_bytes < 16 || line_bytes > 4096) {
		fprintf(stderr, "usage: log_writer BYTES [LINE_BYTES 16-4096]\n");
		return 2;
	}
	while (written < total) {
		if (used + line_bytes > sizeof(buf)) {
			if (write_all(buf, used) < 0)
				return 1;
			used = 0;
		}
		snprintf(buf + used, 12, "%010llu", ++line);
		memset(buf + used + 10, 'x', line_bytes - 11);
		buf[used + 10] = ' ';
		buf[used + line_bytes - 1] = '\n';
		used += line_bytes;
		written += line_bytes;
	}
	return write_all(buf, used) < 0;
}
