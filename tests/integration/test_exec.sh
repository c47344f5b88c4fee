#!/usr/bin/env bash
# Execution settings a service gets: User=, Group=, SupplementaryGroups=,
# UMask=, Nice=, and the environment of its user. Uses the accounts every
# Debian system has (nobody, nogroup, daemon): tests add no account.
. "$(dirname "$0")/lib.sh"

need_accounts() {
	if [ "$(id -u)" != 0 ] || ! getent passwd nobody >/dev/null ||
	   ! getent group nogroup >/dev/null || ! getent group daemon >/dev/null; then
		echo "skip: needs root and the nobody, nogroup and daemon accounts"
		exit 77
	fi
}

# A service that reports what it got, then stays.
reporter() {
	unit "$1.service" <<-EOF
	[Service]
	$2
	ExecStart=/bin/sh -c 'echo "\$\$(id -u) \$\$(id -g) \$\$(id -G) umask=\$\$(umask) nice=\$\$(cut -d" " -f19 /proc/self/stat) HOME=\$\$HOME USER=\$\$USER LOGNAME=\$\$LOGNAME SHELL=\$\$SHELL cwd=\$\$(pwd)" > $T/out/$1.out; exec sleep 1000'
	EOF
}

test_user_group_umask_nice_environment() {
	need_accounts
	# Where nobody may write its report.
	chmod 755 "$T"
	mkdir -m 1777 "$T/out"
	reporter asnobody "User=nobody
Group=nogroup
SupplementaryGroups=daemon
UMask=0077
Nice=5
WorkingDirectory=-~"
	reporter asroot ""
	svd_start
	wait_for "$WAIT_TIMEOUT" test -s "$T/out/asnobody.out"
	local uid gid
	uid=$(id -u nobody)
	gid=$(getent group nogroup | cut -d: -f3)
	read -r got_uid got_gid rest <"$T/out/asnobody.out"
	expect_eq uid "$uid" "$got_uid"
	expect_eq gid "$gid" "$got_gid"
	grep -q " $(getent group daemon | cut -d: -f3) " "$T/out/asnobody.out" ||
		fail "no supplementary group daemon: $(cat "$T/out/asnobody.out")"
	grep -q "umask=0077 nice=5 HOME=$(getent passwd nobody | cut -d: -f6) USER=nobody LOGNAME=nobody SHELL=$(getent passwd nobody | cut -d: -f7)" \
		"$T/out/asnobody.out" || fail "got: $(cat "$T/out/asnobody.out")"
	wait_for "$WAIT_TIMEOUT" test -s "$T/out/asroot.out"
	grep -q "^0 0 0 umask=0022 nice=0 HOME= USER= LOGNAME= SHELL= cwd=/$" "$T/out/asroot.out" ||
		fail "root service got: $(cat "$T/out/asroot.out")"
}

test_unknown_user_or_group_fails_named() {
	unit ghost.service <<-EOF
	[Service]
	User=no-such-user-here
	ExecStart=/bin/sleep 1000
	EOF
	unit ghostgroup.service <<-EOF
	[Service]
	Group=no-such-group-here
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state ghost failed
	expect_eq cause "could not spawn: User=no-such-user-here: no such user" \
		"$(prop ghost StateCauseText)"
	wait_state ghostgroup failed
	expect_eq cause "could not spawn: Group=no-such-group-here: no such group" \
		"$(prop ghostgroup StateCauseText)"
	expect_code 1 "$SVCTL" start ghost
	grep -q "User=no-such-user-here: no such user" "$T/err" ||
		fail "svctl said: $(cat "$T/err")"
	svd_alive || fail "svd exited"
}

run_tests
