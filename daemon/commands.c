#include "commands.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "log.h"
#include "logs_cmd.h"
#include "mask.h"
#include "props.h"
#include "unit.h"
#include "value.h"
#include "config.h"
#include "vocab.h"

/* What a waiting request waits for. */
enum wait_goal {
	WAIT_NONE,	/* answered at once */
	WAIT_STARTED,	/* running, exited, or failed trying */
	WAIT_STOPPED,	/* no longer running */
	WAIT_RELOADED,	/* back from reloading */
};

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
	props_put(buf, service, full);
	/* What services print may be secret: only for who may control them. */
	if (log && client->access >= ACCESS_READ)
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

/* How a waiting request ends: not yet, answered ok, or failed. */
enum settled { SETTLED_NOT_YET, SETTLED_OK, SETTLED_FAILED };

/* Whether the service reached what a request waits for: the one place
 * that says what "settled" means for start, stop and reload. */
static enum settled settle_outcome(const struct service *service,
				   enum wait_goal goal, unsigned started_before)
{
	const struct svc *svc = &service->svc;

	switch (goal) {
	case WAIT_NONE:
		return SETTLED_OK;
	case WAIT_RELOADED:
		if (svc_is_reloading(svc))
			return SETTLED_NOT_YET;
		return svc_is_running(svc) && svc->cause == SVC_CAUSE_RELOADED ?
		       SETTLED_OK : SETTLED_FAILED;
	case WAIT_STOPPED:
		if (service->node.stop_job ||
		    (svc_is_busy(svc) && !svc_state_is_down(svc->state)))
			return SETTLED_NOT_YET;
		return SETTLED_OK;
	case WAIT_STARTED:
		/* Queued behind what it is ordered after, or on its way. */
		if (service->node.start_job)
			return SETTLED_NOT_YET;
		/* Started, whatever came after it before the reactions ran
		 * (a crash in the same turn of the loop). */
		if (svc->n_started != started_before)
			return SETTLED_OK;
		if (svc_is_starting(svc) || svc_is_stopping(svc))
			return SETTLED_NOT_YET;
		if (svc_is_up(svc))
			return SETTLED_OK;
		/* A oneshot that ran and is done. */
		if (svc_has_ended(svc) && !svc_is_failed(svc) &&
		    svc->result == POLICY_RESULT_SUCCESS)
			return SETTLED_OK;
		return SETTLED_FAILED;
	}
	return SETTLED_FAILED;
}

/* What commands keeps of a client, in its control slot (handler_data),
 * from its first request until control says it is gone. */
struct commands_client {
	struct commands *commands;
	struct ctl_client *client;
	/* On commands->waiting while wait_target is set. */
	struct commands_client *prev, *next;
	struct service *wait_target;	/* what the request waits on */
	enum wait_goal wait_goal;
	unsigned wait_started;	/* svc.n_started when the request came */
	struct logs_cmd_follow *follow;	/* logs_cmd's: a `logs -f` */
	struct monitor_sub *monitor;	/* a `monitor` subscription */
};

static void wait_end(struct commands_client *cc)
{
	if (!cc->wait_target)
		return;
	cc->wait_target->n_waiting--;
	service_look_unused(cc->wait_target);
	if (cc->prev)
		cc->prev->next = cc->next;
	else
		cc->commands->waiting = cc->next;
	if (cc->next)
		cc->next->prev = cc->prev;
	cc->prev = cc->next = NULL;
	cc->wait_target = NULL;
}

/* Answers a waiting request once its service settles. The reply may free
 * cc (a client that hung up goes when its request ends). */
static void settle(struct commands_client *cc)
{
	struct ctl_client *client = cc->client;
	const struct svc *svc = &cc->wait_target->svc;
	enum wait_goal goal = cc->wait_goal;
	enum settled outcome = settle_outcome(cc->wait_target, goal,
					      cc->wait_started);
	char cause[1024];

	if (outcome == SETTLED_NOT_YET)
		return;
	wait_end(cc);
	if (outcome == SETTLED_OK)
		control_ok(client);
	else
		control_fail(client, "%s: %s failed: %s", svc->name,
			     goal == WAIT_RELOADED ? "reload" : "start",
			     svc_describe_cause(svc, cause, sizeof(cause)));
}

