#include "mounts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>

#include "boot.h"
#include "execenv.h"
#include "fsprobe.h"
#include "log.h"

/* The flags a bind mount takes only from a remount (mount(2)). */
#define BIND_REMOUNT_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | \
			    MS_NOATIME | MS_NODIRATIME | MS_RELATIME | \
			    MS_STRICTATIME)

static void fstab_diag(void *ctx, const char *message)
{
	(void)ctx;
	log_warning(NULL, "%s", message);
}

int mounts_load(struct mounts *m, const char *path)
{
	int r, err;

	*m = (struct mounts){ .sys_block = "/sys/class/block", .dev = "/dev" };
	r = fstab_load(&m->tab, path, fstab_diag, NULL);
	err = errno;
	m->results = calloc(m->tab.n ? m->tab.n : 1, sizeof(*m->results));
	m->path = strdup(path);
	if (!m->results || !m->path) {
		free(m->results);
		free(m->path);
		m->results = NULL;
		m->path = NULL;
		fstab_free(&m->tab);
		errno = ENOMEM;
		return -1;
	}
	errno = err;
	return r;
}

static bool is_root(const struct fstab_entry *e)
{
	return !e->swap && strcmp(e->point, "/") == 0;
}

/* Records the failure of entry e (errno err) as its why, and logs it. */
static void failed(struct mounts *m, size_t i, const char *what, int err)
{
	const struct fstab_entry *e = &m->tab.entries[i];
	struct mounts_result *res = &m->results[i];
	char errbuf[96];

	free(res->why);
	res->state = MOUNTS_FAILED;
	log_errno_text(err, errbuf, sizeof(errbuf));
	if ((e->swap ? asprintf(&res->why, "%s %s (swap, %s:%u): %s", what,
				e->source, m->path, e->line, errbuf) :
	     asprintf(&res->why, "%s %s on %s (%s, %s:%u): %s", what,
		      e->source, e->point, e->fstype, m->path, e->line,
		      errbuf)) < 0)
		res->why = NULL;
	log_msg(e->nofail ? LOG_LEVEL_WARNING : LOG_LEVEL_ERROR, NULL, "%s%s",
		res->why ? res->why : "a mount failed",
		e->nofail ? " (nofail)" : "");
}

static void done(struct mounts *m, size_t i, enum mounts_state state)
{
	const struct fstab_entry *e = &m->tab.entries[i];

	m->results[i].state = state;
	free(m->results[i].why);
	m->results[i].why = NULL;
	log_debug(NULL, "%s %s on %s (%s)%s", e->swap ? "swap" : "mounted",
		  e->source, e->point, e->fstype,
		  state == MOUNTS_THERE ? ": there already" : "");
}

/* A bind mount's flags and any propagation, each a mount(2) of its own. */
static int mount_after(const struct fstab_entry *e)
{
	if ((e->flags & MS_BIND) && (e->flags & BIND_REMOUNT_FLAGS) &&
	    mount(NULL, e->point, NULL, MS_REMOUNT | MS_BIND |
		  (e->flags & BIND_REMOUNT_FLAGS), NULL) < 0)
		return -1;
	if (e->propagation && mount(NULL, e->point, NULL, e->propagation, NULL) < 0)
		return -1;
	return 0;
}

static void mount_one(struct mounts *m, size_t i)
{
	const struct fstab_entry *e = &m->tab.entries[i];
	bool bind = e->flags & MS_BIND;
	char *source;

	if (boot_is_mount_point(e->point)) {
		done(m, i, MOUNTS_THERE);
		return;
	}
	source = bind ? strdup(e->source) :
		fsprobe_resolve(e->source, m->sys_block, m->dev);
	if (!source) {
		failed(m, i, "finding the device of", errno);
		return;
	}
	/* systemd makes the mount point when it is missing. */
	if ((execenv_make_parents(e->point) < 0 ||
	     (mkdir(e->point, 0755) < 0 && errno != EEXIST))) {
		failed(m, i, "making the mount point of", errno);
	} else if (mount(source, e->point, bind ? NULL : e->fstype,
			 e->flags, bind ? NULL : e->data) < 0) {
		failed(m, i, "mount", errno);
	} else if (mount_after(e) < 0) {
		failed(m, i, "setting the flags of", errno);
	} else {
		done(m, i, MOUNTS_DONE);
	}
	free(source);
}

static void swap_one(struct mounts *m, size_t i)
{
	const struct fstab_entry *e = &m->tab.entries[i];
	char *source = fsprobe_resolve(e->source, m->sys_block, m->dev);

	if (!source) {
		failed(m, i, "finding the device of", errno);
		return;
	}
	if (swapon(source, e->swap_flags) == 0)
		done(m, i, MOUNTS_DONE);
	else if (errno == EBUSY)
		done(m, i, MOUNTS_THERE);
	else
		failed(m, i, "swapon", errno);
	free(source);
}

