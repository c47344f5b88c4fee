#include "dynuser.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* useradd's rule, which systemd's valid_user_group_name() follows for
 * what it derives: a letter or '_', then letters, digits, '_', '-'. */
static bool name_valid(const char *name, size_t len)
{
	if (len == 0 || len > DYNUSER_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     c == '_';

		if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '-')))
			return false;
	}
	return true;
}

/* FNV-1a: the same name always hashes to the same place, so a service
 * gets the same uid each time its uid is free. */
static uint64_t hash_name(const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void dynuser_name(const struct unit *unit, const char *unit_name,
		  char out[DYNUSER_NAME_MAX + 1])
{
	const char *name = unit->user ? unit->user : unit_name;
	size_t len = strlen(name);

	if (!unit->user) {
		/* "foo@bar.service" and "foo.service" are both "foo". */
		const char *at = strchr(name, '@'), *dot = strrchr(name, '.');

		len = at ? (size_t)(at - name) : dot ? (size_t)(dot - name) : len;
	}
	if (name_valid(name, len)) {
		memcpy(out, name, len);
		out[len] = '\0';
		return;
	}
	snprintf(out, DYNUSER_NAME_MAX + 1, "_du%016llx",
		 (unsigned long long)hash_name(name, len));
}

static struct dynuser *find_name(const struct dynusers *set, const char *name)
{
	for (struct dynuser *u = set->first; u; u = u->next)
		if (strcmp(u->name, name) == 0)
			return u;
	return NULL;
}

bool dynuser_uid_free(const struct dynusers *set, uid_t uid)
{
	if (uid < UNIT_DYNAMIC_UID_MIN || uid > UNIT_DYNAMIC_UID_MAX)
		return false;
	for (struct dynuser *u = set->first; u; u = u->next)
		if (u->uid == uid)
			return false;
	/* The databases as NSS has them, as systemd asks them: a uid or gid
	 * someone gave out by hand is never handed on. */
	return !getpwuid(uid) && !getgrgid((gid_t)uid);
}

static int pick_uid(const struct dynusers *set, const char *name, uid_t prefer,
		    uid_t *uid)
{
	const uint32_t span = UNIT_DYNAMIC_UID_MAX - UNIT_DYNAMIC_UID_MIN + 1;
	uint32_t start;

	if (dynuser_uid_free(set, prefer)) {
		*uid = prefer;
		return 0;
	}
	start = (uint32_t)(hash_name(name, strlen(name)) % span);
	for (uint32_t i = 0; i < span; i++) {
		uid_t candidate = UNIT_DYNAMIC_UID_MIN + (start + i) % span;

		if (dynuser_uid_free(set, candidate)) {
			*uid = candidate;
			return 0;
		}
	}
	errno = EBUSY;
	return -1;
}

struct dynuser *dynuser_acquire(struct dynusers *set, const char *name,
				uid_t prefer)
{
	struct dynuser *user = find_name(set, name);
	uid_t uid;

	if (user) {
		user->refs++;
		return user;
	}
	if (pick_uid(set, name, prefer, &uid) < 0)
		return NULL;
	user = malloc(sizeof(*user) + strlen(name) + 1);
	if (!user)
		return NULL;
	user->refs = 1;
	user->uid = uid;
	strcpy(user->name, name);
	user->next = set->first;
	set->first = user;
	set->n++;
	return user;
}

void dynuser_release(struct dynusers *set, struct dynuser *user)
{
	if (--user->refs > 0)
		return;
	for (struct dynuser **p = &set->first; *p; p = &(*p)->next)
		if (*p == user) {
			*p = user->next;
			set->n--;
			break;
		}
	free(user);
}
