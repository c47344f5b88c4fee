/* Tests for daemon/cgroup.c and cgroup_limits.c (on a fake cgroup
 * directory in a temporary directory: plain files where the kernel
 * would have its own) and conf/resource.c, the values they take. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "resource.h"
#include "unit.h"

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/svd-test-cgroup.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	return remove(path);
}

static void teardown(void)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void put_file(const char *name, const char *content)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* The file's content, or "(none)" when it does not exist. */
static const char *file_text(const char *name)
{
	static char text[256];
	char path[PATH_MAX];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "r")))
		return "(none)";
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* --- values --- */

START_TEST(bytes_values)
{
	struct resource_amount a;

	ck_assert_int_eq(resource_parse_bytes("512M", &a), 0);
	ck_assert(a.kind == RESOURCE_VALUE && a.value == 512ull << 20);
	ck_assert_int_eq(resource_parse_bytes("4096", &a), 0);
	ck_assert(a.kind == RESOURCE_VALUE && a.value == 4096);
	ck_assert_int_eq(resource_parse_bytes("infinity", &a), 0);
	ck_assert(a.kind == RESOURCE_INFINITY);
	ck_assert_int_eq(resource_parse_bytes("12.5%", &a), 0);
	ck_assert(a.kind == RESOURCE_PERCENT && a.value == 1250);
	ck_assert_int_eq(resource_parse_bytes("50%", &a), 0);
	ck_assert_uint_eq(resource_resolve(&a, 1000), 500);
	ck_assert_int_eq(resource_parse_bytes("-1", &a), -1);
	ck_assert_int_eq(resource_parse_bytes("1X", &a), -1);
	ck_assert_int_eq(resource_parse_bytes("101%", &a), -1);
	ck_assert_int_eq(resource_parse_bytes("%", &a), -1);
	ck_assert_int_eq(resource_parse_bytes("1.234%", &a), -1);
	ck_assert_int_eq(resource_parse_bytes("", &a), -1);
}
END_TEST

START_TEST(other_values)
{
	struct resource_amount a;
	uint64_t quota;
	unsigned w;

	ck_assert_int_eq(resource_parse_tasks("4711", &a), 0);
	ck_assert(a.kind == RESOURCE_VALUE && a.value == 4711);
	ck_assert_int_eq(resource_parse_tasks("0", &a), -1);
	ck_assert_int_eq(resource_parse_tasks("10K", &a), -1);
	ck_assert_int_eq(resource_parse_quota("20%", &quota), 0);
	ck_assert_uint_eq(quota, 2000);
	ck_assert_int_eq(resource_parse_quota("150%", &quota), 0);
	ck_assert_uint_eq(quota, 15000);
	ck_assert_int_eq(resource_parse_quota("0%", &quota), -1);
	ck_assert_int_eq(resource_parse_quota("20", &quota), -1);
	ck_assert_int_eq(resource_parse_weight("100", &w), 0);
	ck_assert_uint_eq(w, 100);
	ck_assert_int_eq(resource_parse_weight("0", &w), -1);
	ck_assert_int_eq(resource_parse_weight("10001", &w), -1);
	/* systemd's mapping: 1024 shares are weight 100 */
	ck_assert_int_eq(resource_parse_shares("1024", &w), 0);
	ck_assert_uint_eq(w, 100);
	ck_assert_int_eq(resource_parse_shares("2", &w), 0);
	ck_assert_uint_eq(w, 1);
	ck_assert_int_eq(resource_parse_shares("262144", &w), 0);
	ck_assert_uint_eq(w, 10000);
	ck_assert_int_eq(resource_parse_shares("1", &w), -1);
	ck_assert(resource_cpus_valid("0-3,6"));
	ck_assert(resource_cpus_valid("1 2 5-7"));
	ck_assert(!resource_cpus_valid("3-1"));
	ck_assert(!resource_cpus_valid("a"));
	ck_assert(!resource_cpus_valid(""));
	ck_assert(!resource_cpus_valid("1-"));
}
END_TEST

/* --- unit files --- */

static int n_errors;

static void diag(void *ctx, enum unit_diag_level level, const char *message)
{
	(void)ctx;
	n_errors += level == UNIT_DIAG_ERROR;
}

static struct unit *load_unit(const char *content)
{
	static const char *dirs[1];
	struct unit_load_ctx ctx = {
		.dirs = dirs, .n_dirs = 1, .diag = diag,
		.spec = { .host = &(struct spec_host){ .hostname = "h" } },
	};
	char path[PATH_MAX];
	struct unit *u = NULL;

