/* unit: loading NAME.service files (systemd syntax) into struct unit.
 *
 * The loader reads files and directories and nothing else: no other system
 * call, no global state, so svd and `svctl verify` run the very same checks.
 * Problems are reported through a diagnostic callback as
 * "FILE:LINE: message"; an error makes the unit fail to load, a warning
 * (unknown or unsupported key) does not. */
#ifndef SVD_UNIT_H
#define SVD_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include "exec.h"
#include "resource.h"
#include "sandbox_fs.h"
#include "sockaddr.h"
#include "syscall_filter.h"
#include "value.h"

/* Longest logical line (after joining `\` continuations) that the parser
 * accepts; longer ones are an error naming the line, never truncated. */
#define UNIT_LINE_MAX_BYTES (64 * 1024)
/* Largest unit file or drop-in read. */
#define UNIT_FILE_MAX_BYTES (1024 * 1024)

/* What a unit file is, by its suffix. */
enum unit_kind {
	UNIT_KIND_SERVICE,	/* NAME.service: processes to run */
	UNIT_KIND_SOCKET,	/* NAME.socket: listening sockets that start a
				   service (systemd.socket(5)) */
	UNIT_KIND_TARGET,	/* NAME.target: nothing to run, a point the
				   units it pulls in reach (systemd.target(5)) */
	/* Never read from a file: made up by svd for a name it meets. */
	UNIT_KIND_MOUNT,	/* NAME.mount: its path is a mount point */
	UNIT_KIND_DEVICE,	/* NAME.device: its device node exists */
};

enum unit_type {
	UNIT_TYPE_SIMPLE,	/* running once forked and exec'd */
	UNIT_TYPE_EXEC,		/* same as simple in svd: start waits for exec */
	UNIT_TYPE_ONESHOT,	/* started when ExecStart= has exited */
	UNIT_TYPE_FORKING,	/* started when ExecStart= exits 0, leaving the daemon */
	UNIT_TYPE_NOTIFY,	/* parsed; readiness through sd_notify */
	UNIT_TYPE_NOTIFY_RELOAD,
	UNIT_TYPE_DBUS,		/* parsed; svd has no D-Bus */
	UNIT_TYPE_IDLE,		/* run as simple */
};

enum unit_restart {
	UNIT_RESTART_NO,
	UNIT_RESTART_ALWAYS,
	UNIT_RESTART_ON_SUCCESS,
	UNIT_RESTART_ON_FAILURE,
	UNIT_RESTART_ON_ABNORMAL,
	UNIT_RESTART_ON_ABORT,
	UNIT_RESTART_ON_WATCHDOG,
};

enum unit_kill_mode {
	UNIT_KILL_CONTROL_GROUP, /* the whole process group (svd's default) */
	UNIT_KILL_PROCESS,	 /* the main process only */
	UNIT_KILL_MIXED,	 /* KillSignal to main, SIGKILL to the group */
	UNIT_KILL_NONE,		 /* nobody: svd only waits */
};

/* OOMPolicy=: what an OOM kill inside the service's cgroup leads to. */
enum unit_oom_policy {
	UNIT_OOM_STOP,		/* the service is stopped: Result=oom-kill */
	UNIT_OOM_KILL,		/* the rest of its cgroup is killed too */
	UNIT_OOM_CONTINUE,	/* only noted */
};

/* Whose sd_notify messages count (NotifyAccess=). */
enum unit_notify_access {
	UNIT_NOTIFY_NONE,
	UNIT_NOTIFY_MAIN,	/* the main process */
	UNIT_NOTIFY_EXEC,	/* main and control processes */
	UNIT_NOTIFY_ALL,	/* any process of the service's session */
};

/* [Unit] dependencies, with systemd's meaning: After=/Before= order,
 * the others pull in or stop other units. */
enum unit_dep {
	UNIT_DEP_REQUIRES,
	UNIT_DEP_REQUISITE,
	UNIT_DEP_WANTS,
	UNIT_DEP_BINDS_TO,
	UNIT_DEP_PART_OF,
	UNIT_DEP_CONFLICTS,
	UNIT_DEP_AFTER,
	UNIT_DEP_BEFORE,
	UNIT_DEP_COUNT,
};

