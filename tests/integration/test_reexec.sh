#!/usr/bin/env bash
# svctl daemon-reexec: svd execs its binary anew and takes over its own
# state: the same pids, counters and timers, no log line lost, sockets
# still listening, orphans still reaped; a binary that cannot read the
# state is refused, and a state the new svd rejects sends it back to the
# old one. (As PID 1: test_board.sh, test_reexec_as_init.)
. "$(dirname "$0")/lib.sh"

now_ns() {
	date +%s%N
}

# reexec: asks for it and waits until the new svd answers.
reexec() {
	svctl daemon-reexec || fail "daemon-reexec failed: $(cat "$T/svd.log" | tail -5)"
	wait_for "$WAIT_TIMEOUT" svctl version
}

svd_cmdline() {
	tr '\0' ' ' <"/proc/$SVD_PID/cmdline"
}

# lines_at_least FILE N
lines_at_least() {
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]
}

# prop_at_least UNIT KEY N
prop_at_least() {
	[ "$(prop "$1" "$2")" -ge "$3" ]
}

# count_at_least FILE ERE N: lines matching ERE.
count_at_least() {
	[ "$(grep -cE -- "$2" "$1" 2>/dev/null)" -ge "$3" ]
}

RAW="python3 $(dirname "$0")/rawclient.py"

# svd's count of orphans reaped (the version reply has it).
orphans_reaped() {
	$RAW "$T/control.sock" send 'version\n' | sed -n 's/^OrphansReaped=//p'
}

orphans_at_least() {
	[ "$(orphans_reaped)" -ge "$1" ]
}

# elapsed_since NS SECONDS: at least SECONDS have passed since NS.
elapsed_since() {
	[ $(( $(now_ns) - $1 )) -ge $(( $2 * 1000000000 )) ]
}

test_pids_counters_and_timers_kept() {
	unit run.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	# Each start writes its time: the gap between two starts is the
	# restart timer, whether or not a re-exec came in the middle.
	unit crash.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'date +%%s%%N >>$T/crash.starts; exit 3'
	Restart=always
	RestartSec=6
	StartLimitBurst=0
	EOF
	unit slow.service <<-EOF
	[Service]
	Type=notify
	ExecStart=/bin/sh -c 'date +%%s%%N >$T/slow.start; exec sleep 1000'
	TimeoutStartSec=6
	EOF
	# Never pings: its keep-alive clock runs out 6 s after the start.
	unit dog.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'date +%%s%%N >$T/dog.start; exec sleep 1000'
	WatchdogSec=6
	EOF
	svd_start
	wait_state run.service running
	wait_for "$WAIT_TIMEOUT" test -s "$T/slow.start"
	wait_for "$WAIT_TIMEOUT" test -s "$T/dog.start"
	wait_for "$WAIT_TIMEOUT" state_is crash.service auto-restart
	local pid restarts first slow_start
	pid=$(prop run.service MainPID)
	restarts=$(prop crash.service NRestarts)
	first=$(tail -n 1 "$T/crash.starts")
	slow_start=$(cat "$T/slow.start")
	# Two thirds into both timers: a timer started over would come
	# 4 s late, far more than a loaded machine's delay.
	wait_for 10 elapsed_since "$first" 4
	reexec
	svd_alive || fail "svd is gone"
	expect_eq "run's pid" "$pid" "$(prop run.service MainPID)"
	expect_eq "run's state" running "$(prop run.service State)"
	expect_eq "crash's restarts" "$restarts" "$(prop crash.service NRestarts)"
	expect_eq "slow's state" start "$(prop slow.service State)"
	grep -q "reexec-state=" "/proc/$SVD_PID/cmdline" ||
		fail "svd was not re-executed: $(svd_cmdline)"
	# The restart timer went on with the time it had left: the next start
	# is 6 s after the last, not 6 s after the re-exec (10 s).
	wait_for 15 lines_at_least "$T/crash.starts" 2
	local second gap_ms
	second=$(sed -n 2p "$T/crash.starts")
	gap_ms=$(( (second - first) / 1000000 ))
	[ "$gap_ms" -ge 5900 ] && [ "$gap_ms" -lt 8500 ] ||
		fail "restart came ${gap_ms} ms after the last start (RestartSec=6)"
	expect_eq "crash's restarts" "$((restarts + 1))" "$(prop crash.service NRestarts)"
	# The start timeout too: failed 6 s after its start.
	wait_state slow.service failed
	local failed_us
	failed_us=$(prop slow.service StateChangeTimestampUSec)
	gap_ms=$(( (failed_us - slow_start / 1000) / 1000 ))
	[ "$gap_ms" -ge 5900 ] && [ "$gap_ms" -lt 8500 ] ||
		fail "start timeout came ${gap_ms} ms after the start (TimeoutStartSec=6)"
	expect_eq "slow's result" timeout "$(prop slow.service Result)"
	# And the watchdog.
	wait_state dog.service failed
	expect_eq "dog's result" watchdog "$(prop dog.service Result)"
	failed_us=$(prop dog.service StateChangeTimestampUSec)
	gap_ms=$(( (failed_us - $(cat "$T/dog.start") / 1000) / 1000 ))
	[ "$gap_ms" -ge 5900 ] && [ "$gap_ms" -lt 8500 ] ||
		fail "watchdog came ${gap_ms} ms after the start (WatchdogSec=6)"
}

