#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "log.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static const struct {
	const char *name;
	unsigned bit;
} controller_names[] = {
	{ "cpu", CGROUP_CTRL_CPU }, { "memory", CGROUP_CTRL_MEMORY },
	{ "pids", CGROUP_CTRL_PIDS }, { "io", CGROUP_CTRL_IO },
	{ "cpuset", CGROUP_CTRL_CPUSET },
};

#define N_CONTROLLERS (sizeof(controller_names) / sizeof(controller_names[0]))

/* A small file of a cgroup, whole, as a string. -1 with errno. */
static int read_small(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int cgroup_write_at(int dir, const char *file, const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, err;

	if ((fd = openat(dir, file, O_WRONLY | O_CLOEXEC | O_TRUNC)) < 0)
		return -1;
	n = write(fd, value, len);
	err = errno;
	close(fd);
	if (n == (ssize_t)len)
		return 0;
	errno = n < 0 ? err : EIO;
	return -1;
}

static int write_in(const char *dir, const char *file, const char *value)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r, err;

	if (fd < 0)
		return -1;
	r = cgroup_write_at(fd, file, value);
	err = errno;
	close(fd);
	errno = err;
	return r;
}

/* "key N" from a flat-keyed file such as cgroup.events or cpu.stat. */
static int keyed_value(const char *text, const char *key, uint64_t *value)
{
	size_t len = strlen(key);

	for (const char *line = text; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ' ') {
			*value = strtoull(line + len + 1, NULL, 10);
			return 0;
		}
	errno = ENOENT;
	return -1;
}

static bool is_cgroup2(const char *path)
{
	struct statfs fs;

	return statfs(path, &fs) == 0 && (unsigned long)fs.f_type == CGROUP2_SUPER_MAGIC;
}

char *cgroup_parse_self(const char *text)
{
	for (const char *line = text; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, "0::", 3) == 0)
			return strndup(line + 3, strcspn(line + 3, "\n"));
	errno = EINVAL;
	return NULL;
}

/* mount + svd's own cgroup on it. NULL with errno. */
static char *own_cgroup(const char *mount)
{
	char text[4096], *own, *path;

	size_t len, scope = strlen(CGROUP_SELF_SCOPE);

	if (read_small("/proc/self", "cgroup", text, sizeof(text)) < 0 ||
	    !(own = cgroup_parse_self(text)))
		return NULL;
	/* Re-executed, svd is in the scope it moved itself to: its tree is
	 * the one above. */
	len = strlen(own);
	if (len > scope + 1 && own[len - scope - 1] == '/' &&
	    strcmp(own + len - scope, CGROUP_SELF_SCOPE) == 0)
		own[len - scope - 1] = '\0';
	if (asprintf(&path, "%s%s", mount, strcmp(own, "/") == 0 ? "" : own) < 0)
		path = NULL;
	free(own);
	return path;
}

