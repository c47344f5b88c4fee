#!/usr/bin/env bash
# Board mode: svd as the init of a system, PID 1 with no COMMAND. Each
# test boots svd in PID, mount, UTS and network namespaces of its own,
# with a tmpfs of the test's as its root (tests/helpers/newroot): its
# mounts, its hostname, its final unmount and remount read-only, and its
# reboot(2) all stay inside. reboot(2) in a PID namespace ends the
# namespace, and unshare reports init killed by SIGHUP for a reboot and by
# SIGINT for a poweroff or a halt: that is how the tests see which one
# svd asked for.
. "$(dirname "$0")/lib.sh"

: "${NEWROOT:?NEWROOT must point at the newroot helper}"

BOARD_UNSHARE=
BOARD_PID=
BOARD_SOCK=

need_namespaces() {
	if [ "$(id -u)" != 0 ] ||
	   ! unshare --pid --fork --mount --uts --net true 2>/dev/null; then
		echo "skip: cannot create PID, mount, UTS and network namespaces" \
			"(needs root and unshare)"
		exit 77
	fi
}

# copy_libraries PATH: the shared libraries PATH loads, into the stage.
copy_libraries() {
	local file
	for file in $(ldd "$1" 2>/dev/null |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		mkdir -p "$T/stage$(dirname "$file")"
		cp -L "$file" "$T/stage$file"
	done
}

# stage: the board's root filesystem, copied onto a tmpfs at each boot.
stage() {
	local dir
	for dir in sbin bin proc sys dev run mnt/data tmp etc/svd/units var/lib; do
		mkdir -p "$T/stage/$dir"
	done
	# Only the board's root has it: the test knows newroot has pivoted
	# (and /proc/PID/root is no longer the host's) when it is there.
	BOARD_TOKEN=svd-test-root.$RANDOM$RANDOM
	: >"$T/stage/$BOARD_TOKEN"
	copy_libraries "$SVD"
	cp "$SVD" "$T/stage/sbin/svd"
	local program
	for program in /bin/sh /bin/sleep; do
		copy_libraries "$program"
		cp "$program" "$T/stage$program"
	done
	echo "# the board's name" >"$T/stage/etc/hostname"
	echo "svd-board" >>"$T/stage/etc/hostname"
	# Finds sleep through the PATH that svd gives an init's services.
	cat >"$T/stage/bin/hello" <<-'EOF'
	#!/bin/sh
	trap 'echo "hello: stopped by SIGTERM"; exit 0' TERM
	echo "hello from the board: PATH=$PATH"
	sleep 1000 &
	wait
	EOF
	chmod +x "$T/stage/bin/hello"
	cat >"$T/stage/etc/svd/units/hello.service" <<-'EOF'
	[Service]
	ExecStart=/bin/hello
	EOF
}

# A service that leaves a process behind which ignores SIGTERM: only the
# final sweep's SIGKILL ends it.
stage_stubborn() {
	cat >"$T/stage/etc/svd/units/stubborn.service" <<-'EOF'
	[Service]
	ExecStart=/bin/sh -c "(trap '' TERM; exec sleep 1000) & exec sleep 1000"
	KillMode=process
	EOF
}

# Runs in the new namespaces, as their PID 1: the root tmpfs, the test's
# extra mounts, then newroot execs svd. FAKE_DEV=1: /dev is a tmpfs with
# regular files for console and kmsg, so svd leaves it alone and what it
# writes there can be read; the host's kernel log is never written to.
# CLOSE_STDIO=1: svd starts with fds 0-2 closed, as on a board with no
# /dev/console in its root filesystem. ROOT_RO=1: the root is read-only,
# as a kernel mounts it until init remounts it.
BOOT_SCRIPT='
set -e
root=$1 stage=$2 newroot=$3 host_ns=$4
shift 4
mount -t tmpfs -o mode=0755 svd-test-root "$root"
cp -a "$stage/." "$root/"
mount -t tmpfs svd-test-data "$root/mnt/data"
if [ "$ROOT_RO" = 1 ]; then
	mount -o remount,ro "$root"
fi
if [ "$FAKE_DEV" = 1 ]; then
	mount -t tmpfs -o mode=0755 svd-test-dev "$root/dev"
	: >"$root/dev/console"
	: >"$root/dev/kmsg"
	: >"$root/dev/null"
	mount --bind /dev/null "$root/dev/null"
fi
if [ "$CLOSE_STDIO" = 1 ]; then
	exec "$newroot" "$host_ns" "$root" /sbin/svd "$@" <&- >&- 2>&-
fi
exec "$newroot" "$host_ns" "$root" /sbin/svd "$@"
'

# The unshare's child once it is in the new PID namespace.
board_child() {
	BOARD_PID=$(cat "/proc/$BOARD_UNSHARE/task/$BOARD_UNSHARE/children" 2>/dev/null)
	BOARD_PID=${BOARD_PID%% *}
	[ -n "$BOARD_PID" ] &&
		[ "$(readlink "/proc/$BOARD_PID/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]
}

# Only once the board's root is svd's root: before that, the socket path
# would lead to the host's /run, and to whatever svd may answer there.
board_answers() {
	[ -e "/proc/$BOARD_PID/root/$BOARD_TOKEN" ] &&
		"$SVCTL" -s "$BOARD_SOCK" version
}

# boot [SVD ARGS...]: boots svd as init; FAKE_DEV and CLOSE_STDIO as
# above. Sets BOARD_PID (svd as the host sees it) and BOARD_SOCK.
boot() {
	local host_ns
	# Not in a $(...) on unshare's command line: the subshell would be
	# the background job's child for a moment, and taken for svd.
	host_ns=$(readlink /proc/self/ns/mnt)
	mkdir -p "$T/root"
	# svd as init uses its default paths: /etc/svd/units, /run/svd/...
	env -u SVD_SOCKET FAKE_DEV="${FAKE_DEV:-1}" CLOSE_STDIO="${CLOSE_STDIO:-0}" \
		ROOT_RO="${ROOT_RO:-0}" \
		unshare --pid --fork --kill-child --mount --uts --net \
		--propagation private \
		bash -c "$BOOT_SCRIPT" boot "$T/root" "$T/stage" "$NEWROOT" "$host_ns" "$@" \
		>>"$T/svd.log" 2>&1 &
	BOARD_UNSHARE=$!
	track "$BOARD_UNSHARE"
	wait_for "$WAIT_TIMEOUT" board_child
	track "$BOARD_PID"
	BOARD_SOCK=/proc/$BOARD_PID/root/run/svd/control.sock
	wait_for "$WAIT_TIMEOUT" board_answers || {
		ps -o pid,ppid,stat,args -p "$BOARD_PID" -p "$BOARD_UNSHARE" >&2
		ls -l "/proc/$BOARD_PID/root/" "/proc/$BOARD_PID/root/dev" >&2
		# A regular file only on the board's fake /dev: never read the
		# host's kernel log (which would also block).
		if [ -f "/proc/$BOARD_PID/root/dev/kmsg" ]; then
			echo "kernel log of the board:" >&2
			cat "/proc/$BOARD_PID/root/dev/kmsg" >&2
		fi
		ls -l "/proc/$BOARD_PID/root/run/svd" >&2
		if wait_for 5 not_running "$BOARD_UNSHARE"; then
			wait "$BOARD_UNSHARE"
			echo "unshare exited with $?" >&2
		fi
		return 1
	}
}

board_ctl() {
	"$SVCTL" -s "$BOARD_SOCK" "$@"
}

board_unit_running() {
	[ "$(board_ctl show "$1" | sed -n 's/^State=//p')" = running ]
}

# expect_end STATUS: the namespace ends, unshare exits with STATUS.
expect_end() {
	local status
	wait_for 30 not_running "$BOARD_UNSHARE" ||
		fail "svd did not end the namespace"
	wait "$BOARD_UNSHARE" && status=0 || status=$?
	untrack "$BOARD_UNSHARE" "$BOARD_PID"
	expect_eq "unshare's exit status" "$1" "$status"
}

expect_log() {
	grep -qF -- "$1" "$T/svd.log" || fail "svd's log lacks: $1"
}

# mounts: "MOUNT-POINT FSTYPE" per line, as svd sees them.
mounts() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { print $5, $(i + 1); break } }' \
		"/proc/$BOARD_PID/mountinfo"
}

