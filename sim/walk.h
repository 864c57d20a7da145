/*
 * walk.h - random walks and PCT, for spaces too large to search.
 *
 * o->runs runs from the initial world, each to the end or to depth_max,
 * the next thread chosen by a seeded PRNG (prng.h): uniformly among the
 * runnable threads (random), or by probabilistic concurrency testing
 * (pct: distinct random thread priorities, the highest runnable runs,
 * o->pct_depth - 1 random change points that drop the running thread's
 * priority below every other).  Never complete: the bound is "random" or
 * "pct".
 */
#ifndef SIM_WALK_H
#define SIM_WALK_H

#include "searchctx.h"

/* sim_walk_run - S's walks from INIT (s->o->kind RANDOM or PCT). */
void sim_walk_run(SimSearch *s, const SimWorld *init);

#endif
