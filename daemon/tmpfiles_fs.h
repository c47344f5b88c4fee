/* tmpfiles_fs: the file-system steps of tmpfiles, confined to a root
 * directory (/ at boot; a temporary directory in the tests).
 *
 * Paths are resolved with openat2(RESOLVE_IN_ROOT): a symlink on the way
 * (/var/run -> /run, or an absolute one planted by whoever could write
 * there) is followed as if root were "/", never out of it. The last
 * component is never followed: it is created, opened, changed or
 * removed through its parent's fd with O_NOFOLLOW/AT_SYMLINK_NOFOLLOW, and
 * mode and owner are changed through an O_PATH fd of the very inode that
 * was checked, as systemd-tmpfiles does (fchmod_opath). Without openat2
 * (Linux before 5.6) a root other than "/" is walked one component at a
 * time with O_NOFOLLOW, so a symlink on the way is refused, not followed. */
#ifndef SVD_TMPFILES_FS_H
#define SVD_TMPFILES_FS_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

struct tmpfiles_root {
	int fd;			/* O_PATH of the root directory */
	bool is_slash;		/* the real "/" */
};

/* Returns -1 with errno. */
int tmpfiles_fs_root_open(struct tmpfiles_root *root, const char *path);
void tmpfiles_fs_root_close(struct tmpfiles_root *root);

/* Opens path (absolute, normalized) under the root with flags (O_CLOEXEC
 * added), symlinks on the way resolved inside the root. */
int tmpfiles_fs_open(const struct tmpfiles_root *root, const char *path,
		     int flags);
/* The O_PATH fd of path's parent directory; *name points at the last
 * component in path ("." for "/"). With make_parents, missing
 * directories on the way are made (0755, as systemd-tmpfiles).
 * Returns -1 with errno. */
int tmpfiles_fs_open_parent(const struct tmpfiles_root *root,
			    const char *path, bool make_parents,
			    const char **name);

/* Sets the mode of the inode an O_PATH fd holds (not a symlink), which
 * is parent/name. */
int tmpfiles_fs_chmod(int opath_fd, int parent, const char *name,
		      mode_t mode);

/* Removes parent/name, a directory with all it holds; with keep_top only
 * what it holds. Never follows a symlink, never goes into another file
 * system (a mount point below is left, and makes it fail with EBUSY).
 * Returns -1 with errno of the first failure; goes on past it. */
int tmpfiles_fs_remove_tree(int parent, const char *name, bool keep_top);

/* Copies sdir/sname to ddir/dname: a directory recursively, files with
 * their contents, symlinks as links, each keeping its mode (and owner,
 * where svd may set it). What exists at the destination is kept; with
 * merge a directory that exists is gone into, else it is only gone into
 * when empty. Returns -1 with errno of the first failure. */
int tmpfiles_fs_copy_tree(int sdir, const char *sname, int ddir,
			  const char *dname, bool merge);

/* Calls fn on parent/name and, for a directory, on everything below it
 * (no symlink followed, no other file system entered); fn gets the
 * parent's fd, the name and its lstat. Returns -1 with errno of the
 * first failure of fn (which returns -1 with errno) or of the walk. */
typedef int tmpfiles_fs_walk_fn(void *ctx, int parent, const char *name,
				const struct stat *st);
int tmpfiles_fs_walk(int parent, const char *name, tmpfiles_fs_walk_fn *fn,
		     void *ctx);

#endif
