/*
 * explore.c - exhaustive, random and PCT search.  See explore.h.
 *
 * Exhaustive search is a depth-first search with an explicit stack of
 * whole worlds (Frame), preallocated to depth_max: a step is a memcpy of
 * the parent's world and one sim_step(); nothing in the loop allocates
 * except the visited set when it grows.
 *
 * Partial-order reduction.  A transition is "thread T takes its next
 * step".  Its footprint is a 64-bit class mask computed here from the
 * primitive and its argument values (prim_fp(), checked against step.c's
 * handlers): the page-indexed objects are one class per pgoff (block map
 * entry, page-cache page, DAX entry, page lock, entry lock, each
 * process's PTE), the rest are whole (i_size, the allocator's free stack,
 * block contents and owners, CPU cache lines, other lock classes by
 * instance).  An "op boundary" pseudo-class stands for the oracles that
 * run when an op returns or a new one starts: such a step reads what
 * those oracles read (CL_BOUNDARY: page tables, block map, i_size, page
 * cache at every pgoff, CPU caches, and which other threads are inside
 * an op; not DAX entries, not block contents) and writes OPSTATE.  A step
 * may cross an op boundary when a RET of the outermost op is reachable
 * from the instruction after its primitive without another primitive
 * (ret_ok[], computed once per program).  With oracle reads counted as
 * reads, a property flagged by a step depends only on what the step
 * reads, so commuting independent steps never changes what is flagged.
 *
 * A thread's future (what it may still do) comes from a static analysis
 * of the IR done once per search (futures_init): per (procedure, pc),
 * the classes reachable from pc through calls, with the pgoffs as spans
 * whose bounds are constants or the procedure's unassigned parameters
 * (for-loop variables range over their bounds), evaluated at search time
 * with each frame's parameter registers.
 *
 *   persistent sets  for each runnable seed thread, close {seed} under
 *                    "a thread outside may still (future_of) do
 *                    something dependent with the next step of a thread
 *                    inside"; a blocked thread that would have to join
 *                    makes the set every thread.  The smallest wins.
 *   sleep sets       per state, in the visited set's data byte; a state
 *                    seen again with a sleep set missing some of the
 *                    stored one is explored again for those threads
 *                    (Godefroid's state-caching rule).
 *   cycle proviso    a reduced state with a successor on the DFS stack
 *                    is fully expanded (bit 7 of the data byte marks
 *                    states on the stack).
 *
 * A thread's footprint and future depend on its own SimThread only, so a
 * frame copies them from its parent for every thread but the one that
 * stepped and those it woke.
 *
 * Counterexamples: once the search knows a property is reachable, a 0-1
 * search (Dial's buckets, cost = preemptions then steps) over (world, last
 * thread) without reduction finds the cheapest thread sequence; if its
 * budget runs out, the first path the main search took is kept.
 */
#include <string.h>
#include "explore.h"
#include "lockdep.h"
#include "oracle.h"
#include "prng.h"
#include "step.h"
#include "visited.h"

/* ---- footprints ---------------------------------------------------------- */

/* Classes, as bits of a 64-bit mask.  A page-indexed class has one bit
 * per pgoff (bit KIND * FP_PAGES + pgoff); the rest are whole objects.
 * The mask has room for FP_PAGES pages and FP_PROCS processes: a world
 * shaped larger is searched without reduction (Search.por). */
#define FP_PAGES 8
#define FP_PROCS 2

enum {
	K_BMAP,                 /* bmap[pgoff] */
	K_PCACHE,               /* the page-cache page: mflags' page bits,
				 * page_src */
	K_ENTRY,                /* the DAX entry and its tags */
	K_PLOCK,                /* the page lock instance */
	K_ELOCK,                /* the DAX entry lock instance */
	K_PTE0,                 /* process p's PTE: kind K_PTE0 + p */
	K_NKINDS = K_PTE0 + FP_PROCS,
	CL_WHOLE0 = K_NKINDS * FP_PAGES,
};

G_STATIC_ASSERT(FP_PAGES <= 8 && CL_WHOLE0 + 5 <= 64);

#define PAGES_ALL ((uint8_t)((1u << FP_PAGES) - 1))
#define KIND(k) ((uint64_t)PAGES_ALL << ((k) * FP_PAGES))
#define CL_ISIZE ((uint64_t)1 << CL_WHOLE0)
#define CL_ALLOC ((uint64_t)1 << (CL_WHOLE0 + 1))   /* free stack, nfree */
#define CL_BLOCKS ((uint64_t)1 << (CL_WHOLE0 + 2))  /* block[]: owner,
							 * state, stored */
#define CL_CACHE ((uint64_t)1 << (CL_WHOLE0 + 3))   /* cache_dirty */
#define CL_OPSTATE ((uint64_t)1 << (CL_WHOLE0 + 4)) /* which threads are
							 * inside an op */
#define CL_PTES ((((uint64_t)1 << (FP_PROCS * FP_PAGES)) - 1) << \
		 (K_PTE0 * FP_PAGES))
/* What the op-boundary oracles read (sim/oracle.c), at every pgoff:
 *   stale-pte (check_ptes, check_pages): every page table, i_size,
 *     the block map and the page-cache flags (mflags, page_src);
 *     excused(): which other threads are inside an op and the
 *     offsets they removed (OPSTATE; an op only adds to its inval
 *     mask in a step that also writes ISIZE or the block map at those
 *     offsets);
 *   lost-flush: fsync_pending & cache_dirty (CACHE: flush_cache is
 *     what clears fsync_pending bits), and an fsync op starting
 *     copies cache_dirty;
 *   lost-store: the thread's own discarded / inval masks;
 *   quiescence: every thread's depth (OPSTATE), the page tables,
 *     the block map, i_size, the page cache.
 * Not read: DAX entries and tags, block contents and owners (BLOCKS),
 * the free stack, page and entry locks. */
#define CL_BOUNDARY (CL_ISIZE | KIND(K_BMAP) | KIND(K_PCACHE) | CL_CACHE | \
		     CL_PTES | CL_OPSTATE)

#define LOCK_NONE (-1)
#define LOCK_ANY (-2)                   /* some lock, not known which */

#define ONSTACK 0x80u
#define SLEEP_MASK 0x0fu

/* A primitive's footprint as a function of its arguments (step.c's
 * handlers): page classes (T_*, bits 0-4 are K_BMAP..K_ELOCK) on the
 * pgoffs its arguments name (PG_*), whole objects (W_*, bit i is class
 * CL_WHOLE0 + i).  Lock classes other than page and entry locks are the
 * instance the step names (Fp.lock) and, in futures, the class. */
enum {
	T_BMAP = 1u << K_BMAP, T_PCACHE = 1u << K_PCACHE,
	T_ENTRY = 1u << K_ENTRY, T_PLOCK = 1u << K_PLOCK,
	T_ELOCK = 1u << K_ELOCK,
	T_PTE_OWN = 1u << 5,    /* the thread's process's page table */
	T_PTE_ALL = 1u << 6,    /* every process's */
	W_ISIZE = 1, W_ALLOC = 2, W_BLOCKS = 4, W_CACHE = 8,
	W_ALLOCATES = W_ALLOC | W_BLOCKS,
};

typedef enum {
	PG_NONE,
	PG_ARG0,                /* the pgoff a0 (out of range: a model error) */
	PG_RANGE,               /* [a0, a1], clamped */
	PG_FROM,                /* [a0, LAST], clamped */
	PG_ALL,
} PageArg;

typedef struct {
	uint8_t pages;          /* PageArg */
	uint8_t prd, pwr;       /* T_* read, written on those pgoffs */
	uint8_t wrd, wwr;       /* W_* read, written */
} PrimFp;

/* A switch rather than a table of designated initialisers: a primitive
 * added without a footprint is then a compile error (-Wswitch), where a
 * table would silently give it the empty footprint and make POR unsound.
 * get_block(pgoff, create) allocates (and so touches the free stack and a
 * block's owner) only with create != 0: see allocates(). */
