/* spec: systemd's unit specifiers (%n, %i, %t, ...) in unit-file values,
 * resolved at load time like systemd's unit_full_printf(). */
#include "exec.h"
#include "names.h"
#include "sbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *or_default(const char *s, const char *fallback)
{
	return s ? s : fallback;
}

/* %N: the name without its ".service" suffix. */
static int add_name_stem(struct sbuf *b, const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;

	if (!name)
		return 0;
	return sbuf_add(b, name, dot ? (size_t)(dot - name) : strlen(name));
}

/* %I and %P: unescaped; %f: "/" + unescaped instance, or prefix. */
static int add_unescaped(struct sbuf *b, const char *text, bool slash)
{
	char *plain = names_unescape(text ? text : "");
	int r;

	if (!plain)
		return -1;
	r = (slash && plain[0] != '/') ? sbuf_addc(b, '/') : 0;
	if (r == 0)
		r = sbuf_adds(b, plain);
	free(plain);
	return r;
}

/* Appends what %c stands for; 1 for an unknown specifier. */
static int add_spec(struct sbuf *b, char c, const struct spec_ctx *spec)
{
	const char *inst = spec->instance;

	switch (c) {
	case '%': return sbuf_addc(b, '%');
	case 'n': return sbuf_adds(b, or_default(spec->unit_name, ""));
	case 'N': return add_name_stem(b, spec->unit_name);
	case 'p': return sbuf_adds(b, or_default(spec->prefix, ""));
	case 'P': return add_unescaped(b, spec->prefix, false);
	case 'i': return sbuf_adds(b, or_default(inst, ""));
	case 'I': return add_unescaped(b, inst, false);
	case 'f': return add_unescaped(b, inst && *inst ? inst : spec->prefix,
				       true);
	case 'H': return sbuf_adds(b, or_default(spec->hostname, ""));
	case 't': return sbuf_adds(b, or_default(spec->runtime_dir, "/run"));
	case 'S': return sbuf_adds(b, or_default(spec->state_dir, "/var/lib"));
	case 'L': return sbuf_adds(b, or_default(spec->logs_dir, "/var/log"));
	case 'C': return sbuf_adds(b, "/var/cache");
	case 'E': return sbuf_adds(b, "/etc");
	case 'T': return sbuf_adds(b, "/tmp");
	case 'V': return sbuf_adds(b, "/var/tmp");
	default: return 1;
	}
}

static char *spec_error(char **error, const char *why, char c)
{
	if (asprintf(error, "%s %%%c", why, c) < 0)
		*error = NULL;
	return NULL;
}

char *spec_expand(const char *text, const struct spec_ctx *spec, char **error)
{
	struct sbuf b = SBUF_INIT;

	*error = NULL;
	for (const char *s = text; *s; s++) {
		int r;

		/* A '%' at the very end stays, as in systemd. */
		if (*s != '%' || s[1] == '\0') {
			if (sbuf_addc(&b, *s) < 0)
				goto nomem;
			continue;
		}
		r = add_spec(&b, *++s, spec);
		if (r > 0) {
			sbuf_free(&b);
			return spec_error(error, "unknown specifier", *s);
		}
		if (r < 0 && errno == EINVAL) {
			sbuf_free(&b);
			return spec_error(error, "cannot unescape the "
					  "name for", *s);
		}
		if (r < 0)
			goto nomem;
	}
	return sbuf_take(&b);
nomem:
	sbuf_free(&b);
	return NULL;
}
