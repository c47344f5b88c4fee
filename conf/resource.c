#include "resource.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

bool resource_any(const struct unit_resources *r)
{
	return r && (r->memory_max.kind || r->memory_high.kind ||
		     r->memory_low.kind || r->memory_swap_max.kind ||
		     r->tasks_max.kind || r->cpu_quota_permyriad ||
		     r->cpu_weight || r->io_weight || r->allowed_cpus);
}

void resource_free(struct unit_resources *r)
{
	if (!r)
		return;
	free(r->allowed_cpus);
	r->allowed_cpus = NULL;
}

static int invalid(void)
{
	errno = EINVAL;
	return -1;
}

/* "12.5%" -> 1250 hundredths; at most two decimals, as systemd's
 * permyriad values. */
static int parse_percent(const char *value, uint64_t *permyriad)
{
	size_t len = strlen(value);
	unsigned long long whole, frac = 0;
	const char *end;
	char *stop;

	if (len < 2 || value[len - 1] != '%' || value[0] < '0' || value[0] > '9')
		return invalid();
	errno = 0;
	whole = strtoull(value, &stop, 10);
	end = stop;
	if (errno || whole > 10000000)
		return invalid();
	if (*end == '.') {
		const char *digits = end + 1;

		if (digits[0] < '0' || digits[0] > '9')
			return invalid();
		frac = (unsigned long long)(digits[0] - '0') * 10;
		end = digits + 1;
		if (*end >= '0' && *end <= '9')
			frac += (unsigned long long)(*end++ - '0');
	}
	if (end != value + len - 1)
		return invalid();
	*permyriad = whole * 100 + frac;
	return 0;
}

static int parse_amount(const char *value, struct resource_amount *out,
			bool bytes)
{
	uint64_t n;
	char *end;

	if (strcmp(value, "infinity") == 0) {
		*out = (struct resource_amount){ RESOURCE_INFINITY, 0 };
		return 0;
	}
	if (value[0] && value[strlen(value) - 1] == '%') {
		if (parse_percent(value, &n) < 0 || n > 10000)
			return invalid();
		*out = (struct resource_amount){ RESOURCE_PERCENT, n };
		return 0;
	}
	if (bytes) {
		if (value_parse_size(value, &n) < 0)
			return invalid();
	} else {
		if (value[0] < '0' || value[0] > '9')
			return invalid();
		errno = 0;
		n = strtoull(value, &end, 10);
		if (errno || *end)
			return invalid();
	}
	*out = (struct resource_amount){ RESOURCE_VALUE, n };
	return 0;
}

int resource_parse_bytes(const char *value, struct resource_amount *out)
{
	return parse_amount(value, out, true);
}

int resource_parse_tasks(const char *value, struct resource_amount *out)
{
	if (parse_amount(value, out, false) < 0)
		return -1;
	/* pids.max takes no 0: a service that may not fork at all. */
	if (out->kind == RESOURCE_VALUE && out->value == 0)
		return invalid();
	return 0;
}

int resource_parse_quota(const char *value, uint64_t *permyriad)
{
	if (parse_percent(value, permyriad) < 0 || *permyriad == 0)
		return invalid();
	return 0;
}

static int parse_range(const char *value, unsigned long min,
		       unsigned long max, unsigned long *out)
{
	char *end;

	if (value[0] < '0' || value[0] > '9')
		return invalid();
	errno = 0;
	*out = strtoul(value, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return invalid();
	return 0;
}

int resource_parse_weight(const char *value, unsigned *weight)
{
	unsigned long n;

	if (parse_range(value, RESOURCE_WEIGHT_MIN, RESOURCE_WEIGHT_MAX, &n) < 0)
		return -1;
	*weight = (unsigned)n;
	return 0;
}

int resource_parse_shares(const char *value, unsigned *weight)
{
	unsigned long shares, w;

	if (parse_range(value, 2, 262144, &shares) < 0)
		return -1;
	w = shares * 100 / 1024;
	*weight = (unsigned)(w < RESOURCE_WEIGHT_MIN ? RESOURCE_WEIGHT_MIN :
			     w > RESOURCE_WEIGHT_MAX ? RESOURCE_WEIGHT_MAX : w);
	return 0;
}

/* "0-3,6 8": each item a number or an ascending range. */
bool resource_cpus_valid(const char *value)
{
	const char *p = value;
	bool any = false;

	while (*p) {
		unsigned long lo, hi;
		char *end;

		if (*p == ',' || *p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (*p < '0' || *p > '9')
			return false;
		lo = hi = strtoul(p, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return false;
			hi = strtoul(end + 1, &end, 10);
		}
		if (hi < lo || hi > 65535 ||
		    (*end && *end != ',' && *end != ' ' && *end != '\t'))
			return false;
		any = true;
		p = end;
	}
	return any;
}

uint64_t resource_resolve(const struct resource_amount *a, uint64_t total)
{
	switch (a->kind) {
	case RESOURCE_VALUE:
		return a->value;
	case RESOURCE_PERCENT:
		/* total below 2^50 in practice: no overflow */
		return total / 10000 * a->value + total % 10000 * a->value / 10000;
	default:
		return UINT64_MAX;
	}
}
