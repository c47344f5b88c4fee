#include "manager.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "creds.h"
#include "execenv.h"
#include "jobs.h"
#include "log.h"
#include "spawn.h"
#include "strv.h"
#include "wants.h"

const char *service_load_name(enum service_load load)
{
	switch (load) {
	case SERVICE_LOADED:
		return "loaded";
	case SERVICE_MASKED:
		return "masked";
	default:
		return "error";
	}
}

/* Collects what the unit parser reports: logged as it comes, the first
 * error kept for status. */
struct load_report {
	char *first_error;
};

static void load_diag(void *ctx, enum unit_diag_level level, const char *message)
{
	struct load_report *report = ctx;

	log_msg(level == UNIT_DIAG_ERROR ? LOG_LEVEL_ERROR : LOG_LEVEL_WARNING,
		NULL, "%s", message);
	if (level == UNIT_DIAG_ERROR && report && !report->first_error)
		report->first_error = strdup(message);
}

static struct service *service_of(struct svc *svc)
{
	return svc->owner;
}

/* --- effects for the state machine (struct svc_ops) --- */

static void status_io_cb(struct ev_loop *loop, ev_io *w, int revents);
static void control_io_cb(struct ev_loop *loop, ev_io *w, int revents);
static void remove_runtime_directory(struct service *service);

static void close_pipe(struct manager *mgr, ev_io *io)
{
	if (!ev_is_active(io))
		return;
	ev_io_stop(mgr->loop, io);
	close(io->fd);
	io->fd = -1;
}

static struct execenv_ctx exec_ctx(const struct manager *mgr)
{
	return (struct execenv_ctx){
		.notify_socket = mgr->config.notify_socket,
		.svd_environ = mgr->config.svd_environ,
		.roots = mgr->config.directory_roots,
	};
}

/* Builds what the child applies; returns the environment (the caller
 * frees it), or NULL with why filled and logged: a setting that cannot be
 * applied fails the start, named, before any fork. */
static char **prepare_spawn(struct service *service, bool control,
			    struct creds *creds, struct spawn_request *req,
			    char *why, unsigned size)
{
	struct svc *svc = &service->svc;
	struct manager *mgr = service->mgr;
	struct execenv_ctx ctx = exec_ctx(mgr);
	char **env;

	/* Like every process svd starts: not svd's raised fd limit. */
	req->nofile_soft = mgr->config.nofile_soft;
	/* The main command gets svd's environment and stdio as they are. */
	if (service->inherit)
		return strv_copy(environ);
	if (service->runtime_dir_stale)
		remove_runtime_directory(service);
	if (creds_resolve(svc->unit, creds, why, size) < 0 ||
	    execenv_make_directories(svc->unit, &ctx, creds, why, size) < 0 ||
	    !(env = execenv_environment(svc->unit, &ctx, creds,
					control ? svc->main_pid : 0, why, size))) {
		int err = errno;

		log_error(svc->name, "%s", why);
		errno = err;
		return NULL;
	}
	execenv_stdio(svc->unit, &service->logs, req->stdio);
	req->working_directory = execenv_working_directory(svc->unit, creds);
	req->working_directory_optional = svc->unit->working_directory_optional;
	req->root_directory = svc->unit->root_directory;
	req->limits = svc->unit->limits;
	req->umask = svc->unit->umask;
	req->nice_set = svc->unit->nice_set;
	req->nice = svc->unit->nice;
	return env;
}

static pid_t op_spawn(struct svc *svc, const struct exec_cmd *cmd,
		      bool control, char *why, unsigned size)
{
	struct service *service = service_of(svc);
	struct manager *mgr = service->mgr;
	struct creds creds = {0};
	struct spawn_user user;
	struct spawn_request req = {
		.cmd = cmd,
		.unit_name = svc->name,
		.inherit = service->inherit,
		.watchdog_pid = !control && svc->unit->watchdog_usec,
	};
	char **env;
	pid_t pid;
	int status_fd, err;

	*why = '\0';
	req.env = env = prepare_spawn(service, control, &creds, &req, why, size);
	if (!env) {
		creds_free(&creds);
		return -1;
	}
	user = (struct spawn_user){ creds.uid, creds.gid, creds.groups, creds.n_groups };
	req.user = creds.switch_user ? &user : NULL;
	err = spawn_start(&req, &pid, &status_fd) < 0 ? errno : 0;
	strv_free(env);
	creds_free(&creds);
	if (err) {
		log_errno(LOG_LEVEL_ERROR, svc->name, err, "spawning %s", cmd->path);
		errno = err;
		return -1;
	}
	/* A main pid moved by MAINPID=, or a control process given up on,
	 * may still be in the map. */
	if (control && svc->control_pid) {
		pidmap_del(&mgr->pids, svc->control_pid);
		close_pipe(mgr, &service->control_io);
	} else if (!control && svc->main_pid) {
		pidmap_del(&mgr->pids, svc->main_pid);
	}
	if (pidmap_put(&mgr->pids, pid, service) < 0)
		log_errno(LOG_LEVEL_ERROR, svc->name, errno,
			  "remembering pid %d; its exit will look like an orphan's",
			  (int)pid);
	if (control) {
		ev_io_init(&service->control_io, control_io_cb, status_fd, EV_READ);
		service->control_io.data = service;
		ev_io_start(mgr->loop, &service->control_io);
		log_debug(svc->name, "spawned control process %s as pid %d",
			  cmd->path, (int)pid);
		return pid;
	}
	ev_io_init(&service->status_io, status_io_cb, status_fd, EV_READ);
	service->status_io.data = service;
	ev_io_start(mgr->loop, &service->status_io);
	log_debug(svc->name, "spawned %s as pid %d", cmd->path, (int)pid);
	return pid;
}

