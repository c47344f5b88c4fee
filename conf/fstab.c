#include "fstab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/swap.h>

#include "sbuf.h"
#include "unit.h"

/* linux/swap.h's, which glibc's sys/swap.h may lack. */
#ifndef SWAP_FLAG_DISCARD_ONCE
#define SWAP_FLAG_DISCARD_ONCE 0x20000
#endif
#ifndef SWAP_FLAG_DISCARD_PAGES
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#endif
#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

#define FSTAB_FIELDS_MAX 6

/* The VFS flags of mount(8) that fstab spells as words. */
static const struct {
	const char *name;
	unsigned long flag;
	bool clear;	/* the word turns the flag off */
} flag_words[] = {
	{ "ro", MS_RDONLY, false }, { "rw", MS_RDONLY, true },
	{ "nosuid", MS_NOSUID, false }, { "suid", MS_NOSUID, true },
	{ "nodev", MS_NODEV, false }, { "dev", MS_NODEV, true },
	{ "noexec", MS_NOEXEC, false }, { "exec", MS_NOEXEC, true },
	{ "sync", MS_SYNCHRONOUS, false }, { "async", MS_SYNCHRONOUS, true },
	{ "dirsync", MS_DIRSYNC, false },
	{ "mand", MS_MANDLOCK, false }, { "nomand", MS_MANDLOCK, true },
	{ "noatime", MS_NOATIME, false }, { "atime", MS_NOATIME, true },
	{ "nodiratime", MS_NODIRATIME, false },
	{ "diratime", MS_NODIRATIME, true },
	{ "relatime", MS_RELATIME, false }, { "norelatime", MS_RELATIME, true },
	{ "strictatime", MS_STRICTATIME, false },
	{ "nostrictatime", MS_STRICTATIME, true },
	{ "lazytime", MS_LAZYTIME, false }, { "nolazytime", MS_LAZYTIME, true },
	{ "silent", MS_SILENT, false }, { "loud", MS_SILENT, true },
	{ "iversion", MS_I_VERSION, false },
	{ "noiversion", MS_I_VERSION, true },
	{ "bind", MS_BIND, false }, { "rbind", MS_BIND | MS_REC, false },
};

