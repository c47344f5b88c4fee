#!/usr/bin/env bash
# svctl security: each service's exposure as systemd-analyze security
# scores it, offline from the unit directories (svd need not run): the
# table, the total, JSON, the overview, --threshold=, errors and exit
# codes, and Debian's own redis-server unit.
. "$(dirname "$0")/lib.sh"

bare() {
	unit "$1.service" <<-EOF
	[Service]
	ExecStart=/bin/true
	EOF
}

# row NAME: the table line of check NAME in $T/out.
row() {
	grep -F -- " $1 " "$T/out" | head -n 1
}

# The overall line's figure and label: "9.6 UNSAFE".
overall() {
	sed -n 's/^-> Overall exposure level for [^:]*: //p' "$T/out"
}

test_bare_unit_is_unsafe() {
	bare bare
	expect_code 0 "$SVCTL" security -u "$T/units" bare
	expect_eq "overall" "9.6 UNSAFE" "$(overall)"
	expect_eq "header" "NAME DESCRIPTION EXPOSURE" \
		"$(head -n 1 "$T/out" | tr -s ' ' | sed 's/^ //')"
	case $(row User=/DynamicUser=) in
	"-- User=/DynamicUser= "*"Service runs as root user"*0.4) ;;
	*) fail "User= row: $(row User=/DynamicUser=)" ;;
	esac
	case $(row SupplementaryGroups=) in
	"   SupplementaryGroups= "*"option does not matter") ;;
	*) fail "SupplementaryGroups= row: $(row SupplementaryGroups=)" ;;
	esac
	# 81 checks, as systemd 252 has
	expect_eq "rows" 81 "$(grep -cE '^(ok|--|  ) [A-Za-z]+=' "$T/out")"
	# A path works as well as a name, svd running or not.
	expect_code 0 "$SVCTL" security "$T/units/bare.service"
	expect_eq "overall by path" "9.6 UNSAFE" "$(overall)"
}

test_confined_keys_turn_good() {
	bare bare
	unit tight.service <<-EOF
	[Service]
	ExecStart=/bin/true
	User=nobody
	NoNewPrivileges=yes
	CapabilityBoundingSet=
	EOF
	expect_code 0 "$SVCTL" security -u "$T/units" bare
	local open
	open=$(overall | cut -d' ' -f1 | tr -d .)
	expect_code 0 "$SVCTL" security -u "$T/units" tight.service
	local tight
	tight=$(overall | cut -d' ' -f1 | tr -d .)
	[ "$tight" -lt "$open" ] || fail "tight $tight not below bare $open"
	for check in NoNewPrivileges= CapabilityBoundingSet=~CAP_SYS_ADMIN \
		"CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP)" \
		CapabilityBoundingSet=~CAP_SYS_PTRACE; do
		case $(row "$check") in
		"ok $check "*) ;;
		*) fail "$check not good: $(row "$check")" ;;
		esac
	done
	# nobody is another user, but one systemd warns about: 9 of 10
	case $(row User=/DynamicUser=) in
	"-- User=/DynamicUser= "*"'nobody' user"*) ;;
	*) fail "User=nobody row: $(row User=/DynamicUser=)" ;;
	esac
	# not root: the per-user checks apply now
	case $(row SupplementaryGroups=) in
	"ok SupplementaryGroups= "*) ;;
	*) fail "SupplementaryGroups= row: $(row SupplementaryGroups=)" ;;
	esac
}

test_json_is_typed() {
	bare bare
	bare other
	expect_code 0 "$SVCTL" security --json -u "$T/units" bare
	python3 - "$T/out" <<-'EOF' || fail "JSON: $(head -c 300 "$T/out")"
	import json, sys
	u = json.load(open(sys.argv[1]))
	assert u["unit"] == "bare.service", u["unit"]
	assert u["exposure"] == 9.6 and u["predicate"] == "UNSAFE", u
	assert len(u["checks"]) == 81
	rows = {c["name"]: c for c in u["checks"]}
	user = rows["User=/DynamicUser="]
	assert user["set"] is False and user["exposure"] == 0.4, user
	assert user["weight"] == 2000 and user["badness"] == 10 and user["range"] == 10
	na = rows["RemoveIPC="]
	assert na["set"] is None and na["exposure"] is None and na["badness"] is None, na
	assert rows["KeyringMode="]["set"] is True
	EOF
	# several units: an array
	expect_code 0 "$SVCTL" security --json -u "$T/units" bare other
	python3 -c 'import json,sys; a = json.load(open(sys.argv[1])); assert [u["unit"] for u in a] == ["bare.service", "other.service"], a' \
		"$T/out" || fail "JSON array: $(head -c 300 "$T/out")"
}

