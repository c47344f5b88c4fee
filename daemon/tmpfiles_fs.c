#include "tmpfiles_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#else
struct open_how {
	unsigned long long flags, mode, resolve;
};
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* A failure kept for the end while the rest goes on. */
static void keep_first(int *first, int err)
{
	if (!*first)
		*first = err;
}

static int fail_with(int err)
{
	errno = err;
	return -1;
}

int tmpfiles_fs_root_open(struct tmpfiles_root *root, const char *path)
{
	root->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root->fd < 0)
		return -1;
	root->is_slash = strcmp(path, "/") == 0;
	return 0;
}

void tmpfiles_fs_root_close(struct tmpfiles_root *root)
{
	if (root->fd >= 0)
		close(root->fd);
	root->fd = -1;
}

/* Without openat2: one component at a time, none of them followed. */
static int walk_nofollow(int rootfd, const char *rel, int flags)
{
	int fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);

	while (fd >= 0 && *rel) {
		size_t len = strcspn(rel, "/");
		char *comp = strndup(rel, len);
		bool last = rel[len] == '\0';
		int next;

		if (!comp) {
			close(fd);
			return fail_with(ENOMEM);
		}
		next = openat(fd, comp, (last ? flags : O_PATH | O_DIRECTORY) |
			      O_NOFOLLOW | O_CLOEXEC);
		free(comp);
		close(fd);
		fd = next;
		rel += len + !last;
	}
	return fd;
}

/* rel: relative to the root ("" for the root itself). */
static int open_rel(const struct tmpfiles_root *root, const char *rel,
		    int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	if (!*rel)
		rel = ".";
	fd = syscall(SYS_openat2, root->fd, rel, &how, sizeof(how));
	if (fd >= 0 || errno != ENOSYS)
		return (int)fd;
	if (root->is_slash)
		return openat(root->fd, rel, flags | O_CLOEXEC);
	return walk_nofollow(root->fd, strcmp(rel, ".") ? rel : "", flags);
}

int tmpfiles_fs_open(const struct tmpfiles_root *root, const char *path,
		     int flags)
{
	return open_rel(root, path + strspn(path, "/"), flags);
}

/* Makes each missing directory of rel (a parent path), outermost
 * first: each through the fd of the one before, none followed. */
static int make_dirs(const struct tmpfiles_root *root, char *rel)
{
	for (char *slash = rel; slash;) {
		char *end = strchr(slash, '/');
		char *name;
		int pfd;

		if (end)
			*end = '\0';
		name = strrchr(rel, '/');
		if (name)
			*name = '\0';
		pfd = open_rel(root, name ? rel : "", O_PATH | O_DIRECTORY);
		if (name)
			*name = '/';
		if (pfd < 0)
			return -1;
		if (mkdirat(pfd, name ? name + 1 : rel, 0755) < 0 &&
		    errno != EEXIST) {
			int err = errno;

			close(pfd);
			return fail_with(err);
		}
		close(pfd);
		if (end)
			*end = '/';
		slash = end ? end + 1 : NULL;
	}
	return 0;
}

int tmpfiles_fs_open_parent(const struct tmpfiles_root *root,
			    const char *path, bool make_parents,
			    const char **name)
{
	const char *rel = path + strspn(path, "/");
	const char *last = strrchr(rel, '/');
	char *parent;
	int fd;

	if (!*rel) {
		*name = ".";
		return open_rel(root, "", O_PATH | O_DIRECTORY);
	}
	*name = last ? last + 1 : rel;
	parent = strndup(rel, last ? (size_t)(last - rel) : 0);
	if (!parent)
		return fail_with(ENOMEM);
	fd = open_rel(root, parent, O_PATH | O_DIRECTORY);
	if (fd < 0 && errno == ENOENT && make_parents && *parent &&
	    make_dirs(root, parent) == 0)
		fd = open_rel(root, parent, O_PATH | O_DIRECTORY);
	free(parent);
	return fd;
}

int tmpfiles_fs_chmod(int opath_fd, int parent, const char *name,
		      mode_t mode)
{
	char proc[64];

	/* chmod has no "this fd" form for an O_PATH fd: its /proc link is
	 * the inode itself, whatever the name now points at. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", opath_fd);
	if (chmod(proc, mode) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	/* No /proc: by name. The caller checked that it is no symlink; one
	 * swapped in since would be followed, a window only without /proc. */
	return fchmodat(parent, name, mode, 0);
}

/* An open directory of dirfd/name that is on dev (not a mount point). */
static DIR *open_dir_on(int dirfd, const char *name, dev_t dev)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	struct stat st;
	DIR *d;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_dev != dev) {
		int err = st.st_dev != dev ? EBUSY : errno;

		close(fd);
		errno = err;
		return NULL;
	}
	if (!(d = fdopendir(fd)))
		close(fd);
	return d;
}

static bool is_dot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

