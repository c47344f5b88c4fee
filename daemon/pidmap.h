/* pidmap: pid -> owner lookup for the reaper. Open addressing, so that
 * reaping thousands of orphans costs one probe each, not a scan of all
 * services. */
#ifndef SVD_PIDMAP_H
#define SVD_PIDMAP_H

#include <stddef.h>
#include <sys/types.h>

struct pidmap_slot {
	pid_t pid;	/* 0: empty; -1: deleted */
	void *owner;
};

struct pidmap {
	struct pidmap_slot *slots;
	size_t capacity;	/* a power of two, or 0 */
	size_t used;		/* live + deleted slots */
	size_t live;
};

void pidmap_init(struct pidmap *map);
void pidmap_free(struct pidmap *map);
/* Returns -1 (errno ENOMEM) if the table could not grow. */
int pidmap_put(struct pidmap *map, pid_t pid, void *owner);
void *pidmap_get(const struct pidmap *map, pid_t pid);
void pidmap_del(struct pidmap *map, pid_t pid);

#endif
