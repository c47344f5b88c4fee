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

/* The suffixes of the units svd loads from files, with their kinds. */
static const struct {
	const char *suffix;
	enum unit_kind kind;
} loadable[] = {
	{ ".service", UNIT_KIND_SERVICE },
	{ ".socket", UNIT_KIND_SOCKET },
	{ ".target", UNIT_KIND_TARGET },
};

/* The length of name's loadable suffix, or 0 when it has none. */
static size_t loadable_suffix_len(const char *name, enum unit_kind *kind)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(loadable) / sizeof(loadable[0]); i++) {
		size_t n = strlen(loadable[i].suffix);

		if (len > n && strcmp(name + len - n, loadable[i].suffix) == 0) {
			if (kind)
				*kind = loadable[i].kind;
			return n;
		}
	}
	return 0;
}

char *unit_socket_service(const struct unit *u)
{
	const char *at = strchr(u->name, '@');
	size_t stem = strlen(u->name) - strlen(names_suffix(u->name));
	char *name;

	if (u->socket->accept) {
		if (asprintf(&name, "%.*s@.service",
			     (int)(at ? (size_t)(at - u->name) : stem), u->name) < 0)
			return NULL;
		return name;
	}
	if (u->socket->service)
		return strdup(u->socket->service);
	if (asprintf(&name, "%.*s.service", (int)stem, u->name) < 0)
		return NULL;
	return name;
}

const char *names_suffix(const char *name)
{
	return name + strlen(name) - loadable_suffix_len(name, NULL);
}

bool unit_name_kind(const char *name, enum unit_kind *kind)
{
	return loadable_suffix_len(name, kind) > 0;
}

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
	size_t len = strlen(name), suffix = loadable_suffix_len(name, NULL);
	size_t stem = len - suffix;
	const char *at = NULL;

	if (len > UNIT_NAME_MAX_BYTES || suffix == 0)
		return false;
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

	if (strchr(name, '/') ||
	    (dot && other_unit_suffix(dot) && !unit_name_kind(name, NULL)))
		return NULL;
	if (unit_name_kind(name, NULL))
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
	size_t len = strlen(name), suffix = loadable_suffix_len(name, NULL);

	return names_valid(name) && name[len - suffix - 1] == '@';
}

bool unit_name_split_instance(const char *name, char **template_name,
			      char **instance)
{
	const char *at = strchr(name, '@');
	size_t suffix = loadable_suffix_len(name, NULL);
	size_t stem = strlen(name) - suffix;

	if (!names_valid(name) || !at || at == name + stem - 1)
		return false;
	*instance = strndup(at + 1, (size_t)(name + stem - at - 1));
	if (asprintf(template_name, "%.*s@%s", (int)(at - name), name,
		     name + stem) < 0)
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

	if (n == len)
		n = len - loadable_suffix_len(name, NULL);
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

/* Whether a relative path is plain: no empty, "." or ".." component,
 * no '/' at either end. */
static bool plain_relative(const char *path)
{
	const char *s = path;

	if (!*s)
		return false;
	for (;;) {
		size_t n = strcspn(s, "/");

		if (n == 0 || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		if (!s[n])
			return true;
		s += n + 1;
	}
}

char *unit_name_to_path(const char *name)
{
	const char *dot = strrchr(name, '.');
	char *prefix, *relative, *path = NULL;

	if (!dot || dot == name || strchr(name, '@') || strchr(name, '/')) {
		errno = EINVAL;
		return NULL;
	}
	prefix = strndup(name, (size_t)(dot - name));
	if (!prefix)
		return NULL;
	if (strcmp(prefix, "-") == 0) {
		free(prefix);
		return strdup("/");
	}
	relative = names_unescape(prefix);
	free(prefix);
	if (!relative)
		return NULL;
	if (!plain_relative(relative))
		errno = EINVAL;
	else if (asprintf(&path, "/%s", relative) < 0)
		path = NULL;
	free(relative);
	return path;
}

/* Bytes systemd keeps as they are in an escaped path ('.' but first). */
static bool escape_keeps(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == ':' || c == '_' ||
	       (c == '.' && !first);
}

char *unit_name_from_path(const char *path, const char *suffix)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	bool first = true;

	if (!f)
		return NULL;
	path += strspn(path, "/");
	if (!*path)
		fputc('-', f);
	for (const char *s = path; *s; s++) {
		if (*s == '/')
			fputc('-', f);
		else if (escape_keeps(*s, first))
			fputc(*s, f);
		else
			fprintf(f, "\\x%02x", (unsigned char)*s);
		first = false;
	}
	fputs(suffix, f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

bool unit_path_plain(char *path)
{
	char *o = path;

	if (path[0] != '/')
		return false;
	/* Checked whole first: a refused path is left as written. */
	for (const char *s = path; *s;) {
		size_t n;

		s += strspn(s, "/");
		n = strcspn(s, "/");
		if ((n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s += n;
	}
	for (const char *s = path; *s;) {
		size_t n;

		s += strspn(s, "/");
		n = strcspn(s, "/");
		if (n == 0)
			break;
		*o++ = '/';
		memmove(o, s, n);
		o += n;
		s += n;
	}
	if (o == path)
		*o++ = '/';
	*o = '\0';
	return true;
}
