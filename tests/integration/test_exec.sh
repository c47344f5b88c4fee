#!/usr/bin/env bash
# Execution settings a service gets: User=, Group=, SupplementaryGroups=,
# UMask=, Nice=, the environment svd computes for it (PassEnvironment=,
# Environment=, EnvironmentFile=, UnsetEnvironment=), Limit*=, the
# *Directory= keys, RootDirectory=, StandardInput/Output/Error=,
# SyslogIdentifier=, and the clean slate of fds and signals it starts
# from. Uses the accounts every Debian system has (nobody, nogroup,
# daemon): tests add no account.
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

# limit_of FILE NAME: "soft hard" of one line of a /proc/PID/limits copy.
limit_of() {
	sed -n "s/^$2  *\([^ ]*\)  *\([^ ]*\) .*/\1 \2/p" "$1"
}

# owner_mode PATH: "user:group mode".
owner_mode() {
	stat -c '%U:%G %a' "$1"
}

# Roots of the *Directory= keys, inside the test's directory.
directory_roots() {
	cat >>"$T/svd.conf" <<-EOF
	[Directories]
	Runtime=$T/run
	State=$T/lib
	Cache=$T/cache
	Logs=$T/logs
	Configuration=$T/etc
	EOF
}

svd_default_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

settled() {
	case $(prop "$1" State) in
	running | exited | failed) ;;
	*) return 1 ;;
	esac
}

# expect_settled UNIT STATE: waits until UNIT is running, exited or
# failed, then checks it is STATE; a failed start fails at once, with
# its cause.
expect_settled() {
	wait_for "$WAIT_TIMEOUT" settled "$1" || return 1
	[ "$(prop "$1" State)" = "$2" ] ||
		fail "$1 is $(prop "$1" State) ($(prop "$1" StateCauseText)), expected $2"
}

test_environment_computed_not_inherited() {
	cat >"$T/env1" <<-'EOF'
	# a comment
	; a comment too
	FILEVAR=plain
	QUOTED="two  spaces \"inner\" \$HOME"
	SINGLE='literal $HOME \n'
	CONT=one\
	two
	LATER=first
	LATER=second
	BYFILE=file
	GONE=exact
	KEEP=kept
	EOF
	# Blanks around the name and an unquoted value are dropped.
	printf '  SPACED  =  trimmed  \n' >>"$T/env1"
	printf 'LATER=from-env2\n' >"$T/env2"
	unit full.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	PassEnvironment=PASSED PASSED_OVER NOT_IN_SVD
	Environment="WITH_SPACE=a b" BYENV=env BYFILE=env PASSED_OVER=env
	Environment=DROPME=x
	EnvironmentFile=$T/env1
	EnvironmentFile=-$T/missing-is-fine
	EnvironmentFile=$T/env2
	UnsetEnvironment=DROPME GONE=exact KEEP=other
	StandardOutput=file:$T/full.env
	ExecStart=/usr/bin/env
	EOF
	unit bare.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	StandardOutput=file:$T/bare.env
	ExecStart=/usr/bin/env
	EOF
	# Never ready: only its environment matters.
	unit notified.service <<-EOF
	[Service]
	Type=notify
	StandardOutput=file:$T/notified.env
	ExecStart=/bin/sh -c 'echo "NOTIFY_SOCKET=\$\$NOTIFY_SOCKET"; exec sleep 1000'
	EOF
	export PASSED=from-svd PASSED_OVER=from-svd SECRET=must-not-leak
	svd_start
	wait_state full exited
	sort "$T/full.env" >"$T/full.sorted"
	cat >"$T/full.expected" <<-EOF
	BYENV=env
	BYFILE=file
	CONT=onetwo
	FILEVAR=plain
	KEEP=kept
	LATER=from-env2
	PASSED=from-svd
	PASSED_OVER=env
	PATH=$svd_default_path
	QUOTED=two  spaces "inner" \$HOME
	SINGLE=literal \$HOME \\n
	SPACED=trimmed
	WITH_SPACE=a b
	EOF
	diff -u "$T/full.expected" "$T/full.sorted" >&2 ||
		fail "full: the environment differs (- expected, + got)"
	wait_state bare exited
	expect_eq "bare environment" "PATH=$svd_default_path" "$(cat "$T/bare.env")"
	wait_for "$WAIT_TIMEOUT" grep -q '^NOTIFY_SOCKET=.' "$T/notified.env"
	local socket
	socket=$(sed -n 's/^NOTIFY_SOCKET=//p' "$T/notified.env")
	[ -S "$socket" ] || fail "NOTIFY_SOCKET=$socket is no socket"
}

