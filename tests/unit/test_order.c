/* order: finding ordering cycles. */
#include <check.h>

#include "check_main.h"
#include <stdlib.h>

#include "order.h"

#define MAX_NODES 8

static size_t edges[MAX_NODES][MAX_NODES];
static size_t *rows[MAX_NODES];
static size_t counts[MAX_NODES];

static struct order_graph graph(size_t n)
{
	for (size_t i = 0; i < MAX_NODES; i++) {
		rows[i] = edges[i];
		counts[i] = 0;
	}
	return (struct order_graph){ .n = n, .after = rows, .n_after = counts };
}

static void after(size_t node, size_t dep)
{
	edges[node][counts[node]++] = dep;
}

/* Every node of the cycle starts after the next one. */
static void assert_is_cycle(const size_t *cycle, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t node = cycle[i], next = cycle[(i + 1) % len];
		int edge = 0;

		for (size_t e = 0; e < counts[node]; e++)
			edge |= edges[node][e] == next;
		ck_assert_msg(edge, "%zu does not start after %zu", node, next);
	}
}

START_TEST(chain_and_diamond_have_no_cycle)
{
	struct order_graph g = graph(5);
	size_t cycle[MAX_NODES];

	after(1, 0);	/* chain 0 <- 1 <- 2 */
	after(2, 1);
	after(3, 0);	/* diamond 0 <- {1, 3} <- 4 */
	after(4, 1);
	after(4, 3);
	ck_assert_uint_eq(order_find_cycle(&g, cycle), 0);
	ck_assert_uint_eq(order_find_cycle(&(struct order_graph){0}, cycle), 0);
}
END_TEST

START_TEST(finds_a_three_cycle_among_others)
{
	struct order_graph g = graph(6);
	size_t cycle[MAX_NODES], len;

	after(0, 5);
	after(2, 3);	/* 2 -> 3 -> 4 -> 2 */
	after(3, 4);
	after(4, 2);
	after(1, 2);
	len = order_find_cycle(&g, cycle);
	ck_assert_uint_eq(len, 3);
	assert_is_cycle(cycle, len);
}
END_TEST

START_TEST(self_loop)
{
	struct order_graph g = graph(2);
	size_t cycle[MAX_NODES];

	after(1, 1);
	ck_assert_uint_eq(order_find_cycle(&g, cycle), 1);
	ck_assert_uint_eq(cycle[0], 1);
}
END_TEST

START_TEST(long_chain_does_not_recurse)
{
	size_t n = 200000;
	size_t **after_rows = malloc(n * sizeof(*after_rows));
	size_t *n_after = calloc(n, sizeof(*n_after));
	size_t *targets = malloc(n * sizeof(*targets));
	size_t *cycle = malloc(n * sizeof(*cycle));
	struct order_graph g = { n, after_rows, n_after };

	for (size_t i = 0; i < n; i++) {
		targets[i] = i + 1;
		after_rows[i] = &targets[i];
		n_after[i] = i + 1 < n;
	}
	ck_assert_uint_eq(order_find_cycle(&g, cycle), 0);
	n_after[n - 1] = 1;	/* close it: the whole chain is one cycle */
	targets[n - 1] = 0;
	ck_assert_uint_eq(order_find_cycle(&g, cycle), n);
	free(after_rows);
	free(n_after);
	free(targets);
	free(cycle);
}
END_TEST

static Suite *order_suite(void)
{
	Suite *s = suite_create("order");
	TCase *tc = tcase_create("cycles");

	tcase_add_test(tc, chain_and_diamond_have_no_cycle);
	tcase_add_test(tc, finds_a_three_cycle_among_others);
	tcase_add_test(tc, self_loop);
	tcase_add_test(tc, long_chain_does_not_recurse);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(order_suite());
}
