#!/usr/bin/env bash
# The file-system and namespace hardening keys (ProtectSystem=,
# PrivateTmp=, ... see docs/units.md): for each, a service tries what the
# key forbids and logs what it got, and one does the allowed thing; a
# missing path with and without "-"; '+' commands run unconfined;
# SandboxFallback= where svd cannot have namespaces; random combinations
# of the keys leave svd running and nothing behind.
#
# The whole file runs in mount, UTS and IPC namespaces of its own, with
# fresh tmpfs on /tmp and /var/tmp: what svd and its services mount, the
# host name they set, the private /tmp directories svd makes, all stay
# there, even where a key failed to confine a service.
if [ -z "${SVD_SANDBOX_TEST_NS:-}" ]; then
	if [ "$(id -u)" != 0 ] ||
	   ! unshare --mount --uts --ipc --propagation private true 2>/dev/null; then
		echo "skip: needs root and mount, UTS and IPC namespaces"
		exit 77
	fi
	export SVD_SANDBOX_TEST_NS=1
	# A checkout, a build or the shared units under /tmp (a CI clone)
	# would be hidden by the fresh tmpfs: each is opened first and bound
	# back on its path through its fd.
	exec unshare --mount --uts --ipc --propagation private -- bash -c '
		script=$1
		shift
		keep=()
		for p in "$@"; do
			case $p in /tmp/*|/var/tmp/*) ;; *) continue ;; esac
			exec {fd}<"$p" || exit 1
			keep+=("$fd:$p")
		done
		mount -t tmpfs svd-test-tmp /tmp && mount -t tmpfs svd-test-tmp /var/tmp || exit 1
		for k in "${keep[@]}"; do
			mkdir -p "${k#*:}" &&
			mount --no-canonicalize --bind "/proc/self/fd/${k%%:*}" "${k#*:}" || exit 1
			eval "exec ${k%%:*}<&-"
		done
		exec bash "$script"' bash "$0" \
		"$(cd "$(dirname "$0")/../.." && pwd)" \
		"$(cd "$(dirname "${SVD:-.}")/.." && pwd)" \
		"${SHARED_UNITS:+$(cd "$SHARED_UNITS" 2>/dev/null && pwd)}"
fi
. "$(dirname "$0")/lib.sh"

NOBODY=$(id -u nobody 2>/dev/null || echo)

need_nobody() {
	if [ -z "$NOBODY" ]; then
		echo "skip: needs the nobody account"
		exit 77
	fi
}

# svd's runtime root in the test's directory: the node svd binds over
# inaccessible files goes there, not in the host's /run.
conf() {
	cat >"$T/svd.conf" <<-EOF
	[Directories]
	Runtime=$T/run
	$*
	EOF
}

# svc NAME SETTINGS COMMAND: a oneshot that stays active and logs what
# COMMAND (a shell line) prints; it succeeds whatever COMMAND's status.
svc() {
	unit "$1.service" <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	$2
	ExecStart=/bin/sh -c '$3; true'
	EOF
}

# out NAME: what it printed.
out() {
	sed -n 's/^[^ ]* stdout: //p' "$T/log/$1.log"
}

# has NAME TEXT: its output has a line with TEXT.
has() {
	out "$1" | grep -qF -- "$2" || fail "$1: no line with '$2' in: $(out "$1" | tr '\n' '|')"
}

hasnt() {
	! out "$1" | grep -qF -- "$2" || fail "$1: a line with '$2' in: $(out "$1" | tr '\n' '|')"
}

# start_all UNIT...: svd up, each unit exited (active) in time.
start_all() {
	chmod 755 "$T"
	svd_start
	local u
	for u in "$@"; do
		wait_state "$u" exited
	done
}

test_protect_system_strict() {
	conf
	mkdir "$T/rw"
	svc strict "ProtectSystem=strict
ReadWritePaths=$T/rw" "touch /usr/svd-test 2>&1; touch /etc/svd-test 2>&1; touch $T/rw/ok && echo rw=ok; touch /dev/null && echo dev=ok"
	svc open "" "touch $T/rw/open && echo open=ok"
	start_all strict open
	has strict "/usr/svd-test': Read-only file system"
	has strict "/etc/svd-test': Read-only file system"
	has strict rw=ok
	has strict dev=ok
	has open open=ok
	[ -e "$T/rw/ok" ] || fail "ReadWritePaths= write did not reach the host's file system"
}

test_protect_system_yes_and_full() {
	conf
	svc yes "ProtectSystem=yes" "touch /usr/svd-test 2>&1; grep -c . /proc/self/mountinfo >/dev/null && echo ran"
	svc full "ProtectSystem=full" "touch /etc/svd-test 2>&1; touch /usr/svd-test 2>&1"
	start_all yes full
	has yes "/usr/svd-test': Read-only file system"
	has full "/etc/svd-test': Read-only file system"
	has full "/usr/svd-test': Read-only file system"
}

test_protect_home() {
	need_nobody
	conf
	svc hidden "ProtectHome=yes
User=nobody" "ls /root 2>&1; echo done"
	svc rootsees "ProtectHome=yes" "echo entries=\$(ls -A /root | wc -l)"
	svc readonly "ProtectHome=read-only" "touch /root/svd-test 2>&1"
	svc tmpfs "ProtectHome=tmpfs" "echo entries=\$(ls -A /root | wc -l); touch /root/svd-test 2>&1"
	start_all hidden rootsees readonly tmpfs
	has hidden "Permission denied"
	has rootsees "entries=0"
	has readonly "/root/svd-test': Read-only file system"
	has tmpfs "entries=0"
	has tmpfs "/root/svd-test': Read-only file system"
}

test_private_tmp() {
	conf
	echo host >/tmp/host-file
	svc priv "PrivateTmp=yes" "echo tmp=\$(ls -A /tmp | tr \"\\n\" \" \") vartmp=\$(ls -A /var/tmp | wc -l); echo mine >/tmp/svc-file && echo wrote"
	start_all priv
	# Empty but for the way to svd's notify socket, which this test's svd
	# keeps beside its control socket in $T under /tmp (svd binds it back).
	has priv "tmp=${T#/tmp/} vartmp=0"
	has priv wrote
	[ ! -e /tmp/svc-file ] || fail "the service's /tmp file is in the host's /tmp"
	ls -d /tmp/svd-private-priv.service-* >/dev/null 2>&1 ||
		fail "no private /tmp directory while it is up"
	ls /tmp/svd-private-priv.service-*/tmp/svc-file >/dev/null ||
		fail "the service's file is not in its private directory"
	svctl stop priv
	wait_state priv inactive
	! ls -d /tmp/svd-private-* /var/tmp/svd-private-* 2>/dev/null ||
		fail "private /tmp directories left after stop"
}

