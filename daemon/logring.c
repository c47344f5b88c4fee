#include "logring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What precedes each line's text in the buffer. The seq is not stored: the
 * oldest line's is last_seq - count + 1, and each next one adds 1. */
struct logring_rec {
	uint64_t realtime_usec;
	uint32_t len;		/* text bytes, without the NUL */
	uint8_t stream;		/* an enum log_stream */
	int8_t priority;	/* 0..7 or LOG_PRIORITY_NONE: in the padding */
};

/* Every record starts aligned for its header, so headers are read in place. */
#define LOGRING_ALIGN_BYTES _Alignof(struct logring_rec)

const char *log_stream_name(enum log_stream stream)
{
	switch (stream) {
	case LOG_STREAM_STDOUT:
		return "stdout";
	case LOG_STREAM_STDERR:
		return "stderr";
	case LOG_STREAM_SVD:
		return "svd";
	case LOG_STREAM_SYSLOG:
		return "syslog";
	}
	return "?";
}

const char *log_priority_name(int priority)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info",
		"debug",
	};

	if (priority < 0 || priority > 7)
		return "?";
	return names[priority];
}

const char *log_line_label(enum log_stream stream, int priority)
{
	static const char *const syslog_labels[] = {
		"syslog/emerg", "syslog/alert", "syslog/crit", "syslog/err",
		"syslog/warning", "syslog/notice", "syslog/info", "syslog/debug",
	};

	if (stream == LOG_STREAM_SYSLOG && priority >= 0 && priority <= 7)
		return syslog_labels[priority];
	return log_stream_name(stream);
}

void logring_init(struct logring *ring, size_t max_bytes)
{
	*ring = (struct logring){ .max_bytes = max_bytes };
}

void logring_free(struct logring *ring)
{
	free(ring->buf);
	logring_init(ring, ring->max_bytes);
}

size_t logring_record_bytes(size_t len)
{
	const size_t fixed = sizeof(struct logring_rec) + 1 + LOGRING_ALIGN_BYTES - 1;

	if (len > SIZE_MAX - fixed)
		return SIZE_MAX;
	return (len + fixed) & ~(LOGRING_ALIGN_BYTES - 1);
}

static struct logring_rec *rec_at(const struct logring *ring, size_t off)
{
	return (struct logring_rec *)(ring->buf + off);
}

/* The offset of the record after the one at off, following the wrap. */
static size_t next_offset(const struct logring *ring, size_t off)
{
	off += logring_record_bytes(rec_at(ring, off)->len);
	if (ring->wrapped && off == ring->wrap_end)
		return 0;
	return off;
}

static void reset_positions(struct logring *ring)
{
	ring->head = ring->tail = ring->wrap_end = 0;
	ring->wrapped = false;
}

static void evict_oldest(struct logring *ring)
{
	size_t bytes = logring_record_bytes(rec_at(ring, ring->head)->len);

	ring->head = next_offset(ring, ring->head);
	if (ring->head == 0)	/* it passed wrap_end: the rest is [0, tail) */
		ring->wrapped = false;
	ring->used -= bytes;
	if (--ring->count == 0)
		reset_positions(ring);
}

/* Makes tail the place for a record of need bytes if there is free room
 * for it, wrapping to the buffer's start if that is where the room is.
 * Returns false, changing nothing, when only an eviction would make room. */
static bool place_free(struct logring *ring, size_t need)
{
	if (ring->wrapped)
		return ring->tail + need <= ring->head;
	if (ring->tail + need <= ring->cap)
		return true;
	if (ring->count == 0 || need > ring->head)
		return false;
	/* The top's leftover, [tail, cap), stays unused until the head
	 * passes it: a record never wraps, so its text is one pointer. */
	ring->wrap_end = ring->tail;
	ring->tail = 0;
	ring->wrapped = true;
	return true;
}

static size_t next_cap(const struct logring *ring, size_t need)
{
	size_t cap = ring->cap ? ring->cap : LOGRING_INITIAL_BYTES;

	if (ring->cap)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	while (cap < ring->used + need && cap <= SIZE_MAX / 2)
		cap *= 2;
	return cap < ring->max_bytes ? cap : ring->max_bytes;
}

