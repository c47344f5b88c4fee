#include "mainpid.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int mainpid_proc_ids(pid_t pid, pid_t *ppid, pid_t *sid)
{
	char path[64];
	FILE *f;
	int parent, session, r = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	/* The command name may hold blanks: parse after its ')'. */
	if (fscanf(f, "%*d (%*[^)]) %*c %d %*d %d", &parent, &session) == 2) {
		*ppid = parent;
		*sid = session;
		r = 0;
	}
	fclose(f);
	return r;
}

static pid_t parent_of(pid_t pid)
{
	pid_t ppid, sid;

	return mainpid_proc_ids(pid, &ppid, &sid) < 0 ? 0 : ppid;
}

/* PIDFile=: one number, the daemon's pid. */
static pid_t read_pid_file(const char *path, char *why, unsigned size)
{
	FILE *f = fopen(path, "re");
	long pid = 0;
	char extra;

	if (!f) {
		snprintf(why, size, "PIDFile=%s: %s", path, strerror(errno));
		return 0;
	}
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 1 || pid > INT32_MAX ||
	    fscanf(f, " %c", &extra) == 1) {
		snprintf(why, size, "PIDFile=%s: not a process id", path);
		pid = 0;
	}
	fclose(f);
	return (pid_t)pid;
}

/* A process left in the session of another service is that service's
 * (its own daemon, not yet read from its PIDFile=), not a candidate. */
static bool in_other_session(const struct svc *svc, pid_t pid,
			     mainpid_session_fn *other_session, void *ctx)
{
	pid_t ppid, sid;

	if (mainpid_proc_ids(pid, &ppid, &sid) < 0)
		return false;
	return other_session(ctx, svc, sid);
}

static pid_t guess(const struct svc *svc, const struct pidmap *pids,
		   mainpid_session_fn *other_session, void *ctx,
		   char *why, unsigned size)
{
	char path[64];
	FILE *f;
	int pid, found = 0, candidates = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	f = fopen(path, "re");
	if (!f) {
		snprintf(why, size, "%s: %s", path, strerror(errno));
		return 0;
	}
	while (fscanf(f, "%d", &pid) == 1)
		if (!pidmap_get(pids, pid) &&
		    !in_other_session(svc, pid, other_session, ctx)) {
			found = pid;
			candidates++;
		}
	fclose(f);
	if (candidates == 1)
		return found;
	snprintf(why, size, "no PIDFile=, and %d processes it may have left: "
		 "cannot tell which is the daemon", candidates);
	return 0;
}

pid_t mainpid_find(const struct svc *svc, const struct pidmap *pids,
		   mainpid_session_fn *other_session, void *ctx,
		   char *why, unsigned size)
{
	const char *refused;
	pid_t pid = svc->unit->pid_file ?
		    read_pid_file(svc->unit->pid_file, why, size) :
		    guess(svc, pids, other_session, ctx, why, size);

	if (!pid)
		return 0;
	/* Its own session, or svd's child: a daemon that double-forked
	 * and called setsid() qualifies as the latter. */
	refused = mainpid_refusal(svc, pids, pid);
	if (refused) {
		snprintf(why, size, "main pid %d: %s", (int)pid, refused);
		return 0;
	}
	return pid;
}

const char *mainpid_refusal(const struct svc *svc, const struct pidmap *pids,
			    pid_t pid)
{
	void *owner = pidmap_get(pids, pid);

	if (!svc_accepts_main_pid(svc))
		return "not while it is in this state";
	if (pid == svc->control_pid)
		return "that is its control process";
	if (pid == getpid())
		return "that is svd";
	if (owner && owner != svc->owner)
		return "it is another service's";
	if (kill(pid, 0) < 0)
		return "no such process";
	if (getsid(pid) != svc->pgid && parent_of(pid) != getpid())
		return "not a process of this service";
	return NULL;
}
