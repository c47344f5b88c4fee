#include "execenv.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "envfile.h"
#include "envmap.h"
#include "log.h"

/* TERM= for a service on a terminal, as systemd sets it: on the console,
 * the one the kernel gave init (svd's own, as PID 1); else "linux" on a
 * virtual console, "vt220" on anything else (a serial line). Environment=
 * still overrides it. */
static int put_term(struct envmap *env, const struct unit *unit,
		    const struct execenv_ctx *ctx)
{
	const char *path = unit_tty_path(unit), *term = NULL;

	if (strcmp(path, "/dev/console") == 0 && getpid() == 1)
		for (char *const *e = ctx->svd_environ; e && *e && !term; e++)
			if (strncmp(*e, "TERM=", 5) == 0)
				term = *e + 5;
	if (!term)
		term = strncmp(path, "/dev/tty", 8) == 0 && path[8] >= '0' &&
		       path[8] <= '9' ? "linux" : "vt220";
	return envmap_set(env, "TERM", term);
}

/* The variables svd sets for the service itself, as systemd does. */
static int put_own(struct envmap *env, const struct unit *unit,
		   const struct execenv_ctx *ctx, const struct creds *creds,
		   pid_t main_pid)
{
	char number[24];

	if (creds->user_name &&
	    (envmap_set(env, "HOME", creds->home) < 0 ||
	     envmap_set(env, "USER", creds->user_name) < 0 ||
	     envmap_set(env, "LOGNAME", creds->user_name) < 0 ||
	     envmap_set(env, "SHELL", creds->shell) < 0))
		return -1;
	if (ctx->notify_socket && unit->notify_access != UNIT_NOTIFY_NONE &&
	    envmap_set(env, "NOTIFY_SOCKET", ctx->notify_socket) < 0)
		return -1;
	if (unit->watchdog_usec) {
		snprintf(number, sizeof(number), "%llu",
			 (unsigned long long)unit->watchdog_usec);
		/* The main process fills it in (spawn.c); for a control
		 * command it stays 0, which is nobody. */
		if (envmap_set(env, "WATCHDOG_USEC", number) < 0 ||
		    envmap_set(env, "WATCHDOG_PID", SPAWN_WATCHDOG_PID_ROOM) < 0)
			return -1;
	}
	if (unit_uses_tty(unit) && put_term(env, unit, ctx) < 0)
		return -1;
	/* Control commands see $MAINPID, as ExecReload=/bin/kill -HUP
	 * $MAINPID in many real units expects. */
	if (main_pid > 0) {
		snprintf(number, sizeof(number), "%d", (int)main_pid);
		if (envmap_set(env, "MAINPID", number) < 0)
			return -1;
	}
	return 0;
}

/* RUNTIME_DIRECTORY=/run/a:/run/b, ... */
static int put_directories(struct envmap *env, const struct unit *unit,
			   const struct execenv_ctx *ctx)
{
	static const char *const names[UNIT_DIR_COUNT] = {
		"RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CACHE_DIRECTORY",
		"LOGS_DIRECTORY", "CONFIGURATION_DIRECTORY",
	};

	for (int d = 0; d < UNIT_DIR_COUNT; d++) {
		char *value = NULL, *joined;
		int r;

		for (char **name = unit->directories[d]; name && *name; name++) {
			if (asprintf(&joined, "%s%s%s/%s", value ? value : "",
				     value ? ":" : "", ctx->roots[d], *name) < 0) {
				free(value);
				return -1;
			}
			free(value);
			value = joined;
		}
		if (!value)
			continue;
		r = envmap_set(env, names[d], value);
		free(value);
		if (r < 0)
			return -1;
	}
	return 0;
}

static void envfile_warning(void *ctx, const char *message)
{
	log_warning(NULL, "%s", message);	/* "FILE:LINE: ..." */
}

static int put_files(struct envmap *env, const struct unit *unit, char *why,
		     size_t size)
{
	for (char **entry = unit->environment_files; entry && *entry; entry++) {
		bool optional = (*entry)[0] == '-';

		if (envfile_apply_file(*entry + optional, env, envfile_warning,
				       NULL, why, size) == 0)
			continue;
		if (errno == ENOMEM)
			return -1;
		if (!optional || errno != ENOENT)
			return -1;
	}
	return 0;
}

/* PassEnvironment=: the names found in svd's own environment, looked up
 * through an index of it, so that long lists on both sides stay O(n). */
