#!/usr/bin/env bash
# Log capture: services' stdout and stderr through svd's pipes into the
# ring (svctl logs, svctl status), the per-service file with its rotation,
# and svd's console; nothing lost when the reader keeps up, svd never
# blocked when it does not (a stalled console, a stalled follower, a full
# disk).
. "$(dirname "$0")/lib.sh"

# A file line: "2026-11-23T16:00:41.799689Z stdout: text".
STAMP_RE='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z'
LINE_RE="^$STAMP_RE (stdout|stderr|svd): "

# script NAME: writes stdin to $T/NAME, a shell script the units run with
# /bin/sh (no unit-file quoting or $ expansion to get in the way).
script() {
	cat >"$T/$1"
}

# texts STREAM [FILE...]: the text of the STREAM lines (stdin or FILEs).
texts() {
	local stream=$1
	shift
	sed -En "s/^$STAMP_RE $stream: //p" "$@"
}

# all_well_formed FILE...: every line has a stamp and a known stream.
all_well_formed() {
	! grep -Evh "$LINE_RE" "$@" | grep -q ''
}

# in_order FILE FIRST SECOND: a line matching ERE FIRST comes before one
# matching SECOND.
in_order() {
	awk -v a="$2" -v b="$3" '
		!fa && $0 ~ a { fa = NR }
		fa && NR > fa && $0 ~ b { ok = 1; exit }
		END { exit !ok }' "$1"
}

# open_gate FIFO: lets a service blocked in `read go <FIFO` go on (the
# open waits for the service's, bounded).
open_gate() {
	# shellcheck disable=SC2016
	timeout 5 sh -c 'echo go >"$1"' sh "$1"
}

# svd_start_redirected OUT ERR [ARGS...]: svd_start with its stdout and
# stderr where the test wants them (a FIFO, a file of their own).
svd_start_redirected() {
	local out=$1 err=$2
	shift 2
	"${SVD_WRAPPER[@]}" "$SVD" -u "$T/units" -s "$T/control.sock" -S "$T/state" \
		-L "$T/log" -c "$T/svd.conf" "$@" >"$out" 2>"$err" &
	SVD_PID=$!
	wait_for "$WAIT_TIMEOUT" "$SVCTL" -s "$T/control.sock" version
}

# exited_note UNIT: svd wrote its line about UNIT's end into UNIT's file,
# after everything the service printed (read before the exit is handled).
exited_note() {
	grep -Eq " svd: running -> (inactive|failed)" "$T/log/$1.log"
}

# flood_script NAME LINES: prints LINES numbered lines of 100 bytes as fast
# as awk can: "0000001 xxx...x".
flood_script() {
	script "$1" <<-EOF
	exec awk 'BEGIN { pad = sprintf("%91s", ""); gsub(/ /, "x", pad)
		for (i = 1; i <= $2; i++) printf "%07d %s\n", i, pad }'
	EOF
}

# numbered_in_order FIRST LAST [FILE...]: the stdout lines of the files,
# in the order given, are exactly FIRST..LAST from flood_script.
numbered_in_order() {
	local first=$1 last=$2
	shift 2
	cat "$@" | awk -v first="$first" -v last="$last" '
		$2 != "stdout:" { next }
		{ want = first + n++ }
		$3 + 0 != want || length($4) != 91 {
			printf "line %d: expected %07d, got: %s\n", n, want, substr($0, 1, 80)
			bad = 1; exit 1
		}
		END {
			if (bad) exit 1
			if (n != last - first + 1) {
				printf "%d numbered lines, expected %d\n", n, last - first + 1
				exit 1
			}
		}' >"$T/numbered" 2>&1 || fail "numbered lines: $(cat "$T/numbered")"
}

