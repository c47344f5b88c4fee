#!/usr/bin/env bash
# System call filters: SystemCallFilter= (allow and deny lists, @groups,
# :ERRNO), SystemCallErrorNumber=, SystemCallArchitectures=,
# RestrictAddressFamilies=, RestrictNamespaces=, RestrictRealtime=,
# RestrictSUIDSGID=, LockPersonality=, MemoryDenyWriteExecute=. Each
# service runs the sysprobe helper, which tries one operation and logs
# "OP: ok", "OP: ENAME", or dies by SIGSYS; the tests read its log or its
# status. Every operation is harmless where it is allowed (see sysprobe.c).
. "$(dirname "$0")/lib.sh"

: "${SYSPROBE:?SYSPROBE must point at the sysprobe helper}"

need_seccomp() {
	if ! grep -q '^Seccomp:' /proc/self/status; then
		echo "skip: this kernel has no seccomp"
		exit 77
	fi
}

# probe NAME OP SETTINGS [ARG]: a oneshot service that tries OP.
probe() {
	unit "$1.service" <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	$3
	ExecStart=$SYSPROBE $2 ${4:-}
	EOF
}

# result NAME OP: what the probe logged ("ok", "EPERM", ...).
result() {
	sed -En "s/.* stdout: $2: //p" "$T/log/$1.log" 2>/dev/null | tail -n 1
}

# A probe that ended: exited (it logged) or failed (a signal).
settled() {
	state_is "$1" exited || state_is "$1" failed
}

wait_settled() {
	wait_for "$WAIT_TIMEOUT" settled "$1" ||
		fail "$1 never settled (show: $(svctl show "$1" 2>&1 | tr '\n' ' '))"
}

# expect_result NAME OP WANT
expect_result() {
	wait_settled "$1"
	expect_eq "$1: $2" "$3" "$(result "$1" "$2")"
}

# expect_sigsys NAME: the probe was killed by SIGSYS before logging.
expect_sigsys() {
	wait_settled "$1"
	state_is "$1" failed ||
		fail "$1: expected SIGSYS, got $(svctl show "$1" | tr '\n' ' ') log: $(cat "$T/log/$1.log" 2>/dev/null)"
	svctl status "$1" 2>&1 | grep -q "SIGSYS" ||
		fail "$1: status names no SIGSYS: $(svctl status "$1" 2>&1)"
}

test_mount_denied() {
	need_seccomp
	probe errno mount "SystemCallFilter=~@mount
SystemCallErrorNumber=EPERM"
	probe kill mount "SystemCallFilter=~@mount"
	probe free mount ""
	svd_start
	expect_result errno mount EPERM
	expect_sigsys kill
	expect_result free mount ENOENT
}

test_groups_and_errnos() {
	need_seccomp
	probe module init_module "SystemCallFilter=~@module
SystemCallErrorNumber=EPERM"
	probe kexec kexec "SystemCallFilter=~@reboot"
	probe reboot reboot "SystemCallFilter=~@reboot:EUCLEAN"
	probe iopl iopl "SystemCallFilter=~@raw-io:EPERM"
	probe ioperm ioperm "SystemCallFilter=~@raw-io
SystemCallErrorNumber=ENOTCONN"
	probe ptrace ptrace "SystemCallFilter=~@debug:EACCES
SystemCallErrorNumber=EPERM"
	probe ptracefree ptrace "SystemCallFilter=~@reboot"
	probe numeric ptrace "SystemCallFilter=~ptrace:13"
	svd_start
	expect_result module init_module EPERM
	expect_sigsys kexec
	expect_result reboot reboot EUCLEAN
	expect_result iopl iopl EPERM
	expect_result ioperm ioperm ENOTCONN
	expect_result ptrace ptrace EACCES
	expect_result ptracefree ptrace ESRCH
	expect_result numeric ptrace EACCES
}

