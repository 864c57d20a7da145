/*
 * promela.c - the Promela translation of a program (promela.h).
 *
 * Two parts: a fixed prelude (the world's globals, lock.c's rules and
 * oracle.c's checks as inline macros, written once below and sized by
 * #defines the export sets), and the threads, emitted from the IR by a
 * small walker: every primitive an atomic block, every local
 * instruction a labelled statement inside the block of the primitive it
 * follows (copied into each block that reaches it: a local region has no
 * scheduling point, so it belongs to every step that runs it).
 */
#include <stdio.h>
#include <string.h>
#include "loops.h"
#include "promela.h"
#include "step.h"
#include "trace.h"

/* The machine's dimensions: the program's shape (world.h). */
typedef struct {
	int nthreads, nprocs, npages, nblocks, nlocks;
} Shape;

static Shape shape_of(const SimProgram *p)
{
	return (Shape){ .nthreads = p->shape.threads,
			.nprocs = p->shape.procs, .npages = p->shape.pages,
			.nblocks = p->shape.blocks, .nlocks = p->shape.locks };
}

/* ---- the prelude --------------------------------------------------------
 * Names follow world.h and lock.h; each inline says which function of the
 * engine it is.  The world's globals come first (prelude_world), then
 * the scratch variables (scratch[]), then the rules (prelude_rules). */
static const char prelude_world[] =
"#define RUN 0\n"
"#define BLOCKED 1\n"
"#define DONE 2\n"
"#define B_FREE 0\n#define B_NEW 1\n#define B_ZEROED 2\n#define B_WRITTEN 3\n"
"#define K_NONE 0\n#define K_ZERO 1\n#define K_BLOCK 2\n#define K_PAGE 3\n"
"#define K_ANON 4\n"
"#define MF_PAGE 1\n#define MF_PDIRTY 2\n#define MF_PSTALE 4\n"
"#define MF_PWRITTEN 8\n#define MF_DIRTY 16\n#define MF_TOWRITE 32\n"
"#define MF_POLD 64\n#define MF_PSTORED 128\n"
"#define BIT(n) (1 << (n))\n"
"#define W(l, t) ((l) * NT + (t))\n"
"#define PGOFF_OK(x) ((x) >= 0 && (x) < NPG)\n"
"#define BLOCK_OK(x) ((x) >= 1 && (x) <= NB)\n"
"#define WTID(l, i) (lk_wait[W(l, i)] & 15)\n"
"#define WMODE(l, i) (lk_wait[W(l, i)] >> 4)\n"
"#define BROKEN model_broken = 1; assert(!model_broken)\n"
"#define LOWBIT(m) ((m) & (0 - (m)))\n"
"/* lock.c conflicts(): SH is the kind's shared_ok */\n"
"#define CONFLICTS(SH, pages, mode, op, ow) (((pages) & (op)) != 0 && \\\n"
"	((mode) == 1 || ((pages) & (ow)) != 0 || !(SH)))\n"
"/* lock.c sim_lock_holds_range() */\n"
"#define AFTER(pages) (((pages) << 1) & ~(pages))\n"
"#define HOLDS_RANGE(l, t, pages) ((pages) != 0 && \\\n"
"	(lk_own[W(l, t)] & (pages)) == (pages) && \\\n"
"	(lk_head[W(l, t)] & (pages)) == LOWBIT(pages) && \\\n"
"	((lk_own[W(l, t)] & AFTER(pages)) == 0 || \\\n"
"	 (lk_head[W(l, t)] & AFTER(pages)) != 0))\n"
"/* world.c sim_world_pte_is_stale() */\n"
"#define PTE_STALE(i, pg) \\\n"
"	(pte_kind[i] == K_BLOCK && ((pg) >= i_size || bmap[pg] != pte_target[i]) || \\\n"
"	 pte_kind[i] == K_PAGE && ((pg) >= i_size || (mflags[pte_target[i]] & MF_PAGE) == 0) || \\\n"
"	 pte_kind[i] == K_ZERO && (pg) >= i_size)\n"
"\n"
"/* world.h: SimWorld (the annotations, SimNotes, are not state) */\n"
"byte i_size;\n"
"byte bmap[NPG];\n"
"byte mflags[NPG];\n"
"byte entry[NPG];\n"
"byte page_src[NPG];\n"
"byte free_stack[NB];\n"
"byte nfree;\n"
"byte b_ino[NB + 1];\n"
"byte b_pgoff[NB + 1];\n"
"byte b_state[NB + 1];\n"
"bit b_stored[NB + 1];\n"
"bit b_unwritten[NB + 1];\n"
"int cache_dirty;\n"
"byte pte_kind[NP * NPG];\n"
"byte pte_target[NP * NPG];\n"
"bit pte_w[NP * NPG];\n"
"byte th_status[NT];\n"
"bit th_granted[NT];\n"
"byte th_nheld[NT];\n"
"PMASK th_inval[NT];\n"
"PMASK th_discarded[NT];\n"
"int th_fsync[NT];\n"
"bit th_inop[NT];\n"
"/* sim_dio_old(), by page: the threads whose dio_write made it old */\n"
"TMASK dold[NPG];\n"
"/* lock.h: SimLock, one per instance; per-thread fields at W(l, t) */\n"
"TMASK lk_held[NL];\n"
"TMASK lk_excl[NL];\n"
"byte lk_nwait[NL];\n"
"bit lk_corrupt[NL];\n"
"byte lk_wait[NL * NT];\n"
"PMASK lk_want[NL * NT];\n"
"PMASK lk_own[NL * NT];\n"
"PMASK lk_xown[NL * NT];\n"
"PMASK lk_head[NL * NT];\n";

/* Scratch variables: `hidden` (outside the state vector), for every
 * step writes them before it reads them; pan -DNCORE refuses hidden
 * variables, so there (SimPromelaOptions.no_hidden) they are state,
 * cleared at the end of every step (scratch_clear) so that a state
 * holds what it holds with them hidden. */
static const struct {
	const char *type, *names;
} scratch[] = {
	{ "int", "v_a0, v_a1, v_a2, v_a3, v_r0, v_r1, v_rv, v_b, v_x, v_y" },
	{ "int", "v_i, v_j, v_k, v_u, v_p, v_q, v_gr, v_wk, v_pages, v_m2, "
		 "v_t2, v_w2" },
	{ "int", "v_start, v_end, v_inst, v_skip" },
	{ "byte", "v_g, v_sl, v_wq, v_wh" },
	{ "byte", "model_broken" },
};

