#!/bin/sh
# What a chain of dependencies costs svd: N units, each Requires= and
# After= the one before it (Type=oneshot, RemainAfterExit=yes, /bin/true),
# all started at boot, then all stopped by stopping the first. Each start
# waits for the state change of the unit before it, so this is N state
# changes in a row, and N stops pulled along by Requires=. Prints the wall
# time and svd's CPU time of both, beside a bare loop that forks and waits
# for /bin/true N times (the process cost alone). With OUTPUT=null the
# units say StandardOutput=null, so svd holds no log pipe for them: each
# fork then copies (and each exec closes) only svd's own few fds.
#   bench/dep_chain.sh [BUILD_DIR] [N=10000] [OUTPUT=log|null]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
n=${2:-10000}
output=${3:-log}
svd=$build/daemon/svd
svctl=$build/ctl/svctl
[ -x "$svd" ] || { echo "build first: ninja -C $build" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/units" "$tmp/state" "$tmp/log"

name() { printf 'u%06d' "$1"; }

i=1
while [ "$i" -le "$n" ]; do
	{
		if [ "$i" -gt 1 ]; then
			prev=$(name $((i - 1))).service
			printf '[Unit]\nRequires=%s\nAfter=%s\n' "$prev" "$prev"
		fi
		printf '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n'
		[ "$output" = null ] && printf 'StandardOutput=null\n'
	} >"$tmp/units/$(name "$i").service"
	i=$((i + 1))
done
last=$(name "$n")
printf '[Log]\nFiles=no\n' >"$tmp/svd.conf"

now() { date +%s%N; }
cpu_ms() { awk '{ printf "%d", ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"' }' "/proc/$1/stat"; }
# until_state UNIT STATE: polls svctl every 20 ms (no deadline: a figure)
until_state() {
	until [ "$("$svctl" -s "$tmp/sock" is-active "$1" 2>/dev/null)" = "$2" ]; do
		sleep 0.02
	done
}

bare_start=$(now)
i=0
while [ "$i" -lt "$n" ]; do /bin/true; i=$((i + 1)); done
bare_ms=$(( ($(now) - bare_start) / 1000000 ))

start=$(now)
"$svd" -q -u "$tmp/units" -s "$tmp/sock" -S "$tmp/state" -L "$tmp/log" \
	-c "$tmp/svd.conf" 2>"$tmp/svd.err" &
pid=$!
until_state "$last" active
up_ms=$(( ($(now) - start) / 1000000 ))
up_cpu=$(cpu_ms "$pid")

start=$(now)
"$svctl" -s "$tmp/sock" stop "$(name 1)"
until_state "$last" inactive
down_ms=$(( ($(now) - start) / 1000000 ))
down_cpu=$(( $(cpu_ms "$pid") - up_cpu ))

printf '%-34s %10s %12s\n' "" "wall ms" "svd CPU ms"
printf '%-34s %10s %12s\n' "bare: fork+exec+wait /bin/true" "$bare_ms" "-"
printf '%-34s %10s %12s\n' "svd: boot, chain of $n" "$up_ms" "$up_cpu"
printf '%-34s %10s %12s\n' "svd: stop the first, all follow" "$down_ms" "$down_cpu"
echo "($n units, output $output, svd holding $(ls "/proc/$pid/fd" | wc -l) fds, $(nproc) cores, $(uname -r))"
