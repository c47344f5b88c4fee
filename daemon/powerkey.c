#include "powerkey.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "log.h"

#define INOTIFY_BUF_BYTES 4096
#define EVENTS_PER_READ 64

bool powerkey_bits_have_power(const unsigned char *bits, size_t size)
{
	return size > KEY_POWER / 8 && (bits[KEY_POWER / 8] >> (KEY_POWER % 8) & 1);
}

unsigned powerkey_presses(const struct input_event *events, size_t n)
{
	unsigned presses = 0;

	for (size_t i = 0; i < n; i++)
		if (events[i].type == EV_KEY && events[i].code == KEY_POWER &&
		    events[i].value == 1)
			presses++;
	return presses;
}

static void device_close(struct powerkey *pk, struct powerkey_device *dev)
{
	ev_ref(pk->loop);
	ev_io_stop(pk->loop, &dev->io);
	close(dev->fd);
	dev->fd = -1;
	free(dev->path);
	dev->path = NULL;
}

static void device_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct powerkey *pk = w->data;
	struct powerkey_device *dev = (struct powerkey_device *)
		((char *)w - offsetof(struct powerkey_device, io));
	struct input_event events[EVENTS_PER_READ];
	ssize_t n;

	while ((n = read(dev->fd, events, sizeof(events))) > 0)
		if (powerkey_presses(events, (size_t)n / sizeof(events[0]))) {
			log_info(NULL, "power key pressed (%s)", dev->path);
			pk->on_press(pk->ctx);
		}
	if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		/* ENODEV: the device went away. */
		log_errno(LOG_LEVEL_INFO, NULL, n == 0 ? ENODEV : errno,
			  "power key %s: no longer watched", dev->path);
		device_close(pk, dev);
	}
}

static bool watched(const struct powerkey *pk, const char *path)
{
	for (size_t i = 0; i < POWERKEY_DEVICES_MAX; i++)
		if (pk->devices[i].fd >= 0 && strcmp(pk->devices[i].path, path) == 0)
			return true;
	return false;
}

static struct powerkey_device *free_slot(struct powerkey *pk)
{
	for (size_t i = 0; i < POWERKEY_DEVICES_MAX; i++)
		if (pk->devices[i].fd < 0)
			return &pk->devices[i];
	return NULL;
}

/* Opens name in the directory if it is an event device with a power
 * key; anything else is left. */
static void consider(struct powerkey *pk, const char *name)
{
	unsigned char bits[KEY_MAX / 8 + 1] = {0};
	char path[PATH_MAX], device_name[128] = "";
	struct powerkey_device *dev;
	int fd;

	if (strncmp(name, "event", 5) != 0 ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", pk->dir, name) >=
	    sizeof(path) || watched(pk, path))
		return;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		log_errno(LOG_LEVEL_DEBUG, NULL, errno, "open %s", path);
		return;
	}
	if (ioctl(fd, EVIOCGBIT(EV_KEY, sizeof(bits)), bits) < 0 ||
	    !powerkey_bits_have_power(bits, sizeof(bits))) {
		close(fd);
		return;
	}
	if (!(dev = free_slot(pk)) || !(dev->path = strdup(path))) {
		log_warning(NULL, "power key %s: not watched (more than %d, "
			    "or out of memory)", path, POWERKEY_DEVICES_MAX);
		close(fd);
		return;
	}
	if (ioctl(fd, EVIOCGNAME(sizeof(device_name) - 1), device_name) < 0)
		device_name[0] = '\0';
	dev->fd = fd;
	ev_io_init(&dev->io, device_cb, fd, EV_READ);
	dev->io.data = pk;
	ev_io_start(pk->loop, &dev->io);
	ev_unref(pk->loop);	/* a key never keeps svd running */
	log_info(NULL, "power key: %s (%s): pressed, it powers off", path,
		 device_name[0] ? device_name : "unnamed");
}

static void scan(struct powerkey *pk)
{
	DIR *dir = opendir(pk->dir);
	struct dirent *entry;

	if (!dir)
		return;
	while ((entry = readdir(dir)))
		consider(pk, entry->d_name);
	closedir(dir);
}

/* The directory itself when it is there, else its parent until it is
 * (devtmpfs makes /dev/input with the first input device's node). */
static void watch_dir(struct powerkey *pk)
{
	char parent[PATH_MAX], *slash;

	pk->dir_wd = inotify_add_watch(pk->inotify_fd, pk->dir,
				       IN_CREATE | IN_ATTRIB | IN_ONLYDIR);
	if (pk->dir_wd >= 0) {
		pk->dir_watched = true;
		scan(pk);
		return;
	}
	snprintf(parent, sizeof(parent), "%s", pk->dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	if (inotify_add_watch(pk->inotify_fd, parent, IN_CREATE | IN_ONLYDIR) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "inotify on %s", parent);
}

static void inotify_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct powerkey *pk = w->data;
	char buf[INOTIFY_BUF_BYTES]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(pk->inotify_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			if (pk->dir_watched && ev->wd == pk->dir_wd && ev->len)
				consider(pk, ev->name);
			else if (!pk->dir_watched)
				watch_dir(pk);	/* the parent changed */
			p += sizeof(*ev) + ev->len;
		}
	}
}

int powerkey_start(struct powerkey *pk, struct ev_loop *loop, const char *dir,
		   void (*on_press)(void *ctx), void *ctx)
{
	*pk = (struct powerkey){ .loop = loop, .inotify_fd = -1, .dir_wd = -1,
				 .on_press = on_press, .ctx = ctx };
	for (size_t i = 0; i < POWERKEY_DEVICES_MAX; i++)
		pk->devices[i].fd = -1;
	pk->dir = strdup(dir);
	pk->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (!pk->dir || pk->inotify_fd < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "watching %s for a "
			  "power key", dir);
		powerkey_stop(pk);
		return -1;
	}
	ev_io_init(&pk->inotify_io, inotify_cb, pk->inotify_fd, EV_READ);
	pk->inotify_io.data = pk;
	ev_io_start(loop, &pk->inotify_io);
	ev_unref(loop);	/* never what keeps svd running */
	watch_dir(pk);
	return 0;
}

void powerkey_stop(struct powerkey *pk)
{
	if (!pk->loop)
		return;
	for (size_t i = 0; i < POWERKEY_DEVICES_MAX; i++)
		if (pk->devices[i].fd >= 0)
			device_close(pk, &pk->devices[i]);
	if (pk->inotify_fd >= 0) {
		ev_ref(pk->loop);
		ev_io_stop(pk->loop, &pk->inotify_io);
		close(pk->inotify_fd);
		pk->inotify_fd = -1;
	}
	free(pk->dir);
	pk->dir = NULL;
	pk->loop = NULL;
}
