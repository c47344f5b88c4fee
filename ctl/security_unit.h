/* security_unit: the inputs of the security checks (security.h), read
 * from a unit as svd loaded it. */
#ifndef SVCTL_SECURITY_UNIT_H
#define SVCTL_SECURITY_UNIT_H

#include "security.h"
#include "unit.h"

/* Fills out from u's settings; a setting svd does not read yet keeps
 * security_info_init()'s value. out's strings point into u. */
void security_info_from_unit(const struct unit *u, struct security_info *out);

#endif
