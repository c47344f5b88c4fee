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
	PrivateMounts=yes
	EOF
	expect_code 1 svctl verify "$T/units/broken.service" "$T/units/ok.service"
	grep -q "broken.service:3: TimeoutStopSec=soon" "$T/err" || fail "verify line 3: $(cat "$T/err")"
	grep -q "broken.service:4: KillSignal=SIGNOPE" "$T/err" || fail "verify line 4"
	expect_code 0 svctl verify "$T/units/ok.service"
	grep -q "ok.service:3: .*PrivateMounts" "$T/err" ||
		fail "no warning for unsupported PrivateMounts="
	expect_code 1 svctl verify "$T/units/nonexistent.service"
	grep -q "nonexistent.service" "$T/err" || fail "missing file not named"
}

# Masks are reported as masked, whatever form they take, not parsed.
test_verify_masks() {
	ln -s /dev/null "$T/units/linked.service"
	: >"$T/units/empty.service"
	printf '/dev/null' >"$T/units/standin.service"
	expect_code 0 svctl verify "$T/units/linked.service" \
		"$T/units/empty.service" "$T/units/standin.service"
	grep -q "linked.service: masked (a link to /dev/null)" "$T/out" ||
		fail "symlink mask: $(cat "$T/out" "$T/err")"
	grep -q "empty.service: masked (an empty file)" "$T/out" ||
		fail "empty mask: $(cat "$T/out")"
	grep -q "standin.service: masked: /dev/null" "$T/out" ||
		fail "stand-in mask: $(cat "$T/out")"
	! grep -q "ExecStart" "$T/err" || fail "a mask was parsed: $(cat "$T/err")"
}

# A template is checked as systemd-analyze verify checks it: with an
# instance, so that User=%i has a value.
test_verify_template_instance() {
	unit 'worker@.service' <<-EOF
	[Service]
	User=%i
	ExecStart=/bin/echo %i %I
	EOF
	expect_code 0 svctl verify "$T/units/worker@.service"
	! grep -q "^error" "$T/err" || fail "template refused: $(cat "$T/err")"
	# What is wrong in a template is still found.
	printf 'KillSignal=SIGNOPE\n' >>"$T/units/worker@.service"
	expect_code 1 svctl verify "$T/units/worker@.service"
	grep -q "worker@.service:4: KillSignal=SIGNOPE" "$T/err" ||
		fail "error in template: $(cat "$T/err")"
}

# What is no regular file is refused at once: a FIFO would block a read.
test_verify_fifo_and_directory() {
	mkfifo "$T/units/fifo.service"
	mkdir "$T/units/dir.service"
	expect_code 1 timeout "$WAIT_TIMEOUT" "$SVCTL" verify \
		"$T/units/fifo.service" "$T/units/dir.service"
	grep -q "fifo.service: a FIFO, not a unit file" "$T/err" ||
		fail "FIFO: $(cat "$T/err")"
	grep -q "dir.service: a directory, not a unit file" "$T/err" ||
		fail "directory: $(cat "$T/err")"
}

# Units that load but can never start under svd are warned about, with
# file and key; a warning does not fail verify.
test_verify_never_startable() {
	unit needs.service <<-EOF
	[Unit]
	Requires=data.mount sshd.socket network.target
	BindsTo=dev-sda.device
	Requisite=daily.timer
	Requires=-var.mount
	Wants=maybe.mount
	[Service]
	ExecStart=/bin/true
	EOF
	unit bus.service <<-EOF
	[Service]
	Type=dbus
	BusName=org.example.Bus
	ExecStart=/bin/true
	EOF
	expect_code 0 svctl verify "$T/units/needs.service" "$T/units/bus.service"
	grep -q "^warning: $T/units/needs.service: Requisite=daily.timer: svd has no \.timer units, so the unit can never start" "$T/err" ||
		fail "no warning for Requisite=daily.timer: $(cat "$T/err")"
	# A mount or device name must be an escaped path.
	grep -q "^warning: $T/units/needs.service: Requires=-var.mount: not a path in systemd's escaping" "$T/err" ||
		fail "no warning for Requires=-var.mount: $(cat "$T/err")"
	! grep -qE "sshd.socket|network.target|maybe.mount|data.mount|dev-sda.device" "$T/err" ||
		fail "warned about what svd provides or only wants: $(cat "$T/err")"
	grep -q "^warning: $T/units/bus.service: Type=dbus: .*can never start" "$T/err" ||
		fail "no warning for Type=dbus: $(cat "$T/err")"
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
