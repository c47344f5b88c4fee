#!/usr/bin/env python3
"""Builds the VM test's initramfs from this machine's own files.

    tests/vm/mkimage.py BUILD_DIR OUT.cpio [--getty debian|busybox]
                        [--no-getty] [--extra-unit FILE]...
                        [--data-disk DISK.img] [--swap-disk SWAP.img]
                        [--power-button]

The image: svd as /sbin/init and svctl from BUILD_DIR, busybox-static for
the tools (and for busybox init's /etc/inittab, which bench/boot_time.sh
boots instead), util-linux's agetty, busybox's login (Debian's login needs
PAM, which an image this small has not), the shared libraries of every
dynamically linked program (ldd), a minimal /etc where root has no
password, and svd's units in /etc/svd/units: Debian's serial-getty@.service
copied unmodified from the host (--getty debian, the default) or a busybox
getty unit of ours (--getty busybox), a oneshot and a service that
crashes once and is restarted.

--data-disk also writes DISK.img, an ext4 filesystem labelled svd-data
(mkfs.ext4 -d, no root needed) for the VM's second disk, and an
/etc/fstab that mounts it on /data by its label, a tmpfs on /scratch and
a read-only bind of /data/www on /srv/www, with a unit that needs
/srv/www (RequiresMountsFor=). Without it, /etc/fstab has no entries.

--swap-disk writes SWAP.img, a swap area (mkswap) for the disk attached
after the data disk (/dev/nvme1n1), and its fstab line.

--power-button adds the kernel's ACPI button and evdev modules (with a
oneshot that insmods them) when the host has them, so that qemu's
system_powerdown reaches svd as a power key press.

The archive is written in the kernel's "newc" cpio format by this script,
so that it holds root-owned files and /dev/console without root or cpio
on the host; it is not compressed (the kernel unpacks it faster than it
would inflate it under TCG).
"""
import argparse
import os
import shutil
import stat
import subprocess
import sys

DEBIAN_GETTY = "/lib/systemd/system/serial-getty@.service"
BUSYBOX = "/bin/busybox"


class Cpio:
    """A newc archive written entry by entry."""

    def __init__(self, path):
        self.f = open(path, "wb")
        self.ino = 1
        self.names = set()

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        name = name.lstrip("/")
        if name in self.names:
            return
        self.names.add(name)
        encoded = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, 1, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(encoded), 0]
        self.ino += 1
        header = b"070701" + b"".join(b"%08X" % v for v in fields)
        self.f.write(header + encoded)
        self._pad()
        self.f.write(data)
        self._pad()

    def _pad(self):
        self.f.write(b"\0" * (-self.f.tell() % 4))

    def dir(self, name, mode=0o755):
        self._entry(name, stat.S_IFDIR | mode)

    def file(self, name, data, mode=0o644):
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, mode=0o600):
        self._entry(name, stat.S_IFCHR | mode, rdev=(major, minor))

    def close(self):
        self._entry("TRAILER!!!", 0)
        self.f.close()


def libraries(programs):
    """The shared objects that ldd names for programs (none for static)."""
    libs = set()
    for prog in programs:
        out = subprocess.run(["ldd", prog], capture_output=True, text=True)
        for line in out.stdout.splitlines():
            words = line.split()
            for w in words:
                if w.startswith("/"):
                    libs.add(w)
    return sorted(libs)


def add_parents(img, path):
    parts = path.strip("/").split("/")[:-1]
    for i in range(1, len(parts) + 1):
        img.dir("/".join(parts[:i]))


def add_host_file(img, src, dst=None, mode=None):
    dst = dst or src
    add_parents(img, dst)
    real = os.path.realpath(src)
    with open(real, "rb") as f:
        data = f.read()
    img.file(dst, data, mode if mode is not None else
             stat.S_IMODE(os.stat(real).st_mode))


UNITS = {
    "hello.service": """[Unit]
Description=A oneshot that says hello at boot

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/echo hello from a svd oneshot
""",
    "crashonce.service": """[Unit]
Description=Crashes on its first start, then runs

[Service]
ExecStart=/bin/sh -c 'if [ -e /run/crashed ]; then exec sleep 100000; fi; touch /run/crashed; exit 3'
Restart=on-failure
RestartSec=200ms
""",
    "busybox-getty.service": """[Unit]
Description=busybox getty on the serial console

[Service]
ExecStart=/sbin/getty -L 115200 ttyS0 vt100
Restart=always
""",
}

