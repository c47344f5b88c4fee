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

/* The kernel's filesystems: nothing on them needs to reach a disk, and
 * unmounting them would only pull the floor from under the last steps. */
static bool is_api_path(const char *path)
{
	static const char *const api[] = { "/proc", "/sys", "/dev", "/run" };

	for (size_t i = 0; i < sizeof(api) / sizeof(api[0]); i++) {
		size_t len = strlen(api[i]);

		if (strncmp(path, api[i], len) == 0 &&
		    (path[len] == '\0' || path[len] == '/'))
			return true;
	}
	return false;
}

/* Mount points in /proc/self/mountinfo order (parents before children),
 * or NULL when it cannot be read. */
static char **read_mount_points(size_t *count)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char **points = NULL, *line = NULL;
	size_t n = 0, line_size = 0;

	*count = 0;
	if (!f) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "/proc/self/mountinfo");
		return NULL;
	}
	while (getline(&line, &line_size, f) > 0) {
		char *point = line, **grown;

		/* id parent major:minor root MOUNT-POINT ...: spaces within
		 * a field are escaped. */
		for (int field = 0; field < 4 && point; field++)
			point = strchr(point + 1, ' ');
		if (!point)
			continue;
		point++;
		point[strcspn(point, " \n")] = '\0';
		grown = realloc(points, (n + 1) * sizeof(*points));
		if (!grown)
			break;
		points = grown;
		halt_unescape_mount_point(point);
		points[n] = strdup(point);
		if (points[n])
			n++;
	}
	free(line);
	fclose(f);
	*count = n;
	return points;
}

static void unmount_all(void)
{
	size_t n;
	char **points = read_mount_points(&n);

	/* Children first, so that a parent is no longer busy with them. */
	for (size_t i = n; i-- > 0;) {
		const char *point = points[i];

		if (is_api_path(point))
			continue;
		if (strcmp(point, "/") == 0)
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
	for (size_t i = 0; i < n; i++)
		free(points[i]);
	free(points);
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
