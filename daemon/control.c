#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

/* One receive buffer for all clients: a request is decoded and handled
 * before the next recv, and handlers copy what they keep. */
static char recv_buf[PROTO_MSG_MAX_BYTES + 1];

static int fill_address(struct sockaddr_un *addr, const char *path)
{
	*addr = (struct sockaddr_un){ .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr->sun_path)) {
		log_error(NULL, "control socket path too long (max %zu bytes): %s",
			  sizeof(addr->sun_path) - 1, path);
		return -1;
	}
	strcpy(addr->sun_path, path);
	return 0;
}

/* An existing socket file is either another svd (refuse to start) or left
 * over by one that died (replace it). */
static int probe_existing(const struct sockaddr_un *addr)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	int r;

	if (fd < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "socket");
		return -1;
	}
	r = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
	close(fd);
	if (r == 0) {
		log_error(NULL, "another svd is running on %s", addr->sun_path);
		return -1;
	}
	if (errno == ECONNREFUSED && unlink(addr->sun_path) < 0 && errno != ENOENT) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "removing stale %s",
			  addr->sun_path);
		return -1;
	}
	return 0;
}

static int make_parent_dir(const char *path)
{
	char *dir = strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	int r = 0;

	if (!dir)
		return -1;
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			log_errno(LOG_LEVEL_ERROR, NULL, errno, "mkdir %s", dir);
			r = -1;
		}
	}
	free(dir);
	return r;
}

static int bind_listen(const struct sockaddr_un *addr)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	mode_t old_umask;
	int r;

	if (fd < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "socket");
		return -1;
	}
	/* The socket is born 0600: no window where others could connect. */
	old_umask = umask(0177);
	r = bind(fd, (const struct sockaddr *)addr, sizeof(*addr));
	umask(old_umask);
	if (r < 0 || listen(fd, SOMAXCONN) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "%s %s",
			  r < 0 ? "bind" : "listen", addr->sun_path);
		close(fd);
		return -1;
	}
	return fd;
}

static void client_free(struct ctl_client *client)
{
	struct control *ctl = client->ctl;

	if (ctl->on_gone)
		ctl->on_gone(ctl->ctx, client);
	ev_io_stop(ctl->loop, &client->io);
	ev_timer_stop(ctl->loop, &client->idle);
	close(client->fd);
	while (client->out_head) {
		struct ctl_outmsg *next = client->out_head->next;

		free(client->out_head);
		client->out_head = next;
	}
	if (client->prev)
		client->prev->next = client->next;
	else
		ctl->clients = client->next;
	if (client->next)
		client->next->prev = client->prev;
	ctl->n_clients--;
	free(client);
}

/* Watches for what the client needs next: its outbox drained, or its
 * next request once the current one is done. */
static void client_rearm(struct ctl_client *client);
static int flush_outbox(struct ctl_client *client);

static void client_rearm(struct ctl_client *client)
{
	int events = 0;

	if (client->out_head)
		events |= EV_WRITE;
	/* While busy too, to hear a hang-up (svctl ^C'd while it waits or
	 * follows); not once it sent its next request, which waits. */
	if (!client->busy || !client->next_request_waiting)
		events |= EV_READ;
	ev_io_stop(client->ctl->loop, &client->io);
	ev_io_set(&client->io, client->fd, events);
	if (events)
		ev_io_start(client->ctl->loop, &client->io);
	if (!client->busy && !client->out_head)
		ev_timer_again(client->ctl->loop, &client->idle);
	else
		ev_timer_stop(client->ctl->loop, &client->idle);
}

/* Returns -1 when the client is gone for good (and must be freed). */
static int flush_outbox(struct ctl_client *client)
{
	while (client->out_head) {
		struct ctl_outmsg *msg = client->out_head;
		ssize_t n = send(client->fd, msg->data, msg->len,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0) {
			log_debug(NULL, "control client %d: %s", (int)client->pid,
				  strerror(errno));
			return -1;
		}
		client->out_head = msg->next;
		if (!client->out_head)
			client->out_tail = NULL;
		client->out_bytes -= msg->len;
		free(msg);
	}
	return 0;
}

/* A client that must go while the handler still holds it is shut down
 * here and freed when its request ends (its next send fails). */
