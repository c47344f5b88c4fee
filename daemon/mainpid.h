/* mainpid: which process is a service's main one when svd did not fork
 * it itself: PIDFile=, the daemon a Type=forking ExecStart= left behind,
 * and the rules MAINPID= must pass. Reads /proc and the pid file; the
 * services are reached through their struct svc and the pid map. */
#ifndef SVD_MAINPID_H
#define SVD_MAINPID_H

#include <stdbool.h>
#include <sys/types.h>

#include "pidmap.h"
#include "svc.h"

/* Whether sid is the session of a service other than svc's (svd gives
 * each service a session of its own). */
typedef bool mainpid_session_fn(void *ctx, const struct svc *svc, pid_t sid);

/* Type=forking: the daemon svc's ExecStart= left, read from PIDFile= or,
 * without one, the one child of svd that no service owns (the daemon,
 * re-parented to svd, the subreaper, when its parent exited) and that is
 * in no other service's session. pids maps every known pid to its
 * service (svc->owner). Returns the pid, or 0 with why filled. */
pid_t mainpid_find(const struct svc *svc, const struct pidmap *pids,
		   mainpid_session_fn *other_session, void *ctx,
		   char *why, unsigned size);

/* Why pid may not become svc's main process, or NULL. Only a process of
 * the service's own (its session, or a child svd inherited from it) may:
 * never svd, never another service's, never one svd could not reap. */
const char *mainpid_refusal(const struct svc *svc, const struct pidmap *pids,
			    pid_t pid);

/* The parent and session of pid from /proc/PID/stat; -1 when gone. */
int mainpid_proc_ids(pid_t pid, pid_t *ppid, pid_t *sid);

#endif
