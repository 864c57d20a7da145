#!/bin/sh
# check.sh - `make check`: the Check suites, the command-line tests, the
# scenario judge, then one summary line over all three ("N passed, N
# failed"), which is what CI reads.
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Check's per-test timeout only guards against a hang; 4 s (its default)
# trips on a loaded machine or under ASan, which is not a failure of the
# code under test.
export CK_DEFAULT_TIMEOUT="${CK_DEFAULT_TIMEOUT:-60}"

./tests/check_all 2>&1 | tee "$out"
line=$(grep -E '^[0-9]+%: Checks: ' "$out" | tail -n 1)
checks=$(echo "$line" | sed -n 's/.*Checks: \([0-9]*\).*/\1/p')
fails=$(echo "$line" | sed -n 's/.*Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2/p')
set -- ${fails:-1 0}
unit_failed=$(( $1 + $2 ))
[ -n "$checks" ] || { echo "check: the unit runner printed no summary"; checks=0; unit_failed=1; }

sh tests/cli.sh | tee "$out"
cli=$(tail -n 1 "$out")
cp=$(echo "$cli" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
cf=$(echo "$cli" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$cp" ] || { echo "check: the cli tests printed no summary"; cp=0; cf=1; }

./faultline check scenarios/ | tee "$out"
judge=$(tail -n 1 "$out")
jp=$(echo "$judge" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
jf=$(echo "$judge" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$jp" ] || { echo "check: the scenario judge printed no summary"; jp=0; jf=1; }

# SPIN's verdict against explore's on every library pair: agreeing pairs
# pass, disagreeing ones fail; pairs pan does not finish in time, and the
# whole test without spin, are skipped, and the summary says so.
SPIN_SAMPLE=${SPIN_SAMPLE:-15} sh tests/spin-agree.sh | tee "$out"
spin=$(tail -n 1 "$out")
sa=$(echo "$spin" | sed -n 's/^spin-agree: \([0-9]*\) agree, \([0-9]*\) disagree, \([0-9]*\) not finished.*/\1 \2 \3/p')
if [ -n "$sa" ]; then
	set -- $sa
	sp=$1 sf=$2 ss=$3
elif echo "$spin" | grep -q '^spin-agree: skipped'; then
	sp=0 sf=0 ss=1
else
	echo "check: the SPIN agreement test printed no summary"
	sp=0 sf=1 ss=0
fi

# Variants of every race scenario (pages shifted, a thread in a new process;
# a third thread for every 8th) judged against the original's cells and
# tests/variants.expect: one check per variant cell.
${PYTHON:-/usr/bin/python3} tests/variants.py --copy-sample "${VARIANTS_COPY_SAMPLE:-8}" | tee "$out"
variants=$(tail -n 1 "$out")
vp=$(echo "$variants" | sed -n 's/^variants: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
vf=$(echo "$variants" | sed -n 's/^variants: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$vp" ] || { echo "check: the variants test printed no summary"; vp=0; vf=1; }

passed=$(( checks - unit_failed + cp + jp + sp + vp ))
failed=$(( unit_failed + cf + jf + sf + vf ))
echo "check: $checks unit checks, $(( cp + cf )) command-line checks, $(( jp + jf )) scenario expectations, $(( vp + vf )) variant cells, $(( sp + sf )) SPIN agreements ($spin)"
if [ "$ss" -gt 0 ]; then
	echo "$passed passed, $failed failed, $ss skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
