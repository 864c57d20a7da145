/*
 * prog.c - IR helpers: names of properties and constants, ALU, freeing,
 * binding a scenario to a model (sim_program_link), lock instances and
 * their names.
 */
#include <stdio.h>
#include <string.h>
#include "prog.h"

static const char *const prop_names[SIM_PROP_COUNT] = {
	[SIM_PROP_STALE_PTE] = "stale-pte",
	[SIM_PROP_WRITE_TO_FREED] = "write-to-freed",
	[SIM_PROP_UNINIT_READ] = "uninit-read",
	[SIM_PROP_LOST_STORE] = "lost-store",
	[SIM_PROP_LOST_FLUSH] = "lost-flush",
	[SIM_PROP_STALE_ZERO_PAGE] = "stale-zero-page",
	[SIM_PROP_DEADLOCK] = "deadlock",
	[SIM_PROP_LOST_WAKEUP] = "lost-wakeup",
	[SIM_PROP_LIVELOCK] = "livelock",
	[SIM_PROP_LOCK_ORDER] = "lock-order",
	[SIM_PROP_WAIT_ORDER] = "wait-order",
};

const char *sim_prop_name(SimProp p)
{
	return prop_names[p];
}

int sim_prop_lookup(const char *name)
{
	for (int p = 0; p < SIM_PROP_COUNT; p++)
		if (strcmp(prop_names[p], name) == 0)
			return p;
	return -1;
}

/* a number; PAGES and LAST default to the 8-page world (prog.h) */
#define NUM(name, value) { name, value, SIM_SHAPE_NONE }
const SimConst sim_consts[] = {
	NUM("HOLE", SIM_HOLE), NUM("OK", SIM_OK), NUM("SIGBUS", SIM_SIGBUS),
	NUM("EBUSY", SIM_EBUSY), NUM("EIO", SIM_EIO),
	NUM("PTE_NONE", SIM_PTE_NONE), NUM("PTE_RO", SIM_PTE_RO),
	NUM("PTE_RW", SIM_PTE_RW),
	NUM("ENTRY_NONE", SIM_ENTRY_NONE), NUM("ENTRY_EMPTY", SIM_ENTRY_EMPTY),
	NUM("ENTRY_ZERO", SIM_ENTRY_ZERO), NUM("ENTRY_BLOCK", SIM_ENTRY_BLOCK),
	NUM("ENTRY_PAGE", SIM_ENTRY_PAGE),
	NUM("FAULT_NONE", SIM_FAULT_NONE), NUM("FAULT_NOPTE", SIM_FAULT_NOPTE),
	NUM("FAULT_WP", SIM_FAULT_WP),
	NUM("FAULT_FLAG_WRITE", 1), NUM("FAULT_FLAG_MKWRITE", 2),
	{ "PAGES", SIM_PAGES_DEFAULT, SIM_SHAPE_PAGES },
	{ "LAST", SIM_PAGES_DEFAULT - 1, SIM_SHAPE_LAST },
	NUM("TRUE", 1), NUM("FALSE", 0),
	{ NULL, 0, SIM_SHAPE_NONE },
};
#undef NUM

int sim_const_lookup(const char *name, int *value)
{
	for (const SimConst *c = sim_consts; c->name; c++) {
		if (strcmp(c->name, name) == 0) {
			*value = c->value;
			return 1;
		}
	}
	return 0;
}

static int alu(SimAluOp op, int a, int b)
{
	switch (op) {
	case SIM_ALU_ADD: return a + b;
	case SIM_ALU_SUB: return a - b;
	case SIM_ALU_MUL: return a * b;
	case SIM_ALU_DIV: return a / b;
	case SIM_ALU_MOD: return a % b;
	case SIM_ALU_EQ: return a == b;
	case SIM_ALU_NE: return a != b;
	case SIM_ALU_LT: return a < b;
	case SIM_ALU_LE: return a <= b;
	case SIM_ALU_GT: return a > b;
	case SIM_ALU_GE: return a >= b;
	case SIM_ALU_AND: return a && b;
	case SIM_ALU_OR: return a || b;
	case SIM_ALU_NOT: return !a;
	case SIM_ALU_COUNT: break;
	}
	return 0;
}

