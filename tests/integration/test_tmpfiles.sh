#!/usr/bin/env bash
# tmpfiles.d(5) through svd: `svctl tmpfiles` runs svd's helper on the
# directories and root that svd.conf names, all inside $T (nothing is
# applied to the host's /run or /etc).
. "$(dirname "$0")/lib.sh"

# The configuration directories, earliest first, and the root the lines
# are applied under.
conf_dirs() {
	mkdir -p "$T/etc.d" "$T/run.d" "$T/usr.d" "$T/root"
	cat >"$T/svd.conf" <<-EOF
	[Manager]
	TmpfilesDirectories=$T/etc.d $T/run.d $T/usr.d
	TmpfilesRoot=$T/root
	${1:-}
	EOF
}

mode_of() {
	stat -c %a "$1"
}

test_every_type_and_a_bad_line() {
	local me group
	me=$(id -u)
	group=$(id -g)
	conf_dirs
	mkdir -p "$T/root/srv/factory/sub" "$T/root/run/old-tree/deep" \
		"$T/root/run/emptied/sub" "$T/root/run/exists" "$T/root/run/tree/a"
	echo source >"$T/root/srv/factory/file"
	echo nested >"$T/root/srv/factory/sub/file"
	: >"$T/root/run/removed-file"
	: >"$T/root/run/emptied/sub/x"
	echo keep >"$T/root/run/kept"
	echo old >"$T/root/run/truncated"
	echo "0123456789" >"$T/root/run/written"
	echo "first" >"$T/root/run/appended"
	: >"$T/root/run/tree/a/f"
	chmod 0755 "$T/root/run/exists"
	ln -s elsewhere "$T/root/run/replaced-link"
	cat >"$T/usr.d/all.conf" <<-EOF
	# every type svd applies
	d /run/dir 0750 $me $group -
	d /run/dir/inner
	d /run/exists 0700
	D /run/emptied 0755
	e /run/exists 0711
	f /run/dir/file 0600 - - - hello\\nworld
	f /run/kept - - - - not written
	F /run/truncated - - - - new
	w /run/written - - - - AB
	w+ /run/appended - - - - second
	w /run/missing - - - - nothing
	L /run/link - - - - /run/dir
	L+ /run/replaced-link - - - - /run/dir/file
	C /run/copy - - - - /srv/factory
	p /run/fifo 0600
	z /run/kept 0640
	Z /run/tree 0700
	r /run/removed-file
	R /run/old-tree
	x /run/whatever
	bogus /run/never
	d /run/%%literal-%t
	EOF
	svd_start
	expect_code 1 svctl tmpfiles --create --remove
	grep -q "^error: $T/usr.d/all.conf:22: type bogus: unknown modifier" "$T/err" ||
		fail "the bad line is not named: $(cat "$T/err")"
	grep -q "all.conf:22" "$T/svd.log" || fail "svd's log does not name the bad line"
	[ -d "$T/root/run/dir/inner" ] || fail "d: not made"
	expect_eq "d mode" 750 "$(mode_of "$T/root/run/dir")"
	expect_eq "d owner" "$me:$group" "$(stat -c %u:%g "$T/root/run/dir")"
	expect_eq "d default mode" 755 "$(mode_of "$T/root/run/dir/inner")"
	# e comes after d and z after the rest, as systemd orders them.
	expect_eq "e mode" 711 "$(mode_of "$T/root/run/exists")"
	[ -d "$T/root/run/emptied" ] && [ ! -e "$T/root/run/emptied/sub" ] ||
		fail "D --remove: contents left"
	expect_eq "f" "$(printf 'hello\nworld')" "$(cat "$T/root/run/dir/file")"
	expect_eq "f mode" 600 "$(mode_of "$T/root/run/dir/file")"
	expect_eq "f on an existing file" keep "$(cat "$T/root/run/kept")"
	expect_eq "F" new "$(cat "$T/root/run/truncated")"
	expect_eq "w" "AB23456789" "$(cat "$T/root/run/written")"
	expect_eq "w+" "$(printf 'first\nsecond')" "$(cat "$T/root/run/appended")"
	[ ! -e "$T/root/run/missing" ] || fail "w made a file"
	expect_eq "L" /run/dir "$(readlink "$T/root/run/link")"
	expect_eq "L+" /run/dir/file "$(readlink "$T/root/run/replaced-link")"
	expect_eq "C" nested "$(cat "$T/root/run/copy/sub/file")"
	[ -p "$T/root/run/fifo" ] || fail "p: no fifo"
	expect_eq "z" 640 "$(mode_of "$T/root/run/kept")"
	expect_eq "Z dir" 700 "$(mode_of "$T/root/run/tree/a")"
	expect_eq "Z file" 700 "$(mode_of "$T/root/run/tree/a/f")"
	[ ! -e "$T/root/run/removed-file" ] || fail "r: not removed"
	[ ! -e "$T/root/run/old-tree" ] || fail "R: not removed"
	[ -d "$T/root/run/%literal-/run" ] || fail "specifiers: $(ls "$T/root/run")"
	[ ! -e "$T/root/run/never" ] || fail "the bad line was applied"
	svd_alive || fail "svd died"
	svctl version >/dev/null
}

