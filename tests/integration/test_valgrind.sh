#!/usr/bin/env bash
# svd under valgrind through a busy session: no invalid access, no leak.
. "$(dirname "$0")/lib.sh"

test_no_leaks_or_invalid_access() {
	if [ "${SVD_SANITIZE:-0}" = 1 ]; then
		echo "skip: sanitizer build (valgrind cannot run ASan binaries)"
		return 77
	fi
	if ! command -v valgrind >/dev/null; then
		echo "skip: valgrind not installed"
		return 77
	fi
	unit a.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit crash.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'exit 3'
	Restart=always
	RestartSec=0
	StartLimitBurst=3
	EOF
	unit bad.service <<-EOF
	[Service]
	Restart=bogus
	ExecStart=/bin/true
	EOF
	# Under valgrind vfork is a fork: an exec failure must still be told.
	unit missing.service <<-EOF
	[Service]
	ExecStart=$T/no-such-binary
	EOF
	unit 't@.service' <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	# Output through every sink: ring, rotated files, console, a follower
	# that goes away; a directory made and removed; an environment file.
	unit talk.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'seq 1 3000; echo oops >&2; printf partial; exec sleep 1000'
	RuntimeDirectory=talk
	EnvironmentFile=-$T/env
	LimitCORE=0
	EOF
	printf '[Log]\nConsole=yes\nMaxFileSize=4K\nMaxFiles=2\n[Directories]\nRuntime=%s\n' \
		"$T/run" >"$T/svd.conf"
	echo 'A="b c"' >"$T/env"
	WAIT_TIMEOUT=60
	SVD_WRAPPER=(valgrind --leak-check=full --show-leak-kinds=definite,indirect
		--errors-for-leak-kinds=definite,indirect --error-exitcode=9
		"--log-file=$T/valgrind.log")
	svd_start
	wait_state crash failed
	svctl start t@x
	svctl restart a
	svctl stop a
	svctl start a
	svctl list >/dev/null
	expect_code 3 svctl --json status a crash
	svctl disable a
	svctl enable a
	svctl daemon-reload
	svctl reset-failed
	expect_code 4 svctl start nosuch
	expect_code 1 svctl start missing
	grep -q "ENOENT" "$T/err" || fail "exec failure not told: $(cat "$T/err")"
	expect_code 1 svctl start bad
	svctl stop t@x
	# In the current file or the one before: the lines after it (stderr's
	# too, one pipe) may have rotated it.
	wait_for "$WAIT_TIMEOUT" sh -c "cat '$T/log/talk.log'* | grep -q 'stdout: 3000'"
	"$SVCTL" -s "$T/control.sock" logs -f talk >"$T/follow.out" &
	local follower=$!
	wait_for "$WAIT_TIMEOUT" grep -q 'stdout: 3000' "$T/follow.out"
	kill "$follower"
	wait "$follower" || true
	svctl status talk >/dev/null || true
	svctl logs -n 5 talk >/dev/null
	svctl stop talk
	python3 "$(dirname "$0")/rawclient.py" "$T/control.sock" send 'garbage\n' >/dev/null
	svd_stop || fail "svd under valgrind exited $?: $(grep -A8 -E 'Invalid|uninit|definitely' "$T/valgrind.log" | head -40)"
	grep -q "ERROR SUMMARY: 0 errors" "$T/valgrind.log" || fail "$(cat "$T/valgrind.log")"
}

run_tests
