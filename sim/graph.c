/*
 * graph.c - the unreduced state graph.  See graph.h.
 */
#include <string.h>
#include "graph.h"
#include "step.h"

G_STATIC_ASSERT(sizeof(SimEdge) == 12);        /* the lockdep fields fill
						 * what was padding */
G_STATIC_ASSERT(SIM_THREADS_MAX <= 64);         /* a tid in 6 bits */

/* What the graph may cost by the end of the search, charged to
 * --memory-max as it grows: the arrays (a GArray holds up to twice its
 * length while it doubles) and what the analyses allocate over them (the
 * graph again by source, and Tarjan's six words per state), so the bound
 * holds through the analysis and not only the search. */
uint64_t sim_graph_cost(uint64_t m, uint64_t n)
{
	return 2 * m * sizeof(SimEdge) + 2 * 2 * n * sizeof(SimThreadSet) +
	       m * sizeof(SimEdge) + n * 8 * sizeof(uint32_t);
}

uint64_t sim_graph_bytes(const SimGraph *g)
{
	return g ? sim_graph_cost(g->edges->len, g->enabled->len) : 0;
}

void sim_graph_threads(const SimWorld *w, SimThreadSet *en,
		       SimThreadSet *live)
{
	*en = sim_step_runnable(w);
	*live = 0;
	for (int t = 0; t < w->nthreads; t++)
		if (sim_thread(w, t)->status != SIM_TH_DONE)
			*live |= SIM_TSET(t);
}

void sim_graph_add_state(SimGraph *g, const SimWorld *w)
{
	SimThreadSet en, live;

	sim_graph_threads(w, &en, &live);
	g_array_append_val(g->enabled, en);
	g_array_append_val(g->live, live);
}

void sim_graph_init(SimGraph *g)
{
	g->edges = g_array_new(FALSE, FALSE, sizeof(SimEdge));
	g->enabled = g_array_new(FALSE, FALSE, sizeof(SimThreadSet));
	g->live = g_array_new(FALSE, FALSE, sizeof(SimThreadSet));
}

void sim_graph_free(SimGraph *g)
{
	g_array_free(g->edges, TRUE);
	g_array_free(g->enabled, TRUE);
	g_array_free(g->live, TRUE);
}

/* A state's N edges (one per thread, so few) into thread order. */
static void sort_by_thread(SimEdge *e, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		SimEdge x = e[i];
		uint32_t j = i;
		for (; j > 0 && sim_edge_tid(&e[j - 1]) > sim_edge_tid(&x); j--)
			e[j] = e[j - 1];
		e[j] = x;
	}
}

void sim_csr_init_parts(SimCsr *c, const SimGraph *g, GArray *const *parts,
			int nparts, const uint32_t *remap)
{
	uint64_t m = 0;

	c->n = g->enabled->len;
	c->enabled = (const SimThreadSet *)(void *)g->enabled->data;
	c->live = (const SimThreadSet *)(void *)g->live->data;
	c->off = g_new0(uint32_t, c->n + 1);
	for (int p = 0; p < nparts; p++) {
		const SimEdge *e = (const SimEdge *)(void *)parts[p]->data;
		for (guint i = 0; i < parts[p]->len; i++)
			c->off[(remap ? remap[e[i].src] : e[i].src) + 1]++;
		m += parts[p]->len;
	}
	c->adj = g_new(SimEdge, MAX(m, 1));
	for (uint32_t v = 0; v < c->n; v++)
		c->off[v + 1] += c->off[v];
	uint32_t *pos = g_memdup2(c->off, sizeof(uint32_t) * c->n);
	for (int p = 0; p < nparts; p++) {
		const SimEdge *e = (const SimEdge *)(void *)parts[p]->data;
		for (guint i = 0; i < parts[p]->len; i++) {
			SimEdge x = e[i];
			if (remap) {
				x.src = remap[x.src];
				x.dst = remap[x.dst];
			}
			c->adj[pos[x.src]++] = x;
		}
	}
	g_free(pos);
	for (uint32_t v = 0; v < c->n; v++)
		sort_by_thread(c->adj + c->off[v], c->off[v + 1] - c->off[v]);
}

void sim_csr_init(SimCsr *c, const SimGraph *g)
{
	sim_csr_init_parts(c, g, &g->edges, 1, NULL);
}

void sim_csr_free(SimCsr *c)
{
	g_free(c->off);
	g_free(c->adj);
}
