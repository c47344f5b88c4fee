/* host: the values of the running system for unit specifiers, read once
 * by svd and `svctl verify` (see host.h). */
#include "host.h"
#include "envfile.h"
#include "strv.h"

#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A machine ID or boot ID: 128 bits as hex digits. */
#define HOST_ID_HEX_DIGITS 32
/* Larger than any ID file holds (a UUID with dashes and a newline is 37
 * bytes): more is no ID. */
#define HOST_ID_FILE_MAX_BYTES 64

const char *host_architecture(const char *machine)
{
	/* uname's machine and systemd's name (systemd's architecture.c);
	 * the same machine name can only mean one of them here, so the
	 * byte order is what the build targets. */
	static const char *const names[][2] = {
		{ "x86_64", "x86-64" }, { "i686", "x86" }, { "i586", "x86" },
		{ "i486", "x86" }, { "i386", "x86" }, { "x32", "x32" },
		{ "aarch64", "arm64" }, { "aarch64_be", "arm64-be" },
		{ "ppc64le", "ppc64-le" }, { "ppc64", "ppc64" },
		{ "ppcle", "ppc-le" }, { "ppc", "ppc" },
		{ "s390x", "s390x" }, { "s390", "s390" },
		{ "riscv64", "riscv64" }, { "riscv32", "riscv32" },
		{ "loongarch64", "loongarch64" },
		{ "sparc64", "sparc64" }, { "sparc", "sparc" },
		{ "parisc64", "parisc64" }, { "parisc", "parisc" },
		{ "alpha", "alpha" }, { "ia64", "ia64" }, { "m68k", "m68k" },
		{ "arc", "arc" }, { "arceb", "arc-be" }, { "crisv32", "cris" },
		{ "nios2", "nios2" }, { "tilegx", "tilegx" }, { "sh5", "sh64" },
		{ "sh4a", "sh" }, { "sh4", "sh" }, { "sh3", "sh" },
		{ "sh2a", "sh" }, { "sh2", "sh" },
#if __BYTE_ORDER == __LITTLE_ENDIAN
		{ "mips64", "mips64-le" }, { "mips", "mips-le" },
#else
		{ "mips64", "mips64" }, { "mips", "mips" },
#endif
	};
	size_t len = strlen(machine);

	for (size_t i = 0; i < N_OF(names); i++)
		if (strcmp(machine, names[i][0]) == 0)
			return names[i][1];
	/* armv4l ... armv8l, and their big-endian "...b" kin. */
	if (strncmp(machine, "armv", 4) == 0 && len > 4)
		return machine[len - 1] == 'b' ? "arm-be" : "arm";
	return machine;
}

/* root + path, or path itself under "/". */
static char *under(const char *root, const char *path)
{
	char *full;

	if (!root || !*root)
		return strdup(path);
	return asprintf(&full, "%s%s", root, path) < 0 ? NULL : full;
}

/* The first line of a small regular file, as 32 hex digits once the
 * dashes are gone (a boot ID is written as a UUID). NULL when the file
 * holds no such ID; -1 only on ENOMEM. */
static int read_id(const char *root, const char *path, char **out)
{
	char buf[HOST_ID_FILE_MAX_BYTES + 1], id[HOST_ID_HEX_DIGITS + 1];
	char *full = under(root, path);
	size_t n_id = 0;
	ssize_t n = -1;
	int fd;

	*out = NULL;
	if (!full)
		return -1;
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	free(full);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		close(fd);
	}
	if (n <= 0 || n > HOST_ID_FILE_MAX_BYTES)
		return 0;
	for (ssize_t i = 0; i < n && buf[i] != '\n'; i++) {
		if (buf[i] == '-')
			continue;
		if (!isxdigit((unsigned char)buf[i]) || n_id == HOST_ID_HEX_DIGITS)
			return 0;
		id[n_id++] = (char)tolower((unsigned char)buf[i]);
	}
	if (n_id != HOST_ID_HEX_DIGITS)
		return 0;
	id[n_id] = '\0';
	*out = strdup(id);
	return *out ? 0 : -1;
}

/* The assignments of an os-release(5)-style file; NULL when it cannot be
 * read. -1 only on ENOMEM. */
static int read_assignments(const char *root, const char *path, char ***env)
{
	char *full = under(root, path);
	int r;

	*env = NULL;
	if (!full)
		return -1;
	r = envfile_read(full, env, NULL, NULL, NULL, 0);
	free(full);
	if (r < 0 && errno == ENOMEM)
		return -1;
	if (r < 0)
		*env = NULL;
	return 0;
}

/* A copy of key's value in env, "" when unset (env NULL: NULL). */
static int copy_field(char *const *env, const char *key, bool empty_if_unset,
		      char **out)
{
	const char *value = env ? strv_env_get(env, key) : NULL;

	if (!value && (!env || !empty_if_unset)) {
		*out = NULL;
		return 0;
	}
	*out = strdup(value ? value : "");
	return *out ? 0 : -1;
}

