/*
 * loops.c - assigned registers, counted for loops, argument spans.  See
 * loops.h.
 */
#include <string.h>
#include "loops.h"

static SimBound bound_const(int v)
{
	return (SimBound){ .param = 0,
			.v = (int8_t)CLAMP(v, -1, SIM_SPAN_PAGES) };
}

const SimSpan sim_span_all = { { 0, 0 }, { 0, SIM_SPAN_PAGES - 1 } };

static bool bound_eq(SimBound a, SimBound b)
{
	return a.param == b.param && a.v == b.v;
}

SimSpan sim_span_const(int v)
{
	return (SimSpan){ bound_const(v), bound_const(v) };
}

bool sim_span_eq(SimSpan a, SimSpan b)
{
	return bound_eq(a.lo, b.lo) && bound_eq(a.hi, b.hi);
}

bool sim_span_is_all(SimSpan s)
{
	return sim_span_eq(s, sim_span_all);
}

/* The bound an argument register or immediate gives at loop entry:
 * a constant or an unassigned parameter; false for anything else. */
static bool entry_bound(const SimLoops *pi, const SimProc *pr,
			const SimArg *a, SimBound *b)
{
	if (a->kind == SIM_ARG_IMM) {
		*b = bound_const(a->v);
		return true;
	}
	if (a->v >= 0 && a->v < pr->nparams && !pi->assigned[a->v]) {
		*b = (SimBound){ .param = 1, .v = (int8_t)a->v };
		return true;
	}
	return false;
}

static bool writes_reg(const SimInsn *in, int r)
{
	switch (in->op) {
	case SIM_I_MOV: case SIM_I_ALU: case SIM_I_CALL: case SIM_I_PRIM:
		return in->dst == r || in->dst2 == r;
	default:
		return false;
	}
}

bool sim_insn_is_jump(const SimInsn *in)
{
	return in->op == SIM_I_JMP || in->op == SIM_I_JZ;
}

/* Whether a jump outside [lo, hi) lands in [tlo, thi). */
static bool jumps_in(const SimProc *pr, int lo, int hi, int tlo, int thi)
{
	for (int pc = 0; pc < pr->ncode; pc++)
		if ((pc < lo || pc >= hi) && sim_insn_is_jump(&pr->code[pc]) &&
		    pr->code[pc].target >= tlo && pr->code[pc].target < thi)
			return true;
	return false;
}

/* A for loop whose MOV v, lo is at I (see above); false if the code there
 * is not one, or its variable's range is not known. */
static bool find_loop(SimLoops *pi, const SimProc *pr, int i)
{
	const SimInsn *c = pr->code;
	int n = pr->ncode;

	if (i + 2 >= n || c[i].op != SIM_I_MOV || c[i].dst == SIM_NOREG)
		return false;
	int v = c[i].dst;
	const SimInsn *le = &c[i + 1], *jz = &c[i + 2];
	if (le->op != SIM_I_ALU || le->sub != SIM_ALU_LE || le->nargs != 2 ||
	    le->arg[0].kind != SIM_ARG_REG || le->arg[0].v != v ||
	    le->dst == SIM_NOREG || le->dst == v)
		return false;
	if (jz->op != SIM_I_JZ || jz->arg[0].kind != SIM_ARG_REG ||
	    jz->arg[0].v != le->dst)
		return false;
	int out = jz->target;
	if (out < i + 5 || out > n)
		return false;
	const SimInsn *inc = &c[out - 2], *back = &c[out - 1];
	if (back->op != SIM_I_JMP || back->target != i + 1 ||
	    inc->op != SIM_I_ALU || inc->sub != SIM_ALU_ADD ||
	    inc->nargs != 2 || inc->dst != v ||
	    inc->arg[0].kind != SIM_ARG_REG || inc->arg[0].v != v ||
	    inc->arg[1].kind != SIM_ARG_IMM || inc->arg[1].v != 1)
		return false;
	SimSpan s;
	if (!entry_bound(pi, pr, &c[i].arg[0], &s.lo))
		return false;
	const SimArg *hi = &le->arg[1];
	if (hi->kind == SIM_ARG_REG && hi->v == v)
		return false;
	for (int pc = i + 1; pc < out; pc++)
		if (pc != out - 2 && writes_reg(&c[pc], v))
			return false;
	if (!entry_bound(pi, pr, hi, &s.hi)) {
		/* hi in a register copied just before the loop, from a
		 * constant or parameter, and not assigned in the loop */
		int hr = hi->v;
		if (i < 1 || c[i - 1].op != SIM_I_MOV || c[i - 1].dst != hr ||
		    !entry_bound(pi, pr, &c[i - 1].arg[0], &s.hi) ||
		    jumps_in(pr, -1, -1, i, i + 1))
			return false;
		for (int pc = i; pc < out; pc++)
			if (writes_reg(&c[pc], hr))
				return false;
	}
	if (jumps_in(pr, i + 1, out, i + 1, out) || pi->nloops >= SIM_LOOPS_MAX)
		return false;
	pi->loop[pi->nloops].var = (uint8_t)v;
	pi->loop[pi->nloops].body = i + 3;
	pi->loop[pi->nloops].end = out - 2;
	pi->loop[pi->nloops].s = s;
	pi->nloops++;
	return true;
}

void sim_loops_scan(SimLoops *pi, const SimProc *pr)
{
	memset(pi, 0, sizeof(*pi));
	for (int pc = 0; pc < pr->ncode; pc++)
		for (int r = 0; r < SIM_REGS_MAX && r < pr->nregs; r++)
			if (writes_reg(&pr->code[pc], r))
				pi->assigned[r] = true;
	for (int pc = 0; pc < pr->ncode; pc++)
		find_loop(pi, pr, pc);
}

/* The pgoffs argument A of the instruction at PC may take. */
SimSpan sim_loops_arg_span(const SimLoops *pi, const SimProc *pr, int pc,
		     const SimArg *a)
{
	SimBound b;

	if (entry_bound(pi, pr, a, &b))
		return (SimSpan){ b, b };
	for (int l = 0; l < pi->nloops; l++)
		if (pi->loop[l].var == a->v && pc >= pi->loop[l].body &&
		    pc < pi->loop[l].end)
			return pi->loop[l].s;
	return sim_span_all;
}