static int put_passed(struct envmap *env, const struct unit *unit,
		      const struct execenv_ctx *ctx)
{
	struct envmap own = ENVMAP_INIT;
	size_t n = 0;
	int r = 0;

	if (!unit->pass_environment)
		return 0;
	while (ctx->svd_environ && ctx->svd_environ[n])
		n++;
	/* Backwards, so that of a name given twice the first wins, as
	 * getenv() has it; an entry without '=' is no variable. */
	while (r == 0 && n-- > 0)
		if (strchr(ctx->svd_environ[n], '=') &&
		    envmap_put(&own, ctx->svd_environ[n]) < 0)
			r = -1;
	for (char **name = unit->pass_environment; r == 0 && *name; name++) {
		const char *value = envmap_get(&own, *name);

		if (value && envmap_set(env, *name, value) < 0)
			r = -1;
	}
	envmap_free(&own);
	return r;
}

/* Built in an envmap: each assignment costs O(1), so a unit with 128k
 * Environment= assignments or a 1 MiB EnvironmentFile= does not hold up
 * svd's loop before the fork (issue 11). */
char **execenv_environment(const struct unit *unit, const struct execenv_ctx *ctx,
			   const struct creds *creds, pid_t main_pid, char *why,
			   size_t size)
{
	struct envmap env = ENVMAP_INIT;
	char **result;

	snprintf(why, size, "%s", strerror(ENOMEM));
	if (envmap_set(&env, "PATH", SPAWN_DEFAULT_PATH) < 0 ||
	    put_own(&env, unit, ctx, creds, main_pid) < 0 ||
	    put_directories(&env, unit, ctx) < 0 ||
	    put_passed(&env, unit, ctx) < 0 ||
	    envmap_put_all(&env, unit->environment) < 0 ||
	    put_files(&env, unit, why, size) < 0) {
		envmap_free(&env);
		return NULL;
	}
	for (char **what = unit->unset_environment; what && *what; what++)
		envmap_unset(&env, *what);
	result = envmap_take(&env);
	/* UnsetEnvironment= may have removed all, PATH too: still a vector. */
	return result ? result : calloc(1, sizeof(*result));
}

const char *execenv_working_directory(const struct unit *unit,
				      const struct creds *creds)
{
	const char *dir = unit->working_directory;

	/* "~" is the home of the user the service runs as. */
	if (dir && strcmp(dir, "~") == 0)
		return creds->home ? creds->home : "/root";
	return dir;
}

int execenv_make_parents_mode(const char *path, int mode)
{
	char *copy = strdup(path);
	int r = 0;

	if (!copy)
		return -1;
	for (char *slash = strchr(copy + 1, '/'); slash && r == 0;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(copy, (mode_t)mode) < 0 && errno != EEXIST)
			r = -1;
		*slash = '/';
	}
	free(copy);
	return r;
}

int execenv_make_parents(const char *path)
{
	return execenv_make_parents_mode(path, 0755);
}

static int make_directory(const char *path, int mode, const struct creds *creds,
			  bool owned, const char **failed)
{
	int fd, r, err;

	*failed = "mkdir";
	if (execenv_make_parents(path) < 0 ||
	    (mkdir(path, (mode_t)mode) < 0 && errno != EEXIST))
		return -1;
	/* Through an fd that is not a link's: what svd hands to the user is
	 * the directory it made or found, nothing a link points to. */
	*failed = "open";
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	*failed = "chown";
	r = owned && creds->switch_user ? fchown(fd, creds->uid, creds->gid) : 0;
	/* After chown, which clears the set-group-ID bit of 2755. */
	if (r == 0) {
		*failed = "chmod";
		r = fchmod(fd, (mode_t)mode);
	}
	err = errno;
	close(fd);
	errno = err;
	return r;
}

int execenv_make_directories(const struct unit *unit,
			     const struct execenv_ctx *ctx,
			     const struct creds *creds, char *why, size_t size)
{
	for (int d = 0; d < UNIT_DIR_COUNT; d++) {
		/* DynamicUser='s are made apart (privdirs.h). */
		if (unit->dynamic_user && unit_dir_is_private(d))
			continue;
		for (char **name = unit->directories[d]; name && *name; name++) {
			const char *failed;
			char *path, errbuf[160];
			int r;

			if (asprintf(&path, "%s/%s", ctx->roots[d], *name) < 0) {
				snprintf(why, size, "%s", strerror(ENOMEM));
				return -1;
			}
			r = make_directory(path, unit->directory_mode[d], creds,
					   d != UNIT_DIR_CONFIGURATION, &failed);
			if (r < 0)
				snprintf(why, size, "%s=%s: %s %s: %s",
					 unit_dir_name(d), *name, failed, path,
					 log_errno_text(errno, errbuf, sizeof(errbuf)));
			free(path);
			if (r < 0)
				return -1;
		}
	}
	return 0;
}

