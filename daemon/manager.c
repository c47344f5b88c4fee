#include "manager.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dispatch.h"
#include "enable.h"
#include "log.h"
#include "madeup.h"
#include "strv.h"
#include "wants.h"

/* --- reactions, after the step --- */

/* A state as jobs sees it. */
static enum jobs_state jobs_state_of(enum svc_state state)
{
	if (svc_state_is_starting(state))
		return JOBS_STARTING;
	if (svc_state_is_stopping(state))
		return JOBS_STOPPING;
	if (svc_state_is_failed(state))
		return JOBS_FAILED;
	return svc_state_is_up(state) ? JOBS_UP : JOBS_DOWN;
}

static enum jobs_state state_of(const struct svc *svc)
{
	return jobs_state_of(svc->state);
}

/* Type=idle: the boot's jobs are dispatched once no start job is queued
 * and only idle services are starting; then the idle pipe goes, and
 * every idle service's waiting process execs (systemd's idle_pipe). */
static void idle_check(struct manager *mgr)
{
	struct service_env *env = &mgr->env;

	if (env->idle_pipe[1] < 0 || mgr->jobs.n_start_jobs != 0 ||
	    env->n_starting != env->n_starting_idle)
		return;
	manager_close_idle_pipe(mgr);
}

void manager_close_idle_pipe(struct manager *mgr)
{
	for (int i = 0; i < 2; i++) {
		if (mgr->env.idle_pipe[i] >= 0)
			close(mgr->env.idle_pipe[i]);
		mgr->env.idle_pipe[i] = -1;
	}
}

/* The reactions, in a fixed order for each change: the service's own,
 * then jobs (which may step other services: their changes queue up
 * behind), then the daemon's (clients, container, boot, shutdown).
 * Drains until nothing is left, so no step ever runs inside another. */
static void react_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	manager_react_now(w->data);
}

void manager_react_now(struct manager *mgr)
{
	for (;;) {
		struct service *service;
		bool done = false;

		/* First what the spawns of the last round already know: an
		 * exec'd main process makes a change of its own. */
		service_hear_spawned(&mgr->env);
		service = service_pop_change(&mgr->env);

		if (service && service->changed_really) {
			service_react(service);
			jobs_changed(&mgr->jobs, &service->node,
				     jobs_state_of(service->changed_from),
				     state_of(&service->svc));
		}
		done = jobs_run(&mgr->jobs) > 0;
		if (service && mgr->config.on_change)
			mgr->config.on_change(mgr->config.ctx, service);
		if (done && mgr->config.on_change)
			mgr->config.on_change(mgr->config.ctx, NULL);
		if (service)
			service_look_unused(service);
		if (!service && !done && !service_any_spawned(&mgr->env))
			break;
	}
	idle_check(mgr);
	/* Last, once everyone who cares has seen the changes: instances
	 * left down and unused go, with their pipes and log file. */
	registry_free_unused(&mgr->registry);
}

/* --- what jobs asks of services (struct jobs_ops) --- */

static struct service *service_of_node(struct jobs_node *node)
{
	return (struct service *)((char *)node - offsetof(struct service, node));
}

static const struct service *cservice_of_node(const struct jobs_node *node)
{
	return (const struct service *)((const char *)node -
					offsetof(struct service, node));
}

static const char *node_name(const struct jobs_node *node)
{
	return cservice_of_node(node)->svc.name;
}

static const struct unit *node_unit(const struct jobs_node *node)
{
	return cservice_of_node(node)->svc.unit;
}

static const char *node_file(const struct jobs_node *node)
{
	const struct service *service = cservice_of_node(node);

	return service->path ? service->path : service->made_up ?
	       "made up by svd" : "no file";
}

static enum jobs_state node_state(const struct jobs_node *node)
{
	return state_of(&cservice_of_node(node)->svc);
}

/* An instance's [Install] counts through a NAME.wants/ entry only (what
 * `systemctl enable foo@bar` makes), not because it was once named:
 * else every instance ever started would be wanted by a target and
 * never freed. */
static bool node_enabled(const struct jobs_node *node)
{
	const struct service *service = cservice_of_node(node);

	return service->enabled && !service->instance;
}

static const char *node_refusal(const struct jobs_node *node, char *buf,
				size_t size)
{
	const struct service *service = cservice_of_node(node);

	if (service->load == SERVICE_MASKED)
		return "unit is masked";
	if (!service->svc.unit) {
		snprintf(buf, size, "unit file has errors: %s",
			 service->load_error ? service->load_error : "?");
		return buf;
	}
	return NULL;
}

/* What is wrong with the path of a made-up .mount or .device: the rest
 * of the units fail for it, and say so. */
