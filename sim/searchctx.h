/*
 * searchctx.h - what the search drivers share (internal to explore).
 *
 * sim_explore() (explore.h) runs one of the drivers - the depth-first
 * search (dfs.h) or the random / PCT walks (walk.h) - then minimises
 * counterexamples (cex.h) and checks livelock (livelock.h).  They all
 * work on one SimSearch: the program, the options, the result being
 * filled, the bounds and the clock.  Every step any of them takes goes
 * through sim_search_step(), so a model error is reported the same way
 * whoever hit it; every path to a property goes through
 * sim_search_record(), which keeps the first one found.
 *
 * Only the explore modules include this header; the options and the
 * result are search.h's.
 */
#ifndef SIM_SEARCHCTX_H
#define SIM_SEARCHCTX_H

#include <stdint.h>
#include <glib.h>
#include "lockdep.h"
#include "por.h"
#include "search.h"
#include "step.h"

typedef struct SimGraph SimGraph;

typedef struct {
	const SimProgram *p;
	const SimExploreOptions *o;
	SimExploreResult *r;
	SimLockdep *lockdep;
	SimNotes *notes0;       /* the initial world's notes, with lockdep */
	const SimWorld *init;   /* the caller's initial world (it outlives the
				 * search), for sim_search_site */
	SimGraph *g;            /* record the graph into it, or NULL */
	SimPor *por;            /* with POR (reduce), else NULL */
	size_t hsize;
	bool reduce;            /* POR: asked for, and the shape fits the
				 * footprints (sim_por_fits) */
	uint32_t depth_max;
	int64_t t0;             /* the monotonic clock at start, in us */
	uint64_t next_check;    /* transitions at the next clock check */
	double next_progress;   /* seconds at the next progress call */
	uint64_t extra_bytes;   /* stacks and other fixed buffers */
	bool stop;
} SimSearch;

/* sim_search_init - S for searching P under O into R (zeroed by the
 * caller but for complete = true), INIT set to P's initial world; false
 * on a model error before the first step (recorded in R). */
bool sim_search_init(SimSearch *s, const SimProgram *p,
		     const SimExploreOptions *o, SimExploreResult *r,
		     SimWorld *init);

/* sim_search_finish - lockdep's properties and reports, preemption
 * counts, the collision bound and the time into s->r; frees what
 * sim_search_init() allocated. */
void sim_search_finish(SimSearch *s);

/* sim_search_seconds - since sim_search_init(). */
double sim_search_seconds(const SimSearch *s);

/* sim_search_bound - the search is incomplete because of WHAT (the first
 * bound named is kept). */
void sim_search_bound(SimSearch *s, const char *what);

/* sim_search_out_of_bounds - whether a bound other than depth stops the
 * search now, with STATES stored and BYTES in use; calls the progress
 * callback when it is due. */
bool sim_search_out_of_bounds(SimSearch *s, uint64_t states, uint64_t bytes);

/* sim_search_note_peak - BYTES are in use now. */
void sim_search_note_peak(SimSearch *s, uint64_t bytes);

/* A world and its annotations (NULL where the search keeps none). */
typedef struct {
	SimWorld *w;
	SimNotes *notes;
} SimSlot;

/* sim_slots_new - N slots, each a copy of INIT (and, if NOTES, of the
 * initial notes), in two allocations; sim_slots_bytes - what they take;
 * freed with sim_slots_free. */
SimSlot *sim_slots_new(const SimSearch *s, const SimWorld *init, uint32_t n,
		       bool notes);
uint64_t sim_slots_bytes(const SimSearch *s, const SimWorld *init,
			 uint32_t n, bool notes);
void sim_slots_free(SimSlot *v);

/* sim_search_step - run TID's step from PARENT into CHILD, feeding LD
 * (may be NULL); false on a model error (recorded, with the model's
 * file:line message, and the search stops).  *FOUND gets the properties
 * the step flagged, *PROGRESS (if set) whether it ended an outermost
 * op.  Notes are carried only when the parent has them; without them,
 * a lock-order edge LD gains is unsited (sim_lockdep_unsited) until the
 * caller calls sim_search_site.  Counts one transition. */
bool sim_search_step(SimSearch *s, SimSlot parent, SimSlot child, int tid,
		     SimLockdep *ld, SimPropSet *found, bool *progress);

/* sim_search_site - the unsited edges of s->lockdep (found by the step
 * that followed path TIDS, N steps from the initial world) get where
 * their held locks were taken: the path replayed with notes.  What a
 * search that carries notes would have read, at a cost paid once per
 * new edge rather than a copy of the notes per step. */
void sim_search_site(SimSearch *s, const int *tids, int n);

/* sim_search_replay_step - feed s->lockdep TID's step after path TIDS
 * (N steps), with notes: its new edges sited as they are added. */
void sim_search_replay_step(SimSearch *s, const int *tids, int n, int tid);

/* sim_search_terminal - the properties of W if nothing can run in it
 * (deadlock, lost-wakeup), else 0. */
SimPropSet sim_search_terminal(const SimProgram *p, const SimWorld *w);

/* sim_search_record - TIDS (N steps) is the path to each property in
 * FOUND that has none yet; FOUND joins r->found. */
void sim_search_record(SimSearch *s, const int *tids, int n,
		       SimPropSet found);

#endif
