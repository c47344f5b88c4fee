/* vocab: the protocol's words, and that svctl and svd agree on them. */
#include <check.h>

#include "check_main.h"
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "vocab.h"

/* Every request svctl can send is one svd dispatches. */
START_TEST(every_sent_verb_is_dispatched)
{
	for (size_t i = 0; i < vocab_n_verbs; i++) {
		const struct vocab_verb *verb = &vocab_verbs[i];
		bool found = false, waits;
		const char *name;

		if (!verb->wire)
			continue;
		ck_assert_msg(vocab_request_find(verb->wire) != NULL,
			      "%s sends %s, not a protocol verb", verb->name,
			      verb->wire);
		for (size_t j = 0; (name = commands_verb(j, &waits)); j++)
			found |= strcmp(name, verb->wire) == 0;
		ck_assert_msg(found, "svd does not dispatch %s", verb->wire);
	}
	/* status without a unit asks for the list. */
	ck_assert_ptr_nonnull(vocab_request_find("list"));
}
END_TEST

/* ... and svd dispatches nothing svctl does not know, with the same
 * idea of which requests wait. */
START_TEST(every_dispatched_verb_is_in_the_vocabulary)
{
	const char *name;
	bool waits;

	for (size_t i = 0; (name = commands_verb(i, &waits)); i++) {
		const struct vocab_verb *verb = vocab_request_find(name);

		ck_assert_msg(verb != NULL, "svd dispatches %s, not in vocab",
			      name);
		ck_assert_msg(waits == !!(verb->flags & VOCAB_WAITS),
			      "%s: waits differs", name);
	}
}
END_TEST

START_TEST(svctl_only_commands_are_not_requests)
{
	ck_assert_ptr_nonnull(vocab_verb_find("verify"));
	ck_assert_ptr_null(vocab_request_find("verify"));
	ck_assert_ptr_nonnull(vocab_verb_find("is-active"));
	ck_assert_ptr_null(vocab_request_find("is-active"));
	ck_assert_str_eq(vocab_verb_find("is-active")->wire, "show");
	ck_assert_ptr_null(vocab_verb_find("frobnicate"));
}
END_TEST

/* Operands and unit= say the same thing, and --help lists each row. */
START_TEST(rows_are_consistent)
{
	for (size_t i = 0; i < vocab_n_verbs; i++) {
		const struct vocab_verb *verb = &vocab_verbs[i];

		ck_assert_msg(verb->max_args < 0 ||
			      verb->max_args >= verb->min_args, "%s", verb->name);
		if (verb->units == VOCAB_UNITS_NONE && verb->wire &&
		    !(verb->flags & VOCAB_OWN_ARGS))
			ck_assert_msg(verb->max_args == 0, "%s", verb->name);
		if (verb->units == VOCAB_UNITS_OPTIONAL)
			ck_assert_msg(verb->min_args == 0, "%s", verb->name);
		ck_assert_msg(verb->synopsis || i > 0, "%s", verb->name);
		ck_assert_msg(!verb->synopsis == !verb->help, "%s", verb->name);
		if (verb->synopsis)
			ck_assert_msg(strncmp(verb->synopsis, verb->name,
					      strlen(verb->name)) == 0,
				      "%s: synopsis %s", verb->name,
				      verb->synopsis);
	}
}
END_TEST

START_TEST(socket_path_from_the_environment)
{
	unsetenv("SVD_SOCKET");
	ck_assert_str_eq(vocab_socket_path(), "/run/svd/control.sock");
	setenv("SVD_SOCKET", "", 1);
	ck_assert_str_eq(vocab_socket_path(), VOCAB_DEFAULT_SOCKET_PATH);
	setenv("SVD_SOCKET", "/tmp/x.sock", 1);
	ck_assert_str_eq(vocab_socket_path(), "/tmp/x.sock");
	unsetenv("SVD_SOCKET");
}
END_TEST

START_TEST(properties_have_unique_names)
{
	for (size_t i = 0; i < VOCAB_PROP_COUNT; i++) {
		ck_assert_ptr_nonnull(vocab_props[i].name);
		ck_assert_ptr_eq(vocab_prop_find(vocab_props[i].name),
				 &vocab_props[i]);
	}
	ck_assert_int_eq(vocab_prop_find("ExecStart")->type, VOCAB_STRINGS);
	ck_assert_int_eq(vocab_prop_find("MainPID")->type, VOCAB_INT);
	ck_assert_ptr_null(vocab_prop_find("LogText"));
}
END_TEST

static Suite *vocab_suite(void)
{
	Suite *s = suite_create("vocab");
	TCase *tc = tcase_create("vocab");

	tcase_add_test(tc, every_sent_verb_is_dispatched);
	tcase_add_test(tc, every_dispatched_verb_is_in_the_vocabulary);
	tcase_add_test(tc, svctl_only_commands_are_not_requests);
	tcase_add_test(tc, rows_are_consistent);
	tcase_add_test(tc, socket_path_from_the_environment);
	tcase_add_test(tc, properties_have_unique_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(vocab_suite());
}