static void close_status_pipe(struct service *service)
{
	if (!ev_is_active(&service->status_io))
		return;
	ev_io_stop(service->mgr->loop, &service->status_io);
	close(service->status_io.fd);
	service->status_io.fd = -1;
}

/* Reads the exec status pipe and feeds the result to the state machine.
 * Returns false while nothing is there yet. */
static bool deliver_exec_status(struct service *service)
{
	struct spawn_failure failure;
	int r = spawn_read_status(service->status_io.fd, &failure);

	if (r < 0 && errno == EAGAIN)
		return false;
	close_status_pipe(service);
	if (r == 0) {
		svc_step(&service->svc, SVC_EV_EXEC_OK, 0);
	} else if (r > 0) {
		svc_step(&service->svc, SVC_EV_EXEC_FAILED,
			 SVC_EXEC_FAILURE(failure.step, failure.error));
	} else {
		log_errno(LOG_LEVEL_ERROR, service->svc.name, errno,
			  "reading exec status");
	}
	return true;
}

static void status_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	deliver_exec_status(w->data);
}

/* The control process's exec status: only a failure is news. */
static void deliver_control_status(struct service *service)
{
	struct spawn_failure failure;
	int r = spawn_read_status(service->control_io.fd, &failure);

	if (r < 0 && errno == EAGAIN)
		return;
	close_pipe(service->mgr, &service->control_io);
	if (r > 0)
		svc_step(&service->svc, SVC_EV_CONTROL_EXEC_FAILED, failure.error);
	else if (r < 0)
		log_errno(LOG_LEVEL_ERROR, service->svc.name, errno,
			  "reading a control process's exec status");
}

static void control_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	deliver_control_status(w->data);
}

static void op_kill_control(struct svc *svc, int signo)
{
	pid_t pid = svc->control_pid;

	/* It runs in a session of its own: its group goes with it. */
	if (pid && kill(-pid, signo) < 0 && kill(pid, signo) < 0 && errno != ESRCH)
		log_errno(LOG_LEVEL_WARNING, svc->name, errno, "kill %d SIG%s",
			  (int)pid, value_signal_name(signo));
}

static const char *main_pid_refusal(const struct service *service, pid_t pid);

/* PIDFile=: one number, the daemon's pid. */
static pid_t read_pid_file(const char *path, char *why, unsigned size)
{
	FILE *f = fopen(path, "re");
	long pid = 0;
	char extra;

	if (!f) {
		snprintf(why, size, "PIDFile=%s: %s", path, strerror(errno));
		return 0;
	}
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 1 || pid > INT32_MAX ||
	    fscanf(f, " %c", &extra) == 1) {
		snprintf(why, size, "PIDFile=%s: not a process id", path);
		pid = 0;
	}
	fclose(f);
	return (pid_t)pid;
}

/* Without PIDFile=: the one child of svd that no service owns (the
 * daemon, re-parented to svd, the subreaper, when its parent exited). */
static int proc_ids(pid_t pid, pid_t *ppid, pid_t *sid);

/* A process left in the session of another service is that service's
 * (its own daemon, not yet read from its PIDFile=), not a candidate. */
static bool in_other_session(const struct manager *mgr,
			     const struct service *service, pid_t pid)
{
	pid_t ppid, sid;

	if (proc_ids(pid, &ppid, &sid) < 0)
		return false;
	for (size_t i = 0; i < mgr->n_services; i++) {
		const struct service *other = mgr->services[i];

		if (other != service && other->svc.pgid == sid)
			return true;
	}
	return false;
}

static pid_t guess_main_pid(struct manager *mgr, const struct service *service,
			    char *why, unsigned size)
{
	char path[64];
	FILE *f;
	int pid, found = 0, candidates = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	f = fopen(path, "re");
	if (!f) {
		snprintf(why, size, "%s: %s", path, strerror(errno));
		return 0;
	}
	while (fscanf(f, "%d", &pid) == 1)
		if (!pidmap_get(&mgr->pids, pid) &&
		    !in_other_session(mgr, service, pid)) {
			found = pid;
			candidates++;
		}
	fclose(f);
	if (candidates == 1)
		return found;
	snprintf(why, size, "no PIDFile=, and %d processes it may have left: "
		 "cannot tell which is the daemon", candidates);
	return 0;
}

static pid_t op_find_main(struct svc *svc, char *why, unsigned size)
{
	struct service *service = service_of(svc);
	struct manager *mgr = service->mgr;
	const char *refused;
	pid_t pid = svc->unit->pid_file ?
		    read_pid_file(svc->unit->pid_file, why, size) :
		    guess_main_pid(mgr, service, why, size);

	if (!pid)
		return 0;
	refused = main_pid_refusal(service, pid);
	/* Its own session, or svd's child: a daemon that double-forked
	 * and called setsid() qualifies as the latter. */
	if (refused) {
		snprintf(why, size, "main pid %d: %s", (int)pid, refused);
		return 0;
	}
	if (pidmap_put(&mgr->pids, pid, service) < 0) {
		snprintf(why, size, "main pid %d: %s", (int)pid, strerror(errno));
		return 0;
	}
	log_debug(svc->name, "main pid %d (%s)", (int)pid,
		  svc->unit->pid_file ? svc->unit->pid_file : "guessed");
	return pid;
}

