/* loglimit: how many of svd's own messages a source may write, so that a
 * unit in a crash loop at RestartSec=0 (hundreds of cycles a second, each
 * with its warnings) cannot fill the console, the kernel log or a
 * container's log driver with the same lines.
 *
 * A source is a unit (by name), or, for svd's messages about itself, the
 * call site (the format string's address): a flood from one site, such
 * as accept() failing in a loop, must not silence the others (boot,
 * shutdown). Each source may write LOG_BURST_MESSAGES per window of
 * LOG_BURST_INTERVAL_SEC, which starts at its first message; the rest are
 * counted and dropped, and once the window is over one note says how many
 * ("web.service: 37 similar messages suppressed"): before the source's
 * next message, or when loglimit_flush() is called at the window's end,
 * whichever comes first. Debug messages (only there under -v) have a
 * budget of their own, larger (a crash cycle is some seven debug lines)
 * and apart, so that -v's chatter never uses up a unit's warnings.
 *
 * Memory is one fixed table (LOGLIMIT_SLOTS records, no allocation ever),
 * however many units there are: LOGLIMIT_SETS sets of LOGLIMIT_WAYS
 * records, a source's set chosen by a hash of its key, the least recently
 * used record of the set taken over by a source not in it. A record taken
 * over while its window still runs is a sign of more noisy sources than
 * records: the newcomer then continues that window and its count instead
 * of a fresh budget (under pressure, sources of one set share a budget),
 * so that all of svd writes at most LOGLIMIT_SLOTS * burst lines per
 * window however many units misbehave. What the evicted record had
 * suppressed joins one count of "other sources", reported by the next
 * flush, so that no drop goes unsaid and notes stay bounded too.
 *
 * Pure: the caller gives the time; log.c owns the one table svd uses. */
#ifndef SVD_LOGLIMIT_H
#define SVD_LOGLIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* Messages a unit (or one of svd's call sites) may write per window. */
#define LOG_BURST_MESSAGES 10
/* The same for debug messages, apart: about seven crash cycles under -v. */
#define LOG_DEBUG_BURST_MESSAGES 50
/* A window's length: a source's budget is renewed this long after the
 * first message of its window. */
#define LOG_BURST_INTERVAL_SEC 5
#define LOG_BURST_INTERVAL_USEC ((uint64_t)LOG_BURST_INTERVAL_SEC * 1000000)

#define LOGLIMIT_SETS 32
#define LOGLIMIT_WAYS 8
#define LOGLIMIT_SLOTS (LOGLIMIT_SETS * LOGLIMIT_WAYS)
/* A unit's name as kept for its note; a longer one is cut (its key, the
 * hash of the whole name, is not). */
#define LOGLIMIT_NAME_MAX_BYTES 64

/* One source's window. */
struct loglimit_slot {
	uint64_t key;		/* hash of the name or the call site; 0: free */
	uint64_t used;		/* loglimit.tick at its last message (LRU) */
	uint64_t window_start_usec; /* its window runs from here */
	uint32_t passed;	/* messages written in this window */
	uint32_t suppressed;	/* messages dropped in this window */
	int worst_level;	/* most severe (lowest) level dropped */
	bool debug;		/* the debug budget's record */
	const char *site;	/* svd's own: the format string, static */
	char name[LOGLIMIT_NAME_MAX_BYTES]; /* a unit's, cut with a NUL */
};

struct loglimit {
	struct loglimit_slot slots[LOGLIMIT_SLOTS];
	uint64_t tick;		/* counts messages: the LRU's clock */
	uint64_t others;	/* dropped by records since taken over */
	int others_level;	/* most severe of those */
};

/* One "N similar messages suppressed" line to write: name is the unit's
 * (NULL for svd's own, then site is its format string; both NULL for the
 * count of other sources). */
typedef void loglimit_note_fn(void *ctx, int level, const char *name,
			      const char *site, uint64_t suppressed);

void loglimit_init(struct loglimit *l);
/* Whether a message of unit (NULL: svd's own, from the call site fmt) at
 * level may be written now; a note owed for the source's last window is
 * handed to note first. When not, *note_due_usec says when the window
 * ends, so that the caller can flush then. O(LOGLIMIT_WAYS). */
bool loglimit_admit(struct loglimit *l, const char *unit, const char *fmt,
		    int level, bool debug, uint64_t now_usec,
		    uint64_t *note_due_usec, loglimit_note_fn *note, void *ctx);
/* Hands out the notes of the windows that are over, and the count of
 * other sources; returns when the next note is due (monotonic usec), 0
 * when none is. O(LOGLIMIT_SLOTS), called at most once per window. */
uint64_t loglimit_flush(struct loglimit *l, uint64_t now_usec,
			loglimit_note_fn *note, void *ctx);

#endif
