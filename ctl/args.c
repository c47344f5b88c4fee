#include "args.h"

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The names kill(1) and systemctl accept, without their SIG prefix. */
static const struct {
	const char *name;
	int number;
} signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

int ctl_args_signal(const char *name)
{
	char *end;
	long number;

	if (!name || !*name)
		return -1;
	if (name[0] >= '0' && name[0] <= '9') {
		number = strtol(name, &end, 10);
		return *end || number < 1 || number > SIGRTMAX ? -1 : (int)number;
	}
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcasecmp(signals[i].name, name) == 0)
			return signals[i].number;
	return -1;
}

bool ctl_args_in_list(const char *list, const char *name)
{
	size_t len = strlen(name);

	if (!list)
		return true;
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");

		if (n == len && strncmp(p, name, len) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

/* -p A -p B is -p A,B. */
static int add_properties(struct ctl_args *a, const char *value)
{
	char *joined;

	if (!a->properties) {
		a->properties = value;
		return 0;
	}
	if (asprintf(&joined, "%s,%s", a->properties, value) < 0)
		return -1;
	free(a->owned_properties);
	a->properties = a->owned_properties = joined;
	return 0;
}

/* An option that takes a value: "--name=V", "--name V", "-xV", "-x V".
 * Returns the value (advancing *i past a separate one), or NULL when
 * arg is not this option; *missing when it is but has none. */
static const char *value_of(int argc, char **argv, int *i, const char *lng,
			    char shrt, bool *missing)
{
	const char *arg = argv[*i];
	size_t len = strlen(lng);

	if (strncmp(arg, lng, len) == 0 && arg[len] == '=')
		return arg + len + 1;
	if (strcmp(arg, lng) != 0 &&
	    !(shrt && arg[0] == '-' && arg[1] == shrt))
		return NULL;
	if (shrt && arg[1] == shrt && arg[2])
		return arg + 2;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

static bool flag(struct ctl_args *a, const char *arg)
{
	static const struct {
		const char *name;
		size_t offset;
	} flags[] = {
		{ "--json", offsetof(struct ctl_args, json) },
		{ "--no-color", offsetof(struct ctl_args, no_color) },
		{ "-q", offsetof(struct ctl_args, quiet) },
		{ "--quiet", offsetof(struct ctl_args, quiet) },
		{ "-a", offsetof(struct ctl_args, all) },
		{ "--all", offsetof(struct ctl_args, all) },
		{ "--failed", offsetof(struct ctl_args, failed) },
		{ "--no-legend", offsetof(struct ctl_args, no_legend) },
		{ "--value", offsetof(struct ctl_args, value) },
		{ "-f", offsetof(struct ctl_args, follow) },
		{ "--follow", offsetof(struct ctl_args, follow) },
		{ "--create", offsetof(struct ctl_args, create) },
		{ "--remove", offsetof(struct ctl_args, remove) },
		{ "--boot", offsetof(struct ctl_args, boot) },
		{ "-h", offsetof(struct ctl_args, help) },
		{ "--help", offsetof(struct ctl_args, help) },
		{ "--version", offsetof(struct ctl_args, version) },
	};

	/* Accepted for systemctl's sake; svctl never pages nor cuts. */
	if (strcmp(arg, "--no-pager") == 0 || strcmp(arg, "-l") == 0 ||
	    strcmp(arg, "--full") == 0 || strcmp(arg, "--no-ask-password") == 0)
		return true;
	if (strcmp(arg, "--json=short") == 0 || strcmp(arg, "--json=pretty") == 0)
		arg = "--json";
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(arg, flags[i].name) == 0) {
			*(bool *)((char *)a + flags[i].offset) = true;
			return true;
		}
	return false;
}

/* --threshold=: an exposure in tenths, as systemd-analyze takes it
 * (96 is 9.6); -1 for anything else. */
static int threshold(const char *v)
{
	char *end;
	long n;

	if (*v < '0' || *v > '9')
		return -1;
	n = strtol(v, &end, 10);
	return *end || n > 100 ? -1 : (int)n;
}

/* One option at argv[*i]: 0, or -1 after saying why. */
static int option(struct ctl_args *a, int argc, char **argv, int *i, FILE *err)
{
	const char *arg = argv[*i], *v;
	bool missing = false;
	/* -s is the socket before the command (svctl's contract), the
	 * signal after kill (systemctl's). */
	bool kill_s = a->verb && strcmp(a->verb, "kill") == 0;

	if (flag(a, arg))
		return 0;
	if ((v = value_of(argc, argv, i, "--socket", kill_s ? 0 : 's', &missing))) {
		a->socket_path = v;
	} else if (!missing &&
		   (v = value_of(argc, argv, i, "--signal", kill_s ? 's' : 0, &missing))) {
		if ((a->signal = ctl_args_signal(v)) < 0) {
			fprintf(err, "svctl: %s: not a signal\n", v);
			return -1;
		}
	} else if (!missing && (v = value_of(argc, argv, i, "--property", 'p', &missing))) {
		if (add_properties(a, v) < 0) {
			fprintf(err, "svctl: out of memory\n");
			return -1;
		}
	} else if (!missing && (v = value_of(argc, argv, i, "--state", 0, &missing))) {
		a->state = v;
	} else if (!missing && (v = value_of(argc, argv, i, "--kill-whom", 0, &missing))) {
		if (strcmp(v, "main") != 0 && strcmp(v, "all") != 0) {
			fprintf(err, "svctl: --kill-whom=%s: expected main or all\n", v);
			return -1;
		}
		a->kill_whom = v;
	} else if (!missing && (v = value_of(argc, argv, i, "--units", 'u', &missing))) {
		a->unit_dirs[a->n_unit_dirs++] = v;
	} else if (!missing && (v = value_of(argc, argv, i, "--threshold", 0, &missing))) {
		if ((a->threshold = threshold(v)) < 0) {
			fprintf(err, "svctl: --threshold=%s: expected a number "
				"from 0 to 100\n", v);
			return -1;
		}
	} else if (!missing && (v = value_of(argc, argv, i, "--lines", 'n', &missing))) {
		if (!*v || strspn(v, "0123456789") != strlen(v)) {
			fprintf(err, "svctl: -n %s: expected a number\n", v);
			return -1;
		}
		a->lines = v;
	} else if (missing) {
		fprintf(err, "svctl: %s needs a value\n", arg);
		return -1;
	} else {
		fprintf(err, "svctl: unknown option %s\n", arg);
		return -1;
	}
	return 0;
}

int ctl_args_parse(struct ctl_args *a, int argc, char **argv,
		   const char *default_socket, FILE *err)
{
	bool options_end = false;

	*a = (struct ctl_args){ .socket_path = default_socket, .threshold = -1 };
	a->operands = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*a->operands));
	a->unit_dirs = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*a->unit_dirs));
	if (!a->operands || !a->unit_dirs) {
		free(a->operands);
		free(a->unit_dirs);
		fprintf(err, "svctl: out of memory\n");
		return -1;
	}
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options_end && strcmp(arg, "--") == 0) {
			options_end = true;
		} else if (!options_end && arg[0] == '-' && arg[1]) {
			if (option(a, argc, argv, &i, err) < 0) {
				ctl_args_free(a);
				return -1;
			}
		} else if (!a->verb) {
			a->verb = arg;
		} else {
			a->operands[a->n_operands++] = argv[i];
		}
	}
	if (a->failed && !a->state)
		a->state = "failed";
	return 0;
}

void ctl_args_free(struct ctl_args *a)
{
	free(a->operands);
	free(a->unit_dirs);
	free(a->owned_properties);
	a->operands = NULL;
	a->unit_dirs = NULL;
	a->owned_properties = NULL;
}
