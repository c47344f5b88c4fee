#!/usr/bin/env bash
# svctl as systemctl users expect it: options anywhere, typed JSON, the
# is-* verbs and their exit codes, cat, show -p/--value, list filters,
# enable/disable saying what they did, kill, and `monitor`'s event stream
# (a slow reader loses events, counted, and never slows svd).
. "$(dirname "$0")/lib.sh"

sleeper() {
	unit "$1.service" <<-EOF
	[Unit]
	Description=sleeper $1
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
}

test_options_anywhere_and_typed_json() {
	sleeper web
	svd_start
	wait_state web running
	svctl status --json web >"$T/status.json" || [ $? = 3 ] ||
		fail "status --json web: $(cat "$T/status.json")"
	python3 - "$T/status.json" <<-'EOF' || fail "status JSON: $(cat "$T/status.json")"
	import json, sys
	u = json.load(open(sys.argv[1]))
	assert u["Id"] == "web.service", u
	assert isinstance(u["MainPID"], int) and u["MainPID"] > 0, u
	assert isinstance(u["NRestarts"], int), u
	assert isinstance(u["ExecStart"], list), u
	assert all(set(l) == {"time", "stream", "text"} for l in u["Log"]), u
	EOF
	svctl list --json >"$T/list.json" || fail "list --json failed"
	python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) >= 1' \
		"$T/list.json" || fail "list --json: $(cat "$T/list.json")"
	# One line, no blank one, whatever --json says.
	expect_eq "--json is-active" "active" "$(svctl --json is-active web)"
	expect_eq "lines of is-active" 1 "$(svctl is-active --json web | wc -l)"
	expect_eq "--json enable prints JSON" '{"Id":"web.service","UnitFileState":"enabled"}' \
		"$(svctl enable web --json)"
	expect_code 2 svctl list --bogus
	grep -q "unknown option --bogus" "$T/err" || fail "bogus: $(cat "$T/err")"
}

test_is_verbs_exit_codes() {
	sleeper web
	unit bad.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'exit 3'
	EOF
	svd_start
	wait_state web running
	wait_state bad failed
	expect_code 0 svctl is-active web
	expect_code 3 svctl is-active nosuch
	expect_eq "is-active nosuch" inactive "$(cat "$T/out")"
	[ ! -s "$T/err" ] || fail "is-active nosuch said: $(cat "$T/err")"
	expect_code 3 svctl is-active bad
	expect_eq "is-active bad" failed "$(cat "$T/out")"
	expect_code 0 svctl is-active bad web	# one of them is
	expect_code 0 svctl is-failed bad
	expect_code 1 svctl is-failed web
	expect_code 1 svctl is-failed nosuch
	expect_code 0 svctl is-enabled web
	expect_eq is-enabled enabled "$(cat "$T/out")"
	expect_code 0 svctl disable web
	expect_eq "disable says" "Disabled web.service: it no longer starts at boot." \
		"$(cat "$T/out")"
	expect_code 1 svctl is-enabled web
	expect_eq is-enabled disabled "$(cat "$T/out")"
	expect_code 4 svctl is-enabled nosuch
	expect_code 0 svctl -q enable web
	[ ! -s "$T/out" ] || fail "-q enable printed: $(cat "$T/out")"
	expect_code 3 svctl status bad
	expect_code 4 svctl status nosuch
}

test_cat_and_show_property() {
	sleeper web
	mkdir "$T/units/web.service.d"
	printf '[Service]\nEnvironment=A=1\n' >"$T/units/web.service.d/10-a.conf"
	svd_start
	wait_state web running
	svctl cat web >"$T/cat" || fail "cat failed"
	grep -qx "# $T/units/web.service" "$T/cat" || fail "cat: $(cat "$T/cat")"
	grep -qx "# $T/units/web.service.d/10-a.conf" "$T/cat" || fail "cat: $(cat "$T/cat")"
	grep -qx "Environment=A=1" "$T/cat" || fail "cat: $(cat "$T/cat")"
	expect_eq "show -p" "ActiveState=active" "$(svctl show -p ActiveState web)"
	expect_eq "show --value" "running" "$(svctl show web -p SubState --value)"
	expect_eq "show two" "ActiveState=active
SubState=running" "$(svctl show web --property=ActiveState,SubState)"
}

