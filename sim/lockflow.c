/*
 * lockflow.c - static lock analysis of a model's ops (lockflow.h).
 *
 * An abstract state is one path's view: per lock key the least and the
 * greatest number of instances held (equal on a single path, apart once
 * paths are merged; capped at COUNT_CAP), and per register what is known
 * of its value: a constant, "not this constant", or nothing.  Values make
 * the analysis follow the correlations models write: a flag set where a
 * lock is taken and tested where it is dropped (`locked = 1` ...
 * `if locked { unlock_page() }`), an entry kind returned by the callee
 * that locked it.  A branch on a known value follows one side only; one
 * on an unknown value follows both.  Primitives' results are unknown,
 * except grab_entry_page's, whose two outcomes are two states: a page
 * (ENTRY_PAGE, nothing locked) or the entry locked (not ENTRY_PAGE).
 *
 * Each instruction has a set of states (a state covered by one already
 * there is dropped); a set that grows past SET_MAX is merged into one
 * state (counts widened, values that differ forgotten), which bounds
 * loops.  A procedure is solved by sweeping its instructions until no set
 * changes; a call by solving the callee from each state at the call
 * (memoised by procedure and entry state) and continuing from each of its
 * return states.  The rows are then read off in program order, expanding
 * each call from the final set at its call site.
 */
#include <stdio.h>
#include <string.h>
#include "lockflow.h"

#define COUNT_CAP 3
#define SET_MAX   16

enum { V_TOP = 0, V_EQ, V_NE };

typedef struct {
	int16_t v;
	int16_t kind;           /* V_TOP (nothing known), V_EQ v, V_NE v */
} Val;

typedef struct {
	uint8_t lo[SIM_LOCKFLOW_KEYS], hi[SIM_LOCKFLOW_KEYS];
	Val reg[SIM_REGS_MAX];  /* the frame's registers; exits: reg[0] is
				 * the value returned */
} State;

typedef GArray Set;             /* of State */

typedef struct {
	const SimModel *m;
	int stack[SIM_PROCS_CODE_MAX];  /* procedures being solved */
	int depth;
	GHashTable *memo;               /* (proc, entry) -> exit Set */
	GArray *rows, *edges;
} Ctx;

static int key_of(int decl, bool write)
{
	return decl * 2 + (write ? 1 : 0);
}

typedef enum { EF_NONE, EF_TAKE, EF_MAY_TAKE, EF_DROP, EF_WAIT } Effect;

/* effect - what IN (a PRIM) does to the locks held in S; *KEY is set for
 * every effect but EF_NONE. */
static Effect effect(const SimInsn *in, const State *s, int *key)
{
	switch ((SimPrimId)in->sub) {
	case SIM_P_MUTEX_LOCK: case SIM_P_HASH_LOCK: case SIM_P_DOWN_WRITE:
	case SIM_P_RANGE_LOCK:
		*key = key_of(in->lock, true);
		return EF_TAKE;
	case SIM_P_DOWN_READ: case SIM_P_RANGE_LOCK_READ:
		*key = key_of(in->lock, false);
		return EF_TAKE;
	case SIM_P_MUTEX_UNLOCK: case SIM_P_HASH_UNLOCK: case SIM_P_UP_WRITE:
		*key = key_of(in->lock, true);
		return EF_DROP;
	case SIM_P_UP_READ:
		*key = key_of(in->lock, false);
		return EF_DROP;
	case SIM_P_RANGE_UNLOCK:
		*key = key_of(in->lock, s->hi[key_of(in->lock, true)] > 0);
		return EF_DROP;
	case SIM_P_LOCK_PAGE:
		*key = key_of(SIM_LOCKDECL_PAGE, true);
		return EF_TAKE;
	case SIM_P_UNLOCK_PAGE:
		*key = key_of(SIM_LOCKDECL_PAGE, true);
		return EF_DROP;
	case SIM_P_GRAB_ENTRY:
		*key = key_of(SIM_LOCKDECL_ENTRY, true);
		return EF_TAKE;
	case SIM_P_GRAB_ENTRY_PAGE:
		*key = key_of(SIM_LOCKDECL_ENTRY, true);
		return EF_MAY_TAKE;
	case SIM_P_UNLOCK_ENTRY: case SIM_P_UNLOCK_ENTRY_ALL:
		*key = key_of(SIM_LOCKDECL_ENTRY, true);
		return EF_DROP;
	case SIM_P_WAIT_ENTRY:
		*key = key_of(SIM_LOCKDECL_ENTRY, true);
		return EF_WAIT;
	default:
		*key = -1;
		return EF_NONE;
	}
}

