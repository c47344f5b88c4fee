/* commands: what each control request means (start, stop, status, ...),
 * and the replies, including those that wait for a service to settle.
 *
 * It knows the manager and the control socket, not the daemon around
 * them: the little it asks of the daemon goes through commands_ops. */
#ifndef SVD_COMMANDS_H
#define SVD_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "control.h"
#include "halt.h"
#include "manager.h"
#include "monitor.h"
#include "tmpfiles_cmd.h"

/* What commands asks of the daemon (main.c); ctx is commands->ctx. */
struct commands_ops {
	/* daemon-reload: re-reads the unit directories; -1 after logging. */
	int (*reload)(void *ctx);
	/* poweroff, reboot, halt: the daemon stops every service, then
	 * (as init) does action. */
	void (*halt)(void *ctx, enum halt_action action);
	/* svd is on its way down: requests that change things are refused. */
	bool (*shutting_down)(void *ctx);
	/* svd owns what halting stops: it is init, or a container's. */
	bool (*owns_machine)(void *ctx);
	/* "starting", "running", "degraded" or "stopping", as
	 * systemctl is-system-running says them. */
	const char *(*system_state)(void *ctx);
	/* svctl stop of the container's command: as SIGTERM to svd, its end
	 * ends the container. */
	void (*stop_command)(void *ctx);
	/* daemon-reexec: answers client (ok right before the exec, or an
	 * error and svd goes on). */
	void (*reexec)(void *ctx, struct ctl_client *client);
};

struct commands_client;

struct commands {
	struct manager *manager;
	const struct commands_ops *ops;
	void *ctx;
	/* Clients whose request waits for a service to settle. */
	struct commands_client *waiting;
	struct monitor monitor;	/* `svctl monitor` subscribers */
	/* svctl tmpfiles; NULL: refused (set by the daemon after init) */
	struct tmpfiles_cmd *tmpfiles;
};

void commands_init(struct commands *commands, struct manager *manager,
		   const struct commands_ops *ops, void *ctx);
/* control_request_fn; ctx is the struct commands. */
void commands_handle(void *ctx, struct ctl_client *client,
		     const struct proto_msg *request);
/* control_gone_fn: the client's wait or follow ends, its state is freed. */
void commands_client_gone(void *ctx, struct ctl_client *client);
/* Wakes requests waiting on service (NULL: every one looks again);
 * from the manager's on_change. */
void commands_service_changed(struct commands *commands,
			      struct service *service);
/* service changed state from old (svctl monitor): inside the step,
 * only queues messages. */
void commands_service_transition(struct commands *commands,
				 struct service *service, enum svc_state old);
/* service is about to be freed (daemon-reload dropped its unit): the
 * requests still waiting on it fail, naming why. */
void commands_service_forget(struct commands *commands,
			     struct service *service);
/* Before a re-exec: every request still waiting for a service is
 * answered (the job goes on in the new svd, the connection does not). */
void commands_before_reexec(struct commands *commands);
/* The verbs dispatched, for the test that svd and svctl agree: the i-th,
 * with whether its request waits for the service to settle, or NULL past
 * the last. */
const char *commands_verb(size_t i, bool *waits);

#endif
