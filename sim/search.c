/*
 * search.c - default options, clearing a result, counting preemptions.
 * See search.h.
 */
#include <string.h>
#include "search.h"
#include "step.h"

void sim_explore_options_default(SimExploreOptions *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = SIM_SEARCH_EXHAUSTIVE;
	o->por = true;
	o->runs = 1000;
	o->pct_depth = 3;
	/* A search ends as `incomplete` long before the machine runs out
	 * of memory (24 GiB here); --memory-max 0 lifts it. */
	o->memory_max = (uint64_t)SIM_EXPLORE_MEMORY_DEFAULT_MB << 20;
}

void sim_explore_result_clear(SimExploreResult *r)
{
	g_free(r->bound);
	g_free(r->model_error_msg);
	g_free(r->order[0]);
	g_free(r->order[1]);
	for (int i = 0; i < SIM_PROP_COUNT; i++)
		if (r->cex[i])
			g_array_free(r->cex[i], TRUE);
	memset(r, 0, sizeof(*r));
}

int sim_explore_preemptions(const SimProgram *p, const int *tids, int n)
{
	SimWorld *w = sim_step_world_new(p);
	SimStepCtx ctx = { .prog = p };
	int last = -1, pre = 0;

	if (!sim_step_init(w, p, &ctx))
		n = -1;
	for (int i = 0; i < n; i++) {
		SimThreadSet runnable = sim_step_runnable(w);
		if (tids[i] < 0 || tids[i] >= w->nthreads ||
		    !(runnable >> tids[i] & 1)) {
			pre = -1;
			break;
		}
		if (last >= 0 && tids[i] != last && (runnable >> last & 1))
			pre++;
		sim_step(w, tids[i], &ctx);
		last = tids[i];
		if (ctx.model_error) {
			pre = -1;
			break;
		}
	}
	g_free(w);
	return n < 0 ? -1 : pre;
}
