#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "log.h"
#include "logs_cmd.h"
#include "config.h"

/* What a waiting request waits for. */
enum wait_goal {
	WAIT_STARTED,	/* running, exited, or failed trying */
	WAIT_STOPPED,	/* no longer running */
	WAIT_RELOADED,	/* back from reloading */
};

static void put_exec_status(struct proto_buf *buf, const struct svc *svc)
{
	int ws = svc->last_wstatus;

	if (!svc->has_exited)
		return;
	if (WIFEXITED(ws)) {
		proto_put(buf, "ExecMainCode", "exited");
		proto_putf(buf, "ExecMainStatus", "%d", WEXITSTATUS(ws));
	} else {
		proto_put(buf, "ExecMainCode", WCOREDUMP(ws) ? "dumped" : "killed");
		proto_putf(buf, "ExecMainStatus", "%d", WTERMSIG(ws));
	}
}

static void put_exec_lines(struct proto_buf *buf, const struct unit *unit)
{
	for (size_t i = 0; unit && i < unit->n_exec_start; i++)
		proto_put(buf, "ExecStart", unit->exec_start[i].line);
}

/* The unit's fields with systemd's property names where one exists. */
static void put_service(struct proto_buf *buf, const struct service *service,
			bool full)
{
	const struct svc *svc = &service->svc;
	const struct unit *unit = svc->unit;
	char cause[1024];

	proto_put(buf, "Id", svc->name);
	proto_put(buf, "Description", unit && unit->description ?
		  unit->description : "");
	proto_put(buf, "LoadState", service_load_name(service->load));
	proto_put(buf, "ActiveState", svc_active_state(svc));
	proto_put(buf, "SubState", svc_sub_state(svc));
	proto_put(buf, "UnitFileState", service->enabled ? "enabled" : "disabled");
	if (!full)
		return;
	if (service->load_error)
		proto_put(buf, "LoadError", service->load_error);
	proto_put(buf, "FragmentPath", service->path ? service->path : "");
	proto_put(buf, "State", svc_state_name(svc->state));
	proto_put(buf, "StateCause", svc_cause_name(svc->cause));
	proto_put(buf, "StateCauseText", svc_describe_cause(svc, cause, sizeof(cause)));
	proto_putf(buf, "StateChangeTimestampUSec", "%.0f",
		   svc->state_since_wall * 1e6);
	proto_putf(buf, "MainPID", "%d", (int)svc->main_pid);
	proto_putf(buf, "NRestarts", "%u", svc->n_restarts);
	proto_put(buf, "Result", policy_result_name(svc->result));
	put_exec_status(buf, svc);
	if (svc->exec_errno) {
		char errbuf[160];

		proto_put(buf, "ExecError", log_errno_text(svc->exec_errno, errbuf,
							   sizeof(errbuf)));
	}
	proto_put(buf, "StatusText", svc->status_text ? svc->status_text : "");
	proto_putf(buf, "StatusErrno", "%d", svc->status_errno);
	if (unit) {
		proto_put(buf, "Type", unit_type_name(unit->type));
		proto_put(buf, "NotifyAccess",
			  unit_notify_access_name(unit->notify_access));
		proto_putf(buf, "WatchdogUSec", "%llu",
			   (unsigned long long)unit->watchdog_usec);
		proto_put(buf, "Restart", unit_restart_name(unit->restart));
		put_exec_lines(buf, unit);
	}
}

static struct proto_buf *new_buf(struct ctl_client *client)
{
	struct proto_buf *buf = malloc(sizeof(*buf));

	if (buf)
		proto_begin(buf, NULL);
	else
		control_fail(client, "out of memory");
	return buf;
}

static void reply_service(struct ctl_client *client,
			  const struct service *service, bool full, bool log)
{
	struct proto_buf *buf = new_buf(client);

	if (!buf)
		return;
	put_service(buf, service, full);
	/* What services print may be secret: only for who may control them. */
	if (log && client->privileged)
		logs_cmd_put_status(buf, service);
	/* A unit with hundreds of commands fills the message: the status
	 * then goes in one of its own. */
	if (proto_put(buf, "status", "ok") < 0) {
		control_send(client, buf);
		free(buf);
		control_ok(client);
		return;
	}
	control_send(client, buf);
	free(buf);
	control_done(client);
}

