/*
 * por.c - footprints, futures and persistent sets.  See por.h.
 *
 * A step may cross an op boundary when a RET of the outermost op is
 * reachable from the instruction after its primitive without another
 * primitive (reach[], computed once per program).
 *
 * A thread's future comes from walks of the IR (Futures): per frame, the
 * classes reachable from its pc through calls, following only the
 * branches its known registers allow, with the pgoffs as spans whose
 * bounds are constants or the procedure's unassigned parameters
 * (for-loop variables range over their bounds: loops.h), evaluated with
 * each frame's parameter registers; memoised by (procedure, pc, live
 * registers).
 */
#include <string.h>
#include "bitset.h"
#include "loops.h"
#include "oracle.h"
#include "por.h"
#include "step.h"

/* ---- footprints ---------------------------------------------------------- */

/* Classes, as bits of a 64-bit mask.  A page-indexed class has one bit
 * per pgoff (bit KIND * FP_PAGES + pgoff); the rest are whole objects.
 * The mask has room for FP_PAGES pages and FP_PROCS processes: a world
 * shaped larger is searched without reduction (sim_por_fits). */
#define FP_PAGES SIM_SPAN_PAGES
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

G_STATIC_ASSERT(FP_PAGES <= 8 && CL_WHOLE0 + 6 <= 64);

#define PAGES_ALL ((uint8_t)((1u << FP_PAGES) - 1))
#define KIND(k) ((uint64_t)PAGES_ALL << ((k) * FP_PAGES))
#define CL_ISIZE ((uint64_t)1 << CL_WHOLE0)
#define CL_ALLOC ((uint64_t)1 << (CL_WHOLE0 + 1))   /* free stack, nfree */
#define CL_BLOCKS ((uint64_t)1 << (CL_WHOLE0 + 2))  /* block[]: owner,
							 * state, stored */
#define CL_CACHE ((uint64_t)1 << (CL_WHOLE0 + 3))   /* cache_dirty */
#define CL_SEEN ((uint64_t)1 << (CL_WHOLE0 + 5))    /* which PTEs the
							 * oracles flag */
/* What the op-boundary oracles read (sim/oracle.c):
 *   stale-pte (check_ptes, check_pages): of the page tables, only which
 *     PTEs are flagged (sim_oracle_pte_flagged: stale, or the zero page
 *     over a block) given the block map, i_size and the page cache:
 *     CL_SEEN, a class no object has, which a step writes when a PTE it
 *     writes may be flagged before or after (by_state()); the
 *     page-cache flags (mflags, page_src) at every pgoff; i_size and
 *     the block map at the watched pgoffs only (sim_oracle_watched:
 *     those with a PTE or a page), which are the boundary's reads of
 *     the state it runs in (SimFp.brd, watched_reads()), not part of
 *     CL_BOUNDARY; excused(): which other threads are inside an op and
 *     the offsets they removed (SimFp.excuses, below; an op only adds
 *     to its inval mask in a step that also writes ISIZE or the block
 *     map at those offsets);
 *   lost-flush: fsync_pending & cache_dirty (CACHE: flush_cache and
 *     freeing a block, which write it, are what clear fsync_pending
 *     bits), and an fsync op starting copies cache_dirty: only a
 *     thread that runs fsync or may still start one reads CACHE
 *     (flushes()), since every other thread's fsync_pending is empty
 *     (an op starts with it cleared; other threads only clear bits);
 *   lost-store: the thread's own discarded / inval masks;
 *   quiescence: whether every thread is outside an op (below), which
 *     PTEs are flagged (SEEN), the block map, i_size, the page cache.
 * Not read: DAX entries and tags, block contents and owners (BLOCKS),
 * the free stack, page and entry locks, the PTEs beyond whether they
 * are flagged (a PTE's writable bit only words the message).
 *
 * Why SEEN stands for the page tables.  Flagging is per (process,
 * pgoff): the op-return check flags stale-pte iff some PTE is stale at
 * an unexcused pgoff (or a page is, which is the page cache's), the
 * quiescence check also stale-zero-page iff some PTE is the zero page
 * over a block.  Whether the PTE at (p, g) is flagged is a function of
 * the PTE, i_size, bmap[g] and the page cache at its target.  A step
 * that writes the PTE at (p, g) and finds it unflagged before and
 * unflagged after (in the state it runs in) therefore changes no
 * check's outcome in either order against a boundary step B, provided
 * B does not change i_size, bmap[g] or that page: the step reads those
 * to know (its footprint says so), so such a B is dependent.  Every
 * other PTE write writes SEEN, and B reads it.  A write of the block
 * map, i_size or the page cache changes whether existing PTEs are
 * flagged: B reads those (brd, KIND(K_PCACHE)) as before.  In a
 * persistent set the same holds along every path of the threads
 * outside it: one of them that could make the installed PTE flagged
 * writes what the install reads, so it is dependent and inside; a
 * future install (SimFuture) writes SEEN, as nothing says yet what it
 * will install. */
#define CL_BOUNDARY (KIND(K_PCACHE) | CL_SEEN)

/* Which threads are inside an op is no class: it orders steps by kind
 * (SimFp.enters, .boundary, .excuses; SimFuture likewise), since each
 * thread changes only its own part.  The quiescence check runs after a
 * step that leaves the last op in progress, on the state after it.  An
 * op's first step (enters) and another thread's op return (boundary)
 * do not commute: the world is quiescent after the return only if it
 * comes first.  Two op returns commute for it: either order checks the
 * state after both, or neither does (a third thread is inside an op).
 * Two first steps commute too: neither runs the check.  An op's return
 * check excuses the offsets other ops in progress removed (inval): two
 * op returns do not commute when either has removed some, so that the
 * other's check excuses them in one order only. */

/* A primitive's footprint as a function of its arguments (step.c's
 * handlers): page classes (T_*, bits 0-4 are K_BMAP..K_ELOCK) on the
 * pgoffs its arguments name (PG_*), whole objects (W_*, bit i is class
 * CL_WHOLE0 + i).  Lock classes other than page and entry locks are the
 * instance the step names (SimFp.lock) and, in futures, the class. */
enum {
	T_BMAP = 1u << K_BMAP, T_PCACHE = 1u << K_PCACHE,
	T_ENTRY = 1u << K_ENTRY, T_PLOCK = 1u << K_PLOCK,
	T_ELOCK = 1u << K_ELOCK,
	T_PTE_OWN = 1u << 5,    /* the thread's process's page table */
	T_PTE_ALL = 1u << 6,    /* every process's */
	T_MAPS = 1u << 7,       /* (written) may make the pgoff watched:
				 * maps a PTE or adds a page */
	W_ISIZE = 1, W_ALLOC = 2, W_BLOCKS = 4, W_CACHE = 8,
	W_SEEN = 32,            /* (written) may change which PTEs are
				 * flagged: by_state() refines it */
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
		FP(PG_NONE, 0, 0, 0, 0);        /* the instance: SimFp.lock */
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
	case SIM_P_SET_PTE: case SIM_P_SET_PTE_ZERO:
		/* the block map and i_size: only to know that the PTE it
		 * installs is not flagged (by_state()) */
		FP(PG_ARG0, T_PTE_OWN | T_BMAP, T_PTE_OWN | T_MAPS, W_ISIZE,
		   W_SEEN);
	case SIM_P_SET_PTE_ANON:        /* never flagged: no file data */
		FP(PG_ARG0, T_PTE_OWN, T_PTE_OWN | T_MAPS, 0, 0);
	case SIM_P_PTE_MKWRITE:         /* of a present PTE only; the
					 * writable bit is not flagged */
		FP(PG_ARG0, T_PTE_OWN, T_PTE_OWN, 0, 0);
	case SIM_P_SET_PTE_PAGE:
		FP(PG_ARG0, T_PTE_OWN | T_PCACHE, T_PTE_OWN | T_MAPS, W_ISIZE,
		   W_SEEN);
	case SIM_P_ZAP_PTES:
		FP(PG_RANGE, T_PTE_ALL, T_PTE_ALL, 0, W_SEEN);
	case SIM_P_WRPROTECT:           /* the writable bit only */
		FP(PG_ARG0, T_PTE_ALL, T_PTE_ALL, 0, 0);
	case SIM_P_PAGE_MAPPED:
		FP(PG_ARG0, T_PTE_ALL, 0, 0, 0);
	case SIM_P_FIND_PAGE: case SIM_P_READ_PAGE:
		FP(PG_ARG0, T_PCACHE, 0, 0, 0);
	case SIM_P_ADD_PAGE:
		FP(PG_ARG0, T_PCACHE, T_PCACHE | T_MAPS, W_BLOCKS, 0);
	case SIM_P_FILL_PAGE:           /* of the page add_page inserted */
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

/* prim_fp() of every primitive, tabled on first use: a footprint is
 * computed for every step the search takes. */
static const PrimFp *prim_fps(void)
{
	static PrimFp tab[SIM_P_COUNT];
	static gsize done;

	if (g_once_init_enter(&done)) {
		for (int i = 0; i < SIM_P_COUNT; i++)
			tab[i] = prim_fp(i);
		g_once_init_leave(&done, 1);
	}
	return tab;
}

static bool allocates(const SimInsn *in, int create)
{
	return (in->sub != SIM_P_GET_BLOCK && in->sub != SIM_P_GET_BLOCK_ZERO &&
		in->sub != SIM_P_GET_BLOCK_UNWRITTEN) || create != 0;
}

/* Page classes T on pgoffs PAGES of a thread in process PROC: PAGES
 * times a mask with the lowest bit of each class's FP_PAGES-bit field
 * (the fields do not overlap, so no carries).  The bits of T_BMAP ..
 * T_ELOCK (kinds 0-4) are spread to every eighth bit by one multiply:
 * bit k of T lands at k + 7j for j = 0..4, at 8k for j = k, and the
 * copies (5 bits, 7 apart) never meet.  A footprint is expanded for
 * every step taken, and a future for every thread that steps. */
static uint64_t expand(uint8_t t, uint8_t pages, int proc)
{
	G_STATIC_ASSERT(FP_PAGES == 8 && K_ELOCK == 4);
	uint64_t lanes = ((uint64_t)(t & 0x1f) * 0x10204081u) &
			 0x0101010101u;

	if (t & T_PTE_OWN)
		lanes |= (uint64_t)1 << ((K_PTE0 + proc) * FP_PAGES);
	if (t & T_PTE_ALL)
		for (int q = 0; q < FP_PROCS; q++)
			lanes |= (uint64_t)1 << ((K_PTE0 + q) * FP_PAGES);
	return lanes * pages;
}

static uint64_t whole(uint8_t w)
{
	return (uint64_t)w << CL_WHOLE0;
}

/* The watched pgoffs of W (sim_oracle_watched) as a page mask; a world
 * shaped larger than the mask is searched without reduction. */
static uint8_t watched_pages(const SimWorld *w)
{
	uint8_t set[SIM_PAGES_MAX / 8];

	sim_oracle_watched(w, set);
	if (w->pgset > 1 && sim_bits_any(set + 1, w->pgset - 1))
		return PAGES_ALL;
	return set[0] & PAGES_ALL;
}

/* What the op-boundary oracles read beyond CL_BOUNDARY when the pgoffs
 * PAGES are watched: the block map there, and i_size if any is. */
static uint64_t watched_reads(uint8_t pages)
{
	return expand(T_BMAP, pages, 0) | (pages ? CL_ISIZE : 0);
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

/* reach[proc][pc]: R_RET if from pc a RET is reachable through local
 * instructions only (a CALL is assumed to return without a primitive);
 * R_FSYNC if a CALL of fsync is reachable at all (step.c snapshots the
 * dirty lines when a thread's body calls it, sim_step_is_fsync). */
enum { R_RET = 1, R_FSYNC = 2 };

static uint8_t **reach_new(const SimProgram *p)
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
					v = R_RET;
				else if (in->op == SIM_I_PRIM)
					v = ok[i][pc + 1] & R_FSYNC;
				else if (in->op == SIM_I_JMP)
					v = ok[i][in->target];
				else if (in->op == SIM_I_JZ)
					v = ok[i][pc + 1] | ok[i][in->target];
				else if (in->op == SIM_I_CALL &&
					 sim_step_is_fsync(p->procs[in->target]))
					v = ok[i][pc + 1] | R_FSYNC;
				else
					v = ok[i][pc + 1];
				changed |= v != ok[i][pc];
				ok[i][pc] = v;
			}
		}
	}
	return ok;
}

