#!/bin/sh
# Quick start 1: installs what is missing, builds, and runs svd in the
# foreground on the example units in this directory, with its socket,
# state and logs in a temporary directory. Ctrl-C stops svd and its
# services.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/packaging/deps.sh"
"$top/packaging/build.sh" "$top/build"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/svd-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# Services' lines on this terminal too, besides the files in $tmp/log.
printf '[Log]\nConsole=yes\n' >"$tmp/svd.conf"
cat <<EOT
svd is starting on $top/units (Ctrl-C to stop it). In another terminal:

  export SVD_SOCKET=$tmp/control.sock
  $top/build/ctl/svctl list
  $top/build/ctl/svctl status flaky
  $top/build/ctl/svctl logs -f ticker
  $top/build/ctl/svctl start greeter@world
  $top/build/ctl/svctl stop ticker

EOT
"$top/build/daemon/svd" -u "$top/units" -s "$tmp/control.sock" \
	-S "$tmp/state" -L "$tmp/log" -c "$tmp/svd.conf" || true
