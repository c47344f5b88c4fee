/* control: the socket's mechanics and the handler's per-client state,
 * driven over the real control socket in a temporary directory with a
 * real ev loop, against a fake handler. The clients are plain
 * SOCK_SEQPACKET sockets in this same thread: each wait runs the loop
 * until the event is seen, with a deadline. */
#include <check.h>

#include "check_main.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "log.h"

/* Loop turns a wait may take; each turn waits at most 1 ms. */
#define TURNS_MAX 3000

/* What the fake handler saw. "hold" requests are left unanswered until
 * the test answers them; every other request gets status=ok. */
struct fake {
	struct ev_loop *loop;
	struct control ctl;
	char dir[64];
	char path[128];
	int n_requests;
	int n_gone;
	int n_states, n_states_freed;	/* handler_data made, freed */
	struct ctl_client *held;
};

static struct fake fake;

static void on_request(void *ctx, struct ctl_client *client,
		       const struct proto_msg *request)
{
	struct fake *f = ctx;

	f->n_requests++;
	if (!client->handler_data) {
		client->handler_data = malloc(32);
		f->n_states++;
	}
	if (strcmp(request->verb, "hold") == 0) {
		f->held = client;
		return;
	}
	control_ok(client);
}

static void on_gone(void *ctx, struct ctl_client *client)
{
	struct fake *f = ctx;

	f->n_gone++;
	if (f->held == client)
		f->held = NULL;
	if (client->handler_data) {
		free(client->handler_data);
		client->handler_data = NULL;
		f->n_states_freed++;
	}
}

