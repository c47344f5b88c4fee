#!/usr/bin/env bash
# Dependencies and ordering: Requires=, Wants=, Requisite=, BindsTo=,
# PartOf=, Conflicts=, After=, Before=, targets (made up and from files)
# and NAME.wants/, the .mount and .device units svd makes up,
# RequiresMountsFor=, cycles.
# Services log "start NAME" once started and "stop NAME" when SIGTERM
# reaches them to $T/order; Type=notify makes "started" mean that line is
# written (READY=1 comes after it), so the file's order is svd's order.
. "$(dirname "$0")/lib.sh"

# svc NAME [UNIT LINES...]: a notify service that records its start and
# its stop in $T/order.
svc() {
	local name=$1 line
	shift
	{
		echo "[Unit]"
		for line in "$@"; do
			case $line in
			Install:*) ;;
			*) echo "$line" ;;
			esac
		done
		echo "[Service]"
		echo "Type=notify"
		echo "NotifyAccess=all"
		echo "ExecStart=/bin/sh -c 'trap \"echo stop $name >> $T/order; exit 0\" TERM; echo start $name >> $T/order; systemd-notify --ready; while :; do sleep 1; done'"
		for line in "$@"; do
			case $line in
			Install:*) echo "[Install]"; echo "${line#Install:}" ;;
			esac
		done
	} >"$T/units/$name.service"
}

# line_of WORD: the line number of "WORD" in $T/order.
line_of() {
	grep -nx "$1" "$T/order" | head -n 1 | cut -d: -f1
}

# expect_before A B: line A comes before line B in $T/order.
expect_before() {
	local a b
	a=$(line_of "$1")
	b=$(line_of "$2")
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] ||
		fail "expected '$1' before '$2'; order: $(tr '\n' ',' <"$T/order")"
}

# escape_path PATH: systemd's unit name of PATH, without the suffix.
escape_path() {
	local p=${1#/} out= c i
	for ((i = 0; i < ${#p}; i++)); do
		c=${p:i:1}
		case $c in
		/) out+=- ;;
		[a-zA-Z0-9:_]) out+=$c ;;
		.) if [ "$i" = 0 ]; then out+='\x2e'; else out+=.; fi ;;
		*) out+=$(printf '\\x%02x' "'$c") ;;
		esac
	done
	echo "$out"
}

has_line() {
	grep -qx "$1" "$T/order"
}

test_chain_and_diamond_in_order_stop_reversed() {
	need_systemd_notify
	svc a
	svc b "Requires=a.service" "After=a.service"
	svc c "Requires=a.service" "After=a.service"
	svc d "Requires=b.service c.service" "After=b.service c.service"
	svd_start
	wait_state d running
	expect_before "start a" "start b"
	expect_before "start a" "start c"
	expect_before "start b" "start d"
	expect_before "start c" "start d"
	# Stopping a stops what requires it, later ones first.
	svctl stop a
	expect_eq "d after stopping a" inactive "$(svctl is-active d)"
	expect_before "stop d" "stop b"
	expect_before "stop d" "stop c"
	expect_before "stop b" "stop a"
	expect_before "stop c" "stop a"
	# Starting d again pulls a, b and c back in.
	svctl start d
	expect_eq a active "$(svctl is-active a)"
}

# x and y have no order between them: each becomes ready only once the
# other has started, so only a parallel start gets both running.
test_unordered_units_start_together() {
	need_systemd_notify
	local name other
	for name in x y; do
		other=$([ $name = x ] && echo y || echo x)
		unit "$name.service" <<-EOF
		[Service]
		Type=notify
		NotifyAccess=all
		TimeoutStartSec=20
		ExecStart=/bin/sh -c 'touch $T/started.$name; while [ ! -e $T/started.$other ]; do sleep 0.02; done; systemd-notify --ready; exec sleep 1000'
		EOF
	done
	svd_start
	wait_state x running
	wait_state y running
}

test_shutdown_in_reverse_order() {
	need_systemd_notify
	svc first
	svc second "After=first.service" "Wants=first.service"
	svc third "After=second.service" "Wants=second.service"
	svd_start
	wait_state third running
	svd_stop
	expect_before "stop third" "stop second"
	expect_before "stop second" "stop first"
}

test_failed_requirement_is_named() {
	unit base.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'exit 3'
	Type=oneshot
	EOF
	unit top.service <<-EOF
	[Unit]
	Requires=base.service
	After=base.service
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state top failed
	expect_eq cause "not started: dependency failed: base.service" \
		"$(prop top StateCauseText)"
	expect_eq result dependency "$(prop top Result)"
	expect_code 1 "$SVCTL" start top
	grep -q "start failed: not started: dependency failed: base.service" "$T/err" ||
		fail "svctl said: $(cat "$T/err")"
}