/* ---- values -------------------------------------------------------------- */

static Val val(int kind, int v)
{
	return (Val){ .v = (int16_t)v, .kind = (int16_t)kind };
}

static Val arg_val(const State *s, SimArg a)
{
	return a.kind == SIM_ARG_REG ? s->reg[a.v] : val(V_EQ, a.v);
}

/* truth - 1 or 0 when V's truth is known, else -1. */
static int truth(Val v)
{
	if (v.kind == V_EQ)
		return v.v != 0;
	if (v.kind == V_NE && v.v == 0)
		return 1;
	return -1;
}

static Val alu(SimAluOp op, Val a, Val b)
{
	int ta = truth(a), tb = truth(b);

	switch (op) {
	case SIM_ALU_NOT:
		return ta < 0 ? val(V_TOP, 0) : val(V_EQ, !ta);
	case SIM_ALU_AND:
		if (ta == 0 || tb == 0)
			return val(V_EQ, 0);
		return ta == 1 && tb == 1 ? val(V_EQ, 1) : val(V_TOP, 0);
	case SIM_ALU_OR:
		if (ta == 1 || tb == 1)
			return val(V_EQ, 1);
		return ta == 0 && tb == 0 ? val(V_EQ, 0) : val(V_TOP, 0);
	case SIM_ALU_EQ: case SIM_ALU_NE:
		/* x known not to be c, compared with c */
		if ((a.kind == V_NE && b.kind == V_EQ && a.v == b.v) ||
		    (a.kind == V_EQ && b.kind == V_NE && a.v == b.v))
			return val(V_EQ, op == SIM_ALU_NE);
		break;
	case SIM_ALU_DIV: case SIM_ALU_MOD:
		return val(V_TOP, 0);   /* x / 0 is step.c's model error */
	default:
		break;
	}
	int v;
	if (a.kind == V_EQ && b.kind == V_EQ && sim_alu(op, a.v, b.v, &v))
		return val(V_EQ, (int16_t)v);
	return val(V_TOP, 0);
}

/* covers - whether T says all that S says (S adds nothing to a set
 * holding T). */
static bool val_covers(Val t, Val s)
{
	return t.kind == V_TOP || (t.kind == s.kind && t.v == s.v) ||
	       (t.kind == V_NE && s.kind == V_EQ && s.v != t.v);
}

static bool covers(const State *t, const State *s)
{
	for (int k = 0; k < SIM_LOCKFLOW_KEYS; k++)
		if (t->lo[k] > s->lo[k] || t->hi[k] < s->hi[k])
			return false;
	for (int r = 0; r < SIM_REGS_MAX; r++)
		if (!val_covers(t->reg[r], s->reg[r]))
			return false;
	return true;
}

/* merge - T becomes a state covering both T and S. */
static void merge(State *t, const State *s)
{
	for (int k = 0; k < SIM_LOCKFLOW_KEYS; k++) {
		t->lo[k] = MIN(t->lo[k], s->lo[k]);
		t->hi[k] = MAX(t->hi[k], s->hi[k]);
	}
	for (int r = 0; r < SIM_REGS_MAX; r++)
		if (!val_covers(t->reg[r], s->reg[r]))
			t->reg[r] = val_covers(s->reg[r], t->reg[r]) ?
				    s->reg[r] : val(V_TOP, 0);
}

/* set_add - add S to SET unless a state there covers it; whether SET
 * changed.  Past SET_MAX states the set is merged into one. */
static bool set_add(Set *set, const State *s)
{
	for (guint i = 0; i < set->len; i++)
		if (covers(&g_array_index(set, State, i), s))
			return false;
	g_array_append_val(set, *s);
	if (set->len > SET_MAX) {
		State *all = &g_array_index(set, State, 0);

		for (guint i = 1; i < set->len; i++)
			merge(all, &g_array_index(set, State, i));
		g_array_set_size(set, 1);
	}
	return true;
}

