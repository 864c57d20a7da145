/*
 * graph.c - the unreduced state graph.  See graph.h.
 */
#include <string.h>
#include "graph.h"
#include "step.h"

G_STATIC_ASSERT(sizeof(SimEdge) == 12);        /* the lockdep fields fill
						 * what was padding */
G_STATIC_ASSERT(SIM_THREADS_MAX <= 64);         /* a tid in 6 bits */

/* What the graph may cost by the end of the search beside its edges as
 * recorded: the states' arrays (a GArray holds up to twice its length
 * while it doubles) and what the analyses allocate over them (the edges
 * again by source, and Tarjan's eight words per state with the walk's
 * path), so the bound holds through the analysis and not only the
 * search. */
uint64_t sim_graph_cost(uint64_t m, uint64_t n)
{
	return 2 * 2 * n * sizeof(SimThreadSet) + m * sizeof(SimEdge) +
	       n * 8 * sizeof(uint32_t);
}

/* and G's edges, through their next doubling */
uint64_t sim_graph_bytes(const SimGraph *g)
{
	return g ? 2 * (uint64_t)g->edges->len * sizeof(SimEdge) +
		   sim_graph_cost(g->edges->len, g->enabled->len) : 0;
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

void sim_csr_alloc(SimCsr *c, const SimGraph *g, SimEdge *adj, uint32_t m)
{
	c->n = g->enabled->len;
	c->enabled = (const SimThreadSet *)(void *)g->enabled->data;
	c->live = (const SimThreadSet *)(void *)g->live->data;
	c->off = g_new(uint32_t, c->n + 1);
	c->off[c->n] = m;
	c->adj = adj ? adj : g_new(SimEdge, MAX(m, 1));
}

void sim_csr_init(SimCsr *c, const SimGraph *g)
{
	const SimEdge *e = (const SimEdge *)(void *)g->edges->data;

	sim_csr_alloc(c, g, NULL, g->edges->len);
	memset(c->off, 0, sizeof(uint32_t) * (c->n + 1));
	for (guint i = 0; i < g->edges->len; i++)
		c->off[e[i].src + 1]++;
	for (uint32_t v = 0; v < c->n; v++)
		c->off[v + 1] += c->off[v];
	uint32_t *pos = g_memdup2(c->off, sizeof(uint32_t) * c->n);
	for (guint i = 0; i < g->edges->len; i++)
		c->adj[pos[e[i].src]++] = e[i];
	g_free(pos);
	for (uint32_t v = 0; v < c->n; v++)
		sort_by_thread(c->adj + c->off[v], c->off[v + 1] - c->off[v]);
}

void sim_csr_free(SimCsr *c)
{
	g_free(c->off);
	g_free(c->adj);
}
