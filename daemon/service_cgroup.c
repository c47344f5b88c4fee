/* service_cgroup: a service's cgroup as its life needs it (the
 * service_cgroup_* part of service.h), and the one watcher of the
 * cgroups' events that hands each to its service. */
#include "service.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static bool active(const struct service_env *env)
{
	return env->cgroups && env->cgroups->mode != CGROUP_OFF;
}

/* A watch fired: the service whose cgroup it is hears it. */
static void on_watch(void *ctx, int wd)
{
	struct service_env *env = ctx;
	struct service *s = wd > 0 ? pidmap_get(&env->cgroup_watches, wd) : NULL;

	if (s && s->cgroup.path)
		service_cgroup_event(s, wd);
}

/* Its cgroup's watches, in env's map once the cgroup is open. Without a
 * slot (ENOMEM) the service still stops: its main process's exit and the
 * populated check at each step do not need the event. */
static void watch_add(struct service *service, int wd)
{
	if (wd > 0 && pidmap_put(&service->env->cgroup_watches, wd, service) < 0)
		log_errno(LOG_LEVEL_WARNING, service->svc.name, errno,
			  "remembering its cgroup's watch");
}

static void watches_add(struct service *service)
{
	watch_add(service, service->cgroup.events_wd);
	watch_add(service, service->cgroup.memory_wd);
}

static void watches_del(struct service *service)
{
	struct pidmap *map = &service->env->cgroup_watches;

	if (service->cgroup.events_wd > 0)
		pidmap_del(map, service->cgroup.events_wd);
	if (service->cgroup.memory_wd > 0)
		pidmap_del(map, service->cgroup.memory_wd);
}

static void cgroup_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct service_env *env = w->data;

	cgroup_root_read_events(env->cgroups, on_watch, env);
}

void service_cgroups_start(struct service_env *env)
{
	if (!active(env))
		return;
	ev_io_init(&env->cgroup_io, cgroup_io_cb, env->cgroups->inotify_fd, EV_READ);
	env->cgroup_io.data = env;
	ev_io_start(env->loop, &env->cgroup_io);
	/* Like the reaper: it keeps no loop alive by itself. */
	ev_unref(env->loop);
}

void service_cgroups_stop(struct service_env *env)
{
	if (!active(env))
		return;
	ev_ref(env->loop);
	ev_io_stop(env->loop, &env->cgroup_io);
}


/* What its cgroup cannot apply is said once per cgroup, in svd's log, in
 * its own log and in status. */
static void note_warning(struct service *service, const char *warn)
{
	free(service->cgroup_warning);
	service->cgroup_warning = *warn ? strdup(warn) : NULL;
	if (!*warn)
		return;
	log_warning(service->svc.name, "%s", warn);
	logs_service_note(&service->logs, "%s", warn);
}

int service_cgroup_prepare(struct service *service, struct spawn_request *req,
			   char *why, unsigned size)
{
	struct service_env *env = service->env;
	const struct unit *unit = service->svc.unit;
	char warn[400];

	if (!active(env))
		return 0;
	if (!service->cgroup.path) {
		if (cgroup_unit_open(env->cgroups, &service->cgroup, unit->slice,
				     service->svc.name) < 0) {
			int err = errno;

			snprintf(why, size, "making its cgroup in %s: %s",
				 env->cgroups->base, strerror(err));
			errno = err;
			return -1;
		}
		watches_add(service);
		/* Written once per cgroup, before its first process. */
		if (cgroup_unit_apply(env->cgroups, &service->cgroup,
				      unit->resources, warn, sizeof(warn)) < 0) {
			snprintf(why, size, "%s", warn);
			/* Made anew at the next start, settings and all. */
			watches_del(service);
			cgroup_unit_close(env->cgroups, &service->cgroup);
			errno = EINVAL;
			return -1;
		}
		note_warning(service, warn);
	}
	req->join_cgroup = true;
	req->cgroup_procs_fd = service->cgroup.procs_fd;
	return 0;
}

