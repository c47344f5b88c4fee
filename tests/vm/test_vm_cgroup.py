#!/usr/bin/env python3
"""The VM cgroup test (tests/integration/test_vm_cgroup.sh runs it): boots
the image of tests/vm/mkimage.py with two more units under qemu and checks
that svd as init mounts cgroup2 and that resource limits take effect with
a real kernel's controllers, also for svd in a container with a cgroup
namespace of its own. Exit 0 passed, 1 failed, 77 skipped.

    test_vm_cgroup.py BUILD_DIR [--keep]    (--keep: leave the work directory)

The console transcript of the OOM kill (svd's and the kernel's messages
and what svctl printed) is copied into this test's output.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import Timeout  # noqa: E402
from test_vm import (BOOT_TIMEOUT, STEP_TIMEOUT, build_image,  # noqa: E402
                     check, finish, first_boot, wait_for_run)

CG = "/sys/fs/cgroup"

# Doubling a string in busybox sh: 32M is passed after about 21 rounds.
HOG = """[Unit]
Description=Allocates far more than its MemoryMax=

[Service]
ExecStart=/bin/sh -c 'x=0123456789abcdef; while :; do x=$x$x; done'
MemoryMax=32M
MemorySwapMax=0
"""

# The inner shell forks sleeps until the pids controller refuses (busybox
# sh then exits); the outer one says so and stays as a sleep, so the
# service keeps running with what the limit let through.
FORKER = """[Unit]
Description=Forks more children than its TasksMax=

[Service]
ExecStart=/bin/sh -c 'sh -c "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 100000 & done; wait"; echo forker: inner shell ended with $?; exec sleep 100000'
TasksMax=5
MemoryMax=64M
"""


def run_check(vm, name, command, pattern):
    out, rc = vm.run(command, STEP_TIMEOUT)
    return check(name, re.search(pattern, out) is not None,
                 "$ %s\n%s[exit %d]" % (command, out, rc)), out


def cgroup_checks(vm):
    vm.expect(r"svd: info: cgroup2 at /sys/fs/cgroup: one cgroup per "
              r"service; resource controllers:[a-z ]*memory", BOOT_TIMEOUT)
    check("svd finds it with the memory controller", True)
    vm.login(timeout=BOOT_TIMEOUT)
    run_check(vm, "svd mounted cgroup2 on /sys/fs/cgroup with nsdelegate",
              "grep ' /sys/fs/cgroup ' /proc/mounts",
              r"^cgroup2 /sys/fs/cgroup cgroup2 \S*nsdelegate")
    for what in ("memory", "pids", "cpu"):
        run_check(vm, "svd.slice hands %s on" % what,
                  "cat %s/svd.slice/cgroup.subtree_control" % CG,
                  r"(^|\s)%s(\s|$)" % what)
    run_check(vm, "svd (PID 1) is in the root cgroup or svd.scope",
              "cat /proc/1/cgroup", r"^0::/(svd\.scope)?\n")

    # TasksMax=5: the kernel refuses the sixth task.
    unit = CG + "/svd.slice/forker.service"
    out, ok = wait_for_run(vm, "svctl status forker",
                           r"inner shell ended with")
    check("forker: a fork failed in the service", ok and
          re.search(r"can't fork", out) is not None, out)
    run_check(vm, "forker: pids.max holds TasksMax=", "cat %s/pids.max" % unit,
              r"^5\n")
    out, _ = vm.run("cat %s/pids.current" % unit)
    check("forker: pids.current <= 5", out.strip().isdigit() and
          1 <= int(out) <= 5, out)
    run_check(vm, "forker: pids.events counts the refusals",
              "cat %s/pids.events" % unit, r"max [1-9]")
    run_check(vm, "forker: memory.max holds MemoryMax=",
              "cat %s/memory.max" % unit, r"^67108864\n")
    run_check(vm, "forker: status shows the controllers' figures",
              "svctl status forker",
              r"Active: active \(running\)[\s\S]*Tasks: [1-5]\b[\s\S]*"
              r"Memory: \d")

    # MemoryMax=32M: the kernel kills the hog; svd says why it failed.
    out, ok = wait_for_run(vm, "svctl show hog -p Result", r"Result=oom-kill")
    check("hog: OOM-killed at boot", ok, out)
    # The console from here on: the commands, what they printed, and the
    # kernel's and svd's messages in between.
    start = vm.pos
    commands = {}
    plain_run = vm.run

    def logged_run(command, timeout=STEP_TIMEOUT):
        commands[vm.marker + 1] = command
        return plain_run(command, timeout)
    vm.run = logged_run
    vm.run("dmesg -n 7")    # the kernel's OOM report on the console too
    run_check(vm, "hog: a second start is OOM-killed too",
              "svctl start hog; svctl show hog -p ActiveState",
              r"ActiveState=(active|activating|deactivating|failed)")
    out, ok = wait_for_run(vm, "svctl show hog -p ActiveState",
                           r"ActiveState=failed")
    check("hog: failed again", ok, out)
    run_check(vm, "hog: show says Result=oom-kill",
              "svctl show hog -p Result", r"^Result=oom-kill\n")
    ok, out = run_check(vm, "hog: status says oom-kill and why",
                        "svctl status hog",
                        r"Active: failed \(Result: oom-kill\)[\s\S]*"
                        r"killed by the OOM killer")
    check("hog: its log has both OOM kills",
          len(re.findall(r"running -> stop-sigterm: a process was killed "
                         r"by the OOM killer", out)) >= 2, out)
    run_check(vm, "hog: the kernel killed it in the service's cgroup",
              "dmesg | grep -E 'oom-kill:|Memory cgroup out of memory'",
              r"oom_memcg=/svd\.slice/hog\.service")
    vm.run = plain_run
    text = vm.buf[start:vm.pos].decode(errors="replace")
    # The shell does not echo: each command goes before its output.
    first = min(commands)
    text = "$ " + commands[first] + "\n" + text
    return re.sub(r"\nSVDEND(\d+):(\d+)\n", lambda m: "[exit %s]\n%s" % (
        m.group(2), ("$ " + commands[int(m.group(1)) + 1] + "\n")
        if int(m.group(1)) + 1 in commands else ""), text)


# A container started as runtimes start one: its first process in a
# cgroup of its own, then cgroup and mount namespaces with cgroup2 mounted
# afresh (so the container's "/" is that cgroup), then svd -- COMMAND with
# a side service that outgrows its MemoryMax=. busybox's unshare has no
# -C: util-linux's is in the image as /sbin/unshare-util-linux.
CONTAINER = """mkdir -p /sys/fs/cgroup/ctr /run/ctr/units
printf '%s\\n' '[Service]' \\
    "ExecStart=/bin/sh -c 'x=0123456789abcdef; while :; do x=\\$x\\$x; done'" \\
    MemoryMax=16M MemorySwapMax=0 > /run/ctr/units/cthog.service
