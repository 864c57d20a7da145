/*
 * walk.c - random walks and PCT.  See walk.h.
 */
#include <string.h>
#include "prng.h"
#include "walk.h"

typedef struct {
	SimPrng g;
	int prio[SIM_THREADS_MAX];
	uint32_t change[64];    /* PCT change points (step numbers) */
	uint32_t nchange;
	uint32_t k;             /* estimated steps in a run */
} Chooser;

/* PCT: distinct random priorities DEPTH.. for the threads, and DEPTH - 1
 * change points in [1, k]. */
static void pct_run_init(Chooser *c, int nthreads, uint32_t depth)
{
	for (int i = 0; i < nthreads; i++)
		c->prio[i] = (int)depth + i;
	for (int i = nthreads - 1; i > 0; i--) {
		int j = (int)sim_prng_below(&c->g, (uint32_t)i + 1);
		int tmp = c->prio[i];
		c->prio[i] = c->prio[j];
		c->prio[j] = tmp;
	}
	c->nchange = depth > 1 ? MIN(depth - 1, G_N_ELEMENTS(c->change)) : 0;
	for (uint32_t j = 0; j < c->nchange; j++)
		c->change[j] = 1 + sim_prng_below(&c->g, c->k);
}

static int highest(const Chooser *c, SimThreadSet runnable)
{
	int best = -1;

	for (int t = 0; runnable >> t; t++)
		if ((runnable >> t & 1) &&
		    (best < 0 || c->prio[t] > c->prio[best]))
			best = t;
	return best;
}

static int choose(Chooser *c, SimSearchKind kind, SimThreadSet runnable,
		  uint32_t step)
{
	if (kind == SIM_SEARCH_RANDOM) {
		uint32_t n = sim_prng_below(&c->g,
			(uint32_t)sim_thread_count(runnable));
		for (int t = 0;; t++)
			if ((runnable >> t & 1) && n-- == 0)
				return t;
	}
	for (uint32_t j = 0; j < c->nchange; j++)
		if (c->change[j] == step)
			c->prio[highest(c, runnable)] = (int)(c->nchange - j);
	return highest(c, runnable);
}

/* One walk from INIT; false on a model error. */
static bool walk(SimSearch *s, Chooser *c, const SimWorld *init, SimSlot *w,
		 int *path)
{
	uint32_t n = 0;
	int cur = 0;
	SimPropSet found;

	sim_world_copy(w[0].w, init);
	if (w[0].notes)
		sim_notes_copy(w[0].notes, s->notes0);
	if (s->o->kind == SIM_SEARCH_PCT)
		pct_run_init(c, init->nthreads, s->o->pct_depth);
	for (;;) {
		SimThreadSet runnable = sim_step_runnable(w[cur].w);
		if (!runnable) {
			sim_search_record(s, path, (int)n,
					  sim_search_terminal(s->p, w[cur].w));
			break;
		}
		if (n >= s->depth_max) {
			sim_search_bound(s, "depth-max");
			break;
		}
		int t = choose(c, s->o->kind, runnable, n + 1);
		if (!sim_search_step(s, w[cur], w[cur ^ 1], t, s->lockdep,
				     &found, NULL))
			return false;
		path[n++] = t;
		cur ^= 1;
		if (found & ~s->r->found)
			sim_search_record(s, path, (int)n, found);
	}
	s->r->runs++;
	s->r->depth = MAX(s->r->depth, n);
	c->k = MAX(c->k, n);
	return true;
}

void sim_walk_run(SimSearch *s, const SimWorld *init)
{
	SimSlot *w = sim_slots_new(s, init, 2, s->lockdep != NULL);
	int *path = g_new(int, s->depth_max + 1);
	Chooser c = { .k = 32 };

	sim_prng_seed(&c.g, s->o->seed);
	s->extra_bytes = sim_slots_bytes(s, init, 2, s->lockdep != NULL) +
			 sizeof(int) * s->depth_max;
	sim_search_note_peak(s, s->extra_bytes);
	for (uint32_t i = 0; i < s->o->runs; i++) {
		if (sim_search_out_of_bounds(s, 0, s->extra_bytes) ||
		    !walk(s, &c, init, w, path))
			break;
	}
	sim_search_bound(s, s->o->kind == SIM_SEARCH_PCT ? "pct" : "random");
	sim_slots_free(w);
	g_free(path);
}