static uint64_t read_number(const char *path)
{
	unsigned long long n = 0;
	FILE *f = fopen(path, "re");

	if (f) {
		if (fscanf(f, "%llu", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n;
}

/* systemd's ceiling for TasksMax= percentages: the smaller of the
 * kernel's pid_max and threads-max. */
static uint64_t tasks_ceiling(void)
{
	uint64_t pid_max = read_number("/proc/sys/kernel/pid_max");
	uint64_t threads = read_number("/proc/sys/kernel/threads-max");

	if (!pid_max || (threads && threads < pid_max))
		return threads ? threads : 32768;
	return pid_max;
}

/* Hands what base offers to its children; svd must not be in base. */
static unsigned enable_controllers(const char *dir, unsigned wanted)
{
	char text[512];
	unsigned enabled = 0;

	if (read_small(dir, "cgroup.controllers", text, sizeof(text)) < 0)
		return 0;
	for (size_t i = 0; i < N_CONTROLLERS; i++) {
		char word[32];
		const char *name = controller_names[i].name;
		size_t len = strlen(name);
		const char *at = text;

		if (!(wanted & controller_names[i].bit))
			continue;
		while ((at = strstr(at, name)) &&
		       ((at != text && at[-1] != ' ') ||
			(at[len] && at[len] != ' ' && at[len] != '\n')))
			at += len;
		if (!at)
			continue;
		snprintf(word, sizeof(word), "+%s", name);
		if (write_in(dir, "cgroup.subtree_control", word) == 0)
			enabled |= controller_names[i].bit;
		else
			log_errno(LOG_LEVEL_DEBUG, NULL, errno,
				  "enabling %s in %s", name, dir);
	}
	return enabled;
}

/* svd leaves base for base/svd.scope, so that base may hand its
 * controllers on (cgroup2's "no internal processes"). */
static int move_self(const char *base)
{
	char *scope;
	int r = -1;

	if (asprintf(&scope, "%s/%s", base, CGROUP_SELF_SCOPE) < 0)
		return -1;
	if ((mkdir(scope, 0755) == 0 || errno == EEXIST) &&
	    write_in(scope, "cgroup.procs", "0") == 0)
		r = 0;
	else
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "moving svd to %s: "
			  "resource limits unavailable", scope);
	free(scope);
	return r;
}

static bool has_file(const char *dir, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, W_OK) == 0;
}

static bool slice_in_use(const char *slice)
{
	char text[256];
	uint64_t populated = 0;

	return read_small(slice, "cgroup.events", text, sizeof(text)) == 0 &&
	       keyed_value(text, "populated", &populated) == 0 && populated;
}

static void set_off(struct cgroup_root *root, const char *why)
{
	free(root->base);
	root->base = NULL;
	root->mode = CGROUP_OFF;
	log_info(NULL, "%s: services are tracked by process group (KillMode= "
		 "reaches a service's process group only; no resource limits)",
		 why);
}

/* Where the cgroup2 that dir is in is mounted: its highest ancestor
 * still on a cgroup2 (every cgroup2 mount shows the one hierarchy). */
static size_t mount_prefix_len(const char *dir)
{
	size_t len = strlen(dir);

	while (len > 1) {
		size_t up = len - 1;
		char parent[PATH_MAX];

		while (up > 0 && dir[up] != '/')
			up--;
		if (up >= sizeof(parent))
			break;
		memcpy(parent, dir, up ? up : 1);
		parent[up ? up : 1] = '\0';
		if (!is_cgroup2(parent))
			break;
		len = up;
	}
	return len > 1 ? len : 0;
}

const char *cgroup_name(const struct cgroup_root *root, const char *path)
{
	const char *name = root ? path + root->mount_len : path;

	return *name ? name : "/";
}

static const char *find_base(const char *configured, char **base, char *why,
			     size_t size)
{
	const char *mount = NULL;

	if (configured) {
		if (!is_cgroup2(configured)) {
			snprintf(why, size, "CgroupRoot=%s is not a cgroup2 "
				 "file system", configured);
			return NULL;
		}
		*base = strdup(configured);
		return *base ? configured : NULL;
	}
	if (is_cgroup2("/sys/fs/cgroup"))
		mount = "/sys/fs/cgroup";
	else if (is_cgroup2("/sys/fs/cgroup/unified"))
		mount = "/sys/fs/cgroup/unified";
	if (!mount) {
		snprintf(why, size, "no cgroup2 mounted (cgroup v1 only, or none)");
		return NULL;
	}
	if (!(*base = own_cgroup(mount))) {
		snprintf(why, size, "cgroup2 at %s, but svd's own cgroup is not "
			 "in /proc/self/cgroup", mount);
		return NULL;
	}
	return mount;
}

static void describe(const struct cgroup_root *root)
{
	char names[128] = "";

	for (size_t i = 0; i < N_CONTROLLERS; i++)
		if (root->controllers & controller_names[i].bit) {
			strcat(names, " ");
			strcat(names, controller_names[i].name);
		}
	if (root->mode == CGROUP_FULL)
		log_info(NULL, "cgroup2 at %s: one cgroup per service; resource "
			 "controllers:%s", root->base, names);
	else
		log_info(NULL, "cgroup2 at %s: one cgroup per service; resource "
			 "limits unavailable (no controller in this cgroup2, "
			 "as on a hybrid hierarchy)", root->base);
	if (!root->has_kill)
		log_info(NULL, "no cgroup.kill: SIGKILL by %s",
			 root->has_freeze ? "freezing the cgroup" : "pid");
}

void cgroup_root_init(struct cgroup_root *root, const char *configured,
		      const struct resource_amount *default_tasks_max,
		      bool force_freeze, bool take_over)
{
	char why[PATH_MAX + 100], *slice = NULL, *self;
	const char *mount;

	*root = (struct cgroup_root){ .inotify_fd = -1 };
	root->default_tasks_max = default_tasks_max ? *default_tasks_max :
		(struct resource_amount){ RESOURCE_PERCENT, CGROUP_DEFAULT_TASKS_PERMYRIAD };
	if (!(mount = find_base(configured, &root->base, why, sizeof(why)))) {
		set_off(root, why);
		return;
	}
	root->mount_len = configured ? mount_prefix_len(root->base) :
		strcmp(mount, "/") == 0 ? 0 : strlen(mount);
	if (asprintf(&slice, "%s/%s", root->base, CGROUP_DEFAULT_SLICE) < 0 ||
	    (mkdir(slice, 0755) < 0 && errno != EEXIST)) {
		snprintf(why, sizeof(why), "cgroup2 at %s is not writable (%s)",
			 root->base, strerror(errno));
		free(slice);
		set_off(root, why);
		return;
	}
	/* Two svds in one cgroup would share svd.slice, and kill each
	 * other's services of the same name. */
	if (!take_over && slice_in_use(slice)) {
		snprintf(why, sizeof(why), "%s has processes: another svd's tree "
			 "(give this one CgroupRoot=)", slice);
		free(slice);
		set_off(root, why);
		return;
	}
	root->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (root->inotify_fd < 0) {
		snprintf(why, sizeof(why), "inotify_init1: %s", strerror(errno));
		free(slice);
		set_off(root, why);
		return;
	}
	root->mode = CGROUP_TRACK;
	root->has_kill = !force_freeze && has_file(slice, "cgroup.kill");
	root->has_freeze = has_file(slice, "cgroup.freeze");
	free(slice);
	root->memory_bytes = (uint64_t)sysconf(_SC_PHYS_PAGES) *
			     (uint64_t)sysconf(_SC_PAGESIZE);
	root->tasks_ceiling = tasks_ceiling();
	/* Only where svd's own cgroup is the base must svd step aside, and
	 * not at the hierarchy's true root, where processes may stay: the
	 * root of a cgroup namespace (a container's "/") is not that one,
	 * and has the cgroup.type the true root lacks. */
	self = configured ? NULL : own_cgroup(mount);
	if (!self || (strcmp(self, mount) == 0 && !has_file(root->base, "cgroup.type")) ||
	    move_self(root->base) == 0)
		root->controllers = enable_controllers(root->base, ~0u);
	free(self);
	if (root->controllers)
		root->mode = CGROUP_FULL;
	describe(root);
}

/* Depth first, every directory below dir (skip: not that one). */
static void walk(const char *dir, const char *skip,
		 void (*fn)(const char *path, void *ctx), void *ctx)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *path;

		if (e->d_type != DT_DIR || e->d_name[0] == '.' ||
		    (skip && strcmp(e->d_name, skip) == 0))
			continue;
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			continue;
		walk(path, NULL, fn, ctx);
		fn(path, ctx);
		free(path);
	}
	closedir(d);
}

