#include "registry.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enable.h"
#include "log.h"
#include "madeup.h"
#include "strv.h"

/* Collects what the unit parser reports: logged as it comes, the first
 * error kept for status. */
struct load_report {
	char *first_error;
	unsigned unsupported;	/* keys warned about as not implemented */
};

/* Every key svd does not implement, a line each, would be a burst that
 * printk's rate limit cuts when svd logs to the kernel log (a board's
 * boot: the lines after it, svd's own among them, are lost). There they
 * are counted, logged at debug, and said once after the load. */
static void load_diag(void *ctx, enum unit_diag_level level, const char *message)
{
	struct load_report *report = ctx;

	if (level == UNIT_DIAG_UNSUPPORTED && report && log_is_kmsg()) {
		report->unsupported++;
		log_debug(NULL, "%s", message);
		return;
	}
	log_msg(level == UNIT_DIAG_ERROR ? LOG_LEVEL_ERROR : LOG_LEVEL_WARNING,
		NULL, "%s", message);
	if (level == UNIT_DIAG_ERROR && report && !report->first_error)
		report->first_error = strdup(message);
}

/* Records the first error only: a transient instance's warnings are
 * logged when it is loaded for good, not at every status request. */
static void quiet_diag(void *ctx, enum unit_diag_level level, const char *message)
{
	struct load_report *report = ctx;

	if (level == UNIT_DIAG_ERROR && !report->first_error)
		report->first_error = strdup(message);
}

/* --- the table: a hash of names, chained through hash_next --- */

/* FNV-1a. */
static size_t hash_name(const char *name)
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)h;
}

struct service *registry_lookup(const struct registry *reg, const char *name)
{
	struct service *service;

	if (!reg->n_buckets)
		return NULL;
	service = reg->buckets[hash_name(name) & (reg->n_buckets - 1)];
	while (service && strcmp(service->svc.name, name) != 0)
		service = service->hash_next;
	return service;
}

static void bucket_put(struct service **buckets, size_t n_buckets,
		       struct service *service)
{
	struct service **head = &buckets[hash_name(service->svc.name) & (n_buckets - 1)];

	service->hash_next = *head;
	*head = service;
}

/* Keeps at most one service per bucket on average. */
static int grow(struct registry *reg)
{
	size_t n = reg->n_buckets ? 2 * reg->n_buckets : 64;
	struct service **buckets;

	if (reg->env->n < reg->n_buckets)
		return 0;
	buckets = calloc(n, sizeof(*buckets));
	if (!buckets)
		return -1;
	/* Every service of env is the registry's: all are in the table. */
	for (struct service *s = reg->env->first; s; s = s->next)
		bucket_put(buckets, n, s);
	free(reg->buckets);
	reg->buckets = buckets;
	reg->n_buckets = n;
	return 0;
}

static void unhash(struct registry *reg, struct service *service)
{
	struct service **p;

	if (!reg->n_buckets)
		return;
	p = &reg->buckets[hash_name(service->svc.name) & (reg->n_buckets - 1)];
	while (*p && *p != service)
		p = &(*p)->hash_next;
	if (*p)
		*p = service->hash_next;
	service->hash_next = NULL;
}

/* A new service in the table, enabled unless marked disabled. */
static struct service *add(struct registry *reg, const char *name)
{
	struct service *service;

	if (reg->env->n >= REGISTRY_SERVICES_MAX) {
		errno = ENOSPC;
		return NULL;
	}
	if (grow(reg) < 0)
		return NULL;
	service = service_new(reg->env, name);
	if (!service)
		return NULL;
	service->enabled = enable_is_enabled(reg->state_dir, name);
	bucket_put(reg->buckets, reg->n_buckets, service);
	return service;
}

static void drop(struct registry *reg, struct service *service)
{
	unhash(reg, service);
	service_free(service);
}

void registry_init(struct registry *reg, struct service_env *env,
		   const struct registry_config *config)
{
	*reg = (struct registry){
		.env = env,
		.state_dir = config->state_dir,
		.load_ctx = {
			.dirs = config->unit_dirs,
			.n_dirs = config->n_unit_dirs,
			.spec = { .host = config->host },
			.default_timeout_start_usec = config->default_timeout_start_usec,
			.default_timeout_stop_usec = config->default_timeout_stop_usec,
			.diag = load_diag,
		},
	};
}

void registry_free(struct registry *reg)
{
	while (reg->env->first)
		drop(reg, reg->env->first);
	free(reg->buckets);
	strv_free(reg->aliases);
	*reg = (struct registry){ .env = reg->env };
}

