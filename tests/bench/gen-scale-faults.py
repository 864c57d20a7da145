#!/usr/bin/env python3
"""gen-scale-faults.py - write the Promela twin of tests/bench/scale-faults.scn.

    python3 tests/bench/gen-scale-faults.py xfs-mmaplock > scale-faults-xfs-mmaplock.pml
    python3 tests/bench/gen-scale-faults.py v4.2-dax     > scale-faults-v4.2-dax.pml
    python3 tests/bench/gen-scale-faults.py --threads 5 --extra 3 --scn > up.scn
    python3 tests/bench/gen-scale-faults.py --threads 5 --extra 3 xfs-mmaplock > up.pml

--threads K (5 or 6) adds threads from MORE_THREADS below, --extra N
N more loads and stores dealt to the first four threads in turn from
EXTRA_OPS: the scale-up of `make bench` is --threads 5 --extra 3.  --scn writes the faultline scenario of the same
threads instead of the Promela twin.

The model follows models/base.model, models/v4.2-dax.model and
models/xfs-mmaplock.model statement by statement, with faultline's atomic
steps: one primitive (sim/step.c) followed by the local instructions up to
the next primitive is one `L: atomic { ... goto NEXT }` block, so SPIN
stores exactly one state per faultline step (SPIN does not store the states
inside an atomic sequence).  The state is faultline's hashed state: i_size,
the block map, blocks (owner, state, stored) with the LIFO free stack, the
page-cache page bits, per-process page tables, the CPU-cache dirty bits,
each thread's inval mask and live registers (cleared when a frame
returns), and every lock instance (holders, exclusive holders, FIFO wait
queue of tid | mode << 4, handoff `granted` bits).  Locks follow sim/lock.c:
an rwsem reader is granted when no writer holds it and no conflicting
waiter is queued ahead (a queued writer blocks new readers); a release hands
the lock to every waiter that now fits, in FIFO order, and the woken thread
takes one more step to return from its lock call.

Assertions are faultline's oracles (sim/oracle.c) for this scenario:
write-to-freed and uninit-read at the access, lost-store at zero_block,
stale-pte (PTEs and page-cache pages, excusing offsets another running op
removed) at every op return, and stale-pte plus stale-zero-page when the
world turns quiescent.  SPIN checks invalid end states (faultline: deadlock
and lost-wakeup).

The generator is a small compiler: the ops below are written in a tiny AST
(prim / local / if / while / call / return), inlined per thread, and every
primitive becomes a labelled atomic block whose tail expands the local code
after it up to the gotos of the next primitives.
"""
import sys

import argparse
_ap = argparse.ArgumentParser()
_ap.add_argument("model", nargs="?", default="xfs-mmaplock")
_ap.add_argument("--threads", type=int, default=4)
_ap.add_argument("--extra", type=int, default=0)
_ap.add_argument("--scn", action="store_true")
ARGS = _ap.parse_args()
MODEL = ARGS.model
XFS = MODEL == "xfs-mmaplock"
assert MODEL in ("xfs-mmaplock", "v4.2-dax"), MODEL

# The scenario (tests/bench/scale-faults.scn): (process, [ops]).
THREADS = [
    (0, [("store", 0), ("store", 3)]),
    (1, [("store", 3), ("load", 1)]),
    (0, [("load", 2), ("store", 1)]),
    (1, [("truncate", 2)]),
]
# The scale-up's ops, on every page of the file, shared and private,
# dealt to the four threads in turn (the truncating thread then faults
# too).  Stores, which fault and allocate, grow the space most.
EXTRA_OPS = [("store", 2), ("store", 0), ("store", 3), ("store", 1),
             ("store", 1), ("load", 2), ("store", 0), ("load", 3)]
# Threads past the fourth (--threads), which multiply the space most.
MORE_THREADS = [(1, [("store", 0), ("store", 2)]),
                (0, [("store", 3), ("store", 1)])]
THREADS += MORE_THREADS[:max(0, ARGS.threads - 4)]
for _i in range(ARGS.extra):
    THREADS[_i % 4][1].append(EXTRA_OPS[_i % len(EXTRA_OPS)])
# For checking the twin: GEN_THREADS=0,3 keeps only those threads.
import os
if os.environ.get("GEN_EXTRA"):
    THREADS += eval(os.environ["GEN_EXTRA"])
if os.environ.get("GEN_THREADS"):
    THREADS = [THREADS[int(i)] for i in os.environ["GEN_THREADS"].split(",")]
