/* order: the ordering graph's pure part. Nodes are 0..n-1; after[i]
 * lists the nodes that node i starts after (its After= and the Before=
 * of others pointing at it). */
#ifndef SVD_ORDER_H
#define SVD_ORDER_H

#include <stddef.h>

struct order_graph {
	size_t n;
	size_t **after;		/* after[i][0..n_after[i]) */
	size_t *n_after;
};

/* Finds one cycle: fills cycle[] (room for n nodes) with its nodes in
 * order, each starting after the next and the last after the first, and
 * returns their count; 0 when the graph has no cycle. Iterative, so a
 * long chain cannot overflow the stack. Returns (size_t)-1 on ENOMEM. */
size_t order_find_cycle(const struct order_graph *g, size_t *cycle);

#endif
