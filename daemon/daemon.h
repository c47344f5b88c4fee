/* daemon: the one struct that holds svd's state, reached from every
 * watcher through its data pointer (no other mutable globals). */
#ifndef SVD_DAEMON_H
#define SVD_DAEMON_H

#include <ev.h>
#include <stdbool.h>

#include "container.h"
#include "control.h"
#include "manager.h"

struct daemon_options {
	const char **unit_dirs;
	size_t n_unit_dirs;
	const char *socket_path;
	const char *config_path;
	const char *log_dir;
	const char *state_dir;
	char *const *command;	/* container mode: COMMAND [ARG...], or NULL */
	double stop_timeout_sec; /* container mode: --stop-timeout */
	bool verbosity_set;	/* -v or -q given */
};

struct daemon {
	struct ev_loop *loop;
	struct daemon_options opt;
	struct manager manager;
	struct control control;
	ev_signal sig_term, sig_int, sig_hup;
	ev_child reaper;
	ev_periodic never;	/* see main.c: keeps libev asleep when idle */
	bool shutting_down;
	struct container container; /* used when opt.command is set */
	char hostname[256];	/* for %H; HOST_NAME_MAX is 64 on Linux */
};

/* Stops every service and ends the loop once all are down. */
void daemon_shutdown(struct daemon *d);
/* Re-reads the unit directories (SIGHUP, svctl daemon-reload). */
int daemon_reload(struct daemon *d);

#endif
