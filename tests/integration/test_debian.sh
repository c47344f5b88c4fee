#!/usr/bin/env bash
# The live test: real Debian 12 daemons, installed by
# `packaging/deps.sh --live`, each run from its unmodified shipped unit
# file (/lib/systemd/system/NAME, copied as it is) under the real svd:
# start, ready (it answers), reload, stop (nothing of it left). One table
# row per daemon at the end.
#
# Each daemon gets an svd of its own, in network and mount namespaces of
# its own, so ports never clash and the host's services are never touched:
# only loopback (up); a fresh tmpfs on /run, as at boot; /dev, /var/lib,
# /var/log, /var/cache and /var/spool under overlays whose writes go to a
# tmpfs (a daemon's pid files, state and logs, and a socket it puts in
# /dev, stay in the namespace); a fresh tmpfs on /dev/shm; /proc/kmsg is
# /dev/null (rsyslog's imklog would take the host's kernel messages from
# their reader). Files under DIR/etc replace the host's /etc files in the
# namespace where a daemon needs a setting for the test (see setup_chrony,
# setup_knot).
#
# Heavy (packages, nine daemons): it runs in the plain build only; the
# sanitize build of tests/run.sh skips it (SVD_SANITIZE=1).
#
# LIVE_WIDE=1 adds a wider list (WIDE below: databases, DNS servers, a
# proxy, queues...), installed by `packaging/deps.sh --live-wide`. It is
# opt-in: it costs minutes and many packages, more than CI is given.