test_overview_of_every_service() {
	bare bare
	unit tight.service <<-EOF
	[Service]
	ExecStart=/bin/true
	User=daemon
	CapabilityBoundingSet=
	EOF
	unit tpl@.service <<-EOF
	[Service]
	ExecStart=/bin/true
	EOF
	expect_code 0 "$SVCTL" security -u "$T/units"
	expect_eq "heading" "UNIT EXPOSURE PREDICATE" "$(head -n 1 "$T/out" | tr -s ' ')"
	expect_eq "bare line" "bare.service 9.6 UNSAFE" \
		"$(grep '^bare.service' "$T/out" | tr -s ' ')"
	grep -q '^tight.service ' "$T/out" || fail "no tight line: $(cat "$T/out")"
	# templates run only as instances: not listed
	! grep -q tpl@ "$T/out" || fail "template listed: $(cat "$T/out")"
	expect_eq "lines" 3 "$(wc -l <"$T/out")"
	expect_code 0 "$SVCTL" security --json -u "$T/units"
	python3 -c 'import json,sys; a = json.load(open(sys.argv[1])); assert a[0] == {"unit": "bare.service", "exposure": 9.6, "predicate": "UNSAFE"}, a' \
		"$T/out" || fail "overview JSON: $(cat "$T/out")"
}

test_threshold() {
	bare bare
	expect_code 0 "$SVCTL" security -u "$T/units" --threshold=96 bare
	expect_code 1 "$SVCTL" security -u "$T/units" --threshold=95 bare
	# the table is printed all the same
	expect_eq "overall" "9.6 UNSAFE" "$(overall)"
	expect_code 1 "$SVCTL" security -u "$T/units" --threshold=50
	expect_code 2 "$SVCTL" security -u "$T/units" --threshold=101 bare
	grep -q "threshold=101: expected a number from 0 to 100" "$T/err" ||
		fail "threshold error: $(cat "$T/err")"
	expect_code 2 "$SVCTL" security -u "$T/units" --threshold=x bare
}

test_bad_names_and_units() {
	bare bare
	unit broken.service <<-EOF
	[Service]
	ExecStart=/bin/true
	KillSignal=SIGNOPE
	EOF
	unit web.socket <<-EOF
	[Socket]
	ListenStream=127.0.0.1:12345
	EOF
	unit tpl@.service <<-EOF
	[Service]
	ExecStart=/bin/true
	EOF
	ln -s /dev/null "$T/units/masked.service"
	expect_code 4 "$SVCTL" security -u "$T/units" nosuch
	expect_eq "no such unit" "svctl: security: no unit nosuch.service in $T/units" \
		"$(cat "$T/err")"
	[ ! -s "$T/out" ] || fail "printed for nosuch: $(cat "$T/out")"
	expect_code 4 "$SVCTL" security -u "$T/units" 'bad!name'
	grep -q '"bad!name" is not a valid unit name' "$T/err" ||
		fail "bad name: $(cat "$T/err")"
	expect_code 1 "$SVCTL" security -u "$T/units" broken
	grep -q "broken.service:3: KillSignal=SIGNOPE" "$T/err" ||
		fail "broken: $(cat "$T/err")"
	expect_code 1 "$SVCTL" security -u "$T/units" web.socket
	grep -q "web.socket is no service" "$T/err" || fail "socket: $(cat "$T/err")"
	expect_code 1 "$SVCTL" security -u "$T/units" masked
	grep -q "masked.service is masked" "$T/err" || fail "masked: $(cat "$T/err")"
	expect_code 1 "$SVCTL" security -u "$T/units" tpl@
	grep -q "is a template" "$T/err" || fail "template: $(cat "$T/err")"
	# an instance of it is scored
	expect_code 0 "$SVCTL" security -u "$T/units" tpl@one
	expect_eq "instance" "9.6 UNSAFE" "$(overall)"
	# the others are still scored, the worst code wins
	expect_code 4 "$SVCTL" security -u "$T/units" broken nosuch bare
	expect_eq "bare still scored" "9.6 UNSAFE" "$(overall)"
	expect_code 1 "$SVCTL" security "$T/units/none.service"
	# a path is checked as verify checks it: masks and git's stand-in
	# for a link are said, a FIFO is never opened
	expect_code 1 "$SVCTL" security "$T/units/masked.service"
	grep -q "masked.service is masked" "$T/err" || fail "masked path: $(cat "$T/err")"
	printf 'bare.service' >"$T/alias.service"
	expect_code 1 "$SVCTL" security "$T/alias.service"
	grep -q "a link to bare.service stored as a file" "$T/err" ||
		fail "stand-in: $(cat "$T/err")"
	mkfifo "$T/fifo.service"
	expect_code 1 timeout 10 "$SVCTL" security "$T/fifo.service"
	grep -q "fifo.service: not a regular file" "$T/err" || fail "fifo: $(cat "$T/err")"
	# a directory that is not there is said, not taken for an empty one
	expect_code 0 "$SVCTL" security -u "$T/nodir"
	grep -q "warning: $T/nodir: " "$T/err" || fail "no directory: $(cat "$T/err")"
	# a typo is warned about; the keys systemd has and svd ignores are not
	unit typo.service <<-EOF
	[Service]
	ExecStart=/bin/true
	ProtectSystem=strict
	NoNewPrivilege=yes
	EOF
	expect_code 0 "$SVCTL" security -u "$T/units" typo
	grep -q "typo.service:4: .*NoNewPrivilege" "$T/err" || fail "typo: $(cat "$T/err")"
	! grep -q ProtectSystem "$T/err" || fail "ProtectSystem= warned: $(cat "$T/err")"
}

