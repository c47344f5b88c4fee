#include "jobs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "order.h"
#include "strv.h"
#include "wants.h"

static bool has_suffix(const char *name, const char *suffix)
{
	size_t len = strlen(name), n = strlen(suffix);

	return len > n && strcmp(name + len - n, suffix) == 0;
}

/* "socket" for "syslog.socket". */
static const char *unit_kind(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot ? dot + 1 : name;
}

/* The service a dependency names: targets are made on first mention;
 * NULL with *why set when there is none. */
static struct service *find_dep(struct manager *mgr, const char *name,
				const char **why)
{
	struct service *service;

	if (has_suffix(name, ".target"))
		return manager_target(mgr, name);
	if (!has_suffix(name, ".service")) {
		*why = NULL;	/* the caller names the unit type */
		return NULL;
	}
	service = manager_get(mgr, name, why);
	return service;
}

/* --- extra edges: [Install] WantedBy=/RequiredBy= and NAME.wants/ --- */

static void wants_diag(void *ctx, const char *path, int err)
{
	log_errno(LOG_LEVEL_WARNING, NULL, err, "%s", path);
}

static void extras_add(struct wants *x, const char *owner, enum unit_dep kind,
		       const char *name)
{
	if (wants_add(x, owner, kind, name) < 0)
		log_errno(LOG_LEVEL_ERROR, owner, errno, "%s=%s",
			  unit_dep_name(kind), name);
}

static void collect_extras(struct manager *mgr, struct wants *x)
{
	if (wants_scan(mgr->config.unit_dirs, mgr->config.n_unit_dirs, x,
		       wants_diag, NULL) < 0)
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "reading .wants/ and "
			  ".requires/ directories");
	for (size_t i = 0; i < mgr->n_services; i++) {
		const struct service *service = mgr->services[i];
		const struct unit *unit = service->svc.unit;

		if (!unit || !service->enabled)
			continue;
		for (size_t j = 0; unit->wanted_by && unit->wanted_by[j]; j++)
			extras_add(x, unit->wanted_by[j], UNIT_DEP_WANTS, service->svc.name);
		for (size_t j = 0; unit->required_by && unit->required_by[j]; j++)
			extras_add(x, unit->required_by[j], UNIT_DEP_REQUIRES,
				   service->svc.name);
	}
}

/* --- resolving --- */

static bool contains(struct service *const *list, size_t n,
		     const struct service *service)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == service)
			return true;
	return false;
}

static void add_unique(struct service ***list, size_t *n, struct service *service)
{
	struct service **grown;

	if (contains(*list, *n, service))
		return;
	grown = realloc(*list, (*n + 1) * sizeof(*grown));
	if (!grown) {
		log_errno(LOG_LEVEL_ERROR, service->svc.name, ENOMEM, "dependency");
		return;
	}
	*list = grown;
	(*list)[(*n)++] = service;
}

static void remove_from(struct service **list, size_t *n, const struct service *service)
{
	for (size_t i = 0; i < *n; i++) {
		if (list[i] != service)
			continue;
		memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof(*list));
		(*n)--;
		return;
	}
}

void jobs_forget(struct service *service)
{
	for (int k = 0; k < UNIT_DEP_COUNT; k++) {
		free(service->deps[k]);
		service->deps[k] = NULL;
		service->n_deps[k] = 0;
	}
	free(service->after);
	free(service->before);
	free(service->missing);
	service->after = service->before = NULL;
	service->n_after = service->n_before = 0;
	service->missing = NULL;
}

static bool is_hard(enum unit_dep kind)
{
	return kind == UNIT_DEP_REQUIRES || kind == UNIT_DEP_REQUISITE ||
	       kind == UNIT_DEP_BINDS_TO;
}

/* One named dependency of service: linked, or, when it is a hard one on
 * something svd cannot provide, recorded as the reason it cannot start. */
static void link_dep(struct manager *mgr, struct service *service,
		     enum unit_dep kind, const char *name)
{
	const char *why = NULL;
	struct service *dep = find_dep(mgr, name, &why);
	int r;

