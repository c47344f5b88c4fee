#!/usr/bin/env bash
# Socket units: a libsystemd sd_listen_fds_with_names() service started on
# its first connection (Accept=no), inetd-style instances per connection
# (Accept=yes, StandardInput=socket, MaxConnections=), datagrams and FIFOs,
# the nodes' modes and owners, the trigger limit, and bad socket units:
# errors that name the file and line, a socket that cannot listen failing
# with the reason, svd running throughout.
. "$(dirname "$0")/lib.sh"

need_listener() {
	if [ -z "${LISTENER:-}" ] || [ ! -x "$LISTENER" ]; then
		echo "skip: built without libsystemd (no listener helper)"
		exit 77
	fi
}

# ask PATH [TEXT]: connects to a stream socket, sends TEXT, prints the
# answer (bounded).
ask() {
	timeout 10 python3 - "$1" "${2:-}" <<-'PY'
	import socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	s.settimeout(8)
	s.connect(sys.argv[1])
	if sys.argv[2]:
	    s.sendall(sys.argv[2].encode() + b"\n")
	out = b""
	while True:
	    b = s.recv(4096)
	    if not b:
	        break
	    out += b
	sys.stdout.write(out.decode())
	PY
}

# disabled NAME: not started at boot, only on demand.
disabled() {
	mkdir -p "$T/state/disabled"
	touch "$T/state/disabled/$1"
}

# idle NAME: a service for a socket to name, never started here.
idle() {
	unit "$1" <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	disabled "$1"
}

log_has() {
	svctl logs "$1" 2>/dev/null | grep -q -- "$2"
}

test_accept_no_starts_a_libsystemd_service() {
	need_listener
	unit web.socket <<-EOF
	[Socket]
	ListenStream=$T/run/web.sock
	ListenStream=@svd-test-$$-web
	FileDescriptorName=http
	EOF
	unit web.service <<-EOF
	[Service]
	ExecStart=$LISTENER
	EOF
	disabled web.service
	svd_start
	wait_state web.socket exited
	expect_eq "socket sub-state" listening "$(prop web.socket SubState)"
	expect_eq "service before traffic" inactive "$(svctl is-active web)"
	expect_eq triggers web.service "$(prop web.socket Triggers)"
	[ -S "$T/run/web.sock" ] || fail "no socket file"
	expect_eq answer "hello from http" "$(ask "$T/run/web.sock")"
	# It served one connection and exited; the socket listens again
	# and starts it again on the next one.
	wait_state web inactive
	expect_eq "second answer" "hello from http" "$(ask "$T/run/web.sock")"
	log_has web "fds=2 names=http:http" || fail "log: $(svctl logs web)"
	svctl status web.socket | grep -q "Listen: Stream $T/run/web.sock" ||
		fail "status: $(svctl status web.socket)"
	svctl status web.socket | grep -q "Listen: Stream @svd-test-$$-web" ||
		fail "status: $(svctl status web.socket)"
	# Stopped, it no longer listens (the file stays: RemoveOnStop=no).
	svctl stop web.socket
	expect_eq "after stop" inactive "$(svctl is-active web.socket)"
	! ask "$T/run/web.sock" >/dev/null 2>&1 || fail "still answers after stop"
	svd_alive || fail "svd died"
}

# A service started by itself (at boot) gets the sockets too, and the
# socket does not start it a second time while it runs.
test_running_service_gets_its_sockets() {
	need_listener
	unit both.socket <<-EOF
	[Socket]
	ListenStream=$T/both.sock
	EOF
	unit both.service <<-EOF
	[Service]
	ExecStart=$LISTENER --serve
	EOF
	svd_start
	wait_state both running
	local pid
	pid=$(prop both MainPID)
	expect_eq answer "hello from both.socket" "$(ask "$T/both.sock")"
	expect_eq answer "hello from both.socket" "$(ask "$T/both.sock")"
	expect_eq "same process" "$pid" "$(prop both MainPID)"
	# Service= names another service; Sockets= adds one more.
	unit alt.socket <<-EOF
	[Socket]
	ListenStream=$T/alt.sock
	Service=other.service
	EOF
	unit extra.socket <<-EOF
	[Socket]
	ListenDatagram=$T/extra.sock
	EOF
	unit other.service <<-EOF
	[Service]
	ExecStart=$LISTENER --serve
	Sockets=extra.socket
	EOF
	unit extra.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	disabled other.service
	disabled extra.service
	svctl daemon-reload
	svctl start alt.socket
	expect_eq answer "hello from alt.socket" "$(ask "$T/alt.sock")"
	wait_state other running
	log_has other "fds=2 names=alt.socket:extra.socket" ||
		fail "log: $(svctl logs other)"
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"ping", sys.argv[1])' "$T/extra.sock"
	wait_for "$WAIT_TIMEOUT" log_has other "datagram on extra.socket: ping" ||
		fail "log: $(svctl logs other)"
}