static void wait_for(struct commands_client *cc, struct service *service,
		     enum wait_goal goal)
{
	struct commands *c = cc->commands;

	cc->wait_target = service;
	service->n_waiting++;
	cc->wait_goal = goal;
	cc->wait_started = service->svc.n_started;
	cc->prev = NULL;
	cc->next = c->waiting;
	if (c->waiting)
		c->waiting->prev = cc;
	c->waiting = cc;
	settle(cc);
}

void commands_service_changed(struct commands *c, struct service *service)
{
	struct commands_client *cc = c->waiting;

	while (cc) {
		/* settle() may free cc: step first. */
		struct commands_client *next = cc->next;

		/* NULL: jobs moved on without a state change; everyone
		 * waiting looks again. */
		if (cc->wait_target == service || !service)
			settle(cc);
		cc = next;
	}
}

void commands_service_transition(struct commands *c, struct service *service,
				 enum svc_state old)
{
	monitor_publish(&c->monitor, service, old);
}

void commands_service_forget(struct commands *c, struct service *service)
{
	struct commands_client *cc = c->waiting;

	while (cc) {
		struct commands_client *next = cc->next;

		if (cc->wait_target == service) {
			wait_end(cc);
			control_fail(cc->client, "%s: %s", service->svc.name,
				     service->instance ? "instance freed" :
				     "its unit file is gone (daemon-reload)");
		}
		cc = next;
	}
}

/* The client's state, made on its first request. */
static struct commands_client *client_state(struct commands *c,
					    struct ctl_client *client)
{
	struct commands_client *cc = client->handler_data;

	if (cc)
		return cc;
	cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	*cc = (struct commands_client){ .commands = c, .client = client };
	client->handler_data = cc;
	return cc;
}

void commands_client_gone(void *ctx, struct ctl_client *client)
{
	struct commands_client *cc = client->handler_data;

	if (!cc)
		return;
	wait_end(cc);
	logs_cmd_unfollow(&cc->follow);
	monitor_unsubscribe(&cc->commands->monitor, &cc->monitor);
	if (cc->commands->tmpfiles)
		tmpfiles_cmd_client_gone(cc->commands->tmpfiles, client);
	client->handler_data = NULL;
	free(cc);
}

void commands_init(struct commands *c, struct manager *manager,
		   const struct commands_ops *ops, void *ctx)
{
	*c = (struct commands){ .manager = manager, .ops = ops, .ctx = ctx };
}

/* What jobs would refuse at once is refused here, with the reason. */
static bool can_start(struct commands *c, struct ctl_client *client,
		      struct service *service)
{
	char buf[512];
	const char *why = jobs_refusal(&c->manager->jobs, &service->node, buf,
				       sizeof(buf));

	if (!why)
		return true;
	control_fail(client, "%s: %s%s", service->svc.name,
		     service->node.missing ? "cannot start: " : "", why);
	return false;
}

/* Runs one request. service is the unit= of a verb that takes one, or
 * NULL. Returns true when the request waits for the service to settle
 * (its handler's goal), false once it has been answered. */
typedef bool cmd_fn(struct commands *c, struct ctl_client *client,
		    struct service *service, const struct proto_msg *request);

static bool cmd_start(struct commands *c, struct ctl_client *client,
		      struct service *service, const struct proto_msg *request)
{
	if (!can_start(c, client, service))
		return false;
	manager_start(c->manager, service);
	return true;
}

static bool cmd_stop(struct commands *c, struct ctl_client *client,
		     struct service *service, const struct proto_msg *request)
{
	/* Jobs never touch the container's command: svd stops it. */
	if (service->node.external)
		c->ops->stop_command(c->ctx);
	else
		manager_stop(c->manager, service);
	return true;
}