# Inside the namespaces: prepare them, then become svd.
if [ "${1:-}" = --inside ]; then
	set -eu
	dir=$2
	ip link set lo up
	# Every mount below is private to the namespace (unshare
	# --propagation private): none reaches the host.
	mount -t tmpfs -o mode=0755 svd-live-run /run
	mount -t tmpfs -o mode=0700 svd-live-upper "$dir/upper"
	[ ! -e /proc/kmsg ] || mount --bind /dev/null /proc/kmsg
	for lower in /dev /var/lib /var/log /var/cache /var/spool; do
		[ -d "$lower" ] || continue
		upper=$dir/upper/${lower//\//_}
		mkdir "$upper" "$upper.work"
		mount -t overlay svd-live \
			-o "lowerdir=$lower,upperdir=$upper,workdir=$upper.work" "$lower"
	done
	# The overlay shows /dev/shm's mount point, not the host's tmpfs on it
	# (root's, 0755): shared memory gets a fresh one, as at boot
	# (PostgreSQL's and squid's shm_open as their own users).
	mount -t tmpfs -o mode=1777,nosuid,nodev svd-live-shm /dev/shm
	if [ -d "$dir/etc" ]; then
		(cd "$dir/etc" && find . -type f) | while read -r f; do
			mount --bind "$dir/etc/${f#./}" "/etc/${f#./}"
		done
	fi
	exec "$SVD" -u "$dir/units" -s "$dir/control.sock" -S "$dir/state" \
		-L "$dir/log" -c "$dir/svd.conf"
fi

. "$(dirname "$0")/lib.sh"

# Daemons whose unit needs a feature being implemented now (none at the
# moment): their failing steps show as "pending" and do not fail the
# test; empty the list as the features land.
PENDING=${LIVE_PENDING-}
# LIVE_ONLY="NAME..." runs those daemons only.
ONLY=${LIVE_ONLY:-}

# name package units (the first is the one started; all are copied)
DAEMONS=(
	"chrony chrony chrony.service"
	"knot knot knot.service"
	"rsyslog rsyslog rsyslog.service syslog.socket"
	"haproxy haproxy haproxy.service"
	"memcached memcached memcached.service"
	"etcd etcd-server etcd.service"
	"ssh openssh-server ssh.service"
	"ssh-socket openssh-server ssh.socket ssh.service"
	"redis redis-server redis-server.service"
	"nginx nginx nginx.service"
)
# LIVE_WIDE=1: these too (memcached and redis are in the list above). A
# template's instance (postgresql@15-main.service) runs from its
# template's file. exim4 ships no unit for its daemon in Debian 12 (an
# init script only): its one service is the daily housekeeping, a
# oneshot. acpid's units skip themselves in a container
# (ConditionVirtualization=!container), as they do under systemd.
WIDE=(
	"mariadb mariadb-server mariadb.service"
	"postgresql postgresql-15 postgresql@15-main.service"
	"php-fpm php8.2-fpm php8.2-fpm.service"
	"unbound unbound unbound.service"
	"dnsmasq dnsmasq dnsmasq.service"
	"nsd nsd nsd.service"
	"cron cron cron.service"
	"mosquitto mosquitto mosquitto.service"
	"snmpd snmpd snmpd.service"
	"uwsgi uwsgi-emperor uwsgi-emperor.service"
	"exim4 exim4-base exim4-base.service"
	"squid squid squid.service"
	"beanstalkd beanstalkd beanstalkd.service"
	"acpid acpid acpid.service acpid.socket"
)
WIDE_ON=${LIVE_WIDE:-0}
[ "$WIDE_ON" != 1 ] || DAEMONS+=("${WIDE[@]}")

# Bounds: a step that hangs costs at most this (svd's own timeouts are
# longer: TimeoutStartSec= 90 s by default, knot's TimeoutStopSec= 300 s).
STEP_TIMEOUT=30
# A stop may take what the unit allows (squid: 30 s of its own, within
# DefaultTimeoutStopSec=90s); past that svd has SIGKILLed it anyway.
STOP_STEP_TIMEOUT=100
SHIPPED=/lib/systemd/system

if [ "${SVD_SANITIZE:-0}" = 1 ]; then
	echo "skip: the live test runs in the plain build only"
	exit 77
fi
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null ||
   ! command -v nsenter >/dev/null ||
   ! unshare -n -m --propagation private true 2>/dev/null; then
	echo "skip: the live test needs root, unshare and nsenter (network and mount namespaces)"
	exit 77
fi

TOP=$(mktemp -d /tmp/svd-live.XXXXXX)
# svd's notify socket lies next to its control socket: daemons that run as
# their own user (User=) must reach it.
chmod 755 "$TOP"
# Overlays on a tmpfs: the one thing this test asks of the kernel beyond
# namespaces.
mkdir "$TOP/probe"
if ! unshare -m --propagation private /bin/sh -c '
	mount -t tmpfs t "$1" && mkdir "$1/u" "$1/w" &&
	mount -t overlay o -o "lowerdir=/var/lib,upperdir=$1/u,workdir=$1/w" /var/lib' \
	sh "$TOP/probe" 2>/dev/null; then
	echo "skip: cannot mount an overlay in a mount namespace"
	rm -rf "$TOP"
	exit 77
fi
rmdir "$TOP/probe"

root=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
"$root/packaging/deps.sh" --live ||
	echo "warning: packaging/deps.sh --live failed; daemons without their package are skipped"
if [ "$WIDE_ON" = 1 ]; then
	"$root/packaging/deps.sh" --live-wide ||
		echo "warning: packaging/deps.sh --live-wide failed; daemons without their package are skipped"
fi

# Results: RESULT[name.step] is ok, refused (a reload that must be
# refused and was), FAIL, pending (failed, and the daemon is in PENDING),
# cond (the unit's own Condition*= was false here: started as systemd
# would, which is to say skipped), "-" (not run: an earlier step failed)
# or skip.
declare -A RESULT TYPE
NOTES=()
FAILED=0
NS=

in_ns() {
	nsenter -t "$SVD_PID" -n -m -- "$@"
}

# ask_tcp PORT REQUEST PATTERN: the first line of the answer on loopback.
ask_tcp() {
	in_ns timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "%b" "$2" >&3 &&
		head -n 1 <&3' _ "$1" "$2" 2>/dev/null | grep -q -- "$3"
}

# ask_unix PATH REQUEST PATTERN: the whole answer on a Unix stream socket.
ask_unix() {
	in_ns timeout 5 python3 -c '
import codecs, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
# The request is written as for printf %b: "show info\n".
s.sendall(codecs.decode(sys.argv[2], "unicode_escape").encode())
while True:
    b = s.recv(65536)
    if not b:
        break
    sys.stdout.write(b.decode(errors="replace"))
' "$1" "$2" 2>/dev/null | grep -q -- "$3"
}

# probe_NAME: the daemon answers inside its namespace; if not, why (on
# stdout).
no() {
	echo "$*"
	return 1
}
probe_chrony() {
	in_ns chronyc -n tracking 2>/dev/null | grep -q '^Reference ID' ||
		no "chronyc tracking: no answer"
}
probe_knot() {
	in_ns timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/53' 2>/dev/null ||
		no "nothing listens on 127.0.0.1:53"
	in_ns knotc status 2>/dev/null | grep -q Running || no "knotc status: not running"
}
probe_rsyslog() {
	# syslog.socket is up (rsyslog's Requires=) and its fd is passed, but
	# rsyslog's imuxsock takes it only where sd_booted() is true
	# (/run/systemd/system exists), which svd does not pretend: rsyslog
	# then binds /dev/log itself, as under sysvinit. A message sent there
	# reaches /var/log/syslog.
	local tag=svd-live-$$-$RANDOM
	[ "$("$SVCTL" -s "$T/control.sock" is-active syslog.socket 2>/dev/null)" = active ] ||
		no "syslog.socket is not active"
	wait_for 5 in_ns test -S /dev/log || no "rsyslog did not bind /dev/log"
	in_ns logger -d -u /dev/log -t "$tag" hello 2>/dev/null ||
		no "logger: cannot send to /dev/log"
	wait_for 5 in_ns grep -q "$tag" /var/log/syslog >/dev/null 2>&1 ||
		no "a message sent to /dev/log is not in /var/log/syslog"
}
probe_haproxy() {
	ask_unix /run/haproxy/admin.sock 'show info\n' '^Name: HAProxy' ||
		no "no answer to 'show info' on /run/haproxy/admin.sock"
}
probe_memcached() {
	ask_tcp 11211 'version\r\n' '^VERSION' || no "no VERSION on 127.0.0.1:11211"
	# The unit's PIDFile= needs /run/memcached (tmpfiles.d).
	[ "$(in_ns cat /run/memcached/memcached.pid 2>/dev/null)" = "$(prop memcached MainPID)" ] ||
		no "PIDFile /run/memcached/memcached.pid does not hold the main pid"
}
probe_etcd() {
	ask_tcp 2379 'GET /health HTTP/1.0\r\n\r\n' '^HTTP/1.[01] 200' ||
		no "GET /health on 127.0.0.1:2379: not 200"
}
probe_ssh() { ask_tcp 22 '' '^SSH-2.0-' || no "no SSH banner on 127.0.0.1:22"; }
probe_ssh-socket() { probe_ssh; }
probe_redis() {
	local pid
	[ "$(in_ns redis-cli ping 2>/dev/null)" = PONG ] || no "redis-cli ping: no PONG"
	# Its unit's sandbox is enforced: / read-only (ProtectSystem=strict),
	# a user namespace (PrivateUsers=), /tmp its own (PrivateTmp=).
	pid=$(prop redis-server MainPID)
	awk '$5 == "/" { print $6 }' "/proc/$pid/mountinfo" | grep -q '^ro' ||
		no "redis-server's / is not read-only"
	[ "$(awk 'NR == 1 { print $3 }' "/proc/$pid/uid_map")" = 1 ] ||
		no "redis-server is not in a user namespace of its own"
	awk '$5 == "/tmp" { found = 1 } END { exit !found }' "/proc/$pid/mountinfo" ||
		no "redis-server has no /tmp of its own"
}
probe_nginx() {
	ask_tcp 80 'GET / HTTP/1.0\r\n\r\n' '^HTTP/1.1 200' || no "GET / on 127.0.0.1:80: not 200"
}

# LIVE_WIDE's probes.
probe_mariadb() {
	# Debian's root@localhost logs in by its uid (unix_socket), over
	# /run/mysqld/mysqld.sock.
	[ "$(in_ns timeout 5 mariadb -N -B -e 'select 1+1' 2>/dev/null)" = 2 ] ||
		no "mariadb -e 'select 1+1' on the socket: no 2"
}
probe_postgresql() {
	[ "$(in_ns timeout 5 runuser -u postgres -- psql -X -tAc 'select 1+1' 2>/dev/null)" = 2 ] ||
		no "psql -c 'select 1+1' on /run/postgresql: no 2"
}
# A FastCGI request for a script that is not there: a worker answers 404
# (the pool's ping.path is off by default).
probe_php-fpm() {
	in_ns env -i REQUEST_METHOD=GET SCRIPT_NAME=/svd-live.php \
		SCRIPT_FILENAME=/nonexistent/svd-live.php timeout 5 \
		cgi-fcgi -bind -connect /run/php/php8.2-fpm.sock 2>/dev/null |
		grep -q '^Status: 404' || no "no FastCGI answer on /run/php/php8.2-fpm.sock"
	# The ExecStartPost= helper links the unversioned name.
	in_ns test -S /run/php/php-fpm.sock || no "no /run/php/php-fpm.sock (ExecStartPost=)"
}
# ask_dns NAME: a DNS answer (any rcode) from 127.0.0.1:53.
ask_dns() {
	in_ns dig +time=2 +tries=1 @127.0.0.1 "$1" A 2>/dev/null | grep -q -- '->>HEADER<<-'
}
probe_unbound() {
	# Its default local-zone answers for localhost with no upstream.
	[ "$(in_ns dig +short +time=2 +tries=1 @127.0.0.1 localhost A 2>/dev/null)" = 127.0.0.1 ] ||
		no "dig @127.0.0.1 localhost: not 127.0.0.1"
}
probe_dnsmasq() {
	# From the host's /etc/hosts.
	[ "$(in_ns dig +short +time=2 +tries=1 @127.0.0.1 localhost A 2>/dev/null)" = 127.0.0.1 ] ||
		no "dig @127.0.0.1 localhost: not 127.0.0.1"
}
probe_nsd() {
	# No zones by default: an answer (REFUSED) is all it gives.
	ask_dns example.org || no "no DNS answer from 127.0.0.1:53"
}
# main_is COMM: svd's main pid of the unit is alive and runs COMM.
main_is() {
	local pid
	pid=$(prop "${UNITS[0]}" MainPID)
	[ -n "$pid" ] && [ "$pid" != 0 ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]
}
probe_cron() { main_is cron || no "the main pid is not cron"; }
probe_mosquitto() {
	in_ns timeout 5 mosquitto_sub -h 127.0.0.1 -t '$SYS/broker/version' -C 1 -W 4 2>/dev/null |
		grep -q '^mosquitto version' || no "no \$SYS/broker/version from 127.0.0.1:1883"
}
probe_snmpd() {
	in_ns timeout 5 snmpget -v2c -c public -On -t 2 -r 0 127.0.0.1 .1.3.6.1.2.1.1.5.0 2>/dev/null |
		grep -q '^.1.3.6.1.2.1.1.5.0 = STRING' || no "snmpget sysName.0 on 127.0.0.1:161: no answer"
}
probe_uwsgi() {
	# The emperor has no vassal by default and nothing to ask.
	main_is uwsgi || no "the main pid is not uwsgi"
}
probe_exim4() {
	# A oneshot: done, and it succeeded.
	[ "$(prop "${UNITS[0]}" Result)" = success ] ||
		no "Result=$(prop "${UNITS[0]}" Result)"
}
setup_squid() {
	# squid takes its shutdown_lifetime (30 s) to stop: systemd's default
	# TimeoutStopSec= (90 s) allows it, svd's 10 s does not.
	echo 'DefaultTimeoutStopSec=90s' >"$1/manager.conf"
}
probe_squid() {
	in_ns timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/3128 &&
			printf "GET / HTTP/1.0\r\n\r\n" >&3 && cat <&3' 2>/dev/null |
		grep -qi '^Server: squid' || no "no answer from squid on 127.0.0.1:3128"
}
probe_beanstalkd() {
	ask_tcp 11300 'stats\r\n' '^OK [0-9]' || no "no 'OK' to stats on 127.0.0.1:11300"
}
probe_acpid() {
	in_ns test -S /run/acpid.socket || no "no /run/acpid.socket"
	main_is acpid || no "the main pid is not acpid"
}

# setup_NAME DIR: files of DIR/etc the namespace sees instead of the host's.
setup_chrony() {
	# -x: chronyd leaves the system clock alone. The clock is not
	# namespaced, and it must not learn a frequency from a drift file.
	mkdir -p "$1/etc/default"
	echo 'DAEMON_OPTS="-F 1 -x"' >"$1/etc/default/chrony"
}
setup_haproxy() {
	# Its unit binds /dev/log into its chroot (BindReadOnlyPaths=, no
	# "-"): under systemd journald's socket is there; here svd's own.
	echo 'SyslogSocket=yes' >"$1/manager.conf"
}
setup_knot() {
	# The shipped knot.conf listens nowhere; port 53 is what the unit's
	# AmbientCapabilities=CAP_NET_BIND_SERVICE is for (User=knot).
	mkdir -p "$1/etc/knot"
	cat >"$1/etc/knot/knot.conf" <<-EOF
	server:
	    rundir: "/run/knot"
	    user: knot:knot
	    listen: 127.0.0.1@53
	log:
	  - target: stderr
	    any: info
	database:
	    storage: "/var/lib/knot"
	EOF
}

# Pids in the daemon's network namespace besides its svd: what the
# daemon left. The namespace is the test's own, so each is the test's.
# One ls for all the links: a readlink per process cost a second a scan
# with 200 processes, and minutes on a loaded host with thousands.
ns_pids() {
	[ -n "$NS" ] || return 0
	# shellcheck disable=SC2012 # the link targets are the point
	ls -l /proc/[0-9]*/ns/net 2>/dev/null |
		awk -v ns="$NS" -v svd="$SVD_PID" '$NF == ns {
			split($(NF - 2), path, "/")
			if (path[3] != svd)
				print path[3]
		}'
	return 0
}

