#!/usr/bin/env bash
# Orphans of services are reaped by svd (a child subreaper): no zombies.
. "$(dirname "$0")/lib.sh"

test_orphans_of_a_service_are_reaped() {
	# The main process leaves 50 background children behind, which
	# outlive it and are re-parented to svd.
	unit spawner.service <<-EOF
	[Service]
	Type=oneshot
	ExecStart=/bin/sh -c 'for i in \$(seq 50); do (sleep 0.2; exit 3) & done; exit 0'
	EOF
	svd_start
	wait_state spawner inactive
	wait_for "$WAIT_TIMEOUT" no_zombies_of "$SVD_PID" ||
		fail "zombies left: $(zombies_of "$SVD_PID")"
	svd_alive
}

test_double_forked_daemon_reaped_and_stopped() {
	# A main process that double-forks a grandchild into its process group
	# and exits: the grandchild becomes svd's and dies with the group.
	cat >"$T/forker.sh" <<-EOF
	#!/bin/sh
	( sleep 1000 & echo \$! > $T/grandchild; wait ) &
	exit 0
	EOF
	unit forker.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	ExecStart=/bin/sh $T/forker.sh
	EOF
	svd_start
	wait_state forker exited
	wait_for "$WAIT_TIMEOUT" test -s "$T/grandchild"
	gc=$(cat "$T/grandchild")
	kill -0 "$gc"
	expect_code 0 svctl stop forker
	wait_for "$WAIT_TIMEOUT" not_running "$gc" || fail "grandchild $gc survived stop"
	wait_for "$WAIT_TIMEOUT" no_zombies_of "$SVD_PID"
}

run_tests