# Every socket listens before any service starts: a.service sorts
# before z.socket and needs it at once, with no order between them (its
# condition is checked by svd as its start job runs).
test_sockets_open_before_services_at_boot() {
	unit z.socket <<-EOF
	[Socket]
	ListenStream=$T/z.sock
	EOF
	unit z.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit a.service <<-EOF
	[Unit]
	ConditionPathExists=$T/z.sock
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	disabled z.service
	svd_start
	wait_state a running
	wait_state z.socket exited
}

test_accept_yes_instances_per_connection() {
	unit echo.socket <<-EOF
	[Socket]
	ListenStream=$T/echo.sock
	Accept=yes
	EOF
	unit echo@.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'read line; echo "\$line fds=\$LISTEN_FDS names=\$LISTEN_FDNAMES unit=%n"'
	StandardInput=socket
	EOF
	svd_start
	wait_state echo.socket exited
	local out
	out=$(ask "$T/echo.sock" one)
	case $out in
	# The connection is stdin and stdout only, not fd 3 too: systemd
	# sets no LISTEN_FDS= then.
	"one fds= names= unit=echo@0-"*"-$(id -u).service") ;;
	*) fail "answer: $out" ;;
	esac
	expect_eq "second" two "$(ask "$T/echo.sock" two | cut -d' ' -f1)"
	expect_eq accepted 2 "$(prop echo.socket NAccepted)"
	expect_eq triggers echo@.service "$(prop echo.socket Triggers)"
	# The instances are gone once done, their connections closed.
	wait_for "$WAIT_TIMEOUT" eval '[ "$(prop echo.socket NConnections)" = 0 ]' ||
		fail "connections: $(prop echo.socket NConnections)"
	wait_for "$WAIT_TIMEOUT" eval '! svctl list | grep -q "echo@"' ||
		fail "instances left: $(svctl list)"
	svctl status echo.socket | grep -q "Accepted: 2; Connected: 0; Refused: 0" ||
		fail "status: $(svctl status echo.socket)"
}

test_accept_yes_over_tcp_sets_remote_addr() {
	local port
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	unit tcp.socket <<-EOF
	[Socket]
	ListenStream=127.0.0.1:$port
	Accept=yes
	EOF
	unit tcp@.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo "\$REMOTE_ADDR \$REMOTE_PORT"'
	StandardInput=socket
	EOF
	svd_start
	wait_state tcp.socket exited
	local out
	out=$(timeout 10 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=8)
print(s.getsockname()[1], s.makefile().readline().strip())' "$port")
	local mine addr remote_port
	read -r mine addr remote_port <<<"$out"
	expect_eq REMOTE_ADDR 127.0.0.1 "$addr"
	expect_eq REMOTE_PORT "$mine" "$remote_port"
}

# An IPv4 peer of an IPv6 socket is named and told as IPv4, as systemd
# does (the usual ListenStream=PORT is such a socket; bound here to the
# IPv4-mapped loopback only: tests stay on loopback).
test_accept_yes_ipv4_peer_of_an_ipv6_socket() {
	local port
	port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::ffff:127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null) ||
		{ echo "skip: no IPv6"; exit 77; }
	unit mapped.socket <<-EOF
	[Socket]
	ListenStream=[::ffff:127.0.0.1]:$port
	Accept=yes
	EOF
	unit mapped@.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo "\$REMOTE_ADDR %i"'
	StandardInput=socket
	EOF
	svd_start
	wait_state mapped.socket exited
	local out mine
	out=$(timeout 10 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=8)
