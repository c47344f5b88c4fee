/* upstream: svd's own readiness, told to the manager that started it
 * (systemd, or anything that sets NOTIFY_SOCKET) through libsystemd's
 * sd_notify, from a child so that a manager that does not read cannot
 * block svd: READY=1 once the boot's services have started, STATUS= with
 * counts, STOPPING=1 at shutdown, and WATCHDOG=1 keep-alives when it set
 * WATCHDOG_USEC. Without NOTIFY_SOCKET all of this is a no-op. */
#ifndef SVD_UPSTREAM_H
#define SVD_UPSTREAM_H

#include <ev.h>
#include <stdbool.h>
#include <sys/types.h>

struct upstream {
	struct ev_loop *loop;
	char *socket;		/* NOTIFY_SOCKET svd was given, or NULL */
	pid_t child;		/* sending the last message, or 0 */
	char *pending;		/* to send once it is done, or NULL */
	bool ready_sent;
	ev_timer keepalive;
};

/* Takes NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID out of svd's
 * environment, so that no service (not even a container's command)
 * mistakes svd's manager for its own, and starts the keep-alive. */
void upstream_init(struct upstream *up, struct ev_loop *loop);
/* From the reaper: true when pid was a sender of ours (then done). */
bool upstream_child_exited(struct upstream *up, pid_t pid, int wstatus);
/* Sends "READY=1" and the status line, once. */
void upstream_ready(struct upstream *up, const char *status);
void upstream_stopping(struct upstream *up);
void upstream_free(struct upstream *up);

#endif