static void op_forget_control(struct svc *svc)
{
	struct service *service = service_of(svc);

	close_pipe(service->mgr, &service->control_io);
	if (svc->control_pid)
		pidmap_del(&service->mgr->pids, svc->control_pid);
}

static void op_kill(struct svc *svc, int signo, bool group)
{
	pid_t target = group && svc->pgid ? -svc->pgid : svc->main_pid;

	if (target == 0)
		return;
	if (kill(target, signo) == 0)
		return;
	if (errno == ESRCH && group && svc->main_pid && kill(svc->main_pid, signo) == 0)
		return;
	if (errno != ESRCH)
		log_errno(LOG_LEVEL_WARNING, svc->name, errno, "kill %d SIG%s",
			  (int)target, value_signal_name(signo));
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct service *service = w->data;

	svc_step(&service->svc, SVC_EV_TIMER, 0);
}

static void op_timer_arm(struct svc *svc, double seconds)
{
	struct service *service = service_of(svc);

	ev_timer_stop(service->mgr->loop, &service->timer);
	ev_timer_set(&service->timer, seconds, 0.);
	ev_timer_start(service->mgr->loop, &service->timer);
}

static void op_timer_stop(struct svc *svc)
{
	struct service *service = service_of(svc);

	ev_timer_stop(service->mgr->loop, &service->timer);
}

static double op_now(struct svc *svc)
{
	return ev_now(service_of(svc)->mgr->loop);
}

static void op_forget_pid(struct svc *svc)
{
	struct service *service = service_of(svc);

	close_status_pipe(service);
	if (svc->main_pid)
		pidmap_del(&service->mgr->pids, svc->main_pid);
}

static uint64_t watchdog_period_usec(const struct service *service)
{
	return service->watchdog_usec ? service->watchdog_usec :
	       service->svc.unit ? service->svc.unit->watchdog_usec : 0;
}

/* The keep-alive clock runs while the service runs (after READY=1 for
 * a notify service): from then on each WATCHDOG=1 winds it up again. */
static void watchdog_update(struct service *service)
{
	struct ev_loop *loop = service->mgr->loop;
	uint64_t usec = watchdog_period_usec(service);

	ev_timer_stop(loop, &service->watchdog);
	if (!svc_is_running(&service->svc) || usec == 0)
		return;
	ev_timer_set(&service->watchdog, (double)usec / 1e6, 0.);
	ev_timer_start(loop, &service->watchdog);
}

static void watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct service *service = w->data;

	svc_step(&service->svc, SVC_EV_WATCHDOG, 0);
}

/* Its log says what happened to it, as journalctl -u shows systemd's
 * lines among the service's own. Written as the change is recorded: the
 * cause of each change is known only then. */
static void note_state(struct service *service, enum svc_state old_state)
{
	char cause[300];

	if (service->node.is_target)
		return;
	logs_service_note(&service->logs, "%s -> %s: %s",
			  svc_state_name(old_state),
			  svc_state_name(service->svc.state),
			  svc_describe_cause(&service->svc, cause, sizeof(cause)));
}

/* Waiting for its RestartSec= to pass. TODO(svc.h): svc_is_auto_restart(). */
static bool is_auto_restart(const struct svc *svc)
{
	return svc_state_is_down(svc->state) && !svc_has_ended(svc);
}

/* RuntimeDirectory= lives while the service does, unless preserved. */
static bool runtime_directory_ends(const struct service *service)
{
	const struct svc *svc = &service->svc;
	enum unit_preserve preserve;

	if (!svc->unit || !svc->unit->directories[UNIT_DIR_RUNTIME])
		return false;
	preserve = svc->unit->runtime_directory_preserve;
	if (is_auto_restart(svc))
		return preserve == UNIT_PRESERVE_NO;
	/* Inactive or failed. */
	if (!svc_has_ended(svc) || svc_is_up(svc))
		return false;
	/* Down with a start queued (svctl restart): a restart. */
	if (service->node.start_job)
		return preserve == UNIT_PRESERVE_NO;
	return preserve != UNIT_PRESERVE_YES;
}

static void remove_runtime_directory(struct service *service)
{
	struct svc *svc = &service->svc;

	service->runtime_dir_stale = false;
	execenv_remove_runtime(svc->unit, &(struct execenv_ctx){
		.roots = service->mgr->config.directory_roots }, svc->name);
}

/* Records the change, and only that: the reactions (its own bookkeeping,
 * jobs, the daemon's) run after the step, from the event loop. A change
 * with old_state the current state is news all the same (a control
 * process of a phase left behind ended: the service may be idle now). */
static void op_state_changed(struct svc *svc, enum svc_state old_state)
{
	struct service *service = service_of(svc);
	struct manager *mgr = service->mgr;

	svc->state_since_wall = ev_time();
	if (svc->state != old_state) {
		note_state(service, old_state);
		if (!svc_is_running(svc))
			service->watchdog_usec = 0;
		/* Decided now, as the state is left: done before the next
		 * spawn at the latest (a restart inside this very step). */
		if (runtime_directory_ends(service))
			service->runtime_dir_stale = true;
	}
	if (!service->changed_queued) {
		service->changed_queued = true;
		service->changed_really = false;
		service->changed_from = old_state;
		service->changed_next = NULL;
		if (mgr->changed_last)
			mgr->changed_last->changed_next = service;
		else
			mgr->changed_first = service;
		mgr->changed_last = service;
	}
	service->changed_really |= svc->state != old_state;
}