NPROCS = 2
I_SIZE = 4
NBLOCKS = 12
PAGES = 8
LAST = 7

# Lock instances: mmap_sem[P0], mmap_sem[P1], page[0..7], i_mmap_rwsem,
# journal, the syscall lock truncate takes first (v4.2-dax: i_rwsem, the
# VFS i_mutex; xfs-mmaplock: i_iolock), i_mmaplock (xfs-mmaplock only).
MMAP_SEM = 0
PAGE0 = 2
I_MMAP_RWSEM = PAGE0 + PAGES
JOURNAL = I_MMAP_RWSEM + 1
OUTER = JOURNAL + 1
I_MMAPLOCK = OUTER + 1
NLOCKS = I_MMAPLOCK + 1

# ---- AST ----------------------------------------------------------------
# ('prim', text)            one primitive: a scheduling point
# ('lock', inst, write)     acquire; a queued thread takes one more step
# ('unlock', inst)
# ('local', text)           local instructions
# ('if', cond, then, else)
# ('while', cond, body)
# ('ret', expr-or-None)     return from the current procedure
# ('call', fn, args, dst)   inline a procedure


def P(t):
    return ('prim', t)


def L(t):
    return ('local', t)


def IF(c, a, b=()):
    return ('if', c, list(a), list(b))


def WHILE(c, body):
    return ('while', c, list(body))


def RET(e=None):
    return ('ret', e)


def CALL(fn, args, dst=None):
    return ('call', fn, args, dst)


def DOWN_READ(i):
    return ('lock', i, 0)


def DOWN_WRITE(i):
    return ('lock', i, 1)


def UP(i):
    return ('unlock', i)


# Procedures: (params, locals, body builder(args) -> statements).  Locals
# are Promela variables of the thread, zeroed when the frame returns, as
# faultline clears a returning frame's registers.

def op_store(pg):
    return [
        P("USER_STORE(%s, s_r)" % pg),
        WHILE("s_r != FAULT_NONE", [
            DOWN_READ("MMAP_SEM + PROC"),
            IF("s_r == FAULT_NOPTE",
               [CALL("fault", [pg, 1], "s_ret")],
               [CALL("mkwrite", [pg], "s_ret")]),
            UP("MMAP_SEM + PROC"),
            IF("s_ret == SIGBUS", [RET("SIGBUS")]),
            P("USER_STORE(%s, s_r)" % pg),
        ]),
        RET("OK"),
    ]


def op_load(pg):
    return [
        P("USER_LOAD(%s, s_r)" % pg),
        WHILE("s_r != FAULT_NONE", [
            DOWN_READ("MMAP_SEM + PROC"),
            CALL("fault", [pg, 0], "s_ret"),
            UP("MMAP_SEM + PROC"),
            IF("s_ret == SIGBUS", [RET("SIGBUS")]),
            P("USER_LOAD(%s, s_r)" % pg),
        ]),
        RET("OK"),
    ]


def op_fault(pg, write):
    if XFS:
        return [
            DOWN_READ("I_MMAPLOCK"),
            CALL("__dax_fault", [pg, write], "f_r"),
            UP("I_MMAPLOCK"),
            RET("f_r"),
        ]
    return [CALL("__dax_fault", [pg, write], "f_r"), RET("f_r")]


def op_mkwrite(pg):
    if XFS:
        return [
            DOWN_READ("I_MMAPLOCK"),
            P("n4 = i_size"),
            IF("%s >= n4" % pg, [UP("I_MMAPLOCK"), RET("SIGBUS")]),
            P("PTE_MKWRITE(%s)" % pg),
            UP("I_MMAPLOCK"),
            RET("OK"),
        ]
    return [P("PTE_MKWRITE(%s)" % pg), RET("OK")]


def fn_dax_insert_mapping(pg, b, new, write):
    return [
        DOWN_READ("I_MMAP_RWSEM"),
        P("n2 = i_size"),
        IF("%s >= n2" % pg, [UP("I_MMAP_RWSEM"), RET("EIO")]),
        IF(new, [P("ZERO_BLOCK(%s)" % b)]),
        P("SET_PTE(%s, %s, %s, r3)" % (pg, b, write)),
        UP("I_MMAP_RWSEM"),
        RET("OK"),
    ]


