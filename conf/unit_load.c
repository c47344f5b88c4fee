/* unit_load: unit_load_file(): names, drop-ins and the final checks. */
#include "unit.h"
#include "names.h"
#include "parser.h"
#include "sandbox_fs.h"
#include "syscall_filter.h"
#include "strv.h"

#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The unit's name from its file name and the instance asked for. */
static char *unit_name_for(struct unit_parser *p, const char *base,
			   const char *instance)
{
	bool template = unit_name_is_template(base);
	char *name = NULL, *prefix;

	if (instance && *instance && !template) {
		parser_diag(p, UNIT_DIAG_ERROR, "not a template, so it takes "
			    "no instance (\"%s\")", instance);
		return NULL;
	}
	if (!template || !instance || !*instance) {
		name = strdup(base);
	} else if ((prefix = names_prefix(base))) {
		if (asprintf(&name, "%s@%s%s", prefix, instance,
			     names_suffix(base)) < 0)
			name = NULL;
		free(prefix);
	}
	if (!name) {
		parser_nomem(p);
		return NULL;
	}
	if (!names_valid(name)) {
		parser_diag(p, UNIT_DIAG_ERROR, "\"%s\": invalid instance name",
			    instance);
		free(name);
		return NULL;
	}
	return name;
}

/* Names the unit and fills in the specifier fields that depend on it. */
static int parser_init(struct unit_parser *p, const char *path,
		       const char *instance)
{
	const char *base = base_name(path);
	struct unit *u;
	char *tmpl = NULL, *inst = NULL;

	p->file = path;
	if (!names_valid(base)) {
		parser_diag(p, UNIT_DIAG_ERROR, "\"%s\" is not a valid unit "
			    "name (NAME.service, NAME@.service, NAME.socket, "
			    "NAME.target)",
			    base);
		return -1;
	}
	p->unit = u = unit_new();
	if (!u || !(u->path = strdup(path)))
		return parser_nomem(p);
	unit_name_kind(base, &u->kind);
	if (p->ctx->default_timeout_start_usec)
		u->timeout_start_usec = p->ctx->default_timeout_start_usec;
	if (p->ctx->default_timeout_stop_usec)
		u->timeout_stop_usec = p->ctx->default_timeout_stop_usec;
	/* A socket is "started" once it listens: nothing runs meanwhile,
	 * and it stays active, like a oneshot that remains. */
	if (u->kind == UNIT_KIND_SOCKET) {
		if (!(u->socket = unit_socket_new()))
			return parser_nomem(p);
		u->type = UNIT_TYPE_ONESHOT;
		u->remain_after_exit = true;
	}
	/* A target runs nothing and stays active once reached, as the
	 * targets svd makes up: no start timeout, and no start limit
	 * unless the file sets one. */
	if (u->kind == UNIT_KIND_TARGET) {
		u->type = UNIT_TYPE_ONESHOT;
		u->remain_after_exit = true;
		u->timeout_start_usec = USEC_INFINITY;
		u->start_limit_burst = 0;
	}
	u->name = unit_name_for(p, base, instance);
	if (!u->name)
		return -1;
	p->prefix = names_prefix(u->name);
	if (!p->prefix)
		return parser_nomem(p);
	p->spec = p->ctx->spec;
	p->spec.unit_name = u->name;
	p->spec.prefix = p->prefix;
	p->spec.instance = "";
	p->spec.fragment = u->path;
	if (unit_name_split_instance(u->name, &tmpl, &inst)) {
		free(tmpl);
		p->instance = inst;
		p->spec.instance = inst;
	}
	return 0;
}

struct dropin {
	char *name;	/* "override.conf": the sort key */
	char *path;
};

static void dropins_free(struct dropin *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].path);
	}
	free(list);
}

/* Adds dir/name, or replaces a same-named drop-in of an earlier (less
 * specific) directory, as systemd does for foo@.service.d/ and
 * foo@bar.service.d/. */
