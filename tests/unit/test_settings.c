/* Tests for conf/settings.c: svd.conf's defaults, keys, and how a bad
 * line is named and skipped. */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "settings.h"

static char diag_text[8192];

static void collect(void *ctx, const char *message)
{
	size_t len = strlen(diag_text);

	snprintf(diag_text + len, sizeof(diag_text) - len, "%s\n", message);
}

/* Loads text as svd.conf into s; returns the path (for messages). */
static void load(struct settings *s, const char *text)
{
	char path[] = "/tmp/svd-settings-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	diag_text[0] = '\0';
	ck_assert_int_eq(settings_init(s), 0);
	ck_assert_int_eq(settings_load(s, path, collect, NULL), 0);
	unlink(path);
}

START_TEST(missing_file_means_defaults)
{
	struct settings s;

	diag_text[0] = '\0';
	ck_assert_int_eq(settings_init(&s), 0);
	ck_assert_int_eq(settings_load(&s, "/nonexistent/svd.conf", collect, NULL), 0);
	ck_assert_str_eq(diag_text, "");
	ck_assert_int_eq(s.log_console, SETTINGS_AUTO);
	ck_assert_int_eq(s.log_files, SETTINGS_AUTO);
	ck_assert_uint_eq(s.log_max_file_bytes, 1024 * 1024);
	ck_assert_uint_eq(s.log_max_files, 5);
	ck_assert_uint_eq(s.log_ring_bytes, 64 * 1024);
	ck_assert_str_eq(s.directory_roots[UNIT_DIR_RUNTIME], "/run");
	ck_assert_str_eq(s.directory_roots[UNIT_DIR_CONFIGURATION], "/etc");
	ck_assert(s.stop_timeout_usec == SETTINGS_UNSET);
	ck_assert(s.kill_grace_usec == SETTINGS_UNSET);
	ck_assert_int_eq(s.syslog_socket, SETTINGS_AUTO);
	ck_assert_ptr_null(s.syslog_socket_path);
	ck_assert_int_eq(s.forward_to_syslog, SETTINGS_ON);
	ck_assert_ptr_null(s.forward_to_syslog_path);
	ck_assert_int_eq(s.control_socket_mode, -1);
	ck_assert_ptr_null(s.control_socket_group);
	settings_free(&s);
}
END_TEST

/* yes, no, a path, or empty for the default; a later line wins. */
START_TEST(syslog_sockets)
{
	struct settings s;

	load(&s, "[Manager]\nSyslogSocket=/tmp/devlog\nForwardToSyslog=no\n");
	ck_assert_str_eq(diag_text, "");
	ck_assert_int_eq(s.syslog_socket, SETTINGS_ON);
	ck_assert_str_eq(s.syslog_socket_path, "/tmp/devlog");
	ck_assert_int_eq(s.forward_to_syslog, SETTINGS_OFF);
	settings_free(&s);
	load(&s, "[Manager]\nSyslogSocket=/a\nSyslogSocket=yes\n"
	     "ForwardToSyslog=/run/rsyslog.sock\n");
	ck_assert_int_eq(s.syslog_socket, SETTINGS_ON);
	ck_assert_ptr_null(s.syslog_socket_path);	/* the default, /dev/log */
	ck_assert_int_eq(s.forward_to_syslog, SETTINGS_ON);
	ck_assert_str_eq(s.forward_to_syslog_path, "/run/rsyslog.sock");
	settings_free(&s);
	load(&s, "[Manager]\nSyslogSocket=no\nSyslogSocket=\n"
	     "ForwardToSyslog=no\nForwardToSyslog=\n");
	ck_assert_int_eq(s.syslog_socket, SETTINGS_AUTO);
	ck_assert_int_eq(s.forward_to_syslog, SETTINGS_ON);
	settings_free(&s);
	load(&s, "[Manager]\nSyslogSocket=dev/log\nForwardToSyslog=maybe\n");
	ck_assert_ptr_nonnull(strstr(diag_text, ":2: SyslogSocket=dev/log: "
				     "expected yes, no or an absolute path"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":3: ForwardToSyslog=maybe: "));
	ck_assert_int_eq(s.syslog_socket, SETTINGS_AUTO);
	ck_assert_int_eq(s.forward_to_syslog, SETTINGS_ON);
	settings_free(&s);
}
END_TEST

