/* cgroup: svd's own cgroup2 tree, one cgroup per service.
 *
 * At start svd looks for a writable cgroup2: the directory svd.conf
 * names (CgroupRoot=), else its own cgroup ("0::" in /proc/self/cgroup)
 * on /sys/fs/cgroup when that is cgroup2, else on /sys/fs/cgroup/unified
 * (the hybrid layout: cgroup v1 controllers, a cgroup2 for tracking).
 * Services live in BASE/svd.slice/NAME.service (Slice= picks another
 * slice, a-b.slice nested in a.slice as systemd does); svd moves itself
 * to BASE/svd.scope first, since cgroup2 lets no process sit in a cgroup
 * whose controllers are handed to its children. Where none is usable,
 * svd says so once and works with process groups as before.
 *
 * A service's processes join its cgroup in the child, before exec (a
 * write of "0" to an fd of cgroup.procs that the parent opened: no
 * allocation, async-signal-safe). Its stop signals every process of the
 * cgroup; its end is when cgroup.events says populated 0, watched with
 * inotify from the moment the service is asked to be empty and is not
 * (not from its start: that would cost every start a watch and an
 * event). */
#ifndef SVD_CGROUP_H
#define SVD_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "resource.h"

enum cgroup_mode {
	CGROUP_OFF,	/* no usable cgroup2: process groups only */
	CGROUP_TRACK,	/* cgroup2 without controllers: tracking and kills */
	CGROUP_FULL,	/* and some controllers for resource limits */
};

/* Controllers svd hands to its services (bits of controllers). */
enum {
	CGROUP_CTRL_CPU = 1 << 0,
	CGROUP_CTRL_MEMORY = 1 << 1,
	CGROUP_CTRL_PIDS = 1 << 2,
	CGROUP_CTRL_IO = 1 << 3,
	CGROUP_CTRL_CPUSET = 1 << 4,
};

/* The default slice of services. */
#define CGROUP_DEFAULT_SLICE "svd.slice"
/* Where svd itself goes, out of the way of the controllers. */
#define CGROUP_SELF_SCOPE "svd.scope"
/* systemd's DefaultTasksMax=15%: of the kernel's task ceiling. */
#define CGROUP_DEFAULT_TASKS_PERMYRIAD 1500u
/* Rounds of freeze-signal-thaw (or read-signal where there is no
 * freezer) before a kill gives up on processes forking as fast. */
#define CGROUP_KILL_ROUNDS_MAX 16

struct cgroup_root {
	enum cgroup_mode mode;
	char *base;		/* svd's tree, an absolute directory */
	/* base's first bytes that name where the cgroup2 is mounted: the
	 * rest is a cgroup's name as systemd shows it (ControlGroup=) and
	 * as a container with its own cgroup namespace sees it. */
	size_t mount_len;
	unsigned controllers;	/* CGROUP_CTRL_* available to services */
	bool has_kill;		/* cgroup.kill (Linux 5.14) */
	bool has_freeze;	/* cgroup.freeze (Linux 5.2) */
	/* What percentages are of: physical memory, the task ceiling. */
	uint64_t memory_bytes, tasks_ceiling;
	struct resource_amount default_tasks_max; /* DefaultTasksMax= */
	int inotify_fd;		/* cgroup.events and memory.events, or -1 */
};

/* One service's cgroup while it exists. */
struct cgroup_unit {
	char *path;		/* its directory, or NULL */
	int procs_fd;		/* its cgroup.procs, for the child; -1 */
	int events_wd;		/* inotify watch of cgroup.events; -1 */
	int memory_wd;		/* of memory.events, where there is one; -1 */
	uint64_t oom_kills;	/* memory.events oom_kill when last read */
};

#define CGROUP_UNIT_INIT { NULL, -1, -1, -1, 0 }

/* A cgroup's name below the cgroup2 mount ("/svd.slice/web.service"):
 * points into path, which is below root's base (path itself without a
 * root). */
const char *cgroup_name(const struct cgroup_root *root, const char *path);

/* What `svctl status` shows of a service's cgroup; UINT64_MAX where the
 * kernel does not say. */
