/*
 * check_prog.c - the op IR (sim/prog.h) and the stepper (sim/step.h):
 * what each instruction and each primitive does to a thread and to the
 * world, and what a broken model is told.
 *
 * Contracts tested, one TCase each:
 *   alu       sim_alu for every operation, division by zero refused;
 *   names     constants and property names look up both ways;
 *   local     every local instruction kind (MOV, ALU, JMP, JZ, CALL, RET)
 *             executes as specified inside a step; calls pass arguments
 *             and results, nest, and leave a returning frame's registers
 *             zeroed;
 *   park      local instructions are not scheduling points: a step runs
 *             exactly one primitive and leaves the thread parked at a PRIM
 *             (or done);
 *   locks     the lock primitives: who holds, who sleeps, who is handed
 *             the lock or woken to retry; hashed mutex collisions;
 *   prims     every other primitive's effect on SimWorld and its results
 *             (the table test makes sure no primitive lacks an op here);
 *   errors    model errors stop the step with "FILE:LINE:COL: broken
 *             model: T<n>: ..." naming the model's own line;
 *   link      sim_program_link, lock instances and their names;
 *   assert    SIM_ASSERT fires on a world the stepper must not be given.
 *
 * Programs are built from text with the parser (sim/parse.h); the model
 * file name is "t.model" so messages read "t.model:LINE:COL: ...".
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "bitset.h"
#include "fixture.h"
#include "oracle.h"

Suite *prog_suite(void);

/* ---- fixture ---------------------------------------------------------- */

/* One thread T0 in a file of FILE ("file size 4 blocks 0..1"). */
static Fx *fx_new1(const char *model, const char *file, const char *body)
{
	char *scn = g_strdup_printf("scenario s\n%s\nthread T0 {\n%s\n}\n",
				    file, body);
	Fx *f = fx_new(model, scn);

	g_free(scn);
	return f;
}

/* The value of register NAME of T<tid>'s thread body. */
static int fx_reg(const Fx *f, int tid, const char *name)
{
	const SimProc *body = f->p->procs[f->p->body0 +
					  f->s->threads[tid].body];

	for (int i = 0; i < body->nregs; i++)
		if (strcmp(body->regnames[i], name) == 0)
			return sim_th_reg(sim_thread(f->w, tid))[i];
	ck_abort_msg("no register %s", name);
	return 0;
}

static int fx_decl(const Fx *f, const char *name)
{
	for (int d = 0; d < f->m->nlocks; d++)
		if (strcmp(f->m->locks[d].name, name) == 0)
			return d;
	ck_abort_msg("no lock class %s", name);
	return -1;
}

static int fx_lock(const Fx *f, const char *name, int index)
{
	return sim_lock_instance(f->p, fx_decl(f, name), index);
}

static int fx_proc(const Fx *f, const char *name)
{
	for (int i = 0; i < f->p->nprocs; i++)
		if (strcmp(f->p->procs[i]->name, name) == 0)
			return i;
	ck_abort_msg("no procedure %s", name);
	return -1;
}

/* Whether T<tid> is parked at a PRIM, or done. */
static bool parked(const Fx *f, int tid)
{
	const SimInsn *in = sim_step_next_insn(f->w, f->p, tid);

	if (!in)
		return sim_thread(f->w, tid)->status == SIM_TH_DONE;
	return in->op == SIM_I_PRIM;
}

/* "t.model:LINE:COL" of the first occurrence of NEEDLE in TEXT. */
static char *where(const char *text, const char *needle)
{
	const char *hit = strstr(text, needle);
	int line = 1, col = 1;

	ck_assert_ptr_nonnull(hit);
	for (const char *c = text; c < hit; c++) {
		if (*c == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return g_strdup_printf("t.model:%d:%d", line, col);
}

/* ---- the primitives model --------------------------------------------- */

/* One op per primitive, so a scenario line exercises exactly one.  Lock
 * ops hold their lock across a spacer (i_size_read) so another thread can
 * be stepped against the holder. */
static const char prims_model[] =
	"model t\n"
	"lock M mutex\n"
	"lock R rwsem\n"
	"lock H hashed_mutex 4\n"
	"lock RL range_lock\n"
	"op park() {\n\ti_size_read()\n\treturn 0\n}\n"
	"op mhold() {\n\tmutex_lock(M)\n\ti_size_read()\n"
	"\tmutex_unlock(M)\n\treturn 0\n}\n"
	"op rhold() {\n\tdown_read(R)\n\ti_size_read()\n"
	"\tup_read(R)\n\treturn 0\n}\n"
	"op whold() {\n\tdown_write(R)\n\ti_size_read()\n"
	"\tup_write(R)\n\treturn 0\n}\n"
	"op ubal() {\n\tdown_read(R)\n\tup_write(R)\n\treturn 0\n}\n"
	"op dhold() {\n\tdown_write(R)\n\ti_size_read()\n"
	"\tdowngrade_write(R)\n\ti_size_read()\n"
	"\tup_read(R)\n\treturn 0\n}\n"
	"op phold(p) {\n\tlock_page(p)\n\ti_size_read()\n"
	"\tunlock_page(p)\n\treturn 0\n}\n"
	"op hhold(p) {\n\thash_lock(H, p)\n\ti_size_read()\n"
	"\thash_unlock(H, p)\n\treturn 0\n}\n"
	"op rlw(s, e) {\n\trange_lock(RL, s, e)\n\ti_size_read()\n"
	"\trange_unlock(RL, s, e)\n\treturn 0\n}\n"
	"op rlr(s, e) {\n\trange_lock_read(RL, s, e)\n\ti_size_read()\n"
	"\trange_unlock(RL, s, e)\n\treturn 0\n}\n"
	"op ehold(p) {\n\te = grab_entry(p)\n\ti_size_read()\n"
	"\tunlock_entry(p)\n\treturn e\n}\n"
	"op eholdall(p) {\n\te = grab_entry(p)\n\ti_size_read()\n"
	"\tunlock_entry_all(p)\n\treturn e\n}\n"
	"op ewait(p) {\n\te = wait_entry(p)\n\treturn e\n}\n"
	"op isize() {\n\tn = i_size_read()\n\treturn n\n}\n"
	"op setsize(n) {\n\ti_size_write(n)\n\treturn 0\n}\n"
	"op shrink(n) {\n\ti_size_write(n)\n\ti_size_read()\n\treturn 0\n}\n"
	"op gb(p, c) {\n\tb, new = get_block(p, c)\n\treturn b * 100 + new\n}\n"
	"op gbz(p, c) {\n\tb, new = get_block_zeroed(p, c)\n"
	"\treturn b * 100 + new\n}\n"
	"op gbu(p, c) {\n\tb, new = get_block_unwritten(p, c)\n"
	"\treturn b * 100 + new\n}\n"
	"op conv(p) {\n\tconvert_unwritten(p)\n\treturn 0\n}\n"
	"op ewdel(p) {\n\te = wait_delete_entry(p)\n\treturn e\n}\n"
	"op zero(b) {\n\tzero_block(b)\n\treturn 0\n}\n"
	"op freeb(s, e) {\n\tfree_blocks(s, e)\n\treturn 0\n}\n"
	"op shift(s, e) {\n\tshift_blocks(s, e)\n\treturn 0\n}\n"
	"op oalloc() {\n\tb = other_alloc()\n\treturn b\n}\n"
	"op ptel(p) {\n\ts = pte_lookup(p)\n\treturn s\n}\n"
	"op setpte(p, b, w) {\n\tr = set_pte(p, b, w)\n\treturn r\n}\n"
	"op setzero(p) {\n\tr = set_pte_zero(p)\n\treturn r\n}\n"
	"op setpage(p, w) {\n\tr = set_pte_page(p, w)\n\treturn r\n}\n"
	"op setanon(p) {\n\tr = set_pte_anon(p)\n\treturn r\n}\n"
	"op mkw(p) {\n\tpte_mkwrite(p)\n\treturn 0\n}\n"
	"op pteb(p) {\n\tb = pte_block(p)\n\treturn b\n}\n"
	"op zap(s, e) {\n\tzap_ptes(s, e)\n\treturn 0\n}\n"
	"op wrprot(p) {\n\twrprotect(p)\n\treturn 0\n}\n"
	"op pmapped(p) {\n\tm = page_mapped(p)\n\treturn m\n}\n"
	"op findp(p) {\n\tr = find_page(p)\n\treturn r\n}\n"
	"op addp(p, b) {\n\tr = add_page(p, b)\n\treturn r\n}\n"
	"op delp(s, e) {\n\tdelete_pages(s, e)\n\ti_size_read()\n"
	"\treturn 0\n}\n"
	"op dirtyp(p) {\n\tset_page_dirty(p)\n\treturn 0\n}\n"
	"op wbp(p, b) {\n\twriteback_page(p, b)\n\treturn 0\n}\n"
	"op readp(p) {\n\tr = read_page(p)\n\treturn r\n}\n"
	"op writep(p) {\n\tr = write_page(p)\n\treturn r\n}\n"
	"op gete(p) {\n\te = get_entry(p)\n\treturn e\n}\n"
	"op sete(p, k) {\n\tset_entry(p, k)\n\treturn 0\n}\n"
	"op dele(s, e) {\n\tdelete_entries(s, e)\n\treturn 0\n}\n"
	"op tagd(p) {\n\ttag_dirty(p)\n\treturn 0\n}\n"
	"op tagw(s, e) {\n\ttag_towrite(s, e)\n\treturn 0\n}\n"
	"op testw(p) {\n\tt = test_towrite(p)\n\treturn t\n}\n"
	"op cleart(p) {\n\tclear_tags(p)\n\treturn 0\n}\n"
	"op flush(b) {\n\tflush_cache(b)\n\treturn 0\n}\n"
	"op dio(b) {\n\tdio_write(b)\n\treturn 0\n}\n"
	"op readb(p, b) {\n\tread_block(p, b)\n\treturn 0\n}\n"
	"op writeb(p, b) {\n\twrite_block(p, b)\n\treturn 0\n}\n"
	"op st(p) {\n\tr = user_store(p)\n\treturn r\n}\n"
	"op ld(p) {\n\tr = user_load(p)\n\treturn r\n}\n"
	"op egp(p) {\n\te = grab_entry_page(p)\n\tif e != ENTRY_PAGE {\n"
	"\t\ti_size_read()\n\t\tunlock_entry(p)\n\t}\n\treturn e\n}\n"
	"op fillp(p, b) {\n\tr = fill_page(p, b)\n\treturn r\n}\n"
	"op invp(p) {\n\tr = invalidate_page(p)\n\treturn r\n}\n"
	"op diow(b, s, e) {\n\tdio_write(b)\n\tdio_done(s, e)\n\treturn 0\n}\n";

#define FILE4 "file size 4 blocks 0..3"
#define FILE4_2 "file size 4 blocks 0..1"

/* Every primitive of the table appears in prims_model: adding one to
 * prim.h without a test here fails. */
START_TEST(test_prims_table_covered)
{
	Fx *f = fx_new1(prims_model, FILE4, "park()");
	bool used[SIM_P_COUNT] = { false };

	for (int i = 0; i < f->m->nprocs; i++)
		for (int j = 0; j < f->m->procs[i].ncode; j++)
			if (f->m->procs[i].code[j].op == SIM_I_PRIM)
				used[f->m->procs[i].code[j].sub] = true;
	for (int i = 0; i < SIM_P_COUNT; i++)
		ck_assert_msg(used[i], "primitive %s has no op in "
			      "prims_model", sim_prims[i].name);
	for (int i = 0; i < SIM_P_COUNT; i++)
		ck_assert_int_eq(sim_prim_lookup(sim_prims[i].name), i);
	ck_assert_int_eq(sim_prim_lookup("no_such_prim"), -1);
	fx_free(f);
}
END_TEST

/* ---- alu -------------------------------------------------------------- */

START_TEST(test_alu_ops)
{
	static const struct { SimAluOp op; int a, b, r; } t[] = {
		{ SIM_ALU_ADD, 7, -3, 4 }, { SIM_ALU_SUB, 7, 9, -2 },
		{ SIM_ALU_MUL, -6, 7, -42 }, { SIM_ALU_DIV, 7, 2, 3 },
		{ SIM_ALU_DIV, -7, 2, -3 }, { SIM_ALU_MOD, 7, 3, 1 },
		{ SIM_ALU_MOD, -7, 3, -1 },
		{ SIM_ALU_EQ, 3, 3, 1 }, { SIM_ALU_EQ, 3, 4, 0 },
		{ SIM_ALU_NE, 3, 4, 1 }, { SIM_ALU_NE, 3, 3, 0 },
		{ SIM_ALU_LT, 3, 4, 1 }, { SIM_ALU_LT, 4, 4, 0 },
		{ SIM_ALU_LE, 4, 4, 1 }, { SIM_ALU_LE, 5, 4, 0 },
		{ SIM_ALU_GT, 5, 4, 1 }, { SIM_ALU_GT, 4, 4, 0 },
		{ SIM_ALU_GE, 4, 4, 1 }, { SIM_ALU_GE, 3, 4, 0 },
		{ SIM_ALU_AND, 2, -1, 1 }, { SIM_ALU_AND, 2, 0, 0 },
		{ SIM_ALU_OR, 0, 5, 1 }, { SIM_ALU_OR, 0, 0, 0 },
		{ SIM_ALU_NOT, 0, 9, 1 }, { SIM_ALU_NOT, 7, 0, 0 },
		{ SIM_ALU_COUNT, 1, 1, 0 },
	};
	static const struct { SimAluOp op; int a, b; } zero[] = {
		{ SIM_ALU_DIV, 7, 0 }, { SIM_ALU_DIV, 0, 0 },
		{ SIM_ALU_MOD, 7, 0 },
	};
	int v;
	bool seen[SIM_ALU_COUNT] = { false };

	for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
		v = -999;
		ck_assert(sim_alu(t[i].op, t[i].a, t[i].b, &v));
		ck_assert_msg(v == t[i].r, "alu %d(%d, %d) = %d, want %d",
			      t[i].op, t[i].a, t[i].b, v, t[i].r);
		if (t[i].op < SIM_ALU_COUNT)
			seen[t[i].op] = true;
	}
	for (int op = 0; op < SIM_ALU_COUNT; op++)
		ck_assert_msg(seen[op], "ALU op %d untested", op);
	for (size_t i = 0; i < G_N_ELEMENTS(zero); i++)
		ck_assert(!sim_alu(zero[i].op, zero[i].a, zero[i].b, &v));
}
END_TEST

/* ---- names ------------------------------------------------------------ */

START_TEST(test_consts)
{
	static const struct { const char *name; int v; } t[] = {
		{ "HOLE", 0 }, { "OK", 0 }, { "SIGBUS", -7 }, { "EBUSY", -16 },
		{ "EIO", -5 }, { "PTE_NONE", 0 }, { "PTE_RO", 1 },
		{ "PTE_RW", 2 }, { "ENTRY_NONE", 0 }, { "ENTRY_EMPTY", 1 },
		{ "ENTRY_ZERO", 2 }, { "ENTRY_BLOCK", 3 }, { "ENTRY_PAGE", 4 },
		{ "FAULT_NONE", 0 },
		{ "FAULT_NOPTE", 1 }, { "FAULT_WP", 2 },
		{ "FAULT_FLAG_WRITE", 1 }, { "FAULT_FLAG_MKWRITE", 2 },
		{ "PAGES", SIM_PAGES_DEFAULT }, { "LAST", SIM_PAGES_DEFAULT - 1 },
		{ "TRUE", 1 }, { "FALSE", 0 },
	};
	int v = 12345, n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
		ck_assert_msg(sim_const_lookup(t[i].name, &v), "%s",
			      t[i].name);
		ck_assert_int_eq(v, t[i].v);
	}
	for (const SimConst *c = sim_consts; c->name; c++)
		n++;
	ck_assert_int_eq(n, (int)G_N_ELEMENTS(t));
	v = 12345;
	ck_assert(!sim_const_lookup("hole", &v));
	ck_assert_int_eq(v, 12345);
}
END_TEST