test_boot_mounts_hostname_kmsg() {
	need_namespaces
	stage
	local host_name
	host_name=$(hostname)
	boot
	wait_for "$WAIT_TIMEOUT" board_unit_running hello
	mounts >"$T/mounts"
	local expected
	for expected in "/proc proc" "/sys sysfs" "/dev tmpfs" "/dev/pts devpts" \
			"/dev/shm tmpfs" "/run tmpfs"; do
		grep -qx "$expected" "$T/mounts" ||
			fail "not mounted: $expected (have: $(tr '\n' ',' <"$T/mounts"))"
	done
	expect_eq "board hostname" svd-board "$(nsenter -t "$BOARD_PID" -u hostname)"
	expect_eq "host hostname" "$host_name" "$(hostname)"
	# Boot messages went to the kernel log, as daemon.info records.
	grep -q '^<30>svd: info: mounted proc on /proc$' \
		"/proc/$BOARD_PID/root/dev/kmsg" ||
		fail "kmsg: $(cat "/proc/$BOARD_PID/root/dev/kmsg")"
	grep -q '^<30>svd: info: hostname svd-board$' \
		"/proc/$BOARD_PID/root/dev/kmsg" || fail "no hostname in kmsg"
	# /dev was mounted already: left alone.
	! grep -q 'devtmpfs' "/proc/$BOARD_PID/root/dev/kmsg" ||
		fail "svd touched a mounted /dev"
	# As init, svd is the syslog daemon (on the board's own /dev).
	test -S "/proc/$BOARD_PID/root/dev/log" || fail "no /dev/log socket"
	wait_for "$WAIT_TIMEOUT" grep -q \
		"hello from the board: PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		"$T/svd.log"
}

