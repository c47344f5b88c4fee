#include "log.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "loglimit.h"

/* The one piece of process-wide state besides struct daemon: the verbosity
 * chosen on the command line, read by every module that logs. */
static enum log_level log_max_level = LOG_LEVEL_INFO;
static int log_kmsg_fd = -1;
static log_writer_fn *log_writer;
static void *log_writer_ctx;
/* The limiter's table, fixed in size: see loglimit.h. */
static struct loglimit log_limit = { .others_level = INT_MAX };
static bool log_limit_on;
static log_clock_fn *log_clock;
static log_flush_timer_fn *log_flush_timer;
static void *log_flush_timer_ctx;
/* When the flush timer was last asked for; 0: not asked. */
static uint64_t log_flush_due_usec;

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

static const int syslog_priorities[] = {
	[LOG_LEVEL_ERROR] = LOG_ERR,
	[LOG_LEVEL_WARNING] = LOG_WARNING,
	[LOG_LEVEL_INFO] = LOG_INFO,
	[LOG_LEVEL_DEBUG] = LOG_DEBUG,
};

void log_set_level(enum log_level max_level)
{
	log_max_level = max_level;
}

void log_to_kmsg(int fd)
{
	log_kmsg_fd = fd;
}

bool log_is_kmsg(void)
{
	return log_kmsg_fd >= 0;
}

void log_set_writer(log_writer_fn *writer, void *ctx)
{
	log_writer = writer;
	log_writer_ctx = ctx;
}

/* One whole line to the writer, however long the message. */
__attribute__((format(printf, 4, 0)))
static void log_to_writer(enum log_level level, const char *unit, int err,
			  const char *fmt, va_list ap)
{
	char errbuf[160], *body, *line;
	int n;

	if (vasprintf(&body, fmt, ap) < 0)
		return;
	n = asprintf(&line, "svd: %s: %s%s%s%s%s\n", level_names[level],
		     unit ? unit : "", unit ? ": " : "", body, err ? ": " : "",
		     err ? log_errno_text(err, errbuf, sizeof(errbuf)) : "");
	free(body);
	if (n < 0)
		return;
	log_writer(log_writer_ctx, line, (size_t)n);
	free(line);
}

/* Appends what fits of fmt to line[*len], always leaving a NUL; returns
 * false when it did not all fit. */
__attribute__((format(printf, 4, 0)))
static bool line_vappend(char *line, size_t size, size_t *len,
			 const char *fmt, va_list ap)
{
	int n = vsnprintf(line + *len, size - *len, fmt, ap);

	if (n < 0)
		return false;
	if ((size_t)n < size - *len) {
		*len += (size_t)n;
		return true;
	}
	*len = size - 1;
	return false;
}

__attribute__((format(printf, 4, 5)))
static bool line_append(char *line, size_t size, size_t *len,
			const char *fmt, ...)
{
	va_list ap;
	bool whole;

	va_start(ap, fmt);
	whole = line_vappend(line, size, len, fmt, ap);
	va_end(ap);
	return whole;
}

/* The kernel takes one record per write() and refuses (EINVAL) one
 * longer than its limit, 976 bytes on older kernels: a longer message is
 * cut here, visibly, with "...". */
#define KMSG_RECORD_MAX 976

__attribute__((format(printf, 4, 0)))
static void log_kmsg(enum log_level level, const char *unit, int err,
		     const char *fmt, va_list ap)
{
	char line[KMSG_RECORD_MAX], errbuf[160];
	size_t len = 0, size = sizeof(line) - 4; /* room for "...\n" */
	bool whole;

	whole = line_append(line, size, &len, "<%d>svd: %s: ", LOG_DAEMON |
			    syslog_priorities[level], level_names[level]);
	if (whole && unit)
		whole = line_append(line, size, &len, "%s: ", unit);
	if (whole)
		whole = line_vappend(line, size, &len, fmt, ap);
	if (whole && err)
		whole = line_append(line, size, &len, ": %s",
				    log_errno_text(err, errbuf, sizeof(errbuf)));
	if (!whole)
		len += (size_t)snprintf(line + len, 4, "...");
	line[len++] = '\n';
	if (write(log_kmsg_fd, line, len) >= 0)
		return;
	/* Nowhere better to say it: stderr, for this line and from now on. */
	log_kmsg_fd = -1;
	{
		const char *text = strchr(line, '>') + 1; /* past "<N>" */

		fprintf(stderr, "%.*s", (int)(len - (size_t)(text - line)), text);
	}
}

/* One line to wherever svd's log goes now. */
__attribute__((format(printf, 4, 0)))
static void log_write(enum log_level level, const char *unit, int err,
		      const char *fmt, va_list ap)
{
	char errbuf[160];

	if (log_kmsg_fd >= 0) {
		log_kmsg(level, unit, err, fmt, ap);
		return;
	}
	if (log_writer) {
		log_to_writer(level, unit, err, fmt, ap);
		return;
	}
	flockfile(stderr);
	fprintf(stderr, "svd: %s: ", level_names[level]);
	if (unit)
		fprintf(stderr, "%s: ", unit);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", log_errno_text(err, errbuf, sizeof(errbuf)));
	fputc('\n', stderr);
	funlockfile(stderr);
}

