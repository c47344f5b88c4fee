/* Tests for conf/unit*.c: unit files, drop-ins, lookup, diagnostics. Each
 * test writes its files into a fresh mkdtemp() directory. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/securebits.h>

#include "strv.h"
#include "unit.h"

static char dir[PATH_MAX];
static char **diags;	/* "E message" / "W message", in order */

static void collect_diag(void *ctx, enum unit_diag_level level,
			 const char *message)
{
	char *line;

	(void)ctx;
	ck_assert_int_ge(asprintf(&line, "%c %s",
				  level == UNIT_DIAG_ERROR ? 'E' : 'W',
				  message), 0);
	ck_assert_int_eq(strv_push_take(&diags, line), 0);
}

static const char *dirs[1] = { dir };
static const struct unit_load_ctx ctx = {
	.dirs = dirs, .n_dirs = 1, .diag = collect_diag,
	.spec = { .host = &(struct spec_host){ .hostname = "testhost" } },
};

static void setup(void)
{
	strcpy(dir, "/tmp/svd-test-unit.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	diags = NULL;
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	return remove(path);
}

static void teardown(void)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	strv_free(diags);
	diags = NULL;
}

/* dir/name into path (PATH_MAX bytes). */
static void join(char *path, const char *name)
{
	int n = snprintf(path, PATH_MAX, "%s/%s", dir, name);

	ck_assert(n > 0 && n < PATH_MAX);
}

/* Writes dir/name (creating one level of NAME.d/ where named). */
static void write_file(const char *name, const char *content)
{
	char path[PATH_MAX], *slash;
	FILE *f;

	join(path, name);
	slash = strrchr(path, '/');
	if (slash > path + strlen(dir)) {
		*slash = '\0';
		ck_assert(mkdir(path, 0755) == 0 || errno == EEXIST);
		*slash = '/';
	}
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void make_link(const char *target, const char *name)
{
	char path[PATH_MAX];

	join(path, name);
	ck_assert_int_eq(symlink(target, path), 0);
}

static char *path_of(const char *name)
{
	static char path[PATH_MAX];

	join(path, name);
	return path;
}

/* Loads dir/name; NULL when it does not load. */
static struct unit *load(const char *name, const char *instance)
{
	struct unit *u = NULL;

	if (unit_load_file(&ctx, path_of(name), instance, &u) < 0) {
		ck_assert_ptr_null(u);
		return NULL;
	}
	ck_assert_ptr_nonnull(u);
	return u;
}

static struct unit *load_ok(const char *name, const char *content)
{
	struct unit *u;

	write_file(name, content);
	u = load(name, NULL);
	ck_assert_msg(u, "%s did not load: %s", name,
		      diags ? diags[0] : "no diagnostics");
	return u;
}

/* How many diagnostics of level 'E' or 'W' contain text. */
static unsigned diag_count(char level, const char *text)
{
	unsigned n = 0;

	for (size_t i = 0; diags && diags[i]; i++)
		if (diags[i][0] == level && strstr(diags[i] + 2, text))
			n++;
	return n;
}

static bool diag_has(char level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Whether a diagnostic of that level contains the formatted text. */
static bool diag_has(char level, const char *fmt, ...)
{
	char *text;
	va_list ap;
	bool found;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&text, fmt, ap), 0);
	va_end(ap);
	found = diag_count(level, text) > 0;
	free(text);
	return found;
}

static void assert_argv(const struct exec_cmd *cmd, ...)
{
	const char *want;
	va_list ap;
	size_t i = 0;

	va_start(ap, cmd);
	while ((want = va_arg(ap, const char *))) {
		ck_assert_msg(cmd->argv[i], "argv[%zu] missing", i);
		ck_assert_str_eq(cmd->argv[i], want);
		i++;
	}
	va_end(ap);
	ck_assert_msg(!cmd->argv[i], "extra argv[%zu] %s", i, cmd->argv[i]);
}

START_TEST(minimal_defaults)
{
	struct unit *u = load_ok("web.service",
				 "[Service]\nExecStart=/bin/web\n");

	ck_assert_str_eq(u->name, "web.service");
	ck_assert_str_eq(u->path, path_of("web.service"));
	ck_assert_int_eq(u->type, UNIT_TYPE_SIMPLE);
	ck_assert_uint_eq(u->n_exec_start, 1);
	ck_assert_str_eq(u->exec_start[0].path, "/bin/web");
	ck_assert_int_eq(u->restart, UNIT_RESTART_NO);
	ck_assert_uint_eq(u->restart_usec, 100 * USEC_PER_MSEC);
	ck_assert_uint_eq(u->timeout_stop_usec, 10 * USEC_PER_SEC);
	ck_assert_uint_eq(u->timeout_start_usec, 90 * USEC_PER_SEC);
	ck_assert_int_eq(u->kill_signal, 15);
	ck_assert_int_eq(u->kill_mode, UNIT_KILL_CONTROL_GROUP);
	ck_assert(u->send_sigkill);
	ck_assert_uint_eq(u->start_limit_burst, 5);
	ck_assert_uint_eq(u->start_limit_interval_usec, 10 * USEC_PER_SEC);
	ck_assert_ptr_null(u->working_directory);
	ck_assert_int_eq(u->notify_access, UNIT_NOTIFY_NONE);
	ck_assert_uint_eq(u->watchdog_usec, 0);
	ck_assert_int_eq(u->watchdog_signal, SIGABRT);
	ck_assert_ptr_null(u->user);
	ck_assert_int_eq(u->umask, 022);
	ck_assert(!u->nice_set);
	ck_assert_ptr_null(diags);
	unit_free(u);
}
END_TEST

START_TEST(dependencies)
{
	struct unit *u = load_ok("d@x.service",
		"[Unit]\nRequires=a.service b.target\nWants=c.service\n"
		"Wants=%i-helper.service\nRequisite=r.service\nBindsTo=bt.service\n"
		"BindTo=old.service\nPartOf=p.service\nConflicts=k.service\n"
		"After=a.service network-online.target\nBefore=z.service\n"
		"After=\nAfter=syslog.socket notaunit /etc/passwd\n"
		"[Service]\nExecStart=/bin/d\n");

	ck_assert_str_eq(u->deps[UNIT_DEP_REQUIRES][1], "b.target");
	ck_assert_uint_eq(strv_length(u->deps[UNIT_DEP_WANTS]), 2);
	ck_assert_str_eq(u->deps[UNIT_DEP_WANTS][1], "x-helper.service");
	ck_assert_str_eq(u->deps[UNIT_DEP_REQUISITE][0], "r.service");
	ck_assert_uint_eq(strv_length(u->deps[UNIT_DEP_BINDS_TO]), 2);
	ck_assert_str_eq(u->deps[UNIT_DEP_PART_OF][0], "p.service");
	ck_assert_str_eq(u->deps[UNIT_DEP_CONFLICTS][0], "k.service");
	/* The empty After= reset the list; bad names were skipped. */
	ck_assert_uint_eq(strv_length(u->deps[UNIT_DEP_AFTER]), 1);
	ck_assert_str_eq(u->deps[UNIT_DEP_AFTER][0], "syslog.socket");
	ck_assert_str_eq(u->deps[UNIT_DEP_BEFORE][0], "z.service");
	ck_assert(diag_has('W', "%s:13: After=: not a unit name, ignored: notaunit",
			   path_of("d@x.service")));
	ck_assert(diag_has('W', "After=: not a unit name, ignored: /etc/passwd"));
	unit_free(u);
}
END_TEST

START_TEST(conditions_and_asserts)
{
	struct unit *u = load_ok("c.service",
		"[Unit]\nConditionPathExists=|!/run/flag\n"
		"ConditionVirtualization=container\nAssertHost=%H\n"
		"ConditionFileNotEmpty=/etc/c.conf\nConditionFileNotEmpty=\n"
		"ConditionPathIsDirectory=/srv\nConditionKernelVersion=>=6\n"
		"[Service]\nExecStart=/bin/c\n");

	/* The empty ConditionFileNotEmpty= reset every condition so far,
	 * not the assertion. */
	ck_assert_uint_eq(u->n_conditions, 2);
	ck_assert_int_eq(u->conditions[0].type, UNIT_COND_HOST);
	ck_assert(u->conditions[0].assert);
	ck_assert_str_ne(u->conditions[0].arg, "%H");
	ck_assert_int_eq(u->conditions[1].type, UNIT_COND_PATH_IS_DIRECTORY);
	ck_assert(!u->conditions[1].assert && !u->conditions[1].negate);
	ck_assert(diag_has('W', "c.service:8: [Unit] ConditionKernelVersion: "
			   "unsupported key"));
	unit_free(u);
	u = load_ok("c2.service", "[Unit]\nConditionPathExists=|!/run/flag\n"
		    "[Service]\nExecStart=/bin/c\n");
	ck_assert(u->conditions[0].trigger && u->conditions[0].negate);
	ck_assert_str_eq(u->conditions[0].arg, "/run/flag");
	unit_free(u);
	write_file("c3.service", "[Unit]\nConditionPathExists=relative/x\n"
		   "[Service]\nExecStart=/bin/c\n");
	ck_assert_ptr_null(load("c3.service", NULL));
	ck_assert(diag_has('E', "c3.service:2: ConditionPathExists=relative/x: "
			   "invalid value; expected an absolute path"));
}
END_TEST