# On a bare root svd mounts devtmpfs itself. -q: devtmpfs is the host's
# /dev, and info messages would land in the host's kernel log.
# As init, svd applies tmpfiles.d before the units, '!' lines included;
# a bad line is named and the boot goes on.
test_boot_applies_tmpfiles() {
	need_namespaces
	stage
	mkdir -p "$T/stage/etc/tmpfiles.d" "$T/stage/usr/lib/tmpfiles.d"
	: >"$T/stage/forcefsck"
	cat >"$T/stage/usr/lib/tmpfiles.d/board.conf" <<-'EOF'
	d /run/board 0710 - - -
	f! /run/board/boot-only - - - - booted
	bogus /run/never
	r! /forcefsck
	EOF
	echo "d /run/from-usr" >"$T/stage/usr/lib/tmpfiles.d/over.conf"
	echo "d /run/from-etc" >"$T/stage/etc/tmpfiles.d/over.conf"
	boot
	wait_for "$WAIT_TIMEOUT" board_unit_running hello
	local board=/proc/$BOARD_PID/root
	expect_eq "d mode" 710 "$(stat -c %a "$board/run/board")"
	expect_eq "boot line" booted "$(cat "$board/run/board/boot-only")"
	[ ! -e "$board/forcefsck" ] || fail "r! not applied at boot"
	[ -d "$board/run/from-etc" ] || fail "etc's over.conf not applied"
	[ ! -e "$board/run/from-usr" ] || fail "usr's over.conf was not hidden"
	grep -q "board.conf:3: type bogus" "$board/dev/kmsg" "$T/svd.log" ||
		fail "the bad line is not named"
}

test_boot_bare_root_mounts_devtmpfs() {
	need_namespaces
	stage
	# Nor /dev/log: the host's programs would log to the board's svd;
	# nor the host's power button.
	printf '[Manager]\nSyslogSocket=no\nPowerKey=no\n' >"$T/stage/etc/svd/svd.conf"
	FAKE_DEV=0 boot -q
	mounts >"$T/mounts"
	grep -qx "/dev devtmpfs" "$T/mounts" || fail "mounts: $(cat "$T/mounts")"
	grep -qx "/dev/pts devpts" "$T/mounts" || fail "mounts: $(cat "$T/mounts")"
	wait_for "$WAIT_TIMEOUT" board_unit_running hello
}