/* --- reactions, after the step --- */

/* The state as jobs sees it. */
static enum jobs_state state_of(const struct svc *svc)
{
	if (svc_is_starting(svc))
		return JOBS_STARTING;
	if (svc_is_stopping(svc))
		return JOBS_STOPPING;
	if (svc_is_failed(svc))
		return JOBS_FAILED;
	return svc_is_up(svc) ? JOBS_UP : JOBS_DOWN;
}

/* The same for a state left behind, from what svc.h tells of a bare
 * state: starting reads as up and failed as down, which is all jobs
 * asks of an old state (was it up?). TODO(svc.h): predicates that take
 * a state, or the old state's jobs_state recorded by svc. */
static enum jobs_state state_of_old(enum svc_state state)
{
	if (svc_state_is_up(state))
		return JOBS_UP;
	return svc_state_is_down(state) ? JOBS_DOWN : JOBS_STOPPING;
}

static struct service *changes_pop(struct manager *mgr)
{
	struct service *service = mgr->changed_first;

	if (!service)
		return NULL;
	mgr->changed_first = service->changed_next;
	if (!mgr->changed_first)
		mgr->changed_last = NULL;
	service->changed_next = NULL;
	service->changed_queued = false;
	return service;
}

static void changes_forget(struct manager *mgr, struct service *service)
{
	struct service **p = &mgr->changed_first, *prev = NULL;

	if (!service->changed_queued)
		return;
	while (*p && *p != service) {
		prev = *p;
		p = &(*p)->changed_next;
	}
	if (*p)
		*p = service->changed_next;
	if (mgr->changed_last == service)
		mgr->changed_last = prev;
	service->changed_queued = false;
}

/* What a change means for the service itself: its keep-alive clock,
 * its RuntimeDirectory=. */
static void service_react(struct service *service)
{
	watchdog_update(service);
	/* Still stale: no spawn came since, so nothing uses it. */
	if (service->runtime_dir_stale)
		remove_runtime_directory(service);
}

/* An exit held back behind its exec's news (manager_child_exited). */
static void deliver_held_exit(struct service *service)
{
	pid_t pid = service->exit_pid;

	service->exit_pid = 0;
	if (pid && service->svc.main_pid == pid)
		svc_step(&service->svc, SVC_EV_EXIT, service->exit_wstatus);
}

/* The reactions, in a fixed order for each change: the service's own,
 * then jobs (which may step other services: their changes queue up
 * behind), then the daemon's (clients, container, boot, shutdown).
 * Drains until nothing is left, so no step ever runs inside another. */
static void react_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct manager *mgr = w->data;

	for (;;) {
		struct service *service = changes_pop(mgr);
		bool done = false;

		if (service && service->changed_really) {
			service_react(service);
			jobs_changed(&mgr->jobs, &service->node,
				     state_of_old(service->changed_from),
				     state_of(&service->svc));
		}
		done = jobs_run(&mgr->jobs) > 0;
		if (service && mgr->config.on_change)
			mgr->config.on_change(mgr->config.ctx, service);
		if (service)
			deliver_held_exit(service);
		if (done && mgr->config.on_change)
			mgr->config.on_change(mgr->config.ctx, NULL);
		if (!service && !done)
			return;
	}
}

static enum condition_verdict op_check_conditions(struct svc *svc, char *why,
						  unsigned size)
{
	return condition_check(svc->unit, why, size);
}

static const struct svc_ops service_ops = {
	.spawn = op_spawn,
	.kill_control = op_kill_control,
	.forget_control = op_forget_control,
	.find_main = op_find_main,
	.kill = op_kill,
	.timer_arm = op_timer_arm,
	.timer_stop = op_timer_stop,
	.now = op_now,
	.forget_pid = op_forget_pid,
	.check_conditions = op_check_conditions,
	.state_changed = op_state_changed,
};

/* --- the table --- */

static int compare_service_name(const void *key, const void *elem)
{
	const struct service *const *service = elem;

	return strcmp(key, (*service)->svc.name);
}

static struct service *lookup(const struct manager *mgr, const char *name)
{
	struct service **found;

	if (mgr->n_services == 0)
		return NULL;	/* bsearch must not see a NULL array */
	found = bsearch(name, mgr->services, mgr->n_services,
					 sizeof(*mgr->services),
					 compare_service_name);

	return found ? *found : NULL;
}

static int insert(struct manager *mgr, struct service *service)
{
	size_t at = 0;

	if (mgr->n_services == MANAGER_SERVICES_MAX) {
		errno = ENOSPC;
		return -1;
	}
	if (mgr->n_services == mgr->cap_services) {
		size_t cap = mgr->cap_services ? mgr->cap_services * 2 : 64;
		struct service **grown = realloc(mgr->services, cap * sizeof(*grown));

		if (!grown)
			return -1;
		mgr->services = grown;
		mgr->cap_services = cap;
	}
	while (at < mgr->n_services &&
	       strcmp(mgr->services[at]->svc.name, service->svc.name) < 0)
		at++;
	memmove(&mgr->services[at + 1], &mgr->services[at],
		(mgr->n_services - at) * sizeof(*mgr->services));
	mgr->services[at] = service;
	mgr->n_services++;
	return 0;
}

