/* logring: the last lines a service printed, kept in memory so that
 * `svctl status` and a failure report can show them without a log file.
 *
 * svd supervises thousands of services on a budget of about 2 KiB each, so
 * a ring allocates nothing until its first line, then grows by doubling
 * from LOGRING_INITIAL_BYTES up to its max_bytes, and from then on evicts
 * the oldest lines. Lines are stored as contiguous records (a record never
 * wraps around the buffer's end), so a reader gets a pointer to the text
 * instead of a copy, and a push is one memcpy with no malloc of its own:
 * a service printing 100 MB goes through here line by line. */
#ifndef SVD_LOGRING_H
#define SVD_LOGRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A ring's first allocation; each growth doubles it, up to max_bytes. */
#define LOGRING_INITIAL_BYTES 128

enum log_stream {
	LOG_STREAM_STDOUT,	/* the service's standard output */
	LOG_STREAM_STDERR,	/* the service's standard error */
	LOG_STREAM_SVD,		/* svd's own notes about the service */
	LOG_STREAM_SYSLOG,	/* what it sent to svd's syslog socket (devlog.h) */
};

/* A line's priority when it has none: only syslog lines carry one. */
#define LOG_PRIORITY_NONE (-1)

/* "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"
 * for a syslog severity 0..7 (syslog.h's LOG_EMERG..LOG_DEBUG, the names
 * journalctl -p takes); "?" for any other value. */
const char *log_priority_name(int priority);
/* How a line is labelled in files and replies: its stream's name, and
 * for a syslog line its priority too, "syslog/err". */
const char *log_line_label(enum log_stream stream, int priority);

/* "stdout", "stderr", "svd", "syslog"; "?" for a value outside the enum. */
const char *log_stream_name(enum log_stream stream);

struct logring_line {
	uint64_t seq;		/* 1 for a ring's first line, then +1 per line */
	uint64_t realtime_usec;	/* wall clock when read, for display only */
	enum log_stream stream;
	int priority;		/* syslog severity 0..7, or LOG_PRIORITY_NONE */
	const char *text;	/* NUL-terminated; valid only during the callback */
	size_t len;		/* bytes of text, without the NUL */
};

/* Records lie in [head, tail), or, once the writer has wrapped to the
 * start, in [head, wrap_end) and then [0, tail). Fields are private to
 * logring.c; they are here so a ring can be embedded, not allocated. */
struct logring {
	char *buf;		/* NULL until the first push */
	size_t cap;		/* bytes allocated: 0, or LOGRING_INITIAL_BYTES
				 * doubled, at most max_bytes */
	size_t max_bytes;	/* the most cap may grow to */
	size_t head;		/* offset of the oldest record */
	size_t tail;		/* offset just past the newest record */
	size_t wrap_end;	/* when wrapped: end of the records at the top */
	size_t used;		/* bytes of records held, padding included */
	size_t count;		/* lines held */
	uint64_t last_seq;	/* seq of the newest line, 0 if none yet */
	bool wrapped;		/* the records run over the buffer's end */
};

/* Allocates nothing: a service that never prints costs sizeof(*ring). */
void logring_init(struct logring *ring, size_t max_bytes);
/* Back to the just-initialised state (same max_bytes, seq from 1). */
void logring_free(struct logring *ring);

/* The bytes a line of len bytes takes in a ring: header, text, NUL and
 * alignment. SIZE_MAX if that does not fit in a size_t. */
size_t logring_record_bytes(size_t len);

/* Copies the line (which has no newline; it may hold any byte but NUL),
 * evicting the oldest lines as needed. Returns 0, or -1 with errno:
 * EMSGSIZE when the record could never fit in max_bytes (callers split
 * lines far below the ring size, so this guards against a bug), ENOMEM
 * when growing failed (the line is dropped, the ring stays as it was),
 * EINVAL for a stream outside the enum. text may be NULL when len is 0. */
int logring_push(struct logring *ring, uint64_t realtime_usec,
		 enum log_stream stream, const char *text, size_t len);
/* The same with a syslog severity (0..7, or LOG_PRIORITY_NONE); EINVAL
 * for any other value. */
int logring_push_priority(struct logring *ring, uint64_t realtime_usec,
			  enum log_stream stream, int priority,
			  const char *text, size_t len);

/* Lines held. */
size_t logring_count(const struct logring *ring);
/* seq of the newest line ever pushed, 0 when nothing was pushed. */
uint64_t logring_last_seq(const struct logring *ring);
/* The next push gets seq + 1: a re-exec's ring goes on with the numbers
 * the old svd gave, so a follower's place is still right. */
void logring_set_last_seq(struct logring *ring, uint64_t seq);
/* Bytes allocated, for memory accounting and tests. */
size_t logring_allocated(const struct logring *ring);

typedef void logring_line_fn(void *ctx, const struct logring_line *line);

/* Calls fn for the last n lines held (all of them if n >= count), oldest
 * first. fn must not push to or free the ring. Walks the ring from its
 * oldest line: O(count), for readers, never on the push path. */
void logring_tail(const struct logring *ring, size_t n, logring_line_fn *fn,
		  void *ctx);

#endif
