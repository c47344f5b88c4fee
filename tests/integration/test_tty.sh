#!/usr/bin/env bash
# Services on a terminal (systemd.exec(5)): StandardInput=tty, tty-force,
# tty-fail, StandardOutput=tty, TTYPath=, TTYVHangup=, TTYReset=, TERM=,
# and SendSIGHUP=. The terminal is a pty of the test's own
# (ptyhold.py holds its master and records what is written to it).
. "$(dirname "$0")/lib.sh"

PTYHOLD="$(dirname "$0")/ptyhold.py"
HOLDER=

need_pty() {
	if ! command -v python3 >/dev/null || ! command -v setsid >/dev/null; then
		echo "skip: needs python3 and setsid"
		exit 77
	fi
}

# pty_start [PROMPT REPLY]: a pty; its slave's path in $PTY.
pty_start() {
	need_pty
	python3 "$PTYHOLD" "$T/pty.path" "$T/pty.out" "$@" &
	HOLDER=$!
	wait_for "$WAIT_TIMEOUT" test -s "$T/pty.path"
	PTY=$(cat "$T/pty.path")
}

pty_stop() {
	if [ -n "$HOLDER" ]; then
		kill "$HOLDER" 2>/dev/null || true
		wait "$HOLDER" 2>/dev/null || true
	fi
	HOLDER=
}

pty_has() {
	tr -d '\r' <"$T/pty.out" 2>/dev/null | grep -q -- "$1"
}

# The terminal is stdin, stdout and stderr, and the controlling terminal
# of the service's own session; TERM is a serial line's; input reaches it.
test_tty_is_controlling_terminal() {
	trap 'pty_stop; cleanup_svd' EXIT
	pty_start "ready>" "hello"
	unit term.service <<-EOF
	[Service]
	StandardInput=tty
	TTYPath=$PTY
	TTYReset=yes
	ExecStart=/bin/sh -c 'echo "tty=\$\$(tty) sid=\$\$(ps -o sid= -p \$\$\$\$ | tr -d " ") pid=\$\$\$\$ tpgid=\$\$(ps -o tpgid= -p \$\$\$\$ | tr -d " ") term=\$\$TERM"; echo err >&2; echo "ready>"; read line; echo "got=\$\$line"; exec sleep 1000'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" pty_has "got=hello" ||
		fail "terminal: $(cat "$T/pty.out")"
	local line pid
	line=$(tr -d '\r' <"$T/pty.out" | grep '^tty=')
	pid=$(prop term MainPID)
	expect_eq "the service's view" "tty=$PTY sid=$pid pid=$pid tpgid=$pid term=vt220" "$line"
	pty_has "^err" || fail "stderr not on the terminal: $(cat "$T/pty.out")"
}

# StandardOutput=tty alone: written to, not taken as controlling terminal.
test_tty_output_only() {
	trap 'pty_stop; cleanup_svd' EXIT
	pty_start
	unit out.service <<-EOF
	[Service]
	StandardOutput=tty
	TTYPath=$PTY
	Environment=TERM=xterm
	ExecStart=/bin/sh -c 'echo "ctty=\$\$(ps -o tty= -p \$\$\$\$ | tr -d " ") term=\$\$TERM"; read x; echo "stdin=\$\$?"; exec sleep 1000'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" pty_has "stdin=" ||
		fail "terminal: $(cat "$T/pty.out")"
	pty_has "ctty=? term=xterm" || fail "got: $(cat "$T/pty.out")"
	pty_has "stdin=1" || fail "stdin is not /dev/null: $(cat "$T/pty.out")"
}

# holder: a process whose session has the terminal as its controlling one.
hold_terminal() {
	# Opened after setsid, by the new session's leader: its terminal.
	setsid sh -c 'exec sleep 1000 <"$1"' sh "$PTY" >/dev/null 2>&1 &
	HELD=$!
	wait_for "$WAIT_TIMEOUT" sh -c "[ \"\$(ps -o tty= -p $HELD | tr -d ' ')\" = '${PTY#/dev/}' ]" ||
		fail "the holder never got the terminal"
}

has_main_pid() {
	[ "$(prop "$1" MainPID)" -gt 0 ]
}

