#include "spawn_ident.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "unit.h"

/* From linux/mount.h, which clashes with sys/mount.h on older libcs. */
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

/* mkdir -p on the fresh tmpfs, in a stack buffer: no allocation here. */
static int make_path(const char *path)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int spawn_private_dirs(const struct spawn_private *p)
{
	size_t i;

	if (!p || p->n_dirs == 0)
		return 0;
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return -1;
	/* Taken before the cover hides them. */
	for (i = 0; i < p->n_dirs; i++) {
		p->fds[i] = (int)syscall(SYS_open_tree, AT_FDCWD, p->dirs[i],
					 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
					 AT_RECURSIVE);
		if (p->fds[i] < 0)
			return -1;
	}
	for (char **root = p->roots; *root; root++)
		if (mount("tmpfs", *root, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "mode=0755") < 0)
			return -1;
	for (i = 0; i < p->n_dirs; i++) {
		if (make_path(p->dirs[i]) < 0 ||
		    syscall(SYS_move_mount, p->fds[i], "", AT_FDCWD, p->dirs[i],
			    MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return -1;
		close(p->fds[i]);
	}
	return 0;
}

int spawn_keyring(unsigned char mode)
{
	long r;

	if (mode == UNIT_KEYRING_INHERIT)
		return 0;
	/* A NULL name: a new anonymous keyring, the process's own. */
	r = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, (char *)NULL);
	if (r >= 0 && mode == UNIT_KEYRING_SHARED)
		r = syscall(SYS_keyctl, KEYCTL_LINK, KEY_SPEC_USER_KEYRING,
			    KEY_SPEC_SESSION_KEYRING);
	if (r >= 0)
		return 0;
	if (errno == ENOSYS || errno == EOPNOTSUPP || errno == EPERM ||
	    errno == EACCES || errno == EDQUOT)
		return 0;
	return -1;
}
