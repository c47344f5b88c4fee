/* socket_keys: the [Socket] section of .socket units (systemd.socket(5)),
 * and Sockets= of services. */
#include "keys.h"
#include "names.h"
#include "parser.h"
#include "strv.h"
#include "unit_keys.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static struct unit_socket *socket_of(struct unit_parser *p)
{
	return p->unit->socket;
}

static const struct {
	const char *key;
	enum unit_listen_type type;
} listen_keys[] = {
	{ "ListenStream", UNIT_LISTEN_STREAM },
	{ "ListenDatagram", UNIT_LISTEN_DATAGRAM },
	{ "ListenSequentialPacket", UNIT_LISTEN_SEQPACKET },
	{ "ListenFIFO", UNIT_LISTEN_FIFO },
};

/* Every Listen*= appends to one list; an empty one of any of them
 * empties it, as systemd does. */
int key_listen(struct unit_parser *p, const char *value)
{
	struct unit_socket *s = socket_of(p);
	struct unit_listen entry = {0}, *grown;
	const char *error = NULL;
	size_t i;

	if (!*value) {
		for (i = 0; i < s->n_listen; i++)
			free(s->listen[i].text);
		free(s->listen);
		s->listen = NULL;
		s->n_listen = 0;
		return 0;
	}
	for (i = 0; strcmp(listen_keys[i].key, p->key) != 0; i++)
		;
	entry.type = listen_keys[i].type;
	if (!(entry.text = keys_expand(p, value)))
		return -1;
	if (entry.type == UNIT_LISTEN_FIFO) {
		if (entry.text[0] != '/')
			error = "expected an absolute path";
	} else if (listen_addr_parse(entry.text, &entry.addr, &error) == 0 &&
		   entry.type == UNIT_LISTEN_SEQPACKET &&
		   entry.addr.u.sa.sa_family != AF_UNIX) {
		error = "sequential packet sockets are AF_UNIX only";
	}
	if (error) {
		parser_diag(p, UNIT_DIAG_ERROR, "%s=%s: %s", p->key, value, error);
		free(entry.text);
		return -1;
	}
	grown = realloc(s->listen, (s->n_listen + 1) * sizeof(*grown));
	if (!grown) {
		free(entry.text);
		return parser_nomem(p);
	}
	s->listen = grown;
	s->listen[s->n_listen++] = entry;
	return 0;
}

int key_socket_service(struct unit_parser *p, const char *value)
{
	struct unit_socket *s = socket_of(p);
	char *name;
	enum unit_kind kind;

	if (!*value) {
		free(s->service);
		s->service = NULL;
		return 0;
	}
	if (!(name = keys_expand(p, value)))
		return -1;
	if (!names_valid(name) || !unit_name_kind(name, &kind) ||
	    kind != UNIT_KIND_SERVICE || unit_name_is_template(name)) {
		free(name);
		return parser_invalid(p, value, "a service name (NAME.service)");
	}
	free(s->service);
	s->service = name;
	return 0;
}

/* sd_listen_fds_with_names(3): no control characters, no ':', 255 at
 * most. */
int key_fd_name(struct unit_parser *p, const char *value)
{
	struct unit_socket *s = socket_of(p);
	char *name = NULL;

	if (*value && !(name = keys_expand(p, value)))
		return -1;
	for (const unsigned char *c = (const unsigned char *)name; c && *c; c++)
		if (*c < 0x20 || *c >= 0x7f || *c == ':' ||
		    c - (const unsigned char *)name >= 255) {
			free(name);
			return parser_invalid(p, value, "up to 255 ASCII "
					      "characters, no ':' and no control "
					      "characters");
		}
	free(s->fd_name);
	s->fd_name = name;
	return 0;
}

int key_socket_user(struct unit_parser *p, const char *value)
{
	return keys_set_string(p, value, &socket_of(p)->socket_user);
}

int key_socket_group(struct unit_parser *p, const char *value)
{
	return keys_set_string(p, value, &socket_of(p)->socket_group);
}

static int set_mode(struct unit_parser *p, const char *value, int *field,
		    int default_mode)
{
	char *end;
	long mode;

	if (!*value) {
		*field = default_mode;
		return 0;
	}
	errno = 0;
	mode = strtol(value, &end, 8);
	if (errno || *end || end == value || mode < 0 || mode > 07777)
		return parser_invalid(p, value, "an octal mode such as 0666");
	*field = (int)mode;
	return 0;
}

int key_socket_mode(struct unit_parser *p, const char *value)
{
	return set_mode(p, value, &socket_of(p)->socket_mode, 0666);
}

int key_socket_directory_mode(struct unit_parser *p, const char *value)
{
	return set_mode(p, value, &socket_of(p)->directory_mode, 0755);
}

