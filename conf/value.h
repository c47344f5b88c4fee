/* value: parsers for the scalar value syntaxes of unit files (time spans,
 * booleans, signals, exit-status lists). Pure functions: no I/O. Each
 * returns 0 on success and -1 when the text is not acceptable, leaving the
 * output untouched. */
#ifndef SVD_VALUE_H
#define SVD_VALUE_H

#include <stdbool.h>
#include <stdint.h>

/* A time span that never expires ("infinity"). */
#define USEC_INFINITY UINT64_MAX
#define USEC_PER_MSEC UINT64_C(1000)
#define USEC_PER_SEC UINT64_C(1000000)

/* systemd.time(7) spans: "5" (seconds), "5s", "500ms", "3min", "1h 30s",
 * "2.5s", "infinity"; units us, ms, s, m/min, h/hr, d, w and their long
 * forms. Overflow is an error. */
int value_parse_timespan(const char *text, uint64_t *usec);
/* Formats a span for display ("1min 30s", "infinity") into buf. */
const char *value_format_timespan(uint64_t usec, char *buf, unsigned size);

/* A size in bytes: "4096", "64K", "1M", "2G" (K M G T P E, base 1024, as
 * systemd). Overflow is an error. */
int value_parse_size(const char *text, uint64_t *bytes);

/* yes/no/true/false/on/off/1/0, case-insensitive. */
int value_parse_bool(const char *text, bool *out);

/* "TERM", "SIGTERM", "15", "RTMIN+3": a signal number in 1..NSIG-1. */
int value_parse_signal(const char *text, int *signo);
/* "TERM" for SIGTERM, or NULL for an unknown number. */
const char *value_signal_name(int signo);

/* A set of exit codes and signals, as SuccessExitStatus= takes them. */
struct exit_status_set {
	uint8_t codes[256 / 8];	/* bit n set: exit code n is in the set */
	uint64_t signals;	/* bit n set: signal n (1..63) is in the set */
};

/* Space-separated exit codes 0..255, the LSB/systemd exit-status names of
 * systemd.exec(5) ("INVALIDARGUMENT", "NOTINSTALLED", "NOTCONFIGURED",
 * "NOTRUNNING", ...) and signal names ("SIGKILL", "TERM"). Adds to *set;
 * an empty text is valid (the caller resets the set for it). */
int value_parse_exit_status_set(const char *text, struct exit_status_set *set);
/* A NULL set is empty. */
bool exit_status_set_has_code(const struct exit_status_set *set, int code);
bool exit_status_set_has_signal(const struct exit_status_set *set, int signo);

#endif
