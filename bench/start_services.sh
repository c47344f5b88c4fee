#!/bin/sh
# Starting N services: svd beside a bare loop, in one run on this machine.
# svd boots N units (ExecStart=/bin/sleep 1000) and says READY=1 to a
# NOTIFY_SOCKET of this script once none is starting any more (every one
# exec'd); the bare loop (bench/bare_spawner) forks the same N commands
# one after the other and learns of each exec the way svd does (a
# close-on-exec pipe), and once more with --vfork (spawning as svd does:
# the floor for that). Prints wall seconds, the supervisor's own CPU
# seconds (its children's are not counted for either), the ratios, and
# svd's memory: PSS with N units, with none, and per unit.
#   bench/start_services.sh [BUILD_DIR] [N=1000] [RUNS=3]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
n=${2:-1000}
runs=${3:-3}
[ -x "$build/daemon/svd" ] || { echo "build first: ninja -C $build" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# units N DIR: N services that run until stopped, output to svd's log
units() {
	mkdir -p "$2"
	i=1
	while [ "$i" -le "$1" ]; do
		printf '[Service]\nExecStart=/bin/sleep 1000\n' >"$2/s$i.service"
		i=$((i + 1))
	done
}

# boot DIR: "wall cpu pss_kib" of one svd boot of the units in DIR
boot() {
	rm -rf "$tmp/state" "$tmp/log"
	python3 - "$build/daemon/svd" "$1" "$tmp" <<-'EOF'
	import os, socket, subprocess, sys, time
	svd, units, tmp = sys.argv[1:4]
	path = os.path.join(tmp, "notify")
	if os.path.exists(path):
	    os.unlink(path)
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind(path)
	s.settimeout(300)
	env = dict(os.environ, NOTIFY_SOCKET=path)
	start = time.monotonic()
	p = subprocess.Popen([svd, "-q", "-u", units, "-s", tmp + "/sock",
	                      "-S", tmp + "/state", "-L", tmp + "/log",
	                      "-c", tmp + "/svd.conf"], env=env)
	while b"READY=1" not in s.recv(4096):
	    pass
	wall = time.monotonic() - start
	with open("/proc/%d/stat" % p.pid) as f:
	    fields = f.read().rsplit(")", 1)[1].split()
	cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
	pss = 0
	with open("/proc/%d/smaps_rollup" % p.pid) as f:
	    for line in f:
	        if line.startswith("Pss:"):
	            pss = int(line.split()[1])
	p.terminate()
	p.wait(timeout=120)
	print("%.3f %.3f %d" % (wall, cpu, pss))
	EOF
}

# median of the first field's rows, with the rest of that row
median() {
	sort -n | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }'
}

units "$n" "$tmp/units"
mkdir -p "$tmp/none"
printf '[Log]\nFiles=no\n' >"$tmp/svd.conf"
bare=$(for i in $(seq "$runs"); do
	"$build/bench/bare_spawner" "$n" /bin/sleep 1000
done | median)
vbare=$(for i in $(seq "$runs"); do
	"$build/bench/bare_spawner" --vfork "$n" /bin/sleep 1000
done | median)
svd=$(for i in $(seq "$runs"); do boot "$tmp/units"; done | median)
base=$(boot "$tmp/none")

set -- $bare; bare_wall=$1 bare_cpu=$2
set -- $svd; svd_wall=$1 svd_cpu=$2 svd_pss=$3
set -- $base; base_pss=$3
printf '%-8s %8s %8s %8s %8s\n' "" wall cpu "x wall" "x cpu"
printf '%-8s %8s %8s %8s %8s\n' bare "$bare_wall" "$bare_cpu" 1.00 1.00
set -- $vbare
printf '%-8s %8s %8s %8s %8s\n' vfork "$1" "$2" \
	"$(echo "$1 $bare_wall" | awk '{ printf "%.2f", $1 / $2 }')" \
	"$(echo "$2 $bare_cpu" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')"
printf '%-8s %8s %8s %8s %8s\n' svd "$svd_wall" "$svd_cpu" \
	"$(echo "$svd_wall $bare_wall" | awk '{ printf "%.2f", $1 / $2 }')" \
	"$(echo "$svd_cpu $bare_cpu" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')"
echo "svd PSS: $svd_pss KiB with $n units, $base_pss KiB with none:" \
	"$(echo "$svd_pss $base_pss $n" | awk '{ printf "%.2f", ($1 - $2) / $3 }') KiB per unit"
echo "($n services, median of $runs runs, log files off, $(nproc) cores, $(uname -r))"
