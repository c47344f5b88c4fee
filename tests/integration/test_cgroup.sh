#!/usr/bin/env bash
# Services in cgroups: every process of a service, setsid'd or not, is
# stopped with it and at svd's end; cgroup.kill and the freezer's
# fallback; the stated fallback without a cgroup2; status figures.
#
# Each test gives its svd a tree of its own inside this machine's
# writable cgroup2 (CgroupRoot=MOUNT/svd-test-XXXX), removed at its end;
# without one (not root, no cgroup2) the tests skip. Resource limits
# cannot take effect on a hybrid hierarchy (no controller in its
# cgroup2): what is written is unit-tested (tests/unit/test_cgroup.c),
# the effects belong to the VM harness (tests/vm/).
. "$(dirname "$0")/lib.sh"

CG=

cgroup2_mount() {
	local m
	for m in /sys/fs/cgroup /sys/fs/cgroup/unified; do
		[ "$(stat -f -c %T "$m" 2>/dev/null)" = cgroup2fs ] && { echo "$m"; return 0; }
	done
	return 1
}

# Every process still in the test's tree is the test's own: killed, then
# the directories go, deepest first.
cg_cleanup() {
	[ -n "$CG" ] && [ -d "$CG" ] || return 0
	find "$CG" -name cgroup.procs -exec cat {} + 2>/dev/null |
		while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done
	wait_for 10 cg_remove >/dev/null 2>&1 || echo "cgroup $CG left behind" >&2
	CG=
}

cg_remove() {
	find "$CG" -depth -type d -exec rmdir {} + 2>/dev/null
	[ ! -d "$CG" ]
}

# cg_setup: a tree for this test's svd, or skip (77).
cg_setup() {
	local mount
	mount=$(cgroup2_mount) || { echo "no cgroup2 mounted" >&2; exit 77; }
	CG="$mount/svd-test-$$-$RANDOM"
	mkdir "$CG" 2>/dev/null || { echo "cgroup2 at $mount not writable" >&2; CG=; exit 77; }
	trap 'cleanup_svd; cg_cleanup' EXIT
	printf '[Manager]\nCgroupRoot=%s\nKillGraceSec=1s\n' "$CG" >"$T/svd.conf"
	export SVD_CGROUP_ROOT=
}

in_cgroup() {
	grep -qx "$2" "$CG/svd.slice/$1/cgroup.procs"
}

# A service whose main process leaves a grandchild in a session of its
# own: process groups do not reach it, its cgroup does.
leaky_unit() {
	unit "${1:-leak}.service" <<-EOF
	[Service]
	${2:-}
	ExecStart=/bin/sh -c 'setsid sleep 502 & echo \$! > $T/${1:-leak}.gc; exec sleep 600'
	EOF
}

grandchild() {
	wait_for "$WAIT_TIMEOUT" test -s "$T/${1:-leak}.gc"
	cat "$T/${1:-leak}.gc"
}

test_setsid_grandchild_killed_at_stop() {
	cg_setup
	leaky_unit
	svd_start
	grep -q "cgroup2 at $CG: one cgroup per service" "$T/svd.log" ||
		fail "no word of the cgroup2 used"
	expect_code 0 svctl start leak
	gc=$(grandchild)
	in_cgroup leak.service "$gc" || fail "grandchild $gc not in the cgroup"
	expect_code 0 svctl stop leak
	wait_for "$WAIT_TIMEOUT" not_running "$gc" || fail "grandchild $gc survived stop"
	# Inactive, and its empty cgroup removed.
	wait_for "$WAIT_TIMEOUT" test ! -d "$CG/svd.slice/leak.service" ||
		fail "the empty cgroup stayed"
	state_is leak inactive
}

# Server mode: svd's own end leaves no process of a service, whatever
# KillMode= says.
test_setsid_grandchild_killed_at_shutdown() {
	cg_setup
	leaky_unit leak
	leaky_unit left KillMode=process
	svd_start
	expect_code 0 svctl start leak left
	gc=$(grandchild leak)
	gc2=$(grandchild left)
	svd_stop || fail "svd did not exit cleanly"
	wait_for "$WAIT_TIMEOUT" not_running "$gc" || fail "grandchild $gc survived svd"
	wait_for "$WAIT_TIMEOUT" not_running "$gc2" ||
		fail "KillMode=process's grandchild $gc2 survived svd"
	[ ! -d "$CG/svd.slice" ] || fail "svd.slice left behind"
}

# A stop ends only when the cgroup is empty: a leftover that ignores
# SIGTERM keeps the service stopping until SIGKILL.
stubborn_unit() {
	cat >"$T/stubborn.sh" <<-EOF
	trap '' TERM
	echo \$\$ > $T/stubborn.gc
	while :; do sleep 0.05; done
	EOF
	unit stubborn.service <<-EOF
	[Service]
	TimeoutStopSec=1
	ExecStart=/bin/sh -c 'setsid /bin/sh $T/stubborn.sh & exec sleep 600'
	EOF
}