bool sim_alu(SimAluOp op, int a, int b, int *r)
{
	if ((op == SIM_ALU_DIV || op == SIM_ALU_MOD) && b == 0)
		return false;
	*r = alu(op, a, b);
	return true;
}

void sim_proc_clear(SimProc *p)
{
	g_free(p->name);
	for (int i = 0; p->regnames && i < p->nregs; i++)
		g_free(p->regnames[i]);
	g_free(p->regnames);
	for (int i = 0; p->code && i < p->ncode; i++)
		g_free(p->code[i].callee);
	g_free(p->code);
	g_free(p->file);
	g_free(p->doc);
	memset(p, 0, sizeof(*p));
}

void sim_model_free(SimModel *m)
{
	if (!m)
		return;
	g_free(m->name);
	g_free(m->file);
	g_free(m->summary);
	g_free(m->source);
	g_free(m->order);
	g_free(m->omits);
	g_free(m->extends);
	g_free(m->text);
	for (int i = 0; i < m->nlocks; i++)
		g_free(m->locks[i].name);
	for (int i = 0; i < m->nprocs; i++)
		sim_proc_clear(&m->procs[i]);
	g_free(m->procs);
	g_free(m);
}

void sim_scenario_free(SimScenario *s)
{
	if (!s)
		return;
	g_free(s->name);
	g_free(s->file);
	g_free(s->summary);
	g_free(s->source);
	g_free(s->race);
	for (int i = 0; i < s->nprocs; i++)
		g_free(s->procnames[i]);
	for (int i = 0; i < s->nthreads; i++)
		g_free(s->threads[i].name);
	for (int i = 0; i < s->nbodies; i++)
		sim_proc_clear(&s->bodies[i]);
	g_free(s->bodies);
	for (int i = 0; i < s->nexpects; i++)
		g_free(s->expects[i].model);
	g_free(s->expects);
	for (int i = 0; i < s->nschedules; i++) {
		for (int j = 0; j < s->schedules[i].nseg; j++)
			g_free(s->schedules[i].seg[j].until);
		g_free(s->schedules[i].seg);
		g_free(s->schedules[i].name);
	}
	g_free(s->schedules);
	if (s->workload)
		g_free(s->workload->background);
	g_free(s->workload);
	g_free(s);
}

/* ---- linking ---------------------------------------------------------- */

int sim_lock_instances(const SimLockDecl *d, int nprocs, int npages)
{
	if (d->per_proc)
		return nprocs;
	switch (d->kind) {
	case SIM_LK_PAGE:
	case SIM_LK_ENTRY:
		return npages;
	case SIM_LK_HASHED:
		return d->nslots;
	default:
		return 1;
	}
}

int sim_lock_instance(const SimProgram *p, int decl, int index)
{
	int n = sim_lock_instances(&p->model->locks[decl], p->shape.procs,
				   p->shape.pages);

	/* hash_fn(mapping, index): with one mapping, index mod the array
	 * size, so pgoffs that differ by a multiple of it collide. */
	if (index < 0)
		index = -index;
	return p->lock_base[decl] + index % n;
}

int sim_lock_decl_of(const SimProgram *p, int inst)
{
	return p->lock_decl[inst];
}

const char *sim_lock_name(const SimProgram *p, int inst, char *buf,
			  size_t len)
{
	int d = sim_lock_decl_of(p, inst);
	const SimLockDecl *decl = &p->model->locks[d];
	int idx = inst - p->lock_base[d];

	if (decl->per_proc)
		snprintf(buf, len, "%s[P%d]", decl->name, idx);
	else if (decl->kind == SIM_LK_PAGE || decl->kind == SIM_LK_ENTRY ||
		 decl->kind == SIM_LK_HASHED)
		snprintf(buf, len, "%s[%d]", decl->name, idx);
	else
		snprintf(buf, len, "%s", decl->name);
	return buf;
}

