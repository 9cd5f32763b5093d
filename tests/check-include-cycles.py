#!/usr/bin/python3
# check-include-cycles.py — the core's modules must depend on each other in
# layers, never in a circle.
#
#   check-include-cycles.py DIR
#
# A module is a stem: ttd-foo.c, ttd-foo.h and ttd-foo-private.h are all
# module ttd-foo. Module A depends on module B when one of A's files has
# `#include "ttd-b….h"`. The umbrella header ttd-core.h is left out (it
# includes everything, and nothing in DIR includes it). Prints TAP; exits 1
# naming a cycle (A → B → … → A) if there is one.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"(ttd-[^"]+)\.h"', re.MULTILINE)
UMBRELLA = "ttd-core"


def module_of(stem):
    return stem[: -len("-private")] if stem.endswith("-private") else stem


def read_graph(directory):
    graph = {}
    for name in sorted(os.listdir(directory)):
        stem, ext = os.path.splitext(name)
        if not name.startswith("ttd-") or ext not in (".c", ".h") or stem == UMBRELLA:
            continue
        module = module_of(stem)
        with open(os.path.join(directory, name), encoding="utf-8") as handle:
            included = {module_of(s) for s in INCLUDE.findall(handle.read())}
        graph.setdefault(module, set()).update(included - {module, UMBRELLA})
    return graph


def find_cycle(graph):
    """A list of modules forming a cycle (first == last), or None."""
    done, path, on_path = set(), [], set()

    def visit(module):
        path.append(module)
        on_path.add(module)
        for dep in sorted(graph.get(module, ())):
            if dep in on_path:
                return path[path.index(dep):] + [dep]
            if dep not in done:
                cycle = visit(dep)
                if cycle:
                    return cycle
        on_path.discard(path.pop())
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


def main():
    if len(sys.argv) != 2:
        print("usage: check-include-cycles.py DIR", file=sys.stderr)
        return 2
    graph = read_graph(sys.argv[1])
    print("1..1")
    if not graph:
        print(f"not ok 1 - no ttd-*.c/.h files in {sys.argv[1]}")
        return 1
    cycle = find_cycle(graph)
    if cycle:
        print(f"not ok 1 - the modules include each other in a circle: {' → '.join(cycle)}")
        return 1
    print(f"ok 1 - the {len(graph)} modules in {sys.argv[1]} include each other without a cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
