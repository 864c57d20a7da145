#!/usr/bin/python3
"""variants.py - the model-fidelity regression: variants of every race scenario.

A verdict is a claim about the kernel, not about one drawing of the race:
moving the scenario to other pages, adding a thread or putting a thread in
another process must not change it, except where the kernel code of that
release really behaves differently.  For every race scenario in
scenarios/ (workload-only ones have no threads and are skipped) this
derives variants, explores each with every model (`faultline explore
--all-models --json`, bounded by --states-max), and compares each cell with
the original scenario's cell explored the same way:

  shift+K   every page argument and the file moved K pages up (K even, so a
            2-page PMD stays aligned; truncate sizes and blocks move too):
            the violated properties must be identical;
  copy-TN   a copy of thread TN added to its process: behaviours only
            grow, so every property violated before must still be; one
            found in addition is a change for review;
  proc-TN   thread TN, which shares its process with another thread, moved
            to a new process (a fault in another mm of the same file):
            every change is for review.

A cell is its set of properties found ("sometimes"), `n/a` when the model
lacks an op, and INCOMPLETE when the search hit its bound (never counted as
agreeing).  Every cell that does not agree must be listed, with its result
and a one-line reason, in tests/variants.expect; a mismatch not listed, or
a listed one that no longer happens, fails the run.  Output is
deterministic: the bound is in states, not seconds.

usage: tests/variants.py [--faultline BIN] [--expect FILE] [--jobs N]
                         [--kinds shift,copy,proc] [--copy-sample N] [--list]
                         [SCENARIO.scn...]
`make check` runs the shift and proc variants of every scenario and the
copies of every 8th (--copy-sample 8); `make check-variants` all of them.
The last line is "variants: N passed, N failed" (tests/check.sh reads it).
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

SHIFTS = (2, 10)
STATES_MAX = 300000
TIME_MAX = 120          # a guard against a hang only; runs end on states

# Each op a scenario may call, and what each argument is: 'p' a page,
# 'size' a size in pages (both move with a shift), 'src' a page or -1 (no
# user buffer: stays).  An op missing here stops the generator: it must
# learn what the new op's arguments mean before it moves them.
OP_ARGS = {
    'store': ('p',), 'load': ('p',), 'cow_store': ('p',), 'pmd_store': ('p',),
    'mkwrite': ('p',), 'read': ('p',), 'direct_read': ('p',),
    'direct_write': ('p',), 'dma_to_mmap': ('src',),
    'write': ('p', 'src'), 'write_from_user': ('p', 'src'),
    'write_faulting_copy': ('p', 'src'), 'iomap_write': ('p', 'src'),
    'truncate': ('size',), 'punch_hole': ('p', 'p'),
    'collapse_range': ('p', 'p'), 'madvise_dontneed': ('p', 'p'),
    'fsync': (), 'mmap': (), 'jbd2_commit': (),
}

CALL = re.compile(r'\b([A-Za-z_]\w*)\(([^()]*)\)')


class Unfit(Exception):
    """The scenario cannot be varied this way (said why, not an error)."""


class Scenario:
    """A scenario file cut into what the variants rewrite: the file line,
    the processes, the threads (name, process, body lines), and the rest
    (headers, check) kept as is; expect and schedule lines are dropped."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-4]
        self.head, self.tail, self.procs, self.threads = [], [], [], []
        self.file = None
        self.workload = False
        lines = open(path).read().split('\n')
        i = 0
        while i < len(lines):
            line = lines[i].rstrip()
            i += 1
            word = line.split()[0] if line.split() else ''
            if word not in ('summary', 'source'):     # a '#' inside their string
                line = line.split('#', 1)[0].rstrip()
                word = line.split()[0] if line.split() else ''
            if word in ('', 'expect', 'schedule'):
                continue
            if word == 'workload':
                self.workload = True
                break
            if word == 'file':
                self.file = line.split()
            elif word == 'proc':
                self.procs.append(line.split()[1])
            elif word == 'thread':
                m = re.match(r'thread\s+(\w+)(?:\s+in\s+(\w+))?\s*\{\s*$', line)
                if not m:
                    raise Unfit('%s:%d: thread line not understood' % (path, i))
                body = []
                while lines[i].strip() != '}':
                    body.append(lines[i].split('#', 1)[0].rstrip())
                    i += 1
                i += 1
                self.threads.append([m.group(1), m.group(2) or 'P0', body])
            elif self.file is None:
                self.head.append(line)
            else:
                self.tail.append(line)
        if not self.procs:
            self.procs = ['P0']

    def text(self):
        out = list(self.head)
        out.append(' '.join(self.file))
        out += ['proc ' + p for p in self.procs]
        for name, proc, body in self.threads:
            out.append('thread %s in %s {' % (name, proc))
            out += body
            out.append('}')
        return '\n'.join(out + self.tail) + '\n'

    def copy(self):
        c = Scenario.__new__(Scenario)
        c.__dict__.update(self.__dict__)
        c.procs = list(self.procs)
        c.threads = [[n, p, list(b)] for n, p, b in self.threads]
        c.file = list(self.file)
        return c