/* Commands besides ExecStart=, run as the service's control process. */
enum unit_exec {
	UNIT_EXEC_CONDITION,	/* before all: 1-254 skips the start */
	UNIT_EXEC_START_PRE,
	UNIT_EXEC_START_POST,	/* once the main process is started */
	UNIT_EXEC_RELOAD,	/* svctl reload */
	UNIT_EXEC_STOP,		/* before the stop signal */
	UNIT_EXEC_STOP_POST,	/* after the main process, whatever ended it */
	UNIT_EXEC_COUNT,
};

/* The Condition*=/Assert*= tests svd evaluates; the others are warned
 * about as unsupported. */
enum unit_condition_type {
	UNIT_COND_PATH_EXISTS,
	UNIT_COND_PATH_EXISTS_GLOB,
	UNIT_COND_PATH_IS_DIRECTORY,
	UNIT_COND_PATH_IS_SYMBOLIC_LINK,
	UNIT_COND_DIRECTORY_NOT_EMPTY,
	UNIT_COND_FILE_NOT_EMPTY,
	UNIT_COND_FILE_IS_EXECUTABLE,
	UNIT_COND_VIRTUALIZATION,
	UNIT_COND_HOST,
	UNIT_COND_CAPABILITY,	/* in svd's capability bounding set */
	UNIT_COND_COUNT,
};

struct unit_condition {
	enum unit_condition_type type;
	bool assert;		/* Assert...=: failing fails the start */
	bool trigger;		/* "|": one trigger of the set must hold */
	bool negate;		/* "!" */
	char *arg;		/* path, glob, host name or virtualization */
};

/* Where a standard stream of the service goes (StandardInput=,
 * StandardOutput=, StandardError=). */
enum unit_stdio {
	UNIT_STDIO_DEFAULT,	/* not given: stdin null, stdout svd's log,
				   stderr where stdout goes */
	UNIT_STDIO_INHERIT,	/* stdout: svd's own; stderr: as stdout */
	UNIT_STDIO_NULL,	/* /dev/null */
	UNIT_STDIO_LOG,		/* journal, syslog, kmsg: svd's log */
	UNIT_STDIO_LOG_CONSOLE,	/* journal+console...: also svd's stderr */
	UNIT_STDIO_FILE,	/* file:PATH: read, or written from the start */
	UNIT_STDIO_APPEND,	/* append:PATH */
	UNIT_STDIO_TRUNCATE,	/* truncate:PATH */
	UNIT_STDIO_SOCKET,	/* the socket the service was started for */
	UNIT_STDIO_TTY,		/* TTYPath=; input: its controlling terminal,
				   waiting while another session holds it */
	UNIT_STDIO_TTY_FORCE,	/* input only: taken from another session */
	UNIT_STDIO_TTY_FAIL,	/* input only: the start fails if it is held */
};

/* The Listen*= settings of a .socket unit. */
enum unit_listen_type {
	UNIT_LISTEN_STREAM,	/* ListenStream= */
	UNIT_LISTEN_DATAGRAM,	/* ListenDatagram= */
	UNIT_LISTEN_SEQPACKET,	/* ListenSequentialPacket= */
	UNIT_LISTEN_FIFO,	/* ListenFIFO= */
};

struct unit_listen {
	enum unit_listen_type type;
	char *text;		/* as written, specifiers resolved */
	struct listen_addr addr; /* sockets; a FIFO's path is text */
};

/* BindIPv6Only= */
enum unit_bind_ipv6 {
	UNIT_BIND_IPV6_DEFAULT,	/* the kernel's bindv6only sysctl */
	UNIT_BIND_IPV6_BOTH,
	UNIT_BIND_IPV6_ONLY,
};

