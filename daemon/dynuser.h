/* dynuser: DynamicUser='s users (systemd.exec(5)). A user is a name and
 * a uid from UNIT_DYNAMIC_UID_MIN..MAX that no entry of the user or group
 * database holds, with the gid of the same number; services that ask for
 * the same name share it, and it is free again once the last of them has
 * stopped. svd has no NSS module: the name resolves for svd alone (USER=,
 * LOGNAME=), getpwuid() in the service finds no entry. */
#ifndef SVD_DYNUSER_H
#define SVD_DYNUSER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "unit.h"

/* Longest name a dynamic user gets (as useradd's default). */
#define DYNUSER_NAME_MAX 31

struct dynuser {
	struct dynuser *next;
	unsigned refs;		/* services running as it */
	uid_t uid;		/* and gid */
	char name[];
};

/* The users in use; one per svd. */
struct dynusers {
	struct dynuser *first;
	size_t n;
};

/* The name a unit's dynamic user has: User= when given, else the unit's
 * name without suffix and instance, as systemd derives it; a name that is
 * no valid user name becomes "_du" and a hash of it. Writes at most
 * DYNUSER_NAME_MAX + 1 bytes. */
void dynuser_name(const struct unit *unit, const char *unit_name,
		  char out[DYNUSER_NAME_MAX + 1]);

/* Whether uid may be given: in the range, not held by another dynamic
 * user, no entry in the user or group database. */
bool dynuser_uid_free(const struct dynusers *set, uid_t uid);

/* A reference on the user called name: the existing one, or a new one
 * with prefer (the owner of its state directory, so that its files stay
 * its own) when free, else the uid a hash of the name picks, else the
 * next free one. NULL with errno: EBUSY when the range is full, ENOMEM. */
struct dynuser *dynuser_acquire(struct dynusers *set, const char *name,
				uid_t prefer);
/* Drops one reference; the last frees the user and its uid. */
void dynuser_release(struct dynusers *set, struct dynuser *user);

#endif
