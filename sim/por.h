/*
 * por.h - partial-order reduction: footprints, futures, persistent sets.
 *
 * A transition is "thread T takes its next step".  Its footprint (SimFp)
 * is a 64-bit class mask computed from the primitive and its argument
 * values (por.c's prim_fp(), checked against step.c's handlers): the
 * page-indexed objects are one class per pgoff (block map entry,
 * page-cache page, DAX entry, page lock, entry lock, each process's
 * PTE), the rest are whole (i_size, the allocator's free stack, block
 * contents and owners, CPU cache lines, other lock classes by instance).
 * An "op boundary" pseudo-class stands for the oracles that run when an
 * op returns or a new one starts: such a step reads what those oracles
 * read (por.c lists them); which threads are inside an op orders an
 * op's return against another thread's first step of an op, and two
 * returns only where one removed offsets the other's check excuses
 * (por.c, op_dep()).  With oracle reads counted
 * as reads, a property flagged by a step depends only on what the step
 * reads, so commuting independent steps never changes what is flagged.
 * Those oracles read the block map and i_size only at the pgoffs that
 * have a PTE or a page (sim_oracle_watched): a step writing the block
 * map elsewhere commutes with another thread's op return.  Which pgoffs
 * are watched depends on the state: a footprint's SimFp.brd is the
 * state's, and a persistent set takes every pgoff some live thread may
 * still map (SimFuture.maps).
 *
 * A thread's future (SimFuture: what it may still do) comes from walks
 * of the IR from each frame's pc that know the frame's registers (a
 * branch its registers decide goes one way; loops.h gives the pgoff
 * spans of what they do not decide), memoised per SimPor.  What a
 * thread may do only once a find_page found a page, a get_block found a
 * hole or an unwritten block, or an i_size check passed is told apart
 * (SimFuture.gate): when that is not so now and no thread outside a
 * persistent set's seed can make it so, it does not happen on the paths
 * the set must cover.
 *
 * A future depends on the thread's own SimThread only (frames,
 * registers, process), which a step of another thread never changes:
 * the search may keep it from one state to the next, and a footprint
 * too unless SimFp.refresh says it depends on more (a user access goes
 * where the thread's PTE points; a PTE install is seen by the boundary
 * oracles only if the PTE is flagged, por.c's by_state()) and the step
 * taken may have changed that (sim_por_fp_kept).
 *
 * The oracles see of the page tables only which PTEs they flag
 * (sim_oracle_pte_flagged: stale, or the zero page over a block): a
 * pseudo-class, SEEN, that a PTE write writes unless it leaves its PTE
 * unflagged before and after, knowing so by reading i_size and the
 * block map there (por.c, CL_BOUNDARY).  The lost-flush check reads the
 * dirty lines only for a thread in fsync, and an fsync starting copies
 * them: only threads that run fsync read them at their boundaries.
 *
 * Readers share: a down_read or up_read of an rwsem that no writer holds
 * or waits for neither blocks nor wakes anyone, so it commutes with
 * another thread's such step (the reader counts add up), and with
 * everything a thread that never takes the rwsem but for read may still
 * do: while only readers move, no writer appears (a writer-to-be is
 * dependent, so it joins the persistent set), and a reader is always
 * granted (SimFp.shared, SimFuture.xlocks).
 *
 * The ample set of a state is the smallest persistent set over its
 * runnable threads: for each seed, {seed} closed under "a thread outside
 * may still do something dependent with the next step of a thread
 * inside".  What a thread outside may still do is counted only up to
 * its first acquisition of a mutex or rwsem the inside thread holds
 * that would sleep: on the paths the set must cover the holder does not
 * step, so the other never gets past it (por.c, Futures).  A blocked
 * thread that has to join brings in the holders of the lock it sleeps
 * on, the only threads that can wake it; one asleep on something else
 * (an entry's wait bit) makes the set every thread.  Sleep sets and the
 * cycle proviso are the DFS's (dfs.h).
 */
#ifndef SIM_POR_H
#define SIM_POR_H

#include <stdbool.h>
#include <stdint.h>
#include "prog.h"
#include "world.h"

