#include "settings.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sbuf.h"
#include "strv.h"
#include "value.h"

static const char *const default_roots[UNIT_DIR_COUNT] = {
	[UNIT_DIR_RUNTIME] = "/run",
	[UNIT_DIR_STATE] = "/var/lib",
	[UNIT_DIR_CACHE] = "/var/cache",
	[UNIT_DIR_LOGS] = "/var/log",
	[UNIT_DIR_CONFIGURATION] = "/etc",
};

static const char *const root_keys[UNIT_DIR_COUNT] = {
	[UNIT_DIR_RUNTIME] = "Runtime",
	[UNIT_DIR_STATE] = "State",
	[UNIT_DIR_CACHE] = "Cache",
	[UNIT_DIR_LOGS] = "Logs",
	[UNIT_DIR_CONFIGURATION] = "Configuration",
};

int settings_init(struct settings *s)
{
	*s = (struct settings){
		.log_console = SETTINGS_AUTO,
		.log_files = SETTINGS_AUTO,
		.log_max_file_bytes = 1024 * 1024,
		.log_max_files = 5,
		.log_ring_bytes = 64 * 1024,
		.stop_timeout_usec = SETTINGS_UNSET,
		.kill_grace_usec = SETTINGS_UNSET,
		.syslog_socket = SETTINGS_AUTO,
		.forward_to_syslog = SETTINGS_ON,
		.tmpfiles_at_start = SETTINGS_AUTO,
		.control_socket_mode = -1,
		.power_key = SETTINGS_AUTO,
	};
	for (int d = 0; d < UNIT_DIR_COUNT; d++)
		if (!(s->directory_roots[d] = strdup(default_roots[d]))) {
			settings_free(s);
			errno = ENOMEM;
			return -1;
		}
	return 0;
}

void settings_free(struct settings *s)
{
	free(s->syslog_socket_path);
	free(s->forward_to_syslog_path);
	s->syslog_socket_path = s->forward_to_syslog_path = NULL;
	for (int d = 0; d < UNIT_DIR_COUNT; d++) {
		free(s->directory_roots[d]);
		s->directory_roots[d] = NULL;
	}
	strv_free(s->tmpfiles_dirs);
	s->tmpfiles_dirs = NULL;
	free(s->tmpfiles_root);
	s->tmpfiles_root = NULL;
	free(s->cgroup_root);
	s->cgroup_root = NULL;
	free(s->control_socket_group);
	free(s->control_manage_group);
	s->control_socket_group = s->control_manage_group = NULL;
	strv_free(s->control_manage_users);
	s->control_manage_users = NULL;
}

/* What the inih callbacks share: the file being read and its line. */
struct settings_reader {
	struct settings *s;
	const char *path;
	FILE *file;
	unsigned line;
	bool line_too_long;
	settings_diag_fn *diag;
	void *ctx;
};

/* Said when a message could not be built: the file is still named. */
static void diag_nomem(const struct settings_reader *r)
{
	r->diag(r->ctx, "svd.conf: a message about it was lost: out of memory");
}

/* "PATH:LINE: message", whole: the path and a value are only limited by
 * the file system and inih's line length, never cut here. */
__attribute__((format(printf, 2, 3)))
static void diag(struct settings_reader *r, const char *fmt, ...)
{
	struct sbuf message = SBUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sbuf_addf(&message, "%s:%u: ", r->path, r->line);
	if (rc == 0)
		rc = sbuf_vaddf(&message, fmt, ap);
	va_end(ap);
	if (rc == 0)
		r->diag(r->ctx, message.s);
	else
		diag_nomem(r);
	sbuf_free(&message);
}

/* Blank, a comment, a [section] or a KEY=VALUE (inih also takes ':'). */
static bool line_is_usable(const char *line)
{
	line += strspn(line, " \t");
	return strchr("#;[\n\r", *line) || strpbrk(line, "=:");
}

/* inih's reader: counts lines so messages can name them. */
static char *read_line(char *buf, int size, void *stream)
{
	struct settings_reader *r = stream;
	size_t len;

	if (!fgets(buf, size, r->file))
		return NULL;
	r->line++;
	len = strlen(buf);
	if (len == (size_t)size - 1 && buf[len - 1] != '\n' && !feof(r->file)) {
		int c;

		while ((c = fgetc(r->file)) != EOF && c != '\n')
			;
		diag(r, "line longer than %d bytes, ignored", size - 2);
		buf[0] = '\n';	/* served as blank */
		buf[1] = '\0';
	} else if (!line_is_usable(buf)) {
		/* inih would only say where the first such line was. */
		diag(r, "expected KEY=VALUE or [Section]; ignored");
		buf[0] = '\n';
		buf[1] = '\0';
	}
	return buf;
}

