/* adopt: the running file, and the services taken over from it
 * (adopt.h). */
#include "adopt.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "svc.h"

unsigned long long adopt_parse_starttime(const char *text)
{
	/* The command name (field 2) may hold spaces and parentheses:
	 * the fields count from after its last ')'. */
	const char *p = strrchr(text, ')');
	unsigned long long v;
	char *end;

	if (!p)
		return 0;
	p++;
	/* Fields 3..21 come first. */
	for (int field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return 0;
		if (field == 22)
			break;
		p += strcspn(p, " ");
	}
	errno = 0;
	v = strtoull(p, &end, 10);
	return errno || end == p ? 0 : v;
}

static unsigned long long starttime_of(pid_t pid)
{
	char path[40], buf[1024];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return adopt_parse_starttime(buf);
}

/* --- writing --- */

static void write_entry(FILE *f, const struct service *s)
{
	const struct svc *svc = &s->svc;
	unsigned long long start = starttime_of(svc->main_pid);
	const char *cg = s->cgroup.path;

	/* A path with a space cannot be said in this format: none there. */
	if (!start)
		return;
	fprintf(f, "%s %d %llu %d %s\n", svc->name, (int)svc->main_pid, start,
		(int)(svc->pgid ? svc->pgid : svc->main_pid),
		cg && !strpbrk(cg, " \n") ? cg : "-");
}

static int write_now(struct adopt *a)
{
	char *tmp;
	FILE *f;
	int r = 0;

	if (asprintf(&tmp, "%s.tmp", a->path) < 0)
		return -1;
	f = fopen(tmp, "we");
	if (!f) {
		free(tmp);
		return -1;
	}
	fprintf(f, "%s\n", ADOPT_MAGIC);
	for (const struct service *s = manager_first(a->mgr); s; s = s->next)
		if (s->svc.main_pid > 0 && !s->transient)
			write_entry(f, s);
	if (fflush(f) != 0 || ferror(f))
		r = -1;
	if (fclose(f) != 0)
		r = -1;
	/* Whole or not at all: the next svd reads either file. */
	if (r == 0 && rename(tmp, a->path) < 0)
		r = -1;
	if (r < 0) {
		int err = errno;

		unlink(tmp);
		errno = err;
	}
	free(tmp);
	return r;
}

static void write_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct adopt *a = w->data;

	a->dirty = false;
	if (write_now(a) == 0) {
		a->warned = false;
		return;
	}
	/* Said once per episode: it is tried again at the next change. */
	if (!a->warned)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "writing %s (what a "
			  "new svd adopts should this one die)", a->path);
	a->warned = true;
}

void adopt_init(struct adopt *a, struct ev_loop *loop, struct manager *mgr,
		const char *state_dir, bool on)
{
	*a = (struct adopt){ .loop = loop, .mgr = mgr };
	ev_init(&a->write, write_cb);
	a->write.data = a;
	if (on && asprintf(&a->path, "%s/%s", state_dir, ADOPT_FILE_NAME) < 0)
		a->path = NULL;
}

bool adopt_file_exists(const char *state_dir)
{
	char *path;
	bool there;

	if (asprintf(&path, "%s/%s", state_dir, ADOPT_FILE_NAME) < 0)
		return false;
	there = access(path, F_OK) == 0;
	free(path);
	return there;
}

void adopt_changed(struct adopt *a)
{
	if (!a->path || a->dirty)
		return;
	a->dirty = true;
	ev_timer_set(&a->write, ADOPT_WRITE_DELAY_SEC, 0.);
	ev_timer_start(a->loop, &a->write);
}

void adopt_free(struct adopt *a)
{
	if (!a->path)
		return;
	ev_timer_stop(a->loop, &a->write);
	if (unlink(a->path) < 0 && errno != ENOENT)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "removing %s", a->path);
	free(a->path);
	a->path = NULL;
}

/* --- taking over --- */

struct entry {
	char name[256];
	int pid, pgid;
	unsigned long long start;
	char cgroup[4096];
};