/* A next step's footprint: classes read and written, and the lock
 * instance it takes or drops (SIM_POR_LOCK_NONE, SIM_POR_LOCK_ANY). */
typedef struct {
	uint64_t rd, wr;
	int lock;
	int8_t decl;            /* the lock's class, if lock >= 0 */
	bool reader;            /* down_read / up_read of an rwsem */
	bool shared;            /* reader, and no writer holds or waits for
				 * the rwsem: it neither blocks nor wakes,
				 * and commutes with any other such step */
	bool boundary;          /* may end its op: runs the boundary
				 * oracles (rd has what they read at every
				 * pgoff) */
	bool enters;            /* the first step of an op: the thread is
				 * inside it after */
	bool excuses;           /* a boundary step of an op that removed
				 * offsets (inval): other ops' return
				 * checks excuse them while it runs */
	bool refresh;           /* depends on more than the thread's own
				 * SimThread: on what it reads (where a
				 * user access goes, whether a PTE install
				 * is seen: sim_por_fp_kept); a reader's
				 * sharing depends on the lock
				 * (sim_por_fp_reshare) */
	uint8_t maps;           /* pgoffs where it may map a PTE or add a
				 * page: its own boundary oracles run with
				 * them watched */
	uint64_t brd;           /* what they read in this state beyond
				 * that: block map and i_size at the watched
				 * pgoffs and at maps (sim_por_ample
				 * refreshes them) */
} SimFp;

#define SIM_POR_LOCK_NONE (-1)
#define SIM_POR_LOCK_ANY (-2)           /* some lock, not known which */

/* The kinds of condition a gate names (por.c, Futures, Gates). */
#define SIM_POR_GATE_KINDS 3

/* Gated parts a future tells apart by pgoff (por.c, Futures, Gates:
 * those of the hole kind). */
#define SIM_POR_GATED 2

/* What a thread may do only on paths whose condition of kind KIND held
 * at one of PAGES (a subset of SimFuture's). */
typedef struct {
	uint64_t rd, wr;
	uint16_t locks, xlocks;
	uint8_t adds;
	uint8_t kind, pages;
} SimGated;

/* What a thread may still do. */
typedef struct {
	uint64_t rd, wr;
	uint16_t locks;         /* lock classes it may take, but the page
				 * and entry locks (classes of rd / wr) */
	uint16_t xlocks;        /* those it may take or drop other than by
				 * down_read / up_read */
	/* Per kind k, what it may do unless the state comes to meet the
	 * condition of kind k at one of GATE's pgoffs of that kind
	 * (subsets of the above): the rest is reachable only so (por.c,
	 * Futures, Gates) */
	uint64_t urd[SIM_POR_GATE_KINDS], uwr[SIM_POR_GATE_KINDS];
	uint16_t ulocks[SIM_POR_GATE_KINDS], uxlocks[SIM_POR_GATE_KINDS];
	uint8_t uadds[SIM_POR_GATE_KINDS];
	uint32_t gate;
	/* The rest of the hole kind told apart by the pgoffs of its
	 * condition: what is not in u*[1] is in one of NGATED parts */
	SimGated gated[SIM_POR_GATED];
	uint8_t ngated;
	uint8_t adds;           /* pgoffs where it may add a page */
	uint8_t holes;          /* pgoffs where it may free or move blocks */
	uint8_t maps;           /* pgoffs where it may map a PTE or add a
				 * page, so that they become watched */
	bool live;              /* not done */
	bool enters, leaves;    /* may start an op, return from one */
	bool excuses;           /* its returns may excuse offsets */
} SimFuture;

/* A thread's futures cut at the locks other threads hold (por.c,
 * frozen_by), each computed when a persistent set first asks for it.
 * Like the whole future they depend on the thread's own SimThread only:
 * a search keeps them from state to state while the thread does not
 * step, and clears KNOWN when it does.  CUT has sim_por_cuts() entries,
 * the caller's. */
typedef struct {
	uint32_t known;         /* bit i: cut[i] computed */
	SimFuture *cut;
} SimCuts;

