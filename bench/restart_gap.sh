#!/bin/sh
# Restarting a crashing service: the gap from one run's exit to the next
# run's exec, svd (Restart=always, RestartSec=0, no start limit) beside a
# bare loop that forks, execs and waits for the same program, in one run
# on this machine. The program (bench/gap_stamp) takes CLOCK_MONOTONIC at
# its start and just before it exits 1, and appends both to a file; the
# gap is the next start stamp minus the exit stamp. svd runs with cgroups
# off, and again in a cgroup2 tree of its own where one is writable.
# Prints the median gap (and the 10th/90th percentiles) of each, the
# median over RUNS runs, and the ratio to the bare fork loop.
#   bench/restart_gap.sh [BUILD_DIR] [N=3000] [RUNS=3]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
n=${2:-3000}
runs=${3:-3}
svd=$build/daemon/svd
svctl=$build/ctl/svctl
stamp=$build/bench/gap_stamp
gap=$build/bench/restart_gap
[ -x "$svd" ] && [ -x "$gap" ] || { echo "build first: ninja -C $build" >&2; exit 1; }
tmp=$(mktemp -d)
. "$top/bench/lib.sh"

mkdir -p "$tmp/units" "$tmp/state" "$tmp/log"
printf '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=%s %s\nRestart=always\nRestartSec=0\n' \
	"$stamp" "$tmp/stamps" >"$tmp/units/crash.service"

# svd_run CGROUP_ROOT: "median p10 p90 max count" of one svd's first N gaps
svd_run() {
	rm -rf "$tmp/stamps" "$tmp/state" "$tmp/log" "$tmp/sock"
	mkdir -p "$tmp/state" "$tmp/log"
	printf '[Manager]\nCgroupRoot=%s\n' "$1" >"$tmp/svd.conf"
	SVD_CGROUP_ROOT= "$svd" -q -u "$tmp/units" -s "$tmp/sock" -S "$tmp/state" \
		-L "$tmp/log" -c "$tmp/svd.conf" &
	pid=$!
	"$gap" wait "$tmp/stamps" $((n + 1)) 120
	"$svctl" -s "$tmp/sock" stop crash
	kill "$pid"
	wait "$pid" || true
	pid=
	"$gap" stats "$tmp/stamps" $((n + 1))
}

# bare_run [--vfork]: the same for the bare loop
bare_run() {
	rm -f "$tmp/stamps"
	"$gap" loop "$@" $((n + 1)) "$tmp/stamps" "$stamp"
	"$gap" stats "$tmp/stamps"
}

# median of the first field's rows, with the rest of that row
median() {
	sort -n | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }'
}

# Runs interleaved, so that a change in the machine's load falls on all.
for r in $(seq "$runs"); do
	bare_run >>"$tmp/bare"
	bare_run --vfork >>"$tmp/vfork"
	svd_run no >>"$tmp/svd"
	[ -z "$cg" ] || svd_run "$cg" >>"$tmp/svdcg"
done

set -- $(median <"$tmp/bare")
base=$1
printf '%-22s %9s %9s %9s %7s\n' "" "gap us" "p10" "p90" "x bare"
for who in bare vfork svd svdcg; do
	[ -s "$tmp/$who" ] || continue
	case $who in
	bare) label="bare: fork+exec+wait" ;;
	vfork) label="bare: vfork+exec+wait" ;;
	svd) label="svd, cgroups off" ;;
	svdcg) label="svd, cgroup per unit" ;;
	esac
	set -- $(median <"$tmp/$who")
	printf '%-22s %9s %9s %9s %7s\n' "$label" "$1" "$2" "$3" \
		"$(echo "$1 $base" | awk '{ printf "%.2f", $1 / $2 }')"
done
echo "($n restarts a run, median of $runs runs, $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg))"