START_TEST(test_prop_names)
{
	static const char *const names[SIM_PROP_COUNT] = {
		"stale-pte", "write-to-freed", "uninit-read", "lost-store",
		"lost-flush", "stale-zero-page", "deadlock", "lost-wakeup",
		"livelock", "lock-order", "wait-order",
	};

	for (int p = 0; p < SIM_PROP_COUNT; p++) {
		ck_assert_str_eq(sim_prop_name((SimProp)p), names[p]);
		ck_assert_int_eq(sim_prop_lookup(names[p]), p);
	}
	ck_assert_int_eq(sim_prop_lookup("stale_pte"), -1);
	ck_assert_int_eq(sim_prop_lookup(""), -1);
}
END_TEST

/* ---- local instructions ----------------------------------------------- */

static const char local_model[] =
	"model t\n"
	"fn add(a, b) {\n\treturn a + b\n}\n"
	"fn twice(a) {\n\tx = add(a, a)\n\treturn x\n}\n"
	"fn lvl2() {\n\tn = i_size_read()\n\treturn n * 10\n}\n"
	"fn lvl1() {\n\ty = lvl2()\n\treturn y + 1\n}\n"
	"fn nothing() {\n\treturn\n}\n"
	"op park() {\n\ti_size_read()\n\treturn 0\n}\n"
	/* MOV, ALU, JZ (if/while), JMP (else, loop back), CALL, RET */
	"op mix(a, b) {\n"
	"\ti_size_read()\n"
	"\tx = a\n"
	"\tsum = 0\n"
	"\ti = 0\n"
	"\twhile i < b {\n"
	"\t\tsum = sum + x\n"
	"\t\ti = i + 1\n"
	"\t}\n"
	"\tif sum > 20 {\n"
	"\t\tk = 1\n"
	"\t} else {\n"
	"\t\tk = 2\n"
	"\t}\n"
	"\td = a / b\n"
	"\tm = a % b\n"
	"\tz = nothing()\n"
	"\treturn sum * 100 + k * 10 + d + m + z\n"
	"}\n"
	"op nest(a) {\n"
	"\ti_size_read()\n"
	"\ty = twice(a)\n"
	"\tz = add(y, 1)\n"
	"\treturn z\n"
	"}\n"
	"op deep() {\n\tv = lvl1()\n\treturn v\n}\n"
	"op locals(a) {\n"
	"\tx = a * 3\n"
	"\ty = x + 1\n"
	"\ti_size_read()\n"
	"\treturn y\n"
	"}\n"
	"op noprim(a) {\n\treturn a + 1\n}\n"
	/* an else-if chain: each arm, and the final else */
	"op arms(a) {\n"
	"\ti_size_read()\n"
	"\tif a == 0 {\n\t\tk = 10\n"
	"\t} else if a == 1 {\n\t\tk = 11\n"
	"\t} else if a == 2 {\n\t\tk = 12\n"
	"\t} else {\n\t\tk = 13\n\t}\n"
	"\treturn k\n"
	"}\n"
	"op spin() {\n\ti_size_read()\n\twhile 1 {\n\t}\n\treturn 0\n}\n";

/* The compiled ops use every local opcode, so the tests below run each
 * of them. */
START_TEST(test_local_opcodes_used)
{
	Fx *f = fx_new1(local_model, FILE4, "park()");
	bool used[SIM_I_COUNT] = { false };

	for (int i = 0; i < f->m->nprocs; i++)
		for (int j = 0; j < f->m->procs[i].ncode; j++)
			used[f->m->procs[i].code[j].op] = true;
	for (int op = 0; op < SIM_I_COUNT; op++)
		ck_assert_msg(used[op], "opcode %d not exercised", op);
	fx_free(f);
}
END_TEST

START_TEST(test_local_mix)
{
	/* 7 three times: sum 21 > 20, k = 1; 7 / 3 = 2, 7 % 3 = 1 */
	Fx *f = fx_new1(local_model, FILE4, "r = mix(7, 3)\ns = mix(4, 2)\n"
			"park()");

	ck_assert(f->init_ok);
	fx_run(f, "0");
	ck_assert_int_eq(fx_reg(f, 0, "r"), 2113);
	fx_run(f, "0");
	ck_assert_int_eq(fx_reg(f, 0, "s"), 822);
	ck_assert_int_eq(f->notes->step, 2);
	ck_assert(!f->ctx.model_error);
	fx_free(f);
}
END_TEST

START_TEST(test_local_else_if_chain)
{
	Fx *f = fx_new1(local_model, FILE4, "a = arms(0)\nb = arms(1)\n"
			"c = arms(2)\nd = arms(7)\npark()");

	ck_assert(f->init_ok);
	for (int i = 0; i < 4; i++)
		fx_run(f, "0");
	ck_assert_int_eq(fx_reg(f, 0, "a"), 10);
	ck_assert_int_eq(fx_reg(f, 0, "b"), 11);
	ck_assert_int_eq(fx_reg(f, 0, "c"), 12);
	ck_assert_int_eq(fx_reg(f, 0, "d"), 13);
	fx_free(f);
}
END_TEST

START_TEST(test_local_nested_calls)
{
	Fx *f = fx_new1(local_model, FILE4, "r = nest(4)\npark()");

	fx_run(f, "0");
	ck_assert_int_eq(fx_reg(f, 0, "r"), 9);
	ck_assert_int_eq(sim_thread(f->w, 0)->depth, 2);      /* in park */
	fx_free(f);
}
END_TEST

/* A primitive three calls deep: the thread parks there with every frame
 * on its stack, and the results come back through each return. */
START_TEST(test_local_deep_park)
{
	Fx *f = fx_new1(local_model, "file size 3", "r = deep()\npark()");
	const SimThread *t = sim_thread(f->w, 0);

	ck_assert_int_eq(t->depth, 4);
	ck_assert_int_eq(sim_th_frame(t)[0].proc, f->p->body0);
	ck_assert_int_eq(sim_th_frame(t)[1].proc, fx_proc(f, "deep"));
	ck_assert_int_eq(sim_th_frame(t)[2].proc, fx_proc(f, "lvl1"));
	ck_assert_int_eq(sim_th_frame(t)[3].proc, fx_proc(f, "lvl2"));
	fx_run(f, "0");
	ck_assert_int_eq(fx_reg(f, 0, "r"), 31);
	ck_assert_int_eq(t->depth, 2);
	fx_free(f);
}
END_TEST

/* Arguments land in the callee's first registers; a returning frame's
 * registers are cleared (equal states hash equal). */
START_TEST(test_local_regs_zeroed_on_return)
{
	Fx *f = fx_new1(local_model, FILE4, "r = locals(5)\npark()");
	const SimThread *t = sim_thread(f->w, 0);
	int base = sim_th_frame(t)[1].base;

	ck_assert_int_eq(base, 1);              /* after the body's r */
	ck_assert_int_eq(sim_th_reg(t)[base + 0], 5);  /* a */
	ck_assert_int_eq(sim_th_reg(t)[base + 1], 15); /* x */
	ck_assert_int_eq(sim_th_reg(t)[base + 2], 16); /* y */
	fx_run(f, "0");
	ck_assert_int_eq(fx_reg(f, 0, "r"), 16);
	for (int i = 1; i < t->nregs; i++)
		ck_assert_msg(sim_th_reg(t)[i] == 0, "reg %d = %d", i, sim_th_reg(t)[i]);
	fx_free(f);
}
END_TEST

/* A finished thread's registers are all zero and its stack empty. */
START_TEST(test_local_thread_done)
{
	Fx *f = fx_new1(local_model, FILE4, "r = locals(5)\nq = r + 1");
	const SimThread *t = sim_thread(f->w, 0);

	fx_run(f, "0");
	ck_assert_int_eq(t->status, SIM_TH_DONE);
	ck_assert_int_eq(t->depth, 0);
	ck_assert_int_eq(sim_step_runnable(f->w), 0);
	ck_assert_ptr_null(sim_step_next_insn(f->w, f->p, 0));
	for (int i = 0; i < t->nregs; i++)
		ck_assert_int_eq(sim_th_reg(t)[i], 0);
	fx_free(f);
}
END_TEST

/* ---- park ------------------------------------------------------------- */

/* Each step is one primitive; between steps every thread sits at a PRIM,
 * however much local code lies between its primitives. */
START_TEST(test_park_one_prim_per_step)
{
	Fx *f = fx_new("model t\n"
		       "op loop(n) {\n"
		       "\tfor i in 1..n {\n"
		       "\t\tj = 0\n"
		       "\t\twhile j < 5 {\n\t\t\tj = j + 1\n\t\t}\n"
		       "\t\ti_size_read()\n"
		       "\t}\n"
		       "\treturn 0\n"
		       "}\n",
		       "scenario s\nfile size 2\n"
		       "thread T0 {\n\tloop(3)\n\tloop(2)\n}\n"
		       "thread T1 {\n\tloop(1)\n}\n");
	int steps = 0;

	ck_assert(f->init_ok);
	ck_assert(parked(f, 0) && parked(f, 1));
	while (sim_step_runnable(f->w)) {
		int tid = sim_step_runnable(f->w) & 1 ? 0 : 1;
		uint32_t before = f->notes->step;
		fx_step(f, tid);
		steps++;
		ck_assert_uint_eq(f->notes->step, before + 1);
		ck_assert(parked(f, 0) && parked(f, 1));
		ck_assert(steps <= 6);
	}
	ck_assert_int_eq(steps, 6);
	ck_assert_int_eq(sim_thread(f->w, 0)->status, SIM_TH_DONE);
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_DONE);
	fx_free(f);
}
END_TEST