test_console_opened_when_stdio_closed() {
	need_namespaces
	stage
	CLOSE_STDIO=1 boot
	local console=/proc/$BOARD_PID/root/dev/console fd
	for fd in 0 1 2; do
		expect_eq "svd's fd $fd" /dev/console \
			"$(readlink "/proc/$BOARD_PID/fd/$fd")"
	done
	wait_for "$WAIT_TIMEOUT" grep -q "hello from the board" "$console"
	grep -q '^svd: info: stdio on /dev/console$' "$console" ||
		fail "console: $(cat "$console")"
	# The kernel log did not take one of 0-2.
	grep -q '^<30>svd: info: mounted proc on /proc$' \
		"/proc/$BOARD_PID/root/dev/kmsg" || fail "nothing in kmsg"
}

test_svctl_reboot_stops_sweeps_unmounts() {
	need_namespaces
	stage
	stage_stubborn
	boot --stop-timeout 1 --kill-grace 1
	wait_for "$WAIT_TIMEOUT" board_unit_running hello
	wait_for "$WAIT_TIMEOUT" board_unit_running stubborn
	board_ctl reboot
	expect_end 129
	expect_log "shutting down for reboot: stopping all services"
	expect_log "hello: stopped by SIGTERM"
	expect_log "processes left after 1 s: sending SIGKILL"
	expect_log "unmounted /mnt/data"
	expect_log "remounted / read-only"
	expect_log "reboot now"
}

# svctl daemon-reexec as PID 1: the only way to upgrade init. The same
# init execs its binary anew; hello keeps its pid, the boot is not run
# again, and the shutdown after it is the usual one.
test_reexec_as_init() {
	need_namespaces
	stage
	boot
	wait_for "$WAIT_TIMEOUT" board_unit_running hello
	local pid
	pid=$(board_ctl show hello | sed -n 's/^MainPID=//p')
	board_ctl daemon-reexec || fail "daemon-reexec as init failed"
	wait_for "$WAIT_TIMEOUT" board_ctl version
	grep -q "reexec-state=" "/proc/$BOARD_PID/cmdline" ||
		fail "init was not re-executed: $(tr '\0' ' ' <"/proc/$BOARD_PID/cmdline")"
	expect_eq "hello's pid" "$pid" "$(board_ctl show hello | sed -n 's/^MainPID=//p')"
	expect_eq "hello's state" running "$(board_ctl show hello | sed -n 's/^State=//p')"
	expect_log "re-executed: "
	board_ctl reboot
	expect_end 129
	expect_log "hello: stopped by SIGTERM"
}

# A service that never stops (TimeoutStopSec=infinity, SIGTERM ignored)
# holds the shutdown until it is asked for again; the second request
# also says what happens at the end.
test_second_request_forces_shutdown() {
	need_namespaces
	stage
	cat >"$T/stage/etc/svd/units/forever.service" <<-'EOF'
	[Service]
	ExecStart=/bin/sh -c "trap '' TERM; exec sleep 1000"
	TimeoutStopSec=infinity
	EOF
	boot --stop-timeout 1 --kill-grace 1
	wait_for "$WAIT_TIMEOUT" board_unit_running forever
	board_ctl reboot
	wait_for "$WAIT_TIMEOUT" grep -q "shutting down for reboot" "$T/svd.log"
	kill -0 "$BOARD_PID" || fail "svd did not wait for forever.service"
	board_ctl poweroff
	expect_end 130
	expect_log "asked again: not waiting for the services any longer"
	expect_log "processes left after 1 s: sending SIGKILL"
	expect_log "poweroff now"
}

test_svctl_poweroff_and_halt() {
	need_namespaces
	stage
	boot
	board_ctl poweroff
	expect_end 130
	expect_log "poweroff now"
	: >"$T/svd.log"
	boot
	board_ctl halt
	expect_end 130
	expect_log "halt now"
}

# check_signal SIGNAL STATUS ACTION
check_signal() {
	: >"$T/svd.log"
	boot
	kill "-$1" "$BOARD_PID"
	expect_end "$2"
	expect_log "shutting down for $3"
	expect_log "$3 now"
}

