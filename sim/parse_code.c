/*
 * parse_code.c - name tables, the procedure builder, expressions and
 * statements.  See parse_code.h.
 */
#include <string.h>
#include "parse_code.h"
#include "suggest.h"

#define TEMP_BASE           0x80

/* ---- name tables ------------------------------------------------------ */

int sim_parse_prim_find(const SimToken *t)
{
	for (int i = 0; i < SIM_P_COUNT; i++)
		if (sim_tok_eq(t, sim_prims[i].name))
			return i;
	return -1;
}

const SimConst *sim_parse_const_find(const SimToken *t)
{
	for (const SimConst *c = sim_consts; c->name; c++)
		if (sim_tok_eq(t, c->name))
			return c;
	return NULL;
}

int sim_parse_prop_find(const SimToken *t)
{
	for (int i = 0; i < SIM_PROP_COUNT; i++)
		if (sim_tok_eq(t, sim_prop_name((SimProp)i)))
			return i;
	return -1;
}

int sim_parse_lock_kind_find(const SimToken *t)
{
	for (int k = 0; k < SIM_LK_COUNT; k++)
		if (sim_tok_eq(t, sim_lock_kind_name((SimLockKind)k)))
			return k;
	return -1;
}

int sim_parse_lock_find(const SimModel *m, const SimToken *t)
{
	for (int i = 0; i < m->nlocks; i++)
		if (sim_tok_eq(t, m->locks[i].name))
			return i;
	return -1;
}

int sim_parse_proc_find(const SimModel *m, const char *name)
{
	for (int i = 0; i < m->nprocs; i++)
		if (strcmp(m->procs[i].name, name) == 0)
			return i;
	return -1;
}