/* ExecReload=, or SIGHUP for Type=notify-reload. */
static bool cmd_reload(struct commands *c, struct ctl_client *client,
		       struct service *service, const struct proto_msg *request)
{
	const struct unit *unit = service->svc.unit;

	if (unit && !unit->n_exec[UNIT_EXEC_RELOAD] &&
	    unit->type != UNIT_TYPE_NOTIFY_RELOAD) {
		control_fail(client, "%s: no ExecReload=: it cannot be reloaded "
			     "(restart it instead)", service->svc.name);
		return false;
	}
	if (!svc_is_running(&service->svc)) {
		control_fail(client, "%s: not running (%s): nothing to reload",
			     service->svc.name, svc_state_name(service->svc.state));
		return false;
	}
	svc_step(&service->svc, SVC_EV_RELOAD, 0);
	return true;
}

static bool cmd_restart(struct commands *c, struct ctl_client *client,
			struct service *service, const struct proto_msg *request)
{
	/* A container's command: its end is the container's, so a restart
	 * would end the container rather than restart anything. */
	if (service->node.external) {
		control_fail(client, "%s is the container's command: its end "
			     "ends the container, so it cannot be restarted "
			     "(svctl stop %s ends the container)",
			     service->svc.name, service->svc.name);
		return false;
	}
	if (!can_start(c, client, service))
		return false;
	/* Stop, then a start job: it pulls in what the unit requires, and
	 * a service still stopping starts again once down. */
	svc_step(&service->svc, SVC_EV_STOP, 0);
	manager_start(c->manager, service);
	return true;
}

static bool cmd_status(struct commands *c, struct ctl_client *client,
		       struct service *service, const struct proto_msg *request)
{
	reply_service(client, service, true, true);
	return false;
}

static bool cmd_show(struct commands *c, struct ctl_client *client,
		     struct service *service, const struct proto_msg *request)
{
	reply_service(client, service, true, false);
	return false;
}

static bool cmd_logs(struct commands *c, struct ctl_client *client,
		     struct service *service, const struct proto_msg *request)
{
	struct commands_client *cc = client->handler_data;

	logs_cmd_handle(client, service, request, &cc->follow);
	return false;
}

/* The reply says what was done, for svctl to tell: the unit's full
 * name and its new state. */
static void set_enabled(struct commands *c, struct ctl_client *client,
			struct service *service, bool enable)
{
	struct proto_buf *buf;

	if (manager_set_enabled(c->manager, service, enable) < 0) {
		char errbuf[160];

		control_fail(client, "%s: %s: %s", service->svc.name,
			     enable ? "enable" : "disable",
			     log_errno_text(errno, errbuf, sizeof(errbuf)));
		return;
	}
	log_info(service->svc.name, "%s", enable ? "enabled" : "disabled");
	buf = new_buf(client);
	if (!buf)
		return;
	proto_put(buf, "Id", service->svc.name);
	proto_put(buf, "UnitFileState", enable ? "enabled" : "disabled");
	proto_put(buf, "status", "ok");
	control_send(client, buf);
	free(buf);
	control_done(client);
}

static bool cmd_enable(struct commands *c, struct ctl_client *client,
		       struct service *service, const struct proto_msg *request)
{
	set_enabled(c, client, service, true);
	return false;
}

static bool cmd_disable(struct commands *c, struct ctl_client *client,
			struct service *service, const struct proto_msg *request)
{
	set_enabled(c, client, service, false);
	return false;
}

/* mask, unmask: the name as users write it, checked here since no
 * unit need exist (systemctl masks a name it does not know). NULL after
 * replying. */
static char *mask_name(struct ctl_client *client,
		       const struct proto_msg *request)
{
	const char *unit = proto_get(request, "unit");
	char *name = unit ? unit_name_normalize(unit) : NULL;

	if (!name)
		control_fail_code(client, "usage", "%s: invalid unit name",
				  unit ? unit : "");
	return name;
}

/* After a change of the unit directories the units are read again,
 * as systemctl mask does: the mask counts from now on. */
