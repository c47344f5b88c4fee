#!/usr/bin/env bash
# Malformed and hostile control clients: an error or a closed connection,
# and svd keeps serving everyone else.
. "$(dirname "$0")/lib.sh"

RAW="python3 $(dirname "$0")/rawclient.py"

raw() {
	$RAW "$T/control.sock" "$@"
}

with_sleeper() {
	unit a.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state a running
}

test_malformed_requests() {
	with_sleeper
	raw send 'frobnicate\nunit=a\n' >"$T/r1"
	grep -q "status=error" "$T/r1" && grep -q "unknown command: frobnicate" "$T/r1" ||
		fail "unknown verb: $(cat "$T/r1")"
	raw send 'start\nnot a field\n' >"$T/r2"
	grep -q "code=malformed" "$T/r2" || fail "malformed field: $(cat "$T/r2")"
	raw send 'START\n' >"$T/r3"
	grep -q "code=malformed" "$T/r3" || fail "bad verb: $(cat "$T/r3")"
	raw send 'start\nunit=a\\q\n' >"$T/r4"
	grep -q "invalid escape" "$T/r4" || fail "bad escape: $(cat "$T/r4")"
	raw send 'status\0\n' >"$T/r5"
	grep -q "NUL" "$T/r5" || fail "NUL byte: $(cat "$T/r5")"
	raw send 'start\n' >"$T/r6"
	grep -q "missing unit=" "$T/r6" || fail "missing unit: $(cat "$T/r6")"
	raw send 'start\nunit=../../etc/passwd\n' >"$T/r7"
	grep -q "invalid unit name" "$T/r7" || fail "path as unit name: $(cat "$T/r7")"
	raw sendsize 70000 >"$T/r8"
	grep -q "message too long" "$T/r8" || fail "oversized: $(cat "$T/r8")"
	svd_alive
	expect_code 0 svctl is-active a
}

test_silent_client_does_not_block_others() {
	with_sleeper
	raw silent 30 >"$T/silent" &
	silent_pid=$!
	# While it sits there, others are served at once.
	for i in 1 2 3; do
		expect_code 0 svctl status a
	done
	wait "$silent_pid"
	# svd closes a client that sends nothing (CTL_IDLE_TIMEOUT_SEC = 5).
	grep -q "^CLOSED" "$T/silent" || fail "silent client: $(cat "$T/silent")"
	svd_alive
}

test_many_clients_at_once() {
	with_sleeper
	# A bare `wait` would wait for svd too: wait for these clients only.
	pids=
	for i in $(seq 40); do
		svctl status a >/dev/null &
		pids="$pids $!"
	done
	for i in $(seq 20); do
		$RAW "$T/control.sock" silent 1 >/dev/null &
		pids="$pids $!"
	done
	expect_code 0 svctl status a
	for pid in $pids; do
		wait "$pid" || fail "client $pid failed"
	done
	svd_alive
}

test_non_root_peer_is_read_only() {
	if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
		echo "skip: needs root and setpriv to act as another user"
		return 77
	fi
	with_sleeper
	nobody() {
		setpriv --reuid=65534 --regid=65534 --clear-groups "$SVCTL" \
			-s "$T/control.sock" "$@"
	}
	# The socket is 0600: another user cannot even connect, and hears
	# how it could (test_access.sh has the rest).
	expect_eq mode 600 "$(stat -c %a "$T/control.sock")"
	expect_code 6 nobody status a
	# Opened up (as a group setting would), SO_PEERCRED decides.
	chmod 0711 "$T"
	chmod 0666 "$T/control.sock"
	expect_code 0 nobody status a
	expect_code 0 nobody list
	expect_code 6 nobody stop a
	grep -q "permission denied" "$T/err" || fail "stop by nobody: $(cat "$T/err")"
	expect_code 6 nobody start a
	expect_code 6 nobody disable a
	expect_eq state running "$(prop a State)"
	svd_alive
}

test_second_svd_refused_stale_socket_replaced() {
	with_sleeper
	"$SVD" -u "$T/units" -s "$T/control.sock" -S "$T/state" >"$T/second.log" 2>&1 &&
		fail "a second svd started on the same socket"
	grep -q "another svd is running" "$T/second.log" || fail "$(cat "$T/second.log")"
	expect_code 0 svctl status a
	local orphan
	orphan=$(prop a MainPID)
	kill -KILL "$SVD_PID"
	wait "$SVD_PID" 2>/dev/null || true
	SVD_PID=
	# Its service outlives a SIGKILLed svd: the test ends it.
	kill -TERM "$orphan"
	# The dead svd left its socket file; the next one replaces it.
	test -S "$T/control.sock"
	svd_start
}

run_tests