static void reach_free(uint8_t **ok, int n)
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
		const SimFrame *f = &sim_th_frame(t)[d];
		int pc = d == t->depth - 1 ? f->pc + 1 : f->pc;
		if (!(ok[f->proc][pc] & R_RET))
			return false;
	}
	return true;
}

/* Whether the lost-flush check or an fsync starting may read the dirty
 * lines at T's op boundaries from now on: its outermost op is fsync, or
 * its body may still call fsync (from the return point of its body
 * frame, or from its pending primitive there).  Every other thread's
 * fsync_pending is empty, and stays so (others only clear bits), so its
 * op return flags no lost-flush whatever the lines hold. */
static bool flushes(const SimProgram *p, uint8_t *const *ok,
		    const SimThread *t)
{
	const SimFrame *body = &sim_th_frame(t)[0];

	return (t->depth >= 2 &&
		sim_step_is_fsync(p->procs[sim_th_frame(t)[1].proc])) ||
	       (ok[body->proc][body->pc] & R_FSYNC);
}

/* down_read / up_read: what readers share (por.h). */
static bool reads_rwsem(const SimInsn *in)
{
	return in->sub == SIM_P_DOWN_READ || in->sub == SIM_P_UP_READ;
}

static int reg_value(const SimThread *t, int base, const SimArg *a)
{
	return a->kind == SIM_ARG_IMM ? a->v : sim_th_reg(t)[base + a->v];
}

/* The parts of the footprint F of T's next step IN (arguments A) that
 * depend on more than T's own SimThread (SimFp.refresh), in W:
 *   a user access goes through T's PTE at a0 (which it reads): to the
 *     page cache there through a page, to a block (its contents, a
 *     store also the dirty lines) through a block PTE, nowhere
 *     through no PTE, a read-only one (a store), the zero page (a load)
 *     or a private copy;
 *   a PTE install writes SEEN (CL_BOUNDARY) unless the PTE it leaves is
 *     not flagged, before and after (sim_oracle_pte_flagged): it fails
 *     with EBUSY, writing nothing, where a PTE is present; else the
 *     new PTE, which maps block a1, the zero page or the page at a0,
 *     must be unflagged in W, which it knows by reading i_size and
 *     the block map at a0 (a page PTE: the page, read anyway).  Those
 *     reads make it dependent on every step that could change the
 *     answer, and on every boundary step that does (so the boundary's
 *     check, run after its own primitive, sees the PTE unflagged too).
 *     A flagged PTE needs no such reads: SEEN orders it against every
 *     boundary.
 * Arguments out of the file are a model error: the footprint stays as
 * declared. */
static void by_state(const SimWorld *w, const SimInsn *in, const int *a,
		     const SimThread *t, SimFp *f)
{
	int g = a[0];

	if (g < 0 || g >= w->npages)
		return;
	const SimPte *pte = sim_pte(w, t->proc, g);
	uint8_t m = (uint8_t)(1u << g);
	uint64_t claim = CL_ISIZE;
	SimPte x = { .target = (uint16_t)g };

	switch ((SimPrimId)in->sub) {
	case SIM_P_USER_STORE:
	case SIM_P_USER_LOAD: {
		bool store = in->sub == SIM_P_USER_STORE;
		uint64_t pcache = expand(T_PCACHE, m, 0);
		f->refresh = true;
		if (pte->kind == SIM_PTE_K_NONE || pte->kind == SIM_PTE_K_ANON ||
		    (store ? !pte->writable : pte->kind == SIM_PTE_K_ZERO)) {
			f->rd &= ~(pcache | CL_BLOCKS);
			f->wr &= ~(pcache | CL_BLOCKS | CL_CACHE);
		} else if (pte->kind == SIM_PTE_K_PAGE) {
			f->rd &= ~CL_BLOCKS;
			f->wr &= ~(CL_BLOCKS | CL_CACHE);
		} else {
			f->rd &= ~pcache;
			f->wr &= ~pcache;
		}
		return;
	}
	case SIM_P_SET_PTE:
		if (a[1] < 1 || a[1] > w->nblocks)
			return;
		x.kind = SIM_PTE_K_BLOCK;
		x.target = (uint16_t)a[1];
		claim |= expand(T_BMAP, m, 0);
		break;
	case SIM_P_SET_PTE_ZERO:
		x.kind = SIM_PTE_K_ZERO;
		x.target = 0;
		claim |= expand(T_BMAP, m, 0);
		break;
	case SIM_P_SET_PTE_PAGE:
		x.kind = SIM_PTE_K_PAGE;
		break;
	default:
		return;
	}
	f->refresh = true;
	if (pte->kind != SIM_PTE_K_NONE) {
		f->rd &= ~claim;
		f->wr &= ~CL_SEEN;
	} else if (sim_oracle_pte_flagged(w, &x, g)) {
		f->rd &= ~claim;
	} else {
		f->wr &= ~CL_SEEN;
	}
}

/* The footprint of TID's next step but its boundary reads (SimFp.brd
 * 0).  Most of it depends on TID's own SimThread only (its instruction,
 * argument registers and process); what does not is by_state()'s and a
 * reader's sharing. */
static SimFp step_fp(const SimWorld *w, const SimProgram *p,
		     uint8_t *const *ok, int tid)
{
	const SimThread *t = sim_thread(w, tid);
	const SimInsn *in = sim_step_next_insn(w, p, tid);
	int base = sim_th_frame(t)[t->depth - 1].base;
	PrimFp d = prim_fps()[in->sub];
	int a[SIM_ARGS_MAX] = { 0 };
	uint8_t pages = 0;
	SimFp f = { .lock = SIM_POR_LOCK_NONE };

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
	if (d.pwr & T_MAPS)
		f.maps = pages;
	by_state(w, in, a, t, &f);
	if (sim_prims[in->sub].argkind == SIM_PA_LOCK) {
		int inst = sim_step_lock_target(w, p, tid);
		f.lock = inst >= 0 ? inst : SIM_POR_LOCK_ANY;
		f.decl = inst >= 0 ? (int8_t)sim_lock_decl_of(p, inst) : -1;
		if (inst >= 0 && reads_rwsem(in) &&
		    sim_lock(w, inst).kind == SIM_LK_RWSEM) {
			f.reader = true;
			sim_por_fp_reshare(w, &f);
		}
	}
	if (may_cross_boundary(w, ok, tid)) {
		f.rd |= CL_BOUNDARY | (flushes(p, ok, t) ? CL_CACHE : 0);
		f.boundary = true;
		f.excuses = sim_bits_any(sim_inval(w, tid), w->pgset);
	}
	f.enters = t->depth < 2 || !t->begun;
	return f;
}

/* The footprint of TID's next step. */
static SimFp next_fp(const SimWorld *w, const SimProgram *p, uint8_t *const *ok,
		  int tid)
{
	SimFp f = step_fp(w, p, ok, tid);

	if (f.boundary)
		f.brd = watched_reads(watched_pages(w) | f.maps);
	return f;
}

/* ---- futures: what a thread may still touch, per pgoff --------------- */

/* A frame's future is a summary of what the primitives reachable from
 * its pc (through calls, transitively) may touch, with the pgoffs they
 * name as spans [lo, hi] whose bounds are constants or the procedure's
 * parameters.  It comes from a walk of the frame's code forward from pc
 * that knows registers (constant propagation): those of the frame's
 * registers live at pc to begin with, then what MOV and ALU compute from
 * known ones and what a callee returns when every RET it reaches returns
 * one known value; a primitive's results are not known, nor is a
 * register that two paths reach with different values.  A JZ on a known
 * register goes one way only: a branch decided by what the thread
 * already has in its registers (a parameter, an earlier primitive's
 * result) adds only what its taken side reaches.  A page argument is
 *   a known value: that pgoff;
 *   a parameter no instruction of the procedure assigns (registers
 *     0..nparams-1 of a frame hold the values passed at entry): its
 *     value when the summary is evaluated;
 *   the variable of a for loop (the parser's shape: MOV v, lo; top: ALU
 *     t = v <= hi; JZ t, out; body; ALU v = v + 1; JMP top) used in the
 *     body, where neither v nor hi is assigned and nothing jumps in from
 *     outside: [lo, hi], lo and hi immediates or such parameters;
 *   anything else: every pgoff.
 * A call enters the callee with the arguments the walk knows, and maps
 * the callee's parameter bounds to the spans of its arguments (lower
 * bounds to the argument's lower bound, upper to upper).  The top frame
 * is walked from its pending primitive, the others from their return
 * point, where the CALL's destination holds what the frame above may
 * return.  A bound outside the file stands for every pgoff.
 *
 * Why a known register may decide a branch.  Local instructions are a
 * function of the thread's registers alone (step.c, run_local()), and
 * only the thread's own steps write them; the walk assigns as a run does
 * (sim_alu, the 16-bit store of set_reg) or forgets, and at a join keeps
 * only what both sides agree on.  So on every run from the frame's state
 * a register the walk knows at an instruction holds that value there,
 * and every primitive the run reaches the walk reaches, with arguments
 * within its spans.  The summary is therefore a function of the
 * thread's own SimThread, which a step of another thread never changes:
 * the search may keep it from one state to the next (dfs.c).
 *
 * Gates.  Some results are nonzero (or zero) only if the state is so at
 * the result's pgoff g when the primitive runs:
 *   find_page(g) nonzero: a page in the page cache at g (G_PAGE), which
 *     only add_page puts there;
 *   get_block*(g, 0)'s block zero, and get_block*(g, c)'s second result
 *     (buffer_new or unwritten) nonzero: a hole or an unwritten block at
 *     g (G_HOLE; step.c's get_block()).  A written block at g becomes
 *     either only by free_blocks or shift_blocks there (an allocation
 *     fills a hole; nothing else sets a block unwritten);
 *   i_size_read() compared with a known pgoff c (c >= n zero, n > c
 *     nonzero, ...): i_size past c (G_ISIZE), which only i_size_write
 *     changes.
 * A path's gate has one condition per kind, each "at one of these
 * pgoffs" (bit kind + pgoff); a path gated by it needs every kind it
 * names to have held at some time on it.  The walk remembers, for a
 * register that holds such a result (or NOT, AND, OR, a compare of
 * one), what it needs to be nonzero (or zero), and a JZ on it gates
 * each side by what that side needs, on top of what the path needed
 * already (gate_conj()); where paths meet, a kind is kept only if both
 * need it, at the pgoffs of either (gate_join()).  What a path gated by
 * kind k reaches is in the summary, and also out of its part ungated by
 * kind k (Summary.u*[k], SimFuture.u*[k]), and the summary's gate has
 * the union of those paths' pgoffs of kind k.  Of the hole kind
 * (SPLIT) that rest is also kept apart by the pgoffs of the condition
 * that gates it (Summary.gated, SimFuture.gated: a part per pgoffs, two
 * per future; Item.g* its page classes): a path gated by it at pgoffs
 * P goes to the part at P (the first such condition on the path:
 * gate_conj()).  Only the hole kind: a truncate or punch hole frees
 * blocks at some pgoffs while faults elsewhere are gated at theirs;
 * parts of the other kinds cost more CPU than they saved states.
 * On the paths a persistent set must cover, a
 * condition holds at g only if it holds now or a thread outside the
 * seed can make it so (others_may()): if a kind of a thread's gate can
 * hold at none of its pgoffs, only its part ungated by that kind can
 * happen there; if at some, that part and the parts of the kind whose
 * pgoffs it can hold at (dep_future(), reach()).  A fault's load at
 * pgoff 2, which truncate can punch, then leaves closed what its store
 * at pgoff 1 does only over a hole there.  Past GATED parts, a new one
 * widens one (it opens at more pgoffs): that only adds to what may
 * happen.
 * A fault's unmap_mapping_range of a hole page it found, the hole page
 * it adds over a hole in the block map, what it does past its i_size
 * check, are such parts.
 *
 * A register not live at pc (written before it is read on every path)
 * cannot decide anything from there: the walk drops it, so that a
 * summary is a function of (procedure, pc, the live registers' values),
 * and walks are memoised by that key (Walked). */

#define NGK SIM_POR_GATE_KINDS
#define KINDS_ALL ((uint8_t)((1u << NGK) - 1))

#define GATED SIM_POR_GATED
#define SPLIT (1u << 1)         /* the kinds told apart by pgoff (Gates) */
#define DROP 0xff               /* no gated part (gated_slot()) */

