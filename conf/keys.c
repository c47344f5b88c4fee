/* keys: the key tables. Names are systemd's (load-fragment-gperf.gperf.in
 * and install.c), so that every key a real unit file may hold is known:
 * svd warns "unsupported" for those it does not implement yet and
 * "unknown" only for keys that systemd would not know either. */
#include "keys.h"
#include "unit_keys.h"

#include <stddef.h>
#include <string.h>

static const struct key_def unit_keys[] = {
	/* implemented */
	{ "Description", key_description },
	{ "Documentation", key_documentation },
	{ "StartLimitBurst", key_start_limit_burst },
	{ "StartLimitIntervalSec", key_start_limit_interval },
	{ "StartLimitInterval", key_start_limit_interval },
	{ "SuccessAction", key_success_action },
	{ "FailureAction", key_failure_action },
	{ "SuccessActionExitStatus", key_success_action_exit_status },
	{ "FailureActionExitStatus", key_failure_action_exit_status },
	{ "OnFailure", key_on_failure }, { "OnSuccess", key_on_success },
	{ "Requires", key_requires }, { "Requisite", key_requisite },
	{ "Wants", key_wants }, { "BindsTo", key_binds_to },
	{ "BindTo", key_binds_to }, { "PartOf", key_part_of },
	{ "Conflicts", key_conflicts }, { "After", key_after },
	{ "Before", key_before },
	{ "RequiresMountsFor", key_requires_mounts_for },
	/* known, not implemented */
	{ "SourcePath", NULL }, { "Upholds", NULL },
	{ "PropagatesReloadTo", NULL }, { "PropagateReloadTo", NULL },
	{ "ReloadPropagatedFrom", NULL }, { "PropagateReloadFrom", NULL },
	{ "PropagatesStopTo", NULL }, { "StopPropagatedFrom", NULL },
	{ "JoinsNamespaceOf", NULL },
	{ "RequiresOverridable", NULL }, { "RequisiteOverridable", NULL },
	{ "WantsMountsFor", NULL },
	{ "StopWhenUnneeded", NULL }, { "RefuseManualStart", NULL },
	{ "RefuseManualStop", NULL }, { "AllowIsolate", NULL },
	{ "DefaultDependencies", NULL }, { "SurviveFinalKillSignal", NULL },
	{ "OnSuccessJobMode", NULL }, { "OnFailureJobMode", NULL },
	{ "OnFailureIsolate", NULL }, { "IgnoreOnIsolate", NULL },
	{ "IgnoreOnSnapshot", NULL }, { "JobTimeoutSec", NULL },
	{ "JobRunningTimeoutSec", NULL }, { "JobTimeoutAction", NULL },
	{ "JobTimeoutRebootArgument", NULL }, { "StartLimitAction", NULL },
	{ "RebootArgument", NULL },
	{ "CollectMode", NULL },
};

/* Condition* and Assert* take the same suffixes. */
static const char *const condition_suffixes[] = {
	"PathExists", "PathExistsGlob",
	"PathIsDirectory", "PathIsSymbolicLink",
	"PathIsMountPoint", "PathIsReadWrite",
	"PathIsEncrypted", "DirectoryNotEmpty",
	"FileNotEmpty", "FileIsExecutable",
	"NeedsUpdate", "FirstBoot",
	"Architecture", "Firmware",
	"Virtualization", "Host",
	"KernelCommandLine", "KernelVersion",
	"Version", "Credential", "Security",
	"Capability", "ACPower", "Memory",
	"CPUFeature", "CPUs", "Environment",
	"User", "Group",
	"ControlGroupController", "OSRelease",
	"MemoryPressure", "CPUPressure",
	"IOPressure", "KernelModuleLoaded",
};