/* Words the statement language reserves. */
bool sim_parse_is_reserved(const SimToken *t)
{
	static const char *const words[] = {
		"if", "else", "while", "for", "in", "return",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (sim_tok_is(t, words[i]))
			return true;
	return false;
}

/* ---- procedure builder ------------------------------------------------ */

void sim_pb_init(SimProcBuilder *pb)
{
	memset(pb, 0, sizeof(*pb));
	pb->code = g_array_new(FALSE, TRUE, sizeof(SimInsn));
	pb->names = g_ptr_array_new_with_free_func(g_free);
}

void sim_pb_free(SimProcBuilder *pb)
{
	for (guint i = 0; pb->code && i < pb->code->len; i++)
		g_free(g_array_index(pb->code, SimInsn, i).callee);
	if (pb->code)
		g_array_free(pb->code, TRUE);
	if (pb->names)
		g_ptr_array_free(pb->names, TRUE);
	memset(pb, 0, sizeof(*pb));
}

static int pb_ncode(const SimParser *p)
{
	return (int)p->pb->code->len;
}

static SimInsn *pb_insn(const SimParser *p, int i)
{
	return &g_array_index(p->pb->code, SimInsn, i);
}

int sim_parse_local_find(const SimParser *p, const SimToken *t)
{
	for (guint i = 0; i < p->pb->names->len; i++)
		if (sim_tok_eq(t, g_ptr_array_index(p->pb->names, i)))
			return (int)i;
	return -1;
}

static gboolean regs_check(SimParser *p, int line, int col)
{
	int n = (int)p->pb->names->len + p->pb->maxtemps;

	if (n > SIM_REGS_MAX)
		return sim_parse_fail_at(p, line, col, SIM_PARSE_ERROR_BOUND,
			       "too many registers: %d locals and temporaries, "
			       "more than SIM_REGS_MAX (%d)", n, SIM_REGS_MAX);
	return TRUE;
}

static gboolean local_new(SimParser *p, const SimToken *t, int *reg)
{
	*reg = (int)p->pb->names->len;
	g_ptr_array_add(p->pb->names, sim_tok_dup(t));
	return regs_check(p, t->line, t->col);
}

static gboolean temp_new(SimParser *p, int *reg)
{
	*reg = TEMP_BASE + p->pb->ntemps++;
	if (p->pb->ntemps > p->pb->maxtemps)
		p->pb->maxtemps = p->pb->ntemps;
	return regs_check(p, p->sline, p->scol);
}

static SimArg arg_imm(int v)
{
	return (SimArg){ .kind = SIM_ARG_IMM, .v = (int16_t)v };
}

static SimArg arg_reg(int r)
{
	return (SimArg){ .kind = SIM_ARG_REG, .v = (int16_t)r };
}

static bool arg_is_temp(SimArg a)
{
	return a.kind == SIM_ARG_REG && a.v >= TEMP_BASE;
}

static void insn_init(SimInsn *in, SimOpcode op, int line, int col)
{
	memset(in, 0, sizeof(*in));
	in->op = (uint8_t)op;
	in->dst = in->dst2 = SIM_NOREG;
	in->lock = -1;
	in->line = (uint16_t)CLAMP(line, 0, G_MAXUINT16);
	in->col = (uint16_t)CLAMP(col, 0, G_MAXUINT16);
}

/* emit - append IN (taking its callee); its index, or -1 when the
 * procedure is full. */
static int emit(SimParser *p, SimInsn *in)
{
	if (pb_ncode(p) >= SIM_CODE_MAX) {
		g_free(in->callee);
		sim_parse_fail_at(p, in->line, in->col, SIM_PARSE_ERROR_BOUND,
			"procedure too long: more than SIM_CODE_MAX (%d) "
			"instructions", SIM_CODE_MAX);
		return -1;
	}
	g_array_append_val(p->pb->code, *in);
	return pb_ncode(p) - 1;
}

static gboolean emit_mov(SimParser *p, int dst, SimArg a)
{
	SimInsn in;

	insn_init(&in, SIM_I_MOV, p->sline, p->scol);
	in.dst = (uint8_t)dst;
	in.nargs = 1;
	in.arg[0] = a;
	return emit(p, &in) >= 0;
}

/* emit_jump - JMP (A ignored) or JZ A, to TARGET (patched later when the
 * target is ahead). */
static int emit_jump(SimParser *p, SimOpcode op, SimArg a, int target)
{
	SimInsn in;

	insn_init(&in, op, p->sline, p->scol);
	in.target = (uint16_t)target;
	if (op == SIM_I_JZ) {
		in.nargs = 1;
		in.arg[0] = a;
	}
	return emit(p, &in);
}

static void patch_here(SimParser *p, int jump)
{
	pb_insn(p, jump)->target = (uint16_t)pb_ncode(p);
}

/* emit_alu - *OUT = A op B in a temporary.  BASE is the temporaries in use
 * before the operands were computed: the operands' temporaries are free
 * once the instruction has read them, so the result reuses the first. */
static gboolean emit_alu(SimParser *p, SimAluOp op, SimArg a, SimArg b,
			 int nargs, int base, SimArg *out)
{
	SimInsn in;
	int r;

	p->pb->ntemps = base;
	if (!temp_new(p, &r))
		return FALSE;
	insn_init(&in, SIM_I_ALU, p->sline, p->scol);
	in.sub = (uint8_t)op;
	in.dst = (uint8_t)r;
	in.nargs = (uint8_t)nargs;
	in.arg[0] = a;
	in.arg[1] = b;
	*out = arg_reg(r);
	return emit(p, &in) >= 0;
}

static void remap_reg(const SimProcBuilder *pb, uint8_t *r)
{
	if (*r != SIM_NOREG && *r >= TEMP_BASE)
		*r = (uint8_t)(pb->names->len + (*r - TEMP_BASE));
}

/* pb_finish - move the built code into OUT, numbering temporaries after
 * the named registers (guarantee 2 of parse.h). */
static void pb_finish(SimProcBuilder *pb, SimProc *out)
{
	int nnamed = (int)pb->names->len;

	for (guint i = 0; i < pb->code->len; i++) {
		SimInsn *in = &g_array_index(pb->code, SimInsn, i);

		remap_reg(pb, &in->dst);
		remap_reg(pb, &in->dst2);
		for (int a = 0; a < in->nargs && a < SIM_ARGS_MAX; a++)
			if (arg_is_temp(in->arg[a]))
				in->arg[a].v = (int16_t)(nnamed +
					       (in->arg[a].v - TEMP_BASE));
	}
	out->nparams = pb->nparams;
	out->nregs = nnamed + pb->maxtemps;
	out->regnames = g_new0(char *, out->nregs + 1);
	for (int i = 0; i < out->nregs; i++)
		out->regnames[i] = i < nnamed ?
			g_strdup(g_ptr_array_index(pb->names, i)) : g_strdup("");
	out->ncode = (int)pb->code->len;
	out->code = (SimInsn *)(void *)g_array_free(pb->code, FALSE);
	pb->code = NULL;
	sim_pb_free(pb);
}

/* ---- expressions ------------------------------------------------------ */

#define LEVEL_UNARY 6

/* Binary operators by precedence level, lowest first. */
static const struct {
	SimTokKind tok;
	SimAluOp op;
	int level;
} binops[] = {
	{ TK_OR, SIM_ALU_OR, 0 }, { TK_AND, SIM_ALU_AND, 1 },
	{ TK_EQ, SIM_ALU_EQ, 2 }, { TK_NE, SIM_ALU_NE, 2 },
	{ TK_LT, SIM_ALU_LT, 3 }, { TK_LE, SIM_ALU_LE, 3 },
	{ TK_GT, SIM_ALU_GT, 3 }, { TK_GE, SIM_ALU_GE, 3 },
	{ TK_PLUS, SIM_ALU_ADD, 4 }, { TK_MINUS, SIM_ALU_SUB, 4 },
	{ TK_STAR, SIM_ALU_MUL, 5 }, { TK_SLASH, SIM_ALU_DIV, 5 },
	{ TK_PERCENT, SIM_ALU_MOD, 5 },
};

static gboolean expr_level(SimParser *p, int level, SimArg *out);

static gboolean expr(SimParser *p, SimArg *out)
{
	return expr_level(p, 0, out);
}

/* A name in an expression: a local, else a constant.  A call is never
 * part of an expression, because each primitive must be its own
 * scheduling point (README.md). */
static gboolean expr_name(SimParser *p, const SimToken *t, SimArg *out)
{
	SimToken u = sim_lex_peek(p);
	const SimConst *c;
	int v;

	if (u.kind == TK_LPAREN) {
		if (sim_parse_prim_find(t) >= 0)
			return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
				    "primitive '%.*s' must stand alone: "
				    "assign its result first", SPAN(t));
		return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
			    "call to '%.*s' must stand alone: assign its "
			    "result first", SPAN(t));
	}
	v = sim_parse_local_find(p, t);
	if (v >= 0) {
		*out = arg_reg(v);
		return TRUE;
	}
	if ((c = sim_parse_const_find(t))) {
		*out = arg_imm(c->value);
		out->shape = (uint8_t)c->shape;
		return TRUE;
	}
	return FAIL(p, t, SIM_PARSE_ERROR_NAME, "unknown name '%.*s'",
		    SPAN(t));
}

