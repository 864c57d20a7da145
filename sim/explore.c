/*
 * explore.c - the search's driver.  See explore.h.
 *
 * sim_explore() sets up one SimSearch (searchctx.h) and runs
 *
 *   1. the exhaustive search (dfs.h), or the random / PCT walks
 *      (walk.h).  The exhaustive search is reduced (por.h) unless
 *      o->por is off, or livelock is checked (not o->no_livelock) and
 *      the program can cycle at all: then it is the unreduced search,
 *      which livelock needs, recording the graph (graph.h), on one
 *      thread (dfs.h) or with --jobs on several (par.h);
 *   2. livelock (livelock.h) on that graph (with --jobs, par.h's
 *      sim_par_finish runs it, its walk in the one-thread order riding
 *      on the check's first pass);
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
#include "par.h"
#include "pool.h"
#include "walk.h"

static void par_work(guint i, void *par)
{
	(void)i;
	sim_par_work(par);
}

/* The exhaustive search.  When livelock is checked and the program can
 * cycle, livelock needs every transition (livelock.c: never the reduced
 * graph), and the unreduced search finds every safety property the
 * reduced one does, with the same cheapest counterexamples (cex.h): a
 * reduced search beside it would only add its cost (about 1.4x on the
 * benchmark).  So the search is then the unreduced one, recording the
 * graph; with --jobs N on N threads (par.h), which gives the same bytes.
 * Otherwise (--no-livelock, or no cycle possible: most programs) it is
 * reduced. */
static void explore_exhaustive(SimSearch *s, const SimWorld *init)
{
	const SimExploreOptions *o = s->o;
	int jobs = MIN(o->jobs, SIM_PAR_JOBS_MAX);
	SimGraph g;
	SimCsr c;

	if (o->no_livelock || !sim_livelock_may_cycle(s->p)) {
		sim_dfs_run(s, init);
		return;
	}
	if (s->reduce) {
		s->reduce = false;
		s->r->por = false;
		s->r->unreduced_why = "livelock needs every transition";
	}
	sim_graph_init(&g);
	s->g = &g;
	if (jobs > 1 && !o->exact && !o->order_seed) {
		SimPar *par = sim_par_new(s, init, jobs);
		sim_pool_run((guint)jobs, jobs, par_work, NULL, par);
		sim_par_finish(par, &c);
	} else {
		sim_dfs_run(s, init);
		sim_csr_init(&c, &g);
		if (!s->r->model_error)
			sim_livelock_check(s, &c, NULL);
	}
	sim_csr_free(&c);
	sim_graph_free(&g);
	s->g = NULL;
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
		explore_exhaustive(&s, init);
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
