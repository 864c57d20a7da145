#!/bin/sh
# cli.sh - the command line as a user meets it: every malformed input in
# tests/bad/ gives "FILE:LINE:COL: message" on stderr and exit 2 through
# the real binary; exit codes of run; byte-identical output; replay; every
# scenario's named schedules reproduce a race somewhere.
# Ends with "N passed, N failed".
set -u
FL=./faultline
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_error CODE REGEX CMD...: exit CODE and stderr matching REGEX.
expect_error() {
	code=$1 re=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq "$code" ] && grep -Eq "$re" "$tmp/err"; then
		ok
	else
		bad "$* -> exit $rc: $(head -c 200 "$tmp/err")"
	fi
}

for f in tests/bad/*.scn; do
	expect_error 2 "^faultline: $f:[0-9]+:[0-9]+: " \
		$FL run "$f" -m v4.2-dax
done
for f in tests/bad/*.model; do
	name=$(basename "$f" .model)
	# a model's error may be in the file it extends
	expect_error 2 "^faultline: (tests/bad/[a-z0-9-]+\.model:[0-9]+:[0-9]+: |unknown model )" \
		$FL --models tests/bad show "$name"
done

scn=scenarios/fault-vs-truncate.scn
expect_error 2 "unknown model 'nosuch'" $FL run $scn -m nosuch
expect_error 2 "abstract" $FL run $scn -m base
expect_error 2 "^faultline: --schedule:1:1: " $FL run $scn -m v4.2-dax --schedule T9
expect_error 2 "Unknown option" $FL run $scn -m v4.2-dax --bogus
expect_error 2 "non-negative" $FL explore $scn -m v4.2-dax --depth-max=-1
expect_error 2 "^faultline: nosuch.scn: " $FL run nosuch.scn -m v4.2-dax
expect_error 2 "has no op" $FL run scenarios/read-vs-punch-hole.scn -m boaz-early-unlock
expect_error 2 "^faultline: tests/bad/dup-thread.scn:[0-9]+:[0-9]+: " \
	$FL check tests/bad/dup-thread.scn
printf 'faultline-trail 1\nscenario %s\nmodel v4.2-dax\nsteps 1\nT0 1:1\n' $scn >"$tmp/t"
expect_error 2 "^faultline: $tmp/t:5:1: malformed step" $FL replay "$tmp/t"

# exit codes of run: 1 violation, 4 impossible, 0 clean
$FL run $scn -m boaz-early-unlock --schedule seed-001 >/dev/null 2>&1
[ $? -eq 1 ] && ok || bad "run boaz seed-001 should exit 1"
$FL run $scn -m xfs-mmaplock --schedule seed-001 >"$tmp/x" 2>&1
[ $? -eq 4 ] && grep -q "T1 cannot run: waits for i_mmaplock held by T0" "$tmp/x" &&
	ok || bad "run xfs seed-001 should be impossible, naming i_mmaplock"
$FL run $scn -m xfs-mmaplock >/dev/null 2>&1
[ $? -eq 0 ] && ok || bad "run xfs (default policy) should exit 0"

# A load then a store of one hole in one thread (issue 8 section 2.1):
# the write-protect fault on the hole page goes to ->page_mkwrite (the
# write fault), so the store lands and the run ends; a hole page sent to
# ->pfn_mkwrite faults forever and stops at SIM_STEPS_MAX (or, looking
# for a radix entry the hole has not got, fails the store with SIGBUS).
for m in v4.2-dax i_mmap-exclusive v4.3-dax xfs-mmaplock ext4-i_mmap_sem \
	 jan-hashed-mutex dax-entry-lock dax-entry-lock-noflush kirill-range-lock; do
	$FL run scenarios/hole-load-then-store.scn -m $m >"$tmp/x" 2>&1
	[ $? -eq 0 ] && ! grep -q SIM_STEPS_MAX "$tmp/x" && grep -q "^ *} store$" "$tmp/x" &&
		ok || bad "run hole-load-then-store -m $m should end with the store done"
done

# byte-identical output, and replay reproduces the run
for cmd in "run $scn -m boaz-early-unlock --schedule seed-001" \
	   "explore $scn --all-models" "matrix"; do
	$FL $cmd >"$tmp/a" 2>/dev/null
	$FL $cmd >"$tmp/b" 2>/dev/null
	cmp -s "$tmp/a" "$tmp/b" && ok || bad "not deterministic: $cmd"
done
$FL run $scn -m boaz-early-unlock --schedule seed-001 --trail "$tmp/trail" \
	>"$tmp/a" 2>/dev/null
$FL replay "$tmp/trail" >"$tmp/b" 2>/dev/null
[ "$(tail -n +2 "$tmp/a")" = "$(tail -n +2 "$tmp/b")" ] && ok ||
	bad "replay differs from the run"
$FL explore $scn -m boaz-early-unlock --trail "$tmp/trail2" >/dev/null 2>&1
$FL replay "$tmp/trail2" >"$tmp/c" 2>/dev/null
[ $? -eq 1 ] && grep -q "write-to-freed" "$tmp/c" && ok ||
	bad "replay of explore's trail should reproduce the race"

# The README shows the matrix at this commit: it must be what the models
# give now (regenerate it with `./faultline matrix` when they change).
$FL matrix | sed -n '/^model \\ race/,/^$/p' | sed '$d' >"$tmp/m"
sed -n '/^model \\ race/,/^```/p' README.md | sed '$d' >"$tmp/r"
cmp -s "$tmp/m" "$tmp/r" && ok || bad "README.md's matrix is stale"

# show --lint: every shipped op and fn cites what it follows (exit 0); an
# uncited one is named at its position, with exit 1.
$FL show --lint >"$tmp/l" 2>&1
[ $? -eq 0 ] && grep -q ", 0 without a citation$" "$tmp/l" && ok ||
	bad "show --lint: $(grep -v ' 0 without' "$tmp/l" | head -3)"
mkdir "$tmp/lint"
printf 'model u\nabstract\n# f, fs/f.c, v4.2\nop f() {\n}\n# no citation\nfn g() {\n}\n' \
	>"$tmp/lint/u.model"
$FL --models "$tmp/lint" show --lint u >"$tmp/l" 2>&1
[ $? -eq 1 ] && grep -q "^$tmp/lint/u.model:7:4: fn g: no citation in 'no citation'" "$tmp/l" &&
	grep -q "^2 procedures, 1 without a citation$" "$tmp/l" && ok ||
	bad "show --lint should reject fn g: $(head -c 200 "$tmp/l")"

# show: per op, the acquisition order and the locks held at each
# primitive, calls inlined; an abstract base's call of a child's op is
# named, not expanded.
$FL show xfs-mmaplock >"$tmp/s" 2>&1
sed -n '/^op truncate(size)/,/^op /p' "$tmp/s" >"$tmp/t"
grep -q "^  order: i_iolock(W) -> i_mmaplock(W) .* first at models/xfs-mmaplock.model:" "$tmp/t" &&
	grep -Eq "^  models/base.model:[0-9]+ +down_write\(i_mmap_rwsem\) +i_iolock\(W\) i_mmaplock\(W\)$" "$tmp/t" &&
	ok || bad "show xfs-mmaplock: truncate's order and held locks: $(head -c 300 "$tmp/t")"
$FL show base >"$tmp/s" 2>&1
grep -q "ret = fault(pgoff, 1)  (not expanded: defined by the models that extend this one)" "$tmp/s" &&
	ok || bad "show base should name fault() as not expanded"
$FL show dax-entry-lock >"$tmp/a" 2>/dev/null
$FL show dax-entry-lock >"$tmp/b" 2>/dev/null
cmp -s "$tmp/a" "$tmp/b" && ok || bad "show is not deterministic"

# Every scenario is listed in scenarios/README.md with its race id.
for f in scenarios/*.scn; do
	n=$(basename "$f" .scn)
	r=$(sed -n 's/^race //p' "$f")
	grep -q "^| $r | \`$n\` |" scenarios/README.md && ok ||
		bad "scenarios/README.md does not list $n ($r)"
done

# Every named schedule (the interleaving a mail draws) reproduces its
# race under at least one model: run exits 1 there.
models=$($FL models | awk '{ print $1 }')
for f in scenarios/*.scn; do
	for s in $(sed -n 's/^schedule \([^:]*\):.*/\1/p' "$f"); do
		hit=
		for m in $models; do
			$FL run "$f" -m "$m" --schedule "$s" >/dev/null 2>&1
			[ $? -eq 1 ] && { hit=$m; break; }
		done
		[ -n "$hit" ] && ok || bad "schedule $s of $f reproduces nothing"
	done
done

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