__attribute__((format(printf, 3, 4)))
static void log_line(enum log_level level, const char *unit,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(level, unit, 0, fmt, ap);
	va_end(ap);
}

/* --- the limit on repeated messages --- */

void log_set_clock(log_clock_fn *clock)
{
	log_clock = clock;
}

void log_set_flush_timer(log_flush_timer_fn *timer, void *ctx)
{
	log_flush_timer = timer;
	log_flush_timer_ctx = ctx;
	log_flush_due_usec = 0;
}

/* CLOCK_MONOTONIC: a vDSO call, no system call; it cannot fail with a
 * valid clock id and pointer. */
static uint64_t monotonic_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t log_now_usec(void)
{
	return log_clock ? log_clock() : monotonic_usec();
}

/* At the level of the most severe message it stands for, which passed
 * the verbosity filter already: the note is never filtered out. */
static void write_note(void *ctx, int level, const char *name,
		       const char *site, uint64_t suppressed)
{
	enum log_level at = level >= LOG_LEVEL_ERROR && level <= LOG_LEVEL_DEBUG ?
			    (enum log_level)level : LOG_LEVEL_WARNING;
	unsigned long long n = suppressed;

	(void)ctx;
	if (name)
		log_line(at, name, "%llu similar messages suppressed", n);
	else if (site)
		log_line(at, NULL, "%llu similar messages suppressed (\"%.60s\")",
			 n, site);
	else
		log_line(at, NULL, "%llu similar messages of other units or "
			 "sources suppressed (more at once than svd tracks)", n);
}

/* Asks the daemon's timer for the flush at due_usec, unless it is asked
 * for an earlier time already. */
static void ask_flush(uint64_t due_usec, uint64_t now_usec)
{
	if (!log_flush_timer || !due_usec ||
	    (log_flush_due_usec && log_flush_due_usec <= due_usec))
		return;
	log_flush_due_usec = due_usec;
	log_flush_timer(log_flush_timer_ctx,
			due_usec > now_usec ? (double)(due_usec - now_usec) / 1e6 : 0);
}

void log_flush_suppressed(void)
{
	int saved_errno = errno;
	uint64_t now = log_now_usec();

	log_flush_due_usec = 0;
	ask_flush(loglimit_flush(&log_limit, now, write_note, NULL), now);
	errno = saved_errno;
}

void log_set_limit(bool on)
{
	int saved_errno = errno;

	if (!on && log_limit_on)	/* every window counts as over */
		loglimit_flush(&log_limit, UINT64_MAX, write_note, NULL);
	log_limit_on = on;
	errno = saved_errno;
}

/* svd's own messages are limited per call site, but one "%s" site
 * passes on what others say: the diagnostics of unit files, "FILE:LINE:
 * ...". Those are limited per file, so that one bad file does not hide
 * the next. Returns the key (in buf), or NULL for any other message. */
static const char *passed_on_source(const char *unit, const char *fmt,
				    va_list ap, char *buf, size_t size)
{
	const char *text, *colon;
	va_list copy;

	if (unit || strcmp(fmt, "%s") != 0)
		return NULL;
	va_copy(copy, ap);
	text = va_arg(copy, const char *);
	va_end(copy);
	colon = text ? strchr(text, ':') : NULL;
	if (!colon)
		return NULL;
	snprintf(buf, size, "%.*s", (int)(colon - text), text);
	return buf;
}

__attribute__((format(printf, 4, 0)))
static void log_vmsg(enum log_level level, const char *unit, int err,
		     const char *fmt, va_list ap)
{
	int saved_errno = errno;
	uint64_t now, due = 0;
	char source[256];
	const char *key;

	if (level > log_max_level)
		return;
	if (!log_limit_on) {
		log_write(level, unit, err, fmt, ap);
		errno = saved_errno;
		return;
	}
	now = log_now_usec();
	key = passed_on_source(unit, fmt, ap, source, sizeof(source));
	if (loglimit_admit(&log_limit, key ? key : unit, fmt, (int)level,
			   level == LOG_LEVEL_DEBUG, now, &due, write_note, NULL))
		log_write(level, unit, err, fmt, ap);
	else
		ask_flush(due, now);
	errno = saved_errno;
}

void log_msg(enum log_level level, const char *unit, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, unit, 0, fmt, ap);
	va_end(ap);
}

void log_errno(enum log_level level, const char *unit, int err,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, unit, err, fmt, ap);
	va_end(ap);
}

const char *log_errno_text(int err, char *buf, unsigned size)
{
	const char *name = strerrorname_np(err);
	const char *desc = strerrordesc_np(err);

	snprintf(buf, size, "%s (%s)", name ? name : "E?",
		 desc ? desc : "unknown error");
	return buf;
}