/* Copies the records, oldest first, to the start of buf. */
static void copy_records(const struct logring *ring, char *buf)
{
	if (!ring->wrapped) {
		memcpy(buf, ring->buf + ring->head, ring->used);
		return;
	}
	memcpy(buf, ring->buf + ring->head, ring->wrap_end - ring->head);
	memcpy(buf + (ring->wrap_end - ring->head), ring->buf, ring->tail);
}

/* A new buffer rather than realloc: a wrapped ring has to be unrolled
 * anyway, and this happens a handful of times in a ring's life. */
static int grow(struct logring *ring, size_t need)
{
	size_t cap = next_cap(ring, need);
	char *buf = malloc(cap);

	if (!buf) {
		errno = ENOMEM;
		return -1;
	}
	if (ring->count)
		copy_records(ring, buf);
	free(ring->buf);
	ring->buf = buf;
	ring->cap = cap;
	reset_positions(ring);
	ring->tail = ring->used;
	return 0;
}

static void write_record(struct logring *ring, uint64_t realtime_usec,
			 enum log_stream stream, int priority, const char *text,
			 size_t len)
{
	struct logring_rec *rec = rec_at(ring, ring->tail);
	char *dst = (char *)(rec + 1);
	size_t bytes = logring_record_bytes(len);

	*rec = (struct logring_rec){
		.realtime_usec = realtime_usec,
		.len = (uint32_t)len,
		.stream = (uint8_t)stream,
		.priority = (int8_t)priority,
	};
	if (len)
		memcpy(dst, text, len);
	dst[len] = '\0';
	ring->tail += bytes;
	ring->used += bytes;
	ring->count++;
	ring->last_seq++;
}

int logring_push(struct logring *ring, uint64_t realtime_usec,
		 enum log_stream stream, const char *text, size_t len)
{
	return logring_push_priority(ring, realtime_usec, stream,
				     LOG_PRIORITY_NONE, text, len);
}

int logring_push_priority(struct logring *ring, uint64_t realtime_usec,
			  enum log_stream stream, int priority,
			  const char *text, size_t len)
{
	size_t need = logring_record_bytes(len);

	if ((unsigned)stream > LOG_STREAM_SYSLOG ||
	    priority < LOG_PRIORITY_NONE || priority > 7) {
		errno = EINVAL;
		return -1;
	}
	if (len != (uint32_t)len || need > ring->max_bytes) {
		errno = EMSGSIZE;
		return -1;
	}
	/* Grow before evicting anything: lines are only lost once the ring
	 * has reached max_bytes. */
	if (!place_free(ring, need)) {
		if (ring->cap < ring->max_bytes && grow(ring, need) < 0)
			return -1;
		while (!place_free(ring, need))
			evict_oldest(ring);
	}
	write_record(ring, realtime_usec, stream, priority, text, len);
	return 0;
}

size_t logring_count(const struct logring *ring)
{
	return ring->count;
}

uint64_t logring_last_seq(const struct logring *ring)
{
	return ring->last_seq;
}

size_t logring_allocated(const struct logring *ring)
{
	return ring->cap;
}

void logring_tail(const struct logring *ring, size_t n, logring_line_fn *fn,
		  void *ctx)
{
	size_t skip = ring->count > n ? ring->count - n : 0;
	size_t off = ring->head;
	uint64_t seq = ring->last_seq - ring->count + 1;

	for (size_t i = 0; i < ring->count; i++, seq++) {
		const struct logring_rec *rec = rec_at(ring, off);

		if (i >= skip)
			fn(ctx, &(struct logring_line){
				.seq = seq,
				.realtime_usec = rec->realtime_usec,
				.stream = (enum log_stream)rec->stream,
				.priority = rec->priority,
				.text = (const char *)(rec + 1),
				.len = rec->len,
			});
		off = next_offset(ring, off);
	}
}

void logring_set_last_seq(struct logring *ring, uint64_t seq)
{
	ring->last_seq = seq;
}
