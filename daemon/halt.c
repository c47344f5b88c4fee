#include "halt.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

const char *halt_action_name(enum halt_action action)
{
	switch (action) {
	case HALT_REBOOT: return "reboot";
	case HALT_POWEROFF: return "poweroff";
	case HALT_HALT: return "halt";
	case HALT_NONE: break;
	}
	return "stop";
}

void halt_unescape_mount_point(char *path)
{
	char *out = path;

	for (const char *in = path; *in; in++) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			*out++ = (char)((in[1] - '0') << 6 | (in[2] - '0') << 3 |
					(in[3] - '0'));
			in += 3;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
}

/* The kernel's own filesystems: nothing on them needs to reach a disk,
 * and unmounting them would pull the floor from under the last steps.
 * Everything else, wherever it is mounted (a disk under /run/media too),
 * is unmounted or made read-only. */
static bool is_kernel_fstype(const char *fstype)
{
	static const char *const kernel[] = {
		"proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2",
		"securityfs", "debugfs", "tracefs", "pstore", "bpf", "configfs",
		"fusectl", "mqueue", "hugetlbfs", "efivarfs", "binfmt_misc",
		"autofs", "rpc_pipefs", "nsfs", "selinuxfs",
	};

	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++)
		if (strcmp(fstype, kernel[i]) == 0)
			return true;
	return false;
}

struct mount_entry {
	char *point;
	char *fstype;
};

/* Splits a mountinfo line in place: "ID PARENT MAJ:MIN ROOT POINT OPTS
 * [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS" (spaces inside fields are
 * escaped). Returns false for a line of another shape. */
bool halt_parse_mountinfo_line(char *line, char **point, char **fstype)
{
	char *field[6], *save = NULL, *word, *separator;

	separator = strstr(line, " - ");
	if (!separator)
		return false;
	*separator = '\0';
	word = strtok_r(line, " ", &save);
	for (int i = 0; i < 6; i++) {
		if (!word)
			return false;
		field[i] = word;
		word = strtok_r(NULL, " ", &save);
	}
	*point = field[4];
	*fstype = strtok_r(separator + 3, " \n", &save);
	if (!*fstype)
		return false;
	halt_unescape_mount_point(*point);
	return true;
}

static void free_mounts(struct mount_entry *mounts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(mounts[i].point);
		free(mounts[i].fstype);
	}
	free(mounts);
}

/* Mounts in /proc/self/mountinfo order (parents before children), or
 * NULL when it cannot be read. */
static struct mount_entry *read_mounts(size_t *count)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	struct mount_entry *mounts = NULL, *grown;
	char *line = NULL, *point, *fstype;
	size_t n = 0, line_size = 0;

	*count = 0;
	if (!f) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "/proc/self/mountinfo");
		return NULL;
	}
	while (getline(&line, &line_size, f) > 0) {
		if (!halt_parse_mountinfo_line(line, &point, &fstype))
			continue;
		grown = realloc(mounts, (n + 1) * sizeof(*mounts));
		if (!grown)
			break;
		mounts = grown;
		mounts[n].point = strdup(point);
		mounts[n].fstype = strdup(fstype);
		if (!mounts[n].point || !mounts[n].fstype) {
			free(mounts[n].point);
			free(mounts[n].fstype);
			break;
		}
		n++;
	}
	if (ferror(f) || !feof(f))
		log_warning(NULL, "/proc/self/mountinfo: read %zu mounts only", n);
	free(line);
	fclose(f);
	*count = n;
	return mounts;
}

static void unmount_all(void)
{
	size_t n;
	struct mount_entry *mounts = read_mounts(&n);

	/* Children first, so that a parent is no longer busy with them. */
	for (size_t i = n; i-- > 0;) {
		const char *point = mounts[i].point;

		if (is_kernel_fstype(mounts[i].fstype) || strcmp(point, "/") == 0)
			continue;
		if (umount2(point, UMOUNT_NOFOLLOW) == 0) {
			log_info(NULL, "unmounted %s", point);
			continue;
		}
		if (mount(NULL, point, NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0)
			log_info(NULL, "remounted %s read-only", point);
		else
			log_errno(LOG_LEVEL_WARNING, NULL, errno,
				  "unmount or remount read-only %s", point);
	}
	free_mounts(mounts, n);
	/* The root cannot be unmounted; without /proc it is all we know of. */
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0)
		log_info(NULL, "remounted / read-only");
	else
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "remount / read-only");
}

void halt_system(enum halt_action action)
{
	int cmd = action == HALT_POWEROFF ? RB_POWER_OFF :
		  action == HALT_HALT ? RB_HALT_SYSTEM : RB_AUTOBOOT;

	log_info(NULL, "%s: syncing and unmounting filesystems",
		 halt_action_name(action));
	sync();
	unmount_all();
	sync();
	log_info(NULL, "%s now", halt_action_name(action));
	if (reboot(cmd) < 0)
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "reboot(2) for %s",
			  halt_action_name(action));
}

static void on_sigchld(int signo)
{
	(void)signo;
}

_Noreturn void halt_freeze(void)
{
	struct sigaction sa = { .sa_handler = on_sigchld };
	sigset_t chld, wait_mask;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &wait_mask);
	sigdelset(&wait_mask, SIGCHLD);
	sigaction(SIGCHLD, &sa, NULL);
	/* SIGCHLD stays blocked but while sigsuspend() waits, so that none
	 * arrives unseen between the last waitpid() and the wait. */
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		sigsuspend(&wait_mask);
	}
}
