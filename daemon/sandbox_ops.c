/* sandbox_ops: see sandbox_ops.h. */
#include "sandbox_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "strv.h"

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOEXEC 0x00000008
#endif

int sandbox_ops_nomem(struct sandbox_plan *p)
{
	snprintf(p->why, p->size, "sandbox: %s", strerror(ENOMEM));
	errno = ENOMEM;
	return -1;
}

/* s kept in the plan's strings (taken: freed on failure). */
const char *sandbox_ops_keep(struct sandbox_plan *p, char *s)
{
	if (!s || strv_push_take(&p->ns->strings, s) < 0)
		return NULL;
	return s;
}

static int compare_entries(const void *a, const void *b)
{
	const struct sandbox_entry *x = a, *y = b;
	int r = strcmp(x->path, y->path);

	if (r)
		return r;
	return (int)x->mode - (int)y->mode;
}

/* One entry per path: the first (the stronger mode) takes the others'
 * read-only and exec wishes, as systemd's drop_duplicates(). */
void sandbox_ops_merge(struct sandbox_plan *p)
{
	struct sandbox_entry *previous = NULL;

	qsort(p->entries, p->n_entries, sizeof(*p->entries), compare_entries);
	for (size_t i = 0; i < p->n_entries; i++) {
		struct sandbox_entry *e = &p->entries[i];

		if (previous && strcmp(previous->path, e->path) == 0) {
			previous->read_only |= e->read_only;
			previous->noexec |= e->noexec;
			previous->exec |= e->exec;
			previous->optional &= e->optional;
			e->skip = true;
			continue;
		}
		previous = e;
	}
	for (size_t i = 0; i < p->n_entries; i++)
		if (p->entries[i].mode == M_READ_WRITE && p->entries[i].read_only)
			p->entries[i].mode = M_READ_ONLY;
}

static int fail_path(struct sandbox_plan *p, const struct sandbox_entry *e, const char *path, int err)
{
	char errbuf[160];

	snprintf(p->why, p->size, "%s%s: %s", sandbox_fs_key_name(e->key), path,
		 log_errno_text(err, errbuf, sizeof(errbuf)));
	errno = err;
	return -1;
}

/* A missing path: skipped with "-", else the start fails naming it;
 * what a bind or a tmpfs lands on is made, as systemd makes it. */
int sandbox_ops_check(struct sandbox_plan *p, struct sandbox_entry *e)
{
	struct stat st;
	const char *what = e->mode == M_BIND ? e->source : e->path;

	if (e->mode == M_PRIVATE_TMP || e->mode == M_PRIVATE_DEV || e->mode == M_PROC)
		return 0;
	if (stat(what, &st) < 0) {
		if (errno == ENOENT && e->optional) {
			e->skip = true;
			return 0;
		}
		if (errno != ENOENT || e->mode != M_TMPFS)
			return fail_path(p, e, what, errno);
		if (execenv_make_parents(e->path) < 0 ||
		    (mkdir(e->path, 0755) < 0 && errno != EEXIST))
			return fail_path(p, e, e->path, errno);
		return 0;
	}
	e->is_dir = S_ISDIR(st.st_mode);
	if (e->mode == M_BIND && access(e->path, F_OK) < 0) {
		int fd;

		if (execenv_make_parents(e->path) < 0)
			return fail_path(p, e, e->path, errno);
		if (S_ISDIR(st.st_mode) ? mkdir(e->path, 0755) < 0 && errno != EEXIST :
		    (fd = open(e->path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			       0644)) < 0 || close(fd) < 0)
			return fail_path(p, e, e->path, errno);
	}
	return 0;
}

