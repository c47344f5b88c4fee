#include "devlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"

/* --- forwarding --- */

/* "<PRI>Mmm dd hh:mm:ss " in local time, as journald forwards. */
static size_t forward_header(char *buf, size_t size, int priority)
{
	time_t now = time(NULL);
	struct tm tm;
	int n = snprintf(buf, size, "<%d>", priority);

	if (n > 0 && (size_t)n < size && localtime_r(&now, &tm))
		n += (int)strftime(buf + n, size - (size_t)n, "%b %e %T ", &tm);
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

static void forward_state(struct devlog *dl, bool listening)
{
	if (listening == dl->forwarding)
		return;
	dl->forwarding = listening;
	log_debug(NULL, "syslog: %s %s", listening ? "forwarding to" :
		  "nothing listens, not forwarding to", dl->forward_path);
}

/* An iovec of text the datagram holds: sendmsg() only reads it. */
static struct iovec iov_of(const char *text, size_t len)
{
	return (struct iovec){ (char *)(uintptr_t)text, len };
}

/* Sent as "<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG", the pid the one the
 * message gave, else the sender's; straight from the datagram's parts. */
static void forward(struct devlog *dl, const struct devlog_msg *msg,
		    pid_t sender)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char header[64], pid[16], why[160];
	struct iovec iov[6];
	struct msghdr mh = { .msg_name = &addr, .msg_namelen = sizeof(addr),
			     .msg_iov = iov };
	size_t n = 0;

	if (dl->forward_fd < 0)
		return;
	iov[n++] = (struct iovec){ header, forward_header(header, sizeof(header),
							  msg->priority) };
	if (msg->tag) {
		snprintf(pid, sizeof(pid), "%d", (int)sender);
		iov[n++] = iov_of(msg->tag, msg->tag_len);
		iov[n++] = iov_of("[", 1);
		iov[n++] = msg->pid ? iov_of(msg->pid, msg->pid_len) :
				      iov_of(pid, strlen(pid));
		iov[n++] = iov_of("]: ", 3);
	}
	iov[n++] = iov_of(msg->text, msg->text_len);
	mh.msg_iovlen = n;
	strcpy(addr.sun_path, dl->forward_path);	/* length checked at open */
	if (sendmsg(dl->forward_fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) {
		forward_state(dl, true);
		dl->counts.forwarded++;
		return;
	}
	if (errno == ENOENT || errno == ECONNREFUSED || errno == ENOTSOCK ||
	    errno == EPROTOTYPE) {
		forward_state(dl, false);
		return;
	}
	dl->counts.forward_failed++;
	log_warning(NULL, "syslog: forwarding to %s: %s; %lu messages not "
		    "forwarded so far", dl->forward_path,
		    log_errno_text(errno, why, sizeof(why)),
		    dl->counts.forward_failed);
}

/* --- receiving --- */

static enum log_level level_of(int priority)
{
	int severity = priority & 7;

	if (severity <= 3)	/* emerg, alert, crit, err */
		return LOG_LEVEL_ERROR;
	if (severity == 4)
		return LOG_LEVEL_WARNING;
	return severity == 7 ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO;
}

/* The longest TAG or PID shown whole in svd's own log; a longer one
 * is cut there with "..." (the message's text never is). */
#define DEVLOG_SOURCE_PART_MAX_BYTES 64

/* From no service's process: svd's own log, "TAG[PID]: MSG" (the
 * sender's pid when the message names none), limited per TAG[PID] as
 * svd's messages are per unit. */
static void to_own_log(const struct devlog_msg *msg, pid_t sender)
{
	const int max = DEVLOG_SOURCE_PART_MAX_BYTES;
	char source[2 * DEVLOG_SOURCE_PART_MAX_BYTES + 16], pid[16];
	const char *pid_text = msg->pid;
	int tag_len = (int)msg->tag_len, pid_len = (int)msg->pid_len;

	if (!pid_text) {
		pid_len = snprintf(pid, sizeof(pid), "%d", (int)sender);
		pid_text = pid;
	}
	snprintf(source, sizeof(source), "%.*s%s[%.*s%s]",
		 tag_len > max ? max : tag_len, msg->tag ? msg->tag : "",
		 tag_len > max ? "..." : "", pid_len > max ? max : pid_len,
		 pid_text, pid_len > max ? "..." : "");
	log_msg(level_of(msg->priority), source, "%.*s", (int)msg->text_len,
		msg->text);
}

/* "TAG[PID]: MSG" into dl->line, which has room: the parts are slices
 * of the datagram, at most its length together. */
static size_t service_line(struct devlog *dl, const struct devlog_msg *msg)
{
	char *out = dl->line;

	if (msg->tag) {
		memcpy(out, msg->tag, msg->tag_len);
		out += msg->tag_len;
		if (msg->pid) {
			*out++ = '[';
			memcpy(out, msg->pid, msg->pid_len);
			out += msg->pid_len;
			*out++ = ']';
		}
		*out++ = ':';
		*out++ = ' ';
	}
	memcpy(out, msg->text, msg->text_len);
	out += msg->text_len;
	*out = '\0';
	return (size_t)(out - dl->line);
}

static void deliver(struct devlog *dl, size_t len, pid_t sender)
{
	struct logs_service *ls;
	struct devlog_msg msg;

	devlog_parse(dl->buf, len, &msg);
	if (!msg.tag && msg.text_len == 0)
		return;		/* nothing said: nothing to keep or pass on */
	if (dl->forward_path)
		forward(dl, &msg, sender);
	ls = sender > 0 ? dl->find(dl->ctx, sender) : NULL;
	if (!ls)
		to_own_log(&msg, sender);
	else
		logs_service_syslog(ls, msg.priority & 7, dl->line,
				    service_line(dl, &msg));
}

/* Returns false when the socket has nothing more to read now. */
static bool receive_one(struct devlog *dl)
{
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(struct ucred)) +
			   CMSG_SPACE(16 * sizeof(int))];
	} control;
	struct iovec iov = { dl->buf, DEVLOG_MESSAGE_MAX_BYTES };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &control, .msg_controllen = sizeof(control),
	};
	ssize_t n = recvmsg(dl->io.fd, &mh, MSG_DONTWAIT | MSG_TRUNC |
			    MSG_CMSG_CLOEXEC);
	pid_t sender;

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_errno(LOG_LEVEL_WARNING, NULL, errno,
				  "reading the syslog socket %s", dl->path);
		return errno == EINTR;
	}
	dl->counts.received++;
	sender = notify_take_credentials(&mh);
	if (n > DEVLOG_MESSAGE_MAX_BYTES || (mh.msg_flags & MSG_TRUNC)) {
		dl->counts.dropped++;
		log_warning(NULL, "syslog: a %zd-byte message from pid %d "
			    "dropped: longer than %d bytes (%lu dropped so far)",
			    n, (int)sender, DEVLOG_MESSAGE_MAX_BYTES,
			    dl->counts.dropped);
		return true;
	}
	dl->buf[n] = '\0';
	deliver(dl, (size_t)n, sender);
	return true;
}

