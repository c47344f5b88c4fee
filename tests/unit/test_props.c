/* props: every property of proto/vocab's table has a getter of its type,
 * in the table's order; list's rows carry the brief ones only. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_unit.h"
#include "props.h"
#include "vocab.h"

static struct proto_buf buf;
static struct proto_msg msg;

static const char *const cgroup_files[] = {
	"cgroup.procs", "pids.current", "memory.current", "memory.peak",
	"memory.max", "cpu.stat",
};

/* A fake cgroup directory: this test's own pid twice (a list of two),
 * and a figure in each file. */
static char *fake_cgroup(void)
{
	char *dir = strdup("/tmp/svd-test-props.XXXXXX");
	char path[300];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(cgroup_files) / sizeof(cgroup_files[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, cgroup_files[i]);
		ck_assert_ptr_nonnull(f = fopen(path, "w"));
		if (i == 0)
			fprintf(f, "%d\n%d\n", (int)getpid(), (int)getpid());
		else if (i == 5)
			fputs("usage_usec 1500\nuser_usec 1000\n", f);
		else
			fprintf(f, "%zu\n", i * 1000);
		fclose(f);
	}
	return dir;
}

static void remove_fake_cgroup(char *dir)
{
	char path[300];

	for (size_t i = 0; i < sizeof(cgroup_files) / sizeof(cgroup_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, cgroup_files[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

/* Two units at the end of each of its dependency edges. */
static char name_x[] = "x.service", name_y[] = "y.target";
static struct service other[2];
static struct jobs_node *two[2] = { &other[0].node, &other[1].node };
static struct jobs_node_edges edges;

static void give_edges(struct service *service)
{
	struct jobs_edges both = { .v = two, .n = 2, .cap = 2 };

	other[0].svc.name = name_x;
	other[1].svc.name = name_y;
	for (int k = 0; k < UNIT_DEP_COUNT; k++)
		edges.deps[k] = both;
	edges.after = edges.before = both;
	service->node.e = &edges;
}

/* A service that has a value for every property. */
static struct service *full_service(void)
{
	struct service *service = calloc(1, sizeof(*service));

	give_edges(service);

	service->svc.name = strdup("a.service");
	service->svc.unit = fake_unit(UNIT_TYPE_SIMPLE, UNIT_RESTART_NO, 2);
	service->load_error = strdup("a.service:2: Type=x: invalid value");
	service->path = strdup("/etc/svd/units/a.service");
	service->svc.main_pid = 42;
	service->svc.has_exited = true;
	service->svc.last_wstatus = 3 << 8;	/* exited with status 3 */
	service->svc.exec_errno = ENOENT;
	service->svc.state_since_wall = 1765000000.25;
	service->cgroup = (struct cgroup_unit)CGROUP_UNIT_INIT;
	service->cgroup.path = fake_cgroup();
	service->cgroup_warning = strdup("resource limits unavailable");
	service->svc.unit->dropin_paths = calloc(3, sizeof(char *));
	service->svc.unit->dropin_paths[0] = strdup("/etc/svd/units/a.service.d/1.conf");
	service->svc.unit->dropin_paths[1] = strdup("/etc/svd/units/a.service.d/2.conf");
	return service;
}

static void free_service(struct service *service)
{
	unit_free(service->svc.unit);
	remove_fake_cgroup(service->cgroup.path);
	free(service->cgroup_warning);
	free(service->svc.name);
	free(service->load_error);
	free(service->path);
	free(service);
}

static void put_and_decode(const struct service *service, bool full)
{
	const char *error = NULL;

	proto_begin(&buf, NULL);
	props_put(&buf, service, full);
	ck_assert_int_eq(proto_decode(buf.data, buf.len, false, &msg, &error), 0);
}

/* What only a socket unit has (socket_properties below). */
static bool socket_only(size_t id)
{
	return id >= VOCAB_PROP_LISTEN && id <= VOCAB_PROP_TRIGGER_STALLED;
}

static bool is_decimal(const char *text, bool sign)
{
	if (sign && *text == '-')
		text++;
	return *text && strspn(text, "0123456789") == strlen(text);
}

START_TEST(every_property_in_order_with_its_type)
{
	struct service *service = full_service();
	size_t field = 0;

	put_and_decode(service, true);
	for (size_t id = 0; id < VOCAB_PROP_COUNT; id++) {
		const struct vocab_prop *prop = &vocab_props[id];
		size_t n = prop->type == VOCAB_STRINGS ? 2 : 1;

		if (socket_only(id))
			continue;

		for (size_t i = 0; i < n; i++, field++) {
			const char *value;

			ck_assert_msg(field < msg.n_fields, "%s missing", prop->name);
			ck_assert_str_eq(msg.fields[field].key, prop->name);
			value = msg.fields[field].value;
			if (prop->type == VOCAB_INT)
				ck_assert_msg(is_decimal(value, true), "%s=%s",
					      prop->name, value);
			if (prop->type == VOCAB_UINT || prop->type == VOCAB_USEC)
				ck_assert_msg(is_decimal(value, false), "%s=%s",
					      prop->name, value);
		}
	}
	ck_assert_uint_eq(msg.n_fields, field);
	ck_assert_str_eq(proto_get(&msg, "MainPID"), "42");
	ck_assert_str_eq(proto_get(&msg, "ExecMainCode"), "exited");
	ck_assert_str_eq(proto_get(&msg, "ExecMainStatus"), "3");
	ck_assert_str_eq(proto_get(&msg, "StateChangeTimestampUSec"),
			 "1765000000250000");
	ck_assert_str_eq(proto_get(&msg, "TasksCurrent"), "1000");
	ck_assert_str_eq(proto_get(&msg, "MemoryCurrent"), "2000");
	ck_assert_str_eq(proto_get(&msg, "MemoryPeak"), "3000");
	ck_assert_str_eq(proto_get(&msg, "MemoryMax"), "4000");
	ck_assert_str_eq(proto_get(&msg, "CPUUsageNSec"), "1500000");
	ck_assert_msg(strstr(proto_get(&msg, "CGroupProcess"), "test_props"),
		      "%s", proto_get(&msg, "CGroupProcess"));
	ck_assert_str_eq(proto_get(&msg, "Wants"), "x.service");
	ck_assert_str_eq(proto_get(&msg, "After"), "x.service");
	free_service(service);
}
END_TEST

START_TEST(list_rows_are_brief)
{
	struct service *service = full_service();
	size_t n_brief = 0;

	put_and_decode(service, false);
	for (size_t id = 0; id < VOCAB_PROP_COUNT; id++)
		if (vocab_props[id].brief) {
			ck_assert_str_eq(msg.fields[n_brief].key,
					 vocab_props[id].name);
			n_brief++;
		}
	ck_assert_uint_eq(msg.n_fields, n_brief);
	ck_assert_uint_eq(n_brief, 6);
	free_service(service);
}
END_TEST

/* Without a unit (it failed to load) and before any exit, what depends
 * on them is left out, as before. */
START_TEST(absent_values_are_left_out)
{
	struct service *service = full_service();

	unit_free(service->svc.unit);
	service->svc.unit = NULL;
	service->svc.has_exited = false;
	service->svc.exec_errno = 0;
	put_and_decode(service, true);
	ck_assert_ptr_null(proto_get(&msg, "ExecStart"));
	ck_assert_ptr_null(proto_get(&msg, "Type"));
	ck_assert_ptr_null(proto_get(&msg, "ExecMainCode"));
	ck_assert_ptr_null(proto_get(&msg, "ExecError"));
	ck_assert_str_eq(proto_get(&msg, "Description"), "");
	ck_assert_str_eq(proto_get(&msg, "StatusErrno"), "0");
	free_service(service);
}
END_TEST

/* A socket unit: where it listens, in order, what it starts, and its
 * counts (zero while closed); nothing about a stall that did not come. */
START_TEST(socket_properties)
{
	struct service *service = full_service();
	struct unit *unit = service->svc.unit;
	const char *error;
	size_t n_listen = 0;

	free(service->svc.name);
	service->svc.name = strdup("ssh.socket");
	free(unit->name);	/* a loaded unit is named as its service */
	unit->name = strdup("ssh.socket");
	unit->kind = UNIT_KIND_SOCKET;
	unit->socket = unit_socket_new();
	unit->socket->accept = true;
	unit->socket->listen = calloc(2, sizeof(*unit->socket->listen));
	unit->socket->listen[0].type = UNIT_LISTEN_STREAM;
	unit->socket->listen[0].text = strdup("22");
	ck_assert_int_eq(listen_addr_parse("22", &unit->socket->listen[0].addr,
					   &error), 0);
	unit->socket->listen[1].type = UNIT_LISTEN_FIFO;
	unit->socket->listen[1].text = strdup("/run/x.fifo");
	unit->socket->n_listen = 2;
	put_and_decode(service, true);
	for (size_t i = 0; i < msg.n_fields; i++)
		if (strcmp(msg.fields[i].key, "Listen") == 0)
			ck_assert_str_eq(msg.fields[i].value, n_listen++ == 0 ?
					 "Stream 22" : "FIFO /run/x.fifo");
	ck_assert_uint_eq(n_listen, 2);
	ck_assert_str_eq(proto_get(&msg, "Triggers"), "ssh@.service");
	ck_assert_str_eq(proto_get(&msg, "NAccepted"), "0");
	ck_assert_str_eq(proto_get(&msg, "NConnections"), "0");
	ck_assert_str_eq(proto_get(&msg, "NRefused"), "0");
	ck_assert_ptr_null(proto_get(&msg, "TriggerStalled"));
	unit->socket->accept = false;
	put_and_decode(service, true);
	ck_assert_str_eq(proto_get(&msg, "Triggers"), "ssh.service");
	ck_assert_ptr_null(proto_get(&msg, "NAccepted"));
	free_service(service);
}
END_TEST

/* The timestamp reads as it did when it was printed with "%.0f". */
START_TEST(timestamp_rounds_as_before)
{
	struct service *service = full_service();

	for (int k = 0; k < 2000; k++) {
		double sec = 1765000000.0 + k * 0.00000025 + k * 0.37;
		char expected[64];

		service->svc.state_since_wall = sec;
		snprintf(expected, sizeof(expected), "%.0f", sec * 1e6);
		put_and_decode(service, true);
		ck_assert_str_eq(proto_get(&msg, "StateChangeTimestampUSec"),
				 expected);
	}
	free_service(service);
}
END_TEST

static Suite *props_suite(void)
{
	Suite *s = suite_create("props");
	TCase *tc = tcase_create("props");

	tcase_add_test(tc, every_property_in_order_with_its_type);
	tcase_add_test(tc, list_rows_are_brief);
	tcase_add_test(tc, absent_values_are_left_out);
	tcase_add_test(tc, timestamp_rounds_as_before);
	tcase_add_test(tc, socket_properties);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(props_suite());
}
