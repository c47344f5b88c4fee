#!/usr/bin/env bash
# Unit lookup and persistence: templates, aliases, masks, enable/disable,
# daemon-reload, drop-ins, Environment= and specifiers.
. "$(dirname "$0")/lib.sh"

test_template_instances() {
	unit 'echo@.service' <<-EOF
	[Unit]
	Description=Echo %i
	[Service]
	ExecStart=/bin/sh -c 'echo "%i %p %n" > $T/%i.out; exec sleep 1000'
	EOF
	svd_start
	expect_code 0 svctl start echo@one
	expect_code 0 svctl start echo@two.service
	wait_state echo@one running
	# Running is exec'd: the shell writes its file a moment later.
	wait_for "$WAIT_TIMEOUT" test -s "$T/one.out" -a -s "$T/two.out" ||
		fail "the instances wrote nothing"
	expect_eq one "one echo echo@one.service" "$(cat "$T/one.out")"
	expect_eq two "two echo echo@two.service" "$(cat "$T/two.out")"
	expect_eq description "Echo one" "$(prop echo@one Description)"
	# The template itself does not run, and says why.
	expect_code 4 svctl start echo@
	# Instances are re-read from their template on reload, and keep running.
	pid=$(prop echo@one MainPID)
	sed -i 's/Description=Echo/Description=Reloaded/' "$T/units/echo@.service"
	expect_code 0 svctl daemon-reload
	expect_eq description "Reloaded one" "$(prop echo@one Description)"
	expect_eq pid "$pid" "$(prop echo@one MainPID)"
	svctl list | grep -q "^echo@one.service" || fail "instance not listed"
	! svctl list | grep -q "^echo@.service" || fail "template listed as a unit"
}

test_alias_and_mask() {
	unit real.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	ln -s real.service "$T/units/nick.service"
	ln -s /dev/null "$T/units/gone.service"
	# How git checks links out where it cannot make them: the target as
	# the file's whole content.
	printf 'real.service' >"$T/units/nick2.service"
	printf '/dev/null' >"$T/units/gone2.service"
	svd_start
	wait_state real running
	expect_eq alias real.service "$(prop nick Id)"
	expect_eq alias real.service "$(prop nick2 Id)"
	expect_eq masked masked "$(prop gone LoadState)"
	expect_eq masked masked "$(prop gone2 LoadState)"
	expect_code 1 svctl start gone
	grep -q "masked" "$T/err" || fail "start masked: $(cat "$T/err")"
	! grep -q "error" "$T/svd.log" || fail "errors in log: $(grep error "$T/svd.log")"
}

test_disable_persists_across_restart() {
	unit a.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit b.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state a running
	expect_code 0 svctl disable a
	expect_eq file-state disabled "$(prop a UnitFileState)"
	# disable does not stop, like systemctl.
	expect_eq state running "$(prop a State)"
	svd_stop
	svd_start
	wait_state b running
	expect_eq "disabled not started" inactive "$(prop a State)"
	expect_code 0 svctl enable a
	svd_stop
	svd_start
	wait_state a running
}

test_daemon_reload_picks_up_changes() {
	unit a.service <<-EOF
	[Unit]
	Description=Before
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state a running
	pid=$(prop a MainPID)
	unit new.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	sed -i 's/Before/After/' "$T/units/a.service"
	expect_code 0 svctl daemon-reload
	expect_eq description After "$(prop a Description)"
	expect_eq "still running, same pid" "$pid" "$(prop a MainPID)"
	expect_eq "new unit known" inactive "$(prop new State)"
	# SIGHUP does the same.
	rm "$T/units/new.service"
	kill -HUP "$SVD_PID"
	wait_for "$WAIT_TIMEOUT" sh -c "! '$SVCTL' -s '$T/control.sock' show new"
	svd_alive
}

