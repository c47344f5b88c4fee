/* spawn: start a service command without blocking the loop.
 *
 * The parent prepares everything that allocates (argv, envp, the resolved
 * path) before the child exists; the child runs a straight line of
 * async-signal-safe calls and, if a step fails, leaves {step, errno} where
 * the parent reads it and _exits. Most children share svd's memory until
 * they exec (vfork), so the outcome is known when spawn_start returns; a
 * child whose set-up may wait is forked, and tells through a close-on-exec
 * pipe the parent watches: end-of-file means exec succeeded, a record means
 * it did not. */
#ifndef SVD_SPAWN_H
#define SVD_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "exec.h"
#include "spawn_caps.h"
#include "spawn_ns.h"
#include "spawn_ident.h"
#include "spawn_seccomp.h"
#include "unit.h"

/* What the child was doing when it failed. */
enum spawn_step {
	SPAWN_STEP_EXEC,	/* execve itself */
	SPAWN_STEP_SETSID,
	SPAWN_STEP_STDIO,	/* setting up fds 0-2 */
	SPAWN_STEP_CHDIR,	/* WorkingDirectory= */
	SPAWN_STEP_SETPGID,	/* the main command's process group */
	SPAWN_STEP_NICE,	/* Nice= */
	SPAWN_STEP_GROUPS,	/* SupplementaryGroups= and the user's */
	SPAWN_STEP_GROUP,	/* Group= */
	SPAWN_STEP_USER,	/* User= */
	SPAWN_STEP_STDIN,	/* StandardInput= */
	SPAWN_STEP_STDOUT,	/* StandardOutput= */
	SPAWN_STEP_STDERR,	/* StandardError= */
	SPAWN_STEP_ROOT,	/* RootDirectory= */
	SPAWN_STEP_FDS,		/* the sockets at fd 3 and up (LISTEN_FDS=) */
	SPAWN_STEP_BOUNDING,	/* CapabilityBoundingSet= */
	SPAWN_STEP_AMBIENT,	/* AmbientCapabilities= */
	SPAWN_STEP_SECUREBITS,	/* SecureBits=, or the keep-caps ambient ones need */
	SPAWN_STEP_NO_NEW_PRIVS, /* NoNewPrivileges= */
	SPAWN_STEP_CGROUP,	/* joining the service's cgroup */
	SPAWN_STEP_TTY,		/* TTYPath=: opening it, or taking it as the
				   controlling terminal */
	SPAWN_STEP_PRIVATE_DIRS, /* DynamicUser='s directories (privdirs.h) */
	SPAWN_STEP_KEYRING,	/* KeyringMode= */
	/* + enum syscall_key: that key's system call filter (or the
	 * no_new_privs it needs) */
	SPAWN_STEP_SECCOMP,
	/* + RLIMIT_*: that Limit*= */
	SPAWN_STEP_LIMIT = SPAWN_STEP_SECCOMP + SYSCALL_KEY_COUNT,
	/* + enum sandbox_key: that key's namespace or mount (spawn_ns.h),
	 * after the Limit*= steps */
	SPAWN_STEP_SANDBOX = SPAWN_STEP_LIMIT + RLIM_NLIMITS,
};

/* The record the child writes; small enough to be written atomically. */
struct spawn_failure {
	int step;		/* enum spawn_step */
	int error;		/* errno */
};

/* What container mode's main command inherits from svd's own start
 * instead of a service's clean slate: fds 0-2 and the working directory as
 * they are, and the signal mask and ignored signals svd was started with
 * (so `nohup svd -- cmd` keeps SIGHUP ignored). */
struct spawn_inherit {
	sigset_t mask;		/* svd's signal mask at start */
	sigset_t ignored;	/* signals that were SIG_IGN at start */
	bool take_terminal;	/* make its process group the tty's foreground */
};

/* Records svd's own signal state, before it changes any. */
void spawn_inherit_capture(struct spawn_inherit *inherit);

/* Where one of fds 0-2 of the child comes from. */
enum spawn_fd_source {
	SPAWN_FD_KEEP,		/* as svd has it */
	SPAWN_FD_NULL,		/* /dev/null */
	SPAWN_FD_GIVEN,		/* fd, one of svd's (close-on-exec) */
	SPAWN_FD_OPEN,		/* path, opened in the child with flags */
	SPAWN_FD_LIKE_STDOUT,	/* stderr only: whatever fd 1 became */
	SPAWN_FD_TTY,		/* the terminal of struct spawn_tty */
};

/* How a service's stdin takes its terminal as its controlling terminal
 * (systemd.exec(5) StandardInput=tty, tty-force, tty-fail). */
enum spawn_tty_take {
	SPAWN_TTY_OUTPUT_ONLY,	/* not stdin: opened for writing, not taken */
	SPAWN_TTY_WAIT,		/* wait while another session holds it */
	SPAWN_TTY_FORCE,	/* take it from another session */
	SPAWN_TTY_FAIL,		/* fail the start if another session holds it */
};