static int read_os_release(struct spec_host *h, const char *root)
{
	char **env;
	int r;

	if (read_assignments(root, "/etc/os-release", &env) < 0)
		return -1;
	if (!env && read_assignments(root, "/usr/lib/os-release", &env) < 0)
		return -1;
	r = copy_field(env, "ID", true, &h->os_id) < 0 ||
	    copy_field(env, "VERSION_ID", true, &h->os_version_id) < 0 ||
	    copy_field(env, "VARIANT_ID", true, &h->os_variant_id) < 0 ||
	    copy_field(env, "BUILD_ID", true, &h->os_build_id) < 0 ||
	    copy_field(env, "IMAGE_ID", true, &h->os_image_id) < 0 ||
	    copy_field(env, "IMAGE_VERSION", true, &h->os_image_version) < 0 ?
	    -1 : 0;
	strv_free(env);
	return r;
}

static int read_pretty_hostname(struct spec_host *h, const char *root)
{
	char **env;
	int r;

	if (read_assignments(root, "/etc/machine-info", &env) < 0)
		return -1;
	r = copy_field(env, "PRETTY_HOSTNAME", false, &h->pretty_hostname);
	/* An empty one is none: %q is then the short host name. */
	if (r == 0 && h->pretty_hostname && !*h->pretty_hostname) {
		free(h->pretty_hostname);
		h->pretty_hostname = NULL;
	}
	strv_free(env);
	return r;
}

static int read_uname(struct spec_host *h)
{
	struct utsname u;

	if (uname(&u) < 0)
		return 0;	/* only EFAULT: cannot be */
	h->hostname = strdup(u.nodename);
	h->kernel_release = strdup(u.release);
	h->architecture = strdup(host_architecture(u.machine));
	return h->hostname && h->kernel_release && h->architecture ? 0 : -1;
}

static char *number(unsigned long n)
{
	char *s;

	return asprintf(&s, "%lu", n) < 0 ? NULL : s;
}

/* A copy of s (NULL stays NULL); false when the copy failed. */
static bool copy(char **out, const char *s)
{
	*out = s ? strdup(s) : NULL;
	return !s || *out;
}

/* The user svd runs as. Root's values are fixed, as systemd has them for
 * the system manager, so that PID 1 needs no user database. */
static int read_user(struct spec_host *h)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	const char *home = getenv("HOME");
	struct passwd *pw = uid == 0 ? NULL : getpwuid(uid);
	bool ok;

	if (uid == 0)
		ok = copy(&h->user_name, "root") && copy(&h->home, "/root") &&
		     copy(&h->shell, "/bin/sh");
	else
		ok = (pw ? copy(&h->user_name, pw->pw_name) :
			   !!(h->user_name = number(uid))) &&
		     copy(&h->home, home && home[0] == '/' ? home :
				    pw ? pw->pw_dir : NULL) &&
		     copy(&h->shell, pw ? pw->pw_shell : NULL);
	if (ok && gid == 0) {
		ok = copy(&h->group_name, "root");
	} else if (ok) {
		struct group *gr = getgrgid(gid);

		ok = gr ? copy(&h->group_name, gr->gr_name) :
			  !!(h->group_name = number(gid));
	}
	ok = ok && (h->user_id = number(uid)) && (h->group_id = number(gid));
	return ok ? 0 : -1;
}

/* %T and %V: the first of $TMPDIR, $TEMP, $TMP that is an absolute
 * path, as systemd's tmp_dir() takes them. */
static int read_tmp_dirs(struct spec_host *h)
{
	static const char *const vars[] = { "TMPDIR", "TEMP", "TMP" };
	const char *dir = NULL;

	for (size_t i = 0; !dir && i < N_OF(vars); i++) {
		const char *value = getenv(vars[i]);

		if (value && value[0] == '/')
			dir = value;
	}
	h->tmp_dir = strdup(dir ? dir : "/tmp");
	h->var_tmp_dir = strdup(dir ? dir : "/var/tmp");
	return h->tmp_dir && h->var_tmp_dir ? 0 : -1;
}

int host_read(struct spec_host *h, const char *root)
{
	*h = (struct spec_host){0};
	if (read_uname(h) < 0 || read_user(h) < 0 || read_tmp_dirs(h) < 0 ||
	    read_id(root, "/etc/machine-id", &h->machine_id) < 0 ||
	    read_id(root, "/proc/sys/kernel/random/boot_id", &h->boot_id) < 0 ||
	    read_os_release(h, root) < 0 || read_pretty_hostname(h, root) < 0) {
		host_clear(h);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void host_clear(struct spec_host *h)
{
	char **fields[] = {
		&h->hostname, &h->pretty_hostname, &h->machine_id, &h->boot_id,
		&h->kernel_release, &h->architecture, &h->os_id,
		&h->os_version_id, &h->os_variant_id, &h->os_build_id,
		&h->os_image_id, &h->os_image_version, &h->user_name,
		&h->user_id, &h->group_name, &h->group_id, &h->home, &h->shell,
		&h->tmp_dir, &h->var_tmp_dir,
	};

	for (size_t i = 0; i < N_OF(fields); i++)
		free(*fields[i]);
	*h = (struct spec_host){0};
}