test_remove_only_with_remove() {
	conf_dirs
	mkdir -p "$T/root/run/tree"
	cat >"$T/usr.d/r.conf" <<-EOF
	R /run/tree
	d /run/made
	EOF
	svd_start
	svctl tmpfiles --create || fail "create failed: see the log"
	[ -d "$T/root/run/tree" ] || fail "R ran without --remove"
	[ -d "$T/root/run/made" ] || fail "d not applied"
	svctl tmpfiles --remove || fail "remove failed"
	[ ! -e "$T/root/run/tree" ] || fail "R did not run with --remove"
}

test_override_by_name_and_order() {
	conf_dirs
	# etc.d/a.conf hides run.d's and usr.d's; run.d/b.conf hides usr.d's;
	# a link to /dev/null masks a file; files go in the order of their
	# names whatever their directory, so c.conf's line for a path that
	# b.conf already makes is the duplicate.
	echo "d /run/from-usr-a" >"$T/usr.d/a.conf"
	echo "d /run/from-run-a" >"$T/run.d/a.conf"
	echo "d /run/from-etc-a" >"$T/etc.d/a.conf"
	echo "d /run/from-usr-b" >"$T/usr.d/b.conf"
	echo "d /run/same 0700" >"$T/run.d/b.conf"
	echo "d /run/same 0755" >"$T/etc.d/c.conf"
	echo "d /run/masked" >"$T/usr.d/m.conf"
	ln -s /dev/null "$T/etc.d/m.conf"
	svd_start
	svctl tmpfiles --create 2>"$T/warnings" || fail "failed: $(cat "$T/warnings")"
	ls "$T/root/run" >"$T/made"
	expect_eq "made" "$(printf '%s\n' from-etc-a same)" "$(cat "$T/made")"
	expect_eq "first file wins" 700 "$(mode_of "$T/root/run/same")"
	grep -q "^warning: $T/etc.d/c.conf:1: duplicate line for path /run/same (first at $T/run.d/b.conf:1)" \
		"$T/warnings" || fail "no duplicate warning: $(cat "$T/warnings")"
}

test_named_files() {
	conf_dirs
	echo "d /run/one" >"$T/usr.d/one.conf"
	echo "d /run/two" >"$T/usr.d/two.conf"
	echo "d /run/elsewhere" >"$T/other.conf"
	svd_start
	# A bare name is looked up in the directories; a relative path is
	# svctl's, not svd's.
	(cd "$T" && svctl tmpfiles --create one.conf ./other.conf) ||
		fail "named files failed"
	[ -d "$T/root/run/one" ] && [ -d "$T/root/run/elsewhere" ] ||
		fail "named files not applied: $(ls "$T/root/run")"
	[ ! -e "$T/root/run/two" ] || fail "a file not named was applied"
	expect_code 1 svctl tmpfiles --create nope.conf
	grep -q "nope.conf: not found" "$T/err" || fail "missing file: $(cat "$T/err")"
}

