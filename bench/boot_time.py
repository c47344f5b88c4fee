#!/usr/bin/env python3
"""Boot and power-off time of svd against busybox init, in one run.

    python3 bench/boot_time.py BUILD_DIR [RUNS=5]

Both boot the same initramfs (tests/vm/mkimage.py: Debian's cloud kernel
under qemu, TCG) and do the same work: the API filesystems, the hostname,
a oneshot, a service that crashes once, agetty on ttyS0. svd runs its
units (Debian's serial-getty@.service among them); busybox init
(rdinit=/bin/init) runs the image's /etc/inittab. Per boot, on the host's
clock, reading the console:

  init-to-prompt   from the kernel's "Run ... as init process" line to
                   the login prompt (what the init does);
  start-to-prompt  from qemu's start to the login prompt;
  poweroff         from `poweroff` typed at the shell (busybox's applet:
                   SIGUSR2 to PID 1, which both inits take as power-off)
                   to qemu's exit.

Rounds alternate between the two inits; medians are printed.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "vm"))
from driver import VM, find_kernel  # noqa: E402

INITS = {"svd": "rdinit=/sbin/init", "busybox": "rdinit=/bin/init"}


def one_boot(kernel, image, work, which):
    vm = VM(kernel, image, work, append=INITS[which])
    # The kernel's cmdline has rdinit= twice; the last one counts.
    t0 = time.monotonic()  # qemu starts as the with-block is entered
    with vm:
        vm.expect(r"Run /\S+ as init process", 120)
        t_init = time.monotonic()
        vm.expect(r"login: ", 120)
        t_prompt = time.monotonic()
        # Under busybox init, a name typed at once is sometimes lost
        # (agetty gets a new prompt): typed again, up to 3 times.
        for _ in range(3):
            vm.send("root\n")
            if vm.expect(r"# |login: ", 60).group(0) == b"# ":
                break
        t_off = time.monotonic()
        vm.send("poweroff\n")
        vm.wait_exit(60)
        t_exit = time.monotonic()
    return t_prompt - t_init, t_prompt - t0, t_exit - t_off


def main():
    build = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    kernel = find_kernel()
    if not kernel:
        sys.exit("no /boot/vmlinuz-*-cloud-amd64: packaging/deps.sh --vm")
    work = tempfile.mkdtemp(prefix="svd-boot-bench.")
    image = os.path.join(work, "initramfs.cpio")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", "tests", "vm", "mkimage.py"),
        build, image], check=True)
    results = {name: [] for name in INITS}
    for _ in range(runs):
        for name in INITS:
            results[name].append(one_boot(kernel, image, work, name))
    print("%d boots each, medians in seconds (TCG, %s)" %
          (runs, os.path.basename(kernel)))
    print("%-8s %15s %16s %9s" % ("init", "init-to-prompt", "start-to-prompt",
                                  "poweroff"))
    for name, rows in results.items():
        cols = [statistics.median(r[i] for r in rows) for i in range(3)]
        print("%-8s %15.2f %16.2f %9.2f" % (name, *cols))


if __name__ == "__main__":
    main()