	if (dep) {
		add_unique(&service->deps[kind], &service->n_deps[kind], dep);
		return;
	}
	/* An ordering or a wish for what is not there is satisfied, as in
	 * systemd; a requirement is not. */
	if (!is_hard(kind) || service->missing) {
		log_debug(service->svc.name, "%s=%s: not here, ignored",
			  unit_dep_name(kind), name);
		return;
	}
	if (why)
		r = asprintf(&service->missing, "%s=%s: %s", unit_dep_name(kind),
			     name, why);
	else
		r = asprintf(&service->missing, "%s=%s: svd has no .%s units "
			     "(it runs services and provides targets)",
			     unit_dep_name(kind), name, unit_kind(name));
	if (r < 0)
		service->missing = strdup("a requirement cannot be met");
	log_warning(service->svc.name, "cannot start: %s", service->missing);
}

/* Makes every unit a name refers to exist (targets, template instances)
 * before any pointer is taken: making one grows the table. */
static void make_referenced(struct manager *mgr, const struct wants *x)
{
	const char *why;
	size_t n;

again:
	n = mgr->n_services;
	for (size_t i = 0; i < mgr->n_services; i++) {
		const struct unit *unit = mgr->services[i]->svc.unit;

		for (int k = 0; unit && k < UNIT_DEP_COUNT; k++)
			for (size_t j = 0; unit->deps[k] && unit->deps[k][j]; j++) {
				find_dep(mgr, unit->deps[k][j], &why);
				if (mgr->n_services != n)
					goto again;
			}
	}
	for (size_t i = 0; i < x->n; i++) {
		find_dep(mgr, x->v[i].owner, &why);
		find_dep(mgr, x->v[i].name, &why);
	}
	if (mgr->n_services != n)
		goto again;
}

static void link_order(struct manager *mgr)
{
	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *service = mgr->services[i];

		for (size_t j = 0; j < service->n_deps[UNIT_DEP_AFTER]; j++)
			add_unique(&service->after, &service->n_after,
				   service->deps[UNIT_DEP_AFTER][j]);
		for (size_t j = 0; j < service->n_deps[UNIT_DEP_BEFORE]; j++) {
			struct service *later = service->deps[UNIT_DEP_BEFORE][j];

			add_unique(&later->after, &later->n_after, service);
		}
		/* A target is reached after what it pulls in, as systemd's
		 * default dependencies for targets have it. */
		if (!service->is_target)
			continue;
		for (int k = 0; k < UNIT_DEP_COUNT; k++) {
			if (k != UNIT_DEP_REQUIRES && k != UNIT_DEP_WANTS &&
			    k != UNIT_DEP_BINDS_TO)
				continue;
			for (size_t j = 0; j < service->n_deps[k]; j++) {
				struct service *dep = service->deps[k][j];

				/* Not when the unit orders itself after the
				 * target: systemd skips that edge too. */
				if (contains(dep->deps[UNIT_DEP_AFTER],
					     dep->n_deps[UNIT_DEP_AFTER], service))
					continue;
				add_unique(&service->after, &service->n_after, dep);
			}
		}
	}
	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *service = mgr->services[i];

		for (size_t j = 0; j < service->n_after; j++)
			add_unique(&service->after[j]->before,
				   &service->after[j]->n_before, service);
	}
}

static bool requires(const struct service *service, const struct service *dep)
{
	for (int k = 0; k < UNIT_DEP_COUNT; k++)
		if (is_hard(k) && contains(service->deps[k], service->n_deps[k], dep))
			return true;
	return false;
}

static const char *file_of(const struct service *service)
{
	return service->path ? service->path : service->is_target ?
	       "made up by svd" : "no file";
}

static void drop_edge(struct service *later, struct service *earlier)
{
	remove_from(later->after, &later->n_after, earlier);
	remove_from(earlier->before, &earlier->n_before, later);
}

/* Reports one cycle with its units and files, and breaks it as systemd
 * would rather lose: an ordering on a unit that is only wanted. When
 * every link is a requirement, the units in it are refused. */