def shift_call(m, k, where):
    op, args = m.group(1), [a.strip() for a in m.group(2).split(',') if a.strip()]
    if op not in OP_ARGS:
        raise Unfit('%s: op %s: which arguments are pages is not known' % (where, op))
    kinds = OP_ARGS[op]
    if len(kinds) != len(args):
        raise Unfit('%s: %s takes %d arguments' % (where, op, len(kinds)))
    out = []
    for kind, a in zip(kinds, args):
        if a in ('PAGES', 'LAST'):
            out.append(a)       # follows the world, which grows with the file
        elif not re.fullmatch(r'-?\d+', a):
            raise Unfit('%s: %s(%s): not an immediate' % (where, op, a))
        elif kind == 'src' and int(a) < 0:
            out.append(a)
        else:
            out.append(str(int(a) + k))
    return '%s(%s)' % (op, ', '.join(out))


def shift(sc, k):
    """Every page K up: the file grows by K pages, its blocks move with it
    (pages 0..K-1 are holes no thread touches)."""
    v = sc.copy()
    f = v.file                  # file size N [blocks LIST]
    if f[1] != 'size':
        raise Unfit('file line not understood')
    size = int(f[2])
    uses_symbols = any(re.search(r'\b(PAGES|LAST)\b', ln) for _, _, b in v.threads for ln in b)
    if uses_symbols and size < 8:
        raise Unfit('PAGES/LAST on a file under 8 pages do not move with it')
    blocks = []
    for item in re.split(r'[,\s]+', ' '.join(f[4:])) if len(f) > 3 else []:
        if not item:
            continue
        lo, _, hi = item.partition('..')
        blocks.append('%d..%d' % (int(lo) + k, int(hi) + k) if hi else str(int(item) + k))
    v.file = ['file', 'size', str(size + k)] + (['blocks'] + blocks if blocks else [])
    for t in v.threads:
        t[2] = [CALL.sub(lambda m: shift_call(m, k, '%s %s' % (sc.name, t[0])), ln)
                for ln in t[2]]
    return v


def next_name(names, prefix):
    n = 0
    while '%s%d' % (prefix, n) in names:
        n += 1
    return '%s%d' % (prefix, n)


def add_copy(sc, i):
    """A copy of thread I, in I's process."""
    v = sc.copy()
    name, proc, body = sc.threads[i]
    v.threads.append([next_name([t[0] for t in v.threads], 'T'), proc, list(body)])
    return v


def to_new_proc(sc, i):
    """Thread I alone in a new process; only a thread that shares its
    process (else the variant is the scenario renamed)."""
    name, proc, _ = sc.threads[i]
    if sum(1 for t in sc.threads if t[1] == proc) < 2:
        raise Unfit('%s is alone in %s' % (name, proc))
    v = sc.copy()
    p = next_name(v.procs, 'P')
    v.procs.append(p)
    v.threads[i][1] = p
    return v


