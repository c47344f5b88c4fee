#include "upstream.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* How often a message the manager's full queue refused is tried again. */
#define UPSTREAM_RETRY_SEC 0.25

int upstream_parse_address(const char *value, struct sockaddr_un *address,
			   socklen_t *length)
{
	size_t n = strlen(value);

	if (strncmp(value, "vsock:", 6) == 0) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (value[0] != '/' && value[0] != '@') {
		errno = EINVAL;
		return -1;
	}
	/* A path needs room for its NUL; an abstract name has none. */
	if (n + (value[0] == '/') > sizeof(address->sun_path) || n < 2) {
		errno = n < 2 ? EINVAL : ENAMETOOLONG;
		return -1;
	}
	memset(address, 0, sizeof(*address));
	address->sun_family = AF_UNIX;
	memcpy(address->sun_path, value, n);
	if (value[0] == '@')
		address->sun_path[0] = '\0';
	*length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
			      (value[0] == '/'));
	return 0;
}

unsigned long long upstream_watchdog_usec(const char *usec, const char *watchdog_pid,
					  pid_t pid)
{
	unsigned long long value;
	char *end;

	if (!usec || !*usec)
		return 0;
	errno = 0;
	value = strtoull(usec, &end, 10);
	if (errno || *end || usec[0] == '-')
		return 0;
	if (watchdog_pid && *watchdog_pid) {
		long owner = strtol(watchdog_pid, &end, 10);

		if (*end || owner != (long)pid)
			return 0;
	}
	return value;
}

static void keep_pending(struct upstream *up, const char *message)
{
	char *copy;

	if (!up->full_told) {
		log_debug(NULL, "our manager has not taken the last message yet: "
			  "keep-alives are dropped, the latest other message waits");
		up->full_told = true;
	}
	/* A keep-alive is worth nothing late: the next one will do. */
	if (strcmp(message, "WATCHDOG=1") == 0 ||
	    (up->pending && strcmp(up->pending, message) == 0))
		return;
	copy = strdup(message);
	if (!copy) {
		log_errno(LOG_LEVEL_WARNING, NULL, ENOMEM,
			  "keeping a message for our manager: dropped: %s", message);
		return;
	}
	free(up->pending);
	up->pending = copy;
	if (!ev_is_active(&up->retry))
		ev_timer_again(up->loop, &up->retry);
}

/* One datagram, never waiting: the socket is non-blocking. */
static ssize_t send_now(const struct upstream *up, const char *message)
{
	return sendto(up->fd, message, strlen(message), MSG_NOSIGNAL,
		      (const struct sockaddr *)&up->address, up->address_length);
}

static void send_message(struct upstream *up, const char *message)
{
	ssize_t sent;

	if (up->fd < 0)
		return;
	if (up->pending && strcmp(message, up->pending) != 0) {
		/* Never overtake what waits: the newer replaces it, as the
		 * manager reads each message as the state now. */
		keep_pending(up, message);
		return;
	}
	sent = send_now(up, message);
	if (sent >= 0) {
		log_debug(NULL, "told our manager: %s", message);
		return;
	}
	if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR) {
		keep_pending(up, message);
		return;
	}
	log_errno(LOG_LEVEL_DEBUG, NULL, errno, "telling our manager %s", message);
}

static void retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct upstream *up = w->data;
	char *message = up->pending;

	if (!message) {
		ev_timer_stop(loop, w);
		return;
	}
	up->pending = NULL;
	send_message(up, message);
	if (!up->pending) {
		ev_timer_stop(loop, w);
		up->full_told = false;
	}
	free(message);
}

static void keepalive_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	send_message(w->data, "WATCHDOG=1");
}

static int open_socket(struct upstream *up, const char *value)
{
	if (upstream_parse_address(value, &up->address, &up->address_length) < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno,
			  "NOTIFY_SOCKET=%s: svd tells its manager only through "
			  "an AF_UNIX socket (a path or @name)", value);
		return -1;
	}
	up->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (up->fd < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno,
			  "a socket to tell our manager (NOTIFY_SOCKET=%s)", value);
		return -1;
	}
	return 0;
}

void upstream_init(struct upstream *up, struct ev_loop *loop)
{
	const char *socket_path = getenv("NOTIFY_SOCKET");
	unsigned long long usec = upstream_watchdog_usec(getenv("WATCHDOG_USEC"),
							 getenv("WATCHDOG_PID"),
							 getpid());

	*up = (struct upstream){ .loop = loop, .fd = -1 };
	ev_timer_init(&up->keepalive, keepalive_cb, 0., 0.);
	up->keepalive.data = up;
	ev_timer_init(&up->retry, retry_cb, 0., UPSTREAM_RETRY_SEC);
	up->retry.data = up;
	if (socket_path && *socket_path)
		open_socket(up, socket_path);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	if (up->fd >= 0 && usec) {
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

int upstream_pass_on(struct upstream *up)
{
	size_t len = up->address_length > offsetof(struct sockaddr_un, sun_path) ?
		     up->address_length - offsetof(struct sockaddr_un, sun_path) : 0;
	char value[sizeof(up->address.sun_path) + 1], usec[32], pid[16];

	if (up->fd < 0 || len == 0)
		return 0;
	/* "@name" for the abstract namespace, as systemd writes it. */
	if (up->address.sun_path[0] == '\0') {
		value[0] = '@';
		memcpy(value + 1, up->address.sun_path + 1, len - 1);
		value[len] = '\0';
	} else {
		snprintf(value, sizeof(value), "%s", up->address.sun_path);
	}
	if (setenv("NOTIFY_SOCKET", value, 1) < 0)
		return -1;
	if (!ev_is_active(&up->keepalive))
		return 0;
	snprintf(usec, sizeof(usec), "%llu",
		 (unsigned long long)(up->keepalive.repeat * 2e6 + 0.5));
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (setenv("WATCHDOG_USEC", usec, 1) < 0 || setenv("WATCHDOG_PID", pid, 1) < 0)
		return -1;
	return 0;
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
	ev_timer_stop(up->loop, &up->retry);
	/* svd will not be there to try again: one last go. */
	if (up->pending && up->fd >= 0 && send_now(up, up->pending) < 0)
		log_errno(LOG_LEVEL_DEBUG, NULL, errno, "our manager did not "
			  "take: %s", up->pending);
	free(up->pending);
	up->pending = NULL;
	if (up->fd >= 0)
		close(up->fd);
	up->fd = -1;
}
