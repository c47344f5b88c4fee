#include "jobs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* --- the node list and the queue --- */

void jobs_init(struct jobs *jobs, const struct jobs_ops *ops, void *ctx)
{
	*jobs = (struct jobs){ .ops = ops, .ctx = ctx };
}

void jobs_free(struct jobs *jobs)
{
	for (struct jobs_node *node = jobs->first; node; node = node->next) {
		free(node->doomed);
		node->doomed = NULL;
	}
	jobs_graph_free(jobs);
}

void jobs_node_add(struct jobs *jobs, struct jobs_node *node)
{
	jobs_graph_add(jobs, node);
}

/* Queues node to be looked at by jobs_run(), once. */
static void enqueue(struct jobs *jobs, struct jobs_node *node)
{
	if (node->queued)
		return;
	node->queued = true;
	node->queue_next = NULL;
	if (jobs->queue_last)
		jobs->queue_last->queue_next = node;
	else
		jobs->queue_first = node;
	jobs->queue_last = node;
}

static struct jobs_node *dequeue(struct jobs *jobs)
{
	struct jobs_node *node = jobs->queue_first;

	if (!node)
		return NULL;
	jobs->queue_first = node->queue_next;
	if (!jobs->queue_first)
		jobs->queue_last = NULL;
	node->queued = false;
	return node;
}

static void unqueue(struct jobs *jobs, struct jobs_node *node)
{
	struct jobs_node *prev = NULL;

	if (!node->queued)
		return;
	for (struct jobs_node *n = jobs->queue_first; n; prev = n, n = n->queue_next) {
		if (n != node)
			continue;
		if (prev)
			prev->queue_next = n->queue_next;
		else
			jobs->queue_first = n->queue_next;
		if (jobs->queue_last == n)
			jobs->queue_last = prev;
		break;
	}
	node->queued = false;
}

void jobs_node_remove(struct jobs *jobs, struct jobs_node *node)
{
	free(node->doomed);
	node->doomed = NULL;
	jobs->n_jobs -= node->start_job + node->stop_job;
	jobs->n_start_jobs -= node->start_job;
	node->start_job = node->stop_job = false;
	unqueue(jobs, node);
	jobs_graph_remove(jobs, node);
}

void jobs_resolve(struct jobs *jobs, const struct wants *wants)
{
	jobs_graph_resolve(jobs, wants);
	/* What may fail them (a requirement gone or masked) is new. */
	for (struct jobs_node *node = jobs->first; node; node = node->next)
		if (node->start_job || node->stop_job)
			enqueue(jobs, node);
}

void jobs_link_new(struct jobs *jobs)
{
	jobs_graph_link_new(jobs);
}

/* --- states and flags --- */

static enum jobs_state state_of(const struct jobs *jobs, const struct jobs_node *node)
{
	return jobs->ops->state(node);
}

/* Up, or coming up: a start job has nothing to do for it. */
static bool is_up(const struct jobs *jobs, const struct jobs_node *node)
{
	enum jobs_state state = state_of(jobs, node);

	return state == JOBS_UP || state == JOBS_STARTING;
}

/* Nothing more to wait for: it ran, runs, or will not; a stop on its
 * way comes first, as systemd orders a stop before a start. */
static bool settled(const struct jobs *jobs, const struct jobs_node *node)
{
	enum jobs_state state = state_of(jobs, node);

	return !node->start_job && !node->stop_job &&
	       state != JOBS_STARTING && state != JOBS_STOPPING;
}

static bool has_failed(const struct jobs *jobs, const struct jobs_node *node)
{
	return !node->start_job && state_of(jobs, node) == JOBS_FAILED;
}

static void touch(struct jobs *jobs, struct jobs_edges *e)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i]->start_job || e->v[i]->stop_job)
			enqueue(jobs, e->v[i]);
}

/* The nodes whose jobs may wait for node: what is ordered after it
 * (for its start) or before it (for its stop), and what requires it
 * (its failure fails them). Its own job is looked at too. */
static void touch_neighbours(struct jobs *jobs, struct jobs_node *node)
{
	if (node->start_job || node->stop_job)
		enqueue(jobs, node);
	touch(jobs, &node->e->before);
	touch(jobs, &node->e->after);
	touch(jobs, &node->e->rdeps[UNIT_DEP_REQUIRES]);
	touch(jobs, &node->e->rdeps[UNIT_DEP_REQUISITE]);
	touch(jobs, &node->e->rdeps[UNIT_DEP_BINDS_TO]);
}

static void set_start_job(struct jobs *jobs, struct jobs_node *node, bool on)
{
	if (!on) {
		free(node->doomed);
		node->doomed = NULL;
	}
	if (node->start_job == on)
		return;
	node->start_job = on;
	jobs->n_jobs += on ? 1 : (size_t)-1;
	jobs->n_start_jobs += on ? 1 : (size_t)-1;
	touch_neighbours(jobs, node);
}

