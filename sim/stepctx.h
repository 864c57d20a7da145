/*
 * stepctx.h - what a step is given and what it gives back.
 *
 * The stepper (step.h) and the oracles it consults (oracle.h) share this
 * one record: the program, where messages go, and the properties found.
 * It sits in a header of its own so that neither of the two includes the
 * other's (step.c calls the oracles; the oracles never call the stepper).
 * Nothing here allocates unless the caller sets text or msg.
 */
#ifndef SIM_STEPCTX_H
#define SIM_STEPCTX_H

#include <stdbool.h>
#include <glib.h>
#include "prog.h"
#include "world.h"

typedef struct SimLockdep SimLockdep;

typedef struct {
	const SimProgram *prog;
	SimLockdep *lockdep;    /* lock-order graph to feed, or NULL */
	SimNotes *notes;        /* annotations to keep (world.h), or NULL:
				 * messages then omit who freed a block */
	GString *text;          /* this step's lines for the thread's column */
	GString *msg;           /* violation and model-error messages */
	SimPropSet found;       /* properties violated during the step */
	bool model_error;
	bool blocked;           /* the step put the thread to sleep */
	SimThreadSet woken;     /* threads the step made runnable again */
	bool op_done;           /* an outermost op returned: progress, in
				 * the livelock sense */
} SimStepCtx;

#endif
