/* ctl/security, security_out, security_unit: the exposure score of
 * systemd-analyze security on hand-built inputs, its table and JSON, and
 * the inputs read from a unit. The expected figures are systemd 252's
 * (`systemd-analyze security --offline=true` on this project's Debian 12
 * machines): 9.6 UNSAFE for a bare unit, 1.2 OK for Debian's
 * redis-server.service. */
#include <check.h>

#include "check_main.h"
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "security.h"
#include "security_out.h"
#include "security_unit.h"
#include "unit.h"

static struct security_report report;
static char *text;
static size_t text_len;

static FILE *capture(void)
{
	free(text);
	text = NULL;
	return open_memstream(&text, &text_len);
}

static const struct security_row *row(const char *name)
{
	for (size_t i = 0; i < report.n_rows; i++)
		if (strcmp(report.rows[i].name, name) == 0)
			return &report.rows[i];
	ck_abort_msg("no row %s", name);
	return NULL;
}

static unsigned weight_sum(void)
{
	unsigned sum = 0;

	for (size_t i = 0; i < report.n_rows; i++)
		if (report.rows[i].badness != SECURITY_NOT_APPLICABLE)
			sum += report.rows[i].weight;
	return sum;
}

/* Debian 12's redis-server.service as the sandboxing branches will
 * read it: every input that unit sets, as systemd resolves it
 * (PrivateDevices= is a closed device policy, ProtectClock= allows the
 * RTC read-only). */
static void redis_info(struct security_info *i)
{
	security_info_init(i);
	i->user = "redis";
	i->capability_bounding_set = 0;
	i->no_new_privileges = true;
	i->umask = 0007;
	i->notify_access = SECURITY_NOTIFY_MAIN;
	i->remove_ipc = true;
	i->protect_system = SECURITY_PROTECT_SYSTEM_STRICT;
	i->protect_home = SECURITY_PROTECT_HOME_YES;
	i->protect_proc = SECURITY_PROTECT_PROC_INVISIBLE;
	i->private_tmp = i->private_devices = i->private_users = true;
	i->protect_kernel_tunables = i->protect_kernel_modules = true;
	i->protect_kernel_logs = i->protect_control_groups = true;
	i->protect_clock = i->protect_hostname = true;
	i->syscall_archs = SECURITY_ARCHS_NATIVE;
	/* @system-service, then ~@privileged @resources: no checked group
	 * is left in the allow list */
	i->syscall_filter = SECURITY_SYSCALLS_ALLOW_LIST;
	i->syscall_groups_blocked = (1u << SECURITY_SYSCALL_GROUP_COUNT) - 1;
	i->af_netlink_denied = i->af_packet_denied = i->af_other_denied = true;
	i->namespaces_allowed = 0;
	i->restrict_realtime = i->restrict_suid_sgid = true;
	i->lock_personality = i->memory_deny_write_execute = true;
	i->device_policy = SECURITY_DEVICE_POLICY_CLOSED;
	i->device_allow = "char-rtc:r";
}

START_TEST(bare_unit_as_root_is_unsafe)
{
	struct security_info info;

	security_info_init(&info);
	security_assess(&info, &report);
	ck_assert_uint_eq(report.n_rows, 81);
	ck_assert_uint_eq(weight_sum(), 56160);
	ck_assert_uint_eq(report.exposure, 96);
	ck_assert_str_eq(security_level_name(report.exposure), "UNSAFE");
	ck_assert_int_eq(row("User=/DynamicUser=")->badness, 10);
	ck_assert_uint_eq(row("User=/DynamicUser=")->exposure, 4);
	ck_assert_str_eq(row("User=/DynamicUser=")->description,
			 "Service runs as root user");
	ck_assert_uint_eq(row("PrivateNetwork=")->exposure, 5);
	/* root: the options that only matter for another user do not count */
	ck_assert_int_eq(row("SupplementaryGroups=")->badness,
			 SECURITY_NOT_APPLICABLE);
	ck_assert_str_eq(row("RemoveIPC=")->description,
			 "Service runs as root, option does not apply");
	ck_assert_uint_eq(row("RemoveIPC=")->exposure, 0);
	/* systemd's defaults that are confined already */
	ck_assert_int_eq(security_row_mark(row("KeyringMode=")), SECURITY_MARK_GOOD);
	ck_assert_int_eq(security_row_mark(row("NotifyAccess=")), SECURITY_MARK_GOOD);
	ck_assert_int_eq(security_row_mark(row("Delegate=")), SECURITY_MARK_GOOD);
	ck_assert_int_eq(security_row_mark(row("AmbientCapabilities=")),
			 SECURITY_MARK_GOOD);
	ck_assert_int_eq(row("UMask=")->badness, 5);
	ck_assert_str_eq(row("UMask=")->description,
			 "Files created by service are world-readable by default");
	ck_assert_str_eq(row("SystemCallFilter=~@mount")->description,
			 "Service does not filter system calls");
	ck_assert_int_eq(security_row_mark(row("RestrictNamespaces=~user")),
			 SECURITY_MARK_BAD);
}
END_TEST

