#include "privdirs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "execenv.h"
#include "log.h"
#include "strv.h"

uid_t privdirs_owner(const struct unit *unit, char *const *roots)
{
	for (int d = 0; d < UNIT_DIR_COUNT; d++) {
		if (!unit_dir_is_private(d))
			continue;
		for (char **name = unit->directories[d]; name && *name; name++) {
			struct stat st;
			char *path;
			int r;

			if (asprintf(&path, "%s/private/%s", roots[d], *name) < 0)
				continue;
			r = stat(path, &st);
			free(path);
			if (r == 0)
				return st.st_uid;
		}
	}
	return (uid_t)-1;
}

/* Some file systems leave d_type unknown: ask the inode. */
static bool is_dir(int dir_fd, const struct dirent *entry)
{
	struct stat st;

	if (entry->d_type != DT_UNKNOWN)
		return entry->d_type == DT_DIR;
	return fstatat(dir_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* Everything under the directory open at fd to uid, through fds only,
 * never following a link: a service that swaps a directory for a link
 * cannot lead svd, as root, out of its tree. Closes fd. */
static int chown_tree(int fd, uid_t uid, unsigned depth)
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
		if (fchownat(dirfd(dir), name, uid, (gid_t)uid,
			     AT_SYMLINK_NOFOLLOW) < 0 && errno != ENOENT)
			r = -1;
		if (!is_dir(dirfd(dir), entry))
			continue;
		if (depth == 0) {
			errno = ELOOP;
			r = -1;
		} else if ((child = openat(dirfd(dir), name, O_RDONLY | O_DIRECTORY |
					   O_NOFOLLOW | O_CLOEXEC)) < 0 ||
			   chown_tree(child, uid, depth - 1) < 0) {
			r = -1;
		}
	}
	closedir(dir);
	return r;
}

/* ROOT/private: root's, 0700, whatever it was. */
static int make_private_root(const char *path, const char **failed)
{
	int fd, r;

	*failed = "mkdir";
	if (execenv_make_parents(path) < 0 ||
	    (mkdir(path, 0700) < 0 && errno != EEXIST))
		return -1;
	*failed = "open";
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	*failed = "chmod";
	r = fchown(fd, 0, 0) < 0 || fchmod(fd, 0700) < 0 ? -1 : 0;
	close(fd);
	return r;
}

/* ROOT/private/NAME, the service's own, its tree chowned when it was
 * someone else's (an earlier dynamic uid of the same service). */
static int make_own(const char *path, int mode, uid_t uid, const char **failed)
{
	struct stat st;
	int fd, r = 0;

	*failed = "mkdir";
	if (execenv_make_parents(path) < 0 ||
	    (mkdir(path, (mode_t)mode) < 0 && errno != EEXIST))
		return -1;
	*failed = "open";
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_uid != uid || st.st_gid != (gid_t)uid) {
		int inner = dup(fd);

		*failed = "chown";
		if (inner < 0 || chown_tree(inner, uid, PRIVDIRS_CHOWN_DEPTH_MAX) < 0)
			r = -1;
	}
	/* The top after the tree, and the mode after chown (which clears
	 * a set-group-ID bit). */
	if (r == 0 && fchown(fd, uid, (gid_t)uid) < 0)
		r = -1;
	if (r == 0) {
		*failed = "chmod";
		r = fchmod(fd, (mode_t)mode);
	}
	close(fd);
	return r;
}

/* "private/NAME", with a "../" for each '/' of NAME: relative, so the
 * link reads the same under a RootDirectory= or a copy of the tree. */
static char *link_target(const char *name)
{
	size_t up = 0, len = strlen(name);
	char *target, *p;

	for (const char *c = name; *c; c++)
		up += *c == '/';
	target = malloc(up * 3 + sizeof("private/") + len);
	if (!target)
		return NULL;
	p = target;
	for (size_t i = 0; i < up; i++, p += 3)
		memcpy(p, "../", 3);
	sprintf(p, "private/%s", name);
	return target;
}

