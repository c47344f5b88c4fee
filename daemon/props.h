/* props: a unit's properties in the replies to status, show and list.
 *
 * proto/vocab.c says each property's name, type and place in a reply
 * (svctl reads the same table for its JSON); this module has its getter,
 * one case per property, so a property is added as one row there and one
 * case here, and a missing case does not compile (-Wswitch). */
#ifndef SVD_PROPS_H
#define SVD_PROPS_H

#include <stdbool.h>

#include "manager.h"
#include "proto.h"
#include "vocab.h"

/* Puts service's properties into buf in the table's order: the brief
 * ones (a row of list), or every one it has (status, show). A property
 * that does not fit is left out, as proto_put does. */
void props_put(struct proto_buf *buf, const struct service *service,
	       bool full);
/* The properties ids[0..n), in that order (an event of svctl monitor). */
void props_put_some(struct proto_buf *buf, const struct service *service,
		    const enum vocab_prop_id *ids, size_t n);

#endif
