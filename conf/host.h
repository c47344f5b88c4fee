/* host: what the running system and the manager's user are, for the unit
 * specifiers that name them (%H %l %q %m %b %v %a %o %w %W %B %M %A %u %U
 * %g %G %h %s %T %V). svd and `svctl verify` gather them once with
 * host_read() and hand them to the loader in struct spec_ctx, so that the
 * loader itself asks the system nothing and both run the same checks. */
#ifndef SVD_HOST_H
#define SVD_HOST_H

#include "exec.h"

/* Fills h from uname(), the process's user and group, its $TMPDIR,
 * $TEMP, $TMP, and the files /etc/machine-id,
 * /proc/sys/kernel/random/boot_id, /etc/os-release (else
 * /usr/lib/os-release) and /etc/machine-info, each read under root (NULL
 * or "" for "/"; tests give a directory of their own). A value that cannot
 * be had stays NULL, and a unit using its specifier does not load; an
 * os-release field the file does not set is "". Returns 0, or -1 with
 * errno ENOMEM and h cleared. */
int host_read(struct spec_host *h, const char *root);

/* Frees h's strings and zeroes it. */
void host_clear(struct spec_host *h);

/* systemd's name of the architecture uname() reports as machine
 * ("x86-64" for "x86_64", "arm64" for "aarch64"); machine itself when
 * systemd has no other name for it. */
const char *host_architecture(const char *machine);

#endif
