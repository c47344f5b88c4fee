#include "upstream.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

#if HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

/* Sent by svd itself, not by libsystemd's sd_notify(): that one blocks
 * in sendmsg() while the manager's queue is full, and svd must never
 * block. A message the manager has no room for is dropped: the next
 * keep-alive or status will do. */
static void send_message(struct upstream *up, const char *message)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t len = strlen(up->socket ? up->socket : "");
	socklen_t addr_len;

	if (!up->socket)
		return;
	if (len >= sizeof(addr.sun_path)) {
		log_warning(NULL, "NOTIFY_SOCKET too long: %s", up->socket);
		return;
	}
	memcpy(addr.sun_path, up->socket, len);
	/* "@name" is a socket in the abstract namespace. */
	if (addr.sun_path[0] == '@')
		addr.sun_path[0] = '\0';
	addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
			       (up->socket[0] != '@'));
	if (sendto(up->fd, message, strlen(message), MSG_DONTWAIT | MSG_NOSIGNAL,
		   (struct sockaddr *)&addr, addr_len) < 0) {
		log_errno(errno == EAGAIN ? LOG_LEVEL_DEBUG : LOG_LEVEL_WARNING,
			  NULL, errno, "telling our manager at %s", up->socket);
		return;
	}
	log_debug(NULL, "told our manager: %s", message);
}

static void keepalive_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	send_message(w->data, "WATCHDOG=1");
}

/* libsystemd's reading of WATCHDOG_USEC (and WATCHDOG_PID: is it for
 * us?), or 0 for none. */
static uint64_t watchdog_usec(void)
{
	uint64_t usec = 0;
#if HAVE_LIBSYSTEMD
	if (sd_watchdog_enabled(0, &usec) <= 0)
		usec = 0;
#endif
	return usec;
}

void upstream_init(struct upstream *up, struct ev_loop *loop)
{
	const char *socket_path = getenv("NOTIFY_SOCKET");
	uint64_t usec = watchdog_usec();

	*up = (struct upstream){ .loop = loop, .fd = -1 };
	ev_timer_init(&up->keepalive, keepalive_cb, 0., 0.);
	up->keepalive.data = up;
	if (socket_path && *socket_path) {
		up->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		up->socket = up->fd >= 0 ? strdup(socket_path) : NULL;
		if (up->fd < 0)
			log_errno(LOG_LEVEL_WARNING, NULL, errno, "socket for "
				  "NOTIFY_SOCKET");
		else if (!up->socket)
			log_errno(LOG_LEVEL_WARNING, NULL, ENOMEM, "NOTIFY_SOCKET");
	}
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	if (up->socket && usec) {
		/* Twice per period, as sd_watchdog_enabled(3) advises. */
		ev_timer_set(&up->keepalive, (double)usec / 2e6, (double)usec / 2e6);
		ev_timer_start(loop, &up->keepalive);
	}
}

void upstream_ready(struct upstream *up, const char *status)
{
	char *message;

	if (up->ready_sent)
		return;
	up->ready_sent = true;
	if (asprintf(&message, "READY=1\nSTATUS=%s", status) < 0) {
		send_message(up, "READY=1");
		return;
	}
	send_message(up, message);
	free(message);
}

void upstream_stopping(struct upstream *up)
{
	send_message(up, "STOPPING=1\nSTATUS=stopping all services");
}

void upstream_free(struct upstream *up)
{
	ev_timer_stop(up->loop, &up->keepalive);
	if (up->fd >= 0)
		close(up->fd);
	up->fd = -1;
	free(up->socket);
	up->socket = NULL;
}
