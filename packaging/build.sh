#!/bin/sh
# Configures (or reconfigures) and builds one build directory.
# usage: packaging/build.sh DIR [MESON OPTIONS...]
set -eu
dir=$1
shift
cd "$(dirname "$0")/.."
if [ -f "$dir/build.ninja" ]; then
	meson setup --reconfigure "$dir" "$@" >/dev/null
else
	meson setup "$dir" "$@" >/dev/null
fi
ninja -C "$dir" >/dev/null