static PrimFp prim_fp(int sub)
{
#define FP(pg, pr, pw, wr, ww) \
	return (PrimFp){ .pages = (pg), .prd = (pr), .pwr = (pw), \
			 .wrd = (wr), .wwr = (ww) }
	switch ((SimPrimId)sub) {
	case SIM_P_MUTEX_LOCK: case SIM_P_MUTEX_UNLOCK:
	case SIM_P_DOWN_READ: case SIM_P_DOWN_WRITE:
	case SIM_P_UP_READ: case SIM_P_UP_WRITE: case SIM_P_DOWNGRADE_WRITE:
	case SIM_P_HASH_LOCK: case SIM_P_HASH_UNLOCK:
	case SIM_P_RANGE_LOCK: case SIM_P_RANGE_LOCK_READ:
	case SIM_P_RANGE_UNLOCK:
		FP(PG_NONE, 0, 0, 0, 0);        /* the instance: Fp.lock */
	case SIM_P_LOCK_PAGE: case SIM_P_UNLOCK_PAGE:
		FP(PG_ARG0, T_PLOCK, T_PLOCK, 0, 0);
	case SIM_P_GRAB_ENTRY:
		FP(PG_ARG0, T_ENTRY | T_ELOCK, T_ENTRY | T_ELOCK, 0, 0);
	case SIM_P_UNLOCK_ENTRY: case SIM_P_UNLOCK_ENTRY_ALL:
		FP(PG_ARG0, T_ELOCK, T_ELOCK, 0, 0);
	case SIM_P_WAIT_ENTRY:
		FP(PG_ARG0, T_ENTRY | T_ELOCK, T_ELOCK, 0, 0);
	case SIM_P_GRAB_ENTRY_PAGE:
		FP(PG_ARG0, T_ENTRY | T_ELOCK | T_PCACHE, T_ENTRY | T_ELOCK,
		   0, 0);
	case SIM_P_WAIT_DELETE_ENTRY:   /* wakes every sleeper on it */
		FP(PG_ARG0, T_ENTRY | T_ELOCK, T_ENTRY | T_ELOCK, 0, 0);
	case SIM_P_I_SIZE_READ:
		FP(PG_NONE, 0, 0, W_ISIZE, 0);
	case SIM_P_I_SIZE_WRITE:
		FP(PG_NONE, 0, 0, W_ISIZE, W_ISIZE);
	case SIM_P_GET_BLOCK: case SIM_P_GET_BLOCK_ZERO:
	case SIM_P_GET_BLOCK_UNWRITTEN: /* reads the block's UNWRITTEN flag */
		FP(PG_ARG0, T_BMAP, T_BMAP, W_ALLOCATES, W_ALLOCATES);
	case SIM_P_CONVERT_UNWRITTEN:
		FP(PG_ARG0, T_BMAP, 0, W_BLOCKS, W_BLOCKS);
	case SIM_P_ZERO_BLOCK: case SIM_P_WRITE_BLOCK:
		FP(PG_NONE, 0, 0, W_BLOCKS, W_BLOCKS);
	case SIM_P_FREE_BLOCKS:         /* a freed block's lines are clean */
		FP(PG_RANGE, T_BMAP, T_BMAP, W_ALLOCATES | W_CACHE,
		   W_ALLOCATES | W_CACHE);
	case SIM_P_SHIFT_BLOCKS:
		FP(PG_FROM, T_BMAP, T_BMAP, W_ALLOCATES | W_CACHE,
		   W_ALLOCATES | W_CACHE);
	case SIM_P_OTHER_ALLOC:
		FP(PG_NONE, 0, 0, W_ALLOCATES, W_ALLOCATES);
	case SIM_P_PTE_LOOKUP: case SIM_P_PTE_BLOCK:
		FP(PG_ARG0, T_PTE_OWN, 0, 0, 0);
	case SIM_P_SET_PTE: case SIM_P_SET_PTE_ZERO: case SIM_P_PTE_MKWRITE:
	case SIM_P_SET_PTE_ANON:
		FP(PG_ARG0, T_PTE_OWN, T_PTE_OWN, 0, 0);
	case SIM_P_SET_PTE_PAGE:
		FP(PG_ARG0, T_PTE_OWN | T_PCACHE, T_PTE_OWN, 0, 0);
	case SIM_P_ZAP_PTES:
		FP(PG_RANGE, T_PTE_ALL, T_PTE_ALL, 0, 0);
	case SIM_P_WRPROTECT:
		FP(PG_ARG0, T_PTE_ALL, T_PTE_ALL, 0, 0);
	case SIM_P_PAGE_MAPPED:
		FP(PG_ARG0, T_PTE_ALL, 0, 0, 0);
	case SIM_P_FIND_PAGE: case SIM_P_READ_PAGE:
		FP(PG_ARG0, T_PCACHE, 0, 0, 0);
	case SIM_P_ADD_PAGE: case SIM_P_FILL_PAGE:
		FP(PG_ARG0, T_PCACHE, T_PCACHE, W_BLOCKS, 0);
	case SIM_P_DELETE_PAGES: case SIM_P_DIO_DONE:
		FP(PG_RANGE, T_PCACHE, T_PCACHE, 0, 0);
	case SIM_P_SET_PAGE_DIRTY: case SIM_P_INVALIDATE_PAGE:
	case SIM_P_WRITE_PAGE:
		FP(PG_ARG0, T_PCACHE, T_PCACHE, 0, 0);
	case SIM_P_WRITEBACK_PAGE:
		FP(PG_ARG0, T_PCACHE, T_PCACHE, W_BLOCKS, W_BLOCKS);
	case SIM_P_GET_ENTRY: case SIM_P_TEST_TOWRITE:
		FP(PG_ARG0, T_ENTRY, 0, 0, 0);
	case SIM_P_SET_ENTRY: case SIM_P_TAG_DIRTY: case SIM_P_CLEAR_TAGS:
		FP(PG_ARG0, T_ENTRY, T_ENTRY, 0, 0);
	case SIM_P_TAG_TOWRITE:
		FP(PG_RANGE, T_ENTRY, T_ENTRY, 0, 0);
	case SIM_P_DELETE_ENTRIES:      /* wakes every sleeper on them */
		FP(PG_RANGE, T_ENTRY | T_ELOCK, T_ENTRY | T_ELOCK, 0, 0);
	case SIM_P_FLUSH_CACHE:         /* and every fsync_pending */
		FP(PG_NONE, 0, 0, W_CACHE | W_BLOCKS, W_CACHE);
	case SIM_P_DIO_WRITE:           /* a page read from the block is POLD */
		FP(PG_ALL, T_PCACHE, T_PCACHE, W_BLOCKS, W_BLOCKS);
	case SIM_P_READ_BLOCK:
		FP(PG_NONE, 0, 0, W_BLOCKS, 0);
	case SIM_P_USER_STORE:          /* through a PTE to a page (of the
					 * same pgoff) or a block */
		FP(PG_ARG0, T_PTE_OWN | T_PCACHE, T_PCACHE, W_BLOCKS,
		   W_BLOCKS | W_CACHE);
	case SIM_P_USER_LOAD:
		FP(PG_ARG0, T_PTE_OWN | T_PCACHE, 0, W_BLOCKS, 0);
	case SIM_P_COUNT:
		break;
	}
#undef FP
	SIM_ASSERT(!"prim_fp: no such primitive");
}

static bool allocates(const SimInsn *in, int create)
{
	return (in->sub != SIM_P_GET_BLOCK && in->sub != SIM_P_GET_BLOCK_ZERO &&
		in->sub != SIM_P_GET_BLOCK_UNWRITTEN) || create != 0;
}

/* Page classes T on pgoffs PAGES of a thread in process PROC. */
static uint64_t expand(uint8_t t, uint8_t pages, int proc)
{
	uint64_t m = 0;

	for (int k = K_BMAP; k <= K_ELOCK; k++)
		if (t >> k & 1)
			m |= (uint64_t)pages << (k * FP_PAGES);
	if (t & T_PTE_OWN)
		m |= (uint64_t)pages << ((K_PTE0 + proc) * FP_PAGES);
	if (t & T_PTE_ALL)
		for (int q = 0; q < FP_PROCS; q++)
			m |= (uint64_t)pages << ((K_PTE0 + q) * FP_PAGES);
	return m;
}

static uint64_t whole(uint8_t w)
{
	return (uint64_t)w << CL_WHOLE0;
}

/* pgoffs [lo, hi] clamped to the file; every pgoff if CLAMP is false and
 * the range leaves it (a model error). */
static uint8_t page_span(int lo, int hi, bool clamp)
{
	if (!clamp && (lo < 0 || hi >= FP_PAGES))
		return PAGES_ALL;
	lo = MAX(lo, 0);
	hi = MIN(hi, FP_PAGES - 1);
	if (lo > hi)
		return 0;
	return (uint8_t)(((1u << (hi + 1)) - 1) & ~((1u << lo) - 1));
}

typedef struct {
	uint64_t rd, wr;
	int lock;               /* instance, LOCK_NONE or LOCK_ANY */
} Fp;

typedef struct {
	uint64_t rd, wr;
	uint16_t locks;         /* lock classes it may take, but the page
				 * and entry locks (classes of rd / wr) */
	bool live;              /* not done */
} Future;

/* ret_ok[proc][pc]: from pc, a RET is reachable through local
 * instructions only (a CALL is assumed to return without a primitive). */
static uint8_t **ret_ok_new(const SimProgram *p)
{
	uint8_t **ok = g_new0(uint8_t *, p->nprocs);

	for (int i = 0; i < p->nprocs; i++) {
		const SimProc *pr = p->procs[i];
		bool changed = true;
		ok[i] = g_new0(uint8_t, pr->ncode + 1);
		while (changed) {
			changed = false;
			for (int pc = pr->ncode - 1; pc >= 0; pc--) {
				const SimInsn *in = &pr->code[pc];
				uint8_t v;
				if (in->op == SIM_I_RET)
					v = 1;
				else if (in->op == SIM_I_PRIM)
					v = 0;
				else if (in->op == SIM_I_JMP)
					v = ok[i][in->target];
				else if (in->op == SIM_I_JZ)
					v = ok[i][pc + 1] | ok[i][in->target];
				else
					v = ok[i][pc + 1];
				changed |= v != ok[i][pc];
				ok[i][pc] = v;
			}
		}
	}
	return ok;
}

static void ret_ok_free(uint8_t **ok, int n)
{
	for (int i = 0; ok && i < n; i++)
		g_free(ok[i]);
	g_free(ok);
}

/* Whether TID's next step may end its outermost op (and so run the
 * op-return and quiescence oracles, and start its next op). */
static bool may_cross_boundary(const SimWorld *w, uint8_t *const *ok,
			       int tid)
{
	const SimThread *t = sim_thread(w, tid);

	if (t->depth < 2)
		return true;
	for (int d = t->depth - 1; d >= 1; d--) {
		const SimFrame *f = &t->frame[d];
		int pc = d == t->depth - 1 ? f->pc + 1 : f->pc;
		if (!ok[f->proc][pc])
			return false;
	}
	return true;
}

static int reg_value(const SimThread *t, int base, const SimArg *a)
{
	return a->kind == SIM_ARG_IMM ? a->v : t->reg[base + a->v];
}

/* The footprint of TID's next step.  It depends on TID's own SimThread
 * only (its instruction, argument registers and process). */
static Fp next_fp(const SimWorld *w, const SimProgram *p, uint8_t *const *ok,
		  int tid)
{
	const SimThread *t = sim_thread(w, tid);
	const SimInsn *in = sim_step_next_insn(w, p, tid);
	int base = t->frame[t->depth - 1].base;
	PrimFp d = prim_fp(in->sub);
	int a[SIM_ARGS_MAX] = { 0 };
	uint8_t pages = 0;
	Fp f = { .lock = LOCK_NONE };

	for (int i = 0; i < in->nargs && i < SIM_ARGS_MAX; i++)
		a[i] = reg_value(t, base, &in->arg[i]);
	switch (d.pages) {
	case PG_ARG0: pages = page_span(a[0], a[0], false); break;
	case PG_RANGE: pages = page_span(a[0], a[1], true); break;
	case PG_FROM: pages = page_span(a[0], FP_PAGES - 1, true); break;
	case PG_ALL: pages = PAGES_ALL; break;
	default: break;
	}
	if (!allocates(in, a[1])) {
		d.wrd &= (uint8_t)~W_ALLOCATES;
		d.wwr &= (uint8_t)~W_ALLOCATES;
	}
	f.rd = expand(d.prd, pages, t->proc) | whole(d.wrd);
	f.wr = expand(d.pwr, pages, t->proc) | whole(d.wwr);
	if (sim_prims[in->sub].argkind == SIM_PA_LOCK) {
		int inst = sim_step_lock_target(w, p, tid);
		f.lock = inst >= 0 ? inst : LOCK_ANY;
	}
	if (may_cross_boundary(w, ok, tid)) {
		f.rd |= CL_BOUNDARY;
		f.wr |= CL_OPSTATE;
	}
	return f;
}

/* ---- futures: what a thread may still touch, per pgoff ------------------ */

/* Futures come from a static analysis of the IR, once per search: for
 * every (procedure, pc), a summary of what the primitives reachable from
 * pc (through calls, transitively) may touch, with the pgoffs they name
 * as spans [lo, hi] whose bounds are constants or the procedure's
 * parameters.  A page argument is
 *   an immediate;
 *   a parameter no instruction of the procedure assigns (registers
 *     0..nparams-1 of a frame hold the values passed at entry);
 *   the variable of a for loop (the parser's shape: MOV v, lo; top: ALU
 *     t = v <= hi; JZ t, out; body; ALU v = v + 1; JMP top) used in the
 *     body, where neither v nor hi is assigned and nothing jumps in from
 *     outside: [lo, hi], lo and hi immediates or such parameters;
 *   anything else: every pgoff.
 * A call maps the callee's parameter bounds to the spans of its
 * arguments (lower bounds to the argument's lower bound, upper to
 * upper).  At search time a frame's summary at its pc (the pending
 * primitive for the top frame, the return point for the others) is
 * evaluated with the frame's parameter registers; a bound outside the
 * file stands for every pgoff. */

typedef struct {
	uint8_t param;          /* v is a parameter number, else a constant */
	int8_t v;
} Bound;

typedef struct {
	Bound lo, hi;
} Span;

typedef struct {
	uint8_t rd, wr;         /* T_* on the pgoffs of s */
	Span s;
} Item;

#define ITEMS_MAX 12

typedef struct {
	uint8_t wrd, wwr;       /* W_* */
	uint16_t locks;         /* lock classes (decl bitmask), but page and
				 * entry locks */
	uint8_t n;
	Item it[ITEMS_MAX];
} Summary;

typedef struct {
	Summary **at;           /* [proc][pc], pc up to ncode */
	int nprocs;
} Futures;

#define LOOPS_MAX 8

typedef struct {
	bool assigned[SIM_REGS_MAX];
	struct {
		uint8_t var;
		int body, end;  /* the body is [body, end) */
		Span s;
	} loop[LOOPS_MAX];
	int nloops;
} ProcInfo;