static const struct key_def service_keys[] = {
	/* implemented */
	{ "Type", key_type },
	{ "ExecStart", key_exec_start },
	{ "Restart", key_restart },
	{ "RestartSec", key_restart_sec },
	{ "RestartSteps", key_restart_steps },
	{ "RestartMaxDelaySec", key_restart_max_delay },
	{ "TimeoutStopSec", key_timeout_stop },
	{ "TimeoutStartSec", key_timeout_start },
	{ "TimeoutSec", key_timeout },
	{ "KillSignal", key_kill_signal },
	{ "KillMode", key_kill_mode },
	{ "SendSIGKILL", key_send_sigkill },
	{ "SuccessExitStatus", key_success_exit_status },
	{ "RestartPreventExitStatus", key_restart_prevent_exit_status },
	{ "RemainAfterExit", key_remain_after_exit },
	{ "Environment", key_environment },
	{ "WorkingDirectory", key_working_directory },
	{ "StartLimitBurst", key_start_limit_burst },
	{ "StartLimitIntervalSec", key_start_limit_interval },
	{ "StartLimitInterval", key_start_limit_interval },
	{ "ExecStop", key_exec_control },
	{ "ExecStartPre", key_exec_control },
	{ "ExecStartPost", key_exec_control },
	{ "ExecCondition", key_exec_control },
	{ "ExecReload", key_exec_control },
	{ "ExecStopPost", key_exec_control },
	{ "PIDFile", key_pid_file },
	{ "BusName", key_note_bus_name },
	{ "NotifyAccess", key_notify_access },
	{ "WatchdogSec", key_watchdog },
	/* known, not implemented: the service itself */
	{ "TimeoutAbortSec", NULL }, { "TimeoutStartFailureMode", NULL },
	{ "TimeoutStopFailureMode", NULL }, { "RuntimeMaxSec", NULL },
	{ "RuntimeRandomizedExtraSec", NULL },
	/* [Service]'s older place for it (systemd < 236) */
	{ "FailureAction", key_failure_action },
	{ "StartLimitAction", NULL },
	{ "RebootArgument", NULL }, { "ExitType", NULL },
	{ "RestartMode", NULL }, { "PermissionsStartOnly", NULL },
	{ "RootDirectoryStartOnly", NULL }, { "GuessMainPID", NULL },
	{ "RestartForceExitStatus", NULL }, { "SysVStartPriority", NULL },
	{ "NonBlocking", NULL }, { "FileDescriptorStoreMax", NULL },
	{ "FileDescriptorStorePreserve", NULL },
	{ "Sockets", key_sockets }, { "BusPolicy", NULL },
	{ "USBFunctionDescriptors", NULL }, { "USBFunctionStrings", NULL },
	{ "OOMPolicy", key_oom_policy }, { "OpenFile", NULL }, { "ReloadSignal", NULL },
};

/* systemd.exec(5), systemd.kill(5), systemd.resource-control(5): what
 * [Service] and [Socket] share (a socket's are for its Exec*= commands). */
