/* spawn_seccomp: see spawn_seccomp.h. */
#include "spawn_seccomp.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec.h"
#include "seccomp_build.h"

/* "SystemCallFilter=, RestrictAddressFamilies=": the keys of programs. */
static void key_list(const struct syscall_programs *programs, char *buf,
		     size_t size)
{
	unsigned seen = 0;
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < programs->n && len < size; i++) {
		unsigned key = programs->v[i].key;
		int n;

		if (seen & (1u << key))
			continue;
		seen |= 1u << key;
		n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
			     syscall_key_name((int)key));
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

int spawn_seccomp_prepare(struct unit *unit, unsigned exec_flags,
			  struct spawn_seccomp *out, char *why, size_t size)
{
	struct unit_syscall_sandbox *sb = unit->syscall_sandbox;
	char keys[160];

	*out = (struct spawn_seccomp){0};
	/* '+': full privileges, no sandbox. */
	if ((exec_flags & EXEC_FLAG_FULL_PRIVILEGES) || !syscall_sandbox_active(sb))
		return 0;
	if (!sb->compiled && seccomp_build(sb, &sb->compiled, why, size) < 0)
		return -1;
	if (sb->compiled->n == 0)
		return 0;
	if (!seccomp_available()) {
		key_list(sb->compiled, keys, sizeof(keys));
		snprintf(why, size, "%s: this kernel takes no seccomp filters "
			 "(CONFIG_SECCOMP_FILTER), so the service cannot be "
			 "confined as its unit asks", keys);
		errno = EOPNOTSUPP;
		return -1;
	}
	out->programs = sb->compiled;
	return 0;
}

/* Whether the child still holds CAP_SYS_ADMIN, with which the kernel
 * takes a filter without no_new_privs (and systemd sets none). */
static int has_sys_admin(void)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &header, data) < 0)
		return -1;
	return (data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &
		CAP_TO_MASK(CAP_SYS_ADMIN)) != 0;
}

int spawn_seccomp_apply(const struct spawn_seccomp *seccomp, int *key)
{
	const struct syscall_programs *programs = seccomp->programs;
	int admin;

	if (!programs || programs->n == 0)
		return 0;
	*key = programs->v[0].key;
	if ((admin = has_sys_admin()) < 0)
		return -1;
	if (!admin && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	for (size_t i = 0; i < programs->n; i++) {
		struct sock_fprog prog = {
			.len = programs->v[i].len,
			.filter = programs->v[i].insns,
		};

		*key = programs->v[i].key;
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
			continue;
		/* Linux before 3.17 has only the prctl() */
		if (errno != ENOSYS ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
			return -1;
	}
	return 0;
}
