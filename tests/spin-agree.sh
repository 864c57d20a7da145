#!/bin/sh
# spin-agree.sh - SPIN's verdict equals faultline's on every library pair.
#
# For every scenario x model of the library (scenarios/ with models/,
# tests/scenarios/ with models/ and tests/models/): `faultline export
# --promela`, `spin -a`, pan compiled for safety, run for at most LIMIT
# seconds.  Where pan finishes, its verdict must equal `faultline
# explore`'s on the exported property set (the file's "properties:" line,
# added to the scenario's check line in a scratch copy, so that explore
# judges everything SPIN checks; only those properties are compared):
#
#   pan: no error                 explore: none of them happens
#   pan: assertion violated       explore: an asserted property happens
#   pan: invalid end state        explore: deadlock or lost-wakeup happens
#
# A pan that names `model_broken` hit an engine model error: a
# disagreement.
#
# Livelock too, on every pair explore finished: `faultline export
# --promela --livelock` (a progress label after every step that completes
# an op), pan built with -DNP and run with -l -f (weakly fair
# non-progress cycles; -A -E: assertions and end states are the safety
# run's), against explore's livelock verdict:
#
#   pan: non-progress cycle       explore: livelock sometimes
#   pan: no error                 explore: livelock never
#
# where the file's header says "livelock: exact"; where it says "one
# way" (a thread body repeats an op call, so another thread's completed
# ops are progress to SPIN but not to the starving thread), a SPIN
# non-progress cycle must still be a livelock, and a livelock SPIN does
# not see is counted apart ("one way"), neither agreement nor not.  Pairs pan cannot finish within LIMIT are listed as "spin:
# not finished in Ns" and counted apart (neither passed nor failed); so
# are pairs whose explore is incomplete.  n/a pairs (the model lacks an op)
# and pairs checking nothing SPIN can express (only lock-order, wait-order
# or livelock) are skipped and counted.
#
# Without spin the whole test is skipped with the reason, exit 77.
# Environment: FAULTLINE, SPIN_LIMIT (CPU seconds for pan, default 5),
# SPIN_JOBS (parallel pairs, default 2), PAN_CC (default clang if present,
# else cc), SPIN_SAMPLE (every Nth pair of the list, default 1: all; each
# pair costs about 3 CPU seconds to translate and compile, so `make
# check` takes every 15th and `make check-spin` all of them).
# The livelock pairs of the library (tests/scenarios/spin*.scn, model
# spin) are in every sample.
# Last lines: "spin-agree livelock: N agree (N livelock, N never), N
# disagree, N not finished in Ns, N one way", "spin-agree safety: N
# agree, N disagree, N not finished in Ns", then both summed (what
# check.sh reads): "spin-agree: N agree, N disagree, N not finished in
# Ns, N skipped (n/a, nothing exported, explore incomplete, livelock one
# way)".
set -u
FL=${FAULTLINE:-./faultline}
LIMIT=${SPIN_LIMIT:-5}
JOBS=${SPIN_JOBS:-2}
SAMPLE=${SPIN_SAMPLE:-1}