test_private_devices() {
	conf
	svc dev "PrivateDevices=yes" "echo nodes=\$(ls /dev | tr \"\\n\" \" \"); ls /dev/sda /dev/kmsg 2>&1; echo x >/dev/null && echo null=ok; touch /dev/new 2>&1"
	start_all dev
	has dev "nodes=fd full null ptmx pts random shm stderr stdin stdout tty urandom zero"
	has dev "null=ok"
	has dev "/dev/kmsg': No such file or directory"
	has dev "/dev/new': Read-only file system"
}

test_kernel_tunables_and_cgroups() {
	conf
	# Writing back the value that is there: harmless even unconfined.
	svc tun "ProtectKernelTunables=yes
ProtectControlGroups=yes" "v=\$(cat /proc/sys/vm/swappiness); echo \$v >/proc/sys/vm/swappiness 2>&1 || echo sys=refused; cut -d\" \" -f5,6 /proc/self/mountinfo | grep -E \"^/sys(/fs/cgroup)? \""
	start_all tun
	has tun "Read-only file system"
	has tun "sys=refused"
	has tun "/sys ro"
	has tun "/sys/fs/cgroup ro"
}

test_kernel_modules_and_logs() {
	conf
	svc kern "ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectClock=yes" "grep CapBnd /proc/self/status; cat /proc/kmsg 2>&1 </dev/null | head -c 0; echo kmsg=\$?; [ ! -d /lib/modules ] || ls /lib/modules | wc -l"
	start_all kern
	local bnd want
	bnd=$(out kern | sed -n 's/^CapBnd:[[:space:]]*//p')
	# CAP_SYS_MODULE 16, CAP_SYS_TIME 25, CAP_SYSLOG 34, CAP_WAKE_ALARM 35
	want=$(( (1 << 16) | (1 << 25) | (1 << 34) | (1 << 35) ))
	[ $((0x$bnd & want)) = 0 ] || fail "bounding set $bnd still has the capabilities the keys drop"
}

