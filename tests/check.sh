#!/bin/sh
# check.sh - `make check`: the Check suites, then the scenario judge, then
# one summary line over both ("N passed, N failed"), which is what CI reads.
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT

./tests/check_all 2>&1 | tee "$out"
line=$(grep -E '^[0-9]+%: Checks: ' "$out" | tail -n 1)
checks=$(echo "$line" | sed -n 's/.*Checks: \([0-9]*\).*/\1/p')
fails=$(echo "$line" | sed -n 's/.*Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2/p')
set -- ${fails:-1 0}
unit_failed=$(( $1 + $2 ))
[ -n "$checks" ] || { echo "check: the unit runner printed no summary"; checks=0; unit_failed=1; }

./faultline check scenarios/ | tee "$out"
judge=$(tail -n 1 "$out")
jp=$(echo "$judge" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
jf=$(echo "$judge" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$jp" ] || { echo "check: the scenario judge printed no summary"; jp=0; jf=1; }

passed=$(( checks - unit_failed + jp ))
failed=$(( unit_failed + jf ))
echo "check: $checks unit checks, $(( jp + jf )) scenario expectations"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
