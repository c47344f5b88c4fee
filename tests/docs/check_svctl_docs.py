#!/usr/bin/env python3
"""Every svctl command (proto/vocab.c's rows) is in svctl(1), in svctl
--help's source table, and in the bash completion, which offers unit
names after each command that takes units. Exits 1 naming what is
missing.

usage: check_svctl_docs.py SOURCE_ROOT
"""
import re
import sys


def verbs(vocab_c):
    """(name, takes_units) of each row of vocab_verbs."""
    table = vocab_c.split("vocab_verbs[] = {", 1)[1].split("};", 1)[0]
    rows = re.findall(r'\{\s*"([a-z-]+)",\s*(?:"[a-z-]+"|NULL),\s*(\w+),\s*[^,]+,\s*(\d+),', table)
    return [(name, units == "SOME" or units == "OPTIONAL") for name, units, _ in rows]


def main():
    root = sys.argv[1]
    vocab_c = open(root + "/proto/vocab.c").read()
    man = open(root + "/packaging/man/svctl.1").read()
    completion = open(root + "/packaging/completion/svctl.bash").read()
    commands = re.search(r'local commands="([^"]*)"', completion).group(1).split()
    unit_verbs = re.search(r'case \$_svctl_verb in\s*\n\s*(.*?)\)\n', completion, re.S).group(1)
    unit_verbs = [w.strip() for w in unit_verbs.replace("\\\n", " ").split("|")]
    missing = []
    for name, takes_units in verbs(vocab_c):
        if not re.search(r"^\.It Cm .*%s\b" % re.escape(name.replace("-", "\\-")), man, re.M):
            missing.append("svctl(1) has no .It Cm %s" % name)
        if name not in commands:
            missing.append("the completion does not offer %s" % name)
        if takes_units and name not in ("tmpfiles",) and name not in unit_verbs:
            missing.append("the completion offers no units after %s" % name)
    for line in missing:
        print(line)
    if not verbs(vocab_c):
        print("no verbs found in proto/vocab.c")
        return 1
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
