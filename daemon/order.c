#include "order.h"

#include <stdlib.h>

enum { WHITE, GREY, BLACK };	/* unvisited, on the DFS path, done */

size_t order_find_cycle(const struct order_graph *g, size_t *cycle)
{
	unsigned char *color = calloc(g->n ? g->n : 1, 1);
	size_t *stack = malloc((g->n ? g->n : 1) * sizeof(*stack));
	size_t *next_edge = calloc(g->n ? g->n : 1, sizeof(*next_edge));
	size_t found = 0;

	if (!color || !stack || !next_edge) {
		found = (size_t)-1;
		goto out;
	}
	for (size_t root = 0; root < g->n && !found; root++) {
		size_t depth = 0;

		if (color[root] != WHITE)
			continue;
		stack[depth++] = root;
		color[root] = GREY;
		while (depth && !found) {
			size_t node = stack[depth - 1];

			if (next_edge[node] == g->n_after[node]) {
				color[node] = BLACK;
				depth--;
				continue;
			}
			size_t to = g->after[node][next_edge[node]++];

			if (color[to] == WHITE) {
				color[to] = GREY;
				stack[depth++] = to;
			} else if (color[to] == GREY) {
				/* The path from "to" down to node is the cycle. */
				size_t start = depth;

				while (stack[start - 1] != to)
					start--;
				for (size_t i = start - 1; i < depth; i++)
					cycle[found++] = stack[i];
			}
		}
	}
out:
	free(color);
	free(stack);
	free(next_edge);
	return found;
}