# big_environment envfile|unit OUT: 1 MiB of assignments, 64k names each
# set twice (1, then 2): an EnvironmentFile= (131,072 lines), or a unit
# whose Environment= lines (64 KiB each) assign 131,000 times and whose
# command writes its environment to OUT.
big_environment() {
	awk -v mode="$1" -v out="${2:-}" '
	function name(i,  s, k) {
		s = ""
		for (k = 0; k < 5; k++) {
			s = substr("ABCDEFGHIJKLMNOPQRSTUVWXYZ", i % 26 + 1, 1) s
			i = int(i / 26)
		}
		return s
	}
	BEGIN {
		if (mode == "envfile") {
			for (i = 0; i < 131072; i++)
				printf "%s=%d\n", name(i % 65536), int(i / 65536) + 1
			exit
		}
		printf "[Service]\nExecStart=/bin/sh -c \"env >%s.tmp && mv %s.tmp %s; exec sleep 1000\"\n", out, out, out
		for (i = 0; i < 131000; i++) {
			if (i % 7000 == 0)
				printf "%sEnvironment=", i ? "\n" : ""
			printf "%s=%d ", name(i % 65536), int(i / 65536) + 1
		}
		printf "\n"
	}'
}

# svd's CPU time so far (utime + stime), in milliseconds.
svd_cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' \
		"/proc/$SVD_PID/stat"
}

# expect_big_environment FILE ASSIGNMENTS_AT_2: every name once, the later
# value won, and svd's own PATH is there.
expect_big_environment() {
	local total at2
	total=$(grep -c '^[A-Z]\{5\}=' "$1") || true
	at2=$(grep -c '^[A-Z]\{5\}=2$' "$1") || true
	expect_eq "names in $1" 65536 "$total"
	expect_eq "names at their later value in $1" "$2" "$at2"
	grep -q "^PATH=$svd_default_path\$" "$1" || fail "$1: no PATH"
}

# A 1 MiB EnvironmentFile= and a unit of 1 MiB of Environment= lines load
# and start, with the right environment, while svd still answers. Issue
# 11: building it was quadratic (~16 s and ~24 s of svd's CPU here, a
# minute with 128k distinct keys). The CPU bound is generous (it takes
# tens of milliseconds now): it is against minutes-long quadratic work,
# not a benchmark.
test_environment_1mib_linear() {
	local cpu
	big_environment envfile >"$T/big.env"
	unit fileenv.service <<-EOF
	[Service]
	EnvironmentFile=$T/big.env
	ExecStart=/bin/sh -c "env >$T/fileenv.tmp && mv $T/fileenv.tmp $T/fileenv.out; exec sleep 1000"
	EOF
	big_environment unit "$T/unitenv.out" >"$T/units/unitenv.service"
	unit other.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state fileenv running
	wait_state unitenv running
	wait_for "$WAIT_TIMEOUT" test -s "$T/fileenv.out"
	wait_for "$WAIT_TIMEOUT" test -s "$T/unitenv.out"
	expect_big_environment "$T/fileenv.out" 65536
	expect_big_environment "$T/unitenv.out" 65464
	# Both again, and a reload of the 1 MiB unit, while another unit's
	# status must answer within a deadline.
	rm "$T/fileenv.out" "$T/unitenv.out"
	svctl daemon-reload
	svctl restart fileenv unitenv &
	timeout 5 "$SVCTL" -s "$T/control.sock" status other >/dev/null ||
		fail "svctl status other did not answer within 5 s"
	wait $! || fail "svctl restart fileenv unitenv failed"
	wait_for "$WAIT_TIMEOUT" test -s "$T/fileenv.out"
	wait_for "$WAIT_TIMEOUT" test -s "$T/unitenv.out"
	expect_big_environment "$T/fileenv.out" 65536
	cpu=$(svd_cpu_ms)
	[ "$cpu" -lt 5000 ] || fail "svd used ${cpu} ms of CPU (bound 5000)"
}