static int dropin_add(struct dropin **list, size_t *n, const char *dir,
		      const char *name)
{
	struct dropin *grown, d = { NULL, NULL };
	size_t i;

	if (asprintf(&d.path, "%s/%s", dir, name) < 0)
		return -1;
	for (i = 0; i < *n && strcmp((*list)[i].name, name) != 0; i++)
		;
	if (i < *n) {
		free((*list)[i].path);
		(*list)[i].path = d.path;
		return 0;
	}
	d.name = strdup(name);
	grown = d.name ? realloc(*list, (*n + 1) * sizeof(*grown)) : NULL;
	if (!grown) {
		free(d.name);
		free(d.path);
		return -1;
	}
	grown[(*n)++] = d;
	*list = grown;
	return 0;
}

static bool dropin_wanted(const char *dir, const char *name)
{
	size_t len = strlen(name);
	struct stat st;
	char *path;
	bool ok;

	if (name[0] == '.' || len <= 5 || strcmp(name + len - 5, ".conf") != 0)
		return false;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return true;	/* let dropin_add() meet the ENOMEM */
	/* A link to /dev/null masks a drop-in: only regular files count. */
	ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return ok;
}

static int dropins_scan(struct unit_parser *p, const char *dir,
			struct dropin **list, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		p->file = dir;
		parser_diag(p, UNIT_DIAG_ERROR, "%s", strerror(errno));
		return -1;
	}
	while (r == 0 && (e = readdir(d)))
		if (dropin_wanted(dir, e->d_name) &&
		    dropin_add(list, n, dir, e->d_name) < 0)
			r = parser_nomem(p);
	closedir(d);
	return r;
}

static int dropin_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name,
		      ((const struct dropin *)b)->name);
}

/* Scans "<dir of the unit file>/<name>.d/". */
static int dropins_scan_for(struct unit_parser *p, const char *name,
			    struct dropin **list, size_t *n)
{
	const char *path = p->unit->path;
	int dir_len = (int)(base_name(path) - path);
	char *dir;
	int r;

	if (asprintf(&dir, "%.*s%s.d", dir_len, path, name) < 0)
		return parser_nomem(p);
	r = dropins_scan(p, dir, list, n);
	free(dir);
	return r;
}

/* Parses the drop-ins found (unless r says the scan failed) in the
 * lexical order of their file names; frees the list. */
static int dropins_parse(struct unit_parser *p, struct dropin *list, size_t n,
			 int r)
{
	if (r == 0 && n > 0)
		qsort(list, n, sizeof(*list), dropin_cmp);
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (strv_push(&p->unit->dropin_paths, list[i].path) < 0)
			r = parser_nomem(p);
		else
			parser_parse_file(p, list[i].path);
	}
	dropins_free(list, n);
	return r;
}

/* Drop-ins of the template (for an instance), then of the unit itself,
 * applied in the lexical order of their file names. */
static int dropins_apply(struct unit_parser *p)
{
	struct unit *u = p->unit;
	struct dropin *list = NULL;
	char *tmpl, *inst;
	size_t n = 0;
	int r = 0;

	if (unit_name_split_instance(u->name, &tmpl, &inst)) {
		r = dropins_scan_for(p, tmpl, &list, &n);
		free(tmpl);
		free(inst);
	}
	if (r == 0)
		r = dropins_scan_for(p, u->name, &list, &n);
	return dropins_parse(p, list, n, r);
}

/* What is missing when there is no ExecStart=, in systemd's words. */
static void verify_no_exec_start(struct unit_parser *p)
{
	struct unit *u = p->unit;

	if (!p->has_exec_stop && !p->has_success_action)
		parser_diag(p, UNIT_DIAG_ERROR, "Service has no ExecStart=, "
			    "ExecStop=, or SuccessAction=. Refusing.");
	else if (u->type != UNIT_TYPE_ONESHOT)
		parser_diag(p, UNIT_DIAG_ERROR, "Service has no ExecStart= "
			    "setting, which is only allowed for Type=oneshot "
			    "services. Refusing.");
	else if (!u->remain_after_exit && !p->has_success_action)
		parser_diag(p, UNIT_DIAG_ERROR, "Service has no ExecStart= and "
			    "no SuccessAction= settings and does not have "
			    "RemainAfterExit=yes set. Refusing.");
}

