/* utmp: the records of utmp(5) and wtmp that systemd writes, where the
 * system keeps them (only where /var/run/utmp exists: a board without
 * it wants none). A service's UtmpIdentifier= gets an INIT_PROCESS
 * record (LOGIN_PROCESS, USER_PROCESS per UtmpMode=) when its main
 * process starts and DEAD_PROCESS when it exits, which is how who(1) and
 * last(1) see a getty's logins end; svd as init writes the boot and
 * runlevel records at boot and the shutdown record at the end, as
 * systemd-update-utmp does. All from svd, never from a child between
 * fork and exec (glibc's utmp functions are not async-signal-safe). */
#ifndef SVD_UTMP_H
#define SVD_UTMP_H

#include <stdbool.h>
#include <sys/types.h>

#include "unit.h"

/* Whether records are written at all (the utmp file exists). */
bool utmp_enabled(void);

/* The record of a process started for unit (its UtmpIdentifier=, which
 * must be set), in a session of its own. */
void utmp_process_started(const struct unit *unit, const char *user, pid_t pid);

/* The DEAD_PROCESS record of pid, when utmp has its id's record for
 * that pid (login(1) may have made it USER_PROCESS). */
void utmp_process_exited(const struct unit *unit, pid_t pid, int wstatus);

/* BOOT_TIME, then RUN_LVL for multi-user (runlevel 3, as systemd says
 * for multi-user.target). */
void utmp_boot(void);
/* RUN_LVL "shutdown" in wtmp. */
void utmp_shutdown(void);

/* UtmpIdentifier='s value as utmp stores it: its last four bytes. */
void utmp_id_suffix(const char *id, char out[4]);

#endif
