/* state_fields: the records of the state format, and the image's
 * memory (state.h). */
#include "state_fields.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logring.h"
#include "policy.h"
#include "svc.h"

static const char *state_name(int v)
{
	return v >= 0 && v < SVC_STATE_COUNT ? svc_state_name(v) : NULL;
}

static const char *cause_name(int v)
{
	return v >= 0 && v < SVC_CAUSE_COUNT ? svc_cause_name(v) : NULL;
}

/* policy.h's last result: a result added after it must move this. */
#define RESULT_COUNT (POLICY_RESULT_OOM_KILL + 1)

static const char *result_name(int v)
{
	return v >= 0 && v < RESULT_COUNT ? policy_result_name(v) : NULL;
}

static const char *stream_name(int v)
{
	return v >= LOG_STREAM_STDOUT && v <= LOG_STREAM_SYSLOG ?
	       log_stream_name(v) : NULL;
}

#define D(field) offsetof(struct state_image, field)
#define U(field) offsetof(struct state_unit, field)
#define L(field) offsetof(struct state_line, field)
#define FD_MAX INT32_MAX
#define F(k, t, o) { k, t, o, 0, 0, NULL, false }
#define FQ(k, t, o) { k, t, o, 0, 0, NULL, true }
#define FN(k, t, o, mn, mx) { k, t, o, mn, mx, NULL, false }
#define FE(k, o, mn, mx, fn, req) { k, STATE_F_ENUM, o, mn, mx, fn, req }
#define END { NULL, STATE_F_BLOB, 0, 0, 0, NULL, false }
#define PID_MAX INT32_MAX

const struct state_field state_daemon_fields[] = {
	FN("control_fd", STATE_F_I64, D(control_fd), -1, FD_MAX),
	FN("notify_fd", STATE_F_I64, D(notify_fd), -1, FD_MAX),
	FN("devlog_fd", STATE_F_I64, D(devlog_fd), -1, FD_MAX),
	F("booted", STATE_F_BOOL, D(booted)),
	F("orphans_reaped", STATE_F_U64, D(orphans_reaped)),
	F("main_ended", STATE_F_BOOL, D(main_ended)),
	FN("exit_status", STATE_F_I64, D(exit_status), -1, 255),
	END,
};

const struct state_field state_unit_fields[] = {
	FQ("name", STATE_F_TEXT, U(name)),
	FE("state", U(state), 0, SVC_STATE_COUNT - 1, state_name, true),
	FE("cause", U(cause), 0, SVC_CAUSE_COUNT - 1, cause_name, false),
	FN("cause_detail", STATE_F_INT, U(cause_detail), INT32_MIN, INT32_MAX),
	F("cause_text", STATE_F_TEXT, U(cause_text)),
	FN("since_age", STATE_F_DOUBLE, U(since_age), 0, 0),
	FN("since_wall", STATE_F_DOUBLE, U(since_wall), 0, 0),
	FN("timer_left", STATE_F_DOUBLE, U(timer_left), -1, 0),
	FN("main_pid", STATE_F_I64, U(main_pid), 0, PID_MAX),
	FN("pgid", STATE_F_I64, U(pgid), 0, PID_MAX),
	FN("control_pid", STATE_F_I64, U(control_pid), 0, PID_MAX),
	F("exec_index", STATE_F_U64, U(exec_index)),
	F("control_index", STATE_F_U64, U(control_index)),
	FN("exec_errno", STATE_F_I64, U(exec_errno), 0, 4095),
	FN("exec_step", STATE_F_I64, U(exec_step), -1, 1024),
	FN("control_exec_errno", STATE_F_I64, U(control_exec_errno), 0, 4095),
	FN("last_wstatus", STATE_F_I64, U(last_wstatus), 0, 0xffff),
	F("has_exited", STATE_F_BOOL, U(has_exited)),
	FE("result", U(result), 0, RESULT_COUNT - 1, result_name, false),
	FE("end_cause", U(end_cause), 0, SVC_CAUSE_COUNT - 1, cause_name, false),
	FN("end_detail", STATE_F_INT, U(end_detail), INT32_MIN, INT32_MAX),
	F("restart_forbidden", STATE_F_BOOL, U(restart_forbidden)),
	F("reload_notified", STATE_F_BOOL, U(reload_notified)),
	F("n_restarts", STATE_F_U64, U(n_restarts)),
	F("restart_streak", STATE_F_U64, U(restart_streak)),
	F("n_started", STATE_F_U64, U(n_started)),
	FN("running_age", STATE_F_DOUBLE, U(running_age), -1, 0),
	F("limit_open", STATE_F_BOOL, U(limit_open)),
	FN("limit_age", STATE_F_DOUBLE, U(limit_age), -1, 0),
	F("limit_count", STATE_F_U64, U(limit_count)),
	F("status_text", STATE_F_TEXT, U(status_text)),
	FN("status_errno", STATE_F_I64, U(status_errno), 0, 4095),
	FN("watchdog_left", STATE_F_DOUBLE, U(watchdog_left), -1, 0),
	F("watchdog_usec", STATE_F_U64, U(watchdog_usec)),
	F("start_job", STATE_F_BOOL, U(start_job)),
	F("stop_job", STATE_F_BOOL, U(stop_job)),
	F("enabled", STATE_F_BOOL, U(enabled)),
	F("adopted", STATE_F_BOOL, U(adopted)),
	F("cgroup", STATE_F_TEXT, U(cgroup)),
	FN("out_fd", STATE_F_I64, U(out_fd), -1, FD_MAX),
	FN("err_fd", STATE_F_I64, U(err_fd), -1, FD_MAX),
	FN("out_kept_fd", STATE_F_I64, U(out_kept_fd), -1, FD_MAX),
	FN("err_kept_fd", STATE_F_I64, U(err_kept_fd), -1, FD_MAX),
	F("out_partial", STATE_F_BLOB, U(out_partial)),
	F("err_partial", STATE_F_BLOB, U(err_partial)),
	F("log_dropped", STATE_F_U64, U(log_dropped)),
	FN("main_status_fd", STATE_F_I64, U(main_status_fd), -1, FD_MAX),
	FN("control_status_fd", STATE_F_I64, U(control_status_fd), -1, FD_MAX),
	F("listen_fds", STATE_F_FDS, U(listen_fds)),
	F("accepted", STATE_F_U64, U(accepted)),
	F("refused", STATE_F_U64, U(refused)),
	F("triggers", STATE_F_U64, U(triggers)),
	FN("trigger_window_age", STATE_F_DOUBLE, U(trigger_window_age), -1, 0),
	FN("conn_fd", STATE_F_I64, U(conn_fd), -1, FD_MAX),
	F("conn_from", STATE_F_TEXT, U(conn_from)),
	F("remote_addr", STATE_F_TEXT, U(remote_addr)),
	F("remote_port", STATE_F_TEXT, U(remote_port)),
	END,
};