START_TEST(notify_access_defaults)
{
	struct unit *u = load_ok("n.service",
				 "[Service]\nType=notify\nExecStart=/bin/n\n");

	/* As systemd: a notify service's main process may notify. */
	ck_assert_int_eq(u->notify_access, UNIT_NOTIFY_MAIN);
	unit_free(u);
	u = load_ok("n2.service", "[Service]\nType=notify\nNotifyAccess=none\n"
		    "ExecStart=/bin/n\n");
	ck_assert_int_eq(u->notify_access, UNIT_NOTIFY_NONE);
	unit_free(u);
	u = load_ok("w.service", "[Service]\nWatchdogSec=5\nExecStart=/bin/w\n");
	ck_assert_int_eq(u->notify_access, UNIT_NOTIFY_MAIN);
	ck_assert_uint_eq(u->watchdog_usec, 5 * USEC_PER_SEC);
	unit_free(u);
	write_file("bad.service", "[Service]\nExecStart=/bin/b\n"
		   "NotifyAccess=some\nWatchdogSec=soon\n");
	ck_assert_ptr_null(load("bad.service", NULL));
	ck_assert(diag_has('E', "%s:3: NotifyAccess=some: invalid value; "
			   "expected none, main, exec or all", path_of("bad.service")));
	ck_assert(diag_has('E', "%s:4: WatchdogSec=soon: invalid value; "
			   "expected a time span such as 30s, or 0 or infinity "
			   "for none", path_of("bad.service")));
}
END_TEST

START_TEST(all_implemented_keys)
{
	struct unit *u = load_ok("all.service",
		"[Unit]\nDescription=All of %n\n"
		"Documentation=man:all(8) https://example.org/\n"
		"StartLimitBurst=3\nStartLimitIntervalSec=1min\n"
		"[Service]\nType=notify\nExecStart=-/bin/all --flag\n"
		"Restart=on-abnormal\nRestartSec=2.5\nTimeoutStopSec=20s\n"
		"TimeoutStartSec=0\nKillSignal=SIGINT\nKillMode=mixed\n"
		"SendSIGKILL=no\nSuccessExitStatus=3 SIGUSR1\n"
		"RestartPreventExitStatus=NOTCONFIGURED\nRemainAfterExit=yes\n"
		"WorkingDirectory=-~\nNotifyAccess=all\nWatchdogSec=30s\n"
		"WatchdogSignal=SIGKILL\nUser=www-data\nGroup=1000\n"
		"SupplementaryGroups=adm tty\nUMask=0077\nNice=-5\n"
		"[Install]\nWantedBy=multi-user.target\nRequiredBy=x.target\n"
		"Alias=all2.service\nAlso=other.service\n");

	ck_assert_str_eq(u->description, "All of all.service");
	ck_assert_str_eq(u->documentation[1], "https://example.org/");
	ck_assert_uint_eq(u->start_limit_burst, 3);
	ck_assert_uint_eq(u->start_limit_interval_usec, 60 * USEC_PER_SEC);
	ck_assert_int_eq(u->type, UNIT_TYPE_NOTIFY);
	ck_assert_uint_eq(u->exec_start[0].flags, EXEC_FLAG_IGNORE_FAILURE);
	ck_assert_int_eq(u->restart, UNIT_RESTART_ON_ABNORMAL);
	ck_assert_uint_eq(u->restart_usec, 2500 * USEC_PER_MSEC);
	ck_assert_uint_eq(u->timeout_stop_usec, 20 * USEC_PER_SEC);
	ck_assert_uint_eq(u->timeout_start_usec, USEC_INFINITY);
	ck_assert_int_eq(u->kill_signal, 2);
	ck_assert_int_eq(u->kill_mode, UNIT_KILL_MIXED);
	ck_assert(!u->send_sigkill);
	ck_assert(exit_status_set_has_code(u->success_exit_status, 3));
	ck_assert(exit_status_set_has_signal(u->success_exit_status, 10));
	ck_assert(exit_status_set_has_code(u->restart_prevent_exit_status, 6));
	ck_assert(u->remain_after_exit);
	ck_assert_str_eq(u->working_directory, "~");
	ck_assert(u->working_directory_optional);
	ck_assert_int_eq(u->notify_access, UNIT_NOTIFY_ALL);
	ck_assert_uint_eq(u->watchdog_usec, 30 * USEC_PER_SEC);
	ck_assert_int_eq(u->watchdog_signal, SIGKILL);
	ck_assert_str_eq(u->user, "www-data");
	ck_assert_str_eq(u->group, "1000");
	ck_assert_str_eq(u->supplementary_groups[1], "tty");
	ck_assert_int_eq(u->umask, 077);
	ck_assert(u->nice_set);
	ck_assert_int_eq(u->nice, -5);
	ck_assert_str_eq(u->wanted_by[0], "multi-user.target");
	ck_assert_str_eq(u->required_by[0], "x.target");
	ck_assert_str_eq(u->aliases[0], "all2.service");
	ck_assert_str_eq(u->also[0], "other.service");
	ck_assert_ptr_null(diags);
	unit_free(u);
}
END_TEST

/* Debian's serial-getty@.service, as systemd.exec(5) reads it. */
START_TEST(tty_keys)
{
	struct unit *u;

	write_file("getty@.service",
		   "[Service]\nExecStart=-/sbin/agetty - $TERM\n"
		   "StandardInput=tty\nStandardOutput=tty\nTTYPath=/dev/%I\n"
		   "TTYReset=yes\nTTYVHangup=yes\nTTYVTDisallocate=yes\n"
		   "TTYRows=24\nTTYColumns=80\nSendSIGHUP=yes\n"
		   "UtmpIdentifier=%I\n");
	u = load("getty@.service", "ttyS0");
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(u->std_input, UNIT_STDIO_TTY);
	ck_assert_int_eq(u->std_output, UNIT_STDIO_TTY);
	ck_assert_int_eq(u->std_error, UNIT_STDIO_DEFAULT);
	ck_assert_str_eq(unit_tty_path(u), "/dev/ttyS0");
	ck_assert(unit_uses_tty(u));
	ck_assert(u->tty_reset && u->tty_vhangup && u->tty_vt_disallocate);
	ck_assert_int_eq(u->tty_rows, 24);
	ck_assert_int_eq(u->tty_columns, 80);
	ck_assert(u->send_sighup);
	ck_assert_str_eq(u->utmp_id, "ttyS0");
	ck_assert_int_eq(u->utmp_mode, UNIT_UTMP_INIT);
	ck_assert_ptr_null(diags);
	unit_free(u);

	u = load_ok("f.service", "[Service]\nExecStart=/bin/f\n"
		    "StandardInput=tty-force\nStandardError=tty\n"
		    "TTYRows=24\nTTYRows=\nUtmpIdentifier=x\nUtmpIdentifier=\n"
		    "UtmpMode=user\n");
	ck_assert_ptr_null(u->utmp_id);
	ck_assert_int_eq(u->utmp_mode, UNIT_UTMP_USER);
	ck_assert_int_eq(u->std_input, UNIT_STDIO_TTY_FORCE);
	ck_assert_int_eq(u->std_error, UNIT_STDIO_TTY);
	ck_assert_str_eq(unit_tty_path(u), "/dev/console");
	ck_assert_int_eq(u->tty_rows, -1);
	ck_assert(!u->tty_reset && !u->send_sighup);
	unit_free(u);
	u = load_ok("o.service", "[Service]\nExecStart=/bin/o\n"
		    "StandardInput=tty-fail\n");
	ck_assert_int_eq(u->std_input, UNIT_STDIO_TTY_FAIL);
	unit_free(u);
	u = load_ok("n.service", "[Service]\nExecStart=/bin/n\n");
	ck_assert(!unit_uses_tty(u));
	unit_free(u);

	/* tty-force and tty-fail are for input only; a path is absolute. */
	write_file("bad.service", "[Service]\nExecStart=/bin/b\n"
		   "StandardOutput=tty-force\nTTYPath=ttyS0\nTTYRows=many\n"
		   "TTYVHangup=maybe\nUtmpMode=dead\n");
	ck_assert_ptr_null(load("bad.service", NULL));
	ck_assert(diag_has('E', "%s:7: UtmpMode=dead: invalid value; expected "
			   "init, login or user", path_of("bad.service")));
	ck_assert(diag_has('E', "%s:3: StandardOutput=tty-force: invalid value",
			   path_of("bad.service")));
	ck_assert(diag_has('E', "%s:4: TTYPath=ttyS0: invalid value; expected "
			   "an absolute path", path_of("bad.service")));
	ck_assert(diag_has('E', "%s:5: TTYRows=many: invalid value; expected "
			   "a number of 0 to 65535", path_of("bad.service")));
	ck_assert(diag_has('E', "%s:6: TTYVHangup=maybe: invalid value",
			   path_of("bad.service")));
}
END_TEST