START_TEST(every_key)
{
	struct settings s;

	load(&s, "# comment\n; comment\n[Log]\nConsole=yes\nfiles = no\n"
	     "MaxFileSize=4M\nMaxFiles=3\nRingSize=128K\n\n[Directories]\n"
	     "Runtime=/tmp/r\nState=/tmp/s\nCache=/tmp/c\nLogs=/tmp/l\n"
	     "Configuration=/tmp/e\n");
	ck_assert_str_eq(diag_text, "");
	ck_assert_int_eq(s.log_console, SETTINGS_ON);
	ck_assert_int_eq(s.log_files, SETTINGS_OFF);
	ck_assert_uint_eq(s.log_max_file_bytes, 4 * 1024 * 1024);
	ck_assert_uint_eq(s.log_max_files, 3);
	ck_assert_uint_eq(s.log_ring_bytes, 128 * 1024);
	ck_assert_str_eq(s.directory_roots[UNIT_DIR_RUNTIME], "/tmp/r");
	ck_assert_str_eq(s.directory_roots[UNIT_DIR_STATE], "/tmp/s");
	ck_assert_str_eq(s.directory_roots[UNIT_DIR_CACHE], "/tmp/c");
	ck_assert_str_eq(s.directory_roots[UNIT_DIR_LOGS], "/tmp/l");
	ck_assert_str_eq(s.directory_roots[UNIT_DIR_CONFIGURATION], "/tmp/e");
	settings_free(&s);
}
END_TEST

START_TEST(manager_time_spans)
{
	struct settings s;

	load(&s, "[Manager]\nStopTimeoutSec=1min 30s\nKillGraceSec=500ms\n");
	ck_assert_str_eq(diag_text, "");
	ck_assert_uint_eq(s.stop_timeout_usec, 90000000);
	ck_assert_uint_eq(s.kill_grace_usec, 500000);
	settings_free(&s);
	load(&s, "[Manager]\nStopTimeoutSec=soon\nKillGraceSec=infinity\nNope=1\n");
	ck_assert(s.stop_timeout_usec == SETTINGS_UNSET);
	ck_assert(s.kill_grace_usec == SETTINGS_UNSET);
	ck_assert_ptr_nonnull(strstr(diag_text, ":2: StopTimeoutSec=soon: expected a time span"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":3: KillGraceSec=infinity: expected a time span"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":4: [Manager] Nope: unknown key"));
	settings_free(&s);
	/* The units' defaults, as systemd-system.conf has them: 0 and
	 * infinity wait forever, a bad one is named and changes nothing. */
	load(&s, "[Manager]\nDefaultTimeoutStopSec=90s\nDefaultTimeoutStartSec=0\n");
	ck_assert_str_eq(diag_text, "");
	ck_assert_uint_eq(s.default_timeout_stop_usec, 90000000);
	ck_assert(s.default_timeout_start_usec == USEC_INFINITY);
	settings_free(&s);
	load(&s, "[Manager]\nDefaultTimeoutStopSec=later\nDefaultTimeoutStartSec=infinity\n");
	ck_assert_uint_eq(s.default_timeout_stop_usec, 0);
	ck_assert(s.default_timeout_start_usec == USEC_INFINITY);
	ck_assert_ptr_nonnull(strstr(diag_text, ":2: DefaultTimeoutStopSec=later: expected a time span"));
	settings_free(&s);
}
END_TEST

