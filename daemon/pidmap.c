#include "pidmap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#define PIDMAP_DELETED ((pid_t)-1)
#define PIDMAP_MIN_CAPACITY 64

void pidmap_init(struct pidmap *map)
{
	*map = (struct pidmap){0};
}

void pidmap_free(struct pidmap *map)
{
	free(map->slots);
	pidmap_init(map);
}

static size_t pid_hash(pid_t pid, size_t capacity)
{
	/* Fibonacci hashing: consecutive pids spread over the table. */
	return (size_t)(((uint64_t)(uint32_t)pid * UINT64_C(11400714819323198485)) >> 32) &
	       (capacity - 1);
}

static struct pidmap_slot *find_slot(const struct pidmap *map, pid_t pid)
{
	size_t i;

	if (map->capacity == 0)
		return NULL;
	for (i = pid_hash(pid, map->capacity);; i = (i + 1) & (map->capacity - 1)) {
		struct pidmap_slot *slot = &map->slots[i];

		if (slot->pid == pid)
			return slot;
		if (slot->pid == 0)
			return NULL;
	}
}

static int rehash(struct pidmap *map, size_t capacity)
{
	struct pidmap_slot *old = map->slots;
	size_t old_capacity = map->capacity;

	map->slots = calloc(capacity, sizeof(*map->slots));
	if (!map->slots) {
		map->slots = old;
		errno = ENOMEM;
		return -1;
	}
	map->capacity = capacity;
	map->used = map->live = 0;
	for (size_t i = 0; i < old_capacity; i++)
		if (old[i].pid > 0)
			pidmap_put(map, old[i].pid, old[i].owner);
	free(old);
	return 0;
}

int pidmap_put(struct pidmap *map, pid_t pid, void *owner)
{
	struct pidmap_slot *slot = find_slot(map, pid);
	size_t i;

	if (slot) {
		slot->owner = owner;
		return 0;
	}
	/* Keep the load (deleted slots included) under 3/4 so probes stay
	 * short and an empty slot always ends a search; a rehash leaves it
	 * under 1/2 so the next one is as many puts away as there are live
	 * pids (16 bytes a slot: at 1/4, a thousand services held 64). */
	if ((map->used + 1) * 4 > map->capacity * 3) {
		size_t want = map->capacity ? map->capacity : PIDMAP_MIN_CAPACITY;

		while ((map->live + 1) * 2 > want)
			want *= 2;
		if (rehash(map, want) < 0)
			return -1;
	}
	i = pid_hash(pid, map->capacity);
	while (map->slots[i].pid > 0)
		i = (i + 1) & (map->capacity - 1);
	if (map->slots[i].pid == 0)
		map->used++;
	map->slots[i] = (struct pidmap_slot){ .pid = pid, .owner = owner };
	map->live++;
	return 0;
}

void *pidmap_get(const struct pidmap *map, pid_t pid)
{
	struct pidmap_slot *slot = pid > 0 ? find_slot(map, pid) : NULL;

	return slot ? slot->owner : NULL;
}

void pidmap_del(struct pidmap *map, pid_t pid)
{
	struct pidmap_slot *slot = pid > 0 ? find_slot(map, pid) : NULL;

	if (!slot)
		return;
	slot->pid = PIDMAP_DELETED;
	slot->owner = NULL;
	map->live--;
}