test_streams_tagged_in_order() {
	script lines.sh <<-'EOF'
	i=1
	while [ $i -le 200 ]; do
		echo "out $i"
		echo "err $i" >&2
		i=$((i + 1))
	done
	printf 'nul\000byte\n'
	EOF
	# StandardError= inherit (the default) shares stdout's pipe: one
	# stream, labelled stdout, in the order the lines were written.
	unit lines.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/lines.sh
	EOF
	# Sent to the log on purpose, stderr keeps a pipe and its label.
	unit split.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/lines.sh
	StandardError=journal
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" exited_note lines
	wait_for "$WAIT_TIMEOUT" exited_note split
	seq 200 | awk '{ print "out " $1; print "err " $1 }' >"$T/want.all"
	echo 'nul?byte' >>"$T/want.all"
	seq -f 'out %g' 200 >"$T/want.out"
	echo 'nul?byte' >>"$T/want.out"
	seq -f 'err %g' 200 >"$T/want.err"
	svctl logs lines >"$T/logs" || fail "svctl logs lines failed"
	svctl logs split >"$T/logs.split" || fail "svctl logs split failed"
	for f in "$T/log/lines.log" "$T/logs"; do
		all_well_formed "$f" || fail "$f: a line without stamp and stream: " \
			"$(grep -Ev "$LINE_RE" "$f" | head -n 3)"
		texts stdout "$f" >"$T/got.all"
		cmp -s "$T/want.all" "$T/got.all" ||
			fail "$f: lines out of order: $(diff "$T/want.all" "$T/got.all" | head)"
		! texts stderr "$f" | grep -q '' || fail "$f: a line labelled stderr"
		grep -Eq " svd: inactive -> start: start requested$" "$f" ||
			fail "$f: no note of the start"
	done
	for f in "$T/log/split.log" "$T/logs.split"; do
		texts stdout "$f" >"$T/got.out"
		texts stderr "$f" >"$T/got.err"
		cmp -s "$T/want.out" "$T/got.out" ||
			fail "$f: stdout lines: $(diff "$T/want.out" "$T/got.out" | head)"
		cmp -s "$T/want.err" "$T/got.err" ||
			fail "$f: stderr lines: $(diff "$T/want.err" "$T/got.err" | head)"
	done
	# The file and the ring hold the same lines.
	cmp -s "$T/log/lines.log" "$T/logs" ||
		fail "svctl logs differs from the file: $(diff "$T/log/lines.log" "$T/logs" | head)"
}

test_rotation_keeps_max_files() {
	cat >"$T/svd.conf" <<-EOF
	[Log]
	MaxFileSize=4K
	MaxFiles=3
	EOF
	flood_script flood.sh 600
	unit rot.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/flood.sh
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" exited_note rot
	expect_eq "log files" "rot.log rot.log.1 rot.log.2" "$(cd "$T/log" && echo *)"
	for f in rot.log rot.log.1 rot.log.2; do
		size=$(stat -c %s "$T/log/$f")
		[ "$size" -le 4096 ] || fail "$f: $size bytes, over MaxFileSize=4K"
		all_well_formed "$T/log/$f" || fail "$f: a broken line"
	done
	# A file is rotated when the next line would not fit, not earlier.
	for f in rot.log.1 rot.log.2; do
		size=$(stat -c %s "$T/log/$f")
		[ "$size" -gt 3900 ] || fail "$f: rotated at $size bytes"
	done
	# Oldest first, the kept lines are the newest ones, none missing.
	first=$(texts stdout "$T/log/rot.log.2" | head -n 1 | cut -d' ' -f1)
	numbered_in_order "$((10#$first))" 600 \
		"$T/log/rot.log.2" "$T/log/rot.log.1" "$T/log/rot.log"
	texts stdout "$T/log/rot.log" | grep -q '^0000600 ' ||
		fail "the newest line is not in rot.log"
}

# max_tick FILE: the highest "tick N" in FILE, 0 without any.
max_tick() {
	texts stdout "$1" | awk '$1 == "tick" && $2 > m { m = $2 } END { print m + 0 }'
}