static void set_stop_job(struct jobs *jobs, struct jobs_node *node, bool on)
{
	if (node->stop_job == on)
		return;
	node->stop_job = on;
	jobs->n_jobs += on ? 1 : (size_t)-1;
	touch_neighbours(jobs, node);
}

/* The start job of node ends in failure. */
static void fail_start(struct jobs *jobs, struct jobs_node *node, const char *why)
{
	const char *name = jobs->ops->name(node);

	/* Still stopping: it cannot fail before it is down. The job stays,
	 * holding the reason, until then. */
	if (state_of(jobs, node) == JOBS_STOPPING && node->start_job) {
		free(node->doomed);
		node->doomed = strdup(why);
		if (node->doomed)
			return;
		log_errno(LOG_LEVEL_ERROR, name, ENOMEM, "start job");
	}
	set_start_job(jobs, node, false);
	/* No unit to fail, or up already (a start that only cancelled its
	 * stop): the reason is logged. */
	if (!jobs->ops->unit(node) || is_up(jobs, node) ||
	    state_of(jobs, node) == JOBS_STOPPING) {
		log_warning(name, "not started: %s", why);
		return;
	}
	jobs->ops->fail(node, why);
}

const char *jobs_refusal(const struct jobs *jobs, const struct jobs_node *node,
			 char *buf, size_t size)
{
	if (node->missing)
		return node->missing;
	return jobs->ops->refusal(node, buf, size);
}

/* --- queueing --- */

/* A stack of nodes still to queue: requests walk the graph without
 * recursion, so a chain of 10,000 units needs no deep stack. */
struct worklist {
	struct jobs_node **v;
	size_t n, cap;
};

static void push(struct jobs *jobs, struct worklist *w, struct jobs_node *node)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 32;
		struct jobs_node **grown = realloc(w->v, cap * sizeof(*grown));

		if (!grown) {
			log_errno(LOG_LEVEL_ERROR, jobs->ops->name(node), ENOMEM,
				  "queueing");
			return;
		}
		w->v = grown;
		w->cap = cap;
	}
	w->v[w->n++] = node;
}

static struct jobs_node *pop(struct jobs *jobs, struct worklist *w)
{
	if (!w->n)
		return NULL;
	jobs->visits++;
	return w->v[--w->n];
}

/* What must go down with node: what requires it, is bound to it or
 * part of it, if it is up or on its way. */
static void push_dependents(struct jobs *jobs, struct worklist *w,
			    const struct jobs_node *node)
{
	static const enum unit_dep kinds[] = {
		UNIT_DEP_REQUIRES, UNIT_DEP_REQUISITE, UNIT_DEP_BINDS_TO,
		UNIT_DEP_PART_OF,
	};

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const struct jobs_edges *e = &node->e->rdeps[kinds[k]];

		for (size_t i = 0; i < e->n; i++) {
			struct jobs_node *other = e->v[i];

			if ((is_up(jobs, other) || other->start_job) && !other->stop_job)
				push(jobs, w, other);
		}
	}
}

void jobs_stop(struct jobs *jobs, struct jobs_node *first)
{
	struct worklist w = {0};
	struct jobs_node *node;

	push(jobs, &w, first);
	while ((node = pop(jobs, &w))) {
		/* A container's command: only when svd asks for it first. */
		if (node->stop_job || (node->external && node != first))
			continue;
		set_start_job(jobs, node, false);
		set_stop_job(jobs, node, true);
		push_dependents(jobs, &w, node);
	}
	free(w.v);
}

/* Conflicts= works both ways: what node conflicts with, and what
 * conflicts with node, stops. */
static void stop_conflicts(struct jobs *jobs, struct jobs_node *node)
{
	const struct jobs_edges *out = &node->e->deps[UNIT_DEP_CONFLICTS];
	const struct jobs_edges *in = &node->e->rdeps[UNIT_DEP_CONFLICTS];

	for (size_t i = 0; i < out->n; i++)
		jobs_stop(jobs, out->v[i]);
	for (size_t i = 0; i < in->n; i++)
		jobs_stop(jobs, in->v[i]);
}

/* Requisite=: what must be up (or on its way) already. */
static bool requisites_met(struct jobs *jobs, struct jobs_node *node)
{
	const struct jobs_edges *e = &node->e->deps[UNIT_DEP_REQUISITE];
	char why[512];

	for (size_t i = 0; i < e->n; i++) {
		const struct jobs_node *dep = e->v[i];

		if (!is_up(jobs, dep) && !dep->start_job) {
			snprintf(why, sizeof(why), "Requisite=%s is not active",
				 jobs->ops->name(dep));
			fail_start(jobs, node, why);
			return false;
		}
	}
	return true;
}