	dirs[0] = dir;
	n_errors = 0;
	put_file("r.service", content);
	snprintf(path, sizeof(path), "%s/r.service", dir);
	if (unit_load_file(&ctx, path, NULL, &u) < 0)
		return NULL;
	return u;
}

START_TEST(unit_keys)
{
	struct unit *u = load_unit("[Service]\nExecStart=/bin/true\n"
				   "MemoryMax=1G\nMemoryHigh=50%\nMemoryLow=1M\n"
				   "MemorySwapMax=infinity\nCPUQuota=20%\n"
				   "CPUShares=2048\nIOWeight=50\nTasksMax=64\n"
				   "AllowedCPUs=0-1\nSlice=web-front.slice\n"
				   "OOMPolicy=kill\n");
	const struct unit_resources *r;

	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_nonnull(r = u->resources);
	ck_assert_uint_eq(r->memory_max.value, 1ull << 30);
	ck_assert_uint_eq(r->memory_high.value, 5000);
	ck_assert(r->memory_high.kind == RESOURCE_PERCENT);
	ck_assert(r->memory_swap_max.kind == RESOURCE_INFINITY);
	ck_assert_uint_eq(r->cpu_quota_permyriad, 2000);
	ck_assert_uint_eq(r->cpu_weight, 200);
	ck_assert_uint_eq(r->io_weight, 50);
	ck_assert_uint_eq(r->tasks_max.value, 64);
	ck_assert_str_eq(r->allowed_cpus, "0-1");
	ck_assert_str_eq(u->slice, "web-front.slice");
	ck_assert_int_eq(u->oom_policy, UNIT_OOM_KILL);
	unit_free(u);
	/* MemoryLimit= is MemoryMax= under its cgroup v1 name; empty resets */
	u = load_unit("[Service]\nExecStart=/bin/true\nMemoryLimit=64M\n"
		      "CPUWeight=5\nCPUWeight=\n");
	ck_assert_ptr_nonnull(u);
	ck_assert_uint_eq(u->resources->memory_max.value, 64ull << 20);
	ck_assert_uint_eq(u->resources->cpu_weight, 0);
	ck_assert_ptr_null(u->slice);
	unit_free(u);
}
END_TEST

START_TEST(unit_bad_values)
{
	static const char *const bad[] = {
		"MemoryMax=lots", "CPUQuota=0%", "CPUWeight=0", "TasksMax=-1",
		"IOWeight=20000", "AllowedCPUs=x", "Slice=web", "Slice=-a.slice",
		"OOMPolicy=panic", "CPUShares=1",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[200];
		struct unit *u;

		snprintf(text, sizeof(text), "[Service]\nExecStart=/bin/true\n%s\n",
			 bad[i]);
		u = load_unit(text);
		ck_assert_msg(!u && n_errors == 1, "%s was accepted", bad[i]);
	}
}
END_TEST

/* --- what is written where --- */

static const char *const limit_files[] = {
	"memory.max", "memory.high", "memory.low", "memory.swap.max",
	"pids.max", "cpu.max", "cpu.weight", "io.weight", "cpuset.cpus",
};

static void fake_controller_files(void)
{
	for (size_t i = 0; i < sizeof(limit_files) / sizeof(limit_files[0]); i++)
		put_file(limit_files[i], "");
}

static int open_dir(void)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	return fd;
}

#define ALL_CONTROLLERS (CGROUP_CTRL_CPU | CGROUP_CTRL_MEMORY | \
			 CGROUP_CTRL_PIDS | CGROUP_CTRL_IO | CGROUP_CTRL_CPUSET)

START_TEST(apply_writes_files)
{
	struct unit_resources r = {
		.memory_max = { RESOURCE_VALUE, 512ull << 20 },
		.memory_high = { RESOURCE_PERCENT, 5000 },
		.memory_low = { RESOURCE_VALUE, 4096 },
		.memory_swap_max = { RESOURCE_INFINITY, 0 },
		.tasks_max = { RESOURCE_VALUE, 64 },
		.cpu_quota_permyriad = 2000,
		.cpu_weight = 200,
		.io_weight = 50,
		.allowed_cpus = (char *)"0-1",
	};
	struct resource_amount def = { RESOURCE_PERCENT, 1500 };
	char warn[300];
	int fd;

	fake_controller_files();
	fd = open_dir();
	ck_assert_int_eq(cgroup_apply_at(fd, ALL_CONTROLLERS, 8000, 32768, &def,
					 &r, warn, sizeof(warn)), 0);
	close(fd);
	ck_assert_str_eq(warn, "");
	ck_assert_str_eq(file_text("memory.max"), "536870912");
	ck_assert_str_eq(file_text("memory.high"), "4000");
	ck_assert_str_eq(file_text("memory.low"), "4096");
	ck_assert_str_eq(file_text("memory.swap.max"), "max");
	ck_assert_str_eq(file_text("pids.max"), "64");
	ck_assert_str_eq(file_text("cpu.max"), "20000 100000");
	ck_assert_str_eq(file_text("cpu.weight"), "200");
	ck_assert_str_eq(file_text("io.weight"), "default 50");
	ck_assert_str_eq(file_text("cpuset.cpus"), "0-1");
}
END_TEST

