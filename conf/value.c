/* value: time spans, booleans, signals and exit-status sets, parsed the way
 * systemd parses them (time-util.c, parse-util.c, signal-util.c,
 * exit-status.c) so that real unit files mean the same thing here. */
#include "value.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define USEC_PER_MINUTE (60 * USEC_PER_SEC)
#define USEC_PER_HOUR (60 * USEC_PER_MINUTE)
#define USEC_PER_DAY (24 * USEC_PER_HOUR)
#define USEC_PER_WEEK (7 * USEC_PER_DAY)
#define USEC_PER_MONTH (UINT64_C(2629800) * USEC_PER_SEC)  /* 30.44 days */
#define USEC_PER_YEAR (UINT64_C(31557600) * USEC_PER_SEC)  /* 365.25 days */

struct time_unit {
	const char *suffix;
	uint64_t usec;
};

/* systemd's table and order: the first suffix that the text starts with
 * wins, so "ms" and "min" must come before "m", "months" before "msec". */
static const struct time_unit time_units[] = {
	{ "seconds", USEC_PER_SEC }, { "second", USEC_PER_SEC },
	{ "sec", USEC_PER_SEC }, { "s", USEC_PER_SEC },
	{ "minutes", USEC_PER_MINUTE }, { "minute", USEC_PER_MINUTE },
	{ "min", USEC_PER_MINUTE },
	{ "months", USEC_PER_MONTH }, { "month", USEC_PER_MONTH },
	{ "M", USEC_PER_MONTH },
	{ "msec", USEC_PER_MSEC }, { "ms", USEC_PER_MSEC },
	{ "m", USEC_PER_MINUTE },
	{ "hours", USEC_PER_HOUR }, { "hour", USEC_PER_HOUR },
	{ "hr", USEC_PER_HOUR }, { "h", USEC_PER_HOUR },
	{ "days", USEC_PER_DAY }, { "day", USEC_PER_DAY }, { "d", USEC_PER_DAY },
	{ "weeks", USEC_PER_WEEK }, { "week", USEC_PER_WEEK },
	{ "w", USEC_PER_WEEK },
	{ "years", USEC_PER_YEAR }, { "year", USEC_PER_YEAR },
	{ "y", USEC_PER_YEAR },
	{ "usec", 1 }, { "us", 1 }, { "\xce\xbcs", 1 },	/* μs */
};

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

/* The unit of a component; no suffix means seconds. */
static const char *parse_time_unit(const char *s, uint64_t *mult)
{
	s = skip_blanks(s);
	for (size_t i = 0; i < sizeof(time_units) / sizeof(time_units[0]); i++) {
		size_t n = strlen(time_units[i].suffix);

		if (strncmp(s, time_units[i].suffix, n) == 0) {
			*mult = time_units[i].usec;
			return s + n;
		}
	}
	*mult = USEC_PER_SEC;
	return s;
}

/* One "<number>[.<fraction>] [unit]" component; adds it to *sum. The
 * fraction is added digit by digit as systemd does, so "0.3s" is exactly
 * 300000 us with no floating point. */
static const char *parse_time_component(const char *s, uint64_t *sum)
{
	uint64_t whole = 0, mult, add;
	const char *frac = NULL, *end;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return NULL;
	for (; isdigit((unsigned char)*s); s++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return NULL;
		whole = whole * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		/* As systemd: a digit must follow, "3." or "3.s" is no span. */
		frac = ++s;
		if (!isdigit((unsigned char)*s))
			return NULL;
		while (isdigit((unsigned char)*s))
			s++;
	}
	end = parse_time_unit(s, &mult);
	if (whole > UINT64_MAX / mult)
		return NULL;
	add = whole * mult;
	for (uint64_t k = mult / 10; frac && isdigit((unsigned char)*frac) && k;
	     frac++, k /= 10) {
		if (add > UINT64_MAX - 9 * k)
			return NULL;
		add += (uint64_t)(*frac - '0') * k;
	}
	if (add > UINT64_MAX - 1 - *sum)	/* UINT64_MAX means infinity */
		return NULL;
	*sum += add;
	return end;
}

int value_parse_timespan(const char *text, uint64_t *usec)
{
	const char *s = skip_blanks(text);
	uint64_t sum = 0;

	if (strncmp(s, "infinity", 8) == 0 && *skip_blanks(s + 8) == '\0') {
		*usec = USEC_INFINITY;
		return 0;
	}
	if (*s == '\0')
		return -1;
	while (*s) {
		s = parse_time_component(s, &sum);
		if (!s)
			return -1;
		s = skip_blanks(s);
	}
	*usec = sum;
	return 0;
}

