/* rlimit: see rlimit.h. One table gives each key its resource and the unit
 * its numbers are in; one parser per unit. */
#include "rlimit.h"
#include "value.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Longest side of SOFT:HARD looked at; a longer one is refused (EINVAL),
 * never cut. Real values are a few characters. */
#define RLIMIT_PART_MAX_BYTES 128

/* What the numbers of a resource count. */
enum limit_unit {
	LIMIT_SECONDS,	/* bare number: seconds; or a time span */
	LIMIT_USEC,	/* bare number: microseconds; or a time span */
	LIMIT_BYTES,
	LIMIT_COUNT,
	LIMIT_NICE,	/* the kernel's 20 - nice level */
};

struct limit_key {
	const char *name;
	int resource;
	enum limit_unit unit;
};

static const struct limit_key limit_keys[] = {
	{ "LimitCPU", RLIMIT_CPU, LIMIT_SECONDS },
	{ "LimitFSIZE", RLIMIT_FSIZE, LIMIT_BYTES },
	{ "LimitDATA", RLIMIT_DATA, LIMIT_BYTES },
	{ "LimitSTACK", RLIMIT_STACK, LIMIT_BYTES },
	{ "LimitCORE", RLIMIT_CORE, LIMIT_BYTES },
	{ "LimitRSS", RLIMIT_RSS, LIMIT_BYTES },
	{ "LimitNOFILE", RLIMIT_NOFILE, LIMIT_COUNT },
	{ "LimitAS", RLIMIT_AS, LIMIT_BYTES },
	{ "LimitNPROC", RLIMIT_NPROC, LIMIT_COUNT },
	{ "LimitMEMLOCK", RLIMIT_MEMLOCK, LIMIT_BYTES },
	{ "LimitLOCKS", RLIMIT_LOCKS, LIMIT_COUNT },
	{ "LimitSIGPENDING", RLIMIT_SIGPENDING, LIMIT_COUNT },
	{ "LimitMSGQUEUE", RLIMIT_MSGQUEUE, LIMIT_BYTES },
	{ "LimitNICE", RLIMIT_NICE, LIMIT_NICE },
	{ "LimitRTPRIO", RLIMIT_RTPRIO, LIMIT_COUNT },
	{ "LimitRTTIME", RLIMIT_RTTIME, LIMIT_USEC },
};

_Static_assert(sizeof(limit_keys) / sizeof(limit_keys[0]) == RLIMIT_KEYS_COUNT,
	       "RLIMIT_KEYS_COUNT is the number of limit_keys");

struct size_unit {
	char suffix;		/* '\0': none */
	uint64_t factor;
};

/* systemd's table and order: in "1G 512M" each part must take a unit
 * further down the table than the part before. */
static const struct size_unit size_units[] = {
	{ 'E', UINT64_C(1) << 60 }, { 'P', UINT64_C(1) << 50 },
	{ 'T', UINT64_C(1) << 40 }, { 'G', UINT64_C(1) << 30 },
	{ 'M', UINT64_C(1) << 20 }, { 'K', UINT64_C(1) << 10 },
	{ 'B', 1 }, { '\0', 1 },
};

#define N_SIZE_UNITS (sizeof(size_units) / sizeof(size_units[0]))

