/* pidmap: the reaper's pid -> service table. */
#include <check.h>

#include "check_main.h"
#include <stdint.h>
#include <stdlib.h>

#include "pidmap.h"

static void *owner_of(pid_t pid)
{
	return (void *)(uintptr_t)(pid * 2 + 1);
}

START_TEST(put_get_delete_many)
{
	struct pidmap map;
	const pid_t n = 20000;

	pidmap_init(&map);
	ck_assert_ptr_null(pidmap_get(&map, 5));
	for (pid_t pid = 2; pid < n; pid++)
		ck_assert_int_eq(pidmap_put(&map, pid, owner_of(pid)), 0);
	ck_assert_uint_eq(map.live, (size_t)n - 2);
	for (pid_t pid = 2; pid < n; pid++)
		ck_assert_ptr_eq(pidmap_get(&map, pid), owner_of(pid));
	for (pid_t pid = 2; pid < n; pid += 2)
		pidmap_del(&map, pid);
	for (pid_t pid = 2; pid < n; pid++)
		ck_assert_ptr_eq(pidmap_get(&map, pid),
				 pid % 2 ? owner_of(pid) : NULL);
	/* Churn, as services restart: deleted slots must not fill the table. */
	for (pid_t pid = n; pid < 10 * n; pid++) {
		ck_assert_int_eq(pidmap_put(&map, pid, owner_of(pid)), 0);
		pidmap_del(&map, pid);
	}
	ck_assert_uint_eq(map.live, (size_t)(n - 2) / 2);
	ck_assert_uint_le(map.capacity, 1u << 17);
	ck_assert_ptr_null(pidmap_get(&map, 0));
	ck_assert_ptr_null(pidmap_get(&map, -1));
	pidmap_free(&map);
}
END_TEST

START_TEST(put_replaces_owner)
{
	struct pidmap map;

	pidmap_init(&map);
	pidmap_put(&map, 42, owner_of(1));
	pidmap_put(&map, 42, owner_of(2));
	ck_assert_ptr_eq(pidmap_get(&map, 42), owner_of(2));
	ck_assert_uint_eq(map.live, 1);
	pidmap_free(&map);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pidmap");
	TCase *tc = tcase_create("pidmap");

	tcase_add_test(tc, put_get_delete_many);
	tcase_add_test(tc, put_replaces_owner);
	suite_add_tcase(s, tc);
	return check_run(s);
}
