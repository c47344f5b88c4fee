#!/usr/bin/env python3
"""Turns conf/syscall_groups.txt into the C table of syscall_filter.h.

    syscall_groups.py IN.txt OUT.c

Each group becomes one entry of syscall_groups[]: its name, its
description and its members, a NULL-terminated array. A malformed line, a member outside a group, a group named twice or
a member @group that the file does not define stops the build with the
file and line."""

import sys


def fail(path, line, message):
    sys.exit(f"{path}:{line}: {message}")


def read_groups(path):
    groups = []
    seen = set()
    with open(path, encoding="ascii") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("\t"):
                member = line.strip()
                if not groups:
                    fail(path, number, "a member before any @group")
                if not member.replace("_", "").replace("-", "").replace("@", "").isalnum():
                    fail(path, number, f"not a system call name: {member!r}")
                groups[-1][2].append((number, member))
                continue
            name, _, description = line.partition(" ")
            if not name.startswith("@") or not description:
                fail(path, number, "expected '@group description'")
            if name in seen:
                fail(path, number, f"{name} is defined twice")
            seen.add(name)
            groups.append((name, description, []))
    for _, _, members in groups:
        for number, member in members:
            if member.startswith("@") and member not in seen:
                fail(path, number, f"unknown group {member}")
    return groups


def c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: syscall_groups.py IN.txt OUT.c")
    groups = read_groups(sys.argv[1])
    out = ["/* Generated from conf/syscall_groups.txt by conf/syscall_groups.py:",
           " * edit the .txt file. */",
           '#include "syscall_filter.h"',
           ""]
    for index, (name, _, members) in enumerate(groups):
        out.append(f"/* {name} */")
        out.append(f"static const char *const members_{index}[] = {{")
        for _, member in members:
            out.append(f'\t"{member}",')
        out.append("\tNULL,")
        out.append("};")
        out.append("")
    out.append("const struct syscall_group syscall_groups[] = {")
    for index, (name, description, _) in enumerate(groups):
        out.append(f"\t{{ {c_string(name)}, {c_string(description)}, members_{index} }},")
    out.append("};")
    out.append("")
    out.append(f"const unsigned syscall_groups_count = {len(groups)};")
    with open(sys.argv[2], "w", encoding="ascii") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
