#!/usr/bin/env python3
"""includes.py - no include circle among the modules of sim/ (`make tidy`).

A module is a basename (step.c and step.h are module step); module A
depends on B when a file of A includes B's header.  A circle (step.c
includes oracle.h, which includes step.h) means neither module can be
read, tested or changed without the other: each shared type belongs in
the header of the one module that owns it.  Prints every circle found,
exits 1 if there is one.
"""
import glob
import os
import re
import sys


def graph(files):
    deps = {}
    for path in files:
        mod = os.path.basename(path).rsplit(".", 1)[0]
        with open(path, encoding="utf-8") as f:
            for inc in re.findall(r'^#include "(\w+)\.h"', f.read(), re.M):
                if inc != mod:
                    deps.setdefault(mod, set()).add(inc)
    return deps


def circles(deps):
    state, stack, found = {}, [], []

    def visit(u):
        state[u] = 1
        stack.append(u)
        for v in sorted(deps.get(u, ())):
            if state.get(v) == 1:
                found.append(stack[stack.index(v):] + [v])
            elif v not in state:
                visit(v)
        stack.pop()
        state[u] = 2

    for u in sorted(deps):
        if u not in state:
            visit(u)
    return found


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "sim"
    found = circles(graph(glob.glob(os.path.join(top, "*.[ch]"))))
    for c in found:
        print("includes: circle " + " -> ".join(c))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
