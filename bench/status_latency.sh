#!/bin/sh
# svctl's latency: `svctl status UNIT` and `svctl is-active UNIT`, run N
# times in a row, beside /bin/true run the same way, in one run on this
# machine: first with svd running a few units, then with many loaded and
# running. bench/runtimes times each run from fork to reap (output to
# /dev/null), taking the three commands in turn run after run. Prints
# the median of one run (and the 10th/90th percentiles) in microseconds
# and the ratio to /bin/true; the figure is the median over RUNS rounds.
#   bench/status_latency.sh [BUILD_DIR] [N=500] [RUNS=3] [FEW=5] [MANY=1000]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
n=${2:-500}
runs=${3:-3}
few=${4:-5}
many=${5:-1000}
svd=$build/daemon/svd
svctl=$build/ctl/svctl
timer=$build/bench/runtimes
[ -x "$svd" ] && [ -x "$timer" ] || { echo "build first: ninja -C $build" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || { kill "$pid"; wait "$pid" || true; }; rm -rf "$tmp"' EXIT
printf '[Log]\nFiles=no\n' >"$tmp/svd.conf"

# median of the first field's rows, with the rest of that row
median() {
	sort -n | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }'
}

# measure UNITS: svd with UNITS services running, then the timings
measure() {
	rm -rf "$tmp/units" "$tmp/state" "$tmp/log" "$tmp/r".*
	mkdir -p "$tmp/units" "$tmp/state" "$tmp/log"
	i=1
	while [ "$i" -le "$1" ]; do
		printf '[Service]\nExecStart=/bin/sleep 100000\n' >"$tmp/units/s$i.service"
		i=$((i + 1))
	done
	SVD_CGROUP_ROOT=${SVD_CGROUP_ROOT:-no} "$svd" -q -u "$tmp/units" -s "$tmp/sock" \
		-S "$tmp/state" -L "$tmp/log" -c "$tmp/svd.conf" &
	pid=$!
	# Until every unit runs (and svd is idle again).
	until [ "$("$svctl" -s "$tmp/sock" list 2>/dev/null | grep -c ' running ' || true)" -ge "$1" ]; do
		sleep 0.2
	done
	"$svctl" -s "$tmp/sock" status s1 >/dev/null
	for r in $(seq "$runs"); do
		"$timer" "$n" /bin/true -- "$svctl" -s "$tmp/sock" status s1 \
			-- "$svctl" -s "$tmp/sock" is-active s1 >"$tmp/round"
		sed -n 1p "$tmp/round" >>"$tmp/r.true"
		sed -n 2p "$tmp/round" >>"$tmp/r.status"
		sed -n 3p "$tmp/round" >>"$tmp/r.active"
	done
	kill "$pid"
	wait "$pid" || true
	pid=
	set -- $(median <"$tmp/r.true")
	base=$1
	for what in true status active; do
		case $what in
		true) label="/bin/true" ;;
		status) label="svctl status s1" ;;
		active) label="svctl is-active s1" ;;
		esac
		set -- $(median <"$tmp/r.$what")
		printf '%-20s %9s %9s %9s %7s\n' "$label" "$1" "$2" "$3" \
			"$(echo "$1 $base" | awk '{ printf "%.2f", $1 / $2 }')"
	done
}

for units in "$few" "$many"; do
	echo "svd running $units units:"
	printf '%-20s %9s %9s %9s %7s\n' "" "us/run" "p10" "p90" "x true"
	measure "$units"
done
echo "($n runs each, median of $runs rounds, $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg))"
