#!/usr/bin/env bash
# Unit lookup and persistence: templates, aliases, masks, enable/disable,
# daemon-reload, drop-ins, Environment= and specifiers.
. "$(dirname "$0")/lib.sh"

test_template_instances() {
	unit 'echo@.service' <<-EOF
	[Unit]
	Description=Echo %i
	[Service]
	ExecStart=/bin/sh -c 'echo "%i %p %n" > $T/%i.out; exec sleep 1000'
	EOF
	svd_start
	expect_code 0 svctl start echo@one
	expect_code 0 svctl start echo@two.service
	wait_state echo@one running
	expect_eq one "one echo echo@one.service" "$(cat "$T/one.out")"
	expect_eq two "two echo echo@two.service" "$(cat "$T/two.out")"
	expect_eq description "Echo one" "$(prop echo@one Description)"
	# The template itself does not run, and says why.
	expect_code 4 svctl start echo@
	# Instances are re-read from their template on reload, and keep running.
	pid=$(prop echo@one MainPID)
	sed -i 's/Description=Echo/Description=Reloaded/' "$T/units/echo@.service"
	expect_code 0 svctl daemon-reload
	expect_eq description "Reloaded one" "$(prop echo@one Description)"
	expect_eq pid "$pid" "$(prop echo@one MainPID)"
	svctl list | grep -q "^echo@one.service" || fail "instance not listed"
	! svctl list | grep -q "^echo@.service" || fail "template listed as a unit"
}

test_alias_and_mask() {
	unit real.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	ln -s real.service "$T/units/nick.service"
	ln -s /dev/null "$T/units/gone.service"
	# How git checks links out where it cannot make them: the target as
	# the file's whole content.
	printf 'real.service' >"$T/units/nick2.service"
	printf '/dev/null' >"$T/units/gone2.service"
	svd_start
	wait_state real running
	expect_eq alias real.service "$(prop nick Id)"
	expect_eq alias real.service "$(prop nick2 Id)"
	expect_eq masked masked "$(prop gone LoadState)"
	expect_eq masked masked "$(prop gone2 LoadState)"
	expect_code 1 svctl start gone
	grep -q "masked" "$T/err" || fail "start masked: $(cat "$T/err")"
	! grep -q "error" "$T/svd.log" || fail "errors in log: $(grep error "$T/svd.log")"
}

test_disable_persists_across_restart() {
	unit a.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit b.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state a running
	expect_code 0 svctl disable a
	expect_eq file-state disabled "$(prop a UnitFileState)"
	# disable does not stop, like systemctl.
	expect_eq state running "$(prop a State)"
	svd_stop
	svd_start
	wait_state b running
	expect_eq "disabled not started" inactive "$(prop a State)"
	expect_code 0 svctl enable a
	svd_stop
	svd_start
	wait_state a running
}

test_daemon_reload_picks_up_changes() {
	unit a.service <<-EOF
	[Unit]
	Description=Before
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state a running
	pid=$(prop a MainPID)
	unit new.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	sed -i 's/Before/After/' "$T/units/a.service"
	expect_code 0 svctl daemon-reload
	expect_eq description After "$(prop a Description)"
	expect_eq "still running, same pid" "$pid" "$(prop a MainPID)"
	expect_eq "new unit known" inactive "$(prop new State)"
	# SIGHUP does the same.
	rm "$T/units/new.service"
	kill -HUP "$SVD_PID"
	wait_for "$WAIT_TIMEOUT" sh -c "! '$SVCTL' -s '$T/control.sock' show new"
	svd_alive
}

test_dropins_environment_workdir() {
	mkdir -p "$T/units/env.service.d" "$T/work"
	unit env.service <<-EOF
	[Service]
	Environment="GREETING=hello world" WHO=base
	WorkingDirectory=$T/work
	ExecStart=/bin/sh -c 'echo "\$GREETING|\$WHO|\$(pwd)|\$0" > $T/env.out' \${WHO} \$WHO
	Type=oneshot
	EOF
	cat >"$T/units/env.service.d/10-who.conf" <<-EOF
	[Service]
	Environment=WHO=dropin
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" test -s "$T/env.out"
	expect_eq env "hello world|dropin|$T/work|dropin" "$(cat "$T/env.out")"
}

run_tests
