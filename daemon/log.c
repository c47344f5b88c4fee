#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The one piece of process-wide state besides struct daemon: the verbosity
 * chosen on the command line, read by every module that logs. */
static enum log_level log_max_level = LOG_LEVEL_INFO;

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

void log_set_level(enum log_level max_level)
{
	log_max_level = max_level;
}

enum log_level log_get_level(void)
{
	return log_max_level;
}

__attribute__((format(printf, 4, 0)))
static void log_vmsg(enum log_level level, const char *unit, int err,
		     const char *fmt, va_list ap)
{
	char errbuf[160];
	int saved_errno = errno;

	if (level > log_max_level)
		return;
	flockfile(stderr);
	fprintf(stderr, "svd: %s: ", level_names[level]);
	if (unit)
		fprintf(stderr, "%s: ", unit);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", log_errno_text(err, errbuf, sizeof(errbuf)));
	fputc('\n', stderr);
	funlockfile(stderr);
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
