#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "vocab.h"

#define ANSI_GREEN "\033[0;1;32m"
#define ANSI_RED "\033[0;1;31m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

static const char *get(const struct proto_msg *msg, const char *key)
{
	const char *value = proto_get(msg, key);

	return value ? value : "";
}

/* The colour of an ActiveState: green up, red failed, none else. */
static const char *state_color(const char *active_state, bool color)
{
	if (!color)
		return "";
	if (strcmp(active_state, "active") == 0 ||
	    strcmp(active_state, "reloading") == 0)
		return ANSI_GREEN;
	if (strcmp(active_state, "failed") == 0)
		return ANSI_RED;
	return "";
}

static const char *color_end(const char *started)
{
	return *started ? ANSI_RESET : "";
}

static const char *state_dot(const char *active_state)
{
	if (strcmp(active_state, "active") == 0)
		return "\u25cf";	/* ● */
	if (strcmp(active_state, "failed") == 0)
		return "\u00d7";	/* × */
	return "\u25cb";		/* ○ */
}

/* "Mon 2026-11-23 12:00:00 UTC; 5s ago" from a wall-clock usec value. */
/* Text a service chose (STATUS=) goes to a terminal: control bytes
 * (escape sequences) are shown as '?', not acted on. */
static void print_untrusted(FILE *out, const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		fputc(*c < 0x20 || *c == 0x7f ? '?' : *c, out);
}

/* " (the next after 4s)": whole seconds as such, else milliseconds. */
static void print_delay(FILE *out, unsigned long long usec)
{
	if (usec % 1000000 == 0)
		fprintf(out, " (the next after %llus)", usec / 1000000);
	else
		fprintf(out, " (the next after %llums)", usec / 1000);
}

static void print_since(FILE *out, const char *usec_text)
{
	time_t when = (time_t)(strtod(usec_text, NULL) / 1e6);
	long ago = (long)(time(NULL) - when);
	struct tm tm;
	char date[64];

	if (!*usec_text || when <= 0 || !localtime_r(&when, &tm) ||
	    !strftime(date, sizeof(date), "%a %Y-%m-%d %H:%M:%S %Z", &tm))
		return;
	fprintf(out, " since %s; ", date);
	if (ago < 0)
		ago = 0;
	if (ago >= 3600)
		fprintf(out, "%ldh %ldmin ago", ago / 3600, ago % 3600 / 60);
	else if (ago >= 60)
		fprintf(out, "%ldmin %lds ago", ago / 60, ago % 60);
	else
		fprintf(out, "%lds ago", ago);
}

static void print_active(FILE *out, const struct proto_msg *unit, bool color)
{
	const char *active = get(unit, "ActiveState");
	const char *result = get(unit, "Result");
	const char *sub = get(unit, "SubState");
	const char *on = state_color(active, color), *off = color_end(on);

	/* "failed (Result: exit-code)", as systemctl: no "(failed)" twice. */
	if (strcmp(sub, active) == 0)
		fprintf(out, "     Active: %s%s%s", on, active, off);
	else
		fprintf(out, "     Active: %s%s (%s)%s", on, active, sub, off);
	if (strcmp(active, "failed") == 0 && *result)
		fprintf(out, " (Result: %s)", result);
	print_since(out, get(unit, "StateChangeTimestampUSec"));
	fputc('\n', out);
}

static void print_last_exit(FILE *out, const struct proto_msg *unit)
{
	const char *code = proto_get(unit, "ExecMainCode");

	if (!code)
		return;
	if (strcmp(code, "exited") == 0)
		fprintf(out, "  Last exit: exited, status=%s\n",
			get(unit, "ExecMainStatus"));
	else
		fprintf(out, "  Last exit: %s, signal=%s\n", code,
			get(unit, "ExecMainStatus"));
}

/* A socket unit: where it listens, what it starts, its connections. */
static void print_socket(FILE *out, const struct proto_msg *unit)
{
	for (size_t i = 0; i < unit->n_fields; i++)
		if (strcmp(unit->fields[i].key, "Listen") == 0)
			fprintf(out, "     Listen: %s\n", unit->fields[i].value);
	if (proto_get(unit, "Triggers"))
		fprintf(out, "   Triggers: %s\n", get(unit, "Triggers"));
	if (proto_get(unit, "NAccepted"))
		fprintf(out, "   Accepted: %s; Connected: %s; Refused: %s\n",
			get(unit, "NAccepted"), get(unit, "NConnections"),
			get(unit, "NRefused"));
	if (proto_get(unit, "TriggerStalled"))
		fprintf(out, "    Stalled: %s\n", get(unit, "TriggerStalled"));
}