static gboolean expr_primary(SimParser *p, SimArg *out)
{
	SimToken t = sim_lex_next(p);
	gboolean ok;

	switch (t.kind) {
	case TK_NUMBER:
		*out = arg_imm(t.value);
		return TRUE;
	case TK_IDENT:
		return expr_name(p, &t, out);
	case TK_LPAREN:
		if (!sim_parse_nest_enter(p, &t))
			return FALSE;
		ok = expr(p, out) &&
		     sim_parse_expect(p, TK_RPAREN, "')'", NULL);
		p->nest--;
		return ok;
	default:
		return sim_parse_unexpected(p, &t, "an expression");
	}
}

/* Unary operators fold on immediates, so `-7` is an immediate; not on
 * PAGES or LAST, whose value is the linked world's (prog.h). */
static gboolean expr_unary(SimParser *p, SimArg *out)
{
	SimToken t = sim_lex_peek(p);
	int base = p->pb->ntemps;
	gboolean ok;

	if (t.kind != TK_MINUS && t.kind != TK_NOT)
		return expr_primary(p, out);
	sim_lex_advance(p, &t);
	if (!sim_parse_nest_enter(p, &t))
		return FALSE;
	ok = expr_unary(p, out);
	p->nest--;
	if (!ok)
		return FALSE;
	if (out->kind == SIM_ARG_IMM && out->shape == SIM_SHAPE_NONE) {
		int v = t.kind == TK_MINUS ? -out->v : !out->v;

		*out = arg_imm((int16_t)(uint16_t)v);
		return TRUE;
	}
	if (t.kind == TK_MINUS)
		return emit_alu(p, SIM_ALU_SUB, arg_imm(0), *out, 2, base, out);
	return emit_alu(p, SIM_ALU_NOT, *out, arg_imm(0), 1, base, out);
}

static int binop_find(SimTokKind kind, int level)
{
	for (size_t i = 0; i < G_N_ELEMENTS(binops); i++)
		if (binops[i].tok == kind && binops[i].level == level)
			return (int)i;
	return -1;
}

