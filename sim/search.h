/*
 * search.h - what a search is asked (SimExploreOptions) and what it
 * answers (SimExploreResult); explore.h runs it.
 *
 * Kept apart from explore.h so that the modules that make up the search
 * (searchctx.h and the drivers under it) can use these types without
 * including the driver's header.
 */
#ifndef SIM_SEARCH_H
#define SIM_SEARCH_H

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
	bool no_livelock;           /* exhaustive: livelock not checked, so
				     * the search is reduced (with por) even
				     * where the program can cycle: the
				     * safety properties alone, as pan
				     * -DSAFETY */
	uint64_t states_max;        /* 0 = no bound */
	uint32_t depth_max;         /* 0 = SIM_STEPS_MAX */
	double time_max;            /* seconds, 0 = no bound */
	uint64_t memory_max;        /* bytes, 0 = no bound */
	uint32_t runs;              /* random / pct: number of runs */
	uint64_t seed;              /* random / pct */
	uint32_t pct_depth;
	int jobs;                   /* exhaustive: threads (at most
				     * SIM_PAR_JOBS_MAX are used) of the
				     * unreduced search livelock needs
				     * (par.h); the reduced one, --exact
				     * and --swarm run on one */
	uint64_t order_seed;        /* exhaustive: 0 = each state's choices
				     * in thread order; else in a permutation
				     * drawn from this seed (a swarm member,
				     * explore --swarm) */
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
	bool por;                   /* reduced: asked for, the world's
				     * shape fits the footprints
				     * (sim_por_fits), and livelock did not
				     * need every transition (else
				     * unreduced_why says which) */
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
	uint64_t store_bytes;       /* the main search's visited set at its
				     * end: / states is bytes per state */
	uint64_t cex_nodes;         /* nodes the counterexample search used */
	bool cex_minimal[SIM_PROP_COUNT]; /* found by the 0-1 search (else the
					   * first path the search took) */
	int cycle_from;             /* livelock: cex[SIM_PROP_LIVELOCK] is a
				     * prefix of this many steps, then a
				     * cycle back to the state after it */
	const char *unreduced_why;  /* why a search asked to reduce did
				     * not (static), or NULL */
} SimExploreResult;

void sim_explore_result_clear(SimExploreResult *r);

/* sim_explore_preemptions - preemptions in the thread sequence TIDS (N
 * steps) from P's initial world: choices of a thread other than the last
 * one while the last one could still run.  -1 if the sequence cannot be
 * run. */
int sim_explore_preemptions(const SimProgram *p, const int *tids, int n);

#endif
