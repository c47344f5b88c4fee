/* fstab: /etc/fstab (fstab(5)) parsed, with each entry's options turned
 * into what mount(2) and swapon(2) take. Pure: text in, entries out, a bad
 * line reported as "FILE:LINE: message" and skipped, the others kept. The
 * mounting is daemon/mounts.c's.
 *
 *   # <spec>     <file>  <type> <options>         <dump> <pass>
 *   LABEL=data   /data   ext4   noatime,nofail    0      2
 *   /data/www    /srv    none   bind              0      0
 *   /dev/vdc     none    swap   sw,pri=5          0      0
 *
 * Options that only mount(8) or systemd read (defaults, auto, user,
 * _netdev, x-systemd.*, comment=, ...) are dropped without a word; any
 * other that is no VFS flag is the filesystem's, passed on as mount(2)'s
 * data string. */
#ifndef SVD_FSTAB_H
#define SVD_FSTAB_H

#include <stdbool.h>
#include <stddef.h>

/* Largest fstab read; a bigger one is an error (E2BIG). */
#define FSTAB_FILE_MAX_BYTES ((size_t)1024 * 1024)
/* Entries kept; the lines past it are reported and skipped. */
#define FSTAB_ENTRIES_MAX 4096

struct fstab_entry {
	char *source;		/* first field, unescaped ("LABEL=x" as is) */
	char *point;		/* plain absolute path; "none" for a swap */
	char *fstype;		/* "swap" for a swap; "none" for a bind */
	char *options;		/* the fourth field as written ("defaults") */
	unsigned long flags;	/* MS_* for mount(2), MS_REMOUNT excluded */
	/* Propagation to set after the mount (MS_SHARED, MS_PRIVATE...,
	 * with MS_REC), 0 for none: mount(2) takes it in a call of its own. */
	unsigned long propagation;
	char *data;		/* the filesystem's options, "" when none */
	int swap_flags;		/* SWAP_FLAG_* for swapon(2) */
	bool noauto;		/* not mounted at boot */
	bool nofail;		/* a failure fails nothing that waits */
	bool swap;
	unsigned line;
};

struct fstab {
	struct fstab_entry *entries;
	size_t n, cap;
	unsigned n_errors;	/* lines skipped */
};

/* Called for each bad line: "FILE:LINE: what". */
typedef void fstab_diag_fn(void *ctx, const char *message);

/* Parses text (len bytes; NULs are bad lines' business) as the fstab
 * named file in messages, appending to tab. -1 with errno ENOMEM only;
 * bad lines go to diag and are counted. */
int fstab_parse(struct fstab *tab, const char *file, const char *text,
		size_t len, fstab_diag_fn *diag, void *ctx);

/* Reads and parses the file at path. A missing file is an empty fstab
 * (0). -1 with errno when it cannot be read. */
int fstab_load(struct fstab *tab, const char *path, fstab_diag_fn *diag,
	       void *ctx);

/* Parses one options field into e's flags, propagation, data,
 * swap_flags, noauto and nofail. -1 with *why a static phrase naming
 * what is wrong (the option is then in *bad, owned by the caller), or
 * -1 with errno ENOMEM and *why NULL. */
int fstab_options(struct fstab_entry *e, const char *options,
		  const char **why, char **bad);

/* The entry mounted at point (plain), the last one when several are;
 * NULL when none. */
const struct fstab_entry *fstab_find(const struct fstab *tab,
				     const char *point);

void fstab_free(struct fstab *tab);

#endif
