# Shared harness for integration tests: the real svd and svctl, a private
# temporary directory, waits that poll with a deadline. Source it, define
# test_* functions, then call `run_tests`.
#
# Environment from meson: SVD, SVCTL (the binaries), SHARED_UNITS (the
# real Debian units, may be missing).
set -u

: "${SVD:?SVD must point at the svd binary}"
: "${SVCTL:?SVCTL must point at the svctl binary}"

# Every wait gives up after this many seconds: nothing hangs.
WAIT_TIMEOUT=${WAIT_TIMEOUT:-10}
T=
SVD_PID=
# Words to run svd under (valgrind, ...); empty for svd itself.
SVD_WRAPPER=()

fail() {
	echo "FAIL: $*" >&2
	if [ -n "$T" ] && [ -f "$T/svd.log" ]; then
		echo "--- svd log (last 30 lines) ---" >&2
		tail -n 30 "$T/svd.log" >&2
	fi
	return 1
}

# wait_for SECONDS COMMAND...: polls COMMAND until it succeeds.
wait_for() {
	local timeout=$1 deadline
	shift
	deadline=$(($(date +%s%N) + timeout * 1000000000))
	until "$@" >/dev/null 2>&1; do
		if [ "$(date +%s%N)" -gt "$deadline" ]; then
			fail "timed out after ${timeout}s waiting for: $*"
			return 1
		fi
		sleep 0.02
	done
}

# svd stays off the host's cgroups (test_cgroup.sh gives its own).
export SVD_CGROUP_ROOT=no

# A fresh directory per test; svd's paths all point into it.
setup_dir() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/svd-test.XXXXXX")
	mkdir -p "$T/units" "$T/state" "$T/log"
	export SVD_SOCKET="$T/control.sock"
}

# unit NAME: writes stdin to $T/units/NAME.
unit() {
	cat >"$T/units/$1"
}

svctl() {
	"$SVCTL" -s "$T/control.sock" "$@"
}

# svd_start [ARGS...]: runs svd on $T and waits until it answers.
svd_start() {
	"${SVD_WRAPPER[@]}" "$SVD" -u "$T/units" -s "$T/control.sock" -S "$T/state" -L "$T/log" \
		-c "$T/svd.conf" "$@" >>"$T/svd.log" 2>&1 &
	SVD_PID=$!
	wait_for "$WAIT_TIMEOUT" "$SVCTL" -s "$T/control.sock" version ||
		return 1
}

svd_alive() {
	[ -n "$SVD_PID" ] && kill -0 "$SVD_PID" 2>/dev/null
}

# svd_stop: SIGTERM, then wait for the exit (bounded); prints the status.
svd_stop() {
	local status
	[ -n "$SVD_PID" ] || return 0
	kill -TERM "$SVD_PID" 2>/dev/null || true
	if ! wait_for "$WAIT_TIMEOUT" not_running "$SVD_PID"; then
		kill -KILL "$SVD_PID" 2>/dev/null || true
	fi
	wait "$SVD_PID" && status=0 || status=$?
	SVD_PID=
	return "$status"
}

not_running() {
	! kill -0 "$1" 2>/dev/null || [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" = Z ]
}

# state_is UNIT STATE: svd's own state name (running, failed, ...).
state_is() {
	[ "$(svctl show "$1" 2>/dev/null | sed -n 's/^State=//p')" = "$2" ]
}

# wait_state UNIT STATE
wait_state() {
	wait_for "$WAIT_TIMEOUT" state_is "$1" "$2" ||
		fail "$1 never reached $2 (show: $(svctl show "$1" 2>&1 | tr '\n' ' '))"
}

# prop UNIT KEY: one property from svctl show.
prop() {
	svctl show "$1" | sed -n "s/^$2=//p" | head -n 1
}

# A test that needs systemd-notify (package systemd) as a peer.
need_systemd_notify() {
	if ! command -v systemd-notify >/dev/null; then
		echo "skip: systemd-notify not installed (package systemd)"
		exit 77
	fi
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# expect_code EXPECTED COMMAND...: runs COMMAND, checks its exit status.
expect_code() {
	local want=$1 got
	shift
	"$@" >"$T/out" 2>"$T/err" && got=0 || got=$?
	[ "$got" = "$want" ] ||
		fail "'$*' exited $got, expected $want; stderr: $(cat "$T/err")"
}

# Zombies whose parent is PID: there must be none once things settle.
zombies_of() {
	local pid=$1
	# cat, not awk on the files: awk stops at one that vanished.
	cat /proc/[0-9]*/status 2>/dev/null |
		awk -v p="$pid" '$0 ~ /^State:\tZ/ { z=1 } /^PPid:/ { if (z && $2 == p) n++; z=0 } END { print n+0 }'
}

no_zombies_of() {
	[ "$(zombies_of "$1")" = 0 ]
}

# track PID: a background process the test started; killed at its end
# whatever happens (only ever the pids a test hands in here).
TRACKED_PIDS=()
track() {
	TRACKED_PIDS+=("$1")
}

# untrack PID...: those ended and were waited for; their numbers may be
# reused by processes that are none of the test's business.
untrack() {
	local pid gone kept=()
	for pid in "${TRACKED_PIDS[@]}"; do
		for gone in "$@"; do
			[ "$pid" = "$gone" ] && continue 2
		done
		kept+=("$pid")
	done
	TRACKED_PIDS=("${kept[@]}")
}

all_gone() {
	local pid
	for pid in "$@"; do
		not_running "$pid" || return 1
	done
}

cleanup_svd() {
	local pid
	# TERM first (an svd stops what it runs), KILL what is left.
	for pid in "${TRACKED_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	if [ "${#TRACKED_PIDS[@]}" -gt 0 ] &&
	   ! wait_for 15 all_gone "${TRACKED_PIDS[@]}" >/dev/null 2>&1; then
		for pid in "${TRACKED_PIDS[@]}"; do
			kill -KILL "$pid" 2>/dev/null || true
		done
	fi
	TRACKED_PIDS=()
	# SIGTERM first: svd stops its services, which live in sessions of
	# their own and would outlive a SIGKILLed svd on the host.
	if [ -n "$SVD_PID" ] && kill -TERM "$SVD_PID" 2>/dev/null; then
		wait_for 15 not_running "$SVD_PID" >/dev/null 2>&1 ||
			kill -KILL "$SVD_PID" 2>/dev/null || true
	fi
	if [ -n "$SVD_PID" ]; then
		wait "$SVD_PID" 2>/dev/null || true
	fi
	SVD_PID=
}

cleanup() {
	cleanup_svd
	if [ -n "$T" ]; then
		rm -rf "$T"
	fi
	T=
}

# run_tests: runs every test_* function in its own directory and svd.
run_tests() {
	local passed=0 failed=0 skipped=0 name status
	# TEST_FILTER=regex runs only the matching tests.
	for name in $(declare -F | awk '{print $3}' | grep '^test_' |
		grep -E "${TEST_FILTER:-.}"); do
		setup_dir
		# set -e: any failing step fails the test; the subshell's trap
		# stops its svd whatever happens.
		# Not in an && list: bash would ignore set -e inside it.
		( set -e; trap cleanup_svd EXIT; "$name" )
		status=$?
		cleanup
		case $status in
		0) passed=$((passed + 1)); echo "ok - $name" ;;
		77) skipped=$((skipped + 1)); echo "skip - $name" ;;
		*) failed=$((failed + 1)); echo "not ok - $name" ;;
		esac
	done
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ] || exit 1
	[ "$passed" -gt 0 ] || exit 77
	exit 0
}

trap cleanup EXIT