/* Decides a waiting request once the service settles. Returns true when
 * the request got its reply. */
static bool settle(struct ctl_client *client, struct service *service)
{
	const struct svc *svc = &service->svc;
	char cause[1024];

	if (client->wait_goal == WAIT_RELOADED) {
		if (svc_is_reloading(svc))
			return false;
		if (svc_is_running(svc) && svc->cause == SVC_CAUSE_RELOADED)
			control_ok(client);
		else
			control_fail(client, "%s: reload failed: %s", svc->name,
				     svc_describe_cause(svc, cause, sizeof(cause)));
		return true;
	}
	if (client->wait_goal == WAIT_STOPPED) {
		if (service->node.stop_job ||
		    (svc_is_busy(svc) && !svc_state_is_down(svc->state)))
			return false;
		control_ok(client);
		return true;
	}
	/* Queued behind what it is ordered after. */
	if (service->node.start_job)
		return false;
	if (svc_is_starting(svc) || svc_is_stopping(svc))
		return false;
	if (svc_is_up(svc)) {
		control_ok(client);
		return true;
	}
	if (svc_has_ended(svc) && !svc_is_failed(svc)) {
		if (svc->start_pending)
			return false;
		if (svc->result == POLICY_RESULT_SUCCESS) {
			control_ok(client);
			return true;
		}
	}
	control_fail(client, "%s: start failed: %s", svc->name,
		     svc_describe_cause(svc, cause, sizeof(cause)));
	return true;
}

static void wait_for(struct ctl_client *client, struct service *service,
		     enum wait_goal goal)
{
	client->wait_target = service;
	client->wait_goal = goal;
	settle(client, service);
}

void commands_service_changed(struct daemon *d, struct service *service)
{
	struct ctl_client *client = d->control.clients;

	while (client) {
		/* settle() may free the client: step first. */
		struct ctl_client *next = client->next;

		/* NULL: jobs moved on without a state change; everyone
		 * waiting looks again. */
		if (client->busy && client->wait_target &&
		    (client->wait_target == service || !service))
			settle(client, client->wait_target);
		client = next;
	}
}

void commands_client_gone(void *ctx, struct ctl_client *client)
{
	client->wait_target = NULL;
	logs_cmd_client_gone(client);
}

static bool can_start(struct ctl_client *client, struct service *service)
{
	if (service->node.missing) {
		control_fail(client, "%s: cannot start: %s", service->svc.name,
			     service->node.missing);
		return false;
	}
	if (service->load == SERVICE_MASKED) {
		control_fail(client, "%s: unit is masked", service->svc.name);
		return false;
	}
	if (service->load == SERVICE_LOAD_ERROR && !service->svc.unit) {
		control_fail(client, "%s: unit file has errors: %s",
			     service->svc.name, service->load_error);
		return false;
	}
	return true;
}

static void cmd_start(struct daemon *d, struct ctl_client *client,
		      struct service *service)
{
	if (!can_start(client, service))
		return;
	manager_start(&d->manager, service);
	wait_for(client, service, WAIT_STARTED);
}

static void cmd_stop(struct daemon *d, struct ctl_client *client,
		     struct service *service)
{
	manager_stop(&d->manager, service);
	wait_for(client, service, WAIT_STOPPED);
}

/* ExecReload=, or SIGHUP when the unit has none. */
static void cmd_reload(struct daemon *d, struct ctl_client *client,
		       struct service *service)
{
	if (!svc_is_running(&service->svc)) {
		control_fail(client, "%s: not running (%s): nothing to reload",
			     service->svc.name, svc_state_name(service->svc.state));
		return;
	}
	svc_step(&service->svc, SVC_EV_RELOAD, 0);
	wait_for(client, service, WAIT_RELOADED);
}

static void cmd_restart(struct daemon *d, struct ctl_client *client,
			struct service *service)
{
	if (!can_start(client, service))
		return;
	/* Stop, then a start job: it pulls in what the unit requires, and
	 * a service still stopping starts again once down. */
	svc_step(&service->svc, SVC_EV_STOP, 0);
	manager_start(&d->manager, service);
	wait_for(client, service, WAIT_STARTED);
}

