#include "service_cgroup.h"

#include "service.h"

static bool active(const struct service_env *env)
{
	return env->cgroups && env->cgroups->mode != CGROUP_OFF;
}

/* A watch fired: the service whose cgroup it is hears it. A walk over
 * the services: these events come at a service's start and end, not per
 * line of output. */
static void on_watch(void *ctx, int wd)
{
	struct service_env *env = ctx;

	for (struct service *s = env->first; s; s = s->next)
		if (s->cgroup.path && service_cgroup_event(s, wd))
			return;
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

