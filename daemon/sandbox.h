/* sandbox: svd's half of a service's file-system and namespace sandbox
 * (sandbox_fs.h's keys). Before each fork it turns the unit's settings
 * into a struct spawn_ns for the child (spawn_ns.h): which namespaces,
 * and every mount operation in order, with systemd's tables of paths
 * (src/core/namespace.c) for ProtectSystem=, ProtectHome=,
 * ProtectKernelTunables= and the rest; it checks the paths the unit
 * names (a missing one without "-" fails the start, named), makes the
 * private /tmp directories, and asks once whether the kernel and the
 * environment give each namespace at all (svd.conf's SandboxFallback=
 * decides what a unit gets that asks for one they do not).
 *
 * Other settings of these keys: seccomp filters (ProtectClock='s
 * @clock, ProtectKernelModules='s @module, ProtectKernelLogs='s syslog(2),
 * ProtectHostname='s sethostname, PrivateDevices='s @raw-io) are not
 * here; see sandbox_syscall_groups(). */
#ifndef SVD_SANDBOX_H
#define SVD_SANDBOX_H

#include <stddef.h>

#include "creds.h"
#include "execenv.h"
#include "spawn_ns.h"
#include "unit.h"

/* What a service keeps between its processes and until it is down:
 * PrivateTmp='s directories (the same /tmp for ExecStartPre= and
 * ExecStart=, and across a reload). */
struct sandbox_runtime {
	char *tmp_dir;		/* /tmp/svd-private-NAME-XXXXXX, or NULL */
	char *var_tmp_dir;	/* /var/tmp/svd-private-NAME-XXXXXX */
	/* PrivateNetwork=, PrivateIPC=, ProtectHostname=: its namespaces,
	 * made before its first spawn, which every process of it joins, as
	 * all the processes of a unit share them in systemd; -1 until then. */
	int ns_fd[3];		/* net, ipc, uts */
};

/* Fills *ns for a command of the service (zero: nothing to do; a '+'
 * command, exec_flags EXEC_FLAG_FULL_PRIVILEGES, gets nothing). Makes
 * *runtime's directories when the unit has PrivateTmp=yes and they are
 * not there yet. Returns 0, or -1 with errno and why naming the key
 * ("ReadOnlyPaths=/x: No such file or directory", "PrivateNetwork=: no
 * network namespace here (unshare: Operation not permitted)"). With
 * SandboxFallback=warn, what the environment cannot give is left out
 * and warned about instead. */
int sandbox_prepare(const struct unit *unit, unsigned exec_flags,
		    const struct execenv_ctx *ctx, const struct creds *creds,
		    const char *unit_name, struct sandbox_runtime **runtime,
		    struct spawn_ns *ns, char *why, size_t size);
void sandbox_plan_free(struct spawn_ns *ns);

/* The service is down: its private /tmp directories and namespaces go. */
void sandbox_runtime_remove(struct sandbox_runtime **runtime,
			    const char *unit_name);

/* The seccomp half of the keys, for the filter module to apply after
 * the merge (issue 16 item 2): the systemd syscall groups that unit's
 * keys deny, as a NULL-terminated list of names such as "@clock",
 * "@module", "@raw-io", "syslog", "sethostname" (static storage; at most
 * SANDBOX_SYSCALL_GROUPS_MAX). */
#define SANDBOX_SYSCALL_GROUPS_MAX 8
void sandbox_syscall_groups(const struct unit *unit,
			    const char *groups[SANDBOX_SYSCALL_GROUPS_MAX + 1]);

#endif
