/* sandbox: see sandbox.h. The unit's keys become entries (a path and
 * what happens there, as systemd's MountEntry), sorted so that a path
 * comes before what is below it, merged where two keys name one path,
 * then turned into the child's operations in three passes as systemd's
 * setup_namespace() does: what is mounted, then read-only or writable,
 * then noexec or exec. */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "log.h"
#include "sandbox_host.h"
#include "sandbox_ops.h"
#include "strv.h"


/* path under RootDirectory= for in_root, else as it is. */
static const char *rooted(struct sandbox_plan *p, const char *path, bool in_root)
{
	char *joined;

	if (!in_root || !p->root || strcmp(p->root, "/") == 0)
		return path;
	if (asprintf(&joined, "%s%s", p->root, strcmp(path, "/") ? path : "") < 0)
		return NULL;
	return sandbox_ops_keep(p, joined);
}

static struct sandbox_entry *add(struct sandbox_plan *p, const char *path, enum sandbox_mode mode,
			 enum sandbox_key key, bool optional, bool in_root)
{
	struct sandbox_entry *grown, *e;

	if (!(path = rooted(p, path, in_root)))
		return NULL;
	grown = realloc(p->entries, (p->n_entries + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	p->entries = grown;
	e = &p->entries[p->n_entries++];
	*e = (struct sandbox_entry){
		.path = path, .mode = mode, .key = (unsigned char)key,
		.optional = optional,
		.read_only = mode == M_INACCESSIBLE || mode == M_READ_ONLY ||
			     mode == M_PRIVATE_DEV,
		.noexec = mode == M_NOEXEC, .exec = mode == M_EXEC,
	};
	return e;
}

/* A table of built-in paths, "-" for those that may be missing. */
static int add_table(struct sandbox_plan *p, const char *const *paths, enum sandbox_mode mode,
		     enum sandbox_key key)
{
	for (; *paths; paths++) {
		bool optional = **paths == '-';

		if (!add(p, *paths + optional, mode, key, optional, true))
			return -1;
	}
	return 0;
}

/* systemd's tables (src/core/namespace.c). */
static const char *const system_yes[] = { "/usr", "-/boot", "-/efi", NULL };
static const char *const system_full[] = { "/usr", "-/boot", "-/efi", "/etc", NULL };
static const char *const strict_keep[] = { "/proc", "/sys", "/dev", "-/home",
					   "-/run/user", "-/root", NULL };
static const char *const home_paths[] = { "-/home", "-/run/user", "-/root", NULL };
static const char *const tunables_ro[] = {
	"-/proc/acpi", "-/proc/apm", "-/proc/asound", "-/proc/bus", "-/proc/fs",
	"-/proc/irq", "-/proc/latency_stats", "-/proc/mtrr", "-/proc/scsi",
	"-/proc/sys", "-/proc/sysrq-trigger", "-/proc/timer_list",
	"-/proc/timer_stats", "/sys", "-/sys/fs/bpf", "-/sys/kernel/debug",
	"-/sys/kernel/tracing", NULL,
};
static const char *const tunables_hidden[] = { "-/proc/kallsyms", "-/proc/kcore", NULL };
static const char *const tunables_keep[] = { "-/sys/fs/cgroup", "-/sys/fs/selinux", NULL };
static const char *const modules_hidden[] = { "-/lib/modules", "-/usr/lib/modules", NULL };
static const char *const logs_hidden[] = { "-/proc/kmsg", "-/dev/kmsg", NULL };

static int add_protect_system(struct sandbox_plan *p)
{
	switch (p->s->protect_system) {
	case SANDBOX_SYSTEM_YES:
		return add_table(p, system_yes, M_READ_ONLY, SANDBOX_PROTECT_SYSTEM);
	case SANDBOX_SYSTEM_FULL:
		return add_table(p, system_full, M_READ_ONLY, SANDBOX_PROTECT_SYSTEM);
	case SANDBOX_SYSTEM_STRICT:
		if (!add(p, "/", M_READ_ONLY, SANDBOX_PROTECT_SYSTEM, false, true))
			return -1;
		return add_table(p, strict_keep, M_KEEP, SANDBOX_PROTECT_SYSTEM);
	default:
		return 0;
	}
}

static int add_protect_home(struct sandbox_plan *p)
{
	static const enum sandbox_mode modes[] = {
		[SANDBOX_HOME_YES] = M_INACCESSIBLE,
		[SANDBOX_HOME_READ_ONLY] = M_READ_ONLY,
		[SANDBOX_HOME_TMPFS] = M_TMPFS,
	};
	size_t first = p->n_entries;

	if (!p->s->protect_home)
		return 0;
	if (add_table(p, home_paths, modes[p->s->protect_home], SANDBOX_PROTECT_HOME) < 0)
		return -1;
	for (size_t i = first; i < p->n_entries; i++) {
		if (p->entries[i].mode != M_TMPFS)
			continue;
		p->entries[i].read_only = true;
		p->entries[i].data = "mode=0755";
		p->entries[i].ms = MS_NODEV | MS_NOSUID | MS_STRICTATIME | MS_RDONLY;
	}
	return 0;
}

static int add_private_tmp(struct sandbox_plan *p, struct sandbox_runtime *rt)
{
	const char *dirs[2] = { "/tmp", "/var/tmp" };
	const char *sources[2] = { rt ? rt->tmp_dir : NULL, rt ? rt->var_tmp_dir : NULL };

	for (int i = 0; i < 2 && p->s->private_tmp; i++) {
		bool disconnected = p->s->private_tmp == SANDBOX_TMP_DISCONNECTED;
		struct sandbox_entry *e = add(p, dirs[i], disconnected ? M_TMPFS : M_PRIVATE_TMP,
				      SANDBOX_PRIVATE_TMP, false, true);

		if (!e)
			return -1;
		e->source = sources[i];
		e->data = "mode=1777";
		e->ms = MS_NODEV | MS_NOSUID | MS_STRICTATIME;
	}
	return 0;
}

static int add_user_paths(struct sandbox_plan *p)
{
	static const enum sandbox_mode modes[] = { M_READ_WRITE, M_READ_ONLY,
					   M_INACCESSIBLE, M_EXEC, M_NOEXEC };

	for (int which = 0; which < 5; which++) {
		const struct sandbox_paths *list = &p->s->paths[which];

		for (size_t i = 0; i < list->n; i++)
			if (!add(p, list->items[i].path, modes[which],
				 (enum sandbox_key)(SANDBOX_READ_WRITE_PATHS + which),
				 list->items[i].optional, list->items[i].in_root))
				return -1;
	}
	return 0;
}

static int add_binds(struct sandbox_plan *p)
{
	for (size_t i = 0; i < p->s->n_binds; i++) {
		const struct sandbox_bind *b = &p->s->binds[i];
		struct sandbox_entry *e = add(p, b->destination, M_BIND, b->read_only ?
				      SANDBOX_BIND_READ_ONLY_PATHS : SANDBOX_BIND_PATHS,
				      b->optional, true);

		if (!e)
			return -1;
		e->source = b->source;
		e->recursive = b->recursive;
		e->read_only = b->read_only;
	}
	return 0;
}

/* TemporaryFileSystem='s options: the flag words become MS_*, the rest
 * goes to tmpfs after systemd's default mode=0755. */
static int add_tmpfs(struct sandbox_plan *p)
{
	static const struct { const char *word; unsigned long set, clear; } words[] = {
		{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
		{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
		{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
		{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
	};

	for (size_t i = 0; i < p->s->n_tmpfs; i++) {
		const struct sandbox_tmpfs *t = &p->s->tmpfs[i];
		struct sandbox_entry *e = add(p, t->path, M_TMPFS, SANDBOX_TEMPORARY_FILE_SYSTEM,
				      false, true);
		const char *o = t->options ? t->options : "";
		char *data, *grown;

		if (!e || !(data = strdup("mode=0755")) || !sandbox_ops_keep(p, data))
			return -1;
		e->ms = MS_NODEV | MS_STRICTATIME;
		while (*o) {
			size_t len = strcspn(o, ","), w;

			for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
				if (strlen(words[w].word) == len &&
				    strncmp(o, words[w].word, len) == 0)
					break;
			if (w < sizeof(words) / sizeof(words[0])) {
				e->ms = (e->ms | words[w].set) & ~words[w].clear;
			} else if (len) {
				if (asprintf(&grown, "%s,%.*s", data, (int)len, o) < 0 ||
				    !sandbox_ops_keep(p, grown))
					return -1;
				data = grown;
			}
			o += len + (o[len] == ',');
		}
		e->data = data;
		e->read_only = e->ms & MS_RDONLY;
	}
	return 0;
}

static int add_kernel(struct sandbox_plan *p)
{
	const struct unit_sandbox_fs *s = p->s;

	if (s->protect_kernel_tunables &&
	    (add_table(p, tunables_ro, M_READ_ONLY, SANDBOX_PROTECT_KERNEL_TUNABLES) < 0 ||
	     add_table(p, tunables_hidden, M_INACCESSIBLE,
		       SANDBOX_PROTECT_KERNEL_TUNABLES) < 0 ||
	     add_table(p, tunables_keep, M_KEEP, SANDBOX_PROTECT_KERNEL_TUNABLES) < 0))
		return -1;
	if (s->protect_kernel_modules &&
	    add_table(p, modules_hidden, M_INACCESSIBLE, SANDBOX_PROTECT_KERNEL_MODULES) < 0)
		return -1;
	if (s->protect_kernel_logs &&
	    add_table(p, logs_hidden, M_INACCESSIBLE, SANDBOX_PROTECT_KERNEL_LOGS) < 0)
		return -1;
	if (s->protect_control_groups &&
	    !add(p, "/sys/fs/cgroup", M_READ_ONLY, SANDBOX_PROTECT_CONTROL_GROUPS,
		 false, true))
		return -1;
	return 0;
}

static int add_proc(struct sandbox_plan *p)
{
	static const char *const hidepid[] = {
		[SANDBOX_PROC_NOACCESS] = "hidepid=noaccess",
		[SANDBOX_PROC_INVISIBLE] = "hidepid=invisible",
		[SANDBOX_PROC_PTRACEABLE] = "hidepid=ptraceable",
	};
	const struct unit_sandbox_fs *s = p->s;
	struct sandbox_entry *e;
	char *data;

	if (!s->protect_proc && !s->proc_subset_pid)
		return 0;
	if (asprintf(&data, "%s%s%s", s->protect_proc ? hidepid[s->protect_proc] : "",
		     s->protect_proc && s->proc_subset_pid ? "," : "",
		     s->proc_subset_pid ? "subset=pid" : "") < 0 || !sandbox_ops_keep(p, data))
		return -1;
	e = add(p, "/proc", M_PROC, s->protect_proc ? SANDBOX_PROTECT_PROC :
		SANDBOX_PROC_SUBSET, false, true);
	if (!e)
		return -1;
	e->data = data;
	return 0;
}

/* systemd makes the service's own directories writable whatever
 * ProtectSystem= says. */
static int add_own_directories(struct sandbox_plan *p, const struct unit *unit,
			       const struct execenv_ctx *ctx)
{
	for (int d = 0; d < UNIT_DIR_CONFIGURATION; d++) {
		for (char **name = unit->directories[d]; name && *name; name++) {
			char *path;

			if (asprintf(&path, "%s/%s", ctx->roots[d], *name) < 0 ||
			    !sandbox_ops_keep(p, path) ||
			    !add(p, path, M_READ_WRITE, SANDBOX_READ_WRITE_PATHS, true,
				 false))
				return -1;
		}
	}
	return 0;
}

static struct sandbox_runtime *runtime_new(void)
{
	struct sandbox_runtime *rt = calloc(1, sizeof(*rt));

	if (rt)
		rt->ns_fd[0] = rt->ns_fd[1] = rt->ns_fd[2] = -1;
	return rt;
}

/* PrivateTmp=yes: the service's own directories, made at its first
 * start and kept until it is down. */
static int make_private_tmp(struct sandbox_plan *p, struct sandbox_runtime **runtime,
			    const char *unit_name)
{
	struct sandbox_runtime *rt = *runtime;
	char errbuf[160];

	if (!rt && !(rt = *runtime = runtime_new()))
		return sandbox_ops_nomem(p);
	if (!rt->tmp_dir && !(rt->tmp_dir = sandbox_make_private_tmp("/tmp", unit_name))) {
		snprintf(p->why, p->size, "PrivateTmp=: making its directory in "
			 "/tmp: %s", log_errno_text(errno, errbuf, sizeof(errbuf)));
		return -1;
	}
	if (!rt->var_tmp_dir &&
	    !(rt->var_tmp_dir = sandbox_make_private_tmp("/var/tmp", unit_name))) {
		snprintf(p->why, p->size, "PrivateTmp=: making its directory in "
			 "/var/tmp: %s", log_errno_text(errno, errbuf, sizeof(errbuf)));
		return -1;
	}
	return 0;
}

static int add_entries(struct sandbox_plan *p, const struct unit *unit,
		       const struct execenv_ctx *ctx, struct sandbox_runtime *rt)
{
	if (add_protect_system(p) < 0 || add_protect_home(p) < 0 ||
	    add_private_tmp(p, rt) < 0 ||
	    (p->s->private_devices &&
	     !add(p, "/dev", M_PRIVATE_DEV, SANDBOX_PRIVATE_DEVICES, false, true)) ||
	    add_user_paths(p) < 0 || add_binds(p) < 0 || add_tmpfs(p) < 0 ||
	    add_kernel(p) < 0 || add_proc(p) < 0 ||
	    add_own_directories(p, unit, ctx) < 0)
		return sandbox_ops_nomem(p);
	sandbox_ops_merge(p);
	for (size_t i = 0; i < p->n_entries; i++)
		if (!p->entries[i].skip && sandbox_ops_check(p, &p->entries[i]) < 0)
			return -1;
	return 0;
}

static int plan_mounts(struct sandbox_plan *p, const struct unit *unit,
		       const struct execenv_ctx *ctx, const char *unit_name,
		       struct sandbox_runtime **runtime)
{
	char errbuf[160];
	int r;

	if (p->s->private_tmp == SANDBOX_TMP_YES &&
	    make_private_tmp(p, runtime, unit_name) < 0)
		return -1;
	if (add_entries(p, unit, ctx, *runtime) < 0)
		return -1;
	if (sandbox_mounts_read(&p->mounts) < 0) {
		int err = errno;

		snprintf(p->why, p->size, "%s: reading /proc/self/mountinfo: %s",
			 sandbox_fs_key_name(sandbox_fs_first_mount_key(p->s)),
			 log_errno_text(err, errbuf, sizeof(errbuf)));
		errno = err;
		return -1;
	}
	r = sandbox_ops_build(p, ctx);
	if (r == -1)
		return sandbox_ops_nomem(p);
	if (r < 0)
		return -1;
	if (!(p->ns->slots = calloc(SPAWN_NS_SLOTS_MAX, sizeof(*p->ns->slots))))
		return sandbox_ops_nomem(p);
	p->ns->unshare_flags |= CLONE_NEWNS;
	p->ns->unshare_key[0] = (unsigned char)sandbox_fs_first_mount_key(p->s);
	return 0;
}

/* Whether the environment gives the namespace flag: 0 when it does (or
 * when it does not and SandboxFallback=warn said to go on without, then
 * *want is cleared), else -1 with why. */
static int check_namespace(struct sandbox_plan *p, const struct execenv_ctx *ctx,
			   const char *unit_name, int flag, enum sandbox_key key,
			   const char *what, bool *want)
{
	char errbuf[160];
	int err;

	if (!*want || !(err = sandbox_probe(flag)))
		return 0;
	log_errno_text(err, errbuf, sizeof(errbuf));
	if (!ctx->sandbox_fallback || *ctx->sandbox_fallback == SETTINGS_SANDBOX_FAIL) {
		snprintf(p->why, p->size, "%s: the kernel or the environment gives "
			 "no %s namespace (unshare: %s); svd.conf's "
			 "SandboxFallback=warn would run it without",
			 sandbox_fs_key_name(key), what, errbuf);
		errno = err;
		return -1;
	}
	log_warning(unit_name, "%s: the kernel or the environment gives no %s "
		    "namespace (unshare: %s); it runs without what it needs "
		    "(SandboxFallback=warn)", sandbox_fs_key_name(key), what, errbuf);
	*want = false;
	return 0;
}

/* Capabilities that systemd takes from the bounding set for these keys. */
static uint64_t dropped_caps(const struct unit_sandbox_fs *s)
{
	uint64_t drop = 0;

	if (s->protect_kernel_modules)
		drop |= CAPS_BIT(CAP_SYS_MODULE);
	if (s->protect_kernel_logs)
		drop |= CAPS_BIT(CAP_SYSLOG);
	if (s->private_devices)
		drop |= CAPS_BIT(CAP_MKNOD) | CAPS_BIT(CAP_SYS_RAWIO);
	if (s->protect_clock)
		drop |= CAPS_BIT(CAP_SYS_TIME) | CAPS_BIT(CAP_WAKE_ALARM);
	return drop;
}

/* PrivateUsers=: root and the service's user and group, as themselves. */
static int user_maps(struct sandbox_plan *p, const struct creds *creds)
{
	char *uid_map, *gid_map;
	bool user = creds->switch_user;

	if (asprintf(&uid_map, user && creds->uid ? "0 0 1\n%u %u 1\n" : "0 0 1\n",
		     (unsigned)creds->uid, (unsigned)creds->uid) < 0 ||
	    !sandbox_ops_keep(p, uid_map) ||
	    asprintf(&gid_map, user && creds->gid ? "0 0 1\n%u %u 1\n" : "0 0 1\n",
		     (unsigned)creds->gid, (unsigned)creds->gid) < 0 ||
	    !sandbox_ops_keep(p, gid_map))
		return sandbox_ops_nomem(p);
	p->ns->private_users = true;
	p->ns->uid_map = uid_map;
	p->ns->gid_map = gid_map;
	return 0;
}

/* The service's network, IPC and UTS namespaces, made at its first
 * spawn and kept until it is down: every process of it joins them, as
 * all the processes of a unit share them in systemd. */
static int join_namespaces(struct sandbox_plan *p, struct sandbox_runtime **runtime,
			   int flags)
{
	static const int kinds[3] = { CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS };
	struct sandbox_runtime *rt = *runtime;
	int missing = 0, fds[3], failed, err;
	char errbuf[160];

	if (!rt && !(rt = *runtime = runtime_new()))
		return sandbox_ops_nomem(p);
	for (int i = 0; i < 3; i++)
		if ((flags & kinds[i]) && rt->ns_fd[i] < 0)
			missing |= kinds[i];
	if (missing && (err = sandbox_make_namespaces(missing, fds, &failed))) {
		snprintf(p->why, p->size, "%s: making its namespace: %s",
			 sandbox_fs_key_name(failed == CLONE_NEWNET ? SANDBOX_PRIVATE_NETWORK :
					     failed == CLONE_NEWIPC ? SANDBOX_PRIVATE_IPC :
					     SANDBOX_PROTECT_HOSTNAME),
			 log_errno_text(err, errbuf, sizeof(errbuf)));
		errno = err;
		return -1;
	}
	for (int i = 0; i < 3; i++)
		if (missing & kinds[i])
			rt->ns_fd[i] = fds[i];
	p->ns->join_fd[0] = -1;
	for (int i = 0; i < 3; i++)
		p->ns->join_fd[i + 1] = rt->ns_fd[i];
	p->ns->join_set = true;
	return 0;
}

static int plan_all(struct sandbox_plan *p, const struct unit *unit,
		    const struct execenv_ctx *ctx, const struct creds *creds,
		    const char *unit_name, struct sandbox_runtime **runtime)
{
	const struct unit_sandbox_fs *s = p->s;
	bool mounts = sandbox_fs_needs_mounts(s), net = s->private_network;
	bool ipc = s->private_ipc, uts = s->protect_hostname, users = s->private_users;

	if (check_namespace(p, ctx, unit_name, CLONE_NEWNS,
			    sandbox_fs_first_mount_key(s), "mount", &mounts) < 0 ||
	    check_namespace(p, ctx, unit_name, CLONE_NEWNET, SANDBOX_PRIVATE_NETWORK,
			    "network", &net) < 0 ||
	    check_namespace(p, ctx, unit_name, CLONE_NEWIPC, SANDBOX_PRIVATE_IPC,
			    "IPC", &ipc) < 0 ||
	    check_namespace(p, ctx, unit_name, CLONE_NEWUTS, SANDBOX_PROTECT_HOSTNAME,
			    "UTS", &uts) < 0 ||
	    check_namespace(p, ctx, unit_name, CLONE_NEWUSER, SANDBOX_PRIVATE_USERS,
			    "user", &users) < 0)
		return -1;
	p->ns->drop_caps = dropped_caps(s);
	if (mounts && plan_mounts(p, unit, ctx, unit_name, runtime) < 0)
		return -1;
	if ((net || ipc || uts) &&
	    join_namespaces(p, runtime, (net ? CLONE_NEWNET : 0) |
			    (ipc ? CLONE_NEWIPC : 0) | (uts ? CLONE_NEWUTS : 0)) < 0)
		return -1;
	if (net) {
		p->ns->unshare_flags |= CLONE_NEWNET;
		p->ns->unshare_key[1] = SANDBOX_PRIVATE_NETWORK;
	}
	if (ipc) {
		p->ns->unshare_flags |= CLONE_NEWIPC;
		p->ns->unshare_key[2] = SANDBOX_PRIVATE_IPC;
	}
	if (uts) {
		p->ns->unshare_flags |= CLONE_NEWUTS;
		p->ns->unshare_key[3] = SANDBOX_PROTECT_HOSTNAME;
	}
	if (users && user_maps(p, creds) < 0)
		return -1;
	return 0;
}

int sandbox_prepare(const struct unit *unit, unsigned exec_flags,
		    const struct execenv_ctx *ctx, const struct creds *creds,
		    const char *unit_name, struct sandbox_runtime **runtime,
		    struct spawn_ns *ns, char *why, size_t size)
{
	struct sandbox_plan p = {
		.s = unit->fs_sandbox, .root = unit->root_directory, .ns = ns,
		.inaccessible_slot = -1, .dev_slot = -1, .notify_slot = -1, .why = why, .size = size,
	};
	int r, err;

	*ns = (struct spawn_ns){ 0 };
	/* '+': none of the sandbox, as systemd runs it. */
	if (!p.s || (exec_flags & EXEC_FLAG_FULL_PRIVILEGES))
		return 0;
	r = plan_all(&p, unit, ctx, creds, unit_name, runtime);
	err = errno;
	free(p.entries);
	sandbox_mounts_free(&p.mounts);
	if (r < 0) {
		sandbox_plan_free(ns);
		errno = err;
	}
	return r;
}

void sandbox_plan_free(struct spawn_ns *ns)
{
	free(ns->ops);
	free(ns->slots);
	strv_free(ns->strings);
	*ns = (struct spawn_ns){ 0 };
}

void sandbox_runtime_remove(struct sandbox_runtime **runtime, const char *unit_name)
{
	struct sandbox_runtime *rt = *runtime;
	char *dirs[2];

	if (!rt)
		return;
	dirs[0] = rt->tmp_dir;
	dirs[1] = rt->var_tmp_dir;
	for (int i = 0; i < 2; i++)
		if (dirs[i] && sandbox_remove_private_tmp(dirs[i]) < 0)
			log_errno(LOG_LEVEL_WARNING, unit_name, errno,
				  "removing PrivateTmp='s %s", dirs[i]);
	for (int i = 0; i < 3; i++)
		if (rt->ns_fd[i] >= 0)
			close(rt->ns_fd[i]);
	free(rt->tmp_dir);
	free(rt->var_tmp_dir);
	free(rt);
	*runtime = NULL;
}

void sandbox_syscall_groups(const struct unit *unit,
			    const char *groups[SANDBOX_SYSCALL_GROUPS_MAX + 1])
{
	const struct unit_sandbox_fs *s = unit->fs_sandbox;
	size_t n = 0;

	if (s && s->protect_clock)
		groups[n++] = "@clock";
	if (s && s->protect_kernel_modules)
		groups[n++] = "@module";
	if (s && s->protect_kernel_logs)
		groups[n++] = "syslog";
	if (s && s->protect_hostname) {
		groups[n++] = "sethostname";
		groups[n++] = "setdomainname";
	}
	if (s && s->private_devices)
		groups[n++] = "@raw-io";
	groups[n] = NULL;
}