test_inaccessible_read_only_paths() {
	need_nobody
	conf
	mkdir -p "$T/secret" "$T/ro"
	echo s >"$T/secret/file"
	echo s >"$T/secretfile"
	chmod 644 "$T/secret/file" "$T/secretfile"
	svc hide "InaccessiblePaths=$T/secret $T/secretfile
User=nobody" "cat $T/secret/file 2>&1; cat $T/secretfile 2>&1"
	svc ro "ReadOnlyPaths=$T/ro" "touch $T/ro/x 2>&1"
	svc see "User=nobody" "cat $T/secret/file $T/secretfile"
	start_all hide ro see
	has hide "$T/secret/file: Permission denied"
	has hide "$T/secretfile: Permission denied"
	has ro "$T/ro/x': Read-only file system"
	[ "$(out see | grep -c '^s$')" = 2 ] || fail "unconfined: $(out see)"
}

test_exec_paths() {
	conf
	mkdir "$T/bin"
	printf '#!/bin/sh\necho hello\n' >"$T/bin/hello"
	chmod 755 "$T/bin/hello"
	svc noexec "NoExecPaths=$T/bin" "$T/bin/hello 2>&1"
	svc back "NoExecPaths=$T
ExecPaths=$T/bin" "$T/bin/hello 2>&1"
	svc plain "" "$T/bin/hello 2>&1"
	start_all noexec back plain
	has noexec "Permission denied"
	has back hello
	has plain hello
}

test_bind_paths() {
	conf
	mkdir "$T/src" "$T/dst" "$T/dst2"
	echo there >"$T/src/file"
	svc bind "BindPaths=$T/src:$T/dst
BindReadOnlyPaths=$T/src:$T/dst2" "cat $T/dst/file; touch $T/dst/new && echo rw=ok; touch $T/dst2/x 2>&1"
	# Under PrivateTmp= too: the source is the host's, the destination
	# is made again in the private /tmp.
	svc bindtmp "PrivateTmp=yes
BindReadOnlyPaths=$T/src:$T/dst" "cat $T/dst/file"
	start_all bind bindtmp
	has bindtmp there
	has bind there
	has bind rw=ok
	has bind "$T/dst2/x': Read-only file system"
	[ -e "$T/src/new" ] || fail "BindPaths= write did not reach its source"
	[ -z "$(ls -A "$T/dst")" ] || fail "the bind mount shows in svd's namespace"
}

test_temporary_file_system() {
	conf
	mkdir "$T/tfs" "$T/tro"
	echo old >"$T/tfs/file"
	svc tfs "TemporaryFileSystem=$T/tfs $T/tro:ro" "echo n=\$(ls -A $T/tfs | wc -l); touch $T/tfs/new && echo rw=ok; touch $T/tro/x 2>&1"
	start_all tfs
	has tfs n=0
	has tfs rw=ok
	has tfs "$T/tro/x': Read-only file system"
	[ ! -e "$T/tfs/new" ] || fail "TemporaryFileSystem= write reached the host"
}