static Bound bound_const(int v)
{
	return (Bound){ .param = 0,
			.v = (int8_t)CLAMP(v, -1, FP_PAGES) };
}

static const Span SPAN_ALL = { { 0, 0 }, { 0, FP_PAGES - 1 } };

static bool bound_eq(Bound a, Bound b)
{
	return a.param == b.param && a.v == b.v;
}

static bool span_eq(Span a, Span b)
{
	return bound_eq(a.lo, b.lo) && bound_eq(a.hi, b.hi);
}

static bool span_is_all(Span s)
{
	return span_eq(s, SPAN_ALL);
}

/* The bound an argument register or immediate gives at loop entry:
 * a constant or an unassigned parameter; false for anything else. */
static bool entry_bound(const ProcInfo *pi, const SimProc *pr,
			const SimArg *a, Bound *b)
{
	if (a->kind == SIM_ARG_IMM) {
		*b = bound_const(a->v);
		return true;
	}
	if (a->v >= 0 && a->v < pr->nparams && !pi->assigned[a->v]) {
		*b = (Bound){ .param = 1, .v = (int8_t)a->v };
		return true;
	}
	return false;
}

static bool writes_reg(const SimInsn *in, int r)
{
	switch (in->op) {
	case SIM_I_MOV: case SIM_I_ALU: case SIM_I_CALL: case SIM_I_PRIM:
		return in->dst == r || in->dst2 == r;
	default:
		return false;
	}
}

static bool is_jump(const SimInsn *in)
{
	return in->op == SIM_I_JMP || in->op == SIM_I_JZ;
}

/* Whether a jump outside [lo, hi) lands in [tlo, thi). */
static bool jumps_in(const SimProc *pr, int lo, int hi, int tlo, int thi)
{
	for (int pc = 0; pc < pr->ncode; pc++)
		if ((pc < lo || pc >= hi) && is_jump(&pr->code[pc]) &&
		    pr->code[pc].target >= tlo && pr->code[pc].target < thi)
			return true;
	return false;
}

/* A for loop whose MOV v, lo is at I (see above); false if the code there
 * is not one, or its variable's range is not known. */
static bool find_loop(ProcInfo *pi, const SimProc *pr, int i)
{
	const SimInsn *c = pr->code;
	int n = pr->ncode;

	if (i + 2 >= n || c[i].op != SIM_I_MOV || c[i].dst == SIM_NOREG)
		return false;
	int v = c[i].dst;
	const SimInsn *le = &c[i + 1], *jz = &c[i + 2];
	if (le->op != SIM_I_ALU || le->sub != SIM_ALU_LE || le->nargs != 2 ||
	    le->arg[0].kind != SIM_ARG_REG || le->arg[0].v != v ||
	    le->dst == SIM_NOREG || le->dst == v)
		return false;
	if (jz->op != SIM_I_JZ || jz->arg[0].kind != SIM_ARG_REG ||
	    jz->arg[0].v != le->dst)
		return false;
	int out = jz->target;
	if (out < i + 5 || out > n)
		return false;
	const SimInsn *inc = &c[out - 2], *back = &c[out - 1];
	if (back->op != SIM_I_JMP || back->target != i + 1 ||
	    inc->op != SIM_I_ALU || inc->sub != SIM_ALU_ADD ||
	    inc->nargs != 2 || inc->dst != v ||
	    inc->arg[0].kind != SIM_ARG_REG || inc->arg[0].v != v ||
	    inc->arg[1].kind != SIM_ARG_IMM || inc->arg[1].v != 1)
		return false;
	Span s;
	if (!entry_bound(pi, pr, &c[i].arg[0], &s.lo))
		return false;
	const SimArg *hi = &le->arg[1];
	if (hi->kind == SIM_ARG_REG && hi->v == v)
		return false;
	for (int pc = i + 1; pc < out; pc++)
		if (pc != out - 2 && writes_reg(&c[pc], v))
			return false;
	if (!entry_bound(pi, pr, hi, &s.hi)) {
		/* hi in a register copied just before the loop, from a
		 * constant or parameter, and not assigned in the loop */
		int hr = hi->v;
		if (i < 1 || c[i - 1].op != SIM_I_MOV || c[i - 1].dst != hr ||
		    !entry_bound(pi, pr, &c[i - 1].arg[0], &s.hi) ||
		    jumps_in(pr, -1, -1, i, i + 1))
			return false;
		for (int pc = i; pc < out; pc++)
			if (writes_reg(&c[pc], hr))
				return false;
	}
	if (jumps_in(pr, i + 1, out, i + 1, out) || pi->nloops >= LOOPS_MAX)
		return false;
	pi->loop[pi->nloops].var = (uint8_t)v;
	pi->loop[pi->nloops].body = i + 3;
	pi->loop[pi->nloops].end = out - 2;
	pi->loop[pi->nloops].s = s;
	pi->nloops++;
	return true;
}

static void proc_info(ProcInfo *pi, const SimProc *pr)
{
	memset(pi, 0, sizeof(*pi));
	for (int pc = 0; pc < pr->ncode; pc++)
		for (int r = 0; r < SIM_REGS_MAX && r < pr->nregs; r++)
			if (writes_reg(&pr->code[pc], r))
				pi->assigned[r] = true;
	for (int pc = 0; pc < pr->ncode; pc++)
		find_loop(pi, pr, pc);
}

/* The pgoffs argument A of the instruction at PC may take. */
static Span arg_span(const ProcInfo *pi, const SimProc *pr, int pc,
		     const SimArg *a)
{
	Bound b;

	if (entry_bound(pi, pr, a, &b))
		return (Span){ b, b };
	for (int l = 0; l < pi->nloops; l++)
		if (pi->loop[l].var == a->v && pc >= pi->loop[l].body &&
		    pc < pi->loop[l].end)
			return pi->loop[l].s;
	return SPAN_ALL;
}

/* Add X to S; whether S grew.  Full: X joins item 0, widened to every
 * pgoff. */
static bool add_item(Summary *s, Item x)
{
	if (!(x.rd | x.wr))
		return false;
	for (int i = 0; i < s->n; i++) {
		Item *y = &s->it[i];
		if (span_eq(y->s, x.s) ||
		    (span_is_all(y->s) && !(x.rd & ~y->rd) && !(x.wr & ~y->wr))) {
			bool grew = (x.rd & ~y->rd) || (x.wr & ~y->wr);
			y->rd |= x.rd;
			y->wr |= x.wr;
			return grew;
		}
	}
	if (s->n < ITEMS_MAX) {
		s->it[s->n++] = x;
		return true;
	}
	Item *y = &s->it[0];
	bool grew = !span_is_all(y->s) || (x.rd & ~y->rd) || (x.wr & ~y->wr);
	y->s = SPAN_ALL;
	y->rd |= x.rd;
	y->wr |= x.wr;
	return grew;
}

/* Add SRC to DST, with SRC's parameter bounds mapped through ARGS (N of
 * them) if ARGS is set; whether DST grew. */
static bool add_summary(Summary *dst, const Summary *src, const Span *args,
			int n)
{
	bool grew = (src->wrd & ~dst->wrd) || (src->wwr & ~dst->wwr) ||
		    (src->locks & ~dst->locks);

	dst->wrd |= src->wrd;
	dst->wwr |= src->wwr;
	dst->locks |= src->locks;
	for (int i = 0; i < src->n; i++) {
		Item x = src->it[i];
		if (args) {
			x.s.lo = !x.s.lo.param ? x.s.lo : x.s.lo.v < n ?
				 args[x.s.lo.v].lo : SPAN_ALL.lo;
			x.s.hi = !x.s.hi.param ? x.s.hi : x.s.hi.v < n ?
				 args[x.s.hi.v].hi : SPAN_ALL.hi;
		}
		grew |= add_item(dst, x);
	}
	return grew;
}

/* What the primitive at PC touches. */
static void prim_summary(const ProcInfo *pi, const SimProc *pr, int pc,
			 Summary *s)
{
	const SimInsn *in = &pr->code[pc];
	PrimFp d = prim_fp(in->sub);
	Span a0 = in->nargs > 0 ? arg_span(pi, pr, pc, &in->arg[0]) : SPAN_ALL;
	Span a1 = in->nargs > 1 ? arg_span(pi, pr, pc, &in->arg[1]) : SPAN_ALL;
	Item x = { .rd = d.prd, .wr = d.pwr, .s = SPAN_ALL };

	memset(s, 0, sizeof(*s));
	if (in->nargs > 1 && in->arg[1].kind == SIM_ARG_IMM &&
	    !allocates(in, in->arg[1].v)) {
		d.wrd &= (uint8_t)~W_ALLOCATES;
		d.wwr &= (uint8_t)~W_ALLOCATES;
	}
	s->wrd = d.wrd;
	s->wwr = d.wwr;
	if (sim_prims[in->sub].argkind == SIM_PA_LOCK && in->lock >= 0)
		s->locks = (uint16_t)(1u << in->lock);
	switch (d.pages) {
	case PG_ARG0: x.s = a0; break;
	case PG_RANGE: x.s = (Span){ a0.lo, a1.hi }; break;
	case PG_FROM: x.s = (Span){ a0.lo, SPAN_ALL.hi }; break;
	default: break;
	}
	add_item(s, x);
}

static void futures_free(Futures *fx)
{
	for (int i = 0; fx->at && i < fx->nprocs; i++)
		g_free(fx->at[i]);
	g_free(fx->at);
	memset(fx, 0, sizeof(*fx));
}

/* Summaries of every (procedure, pc) of P: a backward fixpoint over each
 * procedure's control flow and the call graph. */
static void futures_init(Futures *fx, const SimProgram *p)
{
	ProcInfo *pi = g_new(ProcInfo, p->nprocs);
	Summary prim;
	Span args[SIM_ARGS_MAX];
	bool grew = true;

	fx->nprocs = p->nprocs;
	fx->at = g_new0(Summary *, p->nprocs);
	for (int i = 0; i < p->nprocs; i++) {
		proc_info(&pi[i], p->procs[i]);
		fx->at[i] = g_new0(Summary, p->procs[i]->ncode + 1);
	}
	while (grew) {
		grew = false;
		for (int i = 0; i < p->nprocs; i++) {
			const SimProc *pr = p->procs[i];
			Summary *at = fx->at[i];
			for (int pc = pr->ncode - 1; pc >= 0; pc--) {
				const SimInsn *in = &pr->code[pc];
				Summary *s = &at[pc];
				switch (in->op) {
				case SIM_I_PRIM:
					prim_summary(&pi[i], pr, pc, &prim);
					grew |= add_summary(s, &prim, NULL, 0);
					grew |= add_summary(s, &at[pc + 1],
							    NULL, 0);
					break;
				case SIM_I_CALL:
					for (int a = 0; a < in->nargs &&
					     a < SIM_ARGS_MAX; a++)
						args[a] = arg_span(&pi[i], pr,
							pc, &in->arg[a]);
					grew |= add_summary(s,
						&fx->at[in->target][0], args,
						MIN(in->nargs, SIM_ARGS_MAX));
					grew |= add_summary(s, &at[pc + 1],
							    NULL, 0);
					break;
				case SIM_I_JMP:
					grew |= add_summary(s, &at[in->target],
							    NULL, 0);
					break;
				case SIM_I_JZ:
					grew |= add_summary(s, &at[in->target],
							    NULL, 0);
					grew |= add_summary(s, &at[pc + 1],
							    NULL, 0);
					break;
				case SIM_I_RET:
					break;
				default:
					grew |= add_summary(s, &at[pc + 1],
							    NULL, 0);
					break;
				}
			}
		}
	}
	g_free(pi);
}

