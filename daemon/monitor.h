/* monitor: `svctl monitor`, a subscription to every state change of
 * every unit, sent as it happens, one message an event (the unit, its
 * phase before and after, ActiveState/SubState, the cause, the time, the
 * main pid, the exit status of an end).
 *
 * A subscriber never slows svd: an event only queues a message (control
 * writes without blocking), and a subscriber whose queue holds
 * MONITOR_QUEUE_BYTES loses events, counted, and is told how many in
 * the next message it gets (EventsDropped=). As `logs -f` followers. */
#ifndef SVD_MONITOR_H
#define SVD_MONITOR_H

#include "control.h"
#include "manager.h"
#include "svc.h"

/* Replies queued for a subscriber before its events are dropped. */
#define MONITOR_QUEUE_BYTES ((size_t)128 * 1024)

struct monitor_sub;

struct monitor {
	struct monitor_sub *first;	/* every subscriber */
};

/* The monitor request: events from now on, until the client goes. A
 * subscriber stores itself in *slot. -1 after failing the request. */
int monitor_subscribe(struct monitor *monitor, struct ctl_client *client,
		      struct monitor_sub **slot);
/* The client went away: its subscription, if any, ends. */
void monitor_unsubscribe(struct monitor *monitor, struct monitor_sub **slot);
/* service went from old to its state now: every subscriber hears it. */
void monitor_publish(struct monitor *monitor, const struct service *service,
		     enum svc_state old);

#endif