static const struct time_unit format_units[] = {
	{ "y", USEC_PER_YEAR }, { "month", USEC_PER_MONTH },
	{ "w", USEC_PER_WEEK }, { "d", USEC_PER_DAY }, { "h", USEC_PER_HOUR },
	{ "min", USEC_PER_MINUTE }, { "s", USEC_PER_SEC },
	{ "ms", USEC_PER_MSEC }, { "us", 1 },
};

/* Writes as much as fits; buf always ends up NUL-terminated. */
const char *value_format_timespan(uint64_t usec, char *buf, unsigned size)
{
	size_t len = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (usec == USEC_INFINITY || usec == 0) {
		snprintf(buf, size, "%s", usec ? "infinity" : "0");
		return buf;
	}
	for (size_t i = 0; i < sizeof(format_units) / sizeof(format_units[0]); i++) {
		uint64_t n = usec / format_units[i].usec;
		int w;

		if (n == 0)
			continue;
		usec -= n * format_units[i].usec;
		w = snprintf(buf + len, size - len, "%s%llu%s", len ? " " : "",
			     (unsigned long long)n, format_units[i].suffix);
		if (w < 0 || (size_t)w >= size - len) {
			buf[len] = '\0';	/* whole components only */
			break;
		}
		len += (size_t)w;
	}
	return buf;
}

int value_parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

struct name_number {
	const char *name;
	int number;
};

static const struct name_number signal_names[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "IOT", SIGIOT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
	{ "TERM", SIGTERM },
#ifdef SIGSTKFLT
	{ "STKFLT", SIGSTKFLT },
#endif
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "POLL", SIGPOLL },
#ifdef SIGPWR
	{ "PWR", SIGPWR },
#endif
	{ "SYS", SIGSYS },
};

#define N_SIGNAL_NAMES (sizeof(signal_names) / sizeof(signal_names[0]))

/* A decimal number with nothing around it, or -1. */
static long parse_small_number(const char *s, long max)
{
	long n = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		n = n * 10 + (*s - '0');
		if (n > max)
			return -1;
	}
	return *s ? -1 : n;
}

/* "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n". */
static int parse_rt_signal(const char *s)
{
	long n = 0;

	if (strncmp(s, "RTMIN", 5) == 0) {
		if (s[5] == '+')
			n = parse_small_number(s + 6, SIGRTMAX - SIGRTMIN);
		else if (s[5])
			return -1;
		return n < 0 ? -1 : SIGRTMIN + (int)n;
	}
	if (strncmp(s, "RTMAX", 5) == 0) {
		if (s[5] == '-')
			n = parse_small_number(s + 6, SIGRTMAX - SIGRTMIN);
		else if (s[5])
			return -1;
		return n < 0 ? -1 : SIGRTMAX - (int)n;
	}
	return -1;
}

int value_parse_signal(const char *text, int *signo)
{
	const char *s = text;
	long n;

	n = parse_small_number(s, NSIG - 1);
	if (n >= 1) {
		*signo = (int)n;
		return 0;
	}
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < N_SIGNAL_NAMES; i++)
		if (strcmp(s, signal_names[i].name) == 0) {
			*signo = signal_names[i].number;
			return 0;
		}
	n = parse_rt_signal(s);
	if (n < 1)
		return -1;
	*signo = (int)n;
	return 0;
}

const char *value_signal_name(int signo)
{
	for (size_t i = 0; i < N_SIGNAL_NAMES; i++)
		if (signal_names[i].number == signo)
			return signal_names[i].name;
	return NULL;
}

/* The names systemd's exit_status_from_string() accepts (LSB, BSD
 * sysexits and systemd's own codes, systemd.exec(5)). */
