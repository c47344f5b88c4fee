/* sandbox_fs: the parse functions of the file-system and namespace
 * hardening keys (see sandbox_fs.h). */
#include "sandbox_fs.h"
#include "parser.h"
#include "unit_keys.h"
#include "value.h"
#include "words.h"

#include <stdlib.h>
#include <string.h>

static const char *const key_names[SANDBOX_KEY_COUNT] = {
	[SANDBOX_PROTECT_SYSTEM] = "ProtectSystem=",
	[SANDBOX_PROTECT_HOME] = "ProtectHome=",
	[SANDBOX_PRIVATE_TMP] = "PrivateTmp=",
	[SANDBOX_PRIVATE_DEVICES] = "PrivateDevices=",
	[SANDBOX_READ_WRITE_PATHS] = "ReadWritePaths=",
	[SANDBOX_READ_ONLY_PATHS] = "ReadOnlyPaths=",
	[SANDBOX_INACCESSIBLE_PATHS] = "InaccessiblePaths=",
	[SANDBOX_EXEC_PATHS] = "ExecPaths=",
	[SANDBOX_NO_EXEC_PATHS] = "NoExecPaths=",
	[SANDBOX_TEMPORARY_FILE_SYSTEM] = "TemporaryFileSystem=",
	[SANDBOX_BIND_PATHS] = "BindPaths=",
	[SANDBOX_BIND_READ_ONLY_PATHS] = "BindReadOnlyPaths=",
	[SANDBOX_PROTECT_KERNEL_TUNABLES] = "ProtectKernelTunables=",
	[SANDBOX_PROTECT_KERNEL_MODULES] = "ProtectKernelModules=",
	[SANDBOX_PROTECT_KERNEL_LOGS] = "ProtectKernelLogs=",
	[SANDBOX_PROTECT_CONTROL_GROUPS] = "ProtectControlGroups=",
	[SANDBOX_PROTECT_PROC] = "ProtectProc=",
	[SANDBOX_PROC_SUBSET] = "ProcSubset=",
	[SANDBOX_PROTECT_HOSTNAME] = "ProtectHostname=",
	[SANDBOX_PROTECT_CLOCK] = "ProtectClock=",
	[SANDBOX_PRIVATE_NETWORK] = "PrivateNetwork=",
	[SANDBOX_PRIVATE_IPC] = "PrivateIPC=",
	[SANDBOX_PRIVATE_USERS] = "PrivateUsers=",
};

const char *sandbox_fs_key_name(enum sandbox_key key)
{
	return key < SANDBOX_KEY_COUNT ? key_names[key] : "?";
}

/* The settings, made at the first key that sets one. */
static struct unit_sandbox_fs *settings(struct unit_parser *p)
{
	if (!p->unit->fs_sandbox)
		p->unit->fs_sandbox = calloc(1, sizeof(*p->unit->fs_sandbox));
	return p->unit->fs_sandbox;
}

/* A key's word from a small table; a boolean maps yes to yes_value. */
struct word_value {
	const char *word;
	int value;
};

static int set_enum(struct unit_parser *p, const char *value, int *field,
		    int yes_value, const struct word_value *words, size_t n,
		    const char *expected)
{
	bool yes;

	if (!*value) {
		*field = 0;
		return 0;
	}
	if (yes_value >= 0 && value_parse_bool(value, &yes) == 0) {
		*field = yes ? yes_value : 0;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(value, words[i].word) == 0) {
			*field = words[i].value;
			return 0;
		}
	}
	return parser_invalid(p, value, expected);
}

int key_protect_system(struct unit_parser *p, const char *value)
{
	static const struct word_value words[] = {
		{ "full", SANDBOX_SYSTEM_FULL }, { "strict", SANDBOX_SYSTEM_STRICT },
	};
	struct unit_sandbox_fs *s = settings(p);
	int v = 0, r;

	if (!s)
		return parser_nomem(p);
	r = set_enum(p, value, &v, SANDBOX_SYSTEM_YES, words, 2,
		     "yes, no, full or strict");
	if (r == 0)
		s->protect_system = (enum sandbox_protect_system)v;
	return r;
}

int key_protect_home(struct unit_parser *p, const char *value)
{
	static const struct word_value words[] = {
		{ "read-only", SANDBOX_HOME_READ_ONLY }, { "tmpfs", SANDBOX_HOME_TMPFS },
	};
	struct unit_sandbox_fs *s = settings(p);
	int v = 0, r;

	if (!s)
		return parser_nomem(p);
	r = set_enum(p, value, &v, SANDBOX_HOME_YES, words, 2,
		     "yes, no, read-only or tmpfs");
	if (r == 0)
		s->protect_home = (enum sandbox_protect_home)v;
	return r;
}