/* Pgoffs span S names in a frame of T with registers from BASE. */
static uint8_t span_pages(Span s, const SimThread *t, int base)
{
	int lo = s.lo.param ? t->reg[base + s.lo.v] : s.lo.v;
	int hi = s.hi.param ? t->reg[base + s.hi.v] : s.hi.v;

	return page_span(lo, hi, false);
}

/* Everything TID may still do, from its frames' pcs and parameters: it
 * depends on TID's own SimThread only.  A live thread is inside an op,
 * so it will cross an op boundary (oracle reads, OPSTATE). */
static Future future_of(const Futures *fx, const SimWorld *w, int tid)
{
	const SimThread *t = sim_thread(w, tid);
	Future f = { 0 };

	if (t->status == SIM_TH_DONE)
		return f;
	f.live = true;
	f.rd = CL_BOUNDARY;
	f.wr = CL_OPSTATE;
	for (int d = 0; d < t->depth; d++) {
		const SimFrame *fr = &t->frame[d];
		const Summary *s = &fx->at[fr->proc][fr->pc];
		f.rd |= whole(s->wrd);
		f.wr |= whole(s->wwr);
		f.locks |= s->locks;
		for (int i = 0; i < s->n; i++) {
			uint8_t pg = span_pages(s->it[i].s, t, fr->base);
			f.rd |= expand(s->it[i].rd, pg, t->proc);
			f.wr |= expand(s->it[i].wr, pg, t->proc);
		}
	}
	return f;
}

static bool data_dep(uint64_t rd1, uint64_t wr1, uint64_t rd2, uint64_t wr2)
{
	return (wr1 & (rd2 | wr2)) || (rd1 & wr2);
}

/* Next step A (of a thread) against next step B of another. */
static bool dep_next(const Fp *a, const Fp *b)
{
	if (data_dep(a->rd, a->wr, b->rd, b->wr))
		return true;
	if (a->lock == LOCK_NONE || b->lock == LOCK_NONE)
		return false;
	return a->lock == LOCK_ANY || b->lock == LOCK_ANY ||
	       a->lock == b->lock;
}

/* Next step A against anything thread U (in process UPROC) may still
 * do. */
static bool dep_future(const SimProgram *p, const Fp *a, const Future *u,
		       int uproc)
{
	if (!u->live)
		return false;
	if (data_dep(a->rd, a->wr, u->rd, u->wr))
		return true;
	if (a->lock == LOCK_NONE || !u->locks)
		return false;
	if (a->lock == LOCK_ANY)
		return true;
	int decl = sim_lock_decl_of(p, a->lock);
	if (decl == SIM_LOCKDECL_PAGE || decl == SIM_LOCKDECL_ENTRY)
		return true;    /* not named so: they are page classes */
	if (!(u->locks >> decl & 1))
		return false;
	if (p->model->locks[decl].per_proc)
		return a->lock - p->lock_base[decl] == uproc;
	return true;
}

bool sim_explore_independent(const SimWorld *w, const SimProgram *p, int t,
			     int u)
{
	uint8_t **ok = ret_ok_new(p);
	Fp a = next_fp(w, p, ok, t), b = next_fp(w, p, ok, u);

	ret_ok_free(ok, p->nprocs);
	return !dep_next(&a, &b);
}

int sim_explore_check_futures(const SimProgram *p, SimWorld *const *run, int n,
			      int *bad_j, int *bad_t)
{
	uint8_t **ok = ret_ok_new(p);
	Futures fx;
	int bad = -1;

	futures_init(&fx, p);
	for (int i = 0; i < n && bad < 0; i++) {
		for (int t = 0; t < run[i]->nthreads && bad < 0; t++) {
			Future fu = future_of(&fx, run[i], t);
			for (int j = i; j < n && bad < 0; j++) {
				if (sim_thread(run[j], t)->status == SIM_TH_DONE)
					break;
				Fp a = next_fp(run[j], p, ok, t);
				int decl = a.lock >= 0 ?
					   sim_lock_decl_of(p, a.lock) : -1;
				if (!fu.live || (a.rd & ~fu.rd) ||
				    (a.wr & ~fu.wr) ||
				    (a.lock == LOCK_ANY && !fu.locks) ||
				    (decl >= 0 && !(fu.locks >> decl & 1))) {
					bad = i;
					*bad_j = j;
					*bad_t = t;
				}
			}
		}
	}
	futures_free(&fx);
	ret_ok_free(ok, p->nprocs);
	return bad;
}

/* ---- the search state ---------------------------------------------------- */

typedef struct {
	SimWorld *w;
	SimNotes *notes;        /* for lockdep's sites, or NULL */
	uint32_t id;            /* in the visited set */
	SimThreadSet enabled, ample, done;
	int8_t via;             /* thread whose step led here, -1 at root */
	Fp fp[SIM_THREADS_MAX];         /* of the enabled threads */
	Future fut[SIM_THREADS_MAX];    /* of every thread (with POR) */
} Frame;

/* The unreduced state graph, for livelock: every transition the search
 * takes, by visited-set id (dense, in insertion order), and each state's
 * runnable and unfinished threads. */
typedef struct {
	uint32_t src, dst;
	uint8_t tid;            /* | EDGE_PROGRESS */
} Edge;

#define EDGE_PROGRESS 0x80u

static int edge_tid(const Edge *e)
{
	return e->tid & 0x7f;
}

typedef struct {
	GArray *edges;          /* Edge */
	GArray *enabled;        /* SimThreadSet, by state id: runnable threads */
	GArray *live;           /* SimThreadSet, by state id: unfinished */
} Graph;

/* What the graph may cost by the end of the search, charged to
 * --memory-max as it grows: the arrays (a GArray holds up to twice its
 * length while it doubles) and what livelock_check() will allocate over
 * them (the graph again by source, and Tarjan's six words per state), so
 * the bound holds through the analysis and not only the search. */
static uint64_t graph_bytes(const Graph *g)
{
	if (!g)
		return 0;
	uint64_t m = g->edges->len, n = g->enabled->len;

	return 2 * m * sizeof(Edge) + 2 * 2 * n * sizeof(SimThreadSet) +
	       m * sizeof(Edge) + n * 8 * sizeof(uint32_t);
}

/* The next state id's runnable and unfinished threads. */
static void graph_add_state(Graph *g, const SimWorld *w)
{
	SimThreadSet en = sim_step_runnable(w), live = 0;

	for (int t = 0; t < w->nthreads; t++)
		if (sim_thread(w, t)->status != SIM_TH_DONE)
			live |= SIM_TSET(t);
	g_array_append_val(g->enabled, en);
	g_array_append_val(g->live, live);
}

typedef struct {
	const SimProgram *p;
	const SimExploreOptions *o;
	SimExploreResult *r;
	SimLockdep *lockdep;
	SimNotes *notes0;       /* the initial world's notes, with lockdep */
	Graph *g;               /* record the graph into it, or NULL */
	uint8_t **ret_ok;
	Futures fx;             /* with POR */
	size_t hsize;
	bool por;               /* reduce: asked for, and the shape fits
				 * the footprints (FP_PAGES, FP_PROCS) */
	uint32_t depth_max;
	int64_t t0;             /* g_get_monotonic_time() at start */
	uint64_t next_check;    /* transitions at the next clock check */
	double next_progress;   /* seconds at the next progress call */
	uint64_t extra_bytes;   /* stacks and other fixed buffers */
	bool stop;
} Search;

static void set_bound(Search *s, const char *what)
{
	s->r->complete = false;
	if (!s->r->bound)
		s->r->bound = g_strdup(what);
}

/* Whether a bound other than depth stops the search now. */
static bool out_of_bounds(Search *s, uint64_t states, uint64_t bytes)
{
	const SimExploreOptions *o = s->o;

	if (s->stop)
		return true;
	if (o->interrupted && *o->interrupted)
		set_bound(s, "interrupted");
	else if (o->states_max && states >= o->states_max)
		set_bound(s, "states-max");
	else if (o->memory_max &&
		 bytes + SIM_EXPLORE_PROCESS_BYTES > o->memory_max)
		set_bound(s, "memory-max");
	else if ((o->time_max > 0 || o->progress) &&
		 s->r->transitions >= s->next_check) {
		s->next_check = s->r->transitions + 256;
		double el = (double)(g_get_monotonic_time() - s->t0) / 1e6;
		if (o->time_max > 0 && el > o->time_max)
			set_bound(s, "time-max");
		if (o->progress && el >= s->next_progress) {
			s->next_progress = el + 0.5;
			o->progress(states, s->r->transitions, s->r->depth,
				    bytes, el, o->progress_data);
		}
	}
	s->stop = s->r->bound && strcmp(s->r->bound, "depth-max") != 0;
	return s->stop;
}

static void note_peak(Search *s, uint64_t bytes)
{
	if (bytes > s->r->peak_bytes)
		s->r->peak_bytes = bytes;
}

/* A world and its annotations (NULL where the search keeps none). */
typedef struct {
	SimWorld *w;
	SimNotes *notes;
} Slot;

/* Run TID's step from PARENT into CHILD; returns false on a model error
 * (recorded, with the model's file:line message).  *FOUND gets the
 * properties the step flagged, *PROGRESS (if set) whether it ended an
 * outermost op.  Notes are carried only when the parent has them (the
 * lock-order graph LD reads where held locks were taken). */
static bool do_step(Search *s, Slot parent, Slot child, int tid,
		    SimLockdep *ld, SimPropSet *found, bool *progress)
{
	SimNotes *notes = parent.notes ? child.notes : NULL;
	SimStepCtx ctx = { .prog = s->p, .lockdep = ld, .notes = notes };

	sim_world_copy(child.w, parent.w);
	if (notes)
		sim_notes_copy(notes, parent.notes);
	sim_step(child.w, tid, &ctx);
	s->r->transitions++;
	*found = ctx.found;
	if (progress)
		*progress = ctx.op_done;
	if (!ctx.model_error)
		return true;
	GString *msg = g_string_new(NULL);
	SimStepCtx again = { .prog = s->p, .msg = msg, .notes = notes };
	sim_world_copy(child.w, parent.w);
	if (notes)
		sim_notes_copy(notes, parent.notes);
	sim_step(child.w, tid, &again);
	s->r->model_error = true;
	if (!s->r->model_error_msg)
		s->r->model_error_msg = g_string_free(msg, FALSE);
	else
		g_string_free(msg, TRUE);
	s->stop = true;
	return false;
}

/* N slots, each a copy of INIT (and of the initial notes when lockdep
 * is fed), in two allocations; freed with slots_free. */
static Slot *slots_new(const Search *s, const SimWorld *init, uint32_t n)
{
	Slot *v = g_new(Slot, n);
	uint8_t *wb = g_malloc((size_t)init->size * n);
	uint8_t *nb = s->lockdep ? g_malloc((size_t)s->notes0->size * n) :
		      NULL;

	for (uint32_t i = 0; i < n; i++) {
		v[i].w = (SimWorld *)(void *)(wb + (size_t)init->size * i);
		memcpy(v[i].w, init, init->size);
		v[i].notes = NULL;
		if (nb) {
			v[i].notes = (SimNotes *)(void *)
				     (nb + (size_t)s->notes0->size * i);
			sim_notes_copy(v[i].notes, s->notes0);
		}
	}
	return v;
}