test_list_filters_and_legend() {
	sleeper web
	unit bad.service <<-EOF
	[Service]
	ExecStart=/bin/false
	EOF
	unit a-unit-with-a-name-far-longer-than-the-usual-column.service <<-EOF
	[Service]
	Type=oneshot
	ExecStart=/bin/true
	EOF
	svd_start
	wait_state web running
	wait_state bad failed
	svctl list >"$T/list" || fail "list failed"
	grep -Eq '^web\.service +loaded +active +running +sleeper web$' "$T/list" ||
		fail "list: $(cat "$T/list")"
	grep -Eq '^a-unit-with-a-name-far-longer-than-the-usual-column\.service loaded ' \
		"$T/list" || fail "long name not widened: $(cat "$T/list")"
	grep -Eq '^[0-9]+ units listed\.$' "$T/list" || fail "no count: $(cat "$T/list")"
	! grep -q $'\033' "$T/list" || fail "colours when not a terminal"
	svctl list --failed >"$T/failed" || fail "list --failed failed"
	grep -q '^bad\.service' "$T/failed" || fail "--failed: $(cat "$T/failed")"
	! grep -q '^web\.service' "$T/failed" || fail "--failed: $(cat "$T/failed")"
	grep -Eq '^1 unit listed\. [0-9]+ others not shown' "$T/failed" ||
		fail "--failed count: $(cat "$T/failed")"
	svctl list --state=running --no-legend >"$T/running" || fail "--state failed"
	expect_eq "--state=running" "web.service" "$(cut -d' ' -f1 "$T/running")"
	expect_eq "list -q" "" "$(svctl list -q)"
}

test_colours_on_a_terminal_only() {
	command -v script >/dev/null || { echo "skip: no script(1)"; return 0; }
	sleeper web
	svd_start
	wait_state web running
	# shellcheck disable=SC2016
	script -qec "$SVCTL -s $T/control.sock status web" /dev/null >"$T/tty" || true
	grep -q $'\033\\[0;1;32m' "$T/tty" || fail "no green on a terminal: $(cat -v "$T/tty")"
	NO_COLOR=1 script -qec "$SVCTL -s $T/control.sock status web" /dev/null >"$T/tty" || true
	! grep -q $'\033' "$T/tty" || fail "colours despite NO_COLOR"
	script -qec "$SVCTL -s $T/control.sock status --no-color web" /dev/null >"$T/tty" || true
	! grep -q $'\033' "$T/tty" || fail "colours despite --no-color"
}

test_kill_main_and_all() {
	unit trap.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'trap "echo got-usr1" USR1; while :; do sleep 0.1; done'
	EOF
	svd_start
	wait_state trap running
	pid=$(prop trap MainPID)
	svctl kill -s USR1 --kill-whom=main trap || fail "kill -s USR1 failed"
	wait_for "$WAIT_TIMEOUT" sh -c "'$SVCTL' -s '$T/control.sock' logs trap | grep -q got-usr1" ||
		fail "USR1 not delivered: $(svctl logs trap)"
	expect_eq "still the same process" "$pid" "$(prop trap MainPID)"
	svctl kill trap || fail "kill failed"
	wait_state trap inactive
	expect_code 1 svctl kill trap
	grep -q "no process to kill" "$T/err" || fail "kill of a dead unit: $(cat "$T/err")"
	expect_code 4 svctl kill nosuch
	expect_code 2 svctl kill -s NOSIG trap
}

