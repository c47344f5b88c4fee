#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool key_is_valid(const char *key, size_t len)
{
	if (len == 0 || len > PROTO_KEY_MAX_BYTES)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = key[i];

		if (!(c == '_' || c == '-' || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

static bool verb_is_valid(const char *verb, size_t len)
{
	if (len == 0 || len > PROTO_VERB_MAX_BYTES)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((verb[i] >= 'a' && verb[i] <= 'z') || verb[i] == '-'))
			return false;
	return true;
}

/* Undoes the escaping in place; -1 for an escape we never produce. */
static int unescape(char *value)
{
	char *in = value, *out = value;

	while (*in) {
		if (*in != '\\') {
			*out++ = *in++;
			continue;
		}
		if (in[1] == '\\')
			*out++ = '\\';
		else if (in[1] == 'n')
			*out++ = '\n';
		else
			return -1;
		in += 2;
	}
	*out = '\0';
	return 0;
}

static int decode_field(char *line, struct proto_msg *msg, const char **error)
{
	char *eq = strchr(line, '=');

	if (!eq || !key_is_valid(line, (size_t)(eq - line))) {
		*error = "malformed field: expected KEY=VALUE";
		return -1;
	}
	if (msg->n_fields == PROTO_FIELDS_MAX) {
		*error = "too many fields";
		return -1;
	}
	*eq = '\0';
	if (unescape(eq + 1) < 0) {
		*error = "invalid escape in value";
		return -1;
	}
	msg->fields[msg->n_fields].key = line;
	msg->fields[msg->n_fields].value = eq + 1;
	msg->n_fields++;
	return 0;
}

int proto_decode(char *buf, size_t len, bool has_verb, struct proto_msg *msg,
		 const char **error)
{
	char *line = buf, *end = buf + len;

	msg->verb = NULL;
	msg->n_fields = 0;
	if (len > PROTO_MSG_MAX_BYTES) {
		*error = "message too long";
		return -1;
	}
	if (memchr(buf, '\0', len)) {
		*error = "NUL byte in message";
		return -1;
	}
	buf[len] = '\0';
	while (line < end) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (has_verb && !msg->verb) {
			if (!verb_is_valid(line, strlen(line))) {
				*error = "malformed request: expected a verb";
				return -1;
			}
			msg->verb = line;
		} else if (decode_field(line, msg, error) < 0) {
			return -1;
		}
		line = nl ? nl + 1 : end;
	}
	if (has_verb && !msg->verb) {
		*error = "empty request";
		return -1;
	}
	return 0;
}

const char *proto_get(const struct proto_msg *msg, const char *key)
{
	for (size_t i = 0; i < msg->n_fields; i++)
		if (strcmp(msg->fields[i].key, key) == 0)
			return msg->fields[i].value;
	return NULL;
}

int proto_begin(struct proto_buf *buf, const char *verb)
{
	size_t len;

	buf->len = 0;
	buf->n_fields = 0;
	if (!verb)
		return 0;
	len = strlen(verb);
	if (!verb_is_valid(verb, len))
		return -1;
	memcpy(buf->data, verb, len);
	buf->data[len] = '\n';
	buf->len = len + 1;
	return 0;
}

size_t proto_field_size(const char *key, const char *value)
{
	size_t size = strlen(key) + 2; /* '=' and '\n' */

	for (const char *p = value; *p; p++)
		size += (*p == '\\' || *p == '\n') ? 2 : 1;
	return size;
}

int proto_put(struct proto_buf *buf, const char *key, const char *value)
{
	size_t key_len = strlen(key);
	char *out;

	if (!key_is_valid(key, key_len))
		return -1;
	/* The receiver refuses more fields than this: never send them. */
	if (buf->n_fields == PROTO_FIELDS_MAX ||
	    proto_field_size(key, value) > sizeof(buf->data) - buf->len)
		return -1;
	out = buf->data + buf->len;
	memcpy(out, key, key_len);
	out += key_len;
	*out++ = '=';
	for (const char *p = value; *p; p++) {
		if (*p == '\\' || *p == '\n') {
			*out++ = '\\';
			*out++ = *p == '\n' ? 'n' : '\\';
		} else {
			*out++ = *p;
		}
	}
	*out++ = '\n';
	buf->len = (size_t)(out - buf->data);
	buf->n_fields++;
	return 0;
}

int proto_putf(struct proto_buf *buf, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *value;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	r = proto_put(buf, key, value);
	free(value);
	return r;
}