test_environment_file_missing_fails_start() {
	unit strict.service <<-EOF
	[Service]
	EnvironmentFile=$T/absent
	ExecStart=/bin/sleep 1000
	EOF
	unit lenient.service <<-EOF
	[Service]
	EnvironmentFile=-$T/absent
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state strict failed
	local cause
	cause=$(prop strict StateCauseText)
	case $cause in
	"could not spawn: EnvironmentFile=$T/absent: "*"No such file or directory"*) ;;
	*) fail "strict: cause '$cause'" ;;
	esac
	wait_state lenient running
	expect_code 1 "$SVCTL" start strict
	grep -q "EnvironmentFile=$T/absent" "$T/err" ||
		fail "svctl start strict said: $(cat "$T/err")"
	# Once the file exists, the same unit starts.
	echo 'X=1' >"$T/absent"
	svctl start strict
	wait_state strict running
	svd_alive || fail "svd exited"
}

test_limits_applied() {
	unit limited.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	LimitNOFILE=100:200
	LimitNPROC=300
	LimitCORE=1M:infinity
	LimitSTACK=4M:16M
	LimitMEMLOCK=64K
	LimitCPU=1h
	LimitFSIZE=infinity
	StandardOutput=file:$T/limited
	ExecStart=/bin/cat /proc/self/limits
	EOF
	svd_start
	expect_settled limited exited
	local f=$T/limited
	expect_eq LimitNOFILE "100 200" "$(limit_of "$f" "Max open files")"
	expect_eq LimitNPROC "300 300" "$(limit_of "$f" "Max processes")"
	expect_eq LimitCORE "1048576 unlimited" "$(limit_of "$f" "Max core file size")"
	expect_eq LimitSTACK "4194304 16777216" "$(limit_of "$f" "Max stack size")"
	expect_eq LimitMEMLOCK "65536 65536" "$(limit_of "$f" "Max locked memory")"
	expect_eq LimitCPU "3600 3600" "$(limit_of "$f" "Max cpu time")"
	expect_eq LimitFSIZE "unlimited unlimited" "$(limit_of "$f" "Max file size")"
}

test_limit_above_hard_gets_closest() {
	local nofile memlock_kb want_nofile want_memlock
	local expect_nofile expect_memlock
	nofile=$(ulimit -Hn)
	memlock_kb=$(ulimit -Hl)
	[ "$nofile" != unlimited ] && [ "$memlock_kb" != unlimited ] || {
		echo "skip: needs finite hard limits of open files and locked memory"
		exit 77
	}
	want_nofile=$((nofile + 1000))
	want_memlock=$((memlock_kb * 2))
	# Where root may raise a hard limit, the service gets what it asks.
	expect_nofile="$nofile $nofile"
	expect_memlock="$((memlock_kb * 1024)) $((memlock_kb * 1024))"
	if (ulimit -Hn "$want_nofile") 2>/dev/null; then
		expect_nofile="$want_nofile $want_nofile"
	fi
	if (ulimit -Hl "$((want_memlock * 2))") 2>/dev/null; then
		expect_memlock="$((want_memlock * 1024)) $((want_memlock * 2048))"
	fi
	unit greedy.service <<-EOF
	[Service]
	LimitNOFILE=$want_nofile
	LimitMEMLOCK=${want_memlock}K:$((want_memlock * 2))K
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	expect_settled greedy running
	cp "/proc/$(prop greedy MainPID)/limits" "$T/greedy"
	expect_eq LimitNOFILE "$expect_nofile" "$(limit_of "$T/greedy" "Max open files")"
	expect_eq LimitMEMLOCK "$expect_memlock" "$(limit_of "$T/greedy" "Max locked memory")"
}

test_nofile_soft_limit_given_back() {
	local hard
	hard=$(ulimit -Hn)
	[ "$hard" != unlimited ] && [ "$hard" -gt 1000 ] || {
		echo "skip: needs a finite hard limit of open files above 1000"
		exit 77
	}
	command -v prlimit >/dev/null || {
		echo "skip: prlimit (util-linux) not installed"
		exit 77
	}
	unit plain.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	unit own.service <<-EOF
	[Service]
	LimitNOFILE=1000
	ExecStart=/bin/sleep 1000
	EOF
	SVD_WRAPPER=(prlimit "--nofile=512:$hard")
	svd_start
	cp "/proc/$SVD_PID/limits" "$T/svd.limits"
	expect_eq "svd's own" "$hard $hard" "$(limit_of "$T/svd.limits" "Max open files")"
	expect_settled plain running
	cp "/proc/$(prop plain MainPID)/limits" "$T/plain.limits"
	expect_eq "plain service" "512 $hard" "$(limit_of "$T/plain.limits" "Max open files")"
	expect_settled own running
	cp "/proc/$(prop own MainPID)/limits" "$T/own.limits"
	expect_eq "LimitNOFILE=1000" "1000 1000" "$(limit_of "$T/own.limits" "Max open files")"
}