START_TEST(hardened_redis_is_ok)
{
	struct security_info info;
	const struct security_row *r;

	redis_info(&info);
	security_assess(&info, &report);
	ck_assert_uint_eq(report.exposure, 12);
	ck_assert_str_eq(security_level_name(report.exposure), "OK");
	ck_assert_str_eq(row("User=/DynamicUser=")->description,
			 "Service runs under a static non-root user identity");
	ck_assert_str_eq(row("SupplementaryGroups=")->description,
			 "Service has no supplementary groups");
	r = row("DeviceAllow=");
	ck_assert_int_eq(r->badness, 5);
	ck_assert_str_eq(r->description,
			 "Service has a device ACL with some special devices");
	ck_assert_str_eq(r->detail, "char-rtc:r");
	ck_assert_uint_eq(r->exposure, 1);
	ck_assert_str_eq(row("SystemCallFilter=~@privileged")->description,
			 "System call allow list defined for service, and "
			 "@privileged is not included");
	ck_assert_int_eq(row("UMask=")->badness, 2);
	ck_assert_uint_eq(row("PrivateNetwork=")->exposure, 5);
	ck_assert_uint_eq(row("RestrictAddressFamilies=~AF_(INET|INET6)")->exposure, 3);
	ck_assert_int_eq(security_row_mark(row("ProtectProc=")), SECURITY_MARK_GOOD);
}
END_TEST

START_TEST(everything_confined_is_perfect)
{
	struct security_info info;

	redis_info(&info);
	info.user = NULL;
	info.dynamic_user = true;
	info.umask = 0077;
	info.private_network = info.private_mounts = true;
	info.proc_subset = SECURITY_PROC_SUBSET_PID;
	info.root_directory = "/srv/root";
	info.af_inet_denied = info.af_unix_denied = true;
	info.ip_deny_all = true;
	info.device_allow = NULL;
	security_assess(&info, &report);
	for (size_t i = 0; i < report.n_rows; i++)
		ck_assert_msg(report.rows[i].badness == 0, "%s: %d",
			      report.rows[i].name, report.rows[i].badness);
	ck_assert_uint_eq(report.exposure, 0);
	ck_assert_str_eq(security_level_name(0), "PERFECT");
	ck_assert_str_eq(row("User=/DynamicUser=")->description,
			 "Service runs under a transient non-root user identity");
	ck_assert_str_eq(row("IPAddressDeny=")->description,
			 "Service blocks all IP address ranges");
	ck_assert_str_eq(row("DeviceAllow=")->description,
			 "Service has a minimal device ACL");
}
END_TEST

START_TEST(user_nobody_and_groups)
{
	struct security_info info;

	security_info_init(&info);
	info.user = "nobody";
	info.n_supplementary_groups = 1;
	security_assess(&info, &report);
	ck_assert_int_eq(row("User=/DynamicUser=")->badness, 9);
	ck_assert_int_eq(security_row_mark(row("User=/DynamicUser=")),
			 SECURITY_MARK_BAD);
	ck_assert_int_eq(row("SupplementaryGroups=")->badness, 1);
	ck_assert_str_eq(row("SupplementaryGroups=")->description,
			 "Service runs with supplementary groups");
	ck_assert_int_eq(row("RemoveIPC=")->badness, 1);
	/* "root" and "0" by name are root; DynamicUser= does not change it */
	info.user = "0";
	info.dynamic_user = true;
	security_assess(&info, &report);
	ck_assert_int_eq(row("User=/DynamicUser=")->badness, 10);
	ck_assert_int_eq(row("RemoveIPC=")->badness, SECURITY_NOT_APPLICABLE);
}
END_TEST

