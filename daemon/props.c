#include "props.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"
#include "vocab.h"

/* One value of a property, in the field its type says. */
struct prop_value {
	enum vocab_type kind;		/* which field the getter set */
	const char *text;		/* VOCAB_STRING, VOCAB_STRINGS */
	long long number;		/* VOCAB_INT */
	unsigned long long unumber;	/* VOCAB_UINT, VOCAB_USEC */
	char scratch[1024];		/* text composed for this value */
};

static bool text(struct prop_value *v, const char *text)
{
	v->kind = VOCAB_STRING;
	v->text = text;
	return true;
}

static bool number(struct prop_value *v, long long number)
{
	v->kind = VOCAB_INT;
	v->number = number;
	return true;
}

static bool unumber(struct prop_value *v, unsigned long long unumber)
{
	v->kind = VOCAB_UINT;
	v->unumber = unumber;
	return true;
}

/* Wall-clock seconds to microseconds, rounded as "%.0f" rounds (half to
 * even), which is how the value was printed before it had a type. */
static unsigned long long usec_from_sec(double sec)
{
	double usec = sec * 1e6;
	unsigned long long whole;
	double fraction;

	if (usec <= 0)
		return 0;
	whole = (unsigned long long)usec;
	fraction = usec - (double)whole;
	if (fraction > 0.5 || (fraction == 0.5 && (whole & 1)))
		whole++;
	return whole;
}

/* systemd's ExecMainCode= and ExecMainStatus= of a wait status. */
static const char *exit_code_name(int wstatus)
{
	if (WIFEXITED(wstatus))
		return "exited";
	return WCOREDUMP(wstatus) ? "dumped" : "killed";
}

static int exit_status(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus);
}

/* "Stream 127.0.0.1:80", as systemctl show's Listen= has it. */
static bool listen_text(struct prop_value *v, const struct unit_listen *l)
{
	static const char *const kinds[] = {
		[UNIT_LISTEN_STREAM] = "Stream",
		[UNIT_LISTEN_DATAGRAM] = "Datagram",
		[UNIT_LISTEN_SEQPACKET] = "SequentialPacket",
		[UNIT_LISTEN_FIFO] = "FIFO",
	};

	snprintf(v->scratch, sizeof(v->scratch), "%s %s", kinds[l->type], l->text);
	return text(v, v->scratch);
}

/* A socket's definition: while open, the one it listens by (a
 * daemon-reload since changes nothing until it is restarted). */
static const struct unit *socket_unit(const struct service *service)
{
	return service->listener ? service->listener->unit : service->svc.unit;
}

/* The service a socket starts: found through aliases while it is open,
 * else as the unit names it; "NAME@.service" with Accept=yes. */
static bool triggers_text(struct prop_value *v, const struct service *service)
{
	const struct service *target = service->listener ?
		activation_target(service->listener) : NULL;
	char *name;

	if (target)
		return text(v, target->svc.name);
	if (!(name = unit_socket_service(socket_unit(service))))
		return false;
	snprintf(v->scratch, sizeof(v->scratch), "%s", name);
	free(name);
	return text(v, v->scratch);
}

/* "PID COMMAND LINE" of the index-th process of its cgroup. */
static bool process_text(struct prop_value *v, const struct cgroup_unit *cg,
			 size_t index)
{
	size_t n, len = 0;
	pid_t *pids = cgroup_unit_pids(cg, &n);
	char path[64];
	FILE *f;
	int at;

	if (!pids || index >= n) {
		free(pids);
		return false;
	}
	at = snprintf(v->scratch, sizeof(v->scratch), "%d ", (int)pids[index]);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pids[index]);
	free(pids);
	if ((f = fopen(path, "re"))) {
		len = fread(v->scratch + at, 1, sizeof(v->scratch) - (size_t)at - 1, f);
		fclose(f);
	}
	/* The arguments' NULs as blanks; a kernel thread's empty line. */
	for (size_t i = 0; i < len; i++)
		if (v->scratch[at + i] == '\0')
			v->scratch[at + i] = ' ';
	while (len && v->scratch[at + len - 1] == ' ')
		len--;
	v->scratch[at + len] = '\0';
	return text(v, v->scratch);
}

