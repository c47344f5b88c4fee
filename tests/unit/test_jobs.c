/* jobs: ordering, requirements, conflicts, stop propagation and cycles,
 * against fake units that only change state (no processes), and the
 * proof that a chain of 10,000 units costs linear work. */
#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "jobs.h"
#include "strv.h"

#define MAX_FAKES 10100
#define CHAIN_UNITS 10000
/* Visits per unit allowed for a start or a stop of the whole chain. */
#define CHAIN_VISITS_PER_UNIT 8

struct fake {
	struct jobs_node node;	/* first: a node is its fake */
	char name[32];
	struct unit *unit;
	enum jobs_state state;
	bool masked;
	bool slow;		/* a start stays in JOBS_STARTING */
	char *failed_why;
	const char *failure;	/* what op_failure says of it */
};

/* A state change, as the manager queues them for its reactions. */
struct change {
	struct fake *fake;
	enum jobs_state old_state;
};

static struct jobs jobs;
static struct fake *fakes[MAX_FAKES];
static size_t n_fakes;
static struct change *changes;
static size_t n_changes;
static char history[4096];	/* "+a +b -a": starts and stops, in order */

static struct fake *fake_of(struct jobs_node *node)
{
	return (struct fake *)node;
}

static const struct fake *cfake(const struct jobs_node *node)
{
	return (const struct fake *)node;
}

static void set_state(struct fake *f, enum jobs_state state)
{
	if (f->state == state)
		return;
	changes[n_changes++] = (struct change){ f, f->state };
	f->state = state;
}

static void note(char sign, const struct fake *f)
{
	size_t len = strlen(history);

	if (len + strlen(f->name) + 3 < sizeof(history))
		snprintf(history + len, sizeof(history) - len, "%s%c%s",
			 len ? " " : "", sign, f->name);
}

static const char *op_name(const struct jobs_node *node)
{
	return cfake(node)->name;
}

static const struct unit *op_unit(const struct jobs_node *node)
{
	return cfake(node)->unit;
}

static const char *op_file(const struct jobs_node *node)
{
	return "fake";
}

static enum jobs_state op_state(const struct jobs_node *node)
{
	return cfake(node)->state;
}

static bool op_enabled(const struct jobs_node *node)
{
	return true;
}

static const char *op_refusal(const struct jobs_node *node, char *buf,
			      size_t size)
{
	return cfake(node)->masked ? "unit is masked" : NULL;
}

static void op_start(struct jobs_node *node)
{
	struct fake *f = fake_of(node);

	if (f->state == JOBS_UP || f->state == JOBS_STARTING)
		return;
	note('+', f);
	set_state(f, f->slow ? JOBS_STARTING : JOBS_UP);
}

static void op_stop(struct jobs_node *node)
{
	struct fake *f = fake_of(node);

	if (f->state == JOBS_DOWN || f->state == JOBS_FAILED)
		return;
	note('-', f);
	set_state(f, JOBS_DOWN);
}

static void op_fail(struct jobs_node *node, const char *why)
{
	struct fake *f = fake_of(node);

	ck_assert_int_ne(f->state, JOBS_STOPPING);
	free(f->failed_why);
	f->failed_why = strdup(why);
	set_state(f, JOBS_FAILED);
}

static const char *op_failure(const struct jobs_node *node)
{
	return cfake(node)->failure;
}

/* As if the fstab had /srv and /srv/data. */
static char **op_mounts_for(void *ctx, const char *path)
{
	char **names = calloc(1, sizeof(*names));

	ck_assert_ptr_nonnull(names);
	if (strncmp(path, "/srv", 4) == 0)
		ck_assert_int_eq(strv_push(&names, "srv.mount"), 0);
	if (strncmp(path, "/srv/data", 9) == 0)
		ck_assert_int_eq(strv_push(&names, "srv-data.mount"), 0);
	return names;
}

static struct fake *lookup(const char *name)
{
	unsigned n;
	char rest[8];

	/* The chain's "uN.service" in constant time. */
	if (sscanf(name, "u%u.servic%1s", &n, rest) == 2 && n < n_fakes &&
	    strcmp(fakes[n]->name, name) == 0)
		return fakes[n];
	for (size_t i = 0; i < n_fakes; i++)
		if (strcmp(fakes[i]->name, name) == 0)
			return fakes[i];
	return NULL;
}

