/* creds: who a service runs as. User=, Group= and SupplementaryGroups=
 * are looked up (NSS may read files or ask a daemon) in svd, before the
 * fork; the child only applies numbers, with async-signal-safe calls. */
#ifndef SVD_CREDS_H
#define SVD_CREDS_H

#include <stdbool.h>
#include <sys/types.h>

#include "unit.h"

struct creds {
	bool switch_user;	/* User= or Group= given: the child switches */
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* the user's groups and SupplementaryGroups= */
	int n_groups;
	char *user_name;	/* for USER=, LOGNAME= */
	char *home;		/* for HOME= and WorkingDirectory=~ */
	char *shell;		/* for SHELL= */
};

/* Resolves unit's credentials. Returns -1 with why set ("User=www-data:
 * no such user"), errno ENOENT for an unknown name, or ENOMEM. */
int creds_resolve(const struct unit *unit, struct creds *creds, char *why,
		  unsigned size);

/* The shell a dynamic user gets (nss-systemd's). */
#define CREDS_NOLOGIN_SHELL "/usr/sbin/nologin"

/* Who a unit runs as instead of its User= (DynamicUser=, dynuser.h). */
struct creds_as {
	const char *user;	/* the name */
	bool dynamic;		/* uid (and gid) below; else user is looked
				   up as User= would be (a static user of
				   that name, which DynamicUser= then uses) */
	uid_t uid;
};

/* creds_resolve with the user as says; as NULL: the unit's own. */
int creds_resolve_as(const struct unit *unit, const struct creds_as *as,
		     struct creds *creds, char *why, unsigned size);
void creds_free(struct creds *creds);

#endif
