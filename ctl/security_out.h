/* security_out: `svctl security`'s output, a scored unit as a table
 * (systemd-analyze security's shape, in ASCII) or as typed JSON. */
#ifndef SVCTL_SECURITY_OUT_H
#define SVCTL_SECURITY_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "security.h"

/* The rows of a sorted report, each marked "ok" (confined), "--" (open,
 * with its share of the exposure) or blank (does not apply), then
 * "-> Overall exposure level for UNIT: 9.6 UNSAFE". color: ANSI colours
 * for a terminal. */
void security_out_table(FILE *out, const char *unit,
			const struct security_report *report, bool color);

/* {"unit":..,"exposure":9.6,"predicate":"UNSAFE","checks":[{"set":..,
 * "name":..,"json_field":..,"description":..,"exposure":0.4|null,
 * "weight":..,"badness":..|null,"range":..},...]} without a newline. */
void security_out_json(FILE *out, const char *unit,
		       const struct security_report *report);

/* One line of the overview of every service (no unit named). */
struct security_out_line {
	char *unit;
	unsigned exposure;	/* 0..100 */
};

/* UNIT, EXPOSURE, PREDICATE columns; as JSON an array of
 * {"unit","exposure","predicate"}. */
void security_out_overview(FILE *out, const struct security_out_line *lines,
			   size_t n, bool json, bool color);

#endif
