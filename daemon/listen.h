/* listen: the sockets and FIFOs of a .socket unit, as systemd.socket(5)
 * makes them: parents of a path made with DirectoryMode=, a stale socket
 * file replaced, the node made with SocketMode= and owned by
 * SocketUser=/SocketGroup=, the socket options set, bound and listening.
 * Every fd is close-on-exec; the service gets its copies at spawn. */
#ifndef SVD_LISTEN_H
#define SVD_LISTEN_H

#include <stddef.h>

#include "unit.h"

/* Opens one fd per Listen*= of unit->socket, in order, into *fds (n is
 * unit->socket->n_listen). Returns 0, or -1 with errno and why naming
 * the setting and the call that failed ("ListenStream=80: bind: Address
 * already in use"); nothing stays open then. */
int listen_open(const struct unit *unit, int **fds, char *why, size_t size);

/* Closes them; with RemoveOnStop=, removes the paths and Symlinks=. */
void listen_close(const struct unit *unit, int *fds, size_t n);

#endif
