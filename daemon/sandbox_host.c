/* sandbox_host: see sandbox_host.h. */
#include "sandbox_host.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "execenv.h"
#include "spawn_ns.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static unsigned long options_flags(const char *options)
{
	static const struct { const char *word; unsigned long flag; } words[] = {
		{ "ro", MS_RDONLY }, { "nosuid", MS_NOSUID }, { "nodev", MS_NODEV },
		{ "noexec", MS_NOEXEC }, { "noatime", MS_NOATIME },
		{ "nodiratime", MS_NODIRATIME }, { "relatime", MS_RELATIME },
		{ "strictatime", MS_STRICTATIME },
	};
	unsigned long flags = 0;

	while (*options) {
		size_t len = strcspn(options, ",");

		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strlen(words[i].word) == len &&
			    strncmp(options, words[i].word, len) == 0)
				flags |= words[i].flag;
		options += len + (options[len] == ',');
	}
	return flags;
}

/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ...": the 5th and 6th. */
static int parse_line(char *line, struct sandbox_mount *mount)
{
	char *field = line, *fields[6];

	for (int i = 0; i < 6; i++) {
		fields[i] = field;
		field = strchr(field, ' ');
		if (!field && i < 5)
			return -1;
		if (field)
			*field++ = '\0';
	}
	unescape(fields[4]);
	if (!(mount->path = strdup(fields[4])))
		return -2;
	mount->flags = options_flags(fields[5]);
	return 0;
}

int sandbox_mounts_read(struct sandbox_mounts *mounts)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	int err = 0;

	*mounts = (struct sandbox_mounts){ 0 };
	if (!f)
		return -1;
	while (!err && getline(&line, &cap, f) > 0) {
		struct sandbox_mount m, *grown;
		int r;

		line[strcspn(line, "\n")] = '\0';
		r = parse_line(line, &m);
		if (r == -1)
			continue;	/* not the kernel's format: skipped */
		grown = r < 0 ? NULL : realloc(mounts->items,
					       (mounts->n + 1) * sizeof(*grown));
		if (!grown) {
			if (r == 0)
				free(m.path);
			err = ENOMEM;
			break;
		}
		mounts->items = grown;
		mounts->items[mounts->n++] = m;
	}
	if (!err && ferror(f))
		err = errno ? errno : EIO;
	free(line);
	fclose(f);
	if (err) {
		sandbox_mounts_free(mounts);
		errno = err;
		return -1;
	}
	return 0;
}

void sandbox_mounts_free(struct sandbox_mounts *mounts)
{
	for (size_t i = 0; i < mounts->n; i++)
		free(mounts->items[i].path);
	free(mounts->items);
	*mounts = (struct sandbox_mounts){ 0 };
}

bool sandbox_mounts_has(const struct sandbox_mounts *mounts, const char *path)
{
	for (size_t i = 0; i < mounts->n; i++)
		if (strcmp(mounts->items[i].path, path) == 0)
			return true;
	return false;
}

/* Whether path is prefix itself or below it. */
static bool under(const char *path, const char *prefix)
{
	size_t len = strlen(prefix);

	if (strcmp(prefix, "/") == 0)
		return true;
	return strncmp(path, prefix, len) == 0 && (path[len] == '/' || !path[len]);
}

unsigned long sandbox_mounts_flags_of(const struct sandbox_mounts *mounts,
				      const char *path)
{
	size_t best = 0, best_len = 0;
	bool found = false;

	/* The last of equal paths is the one on top. */
	for (size_t i = 0; i < mounts->n; i++) {
		size_t len = strlen(mounts->items[i].path);

		if (under(path, mounts->items[i].path) && (!found || len >= best_len)) {
			best = i;
			best_len = len;
			found = true;
		}
	}
	return found ? mounts->items[best].flags : 0;
}

/* What the kernel said to each flag's probe: -1 not asked yet. svd
 * asks once: whether a container lets it have namespaces does not
 * change while it runs. */
static int probe_answer(int flag, int *index)
{
	static const int flags[] = { CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWIPC,
				     CLONE_NEWUTS, CLONE_NEWUSER };

	for (int i = 0; i < 5; i++)
		if (flags[i] == flag) {
			*index = i;
			return 0;
		}
	return -1;
}

