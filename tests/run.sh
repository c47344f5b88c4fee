#!/bin/sh
# Quick start 2: installs what is missing, builds, and runs the whole test
# suite twice: a plain build with warnings as errors, and a build with
# AddressSanitizer and UndefinedBehaviorSanitizer; with clang, the fuzz
# harnesses for 20 s each. .ci/run calls this, with no stdin: nothing
# here asks a question. Each phase says what it does; the last line says
# what happened and what to do next.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
start=$(date +%s)
if command -v clang >/dev/null 2>&1; then phases=5; else phases=3; fi
phase=0
say() {
	phase=$((phase + 1))
	echo
	echo "=== [$phase/$phases] $*"
}

say "installing what is missing (packaging/deps.sh)"
packaging/deps.sh

status=0
# The live, VM, .deb and container-image tests run in the plain build;
# they skip themselves in the sanitize one.
for variant in plain sanitize; do
	dir=build-test-$variant
	opts="-Dwerror=true"
	[ "$variant" = sanitize ] && opts="$opts -Dsanitize=true -Db_lundef=false"
	say "$variant build in $dir: configure, build, run every test"
	# shellcheck disable=SC2086
	if packaging/build.sh "$dir" $opts; then
		echo "== testing $dir (meson test: a line per test as it ends)"
		meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
	else
		status=1
	fi
done

# Warnings clean with clang too: build only (the tests ran above). Then
# the libFuzzer harnesses, each for a short fixed time with its seeds
# (suite fuzz; tests/fuzz/run.sh runs one longer).
if command -v clang >/dev/null 2>&1; then
	say "clang build in build-test-clang (warnings as errors; not tested again)"
	CC=clang packaging/build.sh build-test-clang -Dwerror=true || status=1
	say "fuzz build in build-test-fuzz: each harness for 20 s"
	if CC=clang packaging/build.sh build-test-fuzz -Dfuzz=true -Dtests=false \
		-Dwerror=true -Db_lundef=false; then
		meson test -C build-test-fuzz --suite fuzz --print-errorlogs \
			--num-processes 2 || status=1
	else
		status=1
	fi
else
	echo
	echo "=== clang not installed: the clang and fuzz builds are skipped"
fi

# One closing line for the whole run, over every build's test log.
summary=$(python3 - build-test-*/meson-logs/testlog.json <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
failed = []
for path in sys.argv[1:]:
    build = path.split("/")[0]
    for line in open(path):
        t = json.loads(line)
        r = t["result"]
        if r in ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS"):
            counts["FAIL"] += 1
            failed.append("%s:%s" % (build, t["name"]))
        elif r in counts:
            counts[r] += 1
print("%d passed, %d failed, %d skipped" % (counts["OK"], counts["FAIL"], counts["SKIP"]))
print(" ".join(failed[:10]) + (" ..." if len(failed) > 10 else ""))
PY
) || summary="no test log
"
counts=$(printf '%s\n' "$summary" | sed -n 1p)
failed=$(printf '%s\n' "$summary" | sed -n 2p)
took=$(( ($(date +%s) - start + 30) / 60 ))
echo
if [ "$status" = 0 ]; then
	echo "tests/run.sh: all good in $took min: $counts (a skip says why in build-test-*/meson-logs/testlog.txt). Next: units/demo.sh runs svd on the example units."
else
	echo "tests/run.sh: FAILED in $took min: $counts${failed:+; failed: $failed}. Next: meson test -C build-test-plain NAME --print-errorlogs runs one again; build-test-*/meson-logs/testlog.txt has every log."
fi
exit "$status"
