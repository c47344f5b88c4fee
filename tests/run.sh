#!/bin/sh
# Quick start 2: installs what is missing, builds, and runs the whole test
# suite twice: a plain build with warnings as errors, and a build with
# AddressSanitizer and UndefinedBehaviorSanitizer; with clang, the fuzz
# harnesses for 20 s each. .ci/run calls this.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/packaging/deps.sh"
cd "$top"

status=0
# The live test (tests/integration/test_debian.sh: packages, real daemons)
# runs in the plain build; it skips itself in the sanitize one.
for variant in plain sanitize; do
	dir=build-test-$variant
	opts="-Dwerror=true"
	[ "$variant" = sanitize ] && opts="$opts -Dsanitize=true -Db_lundef=false"
	echo "== $variant build"
	# shellcheck disable=SC2086
	packaging/build.sh "$dir" $opts
	meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
done

# Warnings clean with clang too: build only (the tests ran above). Then
# the libFuzzer harnesses, each for a short fixed time with its seeds
# (suite fuzz; tests/fuzz/run.sh runs one longer).
if command -v clang >/dev/null 2>&1; then
	echo "== clang build"
	CC=clang packaging/build.sh build-test-clang -Dwerror=true || status=1
	echo "== fuzz build: each harness for 20 s"
	if CC=clang packaging/build.sh build-test-fuzz -Dfuzz=true -Dtests=false \
		-Dwerror=true -Db_lundef=false; then
		meson test -C build-test-fuzz --suite fuzz --print-errorlogs \
			--num-processes 2 || status=1
	else
		status=1
	fi
else
	echo "== clang not installed: clang and fuzz builds skipped"
fi

# One closing line for the whole run, over every build.
passed=$(cat build-test-*/meson-logs/testlog.json | grep -c '"result": "OK"' || true)
failed=$(cat build-test-*/meson-logs/testlog.json | grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' || true)
skipped=$(cat build-test-*/meson-logs/testlog.json | grep -c '"result": "SKIP"' || true)
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