typedef struct {
	uint8_t rd, wr;         /* T_* on the pgoffs of s */
	uint8_t urd[NGK], uwr[NGK];     /* those reached on a path not
				 * gated by kind k (Gates) */
	uint8_t grd[GATED], gwr[GATED]; /* those reached on the paths of
				 * the summary's gated part i */
	bool adds;              /* add_page */
	uint8_t uadds;          /* bit k: on a path not gated by kind k */
	uint8_t gadds;          /* bit i: on the paths of gated part i */
	bool holes;             /* free_blocks, shift_blocks */
	SimSpan s;
} Item;

#define ITEMS_MAX 16

/* A gate's kinds: bit GK_* + pgoff (Gates); kind k is GK_* / 8. */
enum { GK_PAGE = 0, GK_HOLE = 8, GK_ISIZE = 16, GK_END = 8 * NGK };

/* Condition KIND at pgoff G; none (0) past the pgoffs told apart. */
static uint32_t gate_at(int kind, int g)
{
	return g >= 0 && g < FP_PAGES ? (uint32_t)1 << (kind + g) : 0;
}

/* What a path gated by A and then by B needs: both, so per kind either
 * one's (A's, which it needed first). */
static uint32_t gate_conj(uint32_t a, uint32_t b)
{
	uint32_t r = 0;

	for (int k = 0; k < GK_END; k += 8)
		r |= ((a >> k & 0xff) ? a : b) & (uint32_t)0xff << k;
	return r;
}

/* What either of two paths gated by A and B needs (0: ungated): the
 * kinds both need, at the pgoffs of either. */
static uint32_t gate_join(uint32_t a, uint32_t b)
{
	uint32_t r = 0;

	for (int k = 0; a && b && k < GK_END; k += 8)
		if ((a >> k & 0xff) && (b >> k & 0xff))
			r |= (a | b) & (uint32_t)0xff << k;
	return r;
}

/* The kinds gate G names (bit k: kind k). */
static uint8_t gate_kinds(uint32_t g)
{
	uint8_t m = 0;

	for (int k = 0; k < NGK; k++)
		if (g >> (8 * k) & 0xff)
			m |= (uint8_t)(1u << k);
	return m;
}

/* The bits of a gate of the kinds KINDS. */
static uint32_t gate_mask(uint8_t kinds)
{
	uint32_t m = 0;

	for (int k = 0; k < NGK; k++)
		if (kinds >> k & 1)
			m |= (uint32_t)0xff << (8 * k);
	return m;
}

/* The high bit of each byte of X that is not zero (no carry leaves a
 * byte: 0x7f + 0x7f < 0x100). */
static uint32_t bytes_nonzero(uint32_t x)
{
	return (((x & 0x7f7f7fu) + 0x7f7f7fu) | x) & 0x808080u;
}

/* The kinds (bit k) of bytes X marks (bytes_nonzero()). */
static uint8_t byte_kinds(uint32_t x)
{
	G_STATIC_ASSERT(NGK == 3);
	return (uint8_t)((x >> 7 & 1) | (x >> 14 & 2) | (x >> 21 & 4));
}

/* The kinds of gate G that cannot hold at any of its pgoffs in states
 * that meet at most MEETS (bits as a gate's).  Asked for every pair of
 * threads a persistent set compares. */
static uint8_t gate_closed(uint32_t g, uint32_t meets)
{
	return byte_kinds(bytes_nonzero(g) & ~bytes_nonzero(g & meets));
}

typedef struct {
	uint8_t wrd, wwr;       /* W_* */
	uint16_t locks;         /* lock classes (decl bitmask), but page and
				 * entry locks */
	uint16_t xlocks;        /* those taken or dropped other than by
				 * down_read / up_read */
	uint8_t uwrd[NGK], uwwr[NGK];   /* the same on paths not gated by
				 * kind k (Gates) */
	uint16_t ulocks[NGK], uxlocks[NGK];
	uint32_t gate;          /* what the rest needs, per kind */
	SimGated gated[GATED];  /* the rest by its condition's pgoffs: whole
				 * classes (whole()) and locks here, page
				 * classes in Item.g* */
	uint8_t ngated;
	bool ret;               /* a RET is reachable (without the cut's
				 * acquisition, below) */
	uint8_t uret;           /* bit k: on a path not gated by kind k */
	bool calls;             /* so is a CALL (of a body: another op) */
	bool removes;           /* a primitive that adds to the op's inval
				 * mask (step.c's removed()) */
	uint8_t n;
	Item it[ITEMS_MAX];
} Summary;

/* A thread that holds a lock freezes, for the paths on which it does
 * not step (those a persistent set grown from it must cover), every
 * other thread at its first acquisition of that lock that would sleep:
 * any acquisition if it holds the lock for write, an exclusive one
 * (mutex_lock, down_write) if for read.  Such paths never take another
 * thread past that acquisition, so only what it may do until then,
 * the acquisition included (it queues), can be dependent with the
 * holder's next step: the summaries "up to an acquisition of class C"
 * (CUT_EXCL: exclusive ones; CUT_ANY: every one).  Classes whose
 * instance a thread's acquisition names statically: one instance, or
 * one per process (mmap_sem); mutexes and rwsems only (the entry wait
 * bit wakes on a deletion by anyone). */
enum { CUT_EXCL, CUT_ANY, CUT_MODES };

#define CUTS (1 + SIM_LOCKDECLS_MAX * CUT_MODES)

/* What the walk knows of a frame's registers. */
typedef struct {
	uint64_t known;         /* bit r: v[r] is register r's value */
	int16_t v[SIM_REGS_MAX];        /* 0 where not known */
} Env;

G_STATIC_ASSERT(SIM_REGS_MAX <= 64);

/* A walk: of cut K (0: the whole future, 1 + c * CUT_MODES + m: cut at
 * class c in mode m) from (PROC, PC) knowing E (live registers only). */
typedef struct {
	Env e;
	uint16_t proc, pc;
	uint8_t k;
} Key;

/* What the walk knows on a path: registers, and the gates (Gates) the
 * path and each register's being nonzero (nz) or zero (z) need. */
typedef struct {
	Env e;
	uint32_t nz[SIM_REGS_MAX], z[SIM_REGS_MAX];
	uint64_t isz;           /* bit r: register r holds i_size_read()'s
				 * result */
	uint32_t gate;
} Path;

/* A summary as a thread in one process adds it to its future: the
 * items whose bounds are constants expanded to classes, with the rest,
 * as a future of what the summary does (its flags live, enters, leaves
 * and excuses unset: they are the thread's, not a walk's).  A thread's
 * future is made for every step it takes, from a walk per frame: the
 * expansion is made once per walk and process (Walked.pre), and only
 * items whose bounds are parameters (Walked.params) are evaluated per
 * frame, into the future itself. */
typedef SimFuture Pre;

typedef struct {
	Key key;
	uint64_t hash;          /* of the key (key_hash) */
	Summary s;
	Pre pre[FP_PROCS];      /* pre[p] once bit p of made is set */
	uint8_t made;
	bool params;            /* an item has a parameter bound */
	bool busy;              /* being walked: a recursive call meets it */
	bool retk;              /* every RET reached returns retv */
	int16_t retv;
} Walked;

/* Walks kept at most: past it the memo starts again (it is a cache),
 * in an open-addressed table of twice as many slots. */
#define WALKED_MAX (1u << 12)
#define WALKED_SLOTS (2 * WALKED_MAX)

typedef struct {
	const SimProgram *p;
	SimLoops *pi;           /* [proc] */
	uint64_t **live;        /* [proc][pc]: registers live at pc */
	bool cut[CUTS];         /* the cut's acquisitions exist: else the
				 * cut summaries are the whole ones */
	Walked **memo;          /* [WALKED_SLOTS]: by Walked.hash, linear
				 * probing; NULL: empty */
	unsigned nwalked;
	/* [tid][depth]: the whole future's walk that frame last had, in
	 * the memo: a thread's step most often leaves the frames below
	 * its top one as they were, so their walks are found without a
	 * hash (future_in) */
	Walked *last[SIM_THREADS_MAX][SIM_FRAMES_MAX];
	int nprocs;
} Futures;

static void item_join(Item *y, const Item *x)
{
	y->rd |= x->rd;
	y->wr |= x->wr;
	for (int k = 0; k < NGK; k++) {
		y->urd[k] |= x->urd[k];
		y->uwr[k] |= x->uwr[k];
	}
	for (int i = 0; i < GATED; i++) {
		y->grd[i] |= x->grd[i];
		y->gwr[i] |= x->gwr[i];
	}
	y->adds |= x->adds;
	y->uadds |= x->uadds;
	y->gadds |= x->gadds;
	y->holes |= x->holes;
}

/* Whether item Y has everything of X but its span. */
static bool item_covers(const Item *y, const Item *x)
{
	for (int k = 0; k < NGK; k++)
		if ((x->urd[k] & ~y->urd[k]) || (x->uwr[k] & ~y->uwr[k]))
			return false;
	for (int i = 0; i < GATED; i++)
		if ((x->grd[i] & ~y->grd[i]) || (x->gwr[i] & ~y->gwr[i]))
			return false;
	return !(x->rd & ~y->rd) && !(x->wr & ~y->wr) &&
	       (!x->adds || y->adds) && !(x->uadds & ~y->uadds) &&
	       !(x->gadds & ~y->gadds) &&
	       (!x->holes || y->holes);
}

/* Add X to S.  Full: X joins item 0, widened to every pgoff. */
static void add_item(Summary *s, Item x)
{
	if (!(x.rd | x.wr))
		return;
	for (int i = 0; i < s->n; i++) {
		Item *y = &s->it[i];
		if (sim_span_eq(y->s, x.s) ||
		    (sim_span_is_all(y->s) && item_covers(y, &x))) {
			item_join(y, &x);
			return;
		}
	}
	if (s->n < ITEMS_MAX) {
		s->it[s->n++] = x;
		return;
	}
	Item *y = &s->it[0];
	y->s = sim_span_all;
	item_join(y, &x);
}

/* The gated part of GS (*N of them) for the condition of kind K at
 * PAGES: DROP if kind K is not told apart by pgoff (its gated rest is
 * then only in the whole), else the one with that condition, else a
 * new one, else one widened to PAGES too (it then opens in more
 * states, which only over-approximates: they are all of kind K). */
static uint8_t gated_slot(SimGated *gs, uint8_t *n, int k, uint8_t pages)
{
	G_STATIC_ASSERT((SPLIT & (SPLIT - 1)) == 0 && GATED >= 1);

	if (!(SPLIT >> k & 1))
		return DROP;
	for (int i = 0; i < *n; i++)
		if (gs[i].pages == pages)
			return (uint8_t)i;
	if (*n < GATED) {
		gs[*n] = (SimGated){ .kind = (uint8_t)k, .pages = pages };
		return (*n)++;
	}
	gs[0].pages |= pages;
	return 0;
}

static void gated_or(SimGated *dst, const SimGated *src)
{
	dst->rd |= src->rd;
	dst->wr |= src->wr;
	dst->locks |= src->locks;
	dst->xlocks |= src->xlocks;
	dst->adds |= src->adds;
}

/* PART (whole classes, locks) into S's gated part SLOT (DROP: none). */
static void summary_gated(Summary *s, uint8_t slot, const SimGated *part)
{
	if (slot != DROP)
		gated_or(&s->gated[slot], part);
}

/* Page classes RD, WR and an add_page (ADDS) of item Y into its gated
 * part SLOT (DROP: none). */
static void item_gated(Item *y, uint8_t slot, uint8_t rd, uint8_t wr,
		       bool adds)
{
	if (slot == DROP)
		return;
	y->grd[slot] |= rd;
	y->gwr[slot] |= wr;
	y->gadds |= (uint8_t)(adds << slot);
}

/* Add SRC, reached on a path gated by GATE (0: ungated), to DST, with
 * SRC's parameter bounds mapped through ARGS (N of them) if ARGS is
 * set.  Every gated part of SRC then needs GATE at least: of a kind
 * GATE names, all of SRC is in DST's part for GATE's pgoffs of that
 * kind; of another, SRC's parts keep their pgoffs. */