# The issue's picture: 100 running services, a notify service mid-start,
# a restart pending and a follower attached, all across one re-exec.
test_hundred_services() {
	local i
	for i in $(seq 1 100); do
		printf '[Service]\nExecStart=/bin/sleep 1000\n' >"$T/units/s$i.service"
	done
	unit mid.service <<-'EOF'
	[Service]
	Type=notify
	ExecStart=/bin/sleep 1000
	TimeoutStartSec=60
	EOF
	unit again.service <<-'EOF'
	[Service]
	ExecStart=/bin/sh -c 'exit 1'
	Restart=always
	RestartSec=30
	EOF
	svd_start
	for i in $(seq 1 100); do
		wait_state "s$i.service" running
	done
	wait_state mid.service start
	wait_state again.service auto-restart
	svctl logs -f s1.service >/dev/null 2>&1 &
	local follower=$!
	track "$follower"
	svctl show $(seq -f 's%g.service' 1 100) mid.service again.service |
		grep -E '^(Id|MainPID|NRestarts|State)=' >"$T/before"
	reexec
	svctl show $(seq -f 's%g.service' 1 100) mid.service again.service |
		grep -E '^(Id|MainPID|NRestarts|State)=' >"$T/after"
	cmp -s "$T/before" "$T/after" ||
		fail "changed across the re-exec: $(diff "$T/before" "$T/after" | head -6)"
	kill -0 "$follower" || fail "the follower exited"
	kill "$follower"
	wait "$follower" 2>/dev/null || true
	untrack "$follower"
}

test_crashing_service_across_reexecs() {
	unit crash.service <<-'EOF'
	[Service]
	ExecStart=/bin/sh -c 'sleep 0.05; exit 1'
	Restart=always
	RestartSec=20ms
	StartLimitBurst=0
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" prop_at_least crash.service NRestarts 3
	local i before
	for i in 1 2 3 4 5; do
		before=$(prop crash.service NRestarts)
		reexec
		local after
		after=$(prop crash.service NRestarts)
		[ "$after" -ge "$before" ] ||
			fail "restart count went back from $before to $after"
	done
	# It goes on crashing and restarting: its exits are all heard.
	before=$(prop crash.service NRestarts)
	wait_for "$WAIT_TIMEOUT" prop_at_least crash.service NRestarts $((before + 3))
	! grep -q BUG "$T/svd.log" || fail "svd logged a BUG"
}

