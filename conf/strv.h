/* strv: NULL-terminated vectors of heap strings, as used for argv, envp and
 * list-valued unit keys. All functions return -1 with errno = ENOMEM on
 * allocation failure and leave the vector valid. */
#ifndef SVD_STRV_H
#define SVD_STRV_H

#include <stdbool.h>
#include <stddef.h>

size_t strv_length(char *const *v);
/* Appends a copy of s; *v may be NULL (an empty vector). O(n): the
 * length is counted each time. */
int strv_push(char ***v, const char *s);
/* Appends s itself, taking ownership (freed on failure too). */
int strv_push_take(char ***v, char *s);
void strv_free(char **v);
/* A deep copy; NULL for NULL and on ENOMEM (check errno). */
char **strv_copy(char *const *v);
/* For "KEY=VALUE" vectors, one change or look-up at a time: each scans
 * the vector, so building an environment with them is O(n^2); envmap.h
 * builds one in O(n). The value of key, or NULL. */
const char *strv_env_get(char *const *env, const char *key);
/* Sets "KEY=VALUE" (replacing an existing KEY). */
int strv_env_set(char ***env, const char *key, const char *value);
/* Sets an assignment "KEY=VALUE" given as one string. */
int strv_env_put(char ***env, const char *assignment);
/* An environment variable name, [A-Za-z_][A-Za-z0-9_]*, spelled out:
 * isalnum() depends on the locale. */
bool strv_env_name_valid(const char *name, size_t len);
/* Removes KEY ("KEY"), or only that exact assignment ("KEY=VALUE"),
 * as UnsetEnvironment= does. Never fails. */
void strv_env_unset(char **env, const char *what);

#endif
