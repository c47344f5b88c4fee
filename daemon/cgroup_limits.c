/* cgroup's resource settings: systemd.resource-control(5)'s keys as the
 * files of a cgroup2 directory (memory.max, cpu.max, pids.max...). */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* What cgroup_apply_at writes and what it leaves, said once at the end. */
struct apply {
	int dir;
	unsigned controllers;
	char *warn;
	size_t size;
	char skipped[200];	/* keys whose controller is missing */
	int failed;		/* -1 once a write failed */
};

static void put(struct apply *a, unsigned controller, const char *key,
		const char *file, const char *value)
{
	if (!(a->controllers & controller)) {
		size_t used = strlen(a->skipped);

		snprintf(a->skipped + used, sizeof(a->skipped) - used, "%s%s=",
			 used ? ", " : "", key);
		return;
	}
	if (cgroup_write_at(a->dir, file, value) == 0 || a->failed)
		return;
	snprintf(a->warn, a->size, "%s: writing \"%s\" to %s: %s", key, value,
		 file, strerror(errno));
	a->failed = -1;
}

static void put_amount(struct apply *a, unsigned controller, const char *key,
		       const char *file, const struct resource_amount *amount,
		       uint64_t total)
{
	char value[32];
	uint64_t n;

	if (amount->kind == RESOURCE_UNSET)
		return;
	n = resource_resolve(amount, total);
	if (n == UINT64_MAX)
		snprintf(value, sizeof(value), "max");
	else
		snprintf(value, sizeof(value), "%" PRIu64, n);
	put(a, controller, key, file, value);
}

int cgroup_apply_at(int dir, unsigned controllers, uint64_t memory_bytes,
		    uint64_t tasks_ceiling, const struct resource_amount *default_tasks,
		    const struct unit_resources *r, char *warn, size_t size)
{
	struct apply a = { dir, controllers, warn, size, "", 0 };
	const struct resource_amount *tasks = r && r->tasks_max.kind ?
		&r->tasks_max : default_tasks;
	char value[64];

	*warn = '\0';
	/* DefaultTasksMax= applies to every service, quietly where there is
	 * no pids controller (systemd's way). */
	if (tasks && tasks->kind && (controllers & CGROUP_CTRL_PIDS || tasks != default_tasks))
		put_amount(&a, CGROUP_CTRL_PIDS, "TasksMax", "pids.max", tasks,
			   tasks_ceiling);
	if (!r)
		return a.failed;
	put_amount(&a, CGROUP_CTRL_MEMORY, "MemoryMax", "memory.max",
		   &r->memory_max, memory_bytes);
	put_amount(&a, CGROUP_CTRL_MEMORY, "MemoryHigh", "memory.high",
		   &r->memory_high, memory_bytes);
	put_amount(&a, CGROUP_CTRL_MEMORY, "MemoryLow", "memory.low",
		   &r->memory_low, memory_bytes);
	put_amount(&a, CGROUP_CTRL_MEMORY, "MemorySwapMax", "memory.swap.max",
		   &r->memory_swap_max, memory_bytes);
	if (r->cpu_quota_permyriad) {
		snprintf(value, sizeof(value), "%" PRIu64 " %u",
			 r->cpu_quota_permyriad * RESOURCE_CPU_PERIOD_USEC / 10000,
			 RESOURCE_CPU_PERIOD_USEC);
		put(&a, CGROUP_CTRL_CPU, "CPUQuota", "cpu.max", value);
	}
	if (r->cpu_weight) {
		snprintf(value, sizeof(value), "%u", r->cpu_weight);
		put(&a, CGROUP_CTRL_CPU, "CPUWeight", "cpu.weight", value);
	}
	if (r->io_weight) {
		snprintf(value, sizeof(value), "default %u", r->io_weight);
		put(&a, CGROUP_CTRL_IO, "IOWeight", "io.weight", value);
	}
	if (r->allowed_cpus)
		put(&a, CGROUP_CTRL_CPUSET, "AllowedCPUs", "cpuset.cpus",
		    r->allowed_cpus);
	if (a.skipped[0] && !a.failed)
		snprintf(warn, size, "resource limits unavailable (no cgroup "
			 "controller for %s): ignored", a.skipped);
	return a.failed;
}

int cgroup_unit_apply(const struct cgroup_root *root, const struct cgroup_unit *cg,
		      const struct unit_resources *r, char *warn, size_t size)
{
	int dir, result, err;

	*warn = '\0';
	if (!cg->path)
		return 0;
	if ((dir = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		snprintf(warn, size, "%s: %s", cg->path, strerror(errno));
		return -1;
	}
	result = cgroup_apply_at(dir, root->controllers, root->memory_bytes,
				 root->tasks_ceiling, &root->default_tasks_max,
				 r, warn, size);
	err = errno;
	close(dir);
	errno = err;
	return result;
}