static gboolean expr_level(SimParser *p, int level, SimArg *out)
{
	int base = p->pb->ntemps;

	if (level == LEVEL_UNARY)
		return expr_unary(p, out);
	if (!expr_level(p, level + 1, out))
		return FALSE;
	for (;;) {
		SimToken t = sim_lex_peek(p);
		int i = binop_find(t.kind, level);
		SimArg rhs;

		if (i < 0)
			return TRUE;
		sim_lex_advance(p, &t);
		if (!expr_level(p, level + 1, &rhs) ||
		    !emit_alu(p, binops[i].op, *out, rhs, 2, base, out))
			return FALSE;
	}
}

/* ---- statements ------------------------------------------------------- */

static gboolean stmt(SimParser *p);

/* Words that start a line of a model or scenario file. */
static bool is_file_word(const SimToken *t)
{
	static const char *const words[] = {
		"model", "extends", "abstract", "summary", "source", "order",
		"omits", "lock", "fn", "op", "scenario", "race", "file",
		"proc", "thread", "check", "expect", "schedule",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (sim_tok_is(t, words[i]))
			return true;
	return false;
}

/* A forgotten '}' shows as a file line (`op f() {`) inside the block;
 * saying so at the brace beats an "unexpected" at the next line. */
static bool looks_like_file_line(const SimParser *p, const SimToken *t)
{
	SimToken u;

	if (t->col != 1 || !is_file_word(t))
		return false;
	u = sim_lex_peek2(p);
	return u.kind != TK_ASSIGN && u.kind != TK_COMMA &&
	       u.kind != TK_LPAREN;
}

/* block - '{' stmt* '}'; *CLOSE gets the closing brace. */
static gboolean block(SimParser *p, SimToken *close)
{
	SimToken open;

	if (!sim_parse_expect(p, TK_LBRACE, "'{'", &open) ||
	    !sim_parse_nest_enter(p, &open))
		return FALSE;
	for (;;) {
		SimToken t = sim_lex_peek(p);

		if (t.kind == TK_SEMI) {
			sim_lex_advance(p, &t);
		} else if (t.kind == TK_RBRACE) {
			sim_lex_advance(p, &t);
			if (close)
				*close = t;
			p->nest--;
			return TRUE;
		} else if (t.kind == TK_EOF || looks_like_file_line(p, &t)) {
			return FAIL(p, &open, SIM_PARSE_ERROR_SYNTAX,
				    "unterminated block: '{' has no "
				    "matching '}'");
		} else if (!stmt(p)) {
			return FALSE;
		}
	}
}

/* dst_reg - the register assignment to T writes: its local, or a new one
 * (so the right-hand side must have been compiled first). */
static gboolean dst_reg(SimParser *p, const SimToken *t, int *reg)
{
	*reg = sim_parse_local_find(p, t);
	if (*reg >= 0)
		return TRUE;
	if (sim_parse_const_find(t))
		return FAIL(p, t, SIM_PARSE_ERROR_NAME,
			    "cannot assign to constant '%.*s'", SPAN(t));
	if (sim_parse_is_reserved(t))
		return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
			    "'%.*s' is a reserved word", SPAN(t));
	return local_new(p, t, reg);
}

/* arg_list - expressions up to ')'; MORE: one is required first (after a
 * comma).  Stores up to SIM_ARGS_MAX, counts all in *N. */
static gboolean arg_list(SimParser *p, bool more, SimArg *args, int *n)
{
	SimToken t = sim_lex_peek(p);

	if (!more && t.kind == TK_RPAREN) {
		sim_lex_advance(p, &t);
		return TRUE;
	}
	for (;;) {
		SimArg a;

		if (!expr(p, &a))
			return FALSE;
		if (*n < SIM_ARGS_MAX)
			args[*n] = a;
		(*n)++;
		t = sim_lex_next(p);
		if (t.kind == TK_RPAREN)
			return TRUE;
		if (t.kind != TK_COMMA)
			return sim_parse_unexpected(p, &t, "',' or ')'");
	}
}