# ---- one pair: sh spin-agree.sh --pair DIR "N SCN MODELDIR MODEL" -------
if [ "${1:-}" = "--pair" ]; then
	set -- "$2" $3
	dir=$1/$2; scn=$3; mdir=$4; model=$5
	mkdir -p "$dir" && cd "$dir" || exit 2
	name="$(basename "$scn" .scn) x $model"
	result() { echo "$1 $name${2:+: $2}" > ../$(basename "$dir").res; exit 0; }
	# the livelock verdicts: one line, as result's
	livelock() {
		fl=never
		grep -q '"livelock": {"verdict": "sometimes"' j.json && fl=livelock
		if ! "$FL" --models "$mdir" export --promela "$scn" -m "$model" \
			--livelock -o l.pml 2> l.err; then
			echo "disagree $name: export --livelock failed: $(head -n 1 l.err)"
			return
		fi
		mkdir -p l && cd l || return
		if ! spin -a ../l.pml > spin.out 2>&1; then
			echo "disagree $name: spin -a failed: $(tail -n 1 spin.out)"
		elif ! $PAN_CC -w -O0 -DNP -DNOREDUCE -DVECTORSZ=16384 -o pan \
			pan.c 2> cc.out; then
			echo "disagree $name: pan -DNP does not compile: $(head -n 1 cc.out)"
		else
			(ulimit -t "$LIMIT"; exec ./pan -l -f -A -E -m1000000 -w22) \
				> pan.out 2>&1
			sp=
			grep -q 'non-progress cycle' pan.out && sp=livelock
			grep -q 'errors: 0' pan.out && sp=never
			exact=yes
			grep -q '^ \* livelock: exact$' ../l.pml || exact=no
			if grep -q 'max search depth too small' pan.out ||
			   [ -z "$sp" ]; then
				echo "unfinished $name"
			elif [ "$sp" = "$fl" ]; then
				echo "agree $name: $fl"
			elif [ $exact = no ] && [ "$fl" = livelock ]; then
				echo "oneway $name: livelock SPIN cannot see"
			else
				echo "disagree $name: pan -l -f: $sp; faultline: $fl"
			fi
		fi
		cd ..
	}
	if ! "$FL" --models "$mdir" export --promela "$scn" -m "$model" \
		-o x.pml 2> err; then
		grep -q 'n/a for this scenario\|is abstract' err && result n/a
		result disagree "export failed: $(head -n 1 err)"
	fi
	props=$(sed -n 's/^ \* properties: //p' x.pml)
	# the scenario's own check line (its expect lines name those
	# properties) plus what the export checks that it does not
	check=$(sed -n 's/^check //p' "$scn")
	for p in $props; do
		[ "$p" = none ] && continue
		case " $check " in *" $p "*) ;; *) check="$check $p" ;; esac
	done
	sed "s/^check .*/check $check/" "$scn" > c.scn
	"$FL" --models "$mdir" explore c.scn -m "$model" --json j.json \
		> /dev/null 2> ex.err
	[ -s j.json ] || result disagree "explore failed: $(head -n 1 ex.err)"
	grep -q '"complete": true' j.json || result incomplete
	livelock > ../$(basename "$dir").ll
	[ "$props" = none ] && result nothing
	fl_assert=no; fl_end=no
	for p in $props; do
		grep -q "\"$p\": {\"verdict\": \"sometimes\"" j.json || continue
		case $p in
		deadlock|lost-wakeup) fl_end=yes ;;
		*) fl_assert=yes ;;
		esac
	done
	E=-E
	case " $props " in *" deadlock "*) E= ;; esac
	spin -a x.pml > spin.out 2>&1 || result disagree "spin -a failed: $(tail -n 1 spin.out)"
	$PAN_CC -w -O0 -DSAFETY -DNOFAIR -DVECTORSZ=16384 -o pan pan.c \
		2> cc.out || result disagree "pan does not compile: $(head -n 1 cc.out)"
	# a CPU-time limit: what pan can do does not depend on the load
	(ulimit -t "$LIMIT"; exec ./pan -m1000000 -w22 $E) > pan.out 2>&1
	rc=$?
	[ $rc -gt 128 ] && result unfinished
	grep -q 'max search depth too small' pan.out && result unfinished
	grep -q 'errors: ' pan.out || result disagree "pan ended without a verdict (exit $rc)"
	if grep -q '^pan:1: assertion violated.*model_broken' pan.out; then
		spin_v="a broken model"
	elif grep -q '^pan:1: assertion violated' pan.out; then
		spin_v=assertion
		[ $fl_assert = yes ] && result agree "assertion violated"
	elif grep -q '^pan:1: invalid end state' pan.out; then
		spin_v="invalid end state"
		[ $fl_end = yes ] && result agree "invalid end state"
	else
		spin_v=none
		[ $fl_assert = no ] && [ $fl_end = no ] && result agree "none"
	fi
	result disagree "spin: $spin_v; faultline: asserted properties $fl_assert, deadlock/lost-wakeup $fl_end ($props)"