echo $$ > /sys/fs/cgroup/ctr/cgroup.procs
exec /sbin/unshare-util-linux -C -m /bin/sh -c 'umount -l /sys/fs/cgroup &&
    mount -t cgroup2 cgroup2 /sys/fs/cgroup &&
    exec svd -u /run/ctr/units -s /run/ctr/sock -S /run/ctr/state -- /bin/sh /ctr-main.sh'
"""

# The container's command: waits (bounded) for the side service's OOM
# kill, says what svd in the container shows, and exits 7.
CONTAINER_MAIN = """i=0
until svctl -s /run/ctr/sock show cthog -p Result | grep -q oom-kill; do
    i=$((i + 1))
    [ $i -lt 600 ] || { echo "ctr: no oom-kill"; exit 1; }
    sleep 0.1
done
svctl -s /run/ctr/sock show cthog -p Result
echo "ctr: svd is in $(cat /proc/$PPID/cgroup)"
exit 7
"""


def container_checks(vm):
    vm.run("dmesg -n 1")    # no kernel report in the middle of the output
    out, rc = vm.run("sh /ctr.sh", 120)
    check("container: its command's exit status (7)", rc == 7,
          "%s[exit %d]" % (out, rc))
    check("container: the side service OOM-killed by its own MemoryMax=",
          "Result=oom-kill" in out, out)
    run_check(vm, "container: the kernel killed it in the container's "
              "service cgroup", "dmesg | grep oom-kill:",
              r"oom_memcg=/ctr/svd\.slice/cthog\.service")
    check("container: svd stepped aside into /svd.scope of the namespace",
          "ctr: svd is in 0::/svd.scope" in out, out)
    out, _ = vm.run("cat %s/ctr/cgroup.procs; ls %s/ctr" % (CG, CG))
    check("container: no process and no svd.slice left in its cgroup",
          not re.search(r"^\d+$", out, re.M) and "svd.slice" not in out, out)


def extra_units(work):
    """hog and forker written in work, and the container's scripts with
    util-linux's unshare, as mkimage.py's arguments."""
    extra = []
    for name, text in (("hog.service", HOG), ("forker.service", FORKER)):
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        extra += ["--extra-unit", path]
    for name, text in (("ctr.sh", CONTAINER), ("ctr-main.sh", CONTAINER_MAIN)):
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        extra += ["--extra-file", "%s:%s" % (path, name)]
    extra += ["--extra-file", "/usr/bin/unshare:sbin/unshare-util-linux"]
    return extra


def main():
    build = sys.argv[1]
    keep = "--keep" in sys.argv
    kernel, work, image = build_image(build, "svd-vm-cgroup.", extra_units)
    vm = first_boot(kernel, image, work)
    try:
        try:
            transcript = cgroup_checks(vm)
            container_checks(vm)
            print("--- transcript of the OOM kill (console, "
                  "escape sequences removed) ---")
            print(transcript.rstrip())
            print("--- end of transcript ---")
            vm.send("svctl poweroff\n")
            vm.expect(r"reboot: Power down", STEP_TIMEOUT)
            check("svctl poweroff", vm.wait_exit(STEP_TIMEOUT) == 0)
        except Timeout as e:
            check("the boot went through", False, str(e))
    finally:
        vm.close()
        print("console transcript: %s" % vm.transcript_path)
    finish(work, keep)


if __name__ == "__main__":
    main()
