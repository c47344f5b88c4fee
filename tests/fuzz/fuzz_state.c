/* The re-exec state parser: the input is a state image as the old svd
 * writes it to its memfd (or anything at all: a new svd must refuse,
 * never crash on, what it cannot read). What it accepts is checked by
 * writing it out and reading that back: the same image. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_image img, again;
	char why[256], *out, *out2;
	size_t len, len2;

	if (state_load((const char *)data, size, &img, why, sizeof(why)) < 0) {
		FUZZ_ASSERT(why[0] != '\0');
		FUZZ_ASSERT(img.n_units == 0);
		return 0;
	}
	FUZZ_ASSERT(img.version >= STATE_FORMAT_VERSION_MIN &&
		    img.version <= STATE_FORMAT_VERSION);
	for (size_t i = 0; i < img.n_units; i++) {
		FUZZ_ASSERT(img.units[i].name.data != NULL);
		FUZZ_ASSERT(img.units[i].n_listen_fds <= STATE_LISTEN_FDS_MAX);
		for (size_t j = 1; j < img.units[i].n_lines; j++)
			FUZZ_ASSERT(img.units[i].lines[j].seq > img.units[i].lines[j - 1].seq);
	}
	out = state_save_buffer(&img, &len);
	FUZZ_ASSERT(out != NULL);
	FUZZ_ASSERT(state_load(out, len, &again, why, sizeof(why)) == 0);
	out2 = state_save_buffer(&again, &len2);
	FUZZ_ASSERT(out2 != NULL && len2 == len && memcmp(out, out2, len) == 0);
	free(out);
	free(out2);
	state_image_free(&again);
	state_image_free(&img);
	return 0;
}
