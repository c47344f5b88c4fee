/* svctl: control svd over its socket, or check unit files offline. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "client.h"
#include "config.h"
#include "deps.h"
#include "edit.h"
#include "monitor_out.h"
#include "output.h"
#include "security_cmd.h"
#include "verify.h"
#include "vocab.h"

struct svctl {
	struct ctl_args args;
	const struct vocab_verb *command;	/* verb's row */
	bool color;		/* ANSI colours: a terminal, not refused */
	bool json_first;	/* no element printed yet in a JSON array */
	int n_matched;		/* is-active...: units in the state asked */
	struct output_row *rows;	/* list: collected, then printed */
	size_t n_rows, rows_cap;
	size_t hidden;		/* list: rows left out by a filter */
	bool system_running;	/* is-system-running said "running" */
};

/* A command's --help line: the text's own line breaks indented under it. */
static void usage_verb(FILE *out, const struct vocab_verb *verb)
{
	const char *text = verb->help;

	/* A text that starts with a line break goes below a wide synopsis. */
	fprintf(out, "  %-21s%s", verb->synopsis, *text == '\n' ? "" : " ");
	for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1)
		fprintf(out, "%.*s\n%24s", (int)(nl - text), text, "");
	fprintf(out, "%s\n", text);
}

static void usage(FILE *out)
{
	fputs("usage: svctl [OPTIONS] COMMAND [UNIT...]   (options anywhere)\n"
	      "commands:\n", out);
	for (size_t i = 0; i < vocab_n_verbs; i++)
		if (vocab_verbs[i].synopsis)
			usage_verb(out, &vocab_verbs[i]);
	fprintf(out,
		"options:\n"
		"  -s, --socket PATH     svd's control socket (default $SVD_SOCKET or %s);\n"
		"                        after kill, -s is the signal\n"
		"      --json            JSON output (typed; one object per unit)\n"
		"      --no-color        no colours (also: $NO_COLOR, not a terminal)\n"
		"  -q, --quiet           no output: the exit status says\n"
		"  -p, --property A,B    show, status --json: only these properties\n"
		"      --value           show: values only\n"
		"  -a, --all             list: every unit (the default)\n"
		"      --failed, --state=S,...  list: units in these states only\n"
		"      --no-legend       list: no heading, legend or count\n"
		"  -n, --lines N / -f    logs: last N lines / follow\n"
		"  -u, --units DIR       security: unit directory; repeatable\n"
		"                        (default " SECURITY_DEFAULT_UNIT_DIR ")\n"
		"      --threshold=N     security: fail (1) past exposure N/10 (0-100)\n"
		"exit status: 0 ok, 1 failed, 2 usage, 3 not active, 4 no such unit,\n"
		"5 svd not reachable (per command: see svctl(1))\n",
		VOCAB_DEFAULT_SOCKET_PATH);
}

static bool is_verb(const struct svctl *ctl, const char *verb)
{
	return strcmp(ctl->args.verb, verb) == 0;
}

static void json_separator(struct svctl *ctl)
{
	if (!ctl->json_first)
		fputc(',', stdout);
	ctl->json_first = false;
}

static bool reply_is_active(const struct proto_msg *reply)
{
	const char *state = proto_get(reply, "ActiveState");

	return state && (strcmp(state, "active") == 0 ||
			 strcmp(state, "reloading") == 0 ||
			 strcmp(state, "deactivating") == 0);
}

/* is-enabled: the states systemctl counts as enabled. */
static bool enabled_state(const char *state)
{
	return strcmp(state, "enabled") == 0 || strcmp(state, "static") == 0 ||
	       strcmp(state, "enabled-runtime") == 0;
}

/* cat: the file as svd loaded it, each under a "# PATH" heading. */
static void print_file(const char *path, bool first)
{
	FILE *file = fopen(path, "re");
	char buf[8192];
	size_t n;

	printf("%s# %s\n", first ? "" : "\n", path);
	if (!file) {
		fprintf(stderr, "svctl: %s: %s\n", path, strerror(errno));
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), file)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(file);
}

static void print_cat(struct svctl *ctl, const struct proto_msg *reply)
{
	const char *fragment = proto_get(reply, "FragmentPath");
	bool first = ctl->json_first;

	ctl->json_first = false;
	if (!fragment || !*fragment) {
		printf("%s# %s has no unit file\n", first ? "" : "\n",
		       proto_get(reply, "Id"));
		return;
	}
	print_file(fragment, first);
	for (size_t i = 0; i < reply->n_fields; i++)
		if (strcmp(reply->fields[i].key, "DropInPaths") == 0)
			print_file(reply->fields[i].value, false);
}

