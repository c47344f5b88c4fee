/* envmap: an environment being built from assignments, as Environment=,
 * EnvironmentFile= and svd's own variables make a service's. The
 * "KEY=VALUE" strings stay in the order each name was first set (a later
 * assignment replaces the value in place), and a
 * hash index of the names makes each set, get or unset O(1) on average:
 * n assignments cost O(n), where scanning the vector for each cost O(n^2)
 * (issue 11: 128k keys blocked svd for a minute).
 *
 * Functions that allocate return -1 with errno = ENOMEM and leave the map
 * valid, holding what was set before. */
#ifndef SVD_ENVMAP_H
#define SVD_ENVMAP_H

#include <stddef.h>

struct envmap {
	char **v;		/* assignments; NULL where one was unset */
	size_t len;		/* entries used in v, holes included */
	size_t cap;		/* entries allocated in v */
	size_t *slots;		/* open addressing: index in v + 1; 0 empty */
	size_t n_slots;		/* a power of two, or 0 */
	size_t n_live;		/* assignments set: len minus the holes */
	/* Slots looked at so far, rehashing included: the work done, so
	 * tests can bound it without timing. */
	unsigned long long probes;
};

#define ENVMAP_INIT { NULL, 0, 0, NULL, 0, 0, 0 }

/* Sets "KEY=VALUE" (a copy); EINVAL without '='. */
int envmap_put(struct envmap *m, const char *assignment);
/* The same, taking ownership of assignment (freed on failure too). */
int envmap_put_take(struct envmap *m, char *assignment);
int envmap_set(struct envmap *m, const char *key, const char *value);
/* Puts every assignment of env (a NULL-terminated vector; may be NULL). */
int envmap_put_all(struct envmap *m, char *const *env);
/* The value of key, or NULL. */
const char *envmap_get(struct envmap *m, const char *key);
/* Removes KEY ("KEY"), or only that exact assignment ("KEY=VALUE"), as
 * UnsetEnvironment= does. Never fails. */
void envmap_unset(struct envmap *m, const char *what);
/* Hands the assignments over as a NULL-terminated vector in their order,
 * NULL when there is none; m is empty afterwards. Never fails. */
char **envmap_take(struct envmap *m);
/* Frees everything; m is empty (and reusable) afterwards. */
void envmap_free(struct envmap *m);

#endif