static struct fake *add(const char *name);

static struct jobs_node *op_find(void *ctx, const char *name, const char **why)
{
	struct fake *f = lookup(name);
	size_t len = strlen(name);

	/* Targets exist once named, as the registry makes them (mounts
	 * too: the registry makes them up alike). */
	if (!f && len > 7 && strcmp(name + len - 7, ".target") == 0) {
		f = add(name);
		f->node.is_target = true;
	}
	if (!f && len > 6 && strcmp(name + len - 6, ".mount") == 0)
		f = add(name);
	if (!f)
		*why = "no such unit";
	return f ? &f->node : NULL;
}

static const struct jobs_ops ops = {
	.name = op_name, .unit = op_unit, .file = op_file, .state = op_state,
	.enabled = op_enabled, .refusal = op_refusal, .start = op_start,
	.stop = op_stop, .fail = op_fail, .find = op_find,
	.failure = op_failure, .mounts_for = op_mounts_for,
};

static struct fake *add(const char *name)
{
	struct fake *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_lt(n_fakes, MAX_FAKES);
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->unit = unit_new();
	f->unit->name = strdup(name);
	fakes[n_fakes++] = f;
	jobs_node_add(&jobs, &f->node);
	return f;
}

/* dep(x, UNIT_DEP_REQUIRES, "y.service"): x's unit says Requires=y. */
static void dep(struct fake *f, enum unit_dep kind, const char *name)
{
	ck_assert_int_eq(strv_push(&f->unit->deps[kind], name), 0);
}

static void setup(void)
{
	jobs_init(&jobs, &ops, NULL);
	changes = calloc(4 * MAX_FAKES, sizeof(*changes));
	n_fakes = n_changes = 0;
	history[0] = '\0';
}

static void teardown(void)
{
	jobs_free(&jobs);
	for (size_t i = 0; i < n_fakes; i++) {
		unit_free(fakes[i]->unit);
		free(fakes[i]->failed_why);
		free(fakes[i]);
	}
	free(changes);
}

/* The manager's reactions: jobs, then each change, until all is quiet. */
static void settle(void)
{
	size_t next = 0;

	jobs_run(&jobs);
	while (next < n_changes) {
		struct change c = changes[next++];

		jobs_changed(&jobs, &c.fake->node, c.old_state, c.fake->state);
		jobs_run(&jobs);
	}
	n_changes = 0;
}

static void resolve(void)
{
	jobs_resolve(&jobs, NULL);
}

START_TEST(after_orders_starts_and_reverses_stops)
{
	struct fake *a = add("a.service"), *b = add("b.service");
	struct fake *c = add("c.service");

	dep(b, UNIT_DEP_REQUIRES, "a.service");
	dep(b, UNIT_DEP_AFTER, "a.service");
	dep(c, UNIT_DEP_WANTS, "b.service");
	/* c Before= nothing, but b is Before= c through c's After=. */
	dep(b, UNIT_DEP_BEFORE, "c.service");
	a->slow = true;
	resolve();
	jobs_start(&jobs, &c->node);
	settle();
	ck_assert_str_eq(history, "+a.service");
	ck_assert(b->node.start_job && c->node.start_job);
	set_state(a, JOBS_UP);	/* a says it is ready */
	settle();
	ck_assert_str_eq(history, "+a.service +b.service +c.service");
	ck_assert_uint_eq(jobs.n_jobs, 0);
	history[0] = '\0';
	jobs_stop(&jobs, &a->node);	/* b requires a; c only wants b */
	settle();
	ck_assert_str_eq(history, "-b.service -a.service");
	ck_assert_int_eq(c->state, JOBS_UP);
}
END_TEST

