#include "dispatch.h"

#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "log.h"
#include "mainpid.h"

/* The service whose session sender is in: what NotifyAccess=all lets
 * speak (svd gives each service a session of its own). One getsid()
 * and a walk of the services, no more. */
static struct service *service_of_session(struct service_env *env, pid_t sender)
{
	pid_t sid = getsid(sender);

	if (sid <= 0)
		return NULL;
	for (struct service *service = env->first; service; service = service->next) {
		if (service->svc.pgid == sid && svc_is_busy(&service->svc))
			return service;
	}
	return NULL;
}

struct service *dispatch_service_of(struct service_env *env, pid_t pid)
{
	struct service *service = pidmap_get(&env->pids, pid);

	return service ? service : service_of_session(env, pid);
}

static bool may_notify(const struct service *service, pid_t sender)
{
	const struct svc *svc = &service->svc;

	switch (svc->unit ? svc->unit->notify_access : UNIT_NOTIFY_NONE) {
	case UNIT_NOTIFY_MAIN:
		return sender == svc->main_pid;
	case UNIT_NOTIFY_EXEC:
		return sender == svc->main_pid || sender == svc->control_pid;
	case UNIT_NOTIFY_ALL:
		return sender == svc->main_pid || getsid(sender) == svc->pgid;
	case UNIT_NOTIFY_NONE:
		break;
	}
	return false;
}

static void set_main_pid(struct service *service, pid_t pid)
{
	struct svc *svc = &service->svc;
	struct service_env *env = service->env;
	const char *refusal;

	if (pid == svc->main_pid)
		return;
	refusal = mainpid_refusal(svc, &env->pids, pid);
	if (refusal) {
		log_debug(svc->name, "MAINPID=%d refused: %s", (int)pid, refusal);
		return;
	}
	if (pidmap_put(&env->pids, pid, service) < 0) {
		log_errno(LOG_LEVEL_WARNING, svc->name, errno, "MAINPID=%d", (int)pid);
		return;
	}
	if (svc->main_pid)
		pidmap_del(&env->pids, svc->main_pid);
	log_debug(svc->name, "main pid is now %d (MAINPID=)", (int)pid);
	svc_step(svc, SVC_EV_MAIN_PID, pid);
}

void dispatch_notify(struct service_env *env, pid_t sender,
		     const struct notify_msg *msg)
{
	struct service *service = dispatch_service_of(env, sender);
	struct svc *svc;

	if (!service || !may_notify(service, sender)) {
		log_debug(service ? service->svc.name : NULL, "notify: message "
			  "from pid %d ignored (%s)", (int)sender,
			  service ? "NotifyAccess= does not allow it" :
			  "not a service's");
		return;
	}
	svc = &service->svc;
	if (msg->status && svc_set_status_text(svc, msg->status) < 0)
		log_errno(LOG_LEVEL_WARNING, svc->name, ENOMEM, "STATUS=");
	if (msg->errno_value)
		svc_set_status_errno(svc, msg->errno_value);
	if (msg->main_pid)
		set_main_pid(service, msg->main_pid);
	if (msg->watchdog_usec) {
		service->watchdog_usec = msg->watchdog_usec;
		service_watchdog_update(service);
	}
	if (msg->watchdog)
		service_watchdog_update(service);
	/* At debug: a service saying it a thousand times costs nothing. */
	if (msg->stopping)
		log_debug(svc->name, "says it is stopping (STOPPING=1)");
	/* Before READY=1: "RELOADING=1\nREADY=1" in one message is a
	 * reload begun and done. */
	if (msg->reloading)
		svc_step(svc, SVC_EV_RELOADING, 0);
	if (msg->extend_timeout_usec)
		svc_step(svc, SVC_EV_EXTEND_TIMEOUT,
			 msg->extend_timeout_usec / 1000 > INT_MAX ? INT_MAX :
			 (int)(msg->extend_timeout_usec / 1000));
	if (msg->ready)
		svc_step(svc, SVC_EV_READY, 0);
	if (msg->watchdog_trigger)
		svc_step(svc, SVC_EV_WATCHDOG, 0);
}
