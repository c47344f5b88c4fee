/* access: who may use the control socket, after svd.conf's [Control].
 *
 * Two gates. The kernel's: the socket file's mode and group decide who
 * may connect at all. svd's, per request: the peer's credentials as the
 * kernel recorded them at connect (SO_PEERCRED, SO_PEERGROUPS) give it a
 * level, and every verb needs one (access_verb_level). */
#ifndef SVD_ACCESS_H
#define SVD_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "settings.h"

/* Ordered: each level may do what the ones below it may. */
enum access_level {
	ACCESS_NONE,	/* nothing: SocketGroup= names the readers, and this
			 * peer is not one (the socket's mode let it in) */
	ACCESS_STATUS,	/* states only (status, list, show, monitor): any
			 * peer the socket lets in while no SocketGroup= is
			 * set, as before there were groups */
	ACCESS_READ,	/* and what services print (logs): SocketGroup= */
	ACCESS_MANAGE,	/* and start, stop, enable...: ManageGroup=,
			 * ManageUsers= */
	ACCESS_ALL,	/* and poweroff, tmpfiles: root, svd's own uid */
};

/* SocketMode= when not given: the design's 0600, or 0660 with a group. */
#define ACCESS_SOCKET_MODE 0600
#define ACCESS_SOCKET_MODE_GROUP 0660

/* [Control] resolved to numbers, at start and at daemon-reload: NSS is
 * asked then, never while a request waits. */
struct access_policy {
	mode_t socket_mode;
	bool has_read_group;	/* SocketGroup= given (even if unknown) */
	bool read_group_known;	/* and resolved: read_gid is it */
	gid_t read_gid;
	bool has_manage_group;
	gid_t manage_gid;
	uid_t *manage_uids;	/* ManageUsers=, resolved */
	size_t n_manage_uids;
};

/* Resolves s's [Control]. A name that resolves to nothing is logged with
 * its key and left out (an unknown SocketGroup= also keeps the socket
 * 0600: nobody is let in by mistake). Returns -1 only on ENOMEM. */
int access_policy_load(struct access_policy *p, const struct settings *s);
void access_policy_free(struct access_policy *p);

/* Gives the socket at path its group and mode (it was bound 0600, so it
 * only ever widens once the group is right). Returns -1 after logging. */
int access_apply_socket(const struct access_policy *p, const char *path);

/* The level of the peer connected on fd, whose SO_PEERCRED said uid and
 * gid, under policy p (NULL: root and svd's uid get all, others status,
 * as before svd.conf had a say). */
enum access_level access_peer_level(const struct access_policy *p, int fd,
				    uid_t uid, gid_t gid, pid_t pid);

/* The level a verb needs, from its vocab flags (vocab.h). */
enum access_level access_verb_level(unsigned vocab_flags);

/* Why a peer at have may not do what needs need, and how it could:
 * "uid 1000 may only read states; svd.conf's [Control] ..." (static). */
const char *access_denied_hint(enum access_level have, enum access_level need);

#endif
