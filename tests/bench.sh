#!/bin/sh
# bench.sh - `make bench`: search throughput and partial-order reduction,
# and faultline against SPIN at its best on the same model.
#
# 1. Every scenario (scenarios/ and tests/scenarios/) under each applicable
#    model: states with and without reduction and states/s (faultline
#    explore --no-livelock --stats: the reduction is the safety
#    search's).  These spaces are small (10^2..10^5 states): the rates
#    are indicative only.
# 2. faultline against SPIN on two workloads under -m xfs-mmaplock:
#    `bench`, tests/bench/scale-faults.scn (four threads in two processes,
#    five stores and two loads on shared and private pages of a 4-page
#    file, against truncate to 2 pages), and `scale-up`, the same with
#    THREADS threads and EXTRA more loads and stores (default 5 and 3:
#    over 10 M states without reduction), written by
#    tests/bench/gen-scale-faults.py.  SPIN checks `faultline export
#    --promela SCENARIO -m xfs-mmaplock` (same atomic steps, state, locks
#    and assertions; --livelock adds the progress labels for pan -l,
#    --no-hidden makes the scratch variables state for -DNCORE), run with
#    -E when the scenario checks no deadlock, as the file's header says.
#    Two fair comparisons, the same question on both sides:
#      safety    faultline --no-livelock (no unreduced pass) against pan
#                -DSAFETY (no cycle search);
#      livelock  faultline's full check (safety, and livelock on the
#                unreduced graph) against pan -DNP -l -f (weakly fair
#                non-progress cycles, assertions on the way).
#    SPIN's base build is
#      -O2 -march=native -DSAFETY -DNOREDUCE -DNOBOUNDCHECK -DNOCOMP
#      -DNOFAIR -DXUSAFE -DMEMLIM=8192 -DVECTORSZ=4096
#    (-O2: pan's transitions are one function of megabytes, which gcc
#    takes minutes more to compile at -O3 or -O1: the README's figures)
#    and configs() below lists what the flag search tries over it on the
#    benchmark (hash compaction, bitstate sizes and hash counts, MA,
#    COLLAPSE, SFH, SPACE, -O3, POR, NCORE=2); the scale-up runs the
#    base, the fastest lossy and exact ones that are cheap to build, and
#    the livelock rows.  Its exact store holds faultline's unreduced
#    state count plus the threads' start (one state before init, one
#    per thread started: 127,229 against 127,224 on the benchmark),
#    printed on the line "states:"; so do -DCOLLAPSE and -DNCORE=2
#    (checked; a store that reached -DMEMLIM is not compared).
#    Every configuration runs once per round, RUNS rounds (default 3),
#    so the rounds pair the two tools on the same machine load; each
#    cell is the median over the rounds of the whole process (wall
#    seconds, CPU seconds (user + sys: on a loaded machine the steadier
#    figure) and peak resident set, /usr/bin/time), and each ratio the
#    median of the per-round ratios.  Then each faultline mode against
#    SPIN's best analogue by CPU seconds (fingerprints against the
#    fastest lossy row, --exact against the fastest exact one), and the
#    README's table as markdown (the lines after "README table:").
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
# LIBRARY=0 leaves part 1 out
if [ "${LIBRARY:-1}" = 1 ]; then
	printf '%-34s %-24s %9s %9s %7s %12s\n' scenario model states no-por \
		saved states/s
	for scn in scenarios/*.scn tests/scenarios/*.scn; do
		case $scn in tests/*) dirs="models tests/models" ;; *) dirs=models ;; esac
		for dir in $dirs; do
			"$FL" --models "$dir" explore "$scn" --all-models \
				--no-livelock --stats \
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
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
have_spin=1
command -v spin >/dev/null 2>&1 || have_spin=0
SPIN_BASE="-O2 -march=native -DSAFETY -DNOREDUCE -DNOBOUNDCHECK -DNOCOMP"
SPIN_BASE="$SPIN_BASE -DNOFAIR -DXUSAFE -DMEMLIM=8192 -DVECTORSZ=4096"

# The configurations: NAME TOOL WHERE (all workloads; bench: the
# benchmark only; search: the benchmark, when SEARCH=1, the default: the
# rest of the flag search, each row a pan build of minutes) FAMILY (safety-fp, safety-exact, safety-2core,
# livelock-fp, livelock-exact: which faultline row a SPIN row is the
# analogue of) then faultline's options, or pan's build flags over
# SPIN_BASE (one of SPIN_BASE's named again is dropped; -O3 replaces
# -O2) | its run flags (W: the workload's hash table size).  -DNP builds
# check the --livelock export, -DNCORE the --no-hidden one.
configs() {
	cat <<-END
	fp-safety    faultline all   safety-fp      --no-livelock|
	exact-safety faultline all   safety-exact   --exact --no-livelock|
	fp-nopor-safety faultline bench safety-fp   --no-por --no-livelock|
	fp           faultline all   livelock-fp    |
	exact        faultline all   livelock-exact --exact|
	fp-nopor     faultline bench livelock-fp    --no-por|
	exact        spin all   safety-exact   |-wW
	o3           spin search safety-exact   -O3 --param=max-fields-for-field-sensitive=0|-wW
	collapse     spin all   safety-exact   -DCOLLAPSE -DNOCOMP|-wW
	ma           spin search safety-exact   -DMA=1024 -DNOCOMP|-wW
	sfh          spin search safety-exact   -DSFH|-wW
	space        spin search safety-exact   -DSPACE|-wW
	exact+por    spin search safety-exact   -DNOREDUCE|-wW
	hc4          spin all   safety-fp      -DHC4 -DNOCOMP|-wW
	hc2          spin bench safety-fp      -DHC2 -DNOCOMP|-wW
	hc3          spin search safety-fp      -DHC3 -DNOCOMP|-wW
	bitstate-w26 spin bench safety-fp      -DBITSTATE|-w26
	bitstate     spin all   safety-fp      -DBITSTATE|-w28
	bitstate-w30 spin bench safety-fp      -DBITSTATE|-w30
	bitstate-k1  spin bench safety-fp      -DBITSTATE|-w28 -k1
	bitstate-k2  spin bench safety-fp      -DBITSTATE|-w28 -k2
	bitstate+por spin search safety-fp      -DBITSTATE -DNOREDUCE|-w28
	ncore2       spin bench safety-2core   -DNCORE=2|-wW
	np           spin all   livelock-exact -DNP -DSAFETY -DNOFAIR -DNOCOMP|-wW -l -f
	np+por       spin search livelock-exact -DNP -DSAFETY -DNOFAIR -DNOREDUCE -DNOCOMP|-wW -l -f
	np-bitstate  spin all   livelock-fp    -DNP -DSAFETY -DNOFAIR -DBITSTATE|-w28 -l -f
	END
}

# configs of workload $1: the rows it runs
rows() {
	configs | while read -r name tool where fam rest; do
		[ "$where" != search ] || [ "${SEARCH:-1}" = 1 ] || continue
		[ "$where" = all ] || [ "$1" = bench ] || continue
		echo "$name $tool $fam $rest"
	done
}

# pan's build flags for the build part $1 of a config
pan_flags() {
	flags=$SPIN_BASE
	for f in $1; do
		case $f in
		-DNOCOMP|-DNOREDUCE|-DSAFETY|-DNOFAIR) flags=$(echo "$flags" |
			sed "s/ $f//") ;;
		-O3*) flags=$(echo "$flags" | sed "s/-O2/$f/") ;;
		*) flags="$flags $f" ;;
		esac
	done
	echo "$flags"
}

# Which export a build checks: -DNP the progress labels, -DNCORE no
# hidden variables, else the plain one.
pml_kind() {
	case " $1 " in
	*" -DNP "*) echo livelock ;;
	*" -DNCORE="*) echo nohidden ;;
	*) echo plain ;;
	esac
}

# pan binaries are cached across runs in CACHE, each named by a hash of
# all that makes it: the Promela text (exported with relative paths, so
# the same in every checkout), SPIN's version, the compiler (its path,
# version and the CPU -march=native means) and every flag.  A second
# `make bench` builds nothing; a changed export, compiler or flag builds
# anew.  A build that fails or outlasts BUILD_TIMEOUT wall seconds is
# recorded there too (pan-KEY.fail), so the row is left out, saying why,
# without trying again; BENCH_RETRY=1 tries again.
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/faultline-bench}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-1200}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
PANCC=${CC:-cc}

# KIND FLAGS on workload $w: the cache key of that pan
pan_key() {
	{ cat "$tmp/$w/$1.pml"; spin -V; command -v "$PANCC"
	  "$PANCC" --version; grep -m 1 '^model name' /proc/cpuinfo
	  echo "$2"; } | sha256sum | cut -c1-16
}

# The build of pan KEY (kind, flags in $tmp/$w/want-KEY) as a script, for
# xargs to run two at a time: in $tmp, then copied into the cache under a
# temporary name and renamed, so that an interrupted build leaves nothing
# there.
build_script() {
	read -r kind key flags < "$tmp/$w/want-$1"
	cat <<-END
	cd "$tmp/$w/$kind" || exit 1
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/$w/btime-$key" \\
		timeout $BUILD_TIMEOUT $PANCC -w $flags -o "$tmp/$w/pan-$key" \\
		pan.c < /dev/null 2> "$tmp/$w/berr-$key"
	rc=\$?
	if [ \$rc = 0 ]; then
		cp "$tmp/$w/pan-$key" "$CACHE/pan-$key.part\$\$" &&
		mv "$CACHE/pan-$key.part\$\$" "$CACHE/pan-$key"
		echo "\$(tail -n 1 "$tmp/$w/btime-$key") $flags" > "$CACHE/pan-$key.build"
	elif [ \$rc = 124 ]; then
		echo "not built: $PANCC took over $BUILD_TIMEOUT s" > "$CACHE/pan-$key.fail"
	else
		echo "not built: $PANCC failed: \$(grep -m 1 error "$tmp/$w/berr-$key")" > "$CACHE/pan-$key.fail"
	fi
	END
}

# Weak fairness (-f) keeps NFAIR counters a process: pan refuses to run
# when its processes + 1 reach 4 * NFAIR (default 2).  A -DNP search has
# the threads, init and the never claim: the option workload $1 needs,
# empty while the default will do (so the benchmark's pans keep their
# cache keys).
nfair() {
	n=$(( $(grep -c '^proctype ' "$tmp/$1/livelock.pml") + 2 ))
	f=2
	while [ $((n + 1)) -ge $((4 * f)) ]; do f=$((f + 1)); done
	[ $f = 2 ] || echo " -DNFAIR=$f"
}

# Build pan for every SPIN row of workload $1, or take it from the cache:
# one build per distinct flag set (the bitstate rows differ in run flags
# only), two at a time.  Prints a line per pan: its rows, built or
# cached, the build's wall and CPU seconds, or why it is left out.
build_pans() {
	w=$1
	mkdir -p "$CACHE" || return 1
	# the export's header: deadlock unchecked, so no invalid end states
	grep -q '^ \* properties:.* deadlock' "$tmp/$w/plain.pml" ||
		printf '%s\n' -E > "$tmp/$w/E"
	rows "$w" | while read -r name tool fam rest; do
		[ "$tool" = spin ] || continue
		flags=$(pan_flags "${rest%%|*}")
		kind=$(pml_kind "$flags")
		[ "$kind" = livelock ] && flags="$flags$(nfair "$w")"
		key=$(pan_key "$kind" "$flags")
		echo "$flags" > "$tmp/$w/flags-$name"
		echo "$key" > "$tmp/$w/bin-$name"
		echo "$kind" > "$tmp/$w/kind-$name"
		mkdir -p "$tmp/$w/$kind"
		echo "$name" >> "$tmp/$w/rows-$key"
		[ -e "$tmp/$w/want-$key" ] && continue
		echo "$kind $key $flags" > "$tmp/$w/want-$key"
		[ "${BENCH_RETRY:-0}" = 1 ] && rm -f "$CACHE/pan-$key.fail"
		[ -x "$CACHE/pan-$key" ] || [ -e "$CACHE/pan-$key.fail" ] &&
			continue
		if [ ! -e "$tmp/$w/$kind/pan.c" ]; then
			( cd "$tmp/$w/$kind" && spin -a "../$kind.pml" >/dev/null ) ||
				return 1
		fi
		build_script "$key" > "$tmp/$w/build-$key.sh"
	done || return 1
	find "$tmp/$w" -name 'build-*.sh' -print0 | xargs -0 -r -P 2 -n 1 sh
	for f in "$tmp/$w"/want-*; do
		read -r kind key flags < "$f"
		if [ -x "$CACHE/pan-$key" ]; then
			how=cached
			[ -e "$tmp/$w/build-$key.sh" ] && how=built
			read -r e u s m _ < "$CACHE/pan-$key.build"
			how=$(awk -v h="$how" -v e="$e" -v u="$u" -v s="$s" -v m="$m" \
				'BEGIN { printf "%s (build %.0f s wall, %.0f s CPU, %.0f MB)",
					h, e, u + s, m / 1024 }')
		else
			how="$(cat "$CACHE/pan-$key.fail") (BENCH_RETRY=1 tries again)"
		fi
		echo "  pan $key $(tr '\n' ' ' < "$tmp/$w/rows-$key")$how"
		echo "    $flags"
	done
}

# One round of workload $1 (scenario $2, hash table -w$3): every config.
round() {
	rows "$1" | while read -r name tool fam rest; do
		out=$tmp/$1/$tool-$name
		# the options and run flags are words: split on purpose
		# shellcheck disable=SC2086
		if [ "$tool" = faultline ]; then
			/usr/bin/time -f '%e %M %U %S' -o "$out.time" "$FL" \
				--models "$MODELS" explore "$2" -m xfs-mmaplock \
				${rest%%|*} < /dev/null > "$out.out" 2>&1
		else
			bin=$CACHE/pan-$(cat "$tmp/$1/bin-$name")
			if [ ! -x "$bin" ] || [ -e "$out.left" ]; then
				continue
			fi
			run="$(echo "${rest#*|}" | sed "s/W/$3/") $(cat "$tmp/$1/E" 2>/dev/null)"
			# in its build directory: pan -DNCORE names its shared
			# memory after its source, ../KIND.pml from there
			( cd "$tmp/$1/$(cat "$tmp/$1/kind-$name")" && /usr/bin/time -f '%e %M %U %S' \
				-o "$out.time" timeout "$RUN_TIMEOUT" "$bin" \
				-m100000 $run < /dev/null > "$out.out" 2>&1 )
			# the later rounds would end the same way: left out of
			# them, and of the table, which says why
			if grep -q 'status 124' "$out.time"; then
				echo "timed out after $RUN_TIMEOUT s (RUN_TIMEOUT)" > "$out.left"
			elif grep -q 'MEMLIM bound\|out of memory' "$out.out"; then
				echo "ran out of memory: $(grep -m 1 'MEMLIM bound\|out of memory' "$out.out")" > "$out.left"
			fi
		fi
		tail -n 1 "$out.time" >> "$out.runs"
	done
}

# median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# WORKLOAD TOOL NAME: "states transitions errors store-bytes/state":
# errors are properties found (and SPIN's non-progress cycles).
counts() {
	if [ "$2" = faultline ]; then
		awk '/^covered:/ { st = $2; tr = $4 }
		     /^stats:/ { for (i = 1; i <= NF; i++)
				if ($i == "bytes/state") b = $(i - 1) }
		     /^[a-z-]+: / && $2 != "never" && $2 != "not" &&
		     !/^(search|covered|stats):/ { e++ }
		     END { if (st != "") print st, tr, e + 0, b }' "$tmp/$1/$2-$3.out"
	else
		awk '/states, stored/ { st = $1 }
		     /transitions \(= (stored|visited)/ { tr = $1 }
		     /errors:/ { er = $NF }
		     END { if (st != "") print st, tr, er, "-" }' "$tmp/$1/$2-$3.out"
	fi
}

# WORKLOAD TOOL NAME COLUMN: median of a /usr/bin/time column (1 wall,
# 2 KB, 0 CPU = user + sys)
med() {
	f=$tmp/$1/$2-$3.runs
	if [ "$4" = 0 ]; then
		awk '{ print $3 + $4 }' "$f" | median
	else
		cut -d' ' -f"$4" "$f" | median
	fi
}

# WORKLOAD TOOL NAME: why the row has no figures (its pan did not build,
# or its run timed out or ran out of memory), or nothing.
left_out() {
	f=$tmp/$1/$2-$3
	if [ -e "$f.left" ]; then
		cat "$f.left"
	elif [ "$2" = spin ] && [ ! -s "$f.runs" ]; then
		cat "$CACHE/pan-$(cat "$tmp/$1/bin-$3").fail" 2>/dev/null ||
			echo "no pan"
	fi
}

# The table of workload $1.
table() {
	w=$1
	printf '  %-9s %-15s %11s %12s %4s %8s %13s %7s %11s %8s %9s %7s\n' \
		tool mode states transitions err seconds "(min-max)" "cpu s" \
		states/s "RSS MB" RSS/state store/st
	rows "$w" | while read -r name tool fam rest; do
		f=$tmp/$w/$tool-$name
		why=$(left_out "$w" "$tool" "$name")
		if [ -n "$why" ]; then
			printf '  %-9s %-15s left out: %s\n' "$tool" "$name" "$why"
			continue
		fi
		# shellcheck disable=SC2046 # counts prints words
		set -- $(counts "$w" "$tool" "$name")
		if [ $# -lt 4 ]; then
			printf '  %-9s %-15s no result: %s\n' "$tool" "$name" \
				"$(grep -v '^$' "$f.out" | head -n 1)"
			continue
		fi
		sec=$(med "$w" "$tool" "$name" 1)
		kb=$(med "$w" "$tool" "$name" 2)
		cpu=$(med "$w" "$tool" "$name" 0)
		echo "$cpu" > "$f.cpu"
		lo=$(cut -d' ' -f1 "$f.runs" | sort -g | head -n 1)
		hi=$(cut -d' ' -f1 "$f.runs" | sort -g | tail -n 1)
		awk -v t="$tool" -v m="$name" -v st="$1" -v tr="$2" -v e="$3" \
		    -v b="$4" -v s="$sec" -v kb="$kb" -v lo="$lo" \
		    -v hi="$hi" -v cpu="$cpu" \
		    'BEGIN { printf "  %-9s %-15s %11d %12d %4s %8.2f %13s %7.2f %11.0f %8.0f %9.0f %7s\n",
			t, m, st, tr, e, s, "(" lo "-" hi ")", cpu,
			st / (s > 0 ? s : 0.005), kb / 1024, kb * 1024 / st, b }'
	done
}

# WORKLOAD FAMILY: the SPIN row of the family with the least median CPU
best() {
	rows "$1" | while read -r name tool fam rest; do
		[ "$tool" = spin ] && [ "$fam" = "$2" ] &&
			[ -s "$tmp/$1/spin-$name.cpu" ] &&
			grep -q 'errors:' "$tmp/$1/spin-$name.out" &&
			echo "$(cat "$tmp/$1/spin-$name.cpu") $name"
	done | sort -g | head -n 1 | cut -d' ' -f2
}

# WORKLOAD FL-MODE SPIN-MODE COLUMN: median of the per-round ratios of
# a time column (1 wall, 0 CPU)
ratio() {
	if [ ! -s "$tmp/$1/faultline-$2.runs" ] || [ ! -s "$tmp/$1/spin-$3.runs" ]; then
		echo "n/a"
		return
	fi
	paste -d' ' "$tmp/$1/faultline-$2.runs" "$tmp/$1/spin-$3.runs" |
		awk -v c="$4" '{ a = c ? $c : $3 + $4; b = c ? $(c + 4) : $7 + $8
			print a / (b > 0 ? b : 0.005) }' | median |
		awk '{ printf "%.2f", $1 }'
}

# WORKLOAD FL-MODE SPIN-MODE: stored states faultline / SPIN, faultline's
# unreduced pass for livelock counted too.
state_ratio() {
	a=$(counts "$1" faultline "$2" | cut -d' ' -f1)
	b=$(counts "$1" spin "$3" | cut -d' ' -f1)
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }'
}

# The paired comparisons of workload $1: FL-MODE FAMILY LABEL
PAIRS="fp-safety safety-fp safety,_fingerprints
exact-safety safety-exact safety,_exact
fp-safety safety-2core safety,_SPIN_on_2_cores
fp livelock-fp livelock,_fingerprints
exact livelock-exact livelock,_exact"

verdicts() {
	echo "  faultline / SPIN's best analogue by CPU (median of per-round ratios):"
	echo "$PAIRS" | while read -r fl fam label; do
		sp=$(best "$1" "$fam")
		[ -n "$sp" ] || continue
		printf '    %-26s %-13s vs spin %-13s %6sx CPU, %6sx wall, %sx stored states\n' \
			"$(echo "$label" | tr _ ' ')" "$fl" "$sp" \
			"$(ratio "$1" "$fl" "$sp" 0)" "$(ratio "$1" "$fl" "$sp" 1)" \
			"$(state_ratio "$1" "$fl" "$sp")"
	done
}

# The README's rows of workload $1 (markdown, into $tmp/readme).
readme_rows() {
	w=$1
	echo "$PAIRS" | while read -r fl fam label; do
		sp=$(best "$w" "$fam")
		[ -n "$sp" ] || continue
		opts=$(configs | awk -v n="$fl" '$1 == n && $2 == "faultline" {
			$1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); sub(/\|$/, ""); print }')
		run=$(configs | awk -v n="$sp" '$1 == n && $2 == "spin" {
			sub(/.*\|/, ""); print }' | sed "s/W/$2/")
		# shellcheck disable=SC2016 # markdown's backquotes
		printf '| %s | %s | `%s` | `%s` `%s` | %s / %s | %s / %s | %sx | %sx | %sx |\n' \
			"$w" "$(echo "$label" | tr _ ' ')" "explore${opts:+ $opts}" \
			"$(cat "$tmp/$w/flags-$sp")" \
			"$(echo "$run $(cat "$tmp/$w/E" 2>/dev/null)" | sed 's/ *$//')" \
			"$(counts "$w" faultline "$fl" | cut -d' ' -f1)" \
			"$(counts "$w" spin "$sp" | cut -d' ' -f1)" \
			"$(med "$w" faultline "$fl" 0)" "$(med "$w" spin "$sp" 0)" \
			"$(ratio "$w" "$fl" "$sp" 0)" "$(ratio "$w" "$fl" "$sp" 1)" \
			"$(state_ratio "$w" "$fl" "$sp")"
	done >> "$tmp/readme"
}

# Build flags $1 against SPIN_BASE: +FLAG added, -FLAG dropped
flag_diff() {
	d=
	for f in $1; do
		case " $SPIN_BASE " in *" $f "*) ;; *) d="$d +$f" ;; esac
	done
	for f in $SPIN_BASE; do
		case " $1 " in *" $f "*) ;; *) d="$d -$f" ;; esac
	done
	echo "${d# }"
}

# The flag search (the benchmark's SPIN rows): markdown, into $tmp/search
flag_search() {
	base=$(med bench spin exact 0)
	rows bench | while read -r name tool fam rest; do
		if [ "$tool" != spin ] || [ ! -s "$tmp/bench/spin-$name.runs" ]; then
			continue
		fi
		# shellcheck disable=SC2046 # counts prints words
		set -- $(counts bench spin "$name")
		cpu=$(med bench spin "$name" 0)
		run=$(echo "${rest#*|}" | sed "s/W/18/")
		# shellcheck disable=SC2016 # markdown's backquotes
		printf '| %s | %s | `%s` `%s` | %s | %s | %s | %s |\n' "$name" \
			"$fam" "$(flag_diff "$(cat "$tmp/bench/flags-$name")")" \
			"$run" "${1:-none}" "$cpu" "$(med bench spin "$name" 1)" \
			"$(awk -v a="$cpu" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
	done > "$tmp/search"
}

# SPIN's exact store (and -DNCORE=2's) against faultline's unreduced
# count: the export is faultline's program step for step, so SPIN holds
# the same states plus the threads' start (the state before init, and
# one per thread's initial local run, sim_step_init's, each an atomic
# block of its own).
same_space() {
	fl=
	for r in fp-nopor fp-nopor-safety fp; do
		f=$tmp/$1/faultline-$r.out
		[ -z "$fl" ] && [ -s "$f" ] || continue
		# the full check of a program that can cycle is unreduced
		[ $r != fp ] || grep -q '^search: .*no reduction' "$f" || continue
		fl=$(counts "$1" faultline $r | cut -d' ' -f1)
	done
	[ -n "$fl" ] || return 0
	nt=$(grep -c '^thread ' "$2")
	for sp in exact collapse ncore2; do
		[ -s "$tmp/$1/spin-$sp.out" ] || continue
		# a store that ran out holds part of the space
		! grep -q 'reached -DMEMLIM' "$tmp/$1/spin-$sp.out" || continue
		n=$(counts "$1" spin "$sp" | cut -d' ' -f1)
		if [ -z "$n" ]; then
			echo "  states: SPIN $sp: no result"
		elif [ "$n" = $((fl + nt + 1)) ]; then
			echo "  states: SPIN $sp $n = faultline unreduced $fl + $nt threads + 1"
		else
			echo "  states: SPIN $sp $n, faultline unreduced $fl: NOT the same space (expected $((fl + nt + 1)))"
		fi
	done
}

bench_workload() {
	w=$1 scn=$2 bits=$3
	echo
	echo "$w: $(basename "$scn") -m xfs-mmaplock, $RUNS rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
	if [ $have_spin = 1 ]; then
		build_pans "$w"
		echo "  (pan built; load average $(cut -d' ' -f1-3 /proc/loadavg))"
	fi
	i=0
	while [ $i -lt "$RUNS" ]; do
		round "$w" "$scn" "$bits"
		i=$((i + 1))
	done
	table "$w"
	if [ $have_spin = 1 ]; then
		verdicts "$w"
		same_space "$w" "$scn"
		readme_rows "$w" "$bits"
	fi
	echo "  (load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
}

# The Promela of workload $1 ($tmp/$1.scn): faultline's own translation,
# plain, with progress labels, without hidden variables.  Exported from
# $tmp with relative paths, which the file's header names, so that the
# text (the cache key of its pans) is the same in every run and checkout.
export_pml() {
	mkdir -p "$tmp/$1"
	ln -sfn "$MODELS" "$tmp/models"
	for k in plain livelock nohidden; do
		case $k in
		plain) o= ;; livelock) o=--livelock ;; nohidden) o=--no-hidden ;;
		esac
		( cd "$tmp" && "$FL" --models models export --promela "$1.scn" \
			-m xfs-mmaplock ${o:+"$o"} -o "$1/$k.pml" ) || return 1
	done
}

cp tests/bench/scale-faults.scn "$tmp/bench.scn"
$PY "$GEN" --threads "$THREADS" --extra "$EXTRA" > "$tmp/scale-up.scn"
export_pml bench || exit 1
export_pml scale-up || exit 1
[ $have_spin = 1 ] || echo "spin not installed: SPIN rows skipped"
bench_workload bench "$tmp/bench.scn" 18
workloads=bench
[ "${BENCH_SCALEUP:-1}" = 1 ] && workloads="bench scale-up" &&
	bench_workload scale-up "$tmp/scale-up.scn" 25
[ $have_spin = 1 ] || exit 0
echo
echo "README table: faultline against SPIN's best analogue (by median CPU"
echo "seconds), paired rounds, medians of $RUNS; scale-up: --threads $THREADS --extra $EXTRA"
echo
echo "| workload | check | faultline | SPIN (build, run) | states stored faultline / SPIN | CPU s faultline / SPIN | CPU ratio | wall ratio | stored states ratio |"
echo "|---|---|---|---|---|---|---|---|---|"
cat "$tmp/readme"
for w in $workloads; do
	rows "$w" | while read -r name tool fam rest; do
		why=$(left_out "$w" "$tool" "$name")
		[ -z "$why" ] || echo "Left out of $w: $tool $name ($fam), $why."
	done
done > "$tmp/left"
if [ -s "$tmp/left" ]; then
	echo
	cat "$tmp/left"
fi
flag_search
echo
echo "README flag search (the benchmark; SPIN_BASE: $SPIN_BASE):"
echo
echo "| row | family | flags over SPIN_BASE, run | states | CPU s | wall s | CPU / exact's |"
echo "|---|---|---|---|---|---|---|"
cat "$tmp/search"
