#!/usr/bin/env bash
# The VM cgroup test: as tests/integration/test_vm.sh, a real kernel under
# qemu boots an initramfs with this build's svd as /sbin/init;
# tests/vm/test_vm_cgroup.py checks that svd mounts cgroup2 there and that
# the limits take effect with the kernel's controllers: MemoryMax= (a
# service OOM-killed, Result=oom-kill, the console transcript in this
# test's log), TasksMax= (fork refused, pids.max, pids.current), the
# figures of `svctl status`. Plain build only; skips where qemu or the
# kernel is missing or cannot run.
set -u

if [ "${SVD_SANITIZE:-0}" = 1 ]; then
	echo "skip: the VM test runs in the plain build only"
	exit 77
fi
root=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
build=$(cd "$(dirname "$SVD")/.." && pwd)
"$root/packaging/deps.sh" --vm ||
	echo "warning: packaging/deps.sh --vm failed; the test skips what is missing"

exec python3 "$root/tests/vm/test_vm_cgroup.py" "$build"
