/*
 * loops.h - what a procedure's code says about its registers.
 *
 * A static analysis of the IR (prog.h), for the reduction's futures
 * (por.h) and the livelock test (livelock.h): which registers the
 * procedure ever assigns, and its for loops in the parser's shape
 *
 *     MOV v, lo; top: ALU t = v <= hi; JZ t, out; body;
 *     ALU v = v + 1; JMP top
 *
 * whose variable nothing else assigns, whose bound is not assigned in
 * the loop, and into which nothing jumps from outside: then v ranges
 * over [lo, hi] in the body.  From that, the span an argument may take
 * (SimSpan): bounds that are constants, or parameters the procedure
 * never assigns (registers 0..nparams-1 hold the values passed at
 * entry); anything else is every pgoff (sim_span_all).
 */
#ifndef SIM_LOOPS_H
#define SIM_LOOPS_H

#include <stdbool.h>
#include <stdint.h>
#include "prog.h"

/* Spans name pgoffs 0..SIM_SPAN_PAGES - 1, the pages the reduction's
 * footprints can tell apart (por.h); a bound past them is every pgoff. */
#define SIM_SPAN_PAGES 8

typedef struct {
	uint8_t param;          /* v is a parameter number, else a constant */
	int8_t v;
} SimBound;

typedef struct {
	SimBound lo, hi;
} SimSpan;

#define SIM_LOOPS_MAX 8

typedef struct {
	bool assigned[SIM_REGS_MAX];
	struct {
		uint8_t var;
		int body, end;  /* the body is [body, end) */
		SimSpan s;
	} loop[SIM_LOOPS_MAX];
	int nloops;
} SimLoops;

/* Every pgoff. */
extern const SimSpan sim_span_all;

/* sim_span_const - the one pgoff V (every pgoff if V is past them). */
SimSpan sim_span_const(int v);

bool sim_span_eq(SimSpan a, SimSpan b);
bool sim_span_is_all(SimSpan s);

/* sim_insn_is_jump - JMP or JZ. */
bool sim_insn_is_jump(const SimInsn *in);

/* sim_loops_scan - PR's assigned registers and for loops. */
void sim_loops_scan(SimLoops *pi, const SimProc *pr);

/* sim_loops_arg_span - the pgoffs argument A of the instruction at PC
 * may take. */
SimSpan sim_loops_arg_span(const SimLoops *pi, const SimProc *pr, int pc,
			   const SimArg *a);

#endif
