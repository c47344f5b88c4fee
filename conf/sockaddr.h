/* sockaddr: the addresses of a .socket unit's ListenStream=,
 * ListenDatagram= and ListenSequentialPacket=, read as systemd.socket(5)
 * writes them: "/path" and "@abstract" (AF_UNIX), "80" (every address,
 * IPv6 and IPv4), "1.2.3.4:80", "[::1]:80". Pure: no system call. */
#ifndef SVD_SOCKADDR_H
#define SVD_SOCKADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

struct listen_addr {
	union {
		struct sockaddr sa;
		struct sockaddr_un un;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} u;
	socklen_t len;		/* of the part of u that bind() reads */
	/* A bare port: [::]:port, which also takes IPv4 unless
	 * BindIPv6Only=ipv6-only; 0.0.0.0:port where IPv6 is missing. */
	bool any_port;
};

/* Parses text into *out. Returns 0, or -1 with *error a static message
 * saying what is wrong ("port out of range", "path too long"...). */
int listen_addr_parse(const char *text, struct listen_addr *out,
		      const char **error);

/* The address as systemd writes it in an instance name or a status:
 * "/run/x.sock", "@name", "127.0.0.1:22", "[::1]:22". Always
 * NUL-terminated; a longer one is cut at size - 1 (for display only). */
void listen_addr_format(const struct sockaddr *sa, socklen_t len, char *buf,
			size_t size);

#endif
