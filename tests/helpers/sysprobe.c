/* sysprobe OP [ARG]: tries the one operation OP names and prints
 * "OP: ok" or "OP: ENAME" (the errno's name); a system call filter that
 * kills ends it by SIGSYS instead. Every operation is harmless when it
 * is allowed: it touches only this process, a path under ARG, or is
 * given arguments the kernel rejects after the filter has had its say
 * (a mount on a path that does not exist, a reboot with a wrong magic
 * number). test_seccomp.sh runs it as a service. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A path no test creates: mount fails there with ENOENT when allowed. */
#define MISSING "/nonexistent-svd-sysprobe"

static int op_mount(const char *arg)
{
	return mount("none", MISSING, "tmpfs", 0, NULL);
}

static int op_init_module(const char *arg)
{
	return (int)syscall(SYS_init_module, NULL, 0UL, "");
}

static int op_kexec(const char *arg)
{
	/* no segments, bad flags: EINVAL (or EPERM) when allowed */
	return (int)syscall(SYS_kexec_load, 0UL, 0UL, NULL, ~0UL);
}

static int op_reboot(const char *arg)
{
	/* wrong magic numbers: EINVAL when allowed */
	return (int)syscall(SYS_reboot, 0, 0, 0, NULL);
}

static int op_ioperm(const char *arg)
{
#if defined(__x86_64__) || defined(__i386__)
	return ioperm(0x80, 1, 0);	/* takes nothing away that it has */
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int op_iopl(const char *arg)
{
#if defined(__x86_64__) || defined(__i386__)
	return iopl(0);
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int op_ptrace(const char *arg)
{
	/* a pid that cannot exist: ESRCH when allowed */
	return (int)ptrace(PTRACE_PEEKDATA, (pid_t)0x3fffffff, NULL, NULL);
}

static int op_mmap_wx(const char *arg)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? -1 : 0;
}

static int op_mprotect_x(const char *arg)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	return mprotect(p, 4096, PROT_READ | PROT_EXEC);
}

static int open_socket(int family, int type)
{
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int op_packet(const char *arg)
{
	return open_socket(AF_PACKET, SOCK_DGRAM);
}

static int op_inet(const char *arg)
{
	return open_socket(AF_INET, SOCK_STREAM);
}

static int op_inet6(const char *arg)
{
	return open_socket(AF_INET6, SOCK_STREAM);
}

static int op_unix(const char *arg)
{
	return open_socket(AF_UNIX, SOCK_STREAM);
}

static int op_netlink(const char *arg)
{
	return open_socket(AF_NETLINK, SOCK_RAW);
}

static int op_unshare_user(const char *arg)
{
	return unshare(CLONE_NEWUSER);
}

static int op_unshare_net(const char *arg)
{
	return unshare(CLONE_NEWNET);
}

static int op_sched_fifo(const char *arg)
{
	struct sched_param param = { .sched_priority = 1 };

	return sched_setscheduler(0, SCHED_FIFO, &param);
}

static int op_sched_batch(const char *arg)
{
	struct sched_param param = { .sched_priority = 0 };

	return sched_setscheduler(0, SCHED_BATCH, &param);
}

/* ARG: a directory of the test's own. */
static int op_chmod_suid(const char *arg)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/suid-probe", arg ? arg : "/tmp");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return chmod(path, 04755);
}

static int op_chmod_plain(const char *arg)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/plain-probe", arg ? arg : "/tmp");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return chmod(path, 0755);
}

static int op_personality(const char *arg)
{
	return personality(PER_LINUX32) < 0 ? -1 : 0;
}

/* A 32-bit x86 system call (getpid, number 20) from this 64-bit
 * process: SystemCallArchitectures=native kills it. */
static int op_int80(const char *arg)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	if (ret == getpid())
		return 0;
	errno = ret < 0 && ret > -4096 ? (int)-ret : EINVAL;
	return -1;
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int op_getpid(const char *arg)
{
	return getpid() > 0 ? 0 : -1;
}

static const struct {
	const char *name;
	int (*fn)(const char *arg);
} ops[] = {
	{ "mount", op_mount }, { "init_module", op_init_module },
	{ "kexec", op_kexec }, { "reboot", op_reboot },
	{ "ioperm", op_ioperm }, { "iopl", op_iopl },
	{ "ptrace", op_ptrace }, { "mmap_wx", op_mmap_wx },
	{ "mprotect_x", op_mprotect_x }, { "packet", op_packet },
	{ "inet", op_inet }, { "inet6", op_inet6 }, { "unix", op_unix },
	{ "netlink", op_netlink }, { "unshare_user", op_unshare_user },
	{ "unshare_net", op_unshare_net }, { "sched_fifo", op_sched_fifo },
	{ "sched_batch", op_sched_batch }, { "chmod_suid", op_chmod_suid },
	{ "chmod_plain", op_chmod_plain }, { "personality", op_personality },
	{ "int80", op_int80 }, { "getpid", op_getpid },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sysprobe OP [ARG]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const char *name;

		if (strcmp(ops[i].name, argv[1]) != 0)
			continue;
		if (ops[i].fn(argc > 2 ? argv[2] : NULL) == 0) {
			printf("%s: ok\n", argv[1]);
			return 0;
		}
		name = strerrorname_np(errno);
		printf("%s: %s\n", argv[1], name ? name : "E?");
		return 0;
	}
	fprintf(stderr, "sysprobe: unknown operation %s\n", argv[1]);
	return 2;
}