int tmpfiles_fs_remove_tree(int parent, const char *name, bool keep_top)
{
	struct stat st;
	struct dirent *e;
	int first = 0;
	DIR *d;

	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(parent, name, 0) < 0 && errno != ENOENT ? -1 : 0;
	if (!(d = open_dir_on(parent, name, st.st_dev)))
		return -1;
	while ((errno = 0, e = readdir(d)))
		if (!is_dot(e->d_name) &&
		    tmpfiles_fs_remove_tree(dirfd(d), e->d_name, false) < 0)
			keep_first(&first, errno);
	if (errno)
		keep_first(&first, errno);
	closedir(d);
	if (!keep_top && !first && unlinkat(parent, name, AT_REMOVEDIR) < 0 &&
	    errno != ENOENT)
		keep_first(&first, errno);
	return first ? fail_with(first) : 0;
}

static int copy_bytes(int in, int out)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (int)n;
		for (char *p = buf; n > 0;) {
			ssize_t w = write(out, p, (size_t)n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			p += w;
			n -= w;
		}
	}
}

/* Mode and owner of the copy as the source's: the owner only where svd
 * may give it (root), so an unprivileged copy keeps its own. */
static void copy_attrs(int fd, const struct stat *st)
{
	if (fchown(fd, st->st_uid, st->st_gid) < 0 && errno != EPERM)
		return;
	(void)fchmod(fd, st->st_mode & 07777);
}

static int copy_file(int sdir, const char *sname, int ddir, const char *dname,
		     const struct stat *st)
{
	int in = openat(sdir, sname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	int out, r, err;

	if (in < 0)
		return -1;
	out = openat(ddir, dname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		     O_CLOEXEC | O_NOCTTY, 0600);
	if (out < 0) {
		err = errno;
		close(in);
		return err == EEXIST ? 0 : fail_with(err);
	}
	r = copy_bytes(in, out);
	err = errno;
	if (r == 0)
		copy_attrs(out, st);
	close(in);
	if (close(out) < 0 && r == 0) {
		r = -1;
		err = errno;
	}
	return r < 0 ? fail_with(err) : 0;
}

static int copy_link(int sdir, const char *sname, int ddir, const char *dname)
{
	char target[PATH_MAX + 1];
	ssize_t n = readlinkat(sdir, sname, target, sizeof(target));

	if (n < 0)
		return -1;
	if ((size_t)n == sizeof(target))
		return fail_with(ENAMETOOLONG);
	target[n] = '\0';
	if (symlinkat(target, ddir, dname) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static bool dir_is_empty(int fd)
{
	int dup_fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	bool empty = true;
	DIR *d;

	if (dup_fd < 0 || !(d = fdopendir(dup_fd))) {
		if (dup_fd >= 0)
			close(dup_fd);
		return false;
	}
	while ((e = readdir(d)) && empty)
		empty = is_dot(e->d_name);
	closedir(d);
	return empty;
}

static int copy_dir(int sdir, const char *sname, int ddir, const char *dname,
		    const struct stat *st, bool merge)
{
	bool made = mkdirat(ddir, dname, 0700) == 0;
	int dfd, first = 0;
	struct dirent *e;
	DIR *d;

	if (!made && errno != EEXIST)
		return -1;
	dfd = openat(ddir, dname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOTDIR || errno == ELOOP ? 0 : -1;
	if (!made && !merge && !dir_is_empty(dfd)) {
		close(dfd);
		return 0;
	}
	if (!(d = open_dir_on(sdir, sname, st->st_dev))) {
		int err = errno;

		close(dfd);
		return fail_with(err);
	}
	while ((errno = 0, e = readdir(d)))
		if (!is_dot(e->d_name) &&
		    tmpfiles_fs_copy_tree(dirfd(d), e->d_name, dfd, e->d_name,
					  merge) < 0)
			keep_first(&first, errno);
	if (errno)
		keep_first(&first, errno);
	closedir(d);
	if (made)
		copy_attrs(dfd, st);
	close(dfd);
	return first ? fail_with(first) : 0;
}

int tmpfiles_fs_copy_tree(int sdir, const char *sname, int ddir,
			  const char *dname, bool merge)
{
	struct stat st;

	if (fstatat(sdir, sname, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (S_ISDIR(st.st_mode))
		return copy_dir(sdir, sname, ddir, dname, &st, merge);
	if (S_ISREG(st.st_mode))
		return copy_file(sdir, sname, ddir, dname, &st);
	if (S_ISLNK(st.st_mode))
		return copy_link(sdir, sname, ddir, dname);
	if (S_ISFIFO(st.st_mode) &&
	    mkfifoat(ddir, dname, st.st_mode & 07777) < 0 && errno != EEXIST)
		return -1;
	/* Devices and sockets are not copied, as systemd's copy_tree. */
	return 0;
}

int tmpfiles_fs_walk(int parent, const char *name, tmpfiles_fs_walk_fn *fn,
		     void *ctx)
{
	struct stat st;
	struct dirent *e;
	int first = 0;
	DIR *d;

	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (fn(ctx, parent, name, &st) < 0)
		keep_first(&first, errno);
	if (!S_ISDIR(st.st_mode))
		return first ? fail_with(first) : 0;
	if (!(d = open_dir_on(parent, name, st.st_dev)))
		return errno == EBUSY ? 0 : -1;
	while ((errno = 0, e = readdir(d)))
		if (!is_dot(e->d_name) &&
		    tmpfiles_fs_walk(dirfd(d), e->d_name, fn, ctx) < 0)
			keep_first(&first, errno);
	if (errno)
		keep_first(&first, errno);
	closedir(d);
	return first ? fail_with(first) : 0;
}
