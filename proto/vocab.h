/* vocab: the words of the control protocol, defined once for svd and
 * svctl: the verbs (what each takes, who may send it, whether it waits),
 * the properties of a unit with their types, and where the socket is.
 *
 * svctl reads its command line, its --help and its JSON types from here;
 * svd checks every request against the same rows before commands.c
 * dispatches it. tests/unit/test_vocab.c checks that both sides agree. */
#ifndef SVD_VOCAB_H
#define SVD_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

#define VOCAB_DEFAULT_SOCKET_PATH "/run/svd/control.sock"
/* Files one tmpfiles request may name (each a file= field, so that the
 * request stays within one message). */
#define VOCAB_TMPFILES_FILES_MAX 128

/* The control socket both programs use unless told otherwise:
 * $SVD_SOCKET when set and not empty, else VOCAB_DEFAULT_SOCKET_PATH. */
const char *vocab_socket_path(void);

/* What a request says in unit=. */
enum vocab_units {
	VOCAB_UNITS_NONE,	/* nothing (a unit= sent anyway is ignored) */
	VOCAB_UNITS_SOME,	/* one, required; svctl sends a request per unit */
	VOCAB_UNITS_OPTIONAL,	/* one, or none for every unit */
};

enum vocab_verb_flags {
	/* changes state: root, svd's own uid, or svd.conf's [Control]
	 * ManageGroup=/ManageUsers= */
	VOCAB_PRIVILEGED = 1 << 0,
	VOCAB_WAITS = 1 << 1,	   /* answered once the service settles */
	VOCAB_CHANGES = 1 << 2,	   /* refused while svd shuts down */
	/* svctl's operands are the command's own (options, files), not
	 * units: it sends them as fields of one request */
	VOCAB_OWN_ARGS = 1 << 3,
	/* root or svd's own uid only: the system's fate, or files written
	 * as root where the request says */
	VOCAB_ROOT_ONLY = 1 << 4,
	/* what services print, which may be secret: readers named by
	 * [Control] SocketGroup= and up, not any peer let in */
	VOCAB_READS_OUTPUT = 1 << 5,
};

/* One svctl command; most are a protocol verb of the same name. */
struct vocab_verb {
	const char *name;	/* as svctl's command line has it */
	/* The request svctl sends for it (is-active asks show); NULL for
	 * what svctl does alone (verify). A row whose wire is its own name
	 * is a protocol verb: svd knows it and nothing else. */
	const char *wire;
	enum vocab_units units;
	unsigned flags;		/* enum vocab_verb_flags */
	/* Operands svctl accepts after the command; max -1: no limit. */
	int min_args, max_args;
	/* svctl --help: "start UNIT...", and what it does ("\n" breaks a
	 * line); a NULL synopsis is listed in the row before's text. */
	const char *synopsis;
	const char *help;
};

extern const struct vocab_verb vocab_verbs[];
extern const size_t vocab_n_verbs;

/* The svctl command called name, or NULL. */
const struct vocab_verb *vocab_verb_find(const char *name);
/* The protocol verb a request names, or NULL: svctl's own commands
 * (verify, is-active) are not requests. */
const struct vocab_verb *vocab_request_find(const char *verb);

/* How a property's value reads. On the wire every value is text (the
 * number in decimal); the type tells a client what the text holds. */
enum vocab_type {
	VOCAB_STRING,
	VOCAB_INT,	/* signed decimal */
	VOCAB_UINT,	/* unsigned decimal */
	VOCAB_USEC,	/* unsigned decimal microseconds (a span, or since
			   the epoch for a *Timestamp*) */
	VOCAB_STRINGS,	/* a list: the key repeated, once per element */
	VOCAB_BOOL,	/* "yes" or "no" (JSON true or false) */
};

/* A unit's properties, in the order replies carry them: systemd's names
 * where one exists. Keys never change meaning once released. */