static const char prelude_rules[] =
"byte started;                  /* threads past their initial run */\n"
"\n"
"/* range_lock: lock.c grantable() into v_g, and hold(), sim_lock_acquire(),\n"
"   dequeue(), hand_off(), drop() over page masks */\n"
"inline grantable(SH, HO, l, mode, pages, ahead) {\n"
"	if\n"
"	:: lk_corrupt[l] -> v_g = ((mode) == 0)\n"
"	:: else ->\n"
"		v_g = 1;\n"
"		v_k = 0;\n"
"		do\n"
"		:: v_k < NT ->\n"
"			if\n"
"			:: CONFLICTS(SH, pages, mode, lk_own[W(l, v_k)], lk_xown[W(l, v_k)]) -> v_g = 0\n"
"			:: else\n"
"			fi;\n"
"			v_k++\n"
"		:: else -> break\n"
"		od;\n"
"		if\n"
"		:: v_g && (HO) ->\n"
"			v_k = 0;\n"
"			do\n"
"			:: v_k < (ahead) ->\n"
"				v_u = WTID(l, v_k);\n"
"				if\n"
"				:: CONFLICTS(SH, pages, mode, lk_want[W(l, v_u)],\n"
"					(WMODE(l, v_k) == 1 -> lk_want[W(l, v_u)] : 0)) -> v_g = 0\n"
"				:: else\n"
"				fi;\n"
"				v_k++\n"
"			:: else -> break\n"
"			od\n"
"		:: else\n"
"		fi\n"
"	fi\n"
"}\n"
"\n"
"/* lock.c hold() */\n"
"inline hold(l, t, mode, pages) {\n"
"	lk_own[W(l, t)] = lk_own[W(l, t)] | (pages);\n"
"	lk_head[W(l, t)] = lk_head[W(l, t)] | LOWBIT(pages);\n"
"	lk_held[l] = lk_held[l] | BIT(t);\n"
"	if\n"
"	:: (mode) == 1 ->\n"
"		lk_xown[W(l, t)] = lk_xown[W(l, t)] | (pages);\n"
"		lk_excl[l] = lk_excl[l] | BIT(t)\n"
"	:: else\n"
"	fi\n"
"}\n"
"\n"
"/* lock.c sim_lock_acquire(): v_g = granted, else queued */\n"
"inline lk_acquire(SH, HO, l, t, mode, pages) {\n"
"	grantable(SH, HO, l, mode, pages, lk_nwait[l]);\n"
"	if\n"
"	:: v_g -> hold(l, t, mode, pages)\n"
"	:: else ->\n"
"		lk_want[W(l, t)] = (pages);\n"
"		lk_wait[W(l, lk_nwait[l])] = (t) | ((mode) << 4);\n"
"		lk_nwait[l]++\n"
"	fi\n"
"}\n"
"\n"
"/* lock.c dequeue() */\n"
"inline dequeue(l, i) {\n"
"	lk_want[W(l, WTID(l, i))] = 0;\n"
"	v_j = (i);\n"
"	do\n"
"	:: v_j + 1 < lk_nwait[l] -> lk_wait[W(l, v_j)] = lk_wait[W(l, v_j + 1)]; v_j++\n"
"	:: else -> break\n"
"	od;\n"
"	lk_nwait[l]--;\n"
"	lk_wait[W(l, lk_nwait[l])] = 0\n"
"}\n"
"\n"
"/* lock.c hand_off(): v_gr = the threads granted */\n"
"inline hand_off(SH, l) {\n"
"	v_gr = 0;\n"
"	v_i = 0;\n"
"	do\n"
"	:: v_i < lk_nwait[l] ->\n"
"		v_t2 = WTID(l, v_i);\n"
"		v_m2 = WMODE(l, v_i);\n"
"		v_w2 = lk_want[W(l, v_t2)];\n"
"		grantable(SH, 1, l, v_m2, v_w2, v_i);\n"
"		if\n"
"		:: v_g ->\n"
"			dequeue(l, v_i);\n"
"			hold(l, v_t2, v_m2, v_w2);\n"
"			v_gr = v_gr | BIT(v_t2)\n"
"		:: else -> v_i++\n"
"		fi\n"
"	:: else -> break\n"
"	od\n"
"}\n"
"\n"
"/* lock.c drop(): PAGES must not be one of the fields it changes */\n"
"inline drop(l, t, pages) {\n"
"	lk_own[W(l, t)] = lk_own[W(l, t)] & ~(pages);\n"
"	lk_xown[W(l, t)] = lk_xown[W(l, t)] & ~(pages);\n"
"	lk_head[W(l, t)] = lk_head[W(l, t)] & ~(pages);\n"
"	if\n"
"	:: lk_own[W(l, t)] == 0 -> lk_held[l] = lk_held[l] & ~BIT(t)\n"
"	:: else\n"
"	fi;\n"
"	if\n"
"	:: lk_xown[W(l, t)] == 0 -> lk_excl[l] = lk_excl[l] & ~BIT(t)\n"
"	:: else\n"
"	fi\n"
"}\n"
"\n"
"/* step.c wake() */\n"
"inline wake(woken, granted) {\n"
"	v_j = 0;\n"
"	do\n"
"	:: v_j < NT ->\n"
"		if\n"
"		:: ((woken) & BIT(v_j)) != 0 ->\n"
"			th_status[v_j] = RUN;\n"
"			th_granted[v_j] = ((granted) >> v_j) & 1\n"
"		:: else\n"
"		fi;\n"
"		v_j++\n"
"	:: else -> break\n"
"	od\n"
"}\n"
"\n"
"/* The kinds other than range_lock hold one pseudo-page (lock.h): a\n"
" * holder's own == 1, so held / excl say everything and the page\n"
" * masks are not kept.  grantable() for them: */\n"
"inline grant_plain(SH, HO, l, mode, ahead) {\n"
"	if\n"
"	:: lk_corrupt[l] -> v_g = ((mode) == 0)\n"
"	:: else ->\n"
"		v_g = ((SH) && (mode) == 0 -> lk_excl[l] == 0 : lk_held[l] == 0);\n"
"		if\n"
"		:: v_g && (HO) ->\n"
"			v_k = 0;\n"
"			do\n"
"			:: v_k < (ahead) ->\n"
"				if\n"
"				:: (mode) == 1 || WMODE(l, v_k) == 1 || !(SH) -> v_g = 0\n"
"				:: else\n"
"				fi;\n"
"				v_k++\n"
"			:: else -> break\n"
"			od\n"
"		:: else\n"
"		fi\n"
"	fi\n"
"}\n"
"\n"
"inline hold_plain(l, t, mode) {\n"
"	lk_held[l] = lk_held[l] | BIT(t);\n"
"	if\n"
"	:: (mode) == 1 -> lk_excl[l] = lk_excl[l] | BIT(t)\n"
"	:: else\n"
"	fi\n"
"}\n"
"\n"
"inline dequeue_plain(l, i) {\n"
"	v_j = (i);\n"
"	do\n"
"	:: v_j + 1 < lk_nwait[l] -> lk_wait[W(l, v_j)] = lk_wait[W(l, v_j + 1)]; v_j++\n"
"	:: else -> break\n"
"	od;\n"
"	lk_nwait[l]--;\n"
"	lk_wait[W(l, lk_nwait[l])] = 0\n"
"}\n"
"\n"
"inline acquire_plain(SH, HO, l, t, mode) {\n"
"	grant_plain(SH, HO, l, mode, lk_nwait[l]);\n"
"	if\n"
"	:: v_g -> hold_plain(l, t, mode)\n"
"	:: else ->\n"
"		lk_wait[W(l, lk_nwait[l])] = (t) | ((mode) << 4);\n"
"		lk_nwait[l]++\n"
"	fi\n"
"}\n"
"\n"
"inline hand_off_plain(SH, l) {\n"
"	v_gr = 0;\n"
"	v_i = 0;\n"
"	do\n"
"	:: v_i < lk_nwait[l] ->\n"
"		v_t2 = WTID(l, v_i);\n"
"		v_m2 = WMODE(l, v_i);\n"
"		grant_plain(SH, 1, l, v_m2, v_i);\n"
"		if\n"
"		:: v_g ->\n"
"			dequeue_plain(l, v_i);\n"
"			hold_plain(l, v_t2, v_m2);\n"
"			v_gr = v_gr | BIT(v_t2)\n"
"		:: else -> v_i++\n"
"		fi\n"
"	:: else -> break\n"
"	od\n"
"}\n"
"\n"
"/* step.c do_acquire() for the kinds other than range_lock */\n"
"inline step_acquire_plain(T, SH, HO, RW, l, mode) {\n"
"	v_sl = 0;\n"
"	if\n"
"	:: th_granted[T] -> th_granted[T] = 0; th_nheld[T]++\n"
"	:: else ->\n"
"		if\n"
"		:: th_nheld[T] >= HELD_MAX -> BROKEN\n"
"		:: else\n"
"		fi;\n"
"		if\n"
"		:: (lk_held[l] & BIT(T)) != 0 ->\n"
"			if\n"
"			:: (mode) == 0 && (RW) -> BROKEN\n"
"			:: else\n"
"			fi;\n"
"			v_sl = 1\n"
"		:: else ->\n"
"			acquire_plain(SH, HO, l, T, mode);\n"
"			v_sl = !v_g\n"
"		fi;\n"
"		if\n"
"		:: v_sl -> th_status[T] = BLOCKED\n"
"		:: else -> th_nheld[T]++\n"
"		fi\n"
"	fi\n"
"}\n"
"\n"
"/* step.c do_release() for the kinds other than range_lock and\n"
" * up_write of an rwsem: WANT -1 any mode, 0 read */\n"
"inline step_release_plain(T, SH, HO, l, want, wake_all) {\n"
"	if\n"
"	:: (lk_held[l] & BIT(T)) == 0 -> BROKEN\n"
"	:: else\n"
"	fi;\n"
"	if\n"
"	:: (want) >= 0 && ((lk_excl[l] >> T) & 1) != (want) -> BROKEN\n"
"	:: else\n"
"	fi;\n"
"	th_nheld[T]--;\n"
"	lk_held[l] = lk_held[l] & ~BIT(T);\n"
"	lk_excl[l] = lk_excl[l] & ~BIT(T);\n"
"	v_gr = 0;\n"
"	v_wk = 0;\n"
"	if\n"
"	:: (HO) -> hand_off_plain(SH, l); v_wk = v_gr\n"
"	:: else ->\n"
"		do\n"
"		:: lk_nwait[l] > 0 ->\n"
"			v_wk = v_wk | BIT(WTID(l, 0));\n"
"			dequeue_plain(l, 0);\n"
"			if\n"
"			:: !(wake_all) -> break\n"
"			:: else\n"
"			fi\n"
"		:: else -> break\n"
"		od\n"
"	fi;\n"
"	wake(v_wk, v_gr)\n"
"}\n"
"\n"
"/* up_write of an rwsem: the hold it has, read (D6: the count is\n"
" * corrupted, lock.c sim_lock_release_unbalanced()) or write */\n"
"inline step_up_write(T, l) {\n"
"	if\n"
"	:: (lk_held[l] & BIT(T)) == 0 -> BROKEN\n"
"	:: else\n"
"	fi;\n"
"	if\n"
"	:: ((lk_excl[l] >> T) & 1) == 0 -> lk_corrupt[l] = 1\n"
"	:: else\n"
"	fi;\n"
"	th_nheld[T]--;\n"
"	lk_held[l] = lk_held[l] & ~BIT(T);\n"
"	lk_excl[l] = lk_excl[l] & ~BIT(T);\n"
"	hand_off_plain(1, l);\n"
"	wake(v_gr, v_gr)\n"
"}\n"
"\n"
"/* step.c do_acquire() for a range_lock: a request over a range the\n"
" * thread holds itself queues behind itself, except a read over its read\n"
" * range (not representable: a model error) */\n"
"inline step_acquire_range(T, l, mode, pages) {\n"
"	v_sl = 0;\n"
"	if\n"
"	:: th_granted[T] -> th_granted[T] = 0; th_nheld[T]++\n"
"	:: else ->\n"
"		if\n"
"		:: th_nheld[T] >= HELD_MAX -> BROKEN\n"
"		:: else\n"
"		fi;\n"
"		if\n"
"		:: (lk_own[W(l, T)] & (pages)) != 0 && (mode) == 0 &&\n"
"		   (lk_xown[W(l, T)] & (pages)) == 0 -> BROKEN\n"
"		:: else\n"
"		fi;\n"
"		lk_acquire(1, 1, l, T, mode, pages);\n"
"		v_sl = !v_g;\n"
"		if\n"
"		:: v_sl -> th_status[T] = BLOCKED\n"
"		:: else -> th_nheld[T]++\n"
"		fi\n"
"	fi\n"
"}\n"
"\n"
"/* step.c do_release() for a range_lock: exactly one held range */\n"
"inline step_release_range(T, l, pages) {\n"
"	if\n"
"	:: (lk_held[l] & BIT(T)) == 0 || !HOLDS_RANGE(l, T, pages) -> BROKEN\n"
"	:: else\n"
"	fi;\n"
"	th_nheld[T]--;\n"
"	drop(l, T, pages);\n"
"	hand_off(1, l);\n"
"	wake(v_gr, v_gr)\n"
"}\n"
"\n"
"/* step.c h_downgrade_write() */\n"
"inline step_downgrade(T, SH, l) {\n"
"	if\n"
"	:: (lk_held[l] & BIT(T)) == 0 || ((lk_excl[l] >> T) & 1) == 0 -> BROKEN\n"
"	:: else\n"
"	fi;\n"
"	lk_excl[l] = lk_excl[l] & ~BIT(T);\n"
"	hand_off_plain(SH, l);\n"
"	wake(v_gr, v_gr)\n"
"}\n"
"\n"
"/* step.c wait_entry(): the entry of pgoff v_a0; v_r0 its kind */\n"
"inline wait_entry(T) {\n"
"	v_sl = 0;\n"
"	if\n"
"	:: !PGOFF_OK(v_a0) -> BROKEN\n"
"	:: else\n"
"	fi;\n"
"	v_inst = ENTRY_BASE + v_a0;\n"
"	if\n"
"	:: (lk_held[v_inst] & BIT(T)) != 0 -> BROKEN\n"
"	:: else\n"
"	fi;\n"
"	if\n"
"	:: lk_held[v_inst] != 0 ->\n"
"		acquire_plain(0, 0, v_inst, T, 1);\n"
"		v_sl = 1;\n"
"		th_status[T] = BLOCKED\n"
"	:: else -> v_r0 = entry[v_a0]\n"
"	fi\n"
"}\n"
"\n"
"/* step.c delete_entry() */\n"
"inline delete_entry(pg) {\n"
"	entry[pg] = 0;\n"
"	mflags[pg] = mflags[pg] & ~(MF_DIRTY | MF_TOWRITE);\n"
"	v_inst = ENTRY_BASE + (pg);\n"
"	v_wk = 0;\n"
"	do\n"
"	:: lk_nwait[v_inst] > 0 -> v_wk = v_wk | BIT(WTID(v_inst, 0)); dequeue_plain(v_inst, 0)\n"
"	:: else -> break\n"
"	od;\n"
"	wake(v_wk, 0)\n"
"}\n"
"\n"
"/* world.c sim_world_alloc_block(): v_b, 0 when the disk is full */\n"
"inline alloc_block(ino, pg) {\n"
"	if\n"
"	:: nfree == 0 -> v_b = 0\n"
"	:: else ->\n"
"		nfree--;\n"
"		v_b = free_stack[nfree];\n"
"		free_stack[nfree] = 0;\n"
"		b_ino[v_b] = ino;\n"
"		b_pgoff[v_b] = pg;\n"
"		b_state[v_b] = B_NEW;\n"
"		b_stored[v_b] = 0;\n"
"		b_unwritten[v_b] = 0\n"
"	fi\n"
"}\n"
"\n"
"/* step.c free_one(): world.c sim_world_free_block() of pgoff PG's block */\n"
"inline free_one(pg) {\n"
"	v_b = bmap[pg];\n"
"	if\n"
"	:: v_b != 0 ->\n"
"		bmap[pg] = 0;\n"
"		b_ino[v_b] = 0;\n"
"		b_pgoff[v_b] = 0;\n"
"		b_state[v_b] = B_FREE;\n"
"		b_stored[v_b] = 0;\n"
"		b_unwritten[v_b] = 0;\n"
"		cache_dirty = cache_dirty & ~BIT(v_b);\n"
"		v_u = 0;\n"	/* the caller's loop runs on v_q */
"		do\n"
"		:: v_u < NT -> th_fsync[v_u] = th_fsync[v_u] & ~BIT(v_b); v_u++\n"
"		:: else -> break\n"
"		od;\n"
"		free_stack[nfree] = v_b;\n"
"		nfree++\n"
"	:: else\n"
"	fi\n"
"}\n"
"\n"
"/* step.c clamp() of [v_a0, v_a1] into [v_start, v_end]; v_pages its mask */\n"
"inline clamp_range() {\n"
"	v_start = v_a0;\n"
"	v_end = v_a1;\n"
"	if\n"
"	:: v_start < 0 -> v_start = 0\n"
"	:: else\n"
"	fi;\n"
"	if\n"
"	:: v_end > NPG - 1 -> v_end = NPG - 1\n"
"	:: else\n"
"	fi;\n"
"	v_pages = 0;\n"
"	v_p = v_start;\n"
"	do\n"
"	:: v_p <= v_end -> v_pages = v_pages | BIT(v_p); v_p++\n"
"	:: else -> break\n"
"	od\n"
"}\n"
"\n"
"/* step.c set_pte() into this process's PTE of v_a0 */\n"
"inline set_pte(PR, kind, target, writable) {\n"
"	if\n"
"	:: pte_kind[PR * NPG + v_a0] != K_NONE -> v_r0 = -16\n"
"	:: else ->\n"
"		pte_kind[PR * NPG + v_a0] = kind;\n"
"		pte_target[PR * NPG + v_a0] = target;\n"
"		pte_w[PR * NPG + v_a0] = ((writable) != 0);\n"
"		v_r0 = 0\n"
"	fi\n"
"}\n"
"\n"
"/* step.c wrprotect_all() */\n"
"inline wrprotect_all(pg) {\n"
"	v_q = 0;\n"
"	do\n"
"	:: v_q < NP ->\n"
"		if\n"
"		:: pte_kind[v_q * NPG + (pg)] != K_ANON -> pte_w[v_q * NPG + (pg)] = 0\n"
"		:: else\n"
"		fi;\n"
"		v_q++\n"
"	:: else -> break\n"
"	od\n"
"}\n"
"\n"
"/* step.c fill_from_block() */\n"
"inline fill_from_block(pg, b) {\n"
"	page_src[pg] = b;\n"
"	if\n"
"	:: (b) == 0\n"
"	:: else ->\n"
"		if\n"
"		:: !(b_state[b] != B_FREE && b_ino[b] == 0 && b_pgoff[b] == (pg)) ||\n"
"		   b_state[b] == B_NEW -> mflags[pg] = mflags[pg] | MF_PSTALE\n"
"		:: else ->\n"
"			if\n"
"			:: b_state[b] == B_WRITTEN -> mflags[pg] = mflags[pg] | MF_PWRITTEN\n"
"			:: else\n"
"			fi\n"
"		fi\n"
"	fi\n"
"}\n"
"\n"
"/* ---- oracle.c: asserted where the engine checks them ---- */\n"
"\n"
"/* sim_oracle_block_write() */\n"
"inline block_write(pg, b) {\n"
"#if CHECK_WRITE_TO_FREED\n"
"	assert((b) != 0 && b_state[b] != B_FREE && b_ino[b] == 0 && b_pgoff[b] == (pg))\n"
"#else\n"
"	skip\n"
"#endif\n"
"}\n"
"\n"
"/* sim_oracle_read() */\n"
"inline uread(pg, b) {\n"
"#if CHECK_UNINIT_READ\n"
"	if\n"
"	:: (b) == 0 -> assert((mflags[pg] & MF_PAGE) != 0 && (mflags[pg] & MF_PSTALE) == 0)\n"
"	:: else -> assert(b_state[b] != B_FREE && b_ino[b] == 0 && b_state[b] != B_NEW)\n"
"	fi\n"
"#else\n"
"	skip\n"
"#endif\n"
"}\n"
"\n"
"/* sim_oracle_zero() */\n"
"inline zero_check(b) {\n"
"#if CHECK_LOST_STORE\n"
"	assert(!(b_state[b] == B_WRITTEN && b_stored[b] && b_ino[b] == 0))\n"
"#else\n"
"	skip\n"
"#endif\n"
"}\n"
"\n"
"/* check_ptes() */\n"
"inline check_ptes(skipped) {\n"
"	v_p = 0;\n"
"	do\n"
"	:: v_p < NP * NPG ->\n"
"		v_q = v_p % NPG;\n"
"		assert(((skipped) >> v_q) & 1 || !PTE_STALE(v_p, v_q));\n"
"		v_p++\n"
"	:: else -> break\n"
"	od\n"
"}\n"
"\n"
"/* check_pages() */\n"
"inline check_pages(skipped) {\n"
"	v_p = 0;\n"
"	do\n"
"	:: v_p < NPG ->\n"
"		v_x = page_src[v_p];\n"
"		v_y = mflags[v_p];\n"
"		v_wh = (v_p >= i_size && (v_x != 0 || (v_y & (MF_PDIRTY | MF_PWRITTEN)) != 0));\n"
"		assert(((skipped) >> v_p) & 1 || (v_y & MF_PAGE) == 0 ||\n"
"		       (!v_wh && (v_x == 0 || bmap[v_p] == v_x)));\n"
"		v_p++\n"
"	:: else -> break\n"
"	od\n"
"}\n"
"\n"
"/* step.c op_sets_clear() of the dio_old set: T's bit off every page */\n"
"inline dold_clear(T) {\n"
"	v_u = 0;\n"
"	do\n"
"	:: v_u < NPG -> dold[v_u] = dold[v_u] & ~BIT(T); v_u++\n"
"	:: else -> break\n"
"	od\n"
"}\n"
"\n"
"/* sim_oracle_op_return(), and step.c do_return()'s postconditions */\n"
"inline op_return(T) {\n"
"	if\n"
"	:: th_nheld[T] != 0 -> BROKEN\n"
"	:: else\n"
"	fi;\n"
"#if CHECK_LOST_STORE\n"
"	assert((th_discarded[T] & ~th_inval[T]) == 0);\n"
"#endif\n"
"#if CHECK_LOST_FLUSH\n"
"	assert((th_fsync[T] & cache_dirty) == 0);\n"
"#endif\n"
"#if CHECK_STALE_PTE\n"
"	v_skip = 0;\n"
"	v_u = 0;\n"
"	do\n"
"	:: v_u < NT ->\n"
"		if\n"
"		:: v_u != T && th_inop[v_u] -> v_skip = v_skip | th_inval[v_u]\n"
"		:: else\n"
"		fi;\n"
"		v_u++\n"
"	:: else -> break\n"
"	od;\n"
"	check_ptes(v_skip);\n"
"	check_pages(v_skip);\n"
"#endif\n"
"	th_inval[T] = 0;\n"
"	th_discarded[T] = 0;\n"
"	dold_clear(T);\n"
"	th_fsync[T] = 0\n"
"}\n"
"\n"
"/* sim_oracle_quiescent(), when a step leaves no thread inside an op\n"
" * (v_wq: the initial run, which checks nothing) */\n"
"inline quiescent_end() {\n"
"	if\n"
"	:: !v_wq && QUIESCENT ->\n"
"#if CHECK_STALE_PTE\n"
"		check_ptes(0);\n"
"		check_pages(0);\n"
"#endif\n"
"#if CHECK_STALE_ZERO_PAGE\n"
"		v_p = 0;\n"
"		do\n"
"		:: v_p < NP * NPG ->\n"
"			assert(!(pte_kind[v_p] == K_ZERO && bmap[v_p % NPG] != 0));\n"
"			v_p++\n"
"		:: else -> break\n"
"		od;\n"
"#endif\n"
"		skip\n"
"	:: else\n"
"	fi\n"
"}\n"
"\n";

