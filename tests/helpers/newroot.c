/* newroot HOST_MNT_NS ROOT COMMAND [ARG...]: makes ROOT (a mount point)
 * the root of this mount namespace, detaches everything else, and execs
 * COMMAND from it. Board tests boot svd as init this way, so that its
 * shutdown, which unmounts and remounts read-only every filesystem it can
 * see, can only ever see the test's own tmpfs. HOST_MNT_NS is what
 * readlink /proc/self/ns/mnt says outside: newroot refuses to run there
 * (or where it cannot tell). Exits 2 on bad use, 1 when a step fails. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "newroot: %s: %s\n", what, strerror(errno));
	return 1;
}

static int in_own_mount_namespace(const char *host)
{
	char own[64];
	ssize_t n = readlink("/proc/self/ns/mnt", own, sizeof(own) - 1);

	if (n < 0 || strncmp(host, "mnt:[", 5) != 0)
		return 0;
	own[n] = '\0';
	return strcmp(own, host) != 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: newroot HOST_MNT_NS ROOT COMMAND [ARG...]\n");
		return 2;
	}
	if (!in_own_mount_namespace(argv[1])) {
		fprintf(stderr, "newroot: refusing: not in a mount namespace of "
			"its own (run under unshare --mount)\n");
		return 1;
	}
	/* Nothing done from here on propagates back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail("make / private");
	if (chdir(argv[2]) < 0)
		return fail(argv[2]);
	/* pivot_root(".", "."): the old root ends up stacked on top of the
	 * new one, where one lazy unmount takes it away whole. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return fail("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return fail("detach the old root");
	if (chdir("/") < 0)
		return fail("chdir /");
	execv(argv[3], argv + 3);
	return fail(argv[3]);
}