static const struct {
	const char *name;
	unsigned long flags;
} propagation_words[] = {
	{ "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
	{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
	{ "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE },
	{ "runbindable", MS_UNBINDABLE | MS_REC },
};

/* Read by mount(8), its helpers or systemd, never by the kernel. */
static const char *const userspace_words[] = {
	"defaults", "auto", "user", "users", "nouser", "owner", "noowner",
	"group", "nogroup", "_netdev", "_rnetdev", "sw", "nosymfollow",
};
static const char *const userspace_prefixes[] = {
	"x-", "X-", "comment=", "uhelper=", "helper=",
};

/* Words svd refuses rather than half-does. */
static const struct {
	const char *name;
	const char *why;
} refused_words[] = {
	{ "loop", "svd sets up no loop devices (losetup in a unit)" },
	{ "remount", "a remount in fstab is no mount" },
	{ "move", "a move in fstab is no mount" },
	{ "rmove", "a move in fstab is no mount" },
};

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* swapon(8)'s pri=N and discard[=once|pages]: false for another word
 * (ignored, as swapon ignores it), -1 for a bad value. */
static int swap_word(struct fstab_entry *e, const char *word)
{
	char *end;
	long pri;

	if (has_prefix(word, "pri=")) {
		errno = 0;
		pri = strtol(word + 4, &end, 10);
		if (errno || end == word + 4 || *end || pri < 0 ||
		    pri > SWAP_FLAG_PRIO_MASK)
			return -1;
		e->swap_flags |= SWAP_FLAG_PREFER |
			((int)pri << SWAP_FLAG_PRIO_SHIFT & SWAP_FLAG_PRIO_MASK);
	} else if (strcmp(word, "discard") == 0) {
		e->swap_flags |= SWAP_FLAG_DISCARD;
	} else if (strcmp(word, "discard=once") == 0) {
		e->swap_flags |= SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONCE;
	} else if (strcmp(word, "discard=pages") == 0) {
		e->swap_flags |= SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_PAGES;
	} else if (has_prefix(word, "discard=")) {
		return -1;
	}
	return 0;
}

/* A word of the kernel's flags, propagation or svd's own: true when
 * taken. */
static bool flag_word(struct fstab_entry *e, const char *word)
{
	for (size_t i = 0; i < sizeof(flag_words) / sizeof(flag_words[0]); i++)
		if (strcmp(word, flag_words[i].name) == 0) {
			if (flag_words[i].clear)
				e->flags &= ~flag_words[i].flag;
			else
				e->flags |= flag_words[i].flag;
			return true;
		}
	for (size_t i = 0;
	     i < sizeof(propagation_words) / sizeof(propagation_words[0]); i++)
		if (strcmp(word, propagation_words[i].name) == 0) {
			e->propagation = propagation_words[i].flags;
			return true;
		}
	if (strcmp(word, "noauto") == 0)
		return (e->noauto = true);
	if (strcmp(word, "nofail") == 0)
		return (e->nofail = true);
	for (size_t i = 0; i < sizeof(userspace_words) / sizeof(userspace_words[0]); i++)
		if (strcmp(word, userspace_words[i]) == 0)
			return true;
	for (size_t i = 0;
	     i < sizeof(userspace_prefixes) / sizeof(userspace_prefixes[0]); i++)
		if (has_prefix(word, userspace_prefixes[i]))
			return true;
	return false;
}

static const char *refused(const char *word)
{
	for (size_t i = 0; i < sizeof(refused_words) / sizeof(refused_words[0]); i++)
		if (strcmp(word, refused_words[i].name) == 0)
			return refused_words[i].why;
	return NULL;
}

/* One comma-separated word; -1 with *why for a bad one. */
static int option_word(struct fstab_entry *e, const char *word,
		       struct sbuf *data, const char **why)
{
	if (*word == '\0')
		return 0;	/* "a,,b": mount(8) skips it too */
	if ((*why = refused(word)))
		return -1;
	if (flag_word(e, word))
		return 0;
	if (e->swap) {
		if (swap_word(e, word) == 0)
			return 0;
		*why = "a bad swap option (pri=0..32767, discard[=once|pages])";
		return -1;
	}
	if ((data->len && sbuf_addc(data, ',') < 0) || sbuf_adds(data, word) < 0) {
		*why = NULL;
		return -1;
	}
	return 0;
}

int fstab_options(struct fstab_entry *e, const char *options,
		  const char **why, char **bad)
{
	struct sbuf data = SBUF_INIT;
	char *copy = strdup(options), *save = NULL;

	*why = NULL;
	*bad = NULL;
	e->flags = 0;
	e->propagation = 0;
	e->swap_flags = 0;
	e->noauto = e->nofail = false;
	if (!copy)
		return -1;
	/* strtok_r would merge ",,": the same here, they are skipped. */
	for (char *word = strtok_r(copy, ",", &save); word;
	     word = strtok_r(NULL, ",", &save))
		if (option_word(e, word, &data, why) < 0) {
			if (*why && !(*bad = strdup(word)))
				*why = NULL;
			free(copy);
			sbuf_free(&data);
			if (!*why)
				errno = ENOMEM;
			return -1;
		}
	free(copy);
	free(e->data);
	e->data = sbuf_take(&data);
	if (!e->data) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* fstab(5) writes a space in a field as \040, a tab \011: undone in
 * place (\000 is left, it would end the string). */
static void unescape(char *field)
{
	char *o = field;

	for (const char *s = field; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7' &&
		    (s[1] != '0' || s[2] != '0' || s[3] != '0')) {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static void entry_clear(struct fstab_entry *e)
{
	free(e->source);
	free(e->point);
	free(e->fstype);
	free(e->options);
	free(e->data);
	memset(e, 0, sizeof(*e));
}

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* Splits line (modified in place) into at most FSTAB_FIELDS_MAX fields;
 * the count, or FSTAB_FIELDS_MAX + 1 when there are more. */
static int split_fields(char *line, char **field)
{
	char *save = NULL, *word = strtok_r(line, " \t\r", &save);
	int n = 0;

	for (; word; word = strtok_r(NULL, " \t\r", &save)) {
		if (n == FSTAB_FIELDS_MAX)
			return n + 1;
		field[n++] = word;
	}
	return n;
}

/* The entry of one line's fields: NULL with *why a static phrase for a
 * bad one (*bad: the option at fault, or NULL), or NULL with errno
 * ENOMEM and *why NULL. */
static int entry_fill(struct fstab_entry *e, char **field, int n,
		      const char **why, char **bad)
{
	const char *options = n > 3 ? field[3] : "defaults";

	*why = NULL;
	if (n < 3) {
		*why = "fewer than three fields (spec, mount point, type)";
		return -1;
	}
	if (n > FSTAB_FIELDS_MAX) {
		*why = "more than six fields (a space in a path is \\040)";
		return -1;
	}
	if ((n > 4 && !all_digits(field[4])) || (n > 5 && !all_digits(field[5]))) {
		*why = "the dump and pass fields are numbers";
		return -1;
	}
	unescape(field[0]);
	unescape(field[1]);
	e->swap = strcmp(field[2], "swap") == 0;
	if (!e->swap && !unit_path_plain(field[1])) {
		*why = "the mount point is no absolute path without . or ..";
		return -1;
	}
	if (!(e->source = strdup(field[0])) || !(e->point = strdup(field[1])) ||
	    !(e->fstype = strdup(field[2])) || !(e->options = strdup(options)))
		return -1;
	if (fstab_options(e, options, why, bad) < 0)
		return -1;
	if ((e->flags & MS_BIND) && e->source[0] != '/') {
		*why = "a bind mount's source is an absolute path";
		return -1;
	}
	return 0;
}

static int push(struct fstab *tab, struct fstab_entry *e)
{
	if (tab->n == tab->cap) {
		size_t cap = tab->cap ? tab->cap * 2 : 16;
		struct fstab_entry *grown = realloc(tab->entries,
						    cap * sizeof(*grown));

		if (!grown)
			return -1;
		tab->entries = grown;
		tab->cap = cap;
	}
	tab->entries[tab->n++] = *e;
	return 0;
}

static void report(struct fstab *tab, const char *file, unsigned line,
		   const char *why, const char *bad, fstab_diag_fn *diag,
		   void *ctx)
{
	char *message;
	int r;

	tab->n_errors++;
	if (!diag)
		return;
	if (bad)
		r = asprintf(&message, "%s:%u: option \"%s\": %s; line skipped",
			     file, line, bad, why);
	else
		r = asprintf(&message, "%s:%u: %s; line skipped", file, line, why);
	diag(ctx, r < 0 ? "fstab: out of memory" : message);
	if (r >= 0)
		free(message);
}

/* One line (NUL-terminated copy): 0, or -1 with errno ENOMEM. */
static int parse_line(struct fstab *tab, const char *file, unsigned number,
		      char *line, fstab_diag_fn *diag, void *ctx)
{
	struct fstab_entry e = { .line = number };
	char *field[FSTAB_FIELDS_MAX], *bad = NULL;
	const char *why;
	int n = split_fields(line, field);

	if (n == 0 || field[0][0] == '#')
		return 0;
	if (tab->n >= FSTAB_ENTRIES_MAX) {
		report(tab, file, number, "more than 4096 entries", NULL, diag, ctx);
		return 0;
	}
	if (entry_fill(&e, field, n, &why, &bad) < 0) {
		entry_clear(&e);
		if (!why)
			return -1;
		report(tab, file, number, why, bad, diag, ctx);
		free(bad);
		return 0;
	}
	if (push(tab, &e) < 0) {
		entry_clear(&e);
		return -1;
	}
	return 0;
}

int fstab_parse(struct fstab *tab, const char *file, const char *text,
		size_t len, fstab_diag_fn *diag, void *ctx)
{
	unsigned number = 0;

	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - text) - at : len - at;
		char *line;
		int r;

		number++;
		if (memchr(text + at, '\0', n)) {
			report(tab, file, number, "a NUL byte", NULL, diag, ctx);
			at += n + 1;
			continue;
		}
		if (!(line = strndup(text + at, n)))
			return -1;
		r = parse_line(tab, file, number, line, diag, ctx);
		free(line);
		if (r < 0)
			return -1;
		at += n + 1;
	}
	return 0;
}

int fstab_load(struct fstab *tab, const char *path, fstab_diag_fn *diag,
	       void *ctx)
{
	struct sbuf text = SBUF_INIT;
	int r;

	if (sbuf_read_file(&text, path, FSTAB_FILE_MAX_BYTES) < 0) {
		sbuf_free(&text);
		return errno == ENOENT ? 0 : -1;
	}
	r = fstab_parse(tab, path, text.s ? text.s : "", text.len, diag, ctx);
	sbuf_free(&text);
	return r;
}

const struct fstab_entry *fstab_find(const struct fstab *tab,
				     const char *point)
{
	for (size_t i = tab->n; i-- > 0;)
		if (!tab->entries[i].swap &&
		    strcmp(tab->entries[i].point, point) == 0)
			return &tab->entries[i];
	return NULL;
}

void fstab_free(struct fstab *tab)
{
	for (size_t i = 0; i < tab->n; i++)
		entry_clear(&tab->entries[i]);
	free(tab->entries);
	memset(tab, 0, sizeof(*tab));
}