/* is-active, is-failed, is-enabled: the state, one line a unit. */
static void on_is_reply(struct svctl *ctl, const struct proto_msg *reply)
{
	const char *key = is_verb(ctl, "is-enabled") ? "UnitFileState" :
			  "ActiveState";
	const char *state = proto_get(reply, key);
	bool match;

	if (!state)
		state = "";
	if (is_verb(ctl, "is-enabled"))
		match = enabled_state(state);
	else if (is_verb(ctl, "is-failed"))
		match = strcmp(state, "failed") == 0;
	else
		match = reply_is_active(reply);
	ctl->n_matched += match;
	if (!ctl->args.quiet)
		printf("%s\n", state);
}

static void on_unit_reply(void *ctx, const struct proto_msg *reply, int last)
{
	struct svctl *ctl = ctx;

	if (!proto_get(reply, "Id"))
		return;
	if (strncmp(ctl->args.verb, "is-", 3) == 0) {
		on_is_reply(ctl, reply);
		return;
	}
	if (!reply_is_active(reply))
		ctl->n_matched++;	/* status: counts the inactive */
	if (ctl->args.quiet)
		return;
	if (is_verb(ctl, "cat")) {
		print_cat(ctl, reply);
	} else if (ctl->args.json) {
		json_separator(ctl);
		output_json_object(stdout, reply, ctl->args.properties);
	} else if (is_verb(ctl, "status")) {
		if (!ctl->json_first)
			fputc('\n', stdout);
		ctl->json_first = false;
		output_status(stdout, reply, ctl->color);
	} else {
		output_show(stdout, reply, ctl->args.properties, ctl->args.value);
	}
}

static const char *field(const struct proto_msg *reply, const char *key)
{
	const char *value = proto_get(reply, key);

	return value ? value : "";
}

/* --state=: a unit in any of the states (active, SubState, load). */
static bool row_wanted(const struct svctl *ctl, const struct proto_msg *reply)
{
	const char *state = ctl->args.state;

	return !state || ctl_args_in_list(state, field(reply, "ActiveState")) ||
	       ctl_args_in_list(state, field(reply, "SubState")) ||
	       ctl_args_in_list(state, field(reply, "LoadState"));
}

static char *copy(const char *s)
{
	char *c = strdup(s ? s : "");

	if (!c) {
		perror("svctl");
		exit(SVCTL_EXIT_FAILED);
	}
	return c;
}

static void keep_row(struct svctl *ctl, const struct proto_msg *reply)
{
	struct output_row *row;

	if (ctl->n_rows == ctl->rows_cap) {
		size_t cap = ctl->rows_cap ? 2 * ctl->rows_cap : 64;
		struct output_row *rows = realloc(ctl->rows, cap * sizeof(*rows));

		if (!rows) {
			perror("svctl");
			exit(SVCTL_EXIT_FAILED);
		}
		ctl->rows = rows;
		ctl->rows_cap = cap;
	}
	row = &ctl->rows[ctl->n_rows++];
	row->id = copy(proto_get(reply, "Id"));
	row->load = copy(proto_get(reply, "LoadState"));
	row->active = copy(proto_get(reply, "ActiveState"));
	row->sub = copy(proto_get(reply, "SubState"));
	row->description = copy(proto_get(reply, "Description"));
}

static void on_list_reply(void *ctx, const struct proto_msg *reply, int last)
{
	struct svctl *ctl = ctx;

	if (last)
		return;
	if (!row_wanted(ctl, reply)) {
		ctl->hidden++;
		return;
	}
	if (ctl->args.json) {
		json_separator(ctl);
		output_json_object(stdout, reply, ctl->args.properties);
	} else {
		keep_row(ctl, reply);
	}
}

static void free_rows(struct svctl *ctl)
{
	for (size_t i = 0; i < ctl->n_rows; i++) {
		free(ctl->rows[i].id);
		free(ctl->rows[i].load);
		free(ctl->rows[i].active);
		free(ctl->rows[i].sub);
		free(ctl->rows[i].description);
	}
	free(ctl->rows);
}