/* ---- properties --------------------------------------------------------- */

/* The assertion properties and their #define in the prelude. */
static const struct {
	SimProp prop;
	const char *macro;
} asserted[] = {
	{ SIM_PROP_STALE_PTE, "CHECK_STALE_PTE" },
	{ SIM_PROP_WRITE_TO_FREED, "CHECK_WRITE_TO_FREED" },
	{ SIM_PROP_UNINIT_READ, "CHECK_UNINIT_READ" },
	{ SIM_PROP_LOST_STORE, "CHECK_LOST_STORE" },
	{ SIM_PROP_LOST_FLUSH, "CHECK_LOST_FLUSH" },
	{ SIM_PROP_STALE_ZERO_PAGE, "CHECK_STALE_ZERO_PAGE" },
};

#define PBIT(p) ((SimPropSet)(1u << (p)))
#define END_STATE_PROPS (PBIT(SIM_PROP_DEADLOCK) | PBIT(SIM_PROP_LOST_WAKEUP))

SimPropSet sim_promela_props(const SimScenario *s)
{
	SimPropSet set = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(asserted); i++)
		set |= s->check & PBIT(asserted[i].prop);
	if (s->check & END_STATE_PROPS)
		set |= END_STATE_PROPS;
	return set;
}

/* ---- the walker ----------------------------------------------------------
 * A frame is one expansion of a procedure: the body, or a callee at one
 * call site of its caller's frame.  Nodes are (frame, pc). */

typedef struct {
	int proc;               /* index into SimProgram.procs */
	int base;               /* first register, as step.c do_call() */
	int depth;              /* 1 for the body */
	int parent, call_pc;    /* the caller's frame and CALL pc, or -1 */
} Frame;

typedef struct {
	const SimProgram *p;
	const SimPromelaOptions *o;
	int tid;
	GArray *frames;         /* Frame */
	GHashTable *seen;       /* nodes queued or emitted */
	GQueue todo;            /* nodes to emit */
	int nregs;              /* registers the thread uses */
	GHashTable *progress;   /* step ends with a progress label (o->progress):
				 * their nodes, END_NODE for `end` */
	GString *labels;        /* those labels' statements */
} Walk;