print(s.getsockname()[1], s.makefile().readline().strip())' "$port")
	mine=${out%% *}
	expect_eq "REMOTE_ADDR and instance" \
		"127.0.0.1 0-127.0.0.1:$port-127.0.0.1:$mine" "${out#* }"
}

# Without StandardInput=socket, the connection is fd 3 (LISTEN_FDS=1,
# named "connection"); StandardOutput=socket alone connects stdout, as
# systemd allows, and then the socket is not at 3.
test_accept_yes_connection_at_fd3_or_stdout() {
	unit fd3.socket <<-EOF
	[Socket]
	ListenStream=$T/fd3.sock
	Accept=yes
	EOF
	unit fd3@.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'read line <&3; echo "\$line fds=\$LISTEN_FDS names=\$LISTEN_FDNAMES" >&3'
	EOF
	unit out.socket <<-EOF
	[Socket]
	ListenStream=$T/out.sock
	Accept=yes
	EOF
	unit out@.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo "out fds=\$LISTEN_FDS"; [ -e /proc/self/fd/3 ] && echo "fd 3 open"; true'
	StandardOutput=socket
	EOF
	svd_start
	wait_state fd3.socket exited
	wait_state out.socket exited
	expect_eq fd3 "one fds=1 names=connection" "$(ask "$T/fd3.sock" one)"
	expect_eq stdout "out fds=" "$(ask "$T/out.sock")"
}

# An instance of a template socket with Accept=yes starts instances of
# its prefix's template, as systemd's unit_name_to_prefix() has it (it
# once asked for "echo@x@0-....service", an invalid name, and refused).
test_accept_yes_template_socket_instance() {
	unit 'tpl@.socket' <<-EOF
	[Socket]
	ListenStream=$T/tpl-%i.sock
	Accept=yes
	EOF
	unit 'tpl@.service' <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'read line; echo "\$line %n"'
	StandardInput=socket
	EOF
	svd_start
	svctl start tpl@x.socket
	wait_state tpl@x.socket exited
	expect_eq triggers tpl@.service "$(prop tpl@x.socket Triggers)"
	local out
	out=$(ask "$T/tpl-x.sock" hi)
	case $out in
	"hi tpl@0-"*"-$(id -u).service") ;;
	*) fail "answer: $out; log: $(tail -3 "$T/svd.log")" ;;
	esac
}

test_max_connections_refuses_one_too_many() {
	unit one.socket <<-EOF
	[Socket]
	ListenStream=$T/one.sock
	Accept=yes
	MaxConnections=1
	EOF
	unit one@.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'while [ ! -e $T/release ]; do sleep 0.02; done; echo done'
	StandardInput=socket
	EOF
	svd_start
	wait_state one.socket exited
	ask "$T/one.sock" >"$T/first" &
	track $!
	wait_for "$WAIT_TIMEOUT" eval '[ "$(prop one.socket NConnections)" = 1 ]' ||
		fail "first connection not taken"
	# As systemd: the one too many is taken and closed at once.
	expect_eq "second" "" "$(ask "$T/one.sock")"
	expect_eq refused 1 "$(prop one.socket NRefused)"
	touch "$T/release"
	wait_for "$WAIT_TIMEOUT" eval '[ "$(cat "$T/first" 2>/dev/null)" = done ]' ||
		fail "first: $(cat "$T/first")"
	wait_for "$WAIT_TIMEOUT" eval '[ "$(prop one.socket NConnections)" = 0 ]' ||
		fail "connections: $(prop one.socket NConnections)"
	expect_eq "after the first ended" done "$(ask "$T/one.sock")"
	expect_eq "accepted (refused ones are not)" 2 "$(prop one.socket NAccepted)"
}