START_TEST(manager_tmpfiles)
{
	struct settings s;

	load(&s, "[Manager]\n");
	ck_assert_int_eq(s.tmpfiles_at_start, SETTINGS_AUTO);
	ck_assert_int_eq(s.power_key, SETTINGS_AUTO);
	ck_assert_ptr_null(s.tmpfiles_dirs);
	ck_assert_ptr_null(s.tmpfiles_root);
	settings_free(&s);
	load(&s, "[Manager]\nTmpfilesAtStart=yes\n"
	     "TmpfilesDirectories= /a/tmpfiles.d \t /b \n"
	     "TmpfilesRoot=/srv/root\nPowerKey=no\n");
	ck_assert_str_eq(diag_text, "");
	ck_assert_int_eq(s.power_key, SETTINGS_OFF);
	ck_assert_int_eq(s.tmpfiles_at_start, SETTINGS_ON);
	ck_assert_str_eq(s.tmpfiles_dirs[0], "/a/tmpfiles.d");
	ck_assert_str_eq(s.tmpfiles_dirs[1], "/b");
	ck_assert_ptr_null(s.tmpfiles_dirs[2]);
	ck_assert_str_eq(s.tmpfiles_root, "/srv/root");
	settings_free(&s);
	/* A bad value keeps the default, named with its line. */
	load(&s, "[Manager]\nTmpfilesAtStart=maybe\n"
	     "TmpfilesDirectories=/a relative\nTmpfilesRoot=root\n");
	ck_assert_int_eq(s.tmpfiles_at_start, SETTINGS_AUTO);
	ck_assert_ptr_null(s.tmpfiles_dirs);
	ck_assert_ptr_null(s.tmpfiles_root);
	ck_assert_ptr_nonnull(strstr(diag_text, ":2: TmpfilesAtStart=maybe: expected yes or no"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":3: TmpfilesDirectories=/a relative: "
				     "relative is not an absolute path"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":4: TmpfilesRoot=root: expected an absolute path"));
	settings_free(&s);
}
END_TEST

START_TEST(manager_sandbox_fallback)
{
	struct settings s;

	load(&s, "[Manager]\n");
	ck_assert_int_eq(s.sandbox_fallback, SETTINGS_SANDBOX_FAIL);
	settings_free(&s);
	load(&s, "[Manager]\nSandboxFallback=warn\n");
	ck_assert_str_eq(diag_text, "");
	ck_assert_int_eq(s.sandbox_fallback, SETTINGS_SANDBOX_WARN);
	settings_free(&s);
	load(&s, "[Manager]\nSandboxFallback=warn\nSandboxFallback=fail\n");
	ck_assert_int_eq(s.sandbox_fallback, SETTINGS_SANDBOX_FAIL);
	settings_free(&s);
	/* A bad value keeps what was there (the default), named. */
	load(&s, "[Manager]\nSandboxFallback=ignore\n");
	ck_assert_int_eq(s.sandbox_fallback, SETTINGS_SANDBOX_FAIL);
	ck_assert_ptr_nonnull(strstr(diag_text, ":2: SandboxFallback=ignore: expected fail or warn"));
	settings_free(&s);
}
END_TEST

/* Each bad line is named with its number and keeps its default; the
 * good lines around it still apply. */
START_TEST(bad_lines_named_and_skipped)
{
	struct settings s;
	const char *path_tail;

	load(&s, "[Log]\nMaxFiles=0\nRingSize=1\nConsole=maybe\nColor=yes\n"
	     "no equals sign\nMaxFileSize=64K\nanother one\n[Directories]\n"
	     "Runtime=relative\n[Other]\nKey=1\nMaxFileSize=huge\n");
	path_tail = strstr(diag_text, ":2: MaxFiles=0");
	ck_assert_msg(path_tail, "got: %s", diag_text);
	ck_assert_ptr_nonnull(strstr(diag_text, ":3: RingSize=1: expected a size"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":4: Console=maybe: expected yes or no"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":5: [Log] Color: unknown key"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":6: expected KEY=VALUE"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":8: expected KEY=VALUE"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":10: Runtime=relative: expected an absolute path"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":12: [Other] Key"));
	ck_assert_uint_eq(s.log_max_files, 5);
	ck_assert_uint_eq(s.log_ring_bytes, 64 * 1024);
	ck_assert_int_eq(s.log_console, SETTINGS_AUTO);
	ck_assert_uint_eq(s.log_max_file_bytes, 64 * 1024);
	ck_assert_str_eq(s.directory_roots[UNIT_DIR_RUNTIME], "/run");
	settings_free(&s);
}
END_TEST

