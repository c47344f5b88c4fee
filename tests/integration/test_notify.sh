#!/usr/bin/env bash
# sd_notify both ways: Type=notify services made ready by libsystemd's
# sd_notify() (tests/helpers/notifier) and by systemd-notify; timeouts,
# the watchdog, NotifyAccess=, MAINPID=, EXTEND_TIMEOUT_USEC=, garbage on
# the socket; and svd telling a manager of its own that it is ready.
. "$(dirname "$0")/lib.sh"

TOOL="$(dirname "$0")/notifytool.py"

need_notifier() {
	if [ -z "${NOTIFIER:-}" ] || [ ! -x "$NOTIFIER" ]; then
		echo "skip: built without libsystemd (no notifier helper)"
		exit 77
	fi
}

test_libsystemd_client_ready_and_status() {
	need_notifier
	# Ready only once the test says so: svctl start must wait for it.
	unit gated.service <<-EOF
	[Service]
	Type=notify
	ExecStart=/bin/sh -c 'while [ ! -e $T/go ]; do sleep 0.02; done; exec "$NOTIFIER" "STATUS=warming up" READY=1 "STATUS=serving 42"'
	EOF
	svd_start
	svctl stop gated
	svctl start gated &
	local starter=$!
	track "$starter"
	wait_state gated start
	expect_eq "is-active while not ready" activating "$(svctl is-active gated)"
	kill -0 "$starter" || fail "svctl start returned before READY=1"
	touch "$T/go"
	wait "$starter" || fail "svctl start failed"
	untrack "$starter"
	expect_eq state running "$(prop gated State)"
	expect_eq cause "ready (READY=1)" "$(prop gated StateCauseText)"
	# STATUS= came in a datagram of its own, after READY=1.
	wait_for "$WAIT_TIMEOUT" eval '[ "$(prop gated StatusText)" = "serving 42" ]'
	svctl status gated | grep -q 'Status: "serving 42"' ||
		fail "status: $(svctl status gated)"
}

# A client that goes away while its start waits leaves nothing behind in
# svd (its wait is dropped with it): another client waiting on the same
# start still gets its answer.
test_client_gone_while_start_waits() {
	need_notifier
	unit gated.service <<-EOF
	[Service]
	Type=notify
	ExecStart=/bin/sh -c 'while [ ! -e $T/go ]; do sleep 0.02; done; exec "$NOTIFIER" READY=1'
	EOF
	svd_start
	svctl stop gated
	# The binary itself, not the svctl function: a kill must reach it.
	"$SVCTL" -s "$T/control.sock" start gated &
	local quitter=$!
	track "$quitter"
	# Starting: svd has the quitter's request, which waits.
	wait_state gated start
	svctl start gated &
	local stayer=$!
	track "$stayer"
	kill "$quitter"
	wait "$quitter" 2>/dev/null || true
	svd_alive || fail "svd died when a waiting client went away"
	touch "$T/go"
	wait "$stayer" || fail "the remaining svctl start failed"
	untrack "$quitter" "$stayer"
	expect_eq state running "$(prop gated State)"
	svd_alive
}

test_systemd_notify_ready() {
	need_systemd_notify
	unit sn.service <<-EOF
	[Service]
	Type=notify
	NotifyAccess=all
	ExecStart=/bin/sh -c 'systemd-notify --ready --status="up via systemd-notify"; exec sleep 1000'
	EOF
	svd_start
	wait_state sn running
	expect_eq "status text" "up via systemd-notify" "$(prop sn StatusText)"
}

test_never_ready_fails_at_timeout() {
	unit mute.service <<-EOF
	[Service]
	Type=notify
	TimeoutStartSec=1
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	svctl stop mute
	expect_code 1 "$SVCTL" start mute
	grep -q "did not start within TimeoutStartSec= (no READY=1)" "$T/err" ||
		fail "svctl start said: $(cat "$T/err")"
	expect_eq result timeout "$(prop mute Result)"
	svd_alive || fail "svd exited"
}