void jobs_start(struct jobs *jobs, struct jobs_node *first)
{
	static const enum unit_dep pulled[] = {
		UNIT_DEP_REQUIRES, UNIT_DEP_WANTS, UNIT_DEP_BINDS_TO,
	};
	struct worklist w = {0};
	struct jobs_node *node;
	char buf[512];

	push(jobs, &w, first);
	while ((node = pop(jobs, &w))) {
		const char *why = jobs_refusal(jobs, node, buf, sizeof(buf));

		/* A container's command is started by svd alone (it asks
		 * for it first), never pulled in by another unit. */
		if (node->start_job || (node->external && node != first) ||
		    (is_up(jobs, node) && !node->stop_job))
			continue;
		set_stop_job(jobs, node, false);
		if (why) {
			fail_start(jobs, node, why);
			continue;
		}
		set_start_job(jobs, node, true);
		stop_conflicts(jobs, node);
		if (!requisites_met(jobs, node))
			continue;
		for (size_t k = 0; k < sizeof(pulled) / sizeof(pulled[0]); k++)
			for (size_t j = 0; j < node->e->deps[pulled[k]].n; j++)
				push(jobs, &w, node->e->deps[pulled[k]].v[j]);
	}
	free(w.v);
}

void jobs_stop_all(struct jobs *jobs)
{
	for (struct jobs_node *node = jobs->first; node; node = node->next) {
		if (node->external)
			continue;
		set_start_job(jobs, node, false);
		set_stop_job(jobs, node, true);
	}
}

void jobs_changed(struct jobs *jobs, struct jobs_node *node,
		  enum jobs_state old_state, enum jobs_state new_state)
{
	bool was_up = old_state == JOBS_STARTING || old_state == JOBS_UP ||
		      old_state == JOBS_STOPPING;
	const struct jobs_edges *bound = &node->e->rdeps[UNIT_DEP_BINDS_TO];

	jobs->visits++;
	/* BindsTo=: what is bound to a unit that went down goes too. */
	if (was_up && (new_state == JOBS_DOWN || new_state == JOBS_FAILED)) {
		for (size_t i = 0; i < bound->n; i++) {
			struct jobs_node *other = bound->v[i];

			if (!is_up(jobs, other) || other->stop_job)
				continue;
			log_info(jobs->ops->name(other), "stopping: bound to %s, "
				 "which went down", jobs->ops->name(node));
			jobs_stop(jobs, other);
		}
	}
	touch_neighbours(jobs, node);
}

/* --- running --- */

/* The first hard requirement that makes node's start fail, in why. */
static bool requirement_failed(struct jobs *jobs, const struct jobs_node *node,
			       char *why, size_t size)
{
	static const enum unit_dep kinds[] = {
		UNIT_DEP_REQUIRES, UNIT_DEP_REQUISITE, UNIT_DEP_BINDS_TO,
	};
	char reason[512];

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const struct jobs_edges *e = &node->e->deps[kinds[k]];

		for (size_t j = 0; j < e->n; j++) {
			const struct jobs_node *dep = e->v[j];
			const char *refused = jobs_refusal(jobs, dep, reason,
							   sizeof(reason));

			if (!has_failed(jobs, dep) && !refused &&
			    (kinds[k] != UNIT_DEP_REQUISITE || is_up(jobs, dep) ||
			     dep->start_job))
				continue;
			if (!refused && has_failed(jobs, dep) &&
			    jobs->ops->failure)
				refused = jobs->ops->failure(dep);
			snprintf(why, size, "dependency failed: %s%s%s%s",
				 jobs->ops->name(dep), refused ? " (" : "",
				 refused ? refused : "", refused ? ")" : "");
			return true;
		}
	}
	return false;
}

/* Both return true when the job is done (run or failed). */
static bool try_start(struct jobs *jobs, struct jobs_node *node)
{
	char why[700];

	if (node->doomed) {
		if (state_of(jobs, node) == JOBS_STOPPING)
			return false;
		snprintf(why, sizeof(why), "%s", node->doomed);
		fail_start(jobs, node, why);
		return true;
	}
	if (requirement_failed(jobs, node, why, sizeof(why))) {
		fail_start(jobs, node, why);
		return true;
	}
	for (size_t j = 0; j < node->e->after.n; j++)
		if (!settled(jobs, node->e->after.v[j]))
			return false;
	/* A restart: the start waits for the unit's own stop, which the
	 * state machine does not hold for it. */
	if (state_of(jobs, node) == JOBS_STOPPING)
		return false;
	set_start_job(jobs, node, false);
	jobs->ops->start(node);
	return true;
}

static bool try_stop(struct jobs *jobs, struct jobs_node *node)
{
	/* What starts after it stops before it. */
	for (size_t j = 0; j < node->e->before.n; j++) {
		const struct jobs_node *later = node->e->before.v[j];

		if (later->stop_job || state_of(jobs, later) == JOBS_STOPPING)
			return false;
	}
	set_stop_job(jobs, node, false);
	jobs->ops->stop(node);
	return true;
}

size_t jobs_run(struct jobs *jobs)
{
	struct jobs_node *node;
	size_t done = 0;

	while ((node = dequeue(jobs))) {
		jobs->visits++;
		if (node->start_job)
			done += try_start(jobs, node);
		else if (node->stop_job)
			done += try_stop(jobs, node);
	}
	return done;
}
