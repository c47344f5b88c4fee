/* service_ident: who a service runs as beyond User=: DynamicUser='s user
 * (dynuser.h) and directories (privdirs.h), KeyringMode=, RemoveIPC=
 * (ipc_clean.h). */
#include "service.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <stdio.h>

#include "ipc_clean.h"
#include "log.h"
#include "privdirs.h"

/* The dynamic user for a run: a static user of that name when the user
 * database has one (systemd uses it then), else one of svd's. */
static int take_dynamic(struct service *service, struct service_ident *ident,
			char *name, char *why, unsigned size)
{
	const struct unit *unit = service->svc.unit;
	char *const *roots = service->env->exec.roots;

	dynuser_name(unit, service->svc.name, name);
	if (getpwnam(name))
		return 1;
	ident->dynamic = dynuser_acquire(&service->env->dynusers, name,
					 privdirs_owner(unit, roots));
	if (!ident->dynamic) {
		snprintf(why, size, "DynamicUser=: no uid for %s: %s", name,
			 errno == EBUSY ? "every uid of 61184-65519 is taken" :
			 strerror(errno));
		return -1;
	}
	log_debug(service->svc.name, "DynamicUser=: %s is uid %u", name,
		  (unsigned)ident->dynamic->uid);
	return 0;
}

static void ident_free(struct service_env *env, struct service_ident *ident)
{
	if (ident->dynamic)
		dynuser_release(&env->dynusers, ident->dynamic);
	privdirs_mounts_free(&ident->private_dirs);
	free(ident);
}

/* The first spawn of a run: its user, and, for a dynamic one, its
 * directories. Returns -1 with why. */
static int ident_start(struct service *service, struct creds *creds,
		       char *why, unsigned size)
{
	const struct unit *unit = service->svc.unit;
	struct service_ident *ident = calloc(1, sizeof(*ident));
	char name[DYNUSER_NAME_MAX + 1];
	struct creds_as as = { .user = name };
	int r;

	snprintf(why, size, "%s", strerror(ENOMEM));
	if (!ident)
		return -1;
	r = take_dynamic(service, ident, name, why, size);
	as.dynamic = r == 0;
	as.uid = ident->dynamic ? ident->dynamic->uid : 0;
	if (r < 0 || creds_resolve_as(unit, &as, creds, why, size) < 0 ||
	    privdirs_make(unit, service->env->exec.roots, creds->uid, why,
			  size) < 0 ||
	    privdirs_mounts(unit, service->env->exec.roots,
			    &ident->private_dirs) < 0) {
		creds_free(creds);
		ident_free(service->env, ident);
		return -1;
	}
	ident->uid = creds->uid;
	ident->gid = creds->gid;
	ident->clean_ipc = unit_remove_ipc(unit);
	service->ident = ident;
	return 0;
}

int service_ident_creds(struct service *service, struct creds *creds,
			struct spawn_request *req, char *why, unsigned size)
{
	const struct unit *unit = service->svc.unit;
	struct service_ident *ident = service->ident;

	if (!service->inherit)
		req->keyring_mode = unit->keyring_mode;
	if (!unit->dynamic_user || service->inherit) {
		if (creds_resolve(unit, creds, why, size) < 0)
			return -1;
		/* Remembered for RemoveIPC='s "no other service of it". */
		if (creds->switch_user && creds->uid != 0 && !ident &&
		    (service->ident = calloc(1, sizeof(*service->ident)))) {
			service->ident->uid = creds->uid;
			service->ident->gid = creds->gid;
			service->ident->clean_ipc = unit_remove_ipc(unit);
		}
		return 0;
	}
	if (!ident) {
		if (ident_start(service, creds, why, size) < 0)
			return -1;
	} else {
		char name[DYNUSER_NAME_MAX + 1];

		/* The run's user again: the same uid for each of its
		 * processes, whatever the user database says meanwhile. */
		dynuser_name(unit, service->svc.name, name);
		if (creds_resolve_as(unit, &(struct creds_as){
				.user = name, .dynamic = ident->dynamic != NULL,
				.uid = ident->uid }, creds, why, size) < 0)
			return -1;
	}
	if (service->ident->private_dirs.n_dirs)
		req->private_dirs = &service->ident->private_dirs;
	return 0;
}

/* Another service that still runs as uid (or gid), or NULL: RemoveIPC=
 * waits for the last one, as systemd's reference count on the uid does. */
static struct service *other_of(const struct service *service, uid_t uid,
				gid_t gid)
{
	for (struct service *s = service->env->first; s; s = s->next)
		if (s != service && s->ident &&
		    (s->ident->uid == uid || s->ident->gid == gid))
			return s;
	return NULL;
}

void service_ident_release(struct service *service)
{
	struct service_ident *ident = service->ident;
	struct service *other;

	if (!ident)
		return;
	service->ident = NULL;
	if (ident->clean_ipc) {
		other = other_of(service, ident->uid, ident->gid);
		if (other)
			other->ident->clean_ipc = true;	/* its turn, later */
		else
			ipc_clean(&ipc_clean_default_paths, ident->uid,
				  ident->gid, service->svc.name);
	}
	ident_free(service->env, ident);
}
