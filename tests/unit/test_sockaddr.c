/* sockaddr: systemd.socket(5)'s listen addresses, and their text. */
#include <check.h>

#include "check_main.h"
#include <arpa/inet.h>
#include <string.h>

#include "sockaddr.h"

static struct listen_addr addr;
static const char *error;

static char *formatted(void)
{
	static char buf[160];

	listen_addr_format(&addr.u.sa, addr.len, buf, sizeof(buf));
	return buf;
}

START_TEST(unix_paths_and_abstract_names)
{
	ck_assert_int_eq(listen_addr_parse("/run/x.sock", &addr, &error), 0);
	ck_assert_int_eq(addr.u.sa.sa_family, AF_UNIX);
	ck_assert_str_eq(addr.u.un.sun_path, "/run/x.sock");
	ck_assert_uint_eq(addr.len, sizeof(addr.u.un));
	ck_assert_str_eq(formatted(), "/run/x.sock");
	ck_assert_int_eq(listen_addr_parse("@svd/test", &addr, &error), 0);
	ck_assert_int_eq(addr.u.un.sun_path[0], '\0');
	ck_assert_int_eq(memcmp(addr.u.un.sun_path + 1, "svd/test", 8), 0);
	/* The length ends the name: no trailing NULs bound to it. */
	ck_assert_uint_eq(addr.len, offsetof(struct sockaddr_un, sun_path) + 9);
	ck_assert_str_eq(formatted(), "@svd/test");
}
END_TEST

START_TEST(unix_limits)
{
	char path[120];

	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[107] = '\0';	/* 107 bytes and the NUL: the most that fits */
	ck_assert_int_eq(listen_addr_parse(path, &addr, &error), 0);
	path[107] = 'a';
	path[108] = '\0';
	ck_assert_int_eq(listen_addr_parse(path, &addr, &error), -1);
	ck_assert_ptr_nonnull(strstr(error, "too long"));
	path[0] = '@';		/* abstract: 108 bytes fit, the '@' as NUL */
	ck_assert_int_eq(listen_addr_parse(path, &addr, &error), 0);
	ck_assert_int_eq(listen_addr_parse("@", &addr, &error), -1);
	ck_assert_int_eq(listen_addr_parse("/", &addr, &error), -1);
}
END_TEST

START_TEST(ports_and_ip_addresses)
{
	ck_assert_int_eq(listen_addr_parse("22", &addr, &error), 0);
	ck_assert(addr.any_port);
	ck_assert_int_eq(addr.u.sa.sa_family, AF_INET6);
	ck_assert_int_eq(ntohs(addr.u.in6.sin6_port), 22);
	ck_assert_str_eq(formatted(), "[::]:22");
	ck_assert_int_eq(listen_addr_parse("127.0.0.1:8080", &addr, &error), 0);
	ck_assert(!addr.any_port);
	ck_assert_int_eq(addr.u.sa.sa_family, AF_INET);
	ck_assert_str_eq(formatted(), "127.0.0.1:8080");
	ck_assert_int_eq(listen_addr_parse("[::1]:53", &addr, &error), 0);
	ck_assert_int_eq(addr.u.sa.sa_family, AF_INET6);
	ck_assert_str_eq(formatted(), "[::1]:53");
	ck_assert_int_eq(listen_addr_parse("65535", &addr, &error), 0);
}
END_TEST

/* Each refusal leaves the output as it was and says why. */
START_TEST(bad_addresses)
{
	static const char *const bad[] = {
		"0", "65536", "99999999", "-1", "+22", "22 ", "1.2.3.4", "1.2.3:80",
		"1.2.3.4:0", "1.2.3.4:", "[::1]", "[::1]80", "[::1:80", "[zz]:80",
		"[fe80::1]:80%eth0", "vsock:2:1234", "localhost:80", "", "abc",
		"300.1.1.1:80", "[]:80",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct listen_addr before;

		memset(&addr, 0x5a, sizeof(addr));
		before = addr;
		error = NULL;
		ck_assert_msg(listen_addr_parse(bad[i], &addr, &error) == -1,
			      "\"%s\" accepted", bad[i]);
		ck_assert_msg(error && *error, "\"%s\": no reason", bad[i]);
		ck_assert_msg(memcmp(&before, &addr, sizeof(addr)) == 0,
			      "\"%s\" changed the output", bad[i]);
	}
}
END_TEST

static Suite *sockaddr_suite(void)
{
	Suite *s = suite_create("sockaddr");
	TCase *tc = tcase_create("sockaddr");

	tcase_add_test(tc, unix_paths_and_abstract_names);
	tcase_add_test(tc, unix_limits);
	tcase_add_test(tc, ports_and_ip_addresses);
	tcase_add_test(tc, bad_addresses);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(sockaddr_suite());
}