/* An op without a primitive runs inside sim_step_init: no step at all. */
START_TEST(test_park_no_prim_thread)
{
	Fx *f = fx_new1(local_model, FILE4, "r = noprim(4)");

	ck_assert(f->init_ok);
	ck_assert_int_eq(sim_thread(f->w, 0)->status, SIM_TH_DONE);
	ck_assert_int_eq(sim_step_runnable(f->w), 0);
	ck_assert_int_eq(f->notes->step, 0);
	fx_free(f);
}
END_TEST

/* sim_step_init: the initial world of the scenario. */
START_TEST(test_park_init_world)
{
	Fx *f = fx_new("model t\nlock H hashed_mutex 3\n"
		       "op park() {\n\ti_size_read()\n\treturn 0\n}\n",
		       "scenario s\nfile size 5 blocks 1 3..4\n"
		       "proc P0\nproc P1\n"
		       "thread T0 in P1 {\n\tpark()\n}\n"
		       "thread T1 in P0 {\n\tpark()\n}\n");
	const SimWorld *w = f->w;

	ck_assert_int_eq(sim_core(w)->i_size, 5);
	ck_assert_int_eq(w->nthreads, 2);
	ck_assert_int_eq(w->nprocs, 2);
	ck_assert_int_eq(w->nlocks, 2 + 8 + 8 + 3);
	ck_assert_int_eq(sim_bmap(w)[0], 0);
	ck_assert_int_eq(sim_bmap(w)[1], 1);
	ck_assert_int_eq(sim_bmap(w)[3], 2);
	ck_assert_int_eq(sim_bmap(w)[4], 3);
	ck_assert_int_eq(sim_block(w, 2)->owner_pgoff, 3);
	ck_assert_int_eq(sim_block(w, 2)->state, SIM_BLK_WRITTEN);
	ck_assert_int_eq(sim_block(w, 2)->stored, 0);
	ck_assert_int_eq(sim_core(w)->nfree, w->nblocks - 3);
	ck_assert_int_eq(sim_free_stack(w)[sim_core(w)->nfree - 1], 4);
	ck_assert_int_eq(sim_free_stack(w)[0], w->nblocks);
	ck_assert_int_eq(sim_thread(w, 0)->proc, 1);
	ck_assert_int_eq(sim_thread(w, 1)->proc, 0);
	ck_assert_int_eq(sim_lock(w, 0)->kind, SIM_LK_RWSEM);
	ck_assert_int_eq(sim_lock(w, 2)->kind, SIM_LK_PAGE);
	ck_assert_int_eq(sim_lock(w, 10)->kind, SIM_LK_ENTRY);
	ck_assert_int_eq(sim_lock(w, 20)->kind, SIM_LK_HASHED);
	ck_assert_int_eq(sim_step_runnable(w), 3);
	const char *what = NULL;
	ck_assert(sim_world_check(w, &what));
	fx_free(f);
}
END_TEST

/* ---- locks ------------------------------------------------------------ */

#define SCN2(file, b0, b1) \
	"scenario s\n" file "\nthread T0 {\n" b0 "\n}\nthread T1 {\n" b1 \
	"\n}\n"
#define SCN3(file, b0, b1, b2) \
	"scenario s\n" file "\nthread T0 {\n" b0 "\n}\nthread T1 {\n" b1 \
	"\n}\nthread T2 {\n" b2 "\n}\n"

START_TEST(test_lock_mutex)
{
	Fx *f = fx_new(prims_model, SCN2(FILE4, "mhold()", "mhold()"));
	int m = fx_lock(f, "M", 0);
	const SimThread *t0 = sim_thread(f->w, 0), *t1 = sim_thread(f->w, 1);

	fx_step(f, 0);
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, m), 0));
	ck_assert_int_eq(t0->nheld, 1);
	ck_assert_int_eq(t0->held[0], m);
	ck_assert(!f->ctx.blocked);
	fx_step(f, 1);
	ck_assert(f->ctx.blocked);
	ck_assert_int_eq(t1->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(t1->wait_lock, m);
	ck_assert_int_eq(t1->nheld, 0);
	ck_assert_int_eq(sim_step_runnable(f->w), 1);
	fx_run(f, "00");                /* spacer, unlock: handoff */
	ck_assert_int_eq(t0->status, SIM_TH_DONE);
	ck_assert_int_eq(t1->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(t1->granted, 1);
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, m), 1));
	ck_assert_int_eq(t1->nheld, 0); /* until its lock call returns */
	fx_step(f, 1);                  /* the return from mutex_lock */
	ck_assert_int_eq(t1->granted, 0);
	ck_assert_int_eq(t1->nheld, 1);
	ck_assert_int_eq(sim_step_next_insn(f->w, f->p, 1)->sub,
			 SIM_P_I_SIZE_READ);
	fx_run(f, "11");
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, m)), 0);
	ck_assert(!f->ctx.model_error);
	fx_free(f);
}
END_TEST

START_TEST(test_lock_rwsem_readers)
{
	Fx *f = fx_new(prims_model,
		       SCN3(FILE4, "rhold()", "rhold()", "whold()"));
	int r = fx_lock(f, "R", 0);

	fx_run(f, "01");
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, r)), 3);
	ck_assert_int_eq(sim_lock_excl(sim_lock(f->w, r)), 0);
	fx_step(f, 2);
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	fx_run(f, "00");
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	fx_run(f, "11");                /* the last reader hands off */
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, r)), 4);
	ck_assert_int_eq(sim_lock_excl(sim_lock(f->w, r)), 4);
	fx_run(f, "222");
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_DONE);
	fx_free(f);
}
END_TEST

START_TEST(test_lock_rwsem_writer_excludes)
{
	Fx *f = fx_new(prims_model,
		       SCN3(FILE4, "whold()", "rhold()", "whold()"));
	int r = fx_lock(f, "R", 0);

	fx_run(f, "012");
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, r)), 1);
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	fx_run(f, "00");                /* FIFO: the reader first */
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, r)), 2);
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	fx_free(f);
}
END_TEST

/* downgrade_write admits the reader queued at the head, not the writer
 * queued behind it, and keeps the downgrader a holder. */
START_TEST(test_lock_rwsem_downgrade)
{
	Fx *f = fx_new(prims_model,
		       SCN3(FILE4, "dhold()", "rhold()", "whold()"));
	int r = fx_lock(f, "R", 0);

	fx_run(f, "0120");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	fx_run(f, "0");                 /* downgrade_write */
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, r)), 3);
	ck_assert_int_eq(sim_lock_excl(sim_lock(f->w, r)), 0);
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	fx_run(f, "00111");             /* both readers release */
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, r)), 4);
	ck_assert_int_eq(sim_lock_excl(sim_lock(f->w, r)), 4);
	fx_free(f);
}
END_TEST

/* up_write of a read hold (D6): no model error; the rwsem is corrupt,
 * a writer never gets it again, readers still do, even with that writer
 * queued. */
START_TEST(test_lock_rwsem_unbalanced_up_write)
{
	Fx *f = fx_new(prims_model,
		       SCN3(FILE4, "ubal()", "whold()", "rhold()"));
	int r = fx_lock(f, "R", 0);

	fx_run(f, "00");
	ck_assert(!f->ctx.model_error);
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, r)), 0);
	ck_assert_int_eq(sim_lock(f->w, r)->corrupt, 1);
	fx_run(f, "1");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	fx_run(f, "222");
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_DONE);
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	fx_free(f);
}
END_TEST

START_TEST(test_lock_page)
{
	Fx *f = fx_new(prims_model,
		       SCN3(FILE4, "phold(1)", "phold(2)", "phold(1)"));
	int p1 = sim_lock_instance(f->p, SIM_LOCKDECL_PAGE, 1);
	int p2 = sim_lock_instance(f->p, SIM_LOCKDECL_PAGE, 2);

	ck_assert_int_ne(p1, p2);
	fx_run(f, "012");
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, p1), 0));
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, p2), 1));
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_thread(f->w, 2)->wait_lock, p1);
	fx_run(f, "00");
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, p1), 2));
	fx_free(f);
}
END_TEST

/* hash_lock(H, pgoff): pgoffs that differ by the array size (4) share a
 * slot, so one blocks the other; neighbouring pgoffs do not. */
START_TEST(test_lock_hashed_collision)
{
	Fx *f = fx_new(prims_model,
		       SCN3(FILE4, "hhold(1)", "hhold(5)", "hhold(2)"));
	int h1 = fx_lock(f, "H", 1);
	char name[48];

	ck_assert_int_eq(fx_lock(f, "H", 5), h1);
	ck_assert_int_ne(fx_lock(f, "H", 2), h1);
	fx_run(f, "012");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_thread(f->w, 1)->wait_lock, h1);
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_RUNNABLE);
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, fx_lock(f, "H", 2)), 2));
	ck_assert_str_eq(sim_lock_name(f->p, h1, name, sizeof(name)), "H[1]");
	fx_run(f, "00");
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, h1), 1));
	fx_run(f, "111");               /* hash_unlock(H, 5) frees slot 1 */
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, h1)), 0);
	ck_assert(!f->ctx.model_error);
	fx_free(f);
}
END_TEST

START_TEST(test_lock_range)
{
	Fx *f = fx_new(prims_model, SCN3(FILE4, "rlw(0, 3)", "rlw(4, 9)",
					 "rlr(3, 4)"));
	int rl = fx_lock(f, "RL", 0);
	const SimLock *l = sim_lock(f->w, rl);

	fx_run(f, "012");
	ck_assert_int_eq(sim_lock_held(l), 3);
	ck_assert(sim_lock_holds_range(l, 1, 4, 7));    /* clamped to the file */
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	fx_run(f, "00");
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	fx_run(f, "11");                /* range_unlock(RL, 4, 9) matches */
	ck_assert(!f->ctx.model_error);
	ck_assert_int_eq(sim_lock_held(l), 4);
	ck_assert_int_eq(sim_lock_excl(l), 0);
	fx_free(f);
}
END_TEST

START_TEST(test_lock_range_readers_share)
{
	Fx *f = fx_new(prims_model, SCN2(FILE4, "rlr(0, 3)", "rlr(2, 5)"));
	const SimLock *l = sim_lock(f->w, fx_lock(f, "RL", 0));

	fx_run(f, "01");
	ck_assert_int_eq(sim_lock_held(l), 3);
	ck_assert_int_eq(sim_lock_excl(l), 0);
	fx_free(f);
}
END_TEST

START_TEST(test_lock_grab_entry_result)
{
	Fx *f = fx_new1(prims_model, FILE4,
			"a = ehold(2)\nsete(3, 3)\nb = ehold(3)\npark()");

	fx_step(f, 0);                  /* grab_entry(2): inserts EMPTY */
	ck_assert_int_eq(sim_entry(f->w)[2], SIM_ENTRY_EMPTY);
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, 
		sim_lock_instance(f->p, SIM_LOCKDECL_ENTRY, 2)), 0));
	fx_run(f, "000000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_ENTRY_EMPTY);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_ENTRY_BLOCK);
	ck_assert_int_eq(sim_entry(f->w)[3], SIM_ENTRY_BLOCK);
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w,
		sim_lock_instance(f->p, SIM_LOCKDECL_ENTRY, 3))), 0);
	fx_free(f);
}
END_TEST

/* unlock_entry wakes one sleeper, which retries its grab_entry. */
START_TEST(test_lock_unlock_entry_wakes_one)
{
	Fx *f = fx_new(prims_model, SCN3(FILE4, "ehold(1)", "ehold(1)",
					 "ehold(1)"));
	int e = sim_lock_instance(f->p, SIM_LOCKDECL_ENTRY, 1);
	const SimThread *t1 = sim_thread(f->w, 1);

	fx_run(f, "012");
	ck_assert_int_eq(sim_lock(f->w, e)->nwait, 2);
	fx_run(f, "00");
	ck_assert_int_eq(t1->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(t1->granted, 0);
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, e)), 0);   /* woken, not granted */
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_step_next_insn(f->w, f->p, 1)->sub,
			 SIM_P_GRAB_ENTRY);
	fx_step(f, 1);                  /* the retry takes the bit */
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, e), 1));
	ck_assert_int_eq(t1->nheld, 1);
	fx_free(f);
}
END_TEST

