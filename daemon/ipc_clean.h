/* ipc_clean: RemoveIPC= (systemd.exec(5)). Once the last service that
 * runs as a user has stopped, the IPC objects that user or its group
 * owns go: System V shared memory segments, semaphore sets and message
 * queues (as /proc/sysvipc lists them, in svd's IPC namespace), and POSIX
 * shared memory and message queues (files in /dev/shm and /dev/mqueue).
 * Root's are never touched, as in systemd's clean_ipc(). */
#ifndef SVD_IPC_CLEAN_H
#define SVD_IPC_CLEAN_H

#include <sys/types.h>

/* Where the objects are listed; tests point them elsewhere. */
struct ipc_clean_paths {
	const char *sysvipc;	/* "/proc/sysvipc" */
	const char *shm;	/* "/dev/shm" */
	const char *mqueue;	/* "/dev/mqueue" */
};

extern const struct ipc_clean_paths ipc_clean_default_paths;

/* Removes what uid or gid owns (0 or -1 of either: that one is not
 * matched) and logs, under unit_name, how many of each went. Returns
 * the number of objects removed. */
unsigned ipc_clean(const struct ipc_clean_paths *paths, uid_t uid, gid_t gid,
		   const char *unit_name);

#endif