const struct state_field state_line_fields[] = {
	FQ("seq", STATE_F_U64, L(seq)),
	F("usec", STATE_F_U64, L(usec)),
	{ "stream", STATE_F_ENUM, L(stream), LOG_STREAM_STDOUT, LOG_STREAM_SYSLOG,
	  stream_name, true },
	FN("priority", STATE_F_INT, L(priority), LOG_PRIORITY_NONE, 7),
	FQ("text", STATE_F_BLOB, L(text)),
	END,
};

void state_image_init(struct state_image *img)
{
	*img = (struct state_image){
		.version = STATE_FORMAT_VERSION,
		.control_fd = -1, .notify_fd = -1, .devlog_fd = -1,
		.exit_status = -1,
	};
}

static void blob_free(struct state_blob *b)
{
	free(b->data);
	*b = (struct state_blob){ 0 };
}

static void state_unit_free(struct state_unit *u)
{
	struct state_blob *blobs[] = {
		&u->name, &u->cause_text, &u->status_text, &u->cgroup,
		&u->out_partial, &u->err_partial, &u->conn_from,
		&u->remote_addr, &u->remote_port,
	};

	for (size_t i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++)
		blob_free(blobs[i]);
	for (size_t i = 0; i < u->n_lines; i++)
		blob_free(&u->lines[i].text);
	free(u->lines);
	free(u->listen_fds);
}

void state_image_free(struct state_image *img)
{
	for (size_t i = 0; i < img->n_units; i++)
		state_unit_free(&img->units[i]);
	free(img->units);
	state_image_init(img);
}

struct state_unit *state_image_add_unit(struct state_image *img)
{
	struct state_unit *units, *u;

	/* Doubling: an image of thousands of units costs no quadratic copy. */
	if ((img->n_units & (img->n_units - 1)) == 0) {
		size_t cap = img->n_units ? img->n_units * 2 : 8;

		if (cap < img->n_units || cap > SIZE_MAX / sizeof(*units)) {
			errno = ENOMEM;
			return NULL;
		}
		units = realloc(img->units, cap * sizeof(*units));
		if (!units)
			return NULL;
		img->units = units;
	}
	u = &img->units[img->n_units++];
	*u = (struct state_unit){
		.timer_left = -1, .running_age = -1, .limit_age = -1,
		.watchdog_left = -1, .trigger_window_age = -1,
		.out_fd = -1, .err_fd = -1, .out_kept_fd = -1, .err_kept_fd = -1,
		.main_status_fd = -1, .control_status_fd = -1, .conn_fd = -1,
	};
	return u;
}

int state_blob_set(struct state_blob *b, const char *text, size_t len)
{
	char *copy = NULL;

	if (text) {
		if (len == SIZE_MAX || !(copy = malloc(len + 1)))
			return -1;
		memcpy(copy, text, len);
		copy[len] = '\0';
	}
	free(b->data);
	b->data = copy;
	b->len = text ? len : 0;
	return 0;
}

int state_unit_add_line(struct state_unit *u, uint64_t seq, uint64_t usec,
			int stream, int priority, const char *text, size_t len)
{
	struct state_line *line;

	if ((u->n_lines & (u->n_lines - 1)) == 0) {
		size_t cap = u->n_lines ? u->n_lines * 2 : 4;
		struct state_line *lines;

		if (cap > SIZE_MAX / sizeof(*lines)) {
			errno = ENOMEM;
			return -1;
		}
		lines = realloc(u->lines, cap * sizeof(*lines));
		if (!lines)
			return -1;
		u->lines = lines;
	}
	line = &u->lines[u->n_lines];
	*line = (struct state_line){ .seq = seq, .usec = usec, .stream = stream,
				     .priority = priority };
	if (state_blob_set(&line->text, text ? text : "", len) < 0)
		return -1;
	u->n_lines++;
	return 0;
}
