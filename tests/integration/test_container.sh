#!/usr/bin/env bash
# Container mode, svd -- COMMAND: as a subreaper and as PID 1 of a fresh
# PID namespace (unshare --pid --fork --mount-proc), never touching the
# host's processes.
. "$(dirname "$0")/lib.sh"

# svd_cmd ARGS...: svd in container mode on $T, in the foreground.
svd_cmd() {
	"$SVD" -s "$T/control.sock" -S "$T/state" "$@"
}

can_unshare() {
	[ "$(id -u)" = 0 ] && unshare --pid --fork --mount-proc true 2>/dev/null
}

# as_pid1 ARGS...: svd_cmd as PID 1 of a new PID namespace.
as_pid1() {
	unshare --pid --fork --mount-proc "$SVD" -s "$T/control.sock" \
		-S "$T/state" "$@"
}

need_pid1() {
	if ! can_unshare; then
		echo "skip: cannot create a PID namespace (needs root and unshare)"
		exit 77
	fi
}

# Both ways: as a subreaper, then as PID 1 where possible.
each_mode() {
	"$@" svd_cmd
	if can_unshare; then
		"$@" as_pid1
	else
		echo "note: PID 1 variant skipped: cannot create a PID namespace"
	fi
}

check_exit_codes() {
	local run=$1 code
	for code in 0 3 255; do
		expect_code "$code" "$run" -- /bin/sh -c "exit $code"
	done
	expect_code 137 "$run" -- /bin/sh -c 'kill -KILL $$'
	expect_code 143 "$run" -- /bin/sh -c 'kill -TERM $$'
	expect_code 134 "$run" -- /bin/sh -c 'ulimit -c 0; kill -ABRT $$'
}

test_exit_codes() {
	each_mode check_exit_codes
}

check_missing_command() {
	expect_code 127 "$1" -- "$T/no-such-command" arg
	grep -q "svd: cannot run $T/no-such-command: ENOENT" "$T/err" ||
		fail "message: $(cat "$T/err")"
	expect_code 127 "$1" -- no-such-command-in-path
	touch "$T/not-executable"
	expect_code 126 "$1" -- "$T/not-executable"
	grep -q "EACCES" "$T/err" || fail "message: $(cat "$T/err")"
}

test_missing_command() {
	each_mode check_missing_command
}

check_argv_verbatim() {
	"$1" -- /usr/bin/printf '[%s]\n' 'a b' 'c"d' '' '$HOME' "it's" '*' >"$T/argv"
	printf '[%s]\n' 'a b' 'c"d' '' '$HOME' "it's" '*' >"$T/want"
	cmp -s "$T/argv" "$T/want" || fail "argv: $(cat "$T/argv")"
	# Environment and working directory as given.
	(cd "$T" && SVD_TEST_VAR='x y' "$1" -- /bin/sh -c 'echo "$SVD_TEST_VAR|$(pwd)"') >"$T/env"
	expect_eq env "x y|$T" "$(cat "$T/env")"
	# stdin passed through.
	expect_eq stdin hello "$(echo hello | "$1" -- /bin/cat)"
}

test_argv_env_stdio_verbatim() {
	each_mode check_argv_verbatim
}

check_only_std_fds() {
	# fd 7 and 8 are open in svd's parent: they must not reach the command
	# (ls's own fd 3 is the directory it reads).
	"$1" -- /bin/ls /proc/self/fd 7</dev/null 8>"$T/fd8" >"$T/fds"
	expect_eq fds "0 1 2 3" "$(tr '\n' ' ' <"$T/fds" | sed 's/ $//')"
}

test_only_std_fds() {
	each_mode check_only_std_fds
}

check_orphans() {
	expect_code 0 "$1" -- "$ORPHANS" 10000
	grep -q "10000 reaped, no zombie left" "$T/out" || fail "$(cat "$T/out" "$T/err")"
}

test_ten_thousand_orphans() {
	each_mode check_orphans
}

