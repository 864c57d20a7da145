/*
 * par.h - the unreduced search on several threads (explore --jobs N).
 *
 * When livelock is checked and the program can cycle, the search is the
 * unreduced one (every transition of the state graph, livelock.h), and
 * it needs no search order - no sleep sets, no cycle proviso - so it is
 * run by N workers at once over one lock-free fingerprint set
 * (visited.h, SimFpSet): a worker keeps a stack of unexpanded states,
 * expands the top one by every runnable thread, records each transition
 * as an edge (with the lock classes its acquisition orders, lockdep.h)
 * and each state it added first as a node, the properties a step or a
 * stuck state flags beside them, and pushes the new states.  The worker
 * that adds a state owns its expansion, so every state is expanded once
 * and the graph is complete; a worker with work gives the older half of
 * its stack (the shallow states, the big subtrees) to a shared pool when
 * another is idle; the search ends when all are idle and the pool is
 * empty.
 *
 * What the workers find does not depend on N or the schedule when the
 * search is complete: the states are the reachable set, the transitions
 * the sum of their runnable threads, the graph the same up to its
 * numbering (the root is 0).  What depends on an order - the first path
 * to each property, lockdep's first-seen sites, the depth - is then
 * taken from a walk of the graph in the one-thread search's order
 * (sim_par_finish): stdout is the same bytes whatever N is, and the same
 * as dfs.c's unreduced search.  A search stopped by a bound stops where
 * the schedule had got to.
 *
 * The end is sequential but for the gathering: a worker records each
 * state it expands as a node followed by its run of edges, so the
 * states numbered in the order of their runs make the runs, laid end to
 * end, the graph by source (each worker's part gathered on a thread of
 * its own), and the walk is the livelock check's first pass over the
 * graph, not a pass of its own.
 *
 * Growing the set is not concurrent: the worker whose add passes 3/4
 * load raises a flag, the workers park, the last to park grows it.
 * Bounds (--memory-max, --states-max, --time-max, interrupt) are checked
 * by every worker on the shared figures, charged with every worker's
 * arrays.  Only fingerprints, and choices in thread order: explore.c
 * keeps --exact and --swarm on one thread.
 */
#ifndef SIM_PAR_H
#define SIM_PAR_H

#include "livelock.h"
#include "searchctx.h"

typedef struct SimPar SimPar;

/* More workers than this only contend (explore.c uses at most this). */
#define SIM_PAR_JOBS_MAX 64

/* sim_par_new - the unreduced search S (s->reduce off, s->g the graph
 * to fill, s->r its result, s->lockdep the lock-order graph to feed)
 * from INIT, for up to JOBS workers. */
SimPar *sim_par_new(SimSearch *s, const SimWorld *init, int jobs);

/* sim_par_work - be one of the workers until the search ends; called on
 * at most JOBS threads at once, any of them late (then it helps with
 * what is left, or returns at once if nothing is). */
void sim_par_work(SimPar *par);

/* sim_par_finish - once every sim_par_work() has returned: the figures,
 * bound and model error into s->r, the graph's states into s->g and the
 * graph by source into *C (sim_csr_free; s->g keeps no edges), and,
 * unless a model error stopped it, the livelock check (livelock.h) with
 * the walk in the one-thread order as its first pass: the paths to the
 * properties flagged, lockdep fed and sited, the depth; frees PAR. */
void sim_par_finish(SimPar *par, SimCsr *c);

#endif