# As init, FailureAction=reboot of a unit that fails takes the system
# down that way, in order (hello stops first); -force skips the waiting.
test_failure_action_reboots() {
	need_namespaces
	stage
	cat >"$T/stage/etc/svd/units/watchdog.service" <<-'EOF'
	[Unit]
	FailureAction=reboot
	[Service]
	ExecStart=/bin/sh -c 'while [ ! -e /tmp/fail ]; do sleep 0.05; done; exit 3'
	EOF
	boot
	wait_for "$WAIT_TIMEOUT" board_unit_running hello
	wait_for "$WAIT_TIMEOUT" board_unit_running watchdog
	: >"/proc/$BOARD_PID/root/tmp/fail"
	expect_end 129
	expect_log "watchdog.service: FailureAction=reboot: the system goes down for reboot"
	expect_log "hello: stopped by SIGTERM"
	expect_log "reboot now"
}

test_signals_as_init() {
	need_namespaces
	stage
	check_signal TERM 129 reboot
	check_signal INT 129 reboot
	check_signal USR1 130 halt
	check_signal USR2 130 poweroff
	check_signal PWR 130 poweroff
}

test_bad_command_line_still_boots() {
	need_namespaces
	stage
	boot --no-such-option stray-argument
	expect_log "as init: going on despite the command line"
	wait_for "$WAIT_TIMEOUT" board_unit_running hello
}

svd_children() {
	wc -w <"/proc/$BOARD_PID/task/$BOARD_PID/children"
}

children_back_to() {
	[ "$(svd_children)" = "$1" ]
}

test_crash_keeps_init_up_reaping() {
	need_namespaces
	stage
	# The crash handler's forked copy dumps core: not here.
	ulimit -c 0
	boot
	wait_for "$WAIT_TIMEOUT" board_unit_running hello
	kill -SEGV "$BOARD_PID"
	wait_for "$WAIT_TIMEOUT" grep -q \
		"crashed with signal 11; staying up as init" "$T/svd.log"
	kill -0 "$BOARD_PID" || fail "svd exited after the crash"
	# Orphans that land on it are still reaped.
	local before
	before=$(svd_children)
	nsenter -t "$BOARD_PID" -p -m -- /bin/sh -c \
		'for i in 1 2 3 4 5; do sleep 0.2 & done; exit 0'
	wait_for "$WAIT_TIMEOUT" children_back_to "$before" ||
		fail "orphans not reaped after the crash: $(svd_children) children"
	expect_eq "zombies" 0 "$(zombies_of "$BOARD_PID")"
}

# stage_fstab: an fstab of tmpfs, bind, failing, nofail and noauto
# entries and a bad line, listed child before parent; units that need
# them.
stage_fstab() {
	mkdir -p "$T/stage/srv/bound"
	echo "from the root" >"$T/stage/srv/bound/file"
	cat >"$T/stage/etc/fstab" <<-'EOF'
	# <file system> <mount point> <type> <options> <dump> <pass>
	/ / tmpfs rw 0 0
	svd-fs-nested /mnt/tmp/nested tmpfs size=1m 0 0
	svd-fs-tmp /mnt/tmp tmpfs mode=0750,size=1m,nosuid,x-systemd.after=foo 0 0
	/srv/bound /mnt/bound none bind,ro 0 0
	/dev/svd-no-such-disk /mnt/missing ext4 defaults 0 2
	LABEL=svd-no-such-label /mnt/optional ext4 nofail 0 2
	svd-fs-later /mnt/later tmpfs noauto 0 0
	this line is bad
	EOF
	cat >"$T/stage/etc/svd/units/needs-tmp.service" <<-'EOF'
	[Unit]
	RequiresMountsFor=/mnt/tmp/nested/dir
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	ExecStart=/bin/sh -c "echo ran >/mnt/tmp/nested/ran"
	EOF
	cat >"$T/stage/etc/svd/units/needs-missing.service" <<-'EOF'
	[Unit]
	RequiresMountsFor=/mnt/missing
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	cat >"$T/stage/etc/svd/units/needs-later.service" <<-'EOF'
	[Unit]
	RequiresMountsFor=/mnt/later
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	ExecStart=/bin/sh -c "echo ran >/mnt/later/ran"
	EOF
	cat >"$T/stage/etc/svd/units/needs-local-fs.service" <<-'EOF'
	[Unit]
	Requires=local-fs.target
	After=local-fs.target
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
}

mount_options() {
	awk -v p="$1" '$5 == p { print $6 }' "/proc/$BOARD_PID/mountinfo"
}

