/* devlog: svd's syslog socket, /dev/log as init (svd.conf SyslogSocket=),
 * for the programs that log with syslog(3) rather than to stdout.
 *
 * One datagram socket, set up as journald's: SO_PASSCRED (the kernel
 * stamps each message with its sender's pid), a large receive buffer,
 * mode 0666, non-blocking, close-on-exec. Each datagram is one message:
 * "<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG" as glibc sends it, RFC 5424, or a
 * bare text. Its sender's pid picks the service (its main or control
 * process, or a process in its session: the path sd_notify's
 * NotifyAccess=all takes), and the message joins that service's log as
 * "TAG[PID]: MSG" with its severity (logs_service_syslog); a message
 * from no service's process goes to svd's own log.
 *
 * Bounded: at most DEVLOG_READ_MAX_MESSAGES per wake-up, never a wait.
 * The kernel holds what svd has not read yet (a sender waits, or gets
 * EAGAIN, when that is full); what svd itself discards (a message over
 * DEVLOG_MESSAGE_MAX_BYTES) is counted and said in svd's log.
 *
 * Forwarding: when a datagram socket listens at the forward path
 * (RUNTIME/systemd/journal/syslog, where journald forwards and a
 * syslog.socket's rsyslog listens), each message is sent on to it in the
 * traditional format, without waiting: nobody there (ENOENT,
 * ECONNREFUSED) means no forwarding, said once at debug level; any other
 * failure (a full listener) loses that message for it, counted and said
 * through the log's limit. */
#ifndef SVD_DEVLOG_H
#define SVD_DEVLOG_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "devlog_msg.h"
#include "logs.h"

/* The longest datagram taken; a longer one is dropped whole, counted. */
#define DEVLOG_MESSAGE_MAX_BYTES (64 * 1024)
/* Datagrams read per wake-up before the loop serves others. */
#define DEVLOG_READ_MAX_MESSAGES 64
/* Read at most before a child's exit is handled (devlog_drain). */
#define DEVLOG_DRAIN_MAX_MESSAGES 256
/* Asked of the kernel for the socket's queue, as journald's 8M. */
#define DEVLOG_RCVBUF_BYTES (8 * 1024 * 1024)


/* The log of the service whose process pid is, or NULL. */
typedef struct logs_service *devlog_find_fn(void *ctx, pid_t pid);

struct devlog_counts {
	unsigned long received;		/* datagrams read */
	unsigned long dropped;		/* discarded by svd: oversized */
	unsigned long forwarded;	/* sent on to the forward path */
	unsigned long forward_failed;	/* a listener there, but not sent */
};

struct devlog {
	struct ev_loop *loop;
	ev_io io;
	char *path;		/* bound here; NULL when closed */
	dev_t dev;		/* of the socket made, so that closing */
	ino_t ino;		/* unlinks it only if it is still ours */
	char *forward_path;	/* NULL: no forwarding */
	int forward_fd;		/* unbound datagram socket, or -1 */
	bool forwarding;	/* the last send found a listener */
	devlog_find_fn *find;
	void *ctx;
	char *buf;		/* DEVLOG_MESSAGE_MAX_BYTES + 1 */
	char *line;		/* "TAG[PID]: MSG", for the service's log */
	struct devlog_counts counts;
	int adopt_fd;		/* the socket a re-exec kept, while opening */
};

/* Binds the socket at path. A socket there that answers is another
 * syslog daemon's: svd leaves it and goes without (returns -1); a stale
 * one is replaced; anything else there is left alone (-1). forward_path
 * may be NULL. Returns -1 after logging why. */
int devlog_open(struct devlog *dl, struct ev_loop *loop, const char *path,
		const char *forward_path, devlog_find_fn *find, void *ctx);
/* The same with the socket fd a re-exec kept open (reexec.h); -1: as
 * devlog_open. */
int devlog_adopt(struct devlog *dl, struct ev_loop *loop, const char *path,
		 int fd, const char *forward_path, devlog_find_fn *find,
		 void *ctx);
/* Reads what the socket holds now, at most DEVLOG_DRAIN_MAX_MESSAGES:
 * before a process's exit is handled, so that what it sent just before
 * (logger(1) as ExecStart=) goes to its service, not to svd's log.
 * Nothing when the socket is not open. */
void devlog_drain(struct devlog *dl);
void devlog_close(struct devlog *dl);

#endif
