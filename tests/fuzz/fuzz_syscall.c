/* The system call keys (conf/syscall_keys.c) and the filter compiler
 * behind them (daemon/seccomp_build.c): an input is the body of a
 * [Service] section, loaded as a unit file. A unit that loads has its
 * sandbox checked (rules sorted and unique, errnos in range, flags
 * within the tables) and compiled as at a first start: whatever the
 * parser accepts must compile, within the kernel's program size. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp_build.h"
#include "syscall_filter.h"
#include "unit.h"

static const char *dirs[1];
static char *unit_path;

static void on_diag(void *ctx, enum unit_diag_level level, const char *message)
{
	(void)ctx;
	(void)level;
	FUZZ_ASSERT(strlen(message) > 0);
}

static const struct unit_load_ctx ctx = {
	.dirs = dirs, .n_dirs = 1, .diag = on_diag,
	.spec = { .host = &(struct spec_host){ .hostname = "fuzzhost" } },
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	dirs[0] = fuzz_tmpdir("syscall");
	unit_path = fuzz_path(dirs[0], "fuzz.service");
	return 0;
}

static void check_set(const struct syscall_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		int e = set->rules[i].errnum;

		FUZZ_ASSERT(e == SYSCALL_ERRNO_DEFAULT || e == SYSCALL_ERRNO_KILL ||
			    (e >= 0 && e <= SYSCALL_ERRNO_MAX));
		FUZZ_ASSERT(i == 0 || set->rules[i - 1].id < set->rules[i].id);
	}
	FUZZ_ASSERT(set->n <= set->cap);
}

static void check_sandbox(const struct unit_syscall_sandbox *sb)
{
	struct syscall_programs *programs = NULL;
	char why[256];

	check_set(&sb->filter);
	check_set(&sb->log);
	FUZZ_ASSERT(sb->error_number == SYSCALL_ERRNO_KILL ||
		    (sb->error_number > 0 && sb->error_number <= SYSCALL_ERRNO_MAX));
	FUZZ_ASSERT(!(sb->archs >> syscall_archs_count));
	FUZZ_ASSERT(sb->restrict_namespaces == SYSCALL_NAMESPACES_UNSET ||
		    !(sb->restrict_namespaces & ~syscall_namespaces_all()));
	FUZZ_ASSERT(sb->compiled == NULL);
	FUZZ_ASSERT(seccomp_build(sb, &programs, why, sizeof(why)) == 0);
	for (size_t i = 0; i < programs->n; i++) {
		FUZZ_ASSERT(programs->v[i].len > 0);
		FUZZ_ASSERT(programs->v[i].len <= SECCOMP_PROGRAM_MAX_INSNS);
		FUZZ_ASSERT(programs->v[i].key < SYSCALL_KEY_COUNT);
	}
	syscall_programs_free(programs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char head[] = "[Service]\nExecStart=/bin/true\n";
	char *text = malloc(sizeof(head) + size);
	struct unit *u = NULL;

	FUZZ_ASSERT(text != NULL);
	memcpy(text, head, sizeof(head) - 1);
	memcpy(text + sizeof(head) - 1, data, size);
	fuzz_write_file(unit_path, text, sizeof(head) - 1 + size);
	free(text);
	if (unit_load_file(&ctx, unit_path, NULL, &u) == 0) {
		if (u->syscall_sandbox)
			check_sandbox(u->syscall_sandbox);
		unit_free(u);
	}
	return 0;
}
