# Shared by the benchmarks that run svd with and without a cgroup tree
# of its own (restart_gap.sh, idle_wakeups.sh): sourced after $tmp is
# made. Sets pid (svd's, once started) and cg, and removes both at exit.
pid=
cg=
bench_cleanup() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" || true; }
	[ -z "$cg" ] || find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
	rm -rf "$tmp"
}
trap bench_cleanup EXIT

# A writable cgroup2 for svd's tree, if this machine has one: cg, or
# empty.
for m in /sys/fs/cgroup /sys/fs/cgroup/unified; do
	[ "$(stat -f -c %T "$m" 2>/dev/null)" = cgroup2fs ] || continue
	mkdir "$m/svd-bench-$$" 2>/dev/null && cg=$m/svd-bench-$$
	break
done