static void break_cycle(struct manager *mgr, size_t *cycle, size_t len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	size_t soft = len;

	for (size_t i = 0; f && i < len; i++)
		fprintf(f, "%s (%s) after ", mgr->services[cycle[i]]->svc.name,
			file_of(mgr->services[cycle[i]]));
	if (f) {
		fprintf(f, "%s", mgr->services[cycle[0]]->svc.name);
		fclose(f);
	}
	log_error(NULL, "ordering cycle: %s", text ? text : "(out of memory)");
	for (size_t i = 0; i < len && soft == len; i++)
		if (!requires(mgr->services[cycle[i]], mgr->services[cycle[(i + 1) % len]]))
			soft = i;
	if (soft < len) {
		struct service *later = mgr->services[cycle[soft]];
		struct service *earlier = mgr->services[cycle[(soft + 1) % len]];

		log_warning(later->svc.name, "dropping its order after %s to "
			    "break the cycle", earlier->svc.name);
		drop_edge(later, earlier);
	} else {
		for (size_t i = 0; i < len; i++) {
			struct service *service = mgr->services[cycle[i]];

			if (!service->missing &&
			    asprintf(&service->missing, "in an ordering cycle of "
				     "requirements: %s", text ? text : "") < 0)
				service->missing = NULL;
		}
		drop_edge(mgr->services[cycle[0]], mgr->services[cycle[1 % len]]);
	}
	free(text);
}

static void break_cycles(struct manager *mgr)
{
	size_t n = mgr->n_services;
	struct order_graph g = { .n = n };
	size_t *cycle = malloc((n ? n : 1) * sizeof(*cycle));
	size_t len;

	g.after = calloc(n ? n : 1, sizeof(*g.after));
	g.n_after = calloc(n ? n : 1, sizeof(*g.n_after));
	if (!cycle || !g.after || !g.n_after)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		mgr->services[i]->jobs_index = i;
	for (;;) {
		for (size_t i = 0; i < n; i++) {
			const struct service *service = mgr->services[i];

			free(g.after[i]);
			g.after[i] = malloc((service->n_after ? service->n_after : 1) *
					    sizeof(**g.after));
			if (!g.after[i])
				goto nomem;
			for (size_t j = 0; j < service->n_after; j++)
				g.after[i][j] = service->after[j]->jobs_index;
			g.n_after[i] = service->n_after;
		}
		len = order_find_cycle(&g, cycle);
		if (len == (size_t)-1)
			goto nomem;
		if (len == 0)
			break;
		break_cycle(mgr, cycle, len);
	}
	goto out;
nomem:
	log_errno(LOG_LEVEL_ERROR, NULL, ENOMEM, "checking for ordering cycles");
out:
	for (size_t i = 0; g.after && i < n; i++)
		free(g.after[i]);
	free(g.after);
	free(g.n_after);
	free(cycle);
}

/* Links a service made after the last resolve (a template instance
 * named at run time) without redoing everyone's: its own dependencies,
 * its [Install] wishes, its ordering both ways; then cycles. Entries of
 * NAME.wants/ directories for it wait for the next daemon-reload. */