ns_empty() {
	[ -z "$(ns_pids)" ]
}

pending() {
	[[ " $PENDING " == *" $1 "* ]]
}

# record NAME STEP STATUS [WHY]: STATUS 0 is the expected outcome.
record() {
	local name=$1 step=$2 status=$3 why=${4:-}
	if [ "$status" = 0 ]; then
		RESULT[$name.$step]=${RESULT[$name.$step]:-ok}
		return 0
	fi
	NOTES+=("$name: $step: $why")
	if pending "$name"; then
		RESULT[$name.$step]=pending
	else
		RESULT[$name.$step]=FAIL
		FAILED=1
		echo "FAIL: $name: $step: $why" >&2
		svctl status "${UNITS[0]}" >&2 2>&1 || true
		tail -n 30 "$T/svd.log" >&2
	fi
	return 0
}

# shipped UNIT: the file UNIT runs from; an instance's is its template's.
shipped() {
	local u=$1
	[[ $u != *@?*.* ]] || u=${u%%@*}@.${u##*.}
	echo "$SHIPPED/$u"
}

unit_type() {
	case $1 in
	*.socket) echo socket ;;
	*) sed -n 's/^Type=//p' "$(shipped "$1")" | tail -n 1 | grep . || echo simple ;;
	esac
}

