/* sandbox_ops: the entries of a service's sandbox (sandbox.c makes
 * them from its keys) turned into the child's operations (spawn_ns.h).
 * Internal to sandbox.c and sandbox_ops.c. */
#ifndef SVD_SANDBOX_OPS_H
#define SVD_SANDBOX_OPS_H

#include <stdbool.h>
#include <stddef.h>

#include "execenv.h"
#include "sandbox_host.h"
#include "spawn_ns.h"
#include "unit.h"

/* What an entry does at its path; for one path the first wins (systemd's
 * order), the read-only and exec flags of the others merge into it. */
enum sandbox_mode {
	M_INACCESSIBLE,
	M_BIND,
	M_PRIVATE_TMP,
	M_PRIVATE_DEV,
	M_PROC,
	M_TMPFS,
	M_READ_ONLY,
	M_READ_WRITE,
	M_NOEXEC,
	M_EXEC,
	M_KEEP,		/* left as it is (ProtectSystem=strict's /proc...) */
};

struct sandbox_entry {
	const char *path;	/* in plan->ns->strings or static */
	enum sandbox_mode mode;
	unsigned char key;	/* enum sandbox_key */
	bool optional, read_only, noexec, exec;
	bool skip;		/* merged into another, or missing with "-" */
	bool is_dir;		/* M_INACCESSIBLE: a directory is there */
	const char *source;	/* M_BIND: host path; M_PRIVATE_TMP: dir */
	bool recursive;		/* M_BIND */
	const char *data;	/* M_TMPFS, M_PROC: options */
	unsigned long ms;	/* M_TMPFS: flags */
	int slot;		/* M_PRIVATE_TMP, M_BIND: the source's, opened first */
};

struct sandbox_plan {
	const struct unit_sandbox_fs *s;
	const char *root;	/* RootDirectory=, or NULL */
	struct spawn_ns *ns;
	struct sandbox_entry *entries;
	size_t n_entries;
	size_t ops_cap;
	struct sandbox_mounts mounts;
	int next_slot;
	int inaccessible_slot, dev_slot;
	int notify_slot;	/* svd's notify socket, where a mount hides it */
	const struct sandbox_entry *notify_hidden_by;
	char *why;
	size_t size;
};

/* ENOMEM said in why; -1. */
int sandbox_ops_nomem(struct sandbox_plan *p);
/* s kept in the plan's strings (taken: freed on failure); NULL on ENOMEM. */
const char *sandbox_ops_keep(struct sandbox_plan *p, char *s);
/* Sorts the entries and merges those of one path. */
void sandbox_ops_merge(struct sandbox_plan *p);
/* A missing path: skipped with "-", else -1 with why naming it; what a
 * bind or a tmpfs lands on is made, as systemd makes it. */
int sandbox_ops_check(struct sandbox_plan *p, struct sandbox_entry *e);
/* The operations, into p->ns: 0, -1 on ENOMEM, -2 with why. */
int sandbox_ops_build(struct sandbox_plan *p, const struct execenv_ctx *ctx);

#endif
