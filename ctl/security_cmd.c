#include "security_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client.h"
#include "host.h"
#include "security.h"
#include "security_out.h"
#include "security_unit.h"
#include "unit.h"

/* A template named by path is scored with this instance, as verify
 * checks it. */
#define SECURITY_TEMPLATE_INSTANCE "test_instance"

struct run {
	const struct security_cmd *cmd;
	struct unit_load_ctx ctx;
	bool first;		/* nothing printed yet */
	int worst;		/* the exit code so far */
};

/* Errors and warnings (a missing directory, an unknown key), but not
 * the keys systemd has and svd ignores: the table shows them as open. */
static void print_diag(void *ctx, enum unit_diag_level level,
		       const char *message)
{
	if (level != UNIT_DIAG_UNSUPPORTED)
		fprintf(stderr, "svctl: security: %s%s\n",
			level == UNIT_DIAG_ERROR ? "" : "warning: ", message);
}

static void set_worst(struct run *run, int code)
{
	if (code > run->worst)
		run->worst = code;
}

static void report_unit(struct run *run, const struct unit *u)
{
	struct security_info info;
	struct security_report report;

	security_info_from_unit(u, &info);
	security_assess(&info, &report);
	security_report_sort(&report);
	if (report.exposure > run->cmd->threshold)
		set_worst(run, SVCTL_EXIT_FAILED);
	if (run->cmd->quiet)
		return;
	if (run->cmd->json) {
		fputs(run->first ? "" : ",", stdout);
		security_out_json(stdout, u->name, &report);
	} else {
		fputs(run->first ? "" : "\n", stdout);
		security_out_table(stdout, u->name, &report, run->cmd->color);
	}
	run->first = false;
}

static void dirs_text(const struct run *run, FILE *out)
{
	for (size_t i = 0; i < run->ctx.n_dirs; i++)
		fprintf(out, "%s%s", i ? ", " : "", run->ctx.dirs[i]);
}

/* A name looked up in the directories: NULL after saying why not. */
static struct unit *load_name(struct run *run, const char *name)
{
	char *full = unit_name_normalize(name);
	struct unit *u = NULL;
	enum unit_lookup r;

	if (!full) {
		fprintf(stderr, "svctl: security: \"%s\" is not a valid unit "
			"name\n", name);
		set_worst(run, SVCTL_EXIT_NO_UNIT);
		return NULL;
	}
	r = unit_load_name(&run->ctx, full, &u);
	if (r == UNIT_LOOKUP_NOT_FOUND) {
		fprintf(stderr, "svctl: security: no unit %s in ", full);
		dirs_text(run, stderr);
		fputc('\n', stderr);
		set_worst(run, SVCTL_EXIT_NO_UNIT);
	} else if (r == UNIT_LOOKUP_MASKED) {
		fprintf(stderr, "svctl: security: %s is masked\n", full);
	} else if (r == UNIT_LOOKUP_TEMPLATE) {
		fprintf(stderr, "svctl: security: %s is a template: name an "
			"instance (NAME@INSTANCE)\n", full);
	}
	if (r != UNIT_LOOKUP_OK)
		set_worst(run, SVCTL_EXIT_FAILED);
	free(full);
	return r == UNIT_LOOKUP_OK ? u : NULL;
}

/* What verify reports rather than parses: a mask (a link to /dev/null
 * or an empty file), git's stand-in for a link, what is no regular file
 * (a FIFO would block the read). Says which; false for a unit file. */
static bool not_a_unit_file(const char *path)
{
	struct stat st;
	char *link;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "svctl: security: %s: %s\n", path, strerror(errno));
		return true;
	}
	if (S_ISCHR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0)) {
		fprintf(stderr, "svctl: security: %s is masked\n", path);
		return true;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "svctl: security: %s: not a regular file\n", path);
		return true;
	}
	if ((link = unit_link_stand_in(path))) {
		fprintf(stderr, "svctl: security: %s: a link to %s stored as a "
			"file: %s\n", path, link, strcmp(link, "/dev/null") == 0 ?
			"masked" : "name the unit it points to");
		free(link);
		return true;
	}
	return false;
}