#define NODE(f, pc) GINT_TO_POINTER(((f) << 16 | (pc)) + 1)
#define NODE_F(n) ((GPOINTER_TO_INT(n) - 1) >> 16)
#define NODE_PC(n) ((GPOINTER_TO_INT(n) - 1) & 0xffff)
#define END_NODE GINT_TO_POINTER(-1)

static const Frame *frame(const Walk *w, int f)
{
	return &g_array_index(w->frames, Frame, f);
}

static const SimProc *proc_of(const Walk *w, int f)
{
	return w->p->procs[frame(w, f)->proc];
}

static const SimInsn *insn(const Walk *w, int f, int pc)
{
	return &proc_of(w, f)->code[pc];
}

/* The callee frame of the CALL at (F, PC): made on first use. */
static int callee_frame(Walk *w, int f, int pc)
{
	const SimInsn *in = insn(w, f, pc);
	const Frame *caller = frame(w, f);

	for (guint i = 0; i < w->frames->len; i++) {
		const Frame *c = frame(w, (int)i);
		if (c->parent == f && c->call_pc == pc)
			return (int)i;
	}
	Frame c = { .proc = in->target,
		    .base = caller->base + proc_of(w, f)->nregs,
		    .depth = caller->depth + 1, .parent = f, .call_pc = pc };
	g_array_append_val(w->frames, c);
	return (int)w->frames->len - 1;
}

static void arg(GString *s, const Walk *w, int f, const SimArg *a)
{
	if (a->kind == SIM_ARG_IMM)
		g_string_append_printf(s, "%d", a->v);
	else
		g_string_append_printf(s, "r[%d]", frame(w, f)->base + a->v);
}

/* Register R of frame F, counted into the thread's register file. */
static void reg(GString *s, Walk *w, int f, int r)
{
	int n = frame(w, f)->base + r;

	if (n + 1 > w->nregs)
		w->nregs = n + 1;
	g_string_append_printf(s, "r[%d]", n);
}

/* ---- primitives: step.c's handlers ---------------------------------------
 * Each writes the handler's effect on the globals, reading the evaluated
 * arguments v_a0..v_a3 and leaving results in v_r0, v_r1 (zero unless set, as
 * in step.c's Call).  A lock primitive that sleeps sets v_sl. */

typedef struct Emitter Emitter;

typedef struct {
	Walk *w;
	GString *s;
	const SimInsn *in;
	const Emitter *x;       /* the primitive's row of emitters[] */
	int tid, proc;          /* thread, and the process it runs in */
} Emit;

/* Every primitive's translation, the row of step.c's prim_handlers[]
 * it follows: a model error when a CHECK holds (BROKEN, tested in
 * order), then the handler's EFFECT verbatim, or the effect as a format
 * of the number (%1$d) of the process (PROC_FMT: its PTEs) or of the
 * thread (TID_FMT), or RANGE, a format of the thread too, as the body
 * of a loop over the clamped range (for_range()), or what EMIT writes where the text depends on
 * the lock or takes more than a number; MODE and ALL are p_lock()'s and
 * p_unlock()'s.  A primitive without a row is refused (emit_prim()). */
struct Emitter {
	const char *check[2];
	const char *effect;
	const char *proc_fmt;
	const char *tid_fmt;
	const char *range;
	void (*emit)(Emit *e);
	int mode;               /* the lock mode taken, or released (-1 any) */
	bool all;               /* released: wake every waiter */
};