static void setup(void)
{
	fake = (struct fake){ .loop = ev_loop_new(EVFLAG_AUTO) };
	log_set_level(LOG_LEVEL_ERROR);
	strcpy(fake.dir, "/tmp/svd-test-control.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fake.dir));
	snprintf(fake.path, sizeof(fake.path), "%s/control.sock", fake.dir);
	ck_assert_int_eq(control_open(&fake.ctl, fake.loop, fake.path,
				      on_request, on_gone, &fake), 0);
}

static void teardown(void)
{
	control_close(&fake.ctl);
	ev_loop_destroy(fake.loop);
	rmdir(fake.dir);
}

/* One loop turn, then up to 1 ms for fd (or nothing) to be readable. */
static bool turn(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	ev_run(fake.loop, EVRUN_NOWAIT);
	return poll(&p, fd >= 0 ? 1 : 0, 1) > 0;
}

static bool wait_readable(int fd)
{
	for (int i = 0; i < TURNS_MAX; i++)
		if (turn(fd))
			return true;
	return false;
}

/* Runs the loop until *counter reaches value. */
static bool wait_count(const int *counter, int value)
{
	for (int i = 0; i < TURNS_MAX && *counter < value; i++)
		turn(-1);
	return *counter >= value;
}

static bool wait_clients(unsigned n)
{
	for (int i = 0; i < TURNS_MAX && fake.ctl.n_clients != n; i++)
		turn(-1);
	return fake.ctl.n_clients == n;
}

static int connect_client(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	strcpy(addr.sun_path, fake.path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	return fd;
}

static void send_text(int fd, const char *text)
{
	ck_assert_int_eq(send(fd, text, strlen(text), 0), (ssize_t)strlen(text));
}

/* Waits for one reply message and returns the value of key in it. */
static const char *reply_get(int fd, const char *key)
{
	static char buf[PROTO_MSG_MAX_BYTES + 1];
	static struct proto_msg msg;
	const char *error = NULL;
	ssize_t n;

	ck_assert_msg(wait_readable(fd), "no reply");
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(proto_decode(buf, (size_t)n, false, &msg, &error), 0);
	return proto_get(&msg, key);
}

/* The server closed: the client reads end of file. */
static bool wait_closed(int fd)
{
	char buf[256];

	for (int i = 0; i < TURNS_MAX; i++) {
		if (turn(fd)) {
			ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

			if (n == 0 || (n < 0 && errno == ECONNRESET))
				return true;
		}
	}
	return false;
}

START_TEST(request_is_handled)
{
	int fd = connect_client();

	send_text(fd, "ping\n");
	ck_assert_str_eq(reply_get(fd, "status"), "ok");
	ck_assert_int_eq(fake.n_requests, 1);
	ck_assert_int_eq(fake.n_gone, 0);
	close(fd);
}
END_TEST

/* One request at a time: the second is read once the first is done. */
START_TEST(second_request_waits_until_done)
{
	int fd = connect_client();

	send_text(fd, "hold\n");
	ck_assert(wait_count(&fake.n_requests, 1));
	ck_assert_ptr_nonnull(fake.held);
	send_text(fd, "ping\n");
	for (int i = 0; i < 50; i++)
		ck_assert_msg(!turn(fd), "a reply before the first was done");
	ck_assert_int_eq(fake.n_requests, 1);
	control_ok(fake.held);
	ck_assert_str_eq(reply_get(fd, "status"), "ok");
	ck_assert(wait_count(&fake.n_requests, 2));
	ck_assert_str_eq(reply_get(fd, "status"), "ok");
	/* One state per client, however many requests. */
	ck_assert_int_eq(fake.n_states, 1);
	close(fd);
}
END_TEST

/* A client that hangs up while its request waits: on_gone once, and its
 * state with it; closing the socket later does not call it again. */
START_TEST(gone_while_waiting_is_told_once)
{
	int fd = connect_client();

	send_text(fd, "hold\n");
	ck_assert(wait_count(&fake.n_requests, 1));
	ck_assert_int_eq(fake.n_states, 1);
	close(fd);
	ck_assert(wait_count(&fake.n_gone, 1));
	ck_assert_ptr_null(fake.held);
	ck_assert_int_eq(fake.n_states_freed, 1);
	ck_assert_uint_eq(fake.ctl.n_clients, 0);
	for (int i = 0; i < 20; i++)
		turn(-1);
	control_close(&fake.ctl);
	ck_assert_int_eq(fake.n_gone, 1);
}
END_TEST

/* Clients still connected when the socket closes are each told once. */
START_TEST(close_tells_every_client_once)
{
	int a = connect_client(), b = connect_client();

	send_text(a, "hold\n");
	ck_assert(wait_count(&fake.n_requests, 1));
	ck_assert(wait_clients(2));
	control_close(&fake.ctl);
	ck_assert_int_eq(fake.n_gone, 2);
	ck_assert_int_eq(fake.n_states_freed, fake.n_states);
	close(a);
	close(b);
}
END_TEST

START_TEST(oversized_request_is_refused_and_closed)
{
	size_t len = PROTO_MSG_MAX_BYTES + 4096;
	char *big = malloc(len);
	int fd = connect_client();

	memset(big, 'a', len);
	memcpy(big, "ping\nk=", 7);
	ck_assert_int_eq(send(fd, big, len, 0), (ssize_t)len);
	ck_assert_str_eq(reply_get(fd, "status"), "error");
	ck_assert(wait_closed(fd));
	ck_assert_int_eq(fake.n_requests, 0);
	ck_assert(wait_count(&fake.n_gone, 1));
	free(big);
	close(fd);
}
END_TEST

START_TEST(malformed_request_is_refused_and_closed)
{
	int fd = connect_client();
	const char *code;

	send_text(fd, "NOT A VERB\n");
	code = reply_get(fd, "code");
	ck_assert_ptr_nonnull(code);
	ck_assert_str_eq(code, "malformed");
	ck_assert(wait_closed(fd));
	ck_assert_int_eq(fake.n_requests, 0);
	ck_assert(wait_count(&fake.n_gone, 1));
	close(fd);
}
END_TEST

/* Past CTL_CLIENTS_MAX, a client is told why (code=busy) and closed at
 * once; those already in are still served. */
START_TEST(client_limit)
{
	int fds[CTL_CLIENTS_MAX];
	int extra;
	const char *code;

	for (int i = 0; i < CTL_CLIENTS_MAX; i++)
		fds[i] = connect_client();
	ck_assert(wait_clients(CTL_CLIENTS_MAX));
	extra = connect_client();
	code = reply_get(extra, "code");
	ck_assert_ptr_nonnull(code);
	ck_assert_str_eq(code, "busy");
	ck_assert(wait_closed(extra));
	ck_assert_uint_eq(fake.ctl.n_clients, CTL_CLIENTS_MAX);
	send_text(fds[0], "ping\n");
	ck_assert_str_eq(reply_get(fds[0], "status"), "ok");
	close(extra);
	for (int i = 0; i < CTL_CLIENTS_MAX; i++)
		close(fds[i]);
	ck_assert(wait_clients(0));
	ck_assert_int_eq(fake.n_gone, CTL_CLIENTS_MAX);
}
END_TEST

static Suite *control_suite(void)
{
	Suite *s = suite_create("control");
	TCase *tc = tcase_create("clients");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, request_is_handled);
	tcase_add_test(tc, second_request_waits_until_done);
	tcase_add_test(tc, gone_while_waiting_is_told_once);
	tcase_add_test(tc, close_tells_every_client_once);
	tcase_add_test(tc, oversized_request_is_refused_and_closed);
	tcase_add_test(tc, malformed_request_is_refused_and_closed);
	tcase_add_test(tc, client_limit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(control_suite());
}