static void set_switch(struct settings_reader *r, const char *key,
		       const char *value, enum settings_switch *field)
{
	bool on;

	if (value_parse_bool(value, &on) < 0)
		diag(r, "%s=%s: expected yes or no, ignored", key, value);
	else
		*field = on ? SETTINGS_ON : SETTINGS_OFF;
}

/* A switch whose default depends on the mode: empty gives it back. */
static void set_switch_or_auto(struct settings_reader *r, const char *key,
			       const char *value, enum settings_switch *field)
{
	if (*value == '\0')
		*field = SETTINGS_AUTO;
	else
		set_switch(r, key, value, field);
}

static void set_size(struct settings_reader *r, const char *key,
		     const char *value, size_t *field, size_t min, size_t max)
{
	uint64_t bytes;

	if (value_parse_size(value, &bytes) < 0 || bytes < min || bytes > max)
		diag(r, "%s=%s: expected a size from %zu to %zu bytes (K, M, "
		     "G suffixes), ignored", key, value, min, max);
	else
		*field = (size_t)bytes;
}

static void set_count(struct settings_reader *r, const char *key,
		      const char *value, unsigned *field, unsigned max)
{
	char *end;
	unsigned long n = strtoul(value, &end, 10);

	if (*value < '1' || *value > '9' || *end || n > max)
		diag(r, "%s=%s: expected a number from 1 to %u, ignored", key,
		     value, max);
	else
		*field = (unsigned)n;
}

static void set_log(struct settings_reader *r, const char *key, const char *value)
{
	struct settings *s = r->s;

	if (strcasecmp(key, "Console") == 0)
		set_switch(r, key, value, &s->log_console);
	else if (strcasecmp(key, "Files") == 0)
		set_switch(r, key, value, &s->log_files);
	else if (strcasecmp(key, "MaxFileSize") == 0)
		set_size(r, key, value, &s->log_max_file_bytes,
			 SETTINGS_FILE_MIN_BYTES, SETTINGS_FILE_MAX_BYTES);
	else if (strcasecmp(key, "RingSize") == 0)
		set_size(r, key, value, &s->log_ring_bytes,
			 SETTINGS_RING_MIN_BYTES, SETTINGS_RING_MAX_BYTES);
	else if (strcasecmp(key, "MaxFiles") == 0)
		set_count(r, key, value, &s->log_max_files,
			  SETTINGS_MAX_FILES_MAX);
	else
		diag(r, "[Log] %s: unknown key, ignored", key);
}

static int set_root(struct settings_reader *r, const char *key,
		    const char *value)
{
	for (int d = 0; d < UNIT_DIR_COUNT; d++) {
		char *copy;

		if (strcasecmp(key, root_keys[d]) != 0)
			continue;
		if (value[0] != '/') {
			diag(r, "%s=%s: expected an absolute path, ignored",
			     key, value);
			return 0;
		}
		if (!(copy = strdup(value)))
			return 0;	/* inih stops at 0: out of memory */
		free(r->s->directory_roots[d]);
		r->s->directory_roots[d] = copy;
		return 1;
	}
	diag(r, "[Directories] %s: unknown key, ignored", key);
	return 1;
}

static void set_timespan(struct settings_reader *r, const char *key,
			 const char *value, uint64_t *field)
{
	uint64_t usec;

	if (value_parse_timespan(value, &usec) < 0 || usec == USEC_INFINITY)
		diag(r, "%s=%s: expected a time span such as 10s or 500ms, "
		     "ignored", key, value);
	else
		*field = usec;
}

/* A unit's timeout as TimeoutStopSec= reads it: "infinity" and 0 wait
 * forever. */
static void set_unit_timeout(struct settings_reader *r, const char *key,
			     const char *value, uint64_t *field)
{
	uint64_t usec;

	if (value_parse_timespan(value, &usec) < 0)
		diag(r, "%s=%s: expected a time span such as 90s or infinity, "
		     "ignored", key, value);
	else
		*field = usec == 0 ? USEC_INFINITY : usec;
}

/* yes, no, an absolute path (on, there), or empty (the default).
 * Returns 0 only when out of memory. */
