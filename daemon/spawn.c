#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kd.h>
#include <linux/vt.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "rlimit.h"
#include "sandbox_fs.h"
#include "strv.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

const char *spawn_step_name(int step)
{
	switch (step) {
	case SPAWN_STEP_SETSID:
		return "setsid";
	case SPAWN_STEP_STDIO:
		return "stdio setup";
	case SPAWN_STEP_CHDIR:
		return "chdir to WorkingDirectory=";
	case SPAWN_STEP_SETPGID:
		return "setpgid";
	case SPAWN_STEP_NICE:
		return "Nice=";
	case SPAWN_STEP_GROUPS:
		return "SupplementaryGroups=";
	case SPAWN_STEP_GROUP:
		return "Group=";
	case SPAWN_STEP_USER:
		return "User=";
	case SPAWN_STEP_STDIN:
		return "StandardInput=";
	case SPAWN_STEP_STDOUT:
		return "StandardOutput=";
	case SPAWN_STEP_STDERR:
		return "StandardError=";
	case SPAWN_STEP_ROOT:
		return "RootDirectory=";
	case SPAWN_STEP_FDS:
		return "passing the sockets (LISTEN_FDS=)";
	case SPAWN_STEP_BOUNDING:
		return "CapabilityBoundingSet=";
	case SPAWN_STEP_AMBIENT:
		return "AmbientCapabilities=";
	case SPAWN_STEP_SECUREBITS:
		return "SecureBits=";
	case SPAWN_STEP_NO_NEW_PRIVS:
		return "NoNewPrivileges=";
	case SPAWN_STEP_CGROUP:
		return "joining its cgroup";
	case SPAWN_STEP_TTY:
		return "TTYPath=";
	case SPAWN_STEP_PRIVATE_DIRS:
		return "DynamicUser= directories";
	case SPAWN_STEP_KEYRING:
		return "KeyringMode=";
	default:
		if (step >= SPAWN_STEP_SECCOMP && step < SPAWN_STEP_LIMIT)
			return syscall_key_name(step - SPAWN_STEP_SECCOMP);
		if (step >= SPAWN_STEP_SANDBOX &&
		    step < SPAWN_STEP_SANDBOX + SANDBOX_KEY_COUNT)
			return sandbox_fs_key_name(step - SPAWN_STEP_SANDBOX);
		if (step >= SPAWN_STEP_LIMIT && rlimit_key_name(step - SPAWN_STEP_LIMIT))
			return rlimit_key_name(step - SPAWN_STEP_LIMIT);
		return "exec";
	}
}

bool spawn_errno_is_transient(int err)
{
	return err == EAGAIN || err == ENOMEM || err == EMFILE ||
	       err == ENFILE || err == ETXTBSY;
}

/* Looks a bare command name up in PATH, as systemd does, before fork:
 * the child must not allocate. Returns a malloc'd path or NULL (errno). */
static char *resolve_path(const char *file, char *const *env, const char *root)
{
	const char *search = strv_env_get(env, "PATH");
	const char *dir, *end;
	int last_error = ENOENT;

	if (strchr(file, '/'))
		return strdup(file);
	if (!search)
		search = SPAWN_DEFAULT_PATH;
	/* With RootDirectory=, PATH names directories inside it. */
	if (!root || strcmp(root, "/") == 0)
		root = "";
	for (dir = search; *dir; dir = *end ? end + 1 : end) {
		char *candidate;
		int found;

		end = strchrnul(dir, ':');
		if (asprintf(&candidate, "%s%.*s/%s", root, (int)(end - dir), dir,
			     file) < 0)
			return NULL;
		found = access(candidate, X_OK);
		if (found == 0 && *root) {
			memmove(candidate, candidate + strlen(root),
				strlen(candidate + strlen(root)) + 1);
		}
		if (found == 0)
			return candidate;
		if (errno != ENOENT && errno != ENOTDIR)
			last_error = errno;
		free(candidate);
	}
	errno = last_error;
	return NULL;
}

/* Where the child tells why it did not exec: a close-on-exec pipe when it
 * was forked, or the parent's own memory when it shares it (vfork: the
 * parent waits until the child has exec'd or exited, then reads it). */
struct child_report {
	int fd;					/* fork: the pipe, else -1 */
	volatile struct spawn_failure *shared;	/* vfork, else NULL */
};