static void out(Emit *e, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void out(Emit *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_string_append_vprintf(e->s, fmt, ap);
	va_end(ap);
}

/* "if :: COND -> BROKEN :: else fi;" */
static void broken_if(Emit *e, const char *cond)
{
	out(e, "\t\tif :: %s -> BROKEN :: else fi;\n", cond);
}

/* The lock class a lock primitive names (step.c lock_target()). */
static int decl_of(const Emit *e)
{
	switch (e->in->sub) {
	case SIM_P_LOCK_PAGE: case SIM_P_UNLOCK_PAGE:
		return SIM_LOCKDECL_PAGE;
	case SIM_P_GRAB_ENTRY: case SIM_P_GRAB_ENTRY_PAGE:
	case SIM_P_UNLOCK_ENTRY: case SIM_P_UNLOCK_ENTRY_ALL:
	case SIM_P_WAIT_ENTRY:
		return SIM_LOCKDECL_ENTRY;
	default:
		return e->in->lock;
	}
}

/* v_inst and v_pages of the lock a primitive takes or drops (step.c
 * lock_target(): an index out of range is a model error); returns the
 * lock kind, and the inline flags "SH, HO" into FLAGS. */
static int lock_target(Emit *e, char *flags, size_t len)
{
	const SimProgram *p = e->w->p;
	int d = decl_of(e);
	const SimLockDecl *decl = &p->model->locks[d];
	int base = p->lock_base[d];
	int kind = decl->kind;

	g_snprintf(flags, len, "%d, %d", kind == SIM_LK_RWSEM,
		   kind != SIM_LK_ENTRY);
	switch (kind) {
	case SIM_LK_PAGE:
	case SIM_LK_ENTRY:
		broken_if(e, "!PGOFF_OK(v_a0)");
		out(e, "\t\tv_inst = %d + v_a0;\n", base);
		break;
	case SIM_LK_HASHED:
		out(e, "\t\tv_inst = %d + (v_a0 < 0 -> -v_a0 : v_a0) %% %d;\n",
		    base, sim_lock_instances(decl, p->shape.procs,
						  p->shape.pages));
		break;
	case SIM_LK_RANGE:
		out(e, "\t\tclamp_range();\n");
		broken_if(e, "v_start > v_end");
		out(e, "\t\tv_inst = %d;\n", base);
		break;
	default:
		out(e, "\t\tv_inst = %d;\n", base + (decl->per_proc ?
						    e->proc : 0));
	}
	return kind;
}

static void acquire(Emit *e, int mode)
{
	char flags[16];

	if (lock_target(e, flags, sizeof(flags)) == SIM_LK_RANGE)
		out(e, "\t\tstep_acquire_range(%d, v_inst, %d, v_pages);\n",
		    e->tid, mode);
	else
		out(e, "\t\tstep_acquire_plain(%d, %s, %d, v_inst, %d);\n",
		    e->tid, flags, flags[0] == '1', mode);
}

/* WANT: the mode the primitive releases (-1 any, 0 read, 1 write) */
static void release(Emit *e, int want, int wake_all)
{
	char flags[16];
	int kind = lock_target(e, flags, sizeof(flags));

	if (kind == SIM_LK_RANGE)
		out(e, "\t\tstep_release_range(%d, v_inst, v_pages);\n",
		    e->tid);
	else if (kind == SIM_LK_RWSEM && want == SIM_MODE_WRITE)
		out(e, "\t\tstep_up_write(%d, v_inst);\n", e->tid);
	else
		out(e, "\t\tstep_release_plain(%d, %s, v_inst, %d, %d);\n",
		    e->tid, flags, want, wake_all);
}

/* step.c h_grab_entry(): lock the entry, insert an empty one if none */
static void grab_entry(Emit *e)
{
	acquire(e, SIM_MODE_WRITE);
	out(e, "\t\tif\n\t\t:: !v_sl ->\n"
	    "\t\t\tif :: entry[v_a0] == 0 -> entry[v_a0] = 1 :: else fi;\n"
	    "\t\t\tv_r0 = entry[v_a0]\n\t\t:: else\n\t\tfi;\n");
}

/* step.c get_block(): FRESH the new block's state */
static void get_block(Emit *e, const char *fresh, int unwritten)
{
	broken_if(e, "!PGOFF_OK(v_a0)");
	out(e, "\t\tv_r0 = bmap[v_a0];\n"
	    "\t\tv_r1 = (v_r0 != 0 && b_unwritten[v_r0]);\n"
	    "\t\tif\n\t\t:: v_r0 == 0 && v_a1 != 0 ->\n"
	    "\t\t\talloc_block(0, v_a0);\n"
	    "\t\t\tif :: v_b == 0 -> BROKEN :: else fi;\n"
	    "\t\t\tb_state[v_b] = %s;\n\t\t\tb_unwritten[v_b] = %d;\n"
	    "\t\t\tbmap[v_a0] = v_b;\n\t\t\tv_r0 = v_b;\n\t\t\tv_r1 = 1\n"
	    "\t\t:: else\n\t\tfi;\n", fresh, unwritten);
}

/* "for (v_p = v_start; v_p <= v_end; v_p++) BODY" over the clamped range */
static void for_range(Emit *e, const char *body)
{
	out(e, "\t\tclamp_range();\n\t\tv_p = v_start;\n\t\tdo\n"
	    "\t\t:: v_p <= v_end ->\n%s;\n\t\t\tv_p++\n"
	    "\t\t:: else -> break\n\t\tod;\n", body);
}

/* the process's own PTE of v_a0, in a format of the process (%1$d) */
#define OWN "(%1$d * NPG + v_a0)"

/* A block stored into through a PTE, DIO or write(2): B is written. */
static void store_block(Emit *e, const char *pg)
{
	out(e, "\t\tblock_write(%s, v_b);\n"
	    "\t\tif\n\t\t:: b_state[v_b] != B_FREE -> b_state[v_b] = B_WRITTEN; "
	    "b_stored[v_b] = 1\n\t\t:: else\n\t\tfi;\n", pg);
}

/* The emitters, named after step.c's handlers (h_NAME -> p_NAME). */

/* h_lock_excl(), h_lock_read(): the row's mode */
static void p_lock(Emit *e)
{
	acquire(e, e->x->mode);
}

/* h_unlock(), h_up_read(), h_up_write(), h_unlock_entry_all() */
static void p_unlock(Emit *e)
{
	release(e, e->x->mode, e->x->all);
}

static void p_downgrade_write(Emit *e)
{
	char flags[16];

	lock_target(e, flags, sizeof(flags));
	out(e, "\t\tstep_downgrade(%d, %c, v_inst);\n", e->tid, flags[0]);
}

static void p_grab_entry_page(Emit *e)
{
	broken_if(e, "!PGOFF_OK(v_a0)");
	out(e, "\t\tif\n\t\t:: (mflags[v_a0] & MF_PAGE) != 0 && "
	    "entry[v_a0] == 0 -> v_r0 = 4; v_sl = 0\n\t\t:: else ->\n");
	grab_entry(e);
	out(e, "\t\t\tskip\n\t\tfi;\n");
}

static void p_get_block(Emit *e)
{
	get_block(e, "B_NEW", 0);
}

static void p_get_block_zeroed(Emit *e)
{
	get_block(e, "B_ZEROED", 0);
}

static void p_get_block_unwritten(Emit *e)
{
	get_block(e, "B_NEW", 1);
}

/* step.c h_free_blocks() and, SHIFT, h_shift_blocks(): both clamp
 * first, and an empty range changes nothing */
static void free_range(Emit *e, bool shift)
{
	out(e, "\t\tclamp_range();\n\t\tif\n\t\t:: v_start <= v_end ->\n"
	    "\t\t\tv_q = v_start;\n\t\t\tdo\n"
	    "\t\t\t:: v_q <= v_end -> free_one(v_q); v_q++\n"
	    "\t\t\t:: else -> break\n\t\t\tod;\n");
	if (shift)
		out(e, "\t\t\tv_x = v_end - v_start + 1;\n"
		    "\t\t\tv_q = v_start;\n\t\t\tdo\n"
		    "\t\t\t:: v_q + v_x < NPG ->\n"
		    "\t\t\t\tv_b = bmap[v_q + v_x];\n"
		    "\t\t\t\tbmap[v_q] = v_b;\n\t\t\t\tbmap[v_q + v_x] = 0;\n"
		    "\t\t\t\tif :: v_b != 0 -> b_pgoff[v_b] = v_q :: else fi;\n"
		    "\t\t\t\tv_q++\n"
		    "\t\t\t:: else -> break\n\t\t\tod;\n");
	out(e, "\t\t\tth_inval[%d] = th_inval[%d] | v_pages\n"
	    "\t\t:: else\n\t\tfi;\n", e->tid, e->tid);
}

static void p_free_blocks(Emit *e)
{
	free_range(e, false);
}

static void p_shift_blocks(Emit *e)
{
	free_range(e, true);
}

static void p_other_alloc(Emit *e)
{
	out(e, "\t\talloc_block(1, 0);\n");
	broken_if(e, "v_b == 0");
	out(e, "\t\tb_state[v_b] = B_WRITTEN;\n\t\tv_r0 = v_b;\n");
}

/* step.c h_add_page() and h_fill_page(): HEAD is the "if" that refuses
 * (a page already there, or none) and prepares the page's flags; both
 * then fill it from the block */
static void fill_page(Emit *e, const char *head)
{
	broken_if(e, "!PGOFF_OK(v_a0) || (v_a1 != 0 && !BLOCK_OK(v_a1))");
	out(e, "%s\t\t\tfill_from_block(v_a0, v_a1);\n\t\t\tv_r0 = 0\n"
	    "\t\tfi;\n", head);
}

static void p_add_page(Emit *e)
{
	fill_page(e, "\t\tif\n\t\t:: (mflags[v_a0] & MF_PAGE) != 0 -> "
		  "v_r0 = -16\n\t\t:: else ->\n"
		  "\t\t\tmflags[v_a0] = (mflags[v_a0] & (MF_DIRTY | "
		  "MF_TOWRITE)) | MF_PAGE;\n");
}

static void p_fill_page(Emit *e)
{
	fill_page(e, "\t\tif\n\t\t:: (mflags[v_a0] & MF_PAGE) == 0 -> "
		  "v_r0 = -5\n\t\t:: else ->\n"
		  "\t\t\tmflags[v_a0] = mflags[v_a0] & ~(MF_PSTALE | "
		  "MF_PWRITTEN | MF_POLD);\n\t\t\tdold[v_a0] = 0;\n");
}

static void p_dio_write(Emit *e)
{
	broken_if(e, "!BLOCK_OK(v_a0)");
	out(e, "\t\tv_b = v_a0;\n");
	store_block(e, "b_pgoff[v_b]");
	out(e, "\t\tv_q = 0;\n\t\tdo\n\t\t:: v_q < NPG ->\n"
	    "\t\t\tif :: (mflags[v_q] & MF_PAGE) != 0 && page_src[v_q] == v_b "
	    "->\n\t\t\t\tmflags[v_q] = mflags[v_q] | MF_POLD;\n"
	    "\t\t\t\tdold[v_q] = dold[v_q] | BIT(%d)\n\t\t\t:: else fi;\n"
	    "\t\t\tv_q++\n\t\t:: else -> break\n\t\tod;\n", e->tid);
}

static void p_write_block(Emit *e)
{
	broken_if(e, "!PGOFF_OK(v_a0) || !BLOCK_OK(v_a1)");
	out(e, "\t\tv_b = v_a1;\n");
	store_block(e, "v_a0");
}

static void p_user_store(Emit *e)
{
	broken_if(e, "!PGOFF_OK(v_a0)");
	out(e, "\t\tv_x = " OWN ";\n", e->proc);
	out(e, "\t\tif\n\t\t:: pte_kind[v_x] == K_NONE -> v_r0 = 1\n"
	    "\t\t:: pte_kind[v_x] != K_NONE && !pte_w[v_x] -> v_r0 = 2\n"
	    "\t\t:: pte_kind[v_x] == K_ANON && pte_w[v_x]\n"
	    "\t\t:: pte_kind[v_x] == K_PAGE && pte_w[v_x] ->\n"
	    "\t\t\tv_y = pte_target[v_x];\n"
	    "\t\t\tif\n\t\t\t:: (mflags[v_y] & MF_PAGE) == 0 -> "
	    "block_write(v_a0, 0)\n"
	    "\t\t\t:: else -> mflags[v_y] = (mflags[v_y] | MF_PWRITTEN | "
	    "MF_PDIRTY | MF_PSTORED) & ~(MF_PSTALE | MF_POLD);\n"
	    "\t\t\t\tdold[v_y] = 0\n"
	    "\t\t\tfi\n"
	    "\t\t:: pte_kind[v_x] != K_NONE && pte_kind[v_x] != K_ANON && "
	    "pte_kind[v_x] != K_PAGE && pte_w[v_x] ->\n"
	    "\t\t\tv_b = pte_target[v_x];\n");
	store_block(e, "v_a0");
	out(e, "\t\t\tcache_dirty = cache_dirty | BIT(v_b)\n\t\tfi;\n");
}

static const Emitter emitters[SIM_P_COUNT] = {
	[SIM_P_MUTEX_LOCK] = { .emit = p_lock, .mode = SIM_MODE_WRITE },
	[SIM_P_MUTEX_UNLOCK] = { .emit = p_unlock, .mode = -1 },
	[SIM_P_DOWN_READ] = { .emit = p_lock, .mode = SIM_MODE_READ },
	[SIM_P_DOWN_WRITE] = { .emit = p_lock, .mode = SIM_MODE_WRITE },
	[SIM_P_UP_READ] = { .emit = p_unlock, .mode = SIM_MODE_READ },
	[SIM_P_UP_WRITE] = { .emit = p_unlock, .mode = SIM_MODE_WRITE },
	[SIM_P_DOWNGRADE_WRITE] = { .emit = p_downgrade_write },
	[SIM_P_LOCK_PAGE] = { .emit = p_lock, .mode = SIM_MODE_WRITE },
	[SIM_P_UNLOCK_PAGE] = { .emit = p_unlock, .mode = -1 },
	[SIM_P_HASH_LOCK] = { .emit = p_lock, .mode = SIM_MODE_WRITE },
	[SIM_P_HASH_UNLOCK] = { .emit = p_unlock, .mode = -1 },
	[SIM_P_RANGE_LOCK] = { .emit = p_lock, .mode = SIM_MODE_WRITE },
	[SIM_P_RANGE_LOCK_READ] = { .emit = p_lock, .mode = SIM_MODE_READ },
	[SIM_P_RANGE_UNLOCK] = { .emit = p_unlock, .mode = -1 },
	[SIM_P_GRAB_ENTRY] = { .emit = grab_entry },
	[SIM_P_UNLOCK_ENTRY] = { .emit = p_unlock, .mode = -1 },
	[SIM_P_UNLOCK_ENTRY_ALL] = { .emit = p_unlock, .mode = -1, .all = true },
	[SIM_P_WAIT_ENTRY] = {
		.tid_fmt = "\t\twait_entry(%1$d);\n" },
	[SIM_P_GRAB_ENTRY_PAGE] = { .emit = p_grab_entry_page },
	[SIM_P_WAIT_DELETE_ENTRY] = {
		.tid_fmt = "\t\twait_entry(%1$d);\n"
			"\t\tif :: !v_sl && v_r0 != 0 -> delete_entry(v_a0) :: else fi;\n" },
	[SIM_P_I_SIZE_READ] = {
		.effect = "\t\tv_r0 = i_size;\n" },
	[SIM_P_I_SIZE_WRITE] = {
		.check = { "v_a0 < 0 || v_a0 > NPG" },
		.tid_fmt = "\t\tif\n\t\t:: v_a0 < i_size ->\n"
			"\t\t\tv_p = v_a0;\n\t\t\tdo\n"
			"\t\t\t:: v_p < NPG -> th_inval[%1$d] = th_inval[%1$d] | BIT(v_p); v_p++\n"
			"\t\t\t:: else -> break\n\t\t\tod\n"
			"\t\t:: else\n\t\tfi;\n\t\ti_size = v_a0;\n" },
	[SIM_P_GET_BLOCK] = { .emit = p_get_block },
	[SIM_P_GET_BLOCK_ZERO] = { .emit = p_get_block_zeroed },
	[SIM_P_GET_BLOCK_UNWRITTEN] = { .emit = p_get_block_unwritten },
	[SIM_P_CONVERT_UNWRITTEN] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tif :: bmap[v_a0] != 0 -> b_unwritten[bmap[v_a0]] = 0 "
			":: else fi;\n" },
	[SIM_P_ZERO_BLOCK] = {
		.check = { "!BLOCK_OK(v_a0)" },
		.effect = "\t\tv_b = v_a0;\n\t\tblock_write(b_pgoff[v_b], v_b);\n"
			"\t\tzero_check(v_b);\n"
			"\t\tif\n\t\t:: b_state[v_b] != B_FREE -> b_state[v_b] = "
			"B_ZEROED; b_stored[v_b] = 0\n\t\t:: else\n\t\tfi;\n" },
	[SIM_P_FREE_BLOCKS] = { .emit = p_free_blocks },
	[SIM_P_SHIFT_BLOCKS] = { .emit = p_shift_blocks },
	[SIM_P_OTHER_ALLOC] = { .emit = p_other_alloc },
	[SIM_P_PTE_LOOKUP] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.proc_fmt = "\t\tv_r0 = (pte_kind[" OWN "] == K_NONE -> 0 : "
			"(pte_w[" OWN "] -> 2 : 1));\n" },
	[SIM_P_SET_PTE] = {
		.check = { "!PGOFF_OK(v_a0) || !BLOCK_OK(v_a1)" },
		.proc_fmt = "\t\tset_pte(%1$d, K_BLOCK, v_a1, v_a2);\n" },
	[SIM_P_SET_PTE_ZERO] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.proc_fmt = "\t\tset_pte(%1$d, K_ZERO, 0, 0);\n" },
	[SIM_P_SET_PTE_ANON] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.proc_fmt = "\t\tset_pte(%1$d, K_ANON, 0, 1);\n" },
	[SIM_P_SET_PTE_PAGE] = {
		.check = { "!PGOFF_OK(v_a0)", "(mflags[v_a0] & MF_PAGE) == 0" },
		.proc_fmt = "\t\tset_pte(%1$d, K_PAGE, v_a0, v_a1);\n" },
	[SIM_P_PTE_MKWRITE] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.proc_fmt = "\t\tif :: pte_kind[" OWN "] != K_NONE && pte_kind["
			OWN "] != K_ZERO -> pte_w[" OWN "] = 1 :: else fi;\n" },
	[SIM_P_PTE_BLOCK] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.proc_fmt = "\t\tv_r0 = (pte_kind[" OWN "] == K_BLOCK -> "
			"pte_target[" OWN "] : 0);\n" },
	[SIM_P_ZAP_PTES] = {
		.range = "\t\t\tv_q = 0;\n\t\t\tdo\n"
			"\t\t\t:: v_q < NP ->\n"
			"\t\t\t\tpte_kind[v_q * NPG + v_p] = 0;\n"
			"\t\t\t\tpte_target[v_q * NPG + v_p] = 0;\n"
			"\t\t\t\tpte_w[v_q * NPG + v_p] = 0;\n"
			"\t\t\t\tv_q++\n"
			"\t\t\t:: else -> break\n\t\t\tod" },
	[SIM_P_WRPROTECT] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\twrprotect_all(v_a0);\n" },
	[SIM_P_PAGE_MAPPED] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tv_q = 0;\n\t\tdo\n\t\t:: v_q < NP ->\n"
			"\t\t\tif :: pte_kind[v_q * NPG + v_a0] == K_ZERO || "
			"pte_kind[v_q * NPG + v_a0] == K_PAGE -> v_r0 = 1 :: else fi;\n"
			"\t\t\tv_q++\n\t\t:: else -> break\n\t\tod;\n" },
	[SIM_P_FIND_PAGE] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tv_r0 = ((mflags[v_a0] & MF_PAGE) != 0);\n" },
	[SIM_P_ADD_PAGE] = { .emit = p_add_page },
	[SIM_P_DELETE_PAGES] = {
		.range = "\t\t\tif\n"
			"\t\t\t:: (mflags[v_p] & MF_PAGE) != 0 ->\n"
			"\t\t\t\tif :: (mflags[v_p] & MF_PSTORED) != 0 -> "
			"th_discarded[%1$d] = th_discarded[%1$d] | BIT(v_p) "
			":: else fi;\n"
			"\t\t\t\tmflags[v_p] = mflags[v_p] & (MF_DIRTY | "
			"MF_TOWRITE);\n\t\t\t\tdold[v_p] = 0;\n"
			"\t\t\t\tpage_src[v_p] = 0\n"
			"\t\t\t:: else\n\t\t\tfi" },
	[SIM_P_SET_PAGE_DIRTY] = {
		.check = { "!PGOFF_OK(v_a0)", "(mflags[v_a0] & MF_PAGE) == 0" },
		.effect = "\t\tmflags[v_a0] = mflags[v_a0] | MF_PDIRTY;\n" },
	[SIM_P_WRITEBACK_PAGE] = {
		.check = { "!PGOFF_OK(v_a0) || !BLOCK_OK(v_a1)" },
		.effect = "\t\tif\n\t\t:: (mflags[v_a0] & (MF_PAGE | MF_PDIRTY)) == "
			"(MF_PAGE | MF_PDIRTY) ->\n"
			"\t\t\twrprotect_all(v_a0);\n\t\t\tv_b = v_a1;\n"
			"\t\t\tblock_write(v_a0, v_b);\n"
			"\t\t\tif\n\t\t\t:: b_state[v_b] != B_FREE ->\n"
			"\t\t\t\tb_state[v_b] = B_WRITTEN;\n"
			"\t\t\t\tif :: (mflags[v_a0] & MF_PWRITTEN) != 0 -> "
			"b_stored[v_b] = 1 :: else fi\n"
			"\t\t\t:: else\n\t\t\tfi;\n"
			"\t\t\tmflags[v_a0] = mflags[v_a0] & ~(MF_PDIRTY | MF_PSTORED "
			"| MF_POLD);\n\t\t\tdold[v_a0] = 0;\n"
			"\t\t\tpage_src[v_a0] = v_b\n"
			"\t\t:: else\n\t\tfi;\n" },
	[SIM_P_READ_PAGE] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tif\n\t\t:: (mflags[v_a0] & MF_PAGE) == 0 -> v_r0 = -5\n"
			"\t\t:: else -> uread(v_a0, 0); v_r0 = 0\n\t\tfi;\n" },
	[SIM_P_FILL_PAGE] = { .emit = p_fill_page },
	[SIM_P_INVALIDATE_PAGE] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tif\n\t\t:: (mflags[v_a0] & MF_PAGE) == 0\n"
			"\t\t:: else ->\n\t\t\tif\n"
			"\t\t\t:: (mflags[v_a0] & MF_PDIRTY) != 0 -> v_r0 = -16\n"
			"\t\t\t:: else ->\n\t\t\t\tmflags[v_a0] = mflags[v_a0] & "
			"(MF_DIRTY | MF_TOWRITE);\n\t\t\t\tdold[v_a0] = 0;\n"
			"\t\t\t\tpage_src[v_a0] = 0\n"
			"\t\t\tfi\n\t\tfi;\n" },
	/* only the pages this thread's dio_write made old (a bit of dold
	 * is there only while its page is that POLD copy) */
	[SIM_P_DIO_DONE] = {
		.range = "\t\t\tif\n"
			"\t\t\t:: (dold[v_p] & BIT(%1$d)) != 0 ->\n"
			"\t\t\t\tmflags[v_p] = (mflags[v_p] & ~MF_POLD) | MF_PSTALE;\n"
			"\t\t\t\tdold[v_p] = 0\n"
			"\t\t\t:: else\n\t\t\tfi" },
	[SIM_P_WRITE_PAGE] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tif\n\t\t:: (mflags[v_a0] & MF_PAGE) == 0 -> v_r0 = -5\n"
			"\t\t:: else ->\n\t\t\tmflags[v_a0] = (mflags[v_a0] | "
			"MF_PWRITTEN | MF_PDIRTY | MF_PSTORED) & ~(MF_PSTALE | "
			"MF_POLD);\n\t\t\tdold[v_a0] = 0;\n\t\t\tv_r0 = 0\n"
			"\t\tfi;\n" },
	[SIM_P_GET_ENTRY] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tv_r0 = entry[v_a0];\n" },
	[SIM_P_SET_ENTRY] = {
		.check = { "!PGOFF_OK(v_a0) || v_a1 < 0 || v_a1 > 3" },
		.effect = "\t\tentry[v_a0] = v_a1;\n" },
	[SIM_P_DELETE_ENTRIES] = {
		.range = "\t\t\tdelete_entry(v_p)" },
	[SIM_P_TAG_DIRTY] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tmflags[v_a0] = mflags[v_a0] | MF_DIRTY;\n" },
	[SIM_P_TAG_TOWRITE] = {
		.range = "\t\t\tif :: (mflags[v_p] & MF_DIRTY) != 0 -> "
			"mflags[v_p] = mflags[v_p] | MF_TOWRITE :: else fi" },
	[SIM_P_TEST_TOWRITE] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tv_r0 = ((mflags[v_a0] & MF_TOWRITE) != 0);\n" },
	[SIM_P_CLEAR_TAGS] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.effect = "\t\tmflags[v_a0] = mflags[v_a0] & ~(MF_DIRTY | MF_TOWRITE);\n" },
	[SIM_P_FLUSH_CACHE] = {
		.check = { "!BLOCK_OK(v_a0)" },
		.effect = "\t\tv_b = v_a0;\n"
			"\t\tif :: (cache_dirty & BIT(v_b)) != 0 -> "
			"block_write(b_pgoff[v_b], v_b) :: else fi;\n"
			"\t\tcache_dirty = cache_dirty & ~BIT(v_b);\n"
			"\t\tv_q = 0;\n\t\tdo\n"
			"\t\t:: v_q < NT -> th_fsync[v_q] = th_fsync[v_q] & ~BIT(v_b); v_q++\n"
			"\t\t:: else -> break\n\t\tod;\n" },
	[SIM_P_DIO_WRITE] = { .emit = p_dio_write },
	[SIM_P_READ_BLOCK] = {
		.check = { "!PGOFF_OK(v_a0) || (v_a1 != 0 && !BLOCK_OK(v_a1))" },
		.effect = "\t\tif :: v_a1 != 0 && !b_unwritten[v_a1] -> "
			"uread(v_a0, v_a1) :: else fi;\n" },
	[SIM_P_WRITE_BLOCK] = { .emit = p_write_block },
	[SIM_P_USER_STORE] = { .emit = p_user_store },
	[SIM_P_USER_LOAD] = {
		.check = { "!PGOFF_OK(v_a0)" },
		.proc_fmt = "\t\tv_x = " OWN ";\n"
			"\t\tif\n\t\t:: pte_kind[v_x] == K_NONE -> v_r0 = 1\n"
			"\t\t:: pte_kind[v_x] == K_BLOCK -> uread(v_a0, pte_target[v_x])\n"
			"\t\t:: pte_kind[v_x] == K_PAGE -> uread(v_a0, 0)\n"
			"\t\t:: else\n\t\tfi;\n" },
};

