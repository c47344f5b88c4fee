/* spawn_ident: the child's steps for who a service is beyond its uid and
 * gid: DynamicUser='s private directories and KeyringMode='s session
 * keyring. Raw system calls only, nothing that allocates: they run
 * between fork (or vfork) and exec. */
#ifndef SVD_SPAWN_IDENT_H
#define SVD_SPAWN_IDENT_H

#include <stddef.h>

/* DynamicUser='s private directories (privdirs.h): the child, in a mount
 * namespace of its own, takes a detached copy of each of dirs, covers
 * each of roots (ROOT/private) with an empty tmpfs, and puts the copies
 * back in it at their paths. */
struct spawn_private {
	char **roots;		/* NULL-terminated */
	char **dirs;		/* NULL-terminated, n_dirs of them */
	int *fds;		/* n_dirs: the child's scratch */
	size_t n_dirs;
};

/* As root, before the user changes. Returns -1 with errno. Needs
 * open_tree(2) and move_mount(2) (Linux 5.2): ENOSYS before. */
int spawn_private_dirs(const struct spawn_private *p);

/* KeyringMode= (enum unit_keyring_mode), as the service's user: a new
 * anonymous session keyring for private, with the user's keyring linked
 * in for shared; nothing for inherit. A kernel without keyrings, or a
 * sandbox that forbids them (EPERM, EACCES, EDQUOT), leaves the
 * process in svd's keyring, as systemd does. Returns -1 with errno. */
int spawn_keyring(unsigned char mode);

#endif