test_missing_units() {
	unit relaxed.service <<-EOF
	[Unit]
	Wants=nope.service network-online.target
	After=nope.service network.target syslog.socket
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit needy.service <<-EOF
	[Unit]
	Requires=nope.service
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit sockety.service <<-EOF
	[Unit]
	Requires=daily.timer
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit targety.service <<-EOF
	[Unit]
	Requires=network-online.target
	After=network-online.target
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit bussy.service <<-EOF
	[Service]
	Type=dbus
	BusName=org.example.Bussy
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state bussy failed
	prop bussy StateCauseText | grep -q "Type=dbus: .*svd provides no D-Bus" ||
		fail "bussy: $(prop bussy StateCauseText)"
	expect_code 1 "$SVCTL" start bussy
	grep -q "bussy.service: cannot start: Type=dbus" "$T/err" ||
		fail "svctl said: $(cat "$T/err")"
	wait_state relaxed running
	wait_state targety running
	wait_state needy failed
	expect_eq needy "not started: Requires=nope.service: no such unit" \
		"$(prop needy StateCauseText)"
	wait_state sockety failed
	prop sockety StateCauseText | grep -q "Requires=daily.timer: svd has no .timer units" ||
		fail "sockety: $(prop sockety StateCauseText)"
	expect_eq "network-online.target" active "$(svctl is-active network-online.target)"
	svd_alive
}

test_cycles_reported_and_broken() {
	need_systemd_notify
	svc p "After=q.service" "Wants=q.service"
	svc q "After=p.service" "Wants=p.service"
	svc r "After=s.service" "Requires=s.service"
	svc s "After=r.service" "Requires=r.service"
	svc bystander
	svd_start
	# Only wanted: the cycle loses an ordering and both run.
	wait_state p running
	wait_state q running
	grep -q "ordering cycle: .*$T/units/p.service.*q.service" "$T/svd.log" ||
		fail "no cycle report naming the files"
	# All required: refused, with the reason.
	wait_state r failed
	prop r StateCauseText | grep -q "in an ordering cycle of requirements" ||
		fail "r: $(prop r StateCauseText)"
	wait_state bystander running
	svd_alive
}

test_targets_wantedby_and_wants_dirs() {
	need_systemd_notify
	svc installed "Install:WantedBy=multi-user.target"
	svc linked
	svc late "After=multi-user.target"
	mkdir "$T/units/multi-user.target.wants"
	# As git stores a symlink: a file holding its target; the name is
	# what counts.
	ln -s ../linked.service "$T/units/multi-user.target.wants/linked.service"
	svd_start
	svctl disable linked
	svd_stop
	: >"$T/order"
	svd_start
	wait_state linked running
	wait_state late running
	expect_eq multi-user.target active "$(svctl is-active multi-user.target)"
	# multi-user.target is reached after what it wants.
	expect_before "start installed" "start late"
	expect_before "start linked" "start late"
	svctl list | grep -q "^multi-user.target .* active" ||
		fail "list: $(svctl list)"
}

test_requisite_bindsto_partof_conflicts() {
	need_systemd_notify
	svc host
	svc bound "BindsTo=host.service" "After=host.service"
	svc part "PartOf=host.service" "After=host.service"
	svc strict "Requisite=absent.service"
	svc absent
	svc rival "Conflicts=host.service"
	svd_start
	svctl stop absent
	expect_code 1 "$SVCTL" start strict
	grep -q "Requisite=absent.service is not active" "$T/err" ||
		fail "strict: $(cat "$T/err")"
	# rival conflicts with host: at boot one of them won (and what
	# goes with host went with it); starting one stops the other.
	wait_for "$WAIT_TIMEOUT" eval '[ "$(svctl is-active rival)$(svctl is-active host)" != activeactive ]'
	svctl start host
	expect_eq rival inactive "$(svctl is-active rival)"
	svctl start bound part
	# BindsTo=: host dying takes bound down; PartOf=: only a stop does.
	kill -KILL "$(prop host MainPID)"
	# Bounded by bound's own stop: TimeoutStopSec= (10 s), then SIGKILL.
	wait_for 20 eval '[ "$(svctl is-active bound)" = inactive ]'
	svctl start host bound
	svctl stop host
	expect_eq part inactive "$(svctl is-active part)"
}

# Jobs that end with no state change (a stop of a unit already down)
# must not leave a client or the shutdown waiting.
test_stop_of_inactive_units_completes() {
	unit setup.service <<-EOF
	[Service]
	Type=oneshot
	ExecStart=/bin/true
	EOF
	unit app.service <<-EOF
	[Unit]
	Requires=setup.service
	After=setup.service
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state app running
	expect_eq setup inactive "$(svctl is-active setup)"
	svctl start app
	timeout 15 "$SVCTL" stop setup || fail "svctl stop setup did not return"
	expect_eq app inactive "$(svctl is-active app)"
	svctl start app
	svd_stop || fail "svd did not stop cleanly"
}

