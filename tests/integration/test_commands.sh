#!/usr/bin/env bash
# Control commands: ExecCondition=, ExecStartPre=, ExecStartPost=,
# ExecReload= (and svctl reload), ExecStop=, ExecStopPost=, $MAINPID.
# Each command appends a word to $T/trace, so the file shows svd's order.
. "$(dirname "$0")/lib.sh"

logged() {
	grep -qx "$1" "$T/trace"
}

# expect_sequence WORD...: the words appear in $T/trace in this order.
expect_sequence() {
	local last=0 word n
	for word in "$@"; do
		n=$(grep -nx "$word" "$T/trace" | head -n 1 | cut -d: -f1)
		[ -n "$n" ] && [ "$n" -gt "$last" ] ||
			fail "expected '$*' in that order; log: $(tr '\n' ',' <"$T/trace")"
		last=$n
	done
}

test_every_phase_in_order_with_mainpid() {
	unit full.service <<-EOF
	[Service]
	Type=notify
	NotifyAccess=all
	ExecCondition=/bin/sh -c 'echo condition >> $T/trace'
	ExecStartPre=/bin/sh -c 'echo pre1 >> $T/trace'
	ExecStartPre=-/bin/false
	ExecStartPre=/bin/sh -c 'echo pre2 >> $T/trace'
	ExecStart=/bin/sh -c 'echo main \$\$\$\$ >> $T/trace; systemd-notify --ready; while :; do sleep 0.1; done'
	ExecStartPost=/bin/sh -c 'echo post >> $T/trace'
	ExecStop=/bin/sh -c 'echo stop \$MAINPID >> $T/trace; kill \$MAINPID'
	ExecStopPost=/bin/sh -c 'echo stoppost >> $T/trace'
	EOF
	need_systemd_notify
	svd_start
	wait_state full running
	local main
	main=$(prop full MainPID)
	expect_sequence condition pre1 pre2 "main $main" post
	svctl stop full
	expect_sequence post "stop $main" stoppost
	expect_eq state inactive "$(prop full State)"
}

test_start_pre_failure_fails_the_start() {
	unit prefail.service <<-EOF
	[Service]
	ExecStartPre=/bin/sh -c 'exit 3'
	ExecStart=/bin/sh -c 'echo main >> $T/trace; exec sleep 1000'
	ExecStopPost=/bin/sh -c 'echo stoppost >> $T/trace'
	EOF
	unit premissing.service <<-EOF
	[Service]
	ExecStartPre=$T/no-such-binary
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state prefail failed
	expect_eq cause "ExecStartPre=/bin/sh -c 'exit 3': exited with status 3" \
		"$(prop prefail StateCauseText)"
	! logged main || fail "the main command ran"
	wait_for "$WAIT_TIMEOUT" logged stoppost
	wait_state premissing failed
	prop premissing StateCauseText | grep -q "exec failed: ENOENT" ||
		fail "premissing: $(prop premissing StateCauseText)"
	expect_code 1 "$SVCTL" start prefail
	grep -q "exited with status 3" "$T/err" || fail "svctl said: $(cat "$T/err")"
}

test_exec_condition_skips() {
	unit skipped.service <<-EOF
	[Service]
	ExecCondition=/bin/sh -c 'exit 1'
	ExecStart=/bin/sh -c 'echo main >> $T/trace; exec sleep 1000'
	EOF
	unit broken.service <<-EOF
	[Service]
	ExecCondition=/bin/sh -c 'exit 255'
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state skipped inactive
	expect_eq cause "start condition failed: ExecCondition=/bin/sh -c 'exit 1': exited with status 1" \
		"$(prop skipped StateCauseText)"
	expect_code 0 "$SVCTL" start skipped
	! logged main || fail "the main command ran"
	wait_state broken failed
}

test_reload_runs_execreload_or_is_refused() {
	unit reloadable.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'trap "echo hup >> $T/trace" HUP; while :; do sleep 0.1; done'
	ExecReload=/bin/kill -HUP \$MAINPID
	EOF
	unit plain.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'trap "echo plain-hup >> $T/trace" HUP; while :; do sleep 0.1; done'
	EOF
	unit failing.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	ExecReload=/bin/sh -c 'exit 4'
	EOF
	svd_start
	wait_state reloadable running
	svctl reload reloadable
	wait_for "$WAIT_TIMEOUT" logged hup
	expect_eq cause reloaded "$(prop reloadable StateCauseText)"
	# Without ExecReload= there is nothing to reload: refused, as
	# systemctl does, and no SIGHUP reaches it (etcd, beanstalkd die of
	# one).
	wait_state plain running
	expect_code 1 "$SVCTL" reload plain
	grep -q "plain.service: no ExecReload=: it cannot be reloaded" "$T/err" ||
		fail "svctl said: $(cat "$T/err")"
	! logged plain-hup || fail "plain got SIGHUP"
	expect_eq "plain still running" running "$(prop plain State)"
	wait_state failing running
	expect_code 1 "$SVCTL" reload failing
	grep -q "reload failed: ExecReload=/bin/sh -c 'exit 4': exited with status 4" "$T/err" ||
		fail "svctl said: $(cat "$T/err")"
	expect_eq "still running" running "$(prop failing State)"
	svctl stop plain
	expect_code 1 "$SVCTL" reload plain
}