static void add_summary(Summary *dst, const Summary *src, const SimSpan *args,
			int n, uint32_t gate)
{
	uint8_t kinds = gate_kinds(gate), on[NGK], to[GATED];
	const SimGated all = { .rd = whole(src->wrd), .wr = whole(src->wwr),
			       .locks = src->locks, .xlocks = src->xlocks };

	dst->gate |= gate | src->gate;
	for (int i = 0; i < src->ngated; i++) {
		const SimGated *g = &src->gated[i];
		to[i] = kinds >> g->kind & 1 ? DROP :
			gated_slot(dst->gated, &dst->ngated, g->kind,
				   g->pages);
		summary_gated(dst, to[i], g);
	}
	for (int k = 0; k < NGK; k++) {
		on[k] = DROP;
		if (kinds >> k & 1) {
			on[k] = gated_slot(dst->gated, &dst->ngated, k,
					   (uint8_t)(gate >> (8 * k)));
			summary_gated(dst, on[k], &all);
			continue;
		}
		dst->uwrd[k] |= src->uwrd[k];
		dst->uwwr[k] |= src->uwwr[k];
		dst->ulocks[k] |= src->ulocks[k];
		dst->uxlocks[k] |= src->uxlocks[k];
		dst->uret |= src->uret & (uint8_t)(1u << k);
	}
	dst->ret |= src->ret;
	dst->removes |= src->removes;
	dst->calls |= src->calls;
	dst->wrd |= src->wrd;
	dst->wwr |= src->wwr;
	dst->locks |= src->locks;
	dst->xlocks |= src->xlocks;
	for (int i = 0; i < src->n; i++) {
		Item x = src->it[i];
		if (args) {
			x.s.lo = !x.s.lo.param ? x.s.lo : x.s.lo.v < n ?
				 args[x.s.lo.v].lo : sim_span_all.lo;
			x.s.hi = !x.s.hi.param ? x.s.hi : x.s.hi.v < n ?
				 args[x.s.hi.v].hi : sim_span_all.hi;
		}
		Item y = x;
		memset(y.grd, 0, sizeof(y.grd));
		memset(y.gwr, 0, sizeof(y.gwr));
		y.gadds = 0;
		y.uadds &= (uint8_t)~kinds;
		for (int k = 0; k < NGK; k++) {
			if (kinds >> k & 1)
				y.urd[k] = y.uwr[k] = 0;
			item_gated(&y, on[k], x.rd, x.wr, x.adds);
		}
		for (int j = 0; j < src->ngated; j++)
			item_gated(&y, to[j], x.grd[j], x.gwr[j],
				   x.gadds >> j & 1);
		add_item(dst, y);
	}
}

/* Argument A's value if E knows it (an immediate always). */
static bool env_get(const Env *e, const SimArg *a, int *v)
{
	if (a->kind == SIM_ARG_IMM) {
		*v = a->v;
		return true;
	}
	if (a->v < 0 || a->v >= SIM_REGS_MAX || !(e->known >> a->v & 1))
		return false;
	*v = e->v[a->v];
	return true;
}

/* Register R (SIM_NOREG: none) becomes V, or unknown if !KNOWN. */
static void env_set(Env *e, int r, bool known, int v)
{
	if (r < 0 || r >= SIM_REGS_MAX)
		return;
	e->known &= ~((uint64_t)1 << r);
	e->v[r] = 0;
	if (known) {
		e->known |= (uint64_t)1 << r;
		e->v[r] = (int16_t)v;
	}
}

/* The pgoffs argument A of the instruction at PC may take, knowing E. */
static SimSpan env_span(const SimLoops *pi, const SimProc *pr, int pc,
			const SimArg *a, const Env *e)
{
	int v;

	return env_get(e, a, &v) ? sim_span_const(v) :
	       sim_loops_arg_span(pi, pr, pc, a);
}

/* What the primitive at PC touches, knowing E. */
static void prim_summary(const SimLoops *pi, const SimProc *pr, int pc,
			 const Env *e, Summary *s)
{
	const SimInsn *in = &pr->code[pc];
	PrimFp d = prim_fp(in->sub);
	SimSpan a0 = in->nargs > 0 ?
		     env_span(pi, pr, pc, &in->arg[0], e) : sim_span_all;
	SimSpan a1 = in->nargs > 1 ?
		     env_span(pi, pr, pc, &in->arg[1], e) : sim_span_all;
	Item x = { .rd = d.prd, .wr = d.pwr,
		   .adds = in->sub == SIM_P_ADD_PAGE,
		   .uadds = in->sub == SIM_P_ADD_PAGE ? KINDS_ALL : 0,
		   .holes = in->sub == SIM_P_FREE_BLOCKS ||
			    in->sub == SIM_P_SHIFT_BLOCKS,
		   .s = sim_span_all };
	int create;

	memset(s, 0, sizeof(*s));
	if (in->nargs > 1 && env_get(e, &in->arg[1], &create) &&
	    !allocates(in, create)) {
		d.wrd &= (uint8_t)~W_ALLOCATES;
		d.wwr &= (uint8_t)~W_ALLOCATES;
	}
	s->wrd = d.wrd;
	s->wwr = d.wwr;
	s->removes = in->sub == SIM_P_I_SIZE_WRITE ||
		     in->sub == SIM_P_FREE_BLOCKS || in->sub == SIM_P_SHIFT_BLOCKS;
	if (sim_prims[in->sub].argkind == SIM_PA_LOCK && in->lock >= 0) {
		s->locks = (uint16_t)(1u << in->lock);
		if (!reads_rwsem(in))
			s->xlocks = s->locks;
	}
	switch (d.pages) {
	case PG_ARG0: x.s = a0; break;
	case PG_RANGE: x.s = (SimSpan){ a0.lo, a1.hi }; break;
	case PG_FROM: x.s = (SimSpan){ a0.lo, sim_span_all.hi }; break;
	default: break;
	}
	for (int k = 0; k < NGK; k++) {
		x.urd[k] = d.prd;
		x.uwr[k] = d.pwr;
		s->uwrd[k] = s->wrd;
		s->uwwr[k] = s->wwr;
		s->ulocks[k] = s->locks;
		s->uxlocks[k] = s->xlocks;
	}
	add_item(s, x);
}

/* Whether class DECL's lock is cut at (Futures): its instance is known
 * from the acquiring thread alone, and it sleeps until a holder
 * releases. */
static bool cuttable(const SimProgram *p, int decl)
{
	const SimLockDecl *d = &p->model->locks[decl];

	return (d->kind == SIM_LK_MUTEX || d->kind == SIM_LK_RWSEM) &&
	       (d->per_proc || sim_lock_instances(d, p->shape.procs,
						  p->shape.pages) == 1);
}

/* Whether IN acquires class CLS the way cut mode MODE stops at (no
 * class if CLS is -1). */
static bool stops_at(const SimInsn *in, int cls, int mode)
{
	if (in->op != SIM_I_PRIM || in->lock != cls ||
	    sim_prims[in->sub].argkind != SIM_PA_LOCK)
		return false;
	return in->sub == SIM_P_MUTEX_LOCK || in->sub == SIM_P_DOWN_WRITE ||
	       (mode == CUT_ANY && in->sub == SIM_P_DOWN_READ);
}

/* Whether some acquisition of P stops cut (CLS, MODE): if none, the cut
 * summaries are the whole ones, and are not made. */
static bool stops_anywhere(const SimProgram *p, int cls, int mode)
{
	for (int i = 0; i < p->nprocs; i++)
		for (int pc = 0; pc < p->procs[i]->ncode; pc++)
			if (stops_at(&p->procs[i]->code[pc], cls, mode))
				return true;
	return false;
}

static uint64_t reg_bit(int r)
{
	return r >= 0 && r < SIM_REGS_MAX ? (uint64_t)1 << r : 0;
}

/* The registers of PR live at each pc: read on some path from there
 * before anything writes them (a RET's value counts as read: the
 * walk's return value is part of what it gives).  A backward fixpoint
 * over the procedure's control flow. */
static uint64_t *live_scan(const SimProc *pr)
{
	uint64_t *lv = g_new0(uint64_t, pr->ncode + 1);
	bool changed = true;

	while (changed) {
		changed = false;
		for (int pc = pr->ncode - 1; pc >= 0; pc--) {
			const SimInsn *in = &pr->code[pc];
			uint64_t out = 0, use = 0, def = 0;
			switch (in->op) {
			case SIM_I_JMP: out = lv[in->target]; break;
			case SIM_I_JZ: out = lv[pc + 1] | lv[in->target]; break;
			case SIM_I_RET: break;
			case SIM_I_CALL:
				out = lv[pc + 1];
				def = reg_bit(in->dst);
				break;
			case SIM_I_PRIM: case SIM_I_MOV: case SIM_I_ALU:
				out = lv[pc + 1];
				def = reg_bit(in->dst) | reg_bit(in->dst2);
				break;
			default: out = lv[pc + 1]; break;
			}
			for (int a = 0; a < in->nargs && a < SIM_ARGS_MAX; a++)
				if (in->arg[a].kind == SIM_ARG_REG)
					use |= reg_bit(in->arg[a].v);
			uint64_t v = use | (out & ~def);
			changed |= v != lv[pc];
			lv[pc] = v;
		}
	}
	return lv;
}

/* The hash of the walk of cut K from (PROC, PC) knowing E's registers
 * KNOWN (E's other values are not read). */
static uint64_t key_hash(int k, int proc, int pc, const Env *e,
			 uint64_t known)
{
	uint64_t h = (known ^ ((uint64_t)proc << 40) ^ ((uint64_t)pc << 20) ^
		      (uint64_t)k) * 0x9e3779b97f4a7c15ull;

	for (uint64_t m = known; m; m &= m - 1)
		h = (h ^ (uint16_t)e->v[__builtin_ctzll(m)]) *
		    0x9e3779b97f4a7c15ull;
	return h ^ h >> 29;
}

/* Whether X is the walk of cut K from (PROC, PC) knowing E's registers
 * KNOWN. */
static bool key_is(const Walked *x, int k, int proc, int pc, const Env *e,
		   uint64_t known)
{
	if (x->key.k != k || x->key.proc != proc || x->key.pc != pc ||
	    x->key.e.known != known)
		return false;
	for (uint64_t m = known; m; m &= m - 1) {
		int r = __builtin_ctzll(m);
		if (x->key.e.v[r] != e->v[r])
			return false;
	}
	return true;
}

static void memo_clear(Futures *fx)
{
	for (unsigned i = 0; i < WALKED_SLOTS; i++)
		g_free(fx->memo[i]);
	memset(fx->memo, 0, WALKED_SLOTS * sizeof(*fx->memo));
	memset(fx->last, 0, sizeof(fx->last));
	fx->nwalked = 0;
}

static void futures_init(Futures *fx, const SimProgram *p)
{
	memset(fx, 0, sizeof(*fx));
	fx->p = p;
	fx->nprocs = p->nprocs;
	fx->pi = g_new(SimLoops, p->nprocs);
	fx->live = g_new(uint64_t *, p->nprocs);
	for (int i = 0; i < p->nprocs; i++) {
		sim_loops_scan(&fx->pi[i], p->procs[i]);
		fx->live[i] = live_scan(p->procs[i]);
	}
	fx->cut[0] = true;
	for (int c = 0; c < p->model->nlocks; c++)
		for (int m = 0; m < CUT_MODES && cuttable(p, c); m++)
			fx->cut[1 + c * CUT_MODES + m] = stops_anywhere(p, c, m);
	fx->memo = g_new0(Walked *, WALKED_SLOTS);
}

static void futures_free(Futures *fx)
{
	for (int i = 0; fx->live && i < fx->nprocs; i++)
		g_free(fx->live[i]);
	g_free(fx->live);
	g_free(fx->pi);
	if (fx->memo)
		memo_clear(fx);
	g_free(fx->memo);
	memset(fx, 0, sizeof(*fx));
}

/* The walk's worklist: what it knows at each pc reached. */
typedef struct {
	Path *in;
	uint8_t *state;         /* SEEN, QUEUED */
	int *todo, ntodo, ncode;
} Flow;

enum { SEEN = 1, QUEUED = 2 };

#define VACUOUS ((uint64_t)1 << 32)  /* a claim about what cannot
					 * happen */

/* What register R being nonzero (zero if !NONZERO) needs on path E:
 * VACUOUS if E knows it is not, else E's gate (all of E needs it) and
 * the register's own. */
static uint64_t claim(const Path *e, int r, bool nonzero)
{
	bool known = e->e.known >> r & 1;

	if (known && (e->e.v[r] != 0) != nonzero)
		return VACUOUS;
	if (known)
		return e->gate;
	return gate_conj(e->gate, nonzero ? e->nz[r] : e->z[r]);
}

