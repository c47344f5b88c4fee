/* svctl: control svd over its socket, or check unit files offline. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "config.h"
#include "output.h"
#include "verify.h"
#include "vocab.h"

struct svctl {
	const char *socket_path;
	bool json;
	const char *verb;
	const struct vocab_verb *command;	/* verb's row */
	char **units;
	int n_units;
	bool json_first;	/* no element printed yet in a JSON array */
	bool any_inactive;	/* a unit status found not active */
	const char *log_lines;	/* logs -n N */
	bool follow;		/* logs -f */
	bool system_running;	/* is-system-running said "running" */
	bool create, remove, boot;	/* tmpfiles */
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
	fputs("usage: svctl [-s PATH] [--json] COMMAND [UNIT...]\n"
	      "commands:\n", out);
	for (size_t i = 0; i < vocab_n_verbs; i++)
		if (vocab_verbs[i].synopsis)
			usage_verb(out, &vocab_verbs[i]);
	fprintf(out,
		"options:\n"
		"  -s, --socket PATH     svd's control socket (default $SVD_SOCKET or %s)\n"
		"      --json            JSON output for status, list and show\n"
		"exit status: 0 ok, 1 failed, 2 usage, 3 not active, 4 no such unit,\n"
		"5 svd not reachable\n", VOCAB_DEFAULT_SOCKET_PATH);
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
			 strcmp(state, "deactivating") == 0);
}

static void on_unit_reply(void *ctx, const struct proto_msg *reply, int last)
{
	struct svctl *ctl = ctx;
	bool is_status = strcmp(ctl->verb, "status") == 0;

	if (!proto_get(reply, "Id"))
		return;
	if (!reply_is_active(reply))
		ctl->any_inactive = true;
	if (strcmp(ctl->verb, "is-active") == 0) {
		printf("%s\n", proto_get(reply, "ActiveState"));
	} else if (ctl->json) {
		json_separator(ctl);
		output_json_object(stdout, reply);
	} else if (is_status) {
		if (!ctl->json_first)
			fputc('\n', stdout);
		ctl->json_first = false;
		output_status(stdout, reply);
	} else {
		output_show(stdout, reply);
	}
}

