#include "logs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "unit.h"

/* A batch of file lines is written once it reaches this size. */
#define LOGS_FILE_BATCH_BYTES (64 * 1024)
/* Reads at most this much when draining after an exit: a grandchild that
 * keeps writing must not hold the loop. */
#define LOGS_DRAIN_MAX_BYTES (1024 * 1024)

static void stream_io_cb(struct ev_loop *loop, ev_io *w, int revents);
static size_t read_once(struct logs_stream *st);
static void partial_emit(struct logs_stream *st);
static bool partial_append(struct logs_stream *st, const char *data, size_t len);

void logs_format_time(uint64_t usec, char *buf, size_t size)
{
	time_t sec = (time_t)(usec / 1000000);
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (unsigned)(usec % 1000000));
}

static uint64_t wall_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void stream_init(struct logs_service *ls, struct logs_stream *st,
			enum log_stream stream)
{
	*st = (struct logs_stream){ .owner = ls, .stream = stream,
				    .lent_fd = -1, .kept_fd = -1 };
	ev_io_init(&st->io, stream_io_cb, -1, EV_READ);
	st->io.data = st;
}

int logs_service_init(struct logs_service *ls, const struct logs_config *config,
		      const char *name)
{
	*ls = (struct logs_service){ .config = config, .file_fd = -1 };
	stream_init(ls, &ls->out, LOG_STREAM_STDOUT);
	logring_init(&ls->ring, config->ring_bytes);
	ls->name = name;
	return 0;
}

int logs_service_configure(struct logs_service *ls, const char *ident,
			   bool console_always)
{
	char *copy = NULL;

	if (ident && !(copy = strdup(ident)))
		return -1;
	free(ls->ident);
	ls->ident = copy;
	ls->console_always = console_always;
	return 0;
}

/* A new write end of the pipe whose read end svd holds: an open file
 * description of its own, so no O_NONBLOCK a process set on its copy
 * reaches the next. */
static int reopen_write_end(int read_fd)
{
	char path[40];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", read_fd);
	return open(path, O_WRONLY | O_CLOEXEC);
}

static void watch(struct logs_service *ls, struct logs_stream *st)
{
	if (!ev_is_active(&st->io))
		ev_io_start(ls->config->loop, &st->io);
}

/* The stream, its stderr made on first use; NULL with errno (ENOMEM). */
static struct logs_stream *stream_of(struct logs_service *ls,
				     enum log_stream stream)
{
	if (stream != LOG_STREAM_STDERR)
		return &ls->out;
	if (!ls->err) {
		if (!(ls->err = malloc(sizeof(*ls->err))))
			return NULL;
		stream_init(ls, ls->err, LOG_STREAM_STDERR);
	}
	return ls->err;
}

int logs_service_pipe(struct logs_service *ls, enum log_stream stream)
{
	struct logs_stream *st = stream_of(ls, stream);
	int fds[2];

	if (!st)
		return -1;
	if (st->lent_fd >= 0)
		return st->lent_fd;
	if (st->kept_fd >= 0) {
		/* One process of the service may have made its stdout
		 * non-blocking (node does): the next gets it as a pipe is. */
		int flags = fcntl(st->kept_fd, F_GETFL);

		if (flags >= 0 && (flags & O_NONBLOCK))
			fcntl(st->kept_fd, F_SETFL, flags & ~O_NONBLOCK);
		return st->kept_fd;
	}
	if (st->io.fd >= 0) {
		st->lent_fd = reopen_write_end(st->io.fd);
		if (st->lent_fd >= 0) {
			watch(ls, st);
			return st->lent_fd;
		}
		/* No /proc: a pipe of which svd keeps both ends, as the
		 * old one's readers still drain it until it ends. */
		log_errno(LOG_LEVEL_DEBUG, ls->name, errno, "reopening its %s "
			  "pipe; keeping a write end", log_stream_name(st->stream));
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	/* Only svd's end is non-blocking: a service writing faster than svd
	 * reads waits in write(), which is how a pipe says "slow down". */
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
		int err = errno;

		close(fds[0]);
		close(fds[1]);
		errno = err;
		return -1;
	}
	if (st->io.fd >= 0) {
		size_t total = 0, n;

		/* The old pipe's last lines first (bounded, as a drain): it
		 * is closed for good. */
		while (total < LOGS_DRAIN_MAX_BYTES && (n = read_once(st)))
			total += n;
		partial_emit(st);
		if (ev_is_active(&st->io))
			ev_io_stop(ls->config->loop, &st->io);
		close(st->io.fd);
		st->kept_fd = fds[1];
	} else {
		st->lent_fd = fds[1];
	}
	ev_io_set(&st->io, fds[0], EV_READ);
	ev_io_start(ls->config->loop, &st->io);
	return fds[1];
}