# Reaping keeps nothing per orphan: svd's resident memory after 3 bursts
# of 5,000 orphans is what it was after the first (a leak of even 16
# bytes an orphan would show as 160 KiB).
test_memory_flat_with_orphans() {
	cat >"$T/bursts.sh" <<-'EOF'
	svd=$PPID orphans=$1 out=$2
	for burst in 1 2 3; do
		"$orphans" --no-wait 5000
		# Until every orphan is reaped: svd's only child is this shell.
		deadline=$(($(date +%s) + 30))
		until [ "$(cat /proc/$svd/task/$svd/children)" = "$$ " ]; do
			[ "$(date +%s)" -lt "$deadline" ] || exit 1
			sleep 0.05
		done
		sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$svd/status >>"$out"
	done
	EOF
	expect_code 0 svd_cmd -- /bin/sh "$T/bursts.sh" "$ORPHANS" "$T/rss"
	local first last
	first=$(sed -n 1p "$T/rss")
	last=$(sed -n 3p "$T/rss")
	[ -n "$first" ] && [ -n "$last" ] || fail "no figures: $(cat "$T/rss")"
	[ $((last - first)) -le 64 ] ||
		fail "svd grew from $first KiB to $last KiB over 10,000 more orphans"
}

# Every signal svd forwards but TERM and INT (which also stop it), as
# tini forwards them: the real-time ones too.
FORWARDED="HUP QUIT USR1 USR2 PIPE ALRM WINCH CONT TSTP URG XCPU XFSZ VTALRM PROF IO PWR STKFLT RTMIN RTMIN+1 RTMIN+7 RTMAX-1 RTMAX"

# The command traps every forwarded signal and reports it in $T/got
# (bash: dash knows no real-time signal names).
write_trapper() {
	cat >"$T/trapper.sh" <<-EOF
	#!/bin/bash
	for s in $FORWARDED; do
		trap "echo \$s >> $T/got" \$s
	done
	# TERM and INT also stop svd: the command ends on them.
	trap 'echo TERM >> $T/got; exit 7' TERM
	trap 'echo INT >> $T/got; exit 8' INT
	echo ready >> $T/got
	while :; do sleep 0.05; done
	EOF
}

got_signal() {
	grep -qx "$1" "$T/got"
}

# send_each PID: every forwarded signal, each confirmed before the next.
send_each() {
	local s
	for s in $FORWARDED; do
		kill -s "$s" "$1"
		wait_for "$WAIT_TIMEOUT" got_signal "$s" || fail "SIG$s not forwarded"
	done
}

test_signals_forwarded() {
	write_trapper
	# bash starts background jobs with SIGINT and SIGQUIT ignored, which
	# svd rightly passes on: give svd default dispositions.
	env --default-signal=INT,QUIT "$SVD" -s "$T/control.sock" -S "$T/state" \
		-- /bin/bash "$T/trapper.sh" &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" got_signal ready
	send_each "$pid"
	kill -TERM "$pid"
	wait "$pid" && status=0 || status=$?
	expect_eq "exit status" 7 "$status"
	got_signal TERM || fail "SIGTERM not forwarded"
}

# The PID 1 svd's pid as seen from here: unshare's only child.
pid1_of() {
	local unshare_pid=$1 children=/proc/$1/task/$1/children
	# proc files have no size: read, don't test -s.
	wait_for "$WAIT_TIMEOUT" grep -q . "$children"
	set -- $(cat "$children")
	echo "$1"
}

test_signals_forwarded_as_pid1() {
	need_pid1
	write_trapper
	env --default-signal=INT,QUIT unshare --pid --fork --mount-proc \
		"$SVD" -s "$T/control.sock" -S "$T/state" -- /bin/bash "$T/trapper.sh" &
	outer=$!
	track "$outer"
	pid=$(pid1_of "$outer")
	wait_for "$WAIT_TIMEOUT" got_signal ready
	send_each "$pid"
	kill -INT "$pid"
	wait "$outer" && status=0 || status=$?
	got_signal INT || fail "SIGINT not forwarded"
	expect_eq "exit status" 8 "$status"
}

test_sigterm_ignored_gets_sigkill() {
	cat >"$T/stubborn.sh" <<-EOF
	#!/bin/sh
	trap '' TERM
	echo ready > $T/ready
	while :; do sleep 0.05; done
	EOF
	# Not svd_cmd: `function &` would make $! a subshell's pid.
	"$SVD" -s "$T/control.sock" -S "$T/state" --stop-timeout 1 \
		-- /bin/sh "$T/stubborn.sh" &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" test -s "$T/ready"
	kill -TERM "$pid"
	wait_for "$WAIT_TIMEOUT" not_running "$pid" || fail "svd did not end"
	wait "$pid" && status=0 || status=$?
	expect_eq "exit status" 137 "$status"
}

