#include "jobs_graph.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "order.h"
#include "strv.h"

/* --- edges --- */

/* Every node without edges points here; nothing writes to it. */
static struct jobs_node_edges no_edges;

/* Node's own block of edges, made on its first edge; NULL (ENOMEM). */
static struct jobs_node_edges *own_edges(struct jobs_node *node)
{
	if (node->e == &no_edges) {
		struct jobs_node_edges *e = calloc(1, sizeof(*e));

		if (!e)
			return NULL;
		node->e = e;
	}
	return node->e;
}

static bool edges_push(struct jobs_edges *e, struct jobs_node *node)
{
	if (e->n == e->cap) {
		uint32_t cap = e->cap ? 2 * e->cap : 4;
		struct jobs_node **grown = realloc(e->v, cap * sizeof(*grown));

		if (!grown)
			return false;
		e->v = grown;
		e->cap = cap;
	}
	e->v[e->n++] = node;
	return true;
}

static bool edges_contain(const struct jobs_edges *e, const struct jobs_node *node)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i] == node)
			return true;
	return false;
}

static void edges_remove(struct jobs_edges *e, const struct jobs_node *node)
{
	for (size_t i = 0; i < e->n; i++) {
		if (e->v[i] != node)
			continue;
		memmove(&e->v[i], &e->v[i + 1], (e->n - i - 1) * sizeof(*e->v));
		e->n--;
		return;
	}
}

static void edges_free(struct jobs_edges *e)
{
	free(e->v);
	*e = (struct jobs_edges){0};
}

/* Adds the edge from -> to and its mirror. Whether it exists is asked
 * of the shorter of the two lists: a target that thousands of units are
 * wanted by stays linear to build. */
static void add_edge(struct jobs *jobs, struct jobs_node *from,
		     struct jobs_edges *from_list, struct jobs_node *to,
		     struct jobs_edges *to_list)
{
	bool known = from_list->n <= to_list->n ?
		     edges_contain(from_list, to) : edges_contain(to_list, from);

	if (known)
		return;
	if (!edges_push(from_list, to))
		goto nomem;
	if (!edges_push(to_list, from)) {
		from_list->n--;
		goto nomem;
	}
	return;
nomem:
	log_errno(LOG_LEVEL_ERROR, jobs->ops->name(from), ENOMEM, "dependency");
}

static void add_dep(struct jobs *jobs, struct jobs_node *node, enum unit_dep kind,
		    struct jobs_node *dep)
{
	if (!own_edges(node) || !own_edges(dep)) {
		log_errno(LOG_LEVEL_ERROR, jobs->ops->name(node), ENOMEM, "dependency");
		return;
	}
	add_edge(jobs, node, &node->e->deps[kind], dep, &dep->e->rdeps[kind]);
}

/* later starts after earlier (and earlier stops after later). */
static void add_order(struct jobs *jobs, struct jobs_node *later,
		      struct jobs_node *earlier)
{
	if (!own_edges(later) || !own_edges(earlier)) {
		log_errno(LOG_LEVEL_ERROR, jobs->ops->name(later), ENOMEM, "ordering");
		return;
	}
	add_edge(jobs, later, &later->e->after, earlier, &earlier->e->before);
}

static void drop_order(struct jobs_node *later, struct jobs_node *earlier)
{
	edges_remove(&later->e->after, earlier);
	edges_remove(&earlier->e->before, later);
}

/* Node's lists, without their mirrors: for when every node forgets. */
static void forget_edges(struct jobs_node *node)
{
	if (node->e != &no_edges) {
		for (int k = 0; k < UNIT_DEP_COUNT; k++) {
			edges_free(&node->e->deps[k]);
			edges_free(&node->e->rdeps[k]);
		}
		edges_free(&node->e->after);
		edges_free(&node->e->before);
		free(node->e);
		node->e = &no_edges;
	}
	free(node->missing);
	node->missing = NULL;
	node->given_edges = false;
}

/* --- the list of nodes --- */