static uint64_t slots_bytes(const Search *s, const SimWorld *init,
			    uint32_t n)
{
	return (uint64_t)n * (sizeof(Slot) + init->size +
			      (s->lockdep ? s->notes0->size : 0));
}

static void slots_free(Slot *v)
{
	g_free(v[0].w);
	g_free(v[0].notes);
	g_free(v);
}

static bool all_done(const SimWorld *w)
{
	for (int t = 0; t < w->nthreads; t++)
		if (sim_thread(w, t)->status != SIM_TH_DONE)
			return false;
	return true;
}

/* Properties of a state where nothing can run. */
static SimPropSet terminal_props(const SimProgram *p, const SimWorld *w)
{
	SimStepCtx ctx = { .prog = p };

	if (sim_step_runnable(w) || all_done(w))
		return 0;
	sim_oracle_stuck(w, &ctx);
	return ctx.found;
}

/* Keep TIDS (N steps) as the path to each property in FOUND that has
 * none yet. */
static void record_path(Search *s, const int *tids, int n, SimPropSet found)
{
	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		if (!(found >> prop & 1) || s->r->cex[prop])
			continue;
		GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(int),
					      (guint)n);
		g_array_append_vals(a, tids, (guint)n);
		s->r->cex[prop] = a;
	}
	s->r->found |= found;
}

/* ---- persistent sets ------------------------------------------------------ */

/* The persistent set grown from SEED. */
static SimThreadSet persistent_from(const SimProgram *p, const SimWorld *w,
				    const Frame *f, const Future *fut,
				    int seed)
{
	SimThreadSet all = w->nthreads == 64 ? ~(SimThreadSet)0 :
			   SIM_TSET(w->nthreads) - 1;
	SimThreadSet set = SIM_TSET(seed), checked = 0;

	while (set & f->enabled & ~checked) {
		int x = __builtin_ctzll(set & f->enabled & ~checked);
		checked |= SIM_TSET(x);
		for (int u = 0; u < w->nthreads; u++) {
			if ((set >> u & 1) ||
			    !dep_future(p, &f->fp[x], &fut[u],
					sim_thread(w, u)->proc))
				continue;
			if (!(f->enabled >> u & 1))
				return all;
			set |= SIM_TSET(u);
		}
	}
	return set;
}

static int nbits(SimThreadSet m)
{
	return __builtin_popcountll(m);
}

static SimThreadSet choose_ample(const Search *s, const Frame *f)
{
	const SimWorld *w = f->w;
	SimThreadSet best = f->enabled;

	if (!s->por || nbits(f->enabled) < 2)
		return f->enabled;
	for (int t = 0; t < w->nthreads; t++) {
		if (!(f->enabled >> t & 1))
			continue;
		SimThreadSet a = persistent_from(s->p, w, f, f->fut, t) &
				 f->enabled;
		if (nbits(a) < nbits(best))
			best = a;
		if (nbits(best) == 1)
			break;          /* nothing smaller */
	}
	return best;
}

/* Fill F's runnable set, footprints and ample set (F->w is set).  PARENT
 * is the frame F's world was stepped from by thread VIA, or NULL.  A
 * thread's next-step footprint and its future depend on its own SimThread
 * only (frames, registers, process), which a step of another thread never
 * changes (a wake-up changes status and granted, flush_cache
 * fsync_pending: neither is read by them), so they are copied from the
 * parent for every thread but VIA and those the step made runnable. */
static void frame_setup(const Search *s, Frame *f, const Frame *parent,
			int via)
{
	const SimWorld *w = f->w;
	bool por = s->por;
	SimThreadSet fresh = ~(SimThreadSet)0;

	f->enabled = sim_step_runnable(w);
	f->done = 0;
	f->via = (int8_t)via;
	if (parent && via >= 0)
		fresh = SIM_TSET(via) | ~parent->enabled;
	for (int t = 0; t < w->nthreads; t++) {
		if (f->enabled >> t & 1)
			f->fp[t] = (fresh >> t & 1) ? next_fp(w, s->p, s->ret_ok, t) :
				   parent->fp[t];
		if (por)
			f->fut[t] = (parent && via >= 0 && t != via) ?
				    parent->fut[t] : future_of(&s->fx, w, t);
	}
	f->ample = choose_ample(s, f);
}

/* ---- exhaustive search ---------------------------------------------------- */

typedef struct {
	Search *s;
	SimVisited *vis;
	Frame *st;
	int sp;
} Dfs;

static uint8_t *data_of(Dfs *d, uint32_t id)
{
	return sim_visited_data(d->vis, id);
}

/* The path to the top frame, then LAST. */
static void dfs_record(Dfs *d, int sp, int last, SimPropSet found)
{
	int tids[SIM_STEPS_MAX + 1], n = 0;

	for (int i = 1; i <= sp && n < SIM_STEPS_MAX; i++)
		tids[n++] = d->st[i].via;
	tids[n++] = last;
	record_path(d->s, tids, n, found);
}

/* Child sleep set after thread T from frame F with sleep set Z.  It is
 * kept in the visited set's data byte, so only threads 0..6 can sleep
 * (SLEEP_MASK): a smaller sleep set prunes less, never wrongly. */
static uint8_t child_sleep(const Frame *f, uint8_t z, int t)
{
	SimThreadSet cand = (z | f->done) & f->enabled & ~SIM_TSET(t) &
			    SLEEP_MASK;
	uint8_t out = 0;

	for (int u = 0; cand >> u; u++)
		if ((cand >> u & 1) && !dep_next(&f->fp[u], &f->fp[t]))
			out |= (uint8_t)(1u << u);
	return out;
}

/* Push the world in st[sp + 1] (already stepped, reached by VIA) as a
 * frame to explore with ample set AMPLE (0: choose). */
static void dfs_push(Dfs *d, uint32_t id, int via, SimThreadSet ample)
{
	Frame *c = &d->st[d->sp + 1];

	c->id = id;
	frame_setup(d->s, c, d->sp >= 0 ? &d->st[d->sp] : NULL, via);
	if (ample)
		c->ample = ample & c->enabled;
	*data_of(d, id) |= ONSTACK;
	d->sp++;
	if ((uint32_t)d->sp + 1 > d->s->r->depth)
		d->s->r->depth = (uint32_t)d->sp + 1;
}

/* A state already seen, with sleep set Z on this path. */
static void dfs_revisit(Dfs *d, uint32_t id, uint8_t z, int via)
{
	Frame *f = &d->st[d->sp];
	uint8_t *data = data_of(d, id);
	uint8_t woken = (uint8_t)(*data & SLEEP_MASK & ~z);

	*data = (uint8_t)((*data & ~SLEEP_MASK) | (*data & z & SLEEP_MASK));
	if (*data & ONSTACK) {
		f->ample = f->enabled;          /* cycle proviso */
		for (int i = d->sp; woken && i >= 0; i--)
			if (d->st[i].id == id)
				d->st[i].ample |= woken;
		return;
	}
	if (woken)
		dfs_push(d, id, via, woken);
}

/* Explore thread T from the top frame. */
static void dfs_expand(Dfs *d, int t, uint8_t z)
{
	Search *s = d->s;
	Frame *f = &d->st[d->sp], *c = &d->st[d->sp + 1];
	SimPropSet found;
	bool is_new;

	bool progress;
	if (!do_step(s, (Slot){ f->w, f->notes }, (Slot){ c->w, c->notes },
		     t, s->lockdep, &found, &progress))
		return;
	if (found & ~s->r->found)
		dfs_record(d, d->sp, t, found);
	uint8_t zc = s->por ? child_sleep(f, z, t) : 0;
	uint32_t id = sim_visited_add(d->vis, sim_world_state(c->w), &is_new);
	if (s->g) {
		Edge e = { .src = f->id, .dst = id, .tid = (uint8_t)(t |
			   (progress ? EDGE_PROGRESS : 0)) };
		g_array_append_val(s->g->edges, e);
		if (is_new)
			graph_add_state(s->g, c->w);
	}
	if (!is_new) {
		dfs_revisit(d, id, zc, t);
		return;
	}
	s->r->states++;
	*data_of(d, id) = zc;
	SimPropSet stuck = terminal_props(s->p, c->w);
	if (stuck & ~s->r->found)
		dfs_record(d, d->sp, t, stuck);
	if (sim_step_runnable(c->w))
		dfs_push(d, id, t, 0);
}

static void dfs_loop(Dfs *d)
{
	Search *s = d->s;

	while (d->sp >= 0) {
		Frame *f = &d->st[d->sp];
		uint64_t graph = graph_bytes(s->g);
		note_peak(s, sim_visited_bytes(d->vis) + s->extra_bytes + graph);
		/* the bound holds through the next growth, not after it */
		if (out_of_bounds(s, s->r->states,
				  sim_visited_bytes_next(d->vis) +
				  s->extra_bytes + graph))
			return;
		uint8_t z = *data_of(d, f->id) & SLEEP_MASK;
		SimThreadSet todo = f->ample & ~f->done & ~(SimThreadSet)z;
		if (!todo) {
			*data_of(d, f->id) &= (uint8_t)~ONSTACK;
			d->sp--;
			continue;
		}
		int t = __builtin_ctzll(todo);
		if ((uint32_t)d->sp + 1 >= s->depth_max) {
			set_bound(s, "depth-max");
			f->done |= SIM_TSET(t);
			continue;
		}
		dfs_expand(d, t, z);
		f->done |= SIM_TSET(t);
		if (s->stop)
			return;
	}
}

static void explore_exhaustive(Search *s, const SimWorld *init)
{
	Dfs d = { .s = s, .sp = -1 };
	bool is_new;

	d.vis = sim_visited_new(s->hsize, s->o->exact,
				s->o->states_max ? s->o->states_max : 0);
	d.st = g_new0(Frame, s->depth_max + 1);
	Slot *slots = slots_new(s, init, s->depth_max + 1);
	for (uint32_t i = 0; i <= s->depth_max; i++) {
		d.st[i].w = slots[i].w;
		d.st[i].notes = slots[i].notes;
	}
	s->extra_bytes = sizeof(Frame) * (uint64_t)(s->depth_max + 1) +
			 slots_bytes(s, init, s->depth_max + 1);
	uint32_t id = sim_visited_add(d.vis, sim_world_state(init), &is_new);
	if (s->g)
		graph_add_state(s->g, init);
	s->r->states = 1;
	record_path(s, NULL, 0, terminal_props(s->p, init));
	dfs_push(&d, id, -1, 0);
	dfs_loop(&d);
	s->r->collisions = sim_visited_collisions(d.vis);
	sim_visited_free(d.vis);
	slots_free(slots);
	g_free(d.st);
}

/* ---- random walks and PCT ------------------------------------------------- */

typedef struct {
	SimPrng g;
	int prio[SIM_THREADS_MAX];
	uint32_t change[64];    /* PCT change points (step numbers) */
	uint32_t nchange;
	uint32_t k;             /* estimated steps in a run */
} Chooser;

/* PCT: distinct random priorities DEPTH.. for the threads, and DEPTH - 1
 * change points in [1, k]. */
static void pct_run_init(Chooser *c, int nthreads, uint32_t depth)
{
	for (int i = 0; i < nthreads; i++)
		c->prio[i] = (int)depth + i;
	for (int i = nthreads - 1; i > 0; i--) {
		int j = (int)sim_prng_below(&c->g, (uint32_t)i + 1);
		int tmp = c->prio[i];
		c->prio[i] = c->prio[j];
		c->prio[j] = tmp;
	}
	c->nchange = depth > 1 ? MIN(depth - 1, G_N_ELEMENTS(c->change)) : 0;
	for (uint32_t j = 0; j < c->nchange; j++)
		c->change[j] = 1 + sim_prng_below(&c->g, c->k);
}