/* A claim true of both of two paths. */
static uint32_t claim_join(uint64_t a, uint64_t b)
{
	if (a == VACUOUS)
		return b == VACUOUS ? 0 : (uint32_t)b;
	if (b == VACUOUS)
		return (uint32_t)a;
	return gate_join((uint32_t)a, (uint32_t)b);
}

/* Control reaches PC along E: what is known there is what every way in
 * agrees on. */
static void flow(Flow *fl, int pc, const Path *e)
{
	if (pc >= fl->ncode)
		return;         /* off the end: nothing runs */
	Path *x = &fl->in[pc];
	if (!(fl->state[pc] & SEEN)) {
		*x = *e;
	} else {
		Path was;
		memcpy(&was, x, sizeof(was));   /* padding too: compared */
		uint64_t keep = x->e.known & e->e.known;
		for (uint64_t m = keep; m; m &= m - 1) {
			int r = __builtin_ctzll(m);
			if (x->e.v[r] != e->e.v[r])
				keep &= ~((uint64_t)1 << r);
		}
		/* a register set on one side only where a gate holds
		 * keeps that gate: locked = 1 after a page was found */
		for (int r = 0; r < SIM_REGS_MAX; r++) {
			bool k = keep >> r & 1;
			x->nz[r] = k ? 0 : claim_join(claim(&was, r, true),
						      claim(e, r, true));
			x->z[r] = k ? 0 : claim_join(claim(&was, r, false),
						     claim(e, r, false));
		}
		x->isz &= e->isz;
		for (uint64_t m = x->e.known & ~keep; m; m &= m - 1)
			x->e.v[__builtin_ctzll(m)] = 0;
		x->e.known = keep;
		x->gate = gate_join(x->gate, e->gate);
		if (memcmp(&was, x, sizeof(was)) == 0)
			return;
	}
	fl->state[pc] |= SEEN;
	if (!(fl->state[pc] & QUEUED)) {
		fl->state[pc] |= QUEUED;
		fl->todo[fl->ntodo++] = pc;
	}
}

static const Walked *walked(Futures *fx, int k, int proc, int pc,
			    const Env *e);

/* Register R of path E is written with V (if KNOWN) and gates NZ, Z;
 * it holds i_size_read()'s result if ISZ. */
static void path_set(Path *e, int r, bool known, int v, uint32_t nz,
		     uint32_t z, bool isz)
{
	env_set(&e->e, r, known, v);
	if (r >= 0 && r < SIM_REGS_MAX) {
		e->nz[r] = known ? 0 : nz;
		e->z[r] = known ? 0 : z;
		e->isz &= ~reg_bit(r);
		if (isz && !known)
			e->isz |= reg_bit(r);
	}
}

/* The gates of argument A being nonzero (*NZ) and zero (*Z). */
static void arg_gates(const Path *e, const SimArg *a, uint32_t *nz,
		      uint32_t *z)
{
	bool reg = a->kind == SIM_ARG_REG && a->v >= 0 && a->v < SIM_REGS_MAX;

	*nz = reg ? e->nz[a->v] : 0;
	*z = reg ? e->z[a->v] : 0;
}

/* Whether argument A holds i_size_read()'s result on path E. */
static bool arg_isz(const Path *e, const SimArg *a)
{
	return a->kind == SIM_ARG_REG && (e->isz & reg_bit(a->v));
}

/* The gates of compare IN's result (*NZ, *Z) when one side is i_size
 * and the other a known pgoff c: "i_size > c" is G_ISIZE at c, and
 * "i_size >= c" at c - 1 (none for c <= 0: always so). */
static void isize_gates(const Path *e, const SimInsn *in, uint32_t *nz,
			uint32_t *z)
{
	int c;
	bool left;              /* i_size is the left operand */

	if (in->nargs < 2)
		return;
	if (arg_isz(e, &in->arg[0]) && env_get(&e->e, &in->arg[1], &c))
		left = true;
	else if (arg_isz(e, &in->arg[1]) && env_get(&e->e, &in->arg[0], &c))
		left = false;
	else
		return;
	switch (in->sub) {
	case SIM_ALU_GT:        /* n > c, or c > n: zero iff n >= c */
		if (left)
			*nz = gate_at(GK_ISIZE, c);
		else
			*z = gate_at(GK_ISIZE, c - 1);
		break;
	case SIM_ALU_GE:        /* n >= c, or c >= n: zero iff n > c */
		if (left)
			*nz = gate_at(GK_ISIZE, c - 1);
		else
			*z = gate_at(GK_ISIZE, c);
		break;
	case SIM_ALU_LT:        /* n < c: zero iff n >= c; c < n */
		if (left)
			*z = gate_at(GK_ISIZE, c - 1);
		else
			*nz = gate_at(GK_ISIZE, c);
		break;
	case SIM_ALU_LE:        /* n <= c: zero iff n > c; c <= n */
		if (left)
			*z = gate_at(GK_ISIZE, c);
		else
			*nz = gate_at(GK_ISIZE, c - 1);
		break;
	default:
		break;
	}
}

/* The gates of ALU IN's result (AND, OR and NOT are logical: sim_alu). */
static void alu_gates(const Path *e, const SimInsn *in, uint32_t *nz,
		      uint32_t *z)
{
	uint32_t anz, az, bnz = 0, bz = 0;
	bool b0 = in->nargs > 1 && in->arg[1].kind == SIM_ARG_IMM &&
		  in->arg[1].v == 0;

	arg_gates(e, &in->arg[0], &anz, &az);
	if (in->nargs > 1)
		arg_gates(e, &in->arg[1], &bnz, &bz);
	*nz = *z = 0;
	switch (in->sub) {
	case SIM_ALU_NOT: *nz = az; *z = anz; break;
	case SIM_ALU_AND:       /* nonzero: both are; zero: one is */
		*nz = gate_conj(anz, bnz);
		*z = gate_join(az, bz);
		break;
	case SIM_ALU_OR:        /* nonzero: one is; zero: both are */
		*nz = gate_join(anz, bnz);
		*z = gate_conj(az, bz);
		break;
	case SIM_ALU_NE: if (b0) { *nz = anz; *z = az; } break;
	case SIM_ALU_EQ: if (b0) { *nz = az; *z = anz; } break;
	default: isize_gates(e, in, nz, z); break;
	}
}

/* The gates of primitive IN's results knowing E (Gates): the first's
 * being nonzero (*NZ) and zero (*Z), the second's being nonzero
 * (*NZ2). */
static void prim_gates(const SimInsn *in, const Env *e, uint32_t *nz,
		       uint32_t *z, uint32_t *nz2)
{
	int g, create;

	*nz = *z = 0;
	*nz2 = 0;
	if (in->nargs < 1 || !env_get(e, &in->arg[0], &g))
		return;
	switch ((SimPrimId)in->sub) {
	case SIM_P_FIND_PAGE:
		*nz = gate_at(GK_PAGE, g);
		break;
	case SIM_P_GET_BLOCK: case SIM_P_GET_BLOCK_ZERO:
	case SIM_P_GET_BLOCK_UNWRITTEN:
		/* buffer_new or unwritten: a hole filled now, or an
		 * unwritten block */
		*nz2 = gate_at(GK_HOLE, g);
		/* the block: a hole, unless it allocates */
		if (in->nargs > 1 && env_get(e, &in->arg[1], &create) &&
		    create == 0)
			*z = gate_at(GK_HOLE, g);
		break;
	default:
		break;
	}
}

/* The walk of OUT->key (see the section's comment). */
static void walk(Futures *fx, Walked *out)
{
	const Key *key = &out->key;
	const SimProc *pr = fx->p->procs[key->proc];
	const SimLoops *pi = &fx->pi[key->proc];
	int k = key->k, cls = k ? (k - 1) / CUT_MODES : -1;
	int mode = k ? (k - 1) % CUT_MODES : 0;
	Flow fl = { .in = g_new(Path, pr->ncode),
		    .state = g_new0(uint8_t, pr->ncode),
		    .todo = g_new(int, pr->ncode), .ncode = pr->ncode };
	bool rets = false;
	Summary prim;
	Path start = { .e = key->e };

	out->retk = true;
	flow(&fl, key->pc, &start);
	while (fl.ntodo) {
		int pc = fl.todo[--fl.ntodo], v = 0, b = 0;
		const SimInsn *in = &pr->code[pc];
		Path e = fl.in[pc];
		uint32_t nz = 0, z = 0, nz2 = 0;
		fl.state[pc] &= (uint8_t)~QUEUED;
		switch (in->op) {
		case SIM_I_PRIM:
			prim_summary(pi, pr, pc, &e.e, &prim);
			add_summary(&out->s, &prim, NULL, 0, e.gate);
			if (stops_at(in, cls, mode))
				break;
			prim_gates(in, &e.e, &nz, &z, &nz2);
			path_set(&e, in->dst, false, 0, nz, z,
				 in->sub == SIM_P_I_SIZE_READ);
			path_set(&e, in->dst2, false, 0, nz2, 0, false);
			flow(&fl, pc + 1, &e);
			break;
		case SIM_I_CALL: {
			SimSpan args[SIM_ARGS_MAX];
			int n = MIN(in->nargs, SIM_ARGS_MAX);
			Env ce = { 0 };
			for (int a = 0; a < n; a++) {
				args[a] = env_span(pi, pr, pc, &in->arg[a],
						   &e.e);
				if (env_get(&e.e, &in->arg[a], &v))
					env_set(&ce, a, true, v);
			}
			const Walked *c = walked(fx, k, in->target, 0, &ce);
			out->s.calls = true;
			add_summary(&out->s, &c->s, args, n, e.gate);
			if (!c->s.ret)
				break;
			/* returns only where the kinds not in uret held */
			e.gate = gate_conj(e.gate, c->s.gate &
					   gate_mask((uint8_t)~c->s.uret));
			path_set(&e, in->dst, c->retk, c->retv, 0, 0, false);
			path_set(&e, in->dst2, false, 0, 0, 0, false);
			flow(&fl, pc + 1, &e);
			break;
		}
		case SIM_I_JMP:
			flow(&fl, in->target, &e);
			break;
		case SIM_I_JZ: {
			if (env_get(&e.e, &in->arg[0], &v)) {
				flow(&fl, v ? pc + 1 : in->target, &e);
				break;
			}
			Path zero = e;
			arg_gates(&e, &in->arg[0], &nz, &z);
			zero.gate = gate_conj(zero.gate, z);
			path_set(&zero, in->arg[0].v, true, 0, 0, 0, false);
			flow(&fl, in->target, &zero);
			e.gate = gate_conj(e.gate, nz);
			flow(&fl, pc + 1, &e);
			break;
		}
		case SIM_I_RET:
			out->s.ret = true;
			out->s.uret |= (uint8_t)~gate_kinds(e.gate) &
				       KINDS_ALL;
			out->s.gate |= e.gate;
			v = 0;
			if (in->nargs && !env_get(&e.e, &in->arg[0], &v))
				out->retk = false;
			else if (rets && v != out->retv)
				out->retk = false;
			out->retv = (int16_t)v;
			rets = true;
			break;
		case SIM_I_MOV: {
			bool known = env_get(&e.e, &in->arg[0], &v);
			bool isz = arg_isz(&e, &in->arg[0]);
			arg_gates(&e, &in->arg[0], &nz, &z);
			path_set(&e, in->dst, known, v, nz, z, isz);
			flow(&fl, pc + 1, &e);
			break;
		}
		case SIM_I_ALU: {
			int r = 0;
			bool known = env_get(&e.e, &in->arg[0], &v) &&
				     (in->nargs < 2 || env_get(&e.e, &in->arg[1],
							       &b)) &&
				     sim_alu(in->sub, v, in->nargs < 2 ? 0 : b,
					     &r);
			alu_gates(&e, in, &nz, &z);
			path_set(&e, in->dst, known, r, nz, z, false);
			flow(&fl, pc + 1, &e);
			break;
		}
		default:
			flow(&fl, pc + 1, &e);
			break;
		}
	}
	if (!out->retk || !rets)
		out->retv = 0;
	out->retk &= rets;
	g_free(fl.in);
	g_free(fl.state);
	g_free(fl.todo);
}