static const char *node_failure(const struct jobs_node *node)
{
	const struct service *service = cservice_of_node(node);

	return service->made_up && service->svc.cause == SVC_CAUSE_ASSERT ?
	       service->svc.cause_text : NULL;
}

static void node_start(struct jobs_node *node)
{
	svc_step(&service_of_node(node)->svc, SVC_EV_START, 0);
}

static void node_stop(struct jobs_node *node)
{
	svc_step(&service_of_node(node)->svc, SVC_EV_STOP, 0);
}

static void node_fail(struct jobs_node *node, const char *why)
{
	svc_fail_dependency(&service_of_node(node)->svc, why);
}

static struct jobs_node *node_find(void *ctx, const char *name, const char **why)
{
	struct manager *mgr = ctx;
	struct service *service;

	/* Not manager_find(): jobs links what it makes itself. */
	if (madeup_kind(name, NULL))
		service = registry_made_up(&mgr->registry, name, why);
	else
		service = registry_find(&mgr->registry, name, why);
	return service ? &service->node : NULL;
}

static char **node_mounts_for(void *ctx, const char *path)
{
	struct manager *mgr = ctx;

	return madeup_mounts_for(mgr->fstab, path);
}

static const struct jobs_ops jobs_ops = {
	.name = node_name,
	.unit = node_unit,
	.file = node_file,
	.state = node_state,
	.enabled = node_enabled,
	.refusal = node_refusal,
	.failure = node_failure,
	.start = node_start,
	.stop = node_stop,
	.fail = node_fail,
	.find = node_find,
	.mounts_for = node_mounts_for,
};

/* --- the facade --- */

int manager_init(struct manager *mgr, struct ev_loop *loop,
		 const struct manager_config *config)
{
	struct registry_config reg = {
		.unit_dirs = config->unit_dirs,
		.n_unit_dirs = config->n_unit_dirs,
		.state_dir = config->state_dir,
		.host = config->host,
		.default_timeout_start_usec = config->default_timeout_start_usec,
		.default_timeout_stop_usec = config->default_timeout_stop_usec,
	};

	*mgr = (struct manager){ .loop = loop, .config = *config };
	mgr->env = (struct service_env){
		.loop = loop,
		.jobs = &mgr->jobs,
		.exec = {
			.notify_socket = config->notify_socket,
			.svd_environ = config->svd_environ,
			.roots = config->directory_roots,
			.sandbox_fallback = config->sandbox_fallback,
		},
		.logs = config->logs,
		.nofile_soft = config->nofile_soft,
		.on_free = config->on_forget,
		.on_free_ctx = config->ctx,
		.cgroups = config->cgroups,
		.mounts = config->mounts,
		.on_transition = config->on_transition,
		.idle_pipe = { -1, -1 },
	};
	service_cgroups_start(&mgr->env);
	pidmap_init(&mgr->env.pids);
	pidmap_init(&mgr->env.cgroup_watches);
	jobs_init(&mgr->jobs, &jobs_ops, mgr);
	registry_init(&mgr->registry, &mgr->env, &reg);
	ev_prepare_init(&mgr->react, react_cb);
	mgr->react.data = mgr;
	ev_prepare_start(loop, &mgr->react);
	ev_unref(loop);
	return 0;
}

void manager_free(struct manager *mgr)
{
	ev_ref(mgr->loop);
	ev_prepare_stop(mgr->loop, &mgr->react);
	manager_close_idle_pipe(mgr);
	jobs_free(&mgr->jobs);
	registry_free(&mgr->registry);
	strv_free(mgr->fstab);
	service_cgroups_stop(&mgr->env);
	pidmap_free(&mgr->env.pids);
	pidmap_free(&mgr->env.cgroup_watches);
}

static void wants_diag(void *ctx, const char *path, int err)
{
	log_errno(LOG_LEVEL_WARNING, NULL, err, "%s", path);
}

int manager_load_all(struct manager *mgr)
{
	struct wants wants = {0};

	if (registry_load_all(&mgr->registry) < 0)
		return -1;
	/* What RequiresMountsFor= names, read anew as units are. */
	strv_free(mgr->fstab);
	if (mgr->config.fstab &&
	    madeup_fstab_read(mgr->config.fstab, &mgr->fstab) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "reading %s (for "
			  "RequiresMountsFor=)", mgr->config.fstab);
	if (wants_scan(mgr->config.unit_dirs, mgr->config.n_unit_dirs, &wants,
		       wants_diag, NULL) < 0)
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "reading .wants/ and "
			  ".requires/ directories");
	jobs_resolve(&mgr->jobs, &wants);
	wants_free(&wants);
	/* What named an instance may be gone. */
	registry_look_unused_all(&mgr->registry);
	return 0;
}

