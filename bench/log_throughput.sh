#!/bin/sh
# Log throughput: a service writing MB megabytes of 100-byte lines as fast
# as it can, through svd into its rotated log file with timestamps, side
# by side with s6-log (and runit's svlogd when installed) reading the same
# writer through a pipe into a rotated directory with timestamps, and a
# bare `cat >/dev/null` as the floor. Prints wall time, lines/s, MB/s and
# the logger's own CPU per MB.
#   bench/log_throughput.sh [BUILD_DIR] [MB=100] [RUNS=3]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
mb=${2:-100}
runs=${3:-3}
bytes=$((mb * 1000000))
lines=$((bytes / 100))
writer=$build/bench/log_writer
cputime=$build/bench/cputime
[ -x "$writer" ] || { echo "build first: ninja -C $build" >&2; exit 1; }
if ! command -v s6-log >/dev/null; then
	echo "installing s6 (s6-log) for the comparison" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq s6 >/dev/null
fi
tmp=$(mktemp -d)
svd_pid=
cleanup() {
	[ -z "$svd_pid" ] || kill "$svd_pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

now_us() { echo $(($(date +%s%N) / 1000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# A pipeline logger: "NAME CMD...": wall µs and the logger's CPU µs.
pipe_run() {
	rm -rf "$tmp/out" && mkdir "$tmp/out"
	start=$(now_us)
	"$writer" "$bytes" | "$cputime" "$@" >/dev/null 2>"$tmp/cpu"
	end=$(now_us)
	echo "$((end - start)) $(awk '{ printf "%d", ($1 + $2) * 1e6 }' "$tmp/cpu")"
}

# svd: a oneshot unit; `svctl start` returns once it exited and svd has
# read and written every line it printed.
svd_setup() {
	mkdir -p "$tmp/units" "$tmp/state" "$tmp/log"
	cat >"$tmp/svd.conf" <<-CONF
	[Log]
	Files=yes
	Console=no
	MaxFileSize=1G
	MaxFiles=2
	CONF
	"$build/daemon/svd" -q -u "$tmp/units" -s "$tmp/sock" -S "$tmp/state" \
		-L "$tmp/log" -c "$tmp/svd.conf" &
	svd_pid=$!
	until "$build/ctl/svctl" -s "$tmp/sock" version >/dev/null 2>&1; do
		sleep 0.05
	done
	# Added once svd is up, so that boot does not run it.
	cat >"$tmp/units/writer.service" <<-UNIT
	[Service]
	Type=oneshot
	ExecStart=$writer $bytes
	UNIT
	"$build/ctl/svctl" -s "$tmp/sock" daemon-reload
}

svd_cpu_us() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1e6 / hz }' \
		"/proc/$svd_pid/stat"
}

svd_run() {
	cpu0=$(svd_cpu_us)
	start=$(now_us)
	"$build/ctl/svctl" -s "$tmp/sock" start writer >/dev/null
	end=$(now_us)
	echo "$((end - start)) $(($(svd_cpu_us) - cpu0))"
}

# runs: "wall cpu" per run; prints the medians
measure() {
	for i in $(seq "$runs"); do "$@"; done >"$tmp/runs"
	echo "$(cut -d' ' -f1 "$tmp/runs" | median) $(cut -d' ' -f2 "$tmp/runs" | median)"
}

report() {
	awk -v name="$1" -v wall="$2" -v cpu="$3" -v mb="$mb" -v lines="$lines" \
		-v floor="$floor" 'BEGIN {
		s = wall / 1e6
		printf "%-10s %8.3f %12.0f %8.1f %10.2f %8.2f\n", name, s,
			lines / s, mb / s, cpu / 1e3 / mb, wall / floor }'
}

svd_setup
floor_result=$(measure pipe_run cat)
floor=${floor_result% *}
printf '%-10s %8s %12s %8s %10s %8s\n' logger seconds lines/s MB/s "cpu ms/MB" "x cat"
report cat $floor_result
report svd $(measure svd_run)
kept=$(cat "$tmp/log/writer.log"* | grep -c ' stdout: ' || true)
report s6-log $(measure pipe_run s6-log -b n2 s100000000 T "$tmp/out")
if command -v svlogd >/dev/null; then
	printf 's100000000\nn2\n' >"$tmp/config"
	report svlogd $(measure pipe_run sh -c "cp $tmp/config $tmp/out/config && exec svlogd -tt $tmp/out")
fi
echo "($mb MB in $lines lines of 100 bytes, median of $runs runs; svd kept $kept"
echo " lines of the $((lines * runs)) its runs printed;"
echo " $(nproc) cores, $(uname -r))"