# Every numbered line a service writes while svd re-executes three times
# reaches its log file, once and in order: stdout, and stderr through a
# pipe of its own (StandardError=journal).
test_no_log_line_lost() {
	cat >"$T/writer.sh" <<-'EOF'
	i=1
	while [ $i -le 6000 ]; do
		echo "n $i"
		echo "e $i" >&2
		[ $((i % 200)) = 0 ] && sleep 0.05
		i=$((i + 1))
	done
	exec sleep 1000
	EOF
	unit writer.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/writer.sh
	StandardError=journal
	EOF
	svd_start
	local at
	for at in 500 2000 3500; do
		wait_for 20 count_at_least "$T/log/writer.log" ' stdout: n ' "$at"
		reexec
	done
	wait_for 30 grep -q ' stdout: n 6000$' "$T/log/writer.log"
	sed -En 's/^.* stdout: n ([0-9]+)$/\1/p' "$T/log/writer.log" >"$T/got"
	seq 1 6000 >"$T/want"
	cmp -s "$T/want" "$T/got" ||
		fail "lines lost or repeated: $(diff "$T/want" "$T/got" | head -5)"
	wait_for 30 grep -q ' stderr: e 6000$' "$T/log/writer.log"
	sed -En 's/^.* stderr: e ([0-9]+)$/\1/p' "$T/log/writer.log" >"$T/got"
	cmp -s "$T/want" "$T/got" ||
		fail "stderr lines lost or repeated: $(diff "$T/want" "$T/got" | head -5)"
	# The ring too: svctl logs shows the last lines whole (the two pipes
	# are read in batches of their own: the last stderr line may be
	# some way before the last stdout line).
	svctl logs writer.service -n 300 >"$T/tail"
	grep -q 'stdout: n 6000' "$T/tail" && grep -q 'stderr: e 6000' "$T/tail" ||
		fail "the ring lacks the last lines: $(cat "$T/tail")"
}

# svctl logs -f and svctl monitor go on across re-execs: told to, they
# connect again.
test_follower_and_monitor_reconnect() {
	cat >"$T/tick.sh" <<-'EOF'
	i=1
	while :; do echo "tick $i"; i=$((i + 1)); sleep 0.05; done
	EOF
	unit tick.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/tick.sh
	EOF
	unit other.service <<-'EOF'
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state tick.service running
	svctl logs -f tick.service >"$T/follow.out" 2>"$T/follow.err" &
	local follower=$!
	track "$follower"
	svctl monitor >"$T/monitor.out" 2>"$T/monitor.err" &
	local monitor=$!
	track "$monitor"
	wait_for "$WAIT_TIMEOUT" grep -q "tick" "$T/follow.out"
	reexec
	reexec
	local last
	last=$(sed -n 's/.*tick \([0-9]*\)$/\1/p' "$T/follow.out" | tail -n 1)
	wait_for "$WAIT_TIMEOUT" grep -q "tick $((last + 5))\$" "$T/follow.out" ||
		fail "the follower stopped: $(tail -n 3 "$T/follow.out") $(cat "$T/follow.err")"
	svctl stop other.service
	wait_for "$WAIT_TIMEOUT" grep -q "other.service" "$T/monitor.out" ||
		fail "the monitor stopped: $(cat "$T/monitor.out" "$T/monitor.err")"
	kill -0 "$follower" || fail "svctl logs -f exited: $(cat "$T/follow.err")"
	kill -0 "$monitor" || fail "svctl monitor exited: $(cat "$T/monitor.err")"
	kill "$follower" "$monitor"
	wait "$follower" "$monitor" 2>/dev/null || true
	untrack "$follower" "$monitor"
}

test_socket_listener_survives() {
	command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
	unit echo.socket <<-EOF
	[Socket]
	ListenStream=$T/echo.sock
	EOF
	unit echo.service <<-'EOF'
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state echo.socket exited
	# Started at boot with its socket: stopped, the socket starts it.
	wait_state echo.service running
	svctl stop echo.service
	local inode
	inode=$(stat -c %i "$T/echo.sock")
	reexec
	expect_eq "the socket file" "$inode" "$(stat -c %i "$T/echo.sock")"
	expect_eq "the socket's state" listening "$(prop echo.socket SubState)"
	expect_eq "its service" inactive "$(prop echo.service State)"
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])' "$T/echo.sock" || fail "connect failed"
	# The connection is seen by the new svd: the service starts.
	wait_state echo.service running
}

