/* jobs: services in the order their units ask for, as systemd's jobs do.
 *
 * After each load, dependency names are resolved to services (targets are
 * made up on first mention: svd provides them as synchronization points)
 * and ordering cycles are broken. A start request pulls in what the unit
 * Requires=/Wants=/BindsTo= and marks each with a start job; a job runs
 * when every unit it is After= has settled (running, exited, failed or
 * without a job). A stop pulls along what requires the unit and runs in
 * reverse order. Jobs are re-examined after every state change. */
#ifndef SVD_JOBS_H
#define SVD_JOBS_H

#include "manager.h"

/* Well-known targets that always exist. */
#define JOBS_DEFAULT_TARGET "default.target"
#define JOBS_MULTI_USER_TARGET "multi-user.target"

/* Resolves every service's dependencies; reports and breaks cycles. */
void jobs_resolve(struct manager *mgr);
/* Links the services made since (not linked yet), leaving the rest. */
void jobs_link_new(struct manager *mgr);
/* Queues a start of service and of what it pulls in; jobs run from the
 * manager's reactions. */
void jobs_start(struct manager *mgr, struct service *service);
/* Queues a stop of service and of what requires it. */
void jobs_stop(struct manager *mgr, struct service *service);
/* Shutdown: cancels start jobs, stops every service in reverse order. */
void jobs_stop_all(struct manager *mgr);
/* Runs every job that may run now. Returns true when a job was done
 * (a job may end without a state change: whoever waits must look). */
bool jobs_run(struct manager *mgr);
/* From the manager's reactions after a state change: BindsTo= stops. */
void jobs_state_changed(struct manager *mgr, struct service *service,
			enum svc_state old_state);
/* Frees what jobs_resolve() built for service. */
void jobs_forget(struct service *service);

#endif
