/* svd.conf: the input is the file, written to a temporary directory and
 * loaded as svd loads it. Whatever the file says, every setting ends up
 * inside its limits (a bad line keeps the default). */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "settings.h"

static char *conf_path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf_path = fuzz_path(fuzz_tmpdir("settings"), "svd.conf");
	return 0;
}

static void check_settings(const struct settings *s)
{
	FUZZ_ASSERT(s->log_console >= SETTINGS_AUTO && s->log_console <= SETTINGS_ON);
	FUZZ_ASSERT(s->log_files >= SETTINGS_AUTO && s->log_files <= SETTINGS_ON);
	FUZZ_ASSERT(s->log_max_file_bytes >= SETTINGS_FILE_MIN_BYTES &&
		    s->log_max_file_bytes <= SETTINGS_FILE_MAX_BYTES);
	FUZZ_ASSERT(s->log_max_files >= 1 &&
		    s->log_max_files <= SETTINGS_MAX_FILES_MAX);
	FUZZ_ASSERT(s->log_ring_bytes >= SETTINGS_RING_MIN_BYTES &&
		    s->log_ring_bytes <= SETTINGS_RING_MAX_BYTES);
	for (int i = 0; i < UNIT_DIR_COUNT; i++)
		FUZZ_ASSERT(s->directory_roots[i] != NULL &&
			    s->directory_roots[i][0] == '/');
	/* A socket's path is absolute, and there only when switched on. */
	FUZZ_ASSERT(!s->syslog_socket_path ||
		    (s->syslog_socket == SETTINGS_ON && s->syslog_socket_path[0] == '/'));
	FUZZ_ASSERT(!s->forward_to_syslog_path ||
		    (s->forward_to_syslog == SETTINGS_ON &&
		     s->forward_to_syslog_path[0] == '/'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings s;

	fuzz_write_file(conf_path, data, size);
	FUZZ_ASSERT(settings_init(&s) == 0);
	FUZZ_ASSERT(settings_load(&s, conf_path, fuzz_check_diag, NULL) == 0);
	check_settings(&s);
	settings_free(&s);
	return 0;
}
