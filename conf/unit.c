/* unit: loading one service unit: its main file, then its drop-ins, then
 * the checks systemd's service_verify() makes. inih sees the logical lines
 * that our reader hands it (reader.c), so that continuation lines, line
 * numbers and the line length limit follow systemd, not inih. */
#include "unit.h"
#include "config.h"
#include "keys.h"
#include "names.h"
#include "parser.h"
#include "reader.h"
#include "strv.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void parser_diag(struct unit_parser *p, enum unit_diag_level level,
		 const char *fmt, ...)
{
	char *msg = NULL, *full = NULL;
	va_list ap;
	int r;

	if (level == UNIT_DIAG_ERROR)
		p->n_errors++;
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0 || !p->ctx->diag) {
		free(r < 0 ? NULL : msg);
		return;
	}
	if (p->line)
		r = asprintf(&full, "%s:%u: %s", p->file, p->line, msg);
	else
		r = asprintf(&full, "%s: %s", p->file, msg);
	if (r >= 0)
		p->ctx->diag(p->ctx->diag_ctx, level, full);
	if (r >= 0)
		free(full);
	free(msg);
}

int parser_invalid(struct unit_parser *p, const char *value,
		   const char *expected)
{
	parser_diag(p, UNIT_DIAG_ERROR, "%s=%s: invalid value; expected %s",
		    p->key, value, expected);
	return -1;
}

int parser_nomem(struct unit_parser *p)
{
	parser_diag(p, UNIT_DIAG_ERROR, "%s", strerror(ENOMEM));
	return -1;
}

/* Debian's libinih takes its options at run time; set systemd's rules
 * wherever the build found the knob. */
static void ini_configure(void)
{
#if HAVE_INI_ALLOW_INLINE_COMMENTS
	ini_allow_inline_comments = false;
#endif
#if HAVE_INI_ALLOW_MULTILINE
	ini_allow_multiline = false;
#endif
#if HAVE_INI_USE_STACK
	ini_use_stack = false;
#endif
#if HAVE_INI_ALLOW_REALLOC
	ini_allow_realloc = true;
#endif
#if HAVE_INI_START_COMMENT_PREFIXES
	/* The reader drops comment lines already; this keeps inih agreeing. */
	ini_start_comment_prefixes = "#;";
#endif
#if HAVE_INI_MAX_LINE
	/* Room for the longest line, its newline and NUL, so inih never cuts
	 * a line: the reader has rejected longer ones already. */
	ini_max_line = UNIT_LINE_MAX_BYTES + 64;
#endif
}

/* What inih reads from: one logical line at a time. */
struct feed {
	struct unit_parser *p;
	struct reader reader;
	struct sbuf line;	/* the logical line being served, with '\n' */
	size_t served;		/* bytes of it handed to inih so far */
	enum key_section section;
	char *section_name;	/* NULL before the first section header */
	bool drop_rest;		/* inih cut the line: skip what is left */
	bool nomem;
};

static int feed_section(struct feed *f, const char *text, size_t len)
{
	struct unit_parser *p = f->p;
	char *name = strndup(text + 1, len - 2);

	if (!name)
		return parser_nomem(p);
	free(f->section_name);
	f->section_name = name;
	f->section = keys_section(name);
	/* [Service] belongs in a .service file, [Socket] in a .socket. */
	if ((f->section == KEY_SECTION_SERVICE &&
	     p->unit->kind != UNIT_KIND_SERVICE) ||
	    (f->section == KEY_SECTION_SOCKET &&
	     p->unit->kind != UNIT_KIND_SOCKET))
		f->section = KEY_SECTION_UNKNOWN;
	if (f->section == KEY_SECTION_UNKNOWN)
		parser_diag(p, UNIT_DIAG_WARNING, "[%s]: unknown section, "
			    "ignored", name);
	return 0;
}

