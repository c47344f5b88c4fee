/* args: svctl's command line, read as systemctl reads its own: options
 * anywhere (before the command, between or after its operands), `--`
 * ending them. No I/O but the error message; unit-tested. */
#ifndef SVCTL_ARGS_H
#define SVCTL_ARGS_H

#include <stdbool.h>
#include <stdio.h>

struct ctl_args {
	const char *socket_path;	/* -s before the command, --socket */
	bool json;			/* --json[=short|pretty] */
	bool no_color;			/* --no-color */
	bool quiet;			/* -q: no output, the exit code says */
	bool all;			/* -a: list also inactive units */
	bool failed;			/* list --failed (--state=failed) */
	bool no_legend;			/* list without header and count */
	bool value;			/* show --value: values only */
	bool help, version;
	const char *state;		/* --state=A,B: ActiveState/SubState */
	const char *properties;		/* -p A,B (repeatable: joined) */
	int signal;			/* kill -s SIG; 0: SIGTERM */
	const char *kill_whom;		/* "main" or "all" (NULL: all) */
	const char *lines;		/* logs -n N */
	bool follow;			/* logs -f */
	bool create, remove, boot;	/* tmpfiles */
	const char **unit_dirs;		/* security: -u DIR, in order given */
	int n_unit_dirs;
	int threshold;			/* security --threshold=N: 0-100; -1 unset */
	const char *verb;
	char **operands;		/* units or files, NULL-terminated */
	int n_operands;
	char *owned_properties;		/* -p given more than once */
};

/* Fills args from argv (argv[0] skipped); default_socket for -s. On a
 * usage error, prints "svctl: ..." to err and returns -1 with nothing
 * left allocated; else the operands array is: ctl_args_free(). */
int ctl_args_parse(struct ctl_args *args, int argc, char **argv,
		   const char *default_socket, FILE *err);
void ctl_args_free(struct ctl_args *args);

/* "TERM", "SIGTERM", "15", "term" to 15; -1 when not a signal. */
int ctl_args_signal(const char *name);

/* Whether name is in the comma-separated list (NULL list: every name). */
bool ctl_args_in_list(const char *list, const char *name);

#endif