START_TEST(requires_and_wants_pull_in)
{
	struct fake *x = add("x.service"), *y = add("y.service");
	struct fake *z = add("z.service"), *w = add("w.service");

	dep(x, UNIT_DEP_REQUIRES, "y.service");
	dep(x, UNIT_DEP_WANTS, "z.service");
	dep(x, UNIT_DEP_BINDS_TO, "w.service");
	resolve();
	jobs_start(&jobs, &x->node);
	settle();
	ck_assert_int_eq(x->state, JOBS_UP);
	ck_assert_int_eq(y->state, JOBS_UP);
	ck_assert_int_eq(z->state, JOBS_UP);
	ck_assert_int_eq(w->state, JOBS_UP);
}
END_TEST

START_TEST(failed_requirement_fails_the_dependent)
{
	struct fake *app = add("app.service"), *db = add("db.service");
	struct fake *opt = add("opt.service"), *nice = add("nice.service");

	dep(app, UNIT_DEP_REQUIRES, "db.service");
	dep(app, UNIT_DEP_AFTER, "db.service");
	dep(nice, UNIT_DEP_WANTS, "opt.service");
	dep(nice, UNIT_DEP_AFTER, "opt.service");
	db->slow = opt->slow = true;
	resolve();
	jobs_start(&jobs, &app->node);
	jobs_start(&jobs, &nice->node);
	settle();
	set_state(db, JOBS_FAILED);
	set_state(opt, JOBS_FAILED);
	settle();
	ck_assert_int_eq(app->state, JOBS_FAILED);
	ck_assert_str_eq(app->failed_why, "dependency failed: db.service");
	/* A wish that failed is no requirement. */
	ck_assert_int_eq(nice->state, JOBS_UP);
	ck_assert_uint_eq(jobs.n_jobs, 0);
}
END_TEST

START_TEST(masked_or_missing_requirement)
{
	struct fake *a = add("a.service"), *m = add("m.service");
	struct fake *b = add("b.service");
	char buf[128];

	m->masked = true;
	dep(a, UNIT_DEP_REQUIRES, "m.service");
	dep(b, UNIT_DEP_REQUIRES, "gone.timer");
	resolve();
	ck_assert_str_eq(jobs_refusal(&jobs, &b->node, buf, sizeof(buf)),
			 "Requires=gone.timer: svd has no .timer units "
			 "(it runs services and sockets, and provides "
			 "targets, mounts and devices)");
	jobs_start(&jobs, &a->node);
	settle();
	ck_assert_int_eq(a->state, JOBS_FAILED);
	ck_assert_str_eq(a->failed_why,
			 "dependency failed: m.service (unit is masked)");
}
END_TEST

START_TEST(requisite_must_be_up_already)
{
	struct fake *x = add("x.service"), *y = add("y.service");

	dep(x, UNIT_DEP_REQUISITE, "y.service");
	resolve();
	jobs_start(&jobs, &x->node);
	settle();
	ck_assert_int_eq(x->state, JOBS_FAILED);
	ck_assert_str_eq(x->failed_why, "Requisite=y.service is not active");
	ck_assert_int_eq(y->state, JOBS_DOWN);	/* not pulled in */
	jobs_start(&jobs, &y->node);
	settle();
	jobs_start(&jobs, &x->node);
	settle();
	ck_assert_int_eq(x->state, JOBS_UP);
}
END_TEST

/* A start refused while the unit still stops (svctl stop of its
 * Requisite= took it down with it) fails once it is down, not never. */
START_TEST(refused_start_of_a_stopping_unit_fails_once_down)
{
	struct fake *x = add("x.service");

	add("y.service");
	dep(x, UNIT_DEP_REQUISITE, "y.service");
	resolve();
	x->state = JOBS_STOPPING;
	jobs_start(&jobs, &x->node);
	settle();
	ck_assert_ptr_null(x->failed_why);
	ck_assert(x->node.start_job);
	set_state(x, JOBS_DOWN);
	settle();
	ck_assert_int_eq(x->state, JOBS_FAILED);
	ck_assert_str_eq(x->failed_why, "Requisite=y.service is not active");
	ck_assert_uint_eq(jobs.n_jobs, 0);
}
END_TEST

/* svctl restart: the start job of a unit still stopping waits for the
 * stop to end (the state machine does not hold a start for it). */