static int compare_names(const void *a, const void *b)
{
	const struct service *const *x = a, *const *y = b;

	return strcmp((*x)->svc.name, (*y)->svc.name);
}

struct service **registry_sorted(const struct registry *reg, size_t *n)
{
	struct service **v = malloc((reg->env->n ? reg->env->n : 1) * sizeof(*v));
	size_t i = 0;

	if (!v)
		return NULL;
	for (struct service *s = reg->env->first; s; s = s->next)
		v[i++] = s;
	qsort(v, i, sizeof(*v), compare_names);
	*n = i;
	return v;
}

/* --- loading --- */

/* A unit read from a file: a target's is one still (reached after what
 * it pulls in), no longer made up. */
static void set_kind(struct service *service)
{
	enum unit_kind kind;

	service->node.is_target = unit_name_kind(service->svc.name, &kind) &&
				  kind == UNIT_KIND_TARGET;
	service->made_up = false;
}

/* Gives service the unit svd makes up for its name (takes unit). */
static void make_up(struct service *service, struct unit *unit)
{
	free(service->path);
	service->path = NULL;
	free(service->load_error);
	service->load_error = NULL;
	svc_replace_unit(&service->svc, unit);
	service->node.is_target = unit->kind == UNIT_KIND_TARGET;
	service->made_up = true;
	service->load = SERVICE_LOADED;
	service->seen = true;
}

/* Loads one unit file (or instance) into the table, creating or updating
 * its service. */
static struct service *load_into(struct registry *reg, const char *name,
				 const char *path, enum unit_file_kind kind)
{
	struct service *service = registry_lookup(reg, name);
	struct load_report report = {0};
	struct unit_load_ctx ctx = reg->load_ctx;
	struct unit *unit = NULL;
	enum service_load load = SERVICE_LOADED;

	ctx.diag_ctx = &report;
	if (kind == UNIT_FILE_MASKED)
		load = SERVICE_MASKED;
	else if (unit_load_file(&ctx, path, NULL, &unit) < 0)
		load = SERVICE_LOAD_ERROR;
	if (report.unsupported) {
		reg->unsupported_keys += report.unsupported;
		reg->unsupported_units++;
	}
	if (!service)
		service = add(reg, name);
	if (!service) {
		log_errno(LOG_LEVEL_ERROR, name, errno, "adding service");
		unit_free(unit);
		free(report.first_error);
		return NULL;
	}
	if (load == SERVICE_LOAD_ERROR && !report.first_error)
		report.first_error = strdup("unit file has errors");
	service_set_definition(service, path, load, unit, report.first_error);
	set_kind(service);
	service->seen = true;
	service->instance = false;	/* a file of its own now, if it was one */
	return service;
}

static void add_alias(struct registry *reg, char ***aliases,
		      const struct unit_file *file)
{
	char *entry;

	if (asprintf(&entry, "%s=%s", file->name, file->alias_of) < 0 ||
	    strv_push_take(aliases, entry) < 0)
		log_errno(LOG_LEVEL_ERROR, file->name, ENOMEM, "recording alias");
}

/* A target whose file is gone is made up again: other units may still
 * name it. */
static void unload_target(struct service *service)
{
	const char *why;
	struct unit *unit = madeup_unit(service->svc.name, &why);

	if (!unit) {
		log_error(service->svc.name, "making the target up: %s", why);
		return;
	}
	log_info(service->svc.name, "unit file gone: a target svd makes up");
	make_up(service, unit);
}

/* Services whose file is gone are dropped once they have nothing running;
 * instances of templates are re-read from their template. */
static void sweep_unseen(struct registry *reg)
{
	struct service *service, *next;

	for (service = reg->env->first; service; service = next) {
		next = service->next;
		if (!service->seen && service->node.is_target &&
		    !service->made_up)
			unload_target(service);
		if (!service->seen && !service->inherit && !service->made_up &&
		    !service->node.start_job && !service->node.stop_job &&
		    !svc_is_busy(&service->svc) &&
		    !(svc_has_ended(&service->svc) && svc_is_up(&service->svc))) {
			log_info(service->svc.name, "unit file gone: removed");
			drop(reg, service);
		}
	}
}

static void reload_instances(struct registry *reg)
{
	for (struct service *service = reg->env->first; service;
	     service = service->next) {
		struct load_report report = {0};
		struct unit_load_ctx ctx = reg->load_ctx;
		struct unit *unit = NULL;
		enum unit_lookup found;

		if (service->seen || !strchr(service->svc.name, '@'))
			continue;
		ctx.diag_ctx = &report;
		found = unit_load_name(&ctx, service->svc.name, &unit);
		if (found == UNIT_LOOKUP_OK || found == UNIT_LOOKUP_BAD) {
			service->seen = true;
			service_set_definition(service, unit ? unit->path :
					       service->path,
					       found == UNIT_LOOKUP_OK ?
					       SERVICE_LOADED : SERVICE_LOAD_ERROR,
					       unit, report.first_error);
		} else {
			free(report.first_error);
		}
	}
}

