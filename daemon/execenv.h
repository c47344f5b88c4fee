/* execenv: what a service's processes are given besides their command,
 * computed by svd from the unit at each start: the environment (nothing
 * inherited by accident), fds 0-2, and the directories it asks for.
 * Everything that can fail here fails the start with a reason naming the
 * setting, before anything is forked. */
#ifndef SVD_EXECENV_H
#define SVD_EXECENV_H

#include "creds.h"
#include "logs.h"
#include "settings.h"
#include "spawn.h"
#include "unit.h"

struct execenv_ctx {
	const char *notify_socket;	/* NOTIFY_SOCKET for services, or NULL */
	char *const *svd_environ;	/* svd's own, for PassEnvironment= */
	char *const *roots;		/* UNIT_DIR_COUNT roots: /run, ... */
	/* svd.conf's SandboxFallback=; NULL: fail */
	const enum settings_sandbox_fallback *sandbox_fallback;
};

/* The environment of a process of the service: PATH, who it is, the
 * notify and watchdog variables, PassEnvironment=, Environment=,
 * EnvironmentFile= (read now), the *_DIRECTORY variables, then
 * UnsetEnvironment=; main_pid > 0 adds $MAINPID (control commands).
 * Returns NULL with why set (a missing EnvironmentFile=) or ENOMEM. */
char **execenv_environment(const struct unit *unit, const struct execenv_ctx *ctx,
			   const struct creds *creds, pid_t main_pid, char *why,
			   size_t size);

/* WorkingDirectory= with "~" resolved; NULL for the default. */
const char *execenv_working_directory(const struct unit *unit,
				      const struct creds *creds);

/* RuntimeDirectory=, StateDirectory=, ...: made (parents as root 0755),
 * owned by the service's user (ConfigurationDirectory= stays root's) with
 * their ...Mode=. Returns -1 with why set. */
int execenv_make_directories(const struct unit *unit,
			     const struct execenv_ctx *ctx,
			     const struct creds *creds, char *why, size_t size);
/* mkdir -p of path's parents, as root with 0755 (the last component is
 * the caller's to make, with its own mode). Returns -1 with errno. */
int execenv_make_parents(const char *path);
/* The same with mode for the directories it makes (DirectoryMode=). */
int execenv_make_parents_mode(const char *path, int mode);
/* Removes the directory at path and what is in it, through fds (a link
 * swapped in meanwhile leads nowhere); a missing one is fine. -1 with
 * errno. */
int execenv_remove_tree(const char *path);
/* Removes RuntimeDirectory= (and what is in it) once the service is down. */
void execenv_remove_runtime(const struct unit *unit, const struct execenv_ctx *ctx,
			    const char *unit_name);

/* Fds 0-2 as StandardInput=, StandardOutput=, StandardError= say; lines
 * for svd's log go through logs' pipes; socket_fd is the socket of
 * StandardInput=socket (and of output that inherits it). */
void execenv_stdio(const struct unit *unit, struct logs_service *logs,
		   int socket_fd, struct spawn_fd stdio[3]);
/* The terminal of StandardInput=tty... (TTYPath=, TTYReset=, ...); its
 * path is NULL for a unit that uses none. */
void execenv_tty(const struct unit *unit, struct spawn_tty *tty);

#endif
