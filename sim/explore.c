/*
 * explore.c - the search's driver.  See explore.h.
 *
 * sim_explore() sets up one SimSearch (searchctx.h) and runs
 *
 *   1. the exhaustive search (dfs.h), reduced unless o->por is off, or
 *      the random / PCT walks (walk.h);
 *   2. for the exhaustive search, livelock (livelock.h) on the unreduced
 *      graph: recorded by the search itself when it is unreduced, else
 *      by a second, unreduced pass (after the search, or with --jobs
 *      on N threads, par.h, one of them after the search), and only if
 *      the program can cycle at all and livelock is asked for (not
 *      o->no_livelock: the safety properties alone, pan -DSAFETY's
 *      check, cost the reduced search only);
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

/* With reduction on: the unreduced graph in a pass of its own
 * (livelock.c), under the same bounds, with its own options, result,
 * search and graph; its figures (r->livelock_*) and its livelock are
 * folded into the reduced search's result after it, in the same way
 * whether it ran after the search or beside it (--jobs). */
typedef struct {
	SimExploreOptions o;
	SimExploreResult r;
	SimSearch s;
	SimGraph g;
	const SimWorld *init;
} Pass;

static void pass_init(Pass *ps, const SimSearch *s, const SimWorld *init)
{
	ps->o = *s->o;
	ps->o.por = false;
	memset(&ps->r, 0, sizeof(ps->r));
	ps->r.complete = true;
	ps->s = *s;
	ps->s.o = &ps->o;
	ps->s.r = &ps->r;
	ps->s.reduce = false;
	ps->s.lockdep = NULL;
	ps->s.next_check = 0;
	ps->s.stop = false;
	sim_graph_init(&ps->g);
	ps->s.g = &ps->g;
	ps->init = init;
}

static void pass_check(Pass *ps)
{
	if (!ps->r.model_error)
		sim_livelock_check(&ps->s, &ps->g);
}

static void pass_run(Pass *ps)
{
	sim_dfs_run(&ps->s, ps->init);
	pass_check(ps);
}

/* Fold the pass into S's result (FOLD), or only free it. */
static void pass_end(Pass *ps, SimSearch *s, bool fold)
{
	SimExploreResult *r = s->r, *r2 = &ps->r;
	const int L = SIM_PROP_LIVELOCK;

	if (fold) {
		r->livelock_states = r2->states;
		r->livelock_transitions = r2->transitions;
		/* beside the search, both were resident at once */
		r->peak_bytes = s->twin ? r->peak_bytes + r2->peak_bytes :
				MAX(r->peak_bytes, r2->peak_bytes);
	}
	if (fold && r2->model_error) {
		r->model_error = true;
		if (!r->model_error_msg)
			r->model_error_msg = g_strdup(r2->model_error_msg);
	} else if (fold) {
		if (r2->bound)
			sim_search_bound(s, r2->bound);
		if (r2->found >> L & 1) {
			r->found |= (SimPropSet)(1u << L);
			if (r->cex[L])
				g_array_free(r->cex[L], TRUE);
			r->cex[L] = r2->cex[L];
			r2->cex[L] = NULL;
			r->cex_minimal[L] = r2->cex_minimal[L];
			r->cycle_from = r2->cycle_from;
		}
	}
	sim_explore_result_clear(r2);
	sim_graph_free(&ps->g);
}

/* --jobs N: item 0 of the pool (pool.h) runs the reduced search, then
 * joins the pass's workers (par.h) on the others; with --exact, whose
 * store is not shared, item 1 runs the pass alone beside the search. */
typedef struct {
	SimSearch *s;
	const SimWorld *init;
	Pass *ps;
	SimPar *par;            /* NULL: --exact */
} Beside;

static void beside_work(guint i, void *data)
{
	Beside *b = data;

	if (i == 0)
		sim_dfs_run(b->s, b->init);
	if (b->par)
		sim_par_work(b->par);
	else if (i == 1)
		pass_run(b->ps);
}

/* The exhaustive search, and livelock on the unreduced graph: recorded
 * by the search itself without reduction, else by a pass of its own,
 * after the search or (--jobs 2 or more) on the other cores and then on
 * the search's too.  The result is the same either way (par.h): the two
 * share nothing but the memory bound. */
static void explore_exhaustive_livelock(SimSearch *s, const SimWorld *init)
{
	bool cycles = !s->o->no_livelock && sim_livelock_may_cycle(s->p);
	_Atomic uint64_t twin[2] = { 0, 0 };
	SimGraph g;
	Pass ps;

	if (cycles && s->reduce && s->o->jobs > 1) {
		int jobs = s->o->exact ? 2 : MIN(s->o->jobs, SIM_PAR_JOBS_MAX);
		pass_init(&ps, s, init);
		ps.o.progress = NULL;   /* one progress line: the search's */
		s->twin = ps.s.twin = twin;
		ps.s.side = 1;
		Beside b = { s, init, &ps, s->o->exact ? NULL :
			     sim_par_new(&ps.s, init, jobs) };
		sim_pool_run((guint)jobs, jobs, beside_work, NULL, &b);
		if (b.par) {
			sim_par_finish(b.par);
			pass_check(&ps);
		}
		/* as if the pass had come after the search */
		pass_end(&ps, s, !s->r->model_error &&
			 !(s->o->interrupted && *s->o->interrupted));
		s->twin = NULL;
		return;
	}
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
		pass_init(&ps, s, init);
		pass_run(&ps);
		pass_end(&ps, s, true);
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