int logs_service_adopt(struct logs_service *ls, enum log_stream stream,
		       int read_fd, int kept_fd, const char *partial, size_t len)
{
	struct logs_stream *st;

	if (len > LOGS_LINE_MAX_BYTES) {
		errno = EINVAL;
		return -1;
	}
	/* A stderr that shared stdout's pipe had no stream of its own. */
	if (stream == LOG_STREAM_STDERR && !ls->err && read_fd < 0 &&
	    kept_fd < 0 && !len)
		return 0;
	if (!(st = stream_of(ls, stream)))
		return -1;
	if (len && !partial_append(st, partial, len))
		return -1;
	/* Only a re-exec let them through: close-on-exec again. */
	if ((read_fd >= 0 && fcntl(read_fd, F_SETFD, FD_CLOEXEC) < 0) ||
	    (kept_fd >= 0 && fcntl(kept_fd, F_SETFD, FD_CLOEXEC) < 0))
		return -1;
	st->kept_fd = kept_fd;
	if (read_fd >= 0) {
		ev_io_set(&st->io, read_fd, EV_READ);
		/* What came while no svd read it is read at the first turn. */
		ev_io_start(ls->config->loop, &st->io);
	}
	return 0;
}

void logs_service_spawned(struct logs_service *ls)
{
	struct logs_stream *streams[] = { &ls->out, ls->err };

	for (size_t i = 0; i < 2 && streams[i]; i++)
		if (streams[i]->lent_fd >= 0) {
			close(streams[i]->lent_fd);
			streams[i]->lent_fd = -1;
		}
}


/* Grows *buf to hold len more bytes. */
static bool reserve(char **buf, size_t *cap, size_t used, size_t len)
{
	size_t want = *cap ? *cap : 4096;
	char *grown;

	if (used + len <= *cap)
		return true;
	while (want < used + len)
		want *= 2;
	if (!(grown = realloc(*buf, want)))
		return false;
	*buf = grown;
	*cap = want;
	return true;
}

static char *file_path(const struct logs_service *ls, const char *suffix)
{
	char *path;

	if (asprintf(&path, "%s/%.*s.log%s", ls->config->dir,
		     (int)unit_name_stem_len(ls->name), ls->name, suffix) < 0)
		return NULL;
	return path;
}

/* NAME.log.(K-2) -> NAME.log.(K-1), ..., NAME.log -> NAME.log.1: keeps
 * max_files files, the current one included. */
static void rotate(struct logs_service *ls)
{
	unsigned keep = ls->config->max_files;

	if (ls->file_fd >= 0)
		close(ls->file_fd);
	ls->file_fd = -1;
	ls->file_bytes = 0;
	for (unsigned i = keep - 1; i > 0 || keep == 1; i--) {
		char from_suffix[16], to_suffix[16], *from, *to = NULL;

		from_suffix[0] = '\0';
		if (i > 1)
			snprintf(from_suffix, sizeof(from_suffix), ".%u", i - 1);
		snprintf(to_suffix, sizeof(to_suffix), ".%u", i);
		from = file_path(ls, from_suffix);
		if (from && keep == 1) {
			if (unlink(from) < 0 && errno != ENOENT)
				log_errno(LOG_LEVEL_WARNING, ls->name, errno,
					  "rotating: unlink %s", from);
		} else if (from && (to = file_path(ls, to_suffix)) &&
			   rename(from, to) < 0 && errno != ENOENT) {
			log_errno(LOG_LEVEL_WARNING, ls->name, errno,
				  "rotating: rename %s to %s", from, to);
		}
		free(from);
		free(to);
		if (keep == 1)
			break;
	}
}