test_dropins_environment_workdir() {
	mkdir -p "$T/units/env.service.d" "$T/work"
	unit env.service <<-EOF
	[Service]
	Environment="GREETING=hello world" WHO=base
	WorkingDirectory=$T/work
	ExecStart=/bin/sh -c 'echo "\$GREETING|\$WHO|\$(pwd)|\$0" > $T/env.out' \${WHO} \$WHO
	Type=oneshot
	EOF
	cat >"$T/units/env.service.d/10-who.conf" <<-EOF
	[Service]
	Environment=WHO=dropin
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" test -s "$T/env.out"
	expect_eq env "hello world|dropin|$T/work|dropin" "$(cat "$T/env.out")"
}

# svd's open fds and resident KiB.
fd_count() {
	ls "/proc/$SVD_PID/fd" | wc -l
}

rss_kib() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$SVD_PID/status"
}

fds_at_most() {
	[ "$(fd_count)" -le "$1" ]
}

# An instance lives while it is used: stopped and named by nothing, it
# is freed with its log pipes and file; its log file stays on disk.
test_instances_freed_when_stopped() {
	local base i names=()
	unit 'inst@.service' <<-EOF
	[Unit]
	Description=Instance %i
	[Service]
	ExecStart=/bin/sh -c 'echo up %i; exec sleep 1000'
	EOF
	unit 'holder.service' <<-EOF
	[Unit]
	Wants=inst@held.service
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit 'bad@.service' <<-EOF
	[Service]
	ExecStart=/bin/false
	Restart=no
	EOF
	svd_start
	wait_state holder running
	# Once, so that what svd opens on first use is open.
	expect_code 0 svctl start inst@0
	expect_code 0 svctl stop inst@0
	base=$(fd_count)
	for i in $(seq 1 100); do names+=("inst@$i"); done
	expect_code 0 svctl start "${names[@]}"
	wait_for "$WAIT_TIMEOUT" grep -q 'up 100' "$T/log/inst@100.log"
	[ "$(fd_count)" -gt $((base + 100)) ] || fail "100 instances hold no fds?"
	expect_code 0 svctl stop "${names[@]}"
	wait_for "$WAIT_TIMEOUT" fds_at_most $((base + 2)) ||
		fail "fds: $base before, $(fd_count) after 100 instances"
	echo "fds: $base before, $(fd_count) after 100 instances" >&2
	! svctl list | grep -q '^inst@[0-9]' || fail "stopped instances listed"
	# Asked about again: made up from the template, not kept.
	expect_code 3 svctl status inst@7
	grep -q 'inactive' "$T/out" || fail "status: $(cat "$T/out")"
	expect_eq load loaded "$(prop inst@7 LoadState)"
	expect_eq description "Instance 7" "$(prop inst@7 Description)"
	! svctl list | grep -q '^inst@7' || fail "status made inst@7 for good"
	# Its lines are in its file; svd no longer holds them.
	grep -q 'up 7' "$T/log/inst@7.log" || fail "log file of inst@7 gone"
	expect_code 4 svctl logs inst@7
	grep -q 'not loaded' "$T/err" || fail "logs: $(cat "$T/err")"
	# Named by another unit: kept, stopped or not.
	svctl list | grep -q '^inst@held.service' || fail "referenced instance freed"
	# Failed: kept until reset-failed, as systemd keeps it.
	svctl start bad@1 >/dev/null 2>&1 || true
	wait_state bad@1 failed
	svctl list | grep -q '^bad@1.service' || fail "failed instance freed"
	expect_code 0 svctl reset-failed bad@1
	wait_for "$WAIT_TIMEOUT" sh -c "! '$SVCTL' -s '$T/control.sock' list | grep -q '^bad@1'" ||
		fail "reset instance still listed"
}

# A read-only client cannot grow svd: status of instances never started
# makes none.
test_status_of_unloaded_instances_keeps_nothing() {
	local rss0 rss1 units0 i n=2000
	# ASan keeps freed memory in quarantine: RSS says nothing there.
	[ "${SVD_SANITIZE:-0}" = 1 ] && n=200
	unit 'inst@.service' <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	expect_code 3 svctl status inst@0
	units0=$(svctl list | wc -l)
	rss0=$(rss_kib)
	for i in $(seq 1 "$n"); do
		svctl status "inst@$i" >/dev/null 2>&1 || true
	done
	rss1=$(rss_kib)
	echo "RSS over $n status requests: ${rss0} -> ${rss1} KiB" >&2
	# Generous: before, 2000 requests cost 5.4 MB.
	[ "${SVD_SANITIZE:-0}" = 1 ] || [ $((rss1 - rss0)) -lt 1024 ] ||
		fail "RSS grew from ${rss0} to ${rss1} KiB over $n status requests"
	expect_eq units "$units0" "$(svctl list | wc -l)"
	! svctl list | grep -q '^inst@' || fail "queried instances listed"
}