# Debian's redis-server unit (the sample's copy, and the installed one
# where there is one) loads and is scored; the keys svd parses today
# (User=, UMask=, NoNewPrivileges=, CapabilityBoundingSet=) show.
test_debian_redis() {
	local file found=0
	for file in "${SHARED_UNITS:-/nonexistent}/redis-server/redis-server.service" \
		/lib/systemd/system/redis-server.service; do
		[ -f "$file" ] || continue
		found=1
		check_redis "$file"
	done
	if [ "$found" = 0 ]; then
		echo "skip: no redis-server.service here"
		exit 77
	fi
}

check_redis() {
	expect_code 0 "$SVCTL" security "$1"
	grep -q '^-> Overall exposure level for redis-server.service: [0-9]\.[0-9] ' "$T/out" ||
		fail "$1: $(tail -n 1 "$T/out")"
	for check in User=/DynamicUser= NoNewPrivileges= CapabilityBoundingSet=~CAP_SYS_ADMIN \
		SupplementaryGroups= AmbientCapabilities=; do
		case $(row "$check") in
		"ok $check "*) ;;
		*) fail "$1: $check not good: $(row "$check")" ;;
		esac
	done
	case $(row UMask=) in
	"-- UMask= "*"group-writable"*) ;;
	*) fail "$1: UMask=007: $(row UMask=)" ;;
	esac
	# Its sandbox keys are read too (conf/sandbox_fs.h): the figure is
	# systemd-analyze security's for this unit.
	for check in ProtectSystem= ProtectHome= PrivateTmp= PrivateDevices= \
		PrivateUsers= ProtectKernelTunables= ProtectHostname= ProtectProc=; do
		case $(row "$check") in
		"ok $check "*) ;;
		*) fail "$1: $check not good: $(row "$check")" ;;
		esac
	done
	grep -q '^-> Overall exposure level for redis-server.service: 1\.2 OK' "$T/out" ||
		fail "$1: not systemd-analyze's 1.2 OK: $(tail -n 1 "$T/out")"
	# no warning about the keys svd does not read: the table says it
	[ ! -s "$T/err" ] || fail "$1: stderr: $(cat "$T/err")"
}

# complete_words WORD...: what the bash completion offers for the last.
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

test_completion() {
	[ -n "${SOURCE_ROOT:-}" ] || { echo "skip: no SOURCE_ROOT"; exit 77; }
	complete_words svctl secu | grep -qx security || fail "security not offered"
	complete_words svctl security --thr | grep -qx -- --threshold= ||
		fail "--threshold= not offered"
	# -u's directory is no command word
	complete_words svctl -u "$T/units" security --js | grep -qx -- --json ||
		fail "options after -u DIR security: $(complete_words svctl -u "$T/units" security --js)"
	complete_words svctl security -u "$T/un" | grep -qx "$T/units" ||
		fail "no directory after -u"
	bare web
	complete_words svctl security "$T/units/w" | grep -qx "$T/units/web.service" ||
		fail "no unit file offered"
}

run_tests
