#!/bin/sh
# Runs one libFuzzer harness of a -Dfuzz=true build for a fixed time, with
# the hand-written seeds (tests/fuzz/seeds/NAME), seeds derived from the
# real unit files (units/ and ../shared/units, see seeds.py) and the corpus
# earlier runs grew (BUILDDIR/tests/fuzz/corpus/NAME, kept). A crash, a
# leak, a failed check or a 10 s input fails the run; the input is saved
# as BUILDDIR/tests/fuzz/artifacts/NAME-crash-... (rerun it with
# BUILDDIR/tests/fuzz/fuzz_NAME FILE).
#
# usage: tests/fuzz/run.sh BUILDDIR NAME|all [SECONDS [LIBFUZZER-ARG...]]
#   NAME: unit value exec spec envfile settings proto notify devlog madeup sockaddr tmpfiles fstab syscall
#   state;
#   SECONDS: 20.
# meson test --suite fuzz runs each for 20 s (tests/fuzz/meson.build).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
NAMES="unit value exec spec envfile settings proto notify devlog madeup sockaddr tmpfiles fstab syscall state"

[ $# -ge 2 ] || {
	echo "usage: $0 BUILDDIR NAME|all [SECONDS [LIBFUZZER-ARG...]]" >&2
	exit 2
}
build=$(cd "$1" && pwd)
name=$2
seconds=${3:-20}
if [ $# -ge 3 ]; then shift 3; else shift 2; fi

if [ "$name" = all ]; then
	for n in $NAMES; do
		"$0" "$build" "$n" "$seconds" "$@" || exit 1
	done
	exit 0
fi

exe=$build/tests/fuzz/fuzz_$name
[ -x "$exe" ] || {
	echo "$0: $exe missing: build with CC=clang and -Dfuzz=true" >&2
	exit 2
}
work=$build/tests/fuzz
corpus=$work/corpus/$name
derived=$work/seeds/$name
mkdir -p "$corpus" "$derived" "$work/artifacts"
python3 "$here/seeds.py" "$name" "$derived" "$top/units" "$top/../shared/units"
dirs="$corpus $derived"
[ -d "$here/seeds/$name" ] && dirs="$dirs $here/seeds/$name"

# Exit codes: 1 for any finding (libFuzzer's 77 would read as a skip to
# meson); no prompts, no fork server, nothing written in the source tree.
# shellcheck disable=SC2086 # the directory list is split on purpose
exec "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 -timeout_exitcode=1 -print_final_stats=1 \
	-artifact_prefix="$work/artifacts/$name-" "$@" $dirs </dev/null
