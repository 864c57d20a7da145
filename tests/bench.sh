#!/bin/sh
# bench.sh - `make bench`: search throughput and partial-order reduction,
# and faultline against SPIN at its best on the same model.
#
# 1. Every scenario (scenarios/ and tests/scenarios/) under each applicable
#    model: states with and without reduction and states/s (faultline
#    explore --stats).  These spaces are small (10^2..10^5 states): the
#    rates are indicative only.
# 2. faultline against SPIN on two workloads under -m xfs-mmaplock:
#    `bench`, tests/bench/scale-faults.scn (four threads in two processes,
#    five stores and two loads on shared and private pages of a 4-page
#    file, against truncate to 2 pages), and `scale-up`, the same with
#    THREADS threads and EXTRA more loads and stores (default 5 and 3: a
#    fifth thread storing to two pages, over 10 M states without
#    reduction), written by tests/bench/gen-scale-faults.py.  SPIN checks
#    `faultline export --promela SCENARIO -m xfs-mmaplock` (same atomic
#    steps, state, locks and assertions), run with -E when the scenario
#    checks no deadlock, as the file's header says; its exact store
#    holds faultline's unreduced state count plus the threads' start
#    (one state before init, one per thread started: 127,229 against
#    127,224 on the benchmark), printed on the line "states:".
#    Every configuration runs once per round, RUNS rounds (default 3), so
#    the rounds pair the two tools on the same machine load; each cell is
#    the median over the rounds of the whole process (wall seconds, CPU
#    seconds (user + sys: on a loaded machine the steadier figure) and
#    peak resident set, /usr/bin/time), and each ratio the median of the
#    per-round ratios of wall seconds.  SPIN's pan is built with
#      -O3 -march=native -DSAFETY -DNOREDUCE -DNOBOUNDCHECK -DNOCOMP
#      -DNOFAIR -DXUSAFE
#    (and -DMEMLIM=8192, a guard: an exact store past 8 GB stops) and run
#    with a hash table sized to the space (-w18 / -w25) and
#    -m100000, as
#      exact     that (full states),
#      collapse  -DCOLLAPSE instead of -DNOCOMP (SPIN's compressed exact
#                store; COLLAPSE and HC4 refuse -DNOCOMP),
#      hc4       -DHC4 instead of -DNOCOMP (hash-compact, lossy),
#      bitstate  -DBITSTATE, -w28 (lossy, the analogue of fingerprints),
#      +por      the same with partial-order reduction (no -DNOREDUCE),
#      ncore2    -DNCORE=2: both cores (the other rows use one);
#    faultline's rows are fingerprints and --exact, with and without POR.
#    Then: each faultline mode against SPIN's best one-core analogue
#    (fingerprints against the fastest lossy row, --exact against the
#    fastest exact row), stored states, states/s and bytes per state
#    (peak RSS / states; faultline's own store: bytes/state stored).
#    faultline's time-to-verdict includes livelock: xfs-mmaplock's retry
#    loops may cycle, so a search with POR also makes the unreduced pass
#    (the fp-nopor row's work) and states/s counts both passes' states;
#    SPIN's -DSAFETY runs look for no cycle.
#
# State counts are deterministic; times vary with the machine's load: the
# first lines say what it was.
set -u
FL=${FAULTLINE:-./faultline}
RUNS=${RUNS:-3}
THREADS=${THREADS:-5}
EXTRA=${EXTRA:-3}
PY=${PYTHON:-python3}
[ -x "$FL" ] || { echo "bench: build ./faultline first"; exit 2; }
FL=$(cd "$(dirname "$FL")" && pwd)/$(basename "$FL")
GEN=$(pwd)/tests/bench/gen-scale-faults.py
MODELS=$(pwd)/models

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
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

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
have_spin=1
command -v spin >/dev/null 2>&1 || have_spin=0
SPIN_BASE="-O3 -march=native -DSAFETY -DNOREDUCE -DNOBOUNDCHECK -DNOCOMP"
SPIN_BASE="$SPIN_BASE -DNOFAIR -DXUSAFE -DMEMLIM=8192 -DVECTORSZ=4096"

# The configurations: NAME TOOL WHERE (all workloads, or the benchmark
# only: SPIN's POR saves nothing there and -DNCORE=2 is several times
# slower than one core, so the scale-up leaves them out) then faultline's
# options, or pan's build flags over SPIN_BASE (one of SPIN_BASE's named
# again is dropped) | its run flags (W: the workload's hash table size).
configs() {
	cat <<-END
	fp          faultline	all	|
	fp-nopor    faultline	all	--no-por|
	exact       faultline	all	--exact|
	exact-nopor faultline	bench	--exact --no-por|
	exact       spin	all	|-wW
	collapse    spin	all	-DCOLLAPSE -DNOCOMP|-wW
	hc4         spin	all	-DHC4 -DNOCOMP|-wW
	bitstate    spin	all	-DBITSTATE|-w28
	bitstate+por spin	bench	-DBITSTATE -DNOREDUCE|-w28
	exact+por   spin	bench	-DNOREDUCE|-wW
	ncore2      spin	bench	-DNCORE=2|-wW
	END
}

