#!/usr/bin/env bash
# Capabilities and privileges a service gets: CapabilityBoundingSet=,
# AmbientCapabilities=, SecureBits=, NoNewPrivileges=, and the '+', '!'
# and '!!' prefixes around them. Services print the Cap*: and
# NoNewPrivs: lines of their /proc/self/status into their log, which the
# tests read; one binds port 80 in a network namespace of the test's own.
. "$(dirname "$0")/lib.sh"

# The bits of capability N, as /proc/self/status writes masks.
CAP_NET_BIND_SERVICE=10
CAP_NET_RAW=13
CAP_SYS_ADMIN=21

need_root() {
	if [ "$(id -u)" != 0 ] || ! getent passwd nobody >/dev/null; then
		echo "skip: needs root and the nobody account"
		exit 77
	fi
}

mask() {
	local bits=0 cap
	for cap in "$@"; do
		bits=$((bits | (1 << cap)))
	done
	printf '%016x' "$bits"
}

# What /proc/self/status says of a service's capabilities, on one line.
STATUS_CMD="/bin/sh -c 'echo uid=\$\$(id -u); grep -E \"^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):\" /proc/self/status'"

# reporter NAME SETTINGS: a oneshot service that logs its status lines.
reporter() {
	unit "$1.service" <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	$2
	ExecStart=$STATUS_CMD
	EOF
}

# field NAME KEY: KEY's value from NAME's logged status lines (KEY: or
# KEY=), the last one logged.
field() {
	sed -En "s/.* stdout: $2[:=][[:space:]]*//p" "$T/log/$1.log" | tail -n 1
}

# svd's own bounding set (the test's, which svd inherits), as a number.
own_bounding() {
	echo $((0x$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status)))
}

test_ambient_for_a_user() {
	need_root
	reporter ambient "User=nobody
AmbientCapabilities=CAP_NET_BIND_SERVICE"
	reporter plainuser "User=nobody"
	svd_start
	wait_state ambient exited
	wait_state plainuser exited
	local want
	want=$(mask $CAP_NET_BIND_SERVICE)
	expect_eq uid "$(id -u nobody)" "$(field ambient uid)"
	expect_eq CapAmb "$want" "$(field ambient CapAmb)"
	expect_eq CapEff "$want" "$(field ambient CapEff)"
	expect_eq CapPrm "$want" "$(field ambient CapPrm)"
	expect_eq CapInh "$want" "$(field ambient CapInh)"
	expect_eq "CapEff without" "$(mask)" "$(field plainuser CapEff)"
	expect_eq "CapAmb without" "$(mask)" "$(field plainuser CapAmb)"
}

# The point of it: a user's service binds a port below 1024. In a
# network namespace of svd's own, so nothing on the host is touched.
test_ambient_binds_port_80() {
	need_root
	if ! unshare -n true 2>/dev/null || [ ! -x /usr/bin/python3 ]; then
		echo "skip: needs unshare -n and /usr/bin/python3"
		exit 77
	fi
	local bind="/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 80)); print(\"bound\")'"
	unit web.service <<-EOF
	[Service]
	Type=oneshot
	User=nobody
	AmbientCapabilities=CAP_NET_BIND_SERVICE
	ExecStart=$bind
	EOF
	unit denied.service <<-EOF
	[Service]
	Type=oneshot
	User=nobody
	ExecStart=$bind
	EOF
	SVD_WRAPPER=(unshare -n)
	svd_start
	wait_for "$WAIT_TIMEOUT" grep -q "stdout: bound" "$T/log/web.log"
	wait_state web inactive
	wait_state denied failed
	grep -q "Permission denied" "$T/log/denied.log" ||
		fail "without the capability: $(cat "$T/log/denied.log")"
}

