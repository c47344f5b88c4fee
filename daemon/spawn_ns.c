/* spawn_ns: see spawn_ns.h. Runs in the child between fork/vfork and
 * exec: system calls and stack buffers only. */
#include "spawn_ns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox_fs.h"

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* The kernel's struct mount_attr, spelled out: <linux/mount.h> and
 * <sys/mount.h> do not mix on every libc. */
struct ns_mount_attr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* Digits of n at out (no terminator); returns how many. */
static size_t put_number(char *out, unsigned long n)
{
	char digits[24];
	size_t len = 0, i = 0;

	do
		digits[len++] = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	while (len > 0)
		out[i++] = digits[--len];
	return i;
}

/* "/proc/self/fd/N" or "/proc/self/fd/N/rest" in buf; -1 (ENAMETOOLONG)
 * when it does not fit. */
static int slot_path(char *buf, size_t size, int fd, const char *rest)
{
	static const char head[] = "/proc/self/fd/";
	size_t len = sizeof(head) - 1, rest_len = rest ? strlen(rest) : 0;

	if (len + 24 + 1 + rest_len + 1 > size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, head, len);
	len += put_number(buf + len, (unsigned long)fd);
	if (rest_len) {
		buf[len++] = '/';
		memcpy(buf + len, rest, rest_len);
		len += rest_len;
	}
	buf[len] = '\0';
	return 0;
}

/* MOUNT_ATTR_* as the MS_* flags of an old-style remount. */
static unsigned long attr_to_ms(uint64_t attr)
{
	return (attr & MOUNT_ATTR_RDONLY ? MS_RDONLY : 0) |
	       (attr & MOUNT_ATTR_NOSUID ? MS_NOSUID : 0) |
	       (attr & MOUNT_ATTR_NODEV ? MS_NODEV : 0) |
	       (attr & MOUNT_ATTR_NOEXEC ? MS_NOEXEC : 0);
}

static int set_attr(const struct spawn_ns_op *op)
{
	struct ns_mount_attr attr = { op->attr_set, op->attr_clr, 0, 0 };
	unsigned long flags;
	long r = -1;

#ifdef SYS_mount_setattr
	r = syscall(SYS_mount_setattr, AT_FDCWD, op->path,
		    op->flags & SPAWN_NS_RECURSIVE ? AT_RECURSIVE : 0,
		    &attr, sizeof(attr));
	if (r == 0 || errno != ENOSYS)
		return (int)r;
#endif
	/* Before Linux 5.12: the mount's other flags must be given again
	 * (a locked one dropped is EPERM); one mount only. */
	flags = (op->mount_flags | attr_to_ms(op->attr_set)) & ~attr_to_ms(op->attr_clr);
	return mount(NULL, op->path, NULL, MS_REMOUNT | MS_BIND | flags, NULL);
}

static int do_op(const struct spawn_ns_op *op, int *slots)
{
	char buf[PATH_MAX];
	const char *source = op->source;

	switch (op->kind) {
	case SPAWN_NS_OPEN:
		slots[op->slot] = open(op->path, O_PATH | O_CLOEXEC);
		return slots[op->slot] < 0 ? -1 : 0;
	case SPAWN_NS_BIND:
		if (op->slot >= 0) {
			if (slots[op->slot] < 0) {
				errno = ENOENT;	/* its OPEN was optional */
				return -1;
			}
			if (slot_path(buf, sizeof(buf), slots[op->slot], source) < 0)
				return -1;
			source = buf;
		}
		return mount(source, op->path, NULL, MS_BIND | op->mount_flags, NULL);
	case SPAWN_NS_MOUNT:
		return mount(op->fstype, op->path, op->fstype, op->mount_flags,
			     op->data);
	case SPAWN_NS_MOVE:
		return mount(op->source, op->path, NULL, MS_MOVE, NULL);
	case SPAWN_NS_MKDIR:
		return mkdir(op->path, (mode_t)op->mode) < 0 && errno != EEXIST ? -1 : 0;
	case SPAWN_NS_FILE:
		/* mknod, not open: one that is there (a socket, on a file
		 * system made read-only) is EEXIST, which is fine. */
		return mknod(op->path, S_IFREG | 0644, 0) < 0 && errno != EEXIST ? -1 : 0;
	case SPAWN_NS_SYMLINK:
		return symlink(op->source, op->path) < 0 && errno != EEXIST ? -1 : 0;
	case SPAWN_NS_ATTR:
		return set_attr(op);
	default:
		errno = EINVAL;
		return -1;
	}
}

/* PrivateNetwork=: the new namespace's loopback, up, as systemd's
 * loopback_setup(). */