static _Noreturn void child_fail(const struct child_report *report, int step, int err)
{
	sigset_t all;

	/* Signals may be back to default by now: a pipe whose reader svd
	 * gave up must cost the write EPIPE, not the exit status. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (report->shared) {
		report->shared->step = step;
		report->shared->error = err;
	} else {
		struct spawn_failure failure = { .step = step, .error = err };
		ssize_t written = write(report->fd, &failure, sizeof(failure));

		(void)written;
	}
	_exit(err == ENOENT ? 127 : 126);
}

void spawn_inherit_capture(struct spawn_inherit *inherit)
{
	sigemptyset(&inherit->ignored);
	sigprocmask(SIG_SETMASK, NULL, &inherit->mask);
	for (int signo = 1; signo < NSIG; signo++) {
		struct sigaction old;

		if (sigaction(signo, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			sigaddset(&inherit->ignored, signo);
	}
	inherit->take_terminal = isatty(STDIN_FILENO) == 1;
}

/* Dispositions back to default (or to ignored, for what svd's own parent
 * ignored, for the main command; SIGPIPE for a service with
 * IgnoreSIGPIPE=yes), then the mask it should run with. */
static void child_reset_signals(const struct spawn_inherit *inherit,
				bool ignore_sigpipe)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigset_t none;

	for (int signo = 1; signo < NSIG; signo++) {
		bool ignore = inherit ? sigismember(&inherit->ignored, signo) == 1 :
			      signo == SIGPIPE && ignore_sigpipe;

		sigaction(signo, ignore ? &ign : &dfl, NULL); /* KILL/STOP: EINVAL */
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, inherit ? &inherit->mask : &none, NULL);
}

/* The main command gets its own process group; with a terminal, that
 * group becomes the foreground one, so the shell's ^C and the tty's
 * SIGWINCH reach it. Called with every signal blocked: tcsetpgrp from a
 * background group would raise SIGTTOU. */
static void child_own_group(const struct spawn_inherit *inherit, const struct child_report *report)
{
	if (setpgid(0, 0) < 0)
		child_fail(report, SPAWN_STEP_SETPGID, errno);
	if (inherit->take_terminal)
		tcsetpgrp(STDIN_FILENO, getpgrp());	/* no tty: ENOTTY, fine */
}

/* Only fds 0-2 survive exec: everything else svd holds is close-on-exec
 * already; this also catches fds svd inherited without the flag. */
static void child_close_fds(const struct child_report *report)
{
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	for (int fd = 3; fd < 1024; fd++)
		if (fd != report->fd)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* TTYReset=: whatever the terminal's last user left (raw mode, no echo,
 * a VT in graphics mode) is undone, as systemd's reset_terminal_fd()
 * does: the next getty meets a terminal as after boot. Best effort: a
 * terminal that refuses one setting still gets the others. */
static void tty_reset(int fd)
{
	struct termios t;

	ioctl(fd, TIOCNXCL);
	ioctl(fd, KDSETMODE, KD_TEXT);		/* not a VT: ENOTTY, fine */
	if (tcgetattr(fd, &t) < 0)
		return;
	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | ISTRIP | INLCR | IGNCR | IUCLC);
	t.c_iflag |= ICRNL | IMAXBEL | IUTF8;
	t.c_oflag |= ONLCR | OPOST;
	t.c_cflag |= CREAD;
	t.c_lflag = ISIG | ICANON | IEXTEN | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE;
	t.c_cc[VINTR] = 003;
	t.c_cc[VQUIT] = 034;
	t.c_cc[VERASE] = 0177;
	t.c_cc[VKILL] = 025;
	t.c_cc[VEOF] = 004;
	t.c_cc[VSTART] = 021;
	t.c_cc[VSTOP] = 023;
	t.c_cc[VSUSP] = 032;
	t.c_cc[VLNEXT] = 026;
	t.c_cc[VWERASE] = 027;
	t.c_cc[VREPRINT] = 022;
	t.c_cc[VEOL] = 0;
	t.c_cc[VEOL2] = 0;
	t.c_cc[VTIME] = 0;
	t.c_cc[VMIN] = 1;
	tcsetattr(fd, TCSANOW, &t);
	tcflush(fd, TCIOFLUSH);
}

/* TTYVTDisallocate=: the VT's memory (its scrollback, what the last user
 * saw) goes; the active VT cannot be deallocated, so it is cleared. */