stop_stubborn() {
	svd_start
	expect_code 0 svctl start stubborn
	gc=$(grandchild stubborn)
	svctl stop stubborn >/dev/null 2>&1 &
	stop_pid=$!
	wait_for "$WAIT_TIMEOUT" state_is stubborn stop-sigterm
	kill -0 "$gc" || fail "the leftover died of SIGTERM"
	# SIGKILL was needed: Result=timeout, as systemd's.
	wait_state stubborn failed
	not_running "$gc" || fail "down while $gc still runs"
	[ "$(prop stubborn Result)" = timeout ] || fail "Result=$(prop stubborn Result)"
	wait "$stop_pid" || true
}

test_stop_waits_for_cgroup_then_cgroup_kill() {
	cg_setup
	stubborn_unit
	stop_stubborn
	! grep -q "no cgroup.kill" "$T/svd.log" || fail "cgroup.kill not used"
}

# The main process ends by itself: what it left in its cgroup is stopped
# before the service is down (SIGKILL for one that ignores SIGTERM).
test_main_exit_stops_the_rest() {
	cg_setup
	stubborn_unit
	# It ends once the leftover ignores SIGTERM.
	cat >"$T/main.sh" <<-EOF
	setsid /bin/sh $T/stubborn.sh &
	while [ ! -s $T/stubborn.gc ]; do sleep 0.05; done
	EOF
	sed -i "s|^ExecStart=.*|ExecStart=/bin/sh $T/main.sh|" "$T/units/stubborn.service"
	svd_start
	svctl start stubborn >/dev/null 2>&1 || true
	gc=$(grandchild stubborn)
	wait_state stubborn failed
	not_running "$gc" || fail "down while $gc still runs"
	[ "$(prop stubborn Result)" = timeout ] || fail "Result=$(prop stubborn Result)"
}

test_freeze_fallback_without_cgroup_kill() {
	cg_setup
	stubborn_unit
	export SVD_CGROUP_FORCE_FREEZE=1
	stop_stubborn
	grep -q "no cgroup.kill: SIGKILL by freezing the cgroup" "$T/svd.log" ||
		fail "the freezer fallback was not said"
	grep -q "freezing /\|thawing /" "$T/svd.log" && fail "freezer errors" || true
}

test_status_shows_the_cgroup() {
	cg_setup
	unit tree.service <<-EOF
	[Service]
	MemoryMax=64M
	TasksMax=100
	ExecStart=/bin/sh -c 'sleep 501 & exec sleep 600'
	EOF
	svd_start
	expect_code 0 svctl start tree
	wait_for "$WAIT_TIMEOUT" test "$(prop tree TasksCurrent)" = 2 ||
		fail "TasksCurrent=$(prop tree TasksCurrent)"
	# The shell's child is "sleep 501" once it has exec'd, not before.
	wait_for "$WAIT_TIMEOUT" eval 'svctl status tree | grep -q "sleep 501$"' ||
		fail "no process line: $(svctl status tree)"
	out=$(svctl status tree) || true
	grep -q "     CGroup: ${CG#"$(cgroup2_mount)"}/svd.slice/tree.service" <<<"$out" || fail "no CGroup: $out"
	grep -q "^      Tasks: 2$" <<<"$out" || fail "no Tasks: $out"
	grep -q "sleep 501$" <<<"$out" || fail "no process line: $out"
	[ -n "$(prop tree CPUUsageNSec)" ] || fail "no CPUUsageNSec="
	if grep -qw memory "$CG/cgroup.controllers"; then
		[ "$(cat "$CG/svd.slice/tree.service/memory.max")" = 67108864 ] ||
			fail "memory.max not written"
	else
		# The hybrid hierarchy: the unit runs, warned.
		grep -q "Warning: resource limits unavailable (no cgroup controller for TasksMax=, MemoryMax=): ignored" <<<"$out" ||
			fail "no warning: $out"
		state_is tree running
	fi
}

# Slice=: a-b.slice nests in a.slice, as systemd's.
test_slice_nests() {
	cg_setup
	unit sliced.service <<-EOF
	[Service]
	Slice=web-front.slice
	ExecStart=/bin/sleep 600
	EOF
	svd_start
	expect_code 0 svctl start sliced
	pid=$(prop sliced MainPID)
	grep -qx "$pid" "$CG/web.slice/web-front.slice/sliced.service/cgroup.procs" ||
		fail "not in web.slice/web-front.slice: $(cat /proc/"$pid"/cgroup)"
	[ "$(prop sliced ControlGroup)" = "${CG#"$(cgroup2_mount)"}/web.slice/web-front.slice/sliced.service" ] ||
		fail "ControlGroup=$(prop sliced ControlGroup)"
	expect_code 0 svctl stop sliced
}

