#include "service.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "actions.h"
#include "creds.h"
#include "envmap.h"
#include "log.h"
#include "madeup.h"
#include "mainpid.h"
#include "strv.h"
#include "utmp.h"

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

static struct service *service_of(struct svc *svc)
{
	return svc->owner;
}

/* --- effects for the state machine (struct svc_ops) --- */

static void status_io_cb(struct ev_loop *loop, ev_io *w, int revents);
static void control_io_cb(struct ev_loop *loop, ev_io *w, int revents);
static void remove_runtime_directory(struct service *service);

static bool queue_push(struct service_queue *q, struct service_link *link);

static bool exec_status_waiting(const struct exec_status *status)
{
	return status->pipe || status->known;
}

static void exec_status_forget(struct service_env *env, struct exec_status *status)
{
	status->known = false;
	if (!status->pipe)
		return;
	ev_io_stop(env->loop, status->pipe);
	close(status->pipe->fd);
	free(status->pipe);
	status->pipe = NULL;
}

/* Hands the exec status to the loop: a forked child's pipe to watch (its
 * watcher made for it: most children are not forked), or an outcome
 * spawn already knew, for the reactions to hear after the step. */
static void exec_status_watch(struct service *service, struct exec_status *status,
			      const struct spawn_result *result,
			      void (*cb)(struct ev_loop *, ev_io *, int))
{
	exec_status_forget(service->env, status); /* a previous one's, unheard */
	if (result->status_fd >= 0) {
		status->pipe = malloc(sizeof(*status->pipe));
		if (status->pipe) {
			ev_io_init(status->pipe, cb, result->status_fd, EV_READ);
			status->pipe->data = service;
			ev_io_start(service->env->loop, status->pipe);
			return;
		}
		/* Its exit will still be heard: a failed exec as exit 126/127. */
		log_errno(LOG_LEVEL_ERROR, service->svc.name, ENOMEM,
			  "watching pid %d's exec: taken as done", (int)result->pid);
		close(result->status_fd);
	}
	status->outcome = result->failed ? result->failure :
			  (struct spawn_failure){ .step = -1 };
	status->known = true;
	queue_push(&service->env->spawned, &service->spawned);
}

/* As spawn_read_status(), from the pipe or from the outcome known. */
static int exec_status_read(struct exec_status *status,
			    struct spawn_failure *failure)
{
	if (!status->known)
		return spawn_read_status(status->pipe->fd, failure);
	status->known = false;
	*failure = status->outcome;
	return status->outcome.step >= 0;
}

/* A container's command gets svd's environment and stdio as they are;
 * main.service.d/ may add Environment= (later wins) and User=/Group=,
 * as docker run's -e and -u would. NULL with why (ENOMEM). */
