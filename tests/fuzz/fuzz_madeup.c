/* The names and files behind the units svd makes up: the input is an
 * fstab, a unit name and a path, cut at FUZZ_SEP. Every mount point read
 * is plain; a name's path is plain and names the same unit again; a
 * plain path goes to a name and back unchanged; RequiresMountsFor= names
 * only mounts at the path or above it. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "madeup.h"
#include "strv.h"

static char *fstab_path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fstab_path = fuzz_path(fuzz_tmpdir("madeup"), "fstab");
	return 0;
}

static bool plain(const char *path)
{
	char *copy = strdup(path);
	bool ok;

	FUZZ_ASSERT(copy != NULL);
	ok = unit_path_plain(copy) && strcmp(copy, path) == 0;
	free(copy);
	return ok;
}

/* path -> name -> path is the identity for a plain path. */
static void round_trip(const char *path, const char *suffix)
{
	char *name = unit_name_from_path(path, suffix), *back;

	FUZZ_ASSERT(name != NULL);
	back = unit_name_to_path(name);
	FUZZ_ASSERT(back != NULL);
	FUZZ_ASSERT(strcmp(back, path) == 0);
	free(back);
	free(name);
}

static void check_name(const char *name)
{
	char *path = unit_name_to_path(name);

	if (!path)
		return;
	FUZZ_ASSERT(plain(path));
	round_trip(path, ".device");
	free(path);
}

static void check_mounts_for(char *const *points, const char *path)
{
	char **names = madeup_mounts_for(points, path);

	FUZZ_ASSERT(names != NULL);
	for (size_t i = 0; names[i]; i++) {
		char *point = unit_name_to_path(names[i]);
		size_t n;

		FUZZ_ASSERT(point != NULL);
		n = strlen(point);
		FUZZ_ASSERT(strncmp(point, path, n) == 0 &&
			    (path[n] == '\0' || path[n] == '/'));
		/* Outermost first. */
		if (i > 0)
			FUZZ_ASSERT(strlen(names[i - 1]) <= strlen(names[i]));
		free(point);
	}
	strv_free(names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *parts[3], **points = NULL;
	size_t lens[3];

	fuzz_split(data, size, parts, lens, 3);
	fuzz_write_file(fstab_path, parts[0], lens[0]);
	FUZZ_ASSERT(madeup_fstab_read(fstab_path, &points) == 0);
	for (size_t i = 0; points && points[i]; i++) {
		FUZZ_ASSERT(plain(points[i]));
		FUZZ_ASSERT(strcmp(points[i], "/") != 0);
		round_trip(points[i], ".mount");
	}
	if (parts[1])
		check_name(parts[1]);
	if (parts[2] && plain(parts[2])) {
		round_trip(parts[2], ".mount");
		check_mounts_for(points, parts[2]);
	}
	strv_free(points);
	fuzz_parts_free(parts, 3);
	return 0;
}