# has_tick FILE N
has_tick() {
	texts stdout "$1" | grep -qx "tick $2"
}

test_logs_tail_and_followers() {
	script twelve.sh <<-'EOF'
	i=1
	while [ $i -le 12 ]; do echo "line $i"; i=$((i + 1)); done
	exec sleep 1000
	EOF
	script ticker.sh <<-'EOF'
	i=1
	while :; do echo "tick $i"; i=$((i + 1)); sleep 0.2; done
	EOF
	unit twelve.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/twelve.sh
	EOF
	unit ticker.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/ticker.sh
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" grep -q 'stdout: line 12$' "$T/log/twelve.log"
	wait_state twelve running
	# twelve prints nothing more: its kept lines stand still.
	svctl logs twelve >"$T/all"
	svctl logs -n 3 twelve >"$T/last3"
	expect_eq "logs -n 3" "$(tail -n 3 "$T/all")" "$(cat "$T/last3")"
	expect_eq "logs -n 3 lines" 3 "$(wc -l <"$T/last3")"
	grep -q ' stdout: line 12$' "$T/last3" || fail "logs -n 3 lacks the last line"
	expect_code 0 svctl logs -n 0 twelve
	expect_eq "logs -n 0" "" "$(cat "$T/out")"
	expect_code 0 svctl logs -n 1000 twelve
	cmp -s "$T/out" "$T/all" || fail "logs -n 1000 is not all of them"
	# status: the last 10 lines after a blank line.
	svctl status twelve >"$T/status"
	sed '1,/^$/d' "$T/status" >"$T/status.lines"
	svctl logs -n 10 twelve >"$T/last10"
	cmp -s "$T/status.lines" "$T/last10" ||
		fail "status lines: $(diff "$T/last10" "$T/status.lines" | head)"

	# Three followers at once; each sees what was kept, then new lines.
	wait_for "$WAIT_TIMEOUT" has_tick "$T/log/ticker.log" 2
	before=$(svctl logs ticker | max_tick /dev/stdin)
	# svctl itself in the background, not lib.sh's function: its pid is
	# the one to signal.
	pids=()
	for n in 1 2 3; do
		"$SVCTL" -s "$T/control.sock" logs -f ticker >"$T/follow$n" 2>&1 &
		pids+=($!)
		track $!
	done
	for n in 1 2 3; do
		wait_for "$WAIT_TIMEOUT" has_tick "$T/follow$n" "$before" ||
			fail "follower $n did not get the kept lines"
	done
	# Every follower is registered now: the next tick is new to them all.
	next=$(($(svctl logs ticker | max_tick /dev/stdin) + 1))
	for n in 1 2 3; do
		wait_for "$WAIT_TIMEOUT" has_tick "$T/follow$n" "$next" ||
			fail "follower $n never got tick $next"
	done
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	untrack "${pids[@]}"
	# Between the kept lines and the followed ones, no tick is lost or
	# repeated.
	for n in 1 2 3; do
		texts stdout "$T/follow$n" | awk '
			{ if (NR > 1 && $2 != prev + 1) { print "after tick " prev ": " $0; exit 1 }
			  prev = $2 }' >"$T/gap" || fail "follower $n: $(cat "$T/gap")"
		all_well_formed "$T/follow$n" || fail "follower $n: broken line"
	done
	expect_code 0 svctl status ticker
	expect_code 0 svctl logs -n 1 ticker
	grep -q ' stdout: tick [0-9]*$' "$T/out" || fail "logs -n 1 after the followers"
	expect_code 4 svctl logs nosuch
	expect_code 4 svctl logs -f nosuch
	svd_alive
}

