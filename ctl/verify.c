#include "verify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "host.h"
#include "unit.h"

/* The instance a template is checked with, as systemd-analyze verify
 * does: "User=%i" or "ExecStart=/bin/x %I" then have a value to check. */
#define VERIFY_TEMPLATE_INSTANCE "test_instance"

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

static void warn(struct verify_count *count, const char *path,
		 const char *what, const char *why)
{
	char *message;

	if (asprintf(&message, "%s: %s: %s, so the unit can never start",
		     path, what, why) < 0)
		return;
	print_diag(count, UNIT_DIAG_WARNING, message);
	free(message);
}

/* Whether svd has units of name's kind: it runs services and sockets,
 * reads or makes up targets, and makes up mounts and devices
 * (daemon/madeup.h). */
static bool kind_provided(const char *name)
{
	static const char *const kinds[] = {
		".service", ".socket", ".target", ".mount", ".device",
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(dot, kinds[i]) == 0)
			return true;
	return false;
}

/* Why svd cannot provide the unit a hard dependency names, or NULL. */
static char *unprovided(const char *name)
{
	const char *dot = strrchr(name, '.');
	char *why = NULL, *path;

	if (!kind_provided(name)) {
		if (asprintf(&why, "svd has no %s units", dot) < 0)
			why = NULL;
		return why;
	}
	if (strcmp(dot, ".mount") != 0 && strcmp(dot, ".device") != 0)
		return NULL;
	path = unit_name_to_path(name);
	if (path) {
		free(path);
		return NULL;
	}
	return strdup("not a path in systemd's escaping (\"var-lib.mount\" "
		      "is /var/lib)");
}

/* What loads but can never start under svd: warned about, as the daemon
 * only says so when asked to start it. */
static void check_startable(struct verify_count *count, const struct unit *u)
{
	static const enum unit_dep hard[] = {
		UNIT_DEP_REQUIRES, UNIT_DEP_REQUISITE, UNIT_DEP_BINDS_TO,
	};

	for (size_t k = 0; k < sizeof(hard) / sizeof(hard[0]); k++)
		for (char **d = u->deps[hard[k]]; d && *d; d++) {
			char *what, *why = unprovided(*d);

			if (!why)
				continue;
			if (asprintf(&what, "%s=%s", unit_dep_name(hard[k]),
				     *d) >= 0) {
				warn(count, u->path, what, why);
				free(what);
			}
			free(why);
		}
	if (u->type == UNIT_TYPE_DBUS)
		warn(count, u->path, "Type=dbus", "it is ready when it takes a "
		     "D-Bus name, and svd provides no D-Bus");
}

/* "a FIFO", ... for a file that is no unit file. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a regular file";
}

/* A mask, as the daemon takes it (unit_lookup.c): a link to /dev/null, a
 * character device, an empty file, or git's stand-in for such a link.
 * Prints it and returns true; false when path is something else. */
static bool report_mask(const char *path, const struct stat *st,
			const struct stat *lst)
{
	char target[16];
	ssize_t n = -1;

	if (S_ISLNK(lst->st_mode))
		n = readlink(path, target, sizeof(target) - 1);
	if (n >= 0)
		target[n] = '\0';
	if (n >= 0 && strcmp(target, "/dev/null") == 0)
		printf("%s: masked (a link to /dev/null)\n", path);
	else if (S_ISCHR(st->st_mode))
		printf("%s: masked (a character device)\n", path);
	else if (S_ISREG(st->st_mode) && st->st_size == 0)
		printf("%s: masked (an empty file)\n", path);
	else
		return false;
	return true;
}

/* Checks one file; -1 when it has errors. */
static int verify_one(const struct unit_load_ctx *ctx,
		      struct verify_count *count, const char *path)
{
	const char *base = strrchr(path, '/');
	struct unit *unit = NULL;
	struct stat st, lst;
	char *link;

	if (lstat(path, &lst) < 0 || stat(path, &st) < 0) {
		fprintf(stderr, "error: %s: %s\n", path, strerror(errno));
		count->errors++;
		return -1;
	}
	if (report_mask(path, &st, &lst))
		return 0;
	if (!S_ISREG(st.st_mode)) {
		/* Never opened: a FIFO would block the read. */
		fprintf(stderr, "error: %s: %s, not a unit file\n", path,
			file_kind(st.st_mode));
		count->errors++;
		return -1;
	}
	if ((link = unit_link_stand_in(path))) {
		/* The link git wrote as a file: an alias or a mask,
		 * checked where its target is. */
		printf("%s: %s %s (a link stored as a file)\n", path,
		       strcmp(link, "/dev/null") == 0 ? "masked:" : "alias of",
		       link);
		free(link);
		return 0;
	}
	base = base ? base + 1 : path;
	if (unit_load_file(ctx, path, unit_name_is_template(base) ?
			   VERIFY_TEMPLATE_INSTANCE : NULL, &unit) < 0)
		return -1;
	check_startable(count, unit);
	unit_free(unit);
	return 0;
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
	for (size_t i = 0; i < n_paths; i++)
		if (verify_one(&ctx, &count, paths[i]) < 0)
			failed++;
	host_clear(&host);
	if (failed)
		fprintf(stderr, "%u of %zu unit files have errors\n", failed, n_paths);
	return failed ? SVCTL_EXIT_FAILED : SVCTL_EXIT_OK;
}