/* [Socket] (systemd.socket(5)): a .socket unit's own settings. */
struct unit_socket {
	struct unit_listen *listen;	/* in the order given */
	size_t n_listen;
	char *service;		/* Service=: what it starts; NULL: NAME.service */
	char *fd_name;		/* FileDescriptorName=; NULL: the unit's name */
	char *socket_user, *socket_group; /* owners of AF_UNIX paths, FIFOs */
	char **symlinks;	/* Symlinks= to the path */
	int socket_mode;	/* SocketMode=, 0666 */
	int directory_mode;	/* DirectoryMode=, 0755: parents made */
	unsigned backlog;	/* Backlog=; the kernel caps it at somaxconn */
	unsigned max_connections; /* MaxConnections=, 64: Accept=yes */
	unsigned trigger_limit_burst; /* TriggerLimitBurst=: 0: none */
	bool trigger_limit_burst_set;
	uint64_t trigger_limit_interval_usec; /* TriggerLimitIntervalSec=, 2 s */
	uint64_t receive_buffer, send_buffer; /* 0: the kernel's */
	enum unit_bind_ipv6 bind_ipv6_only;
	bool accept;		/* Accept=: one instance per connection */
	bool reuse_port, free_bind, transparent, broadcast;
	bool pass_credentials, pass_security, keep_alive, no_delay;
	bool remove_on_stop;	/* RemoveOnStop=: unlink paths at stop */
};

/* Directories svd creates for the service (RuntimeDirectory=, ...), each
 * relative to its root (/run, /var/lib, ...; svd.conf may move them). */
enum unit_dir {
	UNIT_DIR_RUNTIME,
	UNIT_DIR_STATE,
	UNIT_DIR_CACHE,
	UNIT_DIR_LOGS,
	UNIT_DIR_CONFIGURATION,
	UNIT_DIR_COUNT,
};

/* KeyringMode= (systemd.exec(5)): the session keyring a process gets. */
enum unit_keyring_mode {
	UNIT_KEYRING_PRIVATE,	/* a new anonymous one: systemd's default
				   for system services */
	UNIT_KEYRING_INHERIT,	/* svd's own */
	UNIT_KEYRING_SHARED,	/* a new one with the user's keyring linked */
};

/* UtmpMode=: the type of the record UtmpIdentifier= writes. */
enum unit_utmp_mode {
	UNIT_UTMP_INIT,		/* INIT_PROCESS: a getty before login */
	UNIT_UTMP_LOGIN,	/* LOGIN_PROCESS, user "LOGIN" */
	UNIT_UTMP_USER,		/* USER_PROCESS, as User= */
};

enum unit_preserve {
	UNIT_PRESERVE_NO,	/* RuntimeDirectory= removed at every stop */
	UNIT_PRESERVE_YES,	/* kept */
	UNIT_PRESERVE_RESTART,	/* kept across automatic restarts only */
};

/* Limit*=: each resource svd sets, soft and hard. */
struct unit_rlimit {
	bool set;
	rlim_t soft, hard;
};

/* Defaults, from design.md. */
#define UNIT_DEFAULT_RESTART_USEC (100 * USEC_PER_MSEC)
#define UNIT_DEFAULT_TIMEOUT_STOP_USEC (10 * USEC_PER_SEC)
#define UNIT_DEFAULT_TIMEOUT_START_USEC (90 * USEC_PER_SEC)
#define UNIT_DEFAULT_START_LIMIT_BURST 5
#define UNIT_DEFAULT_START_LIMIT_INTERVAL_USEC (10 * USEC_PER_SEC)
/* systemd.socket(5)'s defaults. */
#define UNIT_DEFAULT_MAX_CONNECTIONS 64
#define UNIT_DEFAULT_TRIGGER_LIMIT_INTERVAL_USEC (2 * USEC_PER_SEC)
#define UNIT_DEFAULT_TRIGGER_LIMIT_BURST 20
#define UNIT_DEFAULT_TRIGGER_LIMIT_BURST_ACCEPT 200

/* FailureAction=, SuccessAction= (systemd.unit(5)): what svd does when
 * the unit fails, or stops after running. Outside init mode every action
 * but none ends svd (as exit; the -force ones as exit-force). */
enum unit_action {
	UNIT_ACTION_NONE,
	UNIT_ACTION_EXIT,		/* stop everything in order, exit */
	UNIT_ACTION_EXIT_FORCE,		/* sweep at once, exit */
	UNIT_ACTION_REBOOT,
	UNIT_ACTION_REBOOT_FORCE,	/* also -immediate */
	UNIT_ACTION_POWEROFF,
	UNIT_ACTION_POWEROFF_FORCE,
	UNIT_ACTION_HALT,
	UNIT_ACTION_HALT_FORCE,
	UNIT_ACTION_COUNT,
};

