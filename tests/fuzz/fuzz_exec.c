/* Exec*= lines: an input is
 *   VALUE [SEP ENVIRONMENT]
 * with ENVIRONMENT one KEY=VALUE a line. The value is cut into words by
 * the tokenizer under every flag combination, parsed as one command and
 * as a ';'-separated list (with specifiers), and each command is
 * expanded against the environment as at spawn time. */
#include "fuzz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "envmap.h"
#include "strv.h"
#include "words.h"

#define FUZZ_PARTS_MAX 2
/* Every combination of enum words_flag. */
#define FUZZ_WORDS_FLAGS_ALL 16u

static const struct spec_ctx spec = {
	.unit_name = "fuzz@a-b\\x2dc.service", .prefix = "fuzz",
	.instance = "a-b\\x2dc",
	.host = &(struct spec_host){ .hostname = "fuzzhost" },
};

/* The tokenizer must make progress and end. */
static void split_words(const char *text, unsigned flags)
{
	const char *p = text, *error = NULL;
	char *word = NULL;
	int r;

	while ((r = words_next(&p, flags, &word, &error)) > 0) {
		FUZZ_ASSERT(word != NULL);
		free(word);
		word = NULL;
	}
	FUZZ_ASSERT(r == 0 || (r == -1 && (errno == EINVAL || errno == ENOMEM)));
	FUZZ_ASSERT(r == 0 || errno != EINVAL || error != NULL);
	FUZZ_ASSERT(p >= text && p <= text + strlen(text));
}

static char **parse_environment(char *text)
{
	struct envmap env = ENVMAP_INIT;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		const char *eq = strchr(line, '=');

		if (eq && strv_env_name_valid(line, (size_t)(eq - line)))
			FUZZ_ASSERT(envmap_put(&env, line) == 0);
	}
	return envmap_take(&env);
}

static void check_cmd(const struct exec_cmd *cmd, char *const *env)
{
	char **argv;

	FUZZ_ASSERT(cmd->path != NULL && cmd->line != NULL);
	FUZZ_ASSERT(cmd->argv != NULL);
	argv = exec_expand_argv(cmd, env);
	FUZZ_ASSERT(argv != NULL);
	strv_free(argv);
}

static void parse_one(const char *value, char *const *env)
{
	struct exec_cmd cmd = {0};
	char *error = NULL;

	if (exec_parse(value, &spec, &cmd, &error) < 0) {
		FUZZ_ASSERT(error != NULL);
		free(error);
		return;
	}
	FUZZ_ASSERT(error == NULL);
	check_cmd(&cmd, env);
	exec_cmd_clear(&cmd);
}

static void parse_multi(const char *value, char *const *env)
{
	struct exec_cmd *cmds = NULL;
	size_t n = 0;
	char *error = NULL;

	if (exec_parse_multi(value, &spec, &cmds, &n, &error) < 0) {
		FUZZ_ASSERT(error != NULL);
		free(error);
		return;
	}
	FUZZ_ASSERT(error == NULL && n >= 1);
	for (size_t i = 0; i < n; i++) {
		check_cmd(&cmds[i], env);
		exec_cmd_clear(&cmds[i]);
	}
	free(cmds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *parts[FUZZ_PARTS_MAX];
	char **env;

	fuzz_split(data, size, parts, NULL, FUZZ_PARTS_MAX);
	for (unsigned flags = 0; flags < FUZZ_WORDS_FLAGS_ALL; flags++)
		split_words(parts[0], flags);
	env = parse_environment(parts[1] ? parts[1] : (char[]){""});
	parse_one(parts[0], env);
	parse_multi(parts[0], env);
	strv_free(env);
	fuzz_parts_free(parts, FUZZ_PARTS_MAX);
	return 0;
}
