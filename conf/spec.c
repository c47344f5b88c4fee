/* spec: systemd's unit specifiers (%n, %i, %H, ...) in unit-file values,
 * resolved at load time like systemd's unit_full_printf(). The host's
 * values come in struct spec_host, gathered by the caller: nothing here
 * asks the system. */
#include "exec.h"
#include "names.h"
#include "sbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What add_spec() returns besides 0 and -1. */
enum {
	SPEC_UNKNOWN = 1,	/* no such specifier */
	SPEC_UNRESOLVED = 2,	/* known, but without a value here */
};

static const char *or_default(const char *s, const char *fallback)
{
	return s ? s : fallback;
}

/* A value that may be missing on this system. */
static int add_known(struct sbuf *b, const char *s)
{
	return s ? sbuf_adds(b, s) : SPEC_UNRESOLVED;
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

/* %j, %J: the prefix after its last '-' (all of it without one). */
static int add_last_component(struct sbuf *b, const char *prefix,
			      bool unescape)
{
	const char *dash;

	if (!prefix)
		return 0;
	dash = strrchr(prefix, '-');
	if (dash)
		prefix = dash + 1;
	return unescape ? add_unescaped(b, prefix, false) :
			  sbuf_adds(b, prefix);
}

/* %l: the host name up to its first '.'. */
static int add_short_hostname(struct sbuf *b, const char *hostname)
{
	if (!hostname)
		return SPEC_UNRESOLVED;
	return sbuf_add(b, hostname, strcspn(hostname, "."));
}

/* %Y: the directory of the unit file. */
static int add_fragment_dir(struct sbuf *b, const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	if (!path)
		return SPEC_UNRESOLVED;
	if (!slash)
		return sbuf_addc(b, '.');
	return sbuf_add(b, path, slash == path ? 1 : (size_t)(slash - path));
}

/* %d: where systemd puts the unit's credentials. */
static int add_credentials_dir(struct sbuf *b, const struct spec_ctx *spec)
{
	return sbuf_addf(b, "%s/credentials/%s",
			 or_default(spec->runtime_dir, "/run"),
			 or_default(spec->unit_name, ""));
}

/* The specifiers of the unit's name and file. */
static int add_name_spec(struct sbuf *b, char c, const struct spec_ctx *spec)
{
	const char *inst = spec->instance;

	switch (c) {
	case 'n': return sbuf_adds(b, or_default(spec->unit_name, ""));
	case 'N': return add_name_stem(b, spec->unit_name);
	case 'p': return sbuf_adds(b, or_default(spec->prefix, ""));
	case 'P': return add_unescaped(b, spec->prefix, false);
	case 'i': return sbuf_adds(b, or_default(inst, ""));
	case 'I': return add_unescaped(b, inst, false);
	case 'j': return add_last_component(b, spec->prefix, false);
	case 'J': return add_last_component(b, spec->prefix, true);
	case 'f': return add_unescaped(b, inst && *inst ? inst : spec->prefix,
				       true);
	case 'y': return add_known(b, spec->fragment);
	case 'Y': return add_fragment_dir(b, spec->fragment);
	case 'd': return add_credentials_dir(b, spec);
	default: return SPEC_UNKNOWN;
	}
}

/* The specifiers of the running system and the manager's user. */
static int add_host_spec(struct sbuf *b, char c, const struct spec_host *h)
{
	static const struct spec_host none;

	if (!h)
		h = &none;
	switch (c) {
	case 'H': return add_known(b, h->hostname);
	case 'l': return add_short_hostname(b, h->hostname);
	case 'q': return h->pretty_hostname ? sbuf_adds(b, h->pretty_hostname)
					    : add_short_hostname(b, h->hostname);
	case 'm': return add_known(b, h->machine_id);
	case 'b': return add_known(b, h->boot_id);
	case 'v': return add_known(b, h->kernel_release);
	case 'a': return add_known(b, h->architecture);
	case 'o': return add_known(b, h->os_id);
	case 'w': return add_known(b, h->os_version_id);
	case 'W': return add_known(b, h->os_variant_id);
	case 'B': return add_known(b, h->os_build_id);
	case 'M': return add_known(b, h->os_image_id);
	case 'A': return add_known(b, h->os_image_version);
	case 'u': return add_known(b, h->user_name);
	case 'U': return add_known(b, h->user_id);
	case 'g': return add_known(b, h->group_name);
	case 'G': return add_known(b, h->group_id);
	case 'h': return add_known(b, h->home);
	case 's': return add_known(b, h->shell);
	case 'T': return sbuf_adds(b, or_default(h->tmp_dir, "/tmp"));
	case 'V': return sbuf_adds(b, or_default(h->var_tmp_dir, "/var/tmp"));
	default: return SPEC_UNKNOWN;
	}
}

/* Appends what %c stands for; SPEC_UNKNOWN or SPEC_UNRESOLVED when it
 * cannot, -1 with errno EINVAL (a bad escape) or ENOMEM. */
static int add_spec(struct sbuf *b, char c, const struct spec_ctx *spec)
{
	int r;

	switch (c) {
	case '%': return sbuf_addc(b, '%');
	case 't': return sbuf_adds(b, or_default(spec->runtime_dir, "/run"));
	case 'S': return sbuf_adds(b, or_default(spec->state_dir, "/var/lib"));
	case 'L': return sbuf_adds(b, or_default(spec->logs_dir, "/var/log"));
	case 'C': return sbuf_adds(b, "/var/cache");
	case 'E': return sbuf_adds(b, "/etc");
	}
	r = add_name_spec(b, c, spec);
	return r == SPEC_UNKNOWN ? add_host_spec(b, c, spec->host) : r;
}

/* Why a known specifier has no value, for the error message. */
static const char *unresolved_why(char c)
{
	switch (c) {
	case 'y': case 'Y': return "the unit has no file";
	case 'm': return "no valid machine ID in /etc/machine-id";
	case 'b': return "no boot ID in /proc/sys/kernel/random/boot_id";
	case 'u': case 'U': case 'g': case 'G': case 'h': case 's':
		return "the manager's user is not known";
	default: return "not known on this system";
	}
}

static char *spec_error(char **error, int r, char c)
{
	int n;

	if (r == SPEC_UNKNOWN)
		n = asprintf(error, "unknown specifier %%%c", c);
	else if (r == SPEC_UNRESOLVED)
		n = asprintf(error, "cannot resolve specifier %%%c: %s", c,
			     unresolved_why(c));
	else
		n = asprintf(error, "cannot unescape the name for %%%c", c);
	if (n < 0)
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
		if (r > 0 || (r < 0 && errno == EINVAL)) {
			sbuf_free(&b);
			return spec_error(error, r, *s);
		}
		if (r < 0)
			goto nomem;
	}
	return sbuf_take(&b);
nomem:
	sbuf_free(&b);
	return NULL;
}
