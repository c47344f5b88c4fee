/* registry and manager: services by name (with or without .service,
 * aliases, instances on first use, targets from files or made up on
 * first mention, made-up mounts and devices),
 * daemon-reload, and reactions that run after the step, never inside
 * it. Real unit files in a temporary directory, a real event loop. */
#include <check.h>

#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "log.h"
#include "manager.h"

static char dir[64], units[80], state[80];
static struct ev_loop *loop;
static struct manager mgr;
static struct logs_batch batch;
static char read_buf[LOGS_READ_MAX_BYTES + 1];
static struct logs_config logs;
static int changes;
static struct service *last_changed;

static struct service *forgotten;

static void on_forget(void *ctx, struct service *service)
{
	/* Told while the service is still whole. */
	ck_assert_ptr_nonnull(service->svc.name);
	forgotten = service;
}

static void on_change(void *ctx, struct service *service)
{
	changes++;
	if (service)
		last_changed = service;
}

static void write_unit(const char *name, const char *text)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", units, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void remove_unit(const char *name)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", units, name);
	ck_assert_int_eq(unlink(path), 0);
}

static void start_manager(void)
{
	static const char *dirs[1];
	static struct spec_host host = { .hostname = "test" };
	struct manager_config config = {
		.unit_dirs = dirs,
		.n_unit_dirs = 1,
		.state_dir = state,
		.host = &host,
		.logs = &logs,
		.on_change = on_change,
		.on_forget = on_forget,
	};

	dirs[0] = units;
	logs = (struct logs_config){ .loop = loop, .ring_bytes = 4096,
				     .read_buf = read_buf, .batch = &batch };
	ck_assert_int_eq(manager_init(&mgr, loop, &config), 0);
	ck_assert_int_eq(manager_load_all(&mgr), 0);
}

static void setup(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	strcpy(dir, "/tmp/test_registry.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(units, sizeof(units), "%s/units", dir);
	snprintf(state, sizeof(state), "%s/state", dir);
	ck_assert_int_eq(mkdir(units, 0755), 0);
	loop = ev_loop_new(EVFLAG_AUTO);
	changes = 0;
	last_changed = NULL;
}

static void teardown(void)
{
	char cmd[128];

	manager_free(&mgr);
	ev_loop_destroy(loop);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

#define SLEEPER "[Service]\nExecStart=/bin/sleep 1000\n"

START_TEST(lookup_with_and_without_suffix)
{
	const char *error = NULL;
	struct service *web;

	write_unit("web.service", SLEEPER);
	start_manager();
	web = manager_find(&mgr, "web", &error);
	ck_assert_ptr_nonnull(web);
	ck_assert_ptr_eq(manager_find(&mgr, "web.service", &error), web);
	ck_assert_ptr_eq(registry_lookup(&mgr.registry, "web.service"), web);
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "web"));
	ck_assert_ptr_null(manager_find(&mgr, "nope", &error));
	ck_assert_str_eq(error, "no such unit");
}
END_TEST

START_TEST(alias_names_its_target)
{
	const char *error = NULL;
	char link[160];

	write_unit("web.service", SLEEPER);
	snprintf(link, sizeof(link), "%s/www.service", units);
	ck_assert_int_eq(symlink("web.service", link), 0);
	start_manager();
	ck_assert_ptr_nonnull(manager_find(&mgr, "www", &error));
	ck_assert_ptr_eq(manager_find(&mgr, "www", &error),
			 registry_lookup(&mgr.registry, "web.service"));
}
END_TEST

START_TEST(instance_loaded_on_first_use)
{
	const char *error = NULL;
	struct service *inst;
	size_t before;

	write_unit("tpl@.service", "[Service]\nExecStart=/bin/echo %i\n");
	start_manager();
	before = manager_count(&mgr);
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "tpl@x.service"));
	inst = manager_find(&mgr, "tpl@x", &error);
	ck_assert_ptr_nonnull(inst);
	ck_assert_uint_eq(manager_count(&mgr), before + 1);
	ck_assert_ptr_eq(manager_find(&mgr, "tpl@x.service", &error), inst);
	ck_assert_uint_eq(manager_count(&mgr), before + 1);
	ck_assert_ptr_null(manager_find(&mgr, "tpl@", &error));
}
END_TEST

START_TEST(target_made_on_first_mention)
{
	const char *error = NULL;
	struct service *t;

	write_unit("web.service", "[Unit]\nAfter=net.target\n" SLEEPER);
	start_manager();
	t = registry_lookup(&mgr.registry, "net.target");
	ck_assert_ptr_nonnull(t);
	ck_assert(t->node.is_target);
	ck_assert_ptr_nonnull(registry_lookup(&mgr.registry, "default.target"));
	ck_assert_ptr_null(manager_find(&mgr, "never.target", &error));
	ck_assert_str_eq(error, "no such unit");
}
END_TEST

