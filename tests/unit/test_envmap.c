/* Tests for conf/envmap.c: an environment built from assignments keeps
 * systemd's semantics (later wins in place, UnsetEnvironment= rules) and
 * costs O(n), counted in slots looked at rather than timed. */
#include <check.h>

#include "check_main.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envfile.h"
#include "envmap.h"
#include "strv.h"

/* 128k assignments to 64k names: each name set twice. */
#define N_NAMES 65536
#define N_ASSIGNMENTS (2 * N_NAMES)
/* Linear work: a few slots per operation, rehashing included. A quadratic
 * build looks at ~n^2/2 = 8.6e9 entries. */
#define PROBES_PER_OP_MAX 8

static void name_of(unsigned i, char name[8])
{
	snprintf(name, 8, "V%05u", i);
}

START_TEST(later_wins_in_place)
{
	struct envmap m = ENVMAP_INIT;
	char **env;

	ck_assert_int_eq(envmap_put(&m, "A=1"), 0);
	ck_assert_int_eq(envmap_put(&m, "B=2"), 0);
	ck_assert_int_eq(envmap_set(&m, "A", "3"), 0);
	ck_assert_int_eq(envmap_put(&m, "AB=4"), 0);
	ck_assert_int_eq(envmap_put(&m, "E="), 0);
	ck_assert_int_eq(envmap_put(&m, "novalue"), -1);
	ck_assert_str_eq(envmap_get(&m, "A"), "3");
	ck_assert_str_eq(envmap_get(&m, "E"), "");
	ck_assert_ptr_null(envmap_get(&m, "C"));
	env = envmap_take(&m);
	ck_assert_ptr_nonnull(env);
	ck_assert_str_eq(env[0], "A=3");
	ck_assert_str_eq(env[1], "B=2");
	ck_assert_str_eq(env[2], "AB=4");
	ck_assert_str_eq(env[3], "E=");
	ck_assert_ptr_null(env[4]);
	strv_free(env);
}
END_TEST

/* UnsetEnvironment=: NAME removes it, NAME=VALUE only that assignment; a
 * name set again after an unset goes to the end, as a new one. */
START_TEST(unset_rules)
{
	struct envmap m = ENVMAP_INIT;
	char **env;

	ck_assert_int_eq(envmap_put(&m, "A=1"), 0);
	ck_assert_int_eq(envmap_put(&m, "B=2"), 0);
	ck_assert_int_eq(envmap_put(&m, "C=3"), 0);
	envmap_unset(&m, "A");
	envmap_unset(&m, "B=other");
	envmap_unset(&m, "C=3");
	envmap_unset(&m, "D");
	ck_assert_ptr_null(envmap_get(&m, "A"));
	ck_assert_str_eq(envmap_get(&m, "B"), "2");
	ck_assert_int_eq(envmap_put(&m, "A=4"), 0);
	env = envmap_take(&m);
	ck_assert_str_eq(env[0], "B=2");
	ck_assert_str_eq(env[1], "A=4");
	ck_assert_ptr_null(env[2]);
	strv_free(env);
	ck_assert_int_eq(envmap_put(&m, "X=1"), 0);
	envmap_unset(&m, "X");
	ck_assert_ptr_null(envmap_take(&m));
}
END_TEST

/* 128k assignments with duplicates, a third of the names unset and some
 * of those set again: the result is what a plain model gives, and the
 * work is bounded by a constant per operation. */
START_TEST(many_assignments_linear)
{
	struct envmap m = ENVMAP_INIT;
	char name[8], **env;
	unsigned long long ops = 0;
	size_t k = 0;

	for (unsigned i = 0; i < N_ASSIGNMENTS; i++, ops++) {
		name_of(i % N_NAMES, name);
		ck_assert_int_eq(envmap_set(&m, name, i < N_NAMES ? "1" : "2"), 0);
	}
	for (unsigned i = 0; i < N_NAMES; i += 3, ops++) {
		name_of(i, name);
		envmap_unset(&m, name);
	}
	for (unsigned i = 0; i < N_NAMES; i += 6, ops++) {
		name_of(i, name);
		ck_assert_int_eq(envmap_set(&m, name, "3"), 0);
	}
	for (unsigned i = 0; i < N_NAMES; i++, ops++) {
		bool gone = i % 3 == 0 && i % 6 != 0;

		name_of(i, name);
		ck_assert(gone == (envmap_get(&m, name) == NULL));
	}
	fprintf(stderr, "many_assignments_linear: %llu probes, %llu operations\n",
		m.probes, ops);
	ck_assert_msg(m.probes < PROBES_PER_OP_MAX * ops, "%llu probes for "
		      "%llu operations", m.probes, ops);
	env = envmap_take(&m);
	/* First the names never unset, in order, at 2; then those set again. */
	for (unsigned i = 0; i < N_NAMES; i++) {
		char want[16];

		if (i % 3 == 0)
			continue;
		name_of(i, name);
		snprintf(want, sizeof(want), "%s=2", name);
		ck_assert_str_eq(env[k++], want);
	}
	for (unsigned i = 0; i < N_NAMES; i += 6) {
		char want[16];

		name_of(i, name);
		snprintf(want, sizeof(want), "%s=3", name);
		ck_assert_str_eq(env[k++], want);
	}
	ck_assert_ptr_null(env[k]);
	strv_free(env);
}
END_TEST

/* An EnvironmentFile= of 128k lines (1.1 MiB: the parser has no limit of
 * its own) is applied in linear work too. */
START_TEST(envfile_linear)
{
	struct envmap m = ENVMAP_INIT;
	char *text = malloc((size_t)N_ASSIGNMENTS * 16), *p = text, name[8];
	char **env;

	ck_assert_ptr_nonnull(text);
	for (unsigned i = 0; i < N_ASSIGNMENTS; i++) {
		name_of(i % N_NAMES, name);
		p += sprintf(p, "%s=%u\n", name, i / N_NAMES + 1);
	}
	ck_assert_int_eq(envfile_apply_text(text, (size_t)(p - text), "big.env",
					    &m, NULL, NULL), 0);
	ck_assert_msg(m.probes < PROBES_PER_OP_MAX * N_ASSIGNMENTS,
		      "%llu probes for %d assignments", m.probes, N_ASSIGNMENTS);
	env = envmap_take(&m);
	ck_assert_uint_eq(strv_length(env), N_NAMES);
	ck_assert_str_eq(env[0], "V00000=2");
	ck_assert_str_eq(env[N_NAMES - 1], "V65535=2");
	strv_free(env);
	free(text);
}
END_TEST

static Suite *envmap_suite(void)
{
	Suite *s = suite_create("envmap");
	TCase *tc = tcase_create("envmap");

	tcase_add_test(tc, later_wins_in_place);
	tcase_add_test(tc, unset_rules);
	tcase_add_test(tc, many_assignments_linear);
	tcase_add_test(tc, envfile_linear);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(envmap_suite());
}
