#!/usr/bin/env bash
# Restart= policies, RestartSec=, the start limit, reset-failed.
. "$(dirname "$0")/lib.sh"

# crash_unit NAME POLICY EXIT: a service that exits with EXIT (a number,
# or a signal name for kill -s) once, with Restart=POLICY.
crash_unit() {
	local how
	case $3 in
	[0-9]*) how="exit $3" ;;
	*) how="kill -s $3 \$\$\$\$" ;;	# $$ in a unit is a literal $
	esac
	unit "$1.service" <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'n=\$(cat $T/$1.count 2>/dev/null || echo 0); echo \$((n+1)) > $T/$1.count; if [ \$n = 0 ]; then $how; fi; exec sleep 1000'
	Restart=$2
	RestartSec=0
	EOF
}

runs() {
	cat "$T/$1.count" 2>/dev/null || echo 0
}

# expect_restarted NAME: ran twice and is running again.
expect_restarted() {
	wait_for "$WAIT_TIMEOUT" eval "[ \"\$(runs $1)\" = 2 ]" || fail "$1 was not restarted"
	wait_state "$1" running
	expect_eq "$1 NRestarts" 1 "$(prop "$1" NRestarts)"
}

# expect_not_restarted NAME STATE: ended in STATE after one run.
expect_not_restarted() {
	wait_state "$1" "$2"
	expect_eq "$1 runs" 1 "$(runs "$1")"
}

test_policies() {
	crash_unit always-ok always 0
	crash_unit always-fail always 3
	crash_unit no-fail no 3
	crash_unit onsuccess-ok on-success 0
	crash_unit onsuccess-fail on-success 3
	crash_unit onfailure-fail on-failure 3
	crash_unit onfailure-ok on-failure 0
	crash_unit onfailure-kill on-failure KILL
	crash_unit onabnormal-kill on-abnormal KILL
	crash_unit onabnormal-fail on-abnormal 3
	crash_unit onabort-abrt on-abort ABRT
	crash_unit onabort-fail on-abort 3
	crash_unit onfailure-term on-failure TERM
	svd_start
	expect_restarted always-ok
	expect_restarted always-fail
	expect_not_restarted no-fail failed
	expect_restarted onsuccess-ok
	expect_not_restarted onsuccess-fail failed
	expect_restarted onfailure-fail
	expect_not_restarted onfailure-ok inactive
	expect_restarted onfailure-kill
	expect_restarted onabnormal-kill
	expect_not_restarted onabnormal-fail failed
	expect_restarted onabort-abrt
	expect_not_restarted onabort-fail failed
	# SIGTERM is a clean death for systemd and svd alike.
	expect_not_restarted onfailure-term inactive
	expect_eq "failed cause" "exited with status 3" "$(prop no-fail StateCauseText)"
	expect_eq "failed result" exit-code "$(prop no-fail Result)"
	svd_alive
}

test_restart_sec_delays() {
	unit slow.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo x >> $T/slow.runs; exit 1'
	Restart=always
	RestartSec=1h
	EOF
	svd_start
	wait_state slow auto-restart
	expect_eq "sub state" auto-restart "$(prop slow SubState)"
	expect_eq "active state" activating "$(prop slow ActiveState)"
	expect_eq runs 1 "$(wc -l < "$T/slow.runs")"
	# stop cancels the pending restart.
	expect_code 0 svctl stop slow
	expect_eq state inactive "$(prop slow State)"
}

# RestartSteps=/RestartMaxDelaySec=: the waits grow, then hold at the
# longest; status says how long the next one is.
test_restart_backoff_grows() {
	unit backoff.service <<-EOF
	[Unit]
	StartLimitBurst=0
	[Service]
	ExecStart=/bin/false
	Restart=always
	RestartSec=20ms
	RestartSteps=2
	RestartMaxDelaySec=2s
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" restarts_over backoff 1
	wait_for "$WAIT_TIMEOUT" eval '[ "$(prop backoff RestartUSecNext)" = 2000000 ]' ||
		fail "next wait: $(prop backoff RestartUSecNext) after $(prop backoff NRestarts) restarts"
	svctl status backoff >"$T/status" || true
	grep -q "Restarts: [0-9]* (the next after 2s)" "$T/status" ||
		fail "status: $(cat "$T/status")"
	expect_code 0 svctl stop backoff
}

