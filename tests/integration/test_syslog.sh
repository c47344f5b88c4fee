#!/usr/bin/env bash
# The syslog socket (svd.conf SyslogSocket=, at a path in the test's
# directory): messages of a service's processes in its log with their
# priority, others in svd's own log, bad datagrams dropped and counted,
# forwarding to a datagram socket at RUNTIME/systemd/journal/syslog.
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null; then
	echo "skip: python3 needed as a syslog sender and listener"
	exit 77
fi

# svd.conf with the socket at $T/devlog and the runtime root in $T/run.
syslog_conf() {
	mkdir -p "$T/run"
	cat >"$T/svd.conf" <<-EOF
	[Manager]
	SyslogSocket=$T/devlog
	$*
	[Directories]
	Runtime=$T/run
	EOF
}

# $T/send.py SOCKET [--stay] MESSAGE...: one datagram per MESSAGE (python
# escapes such as \x00 allowed), then with --stay waits to be stopped, so
# that its pid still names its service when svd reads.
write_sender() {
	cat >"$T/send.py" <<-'EOF'
	import socket, sys, time
	path, args = sys.argv[1], sys.argv[2:]
	stay = args[:1] == ["--stay"]
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
	for m in args[1:] if stay else args:
	    s.sendto(m.encode().decode("unicode_escape").encode("latin-1"), path)
	while stay:
	    time.sleep(3600)
	EOF
}

# listen PATH OUT: a syslog daemon's socket at PATH, each datagram it
# gets appended to OUT as one line; stopped at the test's end.
listen() {
	mkdir -p "$(dirname "$1")"
	python3 - "$1" "$2" <<-'EOF' &
	import socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind(sys.argv[1])
	while True:
	    data = s.recv(1 << 17)
	    with open(sys.argv[2], "ab") as f:
	        f.write(data.replace(b"\n", b"\\n") + b"\n")
	EOF
	track $!
	wait_for "$WAIT_TIMEOUT" test -S "$1"
}

# sender NAME ARGS...: $T/NAME.sh, a service's command that becomes
# send.py --stay with those messages (shell quoting, no unit quoting).
sender() {
	local name=$1 arg
	shift
	{
		printf 'exec python3 %s/send.py %s/devlog --stay' "$T" "$T"
		for arg in "$@"; do
			printf " '%s'" "$arg"
		done
		echo
	} >"$T/$name.sh"
	unit "$name.service" <<-EOF
	[Service]
	ExecStart=/bin/sh $T/$name.sh
	EOF
}

logs_have() {
	svctl logs "$1" | grep -qF -- "$2"
}

svd_log_has() {
	grep -qF -- "$1" "$T/svd.log"
}

test_service_messages_keep_their_priority() {
	syslog_conf "ForwardToSyslog=no"
	write_sender
	sender talker "<27>Dec  6 12:00:01 talker[77]: disk on fire" \
		"<12>talker: getting warm" "<15>talker: chatter" \
		"<165>1 2003-10-11T22:14:15.003Z host app5424 99 ID47 - structured"
	svd_start
	wait_for "$WAIT_TIMEOUT" logs_have talker "structured"
	svctl logs talker >"$T/out"
	grep -qE " syslog/err: talker\[77\]: disk on fire$" "$T/out" ||
		fail "err line: $(cat "$T/out")"
	grep -qE " syslog/warning: talker: getting warm$" "$T/out" ||
		fail "warning line: $(cat "$T/out")"
	grep -qE " syslog/debug: talker: chatter$" "$T/out" ||
		fail "debug line: $(cat "$T/out")"
	grep -qE " syslog/notice: app5424\[99\]: structured$" "$T/out" ||
		fail "RFC 5424 line: $(cat "$T/out")"
	# The file has them the same way; svd's own log has none of them.
	grep -qE "Z syslog/err: talker\[77\]: disk on fire$" "$T/log/talker.log" ||
		fail "file: $(cat "$T/log/talker.log")"
	! svd_log_has "disk on fire" || fail "in svd's log too"
	svctl status talker | grep -qF "syslog/warning: talker: getting warm" ||
		fail "status: $(svctl status talker)"
}

