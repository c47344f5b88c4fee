/* edit: `svctl edit UNIT`, a drop-in written in the user's editor, as
 * systemctl edit: NAME.d/override.conf beside the unit file (where svd
 * reads drop-ins), edited as a temporary copy that replaces it only
 * when the editor succeeds; then svd re-reads its units. */
#ifndef SVCTL_EDIT_H
#define SVCTL_EDIT_H

/* Asks on fd where the unit file is; the reload goes over a connection
 * of its own to socket_path (svd closes one idle while the editor
 * runs). Returns svctl's exit status; messages on standard error. */
int edit_run(int fd, const char *socket_path, const char *unit);

#endif