void control_send(struct ctl_client *client, const struct proto_buf *buf)
{
	struct ctl_outmsg *msg;

	if (client->out_bytes + buf->len > CTL_OUTBOX_MAX_BYTES) {
		log_warning(NULL, "control client %d reads too slowly: dropped",
			    (int)client->pid);
		shutdown(client->fd, SHUT_RDWR);
		return;
	}
	msg = malloc(sizeof(*msg) + buf->len);
	if (!msg) {
		log_errno(LOG_LEVEL_ERROR, NULL, ENOMEM, "queueing a reply");
		shutdown(client->fd, SHUT_RDWR);
		return;
	}
	msg->next = NULL;
	msg->len = buf->len;
	memcpy(msg->data, buf->data, buf->len);
	if (client->out_tail)
		client->out_tail->next = msg;
	else
		client->out_head = msg;
	client->out_tail = msg;
	client->out_bytes += buf->len;
	/* A reply sent while the request goes on (a follow's lines) leaves
	 * now, or when the client can take it. */
	if (client->busy) {
		if (flush_outbox(client) < 0)
			shutdown(client->fd, SHUT_RDWR); /* freed on hang-up */
		client_rearm(client);
	}
}

void control_done(struct ctl_client *client)
{
	client->busy = false;
	client->next_request_waiting = false;
	if (flush_outbox(client) < 0) {
		client_free(client);
		return;
	}
	client_rearm(client);
}

static void send_status(struct ctl_client *client, const char *code,
			const char *error)
{
	struct proto_buf *buf = malloc(sizeof(*buf));

	if (!buf) {
		shutdown(client->fd, SHUT_RDWR);
		return;
	}
	proto_begin(buf, NULL);
	proto_put(buf, "status", error ? "error" : "ok");
	if (code)
		proto_put(buf, "code", code);
	if (error && proto_put(buf, "error", error) < 0)
		proto_put(buf, "error", "error text too long");
	control_send(client, buf);
	free(buf);
}

__attribute__((format(printf, 3, 0)))
static void fail_v(struct ctl_client *client, const char *code,
		   const char *fmt, va_list ap)
{
	char *text = NULL;

	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	send_status(client, code, text ? text : "out of memory");
	free(text);
	control_done(client);
}

void control_fail(struct ctl_client *client, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_v(client, NULL, fmt, ap);
	va_end(ap);
}

void control_fail_code(struct ctl_client *client, const char *code,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_v(client, code, fmt, ap);
	va_end(ap);
}

void control_ok(struct ctl_client *client)
{
	send_status(client, NULL, NULL);
	control_done(client);
}

/* Reads and handles one request. Returns -1 when the client must go. */
static int read_request(struct ctl_client *client)
{
	struct control *ctl = client->ctl;
	struct proto_msg *request;
	const char *error = NULL;
	ssize_t n;

	n = recv(client->fd, recv_buf, sizeof(recv_buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;	/* the client hung up */
	request = malloc(sizeof(*request));
	if (!request)
		return -1;
	if ((size_t)n > PROTO_MSG_MAX_BYTES)
		error = "message too long";
	else if (proto_decode(recv_buf, (size_t)n, true, request, &error) == 0)
		error = NULL;
	client->busy = true;
	/* A request may wait long (a start until READY=1): the idle
	 * timeout is for clients that say nothing, and restarts when the
	 * reply is done. */
	ev_timer_stop(ctl->loop, &client->idle);
	client->access = access_peer_level(ctl->policy, client->fd, client->uid,
					   client->gid, client->pid);
	if (error) {
		log_warning(NULL, "control client %d: malformed request: %s",
			    (int)client->pid, error);
		/* A client that speaks garbage gets told why, then is closed. */
		send_status(client, "malformed", error);
		shutdown(client->fd, SHUT_RD);
		free(request);
		control_done(client);
		return 1;
	}
	ctl->on_request(ctl->ctx, client, request);
	free(request);
	return 1;
}

/* Readable while a request is handled: a hang-up, or the next request,
 * which waits its turn. Returns -1 for a hang-up. */
static int peek_while_busy(struct ctl_client *client)
{
	char byte;
	ssize_t n = recv(client->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return -1;
	if (n > 0)
		client->next_request_waiting = true;
	return 0;
}

static void client_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *client = w->data;

	if ((revents & EV_WRITE) && flush_outbox(client) < 0) {
		client_free(client);
		return;
	}
	if ((revents & EV_READ) && client->busy) {
		if (peek_while_busy(client) < 0) {
			client_free(client);
			return;
		}
	} else if (revents & EV_READ) {
		int r = read_request(client);

		if (r < 0)
			client_free(client);
		if (r != 0)
			return;	/* handled: the client may be gone */
	}
	client_rearm(client);
}

static void idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_client *client = w->data;

	log_debug(NULL, "control client %d sent nothing for %.0f s: closed",
		  (int)client->pid, CTL_IDLE_TIMEOUT_SEC);
	client_free(client);
}

static void add_client(struct control *ctl, int fd)
{
	struct ctl_client *client = calloc(1, sizeof(*client));
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (!client || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, client ? errno : ENOMEM,
			  "accepting a control client");
		free(client);
		close(fd);
		return;
	}
	client->ctl = ctl;
	client->fd = fd;
	client->uid = cred.uid;
	client->gid = cred.gid;
	client->pid = cred.pid;
	ev_io_init(&client->io, client_cb, fd, EV_READ);
	client->io.data = client;
	ev_init(&client->idle, idle_cb);
	client->idle.repeat = CTL_IDLE_TIMEOUT_SEC;
	client->idle.data = client;
	client->next = ctl->clients;
	if (ctl->clients)
		ctl->clients->prev = client;
	ctl->clients = client;
	ctl->n_clients++;
	client_rearm(client);
}