const char *unit_action_name(enum unit_action action);

struct unit {
	char *name;		/* "foo.service", "foo@bar.service" */
	enum unit_kind kind;	/* from the name's suffix */
	enum unit_oom_policy oom_policy;    /* OOMPolicy= */
	char *path;		/* the main file it was read from */
	char **dropin_paths;	/* drop-ins applied, in order */

	/* [Unit] */
	char *description;
	char **documentation;
	char **deps[UNIT_DEP_COUNT];	/* unit names, "x.service", "y.target" */
	struct unit_condition *conditions; /* Condition*= and Assert*=, in order */
	size_t n_conditions;
	char **on_failure;	/* OnFailure=: started when it fails */
	char **on_success;	/* OnSuccess=: started when it stops after running */
	/* RequiresMountsFor=: absolute paths, made plain (no "//", no
	 * trailing '/'); the daemon turns them into .mount requirements */
	char **requires_mounts_for;
	enum unit_action failure_action, success_action;
	/* FailureActionExitStatus=, SuccessActionExitStatus=: 0-255, or -1
	 * for the unit's own status */
	short failure_action_exit_status, success_action_exit_status;

	/* [Service] */
	enum unit_type type;
	struct exec_cmd *exec_start; /* usually one; oneshot may have several */
	size_t n_exec_start;
	struct exec_cmd *exec[UNIT_EXEC_COUNT];	/* ExecStartPre=, ... */
	unsigned n_exec[UNIT_EXEC_COUNT]; /* a handful each: unit_keys caps them */
	enum unit_restart restart;
	unsigned restart_steps;
	uint64_t restart_usec;
	/* RestartSteps=, RestartMaxDelaySec= (systemd 254): the delay grows
	 * from restart_usec to restart_max_delay_usec in that many steps;
	 * 0 / USEC_INFINITY: it does not grow. */
	uint64_t restart_max_delay_usec;
	uint64_t timeout_stop_usec;  /* USEC_INFINITY: wait forever (also "0") */
	uint64_t timeout_start_usec; /* USEC_INFINITY: wait forever (also "0") */
	int kill_signal;
	enum unit_kill_mode kill_mode;
	enum unit_notify_access notify_access; /* Type=notify: main by default */
	bool send_sigkill;
	bool remain_after_exit;
	bool notify_access_set;		    /* NotifyAccess= was given */
	bool nice_set;
	bool working_directory_optional;    /* written with a '-' prefix */
	bool tty_reset;			    /* TTYReset=: sane termios first */
	bool tty_vhangup;		    /* TTYVHangup=: others' opens hang up */
	bool tty_vt_disallocate;	    /* TTYVTDisallocate=: a VT's scrollback */
	bool send_sighup;		    /* SendSIGHUP=: SIGHUP after KillSignal= */
	bool ignore_sigpipe;		    /* IgnoreSIGPIPE=, yes as in systemd */
	bool capability_bounding_set_given;
	bool secure_bits_given;		    /* else svd's own are left as they are */
	bool no_new_privileges;		    /* NoNewPrivileges= (see
					       unit_no_new_privileges) */
	/* DynamicUser=: a uid/gid from UNIT_DYNAMIC_UID_MIN..MAX for as
	 * long as it runs (daemon/dynuser.h); see UNIT_DYNAMIC_USER_IMPLIES */
	bool dynamic_user;
	bool remove_ipc;		    /* RemoveIPC= (see unit_remove_ipc) */
	unsigned char keyring_mode;	    /* KeyringMode=: enum unit_keyring_mode */
	unsigned char utmp_mode;	    /* UtmpMode=: enum unit_utmp_mode */
	/* SuccessExitStatus=, RestartPreventExitStatus=: NULL while empty
	 * (most units; 40 bytes each otherwise). */
	struct exit_status_set *success_exit_status;
	struct exit_status_set *restart_prevent_exit_status;
	uint64_t watchdog_usec;		    /* WatchdogSec=; 0: none */
	int watchdog_signal;		    /* WatchdogSignal=, SIGABRT */
	unsigned start_limit_burst;	    /* 0: no start limit */
	uint64_t start_limit_interval_usec; /* 0: no start limit */
	char **environment;		    /* "KEY=VALUE", later wins */
	char *working_directory;	    /* NULL: "/"; "~": the home dir */
	char *pid_file;			    /* PIDFile=: Type=forking's main pid */
	char *user;			    /* User=: name or number; NULL: root */
	char *group;			    /* Group=: NULL: the user's */
	char **supplementary_groups;	    /* SupplementaryGroups= */
	int umask;			    /* UMask=, 0022 by default */
	int nice;			    /* Nice=, when nice_set */
	char **environment_files;	    /* EnvironmentFile=: "-" prefix kept */
	char **pass_environment;	    /* PassEnvironment=: names */
	char **unset_environment;	    /* UnsetEnvironment=: NAME or NAME=VALUE */
	char *root_directory;		    /* RootDirectory=: chroot, or NULL */
	/* RLIM_NLIMITS of them, by RLIMIT_*; NULL while no Limit*= is set
	 * (most units: 384 bytes each that a thousand units need not hold). */
	struct unit_rlimit *limits;
	char **directories[UNIT_DIR_COUNT]; /* RuntimeDirectory=, ...: relative */
	int directory_mode[UNIT_DIR_COUNT]; /* ...DirectoryMode=, 0755 */
	enum unit_preserve runtime_directory_preserve;
	enum unit_stdio std_input, std_output, std_error;
	int secure_bits;		    /* SecureBits=: SECBIT_* bits */
	char *std_input_path, *std_output_path, *std_error_path;
	char *syslog_identifier;	    /* SyslogIdentifier=: tags log lines */
	char *tty_path;			    /* TTYPath=; NULL: /dev/console */
	int tty_rows, tty_columns;	    /* TTYRows=, TTYColumns=; -1: unset */
	char *utmp_id;			    /* UtmpIdentifier=, or NULL: no record */
	char **sockets;			    /* Sockets=: .socket units whose fds
					       it gets, besides NAME.socket */
	struct unit_socket *socket;	    /* a .socket unit's [Socket] */
	/* CapabilityBoundingSet=: bit N keeps capability N, the others are
	 * dropped; while not given, the bounding set is left as it is. */
	uint64_t capability_bounding_set;
	uint64_t ambient_capabilities;	    /* AmbientCapabilities=: bit N */
	/* Those of ambient_capabilities named in a list rather than implied
	 * by a "~": svd fails a start that cannot give one of them, and
	 * quietly leaves out the implied ones it cannot give. */
	uint64_t ambient_capabilities_named;
	/* MemoryMax=, CPUQuota=, TasksMax=, ...: NULL while none is given */
	struct unit_resources *resources;
	/* ProtectSystem=, PrivateTmp=, ... (sandbox_fs.h): NULL while none
	 * is given, as in most units */
	struct unit_sandbox_fs *fs_sandbox;
	char *slice;			    /* Slice=, or NULL: svd.slice */
	/* SystemCallFilter=, RestrictAddressFamilies=, ... and the filters
	 * other keys imply (syscall_filter.h): NULL while none is given. */
	struct unit_syscall_sandbox *syscall_sandbox;