void jobs_graph_add(struct jobs *jobs, struct jobs_node *node)
{
	node->e = &no_edges;
	node->prev = jobs->last;
	node->next = NULL;
	if (jobs->last)
		jobs->last->next = node;
	else
		jobs->first = node;
	jobs->last = node;
	jobs->n_nodes++;
	node->linked = false;
	if (!jobs->unlinked)
		jobs->unlinked = node;
}

void jobs_graph_remove(struct jobs *jobs, struct jobs_node *node)
{
	for (int k = 0; k < UNIT_DEP_COUNT; k++) {
		for (size_t i = 0; i < node->e->deps[k].n; i++)
			edges_remove(&node->e->deps[k].v[i]->e->rdeps[k], node);
		for (size_t i = 0; i < node->e->rdeps[k].n; i++)
			edges_remove(&node->e->rdeps[k].v[i]->e->deps[k], node);
	}
	for (size_t i = 0; i < node->e->after.n; i++)
		edges_remove(&node->e->after.v[i]->e->before, node);
	for (size_t i = 0; i < node->e->before.n; i++)
		edges_remove(&node->e->before.v[i]->e->after, node);
	forget_edges(node);
	if (jobs->unlinked == node)
		jobs->unlinked = node->next;
	if (node->prev)
		node->prev->next = node->next;
	else
		jobs->first = node->next;
	if (node->next)
		node->next->prev = node->prev;
	else
		jobs->last = node->prev;
	node->prev = node->next = NULL;
	jobs->n_nodes--;
}

void jobs_graph_free(struct jobs *jobs)
{
	for (struct jobs_node *node = jobs->first; node; node = node->next)
		forget_edges(node);
}

/* --- names to edges --- */

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

/* The node a dependency names; NULL with *why set when there is none,
 * or NULL why when it is of a kind svd has no units of. */
static struct jobs_node *find_dep(struct jobs *jobs, const char *name,
				  const char **why)
{
	*why = NULL;
	if (!has_suffix(name, ".target") && !has_suffix(name, ".service") &&
	    !has_suffix(name, ".socket") && !has_suffix(name, ".mount") &&
	    !has_suffix(name, ".device"))
		return NULL;	/* the caller names the unit type */
	return jobs->ops->find(jobs->ctx, name, why);
}

static bool is_hard(enum unit_dep kind)
{
	return kind == UNIT_DEP_REQUIRES || kind == UNIT_DEP_REQUISITE ||
	       kind == UNIT_DEP_BINDS_TO;
}

/* One named dependency of node: linked, or, when it is a hard one on
 * something svd cannot provide, recorded as the reason it cannot start. */
static void link_dep(struct jobs *jobs, struct jobs_node *node,
		     enum unit_dep kind, const char *name)
{
	const char *why = NULL, *own = jobs->ops->name(node);
	struct jobs_node *dep = find_dep(jobs, name, &why);
	int r;

	if (dep) {
		add_dep(jobs, node, kind, dep);
		return;
	}
	/* An ordering or a wish for what is not there is satisfied, as in
	 * systemd; a requirement is not. */
	if (!is_hard(kind) || node->missing) {
		log_debug(own, "%s=%s: not here, ignored", unit_dep_name(kind), name);
		return;
	}
	if (why)
		r = asprintf(&node->missing, "%s=%s: %s", unit_dep_name(kind),
			     name, why);
	else
		r = asprintf(&node->missing, "%s=%s: svd has no .%s units "
			     "(it runs services and sockets, and provides "
			     "targets, mounts and devices)",
			     unit_dep_name(kind), name, unit_kind(name));
	if (r < 0)
		node->missing = strdup("a requirement cannot be met");
	log_warning(own, "cannot start: %s", node->missing);
}

/* systemd's implicit dependencies of socket activation: a socket is
 * ordered before the service it starts (systemd.socket(5)); a service
 * wants and is ordered after the sockets of its Sockets= (systemd.service(5)). */
