/*
 * graph.h - the unreduced state graph, as the search records it.
 *
 * Every transition an unreduced search takes (dfs.h with s->g set, or
 * par.h's workers) becomes an edge between state ids (dense, the root 0:
 * the visited set's insertion order, or the order of par.c's
 * expansions), and each state keeps its runnable and unfinished threads.
 * livelock.h looks for fair cycles in it; par.c walks it (on livelock's
 * first pass) in the order a one-thread search would have taken, to give
 * what that search gives.
 * Both read it by source (SimCsr), the edges of a state in thread order.
 */
#ifndef SIM_GRAPH_H
#define SIM_GRAPH_H

#include <stdint.h>
#include <glib.h>
#include "world.h"

/* A transition.  The lockdep fields say which lock-class edges the step's
 * acquisition orders (lockdep.h, sim_lockdep_take_event: the acquired
 * class and the classes held), whether lockdep had seen them or not;
 * par.c's workers fill them, a one-thread search feeds lockdep itself. */
typedef struct {
	uint32_t src, dst;
	uint8_t tid;            /* | SIM_EDGE_PROGRESS | SIM_EDGE_FOUND */
	uint8_t ld_to;
	uint16_t ld_from;       /* 0: no acquisition while holding */
} SimEdge;

#define SIM_EDGE_PROGRESS 0x80u /* the step ended an outermost op */
#define SIM_EDGE_FOUND    0x40u /* the step flagged a property (par.c) */

static inline int sim_edge_tid(const SimEdge *e)
{
	return e->tid & 0x3f;
}

typedef struct SimGraph {
	GArray *edges;          /* SimEdge */
	GArray *enabled;        /* SimThreadSet, by state id: runnable threads */
	GArray *live;           /* SimThreadSet, by state id: unfinished */
} SimGraph;

void sim_graph_init(SimGraph *g);
void sim_graph_free(SimGraph *g);

/* sim_graph_threads - W's runnable (*EN) and unfinished (*LIVE) threads,
 * what the graph keeps of a state. */
void sim_graph_threads(const SimWorld *w, SimThreadSet *en,
		       SimThreadSet *live);

/* sim_graph_add_state - the next state id is W. */
void sim_graph_add_state(SimGraph *g, const SimWorld *w);

/* sim_graph_bytes - what G may cost by the end of the search, to charge
 * to --memory-max as it grows (0 for NULL). */
uint64_t sim_graph_bytes(const SimGraph *g);

/* sim_graph_cost - the same for a graph of M edges and N states but the
 * edges as recorded, which the caller charges (par.c's workers hold them
 * in arrays of their own, one of which becomes the graph's by source). */
uint64_t sim_graph_cost(uint64_t m, uint64_t n);

/* The graph by source: off[v] .. off[v + 1] index adj, each state's
 * edges in thread order.  Walks that take edges in adjacency order and
 * never read an id's number but the root's (0) find what depends on the
 * graph alone, not on the order the search took the threads
 * (--order-seed) or on which of par.c's workers numbered a state first
 * (--jobs): the same bytes. */
typedef struct {
	uint32_t n;             /* states */
	uint32_t *off;
	SimEdge *adj;
	const SimThreadSet *enabled, *live;
} SimCsr;

void sim_csr_init(SimCsr *c, const SimGraph *g);

/* sim_csr_alloc - C over G's states with room for M edges in ADJ (taken
 * over from g_malloc: sim_csr_free frees it; NULL: allocated here),
 * off[n] = M: for a caller that lays the edges out itself (par.c's
 * workers' runs). */
void sim_csr_alloc(SimCsr *c, const SimGraph *g, SimEdge *adj, uint32_t m);
void sim_csr_free(SimCsr *c);

#endif
