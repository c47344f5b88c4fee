/* caps: see caps.h. libcap's tables stand behind the names, so that a
 * capability newer than svd is known wherever the system's libcap knows
 * it. */
#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

/* A number as systemd's safe_atoi() takes it: decimal, 0x-hex or
 * 0-octal, the whole word. */
static int number(const char *word)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)word[0]))
		return -1;
	errno = 0;
	n = strtoul(word, &end, 0);
	return errno || *end || n >= CAPS_MAX ? -1 : (int)n;
}

int caps_from_name(const char *name)
{
	cap_value_t cap;
	char *known;
	bool whole;

	if (isdigit((unsigned char)name[0]))
		return number(name);
	if (cap_from_name(name, &cap) < 0 || cap < 0 || cap >= CAPS_MAX)
		return -1;
	/* libcap stops reading at the first character no name has
	 * ("CAP_CHOWN,CAP_KILL" is cap_chown to it): the whole word must
	 * be the name. */
	known = cap_to_name(cap);
	whole = known && strcasecmp(known, name) == 0;
	cap_free(known);
	return whole ? cap : -1;
}

const char *caps_name(int cap, char *buf, unsigned size)
{
	char *name = cap_to_name(cap);

	/* Out of memory: the number still names it. */
	if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%d", cap);
	cap_free(name);
	return buf;
}

int caps_last_cap(void)
{
	unsigned bits = cap_max_bits();

	if (bits == 0)
		return 0;
	return bits > CAPS_MAX ? CAPS_MAX - 1 : (int)bits - 1;
}

uint64_t caps_merge(uint64_t set, bool first, uint64_t sum, bool invert)
{
	if (sum == 0 || first)
		return invert ? ~sum : sum;
	return invert ? set & ~sum : set | sum;
}

static const struct {
	const char *word;
	int bit;
} securebits[] = {
	{ "keep-caps", SECBIT_KEEP_CAPS },
	{ "keep-caps-locked", SECBIT_KEEP_CAPS_LOCKED },
	{ "no-setuid-fixup", SECBIT_NO_SETUID_FIXUP },
	{ "no-setuid-fixup-locked", SECBIT_NO_SETUID_FIXUP_LOCKED },
	{ "noroot", SECBIT_NOROOT },
	{ "noroot-locked", SECBIT_NOROOT_LOCKED },
};

int caps_securebit_from_word(const char *word)
{
	for (size_t i = 0; i < sizeof(securebits) / sizeof(securebits[0]); i++)
		if (strcmp(word, securebits[i].word) == 0)
			return securebits[i].bit;
	return -1;
}
