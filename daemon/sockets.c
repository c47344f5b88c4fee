/* sockets: socket units starting their services. */
#include "sockets.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "manager.h"

/* Connections taken per wake-up: a flood waits for the next turn of
 * the loop rather than holding it. */
#define SOCKETS_ACCEPT_BATCH 16

static const struct unit_socket *spec_of(const struct listener *l)
{
	return l->unit->socket;
}

static bool is_down(const struct service *s)
{
	return (s->svc.state == SVC_INACTIVE || svc_is_failed(&s->svc)) &&
	       !s->node.start_job;
}

/* Stops the socket's triggering for good (until it is started again),
 * saying why in its log and its status. */
static void stall(struct service *socket, const char *why)
{
	struct listener *l = socket->listener;

	if (!l || l->stalled)
		return;
	l->stalled = why;
	log_warning(socket->svc.name, "no longer starts anything: %s", why);
	logs_service_note(&socket->logs, "no longer starts anything: %s", why);
	activation_watch(l, false);
}

/* Whether the socket may watch: it is up and what it starts can be
 * started now. */
static bool may_watch(struct listener *l)
{
	struct service *socket = l->owner, *target;

	if (l->stalled || socket->svc.state != SVC_EXITED)
		return false;
	if (spec_of(l)->accept)
		return true;
	target = activation_target(l);
	if (target && target->svc.cause == SVC_CAUSE_START_LIMIT &&
	    svc_is_failed(&target->svc)) {
		stall(socket, "its service hit its start limit");
		return false;
	}
	return !target || is_down(target);
}

void sockets_react(struct manager *mgr)
{
	for (struct listener *l = mgr->env.listeners.first; l; l = l->next)
		activation_watch(l, may_watch(l));
}

/* TriggerLimitBurst= starts within TriggerLimitIntervalSec=. */
static bool trigger_allowed(struct manager *mgr, struct listener *l)
{
	const struct unit_socket *spec = spec_of(l);
	double now = ev_now(mgr->loop);
	double interval = (double)spec->trigger_limit_interval_usec / 1e6;

	if (spec->trigger_limit_burst == 0 || interval <= 0)
		return true;
	if (now - l->window_start >= interval) {
		l->window_start = now;
		l->n_triggers = 0;
	}
	return ++l->n_triggers <= spec->trigger_limit_burst;
}

/* "127.0.0.1:22", "::1:22" (no brackets: '[' is not allowed in a unit
 * name), as systemd names Accept=yes instances. An IPv4 peer of a
 * dual-stack socket (ListenStream=22) is IPv4 there and in REMOTE_ADDR=,
 * not "::ffff:127.0.0.1". */
static void format_inet(const struct sockaddr *sa, char *addr, size_t addr_size,
			char *port, size_t port_size)
{
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
	struct sockaddr_in in4;
	char text[128], *colon;

	if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		in4 = (struct sockaddr_in){ .sin_family = AF_INET,
					    .sin_port = in6->sin6_port };
		memcpy(&in4.sin_addr, &in6->sin6_addr.s6_addr[12],
		       sizeof(in4.sin_addr));
		sa = (const struct sockaddr *)&in4;
	}
	listen_addr_format(sa, sizeof(struct sockaddr_in6), text, sizeof(text));
	colon = strrchr(text, ':');
	if (!colon) {
		snprintf(addr, addr_size, "%s", text);
		snprintf(port, port_size, "0");
		return;
	}
	*colon = '\0';
	snprintf(port, port_size, "%s", colon + 1);
	if (text[0] == '[') {
		text[strlen(text) - 1] = '\0';	/* the ']' */
		snprintf(addr, addr_size, "%s", text + 1);
	} else {
		snprintf(addr, addr_size, "%s", text);
	}
}

/* systemd's instance name for a connection: "N-LOCAL-REMOTE" for IP,
 * "N-PID-UID" of the peer for AF_UNIX. */
static int instance_name(struct service *socket, int fd, unsigned long nr,
			 struct connection *c, char **name)
{
	struct sockaddr_storage local, remote;
	socklen_t local_len = sizeof(local), remote_len = sizeof(remote);
	const char *sname = socket->svc.name, *at = strchr(sname, '@');
	/* The template is the socket's prefix's: "sshd@.service" for
	 * sshd.socket and for an instance sshd@vsock.socket alike. */
	int prefix = (int)(at ? (size_t)(at - sname) :
			   strlen(sname) - strlen(".socket"));
	char laddr[128], lport[8];