static void remove_dir(const char *path, void *ctx)
{
	if (rmdir(path) < 0 && errno != EBUSY && errno != ENOENT)
		log_errno(LOG_LEVEL_DEBUG, NULL, errno, "rmdir %s", path);
}

void cgroup_root_free(struct cgroup_root *root)
{
	if (root->base)
		walk(root->base, CGROUP_SELF_SCOPE, remove_dir, NULL);
	if (root->inotify_fd >= 0)
		close(root->inotify_fd);
	free(root->base);
	*root = (struct cgroup_root){ .inotify_fd = -1 };
}

struct signal_all {
	int signo;
	size_t n;
};

static void signal_dir(const char *path, void *ctx)
{
	struct signal_all *s = ctx;
	struct cgroup_unit cg = { .path = (char *)(uintptr_t)path };
	size_t n;
	pid_t *pids = cgroup_unit_pids(&cg, &n);

	for (size_t i = 0; pids && i < n; i++)
		if (kill(pids[i], s->signo) == 0)
			s->n++;
	free(pids);
}

size_t cgroup_root_signal_all(struct cgroup_root *root, int signo)
{
	struct signal_all s = { signo, 0 };

	if (root->mode != CGROUP_OFF)
		walk(root->base, CGROUP_SELF_SCOPE, signal_dir, &s);
	return s.n;
}

