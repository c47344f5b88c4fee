/* container: svd -- COMMAND. The main command is a service
 * ("main.service") that inherits svd's stdio, environment, working
 * directory and start-up signal state; svd forwards signals to it, ends
 * with it, and exits with its status after stopping the side services and
 * sweeping up every process left behind (sweep.h). */
#ifndef SVD_CONTAINER_H
#define SVD_CONTAINER_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>

#include "manager.h"
#include "spawn.h"

#define CONTAINER_MAIN_NAME "main.service"
#define CONTAINER_DEFAULT_STOP_TIMEOUT_SEC 10.0

/* The command ended: svd stops the rest and exits (main.c). */
typedef void container_ended_fn(void *ctx);

struct container {
	struct ev_loop *loop;
	struct manager *mgr;
	container_ended_fn *on_ended;
	void *ctx;			/* for on_ended */
	char *const *argv;		/* COMMAND [ARG...] as given */
	double stop_timeout_sec;	/* --stop-timeout */
	struct spawn_inherit inherit;
	struct service *main;
	uint64_t pending_signals;	/* bit n-1: signal n came before exec */
	int pending_stop_signal;	/* nonzero: stop once exec'd */
	int exit_status;		/* svd's exit status once main ended */
	bool main_ended;
	bool group;			/* -g: signals to its process group */
	/* After a re-exec: the command runs already, nothing is started. */
	bool resumed;
	ev_io forward;			/* signalfd of the forwarded signals */
};

/* Blocks the signals svd handles or forwards (every catchable one but
 * the synchronous ones and SIGTTIN/SIGTTOU), so that one arriving before
 * the loop watches it waits instead of killing svd. */
void container_block_signals(void);

/* Before anything changes svd's signal state. */
void container_capture(struct container *c, char *const *argv,
		       double stop_timeout_sec, bool group);
/* Adds main.service to mgr, starts forwarding signals, starts the
 * command; on_ended(ctx) is called once it has ended. Returns -1 after
 * logging when it could not even be set up. */
int container_start(struct container *c, struct ev_loop *loop,
		    struct manager *mgr, container_ended_fn *on_ended, void *ctx);
/* SIGTERM/SIGINT to svd: stop the command with that signal. */
void container_stop(struct container *c, int signo);
/* From the manager's on_change for main.service. */
void container_main_changed(struct container *c);

#endif
