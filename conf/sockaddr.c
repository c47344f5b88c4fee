/* sockaddr: listen addresses, systemd.socket(5)'s syntax. */
#include "sockaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "1".."65535", digits only: systemd takes no sign and no blanks. */
static int parse_port(const char *text, in_port_t *port)
{
	unsigned long value = 0;

	if (!*text || strlen(text) > 5)
		return -1;
	for (const char *s = text; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		value = value * 10 + (unsigned long)(*s - '0');
	}
	if (value == 0 || value > 65535)
		return -1;
	*port = htons((in_port_t)value);
	return 0;
}

static int parse_unix(const char *text, struct listen_addr *out,
		      const char **error)
{
	size_t n = strlen(text);
	bool abstract = text[0] == '@';

	/* A path needs its NUL inside sun_path; an abstract name does
	 * not, but its leading NUL takes the '@''s place. */
	if (n >= sizeof(out->u.un.sun_path) + abstract) {
		*error = "AF_UNIX address too long (108 bytes at most)";
		return -1;
	}
	if (n < 2) {
		*error = "empty AF_UNIX address";
		return -1;
	}
	out->u.un.sun_family = AF_UNIX;
	memcpy(out->u.un.sun_path, text, n);
	if (abstract) {
		out->u.un.sun_path[0] = '\0';
		out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	} else {
		out->len = (socklen_t)sizeof(out->u.un);
	}
	return 0;
}

static int parse_ipv6(const char *text, struct listen_addr *out,
		      const char **error)
{
	const char *close = strchr(text, ']');
	char host[INET6_ADDRSTRLEN];
	size_t n;

	if (!close || close[1] != ':') {
		*error = "expected [ADDRESS]:PORT";
		return -1;
	}
	n = (size_t)(close - text - 1);
	if (strchr(close, '%')) {
		*error = "interface scopes (%DEV) are not supported by svd";
		return -1;
	}
	if (n == 0 || n >= sizeof(host)) {
		*error = "invalid IPv6 address";
		return -1;
	}
	memcpy(host, text + 1, n);
	host[n] = '\0';
	out->u.in6.sin6_family = AF_INET6;
	if (inet_pton(AF_INET6, host, &out->u.in6.sin6_addr) != 1) {
		*error = "invalid IPv6 address";
		return -1;
	}
	if (parse_port(close + 2, &out->u.in6.sin6_port) < 0) {
		*error = "port out of range (1-65535)";
		return -1;
	}
	out->len = sizeof(out->u.in6);
	return 0;
}

static int parse_ipv4(const char *text, struct listen_addr *out,
		      const char **error)
{
	const char *colon = strrchr(text, ':');
	char host[INET_ADDRSTRLEN];
	size_t n;

	if (!colon) {
		*error = "expected a path, @name, PORT, A.B.C.D:PORT or [ADDRESS]:PORT";
		return -1;
	}
	n = (size_t)(colon - text);
	if (n == 0 || n >= sizeof(host)) {
		*error = "invalid IPv4 address";
		return -1;
	}
	memcpy(host, text, n);
	host[n] = '\0';
	out->u.in.sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &out->u.in.sin_addr) != 1) {
		*error = "invalid IPv4 address";
		return -1;
	}
	if (parse_port(colon + 1, &out->u.in.sin_port) < 0) {
		*error = "port out of range (1-65535)";
		return -1;
	}
	out->len = sizeof(out->u.in);
	return 0;
}

int listen_addr_parse(const char *text, struct listen_addr *out,
		      const char **error)
{
	struct listen_addr addr;
	int r;

	memset(&addr, 0, sizeof(addr));
	if (text[0] == '/' || text[0] == '@') {
		r = parse_unix(text, &addr, error);
	} else if (text[0] == '[') {
		r = parse_ipv6(text, &addr, error);
	} else if (strncmp(text, "vsock:", 6) == 0) {
		*error = "AF_VSOCK addresses are not supported by svd";
		r = -1;
	} else if (text[0] >= '0' && text[0] <= '9' && !strchr(text, ':') &&
		   !strchr(text, '.')) {
		addr.u.in6.sin6_family = AF_INET6;
		addr.u.in6.sin6_addr = in6addr_any;
		addr.len = sizeof(addr.u.in6);
		addr.any_port = true;
		r = parse_port(text, &addr.u.in6.sin6_port);
		if (r < 0)
			*error = "port out of range (1-65535)";
	} else {
		r = parse_ipv4(text, &addr, error);
	}
	if (r == 0)
		*out = addr;
	return r;
}

void listen_addr_format(const struct sockaddr *sa, socklen_t len, char *buf,
			size_t size)
{
	char host[INET6_ADDRSTRLEN] = "?";
	const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
	size_t path_len;

	if (size == 0)
		return;
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, ntohs(in->sin_port));
		return;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, size, "[%s]:%u", host, ntohs(in6->sin6_port));
		return;
	}
	case AF_UNIX:
		if (len <= offsetof(struct sockaddr_un, sun_path)) {
			snprintf(buf, size, "%s", "unnamed");
			return;
		}
		path_len = (size_t)len - offsetof(struct sockaddr_un, sun_path);
		if (un->sun_path[0] == '\0')	/* abstract: '@' for the NUL */
			snprintf(buf, size, "@%.*s", (int)(path_len - 1),
				 un->sun_path + 1);
		else
			snprintf(buf, size, "%.*s", (int)strnlen(un->sun_path, path_len),
				 un->sun_path);
		return;
	default:
		snprintf(buf, size, "family %d", sa->sa_family);
	}
}
