/* The keys of systemd.resource-control(5) that svd applies through
 * cgroup2, Slice= and OOMPolicy=. */
#include "unit_keys.h"
#include "parser.h"
#include "resource.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The unit's settings, made at the first key that sets one. */
static struct unit_resources *resources(struct unit_parser *p)
{
	if (!p->unit->resources)
		p->unit->resources = calloc(1, sizeof(*p->unit->resources));
	return p->unit->resources;
}

static struct resource_amount *memory_field(struct unit_resources *r,
					    const char *key)
{
	if (strcmp(key, "MemoryMax") == 0 || strcmp(key, "MemoryLimit") == 0)
		return &r->memory_max;
	if (strcmp(key, "MemoryHigh") == 0)
		return &r->memory_high;
	if (strcmp(key, "MemoryLow") == 0)
		return &r->memory_low;
	return &r->memory_swap_max;
}

/* MemoryMax=, MemoryHigh=, MemoryLow=, MemorySwapMax=, and MemoryLimit=,
 * cgroup v1's name that systemd maps to memory.max. */
int key_memory(struct unit_parser *p, const char *value)
{
	struct unit_resources *r = resources(p);
	struct resource_amount amount = { RESOURCE_UNSET, 0 };

	if (!r)
		return parser_nomem(p);
	if (*value && resource_parse_bytes(value, &amount) < 0)
		return parser_invalid(p, value, "a size in bytes (K, M, G, T "
				      "suffixes), a percentage of physical "
				      "memory, or infinity");
	*memory_field(r, p->key) = amount;
	return 0;
}

int key_tasks_max(struct unit_parser *p, const char *value)
{
	struct unit_resources *r = resources(p);
	struct resource_amount amount = { RESOURCE_UNSET, 0 };

	if (!r)
		return parser_nomem(p);
	if (*value && resource_parse_tasks(value, &amount) < 0)
		return parser_invalid(p, value, "a count above 0, a percentage "
				      "or infinity");
	r->tasks_max = amount;
	return 0;
}

int key_cpu_quota(struct unit_parser *p, const char *value)
{
	struct unit_resources *r = resources(p);
	uint64_t quota = 0;

	if (!r)
		return parser_nomem(p);
	if (*value && resource_parse_quota(value, &quota) < 0)
		return parser_invalid(p, value, "a percentage above 0% such as "
				      "20% or 150%");
	r->cpu_quota_permyriad = quota;
	return 0;
}

/* CPUWeight=, IOWeight=, and CPUShares= mapped to a CPU weight. */
int key_weight(struct unit_parser *p, const char *value)
{
	struct unit_resources *r = resources(p);
	bool shares = strcmp(p->key, "CPUShares") == 0;
	unsigned weight = 0;
	int bad;

	if (!r)
		return parser_nomem(p);
	bad = *value && (shares ? resource_parse_shares(value, &weight) :
			 resource_parse_weight(value, &weight)) < 0;
	if (bad)
		return parser_invalid(p, value, shares ? "a number from 2 to "
				      "262144" : "a number from 1 to 10000");
	if (strcmp(p->key, "IOWeight") == 0)
		r->io_weight = weight;
	else
		r->cpu_weight = weight;
	return 0;
}

int key_allowed_cpus(struct unit_parser *p, const char *value)
{
	struct unit_resources *r = resources(p);
	char *copy = NULL;

	if (!r)
		return parser_nomem(p);
	if (*value && !resource_cpus_valid(value))
		return parser_invalid(p, value, "CPU numbers and ranges such as "
				      "0-3,6");
	if (*value && !(copy = strdup(value)))
		return parser_nomem(p);
	free(r->allowed_cpus);
	r->allowed_cpus = copy;
	return 0;
}

/* A slice name: letters, digits and ":_.\-" ending in ".slice", as a
 * unit name; its dashes nest it (a-b.slice is under a.slice). */
int key_slice(struct unit_parser *p, const char *value)
{
	size_t len = strlen(value);

	if (*value && (len <= 6 || strcmp(value + len - 6, ".slice") != 0 ||
		       strspn(value, "abcdefghijklmnopqrstuvwxyz"
			      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_.-") != len ||
		       value[0] == '-' || strstr(value, "--") ||
		       value[len - 7] == '-'))
		return parser_invalid(p, value, "a slice name such as "
				      "system-web.slice");
	return keys_set_string(p, value, &p->unit->slice);
}

int key_oom_policy(struct unit_parser *p, const char *value)
{
	static const char *const names[] = {
		[UNIT_OOM_STOP] = "stop", [UNIT_OOM_KILL] = "kill",
		[UNIT_OOM_CONTINUE] = "continue",
	};

	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcasecmp(value, names[i]) == 0) {
			p->unit->oom_policy = (enum unit_oom_policy)i;
			return 0;
		}
	if (!*value) {
		p->unit->oom_policy = UNIT_OOM_STOP;
		return 0;
	}
	return parser_invalid(p, value, "stop, kill or continue");
}