static gboolean lock_arg(SimParser *p, const SimToken *name, const SimPrim *pr,
			 SimInsn *in)
{
	SimToken l;
	int d;

	if (!sim_parse_expect(p, TK_IDENT, "a lock name", &l))
		return FALSE;
	d = sim_parse_lock_find(p->model, &l);
	if (d < 0)
		return FAIL(p, &l, SIM_PARSE_ERROR_NAME, "unknown lock '%.*s'",
			    SPAN(&l));
	if (p->model->locks[d].kind != pr->lockkind)
		return FAIL(p, &l, SIM_PARSE_ERROR_NAME,
			    "%.*s needs a %s, '%.*s' is a %s", SPAN(name),
			    sim_lock_kind_name((SimLockKind)pr->lockkind),
			    SPAN(&l), sim_lock_kind_name(
				    (SimLockKind)p->model->locks[d].kind));
	in->lock = (int8_t)d;
	return TRUE;
}

/* prim_args - the arguments of primitive ID after '(': a lock class first
 * for SIM_PA_LOCK primitives, then values. */
static gboolean prim_args(SimParser *p, const SimToken *name, int id,
			  SimInsn *in)
{
	const SimPrim *pr = &sim_prims[id];
	int n = 0, nlock = 0;
	SimToken t = sim_lex_peek(p);

	if (p->thread_body)
		return FAIL(p, name, SIM_PARSE_ERROR_NAME,
			    "thread bodies call ops; '%.*s' is a primitive",
			    SPAN(name));
	if (pr->argkind == SIM_PA_LOCK && t.kind != TK_RPAREN) {
		if (!lock_arg(p, name, pr, in))
			return FALSE;
		nlock = 1;
		t = sim_lex_next(p);
		if (t.kind == TK_COMMA) {
			if (!arg_list(p, true, in->arg, &n))
				return FALSE;
		} else if (t.kind != TK_RPAREN) {
			return sim_parse_unexpected(p, &t, "',' or ')'");
		}
	} else if (!arg_list(p, false, in->arg, &n)) {
		return FALSE;
	}
	if (n + nlock != pr->nargs)
		return FAIL(p, name, SIM_PARSE_ERROR_SYNTAX,
			    "wrong number of arguments to '%s': expected %d, "
			    "got %d", pr->name, pr->nargs, n + nlock);
	in->nargs = (uint8_t)n;
	return TRUE;
}

/* bind_results - the result registers of a call statement: D1 (and D2)
 * or none; a procedure returns one value, a primitive as many as
 * sim_prims[] says. */
static gboolean bind_results(SimParser *p, const SimToken *name, int id,
			     const SimToken *d1, const SimToken *d2, SimInsn *in)
{
	int nres = id >= 0 ? sim_prims[id].nresults : 1;
	const char *what = id >= 0 ? "primitive" : "procedure";
	int r;

	if (d1 && nres == 0)
		return FAIL(p, name, SIM_PARSE_ERROR_SYNTAX,
			    "%s '%.*s' returns no value", what, SPAN(name));
	if (d2 && nres < 2)
		return FAIL(p, name, SIM_PARSE_ERROR_SYNTAX,
			    "too many results: %s '%.*s' returns one value",
			    what, SPAN(name));
	if (d2 && d1->len == d2->len && memcmp(d1->s, d2->s, d1->len) == 0)
		return FAIL(p, d2, SIM_PARSE_ERROR_NAME,
			    "'%.*s' assigned twice", SPAN(d2));
	if (d1) {
		if (!dst_reg(p, d1, &r))
			return FALSE;
		in->dst = (uint8_t)r;
	}
	if (d2) {
		if (!dst_reg(p, d2, &r))
			return FALSE;
		in->dst2 = (uint8_t)r;
	}
	return TRUE;
}

/* call - NAME '(' args ')' as a statement assigning D1 (and D2) or
 * nothing.  The cursor is at the '('. */
static gboolean call(SimParser *p, const SimToken *name, const SimToken *d1,
		     const SimToken *d2)
{
	int id = sim_parse_prim_find(name);
	SimInsn in;
	int n = 0;

	insn_init(&in, id >= 0 ? SIM_I_PRIM : SIM_I_CALL, name->line,
		  name->col);
	if (!sim_parse_expect(p, TK_LPAREN, "'('", NULL))
		return FALSE;
	if (id >= 0) {
		in.sub = (uint8_t)id;
		if (!prim_args(p, name, id, &in))
			return FALSE;
	} else {
		if (!arg_list(p, false, in.arg, &n))
			return FALSE;
		if (n > SIM_ARGS_MAX)
			return FAIL(p, name, SIM_PARSE_ERROR_BOUND,
				    "too many arguments to '%.*s': more than "
				    "SIM_ARGS_MAX (%d)", SPAN(name),
				    SIM_ARGS_MAX);
		in.nargs = (uint8_t)n;
	}
	if (!bind_results(p, name, id, d1, d2, &in))
		return FALSE;
	if (id < 0)
		in.callee = sim_tok_dup(name);
	return emit(p, &in) >= 0;
}