static void link_newcomer(struct manager *mgr, struct service *service)
{
	const struct unit *unit = service->svc.unit;

	service->linked = true;
	jobs_forget(service);
	for (int k = 0; unit && k < UNIT_DEP_COUNT; k++)
		for (size_t j = 0; unit->deps[k] && unit->deps[k][j]; j++)
			link_dep(mgr, service, k, unit->deps[k][j]);
	for (size_t j = 0; unit && service->enabled && unit->wanted_by &&
	     unit->wanted_by[j]; j++) {
		const char *why;
		struct service *owner = find_dep(mgr, unit->wanted_by[j], &why);

		if (owner)
			link_dep(mgr, owner, UNIT_DEP_WANTS, service->svc.name);
	}
	for (size_t j = 0; j < service->n_deps[UNIT_DEP_AFTER]; j++) {
		struct service *earlier = service->deps[UNIT_DEP_AFTER][j];

		add_unique(&service->after, &service->n_after, earlier);
		add_unique(&earlier->before, &earlier->n_before, service);
	}
	for (size_t j = 0; j < service->n_deps[UNIT_DEP_BEFORE]; j++) {
		struct service *later = service->deps[UNIT_DEP_BEFORE][j];

		add_unique(&later->after, &later->n_after, service);
		add_unique(&service->before, &service->n_before, later);
	}
	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *target = mgr->services[i];

		if (!target->is_target ||
		    !contains(target->deps[UNIT_DEP_WANTS],
			      target->n_deps[UNIT_DEP_WANTS], service) ||
		    contains(service->deps[UNIT_DEP_AFTER],
			     service->n_deps[UNIT_DEP_AFTER], target))
			continue;
		add_unique(&target->after, &target->n_after, service);
		add_unique(&service->before, &service->n_before, target);
	}
}

void jobs_link_new(struct manager *mgr)
{
	bool again = true;

	/* Linking one may make another (an instance it requires). */
	while (again) {
		again = false;
		for (size_t i = 0; i < mgr->n_services; i++)
			if (!mgr->services[i]->linked) {
				link_newcomer(mgr, mgr->services[i]);
				again = true;
				break;
			}
	}
	break_cycles(mgr);
}

void jobs_resolve(struct manager *mgr)
{
	struct wants extras = {0};

	collect_extras(mgr, &extras);
	manager_target(mgr, JOBS_DEFAULT_TARGET);
	manager_target(mgr, JOBS_MULTI_USER_TARGET);
	make_referenced(mgr, &extras);
	for (size_t i = 0; i < mgr->n_services; i++) {
		jobs_forget(mgr->services[i]);
		mgr->services[i]->linked = true;
	}
	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *service = mgr->services[i];
		const struct unit *unit = service->svc.unit;

		for (int k = 0; unit && !service->is_target && k < UNIT_DEP_COUNT; k++)
			for (size_t j = 0; unit->deps[k] && unit->deps[k][j]; j++)
				link_dep(mgr, service, k, unit->deps[k][j]);
		/* Its readiness is a name on the bus: without one it would
		 * run and never be seen as started. */
		if (unit && unit->type == UNIT_TYPE_DBUS && !service->missing) {
			service->missing = strdup("Type=dbus: it is ready when "
						  "it takes a D-Bus name, and "
						  "svd provides no D-Bus");
			log_warning(service->svc.name, "cannot start: %s",
				    service->missing ? service->missing : "Type=dbus");
		}
	}
	for (size_t i = 0; i < extras.n; i++) {
		const char *why;
		struct service *owner = find_dep(mgr, extras.v[i].owner, &why);

		if (owner)
			link_dep(mgr, owner, extras.v[i].kind, extras.v[i].name);
	}
	wants_free(&extras);
	/* default.target is multi-user.target, as on a server. */
	link_dep(mgr, manager_target(mgr, JOBS_DEFAULT_TARGET), UNIT_DEP_WANTS,
		 JOBS_MULTI_USER_TARGET);
	link_order(mgr);
	break_cycles(mgr);
}

/* --- running jobs --- */

static bool is_up(const struct service *service)
{
	return svc_is_up(&service->svc);
}

/* Nothing more to wait for: it ran, runs, or will not; a stop on its
 * way comes first, as systemd orders a stop before a start. */
static bool settled(const struct service *service)
{
	return !service->start_job && !service->stop_job &&
	       !svc_is_starting(&service->svc) && !svc_is_stopping(&service->svc);
}

static bool has_failed(const struct service *service)
{
	return !service->start_job && svc_is_failed(&service->svc);
}

static void set_start_job(struct manager *mgr, struct service *service, bool on)
{
	if (service->start_job != on)
		mgr->n_jobs += on ? 1 : -1;
	service->start_job = on;
}