/* What a call met while its own walk runs (recursion) may do: anything. */
static const Walked everything = {
	.s = { .wrd = 0xff, .wwr = 0xff, .locks = 0xffff, .xlocks = 0xffff,
	       .uwrd = { 0xff, 0xff, 0xff }, .uwwr = { 0xff, 0xff, 0xff },
	       .ulocks = { 0xffff, 0xffff, 0xffff },
	       .uxlocks = { 0xffff, 0xffff, 0xffff }, .ret = true,
	       .uret = KINDS_ALL, .calls = true, .removes = true, .n = 1,
	       .it = { { .rd = 0xff, .wr = 0xff, .urd = { 0xff, 0xff, 0xff },
			 .uwr = { 0xff, 0xff, 0xff }, .adds = true,
			 .uadds = KINDS_ALL, .holes = true,
			 .s = { { 0, 0 }, { 0, SIM_SPAN_PAGES - 1 } } } } },
};

/* The walk of cut K from (PROC, PC) knowing E, memoised. */
static const Walked *walked(Futures *fx, int k, int proc, int pc,
			    const Env *e)
{
	uint64_t known = e->known & fx->live[proc][pc];
	uint64_t h = key_hash(k, proc, pc, e, known);
	unsigned i = (unsigned)h & (WALKED_SLOTS - 1);
	Walked *x;

	for (; (x = fx->memo[i]); i = (i + 1) & (WALKED_SLOTS - 1))
		if (x->hash == h && key_is(x, k, proc, pc, e, known))
			return x->busy ? &everything : x;
	/* full in the middle of a walk (future_in clears it between
	 * walks): anything, as for recursion */
	if (fx->nwalked >= WALKED_SLOTS - 1)
		return &everything;
	x = g_new0(Walked, 1);
	x->key.e.known = known;
	for (uint64_t m = known; m; m &= m - 1) {
		int r = __builtin_ctzll(m);
		x->key.e.v[r] = e->v[r];
	}
	x->key.proc = (uint16_t)proc;
	x->key.pc = (uint16_t)pc;
	x->key.k = (uint8_t)k;
	x->hash = h;
	fx->memo[i] = x;
	fx->nwalked++;
	x->busy = true;
	walk(fx, x);
	x->busy = false;
	for (int j = 0; j < x->s.n; j++)
		x->params |= x->s.it[j].s.lo.param || x->s.it[j].s.hi.param;
	return x;
}

/* Item IT of summary S on pgoffs PG, of a thread in process PROC, into
 * P, where S's gated part i is P's MAP[i] (NULL: i). */
static void item_add(Pre *p, const Summary *s, const Item *it, uint8_t pg,
		     int proc, const uint8_t *map)
{
	p->rd |= expand(it->rd, pg, proc);
	p->wr |= expand(it->wr, pg, proc);
	for (int k = 0; k < NGK; k++) {
		p->urd[k] |= expand(it->urd[k], pg, proc);
		p->uwr[k] |= expand(it->uwr[k], pg, proc);
		if (it->uadds >> k & 1)
			p->uadds[k] |= pg;
	}
	for (int i = 0; i < s->ngated; i++) {
		if (!(it->grd[i] | it->gwr[i] | (it->gadds >> i & 1)))
			continue;
		SimGated part = { .rd = expand(it->grd[i], pg, proc),
				  .wr = expand(it->gwr[i], pg, proc),
				  .adds = it->gadds >> i & 1 ? pg : 0 };
		gated_or(&p->gated[map ? map[i] : i], &part);
	}
	if (it->wr & T_MAPS)
		p->maps |= pg;
	if (it->adds)
		p->adds |= pg;
	if (it->holes)
		p->holes |= pg;
}

/* SRC into DST, SRC's gated part i into DST's MAP[i]. */
static void pre_add(Pre *dst, const Pre *src, uint8_t *map)
{
	bool fresh = !dst->ngated;      /* as they are (the top frame's) */

	for (int i = 0; i < src->ngated; i++) {
		const SimGated *g = &src->gated[i];
		if (fresh) {
			dst->gated[i] = *g;
			map[i] = (uint8_t)i;
			continue;
		}
		map[i] = gated_slot(dst->gated, &dst->ngated, g->kind,
				    g->pages);
		gated_or(&dst->gated[map[i]], g);
	}
	if (fresh)
		dst->ngated = src->ngated;
	dst->rd |= src->rd;
	dst->wr |= src->wr;
	dst->locks |= src->locks;
	dst->xlocks |= src->xlocks;
	for (int k = 0; k < NGK; k++) {
		dst->urd[k] |= src->urd[k];
		dst->uwr[k] |= src->uwr[k];
		dst->ulocks[k] |= src->ulocks[k];
		dst->uxlocks[k] |= src->uxlocks[k];
		dst->uadds[k] |= src->uadds[k];
	}
	dst->gate |= src->gate;
	dst->maps |= src->maps;
	dst->adds |= src->adds;
	dst->holes |= src->holes;
}

static void pre_make(const Summary *s, int proc, Pre *p)
{
	memset(p, 0, sizeof(*p));
	p->rd = whole(s->wrd);
	p->wr = whole(s->wwr);
	p->locks = s->locks;
	p->xlocks = s->xlocks;
	for (int k = 0; k < NGK; k++) {
		p->urd[k] = whole(s->uwrd[k]);
		p->uwr[k] = whole(s->uwwr[k]);
		p->ulocks[k] = s->ulocks[k];
		p->uxlocks[k] = s->uxlocks[k];
	}
	p->gate = s->gate;
	memcpy(p->gated, s->gated, sizeof(p->gated));
	p->ngated = s->ngated;
	for (int i = 0; i < s->n; i++) {
		const Item *it = &s->it[i];
		if (!it->s.lo.param && !it->s.hi.param)
			item_add(p, s, it, page_span(it->s.lo.v, it->s.hi.v,
						     false), proc, NULL);
	}
}

/* X's Pre for process PROC, made on first use (in SCRATCH for the
 * shared everything, which is not a cache's). */
static const Pre *pre_of(const Walked *x, int proc, Pre *scratch)
{
	if (x == &everything) {
		pre_make(&x->s, proc, scratch);
		return scratch;
	}
	Walked *m = (Walked *)x;        /* the memo's own: a cache */
	if (!(m->made >> proc & 1)) {
		pre_make(&m->s, proc, &m->pre[proc]);
		m->made |= (uint8_t)(1u << proc);
	}
	return &m->pre[proc];
}

/* Pgoffs span S names in a frame of T with registers from BASE. */
static uint8_t span_pages(SimSpan s, const SimThread *t, int base)
{
	int lo = s.lo.param ? sim_th_reg(t)[base + s.lo.v] : s.lo.v;
	int hi = s.hi.param ? sim_th_reg(t)[base + s.hi.v] : s.hi.v;

	return page_span(lo, hi, false);
}

/* What TID may still do by cut K's walks (Futures), from its frames'
 * pcs and registers: it depends on TID's own SimThread only (and its
 * inval mask, which only its own steps change).  Frames below one that
 * cannot return are out of reach.  A live thread may return from its op
 * (oracle reads), but from one it has begun and cannot leave; it may
 * start an op if it has not begun this one or its body may call
 * another; its returns excuse offsets if it has removed some or may
 * still (Summary.removes). */
static SimFuture future_in(const Futures *fx, int k, const SimProgram *p,
			   uint8_t *const *ok, const SimWorld *w, int tid)
{
	const SimThread *t = sim_thread(w, tid);
	Futures *mx = (Futures *)fx;    /* the memo is a cache */
	SimFuture f = { 0 };
	bool removes = false, calls = false, retk = false;
	int retv = 0, d;

	if (t->status == SIM_TH_DONE)
		return f;
	if (fx->nwalked >= WALKED_MAX)
		memo_clear(mx);
	f.live = true;
	for (d = t->depth - 1; d >= 0; d--) {
		const SimFrame *fr = &sim_th_frame(t)[d];
		const int16_t *reg = sim_th_reg(t) + fr->base;
		Env e;          /* only the live registers are read */
		Pre scratch;
		uint8_t map[GATED];
		e.known = fx->live[fr->proc][fr->pc];
		for (uint64_t m = e.known; m; m &= m - 1)
			e.v[__builtin_ctzll(m)] = reg[__builtin_ctzll(m)];
		if (d < t->depth - 1)   /* the frame above returns into it */
			env_set(&e, sim_th_frame(t)[d + 1].ret_reg, retk, retv);
		Walked **last = k ? NULL : &mx->last[tid][d];
		const Walked *x = last && *last &&
				  key_is(*last, k, fr->proc, fr->pc, &e,
					 e.known & fx->live[fr->proc][fr->pc]) ?
				  *last : walked(mx, k, fr->proc, fr->pc, &e);
		if (last && x != &everything)
			*last = (Walked *)x;
		const Summary *s = &x->s;
		const Pre *pre = pre_of(x, t->proc, &scratch);
		retk = x->retk;
		retv = x->retv;
		pre_add(&f, pre, map);
		removes |= s->removes;
		calls = s->calls;
		for (int i = 0; x->params && i < s->n; i++) {
			const Item *it = &s->it[i];
			if (it->s.lo.param || it->s.hi.param)   /* else in pre */
				item_add(&f, s, it,
					 span_pages(it->s, t, fr->base),
					 t->proc, map);
		}
		if (!s->ret)
			break;
	}
	f.leaves = d < 1 || !t->begun;
	f.enters = t->depth < 2 || !t->begun || (d < 1 && calls);
	if (f.leaves)
		f.rd |= CL_BOUNDARY | (flushes(p, ok, t) ? CL_CACHE : 0);
	for (int g = 0; g < NGK; g++)
		f.urd[g] |= f.rd & (CL_BOUNDARY | CL_CACHE);
	f.excuses = f.leaves &&
		    (removes || sim_bits_any(sim_inval(w, tid), w->pgset));
	return f;
}

/* Everything TID may still do. */
static SimFuture future_of(const Futures *fx, const SimProgram *p,
			   uint8_t *const *ok, const SimWorld *w, int tid)
{
	return future_in(fx, 0, p, ok, w, tid);
}

/* A thread U's futures cut at one lock (Futures), kept as frozen_by()
 * asks for them: the frame's SimCuts of U, and SLOT, where a cut's
 * entry is in them by its index in Futures.cut (SimPor.slot).  Without
 * one (NULL) a cut is made in SCRATCH. */
typedef struct {
	SimCuts *cuts;
	const int8_t *slot;
} ThreadCuts;

static const SimFuture *cut_future(const Futures *fx, const SimProgram *p,
				   uint8_t *const *ok, const SimWorld *w,
				   int u, int k, ThreadCuts *memo,
				   SimFuture *scratch)
{
	if (!memo) {
		*scratch = future_in(fx, k, p, ok, w, u);
		return scratch;
	}
	int i = memo->slot[k];
	if (!(memo->cuts->known >> i & 1)) {
		memo->cuts->cut[i] = future_in(fx, k, p, ok, w, u);
		memo->cuts->known |= 1u << i;
	}
	return &memo->cuts->cut[i];
}

/* The cuts a thread X holding locks imposes on the others (frozen_by),
 * in the order it took the locks: per lock whose class is cut (in the
 * mode X holds it: Futures), the class, the cut's index in Futures.at,
 * whether it stops exclusive acquisitions only, and for a per-process
 * class the process whose instance it is (else -1).  They depend on X
 * and the locks only: a persistent set takes them once per member. */
typedef struct {
	int n;
	struct {
		int8_t c, k, proc;
		bool excl;
	} h[SIM_HELD_MAX];
} Holds;

static void holds_of(const Futures *fx, const SimProgram *p,
		     const SimWorld *w, int x, Holds *hs)
{
	const SimThread *tx = sim_thread(w, x);

	hs->n = 0;
	for (int i = 0; i < tx->nheld; i++) {
		int inst = tx->held[i], c = sim_lock_decl_of(p, inst);
		if (!fx->cut[1 + c * CUT_MODES + CUT_ANY])
			continue;
		SimLock l = sim_lock(w, inst);
		int m = sim_lock_excl(l) >> x & 1 ? CUT_ANY : CUT_EXCL;
		int k = 1 + c * CUT_MODES + m;
		if (!fx->cut[k] || l.st->corrupt)
			continue;
		hs->h[hs->n].c = (int8_t)c;
		hs->h[hs->n].k = (int8_t)k;
		hs->h[hs->n].excl = m == CUT_EXCL;
		hs->h[hs->n++].proc = (int8_t)(p->model->locks[c].per_proc ?
					       inst - p->lock_base[c] : -1);
	}
}