# A oneshot without RemainAfterExit= is done, not active, once started.
oneshot_done() {
	[ "$(unit_type "$1")" = oneshot ] &&
		! grep -Eq '^RemainAfterExit=(yes|true|on|1)$' "$(shipped "$1")"
}

# The svd of one daemon, in its namespaces; its units are disabled so that
# only `svctl start` starts them.
start_svd() {
	local u
	mkdir -p "$T/units" "$T/state/disabled" "$T/log" "$T/upper"
	for u in "${UNITS[@]}"; do
		cp "$(shipped "$u")" "$T/units/"
		touch "$T/state/disabled/$u"
	done
	# The package's own tmpfiles.d files (haproxy's /run/haproxy...),
	# unmodified, applied when svd starts, as a server's svd.conf would
	# ask; only the package's, and that of the package that ships the unit
	# (postgresql-common's /run/postgresql for postgresql-15): the others
	# may name the host's /etc.
	mkdir -p "$T/tmpfiles.d"
	{ dpkg -L "$PKG"; dpkg -L "$(dpkg -S "$(shipped "${UNITS[0]}")" | sed 's/:.*//')"; } 2>/dev/null |
		grep '^/usr/lib/tmpfiles.d/.*\.conf$' | sort -u |
		while read -r f; do cp "$f" "$T/tmpfiles.d/"; done
	printf '[Manager]\nTmpfilesAtStart=yes\nTmpfilesDirectories=%s\n' \
		"$T/tmpfiles.d" >"$T/svd.conf"
	# What a setup_NAME asks of svd.conf's [Manager] besides.
	[ ! -f "$T/manager.conf" ] || cat "$T/manager.conf" >>"$T/svd.conf"
	unshare -n -m --propagation private bash "$0" --inside "$T" \
		>"$T/svd.log" 2>&1 &
	SVD_PID=$!
	wait_for "$WAIT_TIMEOUT" "$SVCTL" -s "$T/control.sock" version || return 1
	NS=$(readlink "/proc/$SVD_PID/ns/net")
	[ "$NS" != "$(readlink /proc/self/ns/net)" ] || fail "svd is not in a namespace of its own"
}

