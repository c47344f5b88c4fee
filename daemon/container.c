#include "container.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"
#include "strv.h"

/* Signals svd does not pass on to the main command: SIGTERM and SIGINT
 * stop it and svd (main.c), SIGCHLD is svd's, SIGKILL and SIGSTOP cannot
 * be caught; the synchronous ones are about svd itself (its crash
 * handling) and, as tini has it, SIGTTIN/SIGTTOU would be about svd's
 * own terminal reads and writes. Every other signal, the real-time ones
 * included, goes to the command as it comes. */
static bool forwarded(int signo)
{
	switch (signo) {
	case SIGTERM: case SIGINT: case SIGCHLD: case SIGKILL: case SIGSTOP:
	case SIGFPE: case SIGILL: case SIGSEGV: case SIGBUS: case SIGABRT:
	case SIGTRAP: case SIGSYS: case SIGTTIN: case SIGTTOU:
		return false;
	}
	/* glibc keeps the first real-time signals for its threads. */
	return signo < 32 || (signo >= SIGRTMIN && signo <= SIGRTMAX);
}

static void forwarded_set(sigset_t *set)
{
	sigemptyset(set);
	for (int signo = 1; signo < NSIG; signo++)
		if (forwarded(signo))
			sigaddset(set, signo);
}