static int open_file(struct logs_service *ls)
{
	char *path = file_path(ls, "");
	struct stat st;

	if (!path)
		return -1;
	/* Non-blocking and no link followed while opening: a FIFO put
	 * there would hang svd in open(); only a regular file is taken. */
	ls->file_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
			   O_NOCTTY | O_NOFOLLOW | O_NONBLOCK, 0640);
	if (ls->file_fd >= 0 && (fstat(ls->file_fd, &st) < 0 ||
				 !S_ISREG(st.st_mode) ||
				 fcntl(ls->file_fd, F_SETFL, O_APPEND) < 0)) {
		close(ls->file_fd);
		ls->file_fd = -1;
		errno = EINVAL;	/* "not a regular file" */
	}
	if (ls->file_fd >= 0)
		ls->file_bytes = (uint64_t)st.st_size;
	if (ls->file_fd < 0 && !ls->dropped_unsaid)
		log_errno(LOG_LEVEL_WARNING, ls->name, errno, "opening %s; its "
			  "lines are dropped until it can be", path);
	free(path);
	return ls->file_fd < 0 ? -1 : 0;
}

/* Returns the bytes written: all of them, or fewer with errno set. */
static size_t write_all(int fd, const char *data, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			break;
		}
		done += (size_t)n;
	}
	return done;
}

/* After a short write (a full disk), only whole lines stay in the file:
 * it is cut back after the last complete one. Returns the bytes kept. */
static size_t keep_whole_lines(struct logs_service *ls, const char *buf,
			       size_t written)
{
	size_t kept = written;

	struct stat st;

	while (kept > 0 && buf[kept - 1] != '\n')
		kept--;
	/* From the file's own size: someone may have truncated it. */
	if (kept < written && (fstat(ls->file_fd, &st) < 0 ||
			       ftruncate(ls->file_fd, st.st_size -
					 (off_t)(written - kept)) < 0))
		log_errno(LOG_LEVEL_WARNING, ls->name, errno, "cutting a half "
			  "written line from its log file");
	return kept;
}

/* Once the file takes lines again, it says how many it missed, where
 * they are missing: before the batch, written at once, never through the
 * batch buffer. Returns false (errno set) while the file still refuses. */
static bool note_file_drops(struct logs_service *ls)
{
	unsigned long lines = ls->dropped_unsaid;
	char why[128], *text = NULL, *line = NULL;
	int text_len, line_len;
	size_t done;
	bool written;

	log_errno_text(ls->drop_errno, why, sizeof(why));
	text_len = asprintf(&text, "%lu lines could not be written to this "
			    "file: %s", lines, why);
	if (text_len < 0)
		return true;	/* out of memory: the count stays in status */
	line_len = asprintf(&line, "%s %s: %s\n", ls->config->batch->stamp,
			    log_stream_name(LOG_STREAM_SVD), text);
	done = line_len > 0 ? write_all(ls->file_fd, line, (size_t)line_len) : 0;
	written = line_len > 0 && done == (size_t)line_len;
	if (written) {
		ls->file_bytes += (uint64_t)line_len;
		ls->dropped_unsaid = 0;
		log_warning(ls->name, "%lu log lines could not be written to "
			    "its file: %s", lines, why);
		logring_push(&ls->ring, ls->config->batch->usec, LOG_STREAM_SVD,
			     text, (size_t)text_len);
	} else if (line_len > 0) {
		keep_whole_lines(ls, line, done);	/* no half note stays */
	}
	free(text);
	free(line);
	return written || line_len <= 0;
}