static void link_sockets(struct jobs *jobs, struct jobs_node *node,
			 const struct unit *unit)
{
	const char *why;
	struct jobs_node *service;
	char *name = NULL;

	if (!unit)
		return;
	for (size_t j = 0; unit->sockets && unit->sockets[j]; j++) {
		link_dep(jobs, node, UNIT_DEP_WANTS, unit->sockets[j]);
		link_dep(jobs, node, UNIT_DEP_AFTER, unit->sockets[j]);
	}
	if (unit->kind != UNIT_KIND_SOCKET || unit->socket->accept ||
	    !(name = unit_socket_service(unit)))
		return;
	service = find_dep(jobs, name, &why);
	if (service)
		add_order(jobs, service, node);
	free(name);
}

/* RequiresMountsFor=: Requires= and After= on the mounts of each path,
 * as systemd.unit(5) says. */
static void link_mounts_for(struct jobs *jobs, struct jobs_node *node,
			    const struct unit *unit)
{
	for (size_t i = 0; jobs->ops->mounts_for && unit &&
	     unit->requires_mounts_for && unit->requires_mounts_for[i]; i++) {
		char **names = jobs->ops->mounts_for(jobs->ctx,
						     unit->requires_mounts_for[i]);

		if (!names) {
			log_errno(LOG_LEVEL_ERROR, jobs->ops->name(node), ENOMEM,
				  "RequiresMountsFor=");
			return;
		}
		for (size_t j = 0; names[j]; j++) {
			link_dep(jobs, node, UNIT_DEP_REQUIRES, names[j]);
			link_dep(jobs, node, UNIT_DEP_AFTER, names[j]);
		}
		strv_free(names);
	}
}

/* What node's unit names, and what its [Install] section adds to
 * others (when enabled): WantedBy=X is X's Wants= of it. */
static void link_own(struct jobs *jobs, struct jobs_node *node)
{
	const struct unit *unit = jobs->ops->unit(node);
	const char *name = jobs->ops->name(node);

	node->linked = true;
	for (int k = 0; unit && k < UNIT_DEP_COUNT; k++)
		for (size_t j = 0; unit->deps[k] && unit->deps[k][j]; j++)
			link_dep(jobs, node, k, unit->deps[k][j]);
	link_mounts_for(jobs, node, unit);
	link_sockets(jobs, node, unit);
	/* Its readiness is a name on the bus: without one it would run and
	 * never be seen as started. */
	if (unit && unit->type == UNIT_TYPE_DBUS && !node->missing) {
		node->missing = strdup("Type=dbus: it is ready when it takes a "
				       "D-Bus name, and svd provides no D-Bus");
		log_warning(name, "cannot start: %s",
			    node->missing ? node->missing : "Type=dbus");
	}
}

/* The [Install] edges of every enabled unit. */
static void link_install(struct jobs *jobs, struct jobs_node *node)
{
	const struct unit *unit = jobs->ops->unit(node);
	const char *name = jobs->ops->name(node), *why;
	struct jobs_node *owner;

	if (!unit || !jobs->ops->enabled(node))
		return;
	for (size_t j = 0; unit->wanted_by && unit->wanted_by[j]; j++)
		if ((owner = find_dep(jobs, unit->wanted_by[j], &why))) {
			link_dep(jobs, owner, UNIT_DEP_WANTS, name);
			owner->given_edges = true;
		}
	for (size_t j = 0; unit->required_by && unit->required_by[j]; j++)
		if ((owner = find_dep(jobs, unit->required_by[j], &why))) {
			link_dep(jobs, owner, UNIT_DEP_REQUIRES, name);
			owner->given_edges = true;
		}
}

/* A target is reached after what it pulls in, as systemd's default
 * dependencies for targets have it; not when the unit orders itself
 * after the target (systemd skips that edge too). */
static void order_target_after(struct jobs *jobs, struct jobs_node *target,
			       struct jobs_node *dep)
{
	if (!edges_contain(&dep->e->deps[UNIT_DEP_AFTER], target))
		add_order(jobs, target, dep);
}