test_directories_made_owned_and_named() {
	need_accounts
	# Where nobody may go.
	chmod 755 "$T"
	directory_roots
	unit dirsvc.service <<-EOF
	[Service]
	User=nobody
	Group=nogroup
	RuntimeDirectory=dirsvc sub/deep
	RuntimeDirectoryMode=0700
	StateDirectory=dirsvc
	StateDirectoryMode=0750
	CacheDirectory=dirsvc
	LogsDirectory=dirsvc/nested
	ConfigurationDirectory=dirsvc
	StandardOutput=file:$T/dirsvc.env
	ExecStart=/bin/sh -c 'touch "\$\$STATE_DIRECTORY/written" && env && echo done; exec sleep 1000'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" grep -qx done "$T/dirsvc.env"
	local var
	for var in "RUNTIME_DIRECTORY=$T/run/dirsvc:$T/run/sub/deep" \
		   "STATE_DIRECTORY=$T/lib/dirsvc" "CACHE_DIRECTORY=$T/cache/dirsvc" \
		   "LOGS_DIRECTORY=$T/logs/dirsvc/nested" \
		   "CONFIGURATION_DIRECTORY=$T/etc/dirsvc"; do
		grep -qxF "$var" "$T/dirsvc.env" ||
			fail "no $var in: $(cat "$T/dirsvc.env")"
	done
	expect_eq "runtime root" "root:root 755" "$(owner_mode "$T/run")"
	expect_eq "RuntimeDirectory=dirsvc" "nobody:nogroup 700" "$(owner_mode "$T/run/dirsvc")"
	expect_eq "parent of sub/deep" "root:root 755" "$(owner_mode "$T/run/sub")"
	expect_eq "RuntimeDirectory=sub/deep" "nobody:nogroup 700" "$(owner_mode "$T/run/sub/deep")"
	expect_eq "StateDirectory=" "nobody:nogroup 750" "$(owner_mode "$T/lib/dirsvc")"
	expect_eq "written by the service" "nobody:nogroup" \
		"$(stat -c %U:%G "$T/lib/dirsvc/written")"
	expect_eq "CacheDirectory=" "nobody:nogroup 755" "$(owner_mode "$T/cache/dirsvc")"
	expect_eq "parent of dirsvc/nested" "root:root 755" "$(owner_mode "$T/logs/dirsvc")"
	expect_eq "LogsDirectory=" "nobody:nogroup 755" "$(owner_mode "$T/logs/dirsvc/nested")"
	expect_eq "ConfigurationDirectory=" "root:root 755" "$(owner_mode "$T/etc/dirsvc")"
	svctl stop dirsvc
	wait_state dirsvc inactive
	[ ! -e "$T/run/dirsvc" ] || fail "RuntimeDirectory=dirsvc kept after stop"
	[ ! -e "$T/run/sub/deep" ] || fail "RuntimeDirectory=sub/deep kept after stop"
	[ -e "$T/lib/dirsvc/written" ] || fail "StateDirectory= emptied at stop"
	[ -d "$T/cache/dirsvc" ] && [ -d "$T/logs/dirsvc/nested" ] &&
		[ -d "$T/etc/dirsvc" ] || fail "a directory other than the runtime one went at stop"
}

# A service that leaves a mark in its RuntimeDirectory= and fails, then,
# started again, says whether the mark is still there.
marker() {
	unit "$1.service" <<-EOF
	[Service]
	RuntimeDirectory=$1
	$2
	Restart=on-failure
	ExecStart=/bin/sh -c 'if [ -e "\$\$RUNTIME_DIRECTORY/mark" ]; then echo kept >$T/$1.result; exec sleep 1000; elif [ -e $T/$1.ran ]; then echo lost >$T/$1.result; exec sleep 1000; else touch "\$\$RUNTIME_DIRECTORY/mark" $T/$1.ran; exit 1; fi'
	EOF
}