# NotifyAccess=main (the default): a child's READY=1 does not count.
test_notify_access_main_ignores_children() {
	need_notifier
	unit kid.service <<-EOF
	[Service]
	Type=notify
	TimeoutStartSec=1
	ExecStart=/bin/sh -c '"$NOTIFIER" READY=1 & exec sleep 1000'
	EOF
	unit kidall.service <<-EOF
	[Service]
	Type=notify
	NotifyAccess=all
	ExecStart=/bin/sh -c '"$NOTIFIER" READY=1 & exec sleep 1000'
	EOF
	svd_start -v
	wait_state kidall running
	wait_state kid failed
	grep -q "kid.service: notify: message from pid [0-9]* ignored (NotifyAccess= does not allow it)" \
		"$T/svd.log" || fail "no debug line for the ignored message"
}

test_watchdog_missed_restarts() {
	need_notifier
	unit dog.service <<-EOF
	[Service]
	Type=notify
	WatchdogSec=1
	Restart=on-watchdog
	RestartSec=0
	ExecStart="$NOTIFIER" READY=1
	EOF
	svd_start
	wait_for 15 grep -q "dog.service: watchdog timeout: sending SIGABRT" "$T/svd.log"
	wait_for "$WAIT_TIMEOUT" eval '[ "$(prop dog NRestarts)" -ge 1 ]'
	wait_state dog running
}

# Kept alive, it runs on: watched for three periods.
test_watchdog_kept_alive() {
	need_notifier
	unit fed.service <<-EOF
	[Service]
	Type=notify
	WatchdogSec=1s
	ExecStart="$NOTIFIER" --keepalive READY=1
	EOF
	svd_start
	wait_state fed running
	local deadline=$(($(date +%s%N) + 3000000000))
	while [ "$(date +%s%N)" -lt "$deadline" ]; do
		state_is fed running || fail "fed.service left running: $(prop fed StateCauseText)"
		sleep 0.1
	done
	expect_eq WatchdogUSec 1000000 "$(prop fed WatchdogUSec)"
	expect_eq restarts 0 "$(prop fed NRestarts)"
}

test_exit_before_ready_fails() {
	need_notifier
	unit quitter.service <<-EOF
	[Service]
	Type=notify
	ExecStart=/bin/true
	EOF
	svd_start
	svctl stop quitter
	expect_code 1 "$SVCTL" start quitter
	expect_eq result protocol "$(prop quitter Result)"
}

# EXTEND_TIMEOUT_USEC= gives more time, never less.
test_extend_never_shortens() {
	need_systemd_notify
	unit patient.service <<-EOF
	[Service]
	Type=notify
	NotifyAccess=all
	TimeoutStartSec=5
	ExecStart=/bin/sh -c 'systemd-notify EXTEND_TIMEOUT_USEC=100000; sleep 1; systemd-notify --ready; exec sleep 1000'
	EOF
	svd_start
	wait_for 15 state_is patient running ||
		fail "patient.service: $(prop patient StateCauseText)"
}

# MAINPID= may only name a process of the service's own.
test_mainpid_refused_for_others() {
	need_systemd_notify
	unit victim.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit grabber.service <<-EOF
	[Service]
	Type=notify
	NotifyAccess=all
	ExecStart=/bin/sh -c 'systemd-notify MAINPID=\$\$(cat $T/target.pid) --ready; exec sleep 1000'
	EOF
	svd_start -v
	svctl stop grabber
	wait_state victim running
	local own_pid victim_pid
	# svd itself first, then another service's main process.
	for own_pid in "$SVD_PID" "$(prop victim MainPID)"; do
		echo "$own_pid" >"$T/target.pid"
		svctl restart grabber
		wait_for "$WAIT_TIMEOUT" grep -q "grabber.service: MAINPID=$own_pid refused" \
			"$T/svd.log"
		[ "$(prop grabber MainPID)" != "$own_pid" ] ||
			fail "grabber took pid $own_pid"
	done
	victim_pid=$(prop victim MainPID)
	svctl stop grabber
	expect_eq "victim after the grabber stopped" running "$(prop victim State)"
	expect_eq "victim's main pid" "$victim_pid" "$(prop victim MainPID)"
	svd_alive || fail "svd was signalled"
}