START_TEST(early_boot_unit_skips_file_system_checks)
{
	static const char *const skipped[] = {
		"PrivateTmp=", "ProtectHome=", "ProtectSystem=",
		"RootDirectory=/RootImage=",
	};
	struct security_info info;

	security_info_init(&info);
	info.default_dependencies = false;
	security_assess(&info, &report);
	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++) {
		ck_assert_int_eq(row(skipped[i])->badness, SECURITY_NOT_APPLICABLE);
		ck_assert_str_eq(row(skipped[i])->description, "Service runs in "
				 "special boot phase, option is not appropriate");
	}
	ck_assert_uint_eq(weight_sum(), 56160 - 3200);
}
END_TEST

START_TEST(syscall_lists)
{
	struct security_info info;
	FILE *out;

	security_info_init(&info);
	info.syscall_filter = SECURITY_SYSCALLS_DENY_LIST;
	info.syscall_groups_blocked = SECURITY_SYSCALL_BIT(SECURITY_SYSCALL_MOUNT);
	security_assess(&info, &report);
	ck_assert_int_eq(row("SystemCallFilter=~@mount")->badness, 0);
	ck_assert_str_eq(row("SystemCallFilter=~@mount")->description,
			 "System call deny list defined for service, and @mount "
			 "is included");
	ck_assert_int_eq(row("SystemCallFilter=~@swap")->badness, 10);
	ck_assert_str_eq(row("SystemCallFilter=~@swap")->description,
			 "System call deny list defined for service, and @swap "
			 "is not included");
	/* An allow list that lets a group through is a little better than
	 * no filter: 9 of 10. */
	info.syscall_filter = SECURITY_SYSCALLS_ALLOW_LIST;
	security_assess(&info, &report);
	ck_assert_int_eq(row("SystemCallFilter=~@raw-io")->badness, 9);
	ck_assert_str_eq(row("SystemCallFilter=~@raw-io")->description,
			 "System call allow list defined for service, and "
			 "@raw-io is included");
	ck_assert_int_eq(security_row_mark(row("SystemCallFilter=~@raw-io")),
			 SECURITY_MARK_BAD);
	/* systemd names a call that gets through, when it is known */
	info.syscall_example[SECURITY_SYSCALL_PRIVILEGED] = "chown";
	info.syscall_example[SECURITY_SYSCALL_MOUNT] = "mount";
	info.syscall_groups_blocked = SECURITY_SYSCALL_BIT(SECURITY_SYSCALL_MOUNT);
	security_assess(&info, &report);
	ck_assert_str_eq(row("SystemCallFilter=~@privileged")->detail, "chown");
	ck_assert_ptr_null(row("SystemCallFilter=~@mount")->detail);
	out = capture();
	security_out_json(out, "x.service", &report);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(text, "\"System call allow list defined "
				     "for service, and @privileged is included (e.g. "
				     "chown is allowed)\""));
	info.syscall_archs = SECURITY_ARCHS_SEVERAL;
	security_assess(&info, &report);
	ck_assert_int_eq(row("SystemCallArchitectures=")->badness, 8);
}
END_TEST

