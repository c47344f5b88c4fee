/* listen: making a socket unit's sockets and FIFOs. */
#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "creds.h"
#include "execenv.h"
#include "log.h"

static const char *const listen_key[] = {
	[UNIT_LISTEN_STREAM] = "ListenStream",
	[UNIT_LISTEN_DATAGRAM] = "ListenDatagram",
	[UNIT_LISTEN_SEQPACKET] = "ListenSequentialPacket",
	[UNIT_LISTEN_FIFO] = "ListenFIFO",
};

static const int socket_type[] = {
	[UNIT_LISTEN_STREAM] = SOCK_STREAM,
	[UNIT_LISTEN_DATAGRAM] = SOCK_DGRAM,
	[UNIT_LISTEN_SEQPACKET] = SOCK_SEQPACKET,
};

/* Who owns the nodes: SocketUser=/SocketGroup= resolved as User=/Group=
 * are (a group alone keeps root as the owner). */
struct owner {
	bool set;
	uid_t uid;
	gid_t gid;
};

static int resolve_owner(const struct unit_socket *s, struct owner *owner,
			 char *why, size_t size)
{
	struct unit as = {0};
	struct creds creds = {0};
	char text[256];

	*owner = (struct owner){ .set = false };
	if (!s->socket_user && !s->socket_group)
		return 0;
	as.user = s->socket_user;
	as.group = s->socket_group;
	if (creds_resolve(&as, &creds, text, sizeof(text)) < 0) {
		snprintf(why, size, "Socket%s", text);
		return -1;
	}
	*owner = (struct owner){ true, creds.uid, creds.gid };
	creds_free(&creds);
	return 0;
}

/* The node's owner and mode, through the path: a socket file cannot be
 * opened. lchown: a link put there meanwhile is not followed. */
static int own_node(const char *path, int mode, const struct owner *owner,
		    const char **failed)
{
	*failed = "chmod";
	if (chmod(path, (mode_t)mode) < 0)
		return -1;
	*failed = "chown";
	if (owner->set && lchown(path, owner->uid, owner->gid) < 0)
		return -1;
	return 0;
}

