#!/bin/sh
# bench-perf.sh - `make bench`'s figures for the timed engine: the wall
# time of the full `faultline perf` sweep (every model, CPUs 1 to 64 by
# powers of two, the disjoint-page and the shared-page fault workloads;
# the README's target is under 60 s on the project's 2-core machine) and
# the simulated events per second over it (the events every run's JSON
# counts, over the wall time; target at least 5 M/s on one core).
# The figures are the machine's, so they go to stdout here and never
# into a test's verdict.
set -u
FL=${FAULTLINE:-./faultline}
CPUS=1,2,4,8,16,32,64
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

total=0
for w in disjoint shared; do
	scn=scenarios/perf-$w-faults.scn
	/usr/bin/time -f %e -o "$tmp/$w.wall" \
		$FL perf "$scn" --all-models --cpus $CPUS --json "$tmp/$w.json" \
		>/dev/null
	rc=$?
	# exit 1 is a property a run violated: a figure, not a failure
	[ $rc -le 1 ] || { echo "bench-perf: $scn: exit $rc"; exit 1; }
	/usr/bin/python3 - "$tmp/$w.json" "$(tail -n 1 "$tmp/$w.wall")" <<'PY'
import json, sys
d, wall = json.load(open(sys.argv[1])), float(sys.argv[2])
runs = [r for m in d["models"] if m["applicable"] for r in m["runs"]]
events = sum(r["events"] for r in runs)
print("perf %-26s %2d models x %d CPU counts: %5.1f s wall, %d events, "
      "%.2f M events/s" % (d["workload"], sum(m["applicable"] for m in d["models"]),
                           len(d["cpus"]), wall, events,
                           events / max(wall, 1e-9) / 1e6))
PY
	total=$(echo "$total $(tail -n 1 "$tmp/$w.wall")" | awk '{ print $1 + $2 }')
done
echo "perf full sweep (both workloads, CPUs $CPUS): $total s wall (target < 60 s)"