static void mask_done(struct commands *c, struct ctl_client *client,
		      struct proto_buf *buf, bool changed)
{
	if (changed && c->ops->reload(c->ctx) < 0) {
		control_fail(client, "reload failed: see svd's log");
		return;
	}
	proto_put(buf, "status", "ok");
	control_send(client, buf);
	control_done(client);
}

/* A link to /dev/null in the first unit directory, which the lookup
 * reads first. A file of that name there is the unit itself: masking
 * it would lose it, so that is refused, as systemctl refuses. */
static bool cmd_mask(struct commands *c, struct ctl_client *client,
		     struct service *service, const struct proto_msg *request)
{
	const struct manager_config *config = &c->manager->config;
	char *name = mask_name(client, request), *path = NULL;
	struct proto_buf *buf;
	char errbuf[160];
	int r;

	if (!name)
		return false;
	if (config->n_unit_dirs == 0) {
		control_fail(client, "%s: mask: svd has no unit directory", name);
		free(name);
		return false;
	}
	r = mask_create(config->unit_dirs[0], name, &path);
	if (r < 0 && errno == EEXIST)
		control_fail(client, "%s: mask: %s exists and is not a link to "
			     "/dev/null (remove or move that file first)", name,
			     path);
	else if (r < 0)
		control_fail(client, "%s: mask: %s: %s", name,
			     path ? path : config->unit_dirs[0],
			     log_errno_text(errno, errbuf, sizeof(errbuf)));
	else if ((buf = new_buf(client))) {
		if (r == 0)
			log_info(name, "masked: %s -> /dev/null", path);
		proto_put(buf, "Id", name);
		proto_put(buf, "UnitFileState", "masked");
		if (r == 0)
			proto_put(buf, "Created", path);
		mask_done(c, client, buf, r == 0);
		free(buf);
	}
	free(path);
	free(name);
	return false;
}

/* Every link to /dev/null of that name in the unit directories goes (a
 * mask in any of them hides the files of the later ones); nothing else
 * is touched. */
static bool cmd_unmask(struct commands *c, struct ctl_client *client,
		       struct service *service, const struct proto_msg *request)
{
	const struct manager_config *config = &c->manager->config;
	char *name = mask_name(client, request);
	struct proto_buf *buf = name ? new_buf(client) : NULL;
	bool changed = false;
	char errbuf[160];

	if (!buf) {
		free(name);
		return false;
	}
	proto_put(buf, "Id", name);
	for (size_t i = 0; i < config->n_unit_dirs; i++) {
		char *path = NULL;
		int r = mask_remove(config->unit_dirs[i], name, &path);

		if (r < 0) {
			control_fail(client, "%s: unmask: %s: %s", name,
				     path ? path : config->unit_dirs[i],
				     log_errno_text(errno, errbuf,
						    sizeof(errbuf)));
			free(path);
			if (changed)
				c->ops->reload(c->ctx);
			free(buf);
			free(name);
			return false;
		}
		if (r == 0) {
			log_info(name, "unmasked: removed %s", path);
			proto_put(buf, "Removed", path);
			changed = true;
		}
		free(path);
	}
	mask_done(c, client, buf, changed);
	free(buf);
	free(name);
	return false;
}

/* svctl kill: a signal now, the state machine untouched (what the
 * process does about it comes back as its exit). Through the same
 * effects a stop uses, so KillMode= and the cgroup apply. */
static bool cmd_kill(struct commands *c, struct ctl_client *client,
		     struct service *service, const struct proto_msg *request)
{
	const char *signal_text = proto_get(request, "signal");
	const char *whom = proto_get(request, "whom");
	struct svc *svc = &service->svc;
	bool all = !whom || strcmp(whom, "all") == 0;
	char *end = NULL;
	long signo = signal_text ? strtol(signal_text, &end, 10) : SIGTERM;

