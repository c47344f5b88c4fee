#include "loglimit.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Keys of names and of call sites come from different seeds, and the
 * debug budget's from a third bit pattern, so no two kinds share a key
 * but by a 64-bit accident. */
#define NAME_SEED 0xcbf29ce484222325ULL	/* FNV-1a's offset basis */
#define SITE_SEED 0x9e3779b97f4a7c15ULL
#define DEBUG_SALT 0xd6e8feb86659fd93ULL

/* splitmix64's finaliser: every input bit moves every output bit, so the
 * set index (taken from the top bits) is as good as the whole key. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t key_of(const char *unit, const char *fmt, bool debug)
{
	uint64_t h;

	if (unit) {
		h = NAME_SEED;
		for (const unsigned char *p = (const unsigned char *)unit; *p; p++)
			h = (h ^ *p) * 0x100000001b3ULL;
	} else {
		h = SITE_SEED ^ (uint64_t)(uintptr_t)fmt;
	}
	h = mix(debug ? h ^ DEBUG_SALT : h);
	return h ? h : 1;	/* 0 marks a free record */
}

void loglimit_init(struct loglimit *l)
{
	memset(l, 0, sizeof(*l));
	l->others_level = INT_MAX;
}

static struct loglimit_slot *set_of(struct loglimit *l, uint64_t key)
{
	return &l->slots[((key >> 32) % LOGLIMIT_SETS) * LOGLIMIT_WAYS];
}

static bool window_over(const struct loglimit_slot *s, uint64_t now_usec)
{
	return now_usec - s->window_start_usec >= LOG_BURST_INTERVAL_USEC;
}

static void note_slot(struct loglimit_slot *s, loglimit_note_fn *note,
		      void *ctx)
{
	note(ctx, s->worst_level, s->site ? NULL : s->name, s->site,
	     s->suppressed);
	s->suppressed = 0;
	s->worst_level = INT_MAX;
}

/* The name kept for the note; a cut one says so. */
static void keep_name(struct loglimit_slot *s, const char *unit)
{
	size_t len = strlen(unit);

	if (len < sizeof(s->name)) {
		memcpy(s->name, unit, len + 1);
		return;
	}
	snprintf(s->name, sizeof(s->name), "%.*s...",
		 (int)sizeof(s->name) - 4, unit);
}

/* The record of key: its own, a free one, or the set's least recently
 * used, taken over (see loglimit.h for what the newcomer inherits). */
static struct loglimit_slot *slot_for(struct loglimit *l, uint64_t key,
				      const char *unit, const char *fmt,
				      bool debug, uint64_t now_usec)
{
	struct loglimit_slot *set = set_of(l, key), *victim = set;

	for (int i = 0; i < LOGLIMIT_WAYS; i++) {
		if (set[i].key == key)
			return &set[i];
		if (victim->key && (!set[i].key || set[i].used < victim->used))
			victim = &set[i];
	}
	if (victim->suppressed) {
		l->others += victim->suppressed;
		if (victim->worst_level < l->others_level)
			l->others_level = victim->worst_level;
	}
	if (!victim->key || window_over(victim, now_usec) ||
	    victim->debug != debug) {
		/* A debug record's count is no measure of a warning's
		 * budget, nor the other way round. */
		victim->window_start_usec = now_usec;
		victim->passed = 0;
	}
	victim->key = key;
	victim->suppressed = 0;
	victim->worst_level = INT_MAX;
	victim->debug = debug;
	victim->site = unit ? NULL : fmt;
	if (unit)
		keep_name(victim, unit);
	else
		victim->name[0] = '\0';
	return victim;
}

bool loglimit_admit(struct loglimit *l, const char *unit, const char *fmt,
		    int level, bool debug, uint64_t now_usec,
		    uint64_t *note_due_usec, loglimit_note_fn *note, void *ctx)
{
	uint64_t key = key_of(unit, fmt, debug);
	struct loglimit_slot *s = slot_for(l, key, unit, fmt, debug, now_usec);
	uint32_t burst = debug ? LOG_DEBUG_BURST_MESSAGES : LOG_BURST_MESSAGES;

	s->used = ++l->tick;
	if (window_over(s, now_usec)) {
		if (s->suppressed)
			note_slot(s, note, ctx);
		s->window_start_usec = now_usec;
		s->passed = 0;
	}
	if (s->passed < burst) {
		s->passed++;
		return true;
	}
	s->suppressed++;
	if (level < s->worst_level)
		s->worst_level = level;
	*note_due_usec = s->window_start_usec + LOG_BURST_INTERVAL_USEC;
	return false;
}

uint64_t loglimit_flush(struct loglimit *l, uint64_t now_usec,
			loglimit_note_fn *note, void *ctx)
{
	uint64_t next = 0, end;

	for (int i = 0; i < LOGLIMIT_SLOTS; i++) {
		struct loglimit_slot *s = &l->slots[i];

		if (!s->key || !s->suppressed)
			continue;
		end = s->window_start_usec + LOG_BURST_INTERVAL_USEC;
		if (now_usec >= end)
			note_slot(s, note, ctx);
		else if (!next || end < next)
			next = end;
	}
	if (l->others) {
		note(ctx, l->others_level, NULL, NULL, l->others);
		l->others = 0;
		l->others_level = INT_MAX;
	}
	return next;
}