# svd's manager never reads: svd drops its messages, never blocks.
test_deaf_manager_never_blocks_svd() {
	python3 "$TOOL" deaf "$T/deaf.sock" 60 &
	local listener=$!
	track "$listener"
	wait_for "$WAIT_TIMEOUT" test -S "$T/deaf.sock"
	NOTIFY_SOCKET=$T/deaf.sock WATCHDOG_USEC=20000 svd_start -v
	wait_for "$WAIT_TIMEOUT" grep -q "our manager has not taken the last message yet" \
		"$T/svd.log"
	svctl version >/dev/null || fail "svd does not answer"
	# One sender at a time, however deaf the manager.
	local senders
	senders=$(cat "/proc/$SVD_PID/task/$SVD_PID/children" | wc -w)
	[ "$senders" -le 1 ] || fail "$senders children of svd"
}

test_extend_timeout_and_mainpid() {
	need_systemd_notify
	unit slow.service <<-EOF
	[Service]
	Type=notify
	NotifyAccess=all
	TimeoutStartSec=1
	ExecStart=/bin/sh -c 'systemd-notify EXTEND_TIMEOUT_USEC=10000000; sleep 1.5; systemd-notify --ready; exec sleep 1000'
	EOF
	unit moved.service <<-EOF
	[Service]
	Type=notify
	NotifyAccess=all
	ExecStart=/bin/sh -c 'sleep 1000 & echo \$! > $T/moved.pid; systemd-notify MAINPID=\$! --ready; exit 0'
	EOF
	svd_start
	wait_state moved running
	wait_for "$WAIT_TIMEOUT" eval '[ "$(prop moved MainPID)" = "$(cat "$T/moved.pid")" ]'
	wait_for 15 state_is slow running ||
		fail "slow.service: $(prop slow StateCauseText)"
	# The new main process is watched: its end is the service's.
	kill -KILL "$(cat "$T/moved.pid")"
	wait_for "$WAIT_TIMEOUT" state_is moved failed
}

test_garbage_and_flood_cost_nothing() {
	need_notifier
	unit after.service <<-EOF
	[Service]
	Type=notify
	ExecStart="$NOTIFIER" READY=1
	EOF
	svd_start
	svctl stop after
	# Pipes only: the fds passed are pipes, and a socket of svctl's
	# last connection may still be open on svd's side.
	local fds_before fds_after
	fds_before=$(ls -l "/proc/$SVD_PID/fd" | grep -c 'pipe:')
	python3 "$TOOL" garbage "$T/control.notify" >"$T/sent" ||
		fail "notifytool failed"
	svctl version >/dev/null || fail "svd does not answer after the flood"
	svctl start after || fail "a notify service no longer starts"
	fds_after=$(ls -l "/proc/$SVD_PID/fd" | grep -c 'pipe:')
	expect_eq "svd's open fds (passed fds closed)" "$fds_before" "$fds_after"
}

test_svd_tells_its_manager() {
	unit one.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	python3 "$TOOL" manager "$T/manager.sock" "$T/told" 30 &
	local listener=$!
	track "$listener"
	wait_for "$WAIT_TIMEOUT" test -S "$T/manager.sock"
	NOTIFY_SOCKET=$T/manager.sock WATCHDOG_USEC=200000 svd_start
	wait_for "$WAIT_TIMEOUT" grep -q "READY=1" "$T/told"
	grep -q "STATUS=1 services: 1 active, 0 failed" "$T/told" ||
		fail "told: $(cat "$T/told")"
	wait_for "$WAIT_TIMEOUT" grep -q "^WATCHDOG=1$" "$T/told"
	svd_stop
	wait_for "$WAIT_TIMEOUT" grep -q "STOPPING=1" "$T/told"
	# svd's manager is not its services' (not even a container's
	# command's, which otherwise gets svd's environment as it is).
	local seen
	seen=$(NOTIFY_SOCKET=$T/manager.sock WATCHDOG_USEC=1000000 \
		"$SVD" -s "$T/c2.sock" -S "$T/state" -- /bin/sh -c \
		'echo "[${NOTIFY_SOCKET:-}${WATCHDOG_USEC:-}]"' 2>/dev/null)
	expect_eq "the command's NOTIFY_SOCKET and WATCHDOG_USEC" "[]" "$seen"
}