board_unit_state() {
	[ "$(board_ctl show "$1" | sed -n 's/^State=//p')" = "$2" ]
}

# As init, svd remounts / and mounts fstab's entries before the units
# that need them; a failed one fails them, naming the mount and errno;
# nofail and noauto ones fail nothing; at shutdown they are unmounted,
# children first.
test_fstab_mounted_before_units_unmounted_at_end() {
	need_namespaces
	stage
	stage_fstab
	ROOT_RO=1 boot
	local board=/proc/$BOARD_PID/root
	wait_for "$WAIT_TIMEOUT" board_unit_running hello
	wait_for "$WAIT_TIMEOUT" board_unit_state needs-tmp exited ||
		fail "needs-tmp: $(board_ctl status needs-tmp)"
	mounts >"$T/mounts"
	local expected
	for expected in "/mnt/tmp tmpfs" "/mnt/tmp/nested tmpfs" \
			"/mnt/bound tmpfs" "/mnt/later tmpfs"; do
		grep -qx "$expected" "$T/mounts" ||
			fail "not mounted: $expected (have: $(tr '\n' ',' <"$T/mounts"))"
	done
	! grep -q "^/mnt/missing \|^/mnt/optional " "$T/mounts" ||
		fail "a failed mount is there: $(cat "$T/mounts")"
	# / read-write again; options and flags as fstab says.
	mount_options / | grep -q '^rw' || fail "/ is $(mount_options /)"
	mount_options /mnt/bound | grep -q '^ro' ||
		fail "/mnt/bound is $(mount_options /mnt/bound)"
	mount_options /mnt/tmp | grep -q 'nosuid' ||
		fail "/mnt/tmp is $(mount_options /mnt/tmp)"
	expect_eq "mode of /mnt/tmp" 750 "$(stat -c %a "$board/mnt/tmp")"
	expect_eq "bind" "from the root" "$(cat "$board/mnt/bound/file")"
	# The unit ran on the mounted file system, not under it.
	expect_eq "needs-tmp's file" ran "$(cat "$board/mnt/tmp/nested/ran")"
	wait_for "$WAIT_TIMEOUT" board_unit_state needs-later exited ||
		fail "needs-later: $(board_ctl status needs-later)"
	expect_eq "needs-later's file" ran "$(cat "$board/mnt/later/ran")"
	# A failed mount fails what requires it, saying what and why.
	wait_for "$WAIT_TIMEOUT" board_unit_state needs-missing failed ||
		fail "needs-missing: $(board_ctl status needs-missing)"
	board_ctl status mnt-missing.mount >"$T/status" 2>&1 || true
	grep -q "mount /dev/svd-no-such-disk on /mnt/missing (ext4, /etc/fstab:6): ENOENT" \
		"$T/status" || fail "mnt-missing.mount: $(cat "$T/status")"
	board_ctl status needs-missing >"$T/status" 2>&1 || true
	grep -q "mnt-missing.mount" "$T/status" ||
		fail "needs-missing: $(cat "$T/status")"
	wait_for "$WAIT_TIMEOUT" board_unit_state needs-local-fs failed ||
		fail "needs-local-fs: $(board_ctl status needs-local-fs)"
	local log="$board/dev/kmsg"
	grep -q "/etc/fstab:9: .*line skipped" "$log" ||
		fail "the bad line is not named: $(cat "$log")"
	grep -q "svd-no-such-label.*(nofail)" "$log" ||
		fail "the nofail failure is not told: $(cat "$log")"
	grep -q "remounted / read-write" "$log" || fail "no remount of /"
	grep -q "fstab: 3 mounted, 0 swaps on, 2 failed" "$log" ||
		fail "no summary: $(grep fstab "$log")"
	board_ctl poweroff
	expect_end 130
	local nested parent
	nested=$(grep -n "unmounted /mnt/tmp/nested$" "$T/svd.log" | cut -d: -f1)
	parent=$(grep -n "unmounted /mnt/tmp$" "$T/svd.log" | cut -d: -f1)
	[ -n "$nested" ] && [ -n "$parent" ] && [ "$nested" -lt "$parent" ] ||
		fail "not unmounted child first: $(grep unmounted "$T/svd.log")"
	expect_log "unmounted /mnt/bound"
	expect_log "unmounted /mnt/later"
}