START_TEST(test_lock_unlock_entry_all)
{
	Fx *f = fx_new(prims_model, SCN3(FILE4, "eholdall(1)", "ehold(1)",
					 "ehold(1)"));
	int e = sim_lock_instance(f->p, SIM_LOCKDECL_ENTRY, 1);

	fx_run(f, "01200");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, e)), 0);
	ck_assert_int_eq(sim_lock(f->w, e)->nwait, 0);
	fx_run(f, "21");                /* T2 retries first and wins */
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, e), 2));
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	fx_free(f);
}
END_TEST

/* wait_entry sleeps while the entry is locked, and returns its kind
 * without taking the lock. */
START_TEST(test_lock_wait_entry)
{
	Fx *f = fx_new(prims_model, SCN2(FILE4, "ehold(3)",
					 "a = ewait(3)\nb = ewait(3)\npark()"));
	int e = sim_lock_instance(f->p, SIM_LOCKDECL_ENTRY, 3);

	fx_run(f, "01");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_lock_waiter_mode(sim_lock(f->w, e), 1),
			 SIM_MODE_WRITE);
	fx_run(f, "00");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_RUNNABLE);
	fx_run(f, "11");
	ck_assert_int_eq(fx_reg(f, 1, "a"), SIM_ENTRY_EMPTY);
	ck_assert_int_eq(fx_reg(f, 1, "b"), SIM_ENTRY_EMPTY);
	ck_assert_int_eq(sim_lock_held(sim_lock(f->w, e)), 0);
	ck_assert_int_eq(sim_thread(f->w, 1)->nheld, 0);
	fx_free(f);
}
END_TEST

/* Recursion on an exclusive lock sleeps forever (D1): no model error. */
START_TEST(test_lock_recursive_mutex_sleeps)
{
	Fx *f = fx_new1("model t\nlock M mutex\n"
			"op twice() {\n\tmutex_lock(M)\n\tmutex_lock(M)\n"
			"\tmutex_unlock(M)\n\tmutex_unlock(M)\n\treturn 0\n}\n",
			FILE4, "twice()");

	fx_run(f, "00");
	ck_assert(!f->ctx.model_error);
	ck_assert(f->ctx.blocked);
	ck_assert_int_eq(sim_thread(f->w, 0)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_step_runnable(f->w), 0);
	const char *what = NULL;
	ck_assert(sim_world_check(f->w, &what));
	fx_free(f);
}
END_TEST

/* ---- prims: inode and blocks ----------------------------------------- */

START_TEST(test_prim_i_size)
{
	Fx *f = fx_new1(prims_model, FILE4, "a = isize()\nsetsize(6)\n"
			"b = isize()\nshrink(2)\npark()");

	fx_run(f, "00");
	ck_assert_int_eq(fx_reg(f, 0, "a"), 4);
	ck_assert_int_eq(sim_core(f->w)->i_size, 6);
	ck_assert_int_eq(fx_set(sim_inval(f->w, 0), f->w->pgset), 0);      /* growing */
	fx_run(f, "00");
	ck_assert_int_eq(fx_reg(f, 0, "b"), 6);
	ck_assert_int_eq(sim_core(f->w)->i_size, 2);
	ck_assert_int_eq(fx_set(sim_inval(f->w, 0), f->w->pgset), 0xfc);   /* pgoffs 2..7 */
	fx_run(f, "0");
	ck_assert_int_eq(fx_set(sim_inval(f->w, 0), f->w->pgset), 0);      /* op returned */
	fx_free(f);
}
END_TEST