static char *disabled_mark_path(const struct manager *mgr, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/disabled/%s", mgr->config.state_dir, name) < 0)
		return NULL;
	return path;
}

static bool is_enabled(const struct manager *mgr, const char *name)
{
	char *path = disabled_mark_path(mgr, name);
	bool enabled = !path || access(path, F_OK) != 0;

	free(path);
	return enabled;
}

static struct service *service_new(struct manager *mgr, const char *name)
{
	struct service *service = calloc(1, sizeof(*service));

	if (!service)
		return NULL;
	if (svc_init(&service->svc, name, NULL, &service_ops, service) < 0) {
		free(service);
		return NULL;
	}
	service->mgr = mgr;
	ev_timer_init(&service->timer, timer_cb, 0., 0.);
	service->timer.data = service;
	ev_io_init(&service->status_io, status_io_cb, -1, EV_READ);
	service->status_io.data = service;
	ev_io_init(&service->control_io, control_io_cb, -1, EV_READ);
	service->control_io.data = service;
	ev_timer_init(&service->watchdog, watchdog_cb, 0., 0.);
	service->watchdog.data = service;
	service->enabled = is_enabled(mgr, name);
	if (logs_service_init(&service->logs, mgr->config.logs, name) < 0) {
		svc_destroy(&service->svc);
		free(service);
		return NULL;
	}
	if (insert(mgr, service) < 0) {
		logs_service_free(&service->logs);
		svc_destroy(&service->svc);
		free(service);
		return NULL;
	}
	jobs_node_add(&mgr->jobs, &service->node);
	return service;
}

static void service_free(struct service *service)
{
	changes_forget(service->mgr, service);
	jobs_node_remove(&service->mgr->jobs, &service->node);
	ev_timer_stop(service->mgr->loop, &service->timer);
	ev_timer_stop(service->mgr->loop, &service->watchdog);
	close_status_pipe(service);
	if (service->svc.main_pid)
		pidmap_del(&service->mgr->pids, service->svc.main_pid);
	op_forget_control(&service->svc);
	logs_service_free(&service->logs);
	svc_destroy(&service->svc);
	free(service->load_error);
	free(service->path);
	free(service);
}

/* Gives a service its (re)loaded definition. A running service whose file
 * now has errors keeps its old definition and reports the error. */
static void service_set_definition(struct service *service, const char *path,
				   enum service_load load, struct unit *unit,
				   char *error)
{
	/* path may be service->path itself (instances on reload): copy first. */
	char *path_copy = path ? strdup(path) : NULL;

	free(service->load_error);
	service->load_error = error;
	free(service->path);
	service->path = path_copy;
	if (load == SERVICE_LOAD_ERROR && service->svc.unit &&
	    svc_is_busy(&service->svc))
		return;
	service->load = load;
	svc_replace_unit(&service->svc, unit);
	unit = service->svc.unit;
	if (unit && logs_service_configure(&service->logs, unit->syslog_identifier,
					   unit->std_output == UNIT_STDIO_LOG_CONSOLE ||
					   unit->std_error == UNIT_STDIO_LOG_CONSOLE) < 0)
		log_errno(LOG_LEVEL_ERROR, service->svc.name, errno,
			  "SyslogIdentifier=: keeping the previous one");
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

	return service->path ? service->path : node->is_target ?
	       "made up by svd" : "no file";
}

static enum jobs_state node_state(const struct jobs_node *node)
{
	return state_of(&cservice_of_node(node)->svc);
}

static bool node_enabled(const struct jobs_node *node)
{
	return cservice_of_node(node)->enabled;
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
	size_t len = strlen(name);
	struct service *service;

	if (len > 7 && strcmp(name + len - 7, ".target") == 0)
		service = manager_target(mgr, name);
	else
		service = manager_get(mgr, name, why);
	return service ? &service->node : NULL;
}

static const struct jobs_ops jobs_ops = {
	.name = node_name,
	.unit = node_unit,
	.file = node_file,
	.state = node_state,
	.enabled = node_enabled,
	.refusal = node_refusal,
	.start = node_start,
	.stop = node_stop,
	.fail = node_fail,
	.find = node_find,
};

int manager_init(struct manager *mgr, struct ev_loop *loop,
		 const struct manager_config *config)
{
	*mgr = (struct manager){ .loop = loop, .config = *config };
	pidmap_init(&mgr->pids);
	jobs_init(&mgr->jobs, &jobs_ops, mgr);
	ev_prepare_init(&mgr->react, react_cb);
	mgr->react.data = mgr;
	ev_prepare_start(loop, &mgr->react);
	ev_unref(loop);
	mgr->load_ctx = (struct unit_load_ctx){
		.dirs = config->unit_dirs,
		.n_dirs = config->n_unit_dirs,
		.spec = { .hostname = config->hostname },
		.diag = load_diag,
	};
	return 0;
}

void manager_free(struct manager *mgr)
{
	ev_ref(mgr->loop);
	ev_prepare_stop(mgr->loop, &mgr->react);
	jobs_free(&mgr->jobs);
	for (size_t i = 0; i < mgr->n_services; i++)
		service_free(mgr->services[i]);
	free(mgr->services);
	strv_free(mgr->aliases);
	pidmap_free(&mgr->pids);
}

