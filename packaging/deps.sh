#!/bin/sh
# Installs what svd needs to build and test, if anything is missing.
# Debian 12 package names; non-interactive, so CI and scripts never prompt.
set -eu

# systemd only for systemd-notify, and redis-tools for a real Type=notify
# daemon (its redis-check-rdb is the server binary): the sd_notify tests.
# Neither starts a service when installed.
# mandoc lints the man pages (the docs suite; groff -ww where it is
# missing).
PACKAGES="meson ninja-build pkg-config gcc libev-dev libinih-dev libcap-dev
libsystemd-dev check python3 procps util-linux valgrind systemd redis-tools
mandoc"
# Where clang is installed (tests/run.sh then builds with it), its libFuzzer
# and sanitizer runtimes too, for the tests/fuzz harnesses (-Dfuzz=true).
command -v clang >/dev/null 2>&1 && PACKAGES="$PACKAGES libclang-rt-dev"

missing=
for pkg in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

echo "installing:$missing" >&2
SUDO=
[ "$(id -u)" = 0 ] || SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the list is intended
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
