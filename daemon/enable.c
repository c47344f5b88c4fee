#include "enable.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *mark_path(const char *state_dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/disabled/%s", state_dir, name) < 0)
		return NULL;
	return path;
}

bool enable_is_enabled(const char *state_dir, const char *name)
{
	char *path = mark_path(state_dir, name);
	bool enabled = !path || access(path, F_OK) != 0;

	free(path);
	return enabled;
}

static int make_mark(const char *state_dir, const char *path)
{
	char *dir;
	int fd;

	if (asprintf(&dir, "%s/disabled", state_dir) < 0)
		return -1;
	if ((mkdir(state_dir, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		int err = errno;

		free(dir);
		errno = err;
		return -1;
	}
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	return fd < 0 ? -1 : close(fd);
}

int enable_set(const char *state_dir, const char *name, bool enabled)
{
	char *path = mark_path(state_dir, name);
	int r, err;

	if (!path)
		return -1;
	if (enabled)
		r = unlink(path) < 0 && errno != ENOENT ? -1 : 0;
	else
		r = make_mark(state_dir, path);
	err = errno;
	free(path);
	errno = err;
	return r;
}
