/* settings: svd.conf, the daemon's own settings (an ini file).
 *
 *   [Log]
 *   Console=yes        service lines on svd's stderr, "name: text"
 *   Files=yes          and in LOG_DIR/NAME.log, rotated by size
 *   MaxFileSize=1M     rotate past this size
 *   MaxFiles=5         files kept per service, the current one included
 *   RingSize=64K       recent output kept in memory per service
 *   [Directories]
 *   Runtime=/run  State=/var/lib  Cache=/var/cache  Logs=/var/log
 *   Configuration=/etc     roots of RuntimeDirectory=, ...
 *   [Manager]
 *   StopTimeoutSec=10s  KillGraceSec=3s
 *   SyslogSocket=yes|no|PATH   ForwardToSyslog=yes|no|PATH
 *   TmpfilesAtStart=yes    apply tmpfiles.d before the units start
 *   TmpfilesDirectories=/etc/tmpfiles.d /run/tmpfiles.d ...
 *   TmpfilesRoot=/         the lines' paths are under this directory
 *   CgroupRoot=DIR         svd's cgroup2 tree goes there (else its own)
 *   DefaultTasksMax=15%    TasksMax= of a service that sets none
 *   SandboxFallback=fail|warn   a unit whose sandbox the kernel or the
 *                          environment cannot give fails (fail), or runs
 *                          with what it can have and a warning (warn)
 *   [Control]
 *   SocketMode=0600        the control socket's mode (0660 with a group)
 *   SocketGroup=GROUP      its group; members may read (status, logs)
 *   ManageGroup=GROUP      members may also start, stop, enable...
 *   ManageUsers=USER...    so may these users (names or uids)
 *   PowerKey=yes           as init, a power key pressed powers off
 *
 * A missing file means the defaults. A bad line is reported as
 * "FILE:LINE: message" and that setting keeps its default: svd may be
 * PID 1, so its own configuration never stops it. */
#ifndef SVD_SETTINGS_H
#define SVD_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "resource.h"
#include "unit.h"

#define SETTINGS_RING_MIN_BYTES ((size_t)16 * 1024)
#define SETTINGS_RING_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define SETTINGS_MAX_FILES_MAX 1000u
#define SETTINGS_FILE_MIN_BYTES ((size_t)4096)
#define SETTINGS_FILE_MAX_BYTES ((size_t)1 << 40)

/* Console= and Files= when not given: decided by svd's mode. */
enum settings_switch {
	SETTINGS_AUTO = -1,
	SETTINGS_OFF = 0,
	SETTINGS_ON = 1,
};

enum settings_sandbox_fallback {
	SETTINGS_SANDBOX_FAIL,	/* the start fails, naming the key and why */
	SETTINGS_SANDBOX_WARN,	/* it runs without what is missing, warned */
};

struct settings {
	enum settings_switch log_console; /* container default: on */
	enum settings_switch log_files;	  /* service manager default: on */
	size_t log_max_file_bytes;
	unsigned log_max_files;
	size_t log_ring_bytes;
	char *directory_roots[UNIT_DIR_COUNT];
	/* [Manager] StopTimeoutSec=, KillGraceSec=: SETTINGS_UNSET or
	 * microseconds (the command line's --stop-timeout/--kill-grace win) */
	uint64_t stop_timeout_usec;
	uint64_t kill_grace_usec;
	/* [Manager] DefaultTimeoutStartSec=, DefaultTimeoutStopSec= (as in
	 * systemd-system.conf): microseconds, USEC_INFINITY for "infinity"
	 * or 0; 0 while not given. */
	uint64_t default_timeout_start_usec, default_timeout_stop_usec;
	/* [Manager] SyslogSocket=: yes (SETTINGS_SYSLOG_SOCKET), no, or a
	 * path; AUTO: yes as init, no otherwise, so that a host's syslog
	 * daemon is never displaced. */
	enum settings_switch syslog_socket;
	char *syslog_socket_path;	/* ON: where; NULL: the default */
	/* [Manager] ForwardToSyslog=: yes (RUNTIME/SETTINGS_SYSLOG_FORWARD,
	 * the default), no, or a path */
	enum settings_switch forward_to_syslog;
	char *forward_to_syslog_path;	/* ON: where; NULL: the default */
	/* [Manager] TmpfilesAtStart=: AUTO is on as init, off otherwise */
	enum settings_switch tmpfiles_at_start;
	/* TmpfilesDirectories=: NULL for tmpfiles_default_dirs */
	char **tmpfiles_dirs;
	char *tmpfiles_root;	/* TmpfilesRoot=: NULL for "/" */
	char *cgroup_root;	/* CgroupRoot=: NULL to find one */
	/* [Manager] PowerKey=: AUTO is on as init, off otherwise */
	enum settings_switch power_key;
	/* DefaultTasksMax=: RESOURCE_UNSET for the default (15%) */
	struct resource_amount default_tasks_max;
	/* SandboxFallback=: what a unit gets whose ProtectSystem=,
	 * PrivateNetwork=, ... the kernel or the environment cannot give
	 * (no namespaces in a container) */
	enum settings_sandbox_fallback sandbox_fallback;
	/* [Control]: who may use the control socket. Names are kept as
	 * written: the daemon resolves them (access.h), the parser makes
	 * no NSS lookups. */
	int control_socket_mode;	/* SocketMode=: -1 for the default */
	char *control_socket_group;	/* SocketGroup=: NULL: none */
	char *control_manage_group;	/* ManageGroup=: NULL: none */
	char **control_manage_users;	/* ManageUsers=: NULL: none */
};

/* SocketMode= takes permission bits only: no set-ID or sticky bit. */
#define SETTINGS_SOCKET_MODE_MAX 0777

#define SETTINGS_SYSLOG_SOCKET "/dev/log"
/* Under the runtime root: where journald forwards, where a syslog
 * daemon started by syslog.socket listens. */
#define SETTINGS_SYSLOG_FORWARD "systemd/journal/syslog"

#define SETTINGS_UNSET UINT64_MAX

typedef void settings_diag_fn(void *ctx, const char *message);

/* The defaults. Returns -1 (ENOMEM). */
int settings_init(struct settings *s);
/* Reads path into s (from settings_init). A missing file is not an error.
 * Returns 0, or -1 when the file cannot be read (reported through diag;
 * s keeps the defaults). Problems inside the file are reported, not
 * returned. */
int settings_load(struct settings *s, const char *path, settings_diag_fn *diag,
		  void *ctx);
void settings_free(struct settings *s);

#endif