test_leftovers_swept_after_main_exits() {
	# One leftover dies of SIGTERM, one ignores it and needs SIGKILL.
	cat >"$T/leaver.sh" <<-EOF
	#!/bin/sh
	sleep 1000 &
	echo \$! > $T/polite
	sh -c 'trap "" TERM; echo \$\$ > $T/rude; while :; do sleep 0.05; done' &
	while [ ! -s $T/rude ]; do sleep 0.01; done
	exit 4
	EOF
	expect_code 4 svd_cmd --stop-timeout 1 -- /bin/sh "$T/leaver.sh"
	! kill -0 "$(cat "$T/polite")" 2>/dev/null || fail "leftover survived"
	! kill -0 "$(cat "$T/rude")" 2>/dev/null || fail "TERM-ignoring leftover survived"
}

test_side_services_stopped_with_main() {
	mkdir -p "$T/side"
	cat >"$T/side/helper.service" <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo \$\$\$\$ > $T/helper.pid; exec sleep 1000'
	EOF
	cat >"$T/main.sh" <<-EOF
	#!/bin/sh
	while ! "$SVCTL" -s "$T/control.sock" is-active helper >/dev/null; do
		sleep 0.02
	done
	exit 5
	EOF
	expect_code 5 timeout 30 "$SVD" -u "$T/side" -s "$T/control.sock" \
		-S "$T/state" -- /bin/sh "$T/main.sh"
	! kill -0 "$(cat "$T/helper.pid")" 2>/dev/null || fail "side service survived"
	# No main.service.d/: nothing to warn about.
	! grep -q "warning" "$T/err" || fail "a warning with no drop-in: $(cat "$T/err")"
}

test_sigterm_stops_side_services_too() {
	mkdir -p "$T/side"
	cat >"$T/side/helper.service" <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo \$\$\$\$ > $T/helper.pid; exec sleep 1000'
	EOF
	"$SVD" -u "$T/side" -s "$T/control.sock" -S "$T/state" -- /bin/sleep 1000 &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" test -s "$T/helper.pid"
	wait_for "$WAIT_TIMEOUT" "$SVCTL" -s "$T/control.sock" is-active helper
	expect_eq "main in status" active "$("$SVCTL" -s "$T/control.sock" is-active main)"
	kill -TERM "$pid"
	wait "$pid" && status=0 || status=$?
	expect_eq "exit status (sleep killed by TERM)" 143 "$status"
	! kill -0 "$(cat "$T/helper.pid")" 2>/dev/null || fail "side service survived"
}

# svctl poweroff/halt/reboot stop a container: its command gets SIGTERM
# and svd exits with the command's status.
test_svctl_poweroff_stops_container() {
	"$SVD" -s "$T/control.sock" -S "$T/state" -- /bin/sleep 1000 &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" "$SVCTL" -s "$T/control.sock" is-active main
	"$SVCTL" -s "$T/control.sock" poweroff
	wait_for "$WAIT_TIMEOUT" not_running "$pid"
	wait "$pid" && status=0 || status=$?
	untrack "$pid"
	expect_eq "exit status (sleep killed by TERM)" 143 "$status"
}

# -g: a forwarded signal reaches the command's whole process group (its
# background job here), as tini -g; without -g only the command.
test_group_mode_reaches_the_group() {
	local mode
	for mode in group alone; do
		rm -f "$T/job.pid" "$T/job.got"
		# The job ignores the sweep's SIGTERM, which could otherwise
		# end it before its shell ran the USR1 trap (after a sleep).
		"$SVD" -s "$T/control.sock" -S "$T/state" --kill-grace 5 \
			$([ $mode = group ] && echo -g) \
			-- /bin/sh -c "sh -c 'trap \"\" TERM; trap \"echo got > $T/job.got; exit 0\" USR1; echo \\\$\\\$ > $T/job.pid; while :; do sleep 0.05; done' & wait" &
		pid=$!
		track "$pid"
		wait_for "$WAIT_TIMEOUT" test -s "$T/job.pid"
		kill -USR1 "$pid"
		wait "$pid" && status=0 || status=$?
		untrack "$pid"
		expect_eq "$mode: exit status (sh killed by USR1)" 138 "$status"
		if [ $mode = group ]; then
			[ -s "$T/job.got" ] || fail "-g: the job did not get SIGUSR1"
		else
			[ ! -e "$T/job.got" ] || fail "without -g the job got SIGUSR1"
		fi
	done
}