test_requires_masked_or_broken_unit_fails() {
	ln -s /dev/null "$T/units/masked.service"
	printf '[Service]\nExecStart=\nRestart=sometimes\n' >"$T/units/broken.service"
	unit a.service <<-EOF
	[Unit]
	Requires=masked.service
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit b.service <<-EOF
	[Unit]
	Requires=broken.service
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state a failed
	wait_state b failed
	expect_eq a "not started: dependency failed: masked.service (unit is masked)" \
		"$(prop a StateCauseText)"
	prop b StateCauseText | grep -q "dependency failed: broken.service (unit file has errors" ||
		fail "b: $(prop b StateCauseText)"
}

# WantedBy=T with After=T: the unit runs after T, no cycle is seen.
test_wantedby_and_after_the_same_target() {
	unit late.service <<-EOF
	[Unit]
	After=multi-user.target
	[Service]
	ExecStart=/bin/sleep 1000
	[Install]
	WantedBy=multi-user.target
	EOF
	svd_start
	wait_state late running
	! grep -q "ordering cycle" "$T/svd.log" || fail "$(grep cycle "$T/svd.log")"
}

# A start after a unit that is stopping waits for it to be down.
test_conflicting_start_waits_for_the_stop() {
	need_systemd_notify
	unit slowstop.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'trap "sleep 1; echo stop slowstop >> $T/order; exit 0" TERM; while :; do sleep 0.1; done'
	EOF
	svc newcomer "Conflicts=slowstop.service" "After=slowstop.service"
	svd_start
	svctl stop newcomer
	svctl start slowstop
	: >"$T/order"
	svctl start newcomer
	expect_before "stop slowstop" "start newcomer"
}

test_restart_pulls_in_requirements() {
	unit base.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit top.service <<-EOF
	[Unit]
	Requires=base.service
	After=base.service
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state top running
	svctl stop base
	expect_eq top inactive "$(svctl is-active top)"
	svctl restart top
	expect_eq base active "$(svctl is-active base)"
	expect_eq top active "$(svctl is-active top)"
}

test_conditions_and_asserts() {
	unit flagged.service <<-EOF
	[Unit]
	ConditionPathExists=$T/flag
	ConditionPathIsDirectory=$T/units
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit unless.service <<-EOF
	[Unit]
	ConditionPathExists=!$T/flag
	ConditionVirtualization=|yes
	ConditionVirtualization=|no
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit asserted.service <<-EOF
	[Unit]
	AssertFileNotEmpty=$T/config
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state unless running
	# A condition that does not hold skips the start: not an error.
	wait_state flagged inactive
	expect_eq cause "start condition failed: ConditionPathExists=$T/flag" \
		"$(prop flagged StateCauseText)"
	expect_code 0 "$SVCTL" start flagged
	expect_eq flagged inactive "$(svctl is-active flagged)"
	touch "$T/flag"
	svctl start flagged
	expect_eq flagged active "$(svctl is-active flagged)"
	# An assertion that does not hold fails it.
	wait_state asserted failed
	expect_code 1 "$SVCTL" start asserted
	grep -q "assertion failed: AssertFileNotEmpty=$T/config" "$T/err" ||
		fail "svctl said: $(cat "$T/err")"
	echo "key=value" >"$T/config"
	svctl start asserted
	expect_eq asserted active "$(svctl is-active asserted)"
}

# A NAME.target file: its Wants= and NAME.target.wants/ pull units in,
# it is reached after them, and what orders itself after it waits. It
# is not started at boot by itself; a [Service] section in it is unknown.
test_target_file() {
	need_systemd_notify
	svc a
	svc b
	svc c "Wants=app.target" "After=app.target"
	unit app.target <<-EOF
	[Unit]
	Description=the app
	Wants=a.service
	[Service]
	ExecStart=/bin/false
	EOF
	mkdir "$T/units/app.target.wants"
	ln -s ../b.service "$T/units/app.target.wants/b.service"
	expect_code 0 svctl verify "$T/units/app.target"
	grep -q "app.target:4: \[Service\]: unknown section, ignored" "$T/err" ||
		fail "verify said: $(cat "$T/err")"
	svd_start
	for name in a b c; do svctl disable "$name"; done
	svd_stop
	: >"$T/order"
	svd_start
	expect_eq app.target inactive "$(svctl is-active app.target)"
	expect_eq a inactive "$(svctl is-active a)"
	svctl start c
	wait_state c running
	expect_before "start a" "start c"
	expect_before "start b" "start c"
	expect_eq app.target active "$(svctl is-active app.target)"
	expect_eq description "the app" "$(prop app.target Description)"
	expect_eq file "$T/units/app.target" "$(prop app.target FragmentPath)"
	grep -q "app.target:4: \[Service\]: unknown section, ignored" "$T/svd.log" ||
		fail "no warning for [Service] in svd.log"
	# Its file gone, it is made up again, and stays named.
	rm "$T/units/app.target"
	svctl daemon-reload
	wait_for "$WAIT_TIMEOUT" sh -c "'$SVCTL' -s '$T/control.sock' show app.target | grep -qx 'Description=target app.target'" ||
		fail "after reload: $(svctl show app.target)"
	svd_alive
}

