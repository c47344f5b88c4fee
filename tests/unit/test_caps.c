/* Tests for conf/caps.c: capability names and numbers, systemd's merge
 * rule for repeated lists, the SecureBits= words. */
#include <check.h>

#include "check_main.h"
#include <linux/capability.h>
#include <linux/securebits.h>

#include "caps.h"

START_TEST(names_to_numbers)
{
	ck_assert_int_eq(caps_from_name("CAP_NET_BIND_SERVICE"), CAP_NET_BIND_SERVICE);
	ck_assert_int_eq(caps_from_name("cap_net_bind_service"), CAP_NET_BIND_SERVICE);
	ck_assert_int_eq(caps_from_name("Cap_Sys_Admin"), CAP_SYS_ADMIN);
	ck_assert_int_eq(caps_from_name("CAP_CHOWN"), 0);
	/* numbers, as systemd takes them */
	ck_assert_int_eq(caps_from_name("12"), 12);
	ck_assert_int_eq(caps_from_name("63"), 63);
	ck_assert_int_eq(caps_from_name("64"), -1);
	ck_assert_int_eq(caps_from_name("-1"), -1);
	ck_assert_int_eq(caps_from_name("CAP_NOT_A_CAP"), -1);
	ck_assert_int_eq(caps_from_name("NET_ADMIN"), -1);
	ck_assert_int_eq(caps_from_name(""), -1);
	ck_assert_int_eq(caps_from_name("CAP_CHOWN,CAP_KILL"), -1);
	ck_assert_int_eq(caps_from_name("CAP_CHOWNX"), -1);
	ck_assert_int_eq(caps_from_name("0x3"), 3);
	ck_assert_int_eq(caps_from_name("12a"), -1);
}
END_TEST

START_TEST(numbers_to_names)
{
	char buf[32];

	ck_assert_str_eq(caps_name(CAP_NET_RAW, buf, sizeof(buf)), "cap_net_raw");
	ck_assert_str_eq(caps_name(CAP_CHOWN, buf, sizeof(buf)), "cap_chown");
	/* one no libcap names yet: its number */
	ck_assert_str_eq(caps_name(63, buf, sizeof(buf)), "63");
	ck_assert_int_eq(caps_from_name(caps_name(CAP_SETPCAP, buf, sizeof(buf))),
			 CAP_SETPCAP);
}
END_TEST

START_TEST(last_cap_is_the_kernels)
{
	int last = caps_last_cap();

	/* every kernel svd runs on knows CAP_AUDIT_READ (Linux 3.16) */
	ck_assert_int_ge(last, CAP_AUDIT_READ);
	ck_assert_int_lt(last, CAPS_MAX);
}
END_TEST

/* systemd.exec(5)'s example: A B then B C is A B C; A B then ~B C is A. */
START_TEST(merge_rule)
{
	enum { A = 1, B = 2, C = 3 };
	uint64_t set;

	set = caps_merge(0, true, CAPS_BIT(A) | CAPS_BIT(B), false);
	set = caps_merge(set, false, CAPS_BIT(B) | CAPS_BIT(C), false);
	ck_assert(set == (CAPS_BIT(A) | CAPS_BIT(B) | CAPS_BIT(C)));
	set = caps_merge(0, true, CAPS_BIT(A) | CAPS_BIT(B), false);
	set = caps_merge(set, false, CAPS_BIT(B) | CAPS_BIT(C), true);
	ck_assert(set == CAPS_BIT(A));
	/* a first "~" line is the complement */
	ck_assert(caps_merge(CAPS_BIT(A), true, CAPS_BIT(B), true) == ~CAPS_BIT(B));
	/* "" and "~" alone replace, whatever came before */
	ck_assert(caps_merge(CAPS_BIT(A), false, 0, false) == 0);
	ck_assert(caps_merge(CAPS_BIT(A), false, 0, true) == UINT64_MAX);
}
END_TEST

START_TEST(securebit_words)
{
	ck_assert_int_eq(caps_securebit_from_word("keep-caps"), SECBIT_KEEP_CAPS);
	ck_assert_int_eq(caps_securebit_from_word("keep-caps-locked"),
			 SECBIT_KEEP_CAPS_LOCKED);
	ck_assert_int_eq(caps_securebit_from_word("no-setuid-fixup"),
			 SECBIT_NO_SETUID_FIXUP);
	ck_assert_int_eq(caps_securebit_from_word("no-setuid-fixup-locked"),
			 SECBIT_NO_SETUID_FIXUP_LOCKED);
	ck_assert_int_eq(caps_securebit_from_word("noroot"), SECBIT_NOROOT);
	ck_assert_int_eq(caps_securebit_from_word("noroot-locked"),
			 SECBIT_NOROOT_LOCKED);
	ck_assert_int_eq(caps_securebit_from_word("KEEP-CAPS"), -1);
	ck_assert_int_eq(caps_securebit_from_word("keep-caps "), -1);
	ck_assert_int_eq(caps_securebit_from_word(""), -1);
}
END_TEST

static Suite *caps_suite(void)
{
	Suite *s = suite_create("caps");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, names_to_numbers);
	tcase_add_test(tc, numbers_to_names);
	tcase_add_test(tc, last_cap_is_the_kernels);
	tcase_add_test(tc, merge_rule);
	tcase_add_test(tc, securebit_words);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(caps_suite());
}