static struct unit *load_path(struct run *run, const char *path)
{
	const char *base = strrchr(path, '/');
	struct unit *u = NULL;

	if (not_a_unit_file(path)) {
		set_worst(run, SVCTL_EXIT_FAILED);
		return NULL;
	}
	base = base ? base + 1 : path;
	if (unit_load_file(&run->ctx, path, unit_name_is_template(base) ?
			   SECURITY_TEMPLATE_INSTANCE : NULL, &u) < 0) {
		set_worst(run, SVCTL_EXIT_FAILED);
		return NULL;
	}
	return u;
}

static void score_operand(struct run *run, const char *operand)
{
	struct unit *u = strchr(operand, '/') ? load_path(run, operand) :
			 load_name(run, operand);

	if (!u)
		return;
	if (u->kind != UNIT_KIND_SERVICE) {
		fprintf(stderr, "svctl: security: %s is no service: only a "
			"service's processes are confined\n", u->name);
		set_worst(run, SVCTL_EXIT_FAILED);
	} else {
		report_unit(run, u);
	}
	unit_free(u);
}

static int score_units(struct run *run, char *const *units, size_t n)
{
	bool array = run->cmd->json && n > 1 && !run->cmd->quiet;

	fputs(array ? "[" : "", stdout);
	for (size_t i = 0; i < n; i++)
		score_operand(run, units[i]);
	fputs(array ? "]" : "", stdout);
	if (run->cmd->json && !run->cmd->quiet && (array || !run->first))
		fputc('\n', stdout);
	return run->worst;
}

/* The overview: every service file of the directories but templates,
 * aliases and masks (systemd lists the loaded services). */
static int score_all(struct run *run)
{
	struct unit_file *files = NULL;
	struct security_out_line *lines;
	size_t n_files = 0, n = 0;

	if (unit_dir_list(&run->ctx, &files, &n_files) < 0) {
		fprintf(stderr, "svctl: security: listing the units: %s\n",
			strerror(errno));
		return SVCTL_EXIT_FAILED;
	}
	lines = calloc(n_files ? n_files : 1, sizeof(*lines));
	if (!lines) {
		perror("svctl: security");
		unit_files_free(files, n_files);
		return SVCTL_EXIT_FAILED;
	}
	for (size_t i = 0; i < n_files; i++) {
		struct security_info info;
		struct security_report report;
		struct unit *u = NULL;

		if (files[i].kind != UNIT_FILE_REGULAR)
			continue;
		if (unit_load_file(&run->ctx, files[i].path, NULL, &u) < 0) {
			set_worst(run, SVCTL_EXIT_FAILED);
			continue;
		}
		security_info_from_unit(u, &info);
		security_assess(&info, &report);
		if (report.exposure > run->cmd->threshold)
			set_worst(run, SVCTL_EXIT_FAILED);
		lines[n].unit = files[i].name;	/* freed with files */
		lines[n++].exposure = report.exposure;
		unit_free(u);
	}
	if (!run->cmd->quiet)
		security_out_overview(stdout, lines, n, run->cmd->json,
				      run->cmd->color);
	free(lines);
	unit_files_free(files, n_files);
	return run->worst;
}

int security_cmd_run(const struct security_cmd *cmd, char *const *units,
		     size_t n_units)
{
	struct spec_host host;
	struct run run = {
		.cmd = cmd, .first = true,
		.ctx = {
			.dirs = cmd->dirs, .n_dirs = cmd->n_dirs,
			.spec = { .host = &host },
			.diag = print_diag,
		},
	};
	int r;

	if (host_read(&host, NULL) < 0) {
		fprintf(stderr, "svctl: security: reading the host's values "
			"for specifiers: %s\n", strerror(errno));
		return SVCTL_EXIT_FAILED;
	}
	r = n_units ? score_units(&run, units, n_units) : score_all(&run);
	host_clear(&host);
	return r;
}