START_TEST(start_waits_for_the_units_own_stop)
{
	struct fake *x = add("x.service");

	resolve();
	x->state = JOBS_STOPPING;
	jobs_start(&jobs, &x->node);
	settle();
	ck_assert_str_eq(history, "");
	ck_assert(x->node.start_job);
	set_state(x, JOBS_DOWN);
	settle();
	ck_assert_str_eq(history, "+x.service");
	ck_assert_int_eq(x->state, JOBS_UP);
	ck_assert_uint_eq(jobs.n_jobs, 0);
}
END_TEST

START_TEST(conflicts_work_both_ways)
{
	struct fake *a = add("a.service"), *b = add("b.service");

	dep(a, UNIT_DEP_CONFLICTS, "b.service");
	resolve();
	jobs_start(&jobs, &b->node);
	settle();
	jobs_start(&jobs, &a->node);
	settle();
	ck_assert_int_eq(a->state, JOBS_UP);
	ck_assert_int_eq(b->state, JOBS_DOWN);
	/* b names no conflict: a's Conflicts= stops a all the same. */
	jobs_start(&jobs, &b->node);
	settle();
	ck_assert_int_eq(b->state, JOBS_UP);
	ck_assert_int_eq(a->state, JOBS_DOWN);
}
END_TEST

START_TEST(stop_takes_along_what_goes_with_it)
{
	struct fake *host = add("host.service"), *req = add("req.service");
	struct fake *bound = add("bound.service"), *part = add("part.service");
	struct fake *fan = add("fan.service");

	dep(req, UNIT_DEP_REQUIRES, "host.service");
	dep(bound, UNIT_DEP_BINDS_TO, "host.service");
	dep(part, UNIT_DEP_PART_OF, "host.service");
	dep(fan, UNIT_DEP_WANTS, "host.service");
	resolve();
	for (size_t i = 0; i < n_fakes; i++)
		jobs_start(&jobs, &fakes[i]->node);
	settle();
	jobs_stop(&jobs, &host->node);
	settle();
	ck_assert_int_eq(host->state, JOBS_DOWN);
	ck_assert_int_eq(req->state, JOBS_DOWN);
	ck_assert_int_eq(bound->state, JOBS_DOWN);
	ck_assert_int_eq(part->state, JOBS_DOWN);
	ck_assert_int_eq(fan->state, JOBS_UP);
}
END_TEST

START_TEST(bindsto_stops_when_the_bound_unit_goes_down)
{
	struct fake *host = add("host.service"), *bound = add("bound.service");
	struct fake *req = add("req.service"), *part = add("part.service");

	dep(bound, UNIT_DEP_BINDS_TO, "host.service");
	dep(req, UNIT_DEP_REQUIRES, "host.service");
	dep(part, UNIT_DEP_PART_OF, "host.service");
	resolve();
	jobs_start(&jobs, &bound->node);
	jobs_start(&jobs, &req->node);
	jobs_start(&jobs, &part->node);
	settle();
	set_state(host, JOBS_FAILED);	/* died by itself */
	settle();
	ck_assert_int_eq(bound->state, JOBS_DOWN);
	/* Requires= and PartOf= follow a stop request only. */
	ck_assert_int_eq(req->state, JOBS_UP);
	ck_assert_int_eq(part->state, JOBS_UP);
}
END_TEST

START_TEST(cycle_of_wishes_is_broken)
{
	struct fake *a = add("a.service"), *b = add("b.service");

	dep(a, UNIT_DEP_AFTER, "b.service");
	dep(b, UNIT_DEP_AFTER, "a.service");
	dep(a, UNIT_DEP_WANTS, "b.service");
	resolve();
	ck_assert_uint_eq(a->node.e->after.n + b->node.e->after.n, 1);
	jobs_start(&jobs, &a->node);
	settle();
	ck_assert_int_eq(a->state, JOBS_UP);
	ck_assert_int_eq(b->state, JOBS_UP);
}
END_TEST

