/* sockets: what an open socket unit starts (systemd.socket(5)): with
 * Accept=no its service, on the first traffic while that service is
 * down; with Accept=yes one instance of NAME@.service per connection, up
 * to MaxConnections=. The socket is watched only while it may start
 * something; TriggerLimitBurst= within TriggerLimitIntervalSec= stops a
 * socket whose service never takes its traffic. */
#ifndef SVD_SOCKETS_H
#define SVD_SOCKETS_H

struct manager;
struct service;

/* Wires the manager's services to it (service_env's hooks). */
void sockets_init(struct manager *mgr);
/* After a change of any service: every open socket's watch is brought in
 * line with its service (a walk over the open sockets only). */
void sockets_react(struct manager *mgr);

#endif