/* What the kernel says of its cgroup, where it says it. */
static bool cgroup_get(enum vocab_prop_id id, const struct service *service,
		       size_t index, struct prop_value *v)
{
	struct cgroup_stats stats;
	uint64_t value;

	if (id == VOCAB_PROP_CONTROL_GROUP)
		return text(v, cgroup_name(service->env ? service->env->cgroups : NULL,
					    service->cgroup.path));
	if (id == VOCAB_PROP_CGROUP_PROCESS)
		return process_text(v, &service->cgroup, index);
	cgroup_unit_stats(&service->cgroup, &stats);
	switch (id) {
	case VOCAB_PROP_TASKS_CURRENT:
		value = stats.tasks;
		break;
	case VOCAB_PROP_MEMORY_CURRENT:
		value = stats.memory_current;
		break;
	case VOCAB_PROP_MEMORY_PEAK:
		value = stats.memory_peak;
		break;
	case VOCAB_PROP_MEMORY_MAX:
		value = stats.memory_max;
		break;
	default:
		value = stats.cpu_usage_usec == UINT64_MAX ? UINT64_MAX :
			stats.cpu_usage_usec * 1000;
		break;
	}
	return value != UINT64_MAX && unumber(v, value);
}

static const struct service *service_of_node(const struct jobs_node *node)
{
	return (const struct service *)((const char *)node -
					offsetof(struct service, node));
}

/* The index-th unit at the end of one kind of edge. */
static bool edge_name(struct prop_value *v, const struct service *service,
		      enum vocab_prop_id id, size_t index)
{
	static const enum unit_dep kinds[] = {
		[VOCAB_PROP_REQUIRES - VOCAB_PROP_REQUIRES] = UNIT_DEP_REQUIRES,
		[VOCAB_PROP_REQUISITE - VOCAB_PROP_REQUIRES] = UNIT_DEP_REQUISITE,
		[VOCAB_PROP_WANTS - VOCAB_PROP_REQUIRES] = UNIT_DEP_WANTS,
		[VOCAB_PROP_BINDS_TO - VOCAB_PROP_REQUIRES] = UNIT_DEP_BINDS_TO,
		[VOCAB_PROP_PART_OF - VOCAB_PROP_REQUIRES] = UNIT_DEP_PART_OF,
		[VOCAB_PROP_CONFLICTS - VOCAB_PROP_REQUIRES] = UNIT_DEP_CONFLICTS,
	};
	const struct jobs_node_edges *e = service->node.e;
	const struct jobs_edges *edges;

	if (!e)
		return false;
	if (id == VOCAB_PROP_AFTER)
		edges = &e->after;
	else if (id == VOCAB_PROP_BEFORE)
		edges = &e->before;
	else
		edges = &e->deps[kinds[id - VOCAB_PROP_REQUIRES]];
	return index < edges->n &&
	       text(v, service_of_node(edges->v[index])->svc.name);
}

/* The getters: sets v to the index-th value of property id (index is 0
 * but for lists) and returns true, or false when there is none (not
 * known yet, no unit loaded, past a list's end). */