# stop_svd: svd stops what it runs; whatever is left in the namespace then
# is killed (the test's own processes).
stop_svd() {
	local p
	[ -n "$SVD_PID" ] || return 0
	kill -TERM "$SVD_PID" 2>/dev/null || true
	wait_for 15 not_running "$SVD_PID" >/dev/null 2>&1 || kill -KILL "$SVD_PID" 2>/dev/null || true
	wait "$SVD_PID" 2>/dev/null || true
	for p in $(ns_pids); do
		kill -KILL "$p" 2>/dev/null || true
	done
	SVD_PID=
}

# The daemon's own last words, for a note.
last_output() {
	svctl logs "${UNITS[0]}" -n 50 2>/dev/null | sed -n 's/^[^ ]* std\(out\|err\): //p' |
		tail -n 2 | tr '\n' '|' | sed 's/|$//; s/|/ | /g'
}

step_start() {
	local out said
	if ! out=$(timeout "$STEP_TIMEOUT" "$SVCTL" -s "$T/control.sock" start "${UNITS[0]}" 2>&1); then
		said=$(last_output)
		record "$NAME" start 1 "svctl start: ${out:-timed out}${said:+; it said: $said}"
		return 1
	fi
	record "$NAME" start 0
}

skipped_by_condition() {
	[[ $(prop "${UNITS[0]}" StateCauseText) == "start condition failed: "* ]] &&
		! svctl is-active "${UNITS[0]}" >/dev/null
}