test_bounding_set() {
	need_root
	reporter nosysadmin "CapabilityBoundingSet=~CAP_SYS_ADMIN"
	# Merged as systemd merges them: OR, then AND NOT for "~".
	reporter merged "CapabilityBoundingSet=CAP_NET_RAW CAP_SYS_ADMIN
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=~CAP_SYS_ADMIN"
	reporter none "CapabilityBoundingSet="
	unit plus.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	CapabilityBoundingSet=
	ExecStart=+$STATUS_CMD
	EOF
	svd_start
	local own
	own=$(own_bounding)
	wait_state nosysadmin exited
	expect_eq "CapBnd ~CAP_SYS_ADMIN" "$(printf '%016x' $((own & ~(1 << CAP_SYS_ADMIN))))" \
		"$(field nosysadmin CapBnd)"
	expect_eq "CapEff ~CAP_SYS_ADMIN" "$(printf '%016x' $((own & ~(1 << CAP_SYS_ADMIN))))" \
		"$(field nosysadmin CapEff)"
	wait_state merged exited
	expect_eq "merged CapBnd" "$(mask $CAP_NET_RAW $CAP_NET_BIND_SERVICE)" \
		"$(field merged CapBnd)"
	wait_state none exited
	expect_eq "empty: no capabilities" "$(mask)" "$(field none CapBnd)"
	expect_eq "empty: root without effective ones" "$(mask)" "$(field none CapEff)"
	wait_state plus exited
	expect_eq "'+' keeps the bounding set" "$(printf '%016x' "$own")" \
		"$(field plus CapBnd)"
}

test_no_new_privileges_and_secure_bits() {
	need_root
	reporter nnp "NoNewPrivileges=yes"
	reporter plain ""
	# noroot: root's exec grants no capabilities.
	reporter noroot "SecureBits=noroot noroot-locked"
	# keep-caps-locked without keep-caps, with the keep-caps that ambient
	# capabilities need across setresuid().
	reporter locked "User=nobody
AmbientCapabilities=CAP_NET_BIND_SERVICE
SecureBits=keep-caps-locked"
	svd_start
	wait_state nnp exited
	expect_eq "NoNewPrivs=yes" 1 "$(field nnp NoNewPrivs)"
	wait_state plain exited
	expect_eq "NoNewPrivs unset" 0 "$(field plain NoNewPrivs)"
	expect_eq "plain root CapEff" "$(printf '%016x' "$(own_bounding)")" "$(field plain CapEff)"
	wait_state noroot exited
	expect_eq "noroot CapEff" "$(mask)" "$(field noroot CapEff)"
	wait_state locked exited
	expect_eq "locked CapAmb" "$(mask $CAP_NET_BIND_SERVICE)" "$(field locked CapAmb)"
}

