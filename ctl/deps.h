/* deps: `svctl list-dependencies UNIT`, the units it requires and
 * wants as a tree, asked of svd one unit at a time. */
#ifndef SVCTL_DEPS_H
#define SVCTL_DEPS_H

#include <stdbool.h>
#include <stdio.h>

/* Levels shown at most: a deeper tree is cut, and says so. */
#define DEPS_DEPTH_MAX 32

/* Prints unit's tree to out: each unit with its state's dot, targets
 * expanded (every unit with all); a unit already shown above is not
 * expanded again. Returns svctl's exit status. */
int deps_run(FILE *out, int fd, const char *unit, bool all, bool color);

#endif
