/* seccomp_rules: the rules of the system call keys that restrict one
 * thing each (RestrictAddressFamilies=, MemoryDenyWriteExecute=,
 * RestrictRealtime=, RestrictSUIDSGID=, RestrictNamespaces=,
 * LockPersonality=), added to a libseccomp filter of one architecture
 * by seccomp_build.c. They are systemd's (src/shared/seccomp-util.c of
 * v252): the same calls, arguments and errnos. Each returns 0 or a
 * negative errno, libseccomp's convention; a call the architecture does
 * not have is skipped, as systemd skips it. */
#ifndef SVD_SECCOMP_RULES_H
#define SVD_SECCOMP_RULES_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "syscall_filter.h"

/* seccomp_rule_add_exact_array(), with libseccomp's EDOM (no such call
 * on this architecture) as success. */
int seccomp_rules_add(scmp_filter_ctx ctx, uint32_t action, int id,
		      unsigned n_args, const struct scmp_arg_cmp *args);

/* Whether socket()'s family can be filtered on arch: not where socket
 * calls go through socketcall() (32-bit x86, s390, ppc, ...). */
bool seccomp_rules_families_filtered(uint32_t arch);
/* socket() of a family sb does not allow fails with EAFNOSUPPORT. */
int seccomp_rules_families(scmp_filter_ctx ctx,
			   const struct unit_syscall_sandbox *sb);
/* Writable and executable memory (mmap, mprotect, pkey_mprotect, shmat):
 * EPERM; the calls differ per architecture. */
int seccomp_rules_mdwe(scmp_filter_ctx ctx, uint32_t arch);
/* sched_setscheduler() to a realtime policy: EPERM. */
int seccomp_rules_realtime(scmp_filter_ctx ctx);
/* Set-user-ID and set-group-ID files made or changed: EPERM. */
int seccomp_rules_suid_sgid(scmp_filter_ctx ctx);
/* Namespaces of kinds not in keep (CLONE_NEW* flags): EPERM. */
int seccomp_rules_namespaces(scmp_filter_ctx ctx, uint32_t arch,
			     unsigned long keep);
/* personality() to anything but svd's own: EPERM. */
int seccomp_rules_personality(scmp_filter_ctx ctx);

#endif