test_monitor_streams_changes() {
	unit job.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'exit 7'
	EOF
	sleeper web
	svd_start
	wait_state web running
	"$SVCTL" -s "$T/control.sock" monitor --json >"$T/events" 2>"$T/monitor.err" &
	mon=$!
	track "$mon"
	"$SVCTL" -s "$T/control.sock" monitor >"$T/events.txt" 2>&1 &
	mon_text=$!
	track "$mon_text"
	# The subscriptions are in place once svd counts the clients busy:
	# a start before that would be missed, so ask until one is seen.
	wait_for "$WAIT_TIMEOUT" sh -c "'$SVCTL' -s '$T/control.sock' restart web &&
		grep -q '\"State\":\"running\"' '$T/events' && grep -q 'web.service: start -> running' '$T/events.txt'" ||
		fail "no events: $(cat "$T/events" "$T/monitor.err")"
	svctl start job || true
	wait_for "$WAIT_TIMEOUT" grep -q '"Id":"job.service".*"ExecMainStatus":7' "$T/events" ||
		fail "no exit event: $(cat "$T/events")"
	python3 - "$T/events" <<-'EOF' || fail "events: $(cat "$T/events")"
	import json, sys
	events = [json.loads(l) for l in open(sys.argv[1])]
	run = [e for e in events if e["Id"] == "web.service" and e["State"] == "running"]
	assert run and run[-1]["OldState"] == "start" and run[-1]["MainPID"] > 0, run
	assert isinstance(run[-1]["StateChangeTimestampUSec"], int), run
	end = [e for e in events if e["Id"] == "job.service" and "ExecMainStatus" in e]
	assert end[0]["ExecMainCode"] == "exited" and end[0]["StateCause"] == "exited", end
	EOF
	grep -q 'job.service: .*exited, status=7' "$T/events.txt" ||
		fail "text events: $(cat "$T/events.txt")"
	kill "$mon" "$mon_text"
	wait "$mon" "$mon_text" 2>/dev/null || true
	untrack "$mon"
	untrack "$mon_text"
}

# A subscriber that reads nothing: svd goes on answering, drops events
# for it, and tells it how many once it reads again.
test_monitor_slow_reader_loses_events() {
	for i in $(seq 60); do sleeper "s$i"; done
	svd_start
	wait_state s60 running
	python3 - "$T/control.sock" "$T" >"$T/slow.out" 2>&1 <<-'EOF' &
	import os, socket, sys, time
	path, d = sys.argv[1], sys.argv[2]
	s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
	s.connect(path)
	s.send(b"monitor\n")
	open(d + "/ready", "w").close()
	deadline = time.monotonic() + 60
	while not os.path.exists(d + "/release") and time.monotonic() < deadline:
	    time.sleep(0.05)
	s.settimeout(10)
	while True:
	    m = s.recv(1 << 17).decode()
	    for line in m.splitlines():
	        if line.startswith("EventsDropped="):
	            print("DROPPED", line.split("=")[1])
	            sys.exit(0)
	EOF
	slow=$!
	track "$slow"
	wait_for "$WAIT_TIMEOUT" test -e "$T/ready" || fail "subscriber never ready"
	units=$(seq -f "s%g" 60)
	for round in 1 2 3 4 5 6 7 8 9 10; do
		# shellcheck disable=SC2086
		timeout 20 "$SVCTL" -s "$T/control.sock" restart $units ||
			fail "restart round $round: svd slowed or failed"
	done
	timeout 5 "$SVCTL" -s "$T/control.sock" status s1 >/dev/null ||
		fail "svd did not answer with a stalled subscriber"
	touch "$T/release"
	# The count comes with the next event it gets.
	wait_for 20 sh -c "'$SVCTL' -s '$T/control.sock' restart s1 && grep -q DROPPED '$T/slow.out'" ||
		fail "no count of lost events: $(cat "$T/slow.out")"
	grep -Eq '^DROPPED [1-9][0-9]*$' "$T/slow.out" || fail "$(cat "$T/slow.out")"
	wait "$slow" 2>/dev/null || true
	untrack "$slow"
}

# daemon-reload does not touch what runs: status says that a restart
# applies the changed file, and stops saying it once restarted.
test_status_after_reload_says_restart_applies() {
	sleeper web
	svd_start
	wait_state web running
	svctl status web >"$T/before" || fail "status failed"
	! grep -q "Warning:" "$T/before" || fail "warning before any change: $(cat "$T/before")"
	expect_eq NeedRestart no "$(prop web NeedRestart)"
	printf '[Unit]\nDescription=changed\n[Service]\nExecStart=/bin/sleep 2000\n' \
		>"$T/units/web.service"
	svctl daemon-reload || fail "daemon-reload failed"
	svctl status web >"$T/after" || fail "status failed"
	grep -q "Warning: the unit file changed on disk since this run started; \`svctl restart web.service\` applies it" \
		"$T/after" || fail "no hint: $(cat "$T/after")"
	grep -q "Command: /bin/sleep 2000" "$T/after" || fail "$(cat "$T/after")"
	expect_eq "NeedRestart in JSON" True "$(svctl status --json web |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["NeedRestart"])')"
	# A drop-in counts as a change too; a restart applies it all.
	svctl restart web || fail "restart failed"
	expect_eq NeedRestart no "$(prop web NeedRestart)"
	mkdir "$T/units/web.service.d"
	printf '[Service]\nEnvironment=A=1\n' >"$T/units/web.service.d/a.conf"
	svctl daemon-reload || fail "daemon-reload failed"
	expect_eq "after a drop-in" yes "$(prop web NeedRestart)"
	# Nothing changed: no hint after a reload.
	svctl restart web || fail "restart failed"
	svctl daemon-reload || fail "daemon-reload failed"
	expect_eq "reload without change" no "$(prop web NeedRestart)"
}