START_TEST(cycle_of_requirements_is_refused)
{
	struct fake *a = add("a.service"), *b = add("b.service");
	char buf[256];
	const char *why;

	dep(a, UNIT_DEP_REQUIRES, "b.service");
	dep(a, UNIT_DEP_AFTER, "b.service");
	dep(b, UNIT_DEP_REQUIRES, "a.service");
	dep(b, UNIT_DEP_AFTER, "a.service");
	resolve();
	why = jobs_refusal(&jobs, &a->node, buf, sizeof(buf));
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_nonnull(strstr(why, "in an ordering cycle of requirements: "));
	ck_assert_ptr_nonnull(jobs_refusal(&jobs, &b->node, buf, sizeof(buf)));
	jobs_start(&jobs, &a->node);
	settle();
	ck_assert_int_eq(a->state, JOBS_FAILED);
	ck_assert_ptr_nonnull(strstr(a->failed_why, "ordering cycle"));
	ck_assert_int_eq(b->state, JOBS_DOWN);	/* refused: not pulled in */
}
END_TEST

START_TEST(targets_are_made_and_reached_after_what_they_pull_in)
{
	struct fake *s = add("s.service");

	s->unit->wanted_by = calloc(2, sizeof(char *));
	s->unit->wanted_by[0] = strdup("multi-user.target");
	s->slow = true;
	resolve();
	ck_assert_ptr_nonnull(lookup("default.target"));
	jobs_start(&jobs, &lookup("default.target")->node);
	settle();
	ck_assert_str_eq(history, "+s.service");
	set_state(s, JOBS_UP);
	settle();
	ck_assert_str_eq(history, "+s.service +multi-user.target +default.target");
}
END_TEST

/* A target read from a file: its own Wants= and After= count, and it is
 * reached once what it pulls in is settled. */
START_TEST(target_file_pulls_in_and_is_reached_after)
{
	struct fake *t = add("app.target"), *a = add("a.service");
	struct fake *b = add("b.service"), *c = add("c.service");

	t->node.is_target = true;
	t->unit->path = strdup("/units/app.target");
	dep(t, UNIT_DEP_WANTS, "a.service");
	dep(t, UNIT_DEP_REQUIRES, "b.service");
	dep(t, UNIT_DEP_AFTER, "c.service");
	a->slow = b->slow = true;
	resolve();
	jobs_start(&jobs, &t->node);
	settle();
	ck_assert_str_eq(history, "+a.service +b.service");
	set_state(a, JOBS_UP);
	settle();
	ck_assert_int_eq(t->state, JOBS_DOWN);	/* b still starting */
	set_state(b, JOBS_UP);
	settle();
	ck_assert_str_eq(history, "+a.service +b.service +app.target");
	ck_assert_int_eq(c->state, JOBS_DOWN);	/* only ordered after */
}
END_TEST

/* default.target wants multi-user.target only when svd made it up: a
 * file of that name says itself what it pulls in. */
START_TEST(default_target_file_decides)
{
	struct fake *d = add("default.target");

	add("s.service");
	d->node.is_target = true;
	d->unit->path = strdup("/units/default.target");
	dep(d, UNIT_DEP_WANTS, "s.service");
	resolve();
	jobs_start(&jobs, &d->node);
	settle();
	ck_assert_str_eq(history, "+s.service +default.target");
	ck_assert_int_eq(lookup("multi-user.target")->state, JOBS_DOWN);
}
END_TEST

/* RequiresMountsFor= is Requires= and After= on the mounts above the
 * path; a failed one names its cause in the dependent's failure. */
START_TEST(requires_mounts_for_and_failure_cause)
{
	struct fake *a = add("a.service"), *srv, *data;

	a->unit->requires_mounts_for = calloc(2, sizeof(char *));
	a->unit->requires_mounts_for[0] = strdup("/srv/data/db");
	resolve();
	srv = lookup("srv.mount");
	data = lookup("srv-data.mount");
	ck_assert_ptr_nonnull(srv);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(a->node.e->deps[UNIT_DEP_REQUIRES].n, 2);
	ck_assert_uint_eq(a->node.e->after.n, 2);
	srv->slow = data->slow = true;
	jobs_start(&jobs, &a->node);
	settle();
	ck_assert_int_eq(srv->state, JOBS_STARTING);
	ck_assert_int_eq(data->state, JOBS_STARTING);
	ck_assert_int_eq(a->state, JOBS_DOWN);
	set_state(srv, JOBS_UP);
	data->failure = "/srv/data is not a mount point";
	set_state(data, JOBS_FAILED);
	settle();
	ck_assert_int_eq(a->state, JOBS_FAILED);
	ck_assert_str_eq(a->failed_why, "dependency failed: srv-data.mount "
			 "(/srv/data is not a mount point)");
}
END_TEST

