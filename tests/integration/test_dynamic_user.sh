#!/usr/bin/env bash
# DynamicUser=, KeyringMode=, RemoveIPC= (systemd.exec(5)): a uid from
# 61184-65519 held while the service runs, its directories under
# ROOT/private, a session keyring of its own, its IPC objects removed at
# stop. The directory roots are the test's own (svd.conf [Directories]);
# IPC objects live in an IPC namespace of the test's.
. "$(dirname "$0")/lib.sh"

: "${KEYRING:=}"

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "skip: DynamicUser= needs root"
		exit 77
	fi
}

# svd with its directory roots in $T; units from the caller.
start_svd() {
	need_root
	cat >"$T/svd.conf" <<-EOF
	[Directories]
	State=$T/lib
	Cache=$T/cache
	Logs=$T/logs
	Runtime=$T/run
	EOF
	# The dynamic users must get through the test's directory.
	chmod 0711 "$T"
	svd_start "$@"
}

# dyn_unit NAME [KEY=VALUE...]: a dynamic service that marks its state
# directory and stays up.
dyn_unit() {
	local name=$1
	shift
	{
		printf '[Service]\nDynamicUser=yes\nStateDirectory=%s\n' "$name"
		printf 'RuntimeDirectory=%s\n' "$name"
		# DynamicUser= implies PrivateTmp=yes, and this test's
		# directory roots are under /tmp: bound back in.
		printf 'BindPaths=%s\n' "$T"
		printf '%s\n' "$@"
		printf '%s\n' "ExecStart=/bin/sh -c 'echo \$USER >\$STATE_DIRECTORY/user; test -f \$STATE_DIRECTORY/mark && echo again >\$STATE_DIRECTORY/seen; touch \$STATE_DIRECTORY/mark; exec sleep 1000'"
	} | unit "$name.service"
}

uid_of() {
	stat -c %u "/proc/$(prop "$1" MainPID)"
}

test_dynamic_uid_and_state_directory() {
	dyn_unit d1
	start_svd
	wait_state d1 running
	local uid
	uid=$(uid_of d1)
	[ "$uid" -ge 61184 ] && [ "$uid" -le 65519 ] || fail "uid $uid not in range"
	expect_eq gid "$uid" "$(awk '/^Gid:/ {print $2}' "/proc/$(prop d1 MainPID)/status")"
	# systemd's scheme: the directory under private/, a link to it.
	expect_eq link private/d1 "$(readlink "$T/lib/d1")"
	expect_eq private-mode 700 "$(stat -c %a "$T/lib/private")"
	expect_eq owner "$uid" "$(stat -c %u "$T/lib/private/d1")"
	wait_for 5 test -f "$T/lib/private/d1/mark"
	expect_eq mark-owner "$uid" "$(stat -c %u "$T/lib/private/d1/mark")"
	expect_eq user d1 "$(cat "$T/lib/private/d1/user")"
	expect_eq runtime-owner "$uid" "$(stat -c %u "$T/run/d1")"
	# The state persists through a restart, and is the service's still.
	expect_code 0 svctl restart d1
	wait_for 5 test -f "$T/lib/private/d1/seen"
	expect_eq uid-again "$uid" "$(uid_of d1)"
	svd_alive
}

# As systemd's, DynamicUser= implies ProtectSystem=strict (/etc is on a
# read-only mount: EROFS, not EACCES) and PrivateTmp=yes (the host's
# /tmp is not the service's).
test_dynamic_user_implies_a_strict_sandbox() {
	local marker=/tmp/svd-dyn-host-$$
	touch "$marker"
	dyn_unit d5 "ExecStartPre=/bin/sh -c '{ echo x >/etc/svd-dyn-probe; } 2>\$STATE_DIRECTORY/etc; test -e $marker && echo seen >\$STATE_DIRECTORY/tmp || echo unseen >\$STATE_DIRECTORY/tmp'"
	start_svd
	wait_state d5 running
	rm -f "$marker"
	grep -q "Read-only file system" "$T/lib/private/d5/etc" ||
		fail "/etc writable or not read-only: $(cat "$T/lib/private/d5/etc")"
	expect_eq tmp unseen "$(cat "$T/lib/private/d5/tmp")"
	[ ! -e /etc/svd-dyn-probe ] || { rm -f /etc/svd-dyn-probe; fail "wrote /etc"; }
}

test_user_names_the_dynamic_user() {
	dyn_unit d2 User=webby
	start_svd
	wait_state d2 running
	wait_for 5 test -f "$T/lib/private/d2/user"
	expect_eq user webby "$(cat "$T/lib/private/d2/user")"
}

test_two_units_two_uids_and_uid_freed_at_stop() {
	dyn_unit d1
	dyn_unit e
	start_svd
	wait_state d1 running
	wait_state e running
	local u1 ue
	u1=$(uid_of d1)
	ue=$(uid_of e)
	[ "$u1" != "$ue" ] || fail "d1 and e share uid $u1"
	# e's directory owned by d1's uid: e prefers that uid, which is
	# taken while d1 runs...
	expect_code 0 svctl stop e
	chown -R "$u1:$u1" "$T/lib/private/e"
	expect_code 0 svctl start e
	[ "$(uid_of e)" != "$u1" ] || fail "e got d1's uid while d1 runs"
	# ...and free once d1 has stopped.
	expect_code 0 svctl stop e
	expect_code 0 svctl stop d1
	chown -R "$u1:$u1" "$T/lib/private/e"
	expect_code 0 svctl start e
	expect_eq uid-freed "$u1" "$(uid_of e)"
	svd_alive
}