bool service_cgroup_kill(struct service *service, int signo)
{
	if (!service->cgroup.path)
		return false;
	if (cgroup_unit_kill(service->env->cgroups, &service->cgroup, signo) < 0)
		log_errno(LOG_LEVEL_WARNING, service->svc.name, errno,
			  "signalling its cgroup %s", service->cgroup.path);
	return true;
}

/* Whether processes are left in its cgroup (or it cannot tell). While
 * there are, its cgroup.events is watched, so that an event says when
 * none is: watched from the first start on, every start would cost an
 * inotify watch and an event to read. Armed, then read again: the last
 * exit in between is not missed. A query that arms a watch: it changes
 * nothing of the service's state, so the state machine may ask it. */
static bool populated(struct service *service)
{
	struct cgroup_unit *cg = &service->cgroup;
	int r = cgroup_unit_populated(cg);

	if (r == 0 || cg->events_wd >= 0)
		return r != 0;
	if (cgroup_unit_watch_events(service->env->cgroups, cg) < 0) {
		log_errno(LOG_LEVEL_WARNING, service->svc.name, errno,
			  "watching %s/cgroup.events", cg->path);
		return true;
	}
	watch_add(service, cg->events_wd);
	return cgroup_unit_populated(cg) != 0;
}

bool service_cgroup_empty(struct service *service)
{
	return !service->cgroup.path || !populated(service);
}

bool service_cgroup_oom(struct service *service)
{
	return cgroup_unit_oom_killed(&service->cgroup);
}

void service_cgroup_release(struct service *service)
{
	const struct svc *svc = &service->svc;

	/* Auto-restart too: the next start makes it anew, with the settings
	 * of the unit as it is then. */
	if (!service->cgroup.path || !svc_state_is_down(svc->state))
		return;
	if (populated(service))
		return;	/* the event of its last exit comes back here */
	watches_del(service);
	if (cgroup_unit_close(service->env->cgroups, &service->cgroup) < 0 &&
	    errno != EBUSY)
		log_errno(LOG_LEVEL_WARNING, svc->name, errno, "removing its "
			  "cgroup %s", service->cgroup.path);
}

void service_cgroup_free(struct service *service)
{
	if (service->cgroup.path)
		watches_del(service);
	if (service->cgroup.path &&
	    cgroup_unit_close(service->env->cgroups, &service->cgroup) < 0) {
		/* Busy: left for svd's exit (cgroup_root_free) to remove. */
		if (service->cgroup.procs_fd >= 0)
			close(service->cgroup.procs_fd);
		free(service->cgroup.path);
		service->cgroup = (struct cgroup_unit)CGROUP_UNIT_INIT;
	}
	free(service->cgroup_warning);
	service->cgroup_warning = NULL;
}

bool service_cgroup_event(struct service *service, int wd)
{
	if (wd == service->cgroup.memory_wd) {
		if (service->svc.unit && cgroup_unit_oom_killed(&service->cgroup)) {
			logs_service_note(&service->logs, "a process was killed "
					  "by the OOM killer");
			svc_step(&service->svc, SVC_EV_OOM_KILL, 0);
		}
		return true;
	}
	if (wd != service->cgroup.events_wd)
		return false;
	if (cgroup_unit_populated(&service->cgroup) == 0) {
		if (service->svc.unit)
			svc_step(&service->svc, SVC_EV_CGROUP_EMPTY, 0);
		service_cgroup_release(service);
	}
	return true;
}


int service_cgroup_reopen(struct service *service)
{
	struct service_env *env = service->env;
	const struct unit *unit = service->svc.unit;

	if (!active(env) || service->cgroup.path || !unit)
		return 0;
	if (cgroup_unit_open(env->cgroups, &service->cgroup, unit->slice,
			     service->svc.name) < 0) {
		log_errno(LOG_LEVEL_ERROR, service->svc.name, errno,
			  "finding its cgroup in %s", env->cgroups->base);
		return -1;
	}
	watches_add(service);
	/* One already waiting for the rest of its cgroup keeps waiting on
	 * this svd's watch. */
	if (!svc_state_is_down(service->svc.state))
		populated(service);
	return 0;
}
