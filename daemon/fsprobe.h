/* fsprobe: the device behind fstab's LABEL= and UUID= without udev or
 * libblkid. udev's /dev/disk/by-* links are used when they are there; on
 * a board without udev, the block devices that sysfs lists are read for
 * an ext2/3/4 superblock (the filesystem boards mostly have) whose label
 * or UUID matches. Other filesystems are found by their udev link only. */
#ifndef SVD_FSPROBE_H
#define SVD_FSPROBE_H

#include <stdbool.h>
#include <stddef.h>

/* The ext superblock: 1024 bytes, 1024 bytes into the device. */
#define FSPROBE_EXT_OFFSET 1024
#define FSPROBE_EXT_SIZE 1024

struct fsprobe_id {
	char uuid[37];		/* "8-4-4-4-12" lower-case hex */
	char label[17];		/* as written, at most 16 bytes */
};

/* Reads an ext2/3/4 superblock (FSPROBE_EXT_SIZE bytes): true with id
 * filled when its magic is there. */
bool fsprobe_ext(const unsigned char *sb, size_t size, struct fsprobe_id *id);

/* The device node that spec names: a copy of spec itself unless it is
 * LABEL=, UUID=, PARTUUID= or PARTLABEL=. NULL with errno: ENOENT when no
 * device has it, ENOMEM. sys_block and dev are where sysfs's block class
 * and the device nodes are ("/sys/class/block", "/dev"). */
char *fsprobe_resolve(const char *spec, const char *sys_block, const char *dev);

#endif