/* One final reply, then close: never blocks, and a failed send only
 * means the client went first. */
static void refuse(int fd, const struct ctl_refusal *why)
{
	char discard[512];

	if (why->data)
		(void)send(fd, why->data, why->len, MSG_DONTWAIT | MSG_NOSIGNAL);
	/* A request already sent and left unread would make the close reset
	 * the connection (ECONNRESET), and the client would lose the reason
	 * before reading it: take what is there (a request is one packet;
	 * a few are read at most, never waiting). */
	for (int i = 0; i < 4 && recv(fd, discard, sizeof(discard), MSG_DONTWAIT) > 0; i++)
		;
	close(fd);
}

static void refuse_busy(struct control *ctl, int fd)
{
	/* Once per crowd, not once per client: a thousand callers would
	 * otherwise write a thousand lines. */
	if (ctl->refused_busy++ == 0)
		log_warning(NULL, "too many control clients (%d): refusing more "
			    "until one leaves", CTL_CLIENTS_MAX);
	refuse(fd, &ctl->refuse_busy);
}

static void spare_open(struct control *ctl)
{
	if (ctl->spare_fd < 0)
		ctl->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* Out of fds: the spare fd's slot lets svd accept the waiting clients
 * one at a time and tell them why, instead of leaving them to time out. */
static void refuse_pending_nofd(struct control *ctl)
{
	if (ctl->spare_fd < 0)
		return;
	close(ctl->spare_fd);
	ctl->spare_fd = -1;
	for (int i = 0; i < CTL_REFUSE_BATCH_MAX; i++) {
		int fd = accept4(ctl->listen_fd, NULL, NULL,
				 SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0)
			break;
		ctl->refused_nofd++;
		refuse(fd, &ctl->refuse_nofd);
	}
	spare_open(ctl);
}

/* accept() failed for a reason that the next turn would not cure (no fds,
 * no memory): rest the listener on a growing delay, warn once. */
static void accept_failed(struct control *ctl, int err)
{
	if (ctl->accept_failures++ == 0) {
		ctl->accept_failing_since = ev_now(ctl->loop);
		log_errno(LOG_LEVEL_WARNING, NULL, err,
			  "accept on %s: control clients wait (retrying "
			  "within %.2f-%.0f s)", ctl->path,
			  CTL_ACCEPT_RETRY_MIN_SEC, CTL_ACCEPT_RETRY_MAX_SEC);
	}
	if (err == EMFILE || err == ENFILE)
		refuse_pending_nofd(ctl);
	ctl->accept_delay = ctl->accept_delay == 0 ? CTL_ACCEPT_RETRY_MIN_SEC
		: ctl->accept_delay * 2;
	if (ctl->accept_delay > CTL_ACCEPT_RETRY_MAX_SEC)
		ctl->accept_delay = CTL_ACCEPT_RETRY_MAX_SEC;
	ev_io_stop(ctl->loop, &ctl->listen_io);
	ev_timer_set(&ctl->accept_retry, ctl->accept_delay, 0);
	ev_timer_start(ctl->loop, &ctl->accept_retry);
}

/* The first client accepted after an episode of failures. */
static void accept_recovered(struct control *ctl)
{
	if (ctl->accept_failures > 0)
		log_info(NULL, "accepting control clients again after %lu failed "
			 "accept attempts in %.1f s (%lu clients told svd was "
			 "out of file descriptors)", ctl->accept_failures,
			 ev_now(ctl->loop) - ctl->accept_failing_since,
			 ctl->refused_nofd);
	ctl->accept_failures = 0;
	ctl->refused_nofd = 0;
	ctl->accept_delay = 0;
}

static void accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct control *ctl = w->data;

	for (;;) {
		int fd = accept4(ctl->listen_fd, NULL, NULL,
				 SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				accept_failed(ctl, errno);
			return;
		}
		accept_recovered(ctl);
		if (ctl->n_clients >= CTL_CLIENTS_MAX) {
			refuse_busy(ctl, fd);
			continue;
		}
		if (ctl->refused_busy > 0)
			log_info(NULL, "accepting control clients again (%lu "
				 "refused while %d were connected)",
				 ctl->refused_busy, CTL_CLIENTS_MAX);
		ctl->refused_busy = 0;
		add_client(ctl, fd);
	}
}

