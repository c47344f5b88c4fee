#!/usr/bin/env bash
# packaging/Containerfile builds an image with podman, docker or buildah,
# whichever is installed and works, and in it svd runs a command as PID 1
# and exits with its status. Skips, saying why, where none can build or
# the base image cannot be had (no network).
set -eu
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "skip: $*"; exit 77; }
[ "${SVD_SANITIZE:-0}" != 1 ] || skip "the image is built in the plain build only"
tool=
why=
for t in podman docker buildah; do
	command -v "$t" >/dev/null 2>&1 || continue
	# A client without its daemon (docker) or without the privileges it
	# needs is installed but cannot build.
	if out=$(timeout 60 "$t" info 2>&1 </dev/null); then
		tool=$t
		break
	fi
	why="$why; $t is installed but '$t info' fails: $(printf '%s' "$out" | tail -n 1)"
done
[ -n "$tool" ] || skip "no container tool can build here (podman, docker, buildah)${why:+$why}"
base=$(sed -n 's/^FROM \([^ ]*\) AS build$/\1/p' "$SOURCE_ROOT/packaging/Containerfile")
timeout 600 "$tool" pull "$base" </dev/null >/dev/null 2>&1 ||
	skip "$tool cannot pull $base (no network or registry?)"

tag=localhost/svd-test:$$
trap '"$tool" rmi -f "$tag" >/dev/null 2>&1 || true' EXIT
echo "building with $tool"
if [ "$tool" = buildah ]; then
	buildah bud -f "$SOURCE_ROOT/packaging/Containerfile" -t "$tag" "$SOURCE_ROOT" </dev/null
	exit 0	# buildah builds; it does not run containers
fi
"$tool" build -f "$SOURCE_ROOT/packaging/Containerfile" -t "$tag" "$SOURCE_ROOT" </dev/null ||
	fail "$tool build failed"
# Container mode: the command's status is the container's.
status=0
"$tool" run --rm "$tag" /bin/sh -c 'exit 7' </dev/null || status=$?
[ "$status" = 7 ] || fail "svd -- sh -c 'exit 7' exited $status"
version=$("$tool" run --rm --entrypoint /usr/bin/svctl "$tag" --version </dev/null) ||
	fail "svctl --version in the image failed"
echo "ok: $tool built the image; $version; a command's status comes out"
