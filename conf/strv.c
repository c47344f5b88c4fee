#include "strv.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

size_t strv_length(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

int strv_push_take(char ***v, char *s)
{
	size_t n = strv_length(*v);
	char **grown;

	if (!s)
		return -1;
	grown = realloc(*v, (n + 2) * sizeof(*grown));
	if (!grown) {
		free(s);
		return -1;
	}
	grown[n] = s;
	grown[n + 1] = NULL;
	*v = grown;
	return 0;
}

int strv_push(char ***v, const char *s)
{
	return strv_push_take(v, strdup(s));
}

void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

char **strv_copy(char *const *v)
{
	size_t n = strv_length(v);
	char **copy;

	if (!v)
		return NULL;
	copy = calloc(n + 1, sizeof(*copy));
	if (!copy)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		copy[i] = strdup(v[i]);
		if (!copy[i]) {
			strv_free(copy);
			return NULL;
		}
	}
	return copy;
}

static ssize_t env_find(char *const *env, const char *key, size_t key_len)
{
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], key, key_len) == 0 && env[i][key_len] == '=')
			return (ssize_t)i;
	return -1;
}

const char *strv_env_get(char *const *env, const char *key)
{
	size_t key_len = strlen(key);
	ssize_t i = env_find(env, key, key_len);

	return i < 0 ? NULL : env[i] + key_len + 1;
}

bool strv_env_name_valid(const char *name, size_t len)
{
	if (len == 0 || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(name[i] == '_' || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			return false;
	return true;
}