/* systemd's socket_verify(), in its words where it has them. */
static void verify_socket(struct unit_parser *p)
{
	struct unit_socket *s = p->unit->socket;
	bool accepting = s->n_listen > 0;

	if (s->n_listen == 0)
		parser_diag(p, UNIT_DIAG_ERROR, "Unit has no Listen setting "
			    "(ListenStream=, ListenDatagram=, ListenFIFO=, ...). "
			    "Refusing.");
	for (size_t i = 0; i < s->n_listen; i++)
		if (s->listen[i].type == UNIT_LISTEN_DATAGRAM ||
		    s->listen[i].type == UNIT_LISTEN_FIFO)
			accepting = false;
	if (s->accept && !accepting && s->n_listen > 0)
		parser_diag(p, UNIT_DIAG_ERROR, "Unit configured for accepting "
			    "sockets, but sockets are non-accepting. Refusing.");
	if (s->accept && s->service)
		parser_diag(p, UNIT_DIAG_ERROR, "Explicit service configuration "
			    "for accepting socket units not supported. Refusing.");
	if (!s->trigger_limit_burst_set)
		s->trigger_limit_burst = s->accept ?
			UNIT_DEFAULT_TRIGGER_LIMIT_BURST_ACCEPT :
			UNIT_DEFAULT_TRIGGER_LIMIT_BURST;
}

/* What other keys imply, as systemd's unit_patch_contexts(): after the
 * last file, so that a drop-in's "no" undoes them. */
/* The system calls systemd's file-system keys also deny (EPERM), as its
 * exec_child() adds them: the mounts and capabilities are the sandbox
 * module's, these filters the seccomp module's. */
static int imply_syscall_denies(struct unit *u)
{
	static const struct {
		size_t offset;
		enum syscall_key key;
		const char *names;
	} implied[] = {
		{ offsetof(struct unit_sandbox_fs, protect_kernel_tunables),
		  SYSCALL_KEY_PROTECT_KERNEL_TUNABLES, "_sysctl" },
		{ offsetof(struct unit_sandbox_fs, protect_kernel_modules),
		  SYSCALL_KEY_PROTECT_KERNEL_MODULES, "@module" },
		{ offsetof(struct unit_sandbox_fs, protect_kernel_logs),
		  SYSCALL_KEY_PROTECT_KERNEL_LOGS, "syslog" },
		{ offsetof(struct unit_sandbox_fs, protect_clock),
		  SYSCALL_KEY_PROTECT_CLOCK, "@clock" },
		{ offsetof(struct unit_sandbox_fs, private_devices),
		  SYSCALL_KEY_PRIVATE_DEVICES, "@raw-io" },
		{ offsetof(struct unit_sandbox_fs, protect_hostname),
		  SYSCALL_KEY_PROTECT_HOSTNAME, "sethostname setdomainname" },
	};
	const struct unit_sandbox_fs *s = u->fs_sandbox;

	for (size_t i = 0; s && i < sizeof(implied) / sizeof(implied[0]); i++)
		if (*(const bool *)((const char *)s + implied[i].offset) &&
		    syscall_sandbox_deny(&u->syscall_sandbox, implied[i].key,
					 implied[i].names, EPERM) < 0)
			return -1;
	return 0;
}

static void imply_sandbox(struct unit_parser *p)
{
	struct unit *u = p->unit;

	if (imply_syscall_denies(u) < 0) {
		parser_nomem(p);
		return;
	}

	/* A dynamic user must not leave its uid on files or IPC objects that
	 * outlive it, nor gain or make set-user-ID programs. */
	if (u->dynamic_user) {
		if (!u->syscall_sandbox && !(u->syscall_sandbox = syscall_sandbox_new())) {
			parser_nomem(p);
			return;
		}
		u->syscall_sandbox->restrict_suid_sgid = true;
		if (!u->fs_sandbox && !(u->fs_sandbox = calloc(1, sizeof(*u->fs_sandbox)))) {
			parser_nomem(p);
			return;
		}
		u->fs_sandbox->protect_system = SANDBOX_SYSTEM_STRICT;
		if (u->fs_sandbox->protect_home == SANDBOX_HOME_NO)
			u->fs_sandbox->protect_home = SANDBOX_HOME_READ_ONLY;
		if (u->fs_sandbox->private_tmp == SANDBOX_TMP_NO)
			u->fs_sandbox->private_tmp = SANDBOX_TMP_YES;
	}
}

/* systemd's service_add_extras() and service_verify(), after the last
 * file: Type= may come after ExecStart= or from a drop-in. */
