#include "tmpfiles_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "log.h"
#include "spawn.h"
#include "strv.h"
#include "vocab.h"

extern char **environ;

#define LOG_NAME "tmpfiles"

void tmpfiles_cmd_init(struct tmpfiles_cmd *t, struct ev_loop *loop,
		       const char *config_path)
{
	char cwd[4096];

	*t = (struct tmpfiles_cmd){ .loop = loop, .fd = -1 };
	/* The helper runs in "/": a relative -c is made absolute now. */
	if (config_path[0] == '/' || !getcwd(cwd, sizeof(cwd)) ||
	    asprintf(&t->config_path, "%s/%s", cwd, config_path) < 0)
		t->config_path = strdup(config_path);
}

/* The helper's command line: svd itself (/proc/self/exe: the binary
 * running, whatever its path), the flags, then the files. NULL: ENOMEM. */
static char **helper_argv(struct tmpfiles_cmd *t, const struct proto_msg *req)
{
	static const char *const flags[] = { "create", "remove", "boot" };
	char **argv = NULL;
	bool ok = strv_push(&argv, "svd") == 0 &&
		  strv_push(&argv, "--tmpfiles") == 0 &&
		  strv_push(&argv, "--config") == 0 &&
		  strv_push(&argv, t->config_path) == 0;
	char option[16];

	for (size_t i = 0; ok && i < sizeof(flags) / sizeof(flags[0]); i++) {
		snprintf(option, sizeof(option), "--%s", flags[i]);
		if (proto_get(req, flags[i]))
			ok = strv_push(&argv, option) == 0;
	}
	/* Options end here: a file named "-x" is a file. */
	ok = ok && strv_push(&argv, "--") == 0;
	for (size_t i = 0; ok && i < req->n_fields; i++)
		if (strcmp(req->fields[i].key, "file") == 0)
			ok = strv_push(&argv, req->fields[i].value) == 0;
	if (!ok) {
		strv_free(argv);
		return NULL;
	}
	return argv;
}

static void relay_line(struct tmpfiles_cmd *t);

static void finish(struct tmpfiles_cmd *t)
{
	struct ctl_client *client = t->client;
	int status = -1;

	if (t->fd >= 0 || !t->exited)
		return;
	if (t->len)
		relay_line(t);
	if (WIFEXITED(t->wstatus))
		status = WEXITSTATUS(t->wstatus);
	t->pid = 0;
	t->exited = false;
	t->client = NULL;
	if (status == 0)
		log_info(LOG_NAME, "done");
	else
		log_warning(LOG_NAME, "done; some lines failed");
	if (!client)
		return;
	if (status == 0 && !t->n_held)
		control_ok(client);
	else if (status == 0)
		control_fail(client, "%u more messages are in svd's log",
			     t->n_held);
	else if (status == 1)
		control_fail(client, "some lines failed%s",
			     t->n_held ? " (more messages in svd's log)" : "");
	else
		control_fail(client, "the tmpfiles helper %s %d",
			     WIFSIGNALED(t->wstatus) ? "was killed by signal" :
			     "exited with", WIFSIGNALED(t->wstatus) ?
			     WTERMSIG(t->wstatus) : status);
}

