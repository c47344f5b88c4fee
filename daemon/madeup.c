#include "madeup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot.h"
#include "fstab.h"
#include "mounts.h"
#include "strv.h"

static bool has_suffix(const char *name, const char *suffix)
{
	size_t len = strlen(name), n = strlen(suffix);

	return len > n && strcmp(name + len - n, suffix) == 0;
}

bool madeup_kind(const char *name, enum unit_kind *kind)
{
	static const struct {
		const char *suffix;
		enum unit_kind kind;
	} kinds[] = {
		{ ".target", UNIT_KIND_TARGET },
		{ ".mount", UNIT_KIND_MOUNT },
		{ ".device", UNIT_KIND_DEVICE },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (has_suffix(name, kinds[i].suffix)) {
			if (kind)
				*kind = kinds[i].kind;
			return true;
		}
	return false;
}

/* What the unit's name stands for: the mount point, or the device's
 * node. systemd names a network interface's device
 * sys-subsystem-net-devices-NAME.device (udev's alias of its sysfs
 * path); svd looks for /sys/class/net/NAME, where it is. */
static char *madeup_path(const char *name)
{
	static const char net[] = "/sys/subsystem/net/devices/";
	char *path = unit_name_to_path(name), *real;

	if (!path || strncmp(path, net, sizeof(net) - 1) != 0 ||
	    !has_suffix(name, ".device"))
		return path;
	if (asprintf(&real, "/sys/class/net/%s", path + sizeof(net) - 1) < 0)
		real = NULL;
	free(path);
	return real;
}

struct unit *madeup_unit(const char *name, const char **why)
{
	struct unit *unit;
	char *path = NULL;
	int r;

	*why = "out of memory";
	unit = unit_new();
	if (!unit || !(unit->name = strdup(name)) ||
	    !madeup_kind(name, &unit->kind)) {
		unit_free(unit);
		return NULL;
	}
	if (unit->kind != UNIT_KIND_TARGET && !(path = madeup_path(name))) {
		if (errno == EINVAL)
			*why = "not a path in systemd's escaping "
			       "(\"var-lib.mount\" is /var/lib)";
		unit_free(unit);
		return NULL;
	}
	if (unit->kind == UNIT_KIND_TARGET)
		r = asprintf(&unit->description, "target %s", name);
	else if (unit->kind == UNIT_KIND_MOUNT)
		r = asprintf(&unit->description, "mount point %s", path);
	else
		r = asprintf(&unit->description, "device %s", path);
	free(path);
	if (r < 0) {
		unit->description = NULL;
		unit_free(unit);
		return NULL;
	}
	/* Nothing to run, active once started, as a oneshot with no
	 * command that remains. */
	unit->type = UNIT_TYPE_ONESHOT;
	unit->remain_after_exit = true;
	unit->timeout_start_usec = USEC_INFINITY;
	unit->start_limit_burst = 0;
	return unit;
}

static bool mount_there(struct mounts *mounts, const char *path, char *why,
			size_t size)
{
	struct stat st;

	/* The root is mounted while anything runs. */
	if (strcmp(path, "/") == 0)
		return true;
	if (mounts)
		return mounts_ensure(mounts, path, why, size);
	if (lstat(path, &st) < 0) {
		snprintf(why, size, "%s: %s", path, strerror(errno));
		return false;
	}
	if (boot_is_mount_point(path))
		return true;
	snprintf(why, size, "%s is not a mount point", path);
	return false;
}

static bool device_there(const char *path, char *why, size_t size)
{
	struct stat st;

	/* Followed: /dev/disk/by-uuid/ and the like are links. */
	if (stat(path, &st) == 0)
		return true;
	if (errno == ENOENT)
		snprintf(why, size, "%s does not exist", path);
	else
		snprintf(why, size, "%s: %s", path, strerror(errno));
	return false;
}

bool madeup_check(const struct unit *unit, struct mounts *mounts, char *why,
		  size_t size)
{
	const char *failed;
	char *path;
	bool there;

	/* As systemd's: fails when a mount it requires failed (nofail and
	 * noauto ones it does not require). */
	if (unit->kind == UNIT_KIND_TARGET && mounts &&
	    strcmp(unit->name, MADEUP_LOCAL_FS_TARGET) == 0 &&
	    (failed = mounts_failed_required(mounts))) {
		snprintf(why, size, "%s", failed);
		return false;
	}
	if (unit->kind != UNIT_KIND_MOUNT && unit->kind != UNIT_KIND_DEVICE)
		return true;
	path = madeup_path(unit->name);
	if (!path) {
		snprintf(why, size, "%s: %s", unit->name, strerror(errno));
		return false;
	}
	there = unit->kind == UNIT_KIND_MOUNT ?
		mount_there(mounts, path, why, size) :
		device_there(path, why, size);
	free(path);
	return there;
}

int madeup_fstab_read(const char *path, char ***points)
{
	struct fstab tab = {0};
	int r, err;

	*points = NULL;
	/* Bad lines are the boot's to report (mounts.h), not every
	 * reload's. */
	r = fstab_load(&tab, path, NULL, NULL);
	err = errno;
	for (size_t i = 0; i < tab.n; i++) {
		const struct fstab_entry *e = &tab.entries[i];

		if (e->swap || strcmp(e->point, "/") == 0)
			continue;
		if (strv_push(points, e->point) < 0) {
			r = -1;
			err = errno;
			break;
		}
	}
	fstab_free(&tab);
	errno = err;
	return r;
}

/* Whether point is path or one of its parents (both plain). */
static bool above_or_at(const char *point, const char *path)
{
	size_t n = strlen(point);

	return strncmp(point, path, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

static int compare_length(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);

	return x < y ? -1 : x > y;
}

char **madeup_mounts_for(char *const *points, const char *path)
{
	char **names = calloc(1, sizeof(*names));
	size_t n = 0;

	for (size_t i = 0; names && points && points[i]; i++) {
		char *name;

		if (!above_or_at(points[i], path))
			continue;
		name = unit_name_from_path(points[i], ".mount");
		if (!name || strv_push_take(&names, name) < 0) {
			strv_free(names);
			return NULL;
		}
		n++;
	}
	if (names)
		qsort(names, n, sizeof(*names), compare_length);
	return names;
}
