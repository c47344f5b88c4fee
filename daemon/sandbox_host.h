/* sandbox_host: what sandbox.c asks of the host before a fork: the
 * mount table, whether a namespace can be had, the private /tmp
 * directories. Internal to sandbox.c. */
#ifndef SVD_SANDBOX_HOST_H
#define SVD_SANDBOX_HOST_H

#include <stdbool.h>
#include <stddef.h>

/* One mount of svd's namespace (/proc/self/mountinfo). */
struct sandbox_mount {
	char *path;
	unsigned long flags;	/* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC,
				   and the atime ones */
};

struct sandbox_mounts {
	struct sandbox_mount *items;
	size_t n;
};

/* Reads svd's mount table; -1 with errno. */
int sandbox_mounts_read(struct sandbox_mounts *mounts);
void sandbox_mounts_free(struct sandbox_mounts *mounts);
bool sandbox_mounts_has(const struct sandbox_mounts *mounts, const char *path);
/* The flags of the mount path is on (the longest prefix). */
unsigned long sandbox_mounts_flags_of(const struct sandbox_mounts *mounts,
				      const char *path);

/* 0 when a process of svd's may unshare(flag) (and for CLONE_NEWNS,
 * make its mounts its own), else the errno; asked once per flag by a
 * short-lived child, then remembered. */
int sandbox_probe(int flag);

/* Fresh namespaces of flags (CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS),
 * made by a short-lived child (lo up in the network one) and kept open:
 * fds[0..2] get net, ipc, uts (-1 for those not asked). 0, or the errno
 * and *flag the kind that failed. */
int sandbox_make_namespaces(int flags, int fds[3], int *flag);

/* PrivateTmp='s directory under base ("/tmp", "/var/tmp"):
 * BASE/svd-private-NAME-XXXXXX (0700) with tmp/ (1777) inside; the
 * path of the outer one, malloc'd, or NULL with errno. */
char *sandbox_make_private_tmp(const char *base, const char *unit_name);
/* Removes such a directory and all in it; -1 with errno. */
int sandbox_remove_private_tmp(const char *dir);

#endif