	if (getsockname(fd, (struct sockaddr *)&local, &local_len) < 0 ||
	    getpeername(fd, (struct sockaddr *)&remote, &remote_len) < 0)
		return -1;
	if (local.ss_family == AF_UNIX) {
		struct ucred cred = {0};
		socklen_t len = sizeof(cred);

		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
			return -1;
		return asprintf(name, "%.*s@%lu-%d-%u.service", prefix, sname, nr,
				(int)cred.pid, (unsigned)cred.uid) < 0 ? -1 : 0;
	}
	format_inet((struct sockaddr *)&local, laddr, sizeof(laddr), lport,
		    sizeof(lport));
	format_inet((struct sockaddr *)&remote, c->remote_addr,
		    sizeof(c->remote_addr), c->remote_port, sizeof(c->remote_port));
	return asprintf(name, "%.*s@%lu-%s:%s-%s:%s.service", prefix, sname, nr,
			laddr, lport, c->remote_addr, c->remote_port) < 0 ? -1 : 0;
}

/* One connection: an instance of the template started for it, or the
 * connection closed and counted as refused, with the reason logged. */
static void start_instance(struct manager *mgr, struct service *socket, int fd)
{
	struct listener *l = socket->listener;
	struct connection *c = calloc(1, sizeof(*c));
	struct service *instance = NULL;
	const char *error = "out of memory";
	char *name = NULL;

	if (c && instance_name(socket, fd, l->n_accepted, c, &name) < 0)
		error = strerror(errno);
	else if (c && !(instance = manager_find(mgr, name, &error)))
		;
	else if (instance && (instance->connection || !is_down(instance))) {
		error = "that instance is already running";
		instance = NULL;
	}
	l->n_accepted++;
	if (!instance) {
		log_error(socket->svc.name, "connection refused: %s: %s",
			  name ? name : "no instance name", error);
		l->n_refused++;
		free(c);
		free(name);
		close(fd);
		return;
	}
	c->fd = fd;
	c->from = l;
	instance->connection = c;
	l->n_connections++;
	log_debug(socket->svc.name, "connection: starting %s", name);
	free(name);
	manager_start(mgr, instance);
}

static void accept_connections(struct manager *mgr, struct service *socket,
			       int fd)
{
	struct listener *l = socket->listener;

	for (int i = 0; i < SOCKETS_ACCEPT_BATCH && socket->listener; i++) {
		int conn;

		conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR || errno == ECONNABORTED)
				return;
			/* The connection stays queued and the socket readable:
			 * watched on, it would spin the loop. systemd fails the
			 * socket here (Result=resources). */
			log_errno(LOG_LEVEL_ERROR, socket->svc.name, errno,
				  "accepting a connection");
			stall(socket, "accepting a connection failed (see its log)");
			return;
		}
		if (!trigger_allowed(mgr, l)) {
			close(conn);
			l->n_refused++;
			stall(socket, "trigger limit hit (TriggerLimitBurst= "
			      "within TriggerLimitIntervalSec=)");
			return;
		}
		/* systemd's answer to one too many: taken and closed at once,
		 * so the client knows rather than waits. */
		if (l->n_connections >= spec_of(l)->max_connections) {
			close(conn);
			l->n_refused++;
			log_warning(socket->svc.name, "too many connections "
				    "(MaxConnections=%u): one dropped",
				    spec_of(l)->max_connections);
			continue;
		}
		start_instance(mgr, socket, conn);
	}
}

static void socket_ready(void *ctx, void *owner, int fd)
{
	struct manager *mgr = ctx;
	struct service *socket = owner, *target;
	struct listener *l = socket->listener;

	if (!l)
		return;
	if (spec_of(l)->accept) {
		accept_connections(mgr, socket, fd);
		return;
	}
	/* Until its service is down again, the service reads it. */
	activation_watch(l, false);
	if (!trigger_allowed(mgr, l)) {
		stall(socket, "trigger limit hit (TriggerLimitBurst= within "
		      "TriggerLimitIntervalSec=)");
		return;
	}
	target = activation_target(l);
	if (!target) {
		stall(socket, "the service it starts does not exist");
		return;
	}
	/* Its start would be refused at once, with no change to wake the
	 * socket: it would sit deaf, saying nothing. */
	if (target->load != SERVICE_LOADED) {
		stall(socket, "the service it starts is masked or its unit "
		      "file has errors");
		return;
	}
	log_info(socket->svc.name, "traffic: starting %s", target->svc.name);
	manager_start(mgr, target);
}

static void *resolve(void *ctx, const char *name)
{
	const char *error;

	return manager_find(ctx, name, &error);
}

void sockets_init(struct manager *mgr)
{
	mgr->env.listeners = (struct listeners){
		.loop = mgr->loop,
		.ready = socket_ready,
		.resolve = resolve,
		.ctx = mgr,
	};
}