/* Empties the directory open at fd, depth first, through fds only: a
 * process of the service that swaps a directory for a link meanwhile
 * cannot lead svd, as root, out of the tree. Closes fd. */
static int empty_directory(int fd, unsigned depth)
{
	DIR *dir = fdopendir(fd);
	struct dirent *entry;
	int r = 0;

	if (!dir) {
		close(fd);
		return -1;
	}
	while ((entry = readdir(dir))) {
		const char *name = entry->d_name;
		int child;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (unlinkat(dirfd(dir), name, 0) == 0 || errno == ENOENT)
			continue;
		if (errno != EISDIR || depth == 0)
			r = -1;
		else if ((child = openat(dirfd(dir), name, O_RDONLY | O_DIRECTORY |
					 O_NOFOLLOW | O_CLOEXEC)) < 0 ||
			 empty_directory(child, depth - 1) < 0 ||
			 unlinkat(dirfd(dir), name, AT_REMOVEDIR) < 0)
			r = -1;
	}
	closedir(dir);
	return r;
}

/* Deep enough for any runtime directory; deeper is left, and said. */
#define EXECENV_REMOVE_DEPTH_MAX 64

int execenv_remove_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (empty_directory(fd, EXECENV_REMOVE_DEPTH_MAX) < 0)
		return -1;
	return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
}

void execenv_remove_runtime(const struct unit *unit, const struct execenv_ctx *ctx,
			    const char *unit_name)
{
	char **names = unit->directories[UNIT_DIR_RUNTIME];

	for (size_t i = 0; names && names[i]; i++) {
		char *path;
		int fd;

		if (asprintf(&path, "%s/%s", ctx->roots[UNIT_DIR_RUNTIME],
			     names[i]) < 0)
			continue;
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 ? errno != ENOENT :
		    empty_directory(fd, EXECENV_REMOVE_DEPTH_MAX) < 0 ||
		    (rmdir(path) < 0 && errno != ENOENT))
			log_errno(LOG_LEVEL_WARNING, unit_name, errno,
				  "removing RuntimeDirectory= %s", path);
		free(path);
	}
}

