#include "tmpfiles_run.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "strv.h"
#include "tmpfiles_apply.h"

/* A 128-bit id as systemd formats it for %m and %b: 32 lowercase hex
 * digits (boot_id's dashes dropped). NULL when unreadable. */
static char *read_id(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	char line[128];
	size_t n = 0;

	if (!f)
		return NULL;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	for (const char *p = line; *p && n + 1 < size; p++)
		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
			buf[n++] = *p;
	buf[n] = '\0';
	return n == 32 ? buf : NULL;
}

/* systemd's names for %a, where they differ from the kernel's. */
static const char *architecture(const char *machine)
{
	static const char *const names[][2] = {
		{ "x86_64", "x86-64" }, { "aarch64", "arm64" },
		{ "i686", "x86" }, { "i586", "x86" }, { "i386", "x86" },
		{ "armv7l", "arm" }, { "armv6l", "arm" },
		{ "ppc64le", "ppc64-le" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(machine, names[i][0]) == 0)
			return names[i][1];
	return machine;
}

/* The values behind the specifiers, for the system instance: who runs
 * svd (root as init), the directory roots of svd.conf. */
struct spec_store {
	struct tmpfiles_specs specs;
	char machine_id[33], boot_id[33];
	char hostname[256];
	struct utsname uts;
	char user[256], group[256], home[4096];
};

static void specs_names(struct spec_store *s)
{
	const struct passwd *pw = getpwuid(getuid());
	const struct group *gr = getgrgid(getgid());

	if (pw) {
		snprintf(s->user, sizeof(s->user), "%s", pw->pw_name);
		snprintf(s->home, sizeof(s->home), "%s", pw->pw_dir);
		s->specs.user = s->user;
		s->specs.home = s->home;
	}
	if (gr) {
		snprintf(s->group, sizeof(s->group), "%s", gr->gr_name);
		s->specs.group = s->group;
	}
}

static void specs_init(struct spec_store *s, const struct settings *settings,
		       const char *root)
{
	struct tmpfiles_specs *sp = &s->specs;
	char *machine_id_path;

	*sp = (struct tmpfiles_specs){
		.runtime_dir = settings->directory_roots[UNIT_DIR_RUNTIME],
		.state_dir = settings->directory_roots[UNIT_DIR_STATE],
		.cache_dir = settings->directory_roots[UNIT_DIR_CACHE],
		.logs_dir = settings->directory_roots[UNIT_DIR_LOGS],
		.tmp_dir = "/tmp",
		.var_tmp_dir = "/var/tmp",
		.uid = getuid(),
		.gid = getgid(),
	};
	/* The machine's id is the root's, as systemd-tmpfiles --root. */
	if (asprintf(&machine_id_path, "%s/etc/machine-id",
		     strcmp(root, "/") ? root : "") >= 0) {
		sp->machine_id = read_id(machine_id_path, s->machine_id,
					 sizeof(s->machine_id));
		free(machine_id_path);
	}
	sp->boot_id = read_id("/proc/sys/kernel/random/boot_id", s->boot_id,
			      sizeof(s->boot_id));
	if (gethostname(s->hostname, sizeof(s->hostname) - 1) == 0)
		sp->hostname = s->hostname;
	if (uname(&s->uts) == 0) {
		sp->kernel_release = s->uts.release;
		sp->architecture = architecture(s->uts.machine);
	}
	specs_names(s);
}

const char *const *tmpfiles_run_dirs(const struct settings *settings,
				     size_t *n)
{
	const char *const *dirs = settings->tmpfiles_dirs ?
		(const char *const *)settings->tmpfiles_dirs :
		tmpfiles_default_dirs;

	for (*n = 0; dirs[*n]; (*n)++)
		;
	return dirs;
}

/* The files named, each looked up in the directories when a bare name. */
static char **named_files(const struct tmpfiles_run_opts *o,
			  const char *const *dirs, size_t n_dirs, unsigned *failed)
{
	char **paths = calloc(o->n_files + 1, sizeof(*paths));
	size_t n = 0;

	if (!paths)
		return NULL;
	for (size_t i = 0; i < o->n_files; i++) {
		char *path = tmpfiles_resolve_file(o->files[i], dirs, n_dirs);
		char *msg;

		if (path) {
			paths[n++] = path;
			continue;
		}
		(*failed)++;
		if (o->diag && asprintf(&msg, "%s: %s", o->files[i],
					errno == ENOENT ? "not found in the tmpfiles.d "
					"directories" : strerror(errno)) >= 0) {
			o->diag(o->ctx, true, msg);
			free(msg);
		}
	}
	return paths;
}

unsigned tmpfiles_run(const struct tmpfiles_run_opts *o)
{
	const char *root = o->settings->tmpfiles_root ? o->settings->tmpfiles_root : "/";
	struct tmpfiles_apply_opts apply = {
		.root = root, .create = o->create, .remove = o->remove,
		.diag = o->diag, .ctx = o->ctx,
	};
	struct tmpfiles_list list = { 0 };
	struct spec_store store;
	unsigned failed = 0;
	size_t n_dirs;
	const char *const *dirs = tmpfiles_run_dirs(o->settings, &n_dirs);
	char **files = o->files ? named_files(o, dirs, n_dirs, &failed) :
		       tmpfiles_find_files(dirs, n_dirs, o->diag, o->ctx);
	int applied;

	if (!files) {
		if (o->diag)
			o->diag(o->ctx, true, "tmpfiles: out of memory");
		return failed + 1;
	}
	specs_init(&store, o->settings, root);
	for (size_t i = 0; files[i]; i++)
		if (tmpfiles_parse_file(&list, files[i], &store.specs, o->boot,
					o->diag, o->ctx) < 0 && errno == ENOMEM)
			break;
	strv_free(files);
	if (tmpfiles_finish(&list, o->diag, o->ctx) < 0 && o->diag)
		o->diag(o->ctx, true, "tmpfiles: out of memory");
	applied = tmpfiles_apply(&list, &apply);
	failed += list.n_errors + (applied < 0 ? 1 : (unsigned)applied);
	tmpfiles_list_free(&list);
	return failed;
}

/* One problem, one line: a newline inside (a path may hold one) is
 * written \n, a backslash \\, so that svd reads each back whole. */
static void print_diag(void *ctx, bool error, const char *message)
{
	fputs(error ? "error: " : "warning: ", stdout);
	for (const char *p = message; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\\')
			fputs("\\\\", stdout);
		else
			fputc(*p, stdout);
	}
	fputc('\n', stdout);
}

static void settings_diag(void *ctx, const char *message)
{
	/* svd said these when it read svd.conf: not each time again. */
}

int tmpfiles_run_main(int argc, char **argv, const char *default_config)
{
	static const struct option longopts[] = {
		{ "tmpfiles", no_argument, NULL, 't' },
		{ "create", no_argument, NULL, 'C' },
		{ "remove", no_argument, NULL, 'R' },
		{ "boot", no_argument, NULL, 'B' },
		{ "config", required_argument, NULL, 'c' },
		{ 0 },
	};
	struct tmpfiles_run_opts o = { .diag = print_diag };
	const char *config = default_config;
	struct settings settings;
	unsigned failed;
	int c;

	while ((c = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (c) {
		case 't': break;
		case 'C': o.create = true; break;
		case 'R': o.remove = true; break;
		case 'B': o.boot = true; break;
		case 'c': config = optarg; break;
		default:
			fprintf(stderr, "usage: svd --tmpfiles [--create] [--remove] "
				"[--boot] [-c FILE] [FILE...]\n");
			return 2;
		}
	}
	if (!o.create && !o.remove) {
		fprintf(stderr, "svd --tmpfiles: --create, --remove or both\n");
		return 2;
	}
	if (settings_init(&settings) < 0)
		return 1;
	settings_load(&settings, config, settings_diag, NULL);
	o.settings = &settings;
	if (optind < argc) {
		o.files = argv + optind;
		o.n_files = (size_t)(argc - optind);
	}
	failed = tmpfiles_run(&o);
	settings_free(&settings);
	if (fflush(stdout) != 0)
		return 1;
	return failed ? 1 : 0;
}