static void flush_file(struct logs_service *ls)
{
	const char *buf = ls->config->batch->file_buf;
	size_t len = ls->config->batch->file_len, written = 0, kept;
	int err;

	ls->config->batch->file_len = 0;
	if (len == 0)
		return;
	if ((ls->file_fd >= 0 || open_file(ls) == 0) &&
	    (!ls->dropped_unsaid || note_file_drops(ls)))
		written = write_all(ls->file_fd, buf, len);
	if (written == len) {
		ls->file_bytes += len;
		return;
	}
	err = errno;
	kept = ls->file_fd >= 0 ? keep_whole_lines(ls, buf, written) : 0;
	ls->file_bytes += kept;
	if (!ls->dropped_unsaid && ls->file_fd >= 0)
		log_errno(LOG_LEVEL_WARNING, ls->name, err, "writing its log "
			  "file; lines are dropped until it works again");
	ls->drop_errno = err;
	ls->dropped += console_count_lines(buf + kept, len - kept);
	ls->dropped_unsaid += console_count_lines(buf + kept, len - kept);
}

static void to_file(struct logs_service *ls, enum log_stream stream,
		    int priority, const char *text, size_t len)
{
	size_t stamp_len = strlen(ls->config->batch->stamp);
	const char *name = log_line_label(stream, priority);
	size_t need = stamp_len + strlen(name) + len + 4;

	if (ls->config->batch->file_len && ls->config->batch->file_len + need > LOGS_FILE_BATCH_BYTES)
		flush_file(ls);
	if (ls->file_bytes + ls->config->batch->file_len + need > ls->config->max_file_bytes &&
	    ls->file_bytes + ls->config->batch->file_len > 0) {
		flush_file(ls);
		rotate(ls);
	}
	if (!reserve(&ls->config->batch->file_buf, &ls->config->batch->file_cap, ls->config->batch->file_len, need)) {
		ls->dropped++;
		ls->dropped_unsaid++;
		ls->drop_errno = ENOMEM;
		return;
	}
	ls->config->batch->file_len += (size_t)sprintf(ls->config->batch->file_buf + ls->config->batch->file_len,
					    "%s %s: ", ls->config->batch->stamp, name);
	memcpy(ls->config->batch->file_buf + ls->config->batch->file_len, text, len);
	ls->config->batch->file_len += len;
	ls->config->batch->file_buf[ls->config->batch->file_len++] = '\n';
}

static void to_console(struct logs_service *ls, const char *text, size_t len)
{
	const char *ident = ls->ident ? ls->ident : ls->name;
	size_t ident_len = ls->ident ? strlen(ls->ident) : unit_name_stem_len(ls->name);
	size_t need = ident_len + len + 3;

	if (!reserve(&ls->config->batch->console_buf, &ls->config->batch->console_cap,
		     ls->config->batch->console_len, need))
		return;
	memcpy(ls->config->batch->console_buf + ls->config->batch->console_len, ident, ident_len);
	ls->config->batch->console_len += ident_len;
	memcpy(ls->config->batch->console_buf + ls->config->batch->console_len, ": ", 2);
	ls->config->batch->console_len += 2;
	memcpy(ls->config->batch->console_buf + ls->config->batch->console_len, text, len);
	ls->config->batch->console_len += len;
	ls->config->batch->console_buf[ls->config->batch->console_len++] = '\n';
}

static void begin_batch(struct logs_service *ls)
{
	if (ls->config->batch->usec)
		return;
	ls->config->batch->usec = wall_usec();
	logs_format_time(ls->config->batch->usec, ls->config->batch->stamp, sizeof(ls->config->batch->stamp));
}

/* A syslog line at debug stays off the console, as journald's
 * MaxLevelConsole=info keeps it; the ring and the file have it. */