static int set_socket(struct settings_reader *r, const char *key,
		      const char *value, enum settings_switch *field,
		      char **path, enum settings_switch empty)
{
	char *copy = NULL;
	bool on;

	if (value[0] == '/') {
		if (!(copy = strdup(value)))
			return 0;
		*field = SETTINGS_ON;
	} else if (value[0] == '\0') {
		*field = empty;
	} else if (value_parse_bool(value, &on) == 0) {
		*field = on ? SETTINGS_ON : SETTINGS_OFF;
	} else {
		diag(r, "%s=%s: expected yes, no or an absolute path, ignored",
		     key, value);
		return 1;
	}
	free(*path);
	*path = copy;
	return 1;
}

/* Absolute paths separated by blanks; empty for the defaults. Returns 0
 * when out of memory (inih then stops). */
static int set_tmpfiles_dirs(struct settings_reader *r, const char *key,
			     const char *value)
{
	char **dirs = NULL;

	for (const char *p = value + strspn(value, " \t"); *p;
	     p += strspn(p, " \t")) {
		size_t len = strcspn(p, " \t");
		char *dir = strndup(p, len);

		if (!dir || strv_push_take(&dirs, dir) < 0) {
			strv_free(dirs);
			return 0;
		}
		if (dir[0] != '/') {
			diag(r, "%s=%s: %s is not an absolute path, ignored",
			     key, value, dir);
			strv_free(dirs);
			return 1;
		}
		p += len;
	}
	strv_free(r->s->tmpfiles_dirs);
	r->s->tmpfiles_dirs = dirs;
	return 1;
}

static int set_tmpfiles_root(struct settings_reader *r, const char *key,
			     const char *value)
{
	char *copy;

	if (value[0] != '/') {
		diag(r, "%s=%s: expected an absolute path, ignored", key, value);
		return 1;
	}
	if (!(copy = strdup(value)))
		return 0;
	free(r->s->tmpfiles_root);
	r->s->tmpfiles_root = copy;
	return 1;
}

static int set_cgroup_root(struct settings_reader *r, const char *key,
			   const char *value)
{
	char *copy = NULL;

	if (value[0] && value[0] != '/' && strcmp(value, "no") != 0) {
		diag(r, "%s=%s: expected an absolute path or no, ignored", key,
		     value);
		return 1;
	}
	if (value[0] && !(copy = strdup(value)))
		return 0;
	free(r->s->cgroup_root);
	r->s->cgroup_root = copy;
	return 1;
}

static void set_tasks_max(struct settings_reader *r, const char *key,
			  const char *value)
{
	struct resource_amount amount = { RESOURCE_UNSET, 0 };

	if (value[0] && resource_parse_tasks(value, &amount) < 0)
		diag(r, "%s=%s: expected a count, a percentage or infinity, "
		     "ignored", key, value);
	else
		r->s->default_tasks_max = amount;
}

static void set_sandbox_fallback(struct settings_reader *r, const char *key,
				 const char *value)
{
	if (strcmp(value, "fail") == 0 || !value[0])
		r->s->sandbox_fallback = SETTINGS_SANDBOX_FAIL;
	else if (strcmp(value, "warn") == 0)
		r->s->sandbox_fallback = SETTINGS_SANDBOX_WARN;
	else
		diag(r, "%s=%s: expected fail or warn, ignored", key, value);
}

static int set_manager(struct settings_reader *r, const char *key,
		       const char *value)
{
	if (strcasecmp(key, "SandboxFallback") == 0)
		set_sandbox_fallback(r, key, value);
	else if (strcasecmp(key, "CgroupRoot") == 0)
		return set_cgroup_root(r, key, value);
	else if (strcasecmp(key, "DefaultTasksMax") == 0)
		set_tasks_max(r, key, value);
	else if (strcasecmp(key, "TmpfilesAtStart") == 0)
		set_switch(r, key, value, &r->s->tmpfiles_at_start);
	else if (strcasecmp(key, "PowerKey") == 0)
		set_switch_or_auto(r, key, value, &r->s->power_key);
	else if (strcasecmp(key, "TmpfilesDirectories") == 0)
		return set_tmpfiles_dirs(r, key, value);
	else if (strcasecmp(key, "TmpfilesRoot") == 0)
		return set_tmpfiles_root(r, key, value);
	else if (strcasecmp(key, "StopTimeoutSec") == 0)
		set_timespan(r, key, value, &r->s->stop_timeout_usec);
	else if (strcasecmp(key, "KillGraceSec") == 0)
		set_timespan(r, key, value, &r->s->kill_grace_usec);
	else if (strcasecmp(key, "DefaultTimeoutStartSec") == 0)
		set_unit_timeout(r, key, value, &r->s->default_timeout_start_usec);
	else if (strcasecmp(key, "DefaultTimeoutStopSec") == 0)
		set_unit_timeout(r, key, value, &r->s->default_timeout_stop_usec);
	else if (strcasecmp(key, "SyslogSocket") == 0)
		return set_socket(r, key, value, &r->s->syslog_socket,
				  &r->s->syslog_socket_path, SETTINGS_AUTO);
	else if (strcasecmp(key, "ForwardToSyslog") == 0)
		return set_socket(r, key, value, &r->s->forward_to_syslog,
				  &r->s->forward_to_syslog_path, SETTINGS_ON);
	else
		diag(r, "[Manager] %s: unknown key, ignored", key);
	return 1;
}