START_TEST(removed_node_leaves_no_edge_behind)
{
	struct fake *a = add("a.service"), *b = add("b.service");

	dep(b, UNIT_DEP_REQUIRES, "a.service");
	dep(b, UNIT_DEP_AFTER, "a.service");
	resolve();
	jobs_node_remove(&jobs, &a->node);
	ck_assert_uint_eq(b->node.e->deps[UNIT_DEP_REQUIRES].n, 0);
	ck_assert_uint_eq(b->node.e->after.n, 0);
	jobs_node_add(&jobs, &a->node);	/* for teardown's jobs_free */
}
END_TEST

/* Each unit Requires= and After= the one before: starting the last
 * starts all, in order; stopping the first stops all, in reverse. The
 * visits stay a small multiple of the units: nothing is quadratic. */
START_TEST(chain_of_10000_is_linear)
{
	char name[32];
	unsigned long long visits;

	for (unsigned i = 0; i < CHAIN_UNITS; i++) {
		struct fake *f;

		snprintf(name, sizeof(name), "u%u.service", i);
		f = add(name);
		if (i == 0)
			continue;
		snprintf(name, sizeof(name), "u%u.service", i - 1);
		dep(f, UNIT_DEP_REQUIRES, name);
		dep(f, UNIT_DEP_AFTER, name);
	}
	resolve();
	jobs.visits = 0;
	jobs_start(&jobs, &fakes[CHAIN_UNITS - 1]->node);
	settle();
	visits = jobs.visits;
	printf("chain of %d: start %llu visits", CHAIN_UNITS, visits);
	for (size_t i = 0; i < CHAIN_UNITS; i++)
		ck_assert_int_eq(fakes[i]->state, JOBS_UP);
	ck_assert_uint_le(visits, CHAIN_VISITS_PER_UNIT * CHAIN_UNITS);
	ck_assert(strncmp(history, "+u0.service +u1.service +u2.service", 35) == 0);

	jobs.visits = 0;
	jobs_stop(&jobs, &fakes[0]->node);
	settle();
	visits = jobs.visits;
	printf(", stop %llu visits\n", visits);
	for (size_t i = 0; i < CHAIN_UNITS; i++)
		ck_assert_int_eq(fakes[i]->state, JOBS_DOWN);
	ck_assert_uint_le(visits, CHAIN_VISITS_PER_UNIT * CHAIN_UNITS);
	ck_assert_uint_eq(jobs.n_jobs, 0);
}
END_TEST

static Suite *jobs_suite(void)
{
	Suite *s = suite_create("jobs");
	TCase *tc = tcase_create("jobs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, after_orders_starts_and_reverses_stops);
	tcase_add_test(tc, requires_and_wants_pull_in);
	tcase_add_test(tc, failed_requirement_fails_the_dependent);
	tcase_add_test(tc, masked_or_missing_requirement);
	tcase_add_test(tc, requisite_must_be_up_already);
	tcase_add_test(tc, refused_start_of_a_stopping_unit_fails_once_down);
	tcase_add_test(tc, start_waits_for_the_units_own_stop);
	tcase_add_test(tc, conflicts_work_both_ways);
	tcase_add_test(tc, stop_takes_along_what_goes_with_it);
	tcase_add_test(tc, bindsto_stops_when_the_bound_unit_goes_down);
	tcase_add_test(tc, cycle_of_wishes_is_broken);
	tcase_add_test(tc, cycle_of_requirements_is_refused);
	tcase_add_test(tc, targets_are_made_and_reached_after_what_they_pull_in);
	tcase_add_test(tc, target_file_pulls_in_and_is_reached_after);
	tcase_add_test(tc, default_target_file_decides);
	tcase_add_test(tc, requires_mounts_for_and_failure_cause);
	tcase_add_test(tc, removed_node_leaves_no_edge_behind);
	tcase_add_test(tc, chain_of_10000_is_linear);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(jobs_suite());
}