static gboolean emit_prim(Emit *e, GError **error)
{
	int id = e->in->sub;
	const Emitter *x = id < SIM_P_COUNT ? &emitters[id] : NULL;

	if (!x || !(x->effect || x->proc_fmt || x->tid_fmt || x->range ||
		    x->emit)) {
		g_set_error(error, g_quark_from_static_string("promela"), 1,
			    "promela: primitive %d (%s) has no translation",
			    id, x ? sim_prims[id].name : "?");
		return FALSE;
	}
	e->x = x;
	for (size_t i = 0; i < G_N_ELEMENTS(x->check) && x->check[i]; i++)
		broken_if(e, x->check[i]);
	if (x->effect)
		out(e, "%s", x->effect);
	if (x->proc_fmt)
		out(e, x->proc_fmt, e->proc);
	if (x->tid_fmt)
		out(e, x->tid_fmt, e->tid);
	if (x->range) {
		char *body = g_strdup_printf(x->range, e->tid);
		for_range(e, body);
		g_free(body);
	}
	if (x->emit)
		x->emit(e);
	return TRUE;
}

/* ---- threads ------------------------------------------------------------
 * A thread's code is its step blocks (`P<f>_<pc>: atomic { ... }`, one
 * per primitive node) and one atomic block holding every local node once
 * (`L<f>_<pc>:`), which steps jump into.  SPIN keeps a process atomic
 * while it moves between statements inside atomic sequences, and the
 * start of a step block is where it lets the others run: so a step's
 * local tail runs without interleaving, and the jump to the next step
 * block ends the step. */

static void label(GString *s, const char *kind, int f, int pc)
{
	g_string_append_printf(s, "%s%d_%d", kind, f, pc);
}

/* The label a step ending at node N (END_NODE: the thread's `end`)
 * passes when it completed an op. */
static void progress_label(GString *s, gpointer n)
{
	if (n == END_NODE)
		g_string_append(s, "progress_end");
	else
		label(s, "progressP", NODE_F(n), NODE_PC(n));
}

/* The step ends, at node N (a primitive's, or END_NODE): the scratch
 * variables cleared (o->no_hidden), and with o->progress a step that
 * completed an op (v_op, ret()) passes N's progress label on the way;
 * thread() writes the labels, from w->labels. */