test_boot_lines_only_with_boot() {
	conf_dirs
	printf 'd! /run/boot-only\nd /run/always\n' >"$T/usr.d/b.conf"
	svd_start
	svctl tmpfiles --create
	[ ! -e "$T/root/run/boot-only" ] || fail "a '!' line ran without --boot"
	[ -d "$T/root/run/always" ] || fail "d not applied"
	svctl tmpfiles --create --boot
	[ -d "$T/root/run/boot-only" ] || fail "--boot did not apply the '!' line"
}

test_at_start() {
	conf_dirs "TmpfilesAtStart=yes"
	printf 'd /run/early 0710\nd! /run/boot-only\nf /run/early/x - - - - hi\n' >"$T/usr.d/s.conf"
	# A unit sees what tmpfiles made: it ran before the units started.
	unit probe.service <<-EOF
	[Service]
	Type=oneshot
	ExecStart=/bin/sh -c 'cat $T/root/run/early/x > $T/probe'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" test -s "$T/probe"
	expect_eq probe hi "$(cat "$T/probe")"
	expect_eq mode 710 "$(mode_of "$T/root/run/early")"
	# svd is no init here: a service manager's start is no boot.
	[ ! -e "$T/root/run/boot-only" ] || fail "'!' line applied outside init"
}

test_off_by_default_outside_init() {
	conf_dirs
	echo "d /run/not-at-start" >"$T/usr.d/s.conf"
	svd_start
	[ ! -e "$T/root/run/not-at-start" ] || fail "applied at start without TmpfilesAtStart=yes"
}

# '-': a failure is a warning (exit 0); '=': what is of the wrong type
# is replaced; ':' mode only for what the line creates.
test_modifiers() {
	conf_dirs
	mkdir -p "$T/root/run"
	: >"$T/root/run/in-the-way"
	: >"$T/root/run/replaced"
	mkdir "$T/root/run/kept-mode"
	chmod 0700 "$T/root/run/kept-mode"
	cat >"$T/usr.d/m.conf" <<-EOF
	d- /run/in-the-way
	d= /run/replaced 0750
	d /run/kept-mode :0755
	d /run/new-mode :0751
	EOF
	svd_start
	svctl tmpfiles --create 2>"$T/warnings" ||
		fail "a '-' line failed the run: $(cat "$T/warnings")"
	grep -q "^warning: $T/usr.d/m.conf:1: /run/in-the-way: exists and is not a directory" \
		"$T/warnings" || fail "no warning: $(cat "$T/warnings")"
	[ -d "$T/root/run/replaced" ] || fail "'=' did not replace the file"
	expect_eq "'=' mode" 750 "$(mode_of "$T/root/run/replaced")"
	expect_eq "':' existing" 700 "$(mode_of "$T/root/run/kept-mode")"
	expect_eq "':' created" 751 "$(mode_of "$T/root/run/new-mode")"
}

# A symlink planted on the way points out of the root: it is followed
# inside the root, so nothing is made outside it.
test_symlinks_stay_in_the_root() {
	conf_dirs
	mkdir -p "$T/root/run" "$T/outside"
	ln -s "$T/outside" "$T/root/run/escape"
	ln -s "$T/outside/file" "$T/root/run/final"
	cat >"$T/usr.d/s.conf" <<-EOF
	d /run/escape/made
	z /run/final 0600
	EOF
	echo data >"$T/outside/file"
	chmod 0644 "$T/outside/file"
	svd_start
	svctl tmpfiles --create 2>"$T/msgs" || true
	[ ! -e "$T/outside/made" ] || fail "a path left the root through a symlink"
	expect_eq "the link's target keeps its mode" 644 "$(mode_of "$T/outside/file")"
}

test_usage_errors() {
	conf_dirs
	svd_start
	expect_code 2 svctl tmpfiles
	expect_code 2 svctl tmpfiles --frobnicate
	expect_code 2 svctl tmpfiles one.conf
	# svctl stops what would not fit in one request.
	expect_code 2 svctl tmpfiles --create $(seq -f '%g.conf' 1 200)
	svd_alive || fail "svd died"
}

run_tests