static Set *set_new(void)
{
	return g_array_new(FALSE, TRUE, sizeof(State));
}

static void set_free(gpointer set)
{
	g_array_free(set, TRUE);
}

/* ---- locks --------------------------------------------------------------- */

static uint8_t inc(uint8_t n)
{
	return n < COUNT_CAP ? (uint8_t)(n + 1) : n;
}

static uint8_t dec(uint8_t n)
{
	return n > 0 ? (uint8_t)(n - 1) : 0;
}

/* prim - the states after primitive IN from S, added to OUT. */
static void prim(const SimInsn *in, const State *s, Set *out)
{
	State o = *s;
	int k;

	if (in->dst != SIM_NOREG)
		o.reg[in->dst] = val(V_TOP, 0);
	if (in->dst2 != SIM_NOREG)
		o.reg[in->dst2] = val(V_TOP, 0);
	switch (effect(in, s, &k)) {
	case EF_TAKE:
		o.lo[k] = inc(o.lo[k]);
		o.hi[k] = inc(o.hi[k]);
		break;
	case EF_MAY_TAKE:       /* grab_entry_page: two outcomes */
		if (in->dst != SIM_NOREG)
			o.reg[in->dst] = val(V_EQ, SIM_ENTRY_PAGE);
		set_add(out, &o);
		if (in->dst != SIM_NOREG)
			o.reg[in->dst] = val(V_NE, SIM_ENTRY_PAGE);
		o.lo[k] = inc(o.lo[k]);
		o.hi[k] = inc(o.hi[k]);
		break;
	case EF_DROP:
		o.lo[k] = dec(o.lo[k]);
		o.hi[k] = dec(o.hi[k]);
		break;
	default:
		break;
	}
	set_add(out, &o);
}

/* ---- procedures -------------------------------------------------------- */

/* callee - the procedure IN calls, or -1 when it is not to be expanded:
 * unresolved (an abstract model's call to an op its children define) or
 * already being solved (recursion). */
static int callee(const Ctx *c, const SimInsn *in)
{
	int t = in->target;

	if (t >= c->m->nprocs || strcmp(c->m->procs[t].name, in->callee) != 0)
		return -1;
	for (int i = 0; i < c->depth; i++)
		if (c->stack[i] == t)
			return -1;
	return t;
}

/* callee_entry - the state a call IN from S enters its callee in: S's
 * locks, the arguments in the parameters, nothing known of the rest. */
static void callee_entry(const SimInsn *in, const State *s, State *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->lo, s->lo, sizeof(e->lo));
	memcpy(e->hi, s->hi, sizeof(e->hi));
	for (int i = 0; i < in->nargs; i++)
		e->reg[i] = arg_val(s, in->arg[i]);
}

/* A solved procedure: the set of states before each instruction, and
 * the states at its returns. */
typedef struct {
	int ncode;
	Set **at;
	Set *exits;
} Solution;

static void solution_free(Solution *sol)
{
	for (int i = 0; i < sol->ncode; i++)
		set_free(sol->at[i]);
	g_free(sol->at);
	set_free(sol->exits);
}

static void solve(Ctx *c, int proc, const Set *entries, Solution *sol);

/* call_exits - the return states of PROC entered in ENTRY (memoised). */
static const Set *call_exits(Ctx *c, int proc, const State *entry)
{
	struct {
		int proc;
		State entry;
	} key;
	GBytes *k;
	Set *exits;

	memset(&key, 0, sizeof(key));
	key.proc = proc;
	key.entry = *entry;
	k = g_bytes_new(&key, sizeof(key));
	exits = g_hash_table_lookup(c->memo, k);
	if (exits) {
		g_bytes_unref(k);
	} else {
		Set *in = set_new();
		Solution sol;

		g_array_append_val(in, *entry);
		solve(c, proc, in, &sol);
		exits = sol.exits;
		sol.exits = set_new();
		solution_free(&sol);
		set_free(in);
		g_hash_table_insert(c->memo, k, exits);
	}
	return exits;
}