void container_block_signals(void)
{
	sigset_t set;

	forwarded_set(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

void container_capture(struct container *c, char *const *argv,
		       double stop_timeout_sec, bool group)
{
	*c = (struct container){
		.argv = argv,
		.stop_timeout_sec = stop_timeout_sec,
		.group = group,
	};
	spawn_inherit_capture(&c->inherit);
}

static char *join_words(char *const *argv)
{
	size_t len = 1;
	char *line;

	for (size_t i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	line = calloc(1, len);
	for (size_t i = 0; line && argv[i]; i++) {
		if (i)
			strcat(line, " ");
		strcat(line, argv[i]);
	}
	return line;
}

/* The command as a unit: run verbatim (no $VAR expansion: the shell that
 * started svd already did that), never restarted, stopped with the signal
 * svd got, SIGKILL to its whole group after --stop-timeout. */
static struct unit *main_unit(const struct container *c)
{
	struct unit *unit = unit_new();
	struct exec_cmd *cmd = calloc(1, sizeof(*cmd));

	if (!unit || !cmd)
		goto fail;
	unit->exec_start = cmd;
	unit->n_exec_start = 1;
	/* What keep_command_settings() holds it to, so that only a drop-in
	 * that says otherwise is warned about. */
	unit->type = UNIT_TYPE_EXEC;
	cmd->flags = EXEC_FLAG_NO_ENV_EXPAND;
	cmd->path = strdup(c->argv[0]);
	cmd->argv = strv_copy(c->argv);
	cmd->line = join_words(c->argv);
	unit->name = strdup(CONTAINER_MAIN_NAME);
	if (!cmd->path || !cmd->argv || !cmd->line || !unit->name ||
	    asprintf(&unit->description, "main command: %s", cmd->line) < 0)
		goto fail;
	/* Its type, timeouts and kill mode: keep_command_settings(), after
	 * the drop-ins. */
	return unit;
fail:
	if (unit && !unit->exec_start)
		free(cmd);
	unit_free(unit);
	return NULL;
}

/* Not exec'd yet: waiting for what it is ordered after, or starting. */
/* What makes the unit the container's command stays so whatever a
 * drop-in says: its one command, run once, without a start timeout or
 * other commands (those would run with svd's own stdio and signals). */
static void keep_command_settings(const struct container *c, struct unit *unit)
{
	bool changed = unit->type != UNIT_TYPE_EXEC ||
		       unit->restart != UNIT_RESTART_NO || unit->n_exec_start != 1 ||
		       unit->remain_after_exit || unit->pid_file;

	for (int k = 0; k < UNIT_EXEC_COUNT; k++)
		changed |= unit->n_exec[k] != 0;
	if (changed)
		log_warning(CONTAINER_MAIN_NAME, "main.service.d/: Type=, Restart=, "
			    "RemainAfterExit=, PIDFile= and the Exec...= keys do "
			    "not apply to the container's command: ignored");
	unit->type = UNIT_TYPE_EXEC;
	unit->restart = UNIT_RESTART_NO;
	unit->remain_after_exit = false;
	free(unit->pid_file);
	unit->pid_file = NULL;
	for (size_t i = 1; i < unit->n_exec_start; i++)
		exec_cmd_clear(&unit->exec_start[i]);
	unit->n_exec_start = 1;
	for (int k = 0; k < UNIT_EXEC_COUNT; k++) {
		exec_cmds_free(unit->exec[k], unit->n_exec[k]);
		unit->exec[k] = NULL;
		unit->n_exec[k] = 0;
	}
	unit->timeout_start_usec = USEC_INFINITY;
	unit->timeout_stop_usec = (uint64_t)(c->stop_timeout_sec * 1e6);
	/* -g: the stop signal goes to the whole group too. */
	unit->kill_mode = c->group ? UNIT_KILL_CONTROL_GROUP : UNIT_KILL_MIXED;
	/* Never restarted: no start limit to hit either. */
	unit->start_limit_burst = 0;
}

static bool main_is_starting(const struct container *c)
{
	return svc_is_starting(&c->main->svc) || c->main->node.start_job;
}

static void forward(struct container *c, int signo)
{
	pid_t pid = c->main->svc.main_pid;

	if (c->main_ended)
		return;
	/* Until svd has heard that the command exec'd, hold the signal: it
	 * is delivered once the command can receive it. */
	if (main_is_starting(c)) {
		c->pending_signals |= UINT64_C(1) << (signo - 1);
		return;
	}
	if (pid == 0)
		return;
	/* -g: to the command's whole process group (it leads one), as
	 * tini -g. */
	if (kill(c->group ? -pid : pid, signo) < 0 && errno != ESRCH)
		log_errno(LOG_LEVEL_WARNING, CONTAINER_MAIN_NAME, errno,
			  "forwarding SIG%s", value_signal_name(signo));
}

/* svd reads the forwarded signals from a signalfd of its own, which
 * says who sent each: a SIGPIPE or SIGXFSZ the kernel raised for svd's
 * own write (a client that left, a full log file) is svd's, not the
 * command's. */
static void forward_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct container *c = w->data;
	struct signalfd_siginfo info[16];
	ssize_t n;

	while ((n = read(w->fd, info, sizeof(info))) > 0) {
		for (size_t i = 0; i < (size_t)n / sizeof(info[0]); i++) {
			int signo = (int)info[i].ssi_signo;

			if (info[i].ssi_code == SI_USER &&
			    info[i].ssi_pid == (uint32_t)getpid()) {
				log_debug(NULL, "SIG%s raised by svd's own write: "
					  "not forwarded", value_signal_name(signo));
				continue;
			}
			forward(c, signo);
		}
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "reading forwarded signals");
}

static int forward_signals(struct container *c)
{
	sigset_t set;
	int fd;

	forwarded_set(&set);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno,
			  "signalfd for the signals forwarded to the command");
		return -1;
	}
	ev_io_init(&c->forward, forward_cb, fd, EV_READ);
	c->forward.data = c;
	ev_io_start(c->loop, &c->forward);
	return 0;
}

int container_start(struct container *c, struct ev_loop *loop,
		    struct manager *mgr, container_ended_fn *on_ended, void *ctx)
{
	struct unit *unit;

