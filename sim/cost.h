/*
 * cost.h - the cost model of a timed run: simulated service time per
 * primitive (models/costs/NAME.cost).
 *
 * A cost file names costs once and maps every primitive of prim.h to a
 * sum of them; des.c charges the sum each time a thread executes the
 * primitive.  Besides the primitives, a few costs belong to what happens
 * around a step rather than to the step (SimCostEvent): the lock word's
 * cache line moving to another CPU, a sleeping thread's wake-up, a block
 * allocated by get_block, a TLB shootdown IPI per remote CPU.
 *
 *   costs dram-2015
 *   summary "DAX over DRAM, 2015 x86"
 *   # each figure cites its source in the comment above it
 *   cost lock_fast    20ns
 *   cost line_xfer    exp(100ns)
 *   cost zero_4k      uniform(400ns, 600ns)
 *   prim mutex_lock   lock_fast
 *   prim zap_ptes     pte_clear + tlb_flush
 *   event contended   line_xfer
 *
 * A cost is a constant or a seeded distribution: exp(MEAN) (exponential)
 * or uniform(LO, HI); times carry a unit: ns, us, ms, s.  A term of a sum
 * is a cost name, a literal, or N * NAME.  Every primitive and every event
 * must be given (a missing one is an error naming it), each once.
 *
 * Errors: `file:line:col: message` in a SIM_PARSE_ERROR GError; the caller
 * exits 2.  Draws come from the caller's SimPrng, so a seed fixes them.
 */
#ifndef SIM_COST_H
#define SIM_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "dist.h"
#include "prim.h"
#include "prng.h"

/* What happens around a step, charged on top of the primitive. */
typedef enum {
	SIM_CE_CONTENDED,   /* a lock primitive finds the lock word's cache
			     * line last written by another CPU: the transfer
			     * serialises on the line */
	SIM_CE_SLEEP,       /* a thread blocks: schedule() away */
	SIM_CE_WAKE,        /* a blocked thread is woken: wake-up latency
			     * until it runs again */
	SIM_CE_ALLOC,       /* get_block* allocated a block (new != 0) */
	SIM_CE_SHOOTDOWN,   /* per remote CPU of the process, on zap_ptes
			     * and wrprotect: TLB shootdown IPI */
	SIM_CE_COUNT
} SimCostEvent;

/* sim_dist_parse - the time at the start of S, written as in a cost file
 * (a time, exp(MEAN) or uniform(LO, HI), on one line): *LEN is the bytes
 * it takes.  On bad input: false, *WHY the message (g_free it) and *AT
 * the byte offset in S of the token at fault.  For other languages that
 * take times (the scenario's workload block). */
bool sim_dist_parse(const char *s, SimDist *d, size_t *len, char **why,
		    size_t *at);

typedef struct SimCosts SimCosts;

/* sim_costs_load - ARG is a path (contains '/' or ends in ".cost") or a
 * NAME looked up as NAME.cost in DIR.  NULL with ERROR on bad input. */
SimCosts *sim_costs_load(const char *arg, const char *dir, GError **error);

/* sim_costs_parse - parse TEXT as if read from FILENAME. */
SimCosts *sim_costs_parse(const char *text, const char *filename,
			  GError **error);

void sim_costs_free(SimCosts *c);

/* sim_costs_widened - a copy of C with every non-lock primitive's sum
 * WIDEN times as long (each term's count times WIDEN: the same draws as a
 * file whose `prim` lines say so) and, with LOCKFREE, every lock primitive
 * free (0ns).  Events are left as they are.  For `perf --widen` and its
 * "no locking" baseline. */
SimCosts *sim_costs_widened(const SimCosts *c, uint32_t widen, bool lockfree);

/* sim_costs_name / sim_costs_summary - the `costs` and `summary` lines. */
const char *sim_costs_name(const SimCosts *c);
const char *sim_costs_summary(const SimCosts *c);

/* sim_costs_prim - one draw of primitive P's service time, in ns. */
uint64_t sim_costs_prim(const SimCosts *c, SimPrimId p, SimPrng *g);

/* sim_costs_event - one draw of event E's cost, in ns. */
uint64_t sim_costs_event(const SimCosts *c, SimCostEvent e, SimPrng *g);

#endif