# .mount and .device names stand for paths, checked when started: a
# mount point, a device node that exists; else the unit fails and names
# the path, and so do the units that require it.
test_mount_and_device_units() {
	local plain
	mkdir "$T/plain"
	plain=$(escape_path "$T/plain").mount
	svc_plain() {
		unit "$1.service" <<-EOF
		[Unit]
		Requires=$2
		After=$2
		[Service]
		ExecStart=/bin/sleep 1000
		EOF
	}
	svc_plain rooted "-.mount proc.mount dev-null.device sys-subsystem-net-devices-lo.device"
	svc_plain unmounted "$plain"
	svc_plain nodevice "dev-svd_no_such_node.device"
	svc_plain badname "-var.mount"
	unit orderly.service <<-EOF
	[Unit]
	After=sys.mount
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state rooted running
	expect_eq proc.mount active "$(svctl is-active proc.mount)"
	expect_eq description "mount point /proc" "$(prop proc.mount Description)"
	expect_eq -.mount active "$(svctl is-active -.mount)"
	expect_eq dev-null.device active "$(svctl is-active dev-null.device)"
	wait_state unmounted failed
	expect_eq cause "not started: dependency failed: $plain ($T/plain is not a mount point)" \
		"$(prop unmounted StateCauseText)"
	expect_eq mount failed "$(svctl is-active "$plain")"
	expect_eq "mount cause" "assertion failed: $T/plain is not a mount point" \
		"$(prop "$plain" StateCauseText)"
	wait_state nodevice failed
	expect_eq cause "not started: dependency failed: dev-svd_no_such_node.device (/dev/svd_no_such_node does not exist)" \
		"$(prop nodevice StateCauseText)"
	wait_state badname failed
	prop badname StateCauseText | grep -q "Requires=-var.mount: not a path in systemd's escaping" ||
		fail "badname: $(prop badname StateCauseText)"
	# Listed; started only when pulled in, not for an ordering.
	svctl list | grep -q "^proc.mount" || fail "list: $(svctl list)"
	wait_state orderly running
	expect_eq sys.mount inactive "$(svctl is-active sys.mount)"
	svd_alive
}

# In a mount namespace of the test's own: a tmpfs, and /etc/fstab there
# replaced by the test's. RequiresMountsFor= requires the file systems
# of the fstab at the path or above it.
test_requires_mounts_for() {
	local data other
	if [ "$(id -u)" != 0 ] || [ ! -f /etc/fstab ] ||
	   ! unshare --mount --propagation private true 2>/dev/null; then
		echo "skip: needs root, unshare and an /etc/fstab to hide"
		exit 77
	fi
	mkdir "$T/data" "$T/other" "$T/plain"
	cat >"$T/fstab" <<-EOF
	# the test's
	tmpfs $T/data tmpfs defaults 0 0
	tmpfs $T/other tmpfs noauto 0 0
	/dev/sdz none swap sw 0 0
	EOF
	data=$(escape_path "$T/data").mount
	other=$(escape_path "$T/other").mount
	unit db.service <<-EOF
	[Unit]
	RequiresMountsFor=$T/data/db
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit direct.service <<-EOF
	[Unit]
	Requires=$data
	After=$data
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit cache.service <<-EOF
	[Unit]
	RequiresMountsFor=$T/other/cache
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit free.service <<-EOF
	[Unit]
	RequiresMountsFor=$T/plain/x /
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	SVD_WRAPPER=(unshare --mount --propagation private -- sh -c \
		'mount -t tmpfs tmpfs "$1" && mount --bind "$2" /etc/fstab && shift 2 && exec "$@"' \
		sh "$T/data" "$T/fstab")
	svd_start
	wait_state db running
	wait_state direct running
	expect_eq "$data" active "$(svctl is-active "$data")"
	wait_state cache failed
	expect_eq cause "not started: dependency failed: $other ($T/other is not a mount point)" \
		"$(prop cache StateCauseText)"
	wait_state free running
	# The host saw none of it.
	! grep -q " $T/data " /proc/self/mountinfo || fail "tmpfs leaked to the host"
	svd_alive
}

run_tests
