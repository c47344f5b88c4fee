#!/usr/bin/env bash
# Bad input and failing services: a clear error, svd still running.
. "$(dirname "$0")/lib.sh"

test_exec_failure_reported() {
	unit missing.service <<-EOF
	[Service]
	ExecStart=$T/no-such-binary --flag
	EOF
	printf '#!/bin/sh\nexit 0\n' >"$T/not-executable"
	chmod 0644 "$T/not-executable"
	unit noexec.service <<-EOF
	[Service]
	ExecStart=$T/not-executable
	EOF
	unit nocwd.service <<-EOF
	[Service]
	WorkingDirectory=$T/no-such-dir
	ExecStart=/bin/true
	EOF
	svd_start
	wait_state missing failed
	expect_eq cause "exec failed: ENOENT (No such file or directory)" \
		"$(prop missing StateCauseText)"
	expect_eq exit 127 "$(prop missing ExecMainStatus)"
	wait_state noexec failed
	expect_eq cause "exec failed: EACCES (Permission denied)" \
		"$(prop noexec StateCauseText)"
	expect_eq exit 126 "$(prop noexec ExecMainStatus)"
	wait_state nocwd failed
	prop nocwd StateCauseText | grep -q "chdir to WorkingDirectory= failed: ENOENT" ||
		fail "chdir cause: $(prop nocwd StateCauseText)"
	expect_code 1 svctl start missing
	grep -q "missing.service: start failed: exec failed: ENOENT" "$T/err" ||
		fail "start error: $(cat "$T/err")"
	svctl status missing | grep -q "Cause: exec failed: ENOENT" || fail "status cause"
	svd_alive
}

test_sigterm_ignored_gets_sigkill() {
	unit stubborn.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'trap "" TERM; echo ready > $T/ready; while :; do sleep 0.1; done'
	TimeoutStopSec=1
	EOF
	svd_start
	wait_state stubborn running
	wait_for "$WAIT_TIMEOUT" test -f "$T/ready"
	pid=$(prop stubborn MainPID)
	expect_code 0 svctl stop stubborn
	! kill -0 "$pid" 2>/dev/null || fail "stubborn $pid survived"
	expect_eq state failed "$(prop stubborn State)"
	expect_eq cause stop-timeout "$(prop stubborn StateCause)"
	expect_eq result timeout "$(prop stubborn Result)"
	expect_eq signal 9 "$(prop stubborn ExecMainStatus)"
	svd_alive
}

test_broken_unit_beside_good_ones() {
	unit good.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit broken.service <<-EOF
	[Unit]
	Description=Broken

	[Service]
	ExecStart=/bin/sleep 1000
	Restart=sometimes
	EOF
	unit typo.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	Restrat=always
	EOF
	svd_start
	wait_state good running
	wait_state typo running
	grep -q "broken.service:6: Restart=sometimes" "$T/svd.log" ||
		fail "no error naming file, line and key"
	grep -q "typo.service:3: .*Restrat" "$T/svd.log" || fail "no warning for unknown key"
	expect_eq load error "$(prop broken LoadState)"
	prop broken LoadError | grep -q "broken.service:6: Restart=sometimes" ||
		fail "LoadError: $(prop broken LoadError)"
	expect_code 1 svctl start broken
	grep -q "unit file has errors" "$T/err" || fail "start error: $(cat "$T/err")"
	svd_alive
}

test_verify() {
	unit broken.service <<-EOF
	[Service]
	ExecStart=/bin/true
	TimeoutStopSec=soon
	KillSignal=SIGNOPE
	EOF
	unit ok.service <<-EOF
	[Service]
	ExecStart=/bin/true
	PrivateTmp=yes
	EOF
	expect_code 1 svctl verify "$T/units/broken.service" "$T/units/ok.service"
	grep -q "broken.service:3: TimeoutStopSec=soon" "$T/err" || fail "verify line 3: $(cat "$T/err")"
	grep -q "broken.service:4: KillSignal=SIGNOPE" "$T/err" || fail "verify line 4"
	expect_code 0 svctl verify "$T/units/ok.service"
	grep -q "ok.service:3: .*PrivateTmp" "$T/err" ||
		fail "no warning for unsupported PrivateTmp="
	expect_code 1 svctl verify "$T/units/nonexistent.service"
	grep -q "nonexistent.service" "$T/err" || fail "missing file not named"
}

# Every real unit that Debian ships loads without error (warnings allowed).
test_verify_real_debian_units() {
	if [ ! -d "${SHARED_UNITS:-}" ]; then
		echo "skip: no shared units directory at ${SHARED_UNITS:-(unset)}"
		return 77
	fi
	find "$SHARED_UNITS" -name '*.service' -type f -print0 >"$T/files"
	count=$(tr -cd '\0' <"$T/files" | wc -c)
	[ "$count" -ge 90 ] || fail "only $count unit files found"
	xargs -0 "$SVCTL" verify <"$T/files" >"$T/out" 2>"$T/err" ||
		fail "verify failed: $(grep '^error' "$T/err" | head)"
	! grep -q "^error" "$T/err" || fail "errors: $(grep '^error' "$T/err" | head)"
}

run_tests