START_TEST(timeouts)
{
	struct unit *u = load_ok("t.service", "[Service]\nTimeoutSec=0\n"
				 "ExecStart=/bin/t\n");

	ck_assert_uint_eq(u->timeout_start_usec, USEC_INFINITY);
	ck_assert_uint_eq(u->timeout_stop_usec, USEC_INFINITY);
	unit_free(u);
	u = load_ok("t2.service", "[Service]\nTimeoutSec=1min\n"
		    "TimeoutStopSec=infinity\nExecStart=/bin/t\n");
	ck_assert_uint_eq(u->timeout_start_usec, 60 * USEC_PER_SEC);
	ck_assert_uint_eq(u->timeout_stop_usec, USEC_INFINITY);
	unit_free(u);
	/* oneshot: no start timeout unless one is set */
	u = load_ok("t3.service", "[Service]\nType=oneshot\n"
		    "ExecStart=/bin/t\n");
	ck_assert_uint_eq(u->timeout_start_usec, USEC_INFINITY);
	unit_free(u);
}
END_TEST

START_TEST(continuation_lines)
{
	struct unit *u;

	/* line numbers stay physical across continuations */
	write_file("c.service",
		"[Service]\n"
		"ExecStart=/bin/echo a \\\n"
		"   b\\\n"
		"# a comment inside is skipped, even ending in \\\n"
		"c \\\\\n"
		"Environment=X=1\n"
		"RestartSec=bad\n");
	ck_assert_ptr_null(load("c.service", NULL));
	ck_assert(diag_has('E', "%s:7: RestartSec=bad: invalid value",
			   path_of("c.service")));
	u = load_ok("d.service",
		"[Service]\n"
		"ExecStart=/bin/echo a \\\n"
		"   b\\\n"
		"# skipped \\\n"
		"c \\\\\n"
		"Environment=X=1\n");
	/* backslash-newline becomes a space; "\\\\" at the end is no
	 * continuation but an escaped backslash */
	assert_argv(&u->exec_start[0], "/bin/echo", "a", "b", "c", "\\", NULL);
	ck_assert_str_eq(u->environment[0], "X=1");
	unit_free(u);
}
END_TEST

START_TEST(continuation_at_eof)
{
	struct unit *u = load_ok("e.service",
				 "[Service]\nExecStart=/bin/echo a \\");

	assert_argv(&u->exec_start[0], "/bin/echo", "a", NULL);
	unit_free(u);
}
END_TEST

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

START_TEST(long_lines)
{
	char *arg = repeat('x', 3000), *text;
	struct unit *u;

	ck_assert_int_ge(asprintf(&text, "[Service]\nExecStart=/bin/echo %s "
				  "end\n", arg), 0);
	u = load_ok("long.service", text);
	ck_assert_uint_eq(strlen(u->exec_start[0].argv[1]), 3000);
	ck_assert_str_eq(u->exec_start[0].argv[2], "end");
	unit_free(u);
	free(text);
	free(arg);
	/* close to the limit, spread over continuation lines */
	arg = repeat('y', 30000);
	ck_assert_int_ge(asprintf(&text, "[Service]\nExecStart=/bin/echo %s "
				  "\\\n %s\n", arg, arg), 0);
	u = load_ok("long2.service", text);
	ck_assert_uint_eq(strlen(u->exec_start[0].argv[2]), 30000);
	unit_free(u);
	free(text);
	free(arg);
}
END_TEST

START_TEST(line_at_the_limit)
{
	/* one physical line of exactly UNIT_LINE_MAX_BYTES: inih must not
	 * cut it anywhere */
	const char *head = "ExecStart=/bin/echo ";
	char *arg = repeat('q', UNIT_LINE_MAX_BYTES - strlen(head) - 4);
	char *text;
	struct unit *u;

	ck_assert_int_ge(asprintf(&text, "[Service]\n%s%s end\n"
				  "RestartSec=3\n", head, arg), 0);
	ck_assert_uint_eq(strchr(text + 10, '\n') - (text + 10),
			  UNIT_LINE_MAX_BYTES);
	u = load_ok("limit.service", text);
	ck_assert_uint_eq(strlen(u->exec_start[0].argv[1]), strlen(arg));
	ck_assert_str_eq(u->exec_start[0].argv[2], "end");
	ck_assert_uint_eq(u->restart_usec, 3 * USEC_PER_SEC);
	unit_free(u);
	free(text);
	free(arg);
}
END_TEST

START_TEST(too_long_line)
{
	char *arg = repeat('z', UNIT_LINE_MAX_BYTES), *text;

	ck_assert_int_ge(asprintf(&text, "[Unit]\nDescription=d\n[Service]\n"
				  "ExecStart=/bin/echo %s\nRestart=nope\n",
				  arg), 0);
	write_file("huge.service", text);
	ck_assert_ptr_null(load("huge.service", NULL));
	ck_assert(diag_has('E', "%s:4: line longer than %d bytes",
			   path_of("huge.service"), UNIT_LINE_MAX_BYTES));
	/* the line was skipped whole, the next one still read */
	ck_assert(diag_has('E', "%s:5: Restart=nope",
			   path_of("huge.service")));
	free(text);
	free(arg);
}
END_TEST

START_TEST(comments_and_semicolons)
{
	struct unit *u = load_ok("s.service",
		"# comment\n; another\n   # indented comment\n\n"
		"[Unit]\nDescription=a # not a comment ; nor this\n"
		"[Service]\n"
		"ExecStart=/bin/sh -c \"echo a ; echo b\"\n"
		"  Type=simple\n");

	ck_assert_str_eq(u->description, "a # not a comment ; nor this");
	ck_assert_uint_eq(u->n_exec_start, 1);
	ck_assert_str_eq(u->exec_start[0].argv[2], "echo a ; echo b");
	unit_free(u);
	/* an indented line is a key of its own, not a continuation */
	u = load_ok("s2.service", "[Service]\nExecStart=/bin/true\n"
		    "    RestartSec=7\n");
	ck_assert_uint_eq(u->restart_usec, 7 * USEC_PER_SEC);
	assert_argv(&u->exec_start[0], "/bin/true", NULL);
	unit_free(u);
}
END_TEST

START_TEST(lists_append_and_reset)
{
	struct unit *u = load_ok("l.service",
		"[Unit]\nDocumentation=man:a(1)\nDocumentation=\n"
		"Documentation=man:b(1) man:c(1)\n"
		"[Service]\nType=oneshot\n"
		"ExecStart=/bin/one\nExecStart=\nExecStart=/bin/two\n"
		"ExecStart=/bin/three ; /bin/four\n"
		"Environment=A=1 B=2\nEnvironment=A=3\n"
		"Environment=\nEnvironment=C=4\nEnvironment=D=5 C=6\n"
		"SuccessExitStatus=1\nSuccessExitStatus=\nSuccessExitStatus=2\n"
		"[Install]\nWantedBy=a.target\nWantedBy=\nWantedBy=b.target\n"
		"WantedBy=c.target\n");

	ck_assert_uint_eq(strv_length(u->documentation), 2);
	ck_assert_str_eq(u->documentation[0], "man:b(1)");
	ck_assert_uint_eq(u->n_exec_start, 3);
	ck_assert_str_eq(u->exec_start[0].path, "/bin/two");
	ck_assert_str_eq(u->exec_start[1].path, "/bin/three");
	ck_assert_str_eq(u->exec_start[2].path, "/bin/four");
	ck_assert_uint_eq(strv_length(u->environment), 2);
	ck_assert_str_eq(strv_env_get(u->environment, "C"), "6");
	ck_assert_str_eq(strv_env_get(u->environment, "D"), "5");
	ck_assert_ptr_null(strv_env_get(u->environment, "A"));
	ck_assert(!exit_status_set_has_code(u->success_exit_status, 1));
	ck_assert(exit_status_set_has_code(u->success_exit_status, 2));
	ck_assert_uint_eq(strv_length(u->wanted_by), 2);
	ck_assert_str_eq(u->wanted_by[0], "b.target");
	ck_assert_str_eq(u->wanted_by[1], "c.target");
	unit_free(u);
}
END_TEST