START_TEST(target_file_loaded_and_made_up_again)
{
	const char *error = NULL;
	struct service *t, *d;
	char link[160];

	write_unit("app.target", "[Unit]\nDescription=the app\n"
		   "Wants=web.service\n");
	write_unit("web.service", SLEEPER);
	write_unit("multi-user.target", "[Unit]\nDescription=mu\n");
	snprintf(link, sizeof(link), "%s/default.target", units);
	ck_assert_int_eq(symlink("multi-user.target", link), 0);
	start_manager();
	t = manager_find(&mgr, "app.target", &error);
	ck_assert_ptr_nonnull(t);
	ck_assert(t->node.is_target);
	ck_assert(!t->made_up);
	ck_assert_int_eq(t->svc.unit->kind, UNIT_KIND_TARGET);
	ck_assert_str_eq(t->svc.unit->description, "the app");
	ck_assert_ptr_nonnull(t->path);
	ck_assert_uint_eq(t->node.e->deps[UNIT_DEP_WANTS].n, 1);
	/* The link is default.target's alias: one node for both. */
	d = manager_target(&mgr, "default.target");
	ck_assert_ptr_eq(d, registry_lookup(&mgr.registry, "multi-user.target"));
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "default.target"));
	remove_unit("app.target");
	ck_assert_int_eq(manager_load_all(&mgr), 0);
	ck_assert_ptr_eq(registry_lookup(&mgr.registry, "app.target"), t);
	ck_assert(t->made_up);
	ck_assert(t->node.is_target);
	ck_assert_ptr_null(t->path);
	ck_assert_str_eq(t->svc.unit->description, "target app.target");
}
END_TEST

START_TEST(mounts_and_devices_made_up)
{
	const char *error = NULL, *why = NULL;
	struct service *m, *d;

	write_unit("web.service", "[Unit]\nRequires=dev-null.device\n"
		   "After=var-lib.mount -var.mount\n" SLEEPER);
	start_manager();
	m = registry_lookup(&mgr.registry, "var-lib.mount");
	ck_assert_ptr_nonnull(m);
	ck_assert(m->made_up);
	ck_assert(!m->node.is_target);
	ck_assert_int_eq(m->svc.unit->kind, UNIT_KIND_MOUNT);
	ck_assert_str_eq(m->svc.unit->description, "mount point /var/lib");
	d = manager_find(&mgr, "dev-null.device", &error);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->svc.unit->kind, UNIT_KIND_DEVICE);
	/* No path in systemd's escaping: nothing is made. */
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "-var.mount"));
	ck_assert_ptr_null(registry_made_up(&mgr.registry, "a-..-b.mount", &why));
	ck_assert_ptr_nonnull(strstr(why, "escaping"));
	/* Kept across daemon-reload; started when pulled in only. */
	ck_assert_int_eq(manager_load_all(&mgr), 0);
	ck_assert_ptr_eq(registry_lookup(&mgr.registry, "var-lib.mount"), m);
	manager_start_enabled(&mgr);
	ck_assert(!m->node.start_job);
	ck_assert(d->node.start_job);
}
END_TEST

START_TEST(many_units_all_found_and_listed_sorted)
{
	char name[32];
	struct service **sorted;
	size_t n;

	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "u%03d.service", 299 - i);
		write_unit(name, SLEEPER);
	}
	start_manager();
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "u%03d.service", i);
		ck_assert_ptr_nonnull(registry_lookup(&mgr.registry, name));
	}
	sorted = manager_sorted(&mgr, &n);
	ck_assert_ptr_nonnull(sorted);
	ck_assert_uint_eq(n, manager_count(&mgr));
	for (size_t i = 1; i < n; i++)
		ck_assert_int_lt(strcmp(sorted[i - 1]->svc.name, sorted[i]->svc.name), 0);
	free(sorted);
}
END_TEST

/* Runs the loop until the service is past its start phases. Without
 * waiting: an exec outcome known at the spawn is heard by the reactions
 * themselves, with nothing on any fd to wake a waiting loop. */
static void started(struct service *service)
{
	while (svc_is_starting(&service->svc))
		ev_run(loop, EVRUN_NOWAIT);
}

/* Reaps the service's main process as svd's reaper would. */
static void reap(struct service *service)
{
	pid_t pid = service->svc.main_pid;
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	manager_child_exited(&mgr, pid, status);
	ev_run(loop, EVRUN_NOWAIT);
}