# Build pan for every SPIN row of workload $1 (twin $2) into $tmp/$1.
build_pans() {
	mkdir -p "$tmp/$1"
	( cd "$tmp/$1" && spin -a "$2" >/dev/null ) || return 1
	# the export's header: deadlock unchecked, so no invalid end states
	grep -q '^ \* properties:.* deadlock' "$2" || echo -E > "$tmp/$1/E"
	configs | { while read -r name tool where rest; do
		[ "$tool" = spin ] || continue
		[ "$where" = all ] || [ "$1" = bench ] || continue
		flags=$SPIN_BASE
		for f in ${rest%%|*}; do
			case $f in
			-DNOCOMP|-DNOREDUCE) flags=$(echo "$flags" |
				sed "s/ $f//") ;;
			*) flags="$flags $f" ;;
			esac
		done
		echo "$flags" > "$tmp/$1/flags-$name"
		# pan.c is a long compile at -O3: all at once
		( cd "$tmp/$1" && ${CC:-cc} -w $flags -o "pan-$name" pan.c \
			< /dev/null ||
			echo "  $1: pan-$name does not build with $flags" ) &
	done
	wait; }
}

# One round of workload $1 (scenario $2, hash table -w$3): every config.
round() {
	configs | while read -r name tool where rest; do
		[ "$where" = all ] || [ "$1" = bench ] || continue
		out=$tmp/$1/$tool-$name
		if [ "$tool" = faultline ]; then
			/usr/bin/time -f '%e %M %U %S' -o "$out.time" "$FL" \
				--models "$MODELS" explore "$2" -m xfs-mmaplock \
				${rest%%|*} < /dev/null > "$out.out" 2>&1
		else
			[ -x "$tmp/$1/pan-$name" ] || continue
			run="$(echo "${rest#*|}" | sed "s/W/$3/") $(cat "$tmp/$1/E" 2>/dev/null)"
			( cd "$tmp/$1" && /usr/bin/time -f '%e %M %U %S' \
				-o "$out.time" timeout 300 "./pan-$name" \
				-m100000 $run < /dev/null > "$out.out" 2>&1 )
		fi
		tail -n 1 "$out.time" >> "$out.runs"
	done
}

# median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# WORKLOAD TOOL NAME: "states transitions errors store-bytes/state
# all-states": errors are properties found; all-states counts faultline's
# unreduced pass for livelock too (SPIN's -DSAFETY makes none).
counts() {
	if [ "$2" = faultline ]; then
		awk '/^covered:/ { st = $2; tr = $4 }
		     /^unreduced, for livelock:/ { ll = $4 }
		     /^stats:/ { for (i = 1; i <= NF; i++)
				if ($i == "bytes/state") b = $(i - 1) }
		     /^[a-z-]+: / && $2 != "never" &&
		     !/^(search|covered|stats):/ { e++ }
		     END { print st, tr, e + 0, b, st + ll }' "$tmp/$1/$2-$3.out"
	else
		awk '/states, stored/ { st = $1 }
		     /transitions \(= stored/ { tr = $1 }
		     /errors:/ { er = $NF }
		     END { print st, tr, er, "-", st }' "$tmp/$1/$2-$3.out"
	fi
}

# The table of workload $1.
table() {
	w=$1
	printf '  %-9s %-13s %11s %12s %4s %8s %13s %7s %11s %8s %9s %7s\n' \
		tool mode states transitions err seconds "(min-max)" "cpu s" \
		states/s "RSS MB" RSS/state store/st
	configs | while read -r name tool where rest; do
		f=$tmp/$w/$tool-$name
		[ -s "$f.runs" ] || continue
		set -- $(counts "$w" "$tool" "$name")
		[ -n "${1:-}" ] || { echo "  $tool $name: no result"; continue; }
		sec=$(cut -d' ' -f1 "$f.runs" | median)
		kb=$(cut -d' ' -f2 "$f.runs" | median)
		cpu=$(awk '{ print $3 + $4 }' "$f.runs" | median)
		echo "$sec" > "$f.median"
		lo=$(cut -d' ' -f1 "$f.runs" | sort -g | head -n 1)
		hi=$(cut -d' ' -f1 "$f.runs" | sort -g | tail -n 1)
		awk -v t="$tool" -v m="$name" -v st="$1" -v tr="$2" -v e="$3" \
		    -v b="$4" -v all="$5" -v s="$sec" -v kb="$kb" -v lo="$lo" \
		    -v hi="$hi" -v cpu="$cpu" \
		    'BEGIN { printf "  %-9s %-13s %11d %12d %4s %8.2f %13s %7.2f %11.0f %8.0f %9.0f %7s\n",
			t, m, st, tr, e, s, "(" lo "-" hi ")", cpu,
			all / (s > 0 ? s : 0.005), kb / 1024, kb * 1024 / st, b }'
	done
}

# The fastest of the SPIN configurations given, by median: its name.
fastest() {
	w=$1
	shift
	for n in "$@"; do
		[ -s "$tmp/$w/spin-$n.median" ] &&
			echo "$(cat "$tmp/$w/spin-$n.median") $n"
	done | sort -g | head -n 1 | cut -d' ' -f2
}

# WORKLOAD FL-MODE SPIN-MODE: median of the per-round time ratios.
ratio() {
	[ -s "$tmp/$1/faultline-$2.runs" ] && [ -s "$tmp/$1/spin-$3.runs" ] ||
		{ echo "n/a"; return; }
	paste -d' ' "$tmp/$1/faultline-$2.runs" "$tmp/$1/spin-$3.runs" |
		awk '{ print $1 / ($3 > 0 ? $3 : 0.005) }' | median |
		awk '{ printf "%.2f", $1 }'
}

# WORKLOAD FL-MODE SPIN-MODE: stored states faultline / SPIN.
state_ratio() {
	a=$(counts "$1" faultline "$2" | cut -d' ' -f1)
	b=$(counts "$1" spin "$3" | cut -d' ' -f1)
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }'
}

