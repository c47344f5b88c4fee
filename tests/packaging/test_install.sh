#!/usr/bin/env bash
# meson install into a temporary DESTDIR: the programs, man pages,
# completions, svd.service naming svd where this build installs it, the
# commented svd.conf and the example units (under the docdir only).
set -eu
fail() { echo "FAIL: $*"; exit 1; }
dest=$(mktemp -d "${TMPDIR:-/tmp}/svd-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
DESTDIR=$dest meson install -C "$BUILD_ROOT" --no-rebuild --quiet >"$dest.log" 2>&1 ||
	{ cat "$dest.log"; rm -f "$dest.log"; fail "meson install failed"; }
rm -f "$dest.log"
prefix=$(meson introspect --buildoptions "$BUILD_ROOT" |
	python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
files=$(cd "$dest" && find . -type f -o -type l | sed 's|^\./|/|' | sort)
want() {
	printf '%s\n' "$files" | grep -qx -- "$1" || fail "not installed: $1 (installed: $(printf '%s ' "$files"))"
}
want "$SBINDIR/svd"
want "$prefix/bin/svctl"
for page in man1/svctl.1 man5/svd.conf.5 man5/svd.unit.5 man8/svd.8; do
	want "$prefix/share/man/$page"
done
want "$prefix/share/bash-completion/completions/svctl"
want "$prefix/share/bash-completion/completions/svd"
service="$prefix/lib/systemd/system/svd.service"
want "$service"
grep -qx "ExecStart=$SBINDIR/svd" "$dest$service" ||
	fail "svd.service: $(grep ExecStart "$dest$service"), expected ExecStart=$SBINDIR/svd"
printf '%s\n' "$files" | grep -q '/svd/svd\.conf$' || fail "no svd.conf installed"
conf=$(printf '%s\n' "$files" | grep '/etc/svd/svd\.conf$' | head -n 1)
[ -n "$conf" ] || fail "svd.conf not installed under a sysconfdir"
cmp -s "$dest$conf" "$SOURCE_ROOT/packaging/svd.conf" || fail "$conf is not packaging/svd.conf"
for unit in "$SOURCE_ROOT"/units/*.service; do
	want "$prefix/share/doc/svd/examples/units/$(basename "$unit")"
done
# Never into a unit directory: svd would start them.
! printf '%s\n' "$files" | grep -q '/svd/units/' || fail "example units in a unit directory"
echo "ok: $(printf '%s\n' "$files" | wc -l) files installed where expected"
