/* state: svd's whole state as plain data, and its text format, for
 * `svctl daemon-reexec` (reexec.h). state_save.c writes an image,
 * state_load.c reads one back and validates every field; neither knows
 * the daemon: reexec.c fills an image from the daemon and applies one.
 *
 * The format (docs/reexec.md has it in full) is text, one record a
 * line: a kind word, then KEY=VALUE fields separated by spaces. Values
 * are percent-escaped (any byte outside '!'..'~', and '%'), so a value
 * holds any byte, NUL included, and a line never breaks. The first line
 * is the magic and the version, "svd-state 1"; the last is "end", so a
 * cut image is refused. A reader refuses a version it does not know, an
 * unknown kind or key, a value out of range: nothing is applied from an
 * image that did not read whole. Times are relative (seconds ago, or
 * seconds left), so that no clock has to survive the exec. */
#ifndef SVD_STATE_H
#define SVD_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATE_MAGIC "svd-state"
/* Bump when a record or a field changes meaning, or one is added: a
 * reader refuses what it does not know rather than guess. */
#define STATE_FORMAT_VERSION 1
/* The oldest version this svd reads. */
#define STATE_FORMAT_VERSION_MIN 1
/* An image larger than this is refused (memfd size, at load). */
#define STATE_MAX_BYTES ((size_t)1 << 30)
/* A log line's text (svd cuts services' lines far shorter). */
#define STATE_LINE_MAX_BYTES (1024 * 1024)
/* Listen*= fds of one socket unit. */
#define STATE_LISTEN_FDS_MAX 256

/* A run of bytes (NUL-terminated too, for text fields). */
struct state_blob {
	char *data;		/* NULL: absent */
	size_t len;
};

/* One line of a service's in-memory log (logring.h). */
struct state_line {
	uint64_t seq, usec;
	int stream;		/* enum log_stream */
	int priority;		/* 0..7 or LOG_PRIORITY_NONE */
	struct state_blob text;
};

/* One service, as struct svc and struct service hold it. Enums are
 * written by their names; fds by number (they stay open across exec). */
struct state_unit {
	struct state_blob name;
	int state, cause, cause_detail;	/* enum svc_state, svc_cause */
	struct state_blob cause_text;
	double since_age;	/* seconds in its state */
	double since_wall;	/* wall clock when it entered it */
	double timer_left;	/* seconds left on the state's timer; -1 none */
	int64_t main_pid, pgid, control_pid;
	uint64_t exec_index, control_index;
	int64_t exec_errno, exec_step, control_exec_errno, last_wstatus;
	bool has_exited;
	int result, end_cause, end_detail; /* policy_result, svc_cause */
	bool restart_forbidden, reload_notified;
	uint64_t n_restarts, restart_streak, n_started;
	double running_age;	/* seconds since it began running; -1 none */
	bool limit_open;	/* start limit window */
	double limit_age;
	uint64_t limit_count;
	struct state_blob status_text;
	int64_t status_errno;
	double watchdog_left;	/* -1: not armed */
	uint64_t watchdog_usec;	/* WATCHDOG_USEC= it set, or 0 */
	bool start_job, stop_job, enabled, adopted;
	struct state_blob cgroup; /* its cgroup directory, or absent */
	/* Log pipes: read ends, and write ends kept where /proc is not. */
	int64_t out_fd, err_fd, out_kept_fd, err_kept_fd;
	struct state_blob out_partial, err_partial;
	uint64_t log_dropped;
	/* Exec status pipes of a spawn not yet heard from; -1 none. */
	int64_t main_status_fd, control_status_fd;
	/* A socket unit's listener. */
	int64_t *listen_fds;
	size_t n_listen_fds;
	uint64_t accepted, refused, triggers;
	double trigger_window_age;
	/* An Accept=yes instance's connection; conn_fd -1 none. */
	int64_t conn_fd;
	struct state_blob conn_from, remote_addr, remote_port;
	struct state_line *lines;
	size_t n_lines;
};

struct state_image {
	unsigned version;
	int64_t control_fd, notify_fd, devlog_fd;
	bool booted;
	uint64_t orphans_reaped;
	/* Container mode: its command's end, and svd's status then. */
	bool main_ended;
	int64_t exit_status;
	struct state_unit *units;
	size_t n_units;
};

void state_image_init(struct state_image *img);
void state_image_free(struct state_image *img);
/* A new unit record at the end (zeroed, fds -1, times -1); NULL on
 * ENOMEM. */
struct state_unit *state_image_add_unit(struct state_image *img);
/* Appends a log line to u (copies text). -1 on ENOMEM. */
int state_unit_add_line(struct state_unit *u, uint64_t seq, uint64_t usec,
			int stream, int priority, const char *text, size_t len);
/* Copies len bytes into b (NULL text: absent). -1 on ENOMEM. */
int state_blob_set(struct state_blob *b, const char *text, size_t len);

/* Writes img in the format to fd, whole. -1 with errno. */
int state_save(const struct state_image *img, int fd);
/* The same into a malloc'd buffer (tests): NULL with errno. */
char *state_save_buffer(const struct state_image *img, size_t *len);

/* Reads the format from buf (len bytes; need not end in NUL) into img,
 * validating each field. Returns 0, or -1 with why filled ("line 3:
 * unit: state=flying: not a state"); img is then empty. */
int state_load(const char *buf, size_t len, struct state_image *img,
	       char *why, size_t size);
/* The first line alone: the version an image says it is, or -1 when
 * it is no state at all. */
int state_peek_version(const char *buf, size_t len);

/* What `svd --state-format` prints: "svd-state 1 1" (magic, oldest and
 * newest version read), parsed back by the old svd before it execs. */
void state_format_line(char *buf, size_t size);
/* Whether a --state-format line says that version is readable. */
bool state_format_accepts(const char *line, unsigned version);

#endif