def fn_dax_load_hole(pg, locked):
    return [
        IF("!%s" % locked, [
            ('lock', "PAGE0 + %s" % pg, 1),
            P("FIND_PAGE(%s, pg2)" % pg),
            IF("!pg2", [P("ADD_PAGE(%s, r4)" % pg)]),
        ]),
        P("n3 = i_size"),
        IF("%s >= n3" % pg, [UP("PAGE0 + %s" % pg), RET("SIGBUS")]),
        P("SET_PTE_ZERO(%s, r4)" % pg),
        UP("PAGE0 + %s" % pg),
        RET("OK"),
    ]


def fn_dax_fault(pg, write):
    return [
        P("n = i_size"),
        IF("%s >= n" % pg, [RET("SIGBUS")]),
        L("locked = 0"),
        P("FIND_PAGE(%s, pg)" % pg),
        WHILE("pg && !locked", [
            ('lock', "PAGE0 + %s" % pg, 1),
            P("FIND_PAGE(%s, pg)" % pg),
            IF("pg", [L("locked = 1")], [
                UP("PAGE0 + %s" % pg),
                P("FIND_PAGE(%s, pg)" % pg),
            ]),
        ]),
        IF("locked", [
            P("n = i_size"),
            IF("%s >= n" % pg, [UP("PAGE0 + %s" % pg), RET("SIGBUS")]),
        ]),
        P("GET_BLOCK(%s, 0, b, new)" % pg),
        L("major = 0"),
        IF("b == HOLE", [
            IF("!%s" % write, [
                CALL("dax_load_hole", [pg, "locked"], "r2"),
                RET("r2"),
            ]),
            DOWN_READ("JOURNAL"),
            P("GET_BLOCK(%s, 1, b, new)" % pg),
            UP("JOURNAL"),
            L("major = 1"),
        ]),
        IF("!locked && major", [
            P("FIND_PAGE(%s, pg)" % pg),
            IF("pg", [('lock', "PAGE0 + %s" % pg, 1), L("locked = 1")]),
        ]),
        IF("locked", [
            CALL("unmap_mapping_range", [pg, pg]),
            P("DELETE_PAGES(%s, %s)" % (pg, pg)),
            UP("PAGE0 + %s" % pg),
        ]),
        CALL("dax_insert_mapping", [pg, "b", "new", write], "r2"),
        IF("r2 == EIO", [RET("SIGBUS")]),
        RET("OK"),
    ]


def fn_unmap_mapping_range(a, b):
    return [
        DOWN_WRITE("I_MMAP_RWSEM"),
        P("ZAP_PTES(%s, %s)" % (a, b)),
        UP("I_MMAP_RWSEM"),
        RET(),
    ]


def fn_truncate_inode_pages_range(a, b):
    return [
        L("p = %s" % a),
        WHILE("p <= %s" % b, [
            P("FIND_PAGE(p, tpg)"),
            IF("tpg", [
                ('lock', "PAGE0 + p", 1),
                P("DELETE_PAGES(p, p)"),
                UP("PAGE0 + p"),
            ]),
            L("p++"),
        ]),
        RET(),
    ]


def fn_truncate_pagecache(a, b):
    return [
        CALL("unmap_mapping_range", [a, b]),
        CALL("truncate_inode_pages_range", [a, b]),
        CALL("unmap_mapping_range", [a, b]),
        RET(),
    ]


def fn_do_truncate(size):
    return [
        P("I_SIZE_WRITE(%s)" % size),
        CALL("truncate_pagecache", [size, LAST]),
        P("FREE_BLOCKS(%s, %s)" % (size, LAST)),
        RET(),
    ]


def op_truncate(size):
    if XFS:
        return [
            DOWN_WRITE("OUTER"),
            DOWN_WRITE("I_MMAPLOCK"),
            CALL("do_truncate", [size]),
            UP("I_MMAPLOCK"),
            UP("OUTER"),
            RET("OK"),
        ]
    return [
        DOWN_WRITE("OUTER"),
        CALL("do_truncate", [size]),
        UP("OUTER"),
        RET("OK"),
    ]


# name: (builder, locals cleared at return, is_op)
PROCS = {
    "store": (op_store, ["s_r", "s_ret"], True),
    "load": (op_load, ["s_r", "s_ret"], True),
    "truncate": (op_truncate, [], True),
    "fault": (op_fault, ["f_r"], False),
    "mkwrite": (op_mkwrite, ["n4"], False),
    "__dax_fault": (fn_dax_fault,
                    ["n", "locked", "pg", "b", "new", "major", "r2"], False),
    "dax_insert_mapping": (fn_dax_insert_mapping, ["n2", "r3"], False),
    "dax_load_hole": (fn_dax_load_hole, ["pg2", "r4", "n3"], False),
    "unmap_mapping_range": (fn_unmap_mapping_range, [], False),
    "truncate_inode_pages_range": (fn_truncate_inode_pages_range,
                                   ["p", "tpg"], False),
    "truncate_pagecache": (fn_truncate_pagecache, [], False),
    "do_truncate": (fn_do_truncate, [], False),
}
LOCALS = ["s_r", "s_ret", "f_r", "n4", "n", "locked", "pg", "b", "new",
          "major", "r2", "n2", "r3", "pg2", "r4", "n3", "p", "tpg"]
