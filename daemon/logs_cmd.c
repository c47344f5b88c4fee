#include "logs_cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* One line as reply fields: LogTime=, LogStream=, LogText=. */
static int put_line(struct proto_buf *buf, const struct logring_line *line)
{
	size_t start = buf->len, start_fields = buf->n_fields;
	char stamp[40];

	logs_format_time(line->realtime_usec, stamp, sizeof(stamp));
	if (proto_put(buf, "LogTime", stamp) == 0 &&
	    proto_put(buf, "LogStream", log_line_label(line->stream,
							 line->priority)) == 0 &&
	    proto_put(buf, "LogText", line->text) == 0)
		return 0;
	buf->len = start;	/* never half a line */
	buf->n_fields = start_fields;
	return -1;
}

static size_t line_size(const struct logring_line *line)
{
	return proto_field_size("LogTime", "2026-11-23T10:00:00.000000Z") +
	       proto_field_size("LogStream", log_line_label(line->stream,
							       line->priority)) +
	       proto_field_size("LogText", line->text);
}

/* For status: the newest lines that fit, oldest first. */
struct status_tail {
	struct proto_buf *buf;
	size_t sizes[LOGS_CMD_STATUS_LINES];
	size_t n_seen, skip;
};

static void measure_line(void *ctx, const struct logring_line *line)
{
	struct status_tail *tail = ctx;

	tail->sizes[tail->n_seen++] = line_size(line);
}

static void put_status_line(void *ctx, const struct logring_line *line)
{
	struct status_tail *tail = ctx;

	if (tail->skip > 0)
		tail->skip--;
	else
		put_line(tail->buf, line);
}

void logs_cmd_put_status(struct proto_buf *buf, const struct service *service)
{
	const struct logs_service *ls = &service->logs;
	struct status_tail tail = { .buf = buf };
	size_t room = PROTO_MSG_MAX_BYTES - buf->len - 256; /* status=ok... */
	size_t field_room = PROTO_FIELDS_MAX - buf->n_fields - 4;
	size_t n;

	proto_putf(buf, "LogDroppedLines", "%lu", ls->dropped);
	logring_tail(&ls->ring, LOGS_CMD_STATUS_LINES, measure_line, &tail);
	/* From the newest back, while they fit. */
	for (n = 0; n < tail.n_seen; n++) {
		size_t size = tail.sizes[tail.n_seen - 1 - n];

		if (size > room || field_room < 3 || buf->n_fields + 4 > PROTO_FIELDS_MAX)
			break;
		room -= size;
		field_room -= 3;
	}
	tail.skip = tail.n_seen - n;
	logring_tail(&ls->ring, LOGS_CMD_STATUS_LINES, put_status_line, &tail);
}

/* A `logs` request being answered or followed. */
struct logs_cmd_follow {
	struct logs_follower follower;
	struct ctl_client *client;
	struct logs_cmd_follow **slot;	/* the handler's pointer to it */
	struct service *service;
	struct proto_buf buf;	/* lines not sent yet */
	unsigned long dropped;	/* lines the follower did not get */
};

static void follow_send(struct logs_cmd_follow *f)
{
	if (f->buf.len == 0)
		return;
	control_send(f->client, &f->buf);
	proto_begin(&f->buf, NULL);
}

/* A follower that lets its replies pile up loses lines, counted. */
static bool follow_has_room(const struct logs_cmd_follow *f)
{
	return f->client->out_bytes < LOGS_CMD_FOLLOW_QUEUE_BYTES;
}

static void follow_line(void *ctx, const struct logring_line *line)
{
	struct logs_cmd_follow *f = ctx;

	if (!follow_has_room(f)) {
		f->dropped++;
		return;
	}
	if (f->dropped && f->buf.len == 0) {
		if (proto_putf(&f->buf, "LogDroppedLines", "%lu", f->dropped) == 0)
			f->dropped = 0;
	}
	if (put_line(&f->buf, line) == 0)
		return;
	follow_send(f);
	if (put_line(&f->buf, line) < 0)
		f->dropped++;	/* cannot be: a line is far below a message */
}

static void follow_flush(void *ctx)
{
	follow_send(ctx);
}


/* The service is going away (daemon-reload dropped it): the follow ends
 * as a request that is done. */
static void follow_end(void *ctx)
{
	struct logs_cmd_follow *f = ctx;
	struct ctl_client *client = f->client;

	follow_send(f);
	*f->slot = NULL;
	free(f);
	control_ok(client);
}

/* The history goes out at once, so it is bounded like a follower's
 * queue: past the bound, the oldest lines are left out, and said so. */
struct history {
	struct logs_cmd_follow *f;
	size_t total;		/* bytes of the lines asked for */
	size_t skipped;
};

static void measure_history(void *ctx, const struct logring_line *line)
{
	struct history *h = ctx;

	h->total += line_size(line);
}

static void put_history_line(void *ctx, const struct logring_line *line)
{
	struct history *h = ctx;
	struct logs_cmd_follow *f = h->f;

	if (h->total > LOGS_CMD_FOLLOW_QUEUE_BYTES) {
		h->total -= line_size(line);
		h->skipped++;
		return;
	}
	if (h->skipped && f->buf.len == 0) {
		proto_putf(&f->buf, "LogSkippedLines", "%zu", h->skipped);
		h->skipped = 0;
	}
	if (put_line(&f->buf, line) == 0)
		return;
	follow_send(f);
	put_line(&f->buf, line);
}

static int parse_lines(const char *text, size_t *lines)
{
	char *end;
	unsigned long long n;

	if (!text) {
		*lines = (size_t)-1;
		return 0;
	}
	errno = 0;
	n = strtoull(text, &end, 10);
	if (*text < '0' || *text > '9' || *end || errno)
		return -1;
	*lines = (size_t)n;
	return 0;
}

void logs_cmd_handle(struct ctl_client *client, struct service *service,
		     const struct proto_msg *request,
		     struct logs_cmd_follow **slot)
{
	const char *follow_text = proto_get(request, "follow");
	bool follow = follow_text && strcmp(follow_text, "1") == 0;
	struct history history = { 0 };
	struct logs_cmd_follow *f;
	size_t lines;

	if (parse_lines(proto_get(request, "lines"), &lines) < 0) {
		control_fail_code(client, "usage", "logs: lines=%s: expected a "
				  "number", proto_get(request, "lines"));
		return;
	}
	if (!(f = calloc(1, sizeof(*f)))) {
		control_fail(client, "logs: out of memory");
		return;
	}
	*f = (struct logs_cmd_follow){ .client = client, .service = service,
				       .slot = slot };
	history.f = f;
	proto_begin(&f->buf, NULL);
	logring_tail(&service->logs.ring, lines, measure_history, &history);
	logring_tail(&service->logs.ring, lines, put_history_line, &history);
	follow_send(f);
	if (!follow) {
		free(f);
		control_ok(client);
		return;
	}
	f->follower = (struct logs_follower){ .on_line = follow_line,
					      .on_flush = follow_flush,
					      .on_end = follow_end, .ctx = f };
	logs_service_follow(&service->logs, &f->follower);
	*slot = f;
}

void logs_cmd_unfollow(struct logs_cmd_follow **slot)
{
	struct logs_cmd_follow *f = *slot;

	if (!f)
		return;
	logs_service_unfollow(&f->service->logs, &f->follower);
	/* Its last follower gone, an instance may be unused. */
	service_look_unused(f->service);
	*slot = NULL;
	free(f);
}
