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

#include "searchctx.h"

/* The unreduced state graph, for livelock: every transition the search
 * takes, by state id (dense, the root 0: the visited set's insertion
 * order, or par.c's renumbering of its id blocks), and each state's
 * runnable and unfinished threads. */
typedef struct {
	uint32_t src, dst;
	uint8_t tid;            /* | SIM_EDGE_PROGRESS */
} SimEdge;

#define SIM_EDGE_PROGRESS 0x80u

static inline int sim_edge_tid(const SimEdge *e)
{
	return e->tid & 0x7f;
}

struct SimGraph {
	GArray *edges;          /* SimEdge */
	GArray *enabled;        /* SimThreadSet, by state id: runnable threads */
	GArray *live;           /* SimThreadSet, by state id: unfinished */
};

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

/* sim_graph_cost - the same for a graph of M edges and N states. */
uint64_t sim_graph_cost(uint64_t m, uint64_t n);

/* sim_livelock_check - find a livelock in G (complete or not: a cycle
 * found is real), of the lowest-numbered thread that has one; on one,
 * record prefix + cycle as its counterexample (s->r->cycle_from). */
void sim_livelock_check(SimSearch *s, const SimGraph *g);

/* sim_livelock_may_cycle - whether P's state graph can have a cycle at
 * all (livelock.c argues the test); without one there is no livelock and
 * the search skips the unreduced pass.  Exposed so tests can check the
 * claim by search. */
bool sim_livelock_may_cycle(const SimProgram *p);

#endif