/* assign - DST '=' rhs, the cursor after the '='. */
static gboolean assign(SimParser *p, const SimToken *dst)
{
	SimToken t = sim_lex_peek(p);
	SimArg v;
	int r;

	if (t.kind == TK_IDENT && sim_lex_peek2(p).kind == TK_LPAREN) {
		sim_lex_advance(p, &t);
		return call(p, &t, dst, NULL);
	}
	if (!expr(p, &v) || !dst_reg(p, dst, &r))
		return FALSE;
	/* The value was just computed into a temporary by the last
	 * instruction: compute it into DST instead of copying. */
	if (arg_is_temp(v) && pb_ncode(p) > 0 &&
	    pb_insn(p, pb_ncode(p) - 1)->dst == v.v) {
		pb_insn(p, pb_ncode(p) - 1)->dst = (uint8_t)r;
		return TRUE;
	}
	return emit_mov(p, r, v);
}

/* stmt_simple - a statement starting with a name: assignment, two-result
 * assignment, or a call whose result is discarded. */
static gboolean stmt_simple(SimParser *p, const SimToken *name)
{
	SimToken u, d2, f;

	sim_lex_advance(p, name);
	u = sim_lex_peek(p);
	if (u.kind == TK_LPAREN)
		return call(p, name, NULL, NULL);
	if (u.kind == TK_ASSIGN) {
		sim_lex_advance(p, &u);
		return assign(p, name);
	}
	if (u.kind != TK_COMMA)
		return sim_parse_unexpected(p, &u, "'=', ',' or '('");
	sim_lex_advance(p, &u);
	if (!sim_parse_expect(p, TK_IDENT, "a name", &d2) ||
	    !sim_parse_expect(p, TK_ASSIGN, "'='", NULL) ||
	    !sim_parse_expect(p, TK_IDENT, "a primitive", &f))
		return FALSE;
	return call(p, &f, name, &d2);
}

/* if E {..} [else if E {..}]... [else {..}]: a flat chain of arms is one
 * level of nesting however long it is (each arm's block nests once). */
static gboolean stmt_if(SimParser *p)
{
	SimToken kw = sim_lex_next(p), e;
	int mark = p->pb->ntemps, jz, jmp;
	GArray *ends = g_array_new(FALSE, FALSE, sizeof(int));
	gboolean ok = sim_parse_nest_enter(p, &kw);
	SimArg c;

	while (ok) {
		p->sline = kw.line;
		p->scol = kw.col;
		if (!expr(p, &c))
			ok = FALSE;
		else if ((jz = emit_jump(p, SIM_I_JZ, c, 0)) < 0)
			ok = FALSE;
		p->pb->ntemps = mark;
		if (!ok || !block(p, NULL)) {
			ok = FALSE;
			break;
		}
		e = sim_lex_peek(p);
		if (!sim_tok_is(&e, "else")) {
			patch_here(p, jz);
			break;
		}
		sim_lex_advance(p, &e);
		p->sline = e.line;
		p->scol = e.col;
		if ((jmp = emit_jump(p, SIM_I_JMP, arg_imm(0), 0)) < 0) {
			ok = FALSE;
			break;
		}
		g_array_append_val(ends, jmp);
		patch_here(p, jz);
		kw = sim_lex_peek(p);
		if (!sim_tok_is(&kw, "if")) {
			ok = block(p, NULL);
			break;
		}
		sim_lex_advance(p, &kw);
	}
	for (guint i = 0; ok && i < ends->len; i++)
		patch_here(p, g_array_index(ends, int, i));
	g_array_free(ends, TRUE);
	p->nest--;
	return ok;
}

