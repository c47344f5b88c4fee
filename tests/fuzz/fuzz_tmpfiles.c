/* tmpfiles.d: the input is one configuration file, parsed from memory
 * (exactly size bytes, no terminating NUL, so an over-read shows) and
 * read back from a real file. Both must agree; every line kept must be
 * one the applier can trust: a known type, an absolute normalized path
 * (no "..": nothing climbs out of the root), a mode within 07777; every
 * error is said as "FILE:LINE: ..." and counted. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpfiles.h"

static char *conf_path;
static unsigned said_errors;

static const struct tmpfiles_specs specs = {
	.machine_id = "0123456789abcdef0123456789abcdef",
	.boot_id = NULL,	/* unresolvable: lines with %b are warnings */
	.hostname = "host.example",
	.runtime_dir = "/run",
	.state_dir = "/var/lib",
	.user = "root",
	.group = "root",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf_path = fuzz_path(fuzz_tmpdir("tmpfiles"), "fuzz.conf");
	return 0;
}

static void diag(void *ctx, bool error, const char *message)
{
	const char *path = ctx;

	FUZZ_ASSERT(message && *message);
	/* Parse errors name the file and a line number. */
	FUZZ_ASSERT(strncmp(message, path, strlen(path)) == 0);
	FUZZ_ASSERT(message[strlen(path)] == ':');
	if (error)
		said_errors++;
}

static void check_path(const char *path)
{
	FUZZ_ASSERT(path[0] == '/');
	FUZZ_ASSERT(strstr(path, "//") == NULL);
	FUZZ_ASSERT(strstr(path, "/./") == NULL);
	FUZZ_ASSERT(strstr(path, "/../") == NULL);
	FUZZ_ASSERT(strcmp(path, "/") == 0 || path[strlen(path) - 1] != '/');
	FUZZ_ASSERT(strlen(path) < 3 || strcmp(path + strlen(path) - 3, "/..") != 0);
	FUZZ_ASSERT(strlen(path) < 2 || strcmp(path + strlen(path) - 2, "/.") != 0);
}

static void check_list(const struct tmpfiles_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		const struct tmpfiles_line *l = &list->lines[i];

		FUZZ_ASSERT(l->type && strchr("fwdDepLcbCxXrRzZ", l->type));
		check_path(l->path);
		FUZZ_ASSERT(l->mode <= 07777);
		FUZZ_ASSERT(l->line >= 1);
		if (strchr("fw", l->type) && l->argument)
			FUZZ_ASSERT(l->argument_len == strlen(l->argument));
		if (l->type == 'w' || l->type == 'L' || l->type == 'C')
			FUZZ_ASSERT(l->argument != NULL);
		if (l->type == 'C')
			check_path(l->argument);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpfiles_list mem = { 0 }, file = { 0 };

	if (size > TMPFILES_FILE_MAX_BYTES)
		return 0;
	said_errors = 0;
	FUZZ_ASSERT(tmpfiles_parse_text(&mem, (const char *)data, size, conf_path,
					&specs, true, diag, conf_path) == 0);
	FUZZ_ASSERT(mem.n_errors == said_errors);
	check_list(&mem);
	fuzz_write_file(conf_path, data, size);
	FUZZ_ASSERT(tmpfiles_parse_file(&file, conf_path, &specs, true, diag,
					conf_path) == 0);
	FUZZ_ASSERT(file.n == mem.n);
	for (size_t i = 0; i < mem.n; i++) {
		FUZZ_ASSERT(strcmp(file.lines[i].path, mem.lines[i].path) == 0);
		FUZZ_ASSERT(file.lines[i].line == mem.lines[i].line);
	}
	/* Duplicates go; what stays is still sound. */
	FUZZ_ASSERT(tmpfiles_finish(&mem, NULL, NULL) == 0);
	FUZZ_ASSERT(mem.n <= file.n);
	check_list(&mem);
	tmpfiles_list_free(&mem);
	tmpfiles_list_free(&file);
	return 0;
}