static int run_list(struct svctl *ctl, int fd)
{
	struct output_list_opts opts = {
		.legend = !ctl->args.no_legend, .color = ctl->color,
	};
	int r;

	if (ctl->args.json && !ctl->args.quiet)
		fputc('[', stdout);
	r = client_call(fd, "list", NULL, on_list_reply, ctl);
	opts.hidden = ctl->hidden;
	if (ctl->args.json && !ctl->args.quiet)
		fputs("]\n", stdout);
	else if (!ctl->args.quiet && r == SVCTL_EXIT_OK)
		output_list(stdout, ctl->rows, ctl->n_rows, &opts);
	free_rows(ctl);
	return r;
}

static void on_version_reply(void *ctx, const struct proto_msg *reply, int last)
{
	const char *version = proto_get(reply, "Version");

	if (version)
		printf("svd %s\n", version);
}

static void on_system_state_reply(void *ctx, const struct proto_msg *reply, int last)
{
	struct svctl *ctl = ctx;
	const char *state = proto_get(reply, "SystemState");

	if (!state)
		return;
	if (!ctl->args.quiet)
		printf("%s\n", state);
	ctl->system_running = strcmp(state, "running") == 0;
}

/* As systemctl: 0 only when running, so that a health check can ask. */
static int run_is_system_running(struct svctl *ctl, int fd)
{
	int r = client_call(fd, "is-system-running", NULL, on_system_state_reply, ctl);

	if (r == SVCTL_EXIT_OK && !ctl->system_running)
		return SVCTL_EXIT_FAILED;
	return r;
}

/* enable, disable: say what was done, as systemctl does. */
static void on_enable_reply(void *ctx, const struct proto_msg *reply, int last)
{
	struct svctl *ctl = ctx;
	const char *id = proto_get(reply, "Id");
	const char *state = proto_get(reply, "UnitFileState");

	if (!id || !state || ctl->args.quiet)
		return;
	if (ctl->args.json) {
		printf("{\"Id\":");
		output_json_string(stdout, id);
		printf(",\"UnitFileState\":");
		output_json_string(stdout, state);
		printf("}\n");
	} else if (strcmp(state, "enabled") == 0) {
		printf("Enabled %s: it starts at boot.\n", id);
	} else {
		printf("Disabled %s: it no longer starts at boot.\n", id);
	}
}

/* mask, unmask: what changed, in systemctl's words. */
static void on_mask_reply(void *ctx, const struct proto_msg *reply, int last)
{
	struct svctl *ctl = ctx;
	const char *id = proto_get(reply, "Id");

	if (!id || ctl->args.quiet)
		return;
	if (ctl->args.json) {
		printf("{\"Id\":");
		output_json_string(stdout, id);
		printf(",\"UnitFileState\":");
		output_json_string(stdout, is_verb(ctl, "mask") ? "masked" :
				   "unmasked");
		printf("}\n");
		return;
	}
	for (size_t i = 0; i < reply->n_fields; i++) {
		const struct proto_field *f = &reply->fields[i];

		if (strcmp(f->key, "Created") == 0)
			printf("Created symlink %s -> /dev/null.\n", f->value);
		else if (strcmp(f->key, "Removed") == 0)
			printf("Removed %s.\n", f->value);
	}
}

static const char *const *kill_fields(const struct svctl *ctl, char *number,
				      size_t size)
{
	static const char *fields[5];

	snprintf(number, size, "%d", ctl->args.signal ? ctl->args.signal : SIGTERM);
	fields[0] = "signal";
	fields[1] = number;
	fields[2] = ctl->args.kill_whom ? "whom" : NULL;
	fields[3] = ctl->args.kill_whom;
	fields[4] = NULL;
	return fields;
}

/* Runs verb for each unit; the worst exit code wins. */
static int run_per_unit(struct svctl *ctl, int fd, const char *wire_verb,
			client_reply_fn *on_reply)
{
	/* Several units' objects in an array; enable and disable print a
	 * line each. */
	bool array = ctl->args.json && ctl->args.n_operands > 1 &&
		     on_reply == on_unit_reply && !ctl->args.quiet;
	int worst = SVCTL_EXIT_OK;
	char number[16];
	const char *const *extra = is_verb(ctl, "kill") ?
				   kill_fields(ctl, number, sizeof(number)) : NULL;

	if (array)
		fputc('[', stdout);
	for (int i = 0; i < ctl->args.n_operands; i++) {
		int r = client_call_with(fd, wire_verb, ctl->args.operands[i],
					 extra, on_reply, ctl);

		if (r == SVCTL_EXIT_UNREACHABLE)
			return r;
		if (r > worst)
			worst = r;
		if (client_refused())
			break;	/* svd closed the connection */
	}
	if (array)
		fputs("]", stdout);
	if (array || (ctl->args.json && !ctl->json_first))
		fputc('\n', stdout);
	return worst;
}

