/* tmpfiles: which files are read (directories merged by name), reading
 * one, and the duplicate lines across all of them. */
#include "tmpfiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbuf.h"

const char *const tmpfiles_default_dirs[] = {
	"/etc/tmpfiles.d",
	"/run/tmpfiles.d",
	"/usr/local/lib/tmpfiles.d",
	"/usr/lib/tmpfiles.d",
	NULL,
};

__attribute__((format(printf, 4, 5)))
static void report(tmpfiles_diag_fn *diag, void *ctx, bool error,
		   const char *fmt, ...)
{
	struct sbuf msg = SBUF_INIT;
	va_list ap;
	int r;

	if (!diag)
		return;
	va_start(ap, fmt);
	r = sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag(ctx, error, r == 0 ? msg.s : "tmpfiles: a message was lost: "
	     "out of memory");
	sbuf_free(&msg);
}

int tmpfiles_parse_file(struct tmpfiles_list *list, const char *path,
			const struct tmpfiles_specs *specs, bool boot,
			tmpfiles_diag_fn *diag, void *ctx)
{
	struct sbuf text = SBUF_INIT;
	int r;

	if (sbuf_read_file(&text, path, TMPFILES_FILE_MAX_BYTES) < 0) {
		int err = errno;

		list->n_errors++;
		if (err == E2BIG)
			report(diag, ctx, true, "%s: larger than %zu bytes; not "
			       "read", path, TMPFILES_FILE_MAX_BYTES);
		else
			report(diag, ctx, true, "%s: %s", path, strerror(err));
		sbuf_free(&text);
		errno = err;
		return -1;
	}
	r = tmpfiles_parse_text(list, text.s ? text.s : "", text.len, path,
				specs, boot, diag, ctx);
	sbuf_free(&text);
	return r;
}

/* One *.conf found: its name sorts, its directory's rank breaks ties. */
struct found {
	char *path;
	const char *name;	/* in path */
	size_t rank;
};

static int found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	if (r)
		return r;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static bool is_conf_name(const struct dirent *e)
{
	size_t len = strlen(e->d_name);

	return e->d_name[0] != '.' && len > 5 &&
	       strcmp(e->d_name + len - 5, ".conf") == 0 &&
	       e->d_type != DT_DIR;
}

static void found_free(struct found *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].path);
	free(f);
}

/* Adds dir's *.conf to *f; -1 with errno after reporting. */
static int scan_dir(const char *dir, size_t rank, struct found **f, size_t *n,
		    tmpfiles_diag_fn *diag, void *ctx)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		report(diag, ctx, true, "%s: %s", dir, strerror(errno));
		return 0;
	}
	while ((errno = 0, e = readdir(d))) {
		struct found *more;

		if (!is_conf_name(e))
			continue;
		if (*n == TMPFILES_FILES_MAX) {
			report(diag, ctx, true, "%s: more than %d configuration "
			       "files; the rest are not read", dir,
			       TMPFILES_FILES_MAX);
			break;
		}
		more = realloc(*f, (*n + 1) * sizeof(**f));
		if (!more)
			goto fail;
		*f = more;
		if (asprintf(&more[*n].path, "%s/%s", dir, e->d_name) < 0)
			goto fail;
		more[*n].name = more[*n].path + strlen(dir) + 1;
		more[*n].rank = rank;
		(*n)++;
	}
	if (errno)
		report(diag, ctx, true, "%s: reading the directory: %s", dir,
		       strerror(errno));
	closedir(d);
	return 0;
fail:
	report(diag, ctx, true, "%s: out of memory", dir);
	closedir(d);
	errno = ENOMEM;
	return -1;
}

