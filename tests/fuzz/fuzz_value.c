/* The scalar value parsers of unit files. The first byte picks the parser
 * (its value modulo the number of them), the second is a parameter (the
 * resource of Limit*=, a buffer size, a starting set), the rest is the
 * text. Beyond "no crash", each
 * parser's promise is checked: a time span formats and parses back to
 * itself, a size or a signal read back from its canonical spelling is the
 * same, a failed parse leaves the output untouched, an exit-status set
 * only grows and spelled out parses to the same set, soft <= hard. */
#include "fuzz.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rlimit.h"
#include "value.h"

/* Longer than any span value_format_timespan() writes (UINT64_MAX - 1 is
 * 11 components of at most 12 characters). */
#define FUZZ_SPAN_MAX_BYTES 256

static void fuzz_timespan(const char *text, size_t buf_size)
{
	char buf[FUZZ_SPAN_MAX_BYTES], *small;
	uint64_t usec = 42, again = 43;

	if (value_parse_timespan(text, &usec) < 0) {
		FUZZ_ASSERT(usec == 42);
		return;
	}
	value_format_timespan(usec, buf, sizeof(buf));
	FUZZ_ASSERT(strlen(buf) + 1 < sizeof(buf));
	FUZZ_ASSERT(value_parse_timespan(buf, &again) == 0);
	FUZZ_ASSERT(again == usec);
	/* A buffer of any size: whole components, always terminated. */
	small = malloc(buf_size ? buf_size : 1);
	FUZZ_ASSERT(small != NULL);
	value_format_timespan(usec, small, (unsigned)buf_size);
	if (buf_size)
		FUZZ_ASSERT(strlen(small) < buf_size &&
			    strncmp(small, buf, strlen(small)) == 0);
	free(small);
}

static void fuzz_size(const char *text)
{
	uint64_t bytes = 42, again = 43;
	char buf[32];

	if (value_parse_size(text, &bytes) < 0) {
		FUZZ_ASSERT(bytes == 42);
		return;
	}
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)bytes);
	FUZZ_ASSERT(value_parse_size(buf, &again) == 0 && again == bytes);
}

static void fuzz_bool(const char *text)
{
	bool b = false, again = true;

	if (value_parse_bool(text, &b) < 0)
		return;
	FUZZ_ASSERT(value_parse_bool(b ? "yes" : "no", &again) == 0);
	FUZZ_ASSERT(again == b);
}

static void check_signal_spelling(const char *spelling, int signo)
{
	int again = 0;

	FUZZ_ASSERT(value_parse_signal(spelling, &again) == 0);
	FUZZ_ASSERT(again == signo);
}

static void fuzz_signal(const char *text)
{
	char buf[32];
	const char *name;
	int signo = -42;

	if (value_parse_signal(text, &signo) < 0) {
		FUZZ_ASSERT(signo == -42);
		return;
	}
	FUZZ_ASSERT(signo >= 1 && signo < NSIG);
	snprintf(buf, sizeof(buf), "%d", signo);
	check_signal_spelling(buf, signo);
	name = value_signal_name(signo);
	if (!name)
		return;
	check_signal_spelling(name, signo);
	snprintf(buf, sizeof(buf), "SIG%s", name);
	check_signal_spelling(buf, signo);
}

/* The set written back as words the parser takes: codes in decimal,
 * signals by name or as RTMIN+n. */
static char *spell_exit_status_set(const struct exit_status_set *set)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	FUZZ_ASSERT(f != NULL);
	for (int code = 0; code < 256; code++)
		if (exit_status_set_has_code(set, code))
			fprintf(f, "%d ", code);
	for (int signo = 1; signo < 64; signo++) {
		const char *name = value_signal_name(signo);

		if (!exit_status_set_has_signal(set, signo))
			continue;
		if (name) {
			fprintf(f, "SIG%s ", name);
		} else {
			/* Only the real-time signals have no name. */
			FUZZ_ASSERT(signo >= SIGRTMIN && signo <= SIGRTMAX);
			fprintf(f, "RTMIN+%d ", signo - SIGRTMIN);
		}
	}
	FUZZ_ASSERT(fclose(f) == 0);
	return text;
}

static void fuzz_exit_status(const char *text, uint8_t seed)
{
	struct exit_status_set set, before, again = {0};
	char *spelled;

	/* Start from a set that is not empty: parsing adds to it. */
	memset(&set, 0, sizeof(set));
	set.codes[seed % sizeof(set.codes)] = seed;
	set.signals = (uint64_t)seed << 20;
	before = set;
	if (value_parse_exit_status_set(text, &set) < 0) {
		FUZZ_ASSERT(memcmp(&set, &before, sizeof(set)) == 0);
		return;
	}
	for (size_t i = 0; i < sizeof(set.codes); i++)
		FUZZ_ASSERT((set.codes[i] & before.codes[i]) == before.codes[i]);
	FUZZ_ASSERT((set.signals & before.signals) == before.signals);
	FUZZ_ASSERT((set.signals & 1) == 0);	/* no signal 0 */
	spelled = spell_exit_status_set(&set);
	FUZZ_ASSERT(value_parse_exit_status_set(spelled, &again) == 0);
	FUZZ_ASSERT(memcmp(&set, &again, sizeof(set)) == 0);
	free(spelled);
}

static void fuzz_rlimit(const char *text, uint8_t which)
{
	int resource = which % RLIM_NLIMITS;
	const char *key = rlimit_key_name(resource);
	rlim_t soft = 42, hard = 43;

	if (key)
		FUZZ_ASSERT(rlimit_from_key(key) == resource);
	errno = 0;
	if (rlimit_parse(resource, text, &soft, &hard) < 0) {
		FUZZ_ASSERT(errno == EINVAL || errno == ERANGE);
		FUZZ_ASSERT(soft == 42 && hard == 43);
		return;
	}
	FUZZ_ASSERT(key != NULL);
	FUZZ_ASSERT(soft <= hard);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t which, arg;
	char *text;

	if (size < 2)
		return 0;
	which = data[0];
	arg = data[1];
	text = fuzz_strndup(data + 2, size - 2);
	switch (which % 6) {
	case 0: fuzz_timespan(text, arg); break;
	case 1: fuzz_size(text); break;
	case 2: fuzz_bool(text); break;
	case 3: fuzz_signal(text); break;
	case 4: fuzz_exit_status(text, arg); break;
	case 5: fuzz_rlimit(text, arg); break;
	}
	free(text);
	return 0;
}
