/* daemon: the one struct that holds svd's state, reached from every
 * watcher through its data pointer (no other mutable globals). */
#ifndef SVD_DAEMON_H
#define SVD_DAEMON_H

#include <ev.h>
#include <stdbool.h>
#include <sys/resource.h>

#include "access.h"
#include "adopt.h"
#include "boot.h"
#include "cgroup.h"
#include "commands.h"
#include "console.h"
#include "container.h"
#include "control.h"
#include "devlog.h"
#include "halt.h"
#include "manager.h"
#include "mounts.h"
#include "logs.h"
#include "notify.h"
#include "powerkey.h"
#include "reexec.h"
#include "settings.h"
#include "sweep.h"
#include "tmpfiles_cmd.h"
#include "upstream.h"

struct daemon_options {
	const char **unit_dirs;
	size_t n_unit_dirs;
	const char *socket_path;
	const char *config_path;
	const char *log_dir;
	const char *state_dir;
	char *const *command;	/* container mode: COMMAND [ARG...], or NULL */
	/* --stop-timeout: the most a shutdown waits for the services (each
	 * still gets its own TimeoutStopSec= within it) */
	double stop_timeout_sec;
	double kill_grace_sec;	/* --kill-grace: leftovers' SIGTERM to SIGKILL */
	bool stop_timeout_given, kill_grace_given; /* over svd.conf's */
	bool group;		/* -g: forwarded signals to the command's group */
	bool socket_given;	/* -s or SVD_SOCKET: that path or none */
	bool verbosity_set;	/* -v or -q given */
};

struct daemon {
	struct ev_loop *loop;
	struct daemon_options opt;
	struct settings settings;	/* svd.conf */
	struct console console;		/* svd's stderr, never blocking */
	struct logs_config logs;	/* where services' lines go */
	char log_read_buf[LOGS_READ_MAX_BYTES + 1];
	struct logs_batch log_batch;
	struct rlimit nofile_at_start;	/* given back to services */
	struct manager manager;
	struct control control;
	struct access_policy access;	/* svd.conf [Control], resolved */
	struct commands commands;	/* what control's requests mean */
	struct tmpfiles_cmd tmpfiles;	/* svctl tmpfiles' helper */
	ev_signal sig_term, sig_int, sig_hup;
	ev_signal sig_usr1, sig_usr2, sig_pwr;	/* as init */
	ev_child reaper;
	ev_periodic never;	/* see main.c: keeps libev asleep when idle */
	ev_timer log_flush;	/* notes of suppressed messages (log.h) */
	char *own_socket_path;	/* a container's fallback control socket */
	/* An exit action's status (FailureAction=exit...), or -1: then a
	 * container exits with its command's. */
	int action_exit_status;
	bool shutting_down;
	/* Asked twice, or the stop timeout passed: sweep without waiting. */
	bool shutdown_forced;
	ev_timer stop_deadline;	/* --stop-timeout for the whole shutdown */
	bool all_stopped;	/* the loop is told to end */
	/* PID 1 without a COMMAND: the system's init (boot.h, halt.h). */
	bool is_init;
	struct boot_result boot;
	struct mounts mounts;	/* /etc/fstab, as init (mounts.h) */
	enum halt_action halt_action;	/* what to do once all is stopped */
	struct container container; /* used when opt.command is set */
	struct sweep sweep;	/* leftovers, for a container or as init */
	struct cgroup_root cgroups; /* svd's cgroup2 tree (mode OFF: none) */
	struct notify_server notify;	/* services' sd_notify messages */
	char *notify_path;
	struct upstream upstream;	/* our own manager's NOTIFY_SOCKET */
	struct devlog devlog;	/* the syslog socket, when svd.conf has one */
	struct powerkey powerkey; /* as init, the power keys (PowerKey=) */
	bool booted;		/* the boot's start requests are all made */
	/* The host's values for unit specifiers (%H, %m, %u, ...), read
	 * once at start (host.h). */
	struct spec_host host;
	struct reexec reexec;	/* daemon-reexec, and the state it left */
	struct adopt adopt;	/* server mode: the running file (adopt.h) */
};

/* Stops every service and ends the loop once all are down. */
void daemon_shutdown(struct daemon *d);
/* As init: shut down, then reboot, power off or halt. Otherwise the
 * same as daemon_shutdown (a container stops its command first). */
void daemon_halt(struct daemon *d, enum halt_action action);
/* Re-reads the unit directories (SIGHUP, svctl daemon-reload). */
int daemon_reload(struct daemon *d);

#endif