test_allow_list() {
	need_seccomp
	probe service getpid "SystemCallFilter=@system-service"
	probe nomount mount "SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM"
	# a later deny list takes calls out of the allow list
	probe minus ptrace "SystemCallFilter=@system-service @debug
SystemCallFilter=~ptrace
SystemCallErrorNumber=EXDEV"
	# an empty assignment resets the filter
	probe reset mount "SystemCallFilter=@system-service
SystemCallFilter=
SystemCallErrorNumber=EPERM"
	svd_start
	expect_result service getpid ok
	expect_result nomount mount EPERM
	expect_result minus ptrace EXDEV
	expect_result reset mount ENOENT
}

# '+' runs the command without the filter, as in systemd.
test_plus_prefix_unfiltered() {
	need_seccomp
	unit plus.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	SystemCallFilter=~@mount
	SystemCallErrorNumber=EPERM
	ExecStart=+$SYSPROBE mount
	EOF
	svd_start
	expect_result plus mount ENOENT
}

test_memory_deny_write_execute() {
	need_seccomp
	probe wx mmap_wx "MemoryDenyWriteExecute=yes"
	probe mx mprotect_x "MemoryDenyWriteExecute=yes"
	probe wxfree mmap_wx "MemoryDenyWriteExecute=no"
	svd_start
	expect_result wx mmap_wx EPERM
	expect_result mx mprotect_x EPERM
	expect_result wxfree mmap_wx ok
}

test_address_families() {
	need_seccomp
	probe packet packet "RestrictAddressFamilies=AF_INET AF_UNIX"
	probe inet inet "RestrictAddressFamilies=AF_INET AF_UNIX"
	probe unix unix "RestrictAddressFamilies=AF_INET AF_UNIX"
	probe inet6 inet6 "RestrictAddressFamilies=AF_INET AF_UNIX"
	probe deny inet "RestrictAddressFamilies=~AF_INET"
	probe denyok unix "RestrictAddressFamilies=~AF_INET"
	probe none unix "RestrictAddressFamilies=none"
	probe merged inet6 "RestrictAddressFamilies=AF_INET AF_INET6
RestrictAddressFamilies=~AF_INET6"
	svd_start
	expect_result packet packet EAFNOSUPPORT
	expect_result inet inet ok
	expect_result unix unix ok
	expect_result inet6 inet6 EAFNOSUPPORT
	expect_result deny inet EAFNOSUPPORT
	expect_result denyok unix ok
	expect_result none unix EAFNOSUPPORT
	expect_result merged inet6 EAFNOSUPPORT
}

test_restrict_namespaces() {
	need_seccomp
	probe user unshare_user "RestrictNamespaces=yes"
	probe net unshare_net "RestrictNamespaces=~net"
	probe usernet unshare_user "RestrictNamespaces=~net"
	probe listed unshare_user "RestrictNamespaces=net"
	svd_start
	expect_result user unshare_user EPERM
	expect_result net unshare_net EPERM
	expect_result listed unshare_user EPERM
	# allowed: the kernel decides (ok, or EPERM/ENOSPC where user
	# namespaces are off); only a filter gives EPERM for ~net though
	wait_settled usernet
	[ -n "$(result usernet unshare_user)" ] || fail "usernet logged nothing"
}

test_realtime_suid_personality() {
	need_seccomp
	probe fifo sched_fifo "RestrictRealtime=yes"
	probe batch sched_batch "RestrictRealtime=yes"
	probe suid chmod_suid "RestrictSUIDSGID=yes" "$T"
	probe plain chmod_plain "RestrictSUIDSGID=yes" "$T"
	probe pers personality "LockPersonality=yes"
	probe persfree personality "LockPersonality=no"
	svd_start
	expect_result fifo sched_fifo EPERM
	expect_result batch sched_batch ok
	expect_result suid chmod_suid EPERM
	expect_result plain chmod_plain ok
	expect_result pers personality EPERM
	expect_result persfree personality ok
}

# DynamicUser= implies RestrictSUIDSGID=yes, as systemd's: the dynamic
# user's own file in /tmp cannot be made set-user-ID.
test_dynamic_user_implies_restrict_suid_sgid() {
	need_seccomp
	# It also implies PrivateTmp=yes: a probe built under /tmp (a CI
	# clone there) is bound back in.
	probe dyn chmod_suid "DynamicUser=yes
BindReadOnlyPaths=$(dirname "$SYSPROBE")" /tmp
	svd_start
	expect_result dyn chmod_suid EPERM
}

