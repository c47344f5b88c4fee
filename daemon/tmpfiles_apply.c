#include "tmpfiles_apply.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "log.h"
#include "tmpfiles_fs.h"

/* The run, and the line (and the path of it, for a glob) at hand. */
struct apply {
	const struct tmpfiles_apply_opts *o;
	struct tmpfiles_root root;
	const struct tmpfiles_line *l;
	const char *path;
	unsigned failed;	/* lines that failed */
	bool line_failed;	/* counted already */
};

__attribute__((format(printf, 3, 4)))
static void say(struct apply *a, bool error, const char *fmt, ...)
{
	char *text = NULL, *msg = NULL;
	va_list ap;
	int r;

	if (error && a->l->allow_failure)
		error = false;
	if (error && !a->line_failed) {
		a->failed++;
		a->line_failed = true;
	}
	if (!a->o->diag)
		return;
	va_start(ap, fmt);
	r = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (r >= 0 && asprintf(&msg, "%s:%u: %s: %s", a->l->file, a->l->line,
			       a->path, text) >= 0)
		a->o->diag(a->o->ctx, error, msg);
	else
		a->o->diag(a->o->ctx, error, "tmpfiles: a message was lost: "
			   "out of memory");
	free(text);
	free(msg);
}

/* "what: ENAME (text)" as an error (a warning for a '-' line). */
static void fail(struct apply *a, int err, const char *what)
{
	char buf[160];

	say(a, true, "%s: %s", what, log_errno_text(err, buf, sizeof(buf)));
}

/* A user or group name, or a number; -1 after reporting an unknown one. */
static int resolve_id(struct apply *a, const char *name, bool user,
		      unsigned *id)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(name, &end, 10);
	if (*name >= '0' && *name <= '9' && !*end && !errno && n < UINT_MAX) {
		*id = (unsigned)n;
		return 0;
	}
	if (user) {
		const struct passwd *pw = getpwnam(name);

		if (pw) {
			*id = pw->pw_uid;
			return 0;
		}
	} else {
		const struct group *gr = getgrnam(name);

		if (gr) {
			*id = gr->gr_gid;
			return 0;
		}
	}
	say(a, true, "unknown %s %s", user ? "user" : "group", name);
	return -1;
}

/* The owner the line asks for, (uid_t)-1 where it says nothing. */
static int wanted_owner(struct apply *a, bool created, uid_t *uid, gid_t *gid)
{
	const struct tmpfiles_line *l = a->l;
	unsigned id;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (l->user && (created || !l->user_on_create)) {
		if (resolve_id(a, l->user, true, &id) < 0)
			return -1;
		*uid = id;
	}
	if (l->group && (created || !l->group_on_create)) {
		if (resolve_id(a, l->group, false, &id) < 0)
			return -1;
		*gid = id;
	}
	return 0;
}

/* The mode to set, or -1 to leave it: a new file gets the line's (or
 * the type's default); an existing one only an explicit mode not marked
 * ':', with '~' keeping off the read, write and execute bits that it has
 * nowhere. */
static int wanted_mode(const struct tmpfiles_line *l, bool created,
		       const struct stat *st)
{
	mode_t mode = l->mode;

	if (S_ISLNK(st->st_mode))
		return -1;
	if (!created && (!l->mode_set || l->mode_on_create))
		return -1;
	if (l->mode_masked && !created) {
		if (!(st->st_mode & 0111))
			mode &= ~0111u;
		if (!(st->st_mode & 0222))
			mode &= ~0222u;
		if (!(st->st_mode & 0444))
			mode &= ~0444u;
	}
	return (int)mode;
}

/* Owner, then mode (a chown clears set-id bits), of parent/name,
 * through an O_PATH fd of the inode checked: never a symlink's target. */
static void adjust(struct apply *a, int parent, const char *name, bool created)
{
	int fd = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	bool chowned = false;
	struct stat st;
	uid_t uid;
	gid_t gid;
	int mode;

	if (fd < 0) {
		fail(a, errno, "open");
		return;
	}
	if (fstat(fd, &st) < 0) {
		fail(a, errno, "fstat");
		close(fd);
		return;
	}
	if (wanted_owner(a, created, &uid, &gid) == 0 &&
	    ((uid != (uid_t)-1 && uid != st.st_uid) ||
	     (gid != (gid_t)-1 && gid != st.st_gid))) {
		if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
			fail(a, errno, "chown");
		else
			chowned = true;
	}
	mode = wanted_mode(a->l, created, &st);
	if (mode >= 0 && (chowned || (st.st_mode & 07777) != (mode_t)mode) &&
	    tmpfiles_fs_chmod(fd, parent, name, (mode_t)mode) < 0)
		fail(a, errno, "chmod");
	close(fd);
}

