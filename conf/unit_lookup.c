/* unit_lookup: finding units by name in the unit directories, and listing
 * them, with systemd's meaning of symlinks: a link to /dev/null (or an
 * empty file) masks a unit, a link to another unit name is an alias. */
#include "unit.h"
#include "names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Alias chains longer than this are taken for loops. */
#define UNIT_ALIAS_DEPTH_MAX 8

enum entry_kind {
	ENTRY_NONE,	/* nothing usable there */
	ENTRY_FILE,	/* a unit file (maybe through a link to the same name) */
	ENTRY_MASKED,	/* link to /dev/null, or empty */
	ENTRY_ALIAS,	/* link whose target has another unit name */
};

struct entry {
	enum entry_kind kind;
	char *path;	/* dir/name */
	char *target;	/* ENTRY_ALIAS: the target's unit name */
	char *link;	/* ENTRY_ALIAS: the link's target, resolved to a path */
};

static void entry_clear(struct entry *e)
{
	free(e->path);
	free(e->target);
	free(e->link);
	memset(e, 0, sizeof(*e));
}

static void lookup_diag(const struct unit_load_ctx *ctx,
			enum unit_diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void lookup_diag(const struct unit_load_ctx *ctx,
			enum unit_diag_level level, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int r;

	if (!ctx->diag)
		return;
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	ctx->diag(ctx->diag_ctx, level, msg);
	free(msg);
}

/* readlink() into a buffer that grows until the target fits. */
static char *read_link(const char *path)
{
	for (size_t size = 256; size <= 65536; size *= 2) {
		char *buf = malloc(size);
		ssize_t n;

		if (!buf)
			return NULL;
		n = readlink(path, buf, size);
		if (n >= 0 && (size_t)n < size) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		if (n < 0)
			return NULL;
	}
	errno = ENAMETOOLONG;
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Git stores a symlink as a regular file holding the target when the
 * checkout cannot make links (core.symlinks=false, copies through tools
 * that do not keep links). Such a file is the link it stands for. */
#define UNIT_LINK_STAND_IN_MAX_BYTES 4096

char *unit_link_stand_in(const char *path)
{
	char buf[UNIT_LINK_STAND_IN_MAX_BYTES + 1];
	/* O_NONBLOCK: a FIFO called x.service must not block the caller
	 * until someone writes to it; only a regular file is read. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
		      O_NONBLOCK);
	struct stat st;
	ssize_t n = -1;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || n > UNIT_LINK_STAND_IN_MAX_BYTES)
		return NULL;
	buf[n] = '\0';
	if (buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n == 0 || strpbrk(buf, "\n=[ \t"))
		return NULL;
	if (strcmp(buf, "/dev/null") != 0 && !names_valid(base_name(buf)))
		return NULL;
	return strdup(buf);
}

/* A link (or a stand-in for one) whose target text is link: masked, an
 * alias, or just a way to the file. Takes ownership of link. */
static int classify_target(struct entry *e, const char *dir, const char *name,
			   char *link)
{
	const char *base;

	if (!link)
		return -1;
	base = base_name(link);
	if (strcmp(link, "/dev/null") == 0) {
		e->kind = ENTRY_MASKED;
	} else if (strcmp(base, name) != 0 && names_valid(base)) {
		e->kind = ENTRY_ALIAS;
		e->target = strdup(base);
		if (link[0] == '/')
			e->link = strdup(link);
		else if (asprintf(&e->link, "%s/%s", dir, link) < 0)
			e->link = NULL;
		if (!e->target || !e->link) {
			free(link);
			return -1;
		}
	}
	free(link);
	return 0;
}

/* What dir/name is. -1 only on ENOMEM. */
static int classify(struct entry *e, const char *dir, const char *name)
{
	struct stat st;

	memset(e, 0, sizeof(*e));
	if (asprintf(&e->path, "%s/%s", dir, name) < 0) {
		e->path = NULL;
		return -1;
	}
	if (lstat(e->path, &st) < 0)
		return 0;
	if (S_ISLNK(st.st_mode) &&
	    classify_target(e, dir, name, read_link(e->path)) < 0)
		return errno == ENOMEM ? -1 : 0;
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size <= UNIT_LINK_STAND_IN_MAX_BYTES) {
		char *stand_in = unit_link_stand_in(e->path);

		if (stand_in && classify_target(e, dir, name, stand_in) < 0)
			return errno == ENOMEM ? -1 : 0;
	}
	if (e->kind != ENTRY_NONE || stat(e->path, &st) < 0)
		return 0;
	if (S_ISCHR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0))
		e->kind = ENTRY_MASKED;
	else if (S_ISREG(st.st_mode))
		e->kind = ENTRY_FILE;
	return 0;
}

/* The first directory that has something called name. */
static int find_entry(const struct unit_load_ctx *ctx, const char *name,
		      struct entry *e)
{
	for (size_t i = 0; i < ctx->n_dirs; i++) {
		if (classify(e, ctx->dirs[i], name) < 0) {
			entry_clear(e);
			return -1;
		}
		if (e->kind != ENTRY_NONE)
			return 0;
		entry_clear(e);
	}
	return 0;
}

static enum unit_lookup lookup(const struct unit_load_ctx *ctx,
			       const char *name, unsigned depth,
			       struct unit **out);

static enum unit_lookup load(const struct unit_load_ctx *ctx,
			     const char *path, const char *instance,
			     struct unit **out)
{
	return unit_load_file(ctx, path, instance, out) < 0 ?
	       UNIT_LOOKUP_BAD : UNIT_LOOKUP_OK;
}

/* An alias: the target by name in the directories, or else the file the
 * link points to (which names the unit). */
static enum unit_lookup follow_alias(const struct unit_load_ctx *ctx,
				     const struct entry *e,
				     const char *instance, unsigned depth,
				     struct unit **out)
{
	enum unit_lookup r;
	char *name = NULL, *prefix;

	if (instance) {
		prefix = names_prefix(e->target);
		if (!prefix || asprintf(&name, "%s@%s%s", prefix, instance,
					names_suffix(e->target)) < 0)
			name = NULL;
		free(prefix);
	} else
		name = strdup(e->target);
	if (!name) {
		lookup_diag(ctx, UNIT_DIAG_ERROR, "%s: %s", e->path,
			    strerror(ENOMEM));
		return UNIT_LOOKUP_BAD;
	}
	r = lookup(ctx, name, depth + 1, out);
	free(name);
	if (r == UNIT_LOOKUP_NOT_FOUND)
		r = load(ctx, e->link, instance, out);
	return r;
}

/* "foo@bar.service" without a file of its own: its template. */
static enum unit_lookup lookup_instance(const struct unit_load_ctx *ctx,
					const char *name, unsigned depth,
					struct unit **out)
{
	enum unit_lookup r = UNIT_LOOKUP_NOT_FOUND;
	char *tmpl, *inst;
	struct entry e;

	if (!unit_name_split_instance(name, &tmpl, &inst))
		return UNIT_LOOKUP_NOT_FOUND;
	if (find_entry(ctx, tmpl, &e) < 0) {
		lookup_diag(ctx, UNIT_DIAG_ERROR, "%s: %s", tmpl,
			    strerror(errno));
		r = UNIT_LOOKUP_BAD;
	}
	else if (e.kind == ENTRY_MASKED)
		r = UNIT_LOOKUP_MASKED;
	else if (e.kind == ENTRY_FILE)
		r = load(ctx, e.path, inst, out);
	else if (e.kind == ENTRY_ALIAS)
		r = follow_alias(ctx, &e, inst, depth, out);
	entry_clear(&e);
	free(tmpl);
	free(inst);
	return r;
}

static enum unit_lookup lookup(const struct unit_load_ctx *ctx,
			       const char *name, unsigned depth,
			       struct unit **out)
{
	enum unit_lookup r = UNIT_LOOKUP_NOT_FOUND;
	struct entry e;

	if (unit_name_is_template(name))
		return UNIT_LOOKUP_TEMPLATE;
	if (depth > UNIT_ALIAS_DEPTH_MAX) {
		lookup_diag(ctx, UNIT_DIAG_ERROR, "%s: too many levels of "
			    "aliases", name);
		return UNIT_LOOKUP_BAD;
	}
	if (find_entry(ctx, name, &e) < 0) {
		lookup_diag(ctx, UNIT_DIAG_ERROR, "%s: %s", name,
			    strerror(errno));
		return UNIT_LOOKUP_BAD;
	}
	if (e.kind == ENTRY_NONE)
		r = lookup_instance(ctx, name, depth, out);
	else if (e.kind == ENTRY_MASKED)
		r = UNIT_LOOKUP_MASKED;
	else if (e.kind == ENTRY_FILE)
		r = load(ctx, e.path, NULL, out);
	else
		r = follow_alias(ctx, &e, NULL, depth, out);
	entry_clear(&e);
	return r;
}

enum unit_lookup unit_load_name(const struct unit_load_ctx *ctx,
				const char *name, struct unit **out)
{
	char *norm = unit_name_normalize(name);
	enum unit_lookup r;

	if (!norm) {
		lookup_diag(ctx, UNIT_DIAG_ERROR, "%s: not a valid service "
			    "unit name", name);
		return UNIT_LOOKUP_NOT_FOUND;
	}
	r = lookup(ctx, norm, 0, out);
	free(norm);
	return r;
}

void unit_files_free(struct unit_file *files, size_t n)
{
	for (size_t i = 0; files && i < n; i++) {
		free(files[i].name);
		free(files[i].path);
		free(files[i].alias_of);
	}
	free(files);
}

/* The files found so far. Those of the directories before the one being
 * read (v[0..n_sorted)) are kept sorted, so that whether a name was seen
 * is a binary search: 10,000 units would otherwise cost 50 million
 * comparisons at each boot and daemon-reload. */
struct file_list {
	struct unit_file *v;
	size_t n, cap;
	size_t n_sorted;
};

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct unit_file *)a)->name,
		      ((const struct unit_file *)b)->name);
}