static void step_end(Walk *w, GString *s, gpointer n)
{
	/* the skip: a label may be right before, and SPIN refuses a jump
	 * to the start of a d_step */
	if (w->o->no_hidden)
		g_string_append(s, "\t\tskip;\n\t\td_step { scratch_clear() };\n");
	if (!w->o->progress)
		return;
	g_string_append(s, "\t\tif :: v_op -> v_op = 0; goto ");
	progress_label(s, n);
	g_string_append(s, " :: else fi;\n");
	if (g_hash_table_contains(w->progress, n))
		return;
	g_hash_table_add(w->progress, n);
	progress_label(w->labels, n);
	g_string_append(w->labels, ":\n\tskip;\n\tgoto ");
	if (n == END_NODE)
		g_string_append(w->labels, "end");
	else
		label(w->labels, "P", NODE_F(n), NODE_PC(n));
	g_string_append(w->labels, ";\n");
}

/* Jump to (F, PC) from within a step: into the local block, or out to
 * the primitive's step block, after the quiescence check the step ends
 * with. */
static void go(Walk *w, GString *s, int f, int pc)
{
	gpointer n = NODE(f, pc);
	bool prim = insn(w, f, pc)->op == SIM_I_PRIM;

	if (!g_hash_table_contains(w->seen, n)) {
		g_hash_table_add(w->seen, n);
		g_queue_push_tail(&w->todo, n);
	}
	/* a step that ends with the thread outside any op may leave the
	 * world quiescent (step.c: all_quiescent); so may one that returns
	 * from an op (ret()) */
	if (prim && frame(w, f)->depth == 1)
		g_string_append(s, "\t\td_step { quiescent_end() };\n");
	if (prim)
		step_end(w, s, n);
	g_string_append(s, "\t\tgoto ");
	label(s, prim ? "P" : "L", f, pc);
	g_string_append(s, "\n");
}

static void model_error(GString *s, const SimProc *pr, const SimInsn *in,
			const char *what)
{
	g_string_append_printf(s, "\t\t/* %s:%d:%d: %s */\n\t\tBROKEN\n",
			       pr->file, in->line, in->col, what);
}

static const char *const alu_ops[SIM_ALU_COUNT] = {
	[SIM_ALU_ADD] = "+", [SIM_ALU_SUB] = "-", [SIM_ALU_MUL] = "*",
	[SIM_ALU_DIV] = "/", [SIM_ALU_MOD] = "%", [SIM_ALU_EQ] = "==",
	[SIM_ALU_NE] = "!=", [SIM_ALU_LT] = "<", [SIM_ALU_LE] = "<=",
	[SIM_ALU_GT] = ">", [SIM_ALU_GE] = ">=", [SIM_ALU_AND] = "&&",
	[SIM_ALU_OR] = "||",
};

/* step.c do_call(): arguments into the callee's registers; the thread's
 * first op call resets the per-op bookkeeping. */
static void call(Walk *w, GString *s, int f, int pc)
{
	const SimInsn *in = insn(w, f, pc);
	int c;

	if (frame(w, f)->depth >= SIM_FRAMES_MAX ||
	    frame(w, f)->base + proc_of(w, f)->nregs +
	    w->p->procs[in->target]->nregs > SIM_REGS_MAX) {
		model_error(s, proc_of(w, f), in, "call nests deeper than "
			    "SIM_FRAMES_MAX frames or SIM_REGS_MAX registers");
		return;
	}
	c = callee_frame(w, f, pc);
	const SimProc *callee = proc_of(w, c);
	for (int i = 0; i < in->nargs; i++) {
		g_string_append(s, "\t\t");
		reg(s, w, c, i);
		g_string_append(s, " = ");
		arg(s, w, f, &in->arg[i]);
		g_string_append(s, ";\n");
	}
	if (frame(w, f)->depth == 1) {
		if (callee->is_op)
			g_string_append_printf(s, "\t\tth_inval[%d] = 0;\n"
					       "\t\tth_discarded[%d] = 0;\n"
					       "\t\tdold_clear(%d);\n",
					       w->tid, w->tid, w->tid);
		if (callee->is_op && strcmp(callee->name, "fsync") == 0)
			g_string_append_printf(s, "\t\tth_fsync[%d] = "
					       "cache_dirty;\n", w->tid);
	}
	go(w, s, c, 0);
}

/* step.c do_return(): dead registers cleared, the result to the caller;
 * the outermost op's postconditions and checks. */
static void ret(Walk *w, GString *s, int f, int pc)
{
	const SimInsn *in = insn(w, f, pc);
	const Frame *fr = frame(w, f);
	const SimProc *callee = proc_of(w, f);

	g_string_append(s, "\t\tv_rv = ");
	if (in->nargs)
		arg(s, w, f, &in->arg[0]);
	else
		g_string_append(s, "0");
	g_string_append(s, ";\n");
	for (int r = 0; r < callee->nregs; r++) {
		g_string_append(s, "\t\t");
		reg(s, w, f, r);
		g_string_append(s, " = 0;\n");
	}
	if (fr->depth == 1) {
		g_string_append_printf(s, "\t\tth_status[%d] = DONE;\n"
				       "\t\td_step { quiescent_end() };\n",
				       w->tid);
		step_end(w, s, END_NODE);
		g_string_append(s, "\t\tgoto end\n");
		return;
	}
	const SimInsn *site = insn(w, fr->parent, fr->call_pc);
	if (site->dst != SIM_NOREG) {
		g_string_append(s, "\t\t");
		reg(s, w, fr->parent, site->dst);
		g_string_append(s, " = v_rv;\n");
	}
	if (fr->depth == 2) {
		g_string_append_printf(s, "\t\tth_inop[%d] = 0;\n", w->tid);
		if (callee->is_op)
			g_string_append_printf(s, "\t\td_step { op_return(%d) };\n%s",
					       w->tid, w->o->progress ?
					       "\t\tv_op = 1;\n" : "");
		/* the thread is out of its op until its next op's first
		 * step: the local code up to it changes nothing the
		 * quiescence check reads */
		g_string_append(s, "\t\td_step { quiescent_end() };\n");
	}
	go(w, s, fr->parent, fr->call_pc + 1);
}

/* The local statement at (F, PC), into the local block S. */
static void local(Walk *w, GString *s, int f, int pc)
{
	const SimInsn *in = insn(w, f, pc);

	label(s, "L", f, pc);
	g_string_append(s, ":\n");
	switch ((SimOpcode)in->op) {
	case SIM_I_MOV:
		if (in->dst != SIM_NOREG) {
			g_string_append(s, "\t\t");
			reg(s, w, f, in->dst);
			g_string_append(s, " = ");
			arg(s, w, f, &in->arg[0]);
			g_string_append(s, ";\n");
		}
		go(w, s, f, pc + 1);
		return;
	case SIM_I_ALU:
		if (in->sub == SIM_ALU_DIV || in->sub == SIM_ALU_MOD) {
			g_string_append(s, "\t\tif :: (");
			arg(s, w, f, &in->arg[1]);
			g_string_append(s, ") == 0 -> BROKEN :: else fi;\n");
		}
		if (in->dst != SIM_NOREG) {
			g_string_append(s, "\t\t");
			reg(s, w, f, in->dst);
			g_string_append(s, " = (");
			if (in->sub == SIM_ALU_NOT) {
				g_string_append(s, "!(");
				arg(s, w, f, &in->arg[0]);
				g_string_append(s, ")");
			} else {
				arg(s, w, f, &in->arg[0]);
				g_string_append_printf(s, " %s ",
						       alu_ops[in->sub]);
				arg(s, w, f, &in->arg[1]);
			}
			g_string_append(s, ");\n");
		}
		go(w, s, f, pc + 1);
		return;
	case SIM_I_JMP:
		go(w, s, f, in->target);
		return;
	case SIM_I_JZ:
		g_string_append(s, "\t\tif\n\t\t:: (");
		arg(s, w, f, &in->arg[0]);
		g_string_append(s, ") == 0 ->\n");
		go(w, s, f, in->target);
		g_string_append(s, "\t\t:: else ->\n");
		go(w, s, f, pc + 1);
		g_string_append(s, "\t\tfi\n");
		return;
	case SIM_I_CALL:
		call(w, s, f, pc);
		return;
	case SIM_I_RET:
		ret(w, s, f, pc);
		return;
	case SIM_I_PRIM:
	case SIM_I_COUNT:
		break;
	}
	SIM_ASSERT(!"local: not a local instruction");
}

/* The step of the primitive at (F, PC): guard, handler, results, then on
 * to the local code after it. */
static gboolean step_block(Walk *w, GString *s, int f, int pc,
			   GError **error)
{
	const SimInsn *in = insn(w, f, pc);
	Emit e = { .w = w, .s = s, .in = in, .tid = w->tid,
		   .proc = w->p->scn->threads[w->tid].proc };

	label(s, "P", f, pc);
	g_string_append_printf(s, ": /* %s:%d:%d %s */\n\tatomic { started == "
			       "NT && th_status[%d] == RUN ->\n"
			       "\t\td_step {\n"
			       "\t\tv_wq = 0;\n\t\tv_sl = 0;\n"
			       "\t\tv_r0 = 0;\n\t\tv_r1 = 0;\n",
			       proc_of(w, f)->file, in->line, in->col,
			       sim_prims[in->sub].name, w->tid);
	for (int i = 0; i < in->nargs; i++) {
		g_string_append_printf(s, "\t\tv_a%d = ", i);
		arg(s, w, f, &in->arg[i]);
		g_string_append(s, ";\n");
	}
	if (!emit_prim(&e, error))
		return FALSE;
	g_string_append_printf(s, "\t\tskip\n\t\t};\n\t\tif :: v_sl -> %sgoto ",
			       w->o->no_hidden ? "d_step { scratch_clear() }; " :
			       "");
	label(s, "P", f, pc);
	g_string_append(s, " :: else fi;\n");
	/* step.c sim_step: the thread has taken a step of its op */
	if (frame(w, f)->depth > 1)
		g_string_append_printf(s, "\t\tth_inop[%d] = 1;\n", w->tid);
	if (in->dst != SIM_NOREG) {
		g_string_append(s, "\t\t");
		reg(s, w, f, in->dst);
		g_string_append(s, " = v_r0;\n");
	}
	if (in->dst2 != SIM_NOREG) {
		g_string_append(s, "\t\t");
		reg(s, w, f, in->dst2);
		g_string_append(s, " = v_r1;\n");
	}
	go(w, s, f, pc + 1);
	g_string_append(s, "\t}\n");
	return TRUE;
}

/* proctype T<tid>: the initial local run (step.c sim_step_init: no
 * thread steps before every thread has run it, `started`), the step
 * blocks, the progress labels (o->progress), and the local block.  A
 * finished thread stays at `end:` (a valid end state) without a step
 * of its own: were it to run on and terminate, SPIN would store each
 * finished thread's two extra positions interleaved with the others'
 * steps. */
