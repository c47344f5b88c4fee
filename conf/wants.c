#include "wants.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wants_add(struct wants *w, const char *owner, enum unit_dep kind,
	      const char *name)
{
	struct wants_entry *e;

	if (w->n == WANTS_MAX_ENTRIES) {
		errno = E2BIG;
		return -1;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		struct wants_entry *grown = realloc(w->v, cap * sizeof(*grown));

		if (!grown)
			return -1;
		w->v = grown;
		w->cap = cap;
	}
	e = &w->v[w->n];
	e->owner = strdup(owner);
	e->name = strdup(name);
	e->kind = kind;
	if (!e->owner || !e->name) {
		free(e->owner);
		free(e->name);
		errno = ENOMEM;
		return -1;
	}
	w->n++;
	return 0;
}

void wants_free(struct wants *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].owner);
		free(w->v[i].name);
	}
	free(w->v);
	*w = (struct wants){0};
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t len = strlen(name), n = strlen(suffix);

	return len > n && strcmp(name + len - n, suffix) == 0;
}

/* The entries of one NAME.wants/ (or .requires/) directory. */
static int scan_one(struct wants *w, const char *path, const char *owner,
		    enum unit_dep kind, wants_diag_fn *diag, void *ctx)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	int r = 0;

	if (!dir) {
		if (errno != ENOTDIR && diag)
			diag(ctx, path, errno);
		return 0;
	}
	while (r == 0 && (de = readdir(dir)))
		if (de->d_name[0] != '.')
			r = wants_add(w, owner, kind, de->d_name);
	closedir(dir);
	return r;
}

/* One entry of a unit directory: a NAME.wants/ or NAME.requires/, or
 * anything else (skipped). */
static int scan_entry(struct wants *w, const char *dir_path,
		      const char *entry_name, wants_diag_fn *diag, void *ctx)
{
	static const struct { const char *suffix; enum unit_dep kind; } kinds[] = {
		{ ".wants", UNIT_DEP_WANTS }, { ".requires", UNIT_DEP_REQUIRES },
	};
	char *path, *owner;
	int r;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (!has_suffix(entry_name, kinds[k].suffix))
			continue;
		owner = strndup(entry_name, strlen(entry_name) - strlen(kinds[k].suffix));
		if (!owner)
			return -1;
		if (asprintf(&path, "%s/%s", dir_path, entry_name) < 0) {
			free(owner);
			errno = ENOMEM;
			return -1;
		}
		r = scan_one(w, path, owner, kinds[k].kind, diag, ctx);
		free(path);
		free(owner);
		return r;
	}
	return 0;
}

int wants_scan(const char *const *dirs, size_t n_dirs, struct wants *out,
	       wants_diag_fn *diag, void *ctx)
{
	int r = 0;

	for (size_t d = 0; d < n_dirs && r == 0; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *de;

		/* A unit directory that is not there has no wishes either:
		 * listing the units already said so. */
		while (dir && r == 0 && (de = readdir(dir)))
			r = scan_entry(out, dirs[d], de->d_name, diag, ctx);
		if (dir)
			closedir(dir);
	}
	return r;
}