static int run_query(struct svctl *ctl, int fd)
{
	int r;

	/* No such unit is a state to is-active, not an error. */
	client_quiet_errors(strncmp(ctl->args.verb, "is-", 3) == 0);
	r = run_per_unit(ctl, fd, ctl->command->wire, on_unit_reply);
	if (strncmp(ctl->args.verb, "is-", 3) == 0 && r == SVCTL_EXIT_NO_UNIT) {
		if (!ctl->args.quiet)
			printf("%s\n", is_verb(ctl, "is-enabled") ? "not-found" :
			       "inactive");
		/* systemctl's: is-enabled says 4 of a unit it cannot find. */
		return is_verb(ctl, "is-enabled") ? SVCTL_EXIT_NO_UNIT :
		       is_verb(ctl, "is-active") ? SVCTL_EXIT_INACTIVE :
		       SVCTL_EXIT_FAILED;
	}
	if (r != SVCTL_EXIT_OK)
		return r;
	/* As systemctl: is-active is 0 when one of them is active, 3 when
	 * none is; is-failed and is-enabled 0 when one is, else 1. */
	if (is_verb(ctl, "is-active"))
		return ctl->n_matched ? SVCTL_EXIT_OK : SVCTL_EXIT_INACTIVE;
	if (is_verb(ctl, "is-failed") || is_verb(ctl, "is-enabled"))
		return ctl->n_matched ? SVCTL_EXIT_OK : SVCTL_EXIT_FAILED;
	/* status: 3 when one of them is not active. */
	if (is_verb(ctl, "status") && ctl->n_matched)
		return SVCTL_EXIT_INACTIVE;
	return SVCTL_EXIT_OK;
}

static void on_logs_reply(void *ctx, const struct proto_msg *reply, int last)
{
	const char *dropped = proto_get(reply, "LogDroppedLines");
	const char *skipped = proto_get(reply, "LogSkippedLines");

	if (skipped)
		fprintf(stderr, "svctl: %s older lines not sent (more than svd "
			"sends at once; use -n)\n", skipped);
	if (dropped)
		fprintf(stderr, "svctl: %s lines dropped: svctl did not read "
			"fast enough\n", dropped);
	output_log_lines(stdout, reply, "");
	/* A follower reads as lines come: each batch shows at once. */
	fflush(stdout);
}

static int run_logs(struct svctl *ctl, int fd)
{
	const char *extra[5] = { NULL };
	size_t n = 0;
	int r;

	if (ctl->args.lines) {
		extra[n++] = "lines";
		extra[n++] = ctl->args.lines;
	}
	if (ctl->args.follow) {
		extra[n++] = "follow";
		extra[n++] = "1";
	}
	r = client_call_with(fd, "logs", ctl->args.operands[0], extra,
			     on_logs_reply, ctl);
	/* svd re-executed: follow the new one from its next line on (what
	 * came meanwhile is in `svctl logs` and the log file). */
	while (ctl->args.follow && client_reexecuted()) {
		int again = client_reconnect(ctl->args.socket_path);

		if (again < 0)
			return SVCTL_EXIT_UNREACHABLE;
		client_quiet_errors(false);
		r = client_call_with(again, "logs", ctl->args.operands[0],
				     (const char *const[]){ "lines", "0", "follow",
							    "1", NULL },
				     on_logs_reply, ctl);
		close(again);
	}
	return r;
}

/* Until interrupted, across re-execs of svd. */
static int run_monitor(struct svctl *ctl, int fd)
{
	int r = monitor_out_run(fd, ctl->args.json);

	while (client_reexecuted()) {
		int again = client_reconnect(ctl->args.socket_path);

		if (again < 0)
			return SVCTL_EXIT_UNREACHABLE;
		r = monitor_out_run(again, ctl->args.json);
		close(again);
	}
	return r;
}

/* The reply comes just before svd's exec: svctl returns once the new
 * svd answers. */
