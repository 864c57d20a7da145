#!/usr/bin/env python3
"""gen-scale-faults.py - write the scale-ups of tests/bench/scale-faults.scn.

    python3 tests/bench/gen-scale-faults.py > scale-faults.scn   (the file)
    python3 tests/bench/gen-scale-faults.py --threads 5 --extra 3 > up.scn

--threads K (4 to 6) adds threads from MORE_THREADS below, --extra N
N more loads and stores dealt to the first four threads in turn from
EXTRA_OPS: the scale-up of `make bench` is --threads 5 --extra 3.

The Promela SPIN checks is `faultline export --promela` of the scenario
(tests/bench.sh); this script only writes the scenario.
"""
import argparse

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=4, choices=(4, 5, 6))
ap.add_argument("--extra", type=int, default=0)
ARGS = ap.parse_args()

# The benchmark (tests/bench/scale-faults.scn): (process, [ops]).
THREADS = [
    (0, [("store", 0), ("store", 3)]),
    (1, [("store", 3), ("load", 1)]),
    (0, [("load", 2), ("store", 1)]),
    (1, [("truncate", 2)]),
]
# The scale-up's ops, on every page of the file, shared and private,
# dealt to the four threads in turn (the truncating thread then faults
# too).  Stores, which fault and allocate, grow the space most.
EXTRA_OPS = [("store", 2), ("store", 0), ("store", 3), ("store", 1),
             ("store", 1), ("load", 2), ("store", 0), ("load", 3)]
# Threads past the fourth (--threads), which multiply the space most.
MORE_THREADS = [(1, [("store", 0), ("store", 2)]),
                (0, [("store", 3), ("store", 1)])]
THREADS += MORE_THREADS[:ARGS.threads - 4]
for i in range(ARGS.extra):
    THREADS[i % 4][1].append(EXTRA_OPS[i % len(EXTRA_OPS)])

up = len(THREADS) > 4 or ARGS.extra
out = ["scenario scale-faults" +
       ("-%d-%d" % (len(THREADS), ARGS.extra) if up else ""),
       'summary "scaled benchmark: stores and loads on a 4-page file '
       'against truncate"',
       "file size 4 blocks 0..3",
       "proc P0",
       "proc P1"]
for tid, (proc, ops) in enumerate(THREADS):
    out.append("thread T%d in P%d {" % (tid, proc))
    out += ["\t%s(%d)" % op for op in ops]
    out.append("}")
out.append("check stale-pte write-to-freed uninit-read lost-store "
           "stale-zero-page")
print("\n".join(out))