/* What U (whose whole future is *F) may do on paths on which a thread
 * holding HS does not step, into *F: up to its first acquisition of one
 * of those locks that would sleep (Futures).  Each such lock gives an
 * over-approximation of that; their intersection is one too.  A thread
 * a handoff granted a lock (holds it, but for the step returning from
 * the call) is taken whole.  MEMO: U's cut futures so far
 * (ThreadCuts), or NULL. */
static void frozen_in(const Futures *fx, const SimProgram *p,
		      uint8_t *const *ok, const SimWorld *w, const Holds *hs,
		      int u, SimFuture *f, ThreadCuts *memo)
{
	const SimThread *tu = sim_thread(w, u);
	SimFuture scratch;

	if (!f->live || tu->granted)
		return;
	for (int i = 0; i < hs->n; i++) {
		int c = hs->h[i].c;
		/* no acquisition of it ahead (that would sleep), or not of
		 * that instance: the cut is the whole */
		if (!(f->locks >> c & 1) ||
		    (hs->h[i].proc >= 0 && hs->h[i].proc != tu->proc) ||
		    (hs->h[i].excl && !(f->xlocks >> c & 1)))
			continue;
		const SimFuture *g = cut_future(fx, p, ok, w, u, hs->h[i].k,
						memo, &scratch);
		f->rd &= g->rd;
		f->wr &= g->wr;
		f->locks &= g->locks;
		f->xlocks &= g->xlocks;
		f->maps &= g->maps;
		f->enters &= g->enters;
		f->leaves &= g->leaves;
		f->excuses &= g->excuses;
	}
}

/* U's future F frozen by thread X's locks (frozen_in). */
static SimFuture frozen_by(const Futures *fx, const SimProgram *p,
			   uint8_t *const *ok, const SimWorld *w, int x,
			   int u, SimFuture f, ThreadCuts *memo)
{
	Holds hs;

	holds_of(fx, p, w, x, &hs);
	frozen_in(fx, p, ok, w, &hs, u, &f, memo);
	return f;
}

static bool data_dep(uint64_t rd1, uint64_t wr1, uint64_t rd2, uint64_t wr2)
{
	return (wr1 & (rd2 | wr2)) || (rd1 & wr2);
}

/* Whether steps (or futures) of two threads are ordered by the checks
 * that read which threads are inside an op (CL_BOUNDARY): A's op
 * return against B's first step of an op or B's, and both ways. */
static bool op_dep(bool a_enters, bool a_leaves, bool a_excuses,
		   bool b_enters, bool b_leaves, bool b_excuses)
{
	return (a_leaves && b_enters) || (a_enters && b_leaves) ||
	       (a_leaves && b_leaves && (a_excuses || b_excuses));
}

/* Next step A (of a thread) against next step B of another. */
bool sim_por_dependent(const SimFp *a, const SimFp *b)
{
	if (data_dep(a->rd | a->brd, a->wr, b->rd | b->brd, b->wr) ||
	    op_dep(a->enters, a->boundary, a->excuses, b->enters, b->boundary,
		   b->excuses))
		return true;
	if (a->lock == SIM_POR_LOCK_NONE || b->lock == SIM_POR_LOCK_NONE)
		return false;
	return a->lock == SIM_POR_LOCK_ANY || b->lock == SIM_POR_LOCK_ANY ||
	       (a->lock == b->lock && !(a->shared && b->shared));
}

/* What a future may do in states that meet at most MEETS of the gates'
 * conditions: the whole, but per kind that cannot hold at some of its
 * pgoffs its part not gated by it and only the gated parts whose
 * pgoffs it can hold at (Futures, Gates). */
typedef struct {
	uint64_t rd, wr;
	uint16_t locks, xlocks;
	uint8_t adds;
} Reach;

/* R limited to U's part not gated by kind K but the gated parts of
 * kind K that open in states meeting MEETS. */
static void reach_kind(const SimFuture *u, uint32_t meets, int k, Reach *r)
{
	Reach q = { u->urd[k], u->uwr[k], u->ulocks[k], u->uxlocks[k],
		    u->uadds[k] };
	uint8_t met = (uint8_t)(meets >> (8 * k));

	for (int i = 0; i < u->ngated; i++) {
		const SimGated *g = &u->gated[i];
		if (g->kind != k || !(met & g->pages))
			continue;
		q.rd |= g->rd;
		q.wr |= g->wr;
		q.locks |= g->locks;
		q.xlocks |= g->xlocks;
		q.adds |= g->adds;
	}
	r->rd &= q.rd;
	r->wr &= q.wr;
	r->locks &= q.locks;
	r->xlocks &= q.xlocks;
	r->adds &= q.adds;
}

static inline Reach reach(const SimFuture *u, uint32_t meets)
{
	Reach r = { u->rd, u->wr, u->locks, u->xlocks, u->adds };

	if (!u->gate)
		return r;
	/* per kind: met at none of the gate's pgoffs (closed: only the
	 * ungated part), at some but not all (the parts that open) */
	uint32_t met = u->gate & meets;
	uint8_t shut = gate_closed(u->gate, meets);
	uint8_t some = byte_kinds(bytes_nonzero(met) &
				  bytes_nonzero(u->gate ^ met));

	for (; shut; shut &= (uint8_t)(shut - 1)) {
		int k = __builtin_ctz(shut);
		r.rd &= u->urd[k];
		r.wr &= u->uwr[k];
		r.locks &= u->ulocks[k];
		r.xlocks &= u->uxlocks[k];
		r.adds &= u->uadds[k];
	}
	for (some = u->ngated ? some & SPLIT : 0; some; some &= (uint8_t)(some - 1))
		reach_kind(u, meets, __builtin_ctz(some), &r);
	return r;
}

/* What W's pgoffs may become in any state reached from it by steps of
 * threads other than EXCEPT (FUT: every thread's future; -1 excepts no
 * thread), ORed into what they are in W: *WATCHED, the watched pgoffs,
 * gains those a live thread but EXCEPT may still map or add a page at;
 * *MEETS, the gates' conditions (state_meets()), those such a thread
 * may make so (Gates): a page where it may add one (an add_page behind
 * a gate only once that gate can open), a hole or an unwritten block
 * where it may free or move blocks, i_size past any pgoff if it may
 * write i_size.  A persistent set grown from EXCEPT's next step is
 * checked against paths on which EXCEPT (a member) never steps, so its
 * own steps cannot add to them there.  The op-boundary oracles read
 * watched_reads(*WATCHED) beyond CL_BOUNDARY in those states. */
typedef struct {
	uint32_t fixed[SIM_THREADS_MAX];        /* [t]: what thread t may
				 * make so whatever the state */
	SimThreadSet gated;     /* threads with adds behind a gate */
	/* reach()'s adds of thread t's future in states meeting at most
	 * am[t] of its gate, for the threads in aknown (as Deps.rc) */
	SimThreadSet aknown;
	uint32_t am[SIM_THREADS_MAX];
	uint8_t aa[SIM_THREADS_MAX];
} Makes;

/* What each thread of W may make of the gates' conditions (others_may),
 * as far as that does not depend on the state: a state's threads' parts
 * for each EXCEPT. */
static void makes_of(const SimWorld *w, const SimFuture *fut, Makes *mk)
{
	mk->gated = 0;
	mk->aknown = 0;
	for (int t = 0; t < w->nthreads; t++) {
		const SimFuture *u = &fut[t];
		uint8_t open = u->adds & u->uadds[0] & u->uadds[1] &
			       u->uadds[2];
		mk->fixed[t] = (uint32_t)u->holes << GK_HOLE |
			       (u->wr & CL_ISIZE ? 0xffu << GK_ISIZE : 0) |
			       (uint32_t)open << GK_PAGE;
		if (u->live && (u->adds & ~open))
			mk->gated |= SIM_TSET(t);
	}
}

static void others_may(const SimWorld *w, const SimFuture *fut,
		       Makes *mk, int except, uint8_t *watched,
		       uint32_t *meets)
{
	uint32_t m = *meets;
	SimThreadSet gated = mk->gated & ~(except >= 0 ? SIM_TSET(except) : 0);
	bool more = true;

	for (int t = 0; t < w->nthreads; t++)
		if (fut[t].live && t != except) {
			*watched |= fut[t].maps;
			m |= mk->fixed[t];
		}
	/* pages: an add_page behind a gate only once it can open, which
	 * more pages may do */
	while (gated && more) {
		more = false;
		for (SimThreadSet g = gated; g; g &= g - 1) {
			int t = __builtin_ctzll(g);
			if (!(fut[t].adds & ~(m >> GK_PAGE)))
				continue;       /* nothing it could add */
			uint32_t met = m & fut[t].gate;
			if (!(mk->aknown >> t & 1) || mk->am[t] != met) {
				mk->aa[t] = reach(&fut[t], met).adds;
				mk->am[t] = met;
				mk->aknown |= SIM_TSET(t);
			}
			uint8_t adds = mk->aa[t];
			more |= (adds & ~(m >> GK_PAGE)) != 0;
			m |= (uint32_t)adds << GK_PAGE;
		}
	}
	*meets = m;
}

/* The gates' conditions W meets (bits as a gate's, Gates): a page at g,
 * a hole or an unwritten block at g, i_size past g. */
static uint32_t state_meets(const SimWorld *w)
{
	uint32_t m = 0;

	for (int g = 0; g < w->npages && g < FP_PAGES; g++) {
		int b = sim_bmap(w)[g];
		if (sim_mflags(w)[g] & SIM_MF_PAGE)
			m |= gate_at(GK_PAGE, g);
		if (b == SIM_HOLE || sim_block(w, b)->unwritten)
			m |= gate_at(GK_HOLE, g);
		if (g < sim_core(w)->i_size)
			m |= gate_at(GK_ISIZE, g);
	}
	return m;
}

/* Next step A against anything thread U (in process UPROC, future UF)
 * may still do, in states where the boundary oracles read at most BRD
 * beyond CL_BOUNDARY: what it may reach there, U (reach(): what U may
 * do only once the state met its gate does not happen there if the
 * gate cannot open).  A's own boundary reads are those of the state it
 * runs in, after U's steps: BRD, and where A's own primitive maps. */
static bool dep_future(const SimProgram *p, const SimFp *a,
		       const SimFuture *uf, const Reach *u, int uproc,
		       uint64_t brd)
{
	if (!uf->live)
		return false;
	uint16_t locks = u->locks, xlocks = u->xlocks;
	if (data_dep(a->rd | (a->boundary ? brd | a->brd : 0), a->wr,
		     u->rd | (uf->leaves ? brd : 0), u->wr) ||
	    op_dep(a->enters, a->boundary, a->excuses, uf->enters, uf->leaves,
		   uf->excuses))
		return true;
	if (a->lock == SIM_POR_LOCK_NONE || !locks)
		return false;
	if (a->lock == SIM_POR_LOCK_ANY)
		return true;
	int decl = a->decl;
	if (decl == SIM_LOCKDECL_PAGE || decl == SIM_LOCKDECL_ENTRY)
		return true;    /* not named so: they are page classes */
	if (!(locks >> decl & 1) || (a->shared && !(xlocks >> decl & 1)))
		return false;
	if (p->model->locks[decl].per_proc)
		return a->lock - p->lock_base[decl] == uproc;
	return true;
}

bool sim_por_independent(const SimWorld *w, const SimProgram *p, int t,
			 int u)
{
	uint8_t **ok = reach_new(p);
	SimFp a = next_fp(w, p, ok, t), b = next_fp(w, p, ok, u);

	reach_free(ok, p->nprocs);
	return !sim_por_dependent(&a, &b);
}

/* Whether next step A (of a lock class DECL, or -1) lies within future
 * F, whose boundary reads are at most BRD. */
static bool within(const SimFp *a, int decl, const SimFuture *f, uint64_t brd)
{
	return f->live && !(a->rd & ~f->rd) && !(a->brd & ~brd) &&
	       !(a->wr & ~f->wr) && (!a->enters || f->enters) &&
	       (!a->boundary || f->leaves) && (!a->excuses || f->excuses) &&
	       !(a->lock == SIM_POR_LOCK_ANY && !f->locks) &&
	       !(decl >= 0 && !(f->locks >> decl & 1)) &&
	       !(decl >= 0 && !a->reader && !(f->xlocks >> decl & 1));
}

