#!/bin/sh
# Does svd wake while nothing happens? svd runs N services that sleep
# (ExecStart=/bin/sleep 100000), first with cgroups off, then in a cgroup2
# tree of its own where one is writable. Once every unit runs and SETTLE
# seconds passed with no request, the script counts over SECONDS seconds
# what svd did: context switches (voluntary + involuntary, summed over
# its threads, /proc/PID/task/*/status), times it was put on a CPU
# (/proc/PID/schedstat) and, where perf can, system calls it entered
# (perf stat -e raw_syscalls:sys_enter -p PID, which does not disturb
# it; "<not counted>", a task that never ran, is 0). The target is 0
# of each. When svd did wake, `strace -tt -p` shows a few seconds of
# what it does.
#   bench/idle_wakeups.sh [BUILD_DIR] [N=100] [SECONDS=30] [SETTLE=3]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
n=${2:-100}
secs=${3:-30}
settle=${4:-3}
svd=$build/daemon/svd
svctl=$build/ctl/svctl
[ -x "$svd" ] || { echo "build first: ninja -C $build" >&2; exit 1; }
tmp=$(mktemp -d)
. "$top/bench/lib.sh"
perf_ok=
perf stat -e raw_syscalls:sys_enter -p $$ -- true >/dev/null 2>&1 && perf_ok=1

mkdir -p "$tmp/units"
i=1
while [ "$i" -le "$n" ]; do
	printf '[Service]\nExecStart=/bin/sleep 100000\n' >"$tmp/units/s$i.service"
	i=$((i + 1))
done

# switches PID: voluntary + involuntary context switches of all its threads
switches() {
	cat /proc/"$1"/task/*/status |
		awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { s += $2 } END { print s }'
}

# runs PID: times it was put on a CPU (schedstat's third field)
runs() {
	awk '{ print $3 }' /proc/"$1"/schedstat
}

# idle LABEL CGROUP_ROOT: one svd, its counts over SECONDS once settled
idle() {
	rm -rf "$tmp/state" "$tmp/log" "$tmp/sock"
	mkdir -p "$tmp/state" "$tmp/log"
	printf '[Manager]\nCgroupRoot=%s\n' "$2" >"$tmp/svd.conf"
	SVD_CGROUP_ROOT= "$svd" -q -u "$tmp/units" -s "$tmp/sock" -S "$tmp/state" \
		-L "$tmp/log" -c "$tmp/svd.conf" &
	pid=$!
	until [ "$("$svctl" -s "$tmp/sock" list 2>/dev/null | grep -c ' running ' || true)" -ge "$n" ]; do
		sleep 0.2
	done
	sleep "$settle"
	s0=$(switches "$pid") r0=$(runs "$pid")
	if [ -n "$perf_ok" ]; then
		sys=$(perf stat -x, -e raw_syscalls:sys_enter -p "$pid" -- sleep "$secs" 2>&1 >/dev/null |
			awk -F, '/raw_syscalls/ { print ($1 ~ /not counted/ ? 0 : $1) }')
	else
		sleep "$secs"
		sys=-
	fi
	s1=$(switches "$pid") r1=$(runs "$pid")
	printf '%-22s %9s %9s %9s\n' "$1" $((s1 - s0)) $((r1 - r0)) "$sys"
	if [ $((s1 - s0)) -gt 0 ] && command -v strace >/dev/null; then
		timeout 5 strace -tt -p "$pid" 2>&1 | head -20 | sed 's/^/    /' >"$tmp/strace"
	fi
	kill "$pid"
	wait "$pid" || true
	pid=
	[ ! -s "$tmp/strace" ] || { echo "  what svd did (strace -tt, 5 s):"; cat "$tmp/strace"; rm -f "$tmp/strace"; }
}

printf '%-22s %9s %9s %9s\n' "over ${secs}s" "switches" "on cpu" "syscalls"
idle "svd, cgroups off" no
[ -z "$cg" ] || idle "svd, cgroup per unit" "$cg"
echo "($n sleeping services, counted ${settle}s after the last request, $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg))"
