#!/usr/bin/env python3
"""Boots the VM test's image under qemu and drives its serial console.

As a library:

    from driver import VM, find_kernel, run_commands
    with VM(kernel, initrd, workdir) as vm:
        vm.expect(r"login: ")
        vm.login()
        out, rc = vm.run("svctl list")
        vm.sendkey("ctrl-alt-delete")
        vm.wait_exit()

or run_commands(kernel, initrd, ["cmd", ...]) -> [(output, status), ...]
which boots, logs in as root, runs each command and powers off.

As a program (tests/vm/run.sh calls it):

    driver.py boot KERNEL INITRD [--interactive]

Every wait has a deadline: expect() raises Timeout with the console's last
lines, so a test that hangs says where. The console is the guest's first
serial port on qemu's stdio (a pipe here); QMP on a Unix socket in workdir
sends keys and power-down requests. qemu runs with -no-reboot, so a guest
reboot ends qemu as a power-off does; the kernel's last line tells which.
"""
import ctypes
import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


class Timeout(Exception):
    pass


def _die_with_parent():
    """In qemu's child before exec: a test killed at its timeout must
    not leave a VM running (PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


def find_kernel():
    """Debian's cloud kernel, newest first; None when there is none."""
    found = sorted(glob.glob("/boot/vmlinuz-*-cloud-amd64"))
    return found[-1] if found else None


def find_qemu():
    for d in os.environ.get("PATH", "/usr/bin").split(":"):
        p = os.path.join(d, "qemu-system-x86_64")
        if os.access(p, os.X_OK):
            return p
    return None


