#!/usr/bin/env python3
"""The VM test (tests/integration/test_vm.sh runs it): boots the image of
tests/vm/mkimage.py three times under qemu and checks, from the serial
console, what a board user sees. Exit 0 passed, 1 failed, 77 skipped.

    test_vm.py BUILD_DIR [--keep]    (--keep: leave the work directory)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import VM, Timeout, find_kernel, find_qemu  # noqa: E402

# Bounds: a TCG boot to the login prompt takes about 3 s on 2 cores; every
# wait is far above that so that a loaded CI machine does not fail it.
BOOT_TIMEOUT = 120
STEP_TIMEOUT = 60

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s - %s%s" % ("ok" if ok else "not ok", name,
                         "" if ok or not detail else "\n" + detail))
    sys.stdout.flush()
    return ok


def skip(why):
    print("skip: " + why)
    sys.exit(77)


def wait_for_run(vm, command, pattern, timeout=STEP_TIMEOUT):
    """Runs command until its output matches pattern (a bounded poll: the
    state it waits on is in the guest); returns the last output."""
    deadline = time.monotonic() + timeout
    while True:
        out, _ = vm.run(command)
        if re.search(pattern, out):
            return out, True
        if time.monotonic() > deadline:
            return out, False
        vm.run("sleep 0.2")


def boot_checks(vm):
    """The first boot: messages, PID 1, the units, a login, a logout."""
    for what, rx in (("svd mounts the API filesystems",
                      r"svd: info: mounted proc on /proc"),
                     ("svd sets the hostname", r"svd: info: hostname svd-vm"),
                     ("svd mounts fstab's entries",
                      r"svd: info: fstab: 3 mounted, 1 swaps on, 0 failed"),
                     ("svd says it started",
                      r"svd: info: svd \S+: \d+ units, control socket"),
                     ("the oneshot ran", r"hello from a svd oneshot"),
                     ("a login prompt on ttyS0", r"svd-vm login: ")):
        try:
            vm.expect(rx, BOOT_TIMEOUT)
            check(what, True)
        except Timeout as e:
            check(what, False, str(e))
            raise
    vm.pos = 0
    vm.login(timeout=STEP_TIMEOUT)
    check("logged in as root", True)
    out, _ = vm.run("readlink /proc/1/exe")
    check("svd is PID 1", out.strip() == "/sbin/svd", out)
    out, rc = vm.run("svctl list")
    check("svctl list", rc == 0 and re.search(
        r"hello\.service +loaded +active +exited", out) is not None, out)
    out, rc = vm.run("svctl status hello")
    check("svctl status hello", rc == 0 and "hello from a svd oneshot" in out,
          out)
    out, ok = wait_for_run(vm, "svctl status crashonce",
                           r"Active: active \(running\)[\s\S]*Restarts: 1")
    check("the crash-once service is restarted and runs", ok, out)
    out, rc = vm.run("svctl status serial-getty@ttyS0")
    check("Debian's serial-getty@ttyS0.service runs", rc == 0 and
          "active (running)" in out, out)
    fstab_checks(vm)
    out, rc = vm.run("tty; ps -o pid,tty,comm | grep -w sh")
    check("the shell has ttyS0", rc == 0 and "/dev/ttyS0" in out, out)
    # A logout ends the service's main process (agetty became login and
    # then this shell): Restart=always gives a new prompt.
    vm.send("exit\n")
    try:
        vm.login(timeout=STEP_TIMEOUT)
        check("a logout gives a new login prompt", True)
    except Timeout as e:
        check("a logout gives a new login prompt", False, str(e))
        raise
    out, rc = vm.run("svctl status serial-getty@ttyS0")
    check("the getty was restarted", rc == 0 and
          re.search(r"Restarts: [1-9]", out) is not None, out)


def fstab_checks(vm):
    """The image's /etc/fstab (mkimage.py --data-disk): the second disk
    by its label, a tmpfs, a read-only bind, and a unit that needs the
    bind's path and ran once it was there."""
    out, rc = vm.run("cat /proc/mounts")
    for what, rx in (("the data disk is mounted by its label",
                      r"^/dev/nvme0n1 /data ext4 rw,noatime[ ,]"),
                     ("the tmpfs is mounted with its options",
                      r"^tmpfs /scratch tmpfs rw,nosuid,nodev,.*size=4096k"),
                     ("the bind is mounted read-only",
                      r"^/dev/nvme0n1 /srv/www ext4 ro[ ,]")):
        check(what, rc == 0 and re.search(rx, out, re.M) is not None, out)
    out, rc = vm.run("cat /proc/swaps")
    check("the swap is on with its priority", rc == 0 and re.search(
        r"^/dev/nvme1n1\s+partition\s+\d+\s+\d+\s+5$", out, re.M)
        is not None, out)
    out, rc = vm.run("svctl status data-reader")
    check("a unit with RequiresMountsFor= ran on the mounted disk",
          rc == 0 and "active (exited)" in out and
          "served from the data disk" in out, out)
    out, rc = vm.run("svctl status srv-www.mount")
    check("the bind's .mount unit is active", rc == 0 and
          "active" in out, out)


