/* upstream: svd's own readiness, told to the manager that started it
 * (systemd, or anything that sets NOTIFY_SOCKET) with the sd_notify
 * protocol: one datagram per message to the AF_UNIX socket named in
 * NOTIFY_SOCKET (a path, or "@name" in the abstract namespace). READY=1
 * once the boot's services have started, STATUS= with counts, STOPPING=1 at
 * shutdown, and WATCHDOG=1 keep-alives when it set WATCHDOG_USEC. Sends
 * never block: a manager that does not read loses keep-alives and gets
 * the latest other message once it reads again. Without NOTIFY_SOCKET all
 * of this is a no-op. */
#ifndef SVD_UPSTREAM_H
#define SVD_UPSTREAM_H

#include <ev.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>

struct upstream {
	struct ev_loop *loop;
	int fd;			/* non-blocking datagram socket, or -1 */
	struct sockaddr_un address;
	socklen_t address_length;
	char *pending;		/* refused for now (queue full), or NULL */
	bool full_told;		/* the queue-full debug line was logged */
	bool ready_sent;
	ev_timer keepalive;
	ev_timer retry;		/* resends pending; active only while it waits */
};

/* Takes NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID out of svd's
 * environment, so that no service (not even a container's command)
 * mistakes svd's manager for its own, and starts the keep-alive. */
void upstream_init(struct upstream *up, struct ev_loop *loop);
/* Sends "READY=1" and the status line, once. */
void upstream_ready(struct upstream *up, const char *status);
void upstream_stopping(struct upstream *up);
/* Puts NOTIFY_SOCKET (and WATCHDOG_USEC/WATCHDOG_PID while keep-alives
 * run) back into the environment, for svd's exec of itself (reexec.h):
 * the new svd takes them as this one did. -1 with errno. */
int upstream_pass_on(struct upstream *up);
void upstream_free(struct upstream *up);

/* NOTIFY_SOCKET's value as an address: 0, or -1 with errno (EAFNOSUPPORT
 * for "vsock:...", EINVAL for a relative path, ENAMETOOLONG). */
int upstream_parse_address(const char *value, struct sockaddr_un *address,
			   socklen_t *length);
/* WATCHDOG_USEC for this process (0: none): as sd_watchdog_enabled(3),
 * only when WATCHDOG_PID is unset or is pid. */
unsigned long long upstream_watchdog_usec(const char *usec, const char *watchdog_pid,
					  pid_t pid);

#endif
