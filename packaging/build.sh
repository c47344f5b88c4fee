#!/bin/sh
# Configures (or reconfigures) and builds one build directory, saying what
# it does: meson's findings (compiler, dependencies, options) and ninja's
# progress, summarised; the whole output of a step that fails.
# usage: packaging/build.sh DIR [MESON OPTIONS...]
set -eu
dir=$1
shift
cd "$(dirname "$0")/.."
log=$(mktemp "${TMPDIR:-/tmp}/svd-build.XXXXXX")
trap 'rm -f "$log" "$log.status"' EXIT
trap 'exit 1' HUP INT TERM
start=$(date +%s)

if [ -f "$dir/build.ninja" ]; then
	echo "== configuring $dir again (meson setup --reconfigure${*:+ $*})"
	set -- --reconfigure "$dir" "$@"
else
	echo "== configuring $dir (meson setup${*:+ $*})"
	set -- "$dir" "$@"
fi
if ! meson setup "$@" >"$log" 2>&1; then
	cat "$log"
	echo "build.sh: meson setup failed (above); $dir/meson-logs/meson-log.txt has the details" >&2
	exit 1
fi
# What was found and chosen, not the whole listing.
grep -E '^(C compiler for|Run-time dependency|Library|Program .* found: NO|Has header|Checking for function|Build targets in project|WARNING|Message:)' "$log" |
	grep -vE '^(Has header|Checking for function).*: YES' | sed 's/^/   /' || true

echo "== building $dir (ninja)"
# ninja prints a line a step ([N/TOTAL] ...); a line per tenth of the
# steps is enough to see it move. Anything else (a warning, an error) is
# shown whole. ninja's status goes through a file: sh has no pipefail.
{ NINJA_STATUS='[%f/%t] ' ninja -C "$dir" 2>&1; echo $? >"$log.status"; } |
	awk '
	/^\[[0-9]+\/[0-9]+\] / {
		split(substr($1, 2, length($1) - 2), a, "/")
		done = a[1] + 0; total = a[2] + 0
		if (done * 10 >= shown * total || done == total) {
			printf "   [%d/%d] %s\n", done, total, $NF
			while (shown * total <= done * 10) shown++
		}
		next
	}
	/^ninja: Entering directory/ { next }
	{ print "   " $0 }'
status=$(cat "$log.status")
if [ "$status" != 0 ]; then
	echo "build.sh: ninja failed in $dir (above)" >&2
	exit "$status"
fi
echo "== $dir built in $(($(date +%s) - start)) s"