# A follower gets a burst of lines read in one go (one batch, as many
# lines as svd's read holds) whole.
test_follower_gets_burst() {
	script burst.sh <<-'EOF'
	read go <"$1"
	seq -f 'burst %g' 300
	exec sleep 1000
	EOF
	mkfifo "$T/gate"
	unit burst.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/burst.sh $T/gate
	EOF
	svd_start
	wait_state burst running
	"$SVCTL" -s "$T/control.sock" logs -f burst >"$T/follow" 2>&1 &
	follower=$!
	track "$follower"
	wait_for "$WAIT_TIMEOUT" grep -q ' svd: start -> running' "$T/follow"
	open_gate "$T/gate"
	wait_for "$WAIT_TIMEOUT" grep -q ' stdout: burst 300$' "$T/log/burst.log"
	wait_for "$WAIT_TIMEOUT" grep -q ' stdout: burst 300$' "$T/follow" ||
		fail "follower: $(tail -n 3 "$T/follow")"
	kill -TERM "$follower" 2>/dev/null || true
	wait "$follower" 2>/dev/null || true
	untrack "$follower"
	expect_eq "followed lines" "$(seq -f 'burst %g' 300)" "$(texts stdout "$T/follow")"
}

test_flood_loses_nothing() {
	avail_kib=$(df -Pk "$T" | awk 'NR == 2 { print $4 }')
	if [ "$avail_kib" -lt $((1024 * 1024)) ]; then
		echo "skip: $((avail_kib / 1024)) MiB free under $T, 1 GiB needed for 100 MB of log"
		exit 77
	fi
	cat >"$T/svd.conf" <<-EOF
	[Log]
	MaxFileSize=64M
	MaxFiles=4
	EOF
	flood_script flood.sh 1000000
	unit big.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/flood.sh
	EOF
	svd_start
	# About 3 s here; sanitizer builds may be slower.
	wait_for 60 exited_note big
	files=()
	for f in big.log.3 big.log.2 big.log.1 big.log; do
		[ -e "$T/log/$f" ] && files+=("$T/log/$f")
	done
	expect_eq "files" 3 "${#files[@]}"
	numbered_in_order 1 1000000 "${files[@]}"
	svctl logs -n 1 big >/dev/null
	svd_alive
}

test_long_line_cut_not_lost() {
	script long.sh <<-'EOF'
	awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%d", i % 10; print "" }'
	echo after
	EOF
	unit long.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/long.sh
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" exited_note long
	awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%d", i % 10 }' >"$T/want"
	svctl logs long >"$T/logs"
	for f in "$T/log/long.log" "$T/logs"; do
		texts stdout "$f" >"$T/pieces"
		expect_eq "$f: piece lengths" "8192 8192 3616 5" \
			"$(awk '{ printf "%s%d", (NR > 1 ? " " : ""), length($0) }' "$T/pieces")"
		head -n 3 "$T/pieces" | tr -d '\n' >"$T/joined"
		cmp -s "$T/want" "$T/joined" || fail "$f: the long line's pieces differ from it"
		expect_eq "$f: line after" after "$(tail -n 1 "$T/pieces")"
	done
}

test_last_words_before_crash() {
	script segv.sh <<-'EOF'
	ulimit -c 0
	echo "last words"
	kill -SEGV $$
	EOF
	script nonl.sh <<-'EOF'
	printf "no newline"
	exit 3
	EOF
	unit segv.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/segv.sh
	EOF
	unit nonl.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/nonl.sh
	EOF
	svd_start
	wait_state segv failed
	wait_state nonl failed
	svctl logs segv >"$T/segv.logs"
	svctl logs nonl >"$T/nonl.logs"
	for f in "$T/segv.logs" "$T/log/segv.log"; do
		in_order "$f" ' stdout: last words$' ' svd: running -> failed: .*SEGV' ||
			fail "$f: no 'last words' before the crash note: $(cat "$f")"
	done
	for f in "$T/nonl.logs" "$T/log/nonl.log"; do
		in_order "$f" ' stdout: no newline$' ' svd: running -> failed: .*status 3' ||
			fail "$f: no 'no newline' before the exit note: $(cat "$f")"
	done
}