char *cgroup_unit_path(const struct cgroup_root *root, const char *slice,
		       const char *name)
{
	size_t len;
	char *path;
	FILE *f;

	if (!slice)
		slice = CGROUP_DEFAULT_SLICE;
	if (!(f = open_memstream(&path, &len)))
		return NULL;
	fputs(root->base, f);
	/* a-b-c.slice: a.slice/a-b.slice/a-b-c.slice; "-.slice" is the root */
	if (strcmp(slice, "-.slice") != 0) {
		size_t stem = strlen(slice) - strlen(".slice");

		for (size_t i = 0; i <= stem; i++)
			if (i == stem || slice[i] == '-')
				fprintf(f, "/%.*s.slice", (int)i, slice);
	}
	fprintf(f, "/%s", name);
	if (fclose(f) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

/* Every slice on the way, each handing the controllers on. */
static int make_parents(const struct cgroup_root *root, char *path)
{
	for (char *slash = path + strlen(root->base) + 1;
	     (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			int err = errno;

			*slash = '/';
			errno = err;
			return -1;
		}
		if (root->controllers)
			enable_controllers(path, root->controllers);
		*slash = '/';
	}
	return 0;
}

static int watch(struct cgroup_root *root, const char *dir, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return inotify_add_watch(root->inotify_fd, path, IN_MODIFY);
}

static uint64_t oom_kills(const char *dir)
{
	char text[1024];
	uint64_t n = 0;

	if (read_small(dir, "memory.events", text, sizeof(text)) == 0)
		keyed_value(text, "oom_kill", &n);
	return n;
}

int cgroup_unit_open(struct cgroup_root *root, struct cgroup_unit *cg,
		     const char *slice, const char *name)
{
	char procs[PATH_MAX];
	int err;

	if (root->mode == CGROUP_OFF) {
		errno = ENOTSUP;
		return -1;
	}
	if (cg->path)
		return 0;
	if (!(cg->path = cgroup_unit_path(root, slice, name)))
		return -1;
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg->path);
	if (make_parents(root, cg->path) < 0 ||
	    (mkdir(cg->path, 0755) < 0 && errno != EEXIST) ||
	    (cg->procs_fd = open(procs, O_WRONLY | O_CLOEXEC)) < 0)
		goto fail;
	if (root->controllers & CGROUP_CTRL_MEMORY) {
		cg->memory_wd = watch(root, cg->path, "memory.events");
		cg->oom_kills = oom_kills(cg->path);
	}
	return 0;
fail:
	err = errno;
	if (cg->procs_fd >= 0)
		close(cg->procs_fd);
	free(cg->path);
	*cg = (struct cgroup_unit)CGROUP_UNIT_INIT;
	errno = err;
	return -1;
}

int cgroup_unit_watch_events(struct cgroup_root *root, struct cgroup_unit *cg)
{
	if (!cg->path) {
		errno = EINVAL;
		return -1;
	}
	if (cg->events_wd >= 0)
		return 0;
	cg->events_wd = watch(root, cg->path, "cgroup.events");
	return cg->events_wd < 0 ? -1 : 0;
}

int cgroup_unit_populated(const struct cgroup_unit *cg)
{
	char text[256];
	uint64_t populated;

	if (!cg->path)
		return 0;
	if (read_small(cg->path, "cgroup.events", text, sizeof(text)) < 0 ||
	    keyed_value(text, "populated", &populated) < 0)
		return -1;
	return populated != 0;
}

static bool pid_in(const pid_t *pids, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Signals every pid listed; frozen, nobody forks meanwhile. Without the
 * freezer, rounds until one finds nobody new. */
static int signal_members(const struct cgroup_root *root,
			  const struct cgroup_unit *cg, int signo)
{
	pid_t *seen = NULL;
	size_t n_seen = 0;
	int total = 0;

	for (int round = 0; round < CGROUP_KILL_ROUNDS_MAX; round++) {
		size_t n;
		pid_t *pids = cgroup_unit_pids(cg, &n);
		int fresh = 0;

		if (!pids) {
			free(seen);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			if (pid_in(seen, n_seen, pids[i]))
				continue;
			fresh++;
			if (kill(pids[i], signo) == 0)
				total++;
		}
		free(seen);
		seen = pids;
		n_seen = n;
		if (!fresh || root->has_freeze)
			break;
	}
	free(seen);
	return total;
}

int cgroup_unit_kill(const struct cgroup_root *root, const struct cgroup_unit *cg,
		     int signo)
{
	int r, err;

	if (!cg->path)
		return 0;
	/* Mostly so at a restart (the main process was all there was):
	 * one read instead of a freeze, a listing and a thaw. */
	if (cgroup_unit_populated(cg) == 0)
		return 0;
	if (signo == SIGKILL && root->has_kill) {
		if (write_in(cg->path, "cgroup.kill", "1") == 0)
			return 1;
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "%s/cgroup.kill", cg->path);
	}
	if (root->has_freeze && write_in(cg->path, "cgroup.freeze", "1") < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "freezing %s", cg->path);
	r = signal_members(root, cg, signo);
	err = errno;
	if (root->has_freeze && write_in(cg->path, "cgroup.freeze", "0") < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "thawing %s", cg->path);
	errno = err;
	return r;
}

bool cgroup_unit_oom_killed(struct cgroup_unit *cg)
{
	uint64_t n;

	if (!cg->path || cg->memory_wd < 0)
		return false;
	n = oom_kills(cg->path);
	if (n <= cg->oom_kills)
		return false;
	cg->oom_kills = n;
	return true;
}

int cgroup_unit_close(struct cgroup_root *root, struct cgroup_unit *cg)
{
	if (!cg->path)
		return 0;
	if (rmdir(cg->path) < 0 && errno != ENOENT)
		return -1;
	/* The kernel dropped the watches with the directory (IN_IGNORED). */
	if (cg->procs_fd >= 0)
		close(cg->procs_fd);
	free(cg->path);
	*cg = (struct cgroup_unit)CGROUP_UNIT_INIT;
	return 0;
}

pid_t *cgroup_unit_pids(const struct cgroup_unit *cg, size_t *n)
{
	size_t cap = 16;
	pid_t *pids = malloc(cap * sizeof(*pids));
	char path[PATH_MAX];
	FILE *f;
	int pid;

	*n = 0;
	if (!pids)
		return NULL;
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->path);
	if (!(f = fopen(path, "re"))) {
		free(pids);
		return NULL;
	}
	while (fscanf(f, "%d", &pid) == 1) {
		if (*n == cap) {
			pid_t *bigger = realloc(pids, 2 * cap * sizeof(*pids));

			if (!bigger)
				break;	/* what was read still counts */
			pids = bigger;
			cap *= 2;
		}
		pids[(*n)++] = pid;
	}
	fclose(f);
	return pids;
}