/* The helper's "\n" and "\\" back to what they stand for. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '\\' && (s[1] == 'n' || s[1] == '\\')) {
			*out++ = s[1] == 'n' ? '\n' : '\\';
			s++;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static void relay_line(struct tmpfiles_cmd *t)
{
	const char *cut = t->cut ? " (cut: the line was longer)" : "";
	bool error, warning;
	struct proto_buf *buf;
	char *text;

	t->line[t->len] = '\0';
	t->len = 0;
	t->cut = false;
	error = strncmp(t->line, "error: ", 7) == 0;
	warning = strncmp(t->line, "warning: ", 9) == 0;
	text = error ? t->line + 7 : warning ? t->line + 9 : t->line;
	unescape(text);
	if (error)
		log_error(LOG_NAME, "%s%s", text, cut);
	else
		log_warning(LOG_NAME, "%s%s", text, cut);
	if (!t->client)
		return;
	if (t->n_sent == TMPFILES_CMD_MESSAGES_MAX) {
		t->n_held++;
		return;
	}
	if (!(buf = malloc(sizeof(*buf))))
		return;
	proto_begin(buf, NULL);
	if (proto_putf(buf, error ? "TmpfilesError" : "TmpfilesWarning", "%s%s",
		       text, cut) == 0) {
		control_send(t->client, buf);
		t->n_sent++;
	}
	free(buf);
}

static void take_output(struct tmpfiles_cmd *t, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '\n') {
			relay_line(t);
		} else if (t->len < TMPFILES_CMD_LINE_MAX_BYTES) {
			t->line[t->len++] = data[i];
		} else {
			t->cut = true;
		}
	}
}

static void output_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct tmpfiles_cmd *t = w->data;
	char chunk[4096];
	ssize_t n = read(t->fd, chunk, sizeof(chunk));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		take_output(t, chunk, (size_t)n);
		return;
	}
	if (n < 0)
		log_errno(LOG_LEVEL_WARNING, LOG_NAME, errno, "reading the helper's output");
	ev_io_stop(loop, &t->io);
	close(t->fd);
	t->fd = -1;
	finish(t);
}

/* Starts the helper with its stdout and stderr on a pipe svd reads. */
static int start_helper(struct tmpfiles_cmd *t, char **argv)
{
	struct exec_cmd cmd = { .path = "/proc/self/exe", .argv = argv,
				.flags = EXEC_FLAG_NO_ENV_EXPAND };
	struct spawn_request req = {
		.cmd = &cmd, .env = environ, .unit_name = LOG_NAME, .umask = 022,
		.keyring_mode = UNIT_KEYRING_INHERIT,
		.stdio = {
			{ .source = SPAWN_FD_NULL },
			{ .source = SPAWN_FD_GIVEN },
			{ .source = SPAWN_FD_LIKE_STDOUT },
		},
	};
	struct spawn_result result;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	req.stdio[1].fd = fds[1];
	if (spawn_start(&req, &result) < 0) {
		int err = errno;

		close(fds[0]);
		close(fds[1]);
		errno = err;
		return -1;
	}
	close(fds[1]);
	if (result.status_fd >= 0)
		close(result.status_fd);	/* a failed exec exits 127 */
	t->pid = result.pid;
	t->fd = fds[0];
	ev_io_init(&t->io, output_cb, t->fd, EV_READ);
	t->io.data = t;
	ev_io_start(t->loop, &t->io);
	return 0;
}

static size_t count_files(const struct proto_msg *request)
{
	size_t n = 0;

	for (size_t i = 0; i < request->n_fields; i++)
		n += strcmp(request->fields[i].key, "file") == 0;
	return n;
}

void tmpfiles_cmd_handle(struct tmpfiles_cmd *t, struct ctl_client *client,
			 const struct proto_msg *request)
{
	char **argv;
	char buf[160];

	if (t->pid) {
		control_fail(client, "tmpfiles: a run is under way; try again "
			     "when it is done");
		return;
	}
	if (!proto_get(request, "create") && !proto_get(request, "remove")) {
		control_fail_code(client, "usage", "tmpfiles: --create, "
				  "--remove or both");
		return;
	}
	if (count_files(request) > VOCAB_TMPFILES_FILES_MAX) {
		control_fail_code(client, "usage", "tmpfiles: at most %d files",
				  VOCAB_TMPFILES_FILES_MAX);
		return;
	}
	if (!t->config_path || !(argv = helper_argv(t, request))) {
		control_fail(client, "out of memory");
		return;
	}
	if (start_helper(t, argv) < 0) {
		log_errno(LOG_LEVEL_ERROR, LOG_NAME, errno, "starting the helper");
		control_fail(client, "tmpfiles: starting the helper: %s",
			     log_errno_text(errno, buf, sizeof(buf)));
		strv_free(argv);
		return;
	}
	strv_free(argv);
	log_info(LOG_NAME, "applying tmpfiles.d for uid %u (helper %d)",
		 (unsigned)client->uid, (int)t->pid);
	t->client = client;
	t->n_sent = t->n_held = 0;
}

bool tmpfiles_cmd_child_exited(struct tmpfiles_cmd *t, pid_t pid, int wstatus)
{
	if (!t->pid || pid != t->pid)
		return false;
	t->exited = true;
	t->wstatus = wstatus;
	finish(t);
	return true;
}

void tmpfiles_cmd_client_gone(struct tmpfiles_cmd *t, struct ctl_client *client)
{
	if (t->client == client)
		t->client = NULL;
}

void tmpfiles_cmd_free(struct tmpfiles_cmd *t)
{
	free(t->config_path);
	t->config_path = NULL;
	if (t->fd >= 0) {
		ev_io_stop(t->loop, &t->io);
		close(t->fd);
		t->fd = -1;
	}
}
