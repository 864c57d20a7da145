/*
 * run.h - execute one interleaving and record it.
 *
 * The same driver serves `faultline run` (a named or listed schedule, or
 * the default policy), `faultline replay` (a trail), and the search when it
 * re-executes a counterexample to draw it: the search finds the choice
 * sequence fast with no text; this module re-runs it with text on, so what
 * is printed is always what the model does.
 *
 * Default policy (no --schedule): the lowest-numbered runnable thread takes
 * the next step, so threads run one after another, T0 first.  A schedule
 * that ends before every thread is done continues with the same policy.
 */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include "prog.h"
#include "trace.h"
#include "step.h"
#include "lockdep.h"

typedef struct {
	const SimProgram *prog;
	SimWorld *w;
	SimNotes *notes;        /* who freed what, at which step */
	SimTrace *trace;
	SimLockdep *lockdep;
	GString *errors;        /* model errors (file:line:col: ...) */
	SimThreadSet completed; /* threads that ended an outermost op since
				 * the caller last cleared it */
} SimRun;

/* sim_run_start - initial world; false on a model error (in r->errors). */
bool sim_run_start(SimRun *r, const SimProgram *p, SimTrace *trace);
void sim_run_finish(SimRun *r);

/* sim_run_step - one recorded step of TID (runnable).  False on a model
 * error. */
bool sim_run_step(SimRun *r, int tid);

/* sim_run_insn_file - the file defining the instruction TID is parked at
 * (NULL once it finished). */
const char *sim_run_insn_file(const SimRun *r, int tid);

/* sim_run_schedule - follow SCHED (NULL: default policy) to the end,
 * recording into r->trace, then finish the remaining threads by the
 * default policy and classify how the run ended. */
void sim_run_schedule(SimRun *r, const SimSchedule *sched);

/* sim_run_choices - follow an explicit thread sequence (a trail); a
 * choice that is not runnable ends the run as IMPOSSIBLE.  With FINISH the
 * remaining threads then run by the default policy. */
void sim_run_choices(SimRun *r, const int *tids, int n, bool finish);

/* sim_run_cycle - a livelock's counterexample: the first FROM of the N
 * steps TIDS, then the cycle, which must come back to the world it
 * started from (else an engine bug is noted).  Ends as LIVELOCK, the
 * trace marked where the cycle starts. */
void sim_run_cycle(SimRun *r, const int *tids, int n, int from);

/* sim_run_end_cycle - end a run whose steps after the first FROM form a
 * livelock's cycle: LIVELOCK if the world is START again (the world
 * after step FROM) and some unfinished thread ended no op since the
 * caller cleared r->completed (at step FROM), else STOPPED with a
 * note. */
void sim_run_end_cycle(SimRun *r, const SimWorld *start, int from);

/* sim_run_path - re-run the thread sequence TIDS (int, a search's
 * counterexample) from P's initial world with text on, and return the
 * recorded trace (free with sim_trace_free).  It stops after the last
 * choice, as the search did; a livelock's (CYCLE_FROM >= 0, else -1)
 * runs as sim_run_cycle() does. */
SimTrace *sim_run_path(const SimProgram *p, const GArray *tids,
		       int cycle_from);

#endif