static const struct key_def exec_keys[] = {
	{ "RootDirectory", key_root_directory }, { "RootImage", NULL },
	{ "RootImageOptions", NULL }, { "RootImagePolicy", NULL },
	{ "RootHash", NULL }, { "RootHashSignature", NULL },
	{ "RootVerity", NULL }, { "RootEphemeral", NULL },
	{ "ExtensionDirectories", NULL }, { "ExtensionImages", NULL },
	{ "ExtensionImagePolicy", NULL }, { "MountImages", NULL },
	{ "MountImagePolicy", NULL }, { "User", key_user }, { "Group", key_group },
	{ "SupplementaryGroups", key_supplementary_groups }, { "SetLoginEnvironment", NULL },
	{ "Nice", key_nice }, { "OOMScoreAdjust", NULL },
	{ "CoredumpFilter", NULL }, { "IOSchedulingClass", NULL },
	{ "IOSchedulingPriority", NULL }, { "CPUSchedulingPolicy", NULL },
	{ "CPUSchedulingPriority", NULL },
	{ "CPUSchedulingResetOnFork", NULL }, { "CPUAffinity", NULL },
	{ "NUMAPolicy", NULL }, { "NUMAMask", NULL }, { "UMask", key_umask },
	{ "EnvironmentFile", key_environment_file }, { "PassEnvironment", key_pass_environment },
	{ "UnsetEnvironment", key_unset_environment },
	{ "DynamicUser", key_dynamic_user }, { "RemoveIPC", key_remove_ipc }, { "StandardInput", key_standard_input },
	{ "StandardOutput", key_standard_output }, { "StandardError", key_standard_error },
	{ "StandardInputText", NULL }, { "StandardInputData", NULL },
	{ "TTYPath", key_tty_path }, { "TTYReset", key_exec_bool },
	{ "TTYVHangup", key_exec_bool }, { "TTYVTDisallocate", key_exec_bool },
	{ "TTYRows", key_tty_size }, { "TTYColumns", key_tty_size }, { "SyslogIdentifier", key_syslog_identifier },
	{ "SyslogFacility", NULL }, { "SyslogLevel", NULL },
	{ "SyslogLevelPrefix", NULL }, { "LogLevelMax", NULL },
	{ "LogRateLimitIntervalSec", NULL }, { "LogRateLimitBurst", NULL },
	{ "LogExtraFields", NULL }, { "LogFilterPatterns", NULL },
	{ "Capabilities", NULL }, { "SecureBits", key_secure_bits },
	{ "CapabilityBoundingSet", key_capability_bounding_set },
	{ "AmbientCapabilities", key_ambient_capabilities },
	{ "TimerSlackNSec", NULL },
	{ "NoNewPrivileges", key_no_new_privileges },
	{ "KeyringMode", key_keyring_mode }, { "ProtectProc", key_protect_proc },
	{ "ProcSubset", key_proc_subset }, { "PrivateBPF", NULL },
	{ "BPFDelegateCommands", NULL }, { "BPFDelegateMaps", NULL },
	{ "BPFDelegatePrograms", NULL }, { "BPFDelegateAttachments", NULL },
	{ "SystemCallFilter", key_system_call_filter },
	{ "SystemCallArchitectures", key_system_call_architectures },
	{ "SystemCallErrorNumber", key_system_call_error_number },
	{ "SystemCallLog", key_system_call_filter },
	{ "MemoryDenyWriteExecute", key_syscall_bool },
	{ "RestrictNamespaces", key_restrict_namespaces },
	{ "RestrictRealtime", key_syscall_bool },
	{ "RestrictSUIDSGID", key_syscall_bool },
	{ "RestrictAddressFamilies", key_restrict_address_families },
	{ "LockPersonality", key_syscall_bool },
	{ "DelegateNamespaces", NULL }, { "RestrictFileSystems", NULL },
	{ "LandlockConfig", NULL }, { "LimitCPU", key_limit },
	{ "LimitFSIZE", key_limit }, { "LimitDATA", key_limit }, { "LimitSTACK", key_limit },
	{ "LimitCORE", key_limit }, { "LimitRSS", key_limit }, { "LimitNOFILE", key_limit },
	{ "LimitAS", key_limit }, { "LimitNPROC", key_limit }, { "LimitMEMLOCK", key_limit },
	{ "LimitLOCKS", key_limit }, { "LimitSIGPENDING", key_limit },
	{ "LimitMSGQUEUE", key_limit }, { "LimitNICE", key_limit },
	{ "LimitRTPRIO", key_limit }, { "LimitRTTIME", key_limit },
	/* sandbox_fs.c */
	{ "ReadWriteDirectories", key_sandbox_paths },
	{ "ReadOnlyDirectories", key_sandbox_paths },
	{ "InaccessibleDirectories", key_sandbox_paths },
	{ "ReadWritePaths", key_sandbox_paths },
	{ "ReadOnlyPaths", key_sandbox_paths },
	{ "InaccessiblePaths", key_sandbox_paths },
	{ "ExecPaths", key_sandbox_paths }, { "NoExecPaths", key_sandbox_paths },
	{ "ExecSearchPath", NULL }, { "BindPaths", key_bind_paths },
	{ "BindReadOnlyPaths", key_bind_paths },
	{ "TemporaryFileSystem", key_temporary_file_system },
	{ "PrivateTmp", key_private_tmp }, { "PrivateDevices", key_sandbox_bool },
	{ "ProtectKernelTunables", key_sandbox_bool },
	{ "ProtectKernelModules", key_sandbox_bool },
	{ "ProtectKernelLogs", key_sandbox_bool },
	{ "ProtectClock", key_sandbox_bool },
	{ "ProtectControlGroups", key_sandbox_bool }, { "NetworkNamespacePath", NULL },
	{ "IPCNamespacePath", NULL }, { "LogNamespace", NULL },
	{ "PrivateNetwork", key_sandbox_bool }, { "PrivateUsers", key_sandbox_bool },
	{ "PrivateMounts", NULL }, { "PrivateIPC", key_sandbox_bool },
	{ "PrivatePIDs", NULL }, { "ProtectSystem", key_protect_system },
	{ "ProtectHome", key_protect_home }, { "MountFlags", NULL },
	{ "MountAPIVFS", NULL }, { "BindLogSockets", NULL },
	{ "Personality", NULL }, { "RuntimeDirectoryPreserve", key_runtime_directory_preserve },
	{ "RuntimeDirectoryMode", key_directory_mode }, { "RuntimeDirectory", key_directory },
	{ "StateDirectoryMode", key_directory_mode }, { "StateDirectoryAccounting", NULL },
	{ "StateDirectoryQuota", NULL }, { "StateDirectory", key_directory },
	{ "CacheDirectoryMode", key_directory_mode }, { "CacheDirectoryAccounting", NULL },
	{ "CacheDirectoryQuota", NULL }, { "CacheDirectory", key_directory },
	{ "LogsDirectoryMode", key_directory_mode }, { "LogsDirectoryAccounting", NULL },
	{ "LogsDirectoryQuota", NULL }, { "LogsDirectory", key_directory },
	{ "ConfigurationDirectoryMode", key_directory_mode },
	{ "ConfigurationDirectory", key_directory }, { "SetCredential", NULL },
	{ "SetCredentialEncrypted", NULL }, { "LoadCredential", NULL },
	{ "LoadCredentialEncrypted", NULL }, { "ImportCredential", NULL },
	{ "TimeoutCleanSec", NULL }, { "PAMName", NULL },
	{ "IgnoreSIGPIPE", key_ignore_sigpipe }, { "UtmpIdentifier", key_utmp_identifier },
	{ "UtmpMode", key_utmp_mode }, { "SELinuxContext", NULL },
	{ "AppArmorProfile", NULL }, { "SmackProcessLabel", NULL },
	{ "ProtectHostname", key_sandbox_bool }, { "MemoryKSM", NULL },
	/* systemd.kill(5) */
	{ "SendSIGHUP", key_exec_bool }, { "RestartKillSignal", NULL },
	{ "FinalKillSignal", NULL }, { "WatchdogSignal", key_watchdog_signal },
	/* systemd.resource-control(5) */
	{ "Slice", key_slice }, { "AllowedCPUs", key_allowed_cpus },
	{ "StartupAllowedCPUs", NULL }, { "AllowedMemoryNodes", NULL },
	{ "StartupAllowedMemoryNodes", NULL }, { "CPUAccounting", NULL },
	{ "CPUWeight", key_weight }, { "StartupCPUWeight", NULL },
	{ "CPUShares", key_weight }, { "StartupCPUShares", NULL },
	{ "CPUQuota", key_cpu_quota }, { "CPUQuotaPeriodSec", NULL },
	{ "MemoryAccounting", NULL }, { "MemoryMin", NULL },
	{ "DefaultMemoryMin", NULL }, { "DefaultMemoryLow", NULL },
	{ "DefaultStartupMemoryLow", NULL }, { "MemoryLow", key_memory },
	{ "StartupMemoryLow", NULL }, { "MemoryHigh", key_memory },
	{ "StartupMemoryHigh", NULL }, { "MemoryMax", key_memory },
	{ "StartupMemoryMax", NULL }, { "MemorySwapMax", key_memory },
	{ "StartupMemorySwapMax", NULL }, { "MemoryZSwapMax", NULL },
	{ "StartupMemoryZSwapMax", NULL }, { "MemoryZSwapWriteback", NULL },
	{ "MemoryLimit", key_memory }, { "DeviceAllow", NULL },
	{ "DevicePolicy", NULL }, { "IOAccounting", NULL },
	{ "IOWeight", key_weight }, { "StartupIOWeight", NULL },
	{ "IODeviceWeight", NULL }, { "IOReadBandwidthMax", NULL },
	{ "IOWriteBandwidthMax", NULL }, { "IOReadIOPSMax", NULL },
	{ "IOWriteIOPSMax", NULL }, { "IODeviceLatencyTargetSec", NULL },
	{ "BlockIOAccounting", NULL }, { "BlockIOWeight", NULL },
	{ "StartupBlockIOWeight", NULL }, { "BlockIODeviceWeight", NULL },
	{ "BlockIOReadBandwidth", NULL }, { "BlockIOWriteBandwidth", NULL },
	{ "TasksAccounting", NULL }, { "TasksMax", key_tasks_max },
	{ "Delegate", NULL }, { "DelegateSubgroup", NULL },
	{ "DisableControllers", NULL }, { "IPAccounting", NULL },
	{ "IPAddressAllow", NULL }, { "IPAddressDeny", NULL },
	{ "IPIngressFilterPath", NULL }, { "IPEgressFilterPath", NULL },
	{ "ManagedOOMSwap", NULL }, { "ManagedOOMMemoryPressure", NULL },
	{ "ManagedOOMMemoryPressureLimit", NULL },
	{ "ManagedOOMMemoryPressureDurationSec", NULL },
	{ "ManagedOOMPreference", NULL }, { "NetClass", NULL },
	{ "BPFProgram", NULL }, { "SocketBindAllow", NULL },
	{ "SocketBindDeny", NULL }, { "RestrictNetworkInterfaces", NULL },
	{ "MemoryPressureThresholdSec", NULL },
	{ "MemoryPressureWatch", NULL }, { "NFTSet", NULL },
	{ "CoredumpReceive", NULL },
};