# accept() failing for want of fds leaves the connection queued and the
# socket readable: svd once spun on it at full CPU. It stops and says so
# (systemd fails the socket).
test_accept_failure_stalls_instead_of_spinning() {
	command -v prlimit >/dev/null || { echo "skip: no prlimit"; exit 77; }
	unit many.socket <<-EOF
	[Socket]
	ListenStream=$T/many.sock
	Accept=yes
	EOF
	unit many@.service <<-EOF
	[Service]
	ExecStart=/bin/cat
	StandardInput=socket
	EOF
	SVD_WRAPPER=(prlimit --nofile=40:40)
	svd_start
	wait_state many.socket exited
	# Holds 60 connections until told: the instances (cat) end with them.
	timeout 20 python3 - "$T/many.sock" "$T/release" <<-'PY' &
	import os, socket, sys, time
	held = []
	for i in range(60):
	    s = socket.socket(socket.AF_UNIX)
	    s.connect(sys.argv[1])
	    held.append(s)
	while not os.path.exists(sys.argv[2]):
	    time.sleep(0.02)
	PY
	local client=$!
	track "$client"
	wait_for "$WAIT_TIMEOUT" grep -q "accepting a connection: EMFILE" "$T/svd.log" ||
		fail "no EMFILE"
	touch "$T/release"
	wait "$client" || true
	untrack "$client"
	# svd answers again once the instances are gone: it did not spin.
	wait_for "$WAIT_TIMEOUT" eval 'prop many.socket TriggerStalled | grep -q "accepting a connection failed"' ||
		fail "not stalled: $(svctl status many.socket)"
	svd_alive || fail "svd died"
}

test_fifo_and_datagram() {
	unit feed.socket <<-EOF
	[Socket]
	ListenFIFO=$T/feed.fifo
	SocketMode=0620
	EOF
	unit feed.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'read line <&3; echo "fifo said \$line"'
	EOF
	disabled feed.service
	svd_start
	wait_state feed.socket exited
	[ -p "$T/feed.fifo" ] || fail "no FIFO"
	expect_eq "FIFO mode" 620 "$(stat -c %a "$T/feed.fifo")"
	echo hello >"$T/feed.fifo"
	wait_for "$WAIT_TIMEOUT" log_has feed "fifo said hello" ||
		fail "log: $(svctl logs feed)"
}

# A FIFO is handed over blocking, as systemd's NonBlocking=no does: a
# service that reads it before anyone wrote waits instead of failing
# with EAGAIN (svd opens it non-blocking, not to wait for a writer).
test_fifo_is_passed_blocking() {
	unit early.socket <<-EOF
	[Socket]
	ListenFIFO=$T/early.fifo
	EOF
	unit early.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'read line <&3; echo "read \$? \$line"'
	EOF
	svd_start
	wait_state early running
	echo hello >"$T/early.fifo"
	wait_for "$WAIT_TIMEOUT" log_has early "read 0 hello" ||
		fail "log: $(svctl logs early)"
}

test_nodes_modes_owners_and_remove_on_stop() {
	unit node.socket <<-EOF
	[Socket]
	ListenStream=$T/deep/er/node.sock
	ListenSequentialPacket=$T/deep/er/seq.sock
	SocketMode=0600
	DirectoryMode=0710
	Symlinks=$T/link.sock
	RemoveOnStop=yes
	Service=nothing-here.service
	EOF
	idle nothing-here.service
	if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null; then
		echo "SocketUser=nobody" >>"$T/units/node.socket"
	fi
	svd_start
	wait_state node.socket exited
	expect_eq "socket mode" 600 "$(stat -c %a "$T/deep/er/node.sock")"
	expect_eq "directory mode" 710 "$(stat -c %a "$T/deep/er")"
	expect_eq "symlink" "$T/deep/er/node.sock" "$(readlink "$T/link.sock")"
	if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null; then
		expect_eq owner nobody "$(stat -c %U "$T/deep/er/node.sock")"
	fi
	svctl stop node.socket
	[ ! -e "$T/deep/er/node.sock" ] && [ ! -e "$T/deep/er/seq.sock" ] &&
		[ ! -L "$T/link.sock" ] || fail "RemoveOnStop= left: $(ls -la "$T" "$T/deep/er")"
	# A stale socket file from an earlier run is replaced.
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/deep/er/node.sock"
	svctl start node.socket
	expect_eq "over a stale file" active "$(svctl is-active node.socket)"
}

