/* jobs_graph: the dependency graph that jobs runs on. Every unit of the
 * daemon embeds a struct jobs_node holding its resolved edges of every
 * dependency kind and their reverse (who requires, wants, is bound to,
 * part of or conflicts with it), its ordering both ways, and its jobs.
 * The graph reaches the units only through struct jobs_ops.
 *
 * Resolving turns the names of each unit's dependencies into edges
 * (targets, mounts, devices and template instances are made on first
 * mention; RequiresMountsFor= names mounts), adds the
 * [Install] and NAME.wants/ edges, orders targets after what they pull
 * in, and reports and breaks ordering cycles (order.h). */
#ifndef SVD_JOBS_GRAPH_H
#define SVD_JOBS_GRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "unit.h"
#include "wants.h"

/* Well-known targets that always exist. */
#define JOBS_DEFAULT_TARGET "default.target"
#define JOBS_MULTI_USER_TARGET "multi-user.target"

/* A unit's state as jobs sees it. */
enum jobs_state {
	JOBS_DOWN,	/* inactive, or waiting to restart */
	JOBS_FAILED,	/* failed: what requires it does not start */
	JOBS_STARTING,	/* on its way up */
	JOBS_UP,	/* running, reloading, or exited and still active */
	JOBS_STOPPING,	/* on its way down */
};

struct jobs_node;

/* A growing list of nodes. */
struct jobs_edges {
	struct jobs_node **v;
	uint32_t n, cap;
};

/* A node's edges, in a block of their own: a node with none shares one
 * empty block (20 lists would cost every unit 320 bytes), and gets its
 * own with its first edge. */
struct jobs_node_edges {
	struct jobs_edges deps[UNIT_DEP_COUNT];	 /* what its unit names */
	struct jobs_edges rdeps[UNIT_DEP_COUNT]; /* who names it, per kind */
	struct jobs_edges after;  /* starts after these (After=, their Before=) */
	struct jobs_edges before; /* these start after it: they stop first */
};

struct jobs_node {
	struct jobs_node_edges *e;	/* never NULL once added */
	char *missing;		/* why it cannot start: "Requires=x.socket: ..." */
	/* Its start job failed while it was still stopping: the reason,
	 * told once it is down (a stopping unit cannot fail yet). */
	char *doomed;
	bool start_job;		/* queued start, waiting for its order */
	bool stop_job;		/* queued stop, waiting for its order */
	bool is_target;		/* a target: reached after what it pulls in */
	/* Owns edges others gave it (another unit's [Install], a
	 * NAME.wants/ entry): they are made only at a resolve, so the node
	 * must outlive being unused. */
	bool given_edges;
	bool external;		/* started and stopped by others, never by
				   jobs (a container's command) */
	bool linked;		/* its own edges are resolved */
	bool queued;		/* in the queue of nodes to look at */
	struct jobs_node *queue_next;
	struct jobs_node *prev, *next;	/* every node, in the order added */
	size_t index;		/* scratch while looking for cycles */
};

/* What jobs asks of the units. */
struct jobs_ops {
	const char *(*name)(const struct jobs_node *node);
	/* Its unit, for the dependency names and [Install]; NULL while it
	 * has none (its file has errors). */
	const struct unit *(*unit)(const struct jobs_node *node);
	/* Its file, for messages: a path, "made up by svd", "no file". */
	const char *(*file)(const struct jobs_node *node);
	enum jobs_state (*state)(const struct jobs_node *node);
	/* Whether its [Install] WantedBy=/RequiredBy= count. */
	bool (*enabled)(const struct jobs_node *node);
	/* Why it can never start (masked, a file with errors), in buf or
	 * a constant; NULL when it may. */
	const char *(*refusal)(const struct jobs_node *node, char *buf,
			       size_t size);
	/* Why its failed start failed, for the units that require it (a
	 * made-up .mount: "/data is not a mount point"); NULL for no
	 * more than "dependency failed: NAME". May be NULL. */
	const char *(*failure)(const struct jobs_node *node);
	void (*start)(struct jobs_node *node);
	void (*stop)(struct jobs_node *node);
	/* Its start job failed (it is down or failed, not stopping): why
	 * is a phrase such as "dependency failed: db.service". */
	void (*fail)(struct jobs_node *node, const char *why);
	/* The node of a .service, .socket, .target, .mount or .device name,
	 * made on first mention (targets, mounts, devices, template
	 * instances); NULL with *why when there is none. */
	struct jobs_node *(*find)(void *ctx, const char *name, const char **why);
	/* The .mount names RequiresMountsFor=path means (madeup.h), as a
	 * vector the caller frees; NULL on ENOMEM. May be NULL: no mounts. */
	char **(*mounts_for)(void *ctx, const char *path);
};

struct jobs {
	const struct jobs_ops *ops;
	void *ctx;			/* for find */
	struct jobs_node *first, *last;	/* every node, in the order added */
	/* The first node added since the last linking; every later one is
	 * unlinked too (nodes are added at the end). */
	struct jobs_node *unlinked;
	size_t n_nodes;
	struct jobs_node *queue_first, *queue_last; /* to look at, in order */
	size_t n_jobs;			/* start and stop jobs pending */
	size_t n_start_jobs;		/* of them, starts */
	unsigned long long visits;	/* times a node was looked at */
};

/* Appends node to the graph's list (unlinked until the next resolve or
 * link); jobs_node_add() is what owners call. */
void jobs_graph_add(struct jobs *jobs, struct jobs_node *node);
/* Takes node's edges out, both ways, and node out of the list. */
void jobs_graph_remove(struct jobs *jobs, struct jobs_node *node);
/* Frees every node's edges. */
void jobs_graph_free(struct jobs *jobs);
/* Resolves every node's dependencies anew, with the NAME.wants/ entries
 * of the unit directories (wants may be NULL). */
void jobs_graph_resolve(struct jobs *jobs, const struct wants *wants);
/* Links only the nodes added since the last linking. */
void jobs_graph_link_new(struct jobs *jobs);

#endif
