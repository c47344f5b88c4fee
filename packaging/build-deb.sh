#!/bin/sh
# Builds the Debian package (binary only, unsigned) from this source tree
# into OUTDIR, leaving the tree as it was: the build runs in a temporary
# copy of the files git knows (tracked, and untracked but not ignored),
# with debian/ a copy of packaging/debian.
#   usage: packaging/build-deb.sh OUTDIR [--nocheck]
# --nocheck skips the unit suites that debian/rules runs (DEB_BUILD_OPTIONS
# nocheck). Needs dpkg-dev and debhelper (packaging/deps.sh installs
# them); lintian, when installed, checks the result.
set -eu
usage() { echo "usage: $0 OUTDIR [--nocheck]" >&2; exit 2; }
[ $# -ge 1 ] || usage
out=$1
shift
opts=${DEB_BUILD_OPTIONS:-}
for arg; do
	case $arg in
	--nocheck) opts="$opts nocheck" ;;
	*) usage ;;
	esac
done
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
for tool in dpkg-buildpackage dh; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "build-deb.sh: $tool not found: run packaging/deps.sh" >&2
		exit 1
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/svd-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
src=$tmp/svd-$(sed -n '1s/^svd (\([^)]*\)).*/\1/p' "$top/packaging/debian/changelog")
mkdir "$src"
echo "== build-deb.sh: copying the source tree to $src"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# What git would commit, as it is in the work tree now.
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		(cd "$top" && xargs -0 cp --parents -P -t "$src" 2>/dev/null) || true
	# Files git knows but that were deleted in the work tree fail cp,
	# which is why its errors are dropped; check that the copy is whole.
	if ! [ -f "$src/meson.build" ] || ! [ -f "$src/packaging/debian/rules" ]; then
		echo "build-deb.sh: copying the tree failed" >&2
		exit 1
	fi
else
	(cd "$top" && tar -cf - --exclude='./build*' --exclude=./.git .) |
		(cd "$src" && tar -xf -)
fi
cp -R "$src/packaging/debian" "$src/debian"

echo "== build-deb.sh: dpkg-buildpackage -us -uc -b${opts:+ (DEB_BUILD_OPTIONS=$opts)}"
(cd "$src" && DEB_BUILD_OPTIONS=$opts dpkg-buildpackage -us -uc -b) </dev/null

found=
deb=
for f in "$tmp"/*.deb "$tmp"/*.buildinfo "$tmp"/*.changes; do
	[ -e "$f" ] || continue
	cp "$f" "$out/"
	found="$found $(basename "$f")"
	case $f in */svd_*.deb) deb=$out/$(basename "$f") ;; esac
done
case $found in
*.deb*) ;;
*) echo "build-deb.sh: dpkg-buildpackage made no .deb" >&2; exit 1 ;;
esac
echo "== build-deb.sh: in $out:$found"
if command -v lintian >/dev/null 2>&1; then
	echo "== build-deb.sh: lintian"
	# Every tag, the informational, pedantic and experimental ones too,
	# fails the build unless debian/svd.lintian-overrides explains it.
	lintian --info --display-info --display-experimental --pedantic \
		--fail-on error,warning,info,pedantic,experimental \
		"$out"/svd_*.changes || {
		echo "build-deb.sh: lintian found problems (above)" >&2
		exit 1
	}
fi
echo "build-deb.sh: done; install with: sudo apt install $deb"
