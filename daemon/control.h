/* control: the control socket (AF_UNIX, SOCK_SEQPACKET) and its clients.
 *
 * Socket mechanics only: accepting, peer credentials, reading one request
 * at a time, queueing replies without ever blocking on a slow client. What
 * a request means is the handler's business (commands.c). */
#ifndef SVD_CONTROL_H
#define SVD_CONTROL_H

#include <ev.h>
#include <stdbool.h>
#include <sys/types.h>

#include "access.h"
#include "proto.h"

/* Clients connected at once; more are accepted, told why (code=busy) and
 * closed at once. */
#define CTL_CLIENTS_MAX 128
/* A client that sends no request for this long is closed. */
#define CTL_IDLE_TIMEOUT_SEC 5.0
/* Replies queued for one client; past it the client is dropped. */
#define CTL_OUTBOX_MAX_BYTES (8 * 1024 * 1024)
/* accept() failing for want of fds or memory: the listener rests this
 * long, doubling up to the cap, instead of being retried every turn. */
#define CTL_ACCEPT_RETRY_MIN_SEC 0.05
#define CTL_ACCEPT_RETRY_MAX_SEC 1.0
/* Clients refused in one go with the spare fd while out of fds. */
#define CTL_REFUSE_BATCH_MAX 64

struct ctl_client;
struct control;

/* Handles one decoded request. The handler replies with control_send and
 * ends the request with control_done (now, or later for a start that
 * waits), after which the next request is read. */
typedef void control_request_fn(void *ctx, struct ctl_client *client,
				const struct proto_msg *request);
/* The client is going away (hung up, idle, too slow, or control_close):
 * called once per client, before it is freed; drop any reference to it
 * and free its handler_data. */
typedef void control_gone_fn(void *ctx, struct ctl_client *client);

struct ctl_outmsg {
	struct ctl_outmsg *next;
	size_t len;
	char data[];
};

struct ctl_client {
	struct control *ctl;
	struct ctl_client *prev, *next;
	int fd;
	ev_io io;
	ev_timer idle;
	uid_t uid;		/* from SO_PEERCRED, as at connect */
	gid_t gid;
	pid_t pid;
	/* What it may ask: worked out afresh for each request, under the
	 * [Control] policy of the moment (daemon-reload changes it). */
	enum access_level access;
	bool busy;		/* a request is being handled */
	bool next_request_waiting; /* sent while busy: read once done */
	struct ctl_outmsg *out_head, *out_tail;
	size_t out_bytes;
	/* The handler's state for this client: control never reads it; the
	 * handler frees it in its on_gone. */
	void *handler_data;
};

/* A refusal sent as is, encoded once at start: refusing must not need
 * memory or a buffer when svd is short of them. */
struct ctl_refusal {
	char *data;
	size_t len;
};

struct control {
	struct ev_loop *loop;
	int listen_fd;
	ev_io listen_io;
	/* Rests the listener while accept() fails (EMFILE...): a readable
	 * listener that cannot be accepted from would spin the loop. */
	ev_timer accept_retry;
	double accept_delay;		/* seconds; 0 while accept() works */
	unsigned long accept_failures;	/* in this episode */
	unsigned long refused_nofd;	/* told "out of fds", this episode */
	unsigned long refused_busy;	/* told "too many clients", since the
					 * last client was accepted */
	ev_tstamp accept_failing_since;
	/* /dev/null held open: closed to accept-and-refuse a client when
	 * svd is out of fds, so svctl hears why instead of hanging. */
	int spare_fd;
	struct ctl_refusal refuse_busy, refuse_nofd;
	char *path;
	struct ctl_client *clients;
	unsigned n_clients;
	/* Who may do what (svd.conf [Control]); the daemon owns it and
	 * swaps it at daemon-reload. NULL: as an empty [Control]. */
	const struct access_policy *policy;
	control_request_fn *on_request;
	control_gone_fn *on_gone;
	void *ctx;
};

/* Binds path (0600), refusing to start when another svd answers there and
 * replacing a stale socket. Returns -1 after logging. */
int control_open(struct control *ctl, struct ev_loop *loop, const char *path,
		 control_request_fn *on_request, control_gone_fn *on_gone,
		 void *ctx);
/* The same with the listening socket fd that a re-exec kept open
 * (reexec.h): nothing is bound or probed. -1 after logging. */
int control_adopt(struct control *ctl, struct ev_loop *loop, const char *path,
		  int fd, control_request_fn *on_request, control_gone_fn *on_gone,
		  void *ctx);
void control_close(struct control *ctl);
/* Writes what is queued for client now, as far as the socket takes it
 * without blocking: before a re-exec, whose exec would drop it. */
void control_flush(struct ctl_client *client);

/* Queues one reply message. */
void control_send(struct ctl_client *client, const struct proto_buf *msg);
/* Ends the current request: reads the next one. */
void control_done(struct ctl_client *client);
/* Sends a final "status=error" reply with text and ends the request. */
void control_fail(struct ctl_client *client, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same with "code=": a word svctl maps to its exit status
 * ("no-such-unit", "permission-denied", "usage"). */
void control_fail_code(struct ctl_client *client, const char *code,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sends "status=ok" and ends the request. */
void control_ok(struct ctl_client *client);

#endif
