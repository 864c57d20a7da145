/*
 * explore.c - the search's driver.  See explore.h.
 *
 * sim_explore() sets up one SimSearch (searchctx.h) and runs
 *
 *   1. the exhaustive search (dfs.h), reduced unless o->por is off, or
 *      the random / PCT walks (walk.h);
 *   2. for the exhaustive search, livelock (livelock.h) on the unreduced
 *      graph: recorded by the search itself when it is unreduced, else
 *      by a second, unreduced pass, and only if the program can cycle
 *      at all;
 *   3. counterexample minimisation (cex.h) for every property found but
 *      the graph's (lock-order, wait-order) and livelock's, again for
 *      whatever the minimised paths pass on the way, until nothing new.
 *
 * The reduction itself is por.h's; the static analysis it rests on,
 * loops.h's.
 */
#include <string.h>
#include "cex.h"
#include "dfs.h"
#include "explore.h"
#include "livelock.h"
#include "walk.h"

/* With reduction on: the unreduced graph in a pass of its own
 * (livelock.c), under the same bounds; its figures go to r->livelock_*. */
static void livelock_pass(SimSearch *s, const SimWorld *init)
{
	SimExploreOptions o = *s->o;
	SimExploreResult r2 = { .complete = true };
	SimSearch s2 = *s;
	SimGraph g;

	o.por = false;
	s2.o = &o;
	s2.r = &r2;
	s2.reduce = false;
	s2.lockdep = NULL;
	s2.next_check = 0;
	s2.stop = false;
	sim_graph_init(&g);
	s2.g = &g;
	sim_dfs_run(&s2, init);
	s->r->livelock_states = r2.states;
	s->r->livelock_transitions = r2.transitions;
	s->r->peak_bytes = MAX(s->r->peak_bytes, r2.peak_bytes);
	if (r2.model_error) {
		s->r->model_error = true;
		if (!s->r->model_error_msg)
			s->r->model_error_msg = g_strdup(r2.model_error_msg);
	} else {
		if (r2.bound)
			sim_search_bound(s, r2.bound);
		sim_livelock_check(s, &g);
	}
	sim_explore_result_clear(&r2);
	sim_graph_free(&g);
}

/* The exhaustive search, and livelock on the unreduced graph: recorded
 * by the search itself without reduction, else by a pass of its own. */
static void explore_exhaustive_livelock(SimSearch *s, const SimWorld *init)
{
	bool cycles = sim_livelock_may_cycle(s->p);
	SimGraph g;

	if (cycles && !s->reduce) {
		sim_graph_init(&g);
		s->g = &g;
	}
	sim_dfs_run(s, init);
	if (s->g) {
		if (!s->r->model_error)
			sim_livelock_check(s, &g);
		sim_graph_free(&g);
		s->g = NULL;
	} else if (cycles && !s->r->model_error &&
		   !(s->o->interrupted && *s->o->interrupted)) {
		livelock_pass(s, init);
	}
}

gboolean sim_explore(const SimProgram *p, const SimExploreOptions *o,
		     SimExploreResult *r)
{
	SimWorld *init = sim_step_world_new(p);
	SimSearch s;

	memset(r, 0, sizeof(*r));
	r->complete = true;
	if (!sim_search_init(&s, p, o, r, init)) {
		g_free(init);
		return FALSE;
	}
	if (o->kind == SIM_SEARCH_EXHAUSTIVE)
		explore_exhaustive_livelock(&s, init);
	else
		sim_walk_run(&s, init);
	/* the order properties are the graph's, not a path's; a
	 * livelock's path is its own (prefix + cycle) */
	SimPropSet want = r->found & (SimPropSet)~(1u << SIM_PROP_LOCK_ORDER |
						   1u << SIM_PROP_WAIT_ORDER |
						   1u << SIM_PROP_LIVELOCK);
	while (!r->model_error && want && !(o->interrupted &&
					    *o->interrupted)) {
		s.stop = false;
		sim_cex_minimise(&s, init, want);
		want = sim_cex_paths_see(&s, init);
	}
	sim_search_finish(&s);
	g_free(init);
	return !r->model_error;
}
