/* Specifiers and unit names: an input is
 *   TEXT [SEP NAME]
 * NAME is taken as svd takes a unit name from a command line or a
 * request (normalized, split into template and instance); the names it
 * gives, or fixed ones, fill the specifier context that TEXT is expanded
 * with: once with every host value known, once with none (each host
 * specifier then an error). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "unit.h"

#define FUZZ_PARTS_MAX 2

/* Every value systemd.unit(5) lists, as host_read() could give them. */
static struct spec_host host = {
	.hostname = "fuzzhost.example", .pretty_hostname = "Fuzz Host",
	.machine_id = "0123456789abcdef0123456789abcdef",
	.boot_id = "fedcba9876543210fedcba9876543210",
	.kernel_release = "6.1.0", .architecture = "x86-64", .os_id = "debian",
	.os_version_id = "12", .os_variant_id = "", .os_build_id = "",
	.os_image_id = "", .os_image_version = "", .user_name = "root",
	.user_id = "0", .group_name = "root", .group_id = "0",
	.home = "/root", .shell = "/bin/sh", .tmp_dir = "/tmp",
	.var_tmp_dir = "/var/tmp",
};

static void expand(const char *text, const struct spec_ctx *spec)
{
	char *error = NULL, *out = spec_expand(text, spec, &error);

	if (!out) {
		FUZZ_ASSERT(error != NULL);
		free(error);
		return;
	}
	FUZZ_ASSERT(error == NULL);
	/* Without a '%', nothing changes. */
	if (!strchr(text, '%'))
		FUZZ_ASSERT(strcmp(out, text) == 0);
	free(out);
}

/* The specifiers of the unit called name, as the loader sets them. */
static void expand_for_name(const char *text, const char *name)
{
	struct spec_ctx spec = { .host = &host, .fragment = "/u/x.service" };
	char *norm = unit_name_normalize(name), *template = NULL, *instance = NULL;
	enum unit_kind kind;

	if (!norm)
		return;
	/* A normalized name has a loadable suffix; the stem is cut of a
	 * service's only (a socket's log file keeps ".socket"). */
	FUZZ_ASSERT(unit_name_kind(norm, &kind));
	FUZZ_ASSERT(kind == UNIT_KIND_SERVICE ?
		    strlen(norm) > unit_name_stem_len(norm) :
		    strlen(norm) == unit_name_stem_len(norm));
	spec.unit_name = norm;
	if (unit_name_split_instance(norm, &template, &instance)) {
		FUZZ_ASSERT(template != NULL && instance != NULL);
		FUZZ_ASSERT(unit_name_is_template(template));
		spec.instance = instance;
	}
	expand(text, &spec);
	free(template);
	free(instance);
	free(norm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct spec_ctx fixed = {
		.unit_name = "fuzz@a-b\\x2dc.service", .prefix = "fuzz",
		.instance = "a-b\\x2dc", .host = &host,
		.fragment = "/etc/svd/units/fuzz@.service",
		.runtime_dir = "/run", .state_dir = "/var/lib",
		.logs_dir = "/var/log",
	};
	static const struct spec_ctx empty = {0};
	char *parts[FUZZ_PARTS_MAX];

	fuzz_split(data, size, parts, NULL, FUZZ_PARTS_MAX);
	expand(parts[0], &fixed);
	expand(parts[0], &empty);
	if (parts[1])
		expand_for_name(parts[0], parts[1]);
	fuzz_parts_free(parts, FUZZ_PARTS_MAX);
	return 0;
}