/* step - the states after instruction PC of P from S, added to the sets
 * of its successors in SOL (or to its exits); whether any set changed. */
static bool step(Ctx *c, const SimProc *p, int pc, const State *s,
		 Solution *sol)
{
	const SimInsn *in = &p->code[pc];
	Set *next = pc + 1 < p->ncode ? sol->at[pc + 1] : NULL;
	State o = *s;
	bool changed = false;
	int t, tr;

	switch (in->op) {
	case SIM_I_MOV:
		o.reg[in->dst] = arg_val(s, in->arg[0]);
		break;
	case SIM_I_ALU:
		o.reg[in->dst] = alu(in->sub, arg_val(s, in->arg[0]),
				     in->nargs > 1 ? arg_val(s, in->arg[1]) :
				     val(V_EQ, 0));
		break;
	case SIM_I_JMP:
		return set_add(sol->at[in->target], s);
	case SIM_I_JZ:
		tr = truth(arg_val(s, in->arg[0]));
		if (tr != 1)
			changed |= set_add(sol->at[in->target], s);
		if (tr == 0)
			return changed;
		break;
	case SIM_I_RET:
		memset(&o, 0, sizeof(o));
		memcpy(o.lo, s->lo, sizeof(o.lo));
		memcpy(o.hi, s->hi, sizeof(o.hi));
		o.reg[0] = in->nargs ? arg_val(s, in->arg[0]) : val(V_EQ, 0);
		return set_add(sol->exits, &o);
	case SIM_I_PRIM: {
		Set *out = set_new();

		prim(in, s, out);
		for (guint i = 0; next && i < out->len; i++)
			changed |= set_add(next, &g_array_index(out, State, i));
		set_free(out);
		return changed;
	}
	case SIM_I_CALL:
		if (in->dst != SIM_NOREG)
			o.reg[in->dst] = val(V_TOP, 0);
		if ((t = callee(c, in)) >= 0) {
			State e;
			const Set *exits;

			callee_entry(in, s, &e);
			exits = call_exits(c, t, &e);
			for (guint i = 0; next && i < exits->len; i++) {
				const State *x = &g_array_index(exits, State,
								i);

				memcpy(o.lo, x->lo, sizeof(o.lo));
				memcpy(o.hi, x->hi, sizeof(o.hi));
				if (in->dst != SIM_NOREG)
					o.reg[in->dst] = x->reg[0];
				changed |= set_add(next, &o);
			}
			return changed;
		}
		break;
	default:
		break;
	}
	return next ? set_add(next, &o) | changed : changed;
}

/* solve - the states of PROC entered in each of ENTRIES. */
static void solve(Ctx *c, int proc, const Set *entries, Solution *sol)
{
	const SimProc *p = &c->m->procs[proc];
	bool changed = true;

	sol->ncode = p->ncode;
	sol->at = g_new(Set *, p->ncode);
	for (int i = 0; i < p->ncode; i++)
		sol->at[i] = set_new();
	sol->exits = set_new();
	for (guint i = 0; i < entries->len; i++)
		set_add(sol->at[0], &g_array_index(entries, State, i));
	c->stack[c->depth++] = proc;
	while (changed) {
		changed = false;
		for (int pc = 0; pc < p->ncode; pc++) {
			/* a copy: a loop may add to this very set */
			Set *now = set_new();

			g_array_append_vals(now, sol->at[pc]->data,
					    sol->at[pc]->len);
			for (guint i = 0; i < now->len; i++)
				changed |= step(c, p, pc,
						&g_array_index(now, State, i),
						sol);
			set_free(now);
		}
	}
	c->depth--;
}

/* held - the keys held on every state of SET (MUST) and on some (MAY). */
static void held(const Set *set, SimKeySet *must, SimKeySet *may)
{
	*must = *may = 0;
	for (int k = 0; k < SIM_LOCKFLOW_KEYS; k++) {
		bool all = set->len > 0;

		for (guint i = 0; i < set->len; i++) {
			const State *s = &g_array_index(set, State, i);

			all &= s->lo[k] > 0;
			if (s->hi[k])
				*may |= 1u << k;
		}
		if (all)
			*must |= 1u << k;
	}
}

