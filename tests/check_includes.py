#!/usr/bin/env python3
"""Fails on any cycle among the modules of a directory (daemon/ by default).

A module is a header and the .c files that implement it: x.h and x.c
(main.c implements daemon.h). Module A depends on B when a file of A has
#include "B.h". A cycle is printed as A -> B -> ... -> A.
"""
import os
import re
import sys

# main.c defines what daemon.h declares (struct daemon's functions); the
# state machine is one module in several files: svc_step.c (its table),
# svc_text.c (its words) and svc_phase.h (what those two share).
IMPLEMENTS = {"main": "daemon", "svc_step": "svc", "svc_text": "svc",
              "svc_phase": "svc"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)


def modules(directory):
    graph = {}
    for name in sorted(os.listdir(directory)):
        stem, ext = os.path.splitext(name)
        if ext not in (".c", ".h"):
            continue
        module = IMPLEMENTS.get(stem, stem)
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            text = f.read()
        deps = graph.setdefault(module, set())
        for dep in INCLUDE.findall(text):
            if dep != module:
                deps.add(dep)
    # Headers from elsewhere (conf/, proto/, config.h) are no modules here.
    for deps in graph.values():
        deps.intersection_update(graph)
    return graph


def find_cycle(graph):
    """One cycle as a list of modules, or None (iterative DFS)."""
    colour = dict.fromkeys(graph, 0)   # 0 new, 1 on the path, 2 done
    for root in sorted(graph):
        if colour[root]:
            continue
        path, iters = [root], [iter(sorted(graph[root]))]
        colour[root] = 1
        while path:
            nxt = next(iters[-1], None)
            if nxt is None:
                colour[path.pop()] = 2
                iters.pop()
            elif colour[nxt] == 1:
                return path[path.index(nxt):] + [nxt]
            elif colour[nxt] == 0:
                colour[nxt] = 1
                path.append(nxt)
                iters.append(iter(sorted(graph[nxt])))
    return None


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "daemon"
    cycle = find_cycle(modules(directory))
    if cycle:
        print("include cycle in %s: %s" % (directory, " -> ".join(cycle)))
        return 1
    print("no include cycle in %s" % directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
