/* unit_keys: the parse functions of the keys svd implements, named in the
 * tables of keys.c. Internal to conf/. */
#ifndef SVD_UNIT_KEYS_H
#define SVD_UNIT_KEYS_H

#include <stdbool.h>
#include <stdint.h>

struct unit_parser;

/* Returned by a parse function that only records that the key is there
 * (for a check at the end) and wants the "unsupported" warning. */
#define KEY_NOTED 1

/* Parses value into the parser's unit. Returns 0, KEY_NOTED, or -1 after
 * reporting an error through the parser. */
typedef int key_parse_fn(struct unit_parser *p, const char *value);

/* Helpers for the parse functions of every key file. */
/* The value with specifiers resolved; NULL after reporting the problem. */
char *keys_expand(struct unit_parser *p, const char *value);
/* A string value; empty resets it. */
int keys_set_string(struct unit_parser *p, const char *value, char **field);
/* An absolute path after specifiers; empty resets it. */
int keys_set_path(struct unit_parser *p, const char *value, char **field);
/* A boolean; empty restores default_value. */
int keys_set_bool(struct unit_parser *p, const char *value, bool *field,
		  bool default_value);
/* A time span; empty restores default_value. */
int keys_set_timespan(struct unit_parser *p, const char *value,
		      uint64_t *field, uint64_t default_value);
/* A space-separated list: words are appended, an empty value resets. */
int keys_set_list(struct unit_parser *p, const char *value, char ***list,
		  bool specifiers);

/* [Unit] */
key_parse_fn key_description, key_documentation;
key_parse_fn key_start_limit_burst, key_start_limit_interval;
key_parse_fn key_success_action, key_failure_action;
key_parse_fn key_success_action_exit_status, key_failure_action_exit_status;
key_parse_fn key_on_failure, key_on_success, key_requires_mounts_for;
/* [Service] */
key_parse_fn key_type, key_exec_start, key_restart, key_restart_sec;
key_parse_fn key_restart_steps, key_restart_max_delay;
key_parse_fn key_timeout_stop, key_timeout_start, key_timeout;
key_parse_fn key_kill_signal, key_kill_mode, key_send_sigkill;
key_parse_fn key_notify_access, key_watchdog, key_watchdog_signal;
key_parse_fn key_requires, key_requisite, key_wants, key_binds_to, key_part_of,
	key_conflicts, key_after, key_before, key_condition;
key_parse_fn key_success_exit_status, key_restart_prevent_exit_status;
key_parse_fn key_remain_after_exit, key_environment, key_working_directory;
key_parse_fn key_exec_control, key_note_bus_name, key_pid_file;
key_parse_fn key_user, key_group, key_supplementary_groups, key_umask, key_nice;
/* systemd.exec(5), in exec_keys.c */
key_parse_fn key_environment_file, key_pass_environment, key_unset_environment;
key_parse_fn key_root_directory, key_limit, key_runtime_directory_preserve;
key_parse_fn key_standard_input, key_standard_output, key_standard_error;
key_parse_fn key_syslog_identifier, key_ignore_sigpipe, key_exec_bool;
key_parse_fn key_tty_path, key_tty_size;
key_parse_fn key_utmp_identifier, key_utmp_mode;
key_parse_fn key_directory, key_directory_mode; /* the five *Directory= */
/* the file-system and namespace hardening keys, in sandbox_fs.c */
key_parse_fn key_protect_system, key_protect_home, key_private_tmp;
key_parse_fn key_protect_proc, key_proc_subset, key_sandbox_bool;
key_parse_fn key_sandbox_paths, key_bind_paths, key_temporary_file_system;
/* systemd.resource-control(5), in resource_keys.c */
key_parse_fn key_memory, key_tasks_max, key_cpu_quota, key_weight;
key_parse_fn key_allowed_cpus, key_slice, key_oom_policy;
/* systemd.exec(5)'s system call keys, in syscall_keys.c */
key_parse_fn key_system_call_filter, key_system_call_error_number;
key_parse_fn key_system_call_architectures, key_restrict_address_families;
key_parse_fn key_restrict_namespaces, key_syscall_bool;
/* [Socket], in socket_keys.c */
key_parse_fn key_listen, key_socket_service, key_fd_name, key_socket_user;
key_parse_fn key_socket_group, key_socket_mode, key_socket_directory_mode;
key_parse_fn key_backlog, key_max_connections, key_accept, key_socket_bool;
key_parse_fn key_socket_buffer, key_bind_ipv6_only, key_symlinks;
key_parse_fn key_trigger_limit_interval, key_trigger_limit_burst;
key_parse_fn key_sockets;
key_parse_fn key_capability_bounding_set, key_ambient_capabilities;
key_parse_fn key_secure_bits, key_no_new_privileges;
key_parse_fn key_dynamic_user, key_remove_ipc, key_keyring_mode;
/* [Install] */
key_parse_fn key_wanted_by, key_required_by, key_alias, key_also;
key_parse_fn key_default_instance;

#endif