test_private_network_ipc_hostname() {
	conf
	local before
	before=$(hostname)
	# ProtectHostname= denies sethostname(2) too, as in systemd: the
	# UTS namespace is seen through uname(2) here.
	svc ns "PrivateNetwork=yes
PrivateIPC=yes
ProtectHostname=yes" "echo ifs=\$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d \" \" | tr \"\\n\" ,); hostname svd-sandboxed 2>&1; echo name=\$(hostname); ipcmk -Q >/dev/null 2>&1; echo queues=\$(ipcs -q | grep -c 0x)"
	# Without the filter a name set stays in the service's namespace.
	svc uts "PrivateNetwork=yes" "unshare --uts sh -c \"hostname svd-sandboxed && echo name=\\\$(hostname)\""
	# All the processes of a unit share these namespaces, as in systemd:
	# the queue made by ExecStartPre= is the main command's.
	unit shared.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	PrivateIPC=yes
	PrivateNetwork=yes
	ExecStartPre=/usr/bin/ipcmk -Q
	ExecStart=/bin/sh -c 'echo queues=\$(ipcs -q | grep -c 0x)'
	EOF
	if ! command -v ipcmk >/dev/null; then
		echo "skip: needs ipcmk (util-linux)"
		exit 77
	fi
	start_all ns uts shared
	has ns "ifs=lo,"
	has ns "hostname: "	# refused (EPERM: "you must be root")
	has ns "name=$before"
	has uts "name=svd-sandboxed"
	has shared "queues=1"
	expect_eq "host name after" "$before" "$(hostname)"
	has ns "queues=1"
	expect_eq "queues outside" 0 "$(ipcs -q | grep -c 0x || true)"
}

test_protect_proc() {
	need_nobody
	conf
	svc proc "ProtectProc=invisible
ProcSubset=pid
User=nobody" "ls -d /proc/1 2>&1; ls /proc/meminfo 2>&1; ls -d /proc/self >/dev/null && echo self=ok"
	start_all proc
	has proc "/proc/1': No such file or directory"
	has proc "/proc/meminfo': No such file or directory"
	has proc "self=ok"
}

test_private_users() {
	need_nobody
	conf
	svc users "PrivateUsers=yes
User=nobody" "echo uid=\$(id -u); cat /proc/self/uid_map"
	start_all users
	has users "uid=$NOBODY"
	has users "$NOBODY"
	[ "$(out users | grep -c '^ *[0-9]')" = 2 ] || fail "uid_map: $(out users)"
}

test_missing_paths() {
	conf
	svc optional "ReadOnlyPaths=-/nonexistent/svd-test
InaccessiblePaths=-/nonexistent/svd-test2" "echo ran"
	svc required "ReadOnlyPaths=/nonexistent/svd-test" "echo ran"
	chmod 755 "$T"
	svd_start
	wait_state optional exited
	wait_state required failed
	has optional ran
	svctl status required >"$T/status" || true
	grep -q "ReadOnlyPaths=/nonexistent/svd-test: ENOENT" "$T/status" ||
		fail "status does not name the path: $(cat "$T/status")"
}

test_plus_prefix_runs_unconfined() {
	conf
	mkdir "$T/ro"
	unit plus.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	ReadOnlyPaths=$T/ro
	ExecStartPre=+/bin/touch $T/ro/by-plus
	ExecStart=/bin/sh -c 'touch $T/ro/by-main 2>&1; true'
	EOF
	start_all plus
	[ -e "$T/ro/by-plus" ] || fail "the + command was confined"
	[ ! -e "$T/ro/by-main" ] || fail "the plain command was not confined"
}

