/* proto: the control protocol codec. */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

static char *decode_copy(const char *text, size_t len, bool has_verb,
			 struct proto_msg *msg, int *r, const char **error)
{
	char *buf = malloc(len + 1);

	memcpy(buf, text, len);
	*r = proto_decode(buf, len, has_verb, msg, error);
	return buf;
}

START_TEST(request_round_trip)
{
	static struct proto_buf buf;
	static struct proto_msg msg;
	const char *error = NULL;
	char *copy;
	int r;

	ck_assert_int_eq(proto_begin(&buf, "start"), 0);
	ck_assert_int_eq(proto_put(&buf, "unit", "web.service"), 0);
	ck_assert_int_eq(proto_put(&buf, "text", "a\nb\\c=d"), 0);
	copy = decode_copy(buf.data, buf.len, true, &msg, &r, &error);
	ck_assert_int_eq(r, 0);
	ck_assert_str_eq(msg.verb, "start");
	ck_assert_uint_eq(msg.n_fields, 2);
	ck_assert_str_eq(proto_get(&msg, "unit"), "web.service");
	ck_assert_str_eq(proto_get(&msg, "text"), "a\nb\\c=d");
	ck_assert_ptr_null(proto_get(&msg, "missing"));
	free(copy);
}
END_TEST

START_TEST(escaped_value_has_no_raw_newline)
{
	static struct proto_buf buf;

	proto_begin(&buf, NULL);
	proto_put(&buf, "k", "x\ny");
	ck_assert_int_eq(memcmp(buf.data, "k=x\\ny\n", 7), 0);
	ck_assert_uint_eq(buf.len, 7);
}
END_TEST

START_TEST(reply_without_verb)
{
	static struct proto_msg msg;
	const char *error;
	int r;
	char *copy = decode_copy("status=ok\nerror=\n", 17, false, &msg, &r, &error);

	ck_assert_int_eq(r, 0);
	ck_assert_ptr_null(msg.verb);
	ck_assert_str_eq(proto_get(&msg, "status"), "ok");
	ck_assert_str_eq(proto_get(&msg, "error"), "");
	free(copy);
}
END_TEST

static void assert_rejected(const char *text, size_t len, bool has_verb)
{
	static struct proto_msg msg;
	const char *error = NULL;
	int r;
	char *copy = decode_copy(text, len, has_verb, &msg, &r, &error);

	ck_assert_msg(r == -1, "accepted: %.*s", (int)len, text);
	ck_assert_ptr_nonnull(error);
	free(copy);
}

START_TEST(malformed_rejected)
{
	assert_rejected("", 0, true);			/* no verb */
	assert_rejected("START\n", 6, true);		/* verb charset */
	assert_rejected("start\nnoequals\n", 15, true);
	assert_rejected("start\n=v\n", 9, true);	/* empty key */
	assert_rejected("start\nk y=v\n", 12, true);	/* key charset */
	assert_rejected("start\nk=a\\qb\n", 13, true); /* bad escape */
	assert_rejected("start\0x", 7, true);		/* NUL */
	assert_rejected("status=ok\nverbish\n", 18, false);
}
END_TEST

START_TEST(too_many_fields_rejected)
{
	size_t len = 0, cap = 16 * (PROTO_FIELDS_MAX + 2);
	char *text = malloc(cap);

	len += (size_t)sprintf(text, "list\n");
	for (int i = 0; i <= PROTO_FIELDS_MAX; i++)
		len += (size_t)sprintf(text + len, "k%d=v\n", i);
	assert_rejected(text, len, true);
	free(text);
}
END_TEST

START_TEST(oversized_rejected)
{
	char *text = malloc(PROTO_MSG_MAX_BYTES + 2);

	memset(text, 'a', PROTO_MSG_MAX_BYTES + 1);
	assert_rejected(text, PROTO_MSG_MAX_BYTES + 1, true);
	free(text);
}
END_TEST

START_TEST(put_never_truncates)
{
	static struct proto_buf buf;
	char *big = malloc(PROTO_MSG_MAX_BYTES);
	size_t before;

	memset(big, 'x', PROTO_MSG_MAX_BYTES - 1);
	big[PROTO_MSG_MAX_BYTES - 1] = '\0';
	proto_begin(&buf, "start");
	before = buf.len;
	ck_assert_int_eq(proto_put(&buf, "k", big), -1);
	ck_assert_uint_eq(buf.len, before);
	ck_assert_int_eq(proto_put(&buf, "bad key", "v"), -1);
	ck_assert_int_eq(proto_begin(&buf, "no\nverb"), -1);
	ck_assert_uint_eq(proto_field_size("k", "a\nb"), 7);
	free(big);
}
END_TEST

/* What the encoder builds, the decoder takes: never a field too many. */
START_TEST(put_stops_at_the_field_limit)
{
	static struct proto_buf buf;
	static struct proto_msg msg;
	const char *error = NULL;
	size_t len;

	proto_begin(&buf, NULL);
	for (int i = 0; i < PROTO_FIELDS_MAX; i++)
		ck_assert_int_eq(proto_put(&buf, "LogText", "x"), 0);
	len = buf.len;
	ck_assert_int_eq(proto_put(&buf, "status", "ok"), -1);
	ck_assert_uint_eq(buf.len, len);
	ck_assert_int_eq(proto_decode(buf.data, buf.len, false, &msg, &error), 0);
	ck_assert_uint_eq(msg.n_fields, PROTO_FIELDS_MAX);
}
END_TEST

static Suite *proto_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, request_round_trip);
	tcase_add_test(tc, escaped_value_has_no_raw_newline);
	tcase_add_test(tc, reply_without_verb);
	tcase_add_test(tc, malformed_rejected);
	tcase_add_test(tc, too_many_fields_rejected);
	tcase_add_test(tc, oversized_rejected);
	tcase_add_test(tc, put_never_truncates);
	tcase_add_test(tc, put_stops_at_the_field_limit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(proto_suite());
}
