/* resource: the values of systemd.resource-control(5) as a unit gives
 * them (MemoryMax=, CPUQuota=, TasksMax=, ...), parsed without any
 * system call; the daemon's cgroup module turns them into the files of
 * a cgroup2 directory. */
#ifndef SVD_RESOURCE_H
#define SVD_RESOURCE_H

#include <stdbool.h>
#include <stdint.h>

enum resource_kind {
	RESOURCE_UNSET,		/* not given: the kernel's default stays */
	RESOURCE_VALUE,		/* value: bytes (memory) or a count (tasks) */
	RESOURCE_PERCENT,	/* value: hundredths of a percent, of physical
				   memory or of the task ceiling */
	RESOURCE_INFINITY,	/* "infinity": "max" in the file */
};

struct resource_amount {
	enum resource_kind kind;
	uint64_t value;
};

/* CPUWeight=, IOWeight=: 1-10000, 0 while not given. */
#define RESOURCE_WEIGHT_MIN 1u
#define RESOURCE_WEIGHT_MAX 10000u
/* CPUQuota= is written against this period, systemd's default. */
#define RESOURCE_CPU_PERIOD_USEC 100000u

struct unit_resources {
	struct resource_amount memory_max;	/* MemoryMax=, MemoryLimit= */
	struct resource_amount memory_high;	/* MemoryHigh= */
	struct resource_amount memory_low;	/* MemoryLow= */
	struct resource_amount memory_swap_max; /* MemorySwapMax= */
	struct resource_amount tasks_max;	/* TasksMax= */
	/* CPUQuota= in hundredths of a percent of one CPU; 0 not given */
	uint64_t cpu_quota_permyriad;
	unsigned cpu_weight;	/* CPUWeight=, or CPUShares= mapped */
	unsigned io_weight;	/* IOWeight= */
	char *allowed_cpus;	/* AllowedCPUs=: a list such as "0-3,6" */
};

/* Whether any setting asks for a controller. */
bool resource_any(const struct unit_resources *r);
void resource_free(struct unit_resources *r);

/* "512M", "1G", "4096", "50%", "infinity" (bytes: K M G T P E suffixes
 * in powers of 1024, as systemd). Returns -1 (EINVAL) when invalid. */
int resource_parse_bytes(const char *value, struct resource_amount *out);
/* TasksMax=: a count above 0, a percentage or infinity. */
int resource_parse_tasks(const char *value, struct resource_amount *out);
/* CPUQuota=: "20%", "150%" (more than one CPU); 0% is refused. */
int resource_parse_quota(const char *value, uint64_t *permyriad);
/* CPUWeight=, IOWeight=: 1-10000. */
int resource_parse_weight(const char *value, unsigned *weight);
/* CPUShares= (2-262144), mapped to a weight as systemd maps it:
 * shares * 100 / 1024, within 1-10000. */
int resource_parse_shares(const char *value, unsigned *weight);
/* AllowedCPUs=: numbers and ranges separated by commas or blanks. */
bool resource_cpus_valid(const char *value);

/* The amount against a ceiling (physical memory, the task ceiling): a
 * percentage is taken of total; UINT64_MAX for infinity. */
uint64_t resource_resolve(const struct resource_amount *a, uint64_t total);

#endif