test_logs_survive_restarts() {
	script count.sh <<-'EOF'
	n=$(($(cat "$1" 2>/dev/null || echo 0) + 1))
	echo "$n" >"$1"
	echo "run $n"
	[ "$n" -ge 3 ] && exec sleep 1000
	exit 1
	EOF
	unit again.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/count.sh $T/count
	Restart=always
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" grep -q ' stdout: run 3$' "$T/log/again.log"
	wait_state again running
	expect_code 0 svctl restart again
	wait_for "$WAIT_TIMEOUT" grep -q ' stdout: run 4$' "$T/log/again.log"
	svctl logs again >"$T/logs"
	for f in "$T/logs" "$T/log/again.log"; do
		expect_eq "$f: runs" "run 1,run 2,run 3,run 4," \
			"$(texts stdout "$f" | tr '\n' ,)"
	done
}

test_container_console_prefix() {
	unit side.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo side-out; echo side-err >&2; exec sleep 1000'
	EOF
	unit named.service <<-EOF
	[Service]
	SyslogIdentifier=custom
	ExecStart=/bin/sh -c 'echo named-out; exec sleep 1000'
	EOF
	# The main command waits (bounded) until both side services' lines
	# are out, then ends the container.
	script main.sh <<-'EOF'
	echo main-out
	echo main-err >&2
	i=0
	until grep -q '^custom: named-out$' "$1" && grep -q '^side: side-err$' "$1"; do
		i=$((i + 1))
		[ $i -le 500 ] || exit 9
		sleep 0.02
	done
	EOF
	timeout -k 5 30 "$SVD" -u "$T/units" -s "$T/control.sock" \
		-S "$T/state" -L "$T/log" -c "$T/svd.conf" \
		-- /bin/sh "$T/main.sh" "$T/console" >"$T/console" 2>&1 &&
		status=0 || status=$?
	expect_eq "container's exit status" 0 "$status"
	grep -qx main-out "$T/console" || fail "main's stdout not verbatim: $(cat "$T/console")"
	grep -qx main-err "$T/console" || fail "main's stderr not verbatim: $(cat "$T/console")"
	grep -qx "side: side-out" "$T/console" || fail "side's stdout: $(cat "$T/console")"
	grep -qx "side: side-err" "$T/console" || fail "side's stderr: $(cat "$T/console")"
	grep -qx "custom: named-out" "$T/console" || fail "SyslogIdentifier=: $(cat "$T/console")"
	! grep -q ': main-out' "$T/console" || fail "main's line echoed with a prefix"
	# A container keeps no files by default.
	expect_eq "log files" "" "$(ls "$T/log" 2>/dev/null)"
}

test_files_off_console_on() {
	cat >"$T/svd.conf" <<-EOF
	[Log]
	Files=no
	Console=yes
	EOF
	unit echo.service <<-EOF
	[Service]
	SyslogIdentifier=shout
	ExecStart=/bin/sh -c 'echo hello; exec sleep 1000'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" grep -qx "shout: hello" "$T/svd.log"
	expect_code 0 svctl logs echo
	grep -q ' stdout: hello$' "$T/out" || fail "ring without files: $(cat "$T/out")"
	expect_eq "log files" "" "$(ls "$T/log")"
}

# Whatever sits where a log file goes, svd neither hangs nor follows it:
# a FIFO (open() would wait for a reader) and a link are refused, named.
test_log_file_not_regular_refused() {
	mkfifo "$T/log/fifo.log"
	ln -s "$T/elsewhere" "$T/log/link.log"
	unit fifo.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo into-fifo; exec sleep 1000'
	EOF
	unit link.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo into-link; exec sleep 1000'
	EOF
	svd_start
	wait_state fifo running
	wait_for "$WAIT_TIMEOUT" eval "svctl logs fifo | grep -q ' stdout: into-fifo$'"
	wait_for "$WAIT_TIMEOUT" eval "svctl logs link | grep -q ' stdout: into-link$'"
	timeout 5 "$SVCTL" -s "$T/control.sock" version >/dev/null ||
		fail "svd does not answer"
	grep -q "fifo.service: opening $T/log/fifo.log" "$T/svd.log" ||
		fail "the FIFO is not named: $(cat "$T/svd.log")"
	[ ! -e "$T/elsewhere" ] || fail "svd followed the link"
}

