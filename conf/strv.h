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
/* The value of key in a "KEY=VALUE" vector, or NULL: a scan, so for a
 * look-up now and then; an environment is built with envmap.h. */
const char *strv_env_get(char *const *env, const char *key);
/* An environment variable name, [A-Za-z_][A-Za-z0-9_]*, spelled out:
 * isalnum() depends on the locale. */
bool strv_env_name_valid(const char *name, size_t len);

#endif
