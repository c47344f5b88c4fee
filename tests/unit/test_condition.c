/* condition: Condition*= and Assert*= against real files in a temporary
 * directory. */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "condition.h"

static char dir[] = "/tmp/svd-test-cond.XXXXXX";
static char paths[8][256];

static const char *path(int i, const char *name)
{
	snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, name);
	return paths[i];
}

static void setup(void)
{
	FILE *f;

	strcpy(dir, "/tmp/svd-test-cond.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	f = fopen(path(0, "full"), "w");
	fputs("x", f);
	fclose(f);
	fclose(fopen(path(0, "empty"), "w"));
	ck_assert_int_eq(mkdir(path(0, "emptydir"), 0755), 0);
	ck_assert_int_eq(mkdir(path(0, "dir"), 0755), 0);
	fclose(fopen(path(0, "dir/inside"), "w"));
	ck_assert_int_eq(symlink("full", path(0, "link")), 0);
	ck_assert_int_eq(chmod(path(0, "full"), 0755), 0);
}

static void teardown(void)
{
	static const char *const names[] = {
		"full", "empty", "dir/inside", "link",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(path(0, names[i]));
	rmdir(path(0, "emptydir"));
	rmdir(path(0, "dir"));
	rmdir(dir);
}

/* Arguments live in paths[] or are copied to args[]: unit_condition
 * holds a plain char *. */
static char args[4][256];

static struct unit_condition cond(enum unit_condition_type type, const char *arg)
{
	static int next;
	char *copy = args[next++ % 4];

	snprintf(copy, sizeof(args[0]), "%s", arg);
	return (struct unit_condition){ .type = type, .arg = copy };
}

START_TEST(each_test_against_files)
{
	struct unit_condition c;

	c = cond(UNIT_COND_PATH_EXISTS, path(1, "full"));
	ck_assert(condition_holds(&c));
	c = cond(UNIT_COND_PATH_EXISTS, path(1, "missing"));
	ck_assert(!condition_holds(&c));
	c = cond(UNIT_COND_PATH_EXISTS_GLOB, path(1, "f*l"));
	ck_assert(condition_holds(&c));
	c = cond(UNIT_COND_PATH_EXISTS_GLOB, path(1, "nothing*"));
	ck_assert(!condition_holds(&c));
	c = cond(UNIT_COND_PATH_IS_DIRECTORY, path(1, "dir"));
	ck_assert(condition_holds(&c));
	c = cond(UNIT_COND_PATH_IS_DIRECTORY, path(1, "full"));
	ck_assert(!condition_holds(&c));
	c = cond(UNIT_COND_PATH_IS_SYMBOLIC_LINK, path(1, "link"));
	ck_assert(condition_holds(&c));
	c = cond(UNIT_COND_PATH_IS_SYMBOLIC_LINK, path(1, "full"));
	ck_assert(!condition_holds(&c));
	c = cond(UNIT_COND_DIRECTORY_NOT_EMPTY, path(1, "dir"));
	ck_assert(condition_holds(&c));
	c = cond(UNIT_COND_DIRECTORY_NOT_EMPTY, path(1, "emptydir"));
	ck_assert(!condition_holds(&c));
	c = cond(UNIT_COND_FILE_NOT_EMPTY, path(1, "full"));
	ck_assert(condition_holds(&c));
	c = cond(UNIT_COND_FILE_NOT_EMPTY, path(1, "empty"));
	ck_assert(!condition_holds(&c));
	c = cond(UNIT_COND_FILE_IS_EXECUTABLE, path(1, "full"));
	ck_assert(condition_holds(&c));
	c = cond(UNIT_COND_FILE_IS_EXECUTABLE, path(1, "empty"));
	ck_assert(!condition_holds(&c));
}
END_TEST

START_TEST(host_and_virtualization)
{
	char host[256];
	const char *kind, *name = condition_virtualization(&kind);
	struct unit_condition c;
	bool virtualized = strcmp(kind, "none") != 0;

	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	c = cond(UNIT_COND_HOST, host);
	ck_assert(condition_holds(&c));
	c = cond(UNIT_COND_HOST, "surely-not-this-host-name");
	ck_assert(!condition_holds(&c));
	/* Whatever this machine is, the answers agree with each other. */
	c = cond(UNIT_COND_VIRTUALIZATION, "yes");
	ck_assert(condition_holds(&c) == virtualized);
	c = cond(UNIT_COND_VIRTUALIZATION, "no");
	ck_assert(condition_holds(&c) == !virtualized);
	c = cond(UNIT_COND_VIRTUALIZATION, kind);
	ck_assert(condition_holds(&c) == virtualized);
	c = cond(UNIT_COND_VIRTUALIZATION, name);
	ck_assert(condition_holds(&c));
}
END_TEST

START_TEST(negation_triggers_and_asserts)
{
	struct unit_condition set[4];
	struct unit unit = { .conditions = set };
	char why[300];

	/* Plain conditions must all hold. */
	set[0] = cond(UNIT_COND_PATH_EXISTS, path(1, "full"));
	set[1] = cond(UNIT_COND_PATH_EXISTS, path(2, "missing"));
	set[1].negate = true;
	unit.n_conditions = 2;
	ck_assert_int_eq(condition_check(&unit, why, sizeof(why)), CONDITION_PASS);
	set[1].negate = false;
	ck_assert_int_eq(condition_check(&unit, why, sizeof(why)), CONDITION_SKIP);
	ck_assert_str_eq(why + strlen(why) - strlen("/missing"), "/missing");
	ck_assert(strncmp(why, "ConditionPathExists=/", 21) == 0);
	/* Of the triggers, one is enough. */
	set[1].trigger = true;
	set[2] = cond(UNIT_COND_PATH_IS_DIRECTORY, path(3, "dir"));
	set[2].trigger = true;
	unit.n_conditions = 3;
	ck_assert_int_eq(condition_check(&unit, why, sizeof(why)), CONDITION_PASS);
	set[2].negate = true;
	ck_assert_int_eq(condition_check(&unit, why, sizeof(why)), CONDITION_SKIP);
	ck_assert(strstr(why, "=|/") != NULL);
	/* An assertion fails; a condition is checked first. */
	set[2].negate = false;
	set[3] = cond(UNIT_COND_FILE_NOT_EMPTY, path(4, "empty"));
	set[3].assert = true;
	unit.n_conditions = 4;
	ck_assert_int_eq(condition_check(&unit, why, sizeof(why)), CONDITION_FAIL);
	ck_assert(strncmp(why, "AssertFileNotEmpty=", 19) == 0);
	set[0].negate = true;
	ck_assert_int_eq(condition_check(&unit, why, sizeof(why)), CONDITION_SKIP);
}
END_TEST

static Suite *condition_suite(void)
{
	Suite *s = suite_create("condition");
	TCase *tc = tcase_create("condition");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, each_test_against_files);
	tcase_add_test(tc, host_and_virtualization);
	tcase_add_test(tc, negation_triggers_and_asserts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(condition_suite());
}
