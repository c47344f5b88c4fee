#!/bin/sh
# svctl daemon-reexec with N running services: the time from the request
# to the new svd answering `status` of the last unit, and that no
# service was restarted (every main pid the same after as before).
# Median of RUNS re-execs of one svd.
#   bench/reexec.sh [BUILD_DIR] [N=1000] [RUNS=5]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
n=${2:-1000}
runs=${3:-5}
svd=$build/daemon/svd
svctl=$build/ctl/svctl
[ -x "$svd" ] || { echo "build first: ninja -C $build" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || { kill "$pid"; wait "$pid" || true; }; rm -rf "$tmp"' EXIT

mkdir -p "$tmp/units"
i=1
while [ "$i" -le "$n" ]; do
	printf '[Service]\nExecStart=/bin/sleep 1000\n' >"$tmp/units/s$i.service"
	i=$((i + 1))
done
printf '[Log]\nFiles=no\n' >"$tmp/svd.conf"
ctl() {
	"$svctl" -s "$tmp/sock" "$@"
}
SVD_CGROUP_ROOT=${SVD_CGROUP_ROOT:-no} "$svd" -q -u "$tmp/units" -s "$tmp/sock" \
	-S "$tmp/state" -L "$tmp/log" -c "$tmp/svd.conf" &
pid=$!
# Until every unit runs.
until [ "$(ctl list 2>/dev/null | grep -c ' running ' || true)" -ge "$n" ]; do
	sleep 0.2
done
ctl show $(seq -f 's%g' 1 "$n") | grep '^MainPID=' >"$tmp/before"
for r in $(seq "$runs"); do
	start=$(date +%s%N)
	ctl daemon-reexec
	ctl status "s$n" >/dev/null
	end=$(date +%s%N)
	echo $(( (end - start) / 1000 ))
done | sort -n | awk '{ t[NR] = $1 } END {
	printf "daemon-reexec with '"$n"' services: median %.1f ms (min %.1f, max %.1f) of %d\n",
		t[int((NR + 1) / 2)] / 1000, t[1] / 1000, t[NR] / 1000, NR }'
ctl show $(seq -f 's%g' 1 "$n") | grep '^MainPID=' >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then
	echo "main pids: all $n unchanged"
else
	echo "main pids CHANGED: $(diff "$tmp/before" "$tmp/after" | grep -c '^>') differ"
	exit 1
fi
grep -q "reexec-state=" "/proc/$pid/cmdline" || { echo "svd was not re-executed"; exit 1; }