/* ROOT/NAME: moved into private the first time (a directory the service
 * had before DynamicUser=), then a symlink to it. */
static int make_link(const char *link, const char *own, const char *name,
		     const char **failed)
{
	char *target = link_target(name), current[PATH_MAX];
	struct stat st;
	ssize_t n;
	int r = -1;

	*failed = "symlink";
	if (!target)
		return -1;
	if (lstat(link, &st) == 0 && S_ISDIR(st.st_mode)) {
		*failed = "rename";
		if (access(own, F_OK) == 0) {
			errno = EEXIST;	/* both there: which one is right? */
			goto out;
		}
		if (execenv_make_parents(own) < 0 || rename(link, own) < 0)
			goto out;
		*failed = "symlink";
	}
	n = readlink(link, current, sizeof(current) - 1);
	if (n >= 0) {
		current[n] = '\0';
		if (strcmp(current, target) == 0) {
			r = 0;
			goto out;
		}
		if (unlink(link) < 0)
			goto out;
	} else if (errno != ENOENT) {
		goto out;
	}
	*failed = "symlink";
	if (execenv_make_parents(link) == 0 && symlink(target, link) == 0)
		r = 0;
out:
	free(target);
	return r;
}

static int make_one(int d, const char *root, const char *name, int mode,
		    uid_t uid, char *why, size_t size)
{
	char *priv = NULL, *own = NULL, *link = NULL, errbuf[160];
	const char *failed = "mkdir", *where;
	int r = -1;

	if (asprintf(&priv, "%s/private", root) < 0 ||
	    asprintf(&own, "%s/%s", priv, name) < 0 ||
	    asprintf(&link, "%s/%s", root, name) < 0) {
		snprintf(why, size, "%s", strerror(ENOMEM));
		goto out;
	}
	where = priv;
	if (make_private_root(priv, &failed) < 0)
		goto failed;
	where = link;
	if (make_link(link, own, name, &failed) < 0)
		goto failed;
	where = own;
	if (make_own(own, mode, uid, &failed) < 0)
		goto failed;
	r = 0;
	goto out;
failed:
	snprintf(why, size, "%s=%s: %s %s: %s", unit_dir_name(d), name, failed,
		 where, log_errno_text(errno, errbuf, sizeof(errbuf)));
out:
	free(priv);
	free(own);
	free(link);
	return r;
}

int privdirs_make(const struct unit *unit, char *const *roots, uid_t uid,
		  char *why, size_t size)
{
	for (int d = 0; d < UNIT_DIR_COUNT; d++) {
		if (!unit_dir_is_private(d))
			continue;
		for (char **name = unit->directories[d]; name && *name; name++)
			if (make_one(d, roots[d], *name, unit->directory_mode[d],
				     uid, why, size) < 0)
				return -1;
	}
	return 0;
}

int privdirs_mounts(const struct unit *unit, char *const *roots,
		    struct spawn_private *out)
{
	*out = (struct spawn_private){ 0 };
	for (int d = 0; d < UNIT_DIR_COUNT; d++) {
		char *path;

		if (!unit_dir_is_private(d) || !unit->directories[d] ||
		    !unit->directories[d][0])
			continue;
		if (asprintf(&path, "%s/private", roots[d]) < 0 ||
		    strv_push_take(&out->roots, path) < 0)
			goto nomem;
		for (char **name = unit->directories[d]; *name; name++) {
			if (asprintf(&path, "%s/private/%s", roots[d], *name) < 0 ||
			    strv_push_take(&out->dirs, path) < 0)
				goto nomem;
			out->n_dirs++;
		}
	}
	if (out->n_dirs && !(out->fds = calloc(out->n_dirs, sizeof(*out->fds))))
		goto nomem;
	return 0;
nomem:
	privdirs_mounts_free(out);
	errno = ENOMEM;
	return -1;
}

void privdirs_mounts_free(struct spawn_private *mounts)
{
	strv_free(mounts->roots);
	strv_free(mounts->dirs);
	free(mounts->fds);
	*mounts = (struct spawn_private){ 0 };
}