	/* [Install]: accepted, only recorded */
	char **wanted_by;
	char **required_by;
	char **aliases;
	char **also;		/* units enabled together with this one */
	char *default_instance;	/* a template's instance when none is given */
};

/* systemd's range for DynamicUser= (its "dynamic service users"). */
#define UNIT_DYNAMIC_UID_MIN 61184u
#define UNIT_DYNAMIC_UID_MAX 65519u

/* What DynamicUser=yes turns on and cannot be turned off, as in
 * systemd.exec(5). svd applies those it has through the helpers below;
 * the sandboxing keys among them (PrivateTmp=, ProtectSystem=strict,
 * ProtectHome=read-only, RestrictSUIDSGID=) are for the code that
 * implements those keys to ask dynamic_user too. */
#define UNIT_DYNAMIC_USER_IMPLIES "RemoveIPC=yes PrivateTmp=yes " \
	"ProtectSystem=strict ProtectHome=read-only NoNewPrivileges=yes " \
	"RestrictSUIDSGID=yes"

/* Whether DynamicUser= puts directories of kind d (enum unit_dir) under
 * ROOT/private, as systemd does: State, Cache and Logs. */
static inline bool unit_dir_is_private(int d)
{
	return d == UNIT_DIR_STATE || d == UNIT_DIR_CACHE || d == UNIT_DIR_LOGS;
}