static void io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct devlog *dl = w->data;

	(void)loop;
	(void)revents;
	/* Bounded, so that a flood cannot starve the rest of the loop. */
	for (int i = 0; i < DEVLOG_READ_MAX_MESSAGES && receive_one(dl); i++)
		;
}

void devlog_drain(struct devlog *dl)
{
	if (!dl->loop || dl->io.fd < 0)
		return;
	for (int i = 0; i < DEVLOG_DRAIN_MAX_MESSAGES && receive_one(dl); i++)
		;
}

/* --- the socket --- */

/* A path may hold a socket of a syslog daemon that runs (leave it), a
 * stale one of a daemon gone (replace it), or a file that is no socket
 * (leave it: never delete what svd did not make). Returns 0 when svd
 * may bind there. */
static int claim_path(const char *path, const struct sockaddr_un *addr)
{
	struct stat st;
	int probe, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode) && !S_ISLNK(st.st_mode)) {
		log_error(NULL, "syslog socket %s: exists and is not a socket; "
			  "left alone", path);
		return -1;
	}
	probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (probe < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "syslog socket %s: probe",
			  path);
		return -1;
	}
	r = connect(probe, (const struct sockaddr *)addr, sizeof(*addr));
	close(probe);
	if (r == 0) {
		log_warning(NULL, "syslog socket %s: another syslog daemon "
			    "listens there; left to it", path);
		return -1;
	}
	if (errno != ECONNREFUSED && errno != ENOENT) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "syslog socket %s: "
			  "probe", path);
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "syslog socket %s: "
			  "removing the stale one", path);
		return -1;
	}
	return 0;
}

/* Asks for journald's queue: past net.core.rmem_max only with
 * CAP_NET_ADMIN (SO_RCVBUFFORCE), else as much as the kernel allows. */