static int find_proc(const SimModel *m, const char *name)
{
	for (int i = 0; i < m->nprocs; i++)
		if (strcmp(m->procs[i].name, name) == 0)
			return i;
	return -1;
}

/* proc_for_shape - a copy of PR (sharing its names) whose PAGES and LAST
 * immediates hold SHAPE's values (prog.h: SimArgShape). */
static SimProc *proc_for_shape(const SimProc *pr, const SimShape *shape)
{
	SimProc *copy = g_new0(SimProc, 1);

	*copy = *pr;
	copy->is_fsync = pr->is_op && strcmp(pr->name, "fsync") == 0;
	copy->code = g_memdup2(pr->code, sizeof(SimInsn) * (gsize)pr->ncode);
	for (int i = 0; i < copy->ncode; i++) {
		SimInsn *in = &copy->code[i];

		for (int a = 0; a < in->nargs && a < SIM_ARGS_MAX; a++) {
			SimArg *arg = &in->arg[a];

			if (arg->kind != SIM_ARG_IMM)
				continue;
			if (arg->shape == SIM_SHAPE_PAGES)
				arg->v = (int16_t)shape->pages;
			else if (arg->shape == SIM_SHAPE_LAST)
				arg->v = (int16_t)(shape->pages - 1);
		}
	}
	return copy;
}

/* A thread body's calls name ops of the model; bind them in a copy. */
static SimProc *bind_body(const SimModel *m, const SimProc *body,
			  const SimShape *shape, char **missing)
{
	SimProc *copy = proc_for_shape(body, shape);

	for (int i = 0; i < copy->ncode; i++) {
		SimInsn *in = &copy->code[i];
		if (in->op != SIM_I_CALL)
			continue;
		int t = find_proc(m, in->callee);
		if (t < 0 || !m->procs[t].is_op ||
		    m->procs[t].nparams != in->nargs) {
			if (!*missing)
				*missing = g_strdup(in->callee);
			continue;
		}
		in->target = (uint16_t)t;
	}
	return copy;
}

/* The deepest call chain from procedure I: its frames, and the registers
 * along it (a callee's frame starts after its caller's registers).  A
 * recursion counts as the ceilings, where the stepper stops it as a
 * broken model.  MARK: 0 unseen, 1 on the path, 2 done (in MEMO). */
typedef struct {
	int frames, regs;
} Chain;

static Chain chain_of(const SimProgram *p, int i, Chain *memo, uint8_t *mark)
{
	const SimProc *pr = p->procs[i];
	Chain deepest = { 0, 0 };

	if (mark[i] == 2)
		return memo[i];
	if (mark[i] == 1)
		return (Chain){ SIM_FRAMES_MAX, SIM_REGS_MAX };
	mark[i] = 1;
	for (int k = 0; k < pr->ncode; k++) {
		if (pr->code[k].op != SIM_I_CALL)
			continue;
		Chain c = chain_of(p, pr->code[k].target, memo, mark);
		deepest.frames = MAX(deepest.frames, c.frames);
		deepest.regs = MAX(deepest.regs, c.regs);
	}
	memo[i] = (Chain){ deepest.frames + 1, deepest.regs + pr->nregs };
	mark[i] = 2;
	return memo[i];
}

/* Frames and registers each thread record needs: the deepest chain of
 * its body, within the ceilings; the shape's frames and regs are the
 * most any thread needs. */