static void dispatch(struct feed *f, const char *key, const char *value)
{
	struct unit_parser *p = f->p;
	const struct key_def *def;
	const char *s = f->section_name;

	p->key = key;
	if (!s) {
		parser_diag(p, UNIT_DIAG_WARNING, "%s: assignment outside of "
			    "any section, ignored", key);
		return;
	}
	if (f->section == KEY_SECTION_UNKNOWN ||
	    f->section == KEY_SECTION_EXTENSION || strncmp(key, "X-", 2) == 0)
		return;	/* warned at the header, or the user's own */
	def = keys_find(f->section, key);
	if (!def)
		parser_diag(p, UNIT_DIAG_WARNING, "[%s] %s: unknown key, "
			    "ignored", s, key);
	else if (!def->parse || def->parse(p, value) == KEY_NOTED)
		parser_diag(p, UNIT_DIAG_UNSUPPORTED, "[%s] %s: unsupported key, "
			    "ignored", s, key);
}

static char *strip(char *s)
{
	size_t n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* A key with ':' before the '=': inih would split at the ':', systemd
 * splits at the '=', so such a line is dispatched here. */
static void dispatch_colon_key(struct feed *f, const char *text)
{
	char *copy = strdup(text), *eq;

	if (!copy) {
		f->nomem = true;
		return;
	}
	eq = strchr(copy, '=');
	*eq = '\0';
	dispatch(f, strip(copy), strip(eq + 1));
	free(copy);
}

/* Decides what becomes of a logical line. Returns 1 to hand it to inih,
 * 0 when it was dealt with here (blank, bad, or a ':' key). */
static int feed_classify(struct feed *f)
{
	struct unit_parser *p = f->p;
	const char *text = f->line.s + strspn(f->line.s, " \t");
	size_t len = strlen(text);
	const char *eq;

	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (len == 0)
		return 0;
	if (text[0] == '[') {
		if (text[len - 1] != ']' || len < 3) {
			parser_diag(p, UNIT_DIAG_ERROR, "%.*s: invalid section "
				    "header", (int)len, text);
			return 0;
		}
		return feed_section(f, text, len) < 0 ? 0 : 1;
	}
	eq = memchr(text, '=', len);
	if (!eq) {
		parser_diag(p, UNIT_DIAG_WARNING, "%.*s: missing '=', ignored",
			    (int)len, text);
		return 0;
	}
	if (memchr(text, ':', (size_t)(eq - text))) {
		dispatch_colon_key(f, text);
		return 0;
	}
	return 1;
}

/* The next logical line that inih should see, in f->line with '\n'. */
static int feed_refill(struct feed *f)
{
	unsigned lineno = 0;

	for (;;) {
		enum reader_result r = reader_next(&f->reader, &f->line,
						   &lineno);

		f->p->line = lineno;
		if (r == READER_END || r == READER_NOMEM) {
			f->nomem = r == READER_NOMEM;
			return 0;
		}
		if (r == READER_TOO_LONG) {
			parser_diag(f->p, UNIT_DIAG_ERROR, "line longer than "
				    "%d bytes", UNIT_LINE_MAX_BYTES);
			continue;
		}
		if (feed_classify(f) == 0)
			continue;
		if (sbuf_addc(&f->line, '\n') < 0) {
			f->nomem = true;
			return 0;
		}
		f->served = 0;
		return 1;
	}
}

/* inih's fgets(): at most num - 1 bytes, never past the current line. */
static char *feed_gets(char *str, int num, void *stream)
{
	struct feed *f = stream;
	size_t n;

	if (num < 2)
		return NULL;
	if (f->drop_rest) {
		f->served = f->line.len;
		f->drop_rest = false;
	}
	if (f->served >= f->line.len && !feed_refill(f))
		return NULL;
	n = f->line.len - f->served;
	if (n > (size_t)num - 1)
		n = (size_t)num - 1;
	memcpy(str, f->line.s + f->served, n);
	str[n] = '\0';
	f->served += n;
	return str;
}

static int feed_pair(void *user, const char *section, const char *name,
		     const char *value)
{
	struct feed *f = user;

	(void)section;	/* ours, tracked in full: inih cuts long names */
	if (f->served < f->line.len) {
		/* An inih built with a small fixed line buffer handed over
		 * part of the line: refuse it rather than use a cut value. */
		parser_diag(f->p, UNIT_DIAG_ERROR, "line longer than this "
			    "build's inih accepts");
		f->drop_rest = true;
		return 1;
	}
	dispatch(f, name, value);
	return 1;
}

/* Reads the rest of fd into b; -1 with errno, or E2BIG past the limit. */
static int read_all(int fd, struct sbuf *b)
{
	char chunk[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : sbuf_add(b, "", 0);
		if (b->len + (size_t)n > UNIT_FILE_MAX_BYTES) {
			errno = E2BIG;
			return -1;
		}
		if (sbuf_add(b, chunk, (size_t)n) < 0)
			return -1;
	}
}

static void report_read_error(struct unit_parser *p, int err)
{
	if (err == E2BIG)
		parser_diag(p, UNIT_DIAG_ERROR, "larger than %d bytes",
			    UNIT_FILE_MAX_BYTES);
	else
		parser_diag(p, UNIT_DIAG_ERROR, "%s", strerror(err));
}

/* Reads a whole unit file. A character device (/dev/null, a masked unit
 * or drop-in) reads as empty; a FIFO or socket is refused, so that a
 * stray one cannot block the caller. */
static int read_file(struct unit_parser *p, const char *path, char **out,
		     size_t *len)
{
	struct sbuf b = SBUF_INIT;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int r = -1;

	if (fd < 0 || fstat(fd, &st) < 0)
		parser_diag(p, UNIT_DIAG_ERROR, "%s", strerror(errno));
	else if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		parser_diag(p, UNIT_DIAG_ERROR, "not a regular file");
	else if (S_ISREG(st.st_mode) && read_all(fd, &b) < 0)
		report_read_error(p, errno);
	else if (b.len && memchr(b.s, '\0', b.len))
		parser_diag(p, UNIT_DIAG_ERROR, "contains a NUL byte");
	else
		r = 0;
	if (fd >= 0)
		close(fd);
	if (r < 0) {
		sbuf_free(&b);
		return -1;
	}
	*len = b.len;
	*out = b.s;
	return 0;
}

int parser_parse_file(struct unit_parser *p, const char *path)
{
	struct feed f = { .p = p, .line = SBUF_INIT };
	char *buf = NULL;
	size_t len = 0;
	int r;

	p->file = path;
	p->line = 0;
	if (read_file(p, path, &buf, &len) < 0)
		return -1;
	ini_configure();
	reader_init(&f.reader, buf ? buf : "", len, UNIT_LINE_MAX_BYTES);
	r = ini_parse_stream(feed_gets, &f, feed_pair, &f);
	if (r == -2 || f.nomem)
		parser_nomem(p);
	p->line = 0;
	sbuf_free(&f.line);
	free(f.section_name);
	free(buf);
	return 0;
}

struct unit *unit_new(void)
{
	struct unit *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->type = UNIT_TYPE_SIMPLE;
	u->restart = UNIT_RESTART_NO;
	u->restart_usec = UNIT_DEFAULT_RESTART_USEC;
	u->restart_max_delay_usec = USEC_INFINITY;
	u->timeout_stop_usec = UNIT_DEFAULT_TIMEOUT_STOP_USEC;
	u->timeout_start_usec = UNIT_DEFAULT_TIMEOUT_START_USEC;
	u->kill_signal = SIGTERM;
	u->watchdog_signal = SIGABRT;
	u->umask = 0022;
	u->kill_mode = UNIT_KILL_CONTROL_GROUP;
	u->send_sigkill = true;
	u->ignore_sigpipe = true;
	u->tty_rows = u->tty_columns = -1;
	u->start_limit_burst = UNIT_DEFAULT_START_LIMIT_BURST;
	u->start_limit_interval_usec = UNIT_DEFAULT_START_LIMIT_INTERVAL_USEC;
	u->failure_action_exit_status = -1;
	u->success_action_exit_status = -1;
	for (int d = 0; d < UNIT_DIR_COUNT; d++)
		u->directory_mode[d] = 0755;
	return u;
}

struct unit_socket *unit_socket_new(void)
{
	struct unit_socket *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->socket_mode = 0666;
	s->directory_mode = 0755;
	s->backlog = UINT_MAX;
	s->max_connections = UNIT_DEFAULT_MAX_CONNECTIONS;
	s->trigger_limit_interval_usec = UNIT_DEFAULT_TRIGGER_LIMIT_INTERVAL_USEC;
	return s;
}

void unit_socket_free(struct unit_socket *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_listen; i++)
		free(s->listen[i].text);
	free(s->listen);
	free(s->service);
	free(s->fd_name);
	free(s->socket_user);
	free(s->socket_group);
	strv_free(s->symlinks);
	free(s);
}

