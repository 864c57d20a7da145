/*
 * promela.h - translate a scenario x model into Promela, for SPIN.
 *
 * The translation is of the linked program (prog.h), instruction by
 * instruction, so that SPIN's interleavings are faultline's:
 *
 *   world     the state of world.h as Promela globals, sized by the
 *             scenario (threads, processes, lock instances);
 *   threads   one proctype per scenario thread; every call is expanded
 *             in place (a frame per call site, registers at the base
 *             step.c gives them, so recursion is bounded as the engine
 *             bounds it), and a thread's registers are a local array;
 *   steps     each atomic step of step.h (one primitive, then the local
 *             instructions up to the next primitive) is one `atomic`
 *             block: a labelled guard (the thread is runnable), the
 *             primitive as step.c's handler does it, then the local code
 *             as gotos inside the block; leaving the block is a goto to
 *             the label of the next primitive.  A thread that sleeps on a
 *             lock jumps back to its own label and waits there;
 *   locks     lock.c's grant / handoff / wake rules as inline macros over
 *             per-instance holder, write-holder, FIFO queue and page
 *             masks (mutex, rwsem with its queue order and handoff, page
 *             lock, hashed mutexes, range locks, DAX entry wait-bits);
 *   checks    the scenario's checked properties (oracle.c) as assertions
 *             at the same points: the access, the outermost op's return,
 *             the step that leaves the world quiescent; deadlock and
 *             lost-wakeup as SPIN's invalid end state (a thread asleep at
 *             its label when nothing can run).  Lock-order and
 *             wait-order are not exported: they are properties of the
 *             lockdep graph, not assertions on a state;
 *   livelock  only on request (SimPromelaOptions.progress): a SPIN
 *             progress label passed by every step that completes an
 *             outermost op (step.c's op_done), so that pan -l -f's weakly
 *             fair non-progress cycle is faultline's livelock (livelock.h:
 *             a fair cycle in which some thread W never completes its
 *             op).  Exactly where no thread body can repeat an op call:
 *             then no cycle completes an op at all, and "no thread
 *             completes" is "W does not".  Where a body repeats one,
 *             another thread's completions count as progress to SPIN but
 *             not to W: a SPIN non-progress cycle is still a livelock,
 *             not conversely, and the header says so ("livelock: one
 *             way").  The label is a statement of its own after the
 *             step (a state SPIN adds; the safety export has none),
 *             always executable, so that a thread finished with an op
 *             cannot rest on it while others cycle: weak fairness makes
 *             it move on.
 *
 * A model error of the engine (an unlock of a lock not held, a pgoff out
 * of range, ...) becomes `model_broken = 1; assert(!model_broken)` at the
 * same point, so SPIN names it as such.
 */
#ifndef SIM_PROMELA_H
#define SIM_PROMELA_H

#include <glib.h>
#include "prog.h"

/* The properties the translation checks for scenario S: its checked
 * assertion properties, and deadlock with lost-wakeup (both SPIN's invalid
 * end state) when it checks either. */
SimPropSet sim_promela_props(const SimScenario *s);

typedef struct {
	bool progress;          /* progress labels, for livelock (above) */
	bool no_hidden;         /* scratch variables in the state vector,
				 * cleared at every step's end: pan
				 * -DNCORE refuses hidden variables */
} SimPromelaOptions;

/* sim_promela_export - the Promela text of program P as O says (NULL:
 * neither option), or NULL with ERROR (a construct that cannot be
 * translated faithfully, named). */
char *sim_promela_export(const SimProgram *p, const SimPromelaOptions *o,
			 GError **error);

#endif
