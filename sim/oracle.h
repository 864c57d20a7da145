/*
 * oracle.h - the race detectors.
 *
 * Each property is checked where it is precise (README: "Properties"):
 *
 *   at the access   write-to-freed (user store, DIO write, cache flush,
 *                   writeback, zeroing of a block the file no longer owns),
 *                   uninit-read (a load of a block never zeroed or written
 *                   for this file, or of a page read from one),
 *                   lost-store (zeroing a block a completed store wrote);
 *   at op return    stale-pte (a PTE maps a block the file no longer has at
 *                   that offset, or an offset past i_size, and no op still
 *                   running has removed that offset), lost-store (the op
 *                   dropped a dirty page at an offset it did not remove),
 *                   lost-flush (fsync returns while a cache line dirty when
 *                   it started is still dirty, its block not freed since:
 *                   world.c's free drops it from fsync_pending);
 *   at quiescence   stale-pte and stale-zero-page (a zero-page PTE over an
 *                   offset that now has a block), after a step that leaves
 *                   no thread inside an op (a thread that has not taken a
 *                   step of its next op is not inside it);
 *   when stuck      deadlock (a wait-for cycle) and lost-wakeup (a sleeper
 *                   on a lock nobody holds), when no thread can run.
 *
 * lock-order is lockdep.h's; livelock, a property of cycles rather than
 * of states, is explore.h's.  Each function adds the property bit to
 * ctx->found and, when ctx->msg is set, a message naming the thread, the
 * step, the pgoff, the block and the op responsible.
 */
#ifndef SIM_ORACLE_H
#define SIM_ORACLE_H

#include "stepctx.h"
#include "world.h"

/* A block write by TID: user store, DIO, flush, writeback, zeroing. */
void sim_oracle_block_write(const SimWorld *w, int tid, int pgoff, int b,
			    const char *how, SimStepCtx *ctx);

/* A read by TID through a PTE to block B (or page-cache page, b == 0,
 * of PGOFF). */
void sim_oracle_read(const SimWorld *w, int tid, int pgoff, int b,
		     SimStepCtx *ctx);

/* zero_block(B) by TID: lost-store if a completed store's data dies. */
void sim_oracle_zero(const SimWorld *w, int tid, int b, SimStepCtx *ctx);

/* TID's outermost op (procedure PROC) is returning. */
void sim_oracle_op_return(const SimWorld *w, int tid, int proc,
			  SimStepCtx *ctx);

/* No thread is inside an op. */
void sim_oracle_quiescent(const SimWorld *w, SimStepCtx *ctx);

/* No thread can run and some are not done: deadlock or lost-wakeup. */
void sim_oracle_stuck(const SimWorld *w, SimStepCtx *ctx);

/* sim_oracle_watched - the pgoffs at which the op-return and quiescence
 * checks read the block map and i_size, into SET (w->pgset bytes): those
 * with a PTE in some process or a page in the page cache.  At any other
 * pgoff they read only that there is neither, and flag nothing, whatever
 * the block map and i_size say (por.h: the op boundary's footprint). */
void sim_oracle_watched(const SimWorld *w, uint8_t *set);

/* sim_oracle_pte_flagged - whether the op-return or quiescence checks
 * can flag PTE at PGOFF in W: it is stale (stale-pte: past i_size, or
 * not what the file has there) or maps the zero page over a block
 * (stale-zero-page).  A PTE write that leaves this false before and
 * after changes nothing those checks report (por.h: CL_SEEN). */
bool sim_oracle_pte_flagged(const SimWorld *w, const SimPte *pte, int pgoff);

/* Whether thread TID is inside an op: a frame above its body, and it has
 * taken a step of that op. */
bool sim_oracle_in_op(const SimWorld *w, int tid);

#endif
