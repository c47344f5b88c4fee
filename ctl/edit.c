#include "edit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "proto.h"

struct edit_unit {
	char *id, *fragment;
};

static void on_show(void *ctx, const struct proto_msg *reply, int last)
{
	struct edit_unit *u = ctx;
	const char *id = proto_get(reply, "Id");
	const char *fragment = proto_get(reply, "FragmentPath");

	if (!id || u->id)
		return;
	u->id = strdup(id);
	u->fragment = fragment && *fragment ? strdup(fragment) : NULL;
}

/* The first of $SYSTEMD_EDITOR, $EDITOR, $VISUAL that is set, else the
 * first of editor, nano, vi; run by sh so that "code --wait" works. */
static int run_editor(const char *path)
{
	static const char *const vars[] = { "SYSTEMD_EDITOR", "EDITOR", "VISUAL" };
	const char *editor = NULL;
	int status;
	pid_t pid;

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]) && !editor; i++)
		if (getenv(vars[i]) && *getenv(vars[i]))
			editor = getenv(vars[i]);
	pid = fork();
	if (pid < 0) {
		perror("svctl: edit: fork");
		return -1;
	}
	if (pid == 0) {
		if (editor)
			execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", editor, path,
			      (char *)NULL);
		else
			execl("/bin/sh", "sh", "-c", "for e in editor nano vi; do "
			      "command -v $e >/dev/null && exec $e \"$0\"; done; "
			      "echo 'svctl: edit: no editor: set $EDITOR' >&2; "
			      "exit 127", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("svctl: edit: waitpid");
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "svctl: edit: the editor failed: nothing saved\n");
		return -1;
	}
	return 0;
}

/* Whether the file says anything but comments and blank lines. */
static bool has_settings(const char *path)
{
	FILE *f = fopen(path, "re");
	char line[4096];
	bool any = false;

	if (!f)
		return false;
	while (!any && fgets(line, sizeof(line), f)) {
		const char *p = line + strspn(line, " \t\r\n");

		any = *p && *p != '#' && *p != ';';
	}
	fclose(f);
	return any;
}

/* The temporary copy: the drop-in as it is, or a note of what to write. */
static int make_copy(const char *target, const char *id, char *tmp)
{
	int fd = mkstemp(tmp), in;
	char buf[8192];
	ssize_t n;

	if (fd < 0)
		return -1;
	in = open(target, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		dprintf(fd, "# Drop-in for %s: what is set here overrides its unit\n"
			"# file (svctl edit; svd re-reads its units once saved,\n"
			"# a restart applies them to what runs).\n", id);
	while (in >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	if (in >= 0)
		close(in);
	return close(fd);
}

static int save(struct edit_unit *u)
{
	char *dir = NULL, *target = NULL, *tmp = NULL, *slash;
	int r = -1;

	slash = strrchr(u->fragment, '/');
	if (asprintf(&dir, "%.*s/%s.d", slash ? (int)(slash - u->fragment) : 1,
		     slash ? u->fragment : ".", u->id) < 0 ||
	    asprintf(&target, "%s/override.conf", dir) < 0 ||
	    asprintf(&tmp, "%s/.#override.confXXXXXX", dir) < 0) {
		perror("svctl: edit");
		goto out;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "svctl: edit: %s: %s\n", dir, strerror(errno));
		goto out;
	}
	if (make_copy(target, u->id, tmp) < 0) {
		fprintf(stderr, "svctl: edit: %s: %s\n", tmp, strerror(errno));
		goto out;
	}
	if (run_editor(tmp) < 0) {
		unlink(tmp);
		goto out;
	}
	/* Nothing said: no drop-in, as systemctl removes an empty one. */
	if (!has_settings(tmp)) {
		unlink(tmp);
		if (unlink(target) == 0 || errno == ENOENT)
			r = 0;
		rmdir(dir);	/* only when empty */
	} else if (rename(tmp, target) == 0) {
		printf("%s: saved %s\n", u->id, target);
		r = 0;
	} else {
		fprintf(stderr, "svctl: edit: %s: %s\n", target, strerror(errno));
		unlink(tmp);
	}
out:
	free(dir);
	free(target);
	free(tmp);
	return r;
}

static int reload(const char *socket_path)
{
	int fd = client_connect(socket_path);
	int r;

	if (fd < 0)
		return -fd;
	r = client_call(fd, "daemon-reload", NULL, NULL, NULL);
	close(fd);
	return r;
}

int edit_run(int fd, const char *socket_path, const char *unit)
{
	struct edit_unit u = { 0 };
	int r = client_call(fd, "show", unit, on_show, &u);

	if (r == SVCTL_EXIT_OK && (!u.id || !u.fragment)) {
		fprintf(stderr, "svctl: edit: %s has no unit file\n",
			u.id ? u.id : unit);
		r = SVCTL_EXIT_FAILED;
	}
	if (r == SVCTL_EXIT_OK)
		r = save(&u) < 0 ? SVCTL_EXIT_FAILED : reload(socket_path);
	free(u.id);
	free(u.fragment);
	return r;
}
