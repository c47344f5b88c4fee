/* reexec: svd runs its binary anew with its state (reexec.h). */
#include "reexec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "halt.h"
#include "log.h"
#include "service_state.h"
#include "sockets.h"

extern char **environ;

/* --- at start --- */

static char *own_path(void)
{
	char buf[PATH_MAX];
	const char *deleted = " (deleted)";
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	size_t dlen = strlen(deleted);

	if (n < 0 || n == (ssize_t)sizeof(buf) - 1)
		return NULL;
	buf[n] = '\0';
	/* Replaced on disk while it ran: the path is where the new one is. */
	if ((size_t)n > dlen && strcmp(buf + n - dlen, deleted) == 0)
		buf[n - dlen] = '\0';
	return strdup(buf);
}

static int parse_fd(const char *s, char **end)
{
	long v;

	errno = 0;
	v = strtol(s, end, 10);
	if (errno || *end == s || v < 0 || v > INT_MAX)
		return -1;
	return (int)v;
}

/* MEMFD,EXEFD[,back] */
static void take_option(struct reexec *rx, const char *value)
{
	char *end;
	int state_fd = parse_fd(value, &end), back_fd = -1;

	if (state_fd >= 0 && *end == ',')
		back_fd = parse_fd(end + 1, &end);
	if (state_fd < 0 || back_fd < 0 || (*end && strcmp(end, ",back") != 0)) {
		log_error(NULL, "%s%s: not MEMFD,EXEFD[,back]; starting afresh",
			  REEXEC_STATE_OPTION, value);
		return;
	}
	rx->incoming = true;
	rx->went_back = *end != '\0';
	rx->state_fd = state_fd;
	rx->back_fd = back_fd;
	/* Neither goes to any service. */
	if (fcntl(state_fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(back_fd, F_SETFD, FD_CLOEXEC) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "%s%s: its fds",
			  REEXEC_STATE_OPTION, value);
}

void reexec_init(struct reexec *rx, int *argc, char ***argv)
{
	*rx = (struct reexec){ .exe_fd = -1, .state_fd = -1, .back_fd = -1 };
	state_image_init(&rx->image);
	if (*argc > 1 && strncmp((*argv)[1], REEXEC_STATE_OPTION,
				 strlen(REEXEC_STATE_OPTION)) == 0) {
		take_option(rx, (*argv)[1] + strlen(REEXEC_STATE_OPTION));
		/* argv[0] stays; the option goes. */
		(*argv)[1] = (*argv)[0];
		(*argv)++;
		(*argc)--;
	}
	rx->argc = *argc;
	rx->argv = *argv;
}

void reexec_find_binary(struct reexec *rx)
{
	rx->exe_path = own_path();
	rx->exe_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (!rx->exe_path || rx->exe_fd < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "finding svd's own "
			  "binary (/proc/self/exe): daemon-reexec is refused");
}

void reexec_free(struct reexec *rx)
{
	state_image_free(&rx->image);
	if (rx->exe_fd >= 0)
		close(rx->exe_fd);
	free(rx->exe_path);
	rx->exe_fd = -1;
	rx->exe_path = NULL;
}

/* --- the new svd: read, or go back --- */

static char *read_state(int fd, size_t *len, char *why, size_t size)
{
	struct stat st;
	char *buf;
	size_t done = 0;

	if (fstat(fd, &st) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		snprintf(why, size, "the state fd %d: %s", fd, strerror(errno));
		return NULL;
	}
	if ((size_t)st.st_size > STATE_MAX_BYTES) {
		snprintf(why, size, "the state is %lld bytes, more than %zu",
			 (long long)st.st_size, STATE_MAX_BYTES);
		return NULL;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		snprintf(why, size, "the state: out of memory");
		return NULL;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, size, "reading the state: %s",
				 n < 0 ? strerror(errno) : "cut short");
			free(buf);
			return NULL;
		}
		done += (size_t)n;
	}
	*len = done;
	return buf;
}

/* argv for the next svd: path, the hidden option, svd's own arguments. */
static char **next_argv(struct reexec *rx, char *argv0, int state_fd,
			int exe_fd, bool back, char *option, size_t size)
{
	char **argv = calloc((size_t)rx->argc + 2, sizeof(*argv));

	if (!argv)
		return NULL;
	snprintf(option, size, "%s%d,%d%s", REEXEC_STATE_OPTION, state_fd,
		 exe_fd, back ? ",back" : "");
	argv[0] = argv0;
	argv[1] = option;
	for (int i = 1; i < rx->argc; i++)
		argv[i + 1] = rx->argv[i];
	return argv;
}