static void set_stop_job(struct manager *mgr, struct service *service, bool on)
{
	if (service->stop_job != on)
		mgr->n_jobs += on ? 1 : -1;
	service->stop_job = on;
}

static void fail_start(struct manager *mgr, struct service *service, const char *why)
{
	set_start_job(mgr, service, false);
	/* No unit to fail, or up already (a start that only cancelled its
	 * stop): the reason is logged. */
	if (!service->svc.unit || is_up(service)) {
		log_warning(service->svc.name, "not started: %s", why);
		return;
	}
	svc_fail_dependency(&service->svc, why);
}

struct worklist {
	struct service **v;
	size_t n, cap;
};

static void push(struct worklist *w, struct service *service)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 32;
		struct service **grown = realloc(w->v, cap * sizeof(*grown));

		if (!grown) {
			log_errno(LOG_LEVEL_ERROR, service->svc.name, ENOMEM, "queueing");
			return;
		}
		w->v = grown;
		w->cap = cap;
	}
	w->v[w->n++] = service;
}

static void queue_stop(struct manager *mgr, struct service *service);

static void stop_conflicts(struct manager *mgr, struct service *service)
{
	for (size_t j = 0; j < service->n_deps[UNIT_DEP_CONFLICTS]; j++)
		queue_stop(mgr, service->deps[UNIT_DEP_CONFLICTS][j]);
	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *other = mgr->services[i];

		if (contains(other->deps[UNIT_DEP_CONFLICTS],
			     other->n_deps[UNIT_DEP_CONFLICTS], service))
			queue_stop(mgr, other);
	}
}

/* Why service cannot even be queued, or NULL. */
static const char *refusal(const struct service *service, char *buf, size_t size)
{
	if (service->missing)
		return service->missing;
	if (service->load == SERVICE_MASKED)
		return "unit is masked";
	if (!service->svc.unit) {
		snprintf(buf, size, "unit file has errors: %s",
			 service->load_error ? service->load_error : "?");
		return buf;
	}
	return NULL;
}

static void queue_start(struct manager *mgr, struct service *first)
{
	struct worklist w = {0};
	char buf[512];

	push(&w, first);
	while (w.n) {
		struct service *service = w.v[--w.n];
		const char *why = refusal(service, buf, sizeof(buf));

		if (service->start_job || service->inherit ||
		    (is_up(service) && !service->stop_job))
			continue;
		set_stop_job(mgr, service, false);
		if (why) {
			fail_start(mgr, service, why);
			continue;
		}
		set_start_job(mgr, service, true);
		stop_conflicts(mgr, service);
		for (size_t j = 0; j < service->n_deps[UNIT_DEP_REQUISITE]; j++) {
			const struct service *dep = service->deps[UNIT_DEP_REQUISITE][j];

			if (!is_up(dep) && !dep->start_job) {
				snprintf(buf, sizeof(buf), "Requisite=%s is not active",
					 dep->svc.name);
				fail_start(mgr, service, buf);
				break;
			}
		}
		if (!service->start_job)
			continue;
		for (int k = 0; k < UNIT_DEP_COUNT; k++)
			if (k == UNIT_DEP_REQUIRES || k == UNIT_DEP_WANTS ||
			    k == UNIT_DEP_BINDS_TO)
				for (size_t j = 0; j < service->n_deps[k]; j++)
					push(&w, service->deps[k][j]);
	}
	free(w.v);
}

/* Whether other must go down with service: it requires it, is bound to
 * it or part of it. */
static bool goes_with(const struct service *other, const struct service *service)
{
	static const enum unit_dep kinds[] = {
		UNIT_DEP_REQUIRES, UNIT_DEP_REQUISITE, UNIT_DEP_BINDS_TO,
		UNIT_DEP_PART_OF,
	};

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (contains(other->deps[kinds[k]], other->n_deps[kinds[k]], service))
			return true;
	return false;
}