# A listening socket whose file is masked or turns bad before a reload
# keeps the definition it listens by: stop still closes it. It once lost
# it, kept listening and ignored stop (a service too: svctl stop hung).
test_socket_masked_or_broken_while_listening_can_be_stopped() {
	unit gone.socket <<-EOF
	[Socket]
	ListenStream=$T/gone.sock
	Service=nothing.service
	EOF
	unit bad.socket <<-EOF
	[Socket]
	ListenStream=$T/bad.sock
	Service=nothing.service
	EOF
	unit run.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	idle nothing.service
	svd_start
	wait_state gone.socket exited
	wait_state bad.socket exited
	wait_state run running
	ln -sf /dev/null "$T/units/gone.socket"
	ln -sf /dev/null "$T/units/run.service"
	echo "Accept=maybe" >>"$T/units/bad.socket"
	svctl daemon-reload
	expect_eq "masked" masked "$(prop gone.socket LoadState)"
	timeout 10 "$SVCTL" -s "$T/control.sock" stop gone.socket bad.socket run ||
		fail "stop failed"
	expect_eq gone inactive "$(svctl is-active gone.socket)"
	expect_eq bad inactive "$(svctl is-active bad.socket)"
	expect_eq run inactive "$(svctl is-active run)"
	! ask "$T/gone.sock" >/dev/null 2>&1 || fail "still listening"
	expect_code 1 "$SVCTL" -s "$T/control.sock" start gone.socket
	! grep -q BUG "$T/svd.log" || fail "$(grep BUG "$T/svd.log")"
}

test_socket_that_cannot_listen_fails_with_the_reason() {
	touch "$T/plainfile"
	unit bad.socket <<-EOF
	[Socket]
	ListenStream=$T/plainfile/x.sock
	EOF
	unit taken.socket <<-EOF
	[Socket]
	ListenStream=$T/taken.sock
	EOF
	# Not a socket: svd does not remove what is not its own.
	echo data >"$T/taken.sock"
	unit notfifo.socket <<-EOF
	[Socket]
	ListenFIFO=$T/plainfile
	EOF
	idle bad.service
	idle taken.service
	idle notfifo.service
	svd_start
	wait_state notfifo.socket failed
	expect_eq "not a FIFO" "could not listen: ListenFIFO=$T/plainfile: not a FIFO: File exists" \
		"$(prop notfifo.socket StateCauseText)"
	wait_state bad.socket failed
	prop bad.socket StateCauseText |
		grep -q "could not listen: ListenStream=$T/plainfile/x.sock: bind: Not a directory" ||
		fail "cause: $(prop bad.socket StateCauseText)"
	wait_state taken.socket failed
	prop taken.socket StateCauseText |
		grep -q "could not listen: ListenStream=$T/taken.sock: bind: Address already in use" ||
		fail "cause: $(prop taken.socket StateCauseText)"
	expect_eq "the file is kept" data "$(cat "$T/taken.sock")"
	expect_code 1 "$SVCTL" -s "$T/control.sock" start taken.socket
	svd_alive || fail "svd died"
}

test_bad_socket_units_are_refused_by_name_and_line() {
	unit nolisten.socket <<-EOF
	[Socket]
	Accept=no
	EOF
	unit dgram.socket <<-EOF
	[Socket]
	ListenDatagram=$T/d.sock
	Accept=yes
	EOF
	unit addr.socket <<-EOF
	[Socket]
	ListenStream=127.0.0.1:70000
	ListenStream=[::1]:80%%eth0
	ListenSequentialPacket=127.0.0.1:80
	EOF
	unit svc.socket <<-EOF
	[Socket]
	ListenStream=$T/s.sock
	Service=tpl@.service
	EOF
	unit stdin.service <<-EOF
	[Service]
	ExecStart=/bin/cat
	StandardInput=socket
	EOF
	expect_code 1 "$SVCTL" verify "$T/units/nolisten.socket" "$T/units/dgram.socket" \
		"$T/units/addr.socket" "$T/units/svc.socket"
	grep -q "nolisten.socket: Unit has no Listen setting" "$T/err" || fail "$(cat "$T/err")"
	grep -q "dgram.socket: Unit configured for accepting sockets, but sockets are non-accepting" "$T/err" ||
		fail "$(cat "$T/err")"
	grep -q "addr.socket:2: ListenStream=127.0.0.1:70000: port out of range" "$T/err" ||
		fail "$(cat "$T/err")"
	grep -q "addr.socket:3: .*interface scopes" "$T/err" || fail "$(cat "$T/err")"
	grep -q "addr.socket:4: .*AF_UNIX only" "$T/err" || fail "$(cat "$T/err")"
	grep -q "svc.socket:3: Service=tpl@.service: invalid value" "$T/err" ||
		fail "$(cat "$T/err")"
	svd_start
	expect_eq "nolisten" error "$(prop nolisten.socket LoadState)"
	# StandardInput=socket without a socket: the start fails, named.
	wait_state stdin failed
	prop stdin StateCauseText | grep -q "StandardInput=socket: it was not started for exactly one socket" ||
		fail "cause: $(prop stdin StateCauseText)"
	expect_code 4 "$SVCTL" -s "$T/control.sock" start nothing.socket
	svd_alive || fail "svd died"
}

