/* sweep: the end of a container or of a board's life. Once the services
 * are down, every process still left (all of the PID namespace when svd
 * is PID 1, else every child a subreaper inherited) gets SIGTERM and
 * SIGCONT, a grace period, then SIGKILL; the sweep is over when svd has
 * no child left. */
#ifndef SVD_SWEEP_H
#define SVD_SWEEP_H

#include <ev.h>
#include <stdbool.h>

/* Leftovers are signalled again at most this often, for orphans
 * re-parented since: kill(-1) walks every process, so doing it per reap
 * would cost O(n^2) for n orphans. */
#define SWEEP_RESIGNAL_INTERVAL_SEC 0.1

/* Leftovers' time between SIGTERM and SIGKILL (--kill-grace), as
 * s6-overlay's S6_KILL_GRACETIME. */
#define SWEEP_DEFAULT_KILL_GRACE_SEC 3.0

enum sweep_phase {
	SWEEP_IDLE,	/* not started */
	SWEEP_TERM,	/* SIGTERM sent: grace period */
	SWEEP_KILL,	/* SIGKILL sent: waiting for the last exits */
	SWEEP_DONE,	/* nothing left, or gave up on what SIGKILL left */
};

struct sweep {
	struct ev_loop *loop;
	double grace_sec;
	enum sweep_phase phase;
	double last_signal;	/* ev_now of the last round of signals */
	ev_timer timer;
	void (*on_done)(void *ctx); /* when the sweep ends by its timer */
	void *ctx;
	/* Signals more processes with every round (sweep_also), or NULL. */
	void (*also)(void *ctx, int signo);
	void *also_ctx;
};

void sweep_init(struct sweep *s, struct ev_loop *loop, double grace_sec,
		void (*on_done)(void *ctx), void *ctx);
/* Every round of signals also calls also(ctx, signo): svd's cgroups
 * hold processes that are not svd's children. */
void sweep_also(struct sweep *s, void (*also)(void *ctx, int signo), void *ctx);
/* Starts or continues the sweep; call again after each reap. True once
 * nothing is left (or SIGKILL did not help within the grace period). */
bool sweep_step(struct sweep *s);

#endif