START_TEST(reload_keeps_running_and_drops_gone)
{
	struct service *run, *idle;

	write_unit("run.service", SLEEPER);
	write_unit("idle.service", SLEEPER);
	start_manager();
	run = registry_lookup(&mgr.registry, "run.service");
	idle = registry_lookup(&mgr.registry, "idle.service");
	ck_assert_ptr_nonnull(idle);
	svc_step(&run->svc, SVC_EV_START, 0);
	ck_assert(svc_is_busy(&run->svc));
	/* Stopped once exec'd: before, the child still runs this test's
	 * code (and check's signal handlers). */
	started(run);
	ck_assert(svc_is_running(&run->svc));
	remove_unit("run.service");
	remove_unit("idle.service");
	write_unit("new.service", SLEEPER);
	forgotten = NULL;
	ck_assert_int_eq(manager_load_all(&mgr), 0);
	ck_assert_ptr_eq(forgotten, idle);	/* whoever holds it lets go */
	ck_assert_ptr_eq(registry_lookup(&mgr.registry, "run.service"), run);
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "idle.service"));
	ck_assert_ptr_nonnull(registry_lookup(&mgr.registry, "new.service"));
	svc_step(&run->svc, SVC_EV_STOP, 0);
	reap(run);
	ck_assert(!svc_is_busy(&run->svc));
	ck_assert_int_eq(manager_load_all(&mgr), 0);
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "run.service"));
}
END_TEST

/* A read-only look at an instance not loaded: from its template, kept
 * nowhere. */
START_TEST(peek_keeps_nothing)
{
	const char *error = NULL;
	struct service *inst;
	size_t before;

	write_unit("tpl@.service", "[Unit]\nDescription=T %i\n"
		   "[Service]\nExecStart=/bin/sleep 1000\n");
	start_manager();
	before = manager_count(&mgr);
	inst = manager_peek(&mgr, "tpl@x", &error);
	ck_assert_ptr_nonnull(inst);
	ck_assert(inst->transient);
	ck_assert_int_eq(inst->load, SERVICE_LOADED);
	ck_assert_str_eq(inst->svc.unit->description, "T x");
	ck_assert(svc_is_inactive(&inst->svc));
	ck_assert(inst->enabled);	/* as it would be once loaded */
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "tpl@x.service"));
	manager_drop_transient(&mgr, inst);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_uint_eq(manager_count(&mgr), before);
	ck_assert_ptr_null(manager_peek(&mgr, "nope@x", &error));
	ck_assert_str_eq(error, "no such unit");
	/* A loaded one is itself, not a copy. */
	inst = manager_find(&mgr, "tpl@y", &error);
	ck_assert_ptr_eq(manager_peek(&mgr, "tpl@y", &error), inst);
	ck_assert(!inst->transient);
}
END_TEST


START_TEST(instance_freed_once_stopped_and_unused)
{
	const char *error = NULL;
	struct service *inst;
	size_t before;

	write_unit("tpl@.service", SLEEPER);
	start_manager();
	ev_run(loop, EVRUN_NOWAIT);
	before = manager_count(&mgr);
	/* Named by a verb that did nothing with it: gone at the reactions. */
	ck_assert_ptr_nonnull(manager_find(&mgr, "tpl@idle", &error));
	ck_assert_uint_eq(manager_count(&mgr), before + 1);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "tpl@idle.service"));
	ck_assert_uint_eq(manager_count(&mgr), before);

	inst = manager_find(&mgr, "tpl@a", &error);
	manager_start(&mgr, inst);
	ev_run(loop, EVRUN_NOWAIT);
	started(inst);
	ck_assert(svc_is_running(&inst->svc));
	/* Running, and with a request waiting on it: kept. */
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_ptr_eq(registry_lookup(&mgr.registry, "tpl@a.service"), inst);
	inst->n_waiting = 1;
	svc_step(&inst->svc, SVC_EV_STOP, 0);
	reap(inst);
	ck_assert(svc_is_inactive(&inst->svc));
	ck_assert_ptr_eq(registry_lookup(&mgr.registry, "tpl@a.service"), inst);
	/* The request is answered: freed, and whoever held it told. */
	inst->n_waiting = 0;
	service_look_unused(inst);
	forgotten = NULL;
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_ptr_eq(forgotten, inst);
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "tpl@a.service"));
	ck_assert_uint_eq(manager_count(&mgr), before);
}
END_TEST