# A process of the service that makes its stdout non-blocking (node does)
# must not hand that to the next one: they share svd's pipe.
test_nonblocking_stdout_not_inherited() {
	unit nb.service <<-'EOF'
	[Service]
	Type=oneshot
	ExecStartPre=/usr/bin/python3 -c 'import fcntl, os; fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_NONBLOCK)'
	ExecStart=/bin/sh -c 'head -c 3000000 /dev/zero | tr "\\0" x | fold -w 100; echo; echo nb-done'
	EOF
	svd_start
	wait_for 30 eval "svctl logs -n 3 nb | grep -q ' stdout: nb-done$'"
	! grep -q 'Resource temporarily unavailable' "$T/log/nb.log" ||
		fail "a later process got a non-blocking stdout"
}

test_slow_console_never_blocks() {
	cat >"$T/svd.conf" <<-EOF
	[Log]
	Console=yes
	MaxFileSize=16M
	EOF
	flood_script flood.sh 60000
	unit flood.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/flood.sh
	EOF
	mkfifo "$T/console.fifo"
	exec 7<>"$T/console.fifo"
	svd_start_redirected "$T/svd.out" "$T/console.fifo"
	# 6 MB through a console that nobody reads: svd goes on.
	wait_for 30 exited_note flood
	timeout 5 "$SVCTL" -s "$T/control.sock" status flood >"$T/status" ||
		[ $? = 3 ] || fail "status did not answer"
	grep -q "Active: inactive" "$T/status" || fail "status: $(cat "$T/status")"
	numbered_in_order 1 60000 "$T/log/flood.log"
	cat "$T/console.fifo" >"$T/console" &
	cat_pid=$!
	track "$cat_pid"
	wait_for "$WAIT_TIMEOUT" grep -Eq '^svd: warning: [0-9]+ lines for stderr dropped: it was not read fast enough$' "$T/console" ||
		fail "no warning about dropped lines: $(tail -n 3 "$T/console")"
	dropped=$(sed -En 's/^svd: warning: ([0-9]+) lines for stderr dropped.*/\1/p' "$T/console" |
		awk '{ n += $1 } END { print n + 0 }')
	# Whole lines only, in order, and what is missing was counted.
	grep -v '^svd: ' "$T/console" >"$T/echoed"
	awk '$1 != "flood:" || $2 + 0 <= prev || length($3) != 91 { print "broken: " substr($0, 1, 80); exit 1 }
		{ prev = $2 + 0 }' "$T/echoed" >"$T/broken" ||
		fail "console: $(cat "$T/broken")"
	echoed=$(wc -l <"$T/echoed")
	[ "$echoed" -gt 0 ] || fail "no line reached the console"
	[ $((echoed + dropped)) -ge 60000 ] ||
		fail "$echoed lines on the console and $dropped dropped: some are unaccounted for"
	svd_stop || true
	kill -TERM "$cat_pid"
	wait "$cat_pid" 2>/dev/null || true
	untrack "$cat_pid"
	exec 7>&-
}

