/* parser: the state of loading one unit (main file and drop-ins) shared by
 * unit.c and the key parse functions. Internal to conf/. */
#ifndef SVD_PARSER_H
#define SVD_PARSER_H

#include <stdbool.h>

#include "envmap.h"
#include "unit.h"

struct unit_parser {
	const struct unit_load_ctx *ctx;
	struct unit *unit;
	struct spec_ctx spec;	/* ctx->spec with this unit's names */
	char *prefix;		/* owns spec.prefix */
	char *instance;		/* owns spec.instance when not "" */
	const char *file;	/* main file or drop-in being read */
	unsigned line;		/* where the current line starts; 0: none */
	const char *key;	/* key of the current assignment */
	unsigned n_errors;	/* errors so far: the unit will not load */
	/* Environment= as it is built, indexed so that each assignment
	 * costs O(1); handed to unit->environment after the last file. */
	struct envmap environment;

	/* For the checks after the last file, as systemd's service_verify(). */
	bool type_set;		/* Type= given: no automatic oneshot */
	bool timeout_start_set;	/* else oneshot waits forever */
	bool has_exec_stop;
	bool has_success_action;
	bool has_bus_name;
	char *exec_start_file;	/* where the last ExecStart= came from */
	unsigned exec_start_line;
};

/* Applies one file (main or drop-in) to p->unit. Returns -1 when the file
 * cannot be read (reported), else 0 (errors in it are counted). */
int parser_parse_file(struct unit_parser *p, const char *path);

/* Reports "FILE:LINE: message" (just "FILE: message" with line 0); an
 * error also counts towards n_errors. */
void parser_diag(struct unit_parser *p, enum unit_diag_level level,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "KEY=VALUE: invalid value; expected <expected>" as an error; -1. */
int parser_invalid(struct unit_parser *p, const char *value,
		   const char *expected);
/* Out of memory while parsing: reported once as an error; -1. */
int parser_nomem(struct unit_parser *p);

#endif
