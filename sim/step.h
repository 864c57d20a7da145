/*
 * step.h - execute one atomic step of one thread.
 *
 * A step is one primitive (prim.h) of one thread, followed by the thread's
 * local instructions up to its next primitive.  Primitives dispatch through
 * a handler table in step.c in SimPrimId order.  While a step runs, the
 * oracles (oracle.h) are consulted where each property is precise: at an
 * access, when an op returns, and when the world becomes quiescent.
 *
 * The caller owns the world; sim_step() changes only W and CTX.  Nothing
 * here allocates unless CTX asks for text (ctx->text / ctx->msg), so the
 * search runs the same code with no formatting cost.
 *
 * Three outcomes (G7): the step ran (ctx->found may name violated
 * properties: a race, the product); the model is broken (ctx->model_error,
 * with the model file:line in ctx->msg); or the engine is broken
 * (SIM_ASSERT aborts with the step number).
 */
#ifndef SIM_STEP_H
#define SIM_STEP_H

#include <glib.h>
#include "bitset.h"
#include "bug.h"
#include "prog.h"
#include "stepctx.h"
#include "world.h"

/* sim_step_init - the scenario's initial world for program P, every thread
 * parked at its first primitive.  Returns false (ctx->model_error) if a
 * thread body misbehaves before its first primitive. */
bool sim_step_init(SimWorld *w, const SimProgram *p, SimStepCtx *ctx);

/* sim_step_world_new - a world shaped for program P (sim_step_init fills
 * it); sim_step_notes_new - its annotations.  Both freed with g_free. */
SimWorld *sim_step_world_new(const SimProgram *p);

/* sim_step_runnable - the threads that can take a step. */
SimThreadSet sim_step_runnable(const SimWorld *w);

/* sim_thread_count - threads in set M. */
static inline int sim_thread_count(SimThreadSet m)
{
	return sim_bits_count64(m);
}

/* sim_step - run one step of thread TID, which must be runnable. */
void sim_step(SimWorld *w, int tid, SimStepCtx *ctx);

/* sim_step_next_insn - the instruction TID is parked at, or NULL. */
const SimInsn *sim_step_next_insn(const SimWorld *w, const SimProgram *p,
				  int tid);

/* sim_step_is_fsync - whether OP is fsync: a thread's body calling it
 * snapshots the dirty CPU cache lines its return must find flushed
 * (oracle.h: lost-flush). */
bool sim_step_is_fsync(const SimProc *op);

/* sim_step_lock_target - the lock instance TID's next step (a primitive
 * that names a lock class, SIM_PA_LOCK) takes or drops, or -1 if its
 * arguments are out of range.  For partial-order reduction. */
int sim_step_lock_target(const SimWorld *w, const SimProgram *p, int tid);

#endif
