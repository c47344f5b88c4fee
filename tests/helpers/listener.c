/* listener [--serve]: a socket-activated service built on libsystemd's
 * sd_listen_fds_with_names(), as real daemons are. Prints what it was
 * given ("fds=2 names=web.socket:web.socket"), then answers one peer
 * (--serve: every peer, until a signal): a stream socket's connection gets
 * "hello from NAME\n", a datagram is printed ("datagram on NAME: TEXT").
 * Exits 2 on bad use, 1 when it was given nothing. */
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

static void answer(int fd, const char *name)
{
	char buf[512];
	int type = 0;
	socklen_t len = sizeof(type);
	ssize_t n;

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		type = -1;	/* a FIFO */
	if (type == SOCK_STREAM || type == SOCK_SEQPACKET) {
		int conn = accept(fd, NULL, NULL);

		if (conn >= 0) {
			dprintf(conn, "hello from %s\n", name);
			close(conn);
		}
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		printf("datagram on %s: %s\n", name, buf);
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	bool serve = argc > 1 && strcmp(argv[1], "--serve") == 0;
	char **names = NULL;
	struct pollfd *fds;
	int n;

	if (argc > 1 + serve) {
		fprintf(stderr, "usage: listener [--serve]\n");
		return 2;
	}
	n = sd_listen_fds_with_names(1, &names);
	if (n <= 0) {
		fprintf(stderr, "listener: no sockets (%d)\n", n);
		return 1;
	}
	printf("fds=%d names=", n);
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? ":" : "", names[i]);
	printf("\n");
	fflush(stdout);
	fds = calloc((size_t)n, sizeof(*fds));
	if (!fds)
		return 1;
	for (int i = 0; i < n; i++)
		fds[i] = (struct pollfd){ .fd = SD_LISTEN_FDS_START + i, .events = POLLIN };
	do {
		if (poll(fds, (nfds_t)n, -1) < 0)
			break;
		for (int i = 0; i < n; i++)
			if (fds[i].revents & POLLIN)
				answer(fds[i].fd, names[i]);
	} while (serve);
	/* Freed: LeakSanitizer fails the exit in the sanitize build. */
	free(fds);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return serve ? 1 : 0;
}