test_stalled_follower_never_blocks() {
	script gated.sh <<-'EOF'
	read go <"$1"
	exec /bin/sh "$2"
	EOF
	flood_script flood.sh 60000
	mkfifo "$T/gate" "$T/follow.fifo"
	cat >"$T/svd.conf" <<-EOF
	[Log]
	MaxFileSize=16M
	EOF
	unit flood.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/gated.sh $T/gate $T/flood.sh
	EOF
	exec 8<>"$T/follow.fifo"
	svd_start
	"$SVCTL" -s "$T/control.sock" logs -f flood >"$T/follow.fifo" 2>"$T/follow.err" &
	follower=$!
	track "$follower"
	# The follower is registered once its history (the start note) is
	# in the FIFO; the rest stays unread.
	timeout 5 head -n 1 "$T/follow.fifo" >/dev/null ||
		fail "the follower got no history: $(cat "$T/follow.err")"
	open_gate "$T/gate"
	wait_for 30 exited_note flood
	timeout 5 "$SVCTL" -s "$T/control.sock" status flood >/dev/null ||
		[ $? = 3 ] || fail "status did not answer with a stalled follower"
	numbered_in_order 1 60000 "$T/log/flood.log"
	kill -0 "$follower" 2>/dev/null ||
		fail "the follower ended instead of waiting: $(cat "$T/follow.err")"
	kill -TERM "$follower"
	wait "$follower" 2>/dev/null || true
	untrack "$follower"
	exec 8>&-
	expect_code 0 svctl logs -n 1 flood
}

can_unshare_mount() {
	[ "$(id -u)" = 0 ] && unshare --mount --propagation private true 2>/dev/null
}

test_full_disk_never_blocks() {
	if ! can_unshare_mount; then
		echo "skip: cannot make a mount namespace (needs root and unshare)"
		exit 77
	fi
	script gated.sh <<-'EOF'
	read go <"$1"
	echo after
	exec sleep 1000
	EOF
	flood_script flood.sh 30000
	mkfifo "$T/gate"
	unit flood.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c '/bin/sh $T/flood.sh; echo flood-done; exec /bin/sh $T/gated.sh $T/gate'
	EOF
	# svd in a mount namespace of its own where the log directory is a
	# 256 KiB tmpfs, 64 KiB of it taken by a filler to free later. exec:
	# the pid the harness signals is svd's.
	unshare --mount --propagation private /bin/sh -c '
		mount -t tmpfs -o size=256k svd-test-log "$1" &&
		head -c 65536 /dev/zero >"$1/filler" || exit 1
		shift
		exec "$@"' sh "$T/log" \
		"${SVD_WRAPPER[@]}" "$SVD" -u "$T/units" -s "$T/control.sock" -S "$T/state" \
		-L "$T/log" -c "$T/svd.conf" >>"$T/svd.log" 2>&1 &
	SVD_PID=$!
	wait_for "$WAIT_TIMEOUT" "$SVCTL" -s "$T/control.sock" version
	logdir=/proc/$SVD_PID/root$T/log
	[ -e "$logdir/filler" ] || fail "the tmpfs is not where svd writes"
	[ ! -e "$T/log/filler" ] || fail "the tmpfs leaked out of the namespace"
	# 3 MB into 192 KiB: lines dropped, svd goes on. The ring has every
	# line: once it has the last, svd has read them all.
	wait_for 30 eval "svctl logs -n 50 flood | grep -q ' stdout: flood-done$'"
	timeout 5 "$SVCTL" -s "$T/control.sock" status flood >"$T/status" ||
		fail "status did not answer with the disk full"
	grep -Eq '^ *Dropped: [1-9][0-9]* log lines' "$T/status" ||
		fail "status shows no dropped lines: $(cat "$T/status")"
	grep -q 'flood.service: writing its log file.*ENOSPC' "$T/svd.log" ||
		fail "svd's log does not say why: $(grep flood "$T/svd.log")"
	# Room again, then a line: the file says how many it missed.
	rm "$logdir/filler"
	open_gate "$T/gate"
	wait_for "$WAIT_TIMEOUT" grep -q 'stdout: after$' "$logdir/flood.log"
	cp "$logdir/flood.log" "$T/flood.log"
	svctl status flood >"$T/status"
	dropped=$(sed -En 's/^ *Dropped: ([0-9]+) log lines.*/\1/p' "$T/status")
	noted=$(sed -En "s/^$STAMP_RE svd: ([0-9]+) lines could not be written to this file.*/\1/p" \
		"$T/flood.log" | awk '{ n += $1 } END { print n + 0 }')
	[ "$noted" -gt 0 ] ||
		fail "no note of lost lines in the file: $(grep -v stdout: "$T/flood.log")"
	[ "$noted" -le "$dropped" ] || fail "$noted lines noted as lost, $dropped dropped"
	grep -q "flood.service: [0-9]* log lines could not be written to its file" "$T/svd.log" ||
		fail "svd's log: $(grep flood "$T/svd.log")"
	grep -Eqx "$STAMP_RE stdout: after" "$T/flood.log" ||
		fail "'after' not a line of its own: $(grep -a 'after$' "$T/flood.log" | cut -c1-200)"
	all_well_formed "$T/flood.log" ||
		fail "half-written lines: $(grep -Evn "$LINE_RE" "$T/flood.log" | cut -c1-200 | head -n 3)"
	# The numbered lines kept are whole and in order; with those counted
	# as dropped they make the 30000 (and a few lines of svd's and
	# flood-done, which may have been dropped too).
	texts stdout "$T/flood.log" | awk '
		/^[0-9]/ { if ($1 + 0 <= prev || length($2) != 91) { print "line " NR ": " substr($0, 1, 80); exit 1 }
			   prev = $1 + 0 }' >"$T/numbered" || fail "kept lines: $(cat "$T/numbered")"
	kept=$(texts stdout "$T/flood.log" | grep -c '^[0-9]')
	[ $((kept + dropped)) -ge 30000 ] && [ $((kept + dropped)) -le 30010 ] ||
		fail "$kept numbered lines kept and $dropped dropped; 30000 printed"
	svd_alive
}

