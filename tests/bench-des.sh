#!/bin/sh
# bench-des.sh - `make bench`, after bench.sh: how fast timed runs
# (sim/des.h) simulate.  The fault workloads of tests/workloads/ (disjoint
# and shared pages) under a few models at 1, 8 and 64 CPUs, 3 x 10^5 ops, costs
# dram-2015: events (steps) simulated, wall and CPU seconds, and millions
# of events per CPU second (the target is 5 on one core).  Event counts
# are deterministic; times vary run to run.
set -u
B=${BENCH_DES:-./tests/bench_des}
[ -x "$B" ] || { echo "bench-des: build $B first (make tests/bench_des)"; exit 2; }
CPUS=${CPUS:-"1 8 64"}
OPS=${OPS:-300000}

printf '%-28s %-22s %4s %10s %7s %7s %8s\n' workload model cpus events \
	wall-s cpu-s Mev/s
for w in tests/workloads/disjoint-faults.scn tests/workloads/shared-faults.scn; do
	for m in v4.2-dax ext4-i_mmap_sem dax-entry-lock kirill-range-lock; do
		for c in $CPUS; do
			printf '%-28s ' "$(basename "$w" .scn)"
			"$B" "$w" "$m" "$c" "$OPS" || exit 1
		done
	done
done