# The command leaves a grandchild that ignores SIGTERM: it gets SIGKILL
# after --kill-grace, not after the (long) stop timeout, and svd exits
# with the command's status.
test_leftover_killed_after_kill_grace() {
	cat >"$T/leaver.sh" <<-EOF
	#!/bin/sh
	sh -c 'trap "" TERM; echo \$\$ > $T/rude; while :; do sleep 0.05; done' &
	while [ ! -s $T/rude ]; do sleep 0.01; done
	exit 6
	EOF
	"$SVD" -s "$T/control.sock" -S "$T/state" --stop-timeout 120 --kill-grace 1 \
		-- /bin/sh "$T/leaver.sh" &
	pid=$!
	track "$pid"
	# Bounded well below the stop timeout: the grace is what applies.
	wait_for 30 not_running "$pid" || fail "svd still waits for the leftover"
	wait "$pid" && status=0 || status=$?
	untrack "$pid"
	expect_eq "exit status (the command's)" 6 "$status"
	! kill -0 "$(cat "$T/rude")" 2>/dev/null || fail "TERM-ignoring leftover survived"
}

# SIGTERM to svd: a side service that needs time to stop gets its own
# TimeoutStopSec=, not a SIGKILL at the command's end, and nobody asked
# twice.
test_side_service_gets_its_own_stop_timeout() {
	mkdir -p "$T/side"
	cat >"$T/side/slow.service" <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'trap "sleep 1; echo done > $T/slow.done; exit 0" TERM; echo \$\$\$\$ > $T/slow.pid; while :; do sleep 0.05; done'
	TimeoutStopSec=20
	EOF
	"$SVD" -u "$T/side" -s "$T/control.sock" -S "$T/state" --kill-grace 1 \
		-- /bin/sleep 1000 2>"$T/svd.err" &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" test -s "$T/slow.pid"
	wait_for "$WAIT_TIMEOUT" "$SVCTL" -s "$T/control.sock" is-active slow
	kill -TERM "$pid"
	wait_for 30 not_running "$pid" || fail "svd did not end"
	wait "$pid" && status=0 || status=$?
	untrack "$pid"
	expect_eq "exit status (sleep killed by TERM)" 143 "$status"
	[ -s "$T/slow.done" ] || fail "the side service was killed before its own stop: $(cat "$T/svd.err")"
	! grep -q "asked again" "$T/svd.err" || fail "svd says it was asked twice: $(cat "$T/svd.err")"
}

# Nor when the command ends by itself, nor on svctl poweroff.
test_no_asked_again_when_asked_once() {
	expect_code 0 svd_cmd -- /bin/true
	! grep -q "asked again" "$T/err" || fail "$(cat "$T/err")"
	"$SVD" -s "$T/control.sock" -S "$T/state" -- /bin/sleep 1000 2>"$T/svd.err" &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" "$SVCTL" -s "$T/control.sock" is-active main
	"$SVCTL" -s "$T/control.sock" poweroff
	wait_for "$WAIT_TIMEOUT" not_running "$pid"
	wait "$pid" || true
	untrack "$pid"
	! grep -q "asked again" "$T/svd.err" || fail "$(cat "$T/svd.err")"
}

# Without -s, a container's svd whose default socket another svd answers
# takes one of its own and tells its command through SVD_SOCKET. In a
# private mount namespace with its own /run: the host's is never touched.
test_own_socket_when_the_default_is_taken() {
	if [ "$(id -u)" != 0 ] || ! unshare --mount true 2>/dev/null; then
		echo "skip: needs root and a mount namespace"
		return 77
	fi
	cat >"$T/inside.sh" <<-EOF
	#!/bin/sh
	set -e
	mount -t tmpfs tmpfs /run
	unset SVD_SOCKET
	"$SVD" -S "$T/state1" -u "$T/none" -c /dev/null 2>"$T/first.err" &
	first=\$!
	n=0
	until "$SVCTL" version >/dev/null 2>&1; do
		n=\$((n + 1)); [ \$n -lt 500 ] || exit 90
		sleep 0.02
	done
	"$SVD" -S "$T/state2" -c /dev/null -- /bin/sh -c \
		'echo "\$SVD_SOCKET" > $T/seen; "$SVCTL" is-active main > $T/answer' \
		2>"$T/second.err"
	status=\$?
	kill \$first
	wait \$first || true
	exit \$status
	EOF
	mkdir -p "$T/none"
	expect_code 0 unshare --mount --propagation private /bin/sh "$T/inside.sh"
	grep -q "^/run/svd/svd-[0-9]*\.sock$" "$T/seen" || fail "SVD_SOCKET: $(cat "$T/seen")"
	expect_eq "svctl from the command" active "$(cat "$T/answer")"
	grep -q "control socket /run/svd/svd-" "$T/second.err" ||
		fail "not said: $(cat "$T/second.err")"
}

