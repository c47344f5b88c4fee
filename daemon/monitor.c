#include "monitor.h"

#include <stdlib.h>

#include "props.h"
#include "vocab.h"

struct monitor_sub {
	struct monitor_sub *prev, *next;
	struct ctl_client *client;
	struct monitor_sub **slot;	/* the handler's pointer to it */
	unsigned long dropped;		/* events it did not get, untold */
};

int monitor_subscribe(struct monitor *m, struct ctl_client *client,
		      struct monitor_sub **slot)
{
	struct monitor_sub *sub = calloc(1, sizeof(*sub));

	if (!sub) {
		control_fail(client, "monitor: out of memory");
		return -1;
	}
	*sub = (struct monitor_sub){ .client = client, .slot = slot,
				     .next = m->first };
	if (m->first)
		m->first->prev = sub;
	m->first = sub;
	*slot = sub;
	return 0;
}

void monitor_unsubscribe(struct monitor *m, struct monitor_sub **slot)
{
	struct monitor_sub *sub = *slot;

	if (!sub)
		return;
	if (sub->prev)
		sub->prev->next = sub->next;
	else
		m->first = sub->next;
	if (sub->next)
		sub->next->prev = sub->prev;
	*slot = NULL;
	free(sub);
}

/* The event's properties, as status names them. */
static const enum vocab_prop_id event_props[] = {
	VOCAB_PROP_ID, VOCAB_PROP_STATE, VOCAB_PROP_ACTIVE_STATE,
	VOCAB_PROP_SUB_STATE, VOCAB_PROP_STATE_CAUSE,
	VOCAB_PROP_STATE_CAUSE_TEXT, VOCAB_PROP_STATE_CHANGE_TIMESTAMP,
	VOCAB_PROP_MAIN_PID,
};

static const enum vocab_prop_id exit_props[] = {
	VOCAB_PROP_EXEC_MAIN_CODE, VOCAB_PROP_EXEC_MAIN_STATUS,
};

static void encode(struct proto_buf *buf, const struct service *service,
		   enum svc_state old)
{
	enum svc_cause cause = service->svc.cause;

	proto_begin(buf, NULL);
	props_put_some(buf, service, event_props,
		       sizeof(event_props) / sizeof(event_props[0]));
	proto_put(buf, "OldState", svc_state_name(old));
	/* The exit status only with the change it caused: a start does
	 * not repeat the last run's. */
	if (cause == SVC_CAUSE_EXITED || cause == SVC_CAUSE_KILLED)
		props_put_some(buf, service, exit_props,
			       sizeof(exit_props) / sizeof(exit_props[0]));
}

static void send_dropped(struct monitor_sub *sub, struct proto_buf *buf,
			 const struct service *service)
{
	proto_begin(buf, NULL);
	proto_putf(buf, "EventsDropped", "%lu", sub->dropped);
	props_put_some(buf, service,
		       &(enum vocab_prop_id){ VOCAB_PROP_STATE_CHANGE_TIMESTAMP }, 1);
	control_send(sub->client, buf);
	sub->dropped = 0;
}

void monitor_publish(struct monitor *m, const struct service *service,
		     enum svc_state old)
{
	struct proto_buf *buf;

	if (!m->first)
		return;
	/* A message buffer is too large for the stack of PID 1's loop. */
	buf = malloc(sizeof(*buf));
	if (!buf) {
		for (struct monitor_sub *sub = m->first; sub; sub = sub->next)
			sub->dropped++;
		return;
	}
	for (struct monitor_sub *sub = m->first; sub; sub = sub->next) {
		if (sub->client->out_bytes >= MONITOR_QUEUE_BYTES) {
			sub->dropped++;
			continue;
		}
		if (sub->dropped)
			send_dropped(sub, buf, service);
		encode(buf, service, old);
		control_send(sub->client, buf);
	}
	free(buf);
}