/* Whether a is b or one of its parents (both plain). */
static bool above_or_at(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (strcmp(a, "/") == 0)
		return true;
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

static bool boot_pending(const struct mounts *m, size_t i)
{
	const struct fstab_entry *e = &m->tab.entries[i];

	return !e->swap && !e->noauto && !is_root(e) &&
	       m->results[i].state == MOUNTS_PENDING;
}

/* Whether entry i waits for another pending one: a mount at a parent of
 * its mount point, or (a bind) at or above its source. */
static bool waits(const struct mounts *m, size_t i)
{
	const struct fstab_entry *e = &m->tab.entries[i];

	for (size_t j = 0; j < m->tab.n; j++) {
		const char *other = m->tab.entries[j].point;

		if (j == i || !boot_pending(m, j))
			continue;
		if (above_or_at(other, e->point) && strcmp(other, e->point) != 0)
			return true;
		if ((e->flags & MS_BIND) && above_or_at(other, e->source))
			return true;
	}
	return false;
}

static void mount_all(struct mounts *m)
{
	bool progress = true;

	while (progress) {
		progress = false;
		for (size_t i = 0; i < m->tab.n; i++)
			if (boot_pending(m, i) && !waits(m, i)) {
				mount_one(m, i);
				progress = true;
			}
	}
	/* What waits in a circle (a bind of a path below itself) goes in
	 * the file's order. */
	for (size_t i = 0; i < m->tab.n; i++)
		if (boot_pending(m, i))
			mount_one(m, i);
}

/* systemd-remount-fs: / gets its fstab options now that init runs. */
static void remount_root(struct mounts *m)
{
	for (size_t i = m->tab.n; i-- > 0;) {
		const struct fstab_entry *e = &m->tab.entries[i];

		if (!is_root(e))
			continue;
		if (mount(NULL, "/", NULL, MS_REMOUNT | e->flags,
			  *e->data ? e->data : NULL) < 0) {
			failed(m, i, "remount", errno);
			return;
		}
		m->results[i].state = MOUNTS_DONE;
		log_info(NULL, "remounted / %s", e->flags & MS_RDONLY ?
			 "read-only" : "read-write");
		return;
	}
}

void mounts_boot(struct mounts *m)
{
	size_t n_mounted = 0, n_swaps = 0, n_failed = 0;

	remount_root(m);
	mount_all(m);
	for (size_t i = 0; i < m->tab.n; i++)
		if (m->tab.entries[i].swap && !m->tab.entries[i].noauto)
			swap_one(m, i);
	for (size_t i = 0; i < m->tab.n; i++) {
		if (m->results[i].state == MOUNTS_FAILED)
			n_failed++;
		else if (m->results[i].state != MOUNTS_DONE || is_root(&m->tab.entries[i]))
			continue;
		else if (m->tab.entries[i].swap)
			n_swaps++;
		else
			n_mounted++;
	}
	if (n_mounted || n_swaps || n_failed)
		log_info(NULL, "fstab: %zu mounted, %zu swaps on, %zu failed",
			 n_mounted, n_swaps, n_failed);
}

bool mounts_ensure(struct mounts *m, const char *point, char *why, size_t size)
{
	const struct fstab_entry *e = fstab_find(&m->tab, point);
	size_t i;

	if (boot_is_mount_point(point))
		return true;
	if (!e) {
		snprintf(why, size, "%s is not a mount point", point);
		return false;
	}
	i = (size_t)(e - m->tab.entries);
	m->results[i].state = MOUNTS_PENDING;
	mount_one(m, i);
	if (m->results[i].state != MOUNTS_FAILED)
		return true;
	snprintf(why, size, "%s", m->results[i].why ? m->results[i].why :
		 "the mount failed");
	return false;
}

const char *mounts_failed_required(const struct mounts *m)
{
	for (size_t i = 0; i < m->tab.n; i++)
		if (m->results[i].state == MOUNTS_FAILED &&
		    !m->tab.entries[i].nofail && !m->tab.entries[i].noauto)
			return m->results[i].why ? m->results[i].why :
			       "a mount failed";
	return NULL;
}

void mounts_swapoff(struct mounts *m)
{
	for (size_t i = m->tab.n; i-- > 0;) {
		const struct fstab_entry *e = &m->tab.entries[i];
		char *source;

		if (!e->swap || m->results[i].state != MOUNTS_DONE)
			continue;
		source = fsprobe_resolve(e->source, m->sys_block, m->dev);
		if (!source || swapoff(source) < 0)
			log_errno(LOG_LEVEL_WARNING, NULL, errno, "swapoff %s",
				  e->source);
		else
			log_info(NULL, "swap off on %s", source);
		free(source);
	}
}

void mounts_free(struct mounts *m)
{
	for (size_t i = 0; m->results && i < m->tab.n; i++)
		free(m->results[i].why);
	free(m->results);
	free(m->path);
	fstab_free(&m->tab);
	m->results = NULL;
	m->path = NULL;
}