enum vocab_prop_id {
	VOCAB_PROP_ID,
	VOCAB_PROP_DESCRIPTION,
	VOCAB_PROP_LOAD_STATE,
	VOCAB_PROP_ACTIVE_STATE,
	VOCAB_PROP_SUB_STATE,
	VOCAB_PROP_UNIT_FILE_STATE,
	VOCAB_PROP_LOAD_ERROR,
	VOCAB_PROP_FRAGMENT_PATH,
	VOCAB_PROP_STATE,
	VOCAB_PROP_STATE_CAUSE,
	VOCAB_PROP_STATE_CAUSE_TEXT,
	VOCAB_PROP_STATE_CHANGE_TIMESTAMP,
	VOCAB_PROP_MAIN_PID,
	VOCAB_PROP_N_RESTARTS,
	VOCAB_PROP_RESULT,
	VOCAB_PROP_EXEC_MAIN_CODE,
	VOCAB_PROP_EXEC_MAIN_STATUS,
	VOCAB_PROP_EXEC_ERROR,
	VOCAB_PROP_STATUS_TEXT,
	VOCAB_PROP_STATUS_ERRNO,
	VOCAB_PROP_TYPE,
	VOCAB_PROP_NOTIFY_ACCESS,
	VOCAB_PROP_WATCHDOG_USEC,
	VOCAB_PROP_RESTART,
	VOCAB_PROP_RESTART_USEC_NEXT,
	VOCAB_PROP_EXEC_START,
	VOCAB_PROP_LISTEN,		/* socket units: "Stream 127.0.0.1:80" */
	VOCAB_PROP_TRIGGERS,		/* what a socket starts */
	VOCAB_PROP_N_ACCEPTED,		/* Accept=yes: connections taken */
	VOCAB_PROP_N_CONNECTIONS,	/* and their instances still alive */
	VOCAB_PROP_N_REFUSED,		/* MaxConnections=, no instance */
	VOCAB_PROP_TRIGGER_STALLED,	/* why it starts nothing any more */
	VOCAB_PROP_TIMEOUT_START_USEC,	/* UINT64_MAX: waits forever */
	VOCAB_PROP_TIMEOUT_STOP_USEC,
	VOCAB_PROP_CONTROL_GROUP,	/* its cgroup's directory */
	VOCAB_PROP_TASKS_CURRENT,	/* pids.current, or its processes */
	VOCAB_PROP_MEMORY_CURRENT,	/* memory.current, bytes */
	VOCAB_PROP_MEMORY_PEAK,		/* memory.peak, bytes */
	VOCAB_PROP_MEMORY_MAX,		/* memory.max, bytes (none: "max") */
	VOCAB_PROP_CPU_USAGE_NSEC,	/* cpu.stat usage_usec, in ns */
	VOCAB_PROP_CGROUP_PROCESS,	/* "PID COMMAND LINE", per process */
	VOCAB_PROP_CGROUP_WARNING,	/* resource settings not applied */
	VOCAB_PROP_DROP_IN_PATHS,	/* the drop-ins applied, in order */
	/* it runs, and its files changed since it started: a restart
	 * applies them (svd's; systemd has no such property) */
	VOCAB_PROP_NEED_RESTART,
	/* the dependency graph's edges, as resolved (a target's
	 * WantedBy= and NAME.wants/ included): systemctl show's names */
	VOCAB_PROP_REQUIRES,
	VOCAB_PROP_REQUISITE,
	VOCAB_PROP_WANTS,
	VOCAB_PROP_BINDS_TO,
	VOCAB_PROP_PART_OF,
	VOCAB_PROP_CONFLICTS,
	VOCAB_PROP_AFTER,
	VOCAB_PROP_BEFORE,
	VOCAB_PROP_COUNT
};

struct vocab_prop {
	const char *name;
	enum vocab_type type;
	bool brief;		/* in list's rows too, not only status/show */
};

/* Indexed by enum vocab_prop_id. */
extern const struct vocab_prop vocab_props[VOCAB_PROP_COUNT];

/* The property called name, or NULL (LogText= and the like are not
 * properties: they are lines of output). */
const struct vocab_prop *vocab_prop_find(const char *name);

#endif
