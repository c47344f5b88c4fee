/* powerkey: which key bits are a power key's, which events a press. The
 * devices themselves are the VM test's (tests/vm/test_vm.py). */
#include <check.h>

#include <string.h>

#include "check_main.h"
#include "powerkey.h"

START_TEST(power_bit)
{
	unsigned char bits[KEY_MAX / 8 + 1];

	memset(bits, 0, sizeof(bits));
	ck_assert(!powerkey_bits_have_power(bits, sizeof(bits)));
	bits[KEY_POWER / 8] = (unsigned char)(1 << (KEY_POWER % 8));
	ck_assert(powerkey_bits_have_power(bits, sizeof(bits)));
	/* Too short to hold the bit: no. */
	ck_assert(!powerkey_bits_have_power(bits, KEY_POWER / 8));
	/* A neighbour's bit is not it. */
	memset(bits, 0, sizeof(bits));
	bits[KEY_POWER / 8] = (unsigned char)~(1 << (KEY_POWER % 8));
	ck_assert(!powerkey_bits_have_power(bits, sizeof(bits)));
}
END_TEST

START_TEST(presses)
{
	struct input_event ev[6];

	memset(ev, 0, sizeof(ev));
	ev[0].type = EV_KEY, ev[0].code = KEY_POWER, ev[0].value = 1;
	ev[1].type = EV_SYN;
	ev[2].type = EV_KEY, ev[2].code = KEY_POWER, ev[2].value = 0;
	ev[3].type = EV_KEY, ev[3].code = KEY_POWER, ev[3].value = 2;
	ev[4].type = EV_KEY, ev[4].code = KEY_A, ev[4].value = 1;
	ev[5].type = EV_MSC, ev[5].code = KEY_POWER, ev[5].value = 1;
	ck_assert_uint_eq(powerkey_presses(ev, 6), 1);
	ck_assert_uint_eq(powerkey_presses(ev + 1, 5), 0);
	ck_assert_uint_eq(powerkey_presses(ev, 0), 0);
}
END_TEST

static Suite *powerkey_suite(void)
{
	Suite *s = suite_create("powerkey");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, power_bit);
	tcase_add_test(tc, presses);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(powerkey_suite());
}