static gboolean stmt_while(SimParser *p)
{
	SimToken kw = sim_lex_next(p);
	int top = pb_ncode(p), mark = p->pb->ntemps, jz;
	SimArg c;

	if (!expr(p, &c))
		return FALSE;
	jz = emit_jump(p, SIM_I_JZ, c, 0);
	p->pb->ntemps = mark;
	if (jz < 0 || !block(p, NULL))
		return FALSE;
	p->sline = kw.line;
	p->scol = kw.col;
	if (emit_jump(p, SIM_I_JMP, arg_imm(0), top) < 0)
		return FALSE;
	patch_here(p, jz);
	return TRUE;
}

/* for VAR in LO .. HI: HI is evaluated once, so a named register is
 * copied to a temporary the body cannot assign. */
static gboolean stmt_for(SimParser *p)
{
	SimToken kw = sim_lex_next(p), var;
	SimArg lo, hi, c;
	int r, t, top, jz;

	if (!sim_parse_expect(p, TK_IDENT, "a loop variable", &var) ||
	    !sim_parse_expect_keyword(p, "in") || !expr(p, &lo) ||
	    !sim_parse_expect(p, TK_DOTDOT, "'..'", NULL) || !expr(p, &hi))
		return FALSE;
	if (hi.kind == SIM_ARG_REG && !arg_is_temp(hi)) {
		if (!temp_new(p, &t) || !emit_mov(p, t, hi))
			return FALSE;
		hi = arg_reg(t);
	}
	if (!dst_reg(p, &var, &r) || !emit_mov(p, r, lo))
		return FALSE;
	top = pb_ncode(p);
	if (!emit_alu(p, SIM_ALU_LE, arg_reg(r), hi, 2, p->pb->ntemps, &c))
		return FALSE;
	jz = emit_jump(p, SIM_I_JZ, c, 0);
	p->pb->ntemps--;
	if (jz < 0 || !block(p, NULL))
		return FALSE;
	p->sline = kw.line;
	p->scol = kw.col;
	if (!emit_alu(p, SIM_ALU_ADD, arg_reg(r), arg_imm(1), 2,
		      p->pb->ntemps, &c))
		return FALSE;
	pb_insn(p, pb_ncode(p) - 1)->dst = (uint8_t)r;
	p->pb->ntemps--;
	if (emit_jump(p, SIM_I_JMP, arg_imm(0), top) < 0)
		return FALSE;
	patch_here(p, jz);
	return TRUE;
}

/* return [expr]: the value, if any, starts on the return's line, since
 * newlines are only whitespace and the next statement may start with a
 * name. */
static gboolean stmt_return(SimParser *p)
{
	SimToken kw = sim_lex_next(p), t = sim_lex_peek(p);
	SimInsn in;

	insn_init(&in, SIM_I_RET, kw.line, kw.col);
	if (t.line == kw.line && t.kind != TK_RBRACE && t.kind != TK_SEMI &&
	    t.kind != TK_EOF) {
		if (!expr(p, &in.arg[0]))
			return FALSE;
		in.nargs = 1;
	}
	return emit(p, &in) >= 0;
}

static gboolean stmt(SimParser *p)
{
	SimToken t = sim_lex_peek(p);
	int mark = p->pb->ntemps, sline = p->sline, scol = p->scol;
	gboolean ok;

	if (t.kind != TK_IDENT)
		return sim_parse_unexpected(p, &t, "a statement");
	p->sline = t.line;
	p->scol = t.col;
	if (sim_tok_is(&t, "if"))
		ok = stmt_if(p);
	else if (sim_tok_is(&t, "while"))
		ok = stmt_while(p);
	else if (sim_tok_is(&t, "for"))
		ok = stmt_for(p);
	else if (sim_tok_is(&t, "return"))
		ok = stmt_return(p);
	else if (sim_parse_is_reserved(&t))
		ok = FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
			  "unexpected '%.*s', expected a statement", SPAN(&t));
	else
		ok = stmt_simple(p, &t);
	p->pb->ntemps = mark;
	p->sline = sline;
	p->scol = scol;
	return ok;
}

/* body - a procedure's block, compiled into OUT with the implicit
 * `RET 0` at its closing brace.  PB holds the parameters already. */
gboolean sim_parse_body(SimParser *p, SimProcBuilder *pb, SimProc *out)
{
	SimToken close;
	SimInsn in;

	p->pb = pb;
	if (!block(p, &close))
		return FALSE;
	insn_init(&in, SIM_I_RET, close.line, close.col);
	if (emit(p, &in) < 0)
		return FALSE;
	pb_finish(pb, out);
	p->pb = NULL;
	return TRUE;
}