int key_private_tmp(struct unit_parser *p, const char *value)
{
	static const struct word_value words[] = {
		{ "disconnected", SANDBOX_TMP_DISCONNECTED },
	};
	struct unit_sandbox_fs *s = settings(p);
	int v = 0, r;

	if (!s)
		return parser_nomem(p);
	r = set_enum(p, value, &v, SANDBOX_TMP_YES, words, 1,
		     "yes, no or disconnected");
	if (r == 0)
		s->private_tmp = (enum sandbox_private_tmp)v;
	return r;
}

int key_protect_proc(struct unit_parser *p, const char *value)
{
	static const struct word_value words[] = {
		{ "default", SANDBOX_PROC_DEFAULT },
		{ "noaccess", SANDBOX_PROC_NOACCESS },
		{ "invisible", SANDBOX_PROC_INVISIBLE },
		{ "ptraceable", SANDBOX_PROC_PTRACEABLE },
	};
	struct unit_sandbox_fs *s = settings(p);
	int v = 0, r;

	if (!s)
		return parser_nomem(p);
	r = set_enum(p, value, &v, -1, words, 4,
		     "default, noaccess, invisible or ptraceable");
	if (r == 0)
		s->protect_proc = (enum sandbox_protect_proc)v;
	return r;
}

int key_proc_subset(struct unit_parser *p, const char *value)
{
	static const struct word_value words[] = { { "all", 0 }, { "pid", 1 } };
	struct unit_sandbox_fs *s = settings(p);
	int v = 0, r;

	if (!s)
		return parser_nomem(p);
	r = set_enum(p, value, &v, -1, words, 2, "all or pid");
	if (r == 0)
		s->proc_subset_pid = v == 1;
	return r;
}

/* The boolean keys; PrivateUsers= also takes "self" (yes) and
 * ProtectHostname= "private" is not supported. */
int key_sandbox_bool(struct unit_parser *p, const char *value)
{
	static const struct { const char *name; size_t offset; } keys[] = {
		{ "PrivateDevices", offsetof(struct unit_sandbox_fs, private_devices) },
		{ "ProtectKernelTunables", offsetof(struct unit_sandbox_fs, protect_kernel_tunables) },
		{ "ProtectKernelModules", offsetof(struct unit_sandbox_fs, protect_kernel_modules) },
		{ "ProtectKernelLogs", offsetof(struct unit_sandbox_fs, protect_kernel_logs) },
		{ "ProtectControlGroups", offsetof(struct unit_sandbox_fs, protect_control_groups) },
		{ "ProtectHostname", offsetof(struct unit_sandbox_fs, protect_hostname) },
		{ "ProtectClock", offsetof(struct unit_sandbox_fs, protect_clock) },
		{ "PrivateNetwork", offsetof(struct unit_sandbox_fs, private_network) },
		{ "PrivateIPC", offsetof(struct unit_sandbox_fs, private_ipc) },
		{ "PrivateUsers", offsetof(struct unit_sandbox_fs, private_users) },
	};
	struct unit_sandbox_fs *s = settings(p);
	bool yes = false;

	if (!s)
		return parser_nomem(p);
	if (*value && value_parse_bool(value, &yes) < 0) {
		if (strcmp(p->key, "PrivateUsers") != 0 || strcmp(value, "self") != 0)
			return parser_invalid(p, value, strcmp(p->key, "PrivateUsers") ?
					      "a boolean" : "a boolean or self");
		yes = true;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(p->key, keys[i].name) == 0)
			*(bool *)((char *)s + keys[i].offset) = yes;
	return 0;
}

/* The words of value, specifiers resolved, through fn; an empty value
 * resets through reset. */
static int each_word(struct unit_parser *p, const char *value,
		     int (*fn)(struct unit_parser *p, struct unit_sandbox_fs *s,
			       char *word, int which), int which)
{
	struct unit_sandbox_fs *s = settings(p);
	const char *rest = value, *why = NULL;
	char *word;
	int r;

	if (!s)
		return parser_nomem(p);
	while ((r = words_next(&rest, WORDS_UNQUOTE, &word, &why)) > 0) {
		char *text = keys_expand(p, word);

		free(word);
		if (!text)
			return -1;
		r = fn(p, s, text, which);
		free(text);
		if (r < 0)
			return -1;
	}
	if (r < 0 && why)
		return parser_invalid(p, value, "space-separated words with "
				      "balanced quotes");
	return r < 0 ? parser_nomem(p) : 0;
}

