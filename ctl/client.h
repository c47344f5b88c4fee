/* client: svctl's side of the control protocol. */
#ifndef SVCTL_CLIENT_H
#define SVCTL_CLIENT_H

#include <stdbool.h>

#include "proto.h"

/* svctl's exit codes, as systemctl's (design.md). */
enum svctl_exit {
	SVCTL_EXIT_OK = 0,
	SVCTL_EXIT_FAILED = 1,
	SVCTL_EXIT_USAGE = 2,
	SVCTL_EXIT_INACTIVE = 3,
	SVCTL_EXIT_NO_UNIT = 4,
	SVCTL_EXIT_UNREACHABLE = 5,
	/* svd refused the request (code=permission-denied), or the socket's
	 * mode let svctl not even connect: svctl's own, systemctl has none
	 * (LSB's 4 is taken by "no such unit") */
	SVCTL_EXIT_DENIED = 6,
};

/* Returns a connected fd, or after printing why the negated exit code:
 * -SVCTL_EXIT_UNREACHABLE, or -SVCTL_EXIT_DENIED when the socket's
 * permissions keep this user out (with how to get in). */
int client_connect(const char *path);

/* Called for each reply message before the final one, and for the final
 * one (status=...) with last set. */
typedef void client_reply_fn(void *ctx, const struct proto_msg *reply,
			     int last);

/* Sends one request (verb plus unit=, if unit is not NULL) and reads the
 * replies. Returns the svctl exit code the outcome maps to; prints the
 * error of a failed request to stderr. */
int client_call(int fd, const char *verb, const char *unit,
		client_reply_fn *on_reply, void *ctx);
/* The same with more fields: extra is "key", "value", ..., NULL. */
int client_call_with(int fd, const char *verb, const char *unit,
		     const char *const *extra, client_reply_fn *on_reply,
		     void *ctx);
/* Whether "no such unit" is printed (is-active, is-failed, is-enabled
 * say it as a state of their own). */
void client_quiet_errors(bool quiet);
/* svd refused the connection (code=busy: too many clients, out of fds)
 * and closed it: another request on it would fail with no reason. */
bool client_refused(void);
/* The request ended with code=reexec: svd execs itself anew (svctl
 * daemon-reexec); the same request may be made again on a new
 * connection, which client_reconnect() opens. */
bool client_reexecuted(void);
int client_reconnect(const char *path);

#endif