SIGNED = {"s_ret", "f_r", "r2", "r3", "r4"}

# ---- CFG ----------------------------------------------------------------


class Node:
    def __init__(self, kind, text=None, nxt=None, t=None, f=None):
        self.kind = kind        # prim, local, br, end
        self.text = text
        self.next = nxt
        self.t = t
        self.f = f
        self.label = None


class Compiler:
    def __init__(self):
        self.prims = []

    def prim(self, text, k):
        n = Node('prim', text, k)
        self.prims.append(n)
        return n

    def block(self, stmts, k, ctx):
        for s in reversed(stmts):
            k = self.stmt(s, k, ctx)
        return k

    def stmt(self, s, k, ctx):
        kind = s[0]
        if kind == 'prim':
            return self.prim(s[1], k)
        if kind == 'local':
            return Node('local', s[1], k)
        if kind == 'lock':
            # the attempt; if it queued, the handoff return is a step
            wait = self.prim("LOCK_WAIT(%s)" % s[1], k)
            return self.prim("LOCK(%s, %d)" % (s[1], s[2]),
                             Node('br', "granted_now",
                                  t=Node('local', "granted_now = 0", k),
                                  f=Node('local', "granted_now = 0", wait)))
        if kind == 'unlock':
            return self.prim("UNLOCK(%s)" % s[1], k)
        if kind == 'if':
            return Node('br', s[1], t=self.block(s[2], k, ctx),
                        f=self.block(s[3], k, ctx))
        if kind == 'while':
            head = Node('br', s[1])
            head.t = self.block(s[2], head, ctx)
            head.f = k
            return head
        if kind == 'ret':
            n = ctx['exit']
            if s[1] is not None and ctx['dst']:
                n = Node('local', "%s = %s" % (ctx['dst'], s[1]), n)
            return n
        if kind == 'call':
            return self.call(s[1], s[2], s[3], k)
        raise ValueError(kind)

    def call(self, name, args, dst, k):
        build, locs, is_op = PROCS[name]
        # the return: clear the frame's registers, then the op-return
        # oracles for an outermost op
        epi = ["%s = 0" % v for v in locs if v != dst]
        if is_op:
            epi.append("OP_RETURN()")
        exit_node = Node('local', "; ".join(epi) if epi else "skip", k)
        if dst in locs:
            raise ValueError(dst)
        body = build(*args)
        entry = self.block(body, exit_node, {'exit': exit_node, 'dst': dst})
        if is_op:
            entry = Node('local', "OP_START()", entry)
        return entry


def all_nodes(entry):
    seen, todo = set(), [entry]
    while todo:
        n = todo.pop()
        if n is None or id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        todo.extend([n.next, n.t, n.f])


def expand(n, out, ind, seen_local=0, returned=False):
    """The local code from N up to the next primitives, as Promela.  A step
    in which an op returned ends with the quiescence oracle (sim_step:
    the world was not quiescent before the step; is it now?)."""
    pad = "\t" * ind
    if seen_local > 200:
        raise RuntimeError("local loop without a primitive")
    if n is None or n.kind == 'prim':
        if returned:
            out.append(pad + "c_code { now.gbad = fl_quiescent(); }; "
                       "assert(!gbad); gbad = 0;")
        out.append(pad + ("goto %s" % n.label if n else "goto Lend"))
        return
    if n.kind == 'local':
        out.append(pad + n.text + ";")
        expand(n.next, out, ind, seen_local + 1,
               returned or "OP_RETURN" in n.text or
               "fl_op_return" in n.text)
        return
    if n.kind == 'br':
        out.append(pad + "if")
        out.append(pad + ":: (%s) ->" % n.text)
        expand(n.t, out, ind + 1, seen_local + 1, returned)
        out.append(pad + ":: else ->")
        expand(n.f, out, ind + 1, seen_local + 1, returned)
        out.append(pad + "fi")
        return
    raise ValueError(n.kind)


