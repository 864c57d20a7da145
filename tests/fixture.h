/*
 * fixture.h - a model and a scenario from text, linked, with the initial
 * world: what the step, oracle and program suites build their cases on.
 * The model file is "t.model" and the scenario "s.scn", so messages read
 * "t.model:LINE:COL: ...".
 */
#ifndef TESTS_FIXTURE_H
#define TESTS_FIXTURE_H

#include <glib.h>
#include "parse.h"
#include "step.h"

typedef struct {
	SimModel *m;
	SimScenario *s;
	SimProgram *p;
	GString *msg;           /* ctx.msg: model errors and violations */
	SimStepCtx ctx;
	bool init_ok;           /* sim_step_init ran without a model error */
	SimWorld *w;            /* shaped by the scenario */
	SimNotes *notes;        /* ctx.notes */
} Fx;

/* fx_new - parse MODEL and SCN (Check-asserting that they parse and
 * link) and initialise the world. */
Fx *fx_new(const char *model, const char *scn);
void fx_free(Fx *f);

/* fx_step - one step of TID, which must be runnable, with no model error
 * so far. */
void fx_step(Fx *f, int tid);

/* fx_set - the first 64 members of a world's set (page or block set of
 * NBYTES bytes, bitset.h) as a mask: bit i is member i. */
uint64_t fx_set(const uint8_t *set, int nbytes);

/* fx_run - fx_step for each digit of SCHED ("0010"). */
void fx_run(Fx *f, const char *sched);

#endif