test_orphans_reaped() {
	# Grandchildren that outlive their parent come to svd (a
	# subreaper) and end while it re-executes.
	unit spawner.service <<-'EOF'
	[Service]
	ExecStart=/bin/sh -c 'while :; do (sleep 0.03 &); sleep 0.01; done'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" orphans_at_least 10
	local i
	for i in 1 2 3; do
		reexec
	done
	svctl stop spawner.service
	wait_for "$WAIT_TIMEOUT" no_zombies_of "$SVD_PID" ||
		fail "zombies left: $(zombies_of "$SVD_PID")"
}

# svd started from a copy of its binary; the copy is then replaced by
# one that cannot read this state format.
test_version_skew_refused() {
	mkdir -p "$T/bin"
	cp "$SVD" "$T/bin/svd"
	unit run.service <<-'EOF'
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	SVD=$T/bin/svd svd_start
	wait_state run.service running
	local pid
	pid=$(prop run.service MainPID)
	cat >"$T/bin/svd.new" <<-'EOF'
	#!/bin/sh
	echo "svd-state 7 9"
	EOF
	chmod +x "$T/bin/svd.new"
	mv "$T/bin/svd.new" "$T/bin/svd"
	expect_code 1 svctl daemon-reexec
	grep -q "cannot read this svd's state" "$T/err" ||
		fail "no reason given: $(cat "$T/err")"
	svd_alive || fail "svd is gone"
	svctl version >/dev/null || fail "svd does not answer"
	! grep -q "reexec-state=" "/proc/$SVD_PID/cmdline" ||
		fail "svd re-executed anyway"
	expect_eq "run's pid" "$pid" "$(prop run.service MainPID)"
	# A binary that is no svd at all: refused the same way.
	printf '#!/bin/sh\nexit 2\n' >"$T/bin/svd.new"
	chmod +x "$T/bin/svd.new"
	mv "$T/bin/svd.new" "$T/bin/svd"
	expect_code 1 svctl daemon-reexec
	svctl version >/dev/null || fail "svd does not answer"
}

# svd's own manager (systemd) keeps getting keep-alives from the new svd,
# and no service sees svd's NOTIFY_SOCKET.
test_upstream_manager_kept() {
	unit one.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo "[\${NOTIFY_SOCKET:-}\${WATCHDOG_USEC:-}]" >>$T/env; exec sleep 1000'
	EOF
	python3 "$(dirname "$0")/notifytool.py" manager "$T/manager.sock" "$T/told" 30 &
	local listener=$!
	track "$listener"
	wait_for "$WAIT_TIMEOUT" test -S "$T/manager.sock"
	NOTIFY_SOCKET=$T/manager.sock WATCHDOG_USEC=200000 svd_start
	wait_for "$WAIT_TIMEOUT" grep -q "READY=1" "$T/told"
	reexec
	: >"$T/told"
	wait_for "$WAIT_TIMEOUT" grep -q "^WATCHDOG=1$" "$T/told" ||
		fail "no keep-alive after the re-exec"
	svctl restart one.service
	wait_for "$WAIT_TIMEOUT" lines_at_least "$T/env" 2
	expect_eq "what one.service sees" "[]" "$(sort -u "$T/env")"
	svd_stop
	wait_for "$WAIT_TIMEOUT" grep -q "STOPPING=1" "$T/told"
	kill "$listener" 2>/dev/null || true
	wait "$listener" 2>/dev/null || true
	untrack "$listener"
}

# The new svd rejects the state (the test hook): it goes back to the old
# binary, which takes its state over again; nothing was applied twice.
test_rejected_state_goes_back() {
	unit run.service <<-'EOF'
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	SVD_TEST_REJECT_STATE=1 svd_start
	wait_state run.service running
	local pid
	pid=$(prop run.service MainPID)
	reexec
	grep -q "going back to the svd that was running" "$T/svd.log" ||
		fail "svd did not say it went back"
	grep -q "reexec-state=.*,back" "/proc/$SVD_PID/cmdline" ||
		fail "not the old binary sent back to: $(svd_cmdline)"
	expect_eq "run's pid" "$pid" "$(prop run.service MainPID)"
	expect_eq "run's state" running "$(prop run.service State)"
	svctl stop run.service
	wait_state run.service inactive
}

