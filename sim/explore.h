/*
 * explore.h - search every interleaving of a scenario under a model.
 *
 * Three drivers share the stepper (step.h) and differ only in how they
 * choose the next thread (G4: one chooser idea, no mode #ifdefs):
 *
 *   exhaustive  stateful depth-first search over the state graph with a
 *               visited set of 64-bit state fingerprints (visited.h), and
 *               partial-order reduction from step footprints (off with
 *               por = false); complete unless a bound is hit;
 *   random      N seeded random walks (sim/prng), for spaces too large;
 *   pct         probabilistic concurrency testing with DEPTH priority
 *               change points, seeded.
 *
 * For every property reached, the result holds a counterexample: the
 * thread sequence with the fewest preemptions, then the fewest steps
 * (found by a 0-1 breadth-first search over (state, last thread) once the
 * property is known reachable), so that it reads like the kernel threads'
 * drawings.  It is replayed through run.h to be drawn; nothing printed
 * comes from anywhere but re-running the model.
 *
 * Deadlock and lost-wakeup are checked at every state with no runnable
 * thread; lock-order and wait-order come from one lockdep graph
 * accumulated over every transition explored; livelock (a reachable,
 * weakly fair cycle in which a thread never completes its op) is found
 * on the unreduced state graph, recorded by the search, which is then
 * unreduced (livelock.c explains why), and drawn as a prefix and a
 * cycle.
 *
 * The options and the result are search.h's.  Inside: explore.c drives
 * dfs.h, par.h or walk.h, then livelock.h and cex.h, over one
 * searchctx.h;
 * the reduction is por.h's, on loops.h's analysis of the IR.
 */
#ifndef SIM_EXPLORE_H
#define SIM_EXPLORE_H

#include <glib.h>
#include "search.h"

/* sim_explore - search P's interleavings as O says.  Returns FALSE only on
 * a model error (r->model_error set); a bound hit is r->complete = false. */
gboolean sim_explore(const SimProgram *p, const SimExploreOptions *o,
		     SimExploreResult *r);

#endif
