/* Tests for daemon/access.c: which verbs need which level, how
 * [Control] resolves, and who gets what. The peer's groups come from a
 * real socket pair (SO_PEERGROUPS: this process's own groups). */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "access.h"
#include "strv.h"
#include "vocab.h"

static enum access_level verb_level(const char *name)
{
	const struct vocab_verb *v = vocab_verb_find(name);

	ck_assert_ptr_nonnull(v);
	return access_verb_level(v->flags);
}

START_TEST(verbs_need_levels)
{
	ck_assert_int_eq(verb_level("status"), ACCESS_STATUS);
	ck_assert_int_eq(verb_level("list"), ACCESS_STATUS);
	ck_assert_int_eq(verb_level("monitor"), ACCESS_STATUS);
	ck_assert_int_eq(verb_level("logs"), ACCESS_READ);
	ck_assert_int_eq(verb_level("start"), ACCESS_MANAGE);
	ck_assert_int_eq(verb_level("stop"), ACCESS_MANAGE);
	ck_assert_int_eq(verb_level("daemon-reload"), ACCESS_MANAGE);
	ck_assert_int_eq(verb_level("poweroff"), ACCESS_ALL);
	ck_assert_int_eq(verb_level("tmpfiles"), ACCESS_ALL);
}
END_TEST

static void policy_from(struct access_policy *p, const char *group,
			const char *manage_group, const char *user, int mode)
{
	struct settings s;

	ck_assert_int_eq(settings_init(&s), 0);
	s.control_socket_group = group ? strdup(group) : NULL;
	s.control_manage_group = manage_group ? strdup(manage_group) : NULL;
	if (user)
		ck_assert_int_eq(strv_push(&s.control_manage_users, user), 0);
	s.control_socket_mode = mode;
	ck_assert_int_eq(access_policy_load(p, &s), 0);
	settings_free(&s);
}

START_TEST(policy_modes)
{
	struct access_policy p;

	policy_from(&p, NULL, NULL, NULL, -1);
	ck_assert_uint_eq(p.socket_mode, 0600);
	ck_assert(!p.has_read_group);
	access_policy_free(&p);
	policy_from(&p, "4242", NULL, NULL, -1);
	ck_assert_uint_eq(p.socket_mode, 0660);
	ck_assert(p.read_group_known);
	ck_assert_uint_eq(p.read_gid, 4242);
	access_policy_free(&p);
	policy_from(&p, "4242", NULL, "77", 0666);
	ck_assert_uint_eq(p.socket_mode, 0666);
	ck_assert_uint_eq(p.n_manage_uids, 1);
	ck_assert_uint_eq(p.manage_uids[0], 77);
	access_policy_free(&p);
	/* A group that is not there keeps the socket shut. */
	policy_from(&p, "svd-no-such-group-here", NULL, "svd-no-such-user", 0666);
	ck_assert_uint_eq(p.socket_mode, 0600);
	ck_assert(p.has_read_group);
	ck_assert(!p.read_group_known);
	ck_assert_uint_eq(p.n_manage_uids, 0);
	access_policy_free(&p);
}
END_TEST

START_TEST(peer_levels)
{
	struct access_policy p;
	int sv[2];
	/* A uid that is neither root nor this process's. */
	uid_t other = geteuid() == 1234 ? 1235 : 1234;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ck_assert_int_eq(access_peer_level(NULL, sv[0], 0, 0, 1), ACCESS_ALL);
	ck_assert_int_eq(access_peer_level(NULL, sv[0], geteuid(), 0, 1), ACCESS_ALL);
	ck_assert_int_eq(access_peer_level(NULL, sv[0], other, 99, 1), ACCESS_STATUS);
	policy_from(&p, "4242", "4343", "77", -1);
	ck_assert_int_eq(access_peer_level(&p, sv[0], 77, 99, 1), ACCESS_MANAGE);
	ck_assert_int_eq(access_peer_level(&p, sv[0], other, 4343, 1), ACCESS_MANAGE);
	ck_assert_int_eq(access_peer_level(&p, sv[0], other, 4242, 1), ACCESS_READ);
	ck_assert_int_eq(access_peer_level(&p, sv[0], other, 99, 1), ACCESS_NONE);
	access_policy_free(&p);
	/* The peer's supplementary groups count: this process's own. */
	policy_from(&p, NULL, NULL, NULL, -1);
	{
		gid_t groups[256];
		int n = getgroups(256, groups);

		if (n > 0) {
			char text[24];

			access_policy_free(&p);
			snprintf(text, sizeof(text), "%u", (unsigned)groups[0]);
			policy_from(&p, text, NULL, NULL, -1);
			ck_assert_int_eq(access_peer_level(&p, sv[0], other,
							   groups[0] + 1, 1),
					 ACCESS_READ);
		}
	}
	access_policy_free(&p);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(hints_name_the_keys)
{
	ck_assert_ptr_nonnull(strstr(access_denied_hint(ACCESS_READ, ACCESS_MANAGE),
				     "ManageGroup="));
	ck_assert_ptr_nonnull(strstr(access_denied_hint(ACCESS_NONE, ACCESS_STATUS),
				     "SocketGroup="));
	ck_assert_ptr_nonnull(strstr(access_denied_hint(ACCESS_MANAGE, ACCESS_ALL),
				     "only root"));
}
END_TEST

static Suite *access_suite(void)
{
	Suite *s = suite_create("access");
	TCase *tc = tcase_create("access");

	tcase_add_test(tc, verbs_need_levels);
	tcase_add_test(tc, policy_modes);
	tcase_add_test(tc, peer_levels);
	tcase_add_test(tc, hints_name_the_keys);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(access_suite());
}
