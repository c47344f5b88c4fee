/* notify: svd's side of the sd_notify protocol. One datagram socket for
 * all services (its path goes to them as NOTIFY_SOCKET); the kernel
 * stamps each message with its sender's pid (SO_PASSCRED), which the
 * manager maps to a service. Messages are "KEY=VALUE" lines; a malformed
 * or oversized one, or a flood, costs a debug line and nothing else. */
#ifndef SVD_NOTIFY_H
#define SVD_NOTIFY_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* libsystemd's own limit for one message (sd_notify writes one
 * datagram); a longer one is dropped whole, never cut. */
#define NOTIFY_MESSAGE_MAX 4096

struct msghdr;

/* The sender's pid from a received message's SCM_CREDENTIALS (0 when
 * there are none); every fd that came along (SCM_RIGHTS) is closed:
 * svd keeps none (no fd store), and BARRIER=1 waits for exactly that.
 * The syslog socket reads its datagrams the same way. */
pid_t notify_take_credentials(struct msghdr *mh);

struct notify_msg {
	bool ready;		/* READY=1 */
	bool reloading;		/* RELOADING=1 */
	bool stopping;		/* STOPPING=1 */
	bool watchdog;		/* WATCHDOG=1: keep-alive */
	bool watchdog_trigger;	/* WATCHDOG=trigger: act as if missed */
	const char *status;	/* STATUS=..., points into the buffer */
	pid_t main_pid;		/* MAINPID=, 0 if absent */
	int errno_value;	/* ERRNO=, 0 if absent */
	uint64_t extend_timeout_usec; /* EXTEND_TIMEOUT_USEC=, 0 if absent */
	uint64_t watchdog_usec;	/* WATCHDOG_USEC=, 0 if absent */
	bool barrier;		/* BARRIER=1: its fd is already closed */
	unsigned n_unknown;	/* lines not understood (ignored) */
};

/* Parses buf (len bytes, NUL-terminated by the caller) in place: turns
 * newlines into NULs. Unknown keys count in n_unknown; a bad value of a
 * known key is ignored. Returns false when nothing in it was understood. */
bool notify_parse(char *buf, size_t len, struct notify_msg *msg);

typedef void notify_message_fn(void *ctx, pid_t sender,
			       const struct notify_msg *msg);

struct notify_server {
	struct ev_loop *loop;
	ev_io io;
	char *path;
	notify_message_fn *on_message;
	void *ctx;
};

/* Binds the socket at path (a stale one is replaced). Returns -1 after
 * logging why. */
int notify_open(struct notify_server *server, struct ev_loop *loop,
		const char *path, notify_message_fn *on_message, void *ctx);
/* The same with the socket a re-exec kept open (reexec.h). */
int notify_adopt(struct notify_server *server, struct ev_loop *loop,
		 const char *path, int fd, notify_message_fn *on_message,
		 void *ctx);
void notify_close(struct notify_server *server);

#endif