step_ready() {
	if ! oneshot_done "${UNITS[0]}" && ! svctl is-active "${UNITS[0]}" >/dev/null; then
		record "$NAME" ready 1 "not active: $(prop "${UNITS[0]}" StateCauseText)"
	elif ! wait_for 10 "probe_$NAME" >/dev/null 2>&1; then
		record "$NAME" ready 1 "started, but $("probe_$NAME" 2>/dev/null)"
	else
		record "$NAME" ready 0
		READY=1
	fi
}

# Units without ExecReload= (and sockets) must be refused, and keep running
# (and answering, where they did before).
step_reload() {
	local out status
	out=$(timeout "$STEP_TIMEOUT" "$SVCTL" -s "$T/control.sock" reload "${UNITS[0]}" 2>&1) &&
		status=0 || status=$?
	if [[ ${UNITS[0]} == *.service ]] && grep -q '^ExecReload=' "$(shipped "${UNITS[0]}")"; then
		[ "$status" = 0 ] ||
			{ record "$NAME" reload 1 "svctl reload: ${out:-timed out}"; return 0; }
	else
		[ "$status" = 1 ] ||
			{ record "$NAME" reload 1 "no ExecReload=, yet svctl reload exited $status: $out"; return 0; }
		RESULT[$NAME.reload]=refused
	fi
	if oneshot_done "${UNITS[0]}"; then
		record "$NAME" reload 0
	elif ! wait_for 10 svctl is-active "${UNITS[0]}" >/dev/null 2>&1; then
		record "$NAME" reload 1 "not active after the reload: $(prop "${UNITS[0]}" StateCauseText)"
	elif [ "$READY" = 1 ] && ! wait_for 10 "probe_$NAME" >/dev/null 2>&1; then
		record "$NAME" reload 1 "after the reload: $("probe_$NAME" 2>/dev/null)"
	else
		record "$NAME" reload 0
	fi
}

# ns_procs: "pid(comm) ..." of what is left in the namespace.
ns_procs() {
	local p
	for p in $(ns_pids); do
		printf '%s(%s) ' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)"
	done
}

step_stop() {
	local out left
	out=$(timeout "$STOP_STEP_TIMEOUT" "$SVCTL" -s "$T/control.sock" stop "${UNITS[@]}" 2>&1) ||
		{ record "$NAME" stop 1 "svctl stop: ${out:-timed out}"; return 0; }
	# systemd's stop ends when the unit's cgroup is empty; what is there
	# when svd's ends, but goes by itself, is worth a note.
	left=$(ns_procs)
	if ! wait_for 10 ns_empty >/dev/null 2>&1; then
		record "$NAME" stop 1 "left running: $(ns_procs)"
	elif svctl is-active "${UNITS[0]}" >/dev/null; then
		record "$NAME" stop 1 "still active: $(prop "${UNITS[0]}" ActiveState)"
	elif [ "$(prop "${UNITS[0]}" ActiveState)" = failed ]; then
		# Stopped, but not cleanly: SIGKILL at TimeoutStopSec=, a stop
		# command that failed...
		record "$NAME" stop 1 "failed: $(prop "${UNITS[0]}" StateCauseText)"
	elif ! oneshot_done "${UNITS[0]}" && "probe_$NAME" >/dev/null 2>&1; then
		record "$NAME" stop 1 "still answers once stopped"
	elif ! svctl version >/dev/null; then
		record "$NAME" stop 1 "svd does not answer any more"
	else
		record "$NAME" stop 0
		[ -z "$left" ] || NOTES+=("$NAME: stop: still there when svctl stop returned, gone by themselves since: $left")
	fi
}

