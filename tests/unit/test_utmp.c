/* utmp: the id as utmp keeps it. The records themselves are the board
 * test's (tests/integration/test_board.sh, in a root of its own). */
#include <check.h>

#include <string.h>

#include "check_main.h"
#include "utmp.h"

START_TEST(id_suffix)
{
	char id[4];

	utmp_id_suffix("ttyS0", id);
	ck_assert(memcmp(id, "tyS0", 4) == 0);
	utmp_id_suffix("tty1", id);
	ck_assert(memcmp(id, "tty1", 4) == 0);
	utmp_id_suffix("S0", id);
	ck_assert(memcmp(id, "S0\0\0", 4) == 0);
	utmp_id_suffix("", id);
	ck_assert(memcmp(id, "\0\0\0\0", 4) == 0);
}
END_TEST

static Suite *utmp_suite(void)
{
	Suite *s = suite_create("utmp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, id_suffix);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(utmp_suite());
}