test_watchdog_pid_is_the_main_process() {
	unit watched.service <<-EOF
	[Service]
	WatchdogSec=30
	ExecStart=/bin/sh -c 'echo "\$\$WATCHDOG_PID \$\$\$\$ \$\$WATCHDOG_USEC" > $T/wd; exec sleep 1000'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" test -s "$T/wd"
	local wd main usec
	read -r wd main usec <"$T/wd"
	expect_eq WATCHDOG_PID "$main" "$wd"
	expect_eq WATCHDOG_USEC 30000000 "$usec"
	expect_eq "main pid" "$main" "$(prop watched MainPID)"
}

# Type=notify-reload: svctl reload sends SIGHUP and waits for READY=1.
# A Type=notify service that says RELOADING=1 (haproxy, knot, nsd on a
# SIGHUP from anywhere) is reloading until its READY=1, as systemd shows
# it; with ExecReload= the reload ends at that READY=1 too, not when
# ExecReload= ends (test_svc reloading_waits_for_ready).
test_reloading_waits_for_ready() {
	need_systemd_notify
	unit rl.service <<-EOF
	[Service]
	Type=notify
	NotifyAccess=all
	ExecStart=/bin/sh -c 'trap "systemd-notify RELOADING=1; while [ ! -e $T/gate ]; do sleep 0.05; done; systemd-notify --ready" HUP; systemd-notify --ready; while :; do sleep 0.1; done'
	EOF
	svd_start
	wait_state rl running
	kill -HUP "$(prop rl MainPID)"
	wait_state rl reload
	expect_eq cause "reloading (RELOADING=1)" "$(prop rl StateCauseText)"
	expect_eq "active state" reloading "$(prop rl ActiveState)"
	touch "$T/gate"
	wait_state rl running
	expect_eq cause reloaded "$(prop rl StateCauseText)"
}

test_notify_reload_waits_for_ready() {
	need_systemd_notify
	unit nr.service <<-EOF
	[Service]
	Type=notify-reload
	NotifyAccess=all
	ExecStart=/bin/sh -c 'trap "systemd-notify RELOADING=1; sleep 0.5; echo reloaded >> $T/trace; systemd-notify --ready" HUP; systemd-notify --ready; while :; do sleep 0.1; done'
	EOF
	svd_start
	wait_state nr running
	svctl reload nr
	grep -qx reloaded "$T/trace" || fail "svctl reload returned before READY=1"
	expect_eq cause reloaded "$(prop nr StateCauseText)"
}

# A real Debian daemon, from the unit file its package ships, with a
# drop-in as an admin would write one: its own data and socket in $T.
test_redis_from_its_debian_unit() {
	local server=/usr/bin/redis-check-rdb
	if [ ! -x "$server" ] || [ ! -f "$SHARED_UNITS/redis-server/redis-server.service" ]; then
		echo "skip: needs redis-tools and ../shared/units"
		exit 77
	fi
	if ! getent passwd redis >/dev/null || ! getent group redis >/dev/null; then
		echo "skip: no redis user (the unit runs as User=redis)"
		exit 77
	fi
	mkdir -p "$T/bin" "$T/units/redis-server.service.d" "$T/redis"
	# The unit's User=redis gets to its binary and its own directory.
	chmod 755 "$T"
	chown redis:redis "$T/redis"
	# One binary: it is the server when called redis-server.
	ln -s "$server" "$T/bin/redis-server"
	cp "$SHARED_UNITS/redis-server/redis-server.service" "$T/units/"
	# Its sandbox (PrivateTmp=, ProtectSystem=strict, ...) is enforced:
	# the test's directory, under /tmp, is bound into it, writable.
	unit redis-server.service.d/test.conf <<-EOF
	[Service]
	BindPaths=$T
	ExecStart=
	ExecStart=$T/bin/redis-server --supervised systemd --daemonize no --port 0 --unixsocket $T/redis/redis.sock --dir $T/redis --save "" --appendonly no
	EOF
	svd_start
	wait_state redis-server running
	expect_eq cause "ready (READY=1)" "$(prop redis-server StateCauseText)"
	expect_eq "status text" "Ready to accept connections" \
		"$(prop redis-server StatusText)"
	expect_eq ping PONG "$(redis-cli -s "$T/redis/redis.sock" ping)"
	# It runs as the user its unit names.
	expect_eq "redis-server's user" redis \
		"$(ps -o user= -p "$(prop redis-server MainPID)")"
	svctl stop redis-server
	expect_eq "after stop" inactive "$(svctl is-active redis-server)"
}

run_tests
