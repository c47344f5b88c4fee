/* unit_name: validating and taking apart unit names the way systemd does
 * (unit-name.c), so that "foo@bar" means the same thing to svd. */
#include "unit.h"
#include "names.h"
#include "words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVICE_SUFFIX ".service"
#define SERVICE_SUFFIX_LEN (sizeof(SERVICE_SUFFIX) - 1)

static bool has_service_suffix(const char *name)
{
	size_t len = strlen(name);

	return len >= SERVICE_SUFFIX_LEN &&
	       strcmp(name + len - SERVICE_SUFFIX_LEN, SERVICE_SUFFIX) == 0;
}

size_t unit_name_stem_len(const char *name)
{
	size_t len = strlen(name);

	return has_service_suffix(name) ? len - SERVICE_SUFFIX_LEN : len;
}

static bool valid_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr(":-_.\\", c) != NULL;
}

bool names_valid(const char *name)
{
	size_t len = strlen(name), stem;
	const char *at = NULL;

	if (len > UNIT_NAME_MAX_BYTES || !has_service_suffix(name))
		return false;
	stem = len - SERVICE_SUFFIX_LEN;
	for (size_t i = 0; i < stem; i++) {
		if (name[i] == '@') {
			if (at)
				return false;	/* one '@' at most */
			at = name + i;
		} else if (!valid_char(name[i]) || name[i] == '\0')
			return false;
	}
	return stem > 0 && at != name;	/* the prefix is never empty */
}

/* Unit types that are not services: "foo.socket" is not a service name. */
static bool other_unit_suffix(const char *dot)
{
	static const char *const types[] = {
		".socket", ".device", ".mount", ".automount", ".swap",
		".target", ".path", ".timer", ".slice", ".scope",
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i]) == 0)
			return true;
	return false;
}

char *unit_name_normalize(const char *name)
{
	const char *dot = strrchr(name, '.');
	char *full;

	if (strchr(name, '/') || (dot && other_unit_suffix(dot)))
		return NULL;
	if (has_service_suffix(name))
		full = strdup(name);
	else if (asprintf(&full, "%s" SERVICE_SUFFIX, name) < 0)
		full = NULL;
	if (full && !names_valid(full)) {
		free(full);
		return NULL;
	}
	return full;
}

bool unit_name_is_template(const char *name)
{
	size_t len = strlen(name);

	return names_valid(name) && len > SERVICE_SUFFIX_LEN &&
	       name[len - SERVICE_SUFFIX_LEN - 1] == '@';
}

bool unit_name_split_instance(const char *name, char **template_name,
			      char **instance)
{
	const char *at = strchr(name, '@');
	size_t stem = strlen(name) - SERVICE_SUFFIX_LEN;

	if (!names_valid(name) || !at || at == name + stem - 1)
		return false;
	*instance = strndup(at + 1, (size_t)(name + stem - at - 1));
	if (asprintf(template_name, "%.*s@" SERVICE_SUFFIX,
		     (int)(at - name), name) < 0)
		*template_name = NULL;
	if (!*instance || !*template_name) {
		free(*instance);
		free(*template_name);
		*instance = *template_name = NULL;
		return false;
	}
	return true;
}

char *names_prefix(const char *name)
{
	size_t n = strcspn(name, "@");
	size_t len = strlen(name);

	if (n == len && has_service_suffix(name))
		n = len - SERVICE_SUFFIX_LEN;
	return strndup(name, n);
}

char *names_unescape(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;

	if (!out)
		return NULL;
	for (const char *s = text; *s; s++) {
		if (*s == '-') {
			*o++ = '/';
		} else if (*s == '\\') {
			int hi, lo;

			if (s[1] != 'x' || (hi = words_hex_digit(s[2])) < 0 ||
			    (lo = words_hex_digit(s[3])) < 0 || (hi | lo) == 0) {
				free(out);
				errno = EINVAL;
				return NULL;
			}
			*o++ = (char)(hi << 4 | lo);
			s += 3;
		} else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}