START_TEST(environment_syntax)
{
	struct unit *u = load_ok("env.service",
		"[Service]\nExecStart=/bin/e\n"
		"Environment=\"A=1 2\" B=3 'C=x \"y\"' D=a\\tb bad 1X=2 E=%p\n");

	ck_assert_str_eq(strv_env_get(u->environment, "A"), "1 2");
	ck_assert_str_eq(strv_env_get(u->environment, "B"), "3");
	ck_assert_str_eq(strv_env_get(u->environment, "C"), "x \"y\"");
	ck_assert_str_eq(strv_env_get(u->environment, "D"), "a\tb");
	ck_assert_str_eq(strv_env_get(u->environment, "E"), "env");
	ck_assert_uint_eq(strv_length(u->environment), 5);
	/* invalid assignments: warnings, as systemd ignores them */
	ck_assert(diag_has('W', "Environment=bad: not a valid"));
	ck_assert(diag_has('W', "Environment=1X=2: not a valid"));
	ck_assert_uint_eq(diag_count('E', ""), 0);
	unit_free(u);
	write_file("env2.service", "[Service]\nExecStart=/bin/e\n"
		   "Environment=\"A=1\n");
	ck_assert_ptr_null(load("env2.service", NULL));
	ck_assert(diag_has('E', "env2.service:3: Environment=\"A=1: invalid "
			   "value; expected"));
}
END_TEST

START_TEST(working_directory)
{
	struct unit *u = load_ok("w.service", "[Service]\nExecStart=/bin/w\n"
				 "WorkingDirectory=/srv/%p\n");

	ck_assert_str_eq(u->working_directory, "/srv/w");
	ck_assert(!u->working_directory_optional);
	unit_free(u);
	write_file("w2.service", "[Service]\nExecStart=/bin/w\n"
		   "WorkingDirectory=srv\n");
	ck_assert_ptr_null(load("w2.service", NULL));
	ck_assert(diag_has('E', "w2.service:3: WorkingDirectory=srv: invalid "
			   "value; expected an absolute path"));
}
END_TEST

START_TEST(dropins_in_order)
{
	struct unit *u;

	write_file("d.service", "[Unit]\nDescription=main\n[Service]\n"
		   "ExecStart=/bin/main\nEnvironment=M=1\n");
	write_file("d.service.d/20-b.conf", "[Unit]\nDescription=b\n"
		   "[Service]\nEnvironment=B=1\n");
	write_file("d.service.d/10-a.conf", "[Unit]\nDescription=a\n"
		   "[Service]\nExecStart=\nExecStart=/bin/dropin\n");
	write_file("d.service.d/30-ignored.txt", "[Unit]\nDescription=no\n");
	make_link("/dev/null", "d.service.d/40-masked.conf");
	u = load("d.service", NULL);
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u->description, "b");
	ck_assert_uint_eq(u->n_exec_start, 1);
	ck_assert_str_eq(u->exec_start[0].path, "/bin/dropin");
	ck_assert_str_eq(strv_env_get(u->environment, "M"), "1");
	ck_assert_str_eq(strv_env_get(u->environment, "B"), "1");
	ck_assert_uint_eq(strv_length(u->dropin_paths), 2);
	ck_assert_str_eq(u->dropin_paths[0], path_of("d.service.d/10-a.conf"));
	ck_assert_str_eq(u->dropin_paths[1], path_of("d.service.d/20-b.conf"));
	unit_free(u);
}
END_TEST

START_TEST(dropin_errors_name_the_dropin)
{
	write_file("de.service", "[Service]\nExecStart=/bin/x\n");
	write_file("de.service.d/x.conf", "[Service]\n\nKillMode=all\n");
	ck_assert_ptr_null(load("de.service", NULL));
	ck_assert(diag_has('E', "%s:3: KillMode=all: invalid value; expected "
			   "control-group, process, mixed or none",
			   path_of("de.service.d/x.conf")));
}
END_TEST

START_TEST(templates_and_instances)
{
	struct unit *u = NULL;

	write_file("web@.service", "[Unit]\nDescription=Web %i (%I)\n"
		   "[Service]\nExecStart=/bin/web %i %I %p %n\n"
		   "Environment=W=%i\n");
	write_file("web@.service.d/a.conf", "[Service]\nEnvironment=T=1\n");
	write_file("web@x.service.d/b.conf", "[Service]\nEnvironment=X=1\n");
	write_file("web@.service.d/b.conf", "[Service]\nEnvironment=TB=1\n");

	ck_assert_int_eq(unit_load_name(&ctx, "web@a-b", &u), UNIT_LOOKUP_OK);
	ck_assert_str_eq(u->name, "web@a-b.service");
	ck_assert_str_eq(u->path, path_of("web@.service"));
	ck_assert_str_eq(u->description, "Web a-b (a/b)");
	assert_argv(&u->exec_start[0], "/bin/web", "a-b", "a/b", "web",
		    "web@a-b.service", NULL);
	ck_assert_str_eq(strv_env_get(u->environment, "W"), "a-b");
	ck_assert_str_eq(strv_env_get(u->environment, "TB"), "1");
	ck_assert_ptr_null(strv_env_get(u->environment, "X"));
	unit_free(u);

	/* an instance's drop-in of the same file name wins over the
	 * template's; different names apply in lexical order */
	ck_assert_int_eq(unit_load_name(&ctx, "web@x.service", &u),
			 UNIT_LOOKUP_OK);
	ck_assert_str_eq(strv_env_get(u->environment, "T"), "1");
	ck_assert_str_eq(strv_env_get(u->environment, "X"), "1");
	ck_assert_ptr_null(strv_env_get(u->environment, "TB"));
	ck_assert_uint_eq(strv_length(u->dropin_paths), 2);
	ck_assert_str_eq(u->dropin_paths[1], path_of("web@x.service.d/b.conf"));
	unit_free(u);

	ck_assert_int_eq(unit_load_name(&ctx, "web@", &u),
			 UNIT_LOOKUP_TEMPLATE);
	ck_assert_int_eq(unit_load_name(&ctx, "web@.service", &u),
			 UNIT_LOOKUP_TEMPLATE);
	/* loading the template file itself: instance "" */
	u = load("web@.service", NULL);
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u->name, "web@.service");
	/* %i and %I are empty: no words */
	assert_argv(&u->exec_start[0], "/bin/web", "web", "web@.service",
		    NULL);
	unit_free(u);
	u = load("web@.service", "inst");
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u->name, "web@inst.service");
	unit_free(u);
}
END_TEST

START_TEST(instance_file_of_its_own)
{
	struct unit *u = NULL;

	write_file("job@.service", "[Service]\nExecStart=/bin/tmpl %i\n");
	write_file("job@special.service", "[Service]\nExecStart=/bin/own %i\n");
	ck_assert_int_eq(unit_load_name(&ctx, "job@special", &u),
			 UNIT_LOOKUP_OK);
	assert_argv(&u->exec_start[0], "/bin/own", "special", NULL);
	unit_free(u);
	ck_assert_int_eq(unit_load_name(&ctx, "job@other", &u),
			 UNIT_LOOKUP_OK);
	assert_argv(&u->exec_start[0], "/bin/tmpl", "other", NULL);
	unit_free(u);
}
END_TEST

START_TEST(alias_mask_and_missing)
{
	struct unit *u = NULL;

	write_file("real.service", "[Service]\nExecStart=/bin/real\n");
	make_link("real.service", "nick.service");
	make_link("/dev/null", "gone.service");
	write_file("empty.service", "");
	make_link("nick.service", "nick2.service");

	ck_assert_int_eq(unit_load_name(&ctx, "nick", &u), UNIT_LOOKUP_OK);
	ck_assert_str_eq(u->name, "real.service");
	unit_free(u);
	ck_assert_int_eq(unit_load_name(&ctx, "nick2.service", &u),
			 UNIT_LOOKUP_OK);
	ck_assert_str_eq(u->name, "real.service");
	unit_free(u);
	ck_assert_int_eq(unit_load_name(&ctx, "gone", &u), UNIT_LOOKUP_MASKED);
	ck_assert_int_eq(unit_load_name(&ctx, "empty", &u),
			 UNIT_LOOKUP_MASKED);
	ck_assert_int_eq(unit_load_name(&ctx, "nothere", &u),
			 UNIT_LOOKUP_NOT_FOUND);
	ck_assert_int_eq(unit_load_name(&ctx, "../etc/passwd", &u),
			 UNIT_LOOKUP_NOT_FOUND);
	ck_assert(diag_has('E', "../etc/passwd: not a valid"));
}
END_TEST