_Noreturn static void go_back(struct reexec *rx, const char *why)
{
	char option[64];
	char **argv = next_argv(rx, rx->argv[0], rx->state_fd, rx->back_fd, true,
				option, sizeof(option));

	log_error(NULL, "cannot take the state over (%s): going back to the "
		  "svd that was running", why);
	if (argv) {
		fcntl(rx->state_fd, F_SETFD, 0);
		fcntl(rx->back_fd, F_SETFD, 0);
		syscall(SYS_execveat, rx->back_fd, "", argv, environ, AT_EMPTY_PATH);
	}
	/* Nowhere to go: every service is still there, but this svd knows
	 * none of them and must not start copies. A service manager exits
	 * (the next svd adopts them, adopt.h); PID 1 must not: it stays,
	 * only reaping. */
	log_errno(LOG_LEVEL_ERROR, NULL, errno, "executing the old svd back");
	if (getpid() != 1)
		_exit(1);
	halt_freeze();
}

int reexec_load(struct reexec *rx, bool may_start_afresh)
{
	char why[512];
	const char *hook = getenv(REEXEC_TEST_REJECT_ENV);
	size_t len;
	char *buf;

	if (!rx->incoming)
		return 0;
	buf = read_state(rx->state_fd, &len, why, sizeof(why));
	if (buf && state_load(buf, len, &rx->image, why, sizeof(why)) < 0) {
		free(buf);
		buf = NULL;
	}
	if (buf && hook && strcmp(hook, "1") == 0 && !rx->went_back) {
		snprintf(why, sizeof(why), "%s=1 (a test)", REEXEC_TEST_REJECT_ENV);
		state_image_free(&rx->image);
		free(buf);
		buf = NULL;
	}
	if (!buf && !rx->went_back)
		go_back(rx, why);
	free(buf);
	if (!buf && rx->went_back && !may_start_afresh) {
		/* Init or a container: starting afresh would start copies of
		 * what runs (and boot again). */
		log_error(NULL, "the state sent back cannot be read either (%s): "
			  "staying up, only reaping", why);
		halt_freeze();
	}
	if (!buf && rx->went_back) {
		log_error(NULL, "the state sent back cannot be read either (%s): "
			  "starting afresh, adopting what runs", why);
		close(rx->state_fd);
		close(rx->back_fd);
		rx->state_fd = rx->back_fd = -1;
		rx->incoming = false;
		return -1;
	}
	if (rx->went_back)
		log_warning(NULL, "back from a re-exec that failed: going on");
	return 0;
}

/* --- the new svd: apply --- */

static void restore_unit(const struct reexec_parts *d, const struct state_unit *u)
{
	const char *error = NULL;
	struct service *service = manager_find(d->manager, u->name.data, &error);
	char why[300];

	if (!service) {
		log_error(u->name.data, "not found after the re-exec (%s): its "
			  "processes (main pid %lld) go unsupervised",
			  error ? error : "?", (long long)u->main_pid);
		return;
	}
	if (service_state_restore(service, u, why, sizeof(why)) < 0)
		log_error(service->svc.name, "after the re-exec: %s", why);
}

/* An Accept=yes instance's connection counts against its socket again. */
static void link_connections(const struct reexec_parts *d, const struct state_image *img)
{
	for (size_t i = 0; i < img->n_units; i++) {
		const struct state_unit *u = &img->units[i];
		struct service *inst, *sock;

		if (u->conn_fd < 0 || !u->conn_from.data)
			continue;
		inst = manager_find(d->manager, u->name.data, NULL);
		sock = manager_find(d->manager, u->conn_from.data, NULL);
		if (inst && inst->connection && sock && sock->listener) {
			inst->connection->from = sock->listener;
			sock->listener->n_connections++;
		}
	}
}

static void restore_jobs(const struct reexec_parts *d, const struct state_image *img)
{
	for (size_t i = 0; i < img->n_units; i++) {
		const struct state_unit *u = &img->units[i];
		struct service *s;

		if (!u->start_job && !u->stop_job)
			continue;
		s = manager_find(d->manager, u->name.data, NULL);
		if (s && u->start_job)
			manager_start(d->manager, s);
		else if (s)
			manager_stop(d->manager, s);
	}
}

