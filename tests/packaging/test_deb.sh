#!/usr/bin/env bash
# packaging/build-deb.sh builds the .deb from a copy of the tree (which
# stays as it was), lintian has nothing to say that debian/ does not
# explain (build-deb.sh fails otherwise), and the package holds what
# svd needs.
set -eu
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "skip: $*"; exit 77; }
[ "${SVD_SANITIZE:-0}" != 1 ] || skip "the .deb is built in the plain build only"
for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip "$tool not installed (packaging/deps.sh installs dpkg-dev, debhelper and lintian)"
done
out=$(mktemp -d "${TMPDIR:-/tmp}/svd-deb-test.XXXXXX")
trap 'rm -rf "$out"' EXIT
cd "$SOURCE_ROOT"
in_git=
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	in_git=1
	before=$(git status --porcelain)
fi

# The unit suites already ran in this build: the package's own run of
# them is skipped (nocheck).
packaging/build-deb.sh "$out" --nocheck || fail "packaging/build-deb.sh failed"

if [ -n "$in_git" ]; then
	after=$(git status --porcelain)
	[ "$before" = "$after" ] || fail "the build changed the tree: $after"
fi
deb=$(ls "$out"/svd_*.deb)
list=$(dpkg -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
want() {
	printf '%s\n' "$list" | grep -qx -- "$1" || fail "not in the .deb: $1"
}
want /usr/sbin/svd
want /usr/bin/svctl
for page in man1/svctl.1 man5/svd.conf.5 man5/svd.unit.5 man8/svd.8; do
	want "/usr/share/man/$page.gz"
done
want /usr/share/bash-completion/completions/svctl
want /usr/share/bash-completion/completions/svd
want /lib/systemd/system/svd.service
want /etc/svd/svd.conf
want /etc/svd/units/
want /usr/share/doc/svd/examples/svd.conf
# The documents the man pages point to.
want /usr/share/doc/svd/units.md.gz
want /usr/share/doc/svd/reexec.md.gz
for unit in units/*.service; do
	want "/usr/share/doc/svd/examples/$unit"
done
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./lib/systemd/system/svd.service |
	grep -qx 'ExecStart=/usr/sbin/svd' || fail "svd.service does not start /usr/sbin/svd"
dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles | grep -qx /etc/svd/svd.conf ||
	fail "/etc/svd/svd.conf is not a conffile"
echo "ok: $(basename "$deb"), $(printf '%s\n' "$list" | wc -l) entries, lintian clean"