static int highest(const Chooser *c, SimThreadSet runnable)
{
	int best = -1;

	for (int t = 0; runnable >> t; t++)
		if ((runnable >> t & 1) &&
		    (best < 0 || c->prio[t] > c->prio[best]))
			best = t;
	return best;
}

static int choose(Chooser *c, SimSearchKind kind, SimThreadSet runnable,
		  uint32_t step)
{
	if (kind == SIM_SEARCH_RANDOM) {
		uint32_t n = sim_prng_below(&c->g,
			(uint32_t)nbits(runnable));
		for (int t = 0;; t++)
			if ((runnable >> t & 1) && n-- == 0)
				return t;
	}
	for (uint32_t j = 0; j < c->nchange; j++)
		if (c->change[j] == step)
			c->prio[highest(c, runnable)] = (int)(c->nchange - j);
	return highest(c, runnable);
}

/* One walk from INIT; false on a model error. */
static bool walk(Search *s, Chooser *c, const SimWorld *init, Slot *w,
		 int *path)
{
	uint32_t n = 0;
	int cur = 0;
	SimPropSet found;

	sim_world_copy(w[0].w, init);
	if (w[0].notes)
		sim_notes_copy(w[0].notes, s->notes0);
	if (s->o->kind == SIM_SEARCH_PCT)
		pct_run_init(c, init->nthreads, s->o->pct_depth);
	for (;;) {
		SimThreadSet runnable = sim_step_runnable(w[cur].w);
		if (!runnable) {
			record_path(s, path, (int)n,
				    terminal_props(s->p, w[cur].w));
			break;
		}
		if (n >= s->depth_max) {
			set_bound(s, "depth-max");
			break;
		}
		int t = choose(c, s->o->kind, runnable, n + 1);
		if (!do_step(s, w[cur], w[cur ^ 1], t, s->lockdep, &found,
			     NULL))
			return false;
		path[n++] = t;
		cur ^= 1;
		if (found & ~s->r->found)
			record_path(s, path, (int)n, found);
	}
	s->r->runs++;
	s->r->depth = MAX(s->r->depth, n);
	c->k = MAX(c->k, n);
	return true;
}

static void explore_walks(Search *s, const SimWorld *init)
{
	Slot *w = slots_new(s, init, 2);
	int *path = g_new(int, s->depth_max + 1);
	Chooser c = { .k = 32 };

	sim_prng_seed(&c.g, s->o->seed);
	s->extra_bytes = slots_bytes(s, init, 2) + sizeof(int) * s->depth_max;
	note_peak(s, s->extra_bytes);
	for (uint32_t i = 0; i < s->o->runs; i++) {
		if (out_of_bounds(s, 0, s->extra_bytes) ||
		    !walk(s, &c, init, w, path))
			break;
	}
	set_bound(s, s->o->kind == SIM_SEARCH_PCT ? "pct" : "random");
	slots_free(w);
	g_free(path);
}

/* ---- counterexamples: 0-1 search over (world, last thread) --------------- */

#define STEP_COST 1u
#define PREEMPT_COST ((uint32_t)SIM_STEPS_MAX + 2)  /* one preemption, one
						     * step: key = preemptions
						     * * (MAX + 1) + steps */
#define NBUCKETS (PREEMPT_COST + 1)
#define GOAL_BIT 0x80000000u

typedef struct {
	uint32_t parent;
	uint32_t key;
	uint8_t tid;
	uint8_t closed;
} Node;

typedef struct {
	uint32_t node;
	uint32_t key;
	uint8_t tid;
	SimPropSet props;
} Goal;

typedef struct {
	Search *s;
	SimVisited *nodes;      /* exact: world prefix + last thread + 1 */
	GArray *meta;           /* Node, by id */
	GArray *goals;          /* Goal */
	GArray *bucket[NBUCKETS];
	uint32_t head[NBUCKETS];        /* FIFO read position per bucket */
	uint64_t queued;
	uint32_t key;           /* current minimum */
	uint8_t *rec;           /* hsize + 1 scratch */
	Slot w[2];              /* [0] expanded node, [1] child */
	SimPropSet want, got;
} Cex;

static void cex_push(Cex *x, uint32_t entry, uint32_t key)
{
	g_array_append_val(x->bucket[key % NBUCKETS], entry);
	x->queued++;
}

/* Pop the entry of least key; false when the queue is empty. */
static bool cex_pop(Cex *x, uint32_t *entry)
{
	if (!x->queued)
		return false;
	for (;; x->key++) {
		unsigned i = x->key % NBUCKETS;
		GArray *b = x->bucket[i];
		if (x->head[i] == b->len) {
			x->head[i] = 0;
			g_array_set_size(b, 0);
			continue;
		}
		*entry = g_array_index(b, uint32_t, x->head[i]++);
		x->queued--;
		return true;
	}
}

static void cex_goal(Cex *x, uint32_t node, int tid, uint32_t key,
		     SimPropSet props)
{
	Goal g = { .node = node, .key = key, .tid = (uint8_t)tid,
		   .props = props };

	if (!(props & x->want & ~x->got))
		return;
	uint32_t gi = (uint32_t)x->goals->len;
	g_array_append_val(x->goals, g);
	cex_push(x, gi | GOAL_BIT, key);
}

/* Add (state x->w[1], last TID) reached from PARENT at KEY. */
static void cex_node(Cex *x, uint32_t parent, int tid, uint32_t key)
{
	size_t hs = x->s->hsize;
	bool is_new;

	memcpy(x->rec, sim_world_state(x->w[1].w), hs);
	x->rec[hs] = (uint8_t)(tid + 1);
	uint32_t id = sim_visited_add(x->nodes, x->rec, &is_new);
	if (is_new) {
		Node n = { .parent = parent, .key = key, .tid = (uint8_t)tid };
		g_array_append_val(x->meta, n);
	} else {
		Node *n = &g_array_index(x->meta, Node, id);
		if (n->closed || n->key <= key)
			return;
		n->parent = parent;
		n->key = key;
		n->tid = (uint8_t)tid;
	}
	cex_push(x, id, key);
}

static void cex_expand(Cex *x, uint32_t id)
{
	Search *s = x->s;
	Node *n = &g_array_index(x->meta, Node, id);
	const uint8_t *rec = sim_visited_state(x->nodes, id);
	int last = rec[s->hsize] - 1;
	uint32_t key = n->key;
	SimPropSet found;

	n->closed = 1;
	memcpy(SIM_W_AT(x->w[0].w, x->w[0].w->state), rec, s->hsize);
	SimThreadSet runnable = sim_step_runnable(x->w[0].w);
	if (key % (SIM_STEPS_MAX + 1) >= s->depth_max)
		return;
	for (int t = 0; runnable >> t; t++) {
		if (!(runnable >> t & 1))
			continue;
		uint32_t k = key + (last >= 0 && t != last &&
				    (runnable >> last & 1) ? PREEMPT_COST :
				    STEP_COST);
		if (!do_step(s, x->w[0], x->w[1], t, NULL, &found, NULL))
			return;
		s->r->transitions--;    /* not the main search's */
		cex_goal(x, id, t, k, found);
		cex_goal(x, id, t, k, terminal_props(s->p, x->w[1].w));
		cex_node(x, id, t, k);
	}
}

/* The thread sequence to goal G. */
static GArray *cex_path(Cex *x, const Goal *g)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(int));
	int t = g->tid;

	g_array_append_val(a, t);
	for (uint32_t id = g->node; id != 0;) {
		const Node *n = &g_array_index(x->meta, Node, id);
		t = n->tid;
		g_array_prepend_val(a, t);
		id = n->parent;
	}
	return a;
}

static void cex_take(Cex *x, const Goal *g)
{
	SimExploreResult *r = x->s->r;

	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		if (!(g->props & x->want & ~x->got) || !(g->props >> prop & 1))
			continue;
		if (!(x->want >> prop & 1) || (x->got >> prop & 1))
			continue;
		x->got |= (SimPropSet)(1u << prop);
		if (r->cex[prop])
			g_array_free(r->cex[prop], TRUE);
		r->cex[prop] = cex_path(x, g);
		r->cex_minimal[prop] = true;
	}
}

static void cex_init(Cex *x, Search *s, const SimWorld *init)
{
	x->s = s;
	x->nodes = sim_visited_new(s->hsize + 1, true, 0);
	x->meta = g_array_new(FALSE, FALSE, sizeof(Node));
	x->goals = g_array_new(FALSE, FALSE, sizeof(Goal));
	for (unsigned i = 0; i < NBUCKETS; i++)
		x->bucket[i] = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	x->rec = g_malloc0(s->hsize + 1);
	x->w[0] = (Slot){ sim_world_dup(init), NULL };
	x->w[1] = (Slot){ sim_world_dup(init), NULL };
	cex_node(x, 0, -1, 0);
}

static void cex_free(Cex *x)
{
	sim_visited_free(x->nodes);
	g_array_free(x->meta, TRUE);
	g_array_free(x->goals, TRUE);
	for (unsigned i = 0; i < NBUCKETS; i++)
		g_array_free(x->bucket[i], TRUE);
	g_free(x->rec);
	g_free(x->w[0].w);
	g_free(x->w[1].w);
}

/* Replace the paths to WANT with cheapest ones, within the budget. */
static void find_counterexamples(Search *s, const SimWorld *init,
				 SimPropSet want)
{
	uint64_t budget = s->o->cex_nodes_max ? s->o->cex_nodes_max :
			  4u << 20;
	Cex x = { .want = want };
	uint32_t e;

	cex_init(&x, s, init);
	while (x.got != want && cex_pop(&x, &e) && !s->stop) {
		if (e & GOAL_BIT) {
			cex_take(&x, &g_array_index(x.goals, Goal,
						    e & ~GOAL_BIT));
			continue;
		}
		const Node *n = &g_array_index(x.meta, Node, e);
		if (n->closed || n->key != x.key)
			continue;
		uint64_t bytes = sim_visited_bytes_next(x.nodes) +
				 x.meta->len * sizeof(Node);
		note_peak(s, sim_visited_bytes(x.nodes) +
			  x.meta->len * sizeof(Node));
		/* --time-max covers minimising too: past it the paths
		 * found so far stand, marked not minimal */
		if (sim_visited_count(x.nodes) > budget ||
		    (s->o->memory_max &&
		     bytes + SIM_EXPLORE_PROCESS_BYTES > s->o->memory_max) ||
		    (s->o->interrupted && *s->o->interrupted) ||
		    (s->o->time_max > 0 && (double)(g_get_monotonic_time() -
						   s->t0) / 1e6 > s->o->time_max))
			break;
		cex_expand(&x, e);
	}
	s->r->cex_nodes = sim_visited_count(x.nodes);
	cex_free(&x);
}

/* ---- livelock: fair non-progress cycles of the unreduced graph ---------- */