int registry_load_all(struct registry *reg)
{
	struct unit_file *files;
	char **aliases = NULL;
	size_t n_files;

	if (unit_dir_list(&reg->load_ctx, &files, &n_files) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "listing unit directories");
		return -1;
	}
	for (struct service *s = reg->env->first; s; s = s->next)
		s->seen = s->made_up;
	reg->unsupported_keys = reg->unsupported_units = 0;
	for (size_t i = 0; i < n_files; i++) {
		switch (files[i].kind) {
		case UNIT_FILE_REGULAR:
		case UNIT_FILE_MASKED:
			load_into(reg, files[i].name, files[i].path, files[i].kind);
			break;
		case UNIT_FILE_ALIAS:
			add_alias(reg, &aliases, &files[i]);
			break;
		case UNIT_FILE_TEMPLATE:
			break;	/* instances load on first use */
		}
	}
	unit_files_free(files, n_files);
	if (reg->unsupported_keys)
		log_info(NULL, "%u %s svd does not implement, in %u unit %s, "
			 "%s ignored; `svctl verify FILE` lists them",
			 reg->unsupported_keys,
			 reg->unsupported_keys == 1 ? "key" : "keys",
			 reg->unsupported_units,
			 reg->unsupported_units == 1 ? "file" : "files",
			 reg->unsupported_keys == 1 ? "is" : "are");
	strv_free(reg->aliases);
	reg->aliases = aliases;
	reload_instances(reg);
	sweep_unseen(reg);
	return 0;
}

/* A template's instance, loaded into the table (kept), or apart from it
 * for one reply (transient: in env's list but in no bucket, never
 * linked, freed by registry_drop_transient()). */
static struct service *load_instance(struct registry *reg, const char *name,
				     bool keep, const char **error)
{
	struct load_report report = {0};
	struct unit_load_ctx ctx = reg->load_ctx;
	struct unit *unit = NULL;
	struct service *service;

	ctx.diag_ctx = &report;
	if (!keep)
		ctx.diag = quiet_diag;
	switch (unit_load_name(&ctx, name, &unit)) {
	case UNIT_LOOKUP_OK:
	case UNIT_LOOKUP_BAD:
		break;
	case UNIT_LOOKUP_TEMPLATE:
		*error = "is a template: name an instance, as in NAME@INSTANCE";
		return NULL;
	case UNIT_LOOKUP_MASKED:
		*error = "unit is masked";
		return NULL;
	default:
		*error = "no such unit";
		return NULL;
	}
	service = keep ? add(reg, name) : service_new(reg->env, name);
	if (!service) {
		unit_free(unit);
		free(report.first_error);
		*error = "out of memory";
		return NULL;
	}
	if (!unit && !report.first_error)
		report.first_error = strdup("unit file has errors");
	if (report.unsupported)
		log_info(name, "%u %s svd does not implement %s ignored; "
			 "`svctl verify FILE` lists them", report.unsupported,
			 report.unsupported == 1 ? "key" : "keys",
			 report.unsupported == 1 ? "is" : "are");
	service_set_definition(service, unit ? unit->path : NULL,
			       unit ? SERVICE_LOADED : SERVICE_LOAD_ERROR, unit,
			       report.first_error);
	set_kind(service);
	service->instance = true;
	service->transient = !keep;
	if (!keep)	/* add() asks for those it keeps */
		service->enabled = enable_is_enabled(reg->state_dir, name);
	/* Unused until something holds it: the reactions look. */
	service_look_unused(service);
	return service;
}

/* The service a name means as users write it; a template's instance
 * not loaded yet is loaded per mode. */
enum find_mode {
	FIND_LOAD,		/* into the table */
	FIND_TRANSIENT,		/* apart, for one reply */
};

static struct service *find(struct registry *reg, const char *name,
			    enum find_mode mode, const char **error)
{
	char *canonical;
	struct service *service;
	const char *target;

	/* Exactly its name: also what svd made up ("data.mount"). */
	service = registry_lookup(reg, name);
	if (service)
		return service;
	canonical = unit_name_normalize(name);
	if (!canonical) {
		*error = madeup_kind(name, NULL) ? "no such unit" :
			 "invalid unit name";
		return NULL;
	}
	service = registry_lookup(reg, canonical);
	target = service ? NULL : strv_env_get(reg->aliases, canonical);
	if (target)
		service = registry_lookup(reg, target);
	if (!service && !target && strchr(canonical, '@'))
		service = load_instance(reg, canonical, mode == FIND_LOAD, error);
	else if (!service)
		*error = "no such unit";
	free(canonical);
	return service;
}