static bool is_socket(const struct service *s)
{
	return s->svc.unit && s->svc.unit->kind == UNIT_KIND_SOCKET;
}

void manager_start_enabled(struct manager *mgr)
{
	struct service *target;

	/* Without the pipe, Type=idle services start at once: worse
	 * output, nothing worse. */
	if (mgr->env.idle_pipe[0] < 0 && pipe2(mgr->env.idle_pipe, O_CLOEXEC) < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "making the pipe "
			  "Type=idle services wait on; they start at once");
		mgr->env.idle_pipe[0] = mgr->env.idle_pipe[1] = -1;
	}
	/* Sockets first: the jobs run in the order queued and a socket
	 * listens as its start job runs, so every socket is open before any
	 * service starts, and services that talk through them need no order
	 * between them (systemd gets that from sockets.target). */
	for (int sockets = 1; sockets >= 0; sockets--)
		for (struct service *s = mgr->env.first; s; s = s->next) {
			if (s->inherit || is_socket(s) != sockets)
				continue;
			/* A target or what svd made up starts when
			 * pulled in. */
			if (s->load == SERVICE_LOADED && s->enabled &&
			    !s->node.is_target && !s->made_up)
				jobs_start(&mgr->jobs, &s->node);
			else if (!s->enabled)
				log_debug(s->svc.name, "disabled: not started");
		}
	target = manager_target(mgr, JOBS_DEFAULT_TARGET);
	if (target)
		jobs_start(&mgr->jobs, &target->node);
}

struct service *manager_find(struct manager *mgr, const char *name,
			     const char **error)
{
	struct service *service = registry_find(&mgr->registry, name, error);

	/* A new instance's dependencies (and what they made). */
	jobs_link_new(&mgr->jobs);
	return service;
}

struct service *manager_peek(struct manager *mgr, const char *name,
			     const char **error)
{
	return registry_peek(&mgr->registry, name, error);
}

void manager_drop_transient(struct manager *mgr, struct service *service)
{
	registry_drop_transient(&mgr->registry, service);
}

struct service *manager_target(struct manager *mgr, const char *name)
{
	struct service *target = registry_target(&mgr->registry, name);

	jobs_link_new(&mgr->jobs);
	return target;
}

int manager_apply_dropins(struct manager *mgr, struct unit *unit)
{
	return registry_apply_dropins(&mgr->registry, unit);
}

struct service *manager_add_main(struct manager *mgr, struct unit *unit,
				 const struct spawn_inherit *inherit)
{
	return registry_add_main(&mgr->registry, unit, inherit);
}

size_t manager_count(const struct manager *mgr)
{
	return mgr->env.n;
}

struct service *manager_first(const struct manager *mgr)
{
	return mgr->env.first;
}

struct service **manager_sorted(const struct manager *mgr, size_t *n)
{
	return registry_sorted(&mgr->registry, n);
}

void manager_start(struct manager *mgr, struct service *service)
{
	jobs_start(&mgr->jobs, &service->node);
}

void manager_stop(struct manager *mgr, struct service *service)
{
	jobs_stop(&mgr->jobs, &service->node);
}

int manager_set_enabled(struct manager *mgr, struct service *service,
			bool enabled)
{
	if (enable_set(mgr->config.state_dir, service->svc.name, enabled) < 0)
		return -1;
	service->enabled = enabled;
	return 0;
}

void manager_notify(void *ctx, pid_t sender, const struct notify_msg *msg)
{
	struct manager *mgr = ctx;

	dispatch_notify(&mgr->env, sender, msg);
}

struct logs_service *manager_syslog_owner(void *ctx, pid_t sender)
{
	struct manager *mgr = ctx;
	struct service *service = dispatch_service_of(&mgr->env, sender);

	return service ? &service->logs : NULL;
}

void manager_child_exited(struct manager *mgr, pid_t pid, int wstatus)
{
	struct service *service = pidmap_get(&mgr->env.pids, pid);

	if (!service) {
		mgr->orphans_reaped++;
		log_debug(NULL, "reaped orphan %d", (int)pid);
		return;
	}
	service_child_exited(service, pid, wstatus);
}

void manager_stop_all(struct manager *mgr)
{
	jobs_stop_all(&mgr->jobs);
}

void manager_close_log_files(struct manager *mgr)
{
	for (struct service *s = mgr->env.first; s; s = s->next)
		logs_service_close_file(&s->logs);
}

bool manager_is_idle(const struct manager *mgr)
{
	return mgr->jobs.n_jobs == 0 && mgr->env.pids.live == 0 &&
	       mgr->env.n_transitional == 0;
}

bool manager_is_starting(const struct manager *mgr)
{
	return mgr->jobs.n_start_jobs != 0 || mgr->env.n_starting != 0;
}