START_TEST(instance_kept_while_named_or_failed)
{
	const char *error = NULL;
	struct service *held, *bad;

	write_unit("tpl@.service", SLEEPER);
	write_unit("bad@.service", "[Service]\nExecStart=/bin/false\n");
	write_unit("holder.service", "[Unit]\nWants=tpl@held.service\n" SLEEPER);
	start_manager();
	ev_run(loop, EVRUN_NOWAIT);
	held = registry_lookup(&mgr.registry, "tpl@held.service");
	ck_assert_ptr_nonnull(held);
	ck_assert(held->instance);
	/* Failed: kept until reset-failed, as systemd keeps it. */
	bad = manager_find(&mgr, "bad@1", &error);
	manager_start(&mgr, bad);
	ev_run(loop, EVRUN_NOWAIT);
	started(bad);
	reap(bad);
	ck_assert(svc_is_failed(&bad->svc));
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_ptr_eq(registry_lookup(&mgr.registry, "bad@1.service"), bad);
	svc_step(&bad->svc, SVC_EV_RESET_FAILED, 0);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "bad@1.service"));
	/* Named by a unit: kept; once the unit is gone, freed. */
	ck_assert_ptr_eq(registry_lookup(&mgr.registry, "tpl@held.service"), held);
	remove_unit("holder.service");
	ck_assert_int_eq(manager_load_all(&mgr), 0);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_ptr_null(registry_lookup(&mgr.registry, "tpl@held.service"));
}
END_TEST

/* An instance that owns what others gave it (a NAME.wants/ entry,
 * another unit's WantedBy=) is kept: those edges are made only when the
 * unit directories are read. */
START_TEST(instance_kept_while_it_owns_given_edges)
{
	char wants[200], link[260];
	struct service *a, *b;

	write_unit("foo@.service", SLEEPER);
	write_unit("x.service", SLEEPER);
	write_unit("y.service", "[Install]\nWantedBy=foo@b.service\n" SLEEPER);
	snprintf(wants, sizeof(wants), "%s/foo@a.service.wants", units);
	ck_assert_int_eq(mkdir(wants, 0755), 0);
	snprintf(link, sizeof(link), "%s/x.service", wants);
	ck_assert_int_eq(symlink("../x.service", link), 0);
	start_manager();
	ev_run(loop, EVRUN_NOWAIT);
	a = registry_lookup(&mgr.registry, "foo@a.service");
	b = registry_lookup(&mgr.registry, "foo@b.service");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert(a->node.given_edges && b->node.given_edges);
}
END_TEST

/* The point of deferred effects: svc_step only records; the daemon's
 * on_change (and jobs) run from the loop, after the step returned. */
START_TEST(reaction_never_runs_inside_a_step)
{
	struct service *t;

	start_manager();
	t = manager_target(&mgr, "x.target");
	ev_run(loop, EVRUN_NOWAIT);
	changes = 0;
	svc_step(&t->svc, SVC_EV_START, 0);
	ck_assert(svc_is_up(&t->svc));
	ck_assert_int_eq(changes, 0);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_int_ge(changes, 1);
	ck_assert_ptr_eq(last_changed, t);
}
END_TEST

START_TEST(jobs_run_from_the_loop)
{
	struct service *t;

	start_manager();
	t = manager_target(&mgr, "y.target");
	manager_start(&mgr, t);
	ck_assert(!svc_is_up(&t->svc));
	ck_assert(t->node.start_job);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert(svc_is_up(&t->svc));
	ck_assert(!t->node.start_job);
	ck_assert(manager_is_idle(&mgr));
}
END_TEST

/* An idle manager keeps no loop alive and leaves nothing to wake it:
 * the boot of nothing but targets ends the loop by itself. */
START_TEST(idle_manager_keeps_no_loop_alive)
{
	start_manager();
	manager_start_enabled(&mgr);
	ev_run(loop, 0);	/* returns: nothing active, nothing pending */
	ck_assert_uint_eq(ev_pending_count(loop), 0);
	ck_assert(svc_is_up(&registry_lookup(&mgr.registry, "default.target")->svc));
	ck_assert(manager_is_idle(&mgr));
}
END_TEST

static Suite *registry_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("registry");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, lookup_with_and_without_suffix);
	tcase_add_test(tc, alias_names_its_target);
	tcase_add_test(tc, instance_loaded_on_first_use);
	tcase_add_test(tc, target_made_on_first_mention);
	tcase_add_test(tc, target_file_loaded_and_made_up_again);
	tcase_add_test(tc, mounts_and_devices_made_up);
	tcase_add_test(tc, many_units_all_found_and_listed_sorted);
	tcase_add_test(tc, reload_keeps_running_and_drops_gone);
	tcase_add_test(tc, peek_keeps_nothing);
	tcase_add_test(tc, instance_freed_once_stopped_and_unused);
	tcase_add_test(tc, instance_kept_while_named_or_failed);
	tcase_add_test(tc, instance_kept_while_it_owns_given_edges);
	tcase_add_test(tc, reaction_never_runs_inside_a_step);
	tcase_add_test(tc, jobs_run_from_the_loop);
	tcase_add_test(tc, idle_manager_keeps_no_loop_alive);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(registry_suite());
}
