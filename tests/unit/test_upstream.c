/* upstream: svd's own sd_notify messages to the manager above it, sent to
 * real sockets (a path and an abstract name) with a real loop. */
#include <check.h>

#include <errno.h>
#include <ev.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check_main.h"
#include "upstream.h"

START_TEST(addresses_as_sd_notify_takes_them)
{
	struct sockaddr_un address;
	socklen_t length;
	char long_path[200];

	ck_assert_int_eq(upstream_parse_address("/run/x.sock", &address, &length), 0);
	ck_assert_str_eq(address.sun_path, "/run/x.sock");
	ck_assert_uint_eq(length, offsetof(struct sockaddr_un, sun_path) + 12);

	/* Abstract: a NUL for the '@', and no NUL after the name. */
	ck_assert_int_eq(upstream_parse_address("@svd/n", &address, &length), 0);
	ck_assert_int_eq(address.sun_path[0], '\0');
	ck_assert_int_eq(memcmp(address.sun_path + 1, "svd/n", 5), 0);
	ck_assert_uint_eq(length, offsetof(struct sockaddr_un, sun_path) + 6);

	errno = 0;
	ck_assert_int_eq(upstream_parse_address("vsock:2:1234", &address, &length), -1);
	ck_assert_int_eq(errno, EAFNOSUPPORT);
	ck_assert_int_eq(upstream_parse_address("relative.sock", &address, &length), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(upstream_parse_address("@", &address, &length), -1);
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	ck_assert_int_eq(upstream_parse_address(long_path, &address, &length), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	/* 107 characters and a NUL fill sun_path exactly. */
	long_path[107] = '\0';
	ck_assert_int_eq(upstream_parse_address(long_path, &address, &length), 0);
	long_path[108] = '\0';
	long_path[107] = 'a';
	ck_assert_int_eq(upstream_parse_address(long_path, &address, &length), -1);
}
END_TEST

START_TEST(watchdog_only_for_its_pid)
{
	ck_assert_uint_eq(upstream_watchdog_usec("20000", NULL, 42), 20000);
	ck_assert_uint_eq(upstream_watchdog_usec("20000", "42", 42), 20000);
	ck_assert_uint_eq(upstream_watchdog_usec("20000", "43", 42), 0);
	ck_assert_uint_eq(upstream_watchdog_usec("20000", "4x", 42), 0);
	ck_assert_uint_eq(upstream_watchdog_usec("", NULL, 42), 0);
	ck_assert_uint_eq(upstream_watchdog_usec("-5", NULL, 42), 0);
	ck_assert_uint_eq(upstream_watchdog_usec("5s", NULL, 42), 0);
	ck_assert_uint_eq(upstream_watchdog_usec(NULL, NULL, 42), 0);
}
END_TEST

/* A datagram socket bound at name ("@..." abstract); returns its fd. */
static int listener(const char *name)
{
	struct sockaddr_un address;
	socklen_t length;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct timeval deadline = { .tv_sec = 10 };

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(upstream_parse_address(name, &address, &length), 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&address, length), 0);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &deadline,
				    sizeof(deadline)), 0);
	return fd;
}

static void expect_message(int fd, const char *want)
{
	char got[256];
	ssize_t n = recv(fd, got, sizeof(got) - 1, 0);

	ck_assert_int_gt(n, 0);
	got[n] = '\0';
	ck_assert_str_eq(got, want);
}

START_TEST(ready_and_stopping_reach_an_abstract_socket)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct upstream up;
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "@svd-test-upstream/%d", (int)getpid());
	fd = listener(name);
	setenv("NOTIFY_SOCKET", name, 1);
	setenv("WATCHDOG_USEC", "1000000", 1);
	upstream_init(&up, loop);
	ck_assert_ptr_null(getenv("NOTIFY_SOCKET"));
	ck_assert_ptr_null(getenv("WATCHDOG_USEC"));
	upstream_ready(&up, "1 services");
	upstream_ready(&up, "sent once only");
	upstream_stopping(&up);
	expect_message(fd, "READY=1\nSTATUS=1 services");
	expect_message(fd, "STOPPING=1\nSTATUS=stopping all services");
	upstream_free(&up);
	ck_assert_int_eq(up.fd, -1);
	close(fd);
	ev_loop_destroy(loop);
}
END_TEST

/* A manager that does not read: svd never blocks, drops keep-alives, and
 * what else it had to say arrives once the manager reads again. */
START_TEST(full_queue_never_blocks_and_keeps_the_latest)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct upstream up;
	char name[64], got[64];
	int fd, sent;

	snprintf(name, sizeof(name), "@svd-test-upstream-full/%d", (int)getpid());
	fd = listener(name);
	setenv("NOTIFY_SOCKET", name, 1);
	upstream_init(&up, loop);
	/* Fill the manager's queue with keep-alives: each send returns. */
	for (sent = 0; sent < 100000 && !up.full_told; sent++)
		ev_invoke(loop, &up.keepalive, EV_TIMER);
	ck_assert(up.full_told);
	ck_assert_ptr_null(up.pending);
	upstream_ready(&up, "late");
	ck_assert_str_eq(up.pending, "READY=1\nSTATUS=late");
	ck_assert(ev_is_active(&up.retry));
	/* The manager reads everything; the retry delivers. */
	while (recv(fd, got, sizeof(got), MSG_DONTWAIT) > 0)
		;
	ev_run(loop, EVRUN_ONCE);
	ck_assert_ptr_null(up.pending);
	ck_assert(!ev_is_active(&up.retry));
	expect_message(fd, "READY=1\nSTATUS=late");
	upstream_free(&up);
	close(fd);
	ev_loop_destroy(loop);
}
END_TEST

START_TEST(unusable_address_is_a_warning_not_a_socket)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct upstream up;

	setenv("NOTIFY_SOCKET", "vsock:2:9", 1);
	upstream_init(&up, loop);
	ck_assert_int_eq(up.fd, -1);
	ck_assert_ptr_null(getenv("NOTIFY_SOCKET"));
	upstream_ready(&up, "nowhere");
	upstream_free(&up);
	ev_loop_destroy(loop);
}
END_TEST

static Suite *upstream_suite(void)
{
	Suite *s = suite_create("upstream");
	TCase *tc = tcase_create("upstream");

	tcase_add_test(tc, addresses_as_sd_notify_takes_them);
	tcase_add_test(tc, watchdog_only_for_its_pid);
	tcase_add_test(tc, ready_and_stopping_reach_an_abstract_socket);
	tcase_add_test(tc, full_queue_never_blocks_and_keeps_the_latest);
	tcase_add_test(tc, unusable_address_is_a_warning_not_a_socket);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(upstream_suite());
}