static bool get(enum vocab_prop_id id, const struct service *service,
		size_t index, struct prop_value *v)
{
	const struct svc *svc = &service->svc;
	const struct unit *unit = svc->unit;

	switch (id) {
	case VOCAB_PROP_ID:
		return text(v, svc->name);
	case VOCAB_PROP_DESCRIPTION:
		return text(v, unit && unit->description ? unit->description : "");
	case VOCAB_PROP_LOAD_STATE:
		return text(v, service_load_name(service->load));
	case VOCAB_PROP_ACTIVE_STATE:
		return text(v, svc_active_state(svc));
	case VOCAB_PROP_SUB_STATE:
		return text(v, svc_sub_state(svc));
	case VOCAB_PROP_UNIT_FILE_STATE:
		/* As systemctl: a masked unit's file state is "masked". */
		return text(v, service->load == SERVICE_MASKED ? "masked" :
			    service->enabled ? "enabled" : "disabled");
	case VOCAB_PROP_LOAD_ERROR:
		return service->load_error && text(v, service->load_error);
	case VOCAB_PROP_FRAGMENT_PATH:
		return text(v, service->path ? service->path : "");
	case VOCAB_PROP_STATE:
		return text(v, svc_state_name(svc->state));
	case VOCAB_PROP_STATE_CAUSE:
		return text(v, svc_cause_name(svc->cause));
	case VOCAB_PROP_STATE_CAUSE_TEXT:
		return text(v, svc_describe_cause(svc, v->scratch,
						  sizeof(v->scratch)));
	case VOCAB_PROP_STATE_CHANGE_TIMESTAMP:
		return unumber(v, usec_from_sec(svc->state_since_wall));
	case VOCAB_PROP_MAIN_PID:
		return number(v, svc->main_pid);
	case VOCAB_PROP_N_RESTARTS:
		return unumber(v, svc->n_restarts);
	case VOCAB_PROP_RESULT:
		return text(v, policy_result_name(svc->result));
	case VOCAB_PROP_EXEC_MAIN_CODE:
		return svc->has_exited && text(v, exit_code_name(svc->last_wstatus));
	case VOCAB_PROP_EXEC_MAIN_STATUS:
		return svc->has_exited && number(v, exit_status(svc->last_wstatus));
	case VOCAB_PROP_EXEC_ERROR:
		return svc->exec_errno &&
		       text(v, log_errno_text(svc->exec_errno, v->scratch,
					      sizeof(v->scratch)));
	case VOCAB_PROP_STATUS_TEXT:
		return text(v, svc->status_text ? svc->status_text : "");
	case VOCAB_PROP_STATUS_ERRNO:
		return number(v, svc->status_errno);
	case VOCAB_PROP_TYPE:
		return unit && text(v, unit_type_name(unit->type));
	case VOCAB_PROP_NOTIFY_ACCESS:
		return unit && text(v, unit_notify_access_name(unit->notify_access));
	case VOCAB_PROP_WATCHDOG_USEC:
		return unit && unumber(v, unit->watchdog_usec);
	case VOCAB_PROP_RESTART:
		return unit && text(v, unit_restart_name(unit->restart));
	case VOCAB_PROP_RESTART_USEC_NEXT:
		return unit && unumber(v, policy_restart_delay(unit,
							       svc->restart_streak + 1));
	case VOCAB_PROP_EXEC_START:
		return unit && index < unit->n_exec_start &&
		       text(v, unit->exec_start[index].line);
	case VOCAB_PROP_LISTEN:
		unit = socket_unit(service);
		return unit && unit->socket && index < unit->socket->n_listen &&
		       listen_text(v, &unit->socket->listen[index]);
	case VOCAB_PROP_TRIGGERS:
		return unit && unit->socket && triggers_text(v, service);
	case VOCAB_PROP_N_ACCEPTED:
		unit = socket_unit(service);
		return unit && unit->socket && unit->socket->accept &&
		       unumber(v, service->listener ? service->listener->n_accepted : 0);
	case VOCAB_PROP_N_CONNECTIONS:
		unit = socket_unit(service);
		return unit && unit->socket && unit->socket->accept &&
		       unumber(v, service->listener ? service->listener->n_connections : 0);
	case VOCAB_PROP_N_REFUSED:
		unit = socket_unit(service);
		return unit && unit->socket && unit->socket->accept &&
		       unumber(v, service->listener ? service->listener->n_refused : 0);
	case VOCAB_PROP_TRIGGER_STALLED:
		return service->listener && service->listener->stalled &&
		       text(v, service->listener->stalled);
	case VOCAB_PROP_TIMEOUT_START_USEC:
		return unit && unumber(v, unit->timeout_start_usec);
	case VOCAB_PROP_TIMEOUT_STOP_USEC:
		return unit && unumber(v, unit->timeout_stop_usec);
	case VOCAB_PROP_CONTROL_GROUP:
	case VOCAB_PROP_TASKS_CURRENT:
	case VOCAB_PROP_MEMORY_CURRENT:
	case VOCAB_PROP_MEMORY_PEAK:
	case VOCAB_PROP_MEMORY_MAX:
	case VOCAB_PROP_CPU_USAGE_NSEC:
	case VOCAB_PROP_CGROUP_PROCESS:
		return service->cgroup.path && cgroup_get(id, service, index, v);
	case VOCAB_PROP_CGROUP_WARNING:
		return service->cgroup_warning && text(v, service->cgroup_warning);
	case VOCAB_PROP_DROP_IN_PATHS:
		return unit && unit->dropin_paths && unit->dropin_paths[index] &&
		       text(v, unit->dropin_paths[index]);
	case VOCAB_PROP_NEED_RESTART:
		return text(v, service_needs_restart(service) ? "yes" : "no");
	case VOCAB_PROP_REQUIRES:
	case VOCAB_PROP_REQUISITE:
	case VOCAB_PROP_WANTS:
	case VOCAB_PROP_BINDS_TO:
	case VOCAB_PROP_PART_OF:
	case VOCAB_PROP_CONFLICTS:
	case VOCAB_PROP_AFTER:
	case VOCAB_PROP_BEFORE:
		return edge_name(v, service, id, index);
	case VOCAB_PROP_COUNT:
		break;
	}
	return false;
}