# '!' skips User= but not the capability settings; '!!' is no prefix at
# all where the kernel has ambient capabilities; '+' skips them all.
test_prefixes() {
	need_root
	unit prefixed.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	User=nobody
	AmbientCapabilities=CAP_NET_BIND_SERVICE
	NoNewPrivileges=yes
	ExecStart=!$STATUS_CMD
	ExecStart=!!$STATUS_CMD
	ExecStart=+$STATUS_CMD
	EOF
	svd_start
	wait_state prefixed exited
	local amb
	amb=$(mask $CAP_NET_BIND_SERVICE)
	expect_eq "uids" "0 $(id -u nobody) 0" \
		"$(sed -n 's/.* stdout: uid=//p' "$T/log/prefixed.log" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "CapAmb" "$amb $amb $(mask)" \
		"$(sed -n 's/.* stdout: CapAmb:[[:space:]]*//p' "$T/log/prefixed.log" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "NoNewPrivs" "1 1 0" \
		"$(sed -n 's/.* stdout: NoNewPrivs:[[:space:]]*//p' "$T/log/prefixed.log" | tr '\n' ' ' | sed 's/ $//')"
}

# A capability the service cannot get fails its start, named.
test_impossible_ambient_fails_named() {
	need_root
	reporter beyond "User=nobody
AmbientCapabilities=63"
	reporter outside "User=nobody
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_RAW"
	# "~" implies what it can: what this kernel lacks is left out.
	reporter implied "User=nobody
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
AmbientCapabilities=~"
	svd_start
	wait_state beyond failed
	expect_eq cause "could not spawn: AmbientCapabilities=63: the running kernel does not know it" \
		"$(prop beyond StateCauseText)"
	wait_state outside failed
	expect_eq cause "could not spawn: AmbientCapabilities=cap_net_raw: CapabilityBoundingSet= leaves it out" \
		"$(prop outside StateCauseText)"
	wait_state implied exited
	expect_eq "implied CapAmb" "$(mask $CAP_NET_BIND_SERVICE)" "$(field implied CapAmb)"
	svd_alive || fail "svd exited"
}

# A step the child cannot take is reported with the setting and errno:
# svd started without CAP_SETPCAP cannot drop from a bounding set.
test_child_step_failure_named() {
	need_root
	if ! setpriv --bounding-set=-setpcap true 2>/dev/null; then
		echo "skip: needs setpriv --bounding-set"
		exit 77
	fi
	reporter nosysadmin "CapabilityBoundingSet=~CAP_SYS_ADMIN"
	SVD_WRAPPER=(setpriv --bounding-set=-setpcap)
	svd_start
	wait_state nosysadmin failed
	expect_eq cause "CapabilityBoundingSet= failed: EPERM (Operation not permitted)" \
		"$(prop nosysadmin StateCauseText)"
}

# ConditionCapability= asks svd's own bounding set (chrony's
# CAP_SYS_TIME): a start without it is skipped, named; a bad name is an
# error of the unit file.
test_condition_capability() {
	need_root
	if ! setpriv --bounding-set=-sys_time true 2>/dev/null; then
		echo "skip: needs setpriv --bounding-set"
		exit 77
	fi
	unit clock.service <<-EOF
	[Unit]
	ConditionCapability=CAP_SYS_TIME
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit chown.service <<-EOF
	[Unit]
	ConditionCapability=cap_chown
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit badcond.service <<-EOF
	[Unit]
	ConditionCapability=CAP_NOPE
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	SVD_WRAPPER=(setpriv --bounding-set=-sys_time)
	svd_start
	wait_state chown running
	wait_for "$WAIT_TIMEOUT" eval '[ "$(prop clock StateCause)" = condition ]' ||
		fail "clock: $(svctl status clock)"
	expect_eq cause "start condition failed: ConditionCapability=CAP_SYS_TIME" \
		"$(prop clock StateCauseText)"
	expect_eq "bad name" error "$(prop badcond LoadState)"
	prop badcond LoadError | grep -q "badcond.service:2: ConditionCapability=CAP_NOPE: invalid value" ||
		fail "load error: $(prop badcond LoadError)"
}

# Unknown capability names are warned about, with file and line, and
# ignored as systemd does; an unknown secure bit is an error.
test_bad_names() {
	unit badcap.service <<-EOF
	[Service]
	AmbientCapabilities=CAP_NOT_A_CAP CAP_NET_BIND_SERVICE
	ExecStart=/bin/true
	EOF
	unit badbits.service <<-EOF
	[Service]
	SecureBits=keep-caps sometimes
	ExecStart=/bin/true
	EOF
	expect_code 0 "$SVCTL" verify "$T/units/badcap.service"
	grep -q "badcap.service:2: .*AmbientCapabilities=CAP_NOT_A_CAP CAP_NET_BIND_SERVICE: unknown capability \"CAP_NOT_A_CAP\", ignored" "$T/err" ||
		fail "verify said: $(cat "$T/err")"
	expect_code 1 "$SVCTL" verify "$T/units/badbits.service"
	grep -q "badbits.service:2: .*SecureBits=keep-caps sometimes: invalid value" "$T/err" ||
		fail "verify said: $(cat "$T/err")"
}

run_tests
