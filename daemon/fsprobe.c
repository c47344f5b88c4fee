#include "fsprobe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXT_MAGIC 0xEF53
#define EXT_MAGIC_AT 0x38
#define EXT_UUID_AT 0x68
#define EXT_LABEL_AT 0x78

bool fsprobe_ext(const unsigned char *sb, size_t size, struct fsprobe_id *id)
{
	const unsigned char *u = sb + EXT_UUID_AT;

	if (size < FSPROBE_EXT_SIZE ||
	    (sb[EXT_MAGIC_AT] | sb[EXT_MAGIC_AT + 1] << 8) != EXT_MAGIC)
		return false;
	snprintf(id->uuid, sizeof(id->uuid),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
		 u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	memcpy(id->label, sb + EXT_LABEL_AT, 16);
	id->label[16] = '\0';
	return true;
}

/* Whether the device node at path holds an ext filesystem with that
 * label or UUID. Errors are a no: the next device may have it. */
static bool device_matches(const char *path, bool by_label, const char *want)
{
	unsigned char sb[FSPROBE_EXT_SIZE];
	struct fsprobe_id id;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = pread(fd, sb, sizeof(sb), FSPROBE_EXT_OFFSET);
	close(fd);
	if (n != (ssize_t)sizeof(sb) || !fsprobe_ext(sb, sizeof(sb), &id))
		return false;
	return by_label ? strcmp(id.label, want) == 0 :
			  strcasecmp(id.uuid, want) == 0;
}

/* The block devices sysfs lists, read one by one: the node's path, or
 * NULL (errno ENOMEM when that is why). */
static char *scan(const char *sys_block, const char *dev, bool by_label,
		  const char *want)
{
	DIR *dir = opendir(sys_block);
	struct dirent *entry;
	char *path = NULL;

	errno = ENOENT;
	if (!dir)
		return NULL;
	while ((entry = readdir(dir))) {
		if (entry->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dev, entry->d_name) < 0) {
			path = NULL;
			errno = ENOMEM;
			break;
		}
		/* sysfs writes a '/' of the node's name as '!'. */
		for (char *c = path + strlen(dev); *c; c++)
			if (*c == '!')
				*c = '/';
		if (device_matches(path, by_label, want))
			break;
		free(path);
		path = NULL;
		errno = ENOENT;
	}
	closedir(dir);
	return path;
}

char *fsprobe_resolve(const char *spec, const char *sys_block, const char *dev)
{
	static const struct {
		const char *tag, *dir;
		bool probe, by_label;
	} tags[] = {
		{ "LABEL=", "by-label", true, true },
		{ "UUID=", "by-uuid", true, false },
		{ "PARTUUID=", "by-partuuid", false, false },
		{ "PARTLABEL=", "by-partlabel", false, false },
	};
	char *path;
	struct stat st;

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t n = strlen(tags[i].tag);
		const char *value = spec + n;

		if (strncmp(spec, tags[i].tag, n) != 0)
			continue;
		if (*value == '\0' || strchr(value, '/')) {
			errno = ENOENT;
			return NULL;
		}
		if (asprintf(&path, "%s/disk/%s/%s", dev, tags[i].dir, value) < 0)
			return NULL;
		if (stat(path, &st) == 0)
			return path;
		free(path);
		if (!tags[i].probe) {
			errno = ENOENT;
			return NULL;
		}
		return scan(sys_block, dev, tags[i].by_label, value);
	}
	return strdup(spec);
}