/* Whether an earlier directory had name (a directory has no name twice). */
static bool listed(const struct file_list *l, const char *name)
{
	const struct unit_file key = { .name = (char *)(uintptr_t)name };

	return l->n_sorted &&
	       bsearch(&key, l->v, l->n_sorted, sizeof(*l->v), file_cmp);
}

static enum unit_file_kind file_kind(enum entry_kind kind, const char *name)
{
	if (kind == ENTRY_MASKED)
		return UNIT_FILE_MASKED;
	if (kind == ENTRY_ALIAS)
		return UNIT_FILE_ALIAS;
	return unit_name_is_template(name) ? UNIT_FILE_TEMPLATE
					   : UNIT_FILE_REGULAR;
}

/* Adds dir/name unless an earlier directory had it; takes e's strings. */
static int list_add(struct file_list *l, const char *name, struct entry *e)
{
	struct unit_file *grown;
	char *copy;

	if (l->n >= UNIT_LIST_MAX_FILES) {
		errno = E2BIG;
		return -1;
	}
	copy = strdup(name);
	if (!copy)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;

		grown = realloc(l->v, cap * sizeof(*grown));
		if (!grown) {
			free(copy);
			return -1;
		}
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n].name = copy;
	l->v[l->n].path = e->path;
	l->v[l->n].kind = file_kind(e->kind, name);
	l->v[l->n].alias_of = e->target;
	l->n++;
	e->path = e->target = NULL;
	return 0;
}

