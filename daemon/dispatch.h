/* dispatch: an sd_notify message (or a syslog one, devlog.h) to the
 * service it belongs to. The
 * sender is the service's if it is its main or control process, or in
 * its session (svd gives each service a session of its own); the unit's
 * NotifyAccess= then says whether that process may speak. */
#ifndef SVD_DISPATCH_H
#define SVD_DISPATCH_H

#include <sys/types.h>

#include "notify.h"
#include "service.h"

/* The service pid belongs to: its main or control process (the pid
 * map), else the one whose session it is in; NULL when none. A process
 * that has been reaped already is in none. */
struct service *dispatch_service_of(struct service_env *env, pid_t pid);
/* Applies msg from sender (STATUS=, ERRNO=, MAINPID=, WATCHDOG=,
 * EXTEND_TIMEOUT_USEC=, READY=1) to its service, or drops it with a
 * debug line. */
void dispatch_notify(struct service_env *env, pid_t sender,
		     const struct notify_msg *msg);

#endif