# utmp_records FILE: "TYPE PID ID LINE USER TERMINATION EXIT" per record
# (glibc's struct utmpx on x86-64 and the like: 384 bytes).
utmp_records() {
	python3 -c '
import struct, sys
data = open(sys.argv[1], "rb").read()
fmt = "<h2xi32s4s32s256shhiii4i20x"
size = struct.calcsize(fmt)
for off in range(0, len(data) - size + 1, size):
    r = struct.unpack_from(fmt, data, off)
    s = lambda b: b.rstrip(b"\0").decode() or "-"
    print(r[0], r[1], s(r[3]), s(r[2]), s(r[4]), r[6], r[7])
' "$1"
}

# UtmpIdentifier=: an INIT_PROCESS record in utmp and wtmp when the main
# process starts, DEAD_PROCESS with its end when it exits; as init, the
# boot and runlevel records first. Only where /var/run/utmp exists.
test_utmp_records() {
	need_namespaces
	stage
	mkdir -p "$T/stage/var/run" "$T/stage/var/log"
	: >"$T/stage/var/run/utmp"
	: >"$T/stage/var/log/wtmp"
	cat >"$T/stage/etc/svd/units/getty-like.service" <<-'EOF'
	[Service]
	ExecStart=/bin/sleep 1000
	UtmpIdentifier=tty-svd7
	TTYPath=/dev/ttySVD
	EOF
	boot
	local board=/proc/$BOARD_PID/root pid
	wait_for "$WAIT_TIMEOUT" board_unit_running getty-like
	pid=$(board_ctl show getty-like | sed -n 's/^MainPID=//p')
	utmp_records "$board/var/run/utmp" >"$T/utmp"
	grep -qx "2 0 ~~ ~ reboot 0 0" "$T/utmp" || fail "no boot record: $(cat "$T/utmp")"
	grep -qx "1 $((51 + 78 * 256)) ~~ ~ runlevel 0 0" "$T/utmp" ||
		fail "no runlevel record: $(cat "$T/utmp")"
	grep -qx "5 $pid svd7 ttySVD - 0 0" "$T/utmp" ||
		fail "no INIT_PROCESS record of pid $pid: $(cat "$T/utmp")"
	board_ctl stop getty-like
	utmp_records "$board/var/run/utmp" >"$T/utmp"
	grep -qx "8 $pid svd7 ttySVD - 15 0" "$T/utmp" ||
		fail "no DEAD_PROCESS record (SIGTERM): $(cat "$T/utmp")"
	! grep -q "^5 " "$T/utmp" || fail "the INIT record stayed: $(cat "$T/utmp")"
	utmp_records "$board/var/log/wtmp" | cut -d' ' -f1 | tr '\n' ' ' >"$T/wtmp"
	expect_eq "wtmp's records" "2 1 5 8 " "$(cat "$T/wtmp")"
	board_ctl poweroff
	expect_end 130
}

# Without /var/run/utmp, no record is written anywhere.
test_utmp_none_without_file() {
	need_namespaces
	stage
	mkdir -p "$T/stage/var/log"
	: >"$T/stage/var/log/wtmp"
	cat >"$T/stage/etc/svd/units/getty-like.service" <<-'EOF'
	[Service]
	ExecStart=/bin/sleep 1000
	UtmpIdentifier=tty-svd7
	EOF
	boot
	wait_for "$WAIT_TIMEOUT" board_unit_running getty-like
	[ ! -e "/proc/$BOARD_PID/root/var/run/utmp" ] || fail "utmp was made"
	expect_eq "wtmp's size" 0 "$(stat -c %s "/proc/$BOARD_PID/root/var/log/wtmp")"
	board_ctl poweroff
	expect_end 130
}

# Outside a board, svd does not own the machine.
test_reboot_refused_when_not_init() {
	svd_start
	expect_code 1 "$SVCTL" reboot
	grep -q "reboot: svd is not init (PID 1)" "$T/err" ||
		fail "message: $(cat "$T/err")"
	expect_code 1 "$SVCTL" poweroff
	svd_alive || fail "svd exited"
}

run_tests