# An essential side service (FailureAction=exit) that fails ends the
# container: the command is stopped, svd exits with the service's status
# or FailureActionExitStatus=, and OnFailure= units run first.
test_essential_side_service_ends_the_container() {
	mkdir -p "$T/side"
	cat >"$T/side/db.service" <<-EOF
	[Unit]
	FailureAction=exit
	OnFailure=alarm.service
	[Service]
	ExecStart=/bin/sh -c 'while [ ! -e $T/crash ]; do sleep 0.02; done; exit 3'
	EOF
	cat >"$T/side/alarm.service" <<-EOF
	[Service]
	Type=oneshot
	ExecStart=/bin/sh -c 'echo rang > $T/alarm'
	EOF
	"$SVD" -u "$T/side" -s "$T/control.sock" -S "$T/state" -- /bin/sleep 1000 \
		2>"$T/svd.err" &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" "$SVCTL" -s "$T/control.sock" is-active db
	touch "$T/crash"
	wait_for "$WAIT_TIMEOUT" not_running "$pid" || fail "the container went on"
	wait "$pid" && status=0 || status=$?
	untrack "$pid"
	expect_eq "exit status (db's)" 3 "$status"
	grep -q "db.service: FailureAction=exit: svd exits with 3" "$T/svd.err" ||
		fail "not said: $(cat "$T/svd.err")"
	[ -s "$T/alarm" ] || fail "OnFailure= did not run"
	! grep -q "asked again" "$T/svd.err" || fail "$(cat "$T/svd.err")"

}

# FailureActionExitStatus=, and a start limit hit counts as failing; as
# a subreaper and as PID 1.
check_failure_action_exit_status() {
	mkdir -p "$T/side"
	cat >"$T/side/db.service" <<-EOF
	[Unit]
	FailureAction=exit
	FailureActionExitStatus=42
	StartLimitBurst=3
	StartLimitIntervalSec=60
	[Service]
	ExecStart=/bin/false
	Restart=always
	RestartSec=0
	EOF
	expect_code 42 "$1" -u "$T/side" -- /bin/sleep 1000
	grep -q "start limit\|start-limit" "$T/err" || fail "no start limit said: $(cat "$T/err")"
}

test_failure_action_exit_status() {
	each_mode check_failure_action_exit_status
}

# SuccessAction=exit: a oneshot that does its job ends the container with 0.
check_success_action_exit() {
	mkdir -p "$T/side"
	cat >"$T/side/job.service" <<-EOF
	[Unit]
	SuccessAction=exit
	[Service]
	Type=oneshot
	ExecStart=/bin/true
	EOF
	expect_code 0 "$1" -u "$T/side" -- /bin/sleep 1000
	grep -q "job.service: SuccessAction=exit: svd exits with 0" "$T/err" ||
		fail "not said: $(cat "$T/err")"
}

test_success_action_exit() {
	each_mode check_success_action_exit
}

# svctl is-system-running as a health check: degraded while a unit is
# failed (exit 1), running once reset (exit 0). restart main is refused
# with the reason; stop main ends the container as main's exit would.
test_health_check_and_main() {
	mkdir -p "$T/side"
	cat >"$T/side/bad.service" <<-EOF
	[Service]
	ExecStart=/bin/false
	EOF
	"$SVD" -u "$T/side" -s "$T/control.sock" -S "$T/state" -- /bin/sleep 1000 &
	pid=$!
	track "$pid"
	local ctl=("$SVCTL" -s "$T/control.sock")
	wait_for "$WAIT_TIMEOUT" eval '[ "$("${ctl[@]}" is-system-running)" = degraded ]' ||
		fail "never degraded: $("${ctl[@]}" is-system-running)"
	expect_code 1 "${ctl[@]}" is-system-running
	"${ctl[@]}" reset-failed
	expect_code 0 "${ctl[@]}" is-system-running
	expect_eq "state" running "$(cat "$T/out")"
	# Past the boot, a unit starting does not make it "starting".
	printf '[Service]\nType=notify\nExecStart=/bin/sleep 1000\n' >"$T/side/slow.service"
	"${ctl[@]}" daemon-reload
	"${ctl[@]}" start slow >/dev/null 2>&1 &
	local starter=$!
	track "$starter"
	wait_for "$WAIT_TIMEOUT" eval '[ "$("${ctl[@]}" is-active slow)" = activating ]'
	expect_code 0 "${ctl[@]}" is-system-running
	"${ctl[@]}" stop slow
	wait "$starter" || true
	untrack "$starter"
	expect_code 1 "${ctl[@]}" restart main
	grep -q "main.service is the container's command" "$T/err" ||
		fail "restart main: $(cat "$T/err")"
	expect_code 0 "${ctl[@]}" is-active main
	"${ctl[@]}" stop main
	wait_for "$WAIT_TIMEOUT" not_running "$pid" || fail "stop main did not end the container"
	wait "$pid" && status=0 || status=$?
	untrack "$pid"
	expect_eq "exit status (sleep killed by TERM)" 143 "$status"
}