START_TEST(graded_settings)
{
	static const struct {
		mode_t umask;
		int badness;
	} masks[] = {
		{ 0000, 10 }, { 0002, 5 }, { 0022, 5 }, { 0006, 2 },
		{ 0026, 1 }, { 0027, 1 }, { 0067, 0 }, { 0077, 0 },
	};
	struct security_info info;

	security_info_init(&info);
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		info.umask = masks[i].umask;
		security_assess(&info, &report);
		ck_assert_msg(row("UMask=")->badness == masks[i].badness,
			      "UMask=%04o: %d", (unsigned)masks[i].umask,
			      row("UMask=")->badness);
	}
	info.protect_system = SECURITY_PROTECT_SYSTEM_YES;
	info.protect_home = SECURITY_PROTECT_HOME_READ_ONLY;
	info.protect_proc = SECURITY_PROTECT_PROC_NOACCESS;
	info.notify_access = SECURITY_NOTIFY_ALL;
	info.keyring_mode = SECURITY_KEYRING_INHERIT;
	info.delegate = true;
	info.capability_bounding_set = ~(UINT64_C(1) << CAP_SYS_ADMIN);
	info.ambient_capabilities = UINT64_C(1) << CAP_NET_BIND_SERVICE;
	security_assess(&info, &report);
	ck_assert_int_eq(row("ProtectSystem=")->badness, 5);
	ck_assert_int_eq(row("ProtectHome=")->badness, 5);
	ck_assert_int_eq(row("ProtectProc=")->badness, 1);
	ck_assert_int_eq(row("NotifyAccess=")->badness, 1);
	ck_assert_int_eq(row("KeyringMode=")->badness, 1);
	ck_assert_int_eq(row("Delegate=")->badness, 1);
	ck_assert_int_eq(row("CapabilityBoundingSet=~CAP_SYS_ADMIN")->badness, 0);
	ck_assert_int_eq(row("AmbientCapabilities=")->badness, 1);
	info.protect_system = SECURITY_PROTECT_SYSTEM_FULL;
	info.protect_home = SECURITY_PROTECT_HOME_TMPFS;
	security_assess(&info, &report);
	ck_assert_int_eq(row("ProtectSystem=")->badness, 3);
	ck_assert_int_eq(row("ProtectHome=")->badness, 1);
	/* A partial badness has no text of its own but the assessor's. */
	ck_assert_str_eq(row("ProtectHome=")->description,
			 "Service has access to fake empty home directories");
}
END_TEST

START_TEST(level_thresholds)
{
	static const struct {
		unsigned exposure;
		const char *name;
	} levels[] = {
		{ 100, "DANGEROUS" }, { 99, "UNSAFE" }, { 90, "UNSAFE" },
		{ 89, "EXPOSED" }, { 75, "EXPOSED" }, { 74, "MEDIUM" },
		{ 50, "MEDIUM" }, { 49, "OK" }, { 10, "OK" }, { 9, "SAFE" },
		{ 1, "SAFE" }, { 0, "PERFECT" },
	};

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		ck_assert_str_eq(security_level_name(levels[i].exposure),
				 levels[i].name);
}
END_TEST

START_TEST(sorted_as_systemd_prints)
{
	struct security_info info;

	security_info_init(&info);
	security_assess(&info, &report);
	security_report_sort(&report);
	/* descriptions from the end of the alphabet; a tie by name */
	ck_assert_str_eq(report.rows[0].name, "RootDirectory=/RootImage=");
	ck_assert_str_eq(report.rows[report.n_rows - 1].name, "UMask=");
	for (size_t i = 1; i < report.n_rows; i++) {
		const struct security_row *a = &report.rows[i - 1], *b = &report.rows[i];
		int r = strcmp(a->description, b->description);

		ck_assert_msg(r > 0 || (r == 0 && strcmp(a->name, b->name) < 0),
			      "%s before %s", a->name, b->name);
	}
}
END_TEST

START_TEST(table_and_json)
{
	struct security_info info;
	FILE *out;

	redis_info(&info);
	security_assess(&info, &report);
	security_report_sort(&report);
	out = capture();
	security_out_table(out, "redis-server.service", &report, false);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(text, "   NAME "));
	ck_assert_ptr_nonnull(strstr(text, "\n-- DeviceAllow= "));
	ck_assert_ptr_nonnull(strstr(text, "Service has a device ACL with some "
				     "special devices: char-rtc:r"));
	ck_assert_ptr_nonnull(strstr(text, "\nok NoNewPrivileges= "));
	ck_assert_ptr_nonnull(strstr(text, "\n\n-> Overall exposure level for "
				     "redis-server.service: 1.2 OK\n"));
	ck_assert_ptr_null(strstr(text, " \n"));	/* no trailing blanks */
	ck_assert_ptr_null(strchr(text, '\033'));
	for (const char *p = text; *p; p++)
		ck_assert_msg((unsigned char)*p < 0x80, "not ASCII at %zu",
			      (size_t)(p - text));

	out = capture();
	security_out_json(out, "a\"b.service", &report);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(text, "{\"unit\":\"a\\\"b.service\","
				     "\"exposure\":1.2,\"predicate\":\"OK\","
				     "\"checks\":[{"));
	ck_assert_ptr_nonnull(strstr(text, "{\"set\":false,\"name\":\"DeviceAllow=\","
				     "\"json_field\":\"DeviceAllow\",\"description\":"
				     "\"Service has a device ACL with some special "
				     "devices: char-rtc:r\",\"exposure\":0.1,"
				     "\"weight\":1000,\"badness\":5,\"range\":10}"));
	ck_assert_ptr_nonnull(strstr(text, "{\"set\":true,\"name\":\"NoNewPrivileges=\""));
}
END_TEST