static void set_socket_mode(struct settings_reader *r, const char *key,
			    const char *value)
{
	char *end;
	unsigned long mode = strtoul(value, &end, 8);

	if (value[0] == '\0')
		r->s->control_socket_mode = -1;
	else if (value[0] < '0' || value[0] > '7' || *end ||
		 mode > SETTINGS_SOCKET_MODE_MAX)
		diag(r, "%s=%s: expected an octal mode from 0 to %o such as "
		     "0660, ignored", key, value, SETTINGS_SOCKET_MODE_MAX);
	else
		r->s->control_socket_mode = (int)mode;
}

/* A user or group name, or a number; empty: none. Returns 0 only when
 * out of memory. */
static int set_name(struct settings_reader *r, const char *key,
		    const char *value, char **field)
{
	char *copy = NULL;

	if (value[strcspn(value, " \t:")]) {
		diag(r, "%s=%s: expected one group name or number, ignored",
		     key, value);
		return 1;
	}
	if (value[0] && !(copy = strdup(value)))
		return 0;
	free(*field);
	*field = copy;
	return 1;
}

/* Names or numbers separated by blanks; a repeated key appends, an empty
 * one resets (as a unit's list keys). Returns 0 when out of memory. */
static int set_names(struct settings_reader *r, const char *value,
		     char ***field)
{
	if (value[0] == '\0') {
		strv_free(*field);
		*field = NULL;
		return 1;
	}
	for (const char *p = value + strspn(value, " \t"); *p;
	     p += strspn(p, " \t")) {
		size_t len = strcspn(p, " \t");
		char *name = strndup(p, len);

		if (!name || strv_push_take(field, name) < 0)
			return 0;
		p += len;
	}
	return 1;
}

static int set_control(struct settings_reader *r, const char *key,
		       const char *value)
{
	if (strcasecmp(key, "SocketMode") == 0)
		set_socket_mode(r, key, value);
	else if (strcasecmp(key, "SocketGroup") == 0)
		return set_name(r, key, value, &r->s->control_socket_group);
	else if (strcasecmp(key, "ManageGroup") == 0)
		return set_name(r, key, value, &r->s->control_manage_group);
	else if (strcasecmp(key, "ManageUsers") == 0)
		return set_names(r, value, &r->s->control_manage_users);
	else
		diag(r, "[Control] %s: unknown key, ignored", key);
	return 1;
}

static int on_value(void *user, const char *section, const char *key,
		    const char *value)
{
	struct settings_reader *r = user;

	if (strcasecmp(section, "Manager") == 0)
		return set_manager(r, key, value);

	if (strcasecmp(section, "Log") == 0) {
		set_log(r, key, value);
		return 1;
	}
	if (strcasecmp(section, "Directories") == 0)
		return set_root(r, key, value);
	if (strcasecmp(section, "Control") == 0)
		return set_control(r, key, value);
	diag(r, "[%s] %s: unknown section or key, ignored", section, key);
	return 1;
}

int settings_load(struct settings *s, const char *path, settings_diag_fn *diag_fn,
		  void *ctx)
{
	struct settings_reader r = { .s = s, .path = path, .diag = diag_fn,
				     .ctx = ctx };
	int rc;

	r.file = fopen(path, "re");
	if (!r.file) {
		struct sbuf message = SBUF_INIT;

		if (errno == ENOENT)
			return 0;
		if (sbuf_addf(&message, "%s: %s; defaults used", path,
			      strerror(errno)) == 0)
			diag_fn(ctx, message.s);
		else
			diag_nomem(&r);
		sbuf_free(&message);
		return -1;
	}
	/* The handler says 0 only when out of memory; any other error is
	 * inih's own: a line it could not read as KEY=VALUE or [SECTION]. */
	rc = ini_parse_stream(read_line, &r, on_value, &r);
	if (rc > 0) {
		r.line = (unsigned)rc;
		diag(&r, "expected KEY=VALUE or [Section]; ignored");
	}
	fclose(r.file);
	return 0;
}