int spawn_ns_loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	r = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		r = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (r < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	close(fd);
	return 0;
}

static void close_slots(const struct spawn_ns *ns)
{
	for (size_t i = 0; ns->slots && i < SPAWN_NS_SLOTS_MAX; i++)
		if (ns->slots[i] >= 0)
			close(ns->slots[i]);
}

static int apply_unshare(const struct spawn_ns *ns, int *key)
{
	static const int order[] = { CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWIPC,
				     CLONE_NEWUTS };

	/* One at a time, so that a refusal names the key that asked. */
	for (int i = 0; i < 4; i++) {
		if (!(ns->unshare_flags & order[i]))
			continue;
		*key = ns->unshare_key[i];
		if (ns->join_set && ns->join_fd[i] >= 0) {
			if (setns(ns->join_fd[i], order[i]) < 0)
				return -1;
		} else if (unshare(order[i]) < 0) {
			return -1;
		}
	}
	if (ns->unshare_flags & CLONE_NEWNS) {
		/* Nothing mounted from here on may reach svd's namespace. */
		*key = ns->unshare_key[0];
		if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
			return -1;
	}
	return 0;
}

int spawn_ns_apply(const struct spawn_ns *ns, int *key)
{
	for (size_t i = 0; ns->slots && i < SPAWN_NS_SLOTS_MAX; i++)
		ns->slots[i] = -1;
	if (apply_unshare(ns, key) < 0)
		return -1;
	for (size_t i = 0; i < ns->n_ops; i++) {
		const struct spawn_ns_op *op = &ns->ops[i];
		int err;

		if (do_op(op, ns->slots) == 0)
			continue;
		err = errno;
		if ((op->flags & SPAWN_NS_OPTIONAL) && err == ENOENT)
			continue;
		if ((op->flags & SPAWN_NS_SUBMOUNT) && (err == EINVAL || err == ENOENT))
			continue;
		if (op->flags & SPAWN_NS_BEST_EFFORT)
			continue;
		close_slots(ns);
		*key = op->key;
		errno = err;
		return -1;
	}
	close_slots(ns);
	return 0;
}

/* "/proc/PID/NAME" in buf. */
static void proc_path(char *buf, pid_t pid, const char *name)
{
	size_t len = 6;

	memcpy(buf, "/proc/", len);
	len += put_number(buf + len, (unsigned long)pid);
	buf[len++] = '/';
	memcpy(buf + len, name, strlen(name) + 1);
}

static int write_map(pid_t pid, const char *name, const char *map)
{
	char path[64];
	size_t len = strlen(map);
	int fd;

	proc_path(path, pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, map, len) != (ssize_t)len) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

/* The helper: a process outside the new user namespace, where writing
 * a map of more than one's own id is allowed. Waits for its parent's
 * unshare, writes, exits with 0 or the errno. */
static _Noreturn void users_helper(const struct spawn_ns *ns, int sync_read)
{
	char go;
	pid_t parent = getppid();

	if (read(sync_read, &go, 1) != 1)
		_exit(0);	/* the parent gave up: nothing to map */
	if (write_map(parent, "uid_map", ns->uid_map) < 0 ||
	    write_map(parent, "gid_map", ns->gid_map) < 0)
		_exit(errno & 0xff ? errno & 0xff : EIO);
	_exit(0);
}

/* A copy of this process (fork semantics), without libc's fork: no
 * atfork handlers, no locks, fit for a vfork child. */
static pid_t raw_fork(void)
{
#if defined(__s390__) || defined(__s390x__)
	return (pid_t)syscall(SYS_clone, 0, SIGCHLD, 0, 0, 0);
#else
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
#endif
}

int spawn_ns_users(const struct spawn_ns *ns, const gid_t *groups,
		   int n_groups)
{
	int sync[2], status, err = 0;
	pid_t helper;

	/* Groups cannot be set inside for ids that are not mapped. */
	if (groups && setgroups((size_t)n_groups, groups) < 0)
		return -1;
	if (pipe2(sync, O_CLOEXEC) < 0)
		return -1;
	helper = raw_fork();
	if (helper < 0) {
		err = errno;
		close(sync[0]);
		close(sync[1]);
		errno = err;
		return -1;
	}
	if (helper == 0) {
		close(sync[1]);
		users_helper(ns, sync[0]);
	}
	close(sync[0]);
	if (unshare(CLONE_NEWUSER) < 0)
		err = errno;
	else if (write(sync[1], "1", 1) != 1)
		err = errno;
	close(sync[1]);
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
	if (!err && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		err = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
	errno = err;
	return err ? -1 : 0;
}
