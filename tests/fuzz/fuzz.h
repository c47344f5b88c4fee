/* fuzz: what the libFuzzer harnesses share. Each harness is one
 * fuzz_NAME.c defining LLVMFuzzerTestOneInput(); libFuzzer's own main()
 * (-fsanitize=fuzzer) calls it with each input. A harness checks what the
 * code promises beyond "no crash" (round trips, invariants) with
 * FUZZ_ASSERT, which aborts so libFuzzer keeps the input as a crash. */
#ifndef SVD_FUZZ_H
#define SVD_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Cuts an input into parts (unit file, instance, drop-ins, ...): ASCII
 * record separator, which no text file holds, so the seeds stay
 * readable and a NUL byte inside a part is still fuzzed. */
#define FUZZ_SEP '\x1e'

/* The entry points libFuzzer calls; declared for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Aborts with the condition's text when it does not hold. */
#define FUZZ_ASSERT(cond) fuzz_assert((cond), #cond, __FILE__, __LINE__)
void fuzz_assert(bool ok, const char *what, const char *file, int line);

/* A NUL-terminated copy of data (a NUL inside ends the C string early,
 * as it would for the code under test). Never NULL: aborts on ENOMEM. */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* Splits data at FUZZ_SEP into at most max NUL-terminated copies (the last
 * part keeps any further separators); parts past the input's are NULL.
 * lens (may be NULL) gets each part's length, NUL bytes included, for
 * files written whole. Returns how many parts the input had (1..max). */
size_t fuzz_split(const uint8_t *data, size_t size, char **parts,
		  size_t *lens, size_t max);
void fuzz_parts_free(char **parts, size_t max);

/* A directory made once per process under $TMPDIR (or /tmp) and removed
 * with its contents at exit; name tags it ("svd-fuzz-NAME.XXXXXX"). */
const char *fuzz_tmpdir(const char *name);
/* dir/name, malloc'd. */
char *fuzz_path(const char *dir, const char *name);
/* Replaces the file at path with size bytes of data; aborts on failure. */
void fuzz_write_file(const char *path, const void *data, size_t size);
/* A diagnostic callback (svd.conf, EnvironmentFile=): any message said
 * must say something. */
void fuzz_check_diag(void *ctx, const char *message);

#endif
