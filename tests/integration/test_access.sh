#!/usr/bin/env bash
# Who may use the control socket (svd.conf [Control]): its mode and group,
# readers, managers, and everyone else told "permission denied" with exit
# code 6, never a bare connection error. Peers are numeric uids and gids
# through setpriv: no user is created on the host.
. "$(dirname "$0")/lib.sh"

READERS=64101	# SocketGroup=
MANAGERS=64102	# ManageGroup=
STRANGER=64201	# in no group
READER=64202
MANAGER=64203
LISTED=64204	# ManageUsers=

need_setpriv() {
	if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
		echo "skip: needs root and setpriv to act as other users"
		exit 77
	fi
}

# as UID [GROUP...] -- svctl ARGS: svctl as that uid, its gid the same
# number, with those supplementary groups.
as() {
	local uid=$1 groups=
	shift
	while [ "$1" != -- ]; do
		groups=${groups:+$groups,}$1
		shift
	done
	shift
	if [ -n "$groups" ]; then
		setpriv --reuid="$uid" --regid="$uid" --groups="$groups" \
			"$SVCTL" -s "$T/control.sock" "$@"
	else
		setpriv --reuid="$uid" --regid="$uid" --clear-groups \
			"$SVCTL" -s "$T/control.sock" "$@"
	fi
}

# svd.conf from stdin, then svd with a service that runs until stopped.
start_with() {
	need_setpriv
	cat >"$T/svd.conf"
	unit a.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'x=ret; echo sec\$x line; exec sleep 1000'
	EOF
	# Other users must get through the test's directory to the socket.
	chmod 0711 "$T"
	svd_start
	wait_state a running
}

groups_conf() {
	start_with <<-EOF
	[Control]
	SocketGroup=$READERS
	ManageGroup=$MANAGERS
	ManageUsers=$LISTED
	EOF
}

test_socket_gets_group_and_mode() {
	groups_conf
	expect_eq mode 660 "$(stat -c %a "$T/control.sock")"
	expect_eq group "$READERS" "$(stat -c %g "$T/control.sock")"
	expect_eq owner 0 "$(stat -c %u "$T/control.sock")"
}

test_default_socket_is_root_only() {
	start_with </dev/null
	expect_eq mode 600 "$(stat -c %a "$T/control.sock")"
	# Kept out by the kernel: svctl says how to get in, exit 6.
	expect_code 6 as "$STRANGER" -- status a
	grep -q "permission denied" "$T/err" || fail "$(cat "$T/err")"
	grep -q "SocketGroup=" "$T/err" || fail "no hint: $(cat "$T/err")"
	grep -q "run it as root" "$T/err" || fail "no hint: $(cat "$T/err")"
	svd_alive
}

test_stranger_refused_at_connect() {
	groups_conf
	expect_code 6 as "$STRANGER" -- status a
	grep -q "ManageGroup= or ManageUsers=" "$T/err" || fail "$(cat "$T/err")"
	expect_code 6 as "$STRANGER" -- stop a
	expect_code 6 as "$STRANGER" -- list
	expect_eq state running "$(prop a State)"
	svd_alive
}

# Let in by the mode, refused by svd: the same exit code, and a reason.
test_stranger_refused_per_request() {
	start_with <<-EOF
	[Control]
	SocketGroup=$READERS
	SocketMode=0666
	EOF
	expect_eq mode 666 "$(stat -c %a "$T/control.sock")"
	expect_code 6 as "$STRANGER" -- status a
	grep -q "status: permission denied: uid $STRANGER not in svd.conf's" "$T/err" ||
		fail "$(cat "$T/err")"
	expect_code 6 as "$STRANGER" -- stop a
	expect_code 6 as "$STRANGER" -- monitor
	expect_eq state running "$(prop a State)"
	svd_alive
}

test_reader_reads_and_may_not_stop() {
	groups_conf
	expect_code 0 as "$READER" "$READERS" -- status a
	grep -q "State: running\|running" "$T/out" || fail "$(cat "$T/out")"
	# Readers named by SocketGroup= see what services print.
	grep -q "secret line" "$T/out" || fail "no log lines: $(cat "$T/out")"
	expect_code 0 as "$READER" "$READERS" -- logs a
	grep -q "secret line" "$T/out" || fail "logs: $(cat "$T/out")"
	expect_code 0 as "$READER" "$READERS" -- list
	expect_code 0 as "$READER" "$READERS" -- is-active a
	expect_code 6 as "$READER" "$READERS" -- stop a
	grep -q "stop: permission denied: uid $READER may only read" "$T/err" ||
		fail "$(cat "$T/err")"
	expect_code 6 as "$READER" "$READERS" -- restart a
	expect_code 6 as "$READER" "$READERS" -- daemon-reload
	expect_eq state running "$(prop a State)"
	svd_alive
}

test_manager_starts_and_stops() {
	groups_conf
	# Connecting takes the socket's group; the manager group grants
	# the rest.
	expect_code 0 as "$MANAGER" "$READERS" "$MANAGERS" -- stop a
	expect_eq state inactive "$(prop a State)"
	expect_code 0 as "$MANAGER" "$READERS" "$MANAGERS" -- start a
	expect_eq state running "$(prop a State)"
	# The system's fate stays root's.
	expect_code 6 as "$MANAGER" "$READERS" "$MANAGERS" -- poweroff
	grep -q "only root" "$T/err" || fail "$(cat "$T/err")"
	svd_alive
}

test_listed_user_manages() {
	groups_conf
	expect_code 0 as "$LISTED" "$READERS" -- restart a
	expect_code 0 as "$LISTED" "$READERS" -- stop a
	expect_eq state inactive "$(prop a State)"
	svd_alive
}

# Without SocketGroup=, a peer the mode lets in sees states, not output.
test_mode_only_peer_sees_states() {
	start_with <<-EOF
	[Control]
	SocketMode=0666
	EOF
	expect_code 0 as "$STRANGER" -- status a
	grep -q "secret line" "$T/out" && fail "output shown: $(cat "$T/out")"
	expect_code 6 as "$STRANGER" -- logs a
	grep -q "services' output is for" "$T/err" || fail "$(cat "$T/err")"
	expect_code 6 as "$STRANGER" -- stop a
	svd_alive
}

test_daemon_reload_applies_control() {
	start_with </dev/null
	expect_code 6 as "$READER" "$READERS" -- status a
	cat >"$T/svd.conf" <<-EOF
	[Control]
	SocketGroup=$READERS
	EOF
	expect_code 0 svctl daemon-reload
	expect_eq mode 660 "$(stat -c %a "$T/control.sock")"
	expect_eq group "$READERS" "$(stat -c %g "$T/control.sock")"
	expect_code 0 as "$READER" "$READERS" -- status a
	expect_code 6 as "$READER" "$READERS" -- stop a
	svd_alive
}

test_unknown_group_keeps_socket_closed() {
	start_with <<-EOF
	[Control]
	SocketGroup=svd-no-such-group-here
	SocketMode=0666
	EOF
	expect_eq mode 600 "$(stat -c %a "$T/control.sock")"
	grep -q "SocketGroup=svd-no-such-group-here: no such group" "$T/svd.log" ||
		fail "not logged"
	expect_code 6 as "$STRANGER" -- status a
	svd_alive
}

run_tests