static struct spawn_ns_op *op(struct sandbox_plan *p, enum spawn_ns_kind kind,
			      const struct sandbox_entry *e, const char *path)
{
	struct spawn_ns *ns = p->ns;

	if (ns->n_ops == p->ops_cap) {
		size_t cap = p->ops_cap ? p->ops_cap * 2 : 32;
		struct spawn_ns_op *grown = realloc(ns->ops, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		ns->ops = grown;
		p->ops_cap = cap;
	}
	ns->ops[ns->n_ops] = (struct spawn_ns_op){
		.kind = (unsigned char)kind, .key = e->key, .slot = -1, .path = path,
		.flags = e->optional ? SPAWN_NS_OPTIONAL : 0,
	};
	return &ns->ops[ns->n_ops++];
}

static int open_slot(struct sandbox_plan *p, const struct sandbox_entry *e, const char *path)
{
	struct spawn_ns_op *o;

	if (p->next_slot >= SPAWN_NS_SLOTS_MAX) {
		snprintf(p->why, p->size, "%s: more than %d sources to bind",
			 sandbox_fs_key_name(e->key), SPAWN_NS_SLOTS_MAX);
		errno = E2BIG;
		return -2;
	}
	if (!(o = op(p, SPAWN_NS_OPEN, e, path)))
		return -1;
	o->slot = (signed char)p->next_slot;
	return p->next_slot++;
}

static const char *joined(struct sandbox_plan *p, const char *dir, const char *name)
{
	char *s;

	if (asprintf(&s, "%s/%s", dir, name) < 0)
		return NULL;
	return sandbox_ops_keep(p, s);
}


/* PrivateDevices=: a tmpfs on /dev with only the harmless nodes, bound
 * from the old /dev (opened before: the tmpfs hides it), the
 * pseudo-terminals, shared memory and message queues, and the usual
 * links, as systemd's mount_private_dev(). */
static int mount_private_dev(struct sandbox_plan *p, struct sandbox_entry *e)
{
	static const char *const nodes[] = { "null", "zero", "full", "random",
					     "urandom", "tty" };
	static const struct { const char *name; unsigned mode; } dirs[] = {
		{ "pts", 0755 }, { "shm", 01777 }, { "mqueue", 0755 },
		{ "hugepages", 0755 },
	};
	static const struct { const char *name, *target; } links[] = {
		{ "ptmx", "pts/ptmx" }, { "fd", "/proc/self/fd" },
		{ "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
		{ "stderr", "/proc/self/fd/2" },
	};
	struct spawn_ns_op *o = op(p, SPAWN_NS_MOUNT, e, e->path);
	char host[64], target[256];
	struct stat st;
	const char *path;
	ssize_t len;

	if (!o)
		return -1;
	o->fstype = "tmpfs";
	o->data = "mode=0755";
	o->mount_flags = MS_NOSUID | MS_NOEXEC | MS_STRICTATIME;
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
		if (stat(host, &st) < 0 || !S_ISCHR(st.st_mode))
			continue;
		if (!(path = joined(p, e->path, nodes[i])) ||
		    !op(p, SPAWN_NS_FILE, e, path) || !(o = op(p, SPAWN_NS_BIND, e, path)))
			return -1;
		o->slot = (signed char)p->dev_slot;
		o->source = nodes[i];
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(host, sizeof(host), "/dev/%s", dirs[i].name);
		if (stat(host, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (!(path = joined(p, e->path, dirs[i].name)) ||
		    !(o = op(p, SPAWN_NS_MKDIR, e, path)))
			return -1;
		o->mode = dirs[i].mode;
		if (!(o = op(p, SPAWN_NS_BIND, e, path)))
			return -1;
		o->slot = (signed char)p->dev_slot;
		o->source = dirs[i].name;
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (!(path = joined(p, e->path, links[i].name)) ||
		    !(o = op(p, SPAWN_NS_SYMLINK, e, path)))
			return -1;
		o->source = links[i].target;
	}
	/* /dev/log: svd's syslog socket, or a link to one. */
	if (lstat("/dev/log", &st) < 0)
		return 0;
	if (!(path = joined(p, e->path, "log")))
		return -1;
	if (S_ISLNK(st.st_mode) &&
	    (len = readlink("/dev/log", target, sizeof(target) - 1)) > 0) {
		target[len] = '\0';
		if (!(o = op(p, SPAWN_NS_SYMLINK, e, path)) ||
		    !(o->source = sandbox_ops_keep(p, strdup(target))))
			return -1;
	} else if (S_ISSOCK(st.st_mode)) {
		if (!op(p, SPAWN_NS_FILE, e, path) || !(o = op(p, SPAWN_NS_BIND, e, path)))
			return -1;
		o->slot = (signed char)p->dev_slot;
		o->source = "log";
	}
	return 0;
}

/* The deepest entry that mounts something over path (strictly above it). */
static const struct sandbox_entry *hiding(const struct sandbox_plan *p, const char *path)
{
	const struct sandbox_entry *found = NULL;

	for (size_t i = 0; i < p->n_entries; i++) {
		const struct sandbox_entry *e = &p->entries[i];
		size_t len = strlen(e->path);

		if (e->skip || e->mode >= M_READ_ONLY || strncmp(path, e->path, len) ||
		    (path[len] != '/' && strcmp(e->path, "/")))
			continue;
		if (!found || len > strlen(found->path))
			found = e;
	}
	return found;
}

/* svd's notify socket lives beside its control socket, which may be
 * under a path a key mounts over (/tmp for PrivateTmp=): it is bound back
 * on its path there, best effort, so that READY=1 still reaches svd. */
static int open_notify(struct sandbox_plan *p, const struct execenv_ctx *ctx)
{
	int r;

	if (!ctx->notify_socket ||
	    !(p->notify_hidden_by = hiding(p, ctx->notify_socket)))
		return 0;
	if ((r = open_slot(p, p->notify_hidden_by, ctx->notify_socket)) < 0)
		return r;
	p->ns->ops[p->ns->n_ops - 1].flags |= SPAWN_NS_BEST_EFFORT;
	p->notify_slot = r;
	return 0;
}

static int bind_notify(struct sandbox_plan *p, const char *notify)
{
	const struct sandbox_entry *e = p->notify_hidden_by;
	struct spawn_ns_op *o;
	size_t start;

	if (p->notify_slot < 0 || !e)
		return 0;
	start = strlen(e->path);
	for (const char *slash = strchr(notify + start + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		char *dir = strndup(notify, (size_t)(slash - notify));

		if (!dir || !sandbox_ops_keep(p, dir) || !(o = op(p, SPAWN_NS_MKDIR, e, dir)))
			return -1;
		o->mode = 0755;
		o->flags |= SPAWN_NS_BEST_EFFORT;
	}
	if (!(o = op(p, SPAWN_NS_FILE, e, notify)))
		return -1;
	o->flags |= SPAWN_NS_BEST_EFFORT;
	if (!(o = op(p, SPAWN_NS_BIND, e, notify)))
		return -1;
	o->flags |= SPAWN_NS_BEST_EFFORT;
	o->slot = (signed char)p->notify_slot;
	o->source = "";
	return 0;
}

/* A bind's destination, where an earlier mount (PrivateTmp=,
 * TemporaryFileSystem=) hid the one svd made: made again there, as
 * systemd does, best effort (the bind says what went wrong). */
static int make_mount_point(struct sandbox_plan *p, const struct sandbox_entry *e)
{
	struct spawn_ns_op *o;

	for (const char *slash = strchr(e->path + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		char *dir = strndup(e->path, (size_t)(slash - e->path));

		if (!dir || !sandbox_ops_keep(p, dir) || !(o = op(p, SPAWN_NS_MKDIR, e, dir)))
			return -1;
		o->mode = 0755;
		o->flags |= SPAWN_NS_BEST_EFFORT;
	}
	if (!(o = op(p, e->is_dir ? SPAWN_NS_MKDIR : SPAWN_NS_FILE, e, e->path)))
		return -1;
	o->mode = 0755;
	o->flags |= SPAWN_NS_BEST_EFFORT;
	return 0;
}

/* Pass 1: what each entry mounts. */
static int mount_entry(struct sandbox_plan *p, struct sandbox_entry *e)
{
	struct spawn_ns_op *o = NULL;

	switch (e->mode) {
	case M_INACCESSIBLE:
		if (e->is_dir) {
			if ((o = op(p, SPAWN_NS_MOUNT, e, e->path))) {
				o->fstype = "tmpfs";
				o->data = "mode=0000";
				o->mount_flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
			}
			e->read_only = false;	/* mounted so */
			break;
		}
		if ((o = op(p, SPAWN_NS_BIND, e, e->path))) {
			o->slot = (signed char)p->inaccessible_slot;
			o->source = "";
		}
		break;
	case M_BIND:
		if (make_mount_point(p, e) < 0)
			return -1;
		if ((o = op(p, SPAWN_NS_BIND, e, e->path))) {
			o->slot = (signed char)e->slot;
			o->source = "";
			o->mount_flags = e->recursive ? MS_REC : 0;
		}
		break;
	case M_PRIVATE_TMP:
		if ((o = op(p, SPAWN_NS_BIND, e, e->path))) {
			o->slot = (signed char)e->slot;
			o->source = "tmp";
		}
		break;
	case M_PRIVATE_DEV:
		return mount_private_dev(p, e);
	case M_PROC:
		if ((o = op(p, SPAWN_NS_MOUNT, e, e->path))) {
			o->fstype = "proc";
			o->data = e->data;
			o->mount_flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
		}
		break;
	case M_TMPFS:
		if ((o = op(p, SPAWN_NS_MOUNT, e, e->path))) {
			o->fstype = "tmpfs";
			o->data = e->data;
			o->mount_flags = e->ms;
		}
		e->read_only = false;	/* mounted so */
		break;
	default:
		/* Flags are set on mounts: a path that is none becomes one. */
		if (sandbox_mounts_has(&p->mounts, e->path))
			return 0;
		if ((o = op(p, SPAWN_NS_BIND, e, e->path))) {
			o->source = e->path;
			o->mount_flags = MS_REC;
		}
		break;
	}
	return o ? 0 : -1;
}

/* Whether mount lies under an entry other than e, itself under e: that
 * one decides for it. */
static bool covered(const struct sandbox_plan *p, const struct sandbox_entry *e, const char *mount)
{
	size_t len = strlen(e->path);

	for (size_t i = 0; i < p->n_entries; i++) {
		const struct sandbox_entry *o = &p->entries[i];
		size_t olen = strlen(o->path);

		if (o == e || o->skip || olen <= len ||
		    (strcmp(e->path, "/") && (strncmp(o->path, e->path, len) ||
					      o->path[len] != '/')))
			continue;
		if (strncmp(mount, o->path, olen) == 0 &&
		    (mount[olen] == '/' || !mount[olen]))
			return true;
	}
	return false;
}

static int attr_op(struct sandbox_plan *p, const struct sandbox_entry *e, const char *path,
		   uint64_t set, uint64_t clr, unsigned char flags)
{
	struct spawn_ns_op *o = op(p, SPAWN_NS_ATTR, e, path);

	if (!o)
		return -1;
	o->attr_set = set;
	o->attr_clr = clr;
	o->flags |= flags;
	/* For kernels without mount_setattr(): what the mount had, less
	 * what is being changed. */
	o->mount_flags = sandbox_mounts_flags_of(&p->mounts, path) &
			 ~((set | clr) & MOUNT_ATTR_RDONLY ? MS_RDONLY : 0UL) &
			 ~((set | clr) & MOUNT_ATTR_NOEXEC ? MS_NOEXEC : 0UL);
	return 0;
}

/* Passes 2 and 3: a flag on the entry's mount and on the mounts below it
 * that no other entry decides for (systemd's deny list). */
static int attr_entry(struct sandbox_plan *p, const struct sandbox_entry *e, uint64_t set,
		      uint64_t clr)
{
	bool self_bound = e->mode >= M_READ_ONLY;
	size_t len = strlen(e->path);

	if (attr_op(p, e, e->path, set, clr,
		    e->mode == M_BIND && e->recursive ? SPAWN_NS_RECURSIVE : 0) < 0)
		return -1;
	for (size_t i = 0; self_bound && i < p->mounts.n; i++) {
		const char *m = p->mounts.items[i].path;

		if (strcmp(m, e->path) == 0 ||
		    (strcmp(e->path, "/") && (strncmp(m, e->path, len) || m[len] != '/')) ||
		    covered(p, e, m))
			continue;
		if (attr_op(p, e, m, set, clr, SPAWN_NS_SUBMOUNT) < 0)
			return -1;
	}
	return 0;
}

static int build_passes(struct sandbox_plan *p, const char *notify)
{
	for (size_t i = 0; i < p->n_entries; i++) {
		int r;

		if (p->entries[i].skip)
			continue;
		if ((r = mount_entry(p, &p->entries[i])) < 0)
			return r;
	}
	if (bind_notify(p, notify) < 0)
		return -1;
	for (size_t i = 0; i < p->n_entries; i++) {
		const struct sandbox_entry *e = &p->entries[i];

		if (e->skip || e->mode == M_KEEP)
			continue;
		if (e->read_only && attr_entry(p, e, MOUNT_ATTR_RDONLY, 0) < 0)
			return -1;
		if (e->mode == M_READ_WRITE && attr_entry(p, e, 0, MOUNT_ATTR_RDONLY) < 0)
			return -1;
	}
	for (size_t i = 0; i < p->n_entries; i++) {
		const struct sandbox_entry *e = &p->entries[i];

		if (e->skip || (!e->noexec && !e->exec))
			continue;
		if (attr_entry(p, e, e->noexec ? MOUNT_ATTR_NOEXEC : 0,
			       e->noexec ? 0 : MOUNT_ATTR_NOEXEC) < 0)
			return -1;
	}
	return 0;
}


/* The node bound over an inaccessible file: empty, mode 0000, root's. */
static const char *inaccessible_node(struct sandbox_plan *p, const struct execenv_ctx *ctx)
{
	char *path;
	int fd;

	if (asprintf(&path, "%s/svd/inaccessible", ctx->roots[UNIT_DIR_RUNTIME]) < 0 ||
	    !sandbox_ops_keep(p, path))
		return NULL;
	if (execenv_make_parents(path) < 0)
		return NULL;
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (fchmod(fd, 0) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return NULL;
	}
	close(fd);
	return path;
}

/* The sources later mounts could hide, opened before any mount. */
static int open_sources(struct sandbox_plan *p, const struct execenv_ctx *ctx)
{
	const char *node = NULL;
	int r;

	if ((r = open_notify(p, ctx)) < 0)
		return r;

	for (size_t i = 0; i < p->n_entries; i++) {
		struct sandbox_entry *e = &p->entries[i];

		if (e->skip)
			continue;
		if (e->mode == M_INACCESSIBLE && !e->is_dir && !node) {
			if (!(node = inaccessible_node(p, ctx))) {
				int err = errno;

				snprintf(p->why, p->size, "%s: making svd's "
					 "inaccessible node: %s",
					 sandbox_fs_key_name(e->key), strerror(err));
				errno = err;
				return -2;
			}
			if ((r = open_slot(p, e, node)) < 0)
				return r;
			p->inaccessible_slot = r;
		} else if (e->mode == M_PRIVATE_DEV) {
			if ((r = open_slot(p, e, "/dev")) < 0)
				return r;
			p->dev_slot = r;
		} else if (e->mode == M_PRIVATE_TMP || e->mode == M_BIND) {
			/* A bind's source is the host's, whatever is mounted
			 * over its path in the namespace. */
			if ((r = open_slot(p, e, e->source)) < 0)
				return r;
			e->slot = r;
		}
	}
	return 0;
}

int sandbox_ops_build(struct sandbox_plan *p, const struct execenv_ctx *ctx)
{
	int r = open_sources(p, ctx);

	return r < 0 ? r : build_passes(p, ctx->notify_socket);
}