test_runtime_directory_preserve() {
	directory_roots
	marker lose ""
	marker survive "RuntimeDirectoryPreserve=restart"
	marker forever "RuntimeDirectoryPreserve=yes"
	svd_start
	wait_for "$WAIT_TIMEOUT" test -s "$T/lose.result"
	wait_for "$WAIT_TIMEOUT" test -s "$T/survive.result"
	wait_for "$WAIT_TIMEOUT" test -s "$T/forever.result"
	expect_eq "no preserve, automatic restart" lost "$(cat "$T/lose.result")"
	expect_eq "preserve=restart, automatic restart" kept "$(cat "$T/survive.result")"
	expect_eq "preserve=yes, automatic restart" kept "$(cat "$T/forever.result")"
	svctl stop lose survive forever
	wait_state lose inactive
	wait_state survive inactive
	wait_state forever inactive
	[ ! -e "$T/run/lose" ] || fail "no preserve: kept after stop"
	[ ! -e "$T/run/survive" ] || fail "preserve=restart: kept after stop"
	[ -e "$T/run/forever/mark" ] || fail "preserve=yes: removed at stop"
}

test_directory_that_cannot_be_made_fails_start() {
	: >"$T/afile"
	cat >"$T/svd.conf" <<-EOF
	[Directories]
	Runtime=$T/afile
	EOF
	unit nodir.service <<-EOF
	[Service]
	RuntimeDirectory=x
	ExecStart=/bin/sleep 1000
	EOF
	unit fine.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state nodir failed
	expect_eq cause "could not spawn: RuntimeDirectory=x: mkdir $T/afile/x: ENOTDIR (Not a directory)" \
		"$(prop nodir StateCauseText)"
	expect_eq "MainPID of nodir" 0 "$(prop nodir MainPID)"
	wait_state fine running
	svd_alive || fail "svd exited"
}

# A root with dash and its libraries, nothing else.
make_root() {
	local lib
	mkdir "$T/root"
	cp -L --parents /bin/sh "$T/root"
	for lib in $(ldd /bin/sh | grep -o '/[^ ]*'); do
		cp -L --parents "$lib" "$T/root"
	done
}

test_root_directory() {
	make_root
	: >"$T/outside"
	# "sh" is looked up in PATH inside the root.
	unit jailed.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	RootDirectory=$T/root
	ExecStart=sh -c 'echo "in \$\$PWD" >/out; if [ -e $T/outside ]; then echo seen; else echo unseen; fi >>/out'
	EOF
	unit rootless.service <<-EOF
	[Service]
	RootDirectory=$T/no-such-root
	ExecStart=/bin/sh -c 'exec sleep 1000'
	EOF
	svd_start
	wait_state jailed exited
	expect_eq "what the jailed service saw" "in / unseen" "$(tr '\n' ' ' <"$T/root/out" | sed 's/ $//')"
	wait_state rootless failed
	local cause
	cause=$(prop rootless StateCauseText)
	case $cause in
	*RootDirectory=*ENOENT*) ;;
	*) fail "rootless: cause '$cause'" ;;
	esac
	svd_alive || fail "svd exited"
}

test_standard_input_output_files() {
	printf 'hello input\n' >"$T/in"
	printf '%s\n' XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX >"$T/file.out"
	cp "$T/file.out" "$T/file.before"
	printf 'first\n' >"$T/append.out"
	printf 'an older and longer content\n' >"$T/trunc.out"
	unit fileout.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	StandardInput=file:$T/in
	StandardOutput=file:$T/file.out
	ExecStart=/bin/sh -c 'read line; echo "got \$\$line"; echo oops >&2'
	EOF
	unit appender.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	StandardOutput=append:$T/append.out
	StandardError=append:$T/append.err
	ExecStart=/bin/sh -c 'echo out; echo err >&2'
	EOF
	unit truncater.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	StandardOutput=truncate:$T/trunc.out
	ExecStart=/bin/sh -c 'echo new; echo err2 >&2'
	EOF
	# StandardInput= defaults to /dev/null: read gets end-of-file.
	unit noinput.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	StandardOutput=file:$T/noinput.out
	ExecStart=/bin/sh -c 'if read line; then echo "read \$\$line"; else echo eof; fi; readlink /proc/self/fd/0'
	EOF
	svd_start
	wait_state fileout exited
	# file: writes from the start without truncating.
	{ printf 'got hello input\noops\n'; tail -c +22 "$T/file.before"; } >"$T/file.expected"
	cmp -s "$T/file.expected" "$T/file.out" ||
		fail "file: got '$(cat "$T/file.out")'"
	wait_state appender exited
	expect_eq append: "first out" "$(tr '\n' ' ' <"$T/append.out" | sed 's/ $//')"
	expect_eq "StandardError=append:" err "$(cat "$T/append.err")"
	wait_state truncater exited
	expect_eq truncate: "new err2" "$(tr '\n' ' ' <"$T/trunc.out" | sed 's/ $//')"
	wait_state noinput exited
	expect_eq "default input" "eof /dev/null" "$(tr '\n' ' ' <"$T/noinput.out" | sed 's/ $//')"
}