static void tty_vt_disallocate(const struct spawn_tty *tty)
{
	static const char clear[] = "\033[r\033[H\033[3J";
	int fd = open("/dev/tty0", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	int r = fd < 0 ? -1 : ioctl(fd, VT_DISALLOCATE, tty->vt);

	if (fd >= 0)
		close(fd);
	if (r == 0 || (fd = open(tty->path, O_WRONLY | O_NOCTTY | O_NONBLOCK |
				 O_CLOEXEC)) < 0)
		return;
	if (write(fd, clear, sizeof(clear) - 1) < 0) {
		/* a terminal that takes no output has nothing to clear */
	}
	close(fd);
}

/* TTYReset=, TTYVHangup=, TTYVTDisallocate=, before the terminal is
 * opened for good: a hang-up also hangs up the fd it was made on. */
static void child_tty_prepare(const struct spawn_tty *tty)
{
	int fd;

	if (tty->reset || tty->vhangup) {
		fd = open(tty->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			if (tty->reset)
				tty_reset(fd);
			if (tty->vhangup)
				ioctl(fd, TIOCVHANGUP);
			close(fd);
		}
	}
	if (tty->vt > 0)
		tty_vt_disallocate(tty);
}

/* The service's terminal, as its controlling terminal when it is stdin
 * (the child leads a new session since setsid). StandardInput=tty waits
 * while another session holds it (polling: the child is forked for a
 * terminal, svd does not wait; a stop kills it), tty-force takes it,
 * tty-fail fails the start. */
static int child_tty_open(const struct spawn_tty *tty,
			  const struct child_report *report)
{
	const struct timespec poll_interval = { 0, 100 * 1000 * 1000 };
	struct winsize size;
	int fd;

	child_tty_prepare(tty);
	if (tty->take == SPAWN_TTY_OUTPUT_ONLY) {
		fd = open(tty->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			child_fail(report, SPAWN_STEP_TTY, errno);
		return fd;
	}
	for (;;) {
		fd = open(tty->path, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			child_fail(report, SPAWN_STEP_TTY, errno);
		if (ioctl(fd, TIOCSCTTY, tty->take == SPAWN_TTY_FORCE) == 0)
			break;
		if (errno != EPERM || tty->take != SPAWN_TTY_WAIT)
			child_fail(report, SPAWN_STEP_TTY, errno);
		close(fd);
		nanosleep(&poll_interval, NULL);
	}
	if ((tty->rows >= 0 || tty->columns >= 0) &&
	    ioctl(fd, TIOCGWINSZ, &size) == 0) {
		if (tty->rows >= 0)
			size.ws_row = (unsigned short)tty->rows;
		if (tty->columns >= 0)
			size.ws_col = (unsigned short)tty->columns;
		ioctl(fd, TIOCSWINSZ, &size);
	}
	return fd;
}

/* The fd a stream should get, at 3 or above so that setting up one
 * stream never overwrites the source of another; -1 to leave it. */
static int child_stdio_source(const struct spawn_fd *spec, int target,
			      int tty_fd, const struct child_report *report)
{
	int fd, moved;

	switch (spec->source) {
	case SPAWN_FD_KEEP:
	case SPAWN_FD_LIKE_STDOUT:
		return -1;
	case SPAWN_FD_TTY:
		fd = tty_fd;
		break;
	case SPAWN_FD_NULL:
		fd = open("/dev/null", (target == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
		break;
	case SPAWN_FD_OPEN:
		fd = open(spec->path, spec->flags | O_CLOEXEC | O_NOCTTY, 0644);
		break;
	default:
		fd = spec->fd;
		break;
	}
	if (fd < 0)
		child_fail(report, SPAWN_STEP_STDIN + target, errno);
	if (fd > 2)
		return fd;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (moved < 0)
		child_fail(report, SPAWN_STEP_STDIN + target, errno);
	return moved;
}

/* Fds 0-2 as the unit asks; sources are close-on-exec, the copies at
 * 0-2 are not. */
static void child_stdio(const struct spawn_request *req, const struct child_report *report)
{
	const struct spawn_fd *stdio = req->stdio;
	int source[3], tty_fd = -1;

	if (req->tty.path)
		tty_fd = child_tty_open(&req->tty, report);
	for (int target = 0; target < 3; target++)
		source[target] = child_stdio_source(&stdio[target], target,
						    tty_fd, report);
	for (int target = 0; target < 3; target++)
		if (source[target] >= 0 && dup2(source[target], target) < 0)
			child_fail(report, SPAWN_STEP_STDIN + target, errno);
	if (stdio[2].source == SPAWN_FD_LIKE_STDOUT && dup2(1, 2) < 0)
		child_fail(report, SPAWN_STEP_STDERR, errno);
}

/* As systemd: where svd may not raise a hard limit (a container
 * without CAP_SYS_RESOURCE), the service gets as close as allowed
 * rather than not starting. */
static int setrlimit_closest(int resource, const struct rlimit *want)
{
	struct rlimit now, closest;

	if (setrlimit(resource, want) == 0)
		return 0;
	if (errno != EPERM || getrlimit(resource, &now) < 0)
		return -1;
	closest.rlim_max = want->rlim_max < now.rlim_max ? want->rlim_max : now.rlim_max;
	closest.rlim_cur = want->rlim_cur < closest.rlim_max ? want->rlim_cur :
			   closest.rlim_max;
	return setrlimit(resource, &closest);
}

/* Limit*=, and svd's own start-up soft RLIMIT_NOFILE for a service that
 * sets none (svd raised its own for its many pipes; select() in a
 * service would break past 1024). Before dropping root: only root may
 * raise a hard limit. */
static void child_limits(const struct spawn_request *req, const struct child_report *report)
{
	for (int resource = 0; req->limits && resource < RLIM_NLIMITS; resource++) {
		const struct unit_rlimit *limit = &req->limits[resource];
		struct rlimit value = { limit->soft, limit->hard };

		if (limit->set && setrlimit_closest(resource, &value) < 0)
			child_fail(report, SPAWN_STEP_LIMIT + resource, errno);
	}
	if (req->nofile_soft && !(req->limits && req->limits[RLIMIT_NOFILE].set)) {
		struct rlimit nofile;

		if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
		    nofile.rlim_cur > req->nofile_soft) {
			nofile.rlim_cur = req->nofile_soft;
			setrlimit(RLIMIT_NOFILE, &nofile);
		}
	}
}

/* The sockets of LISTEN_FDS= at 3, 4, ...: each source goes above the
 * targets first, so that placing one never overwrites another (nor the
 * status pipe of a forked child, moved up too). dup2 leaves the copies
 * open across exec; the sources stay close-on-exec. */
static void child_pass_fds(const struct spawn_request *req,
			   struct child_report *report)
{
	int top = 3 + (int)req->n_pass_fds;

	if (req->n_pass_fds == 0)
		return;
	if (report->fd >= 3 && report->fd < top) {
		int moved = fcntl(report->fd, F_DUPFD_CLOEXEC, top);

		if (moved < 0)
			child_fail(report, SPAWN_STEP_FDS, errno);
		report->fd = moved;
	}
	for (size_t i = 0; i < req->n_pass_fds; i++)
		if (req->pass_fds[i] < top &&
		    (req->pass_fds[i] = fcntl(req->pass_fds[i], F_DUPFD_CLOEXEC,
					      top)) < 0)
			child_fail(report, SPAWN_STEP_FDS, errno);
	for (size_t i = 0; i < req->n_pass_fds; i++)
		if (dup2(req->pass_fds[i], 3 + (int)i) < 0)
			child_fail(report, SPAWN_STEP_FDS, errno);
}

/* WATCHDOG_PID= and LISTEN_PID= are the main process's own pid, which
 * only the child knows: the parent left room (SPAWN_WATCHDOG_PID_ROOM). */
static void child_fill_pid(char *const *env, const char *key)
{
	size_t key_len = strlen(key);
	char digits[16];
	int n = 0;

	for (pid_t pid = getpid(); pid > 0 && n < (int)sizeof(digits); pid /= 10)
		digits[n++] = (char)('0' + pid % 10);
	for (size_t i = 0; env && env[i]; i++) {
		char *out;

		if (strncmp(env[i], key, key_len) != 0)
			continue;
		out = env[i] + key_len;
		if (strlen(out) < (size_t)n)
			return;	/* no room was left: leave it as it is */
		while (n > 0)
			*out++ = digits[--n];
		*out = '\0';
		return;
	}
}

/* spawn_caps' steps as the child reports them. */
static int caps_step(int step)
{
	switch (step) {
	case SPAWN_CAPS_BOUNDING:
		return SPAWN_STEP_BOUNDING;
	case SPAWN_CAPS_AMBIENT:
		return SPAWN_STEP_AMBIENT;
	case SPAWN_CAPS_SECUREBITS:
		return SPAWN_STEP_SECUREBITS;
	default:
		return SPAWN_STEP_NO_NEW_PRIVS;
	}
}

/* Who the command runs as, between the capability steps around it
 * (see spawn_caps.h for their order and why). */
static void child_user(const struct spawn_request *req,
		       const struct child_report *report)
{
	int step;

	if (spawn_caps_before_user(&req->caps, req->user != NULL, &step) < 0)
		child_fail(report, caps_step(step), errno);
	if (req->user) {
		/* PrivateUsers= set them before its user namespace. */
		if (!(req->ns && req->ns->private_users) &&
		    setgroups((size_t)req->user->n_groups, req->user->groups) < 0)
			child_fail(report, SPAWN_STEP_GROUPS, errno);
		if (setresgid(req->user->gid, req->user->gid, req->user->gid) < 0)
			child_fail(report, SPAWN_STEP_GROUP, errno);
		if (setresuid(req->user->uid, req->user->uid, req->user->uid) < 0)
			child_fail(report, SPAWN_STEP_USER, errno);
	}
	if (spawn_caps_after_user(&req->caps, &step) < 0)
		child_fail(report, caps_step(step), errno);
}

static _Noreturn void child_run(const struct spawn_request *req,
				const char *path, char *const *argv,
				const struct child_report *report)
{
	struct child_report moved_report = *report;
	sigset_t all;
	int step;

	/* Nothing may interrupt the set-up: signals wait for exec. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* "0" is the writer itself: no number to format. First, so that
	 * nothing it does escapes the cgroup. */
	if (req->join_cgroup && write(req->cgroup_procs_fd, "0", 1) != 1)
		child_fail(report, SPAWN_STEP_CGROUP, errno);
	if (req->idle_pipe && req->idle_pipe[1] >= 0)
		close(req->idle_pipe[1]);
	if (req->idle_wait) {
		struct pollfd idle = { .fd = req->idle_pipe[0], .events = POLLIN };

		poll(&idle, 1, SPAWN_IDLE_WAIT_MS);	/* hang-up or time out */
	}
	if (req->inherit) {
		child_own_group(req->inherit, report);
	} else {
		if (setsid() < 0)
			child_fail(report, SPAWN_STEP_SETSID, errno);
		child_stdio(req, report);
	}
	child_close_fds(report);
	child_pass_fds(req, &moved_report);
	report = &moved_report;
	child_limits(req, report);
	/* Before giving up root: only root may lower the nice value. */
	if (req->nice_set && setpriority(PRIO_PROCESS, 0, req->nice) < 0)
		child_fail(report, SPAWN_STEP_NICE, errno);
	if (spawn_private_dirs(req->private_dirs) < 0)
		child_fail(report, SPAWN_STEP_PRIVATE_DIRS, errno);
	/* As root, on svd's paths, before RootDirectory=, after
	 * DynamicUser='s directories (a read-only tree takes no mount
	 * point): the mounts. Then
	 * the user namespace, which the kernel refuses a chrooted caller. */
	if (req->ns && spawn_ns_apply(req->ns, &step) < 0)
		child_fail(report, SPAWN_STEP_SANDBOX + step, errno);
	if (req->ns && req->ns->private_users &&
	    spawn_ns_users(req->ns, req->user ? req->user->groups : NULL,
			   req->user ? req->user->n_groups : 0) < 0)
		child_fail(report, SPAWN_STEP_SANDBOX + SANDBOX_PRIVATE_USERS, errno);
	if (req->root_directory && chroot(req->root_directory) < 0)
		child_fail(report, SPAWN_STEP_ROOT, errno);
	child_user(req, report);
	/* As the user: the new keyring is its own, in its quota. */
	if (!req->inherit && spawn_keyring(req->keyring_mode) < 0)
		child_fail(report, SPAWN_STEP_KEYRING, errno);
	if (!req->inherit)
		umask((mode_t)req->umask);
	/* As the user: its permissions decide whether it may go there. */
	if (!req->inherit &&
	    chdir(req->working_directory ? req->working_directory : "/") < 0 &&
	    !req->working_directory_optional)
		child_fail(report, SPAWN_STEP_CHDIR, errno);
	/* As late as systemd applies them: the secure bits may lock what
	 * the steps before still change, and no_new_privs is the command's
	 * own restriction. */
	if (spawn_caps_last(&req->caps, &step) < 0)
		child_fail(report, caps_step(step), errno);
	child_reset_signals(req->inherit, req->ignore_sigpipe);
	if (req->watchdog_pid)
		child_fill_pid(req->env, "WATCHDOG_PID=");
	if (req->n_pass_fds)
		child_fill_pid(req->env, "LISTEN_PID=");
	/* The very last step, as systemd: a filter may forbid any call the
	 * set-up above still needs. */
	if (spawn_seccomp_apply(&req->seccomp, &step) < 0)
		child_fail(report, SPAWN_STEP_SECCOMP + step, errno);
	execve(path, argv, req->env);
	child_fail(report, SPAWN_STEP_EXEC, errno);
}

/* A child that shares svd's memory stops svd until it execs: it may only
 * be used where nothing before exec can wait for long. Opening a path for
 * StandardInput=/StandardOutput= can (a FIFO without its other end, a
 * terminal, one another session holds): those children are forked. */
static bool may_block_before_exec(const struct spawn_request *req)
{
	if (req->idle_wait)
		return true;
	for (int target = 0; target < 3; target++)
		if (req->stdio[target].source == SPAWN_FD_OPEN ||
		    req->stdio[target].source == SPAWN_FD_TTY)
			return true;
	return false;
}

/* Copying svd's page tables and then dropping them at exec is most of what
 * a fork costs svd, and grows with its memory: the child borrows the
 * parent's memory instead, as posix_spawn() does, and svd waits the few
 * microseconds until it has exec'd. Every signal stays blocked in between
 * (svd takes its signals from a signalfd, but nothing of svd's may run in
 * the child); the child sets its own mask before exec. */
static pid_t vfork_child(const struct spawn_request *req, const char *path,
			 char *const *argv, volatile struct spawn_failure *shared)
{
	const struct child_report report = { .fd = -1, .shared = shared };
	sigset_t all, old;
	pid_t pid;
	int err;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0)
		child_run(req, path, argv, &report);
	err = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return pid;
}

static pid_t fork_child(const struct spawn_request *req, const char *path,
			char *const *argv, int *status_fd)
{
	int fds[2];
	pid_t pid;
	int err;

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		const struct child_report report = { .fd = fds[1] };

		child_run(req, path, argv, &report);
	}
	err = errno;
	close(fds[1]);
	if (pid < 0)
		close(fds[0]);
	else
		*status_fd = fds[0];
	errno = err;
	return pid;
}

/* Whether a vfork child really shares svd's memory: valgrind and
 * qemu-user run vfork as a plain fork, and a failure the child wrote
 * into memory would then be lost. Asked once, by a child that only
 * writes and exits. */
static bool vfork_shares_memory(void)
{
	static int known = -1;	/* a fact about this process, found once */
	volatile int written = 0;
	pid_t pid;

	if (known >= 0)
		return known;
	pid = vfork();
	if (pid == 0) {
		written = 1;
		_exit(0);
	}
	if (pid < 0)
		return false;	/* asked again at the next spawn */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	known = written == 1;
	return known;
}

int spawn_start(const struct spawn_request *req, struct spawn_result *result)
{
	char **argv = exec_expand_argv(req->cmd, req->env);
	char *path = NULL;
	volatile struct spawn_failure shared = { .step = -1 };
	int err;

	*result = (struct spawn_result){ .status_fd = -1 };
	if (!argv)
		return -1;
	path = resolve_path(req->cmd->path, req->env, req->root_directory);
	/* A command missing from PATH still goes through the child, so that
	 * it fails exactly like a missing absolute path: exit 127, ENOENT. */
	if (!path && errno == ENOMEM)
		goto fail;
	if (may_block_before_exec(req) || !vfork_shares_memory())
		result->pid = fork_child(req, path ? path : req->cmd->path, argv,
					 &result->status_fd);
	else
		result->pid = vfork_child(req, path ? path : req->cmd->path, argv,
					  &shared);
	if (result->pid < 0)
		goto fail;
	if (result->status_fd < 0 && shared.step >= 0) {
		result->failed = true;
		result->failure = (struct spawn_failure){ shared.step, shared.error };
	}
	strv_free(argv);
	free(path);
	return 0;
fail:
	err = errno;
	strv_free(argv);
	free(path);
	errno = err;
	return -1;
}

int spawn_read_status(int status_fd, struct spawn_failure *failure)
{
	ssize_t n;

	do
		n = read(status_fd, failure, sizeof(*failure));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	if ((size_t)n != sizeof(*failure)) {
		/* A pipe write this small is atomic; anything else is a bug,
		 * reported as an I/O error rather than misread. */
		failure->step = SPAWN_STEP_EXEC;
		failure->error = EIO;
	}
	return 1;
}