static bool for_console(const struct logs_service *ls, enum log_stream stream,
			int priority)
{
	if (stream == LOG_STREAM_SVD || priority > LOG_PRIORITY_CONSOLE_MAX)
		return false;
	return ls->console_always || ls->config->echo_console;
}

/* One line, without its newline, to every place it goes. */
static void emit(struct logs_service *ls, enum log_stream stream,
		 int priority, char *text, size_t len)
{
	struct logring_line line;
	char *nul, saved = text[len];

	/* The protocol and the ring carry text: a NUL byte is shown as '?'.
	 * Every buffer a line comes from has a byte of room past it, so
	 * followers get it NUL-terminated for the time of the call. */
	while ((nul = memchr(text, '\0', len)))
		*nul = '?';
	text[len] = '\0';
	begin_batch(ls);
	if (logring_push_priority(&ls->ring, ls->config->batch->usec, stream,
				  priority, text, len) < 0 && errno == ENOMEM)
		log_debug(ls->name, "log line not kept in memory: out of memory");
	if (ls->config->dir)
		to_file(ls, stream, priority, text, len);
	if (for_console(ls, stream, priority))
		to_console(ls, text, len);
	line = (struct logring_line){ .seq = logring_last_seq(&ls->ring),
				      .realtime_usec = ls->config->batch->usec,
				      .stream = stream, .priority = priority,
				      .text = text, .len = len };
	for (struct logs_follower *f = ls->followers; f; f = f->next)
		f->on_line(f->ctx, &line);
	text[len] = saved;
}

static void end_batch(struct logs_service *ls)
{
	struct console *console = ls->config->console;

	flush_file(ls);
	if (ls->config->batch->console_len && console)
		console_write(console, ls->config->batch->console_buf, ls->config->batch->console_len);
	ls->config->batch->console_len = 0;
	for (struct logs_follower *f = ls->followers; f; f = f->next)
		f->on_flush(f->ctx);
	ls->config->batch->usec = 0;
}

/* Appends to the half line; false when out of memory (the bytes are then
 * emitted as a line of their own rather than lost). */
static bool partial_append(struct logs_stream *st, const char *data, size_t len)
{
	if (!st->partial && !(st->partial = malloc(LOGS_LINE_MAX_BYTES + 1)))
		return false;
	memcpy(st->partial + st->partial_len, data, len);
	st->partial_len += len;
	return true;
}

static void partial_emit(struct logs_stream *st)
{
	if (!st->partial_len)
		return;
	emit(st->owner, st->stream, LOG_PRIORITY_NONE, st->partial,
	     st->partial_len);
	st->partial_len = 0;
}

/* Cuts data into lines; a line over LOGS_LINE_MAX_BYTES goes out in
 * pieces of that size, the end of the data waits for its newline. */
static void split_lines(struct logs_stream *st, char *data, size_t len)
{
	while (len > 0) {
		char *nl = memchr(data, '\n', len);
		size_t piece = nl ? (size_t)(nl - data) : len;
		size_t room = LOGS_LINE_MAX_BYTES - st->partial_len;
		size_t eaten = piece + (nl ? 1 : 0);
		bool cut = piece > room;

		if (cut)
			piece = eaten = room;
		if (cut || nl) {
			if (st->partial_len == 0) {
				emit(st->owner, st->stream, LOG_PRIORITY_NONE,
				     data, piece);
			} else {
				partial_append(st, data, piece);
				partial_emit(st);
			}
		} else if (!partial_append(st, data, piece)) {
			emit(st->owner, st->stream, LOG_PRIORITY_NONE, data,
			     piece);
		}
		data += eaten;
		len -= eaten;
	}
}