/* Loads one unit file (or instance) into the table, creating or updating
 * its service. */
static struct service *load_into(struct manager *mgr, const char *name,
				 const char *path, enum unit_file_kind kind)
{
	struct service *service = lookup(mgr, name);
	struct load_report report = {0};
	struct unit_load_ctx ctx = mgr->load_ctx;
	struct unit *unit = NULL;
	enum service_load load = SERVICE_LOADED;

	ctx.diag_ctx = &report;
	if (kind == UNIT_FILE_MASKED)
		load = SERVICE_MASKED;
	else if (unit_load_file(&ctx, path, NULL, &unit) < 0)
		load = SERVICE_LOAD_ERROR;
	if (!service)
		service = service_new(mgr, name);
	if (!service) {
		log_errno(LOG_LEVEL_ERROR, name, errno, "adding service");
		unit_free(unit);
		free(report.first_error);
		return NULL;
	}
	if (load == SERVICE_LOAD_ERROR && !report.first_error)
		report.first_error = strdup("unit file has errors");
	service_set_definition(service, path, load, unit, report.first_error);
	service->seen = true;
	return service;
}

static void add_alias(struct manager *mgr, char ***aliases,
		      const struct unit_file *file)
{
	char *entry;

	if (asprintf(&entry, "%s=%s", file->name, file->alias_of) < 0 ||
	    strv_push_take(aliases, entry) < 0)
		log_errno(LOG_LEVEL_ERROR, file->name, ENOMEM, "recording alias");
}

/* Services whose file is gone are dropped once they have nothing running;
 * instances of templates are re-read from their template. */
static void sweep_unseen(struct manager *mgr)
{
	size_t kept = 0;

	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *service = mgr->services[i];

		if (!service->seen && !service->inherit && !service->node.is_target &&
		    !service->node.start_job && !service->node.stop_job &&
		    !svc_is_busy(&service->svc) &&
		    !(svc_has_ended(&service->svc) && svc_is_up(&service->svc))) {
			log_info(service->svc.name, "unit file gone: removed");
			service_free(service);
			continue;
		}
		mgr->services[kept++] = service;
	}
	mgr->n_services = kept;
}

static void reload_instances(struct manager *mgr)
{
	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *service = mgr->services[i];
		struct load_report report = {0};
		struct unit_load_ctx ctx = mgr->load_ctx;
		struct unit *unit = NULL;
		enum unit_lookup found;

		if (service->seen || !strchr(service->svc.name, '@'))
			continue;
		ctx.diag_ctx = &report;
		found = unit_load_name(&ctx, service->svc.name, &unit);
		if (found == UNIT_LOOKUP_OK || found == UNIT_LOOKUP_BAD) {
			service->seen = true;
			service_set_definition(service, unit ? unit->path :
					       service->path,
					       found == UNIT_LOOKUP_OK ?
					       SERVICE_LOADED : SERVICE_LOAD_ERROR,
					       unit, report.first_error);
		} else {
			free(report.first_error);
		}
	}
}

static void wants_diag(void *ctx, const char *path, int err)
{
	log_errno(LOG_LEVEL_WARNING, NULL, err, "%s", path);
}

int manager_load_all(struct manager *mgr)
{
	struct wants wants = {0};
	struct unit_file *files;
	char **aliases = NULL;
	size_t n_files;

	if (unit_dir_list(&mgr->load_ctx, &files, &n_files) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "listing unit directories");
		return -1;
	}
	for (size_t i = 0; i < mgr->n_services; i++)
		mgr->services[i]->seen = false;
	for (size_t i = 0; i < n_files; i++) {
		switch (files[i].kind) {
		case UNIT_FILE_REGULAR:
		case UNIT_FILE_MASKED:
			load_into(mgr, files[i].name, files[i].path, files[i].kind);
			break;
		case UNIT_FILE_ALIAS:
			add_alias(mgr, &aliases, &files[i]);
			break;
		case UNIT_FILE_TEMPLATE:
			break;	/* instances load on first use */
		}
	}
	unit_files_free(files, n_files);
	strv_free(mgr->aliases);
	mgr->aliases = aliases;
	reload_instances(mgr);
	sweep_unseen(mgr);
	if (wants_scan(mgr->config.unit_dirs, mgr->config.n_unit_dirs, &wants,
		       wants_diag, NULL) < 0)
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "reading .wants/ and "
			  ".requires/ directories");
	jobs_resolve(&mgr->jobs, &wants);
	wants_free(&wants);
	return 0;
}

void manager_start_enabled(struct manager *mgr)
{
	struct service *target;

	/* Queueing adds nothing to the table, so indexes stay valid. */
	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *service = mgr->services[i];

		if (service->inherit)
			continue;
		if (service->load == SERVICE_LOADED && service->enabled &&
		    !service->node.is_target)
			jobs_start(&mgr->jobs, &service->node);
		else if (!service->enabled)
			log_debug(service->svc.name, "disabled: not started");
	}
	target = manager_target(mgr, JOBS_DEFAULT_TARGET);
	if (target)
		jobs_start(&mgr->jobs, &target->node);
}

