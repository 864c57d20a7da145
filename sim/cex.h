/*
 * cex.h - counterexamples: the cheapest thread sequence to a property.
 *
 * Once the search knows a property is reachable, a 0-1 search (Dial's
 * buckets, cost = preemptions then steps) over (world, last thread),
 * without reduction, finds the thread sequence with the fewest
 * preemptions, then the fewest steps, so that it reads like the kernel
 * threads' drawings; if its budget runs out, the first path the main
 * search took is kept (cex_minimal false).
 *
 * The bucket queue is exported for the livelock's cheapest prefix
 * (livelock.h), which counts cost the same way.
 */
#ifndef SIM_CEX_H
#define SIM_CEX_H

#include "searchctx.h"

#define SIM_CEX_STEP_COST 1u
#define SIM_CEX_PREEMPT_COST ((uint32_t)SIM_STEPS_MAX + 2) /* one preemption,
							     * one step: key =
							     * preemptions *
							     * (MAX + 1) +
							     * steps */
#define SIM_DIAL_BUCKETS (SIM_CEX_PREEMPT_COST + 1)

/* Dial's bucket queue of uint32_t entries by key; keys pushed are at
 * most SIM_CEX_PREEMPT_COST above the least one queued. */
typedef struct {
	GArray *bucket[SIM_DIAL_BUCKETS];
	uint32_t head[SIM_DIAL_BUCKETS];        /* FIFO read position */
	uint64_t queued;
	uint32_t key;           /* current minimum */
} SimDial;

void sim_dial_init(SimDial *q);
void sim_dial_free(SimDial *q);
void sim_dial_push(SimDial *q, uint32_t entry, uint32_t key);
/* sim_dial_pop - the entry of least key (q->key); false when empty. */
bool sim_dial_pop(SimDial *q, uint32_t *entry);

/* sim_cex_minimise - replace the paths to WANT with cheapest ones, within
 * the budget (o->cex_nodes_max) and the memory and time bounds. */
void sim_cex_minimise(SimSearch *s, const SimWorld *init, SimPropSet want);

/* sim_cex_paths_see - every property a counterexample's run reaches
 * counts: re-run each path and give any property seen on the way and not
 * yet found that path, cut where it was seen.  Returns the properties
 * added. */
SimPropSet sim_cex_paths_see(SimSearch *s, const SimWorld *init);

#endif
