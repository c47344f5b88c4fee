/* commands: what each control request means (start, stop, status, ...),
 * and the replies, including those that wait for a service to settle. */
#ifndef SVD_COMMANDS_H
#define SVD_COMMANDS_H

#include "control.h"
#include "daemon.h"

/* control_request_fn for struct daemon. */
void commands_handle(void *ctx, struct ctl_client *client,
		     const struct proto_msg *request);
/* control_gone_fn: nothing holds clients outside control, kept for
 * symmetry with waits. */
void commands_client_gone(void *ctx, struct ctl_client *client);
/* The verbs dispatched, for the test that svd and svctl agree: the i-th,
 * with whether its request waits for the service to settle, or NULL past
 * the last. */
const char *commands_verb(size_t i, bool *waits);
/* Wakes requests waiting on service; from the manager's on_change. */
void commands_service_changed(struct daemon *d, struct service *service);

#endif