/* The terminal of a service with StandardInput/Output/Error=tty. */
struct spawn_tty {
	const char *path;	/* NULL: the service has no terminal */
	enum spawn_tty_take take;
	bool reset;		/* TTYReset=: sane termios, buffers flushed */
	bool vhangup;		/* TTYVHangup=: whoever has it open hangs up */
	int vt;			/* TTYVTDisallocate= of /dev/ttyN: N, else -1 */
	int rows, columns;	/* TTYRows=, TTYColumns=; -1: as it is */
};

struct spawn_fd {
	enum spawn_fd_source source;
	int fd;			/* SPAWN_FD_GIVEN */
	const char *path;	/* SPAWN_FD_OPEN */
	int flags;		/* SPAWN_FD_OPEN: O_RDONLY, O_WRONLY|O_APPEND... */
};

struct spawn_request {
	const struct exec_cmd *cmd;
	char *const *env;		/* the service's full environment */
	const char *working_directory;	/* NULL: "/" (services) */
	bool working_directory_optional;
	const char *unit_name;		/* for error messages */
	/* NULL for services; for the main command, run it in its own process
	 * group (not session, to keep the terminal), in svd's working
	 * directory, with svd's stdio and start-up signal state. */
	const struct spawn_inherit *inherit;
	/* env holds WATCHDOG_PID=SPAWN_WATCHDOG_PID_ROOM: the child puts
	 * its pid there. */
	bool watchdog_pid;
	/* Who it runs as (numbers resolved by svd), or NULL for root. */
	const struct spawn_user *user;
	int umask;			/* UMask= */
	/* KeyringMode= (enum unit_keyring_mode); services only */
	unsigned char keyring_mode;
	/* NULL, or DynamicUser='s directories to bind */
	const struct spawn_private *private_dirs;
	struct spawn_fd stdio[3];	/* services: all SPAWN_FD_NULL by default */
	struct spawn_tty tty;		/* for SPAWN_FD_TTY */
	/* Type=idle (see service_env's idle_pipe), or NULL: the child closes
	 * its copy of the write end [1] (else an idle one would wait for
	 * itself), and with idle_wait waits up to SPAWN_IDLE_WAIT_MS for the
	 * read end [0] to hang up. -1s: the pipe is gone. */
	const int *idle_pipe;
	bool idle_wait;
	const char *root_directory;	/* RootDirectory=, or NULL */
	const struct unit_rlimit *limits; /* RLIM_NLIMITS of them, or NULL */
	/* The soft RLIMIT_NOFILE svd was started with: svd raises its own,
	 * a service without LimitNOFILE= gets this one back (0: as is). */
	rlim_t nofile_soft;
	bool ignore_sigpipe;		/* IgnoreSIGPIPE=: services only */
	/* Socket activation: these fds (svd's, close-on-exec) go to 3, 4,
	 * ... in order; the child uses the array as its scratch. env holds
	 * LISTEN_PID=SPAWN_WATCHDOG_PID_ROOM for the child to fill. */
	int *pass_fds;
	size_t n_pass_fds;
	bool nice_set;			/* Nice= given */
	int nice;
	struct spawn_caps caps;		/* capabilities, secure bits, no_new_privs */
	struct spawn_seccomp seccomp;	/* system call filters, loaded last */
	/* ProtectSystem=, PrivateTmp=, ...: namespaces and mounts, or NULL */
	const struct spawn_ns *ns;
	/* The cgroup.procs of the service's cgroup (svd's fd, close-on-exec):
	 * the child writes itself there first thing. */
	bool join_cgroup;
	int cgroup_procs_fd;
};

struct spawn_user {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	int n_groups;
};

/* systemd's cap on a Type=idle start's wait for the boot's other jobs. */
#define SPAWN_IDLE_WAIT_MS 5000

/* Room for any pid in a WATCHDOG_PID= value. */
#define SPAWN_WATCHDOG_PID_ROOM "00000000000"

/* What spawn_start knows as it returns. A child that shares svd's memory
 * until exec (vfork) has exec'd or failed by then; a forked one (where a
 * step before exec may wait: a path to open for fds 0-2) tells through
 * its status pipe. */
struct spawn_result {
	pid_t pid;
	int status_fd;		/* the pipe to read, or -1: known below */
	bool failed;		/* status_fd -1: it did not exec, as failure says */
	struct spawn_failure failure;
};

/* Starts the command. On success returns 0 with *result. Returns -1 with
 * errno when no child was created: the command could not be prepared, or
 * pipe/fork failed (ENOENT for a command not in PATH is reported by the
 * child, exactly like a missing absolute path). */
int spawn_start(const struct spawn_request *req, struct spawn_result *result);

/* Reads the status pipe: 1 with *failure filled, 0 at end-of-file (exec
 * succeeded), -1 with errno (EAGAIN: nothing yet). */
int spawn_read_status(int status_fd, struct spawn_failure *failure);

const char *spawn_step_name(int step);
/* EAGAIN, ENOMEM, EMFILE, ENFILE, ETXTBSY: worth a retry later. */
bool spawn_errno_is_transient(int err);

/* The PATH a service gets, as systemd sets it. */
#define SPAWN_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#endif
