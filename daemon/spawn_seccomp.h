/* spawn_seccomp: a service's system call filters (conf/syscall_filter.h)
 * put in place by the child, the last step before execve().
 *
 * svd compiles the unit's filters before the fork, once per unit (the
 * programs stay with the unit until daemon-reload replaces it), so that
 * the child only makes system calls: no_new_privs where systemd sets it
 * (the child no longer holds CAP_SYS_ADMIN, or NoNewPrivileges=), then
 * seccomp(SECCOMP_SET_MODE_FILTER) for each program. A command with the
 * '+' prefix runs without them, as in systemd. */
#ifndef SVD_SPAWN_SECCOMP_H
#define SVD_SPAWN_SECCOMP_H

#include <stddef.h>

#include "unit.h"

/* What the child loads; zero: nothing. */
struct spawn_seccomp {
	const struct syscall_programs *programs;	/* NULL: no filter */
};

/* Fills *out for a command of unit with the exec flags given (exec.h),
 * compiling the unit's filters at its first start. Returns 0, or -1
 * with errno and why naming the key: the filters could not be compiled,
 * or the kernel takes no seccomp filter (EOPNOTSUPP). */
int spawn_seccomp_prepare(struct unit *unit, unsigned exec_flags,
			  struct spawn_seccomp *out, char *why, size_t size);

/* The child's step, after the user and capability steps and right
 * before execve(). Returns 0, or -1 with errno and *key (enum
 * syscall_key) the setting whose filter the kernel refused.
 * Async-signal-safe. */
int spawn_seccomp_apply(const struct spawn_seccomp *seccomp, int *key);

#endif
