/* service_state: a service to its record of the state image and back
 * (service_state.h). */
#include "service_state.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static double left(struct ev_loop *loop, ev_timer *t)
{
	return t && ev_is_active(t) ? ev_timer_remaining(loop, t) : -1;
}

struct lines_ctx {
	struct state_unit *u;
	int failed;
};

static void save_line(void *ctx, const struct logring_line *line)
{
	struct lines_ctx *c = ctx;

	if (!c->failed &&
	    state_unit_add_line(c->u, line->seq, line->realtime_usec, line->stream,
				line->priority, line->text, line->len) < 0)
		c->failed = errno;
}

static int save_blob(struct state_blob *b, const char *text)
{
	return text ? state_blob_set(b, text, strlen(text)) : 0;
}

static void save_svc(const struct svc *svc, double now, struct state_unit *u)
{
	u->state = svc->state;
	u->cause = svc->cause;
	u->cause_detail = svc->cause_detail;
	u->since_age = now > svc->state_since ? now - svc->state_since : 0;
	u->since_wall = svc->state_since_wall;
	u->main_pid = svc->main_pid;
	u->pgid = svc->pgid;
	u->control_pid = svc->control_pid;
	u->exec_index = svc->exec_index;
	u->control_index = svc->control_index;
	u->exec_errno = svc->exec_errno;
	u->exec_step = svc->exec_step;
	u->control_exec_errno = svc->control_exec_errno;
	u->last_wstatus = svc->last_wstatus & 0xffff;
	u->has_exited = svc->has_exited;
	u->result = svc->result;
	u->end_cause = svc->end_cause;
	u->end_detail = svc->end_detail;
	u->restart_forbidden = svc->restart_forbidden;
	u->reload_notified = svc->reload_notified;
	u->n_restarts = svc->n_restarts;
	u->restart_streak = svc->restart_streak;
	u->n_started = svc->n_started;
	u->running_age = svc->running_since > 0 ? now - svc->running_since : -1;
	if (u->running_age < -1)
		u->running_age = 0;
	u->limit_open = svc->start_limit.open;
	u->limit_age = svc->start_limit.open ? now - svc->start_limit.window_start : -1;
	if (u->limit_age < -1)
		u->limit_age = 0;
	u->limit_count = svc->start_limit.count;
	u->status_errno = svc->status_errno;
	u->adopted = svc->adopted;
}

static int save_logs(const struct logs_service *ls, struct state_unit *u)
{
	struct lines_ctx c = { .u = u };

	u->out_fd = ls->out.io.fd;
	u->out_kept_fd = ls->out.kept_fd;
	/* Without a stderr stream of its own, stderr shared stdout's pipe:
	 * err_fd and err_kept_fd stay -1. */
	if (ls->err) {
		u->err_fd = ls->err->io.fd;
		u->err_kept_fd = ls->err->kept_fd;
	}
	u->log_dropped = ls->dropped;
	if ((ls->out.partial_len &&
	     state_blob_set(&u->out_partial, ls->out.partial, ls->out.partial_len) < 0) ||
	    (ls->err && ls->err->partial_len &&
	     state_blob_set(&u->err_partial, ls->err->partial, ls->err->partial_len) < 0))
		return -1;
	logring_tail(&ls->ring, SIZE_MAX, save_line, &c);
	if (c.failed) {
		errno = c.failed;
		return -1;
	}
	return 0;
}

static int save_sockets(const struct service *service, double now,
			struct state_unit *u)
{
	const struct listener *l = service->listener;
	const struct connection *c = service->connection;

