#!/bin/sh
# Interactive: builds the VM test's image from BUILD_DIR's svd and boots it
# under qemu with the serial console on this terminal, at the login prompt
# (root, no password). `svctl poweroff` ends it; so does Ctrl-A X, and
# qemu's system_powerdown (its monitor: Ctrl-A C). A second disk (NVMe,
# ext4 labelled svd-data) is mounted on /data by the image's /etc/fstab,
# with a tmpfs on /scratch, a bind on /srv/www and a third disk as swap.
#   tests/vm/boot.sh BUILD_DIR [busybox|debian]
set -eu
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [debian|busybox]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
image=$1/vm-initramfs.cpio
disk=$1/vm-data.img swap=$1/vm-swap.img
python3 "$here/mkimage.py" "$1" "$image" --getty "${2:-debian}" \
	--data-disk "$disk" --swap-disk "$swap" --power-button
kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | tail -n 1)
[ -n "$kernel" ] || { echo "$0: no /boot/vmlinuz-*-cloud-amd64: packaging/deps.sh --vm" >&2; exit 1; }
exec python3 "$here/driver.py" --interactive --disk "$disk" --disk "$swap" \
	"$kernel" "$image"