# svd without CAP_SYS_ADMIN cannot have namespaces: the default fails
# the unit naming the key, SandboxFallback=warn runs it with a warning.
test_fallback() {
	if ! command -v setpriv >/dev/null; then
		echo "skip: needs setpriv"
		exit 77
	fi
	conf
	svc strict "ProtectSystem=strict" "echo ran"
	svc net "PrivateNetwork=yes" "echo ran"
	SVD_WRAPPER=(setpriv --bounding-set -sys_admin --)
	start_all
	wait_state strict failed
	wait_state net failed
	svctl status strict >"$T/status" || true
	grep -q "ProtectSystem=: .*no mount namespace" "$T/status" ||
		fail "status: $(cat "$T/status")"
	svd_stop || true
	conf "[Manager]
SandboxFallback=warn"
	svd_start
	wait_state strict exited
	wait_state net exited
	has strict ran
	grep -q "ProtectSystem=: .*SandboxFallback=warn" "$T/log/strict.log" "$T/svd.log" ||
		fail "no warning"
}

# Random combinations of the keys: svd keeps running, every unit ends
# up started or failed with a reason, nothing is left of them after the
# stop, and svd's namespace gains no mount.
test_random_combinations() {
	need_nobody
	conf
	mkdir -p "$T/a" "$T/b"
	local keys=(
		"ProtectSystem=strict" "ProtectSystem=full" "ProtectSystem=yes"
		"ProtectHome=yes" "ProtectHome=read-only" "ProtectHome=tmpfs"
		"PrivateTmp=yes" "PrivateTmp=disconnected" "PrivateDevices=yes"
		"ReadWritePaths=$T/a" "ReadOnlyPaths=$T/b" "InaccessiblePaths=$T/b"
		"InaccessiblePaths=-/nonexistent" "ReadOnlyPaths=/nonexistent"
		"ExecPaths=$T/a" "NoExecPaths=$T/b" "TemporaryFileSystem=$T/a"
		"BindPaths=$T/a:$T/b" "BindReadOnlyPaths=-/nonexistent:$T/a"
		"ProtectKernelTunables=yes" "ProtectKernelModules=yes"
		"ProtectKernelLogs=yes" "ProtectControlGroups=yes"
		"ProtectProc=invisible" "ProcSubset=pid" "ProtectHostname=yes"
		"ProtectClock=yes" "PrivateNetwork=yes" "PrivateIPC=yes"
		"PrivateUsers=yes" "User=nobody"
	)
	local mounts_before n=30 i k settings names=()
	mounts_before=$(wc -l </proc/self/mountinfo)
	RANDOM=${SANDBOX_SEED:-16}
	for ((i = 0; i < n; i++)); do
		settings=""
		for ((k = 0; k < 5; k++)); do
			settings+="${keys[RANDOM % ${#keys[@]}]}"$'\n'
		done
		svc "r$i" "$settings" "echo ran"
		names+=("r$i")
	done
	chmod 755 "$T"
	svd_start
	for name in "${names[@]}"; do
		wait_for "$WAIT_TIMEOUT" settled "$name" ||
			fail "$name never settled: $(svctl show "$name" | tr '\n' ' ')"
	done
	svd_alive || fail "svd died"
	for name in "${names[@]}"; do
		svctl stop "$name" >/dev/null 2>&1 || true
	done
	for name in "${names[@]}"; do
		wait_for "$WAIT_TIMEOUT" settled_down "$name" || fail "$name did not stop"
	done
	expect_eq "svd's children" 0 "$(children_of "$SVD_PID")"
	expect_eq "mounts in svd's namespace" "$mounts_before" "$(wc -l </proc/self/mountinfo)"
	! ls -d /tmp/svd-private-* 2>/dev/null || fail "private /tmp directories left"
	svd_alive || fail "svd died"
}

settled() {
	state_is "$1" exited || state_is "$1" failed
}

settled_down() {
	state_is "$1" inactive || state_is "$1" failed
}

children_of() {
	cat /proc/[0-9]*/status 2>/dev/null |
		awk -v p="$1" '/^PPid:/ { if ($2 == p) n++ } END { print n+0 }'
}

run_tests