static int set_unsigned(struct unit_parser *p, const char *value,
			unsigned *field, unsigned default_value, unsigned min)
{
	char *end;
	unsigned long n;

	if (!*value) {
		*field = default_value;
		return 0;
	}
	errno = 0;
	n = strtoul(value, &end, 10);
	if (errno || *end || end == value || value[0] == '-' || n > UINT_MAX ||
	    n < min)
		return parser_invalid(p, value, min ? "a positive number" :
				      "a number");
	*field = (unsigned)n;
	return 0;
}

int key_backlog(struct unit_parser *p, const char *value)
{
	return set_unsigned(p, value, &socket_of(p)->backlog, UINT_MAX, 0);
}

int key_max_connections(struct unit_parser *p, const char *value)
{
	return set_unsigned(p, value, &socket_of(p)->max_connections,
			    UNIT_DEFAULT_MAX_CONNECTIONS, 1);
}

int key_accept(struct unit_parser *p, const char *value)
{
	return keys_set_bool(p, value, &socket_of(p)->accept, false);
}

/* The socket options that are a plain boolean. */
int key_socket_bool(struct unit_parser *p, const char *value)
{
	struct unit_socket *s = socket_of(p);
	const struct {
		const char *key;
		bool *field;
	} options[] = {
		{ "ReusePort", &s->reuse_port },
		{ "FreeBind", &s->free_bind },
		{ "Transparent", &s->transparent },
		{ "Broadcast", &s->broadcast },
		{ "PassCredentials", &s->pass_credentials },
		{ "PassSecurity", &s->pass_security },
		{ "KeepAlive", &s->keep_alive },
		{ "NoDelay", &s->no_delay },
		{ "RemoveOnStop", &s->remove_on_stop },
	};

	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strcmp(p->key, options[i].key) == 0)
			return keys_set_bool(p, value, options[i].field, false);
	return KEY_NOTED;
}

/* ReceiveBuffer=, SendBuffer=: sizes with K, M, G. */
int key_socket_buffer(struct unit_parser *p, const char *value)
{
	struct unit_socket *s = socket_of(p);
	uint64_t *field = strcmp(p->key, "ReceiveBuffer") == 0 ?
			  &s->receive_buffer : &s->send_buffer;
	uint64_t bytes;

	if (!*value) {
		*field = 0;
		return 0;
	}
	if (value_parse_size(value, &bytes) < 0 || bytes > INT_MAX)
		return parser_invalid(p, value, "a size such as 65536 or 8M "
				      "(2G at most)");
	*field = bytes;
	return 0;
}

int key_bind_ipv6_only(struct unit_parser *p, const char *value)
{
	static const char *const names[] = { "default", "both", "ipv6-only" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(value, names[i]) == 0 || (!*value && i == 0)) {
			socket_of(p)->bind_ipv6_only = (enum unit_bind_ipv6)i;
			return 0;
		}
	return parser_invalid(p, value, "default, both or ipv6-only");
}

int key_symlinks(struct unit_parser *p, const char *value)
{
	struct unit_socket *s = socket_of(p);
	size_t before = strv_length(s->symlinks);

	if (keys_set_list(p, value, &s->symlinks, true) < 0)
		return -1;
	for (size_t i = before; s->symlinks && s->symlinks[i]; i++)
		if (s->symlinks[i][0] != '/')
			return parser_invalid(p, value, "absolute paths");
	return 0;
}

int key_trigger_limit_interval(struct unit_parser *p, const char *value)
{
	return keys_set_timespan(p, value,
				 &socket_of(p)->trigger_limit_interval_usec,
				 UNIT_DEFAULT_TRIGGER_LIMIT_INTERVAL_USEC);
}

int key_trigger_limit_burst(struct unit_parser *p, const char *value)
{
	struct unit_socket *s = socket_of(p);

	s->trigger_limit_burst_set = *value != '\0';
	return set_unsigned(p, value, &s->trigger_limit_burst, 0, 0);
}

/* Sockets= of a service: socket units whose fds it is given too. */
int key_sockets(struct unit_parser *p, const char *value)
{
	size_t before = strv_length(p->unit->sockets);
	enum unit_kind kind;

	if (keys_set_list(p, value, &p->unit->sockets, true) < 0)
		return -1;
	for (size_t i = before; p->unit->sockets && p->unit->sockets[i]; i++)
		if (!names_valid(p->unit->sockets[i]) ||
		    !unit_name_kind(p->unit->sockets[i], &kind) ||
		    kind != UNIT_KIND_SOCKET)
			return parser_invalid(p, value, "socket unit names "
					      "(NAME.socket)");
	return 0;
}