static void cmd_enable(struct daemon *d, struct ctl_client *client,
		       struct service *service, bool enable)
{
	if (manager_set_enabled(&d->manager, service, enable) < 0) {
		char errbuf[160];

		control_fail(client, "%s: %s: %s", service->svc.name,
			     enable ? "enable" : "disable",
			     log_errno_text(errno, errbuf, sizeof(errbuf)));
		return;
	}
	log_info(service->svc.name, "%s", enable ? "enabled" : "disabled");
	control_ok(client);
}

static void cmd_list(struct daemon *d, struct ctl_client *client)
{
	struct proto_buf *buf = new_buf(client);
	struct service **sorted;
	size_t n;

	if (!buf)
		return;
	sorted = manager_sorted(&d->manager, &n);
	if (!sorted) {
		free(buf);
		control_fail(client, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		proto_begin(buf, NULL);
		put_service(buf, sorted[i], false);
		control_send(client, buf);
	}
	free(sorted);
	free(buf);
	control_ok(client);
}

static void cmd_reset_failed_all(struct daemon *d, struct ctl_client *client)
{
	for (struct service *s = manager_first(&d->manager); s; s = s->next)
		svc_step(&s->svc, SVC_EV_RESET_FAILED, 0);
	control_ok(client);
}

/* As init: the system goes down. In a container: the container stops
 * (its command gets SIGTERM), which is what halting it means. Otherwise
 * svd is one service manager among others and does not own the machine. */
static void cmd_halt(struct daemon *d, struct ctl_client *client,
		     enum halt_action action)
{
	if (!d->is_init && !d->opt.command) {
		control_fail(client, "%s: svd is not init (PID 1); stop it with "
			     "SIGTERM instead", halt_action_name(action));
		return;
	}
	log_info(NULL, "%s requested by uid %u", halt_action_name(action),
		 (unsigned)client->uid);
	/* The reply goes out while services stop: svctl returns at once. */
	control_ok(client);
	daemon_halt(d, action);
}

static void cmd_version(struct daemon *d, struct ctl_client *client)
{
	struct proto_buf *buf = new_buf(client);

	if (!buf)
		return;
	proto_put(buf, "Version", SVD_VERSION);
	proto_putf(buf, "Units", "%zu", manager_count(&d->manager));
	proto_putf(buf, "OrphansReaped", "%lu", d->manager.orphans_reaped);
	proto_put(buf, "status", "ok");
	control_send(client, buf);
	free(buf);
	control_done(client);
}

enum verb_flags {
	VERB_UNIT = 1 << 0,	  /* needs unit= */
	VERB_OPTIONAL_UNIT = 1 << 1, /* takes unit= or acts on all */
	VERB_PRIVILEGED = 1 << 2, /* root or svd's own uid only */
	VERB_CHANGES = 1 << 3,	  /* refused while shutting down */
};

enum verb_id {
	VERB_START, VERB_STOP, VERB_RESTART, VERB_RELOAD, VERB_STATUS, VERB_SHOW, VERB_LIST,
	VERB_ENABLE, VERB_DISABLE, VERB_RESET_FAILED, VERB_DAEMON_RELOAD,
	VERB_VERSION, VERB_POWEROFF, VERB_REBOOT, VERB_HALT, VERB_LOGS,
};

static const struct verb {
	const char *name;
	enum verb_id id;
	unsigned flags;
} verbs[] = {
	{ "start", VERB_START, VERB_UNIT | VERB_PRIVILEGED | VERB_CHANGES },
	{ "stop", VERB_STOP, VERB_UNIT | VERB_PRIVILEGED },
	{ "restart", VERB_RESTART, VERB_UNIT | VERB_PRIVILEGED | VERB_CHANGES },
	{ "reload", VERB_RELOAD, VERB_UNIT | VERB_PRIVILEGED | VERB_CHANGES },
	{ "status", VERB_STATUS, VERB_UNIT },
	{ "show", VERB_SHOW, VERB_UNIT },
	{ "logs", VERB_LOGS, VERB_UNIT | VERB_PRIVILEGED },
	{ "list", VERB_LIST, 0 },
	{ "enable", VERB_ENABLE, VERB_UNIT | VERB_PRIVILEGED },
	{ "disable", VERB_DISABLE, VERB_UNIT | VERB_PRIVILEGED },
	{ "reset-failed", VERB_RESET_FAILED, VERB_OPTIONAL_UNIT | VERB_PRIVILEGED },
	{ "daemon-reload", VERB_DAEMON_RELOAD, VERB_PRIVILEGED | VERB_CHANGES },
	{ "version", VERB_VERSION, 0 },
	/* Allowed while shutting down: asked again, svd stops waiting. */
	{ "poweroff", VERB_POWEROFF, VERB_PRIVILEGED },
	{ "reboot", VERB_REBOOT, VERB_PRIVILEGED },
	{ "halt", VERB_HALT, VERB_PRIVILEGED },
};

static const struct verb *find_verb(const char *name)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

static void run_unit_verb(struct daemon *d, struct ctl_client *client,
			  const struct verb *verb, struct service *service,
			  const struct proto_msg *request)
{
	switch (verb->id) {
	case VERB_START:
		cmd_start(d, client, service);
		break;
	case VERB_STOP:
		cmd_stop(d, client, service);
		break;
	case VERB_RESTART:
		cmd_restart(d, client, service);
		break;
	case VERB_RELOAD:
		cmd_reload(d, client, service);
		break;
	case VERB_STATUS:
	case VERB_SHOW:
		reply_service(client, service, true, verb->id == VERB_STATUS);
		break;
	case VERB_LOGS:
		logs_cmd_handle(client, service, request);
		break;
	case VERB_ENABLE:
	case VERB_DISABLE:
		cmd_enable(d, client, service, verb->id == VERB_ENABLE);
		break;
	case VERB_RESET_FAILED:
		svc_step(&service->svc, SVC_EV_RESET_FAILED, 0);
		control_ok(client);
		break;
	default:
		control_fail(client, "BUG: verb %s", verb->name);
	}
}

static void run_verb(struct daemon *d, struct ctl_client *client,
		     const struct verb *verb)
{
	switch (verb->id) {
	case VERB_LIST:
		cmd_list(d, client);
		break;
	case VERB_RESET_FAILED:
		cmd_reset_failed_all(d, client);
		break;
	case VERB_DAEMON_RELOAD:
		if (daemon_reload(d) < 0)
			control_fail(client, "reload failed: see svd's log");
		else
			control_ok(client);
		break;
	case VERB_VERSION:
		cmd_version(d, client);
		break;
	case VERB_POWEROFF:
		cmd_halt(d, client, HALT_POWEROFF);
		break;
	case VERB_REBOOT:
		cmd_halt(d, client, HALT_REBOOT);
		break;
	case VERB_HALT:
		cmd_halt(d, client, HALT_HALT);
		break;
	default:
		control_fail(client, "BUG: verb %s", verb->name);
	}
}

void commands_handle(void *ctx, struct ctl_client *client,
		     const struct proto_msg *request)
{
	struct daemon *d = ctx;
	const struct verb *verb = find_verb(request->verb);
	const char *unit_name = proto_get(request, "unit");
	const char *error = NULL;
	struct service *service;

	if (!verb) {
		control_fail_code(client, "usage", "unknown command: %s",
				  request->verb);
		return;
	}
	if ((verb->flags & VERB_PRIVILEGED) && !client->privileged) {
		control_fail_code(client, "permission-denied", "%s: permission "
				  "denied (uid %u may only read status)",
				  verb->name, (unsigned)client->uid);
		return;
	}
	if ((verb->flags & VERB_CHANGES) && d->shutting_down) {
		control_fail(client, "%s: svd is shutting down", verb->name);
		return;
	}
	if (!unit_name && (verb->flags & VERB_UNIT)) {
		control_fail_code(client, "usage", "%s: missing unit=", verb->name);
		return;
	}
	if (!unit_name || !(verb->flags & (VERB_UNIT | VERB_OPTIONAL_UNIT))) {
		run_verb(d, client, verb);
		return;
	}
	service = manager_find(&d->manager, unit_name, &error);
	if (!service) {
		control_fail_code(client, "no-such-unit", "%s: %s", unit_name, error);
		return;
	}
	run_unit_verb(d, client, verb, service, request);
}
