#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "value.h"

static bool parse_u64(const char *text, uint64_t *value)
{
	char *end;

	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	*value = strtoull(text, &end, 10);
	return errno == 0 && *end == '\0';
}

static void parse_line(char *line, struct notify_msg *msg)
{
	char *value = strchr(line, '=');
	uint64_t number;

	if (!value) {
		msg->n_unknown++;
		return;
	}
	*value++ = '\0';
	if (strcmp(line, "READY") == 0 && strcmp(value, "1") == 0)
		msg->ready = true;
	else if (strcmp(line, "RELOADING") == 0 && strcmp(value, "1") == 0)
		msg->reloading = true;
	else if (strcmp(line, "STOPPING") == 0 && strcmp(value, "1") == 0)
		msg->stopping = true;
	else if (strcmp(line, "WATCHDOG") == 0 && strcmp(value, "1") == 0)
		msg->watchdog = true;
	else if (strcmp(line, "WATCHDOG") == 0 && strcmp(value, "trigger") == 0)
		msg->watchdog_trigger = true;
	else if (strcmp(line, "STATUS") == 0)
		msg->status = value;
	else if (strcmp(line, "MAINPID") == 0 && parse_u64(value, &number) &&
		 number > 1 && number <= INT32_MAX)
		msg->main_pid = (pid_t)number;
	else if (strcmp(line, "ERRNO") == 0 && parse_u64(value, &number) &&
		 number <= 4095)
		msg->errno_value = (int)number;
	else if (strcmp(line, "EXTEND_TIMEOUT_USEC") == 0 &&
		 parse_u64(value, &number))
		msg->extend_timeout_usec = number;
	else if (strcmp(line, "WATCHDOG_USEC") == 0 && parse_u64(value, &number))
		msg->watchdog_usec = number;
	else if (strcmp(line, "BARRIER") == 0 && strcmp(value, "1") == 0)
		msg->barrier = true;	/* answered by closing its fd */
	else
		msg->n_unknown++;	/* FDSTORE=1, ...: svd has no fd store */
}

bool notify_parse(char *buf, size_t len, struct notify_msg *msg)
{
	unsigned lines = 0;
	char *line = buf, *end = buf + len;

	*msg = (struct notify_msg){0};
	while (line < end) {
		char *newline = memchr(line, '\n', (size_t)(end - line));

		if (newline)
			*newline = '\0';
		/* A NUL inside the message would hide the rest: refuse it. */
		if (strlen(line) != (size_t)((newline ? newline : end) - line)) {
			msg->n_unknown++;
			return false;
		}
		if (*line) {
			lines++;
			parse_line(line, msg);
		}
		line = newline ? newline + 1 : end;
	}
	return lines > msg->n_unknown;
}

pid_t notify_take_credentials(struct msghdr *mh)
{
	pid_t sender = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len == CMSG_LEN(sizeof(struct ucred))) {
			struct ucred cred;

			memcpy(&cred, CMSG_DATA(c), sizeof(cred));
			sender = cred.pid;
		} else if (c->cmsg_type == SCM_RIGHTS) {
			size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			int fd;

			for (size_t i = 0; i < n; i++) {
				memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				close(fd);
			}
		}
	}
	return sender;
}

/* Returns false when the socket has nothing more to read now. */
static bool receive_one(struct notify_server *server)
{
	char buf[NOTIFY_MESSAGE_MAX + 1];
	/* Room for credentials and a few fds; the kernel closes the fds
	 * that do not fit (MSG_CTRUNC). */
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(struct ucred)) +
			   CMSG_SPACE(16 * sizeof(int))];
	} control;
	struct iovec iov = { buf, NOTIFY_MESSAGE_MAX };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &control, .msg_controllen = sizeof(control),
	};
	struct notify_msg msg;
	ssize_t n = recvmsg(server->io.fd, &mh, MSG_DONTWAIT | MSG_TRUNC |
			    MSG_CMSG_CLOEXEC);
	pid_t sender;

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_errno(LOG_LEVEL_WARNING, NULL, errno,
				  "reading the notify socket");
		return errno == EINTR;
	}
	sender = notify_take_credentials(&mh);
	if (n > NOTIFY_MESSAGE_MAX || (mh.msg_flags & MSG_TRUNC)) {
		log_debug(NULL, "notify: %zd-byte message from pid %d dropped "
			  "(at most %d)", n, (int)sender, NOTIFY_MESSAGE_MAX);
		return true;
	}
	buf[n] = '\0';
	if (sender <= 0 || !notify_parse(buf, (size_t)n, &msg)) {
		log_debug(NULL, "notify: message from pid %d ignored: no sender "
			  "or nothing understood", (int)sender);
		return true;
	}
	server->on_message(server->ctx, sender, &msg);
	return true;
}

static void io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct notify_server *server = w->data;

	/* Bounded, so that a flood cannot starve the rest of the loop. */
	for (int i = 0; i < 64 && receive_one(server); i++)
		;
}

int notify_open(struct notify_server *server, struct ev_loop *loop,
		const char *path, notify_message_fn *on_message, void *ctx)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, one = 1;

	*server = (struct notify_server){ .loop = loop, .on_message = on_message,
					  .ctx = ctx };
	ev_io_init(&server->io, io_cb, -1, EV_READ);
	if (strlen(path) >= sizeof(addr.sun_path)) {
		log_error(NULL, "notify socket path too long (at most %zu "
			  "bytes): %s", sizeof(addr.sun_path) - 1, path);
		return -1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "notify socket");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "SO_PASSCRED");
		goto fail;
	}
	/* Only svd binds here; a file left by a dead svd is stale. */
	if (unlink(path) < 0 && errno != ENOENT)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "unlink %s", path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "bind %s", path);
		goto fail;
	}
	/* Services may run as other users later: anyone may send, the
	 * sender's pid decides whether the message counts. */
	if (chmod(path, 0666) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "chmod %s", path);
	server->path = strdup(path);
	if (!server->path) {
		log_errno(LOG_LEVEL_ERROR, NULL, ENOMEM, "notify socket");
		unlink(path);
		goto fail;
	}
	ev_io_set(&server->io, fd, EV_READ);
	server->io.data = server;
	ev_io_start(loop, &server->io);
	return 0;
fail:
	close(fd);
	return -1;
}

int notify_adopt(struct notify_server *server, struct ev_loop *loop,
		 const char *path, int fd, notify_message_fn *on_message,
		 void *ctx)
{
	*server = (struct notify_server){ .loop = loop, .on_message = on_message,
					  .ctx = ctx };
	ev_io_init(&server->io, io_cb, -1, EV_READ);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || !(server->path = strdup(path))) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "notify socket fd %d", fd);
		return -1;
	}
	ev_io_set(&server->io, fd, EV_READ);
	server->io.data = server;
	ev_io_start(loop, &server->io);
	return 0;
}

void notify_close(struct notify_server *server)
{
	/* Never opened (no path) or closed already. */
	if (!server->path)
		return;
	ev_io_stop(server->loop, &server->io);
	close(server->io.fd);
	server->io.fd = -1;
	if (server->path)
		unlink(server->path);
	free(server->path);
	server->path = NULL;
}