/* RemoveIPC= as it applies: set, or implied by DynamicUser=. */
static inline bool unit_remove_ipc(const struct unit *u)
{
	return u->remove_ipc || u->dynamic_user;
}

/* NoNewPrivileges= as it applies: set, or implied by DynamicUser=. */
static inline bool unit_no_new_privileges(const struct unit *u)
{
	return u->no_new_privileges || u->dynamic_user;
}

enum unit_diag_level {
	UNIT_DIAG_WARNING,	/* the unit still loads */
	UNIT_DIAG_ERROR,	/* the unit does not load */
	/* A warning too: a key systemd knows that svd does not implement
	 * (a caller may count these rather than print each). */
	UNIT_DIAG_UNSUPPORTED,
};

/* Gets "FILE:LINE: message" (or "FILE: message" without a line). */
typedef void unit_diag_fn(void *ctx, enum unit_diag_level level,
			  const char *message);

struct unit_load_ctx {
	const char *const *dirs; /* unit directories, first wins */
	size_t n_dirs;
	/* The host's values (spec.host, from host_read()) and directories
	 * for specifiers; the loader fills in the unit's own fields. */
	struct spec_ctx spec;
	/* svd.conf's DefaultTimeoutStartSec=, DefaultTimeoutStopSec=: what a
	 * unit gets that sets none; 0 for the built-in defaults. */
	uint64_t default_timeout_start_usec, default_timeout_stop_usec;
	unit_diag_fn *diag;
	void *diag_ctx;
};

/* Loads the unit file at path (a template file "foo@.service" loads with
 * instance "" unless one is given). Drop-ins from "<path>.d/" and, for an
 * instance, from the template's ".d/" are applied. Returns 0 and *out, or
 * -1 after reporting errors through ctx->diag. */
int unit_load_file(const struct unit_load_ctx *ctx, const char *path,
		   const char *instance, struct unit **out);

enum unit_lookup {
	UNIT_LOOKUP_OK,		/* *out is the unit */
	UNIT_LOOKUP_NOT_FOUND,	/* in no directory */
	UNIT_LOOKUP_MASKED,	/* a link to /dev/null (or an empty file) */
	UNIT_LOOKUP_BAD,	/* found, but has errors (reported) */
	UNIT_LOOKUP_TEMPLATE,	/* "foo@.service" asked for without instance */
};

/* Finds a unit by name ("foo", "foo.service", "foo@bar") in ctx->dirs.
 * An alias symlink loads the unit it points to, under the target's name
 * (so (*out)->name is the canonical name); an instance loads
 * "foo@bar.service" if that file exists, else the template "foo@.service"
 * with %i = "bar". */
enum unit_lookup unit_load_name(const struct unit_load_ctx *ctx,
				const char *name, struct unit **out);

/* Applies the NAME.d/ drop-ins (*.conf) of every directory of ctx to a unit made by
 * svd (a container's command): same-named drop-ins of an earlier
 * directory win, the rest apply in the lexical order of their names.
 * Returns -1 when one had errors (reported through ctx->diag). */
int unit_apply_dropins(const struct unit_load_ctx *ctx, struct unit *unit);

void unit_free(struct unit *unit);
/* [Socket] with systemd's defaults; NULL on ENOMEM. */
struct unit_socket *unit_socket_new(void);
void unit_socket_free(struct unit_socket *socket);

/* What a directory entry is, for boot-time scanning. */
enum unit_file_kind {
	UNIT_FILE_REGULAR,	/* a unit to run */
	UNIT_FILE_TEMPLATE,	/* "foo@.service": runs only as instances */
	UNIT_FILE_ALIAS,	/* a symlink to another unit in the dirs */
	UNIT_FILE_MASKED,	/* a symlink to /dev/null */
};