/* Bytes as systemctl shows them: 4.0K, 1.2M, 3.5G. */
static void print_bytes(FILE *out, const char *text)
{
	static const char units[] = "KMGTPE";
	double value = strtod(text, NULL);
	int unit = -1;

	while (value >= 1024 && unit < (int)sizeof(units) - 2) {
		value /= 1024;
		unit++;
	}
	if (unit < 0)
		fprintf(out, "%.0fB", value);
	else
		fprintf(out, "%.1f%c", value, units[unit]);
}

/* What its cgroup holds: Tasks:, Memory:, CPU: and the processes with
 * their command lines, as systemctl's CGroup: section. */
static void print_cgroup(FILE *out, const struct proto_msg *unit)
{
	const char *peak = proto_get(unit, "MemoryPeak");
	const char *max = proto_get(unit, "MemoryMax");
	size_t n = 0, shown = 0;

	if (proto_get(unit, "TasksCurrent"))
		fprintf(out, "      Tasks: %s\n", get(unit, "TasksCurrent"));
	if (proto_get(unit, "MemoryCurrent")) {
		fputs("     Memory: ", out);
		print_bytes(out, get(unit, "MemoryCurrent"));
		if (peak || max) {
			fputs(" (", out);
			if (peak) {
				fputs("peak: ", out);
				print_bytes(out, peak);
			}
			if (max) {
				fputs(peak ? ", max: " : "max: ", out);
				print_bytes(out, max);
			}
			fputc(')', out);
		}
		fputc('\n', out);
	}
	if (proto_get(unit, "CPUUsageNSec")) {
		unsigned long long usec = strtoull(get(unit, "CPUUsageNSec"), NULL, 10) / 1000;

		if (usec < 1000000)
			fprintf(out, "        CPU: %llums\n", usec / 1000);
		else
			fprintf(out, "        CPU: %.3fs\n", (double)usec / 1e6);
	}
	if (proto_get(unit, "CGroupWarning"))
		fprintf(out, "    Warning: %s\n", get(unit, "CGroupWarning"));
	if (!proto_get(unit, "ControlGroup"))
		return;
	fprintf(out, "     CGroup: %s\n", get(unit, "ControlGroup"));
	for (size_t i = 0; i < unit->n_fields; i++)
		n += strcmp(unit->fields[i].key, "CGroupProcess") == 0;
	for (size_t i = 0; i < unit->n_fields; i++) {
		if (strcmp(unit->fields[i].key, "CGroupProcess") != 0)
			continue;
		fputs(++shown == n ? "             `-" :
		      "             |-", out);
		print_untrusted(out, unit->fields[i].value);
		fputc('\n', out);
	}
}

void output_status(FILE *out, const struct proto_msg *unit, bool color)
{
	const char *description = get(unit, "Description");
	const char *load_error = proto_get(unit, "LoadError");
	const char *main_pid = get(unit, "MainPID");
	const char *on = state_color(get(unit, "ActiveState"), color);

	fprintf(out, "%s%s%s %s%s%s\n", on, state_dot(get(unit, "ActiveState")),
		color_end(on), get(unit, "Id"), *description ? " - " : "",
		description);
	fprintf(out, "     Loaded: %s (%s; %s)\n", get(unit, "LoadState"),
		get(unit, "FragmentPath"), get(unit, "UnitFileState"));
	if (strcmp(get(unit, "NeedRestart"), "yes") == 0)
		fprintf(out, "    %sWarning:%s the unit file changed on disk since "
			"this run started; `svctl restart %s` applies it\n",
			color ? ANSI_RED : "", color ? ANSI_RESET : "",
			get(unit, "Id"));
	if (load_error)
		fprintf(out, "      Error: %s\n", load_error);
	print_active(out, unit, color);
	fprintf(out, "      Cause: %s\n", get(unit, "StateCauseText"));
	if (*get(unit, "StatusText")) {
		fputs("     Status: \"", out);
		print_untrusted(out, get(unit, "StatusText"));
		fputs("\"\n", out);
	}
	if (strcmp(main_pid, "0") != 0 && *main_pid)
		fprintf(out, "   Main PID: %s\n", main_pid);
	fprintf(out, "   Restarts: %s", get(unit, "NRestarts"));
	/* With Restart=, how long the next automatic restart waits. */
	if (*get(unit, "Restart") && strcmp(get(unit, "Restart"), "no") != 0 &&
	    *get(unit, "RestartUSecNext"))
		print_delay(out, strtoull(get(unit, "RestartUSecNext"), NULL, 10));
	fputc('\n', out);
	print_last_exit(out, unit);
	for (size_t i = 0; i < unit->n_fields; i++)
		if (strcmp(unit->fields[i].key, "ExecStart") == 0)
			fprintf(out, "    Command: %s\n", unit->fields[i].value);
	print_socket(out, unit);
	print_cgroup(out, unit);
	if (strcmp(get(unit, "LogDroppedLines"), "0") != 0 &&
	    *get(unit, "LogDroppedLines"))
		fprintf(out, "    Dropped: %s log lines (see svd's log)\n",
			get(unit, "LogDroppedLines"));
	if (proto_get(unit, "LogText")) {
		fputc('\n', out);
		output_log_lines(out, unit, "");
	}
}

