/* output: how svctl prints replies, for people and as JSON. */
#ifndef SVCTL_OUTPUT_H
#define SVCTL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "proto.h"
#include "vocab.h"

/* `svctl status NAME`, in the shape of systemctl's; color: ANSI colours
 * (green active, red failed) for a terminal. */
void output_status(FILE *out, const struct proto_msg *unit, bool color);
/* The LogTime=/LogStream=/LogText= lines of a message, one per line:
 * "2026-11-23T10:00:00.000000Z stderr: text". */
void output_log_lines(FILE *out, const struct proto_msg *msg, const char *indent);
/* `svctl show NAME`: KEY=VALUE lines; only: the keys to print
 * (comma-separated, NULL: all); value_only: VALUE lines (--value). */
void output_show(FILE *out, const struct proto_msg *unit, const char *only,
		 bool value_only);

/* One row of `svctl list`, its cells borrowed from the caller. */
struct output_row {
	char *id, *load, *active, *sub, *description;
};

struct output_list_opts {
	bool legend;		/* the heading, what the columns mean, a count */
	bool color;
	size_t hidden;		/* units filtered out, said in the count */
};

/* `svctl list`: the table, each column as wide as its widest cell. */
void output_list(FILE *out, const struct output_row *rows, size_t n,
		 const struct output_list_opts *opts);

/* A JSON object of the message's fields, typed as proto/vocab.h says
 * (numbers bare, an empty number null, lists and repeated keys arrays,
 * log lines as "Log":[{"time","stream","text"}]); only: the keys to
 * print (comma-separated, NULL: all). */
void output_json_object(FILE *out, const struct proto_msg *msg,
			const char *only);
/* One value of type as JSON. */
void output_json_value(FILE *out, enum vocab_type type, const char *value);
void output_json_string(FILE *out, const char *s);

#endif
