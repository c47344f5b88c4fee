/* dispatch: an sd_notify message to the service it belongs to. The
 * sender is the service's if it is its main or control process, or in
 * its session (svd gives each service a session of its own); the unit's
 * NotifyAccess= then says whether that process may speak. */
#ifndef SVD_DISPATCH_H
#define SVD_DISPATCH_H

#include <sys/types.h>

#include "notify.h"
#include "service.h"

/* Applies msg from sender (STATUS=, ERRNO=, MAINPID=, WATCHDOG=,
 * EXTEND_TIMEOUT_USEC=, READY=1) to its service, or drops it with a
 * debug line. */
void dispatch_notify(struct service_env *env, pid_t sender,
		     const struct notify_msg *msg);

#endif