static void set_output(struct spawn_fd *fd, enum unit_stdio how,
		       const char *path, struct logs_service *logs,
		       enum log_stream stream, int socket_fd)
{
	static const int file_flags[] = {
		[UNIT_STDIO_FILE] = O_WRONLY | O_CREAT,
		[UNIT_STDIO_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
		[UNIT_STDIO_TRUNCATE] = O_WRONLY | O_CREAT | O_TRUNC,
	};

	switch (how) {
	case UNIT_STDIO_INHERIT:
		*fd = (struct spawn_fd){ .source = SPAWN_FD_KEEP };
		return;
	case UNIT_STDIO_NULL:
		*fd = (struct spawn_fd){ .source = SPAWN_FD_NULL };
		return;
	case UNIT_STDIO_SOCKET:
		*fd = (struct spawn_fd){ .source = SPAWN_FD_GIVEN, .fd = socket_fd };
		return;
	case UNIT_STDIO_TTY:
		*fd = (struct spawn_fd){ .source = SPAWN_FD_TTY };
		return;
	case UNIT_STDIO_FILE:
	case UNIT_STDIO_APPEND:
	case UNIT_STDIO_TRUNCATE:
		*fd = (struct spawn_fd){ .source = SPAWN_FD_OPEN, .path = path,
					 .flags = file_flags[how] };
		return;
	default:
		break;
	}
	*fd = (struct spawn_fd){ .source = SPAWN_FD_GIVEN,
				 .fd = logs_service_pipe(logs, stream) };
	if (fd->fd < 0) {
		/* Better svd's own stream than nothing: the lines are kept. */
		log_errno(LOG_LEVEL_ERROR, logs->name, errno, "making its %s pipe; "
			  "it writes to svd's own", log_stream_name(stream));
		*fd = (struct spawn_fd){ .source = SPAWN_FD_KEEP };
	}
}

static bool tty_input(const struct unit *unit)
{
	return unit->std_input == UNIT_STDIO_TTY ||
	       unit->std_input == UNIT_STDIO_TTY_FORCE ||
	       unit->std_input == UNIT_STDIO_TTY_FAIL;
}

/* /dev/ttyN, a virtual console: N; else -1. */
static int vt_number(const char *path)
{
	char *end;
	long n;

	if (strncmp(path, "/dev/tty", 8) != 0 || path[8] < '1' || path[8] > '9')
		return -1;
	n = strtol(path + 8, &end, 10);
	return *end || n > 63 ? -1 : (int)n;
}

void execenv_tty(const struct unit *unit, struct spawn_tty *tty)
{
	static const enum spawn_tty_take take[] = {
		[UNIT_STDIO_TTY] = SPAWN_TTY_WAIT,
		[UNIT_STDIO_TTY_FORCE] = SPAWN_TTY_FORCE,
		[UNIT_STDIO_TTY_FAIL] = SPAWN_TTY_FAIL,
	};

	*tty = (struct spawn_tty){ .vt = -1, .rows = -1, .columns = -1 };
	if (!unit_uses_tty(unit))
		return;
	tty->path = unit_tty_path(unit);
	tty->take = tty_input(unit) ? take[unit->std_input] : SPAWN_TTY_OUTPUT_ONLY;
	tty->reset = unit->tty_reset;
	tty->vhangup = unit->tty_vhangup;
	tty->vt = unit->tty_vt_disallocate ? vt_number(tty->path) : -1;
	tty->rows = unit->tty_rows;
	tty->columns = unit->tty_columns;
}

static bool goes_to_log(enum unit_stdio how)
{
	return how == UNIT_STDIO_DEFAULT || how == UNIT_STDIO_LOG ||
	       how == UNIT_STDIO_LOG_CONSOLE;
}

void execenv_stdio(const struct unit *unit, struct logs_service *logs,
		   int socket_fd, struct spawn_fd stdio[3])
{
	enum unit_stdio out = unit->std_output, err = unit->std_error;

	if (unit->std_input == UNIT_STDIO_FILE)
		stdio[0] = (struct spawn_fd){ .source = SPAWN_FD_OPEN,
					      .path = unit->std_input_path,
					      .flags = O_RDONLY };
	else if (unit->std_input == UNIT_STDIO_SOCKET)
		stdio[0] = (struct spawn_fd){ .source = SPAWN_FD_GIVEN,
					      .fd = socket_fd };
	else if (tty_input(unit))
		stdio[0] = (struct spawn_fd){ .source = SPAWN_FD_TTY };
	else
		stdio[0] = (struct spawn_fd){ .source = SPAWN_FD_NULL };
	/* A socket or a terminal is both ways: output inherits it unless
	 * told otherwise (systemd's service_fix_stdio()). */
	if (unit->std_input == UNIT_STDIO_SOCKET &&
	    (out == UNIT_STDIO_DEFAULT || out == UNIT_STDIO_INHERIT))
		out = UNIT_STDIO_SOCKET;
	if (tty_input(unit) &&
	    (out == UNIT_STDIO_DEFAULT || out == UNIT_STDIO_INHERIT))
		out = UNIT_STDIO_TTY;
	set_output(&stdio[1], out, unit->std_output_path, logs,
		   LOG_STREAM_STDOUT, socket_fd);
	/* stderr goes where stdout goes unless told otherwise, as systemd:
	 * to svd's log through stdout's pipe, one stream, so that lines keep
	 * the order the program wrote them in (two pipes would let svd read
	 * a later stderr line first). */
	if ((err == UNIT_STDIO_DEFAULT || err == UNIT_STDIO_INHERIT) &&
	    goes_to_log(out) && stdio[1].source == SPAWN_FD_GIVEN) {
		stdio[2] = (struct spawn_fd){ .source = SPAWN_FD_LIKE_STDOUT };
		return;
	}
	if (err == UNIT_STDIO_DEFAULT || err == UNIT_STDIO_INHERIT)
		err = goes_to_log(out) ? UNIT_STDIO_LOG : out;
	if (err == out && !goes_to_log(out) && out != UNIT_STDIO_INHERIT &&
	    (!unit->std_error_path || !unit->std_output_path ||
	     strcmp(unit->std_error_path, unit->std_output_path) == 0)) {
		stdio[2] = (struct spawn_fd){ .source = SPAWN_FD_LIKE_STDOUT };
		return;
	}
	set_output(&stdio[2], err, unit->std_error_path ? unit->std_error_path :
		   unit->std_output_path, logs, LOG_STREAM_STDERR, socket_fd);
}