void reexec_apply(struct reexec *rx, const struct reexec_parts *d)
{
	struct state_image *img = &rx->image;

	if (!rx->incoming)
		return;
	for (size_t i = 0; i < img->n_units; i++)
		restore_unit(d, &img->units[i]);
	link_connections(d, img);
	/* The sockets whose service is down watch again. */
	sockets_react(d->manager);
	restore_jobs(d, img);
	d->manager->orphans_reaped = img->orphans_reaped;
	if (d->container) {
		d->container->main_ended = img->main_ended;
		if (img->exit_status >= 0)
			d->container->exit_status = (int)img->exit_status;
	}
	/* Children that ended while no svd listened are zombies now; libev
	 * reaps with waitpid(-1, WNOHANG) until none is left, as for any
	 * SIGCHLD, once the loop runs. */
	ev_feed_signal_event(d->loop, SIGCHLD);
	log_info(NULL, "re-executed: %zu units taken over", img->n_units);
	state_image_free(img);
	close(rx->state_fd);
	close(rx->back_fd);
	rx->state_fd = rx->back_fd = -1;
	rx->incoming = false;
}

/* --- the old svd: the request --- */

/* Forks path --state-format with its stdout on a pipe; the read end in
 * *out. The child runs async-signal-safe calls only. */
static pid_t spawn_probe(const char *path, int *out, char *why, size_t wsize)
{
	char *argv[] = { (char *)(uintptr_t)path,
			 (char *)(uintptr_t)REEXEC_FORMAT_OPTION, NULL };
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(why, wsize, "pipe2: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(126);
		execve(path, argv, environ);
		_exit(127);
	}
	if (pid < 0)
		snprintf(why, wsize, "fork: %s", strerror(errno));
	close(fds[1]);
	if (pid < 0)
		close(fds[0]);
	*out = fds[0];
	return pid;
}

static long ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* What the probe prints until it closes its stdout, within the time
 * allowed. -1 on timeout. */
static int read_probe(int fd, char *line, size_t size)
{
	struct timespec start;
	size_t got = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long spent = ms_since(&start);
		ssize_t n;
		int r;

		if (spent >= REEXEC_PROBE_TIMEOUT_MS)
			return -1;
		r = poll(&pfd, 1, (int)(REEXEC_PROBE_TIMEOUT_MS - spent));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n = read(fd, line + got, size - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (got += (size_t)n) == size - 1)
			break;
	}
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return 0;
}

/* Runs the binary with --state-format; fills line with what it said.
 * Bounded, and blocking svd meanwhile (a re-exec stops the loop anyway):
 * a binary that hangs costs REEXEC_PROBE_TIMEOUT_MS. */
static int probe(const char *path, char *line, size_t size, char *why,
		 size_t wsize)
{
	int fd, status = 0, r;
	pid_t pid = spawn_probe(path, &fd, why, wsize);

	if (pid < 0)
		return -1;
	r = read_probe(fd, line, size);
	close(fd);
	if (r < 0) {
		snprintf(why, wsize, "%s %s did not answer within %d ms", path,
			 REEXEC_FORMAT_OPTION, REEXEC_PROBE_TIMEOUT_MS);
		kill(pid, SIGKILL);
	}
	/* Its own pid only: libev's reaper never sees it. */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r < 0)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, wsize, "%s %s failed (%s %d)", path,
			 REEXEC_FORMAT_OPTION, WIFEXITED(status) ? "exit status" :
			 "signal", WIFEXITED(status) ? WEXITSTATUS(status) :
			 WTERMSIG(status));
		return -1;
	}
	return 0;
}

/* The fds that go through the exec, to let through and, if the exec
 * fails, to close-on-exec again. */
struct kept {
	int *fds;
	size_t n, cap;
};

static void keep(struct kept *k, int64_t fd)
{
	if (fd < 0)
		return;
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		int *fds = realloc(k->fds, cap * sizeof(*fds));

		if (!fds)
			return;	/* that one stays close-on-exec: said at apply */
		k->fds = fds;
		k->cap = cap;
	}
	k->fds[k->n++] = (int)fd;
}

static void keep_unit(struct kept *k, const struct state_unit *u)
{
	keep(k, u->out_fd);
	keep(k, u->err_fd);
	keep(k, u->out_kept_fd);
	keep(k, u->err_kept_fd);
	keep(k, u->main_status_fd);
	keep(k, u->control_status_fd);
	keep(k, u->conn_fd);
	for (size_t i = 0; i < u->n_listen_fds; i++)
		keep(k, u->listen_fds[i]);
}

static int collect(const struct reexec_parts *d, struct state_image *img)
{
	img->control_fd = d->control->listen_fd;
	img->notify_fd = d->notify->path ? d->notify->io.fd : -1;
	img->devlog_fd = d->devlog->path ? d->devlog->io.fd : -1;
	img->booted = d->booted;
	img->orphans_reaped = d->manager->orphans_reaped;
	img->main_ended = d->container && d->container->main_ended;
	img->exit_status = img->main_ended ? d->container->exit_status : -1;
	for (struct service *s = manager_first(d->manager); s; s = s->next) {
		struct state_unit *u;

		if (s->transient)
			continue;
		if (!(u = state_image_add_unit(img)) || service_state_save(s, u) < 0)
			return -1;
	}
	return 0;
}

