/*
 * traces.h - Mazurkiewicz trace counts, to measure the reduction against.
 *
 * Every complete interleaving of a small acyclic scenario is enumerated
 * (a stateless search from the initial world, no state merged), each
 * step labelled by its thread and the footprint the reduction gives it
 * in the state it ran in (sim_por_next_fp: classes, lock, boundary
 * reads).  Two labels of different threads commute when
 * sim_por_dependent() says they do, two of one thread never; each run is
 * canonicalised to its Foata normal form (level of a step: one more than
 * the deepest earlier step it does not commute with; steps sorted by
 * level, then thread) and the distinct forms counted: the number of
 * equivalence classes of complete runs under the reduction's own
 * independence, what an optimal reduction would explore one run of each.
 */
#ifndef TESTS_TRACES_H
#define TESTS_TRACES_H

#include <stdbool.h>
#include <stdint.h>
#include "prog.h"

typedef struct {
	uint64_t runs;          /* complete interleavings */
	uint64_t traces;        /* their Foata normal forms */
	bool complete;          /* false: past MAX_RUNS, or a run deeper
				 * than the enumeration's depth (a cycle) */
} TraceCount;

/* trace_count - count P's runs and traces, giving up past MAX_RUNS. */
void trace_count(const SimProgram *p, uint64_t max_runs, TraceCount *out);

#endif