static bool is_unit_file_name(const char *name)
{
	return name[0] != '.' && names_valid(name);
}

/* Adds the entries of one directory. -1 with errno on ENOMEM or E2BIG. */
static int list_dir(const struct unit_load_ctx *ctx, const char *dir,
		    struct file_list *l)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct entry e;
	int r = 0;

	if (!d) {
		lookup_diag(ctx, UNIT_DIAG_WARNING, "%s: %s", dir,
			    strerror(errno));
		return 0;
	}
	while (r == 0 && (de = readdir(d))) {
		if (!is_unit_file_name(de->d_name) || listed(l, de->d_name))
			continue;
		r = classify(&e, dir, de->d_name);
		if (r == 0 && e.kind == ENTRY_NONE)
			lookup_diag(ctx, UNIT_DIAG_WARNING, "%s: neither a unit "
				    "file nor a link to one, ignored", e.path);
		else if (r == 0)
			r = list_add(l, de->d_name, &e);
		entry_clear(&e);
	}
	closedir(d);
	if (l->n > 0)
		qsort(l->v, l->n, sizeof(*l->v), file_cmp);
	l->n_sorted = l->n;
	return r;
}

int unit_dir_list(const struct unit_load_ctx *ctx, struct unit_file **out,
		  size_t *n_out)
{
	struct file_list l = {0};

	for (size_t i = 0; i < ctx->n_dirs; i++)
		if (list_dir(ctx, ctx->dirs[i], &l) < 0) {
			int err = errno;

			if (err == E2BIG)
				lookup_diag(ctx, UNIT_DIAG_ERROR, "%s: more than "
					    "%d unit files", ctx->dirs[i],
					    UNIT_LIST_MAX_FILES);
			unit_files_free(l.v, l.n);
			errno = err;
			return -1;
		}
	*out = l.v;
	*n_out = l.n;
	return 0;
}
