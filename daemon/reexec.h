/* reexec: `svctl daemon-reexec`, svd running its binary anew (an
 * upgrade) without touching a service.
 *
 * The old svd checks that the binary on disk reads its state format
 * (`svd --state-format`, run in a child), answers every client, writes
 * its whole state (state.h) to a memfd, lets through the exec only the
 * fds that must survive (control, notify and syslog sockets, log pipes,
 * socket units' listeners and connections, exec status pipes), and
 * execs the path it was started from with a hidden option naming the
 * memfd. Its children stay its children across the exec.
 *
 * The new svd reads the state whole and validates it before it does
 * anything else; a state it cannot read is never half-applied: it execs
 * the old binary back (an O_PATH fd of it, kept since the start) with
 * the same memfd, which that one reads. Once the units are loaded, the
 * state is applied with no spawn and no kill, and every child that
 * ended meanwhile is reaped. */
#ifndef SVD_REEXEC_H
#define SVD_REEXEC_H

#include <stdbool.h>

#include "commands.h"
#include "console.h"
#include "container.h"
#include "control.h"
#include "devlog.h"
#include "manager.h"
#include "notify.h"
#include "state.h"
#include "upstream.h"

/* The option the old svd gives the new one: MEMFD,EXEFD[,back]. */
#define REEXEC_STATE_OPTION "--reexec-state="
/* What the probe prints (state_format_line()), and exits 0. */
#define REEXEC_FORMAT_OPTION "--state-format"
/* The most the probe may take before the re-exec is refused. */
#define REEXEC_PROBE_TIMEOUT_MS 5000
/* Test hook: when set to 1, a new svd refuses the state it is given as
 * if it were corrupt (never one that was sent back to). */
#define REEXEC_TEST_REJECT_ENV "SVD_TEST_REJECT_STATE"

/* What of the daemon a re-exec reads and restores (main.c fills it). */
struct reexec_parts {
	struct ev_loop *loop;
	struct manager *manager;
	struct control *control;
	struct commands *commands;
	struct console *console;
	const struct notify_server *notify;
	const struct devlog *devlog;
	struct container *container;	/* NULL: not a container */
	struct upstream *upstream;	/* svd's own manager */
	bool booted;
	bool shutting_down;
};

struct reexec {
	char *exe_path;		/* the binary as found at start */
	int exe_fd;		/* O_PATH of it: where a failed new one goes back */
	int argc;		/* svd's own arguments, without the hidden one */
	char **argv;
	/* Given the hidden option: the state to apply, once read. */
	bool incoming;
	bool went_back;		/* this is the old binary, sent back to */
	int state_fd, back_fd;	/* the memfd; the old binary's fd */
	struct state_image image;
};

/* Takes the hidden option out of argv (main's). */
void reexec_init(struct reexec *rx, int *argc, char ***argv);
/* Records what a re-exec needs: the binary's path and an O_PATH fd of
 * it, from /proc (as init: once the boot has mounted it). */
void reexec_find_binary(struct reexec *rx);
/* Reads and validates the incoming state, if any. On failure it execs
 * the old binary back and does not return; sent back already, it logs
 * why and returns -1 when may_start_afresh (a service manager, which
 * adopts what runs: adopt.h), else stays up only reaping. 0: nothing
 * incoming, or the image is ready to apply. */
int reexec_load(struct reexec *rx, bool may_start_afresh);
/* Applies the image to the daemon, after its units are loaded. */
void reexec_apply(struct reexec *rx, const struct reexec_parts *d);
/* The request: refuses with an error, or answers ok and execs. */
void reexec_request(struct reexec *rx, const struct reexec_parts *d,
		    struct ctl_client *client);
void reexec_free(struct reexec *rx);

#endif