# main.service.d/ in a unit directory orders and requires the command:
# it starts once a Type=notify side service said READY=1.
test_main_waits_for_its_sidecar() {
	mkdir -p "$T/side/main.service.d"
	cat >"$T/db.py" <<-EOF
	import os, socket, time
	while not os.path.exists("$T/gate"):
	    time.sleep(0.02)
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.sendto(b"READY=1", os.environ["NOTIFY_SOCKET"])
	time.sleep(1000)
	EOF
	cat >"$T/side/db.service" <<-EOF
	[Service]
	Type=notify
	ExecStart=/usr/bin/python3 $T/db.py
	EOF
	cat >"$T/side/main.service.d/order.conf" <<-EOF
	[Unit]
	After=db.service
	Requires=db.service
	EOF
	cat >"$T/main.sh" <<-EOF
	#!/bin/sh
	"$SVCTL" -s "$T/control.sock" is-active db > $T/db.seen
	exit 4
	EOF
	"$SVD" -u "$T/side" -s "$T/control.sock" -S "$T/state" -- /bin/sh "$T/main.sh" \
		2>"$T/svd.err" &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" eval '[ "$("$SVCTL" -s "$T/control.sock" is-active db)" = activating ]'
	[ ! -e "$T/db.seen" ] || fail "main ran before db was ready"
	touch "$T/gate"
	wait_for "$WAIT_TIMEOUT" not_running "$pid" || fail "svd did not end"
	wait "$pid" && status=0 || status=$?
	untrack "$pid"
	expect_eq "exit status (main's)" 4 "$status"
	expect_eq "db as main saw it" active "$(cat "$T/db.seen")"
}

# main.service.d/ adds Environment= to svd's own and switches User=, as
# docker run -e and -u would.
test_main_dropin_environment_and_user() {
	if [ "$(id -u)" != 0 ]; then
		echo "skip: needs root to switch users"
		return 77
	fi
	mkdir -p "$T/side/main.service.d"
	printf '[Service]\nEnvironment=FOO=bar HOME=/nowhere\nUser=nobody\n' \
		>"$T/side/main.service.d/env.conf"
	X=kept expect_code 0 svd_cmd -u "$T/side" -- /bin/sh -c \
		'echo "$FOO $HOME $X $(id -un)"'
	expect_eq "the command's environment and user" "bar /nowhere kept nobody" \
		"$(cat "$T/out")"
}

# SIGTERM while the command still waits for its sidecar: it never runs,
# svd exits 143 as if it had died of it.
test_sigterm_while_main_waits() {
	mkdir -p "$T/side/main.service.d"
	cat >"$T/side/db.service" <<-EOF
	[Service]
	Type=notify
	ExecStart=/bin/sleep 1000
	EOF
	printf '[Unit]\nAfter=db.service\nRequires=db.service\n' \
		>"$T/side/main.service.d/order.conf"
	"$SVD" -u "$T/side" -s "$T/control.sock" -S "$T/state" \
		-- /bin/sh -c "touch $T/main.ran" 2>"$T/svd.err" &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" eval '[ "$("$SVCTL" -s "$T/control.sock" is-active db)" = activating ]'
	kill -TERM "$pid"
	wait_for "$WAIT_TIMEOUT" not_running "$pid" || fail "svd did not end"
	wait "$pid" && status=0 || status=$?
	untrack "$pid"
	expect_eq "exit status" 143 "$status"
	[ ! -e "$T/main.ran" ] || fail "main ran"
	! grep -q "asked again" "$T/svd.err" || fail "asked once: $(cat "$T/svd.err")"
}

