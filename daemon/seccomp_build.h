/* seccomp_build: a unit's system call sandbox (conf/syscall_filter.h)
 * compiled with libseccomp into the BPF programs the kernel takes.
 *
 * It runs in svd, before any fork: libseccomp allocates, which a vfork
 * child must not. As systemd's exec_child() (src/core/execute.c and
 * src/shared/seccomp-util.c of v252), each setting is a filter of its
 * own, one per architecture the machine runs (x86-64, x32 and x86 on an
 * x86-64 build; arm64 and arm on arm64; the native one elsewhere), with
 * systemd's rules: the kernel runs them all and the strictest answer
 * wins, so the order only decides between two errnos, where the last
 * loaded (SystemCallFilter=) wins, as in systemd. */
#ifndef SVD_SECCOMP_BUILD_H
#define SVD_SECCOMP_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "syscall_filter.h"

/* The most instructions one program may have (the kernel's BPF_MAXINSNS). */
#define SECCOMP_PROGRAM_MAX_INSNS 4096

/* Compiles sb into *out (possibly with no program: every setting off,
 * or only for architectures this machine does not run). Returns 0, or -1
 * with errno and why naming the key that could not be compiled. */
int seccomp_build(const struct unit_syscall_sandbox *sb,
		  struct syscall_programs **out, char *why, size_t size);

/* Whether the running kernel takes seccomp filters (systemd's
 * is_seccomp_available()): asked once. */
bool seccomp_available(void);

#endif
