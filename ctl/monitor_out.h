/* monitor_out: `svctl monitor`, svd's state changes as they happen, one
 * line each: text for people, or a JSON object a line (--json). */
#ifndef SVCTL_MONITOR_OUT_H
#define SVCTL_MONITOR_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "proto.h"

/* One event message of svd's as a line: "TIME UNIT: OLD -> NEW (cause)
 * ...", or "TIME svd: N events lost: svctl did not read fast enough". */
void monitor_out_event(FILE *out, const struct proto_msg *event, bool json);

/* Subscribes on fd and prints events until svd ends the stream or the
 * connection; returns svctl's exit status. */
int monitor_out_run(int fd, bool json);

#endif
