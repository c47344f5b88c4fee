/* log: svd's own messages, to stderr, one line each:
 *   "svd: warning: web.service: pipe2: EMFILE (Too many open files)"
 * or, while svd boots a board, to the kernel log (/dev/kmsg) with the
 * matching syslog priority.
 * Never exits: svd may be PID 1, where exiting panics the kernel. */
#ifndef SVD_LOG_H
#define SVD_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

void log_set_level(enum log_level max_level);
/* fd >= 0: write each message to that /dev/kmsg fd instead of stderr;
 * -1: back to stderr. The caller owns the fd. */
void log_to_kmsg(int fd);
/* Whether messages go to the kernel log, where printk's rate limit
 * drops what comes in a burst. */
bool log_is_kmsg(void);
/* Where messages go instead of stderr (each a whole line ending in '\n'),
 * or NULL for stderr: svd's console, which never blocks. */
typedef void log_writer_fn(void *ctx, const char *line, size_t len);
void log_set_writer(log_writer_fn *writer, void *ctx);
/* Repeated messages are limited per unit (and, for svd's own, per call
 * site), as loglimit.h says, while the limit is on: the daemon turns it
 * on for its event loop, the only place where a message can repeat
 * without end (boot and shutdown say a bounded number of things, each
 * worth seeing). Turning it off writes the notes still owed. */
void log_set_limit(bool on);
/* The limiter's clock, in microseconds of CLOCK_MONOTONIC unless a test
 * injects its own (NULL: back to it). */
typedef uint64_t log_clock_fn(void);
void log_set_clock(log_clock_fn *clock);
/* Asks for log_flush_suppressed() to be called delay_sec from now: the
 * daemon's timer, so that a unit that falls silent after its burst still
 * gets its "N similar messages suppressed" line. A later request for an
 * earlier time replaces the earlier request. NULL: no timer (the notes
 * then come before each source's next message only). */
typedef void log_flush_timer_fn(void *ctx, double delay_sec);
void log_set_flush_timer(log_flush_timer_fn *timer, void *ctx);
/* Writes the notes of the windows that are over, and asks the timer
 * again for the next one due. */
void log_flush_suppressed(void);
/* unit may be NULL for messages about svd itself; fmt must be a string
 * literal (it keys the limit of svd's own messages). */
void log_msg(enum log_level level, const char *unit, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends ": ENAME (description)" for err. */
void log_errno(enum log_level level, const char *unit, int err,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* "ENOENT (No such file or directory)", for replies and status. */
const char *log_errno_text(int err, char *buf, unsigned size);

#define log_error(unit, ...) log_msg(LOG_LEVEL_ERROR, unit, __VA_ARGS__)
#define log_warning(unit, ...) log_msg(LOG_LEVEL_WARNING, unit, __VA_ARGS__)
#define log_info(unit, ...) log_msg(LOG_LEVEL_INFO, unit, __VA_ARGS__)
#define log_debug(unit, ...) log_msg(LOG_LEVEL_DEBUG, unit, __VA_ARGS__)

#endif
