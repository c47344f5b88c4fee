#!/bin/sh
# Installs what svd needs to build and test, if anything is missing.
# Debian 12 package names; non-interactive, so CI and scripts never prompt.
#   packaging/deps.sh          what the build and the test suite need
#   packaging/deps.sh --live   the daemons tests/integration/test_debian.sh
#                              runs from their own unit files (LIVE_PACKAGES);
#                              none of them is started by the install
#   packaging/deps.sh --live-wide  the wider, opt-in list that
#                              LIVE_WIDE=1 adds to that test
#                              (LIVE_WIDE_PACKAGES), with the clients its
#                              probes use; the same no-start policy
#   packaging/deps.sh --vm     qemu, Debian's cloud kernel and busybox for
#                              the boot test in tests/vm (VM_PACKAGES)
set -eu

# systemd only for systemd-notify, and redis-tools for a real Type=notify
# daemon (its redis-check-rdb is the server binary): the sd_notify tests.
# Neither starts a service when installed.
# mandoc lints the man pages (the docs suite; groff -ww where it is
# missing). debhelper (with dpkg-dev) and lintian for packaging/build-deb.sh
# and its test (tests/packaging). libseccomp-dev: SystemCallFilter= and the
# other system call keys are compiled with libseccomp.
PACKAGES="meson ninja-build pkg-config gcc libev-dev libinih-dev libcap-dev
libseccomp-dev libsystemd-dev check python3 procps util-linux valgrind
systemd redis-tools mandoc dpkg-dev debhelper lintian"
# Where clang is installed (tests/run.sh then builds with it), its libFuzzer
# and sanitizer runtimes too, for the tests/fuzz harnesses (-Dfuzz=true).
command -v clang >/dev/null 2>&1 && PACKAGES="$PACKAGES libclang-rt-dev"

# The live test's daemons, and iproute2 for its loopback.
LIVE_PACKAGES="chrony knot rsyslog haproxy memcached etcd-server
openssh-server redis-server nginx iproute2"

# LIVE_WIDE=1's daemons, and the clients its probes ask them with:
# bind9-dnsutils (dig), libfcgi-bin (cgi-fcgi), mosquitto-clients, snmp.
# dns-root-data is only a Recommends of unbound, yet its shipped
# configuration fails to start without the root key it holds.
LIVE_WIDE_PACKAGES="mariadb-server postgresql php8.2-fpm unbound dns-root-data dnsmasq
nsd cron mosquitto snmpd memcached uwsgi-emperor exim4 squid beanstalkd
acpid redis-server iproute2 bind9-dnsutils libfcgi-bin mosquitto-clients
snmp"

# The VM test's machine (TCG, no KVM needed), the kernel it boots and the
# image's tools (busybox-static: its login too); agetty is util-linux's,
# installed above. The kernel package's hooks only write /boot; nothing
# here starts a service, but the same policy stands.
VM_PACKAGES="qemu-system-x86 linux-image-cloud-amd64 busybox-static"

live=
case ${1:-} in
--live) live=1; PACKAGES=$LIVE_PACKAGES ;;
--live-wide) live=1; PACKAGES=$LIVE_WIDE_PACKAGES ;;
--vm) live=1; PACKAGES=$VM_PACKAGES ;;
"") ;;
*) echo "usage: $0 [--live | --live-wide | --vm]" >&2; exit 2 ;;
esac

missing=
n=0
for pkg in $PACKAGES; do
	n=$((n + 1))
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $pkg"
done
if [ -z "$missing" ]; then
	echo "deps.sh: the $n packages needed are installed"
	exit 0
fi

echo "deps.sh: installing$missing (apt-get, no prompts)"
SUDO=
[ "$(id -u)" = 0 ] || SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
# apt-get's own lines show what it fetches and sets up; -q keeps one line
# an item rather than a progress bar redrawn in place.
$SUDO apt-get update -q

# A daemon's package starts it on install unless policy-rc.d (which
# invoke-rc.d and deb-systemd-invoke ask) says no: the live daemons must
# never run on the host, only in the test's namespaces. Where there is no
# policy-rc.d, one that refuses every action stands for the install and
# goes afterwards; one already there is the host's and stays as it is.
POLICY=/usr/sbin/policy-rc.d
ours=
if [ -n "$live" ] && ! [ -e "$POLICY" ]; then
	trap '$SUDO rm -f "$POLICY"' EXIT
	trap 'exit 1' HUP INT TERM
	printf '#!/bin/sh\n# packaging/deps.sh --live/--vm: no service starts during the install\nexit 101\n' |
		$SUDO tee "$POLICY" >/dev/null
	$SUDO chmod 755 "$POLICY"
	ours=1
fi

# A changed conffile keeps the admin's version rather than asking.
APT_OPTS="-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold"
# shellcheck disable=SC2086 # word splitting of the options is intended
if ! $SUDO apt-get install $APT_OPTS $missing </dev/null; then
	[ -n "$live" ] || exit 1
	# One package that cannot be had must not cost the others: the live
	# test skips the daemons whose package is missing, and says so.
	for pkg in $missing; do
		# shellcheck disable=SC2086
		$SUDO apt-get install $APT_OPTS "$pkg" </dev/null ||
			echo "deps.sh: could not install $pkg" >&2
	done
fi
[ -z "$ours" ] || { $SUDO rm -f "$POLICY"; trap - EXIT; }
echo "deps.sh: installed$missing"
exit 0
