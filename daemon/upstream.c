#include "upstream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

#if HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>

/* sd_notify reads the socket from the environment: svd puts it back for
 * the one call (svd is single-threaded), and sd_notify takes it out. */
static void send_message(struct upstream *up, const char *message)
{
	int r;

	if (!up->socket)
		return;
	if (setenv("NOTIFY_SOCKET", up->socket, 1) < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "setenv NOTIFY_SOCKET");
		return;
	}
	r = sd_notify(1, message);
	if (r < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, -r, "sd_notify %s", up->socket);
	else
		log_debug(NULL, "told our manager: %s", message);
}

static void keepalive_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	send_message(w->data, "WATCHDOG=1");
}

void upstream_init(struct upstream *up, struct ev_loop *loop)
{
	const char *socket = getenv("NOTIFY_SOCKET");
	uint64_t usec = 0;

	*up = (struct upstream){ .loop = loop };
	ev_timer_init(&up->keepalive, keepalive_cb, 0., 0.);
	up->keepalive.data = up;
	/* Before NOTIFY_SOCKET goes: it checks WATCHDOG_PID is ours. */
	if (sd_watchdog_enabled(1, &usec) <= 0)
		usec = 0;
	if (socket && *socket) {
		up->socket = strdup(socket);
		if (!up->socket)
			log_errno(LOG_LEVEL_WARNING, NULL, ENOMEM, "NOTIFY_SOCKET");
	}
	unsetenv("NOTIFY_SOCKET");
	if (up->socket && usec) {
		/* Twice per period, as sd_watchdog_enabled(3) advises. */
		ev_timer_set(&up->keepalive, (double)usec / 2e6, (double)usec / 2e6);
		ev_timer_start(loop, &up->keepalive);
	}
}
#else
static void send_message(struct upstream *up, const char *message)
{
	if (up->socket)
		log_debug(NULL, "built without libsystemd: not sent: %s", message);
}

void upstream_init(struct upstream *up, struct ev_loop *loop)
{
	*up = (struct upstream){ .loop = loop };
	ev_timer_init(&up->keepalive, NULL, 0., 0.);
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	unsetenv("NOTIFY_SOCKET");
}
#endif

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
	free(up->socket);
	up->socket = NULL;
}