static int run_reexec(struct svctl *ctl, int fd)
{
	int r = client_call(fd, "daemon-reexec", NULL, NULL, ctl);
	int again;

	if (r != SVCTL_EXIT_OK)
		return r;
	again = client_reconnect(ctl->args.socket_path);
	if (again < 0)
		return SVCTL_EXIT_UNREACHABLE;
	r = client_call(again, "version", NULL, NULL, ctl);
	close(again);
	return r;
}

static void on_tmpfiles_reply(void *ctx, const struct proto_msg *reply, int last)
{
	for (size_t i = 0; i < reply->n_fields; i++) {
		const struct proto_field *f = &reply->fields[i];

		if (strcmp(f->key, "TmpfilesError") == 0)
			fprintf(stderr, "error: %s\n", f->value);
		else if (strcmp(f->key, "TmpfilesWarning") == 0)
			fprintf(stderr, "warning: %s\n", f->value);
	}
}

/* The files as svd's helper will find them: a relative path is made
 * absolute here (svd's working directory is not ours); a bare name is
 * looked up in the tmpfiles.d directories. */
static int run_tmpfiles(struct svctl *ctl, int fd)
{
	int n_files = ctl->args.n_operands;
	size_t n = 0, max = 6 + 2 * (size_t)n_files + 1;
	const char **extra = calloc(max, sizeof(*extra));
	char **owned = calloc((size_t)n_files + 1, sizeof(*owned));
	char cwd[4096];
	int r = SVCTL_EXIT_FAILED;

	if (!extra || !owned || !getcwd(cwd, sizeof(cwd))) {
		perror("svctl: tmpfiles");
		goto out;
	}
	if (ctl->args.create) {
		extra[n++] = "create";
		extra[n++] = "1";
	}
	if (ctl->args.remove) {
		extra[n++] = "remove";
		extra[n++] = "1";
	}
	if (ctl->args.boot) {
		extra[n++] = "boot";
		extra[n++] = "1";
	}
	for (int i = 0; i < n_files; i++) {
		const char *file = ctl->args.operands[i];

		if (strchr(file, '/') && file[0] != '/') {
			if (asprintf(&owned[i], "%s/%s", cwd, file) < 0) {
				perror("svctl: tmpfiles");
				goto out;
			}
			file = owned[i];
		}
		extra[n++] = "file";
		extra[n++] = file;
	}
	r = client_call_with(fd, "tmpfiles", NULL, extra, on_tmpfiles_reply, ctl);
out:
	for (int i = 0; owned && i < n_files; i++)
		free(owned[i]);
	free(owned);
	free(extra);
	return r;
}

static int run_remote(struct svctl *ctl)
{
	int fd = client_connect(ctl->args.socket_path);
	int r;

	if (fd < 0)
		return -fd;
	if (is_verb(ctl, "list") ||
	    (is_verb(ctl, "status") && ctl->args.n_operands == 0))
		r = run_list(ctl, fd);
	else if (is_verb(ctl, "edit"))
		r = edit_run(fd, ctl->args.socket_path, ctl->args.operands[0]);
	else if (is_verb(ctl, "list-dependencies"))
		r = deps_run(stdout, fd, ctl->args.operands[0], ctl->args.all,
			     ctl->color);
	else if (ctl->command->wire && strcmp(ctl->command->wire, "show") == 0)
		r = run_query(ctl, fd);
	else if (is_verb(ctl, "status"))
		r = run_query(ctl, fd);
	else if (is_verb(ctl, "version"))
		r = client_call(fd, "version", NULL, on_version_reply, ctl);
	else if (is_verb(ctl, "is-system-running"))
		r = run_is_system_running(ctl, fd);
	else if (is_verb(ctl, "logs"))
		r = run_logs(ctl, fd);
	else if (is_verb(ctl, "monitor"))
		r = run_monitor(ctl, fd);
	else if (is_verb(ctl, "daemon-reexec"))
		r = run_reexec(ctl, fd);
	else if (is_verb(ctl, "tmpfiles"))
		r = run_tmpfiles(ctl, fd);
	else if (is_verb(ctl, "enable") || is_verb(ctl, "disable"))
		r = run_per_unit(ctl, fd, ctl->command->wire, on_enable_reply);
	else if (is_verb(ctl, "mask") || is_verb(ctl, "unmask"))
		r = run_per_unit(ctl, fd, ctl->command->wire, on_mask_reply);
	else if (ctl->args.n_operands == 0)
		r = client_call(fd, ctl->command->wire, NULL, NULL, ctl);
	else
		r = run_per_unit(ctl, fd, ctl->command->wire, NULL);
	close(fd);
	return r;
}

