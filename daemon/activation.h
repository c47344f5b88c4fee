/* activation: what a socket unit holds while it is up, and what a service
 * it starts is given (systemd.socket(5), sd_listen_fds(3)).
 *
 * A listener is a socket unit's open fds with their watchers; every open
 * listener is on one list (struct listeners), so a spawn finds the fds
 * that go to a service (its own NAME.socket or Service=, and Sockets=) in
 * a walk over the open sockets, never over every unit. A connection is
 * the one socket an Accept=yes instance was started for. Services are
 * only "owners" here (void *): what a readable socket starts is the
 * manager's (sockets.h). */
#ifndef SVD_ACTIVATION_H
#define SVD_ACTIVATION_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>

#include "unit.h"

struct listener;

/* A watched socket is readable: owner is the socket unit's service. */
typedef void activation_ready_fn(void *ctx, void *owner, int fd);
/* The service of that name (through aliases), or NULL. */
typedef void *activation_resolve_fn(void *ctx, const char *name);

struct listeners {
	struct ev_loop *loop;
	/* Every open socket unit, in the order they opened: a service
	 * gets their fds in that order. */
	struct listener *first, *last;
	activation_ready_fn *ready;
	activation_resolve_fn *resolve;
	void *ctx;
};

struct listener {
	struct listeners *all;
	void *owner;		/* the socket unit's service */
	const char *name;	/* its name ("web.socket"), the owner's */
	const struct unit *unit; /* its definition when it opened */
	/* That definition, once the owner's was replaced (daemon-reload):
	 * the listener's until it closes. */
	struct unit *kept;
	/* Accept=no: the service it starts (Service=, else NAME.service,
	 * through aliases), found when first needed; NULL again when that
	 * service is freed (activation_forget_target). */
	void *target;
	int *fds;		/* one per Listen*=, in order */
	size_t n_fds;
	ev_io *watch;		/* n_fds watchers, made on first watch */
	struct listener *prev, *next;
	bool watching;
	/* Accept=yes: instances alive, and connections taken/refused. */
	unsigned n_connections;
	unsigned long n_accepted, n_refused;
	/* TriggerLimitBurst= within TriggerLimitIntervalSec=. */
	double window_start;
	unsigned n_triggers;
	/* Why it stopped starting its service (trigger limit, the
	 * service's start limit), for status; NULL while it triggers. */
	const char *stalled;
};

/* An Accept=yes instance's connection. */
struct connection {
	int fd;
	struct listener *from;	/* that took it; NULL once that closed */
	char remote_addr[128];	/* REMOTE_ADDR=, "" for AF_UNIX */
	char remote_port[8];	/* REMOTE_PORT= */
};

/* Opens the fds of a socket unit (listen.h) into a new listener on all.
 * NULL with errno and why filled. */
struct listener *activation_open(struct listeners *all, void *owner,
				 const char *name, const struct unit *unit,
				 char *why, size_t size);
/* The same with the fds a re-exec kept open (reexec.h), n of them, one
 * per Listen*= of unit. NULL with errno (EINVAL: n does not match). */
struct listener *activation_adopt(struct listeners *all, void *owner,
				  const char *name, const struct unit *unit,
				  const int *fds, size_t n);
/* Stops watching, closes (RemoveOnStop=), frees; its connections are
 * told (their from goes NULL) by the caller, who knows them. */
void activation_close(struct listener *listener);
/* The owner's definition is being replaced (daemon-reload): an open
 * socket goes on with the one it opened with (its fds, their paths
 * for RemoveOnStop=, Accept=) until it is stopped. Returns whether
 * the listener took old over; the caller frees it otherwise. */
bool activation_keep_unit(struct listener *listener, struct unit *old);
/* Whether its watchers run; made the first time. */
void activation_watch(struct listener *listener, bool on);

/* The service an Accept=no socket starts, looked up the first time;
 * NULL when there is none. */
void *activation_target(struct listener *listener);
/* Whether the open socket's fds go to the service owner, named name,
 * whose unit is unit: it is the socket's target, or names the socket
 * in Sockets=. */
bool activation_serves(struct listener *listener, void *owner,
		       const struct unit *unit);
/* owner is about to be freed: no listener keeps it as its target. */
void activation_forget_target(struct listeners *all, void *owner);

/* What a spawn of a service's main process gets: fds to put at 3, 4,
 * ..., their names (LISTEN_FDNAMES=), and the one socket that
 * StandardInput=, StandardOutput= or StandardError=socket connect (-1
 * when none does; then it goes there only, not at 3, as systemd's
 * exec_child() has it). The arrays are the caller's to free. */
struct activation_fds {
	int *fds;
	const char **names;	/* not owned: unit names, "connection" */
	size_t n;
	int stdio_fd;
};
/* Whether one of unit's streams is the socket (StandardInput=socket...). */
bool activation_stdio_socket(const struct unit *unit);
/* For the service owner with unit, and its connection (or NULL).
 * Returns 0, or -1 with errno ENOMEM. */
int activation_collect(struct listeners *all, void *owner,
		       const struct unit *unit, const struct connection *conn,
		       struct activation_fds *out);
void activation_fds_free(struct activation_fds *fds);

/* A connection is done: closed, counted off its socket, freed. */
void activation_end_connection(struct connection *conn);

#endif