/* A livelock is a reachable cycle of states in which some unfinished
 * thread W never completes its op (SPIN's non-progress cycle, with "W's
 * op returned" as the progress label; where thread bodies do not loop,
 * a cycle in which no op completes at all) and which is
 * weakly fair, as SPIN's -l -f: every thread runnable in every state of
 * the cycle takes a step in it.  So no thread that could end the spin
 * is kept from running: a retry loop that waits for a thread which can
 * always run (a lock holder about to unlock) is no livelock, one that
 * waits for a sleeper, or for nobody, is.
 *
 * Weak fairness is a property of a strongly connected component, not of
 * one cycle: a closed walk through every state and edge of a component
 * C is fair iff for every thread T, C has an edge of T inside it or a
 * state where T cannot run; if C fails that for some T, every cycle
 * inside C fails it too (T runs nowhere in C yet can run everywhere).
 * So, for each thread W: Tarjan's SCCs over the edges but those that end
 * an op of W, and each component with an inner edge, W unfinished, is
 * checked once.
 *
 * On which graph.  The check runs on the unreduced graph, never on the
 * reduced one: sleep sets drop transitions out of states (and with them
 * cycle edges), and a persistent set may leave out exactly the thread
 * whose step makes a cycle fair, so the reduced graph can both hide a
 * livelock and show an unfair cycle as the only one.  Without --no-por
 * the unreduced graph is explored in a second pass, only if the program
 * can cycle at all (sim_explore_may_cycle()).  The visited set folds
 * equal states into one id, which is what turns a repeated state into a
 * cycle (a state is the whole world, so equal ids are equal futures); a
 * fingerprint collision could fold two different states and so invent
 * a cycle, with the probability the coverage line prints (--exact:
 * none). */

/* Whether some thread's state can repeat.  A thread's position (the pcs
 * of its frames, a missing frame counting as past the end) grows with
 * every step that does not go back through a backward jump, except a
 * step that puts it to sleep, which changes nothing of its own; a cycle
 * of sleeps alone needs a waker that itself cycles.  So the graph is
 * acyclic unless some procedure has a backward jump over a primitive or
 * a call, other than a for loop whose variable only grows (find_loop():
 * nothing else assigns it) to a constant bound below 32767 (the
 * variable of `for i in 0..32767` wraps around 16 bits and the loop
 * never ends).  Loops of local instructions alone run inside one step
 * (step.c ends those that never leave). */
bool sim_explore_may_cycle(const SimProgram *p)
{
	for (int i = 0; i < p->nprocs; i++) {
		const SimProc *pr = p->procs[i];
		ProcInfo pi;
		proc_info(&pi, pr);
		for (int pc = 0; pc < pr->ncode; pc++) {
			const SimInsn *in = &pr->code[pc];
			if (!is_jump(in) || in->target > pc)
				continue;
			bool counted = false, blocking = false;
			const SimArg *hi = &pr->code[in->target].arg[1];
			for (int l = 0; l < pi.nloops; l++)
				counted |= pi.loop[l].body == in->target + 2 &&
					   pi.loop[l].end == pc - 1 &&
					   hi->kind == SIM_ARG_IMM &&
					   hi->v < INT16_MAX;
			for (int q = in->target; q <= pc; q++)
				blocking |= pr->code[q].op == SIM_I_PRIM ||
					    pr->code[q].op == SIM_I_CALL;
			if (blocking && !counted)
				return true;
		}
	}
	return false;
}

/* The graph by source: off[v] .. off[v + 1] index adj. */
typedef struct {
	uint32_t n;             /* states */
	uint32_t *off;
	Edge *adj;
	const uint8_t *enabled, *live;
} Csr;

static void csr_init(Csr *c, const Graph *g)
{
	const Edge *e = (const Edge *)(void *)g->edges->data;
	uint32_t m = g->edges->len;

	c->n = g->enabled->len;
	c->enabled = (const uint8_t *)g->enabled->data;
	c->live = (const uint8_t *)g->live->data;
	c->off = g_new0(uint32_t, c->n + 1);
	c->adj = g_new(Edge, MAX(m, 1));
	for (uint32_t i = 0; i < m; i++)
		c->off[e[i].src + 1]++;
	for (uint32_t v = 0; v < c->n; v++)
		c->off[v + 1] += c->off[v];
	uint32_t *pos = g_memdup2(c->off, sizeof(uint32_t) * c->n);
	for (uint32_t i = 0; i < m; i++)
		c->adj[pos[e[i].src]++] = e[i];
	g_free(pos);
}

static void csr_free(Csr *c)
{
	g_free(c->off);
	g_free(c->adj);
}

#define UNSEEN UINT32_MAX

/* Whether edge E is not one that ends an op of thread WHO (the edges a
 * cycle starving WHO may take). */
static bool starves(const Edge *e, int who)
{
	return !(e->tid & EDGE_PROGRESS) || edge_tid(e) != who;
}

/* Tarjan's strongly connected components over the edges that starve WHO
 * (iteratively: the graph can be deep).  Returns comp[v]. */
static uint32_t *sccs(const Csr *c, int who, uint32_t *ncomp)
{
	uint32_t n = c->n, idx = 0, nc = 0, sp = 0, cp = 0;
	uint32_t *index = g_new(uint32_t, n), *low = g_new(uint32_t, n);
	uint32_t *comp = g_new(uint32_t, n), *next = g_new(uint32_t, n);
	uint32_t *stack = g_new(uint32_t, n), *calls = g_new(uint32_t, n);

	memset(index, 0xff, sizeof(uint32_t) * n);
	for (uint32_t root = 0; root < n; root++) {
		if (index[root] != UNSEEN)
			continue;
		calls[cp++] = root;
		index[root] = low[root] = idx++;
		next[root] = c->off[root];
		stack[sp++] = root;
		comp[root] = UNSEEN;
		while (cp) {
			uint32_t v = calls[cp - 1];
			if (next[v] < c->off[v + 1]) {
				const Edge *e = &c->adj[next[v]++];
				uint32_t w = e->dst;
				if (!starves(e, who))
					continue;
				if (index[w] == UNSEEN) {
					index[w] = low[w] = idx++;
					next[w] = c->off[w];
					stack[sp++] = w;
					comp[w] = UNSEEN;
					calls[cp++] = w;
				} else if (comp[w] == UNSEEN) {
					low[v] = MIN(low[v], index[w]);
				}
				continue;
			}
			cp--;
			if (cp)
				low[calls[cp - 1]] = MIN(low[calls[cp - 1]],
							 low[v]);
			if (low[v] != index[v])
				continue;
			uint32_t w;
			do {
				w = stack[--sp];
				comp[w] = nc;
			} while (w != v);
			nc++;
		}
	}
	g_free(index);
	g_free(low);
	g_free(next);
	g_free(stack);
	g_free(calls);
	*ncomp = nc;
	return comp;
}

/* The components of one thread WHO's check. */
typedef struct {
	const Csr *c;
	int who;
	uint32_t *comp;
	uint32_t ncomp;
} Sccs;

static bool inner(const Edge *e, const Sccs *k)
{
	return starves(e, k->who) && k->comp[e->src] == k->comp[e->dst];
}

/* Per component of K: the threads with an inner edge (*STEPPED), and
 * whether it is a livelock of K->who (returned: an inner edge, K->who
 * unfinished, weakly fair). */
static uint8_t *fair_components(const Sccs *k, uint8_t **stepped_out)
{
	const Csr *c = k->c;
	size_t n = MAX(k->ncomp, 1);
	uint8_t *always = g_malloc(n), *stepped = g_malloc0(n);
	uint8_t *fair = g_malloc0(n);

	memset(always, 0xff, n);
	for (uint32_t v = 0; v < c->n; v++) {
		uint32_t x = k->comp[v];
		always[x] &= c->enabled[v];
		if (!(c->live[v] >> k->who & 1))
			continue;       /* done is for ever: all of x is */
		for (uint32_t i = c->off[v]; i < c->off[v + 1]; i++) {
			if (!inner(&c->adj[i], k))
				continue;
			fair[x] = 1;
			stepped[x] |= (uint8_t)(1u << edge_tid(&c->adj[i]));
		}
	}
	for (uint32_t x = 0; x < k->ncomp; x++)
		fair[x] = fair[x] && !(always[x] & ~stepped[x]);
	g_free(always);
	*stepped_out = stepped;
	return fair;
}

/* The cheapest path (preemptions, then steps, as the counterexample
 * search counts them) from state 0 to a state of a fair component of K,
 * over every edge: thread ids into PATH; returns the state reached. */
static uint32_t prefix_to(Search *s, const Sccs *k, const uint8_t *fair,
			  GArray *path)
{
	const Csr *c = k->c;
	uint32_t T = SIM_THREADS_MAX + 1, nn = c->n * T, e, goal = UNSEEN;
	uint32_t *key = g_new(uint32_t, nn), *from = g_new(uint32_t, nn);
	Cex q = { .s = s };

	memset(key, 0xff, sizeof(uint32_t) * nn);
	for (unsigned i = 0; i < NBUCKETS; i++)
		q.bucket[i] = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	key[0] = 0;
	cex_push(&q, 0, 0);
	while (cex_pop(&q, &e)) {
		uint32_t v = e / T;
		int last = (int)(e % T) - 1;
		if (key[e] != q.key)
			continue;
		if (fair[k->comp[v]]) {
			goal = e;
			break;
		}
		for (uint32_t i = c->off[v]; i < c->off[v + 1]; i++) {
			int t = edge_tid(&c->adj[i]);
			uint32_t kk = key[e] + (last >= 0 && t != last &&
				(c->enabled[v] >> last & 1) ? PREEMPT_COST :
				STEP_COST);
			uint32_t x = c->adj[i].dst * T + (uint32_t)t + 1;
			if (kk < key[x]) {
				key[x] = kk;
				from[x] = e;
				cex_push(&q, x, kk);
			}
		}
	}
	SIM_ASSERT(goal != UNSEEN);
	guint at = path->len;
	for (uint32_t x = goal; x != 0; x = from[x]) {
		int t = (int)(x % T) - 1;
		g_array_insert_val(path, at, t);
	}
	for (unsigned i = 0; i < NBUCKETS; i++)
		g_array_free(q.bucket[i], TRUE);
	g_free(key);
	g_free(from);
	return goal / T;
}

typedef enum {
	W_IDLE,                 /* to a state where thread t cannot run */
	W_STEP,                 /* through an inner edge of thread t */
	W_BACK,                 /* through an inner edge into state to */
} WalkKind;

/* A shortest walk over inner edges of K from state V to what KIND says:
 * thread ids appended to PATH, the threads stepping ORed into *STEPPED
 * and those idle in a state passed into *IDLE; returns the state
 * reached.  The goal exists: the component is strongly connected and
 * fair. */
static uint32_t walk_within(const Sccs *k, uint32_t v, WalkKind kind, int t,
			    uint32_t to, GArray *path, uint8_t *stepped,
			    uint8_t *idle)
{
	const Csr *c = k->c;
	uint32_t *via = g_new(uint32_t, c->n);  /* edge index in */
	GArray *fifo = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	GArray *edges = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	uint32_t end = UNSEEN, last = UNSEEN;

	memset(via, 0xff, sizeof(uint32_t) * c->n);
	g_array_append_val(fifo, v);
	for (guint h = 0; h < fifo->len && end == UNSEEN; h++) {
		uint32_t u = g_array_index(fifo, uint32_t, h);
		if (kind == W_IDLE && !(c->enabled[u] >> t & 1)) {
			end = u;
			break;
		}
		for (uint32_t i = c->off[u]; i < c->off[u + 1]; i++) {
			const Edge *e = &c->adj[i];
			if (!inner(e, k))
				continue;
			if ((kind == W_STEP && edge_tid(e) == t) ||
			    (kind == W_BACK && e->dst == to)) {
				end = u;
				last = i;
				break;
			}
			if (e->dst == v || via[e->dst] != UNSEEN)
				continue;
			via[e->dst] = i;
			g_array_append_val(fifo, e->dst);
		}
	}
	SIM_ASSERT(end != UNSEEN);
	if (last != UNSEEN)
		g_array_append_val(edges, last);
	for (uint32_t x = end; x != v; x = c->adj[via[x]].src)
		g_array_prepend_val(edges, via[x]);
	for (guint i = 0; i < edges->len; i++) {
		const Edge *e = &c->adj[g_array_index(edges, uint32_t, i)];
		int tid = edge_tid(e);
		g_array_append_val(path, tid);
		*stepped |= (uint8_t)(1u << tid);
		*idle |= (uint8_t)~c->enabled[e->dst];
		end = e->dst;
	}
	g_array_free(edges, TRUE);
	g_array_free(fifo, TRUE);
	g_free(via);
	return end;
}

