/* spawn_ns: the child's half of a service's sandbox (sandbox_fs.h's
 * keys): new namespaces and a list of mount operations that svd worked
 * out before the fork (sandbox.c). The child only makes raw system calls
 * (unshare, mount, mount_setattr, open, mkdir, symlink, ioctl) through
 * the list, in order, and stops at the first failure with the key the
 * operation was for and the errno: nothing here allocates, so it runs in
 * a vfork child.
 *
 * Sources that later mounts could hide (the old /dev for PrivateDevices=,
 * the private /tmp directories, the node that stands for an inaccessible
 * file) are opened first into slots and bound from /proc/self/fd/N. */
#ifndef SVD_SPAWN_NS_H
#define SVD_SPAWN_NS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum spawn_ns_kind {
	SPAWN_NS_OPEN,		/* path into slot, O_PATH */
	SPAWN_NS_BIND,		/* source (or slot/source) on path; flags */
	SPAWN_NS_MOUNT,		/* a file system: fstype on path, flags, data */
	SPAWN_NS_MOVE,		/* the mount at source to path */
	SPAWN_NS_MKDIR,		/* path, mode */
	SPAWN_NS_FILE,		/* an empty file at path to bind a node on */
	SPAWN_NS_SYMLINK,	/* path pointing at source */
	SPAWN_NS_ATTR,		/* attr_set/attr_clr on the mount at path */
};

/* spawn_ns_op.flags */
#define SPAWN_NS_OPTIONAL 0x1	 /* ENOENT: skipped (a "-" path) */
#define SPAWN_NS_SUBMOUNT 0x2	 /* ATTR: EINVAL, ENOENT: hidden, skipped */
#define SPAWN_NS_RECURSIVE 0x4	 /* ATTR: the whole tree under path */
#define SPAWN_NS_BEST_EFFORT 0x8 /* any failure: skipped */

struct spawn_ns_op {
	unsigned char kind;	/* enum spawn_ns_kind */
	unsigned char key;	/* enum sandbox_key: what a failure names */
	unsigned char flags;
	signed char slot;	/* OPEN: where; BIND: source below it; -1 */
	const char *path;
	const char *source;	/* BIND: a path, or relative to slot */
	const char *fstype;	/* MOUNT */
	const char *data;	/* MOUNT: options */
	unsigned long mount_flags; /* BIND: MS_REC; MOUNT: MS_*; ATTR: the
				      MS_* flags the mount has, for kernels
				      without mount_setattr() */
	uint64_t attr_set, attr_clr; /* ATTR: MOUNT_ATTR_RDONLY, ..._NOEXEC */
	unsigned mode;		/* MKDIR */
};

#define SPAWN_NS_SLOTS_MAX 64

/* What the child applies; all zero: nothing. */
struct spawn_ns {
	int unshare_flags;	/* CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWIPC,
				   CLONE_NEWUTS (not CLONE_NEWUSER) */
	unsigned char unshare_key[4]; /* the key each of those is for */
	/* Per CLONE_NEWNS, NEWNET, NEWIPC, NEWUTS: the namespace of an
	 * earlier process of the service to join (setns) instead of a new
	 * one, or -1; 0 in a zeroed plan means none too (see join_set). */
	int join_fd[4];
	bool join_set;		/* join_fd is filled */
	struct spawn_ns_op *ops;
	size_t n_ops;
	int *slots;		/* SPAWN_NS_SLOTS_MAX, the child's scratch */
	/* PrivateUsers=: a user namespace mapping root and the service's
	 * user and group to themselves; "0 0 1\nUID UID 1\n". */
	bool private_users;
	const char *uid_map, *gid_map;
	uint64_t drop_caps;	/* taken out of the bounding set */
	char **strings;		/* what the ops point into: svd's, freed
				   by sandbox_plan_free() */
};

/* The child: namespaces, then the operations. 0, or -1 with errno and
 * *key (enum sandbox_key) the key the failure is for. */
int spawn_ns_apply(const struct spawn_ns *ns, int *key);
/* Brings up lo in the caller's network namespace; -1 with errno.
 * Async-signal-safe. */
int spawn_ns_loopback_up(void);
/* The child, right before it changes user: PrivateUsers='s user
 * namespace (a helper process writes its maps from outside). groups are
 * set first, as root, where they cannot be mapped inside. 0, or -1 with
 * errno. */
int spawn_ns_users(const struct spawn_ns *ns, const gid_t *groups,
		   int n_groups);

#endif