static void link_order_of(struct jobs *jobs, struct jobs_node *node)
{
	static const enum unit_dep pulled[] = {
		UNIT_DEP_REQUIRES, UNIT_DEP_WANTS, UNIT_DEP_BINDS_TO,
	};

	for (size_t j = 0; j < node->e->deps[UNIT_DEP_AFTER].n; j++)
		add_order(jobs, node, node->e->deps[UNIT_DEP_AFTER].v[j]);
	for (size_t j = 0; j < node->e->deps[UNIT_DEP_BEFORE].n; j++)
		add_order(jobs, node->e->deps[UNIT_DEP_BEFORE].v[j], node);
	for (size_t k = 0; k < sizeof(pulled) / sizeof(pulled[0]); k++) {
		const struct jobs_edges *out = &node->e->deps[pulled[k]];
		const struct jobs_edges *in = &node->e->rdeps[pulled[k]];

		for (size_t j = 0; node->is_target && j < out->n; j++)
			order_target_after(jobs, node, out->v[j]);
		/* Targets that pull it in, linked before it. */
		for (size_t j = 0; j < in->n; j++)
			if (in->v[j]->is_target && in->v[j]->linked)
				order_target_after(jobs, in->v[j], node);
	}
}

/* --- ordering cycles --- */

/* Whether node has a hard requirement on dep. */
static bool requires(const struct jobs_node *node, const struct jobs_node *dep)
{
	for (int k = 0; k < UNIT_DEP_COUNT; k++)
		if (is_hard(k) && edges_contain(&node->e->deps[k], dep))
			return true;
	return false;
}

/* "a (file) after b (file) after a". */
static char *describe_cycle(struct jobs *jobs, struct jobs_node **cycle,
			    size_t len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	for (size_t i = 0; i < len; i++)
		fprintf(f, "%s (%s) after ", jobs->ops->name(cycle[i]),
			jobs->ops->file(cycle[i]));
	fprintf(f, "%s", jobs->ops->name(cycle[0]));
	fclose(f);
	return text;
}

/* Reports one cycle with its units and files, and breaks it as systemd
 * would rather lose: an ordering on a unit that is only wanted. When
 * every link is a requirement, the units in it are refused. */
static void break_cycle(struct jobs *jobs, struct jobs_node **cycle, size_t len)
{
	char *text = describe_cycle(jobs, cycle, len);
	size_t soft = len;

	log_error(NULL, "ordering cycle: %s", text ? text : "(out of memory)");
	for (size_t i = 0; i < len && soft == len; i++)
		if (!requires(cycle[i], cycle[(i + 1) % len]))
			soft = i;
	if (soft < len) {
		struct jobs_node *later = cycle[soft];
		struct jobs_node *earlier = cycle[(soft + 1) % len];

		log_warning(jobs->ops->name(later), "dropping its order after %s "
			    "to break the cycle", jobs->ops->name(earlier));
		drop_order(later, earlier);
	} else {
		for (size_t i = 0; i < len; i++)
			if (!cycle[i]->missing &&
			    asprintf(&cycle[i]->missing, "in an ordering cycle of "
				     "requirements: %s", text ? text : "") < 0)
				cycle[i]->missing = NULL;
		drop_order(cycle[0], cycle[1 % len]);
	}
	free(text);
}

/* The ordering as order.h's index graph; -1 on ENOMEM. */
static int fill_order_graph(struct jobs *jobs, struct order_graph *g,
			    struct jobs_node **nodes)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct jobs_node *node = nodes[i];

		free(g->after[i]);
		g->after[i] = malloc((node->e->after.n ? node->e->after.n : 1) *
				     sizeof(**g->after));
		if (!g->after[i])
			return -1;
		for (size_t j = 0; j < node->e->after.n; j++)
			g->after[i][j] = node->e->after.v[j]->index;
		g->n_after[i] = node->e->after.n;
	}
	return 0;
}