test_stop_post_after_a_crash() {
	unit crasher.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'exit 3'
	ExecStopPost=/bin/sh -c 'echo cleaned up >> $T/trace'
	EOF
	svd_start
	wait_state crasher failed
	logged "cleaned up" || fail "ExecStopPost= did not run"
	expect_eq cause "exited with status 3" "$(prop crasher StateCauseText)"
}

test_oneshot_remain_after_exit_stop() {
	unit setup.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	ExecStart=/bin/sh -c 'echo up >> $T/trace'
	ExecStartPost=/bin/sh -c 'echo post >> $T/trace'
	ExecStop=/bin/sh -c 'echo down >> $T/trace'
	EOF
	svd_start
	wait_state setup exited
	expect_sequence up post
	svctl stop setup
	expect_sequence up post down
	expect_eq state inactive "$(prop setup State)"
}

# Type=forking: the parent exits 0 once the daemon it forked runs; svd
# finds that daemon through PIDFile=, or as the one process left.
test_forking_daemons() {
	unit withpidfile.service <<-EOF
	[Service]
	Type=forking
	PIDFile=$T/with.pid
	ExecStart=/bin/sh -c 'sleep 1000 & echo \$\$! > $T/with.pid; exit 0'
	EOF
	unit guessed.service <<-EOF
	[Service]
	Type=forking
	ExecStart=/bin/sh -c 'setsid sleep 1000 & echo \$\$! > $T/guessed.pid; exit 0'
	EOF
	unit nopidfile.service <<-EOF
	[Service]
	Type=forking
	PIDFile=$T/never-written.pid
	ExecStart=/bin/sh -c 'exit 0'
	EOF
	svd_start
	wait_state withpidfile running
	expect_eq "main pid from PIDFile=" "$(cat "$T/with.pid")" "$(prop withpidfile MainPID)"
	wait_state guessed running
	expect_eq "guessed main pid" "$(cat "$T/guessed.pid")" "$(prop guessed MainPID)"
	wait_state nopidfile failed
	prop nopidfile StateCauseText | grep -q "no main process: PIDFile=$T/never-written.pid: No such file" ||
		fail "nopidfile: $(prop nopidfile StateCauseText)"
	# Stopping reaches the daemon, wherever its session is.
	local pid
	pid=$(cat "$T/guessed.pid")
	svctl stop guessed
	! kill -0 "$pid" 2>/dev/null || fail "the guessed daemon survived the stop"
}

# ExecStop=/bin/kill $MAINPID: the main process ends during ExecStop=;
# the stop completes, and so does the shutdown.
test_execstop_killing_main_then_shutdown() {
	unit killer.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	ExecStop=/bin/sh -c 'kill \$MAINPID; sleep 0.3; echo stopped >> $T/trace'
	ExecStopPost=/bin/sh -c 'echo stoppost >> $T/trace'
	EOF
	svd_start
	wait_state killer running
	svctl restart killer
	expect_eq "after restart" active "$(svctl is-active killer)"
	expect_sequence stopped stoppost
	svd_stop || fail "svd did not stop cleanly"
}

test_stop_during_start_pre() {
	unit slowpre.service <<-EOF
	[Service]
	ExecStartPre=/bin/sleep 1000
	ExecStart=/bin/sleep 1000
	TimeoutStartSec=0
	EOF
	svd_start
	wait_state slowpre start-pre
	timeout 15 "$SVCTL" stop slowpre || fail "svctl stop did not return"
	expect_eq state inactive "$(prop slowpre State)"
}

test_killmode_none_with_execstop() {
	unit loose.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	ExecStop=/bin/true
	KillMode=none
	EOF
	svd_start
	wait_state loose running
	local pid
	pid=$(prop loose MainPID)
	svctl stop loose
	expect_eq state inactive "$(prop loose State)"
	kill -0 "$pid" || fail "KillMode=none: the process was killed"
	kill "$pid"
}

test_oneshot_with_only_pre_and_stop() {
	unit marker.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	ExecStartPre=/bin/sh -c 'echo pre >> $T/trace'
	ExecStop=/bin/sh -c 'echo stop >> $T/trace'
	EOF
	svd_start
	wait_state marker exited
	svctl stop marker
	expect_sequence pre stop
}

# A start that takes longer than the control socket's idle timeout (5 s)
# still gets its answer.
test_slow_start_keeps_the_client() {
	need_systemd_notify
	unit slow.service <<-EOF
	[Service]
	Type=notify
	NotifyAccess=all
	ExecStart=/bin/sh -c 'sleep 6; systemd-notify --ready; exec sleep 1000'
	EOF
	svd_start
	svctl stop slow
	svctl start slow || fail "svctl start slow failed"
	expect_eq state running "$(prop slow State)"
}

run_tests