# Held by another session: tty-fail fails the start and says why; tty
# waits until it is free; tty-force takes it at once.
test_tty_fail_wait_force() {
	trap 'pty_stop; [ -z "${HELD:-}" ] || kill "$HELD" 2>/dev/null || true; cleanup_svd' EXIT
	pty_start
	hold_terminal
	for mode in fail force wait; do
		unit "$mode.service" <<-EOF
		[Service]
		StandardInput=tty-$mode
		TTYPath=$PTY
		ExecStart=/bin/sh -c 'echo "$mode: sid=\$\$(ps -o sid= -p \$\$\$\$ | tr -d " ")"; exec sleep 1000'
		EOF
	done
	sed -i 's/=tty-wait$/=tty/' "$T/units/wait.service"
	mkdir -p "$T/state/disabled"
	touch "$T/state/disabled/fail.service" "$T/state/disabled/force.service" \
		"$T/state/disabled/wait.service"
	svd_start
	expect_code 1 svctl start fail
	svctl status fail | grep -q "TTYPath= failed: EPERM" ||
		fail "fail: $(svctl status fail)"

	svctl start wait >/dev/null 2>&1 &
	wait_for "$WAIT_TIMEOUT" has_main_pid wait
	# Its child polls for the terminal: asleep (clock_nanosleep, or
	# nanosleep) between two tries, the service's command not run.
	local pid
	pid=$(prop wait MainPID)
	wait_for "$WAIT_TIMEOUT" grep -qE '^(35|230) ' "/proc/$pid/syscall" ||
		fail "the child does not wait: $(cat "/proc/$pid/syscall")"
	! pty_has "wait: sid" || fail "tty started while another session held the terminal"
	kill "$HELD"; wait "$HELD" 2>/dev/null || true; HELD=
	wait_for "$WAIT_TIMEOUT" pty_has "wait: sid=[1-9]" ||
		fail "tty did not take the terminal once free: $(cat "$T/pty.out")"
	svctl stop wait >/dev/null

	hold_terminal
	svctl start force
	wait_for "$WAIT_TIMEOUT" pty_has "force: sid=[1-9]" ||
		fail "tty-force: $(cat "$T/pty.out")"
	wait_for "$WAIT_TIMEOUT" sh -c "[ \"\$(ps -o tty= -p $HELD | tr -d ' ')\" != '${PTY#/dev/}' ]" ||
		fail "the holder kept the terminal"
}

# TTYVHangup=: whoever had the terminal open is hung up first.
test_tty_vhangup() {
	trap 'pty_stop; cleanup_svd' EXIT
	pty_start
	setsid cat <"$PTY" >/dev/null 2>&1 &
	local reader=$!
	unit hup.service <<-EOF
	[Service]
	StandardInput=tty
	TTYPath=$PTY
	TTYVHangup=yes
	ExecStart=/bin/sh -c 'echo started; exec sleep 1000'
	EOF
	kill -0 "$reader" || fail "the reader is not running"
	svd_start
	wait_for "$WAIT_TIMEOUT" pty_has started || fail "terminal: $(cat "$T/pty.out")"
	wait_for "$WAIT_TIMEOUT" not_running "$reader" ||
		{ kill "$reader"; fail "the reader was not hung up"; }
	wait "$reader" 2>/dev/null || true
}

# SendSIGHUP=: SIGHUP right after KillSignal=, to a shell ignoring SIGTERM.
test_send_sighup() {
	unit sh.service <<-EOF
	[Service]
	SendSIGHUP=yes
	TimeoutStopSec=30
	ExecStart=/bin/sh -c 'trap "echo hup > $T/hup; exit 0" HUP; trap "" TERM; echo up > $T/up; while :; do sleep 0.1; done'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" test -s "$T/up"
	local t0=$SECONDS
	svctl stop sh
	[ -s "$T/hup" ] || fail "no SIGHUP"
	[ $((SECONDS - t0)) -lt 10 ] || fail "stopped only by SIGKILL"
}

# Type=idle: started once the boot's other jobs are dispatched (here a
# oneshot that takes a while), but never held more than 5 s.
test_type_idle_waits_for_boot() {
	unit slow.service <<-EOF
	[Service]
	Type=oneshot
	ExecStart=/bin/sh -c 'sleep 1; touch $T/slow.done'
	EOF
	unit idle.service <<-EOF
	[Service]
	Type=idle
	ExecStart=/bin/sh -c '[ -e $T/slow.done ] && echo after > $T/idle.out || echo before > $T/idle.out; exec sleep 1000'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" test -s "$T/idle.out"
	expect_eq "idle started" after "$(cat "$T/idle.out")"
	# Later starts do not wait.
	svctl stop idle
	rm "$T/idle.out"
	svctl start idle
	[ -s "$T/idle.out" ] || wait_for 1 test -s "$T/idle.out"
}

test_type_idle_waits_5s_at_most() {
	unit slower.service <<-EOF
	[Service]
	Type=oneshot
	TimeoutStartSec=60
	ExecStart=/bin/sh -c 'sleep 9; touch $T/slower.done'
	EOF
	unit idle.service <<-EOF
	[Service]
	Type=idle
	ExecStart=/bin/sh -c '[ -e $T/slower.done ] && echo after > $T/idle.out || echo before > $T/idle.out; exec sleep 1000'
	EOF
	local t0=$SECONDS
	svd_start
	wait_for 15 test -s "$T/idle.out"
	expect_eq "idle started" before "$(cat "$T/idle.out")"
	[ $((SECONDS - t0)) -ge 4 ] || fail "idle did not wait: $((SECONDS - t0)) s"
}

test_tty_path_missing_fails_named() {
	unit nope.service <<-EOF
	[Service]
	StandardInput=tty-fail
	TTYPath=$T/no-such-tty
	ExecStart=/bin/true
	EOF
	mkdir -p "$T/state/disabled"
	touch "$T/state/disabled/nope.service"
	svd_start
	expect_code 1 svctl start nope
	svctl status nope | grep -q "TTYPath= failed: ENOENT" ||
		fail "status: $(svctl status nope)"
}

run_tests
