/* verify: `svctl verify FILE...`, the daemon's unit checks run offline. */
#ifndef SVCTL_VERIFY_H
#define SVCTL_VERIFY_H

#include <stddef.h>

/* Checks each file as svd loads a unit (a template with the instance
 * "test_instance", as systemd-analyze verify does; a mask is only
 * reported; what is no regular file is an error) and warns about units
 * that can never start under svd. Prints every warning and error; returns
 * 0 when no file has an error, 1 otherwise. */
int verify_files(const char *const *paths, size_t n_paths);

#endif
