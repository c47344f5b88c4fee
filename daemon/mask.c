#include "mask.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MASK_TARGET "/dev/null"

/* Whether path is a symlink whose text is exactly /dev/null: systemctl
 * removes no other link, and neither does svd (an alias or a stand-in
 * file is the admin's). */
static int is_mask(const char *path)
{
	char buf[sizeof(MASK_TARGET) + 1];
	ssize_t n = readlink(path, buf, sizeof(buf));

	if (n < 0)
		return errno == ENOENT || errno == EINVAL ? 0 : -1;
	return (size_t)n == strlen(MASK_TARGET) &&
	       memcmp(buf, MASK_TARGET, (size_t)n) == 0;
}

static int join(const char *dir, const char *name, char **path)
{
	if (asprintf(path, "%s/%s", dir, name) < 0) {
		*path = NULL;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int mask_create(const char *dir, const char *name, char **path)
{
	int r;

	if (join(dir, name, path) < 0)
		return -1;
	if (symlink(MASK_TARGET, *path) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	r = is_mask(*path);
	if (r == 0)
		errno = EEXIST;
	return r > 0 ? 1 : -1;
}

int mask_remove(const char *dir, const char *name, char **path)
{
	int r;

	if (join(dir, name, path) < 0)
		return -1;
	r = is_mask(*path);
	if (r <= 0)
		return r < 0 ? -1 : 1;
	if (unlink(*path) < 0)
		return errno == ENOENT ? 1 : -1;
	return 0;
}