class VM:
    """One boot of the image: qemu with the console on a pipe."""

    def __init__(self, kernel, initrd, workdir, append="", memory_mb=256,
                 accel=None, transcript=None, disks=()):
        self.kernel, self.initrd, self.workdir = kernel, initrd, workdir
        self.disks = disks
        self.append = append
        self.memory_mb = memory_mb
        self.accel = accel or os.environ.get("SVD_VM_ACCEL", "tcg")
        self.qmp_path = os.path.join(workdir, "qmp.sock")
        self.transcript_path = transcript or os.path.join(workdir,
                                                          "console.log")
        self.buf = b""
        self.pos = 0           # expect() searches from here on
        self.cond = threading.Condition()
        self.eof = False
        self.proc = None
        self.qmp = None
        self.marker = 0
        self.transcript = None

    def command_line(self, interactive=False):
        # printk.devkmsg=on: by default the kernel drops a /dev/kmsg
        # writer's lines past ten in five seconds (systemd's too), and
        # svd's boot writes more than that; the tests read them all.
        cmd = [find_qemu() or "qemu-system-x86_64",
               "-accel", self.accel, "-m", str(self.memory_mb), "-smp", "1",
               "-display", "none", "-no-reboot",
               "-kernel", self.kernel, "-initrd", self.initrd,
               "-append", ("console=ttyS0 rdinit=/sbin/init panic=-1 "
                           "printk.devkmsg=on " +
                           self.append).strip(),
               "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path]
        # NVMe: the cloud kernel has its driver built in, where virtio-blk
        # is a module that nothing in the image would load (no udev).
        for i, disk in enumerate(self.disks):
            cmd += ["-drive", "file=%s,if=none,format=raw,id=disk%d" %
                    (disk, i), "-device", "nvme,drive=disk%d,serial=svd%d" %
                    (i, i)]
        if interactive:
            cmd += ["-serial", "mon:stdio"]
        else:
            cmd += ["-monitor", "none", "-chardev",
                    "stdio,id=ser0,signal=off", "-serial", "chardev:ser0"]
        return cmd

    def start(self):
        self.transcript = open(self.transcript_path, "ab")
        self.proc = subprocess.Popen(self.command_line(),
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     preexec_fn=_die_with_parent)
        self.started = time.monotonic()
        threading.Thread(target=self._reader, daemon=True).start()
        return self

    def _reader(self):
        fd = self.proc.stdout.fileno()
        pending = b""
        while True:
            data = os.read(fd, 4096)
            with self.cond:
                if not data:
                    self.buf += pending
                    self.eof = True
                    self.cond.notify_all()
                    return
                if self.transcript:     # None once closed
                    self.transcript.write(data)
                    self.transcript.flush()
                data = pending + data.replace(b"\r", b"")
                # An escape sequence cut by the read waits for its end.
                cut = data.rfind(b"\x1b")
                pending = b""
                if 0 <= cut >= len(data) - 8 and not ANSI.match(data, cut):
                    data, pending = data[:cut], data[cut:]
                self.buf += ANSI.sub(b"", data)
                self.cond.notify_all()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.qmp:
            self.qmp.close()
        with self.cond:
            if getattr(self, "transcript", None):
                self.transcript.close()
            self.transcript = None

    def tail(self, n=15):
        lines = self.buf.decode(errors="replace").split("\n")
        return "\n".join(lines[-n:])

    def expect(self, pattern, timeout=60):
        """Waits for pattern (a regex) after what the last expect() matched
        (escape sequences taken out); returns the match."""
        rx = re.compile(pattern.encode() if isinstance(pattern, str)
                        else pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = rx.search(self.buf, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    raise Timeout("%s: %r not seen within %d s; console "
                                  "ends with:\n%s" %
                                  ("qemu exited" if self.eof else "timeout",
                                   pattern, timeout, self.tail()))
                self.cond.wait(left)

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def login(self, user="root", timeout=60):
        """Logs in at the next login prompt. root has no password in the
        image: a password typed as soon as "Password:" shows can be lost
        to login's own terminal setup, which would make the test flaky."""
        self.expect(r"login: ", timeout)
        self.send(user + "\n")
        self.expect(r"# ", timeout)
        # No echo, no prompt: what run() reads is what the command wrote.
        self.run("stty -echo -onlcr cols 200; PS1=", timeout)

    def run(self, command, timeout=60):
        """Runs command in the logged-in shell; (output, exit status)."""
        self.marker += 1
        tag = "SVDEND%d" % self.marker
        # The marker is printed split in two, so the echoed command line
        # never matches it.
        self.send("%s; printf '\\n%%s%%s:%%d\\n' SVD END%d $?\n" %
                  (command, self.marker))
        start = self.pos
        m = self.expect(r"\n%s:(\d+)\n" % tag, timeout)
        text = self.buf[start:self.pos].decode(errors="replace")
        text = text[:text.rfind("\n" + tag)]
        # The echoed command line, when the tty echoes, comes first.
        first, _, rest = text.partition("\n")
        if "printf '\\n%s%s" in first:
            text = rest
        return text, int(m.group(1))

    def qmp_command(self, name, **arguments):
        if not self.qmp:
            deadline = time.monotonic() + 10
            while True:
                try:
                    self.qmp = socket.socket(socket.AF_UNIX)
                    self.qmp.connect(self.qmp_path)
                    break
                except OSError:
                    self.qmp.close()
                    self.qmp = None
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            self.qmp.settimeout(10)
            self.qmp_file = self.qmp.makefile("rw")
            self.qmp_file.readline()                 # the greeting
            self._qmp_send("qmp_capabilities")
        return self._qmp_send(name, **arguments)

    def _qmp_send(self, name, **arguments):
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        self.qmp_file.write(json.dumps(msg) + "\n")
        self.qmp_file.flush()
        while True:
            reply = json.loads(self.qmp_file.readline())
            if "return" in reply or "error" in reply:
                if "error" in reply:
                    raise RuntimeError("qmp %s: %s" % (name, reply["error"]))
                return reply["return"]

    def sendkey(self, keys):
        """keys as qemu's monitor spells them: "ctrl-alt-delete"."""
        self.qmp_command("send-key", keys=[{"type": "qcode", "data": k}
                                           for k in keys.split("-")])

    def powerdown(self):
        """ACPI power button (the guest needs a handler for it)."""
        self.qmp_command("system_powerdown")

    def wait_exit(self, timeout=60):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Timeout("qemu still running after %d s; console ends "
                          "with:\n%s" % (timeout, self.tail()))


def run_commands(kernel, initrd, commands, workdir=None, timeout=60,
                 append=""):
    """Boots, logs in as root, runs each command, powers off.
    Returns [(output, exit status), ...] in the order of commands."""
    import tempfile
    workdir = workdir or tempfile.mkdtemp(prefix="svd-vm.")
    results = []
    with VM(kernel, initrd, workdir, append=append) as vm:
        vm.login(timeout=timeout)
        for c in commands:
            results.append(vm.run(c, timeout))
        vm.send("svctl poweroff\n")
        vm.expect(r"reboot: Power down", timeout)
        vm.wait_exit(timeout)
    return results


def interactive(kernel, initrd, workdir, disks=()):
    vm = VM(kernel, initrd, workdir, disks=disks)
    print("svd VM: log in as root (no password); `svctl poweroff` powers "
          "off, Ctrl-A X quits qemu", file=sys.stderr)
    os.execvp(vm.command_line(True)[0], vm.command_line(True))


def main():
    import argparse
    import tempfile
    p = argparse.ArgumentParser()
    p.add_argument("kernel")
    p.add_argument("initrd")
    p.add_argument("--interactive", action="store_true")
    p.add_argument("--disk", action="append", default=[],
                   help="a raw disk image for the guest (NVMe)")
    p.add_argument("commands", nargs="*")
    a = p.parse_args()
    workdir = tempfile.mkdtemp(prefix="svd-vm.")
    if a.interactive:
        interactive(a.kernel, a.initrd, workdir, a.disk)
    for out, rc in run_commands(a.kernel, a.initrd, a.commands, workdir):
        sys.stdout.write(out)
        print("[exit %d]" % rc)


if __name__ == "__main__":
    main()