/* One read; returns the bytes read, 0 when there is nothing now. */
static size_t read_once(struct logs_stream *st)
{
	struct logs_service *ls = st->owner;
	char *buf = ls->config->read_buf;
	ssize_t n;

	do
		n = read(st->io.fd, buf, LOGS_READ_MAX_BYTES);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n == 0) {
		/* Every process that had a write end is gone: quiet until
		 * the next spawn opens one (an end would read EOF forever). */
		partial_emit(st);
		ev_io_stop(ls->config->loop, &st->io);
		return 0;
	}
	if (n < 0) {
		log_errno(LOG_LEVEL_ERROR, ls->name, errno, "reading its %s",
			  log_stream_name(st->stream));
		ev_io_stop(ls->config->loop, &st->io);
		return 0;
	}
	split_lines(st, buf, (size_t)n);
	return (size_t)n;
}

static void stream_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct logs_stream *st = w->data;

	if (read_once(st))
		end_batch(st->owner);
}

void logs_service_drain(struct logs_service *ls)
{
	struct logs_stream *streams[] = { &ls->out, ls->err };

	for (size_t i = 0; i < 2 && streams[i]; i++) {
		struct logs_stream *st = streams[i];
		size_t total = 0, n;

		if (!ev_is_active(&st->io))
			continue;
		while (total < LOGS_DRAIN_MAX_BYTES && (n = read_once(st)))
			total += n;
		partial_emit(st);
	}
	end_batch(ls);
}

void logs_service_note(struct logs_service *ls, const char *fmt, ...)
{
	va_list ap;
	char *text;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	emit(ls, LOG_STREAM_SVD, LOG_PRIORITY_NONE, text, (size_t)len);
	free(text);
	end_batch(ls);
}

void logs_service_syslog(struct logs_service *ls, int priority, char *text,
			 size_t len)
{
	while (len > 0) {
		char *nl = memchr(text, '\n', len);
		size_t piece = nl ? (size_t)(nl - text) : len;
		size_t eaten = piece + (nl ? 1 : 0);

		if (piece > LOGS_LINE_MAX_BYTES)
			piece = eaten = LOGS_LINE_MAX_BYTES;
		/* emit() borrows the byte past the line: a newline, or the
		 * one the caller keeps free past text. */
		emit(ls, LOG_STREAM_SYSLOG, priority, text, piece);
		text += eaten;
		len -= eaten;
	}
	end_batch(ls);
}

void logs_service_follow(struct logs_service *ls, struct logs_follower *f)
{
	f->next = ls->followers;
	ls->followers = f;
}

void logs_service_unfollow(struct logs_service *ls, struct logs_follower *f)
{
	for (struct logs_follower **p = &ls->followers; *p; p = &(*p)->next)
		if (*p == f) {
			*p = f->next;
			return;
		}
}

void logs_service_close_file(struct logs_service *ls)
{
	if (!ls->name)
		return;
	logs_service_drain(ls);
	if (ls->file_fd >= 0)
		close(ls->file_fd);
	ls->file_fd = -1;
}

static void stream_free(struct logs_service *ls, struct logs_stream *st)
{
	if (ev_is_active(&st->io))
		ev_io_stop(ls->config->loop, &st->io);
	if (st->io.fd >= 0)
		close(st->io.fd);
	if (st->lent_fd >= 0)
		close(st->lent_fd);
	if (st->kept_fd >= 0)
		close(st->kept_fd);
	free(st->partial);
}

void logs_service_free(struct logs_service *ls)
{
	if (!ls->name)
		return;	/* never initialised */
	logs_service_drain(ls);
	while (ls->followers) {
		struct logs_follower *f = ls->followers;

		ls->followers = f->next;
		f->on_end(f->ctx);
	}
	stream_free(ls, &ls->out);
	if (ls->err) {
		stream_free(ls, ls->err);
		free(ls->err);
	}
	if (ls->file_fd >= 0)
		close(ls->file_fd);
	logring_free(&ls->ring);
	free(ls->ident);
	*ls = (struct logs_service){ .file_fd = -1 };
}

void logs_batch_free(struct logs_batch *batch)
{
	free(batch->file_buf);
	free(batch->console_buf);
	*batch = (struct logs_batch){ 0 };
}