static void grow_receive_buffer(int fd, const char *path)
{
	int bytes = DEVLOG_RCVBUF_BYTES;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) == 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) < 0)
		log_errno(LOG_LEVEL_DEBUG, NULL, errno, "syslog socket %s: "
			  "SO_RCVBUF", path);
}

static int make_socket(const char *path, const struct sockaddr_un *addr,
		       struct stat *st)
{
	int fd, one = 1;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "syslog socket %s", path);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "syslog socket %s: "
			  "SO_PASSCRED", path);
		goto fail;
	}
	grow_receive_buffer(fd, path);
	if (claim_path(path, addr) < 0)
		goto fail;
	if (bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "syslog socket: bind %s",
			  path);
		goto fail;
	}
	/* Every user's programs log: anyone may send (journald's 0666). */
	if (chmod(path, 0666) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "syslog socket: "
			  "chmod %s", path);
	if (stat(path, st) < 0)
		*st = (struct stat){ 0 };
	return fd;
fail:
	close(fd);
	return -1;
}

static int set_forward(struct devlog *dl, const char *path)
{
	if (!path)
		return 0;
	if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		log_error(NULL, "syslog forwarding path too long (at most %zu "
			  "bytes): %s; not forwarding",
			  sizeof(((struct sockaddr_un *)0)->sun_path) - 1, path);
		return 0;
	}
	if (!(dl->forward_path = strdup(path)))
		return -1;
	dl->forward_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC |
				SOCK_NONBLOCK, 0);
	if (dl->forward_fd < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "syslog: a socket to "
			  "forward to %s; not forwarding", path);
	return 0;
}

int devlog_open(struct devlog *dl, struct ev_loop *loop, const char *path,
		const char *forward_path, devlog_find_fn *find, void *ctx)
{
	return devlog_adopt(dl, loop, path, -1, forward_path, find, ctx);
}

int devlog_adopt(struct devlog *dl, struct ev_loop *loop, const char *path,
		 int fd, const char *forward_path, devlog_find_fn *find,
		 void *ctx)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;

	*dl = (struct devlog){ .loop = loop, .find = find, .ctx = ctx,
			       .forward_fd = -1, .adopt_fd = fd };
	ev_io_init(&dl->io, io_cb, -1, EV_READ);
	if (strlen(path) >= sizeof(addr.sun_path)) {
		log_error(NULL, "syslog socket path too long (at most %zu "
			  "bytes): %s", sizeof(addr.sun_path) - 1, path);
		return -1;
	}
	strcpy(addr.sun_path, path);
	dl->buf = malloc(DEVLOG_MESSAGE_MAX_BYTES + 1);
	/* "TAG[PID]: " adds four bytes to the datagram's, and one spare. */
	dl->line = malloc(DEVLOG_MESSAGE_MAX_BYTES + 8);
	dl->path = strdup(path);
	if (!dl->buf || !dl->line || !dl->path || set_forward(dl, forward_path) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, ENOMEM, "syslog socket %s", path);
		goto fail;
	}
	fd = dl->adopt_fd >= 0 ? dl->adopt_fd : make_socket(path, &addr, &st);
	if (fd < 0)
		goto fail;
	/* A re-exec's: close-on-exec again, and the path's identity. */
	if (fd == dl->adopt_fd && (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
				   stat(path, &st) < 0))
		st = (struct stat){ 0 };
	dl->dev = st.st_dev;
	dl->ino = st.st_ino;
	ev_io_set(&dl->io, fd, EV_READ);
	dl->io.data = dl;
	ev_io_start(loop, &dl->io);
	return 0;
fail:
	devlog_close(dl);
	return -1;
}

void devlog_close(struct devlog *dl)
{
	struct stat st;

	if (!dl->loop)
		return;		/* never opened, or closed already */
	if (dl->io.fd >= 0) {
		ev_io_stop(dl->loop, &dl->io);
		close(dl->io.fd);
		ev_io_set(&dl->io, -1, EV_READ);
		/* Only svd's own: a syslog daemon may have taken the path. */
		if (stat(dl->path, &st) == 0 && st.st_dev == dl->dev &&
		    st.st_ino == dl->ino)
			unlink(dl->path);
	}
	if (dl->forward_fd >= 0)
		close(dl->forward_fd);
	free(dl->forward_path);
	free(dl->path);
	free(dl->buf);
	free(dl->line);
	*dl = (struct devlog){ .forward_fd = -1 };
}
