#!/usr/bin/env bash
# Start, stop, restart, status, list, show, is-active and their exit codes.
. "$(dirname "$0")/lib.sh"

test_start_stop_status() {
	unit sleeper.service <<-EOF
	[Unit]
	Description=Sleeps a long time
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state sleeper running
	svctl status sleeper >"$T/status"
	grep -q "sleeper.service - Sleeps a long time" "$T/status" || fail "status header"
	grep -q "Active: active (running)" "$T/status" || fail "status active line"
	grep -q "Main PID: [0-9]" "$T/status" || fail "status main pid"
	grep -q "Cause: started (exec succeeded)" "$T/status" || fail "status cause"
	grep -q "Command: /bin/sleep 1000" "$T/status" || fail "status command"
	expect_code 0 svctl is-active sleeper
	expect_eq is-active active "$(cat "$T/out")"
	pid=$(prop sleeper MainPID)
	kill -0 "$pid"
	expect_code 0 svctl stop sleeper
	expect_eq state inactive "$(prop sleeper State)"
	! kill -0 "$pid" 2>/dev/null || fail "main process still alive after stop"
	expect_code 3 svctl is-active sleeper
	expect_eq is-active inactive "$(cat "$T/out")"
	expect_code 3 svctl status sleeper
	expect_code 0 svctl start sleeper.service
	expect_eq state running "$(prop sleeper State)"
	old=$(prop sleeper MainPID)
	expect_code 0 svctl restart sleeper
	new=$(prop sleeper MainPID)
	[ "$old" != "$new" ] || fail "restart kept pid $old"
	svd_alive
}

test_exit_codes() {
	unit a.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	expect_code 4 svctl status nosuch
	grep -q "nosuch" "$T/err" || fail "error names the unit"
	expect_code 4 svctl start nosuch
	expect_code 2 svctl frobnicate a
	expect_code 2 svctl start
	expect_code 5 "$SVCTL" -s "$T/nope.sock" status a
	svd_alive
}

test_list_and_json() {
	unit a.service <<-EOF
	[Unit]
	Description=First
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit b.service <<-EOF
	[Service]
	Type=oneshot
	ExecStart=/bin/true
	EOF
	svd_start
	wait_state a running
	wait_state b inactive
	svctl list >"$T/list"
	grep -q "^UNIT" "$T/list" || fail "list header"
	grep -Eq "^a.service +loaded +active +running +First" "$T/list" || fail "list row a"
	grep -Eq "^b.service +loaded +inactive +dead" "$T/list" || fail "list row b"
	svctl --json list | python3 -c '
import json, sys
units = {u["Id"]: u for u in json.load(sys.stdin)}
assert units["a.service"]["ActiveState"] == "active", units
assert units["b.service"]["SubState"] == "dead", units
'
	svctl --json status a | python3 -c '
import json, sys
u = json.load(sys.stdin)
assert u["Id"] == "a.service" and int(u["MainPID"]) > 0, u
assert u["ExecStart"] == ["/bin/sleep 1000"], u
'
	svctl --json show a b | python3 -c '
import json, sys
assert [u["Id"] for u in json.load(sys.stdin)] == ["a.service", "b.service"]
'
	svctl show a >"$T/show"
	for key in Id Description LoadState ActiveState SubState MainPID NRestarts Result StatusText; do
		grep -q "^$key=" "$T/show" || fail "show lacks $key"
	done
}

# svd.conf's DefaultTimeoutStopSec=/DefaultTimeoutStartSec= (systemd's
# 90 s, say) are what a unit gets that sets none; a unit's own wins.
test_default_timeouts_from_svd_conf() {
	printf '[Manager]\nDefaultTimeoutStopSec=90s\nDefaultTimeoutStartSec=infinity\n' >"$T/svd.conf"
	unit plain.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit own.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	TimeoutStopSec=5s
	EOF
	svd_start
	expect_eq "default stop timeout" 90000000 "$(prop plain TimeoutStopUSec)"
	expect_eq "default start timeout" 18446744073709551615 "$(prop plain TimeoutStartUSec)"
	expect_eq "the unit's own" 5000000 "$(prop own TimeoutStopUSec)"
}

test_sigterm_stops_everything() {
	for n in 1 2 3; do
		unit "s$n.service" <<-EOF
		[Service]
		ExecStart=/bin/sleep 1000
		EOF
	done
	svd_start
	pids=
	for n in 1 2 3; do
		wait_state "s$n" running
		pids="$pids $(prop "s$n" MainPID)"
	done
	svd_stop || fail "svd exited non-zero on SIGTERM"
	for pid in $pids; do
		! kill -0 "$pid" 2>/dev/null || fail "service $pid survived svd's shutdown"
	done
}

# An svd.conf at a path over 2 KiB with bad lines: svd names the whole
# path and each line, and runs (issue 11: the message overflowed a 1 KiB
# stack buffer).
test_long_config_path() {
	local dir="$T" part conf
	part=$(printf '%0200d' 0)
	while [ ${#dir} -le 2048 ]; do
		dir="$dir/$part"
	done
	mkdir -p "$dir"
	conf="$dir/svd.conf"
	printf '[Log]\nno equals sign\nConsole=maybe\n' >"$conf"
	unit a.service <<-EOF
	[Service]
	ExecStart=sleep 1000
	EOF
	svd_start -c "$conf"
	wait_state a running
	grep -qF "$conf:2: expected KEY=VALUE" "$T/svd.log" ||
		fail "svd's log lacks '$conf:2: ...'"
	grep -qF "$conf:3: Console=maybe: expected yes or no" "$T/svd.log" ||
		fail "svd's log lacks '$conf:3: ...'"
	svd_alive
}

run_tests