struct cgroup_stats {
	uint64_t tasks;
	uint64_t memory_current, memory_peak, memory_max;
	uint64_t cpu_usage_usec;
};

/* Finds and prepares svd's tree. configured: CgroupRoot= or NULL.
 * force_freeze: kill without cgroup.kill, to test the fallback.
 * take_over: a populated svd.slice is this svd's own services' (a
 * re-exec, or the services a crashed svd left, adopt.h), not another
 * svd's. Never fails: root->mode says what svd has, and a line in the
 * log says it, once. */
/* Writes value to file of the cgroup directory dir, whole, without
 * O_CREAT (a missing file is a missing controller). -1 with errno. */
int cgroup_write_at(int dir, const char *file, const char *value);
void cgroup_root_init(struct cgroup_root *root, const char *configured,
		      const struct resource_amount *default_tasks_max,
		      bool force_freeze, bool take_over);
/* Removes the empty cgroups svd made (not svd.scope while svd is in
 * it) and closes the inotify fd. */
void cgroup_root_free(struct cgroup_root *root);
/* Signals every process in svd's service tree (a shutdown's last word:
 * what KillMode=process left). Returns how many were signalled. */
size_t cgroup_root_signal_all(struct cgroup_root *root, int signo);

/* "web.service" in slice (NULL: svd.slice) -> BASE/svd.slice/web.service;
 * a-b.slice nests in a.slice. NULL with errno. */
char *cgroup_unit_path(const struct cgroup_root *root, const char *slice,
		       const char *name);
/* Creates (or finds) the service's cgroup, opens cgroup.procs for its
 * children and watches memory.events (where there is one). Returns 0 or
 * -1 with errno. */
int cgroup_unit_open(struct cgroup_root *root, struct cgroup_unit *cg,
		     const char *slice, const char *name);
/* Watches its cgroup.events (once: events_wd), for the moment it is
 * empty. Returns 0 or -1 with errno. */
int cgroup_unit_watch_events(struct cgroup_root *root, struct cgroup_unit *cg);
/* Writes the resource settings into the cgroup's files. Settings whose
 * controller is missing are skipped, and said in warn (once per call,
 * empty when all applied). Returns -1 when a write failed (why in warn). */
int cgroup_unit_apply(const struct cgroup_root *root, const struct cgroup_unit *cg,
		      const struct unit_resources *r, char *warn, size_t size);
/* The same, into the directory fd dir (for tests: a fake cgroup). */
int cgroup_apply_at(int dir, unsigned controllers, uint64_t memory_bytes,
		    uint64_t tasks_ceiling, const struct resource_amount *default_tasks,
		    const struct unit_resources *r, char *warn, size_t size);
/* 1 while a process is in it, 0 when empty, -1 with errno. */
int cgroup_unit_populated(const struct cgroup_unit *cg);
/* Sends signo to every process in it; SIGKILL through cgroup.kill where
 * the kernel has it. Returns how many were signalled (cgroup.kill: 1
 * when it was written), -1 with errno. */
int cgroup_unit_kill(const struct cgroup_root *root, const struct cgroup_unit *cg,
		     int signo);
/* Whether memory.events counts more OOM kills than when last asked. */
bool cgroup_unit_oom_killed(struct cgroup_unit *cg);
/* Stops watching, closes its fds and removes the directory when empty.
 * Returns 0, or -1 with errno (EBUSY: a process is still in it). */
int cgroup_unit_close(struct cgroup_root *root, struct cgroup_unit *cg);
void cgroup_unit_stats(const struct cgroup_unit *cg, struct cgroup_stats *stats);
/* The pids in it, in the kernel's order (malloc'd; *n of them). */
pid_t *cgroup_unit_pids(const struct cgroup_unit *cg, size_t *n);

/* Reads the inotify fd: for each watch that fired, cb(ctx, wd). */
void cgroup_root_read_events(struct cgroup_root *root,
			     void (*cb)(void *ctx, int wd), void *ctx);

/* "0::/a/b" line of a /proc/PID/cgroup text -> "/a/b" (malloc'd), or
 * NULL (EINVAL: none). */
char *cgroup_parse_self(const char *text);

#endif