static struct service *load_instance(struct manager *mgr, const char *name,
				     const char **error)
{
	struct load_report report = {0};
	struct unit_load_ctx ctx = mgr->load_ctx;
	struct unit *unit = NULL;
	struct service *service;

	ctx.diag_ctx = &report;
	switch (unit_load_name(&ctx, name, &unit)) {
	case UNIT_LOOKUP_OK:
	case UNIT_LOOKUP_BAD:
		break;
	case UNIT_LOOKUP_TEMPLATE:
		*error = "is a template: name an instance, as in NAME@INSTANCE";
		return NULL;
	case UNIT_LOOKUP_MASKED:
		*error = "unit is masked";
		return NULL;
	default:
		*error = "no such unit";
		return NULL;
	}
	service = service_new(mgr, name);
	if (!service) {
		unit_free(unit);
		free(report.first_error);
		*error = "out of memory";
		return NULL;
	}
	service_set_definition(service, unit ? unit->path : NULL,
			       unit ? SERVICE_LOADED : SERVICE_LOAD_ERROR, unit,
			       report.first_error);
	return service;
}

struct service *manager_get(struct manager *mgr, const char *name,
			    const char **error)
{
	char *canonical;
	struct service *service;
	const char *target;
	size_t len = strlen(name);

	/* Targets exist once named by a unit (or are well known). */
	if (len > 7 && strcmp(name + len - 7, ".target") == 0) {
		service = lookup(mgr, name);
		if (!service)
			*error = "no such unit";
		return service;
	}
	canonical = unit_name_normalize(name);
	if (!canonical) {
		*error = "invalid unit name";
		return NULL;
	}
	service = lookup(mgr, canonical);
	target = service ? NULL : strv_env_get(mgr->aliases, canonical);
	if (target)
		service = lookup(mgr, target);
	if (!service && !target && strchr(canonical, '@'))
		service = load_instance(mgr, canonical, error);
	else if (!service)
		*error = "no such unit";
	free(canonical);
	return service;
}

void manager_start(struct manager *mgr, struct service *service)
{
	jobs_start(&mgr->jobs, &service->node);
}

void manager_stop(struct manager *mgr, struct service *service)
{
	jobs_stop(&mgr->jobs, &service->node);
}

struct service *manager_find(struct manager *mgr, const char *name,
			     const char **error)
{
	size_t before = mgr->n_services;
	struct service *service = manager_get(mgr, name, error);

	/* A new instance's dependencies (and what they made). */
	if (mgr->n_services != before)
		jobs_link_new(&mgr->jobs);
	return service;
}