	c->loop = loop;
	c->mgr = mgr;
	c->on_ended = on_ended;
	c->ctx = ctx;
	unit = main_unit(c);
	if (!unit) {
		log_errno(LOG_LEVEL_ERROR, CONTAINER_MAIN_NAME, ENOMEM, "setting up");
		return -1;
	}
	/* main.service.d/: what it waits for and requires, what its end
	 * does, its Environment= and User=. An error is logged with its file
	 * and line; the command runs with what did apply. */
	if (manager_apply_dropins(c->mgr, unit) < 0)
		log_error(CONTAINER_MAIN_NAME, "its drop-ins have errors (above); "
			  "the settings that were valid apply");
	keep_command_settings(c, unit);
	c->main = manager_add_main(c->mgr, unit, &c->inherit);
	if (!c->main) {
		log_errno(LOG_LEVEL_ERROR, CONTAINER_MAIN_NAME, errno, "adding");
		return -1;
	}
	if (forward_signals(c) < 0)
		return -1;
	/* A start job: it waits for what main.service.d/ orders it after
	 * and pulls in what it wants or requires. */
	if (!c->resumed)
		manager_start(c->mgr, c->main);
	return 0;
}

void container_stop(struct container *c, int signo)
{
	if (c->main_ended)
		return;
	/* Still waiting for what it is ordered after: it never runs, and
	 * svd ends as if it had died of the signal. */
	if (c->main->node.start_job && !svc_is_busy(&c->main->svc)) {
		manager_stop(c->mgr, c->main);
		c->main_ended = true;
		c->exit_status = 128 + signo;
		log_info(CONTAINER_MAIN_NAME, "stopped before it started: svd "
			 "exits with %d", c->exit_status);
		c->on_ended(c->ctx);
		return;
	}
	if (main_is_starting(c)) {
		c->pending_stop_signal = signo;
		return;
	}
	c->main->svc.unit->kill_signal = signo;
	svc_step(&c->main->svc, SVC_EV_STOP, 0);
}

static void deliver_pending(struct container *c)
{
	int stop_signal = c->pending_stop_signal;

	uint64_t pending = c->pending_signals;

	c->pending_signals = 0;
	for (int signo = 1; signo <= 64; signo++)
		if (pending & (UINT64_C(1) << (signo - 1)))
			forward(c, signo);
	c->pending_stop_signal = 0;
	if (stop_signal)
		container_stop(c, stop_signal);
}

/* svd's exit status: the command's, 128+N for death by signal N, and
 * 127/126 when it could not be run at all, as a shell would say. */
static int exit_status_of(const struct svc *svc)
{
	char errbuf[160];

	if (svc->exec_errno || svc->cause == SVC_CAUSE_SPAWN_FAILED) {
		int err = svc->exec_errno ? svc->exec_errno : svc->cause_detail;

		fprintf(stderr, "svd: cannot run %s: %s\n",
			svc->unit->exec_start[0].path,
			log_errno_text(err, errbuf, sizeof(errbuf)));
		return err == ENOENT ? 127 : 126;
	}
	/* main.service.d/ kept it from running: what it requires failed,
	 * an Assert...= (1) or a Condition...= (0: skipped, as systemd
	 * counts a condition) did not hold. */
	if (!svc->has_exited && (svc->cause == SVC_CAUSE_DEPENDENCY ||
				 svc->cause == SVC_CAUSE_ASSERT ||
				 svc->cause == SVC_CAUSE_CONDITION)) {
		fprintf(stderr, "svd: %s not started: %s\n", CONTAINER_MAIN_NAME,
			svc_describe_cause(svc, errbuf, sizeof(errbuf)));
		return svc->cause == SVC_CAUSE_CONDITION ? 0 : 1;
	}
	if (!svc->has_exited)
		return 128 + SIGKILL;	/* given up on after SIGKILL */
	return policy_shell_status(svc->last_wstatus);
}

void container_main_changed(struct container *c)
{
	const struct svc *svc = &c->main->svc;

	if (c->main_ended)
		return;
	if (svc_is_running(svc)) {
		deliver_pending(c);
		return;
	}
	if (!svc_has_ended(svc))
		return;
	c->main_ended = true;
	c->exit_status = exit_status_of(svc);
	log_debug(CONTAINER_MAIN_NAME, "ended: svd exits with %d", c->exit_status);
	c->on_ended(c->ctx);
}
