/* unit_keys: the parse functions of the keys svd implements, named in the
 * tables of keys.c. Internal to conf/. */
#ifndef SVD_UNIT_KEYS_H
#define SVD_UNIT_KEYS_H

#include "keys.h"

/* [Unit] */
key_parse_fn key_description, key_documentation;
key_parse_fn key_start_limit_burst, key_start_limit_interval;
key_parse_fn key_note_success_action;
/* [Service] */
key_parse_fn key_type, key_exec_start, key_restart, key_restart_sec;
key_parse_fn key_timeout_stop, key_timeout_start, key_timeout;
key_parse_fn key_kill_signal, key_kill_mode, key_send_sigkill;
key_parse_fn key_notify_access, key_watchdog, key_watchdog_signal;
key_parse_fn key_requires, key_requisite, key_wants, key_binds_to, key_part_of,
	key_conflicts, key_after, key_before, key_condition;
key_parse_fn key_success_exit_status, key_restart_prevent_exit_status;
key_parse_fn key_remain_after_exit, key_environment, key_working_directory;
key_parse_fn key_exec_control, key_note_bus_name, key_pid_file;
key_parse_fn key_user, key_group, key_supplementary_groups, key_umask, key_nice;
/* [Install] */
key_parse_fn key_wanted_by, key_required_by, key_alias, key_also;
key_parse_fn key_default_instance;

#endif
