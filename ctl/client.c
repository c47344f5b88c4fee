#include "client.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* The socket is there but not for this user: say what would let it in. */
static void denied_hint(const char *path)
{
	struct stat st;

	fprintf(stderr, "svctl: permission denied: %s", path);
	if (stat(path, &st) == 0)
		fprintf(stderr, " (mode %04o, uid %u, gid %u)",
			(unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
			(unsigned)st.st_gid);
	fprintf(stderr, " is svd's control socket, and uid %u may not use it.\n"
		"svctl: run it as root, or have svd.conf's [Control] grant this "
		"user:\nsvctl:   SocketGroup= (its members may read status and "
		"logs),\nsvctl:   ManageGroup= or ManageUsers= (they may also "
		"start and stop),\nsvctl: then svctl daemon-reload as root.\n",
		(unsigned)getuid());
}

int client_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "svctl: socket path too long: %s\n", path);
		return -SVCTL_EXIT_UNREACHABLE;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "svctl: socket: %s\n", strerror(errno));
		return -SVCTL_EXIT_UNREACHABLE;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = errno;

		close(fd);
		if (err == EACCES || err == EPERM) {
			denied_hint(path);
			return -SVCTL_EXIT_DENIED;
		}
		fprintf(stderr, "svctl: cannot reach svd at %s: %s\n", path,
			strerror(err));
		return -SVCTL_EXIT_UNREACHABLE;
	}
	return fd;
}

static int put_extra(struct proto_buf *buf, const char *const *extra)
{
	for (; extra && extra[0]; extra += 2)
		if (proto_put(buf, extra[0], extra[1]) < 0)
			return -1;
	return 0;
}

/* Returns 0, -1 after saying why, or -2 when svd hung up first (it may
 * have left a final reply saying why: the caller reads it). */
static int send_request(int fd, const char *verb, const char *unit,
			const char *const *extra)
{
	struct proto_buf *buf = malloc(sizeof(*buf));
	int r = -1;

	if (!buf)
		return -1;
	if (proto_begin(buf, verb) < 0 ||
	    (unit && proto_put(buf, "unit", unit) < 0) ||
	    put_extra(buf, extra) < 0) {
		fprintf(stderr, "svctl: invalid request: %s %s\n", verb,
			unit ? unit : "");
		free(buf);
		return -1;
	}
	if (send(fd, buf->data, buf->len, MSG_NOSIGNAL) == (ssize_t)buf->len)
		r = 0;
	else if (errno == EPIPE || errno == ECONNRESET)
		r = -2;
	else
		fprintf(stderr, "svctl: sending to svd: %s\n", strerror(errno));
	free(buf);
	return r;
}

/* svctl makes one connection per run (a follower may make another
 * after a re-exec). */
static bool refused;
/* The last final reply said code=reexec: svd was about to exec. */
static bool reexecuted;

bool client_refused(void)
{
	return refused;
}

static int exit_code_for(const struct proto_msg *reply)
{
	const char *code = proto_get(reply, "code");

	if (!code)
		return SVCTL_EXIT_FAILED;
	if (strcmp(code, "no-such-unit") == 0)
		return SVCTL_EXIT_NO_UNIT;
	if (strcmp(code, "usage") == 0)
		return SVCTL_EXIT_USAGE;
	if (strcmp(code, "permission-denied") == 0)
		return SVCTL_EXIT_DENIED;
	/* "busy" (too many clients, out of fds) is a failure too: svd was
	 * reached; 5 is kept for an svd that is not there. */
	if (strcmp(code, "busy") == 0)
		refused = true;
	if (strcmp(code, "reexec") == 0)
		reexecuted = true;
	return SVCTL_EXIT_FAILED;
}

bool client_reexecuted(void)
{
	return reexecuted;
}

int client_reconnect(const char *path)
{
	/* The listening socket stays open across svd's exec: the connection
	 * waits in its backlog until the new svd accepts it. */
	reexecuted = false;
	return client_connect(path);
}

/* is-active and friends answer "no such unit" with a state, not an
 * error: svctl's one process asks once. */
static bool errors_quiet;

void client_quiet_errors(bool quiet)
{
	errors_quiet = quiet;
}

static int finish(const struct proto_msg *reply)
{
	const char *status = proto_get(reply, "status");
	const char *error = proto_get(reply, "error");

	if (strcmp(status, "ok") == 0)
		return SVCTL_EXIT_OK;
	if (!errors_quiet || exit_code_for(reply) != SVCTL_EXIT_NO_UNIT)
		fprintf(stderr, "svctl: %s\n", error ? error : "request failed");
	return exit_code_for(reply);
}

/* One reply message, or -1 after saying why. svd that refuses a client
 * (too many, out of fds) sends one reply and closes at once; the kernel
 * reports the close (EPIPE on send, ECONNRESET on recv) before that
 * reply, which is still queued: read it. */
static ssize_t recv_reply(int fd, char *buf, size_t size, bool hung_up)
{
	int err = EPIPE;
	ssize_t n;

	if (!hung_up) {
		do
			n = recv(fd, buf, size, MSG_TRUNC);
		while (n < 0 && errno == EINTR);
		if (n > 0)
			return n;
		if (n == 0 || errno != ECONNRESET) {
			fprintf(stderr, "svctl: svd closed the connection%s%s\n",
				n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
			return -1;
		}
		err = ECONNRESET;
	}
	n = recv(fd, buf, size, MSG_TRUNC | MSG_DONTWAIT);
	if (n > 0)
		return n;
	fprintf(stderr, "svctl: svd closed the connection: %s\n", strerror(err));
	return -1;
}

int client_call(int fd, const char *verb, const char *unit,
		client_reply_fn *on_reply, void *ctx)
{
	return client_call_with(fd, verb, unit, NULL, on_reply, ctx);
}

int client_call_with(int fd, const char *verb, const char *unit,
		     const char *const *extra, client_reply_fn *on_reply,
		     void *ctx)
{
	static char buf[PROTO_MSG_MAX_BYTES + 1];
	static struct proto_msg reply;
	const char *error;
	int sent = send_request(fd, verb, unit, extra);

	if (sent == -1)
		return SVCTL_EXIT_UNREACHABLE;
	for (;;) {
		ssize_t n = recv_reply(fd, buf, sizeof(buf), sent == -2);

		if (n < 0)
			return SVCTL_EXIT_UNREACHABLE;
		sent = 0;
		if ((size_t)n > PROTO_MSG_MAX_BYTES ||
		    proto_decode(buf, (size_t)n, false, &reply, &error) < 0) {
			fprintf(stderr, "svctl: malformed reply from svd\n");
			return SVCTL_EXIT_FAILED;
		}
		if (proto_get(&reply, "status")) {
			if (on_reply)
				on_reply(ctx, &reply, 1);
			return finish(&reply);
		}
		if (on_reply)
			on_reply(ctx, &reply, 0);
	}
}