int sandbox_probe(int flag)
{
	static int answers[5] = { -1, -1, -1, -1, -1 };
	int index, status;
	pid_t pid;

	if (probe_answer(flag, &index) < 0)
		return EINVAL;
	if (answers[index] >= 0)
		return answers[index];
	pid = fork();
	if (pid < 0)
		return errno;	/* not remembered: asked again next time */
	if (pid == 0) {
		if (unshare(flag) < 0)
			_exit(errno & 0xff);
		if (flag == CLONE_NEWNS &&
		    mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
			_exit(errno & 0xff);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	answers[index] = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
	return answers[index];
}

char *sandbox_make_private_tmp(const char *base, const char *unit_name)
{
	char *dir, *inner;
	mode_t old;
	int err = 0;

	if (asprintf(&dir, "%s/svd-private-%s-XXXXXX", base, unit_name) < 0)
		return NULL;
	old = umask(0077);
	if (!mkdtemp(dir))
		err = errno;
	umask(old);
	if (err) {
		free(dir);
		errno = err;
		return NULL;
	}
	if (asprintf(&inner, "%s/tmp", dir) < 0) {
		err = ENOMEM;
	} else {
		if (mkdir(inner, 0700) < 0 || chmod(inner, 01777) < 0)
			err = errno;
		free(inner);
	}
	if (err) {
		sandbox_remove_private_tmp(dir);
		free(dir);
		errno = err;
		return NULL;
	}
	return dir;
}

int sandbox_remove_private_tmp(const char *dir)
{
	return execenv_remove_tree(dir);
}

static const struct { int flag; const char *name; } kinds[3] = {
	{ CLONE_NEWNET, "net" }, { CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" },
};

/* The child: each namespace, then it says so and waits for svd to have
 * opened them. Its exit status is the errno of what failed, plus 64
 * times the kind. */
static _Noreturn void namespaces_child(int flags, int ready, int done)
{
	char c = 1;

	for (int i = 0; i < 3; i++)
		if ((flags & kinds[i].flag) && unshare(kinds[i].flag) < 0)
			_exit(i * 64 + (errno & 63));
	if ((flags & CLONE_NEWNET) && spawn_ns_loopback_up() < 0)
		_exit(errno & 63);
	if (write(ready, &c, 1) != 1)
		_exit(EIO);
	while (read(done, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void close_all(int fds[3])
{
	for (int i = 0; i < 3; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* Opens the child's namespaces once it has made them; 0 or the errno. */
static int open_namespaces(pid_t pid, int flags, int ready, int fds[3])
{
	char path[64], c;
	ssize_t n;

	while ((n = read(ready, &c, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return -1;	/* it failed: its status says why */
	for (int i = 0; i < 3; i++) {
		if (!(flags & kinds[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, kinds[i].name);
		if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return errno;
	}
	return 0;
}

int sandbox_make_namespaces(int flags, int fds[3], int *flag)
{
	int ready[2], done[2], status, err;
	pid_t pid;

	fds[0] = fds[1] = fds[2] = -1;
	*flag = flags & CLONE_NEWNET ? CLONE_NEWNET : flags & CLONE_NEWIPC ?
		CLONE_NEWIPC : CLONE_NEWUTS;
	if (pipe2(ready, O_CLOEXEC) < 0)
		return errno;
	if (pipe2(done, O_CLOEXEC) < 0) {
		err = errno;
		close(ready[0]);
		close(ready[1]);
		return err;
	}
	pid = fork();
	if (pid == 0) {
		/* Its copy of the write end would keep done from ending. */
		close(ready[0]);
		close(done[1]);
		namespaces_child(flags, ready[1], done[0]);
	}
	err = pid < 0 ? errno : 0;
	close(ready[1]);
	close(done[0]);
	if (!err)
		err = open_namespaces(pid, flags, ready[0], fds);
	close(ready[0]);
	close(done[1]);		/* the child may go */
	while (pid > 0 && waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			break;
	if (err == -1) {
		/* It failed making one: which, and why. */
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;

		*flag = kinds[code / 64 < 3 ? code / 64 : 0].flag;
		err = code % 64 ? code % 64 : EIO;
	}
	if (err)
		close_all(fds);
	return err;
}
