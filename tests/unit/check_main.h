/* The runner every check suite's main() shares. */
#ifndef SVD_TEST_CHECK_MAIN_H
#define SVD_TEST_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/* Runs suite s and returns main()'s exit status. */
static inline int check_run(Suite *s)
{
	SRunner *runner = srunner_create(s);
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