# What systemd.unit(5)'s specifiers give for the system manager, from
# the same sources: uname, the ID files, os-release, the manager's user.
host_specifiers() {
	local h tmp arch user group
	h=$(uname -n)
	case $(uname -m) in
	x86_64) arch=x86-64 ;; aarch64) arch=arm64 ;; i?86) arch=x86 ;;
	armv*l) arch=arm ;; ppc64le) arch=ppc64-le ;; *) arch=$(uname -m) ;;
	esac
	if [ "$(id -u)" = 0 ]; then
		user="root|0"
	else
		user="$(id -un)|$(id -u)"
	fi
	if [ "$(id -g)" = 0 ]; then group="root|0"; else group="$(id -gn)|$(id -g)"; fi
	for tmp in "${TMPDIR-}" "${TEMP-}" "${TMP-}" ""; do
		case $tmp in /*) break ;; esac
	done
	printf '%s\n' "$h|${h%%.*}|$( (. /etc/machine-info 2>/dev/null;
		echo "${PRETTY_HOSTNAME:-${h%%.*}}") )"
	printf '%s\n' "$(cat /etc/machine-id)|$(tr -d '-' </proc/sys/kernel/random/boot_id)"
	printf '%s\n' "$(uname -r)|$arch"
	( . /etc/os-release 2>/dev/null || . /usr/lib/os-release
	  printf '%s\n' "${ID-}|${VERSION_ID-}|${VARIANT_ID-}|${BUILD_ID-}|${IMAGE_ID-}|${IMAGE_VERSION-}" )
	if [ "$(id -u)" = 0 ]; then
		printf '%s\n' "$user|$group|/root|/bin/sh"
	else
		printf '%s\n' "$user|$group|$HOME|$(getent passwd "$(id -u)" | cut -d: -f7)"
	fi
	printf '%s\n' "/run|/var/lib|/var/log|/var/cache|/etc|${tmp:-/tmp}|${tmp:-/var/tmp}|%"
}

test_every_specifier() {
	if ! grep -qE '^[0-9a-f]{32}$' /etc/machine-id 2>/dev/null ||
		[ ! -r /proc/sys/kernel/random/boot_id ] ||
		{ [ ! -r /etc/os-release ] && [ ! -r /usr/lib/os-release ]; }; then
		echo "skip: no machine ID, boot ID or os-release on this host"
		return 77
	fi
	unit 'spec-demo@.service' <<-EOF
	[Service]
	Type=oneshot
	Environment="HOSTS=%H|%l|%q" "IDS=%m|%b" OS=%o|%w|%W|%B|%M|%A
	ExecStart=/bin/sh -c 'printf "%%s\\n" "%n|%N|%p|%P|%i|%I|%j|%J|%f" "%y|%Y|%d" "\$HOSTS" "\$IDS" "%v|%a" "\$OS" "%u|%U|%g|%G|%h|%s" "%t|%S|%L|%C|%E|%T|%V|%%" >$T/spec.out'
	EOF
	svd_start
	expect_code 0 svctl start spec-demo@a-b
	wait_for "$WAIT_TIMEOUT" test -s "$T/spec.out"
	{
		echo "spec-demo@a-b.service|spec-demo@a-b|spec-demo|spec/demo|a-b|a/b|demo|demo|/a/b"
		echo "$T/units/spec-demo@.service|$T/units|/run/credentials/spec-demo@a-b.service"
		host_specifiers
	} >"$T/spec.want"
	diff -u "$T/spec.want" "$T/spec.out" || fail "specifiers differ"
}

run_tests
