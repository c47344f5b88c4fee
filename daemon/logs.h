/* logs: what services print, read by svd through pipes and never lost.
 *
 * Each service whose stdout or stderr goes to svd's log gets one pipe per
 * stream (stderr only when the unit sends it there on its own: inherited,
 * it shares stdout's pipe, execenv.c), made at its first start and kept for its life in svd: every
 * process of the service (main, ExecStartPre=..., what they fork) writes
 * to the same pipes, and svd holds their write ends too, so a restart
 * loses nothing and output written just before an exit is still in the
 * pipe when svd reads it. svd reads them line by line (a line longer than
 * LOGS_LINE_MAX_BYTES is split, never dropped) and hands each line,
 * tagged with its stream, to:
 *   - the service's ring (logring.h): `svctl status` and `svctl logs`;
 *   - svd's console as "ident: text" (svd.conf Console=);
 *   - LOG_DIR/NAME.log with a timestamp, rotated by size (Files=);
 *   - every follower (`svctl logs -f`).
 * Nothing here blocks: the console queues and drops whole lines, a file
 * that cannot be written (ENOSPC) drops lines; both count what they
 * dropped and say so. A service that writes fast is read at most
 * LOGS_READ_MAX_BYTES per wake-up, so the others get their turn. */
#ifndef SVD_LOGS_H
#define SVD_LOGS_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "logring.h"

/* Longest line kept whole; longer output is cut into lines this long. */
#define LOGS_LINE_MAX_BYTES 8192
/* The least important syslog severity echoed on the console (LOG_INFO). */
#define LOG_PRIORITY_CONSOLE_MAX 6
/* Read from one pipe per wake-up before the loop serves others. */
#define LOGS_READ_MAX_BYTES (64 * 1024)

/* The lines of the batch being read, formatted for the file and the
 * console: one service's at a time (a batch is written out before the
 * loop moves on), so every service shares them. */
struct logs_batch {
	uint64_t usec;		/* wall clock when it was read; 0: none */
	char stamp[40];		/* usec as text, for the file */
	char *file_buf;
	size_t file_len, file_cap;
	char *console_buf;
	size_t console_len, console_cap;
};

/* Shared by every service: svd.conf's [Log] and where lines go. */
struct logs_config {
	struct ev_loop *loop;
	struct console *console;	/* svd's stderr */
	bool echo_console;		/* every service's lines go there too */
	const char *dir;		/* per-service files, or NULL */
	size_t max_file_bytes;
	unsigned max_files;		/* the current one included */
	size_t ring_bytes;
	char *read_buf;			/* LOGS_READ_MAX_BYTES + 1, shared */
	struct logs_batch *batch;
};

/* A `svctl logs -f`: gets each line as it comes, then a flush once a
 * batch has been read, and the end when the service goes away. */
struct logs_follower {
	struct logs_follower *next;
	void (*on_line)(void *ctx, const struct logring_line *line);
	void (*on_flush)(void *ctx);
	void (*on_end)(void *ctx);	/* already unlinked; may free itself */
	void *ctx;
};

struct logs_stream {
	struct logs_service *owner;
	enum log_stream stream;
	ev_io io;		/* the read end, non-blocking; watched while a
				   write end is open somewhere */
	/* svd holds only the read end: every fd it holds is copied at each
	 * fork and closed at each exec, for every service. A spawn gets a
	 * write end of its own, opened through /proc/self/fd (a pipe opens
	 * there like a FIFO) and closed once the child has it. Without
	 * /proc, svd keeps one write end as it did before (kept_fd). */
	int lent_fd;		/* the write end of the spawn under way */
	int kept_fd;		/* the write end svd keeps, without /proc */
	char *partial;		/* a line not ended yet */
	size_t partial_len;
};

struct logs_service {
	const struct logs_config *config;
	/* "web.service": the file is LOG_DIR/web.log. Borrowed from the
	 * caller, who keeps it as long as this lives (the service's name). */
	const char *name;
	char *ident;		/* SyslogIdentifier=; NULL: the name's stem */
	struct logs_stream out;
	/* Its own stderr pipe, made the first time a unit sends stderr
	 * elsewhere than stdout: most share out's pipe (their lines keep
	 * their order), and 88 bytes a service add up over a thousand. */
	struct logs_stream *err;
	struct logring ring;
	uint64_t file_bytes;
	unsigned long dropped;	/* lines lost to the file, all time */
	unsigned long dropped_unsaid; /* not yet noted in the log */
	int drop_errno;		/* why the last were dropped */
	int file_fd;		/* -1 until the first line */
	bool console_always;	/* StandardOutput=journal+console */
	struct logs_follower *followers;
};

/* Prepares a service's log: nothing is allocated or opened until it
 * first needs a pipe or gets a line; name is kept, not copied. Returns 0
 * (-1 is kept for a future allocation). */
int logs_service_init(struct logs_service *ls, const struct logs_config *config,
		      const char *name);
/* SyslogIdentifier= (NULL: from the name) and journal+console. */
int logs_service_configure(struct logs_service *ls, const char *ident,
			   bool console_always);
/* A write end of the stream's pipe (the pipe made on first use) for the
 * spawn under way, valid until logs_service_spawned(); -1 with errno
 * (reported by the caller: the process then writes to svd's own fd). */
int logs_service_pipe(struct logs_service *ls, enum log_stream stream);
/* After a re-exec (reexec.h): the stream's pipe read end and the write
 * end svd kept (-1 each when none), and the line it had not ended. -1
 * with errno. */
int logs_service_adopt(struct logs_service *ls, enum log_stream stream,
		       int read_fd, int kept_fd, const char *partial, size_t len);
/* The spawn has its copies (or failed): svd lets its write ends go. */
void logs_service_spawned(struct logs_service *ls);
/* Reads everything the pipes hold now and ends a half-written line: after
 * a process of the service exited, before its exit is logged. */
void logs_service_drain(struct logs_service *ls);
/* svd's own line about the service, into its log (not the console). */
void logs_service_note(struct logs_service *ls, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A message the service sent to svd's syslog socket (devlog.h), with
 * its severity (0..7): cut into lines at its newlines (and every
 * LOGS_LINE_MAX_BYTES), each going where the service's output goes; a
 * debug one not to the console. text needs one writable byte past len. */
void logs_service_syslog(struct logs_service *ls, int priority, char *text,
			 size_t len);
void logs_service_follow(struct logs_service *ls, struct logs_follower *f);
void logs_service_unfollow(struct logs_service *ls, struct logs_follower *f);
/* Writes what is pending and closes its file (reopened by the next
 * line): before the file system it is on is remounted read-only. */
void logs_service_close_file(struct logs_service *ls);
void logs_service_free(struct logs_service *ls);

void logs_batch_free(struct logs_batch *batch);

/* "2026-11-23T10:00:00.123456Z" for a wall-clock time in microseconds. */
void logs_format_time(uint64_t usec, char *buf, size_t size);

#endif