# A directory of the service from before DynamicUser= moves in.
test_plain_directory_moves_to_private() {
	dyn_unit d3
	mkdir -p "$T/lib/d3"
	echo old >"$T/lib/d3/data"
	start_svd
	wait_state d3 running
	expect_eq link private/d3 "$(readlink "$T/lib/d3")"
	expect_eq data old "$(cat "$T/lib/private/d3/data")"
	expect_eq owner "$(uid_of d3)" "$(stat -c %u "$T/lib/private/d3/data")"
}

test_bad_values_refused() {
	need_root
	unit k.service <<-EOF
	[Service]
	KeyringMode=secret
	DynamicUser=maybe
	ExecStart=/bin/true
	EOF
	expect_code 1 svctl verify "$T/units/k.service"
	grep -q "KeyringMode=secret" "$T/err" || fail "$(cat "$T/err")"
	grep -q "DynamicUser=maybe" "$T/err" || fail "$(cat "$T/err")"
}

need_keyring() {
	if [ -z "$KEYRING" ] || ! "$KEYRING" >"$T/own" 2>/dev/null; then
		echo "skip: no keyrings here (or no keyring helper)"
		exit 77
	fi
}

keyring_unit() {
	unit "$1.service" <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	$2
	ExecStart=$KEYRING
	StandardOutput=file:$T/$1.out
	EOF
}

session_of() {
	sed -n 's/^session=\([0-9-]*\) .*/\1/p' "$1"
}

test_keyring_modes() {
	need_root
	need_keyring
	keyring_unit kp ""
	keyring_unit kp2 "KeyringMode=private"
	keyring_unit ki "KeyringMode=inherit"
	keyring_unit ks "KeyringMode=shared"
	start_svd
	for u in kp kp2 ki ks; do
		wait_state "$u" exited
	done
	local own
	own=$(session_of "$T/own")
	# svd's own keyring is the test's: inherit keeps it.
	expect_eq inherit "$own" "$(session_of "$T/ki.out")"
	# private, the default: a new one each.
	[ "$(session_of "$T/kp.out")" != "$own" ] || fail "private: svd's keyring"
	[ "$(session_of "$T/kp.out")" != "$(session_of "$T/kp2.out")" ] ||
		fail "two services share a private keyring"
	grep -q "linked=no" "$T/kp.out" || fail "private: $(cat "$T/kp.out")"
	[ "$(session_of "$T/ks.out")" != "$own" ] || fail "shared: svd's keyring"
	grep -q "linked=yes" "$T/ks.out" || fail "shared: $(cat "$T/ks.out")"
}

# /proc/sysvipc/shm as svd's IPC namespace has it: owner uids.
shm_owners() {
	nsenter --target "$SVD_PID" --ipc awk 'NR > 1 {print $8}' /proc/sysvipc/shm
}

has_shm_of() {
	shm_owners | grep -qx "$1"
}

ipc_unit() {
	unit "$1.service" <<-EOF
	[Service]
	User=$2
	$3
	ExecStart=/bin/sh -c 'ipcmk -M 4096 >/dev/null && exec sleep 1000'
	EOF
}

test_remove_ipc() {
	need_root
	if ! command -v ipcmk >/dev/null || ! command -v nsenter >/dev/null ||
		! unshare --ipc true 2>/dev/null; then
		echo "skip: needs ipcmk, nsenter and an IPC namespace"
		exit 77
	fi
	SVD_WRAPPER=(unshare --ipc)
	ipc_unit r1 64301 RemoveIPC=yes
	ipc_unit r2 64302 ""
	ipc_unit r3 64303 RemoveIPC=yes
	unit r3b.service <<-EOF
	[Service]
	User=64303
	ExecStart=/bin/sleep 1000
	EOF
	start_svd
	for u in r1 r2 r3 r3b; do
		wait_state "$u" running
	done
	wait_for 5 has_shm_of 64301
	wait_for 5 has_shm_of 64302
	wait_for 5 has_shm_of 64303
	expect_code 0 svctl stop r1 r2
	has_shm_of 64301 && fail "RemoveIPC=yes left r1's segment"
	has_shm_of 64302 || fail "r2's segment went without RemoveIPC="
	# Another service of r3's user still runs: not yet...
	expect_code 0 svctl stop r3
	has_shm_of 64303 || fail "removed while r3b runs as the same user"
	# ...until the last of them stops.
	expect_code 0 svctl stop r3b
	has_shm_of 64303 && fail "r3's segment outlived its user's services"
	svd_alive
}

# DynamicUser= implies RemoveIPC=.
test_dynamic_user_removes_ipc() {
	need_root
	if ! command -v ipcmk >/dev/null || ! command -v nsenter >/dev/null ||
		! unshare --ipc true 2>/dev/null; then
		echo "skip: needs ipcmk, nsenter and an IPC namespace"
		exit 77
	fi
	SVD_WRAPPER=(unshare --ipc)
	unit dd.service <<-EOF
	[Service]
	DynamicUser=yes
	ExecStart=/bin/sh -c 'ipcmk -M 4096 >/dev/null && exec sleep 1000'
	EOF
	start_svd
	wait_state dd running
	local uid
	uid=$(uid_of dd)
	wait_for 5 has_shm_of "$uid"
	expect_code 0 svctl stop dd
	has_shm_of "$uid" && fail "DynamicUser='s segment left"
	svd_alive
}

run_tests