def power_button_checks(vm):
    """qemu's system_powerdown (the ACPI power button) powers off: svd
    watches the button's evdev node once power-button.service has loaded
    its drivers."""
    try:
        vm.expect(r"svd: info: power key: /dev/input/event\d+ "
                  r"\(Power Button\)", BOOT_TIMEOUT)
        vm.login(timeout=STEP_TIMEOUT)
        vm.powerdown()
        for rx in (r"svd: info: power key pressed",
                   r"svd: info: shutting down for poweroff",
                   r"svd: info: all services stopped",
                   r"svd: info: unmounted /data", r"reboot: Power down"):
            vm.expect(rx, STEP_TIMEOUT)
        check("the ACPI power button powers off", vm.wait_exit(STEP_TIMEOUT) == 0)
    except Timeout as e:
        check("the ACPI power button powers off", False, str(e))


def build_image(build, prefix, mkimage_args):
    """Skips (77) where the VM cannot run; else the kernel, a new work
    directory and the image mkimage.py made in it with the arguments
    mkimage_args(work) gives."""
    kernel = find_kernel()
    if not find_qemu():
        skip("qemu-system-x86_64 is not installed (packaging/deps.sh --vm)")
    if not kernel or not os.access(kernel, os.R_OK):
        skip("no readable /boot/vmlinuz-*-cloud-amd64 "
             "(package linux-image-cloud-amd64; packaging/deps.sh --vm)")
    if not os.access("/bin/busybox", os.X_OK):
        skip("/bin/busybox is not installed (package busybox-static)")
    work = tempfile.mkdtemp(prefix=prefix)
    image = os.path.join(work, "initramfs.cpio")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "mkimage.py"), build, image] +
        mkimage_args(work), check=True)
    return kernel, work, image


def first_boot(kernel, image, work, disks=()):
    """The first VM, or a skip (77) where qemu cannot boot the kernel
    here: its first words on the console say so."""
    vm = VM(kernel, image, work, disks=disks).start()
    try:
        vm.expect(r"Linux version", 30)
    except Timeout as e:
        vm.close()
        skip("qemu cannot boot the kernel here:\n" + str(e))
    return vm


def finish(work, keep):
    """The summary line and the exit status; the work directory goes
    unless asked to stay or something failed."""
    if not keep and all(results):
        shutil.rmtree(work, ignore_errors=True)
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    sys.exit(0 if results and all(results) else 1)


def main():
    build = sys.argv[1]
    keep = "--keep" in sys.argv
    kernel, work, image = build_image(build, "svd-vm.", lambda work: [
        "--getty", os.environ.get("SVD_VM_GETTY", "debian"),
        "--data-disk", os.path.join(work, "data.img"),
        "--swap-disk", os.path.join(work, "swap.img"), "--power-button"])
    disks = [os.path.join(work, "data.img"), os.path.join(work, "swap.img")]
    vm = first_boot(kernel, image, work, disks)
    try:
        try:
            boot_checks(vm)
        except Timeout as e:
            check("the first boot went through", False, str(e))
        vm.sendkey("ctrl-alt-delete")
        try:
            vm.expect(r"svd: info: all services stopped", STEP_TIMEOUT)
            vm.expect(r"reboot: Restarting system", STEP_TIMEOUT)
            check("Ctrl-Alt-Del reboots", vm.wait_exit(STEP_TIMEOUT) == 0)
        except Timeout as e:
            check("Ctrl-Alt-Del reboots", False, str(e))
        vm.close()

        for command, last, what in (
                ("svctl poweroff", r"reboot: Power down", "svctl poweroff"),
                ("svctl reboot", r"reboot: Restarting system",
                 "svctl reboot")):
            with VM(kernel, image, work, disks=disks) as vm:
                try:
                    vm.login(timeout=BOOT_TIMEOUT)
                    vm.send(command + "\n")
                    # In order: the services stop, then the filesystems
                    # (fstab's in reverse: the bind before the disk under
                    # it), then the kernel's last word.
                    for rx in (r"svd: info: shutting down.*stopping all "
                               r"services", r"svd: info: all services stopped",
                               r"svd: info: swap off on /dev/nvme1n1",
                               r"svd: info: \S+: syncing and unmounting",
                               r"svd: info: unmounted /srv/www",
                               r"svd: info: unmounted /scratch",
                               r"svd: info: unmounted /data",
                               r"svd: info: remounted / read-only", last):
                        vm.expect(rx, STEP_TIMEOUT)
                    check(what, vm.wait_exit(STEP_TIMEOUT) == 0)
                except Timeout as e:
                    check(what, False, str(e))
        with VM(kernel, image, work, disks=disks) as vm:
            power_button_checks(vm)
    finally:
        vm.close()
        print("console transcript: %s" % vm.transcript_path)
    finish(work, keep)


if __name__ == "__main__":
    main()
