/*
 * livelock.h - fair non-progress cycles of the unreduced state graph.
 *
 * A livelock is a reachable cycle of states in which some unfinished
 * thread never completes its op and which is weakly fair (every thread
 * runnable in every state of the cycle takes a step in it).  The check
 * runs on the unreduced graph (SimGraph), recorded by a search without
 * reduction (dfs.h with s->g set, or par.h's workers on several
 * threads); livelock.c argues why, and how the components are checked.
 * sim_livelock_may_cycle() says whether a program's graph can have a
 * cycle at all.
 */
#ifndef SIM_LIVELOCK_H
#define SIM_LIVELOCK_H

#include "graph.h"
#include "searchctx.h"

/* A visitor of the graph's edges in the one-thread search's order: the
 * depth-first walk from the root (state 0), each state's edges in
 * adjacency order.  EDGE(DATA, E, TIDS, N, FIRST) for every edge E, TIDS
 * the thread ids of the walk's path through E (N steps: E's is the last),
 * FIRST whether E's destination is reached first through E. */
typedef struct {
	void (*edge)(void *data, const SimEdge *e, const int *tids, int n,
		     bool first);
	void *data;
} SimGraphVisit;

/* sim_livelock_check - find a livelock in C (complete or not: a cycle
 * found is real), of the lowest-numbered thread that has one; on one,
 * record prefix + cycle as its counterexample (s->r->cycle_from).  The
 * check walks the graph in VISIT's order once anyway: VISIT (may be
 * NULL) is given that walk's edges. */
void sim_livelock_check(SimSearch *s, const SimCsr *c,
			const SimGraphVisit *visit);

/* sim_livelock_may_cycle - whether P's state graph can have a cycle at
 * all (livelock.c argues the test); without one there is no livelock and
 * the search skips the unreduced pass.  Exposed so tests can check the
 * claim by search. */
bool sim_livelock_may_cycle(const SimProgram *p);

#endif
