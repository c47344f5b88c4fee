/* identity_keys: the systemd.exec(5) keys about whom a service runs as
 * beyond User=: DynamicUser=, RemoveIPC=, KeyringMode=. Checked here;
 * daemon/dynuser.c, daemon/ipc_clean.c and spawn.c apply them. */
#include "unit_keys.h"
#include "parser.h"

#include <string.h>

int key_dynamic_user(struct unit_parser *p, const char *value)
{
	return keys_set_bool(p, value, &p->unit->dynamic_user, false);
}

int key_remove_ipc(struct unit_parser *p, const char *value)
{
	return keys_set_bool(p, value, &p->unit->remove_ipc, false);
}

int key_keyring_mode(struct unit_parser *p, const char *value)
{
	static const char *const names[] = {
		[UNIT_KEYRING_PRIVATE] = "private",
		[UNIT_KEYRING_INHERIT] = "inherit",
		[UNIT_KEYRING_SHARED] = "shared",
	};

	/* Empty: the default, as for every key. */
	if (!*value) {
		p->unit->keyring_mode = UNIT_KEYRING_PRIVATE;
		return 0;
	}
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(value, names[i]) == 0) {
			p->unit->keyring_mode = (unsigned char)i;
			return 0;
		}
	return parser_invalid(p, value, "inherit, private or shared");
}
