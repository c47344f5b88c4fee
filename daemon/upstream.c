#include "upstream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

#if HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>

/* How long a sender may wait for a manager that does not read. */
#define UPSTREAM_SEND_TIMEOUT_SEC 5

/* libsystemd's sd_notify() blocks in sendmsg() while the manager's queue
 * is full, and svd must never block: each message is sent by a child of
 * its own, one at a time, which gives up after a while. While one is on
 * its way, a keep-alive is dropped (the next will do) and any other
 * message waits its turn (the latest one). */
static void send_message(struct upstream *up, const char *message)
{
	pid_t pid;

	if (!up->socket)
		return;
	if (up->child > 0) {
		log_debug(NULL, "our manager has not taken the last message "
			  "yet: %s: %s", strcmp(message, "WATCHDOG=1") == 0 ?
			  "dropped" : "next", message);
		if (strcmp(message, "WATCHDOG=1") != 0) {
			char *copy = strdup(message);

			if (copy) {
				free(up->pending);
				up->pending = copy;
			}
		}
		return;
	}
	pid = fork();
	if (pid == 0) {
		/* svd is single-threaded: the child may call anything. */
		alarm(UPSTREAM_SEND_TIMEOUT_SEC);
		if (setenv("NOTIFY_SOCKET", up->socket, 1) == 0 &&
		    sd_notify(1, message) > 0)
			_exit(0);
		_exit(1);
	}
	if (pid < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "fork to tell our manager");
		return;
	}
	up->child = pid;
	log_debug(NULL, "telling our manager: %s", message);
}

static uint64_t watchdog_usec(void)
{
	uint64_t usec = 0;

	/* Also checks that WATCHDOG_PID, if set, is svd. */
	if (sd_watchdog_enabled(0, &usec) <= 0)
		usec = 0;
	return usec;
}
#else
static void send_message(struct upstream *up, const char *message)
{
	if (up->socket)
		log_debug(NULL, "built without libsystemd: not sent: %s", message);
}

static uint64_t watchdog_usec(void)
{
	return 0;
}
#endif

static void keepalive_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	send_message(w->data, "WATCHDOG=1");
}

void upstream_init(struct upstream *up, struct ev_loop *loop)
{
	const char *socket_path = getenv("NOTIFY_SOCKET");
	uint64_t usec = watchdog_usec();

	*up = (struct upstream){ .loop = loop };
	ev_timer_init(&up->keepalive, keepalive_cb, 0., 0.);
	up->keepalive.data = up;
	if (socket_path && *socket_path) {
		up->socket = strdup(socket_path);
		if (!up->socket)
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

bool upstream_child_exited(struct upstream *up, pid_t pid, int wstatus)
{
	if (pid <= 0 || pid != up->child)
		return false;
	up->child = 0;
	if (wstatus != 0)
		log_debug(NULL, "a message to our manager was not delivered");
	if (up->pending) {
		char *message = up->pending;

		up->pending = NULL;
		send_message(up, message);
		free(message);
	}
	return true;
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
	/* Keep-alives would only get in its way now. */
	ev_timer_stop(up->loop, &up->keepalive);
	send_message(up, "STOPPING=1\nSTATUS=stopping all services");
}

void upstream_free(struct upstream *up)
{
	ev_timer_stop(up->loop, &up->keepalive);
	/* A sender still on its way finishes on its own, or gives up after
	 * UPSTREAM_SEND_TIMEOUT_SEC; the message waiting for it goes now,
	 * beside it, as svd will not be there to send it later. */
	if (up->pending) {
		char *message = up->pending;

		up->pending = NULL;
		up->child = 0;
		send_message(up, message);
		free(message);
	}
	free(up->socket);
	up->socket = NULL;
}