restarts_over() {
	[ "$(prop "$1" NRestarts)" -gt "$2" ]
}

test_start_limit_then_failed() {
	unit loop.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo x >> $T/loop.runs; exit 1'
	Restart=always
	RestartSec=0
	StartLimitBurst=3
	StartLimitIntervalSec=1h
	EOF
	svd_start
	wait_state loop failed
	expect_eq cause start-limit-hit "$(prop loop StateCause)"
	expect_eq result start-limit-hit "$(prop loop Result)"
	expect_eq runs 3 "$(wc -l < "$T/loop.runs")"
	# Failed stays failed: no further attempts, no CPU spent.
	expect_eq "main pid" 0 "$(prop loop MainPID)"
	expect_code 0 svctl reset-failed loop
	expect_eq state inactive "$(prop loop State)"
	# A start after the limit is a fresh chance: exec succeeds, so start
	# says so; then it crash-loops into the limit again.
	expect_code 0 svctl start loop
	wait_state loop failed
	expect_eq runs 6 "$(wc -l < "$T/loop.runs")"
	svd_alive
}

# restarts_at_least UNIT N: svd answers, and UNIT has restarted N times.
restarts_at_least() {
	local n
	n=$(prop "$1" NRestarts) && [ -n "$n" ] && [ "$n" -ge "$2" ]
}

# expect_crash_loop_log_limited UNIT PER_WINDOW: svd's log says at most
# PER_WINDOW lines about UNIT per window of the limit (5 s, counted from
# before svd started, so generously), plus a note per window, while UNIT
# restarts hundreds of times; then a note says how many were dropped.
# The unit's own log keeps every state change: only svd's log is limited.
expect_crash_loop_log_limited() {
	local unit=$1 per_window=$2 start elapsed_ms windows lines notes
	start=$(date +%s%N)
	wait_for 60 restarts_at_least "$unit" 300 ||
		fail "$unit restarted $(prop "$unit" NRestarts) times only"
	cp "$T/svd.log" "$T/svd.snapshot"
	elapsed_ms=$((($(date +%s%N) - start) / 1000000))
	windows=$((elapsed_ms / 5000 + 1))
	lines=$(grep -c "^svd: [a-z]*: $unit.service: " "$T/svd.snapshot" || true)
	notes=$(grep -c "^svd: [a-z]*: $unit.service: [0-9]* similar messages suppressed" \
		"$T/svd.snapshot" || true)
	[ $((lines - notes)) -le $((windows * per_window)) ] ||
		fail "$((lines - notes)) lines about $unit in ${elapsed_ms} ms, more than" \
			"$per_window per 5 s window ($(prop "$unit" NRestarts) restarts)"
	[ "$notes" -le $((windows * 2)) ] || fail "$notes notes in $windows windows"
	wait_for 15 grep -q "^svd: [a-z]*: $unit.service: [0-9]* similar messages suppressed" \
		"$T/svd.log" || fail "no note of the messages suppressed"
	# The loop goes on meanwhile: the file may have been rotated (1 MiB),
	# so its rotated copies count too.
	[ "$(cat "$T/log/$unit.log"* | grep -c -- '-> auto-restart')" -ge 300 ] ||
		fail "the unit's own log lost state changes"
	expect_code 0 svctl stop "$unit"
	svd_alive
}

# A crash loop with nothing to slow it: a warning per cycle (the failed
# ExecStartPre=), hundreds a second, but svd's log keeps to its limit.
test_crash_loop_warnings_are_limited() {
	unit crash.service <<-EOF
	[Service]
	ExecStartPre=/bin/false
	ExecStart=/bin/false
	Restart=always
	RestartSec=0
	StartLimitBurst=0
	EOF
	svd_start
	expect_crash_loop_log_limited crash 10
}

# Under -v, the debug lines of every cycle (some seven) have their own,
# larger budget: 50, plus the unit's 10 other messages.
test_crash_loop_debug_is_limited() {
	unit crash.service <<-EOF
	[Service]
	ExecStart=/bin/false
	Restart=always
	RestartSec=0
	StartLimitBurst=0
	EOF
	svd_start -v
	expect_crash_loop_log_limited crash 60
}

run_tests