	if ((end && *end) || signo < 1 || signo > SIGRTMAX ||
	    (whom && !all && strcmp(whom, "main") != 0)) {
		control_fail_code(client, "usage", "kill: signal=%s whom=%s: "
				  "expected a signal number and main or all",
				  signal_text ? signal_text : "",
				  whom ? whom : "");
		return false;
	}
	if (!svc->main_pid && (!all || !svc->control_pid)) {
		control_fail(client, "%s: no %sprocess to kill", svc->name,
			     all ? "" : "main ");
		return false;
	}
	log_info(svc->name, "kill: SIG%s to %s (svctl, uid %u)",
		 value_signal_name((int)signo), all ? "all its processes" :
		 "its main process", (unsigned)client->uid);
	if (svc->main_pid)
		svc->ops->kill(svc, (int)signo, all);
	if (all)
		svc->ops->kill_control(svc, (int)signo);
	control_ok(client);
	return false;
}

/* The request stays open: each event is a reply, until the client goes. */
static bool cmd_monitor(struct commands *c, struct ctl_client *client,
			struct service *service, const struct proto_msg *request)
{
	struct commands_client *cc = client->handler_data;

	if (cc->monitor) {
		control_fail_code(client, "usage", "monitor: already subscribed");
		return false;
	}
	monitor_subscribe(&c->monitor, client, &cc->monitor);
	return false;
}

static bool cmd_list(struct commands *c, struct ctl_client *client,
		     struct service *service, const struct proto_msg *request)
{
	struct proto_buf *buf = new_buf(client);
	struct service **sorted;
	size_t n;

	if (!buf)
		return false;
	sorted = manager_sorted(c->manager, &n);
	if (!sorted) {
		free(buf);
		control_fail(client, "out of memory");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		proto_begin(buf, NULL);
		props_put(buf, sorted[i], false);
		control_send(client, buf);
	}
	free(sorted);
	free(buf);
	control_ok(client);
	return false;
}

/* One unit, or without unit= every one. */
static bool cmd_reset_failed(struct commands *c, struct ctl_client *client,
			     struct service *service,
			     const struct proto_msg *request)
{
	if (service)
		svc_step(&service->svc, SVC_EV_RESET_FAILED, 0);
	for (struct service *s = manager_first(c->manager); !service && s;
	     s = s->next)
		svc_step(&s->svc, SVC_EV_RESET_FAILED, 0);
	control_ok(client);
	return false;
}

static bool cmd_daemon_reload(struct commands *c, struct ctl_client *client,
			      struct service *service,
			      const struct proto_msg *request)
{
	if (c->ops->reload(c->ctx) < 0)
		control_fail(client, "reload failed: see svd's log");
	else
		control_ok(client);
	return false;
}

/* Answered by the daemon (reexec.h): ok just before the exec, or why
 * not. */
static bool cmd_daemon_reexec(struct commands *c, struct ctl_client *client,
			      struct service *service,
			      const struct proto_msg *request)
{
	c->ops->reexec(c->ctx, client);
	return false;
}

void commands_before_reexec(struct commands *c)
{
	while (c->waiting) {
		struct commands_client *cc = c->waiting;
		struct ctl_client *client = cc->client;
		char *name = strdup(cc->wait_target->svc.name);

		wait_end(cc);
		control_fail_code(client, "reexec", "%s: svd re-executes itself; "
				  "the job goes on (see svctl status)",
				  name ? name : "?");
		free(name);
	}
}

/* As init: the system goes down. In a container: the container stops
 * (its command gets SIGTERM), which is what halting it means. Otherwise
 * svd is one service manager among others and does not own the machine. */
static void halt(struct commands *c, struct ctl_client *client,
		 enum halt_action action)
{
	if (!c->ops->owns_machine(c->ctx)) {
		control_fail(client, "%s: svd is not init (PID 1); stop it with "
			     "SIGTERM instead", halt_action_name(action));
		return;
	}
	log_info(NULL, "%s requested by uid %u", halt_action_name(action),
		 (unsigned)client->uid);
	/* The reply goes out while services stop: svctl returns at once. */
	control_ok(client);
	c->ops->halt(c->ctx, action);
}

static bool cmd_poweroff(struct commands *c, struct ctl_client *client,
			 struct service *service, const struct proto_msg *request)
{
	halt(c, client, HALT_POWEROFF);
	return false;
}