run_daemon() {
	local pkg=$1 step started=$SECONDS
	shift
	UNITS=("$@")
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
		echo "skip: $NAME: package $pkg is not installed (packaging/deps.sh --live could not install it)"
		TYPE[$NAME]=-
		for step in start ready reload stop; do RESULT[$NAME.$step]=skip; done
		return 0
	fi
	TYPE[$NAME]=$(unit_type "${UNITS[0]}" 2>/dev/null)
	PKG=$pkg
	T=$TOP/$NAME
	NS=
	READY=0
	mkdir "$T"
	if declare -F "setup_$NAME" >/dev/null; then "setup_$NAME" "$T"; fi
	if ! [ -f "$(shipped "${UNITS[0]}")" ]; then
		record "$NAME" start 1 "package $pkg is installed, but not $(shipped "${UNITS[0]}")"
	elif ! start_svd; then
		record "$NAME" start 1 "svd did not come up in the namespaces: $(tail -n 3 "$T/svd.log")"
	elif ! step_start; then
		:
	elif skipped_by_condition; then
		RESULT[$NAME.ready]=cond
		RESULT[$NAME.reload]=cond
		NOTES+=("$NAME: $(prop "${UNITS[0]}" StateCauseText)")
		step_stop
	else
		step_ready
		step_reload
		step_stop
	fi
	for step in start ready reload stop; do
		RESULT[$NAME.$step]=${RESULT[$NAME.$step]:--}
	done
	stop_svd
	echo "$NAME ($((SECONDS - started)) s): start ${RESULT[$NAME.start]}, ready ${RESULT[$NAME.ready]}," \
		"reload ${RESULT[$NAME.reload]}, stop ${RESULT[$NAME.stop]}"
}

print_table() {
	local d name
	printf '\n%-11s %-8s %-8s %-8s %-8s %-8s\n' daemon Type= start ready stop reload
	for d in "${DAEMONS[@]}"; do
		name=${d%% *}
		printf '%-11s %-8s %-8s %-8s %-8s %-8s\n' "$name" "${TYPE[$name]}" \
			"${RESULT[$name.start]}" "${RESULT[$name.ready]}" \
			"${RESULT[$name.stop]}" "${RESULT[$name.reload]}"
	done
	if [ "${#NOTES[@]}" -gt 0 ]; then
		echo
		printf '%s\n' "${NOTES[@]}"
	fi
}

# LIVE_KEEP=1 keeps the directory (each daemon's svd.log, units, logs).
live_cleanup() {
	stop_svd
	if [ "${LIVE_KEEP:-0}" = 1 ]; then
		echo "kept: $TOP"
	else
		rm -rf "$TOP"
	fi
}
trap live_cleanup EXIT

for d in "${DAEMONS[@]}"; do
	read -r NAME pkg units <<<"$d"
	if [ -n "$ONLY" ] && [[ " $ONLY " != *" $NAME "* ]]; then
		for step in start ready reload stop; do
			RESULT[$NAME.$step]=skip
		done
		TYPE[$NAME]=-
		continue
	fi
	# shellcheck disable=SC2086 # the unit list splits on purpose
	run_daemon "$pkg" $units
done
print_table

# A pending daemon that passes every step: its feature has landed.
for name in $PENDING; do
	[[ "${RESULT[$name.start]} ${RESULT[$name.ready]} ${RESULT[$name.reload]} ${RESULT[$name.stop]}" == *pending* ]] ||
		[ "${RESULT[$name.start]}" = skip ] ||
		echo "note: $name passes every step: take it out of PENDING"
done
ran=0
for d in "${DAEMONS[@]}"; do
	[ "${RESULT[${d%% *}.start]}" = skip ] || ran=1
done
[ "$ran" = 1 ] || { echo "skip: no daemon's package is installed"; exit 77; }
exit "$FAILED"