/* A fair cycle of the component of state V, from V: for each thread,
 * unless the walk already took one of its steps or passed a state where
 * it cannot run, walk on to one of the two (the component has an inner
 * edge of it, STEPPED, or else a state where it cannot run: it is
 * fair), then back to V.  The walk is not empty: V has a thread that
 * can run (it has an inner edge), which is neither idle nor stepped. */
static void fair_cycle(const Sccs *k, uint32_t v, int nthreads,
		       uint8_t comp_stepped, GArray *path)
{
	uint8_t stepped = 0, idle = (uint8_t)~k->c->enabled[v];
	uint32_t u = v;

	for (int t = 0; t < nthreads; t++)
		if (!((stepped | idle) >> t & 1))
			u = walk_within(k, u, comp_stepped >> t & 1 ? W_STEP :
					W_IDLE, t, 0, path, &stepped, &idle);
	if (u != v)
		walk_within(k, u, W_BACK, -1, v, path, &stepped, &idle);
}

/* Find a livelock in graph G (complete or not: a cycle found is real),
 * of the lowest-numbered thread that has one; on one, record prefix +
 * cycle as its counterexample. */
static void livelock_check(Search *s, const Graph *g)
{
	SimExploreResult *r = s->r;
	Csr c;
	bool any = false;

	csr_init(&c, g);
	for (int who = 0; who < s->p->scn->nthreads && !any; who++) {
		Sccs k = { .c = &c, .who = who };
		uint8_t *stepped;
		k.comp = sccs(&c, who, &k.ncomp);
		uint8_t *fair = fair_components(&k, &stepped);
		for (uint32_t x = 0; x < k.ncomp && !any; x++)
			any = fair[x];
		if (any) {
			GArray *path = g_array_new(FALSE, FALSE, sizeof(int));
			uint32_t v = prefix_to(s, &k, fair, path);
			r->cycle_from = (int)path->len;
			fair_cycle(&k, v, s->p->scn->nthreads,
				   stepped[k.comp[v]], path);
			r->found |= (SimPropSet)(1u << SIM_PROP_LIVELOCK);
			if (r->cex[SIM_PROP_LIVELOCK])
				g_array_free(r->cex[SIM_PROP_LIVELOCK], TRUE);
			r->cex[SIM_PROP_LIVELOCK] = path;
			r->cex_minimal[SIM_PROP_LIVELOCK] = true;
		}
		g_free(fair);
		g_free(stepped);
		g_free(k.comp);
	}
	csr_free(&c);
}

static void graph_init(Graph *g)
{
	g->edges = g_array_new(FALSE, FALSE, sizeof(Edge));
	g->enabled = g_array_new(FALSE, FALSE, sizeof(uint8_t));
	g->live = g_array_new(FALSE, FALSE, sizeof(uint8_t));
}

static void graph_free(Graph *g)
{
	g_array_free(g->edges, TRUE);
	g_array_free(g->enabled, TRUE);
	g_array_free(g->live, TRUE);
}

/* With reduction on: the unreduced graph in a pass of its own (see
 * above), under the same bounds; its figures go to r->livelock_*. */
static void livelock_pass(Search *s, const SimWorld *init)
{
	SimExploreOptions o = *s->o;
	SimExploreResult r2 = { .complete = true };
	Search s2 = *s;
	Graph g;

	o.por = false;
	s2.o = &o;
	s2.r = &r2;
	s2.por = false;
	s2.lockdep = NULL;
	s2.next_check = 0;
	s2.stop = false;
	graph_init(&g);
	s2.g = &g;
	explore_exhaustive(&s2, init);
	s->r->livelock_states = r2.states;
	s->r->livelock_transitions = r2.transitions;
	s->r->peak_bytes = MAX(s->r->peak_bytes, r2.peak_bytes);
	if (r2.model_error) {
		s->r->model_error = true;
		if (!s->r->model_error_msg)
			s->r->model_error_msg = g_strdup(r2.model_error_msg);
	} else {
		if (r2.bound)
			set_bound(s, r2.bound);
		livelock_check(s, &g);
	}
	sim_explore_result_clear(&r2);
	graph_free(&g);
}

/* The exhaustive search, and livelock on the unreduced graph: recorded
 * by the search itself without reduction, else by a pass of its own. */
static void explore_exhaustive_livelock(Search *s, const SimWorld *init)
{
	bool cycles = sim_explore_may_cycle(s->p);
	Graph g;

	if (cycles && !s->por) {
		graph_init(&g);
		s->g = &g;
	}
	explore_exhaustive(s, init);
	if (s->g) {
		if (!s->r->model_error)
			livelock_check(s, &g);
		graph_free(&g);
		s->g = NULL;
	} else if (cycles && !s->r->model_error &&
		   !(s->o->interrupted && *s->o->interrupted)) {
		livelock_pass(s, init);
	}
}

/* Every property a counterexample's run reaches counts: re-run each path
 * (as its drawing will) and give any property seen on the way and not
 * yet found that path, cut where it was seen.  A random walk that hits
 * one property may pass another the walks never flagged (the 0-1 search
 * draws a different run).  Returns the properties added. */
static SimPropSet paths_see(Search *s, const SimWorld *init)
{
	SimExploreResult *r = s->r;
	Slot w[2] = { { sim_world_dup(init), NULL },
		      { sim_world_dup(init), NULL } };
	SimPropSet added = 0, found;

	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		const GArray *a = r->cex[prop];
		if (!a || prop == SIM_PROP_LIVELOCK)
			continue;
		const int *tids = (const int *)(const void *)a->data;
		int cur = 0;
		sim_world_copy(w[0].w, init);
		for (guint i = 0; i < a->len; i++) {
			if (!do_step(s, w[cur], w[cur ^ 1], tids[i], NULL,
				     &found, NULL))
				break;
			s->r->transitions--;    /* not the search's */
			cur ^= 1;
			found |= terminal_props(s->p, w[cur].w);
			found &= (SimPropSet)~r->found;
			added |= found;
			record_path(s, tids, (int)i + 1, found);
		}
	}
	g_free(w[0].w);
	g_free(w[1].w);
	return added;
}

/* ---- entry points ---------------------------------------------------------- */

void sim_explore_options_default(SimExploreOptions *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = SIM_SEARCH_EXHAUSTIVE;
	o->por = true;
	o->runs = 1000;
	o->pct_depth = 3;
	/* A search ends as `incomplete` long before the machine runs out
	 * of memory (24 GiB here); --memory-max 0 lifts it. */
	o->memory_max = (uint64_t)SIM_EXPLORE_MEMORY_DEFAULT_MB << 20;
}

void sim_explore_result_clear(SimExploreResult *r)
{
	g_free(r->bound);
	g_free(r->model_error_msg);
	g_free(r->order[0]);
	g_free(r->order[1]);
	for (int i = 0; i < SIM_PROP_COUNT; i++)
		if (r->cex[i])
			g_array_free(r->cex[i], TRUE);
	memset(r, 0, sizeof(*r));
}

int sim_explore_preemptions(const SimProgram *p, const int *tids, int n)
{
	SimWorld *w = sim_step_world_new(p);
	SimStepCtx ctx = { .prog = p };
	int last = -1, pre = 0;

	if (!sim_step_init(w, p, &ctx))
		n = -1;
	for (int i = 0; i < n; i++) {
		SimThreadSet runnable = sim_step_runnable(w);
		if (tids[i] < 0 || tids[i] >= w->nthreads ||
		    !(runnable >> tids[i] & 1)) {
			pre = -1;
			break;
		}
		if (last >= 0 && tids[i] != last && (runnable >> last & 1))
			pre++;
		sim_step(w, tids[i], &ctx);
		last = tids[i];
		if (ctx.model_error) {
			pre = -1;
			break;
		}
	}
	g_free(w);
	return n < 0 ? -1 : pre;
}

static bool search_init(Search *s, const SimProgram *p,
			const SimExploreOptions *o, SimExploreResult *r,
			SimWorld *init)
{
	GString *msg = g_string_new(NULL);
	SimStepCtx ctx = { .prog = p, .msg = msg };

	memset(s, 0, sizeof(*s));
	s->p = p;
	s->o = o;
	s->r = r;
	s->t0 = g_get_monotonic_time();
	s->depth_max = o->depth_max && o->depth_max < SIM_STEPS_MAX ?
		       o->depth_max : SIM_STEPS_MAX;
	if (!sim_step_init(init, p, &ctx)) {
		r->model_error = true;
		r->model_error_msg = g_string_free(msg, FALSE);
		return false;
	}
	g_string_free(msg, TRUE);
	s->hsize = sim_world_hash_size(init);
	s->ret_ok = ret_ok_new(p);
	s->por = o->por && init->npages <= FP_PAGES &&
		 init->nprocs <= FP_PROCS;
	if (s->por)
		futures_init(&s->fx, p);
	s->lockdep = sim_lockdep_new(p);
	s->notes0 = sim_notes_new(init);
	return true;
}

static void search_finish(Search *s)
{
	SimExploreResult *r = s->r;

	if (s->lockdep)
		sim_lockdep_collect(s->lockdep, &r->found, r->order);
	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		GArray *a = r->cex[prop];
		r->cex_preemptions[prop] = a ? sim_explore_preemptions(s->p,
			(const int *)(void *)a->data, (int)a->len) : 0;
	}
	uint64_t n = r->states;
	r->collision_bound = s->o->exact || s->o->kind != SIM_SEARCH_EXHAUSTIVE ?
			     0 : (double)n * (double)n / 36893488147419103232.0;
	r->seconds = (double)(g_get_monotonic_time() - s->t0) / 1e6;
	sim_lockdep_free(s->lockdep);
	g_free(s->notes0);
	ret_ok_free(s->ret_ok, s->p->nprocs);
	futures_free(&s->fx);
}

gboolean sim_explore(const SimProgram *p, const SimExploreOptions *o,
		     SimExploreResult *r)
{
	SimWorld *init = sim_step_world_new(p);
	Search s;

	memset(r, 0, sizeof(*r));
	r->complete = true;
	if (!search_init(&s, p, o, r, init)) {
		g_free(init);
		return FALSE;
	}
	if (o->kind == SIM_SEARCH_EXHAUSTIVE)
		explore_exhaustive_livelock(&s, init);
	else
		explore_walks(&s, init);
	/* the order properties are the graph's, not a path's; a
	 * livelock's path is its own (prefix + cycle) */
	SimPropSet want = r->found & (SimPropSet)~(1u << SIM_PROP_LOCK_ORDER |
						   1u << SIM_PROP_WAIT_ORDER |
						   1u << SIM_PROP_LIVELOCK);
	while (!r->model_error && want && !(o->interrupted &&
					    *o->interrupted)) {
		s.stop = false;
		find_counterexamples(&s, init, want);
		want = paths_see(&s, init);
	}
	search_finish(&s);
	g_free(init);
	return !r->model_error;
}