# A side service whose start fails for a dependency has not failed on
# its own (systemd leaves it inactive): its FailureAction= stays quiet.
test_dependency_failure_is_no_failure_action() {
	mkdir -p "$T/side"
	printf '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/false\n' \
		>"$T/side/broken.service"
	printf '[Unit]\nRequires=broken.service\nAfter=broken.service\nFailureAction=exit\nFailureActionExitStatus=9\n[Service]\nExecStart=/bin/sleep 1000\n' \
		>"$T/side/x.service"
	cat >"$T/main.sh" <<-EOF
	#!/bin/sh
	# x's start failed with broken's: had that been x's own failure, the
	# shutdown would have begun by the time svctl says so.
	while [ "\$("$SVCTL" -s "$T/control.sock" is-active x)" != failed ]; do
		sleep 0.02
	done
	exit 7
	EOF
	expect_code 7 svd_cmd -u "$T/side" -- /bin/sh "$T/main.sh"
	! grep -q "x.service: FailureAction" "$T/err" || fail "$(cat "$T/err")"
}

# What makes main.service the container's command is not a drop-in's to
# change (Restart=always would run it forever); a false condition skips
# it, said, with 0.
test_main_dropin_limits() {
	mkdir -p "$T/side/main.service.d"
	printf '[Service]\nRestart=always\nExecStartPre=/bin/false\n' \
		>"$T/side/main.service.d/bad.conf"
	expect_code 3 svd_cmd -u "$T/side" -- /bin/sh -c 'exit 3'
	grep -q "do not apply to the container's command: ignored" "$T/err" ||
		fail "not said: $(cat "$T/err")"
	printf '[Unit]\nConditionPathExists=%s/nonexistent\n' "$T" \
		>"$T/side/main.service.d/bad.conf"
	expect_code 0 svd_cmd -u "$T/side" -- /bin/sh -c "touch $T/main.ran"
	[ ! -e "$T/main.ran" ] || fail "main ran"
	grep -q "main.service not started: .*ConditionPathExists" "$T/err" ||
		fail "not said: $(cat "$T/err")"
}

# OnSuccess=/OnFailure= start nothing once svd is shutting down; and a
# failure followed by a restart in the same turn still counts (OnFailure=).
test_triggers_and_shutdown() {
	mkdir -p "$T/side"
	cat >"$T/side/a.service" <<-EOF
	[Unit]
	OnSuccess=b.service
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	cat >"$T/side/b.service" <<-EOF
	[Unit]
	[Service]
	Type=oneshot
	ExecStart=/bin/sh -c 'echo ran >> $T/b.ran'
	EOF
	cat >"$T/side/stubborn.service" <<-EOF
	[Unit]
	OnFailure=c.service
	[Service]
	ExecStart=/bin/sh -c 'trap "" TERM; while :; do sleep 0.05; done'
	TimeoutStopSec=1
	EOF
	cat >"$T/side/c.service" <<-EOF
	[Service]
	Type=oneshot
	ExecStart=/bin/sh -c 'echo ran >> $T/c.ran'
	EOF
	"$SVD" -u "$T/side" -s "$T/control.sock" -S "$T/state" -- /bin/sleep 1000 \
		2>"$T/svd.err" &
	pid=$!
	track "$pid"
	local ctl=("$SVCTL" -s "$T/control.sock")
	wait_for "$WAIT_TIMEOUT" "${ctl[@]}" is-active stubborn
	# b and c are enabled: each runs once at boot.
	wait_for "$WAIT_TIMEOUT" test -s "$T/b.ran"
	wait_for "$WAIT_TIMEOUT" test -s "$T/c.ran"
	# The stop times out and fails; the restart's start comes in the
	# same turn of the loop: the failure still runs OnFailure=.
	"${ctl[@]}" restart stubborn || true
	wait_for "$WAIT_TIMEOUT" eval '[ "$(wc -l <"$T/c.ran")" -eq 2 ]' ||
		fail "OnFailure= did not run: $(cat "$T/c.ran")"
	kill -TERM "$pid"
	wait_for "$WAIT_TIMEOUT" not_running "$pid" || fail "svd did not end"
	wait "$pid" || true
	untrack "$pid"
	expect_eq "b's runs (OnSuccess= while shutting down: none)" 1 "$(wc -l <"$T/b.ran")"
}

