#include "monitor_out.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "output.h"

static const char *get(const struct proto_msg *msg, const char *key)
{
	const char *value = proto_get(msg, key);

	return value ? value : "";
}

/* "2026-12-06T12:00:00.123456Z", as `svctl logs` stamps its lines. */
static void print_time(FILE *out, const char *usec_text)
{
	unsigned long long usec = strtoull(usec_text, NULL, 10);
	time_t sec = (time_t)(usec / 1000000);
	struct tm tm;
	char date[32];

	if (!gmtime_r(&sec, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm)) {
		fputs("-", out);
		return;
	}
	fprintf(out, "%s.%06lluZ", date, usec % 1000000);
}

/* A cause may quote what a service said: no control bytes reach the
 * terminal. */
static void print_clean(FILE *out, const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		fputc(*c < 0x20 || *c == 0x7f ? '?' : *c, out);
}

void monitor_out_event(FILE *out, const struct proto_msg *event, bool json)
{
	const char *lost = proto_get(event, "EventsDropped");
	const char *code = proto_get(event, "ExecMainCode");

	if (json) {
		output_json_object(out, event, NULL);
		fputc('\n', out);
		return;
	}
	print_time(out, get(event, "StateChangeTimestampUSec"));
	if (lost) {
		fprintf(out, " svd: %s events lost: svctl did not read fast "
			"enough\n", lost);
		return;
	}
	fprintf(out, " %s: %s -> %s (%s/%s): ", get(event, "Id"),
		get(event, "OldState"), get(event, "State"),
		get(event, "ActiveState"), get(event, "SubState"));
	print_clean(out, get(event, "StateCauseText"));
	if (strcmp(get(event, "MainPID"), "0") != 0 && *get(event, "MainPID"))
		fprintf(out, "; pid %s", get(event, "MainPID"));
	if (code)
		fprintf(out, "; %s, %s=%s", code,
			strcmp(code, "exited") == 0 ? "status" : "signal",
			get(event, "ExecMainStatus"));
	fputc('\n', out);
}

struct monitor_ctx {
	bool json;
};

static void on_event(void *ctx, const struct proto_msg *event, int last)
{
	struct monitor_ctx *m = ctx;

	if (last || (!proto_get(event, "Id") && !proto_get(event, "EventsDropped")))
		return;
	monitor_out_event(stdout, event, m->json);
	/* Each event shows as it comes, through a pipe too. */
	fflush(stdout);
}

int monitor_out_run(int fd, bool json)
{
	struct monitor_ctx m = { .json = json };

	return client_call(fd, "monitor", NULL, on_event, &m);
}