def cexpr(e, tid, proc):
    """A Promela lock-index or pgoff expression as C for c_code."""
    import re
    e = re.sub(r'\bPROC\b', str(proc), e)
    e = re.sub(r'\bME\b', str(tid), e)
    return re.sub(r'\b(p|pg)\b', lambda m: "PT%d->%s" % (tid, m.group(1)), e)


def to_c(text, tid, proc):
    """Rewrite the calls of the C helpers in one step's text."""
    import re
    m = re.match(r'^LOCK\((.*), (\d)\)$', text)
    if m:
        return ("c_code { PT%d->granted_now = fl_lock(%d, %s, %s); }"
                % (tid, tid, cexpr(m.group(1), tid, proc), m.group(2)))
    m = re.match(r'^UNLOCK\((.*)\)$', text)
    if m:
        return ("c_code { fl_unlock(%d, %s); }"
                % (tid, cexpr(m.group(1), tid, proc)))
    m = re.match(r'^ZAP_PTES\((.*), (.*)\)$', text)
    if m:
        return ("c_code { fl_zap_ptes(%s, %s); }"
                % (cexpr(m.group(1), tid, proc), cexpr(m.group(2), tid, proc)))
    text = text.replace("OP_RETURN()", "c_code { now.gbad = fl_op_return(%d); }; "
                        "assert(!gbad); gbad = 0" % tid)
    text = text.replace("QUIESCENT_CHECK()", "c_code { now.gbad = fl_quiescent(); }; "
                        "assert(!gbad); gbad = 0")
    return text


def thread(tid, proc, ops):
    c = Compiler()
    k = None
    for name, arg in reversed(ops):
        k = c.call(name, [arg], None, k)
    # the locals before the first primitive (starting the first op) run
    # at initialisation (sim_step_init): init sets inop
    entry = k
    assert entry.kind == 'local' and entry.text == "OP_START()"
    first = entry.next
    assert first.kind == 'prim'
    c.prims.remove(first)
    c.prims.insert(0, first)
    for i, n in enumerate(c.prims):
        n.label = "L%d" % i
        n.text = to_c(n.text, tid, proc)
    for n in all_nodes(entry):
        if n.kind == 'local':
            n.text = to_c(n.text, tid, proc)
    out = []
    out.append("proctype T%d()" % tid)
    out.append("{")
    out.append("\tbyte ME = %d, PROC = %d;   /* constant */" % (tid, proc))
    out.append("\tbyte %s;" % ", ".join(v for v in LOCALS
                                        if v not in SIGNED))
    out.append("\tshort %s;" % ", ".join(sorted(SIGNED)))
    out.append("\tbool granted_now;")
    for n in c.prims:
        out.append("%s:\tatomic {" % n.label)
        out.append("\t\t" + n.text + ";")
        expand(n.next, out, 2)
        out.append("\t}")
    # a finished thread stays at Lend (a valid end state), so the step
    # that finishes it is its last transition, as in faultline
    out.append("Lend:")
    out.append("end_done:")
    out.append("\tfalse")
    out.append("}")
    return "\n".join(out)