ETC = {
    "etc/passwd": "root:x:0:0:root:/root:/bin/sh\n",
    "etc/group": "root:x:0:\ntty:x:5:\n",
    "etc/shadow": "root::19000:0:99999:7:::\n",
    "etc/hostname": "svd-vm\n",
    "etc/fstab": "# <file system> <mount point> <type> <options> <dump> <pass>\n",
    "etc/profile": "export PATH=/sbin:/bin:/usr/sbin:/usr/bin\n",
    "etc/shells": "/bin/sh\n",
    # busybox init, for bench/boot_time.sh: the same boot as the units
    # (API filesystems as svd mounts them, hostname, the oneshot, the
    # crash-once service, a getty on ttyS0).
    "etc/inittab": """::sysinit:/bin/mount -t proc proc /proc
::sysinit:/bin/mount -t sysfs sysfs /sys
::sysinit:/bin/mount -t devtmpfs devtmpfs /dev
::sysinit:/bin/mkdir -p /dev/pts /dev/shm
::sysinit:/bin/mount -t devpts -o mode=0620,ptmxmode=0666,gid=5 devpts /dev/pts
::sysinit:/bin/mount -t tmpfs tmpfs /dev/shm
::sysinit:/bin/mount -t tmpfs -o mode=0755 tmpfs /run
::sysinit:/bin/hostname -F /etc/hostname
::sysinit:/bin/echo hello from a busybox oneshot
::respawn:/bin/sh -c 'if [ -e /run/crashed ]; then exec sleep 100000; fi; touch /run/crashed; exit 3'
ttyS0::respawn:/sbin/agetty -o '-p -- \\u' --keep-baud 115200,57600,38400,9600 ttyS0 vt220
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
""",
}


DATA_LABEL = "svd-data"
DATA_FSTAB = """LABEL=%s /data ext4 noatime 0 2
tmpfs /scratch tmpfs size=4m,mode=1777,nosuid,nodev 0 0
/data/www /srv/www none bind,ro 0 0
""" % DATA_LABEL
# The swap disk is the second NVMe controller qemu is given (driver.py
# attaches disks in order); no udev, so no /dev/disk/by-* to name it by.
SWAP_FSTAB = "/dev/nvme1n1 none swap sw,pri=5 0 0\n"


def make_swap_disk(path):
    """A swap area (mkswap) on a 4 MiB image."""
    with open(path, "wb") as f:
        f.truncate(4 * 1024 * 1024)
    subprocess.run(["mkswap", "-q", "-L", "svd-swap", path], check=True,
                   stdout=subprocess.DEVNULL)
DATA_UNIT = """[Unit]
Description=Reads a file of the data disk through the bind mount
RequiresMountsFor=/srv/www

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/cat /srv/www/index.txt
"""


def make_data_disk(path):
    """An ext4 image with www/index.txt, made as an ordinary user."""
    import tempfile
    with tempfile.TemporaryDirectory() as tree:
        os.mkdir(os.path.join(tree, "www"))
        with open(os.path.join(tree, "www", "index.txt"), "w") as f:
            f.write("served from the data disk\n")
        with open(path, "wb") as f:
            f.truncate(16 * 1024 * 1024)
        subprocess.run(["mkfs.ext4", "-q", "-F", "-L", DATA_LABEL,
                        "-E", "root_owner=0:0", "-d", tree, path],
                       check=True)


# Drivers that udev would load on a Debian system and that the cloud
# kernel has as modules: the ACPI power button and evdev, which make
# qemu's system_powerdown a KEY_POWER press svd sees (PowerKey=).
MODULES = ("kernel/drivers/input/evdev.ko", "kernel/drivers/acpi/button.ko")


def kernel_version():
    """The release of the newest cloud kernel in /boot, or None."""
    import glob
    found = sorted(glob.glob("/boot/vmlinuz-*-cloud-amd64"))
    return found[-1].split("vmlinuz-", 1)[1] if found else None


def add_modules(img, units, version):
    """The power button's modules and a oneshot that loads them (no
    dependencies between them: modules.dep lists none)."""
    paths = ["/lib/modules/%s/%s" % (version, m) for m in MODULES]
    if not version or not all(os.path.exists(p) for p in paths):
        return
    for p in paths:
        add_host_file(img, p)
    units["power-button.service"] = """[Unit]
Description=Loads the ACPI button and evdev drivers (what udev would)

[Service]
Type=oneshot
RemainAfterExit=yes
""" + "".join("ExecStart=/sbin/insmod %s\n" % p for p in paths)