/* "-" (a missing path is skipped) then "+" (under RootDirectory=), in
 * systemd's order. */
static const char *path_prefixes(const char *word, bool *optional, bool *in_root)
{
	*optional = *word == '-';
	word += *optional;
	*in_root = *word == '+';
	return word + *in_root;
}

/* A malloc'd plain copy of path: 0, -1 for ENOMEM, -2 for a path that
 * is not absolute or has "." or ".." components. */
static int plain_copy(const char *path, char **copy)
{
	if (!(*copy = strdup(path)))
		return -1;
	if (unit_path_plain(*copy))
		return 0;
	free(*copy);
	*copy = NULL;
	return -2;
}

static int add_path(struct unit_parser *p, struct unit_sandbox_fs *s,
		    char *word, int which)
{
	struct sandbox_paths *list = &s->paths[which];
	struct sandbox_path item = { 0 }, *grown;
	const char *path = path_prefixes(word, &item.optional, &item.in_root);

	int r = plain_copy(path, &item.path);

	if (r == -1)
		return parser_nomem(p);
	if (r < 0)
		return parser_invalid(p, word, "absolute paths without . or .. "
				      "components, each may start with - and +");
	grown = realloc(list->items, (list->n + 1) * sizeof(*grown));
	if (!grown) {
		free(item.path);
		return parser_nomem(p);
	}
	list->items = grown;
	list->items[list->n++] = item;
	return 0;
}

static void paths_free(struct sandbox_paths *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i].path);
	free(list->items);
	*list = (struct sandbox_paths){ 0 };
}

/* ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=, ExecPaths=,
 * NoExecPaths=, and their old names ...Directories=. */
int key_sandbox_paths(struct unit_parser *p, const char *value)
{
	static const char *const stems[] = {
		"ReadWrite", "ReadOnly", "Inaccessible", "Exec", "NoExec",
	};
	struct unit_sandbox_fs *s = settings(p);
	int which = -1;

	if (!s)
		return parser_nomem(p);
	for (int i = 0; i < 5 && which < 0; i++) {
		size_t len = strlen(stems[i]);

		if (strncmp(p->key, stems[i], len) == 0 &&
		    (strcmp(p->key + len, "Paths") == 0 ||
		     strcmp(p->key + len, "Directories") == 0))
			which = i;
	}
	if (which < 0)
		return parser_invalid(p, value, "a known path list key");
	if (!*value) {
		paths_free(&s->paths[which]);
		return 0;
	}
	return each_word(p, value, add_path, which);
}

static void binds_free(struct unit_sandbox_fs *s, bool read_only)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->n_binds; i++) {
		if (s->binds[i].read_only != read_only) {
			s->binds[kept++] = s->binds[i];
			continue;
		}
		free(s->binds[i].source);
		free(s->binds[i].destination);
	}
	s->n_binds = kept;
	if (!kept) {
		free(s->binds);
		s->binds = NULL;
	}
}

static int add_bind(struct unit_parser *p, struct unit_sandbox_fs *s,
		    char *word, int read_only)
{
	struct sandbox_bind item = { .recursive = true, .read_only = read_only };
	char *colon, *options = NULL, *source = word;
	const char *dest;
	struct sandbox_bind *grown;
	int r;

	item.optional = *source == '-';
	source += item.optional;
	if ((colon = strchr(source, ':'))) {
		*colon = '\0';
		dest = colon + 1;
		if ((colon = strchr(colon + 1, ':'))) {
			*colon = '\0';
			options = colon + 1;
		}
	} else {
		dest = source;
	}
	if (options && strcmp(options, "rbind") != 0 && strcmp(options, "norbind") != 0)
		return parser_invalid(p, options, "rbind or norbind after the "
				      "second colon");
	item.recursive = !options || strcmp(options, "norbind") != 0;
	r = plain_copy(source, &item.source);
	if (r == 0 && (r = plain_copy(dest, &item.destination)) < 0)
		free(item.source);
	if (r == -1)
		return parser_nomem(p);
	if (r < 0)
		return parser_invalid(p, word, "[-]SOURCE[:DESTINATION[:rbind|"
				      "norbind]], absolute paths");
	grown = realloc(s->binds, (s->n_binds + 1) * sizeof(*grown));
	if (!grown) {
		free(item.source);
		free(item.destination);
		return parser_nomem(p);
	}
	s->binds = grown;
	s->binds[s->n_binds++] = item;
	return 0;
}