test_list_dependencies_tree() {
	unit web.service <<-EOF
	[Unit]
	Requires=db.service
	Wants=cache.service
	After=db.service
	[Service]
	ExecStart=/bin/sleep 1000
	[Install]
	WantedBy=multi-user.target
	EOF
	sleeper db
	unit cache.service <<-EOF
	[Service]
	ExecStart=/bin/false
	EOF
	svd_start
	wait_state web running
	wait_state cache failed
	expect_eq "show Requires" "Requires=db.service" "$(svctl show -p Requires web)"
	expect_eq "show After" "db.service" "$(svctl show -p After --value web)"
	svctl list-dependencies web --all >"$T/deps" || fail "list-dependencies failed"
	expect_eq "tree" "$(printf '\u25cf web.service\n\u251c\u2500\u25cf db.service\n\u2514\u2500\u00d7 cache.service')" \
		"$(cat "$T/deps")"
	# Targets are expanded, services only with --all.
	svctl list-dependencies default.target >"$T/deps" || fail "list-dependencies failed"
	grep -q "web.service" "$T/deps" || fail "default.target: $(cat "$T/deps")"
	! grep -q "db.service" "$T/deps" || fail "service expanded without --all: $(cat "$T/deps")"
	expect_code 4 svctl list-dependencies nosuch
	expect_code 2 svctl list-dependencies
}

# edit: a drop-in written by $EDITOR, saved only when it succeeds, then
# svd re-reads (over a connection of its own: the editor may take long).
test_edit_writes_a_drop_in() {
	sleeper web
	svd_start
	wait_state web running
	cat >"$T/ed.sh" <<-'EOF'
	#!/bin/sh
	[ -n "$ED_WAIT" ] && sleep "$ED_WAIT"
	printf '[Service]\nExecStart=\nExecStart=/bin/sleep 2000\n' >>"$1"
	EOF
	chmod +x "$T/ed.sh"
	# Longer than svd keeps an idle client (5 s).
	ED_WAIT=6 EDITOR="$T/ed.sh" svctl edit web >"$T/edit.out" ||
		fail "edit failed: $(cat "$T/edit.out")"
	grep -qx "web.service: saved $T/units/web.service.d/override.conf" "$T/edit.out" ||
		fail "edit said: $(cat "$T/edit.out")"
	grep -qx "ExecStart=/bin/sleep 2000" "$T/units/web.service.d/override.conf" ||
		fail "drop-in: $(cat "$T/units/web.service.d/override.conf")"
	# Reloaded: the new command is known, and waits for a restart.
	expect_eq "after edit" yes "$(prop web NeedRestart)"
	expect_eq "new command" "/bin/sleep 2000" "$(prop web ExecStart)"
	# A failing editor saves nothing.
	EDITOR=false expect_code 1 svctl edit web
	grep -q "the editor failed" "$T/err" || fail "$(cat "$T/err")"
	grep -qx "ExecStart=/bin/sleep 2000" "$T/units/web.service.d/override.conf" ||
		fail "drop-in changed by a failed edit"
	[ -z "$(find "$T/units/web.service.d" -name '.#*')" ] || fail "temporary file left"
	# Emptied: the drop-in goes.
	printf '#!/bin/sh\n: >"$1"\n' >"$T/empty.sh"
	chmod +x "$T/empty.sh"
	EDITOR="$T/empty.sh" svctl edit web >/dev/null || fail "emptying edit failed"
	[ ! -e "$T/units/web.service.d" ] || fail "empty drop-in kept: $(ls -a "$T/units/web.service.d")"
	expect_code 4 svctl edit nosuch
}