static uint64_t stat_number(const char *dir, const char *file)
{
	char text[64];
	char *end;
	unsigned long long n;

	if (read_small(dir, file, text, sizeof(text)) < 0)
		return UINT64_MAX;
	n = strtoull(text, &end, 10);
	return end == text ? UINT64_MAX : n;	/* "max" */
}

void cgroup_unit_stats(const struct cgroup_unit *cg, struct cgroup_stats *stats)
{
	char text[1024];
	size_t n;
	pid_t *pids;

	*stats = (struct cgroup_stats){ UINT64_MAX, UINT64_MAX, UINT64_MAX,
					UINT64_MAX, UINT64_MAX };
	if (!cg->path)
		return;
	stats->tasks = stat_number(cg->path, "pids.current");
	if (stats->tasks == UINT64_MAX && (pids = cgroup_unit_pids(cg, &n))) {
		stats->tasks = n;
		free(pids);
	}
	stats->memory_current = stat_number(cg->path, "memory.current");
	stats->memory_peak = stat_number(cg->path, "memory.peak");
	stats->memory_max = stat_number(cg->path, "memory.max");
	if (read_small(cg->path, "cpu.stat", text, sizeof(text)) == 0)
		keyed_value(text, "usage_usec", &stats->cpu_usage_usec);
}

void cgroup_root_read_events(struct cgroup_root *root,
			     void (*cb)(void *ctx, int wd), void *ctx)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(root->inotify_fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const void *)p;

			if (e->mask & IN_MODIFY)
				cb(ctx, e->wd);
			p += sizeof(*e) + e->len;
		}
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "reading cgroup events");
}
