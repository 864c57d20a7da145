/*
 * explore.h - search every interleaving of a scenario under a model.
 *
 * Three drivers share the stepper (step.h) and differ only in how they
 * choose the next thread (G4: one chooser idea, no mode #ifdefs):
 *
 *   exhaustive  stateful depth-first search over the state graph with a
 *               visited set of 64-bit state fingerprints (visited.h), and
 *               partial-order reduction from step footprints (off with
 *               por = false); complete unless a bound is hit;
 *   random      N seeded random walks (sim/prng), for spaces too large;
 *   pct         probabilistic concurrency testing with DEPTH priority
 *               change points, seeded.
 *
 * For every property reached, the result holds a counterexample: the
 * thread sequence with the fewest preemptions, then the fewest steps
 * (found by a 0-1 breadth-first search over (state, last thread) once the
 * property is known reachable), so that it reads like the kernel threads'
 * drawings.  It is replayed through run.h to be drawn; nothing printed
 * comes from anywhere but re-running the model.
 *
 * Deadlock and lost-wakeup are checked at every state with no runnable
 * thread; lock-order and wait-order come from one lockdep graph
 * accumulated over every transition explored; livelock (a reachable,
 * weakly fair cycle in which a thread never completes its op) is found
 * on the unreduced state graph, recorded by the search without
 * reduction or by a pass of its own (explore.c explains why), and drawn
 * as a prefix and a cycle.
 */
#ifndef SIM_EXPLORE_H
#define SIM_EXPLORE_H

#include <stdint.h>
#include <glib.h>
#include "prog.h"
#include "world.h"

typedef enum {
	SIM_SEARCH_EXHAUSTIVE,
	SIM_SEARCH_RANDOM,
	SIM_SEARCH_PCT,
} SimSearchKind;

typedef struct {
	SimSearchKind kind;
	bool por;                   /* partial-order reduction (default on) */
	bool exact;                 /* store whole states, not fingerprints */
	uint64_t states_max;        /* 0 = no bound */
	uint32_t depth_max;         /* 0 = SIM_STEPS_MAX */
	double time_max;            /* seconds, 0 = no bound */
	uint64_t memory_max;        /* bytes, 0 = no bound */
	uint32_t runs;              /* random / pct: number of runs */
	uint64_t seed;              /* random / pct */
	uint32_t pct_depth;
	volatile int *interrupted;  /* set asynchronously (Ctrl-C), or NULL */
	uint64_t cex_nodes_max;     /* counterexample search budget in
				     * (state, last thread) nodes; 0 = 4M */
	/* progress: called about twice a second while the search runs
	 * (states or runs so far, transitions, deepest path, bytes in use,
	 * seconds); NULL: never.  It must not touch the search. */
	void (*progress)(uint64_t states, uint64_t transitions,
			 uint32_t depth, uint64_t bytes, double seconds,
			 void *data);
	void *progress_data;
} SimExploreOptions;

#define SIM_EXPLORE_MEMORY_DEFAULT_MB 4096
/* What the process holds before a search allocates anything (code,
 * libraries, the parsed model: 3.6 MB resident here), charged to
 * --memory-max as a constant so that the bound is on the resident set,
 * not only on the search's own arrays, and stays deterministic. */
#define SIM_EXPLORE_PROCESS_BYTES (4u << 20)

/* sim_explore_options_default - exhaustive, POR on, no bound but memory
 * (SIM_EXPLORE_MEMORY_DEFAULT_MB). */
void sim_explore_options_default(SimExploreOptions *o);

typedef struct {
	SimPropSet found;           /* properties reached */
	bool complete;              /* the whole space was covered */
	char *bound;                /* which bound stopped it, or NULL */
	bool model_error;
	char *model_error_msg;      /* file:line:col: broken model: ... */
	uint64_t states;            /* distinct states stored */
	uint64_t transitions;       /* steps executed */
	uint64_t runs;              /* random / pct runs completed */
	uint32_t depth;             /* deepest path */
	double seconds;
	uint64_t peak_bytes;        /* visited set + stacks */
	double collision_bound;     /* probability of a fingerprint collision
				     * (0 with exact) */
	GArray *cex[SIM_PROP_COUNT];/* int thread ids, or NULL */
	int cex_preemptions[SIM_PROP_COUNT];
	char *order[2];             /* reports of sim_lockdep_props[]
				     * (lockdep.h), or NULL */
	uint64_t collisions;        /* exact: states sharing a fingerprint */
	uint64_t cex_nodes;         /* nodes the counterexample search used */
	bool cex_minimal[SIM_PROP_COUNT]; /* found by the 0-1 search (else the
					   * first path the search took) */
	int cycle_from;             /* livelock: cex[SIM_PROP_LIVELOCK] is a
				     * prefix of this many steps, then a
				     * cycle back to the state after it */
	uint64_t livelock_states;   /* the unreduced pass for livelock, when
				     * the search itself was reduced (else 0) */
	uint64_t livelock_transitions;
} SimExploreResult;

/* sim_explore - search P's interleavings as O says.  Returns FALSE only on
 * a model error (r->model_error set); a bound hit is r->complete = false. */
gboolean sim_explore(const SimProgram *p, const SimExploreOptions *o,
		     SimExploreResult *r);

void sim_explore_result_clear(SimExploreResult *r);

/* sim_explore_independent - whether the next steps of threads T and U
 * (both runnable in W) commute under the footprints the reduction uses:
 * running them in either order reaches the same state and flags the same
 * properties.  Exposed so tests can check the claim by execution. */
bool sim_explore_independent(const SimWorld *w, const SimProgram *p, int t,
			     int u);

/* sim_explore_check_futures - whether the futures the reduction computes
 * are sound along RUN (N worlds, each a successor of the one before):
 * for every thread T and i <= j, T's next step in RUN[j] lies within
 * T's future computed in RUN[i] (classes, pgoffs, lock classes).
 * Returns -1, or the first i where it does not (with *BAD_J, *BAD_T).
 * Exposed so tests can check the static analysis by execution. */
int sim_explore_check_futures(const SimProgram *p, SimWorld *const *run,
			      int n, int *bad_j, int *bad_t);

/* sim_explore_may_cycle - whether P's state graph can have a cycle at
 * all (explore.c argues the test); without one there is no livelock and
 * the search skips the unreduced pass.  Exposed so tests can check the
 * claim by search. */
bool sim_explore_may_cycle(const SimProgram *p);

/* sim_explore_preemptions - preemptions in the thread sequence TIDS (N
 * steps) from P's initial world: choices of a thread other than the last
 * one while the last one could still run.  -1 if the sequence cannot be
 * run. */
int sim_explore_preemptions(const SimProgram *p, const int *tids, int n);

#endif
