#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void console_io_cb(struct ev_loop *loop, ev_io *w, int revents);

/* A new open file description of the same pipe, tty or FIFO, with its
 * own O_NONBLOCK. */
static int reopen_nonblocking(int fd)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

void console_init(struct console *c, struct ev_loop *loop, int fd)
{
	struct stat st;

	*c = (struct console){ .loop = loop, .fd = fd };
	if (fstat(fd, &st) < 0 || S_ISREG(st.st_mode))
		return;
	if (S_ISSOCK(st.st_mode)) {
		c->is_socket = true;
	} else {
		int own = reopen_nonblocking(fd);

		if (own >= 0) {
			c->fd = own;
			c->own_fd = true;
		} else {
			/* Not svd's to reopen (another user's pipe, no /proc):
			 * ask before each write, and write no more than the
			 * kernel takes at once when it says "writable". */
			c->poll_first = true;
		}
	}
	c->nonblocking = true;
	ev_io_init(&c->io, console_io_cb, c->fd, EV_WRITE);
	c->io.data = c;
}

static ssize_t put(struct console *c, const char *text, size_t len)
{
	ssize_t n;

	if (c->poll_first) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };

		if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLOUT)) {
			errno = EAGAIN;
			return -1;
		}
		if (len > PIPE_BUF)
			len = PIPE_BUF;
	}
	do
		n = c->is_socket ? send(c->fd, text, len, MSG_DONTWAIT | MSG_NOSIGNAL) :
				   write(c->fd, text, len);
	while (n < 0 && errno == EINTR);
	return n;
}

size_t console_count_lines(const char *text, size_t len)
{
	size_t lines = 0;

	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text)));
	     p++)
		lines++;
	return lines;
}

static bool enqueue(struct console *c, const char *text, size_t len)
{
	if (c->queued + len > CONSOLE_QUEUE_MAX_BYTES)
		return false;
	if (c->queued + len > c->queue_cap) {
		size_t cap = c->queue_cap ? c->queue_cap : 4096;
		char *grown;

		while (cap < c->queued + len)
			cap *= 2;
		if (!(grown = realloc(c->queue, cap)))
			return false;
		c->queue = grown;
		c->queue_cap = cap;
	}
	memcpy(c->queue + c->queued, text, len);
	c->queued += len;
	if (!ev_is_active(&c->io))
		ev_io_start(c->loop, &c->io);
	return true;
}

/* Writes text; what the fd does not take now is queued. Returns false
 * when some of it could be neither written nor queued. */
static bool write_or_queue(struct console *c, const char *text, size_t len)
{
	ssize_t n = 0;

	if (!c->nonblocking) {
		/* A file or a descriptor svd could not reopen: as it comes. */
		while (len > 0 && (n = put(c, text, len)) > 0) {
			text += n;
			len -= (size_t)n;
		}
		return len == 0 || errno != ENOSPC;
	}
	if (c->queued == 0) {
		n = put(c, text, len);
		if (n < 0 && errno != EAGAIN)
			return true;	/* nowhere to say it: as a closed stderr */
		if (n < 0)
			n = 0;
	}
	if ((size_t)n == len)
		return true;
	/* A line already begun must be finished, or the next one would be
	 * glued to its start: the queue takes it even over its bound. */
	if (n > 0 && !enqueue(c, text + n, len - (size_t)n)) {
		const char *end = memchr(text + n, '\n', len - (size_t)n);

		if (end)
			enqueue(c, text + n, (size_t)(end + 1 - (text + n)));
		return false;
	}
	return n > 0 || enqueue(c, text, len);
}

static void note_drops(struct console *c)
{
	char note[128];
	int len;

	if (!c->dropped_lines)
		return;
	len = snprintf(note, sizeof(note), "svd: warning: %lu lines for stderr "
		       "dropped: it was not read fast enough\n", c->dropped_lines);
	if (write_or_queue(c, note, (size_t)len))
		c->dropped_lines = 0;
}

void console_write(struct console *c, const char *text, size_t len)
{
	if (len == 0)
		return;
	if (c->dropped_lines && c->queued == 0)
		note_drops(c);
	if (!write_or_queue(c, text, len))
		c->dropped_lines += console_count_lines(text, len);
}

static void console_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct console *c = w->data;
	ssize_t n = put(c, c->queue, c->queued);

	if (n < 0 && errno == EAGAIN)
		return;
	if (n < 0)
		n = (ssize_t)c->queued;	/* the reader is gone: nothing to keep */
	memmove(c->queue, c->queue + n, c->queued - (size_t)n);
	c->queued -= (size_t)n;
	if (c->queued)
		return;
	ev_io_stop(loop, w);
	note_drops(c);
}

void console_flush_blocking(struct console *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };
	size_t done = 0;

	while (done < c->queued) {
		ssize_t n = put(c, c->queue + done, c->queued - done);

		if (n >= 0) {
			done += (size_t)n;
			continue;
		}
		/* A second at most per stall: svd is on its way out. */
		if (errno != EAGAIN || poll(&pfd, 1, 1000) <= 0)
			break;
	}
	c->queued = 0;
	if (ev_is_active(&c->io))
		ev_io_stop(c->loop, &c->io);
}

void console_free(struct console *c)
{
	if (c->loop && ev_is_active(&c->io))
		ev_io_stop(c->loop, &c->io);
	if (c->own_fd)
		close(c->fd);
	free(c->queue);
	*c = (struct console){ .fd = -1 };
}