static void break_cycles(struct jobs *jobs)
{
	size_t n = jobs->n_nodes, i = 0, len, *cycle_at;
	struct order_graph g = { .n = n };
	struct jobs_node **nodes = malloc((n ? n : 1) * sizeof(*nodes));
	struct jobs_node **cycle = malloc((n ? n : 1) * sizeof(*cycle));

	cycle_at = malloc((n ? n : 1) * sizeof(*cycle_at));
	g.after = calloc(n ? n : 1, sizeof(*g.after));
	g.n_after = calloc(n ? n : 1, sizeof(*g.n_after));
	if (!nodes || !cycle || !cycle_at || !g.after || !g.n_after)
		goto nomem;
	for (struct jobs_node *node = jobs->first; node; node = node->next) {
		node->index = i;
		nodes[i++] = node;
	}
	for (;;) {
		if (fill_order_graph(jobs, &g, nodes) < 0)
			goto nomem;
		len = order_find_cycle(&g, cycle_at);
		if (len == (size_t)-1)
			goto nomem;
		if (len == 0)
			break;
		for (i = 0; i < len; i++)
			cycle[i] = nodes[cycle_at[i]];
		break_cycle(jobs, cycle, len);
	}
	goto out;
nomem:
	log_errno(LOG_LEVEL_ERROR, NULL, ENOMEM, "checking for ordering cycles");
out:
	for (i = 0; g.after && i < n; i++)
		free(g.after[i]);
	free(g.after);
	free(g.n_after);
	free(nodes);
	free(cycle);
	free(cycle_at);
}

/* --- resolving --- */

/* Links every node not linked yet, including those that linking makes
 * (an instance one of them requires): they are added at the end. */
static void link_pending(struct jobs *jobs, bool with_order)
{
	struct jobs_node *node;

	for (node = jobs->unlinked; node; node = node->next)
		link_own(jobs, node);
	/* Only now, when every node it names has its own edges. */
	for (node = jobs->unlinked; node && with_order; node = node->next)
		link_install(jobs, node);
	for (node = jobs->unlinked; node && with_order; node = node->next)
		link_order_of(jobs, node);
	jobs->unlinked = NULL;
}

void jobs_graph_resolve(struct jobs *jobs, const struct wants *wants)
{
	const char *why;
	struct jobs_node *dflt, *owner, *multi_user;

	find_dep(jobs, JOBS_DEFAULT_TARGET, &why);
	find_dep(jobs, JOBS_MULTI_USER_TARGET, &why);
	for (struct jobs_node *node = jobs->first; node; node = node->next) {
		forget_edges(node);
		node->linked = false;
	}
	jobs->unlinked = jobs->first;
	link_pending(jobs, false);
	for (size_t i = 0; wants && i < wants->n; i++)
		if ((owner = find_dep(jobs, wants->v[i].owner, &why))) {
			link_dep(jobs, owner, wants->v[i].kind, wants->v[i].name);
			owner->given_edges = true;
		}
	for (struct jobs_node *node = jobs->first; node; node = node->next)
		link_install(jobs, node);
	/* default.target is multi-user.target, as on a server, unless a
	 * file says what it is (a link to another target is its alias). */
	dflt = find_dep(jobs, JOBS_DEFAULT_TARGET, &why);
	multi_user = find_dep(jobs, JOBS_MULTI_USER_TARGET, &why);
	if (dflt && dflt != multi_user && jobs->ops->unit(dflt) &&
	    !jobs->ops->unit(dflt)->path)
		link_dep(jobs, dflt, UNIT_DEP_WANTS, JOBS_MULTI_USER_TARGET);
	/* What the [Install] and NAME.wants/ edges made (new targets). */
	link_pending(jobs, false);
	for (struct jobs_node *node = jobs->first; node; node = node->next)
		link_order_of(jobs, node);
	break_cycles(jobs);
}

void jobs_graph_link_new(struct jobs *jobs)
{
	if (!jobs->unlinked)
		return;
	link_pending(jobs, true);
	break_cycles(jobs);
}