void unit_free(struct unit *u)
{
	if (!u)
		return;
	free(u->name);
	free(u->path);
	strv_free(u->dropin_paths);
	free(u->description);
	strv_free(u->documentation);
	for (int i = 0; i < UNIT_DEP_COUNT; i++)
		strv_free(u->deps[i]);
	for (size_t i = 0; i < u->n_conditions; i++)
		free(u->conditions[i].arg);
	free(u->conditions);
	exec_cmds_free(u->exec_start, u->n_exec_start);
	for (int k = 0; k < UNIT_EXEC_COUNT; k++)
		exec_cmds_free(u->exec[k], u->n_exec[k]);
	strv_free(u->environment);
	free(u->working_directory);
	free(u->pid_file);
	free(u->user);
	free(u->group);
	strv_free(u->supplementary_groups);
	strv_free(u->environment_files);
	strv_free(u->pass_environment);
	strv_free(u->unset_environment);
	free(u->root_directory);
	free(u->limits);
	resource_free(u->resources);
	syscall_sandbox_free(u->syscall_sandbox);
	free(u->resources);
	sandbox_fs_free(u->fs_sandbox);
	free(u->slice);
	free(u->success_exit_status);
	free(u->restart_prevent_exit_status);
	for (int d = 0; d < UNIT_DIR_COUNT; d++)
		strv_free(u->directories[d]);
	free(u->std_input_path);
	free(u->std_output_path);
	free(u->std_error_path);
	free(u->syslog_identifier);
	free(u->utmp_id);
	free(u->tty_path);
	strv_free(u->wanted_by);
	strv_free(u->required_by);
	strv_free(u->aliases);
	strv_free(u->also);
	strv_free(u->on_failure);
	strv_free(u->requires_mounts_for);
	strv_free(u->sockets);
	unit_socket_free(u->socket);
	strv_free(u->on_success);
	free(u->default_instance);
	free(u);
}