/* An empty assignment restores a scalar key's default, as in systemd,
 * so that a drop-in can undo what the unit file set. */
START_TEST(empty_assignment_resets_scalars)
{
	struct unit *u = NULL;

	write_file("r.service", "[Service]\nExecStart=/bin/r\nRestart=always\n"
		   "RestartSec=5\nTimeoutStopSec=1\nKillSignal=SIGINT\n"
		   "KillMode=process\nSendSIGKILL=no\nStartLimitBurst=9\n");
	write_file("r.service.d/reset.conf", "[Service]\nRestart=\nRestartSec=\n"
		   "TimeoutStopSec=\nKillSignal=\nKillMode=\nSendSIGKILL=\n"
		   "StartLimitBurst=\n");
	ck_assert_int_eq(unit_load_name(&ctx, "r", &u), UNIT_LOOKUP_OK);
	ck_assert_int_eq(u->restart, UNIT_RESTART_NO);
	ck_assert_uint_eq(u->restart_usec, UNIT_DEFAULT_RESTART_USEC);
	ck_assert_uint_eq(u->timeout_stop_usec, UNIT_DEFAULT_TIMEOUT_STOP_USEC);
	ck_assert_int_eq(u->kill_signal, SIGTERM);
	ck_assert_int_eq(u->kill_mode, UNIT_KILL_CONTROL_GROUP);
	ck_assert(u->send_sigkill);
	ck_assert_uint_eq(u->start_limit_burst, UNIT_DEFAULT_START_LIMIT_BURST);
	unit_free(u);
}
END_TEST

/* Links that git checked out as files holding their target. */
START_TEST(link_stand_ins)
{
	struct unit *u = NULL;
	char path[PATH_MAX];
	char *target;

	write_file("real.service", "[Service]\nExecStart=/bin/real\n");
	write_file("nick.service", "real.service");
	write_file("gone.service", "/dev/null");
	write_file("oneline.service", "ExecStart=/bin/x");
	ck_assert_int_eq(unit_load_name(&ctx, "nick", &u), UNIT_LOOKUP_OK);
	ck_assert_str_eq(u->name, "real.service");
	unit_free(u);
	ck_assert_int_eq(unit_load_name(&ctx, "gone", &u), UNIT_LOOKUP_MASKED);
	join(path, "nick.service");
	target = unit_link_stand_in(path);
	ck_assert_str_eq(target, "real.service");
	free(target);
	/* A real unit file, however short, is not a link. */
	join(path, "oneline.service");
	ck_assert_ptr_null(unit_link_stand_in(path));
	join(path, "real.service");
	ck_assert_ptr_null(unit_link_stand_in(path));
}
END_TEST

/* A FIFO named like a unit is neither waited on nor read: no writer
 * ever comes, so a blocking open would hang svctl verify. */
START_TEST(fifo_is_no_unit)
{
	char path[PATH_MAX];

	join(path, "fifo.service");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_ptr_null(unit_link_stand_in(path));
	ck_assert_ptr_null(load("fifo.service", NULL));
	ck_assert(diag_has('E', "%s: not a regular file", path));
}
END_TEST

/* %y and %Y name the file the unit was read from: a template's for an
 * instance. */
START_TEST(fragment_specifiers)
{
	struct unit *u = NULL;
	char want[PATH_MAX];

	write_file("frag@.service", "[Service]\nExecStart=/bin/f %y %Y %j\n");
	ck_assert_int_eq(unit_load_name(&ctx, "frag@one", &u), UNIT_LOOKUP_OK);
	snprintf(want, sizeof(want), "%s", path_of("frag@.service"));
	assert_argv(&u->exec_start[0], "/bin/f", want, dir, "frag", NULL);
	unit_free(u);
}
END_TEST

START_TEST(alias_loop)
{
	struct unit *u = NULL;

	make_link("b.service", "a.service");
	make_link("a.service", "b.service");
	ck_assert_int_eq(unit_load_name(&ctx, "a", &u), UNIT_LOOKUP_BAD);
	ck_assert(diag_has('E', "too many levels of aliases"));
}
END_TEST

START_TEST(bad_unit_reports_bad)
{
	struct unit *u = NULL;

	write_file("broken.service", "[Service]\nExecStart=/bin/x\n"
		   "Restart=sometimes\n");
	ck_assert_int_eq(unit_load_name(&ctx, "broken", &u), UNIT_LOOKUP_BAD);
	ck_assert_ptr_null(u);
}
END_TEST

START_TEST(dir_list)
{
	struct unit_file *files;
	size_t n;

	write_file("b.service", "[Service]\nExecStart=/bin/b\n");
	write_file("t@.service", "[Service]\nExecStart=/bin/t\n");
	make_link("b.service", "a.service");
	make_link("/dev/null", "m.service");
	write_file("notes.txt", "x");
	write_file("b.service.d/x.conf", "");
	ck_assert_int_eq(unit_dir_list(&ctx, &files, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(files[0].name, "a.service");
	ck_assert_int_eq(files[0].kind, UNIT_FILE_ALIAS);
	ck_assert_str_eq(files[0].alias_of, "b.service");
	ck_assert_str_eq(files[1].name, "b.service");
	ck_assert_int_eq(files[1].kind, UNIT_FILE_REGULAR);
	ck_assert_str_eq(files[1].path, path_of("b.service"));
	ck_assert_str_eq(files[2].name, "m.service");
	ck_assert_int_eq(files[2].kind, UNIT_FILE_MASKED);
	ck_assert_str_eq(files[3].name, "t@.service");
	ck_assert_int_eq(files[3].kind, UNIT_FILE_TEMPLATE);
	unit_files_free(files, n);
}
END_TEST

/* Two directories sharing half of 4,000 names: the first directory's
 * file wins each, the list is sorted and whole. */
START_TEST(dir_list_first_directory_wins_at_scale)
{
	char second[PATH_MAX + 16], path[PATH_MAX + 64];
	const char *both[2] = { dir, second };
	struct unit_load_ctx two = ctx;
	struct unit_file *files;
	size_t n;

	snprintf(second, sizeof(second), "%s/second", dir);
	ck_assert_int_eq(mkdir(second, 0755), 0);
	for (int i = 0; i < 2000; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "u%04d.service", i);
		write_file(path, "[Service]\nExecStart=/bin/first\n");
		snprintf(path, sizeof(path), "%s/u%04d.service", second, i + 1000);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs("[Service]\nExecStart=/bin/second\n", f);
		ck_assert_int_eq(fclose(f), 0);
	}
	two.dirs = both;
	two.n_dirs = 2;
	ck_assert_int_eq(unit_dir_list(&two, &files, &n), 0);
	ck_assert_uint_eq(n, 3000);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "u%04zu.service", i);
		ck_assert_str_eq(files[i].name, path);
		ck_assert_ptr_nonnull(strstr(files[i].path, i < 2000 ? dir : second));
		if (i < 2000)
			ck_assert_ptr_null(strstr(files[i].path, "/second/"));
	}
	unit_files_free(files, n);
}
END_TEST

#define BIT(cap) (UINT64_C(1) << (cap))

/* Lists merge as systemd's config_parse_capability_set(): a first line
 * replaces, later ones OR, "~" lines take theirs out; "" is the empty
 * set, "~" alone every capability. Unknown names: a warning each. */