fi

# ---- the driver ---------------------------------------------------------
if ! command -v spin > /dev/null 2>&1; then
	echo "spin-agree: skipped: spin is not installed (make deps installs it)"
	exit 77
fi
[ -x "$FL" ] || { echo "spin-agree: build $FL first"; exit 2; }
if [ -z "${PAN_CC:-}" ]; then
	# clang compiles pan.c at -O0 about twice as fast as gcc
	PAN_CC=cc
	command -v clang > /dev/null 2>&1 && PAN_CC=clang
fi
export PAN_CC FAULTLINE="$(cd "$(dirname "$FL")" && pwd)/$(basename "$FL")"
tmp=$(mktemp -d /tmp/spin-agree.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
root=$(pwd)
n=0
for scn in scenarios/*.scn tests/scenarios/*.scn; do
	# a workload alone is `faultline perf`'s: no threads to export
	grep -q '^thread ' "$scn" || continue
	case $scn in
	tests/*) mdir=$root/tests/models:$root/models ;;
	*) mdir=$root/models ;;
	esac
	for model in $("$FL" --models "$mdir" models | awk '{ print $1 }'); do
		n=$((n + 1))
		printf '%04d %s %s %s\n' $n "$root/$scn" "$mdir" "$model"
	done
done | awk -v k="$SAMPLE" '(NR - 1) % k == 0 || $2 ~ /\/spin[-a-z]*\.scn$/' \
	> "$tmp/pairs"
n=$(wc -l < "$tmp/pairs")
self=$root/tests/spin-agree.sh
tr '\n' '\0' < "$tmp/pairs" |
	xargs -0 -P "$JOBS" -n 1 sh "$self" --pair "$tmp"
cat "$tmp"/*.res | sort -k2 > "$tmp/all"
grep -E '^(disagree|unfinished|incomplete)' "$tmp/all" |
	sed "s/^unfinished \(.*\)/spin: not finished in ${LIMIT}s: \1/;
	     s/^incomplete \(.*\)/explore incomplete: \1/;
	     s/^disagree /DISAGREE: /"
count() { grep -c "^$1 " "$tmp/all"; }
agree=$(count agree); dis=$(count disagree); unf=$(count unfinished)
na=$(count n/a); nothing=$(count nothing); inc=$(count incomplete)
total=$(wc -l < "$tmp/all")
[ "$total" -eq "$n" ] || { echo "spin-agree: $n pairs, $total results"; dis=$((dis + 1)); }
[ "$SAMPLE" -gt 1 ] && echo "spin-agree: every ${SAMPLE}th pair of the library (SPIN_SAMPLE=1: all)"
cat "$tmp"/*.ll 2>/dev/null | sort -k2 > "$tmp/ll"
grep -E '^(disagree|unfinished|oneway)' "$tmp/ll" |
	sed "s/^unfinished \(.*\)/livelock: spin not finished in ${LIMIT}s: \1/;
	     s/^oneway \(.*\)/livelock: one way: \1/;
	     s/^disagree /LIVELOCK DISAGREE: /"
lcount() { grep -c "^$1" "$tmp/ll"; }
la=$(lcount "agree "); ldis=$(lcount "disagree "); lu=$(lcount "unfinished ")
lo=$(lcount "oneway ")
echo "spin-agree livelock: $la agree ($(lcount "agree .*: livelock$") livelock, $(lcount "agree .*: never$") never), $ldis disagree, $lu not finished in ${LIMIT}s, $lo one way"
echo "spin-agree safety: $agree agree, $dis disagree, $unf not finished in ${LIMIT}s"
# the last line, which check.sh reads: both comparisons summed
echo "spin-agree: $((agree + la)) agree, $((dis + ldis)) disagree, $((unf + lu)) not finished in ${LIMIT}s, $((na + nothing + inc + lo)) skipped ($na n/a, $nothing nothing exported, $inc explore incomplete, $lo livelock one way)"
[ "$dis" -eq 0 ] && [ "$ldis" -eq 0 ]
