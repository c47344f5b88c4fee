/* The unit loader on real files: an input is
 *   UNIT-FILE [SEP INSTANCE [SEP DROP-IN]...]
 * written as fuzz@.service and fuzz@.service.d/NN.conf in a temporary
 * unit directory, then loaded as svd loads it: the file with the instance
 * (unit_load_file) and, for a non-empty instance, by name through the
 * lookup (unit_load_name "fuzz@INSTANCE"). A unit that loads has its
 * commands expanded against its own environment, as at spawn time. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec.h"
#include "strv.h"
#include "unit.h"

/* Drop-ins taken from one input; further parts stay in the last one. */
#define FUZZ_DROPINS_MAX 3
#define FUZZ_PARTS_MAX (2 + FUZZ_DROPINS_MAX)

static const char *dirs[1];
static char *template_path;
static char *dropin_paths[FUZZ_DROPINS_MAX];

/* Diagnostics are the loader's output: read them whole, drop them. */
static void on_diag(void *ctx, enum unit_diag_level level, const char *message)
{
	(void)ctx;
	FUZZ_ASSERT(level == UNIT_DIAG_WARNING || level == UNIT_DIAG_ERROR ||
		    level == UNIT_DIAG_UNSUPPORTED);
	FUZZ_ASSERT(strlen(message) > 0);
}

static const struct unit_load_ctx ctx = {
	.dirs = dirs, .n_dirs = 1, .diag = on_diag,
	.spec = { .host = &(struct spec_host){ .hostname = "fuzzhost" } },
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *dropin_dir;

	(void)argc;
	(void)argv;
	dirs[0] = fuzz_tmpdir("unit");
	template_path = fuzz_path(dirs[0], "fuzz@.service");
	dropin_dir = fuzz_path(dirs[0], "fuzz@.service.d");
	FUZZ_ASSERT(mkdir(dropin_dir, 0755) == 0);
	for (int i = 0; i < FUZZ_DROPINS_MAX; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%d0-fuzz.conf", i + 1);
		dropin_paths[i] = fuzz_path(dropin_dir, name);
	}
	free(dropin_dir);
	return 0;
}

/* What spawning would do with each command: expand it. */
static void expand_commands(const struct unit *u)
{
	for (size_t i = 0; i < u->n_exec_start; i++) {
		char **argv = exec_expand_argv(&u->exec_start[i], u->environment);

		FUZZ_ASSERT(argv != NULL);
		strv_free(argv);
	}
}

static void check_unit(const struct unit *u)
{
	FUZZ_ASSERT(u->name != NULL && u->path != NULL);
	FUZZ_ASSERT(unit_type_name(u->type) != NULL);
	FUZZ_ASSERT(unit_restart_name(u->restart) != NULL);
	for (size_t i = 0; i < u->n_exec_start; i++) {
		FUZZ_ASSERT(u->exec_start[i].path != NULL);
		FUZZ_ASSERT(u->exec_start[i].argv != NULL);
	}
	expand_commands(u);
}

static void load_file(const char *instance)
{
	struct unit *u = NULL;

	if (unit_load_file(&ctx, template_path, instance, &u) < 0) {
		FUZZ_ASSERT(u == NULL);
		return;
	}
	check_unit(u);
	unit_free(u);
}

static void load_name(const char *instance)
{
	struct unit *u = NULL;
	char *name;

	FUZZ_ASSERT(asprintf(&name, "fuzz@%s", instance) > 0);
	if (unit_load_name(&ctx, name, &u) == UNIT_LOOKUP_OK) {
		check_unit(u);
		unit_free(u);
	} else {
		FUZZ_ASSERT(u == NULL);
	}
	free(name);
}

/* Written whole: a NUL byte inside a file is the reader's to handle. */
static void write_files(char **parts, const size_t *lens)
{
	fuzz_write_file(template_path, parts[0], lens[0]);
	for (int i = 0; i < FUZZ_DROPINS_MAX; i++) {
		if (parts[2 + i])
			fuzz_write_file(dropin_paths[i], parts[2 + i],
					lens[2 + i]);
		else
			unlink(dropin_paths[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *parts[FUZZ_PARTS_MAX];
	size_t lens[FUZZ_PARTS_MAX];
	const char *instance;

	fuzz_split(data, size, parts, lens, FUZZ_PARTS_MAX);
	instance = parts[1] ? parts[1] : "";
	write_files(parts, lens);
	load_file(instance);
	if (*instance)
		load_name(instance);
	fuzz_parts_free(parts, FUZZ_PARTS_MAX);
	return 0;
}
