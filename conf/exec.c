/* exec: Exec*= lines. Load time follows systemd's config_parse_exec():
 * specifiers over the whole value, then words with quotes and escapes, the
 * prefixes taken off the first word, ';' as its own word separating
 * commands. Spawn time follows replace_env_argv(). */
#include "exec.h"
#include "sbuf.h"
#include "strv.h"
#include "words.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLANKS " \t\n\r"

static int set_error(char **error, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sets *error to the message; -1 with errno = EINVAL (or NULL *error
 * and ENOMEM). */
static int set_error(char **error, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(error, fmt, ap);
	va_end(ap);
	if (r < 0) {
		*error = NULL;
		errno = ENOMEM;
		return -1;
	}
	errno = EINVAL;
	return -1;
}

/* Takes the prefix characters off the first word, in any order systemd
 * accepts each: '-', '@', ':' once; '+' or '!' or '!!', not mixed. */
static const char *take_prefixes(const char *f, unsigned *flags, bool *argv0)
{
	bool plus = false, bang = false, bangbang = false;

	for (;; f++) {
		if (*f == '-' && !(*flags & EXEC_FLAG_IGNORE_FAILURE))
			*flags |= EXEC_FLAG_IGNORE_FAILURE;
		else if (*f == '@' && !*argv0)
			*argv0 = true;
		else if (*f == ':' && !(*flags & EXEC_FLAG_NO_ENV_EXPAND))
			*flags |= EXEC_FLAG_NO_ENV_EXPAND;
		else if (*f == '+' && !plus && !bang && !bangbang)
			plus = true;
		else if (*f == '!' && !plus && !bang && !bangbang)
			bang = true;
		else if (*f == '!' && !plus && bang && !bangbang)
			bangbang = true;
		else
			break;
	}
	if (plus)
		*flags |= EXEC_FLAG_FULL_PRIVILEGES;
	else if (bangbang)
		*flags |= EXEC_FLAG_AMBIENT_MAGIC;
	else if (bang)
		*flags |= EXEC_FLAG_NO_SETUID;
	return f;
}

/* systemd's string_is_safe(): no control characters, quotes, backslash. */
static bool path_is_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 127 || strchr("\\\"'", *s))
			return false;
	return true;
}

static int check_path(const char *path, char **error)
{
	if (*path == '\0')
		return set_error(error, "empty command");
	if (!path_is_safe(path))
		return set_error(error, "executable \"%s\" contains special "
				 "characters", path);
	if (path[strlen(path) - 1] == '/')
		return set_error(error, "executable \"%s\" is a directory",
				 path);
	if (path[0] != '/' && strchr(path, '/'))
		return set_error(error, "executable \"%s\" is neither an "
				 "absolute path nor a plain file name", path);
	if (strcmp(path, ".") == 0 || strcmp(path, "..") == 0)
		return set_error(error, "executable \"%s\" is not a file name",
				 path);
	return 0;
}

/* A word that is exactly ";" ends a command; "\;" is a literal ";". */
static int separator_at(const char *p)
{
	size_t len = p[0] == ';' ? 1 : (p[0] == '\\' && p[1] == ';') ? 2 : 0;

	if (len && (p[len] == '\0' || strchr(BLANKS, p[len])))
		return (int)len;
	return 0;
}

/* After a failed words_next(): an unknown escape is named, p is just
 * past its backslash. */
static int word_error(const char *why, const char *p, char **error)
{
	if (errno == ENOMEM)
		return -1;
	if (strcmp(why, WORDS_UNKNOWN_ESCAPE) == 0 && *p)
		return set_error(error, "%s \\%c", why, *p);
	return set_error(error, "%s", why);
}

/* The words after the command; stops after a ";" separator. */
static int parse_args(const char **p, char ***argv, char **error)
{
	const char *why = NULL;
	char *word;
	int n, r;

	for (;;) {
		*p += strspn(*p, BLANKS);
		n = separator_at(*p);
		if (n == 1) {
			(*p)++;
			return 0;
		}
		if (n == 2) {
			*p += 2;
			if (strv_push(argv, ";") < 0)
				return -1;
			continue;
		}
		r = words_next(p, WORDS_UNQUOTE | WORDS_CUNESCAPE |
			       WORDS_CUNESCAPE_RELAX, &word, &why);
		if (r < 0)
			return word_error(why, *p, error);
		if (r == 0)
			return 0;
		if (strv_push_take(argv, word) < 0)
			return -1;
	}
}

/* The first word: prefixes, then the file to run. */
static int parse_command(const char *first, struct exec_cmd *cmd, bool *argv0,
			 char **error)
{
	const char *path = take_prefixes(first, &cmd->flags, argv0);

	if (check_path(path, error) < 0)
		return -1;
	cmd->path = strdup(path);
	return cmd->path ? 0 : -1;
}

/* One command from *p (expanded text); 0 at the end of the text. */
static int parse_one(const char **p, struct exec_cmd *cmd, char **error)
{
	const char *why = NULL;
	bool argv0 = false;
	char *first;
	int r;

	*p += strspn(*p, BLANKS);
	if (separator_at(*p) == 1)
		return set_error(error, "empty command before ';'");
	r = words_next(p, WORDS_UNQUOTE | WORDS_CUNESCAPE, &first, &why);
	if (r <= 0)
		return r < 0 ? word_error(why, *p, error) : 0;
	r = parse_command(first, cmd, &argv0, error);
	free(first);
	if (r == 0 && !argv0 && strv_push(&cmd->argv, cmd->path) < 0)
		r = -1;
	if (r == 0)
		r = parse_args(p, &cmd->argv, error);
	if (r == 0 && argv0 && (!cmd->argv || !cmd->argv[0][0]))
		r = set_error(error, "'@' needs an argv[0] word after the "
			      "command");
	return r < 0 ? -1 : 1;
}

