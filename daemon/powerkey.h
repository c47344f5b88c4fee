/* powerkey: the power button, for svd as init. systemd-logind watches
 * the input devices that report KEY_POWER and powers off when it is
 * pressed; svd does the same with no logind and no udev: it watches the
 * input directory (inotify, for devices that appear later, as when a
 * unit loads the drivers) and opens each evdev node whose key bits
 * (EVIOCGBIT) hold KEY_POWER. An ACPI power button (qemu's
 * system_powerdown) is one such device once the kernel's button and
 * evdev drivers are there; a board's gpio-keys power key is another. */
#ifndef SVD_POWERKEY_H
#define SVD_POWERKEY_H

#include <ev.h>
#include <linux/input.h>
#include <stdbool.h>
#include <stddef.h>

#define POWERKEY_DIR "/dev/input"
/* Power keys watched at most; the others are logged and left. */
#define POWERKEY_DEVICES_MAX 16

struct powerkey_device {
	int fd;		/* -1: slot free */
	ev_io io;
	char *path;
};

struct powerkey {
	struct ev_loop *loop;	/* NULL: not started */
	char *dir;		/* "/dev/input" */
	int inotify_fd;		/* -1 when none */
	ev_io inotify_io;
	int dir_wd;		/* the directory's watch, -1 until it is there */
	bool dir_watched;	/* else its parent is, until it appears */
	struct powerkey_device devices[POWERKEY_DEVICES_MAX];
	void (*on_press)(void *ctx);
	void *ctx;
};

/* Whether key bits (EVIOCGBIT(EV_KEY) of size bytes) hold KEY_POWER. */
bool powerkey_bits_have_power(const unsigned char *bits, size_t size);
/* How many presses of KEY_POWER n events hold (releases and repeats
 * are none). */
unsigned powerkey_presses(const struct input_event *events, size_t n);

/* Starts watching dir and its power keys; on_press(ctx) at each press.
 * 0, or -1 with errno (logged) when nothing can be watched. */
int powerkey_start(struct powerkey *pk, struct ev_loop *loop, const char *dir,
		   void (*on_press)(void *ctx), void *ctx);
/* Stops watching; nothing on a powerkey never started (all zero). */
void powerkey_stop(struct powerkey *pk);

#endif
