/* activation: socket units' fds, and handing them to services. */
#include "activation.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listen.h"
#include "log.h"

static void io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct listener *l = w->data;

	(void)loop;
	(void)revents;
	l->all->ready(l->all->ctx, l->owner, w->fd);
}

static void link_listener(struct listeners *all, struct listener *l,
			  void *owner, const char *name, const struct unit *unit);

struct listener *activation_open(struct listeners *all, void *owner,
				 const char *name, const struct unit *unit,
				 char *why, size_t size)
{
	struct listener *l = calloc(1, sizeof(*l));

	if (!l) {
		snprintf(why, size, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	if (listen_open(unit, &l->fds, why, size) < 0) {
		int err = errno;

		free(l);
		errno = err;
		return NULL;
	}
	link_listener(all, l, owner, name, unit);
	return l;
}

struct listener *activation_adopt(struct listeners *all, void *owner,
				  const char *name, const struct unit *unit,
				  const int *fds, size_t n)
{
	struct listener *l;

	if (!unit->socket || n != unit->socket->n_listen) {
		errno = EINVAL;
		return NULL;
	}
	if (!(l = calloc(1, sizeof(*l))) ||
	    !(l->fds = calloc(n ? n : 1, sizeof(*l->fds)))) {
		free(l);
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		/* Only a re-exec let them through: close-on-exec again. */
		if (fcntl(fds[i], F_SETFD, FD_CLOEXEC) < 0) {
			int err = errno;

			free(l->fds);
			free(l);
			errno = err;
			return NULL;
		}
		l->fds[i] = fds[i];
	}
	link_listener(all, l, owner, name, unit);
	return l;
}

static void link_listener(struct listeners *all, struct listener *l,
			  void *owner, const char *name, const struct unit *unit)
{
	l->all = all;
	l->owner = owner;
	l->name = name;
	l->unit = unit;
	l->n_fds = unit->socket->n_listen;
	l->prev = all->last;
	if (all->last)
		all->last->next = l;
	else
		all->first = l;
	all->last = l;
}

void activation_watch(struct listener *l, bool on)
{
	if (l->watching == on)
		return;
	if (on && !l->watch) {
		l->watch = calloc(l->n_fds, sizeof(*l->watch));
		if (!l->watch) {
			log_errno(LOG_LEVEL_ERROR, l->name, ENOMEM,
				  "watching its sockets; it starts nothing");
			return;
		}
		for (size_t i = 0; i < l->n_fds; i++) {
			ev_io_init(&l->watch[i], io_cb, l->fds[i], EV_READ);
			l->watch[i].data = l;
		}
	}
	for (size_t i = 0; i < l->n_fds; i++) {
		if (on)
			ev_io_start(l->all->loop, &l->watch[i]);
		else
			ev_io_stop(l->all->loop, &l->watch[i]);
	}
	l->watching = on;
}

bool activation_keep_unit(struct listener *l, struct unit *old)
{
	if (!old || old != l->unit)
		return false;
	l->kept = old;
	return true;
}

void activation_close(struct listener *l)
{
	activation_watch(l, false);
	listen_close(l->unit, l->fds, l->n_fds);
	if (l->prev)
		l->prev->next = l->next;
	else
		l->all->first = l->next;
	if (l->next)
		l->next->prev = l->prev;
	else
		l->all->last = l->prev;
	free(l->watch);
	free(l->fds);
	unit_free(l->kept);
	free(l);
}

void *activation_target(struct listener *l)
{
	char *wanted;

	if (l->target || l->unit->socket->accept)
		return l->target;
	wanted = unit_socket_service(l->unit);
	if (wanted)
		l->target = l->all->resolve(l->all->ctx, wanted);
	free(wanted);
	return l->target;
}

bool activation_serves(struct listener *l, void *owner, const struct unit *unit)
{
	char **names = unit ? unit->sockets : NULL;

	if (l->unit->socket->accept)
		return false;
	if (activation_target(l) == owner)
		return true;
	for (size_t i = 0; names && names[i]; i++)
		if (strcmp(names[i], l->name) == 0)
			return true;
	return false;
}

void activation_forget_target(struct listeners *all, void *owner)
{
	for (struct listener *l = all->first; l; l = l->next)
		if (l->target == owner)
			l->target = NULL;
}

static int append(struct activation_fds *out, int fd, const char *name)
{
	int *fds = realloc(out->fds, (out->n + 1) * sizeof(*fds));
	const char **names;

	if (!fds)
		return -1;
	out->fds = fds;
	names = realloc(out->names, (out->n + 1) * sizeof(*names));
	if (!names)
		return -1;
	out->names = names;
	out->fds[out->n] = fd;
	out->names[out->n++] = name;
	return 0;
}

bool activation_stdio_socket(const struct unit *unit)
{
	return unit->std_input == UNIT_STDIO_SOCKET ||
	       unit->std_output == UNIT_STDIO_SOCKET ||
	       unit->std_error == UNIT_STDIO_SOCKET;
}

int activation_collect(struct listeners *all, void *owner,
		       const struct unit *unit, const struct connection *conn,
		       struct activation_fds *out)
{
	*out = (struct activation_fds){ .stdio_fd = -1 };
	if (conn) {
		if (append(out, conn->fd, "connection") < 0)
			goto nomem;
	} else {
		for (struct listener *l = all->first; l; l = l->next) {
			const struct unit_socket *spec = l->unit->socket;
			const char *name = spec->fd_name ? spec->fd_name : l->name;

			if (!activation_serves(l, owner, unit))
				continue;
			for (size_t i = 0; i < l->n_fds; i++)
				if (append(out, l->fds[i], name) < 0)
					goto nomem;
		}
	}
	/* inetd's way: the one socket is fds 0 and 1 (systemd.exec(5)). */
	if (activation_stdio_socket(unit) && out->n == 1)
		out->stdio_fd = out->fds[0];
	return 0;
nomem:
	activation_fds_free(out);
	errno = ENOMEM;
	return -1;
}

void activation_fds_free(struct activation_fds *fds)
{
	free(fds->fds);
	free(fds->names);
	*fds = (struct activation_fds){ .stdio_fd = -1 };
}

void activation_end_connection(struct connection *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	if (c->from && c->from->n_connections > 0)
		c->from->n_connections--;
	free(c);
}
