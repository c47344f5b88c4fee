#include "verify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "host.h"
#include "unit.h"

struct verify_count {
	unsigned errors;
	unsigned warnings;
};

static void print_diag(void *ctx, enum unit_diag_level level, const char *message)
{
	struct verify_count *count = ctx;

	if (level == UNIT_DIAG_ERROR)
		count->errors++;
	else
		count->warnings++;
	fprintf(stderr, "%s: %s\n", level == UNIT_DIAG_ERROR ? "error" : "warning",
		message);
}

int verify_files(const char *const *paths, size_t n_paths)
{
	struct verify_count count = {0};
	struct spec_host host;
	struct unit_load_ctx ctx = {
		.spec = { .host = &host },
		.diag = print_diag,
		.diag_ctx = &count,
	};
	unsigned failed = 0;

	if (host_read(&host, NULL) < 0) {
		fprintf(stderr, "error: reading the host's values for "
			"specifiers: %s\n", strerror(errno));
		return SVCTL_EXIT_FAILED;
	}
	for (size_t i = 0; i < n_paths; i++) {
		char *link = unit_link_stand_in(paths[i]);
		struct unit *unit = NULL;

		if (link) {
			/* The link git wrote as a file: an alias or a mask,
			 * checked where its target is. */
			printf("%s: %s %s (a link stored as a file)\n", paths[i],
			       strcmp(link, "/dev/null") == 0 ? "masked:" :
			       "alias of", link);
			free(link);
			continue;
		}
		if (unit_load_file(&ctx, paths[i], NULL, &unit) < 0)
			failed++;
		unit_free(unit);
	}
	host_clear(&host);
	if (failed)
		fprintf(stderr, "%u of %zu unit files have errors\n", failed, n_paths);
	return failed ? SVCTL_EXIT_FAILED : SVCTL_EXIT_OK;
}
