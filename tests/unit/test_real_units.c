/* Every regular .service file that Debian packages ship (the shared units
 * directory) must load with warnings at most, never an error. */
#include <check.h>

#include "check_main.h"
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "strv.h"
#include "unit.h"

#ifndef SHARED_UNITS_DIR
#error "meson passes SHARED_UNITS_DIR"
#endif

/* meson's exit code for a skipped test */
#define EXIT_SKIP 77

static char **unit_paths;
static char **instance_dropin_dirs;	/* ".../foo@bar.service.d" */
static unsigned n_placeholders;

/* A symlink flattened into a plain file by a copy that does not keep
 * links holds just its target ("mariadb.service", "/dev/null"): one line
 * with no section and no assignment. It is not a unit file. */
static bool is_flattened_link(const char *path, off_t size)
{
	char buf[512];
	FILE *f;
	size_t n;

	if (size <= 0 || size >= (off_t)sizeof(buf))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return !strpbrk(buf, "=[\n");
}

static int collect(const char *path, const struct stat *st, int type,
		   struct FTW *ftw)
{
	size_t len = strlen(path);

	/* "foo@bar.service.d", not the template's "foo@.service.d" */
	if (type == FTW_D && len > 11 &&
	    strcmp(path + len - 10, ".service.d") == 0 &&
	    strchr(path + ftw->base, '@') && path[len - 11] != '@')
		return strv_push(&instance_dropin_dirs, path) < 0 ? -1 : 0;
	if (type != FTW_F || !S_ISREG(st->st_mode) || len < 8 ||
	    strcmp(path + len - 8, ".service") != 0)
		return 0;
	if (is_flattened_link(path, st->st_size)) {
		n_placeholders++;
		return 0;
	}
	return strv_push(&unit_paths, path) < 0 ? -1 : 0;
}

struct diag_count {
	unsigned errors;
	unsigned warnings;
};

static void count_diag(void *ctx, enum unit_diag_level level,
		       const char *message)
{
	struct diag_count *c = ctx;

	if (level == UNIT_DIAG_ERROR) {
		c->errors++;
		fprintf(stderr, "error: %s\n", message);
	} else
		c->warnings++;
}

START_TEST(load_every_unit)
{
	struct diag_count count = { 0, 0 };
	struct unit_load_ctx ctx = { .diag = count_diag, .diag_ctx = &count };
	unsigned loaded = 0, failed = 0;

	ck_assert_uint_gt(strv_length(unit_paths), 0);
	for (size_t i = 0; unit_paths[i]; i++) {
		struct unit *u = NULL;

		const char *base = strrchr(unit_paths[i], '/') + 1;

		if (unit_load_file(&ctx, unit_paths[i], NULL, &u) == 0) {
			ck_assert_ptr_nonnull(u);
			ck_assert_ptr_nonnull(u->name);
			loaded++;
		} else
			failed++;
		unit_free(u);
		u = NULL;
		/* templates also run as instances */
		if (unit_name_is_template(base) &&
		    unit_load_file(&ctx, unit_paths[i], "svd-test", &u) < 0)
			failed++;
		unit_free(u);
	}
	printf("realunits: %u loaded, %u failed, %u errors, %u warnings; "
	       "%u flattened links skipped\n", loaded, failed, count.errors,
	       count.warnings, n_placeholders);
	ck_assert_uint_eq(count.errors, 0);
	ck_assert_uint_eq(failed, 0);
	ck_assert_uint_eq(loaded, strv_length(unit_paths));
}
END_TEST

/* foo@bar.service.d/ next to foo@.service: "foo@bar" loads by name from
 * that directory, template and drop-ins together. */
START_TEST(load_instances_with_dropins)
{
	struct diag_count count = { 0, 0 };

	for (size_t i = 0; instance_dropin_dirs && instance_dropin_dirs[i];
	     i++) {
		char *dir = strdup(instance_dropin_dirs[i]), *slash, *name;
		const char *dirs[1] = { dir };
		struct unit_load_ctx ctx = {
			.dirs = dirs, .n_dirs = 1,
			.diag = count_diag, .diag_ctx = &count,
		};
		struct unit *u = NULL;

		ck_assert_ptr_nonnull(dir);
		slash = strrchr(dir, '/');
		*slash = '\0';
		name = strndup(slash + 1, strlen(slash + 1) - 2);
		ck_assert_int_eq(unit_load_name(&ctx, name, &u),
				 UNIT_LOOKUP_OK);
		ck_assert_str_eq(u->name, name);
		ck_assert_uint_gt(strv_length(u->dropin_paths), 0);
		printf("realunits: %s with %zu drop-in(s)\n", name,
		       strv_length(u->dropin_paths));
		unit_free(u);
		free(name);
		free(dir);
	}
	ck_assert_uint_eq(count.errors, 0);
}
END_TEST

int main(void)
{
	struct stat st;
	Suite *s;
	TCase *tc;
	int status;

	if (stat(SHARED_UNITS_DIR, &st) < 0 || !S_ISDIR(st.st_mode)) {
		printf("SKIP: no shared units directory at %s\n",
		       SHARED_UNITS_DIR);
		return EXIT_SKIP;
	}
	if (nftw(SHARED_UNITS_DIR, collect, 16, FTW_PHYS) != 0) {
		perror(SHARED_UNITS_DIR);
		return EXIT_FAILURE;
	}
	s = suite_create("realunits");
	tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, load_every_unit);
	tcase_add_test(tc, load_instances_with_dropins);
	suite_add_tcase(s, tc);
	status = check_run(s);
	strv_free(unit_paths);
	strv_free(instance_dropin_dirs);
	return status;
}