/* Directories nested under a mkdtemp() one until the path is past
 * min_bytes; returns the deepest (malloc'd). */
static char *make_deep_dir(size_t min_bytes)
{
	char base[] = "/tmp/svd-settings-deep-XXXXXX", part[201];
	char *path;
	size_t len;

	ck_assert_ptr_nonnull(mkdtemp(base));
	memset(part, 'd', sizeof(part) - 1);
	part[sizeof(part) - 1] = '\0';
	path = malloc(min_bytes + sizeof(base) + sizeof(part) + 2);
	ck_assert_ptr_nonnull(path);
	strcpy(path, base);
	for (len = strlen(path); len <= min_bytes; len = strlen(path)) {
		snprintf(path + len, sizeof(part) + 2, "/%s", part);
		ck_assert_int_eq(mkdir(path, 0700), 0);
	}
	return path;
}

/* rmdir()s path and its parents down to the mkdtemp() one. */
static void remove_deep_dir(char *path)
{
	char *slash;

	while (rmdir(path) == 0 && (slash = strrchr(path, '/')) &&
	       strncmp(path, "/tmp/svd-settings-deep-", 23) == 0 &&
	       strchr(path + 23, '/'))
		*slash = '\0';
	free(path);
}

/* A message names the whole path, however long (issue 11: a path past
 * 1 KiB overflowed a stack buffer in the diagnostic). */
