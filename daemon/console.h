/* console: svd's stderr, written without ever blocking the loop.
 *
 * In a container, stderr is a pipe that docker or kubectl reads when it
 * pleases; on a board, a serial console at 115200 baud. A blocking write
 * there would stop every service. So svd writes through its own
 * non-blocking open file description (reopened from /proc/self/fd/2, so
 * the flag never leaks into the description the container's command
 * shares), keeps what did not fit in a bounded queue, and past that drops
 * whole lines, counting them, and says so once the reader catches up.
 * Where svd may not reopen it, it asks poll() before each write and
 * writes at most PIPE_BUF, which a writable pipe takes without waiting.
 * Regular files are written as they are: a disk does not stall like a
 * pipe, and a full one returns ENOSPC. */
#ifndef SVD_CONSOLE_H
#define SVD_CONSOLE_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>

/* Bytes queued while the reader is slow; past it, lines are dropped. */
#define CONSOLE_QUEUE_MAX_BYTES ((size_t)1024 * 1024)

struct console {
	struct ev_loop *loop;
	int fd;			/* what svd writes to */
	bool own_fd;		/* fd is svd's reopening, closed at the end */
	bool is_socket;		/* send(MSG_DONTWAIT) rather than write */
	bool nonblocking;	/* writes may say EAGAIN: queue, watch io */
	bool poll_first;	/* a shared blocking fd: poll, then PIPE_BUF */
	ev_io io;		/* writable again: flush the queue */
	char *queue;
	size_t queued, queue_cap;
	unsigned long dropped_lines;
};

/* Prepares writes to fd (2). Never fails: without a way to write without
 * blocking, it writes as the fd allows. */
void console_init(struct console *c, struct ev_loop *loop, int fd);
/* Writes whole lines (text ends with '\n'), now or queued. */
void console_write(struct console *c, const char *text, size_t len);
/* Writes what is queued, blocking: for svd's last words at exit. */
void console_flush_blocking(struct console *c);
void console_free(struct console *c);
/* Newlines in text: the lines a drop costs. */
size_t console_count_lines(const char *text, size_t len);

#endif
