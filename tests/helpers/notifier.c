/* notifier [--keepalive] MESSAGE...: a Type=notify service built on
 * libsystemd's sd_notify(), as real daemons are. Sends each MESSAGE (such
 * as "READY=1" or "STATUS=warming up") in its own datagram, then with
 * --keepalive sends WATCHDOG=1 twice per WATCHDOG_USEC, and waits for a
 * signal. Exits 2 on bad use, 1 when sd_notify fails. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	bool keepalive = argc > 1 && strcmp(argv[1], "--keepalive") == 0;
	uint64_t usec = 0;
	int r;

	if (argc < 2 + keepalive) {
		fprintf(stderr, "usage: notifier [--keepalive] MESSAGE...\n");
		return 2;
	}
	for (int i = 1 + keepalive; i < argc; i++) {
		r = sd_notify(0, argv[i]);
		if (r <= 0) {
			fprintf(stderr, "notifier: sd_notify %s: %s\n", argv[i],
				r < 0 ? strerror(-r) : "NOTIFY_SOCKET not set");
			return 1;
		}
	}
	if (keepalive && sd_watchdog_enabled(0, &usec) <= 0) {
		fprintf(stderr, "notifier: no WATCHDOG_USEC\n");
		return 1;
	}
	for (;;) {
		if (!keepalive) {
			pause();
			continue;
		}
		struct timespec half = { (time_t)(usec / 2000000),
					 (long)(usec / 2 % 1000000) * 1000 };
		nanosleep(&half, NULL);
		sd_notify(0, "WATCHDOG=1");
	}
}