static bool cmd_reboot(struct commands *c, struct ctl_client *client,
		       struct service *service, const struct proto_msg *request)
{
	halt(c, client, HALT_REBOOT);
	return false;
}

static bool cmd_halt(struct commands *c, struct ctl_client *client,
		     struct service *service, const struct proto_msg *request)
{
	halt(c, client, HALT_HALT);
	return false;
}

static bool cmd_version(struct commands *c, struct ctl_client *client,
			struct service *service, const struct proto_msg *request)
{
	struct proto_buf *buf = new_buf(client);

	if (!buf)
		return false;
	proto_put(buf, "Version", SVD_VERSION);
	proto_putf(buf, "Units", "%zu", manager_count(c->manager));
	proto_putf(buf, "OrphansReaped", "%lu", c->manager->orphans_reaped);
	proto_put(buf, "status", "ok");
	control_send(client, buf);
	free(buf);
	control_done(client);
	return false;
}

static bool cmd_is_system_running(struct commands *c, struct ctl_client *client,
				  struct service *service,
				  const struct proto_msg *request)
{
	struct proto_buf *buf = new_buf(client);

	if (!buf)
		return false;
	proto_put(buf, "SystemState", c->ops->system_state(c->ctx));
	proto_put(buf, "status", "ok");
	control_send(client, buf);
	free(buf);
	control_done(client);
	return false;
}

/* Answered when the helper is done (tmpfiles_cmd.h). */
static bool cmd_tmpfiles(struct commands *c, struct ctl_client *client,
			 struct service *service, const struct proto_msg *request)
{
	if (!c->tmpfiles)
		control_fail(client, "tmpfiles: not available in this svd");
	else
		tmpfiles_cmd_handle(c->tmpfiles, client, request);
	return false;
}

/* How a verb's unit= is looked up when it names a template's instance
 * that is not loaded. */
enum lookup {
	LOOKUP_LOAD,	  /* loaded for good: the verb acts on it */
	LOOKUP_PEEK,	  /* answered from the template, nothing kept */
	LOOKUP_LOADED,	  /* "not loaded": only a loaded unit has lines */
	LOOKUP_NAME,	  /* none: the verb acts on the name's files */
};

/* What each protocol verb runs; who may send it, what it takes and
 * when it is refused are the verb's row in proto/vocab.c. */
static const struct handler {
	const char *verb;
	cmd_fn *run;
	enum wait_goal goal;	/* what a request that waits waits for */
	enum lookup lookup;
} handlers[] = {
	{ "start", cmd_start, WAIT_STARTED, LOOKUP_LOAD },
	{ "stop", cmd_stop, WAIT_STOPPED, LOOKUP_LOAD },
	{ "restart", cmd_restart, WAIT_STARTED, LOOKUP_LOAD },
	{ "reload", cmd_reload, WAIT_RELOADED, LOOKUP_LOAD },
	{ "status", cmd_status, WAIT_NONE, LOOKUP_PEEK },
	{ "show", cmd_show, WAIT_NONE, LOOKUP_PEEK },
	{ "logs", cmd_logs, WAIT_NONE, LOOKUP_LOADED },
	{ "list", cmd_list, WAIT_NONE, LOOKUP_LOAD },
	{ "kill", cmd_kill, WAIT_NONE, LOOKUP_PEEK },
	{ "monitor", cmd_monitor, WAIT_NONE, LOOKUP_LOAD },
	{ "enable", cmd_enable, WAIT_NONE, LOOKUP_LOAD },
	{ "disable", cmd_disable, WAIT_NONE, LOOKUP_LOAD },
	{ "mask", cmd_mask, WAIT_NONE, LOOKUP_NAME },
	{ "unmask", cmd_unmask, WAIT_NONE, LOOKUP_NAME },
	{ "reset-failed", cmd_reset_failed, WAIT_NONE, LOOKUP_LOAD },
	{ "daemon-reload", cmd_daemon_reload, WAIT_NONE, LOOKUP_LOAD },
	{ "daemon-reexec", cmd_daemon_reexec, WAIT_NONE, LOOKUP_LOAD },
	{ "version", cmd_version, WAIT_NONE, LOOKUP_LOAD },
	{ "is-system-running", cmd_is_system_running, WAIT_NONE, LOOKUP_LOAD },
	{ "tmpfiles", cmd_tmpfiles, WAIT_NONE, LOOKUP_LOAD },
	{ "poweroff", cmd_poweroff, WAIT_NONE, LOOKUP_LOAD },
	{ "reboot", cmd_reboot, WAIT_NONE, LOOKUP_LOAD },
	{ "halt", cmd_halt, WAIT_NONE, LOOKUP_LOAD },
};