static gboolean thread(const SimProgram *p, const SimPromelaOptions *o,
		       int tid, GString *out, GError **error)
{
	Walk w = { .p = p, .o = o, .tid = tid };
	Frame body = { .proc = p->body0 + p->scn->threads[tid].body,
		       .depth = 1, .parent = -1, .call_pc = -1 };
	GString *steps = g_string_new(NULL), *locals = g_string_new(NULL);
	gboolean ok = TRUE;

	w.frames = g_array_new(FALSE, FALSE, sizeof(Frame));
	g_array_append_val(w.frames, body);
	w.seen = g_hash_table_new(NULL, NULL);
	w.progress = g_hash_table_new(NULL, NULL);
	w.labels = g_string_new(NULL);
	g_queue_init(&w.todo);
	w.nregs = 1;
	/* v_wq = 1: the initial run ends in no quiescence check; the
	 * threads run it in tid order, as sim_step_init() does, so SPIN
	 * stores one state per thread started, not every subset */
	g_string_append_printf(steps, "\tatomic {\n\t\tstarted == %d -> "
			       "started++;\n\t\tv_wq = 1;\n", tid);
	go(&w, steps, 0, 0);
	g_string_append(steps, "\t}\n");
	while (ok && !g_queue_is_empty(&w.todo)) {
		gpointer n = g_queue_pop_head(&w.todo);
		int f = NODE_F(n), pc = NODE_PC(n);
		if (insn(&w, f, pc)->op == SIM_I_PRIM)
			ok = step_block(&w, steps, f, pc, error);
		else
			local(&w, locals, f, pc);
	}
	if (ok)
		g_string_append_printf(out, "/* %s in P%d */\nproctype T%d() {\n"
				       "\tshort r[%d];\n%s%s\tatomic {\n\t\tskip;\n"
				       "%s\t}\nend:\n\tfalse\n}\n\n",
				       p->scn->threads[tid].name,
				       p->scn->threads[tid].proc, tid, w.nregs,
				       steps->str, w.labels->str, locals->str);
	g_string_free(w.labels, TRUE);
	g_hash_table_destroy(w.progress);
	g_string_free(steps, TRUE);
	g_string_free(locals, TRUE);
	g_array_free(w.frames, TRUE);
	g_hash_table_destroy(w.seen);
	g_queue_clear(&w.todo);
	return ok;
}

/* init: step.c sim_step_init()'s world, then the threads. */
static void init(const SimProgram *p, const Shape *sh, GString *out)
{
	const SimScenario *scn = p->scn;
	int nb = 0;

	g_string_append_printf(out, "init {\n\tatomic {\n\t\ti_size = %d;\n",
			       scn->i_size);
	for (int pg = 0; pg < sh->npages; pg++) {
		if (!scn->blocks[pg])
			continue;
		nb++;
		g_string_append_printf(out, "\t\tbmap[%d] = %d;\n\t\tb_pgoff[%d]"
				       " = %d;\n\t\tb_state[%d] = B_WRITTEN;\n",
				       pg, nb, nb, pg, nb);
	}
	int nfree = 0;
	for (int b = sh->nblocks; b > nb; b--)
		g_string_append_printf(out, "\t\tfree_stack[%d] = %d;\n",
				       nfree++, b);
	g_string_append_printf(out, "\t\tnfree = %d;\n", nfree);
	for (int t = 0; t < sh->nthreads; t++)
		g_string_append_printf(out, "\t\trun T%d();\n", t);
	g_string_append(out, "\t}\n}\n");
}

/* The first thread whose body can repeat a call of an op (a backward
 * jump over one: conservatively, a bounded `for` counts too), or -1:
 * where none can, no cycle completes an op (promela.h). */
static int body_repeating_op(const SimProgram *p)
{
	for (int t = 0; t < p->scn->nthreads; t++) {
		const SimProc *b = p->procs[p->body0 + p->scn->threads[t].body];
		for (int pc = 0; pc < b->ncode; pc++) {
			const SimInsn *in = &b->code[pc];
			if (!sim_insn_is_jump(in) || in->target > pc)
				continue;
			for (int q = in->target; q <= pc; q++)
				if (b->code[q].op == SIM_I_CALL &&
				    p->procs[b->code[q].target]->is_op)
					return t;
		}
	}
	return -1;
}

/* The header's livelock part (o->progress): how exact the labels are,
 * and how to run pan for it. */
static void header_livelock(const SimProgram *p, const SimPromelaOptions *o,
			    GString *out)
{
	int t = body_repeating_op(p);

	if (t < 0)
		g_string_append(out, " * livelock: exact\n");
	else
		g_string_append_printf(out, " * livelock: one way (%s's body "
			"repeats an op call)\n", p->scn->threads[t].name);
	g_string_append(out,
		" * Livelock (a weakly fair cycle in which a thread never\n"
		" * completes its op): every step that completes an op passes a\n"
		" * progress label, so pan's fair non-progress cycle (-l -f) is a\n"
		" * cycle in which no thread completes one.  ");
	g_string_append(out, t < 0 ?
		"No thread body repeats\n"
		" * an op call, so no cycle completes an op: SPIN finds a\n"
		" * non-progress cycle exactly where faultline finds a livelock.\n" :
		"A thread body repeats\n"
		" * an op call, so a cycle can complete ops: a SPIN non-progress\n"
		" * cycle is a faultline livelock, but a livelock of one thread\n"
		" * while another keeps completing ops is no non-progress cycle\n"
		" * to SPIN (`faultline explore` finds it).\n");
	g_string_append_printf(out,
		" *\n"
		" *   spin -a FILE && cc -O2 -DNP -DNOREDUCE -DVECTORSZ=4096%s "
		"-o pan pan.c && ./pan -l -f -A -E\n",
		o->no_hidden ? " -DNCORE=2" : "");
}

/* The header: what this file is, what it checks and how to run it. */
static void header(const SimProgram *p, const SimPromelaOptions *o,
		   const Shape *sh, SimPropSet props, GString *out)
{
	GString *list = g_string_new(NULL);

	sim_props_format(list, props);
	g_string_append_printf(out,
		"/* %s x %s: generated by `faultline export --promela`.\n"
		" *\n"
		" * The program of %s linked with %s, translated\n"
		" * instruction by instruction: one proctype per thread, each\n"
		" * faultline step (a primitive and the local code up to the next\n"
		" * primitive) one atomic block, so SPIN's interleavings are\n"
		" * faultline's.  The world, the locks (sim/lock.c) and the\n"
		" * checks (sim/oracle.c) are the inline macros below.\n"
		" *\n"
		" * properties: %s\n"
		" * Assertions: the checked properties above, at the points\n"
		" * faultline checks them; a broken model (the engine's model\n"
		" * error) is `assert(!model_broken)`.  Deadlock and lost-wakeup\n"
		" * are SPIN's invalid end state%s.\n"
		" * Not exported: lock-order, wait-order (lockdep's graph)%s\n"
		" * `faultline explore`.\n"
		"%s"
		" *\n"
		" *   spin -a FILE && cc -O2 -DSAFETY -DNOFAIR -DVECTORSZ=4096%s "
		"-o pan pan.c && ./pan%s\n", p->scn->name, p->model->name,
		p->scn->file, p->model->file, list->str,
		(props & END_STATE_PROPS) ? "" :
		" (not checked by this scenario: run pan with -E)",
		o->progress ? ": check those with" : " and\n"
		" * livelock (a property of cycles): check those with",
		o->no_hidden ? " * Scratch variables are state, cleared at every "
		"step's end, for\n * pan -DNCORE (which refuses hidden "
		"variables).\n" : "",
		o->no_hidden ? " -DNCORE=2" : "",
		(props & END_STATE_PROPS) ? "" : " -E");
	if (o->progress)
		header_livelock(p, o, out);
	g_string_append(out, " */\n");
	g_string_free(list, TRUE);
	g_string_append_printf(out, "#define NT %d\n#define NP %d\n"
			       "#define NPG %d\n#define NB %d\n#define NL %d\n"
			       "#define HELD_MAX %d\n#define ENTRY_BASE %d\n"
			       "#define TMASK %s\n#define PMASK %s\n",
			       sh->nthreads, sh->nprocs, sh->npages,
			       sh->nblocks, sh->nlocks, SIM_HELD_MAX,
			       p->lock_base[SIM_LOCKDECL_ENTRY],
			       sh->nthreads <= 8 ? "byte" : "int",
			       sh->npages <= 8 ? "byte" : "int");
	for (size_t i = 0; i < G_N_ELEMENTS(asserted); i++)
		g_string_append_printf(out, "#define %s %d\n",
				       asserted[i].macro,
				       (props >> asserted[i].prop) & 1);
	g_string_append(out, "#define QUIESCENT (");
	for (int t = 0; t < sh->nthreads; t++)
		g_string_append_printf(out, "%sth_inop[%d] == 0",
				       t ? " && " : "", t);
	g_string_append(out, ")\n\n");
}

/* The scratch variables' declarations and, o->no_hidden, their
 * clearing; o->progress's v_op (set by a step that completes an op). */
static void scratch_vars(const SimPromelaOptions *o, GString *out)
{
	const char *hidden = o->no_hidden ? "" : "hidden ";

	for (size_t i = 0; i < G_N_ELEMENTS(scratch); i++)
		g_string_append_printf(out, "%s%s %s;\n", hidden,
				       scratch[i].type, scratch[i].names);
	if (o->progress)
		g_string_append_printf(out, "%sbyte v_op;\n", hidden);
	if (!o->no_hidden)
		return;
	g_string_append(out, "inline scratch_clear() {\n");
	for (size_t i = 0; i < G_N_ELEMENTS(scratch); i++) {
		char **v = g_strsplit(scratch[i].names, ", ", -1);
		for (int k = 0; v[k]; k++)
			g_string_append_printf(out, "\t%s = 0;\n", v[k]);
		g_strfreev(v);
	}
	g_string_append(out, "}\n");
}

char *sim_promela_export(const SimProgram *p, const SimPromelaOptions *opt,
			 GError **error)
{
	static const SimPromelaOptions none = { 0 };
	const SimPromelaOptions *o = opt ? opt : &none;
	Shape sh = shape_of(p);
	GString *out;

	/* a waiter is tid | mode << 4 (lock.c); masks are at most 31 bits */
	if (sh.nthreads > 16 || sh.npages > 31 || sh.nblocks > 30) {
		g_set_error(error, g_quark_from_static_string("promela"), 1,
			    "%s: promela: %d threads, %d pages, %d blocks: the "
			    "translation packs at most 16, 31, 30",
			    p->scn->file, sh.nthreads, sh.npages, sh.nblocks);
		return NULL;
	}
	out = g_string_new(NULL);
	header(p, o, &sh, sim_promela_props(p->scn), out);
	g_string_append(out, prelude_world);
	scratch_vars(o, out);
	g_string_append(out, prelude_rules);
	for (int t = 0; t < sh.nthreads; t++) {
		if (!thread(p, o, t, out, error)) {
			g_string_free(out, TRUE);
			return NULL;
		}
	}
	init(p, &sh, out);
	return g_string_free(out, FALSE);
}