static int set_int_option(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

/* The options systemd sets before bind, as the unit asks. An option the
 * kernel does not have here fails the start, named. */
static int set_options(int fd, const struct unit_socket *s,
		       const struct unit_listen *l, const char **failed)
{
	int family = l->addr.u.sa.sa_family;
	bool ip = family == AF_INET || family == AF_INET6;
	int ip_level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;

	*failed = "SO_REUSEADDR";
	if (ip && set_int_option(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0)
		return -1;
	*failed = "IPV6_V6ONLY";
	if (family == AF_INET6 && s->bind_ipv6_only != UNIT_BIND_IPV6_DEFAULT &&
	    set_int_option(fd, IPPROTO_IPV6, IPV6_V6ONLY,
			   s->bind_ipv6_only == UNIT_BIND_IPV6_ONLY) < 0)
		return -1;
	*failed = "ReusePort=";
	if (s->reuse_port && set_int_option(fd, SOL_SOCKET, SO_REUSEPORT, 1) < 0)
		return -1;
	*failed = "FreeBind=";
	if (s->free_bind && ip &&
	    set_int_option(fd, ip_level, family == AF_INET6 ? IPV6_FREEBIND :
			   IP_FREEBIND, 1) < 0)
		return -1;
	*failed = "Transparent=";
	if (s->transparent && ip &&
	    set_int_option(fd, ip_level, family == AF_INET6 ? IPV6_TRANSPARENT :
			   IP_TRANSPARENT, 1) < 0)
		return -1;
	*failed = "Broadcast=";
	if (s->broadcast && set_int_option(fd, SOL_SOCKET, SO_BROADCAST, 1) < 0)
		return -1;
	*failed = "PassCredentials=";
	if (s->pass_credentials && family == AF_UNIX &&
	    set_int_option(fd, SOL_SOCKET, SO_PASSCRED, 1) < 0)
		return -1;
	/* Without an LSM there is no context to pass: systemd ignores
	 * the failure too. */
	if (s->pass_security && family == AF_UNIX)
		(void)set_int_option(fd, SOL_SOCKET, SO_PASSSEC, 1);
	*failed = "KeepAlive=";
	if (s->keep_alive && set_int_option(fd, SOL_SOCKET, SO_KEEPALIVE, 1) < 0)
		return -1;
	*failed = "NoDelay=";
	if (s->no_delay && ip && l->type == UNIT_LISTEN_STREAM &&
	    set_int_option(fd, IPPROTO_TCP, TCP_NODELAY, 1) < 0)
		return -1;
	/* The FORCE variants pass net.core.rmem_max, which syslog.socket's
	 * 8M needs; a svd without CAP_NET_ADMIN gets what the sysctl
	 * allows, as systemd does. */
	*failed = "ReceiveBuffer=";
	if (s->receive_buffer &&
	    set_int_option(fd, SOL_SOCKET, SO_RCVBUFFORCE, (int)s->receive_buffer) < 0 &&
	    set_int_option(fd, SOL_SOCKET, SO_RCVBUF, (int)s->receive_buffer) < 0)
		return -1;
	*failed = "SendBuffer=";
	if (s->send_buffer &&
	    set_int_option(fd, SOL_SOCKET, SO_SNDBUFFORCE, (int)s->send_buffer) < 0 &&
	    set_int_option(fd, SOL_SOCKET, SO_SNDBUF, (int)s->send_buffer) < 0)
		return -1;
	return 0;
}

/* A socket file left by an earlier run is replaced; anything else at
 * the path is not svd's to remove, and bind says so. */
static void remove_stale_socket(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
}

static int open_socket(const struct unit_socket *s, const struct unit_listen *l,
		       const struct owner *owner, const char **failed)
{
	const struct listen_addr *a = &l->addr;
	const char *path = a->u.un.sun_path;
	bool file = a->u.sa.sa_family == AF_UNIX && path[0] != '\0';
	struct sockaddr_in any4;
	const struct sockaddr *addr = &a->u.sa;
	socklen_t len = a->len;
	int fd, r, err;
	mode_t old_umask;

	*failed = "socket";
	/* Accept=yes sockets are svd's alone, read without waiting; the
	 * others are handed over as systemd hands them, blocking. */
	fd = socket(a->u.sa.sa_family, socket_type[l->type] | SOCK_CLOEXEC |
		    (s->accept ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0 && a->any_port && errno == EAFNOSUPPORT) {
		/* No IPv6 here: the port on every IPv4 address. */
		any4 = (struct sockaddr_in){ .sin_family = AF_INET,
					     .sin_port = a->u.in6.sin6_port,
					     .sin_addr.s_addr = htonl(INADDR_ANY) };
		addr = (const struct sockaddr *)&any4;
		len = sizeof(any4);
		fd = socket(AF_INET, socket_type[l->type] | SOCK_CLOEXEC |
			    (s->accept ? SOCK_NONBLOCK : 0), 0);
	}
	if (fd < 0)
		return -1;
	r = set_options(fd, s, l, failed);
	if (r == 0 && file) {
		*failed = "mkdir";
		r = execenv_make_parents_mode(path, s->directory_mode);
		remove_stale_socket(path);
	}
	if (r == 0) {
		*failed = "bind";
		/* The node is made with SocketMode= from the start: no moment
		 * when others could connect to a looser one. */
		old_umask = umask((mode_t)(~s->socket_mode & 0777));
		r = bind(fd, addr, len);
		umask(old_umask);
	}
	if (r == 0 && file)
		r = own_node(path, s->socket_mode, owner, failed);
	if (r == 0 && l->type != UNIT_LISTEN_DATAGRAM) {
		*failed = "listen";
		r = listen(fd, s->backlog > INT_MAX ? INT_MAX : (int)s->backlog);
	}
	if (r < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int open_fifo(const struct unit_socket *s, const char *path,
		     const struct owner *owner, const char **failed)
{
	struct stat st;
	mode_t old_umask;
	int fd, r, flags;

	*failed = "mkdir";
	if (execenv_make_parents_mode(path, s->directory_mode) < 0)
		return -1;
	*failed = "mkfifo";
	old_umask = umask((mode_t)(~s->socket_mode & 0777));
	r = mkfifo(path, (mode_t)s->socket_mode);
	umask(old_umask);
	if (r < 0 && errno != EEXIST)
		return -1;
	/* Read and write: never end-of-file when the last writer leaves,
	 * and the open does not wait for one. */
	*failed = "open";
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	*failed = "fstat";
	if (fstat(fd, &st) < 0)
		goto failed;
	if (!S_ISFIFO(st.st_mode)) {
		*failed = "not a FIFO";
		errno = EEXIST;
		goto failed;
	}
	/* O_NONBLOCK was for the open only: the service reads it as
	 * systemd hands it over (NonBlocking=no), blocking; svd only polls. */
	*failed = "fcntl";
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		goto failed;
	*failed = "fchown";
	if (owner->set && fchown(fd, owner->uid, owner->gid) < 0)
		goto failed;
	return fd;

failed:
	r = errno;
	close(fd);
	errno = r;
	return -1;
}

/* The path a Listen*= makes in the file system, or NULL. */
static const char *node_path(const struct unit_listen *l)
{
	if (l->type == UNIT_LISTEN_FIFO)
		return l->text;
	if (l->addr.u.sa.sa_family == AF_UNIX && l->addr.u.un.sun_path[0])
		return l->addr.u.un.sun_path;
	return NULL;
}

/* Symlinks= point at the one path; failing to make one does not fail
 * the socket (systemd.socket(5)). */
static void make_symlinks(const struct unit *unit)
{
	const struct unit_socket *s = unit->socket;
	const char *target = NULL;

	for (size_t i = 0; i < s->n_listen && !target; i++)
		target = node_path(&s->listen[i]);
	for (size_t i = 0; target && s->symlinks && s->symlinks[i]; i++) {
		const char *link = s->symlinks[i];

		if (execenv_make_parents_mode(link, s->directory_mode) < 0 ||
		    ((unlink(link) < 0 && errno != ENOENT) ||
		     symlink(target, link) < 0))
			log_errno(LOG_LEVEL_WARNING, unit->name, errno,
				  "Symlinks=%s", link);
	}
}

int listen_open(const struct unit *unit, int **fds_out, char *why, size_t size)
{
	const struct unit_socket *s = unit->socket;
	const char *failed = "malloc";
	struct owner owner;
	int *fds = calloc(s->n_listen ? s->n_listen : 1, sizeof(*fds));
	size_t i;
	int err;

	if (!fds) {
		snprintf(why, size, "out of memory");
		return -1;
	}
	if (resolve_owner(s, &owner, why, size) < 0) {
		free(fds);
		return -1;
	}
	for (i = 0; i < s->n_listen; i++) {
		const struct unit_listen *l = &s->listen[i];

		fds[i] = l->type == UNIT_LISTEN_FIFO ?
			 open_fifo(s, l->text, &owner, &failed) :
			 open_socket(s, l, &owner, &failed);
		if (fds[i] < 0)
			break;
	}
	if (i < s->n_listen) {
		err = errno;
		snprintf(why, size, "%s=%s: %s: %s", listen_key[s->listen[i].type],
			 s->listen[i].text, failed, strerror(err));
		while (i-- > 0)
			close(fds[i]);
		free(fds);
		errno = err;
		return -1;
	}
	make_symlinks(unit);
	*fds_out = fds;
	return 0;
}

void listen_close(const struct unit *unit, int *fds, size_t n)
{
	const struct unit_socket *s = unit->socket;

	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (!s->remove_on_stop)
		return;
	for (size_t i = 0; i < s->n_listen; i++) {
		const char *path = node_path(&s->listen[i]);

		if (path && unlink(path) < 0 && errno != ENOENT)
			log_errno(LOG_LEVEL_WARNING, unit->name, errno,
				  "RemoveOnStop=: removing %s", path);
	}
	for (size_t i = 0; s->symlinks && s->symlinks[i]; i++)
		unlink(s->symlinks[i]);
}