/* What is at parent/name, without following it: 0 with st, 1 none. */
static int look(struct apply *a, int parent, const char *name, struct stat *st)
{
	if (fstatat(parent, name, st, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	fail(a, errno, "stat");
	return -1;
}

/* Something of the wrong type is where the line makes one: removed for
 * '=' (and for the '+' of p L c b, which replace whatever is there). */
static int clear_wrong(struct apply *a, int parent, const char *name,
		       bool may_remove, const char *wanted)
{
	if (!may_remove) {
		say(a, true, "exists and is not %s", wanted);
		return -1;
	}
	if (tmpfiles_fs_remove_tree(parent, name, false) < 0) {
		fail(a, errno, "removing what is in the way");
		return -1;
	}
	return 0;
}

static void make_dir(struct apply *a, int parent, const char *name)
{
	bool created = mkdirat(parent, name, 0700) == 0;
	struct stat st;

	if (!created && errno != EEXIST) {
		fail(a, errno, "mkdir");
		return;
	}
	if (!created && look(a, parent, name, &st) == 0 && !S_ISDIR(st.st_mode)) {
		if (clear_wrong(a, parent, name, a->l->replace_type,
				"a directory") < 0)
			return;
		if (mkdirat(parent, name, 0700) < 0) {
			fail(a, errno, "mkdir");
			return;
		}
		created = true;
	}
	adjust(a, parent, name, created);
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* An existing regular file for f+ (truncated); -1 after reporting. */
static int open_existing_file(struct apply *a, int parent, const char *name)
{
	int fd = openat(parent, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC |
			O_NOCTTY | O_NONBLOCK);
	struct stat st;

	if (fd < 0) {
		fail(a, errno, "open");
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		fail(a, errno, "fstat");
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		say(a, true, "exists and is not a regular file");
		close(fd);
		return -1;
	}
	if (ftruncate(fd, 0) < 0) {
		fail(a, errno, "truncate");
		close(fd);
		return -1;
	}
	return fd;
}

/* f: created with the argument if missing; f+ (F): truncated and
 * written whatever was there. */
static void make_file(struct apply *a, int parent, const char *name)
{
	const struct tmpfiles_line *l = a->l;
	int fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			O_CLOEXEC | O_NOCTTY, 0600);
	bool created = fd >= 0;
	struct stat st;

	if (fd < 0 && errno != EEXIST) {
		fail(a, errno, "create");
		return;
	}
	if (fd < 0 && l->force) {
		if ((fd = open_existing_file(a, parent, name)) < 0)
			return;
	} else if (fd < 0) {
		if (look(a, parent, name, &st) != 0)
			return;
		if (!S_ISREG(st.st_mode)) {
			say(a, true, "exists and is not a regular file");
			return;
		}
	}
	if (fd >= 0 && l->argument && write_all(fd, l->argument, l->argument_len) < 0)
		fail(a, errno, "write");
	if (fd >= 0 && close(fd) < 0)
		fail(a, errno, "close");
	adjust(a, parent, name, created);
}

/* w: into a file that exists (a missing one is no failure); w+ appends.
 * Written from the start without truncating, as systemd does (these are
 * mostly /proc and /sys files). */
static void write_file(struct apply *a, int parent, const char *name)
{
	int fd = openat(parent, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC |
			O_NOCTTY | O_NONBLOCK | (a->l->force ? O_APPEND : 0));

	if (fd < 0) {
		if (errno != ENOENT)
			fail(a, errno, "open");
		return;
	}
	if (write_all(fd, a->l->argument, a->l->argument_len) < 0)
		fail(a, errno, "write");
	close(fd);
}

/* L: made if missing; one that points elsewhere (or anything else in
 * the way) is left, as systemd does, unless L+ replaces it. */
static void make_symlink(struct apply *a, int parent, const char *name)
{
	char target[PATH_MAX + 1];
	ssize_t n;

	if (symlinkat(a->l->argument, parent, name) == 0)
		return;
	if (errno != EEXIST) {
		fail(a, errno, "symlink");
		return;
	}
	n = readlinkat(parent, name, target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		if (strcmp(target, a->l->argument) == 0)
			return;
	}
	if (!a->l->force)
		return;
	if (clear_wrong(a, parent, name, true, "") < 0)
		return;
	if (symlinkat(a->l->argument, parent, name) < 0)
		fail(a, errno, "symlink");
}

/* p c b: a node, replaced by p+ c+ b+ when something else is there. */
static void make_node(struct apply *a, int parent, const char *name)
{
	const struct tmpfiles_line *l = a->l;
	mode_t kind = l->type == 'p' ? S_IFIFO : l->type == 'c' ? S_IFCHR : S_IFBLK;
	dev_t dev = l->type == 'p' ? 0 : makedev(l->major, l->minor);
	bool created = mknodat(parent, name, kind | 0600, dev) == 0;
	struct stat st;

	if (!created && errno != EEXIST) {
		/* An unprivileged svd (a container) cannot make devices:
		 * as systemd, that is no failure of the line. */
		if (errno == EPERM && l->type != 'p')
			say(a, false, "mknod: not permitted; skipped");
		else
			fail(a, errno, "mknod");
		return;
	}
	if (!created && look(a, parent, name, &st) == 0 &&
	    ((st.st_mode & S_IFMT) != kind || (kind != S_IFIFO && st.st_rdev != dev))) {
		if (clear_wrong(a, parent, name, l->force || l->replace_type,
				"the node asked for") < 0)
			return;
		if (mknodat(parent, name, kind | 0600, dev) < 0) {
			fail(a, errno, "mknod");
			return;
		}
		created = true;
	}
	adjust(a, parent, name, created);
}

/* C: the source (under the same root) copied where nothing is, or into
 * an empty directory; C+ also into a directory that has things, keeping
 * them. Mode and owner only change where the line gives them. */
static void copy(struct apply *a, int parent, const char *name)
{
	const char *sname;
	int sdir = tmpfiles_fs_open_parent(&a->root, a->l->argument, false, &sname);

	if (sdir < 0) {
		fail(a, errno, a->l->argument);
		return;
	}
	if (tmpfiles_fs_copy_tree(sdir, sname, parent, name, a->l->force) < 0)
		fail(a, errno, a->l->argument);
	close(sdir);
	adjust(a, parent, name, false);
}

static void adjust_existing(struct apply *a, int parent, const char *name)
{
	struct stat st;

	if (look(a, parent, name, &st) != 0)
		return;
	if (a->l->type == 'e' && !S_ISDIR(st.st_mode)) {
		say(a, true, "exists and is not a directory");
		return;
	}
	adjust(a, parent, name, false);
}

static int adjust_one(void *ctx, int parent, const char *name,
		      const struct stat *st)
{
	adjust(ctx, parent, name, false);
	return 0;
}

static void remove_path(struct apply *a, int parent, const char *name)
{
	struct stat st;

	if (look(a, parent, name, &st) != 0)
		return;
	if (a->l->type == 'R' || (a->l->type == 'D' && S_ISDIR(st.st_mode))) {
		if (tmpfiles_fs_remove_tree(parent, name, a->l->type == 'D') < 0)
			fail(a, errno, "remove");
		return;
	}
	if (a->l->type == 'D')
		return;
	if (unlinkat(parent, name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) == 0)
		return;
	/* r leaves a directory that holds something, as systemd does. */
	if (errno == ENOTEMPTY || errno == EEXIST)
		say(a, false, "directory not empty; not removed (R removes "
		    "a tree)");
	else if (errno != ENOENT)
		fail(a, errno, "remove");
}

/* One path of the line, in the remove phase or the create one. */
static void run_path(struct apply *a, bool removing)
{
	char type = a->l->type;
	bool makes = !removing && strchr("fdDpcbLC", type);
	const char *name;
	int parent = tmpfiles_fs_open_parent(&a->root, a->path, makes, &name);

	if (parent < 0) {
		if (errno != ENOENT || makes)
			fail(a, errno, "opening its directory");
		return;
	}
	if (removing)
		remove_path(a, parent, name);
	else if (type == 'd' || type == 'D')
		make_dir(a, parent, name);
	else if (type == 'f')
		make_file(a, parent, name);
	else if (type == 'w')
		write_file(a, parent, name);
	else if (type == 'L')
		make_symlink(a, parent, name);
	else if (type == 'p' || type == 'c' || type == 'b')
		make_node(a, parent, name);
	else if (type == 'C')
		copy(a, parent, name);
	else if (type == 'z' || type == 'e')
		adjust_existing(a, parent, name);
	else if (type == 'Z' && tmpfiles_fs_walk(parent, name, adjust_one, a) < 0 &&
		 errno != ENOENT)
		fail(a, errno, "walking the tree");
	close(parent);
}

/* glob(3) under the root: its own glob characters escaped. */
static char *glob_pattern(const char *root, const char *path)
{
	size_t len = strlen(root);
	char *out = malloc(2 * len + strlen(path) + 1), *o = out;

	if (!out)
		return NULL;
	for (const char *r = root; *r; r++) {
		if (strchr("*?[\\", *r))
			*o++ = '\\';
		*o++ = *r;
	}
	strcpy(o, path);
	return out;
}

/* A glob type's path: each match, under the root (a match reached
 * through a symlink that leaves it is still only acted on inside). */
static void run_glob(struct apply *a, bool removing)
{
	size_t skip = strcmp(a->o->root, "/") == 0 ? 0 : strlen(a->o->root);
	char *pattern = glob_pattern(skip ? a->o->root : "", a->l->path);
	glob_t g;
	int r;

	if (!pattern) {
		fail(a, ENOMEM, "glob");
		return;
	}
	r = glob(pattern, 0, NULL, &g);
	free(pattern);
	if (r == GLOB_NOMATCH)
		return;
	if (r != 0) {
		fail(a, r == GLOB_NOSPACE ? ENOMEM : EIO, "glob");
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		a->path = *(g.gl_pathv[i] + skip) ? g.gl_pathv[i] + skip : "/";
		run_path(a, removing);
	}
	globfree(&g);
}

static void run_line(struct apply *a, const struct tmpfiles_line *l,
		     bool removing)
{
	a->l = l;
	a->path = l->path;
	a->line_failed = false;
	if (tmpfiles_type_globs(l->type) && strpbrk(l->path, "*?["))
		run_glob(a, removing);
	else
		run_path(a, removing);
	a->path = NULL;
}

static int by_path(const void *x, const void *y)
{
	const struct tmpfiles_line *const *a = x, *const *b = y;
	int r = strcmp((*a)->path, (*b)->path);

	/* Stable: lines of one path keep their order. */
	return r ? r : (*a < *b ? -1 : *a > *b);
}

/* What makes things, parents before what they hold; then what changes
 * what exists. */
static int create_all(struct apply *a, const struct tmpfiles_list *list)
{
	const struct tmpfiles_line **order = malloc((list->n + 1) * sizeof(*order));
	size_t n = 0;

	if (!order)
		return -1;
	for (size_t i = 0; i < list->n; i++)
		if (strchr("fdDpcbLC", list->lines[i].type))
			order[n++] = &list->lines[i];
	qsort(order, n, sizeof(*order), by_path);
	for (size_t i = 0; i < n; i++)
		run_line(a, order[i], false);
	free(order);
	for (size_t i = 0; i < list->n; i++)
		if (strchr("wezZ", list->lines[i].type))
			run_line(a, &list->lines[i], false);
	return 0;
}

int tmpfiles_apply(const struct tmpfiles_list *list,
		   const struct tmpfiles_apply_opts *opts)
{
	struct apply a = { .o = opts };

	if (tmpfiles_fs_root_open(&a.root, opts->root) < 0) {
		char buf[160], *msg;

		if (opts->diag && asprintf(&msg, "tmpfiles: root %s: %s", opts->root,
					   log_errno_text(errno, buf, sizeof(buf))) >= 0) {
			opts->diag(opts->ctx, true, msg);
			free(msg);
		}
		return -1;
	}
	for (size_t i = 0; opts->remove && i < list->n; i++)
		if (strchr("rRD", list->lines[i].type))
			run_line(&a, &list->lines[i], true);
	if (opts->create && create_all(&a, list) < 0 && opts->diag)
		opts->diag(opts->ctx, true, "tmpfiles: out of memory");
	tmpfiles_fs_root_close(&a.root);
	return (int)a.failed;
}
