/* noseccomp MODE COMMAND [ARG...]: runs COMMAND (svd, in
 * test_seccomp.sh) on a kernel that seems to lack seccomp filters, or
 * refuses them, by loading a filter of its own first (its children
 * inherit it):
 *   absent   seccomp() fails with ENOSYS and prctl(PR_SET_SECCOMP) with
 *            EINVAL, as on a kernel built without CONFIG_SECCOMP_FILTER;
 *   refused  seccomp() fails with EPERM: svd finds seccomp, but its
 *            children cannot load their filters. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int absent, r;

	if (argc < 3 || (strcmp(argv[1], "absent") && strcmp(argv[1], "refused"))) {
		fprintf(stderr, "usage: noseccomp absent|refused COMMAND [ARG...]\n");
		return 2;
	}
	absent = strcmp(argv[1], "absent") == 0;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return 1;
	r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(absent ? ENOSYS : EPERM),
			     SCMP_SYS(seccomp), 0);
	if (r == 0 && absent)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(prctl), 1,
				     SCMP_A0(SCMP_CMP_EQ, PR_SET_SECCOMP, 0));
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0) {
		fprintf(stderr, "noseccomp: %s\n", strerror(-r));
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "noseccomp: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
