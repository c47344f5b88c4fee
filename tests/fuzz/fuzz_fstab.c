/* The fstab parser (conf/fstab.c): whatever the text, every entry kept
 * has its fields, a plain mount point (a swap's aside), a data string
 * without empty words, and a line number within the text; every skipped
 * line was reported once, naming the file and its line. */
#include "fuzz.h"

#include <string.h>
#include <sys/mount.h>

#include "fstab.h"
#include "unit.h"

struct diag_count {
	unsigned n;
};

static void diag(void *ctx, const char *message)
{
	struct diag_count *count = ctx;

	FUZZ_ASSERT(strncmp(message, "fstab:", 6) == 0);
	count->n++;
}

static void check_entry(const struct fstab_entry *e, unsigned lines)
{
	char point[4096];

	FUZZ_ASSERT(e->source && e->point && e->fstype && e->options && e->data);
	FUZZ_ASSERT(e->line >= 1 && e->line <= lines);
	FUZZ_ASSERT(strstr(e->data, ",,") == NULL);
	FUZZ_ASSERT(e->data[0] != ',');
	FUZZ_ASSERT(!(e->flags & MS_REMOUNT));
	if (e->swap)
		return;
	FUZZ_ASSERT(strlen(e->point) < sizeof(point));
	strcpy(point, e->point);
	FUZZ_ASSERT(unit_path_plain(point) && strcmp(point, e->point) == 0);
	if (e->flags & MS_BIND)
		FUZZ_ASSERT(e->source[0] == '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_count count = {0};
	struct fstab tab = {0};
	unsigned lines = 1;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	FUZZ_ASSERT(fstab_parse(&tab, "fstab", (const char *)data, size, diag,
				&count) == 0);
	FUZZ_ASSERT(count.n == tab.n_errors);
	for (size_t i = 0; i < tab.n; i++) {
		check_entry(&tab.entries[i], lines);
		if (!tab.entries[i].swap)
			FUZZ_ASSERT(fstab_find(&tab, tab.entries[i].point) != NULL);
	}
	fstab_free(&tab);
	return 0;
}