char **tmpfiles_find_files(const char *const *dirs, size_t n_dirs,
			   tmpfiles_diag_fn *diag, void *ctx)
{
	struct found *f = NULL;
	size_t n = 0, kept = 0;
	const char *last = NULL;	/* the name kept last */
	char **paths;

	for (size_t i = 0; i < n_dirs; i++)
		if (scan_dir(dirs[i], i, &f, &n, diag, ctx) < 0) {
			found_free(f, n);
			return NULL;
		}
	if (n)
		qsort(f, n, sizeof(*f), found_cmp);
	paths = calloc(n + 1, sizeof(*paths));
	if (!paths) {
		found_free(f, n);
		report(diag, ctx, true, "tmpfiles: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		/* The same name from a later directory is hidden. */
		if (last && strcmp(f[i].name, last) == 0) {
			free(f[i].path);
			continue;
		}
		paths[kept++] = f[i].path;
		last = f[i].name;
	}
	free(f);
	return paths;
}

char *tmpfiles_resolve_file(const char *name, const char *const *dirs,
			    size_t n_dirs)
{
	if (strchr(name, '/'))
		return strdup(name);
	for (size_t i = 0; i < n_dirs; i++) {
		char *path;

		if (asprintf(&path, "%s/%s", dirs[i], name) < 0)
			return NULL;
		if (access(path, F_OK) == 0)
			return path;
		free(path);
	}
	errno = ENOENT;
	return NULL;
}

/* Lines that make something at their path: two of them for one path
 * cannot both be right. */
static bool creates(char type)
{
	return strchr("fdDpLcbC", type) != NULL;
}

static bool conflict(const struct tmpfiles_line *a,
		     const struct tmpfiles_line *b)
{
	return a->type == b->type || (creates(a->type) && creates(b->type));
}

static int index_cmp(const void *a, const void *b, void *arg)
{
	const struct tmpfiles_list *list = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int r = strcmp(list->lines[x].path, list->lines[y].path);

	if (r)
		return r;
	return x < y ? -1 : x > y;
}

/* Marks, within one path's lines (in file order), each that conflicts
 * with an earlier kept one. Kept lines of one path have distinct types
 * and at most one creates, so there are few of them to compare with. */
static void mark_duplicates(struct tmpfiles_list *list, const size_t *idx,
			    size_t n, bool *drop, tmpfiles_diag_fn *diag,
			    void *ctx)
{
	size_t kept[32], n_kept = 0;

	for (size_t i = 0; i < n; i++) {
		const struct tmpfiles_line *l = &list->lines[idx[i]];
		const struct tmpfiles_line *k = NULL;

		for (size_t j = 0; j < n_kept && !k; j++)
			if (conflict(&list->lines[kept[j]], l))
				k = &list->lines[kept[j]];
		if (!k && n_kept < sizeof(kept) / sizeof(kept[0])) {
			kept[n_kept++] = idx[i];
			continue;
		}
		if (!k)
			continue;
		drop[idx[i]] = true;
		list->n_warnings++;
		report(diag, ctx, false, "%s:%u: duplicate line for path "
		       "%s (first at %s:%u); ignored", l->file, l->line,
		       l->path, k->file, k->line);
	}
}

int tmpfiles_finish(struct tmpfiles_list *list, tmpfiles_diag_fn *diag,
		    void *ctx)
{
	size_t *idx = malloc((list->n + 1) * sizeof(*idx));
	bool *drop = calloc(list->n + 1, sizeof(*drop));
	size_t kept = 0;

	if (!idx || !drop) {
		free(idx);
		free(drop);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < list->n; i++)
		idx[i] = i;
	qsort_r(idx, list->n, sizeof(*idx), index_cmp, list);
	for (size_t i = 0, j; i < list->n; i = j) {
		for (j = i + 1; j < list->n && strcmp(list->lines[idx[i]].path,
						       list->lines[idx[j]].path) == 0; j++)
			;
		mark_duplicates(list, idx + i, j - i, drop, diag, ctx);
	}
	for (size_t i = 0; i < list->n; i++) {
		if (!drop[i]) {
			list->lines[kept++] = list->lines[i];
			continue;
		}
		free(list->lines[i].path);
		free(list->lines[i].user);
		free(list->lines[i].group);
		free(list->lines[i].argument);
	}
	list->n = kept;
	free(idx);
	free(drop);
	return 0;
}