static void on_list_reply(void *ctx, const struct proto_msg *reply, int last)
{
	struct svctl *ctl = ctx;

	if (last)
		return;
	if (ctl->json) {
		json_separator(ctl);
		output_json_object(stdout, reply);
	} else {
		output_list_row(stdout, reply);
	}
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

static int run_list(struct svctl *ctl, int fd)
{
	int r;

	if (ctl->json)
		fputc('[', stdout);
	else
		output_list_header(stdout);
	r = client_call(fd, "list", NULL, on_list_reply, ctl);
	if (ctl->json)
		fputs("]\n", stdout);
	return r;
}

/* Runs verb for each unit; the worst exit code wins. */
static int run_per_unit(struct svctl *ctl, int fd, const char *wire_verb,
			client_reply_fn *on_reply)
{
	bool array = ctl->json && ctl->n_units > 1;
	int worst = SVCTL_EXIT_OK;

	if (array)
		fputc('[', stdout);
	for (int i = 0; i < ctl->n_units; i++) {
		int r = client_call(fd, wire_verb, ctl->units[i], on_reply, ctl);

		if (r == SVCTL_EXIT_UNREACHABLE)
			return r;
		if (r > worst)
			worst = r;
		if (client_refused())
			break;	/* svd closed the connection */
	}
	if (array)
		fputs("]", stdout);
	if (ctl->json)
		fputc('\n', stdout);
	return worst;
}

static int run_query(struct svctl *ctl, int fd)
{
	int r = run_per_unit(ctl, fd, ctl->command->wire, on_unit_reply);

	/* status and is-active say "not active" with 3, as systemctl does. */
	if (r == SVCTL_EXIT_OK && ctl->any_inactive &&
	    strcmp(ctl->verb, "show") != 0)
		return SVCTL_EXIT_INACTIVE;
	return r;
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

	if (ctl->log_lines) {
		extra[n++] = "lines";
		extra[n++] = ctl->log_lines;
	}
	if (ctl->follow) {
		extra[n++] = "follow";
		extra[n++] = "1";
	}
	return client_call_with(fd, "logs", ctl->units[0], extra, on_logs_reply,
				ctl);
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
	size_t n = 0, max = 6 + 2 * (size_t)ctl->n_units + 1;
	const char **extra = calloc(max, sizeof(*extra));
	char **owned = calloc((size_t)ctl->n_units + 1, sizeof(*owned));
	char cwd[4096];
	int r = SVCTL_EXIT_FAILED;

	if (!extra || !owned || !getcwd(cwd, sizeof(cwd))) {
		perror("svctl: tmpfiles");
		goto out;
	}
	if (ctl->create) {
		extra[n++] = "create";
		extra[n++] = "1";
	}
	if (ctl->remove) {
		extra[n++] = "remove";
		extra[n++] = "1";
	}
	if (ctl->boot) {
		extra[n++] = "boot";
		extra[n++] = "1";
	}
	for (int i = 0; i < ctl->n_units; i++) {
		const char *file = ctl->units[i];

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
	for (int i = 0; owned && i < ctl->n_units; i++)
		free(owned[i]);
	free(owned);
	free(extra);
	return r;
}

static int run_remote(struct svctl *ctl)
{
	int fd = client_connect(ctl->socket_path);
	int r;

	if (fd < 0)
		return SVCTL_EXIT_UNREACHABLE;
	if (strcmp(ctl->verb, "list") == 0 ||
	    (strcmp(ctl->verb, "status") == 0 && ctl->n_units == 0))
		r = run_list(ctl, fd);
	else if (strcmp(ctl->verb, "status") == 0 ||
		 strcmp(ctl->verb, "show") == 0 ||
		 strcmp(ctl->verb, "is-active") == 0)
		r = run_query(ctl, fd);
	else if (strcmp(ctl->verb, "version") == 0)
		r = client_call(fd, "version", NULL, on_version_reply, ctl);
	else if (strcmp(ctl->verb, "is-system-running") == 0)
		r = run_is_system_running(ctl, fd);
	else if (strcmp(ctl->verb, "logs") == 0)
		r = run_logs(ctl, fd);
	else if (strcmp(ctl->verb, "tmpfiles") == 0)
		r = run_tmpfiles(ctl, fd);
	else if (ctl->n_units == 0)
		r = client_call(fd, ctl->command->wire, NULL, NULL, ctl);
	else
		r = run_per_unit(ctl, fd, ctl->command->wire, NULL);
	close(fd);
	return r;
}

static int check_command(struct svctl *ctl)
{
	const struct vocab_verb *command = vocab_verb_find(ctl->verb);

	if (!command) {
		fprintf(stderr, "svctl: unknown command: %s\n", ctl->verb);
		return -1;
	}
	if (command->max_args == 0 && ctl->n_units > 0) {
		fprintf(stderr, "svctl: %s takes no unit\n", ctl->verb);
		return -1;
	}
	if (ctl->n_units < command->min_args) {
		fprintf(stderr, "svctl: %s needs a unit\n", ctl->verb);
		return -1;
	}
	if (command->max_args > 0 && ctl->n_units > command->max_args) {
		fprintf(stderr, "svctl: %s takes at most %d unit%s\n", ctl->verb,
			command->max_args, command->max_args == 1 ? "" : "s");
		return -1;
	}
	ctl->command = command;
	return 0;
}

/* logs UNIT [-n N] [-f], options before or after the unit. */
static int parse_logs_options(struct svctl *ctl)
{
	int n_units = 0;

	for (int i = 0; i < ctl->n_units; i++) {
		const char *arg = ctl->units[i];

		if (strcmp(arg, "-f") == 0 || strcmp(arg, "--follow") == 0) {
			ctl->follow = true;
		} else if (strcmp(arg, "-n") == 0 || strcmp(arg, "--lines") == 0) {
			if (++i == ctl->n_units) {
				fprintf(stderr, "svctl: %s needs a number\n", arg);
				return -1;
			}
			ctl->log_lines = ctl->units[i];
		} else if (strncmp(arg, "-n", 2) == 0 && arg[2]) {
			ctl->log_lines = arg + 2;
		} else if (strncmp(arg, "--lines=", 8) == 0) {
			ctl->log_lines = arg + 8;
		} else if (arg[0] == '-') {
			fprintf(stderr, "svctl: logs: unknown option %s\n", arg);
			return -1;
		} else {
			ctl->units[n_units++] = ctl->units[i];
		}
	}
	if (ctl->log_lines && strspn(ctl->log_lines, "0123456789") !=
	    strlen(ctl->log_lines)) {
		fprintf(stderr, "svctl: logs: -n %s: expected a number\n",
			ctl->log_lines);
		return -1;
	}
	if (n_units != 1) {
		fprintf(stderr, "svctl: logs takes one unit\n");
		return -1;
	}
	ctl->n_units = 1;
	return 0;
}

/* tmpfiles --create [--remove] [--boot] [FILE...]: at least one of
 * --create and --remove, as systemd-tmpfiles. */
static int parse_tmpfiles_options(struct svctl *ctl)
{
	int n_files = 0;
	bool files_only = false;

	for (int i = 0; i < ctl->n_units; i++) {
		const char *arg = ctl->units[i];

		if (!files_only && strcmp(arg, "--create") == 0) {
			ctl->create = true;
		} else if (!files_only && strcmp(arg, "--remove") == 0) {
			ctl->remove = true;
		} else if (!files_only && strcmp(arg, "--boot") == 0) {
			ctl->boot = true;
		} else if (!files_only && strcmp(arg, "--") == 0) {
			files_only = true;
		} else if (!files_only && arg[0] == '-') {
			fprintf(stderr, "svctl: tmpfiles: unknown option %s\n", arg);
			return -1;
		} else {
			ctl->units[n_files++] = ctl->units[i];
		}
	}
	if (!ctl->create && !ctl->remove) {
		fprintf(stderr, "svctl: tmpfiles needs --create, --remove or both\n");
		return -1;
	}
	if (n_files > VOCAB_TMPFILES_FILES_MAX) {
		fprintf(stderr, "svctl: tmpfiles takes at most %d files\n",
			VOCAB_TMPFILES_FILES_MAX);
		return -1;
	}
	ctl->n_units = n_files;
	return 0;
}

static int parse_options(int argc, char **argv, struct svctl *ctl)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': ctl->socket_path = optarg; break;
		case 'j': ctl->json = true; break;
		case 'h': usage(stdout); exit(SVCTL_EXIT_OK);
		case 'V': printf("svctl %s\n", SVD_VERSION); exit(SVCTL_EXIT_OK);
		default: usage(stderr); return -1;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return -1;
	}
	ctl->verb = argv[optind];
	ctl->units = argv + optind + 1;
	ctl->n_units = argc - optind - 1;
	if (strcmp(ctl->verb, "logs") == 0 && parse_logs_options(ctl) < 0)
		return -1;
	if (strcmp(ctl->verb, "tmpfiles") == 0) {
		if (ctl->n_units == 0) {
			fprintf(stderr, "svctl: tmpfiles needs --create, --remove or both\n");
			return -1;
		}
		if (parse_tmpfiles_options(ctl) < 0)
			return -1;
		ctl->command = vocab_verb_find("tmpfiles");
		return 0;
	}
	return check_command(ctl);
}

int main(int argc, char **argv)
{
	struct svctl ctl = {
		.socket_path = vocab_socket_path(),
		.json_first = true,
	};

	if (parse_options(argc, argv, &ctl) < 0)
		return SVCTL_EXIT_USAGE;
	/* svctl's own command (verify): svd is not asked. */
	if (!ctl.command->wire)
		return verify_files((const char *const *)ctl.units, (size_t)ctl.n_units);
	if (strcmp(ctl.verb, "version") == 0)
		printf("svctl %s\n", SVD_VERSION);
	return run_remote(&ctl);
}