# Without a usable cgroup2, svd says so and keeps to process groups.
test_stated_fallback_without_cgroup2() {
	mkdir "$T/notcg"
	printf '[Manager]\nCgroupRoot=%s\n' "$T/notcg" >"$T/svd.conf"
	export SVD_CGROUP_ROOT=
	unit plain.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 600
	EOF
	svd_start
	grep -q "CgroupRoot=$T/notcg is not a cgroup2 file system: services are tracked by process group" "$T/svd.log" ||
		fail "no fallback message"
	expect_code 0 svctl start plain
	[ -z "$(prop plain ControlGroup)" ] || fail "a cgroup without cgroup2"
	expect_code 0 svctl stop plain
}

# A container started in a cgroup namespace of its own (as runtimes do):
# svd, its PID 1 or subreaper, finds the namespace's root as its own
# cgroup on a cgroup2 mounted afresh, steps aside into svd.scope and
# gives each side service a cgroup there; its end leaves nothing.
test_container_in_its_own_cgroup_namespace() {
	cg_setup
	local mount
	mount=$(cgroup2_mount)
	unshare -C -m true 2>/dev/null || { echo "skip: no cgroup namespaces"; exit 77; }
	printf '[Manager]\nKillGraceSec=1s\n' >"$T/svd.conf"
	mkdir -p "$T/side"
	cat >"$T/side/leak.service" <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'setsid sleep 502 & echo \$! > $T/leak.gc; exec sleep 600'
	EOF
	mkfifo "$T/go"
	# The runtime's part: the container's first process in its cgroup,
	# then the namespaces, then cgroup2 mounted as the container sees it
	# (the kernel refuses it over the same mount: the host's goes first,
	# in the private mount namespace).
	cat >"$T/container.sh" <<-EOF
	echo \$\$ > "$CG/cgroup.procs" || exit 90
	exec unshare -C -m /bin/sh -c 'umount -l "$mount" && mount -t cgroup2 cgroup2 "$mount" || exit 91
	exec "$SVD" -u "$T/side" -s "$T/control.sock" -S "$T/state" -c "$T/svd.conf" \
		-- /bin/sh -c "read x < $T/go; exit 3"'
	EOF
	/bin/sh "$T/container.sh" >"$T/svd.log" 2>&1 &
	local pid=$! gc code=0
	gc=$(grandchild leak)
	in_cgroup leak.service "$gc" ||
		fail "side service's grandchild $gc not in $CG/svd.slice/leak.service"
	# The container's view: its root is the namespace's.
	[ "$(prop leak ControlGroup)" = /svd.slice/leak.service ] ||
		fail "ControlGroup=$(prop leak ControlGroup); log: $(cat "$T/svd.log")"
	[ -d "$CG/svd.scope" ] || fail "svd did not step aside into svd.scope"
	echo go >"$T/go"
	wait "$pid" || code=$?
	[ "$code" = 3 ] || fail "container exit code $code, not the command's 3"
	not_running "$gc" || fail "grandchild $gc survived the container's end"
	[ ! -d "$CG/svd.slice" ] || fail "svd.slice left behind"
}

# daemon-reexec keeps a service's cgroup: the stop after it still
# reaches the setsid'd grandchild.
test_reexec_keeps_cgroup() {
	cg_setup
	leaky_unit
	svd_start
	expect_code 0 svctl start leak
	gc=$(grandchild)
	pid=$(prop leak.service MainPID)
	expect_code 0 svctl daemon-reexec
	grep -q "reexec-state=" "/proc/$SVD_PID/cmdline" || fail "svd was not re-executed"
	grep -q "cgroup2 at $CG: one cgroup per service" "$T/svd.log" ||
		fail "no cgroup2 after the re-exec"
	expect_eq "leak's pid" "$pid" "$(prop leak.service MainPID)"
	in_cgroup leak.service "$gc" || fail "grandchild $gc not in the cgroup"
	expect_code 0 svctl stop leak
	wait_for "$WAIT_TIMEOUT" not_running "$gc" || fail "grandchild $gc survived stop"
}

# svd killed: the next one adopts the service from the running file,
# with its cgroup, and its stop reaches the grandchild too.
test_adopted_service_stopped_by_cgroup() {
	cg_setup
	leaky_unit
	svd_start
	expect_code 0 svctl start leak
	gc=$(grandchild)
	pid=$(prop leak.service MainPID)
	wait_for "$WAIT_TIMEOUT" grep -q "^leak.service $pid .* $CG/svd.slice/leak.service\$" \
		"$T/state/running"
	kill -KILL "$SVD_PID"
	wait "$SVD_PID" 2>/dev/null || true
	SVD_PID=
	svd_start
	expect_eq "leak's pid" "$pid" "$(prop leak.service MainPID)"
	expect_eq "leak's cause" adopted "$(prop leak.service StateCause)"
	grep -q "cgroup2 at $CG: one cgroup per service" "$T/svd.log" ||
		fail "the new svd did not take the cgroup2 over"
	expect_code 0 svctl stop leak
	wait_for "$WAIT_TIMEOUT" not_running "$pid" || fail "main $pid survived stop"
	wait_for "$WAIT_TIMEOUT" not_running "$gc" || fail "grandchild $gc survived stop"
}

run_tests