static void accept_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct control *ctl = w->data;

	spare_open(ctl);
	ev_io_start(loop, &ctl->listen_io);
	accept_cb(loop, &ctl->listen_io, EV_READ);
}

/* Encoded once, so that refusing needs no memory when there is none. */
static int refusal_encode(struct ctl_refusal *r, const char *error)
{
	struct proto_buf *buf = malloc(sizeof(*buf));

	if (!buf)
		return -1;
	proto_begin(buf, NULL);
	if (proto_put(buf, "status", "error") < 0 ||
	    proto_put(buf, "code", "busy") < 0 ||
	    proto_put(buf, "error", error) < 0 ||
	    !(r->data = malloc(buf->len))) {
		free(buf);
		return -1;
	}
	memcpy(r->data, buf->data, buf->len);
	r->len = buf->len;
	free(buf);
	return 0;
}

static void refusals_free(struct control *ctl)
{
	free(ctl->refuse_busy.data);
	free(ctl->refuse_nofd.data);
	ctl->refuse_busy.data = ctl->refuse_nofd.data = NULL;
}

static int refusals_encode(struct control *ctl)
{
	char busy[128];

	snprintf(busy, sizeof(busy), "too many clients (%d) connected to svd: "
		 "try again", CTL_CLIENTS_MAX);
	if (refusal_encode(&ctl->refuse_busy, busy) < 0 ||
	    refusal_encode(&ctl->refuse_nofd, "svd is out of file descriptors: "
			   "try again") < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, ENOMEM, "control socket setup");
		refusals_free(ctl);
		return -1;
	}
	return 0;
}

static void start_listening(struct control *ctl, const char *path);

int control_open(struct control *ctl, struct ev_loop *loop, const char *path,
		 control_request_fn *on_request, control_gone_fn *on_gone,
		 void *ctx)
{
	struct sockaddr_un addr;

	*ctl = (struct control){
		.loop = loop, .listen_fd = -1, .spare_fd = -1,
		.on_request = on_request, .on_gone = on_gone, .ctx = ctx,
	};
	if (fill_address(&addr, path) < 0 || make_parent_dir(path) < 0 ||
	    probe_existing(&addr) < 0 || refusals_encode(ctl) < 0)
		return -1;
	ctl->listen_fd = bind_listen(&addr);
	if (ctl->listen_fd < 0) {
		refusals_free(ctl);
		return -1;
	}
	start_listening(ctl, path);
	return 0;
}

int control_adopt(struct control *ctl, struct ev_loop *loop, const char *path,
		  int fd, control_request_fn *on_request, control_gone_fn *on_gone,
		  void *ctx)
{
	*ctl = (struct control){
		.loop = loop, .listen_fd = -1, .spare_fd = -1,
		.on_request = on_request, .on_gone = on_gone, .ctx = ctx,
	};
	if (refusals_encode(ctl) < 0)
		return -1;
	/* Close-on-exec again: only a re-exec lets it through. */
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "control socket fd %d", fd);
		refusals_free(ctl);
		return -1;
	}
	ctl->listen_fd = fd;
	start_listening(ctl, path);
	return 0;
}

/* The listener is bound: its spare fd, its watchers. */
static void start_listening(struct control *ctl, const char *path)
{
	ctl->path = strdup(path);
	spare_open(ctl);
	if (ctl->spare_fd < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "open /dev/null (the "
			  "spare fd that tells clients svd is out of fds)");
	ev_io_init(&ctl->listen_io, accept_cb, ctl->listen_fd, EV_READ);
	ctl->listen_io.data = ctl;
	ev_init(&ctl->accept_retry, accept_retry_cb);
	ctl->accept_retry.data = ctl;
	ev_io_start(ctl->loop, &ctl->listen_io);
}

void control_close(struct control *ctl)
{
	while (ctl->clients)
		client_free(ctl->clients);
	if (ctl->listen_fd >= 0) {
		ev_io_stop(ctl->loop, &ctl->listen_io);
		ev_timer_stop(ctl->loop, &ctl->accept_retry);
		close(ctl->listen_fd);
		ctl->listen_fd = -1;
	}
	if (ctl->spare_fd >= 0)
		close(ctl->spare_fd);
	ctl->spare_fd = -1;
	refusals_free(ctl);
	ctl->refuse_busy = ctl->refuse_nofd = (struct ctl_refusal){ 0 };
	if (ctl->path)
		unlink(ctl->path);
	free(ctl->path);
	ctl->path = NULL;
}

void control_flush(struct ctl_client *client)
{
	if (flush_outbox(client) < 0)
		log_debug(NULL, "control client %d: its last replies are lost",
			  (int)client->pid);
}