START_TEST(capability_keys)
{
	struct unit *u = load_ok("c.service",
		"[Service]\nExecStart=/bin/c\n"
		"CapabilityBoundingSet=CAP_NET_RAW cap_sys_admin\n"
		"CapabilityBoundingSet=CAP_NET_BIND_SERVICE 3\n"
		"CapabilityBoundingSet=~CAP_SYS_ADMIN CAP_NOPE\n"
		"AmbientCapabilities=CAP_NET_BIND_SERVICE\n"
		"AmbientCapabilities=\"CAP_CHOWN\" CAP_FANTASY\n"
		"NoNewPrivileges=yes\n"
		"SecureBits=keep-caps noroot\nSecureBits=noroot-locked\n");

	ck_assert(u->capability_bounding_set_given);
	ck_assert(u->capability_bounding_set ==
		  (BIT(CAP_NET_RAW) | BIT(CAP_NET_BIND_SERVICE) | BIT(3)));
	ck_assert(u->ambient_capabilities ==
		  (BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_CHOWN)));
	ck_assert(u->ambient_capabilities_named == u->ambient_capabilities);
	ck_assert(u->no_new_privileges);
	ck_assert(u->secure_bits_given);
	ck_assert_int_eq(u->secure_bits, SECBIT_KEEP_CAPS | SECBIT_NOROOT |
			 SECBIT_NOROOT_LOCKED);
	ck_assert(diag_has('W', "c.service:5: CapabilityBoundingSet=~CAP_SYS_ADMIN "
			   "CAP_NOPE: unknown capability \"CAP_NOPE\", ignored"));
	ck_assert(diag_has('W', "c.service:7: AmbientCapabilities=\"CAP_CHOWN\" "
			   "CAP_FANTASY: unknown capability \"CAP_FANTASY\""));
	ck_assert_uint_eq(diag_count('W', ""), 2);
	ck_assert_uint_eq(diag_count('E', ""), 0);
	unit_free(u);
}
END_TEST

START_TEST(capability_resets_and_inversions)
{
	struct unit *u = load_ok("r.service",
		"[Service]\nExecStart=/bin/r\n"
		"CapabilityBoundingSet=CAP_CHOWN\nCapabilityBoundingSet=\n"
		"AmbientCapabilities=~CAP_SYS_ADMIN\n"
		"AmbientCapabilities=CAP_NET_RAW\n"
		"SecureBits=noroot\nSecureBits=\nNoNewPrivileges=yes\n"
		"NoNewPrivileges=\n");

	/* empty: the empty set, not "unchanged" */
	ck_assert(u->capability_bounding_set_given);
	ck_assert(u->capability_bounding_set == 0);
	ck_assert(u->ambient_capabilities == ~BIT(CAP_SYS_ADMIN));
	/* only what was named fails a start that cannot give it */
	ck_assert(u->ambient_capabilities_named == BIT(CAP_NET_RAW));
	ck_assert(!u->secure_bits_given);
	ck_assert_int_eq(u->secure_bits, 0);
	ck_assert(!u->no_new_privileges);
	unit_free(u);

	u = load_ok("t.service", "[Service]\nExecStart=/bin/t\n"
		    "CapabilityBoundingSet=CAP_CHOWN\nCapabilityBoundingSet=~\n"
		    "AmbientCapabilities=CAP_CHOWN\nAmbientCapabilities=\n");
	ck_assert(u->capability_bounding_set == UINT64_MAX);
	ck_assert(u->ambient_capabilities == 0);
	ck_assert(u->ambient_capabilities_named == 0);
	unit_free(u);

	/* not given: nothing to apply */
	u = load_ok("n.service", "[Service]\nExecStart=/bin/n\n");
	ck_assert(!u->capability_bounding_set_given);
	ck_assert(u->ambient_capabilities == 0);
	ck_assert(!u->secure_bits_given);
	ck_assert(!u->no_new_privileges);
	unit_free(u);
}
END_TEST

/* DynamicUser=, RemoveIPC=, KeyringMode= and what DynamicUser= implies. */
START_TEST(identity_keys)
{
	struct unit *u = load_ok("n.service", "[Service]\nExecStart=/bin/n\n");

	ck_assert(!u->dynamic_user);
	ck_assert(!unit_remove_ipc(u));
	ck_assert(!unit_no_new_privileges(u));
	ck_assert_int_eq(u->keyring_mode, UNIT_KEYRING_PRIVATE);
	unit_free(u);
	u = load_ok("d.service", "[Service]\nExecStart=/bin/d\nDynamicUser=yes\n"
		    "KeyringMode=shared\nRemoveIPC=no\nNoNewPrivileges=no\n");
	ck_assert(u->dynamic_user);
	ck_assert(!u->remove_ipc);
	ck_assert(unit_remove_ipc(u));	/* cannot be turned off */
	ck_assert(unit_no_new_privileges(u));
	ck_assert_int_eq(u->keyring_mode, UNIT_KEYRING_SHARED);
	unit_free(u);
	u = load_ok("r.service", "[Service]\nExecStart=/bin/r\nRemoveIPC=yes\n"
		    "KeyringMode=inherit\nKeyringMode=\n");
	ck_assert(unit_remove_ipc(u));
	ck_assert_int_eq(u->keyring_mode, UNIT_KEYRING_PRIVATE);
	unit_free(u);
	write_file("b.service", "[Service]\nExecStart=/bin/b\nKeyringMode=session\n"
		   "DynamicUser=perhaps\nRemoveIPC=2\n");
	ck_assert_ptr_null(load("b.service", NULL));
	ck_assert(diag_has('E', "b.service:3: KeyringMode=session: invalid value"));
	ck_assert(diag_has('E', "b.service:4: DynamicUser=perhaps: invalid value"));
	ck_assert(diag_has('E', "b.service:5: RemoveIPC=2: invalid value"));
}
END_TEST

START_TEST(capability_bad_values)
{
	write_file("b.service", "[Service]\nExecStart=/bin/b\n"
		   "SecureBits=keep-caps sometimes\nNoNewPrivileges=maybe\n");
	ck_assert_ptr_null(load("b.service", NULL));
	ck_assert(diag_has('E', "b.service:3: SecureBits=keep-caps sometimes: "
			   "invalid value; expected keep-caps, keep-caps-locked"));
	ck_assert(diag_has('E', "b.service:4: NoNewPrivileges=maybe: invalid value"));
}
END_TEST

START_TEST(invalid_values_are_errors)
{
	write_file("web.service",
		"[Unit]\nDescription=web\n\n[Service]\n"
		"ExecStart=/bin/web\nType=simple\nRestart=sometimes\n"
		"RestartSec=soon\nKillSignal=SIGNOPE\nSendSIGKILL=perhaps\n"
		"SuccessExitStatus=0 999\nType=weird\n");
	ck_assert_ptr_null(load("web.service", NULL));
	ck_assert_msg(diag_has('E', "%s:7: Restart=sometimes: invalid value; "
			       "expected no, always, on-success, on-failure, "
			       "on-abnormal, on-abort or on-watchdog",
			       path_of("web.service")), "got: %s", diags[0]);
	/* every error of the file is reported, not just the first */
	ck_assert(diag_has('E', "web.service:8: RestartSec=soon: invalid"));
	ck_assert(diag_has('E', "web.service:9: KillSignal=SIGNOPE: invalid"));
	ck_assert(diag_has('E', "web.service:10: SendSIGKILL=perhaps: "
			   "invalid value; expected yes, no"));
	ck_assert(diag_has('E', "web.service:11: SuccessExitStatus=0 999: "
			   "invalid"));
	ck_assert(diag_has('E', "web.service:12: Type=weird: invalid value; "
			   "expected simple, exec, forking, oneshot, dbus, "
			   "notify, notify-reload or idle"));
	ck_assert_uint_eq(diag_count('E', ""), 6);
}
END_TEST

START_TEST(exec_errors)
{
	write_file("x.service", "[Service]\nExecStart=/bin/echo \"open\n");
	ck_assert_ptr_null(load("x.service", NULL));
	ck_assert(diag_has('E', "x.service:2: ExecStart=/bin/echo \"open: "
			   "unbalanced quotes"));
	write_file("y.service", "[Service]\nExecStart=/bin/echo %Z\n");
	ck_assert_ptr_null(load("y.service", NULL));
	ck_assert(diag_has('E', "y.service:2: ExecStart=/bin/echo %%Z: "
			   "unknown specifier %%Z"));
}
END_TEST