	if (l) {
		if (!(u->listen_fds = calloc(l->n_fds ? l->n_fds : 1,
					     sizeof(*u->listen_fds))))
			return -1;
		for (size_t i = 0; i < l->n_fds; i++)
			u->listen_fds[i] = l->fds[i];
		u->n_listen_fds = l->n_fds;
		u->accepted = l->n_accepted;
		u->refused = l->n_refused;
		u->triggers = l->n_triggers;
		u->trigger_window_age = l->window_start > 0 ? now - l->window_start : -1;
		if (u->trigger_window_age < -1)
			u->trigger_window_age = 0;
	}
	if (c) {
		u->conn_fd = c->fd;
		if (save_blob(&u->remote_addr, c->remote_addr) < 0 ||
		    save_blob(&u->remote_port, c->remote_port) < 0 ||
		    (c->from && save_blob(&u->conn_from, c->from->name) < 0))
			return -1;
	}
	return 0;
}

int service_state_save(struct service *service, struct state_unit *u)
{
	const struct svc *svc = &service->svc;
	struct ev_loop *loop = service->env->loop;
	double now = ev_now(loop);

	save_svc(svc, now, u);
	/* The state's timer as libev has it: the same as timer_deadline,
	 * but exact. */
	u->timer_left = svc->timer_deadline ?
			left(loop, &service->timer) : -1;
	u->watchdog_left = left(loop, service->watchdog);
	u->watchdog_usec = service->watchdog_usec;
	u->start_job = service->node.start_job;
	u->stop_job = service->node.stop_job;
	u->enabled = service->enabled;
	u->main_status_fd = service->main_exec.pipe ? service->main_exec.pipe->fd : -1;
	u->control_status_fd = service->control_exec.pipe ?
			       service->control_exec.pipe->fd : -1;
	if (save_blob(&u->name, svc->name) < 0 ||
	    save_blob(&u->cause_text, svc->cause_text) < 0 ||
	    save_blob(&u->status_text, svc->status_text) < 0 ||
	    save_blob(&u->cgroup, service->cgroup.path) < 0 ||
	    save_logs(&service->logs, u) < 0 ||
	    save_sockets(service, now, u) < 0)
		return -1;
	return 0;
}

/* --- back --- */

static void restore_svc(struct svc *svc, const struct state_unit *u, double now)
{
	svc->main_pid = (pid_t)u->main_pid;
	svc->pgid = (pid_t)u->pgid;
	svc->control_pid = (pid_t)u->control_pid;
	svc->exec_index = u->exec_index;
	svc->control_index = u->control_index;
	svc->exec_errno = (int)u->exec_errno;
	svc->exec_step = (int)u->exec_step;
	svc->control_exec_errno = (int)u->control_exec_errno;
	svc->last_wstatus = (int)u->last_wstatus;
	svc->has_exited = u->has_exited;
	svc->result = u->result;
	svc->end_cause = u->end_cause;
	svc->end_detail = u->end_detail;
	svc->restart_forbidden = u->restart_forbidden;
	svc->reload_notified = u->reload_notified;
	svc->n_restarts = (unsigned)u->n_restarts;
	svc->restart_streak = (unsigned)u->restart_streak;
	svc->n_started = (unsigned)u->n_started;
	svc->running_since = u->running_age >= 0 ? now - u->running_age : 0;
	svc->start_limit.open = u->limit_open;
	svc->start_limit.window_start = u->limit_open ? now - u->limit_age : 0;
	svc->start_limit.count = (unsigned)u->limit_count;
	svc->status_errno = (int)u->status_errno;
	svc->adopted = u->adopted;
	free(svc->cause_text);
	svc->cause_text = u->cause_text.data ? strdup(u->cause_text.data) : NULL;
	svc_set_status_text(svc, u->status_text.data);
}

