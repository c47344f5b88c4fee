/* tmpfiles: tmpfiles.d(5) configuration, parsed. Pure: text in, lines
 * out, each problem reported as "FILE:LINE: message"; the file
 * operations are daemon/tmpfiles_apply.c's.
 *
 *   #Type Path        Mode User Group Age Argument
 *   d     /run/foo    0755 foo  foo   -   -
 *   L+    /etc/mtab   -    -    -     -   ../proc/self/mounts
 *
 * Every line is on its own: a bad one is reported and skipped, the others
 * are kept. Files come from several directories: a name in an earlier
 * directory hides the same name in later ones, and the files are read in
 * the lexical order of their names, whatever directory they are in. */
#ifndef SVD_TMPFILES_H
#define SVD_TMPFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Largest configuration file read; a bigger one is an error (E2BIG). */
#define TMPFILES_FILE_MAX_BYTES ((size_t)4 * 1024 * 1024)
/* Configuration files taken from the directories together. */
#define TMPFILES_FILES_MAX 4096

/* What the specifiers stand for (tmpfiles.d(5), the system instance).
 * NULL: unknown; a line using it is skipped with a warning. */
struct tmpfiles_specs {
	const char *machine_id;		/* %m */
	const char *boot_id;		/* %b */
	const char *hostname;		/* %H; %l is its first label */
	const char *kernel_release;	/* %v */
	const char *architecture;	/* %a */
	const char *runtime_dir;	/* %t */
	const char *state_dir;		/* %S */
	const char *cache_dir;		/* %C */
	const char *logs_dir;		/* %L */
	const char *tmp_dir;		/* %T */
	const char *var_tmp_dir;	/* %V */
	const char *home;		/* %h */
	const char *user;		/* %u */
	const char *group;		/* %g */
	unsigned long uid;		/* %U */
	unsigned long gid;		/* %G */
};

struct tmpfiles_line {
	/* The letter: f F w d D e v q Q p L c b C x X r R z Z; the types
	 * svd parses but does not apply (h H t T a A) are never kept. */
	char type;
	bool force;		/* '+': replace, truncate or append */
	bool boot;		/* '!': only at boot */
	bool allow_failure;	/* '-': a failure is a warning */
	bool replace_type;	/* '=': a file of another type is removed */
	char *path;		/* absolute, normalized: no "." "..", "//" */
	mode_t mode;		/* the type's default when not mode_set */
	bool mode_set;
	bool mode_masked;	/* '~': bits the file lacks stay off */
	bool mode_on_create;	/* ':': only when the line creates it */
	char *user, *group;	/* NULL: "-", left as they are */
	bool user_on_create, group_on_create;	/* ':' */
	bool age_set;		/* for --clean, which svd does not do */
	uint64_t age_usec;
	/* NULL when none; f F w: C escapes decoded (argument_len bytes);
	 * L C: a path (the /usr/share/factory one when omitted). */
	char *argument;
	size_t argument_len;
	unsigned major, minor;	/* c b */
	const char *file;	/* the list's copy of the file name */
	unsigned line;
};

struct tmpfiles_list {
	struct tmpfiles_line *lines;
	size_t n, cap;
	char **files;		/* owned file names, for the lines' file */
	size_t n_files;
	unsigned n_errors;	/* lines rejected as errors */
	unsigned n_warnings;
};

/* One problem; error false for a warning (the line is still ignored). */
typedef void tmpfiles_diag_fn(void *ctx, bool error, const char *message);

/* The directories systemd reads for the system instance. */
extern const char *const tmpfiles_default_dirs[];

/* Parses text[0..len) as file path into list. Lines marked '!' are
 * skipped unless boot. Returns 0, or -1 with errno = ENOMEM (what was
 * parsed so far is kept). */
int tmpfiles_parse_text(struct tmpfiles_list *list, const char *text,
			size_t len, const char *path,
			const struct tmpfiles_specs *specs, bool boot,
			tmpfiles_diag_fn *diag, void *ctx);
/* Reads and parses the file at path ("/dev/null" gives nothing: a link
 * to it masks a file of a later directory). Returns 0, or -1 when it
 * could not be read (reported through diag and counted as an error). */
int tmpfiles_parse_file(struct tmpfiles_list *list, const char *path,
			const struct tmpfiles_specs *specs, bool boot,
			tmpfiles_diag_fn *diag, void *ctx);
/* After the last file: a second line for a path that an earlier one
 * already creates is a warning and dropped, as systemd's "duplicate
 * line". Returns -1 with errno = ENOMEM. */
int tmpfiles_finish(struct tmpfiles_list *list, tmpfiles_diag_fn *diag,
		    void *ctx);
void tmpfiles_list_free(struct tmpfiles_list *list);

/* The *.conf files of dirs: each name once, from the first directory
 * holding it, sorted by name. A directory that does not exist is
 * skipped. Returns a NULL-terminated vector (maybe empty), or NULL with
 * errno after saying why through diag. */
char **tmpfiles_find_files(const char *const *dirs, size_t n_dirs,
			   tmpfiles_diag_fn *diag, void *ctx);
/* A FILE of `svctl tmpfiles FILE`: with a '/', itself; a bare name, the
 * first directory's file of that name. NULL with errno (ENOENT: none). */
char *tmpfiles_resolve_file(const char *name, const char *const *dirs,
			    size_t n_dirs);

/* Types that take a glob for their path (w e r R z Z x X). */
bool tmpfiles_type_globs(char type);

#endif
