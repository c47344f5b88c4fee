#include "access.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "vocab.h"

/* Peers' supplementary groups read at once without allocating; more
 * (up to the kernel's NGROUPS_MAX) are read into a heap buffer. */
#define ACCESS_PEER_GROUPS_INLINE 64

/* A decimal id, or -1: names that are numbers are ids, as systemd
 * reads User=. */
static long long parse_id(const char *text)
{
	char *end;
	unsigned long long n;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (*end || errno || n >= (gid_t)-1)
		return -1;
	return (long long)n;
}

static int resolve_group(const char *key, const char *name, gid_t *gid)
{
	long long id = parse_id(name);
	struct group *gr;

	if (id >= 0) {
		*gid = (gid_t)id;
		return 0;
	}
	errno = 0;
	gr = getgrnam(name);
	if (!gr) {
		log_error(NULL, "svd.conf [Control] %s=%s: %s; left out", key,
			  name, errno ? strerror(errno) : "no such group");
		return -1;
	}
	*gid = gr->gr_gid;
	return 0;
}

static int resolve_user(const char *name, uid_t *uid)
{
	long long id = parse_id(name);
	struct passwd *pw;

	if (id >= 0) {
		*uid = (uid_t)id;
		return 0;
	}
	errno = 0;
	pw = getpwnam(name);
	if (!pw) {
		log_error(NULL, "svd.conf [Control] ManageUsers=%s: %s; left out",
			  name, errno ? strerror(errno) : "no such user");
		return -1;
	}
	*uid = pw->pw_uid;
	return 0;
}

int access_policy_load(struct access_policy *p, const struct settings *s)
{
	size_t n = 0;

	*p = (struct access_policy){ .socket_mode = ACCESS_SOCKET_MODE };
	if (s->control_socket_group) {
		p->has_read_group = true;
		p->read_group_known = resolve_group("SocketGroup",
						    s->control_socket_group,
						    &p->read_gid) == 0;
		if (p->read_group_known)
			p->socket_mode = ACCESS_SOCKET_MODE_GROUP;
	}
	if (s->control_manage_group)
		p->has_manage_group = resolve_group("ManageGroup",
						    s->control_manage_group,
						    &p->manage_gid) == 0;
	while (s->control_manage_users && s->control_manage_users[n])
		n++;
	if (n && !(p->manage_uids = calloc(n, sizeof(*p->manage_uids)))) {
		log_errno(LOG_LEVEL_ERROR, NULL, ENOMEM, "svd.conf [Control]");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (resolve_user(s->control_manage_users[i],
				 &p->manage_uids[p->n_manage_uids]) == 0)
			p->n_manage_uids++;
	/* A group that is not there must not leave the socket open to
	 * whatever group it has now: SocketMode= waits for it. */
	if (s->control_socket_mode >= 0 && !(p->has_read_group && !p->read_group_known))
		p->socket_mode = (mode_t)s->control_socket_mode;
	if ((p->n_manage_uids || p->has_manage_group) && !(p->socket_mode & 0022))
		log_warning(NULL, "svd.conf [Control]: ManageGroup=/ManageUsers= "
			    "cannot connect to a %04o socket: add them to "
			    "SocketGroup= or open SocketMode=",
			    (unsigned)p->socket_mode);
	return 0;
}

void access_policy_free(struct access_policy *p)
{
	free(p->manage_uids);
	p->manage_uids = NULL;
	p->n_manage_uids = 0;
}

int access_apply_socket(const struct access_policy *p, const char *path)
{
	/* The group first: the mode only widens once the group is the one
	 * svd.conf names, so no other group's members slip in between. */
	if (p->read_group_known && chown(path, (uid_t)-1, p->read_gid) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "chown %s to group %u "
			  "(svd.conf [Control] SocketGroup=); it stays 0600",
			  path, (unsigned)p->read_gid);
		if (chmod(path, ACCESS_SOCKET_MODE) < 0)
			log_errno(LOG_LEVEL_ERROR, NULL, errno, "chmod %s to %04o",
				  path, (unsigned)ACCESS_SOCKET_MODE);
		return -1;
	}
	if (chmod(path, p->socket_mode) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "chmod %s to %04o "
			  "(svd.conf [Control] SocketMode=)", path,
			  (unsigned)p->socket_mode);
		return -1;
	}
	return 0;
}

/* The peer's supplementary groups from /proc, for kernels before 4.13
 * (no SO_PEERGROUPS): they are the process's now, not at connect. */
static bool proc_groups_have(pid_t pid, gid_t want)
{
	char path[32], *line = NULL;
	size_t size = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (getline(&line, &size, f) > 0) {
		char *p = line, *end;

		if (strncmp(line, "Groups:", 7) != 0)
			continue;
		for (p += 7; !found; p = end) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			found = g == want;
		}
		break;
	}
	free(line);
	fclose(f);
	return found;
}

/* Whether the peer on fd was in group want when it connected. */
static bool peer_in_group(int fd, gid_t gid, pid_t pid, gid_t want)
{
	gid_t inline_groups[ACCESS_PEER_GROUPS_INLINE], *groups = inline_groups;
	socklen_t len = sizeof(inline_groups);
	bool found = false;

	if (gid == want)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
		if (errno == ENOPROTOOPT)
			return proc_groups_have(pid, want);
		if (errno != ERANGE || !(groups = malloc(len)))
			return false;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
			free(groups);
			return false;
		}
	}
	for (size_t i = 0; i < len / sizeof(gid_t) && !found; i++)
		found = groups[i] == want;
	if (groups != inline_groups)
		free(groups);
	return found;
}

enum access_level access_peer_level(const struct access_policy *p, int fd,
				    uid_t uid, gid_t gid, pid_t pid)
{
	if (uid == 0 || uid == geteuid())
		return ACCESS_ALL;
	if (!p)
		return ACCESS_STATUS;
	for (size_t i = 0; i < p->n_manage_uids; i++)
		if (p->manage_uids[i] == uid)
			return ACCESS_MANAGE;
	if (p->has_manage_group && peer_in_group(fd, gid, pid, p->manage_gid))
		return ACCESS_MANAGE;
	if (!p->has_read_group)
		return ACCESS_STATUS;
	if (p->read_group_known && peer_in_group(fd, gid, pid, p->read_gid))
		return ACCESS_READ;
	return ACCESS_NONE;
}

enum access_level access_verb_level(unsigned vocab_flags)
{
	if (vocab_flags & VOCAB_ROOT_ONLY)
		return ACCESS_ALL;
	if (vocab_flags & VOCAB_PRIVILEGED)
		return ACCESS_MANAGE;
	if (vocab_flags & VOCAB_READS_OUTPUT)
		return ACCESS_READ;
	return ACCESS_STATUS;
}

const char *access_denied_hint(enum access_level have, enum access_level need)
{
	if (need == ACCESS_ALL)
		return "only root (or svd's own user) may";
	if (need == ACCESS_MANAGE)
		return have == ACCESS_NONE ?
		       "not in svd.conf's [Control] SocketGroup=, ManageGroup= "
		       "or ManageUsers=" :
		       "may only read; svd.conf's [Control] ManageGroup= or "
		       "ManageUsers= grant starting and stopping";
	if (need == ACCESS_READ && have == ACCESS_STATUS)
		return "may only read states; services' output is for "
		       "svd.conf's [Control] SocketGroup= and ManageGroup=";
	return "not in svd.conf's [Control] SocketGroup= (readers), "
	       "ManageGroup= or ManageUsers=";
}