/* Service output may hold anything: control bytes are shown as '?'
 * (a tab stays), so a line cannot move the cursor of who reads it. */
static void print_log_text(FILE *out, const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		fputc((*c < 0x20 && *c != '\t') || *c == 0x7f ? '?' : *c, out);
}

/* A log line of a reply: LogTime= and LogStream= come before the
 * LogText= they go with. */
struct log_line {
	const char *time, *stream, *text;
};

/* The next log line from field *at on; false past the last. */
static bool next_log_line(const struct proto_msg *msg, size_t *at,
			  struct log_line *line)
{
	for (; *at < msg->n_fields; (*at)++) {
		const struct proto_field *f = &msg->fields[*at];

		if (strcmp(f->key, "LogTime") == 0) {
			line->time = f->value;
		} else if (strcmp(f->key, "LogStream") == 0) {
			line->stream = f->value;
		} else if (strcmp(f->key, "LogText") == 0) {
			line->text = f->value;
			(*at)++;
			return true;
		}
	}
	return false;
}

void output_log_lines(FILE *out, const struct proto_msg *msg, const char *indent)
{
	struct log_line line = { "", "", "" };
	size_t at = 0;

	while (next_log_line(msg, &at, &line)) {
		fprintf(out, "%s%s %s: ", indent, line.time, line.stream);
		print_log_text(out, line.text);
		fputc('\n', out);
	}
}

void output_show(FILE *out, const struct proto_msg *unit, const char *only,
		 bool value_only)
{
	for (size_t i = 0; i < unit->n_fields; i++) {
		const struct proto_field *f = &unit->fields[i];

		if (strcmp(f->key, "status") == 0 ||
		    !ctl_args_in_list(only, f->key))
			continue;
		if (value_only)
			fprintf(out, "%s\n", f->value);
		else
			fprintf(out, "%s=%s\n", f->key, f->value);
	}
}

static int width_of(const char *s)
{
	size_t n = strlen(s);

	return n > 200 ? 200 : (int)n;
}

/* A column as wide as its widest cell (or its heading), so long names
 * do not push the next column out of line. */
static void widen(int *width, const char *cell)
{
	if (width_of(cell) > *width)
		*width = width_of(cell);
}

void output_list(FILE *out, const struct output_row *rows, size_t n,
		 const struct output_list_opts *opts)
{
	int w_unit = 4, w_load = 4, w_active = 6, w_sub = 3;

	for (size_t i = 0; i < n; i++) {
		widen(&w_unit, rows[i].id);
		widen(&w_load, rows[i].load);
		widen(&w_active, rows[i].active);
		widen(&w_sub, rows[i].sub);
	}
	if (opts->legend && n > 0)
		fprintf(out, "%s%-*s %-*s %-*s %-*s %s%s\n",
			opts->color ? ANSI_BOLD : "", w_unit, "UNIT", w_load,
			"LOAD", w_active, "ACTIVE", w_sub, "SUB", "DESCRIPTION",
			opts->color ? ANSI_RESET : "");
	for (size_t i = 0; i < n; i++) {
		const char *on = state_color(rows[i].active, opts->color);
		const char *off = color_end(on);

		/* The state's colour only where something is wrong: a
		 * table of green is no help. */
		if (strcmp(rows[i].active, "failed") != 0)
			on = off = "";
		fprintf(out, "%-*s %-*s %s%-*s %-*s%s %s\n", w_unit, rows[i].id,
			w_load, rows[i].load, on, w_active, rows[i].active,
			w_sub, rows[i].sub, off, rows[i].description);
	}
	if (!opts->legend)
		return;
	if (n > 0)
		fputs("\nLOAD: whether svd read the unit file; ACTIVE: started, "
		      "stopped or failed;\nSUB: the phase of the unit's life.\n",
		      out);
	fprintf(out, "%s%zu unit%s listed.", n > 0 ? "\n" : "", n,
		n == 1 ? "" : "s");
	if (opts->hidden)
		fprintf(out, " %zu other%s not shown (see --all).", opts->hidden,
			opts->hidden == 1 ? "" : "s");
	fputc('\n', out);
}

