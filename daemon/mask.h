/* mask: systemctl's mask and unmask. A mask is a link to /dev/null named
 * after the unit in a unit directory; the lookup (unit_lookup.c) takes
 * the first directory that has the name, so a mask in the first one
 * hides every file of that name in the others. */
#ifndef SVD_MASK_H
#define SVD_MASK_H

/* Links DIR/NAME to /dev/null, with *path set to DIR/NAME (the caller
 * frees it). 0: made; 1: it was a mask already; -1 with errno, EEXIST
 * when something else (a unit file, an alias) has the name there. */
int mask_create(const char *dir, const char *name, char **path);
/* Removes DIR/NAME if it is a link to /dev/null, and nothing else.
 * 0: removed; 1: no mask there; -1 with errno. *path as above. */
int mask_remove(const char *dir, const char *name, char **path);

#endif