# A 32-bit call from a 64-bit program: only where the kernel runs them.
test_architectures_native() {
	need_seccomp
	if [ "$("$SYSPROBE" int80)" != "int80: ok" ]; then
		echo "skip: this kernel runs no 32-bit x86 system calls here ($("$SYSPROBE" int80 2>&1))"
		exit 77
	fi
	probe native int80 "SystemCallArchitectures=native"
	probe open int80 "SystemCallArchitectures=native x86"
	probe own getpid "SystemCallArchitectures=native"
	svd_start
	expect_sigsys native
	expect_result open int80 ok
	expect_result own getpid ok
}

# Redis's hardening lines, all at once, on a plain program.
test_debian_style_combination() {
	need_seccomp
	probe combo getpid "LockPersonality=true
MemoryDenyWriteExecute=true
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=true
RestrictRealtime=true
RestrictSUIDSGID=true
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~ @privileged @resources"
	probe combouser getpid "User=nobody
NoNewPrivileges=no
SystemCallFilter=@system-service
SystemCallFilter=~ @privileged @resources"
	svd_start
	expect_result combo getpid ok
	expect_result combouser getpid ok
}

test_bad_values() {
	need_seccomp
	unit bad.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	SystemCallFilter=~@nosuchgroup nosuchcall mount:ENOTANERRNO @debug:EACCES
	SystemCallErrorNumber=EBOGUS
	RestrictAddressFamilies=AF_INET AF_BOGUS
	RestrictNamespaces=net bogus
	SystemCallArchitectures=native vax
	ExecStart=$SYSPROBE ptrace
	EOF
	expect_code 0 "$SVCTL" verify "$T/units/bad.service"
	local want
	for want in ':4: .*SystemCallFilter=: unknown system call group "@nosuchgroup", ignored' \
		':4: .*SystemCallFilter=: unknown system call "nosuchcall", ignored' \
		':4: .*SystemCallFilter=: "mount:ENOTANERRNO": expected' \
		':5: .*SystemCallErrorNumber=EBOGUS: expected' \
		':6: .*RestrictAddressFamilies=: unknown address family "AF_BOGUS"' \
		':7: .*RestrictNamespaces=: unknown namespace type "bogus"' \
		':8: .*SystemCallArchitectures=: unknown architecture "vax"'; do
		grep -q "bad.service$want" "$T/err" ||
			fail "verify did not say '$want': $(cat "$T/err")"
	done
	svd_start
	# the rest of the line still counts
	expect_result bad ptrace EACCES
	svd_alive || fail "svd died"
}

# A kernel without seccomp filters: the unit fails, naming its keys,
# and svd runs the others.
test_no_seccomp_fails_the_unit() {
	need_seccomp
	: "${NOSECCOMP:?NOSECCOMP must point at the noseccomp helper}"
	probe filtered getpid "SystemCallFilter=~@mount
RestrictRealtime=yes"
	probe plain getpid ""
	SVD_WRAPPER=("$NOSECCOMP" absent)
	svd_start
	wait_state filtered failed
	svctl status filtered 2>&1 | grep -q "could not spawn: RestrictRealtime=, SystemCallFilter=: this kernel takes no seccomp filters" ||
		fail "status: $(svctl status filtered 2>&1)"
	[ ! -s "$T/log/filtered.log" ] || ! grep -q "getpid: ok" "$T/log/filtered.log" ||
		fail "the unconfined command ran"
	expect_result plain getpid ok
	svd_alive || fail "svd died"
}

# The same with svd.conf's SandboxFallback=warn: the unit runs without
# its filters, and svd says so.
test_no_seccomp_with_fallback_warn_runs_unconfined() {
	need_seccomp
	: "${NOSECCOMP:?NOSECCOMP must point at the noseccomp helper}"
	probe filtered getpid "SystemCallFilter=~@mount"
	printf '[Manager]\nSandboxFallback=warn\n' >>"$T/svd.conf"
	SVD_WRAPPER=("$NOSECCOMP" absent)
	svd_start
	expect_result filtered getpid ok
	grep -q "SystemCallFilter=: this kernel takes no seccomp filters.*it runs without them (SandboxFallback=warn)" "$T/svd.log" ||
		fail "no warning: $(cat "$T/svd.log")"
	svd_alive || fail "svd died"
}

