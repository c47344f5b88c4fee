#!/bin/sh
# Time for a PID 1 to reap N orphans, svd side by side with tini and a bare
# wait() loop, in one run on this machine. Each reaper runs as PID 1 of a
# new PID namespace, running the orphans helper from tests/, which leaves
# N orphans and returns at once: the time is the helper's forks plus the
# reaper collecting every orphan before the namespace is gone (tini exits
# with its child; the kernel's namespace teardown reaps what it left).
#   bench/reap_orphans.sh [BUILD_DIR] [N] [RUNS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
n=${2:-10000}
runs=${3:-5}
orphans=$build/tests/helpers/orphans
[ -x "$orphans" ] || { echo "build first: ninja -C $build" >&2; exit 1; }
if ! command -v tini >/dev/null; then
	echo "installing tini for the comparison" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tini >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# median of the wall-clock seconds of RUNS runs of a reaper
measure() {
	for i in $(seq "$runs"); do
		start=$(date +%s%N)
		unshare --pid --fork --mount-proc "$@" "$orphans" --no-wait "$n" >/dev/null
		end=$(date +%s%N)
		echo $(( (end - start) / 1000 ))
	done | sort -n | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] / 1e6 }'
}

bare=$(measure "$build/bench/bare_reaper")
svd=$(measure "$build/daemon/svd" -q -s "$tmp/sock" -S "$tmp/state" --)
tini=$(measure "$(command -v tini)" -s --)
printf '%-14s %10s %8s\n' reaper "seconds" "x bare"
for r in bare svd tini; do
	eval t=\$$r
	printf '%-14s %10s %8s\n' "$r" "$t" "$(echo "$t $bare" | awk '{ printf "%.2f", $1 / $2 }')"
done
echo "($n orphans, median of $runs runs, $(nproc) cores, $(uname -r))"