typedef struct SimPor SimPor;

/* sim_por_new - the analyses of P: op-boundary reachability always,
 * futures if FUTURES (sim_por_future() needs them). */
SimPor *sim_por_new(const SimProgram *p, bool futures);
void sim_por_free(SimPor *por);

/* sim_por_next_fp - the footprint of runnable thread TID's next step. */
SimFp sim_por_next_fp(const SimPor *por, const SimWorld *w, int tid);

/* sim_por_step_fp - the same but its boundary reads (SimFp.brd 0): the
 * search's, since sim_por_ample sets them in every state that compares
 * footprints, and they cost a scan of the page tables. */
SimFp sim_por_step_fp(const SimPor *por, const SimWorld *w, int tid);

/* sim_por_fp_kept - whether FP, the footprint of a thread's next step,
 * still holds after another thread takes a step of footprint VIA (both
 * of the state before it), but for a reader's sharing, which depends on
 * the lock: sim_por_fp_reshare() sets it anew.  What FP depends on
 * beyond the thread is what it reads, which VIA then did not write.  One
 * exception is safe: a PTE install seen by the oracles reads nothing to
 * know so (por.c's by_state()), and may become unseen; kept, it stays
 * seen, which only orders it against more. */
bool sim_por_fp_kept(const SimFp *fp, const SimFp *via);

/* sim_por_fp_reshare - set the sharing (SimFp.shared) of FP, a reader's
 * footprint (SimFp.reader), to W's. */
void sim_por_fp_reshare(const SimWorld *w, SimFp *fp);

/* sim_por_future - everything TID may still do (empty when done). */
SimFuture sim_por_future(const SimPor *por, const SimWorld *w, int tid);

/* sim_por_cuts - how many cut futures a thread of POR's program has
 * (SimCuts.cut): at most 32. */
int sim_por_cuts(const SimPor *por);

/* sim_por_dependent - whether next steps A and B of two threads may not
 * commute. */
bool sim_por_dependent(const SimFp *a, const SimFp *b);

/* sim_por_ample - the smallest persistent set of W's ENABLED threads,
 * given each enabled thread's next step FP[t] and each thread's future
 * FUT[t] (with CUTS[t] its cut futures so far, filled as needed).
 * When two or more are enabled (only then are two next steps
 * compared) it first sets their boundary reads (SimFp.brd) to W's:
 * unlike the rest of a footprint they depend on the other threads' PTEs
 * and pages, so one copied from the parent state may be stale. */
SimThreadSet sim_por_ample(const SimPor *por, const SimWorld *w,
			   SimThreadSet enabled, SimFp *fp,
			   const SimFuture *fut, SimCuts *const *cuts);

/* sim_por_fits - whether the footprints can tell W's pages and
 * processes apart (8 pages, 2 processes): a world shaped larger is
 * searched without reduction. */
bool sim_por_fits(const SimWorld *w);

/* sim_por_independent - whether the next steps of threads T and U
 * (both runnable in W) commute under the footprints the reduction uses:
 * running them in either order reaches the same state and flags the same
 * properties.  Exposed so tests can check the claim by execution. */
bool sim_por_independent(const SimWorld *w, const SimProgram *p, int t,
			 int u);

/* sim_por_check_futures - whether the futures the reduction computes
 * are sound along RUN (N worlds, each a successor of the one before):
 * for every thread T and i <= j, T's next step in RUN[j] lies within
 * T's future computed in RUN[i] (classes, pgoffs, lock classes), and
 * within its ungated part unless some RUN[i..j] met its gate, and
 * within the gated parts whose pgoffs RUN[i..j] met (SimGated); an
 * add_page, free_blocks or shift_blocks only at pgoffs the future says
 * it may add a page or free blocks at (an add_page outside the gated
 * part unless its gate was met).
 * Returns -1, or the first i where it does not (with *BAD_J, *BAD_T).
 * Exposed so tests can check the analysis by execution. */
int sim_por_check_futures(const SimProgram *p, SimWorld *const *run, int n,
			  int *bad_j, int *bad_t);

#endif