verdicts() {
	lossy=$(fastest "$1" bitstate bitstate+por hc4)
	exact=$(fastest "$1" exact exact+por collapse)
	echo "  time-to-verdict, faultline / SPIN's best one-core analogue (median of per-round ratios):"
	for pair in "fp $lossy" "fp-nopor $lossy" "exact $exact" \
		    "exact-nopor $exact" "fp ncore2"; do
		set -- $1 $pair
		[ -n "${3:-}" ] || continue
		printf '    %-12s vs spin %-13s %6sx time, %sx stored states\n' \
			"$2" "$3" "$(ratio "$1" "$2" "$3")" \
			"$(state_ratio "$1" "$2" "$3")"
	done
}

# SPIN's exact store against faultline's unreduced count: the export
# is faultline's program step for step, so SPIN holds the same states
# plus the threads' start (the state before init, and one per thread's
# initial local run, sim_step_init's, each an atomic block of its own).
same_space() {
	sp=$(counts "$1" spin exact | cut -d' ' -f1)
	fl=$(counts "$1" faultline fp-nopor | cut -d' ' -f1)
	nt=$(grep -c '^thread ' "$2")
	[ -n "$sp" ] && [ -n "$fl" ] || return 0
	if [ "$sp" -eq $((fl + nt + 1)) ]; then
		echo "  states: SPIN exact $sp = faultline unreduced $fl + $nt threads + 1"
	else
		echo "  states: SPIN exact $sp, faultline unreduced $fl: NOT the same space (expected $((fl + nt + 1)))"
	fi
}

bench_workload() {
	w=$1 scn=$2 pml=$3 bits=$4
	echo
	echo "$w: $(basename "$scn") -m xfs-mmaplock, $RUNS rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
	if [ $have_spin = 1 ]; then
		build_pans "$w" "$pml"
	else
		mkdir -p "$tmp/$w"
	fi
	i=0
	while [ $i -lt "$RUNS" ]; do
		round "$w" "$scn" "$bits"
		i=$((i + 1))
	done
	table "$w"
	[ $have_spin = 1 ] && verdicts "$w" && same_space "$w" "$scn"
	echo "  (load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
}

# The Promela of scenario $1: faultline's own translation
export_pml() {
	"$FL" --models "$MODELS" export --promela "$1" -m xfs-mmaplock -o "$2"
}

cp tests/bench/scale-faults.scn "$tmp/bench.scn"
$PY "$GEN" --threads "$THREADS" --extra "$EXTRA" > "$tmp/scale-up.scn"
export_pml "$tmp/bench.scn" "$tmp/bench.pml" || exit 1
export_pml "$tmp/scale-up.scn" "$tmp/scale-up.pml" || exit 1
[ $have_spin = 1 ] || echo "spin not installed: SPIN rows skipped"
bench_workload bench "$tmp/bench.scn" "$tmp/bench.pml" 18
bench_workload scale-up "$tmp/scale-up.scn" "$tmp/scale-up.pml" 25
echo
echo "SPIN's flags:"
for f in "$tmp"/bench/flags-*; do
	[ -e "$f" ] && echo "  ${f##*/flags-}: $(cat "$f")"
done