const char *unit_type_name(enum unit_type type)
{
	static const char *const names[] = {
		"simple", "exec", "oneshot", "forking", "notify",
		"notify-reload", "dbus", "idle",
	};

	return (unsigned)type < sizeof(names) / sizeof(names[0]) ?
	       names[type] : "?";
}

const char *unit_restart_name(enum unit_restart restart)
{
	static const char *const names[] = {
		"no", "always", "on-success", "on-failure", "on-abnormal",
		"on-abort", "on-watchdog",
	};

	return (unsigned)restart < sizeof(names) / sizeof(names[0]) ?
	       names[restart] : "?";
}

const char *unit_exec_name(enum unit_exec kind)
{
	static const char *const names[] = {
		[UNIT_EXEC_CONDITION] = "ExecCondition",
		[UNIT_EXEC_START_PRE] = "ExecStartPre",
		[UNIT_EXEC_START_POST] = "ExecStartPost",
		[UNIT_EXEC_RELOAD] = "ExecReload",
		[UNIT_EXEC_STOP] = "ExecStop",
		[UNIT_EXEC_STOP_POST] = "ExecStopPost",
	};

	return (unsigned)kind < UNIT_EXEC_COUNT ? names[kind] : "?";
}

const char *unit_condition_name(enum unit_condition_type type)
{
	static const char *const names[] = {
		[UNIT_COND_PATH_EXISTS] = "PathExists",
		[UNIT_COND_PATH_EXISTS_GLOB] = "PathExistsGlob",
		[UNIT_COND_PATH_IS_DIRECTORY] = "PathIsDirectory",
		[UNIT_COND_PATH_IS_SYMBOLIC_LINK] = "PathIsSymbolicLink",
		[UNIT_COND_DIRECTORY_NOT_EMPTY] = "DirectoryNotEmpty",
		[UNIT_COND_FILE_NOT_EMPTY] = "FileNotEmpty",
		[UNIT_COND_FILE_IS_EXECUTABLE] = "FileIsExecutable",
		[UNIT_COND_VIRTUALIZATION] = "Virtualization",
		[UNIT_COND_HOST] = "Host",
		[UNIT_COND_CAPABILITY] = "Capability",
	};

	return (unsigned)type < UNIT_COND_COUNT ? names[type] : NULL;
}