int manager_set_enabled(struct manager *mgr, struct service *service,
			bool enabled)
{
	char *path = disabled_mark_path(mgr, service->svc.name);
	char *dir;
	int fd, r = -1;

	if (!path)
		return -1;
	if (enabled) {
		r = unlink(path) < 0 && errno != ENOENT ? -1 : 0;
		goto out;
	}
	if (asprintf(&dir, "%s/disabled", mgr->config.state_dir) < 0)
		goto out;
	if ((mkdir(mgr->config.state_dir, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		free(dir);
		goto out;
	}
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		r = close(fd);
out:
	if (r == 0)
		service->enabled = enabled;
	free(path);
	return r;
}

void manager_child_exited(struct manager *mgr, pid_t pid, int wstatus)
{
	struct service *service = pidmap_get(&mgr->pids, pid);

	if (!service) {
		mgr->orphans_reaped++;
		log_debug(NULL, "reaped orphan %d", (int)pid);
		return;
	}
	/* What it wrote before it exited comes before the news of its exit. */
	logs_service_drain(&service->logs);
	/* The exit may overtake the exec status pipe: hear the pipe first so
	 * an exec failure is not mistaken for a plain exit. */
	if (service->svc.control_pid == pid) {
		if (ev_is_active(&service->control_io))
			deliver_control_status(service);
		svc_step(&service->svc, SVC_EV_CONTROL_EXIT, wstatus);
		return;
	}
	if (ev_is_active(&service->status_io) && deliver_exec_status(service) &&
	    service->changed_queued && service->svc.main_pid == pid) {
		/* The exec's news is heard first, reactions included: a start
		 * that ran and then crashed did start. The exit follows once
		 * they ran (react_cb). */
		service->exit_pid = pid;
		service->exit_wstatus = wstatus;
		return;
	}
	if (service->svc.main_pid == pid)
		svc_step(&service->svc, SVC_EV_EXIT, wstatus);
}

void manager_stop_all(struct manager *mgr)
{
	jobs_stop_all(&mgr->jobs);
}

void manager_close_log_files(struct manager *mgr)
{
	for (size_t i = 0; i < mgr->n_services; i++)
		logs_service_close_file(&mgr->services[i]->logs);
}

/* A target is a unit with nothing to run that stays active once
 * started: what oneshot with RemainAfterExit=yes and no command does. */
static struct unit *target_unit(const char *name)
{
	struct unit *unit = unit_new();

	if (!unit)
		return NULL;
	unit->name = strdup(name);
	if (!unit->name || asprintf(&unit->description, "target %s", name) < 0) {
		unit->description = NULL;
		unit_free(unit);
		return NULL;
	}
	unit->type = UNIT_TYPE_ONESHOT;
	unit->remain_after_exit = true;
	unit->timeout_start_usec = USEC_INFINITY;
	unit->start_limit_burst = 0;
	return unit;
}

struct service *manager_target(struct manager *mgr, const char *name)
{
	struct service *service = lookup(mgr, name);
	struct unit *unit;

	if (service)
		return service;
	unit = target_unit(name);
	service = unit ? service_new(mgr, name) : NULL;
	if (!service) {
		log_errno(LOG_LEVEL_ERROR, name, ENOMEM, "making the target");
		unit_free(unit);
		return NULL;
	}
	svc_replace_unit(&service->svc, unit);
	service->node.is_target = true;
	service->load = SERVICE_LOADED;
	service->seen = true;
	return service;
}

struct service *manager_add_main(struct manager *mgr, struct unit *unit,
				 const struct spawn_inherit *inherit)
{
	struct service *service;

	if (lookup(mgr, unit->name)) {
		/* A unit file of that name: the command wins the name. */
		errno = EEXIST;
		unit_free(unit);
		return NULL;
	}
	service = service_new(mgr, unit->name);
	if (!service) {
		unit_free(unit);
		return NULL;
	}
	service->inherit = inherit;
	service->node.external = true;
	service->svc.quiet = true;
	service->seen = true;
	svc_replace_unit(&service->svc, unit);
	return service;
}

bool manager_is_idle(const struct manager *mgr)
{
	if (mgr->jobs.n_jobs)
		return false;
	for (size_t i = 0; i < mgr->n_services; i++)
		if (svc_is_busy(&mgr->services[i]->svc))
			return false;
	return true;
}

/* --- sd_notify --- */

/* The service whose session sender is in: what NotifyAccess=all lets
 * speak (svd gives each service a session of its own). */
static struct service *service_of_session(struct manager *mgr, pid_t sender)
{
	pid_t sid = getsid(sender);

	if (sid <= 0)
		return NULL;
	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *service = mgr->services[i];

		if (service->svc.pgid == sid && svc_is_busy(&service->svc))
			return service;
	}
	return NULL;
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

/* The parent and session of pid from /proc, or -1. */
static int proc_ids(pid_t pid, pid_t *ppid, pid_t *sid)
{
	char path[64];
	FILE *f;
	int parent, session, r = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	/* The command name may hold blanks: parse after its ')'. */
	if (fscanf(f, "%*d (%*[^)]) %*c %d %*d %d", &parent, &session) == 2) {
		*ppid = parent;
		*sid = session;
		r = 0;
	}
	fclose(f);
	return r;
}

static pid_t parent_of(pid_t pid)
{
	pid_t ppid, sid;

	return proc_ids(pid, &ppid, &sid) < 0 ? 0 : ppid;
}

/* Why MAINPID=pid is refused, or NULL. Only a process of the service's
 * own (its session, or a child svd inherited from it) may become its main
 * process: never svd, never another service's, never one svd could not
 * reap. */
static const char *main_pid_refusal(const struct service *service, pid_t pid)
{
	const struct svc *svc = &service->svc;
	struct service *owner = pidmap_get(&service->mgr->pids, pid);

	if (!svc_is_starting(svc) && !svc_is_running(svc))
		return "only while starting or running";
	if (pid == getpid())
		return "that is svd";
	if (owner && owner != service)
		return "it is another service's";
	if (kill(pid, 0) < 0)
		return "no such process";
	if (getsid(pid) != svc->pgid && parent_of(pid) != getpid())
		return "not a process of this service";
	return NULL;
}

static void set_main_pid(struct service *service, pid_t pid)
{
	struct svc *svc = &service->svc;
	struct manager *mgr = service->mgr;
	const char *refusal;

	if (pid == svc->main_pid)
		return;
	refusal = main_pid_refusal(service, pid);
	if (refusal) {
		log_debug(svc->name, "MAINPID=%d refused: %s", (int)pid, refusal);
		return;
	}
	if (pidmap_put(&mgr->pids, pid, service) < 0) {
		log_errno(LOG_LEVEL_WARNING, svc->name, errno, "MAINPID=%d", (int)pid);
		return;
	}
	if (svc->main_pid)
		pidmap_del(&mgr->pids, svc->main_pid);
	log_debug(svc->name, "main pid is now %d (MAINPID=)", (int)pid);
	svc_step(svc, SVC_EV_MAIN_PID, pid);
}

void manager_notify(void *ctx, pid_t sender, const struct notify_msg *msg)
{
	struct manager *mgr = ctx;
	struct service *service = pidmap_get(&mgr->pids, sender);
	struct svc *svc;

	if (!service)
		service = service_of_session(mgr, sender);
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
		svc->status_errno = msg->errno_value;
	if (msg->main_pid)
		set_main_pid(service, msg->main_pid);
	if (msg->watchdog_usec) {
		service->watchdog_usec = msg->watchdog_usec;
		watchdog_update(service);
	}
	if (msg->watchdog)
		watchdog_update(service);
	/* At debug: a service saying it a thousand times costs nothing. */
	if (msg->stopping)
		log_debug(svc->name, "says it is stopping (STOPPING=1)");
	if (msg->reloading)
		log_debug(svc->name, "says it is reloading (RELOADING=1)");
	if (msg->extend_timeout_usec)
		svc_step(svc, SVC_EV_EXTEND_TIMEOUT,
			 msg->extend_timeout_usec / 1000 > INT_MAX ? INT_MAX :
			 (int)(msg->extend_timeout_usec / 1000));
	if (msg->ready)
		svc_step(svc, SVC_EV_READY, 0);
	if (msg->watchdog_trigger)
		svc_step(svc, SVC_EV_WATCHDOG, 0);
}