static int restore_logs(struct service *service, const struct state_unit *u,
			char *why, size_t size)
{
	struct logs_service *ls = &service->logs;

	logring_set_last_seq(&ls->ring, u->n_lines ? u->lines[0].seq - 1 : 0);
	for (size_t i = 0; i < u->n_lines; i++) {
		const struct state_line *line = &u->lines[i];

		logring_set_last_seq(&ls->ring, line->seq - 1);
		if (logring_push_priority(&ls->ring, line->usec, line->stream,
					  line->priority, line->text.data,
					  line->text.len) < 0) {
			snprintf(why, size, "its log line %llu: %s",
				 (unsigned long long)line->seq, strerror(errno));
			return -1;
		}
	}
	ls->dropped = u->log_dropped;
	if (logs_service_adopt(ls, LOG_STREAM_STDOUT, (int)u->out_fd,
			       (int)u->out_kept_fd, u->out_partial.data,
			       u->out_partial.len) < 0 ||
	    logs_service_adopt(ls, LOG_STREAM_STDERR, (int)u->err_fd,
			       (int)u->err_kept_fd, u->err_partial.data,
			       u->err_partial.len) < 0) {
		snprintf(why, size, "its log pipes: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int restore_sockets(struct service *service, const struct state_unit *u,
			   double now, char *why, size_t size)
{
	struct listener *l;
	int fds[STATE_LISTEN_FDS_MAX];

	if (u->n_listen_fds && service->svc.unit) {
		for (size_t i = 0; i < u->n_listen_fds; i++)
			fds[i] = (int)u->listen_fds[i];
		l = activation_adopt(&service->env->listeners, service,
				     service->svc.name, service->svc.unit, fds,
				     u->n_listen_fds);
		if (!l) {
			snprintf(why, size, "its sockets: %s", strerror(errno));
			return -1;
		}
		l->n_accepted = u->accepted;
		l->n_refused = u->refused;
		l->n_triggers = (unsigned)u->triggers;
		l->window_start = u->trigger_window_age >= 0 ?
				  now - u->trigger_window_age : 0;
		service->listener = l;
	}
	if (u->conn_fd >= 0) {
		struct connection *c = calloc(1, sizeof(*c));

		if (!c) {
			snprintf(why, size, "its connection: out of memory");
			return -1;
		}
		c->fd = (int)u->conn_fd;
		snprintf(c->remote_addr, sizeof(c->remote_addr), "%s",
			 u->remote_addr.data ? u->remote_addr.data : "");
		snprintf(c->remote_port, sizeof(c->remote_port), "%s",
			 u->remote_port.data ? u->remote_port.data : "");
		/* Its socket is found once every unit is restored
		 * (reexec.c): here it counts against none yet. */
		service->connection = c;
	}
	return 0;
}

static int restore_pid(struct service *service, pid_t pid)
{
	if (pid > 0 && pidmap_put(&service->env->pids, pid, service) < 0)
		return -1;
	return 0;
}

int service_state_restore(struct service *service, const struct state_unit *u,
			  char *why, size_t size)
{
	struct svc *svc = &service->svc;
	struct ev_loop *loop = service->env->loop;
	double now = ev_now(loop);

	*why = '\0';
	restore_svc(svc, u, now);
	svc_restore_state(svc, u->state, u->cause, u->cause_detail, u->since_age,
			  u->since_wall, u->timer_left);
	service_count_restored(service);
	service->watchdog_usec = u->watchdog_usec;
	service->enabled = u->enabled;
	if (restore_pid(service, svc->main_pid) < 0 ||
	    restore_pid(service, svc->control_pid) < 0) {
		snprintf(why, size, "its pids: %s", strerror(errno));
		return -1;
	}
	/* Not a child of any svd: its pidfd tells its end. */
	if (u->adopted && svc->main_pid)
		service_watch_pidfd(service);
	if (u->main_status_fd >= 0)
		service_adopt_exec_status(service, false, (int)u->main_status_fd);
	if (u->control_status_fd >= 0)
		service_adopt_exec_status(service, true, (int)u->control_status_fd);
	if (u->cgroup.data)
		service_cgroup_reopen(service);
	if (restore_logs(service, u, why, size) < 0 ||
	    restore_sockets(service, u, now, why, size) < 0)
		return -1;
	/* The keep-alive clock with the time it had left. */
	service_watchdog_update(service);
	if (service->watchdog && ev_is_active(service->watchdog) && u->watchdog_left >= 0) {
		ev_timer_stop(loop, service->watchdog);
		ev_timer_set(service->watchdog, u->watchdog_left, 0.);
		ev_timer_start(loop, service->watchdog);
	}
	return 0;
}
