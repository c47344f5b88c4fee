#include "sweep.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

void sweep_init(struct sweep *s, struct ev_loop *loop, double grace_sec,
		void (*on_done)(void *ctx), void *ctx)
{
	*s = (struct sweep){
		.loop = loop,
		.grace_sec = grace_sec,
		.on_done = on_done,
		.ctx = ctx,
	};
}

void sweep_also(struct sweep *s, void (*also)(void *ctx, int signo), void *ctx)
{
	s->also = also;
	s->also_ctx = ctx;
}

static void signal_leftovers(int signo);

static void signal_round(struct sweep *s, int signo)
{
	signal_leftovers(signo);
	if (s->also)
		s->also(s->also_ctx, signo);
}

static bool has_children(void)
{
	siginfo_t info = {0};

	/* WNOWAIT: only look; libev's reaper collects them. */
	return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

/* As PID 1, all of the namespace; otherwise our children (a subreaper
 * inherits every orphan below it, so the ones left behind by services
 * end up here). */
static void signal_leftovers(int signo)
{
	char path[64];
	FILE *f;
	int pid;

	if (getpid() == 1) {
		if (kill(-1, signo) < 0 && errno != ESRCH)
			log_errno(LOG_LEVEL_WARNING, NULL, errno, "kill -1");
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	f = fopen(path, "re");
	if (!f) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "reading %s", path);
		return;
	}
	while (fscanf(f, "%d", &pid) == 1)
		if (kill(pid, signo) < 0 && errno != ESRCH)
			log_errno(LOG_LEVEL_WARNING, NULL, errno, "kill %d", pid);
	fclose(f);
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sweep *s = w->data;

	if (s->phase == SWEEP_TERM) {
		log_warning(NULL, "processes left after %.0f s: sending SIGKILL",
			    s->grace_sec);
		s->phase = SWEEP_KILL;
		s->last_signal = ev_now(loop);
		signal_round(s, SIGKILL);
		ev_timer_set(w, s->grace_sec, 0.);
		ev_timer_start(loop, w);
		return;
	}
	/* Stuck in the kernel even after SIGKILL (an unkillable D state):
	 * going on without them is all that is left to do. */
	log_error(NULL, "processes survived SIGKILL: going on without them");
	s->phase = SWEEP_DONE;
	s->on_done(s->ctx);
}

bool sweep_step(struct sweep *s)
{
	if (s->phase == SWEEP_DONE)
		return true;
	if (!has_children()) {
		ev_timer_stop(s->loop, &s->timer);
		s->phase = SWEEP_DONE;
		return true;
	}
	if (s->phase == SWEEP_IDLE) {
		s->phase = SWEEP_TERM;
		s->last_signal = -SWEEP_RESIGNAL_INTERVAL_SEC;
		ev_timer_init(&s->timer, timer_cb, s->grace_sec, 0.);
		s->timer.data = s;
		ev_timer_start(s->loop, &s->timer);
	}
	if (ev_now(s->loop) - s->last_signal < SWEEP_RESIGNAL_INTERVAL_SEC)
		return false;
	s->last_signal = ev_now(s->loop);
	signal_round(s, s->phase == SWEEP_KILL ? SIGKILL : SIGTERM);
	if (s->phase == SWEEP_TERM)
		signal_round(s, SIGCONT);
	return false;
}
