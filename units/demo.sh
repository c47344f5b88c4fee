#!/bin/sh
# Quick start 1: installs what is missing, builds, and runs svd in the
# foreground on the example units in this directory, with its socket,
# state and logs in a temporary directory. Ctrl-C stops svd and its
# services. Each phase says what it does; the last line what happened.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
echo "=== [1/3] installing what is missing (packaging/deps.sh)"
"$top/packaging/deps.sh"
echo
echo "=== [2/3] building in $top/build (packaging/build.sh)"
"$top/packaging/build.sh" "$top/build"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/svd-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
# Services' lines on this terminal too, besides the files in $tmp/log.
printf '[Log]\nConsole=yes\n' >"$tmp/svd.conf"
svctl=$top/build/ctl/svctl
cat <<EOT

=== [3/3] svd is starting on $top/units (Ctrl-C to stop it). In another terminal:

  export SVD_SOCKET=$tmp/control.sock
  $svctl list
  $svctl status web         # python3's http.server on 127.0.0.1:8901
  $svctl monitor            # every state change, as it happens
  $svctl logs -f ticker
  $svctl start greeter@world
  $svctl restart web
  $svctl stop ticker

EOT
status=0
# Ctrl-C reaches svd (which stops its services) and this shell, which
# waits for svd to be done and then says so.
trap : INT TERM
"$top/build/daemon/svd" -u "$top/units" -s "$tmp/control.sock" \
	-S "$tmp/state" -L "$tmp/log" -c "$tmp/svd.conf" || status=$?
echo
echo "units/demo.sh: svd stopped (exit $status) and its services with it; its temporary directory $tmp is removed. Next: README.md 'Using it', or tests/run.sh to run the tests."
