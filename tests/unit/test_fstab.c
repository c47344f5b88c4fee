/* fstab: fields, escapes, options into mount(2) flags and data, swap
 * options, and bad lines named and skipped while the others are kept. */
#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/swap.h>

#include "check_main.h"
#include "fstab.h"

static char diag_text[4096];

static void diag(void *ctx, const char *message)
{
	unsigned *count = ctx;

	(*count)++;
	strncat(diag_text, message, sizeof(diag_text) - strlen(diag_text) - 2);
	strcat(diag_text, "\n");
}

static unsigned parse(struct fstab *tab, const char *text)
{
	unsigned count = 0;

	diag_text[0] = '\0';
	memset(tab, 0, sizeof(*tab));
	ck_assert_int_eq(fstab_parse(tab, "/etc/fstab", text, strlen(text),
				     diag, &count), 0);
	ck_assert_uint_eq(count, tab->n_errors);
	return count;
}

START_TEST(fields_and_flags)
{
	struct fstab tab;

	ck_assert_uint_eq(parse(&tab,
		"# <spec> <point> <type> <options> <dump> <pass>\n"
		"\n"
		"  # indented comment\n"
		"/dev/vda / ext4 rw,errors=remount-ro 0 1\n"
		"LABEL=data\t/data//\text4\tnoatime,nofail,x-systemd.device-timeout=5s 0 2\n"
		"tmpfs /tmp tmpfs mode=1777,size=10%,nosuid,nodev\n"
		"/data/www /srv/with\\040space none bind,ro 0 0\n"
		"/dev/vdc none swap sw,pri=5,discard 0 0\n"
		"/dev/vdd /media/usb vfat noauto,user,comment=x,uid=1000\n"
		"proc /proc proc defaults\n"), 0);
	ck_assert_uint_eq(tab.n, 7);

	ck_assert_str_eq(tab.entries[0].point, "/");
	ck_assert_uint_eq(tab.entries[0].flags, 0);
	ck_assert_str_eq(tab.entries[0].data, "errors=remount-ro");
	ck_assert_uint_eq(tab.entries[0].line, 4);

	ck_assert_str_eq(tab.entries[1].source, "LABEL=data");
	ck_assert_str_eq(tab.entries[1].point, "/data");
	ck_assert_uint_eq(tab.entries[1].flags, MS_NOATIME);
	ck_assert(tab.entries[1].nofail && !tab.entries[1].noauto);
	ck_assert_str_eq(tab.entries[1].data, "");

	ck_assert_uint_eq(tab.entries[2].flags, MS_NOSUID | MS_NODEV);
	ck_assert_str_eq(tab.entries[2].data, "mode=1777,size=10%");
	ck_assert_str_eq(tab.entries[2].options, "mode=1777,size=10%,nosuid,nodev");

	ck_assert_str_eq(tab.entries[3].point, "/srv/with space");
	ck_assert_uint_eq(tab.entries[3].flags, MS_BIND | MS_RDONLY);

	ck_assert(tab.entries[4].swap);
	ck_assert_int_eq(tab.entries[4].swap_flags,
			 SWAP_FLAG_PREFER | 5 | SWAP_FLAG_DISCARD);

	ck_assert(tab.entries[5].noauto);
	ck_assert_str_eq(tab.entries[5].data, "uid=1000");
	/* No options field: defaults. */
	ck_assert_str_eq(tab.entries[6].options, "defaults");

	ck_assert_ptr_eq(fstab_find(&tab, "/data"), &tab.entries[1]);
	ck_assert_ptr_null(fstab_find(&tab, "none"));	/* the swap's */
	ck_assert_ptr_null(fstab_find(&tab, "/nothing"));
	fstab_free(&tab);
}
END_TEST

START_TEST(later_word_wins)
{
	struct fstab tab;

	parse(&tab, "/dev/a /a ext4 ro,noexec,rw,exec,rbind,rshared\n");
	ck_assert_uint_eq(tab.entries[0].flags, MS_BIND | MS_REC);
	ck_assert_uint_eq(tab.entries[0].propagation, MS_SHARED | MS_REC);
	fstab_free(&tab);
}
END_TEST

START_TEST(bad_lines_named_others_kept)
{
	struct fstab tab;

	ck_assert_uint_eq(parse(&tab,
		"/dev/a /a ext4 defaults 0 0\n"
		"lonely\n"
		"/dev/b relative ext4 defaults\n"
		"/dev/c /c ext4 loop\n"
		"/dev/d /d ext4 defaults 0 0 extra\n"
		"/dev/e /e ext4 defaults zero\n"
		"/dev/f /f/../g ext4 defaults\n"
		"/dev/g none swap pri=-1\n"
		"/dev/h none swap pri=99999\n"
		"relative /i none bind\n"
		"/dev/j /j ext4 defaults\n"), 9);
	ck_assert_uint_eq(tab.n, 2);
	ck_assert_str_eq(tab.entries[0].point, "/a");
	ck_assert_str_eq(tab.entries[1].point, "/j");
	ck_assert_ptr_nonnull(strstr(diag_text, "/etc/fstab:2: fewer than three"));
	ck_assert_ptr_nonnull(strstr(diag_text, "/etc/fstab:3: the mount point"));
	ck_assert_ptr_nonnull(strstr(diag_text,
		"/etc/fstab:4: option \"loop\": svd sets up no loop devices"));
	ck_assert_ptr_nonnull(strstr(diag_text, "/etc/fstab:5: more than six"));
	ck_assert_ptr_nonnull(strstr(diag_text, "/etc/fstab:6: the dump and pass"));
	ck_assert_ptr_nonnull(strstr(diag_text, "/etc/fstab:8: option \"pri=-1\""));
	ck_assert_ptr_nonnull(strstr(diag_text, "/etc/fstab:10: a bind mount's"));
	ck_assert_ptr_nonnull(strstr(diag_text, "line skipped"));
	fstab_free(&tab);
}
END_TEST

START_TEST(nul_and_no_final_newline)
{
	struct fstab tab = {0};
	static const char text[] = "/dev/a /a ext4 defaults\n/dev/\0b /b ext4\n/dev/c /c ext4";
	unsigned count = 0;

	ck_assert_int_eq(fstab_parse(&tab, "f", text, sizeof(text) - 1, diag,
				     &count), 0);
	ck_assert_uint_eq(count, 1);
	ck_assert_uint_eq(tab.n, 2);
	ck_assert_str_eq(tab.entries[1].point, "/c");
	ck_assert_uint_eq(tab.entries[1].line, 3);
	fstab_free(&tab);
}
END_TEST

START_TEST(load_missing_and_directory)
{
	struct fstab tab = {0};

	ck_assert_int_eq(fstab_load(&tab, "/nonexistent/fstab", NULL, NULL), 0);
	ck_assert_uint_eq(tab.n, 0);
	ck_assert_int_eq(fstab_load(&tab, "/", NULL, NULL), -1);
	fstab_free(&tab);
}
END_TEST

static Suite *fstab_suite(void)
{
	Suite *s = suite_create("fstab");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fields_and_flags);
	tcase_add_test(tc, later_word_wins);
	tcase_add_test(tc, bad_lines_named_others_kept);
	tcase_add_test(tc, nul_and_no_final_newline);
	tcase_add_test(tc, load_missing_and_directory);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(fstab_suite());
}