# A request still waiting for its service is answered before the exec
# (the start goes on in the new svd).
test_waiting_client_answered() {
	unit slow.service <<-'EOF'
	[Service]
	Type=notify
	ExecStart=/bin/sleep 1000
	TimeoutStartSec=60
	EOF
	svd_start
	svctl start slow.service >"$T/start.out" 2>&1 &
	local client=$!
	track "$client"
	wait_state slow.service start
	reexec
	wait_for "$WAIT_TIMEOUT" not_running "$client" ||
		fail "the waiting svctl start was not answered"
	local status=0
	wait "$client" || status=$?
	untrack "$client"
	expect_eq "svctl start's exit status" 1 "$status"
	grep -q "re-executes" "$T/start.out" || fail "no reason: $(cat "$T/start.out")"
	expect_eq "slow's state" start "$(prop slow.service State)"
}

test_container_mode() {
	unit side.service <<-'EOF'
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	"$SVD" -u "$T/units" -s "$T/control.sock" -S "$T/state" -L "$T/log" \
		-c "$T/svd.conf" -- /bin/sleep 1000 \
		>>"$T/svd.log" 2>&1 &
	SVD_PID=$!
	wait_for "$WAIT_TIMEOUT" svctl version
	wait_state side.service running
	local main side
	main=$(prop main.service MainPID)
	side=$(prop side.service MainPID)
	reexec
	expect_eq "the command's pid" "$main" "$(prop main.service MainPID)"
	expect_eq "side's pid" "$side" "$(prop side.service MainPID)"
	# The command ends: svd exits with its status, as before.
	kill "$main"
	local status=0
	wait_for "$WAIT_TIMEOUT" not_running "$SVD_PID"
	wait "$SVD_PID" || status=$?
	SVD_PID=
	expect_eq "svd's exit status" 143 "$status"
}

# A server-mode svd killed with SIGKILL leaves its services running; the
# next one on the same state directory adopts them instead of starting
# copies, and stops them as usual.
test_adopt_after_crash() {
	# Each start of it writes a line: one line, one copy.
	unit run.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo \$\$ >>$T/run.starts; exec sleep 1000'
	EOF
	unit other.service <<-'EOF'
	[Service]
	ExecStart=/bin/sleep 1001
	EOF
	svd_start
	wait_state run.service running
	wait_state other.service running
	local pid other
	pid=$(prop run.service MainPID)
	other=$(prop other.service MainPID)
	track "$pid"
	track "$other"
	# Stopped since: not adopted, though it may still be in the file.
	svctl stop other.service
	wait_for "$WAIT_TIMEOUT" grep -q "^run.service $pid " "$T/state/running"
	kill -KILL "$SVD_PID"
	wait "$SVD_PID" 2>/dev/null || true
	SVD_PID=
	kill -0 "$pid" || fail "the service died with svd"
	svd_start
	expect_eq "run's pid" "$pid" "$(prop run.service MainPID)"
	expect_eq "run's state" running "$(prop run.service State)"
	expect_eq "run's cause" adopted "$(prop run.service StateCause)"
	# The boot's start jobs have run: other.service is up again.
	wait_state other.service running
	expect_eq "starts of run.service" 1 "$(wc -l <"$T/run.starts")"
	svctl status run.service | grep -q "output is not captured" ||
		fail "status does not say its output is lost"
	# other.service was stopped before the crash: started afresh.
	[ "$(prop other.service MainPID)" != "$other" ] || fail "other was adopted"
	svctl stop run.service
	wait_for "$WAIT_TIMEOUT" not_running "$pid" || fail "the adopted process still runs"
	expect_eq "run's state" inactive "$(prop run.service State)"
	svctl show run.service | grep -q '^StateCause=adopted-gone' ||
		svctl show run.service | grep -q '^StateCause=stop-request' ||
		fail "stop's cause: $(prop run.service StateCause)"
	untrack "$pid" "$other"
}

# A clean stop leaves nothing to adopt.
test_adopt_file_removed_at_clean_stop() {
	unit run.service <<-'EOF'
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state run.service running
	wait_for "$WAIT_TIMEOUT" test -s "$T/state/running"
	svd_stop
	[ ! -e "$T/state/running" ] || fail "the running file is left"
}

run_tests