START_TEST(failure_and_success_actions)
{
	struct unit *u = load_ok("a.service",
		"[Unit]\nFailureAction=exit\nSuccessAction=poweroff-force\n"
		"FailureActionExitStatus=7\nOnFailure=alarm.service cleanup\n"
		"OnSuccess=next.service\n[Service]\nExecStart=/bin/a\n");

	ck_assert_int_eq(u->failure_action, UNIT_ACTION_EXIT);
	ck_assert_int_eq(u->success_action, UNIT_ACTION_POWEROFF_FORCE);
	ck_assert_int_eq(u->failure_action_exit_status, 7);
	ck_assert_int_eq(u->success_action_exit_status, -1);
	ck_assert_str_eq(u->on_failure[0], "alarm.service");
	ck_assert_ptr_null(u->on_failure[1]);
	ck_assert(diag_has('W', "OnFailure=: not a unit name, ignored: cleanup"));
	ck_assert_str_eq(u->on_success[0], "next.service");
	unit_free(u);
	/* [Service]'s older place; systemd's other actions as the closest. */
	u = load_ok("b.service", "[Service]\nExecStart=/bin/b\n"
		    "FailureAction=reboot-immediate\n");
	ck_assert_int_eq(u->failure_action, UNIT_ACTION_REBOOT_FORCE);
	ck_assert(diag_has('W', "FailureAction=reboot-immediate: svd does reboot-force instead"));
	unit_free(u);
	write_file("c.service", "[Unit]\nFailureAction=explode\n"
		   "FailureActionExitStatus=256\n[Service]\nExecStart=/bin/c\n");
	ck_assert_ptr_null(load("c.service", NULL));
	ck_assert(diag_has('E', "c.service:2: FailureAction=explode: invalid value"));
	ck_assert(diag_has('E', "c.service:3: FailureActionExitStatus=256: invalid value"));
}
END_TEST

START_TEST(unknown_vs_unsupported)
{
	struct unit *u = load_ok("k.service",
		"[Unit]\nUpholds=x.service\nFrobnicate=1\n"
		"ConditionFirstBoot=yes\nX-Mine=1\n"
		"[Service]\nExecStart=/bin/k\nGuessMainPID=no\nRuntimeMaxSec=5\n"
		"After=x\nBogus=2\nX-Other=3\n"
		"[Socket]\nListenStream=80\n[X-Vendor]\nAnything=1\n"
		"[Install]\nWantedBy=multi-user.target\nUpheldBy=x\n");

	ck_assert(diag_has('W', "k.service:2: [Unit] Upholds: unsupported "
			   "key, ignored"));
	ck_assert(diag_has('W', "k.service:3: [Unit] Frobnicate: unknown key, "
			   "ignored"));
	ck_assert(diag_has('W', "k.service:4: [Unit] ConditionFirstBoot: "
			   "unsupported key"));
	ck_assert(diag_has('W', "k.service:8: [Service] GuessMainPID: unsupported"));
	ck_assert(diag_has('W', "k.service:9: [Service] RuntimeMaxSec: "
			   "unsupported"));
	/* a [Unit] key in [Service] is unknown there, as in systemd */
	ck_assert(diag_has('W', "k.service:10: [Service] After: unknown key"));
	ck_assert(diag_has('W', "k.service:11: [Service] Bogus: unknown key"));
	ck_assert(diag_has('W', "k.service:13: [Socket]: unknown section"));
	ck_assert(diag_has('W', "k.service:19: [Install] UpheldBy: "
			   "unsupported"));
	ck_assert_uint_eq(diag_count('W', "X-"), 0);
	ck_assert_uint_eq(diag_count('W', "ListenStream"), 0);
	ck_assert_uint_eq(diag_count('W', "Anything"), 0);
	ck_assert_uint_eq(diag_count('W', ""), 9);
	ck_assert_uint_eq(diag_count('E', ""), 0);
	unit_free(u);
}
END_TEST

START_TEST(odd_lines)
{
	struct unit *u = load_ok("o.service",
		"Description=outside\n[Service]\nExecStart=/bin/o\n"
		"just some words\nX-a:b=c\nFoo:Bar=1\n");

	ck_assert(diag_has('W', "o.service:1: Description: assignment outside "
			   "of any section"));
	ck_assert(diag_has('W', "o.service:4: just some words: missing '='"));
	ck_assert(diag_has('W', "o.service:6: [Service] Foo:Bar: unknown key"));
	ck_assert_uint_eq(diag_count('W', "X-a"), 0);
	unit_free(u);
	write_file("p.service", "[Service\nExecStart=/bin/p\n");
	ck_assert_ptr_null(load("p.service", NULL));
	ck_assert(diag_has('E', "p.service:1: [Service: invalid section "
			   "header"));
}
END_TEST

START_TEST(missing_exec_start)
{
	write_file("n.service", "[Unit]\nDescription=nothing to run\n");
	ck_assert_ptr_null(load("n.service", NULL));
	ck_assert(diag_has('E', "%s: Service has no ExecStart=, ExecStop=, or "
			   "SuccessAction=. Refusing.", path_of("n.service")));
	write_file("n2.service", "[Service]\nType=simple\nExecStop=/bin/s\n");
	ck_assert_ptr_null(load("n2.service", NULL));
	ck_assert(diag_has('E', "n2.service: Service has no ExecStart= "
			   "setting, which is only allowed for Type=oneshot"));
	write_file("n3.service", "[Service]\nExecStop=/bin/s\n");
	ck_assert_ptr_null(load("n3.service", NULL));
	ck_assert(diag_has('E', "n3.service: Service has no ExecStart= and no "
			   "SuccessAction="));
}
END_TEST

START_TEST(oneshot_without_exec_start)
{
	/* systemd: no Type= and no ExecStart= means oneshot; with
	 * RemainAfterExit= and ExecStop= that is a valid unit */
	struct unit *u = load_ok("r.service", "[Service]\nRemainAfterExit=yes\n"
				 "ExecStop=/bin/stop\n");

	ck_assert_int_eq(u->type, UNIT_TYPE_ONESHOT);
	ck_assert_uint_eq(u->n_exec_start, 0);
	unit_free(u);
}
END_TEST

START_TEST(several_exec_start)
{
	struct unit *u;

	write_file("m.service", "[Service]\nExecStart=/bin/a\n"
		   "ExecStart=/bin/b\n");
	ck_assert_ptr_null(load("m.service", NULL));
	ck_assert(diag_has('E', "m.service:3: ExecStart=: more than one "
			   "command"));
	/* Type= may come later */
	u = load_ok("m2.service", "[Service]\nExecStart=/bin/a\n"
		    "ExecStart=/bin/b\nType=oneshot\n");
	ck_assert_uint_eq(u->n_exec_start, 2);
	unit_free(u);
	write_file("m3.service", "[Service]\nType=oneshot\nRestart=always\n"
		   "ExecStart=/bin/a\n");
	ck_assert_ptr_null(load("m3.service", NULL));
	ck_assert(diag_has('E', "Restart=always is not allowed for "
			   "Type=oneshot"));
}
END_TEST

START_TEST(missing_file)
{
	ck_assert_ptr_null(load("absent.service", NULL));
	ck_assert(diag_has('E', "%s: No such file or directory",
			   path_of("absent.service")));
	ck_assert_ptr_null(load("bad name!.service", NULL));
	ck_assert(diag_has('E', "is not a valid unit name"));
	write_file("plain.service", "[Service]\nExecStart=/bin/p\n");
	ck_assert_ptr_null(load("plain.service", "inst"));
	ck_assert(diag_has('E', "not a template"));
}
END_TEST

START_TEST(names)
{
	char *s, *tmpl, *inst;

	s = unit_name_normalize("foo");
	ck_assert_str_eq(s, "foo.service");
	free(s);
	s = unit_name_normalize("foo@x");
	ck_assert_str_eq(s, "foo@x.service");
	free(s);
	s = unit_name_normalize("a.b:c_d-e\\x2d.service");
	ck_assert_str_eq(s, "a.b:c_d-e\\x2d.service");
	free(s);
	s = unit_name_normalize("foo.bar");
	ck_assert_str_eq(s, "foo.bar.service");
	free(s);
	s = unit_name_normalize("foo.socket");
	ck_assert_str_eq(s, "foo.socket");
	free(s);
	ck_assert_ptr_null(unit_name_normalize("foo.mount"));
	ck_assert_ptr_null(unit_name_normalize("a/b"));
	ck_assert_ptr_null(unit_name_normalize(""));
	ck_assert_ptr_null(unit_name_normalize("@x"));
	ck_assert_ptr_null(unit_name_normalize("a@b@c"));
	ck_assert_ptr_null(unit_name_normalize("sp ace"));
	ck_assert(unit_name_is_template("foo@.service"));
	ck_assert(!unit_name_is_template("foo@x.service"));
	ck_assert(!unit_name_is_template("foo.service"));
	ck_assert(unit_name_split_instance("foo@b-c.service", &tmpl, &inst));
	ck_assert_str_eq(tmpl, "foo@.service");
	ck_assert_str_eq(inst, "b-c");
	free(tmpl);
	free(inst);
	ck_assert(!unit_name_split_instance("foo@.service", &tmpl, &inst));
	ck_assert(!unit_name_split_instance("foo.service", &tmpl, &inst));
	ck_assert_str_eq(unit_type_name(UNIT_TYPE_NOTIFY_RELOAD),
			 "notify-reload");
	ck_assert_str_eq(unit_restart_name(UNIT_RESTART_ON_ABORT), "on-abort");
	ck_assert_str_eq(unit_kill_mode_name(UNIT_KILL_NONE), "none");
}
END_TEST