#define N_HANDLERS (sizeof(handlers) / sizeof(handlers[0]))

static const struct handler *find_handler(const char *verb)
{
	for (size_t i = 0; i < N_HANDLERS; i++)
		if (strcmp(handlers[i].verb, verb) == 0)
			return &handlers[i];
	return NULL;
}

const char *commands_verb(size_t i, bool *waits)
{
	if (i >= N_HANDLERS)
		return NULL;
	*waits = handlers[i].goal != WAIT_NONE;
	return handlers[i].verb;
}

/* Refuses what this client may not ask now. Returns false once refused. */
static bool may_run(struct commands *c, struct ctl_client *client,
		    const struct vocab_verb *verb, const char *unit_name)
{
	enum access_level need = access_verb_level(verb->flags);

	if (client->access < need) {
		control_fail_code(client, "permission-denied", "%s: permission "
				  "denied: uid %u %s", verb->name,
				  (unsigned)client->uid,
				  access_denied_hint(client->access, need));
		return false;
	}
	if ((verb->flags & VOCAB_CHANGES) && c->ops->shutting_down(c->ctx)) {
		control_fail(client, "%s: svd is shutting down", verb->name);
		return false;
	}
	if (!unit_name && verb->units == VOCAB_UNITS_SOME) {
		control_fail_code(client, "usage", "%s: missing unit=", verb->name);
		return false;
	}
	return true;
}

/* The unit= of a request. Only a verb that acts on a template's
 * instance loads it: what merely asks keeps nothing, so a read-only
 * client cannot grow svd. */
static struct service *find_unit(struct commands *c, const struct handler *handler,
				 const char *name, const char **error)
{
	struct service *service;

	if (handler->lookup == LOOKUP_LOAD)
		return manager_find(c->manager, name, error);
	service = manager_peek(c->manager, name, error);
	if (service && service->transient && handler->lookup == LOOKUP_LOADED) {
		manager_drop_transient(c->manager, service);
		*error = "not loaded (an instance is freed once stopped; its "
			 "past lines are in its log file)";
		return NULL;
	}
	return service;
}

void commands_handle(void *ctx, struct ctl_client *client,
		     const struct proto_msg *request)
{
	struct commands *c = ctx;
	struct commands_client *cc = client_state(c, client);
	const struct vocab_verb *verb = vocab_request_find(request->verb);
	const struct handler *handler = verb ? find_handler(verb->name) : NULL;
	const char *unit_name = proto_get(request, "unit");
	const char *error = NULL;
	struct service *service = NULL;

	if (!cc) {
		control_fail(client, "out of memory");
		return;
	}
	if (!handler) {
		control_fail_code(client, "usage", "unknown command: %s",
				  request->verb);
		return;
	}
	if (!may_run(c, client, verb, unit_name))
		return;
	if (verb->units == VOCAB_UNITS_NONE || handler->lookup == LOOKUP_NAME)
		unit_name = NULL;
	if (unit_name && !(service = find_unit(c, handler, unit_name, &error))) {
		control_fail_code(client, "no-such-unit", "%s: %s", unit_name, error);
		return;
	}
	if (handler->run(c, client, service, request))
		wait_for(cc, service, handler->goal);
	else if (service && service->transient)
		manager_drop_transient(c->manager, service);
}
