/* exec: Exec*= command lines, split as systemd splits them.
 *
 * Splitting happens in two steps, like systemd: at load time the value is
 * cut into words (quotes "..", '..', backslash escapes) with its prefixes
 * and specifiers resolved; at spawn time the words are expanded against the
 * service's environment (exec_expand_argv). */
#ifndef SVD_EXEC_H
#define SVD_EXEC_H

#include <stddef.h>

enum exec_flag {
	EXEC_FLAG_IGNORE_FAILURE = 1 << 0, /* '-': a failing exit is not a failure */
	EXEC_FLAG_ARGV0 = 1 << 1,	   /* '@': second word is argv[0] */
	/* '+': full privileges: as root, without User=, Group=,
	 * RootDirectory= or the capability settings (systemd.service(5)) */
	EXEC_FLAG_FULL_PRIVILEGES = 1 << 2,
	EXEC_FLAG_NO_ENV_EXPAND = 1 << 3,  /* ':': no $VAR expansion */
	/* '!': as root: User=, Group=, SupplementaryGroups= not applied;
	 * the capability settings still are */
	EXEC_FLAG_NO_SETUID = 1 << 4,
	/* '!!': nothing where the kernel has ambient capabilities (Linux
	 * 4.3 and later); without them, as '!' with AmbientCapabilities=
	 * left out and CAP_SETUID, CAP_SETGID, CAP_SETPCAP kept in the
	 * bounding set, so the command can drop privileges itself
	 * (systemd.service(5)) */
	EXEC_FLAG_AMBIENT_MAGIC = 1 << 5,
};

struct exec_cmd {
	char *path;	/* file to execute (first word after the prefixes) */
	char **argv;	/* NULL-terminated; argv[0] differs from path with '@' */
	unsigned flags;	/* enum exec_flag bits */
	char *line;	/* the value as written, for status and errors */
};

/* What the running system and the manager's user are, for the
 * specifiers that name them. The loader makes no system call, so its
 * callers (svd, `svctl verify`) gather these once (host_read() in
 * host.h) and the loader only substitutes. A NULL field cannot be
 * resolved: a value using its specifier is an error, as in systemd. */
struct spec_host {
	char *hostname;		/* %H; %l is it up to the first '.' */
	char *pretty_hostname;	/* %q: PRETTY_HOSTNAME= of /etc/machine-info;
				   NULL: %l */
	char *machine_id;	/* %m: 32 hex digits */
	char *boot_id;		/* %b: 32 hex digits, without dashes */
	char *kernel_release;	/* %v: uname -r */
	char *architecture;	/* %a: systemd's name ("x86-64", "arm64") */
	/* From /etc/os-release (else /usr/lib/os-release); "" when unset. */
	char *os_id;		/* %o: ID= */
	char *os_version_id;	/* %w: VERSION_ID= */
	char *os_variant_id;	/* %W: VARIANT_ID= */
	char *os_build_id;	/* %B: BUILD_ID= */
	char *os_image_id;	/* %M: IMAGE_ID= */
	char *os_image_version;	/* %A: IMAGE_VERSION= */
	/* The user the manager runs as (not User=): root, 0, /root, /bin/sh
	 * for svd as root. */
	char *user_name;	/* %u */
	char *user_id;		/* %U */
	char *group_name;	/* %g */
	char *group_id;		/* %G */
	char *home;		/* %h */
	char *shell;		/* %s */
	char *tmp_dir;		/* %T: $TMPDIR, $TEMP, $TMP or /tmp */
	char *var_tmp_dir;	/* %V: $TMPDIR, $TEMP, $TMP or /var/tmp */
};

/* Resolves systemd specifiers in unit file values. Any name field may be
 * NULL where unknown; "%i" then expands to the empty string. */
struct spec_ctx {
	const char *unit_name;	/* %n: "foo@bar.service" */
	const char *prefix;	/* %p: "foo" */
	const char *instance;	/* %i: "bar" (escaped form) */
	const char *fragment;	/* %y: the unit file; NULL: none (an error) */
	const struct spec_host *host; /* NULL: no host value resolves */
	const char *runtime_dir; /* %t, default "/run" */
	const char *state_dir;	/* %S, default "/var/lib" */
	const char *logs_dir;	/* %L, default "/var/log" */
};

/* Replaces the specifiers of systemd.unit(5) for the system manager in
 * text (%n %N %p %P %i %I %j %J %f %y %Y %d, the host's %H %l %q %m %b %v
 * %a %o %w %W %B %M %A, the user's %u %U %g %G %h %s, the directories
 * %t %S %L %C %E %T %V, and %%). An unknown specifier, or one without a
 * value here, is an error: returns NULL and sets *error to a malloc'd
 * message naming it. NULL with *error NULL: out of memory. */
char *spec_expand(const char *text, const struct spec_ctx *spec, char **error);

/* Parses one Exec*= value. Returns 0, or -1 with *error a malloc'd
 * message ("unbalanced quotes", "empty command", "unknown specifier %x",
 * "unknown escape \\q", ...). */
int exec_parse(const char *value, const struct spec_ctx *spec,
	       struct exec_cmd *out, char **error);
/* Parses a value that may hold several commands separated by a ";" word
 * (systemd allows that for oneshot ExecStart= and the other Exec*= keys;
 * "\;" is a literal ";" argument). Returns 0 with a malloc'd array of
 * *n_cmds >= 1 commands, or -1 with *error as for exec_parse(). */
int exec_parse_multi(const char *value, const struct spec_ctx *spec,
		     struct exec_cmd **cmds, size_t *n_cmds, char **error);
void exec_cmd_clear(struct exec_cmd *cmd);
/* Clears the n commands of cmds and frees the array (NULL: nothing). */
void exec_cmds_free(struct exec_cmd *cmds, size_t n);

/* The argv to execute: a word that is exactly "$VAR" becomes the words of
 * VAR's value split at blanks (none if unset), "${VAR}" is substituted
 * anywhere in a word (empty if unset), "$VAR" inside a larger word is left
 * as it is, "$$" is "$". With EXEC_FLAG_NO_ENV_EXPAND, a plain copy.
 * Returns a new vector, or NULL with errno = ENOMEM. */
char **exec_expand_argv(const struct exec_cmd *cmd, char *const *env);

#endif
