/*
 * trace.h - a recorded run, and its three renderings: the column diagram
 * the kernel threads draw, versioned JSON, and the trail file that
 * `faultline replay` reproduces.
 *
 * A trace is filled step by step by run.c (sim_run_*), which executes the
 * steps with text enabled; rendering never re-executes anything.
 *
 * Trail format (text, one item per line, README "Trail files"):
 *   faultline-trail 1
 *   scenario PATH
 *   model NAME
 *   steps N [cycle K]                    a livelock's cycle is the steps
 *                                        after the first K
 *   T<tid> <line>:<col> <primitive>      one line per step: the thread and
 *                                        the instruction it executes
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <glib.h>
#include "prog.h"

#define SIM_JSON_VERSION 1

typedef struct {
	int tid;
	int step;               /* 1-based */
	char *text;             /* lines for the thread's column */
	char *msg;              /* violation lines, or NULL */
	char *locks;            /* after the step, one line per lock each
				 * thread holds or waits for: "T0 holds
				 * i_rwsem read", "T1 waits page[3] write" */
	const char *file;       /* the file of the procedure executed
				 * (borrowed from the program) */
	uint16_t line, col;     /* the primitive executed */
	uint8_t prim;
} SimTraceStep;

typedef enum {
	SIM_END_DONE,           /* every thread finished */
	SIM_END_STUCK,          /* deadlock or lost wake-up */
	SIM_END_IMPOSSIBLE,     /* the schedule asks for a thread that
				 * cannot run under this model */
	SIM_END_MODEL_ERROR,
	SIM_END_BOUND,          /* SIM_STEPS_MAX reached */
	SIM_END_STOPPED,        /* a counterexample's last step was taken */
	SIM_END_LIVELOCK,       /* a livelock's cycle came back to where it
				 * started */
} SimEnd;

typedef struct {
	const SimProgram *prog;
	GArray *steps;          /* SimTraceStep */
	SimPropSet found;       /* every property violated */
	SimEnd end;
	char *end_note;         /* why it ended, for IMPOSSIBLE / STUCK / ... */
	char *order[2];         /* reports of sim_lockdep_props[], or NULL */
	int cycle_from;         /* steps before a livelock's cycle, or -1 */
} SimTrace;

SimTrace *sim_trace_new(const SimProgram *p);
void sim_trace_free(SimTrace *t);

/* sim_trace_schedule - "0,0,1,1" of the steps taken. */
char *sim_trace_schedule(const SimTrace *t);

/* sim_trace_diagram - the column diagram, one column per thread. */
void sim_trace_diagram(const SimTrace *t, GString *out);

/* sim_trace_json - the trace as JSON (SIM_JSON_VERSION) into OUT. */
void sim_trace_json(const SimTrace *t, const char *command, GString *out);

/* sim_trace_json_run - the run itself, without the command, scenario and
 * model, as one JSON object: schedule, end, properties, steps, lock order
 * and the column diagram.  sim_trace_json's body; `faultline matrix
 * --json` writes one per counterexample. */
void sim_trace_json_run(const SimTrace *t, GString *out);

/* sim_trace_trail - the trail file text. */
void sim_trace_trail(const SimTrace *t, GString *out);

/* A trail read back: what replay re-executes and checks. */
typedef struct {
	char *scenario;
	char *model;
	GArray *steps;          /* SimTraceStep: tid, line, col, prim */
	GArray *lines;          /* int: the trail line of each step */
	int cycle_from;         /* a livelock's: steps before the cycle, or
				 * -1 */
} SimTrail;

/* sim_trail_parse - read trail TEXT (ORIGIN names it in messages, which
 * are "ORIGIN:LINE:1: ...").  Fills *OUT (free with sim_trail_clear) or
 * returns FALSE with ERROR set and *OUT empty. */
gboolean sim_trail_parse(const char *text, const char *origin, SimTrail *out,
			 GError **error);
void sim_trail_clear(SimTrail *t);

/* sim_json_string - append S to OUT as a JSON string literal. */
void sim_json_string(GString *out, const char *s);

/* sim_json_props - append SET to OUT as a JSON array of property names. */
void sim_json_props(GString *out, SimPropSet set);

/* sim_json_lines - append the lines of S (NULL: none) to OUT as a JSON
 * array of strings. */
void sim_json_lines(GString *out, const char *s);

/* sim_props_format - "stale-pte write-to-freed" (or "none"). */
void sim_props_format(GString *out, SimPropSet set);

#endif
