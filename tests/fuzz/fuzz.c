/* fuzz: helpers shared by the harnesses (see fuzz.h). */
#include "fuzz.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The one directory fuzz_tmpdir() made, removed at exit. */
static char tmpdir[PATH_MAX];

void fuzz_assert(bool ok, const char *what, const char *file, int line)
{
	if (ok)
		return;
	fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", file, line, what);
	abort();
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_ASSERT(s != NULL);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

size_t fuzz_split(const uint8_t *data, size_t size, char **parts,
		  size_t *lens, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < max; i++) {
		parts[i] = NULL;
		if (lens)
			lens[i] = 0;
	}
	while (n < max) {
		const uint8_t *sep = n + 1 < max ? memchr(data, FUZZ_SEP, size) : NULL;
		size_t len = sep ? (size_t)(sep - data) : size;

		if (lens)
			lens[n] = len;
		parts[n++] = fuzz_strndup(data, len);
		if (!sep)
			break;
		data += len + 1;
		size -= len + 1;
	}
	return n;
}

void fuzz_parts_free(char **parts, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		free(parts[i]);
		parts[i] = NULL;
	}
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static void remove_tmpdir(void)
{
	if (tmpdir[0])
		nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_tmpdir(const char *name)
{
	const char *base = getenv("TMPDIR");
	int n;

	if (tmpdir[0])
		return tmpdir;
	if (!base || !*base)
		base = "/tmp";
	n = snprintf(tmpdir, sizeof(tmpdir), "%s/svd-fuzz-%s.XXXXXX", base,
		     name);
	FUZZ_ASSERT(n > 0 && (size_t)n < sizeof(tmpdir));
	if (!mkdtemp(tmpdir)) {
		perror(tmpdir);
		abort();
	}
	atexit(remove_tmpdir);
	return tmpdir;
}

char *fuzz_path(const char *dir, const char *name)
{
	char *path;

	FUZZ_ASSERT(asprintf(&path, "%s/%s", dir, name) > 0);
	return path;
}

void fuzz_write_file(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	const char *p = data;

	if (fd < 0) {
		perror(path);
		abort();
	}
	while (size > 0) {
		ssize_t n = write(fd, p, size);

		FUZZ_ASSERT(n > 0);
		p += n;
		size -= (size_t)n;
	}
	FUZZ_ASSERT(close(fd) == 0);
}

void fuzz_check_diag(void *ctx, const char *message)
{
	(void)ctx;
	FUZZ_ASSERT(strlen(message) > 0);
}