START_TEST(longest_name)
{
	char name[256], *s;

	memset(name, 'a', 247);
	name[247] = '\0';
	s = unit_name_normalize(name);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(strlen(s), 255);
	free(s);
	name[247] = 'a';
	name[248] = '\0';
	ck_assert_ptr_null(unit_name_normalize(name));
}
END_TEST

/* A .target file: [Unit] and [Install] only, a oneshot that remains
 * with no timeout and no start limit; [Service] there is unknown. */
START_TEST(target_file)
{
	struct unit *u = load_ok("app.target",
				 "[Unit]\nDescription=the app\n"
				 "Wants=a.service dev-virtio\\x2dports.device\n"
				 "After=a.service\n"
				 "[Service]\nExecStart=/bin/false\n"
				 "[Socket]\nListenStream=80\n"
				 "[Install]\nWantedBy=multi-user.target\n");

	ck_assert_int_eq(u->kind, UNIT_KIND_TARGET);
	ck_assert_str_eq(u->name, "app.target");
	ck_assert_str_eq(u->description, "the app");
	ck_assert_int_eq(u->type, UNIT_TYPE_ONESHOT);
	ck_assert(u->remain_after_exit);
	ck_assert_uint_eq(u->timeout_start_usec, USEC_INFINITY);
	ck_assert_uint_eq(u->start_limit_burst, 0);
	ck_assert_uint_eq(u->n_exec_start, 0);
	ck_assert_ptr_null(u->socket);
	/* The escape is part of the name, as systemd keeps it. */
	ck_assert_str_eq(u->deps[UNIT_DEP_WANTS][1], "dev-virtio\\x2dports.device");
	ck_assert_str_eq(u->wanted_by[0], "multi-user.target");
	ck_assert_uint_eq(diag_count('W', "[Service]: unknown section"), 1);
	ck_assert_uint_eq(diag_count('W', "[Socket]: unknown section"), 1);
	ck_assert_uint_eq(diag_count('E', ""), 0);
	unit_free(u);
	/* A start limit set in the file counts; a template's instance. */
	u = load_ok("t@.target", "[Unit]\nStartLimitBurst=3\nWants=s@%i.service\n");
	unit_free(u);
	u = load("t@.target", "x");
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u->name, "t@x.target");
	ck_assert_uint_eq(u->start_limit_burst, 3);
	ck_assert_str_eq(u->deps[UNIT_DEP_WANTS][0], "s@x.service");
	unit_free(u);
}
END_TEST

START_TEST(requires_mounts_for)
{
	struct unit *u = load_ok("m.service",
				 "[Unit]\nRequiresMountsFor=/srv//data/ / rel "
				 "/a/../b /x/./y\nRequiresMountsFor=/var/lib/%p\n"
				 "[Service]\nExecStart=/bin/true\n");

	ck_assert_uint_eq(strv_length(u->requires_mounts_for), 3);
	ck_assert_str_eq(u->requires_mounts_for[0], "/srv/data");
	ck_assert_str_eq(u->requires_mounts_for[1], "/");
	ck_assert_str_eq(u->requires_mounts_for[2], "/var/lib/m");
	ck_assert_uint_eq(diag_count('W', "not an absolute plain path"), 3);
	ck_assert_uint_eq(diag_count('W', "unsupported"), 0);
	unit_free(u);
	u = load_ok("n.service", "[Unit]\nRequiresMountsFor=/a\n"
		    "RequiresMountsFor=\n[Service]\nExecStart=/bin/true\n");
	ck_assert_ptr_null(u->requires_mounts_for);
	unit_free(u);
}
END_TEST

START_TEST(names_and_paths)
{
	static const struct { const char *name, *path; } both[] = {
		{ "-.mount", "/" },
		{ "var-lib.mount", "/var/lib" },
		{ "dev-sda1.device", "/dev/sda1" },
		{ "tmp-a\\x2db.mount", "/tmp/a-b" },
		{ "a\\x20b-c.d.mount", "/a b/c.d" },
		{ "\\x2ehidden.mount", "/.hidden" },
	};
	static const char *const bad[] = {
		"-var.mount", "var-.mount", "a--b.mount", "a-..-b.mount",
		"..mount", "a\\x2fb-\\x2e.mount", "a\\x00.mount", "a\\xzz.mount",
		"t@x.mount", "nodot",
	};
	char *s, plain[32];

	for (size_t i = 0; i < sizeof(both) / sizeof(both[0]); i++) {
		const char *suffix = strrchr(both[i].name, '.');

		s = unit_name_to_path(both[i].name);
		ck_assert_msg(s && strcmp(s, both[i].path) == 0, "%s: %s",
			      both[i].name, s ? s : "NULL");
		free(s);
		s = unit_name_from_path(both[i].path, suffix);
		ck_assert_str_eq(s, both[i].name);
		free(s);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		s = unit_name_to_path(bad[i]);
		ck_assert_msg(!s, "%s: %s", bad[i], s ? s : "");
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert(unit_name_kind("x.target", NULL));
	ck_assert(!unit_name_kind("x.mount", NULL));
	s = unit_name_normalize("x.target");
	ck_assert_str_eq(s, "x.target");
	free(s);
	strcpy(plain, "//a///b/");
	ck_assert(unit_path_plain(plain));
	ck_assert_str_eq(plain, "/a/b");
	strcpy(plain, "///");
	ck_assert(unit_path_plain(plain));
	ck_assert_str_eq(plain, "/");
	strcpy(plain, "/a/../b");
	ck_assert(!unit_path_plain(plain));
	ck_assert_str_eq(plain, "/a/../b");	/* left as written */
	strcpy(plain, "a/b");
	ck_assert(!unit_path_plain(plain));
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("unit");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, minimal_defaults);
	tcase_add_test(tc, all_implemented_keys);
	tcase_add_test(tc, notify_access_defaults);
	tcase_add_test(tc, dependencies);
	tcase_add_test(tc, conditions_and_asserts);
	tcase_add_test(tc, timeouts);
	tcase_add_test(tc, continuation_lines);
	tcase_add_test(tc, continuation_at_eof);
	tcase_add_test(tc, long_lines);
	tcase_add_test(tc, line_at_the_limit);
	tcase_add_test(tc, too_long_line);
	tcase_add_test(tc, comments_and_semicolons);
	tcase_add_test(tc, lists_append_and_reset);
	tcase_add_test(tc, environment_syntax);
	tcase_add_test(tc, working_directory);
	tcase_add_test(tc, dropins_in_order);
	tcase_add_test(tc, dropin_errors_name_the_dropin);
	tcase_add_test(tc, templates_and_instances);
	tcase_add_test(tc, instance_file_of_its_own);
	tcase_add_test(tc, alias_mask_and_missing);
	tcase_add_test(tc, empty_assignment_resets_scalars);
	tcase_add_test(tc, link_stand_ins);
	tcase_add_test(tc, fifo_is_no_unit);
	tcase_add_test(tc, fragment_specifiers);
	tcase_add_test(tc, alias_loop);
	tcase_add_test(tc, bad_unit_reports_bad);
	tcase_add_test(tc, dir_list);
	tcase_add_test(tc, failure_and_success_actions);
	tcase_add_test(tc, invalid_values_are_errors);
	tcase_add_test(tc, capability_keys);
	tcase_add_test(tc, capability_resets_and_inversions);
	tcase_add_test(tc, capability_bad_values);
	tcase_add_test(tc, identity_keys);
	tcase_add_test(tc, exec_errors);
	tcase_add_test(tc, tty_keys);
	tcase_add_test(tc, unknown_vs_unsupported);
	tcase_add_test(tc, odd_lines);
	tcase_add_test(tc, missing_exec_start);
	tcase_add_test(tc, oneshot_without_exec_start);
	tcase_add_test(tc, several_exec_start);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, names);
	tcase_add_test(tc, longest_name);
	tcase_add_test(tc, target_file);
	tcase_add_test(tc, requires_mounts_for);
	tcase_add_test(tc, names_and_paths);
	suite_add_tcase(s, tc);
	/* Thousands of files: check's 4 s default is no bound for a loaded
	 * machine (a timing is a benchmark's, not a test's). */
	tc = tcase_create("scale");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, dir_list_first_directory_wins_at_scale);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(unit_suite());
}
