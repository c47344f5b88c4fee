#include "ipc_clean.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/* /dev/shm may hold directories (some programs make them): this deep. */
#define IPC_CLEAN_DEPTH_MAX 16

const struct ipc_clean_paths ipc_clean_default_paths = {
	.sysvipc = "/proc/sysvipc",
	.shm = "/dev/shm",
	.mqueue = "/dev/mqueue",
};

enum sysv_kind { SYSV_SHM, SYSV_SEM, SYSV_MSG, SYSV_COUNT };

/* Each file of /proc/sysvipc: its name, and the columns (from 0) of the
 * id, the owner's uid and gid (proc(5)). */
static const struct {
	const char *file, *what;
	int id_col, uid_col, gid_col;
} sysv[SYSV_COUNT] = {
	[SYSV_SHM] = { "shm", "System V shared memory segments", 1, 7, 8 },
	[SYSV_SEM] = { "sem", "System V semaphore sets", 1, 4, 5 },
	[SYSV_MSG] = { "msg", "System V message queues", 1, 7, 8 },
};

static bool owned(uid_t uid, gid_t gid, unsigned long owner_uid,
		  unsigned long owner_gid)
{
	return (uid != 0 && uid != (uid_t)-1 && owner_uid == uid) ||
	       (gid != 0 && gid != (gid_t)-1 && owner_gid == gid);
}

static int sysv_remove(enum sysv_kind kind, int id)
{
	switch (kind) {
	case SYSV_SHM:
		return shmctl(id, IPC_RMID, NULL);
	case SYSV_SEM:
		return semctl(id, 0, IPC_RMID);
	default:
		return msgctl(id, IPC_RMID, NULL);
	}
}

/* One line's numbers: at least max_col + 1 of them, else -1. */
static int parse_columns(const char *line, unsigned long *cols, int n)
{
	const char *p = line;

	for (int i = 0; i < n; i++) {
		char *end;

		errno = 0;
		cols[i] = strtoul(p, &end, 10);
		if (end == p || errno)
			return -1;
		p = end;
	}
	return 0;
}

static unsigned clean_sysv(const struct ipc_clean_paths *paths,
			   enum sysv_kind kind, uid_t uid, gid_t gid,
			   const char *unit_name)
{
	char *path, *line = NULL;
	size_t size = 0;
	unsigned removed = 0;
	FILE *f;

	if (asprintf(&path, "%s/%s", paths->sysvipc, sysv[kind].file) < 0)
		return 0;
	f = fopen(path, "re");
	if (!f) {
		if (errno != ENOENT)
			log_errno(LOG_LEVEL_WARNING, unit_name, errno,
				  "RemoveIPC=: %s", path);
		free(path);
		return 0;
	}
	/* The first line names the columns. */
	if (getline(&line, &size, f) > 0)
		while (getline(&line, &size, f) > 0) {
			unsigned long cols[9];
			int id;

			if (parse_columns(line, cols, sysv[kind].gid_col + 1) < 0 ||
			    !owned(uid, gid, cols[sysv[kind].uid_col],
				   cols[sysv[kind].gid_col]))
				continue;
			id = (int)cols[sysv[kind].id_col];
			if (sysv_remove(kind, id) == 0)
				removed++;
			else if (errno != EIDRM && errno != EINVAL)
				log_errno(LOG_LEVEL_WARNING, unit_name, errno,
					  "RemoveIPC=: removing %s id %d",
					  sysv[kind].what, id);
		}
	free(line);
	fclose(f);
	free(path);
	return removed;
}

/* The files (and directories) under the directory open at fd that uid or
 * gid owns, through fds only. Closes fd. */
static unsigned clean_dir(int fd, uid_t uid, gid_t gid, unsigned depth,
			  const char *unit_name)
{
	DIR *dir = fdopendir(fd);
	struct dirent *entry;
	unsigned removed = 0;

	if (!dir) {
		close(fd);
		return 0;
	}
	while ((entry = readdir(dir))) {
		const char *name = entry->d_name;
		struct stat st;
		bool mine;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    fstatat(dirfd(dir), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		mine = owned(uid, gid, st.st_uid, st.st_gid);
		if (S_ISDIR(st.st_mode) && depth > 0) {
			int child = openat(dirfd(dir), name, O_RDONLY | O_DIRECTORY |
					   O_NOFOLLOW | O_CLOEXEC);

			if (child >= 0)
				removed += clean_dir(child, uid, gid, depth - 1,
						     unit_name);
			if (mine && unlinkat(dirfd(dir), name, AT_REMOVEDIR) == 0)
				removed++;
		} else if (mine) {
			if (unlinkat(dirfd(dir), name, 0) == 0)
				removed++;
			else if (errno != ENOENT)
				log_errno(LOG_LEVEL_WARNING, unit_name, errno,
					  "RemoveIPC=: removing %s", name);
		}
	}
	closedir(dir);
	return removed;
}

static unsigned clean_path(const char *path, uid_t uid, gid_t gid,
			   const char *unit_name)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return 0;	/* not mounted here: nothing of it to remove */
	return clean_dir(fd, uid, gid, IPC_CLEAN_DEPTH_MAX, unit_name);
}

unsigned ipc_clean(const struct ipc_clean_paths *paths, uid_t uid, gid_t gid,
		   const char *unit_name)
{
	unsigned n[SYSV_COUNT], posix_shm, mqueue, total = 0;

	for (int k = 0; k < SYSV_COUNT; k++)
		total += n[k] = clean_sysv(paths, (enum sysv_kind)k, uid, gid,
					   unit_name);
	total += posix_shm = clean_path(paths->shm, uid, gid, unit_name);
	total += mqueue = clean_path(paths->mqueue, uid, gid, unit_name);
	if (total)
		log_info(unit_name, "RemoveIPC=: removed what uid %u / gid %u "
			 "owned: %u shared memory segments, %u semaphore sets, "
			 "%u message queues (System V), %u in %s, %u in %s",
			 (unsigned)uid, (unsigned)gid, n[SYSV_SHM], n[SYSV_SEM],
			 n[SYSV_MSG], posix_shm, paths->shm, mqueue,
			 paths->mqueue);
	return total;
}