static const struct key_def socket_keys[] = {
	/* implemented */
	{ "ListenStream", key_listen },
	{ "ListenDatagram", key_listen },
	{ "ListenSequentialPacket", key_listen },
	{ "ListenFIFO", key_listen },
	{ "Service", key_socket_service },
	{ "Accept", key_accept },
	{ "MaxConnections", key_max_connections },
	{ "Backlog", key_backlog },
	{ "SocketUser", key_socket_user },
	{ "SocketGroup", key_socket_group },
	{ "SocketMode", key_socket_mode },
	{ "DirectoryMode", key_socket_directory_mode },
	{ "FileDescriptorName", key_fd_name },
	{ "ReusePort", key_socket_bool },
	{ "FreeBind", key_socket_bool },
	{ "Transparent", key_socket_bool },
	{ "Broadcast", key_socket_bool },
	{ "PassCredentials", key_socket_bool },
	{ "PassSecurity", key_socket_bool },
	{ "KeepAlive", key_socket_bool },
	{ "NoDelay", key_socket_bool },
	{ "RemoveOnStop", key_socket_bool },
	{ "ReceiveBuffer", key_socket_buffer },
	{ "SendBuffer", key_socket_buffer },
	{ "BindIPv6Only", key_bind_ipv6_only },
	{ "Symlinks", key_symlinks },
	{ "TriggerLimitIntervalSec", key_trigger_limit_interval },
	{ "TriggerLimitBurst", key_trigger_limit_burst },
	{ "ExecStartPre", key_exec_control },
	{ "ExecStartPost", key_exec_control },
	{ "ExecStopPre", key_exec_control },
	{ "ExecStopPost", key_exec_control },
	{ "TimeoutSec", key_timeout },
	/* known, not implemented */
	{ "ListenSpecial", NULL }, { "ListenNetlink", NULL },
	{ "ListenMessageQueue", NULL }, { "ListenUSBFunction", NULL },
	{ "SocketProtocol", NULL }, { "BindToDevice", NULL },
	{ "MaxConnectionsPerSource", NULL }, { "KeepAliveTimeSec", NULL },
	{ "KeepAliveIntervalSec", NULL }, { "KeepAliveProbes", NULL },
	{ "Priority", NULL }, { "DeferAcceptSec", NULL }, { "IPTOS", NULL },
	{ "IPTTL", NULL }, { "Mark", NULL }, { "SmackLabel", NULL },
	{ "SmackLabelIPIn", NULL }, { "SmackLabelIPOut", NULL },
	{ "SELinuxContextFromNet", NULL }, { "PipeSize", NULL },
	{ "MessageQueueMaxMessages", NULL }, { "MessageQueueMessageSize", NULL },
	{ "Writable", NULL }, { "FlushPending", NULL },
	{ "PassPacketInfo", NULL }, { "PassFileDescriptorsToExec", NULL },
	{ "Timestamping", NULL }, { "TCPCongestion", NULL },
	{ "PollLimitIntervalSec", NULL }, { "PollLimitBurst", NULL },
	{ "DeferTrigger", NULL }, { "DeferTriggerMaxSec", NULL },
	{ "PassPIDFD", NULL },
};

