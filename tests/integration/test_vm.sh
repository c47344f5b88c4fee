#!/usr/bin/env bash
# The VM test: a real kernel (Debian's linux-image-cloud-amd64) boots, under
# qemu-system-x86_64 with TCG, an initramfs whose /sbin/init is the svd of
# this build (tests/vm/mkimage.py builds it from this machine's packages);
# tests/vm/test_vm.py drives the serial console: boot messages, svd as
# PID 1, a login through Debian's unmodified serial-getty@.service, svctl
# list/status, a crash-once service restarted, a logout and a new login
# prompt, /etc/fstab's mounts (an ext4 disk by label, a tmpfs, a bind, a
# swap disk) and a unit that needs them, Ctrl-Alt-Del (a reboot), `svctl
# poweroff` (unmounting in reverse), `svctl reboot` and qemu's
# system_powerdown (the ACPI power button).
# Nothing of it touches the host: the guest is a process of the test's.
#
# It installs qemu, the kernel and busybox-static first
# (packaging/deps.sh --vm); it runs in the plain build only (the sanitize
# build's svd would need its runtime in the image) and skips, saying why,
# where qemu or the kernel is missing or cannot run.
set -u

if [ "${SVD_SANITIZE:-0}" = 1 ]; then
	echo "skip: the VM test runs in the plain build only"
	exit 77
fi
root=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
build=$(cd "$(dirname "$SVD")/.." && pwd)
"$root/packaging/deps.sh" --vm ||
	echo "warning: packaging/deps.sh --vm failed; the test skips what is missing"

exec python3 "$root/tests/vm/test_vm.py" "$build"