# Traffic for a service that cannot load (a bad file, masked) stalls the
# socket, said in its status, instead of leaving it deaf and silent.
# As systemd's socket_start(): a socket whose service is missing, masked
# or broken is refused, named; one whose service turns bad while it
# listens stalls on the next traffic, said in its status.
test_socket_of_a_bad_service_stalls() {
	unit lone.socket <<-EOF
	[Socket]
	ListenStream=$T/lone.sock
	EOF
	unit bad.socket <<-EOF
	[Socket]
	ListenStream=$T/bad.sock
	EOF
	idle bad.service
	svd_start
	wait_state lone.socket failed
	expect_eq "lone" "could not listen: Socket service lone.service not loaded, refusing" \
		"$(prop lone.socket StateCauseText)"
	[ ! -e "$T/lone.sock" ] || fail "lone.socket made its socket"
	wait_state bad.socket exited
	unit bad.service <<-EOF
	[Service]
	ExecStart=/bin/true
	Type=nonsense
	EOF
	svctl daemon-reload
	timeout 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])' "$T/bad.sock"
	wait_for "$WAIT_TIMEOUT" eval 'prop bad.socket TriggerStalled | grep -q "masked or its unit file has errors"' ||
		fail "not stalled: $(svctl status bad.socket)"
}

test_trigger_limit_stalls_a_socket_whose_service_never_reads() {
	unit spin.socket <<-EOF
	[Socket]
	ListenStream=$T/spin.sock
	TriggerLimitBurst=3
	TriggerLimitIntervalSec=1h
	EOF
	unit spin.service <<-EOF
	[Service]
	ExecStart=/bin/true
	StartLimitBurst=0
	EOF
	disabled spin.service
	svd_start
	wait_state spin.socket exited
	# A connection nobody accepts: every start of spin leaves it there.
	timeout 10 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
time.sleep(5)' "$T/spin.sock" &
	track $!
	wait_for "$WAIT_TIMEOUT" eval 'prop spin.socket TriggerStalled | grep -q "trigger limit hit"' ||
		fail "not stalled: $(svctl status spin.socket)"
	svctl status spin.socket | grep -q "Stalled: trigger limit hit" ||
		fail "status: $(svctl status spin.socket)"
	svd_alive || fail "svd died"
}

# A daemon-reload leaves an open socket as it opened (systemd too keeps
# its fds): svd once freed the definition the open socket still used.
# The file changes, even to a kind of socket it cannot turn into; the old
# one goes on serving and shows where it listens until it is restarted.
test_reload_keeps_an_open_socket_as_it_opened() {
	unit echo.socket <<-EOF
	[Socket]
	ListenStream=$T/echo.sock
	Accept=yes
	EOF
	unit echo@.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'read line; echo "\$line"'
	StandardInput=socket
	EOF
	svd_start
	wait_state echo.socket exited
	expect_eq before one "$(ask "$T/echo.sock" one)"
	unit echo.socket <<-EOF
	[Socket]
	ListenStream=$T/new.sock
	ListenDatagram=$T/new.dgram
	Service=nothing.service
	EOF
	idle nothing.service
	svctl daemon-reload
	expect_eq "after reload" two "$(ask "$T/echo.sock" two)"
	expect_eq "listens" "Stream $T/echo.sock" "$(prop echo.socket Listen)"
	expect_eq accepted 2 "$(prop echo.socket NAccepted)"
	svctl daemon-reload
	expect_eq "second reload" three "$(ask "$T/echo.sock" three)"
	svctl restart echo.socket
	wait_state echo.socket exited
	expect_eq "restarted" "Stream $T/new.sock" "$(prop echo.socket Listen)"
	[ -S "$T/new.sock" ] || fail "no new socket"
	! ask "$T/echo.sock" four >/dev/null 2>&1 || fail "old socket still answers"
	svd_alive || fail "svd died"
}

run_tests