static const struct key_def install_keys[] = {
	{ "WantedBy", key_wanted_by },
	{ "RequiredBy", key_required_by },
	{ "Alias", key_alias },
	{ "Also", key_also },
	{ "DefaultInstance", key_default_instance },
	{ "UpheldBy", NULL },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

enum key_section keys_section(const char *name)
{
	if (strcmp(name, "Unit") == 0)
		return KEY_SECTION_UNIT;
	if (strcmp(name, "Service") == 0)
		return KEY_SECTION_SERVICE;
	if (strcmp(name, "Socket") == 0)
		return KEY_SECTION_SOCKET;
	if (strcmp(name, "Install") == 0)
		return KEY_SECTION_INSTALL;
	if (strncmp(name, "X-", 2) == 0)
		return KEY_SECTION_EXTENSION;
	return KEY_SECTION_UNKNOWN;
}

static const struct key_def *find_in(const struct key_def *table, size_t n,
				     const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].name, key) == 0)
			return &table[i];
	return NULL;
}

/* "ConditionPathExists", "AssertHost", ...: key_condition() takes them
 * all and says which it does not evaluate. */
static const struct key_def *find_condition(const char *key)
{
	static const struct key_def condition = { "Condition*", key_condition };
	const char *suffix = NULL;

	if (strncmp(key, "Condition", 9) == 0)
		suffix = key + 9;
	else if (strncmp(key, "Assert", 6) == 0)
		suffix = key + 6;
	for (size_t i = 0; suffix && i < N_OF(condition_suffixes); i++)
		if (strcmp(suffix, condition_suffixes[i]) == 0)
			return &condition;
	return NULL;
}

const struct key_def *keys_find(enum key_section section, const char *key)
{
	switch (section) {
	case KEY_SECTION_UNIT: {
		const struct key_def *def = find_in(unit_keys, N_OF(unit_keys),
						    key);

		return def ? def : find_condition(key);
	}
	case KEY_SECTION_SERVICE: {
		const struct key_def *def = find_in(service_keys,
						    N_OF(service_keys), key);

		return def ? def : find_in(exec_keys, N_OF(exec_keys), key);
	}
	case KEY_SECTION_SOCKET: {
		const struct key_def *def = find_in(socket_keys,
						    N_OF(socket_keys), key);

		return def ? def : find_in(exec_keys, N_OF(exec_keys), key);
	}
	case KEY_SECTION_INSTALL:
		return find_in(install_keys, N_OF(install_keys), key);
	default:
		return NULL;
	}
}