struct service *registry_find(struct registry *reg, const char *name,
			    const char **error)
{
	return find(reg, name, FIND_LOAD, error);
}

struct service *registry_peek(struct registry *reg, const char *name,
			      const char **error)
{
	return find(reg, name, FIND_TRANSIENT, error);
}

void registry_drop_transient(struct registry *reg, struct service *service)
{
	if (service && service->transient)
		service_free(service);
}

/* --- instances nobody uses --- */

/* An instance goes once it is inactive (a failed one stays until
 * reset-failed, as systemd keeps it) and nothing holds it: no job, no
 * process, no change still to react to, no request waiting on it, no
 * follower of its log, and no unit naming it (a dependency of any kind,
 * a NAME.wants/ entry: every edge towards it has its mirror in rdeps). */
static bool unused(const struct service *service)
{
	const struct jobs_node *node = &service->node;

	if (!service->instance || service->transient || service->inherit ||
	    node->is_target || service->made_up || node->given_edges ||
	    node->start_job || node->stop_job ||
	    service->changed.queued || service->n_waiting ||
	    service->logs.followers)
		return false;
	if (!svc_is_inactive(&service->svc) || svc_is_busy(&service->svc))
		return false;
	for (int k = 0; k < UNIT_DEP_COUNT; k++)
		if (node->e->rdeps[k].n)
			return false;
	return true;
}

static struct service *service_of_node(struct jobs_node *node)
{
	return (struct service *)((char *)node - offsetof(struct service, node));
}

void registry_free_unused(struct registry *reg)
{
	struct service *service;

	while ((service = service_pop_unused(reg->env))) {
		if (!unused(service))
			continue;
		/* What it names may be unused once it is gone. */
		for (int k = 0; k < UNIT_DEP_COUNT; k++)
			for (size_t i = 0; i < service->node.e->deps[k].n; i++)
				service_look_unused(
					service_of_node(service->node.e->deps[k].v[i]));
		/* Its pipes are drained and closed, its file closed (the
		 * file stays on disk). */
		log_debug(service->svc.name, "instance unused: freed");
		drop(reg, service);
	}
}

void registry_look_unused_all(struct registry *reg)
{
	for (struct service *s = reg->env->first; s; s = s->next)
		service_look_unused(s);
}

/* A target instance ("foo@bar.target") from its template, when there is
 * one; NULL when there is none. */
static struct service *target_instance(struct registry *reg, const char *name)
{
	const char *error;

	if (!strchr(name, '@') || !unit_name_kind(name, NULL))
		return NULL;
	return load_instance(reg, name, true, &error);
}

struct service *registry_made_up(struct registry *reg, const char *name,
				 const char **why)
{
	struct service *service = registry_lookup(reg, name);
	const char *alias;
	struct unit *unit;

	if (service)
		return service;
	/* default.target as a link to multi-user.target, as systemd has it. */
	alias = strv_env_get(reg->aliases, name);
	if (alias) {
		name = alias;
		if ((service = registry_lookup(reg, name)))
			return service;
	}
	if ((service = target_instance(reg, name)))
		return service;
	unit = madeup_unit(name, why);
	if (!unit)
		return NULL;
	service = add(reg, name);
	if (!service) {
		log_errno(LOG_LEVEL_ERROR, name, errno, "making the unit up");
		unit_free(unit);
		*why = "out of memory";
		return NULL;
	}
	make_up(service, unit);
	return service;
}

struct service *registry_target(struct registry *reg, const char *name)
{
	const char *why;
	struct service *service = registry_made_up(reg, name, &why);

	if (!service)
		log_error(name, "making the target: %s", why);
	return service;
}

int registry_apply_dropins(const struct registry *reg, struct unit *unit)
{
	return unit_apply_dropins(&reg->load_ctx, unit);
}

struct service *registry_add_main(struct registry *reg, struct unit *unit,
				 const struct spawn_inherit *inherit)
{
	struct service *service;

	if (registry_lookup(reg, unit->name)) {
		/* A unit file of that name: the command wins the name. */
		errno = EEXIST;
		unit_free(unit);
		return NULL;
	}
	service = add(reg, unit->name);
	if (!service) {
		unit_free(unit);
		return NULL;
	}
	service->inherit = inherit;
	service->node.external = true;
	service->svc.quiet = true;
	service->seen = true;
	svc_replace_unit(&service->svc, unit);
	return service;
}

