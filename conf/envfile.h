/* envfile: the files EnvironmentFile= names, read the way systemd reads them
 * (systemd.exec(5), env-file.c), so that a /etc/default file written for a
 * systemd service gives its process the same variables under svd.
 *
 * The syntax: blank lines and lines starting with # or ; are comments;
 * KEY=VALUE with KEY in [A-Za-z_][A-Za-z0-9_]*, blanks around KEY and around
 * an unquoted value dropped. Unquoted, a backslash takes the next character
 * as it is and a backslash at the end of a line continues it. '...' is
 * literal; "..." takes \" \\ \` \$ as escapes and backslash-newline as a
 * continuation, any other backslash stays; both may span lines. After a
 * closing quote the value goes on: blanks are skipped, further quoted or
 * unquoted text is appended ("a" 'b' c gives abc).
 *
 * A line that is no valid assignment (no '=', a bad name, a NUL byte, a
 * quote still open at the end of the file) is reported as a warning and
 * skipped, never fatal: systemd also goes on with the rest of the file. */
#ifndef SVD_ENVFILE_H
#define SVD_ENVFILE_H

#include <stddef.h>

#include "envmap.h"

/* Largest file envfile_read() accepts; a bigger one is an error (E2BIG). */
#define ENVFILE_MAX_BYTES (1024 * 1024)

/* Gets each warning as "PATH:LINE: message"; LINE is where the assignment
 * starts. */
typedef void envfile_diag_fn(void *ctx, const char *message);

/* Applies each valid assignment in text[0..len) to env (a later one wins);
 * diag may be NULL. Returns 0, or -1 with errno = ENOMEM, env then valid
 * and holding the assignments applied so far. O(len). */
int envfile_apply_text(const char *text, size_t len, const char *path,
		       struct envmap *env, envfile_diag_fn *diag, void *ctx);

/* Reads the file at path (a regular file or a character device such as
 * /dev/null, at most ENVFILE_MAX_BYTES) and applies it as
 * envfile_apply_text() does. Returns 0, or -1 with errno set and why (if
 * why_size) holding the reason a service fails to start,
 * "EnvironmentFile=PATH: No such file or directory". */
int envfile_apply_file(const char *path, struct envmap *env,
		       envfile_diag_fn *diag, void *ctx, char *why,
		       size_t why_size);

/* The same on a NULL-terminated vector *env (may be NULL), in O(n) for
 * *env and the text together. On failure *env is unchanged. */
int envfile_parse(const char *text, size_t len, const char *path, char ***env,
		  envfile_diag_fn *diag, void *ctx);
int envfile_read(const char *path, char ***env, envfile_diag_fn *diag,
		 void *ctx, char *why, size_t why_size);

#endif