# A sidecar main requires fails before main starts: svd exits 1 and
# says which.
test_required_sidecar_failing_ends_before_main() {
	mkdir -p "$T/side/main.service.d"
	cat >"$T/side/db.service" <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	ExecStart=/bin/false
	EOF
	cat >"$T/side/main.service.d/order.conf" <<-EOF
	[Unit]
	After=db.service
	Requires=db.service
	EOF
	expect_code 1 timeout 30 "$SVD" -u "$T/side" -s "$T/control.sock" \
		-S "$T/state" -- /bin/sh -c "touch $T/main.ran"
	[ ! -e "$T/main.ran" ] || fail "main ran"
	grep -q "main.service not started: .*db.service" "$T/err" ||
		fail "not said: $(cat "$T/err")"
	# A drop-in's error names its file and line; the rest applies.
	rm "$T/side/db.service"
	printf '[Unit]\nFailureAction=explode\n' >"$T/side/main.service.d/bad.conf"
	printf '[Unit]\nRequires=\nAfter=\n' >"$T/side/main.service.d/order.conf"
	expect_code 0 timeout 30 "$SVD" -u "$T/side" -s "$T/control.sock" \
		-S "$T/state" -- /bin/true
	grep -q "main.service.d/bad.conf:2: FailureAction=explode: invalid value" "$T/err" ||
		fail "not named: $(cat "$T/err")"
}

test_signal_during_start_not_lost() {
	# svd and so the command start with SIGUSR1 blocked; the command waits
	# for it (bounded). Whether it arrives before or after exec, it must
	# reach the command.
	cat >"$T/waiter.py" <<-'EOF'
	import signal, sys
	got = signal.sigtimedwait([signal.SIGUSR1], 10)
	sys.exit(0 if got else 9)
	EOF
	# A pending blocked signal survives exec: once the wrapper says it is
	# blocked, USR1 can be sent at any moment of svd's start.
	python3 -c '
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
open(sys.argv[1], "w").close()
os.execv(sys.argv[2], sys.argv[2:])
' "$T/blocked" "$SVD" -s "$T/control.sock" -S "$T/state" -- python3 "$T/waiter.py" &
	pid=$!
	track "$pid"
	wait_for "$WAIT_TIMEOUT" test -e "$T/blocked"
	kill -USR1 "$pid"
	wait "$pid" && status=0 || status=$?
	expect_eq "exit status (0: the command got SIGUSR1)" 0 "$status"
}

test_nohup_keeps_sighup_ignored() {
	nohup "$SVD" -s "$T/control.sock" -S "$T/state" -- /bin/sh -c \
		'grep SigIgn /proc/self/status' >"$T/ign" 2>/dev/null
	mask=$(awk '{print $2}' "$T/ign")
	# SIGHUP is bit 0 of the ignored mask.
	[ $((0x$mask & 1)) = 1 ] || fail "SIGHUP not ignored in the command: $mask"
}

test_terminal_foreground() {
	if ! command -v script >/dev/null; then
		echo "skip: script(1) not installed"
		return 77
	fi
	# On a new pseudo-terminal, the command's group is the foreground one.
	script -qec "$SVD -s $T/control.sock -S $T/state -- /bin/sh -c 'ps -o pgid=,tpgid= -p \$\$'" \
		/dev/null </dev/null >"$T/tty"
	read -r pgid tpgid < <(tr -d '\r' <"$T/tty" | tail -n 1)
	[ -n "$pgid" ] && [ "$pgid" = "$tpgid" ] || fail "pgid/tpgid: $(cat "$T/tty")"
}

test_no_cpu_while_idle() {
	"$SVD" -s "$T/control.sock" -S "$T/state" -- /bin/sleep 1000 &
	pid=$!
	track "$pid"
	# Idle: blocked in epoll_wait (syscall 232 on x86-64) with no timer.
	idle() {
		set -- $(cat "/proc/$pid/syscall" 2>/dev/null)
		[ "$1" = 232 ] && [ $(($5)) -gt 3600000 ]
	}
	if [ "$(uname -m)" != x86_64 ]; then
		kill -TERM "$pid"; wait "$pid" || true
		echo "skip: syscall number check is for x86_64"
		return 77
	fi
	wait_for "$WAIT_TIMEOUT" idle || fail "not idle: $(cat /proc/$pid/syscall)"
	before=$(grep voluntary_ctxt_switches "/proc/$pid/status")
	sleep 1	# a window to watch, not a synchronisation
	after=$(grep voluntary_ctxt_switches "/proc/$pid/status")
	expect_eq "wake-ups in 1 s" "$before" "$after"
	kill -TERM "$pid"
	wait "$pid" || true
}

test_usage_errors() {
	expect_code 2 "$SVD" --
	grep -q "must be followed by a command" "$T/err" || fail "$(cat "$T/err")"
	expect_code 2 "$SVD" --stop-timeout soon -- /bin/true
	expect_code 2 "$SVD" --kill-grace infinity -- /bin/true
	grep -q "svd: --kill-grace infinity: expected a time span" "$T/err" || fail "$(cat "$T/err")"
	expect_code 2 "$SVD" /bin/true
}

run_tests
