/* output: how svctl prints replies, for people and as JSON. */
#ifndef SVCTL_OUTPUT_H
#define SVCTL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "proto.h"

/* `svctl status NAME`, in the shape of systemctl's. */
void output_status(FILE *out, const struct proto_msg *unit);
/* The LogTime=/LogStream=/LogText= lines of a message, one per line:
 * "2026-11-23T10:00:00.000000Z stderr: text". */
void output_log_lines(FILE *out, const struct proto_msg *msg, const char *indent);
/* `svctl show NAME`: KEY=VALUE lines. */
void output_show(FILE *out, const struct proto_msg *unit);
/* `svctl list`: a header, then one row per unit. */
void output_list_header(FILE *out);
void output_list_row(FILE *out, const struct proto_msg *unit);

/* A JSON object of the message's fields (repeated keys become arrays). */
void output_json_object(FILE *out, const struct proto_msg *msg);
void output_json_string(FILE *out, const char *s);

#endif