HEADER = r"""/*
 * scale-faults-%(model)s.pml - GENERATED by tests/bench/gen-scale-faults.py
 * %(model)s; do not edit.
 *
 * The Promela twin of `faultline explore tests/bench/scale-faults.scn -m
 * %(model)s`: same threads, same atomic steps, same state, same oracles (see
 * the generator's header).  Bench with:
 *   spin -a scale-faults-%(model)s.pml && cc -O2 -DSAFETY [-DNOREDUCE] pan.c
 */
#define FAULT_NONE  0
#define FAULT_NOPTE 1
#define FAULT_WP    2
#define OK          0
#define SIGBUS      (-7)
#define EIO         (-5)
#define EBUSY       (-16)
#define HOLE        0
#define K_NONE      0
#define K_ZERO      1
#define K_BLOCK     2
#define BLK_FREE    0
#define BLK_NEW     1
#define BLK_ZEROED  2
#define BLK_WRITTEN 3
#define NTHREADS    %(nthreads)d
#define NPROCS      %(nprocs)d
#define NBLOCKS     %(nblocks)d
#define PAGES       %(pages)d
#define MMAP_SEM    %(mmap_sem)d
#define PAGE0       %(page0)d
#define I_MMAP_RWSEM %(i_mmap_rwsem)d
#define JOURNAL     %(journal)d
#define OUTER       %(outer)d
#define I_MMAPLOCK  %(i_mmaplock)d
#define NLOCKS      %(nlocks)d

/* inode 0 */
byte i_size = %(i_size)d;
byte bmap[PAGES];
bool page[PAGES];               /* a page-cache page is present (clean,
				 * zero-filled: holes only here) */
/* blocks B1..B12 ([0] unused) and the LIFO free stack */
byte owner_ino[NBLOCKS + 1];
byte owner_pgoff[NBLOCKS + 1];
byte bstate[NBLOCKS + 1];
bool stored[NBLOCKS + 1];
byte free_stack[NBLOCKS];
byte nfree;
unsigned cache_dirty : 13;      /* bit b: block b's CPU cache lines */
/* page tables: [proc * PAGES + pgoff] */
byte pte_kind[NPROCS * PAGES];
byte pte_target[NPROCS * PAGES];
bool pte_w[NPROCS * PAGES];
/* threads */
byte inval[NTHREADS];           /* pgoffs the running op removed */
byte inop;                      /* threads inside an op (redundant with
				 * the pcs: adds no state) */
bool granted[NTHREADS];         /* a handoff gave it the lock it waits at */
/* lock instances (sim/lock.c) */
byte lk_held[NLOCKS];
byte lk_excl[NLOCKS];
byte lk_nwait[NLOCKS];
byte lk_wait[NLOCKS * NTHREADS]; /* tid | mode << 4, FIFO */
bool lk_rwsem[NLOCKS];          /* constant: shared mode allowed */

byte gi, gt, gp;                /* scratch, always 0 between steps */
bool gbad;                      /* an op-boundary oracle fired */

/* ---- locks and op-boundary oracles, in C ----
 * The same rules as sim/lock.c and sim/oracle.c, written once as C
 * (c_code) instead of Promela loops inlined at each of the ~200 call sites,
 * which made pan.c take minutes to compile.  A c_code statement inside an
 * atomic block is part of that one step; pan restores the state vector
 * on backtracking. */
c_code {
/* a request in mode m can be granted, given the holders and the first
 * `ahead` waiters (FIFO: a queued writer blocks new readers) */
static int fl_grantable(int lk, int m, int ahead)
{
	int t;
	for (t = 0; t < NTHREADS; t++)
		if (((now.lk_held[lk] >> t) & 1) &&
		    (((now.lk_excl[lk] >> t) & 1) || m || !now.lk_rwsem[lk]))
			return 0;
	for (t = 0; t < ahead; t++)
		if ((now.lk_wait[lk * NTHREADS + t] >> 4) || m ||
		    !now.lk_rwsem[lk])
			return 0;
	return 1;
}

/* the attempt: granted (1) or queued (0) */
static int fl_lock(int me, int lk, int m)
{
	if (fl_grantable(lk, m, now.lk_nwait[lk])) {
		now.lk_held[lk] |= 1 << me;
		if (m)
			now.lk_excl[lk] |= 1 << me;
		return 1;
	}
	now.lk_wait[lk * NTHREADS + now.lk_nwait[lk]] = me | (m << 4);
	now.lk_nwait[lk]++;
	return 0;
}

/* release, then hand off in FIFO order to every waiter that now fits */
static void fl_unlock(int me, int lk)
{
	int i = 0, j, t, m;
	now.lk_held[lk] &= ~(1 << me);
	now.lk_excl[lk] &= ~(1 << me);
	while (i < now.lk_nwait[lk]) {
		t = now.lk_wait[lk * NTHREADS + i] & 15;
		m = now.lk_wait[lk * NTHREADS + i] >> 4;
		if (!fl_grantable(lk, m, i)) {
			i++;
			continue;
		}
		now.lk_held[lk] |= 1 << t;
		if (m)
			now.lk_excl[lk] |= 1 << t;
		now.granted[t] = 1;
		for (j = i; j + 1 < now.lk_nwait[lk]; j++)
			now.lk_wait[lk * NTHREADS + j] =
				now.lk_wait[lk * NTHREADS + j + 1];
		now.lk_nwait[lk]--;
		now.lk_wait[lk * NTHREADS + now.lk_nwait[lk]] = 0;
	}
}

/* check_ptes (check_pages cannot fire here: the page cache only ever
 * holds clean zero-filled hole pages, harmless past EOF), skipping the
 * pgoffs in `skip`: 1 if a PTE maps what the file no longer has there */
static int fl_stale(int skip)
{
	int i, pg, k;
	for (i = 0; i < NPROCS * PAGES; i++) {
		pg = i %% PAGES;
		k = now.pte_kind[i];
		if ((skip >> pg) & 1)
			continue;
		if (k == K_BLOCK && (pg >= now.i_size ||
				     now.bmap[pg] != now.pte_target[i]))
			return 1;
		if (k == K_ZERO && pg >= now.i_size)
			return 1;
	}
	return 0;
}

/* sim_oracle_op_return: stale-pte, excusing the offsets another running
 * op removed; then the op is over */
static int fl_op_return(int me)
{
	int t, skip = 0, bad;
	for (t = 0; t < NTHREADS; t++)
		if (t != me && ((now.inop >> t) & 1))
			skip |= now.inval[t];
	bad = fl_stale(skip);
	now.inval[me] = 0;
	now.inop &= ~(1 << me);
	return bad;
}

/* sim_oracle_quiescent, at the end of a step in which an op returned */
static int fl_quiescent(void)
{
	int i;
	if (now.inop != 0)
		return 0;
	if (fl_stale(0))
		return 1;
	for (i = 0; i < NPROCS * PAGES; i++)      /* stale-zero-page */
		if (now.pte_kind[i] == K_ZERO && now.bmap[i %% PAGES] != HOLE)
			return 1;
	return 0;
}

static void fl_zap_ptes(int a, int b)
{
	int i;
	for (i = 0; i < NPROCS * PAGES; i++)
		if (i %% PAGES >= a && i %% PAGES <= b) {
			now.pte_kind[i] = 0;
			now.pte_target[i] = 0;
			now.pte_w[i] = 0;
		}
}
}

/* the return from a lock call that slept: the handoff granted it */
inline LOCK_WAIT(LK)
{
	granted[ME];
	granted[ME] = 0
}

inline OP_START()
{
	inop = inop | (1 << ME)
}

/* ---- primitives (sim/step.c) ---- */

#define OWN(PG) (PROC * PAGES + (PG))

inline USER_STORE(PG, R)
{
	if
	:: pte_kind[OWN(PG)] == K_NONE -> R = FAULT_NOPTE
	:: pte_kind[OWN(PG)] != K_NONE && !pte_w[OWN(PG)] -> R = FAULT_WP
	:: else ->
		R = FAULT_NONE;
		gt = pte_target[OWN(PG)];
		/* write-to-freed */
		assert(bstate[gt] != BLK_FREE && owner_ino[gt] == 0);
		if
		:: bstate[gt] != BLK_FREE -> bstate[gt] = BLK_WRITTEN; stored[gt] = 1
		:: else
		fi;
		cache_dirty = cache_dirty | (1 << gt);
		gt = 0
	fi
}

inline USER_LOAD(PG, R)
{
	if
	:: pte_kind[OWN(PG)] == K_NONE -> R = FAULT_NOPTE
	:: else ->
		R = FAULT_NONE;
		if
		:: pte_kind[OWN(PG)] == K_BLOCK ->
			gt = pte_target[OWN(PG)];
			/* uninit-read */
			assert(bstate[gt] != BLK_FREE && owner_ino[gt] == 0 &&
			       bstate[gt] != BLK_NEW);
			gt = 0
		:: else
		fi
	fi
}

inline FIND_PAGE(PG, R)
{
	R = page[PG]
}

inline GET_BLOCK(PG, CREATE, B, NEW)
{
	B = bmap[PG];
	NEW = 0;
	if
	:: B == HOLE && CREATE ->
		nfree--;
		B = free_stack[nfree];
		free_stack[nfree] = 0;
		owner_ino[B] = 0;
		owner_pgoff[B] = PG;
		bstate[B] = BLK_NEW;
		stored[B] = 0;
		bmap[PG] = B;
		NEW = 1
	:: else
	fi
}

inline ZERO_BLOCK(B)
{
	/* write-to-freed, lost-store */
	assert(B != 0 && bstate[B] != BLK_FREE && owner_ino[B] == 0);
	assert(!(bstate[B] == BLK_WRITTEN && stored[B] && owner_ino[B] == 0));
	if
	:: bstate[B] != BLK_FREE -> bstate[B] = BLK_ZEROED; stored[B] = 0
	:: else
	fi
}

inline SET_PTE(PG, B, W, R)
{
	if
	:: pte_kind[OWN(PG)] != K_NONE -> R = EBUSY
	:: else ->
		pte_kind[OWN(PG)] = K_BLOCK;
		pte_target[OWN(PG)] = B;
		pte_w[OWN(PG)] = W;
		R = OK
	fi
}

inline SET_PTE_ZERO(PG, R)
{
	if
	:: pte_kind[OWN(PG)] != K_NONE -> R = EBUSY
	:: else -> pte_kind[OWN(PG)] = K_ZERO; R = OK
	fi
}

inline PTE_MKWRITE(PG)
{
	if
	:: pte_kind[OWN(PG)] == K_BLOCK -> pte_w[OWN(PG)] = 1
	:: else
	fi
}

inline ADD_PAGE(PG, R)
{
	if
	:: page[PG] -> R = EBUSY
	:: else -> page[PG] = 1; R = OK
	fi
}

inline DELETE_PAGES(A, B)
{
	gp = A;
	do
	:: gp <= B && gp < PAGES -> page[gp] = 0; gp++
	:: else -> break
	od;
	gp = 0
}

inline I_SIZE_WRITE(N)
{
	if
	:: N < i_size ->
		gp = N;
		do
		:: gp < PAGES -> inval[ME] = inval[ME] | (1 << gp); gp++
		:: else -> break
		od;
		gp = 0
	:: else
	fi;
	i_size = N
}

inline FREE_BLOCKS(A, B)
{
	gp = A;
	do
	:: gp <= B && gp < PAGES ->
		gt = bmap[gp];
		if
		:: gt != HOLE ->
			bmap[gp] = HOLE;
			owner_ino[gt] = 0; owner_pgoff[gt] = 0;
			bstate[gt] = BLK_FREE; stored[gt] = 0;
			cache_dirty = cache_dirty & ~(1 << gt);
			free_stack[nfree] = gt;
			nfree++
		:: else
		fi;
		inval[ME] = inval[ME] | (1 << gp);
		gp++
	:: else -> break
	od;
	gp = 0; gt = 0
}

"""