# Console=yes echoes a service's syslog lines as its output, but a debug
# one stays off the console (journald's MaxLevelConsole=info).
test_console_leaves_out_debug() {
	syslog_conf "ForwardToSyslog=no"
	printf '[Log]\nConsole=yes\n' >>"$T/svd.conf"
	write_sender
	sender quiet "<15>quiet: debug only" "<14>quiet: info shown"
	svd_start
	wait_for "$WAIT_TIMEOUT" svd_log_has "quiet: quiet: info shown"
	logs_have quiet "syslog/debug: quiet: debug only" ||
		fail "debug line not kept: $(svctl logs quiet)"
	! svd_log_has "debug only" || fail "debug line on the console"
}

# A process of the service that is neither its main nor its control one
# (a child in its session) counts as the service's.
test_child_of_service_is_attributed() {
	syslog_conf "ForwardToSyslog=no"
	write_sender
	cat >"$T/parent.sh" <<-EOF
	python3 $T/send.py $T/devlog --stay "<11>worker[1]: from a child" &
	wait
	EOF
	unit parent.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/parent.sh
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" logs_have parent "syslog/err: worker[1]: from a child"
}

# logger(1) as the main process: it has ended by the time svd hears of
# it, but its message is read before its exit is handled.
test_logger_as_main_process() {
	if ! logger --help 2>&1 | grep -q -- '--socket'; then
		echo "skip: util-linux logger with -u needed"
		exit 77
	fi
	syslog_conf "ForwardToSyslog=no"
	unit once.service <<-EOF
	[Service]
	Type=oneshot
	ExecStart=/usr/bin/logger -u $T/devlog -t once -p daemon.warning "said once"
	EOF
	svd_start
	wait_state once.service inactive
	logs_have once "syslog/warning: once: said once" ||
		fail "not in its log: $(svctl logs once)"
	! svd_log_has "said once" || fail "in svd's log instead"
}

test_message_of_no_service_goes_to_svds_log() {
	syslog_conf "ForwardToSyslog=no"
	write_sender
	svd_start
	python3 "$T/send.py" "$T/devlog" "<28>Dec  6 12:00:01 outsider[4242]: hello"
	wait_for "$WAIT_TIMEOUT" svd_log_has "svd: warning: outsider[4242]: hello"
	# No tag: the sender's pid stands in.
	python3 "$T/send.py" "$T/devlog" "<11>untagged words"
	wait_for "$WAIT_TIMEOUT" grep -qE "svd: error: \[[0-9]+\]: untagged words" \
		"$T/svd.log"
	# A tag too long to show whole is cut visibly; the text is whole.
	python3 "$T/send.py" "$T/devlog" "<14>$(printf 'T%.0s' {1..100})[1]: long tag"
	wait_for "$WAIT_TIMEOUT" svd_log_has \
		"svd: info: $(printf 'T%.0s' {1..64})...[1]: long tag"
}

test_bad_datagrams_cost_nothing_but_themselves() {
	syslog_conf "ForwardToSyslog=no"
	write_sender
	sender talker "" '\x00\x00' "<999>x" "<13" "<13>1 - - [" \
		'<14>talker: nul\x00inside' '<14>talker: two\nlines' \
		"<14>talker: last"
	svd_start
	wait_for "$WAIT_TIMEOUT" logs_have talker "talker: last"
	svctl logs talker >"$T/out"
	grep -qF "syslog/notice: <999>x" "$T/out" || fail "bad PRI: $(cat "$T/out")"
	grep -qF "syslog/info: talker: nul?inside" "$T/out" || fail "NUL: $(cat "$T/out")"
	grep -qF "syslog/info: talker: two" "$T/out" &&
		grep -qE "syslog/info: lines$" "$T/out" || fail "lines: $(cat "$T/out")"
	# Past 64 KiB: dropped whole, counted, said.
	python3 "$T/send.py" "$T/devlog" "$(head -c 70000 /dev/zero | tr '\0' x)"
	wait_for "$WAIT_TIMEOUT" svd_log_has "a 70000-byte message from pid"
	svd_log_has "(1 dropped so far)" || fail "no count"
	svd_alive || fail "svd died"
	python3 "$T/send.py" "$T/devlog" "<14>after: still here"
	wait_for "$WAIT_TIMEOUT" svd_log_has "after[" 
}