/* DefaultTasksMax= for a service that sets nothing: 15% of the ceiling. */
START_TEST(apply_default_tasks)
{
	struct resource_amount def = { RESOURCE_PERCENT, 1500 };
	char warn[300];
	int fd;

	fake_controller_files();
	fd = open_dir();
	ck_assert_int_eq(cgroup_apply_at(fd, ALL_CONTROLLERS, 8000, 32768, &def,
					 NULL, warn, sizeof(warn)), 0);
	ck_assert_str_eq(file_text("pids.max"), "4915");
	ck_assert_str_eq(file_text("memory.max"), "");
	/* No pids controller: the default is left out, quietly. */
	put_file("pids.max", "");
	ck_assert_int_eq(cgroup_apply_at(fd, 0, 8000, 32768, &def, NULL, warn,
					 sizeof(warn)), 0);
	close(fd);
	ck_assert_str_eq(warn, "");
	ck_assert_str_eq(file_text("pids.max"), "");
}
END_TEST

/* The hybrid machine's cgroup2: no controller; the unit runs, warned. */
START_TEST(apply_without_controllers)
{
	struct unit_resources r = {
		.memory_max = { RESOURCE_VALUE, 1024 },
		.cpu_quota_permyriad = 5000,
		.tasks_max = { RESOURCE_VALUE, 10 },
	};
	char warn[300];
	int fd;

	fake_controller_files();
	fd = open_dir();
	ck_assert_int_eq(cgroup_apply_at(fd, CGROUP_CTRL_CPU, 8000, 32768, NULL,
					 &r, warn, sizeof(warn)), 0);
	close(fd);
	ck_assert_str_eq(warn, "resource limits unavailable (no cgroup controller "
			 "for TasksMax=, MemoryMax=): ignored");
	ck_assert_str_eq(file_text("memory.max"), "");
	ck_assert_str_eq(file_text("pids.max"), "");
	ck_assert_str_eq(file_text("cpu.max"), "50000 100000");
}
END_TEST

/* A controller said to be there whose file is missing: the start fails,
 * named. */
START_TEST(apply_write_fails)
{
	struct unit_resources r = { .memory_max = { RESOURCE_VALUE, 1024 } };
	char warn[300];
	int fd = open_dir();

	ck_assert_int_eq(cgroup_apply_at(fd, ALL_CONTROLLERS, 8000, 32768, NULL,
					 &r, warn, sizeof(warn)), -1);
	close(fd);
	ck_assert_msg(strstr(warn, "MemoryMax: writing \"1024\" to memory.max"),
		      "%s", warn);
}
END_TEST

/* --- paths and figures --- */

START_TEST(unit_paths)
{
	struct cgroup_root root = { .base = (char *)"/cg" };
	char *path;

	path = cgroup_unit_path(&root, NULL, "web.service");
	ck_assert_str_eq(path, "/cg/svd.slice/web.service");
	free(path);
	path = cgroup_unit_path(&root, "a-b-c.slice", "web.service");
	ck_assert_str_eq(path, "/cg/a.slice/a-b.slice/a-b-c.slice/web.service");
	free(path);
	path = cgroup_unit_path(&root, "-.slice", "web.service");
	ck_assert_str_eq(path, "/cg/web.service");
	free(path);
}
END_TEST

