/* enable: a unit's enabled/disabled mark in the state directory. Units
 * are enabled unless STATE_DIR/disabled/NAME exists, so a fresh system
 * starts everything its unit directories hold. */
#ifndef SVD_ENABLE_H
#define SVD_ENABLE_H

#include <stdbool.h>

bool enable_is_enabled(const char *state_dir, const char *name);
/* Creates or removes the mark (and the directories it lives in).
 * Returns -1 with errno. */
int enable_set(const char *state_dir, const char *name, bool enabled);

#endif
