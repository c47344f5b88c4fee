/* verify: `svctl verify FILE...`, the daemon's unit checks run offline. */
#ifndef SVCTL_VERIFY_H
#define SVCTL_VERIFY_H

#include <stddef.h>

/* Prints every warning and error; returns 0 when no file has an error,
 * 1 otherwise. */
int verify_files(const char *const *paths, size_t n_paths);

#endif