START_TEST(colours_and_overview)
{
	struct security_out_line lines[] = {
		{ .unit = (char *)"a.service", .exposure = 96 },
		{ .unit = (char *)"long-name.service", .exposure = 12 },
	};
	struct security_info info;
	FILE *out;

	security_info_init(&info);
	security_assess(&info, &report);
	out = capture();
	security_out_table(out, "x.service", &report, true);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(text, "\033[0;1;31m--\033[0m User=/DynamicUser="));
	ck_assert_ptr_nonnull(strstr(text, "\033[0;1;31m9.6 UNSAFE\033[0m"));

	out = capture();
	security_out_overview(out, lines, 2, false, false);
	fclose(out);
	ck_assert_str_eq(text,
			 "UNIT              EXPOSURE PREDICATE\n"
			 "a.service              9.6 UNSAFE\n"
			 "long-name.service      1.2 OK\n");
	out = capture();
	security_out_overview(out, lines, 2, true, false);
	fclose(out);
	ck_assert_str_eq(text,
			 "[{\"unit\":\"a.service\",\"exposure\":9.6,\"predicate\":\"UNSAFE\"},"
			 "{\"unit\":\"long-name.service\",\"exposure\":1.2,"
			 "\"predicate\":\"OK\"}]\n");
}
END_TEST

/* What svd parses today, read from the unit. */
START_TEST(from_unit)
{
	struct unit *u = unit_new();
	struct security_info info;
	unsigned bare;

	ck_assert_ptr_nonnull(u);
	security_info_from_unit(u, &info);
	security_assess(&info, &report);
	ck_assert_uint_eq(report.exposure, 96);
	bare = report.exposure;

	u->user = strdup("nobody");
	u->capability_bounding_set_given = true;
	u->capability_bounding_set = 0;
	u->no_new_privileges = true;
	u->umask = 0077;
	u->notify_access = UNIT_NOTIFY_ALL;
	u->root_directory = strdup("/srv/jail");
	security_info_from_unit(u, &info);
	ck_assert_str_eq(info.user, "nobody");
	security_assess(&info, &report);
	ck_assert_uint_lt(report.exposure, bare);
	ck_assert_int_eq(row("User=/DynamicUser=")->badness, 9);
	ck_assert_int_eq(security_row_mark(row("NoNewPrivileges=")), SECURITY_MARK_GOOD);
	ck_assert_int_eq(security_row_mark(row("CapabilityBoundingSet=~CAP_SYS_ADMIN")),
			 SECURITY_MARK_GOOD);
	ck_assert_int_eq(security_row_mark(row("UMask=")), SECURITY_MARK_GOOD);
	ck_assert_int_eq(security_row_mark(row("NotifyAccess=")), SECURITY_MARK_BAD);
	ck_assert_int_eq(security_row_mark(row("RootDirectory=/RootImage=")),
			 SECURITY_MARK_GOOD);
	unit_free(u);
}
END_TEST

static Suite *security_suite(void)
{
	Suite *s = suite_create("security");
	TCase *tc = tcase_create("security");

	tcase_add_test(tc, bare_unit_as_root_is_unsafe);
	tcase_add_test(tc, hardened_redis_is_ok);
	tcase_add_test(tc, everything_confined_is_perfect);
	tcase_add_test(tc, user_nobody_and_groups);
	tcase_add_test(tc, early_boot_unit_skips_file_system_checks);
	tcase_add_test(tc, syscall_lists);
	tcase_add_test(tc, graded_settings);
	tcase_add_test(tc, level_thresholds);
	tcase_add_test(tc, sorted_as_systemd_prints);
	tcase_add_test(tc, table_and_json);
	tcase_add_test(tc, colours_and_overview);
	tcase_add_test(tc, from_unit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int r = check_run(security_suite());

	free(text);
	return r;
}