/* Whether thread X took no step between worlds A and B (a wake-up by
 * another thread counts as one: the check then stops early). */
static bool still(const SimWorld *a, const SimWorld *b, int x)
{
	const SimThread *ta = sim_thread(a, x), *tb = sim_thread(b, x);

	return ta->status == tb->status && ta->depth == tb->depth &&
	       ta->nheld == tb->nheld && (!ta->depth ||
	       sim_th_frame(ta)[ta->depth - 1].pc ==
	       sim_th_frame(tb)[tb->depth - 1].pc);
}

/* The pgoffs where TID's next step adds a page (*ADDS) or frees or
 * moves blocks (*HOLES), as masks. */
static void makes_at(const SimWorld *w, const SimProgram *p, int tid,
		     uint8_t *adds, uint8_t *holes)
{
	const SimThread *t = sim_thread(w, tid);
	const SimInsn *in = sim_step_next_insn(w, p, tid);
	int base = sim_th_frame(t)[t->depth - 1].base;
	int g = in && in->nargs ? reg_value(t, base, &in->arg[0]) : 0;

	*adds = *holes = 0;
	if (!in)
		return;
	if (in->sub == SIM_P_ADD_PAGE && g >= 0 && g < w->npages)
		*adds = page_span(g, g, false);
	if (in->sub == SIM_P_FREE_BLOCKS)
		*holes = page_span(g, reg_value(t, base, &in->arg[1]), true);
	if (in->sub == SIM_P_SHIFT_BLOCKS)
		*holes = page_span(g, FP_PAGES - 1, true);
}

int sim_por_check_futures(const SimProgram *p, SimWorld *const *run, int n,
			  int *bad_j, int *bad_t)
{
	uint8_t **ok = reach_new(p);
	Futures fx;
	int bad = -1;

	futures_init(&fx, p);
	for (int i = 0; i < n && bad < 0; i++) {
		SimFuture all[SIM_THREADS_MAX];
		for (int t = 0; t < run[i]->nthreads; t++)
			all[t] = future_of(&fx, p, ok, run[i], t);
		uint8_t watch = watched_pages(run[i]);
		uint32_t meets = 0;
		Makes mk;
		makes_of(run[i], all, &mk);
		others_may(run[i], all, &mk, -1, &watch, &meets);
		uint64_t brd = watched_reads(watch);
		for (int t = 0; t < run[i]->nthreads && bad < 0; t++) {
			/* x == t: the whole future, else the future on paths
			 * on which x does not step */
			for (int x = 0; x < run[i]->nthreads && bad < 0; x++) {
				SimFuture fu = x == t ? all[t] :
					       frozen_by(&fx, p, ok, run[i], x,
							 t, all[t], NULL);
				uint32_t seen = 0;      /* conditions met */
				for (int j = i; j < n && bad < 0; j++) {
					if (sim_thread(run[j], t)->status ==
					    SIM_TH_DONE ||
					    (x != t && !still(run[i], run[j], x)))
						break;
					SimFp a = next_fp(run[j], p, ok, t);
					int decl = a.lock >= 0 ?
						   sim_lock_decl_of(p, a.lock) : -1;
					seen |= state_meets(run[j]);
					SimFuture ug = fu;
					Reach r = reach(&fu, seen);
					uint8_t adds, holes;
					ug.rd = r.rd;
					ug.wr = r.wr;
					ug.locks = r.locks;
					ug.xlocks = r.xlocks;
					makes_at(run[j], p, t, &adds, &holes);
					if (!within(&a, decl, &ug, brd) ||
					    (adds & ~r.adds) ||
					    (holes & ~fu.holes)) {
						bad = i;
						*bad_j = j;
						*bad_t = t;
					}
				}
			}
		}
	}
	futures_free(&fx);
	reach_free(ok, p->nprocs);
	return bad;
}

/* ---- the analyses of one program ----------------------------------- */

struct SimPor {
	const SimProgram *p;
	uint8_t **reach;
	Futures fx;             /* if asked for */
	int8_t slot[1 + SIM_LOCKDECLS_MAX * CUT_MODES]; /* a cut's entry in
				 * SimCuts.cut, by its index in fx.cut */
	int ncuts;
};

SimPor *sim_por_new(const SimProgram *p, bool futures)
{
	SimPor *por = g_new0(SimPor, 1);

	por->p = p;
	por->reach = reach_new(p);
	if (futures)
		futures_init(&por->fx, p);
	for (int k = 1; k < 1 + SIM_LOCKDECLS_MAX * CUT_MODES; k++)
		por->slot[k] = (int8_t)(por->fx.cut[k] ? por->ncuts++ : -1);
	return por;
}

int sim_por_cuts(const SimPor *por)
{
	return por->ncuts;
}

void sim_por_free(SimPor *por)
{
	if (!por)
		return;
	reach_free(por->reach, por->p->nprocs);
	futures_free(&por->fx);
	g_free(por);
}

SimFp sim_por_next_fp(const SimPor *por, const SimWorld *w, int tid)
{
	return next_fp(w, por->p, por->reach, tid);
}

SimFp sim_por_step_fp(const SimPor *por, const SimWorld *w, int tid)
{
	return step_fp(w, por->p, por->reach, tid);
}

bool sim_por_fp_kept(const SimFp *fp, const SimFp *via)
{
	return !fp->refresh || !(via->wr & fp->rd);
}

void sim_por_fp_reshare(const SimWorld *w, SimFp *fp)
{
	SimLock l = sim_lock(w, fp->lock);

	fp->shared = !sim_lock_excl(l) && !l.st->nwait;
}

SimFuture sim_por_future(const SimPor *por, const SimWorld *w, int tid)
{
	return future_of(&por->fx, por->p, por->reach, w, tid);
}

bool sim_por_fits(const SimWorld *w)
{
	return w->npages <= FP_PAGES && w->nprocs <= FP_PROCS;
}


/* ---- persistent sets -------------------------------------------------- */

/* Which threads' futures are dependent with each enabled thread's next
 * step, asked pair by pair as the seeds' closures need them (a thread
 * already in the set need not be asked about) and kept for the state's
 * other seeds: dep[x] holds the answers for the threads in asked[x].
 * brd[x], meets[x] and hs[x], what x's answers share, are valid when x
 * is in known. */
typedef struct {
	SimThreadSet known;
	SimThreadSet asked[SIM_THREADS_MAX], dep[SIM_THREADS_MAX];
	uint64_t brd[SIM_THREADS_MAX];
	uint32_t meets[SIM_THREADS_MAX]; /* others_may()'s but x */
	Makes mk;               /* the state's makes_of() */
	Holds hs[SIM_THREADS_MAX];
	SimCuts *const *cuts;   /* [u]: frozen_in()'s */
	uint8_t pages;          /* the state's watched pgoffs */
	uint32_t meets_now;     /* state_meets() */
	/* reach() of thread u's future in states meeting at most
	 * rmeets[u] of its gate (all reach() reads of the meets), for the
	 * threads in rknown: the seeds' mostly agree */
	SimThreadSet rknown;
	uint32_t rmeets[SIM_THREADS_MAX];
	Reach rc[SIM_THREADS_MAX];
} Deps;

/* The threads of WANT whose futures are dependent with X's next step. */
static SimThreadSet deps_of(const SimPor *por, const SimWorld *w,
			    const SimFp *fp, const SimFuture *fut, Deps *d,
			    int x, SimThreadSet want)
{
	if (!(d->known >> x & 1)) {
		uint8_t watch = d->pages;
		d->meets[x] = d->meets_now;
		others_may(w, fut, &d->mk, x, &watch, &d->meets[x]);
		d->brd[x] = watched_reads(watch);
		holds_of(&por->fx, por->p, w, x, &d->hs[x]);
		d->asked[x] = SIM_TSET(x);
		d->dep[x] = 0;
		d->known |= SIM_TSET(x);
	}
	SimThreadSet ask = want & ~d->asked[x];
	const Holds *hs = &d->hs[x];
	for (int u = 0; u < w->nthreads; u++) {
		if (!(ask >> u & 1))
			continue;
		int proc = sim_thread(w, u)->proc;
		uint32_t met = d->meets[x] & fut[u].gate;
		if (!(d->rknown >> u & 1) || d->rmeets[u] != met) {
			d->rc[u] = reach(&fut[u], met);
			d->rmeets[u] = met;
			d->rknown |= SIM_TSET(u);
		}
		const Reach r = d->rc[u];
		if (!dep_future(por->p, &fp[x], &fut[u], &r, proc, d->brd[x]))
			continue;
		/* within the whole future: the frozen one, if less (only if
		 * X holds a lock that cuts); frozen_in() only takes from
		 * the whole, so its reach is what it keeps of R */
		if (hs->n) {
			ThreadCuts memo = { d->cuts[u], por->slot };
			SimFuture f = fut[u];
			frozen_in(&por->fx, por->p, por->reach, w, hs, u, &f,
				  &memo);
			Reach rf = { f.rd & r.rd, f.wr & r.wr, f.locks & r.locks,
				     f.xlocks & r.xlocks, f.adds & r.adds };
			if (!dep_future(por->p, &fp[x], &f, &rf, proc,
					d->brd[x]))
				continue;
		}
		d->dep[x] |= SIM_TSET(u);
	}
	d->asked[x] |= ask;
	return d->dep[x] & want;
}

/* The threads that can wake blocked thread X: the holders of the mutex,
 * rwsem or page lock it sleeps on (only a release hands it over), 0 if
 * it sleeps on something else (an entry's wait bit: a deletion by any
 * thread wakes it). */
static SimThreadSet wakers(const SimWorld *w, int x)
{
	SimLock l = sim_lock(w, sim_thread(w, x)->wait_lock);

	if (l.kind != SIM_LK_MUTEX && l.kind != SIM_LK_RWSEM &&
	    l.kind != SIM_LK_PAGE)
		return 0;
	return sim_lock_held(l);
}

/* The persistent set grown from SEED: an enabled member brings in every
 * thread that may still do something dependent with its next step, a
 * blocked one the threads that can wake it (then nothing outside the
 * set wakes it, and its own steps are on no path the set must cover);
 * one that something else may wake makes the set every thread.  Once
 * the set has BOUND enabled threads it can only grow: it is returned so
 * (a set with at least BOUND), the rest of its members unasked. */
static SimThreadSet persistent_from(const SimPor *por, const SimWorld *w,
				    SimThreadSet enabled, const SimFp *fp,
				    const SimFuture *fut, Deps *d, int seed,
				    int bound)
{
	SimThreadSet all = w->nthreads == 64 ? ~(SimThreadSet)0 :
			   SIM_TSET(w->nthreads) - 1;
	SimThreadSet set = SIM_TSET(seed), checked = 0;

	while (set & ~checked && sim_thread_count(set & enabled) < bound) {
		int x = __builtin_ctzll(set & ~checked);
		SimThreadSet more = (enabled >> x & 1) ?
				    deps_of(por, w, fp, fut, d, x, ~set) :
				    wakers(w, x);
		if (!more && !(enabled >> x & 1))
			return all;
		checked |= SIM_TSET(x);
		set |= more;
	}
	return set;
}

SimThreadSet sim_por_ample(const SimPor *por, const SimWorld *w,
			   SimThreadSet enabled, SimFp *fp,
			   const SimFuture *fut, SimCuts *const *cuts)
{
	SimThreadSet best = enabled;
	Deps d;

	if (sim_thread_count(enabled) < 2)
		return enabled;
	/* the state's watched pgoffs, once for both uses */
	uint8_t pages = watched_pages(w);
	for (int t = 0; t < w->nthreads; t++)
		if ((enabled >> t & 1) && fp[t].boundary)
			fp[t].brd = watched_reads(pages | fp[t].maps);
	d.known = 0;
	d.rknown = 0;
	d.pages = pages;
	d.meets_now = state_meets(w);
	makes_of(w, fut, &d.mk);
	d.cuts = cuts;
	for (int t = 0; t < w->nthreads; t++) {
		if (!(enabled >> t & 1))
			continue;
		/* only a set smaller than the best so far is of use */
		SimThreadSet a = persistent_from(por, w, enabled, fp, fut, &d,
						 t, sim_thread_count(best)) &
				 enabled;
		if (sim_thread_count(a) < sim_thread_count(best))
			best = a;
		if (sim_thread_count(best) == 1)
			break;          /* nothing smaller */
	}
	return best;
}
