/* registry: every service by name. A hash table over the services of a
 * struct service_env; loading and reloading the unit directories
 * (daemon-reload keeps what runs and drops what is gone), template
 * instances loaded on first use, aliases, the units svd makes up, and
 * container mode's main command. */
#ifndef SVD_REGISTRY_H
#define SVD_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "service.h"
#include "unit.h"

/* Most services (units and instances) one svd manages. */
#define REGISTRY_SERVICES_MAX 100000

struct registry {
	struct service_env *env;	/* the services themselves */
	struct unit_load_ctx load_ctx;
	const char *state_dir;		/* enable/disable marks */
	struct service **buckets;	/* chained through hash_next */
	size_t n_buckets;		/* a power of two, or 0 */
	char **aliases;			/* "alias.service=target.service" */
	/* The last load's keys svd does not implement, where they are
	 * only counted (registry.c: load_diag) */
	unsigned unsupported_keys, unsupported_units;
};

struct registry_config {
	const char *const *unit_dirs;
	size_t n_unit_dirs;
	const char *state_dir;
	const struct spec_host *host;	/* for %H, %m, %u, ... (host.h) */
	/* Timeouts of units that set none; 0: the built-in ones. */
	uint64_t default_timeout_start_usec, default_timeout_stop_usec;
};

void registry_init(struct registry *reg, struct service_env *env,
		   const struct registry_config *config);
/* Frees every service and the table. */
void registry_free(struct registry *reg);

/* Scans the unit directories and loads every unit; a unit with errors
 * is kept (SERVICE_LOAD_ERROR) so status can say why. For daemon-reload:
 * services keep running, the new definition taking effect at their next
 * start; those whose file is gone are dropped once idle. Dependencies
 * are the caller's (jobs_resolve). Returns -1 when the directories
 * cannot be listed. */
int registry_load_all(struct registry *reg);

/* The service of exactly that name, or NULL. */
struct service *registry_lookup(const struct registry *reg, const char *name);
/* Looks a name up as users write it ("web", "web.service", an alias,
 * "tpl@inst"), loading a template's instance on first use. Returns NULL
 * with *error set to a static message when there is no such unit. */
struct service *registry_find(struct registry *reg, const char *name,
			      const char **error);
/* As registry_find(), but a template's instance that is not loaded is
 * read from its template into a service apart (service->transient): in
 * no table, linked to nothing, for one reply about it; the caller frees
 * it with registry_drop_transient() before returning to the loop. A
 * read-only request thus keeps nothing. */
struct service *registry_peek(struct registry *reg, const char *name,
			      const char **error);
/* Frees service if it is transient; else nothing. */
void registry_drop_transient(struct registry *reg, struct service *service);
/* Frees the queued instances (service_look_unused) that nothing holds:
 * inactive, no job, no process, no request waiting, no follower, named
 * by no unit. From the reactions, never inside a step. */
void registry_free_unused(struct registry *reg);
/* Queues every instance to be looked at (after daemon-reload: what
 * named one may be gone). */
void registry_look_unused_all(struct registry *reg);
/* The unit of a .target, .mount or .device name: its file, the unit
 * an alias (a link in the unit directories) names, a target template's
 * instance, or else made up (madeup.h) the first time it is asked for.
 * NULL with *why a static phrase: a name that is no path, no memory. */
struct service *registry_made_up(struct registry *reg, const char *name,
				 const char **why);
/* registry_made_up() for a target: svd provides every target as a
 * synchronization point. NULL (logged) when out of memory. */
struct service *registry_target(struct registry *reg, const char *name);
/* Adds container mode's main command; takes unit. NULL with errno
 * (EEXIST: a unit file of that name). */
/* The NAME.d/ drop-ins of the unit directories, on a unit svd made
 * (unit_apply_dropins): -1 when one had errors, logged. */
int registry_apply_dropins(const struct registry *reg, struct unit *unit);
struct service *registry_add_main(struct registry *reg, struct unit *unit,
				  const struct spawn_inherit *inherit);

/* Every service sorted by name (for listing), as an array to free();
 * NULL with errno. */
struct service **registry_sorted(const struct registry *reg, size_t *n);

#endif
