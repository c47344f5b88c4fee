/* log: svd's own messages, to stderr, one line each:
 *   "svd: warning: web.service: pipe2: EMFILE (Too many open files)"
 * or, while svd boots a board, to the kernel log (/dev/kmsg) with the
 * matching syslog priority.
 * Never exits: svd may be PID 1, where exiting panics the kernel. */
#ifndef SVD_LOG_H
#define SVD_LOG_H

#include <stddef.h>

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
/* Where messages go instead of stderr (each a whole line ending in '\n'),
 * or NULL for stderr: svd's console, which never blocks. */
typedef void log_writer_fn(void *ctx, const char *line, size_t len);
void log_set_writer(log_writer_fn *writer, void *ctx);
/* unit may be NULL for messages about svd itself. */
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
