/* sandbox_fs: a unit's file-system and namespace hardening keys
 * (systemd.exec(5): ProtectSystem=, ProtectHome=, PrivateTmp=,
 * PrivateDevices=, ReadWritePaths= and the other path lists,
 * TemporaryFileSystem=, BindPaths=, the Protect* kernel keys,
 * ProtectProc=, ProcSubset=, ProtectHostname=, ProtectClock=,
 * PrivateNetwork=, PrivateIPC=, PrivateUsers=).
 *
 * The settings live in a side allocation, struct unit's fs_sandbox, made
 * by the first of these keys a unit sets: most units set none and pay one
 * pointer. Values are checked here; svd turns them into a namespace and a
 * list of mounts at each start (daemon/sandbox.c, daemon/spawn_ns.c). */
#ifndef SVD_SANDBOX_FS_H
#define SVD_SANDBOX_FS_H

#include <stdbool.h>
#include <stddef.h>

/* Every key, in the order the docs list them; a failure in the child
 * names one of them (sandbox_fs_key_name). */
enum sandbox_key {
	SANDBOX_PROTECT_SYSTEM,
	SANDBOX_PROTECT_HOME,
	SANDBOX_PRIVATE_TMP,
	SANDBOX_PRIVATE_DEVICES,
	SANDBOX_READ_WRITE_PATHS,
	SANDBOX_READ_ONLY_PATHS,
	SANDBOX_INACCESSIBLE_PATHS,
	SANDBOX_EXEC_PATHS,
	SANDBOX_NO_EXEC_PATHS,
	SANDBOX_TEMPORARY_FILE_SYSTEM,
	SANDBOX_BIND_PATHS,
	SANDBOX_BIND_READ_ONLY_PATHS,
	SANDBOX_PROTECT_KERNEL_TUNABLES,
	SANDBOX_PROTECT_KERNEL_MODULES,
	SANDBOX_PROTECT_KERNEL_LOGS,
	SANDBOX_PROTECT_CONTROL_GROUPS,
	SANDBOX_PROTECT_PROC,
	SANDBOX_PROC_SUBSET,
	SANDBOX_PROTECT_HOSTNAME,
	SANDBOX_PROTECT_CLOCK,
	SANDBOX_PRIVATE_NETWORK,
	SANDBOX_PRIVATE_IPC,
	SANDBOX_PRIVATE_USERS,
	SANDBOX_KEY_COUNT,
};

enum sandbox_protect_system {
	SANDBOX_SYSTEM_NO,
	SANDBOX_SYSTEM_YES,	/* /usr, /boot, /efi read-only */
	SANDBOX_SYSTEM_FULL,	/* and /etc */
	SANDBOX_SYSTEM_STRICT,	/* all of / but /dev, /proc, /sys */
};

enum sandbox_protect_home {
	SANDBOX_HOME_NO,
	SANDBOX_HOME_YES,	/* /home, /root, /run/user inaccessible */
	SANDBOX_HOME_READ_ONLY,
	SANDBOX_HOME_TMPFS,	/* an empty read-only tmpfs on each */
};

enum sandbox_private_tmp {
	SANDBOX_TMP_NO,
	SANDBOX_TMP_YES,	/* /tmp and /var/tmp: the service's own dirs */
	SANDBOX_TMP_DISCONNECTED, /* a tmpfs on each, gone with the process */
};

/* ProtectProc=: procfs's hidepid= for the service's own /proc. */
enum sandbox_protect_proc {
	SANDBOX_PROC_DEFAULT,
	SANDBOX_PROC_NOACCESS,
	SANDBOX_PROC_INVISIBLE,
	SANDBOX_PROC_PTRACEABLE,
};

/* One entry of ReadWritePaths= and the other path lists. */
struct sandbox_path {
	char *path;		/* absolute, made plain */
	bool optional;		/* "-": a missing path is skipped */
	bool in_root;		/* "+": under RootDirectory= */
};

/* BindPaths=, BindReadOnlyPaths=: "[-]SRC[:DST[:rbind|norbind]]". */
struct sandbox_bind {
	char *source, *destination;
	bool optional;		/* "-": a missing source is skipped */
	bool recursive;		/* rbind (the default) */
	bool read_only;		/* BindReadOnlyPaths= */
};

/* TemporaryFileSystem=PATH[:OPTIONS] */
struct sandbox_tmpfs {
	char *path;
	char *options;		/* as written, or NULL */
};

struct sandbox_paths {
	struct sandbox_path *items;
	size_t n;
};

struct unit_sandbox_fs {
	enum sandbox_protect_system protect_system;
	enum sandbox_protect_home protect_home;
	enum sandbox_private_tmp private_tmp;
	enum sandbox_protect_proc protect_proc;
	bool proc_subset_pid;		/* ProcSubset=pid */
	bool private_devices;
	bool protect_kernel_tunables, protect_kernel_modules, protect_kernel_logs;
	bool protect_control_groups;
	bool protect_hostname, protect_clock;
	bool private_network, private_ipc, private_users;
	/* ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=, ExecPaths=,
	 * NoExecPaths=, by their enum sandbox_key less
	 * SANDBOX_READ_WRITE_PATHS */
	struct sandbox_paths paths[5];
	struct sandbox_bind *binds;	/* BindPaths= and BindReadOnlyPaths= */
	size_t n_binds;
	struct sandbox_tmpfs *tmpfs;	/* TemporaryFileSystem= */
	size_t n_tmpfs;
};

/* "ProtectSystem=", ...: the key's name with its '='. */
const char *sandbox_fs_key_name(enum sandbox_key key);
/* Whether the unit's settings need a mount namespace. */
bool sandbox_fs_needs_mounts(const struct unit_sandbox_fs *s);
/* The first key the settings set that needs a mount namespace, for
 * messages; SANDBOX_KEY_COUNT for none. */
enum sandbox_key sandbox_fs_first_mount_key(const struct unit_sandbox_fs *s);
void sandbox_fs_free(struct unit_sandbox_fs *s);

#endif
