/* logs_cmd: the control requests about services' output: the recent
 * lines in `svctl status`, and `svctl logs NAME [-n N] [-f]`, whose
 * followers get new lines as they come without ever slowing svd: a
 * follower that does not read loses lines (counted, and told how many)
 * rather than making svd wait or buffer without end. */
#ifndef SVD_LOGS_CMD_H
#define SVD_LOGS_CMD_H

#include "control.h"
#include "manager.h"

/* Lines `svctl status` shows. */
#define LOGS_CMD_STATUS_LINES 10
/* Replies queued for a follower before its lines are dropped. */
#define LOGS_CMD_FOLLOW_QUEUE_BYTES ((size_t)1024 * 1024)

/* Adds the last lines (as many of LOGS_CMD_STATUS_LINES as fit in the
 * message) and the dropped-line count to a status reply. */
void logs_cmd_put_status(struct proto_buf *buf, const struct service *service);
/* A `logs -f` under way, kept by the handler for its client. */
struct logs_cmd_follow;

/* The logs request: lines=N (default all kept), follow=1. A follow
 * stores itself in *follow, which it sets back to NULL when it ends on
 * its own (the service went away). */
void logs_cmd_handle(struct ctl_client *client, struct service *service,
		     const struct proto_msg *request,
		     struct logs_cmd_follow **follow);
/* The client went away: its follow, if any, ends. */
void logs_cmd_unfollow(struct logs_cmd_follow **follow);

#endif
