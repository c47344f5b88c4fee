#include "creds.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows the buffer until the *_r lookup fits: no entry is cut. */
#define LOOKUP_BUF_START 1024
#define LOOKUP_BUF_MAX (1024 * 1024)

static bool parse_id(const char *text, unsigned long *id)
{
	char *end;

	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	*id = strtoul(text, &end, 10);
	return errno == 0 && *end == '\0' && *id < 0xffffffffUL;
}

/* 0 found, 1 not found, -1 error (errno). */
static int lookup_user(const char *name, struct passwd *pw, char **buf)
{
	struct passwd *found = NULL;
	size_t size = LOOKUP_BUF_START;
	int r;

	for (;;) {
		char *grown = realloc(*buf, size);

		if (!grown)
			return -1;
		*buf = grown;
		r = getpwnam_r(name, pw, *buf, size, &found);
		if (r != ERANGE || size >= LOOKUP_BUF_MAX)
			break;
		size *= 2;
	}
	if (r) {
		errno = r;
		return -1;
	}
	return found ? 0 : 1;
}

static int lookup_group(const char *name, gid_t *gid)
{
	struct group gr, *found = NULL;
	size_t size = LOOKUP_BUF_START;
	char *buf = NULL;
	unsigned long id;
	int r;

	if (parse_id(name, &id)) {
		*gid = (gid_t)id;
		return 0;
	}
	for (;;) {
		char *grown = realloc(buf, size);

		if (!grown) {
			free(buf);
			return -1;
		}
		buf = grown;
		r = getgrnam_r(name, &gr, buf, size, &found);
		if (r != ERANGE || size >= LOOKUP_BUF_MAX)
			break;
		size *= 2;
	}
	if (found)
		*gid = gr.gr_gid;
	free(buf);
	if (r) {
		errno = r;
		return -1;
	}
	return found ? 0 : 1;
}

static int add_group(struct creds *creds, gid_t gid)
{
	gid_t *grown;

	for (int i = 0; i < creds->n_groups; i++)
		if (creds->groups[i] == gid)
			return 0;
	grown = realloc(creds->groups, (size_t)(creds->n_groups + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	creds->groups = grown;
	creds->groups[creds->n_groups++] = gid;
	return 0;
}

/* The user's groups from the group database, as initgroups(3) would set
 * them. */
static int add_user_groups(struct creds *creds, const char *user, gid_t gid)
{
	int n = 32;
	gid_t *list = NULL;

	for (;;) {
		gid_t *grown = realloc(list, (size_t)n * sizeof(*list));
		int want = n;

		if (!grown) {
			free(list);
			return -1;
		}
		list = grown;
		if (getgrouplist(user, gid, list, &want) >= 0) {
			n = want;
			break;
		}
		if (want <= n || want > 65536) {
			free(list);
			errno = EINVAL;
			return -1;
		}
		n = want;
	}
	for (int i = 0; i < n; i++)
		if (add_group(creds, list[i]) < 0) {
			free(list);
			return -1;
		}
	free(list);
	return 0;
}

static int resolve_user(const char *user, struct creds *creds, char *why,
			unsigned size)
{
	struct passwd pw;
	char *buf = NULL;
	unsigned long id;
	int r = lookup_user(user, &pw, &buf);

	if (r == 1 && parse_id(user, &id)) {
		/* A bare number with no entry: as systemd, run as it. */
		creds->uid = (uid_t)id;
		creds->gid = (gid_t)id;
		creds->home = strdup("/");
		creds->shell = strdup("/bin/sh");
		creds->user_name = strdup(user);
		free(buf);
		return creds->home && creds->shell && creds->user_name ? 0 : -1;
	}
	if (r != 0) {
		snprintf(why, size, "User=%s: %s", user, r > 0 ?
			 "no such user" : strerror(errno));
		free(buf);
		errno = r > 0 ? ENOENT : errno;
		return -1;
	}
	creds->uid = pw.pw_uid;
	creds->gid = pw.pw_gid;
	creds->user_name = strdup(pw.pw_name);
	creds->home = strdup(pw.pw_dir && *pw.pw_dir ? pw.pw_dir : "/");
	creds->shell = strdup(pw.pw_shell && *pw.pw_shell ? pw.pw_shell : "/bin/sh");
	r = creds->user_name && creds->home && creds->shell ? 0 : -1;
	if (r == 0 && add_user_groups(creds, pw.pw_name, pw.pw_gid) < 0) {
		snprintf(why, size, "User=%s: its groups: %s", user,
			 strerror(errno));
		r = -1;
	}
	free(buf);
	return r;
}

/* A dynamic user has no entry anywhere: what nss-systemd would say of
 * it, a home of "/" and no login shell. */
static int dynamic_user(const struct creds_as *as, struct creds *creds)
{
	creds->uid = as->uid;
	creds->gid = (gid_t)as->uid;
	creds->user_name = strdup(as->user);
	creds->home = strdup("/");
	creds->shell = strdup(CREDS_NOLOGIN_SHELL);
	return creds->user_name && creds->home && creds->shell ? 0 : -1;
}

int creds_resolve(const struct unit *unit, struct creds *creds, char *why,
		  unsigned size)
{
	return creds_resolve_as(unit, NULL, creds, why, size);
}

int creds_resolve_as(const struct unit *unit, const struct creds_as *as,
		     struct creds *creds, char *why, unsigned size)
{
	const char *user = as ? as->user : unit->user;
	int r;

	*creds = (struct creds){ .switch_user = user || unit->group };
	snprintf(why, size, "out of memory");
	if (!creds->switch_user)
		return 0;
	if (as && as->dynamic) {
		if (dynamic_user(as, creds) < 0)
			goto fail;
	} else if (user && resolve_user(user, creds, why, size) < 0) {
		goto fail;
	}
	/* A dynamic user's group is its own number: Group= only names it,
	 * as systemd allocates it under that name. */
	if (unit->group && !(as && as->dynamic)) {
		r = lookup_group(unit->group, &creds->gid);
		if (r != 0) {
			snprintf(why, size, "Group=%s: %s", unit->group, r > 0 ?
				 "no such group" : strerror(errno));
			errno = r > 0 ? ENOENT : errno;
			goto fail;
		}
	}
	if (add_group(creds, creds->gid) < 0)
		goto fail;
	for (size_t i = 0; unit->supplementary_groups &&
	     unit->supplementary_groups[i]; i++) {
		gid_t gid;

		r = lookup_group(unit->supplementary_groups[i], &gid);
		if (r != 0) {
			snprintf(why, size, "SupplementaryGroups=%s: %s",
				 unit->supplementary_groups[i], r > 0 ?
				 "no such group" : strerror(errno));
			errno = r > 0 ? ENOENT : errno;
			goto fail;
		}
		if (add_group(creds, gid) < 0)
			goto fail;
	}
	return 0;
fail:
	r = errno;
	creds_free(creds);
	errno = r;
	return -1;
}

void creds_free(struct creds *creds)
{
	free(creds->groups);
	free(creds->user_name);
	free(creds->home);
	free(creds->shell);
	*creds = (struct creds){0};
}
