/* tmpfiles_cmd: `svctl tmpfiles --create [--remove] [--boot] [FILE...]`.
 *
 * The work is proportional to the trees it touches (R, Z, C), so svd
 * does none of it in its loop: it runs itself as a helper
 * (`svd --tmpfiles`, tmpfiles_run.h) and relays each line of its output
 * to the client as it comes (TmpfilesError=, TmpfilesWarning=) and to
 * its own log; the final reply is status=ok, or status=error naming how
 * many lines failed. One run at a time: another request meanwhile is
 * refused. */
#ifndef SVD_TMPFILES_CMD_H
#define SVD_TMPFILES_CMD_H

#include <ev.h>
#include <stdbool.h>
#include <sys/types.h>

#include "control.h"

/* The longest message line relayed whole; a longer one is cut, saying so. */
#define TMPFILES_CMD_LINE_MAX_BYTES 8192
/* Messages relayed to one client; the rest are only in svd's log (and
 * counted in the final reply). */
#define TMPFILES_CMD_MESSAGES_MAX 1000

struct tmpfiles_cmd {
	struct ev_loop *loop;
	char *config_path;	/* svd's -c, absolute, for the helper */
	pid_t pid;			/* the helper, or 0 */
	int fd;				/* its output, or -1 */
	ev_io io;
	struct ctl_client *client;	/* who asked; NULL once gone */
	bool exited;			/* pid reaped, status in wstatus */
	int wstatus;
	char line[TMPFILES_CMD_LINE_MAX_BYTES + 1];
	size_t len;
	bool cut;			/* the line so far went past the max */
	unsigned n_sent;		/* messages relayed */
	unsigned n_held;		/* messages past TMPFILES_CMD_MESSAGES_MAX */
};

void tmpfiles_cmd_init(struct tmpfiles_cmd *t, struct ev_loop *loop,
		       const char *config_path);
/* The request: create=1, remove=1, boot=1, file=PATH (repeated). It is
 * answered when the helper is done (control_done then). */
void tmpfiles_cmd_handle(struct tmpfiles_cmd *t, struct ctl_client *client,
			 const struct proto_msg *request);
/* From the reaper: true when pid was the helper. */
bool tmpfiles_cmd_child_exited(struct tmpfiles_cmd *t, pid_t pid, int wstatus);
/* The client went away: the run goes on, told to the log only. */
void tmpfiles_cmd_client_gone(struct tmpfiles_cmd *t, struct ctl_client *client);
void tmpfiles_cmd_free(struct tmpfiles_cmd *t);

#endif