struct unit_file {
	char *name;		/* "foo.service" */
	char *path;
	enum unit_file_kind kind;
	char *alias_of;		/* UNIT_FILE_ALIAS: the target's unit name */
};

/* Most unit files unit_dir_list() returns; past it, it fails (E2BIG). */
#define UNIT_LIST_MAX_FILES 10000

/* Lists every *.service in ctx->dirs, sorted by name, first directory
 * winning on duplicate names. Returns 0, or -1 with errno (an unreadable
 * directory is reported through diag and skipped, not an error). */
int unit_dir_list(const struct unit_load_ctx *ctx, struct unit_file **out,
		  size_t *n_out);
void unit_files_free(struct unit_file *files, size_t n);

/* When the regular file at path stands in for a symlink (its whole content
 * is "/dev/null" or a path to a unit name, as git writes a link where it
 * cannot make one), returns that target (malloc'd); else NULL, also for a
 * link, a FIFO or a device, which are never read. */
char *unit_link_stand_in(const char *path);

/* "foo" -> "foo.service", "foo@x" -> "foo@x.service", NULL for a name
 * with '/' or an unknown suffix or characters systemd rejects. */
char *unit_name_normalize(const char *name);
/* For "foo@bar.service": *template = "foo@.service", *instance = "bar".
 * Returns false for a name that is not an instance. */
bool unit_name_split_instance(const char *name, char **template_name,
			      char **instance);
bool unit_name_is_template(const char *name);
/* The kind a name's suffix says: ".service", ".socket" or ".target"
 * (false for another suffix: only those are read from files). */
bool unit_name_kind(const char *name, enum unit_kind *kind);
/* What the socket unit u starts (systemd.socket(5)): Service=, else its
 * own name with ".service" for ".socket"; with Accept=yes the template of
 * its prefix ("sshd@.service" for sshd.socket and sshd@vsock.socket).
 * Malloc'd; NULL on ENOMEM. */
char *unit_socket_service(const struct unit *u);
/* The length of name without a ".service" suffix ("web" of "web.service";
 * "web.socket" stays whole, so its log file is not its service's). */
size_t unit_name_stem_len(const char *name);

/* The path a .mount or .device name stands for, as systemd's
 * unit_name_to_path(): "var-lib.mount" is "/var/lib", "-.mount" "/",
 * "\x2d" a '-'. NULL with errno: EINVAL for a name that is no escaped
 * plain absolute path (no "..", "//"), ENOMEM. */
char *unit_name_to_path(const char *name);
/* systemd's unit_name_from_path(): "/var/lib" with ".mount" is
 * "var-lib.mount", "/" "-.mount". path is plain (unit.h's
 * requires_mounts_for). NULL on ENOMEM. */
char *unit_name_from_path(const char *path, const char *suffix);

/* Makes an absolute path plain in place ("//a/b/" is "/a/b"); false
 * for a relative one or one with a "." or ".." component, as systemd's
 * path_simplify_and_warn() refuses them. */
bool unit_path_plain(char *path);

/* A unit as an empty file would give: systemd's defaults, no command.
 * NULL on ENOMEM. */
struct unit *unit_new(void);
const char *unit_type_name(enum unit_type type);
const char *unit_restart_name(enum unit_restart restart);
const char *unit_kill_mode_name(enum unit_kill_mode mode);
const char *unit_notify_access_name(enum unit_notify_access access);
/* "PathExists", ...: the key's name after Condition or Assert. */
const char *unit_condition_name(enum unit_condition_type type);
/* "ExecStartPre", ...: the key's name. */
const char *unit_exec_name(enum unit_exec kind);
/* "RuntimeDirectory", ...: the key's name. */
const char *unit_dir_name(enum unit_dir dir);
/* "journal", "file", ...: StandardOutput='s word (without the path). */
const char *unit_stdio_name(enum unit_stdio stdio);
/* Whether the unit's commands use a terminal (StandardInput=tty...,
 * StandardOutput=tty, StandardError=tty), and which: TTYPath= or
 * /dev/console. */
bool unit_uses_tty(const struct unit *u);
const char *unit_tty_path(const struct unit *u);
/* "Requires", "After", ...: the key's name. */
const char *unit_dep_name(enum unit_dep dep);

#endif