# A filter the kernel refuses in the child: the start fails with the key
# and the error, and nothing of the command runs.
test_refused_filter_fails_the_unit() {
	need_seccomp
	: "${NOSECCOMP:?NOSECCOMP must point at the noseccomp helper}"
	probe filtered getpid "SystemCallFilter=~@mount"
	probe plain getpid ""
	SVD_WRAPPER=("$NOSECCOMP" refused)
	svd_start
	wait_state filtered failed
	svctl status filtered 2>&1 | grep -q "SystemCallFilter= failed: EPERM" ||
		fail "status: $(svctl status filtered 2>&1)"
	! grep -q "getpid: ok" "$T/log/filtered.log" 2>/dev/null ||
		fail "the unconfined command ran"
	expect_result plain getpid ok
	svd_alive || fail "svd died"
}

# Random combinations of the keys: svd never dies, every service ends
# started or failed with a reason, and no child is left half set up
# (stopped everything, nothing of the test's services remains).
test_random_combinations() {
	need_seccomp
	local lines=(
		"SystemCallFilter=@system-service" "SystemCallFilter=~@mount"
		"SystemCallFilter=~@privileged @resources" "SystemCallFilter="
		"SystemCallFilter=@default" "SystemCallFilter=~@known"
		"SystemCallFilter=read write" "SystemCallFilter=~ptrace:EPERM"
		"SystemCallErrorNumber=EPERM" "SystemCallErrorNumber=kill"
		"SystemCallErrorNumber=" "SystemCallArchitectures=native"
		"SystemCallArchitectures=x86 x32" "SystemCallArchitectures="
		"SystemCallLog=@mount" "SystemCallLog=~@basic-io"
		"RestrictAddressFamilies=none" "RestrictAddressFamilies=AF_UNIX"
		"RestrictAddressFamilies=~AF_PACKET" "RestrictAddressFamilies="
		"RestrictNamespaces=yes" "RestrictNamespaces=no"
		"RestrictNamespaces=~user net" "RestrictNamespaces=cgroup"
		"RestrictRealtime=yes" "RestrictSUIDSGID=yes" "LockPersonality=yes"
		"MemoryDenyWriteExecute=yes" "NoNewPrivileges=yes" "User=nobody"
		"SystemCallFilter=@basic-io @file-system @signal"
	)
	local i j n names=()
	RANDOM=${SECCOMP_SEED:-4242}
	for i in $(seq 1 24); do
		n=$((RANDOM % 6 + 1))
		{
			echo "[Service]"
			echo "Type=oneshot"
			echo "RemainAfterExit=yes"
			for j in $(seq 1 "$n"); do
				echo "${lines[$((RANDOM % ${#lines[@]}))]}"
			done
			echo "ExecStart=$SYSPROBE getpid"
		} >"$T/units/r$i.service"
		names+=("r$i")
	done
	svd_start
	for i in "${names[@]}"; do
		wait_settled "$i"
		if state_is "$i" exited; then
			expect_eq "$i" ok "$(result "$i" getpid)"
		else
			[ -n "$(prop "$i" Result)" ] || fail "$i failed without a reason"
		fi
	done
	svd_alive || fail "svd died"
	svctl stop "${names[@]}" >/dev/null 2>&1 || true
	for i in "${names[@]}"; do
		wait_for "$WAIT_TIMEOUT" settled_or_inactive "$i"
	done
	no_zombies_of "$SVD_PID" || fail "zombies left"
	if pgrep -f "^$SYSPROBE" >/dev/null; then
		fail "probes left: $(pgrep -af "^$SYSPROBE")"
	fi
}

settled_or_inactive() {
	state_is "$1" inactive || state_is "$1" failed
}

run_tests