const char *unit_dep_name(enum unit_dep dep)
{
	static const char *const names[] = {
		[UNIT_DEP_REQUIRES] = "Requires", [UNIT_DEP_REQUISITE] = "Requisite",
		[UNIT_DEP_WANTS] = "Wants", [UNIT_DEP_BINDS_TO] = "BindsTo",
		[UNIT_DEP_PART_OF] = "PartOf", [UNIT_DEP_CONFLICTS] = "Conflicts",
		[UNIT_DEP_AFTER] = "After", [UNIT_DEP_BEFORE] = "Before",
	};

	return (unsigned)dep < UNIT_DEP_COUNT ? names[dep] : "?";
}

const char *unit_notify_access_name(enum unit_notify_access access)
{
	static const char *const names[] = { "none", "main", "exec", "all" };

	return (unsigned)access < sizeof(names) / sizeof(names[0]) ?
	       names[access] : "?";
}

const char *unit_kill_mode_name(enum unit_kill_mode mode)
{
	static const char *const names[] = {
		"control-group", "process", "mixed", "none",
	};

	return (unsigned)mode < sizeof(names) / sizeof(names[0]) ?
	       names[mode] : "?";
}

const char *unit_dir_name(enum unit_dir dir)
{
	static const char *const names[] = {
		[UNIT_DIR_RUNTIME] = "RuntimeDirectory",
		[UNIT_DIR_STATE] = "StateDirectory",
		[UNIT_DIR_CACHE] = "CacheDirectory",
		[UNIT_DIR_LOGS] = "LogsDirectory",
		[UNIT_DIR_CONFIGURATION] = "ConfigurationDirectory",
	};

	return (unsigned)dir < UNIT_DIR_COUNT ? names[dir] : "?";
}

const char *unit_stdio_name(enum unit_stdio stdio)
{
	static const char *const names[] = {
		[UNIT_STDIO_DEFAULT] = "default", [UNIT_STDIO_INHERIT] = "inherit",
		[UNIT_STDIO_NULL] = "null", [UNIT_STDIO_LOG] = "journal",
		[UNIT_STDIO_LOG_CONSOLE] = "journal+console",
		[UNIT_STDIO_FILE] = "file", [UNIT_STDIO_APPEND] = "append",
		[UNIT_STDIO_TRUNCATE] = "truncate", [UNIT_STDIO_SOCKET] = "socket",
		[UNIT_STDIO_TTY] = "tty", [UNIT_STDIO_TTY_FORCE] = "tty-force",
		[UNIT_STDIO_TTY_FAIL] = "tty-fail",
	};

	return (unsigned)stdio < sizeof(names) / sizeof(names[0]) ?
	       names[stdio] : "?";
}

static bool is_tty(enum unit_stdio stdio)
{
	return stdio == UNIT_STDIO_TTY || stdio == UNIT_STDIO_TTY_FORCE ||
	       stdio == UNIT_STDIO_TTY_FAIL;
}

bool unit_uses_tty(const struct unit *u)
{
	return is_tty(u->std_input) || is_tty(u->std_output) ||
	       is_tty(u->std_error);
}

const char *unit_tty_path(const struct unit *u)
{
	return u->tty_path ? u->tty_path : "/dev/console";
}
