#include "boot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "spawn.h"

#define HOSTNAME_PATH "/etc/hostname"
/* The tty group's gid on Debian, for /dev/pts (looking it up would need
 * NSS, which may not work this early). */
#define TTY_GID "5"

struct api_mount {
	const char *source, *target, *fstype;
	unsigned long flags;
	const char *data;
};

/* /dev first: the kernel log and the console are in it. */
static const struct api_mount api_mounts[] = {
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_STRICTATIME, "mode=0755" },
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
	  "mode=0620,ptmxmode=0666,gid=" TTY_GID },
	{ "tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME,
	  "mode=1777" },
	{ "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME,
	  "mode=0755" },
};

/* The unified hierarchy where systemd mounts it, so that a board's
 * services get a cgroup each and their resource limits. nsdelegate makes
 * a cgroup namespace's root a delegation boundary, as under systemd. */
static const struct api_mount cgroup_mount = {
	"cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	"nsdelegate"
};

bool boot_is_mount_point(const char *path)
{
	char parent_path[PATH_MAX];
	struct stat st, parent;
#ifdef STATX_ATTR_MOUNT_ROOT
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) == 0 &&
	    (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return stx.stx_attributes & STATX_ATTR_MOUNT_ROOT;
#endif
	/* Older kernels: a mount root sits on another device than its
	 * parent (a bind mount of the same filesystem is missed). */
	if ((size_t)snprintf(parent_path, sizeof(parent_path), "%s/..", path) >=
	    sizeof(parent_path))
		return false;
	if (lstat(path, &st) < 0 || stat(parent_path, &parent) < 0)
		return false;
	return st.st_dev != parent.st_dev ||
	       (st.st_ino == parent.st_ino && st.st_dev == parent.st_dev);
}

static bool mount_api_quiet(const struct api_mount *m)
{
	if (boot_is_mount_point(m->target)) {
		log_debug(NULL, "%s: already mounted", m->target);
		return false;
	}
	if (mkdir(m->target, 0755) < 0 && errno != EEXIST)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "mkdir %s", m->target);
	if (mount(m->source, m->target, m->fstype, m->flags, m->data) < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "mount %s on %s",
			  m->fstype, m->target);
		return false;
	}
	return true;
}

static void mount_api(const struct api_mount *m)
{
	if (mount_api_quiet(m))
		log_info(NULL, "mounted %s on %s", m->fstype, m->target);
}

/* Quiet on success: the cgroup setup's own line says where cgroup2 is,
 * and the kernel drops /dev/kmsg lines past ten within five seconds
 * (printk.devkmsg=ratelimit), which boot is close to already. */
void boot_mount_cgroup(void)
{
	if (mount_api_quiet(&cgroup_mount))
		log_debug(NULL, "mounted %s on %s", cgroup_mount.fstype,
			  cgroup_mount.target);
}

static int open_kmsg(void)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno,
			  "open /dev/kmsg; logging to stderr");
		return -1;
	}
	/* Never on 0-2, which services inherit, even with no console. */
	if (fd <= 2) {
		int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);

		if (high < 0)
			log_errno(LOG_LEVEL_WARNING, NULL, errno, "dup /dev/kmsg");
		close(fd);
		fd = high;
	}
	return fd;
}

static bool fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0 || errno != EBADF;
}

static bool fd_is_dev_null(int fd)
{
	struct stat st, null;

	return fstat(fd, &st) == 0 && stat("/dev/null", &null) == 0 &&
	       S_ISCHR(st.st_mode) && st.st_rdev == null.st_rdev;
}

/* The kernel hands init /dev/console as fds 0-2 when it found one; if it
 * did not (no /dev before devtmpfs), open it now, or /dev/null, so that
 * services never get a closed stdio that their first open() would fill. */
static bool open_console(void)
{
	const char *path = "/dev/console";
	bool missing = false;
	int fd;

	for (int i = 0; i <= 2; i++)
		missing |= !fd_is_open(i);
	if (!missing)
		return !fd_is_dev_null(2);
	/* Not close-on-exec: it becomes fds 0-2, which services inherit. */
	fd = open(path, O_RDWR | O_NOCTTY);
	if (fd < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "open %s", path);
		path = "/dev/null";
		fd = open(path, O_RDWR | O_NOCTTY);
		if (fd < 0) {
			log_errno(LOG_LEVEL_WARNING, NULL, errno, "open %s", path);
			return false;
		}
	}
	for (int i = 0; i <= 2; i++)
		if (i != fd && !fd_is_open(i) && dup2(fd, i) < 0)
			log_errno(LOG_LEVEL_WARNING, NULL, errno, "dup2 %s", path);
	if (fd > 2)
		close(fd);
	log_info(NULL, "stdio on %s", path);
	return strcmp(path, "/dev/console") == 0;
}

static bool hostname_is_valid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 64 || name[0] == '-' || name[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
		    name[i] != '.')
			return false;
	return true;
}

int boot_read_hostname(const char *path, char *name, unsigned size)
{
	char *line = NULL;
	size_t line_size = 0;
	FILE *f = fopen(path, "re");
	int err = EINVAL;

	if (!f)
		return -1;
	while (getline(&line, &line_size, f) >= 0) {
		char *start = line, *end;

		while (isspace((unsigned char)*start))
			start++;
		end = start + strlen(start);
		while (end > start && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*start == '\0' || *start == '#')
			continue;
		if (hostname_is_valid(start) && strlen(start) < size) {
			strcpy(name, start);
			err = 0;
		}
		break;
	}
	free(line);
	fclose(f);
	errno = err;
	return err ? -1 : 0;
}

static void set_hostname(void)
{
	char name[256] = "";

	if (boot_read_hostname(HOSTNAME_PATH, name, sizeof(name)) < 0) {
		if (errno != ENOENT)
			log_errno(LOG_LEVEL_WARNING, NULL, errno, "%s",
				  HOSTNAME_PATH);
		/* Keep what the kernel was given (hostname= or
		 * CONFIG_DEFAULT_HOSTNAME), unless that is nothing. */
		if (gethostname(name, sizeof(name)) == 0 && name[0] &&
		    strcmp(name, "(none)") != 0)
			return;
		strcpy(name, "localhost");
	}
	if (sethostname(name, strlen(name)) < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "sethostname %s", name);
		return;
	}
	log_info(NULL, "hostname %s", name);
}

void boot_system(struct boot_result *result)
{
	result->kmsg_fd = -1;
	umask(022);
	if (chdir("/") < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "chdir /");
	/* The kernel starts init with no PATH; svctl and shells run by
	 * services expect the usual one. */
	setenv("PATH", SPAWN_DEFAULT_PATH, 0);
	for (size_t i = 0; i < sizeof(api_mounts) / sizeof(api_mounts[0]); i++) {
		mount_api(&api_mounts[i]);
		/* Console first: it must get the lowest free fds, 0-2. */
		if (i == 0) {
			result->console_ok = open_console();
			result->kmsg_fd = open_kmsg();
			log_to_kmsg(result->kmsg_fd);
		}
	}
	set_hostname();
	/* Ctrl-Alt-Del becomes SIGINT to svd, which shuts down cleanly,
	 * instead of an immediate reboot by the kernel. In a PID namespace
	 * the kernel refuses (EINVAL): there is no keyboard there anyway. */
	if (reboot(RB_DISABLE_CAD) < 0 && errno != EINVAL)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "reboot(RB_DISABLE_CAD)");
}