static const struct name_number exit_names[] = {
	{ "SUCCESS", 0 }, { "FAILURE", 1 }, { "INVALIDARGUMENT", 2 },
	{ "NOTIMPLEMENTED", 3 }, { "NOPERMISSION", 4 }, { "NOTINSTALLED", 5 },
	{ "NOTCONFIGURED", 6 }, { "NOTRUNNING", 7 },
	{ "USAGE", 64 }, { "DATAERR", 65 }, { "NOINPUT", 66 }, { "NOUSER", 67 },
	{ "NOHOST", 68 }, { "UNAVAILABLE", 69 }, { "SOFTWARE", 70 },
	{ "OSERR", 71 }, { "OSFILE", 72 }, { "CANTCREAT", 73 }, { "IOERR", 74 },
	{ "TEMPFAIL", 75 }, { "PROTOCOL", 76 }, { "NOPERM", 77 },
	{ "CONFIG", 78 },
	{ "CHDIR", 200 }, { "NICE", 201 }, { "FDS", 202 }, { "EXEC", 203 },
	{ "MEMORY", 204 }, { "LIMITS", 205 }, { "OOM_ADJUST", 206 },
	{ "SIGNAL_MASK", 207 }, { "STDIN", 208 }, { "STDOUT", 209 },
	{ "CHROOT", 210 }, { "IOPRIO", 211 }, { "TIMERSLACK", 212 },
	{ "SECUREBITS", 213 }, { "SETSCHEDULER", 214 }, { "CPUAFFINITY", 215 },
	{ "GROUP", 216 }, { "USER", 217 }, { "CAPABILITIES", 218 },
	{ "CGROUP", 219 }, { "SETSID", 220 }, { "CONFIRM", 221 },
	{ "STDERR", 222 }, { "PAM", 224 }, { "NETWORK", 225 },
	{ "NAMESPACE", 226 }, { "NO_NEW_PRIVILEGES", 227 }, { "SECCOMP", 228 },
	{ "SELINUX_CONTEXT", 229 }, { "PERSONALITY", 230 },
	{ "APPARMOR_PROFILE", 231 }, { "ADDRESS_FAMILIES", 232 },
	{ "RUNTIME_DIRECTORY", 233 }, { "CHOWN", 235 },
	{ "SMACK_PROCESS_LABEL", 236 }, { "KEYRING", 237 },
	{ "STATE_DIRECTORY", 238 }, { "CACHE_DIRECTORY", 239 },
	{ "LOGS_DIRECTORY", 240 }, { "CONFIGURATION_DIRECTORY", 241 },
	{ "NUMA_POLICY", 242 }, { "CREDENTIALS", 243 }, { "BPF", 245 },
	{ "EXCEPTION", 255 },
};

static int exit_code_from_word(const char *word)
{
	long n = parse_small_number(word, 255);

	if (n >= 0)
		return (int)n;
	for (size_t i = 0; i < sizeof(exit_names) / sizeof(exit_names[0]); i++)
		if (strcmp(word, exit_names[i].name) == 0)
			return exit_names[i].number;
	return -1;
}

/* Adds one word; -1 when it is neither an exit status nor a signal. */
static int exit_status_add_word(struct exit_status_set *set, const char *word)
{
	int code = exit_code_from_word(word), signo;

	if (code >= 0) {
		set->codes[code / 8] |= (uint8_t)(1u << (code % 8));
		return 0;
	}
	if (value_parse_signal(word, &signo) < 0 || signo >= 64)
		return -1;
	set->signals |= UINT64_C(1) << signo;
	return 0;
}

int value_parse_exit_status_set(const char *text, struct exit_status_set *set)
{
	struct exit_status_set tmp = *set;
	char word[64];

	/* Parse into a copy so that a bad word leaves *set untouched. */
	for (const char *s = skip_blanks(text); *s; s = skip_blanks(s)) {
		size_t n = strcspn(s, " \t\n\r");

		if (n >= sizeof(word))
			return -1;	/* longer than any valid word */
		memcpy(word, s, n);
		word[n] = '\0';
		if (exit_status_add_word(&tmp, word) < 0)
			return -1;
		s += n;
	}
	*set = tmp;
	return 0;
}

bool exit_status_set_has_code(const struct exit_status_set *set, int code)
{
	if (!set || code < 0 || code > 255)
		return false;
	return set->codes[code / 8] & (1u << (code % 8));
}

bool exit_status_set_has_signal(const struct exit_status_set *set, int signo)
{
	if (!set || signo < 1 || signo > 63)
		return false;
	return set->signals & (UINT64_C(1) << signo);
}

int value_parse_size(const char *text, uint64_t *bytes)
{
	static const char suffixes[] = "KMGTPE";
	unsigned long long n;
	const char *unit;
	char *end;
	int shift = 0;

	if (*text < '0' || *text > '9')
		return -1;	/* strtoull would take "-1" or " 1" */
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno || end == text)
		return -1;
	if (*end) {
		if (end[1] || !(unit = strchr(suffixes, *end)))
			return -1;
		shift = 10 * (int)(unit - suffixes + 1);
		if (n > (UINT64_MAX >> shift))
			return -1;
	}
	*bytes = (uint64_t)n << shift;
	return 0;
}