static int check_tmpfiles(const struct svctl *ctl)
{
	if (!ctl->args.create && !ctl->args.remove) {
		fprintf(stderr, "svctl: tmpfiles needs --create, --remove or both\n");
		return -1;
	}
	if (ctl->args.n_operands > VOCAB_TMPFILES_FILES_MAX) {
		fprintf(stderr, "svctl: tmpfiles takes at most %d files\n",
			VOCAB_TMPFILES_FILES_MAX);
		return -1;
	}
	return 0;
}

static int check_command(struct svctl *ctl)
{
	const char *verb = ctl->args.verb;
	const struct vocab_verb *command = vocab_verb_find(verb);
	int n = ctl->args.n_operands;

	if (!command) {
		fprintf(stderr, "svctl: unknown command: %s\n", verb);
		return -1;
	}
	ctl->command = command;
	if (command->flags & VOCAB_OWN_ARGS)
		return check_tmpfiles(ctl);
	if (strcmp(verb, "logs") == 0 && n != 1) {
		fprintf(stderr, "svctl: logs takes one unit\n");
		return -1;
	}
	if (command->max_args == 0 && n > 0) {
		fprintf(stderr, "svctl: %s takes no unit\n", verb);
		return -1;
	}
	if (n < command->min_args) {
		fprintf(stderr, "svctl: %s needs a unit\n", verb);
		return -1;
	}
	if (command->max_args > 0 && n > command->max_args) {
		fprintf(stderr, "svctl: %s takes at most %d unit%s\n", verb,
			command->max_args, command->max_args == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

static int run_security(const struct svctl *ctl)
{
	static const char *const default_dirs[] = { SECURITY_DEFAULT_UNIT_DIR };
	struct security_cmd cmd = {
		.dirs = default_dirs, .n_dirs = 1,
		.json = ctl->args.json, .color = ctl->color,
		.quiet = ctl->args.quiet,
		.threshold = ctl->args.threshold < 0 ? 100 :
			     (unsigned)ctl->args.threshold,
	};

	if (ctl->args.n_unit_dirs) {
		cmd.dirs = ctl->args.unit_dirs;
		cmd.n_dirs = (size_t)ctl->args.n_unit_dirs;
	}
	return security_cmd_run(&cmd, ctl->args.operands,
				(size_t)ctl->args.n_operands);
}

/* Colours for a terminal only, and never when refused: --no-color, or
 * NO_COLOR set to anything (no-color.org), or TERM=dumb. */
static bool want_color(const struct ctl_args *args)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	return !args->no_color && !(no_color && *no_color) && !args->json &&
	       !(term && strcmp(term, "dumb") == 0) && isatty(STDOUT_FILENO);
}

int main(int argc, char **argv)
{
	struct svctl ctl = { .json_first = true };
	int r;

	if (ctl_args_parse(&ctl.args, argc, argv, vocab_socket_path(), stderr) < 0)
		return SVCTL_EXIT_USAGE;
	if (ctl.args.help || (ctl.args.version && !ctl.args.verb) ||
	    !ctl.args.verb || check_command(&ctl) < 0) {
		r = ctl.args.help || ctl.args.version ? SVCTL_EXIT_OK :
		    SVCTL_EXIT_USAGE;
		if (ctl.args.help)
			usage(stdout);
		else if (ctl.args.version)
			printf("svctl %s\n", SVD_VERSION);
		else if (!ctl.args.verb)
			usage(stderr);
		ctl_args_free(&ctl.args);
		return r;
	}
	ctl.color = want_color(&ctl.args);
	/* svctl's own commands (verify, security): svd is not asked. */
	if (is_verb(&ctl, "security")) {
		r = run_security(&ctl);
	} else if (!ctl.command->wire) {
		r = verify_files((const char *const *)ctl.args.operands,
				 (size_t)ctl.args.n_operands);
	} else {
		if (is_verb(&ctl, "version"))
			printf("svctl %s\n", SVD_VERSION);
		r = run_remote(&ctl);
	}
	ctl_args_free(&ctl.args);
	return r;
}