START_TEST(long_path_named_whole)
{
	char *dir = make_deep_dir(2048), *path, *expected;
	struct settings s;
	FILE *f;

	ck_assert_int_ge(asprintf(&path, "%s/svd.conf", dir), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[Log]\nno equals sign\nConsole=maybe\nMaxFiles=3\n", f);
	fclose(f);
	diag_text[0] = '\0';
	ck_assert_int_eq(settings_init(&s), 0);
	ck_assert_int_eq(settings_load(&s, path, collect, NULL), 0);
	ck_assert_int_ge(asprintf(&expected, "%s:2: expected KEY=VALUE or "
				  "[Section]; ignored\n%s:3: Console=maybe: "
				  "expected yes or no, ignored\n", path, path), 0);
	/* Not ck_assert_str_eq(): check cannot carry a message this long. */
	ck_assert_msg(strcmp(diag_text, expected) == 0, "got %zu bytes, not "
		      "%zu", strlen(diag_text), strlen(expected));
	ck_assert_uint_eq(s.log_max_files, 3);
	settings_free(&s);
	free(expected);
	unlink(path);
	free(path);
	remove_deep_dir(dir);
}
END_TEST

/* [Control]: an octal mode, one group each, users that append. */
START_TEST(control_access)
{
	struct settings s;

	load(&s, "[Control]\nSocketMode=0660\nSocketGroup=svd\n"
	     "ManageGroup=1234\nManageUsers=alice 1001\nManageUsers=bob\n");
	ck_assert_str_eq(diag_text, "");
	ck_assert_int_eq(s.control_socket_mode, 0660);
	ck_assert_str_eq(s.control_socket_group, "svd");
	ck_assert_str_eq(s.control_manage_group, "1234");
	ck_assert_str_eq(s.control_manage_users[0], "alice");
	ck_assert_str_eq(s.control_manage_users[1], "1001");
	ck_assert_str_eq(s.control_manage_users[2], "bob");
	ck_assert_ptr_null(s.control_manage_users[3]);
	settings_free(&s);

	load(&s, "[Control]\nSocketMode=0660\nSocketMode=8\nSocketMode=04777\n"
	     "SocketGroup=a b\nManageUsers=x\nManageUsers=\nPeer=1\n");
	ck_assert_int_eq(s.control_socket_mode, 0660);
	ck_assert_ptr_nonnull(strstr(diag_text, ":3: SocketMode=8: expected an octal mode"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":4: SocketMode=04777: expected"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":5: SocketGroup=a b: expected one group"));
	ck_assert_ptr_nonnull(strstr(diag_text, ":8: [Control] Peer: unknown key"));
	ck_assert_ptr_null(s.control_socket_group);
	ck_assert_ptr_null(s.control_manage_users);
	settings_free(&s);
}
END_TEST

START_TEST(size_values)
{
	uint64_t bytes = 7;

	ck_assert_int_eq(value_parse_size("4096", &bytes), 0);
	ck_assert_uint_eq(bytes, 4096);
	ck_assert_int_eq(value_parse_size("2G", &bytes), 0);
	ck_assert_uint_eq(bytes, UINT64_C(2) << 30);
	ck_assert_int_eq(value_parse_size("-1", &bytes), -1);
	ck_assert_int_eq(value_parse_size("1Q", &bytes), -1);
	ck_assert_int_eq(value_parse_size("1KB", &bytes), -1);
	ck_assert_int_eq(value_parse_size("20E", &bytes), -1);	/* overflow */
	ck_assert_int_eq(value_parse_size("", &bytes), -1);
	ck_assert_uint_eq(bytes, UINT64_C(2) << 30);
}
END_TEST

/* The commented svd.conf that packages install: each "#Key=value" line,
 * uncommented, is a key svd takes without a word, at its default. */
START_TEST(sample_shows_the_defaults)
{
	FILE *f = fopen(SAMPLE_SVD_CONF, "re");
	char line[1024], text[8192] = "";
	struct settings s;
	unsigned keys = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		const char *from = line;

		if (line[0] == '#' && line[1] >= 'A' && line[1] <= 'Z' &&
		    strchr(line, '=')) {
			from = line + 1;
			keys++;
		}
		ck_assert_uint_lt(strlen(text) + strlen(from), sizeof(text));
		strcat(text, from);
	}
	fclose(f);
	ck_assert_uint_ge(keys, 20);
	load(&s, text);
	ck_assert_str_eq(diag_text, "");
	ck_assert_uint_eq(s.log_max_file_bytes, 1024 * 1024);
	ck_assert_uint_eq(s.log_max_files, 5);
	ck_assert_uint_eq(s.log_ring_bytes, 64 * 1024);
	ck_assert_uint_eq(s.stop_timeout_usec, 10 * 1000000ULL);
	ck_assert_uint_eq(s.kill_grace_usec, 3 * 1000000ULL);
	ck_assert_str_eq(s.directory_roots[UNIT_DIR_STATE], "/var/lib");
	ck_assert_int_eq(s.forward_to_syslog, SETTINGS_ON);
	settings_free(&s);
}
END_TEST

static Suite *settings_suite(void)
{
	Suite *s = suite_create("settings");
	TCase *tc = tcase_create("svd.conf");

	tcase_add_test(tc, missing_file_means_defaults);
	tcase_add_test(tc, every_key);
	tcase_add_test(tc, bad_lines_named_and_skipped);
	tcase_add_test(tc, long_path_named_whole);
	tcase_add_test(tc, size_values);
	tcase_add_test(tc, manager_time_spans);
	tcase_add_test(tc, syslog_sockets);
	tcase_add_test(tc, manager_tmpfiles);
	tcase_add_test(tc, manager_sandbox_fallback);
	tcase_add_test(tc, control_access);
	tcase_add_test(tc, sample_shows_the_defaults);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(settings_suite());
}