KINDS = ('shift', 'copy', 'proc')


def variants(sc, kinds):
    """(id, Scenario, None) per variant of the KINDS asked for; (id, None,
    why) for one that cannot be made."""
    out = []
    if 'shift' in kinds:
        out += [('shift+%d' % k, lambda k=k: shift(sc, k)) for k in SHIFTS]
    if 'copy' in kinds:
        out += [('copy-' + t[0], lambda i=i: add_copy(sc, i)) for i, t in enumerate(sc.threads)]
    if 'proc' in kinds:
        out += [('proc-' + t[0], lambda i=i: to_new_proc(sc, i))
                for i, t in enumerate(sc.threads)]
    res = []
    for vid, make in out:
        try:
            res.append((vid, make(), None))
        except Unfit as e:
            res.append((vid, None, str(e)))
    return res


def explore(faultline, path):
    """{model: 'n/a' | 'INCOMPLETE' | frozenset(properties found)}"""
    fd, js = tempfile.mkstemp(suffix='.json')
    os.close(fd)
    try:
        r = subprocess.run([faultline, 'explore', path, '--all-models', '--json', js,
                            '--states-max', str(STATES_MAX), '--time-max', str(TIME_MAX)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode not in (0, 1, 3):
            return {'error': r.stderr.strip().split('\n')[-1]}
        doc = json.load(open(js))
    finally:
        os.unlink(js)
    cells = {}
    for m in doc['models']:
        if m['applicable'] is False:
            if 'abstract' not in m.get('why', ''):
                cells[m['model']] = 'n/a'
            continue
        found = frozenset(p for p, v in m['properties'].items() if v['verdict'] == 'sometimes')
        cells[m['model']] = found if m['complete'] else ('INCOMPLETE', found)
    return cells


def show(cell):
    if cell == 'n/a':
        return 'n/a'
    if isinstance(cell, tuple):
        return 'INCOMPLETE' + ''.join(' ' + p for p in sorted(cell[1]))
    return ' '.join(sorted(cell)) or 'never'


def judge(vid, orig, var):
    """'agree', or why not: 'incomplete', 'lost' (a copy lost a property:
    behaviours only grow, so this is the model or the oracle), 'change'."""
    if isinstance(var, tuple) or isinstance(orig, tuple):
        return 'incomplete'
    if orig == var:
        return 'agree'
    if vid.startswith('copy-') and 'n/a' not in (orig, var) and not orig <= var:
        return 'lost'
    return 'change'


def load_expect(path):
    """{(scenario, variant, model): result} and the line of each."""
    exp, where = {}, {}
    for n, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        m = re.match(r'(\S+)\s+(\S+)\s+(\S+):\s*(.*?)\s+->\s+(.*?)\s+#\s*\S', line)
        if not m:
            raise SystemExit('%s:%d:1: expected "SCENARIO VARIANT MODEL: OLD -> NEW  # why"'
                             % (path, n))
        key = (m.group(1), m.group(2), m.group(3))
        if key in exp:
            raise SystemExit('%s:%d:1: %s listed twice' % (path, n, ' '.join(key)))
        exp[key] = (m.group(4), m.group(5))
        where[key] = n
    return exp, where


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('scenarios', nargs='*')
    ap.add_argument('--faultline', default='./faultline')
    ap.add_argument('--expect', default='tests/variants.expect')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--kinds', default=','.join(KINDS),
                    help='the variant kinds, comma-separated (default: all)')
    ap.add_argument('--copy-sample', type=int, default=1, metavar='N',
                    help='the copy variants of every Nth scenario only (the costly kind)')
    ap.add_argument('--list', action='store_true',
                    help='print every mismatch as an expectation line, judge nothing')
    a = ap.parse_args()
    paths = a.scenarios or sorted(os.path.join('scenarios', f)
                                  for f in os.listdir('scenarios') if f.endswith('.scn'))
    scs = [s for s in (Scenario(p) for p in paths) if not s.workload and s.threads]
    kinds = a.kinds.split(',')
    if not set(kinds) <= set(KINDS):
        ap.error('--kinds: %s: not one of %s' % (a.kinds, ', '.join(KINDS)))
    exp, where = load_expect(a.expect) if not a.list else ({}, {})

    tmp = tempfile.mkdtemp(prefix='faultline-variants.')
    jobs = []           # (scenario, variant id, path)
    unfit = []
    ran = {}            # scenario: the variant kinds made of it
    for n, sc in enumerate(scs):
        jobs.append((sc.name, 'original', sc.path))
        ran[sc.name] = [k for k in kinds if k != 'copy' or n % a.copy_sample == 0]
        for vid, v, why in variants(sc, ran[sc.name]):
            if v is None:
                unfit.append((sc.name, vid, why))
                continue
            d = os.path.join(tmp, vid)
            os.makedirs(d, exist_ok=True)
            p = os.path.join(d, sc.name + '.scn')
            open(p, 'w').write(v.text())
            jobs.append((sc.name, vid, p))
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(lambda j: explore(a.faultline, j[2]), jobs))
    for _, _, p in jobs:
        if p.startswith(tmp):
            os.unlink(p)
    for d in os.listdir(tmp):
        os.rmdir(os.path.join(tmp, d))
    os.rmdir(tmp)

    orig = {j[0]: r for j, r in zip(jobs, results) if j[1] == 'original'}
    vids = {name: set() for name in orig}
    for name, vid, _ in jobs:
        vids[name].add(vid)
    counts = {'agree': 0, 'change': 0, 'lost': 0, 'incomplete': 0}
    passed = failed = 0
    seen = set()
    for (name, vid, _), cells in zip(jobs, results):
        if 'error' in cells or 'error' in orig[name]:
            print('FAIL %s %s: %s' % (name, vid, cells.get('error') or orig[name]['error']))
            failed += 1
            continue
        for model in sorted(cells):
            o, v = orig[name][model], cells[model]
            if vid == 'original':
                if isinstance(o, tuple):
                    print('FAIL %s %s: the original is INCOMPLETE at %d states'
                          % (name, model, STATES_MAX))
                    failed += 1
                continue
            kind = judge(vid, o, v)
            counts[kind] += 1
            key = (name, vid, model)
            got = (show(o), show(v))
            line = '%s %s %s: %s -> %s' % (name, vid, model, got[0], got[1])
            if kind != 'agree' and a.list:
                print(line + '  # ' + kind)
            if a.list:
                continue
            seen.add(key)
            if kind == 'agree' and key not in exp:
                passed += 1
            elif key not in exp:
                print('FAIL %s  (%s, not in %s)' % (line, kind, a.expect))
                failed += 1
            elif exp[key] != got:
                print('FAIL %s  (%s:%d says %s -> %s)' % (line, a.expect, where[key], *exp[key]))
                failed += 1
            else:
                passed += 1
    # a line not judged: its model, variant or scenario is gone (or
    # misspelt), unless this run left its kind or its scenario out
    for key in sorted(set(exp) - seen):
        name, vid, _ = key
        kind = re.match(r'[a-z]*', vid).group(0)
        if name in orig and vid in vids[name]:
            why = 'no such variant cell'
        elif name in orig and (kind not in KINDS or kind in ran[name]):
            why = 'no such variant (or not derivable)'
        elif name not in orig and not a.scenarios:
            why = 'no such race scenario'
        else:
            continue
        print('FAIL %s:%d: %s: %s' % (a.expect, where[key], ' '.join(key), why))
        failed += 1
    nvar = len(jobs) - len(orig)
    print('variants: %d scenarios, %d variants (%d not derivable), %d cells: '
          '%d agree, %d changed, %d lost a property, %d incomplete'
          % (len(orig), nvar, len(unfit), sum(counts.values()), counts['agree'],
             counts['change'], counts['lost'], counts['incomplete']))
    print('variants: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
