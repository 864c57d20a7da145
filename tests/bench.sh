#!/bin/sh
# bench.sh - `make bench`: search throughput and partial-order reduction.
#
# For each scenario (scenarios/ and tests/scenarios/) and each applicable
# model: states, transitions and states/s with and without reduction
# (faultline explore --stats).  Then SPIN on tests/bench/*.pml, a Promela
# model of fault-vs-truncate under the xfs-mmaplock scheme, with and
# without its partial-order reduction (-DNOREDUCE), for comparison.
# Timing figures vary run to run; state counts do not.
set -u
FL=${FAULTLINE:-./faultline}
[ -x "$FL" ] || { echo "bench: build ./faultline first"; exit 2; }

printf '%-34s %-24s %9s %9s %7s %12s\n' scenario model states no-por \
	saved states/s
for scn in scenarios/*.scn tests/scenarios/*.scn; do
	case $scn in tests/*) dirs="models tests/models" ;; *) dirs=models ;; esac
	for dir in $dirs; do
		"$FL" --models "$dir" explore "$scn" --all-models --stats \
			2>/dev/null | awk -v scn="$(basename "$scn" .scn)" '
			/^model / && / n\/a: / { next }
			/^model / { m = $2; sub(/:$/, "", m) }
			/^stats: / && !/without/ { rate = $4 }
			/^reduction: / {
				printf "%-34s %-24s %9s %9s %6.2fx %12s\n",
					scn, m, $2, $8, $8 / $2, rate
			}'
	done
done

echo
echo "SPIN (tests/bench/*.pml):"
if ! command -v spin >/dev/null 2>&1; then
	echo "  spin not installed: skipped"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pml in tests/bench/*.pml; do
	cp "$pml" "$tmp/"
	for mode in por NOREDUCE; do
		flags="-DSAFETY"
		[ $mode = NOREDUCE ] && flags="$flags -DNOREDUCE"
		( cd "$tmp" && spin -a "$(basename "$pml")" >/dev/null &&
		  ${CC:-cc} -O2 $flags -o pan pan.c 2>/dev/null &&
		  ./pan -m100000 > out.txt )
		awk -v f="$(basename "$pml" .pml)" -v m=$mode '
			/states, stored/ { st = $1 }
			/transitions \(= stored/ { tr = $1 }
			/elapsed time/ { el = $4 }
			/rate/ { rate = $3 }
			/errors:/ { er = $NF }
			END { printf "  %-24s %-9s %8s states %8s transitions, errors %s, %s s, %s states/s\n",
				f, m, st, tr, er, el, rate == "" ? "n/a (too fast)" : rate }' \
			"$tmp/out.txt"
	done
done