static void queue_stop(struct manager *mgr, struct service *first)
{
	struct worklist w = {0};

	push(&w, first);
	while (w.n) {
		struct service *service = w.v[--w.n];

		if (service->stop_job || service->inherit)
			continue;
		set_start_job(mgr, service, false);
		set_stop_job(mgr, service, true);
		for (size_t i = 0; i < mgr->n_services; i++) {
			struct service *other = mgr->services[i];

			if ((is_up(other) || other->start_job) && !other->stop_job &&
			    goes_with(other, service))
				push(&w, other);
		}
	}
	free(w.v);
}

/* Both return true when the job is done (run or failed): what waited
 * for it may run now. */
static bool try_start(struct manager *mgr, struct service *service)
{
	char why[700], reason[512];

	for (int k = 0; k < UNIT_DEP_COUNT; k++) {
		if (k != UNIT_DEP_REQUIRES && k != UNIT_DEP_BINDS_TO &&
		    k != UNIT_DEP_REQUISITE)
			continue;
		for (size_t j = 0; j < service->n_deps[k]; j++) {
			const struct service *dep = service->deps[k][j];
			const char *refused = refusal(dep, reason, sizeof(reason));

			if (has_failed(dep) || refused ||
			    (k == UNIT_DEP_REQUISITE && !is_up(dep) && !dep->start_job)) {
				snprintf(why, sizeof(why), "dependency failed: %s%s%s%s",
					 dep->svc.name, refused ? " (" : "",
					 refused ? refused : "", refused ? ")" : "");
				fail_start(mgr, service, why);
				return true;
			}
		}
	}
	for (size_t j = 0; j < service->n_after; j++)
		if (!settled(service->after[j]))
			return false;
	set_start_job(mgr, service, false);
	svc_step(&service->svc, SVC_EV_START, 0);
	return true;
}

static bool try_stop(struct manager *mgr, struct service *service)
{
	/* What starts after it stops before it. */
	for (size_t j = 0; j < service->n_before; j++) {
		const struct service *later = service->before[j];

		if (later->stop_job || svc_is_stopping(&later->svc))
			return false;
	}
	set_stop_job(mgr, service, false);
	svc_step(&service->svc, SVC_EV_STOP, 0);
	return true;
}

bool jobs_run(struct manager *mgr)
{
	bool done_any = false, progress = true;

	/* A job done late in the table may free one seen earlier, with no
	 * state change to say so (a stop of what was down): again. */
	while (progress && mgr->n_jobs) {
		progress = false;
		for (size_t i = 0; i < mgr->n_services && mgr->n_jobs; i++) {
			struct service *service = mgr->services[i];

			if (service->start_job)
				progress |= try_start(mgr, service);
			else if (service->stop_job)
				progress |= try_stop(mgr, service);
		}
		done_any |= progress;
	}
	return done_any;
}

void jobs_start(struct manager *mgr, struct service *service)
{
	queue_start(mgr, service);
}

void jobs_stop(struct manager *mgr, struct service *service)
{
	queue_stop(mgr, service);
}

void jobs_stop_all(struct manager *mgr)
{
	for (size_t i = 0; i < mgr->n_services; i++) {
		struct service *service = mgr->services[i];

		if (service->inherit)
			continue;
		set_start_job(mgr, service, false);
		set_stop_job(mgr, service, true);
	}
}

void jobs_state_changed(struct manager *mgr, struct service *service,
			enum svc_state old_state)
{
	/* Up, coming up or going down: only a stop phase is neither up
	 * nor down. TODO(svc.h): svc_state_was_up(). */
	bool was_up = !svc_state_is_down(old_state);

	/* BindsTo=: what is bound to a unit that went down goes too. */
	if (was_up && svc_state_is_down(service->svc.state)) {
		for (size_t i = 0; i < mgr->n_services; i++) {
			struct service *other = mgr->services[i];

			if (is_up(other) && !other->stop_job &&
			    contains(other->deps[UNIT_DEP_BINDS_TO],
				     other->n_deps[UNIT_DEP_BINDS_TO], service)) {
				log_info(other->svc.name, "stopping: bound to %s, "
					 "which went down", service->svc.name);
				queue_stop(mgr, other);
			}
		}
	}
}