void output_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static size_t count_key(const struct proto_msg *msg, const char *key)
{
	size_t n = 0;

	for (size_t i = 0; i < msg->n_fields; i++)
		n += strcmp(msg->fields[i].key, key) == 0;
	return n;
}

static bool seen_before(const struct proto_msg *msg, size_t index)
{
	for (size_t i = 0; i < index; i++)
		if (strcmp(msg->fields[i].key, msg->fields[index].key) == 0)
			return true;
	return false;
}

/* Fields of replies that are not unit properties but counts. */
static enum vocab_type reply_type(const char *key)
{
	const struct vocab_prop *prop = vocab_prop_find(key);

	if (prop)
		return prop->type;
	if (strcmp(key, "LogDroppedLines") == 0 ||
	    strcmp(key, "LogSkippedLines") == 0)
		return VOCAB_UINT;
	return VOCAB_STRING;
}

/* A list property is an array even with one element; other keys are
 * when repeated. */
static bool is_list(const struct proto_msg *msg, const char *key)
{
	return reply_type(key) == VOCAB_STRINGS || count_key(msg, key) > 1;
}

static bool is_decimal(const char *s, bool sign)
{
	if (sign && *s == '-')
		s++;
	return *s && strspn(s, "0123456789") == strlen(s) &&
	       strlen(s) <= 20;
}

/* A value as its type reads: a number bare, an empty one null (not
 * known), text as a string. */
void output_json_value(FILE *out, enum vocab_type type, const char *value)
{
	bool number = (type == VOCAB_INT && is_decimal(value, true)) ||
		      ((type == VOCAB_UINT || type == VOCAB_USEC) &&
		       is_decimal(value, false));

	if (number)
		fputs(value, out);
	else if (type == VOCAB_BOOL && (!strcmp(value, "yes") || !strcmp(value, "no")))
		fputs(strcmp(value, "yes") == 0 ? "true" : "false", out);
	else if (!*value && type != VOCAB_STRING && type != VOCAB_STRINGS)
		fputs("null", out);
	else
		output_json_string(out, value);
}

static void print_json_field(FILE *out, const struct proto_msg *msg, size_t index)
{
	const char *key = msg->fields[index].key;
	enum vocab_type type = reply_type(key);
	bool first = true;

	output_json_string(out, key);
	fputc(':', out);
	if (!is_list(msg, key)) {
		output_json_value(out, type, msg->fields[index].value);
		return;
	}
	fputc('[', out);
	for (size_t i = index; i < msg->n_fields; i++) {
		if (strcmp(msg->fields[i].key, key) != 0)
			continue;
		if (!first)
			fputc(',', out);
		output_json_value(out, type, msg->fields[i].value);
		first = false;
	}
	fputc(']', out);
}

static bool is_log_key(const char *key)
{
	return strcmp(key, "LogTime") == 0 || strcmp(key, "LogStream") == 0 ||
	       strcmp(key, "LogText") == 0;
}

/* The LogTime/LogStream/LogText triples as "Log":[{"time":...,
 * "stream":...,"text":...}], one object per line. */
static void print_json_log(FILE *out, const struct proto_msg *msg)
{
	struct log_line line = { "", "", "" };
	bool first = true;
	size_t at = 0;

	fputs("\"Log\":[", out);
	while (next_log_line(msg, &at, &line)) {
		fputs(first ? "{\"time\":" : ",{\"time\":", out);
		output_json_string(out, line.time);
		fputs(",\"stream\":", out);
		output_json_string(out, line.stream);
		fputs(",\"text\":", out);
		output_json_string(out, line.text);
		fputc('}', out);
		first = false;
	}
	fputc(']', out);
}

void output_json_object(FILE *out, const struct proto_msg *msg,
			const char *only)
{
	bool first = true, log = false;

	fputc('{', out);
	for (size_t i = 0; i < msg->n_fields; i++) {
		const char *key = msg->fields[i].key;

		if (strcmp(key, "status") == 0 || seen_before(msg, i) ||
		    !ctl_args_in_list(only, key))
			continue;
		if (is_log_key(key)) {
			log = true;
			continue;
		}
		if (!first)
			fputc(',', out);
		print_json_field(out, msg, i);
		first = false;
	}
	if (log) {
		if (!first)
			fputc(',', out);
		print_json_log(out, msg);
	}
	fputc('}', out);
}