# '+' and '!' run their command as root whatever User= says (chrony's
# ExecStart=!, mariadb's ExecStartPost=+); '+' also outside
# RootDirectory=. '!!' only where the kernel has no ambient
# capabilities: here it runs as the user. Without a prefix the command is
# the unit's user's.
test_privileged_prefixes() {
	if [ "$(id -u)" != 0 ]; then
		echo "skip: needs root to switch users"
		return 77
	fi
	unit prefixed.service <<-EOF
	[Service]
	User=nobody
	StandardOutput=append:$T/ids
	ExecStartPre=+/bin/sh -c 'echo "plus \$\$(id -u)"'
	ExecStartPre=!/bin/sh -c 'echo "bang \$\$(id -u)"'
	ExecStartPre=!!/bin/sh -c 'echo "bangbang \$\$(id -u)"'
	ExecStartPre=/bin/sh -c 'echo "plain \$\$(id -un)"'
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	wait_state prefixed running
	expect_eq "ids" "plus 0 bang 0 bangbang $(id -u nobody) plain nobody" \
		"$(tr '\n' ' ' <"$T/ids" | sed 's/ $//')"
}

# A service's set-up that waits before exec (its output a FIFO nobody
# reads yet) waits in its own process: svd answers meanwhile, and the
# service starts once a reader comes.
test_output_fifo_waits_without_svd() {
	mkfifo "$T/out.fifo"
	unit fifo.service <<-EOF
	[Service]
	StandardOutput=file:$T/out.fifo
	ExecStart=/bin/sh -c 'echo through the fifo; exec sleep 1000'
	EOF
	svd_start
	wait_state fifo start
	expect_code 0 svctl show fifo
	expect_code 0 svctl version
	local line
	read -r line <"$T/out.fifo"
	expect_eq "read from the fifo" "through the fifo" "$line"
	wait_state fifo running
}

# logged_line NAME STREAM TEXT: LOG_DIR/NAME.log has TEXT from STREAM.
logged_line() {
	grep -Eq "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z $2: $3\$" \
		"$T/log/$1.log"
}

test_standard_output_log_inherit_null() {
	local kind
	for kind in journal syslog kmsg; do
		unit "to$kind.service" <<-EOF
		[Service]
		Type=oneshot
		RemainAfterExit=yes
		StandardOutput=$kind
		ExecStart=/bin/sh -c 'echo out-$kind; echo err-$kind >&2'
		EOF
	done
	unit split.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	StandardOutput=journal
	StandardError=file:$T/split.err
	ExecStart=/bin/sh -c 'echo out-split; echo err-split >&2'
	EOF
	unit inherit.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	StandardOutput=inherit
	ExecStart=/bin/sh -c 'echo out-inherit; echo err-inherit >&2'
	EOF
	unit quiet.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	StandardOutput=null
	StandardError=null
	ExecStart=/bin/sh -c 'echo hidden-out; echo hidden-err >&2'
	EOF
	unit errnull.service <<-EOF
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	StandardError=null
	ExecStart=/bin/sh -c 'echo out-errnull; echo hidden-errnull >&2'
	EOF
	svd_start
	# stderr inherited: one stream with stdout, labelled stdout.
	for kind in journal syslog kmsg; do
		wait_for "$WAIT_TIMEOUT" logged_line "to$kind" stdout "out-$kind"
		wait_for "$WAIT_TIMEOUT" logged_line "to$kind" stdout "err-$kind"
	done
	wait_for "$WAIT_TIMEOUT" logged_line split stdout out-split
	wait_state split exited
	expect_eq "StandardError=file:" err-split "$(cat "$T/split.err")"
	! grep -q err-split "$T/log/split.log" || fail "err-split in the log too"
	# inherit: svd's own stdout and stderr, the harness's svd.log.
	wait_for "$WAIT_TIMEOUT" grep -qx out-inherit "$T/svd.log"
	wait_for "$WAIT_TIMEOUT" grep -qx err-inherit "$T/svd.log"
	! grep -qs out-inherit "$T/log/inherit.log" || fail "inherit: in the log too"
	wait_for "$WAIT_TIMEOUT" logged_line errnull stdout out-errnull
	wait_state quiet exited
	wait_state errnull exited
	! grep -rq hidden- "$T/log" "$T/svd.log" ||
		fail "null output showed up: $(grep -r hidden- "$T/log" "$T/svd.log")"
}