void exec_cmds_free(struct exec_cmd *cmds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		exec_cmd_clear(&cmds[i]);
	free(cmds);
}

static int cmds_grow(struct exec_cmd **cmds, size_t n)
{
	struct exec_cmd *grown = realloc(*cmds, (n + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	memset(&grown[n], 0, sizeof(grown[n]));
	*cmds = grown;
	return 0;
}

/* Splits the expanded text into commands; each keeps the whole line. On
 * error every slot used so far is freed. */
static int split_commands(const char *text, const char *line,
			  struct exec_cmd **cmds, size_t *n, char **error)
{
	const char *p = text;
	size_t slots = 0;
	int r;

	for (;;) {
		r = cmds_grow(cmds, *n);
		if (r < 0)
			break;
		slots = *n + 1;
		r = parse_one(&p, &(*cmds)[*n], error);
		if (r <= 0)
			break;
		if (!((*cmds)[*n].line = strdup(line))) {
			r = -1;
			break;
		}
		(*n)++;
	}
	if (r == 0 && *n == 0)
		r = set_error(error, "empty command");
	if (r < 0) {
		exec_cmds_free(*cmds, slots);
		*cmds = NULL;
		*n = 0;
	}
	return r;
}

int exec_parse_multi(const char *value, const struct spec_ctx *spec,
		     struct exec_cmd **cmds, size_t *n_cmds, char **error)
{
	struct exec_cmd *list = NULL;
	size_t n = 0;
	char *text;
	int r;

	*error = NULL;
	text = spec_expand(value, spec, error);
	if (!text)
		return -1;
	r = split_commands(text, value, &list, &n, error);
	free(text);
	if (r < 0)
		return -1;
	*cmds = list;
	*n_cmds = n;
	return 0;
}

int exec_parse(const char *value, const struct spec_ctx *spec,
	       struct exec_cmd *out, char **error)
{
	struct exec_cmd *cmds;
	size_t n;

	if (exec_parse_multi(value, spec, &cmds, &n, error) < 0)
		return -1;
	if (n > 1) {
		exec_cmds_free(cmds, n);
		return set_error(error, "several commands separated by ';'");
	}
	*out = cmds[0];
	free(cmds);
	return 0;
}

void exec_cmd_clear(struct exec_cmd *cmd)
{
	free(cmd->path);
	strv_free(cmd->argv);
	free(cmd->line);
	memset(cmd, 0, sizeof(*cmd));
}

static bool env_name_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

/* "$NAME" with a valid name and nothing else: the split-into-words case. */
static bool is_whole_var(const char *word)
{
	if (word[0] != '$' || !env_name_char(word[1], true))
		return false;
	for (const char *s = word + 2; *s; s++)
		if (!env_name_char(*s, false))
			return false;
	return true;
}

/* Appends the words of a variable's value (quotes honoured, as systemd's
 * strv_split_full(EXTRACT_RELAX|EXTRACT_UNQUOTE)). */
static int push_split(char ***out, const char *value)
{
	const char *why;
	char *word;
	int r;

	while ((r = words_next(&value, WORDS_UNQUOTE | WORDS_RELAX, &word,
			       &why)) > 0)
		if (strv_push_take(out, word) < 0)
			return -1;
	return r;
}

/* "${NAME}" anywhere; "$$" is "$"; any other '$' stays as written. */
static int add_curly(struct sbuf *b, const char **p, char *const *env)
{
	const char *s = *p, *close = strchr(s + 2, '}');
	const char *value;
	char *name;

	if (!close) {	/* unterminated: kept literally, as systemd does */
		*p = s + strlen(s);
		return sbuf_adds(b, s);
	}
	name = strndup(s + 2, (size_t)(close - s - 2));
	if (!name)
		return -1;
	value = strv_env_get(env, name);
	free(name);
	*p = close + 1;
	return value ? sbuf_adds(b, value) : 0;
}

static char *replace_env(const char *word, char *const *env)
{
	struct sbuf b = SBUF_INIT;
	int r = 0;

	for (const char *p = word; *p && r == 0;) {
		if (p[0] == '$' && p[1] == '$') {
			r = sbuf_addc(&b, '$');
			p += 2;
		} else if (p[0] == '$' && p[1] == '{') {
			r = add_curly(&b, &p, env);
		} else {
			r = sbuf_addc(&b, *p++);
		}
	}
	if (r < 0) {
		sbuf_free(&b);
		return NULL;
	}
	return sbuf_take(&b);
}

static int expand_word(char ***out, const char *word, char *const *env)
{
	const char *value;

	if (is_whole_var(word)) {
		value = strv_env_get(env, word + 1);
		return value ? push_split(out, value) : 0;
	}
	return strv_push_take(out, replace_env(word, env));
}

char **exec_expand_argv(const struct exec_cmd *cmd, char *const *env)
{
	char **out = NULL;

	if (cmd->flags & EXEC_FLAG_NO_ENV_EXPAND) {
		out = strv_copy(cmd->argv);
		if (!out)
			errno = ENOMEM;
		return out;
	}
	for (size_t i = 0; cmd->argv && cmd->argv[i]; i++)
		if (expand_word(&out, cmd->argv[i], env) < 0) {
			strv_free(out);
			errno = ENOMEM;
			return NULL;
		}
	/* Every word expanded to nothing: still a valid, empty vector. */
	if (!out)
		out = calloc(1, sizeof(*out));
	if (!out)
		errno = ENOMEM;
	return out;
}
