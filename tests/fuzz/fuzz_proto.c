/* The control protocol codec: the first byte says request (odd: a verb
 * first) or reply, the rest is one message as a client or svd would
 * send it. A message that decodes is encoded again from its fields; that
 * gives back the same bytes (with a final newline) and decodes to the
 * same verb and fields. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "vocab.h"

/* Encodes msg; false when it does not fit in one message. */
static bool encode(const struct proto_msg *msg, struct proto_buf *out)
{
	FUZZ_ASSERT(proto_begin(out, msg->verb) == 0);
	for (size_t i = 0; i < msg->n_fields; i++)
		if (proto_put(out, msg->fields[i].key, msg->fields[i].value) < 0)
			return false;
	return true;
}

static void check_same(const struct proto_msg *a, const struct proto_msg *b)
{
	FUZZ_ASSERT((a->verb == NULL) == (b->verb == NULL));
	FUZZ_ASSERT(!a->verb || strcmp(a->verb, b->verb) == 0);
	FUZZ_ASSERT(a->n_fields == b->n_fields);
	for (size_t i = 0; i < a->n_fields; i++) {
		FUZZ_ASSERT(strcmp(a->fields[i].key, b->fields[i].key) == 0);
		FUZZ_ASSERT(strcmp(a->fields[i].value, b->fields[i].value) == 0);
	}
}

/* The bytes encoding gives: the input with a newline after each line. */
static void check_bytes(const uint8_t *in, size_t size,
			const struct proto_buf *out)
{
	size_t expect = size + (size && in[size - 1] == '\n' ? 0 : 1);

	if (size == 0)
		expect = 0;
	FUZZ_ASSERT(out->len == expect);
	FUZZ_ASSERT(memcmp(out->data, in, size < out->len ? size : out->len) == 0);
}

static void round_trip(const uint8_t *in, size_t size,
		       const struct proto_msg *msg, bool has_verb)
{
	static struct proto_buf out;
	static struct proto_msg again;
	const char *error = NULL;
	char *copy;

	if (!encode(msg, &out)) {
		/* Only when the newline the input lacked does not fit. */
		FUZZ_ASSERT(size >= PROTO_MSG_MAX_BYTES - 1);
		return;
	}
	check_bytes(in, size, &out);
	copy = fuzz_strndup((const uint8_t *)out.data, out.len);
	FUZZ_ASSERT(proto_decode(copy, out.len, has_verb, &again, &error) == 0);
	check_same(msg, &again);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct proto_msg msg;
	const char *error = NULL;
	bool has_verb;
	char *buf;

	if (size < 1)
		return 0;
	has_verb = data[0] & 1;
	data++;
	size--;
	buf = fuzz_strndup(data, size);
	if (proto_decode(buf, size, has_verb, &msg, &error) < 0) {
		FUZZ_ASSERT(error != NULL);
	} else {
		if (msg.verb)
			(void)vocab_request_find(msg.verb);
		(void)proto_get(&msg, "unit");
		round_trip(data, size, &msg, has_verb);
	}
	free(buf);
	return 0;
}
