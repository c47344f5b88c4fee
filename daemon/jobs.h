/* jobs: units started and stopped in the order they ask for, as
 * systemd's jobs do, on a dependency graph of jobs' own.
 *
 * Each of the daemon's units embeds a struct jobs_node: its resolved
 * edges of every dependency kind and their reverse, its ordering both
 * ways, its pending start or stop job. jobs reaches the units themselves
 * only through struct jobs_ops (name, unit, state, start, stop, ...), so
 * unit tests drive it with fake nodes.
 *
 * A start pulls in what the unit Requires=/Wants=/BindsTo= and marks
 * each with a start job; a job runs once every unit it is After= has
 * settled (up, down or failed, with no job of its own). A stop pulls
 * along what requires the unit, is bound to it or part of it, and runs
 * in reverse order. After a job flag or a state changes, only the nodes
 * that can care are looked at again (the node, its ordering neighbours,
 * what requires or is bound to it), through a queue: a change costs its
 * node's degree, never a pass over every unit. */
#ifndef SVD_JOBS_H
#define SVD_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "jobs_graph.h"

void jobs_init(struct jobs *jobs, const struct jobs_ops *ops, void *ctx);
/* Frees every node's edges; the nodes themselves are their owners'. */
void jobs_free(struct jobs *jobs);
/* A new node (zeroed by its owner but for is_target/external), unlinked
 * until jobs_resolve() or jobs_link_new(). */
void jobs_node_add(struct jobs *jobs, struct jobs_node *node);
/* Takes the node out of the graph: its edges both ways, its jobs. */
void jobs_node_remove(struct jobs *jobs, struct jobs_node *node);

/* Resolves every node's dependencies, with the NAME.wants/ entries of
 * the unit directories; reports and breaks ordering cycles. */
void jobs_resolve(struct jobs *jobs, const struct wants *wants);
/* Links the nodes added since (template instances named at run time),
 * leaving the rest; NAME.wants/ entries wait for the next resolve. */
void jobs_link_new(struct jobs *jobs);

/* Why node cannot even be queued (a requirement svd cannot provide,
 * masked, a file with errors), in buf or a constant; NULL when it may. */
const char *jobs_refusal(const struct jobs *jobs, const struct jobs_node *node,
			 char *buf, size_t size);
/* Queue a start of node and of what it pulls in, a stop of node and of
 * what goes with it; jobs_run() runs them. */
void jobs_start(struct jobs *jobs, struct jobs_node *node);
void jobs_stop(struct jobs *jobs, struct jobs_node *node);
/* Shutdown: cancels start jobs, stops every node in reverse order. */
void jobs_stop_all(struct jobs *jobs);
/* A node's state changed from old_state to new_state (both as the
 * owner sees them now): BindsTo= stops, and its neighbours are looked
 * at again by the next jobs_run(). */
void jobs_changed(struct jobs *jobs, struct jobs_node *node,
		  enum jobs_state old_state, enum jobs_state new_state);
/* Runs every job that may run now, never recursing: the starts and
 * stops it asks for only change states, which come back through
 * jobs_changed(). Returns how many jobs ended (a job may end with no
 * state change: whoever waits for it must look). */
size_t jobs_run(struct jobs *jobs);

#endif