START_TEST(own_cgroup_line)
{
	char *own = cgroup_parse_self("12:pids:/x\n1:name=systemd:/y\n0::/a/b\n");

	ck_assert_str_eq(own, "/a/b");
	free(own);
	errno = 0;
	ck_assert_ptr_null(cgroup_parse_self("4:memory:/m\n"));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(figures)
{
	struct cgroup_unit cg = { .path = dir, .procs_fd = -1, .events_wd = -1,
				  .memory_wd = 1 };
	struct cgroup_stats stats;
	size_t n;
	pid_t *pids;

	put_file("cgroup.events", "populated 1\nfrozen 0\n");
	put_file("cgroup.procs", "41\n42\n");
	put_file("memory.current", "1048576\n");
	put_file("memory.max", "max\n");
	put_file("cpu.stat", "usage_usec 2500\nuser_usec 2000\n");
	put_file("memory.events", "low 0\noom 1\noom_kill 1\n");
	ck_assert_int_eq(cgroup_unit_populated(&cg), 1);
	cgroup_unit_stats(&cg, &stats);
	ck_assert_uint_eq(stats.tasks, 2);	/* no pids.current: counted */
	ck_assert_uint_eq(stats.memory_current, 1048576);
	ck_assert_uint_eq(stats.memory_peak, UINT64_MAX);
	ck_assert_uint_eq(stats.memory_max, UINT64_MAX);
	ck_assert_uint_eq(stats.cpu_usage_usec, 2500);
	pids = cgroup_unit_pids(&cg, &n);
	ck_assert(n == 2 && pids[0] == 41 && pids[1] == 42);
	free(pids);
	/* Each OOM kill is news once. */
	ck_assert(cgroup_unit_oom_killed(&cg));
	ck_assert(!cgroup_unit_oom_killed(&cg));
	put_file("memory.events", "low 0\noom 2\noom_kill 2\n");
	ck_assert(cgroup_unit_oom_killed(&cg));
	put_file("cgroup.events", "populated 0\nfrozen 0\n");
	ck_assert_int_eq(cgroup_unit_populated(&cg), 0);
	put_file("pids.current", "7\n");
	cgroup_unit_stats(&cg, &stats);
	ck_assert_uint_eq(stats.tasks, 7);
}
END_TEST

/* A child that waits for a signal with its default action. check's own
 * SIGTERM handler, inherited, would end the test's whole group: the
 * child drops it with SIGTERM blocked, so that none can come first. */
static pid_t paused_child(void)
{
	sigset_t term, old;
	pid_t pid;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		for (;;)
			pause();
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

/* Without cgroup.kill: freeze, signal every pid listed, thaw. */
START_TEST(kill_by_freezing)
{
	struct cgroup_root root = { .has_freeze = true };
	struct cgroup_unit cg = { .path = dir, .procs_fd = -1, .events_wd = -1,
				  .memory_wd = -1 };
	pid_t child = paused_child();
	char procs[32];
	int status;

	snprintf(procs, sizeof(procs), "%d\n", (int)child);
	put_file("cgroup.procs", procs);
	put_file("cgroup.freeze", "");
	put_file("cgroup.kill", "");
	ck_assert_int_eq(cgroup_unit_kill(&root, &cg, SIGKILL), 1);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_str_eq(file_text("cgroup.freeze"), "0");	/* thawed */
	ck_assert_str_eq(file_text("cgroup.kill"), "");	/* not used */
}
END_TEST

/* With cgroup.kill, SIGKILL is one write; other signals go by pid. */
START_TEST(kill_through_cgroup_kill)
{
	struct cgroup_root root = { .has_kill = true };
	struct cgroup_unit cg = { .path = dir, .procs_fd = -1, .events_wd = -1,
				  .memory_wd = -1 };
	pid_t child = paused_child();
	char procs[32];
	int status;

	snprintf(procs, sizeof(procs), "%d\n", (int)child);
	put_file("cgroup.procs", procs);
	put_file("cgroup.kill", "");
	ck_assert_int_eq(cgroup_unit_kill(&root, &cg, SIGKILL), 1);
	ck_assert_str_eq(file_text("cgroup.kill"), "1");
	/* A fake cgroup.kill kills nobody: SIGTERM by pid does. */
	ck_assert_int_eq(cgroup_unit_kill(&root, &cg, SIGTERM), 1);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}
END_TEST

/* Not a cgroup2: svd says so and stays with process groups. */
START_TEST(no_cgroup2)
{
	struct cgroup_root root;

	cgroup_root_init(&root, dir, NULL, false, false);
	ck_assert_int_eq(root.mode, CGROUP_OFF);
	ck_assert_ptr_null(root.base);
	ck_assert_uint_eq(cgroup_root_signal_all(&root, 0), 0);
	cgroup_root_free(&root);
}
END_TEST

static Suite *cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bytes_values);
	tcase_add_test(tc, other_values);
	tcase_add_test(tc, unit_keys);
	tcase_add_test(tc, unit_bad_values);
	tcase_add_test(tc, apply_writes_files);
	tcase_add_test(tc, apply_default_tasks);
	tcase_add_test(tc, apply_without_controllers);
	tcase_add_test(tc, apply_write_fails);
	tcase_add_test(tc, unit_paths);
	tcase_add_test(tc, own_cgroup_line);
	tcase_add_test(tc, figures);
	tcase_add_test(tc, kill_by_freezing);
	tcase_add_test(tc, kill_through_cgroup_kill);
	tcase_add_test(tc, no_cgroup2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(cgroup_suite());
}
