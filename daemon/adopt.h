/* adopt: what a server-mode svd leaves for the next one should it die.
 *
 * svd keeps STATE_DIR/running, a small text file of the main processes
 * of its services ("NAME PID STARTTIME PGID CGROUP" a line; STARTTIME
 * is field 22 of /proc/PID/stat, so a reused pid is told apart; CGROUP
 * is "-" without one), written whole to a temporary file and renamed
 * over. It is written from the loop at most once per
 * ADOPT_WRITE_DELAY_SEC while something changed, never at each
 * transition: a start costs nothing here, whatever the number of units.
 *
 * An svd that starts (not re-executed, not init, not a container) and
 * finds the file adopts each service whose process still runs (same
 * pid and start time, or its cgroup still populated) instead of
 * starting a copy: running, with a cause that says so, its end watched
 * through a pidfd (it is not svd's child: its exit status is unknown,
 * and said so), stopped as usual. Its output is not captured: the pipes
 * it writes to died with the old svd. */
#ifndef SVD_ADOPT_H
#define SVD_ADOPT_H

#include <ev.h>
#include <stdbool.h>

#include "manager.h"

#define ADOPT_FILE_NAME "running"
#define ADOPT_MAGIC "svd-running 1"
#define ADOPT_WRITE_DELAY_SEC 0.5
/* Lines read from the file; more are ignored, said once. */
#define ADOPT_ENTRIES_MAX 100000

struct adopt {
	struct ev_loop *loop;
	struct manager *mgr;
	char *path;		/* STATE_DIR/running; NULL: off */
	ev_timer write;		/* the coalesced write */
	bool dirty;
	bool warned;		/* a write failed and was said */
};

/* on: server mode. Nothing is read or written otherwise. */
void adopt_init(struct adopt *a, struct ev_loop *loop, struct manager *mgr,
		const char *state_dir, bool on);
/* Something changed: the file is written within ADOPT_WRITE_DELAY_SEC. */
void adopt_changed(struct adopt *a);
/* At start, units loaded, before the boot's starts: adopts what the
 * file names and still runs. Returns how many were adopted. */
unsigned adopt_take_over(struct adopt *a);
/* Whether a previous svd left the file (it did not stop cleanly). */
bool adopt_file_exists(const char *state_dir);
/* A clean end: nothing runs, the file goes. */
void adopt_free(struct adopt *a);

/* Field 22 of /proc/PID/stat (the start time in clock ticks since
 * boot), from its text; 0 when it cannot be read. */
unsigned long long adopt_parse_starttime(const char *stat_text);

#endif