test_bad_config_defaults() {
	cat >"$T/svd.conf" <<-EOF
	[Log]
	MaxFiles=0
	RingSize=1
	Console=maybe
	Colour=blue
	no equals sign here
	[Frob]
	Nitz=1
	EOF
	# 30 lines of 1000 bytes: a 64K ring holds them, a 16K one would not.
	script ring.sh <<-'EOF'
	awk 'BEGIN { pad = sprintf("%996s", ""); gsub(/ /, "y", pad)
		for (i = 1; i <= 30; i++) printf "%03d %s\n", i, pad }'
	EOF
	unit ring.service <<-EOF
	[Service]
	ExecStart=/bin/sh $T/ring.sh
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" exited_note ring
	for want in "svd.conf:2: MaxFiles=0: " "svd.conf:3: RingSize=1: " \
			"svd.conf:4: Console=maybe: " "svd.conf:5: .*Colour" \
			"svd.conf:6: " "svd.conf:8: .*Nitz"; do
		grep -q "$want" "$T/svd.log" || fail "svd's log lacks '$want'"
	done
	# Defaults: files on, console off (a service manager), a 64K ring.
	seq -f '%03g' 30 >"$T/want"
	texts stdout "$T/log/ring.log" | cut -c1-3 >"$T/got"
	cmp -s "$T/want" "$T/got" || fail "file: $(tr '\n' ' ' <"$T/got")"
	svctl logs ring >"$T/logs" || fail "svctl logs ring failed"
	texts stdout "$T/logs" | cut -c1-3 >"$T/got"
	cmp -s "$T/want" "$T/got" || fail "ring: $(tr '\n' ' ' <"$T/got")"
	! grep -q '^ring: ' "$T/svd.log" || fail "lines on the console"
	svd_alive
}

test_bad_config_every_line_named() {
	cat >"$T/svd.conf" <<-EOF
	[Log]
	first line without an equals sign
	MaxFiles=2
	second line without an equals sign
	EOF
	svd_start
	for want in "svd.conf:2: " "svd.conf:4: "; do
		grep -q "$want" "$T/svd.log" ||
			fail "svd's log lacks '$want': $(grep svd.conf "$T/svd.log")"
	done
}

run_tests