test_syslog_identifier_on_console() {
	cat >"$T/svd.conf" <<-EOF
	[Log]
	Console=yes
	EOF
	unit named.service <<-EOF
	[Service]
	SyslogIdentifier=myident
	ExecStart=/bin/sh -c 'echo hello-ident; exec sleep 1000'
	EOF
	unit unnamed.service <<-EOF
	[Service]
	ExecStart=/bin/sh -c 'echo hello-plain; exec sleep 1000'
	EOF
	svd_start
	wait_for "$WAIT_TIMEOUT" grep -qx "myident: hello-ident" "$T/svd.log"
	wait_for "$WAIT_TIMEOUT" grep -qx "unnamed: hello-plain" "$T/svd.log"
	! grep -q "named: hello-ident" "$T/svd.log" ||
		fail "the unit name, not SyslogIdentifier=, on the console"
}

sig_masks() {
	grep -E '^Sig(Blk|Ign):' "$1" | tr -s '\t' ' ' | tr '\n' ' ' | sed 's/ $//'
}

test_clean_fds_and_signals() {
	unit clean.service <<-EOF
	[Service]
	IgnoreSIGPIPE=no
	StandardOutput=append:$T/clean.pre
	ExecStartPre=/bin/ls /proc/self/fd
	ExecStartPre=/bin/grep -E '^Sig(Blk|Ign):' /proc/self/status
	ExecStart=/bin/sleep 1000
	EOF
	# svd starts with an fd it does not know of and signals ignored,
	# both of which a service must not get.
	exec 7>"$T/stray"
	trap '' HUP USR1
	sleep 1000 &
	local witness=$! pid
	track "$witness"
	# The same for a child that shares svd's memory until exec (vfork:
	# no path to open), where clean's are forked (append:).
	# It keeps systemd's default, IgnoreSIGPIPE=yes: SIGPIPE (bit 13,
	# 0x1000) is ignored.
	unit vclean.service <<-EOF
	[Service]
	ExecStart=/bin/sleep 1000
	EOF
	svd_start
	# The set-up is what it says: a sibling does get them.
	sig_masks "/proc/$witness/status" | grep -qv 'SigIgn: 0000000000000000' ||
		fail "the witness ignores nothing: $(sig_masks "/proc/$witness/status")"
	[ -e "/proc/$SVD_PID/fd/7" ] || fail "svd did not get fd 7"
	wait_state clean running
	pid=$(prop clean MainPID)
	expect_eq "fds of the main process" "0 1 2" "$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "signals of the main process" "SigBlk: 0000000000000000 SigIgn: 0000000000000000" \
		"$(sig_masks "/proc/$pid/status")"
	wait_state vclean running
	pid=$(prop vclean MainPID)
	expect_eq "fds of a vforked main process" "0 1 2" "$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "signals of a vforked main process" "SigBlk: 0000000000000000 SigIgn: 0000000000001000" \
		"$(sig_masks "/proc/$pid/status")"
	# ls's own directory is its 3.
	expect_eq "control command's output" "0 1 2 3 SigBlk: 0000000000000000 SigIgn: 0000000000000000" \
		"$(tr -s '\t\n' '  ' <"$T/clean.pre" | sed 's/ $//')"
	kill "$witness"
	wait "$witness" || true
	untrack "$witness"
}

run_tests