static void set_cloexec(const struct kept *k, bool on)
{
	for (size_t i = 0; i < k->n; i++)
		if (fcntl(k->fds[i], F_SETFD, on ? FD_CLOEXEC : 0) < 0)
			log_errno(LOG_LEVEL_ERROR, NULL, errno, "fd %d: F_SETFD "
				  "(the new svd finds it closed)", k->fds[i]);
}

/* The state in a memfd, and the fds it names. -1 with why. */
static int write_state(const struct reexec_parts *d, struct kept *k, char *why, size_t size)
{
	struct state_image img;
	int fd;

	state_image_init(&img);
	manager_close_idle_pipe(d->manager);
	if (collect(d, &img) < 0) {
		snprintf(why, size, "collecting the state: %s", strerror(errno));
		state_image_free(&img);
		return -1;
	}
	fd = memfd_create("svd-state", MFD_CLOEXEC);
	if (fd < 0 || state_save(&img, fd) < 0) {
		snprintf(why, size, "writing the state: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		state_image_free(&img);
		return -1;
	}
	keep(k, img.control_fd);
	keep(k, img.notify_fd);
	keep(k, img.devlog_fd);
	for (size_t i = 0; i < img.n_units; i++)
		keep_unit(k, &img.units[i]);
	log_info(NULL, "state of %zu units written (%lld bytes)", img.n_units,
		 (long long)lseek(fd, 0, SEEK_CUR));
	state_image_free(&img);
	return fd;
}

/* Refuses before anything is touched. */
static bool may_reexec(struct reexec *rx, const struct reexec_parts *d, char *why,
		       size_t size)
{
	char line[128];

	if (d->shutting_down) {
		snprintf(why, size, "svd is shutting down");
		return false;
	}
	if (!rx->exe_path || rx->exe_fd < 0) {
		snprintf(why, size, "svd did not find its own binary at start");
		return false;
	}
	if (probe(rx->exe_path, line, sizeof(line), why, size) < 0)
		return false;
	if (!state_format_accepts(line, STATE_FORMAT_VERSION)) {
		snprintf(why, size, "%s cannot read this svd's state (format %s "
			 "%d); it reads '%.60s'", rx->exe_path, STATE_MAGIC,
			 STATE_FORMAT_VERSION, line);
		return false;
	}
	return true;
}

void reexec_request(struct reexec *rx, const struct reexec_parts *d,
		    struct ctl_client *client)
{
	struct kept kept = { 0 };
	char why[512], option[64];
	char **argv;
	int state_fd;

	if (!may_reexec(rx, d, why, sizeof(why))) {
		log_error(NULL, "daemon-reexec refused: %s", why);
		control_fail(client, "daemon-reexec: %s", why);
		return;
	}
	/* No change may be left unheard: the state is then whole. */
	manager_react_now(d->manager);
	state_fd = write_state(d, &kept, why, sizeof(why));
	argv = state_fd < 0 ? NULL :
	       next_argv(rx, rx->exe_path, state_fd, rx->exe_fd, false, option,
			 sizeof(option));
	if (!argv) {
		if (state_fd >= 0)
			snprintf(why, sizeof(why), "out of memory");
		log_error(NULL, "daemon-reexec refused: %s", why);
		control_fail(client, "daemon-reexec: %s", why);
		if (state_fd >= 0)
			close(state_fd);
		free(kept.fds);
		return;
	}
	log_info(NULL, "re-executing %s", rx->exe_path);
	commands_before_reexec(d->commands);
	/* Followers and monitors are told to connect again (svctl does). */
	for (struct ctl_client *c = d->control->clients, *next; c; c = next) {
		next = c->next;
		if (c != client && c->busy)
			control_fail_code(c, "reexec", "svd re-executes itself: "
					  "connect again");
	}
	control_ok(client);
	for (struct ctl_client *c = d->control->clients; c; c = c->next)
		control_flush(c);
	keep(&kept, state_fd);
	keep(&kept, rx->exe_fd);
	set_cloexec(&kept, false);
	/* svd's own manager (systemd) keeps hearing from the same pid. */
	if (upstream_pass_on(d->upstream) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "passing NOTIFY_SOCKET on");
	console_flush_blocking(d->console);
	execv(rx->exe_path, argv);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	/* Still here: nothing was handed over; svd goes on. */
	log_errno(LOG_LEVEL_ERROR, NULL, errno, "daemon-reexec: executing %s",
		  rx->exe_path);
	set_cloexec(&kept, true);
	close(state_fd);
	free(kept.fds);
	free(argv);
}