test_forwarding_to_a_listener() {
	syslog_conf ""
	write_sender
	sender talker "<27>Dec  6 12:00:01 talker[77]: before any listener"
	svd_start
	wait_for "$WAIT_TIMEOUT" logs_have talker "before any listener"
	listen "$T/run/systemd/journal/syslog" "$T/forwarded"
	python3 "$T/send.py" "$T/devlog" "<30>outsider[5]: now forwarded" \
		"<13>no tag at all"
	wait_for "$WAIT_TIMEOUT" grep -q "no tag at all" "$T/forwarded"
	grep -qE "^<30>[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} outsider\[5\]: now forwarded$" \
		"$T/forwarded" || fail "forwarded: $(cat "$T/forwarded")"
	grep -qE "^<13>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} no tag at all$" \
		"$T/forwarded" || fail "forwarded: $(cat "$T/forwarded")"
	! grep -q "before any listener" "$T/forwarded" || fail "replayed"
	# Nobody listening before was no failure.
	! svd_log_has "not forwarded" || fail "spoke of failures"
}

# A listener that does not read: what it cannot take is counted and said
# (limited), svd goes on and keeps every message itself.
test_forward_failures_counted() {
	syslog_conf "ForwardToSyslog=$T/deaf.sock"
	write_sender
	svd_start
	python3 - "$T/deaf.sock" <<-'EOF' &
	import socket, sys, time
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind(sys.argv[1])
	time.sleep(3600)
	EOF
	track $!
	wait_for "$WAIT_TIMEOUT" test -S "$T/deaf.sock"
	python3 - "$T/devlog" <<-'EOF'
	import socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	for i in range(2000):
	    s.sendto(b"<14>flood[1]: message %d" % i, sys.argv[1])
	EOF
	wait_for "$WAIT_TIMEOUT" svd_log_has "messages not forwarded so far"
	grep -qE "forwarding to $T/deaf.sock: EAGAIN \(.*\); 1 messages not" \
		"$T/svd.log" || fail "$(grep forwarding "$T/svd.log")"
	svd_alive || fail "svd died"
}

test_forward_path_and_off() {
	syslog_conf "ForwardToSyslog=$T/rsyslog.sock"
	write_sender
	svd_start
	listen "$T/rsyslog.sock" "$T/forwarded"
	python3 "$T/send.py" "$T/devlog" "<14>x[1]: to the path"
	wait_for "$WAIT_TIMEOUT" grep -q "to the path" "$T/forwarded"
	svd_stop
	syslog_conf "ForwardToSyslog=no"
	svd_start
	python3 "$T/send.py" "$T/devlog" "<14>x[1]: kept here"
	wait_for "$WAIT_TIMEOUT" svd_log_has "kept here"
	! grep -q "kept here" "$T/forwarded" || fail "forwarded though off"
}

# A stale socket is replaced; one that answers is a syslog daemon's and
# is left to it (svd runs without).
test_socket_path_is_probed() {
	syslog_conf "ForwardToSyslog=no"
	write_sender
	listen "$T/devlog" "$T/theirs"
	svd_start
	wait_for "$WAIT_TIMEOUT" svd_log_has "another syslog daemon listens there"
	python3 "$T/send.py" "$T/devlog" "<14>x: for the other daemon"
	wait_for "$WAIT_TIMEOUT" grep -q "for the other daemon" "$T/theirs"
	svd_stop
	# The listener is gone now: its socket file stays, stale.
	kill "${TRACKED_PIDS[0]}"
	wait_for "$WAIT_TIMEOUT" not_running "${TRACKED_PIDS[0]}"
	untrack "${TRACKED_PIDS[0]}"
	test -S "$T/devlog"
	: >"$T/svd.log"
	svd_start
	python3 "$T/send.py" "$T/devlog" "<14>y[2]: svd took it over"
	wait_for "$WAIT_TIMEOUT" svd_log_has "y[2]: svd took it over"
	[ "$(stat -c %a "$T/devlog")" = 666 ] || fail "mode $(stat -c %a "$T/devlog")"
	svd_stop
	! test -e "$T/devlog" || fail "socket left behind"
	# Not a socket: left alone.
	echo data >"$T/devlog"
	svd_start
	wait_for "$WAIT_TIMEOUT" svd_log_has "exists and is not a socket"
	[ "$(cat "$T/devlog")" = data ]
}

run_tests