int key_bind_paths(struct unit_parser *p, const char *value)
{
	bool read_only = strcmp(p->key, "BindReadOnlyPaths") == 0;
	struct unit_sandbox_fs *s = settings(p);

	if (!s)
		return parser_nomem(p);
	if (!*value) {
		binds_free(s, read_only);
		return 0;
	}
	return each_word(p, value, add_bind, read_only);
}

static void tmpfs_free(struct unit_sandbox_fs *s)
{
	for (size_t i = 0; i < s->n_tmpfs; i++) {
		free(s->tmpfs[i].path);
		free(s->tmpfs[i].options);
	}
	free(s->tmpfs);
	s->tmpfs = NULL;
	s->n_tmpfs = 0;
}

static int add_tmpfs(struct unit_parser *p, struct unit_sandbox_fs *s,
		     char *word, int unused)
{
	struct sandbox_tmpfs item = { 0 }, *grown;
	char *colon = strchr(word, ':');
	int r;

	(void)unused;
	if (colon)
		*colon = '\0';
	r = plain_copy(word, &item.path);
	if (r == -1)
		return parser_nomem(p);
	if (r < 0)
		return parser_invalid(p, word, "an absolute path, then :OPTIONS");
	if (colon && colon[1] && !(item.options = strdup(colon + 1))) {
		free(item.path);
		return parser_nomem(p);
	}
	grown = realloc(s->tmpfs, (s->n_tmpfs + 1) * sizeof(*grown));
	if (!grown) {
		free(item.path);
		free(item.options);
		return parser_nomem(p);
	}
	s->tmpfs = grown;
	s->tmpfs[s->n_tmpfs++] = item;
	return 0;
}

int key_temporary_file_system(struct unit_parser *p, const char *value)
{
	struct unit_sandbox_fs *s = settings(p);

	if (!s)
		return parser_nomem(p);
	if (!*value) {
		tmpfs_free(s);
		return 0;
	}
	return each_word(p, value, add_tmpfs, 0);
}

bool sandbox_fs_needs_mounts(const struct unit_sandbox_fs *s)
{
	return sandbox_fs_first_mount_key(s) != SANDBOX_KEY_COUNT;
}

enum sandbox_key sandbox_fs_first_mount_key(const struct unit_sandbox_fs *s)
{
	if (!s)
		return SANDBOX_KEY_COUNT;
	if (s->protect_system)
		return SANDBOX_PROTECT_SYSTEM;
	if (s->protect_home)
		return SANDBOX_PROTECT_HOME;
	if (s->private_tmp)
		return SANDBOX_PRIVATE_TMP;
	if (s->private_devices)
		return SANDBOX_PRIVATE_DEVICES;
	for (int i = 0; i < 5; i++)
		if (s->paths[i].n)
			return (enum sandbox_key)(SANDBOX_READ_WRITE_PATHS + i);
	if (s->n_tmpfs)
		return SANDBOX_TEMPORARY_FILE_SYSTEM;
	for (size_t i = 0; i < s->n_binds; i++)
		return s->binds[i].read_only ? SANDBOX_BIND_READ_ONLY_PATHS :
		       SANDBOX_BIND_PATHS;
	if (s->protect_kernel_tunables)
		return SANDBOX_PROTECT_KERNEL_TUNABLES;
	if (s->protect_kernel_modules)
		return SANDBOX_PROTECT_KERNEL_MODULES;
	if (s->protect_kernel_logs)
		return SANDBOX_PROTECT_KERNEL_LOGS;
	if (s->protect_control_groups)
		return SANDBOX_PROTECT_CONTROL_GROUPS;
	if (s->protect_proc)
		return SANDBOX_PROTECT_PROC;
	if (s->proc_subset_pid)
		return SANDBOX_PROC_SUBSET;
	return SANDBOX_KEY_COUNT;
}

void sandbox_fs_free(struct unit_sandbox_fs *s)
{
	if (!s)
		return;
	for (int i = 0; i < 5; i++)
		paths_free(&s->paths[i]);
	binds_free(s, false);
	binds_free(s, true);
	tmpfs_free(s);
	free(s);
}