static int fail(int err)
{
	errno = err;
	return -1;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

static const struct limit_key *key_of_resource(int resource)
{
	for (size_t i = 0; i < RLIMIT_KEYS_COUNT; i++)
		if (limit_keys[i].resource == resource)
			return &limit_keys[i];
	return NULL;
}

int rlimit_from_key(const char *key)
{
	for (size_t i = 0; i < RLIMIT_KEYS_COUNT; i++)
		if (strcmp(key, limit_keys[i].name) == 0)
			return limit_keys[i].resource;
	return -1;
}

const char *rlimit_key_name(int resource)
{
	const struct limit_key *k = key_of_resource(resource);

	return k ? k->name : NULL;
}

/* The decimal digits at *s, which is moved past them. */
static int parse_digits(const char **s, uint64_t *n)
{
	const char *p = *s;
	uint64_t v = 0;

	if (!is_digit(*p))
		return fail(EINVAL);
	for (; is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return fail(ERANGE);
		v = v * 10 + d;
	}
	*s = p;
	*n = v;
	return 0;
}

/* All of s one decimal number. */
static int parse_number(const char *s, uint64_t *n)
{
	if (parse_digits(&s, n) < 0)
		return -1;
	return *s ? fail(EINVAL) : 0;
}

/* RLIM_INFINITY itself is only ever written "infinity", as in systemd. */
static int to_rlim(uint64_t n, rlim_t *out)
{
	if (n >= (uint64_t)RLIM_INFINITY)
		return fail(ERANGE);
	*out = (rlim_t)n;
	return 0;
}

/* value_parse_timespan() fails alike for bad syntax and for overflow. The
 * syntax does not depend on the digits' values, so s with every digit
 * made 0 (in place: s is the caller's copy) parses exactly when the
 * failure was an overflow. */
static int timespan_errno(char *s)
{
	uint64_t usec;

	for (char *p = s; *p; p++)
		if (is_digit(*p))
			*p = '0';
	return value_parse_timespan(s, &usec) == 0 ? ERANGE : EINVAL;
}

/* "90", "1min 30s"; a part of a second counts as a whole one. */
static int parse_seconds(char *s, rlim_t *out)
{
	uint64_t usec;

	if (value_parse_timespan(s, &usec) < 0)
		return fail(timespan_errno(s));
	return to_rlim(usec / USEC_PER_SEC + (usec % USEC_PER_SEC != 0), out);
}

/* A bare number is in microseconds (systemd's parse_time() with unit 1):
 * "500" is 500us, "1.5" 1us; with units, any time span. */
static int parse_usec(char *s, rlim_t *out)
{
	char text[RLIMIT_PART_MAX_BYTES + 2];
	uint64_t usec;

	snprintf(text, sizeof(text), "%s%s", s,
		 s[strspn(s, "0123456789.")] ? "" : "us");
	if (value_parse_timespan(text, &usec) < 0)
		return fail(timespan_errno(text));
	return to_rlim(usec, out);
}

/* floor(factor * 0.<digits>) with no floating point: from the last digit
 * back, q = floor((factor * digit + q) / 10), exact because
 * floor((m + x) / 10) = floor((m + floor(x)) / 10) for whole m; q stays
 * below factor, so nothing overflows. */
static uint64_t scale_fraction(const char *digits, size_t n, uint64_t factor)
{
	uint64_t q = 0;

	while (n-- > 0)
		q = (factor * (uint64_t)(digits[n] - '0') + q) / 10;
	return q;
}

/* One "<digits>[.<digits>] [unit]" of a size, added to *sum; *next is the
 * first unit it may take and becomes the one after the unit it took. */
static int add_size_part(const char **s, size_t *next, uint64_t *sum)
{
	const char *p = *s, *frac;
	uint64_t whole, factor, part, fraction;
	size_t n_frac, u;

	if (parse_digits(&p, &whole) < 0)
		return -1;
	if (*p == '.')		/* as systemd, "10.M" is 10M */
		p++;
	for (frac = p; is_digit(*p); p++)
		;
	n_frac = (size_t)(p - frac);
	p = skip_blanks(p);
	for (u = *next; u < N_SIZE_UNITS; u++)
		if (!size_units[u].suffix || size_units[u].suffix == *p)
			break;
	if (u == N_SIZE_UNITS)
		return fail(EINVAL);
	factor = size_units[u].factor;
	fraction = scale_fraction(frac, n_frac, factor);
	if (whole > UINT64_MAX / factor)
		return fail(ERANGE);
	part = whole * factor;
	if (part > UINT64_MAX - fraction || *sum > UINT64_MAX - part - fraction)
		return fail(ERANGE);
	*sum += part + fraction;
	*s = skip_blanks(p + (size_units[u].suffix != '\0'));
	*next = u + 1;
	return 0;
}

static int parse_bytes(const char *s, rlim_t *out)
{
	uint64_t sum = 0;
	size_t next = 0;

	if (!*s)
		return fail(EINVAL);
	while (*s)
		if (add_size_part(&s, &next, &sum) < 0)
			return -1;
	return to_rlim(sum, out);
}

static int parse_count(const char *s, rlim_t *out)
{
	uint64_t n;

	if (parse_number(s, &n) < 0)
		return -1;
	return to_rlim(n, out);
}

/* The kernel's RLIMIT_NICE is 20 - nice level. "+N" and "-N" are levels,
 * +19 .. -20 (+0 and -0 both 20); a bare number is the raw limit, 0..40,
 * 0 being the kernel's default that no level maps to. */
static int parse_nice(const char *s, rlim_t *out)
{
	bool plus = *s == '+', minus = *s == '-';
	uint64_t n;

	if (parse_number(s + (plus || minus), &n) < 0)
		return -1;
	if (n > (plus ? 19 : minus ? 20 : 40))
		return fail(ERANGE);
	*out = (rlim_t)(plus ? 20 - n : minus ? 20 + n : n);
	return 0;
}

/* One side of SOFT:HARD: len bytes at s. */
static int parse_part(enum limit_unit unit, const char *s, size_t len,
		      rlim_t *out)
{
	char part[RLIMIT_PART_MAX_BYTES];

	for (; len > 0 && is_blank(*s); s++)
		len--;
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(part))
		return fail(EINVAL);
	memcpy(part, s, len);
	part[len] = '\0';
	if (strcmp(part, "infinity") == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	switch (unit) {
	case LIMIT_SECONDS: return parse_seconds(part, out);
	case LIMIT_USEC: return parse_usec(part, out);
	case LIMIT_BYTES: return parse_bytes(part, out);
	case LIMIT_COUNT: return parse_count(part, out);
	case LIMIT_NICE: return parse_nice(part, out);
	}
	return fail(EINVAL);
}

int rlimit_parse(int resource, const char *text, rlim_t *soft, rlim_t *hard)
{
	const struct limit_key *k = key_of_resource(resource);
	const char *colon = strchr(text, ':');
	size_t soft_len = colon ? (size_t)(colon - text) : strlen(text);
	rlim_t s, h;

	if (!k)
		return fail(EINVAL);
	if (parse_part(k->unit, text, soft_len, &s) < 0)
		return -1;
	if (!colon)
		h = s;
	else if (parse_part(k->unit, colon + 1, strlen(colon + 1), &h) < 0)
		return -1;
	if (s > h)
		return fail(EINVAL);
	*soft = s;
	*hard = h;
	return 0;
}
