/* envmap: see envmap.h. Linear probing over an array of indexes into the
 * vector; an unset leaves its slot pointing at a hole, skipped by lookups
 * and dropped at the next rehash, so no slot ever has to move. */
#include "envmap.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The index is rebuilt at most half full (holes counted): linear probing
 * then looks at about 1.5 slots for a name present, 2.5 for one absent. */
#define ENVMAP_MIN_SLOTS 16

static size_t name_length(const char *assignment)
{
	return strcspn(assignment, "=");
}

/* FNV-1a: short names, no adversary worth a keyed hash (the unit and its
 * files come from root). */
static size_t hash_name(const char *name, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= UINT64_C(1099511628211);
	}
	return (size_t)h;
}

static bool entry_is(const char *entry, const char *name, size_t len)
{
	return entry && strncmp(entry, name, len) == 0 && entry[len] == '=';
}

/* The slot holding name, or the empty one where it would go; n_slots > 0
 * and never full. */
static size_t *find_slot(struct envmap *m, const char *name, size_t len)
{
	size_t mask = m->n_slots - 1, i = hash_name(name, len) & mask;

	for (;; i = (i + 1) & mask) {
		m->probes++;
		if (m->slots[i] == 0 || entry_is(m->v[m->slots[i] - 1], name, len))
			return &m->slots[i];
	}
}

/* A new index sized for the assignments set, the holes dropped from v. */
static int rehash(struct envmap *m)
{
	size_t n_slots = ENVMAP_MIN_SLOTS, kept = 0;
	size_t *slots;

	while (n_slots < (m->n_live + 1) * 4)
		n_slots *= 2;
	slots = calloc(n_slots, sizeof(*slots));
	if (!slots)
		return -1;
	free(m->slots);
	m->slots = slots;
	m->n_slots = n_slots;
	for (size_t i = 0; i < m->len; i++) {
		if (!m->v[i])
			continue;
		m->v[kept] = m->v[i];
		*find_slot(m, m->v[kept], name_length(m->v[kept])) = kept + 1;
		kept++;
	}
	m->len = kept;
	return 0;
}

/* Room for one more entry in v (and its final NULL) and in the index.
 * Returns 1 when the index was rebuilt (slots moved), 0, or -1. */
static int reserve(struct envmap *m)
{
	if (m->len + 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		char **grown = realloc(m->v, cap * sizeof(*grown));

		if (!grown)
			return -1;
		m->v = grown;
		m->cap = cap;
	}
	if ((m->len + 1) * 2 <= m->n_slots)
		return 0;
	return rehash(m) < 0 ? -1 : 1;
}

int envmap_put_take(struct envmap *m, char *assignment)
{
	size_t len, *slot = NULL;
	int r;

	if (!assignment)
		return -1;
	if (!strchr(assignment, '=')) {
		free(assignment);
		errno = EINVAL;
		return -1;
	}
	len = name_length(assignment);
	if (m->n_slots && *(slot = find_slot(m, assignment, len))) {
		free(m->v[*slot - 1]);	/* later wins, in the same place */
		m->v[*slot - 1] = assignment;
		return 0;
	}
	if ((r = reserve(m)) < 0) {
		free(assignment);
		return -1;
	}
	if (r > 0)
		slot = find_slot(m, assignment, len);
	m->v[m->len++] = assignment;
	*slot = m->len;
	m->n_live++;
	return 0;
}

int envmap_put(struct envmap *m, const char *assignment)
{
	return envmap_put_take(m, strdup(assignment));
}

int envmap_set(struct envmap *m, const char *key, const char *value)
{
	char *assignment;

	if (asprintf(&assignment, "%s=%s", key, value) < 0)
		return -1;
	return envmap_put_take(m, assignment);
}

int envmap_put_all(struct envmap *m, char *const *env)
{
	for (size_t i = 0; env && env[i]; i++)
		if (envmap_put(m, env[i]) < 0)
			return -1;
	return 0;
}

const char *envmap_get(struct envmap *m, const char *key)
{
	size_t len = strlen(key), *slot;

	if (!m->n_slots || !*(slot = find_slot(m, key, len)))
		return NULL;
	return m->v[*slot - 1] + len + 1;
}

void envmap_unset(struct envmap *m, const char *what)
{
	size_t len = name_length(what), *slot;
	char **entry;

	if (!m->n_slots || !*(slot = find_slot(m, what, len)))
		return;
	entry = &m->v[*slot - 1];
	if (what[len] == '=' && strcmp(*entry, what) != 0)
		return;
	free(*entry);
	*entry = NULL;	/* a hole; its slot is skipped until the rehash */
	m->n_live--;
}

/* Empty again; the work counted so far is kept. */
static void reset(struct envmap *m)
{
	unsigned long long probes = m->probes;

	free(m->slots);
	*m = (struct envmap)ENVMAP_INIT;
	m->probes = probes;
}

char **envmap_take(struct envmap *m)
{
	char **v = m->v;
	size_t kept = 0;

	for (size_t i = 0; i < m->len; i++)
		if (v[i])
			v[kept++] = v[i];
	if (kept == 0) {
		free(v);
		v = NULL;
	} else {
		v[kept] = NULL;	/* reserve() kept room for it */
	}
	reset(m);
	return v;
}

void envmap_free(struct envmap *m)
{
	for (size_t i = 0; i < m->len; i++)
		free(m->v[i]);
	free(m->v);
	reset(m);
}