static void add_edge(Ctx *c, int from, int to, bool must, int row)
{
	for (guint i = 0; i < c->edges->len; i++) {
		SimFlowEdge *e = &g_array_index(c->edges, SimFlowEdge, i);

		if (e->from == from && e->to == to) {
			e->must |= must;
			return;
		}
	}
	g_array_append_val(c->edges,
			   ((SimFlowEdge){ .from = from, .to = to,
					   .must = must, .row = row }));
}

/* emit - the rows of PROC entered in each of ENTRIES, at inlining depth
 * DEPTH. */
static void emit(Ctx *c, int proc, const Set *entries, int depth)
{
	const SimProc *p = &c->m->procs[proc];
	Solution sol;

	solve(c, proc, entries, &sol);
	c->stack[c->depth++] = proc;
	for (int pc = 0; pc < p->ncode; pc++) {
		const SimInsn *in = &p->code[pc];
		const Set *at = sol.at[pc];
		SimFlowRow r = { .depth = depth, .proc = p, .in = in,
				 .reached = at->len > 0, .key = -1 };
		int t = -1;

		if (in->op != SIM_I_PRIM && in->op != SIM_I_CALL)
			continue;
		held(at, &r.must, &r.may);
		if (in->op == SIM_I_PRIM) {
			State none;
			Effect e;

			memset(&none, 0, sizeof(none));
			e = effect(in, at->len ? &g_array_index(at, State, 0) :
				   &none, &r.key);
			r.kind = SIM_FLOW_PRIM;
			if (e == EF_DROP || e == EF_NONE)
				r.key = -1;
			r.may_take = e == EF_MAY_TAKE;
			r.waits = e == EF_WAIT;
		} else {
			t = callee(c, in);
			r.kind = t >= 0 ? SIM_FLOW_CALL : SIM_FLOW_OPAQUE;
			if (t >= 0)
				r.callee = &c->m->procs[t];
		}
		g_array_append_val(c->rows, r);
		for (int k = 0; r.key >= 0 && k < SIM_LOCKFLOW_KEYS; k++)
			if (r.may & (1u << k))
				add_edge(c, k, r.key, (r.must >> k) & 1,
					 (int)c->rows->len - 1);
		if (t < 0)
			continue;
		Set *ce = set_new();

		for (guint i = 0; i < at->len; i++) {
			State e;

			callee_entry(in, &g_array_index(at, State, i), &e);
			set_add(ce, &e);
		}
		emit(c, t, ce, depth + 1);
		set_free(ce);
		r.kind = SIM_FLOW_END;
		g_array_append_val(c->rows, r);
	}
	c->depth--;
	solution_free(&sol);
}

SimLockflow *sim_lockflow_op(const SimModel *m, int proc)
{
	Ctx c = { .m = m };
	Set *entry = set_new();
	State none;
	SimLockflow *f = g_new0(SimLockflow, 1);

	memset(&none, 0, sizeof(none));
	g_array_append_val(entry, none);
	c.memo = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
				       (GDestroyNotify)g_bytes_unref,
				       set_free);
	c.rows = g_array_new(FALSE, FALSE, sizeof(SimFlowRow));
	c.edges = g_array_new(FALSE, FALSE, sizeof(SimFlowEdge));
	emit(&c, proc, entry, 0);
	set_free(entry);
	g_hash_table_destroy(c.memo);
	f->nrows = (int)c.rows->len;
	f->rows = (SimFlowRow *)(void *)g_array_free(c.rows, FALSE);
	f->nedges = (int)c.edges->len;
	f->edges = (SimFlowEdge *)(void *)g_array_free(c.edges, FALSE);
	return f;
}

void sim_lockflow_free(SimLockflow *f)
{
	if (!f)
		return;
	g_free(f->rows);
	g_free(f->edges);
	g_free(f);
}

const char *sim_lockflow_key_name(const SimModel *m, int key, char *buf,
				  size_t size)
{
	const SimLockDecl *d = &m->locks[key / 2];
	bool moded = d->kind == SIM_LK_RWSEM || d->kind == SIM_LK_RANGE;

	snprintf(buf, size, "%s%s", d->name,
		 !moded ? "" : key % 2 ? "(W)" : "(R)");
	return buf;
}