# complete WORD...: what the bash completion offers for the last word.
# mask/unmask as systemctl's: a link to /dev/null in the first unit
# directory (here $T/units, ahead of $T/vendor), refused over a real
# file there; unmask removes only such links; a masked unit says so and
# does not start.
test_mask_unmask() {
	mkdir -p "$T/vendor"
	printf '[Service]\nExecStart=/bin/sleep 1000\n' >"$T/vendor/web.service"
	sleeper local
	svd_start -u "$T/vendor"
	wait_state web running
	wait_state local running
	expect_code 1 svctl mask local
	grep -q "$T/units/local.service exists and is not a link to /dev/null" "$T/err" ||
		fail "mask over a file: $(cat "$T/err")"
	[ -f "$T/units/local.service" ] && [ ! -L "$T/units/local.service" ] ||
		fail "mask touched local.service"
	expect_code 0 svctl mask web
	expect_eq "mask says" "Created symlink $T/units/web.service -> /dev/null." \
		"$(cat "$T/out")"
	expect_eq "the link" /dev/null "$(readlink "$T/units/web.service")"
	expect_code 1 svctl is-enabled web
	expect_eq "is-enabled masked" masked "$(cat "$T/out")"
	expect_code 0 svctl status web
	grep -q "Loaded: masked" "$T/out" || fail "status: $(cat "$T/out")"
	svctl list | grep -q '^web.service *masked' || fail "list: $(svctl list)"
	# As systemd: a running unit keeps running once masked; it only
	# cannot start again.
	expect_code 0 svctl stop web
	expect_code 1 svctl start web
	grep -q "masked" "$T/err" || fail "start masked: $(cat "$T/err")"
	expect_code 0 svctl mask web	# already: nothing to say
	[ ! -s "$T/out" ] || fail "second mask said: $(cat "$T/out")"
	expect_eq "--json mask" '{"Id":"web.service","UnitFileState":"masked"}' \
		"$(svctl --json mask web)"
	# A link that is not a mask (an alias) is not unmask's to remove.
	ln -s web.service "$T/units/alias.service"
	expect_code 0 svctl unmask alias
	[ -L "$T/units/alias.service" ] || fail "unmask removed an alias"
	expect_code 0 svctl unmask web
	expect_eq "unmask says" "Removed $T/units/web.service." "$(cat "$T/out")"
	[ ! -e "$T/units/web.service" ] && [ ! -L "$T/units/web.service" ] ||
		fail "the mask is still there"
	expect_code 0 svctl is-enabled web
	expect_code 0 svctl start web
	# systemctl masks names it does not know too.
	expect_code 0 svctl mask nosuch
	expect_code 1 svctl is-enabled nosuch
	expect_eq "is-enabled nosuch" masked "$(cat "$T/out")"
	expect_code 2 svctl mask ../escape
	[ ! -e "$T/escape.service" ] || fail "mask wrote outside the unit directory"
}

complete_words() {
	(
		# shellcheck source=/dev/null
		. "$SOURCE_ROOT/packaging/completion/svctl.bash"
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_svctl
		printf '%s\n' "${COMPREPLY[@]}"
	)
}

test_completion_verbs_options_units() {
	[ -n "${SOURCE_ROOT:-}" ] || { echo "skip: no SOURCE_ROOT"; return 77; }
	sleeper web
	svd_start
	wait_state web running
	PATH="$(dirname "$SVCTL"):$PATH"
	for verb in is-failed is-enabled cat kill monitor; do
		complete_words svctl "${verb%??}" | grep -qx "$verb" ||
			fail "$verb not offered: $(complete_words svctl "${verb%??}")"
	done
	expect_eq "units after options" web.service \
		"$(complete_words svctl status --json we)"
	expect_eq "units after logs" web.service "$(complete_words svctl logs w)"
	expect_eq "units after kill -s SIG" web.service \
		"$(complete_words svctl kill -s HUP w)"
	expect_eq "no legend as units" "" "$(complete_words svctl status LOAD)"
	complete_words svctl list --fa | grep -qx -- --failed || fail "--failed not offered"
	complete_words svctl kill --kill-whom "" | grep -qx main || fail "--kill-whom values"
}

run_tests