INIT = r"""
init {
	/* file size 4 blocks 0..3: B1..B4 hold data; B12 at the bottom of
	 * the free stack, so B5 is allocated first */
	atomic {
		gi = 1;
		do
		:: gi <= %(i_size)d ->
			bmap[gi - 1] = gi; owner_pgoff[gi] = gi - 1;
			bstate[gi] = BLK_WRITTEN;
			gi++
		:: else -> break
		od;
		gi = NBLOCKS;
		do
		:: gi > %(i_size)d -> free_stack[nfree] = gi; nfree++; gi--
		:: else -> break
		od;
		gi = 0;
		lk_rwsem[MMAP_SEM] = 1; lk_rwsem[MMAP_SEM + 1] = 1;
		lk_rwsem[I_MMAP_RWSEM] = 1; lk_rwsem[JOURNAL] = 1;
		lk_rwsem[OUTER] = 1; lk_rwsem[I_MMAPLOCK] = 1;
		inop = (1 << NTHREADS) - 1;     /* every thread starts its op */
		%(runs)s
	}
}
"""


def scenario():
    """The faultline scenario of THREADS."""
    out = ["scenario scale-faults" + ("-%d-%d" % (len(THREADS), ARGS.extra)
                                      if len(THREADS) > 4 or ARGS.extra
                                      else ""),
           'summary "scaled benchmark: stores and loads on a 4-page file '
           'against truncate"',
           "file size %d blocks 0..%d" % (I_SIZE, I_SIZE - 1)]
    out += ["proc P%d" % i for i in range(NPROCS)]
    for tid, (proc, ops) in enumerate(THREADS):
        out.append("thread T%d in P%d {" % (tid, proc))
        out += ["\t%s(%d)" % op for op in ops]
        out.append("}")
    out.append("check stale-pte write-to-freed uninit-read lost-store "
               "stale-zero-page")
    print("\n".join(out))


def main():
    if ARGS.scn:
        scenario()
        return
    consts = dict(model=MODEL, nthreads=len(THREADS), nprocs=NPROCS,
                  nblocks=NBLOCKS, pages=PAGES, mmap_sem=MMAP_SEM,
                  page0=PAGE0, i_mmap_rwsem=I_MMAP_RWSEM, journal=JOURNAL,
                  outer=OUTER, i_mmaplock=I_MMAPLOCK, nlocks=NLOCKS, i_size=I_SIZE,
                  runs="; ".join("run T%d()" % i
                                 for i in range(len(THREADS))))
    print(HEADER % consts)
    for tid, (proc, ops) in enumerate(THREADS):
        print(thread(tid, proc, ops))
        print()
    print(INIT % consts)


main()