static bool parse_entry(const char *line, struct entry *e)
{
	int n = 0;

	if (sscanf(line, "%255s %d %llu %d %4095s%n", e->name, &e->pid, &e->start,
		   &e->pgid, e->cgroup, &n) != 5 || line[n] != '\0')
		return false;
	return e->pid > 1 && e->pgid > 0 && e->start > 0;
}

/* The process the entry names, if it is still the same one; else the
 * first process of its cgroup, if one is left. 0: nothing runs. */
static pid_t live_pid(struct service *s, const struct entry *e)
{
	pid_t *pids, pid = 0;
	size_t n = 0;

	if (starttime_of(e->pid) == e->start)
		return e->pid;
	if (strcmp(e->cgroup, "-") == 0 || service_cgroup_reopen(s) < 0 ||
	    !s->cgroup.path || strcmp(s->cgroup.path, e->cgroup) != 0)
		return 0;
	pids = cgroup_unit_pids(&s->cgroup, &n);
	if (pids && n)
		pid = pids[0];
	free(pids);
	return pid;
}

static bool adopt_one(struct adopt *a, const struct entry *e)
{
	const char *error = NULL;
	struct service *s = manager_find(a->mgr, e->name, &error);
	struct svc *svc;
	char why[200];
	pid_t pid;

	if (!s || s->load != SERVICE_LOADED || !s->svc.unit ||
	    s->svc.state != SVC_INACTIVE || s->svc.unit->type == UNIT_TYPE_ONESHOT)
		return false;
	svc = &s->svc;
	if (!(pid = live_pid(s, e)))
		return false;
	svc->main_pid = pid;
	svc->pgid = pid == e->pid ? e->pgid : pid;
	svc->adopted = true;
	svc->n_started++;
	snprintf(why, sizeof(why), "pid %d was running when svd started; "
		 "its output is not captured", (int)pid);
	svc_restore_state(svc, SVC_RUNNING, SVC_CAUSE_ADOPTED, 0, 0, ev_time(), -1);
	free(svc->cause_text);
	svc->cause_text = strdup(why);
	svc->running_since = ev_now(a->loop);
	service_count_restored(s);
	if (pidmap_put(&s->env->pids, pid, s) < 0)
		log_errno(LOG_LEVEL_WARNING, svc->name, errno, "remembering pid %d",
			  (int)pid);
	service_watch_pidfd(s);
	service_cgroup_reopen(s);
	logs_service_note(&s->logs, "adopted: %s", why);
	log_info(svc->name, "adopted: %s", why);
	return true;
}

unsigned adopt_take_over(struct adopt *a)
{
	char *line = NULL;
	size_t cap = 0, n = 0;
	unsigned adopted = 0;
	FILE *f;

	if (!a->path || !(f = fopen(a->path, "re")))
		return 0;
	if (getline(&line, &cap, f) < 0 || strcmp(line, ADOPT_MAGIC "\n") != 0) {
		log_warning(NULL, "%s: not a file svd wrote (no '%s'): ignored",
			    a->path, ADOPT_MAGIC);
		goto out;
	}
	while (getline(&line, &cap, f) > 0) {
		struct entry e;

		line[strcspn(line, "\n")] = '\0';
		if (++n > ADOPT_ENTRIES_MAX) {
			log_warning(NULL, "%s: more than %d lines: the rest ignored",
				    a->path, ADOPT_ENTRIES_MAX);
			break;
		}
		if (!parse_entry(line, &e)) {
			log_warning(NULL, "%s:%zu: not NAME PID STARTTIME PGID "
				    "CGROUP: ignored", a->path, n + 1);
			continue;
		}
		adopted += adopt_one(a, &e);
	}
	if (adopted)
		log_warning(NULL, "%u services found running from a previous "
			    "svd: adopted, not started again", adopted);
out:
	free(line);
	fclose(f);
	adopt_changed(a);
	return adopted;
}