static void shape_stacks(SimProgram *p)
{
	Chain *memo = g_new0(Chain, p->nprocs), most = { 1, 0 };
	uint8_t *mark = g_new0(uint8_t, p->nprocs);
	int n = p->shape.threads;

	p->th_frames = g_new0(uint8_t, n > 0 ? n : 1);
	p->th_regs = g_new0(uint8_t, n > 0 ? n : 1);
	for (int t = 0; t < n; t++) {
		Chain c = chain_of(p, p->body0 + p->scn->threads[t].body,
				   memo, mark);
		p->th_frames[t] = (uint8_t)MIN(MAX(c.frames, 1),
					       SIM_FRAMES_MAX);
		p->th_regs[t] = (uint8_t)MIN(c.regs, SIM_REGS_MAX);
		most.frames = MAX(most.frames, p->th_frames[t]);
		most.regs = MAX(most.regs, p->th_regs[t]);
	}
	p->shape.frames = (uint8_t)most.frames;
	p->shape.regs = (uint8_t)most.regs;
	p->shape.th_frames = p->th_frames;
	p->shape.th_regs = p->th_regs;
	g_free(memo);
	g_free(mark);
}

int sim_scenario_pages(const SimScenario *s)
{
	return MAX(SIM_PAGES_DEFAULT, s->i_size);
}

SimProgram *sim_program_link(const SimModel *model, const SimScenario *scn,
			     char **missing, GError **error)
{
	SimProgram *p = g_new0(SimProgram, 1);
	int n = 0;

	*missing = NULL;
	p->model = model;
	p->scn = scn;
	/* the parser bounds both: SIM_PROCS_CODE_MAX procedures in a
	 * model, a body per thread */
	(void)error;
	p->nprocs = model->nprocs + scn->nbodies;
	g_assert(model->nprocs <= SIM_PROCS_CODE_MAX &&
		 scn->nbodies <= SIM_THREADS_MAX);
	p->shape = (SimShape) {
		.threads = (uint16_t)scn->nthreads,
		.procs = (uint16_t)scn->nprocs,
		.pages = (uint16_t)sim_scenario_pages(scn),
	};
	/* the file's full map, and half as many again to reallocate */
	p->shape.blocks = (uint16_t)(p->shape.pages + p->shape.pages / 2);
	for (int d = 0; d < model->nlocks; d++) {
		p->lock_base[d] = n;
		n += sim_lock_instances(&model->locks[d], p->shape.procs,
					p->shape.pages);
	}
	p->nlocks = n;
	/* no model reaches the bound, whatever the shape: */
	G_STATIC_ASSERT(SIM_PROCS_MAX + 2 * SIM_PAGES_MAX +
			(SIM_LOCKDECLS_MAX - SIM_LOCKDECL_BUILTIN) * UINT8_MAX
			<= SIM_LOCKS_MAX);
	p->lock_kind = g_new0(uint8_t, n > 0 ? n : 1);
	p->lock_decl = g_new0(uint8_t, n > 0 ? n : 1);
	for (int d = 0; d < model->nlocks; d++)
		for (int i = 0; i < sim_lock_instances(&model->locks[d],
				p->shape.procs, p->shape.pages); i++) {
			p->lock_kind[p->lock_base[d] + i] =
				(uint8_t)model->locks[d].kind;
			p->lock_decl[p->lock_base[d] + i] = (uint8_t)d;
		}
	p->shape.locks = (uint16_t)n;
	p->shape.lock_kind = p->lock_kind;
	p->procs = g_new0(SimProc *, p->nprocs);
	for (int i = 0; i < model->nprocs; i++)
		p->procs[i] = proc_for_shape(&model->procs[i], &p->shape);
	p->body0 = model->nprocs;
	for (int i = 0; i < scn->nbodies; i++)
		p->procs[p->body0 + i] = bind_body(model, &scn->bodies[i],
						   &p->shape, missing);
	if (*missing) {
		sim_program_free(p);
		return NULL;
	}
	shape_stacks(p);
	return p;
}

void sim_program_free(SimProgram *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nprocs; i++) {
		if (!p->procs[i])
			continue;
		g_free(p->procs[i]->code);
		g_free(p->procs[i]);
	}
	g_free(p->procs);
	g_free(p->lock_kind);
	g_free(p->lock_decl);
	g_free(p->th_frames);
	g_free(p->th_regs);
	g_free(p);
}
