#include "security_out.h"

#include <stdlib.h>
#include <string.h>

#include "output.h"

#define ANSI_GREEN "\033[0;1;32m"
#define ANSI_YELLOW "\033[0;1;33m"
#define ANSI_RED "\033[0;1;31m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

/* systemd's colours: red from UNSAFE up, yellow for EXPOSED, none for
 * MEDIUM, green from OK down. */
static const char *level_color(unsigned exposure, bool color)
{
	if (!color || (exposure >= 50 && exposure < 75))
		return "";
	if (exposure >= 90)
		return ANSI_RED;
	return exposure >= 75 ? ANSI_YELLOW : ANSI_GREEN;
}

static const char *reset(const char *on)
{
	return *on ? ANSI_RESET : "";
}

static const char *mark_text(enum security_mark mark)
{
	return mark == SECURITY_MARK_GOOD ? "ok" :
	       mark == SECURITY_MARK_BAD ? "--" : "  ";
}

static const char *mark_color(enum security_mark mark, bool color)
{
	if (!color || mark == SECURITY_MARK_NA)
		return "";
	return mark == SECURITY_MARK_GOOD ? ANSI_GREEN : ANSI_RED;
}

/* The description with its detail ("...devices: char-rtc:r"). */
static int description_len(const struct security_row *row)
{
	size_t n = strlen(row->description);

	if (row->detail)
		n += strlen(row->detail_before) + strlen(row->detail) +
		     strlen(row->detail_after);
	return (int)n;
}

static void print_description(FILE *out, const struct security_row *row,
			      int width)
{
	fputs(row->description, out);
	if (row->detail)
		fprintf(out, "%s%s%s", row->detail_before, row->detail,
			row->detail_after);
	if (width > description_len(row))
		fprintf(out, "%*s", width - description_len(row), "");
}

void security_out_table(FILE *out, const char *unit,
			const struct security_report *report, bool color)
{
	int w_name = (int)strlen("NAME"), w_desc = (int)strlen("DESCRIPTION");
	const char *on = level_color(report->exposure, color);

	for (size_t i = 0; i < report->n_rows; i++) {
		int n = (int)strlen(report->rows[i].name);
		int d = description_len(&report->rows[i]);

		w_name = n > w_name ? n : w_name;
		w_desc = d > w_desc ? d : w_desc;
	}
	fprintf(out, "%s   %-*s %-*s EXPOSURE%s\n", color ? ANSI_BOLD : "",
		w_name, "NAME", w_desc, "DESCRIPTION", color ? ANSI_RESET : "");
	for (size_t i = 0; i < report->n_rows; i++) {
		const struct security_row *row = &report->rows[i];
		enum security_mark mark = security_row_mark(row);
		const char *m_on = mark_color(mark, color);

		fprintf(out, "%s%s%s %-*s ", m_on, mark_text(mark), reset(m_on),
			w_name, row->name);
		if (!row->exposure) {
			/* No padding after the last text of the line. */
			print_description(out, row, 0);
			fputc('\n', out);
			continue;
		}
		print_description(out, row, w_desc);
		fprintf(out, " %8u.%u\n", row->exposure / 10, row->exposure % 10);
	}
	fprintf(out, "\n-> Overall exposure level for %s: %s%u.%u %s%s\n",
		unit, on, report->exposure / 10, report->exposure % 10,
		security_level_name(report->exposure), reset(on));
}

static void json_tenths(FILE *out, unsigned tenths)
{
	fprintf(out, "%u.%u", tenths / 10, tenths % 10);
}

static void json_description(FILE *out, const struct security_row *row)
{
	char *text;

	if (!row->detail) {
		output_json_string(out, row->description);
		return;
	}
	if (asprintf(&text, "%s%s%s%s", row->description, row->detail_before,
		     row->detail, row->detail_after) < 0) {
		perror("svctl: security");
		exit(1);	/* no JSON cut short */
	}
	output_json_string(out, text);
	free(text);
}

static void json_row(FILE *out, const struct security_row *row)
{
	enum security_mark mark = security_row_mark(row);

	fprintf(out, "{\"set\":%s,\"name\":",
		mark == SECURITY_MARK_NA ? "null" :
		mark == SECURITY_MARK_GOOD ? "true" : "false");
	output_json_string(out, row->name);
	fputs(",\"json_field\":", out);
	output_json_string(out, row->json_field);
	fputs(",\"description\":", out);
	json_description(out, row);
	fputs(",\"exposure\":", out);
	if (mark == SECURITY_MARK_BAD)
		json_tenths(out, row->exposure);
	else
		fputs("null", out);
	fprintf(out, ",\"weight\":%u,\"badness\":", row->weight);
	if (mark == SECURITY_MARK_NA)
		fputs("null", out);
	else
		fprintf(out, "%d", row->badness);
	fprintf(out, ",\"range\":%u}", row->range);
}

void security_out_json(FILE *out, const char *unit,
		       const struct security_report *report)
{
	fputs("{\"unit\":", out);
	output_json_string(out, unit);
	fputs(",\"exposure\":", out);
	json_tenths(out, report->exposure);
	fputs(",\"predicate\":", out);
	output_json_string(out, security_level_name(report->exposure));
	fputs(",\"checks\":[", out);
	for (size_t i = 0; i < report->n_rows; i++) {
		if (i)
			fputc(',', out);
		json_row(out, &report->rows[i]);
	}
	fputs("]}", out);
}

static void overview_json(FILE *out, const struct security_out_line *lines,
			  size_t n)
{
	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"unit\":" : "{\"unit\":", out);
		output_json_string(out, lines[i].unit);
		fputs(",\"exposure\":", out);
		json_tenths(out, lines[i].exposure);
		fputs(",\"predicate\":", out);
		output_json_string(out, security_level_name(lines[i].exposure));
		fputc('}', out);
	}
	fputs("]\n", out);
}

void security_out_overview(FILE *out, const struct security_out_line *lines,
			   size_t n, bool json, bool color)
{
	int w_unit = (int)strlen("UNIT");

	if (json) {
		overview_json(out, lines, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int w = (int)strlen(lines[i].unit);

		w_unit = w > w_unit ? w : w_unit;
	}
	fprintf(out, "%s%-*s EXPOSURE PREDICATE%s\n", color ? ANSI_BOLD : "",
		w_unit, "UNIT", color ? ANSI_RESET : "");
	for (size_t i = 0; i < n; i++) {
		const char *on = level_color(lines[i].exposure, color);

		fprintf(out, "%-*s %6u.%u %s%s%s\n", w_unit, lines[i].unit,
			lines[i].exposure / 10, lines[i].exposure % 10, on,
			security_level_name(lines[i].exposure), reset(on));
	}
}