def build(args):
    svd = os.path.join(args.build, "daemon", "svd")
    svctl = os.path.join(args.build, "ctl", "svctl")
    agetty = shutil.which("agetty", path="/sbin:/usr/sbin") or "/sbin/agetty"
    for need in (svd, svctl, BUSYBOX, agetty):
        if not os.access(need, os.X_OK):
            sys.exit("mkimage: %s: not there or not executable" % need)
    if args.getty == "debian" and not os.path.exists(DEBIAN_GETTY):
        sys.exit("mkimage: %s: not there (package systemd)" % DEBIAN_GETTY)

    img = Cpio(args.out)
    for d in ("bin", "sbin", "usr", "usr/bin", "usr/sbin", "lib", "lib64",
              "dev", "proc", "sys", "run", "tmp", "root", "var", "var/log",
              "var/lib", "etc", "etc/svd", "etc/svd/units", "srv"):
        img.dir(d, 0o1777 if d == "tmp" else 0o755)
    img.symlink("var/run", "/run")
    # The kernel opens /dev/console for init's stdio before anything
    # mounts devtmpfs: the node must be in the archive.
    img.chardev("dev/console", 5, 1)

    add_host_file(img, svd, "sbin/svd")
    img.symlink("sbin/init", "/sbin/svd")
    add_host_file(img, svctl, "bin/svctl")
    add_host_file(img, agetty, "sbin/agetty")
    add_host_file(img, BUSYBOX, "bin/busybox")
    for lib in libraries([svd, svctl, agetty]):
        add_host_file(img, lib)
    applets = subprocess.run([BUSYBOX, "--list-full"], capture_output=True,
                             text=True, check=True).stdout.split()
    for applet in applets:
        # busybox init stays reachable as /bin/init for the benchmark.
        name = "bin/init" if applet == "sbin/init" else applet
        add_parents(img, name)
        img.symlink(name, "/bin/busybox")

    etc = dict(ETC)
    units = dict(UNITS)
    if args.data_disk:
        make_data_disk(args.data_disk)
        etc["etc/fstab"] += DATA_FSTAB
        units["data-reader.service"] = DATA_UNIT
    if args.swap_disk:
        make_swap_disk(args.swap_disk)
        etc["etc/fstab"] += SWAP_FSTAB
        img.dir("data")
        img.dir("scratch", 0o755)
        img.dir("srv/www")
    if args.power_button:
        add_modules(img, units, args.kernel_version or kernel_version())
    for name, text in etc.items():
        img.file(name, text.encode(), 0o600 if name == "etc/shadow" else 0o644)
    if args.getty != "busybox":
        del units["busybox-getty.service"]
    for name, text in units.items():
        img.file("etc/svd/units/" + name, text.encode())
    if args.getty == "debian":
        add_host_file(img, DEBIAN_GETTY, "etc/svd/units/serial-getty@.service",
                      0o644)
        # The unit file stays as Debian ships it, BindsTo=dev-%i.device
        # included: svd's device units are met once devtmpfs has the node.
        # As `systemctl enable serial-getty@ttyS0` would link it.
        img.dir("etc/svd/units/getty.target.wants")
        img.symlink("etc/svd/units/getty.target.wants/serial-getty@ttyS0.service",
                    "../serial-getty@.service")
    for extra in args.extra_unit:
        add_host_file(img, extra, "etc/svd/units/" + os.path.basename(extra),
                      0o644)
    for extra in args.extra_file:
        host, _, inside = extra.partition(":")
        add_parents(img, inside)
        add_host_file(img, host, inside)
        if os.access(host, os.X_OK):
            for lib in libraries([host]):
                add_host_file(img, lib)
    img.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("build", help="meson build directory with daemon/svd")
    p.add_argument("out", help="the initramfs to write (newc cpio)")
    p.add_argument("--getty", choices=("debian", "busybox", "none"),
                   default="debian")
    p.add_argument("--extra-unit", action="append", default=[])
    p.add_argument("--extra-file", action="append", default=[],
                   metavar="HOST:PATH", help="a host file (with its "
                   "libraries, if executable) at PATH in the image")
    p.add_argument("--swap-disk", help="write a swap image for a third "
                   "disk (after --data-disk's) and its fstab line")
    p.add_argument("--power-button", action="store_true",
                   help="add the ACPI button and evdev modules and a unit "
                   "that loads them")
    p.add_argument("--kernel-version", help="whose modules go in "
                   "(default: the newest /boot/vmlinuz-*-cloud-amd64)")
    p.add_argument("--data-disk", help="write an ext4 image for a second "
                   "disk and an fstab that mounts it")
    build(p.parse_args())


if __name__ == "__main__":
    main()
