/* EnvironmentFile=: the input is the file. It is parsed from memory
 * (exactly size bytes, no terminating NUL, so an over-read shows) and
 * read back from a real file; both must give the same environment, every
 * entry a valid NAME=VALUE. */
#include "fuzz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "envfile.h"
#include "strv.h"

static char *env_path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	env_path = fuzz_path(fuzz_tmpdir("envfile"), "fuzz.env");
	return 0;
}

static void check_env(char *const *env)
{
	for (size_t i = 0; env && env[i]; i++) {
		const char *eq = strchr(env[i], '=');

		FUZZ_ASSERT(eq != NULL);
		FUZZ_ASSERT(strv_env_name_valid(env[i], (size_t)(eq - env[i])));
		/* A later assignment replaces an earlier one. */
		for (size_t j = 0; j < i; j++)
			FUZZ_ASSERT(strncmp(env[j], env[i],
					    (size_t)(eq - env[i]) + 1) != 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **env = NULL, **from_file = NULL;
	size_t n;

	if (size > ENVFILE_MAX_BYTES)
		return 0;
	FUZZ_ASSERT(envfile_parse((const char *)data, size, env_path, &env,
				  fuzz_check_diag, NULL) == 0);
	check_env(env);
	fuzz_write_file(env_path, data, size);
	FUZZ_ASSERT(envfile_read(env_path, &from_file, fuzz_check_diag, NULL, NULL,
				 0) == 0);
	n = strv_length(env);
	FUZZ_ASSERT(strv_length(from_file) == n);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(strcmp(env[i], from_file[i]) == 0);
	strv_free(env);
	strv_free(from_file);
	return 0;
}