static void verify(struct unit_parser *p)
{
	struct unit *u = p->unit;

	p->file = u->path;
	p->line = 0;
	if (u->kind == UNIT_KIND_SOCKET) {
		verify_socket(p);
		return;
	}
	if (u->kind != UNIT_KIND_SERVICE)
		return;	/* a target: only [Unit] and [Install] */
	if (!p->type_set && p->has_bus_name)
		u->type = UNIT_TYPE_DBUS;
	else if (!p->type_set && u->n_exec_start == 0)
		u->type = UNIT_TYPE_ONESHOT;
	if (u->n_exec_start == 0)
		verify_no_exec_start(p);
	if (u->n_exec_start > 1 && u->type != UNIT_TYPE_ONESHOT) {
		p->file = p->exec_start_file;
		p->line = p->exec_start_line;
		parser_diag(p, UNIT_DIAG_ERROR, "ExecStart=: more than one "
			    "command, which only Type=oneshot allows");
		p->file = u->path;
		p->line = 0;
	}
	if (u->type == UNIT_TYPE_ONESHOT && (u->restart == UNIT_RESTART_ALWAYS ||
	    u->restart == UNIT_RESTART_ON_SUCCESS))
		parser_diag(p, UNIT_DIAG_ERROR, "Restart=%s is not allowed for "
			    "Type=oneshot", unit_restart_name(u->restart));
	if (u->type == UNIT_TYPE_DBUS && !p->has_bus_name)
		parser_diag(p, UNIT_DIAG_ERROR, "Type=dbus needs a BusName=");
	/* As systemd: a notify service's main process may notify unless
	 * NotifyAccess= says otherwise; other types may if it says so. */
	if ((u->type == UNIT_TYPE_NOTIFY || u->type == UNIT_TYPE_NOTIFY_RELOAD) &&
	    !u->notify_access_set)
		u->notify_access = UNIT_NOTIFY_MAIN;
	if (u->watchdog_usec && !u->notify_access_set &&
	    u->notify_access == UNIT_NOTIFY_NONE)
		u->notify_access = UNIT_NOTIFY_MAIN;
	/* Oneshot services have no start timeout unless one is set. */
	if (u->type == UNIT_TYPE_ONESHOT && !p->timeout_start_set)
		u->timeout_start_usec = USEC_INFINITY;
	imply_sandbox(p);
}

static void parser_done(struct unit_parser *p)
{
	if (p->unit)
		p->unit->environment = envmap_take(&p->environment);
	envmap_free(&p->environment);
	free(p->prefix);
	free(p->instance);
	free(p->exec_start_file);
}

int unit_apply_dropins(const struct unit_load_ctx *ctx, struct unit *unit)
{
	struct unit_parser p = { .ctx = ctx, .file = unit->name, .unit = unit };
	struct dropin *list = NULL;
	size_t n = 0;
	int r = 0;

	p.prefix = names_prefix(unit->name);
	if (!p.prefix)
		return -1;
	p.spec = ctx->spec;
	p.spec.unit_name = unit->name;
	p.spec.prefix = p.prefix;
	p.spec.instance = "";
	p.spec.fragment = NULL;	/* made by svd: no file for %y */
	/* The last directory first: a same-named drop-in of an earlier,
	 * more important one replaces it. */
	for (size_t i = ctx->n_dirs; r == 0 && i-- > 0;) {
		char *dir;

		if (asprintf(&dir, "%s/%s.d", ctx->dirs[i], unit->name) < 0) {
			r = parser_nomem(&p);
			break;
		}
		r = dropins_scan(&p, dir, &list, &n);
		free(dir);
	}
	r = dropins_parse(&p, list, n, r);
	parser_done(&p);
	return r < 0 || p.n_errors ? -1 : 0;
}

int unit_load_file(const struct unit_load_ctx *ctx, const char *path,
		   const char *instance, struct unit **out)
{
	struct unit_parser p = { .ctx = ctx, .file = path };

	if (parser_init(&p, path, instance) == 0 &&
	    parser_parse_file(&p, path) == 0 && dropins_apply(&p) == 0)
		verify(&p);
	parser_done(&p);
	if (p.n_errors || !p.unit) {
		unit_free(p.unit);
		return -1;
	}
	*out = p.unit;
	return 0;
}