START_TEST(test_prim_get_block)
{
	Fx *f = fx_new1(prims_model, FILE4_2,
			"a = gb(0, 0)\nb = gb(3, 0)\nc = gb(3, 1)\n"
			"d = gbz(2, 1)\ne = gbz(2, 1)\nx = gb(3, 1)\npark()");
	const SimWorld *w = f->w;

	fx_run(f, "000000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), 100);       /* B1, not new */
	ck_assert_int_eq(fx_reg(f, 0, "b"), 0);         /* hole, no create */
	ck_assert_int_eq(fx_reg(f, 0, "c"), 301);       /* B3, new */
	ck_assert_int_eq(fx_reg(f, 0, "d"), 401);       /* B4, new */
	ck_assert_int_eq(fx_reg(f, 0, "e"), 400);
	ck_assert_int_eq(fx_reg(f, 0, "x"), 300);
	ck_assert_int_eq(sim_bmap(w)[3], 3);
	ck_assert_int_eq(sim_bmap(w)[2], 4);
	ck_assert_int_eq(sim_block(w, 3)->state, SIM_BLK_NEW);
	ck_assert_int_eq(sim_block(w, 3)->owner_pgoff, 3);
	ck_assert_int_eq(sim_block(w, 4)->state, SIM_BLK_ZEROED);
	ck_assert_int_eq(sim_block(w, 4)->owner_ino, 0);
	ck_assert_int_eq(sim_core(w)->nfree, w->nblocks - 4);
	fx_free(f);
}
END_TEST

/* get_block_unwritten allocates an unwritten extent (old contents);
 * every lookup reports it (buffer_unwritten) until convert_unwritten;
 * zeroing or storing into it does not convert it; read(2) of it reads
 * zeroes (no uninit-read), a load through a DAX PTE reads the device. */
START_TEST(test_prim_get_block_unwritten)
{
	Fx *f = fx_new1(prims_model, FILE4_2,
			"a = gbu(3, 0)\nb = gbu(3, 1)\nc = gb(3, 0)\n"
			"zero(3)\nd = gbz(3, 1)\nreadb(3, 3)\nconv(3)\n"
			"e = gb(3, 0)\nconv(2)\nf = gbu(1, 1)\npark()");
	const SimWorld *w = f->w;

	fx_run(f, "00");
	ck_assert_int_eq(fx_reg(f, 0, "a"), 0);         /* hole, no create */
	ck_assert_int_eq(fx_reg(f, 0, "b"), 301);       /* B3, new */
	ck_assert_int_eq(sim_block(w, 3)->state, SIM_BLK_NEW);
	ck_assert_int_eq(sim_block(w, 3)->unwritten, 1);
	fx_run(f, "000");
	ck_assert_int_eq(fx_reg(f, 0, "c"), 301);       /* unwritten */
	ck_assert_int_eq(fx_reg(f, 0, "d"), 301);       /* still, zeroed */
	ck_assert_int_eq(sim_block(w, 3)->state, SIM_BLK_ZEROED);
	ck_assert_int_eq(sim_block(w, 3)->unwritten, 1);
	sim_block(f->w, 3)->state = SIM_BLK_NEW;     /* as if never zeroed */
	fx_run(f, "0");
	ck_assert_int_eq(f->ctx.found, 0);              /* reads zeroes */
	fx_run(f, "000");
	ck_assert_int_eq(sim_block(w, 3)->unwritten, 0);
	ck_assert_int_eq(fx_reg(f, 0, "e"), 300);       /* converted */
	fx_run(f, "0");
	ck_assert_int_eq(fx_reg(f, 0, "f"), 200);       /* B2, written */
	sim_block(f->w, 4)->unwritten = 1;
	sim_world_free_block(f->w, 4);
	ck_assert_int_eq(sim_block(w, 4)->unwritten, 0);     /* freeing clears */
	fx_free(f);
}
END_TEST

/* wait_delete_entry waits for the entry to be unlocked and deletes it in
 * the same step (dax_delete_mapping_entry): the sleeper that wakes finds
 * nothing to lock; with no entry it returns ENTRY_NONE. */
START_TEST(test_prim_wait_delete_entry)
{
	Fx *f = fx_new(prims_model,
		       SCN3(FILE4, "ehold(1)", "a = ewdel(1)\nb = ewdel(1)\n"
			    "park()", "c = ehold(1)"));
	const SimWorld *w = f->w;
	int e = sim_lock_instance(f->p, SIM_LOCKDECL_ENTRY, 1);

	fx_run(f, "012");
	ck_assert_int_eq(sim_thread(w, 1)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_thread(w, 2)->status, SIM_TH_BLOCKED);
	fx_run(f, "00");                /* unlock: wakes one (T1) */
	fx_run(f, "1");
	ck_assert_int_eq(fx_reg(f, 1, "a"), SIM_ENTRY_EMPTY);
	ck_assert_int_eq(sim_entry(w)[1], SIM_ENTRY_NONE);
	ck_assert_int_eq(sim_thread(w, 2)->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(sim_lock_held(sim_lock(w, e)), 0);
	fx_run(f, "1");
	ck_assert_int_eq(fx_reg(f, 1, "b"), SIM_ENTRY_NONE);
	fx_free(f);
}
END_TEST

START_TEST(test_prim_zero_block)
{
	Fx *f = fx_new(prims_model, SCN2(FILE4_2, "park()", "zero(2)"));

	sim_block(f->w, 2)->stored = 1;       /* as after a write(2) */
	fx_step(f, 1);
	/* zeroing data a write completed into is also a lost store */
	ck_assert_int_eq(f->ctx.found, 1u << SIM_PROP_LOST_STORE);
	ck_assert_int_eq(sim_block(f->w, 2)->state, SIM_BLK_ZEROED);
	ck_assert_int_eq(sim_block(f->w, 2)->stored, 0);
	ck_assert_int_eq(f->notes->block[2].zeroed_by, 2);   /* T1 */
	ck_assert_int_eq(f->notes->block[2].zeroed_step, 0);
	ck_assert_int_eq(sim_block(f->w, 1)->state, SIM_BLK_WRITTEN);
	fx_free(f);
}
END_TEST

START_TEST(test_prim_free_blocks)
{
	Fx *f = fx_new(prims_model, SCN2(FILE4, "park()", "freeb(1, 2)"));
	const SimWorld *w = f->w;

	fx_run(f, "0");                 /* notes.step 1 at the free */
	fx_step(f, 1);
	ck_assert_int_eq(sim_bmap(w)[0], 1);
	ck_assert_int_eq(sim_bmap(w)[1], 0);
	ck_assert_int_eq(sim_bmap(w)[2], 0);
	ck_assert_int_eq(sim_bmap(w)[3], 4);
	ck_assert_int_eq(sim_block(w, 2)->state, SIM_BLK_FREE);
	ck_assert_int_eq(sim_block(w, 3)->state, SIM_BLK_FREE);
	ck_assert_int_eq(sim_free_stack(w)[sim_core(w)->nfree - 1], 3);
	ck_assert_int_eq(sim_free_stack(w)[sim_core(w)->nfree - 2], 2);
	ck_assert_int_eq(f->notes->block[2].freed_by, 2);
	ck_assert_int_eq(f->notes->block[3].freed_step, 1);
	ck_assert_int_eq(f->notes->block[2].freed_proc, fx_proc(f, "freeb"));
	const char *what = NULL;
	ck_assert(sim_world_check(w, &what));
	fx_free(f);
}
END_TEST

START_TEST(test_prim_free_blocks_clamps)
{
	Fx *f = fx_new1(prims_model, FILE4, "freeb(-5, 99)\nfreeb(6, 2)");

	fx_step(f, 0);
	for (int p = 0; p < f->w->npages; p++)
		ck_assert_int_eq(sim_bmap(f->w)[p], 0);
	ck_assert_int_eq(sim_core(f->w)->nfree, f->w->nblocks);
	fx_step(f, 0);                  /* an empty range does nothing */
	ck_assert(!f->ctx.model_error);
	fx_free(f);
}
END_TEST

/* Collapse [1, 1]: B2 freed, B3 and B4 move down one pgoff. */
START_TEST(test_prim_shift_blocks)
{
	Fx *f = fx_new1(prims_model, FILE4, "shift(1, 1)\npark()");
	const SimWorld *w = f->w;

	fx_step(f, 0);
	ck_assert_int_eq(sim_bmap(w)[0], 1);
	ck_assert_int_eq(sim_bmap(w)[1], 3);
	ck_assert_int_eq(sim_bmap(w)[2], 4);
	ck_assert_int_eq(sim_bmap(w)[3], 0);
	ck_assert_int_eq(sim_block(w, 3)->owner_pgoff, 1);
	ck_assert_int_eq(sim_block(w, 4)->owner_pgoff, 2);
	ck_assert_int_eq(sim_block(w, 2)->state, SIM_BLK_FREE);
	const char *what = NULL;
	ck_assert(sim_world_check(w, &what));
	fx_free(f);
}
END_TEST

START_TEST(test_prim_other_alloc)
{
	Fx *f = fx_new(prims_model,
		       SCN2(FILE4, "freeb(3, 3)", "b = oalloc()\npark()"));

	fx_run(f, "01");
	ck_assert_int_eq(fx_reg(f, 1, "b"), 4); /* LIFO: the freed B4 */
	ck_assert_int_eq(sim_block(f->w, 4)->owner_ino, 1);
	ck_assert_int_eq(sim_block(f->w, 4)->state, SIM_BLK_WRITTEN);
	ck_assert_int_eq(sim_bmap(f->w)[3], 0);
	fx_free(f);
}
END_TEST

/* ---- prims: page tables ----------------------------------------------- */

START_TEST(test_prim_set_pte_and_lookup)
{
	Fx *f = fx_new1(prims_model, FILE4,
			"a = ptel(1)\nb = setpte(1, 2, 0)\nc = ptel(1)\n"
			"mkw(1)\nd = ptel(1)\ne = setpte(1, 3, 1)\n"
			"g = pteb(1)\nh = pteb(2)\npark()");
	const SimPte *pte = sim_pte(f->w, 0, 1);

	fx_run(f, "00");
	ck_assert_int_eq(pte->kind, SIM_PTE_K_BLOCK);
	ck_assert_int_eq(pte->target, 2);
	ck_assert_int_eq(pte->writable, 0);
	fx_run(f, "000000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_PTE_NONE);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_OK);
	ck_assert_int_eq(fx_reg(f, 0, "c"), SIM_PTE_RO);
	ck_assert_int_eq(fx_reg(f, 0, "d"), SIM_PTE_RW);
	ck_assert_int_eq(fx_reg(f, 0, "e"), SIM_EBUSY);
	ck_assert_int_eq(fx_reg(f, 0, "g"), 2);
	ck_assert_int_eq(fx_reg(f, 0, "h"), 0);
	ck_assert_int_eq(pte->target, 2);       /* EBUSY changed nothing */
	ck_assert_int_eq(pte->writable, 1);
	fx_free(f);
}
END_TEST

START_TEST(test_prim_set_pte_zero)
{
	Fx *f = fx_new1(prims_model, "file size 4",
			"a = setzero(2)\nmkw(2)\nb = pteb(2)\nc = ptel(2)\n"
			"park()");

	fx_run(f, "0000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_OK);
	ck_assert_int_eq(sim_pte(f->w, 0, 2)->kind, SIM_PTE_K_ZERO);
	ck_assert_int_eq(sim_pte(f->w, 0, 2)->writable, 0);   /* mkwrite: no */
	ck_assert_int_eq(fx_reg(f, 0, "b"), 0);
	ck_assert_int_eq(fx_reg(f, 0, "c"), SIM_PTE_RO);
	fx_free(f);
}
END_TEST

/* A private copy: writable, no file data behind it, left alone by the
 * file's write-protection. */
START_TEST(test_prim_set_pte_anon)
{
	Fx *f = fx_new1(prims_model, FILE4,
			"a = setanon(1)\nwrprot(1)\nb = st(1)\nc = setanon(1)\n"
			"park()");

	fx_run(f, "0000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_OK);
	ck_assert_int_eq(sim_pte(f->w, 0, 1)->kind, SIM_PTE_K_ANON);
	ck_assert_int_eq(sim_pte(f->w, 0, 1)->writable, 1);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_FAULT_NONE);
	ck_assert_int_eq(sim_block(f->w, 2)->stored, 0);
	ck_assert_int_eq(fx_reg(f, 0, "c"), SIM_EBUSY);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

START_TEST(test_prim_set_pte_page)
{
	Fx *f = fx_new1(prims_model, FILE4,
			"addp(1, 2)\na = setpage(1, 1)\nmkw(5)\npark()");

	fx_run(f, "000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_OK);
	ck_assert_int_eq(sim_pte(f->w, 0, 1)->kind, SIM_PTE_K_PAGE);
	ck_assert_int_eq(sim_pte(f->w, 0, 1)->target, 1);
	ck_assert_int_eq(sim_pte(f->w, 0, 1)->writable, 1);
	ck_assert_int_eq(sim_pte(f->w, 0, 5)->kind, SIM_PTE_K_NONE); /* no-op */
	fx_free(f);
}
END_TEST

/* zap_ptes and wrprotect act on every process's page table; the others
 * on the stepping thread's own. */
START_TEST(test_prim_zap_and_wrprotect)
{
	Fx *f = fx_new(prims_model,
		       "scenario s\n" FILE4 "\nproc P0\nproc P1\n"
		       "thread T0 in P0 {\n\tsetpte(0, 1, 1)\n\tsetpte(2, 3, 1)\n"
		       "\tzap(0, 1)\n\twrprot(2)\n\tpark()\n}\n"
		       "thread T1 in P1 {\n\tsetpte(0, 1, 1)\n"
		       "\tsetpte(1, 2, 1)\n\tsetpte(2, 3, 1)\n\tpark()\n}\n");
	const SimWorld *w = f->w;

	fx_run(f, "00111");
	ck_assert_int_eq(sim_pte(w, 1, 1)->kind, SIM_PTE_K_BLOCK);
	ck_assert_int_eq(sim_pte(w, 0, 1)->kind, SIM_PTE_K_NONE);
	fx_step(f, 0);                  /* zap(0, 1) */
	for (int pr = 0; pr < 2; pr++) {
		ck_assert_int_eq(sim_pte(w, pr, 0)->kind, SIM_PTE_K_NONE);
		ck_assert_int_eq(sim_pte(w, pr, 1)->kind, SIM_PTE_K_NONE);
		ck_assert_int_eq(sim_pte(w, pr, 1)->target, 0);
		ck_assert_int_eq(sim_pte(w, pr, 2)->kind, SIM_PTE_K_BLOCK);
		ck_assert_int_eq(sim_pte(w, pr, 2)->writable, 1);
	}
	fx_step(f, 0);                  /* wrprotect(2) */
	for (int pr = 0; pr < 2; pr++) {
		ck_assert_int_eq(sim_pte(w, pr, 2)->kind, SIM_PTE_K_BLOCK);
		ck_assert_int_eq(sim_pte(w, pr, 2)->target, 3);
		ck_assert_int_eq(sim_pte(w, pr, 2)->writable, 0);
	}
	fx_free(f);
}
END_TEST

/* page_mapped looks at every process's PTE for the pgoff: a page-cache
 * page or a (DAX hole page's) zero page counts, a block does not. */
START_TEST(test_prim_page_mapped)
{
	Fx *f = fx_new(prims_model,
		       "scenario s\n" FILE4 "\nproc P0\nproc P1\n"
		       "thread T0 in P0 {\n\ta = pmapped(1)\n\tb = pmapped(2)\n"
		       "\tc = pmapped(3)\n\td = pmapped(0)\n\tpark()\n}\n"
		       "thread T1 in P1 {\n\taddp(1, 2)\n\tsetpage(1, 0)\n"
		       "\tsetzero(2)\n\tsetpte(3, 4, 1)\n\tpark()\n}\n");

	fx_run(f, "11110000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), 1);
	ck_assert_int_eq(fx_reg(f, 0, "b"), 1);
	ck_assert_int_eq(fx_reg(f, 0, "c"), 0);
	ck_assert_int_eq(fx_reg(f, 0, "d"), 0);
	ck_assert(!f->ctx.model_error);
	fx_free(f);
}
END_TEST

/* ---- prims: page cache ------------------------------------------------ */

START_TEST(test_prim_add_page)
{
	Fx *f = fx_new(prims_model,
		       SCN2("file size 6 blocks 0..1",
			    "a = addp(0, 0)\nb = addp(1, 2)\nc = addp(1, 2)\n"
			    "gb(4, 1)\nd = addp(4, 3)\ne = addp(5, 1)\n"
			    "g = findp(1)\nh = findp(2)\npark()",
			    "tagd(0)\npark()"));
	const SimWorld *w = f->w;

	fx_step(f, 1);                  /* DIRTY tag on pgoff 0 survives */
	fx_run(f, "00000000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_OK);
	ck_assert_int_eq(sim_mflags(w)[0], SIM_MF_PAGE | SIM_MF_DIRTY);
	ck_assert_int_eq(sim_page_src(w)[0], 0);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_OK);
	ck_assert_int_eq(sim_mflags(w)[1], SIM_MF_PAGE | SIM_MF_PWRITTEN);
	ck_assert_int_eq(sim_page_src(w)[1], 2);
	ck_assert_int_eq(fx_reg(f, 0, "c"), SIM_EBUSY);
	ck_assert_int_eq(fx_reg(f, 0, "d"), SIM_OK);    /* a NEW block */
	ck_assert_int_eq(sim_mflags(w)[4], SIM_MF_PAGE | SIM_MF_PSTALE);
	ck_assert_int_eq(fx_reg(f, 0, "e"), SIM_OK);    /* B1 is pgoff 0's */
	ck_assert_int_eq(sim_mflags(w)[5], SIM_MF_PAGE | SIM_MF_PSTALE);
	ck_assert_int_eq(fx_reg(f, 0, "g"), 1);
	ck_assert_int_eq(fx_reg(f, 0, "h"), 0);
	fx_free(f);
}
END_TEST

START_TEST(test_prim_delete_pages)
{
	Fx *f = fx_new1(prims_model, FILE4,
			"addp(1, 2)\naddp(2, 3)\nwritep(2)\ntagd(2)\n"
			"delp(0, 3)\npark()");
	const SimWorld *w = f->w;

	fx_run(f, "00000");             /* parked at delp's spacer */
	ck_assert_int_eq(sim_mflags(w)[1], 0);
	ck_assert_int_eq(sim_mflags(w)[2], SIM_MF_DIRTY);   /* tag kept */
	ck_assert_int_eq(sim_page_src(w)[1], 0);
	ck_assert_int_eq(sim_page_src(w)[2], 0);
	ck_assert_int_eq(fx_set(sim_discarded(w, 0), w->pgset), 1u << 2); /* dirty one */
	fx_free(f);
}
END_TEST

START_TEST(test_prim_page_dirty_and_writeback)
{
	Fx *f = fx_new1(prims_model, FILE4_2,
			"gb(2, 1)\naddp(2, 3)\ndirtyp(2)\nwbp(2, 3)\n"
			"writep(2)\nwbp(2, 3)\nwbp(2, 3)\npark()");
	const SimWorld *w = f->w;

	fx_run(f, "000");
	ck_assert_int_eq(sim_mflags(w)[2], SIM_MF_PAGE | SIM_MF_PSTALE |
			 SIM_MF_PDIRTY);
	fx_step(f, 0);  /* writeback of a page holding no user data */
	ck_assert_int_eq(sim_block(w, 3)->state, SIM_BLK_WRITTEN);
	ck_assert_int_eq(sim_block(w, 3)->stored, 0);
	ck_assert_int_eq(sim_mflags(w)[2] & SIM_MF_PDIRTY, 0);
	ck_assert_int_eq(sim_page_src(w)[2], 3);
	fx_run(f, "00");
	ck_assert_int_eq(sim_block(w, 3)->stored, 1);
	ck_assert_int_eq(sim_mflags(w)[2], SIM_MF_PAGE | SIM_MF_PWRITTEN);
	sim_block(f->w, 3)->stored = 0;
	fx_step(f, 0);  /* a clean page: nothing written */
	ck_assert_int_eq(sim_block(w, 3)->stored, 0);
	fx_free(f);
}
END_TEST

START_TEST(test_prim_read_write_page)
{
	Fx *f = fx_new1(prims_model, FILE4_2,
			"a = readp(1)\nb = writep(1)\ngb(3, 1)\naddp(3, 3)\n"
			"c = writep(3)\nd = readp(3)\npark()");

	fx_run(f, "000000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_EIO);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_EIO);
	ck_assert_int_eq(sim_mflags(f->w)[1], 0);
	ck_assert_int_eq(fx_reg(f, 0, "c"), SIM_OK);
	ck_assert_int_eq(fx_reg(f, 0, "d"), SIM_OK);
	ck_assert_int_eq(sim_mflags(f->w)[3], SIM_MF_PAGE | SIM_MF_PDIRTY |
			 SIM_MF_PWRITTEN | SIM_MF_PSTORED); /* PSTALE cleared */
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* grab_entry_page: a page-cache page in an empty slot is returned as
 * ENTRY_PAGE with nothing locked; otherwise it is grab_entry. */
START_TEST(test_prim_grab_entry_page)
{
	Fx *f = fx_new1(prims_model, FILE4,
			"addp(1, 2)\na = egp(1)\nsete(2, 3)\naddp(2, 3)\n"
			"b = egp(2)\nc = egp(3)\npark()");
	const SimWorld *w = f->w;
	int e2 = sim_lock_instance(f->p, SIM_LOCKDECL_ENTRY, 2);

	fx_run(f, "00");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_ENTRY_PAGE);
	ck_assert_int_eq(sim_entry(w)[1], SIM_ENTRY_NONE);
	ck_assert_int_eq(sim_lock_held(sim_lock(w, sim_lock_instance(f->p,
					SIM_LOCKDECL_ENTRY, 1))), 0);
	fx_run(f, "000");               /* an entry there: locked */
	ck_assert(sim_lock_is_held_by(sim_lock(w, e2), 0));
	fx_run(f, "00");
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_ENTRY_BLOCK);
	fx_run(f, "000");               /* no page, no entry: EMPTY */
	ck_assert_int_eq(fx_reg(f, 0, "c"), SIM_ENTRY_EMPTY);
	ck_assert_int_eq(sim_entry(w)[3], SIM_ENTRY_EMPTY);
	ck_assert(!f->ctx.model_error);
	fx_free(f);
}
END_TEST

/* fill_page: ->readpage completing into a page inserted earlier. */
START_TEST(test_prim_fill_page)
{
	Fx *f = fx_new1(prims_model, FILE4_2,
			"a = fillp(1, 2)\naddp(1, 0)\nb = fillp(1, 2)\n"
			"gb(3, 1)\naddp(3, 0)\nc = fillp(3, 3)\npark()");
	const SimWorld *w = f->w;

	fx_run(f, "000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_EIO);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_OK);
	ck_assert_int_eq(sim_mflags(w)[1], SIM_MF_PAGE | SIM_MF_PWRITTEN);
	ck_assert_int_eq(sim_page_src(w)[1], 2);
	fx_run(f, "000");               /* from a NEW block: stale */
	ck_assert_int_eq(fx_reg(f, 0, "c"), SIM_OK);
	ck_assert_int_eq(sim_mflags(w)[3], SIM_MF_PAGE | SIM_MF_PSTALE);
	ck_assert_int_eq(sim_page_src(w)[3], 3);
	fx_free(f);
}
END_TEST

/* invalidate_page drops a clean page, refuses a dirty one. */
START_TEST(test_prim_invalidate_page)
{
	Fx *f = fx_new1(prims_model, FILE4,
			"a = invp(0)\naddp(1, 2)\ntagd(1)\nb = invp(1)\n"
			"addp(2, 3)\nwritep(2)\nc = invp(2)\npark()");
	const SimWorld *w = f->w;

	fx_run(f, "0000000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_OK);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_OK);
	ck_assert_int_eq(sim_mflags(w)[1], SIM_MF_DIRTY);   /* tag kept */
	ck_assert_int_eq(sim_page_src(w)[1], 0);
	ck_assert_int_eq(fx_reg(f, 0, "c"), SIM_EBUSY);
	ck_assert_int_eq(sim_mflags(w)[2], SIM_MF_PAGE | SIM_MF_PWRITTEN |
			 SIM_MF_PDIRTY | SIM_MF_PSTORED);
	ck_assert_int_eq(sim_page_src(w)[2], 3);
	fx_free(f);
}
END_TEST

/* dio_write marks a page read from its block as older (POLD), and as
 * made old by this thread's write (sim_dio_old); the same op's dio_done
 * over that page makes it stale.  A page outside the range, or one an
 * earlier write made old, is left. */
START_TEST(test_prim_dio_done)
{
	Fx *f = fx_new1(prims_model, FILE4,
			"addp(1, 2)\naddp(2, 3)\naddp(3, 4)\ndio(3)\ndio(4)\n"
			"diow(2, 0, 2)\npark()");
	const SimWorld *w = f->w;

	fx_run(f, "000000");
	ck_assert_int_eq(sim_mflags(w)[1], SIM_MF_PAGE | SIM_MF_PWRITTEN |
			 SIM_MF_POLD);
	ck_assert_int_eq(fx_set(sim_dio_old(w, 0), w->pgset), 1u << 1);
	ck_assert_int_eq(sim_mflags(w)[2] & SIM_MF_POLD, SIM_MF_POLD);
	ck_assert_int_eq(sim_mflags(w)[3] & SIM_MF_POLD, SIM_MF_POLD);
	fx_step(f, 0);
	ck_assert_int_eq(sim_mflags(w)[1], SIM_MF_PAGE | SIM_MF_PWRITTEN |
			 SIM_MF_PSTALE);
	ck_assert_int_eq(sim_mflags(w)[2] & (SIM_MF_POLD | SIM_MF_PSTALE),
			 SIM_MF_POLD);
	ck_assert_int_eq(sim_mflags(w)[3] & (SIM_MF_POLD | SIM_MF_PSTALE),
			 SIM_MF_POLD);
	fx_free(f);
}
END_TEST

/* ---- prims: DAX entries ----------------------------------------------- */

START_TEST(test_prim_entries_and_tags)
{
	Fx *f = fx_new1(prims_model, FILE4,
			"sete(1, 3)\nsete(2, 2)\na = gete(1)\nb = gete(5)\n"
			"tagd(1)\ntagd(3)\ntagw(0, 2)\nc = testw(1)\n"
			"d = testw(3)\ncleart(1)\ne = testw(1)\npark()");
	const SimWorld *w = f->w;

	fx_run(f, "0000000");
	ck_assert_int_eq(sim_entry(w)[1], SIM_ENTRY_BLOCK);
	ck_assert_int_eq(sim_entry(w)[2], SIM_ENTRY_ZERO);
	ck_assert_int_eq(sim_mflags(w)[1], SIM_MF_DIRTY | SIM_MF_TOWRITE);
	ck_assert_int_eq(sim_mflags(w)[3], SIM_MF_DIRTY);   /* out of range */
	ck_assert_int_eq(sim_mflags(w)[2], 0);              /* not DIRTY */
	fx_run(f, "0000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_ENTRY_BLOCK);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_ENTRY_NONE);
	ck_assert_int_eq(fx_reg(f, 0, "c"), 1);
	ck_assert_int_eq(fx_reg(f, 0, "d"), 0);
	ck_assert_int_eq(fx_reg(f, 0, "e"), 0);
	ck_assert_int_eq(sim_mflags(w)[1], 0);
	ck_assert_int_eq(sim_entry(w)[1], SIM_ENTRY_BLOCK); /* kept */
	fx_free(f);
}
END_TEST

/* delete_entries: entries and tags go, and every sleeper on them wakes
 * to look again; the holder keeps its bit. */
START_TEST(test_prim_delete_entries)
{
	Fx *f = fx_new(prims_model,
		       SCN3(FILE4, "ehold(1)", "ehold(1)",
			    "sete(2, 3)\ntagd(2)\naddp(2, 3)\ndele(0, 2)\n"
			    "park()"));
	const SimWorld *w = f->w;
	int e = sim_lock_instance(f->p, SIM_LOCKDECL_ENTRY, 1);

	fx_run(f, "01");
	ck_assert_int_eq(sim_thread(w, 1)->status, SIM_TH_BLOCKED);
	fx_run(f, "2222");
	ck_assert_int_eq(sim_entry(w)[1], SIM_ENTRY_NONE);
	ck_assert_int_eq(sim_entry(w)[2], SIM_ENTRY_NONE);
	ck_assert_int_eq(sim_mflags(w)[2], SIM_MF_PAGE | SIM_MF_PWRITTEN);
	ck_assert_int_eq(sim_thread(w, 1)->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(sim_thread(w, 1)->granted, 0);
	ck_assert(sim_lock_is_held_by(sim_lock(w, e), 0));
	ck_assert_int_eq(sim_lock(w, e)->nwait, 0);
	fx_free(f);
}
END_TEST

/* ---- prims: caches and I/O -------------------------------------------- */

START_TEST(test_prim_flush_cache)
{
	Fx *f = fx_new(prims_model, SCN2(FILE4, "setpte(1, 2, 1)\nst(1)\n"
					 "flush(2)\npark()", "park()"));
	SimWorld *w = f->w;

	fx_run(f, "00");
	ck_assert_int_eq(fx_set(sim_cache_dirty(w), w->blkset), 1u << 2);
	sim_bit_set(sim_fsync_pending(w, 1), 2);
	sim_bit_set(sim_fsync_pending(w, 1), 3);
	fx_step(f, 0);
	ck_assert_int_eq(fx_set(sim_cache_dirty(w), w->blkset), 0);
	ck_assert_int_eq(fx_set(sim_fsync_pending(w, 1), w->blkset), 1u << 3);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

START_TEST(test_prim_dio_write_block_io)
{
	Fx *f = fx_new1(prims_model, FILE4_2,
			"gb(2, 1)\ngb(3, 1)\ndio(3)\nwriteb(3, 4)\n"
			"readb(1, 2)\nreadb(5, 0)\npark()");
	const SimWorld *w = f->w;

	fx_run(f, "000");
	ck_assert_int_eq(sim_block(w, 3)->state, SIM_BLK_WRITTEN);
	ck_assert_int_eq(sim_block(w, 3)->stored, 1);
	ck_assert_int_eq(sim_block(w, 4)->state, SIM_BLK_NEW);
	fx_step(f, 0);
	ck_assert_int_eq(sim_block(w, 4)->state, SIM_BLK_WRITTEN);
	ck_assert_int_eq(sim_block(w, 4)->stored, 1);
	SimWorld *before = sim_world_dup(w);
	fx_run(f, "00");                /* reads change no state */
	ck_assert(memcmp(sim_world_state(before), sim_world_state(w),
			 w->inval - w->state) == 0);
	g_free(before);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* ---- prims: user accesses --------------------------------------------- */

START_TEST(test_prim_user_store)
{
	Fx *f = fx_new1(prims_model, FILE4_2,
			"a = st(1)\nsetpte(1, 2, 0)\nb = st(1)\nmkw(1)\n"
			"c = st(1)\naddp(3, 0)\nsetpage(3, 1)\nd = st(3)\n"
			"park()");
	const SimWorld *w = f->w;

	fx_run(f, "0000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_FAULT_NOPTE);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_FAULT_WP);
	ck_assert_int_eq(fx_set(sim_cache_dirty(w), w->blkset), 0);
	fx_step(f, 0);
	ck_assert_int_eq(fx_reg(f, 0, "c"), SIM_FAULT_NONE);
	ck_assert_int_eq(sim_block(w, 2)->state, SIM_BLK_WRITTEN);
	ck_assert_int_eq(sim_block(w, 2)->stored, 1);
	ck_assert_int_eq(fx_set(sim_cache_dirty(w), w->blkset), 1u << 2);
	ck_assert_int_eq(f->notes->block[2].stored_by, 1);
	ck_assert_int_eq(f->notes->block[2].stored_step, 4);
	fx_run(f, "000");
	ck_assert_int_eq(fx_reg(f, 0, "d"), SIM_FAULT_NONE);
	ck_assert_int_eq(sim_mflags(w)[3], SIM_MF_PAGE | SIM_MF_PDIRTY |
			 SIM_MF_PWRITTEN | SIM_MF_PSTORED);
	ck_assert_int_eq(fx_set(sim_cache_dirty(w), w->blkset), 1u << 2);      /* no block line */
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

START_TEST(test_prim_user_load)
{
	Fx *f = fx_new1(prims_model, FILE4_2,
			"a = ld(1)\nsetpte(1, 2, 0)\nb = ld(1)\npark()");

	fx_run(f, "000");
	ck_assert_int_eq(fx_reg(f, 0, "a"), SIM_FAULT_NOPTE);
	ck_assert_int_eq(fx_reg(f, 0, "b"), SIM_FAULT_NONE);
	ck_assert_int_eq(sim_block(f->w, 2)->state, SIM_BLK_WRITTEN);
	ck_assert_int_eq(sim_block(f->w, 2)->stored, 0);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* ---- errors ----------------------------------------------------------- */

static const char err_model[] =
	"model t\n"
	"lock M mutex\n"
	"lock R rwsem\n"
	"lock RL range_lock\n"
	"op unl() {\n\tmutex_unlock(M)\n\treturn 0\n}\n"
	"op upr() {\n\tdown_write(R)\n\tup_read(R)\n\treturn 0\n}\n"
	"op leak() {\n\tmutex_lock(M)\n\treturn 0\n}\n"
	"op leakdeep() {\n\tdown_write(R)\n\thelper()\n\treturn 0\n}\n"
	"fn helper() {\n\tmutex_lock(M)\n\treturn 0\n}\n"
	"op far() {\n\tb, n = get_block(9, 1)\n\treturn 0\n}\n"
	"op farpage() {\n\tlock_page(8)\n\treturn 0\n}\n"
	"op farneg() {\n\tq = user_store(-1)\n\treturn 0\n}\n"
	"fn rec(n) {\n\tr = rec(n + 1)\n\treturn r\n}\n"
	"op deep() {\n\ti_size_read()\n\tx = rec(0)\n\treturn x\n}\n"
	"op deepinit() {\n\tx = rec(0)\n\treturn x\n}\n"
	"op spin() {\n\ti_size_read()\n\twhile 1 {\n\t}\n\treturn 0\n}\n"
	"op rdrec() {\n\tdown_read(R)\n\tdown_read(R)\n\treturn 0\n}\n"
	"op rlbad() {\n\trange_lock(RL, 0, 3)\n\trange_unlock(RL, 0, 2)\n"
	"\treturn 0\n}\n"
	"op nopage() {\n\tr = set_pte_page(2, 1)\n\treturn 0\n}\n"
	"op bigsize() {\n\ti_size_write(9)\n\treturn 0\n}\n"
	"op full() {\n\tfor p in 0..7 {\n\t\tb, n = get_block(p, 1)\n\t}\n"
	"\tfor i in 0..4 {\n\t\tb = other_alloc()\n\t}\n\treturn 0\n}\n"
	"op waitown() {\n\te = grab_entry(1)\n\tf = wait_entry(1)\n"
	"\treturn 0\n}\n"
	"op zero0() {\n\tzero_block(0)\n\treturn 0\n}\n"
	"op badentry() {\n\tset_entry(1, 4)\n\treturn 0\n}\n"
	"op nodirty() {\n\tset_page_dirty(3)\n\treturn 0\n}\n"
	"op div0() {\n\tn = i_size_read()\n\tx = 1 / (n - 4)\n\treturn x\n}\n"
	"op mod0() {\n\tn = i_size_read()\n\tx = 1 % (n - 4)\n\treturn x\n}\n"
	"op wrap() {\n\ti_size_read()\n\tx = 0\n\twhile x != -1 {\n"
	"\t\tx = x + 2\n\t}\n\treturn 0\n}\n"
	"op count() {\n\ti_size_read()\n\tx = 0\n\tfor i in 0..1000 {\n"
	"\t\tx = x + 1\n\t}\n\tfor i in 0..30000 {\n\t\tx = x - 1\n\t}\n"
	"\ty = x + 29003\n\ti_size_write(y)\n\treturn 0\n}\n";

/* Run T0 calling OP until it errs; the message must be exactly
 * "t.model:L:C: broken model: T0: WHAT" with L:C where AT first occurs
 * in the model text. */
static void expect_error(const char *op, int steps, const char *at,
			 const char *what)
{
	char *body = g_strdup_printf("%s()", op);
	Fx *f = fx_new1(err_model, "file size 4 blocks 0..1", body);
	char *loc = where(err_model, at);
	char *want = g_strdup_printf("%s: broken model: T0: %s\n", loc, what);

	for (int i = 0; i < steps && f->init_ok && !f->ctx.model_error; i++)
		fx_step(f, 0);
	ck_assert_msg(f->ctx.model_error, "%s: no model error", op);
	ck_assert_str_eq(f->msg->str, want);
	ck_assert_int_eq(f->ctx.found, 0);      /* never a race */
	g_free(want);
	g_free(loc);
	g_free(body);
	fx_free(f);
}

START_TEST(test_err_unlock_not_held)
{
	expect_error("unl", 1, "mutex_unlock(M)",
		     "mutex_unlock of M, which T0 does not hold");
}
END_TEST

START_TEST(test_err_up_read_of_write)
{
	expect_error("upr", 2, "up_read(R)",
		     "up_read of R, which T0 holds for write");
}
END_TEST

/* The op's own definition is named, with the first lock still held. */
START_TEST(test_err_op_returns_holding)
{
	expect_error("leak", 1, "leak()", "leak returns holding M");
	expect_error("leakdeep", 2, "leakdeep()",
		     "leakdeep returns holding R");
}
END_TEST

START_TEST(test_err_pgoff_out_of_range)
{
	expect_error("far", 1, "get_block(9",
		     "get_block(9): pgoff out of range");
	expect_error("farpage", 1, "lock_page(8)",
		     "lock_page: index out of range");
	expect_error("farneg", 1, "user_store(-1)",
		     "user_store(-1): pgoff out of range");
}
END_TEST

START_TEST(test_err_call_depth)
{
	expect_error("deep", 1, "rec(n + 1)",
		     "call of rec nests deeper than SIM_FRAMES_MAX (8) frames "
		     "or SIM_REGS_MAX (40) registers");
}
END_TEST

/* The same error before the first primitive fails sim_step_init. */
START_TEST(test_err_call_depth_at_init)
{
	Fx *f = fx_new1(err_model, FILE4, "deepinit()");
	char *loc = where(err_model, "rec(n + 1)");

	ck_assert(!f->init_ok);
	ck_assert(f->ctx.model_error);
	ck_assert(g_str_has_prefix(f->msg->str, loc));
	ck_assert_ptr_nonnull(strstr(f->msg->str, "call of rec nests"));
	g_free(loc);
	fx_free(f);
}
END_TEST

START_TEST(test_err_local_loop)
{
	expect_error("spin", 1, "while 1",
		     "loops without a primitive");
	/* x = x + 2 wraps around 16 bits and never equals -1 */
	expect_error("wrap", 1, "while x != -1",
		     "loops without a primitive");
}
END_TEST

/* A terminating local loop is no error however long it runs: only a
 * repeated (pc, registers) state is. */
START_TEST(test_local_loop_terminates)
{
	Fx *f = fx_new1(err_model, "file size 4 blocks 0..1", "count()");

	ck_assert(f->init_ok);
	fx_step(f, 0);
	ck_assert_msg(!f->ctx.model_error, "%s", f->msg->str);
	ck_assert_int_eq(sim_core(f->w)->i_size, 4);       /* parked at i_size_write */
	fx_step(f, 0);
	ck_assert_msg(!f->ctx.model_error, "%s", f->msg->str);
	ck_assert_int_eq(sim_core(f->w)->i_size, 3);   /* 1001 - 30001 + 29003 */
	fx_free(f);
}
END_TEST

START_TEST(test_err_division_by_zero)
{
	expect_error("div0", 1, "x = 1 / (n - 4)", "1 / 0: division by zero");
	expect_error("mod0", 1, "x = 1 % (n - 4)", "1 % 0: division by zero");
}
END_TEST

START_TEST(test_err_misc)
{
	expect_error("rdrec", 2, "down_read(R)\n\treturn 0\n}\nop rlbad",
		     "recursive down_read of R");
	expect_error("rlbad", 2, "range_unlock(RL, 0, 2)",
		     "range_unlock(0, 2) of RL held over [0, 3]");
	expect_error("nopage", 1, "set_pte_page(2, 1)",
		     "set_pte_page(2): no page in the page cache");
	expect_error("bigsize", 1, "i_size_write(9)",
		     "i_size_write(9) out of range");
	expect_error("waitown", 2, "wait_entry(1)",
		     "wait_entry(1) on an entry T0 has locked");
	expect_error("zero0", 1, "zero_block(0)",
		     "zero_block(0): no such block");
	expect_error("badentry", 1, "set_entry(1, 4)",
		     "set_entry(1, 4): bad pgoff or kind");
	expect_error("nodirty", 1, "set_page_dirty(3)",
		     "set_page_dirty(3): no such page");
}
END_TEST

/* 2 file blocks + 6 allocated = 8, then other_alloc takes the last 4
 * and the fifth finds the disk full. */
START_TEST(test_err_disk_full)
{
	expect_error("full", 13, "other_alloc()",
		     "disk full: all 12 blocks in use");
}
END_TEST

/* Without a message buffer the error is flagged all the same. */
START_TEST(test_err_no_msg_without_buffer)
{
	Fx *f = fx_new1(err_model, FILE4, "unl()");

	f->ctx.msg = NULL;
	sim_step(f->w, 0, &f->ctx);
	ck_assert(f->ctx.model_error);
	ck_assert_uint_eq(f->msg->len, 0);
	fx_free(f);
}
END_TEST

/* ---- link ------------------------------------------------------------- */

static const char link_model[] =
	"model t\n"
	"lock H hashed_mutex 3\n"
	"lock M mutex\n"
	"op one(a) {\n\ti_size_read()\n\treturn a\n}\n"
	"fn helper(a) {\n\treturn a\n}\n";

static char *link_missing(const char *model, const char *body)
{
	GError *err = NULL;
	char *missing = (char *)"junk";
	char *scn = g_strdup_printf("scenario s\nfile size 2\n"
				    "thread T0 {\n%s\n}\n", body);
	SimModel *m = sim_parse_model_string(model, "t.model", NULL, &err);
	SimScenario *s = sim_parse_scenario_string(scn, "s.scn", &err);

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(s);
	SimProgram *p = sim_program_link(m, s, &missing, &err);
	ck_assert_ptr_null(err);
	if (p) {
		ck_assert_ptr_null(missing);
		sim_program_free(p);
	} else {
		ck_assert_ptr_nonnull(missing);
	}
	sim_scenario_free(s);
	sim_model_free(m);
	g_free(scn);
	return missing;
}

START_TEST(test_link_missing_op)
{
	char *miss;

	ck_assert_ptr_null(link_missing(link_model, "one(1)"));
	miss = link_missing(link_model, "one(1)\nnosuch(2)\nother()");
	ck_assert_str_eq(miss, "nosuch");
	g_free(miss);
	/* the wrong arity, or a fn, is not an op the scenario can call */
	miss = link_missing(link_model, "one(1, 2)");
	ck_assert_str_eq(miss, "one");
	g_free(miss);
	miss = link_missing(link_model, "helper(1)");
	ck_assert_str_eq(miss, "helper");
	g_free(miss);
}
END_TEST

/* The instance bound is the model's: refused where the lock crossing it
 * is declared, before any scenario is linked. */
START_TEST(test_link_lock_instances)
{
	Fx *f = fx_new1(link_model, "file size 2", "one(1)");
	char name[48];

	/* one process: mmap_sem 1, page 8, entry 8, H 3, M 1 */
	ck_assert_int_eq(f->p->nlocks, 21);
	ck_assert_int_eq(f->p->shape.locks, 21);
	ck_assert_int_eq(f->p->lock_base[0], 0);
	ck_assert_int_eq(f->p->lock_base[SIM_LOCKDECL_PAGE], 1);
	ck_assert_int_eq(f->p->lock_base[SIM_LOCKDECL_ENTRY], 9);
	ck_assert_int_eq(f->p->lock_base[3], 17);
	ck_assert_int_eq(f->p->lock_base[4], 20);
	ck_assert_int_eq(sim_lock_instance(f->p, 3, 7), 17 + 1);
	ck_assert_int_eq(sim_lock_instance(f->p, 3, -2), 17 + 2);
	ck_assert_int_eq(sim_lock_instance(f->p, SIM_LOCKDECL_PAGE, 5), 6);
	ck_assert_int_eq(sim_lock_instance(f->p, 4, 3), 20);
	ck_assert_str_eq(sim_lock_name(f->p, 0, name, sizeof(name)),
			 "mmap_sem[P0]");
	ck_assert_str_eq(sim_lock_name(f->p, 6, name, sizeof(name)),
			 "page[5]");
	ck_assert_str_eq(sim_lock_name(f->p, 11, name, sizeof(name)),
			 "dax_entry[2]");
	ck_assert_str_eq(sim_lock_name(f->p, 19, name, sizeof(name)), "H[2]");
	ck_assert_str_eq(sim_lock_name(f->p, 20, name, sizeof(name)), "M");
	ck_assert_int_eq(sim_lock_decl_of(f->p, 0), 0);
	ck_assert_int_eq(sim_lock_decl_of(f->p, 8), SIM_LOCKDECL_PAGE);
	ck_assert_int_eq(sim_lock_decl_of(f->p, 9), SIM_LOCKDECL_ENTRY);
	ck_assert_int_eq(sim_lock_decl_of(f->p, 19), 3);
	ck_assert_int_eq(sim_lock_decl_of(f->p, 20), 4);
	/* the body's call is bound to the op's index */
	const SimProc *body = f->p->procs[f->p->body0];
	ck_assert_int_eq(body->code[0].op, SIM_I_CALL);
	ck_assert_int_eq(body->code[0].target, fx_proc(f, "one"));
	fx_free(f);
}
END_TEST

/* The shape's stacks: the deepest call chain any thread body can take
 * (its frames, and the registers of every frame along it), whichever
 * thread takes it; a recursion counts as the ceilings. */
/* A file of `file size N` pages past the default: the world has N pages
 * and half as many again blocks, and PAGES and LAST mean its size in the
 * model's ops as in the thread bodies, unary minus included.  Truncating
 * to page 2 up to LAST frees every block past it, not only those of the
 * first 8 pages. */
START_TEST(test_link_shape_pages)
{
	static const char model[] =
		"model t\n"
		"op trunc(size) {\n\tfree_blocks(size, LAST)\n"
		"\treturn PAGES\n}\n"
		"op park() {\n\ti_size_read()\n\treturn 0\n}\n";
	Fx *f = fx_new(model, "scenario s\nfile size 16 blocks 0..15\n"
		       "thread T0 {\n\tn = trunc(2)\n\tm = -LAST\n\tpark()\n}\n");

	ck_assert_int_eq(f->p->shape.pages, 16);
	ck_assert_int_eq(f->p->shape.blocks, 24);
	ck_assert(f->init_ok);
	fx_run(f, "0");
	for (int pg = 0; pg < 16; pg++)
		ck_assert_msg((sim_bmap(f->w)[pg] == SIM_HOLE) == (pg >= 2),
			      "page %d: block %d", pg, sim_bmap(f->w)[pg]);
	ck_assert_int_eq(fx_reg(f, 0, "n"), 16);
	ck_assert_int_eq(fx_reg(f, 0, "m"), -15);
	fx_free(f);
	/* a file within the default keeps the 8-page world */
	f = fx_new(model, "scenario s\nfile size 4 blocks 0..3\n"
		   "thread T0 {\n\tn = trunc(2)\n\tm = -LAST\n\tpark()\n}\n");
	ck_assert_int_eq(f->p->shape.pages, SIM_PAGES_DEFAULT);
	fx_run(f, "0");
	ck_assert_int_eq(fx_reg(f, 0, "n"), SIM_PAGES_DEFAULT);
	ck_assert_int_eq(fx_reg(f, 0, "m"), 1 - SIM_PAGES_DEFAULT);
	fx_free(f);
}
END_TEST

START_TEST(test_link_shape_stacks)
{
	static const char model[] =
		"model t\n"
		"fn leaf(x) {\n\ty = i_size_read()\n\treturn x + y\n}\n"
		"fn mid(a, b) {\n\tr = leaf(a)\n\treturn r + b\n}\n"
		"op deep(p) {\n\tq = mid(p, 1)\n\treturn q\n}\n"
		"op flat() {\n\ti_size_read()\n\treturn 0\n}\n"
		"fn rec(n) {\n\tm = rec(n)\n\treturn m\n}\n"
		"op loop() {\n\tz = rec(1)\n\treturn z\n}\n";
	Fx *f = fx_new(model, "scenario s\nfile size 1\n"
		       "thread T0 {\n\tflat()\n}\n"
		       "thread T1 {\n\tdeep(2)\n}\n");
	const SimProc *deep = f->p->procs[fx_proc(f, "deep")];
	const SimProc *mid = f->p->procs[fx_proc(f, "mid")];
	const SimProc *leaf = f->p->procs[fx_proc(f, "leaf")];
	const SimProc *body = f->p->procs[f->p->body0 + 1];

	/* T1's body -> deep -> mid -> leaf */
	ck_assert_int_eq(f->p->shape.frames, 4);
	ck_assert_int_eq(f->p->shape.regs, body->nregs + deep->nregs +
			 mid->nregs + leaf->nregs);
	ck_assert_int_eq(sim_thread(f->w, 0)->nframes, 4);
	/* T1 is parked at leaf's i_size_read, in its record's last frame */
	ck_assert_int_eq(sim_thread(f->w, 1)->depth, 4);
	fx_run(f, "1");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_DONE);
	fx_free(f);
	f = fx_new(model, "scenario s\nfile size 1\nthread T0 {\n\tloop()\n}\n");
	ck_assert_int_eq(f->p->shape.frames, SIM_FRAMES_MAX);
	ck_assert_int_eq(f->p->shape.regs, SIM_REGS_MAX);
	fx_free(f);
}
END_TEST

/* mmap_sem: a thread takes its own process's instance. */
START_TEST(test_link_mmap_sem_per_process)
{
	Fx *f = fx_new("model t\n"
		       "op rd() {\n\tdown_read(mmap_sem)\n\ti_size_read()\n"
		       "\tup_read(mmap_sem)\n\treturn 0\n}\n"
		       "op wr() {\n\tdown_write(mmap_sem)\n\ti_size_read()\n"
		       "\tup_write(mmap_sem)\n\treturn 0\n}\n",
		       "scenario s\nfile size 2\nproc P0\nproc P1\n"
		       "thread T0 in P0 {\n\twr()\n}\n"
		       "thread T1 in P1 {\n\twr()\n}\n"
		       "thread T2 in P0 {\n\trd()\n}\n");

	fx_run(f, "012");
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, 0), 0));
	ck_assert(sim_lock_is_held_by(sim_lock(f->w, 1), 1));
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_thread(f->w, 2)->wait_lock, 0);
	fx_free(f);
}
END_TEST

/* ---- assert ----------------------------------------------------------- */

/* Abort tests cannot run without fork (CK_FORK=no): an abort would end
 * the runner, and Check does not check the signal in that mode. */
static bool nofork(void)
{
	return g_strcmp0(getenv("CK_FORK"), "no") == 0;
}

START_TEST(test_assert_step_done_thread)
{
	if (nofork())
		return;
	Fx *f = fx_new1(prims_model, FILE4, "isize()");
	fx_step(f, 0);
	ck_assert_int_eq(sim_thread(f->w, 0)->status, SIM_TH_DONE);
	sim_step(f->w, 0, &f->ctx);
}
END_TEST

START_TEST(test_assert_step_blocked_thread)
{
	if (nofork())
		return;
	Fx *f = fx_new(prims_model, SCN2(FILE4, "mhold()", "mhold()"));
	fx_run(f, "01");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	sim_step(f->w, 1, &f->ctx);
}
END_TEST

/* A thread parked anywhere but at a PRIM breaks invariant 5. */
START_TEST(test_assert_not_parked_at_prim)
{
	if (nofork())
		return;
	Fx *f = fx_new1(local_model, FILE4, "r = locals(5)\npark()");
	sim_th_frame(sim_thread(f->w, 0))[1].pc = 0;         /* x = a * 3 */
	ck_assert_int_ne(sim_step_next_insn(f->w, f->p, 0)->op, SIM_I_PRIM);
	sim_step(f->w, 0, &f->ctx);
}
END_TEST

/* "granted" without holding the lock: a handoff that never happened. */
START_TEST(test_assert_granted_not_held)
{
	if (nofork())
		return;
	Fx *f = fx_new1(prims_model, FILE4, "mhold()");
	sim_thread(f->w, 0)->granted = 1;
	sim_step(f->w, 0, &f->ctx);
}
END_TEST

Suite *prog_suite(void)
{
	Suite *s = suite_create("prog");
	TCase *tc;

	tc = tcase_create("alu");
	tcase_add_test(tc, test_alu_ops);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_consts);
	tcase_add_test(tc, test_prop_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("local");
	tcase_add_test(tc, test_local_opcodes_used);
	tcase_add_test(tc, test_local_mix);
	tcase_add_test(tc, test_local_else_if_chain);
	tcase_add_test(tc, test_local_nested_calls);
	tcase_add_test(tc, test_local_deep_park);
	tcase_add_test(tc, test_local_regs_zeroed_on_return);
	tcase_add_test(tc, test_local_thread_done);
	suite_add_tcase(s, tc);

	tc = tcase_create("park");
	tcase_add_test(tc, test_park_one_prim_per_step);
	tcase_add_test(tc, test_park_no_prim_thread);
	tcase_add_test(tc, test_park_init_world);
	suite_add_tcase(s, tc);

	tc = tcase_create("locks");
	tcase_add_test(tc, test_lock_mutex);
	tcase_add_test(tc, test_lock_rwsem_readers);
	tcase_add_test(tc, test_lock_rwsem_writer_excludes);
	tcase_add_test(tc, test_lock_rwsem_downgrade);
	tcase_add_test(tc, test_lock_rwsem_unbalanced_up_write);
	tcase_add_test(tc, test_lock_page);
	tcase_add_test(tc, test_lock_hashed_collision);
	tcase_add_test(tc, test_lock_range);
	tcase_add_test(tc, test_lock_range_readers_share);
	tcase_add_test(tc, test_lock_grab_entry_result);
	tcase_add_test(tc, test_lock_unlock_entry_wakes_one);
	tcase_add_test(tc, test_lock_unlock_entry_all);
	tcase_add_test(tc, test_lock_wait_entry);
	tcase_add_test(tc, test_lock_recursive_mutex_sleeps);
	suite_add_tcase(s, tc);

	tc = tcase_create("prims");
	tcase_add_test(tc, test_prims_table_covered);
	tcase_add_test(tc, test_prim_i_size);
	tcase_add_test(tc, test_prim_get_block);
	tcase_add_test(tc, test_prim_get_block_unwritten);
	tcase_add_test(tc, test_prim_wait_delete_entry);
	tcase_add_test(tc, test_prim_zero_block);
	tcase_add_test(tc, test_prim_free_blocks);
	tcase_add_test(tc, test_prim_free_blocks_clamps);
	tcase_add_test(tc, test_prim_shift_blocks);
	tcase_add_test(tc, test_prim_other_alloc);
	tcase_add_test(tc, test_prim_set_pte_and_lookup);
	tcase_add_test(tc, test_prim_set_pte_zero);
	tcase_add_test(tc, test_prim_set_pte_page);
	tcase_add_test(tc, test_prim_set_pte_anon);
	tcase_add_test(tc, test_prim_zap_and_wrprotect);
	tcase_add_test(tc, test_prim_page_mapped);
	tcase_add_test(tc, test_prim_add_page);
	tcase_add_test(tc, test_prim_delete_pages);
	tcase_add_test(tc, test_prim_page_dirty_and_writeback);
	tcase_add_test(tc, test_prim_read_write_page);
	tcase_add_test(tc, test_prim_grab_entry_page);
	tcase_add_test(tc, test_prim_fill_page);
	tcase_add_test(tc, test_prim_invalidate_page);
	tcase_add_test(tc, test_prim_dio_done);
	tcase_add_test(tc, test_prim_entries_and_tags);
	tcase_add_test(tc, test_prim_delete_entries);
	tcase_add_test(tc, test_prim_flush_cache);
	tcase_add_test(tc, test_prim_dio_write_block_io);
	tcase_add_test(tc, test_prim_user_store);
	tcase_add_test(tc, test_prim_user_load);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_err_unlock_not_held);
	tcase_add_test(tc, test_err_up_read_of_write);
	tcase_add_test(tc, test_err_op_returns_holding);
	tcase_add_test(tc, test_err_pgoff_out_of_range);
	tcase_add_test(tc, test_err_call_depth);
	tcase_add_test(tc, test_err_call_depth_at_init);
	tcase_add_test(tc, test_err_local_loop);
	tcase_add_test(tc, test_local_loop_terminates);
	tcase_add_test(tc, test_err_division_by_zero);
	tcase_add_test(tc, test_err_misc);
	tcase_add_test(tc, test_err_disk_full);
	tcase_add_test(tc, test_err_no_msg_without_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("link");
	tcase_add_test(tc, test_link_missing_op);
	tcase_add_test(tc, test_link_lock_instances);
	tcase_add_test(tc, test_link_shape_stacks);
	tcase_add_test(tc, test_link_shape_pages);
	tcase_add_test(tc, test_link_mmap_sem_per_process);
	suite_add_tcase(s, tc);

	tc = tcase_create("assert");
	tcase_add_test_raise_signal(tc, test_assert_step_done_thread, SIGABRT);
	tcase_add_test_raise_signal(tc, test_assert_step_blocked_thread,
				    SIGABRT);
	tcase_add_test_raise_signal(tc, test_assert_not_parked_at_prim,
				    SIGABRT);
	tcase_add_test_raise_signal(tc, test_assert_granted_not_held, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}