static char **command_environment(const struct unit *unit, char *why,
				  unsigned size)
{
	struct envmap env = ENVMAP_INIT;
	char **envp;

	if (envmap_put_all(&env, environ) < 0 ||
	    envmap_put_all(&env, unit->environment) < 0) {
		envmap_free(&env);
		snprintf(why, size, "environment: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	envp = envmap_take(&env);
	/* An empty environment is an empty list, not a failure. */
	return envp ? envp : calloc(1, sizeof(*envp));
}

/* Builds what the child applies; returns the environment (the caller
 * frees it), or NULL with why filled and logged: a setting that cannot be
 * applied fails the start, named, before any fork. */
static char **prepare_spawn(struct service *service, bool control,
			    struct creds *creds, struct spawn_request *req,
			    int socket_fd, char *why, unsigned size)
{
	struct svc *svc = &service->svc;
	const struct execenv_ctx *ctx = &service->env->exec;
	char **envp;

	/* Like every process svd starts: not svd's raised fd limit. */
	req->nofile_soft = service->env->nofile_soft;
	if (service->runtime_dir_stale && !service->inherit)
		remove_runtime_directory(service);
	if (service_ident_creds(service, creds, req, why, size) < 0)
		envp = NULL;
	else if (service->inherit)
		envp = command_environment(svc->unit, why, size);
	else if (execenv_make_directories(svc->unit, ctx, creds, why, size) < 0)
		envp = NULL;
	else
		envp = execenv_environment(svc->unit, ctx, creds,
					   control ? svc->main_pid : 0, why, size);
	if (!envp) {
		int err = errno;

		log_error(svc->name, "%s", why);
		errno = err;
		return NULL;
	}
	if (service->inherit)
		return envp;
	execenv_stdio(svc->unit, &service->logs, socket_fd, req->stdio);
	execenv_tty(svc->unit, &req->tty);
	req->working_directory = execenv_working_directory(svc->unit, creds);
	req->working_directory_optional = svc->unit->working_directory_optional;
	req->root_directory = svc->unit->root_directory;
	req->limits = svc->unit->limits;
	req->umask = svc->unit->umask;
	req->ignore_sigpipe = svc->unit->ignore_sigpipe;
	req->nice_set = svc->unit->nice_set;
	req->nice = svc->unit->nice;
	req->idle_pipe = service->env->idle_pipe;
	req->idle_wait = svc->unit->type == UNIT_TYPE_IDLE && !control &&
			 service->env->idle_pipe[0] >= 0;
	return envp;
}

/* sd_listen_fds(3)'s variables, but for a socket that is the process's
 * stdio (it gets no fds at 3 then) or for a control command (passed
 * NULL), and CGI's REMOTE_ADDR=/REMOTE_PORT= of an Accept=yes
 * connection (systemd.socket(5)). -1 on ENOMEM. */
static int add_listen_environment(char ***envp, const struct service *service,
				  const struct activation_fds *passed)
{
	const struct connection *c = service->connection;
	size_t names_len = 1;
	char *entry, *names;
	int r;

	if (c && c->remote_addr[0] &&
	    (asprintf(&entry, "REMOTE_ADDR=%s", c->remote_addr) < 0 ||
	     strv_push_take(envp, entry) < 0 ||
	     asprintf(&entry, "REMOTE_PORT=%s", c->remote_port) < 0 ||
	     strv_push_take(envp, entry) < 0))
		return -1;
	if (!passed || passed->stdio_fd >= 0 || passed->n == 0)
		return 0;
	for (size_t i = 0; i < passed->n; i++)
		names_len += strlen(passed->names[i]) + 1;
	if (!(names = malloc(names_len)))
		return -1;
	*names = '\0';
	for (size_t i = 0; i < passed->n; i++) {
		if (i)
			strcat(names, ":");
		strcat(names, passed->names[i]);
	}
	r = asprintf(&entry, "LISTEN_FDNAMES=%s", names);
	free(names);
	if (r < 0 || strv_push_take(envp, entry) < 0 ||
	    asprintf(&entry, "LISTEN_FDS=%zu", passed->n) < 0 ||
	    strv_push_take(envp, entry) < 0 ||
	    strv_push(envp, "LISTEN_PID=" SPAWN_WATCHDOG_PID_ROOM) < 0)
		return -1;
	return 0;
}

/* The sockets a process of service gets: all of them for the main
 * process, only StandardInput=socket's for the others. Returns -1 with
 * why filled. */
static int collect_sockets(struct service *service, struct activation_fds *passed,
			   char *why, unsigned size)
{
	const struct unit *unit = service->svc.unit;

	*passed = (struct activation_fds){ .stdio_fd = -1 };
	if (service->inherit)
		return 0;
	if (activation_collect(&service->env->listeners, service, unit,
			       service->connection, passed) < 0) {
		snprintf(why, size, "collecting its sockets: out of memory");
		return -1;
	}
	if (activation_stdio_socket(unit) && passed->stdio_fd < 0) {
		snprintf(why, size, "%s=socket: it was not started "
			 "for exactly one socket (%zu here)",
			 unit->std_input == UNIT_STDIO_SOCKET ? "StandardInput" :
			 unit->std_output == UNIT_STDIO_SOCKET ? "StandardOutput" :
			 "StandardError", passed->n);
		activation_fds_free(passed);
		errno = ENOTSOCK;
		return -1;
	}
	return 0;
}

/* '+' and '!' run the command as root whatever User= says; '!!' only
 * where the kernel has no ambient capabilities (systemd.service(5)). */
static bool runs_as_root(unsigned flags)
{
	if (flags & (EXEC_FLAG_FULL_PRIVILEGES | EXEC_FLAG_NO_SETUID))
		return true;
	return (flags & EXEC_FLAG_AMBIENT_MAGIC) && !spawn_caps_ambient_supported();
}

/* The unit's namespaces and mounts (sandbox.h), and the capabilities
 * its keys take away, into req; -1 with why. */
static int prepare_sandbox(struct service *service, const struct exec_cmd *cmd,
			   const struct creds *creds, struct spawn_request *req,
			   struct spawn_ns *ns, char *why, unsigned size)
{
	struct svc *svc = &service->svc;
	int last = req->caps.last_cap;
	uint64_t all = last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;

	if (sandbox_prepare(svc->unit, cmd->flags, &service->env->exec, creds,
			    svc->name, &service->sandbox, ns, why, size) < 0)
		return -1;
	if (ns->n_ops || ns->unshare_flags || ns->private_users)
		req->ns = ns;
	/* SANDBOX-SECCOMP: the lead wires sandbox_syscall_groups(svc->unit)
	 * to the seccomp module's "deny these groups" here after the merge. */
	if (ns->drop_caps && !(cmd->flags & EXEC_FLAG_FULL_PRIVILEGES)) {
		if (!req->caps.drop_bounding)
			req->caps.bounding = all;
		req->caps.bounding &= ~ns->drop_caps;
		req->caps.drop_bounding = true;
	}
	return 0;
}

static pid_t op_spawn(struct svc *svc, const struct exec_cmd *cmd,
		      bool control, char *why, unsigned size)
{
	struct service *service = service_of(svc);
	struct service_env *env = service->env;
	struct creds creds = {0};
	struct spawn_user user;
	struct spawn_request req = {
		.cmd = cmd,
		.unit_name = svc->name,
		.inherit = service->inherit,
		.watchdog_pid = !control && svc->unit->watchdog_usec,
	};
	struct spawn_result started;
	struct spawn_ns ns = { 0 };
	struct activation_fds passed = { .stdio_fd = -1 };
	char **envp = NULL;
	pid_t pid;
	int err;

	*why = '\0';
	if (collect_sockets(service, &passed, why, size) < 0)
		goto failed_why;
	req.env = envp = prepare_spawn(service, control, &creds, &req,
				       passed.stdio_fd, why, size);
	/* A control command of an Accept=yes instance gets REMOTE_ADDR=
	 * too, as systemd gives it; the sockets go to the main process. */
	if (envp && (service->connection || (!control && passed.n > 0))) {
		if (add_listen_environment(&envp, service,
					   control ? NULL : &passed) < 0) {
			snprintf(why, size, "environment: out of memory");
			log_error(svc->name, "%s", why);
			strv_free(envp);
			req.env = envp = NULL;
			errno = ENOMEM;
		}
		req.env = envp;
		if (!control && passed.stdio_fd < 0) {
			req.pass_fds = passed.fds;
			req.n_pass_fds = passed.n;
		}
	}
	if (!envp)
		goto failed;	/* said where it failed */
	if (service_cgroup_prepare(service, &req, why, size) < 0)
		goto failed_why;
	/* The helpers fill why ahead of a failure they might meet; it is
	 * about them only: a fork failing below is told by its errno. */
	*why = '\0';
	user = (struct spawn_user){ creds.uid, creds.gid, creds.groups, creds.n_groups };
	req.user = creds.switch_user && !runs_as_root(cmd->flags) ? &user : NULL;
	/* '+': as root, outside any of the unit's sandboxing. */
	if (cmd->flags & EXEC_FLAG_FULL_PRIVILEGES) {
		req.root_directory = NULL;
		req.private_dirs = NULL;
	}
	if (!service->inherit &&
	    spawn_caps_prepare(svc->unit, cmd->flags, &req.caps, why, size) < 0)
		goto failed_why;
	if (!service->inherit && prepare_sandbox(service, cmd, &creds, &req, &ns,
						 why, size) < 0)
		goto failed_why;
	if (spawn_seccomp_prepare(svc->unit, cmd->flags, &req.seccomp, why,
				  size) < 0) {
		const enum settings_sandbox_fallback *fallback =
			service->env->exec.sandbox_fallback;

		/* No seccomp in this kernel: as for a namespace the
		 * environment cannot give, svd.conf decides. */
		if (errno != EOPNOTSUPP || !fallback ||
		    *fallback != SETTINGS_SANDBOX_WARN)
			goto failed_why;
		log_warning(svc->name, "%s; it runs without them "
			    "(SandboxFallback=warn)", why);
		req.seccomp = (struct spawn_seccomp){0};
	}
	err = spawn_start(&req, &started) < 0 ? errno : 0;
	pid = started.pid;
	logs_service_spawned(&service->logs);
	sandbox_plan_free(&ns);
	strv_free(envp);
	creds_free(&creds);
	activation_fds_free(&passed);
	if (err) {
		log_errno(LOG_LEVEL_ERROR, svc->name, err, "spawning %s", cmd->path);
		errno = err;
		return -1;
	}
	/* A main pid moved by MAINPID=, or a control process given up on,
	 * may still be in the map. */
	if (control && svc->control_pid) {
		pidmap_del(&env->pids, svc->control_pid);
		exec_status_forget(env, &service->control_exec);
	} else if (!control && svc->main_pid) {
		pidmap_del(&env->pids, svc->main_pid);
	}
	if (pidmap_put(&env->pids, pid, service) < 0)
		log_errno(LOG_LEVEL_ERROR, svc->name, errno,
			  "remembering pid %d; its exit will look like an orphan's",
			  (int)pid);
	if (control) {
		exec_status_watch(service, &service->control_exec, &started,
				  control_io_cb);
		log_debug(svc->name, "spawned control process %s as pid %d",
			  cmd->path, (int)pid);
		return pid;
	}
	exec_status_watch(service, &service->main_exec, &started,
			  status_io_cb);
	log_debug(svc->name, "spawned %s as pid %d", cmd->path, (int)pid);
	if (svc->unit->utmp_id)
		utmp_process_started(svc->unit, svc->unit->user, pid);
	return pid;

failed_why:
	err = errno;
	log_error(svc->name, "%s", why);
	errno = err;
failed:
	err = errno;
	sandbox_plan_free(&ns);
	strv_free(envp);
	creds_free(&creds);
	activation_fds_free(&passed);
	errno = err;
	return -1;
}

/* Reads the exec status pipe and feeds the result to the state machine.
 * Returns false while nothing is there yet. */
static bool deliver_exec_status(struct service *service)
{
	struct spawn_failure failure;
	int r = exec_status_read(&service->main_exec, &failure);

	if (r < 0 && errno == EAGAIN)
		return false;
	exec_status_forget(service->env, &service->main_exec);
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
	int r = exec_status_read(&service->control_exec, &failure);

	if (r < 0 && errno == EAGAIN)
		return;
	exec_status_forget(service->env, &service->control_exec);
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

/* Whether sid is another service's session (mainpid_session_fn). */
static bool other_session(void *ctx, const struct svc *svc, pid_t sid)
{
	const struct service_env *env = ctx;

	for (const struct service *other = env->first; other; other = other->next)
		if (&other->svc != svc && other->svc.pgid == sid)
			return true;
	return false;
}

static pid_t op_find_main(struct svc *svc, char *why, unsigned size)
{
	struct service *service = service_of(svc);
	struct service_env *env = service->env;
	pid_t pid = mainpid_find(svc, &env->pids, other_session, env, why, size);

	if (!pid)
		return 0;
	if (pidmap_put(&env->pids, pid, service) < 0) {
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

	exec_status_forget(service->env, &service->control_exec);
	if (svc->control_pid)
		pidmap_del(&service->env->pids, svc->control_pid);
}

static void op_kill(struct svc *svc, int signo, bool group)
{
	pid_t target = group && svc->pgid ? -svc->pgid : svc->main_pid;

	/* Its cgroup holds every process it made, setsid or not. */
	if (group && service_cgroup_kill(service_of(svc), signo))
		return;
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

	ev_timer_stop(service->env->loop, &service->timer);
	ev_timer_set(&service->timer, seconds, 0.);
	ev_timer_start(service->env->loop, &service->timer);
}

static void op_timer_stop(struct svc *svc)
{
	struct service *service = service_of(svc);

	ev_timer_stop(service->env->loop, &service->timer);
}

static double op_now(struct svc *svc)
{
	return ev_now(service_of(svc)->env->loop);
}

static void pidfd_forget(struct service *service)
{
	if (!service->pidfd)
		return;
	ev_io_stop(service->env->loop, service->pidfd);
	close(service->pidfd->fd);
	free(service->pidfd);
	service->pidfd = NULL;
}

static void op_forget_pid(struct svc *svc)
{
	struct service *service = service_of(svc);

	pidfd_forget(service);
	exec_status_forget(service->env, &service->main_exec);
	if (svc->main_pid)
		pidmap_del(&service->env->pids, svc->main_pid);
}

static uint64_t watchdog_period_usec(const struct service *service)
{
	return service->watchdog_usec ? service->watchdog_usec :
	       service->svc.unit ? service->svc.unit->watchdog_usec : 0;
}

static void watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct service *service = w->data;

	svc_step(&service->svc, SVC_EV_WATCHDOG, 0);
}

/* The keep-alive clock runs while the service runs (after READY=1 for
 * a notify service): from then on each WATCHDOG=1 winds it up again. */
void service_watchdog_update(struct service *service)
{
	struct ev_loop *loop = service->env->loop;
	uint64_t usec = watchdog_period_usec(service);

	if (service->watchdog)
		ev_timer_stop(loop, service->watchdog);
	if (!svc_is_running(&service->svc) || usec == 0)
		return;
	if (!service->watchdog) {
		service->watchdog = malloc(sizeof(*service->watchdog));
		if (!service->watchdog) {
			log_errno(LOG_LEVEL_ERROR, service->svc.name, ENOMEM,
				  "WatchdogSec=: not watched this time");
			return;
		}
		ev_timer_init(service->watchdog, watchdog_cb, 0., 0.);
		service->watchdog->data = service;
	}
	ev_timer_set(service->watchdog, (double)usec / 1e6, 0.);
	ev_timer_start(loop, service->watchdog);
}

/* Its log says what happened to it, as journalctl -u shows systemd's
 * lines among the service's own. Written as the change is recorded: the
 * cause of each change is known only then. */
static void note_state(struct service *service, enum svc_state old_state)
{
	char cause[300];

	/* Nothing runs there to have a log of its own (svd's log says). */
	if (service->node.is_target || service->made_up)
		return;
	logs_service_note(&service->logs, "%s -> %s: %s",
			  svc_state_name(old_state),
			  svc_state_name(service->svc.state),
			  svc_describe_cause(&service->svc, cause, sizeof(cause)));
}

/* RuntimeDirectory= lives while the service does, unless preserved. */
static bool runtime_directory_ends(const struct service *service)
{
	const struct svc *svc = &service->svc;
	enum unit_preserve preserve;

	if (!svc->unit || !svc->unit->directories[UNIT_DIR_RUNTIME])
		return false;
	preserve = svc->unit->runtime_directory_preserve;
	if (svc_is_auto_restart(svc))
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
		.roots = service->env->exec.roots }, svc->name);
}

/* --- the queues of services for the reactions --- */

/* Appends link; false when it is queued already. */
static bool queue_push(struct service_queue *q, struct service_link *link)
{
	if (link->queued)
		return false;
	link->queued = true;
	link->next = NULL;
	if (q->last)
		q->last->next = link;
	else
		q->first = link;
	q->last = link;
	return true;
}

static struct service_link *queue_pop(struct service_queue *q)
{
	struct service_link *link = q->first;

	if (!link)
		return NULL;
	q->first = link->next;
	if (!q->first)
		q->last = NULL;
	link->next = NULL;
	link->queued = false;
	return link;
}

/* A service about to be freed leaves the queue (a walk: rare). */
static void queue_remove(struct service_queue *q, struct service_link *link)
{
	struct service_link **p = &q->first, *prev = NULL;

	if (!link->queued)
		return;
	while (*p && *p != link) {
		prev = *p;
		p = &(*p)->next;
	}
	if (*p)
		*p = link->next;
	if (q->last == link)
		q->last = prev;
	link->queued = false;
}

/* Records the change, and only that: the reactions (its own bookkeeping,
 * jobs, the daemon's) run after the step, from the event loop. A change
 * with old_state the current state is news all the same (a control
 * process of a phase left behind ended: the service may be idle now). */
static void op_state_changed(struct svc *svc, enum svc_state old_state)
{
	struct service *service = service_of(svc);
	struct service_env *env = service->env;

	if (svc->state != old_state) {
		/* A start job that failed for a dependency is no end of the
		 * unit's own: systemd leaves the unit inactive there. */
		enum actions_end end = svc->cause == SVC_CAUSE_DEPENDENCY ?
				       ACTIONS_END_NONE :
				       actions_end_of(old_state, svc->state);

		service->ended_failed |= end == ACTIONS_END_FAILED;
		service->ended_succeeded |= end == ACTIONS_END_SUCCEEDED;
		env->n_starting += svc_is_starting(svc) -
				   svc_state_is_starting(old_state);
		/* Type=idle as it was when the start began: a reload may
		 * change the type halfway. */
		if (svc_is_starting(svc) && !svc_state_is_starting(old_state)) {
			service->starting_idle = svc->unit &&
						 svc->unit->type == UNIT_TYPE_IDLE;
			env->n_starting_idle += service->starting_idle;
		} else if (!svc_is_starting(svc) && service->starting_idle) {
			env->n_starting_idle--;
			service->starting_idle = false;
		}
		env->n_transitional += svc_state_is_transitional(svc->state) -
				       svc_state_is_transitional(old_state);
		note_state(service, old_state);
		/* A run starts with the definition loaded now. */
		if (svc_state_is_down(old_state) && !svc_state_is_down(svc->state))
			service->run_stamp = service->definition_stamp;
		if (env->on_transition)
			env->on_transition(env->on_free_ctx, service, old_state);
		if (!svc_is_running(svc))
			service->watchdog_usec = 0;
		/* Decided now, as the state is left: done before the next
		 * spawn at the latest (a restart inside this very step). */
		if (runtime_directory_ends(service))
			service->runtime_dir_stale = true;
	}
	if (queue_push(&env->changed, &service->changed)) {
		service->changed_really = false;
		service->changed_from = old_state;
	}
	service->changed_really |= svc->state != old_state;
}

struct service *service_pop_change(struct service_env *env)
{
	struct service_link *link = queue_pop(&env->changed);

	return link ? (struct service *)((char *)link -
					 offsetof(struct service, changed)) : NULL;
}

void service_look_unused(struct service *service)
{
	if (service->instance && !service->transient)
		queue_push(&service->env->unused, &service->unused);
}

struct service *service_pop_unused(struct service_env *env)
{
	struct service_link *link = queue_pop(&env->unused);

	return link ? (struct service *)((char *)link -
					 offsetof(struct service, unused)) : NULL;
}

size_t service_hear_spawned(struct service_env *env)
{
	struct service_link *link;
	size_t n = 0;

	while ((link = queue_pop(&env->spawned))) {
		struct service *service = (struct service *)
			((char *)link - offsetof(struct service, spawned));

		/* Either may have been heard already, at the process's exit. */
		if (service->control_exec.known)
			deliver_control_status(service);
		if (service->main_exec.known)
			deliver_exec_status(service);
		n++;
	}
	return n;
}

bool service_any_spawned(const struct service_env *env)
{
	return env->spawned.first != NULL;
}

/* A socket unit's sockets close; the instances it started keep their
 * connections, which no longer count against it. */
static void close_listener(struct service *service)
{
	struct listener *l = service->listener;

	if (!l)
		return;
	for (struct service *s = service->env->first; l->n_connections && s;
	     s = s->next)
		if (s->connection && s->connection->from == l)
			s->connection->from = NULL;
	activation_close(l);
	service->listener = NULL;
}

static void end_connection(struct service *service)
{
	activation_end_connection(service->connection);
	service->connection = NULL;
}

void service_react(struct service *service)
{
	bool down = service->svc.state == SVC_INACTIVE ||
		    svc_is_failed(&service->svc);

	service_watchdog_update(service);
	/* A socket closes once it is down; an instance's connection once
	 * the instance is. */
	if (down || (service->listener && !svc_is_up(&service->svc) &&
		     !svc_is_starting(&service->svc)))
		close_listener(service);
	if (down)
		end_connection(service);
	/* Still stale: no spawn came since, so nothing uses it. */
	if (service->runtime_dir_stale)
		remove_runtime_directory(service);
	if (down) {
		service_cgroup_release(service);
		service_ident_release(service);
		sandbox_runtime_remove(&service->sandbox, service->svc.name);
	}
}

/* A made-up .mount or .device unit asserts that what it stands for is
 * there: it fails when it is not, as an unmet Assert*= does. */
static enum condition_verdict op_check_conditions(struct svc *svc, char *why,
						  unsigned size)
{
	if (!madeup_check(svc->unit, service_of(svc)->env->mounts, why, size))
		return CONDITION_FAIL;
	return condition_check(svc->unit, why, size);
}

static bool op_cgroup_empty(struct svc *svc)
{
	return service_cgroup_empty(service_of(svc));
}

static bool op_oom_killed(struct svc *svc)
{
	return service_cgroup_oom(service_of(svc));
}

static double op_wall_now(struct svc *svc)
{
	return ev_time();
}

/* systemd's socket_start(): an Accept=no socket whose service is not
 * there, masked or broken is refused rather than left to listen for
 * nothing. Returns false with why filled. */
static bool socket_service_loaded(struct service *socket, char *why,
				  unsigned size)
{
	const struct unit *unit = socket->svc.unit;
	struct service *target;
	char *name;
	bool loaded;

	if (unit->socket->accept)
		return true;
	if (!(name = unit_socket_service(unit))) {
		snprintf(why, size, "out of memory");
		errno = ENOMEM;
		return false;
	}
	target = socket->env->listeners.resolve(socket->env->listeners.ctx, name);
	loaded = target && target->load == SERVICE_LOADED;
	if (!loaded) {
		snprintf(why, size, "Socket service %s not loaded, refusing", name);
		errno = ENOENT;
	}
	free(name);
	return loaded;
}

static int op_listen(struct svc *svc, char *why, unsigned size)
{
	struct service *service = service_of(svc);

	if (!service->listener && !socket_service_loaded(service, why, size))
		return -1;
	if (!service->listener)
		service->listener = activation_open(&service->env->listeners,
						    service, svc->name, svc->unit,
						    why, size);
	return service->listener ? 0 : -1;
}


static const struct svc_ops service_ops = {
	.listen = op_listen,
	.spawn = op_spawn,
	.kill_control = op_kill_control,
	.forget_control = op_forget_control,
	.find_main = op_find_main,
	.kill = op_kill,
	.timer_arm = op_timer_arm,
	.timer_stop = op_timer_stop,
	.now = op_now,
	.wall_now = op_wall_now,
	.forget_pid = op_forget_pid,
	.check_conditions = op_check_conditions,
	.cgroup_empty = op_cgroup_empty,
	.oom_killed = op_oom_killed,
	.state_changed = op_state_changed,
};

struct service *service_new(struct service_env *env, const char *name)
{
	struct service *service = calloc(1, sizeof(*service));

	if (!service)
		return NULL;
	if (svc_init(&service->svc, name, NULL, &service_ops, service) < 0) {
		free(service);
		return NULL;
	}
	service->env = env;
	service->cgroup = (struct cgroup_unit)CGROUP_UNIT_INIT;
	ev_timer_init(&service->timer, timer_cb, 0., 0.);
	service->timer.data = service;
	if (logs_service_init(&service->logs, env->logs, service->svc.name) < 0) {
		int err = errno;

		svc_destroy(&service->svc);
		free(service);
		errno = err;
		return NULL;
	}
	service->prev = env->last;
	if (env->last)
		env->last->next = service;
	else
		env->first = service;
	env->last = service;
	env->n++;
	jobs_node_add(env->jobs, &service->node);
	return service;
}

void service_free(struct service *service)
{
	struct service_env *env = service->env;

	if (env->on_free)
		env->on_free(env->on_free_ctx, service);
	activation_forget_target(&env->listeners, service);
	end_connection(service);
	close_listener(service);
	queue_remove(&env->changed, &service->changed);
	queue_remove(&env->unused, &service->unused);
	queue_remove(&env->spawned, &service->spawned);
	jobs_node_remove(env->jobs, &service->node);
	if (service->prev)
		service->prev->next = service->next;
	else
		env->first = service->next;
	if (service->next)
		service->next->prev = service->prev;
	else
		env->last = service->prev;
	env->n--;
	ev_timer_stop(service->env->loop, &service->timer);
	if (service->watchdog)
		ev_timer_stop(service->env->loop, service->watchdog);
	free(service->watchdog);
	exec_status_forget(service->env, &service->main_exec);
	pidfd_forget(service);
	if (service->svc.main_pid)
		pidmap_del(&service->env->pids, service->svc.main_pid);
	op_forget_control(&service->svc);
	service_cgroup_free(service);
	sandbox_runtime_remove(&service->sandbox, service->svc.name);
	service_ident_release(service);
	logs_service_free(&service->logs);
	svc_destroy(&service->svc);
	free(service->load_error);
	free(service->path);
	free(service);
}

static uint64_t stamp_add(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	/* FNV-1a: a change detector, not a guard against anyone. */
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t stamp_file(uint64_t h, const char *path)
{
	struct stat st;

	h = stamp_add(h, path, strlen(path) + 1);
	if (stat(path, &st) < 0)
		return stamp_add(h, "?", 1);
	h = stamp_add(h, &st.st_ino, sizeof(st.st_ino));
	h = stamp_add(h, &st.st_size, sizeof(st.st_size));
	h = stamp_add(h, &st.st_mtim.tv_sec, sizeof(st.st_mtim.tv_sec));
	return stamp_add(h, &st.st_mtim.tv_nsec, sizeof(st.st_mtim.tv_nsec));
}

/* The files a definition came from, as they are on disk now. */
static uint64_t definition_stamp(const char *path, const struct unit *unit)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	if (path)
		h = stamp_file(h, path);
	for (char **d = unit ? unit->dropin_paths : NULL; d && *d; d++)
		h = stamp_file(h, *d);
	return h;
}

bool service_needs_restart(const struct service *service)
{
	return svc_is_up(&service->svc) && service->run_stamp &&
	       service->run_stamp != service->definition_stamp;
}

void service_set_definition(struct service *service, const char *path,
			    enum service_load load, struct unit *unit, char *error)
{
	/* path may be service->path itself (instances on reload): copy first. */
	char *path_copy = path ? strdup(path) : NULL;

	free(service->load_error);
	service->load_error = error;
	free(service->path);
	service->path = path_copy;
	/* A unit without a definition only ever sits inactive or failed
	 * (svc_step): one that is busy or up (a listening socket, an
	 * exited oneshot) keeps the one it runs by, or it could never be
	 * stopped; the error or the mask replaces it at the first reload
	 * after it is down. Masked, it may not start again meanwhile. */
	if (load != SERVICE_LOADED && service->svc.unit &&
	    (svc_is_busy(&service->svc) ||
	     !(svc_is_inactive(&service->svc) || svc_is_failed(&service->svc)))) {
		if (load == SERVICE_MASKED)
			service->load = load;
		unit_free(unit);
		return;
	}
	service->load = load;
	/* An open socket's listener still uses the definition it opened
	 * with: it keeps it rather than see it freed. */
	if (service->listener &&
	    activation_keep_unit(service->listener, service->svc.unit))
		service->svc.unit = NULL;
	svc_replace_unit(&service->svc, unit);
	unit = service->svc.unit;
	service->definition_stamp = definition_stamp(service->path, unit);
	if (unit && logs_service_configure(&service->logs, unit->syslog_identifier,
					   unit->std_output == UNIT_STDIO_LOG_CONSOLE ||
					   unit->std_error == UNIT_STDIO_LOG_CONSOLE) < 0)
		log_errno(LOG_LEVEL_ERROR, service->svc.name, errno,
			  "SyslogIdentifier=: keeping the previous one");
}

void service_child_exited(struct service *service, pid_t pid, int wstatus)
{
	/* What it wrote before it exited comes before the news of its exit. */
	logs_service_drain(&service->logs);
	/* The exit may overtake the exec status pipe: hear the pipe first so
	 * an exec failure is not mistaken for a plain exit. */
	if (service->svc.control_pid == pid) {
		if (exec_status_waiting(&service->control_exec))
			deliver_control_status(service);
		svc_step(&service->svc, SVC_EV_CONTROL_EXIT, wstatus);
		return;
	}
	if (exec_status_waiting(&service->main_exec))
		deliver_exec_status(service);
	if (service->svc.main_pid != pid)
		return;
	if (service->svc.unit->utmp_id)
		utmp_process_exited(service->svc.unit, pid, wstatus);
	svc_step(&service->svc, SVC_EV_EXIT, wstatus);
}


void service_adopt_exec_status(struct service *service, bool control, int fd)
{
	struct spawn_result result = { .pid = control ? service->svc.control_pid :
				       service->svc.main_pid, .status_fd = fd };

	if (control)
		exec_status_watch(service, &service->control_exec, &result,
				  control_io_cb);
	else
		exec_status_watch(service, &service->main_exec, &result,
				  status_io_cb);
}

void service_count_restored(struct service *service)
{
	struct service_env *env = service->env;
	struct svc *svc = &service->svc;

	env->n_starting += svc_is_starting(svc);
	if (svc_is_starting(svc) && svc->unit && svc->unit->type == UNIT_TYPE_IDLE) {
		service->starting_idle = true;
		env->n_starting_idle++;
	}
	env->n_transitional += svc_state_is_transitional(svc->state);
	if (!svc_state_is_down(svc->state))
		service->run_stamp = service->definition_stamp;
}

/* An adopted process ended: its status is unknown (svc_exit_cause). */
static void pidfd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct service *service = w->data;
	pid_t pid = service->svc.main_pid;

	pidfd_forget(service);
	log_debug(service->svc.name, "adopted pid %d ended", (int)pid);
	service_child_exited(service, pid, 0);
}

int service_watch_pidfd(struct service *service)
{
	pid_t pid = service->svc.main_pid;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    !(service->pidfd = malloc(sizeof(*service->pidfd)))) {
		log_errno(LOG_LEVEL_ERROR, service->svc.name, errno, "watching "
			  "adopted pid %d (pidfd_open): its end goes unseen",
			  (int)pid);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ev_io_init(service->pidfd, pidfd_cb, fd, EV_READ);
	service->pidfd->data = service;
	ev_io_start(service->env->loop, service->pidfd);
	return 0;
}