/* The field a type's values live in. */
static enum vocab_type kind_of(enum vocab_type type)
{
	switch (type) {
	case VOCAB_STRING:
	case VOCAB_STRINGS:
	case VOCAB_BOOL:
		return VOCAB_STRING;
	case VOCAB_INT:
		return VOCAB_INT;
	case VOCAB_UINT:
	case VOCAB_USEC:
		return VOCAB_UINT;
	}
	return VOCAB_STRING;
}

static void put_value(struct proto_buf *buf, const struct vocab_prop *prop,
		      const struct prop_value *v)
{
	if (v->kind != kind_of(prop->type)) {
		log_error(NULL, "BUG: property %s: getter of another type",
			  prop->name);
		return;
	}
	if (v->kind == VOCAB_INT)
		proto_putf(buf, prop->name, "%lld", v->number);
	else if (v->kind == VOCAB_UINT)
		proto_putf(buf, prop->name, "%llu", v->unumber);
	else
		proto_put(buf, prop->name, v->text);
}

void props_put(struct proto_buf *buf, const struct service *service,
	       bool full)
{
	struct prop_value v;

	for (int id = 0; id < VOCAB_PROP_COUNT; id++) {
		const struct vocab_prop *prop = &vocab_props[id];

		if (!full && !prop->brief)
			continue;
		for (size_t i = 0; (i == 0 || prop->type == VOCAB_STRINGS) &&
		     get((enum vocab_prop_id)id, service, i, &v); i++)
			put_value(buf, prop, &v);
	}
}

void props_put_some(struct proto_buf *buf, const struct service *service,
		    const enum vocab_prop_id *ids, size_t n)
{
	struct prop_value v;

	for (size_t k = 0; k < n; k++) {
		const struct vocab_prop *prop = &vocab_props[ids[k]];

		for (size_t i = 0; (i == 0 || prop->type == VOCAB_STRINGS) &&
		     get(ids[k], service, i, &v); i++)
			put_value(buf, prop, &v);
	}
}
