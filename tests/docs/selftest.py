#!/usr/bin/env python3
"""The docs checks can fail: each is run on a copy of the sources with
one thing missing, and must name it.

usage: selftest.py SOURCE_ROOT
"""
import os
import shutil
import subprocess
import sys
import tempfile

FILES = ["proto/vocab.c", "ctl/args.c", "daemon/main.c",
         "daemon/tmpfiles_run.c", "packaging/man/svctl.1",
         "packaging/man/svd.8", "packaging/completion/svctl.bash",
         "packaging/completion/svd.bash", "conf/settings.c",
         "packaging/man/svd.conf.5", "packaging/svd.conf"]


def run_cli_check(root, tree):
    return subprocess.run([sys.executable,
                           os.path.join(root, "tests/docs/check_cli_docs.py"),
                           tree], capture_output=True, text=True)


def mutated(root, tmp, path, old, new):
    tree = os.path.join(tmp, "tree")
    shutil.rmtree(tree, ignore_errors=True)
    for f in FILES:
        os.makedirs(os.path.dirname(os.path.join(tree, f)), exist_ok=True)
        shutil.copy(os.path.join(root, f), os.path.join(tree, f))
    with open(os.path.join(tree, path)) as f:
        text = f.read()
    if old not in text:
        raise SystemExit("selftest: %r not in %s: update the selftest" % (old, path))
    with open(os.path.join(tree, path), "w") as f:
        f.write(text.replace(old, new, 1))
    return tree


def main():
    root = sys.argv[1]
    failures = []
    cases = [
        ("packaging/completion/svctl.bash", "disable | mask | unmask |",
         "disable | unmask |", "no unit names after 'svctl mask'"),
        ("packaging/completion/svctl.bash", "monitor enable", "enable",
         "does not offer monitor"),
        ("packaging/man/svd.8", ".It Fl g , \\-group", ".It Fl g",
         "svd(8) does not document --group"),
        ("packaging/completion/svd.bash", "-q --quiet --version",
         "-q --version", "svd completion does not offer --quiet"),
        ("ctl/args.c", '{ "--no-legend"', '{ "--no-caption"',
         "svctl(1) does not document --no-caption"),
        ("packaging/svd.conf", "#MaxFiles=5", "MaxFiles=5",
         "packaging/svd.conf has no #MaxFiles= line"),
        ("packaging/completion/svctl.bash", '"${_svctl_sock[@]}" list',
         "list", "did not ask the socket given with -s"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        clean = run_cli_check(root, mutated(root, tmp, FILES[0], "", ""))
        if clean.returncode != 0:
            failures.append("the unchanged copy fails: " + clean.stdout)
        for path, old, new, expect in cases:
            out = run_cli_check(root, mutated(root, tmp, path, old, new))
            if out.returncode == 0 or expect not in out.stdout:
                failures.append("%s without %r: expected %r, got rc %d: %s" %
                                (path, old, expect, out.returncode, out.stdout))

    sys.path.insert(0, os.path.join(root, "packaging", "man"))
    import md2mdoc
    with tempfile.TemporaryDirectory() as tmp:
        keys_c = os.path.join(tmp, "keys.c")
        with open(keys_c, "w") as f:
            f.write("".join('{ "Key%d", key_k },\n' % i for i in range(60)) +
                    '{ "Ignored", NULL },\n')
        with open(os.path.join(tmp, "new_keys.c"), "w") as f:
            f.write('{ "Added", key_added },\n')
        with open(os.path.join(tmp, "unit.c"), "w") as f:
            f.write('unit_condition_name(x) { "PathExists" };\n')
        rows = ["Key%d" % i for i in range(60)] + ["Added", "ConditionPathExists"]
        table = "| key | notes |\n|---|---|\n" + "".join(
            "| `%s=` | x |\n" % k for k in rows)
        md = "# T\n\n" + table + "\nand the same as `Assert...=`\n"
        if md2mdoc.check_keys(md, keys_c, os.path.join(tmp, "unit.c")):
            failures.append("keys: a complete table has problems: %s" %
                            md2mdoc.check_keys(md, keys_c, os.path.join(tmp, "unit.c")))
        for text, expect in [(md.replace("| `Added=` | x |\n", ""), "Added="),
                             (md.replace("Key1=", "Nokey="), "Nokey="),
                             (md.replace("and the same as `Assert...=`", ""),
                              "AssertPathExists=")]:
            problems = md2mdoc.check_keys(text, keys_c, os.path.join(tmp, "unit.c"))
            if not any(p.startswith(expect) for p in problems):
                failures.append("keys: expected a problem with %s, got %s" %
                                (expect, problems))
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
