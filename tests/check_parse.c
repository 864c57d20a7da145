/*
 * check_parse.c - the model and scenario parsers (sim/parse.h).
 *
 * Contracts tested, one TCase each:
 *   bad       every file in the table below fails with its exact
 *             "FILE:LINE:COL: message" and error code;
 *   model     each statement form compiles to the expected instructions,
 *             registers and positions (compared as a compact listing);
 *   extends   a child replaces the parent's procedures and headers, adds
 *             locks, is not abstract by inheritance, and calls resolve
 *             after the merge;
 *   scenario  every header and line of a scenario file;
 *   schedule  the three forms of the --schedule argument;
 *   robust    every prefix and many mutations of valid files parse or
 *             fail cleanly (the fuzzer's job, in miniature);
 *   cite      a procedure keeps its doc comment, the citation rule
 *             accepts exactly its three forms, and every op and fn of
 *             every file in models/ opens its doc comment with one.
 *
 * Runs from the repository root (tests/bad/ paths are relative to it).
 */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>
#include "../sim/cost.h"
#include "../sim/parse.h"

Suite *parse_suite(void);

/* ---- helpers ---------------------------------------------------------- */

static const char *const alu_names[SIM_ALU_COUNT] = {
	"add", "sub", "mul", "div", "mod", "eq", "ne", "lt", "le", "gt",
	"ge", "and", "or", "not",
};

static void put_arg(GString *s, SimArg a)
{
	if (a.kind == SIM_ARG_REG)
		g_string_append_printf(s, " r%d", a.v);
	else
		g_string_append_printf(s, " #%d", a.v);
}

static void put_dst(GString *s, const SimInsn *in)
{
	if (in->dst != SIM_NOREG)
		g_string_append_printf(s, " =r%d", in->dst);
	if (in->dst2 != SIM_NOREG)
		g_string_append_printf(s, " =r%d", in->dst2);
}

/* disasm - P's code as "op args; op args; ..." for exact comparison. */
static char *disasm(const SimProc *p)
{
	GString *s = g_string_new(NULL);

	for (int i = 0; i < p->ncode; i++) {
		const SimInsn *in = &p->code[i];

		if (i)
			g_string_append(s, "; ");
		switch (in->op) {
		case SIM_I_MOV:
			g_string_append(s, "mov");
			break;
		case SIM_I_ALU:
			g_string_append(s, alu_names[in->sub]);
			break;
		case SIM_I_JMP:
			g_string_append_printf(s, "jmp @%d", in->target);
			break;
		case SIM_I_JZ:
			g_string_append_printf(s, "jz @%d", in->target);
			break;
		case SIM_I_CALL:
			g_string_append_printf(s, "call %s@%d", in->callee,
					       in->target);
			break;
		case SIM_I_RET:
			g_string_append(s, "ret");
			break;
		case SIM_I_PRIM:
			g_string_append(s, sim_prims[in->sub].name);
			if (in->lock >= 0)
				g_string_append_printf(s, " L%d", in->lock);
			break;
		}
		put_dst(s, in);
		for (int a = 0; a < in->nargs; a++)
			put_arg(s, in->arg[a]);
	}
	return g_string_free(s, FALSE);
}

static void ck_code(const SimProc *p, const char *expected)
{
	char *got = disasm(p);

	ck_assert_str_eq(got, expected);
	g_free(got);
}

static SimModel *model_ok(const char *text, const char *file)
{
	GError *err = NULL;
	SimModel *m = sim_parse_model_string(text, file, "tests/bad", &err);

	ck_assert_msg(m != NULL, "%s", err ? err->message : "?");
	return m;
}

static SimScenario *scn_ok(const char *text)
{
	GError *err = NULL;
	SimScenario *s = sim_parse_scenario_string(text, "t.scn", &err);

	ck_assert_msg(s != NULL, "%s", err ? err->message : "?");
	return s;
}

static const SimProc *proc_named(const SimModel *m, const char *name)
{
	for (int i = 0; i < m->nprocs; i++)
		if (strcmp(m->procs[i].name, name) == 0)
			return &m->procs[i];
	ck_abort_msg("no procedure %s", name);
	return NULL;
}

/* ---- bad inputs ------------------------------------------------------- */

static const struct {
	const char *path;
	SimParseErrorCode code;
	const char *where;      /* "LINE:COL:" */
	const char *message;
} bad[] = {
	{ "unknown-proc.model", SIM_PARSE_ERROR_NAME, "5:5:",
	  "unknown procedure 'fault_in_page'" },
	{ "bad-number.model", SIM_PARSE_ERROR_SYNTAX, "3:9:",
	  "bad number '12ab'" },
	{ "number-range.model", SIM_PARSE_ERROR_BOUND, "3:17:",
	  "number out of range '40000'" },
	{ "unterminated-string.model", SIM_PARSE_ERROR_SYNTAX, "2:9:",
	  "unterminated string" },
	{ "unterminated-block.model", SIM_PARSE_ERROR_SYNTAX, "2:17:",
	  "unterminated block" },
	{ "unexpected-token.model", SIM_PARSE_ERROR_SYNTAX, "4:1:",
	  "unexpected '}', expected an expression" },
	{ "unknown-lock-kind.model", SIM_PARSE_ERROR_NAME, "2:17:",
	  "unknown lock kind 'spinlock'" },
	{ "lock-kind-mismatch.model", SIM_PARSE_ERROR_NAME, "4:15:",
	  "down_read needs a rwsem, 'dax_mutex' is a mutex" },
	{ "duplicate-lock.model", SIM_PARSE_ERROR_NAME, "4:6:",
	  "duplicate lock 'i_mmaplock'" },
	{ "builtin-lock.model", SIM_PARSE_ERROR_NAME, "2:6:",
	  "lock 'page' is built in" },
	{ "duplicate-proc.model", SIM_PARSE_ERROR_NAME, "4:4:",
	  "duplicate procedure 'helper'" },
	{ "unknown-name.model", SIM_PARSE_ERROR_NAME, "4:17:",
	  "unknown name 'size'" },
	{ "prim-in-expr.model", SIM_PARSE_ERROR_SYNTAX, "3:17:",
	  "primitive 'i_size_read' must stand alone: assign its result "
	  "first" },
	{ "wrong-arity.model", SIM_PARSE_ERROR_SYNTAX, "4:5:",
	  "wrong number of arguments to 'zap_ptes': expected 2, got 1" },
	{ "call-arity.model", SIM_PARSE_ERROR_SYNTAX, "6:9:",
	  "wrong number of arguments to 'helper': expected 2, got 1" },
	{ "too-many-results.model", SIM_PARSE_ERROR_SYNTAX, "3:12:",
	  "too many results: primitive 'i_size_read' returns one value" },
	{ "no-result.model", SIM_PARSE_ERROR_SYNTAX, "3:9:",
	  "primitive 'lock_page' returns no value" },
	{ "missing-header.model", SIM_PARSE_ERROR_SYNTAX, "2:1:",
	  "missing model header" },
	{ "name-mismatch.model", SIM_PARSE_ERROR_NAME, "1:7:",
	  "model name 'name-mismtach' does not match its file name "
	  "'name-mismatch.model'" },
	{ "extends-cycle-a.model", SIM_PARSE_ERROR_NAME, "3:9:",
	  "extends cycle: extends-cycle-a -> extends-cycle-b -> "
	  "extends-cycle-a" },
	{ "unknown-parent.model", SIM_PARSE_ERROR_NAME, "2:9:",
	  "unknown parent model 'no-such-model' (no "
	  "no-such-model.model in tests/bad)" },
	{ "extends-late.model", SIM_PARSE_ERROR_SYNTAX, "3:1:",
	  "'extends' must come before locks and procedures" },
	{ "hashed-size-missing.model", SIM_PARSE_ERROR_SYNTAX, "2:16:",
	  "hashed_mutex needs a size (1..16)" },
	{ "hashed-size-range.model", SIM_PARSE_ERROR_BOUND, "2:29:",
	  "hashed_mutex size 17 out of range (1..16)" },
	{ "too-many-registers.model", SIM_PARSE_ERROR_BOUND, "7:59:",
	  "too many registers" },
	{ "duplicate-header.model", SIM_PARSE_ERROR_SYNTAX, "4:1:",
	  "duplicate header 'summary'" },
	{ "empty.model", SIM_PARSE_ERROR_SYNTAX, "1:1:", "empty file" },
	{ "bad-char.model", SIM_PARSE_ERROR_SYNTAX, "3:15:",
	  "unexpected character '@'" },
	{ "bad-escape.model", SIM_PARSE_ERROR_SYNTAX, "2:13:",
	  "unknown escape '\\t' in string" },
	{ "assign-constant.model", SIM_PARSE_ERROR_NAME, "3:5:",
	  "cannot assign to constant 'SIGBUS'" },
	{ "else-without-if.model", SIM_PARSE_ERROR_SYNTAX, "4:5:",
	  "unexpected 'else', expected a statement" },
	{ "too-many-locks.model", SIM_PARSE_ERROR_BOUND, "15:6:",
	  "too many lock classes" },
	{ "dup-thread.scn", SIM_PARSE_ERROR_NAME, "5:8:",
	  "duplicate thread 'T0'" },
	{ "unknown-process.scn", SIM_PARSE_ERROR_NAME, "7:14:",
	  "unknown process 'P2'" },
	{ "needs-process.scn", SIM_PARSE_ERROR_NAME, "7:8:",
	  "thread 'T1' needs 'in PROCESS'" },
	{ "too-many-threads.scn", SIM_PARSE_ERROR_BOUND, "66:8:",
	  "too many threads: more than SIM_THREADS_MAX (64)" },
	{ "too-many-procs.scn", SIM_PARSE_ERROR_BOUND, "18:6:",
	  "too many processes: more than SIM_PROCS_MAX (16)" },
	{ "blocks-range.scn", SIM_PARSE_ERROR_BOUND, "2:29:",
	  "block pgoff 8 out of range (0..7)" },
	{ "file-size-range.scn", SIM_PARSE_ERROR_BOUND, "2:11:",
	  "file size 4097 out of range (0..4096)" },
	{ "dup-block.scn", SIM_PARSE_ERROR_NAME, "2:26:",
	  "duplicate block pgoff 1" },
	{ "dup-header.scn", SIM_PARSE_ERROR_SYNTAX, "4:1:",
	  "duplicate header 'race'" },
	{ "unknown-prop.scn", SIM_PARSE_ERROR_NAME, "3:17:",
	  "unknown property 'stale-ptes'" },
	{ "expect-not-checked.scn", SIM_PARSE_ERROR_NAME, "5:24:",
	  "expect property 'lost-store' is not in 'check'" },
	{ "dup-expect.scn", SIM_PARSE_ERROR_NAME, "5:8:",
	  "duplicate expect for model 'v4.2-dax'" },
	{ "sched-unknown-thread.scn", SIM_PARSE_ERROR_NAME, "4:32:",
	  "unknown thread 'T2'" },
	{ "dup-schedule.scn", SIM_PARSE_ERROR_NAME, "4:10:",
	  "duplicate schedule 's1'" },
	{ "thread-prim.scn", SIM_PARSE_ERROR_NAME, "3:9:",
	  "thread bodies call ops; 'i_size_read' is a primitive" },
	{ "missing-header.scn", SIM_PARSE_ERROR_SYNTAX, "1:1:",
	  "missing scenario header" },
	{ "empty.scn", SIM_PARSE_ERROR_SYNTAX, "1:1:", "empty file" },
	{ "no-threads.scn", SIM_PARSE_ERROR_SYNTAX, "3:1:",
	  "scenario has no threads" },
	{ "unterminated-thread.scn", SIM_PARSE_ERROR_SYNTAX, "2:11:",
	  "unterminated block" },
	{ "bad-segment.scn", SIM_PARSE_ERROR_BOUND, "3:32:",
	  "occurrence must be at least 1" },
	{ "unexpected-line.scn", SIM_PARSE_ERROR_SYNTAX, "3:1:",
	  "unexpected 'threads', expected a scenario line" },
	{ "string-newline.scn", SIM_PARSE_ERROR_SYNTAX, "2:8:",
	  "unterminated string" },
	{ "call-in-arg.scn", SIM_PARSE_ERROR_SYNTAX, "3:11:",
	  "call to 'pte' must stand alone" },
	/* workloads (des.h) */
	{ "workload-never-ends.scn", SIM_PARSE_ERROR_SYNTAX, "3:1:",
	  "a workload that never ends: give 'ops N' or 'duration TIME'" },
	{ "workload-negative-time.scn", SIM_PARSE_ERROR_SYNTAX, "6:13:",
	  "negative time" },
	{ "workload-no-op.scn", SIM_PARSE_ERROR_SYNTAX, "7:2:",
	  "a loop calls at least one op" },
	{ "workload-unknown-word.scn", SIM_PARSE_ERROR_SYNTAX, "9:2:",
	  "unexpected 'threads', expected a workload line (cpus, ops, "
	  "duration, seed, loop, background)" },
	/* cost files (cost.h) */
	{ "cost-negative.cost", SIM_PARSE_ERROR_SYNTAX, "2:17:",
	  "negative time" },
	{ "cost-missing-prim.cost", SIM_PARSE_ERROR_SYNTAX, "3:1:",
	  "no cost for primitive 'mutex_unlock'" },
	{ "cost-unknown-word.cost", SIM_PARSE_ERROR_SYNTAX, "2:1:",
	  "unknown word 'flavour' (costs, extends, summary, cost, prim, "
	  "event)" },
	{ "cost-unknown-unit.cost", SIM_PARSE_ERROR_SYNTAX, "2:17:",
	  "unknown unit 'parsecs' (ns, us, ms, s)" },
	{ "cost-unknown-name.cost", SIM_PARSE_ERROR_SYNTAX, "2:17:",
	  "unknown cost 'fast'" },
	{ "cost-duplicate.cost", SIM_PARSE_ERROR_SYNTAX, "3:6:",
	  "cost 'a' given twice" },
	{ "cost-unknown-prim.cost", SIM_PARSE_ERROR_SYNTAX, "2:6:",
	  "unknown primitive 'no_such_prim'" },
	{ "cost-uniform-range.cost", SIM_PARSE_ERROR_SYNTAX, "2:8:",
	  "uniform(LO, HI) needs LO <= HI" },
	{ "cost-no-name.cost", SIM_PARSE_ERROR_SYNTAX, "1:1:",
	  "no 'costs NAME' line" },
	{ "cost-extends-missing.cost", SIM_PARSE_ERROR_SYNTAX, "2:9:",
	  "cannot read 'tests/bad/no-such-model.cost'" },
};

START_TEST(test_bad_file)
{
	char *path = g_strconcat("tests/bad/", bad[_i].path, NULL);
	/* The cycle closes in the parent, so that is where it is reported. */
	const char *in = strcmp(bad[_i].path, "extends-cycle-a.model") ?
			 bad[_i].path : "extends-cycle-b.model";
	char *prefix = g_strconcat("tests/bad/", in, ":", bad[_i].where, " ",
				   NULL);
	GError *err = NULL;
	void *r;

	if (g_str_has_suffix(path, ".scn")) {
		r = sim_parse_scenario_file(path, &err);
	} else if (g_str_has_suffix(path, ".cost")) {
		r = sim_costs_load(path, "tests/bad", &err);
	} else {
		r = sim_parse_model_file(path, "tests/bad", &err);
	}
	ck_assert_msg(r == NULL, "%s parsed", path);
	ck_assert(g_error_matches(err, SIM_PARSE_ERROR, (gint)bad[_i].code));
	ck_assert_msg(g_str_has_prefix(err->message, prefix) &&
		      strstr(err->message, bad[_i].message),
		      "%s: got \"%s\", want \"%s%s\"", path, err->message,
		      prefix, bad[_i].message);
	ck_assert(!g_str_has_suffix(err->message, "."));
	g_error_free(err);
	g_free(prefix);
	g_free(path);
}
END_TEST

/* Every file in tests/bad/ is in the table, so none goes unchecked. */
START_TEST(test_bad_all_listed)
{
	GDir *d = g_dir_open("tests/bad", 0, NULL);
	const char *name;
	int n = 0;

	ck_assert(d != NULL);
	while ((name = g_dir_read_name(d))) {
		bool found = strcmp(name, "extends-cycle-b.model") == 0;

		for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
			found |= strcmp(bad[i].path, name) == 0;
		ck_assert_msg(found, "tests/bad/%s has no expectation", name);
		n++;
	}
	g_dir_close(d);
	ck_assert_int_ge(n, 25);
}
END_TEST

START_TEST(test_bad_io)
{
	GError *err = NULL;

	ck_assert(!sim_parse_model_load("tests/bad", "no-such", &err));
	ck_assert(g_error_matches(err, SIM_PARSE_ERROR, SIM_PARSE_ERROR_IO));
	ck_assert_str_eq(err->message,
			 "unknown model 'no-such' (no no-such.model in tests/bad)");
	g_clear_error(&err);
	ck_assert(!sim_parse_model_load("tests/bad", "../bad/empty", &err));
	ck_assert(g_error_matches(err, SIM_PARSE_ERROR, SIM_PARSE_ERROR_IO));
	g_clear_error(&err);
	ck_assert(!sim_parse_scenario_file("tests/bad/none.scn", &err));
	ck_assert(g_error_matches(err, SIM_PARSE_ERROR, SIM_PARSE_ERROR_IO));
	ck_assert(g_str_has_prefix(err->message, "tests/bad/none.scn: "));
	g_clear_error(&err);
	ck_assert(!sim_parse_model_file("tests/bad/none.model", NULL, &err));
	ck_assert(g_error_matches(err, SIM_PARSE_ERROR, SIM_PARSE_ERROR_IO));
	g_clear_error(&err);
}
END_TEST

/* Errors in a string: the lexer's corner cases. */
static const struct {
	const char *text;
	const char *message;
} bad_text[] = {
	{ "model m\nop f() { x = (((1 }", "m.model:2:19: unexpected '}', "
	  "expected ')'" },
	{ "model m\nop f() { x = 1 & 2 }", "m.model:2:16: unexpected "
	  "character '&'" },
	{ "model m\nop f(a, a) { }", "m.model:2:9: duplicate parameter 'a'" },
	{ "model m\nop f(a, b, c, d, e) { }", "m.model:2:18: too many "
	  "parameters" },
	{ "model m\nop f() { g(1, 2, 3, 4, 5) }\nfn g() { }",
	  "m.model:2:10: too many arguments to 'g'" },
	{ "model m\nop f() { a, a = get_block(0, 0) }",
	  "m.model:2:13: 'a' assigned twice" },
	{ "model m\nop f() { a, b = g() }\nfn g() { }",
	  "m.model:2:17: too many results: procedure 'g' returns one value" },
	{ "model m\nop f() { down_read(nosuch) }",
	  "m.model:2:20: unknown lock 'nosuch'" },
	{ "model m\nop f() { down_read() }",
	  "m.model:2:10: wrong number of arguments to 'down_read': "
	  "expected 1, got 0" },
	{ "model m\nop f() { x = 1 }\nfn lock_page() { }",
	  "m.model:3:4: 'lock_page' cannot be a procedure name" },
	{ "model m\nlock a mutex 3", "m.model:2:14: only a hashed_mutex "
	  "takes a size" },
	{ "model m\nlock a page_lock", "m.model:2:8: unknown lock kind "
	  "'page_lock'" },
	{ "model m\nmodel m", "m.model:2:1: duplicate header 'model'" },
	{ "model m\nextends m", "m.model:2:9: extends cycle: m -> m" },
	{ "model m\nop f() { x = 99999999999999999999 }",
	  "m.model:2:14: number out of range" },
	{ "model m\nop f() { for if in 0..1 { } }",
	  "m.model:2:14: 'if' is a reserved word" },
	{ "model m\nop f() { for i in 0..2 }",
	  "m.model:2:24: unexpected '}', expected '{'" },
	{ "model m\nop f() { x = 1 } }", "m.model:2:18: unexpected '}', "
	  "expected a header, 'lock', 'fn' or 'op'" },
	{ "model m\nop f() {\n x = \"s\" }", "m.model:3:6: unexpected "
	  "'\"s\"', expected an expression" },
	{ "model m\nop f() { x = 1 \x01 }", "m.model:2:16: unexpected "
	  "character '\\x01'" },
	{ "model m\nsummary \"a\\", "m.model:2:9: unterminated string" },
	{ "", "m.model:1:1: empty file" },
	{ "# only a comment\n", "m.model:2:1: empty file" },
};

START_TEST(test_bad_text)
{
	GError *err = NULL;
	SimModel *m = sim_parse_model_string(bad_text[_i].text, "m.model",
					     "tests/bad", &err);

	ck_assert_msg(m == NULL, "parsed: %s", bad_text[_i].text);
	ck_assert_msg(g_str_has_prefix(err->message, bad_text[_i].message),
		      "got \"%s\", want \"%s\"", err->message,
		      bad_text[_i].message);
	g_error_free(err);
}
END_TEST

START_TEST(test_bad_nesting)
{
	GString *s = g_string_new("model m\nop f() { x = ");
	GError *err = NULL;

	for (int i = 0; i < 100000; i++)
		g_string_append_c(s, '(');
	ck_assert(!sim_parse_model_string(s->str, "m.model", NULL, &err));
	ck_assert(g_error_matches(err, SIM_PARSE_ERROR,
				  SIM_PARSE_ERROR_BOUND));
	ck_assert(strstr(err->message, "nesting too deep"));
	g_clear_error(&err);
	g_string_assign(s, "model m\nop f() {");
	for (int i = 0; i < 100000; i++)
		g_string_append(s, "if 1 {");
	ck_assert(!sim_parse_model_string(s->str, "m.model", NULL, &err));
	ck_assert(strstr(err->message, "nesting too deep"));
	g_clear_error(&err);
	g_string_assign(s, "model m\nop f() { x = 1");
	for (int i = 0; i < 100000; i++)
		g_string_append(s, "-1");
	g_string_append(s, "}");
	ck_assert(!sim_parse_model_string(s->str, "m.model", NULL, &err));
	ck_assert(strstr(err->message, "SIM_CODE_MAX"));
	g_clear_error(&err);
	g_string_free(s, TRUE);
}
END_TEST

/* ---- models ----------------------------------------------------------- */

START_TEST(test_model_headers)
{
	SimModel *m = model_ok(
		"model every   # comment\n"
		"summary \"one \\\"line\\\" \\\\ x\"\n"
		"source \"src\"; order \"a -> b\"\n"
		"omits \"rest\"\n"
		"abstract\n"
		"lock i_mmaplock rwsem\n"
		"lock dax_mutex hashed_mutex 4\n"
		"lock big mutex\n"
		"lock rl range_lock\n"
		"fn helper() {\n}\n", "models/every.model");

	ck_assert_str_eq(m->name, "every");
	ck_assert_str_eq(m->file, "models/every.model");
	ck_assert_str_eq(m->summary, "one \"line\" \\ x");
	ck_assert_str_eq(m->source, "src");
	ck_assert_str_eq(m->order, "a -> b");
	ck_assert_str_eq(m->omits, "rest");
	ck_assert(m->abstract);
	ck_assert_ptr_null(m->extends);
	ck_assert(g_str_has_prefix(m->text, "model every   # comment\n"));
	ck_assert_int_eq(m->nlocks, 7);
	ck_assert_str_eq(m->locks[SIM_LOCKDECL_MMAP_SEM].name, "mmap_sem");
	ck_assert_int_eq(m->locks[0].kind, SIM_LK_RWSEM);
	ck_assert(m->locks[0].per_proc);
	ck_assert_str_eq(m->locks[SIM_LOCKDECL_PAGE].name, "page");
	ck_assert_int_eq(m->locks[1].kind, SIM_LK_PAGE);
	ck_assert_str_eq(m->locks[SIM_LOCKDECL_ENTRY].name, "dax_entry");
	ck_assert_int_eq(m->locks[2].kind, SIM_LK_ENTRY);
	ck_assert_str_eq(m->locks[3].name, "i_mmaplock");
	ck_assert_int_eq(m->locks[3].kind, SIM_LK_RWSEM);
	ck_assert_int_eq(m->locks[3].line, 6);
	ck_assert_int_eq(m->locks[3].col, 6);
	ck_assert_int_eq(m->locks[4].kind, SIM_LK_HASHED);
	ck_assert_int_eq(m->locks[4].nslots, 4);
	ck_assert_int_eq(m->locks[5].kind, SIM_LK_MUTEX);
	ck_assert_int_eq(m->locks[6].kind, SIM_LK_RANGE);
	ck_assert_int_eq(m->nprocs, 1);
	ck_assert(!m->procs[0].is_op);
	ck_code(&m->procs[0], "ret");
	sim_model_free(m);
}
END_TEST

START_TEST(test_model_locks)
{
	SimModel *m = model_ok(
		"model m\n"
		"lock rw rwsem\nlock mx mutex\nlock h hashed_mutex 2\n"
		"lock r range_lock\n"
		"op f(p) {\n"
		"  down_read(mmap_sem); up_read(mmap_sem)\n"
		"  down_write(rw); up_write(rw)\n"
		"  mutex_lock(mx); mutex_unlock(mx)\n"
		"  hash_lock(h, p); hash_unlock(h, p + 1)\n"
		"  range_lock(r, 0, LAST); range_lock_read(r, p, p)\n"
		"  range_unlock(r, 0, LAST)\n"
		"  lock_page(p); e = grab_entry(p)\n"
		"  unlock_entry(p); unlock_page(p)\n"
		"}\n", "m");

	ck_code(&m->procs[0],
		"down_read L0; up_read L0; down_write L3; up_write L3; "
		"mutex_lock L4; mutex_unlock L4; hash_lock L5 r0; "
		"add =r2 r0 #1; hash_unlock L5 r2; range_lock L6 #0 #7; "
		"range_lock_read L6 r0 r0; range_unlock L6 #0 #7; "
		"lock_page r0; grab_entry =r1 r0; unlock_entry r0; "
		"unlock_page r0; ret");
	ck_assert_int_eq(m->procs[0].nregs, 3);
	ck_assert_str_eq(m->procs[0].regnames[1], "e");
	ck_assert_str_eq(m->procs[0].regnames[2], "");
	sim_model_free(m);
}
END_TEST

START_TEST(test_model_assign)
{
	SimModel *m = model_ok(
		"model m\n"
		"op fault(pgoff, write) {\n"
		"    n = i_size_read()\n"
		"    b, new = get_block(pgoff, write)\n"
		"    x = b\n"
		"    x = -7 + SIGBUS\n"
		"    y = x * (n - 1) % 3 / 2\n"
		"    z = !x || y >= 2 && y != 3\n"
		"    w = -x\n"
		"    x = LAST - PAGES\n"
		"}\n", "m");
	const SimProc *p = &m->procs[0];

	ck_code(p,
		"i_size_read =r2; get_block =r3 =r4 r0 r1; mov =r5 r3; "
		"add =r5 #-7 #-7; "
		"sub =r9 r2 #1; mul =r9 r5 r9; mod =r9 r9 #3; "
		"div =r6 r9 #2; "
		"not =r9 r5; ge =r10 r6 #2; ne =r11 r6 #3; "
		"and =r10 r10 r11; or =r7 r9 r10; "
		"sub =r8 #0 r5; sub =r5 #7 #8; ret");
	ck_assert_int_eq(p->nparams, 2);
	ck_assert_int_eq(p->nregs, 12);
	ck_assert_str_eq(p->regnames[0], "pgoff");
	ck_assert_str_eq(p->regnames[8], "w");
	ck_assert_str_eq(p->regnames[9], "");
	ck_assert_str_eq(p->regnames[11], "");
	ck_assert_int_eq(p->line, 2);
	ck_assert_int_eq(p->col, 4);
	ck_assert_str_eq(p->file, "m");
	/* Positions: the statement, or the primitive or call. */
	ck_assert_int_eq(p->code[0].line, 3);
	ck_assert_int_eq(p->code[0].col, 9);
	ck_assert_int_eq(p->code[1].line, 4);
	ck_assert_int_eq(p->code[1].col, 14);
	ck_assert_int_eq(p->code[2].col, 5);
	ck_assert_int_eq(p->code[p->ncode - 1].line, 11);
	ck_assert_int_eq(p->code[p->ncode - 1].col, 1);
	sim_model_free(m);
}
END_TEST

START_TEST(test_model_control)
{
	SimModel *m = model_ok(
		"model m\n"
		"op f(a) {\n"
		"  if a == 1 { x = 1 } else if a { x = 2 } else { x = 3 }\n"
		"  while x > 0 { x = x - 1 }\n"
		"  for i in a..x + 1 { zap_ptes(i, i) }\n"
		"  for j in 0..a { }\n"
		"  if 1 { return }\n"
		"  return a + 1\n"
		"}\n", "m");

	ck_code(&m->procs[0],
		"eq =r4 r0 #1; jz @4 r4; mov =r1 #1; jmp @8; "
		"jz @7 r0; mov =r1 #2; jmp @8; mov =r1 #3; "
		"gt =r4 r1 #0; jz @12 r4; sub =r1 r1 #1; jmp @8; "
		"add =r4 r1 #1; mov =r2 r0; le =r5 r2 r4; jz @19 r5; "
		"zap_ptes r2 r2; add =r2 r2 #1; jmp @14; "
		"mov =r4 r0; mov =r3 #0; le =r5 r3 r4; jz @25 r5; "
		"add =r3 r3 #1; jmp @21; "
		"jz @27 #1; ret; add =r4 r0 #1; ret r4; ret");
	ck_assert_int_eq(m->procs[0].nregs, 6);
	sim_model_free(m);
}
END_TEST

START_TEST(test_model_calls)
{
	SimModel *m = model_ok(
		"model m\n"
		"fn g(a, b) { return a * b }\n"
		"op f() { x = g(1, 2); g(x, x); f() }\n"
		"fn h() { r = f(); return r }\n", "m");

	ck_code(proc_named(m, "f"),
		"call g@0 =r0 #1 #2; call g@0 r0 r0; call f@1; ret");
	ck_code(proc_named(m, "h"), "call f@1 =r0; ret r0; ret");
	ck_assert(proc_named(m, "f")->is_op);
	ck_assert(!proc_named(m, "g")->is_op);
	sim_model_free(m);
}
END_TEST

/* The semicolon is optional, and a bare return ends at the line. */
START_TEST(test_model_separators)
{
	SimModel *m = model_ok(
		"model m\n"
		"op f(a) {\n"
		"  ;; x = 1; y = 2;\n"
		"  if a { return\n"
		"  }\n"
		"  return\n"
		"  x = 3\n"
		"}\n", "m");

	ck_code(&m->procs[0],
		"mov =r1 #1; mov =r2 #2; jz @4 r0; ret; ret; mov =r1 #3; ret");
	sim_model_free(m);
}
END_TEST

/* ---- extends ---------------------------------------------------------- */

static const char parent_text[] =
	"model parent\n"
	"abstract\n"
	"summary \"parent summary\"\n"
	"source \"parent source\"\n"
	"lock i_mmaplock rwsem\n"
	"fn helper(a) { return a }\n"
	"op fault(pgoff) { down_read(i_mmaplock); x = helper(pgoff) }\n"
	"op mkwrite(pgoff) { y = helper(1) }\n"
	"op load(pgoff) { x = child_only(pgoff) }\n";

START_TEST(test_extends)
{
	char *dir = g_dir_make_tmp("check_parse_XXXXXX", NULL);
	char *path = g_build_filename(dir, "parent.model", NULL);
	char *want;
	GError *err = NULL;
	SimModel *m;

	ck_assert(g_file_set_contents(path, parent_text, -1, NULL));
	m = sim_parse_model_string(
		"model child\n"
		"summary \"child summary\"\n"
		"extends parent\n"
		"lock big mutex\n"
		"op fault(pgoff) { mutex_lock(big); helper(pgoff); extra() }\n"
		"fn extra() { up_read(i_mmaplock) }\n"
		"fn child_only(a) { }\n", "x/child.model", dir,
		&err);
	ck_assert_msg(m != NULL, "%s", err ? err->message : "");
	ck_assert_str_eq(m->name, "child");
	ck_assert_str_eq(m->extends, "parent");
	ck_assert(!m->abstract);
	ck_assert_str_eq(m->summary, "child summary");
	ck_assert_str_eq(m->source, "parent source");
	ck_assert(g_str_has_prefix(m->text, "model child\n"));
	ck_assert_int_eq(m->nlocks, 5);
	ck_assert_str_eq(m->locks[3].name, "i_mmaplock");
	ck_assert_str_eq(m->locks[4].name, "big");
	/* The child's fault replaced the parent's in place. */
	ck_assert_int_eq(m->nprocs, 6);
	ck_assert_str_eq(m->procs[1].name, "fault");
	ck_assert_str_eq(m->procs[1].file, "x/child.model");
	ck_assert_str_eq(m->procs[0].file, path);
	ck_code(&m->procs[1], "mutex_lock L4; call helper@0 r0; "
			      "call extra@4; ret");
	ck_code(&m->procs[2], "call helper@0 =r1 #1; ret");
	ck_code(&m->procs[3], "call child_only@5 =r1 r0; ret");
	ck_code(&m->procs[4], "up_read L3; ret");
	sim_model_free(m);

	/* The parent alone loads too: it is abstract, so its call to what
	 * only its children define stays unresolved. */
	m = sim_parse_model_load(dir, "parent", &err);
	ck_assert_msg(m != NULL, "%s", err ? err->message : "");
	ck_assert(m->abstract);
	ck_assert_int_eq(m->nprocs, 4);
	ck_code(&m->procs[3], "call child_only@0 =r1 r0; ret");
	sim_model_free(m);

	/* A child that does not define it is not abstract: an error. */
	m = sim_parse_model_string("model c\nextends parent\n", "c.model",
				   dir, &err);
	ck_assert_ptr_null(m);
	want = g_strdup_printf("%s:9:22: unknown procedure 'child_only'",
			       path);
	ck_assert_str_eq(err->message, want);
	g_free(want);
	g_clear_error(&err);

	/* A child lock may not reuse a parent's name. */
	m = sim_parse_model_string("model c\nextends parent\n"
				   "lock i_mmaplock mutex\n", "c.model", dir,
				   &err);
	ck_assert_ptr_null(m);
	ck_assert(g_str_has_prefix(err->message, "c.model:3:6: duplicate "
				   "lock 'i_mmaplock'"));
	g_clear_error(&err);

	/* An error in the parent is reported in the parent's file. */
	ck_assert(g_file_set_contents(path, "model parent\nop f() { x = }\n",
				      -1, NULL));
	m = sim_parse_model_string("model c\nextends parent\n", "c.model",
				   dir, &err);
	ck_assert_ptr_null(m);
	ck_assert(g_str_has_suffix(err->message, "parent.model:2:14: "
				   "unexpected '}', expected an expression"));
	g_clear_error(&err);

	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
}
END_TEST

/* A chain deeper than 8 parents is a bound error. */
START_TEST(test_extends_depth)
{
	char *dir = g_dir_make_tmp("check_parse_XXXXXX", NULL);
	GError *err = NULL;
	SimModel *m;

	for (int i = 0; i <= 10; i++) {
		char *name = g_strdup_printf("d%d.model", i);
		char *path = g_build_filename(dir, name, NULL);
		char *text = i < 10 ?
			g_strdup_printf("model d%d\nextends d%d\n", i, i + 1) :
			g_strdup("model d10\nop f() { }\n");

		ck_assert(g_file_set_contents(path, text, -1, NULL));
		g_free(text);
		g_free(path);
		g_free(name);
	}
	m = sim_parse_model_load(dir, "d2", &err);
	ck_assert_msg(m != NULL, "%s", err ? err->message : "");
	ck_assert_int_eq(m->nprocs, 1);
	sim_model_free(m);
	m = sim_parse_model_load(dir, "d0", &err);
	ck_assert_ptr_null(m);
	ck_assert(g_error_matches(err, SIM_PARSE_ERROR,
				  SIM_PARSE_ERROR_BOUND));
	ck_assert(strstr(err->message, "d8.model:2:9: extends chain too deep"));
	g_clear_error(&err);
	for (int i = 0; i <= 10; i++) {
		char *name = g_strdup_printf("d%d.model", i);
		char *path = g_build_filename(dir, name, NULL);

		g_unlink(path);
		g_free(path);
		g_free(name);
	}
	g_rmdir(dir);
	g_free(dir);
}
END_TEST

/* ---- scenarios -------------------------------------------------------- */

static const char scn_text[] =
	"scenario fault-vs-truncate   # a comment\n"
	"race R1\n"
	"summary \"sum\"\n"
	"source \"src\"\n"
	"file size 6 blocks 4, 0..2 5\n"
	"proc P0\n"
	"proc P1\n"
	"thread T0 in P1 {\n"
	"    store(3)\n"
	"    r = fault(1, TRUE); if r != 0 { return r }\n"
	"}\n"
	"thread T1 in P0 { truncate(2) }\n"
	"check stale-pte write-to-freed\n"
	"expect v4.2-dax: never\n"
	"expect boaz-early-unlock: stale-pte write-to-freed\n"
	"expect ext2: n/a\n"
	"schedule seed-001: T0 until set_pte, T1, T0\n"
	"schedule s2: T1 until fault #2, T0 3 # a comment\n";

START_TEST(test_scenario)
{
	SimScenario *s = scn_ok(scn_text);
	static const uint16_t blocks[SIM_PAGES_MAX] = { 2, 3, 4, 0, 1, 5 };

	ck_assert_str_eq(s->name, "fault-vs-truncate");
	ck_assert_str_eq(s->file, "t.scn");
	ck_assert_str_eq(s->race, "R1");
	ck_assert_str_eq(s->summary, "sum");
	ck_assert_str_eq(s->source, "src");
	ck_assert_int_eq(s->i_size, 6);
	ck_assert(memcmp(s->blocks, blocks, sizeof(blocks)) == 0);
	for (int i = 0; i < SIM_PAGES_MAX; i++)
		ck_assert_int_eq(s->written[i], blocks[i] != 0);
	ck_assert_int_eq(s->nprocs, 2);
	ck_assert_str_eq(s->procnames[1], "P1");
	ck_assert_int_eq(s->nthreads, 2);
	ck_assert_int_eq(s->nbodies, 2);
	ck_assert_str_eq(s->threads[0].name, "T0");
	ck_assert_int_eq(s->threads[0].proc, 1);
	ck_assert_int_eq(s->threads[1].proc, 0);
	ck_assert_int_eq(s->threads[1].body, 1);
	ck_assert_int_eq(s->threads[1].line, 12);
	ck_assert_int_eq(s->threads[1].col, 8);
	ck_assert(s->bodies[0].is_thread);
	ck_assert_str_eq(s->bodies[0].name, "T0");
	ck_code(&s->bodies[0], "call store@0 #3; call fault@0 =r0 #1 #1; "
			       "ne =r1 r0 #0; jz @5 r1; ret r0; ret");
	ck_code(&s->bodies[1], "call truncate@0 #2; ret");
	ck_assert_int_eq(s->check, (1 << SIM_PROP_STALE_PTE) |
				   (1 << SIM_PROP_WRITE_TO_FREED) |
				   (1 << SIM_PROP_LIVELOCK));   /* always */
	ck_assert_int_eq(s->nexpects, 3);
	ck_assert_str_eq(s->expects[0].model, "v4.2-dax");
	ck_assert_int_eq(s->expects[0].props, 0);
	ck_assert(!s->expects[0].na);
	ck_assert_int_eq(s->expects[1].props, s->check & ~(1 << SIM_PROP_LIVELOCK));
	ck_assert(s->expects[2].na);
	ck_assert_int_eq(s->nschedules, 2);
	ck_assert_str_eq(s->schedules[0].name, "seed-001");
	ck_assert_int_eq(s->schedules[0].nseg, 3);
	ck_assert_str_eq(s->schedules[0].seg[0].until, "set_pte");
	ck_assert_int_eq(s->schedules[0].seg[0].nth, 1);
	ck_assert_int_eq(s->schedules[0].seg[1].thread, 1);
	ck_assert_ptr_null(s->schedules[0].seg[1].until);
	ck_assert_int_eq(s->schedules[0].seg[1].count, 0);
	ck_assert_int_eq(s->schedules[1].seg[0].nth, 2);
	ck_assert_str_eq(s->schedules[1].seg[0].until, "fault");
	ck_assert_int_eq(s->schedules[1].seg[1].thread, 0);
	ck_assert_int_eq(s->schedules[1].seg[1].count, 3);
	ck_assert_int_eq(s->schedules[1].seg[1].line, 18);
	ck_assert_int_eq(s->schedules[1].seg[1].col, 33);
	sim_scenario_free(s);
}
END_TEST

START_TEST(test_scenario_defaults)
{
	SimScenario *s = scn_ok("scenario x\nthread A { f() }\n");

	ck_assert_int_eq(s->nprocs, 1);
	ck_assert_str_eq(s->procnames[0], "P0");
	ck_assert_int_eq(s->threads[0].proc, 0);
	ck_assert_int_eq(s->i_size, 0);
	ck_assert_int_eq(s->check, 1 << SIM_PROP_LIVELOCK);   /* always */
	ck_assert_ptr_null(s->race);
	sim_scenario_free(s);
	/* Names may be used before they are declared. */
	s = scn_ok("scenario x\nschedule s: B 2, A\ncheck deadlock\n"
		   "expect m: deadlock\nthread A in Q { f() }\n"
		   "thread B in Q { g() }\nproc Q\n");
	ck_assert_int_eq(s->schedules[0].seg[0].thread, 1);
	ck_assert_int_eq(s->threads[1].proc, 0);
	sim_scenario_free(s);
}
END_TEST

/* ---- --schedule ------------------------------------------------------- */

START_TEST(test_schedule_forms)
{
	SimScenario *s = scn_ok(scn_text);
	SimSchedule sc;
	GError *err = NULL;

	ck_assert(sim_parse_schedule(" s2 ", "--schedule", s, &sc, &err));
	ck_assert_str_eq(sc.name, "s2");
	ck_assert_int_eq(sc.nseg, 2);
	ck_assert_str_eq(sc.seg[0].until, "fault");
	ck_assert_int_eq(sc.seg[0].nth, 2);
	sim_schedule_clear(&sc);
	ck_assert_ptr_null(sc.seg);

	ck_assert(sim_parse_schedule("0,1, 1", "--schedule", s, &sc, &err));
	ck_assert_int_eq(sc.nseg, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(sc.seg[i].thread, i > 0);
		ck_assert_int_eq(sc.seg[i].count, 1);
		ck_assert_ptr_null(sc.seg[i].until);
	}
	ck_assert_int_eq(sc.seg[2].col, 6);
	sim_schedule_clear(&sc);

	ck_assert(sim_parse_schedule("T1 until set_pte#3, T0 2, T1",
				     "--schedule", s, &sc, &err));
	ck_assert_int_eq(sc.nseg, 3);
	ck_assert_int_eq(sc.seg[0].thread, 1);
	ck_assert_str_eq(sc.seg[0].until, "set_pte");
	ck_assert_int_eq(sc.seg[0].nth, 3);
	ck_assert_int_eq(sc.seg[1].count, 2);
	ck_assert_int_eq(sc.seg[2].count, 0);
	ck_assert_ptr_null(sc.seg[2].until);
	sim_schedule_clear(&sc);
	sim_scenario_free(s);
}
END_TEST

static const struct {
	const char *text;
	const char *message;
} bad_sched[] = {
	{ "T9", "--schedule:1:1: unknown schedule or thread 'T9' (the scenario's schedules: seed-001, s2; threads: " },
	{ "0,2", "--schedule:1:3: no thread 2: the scenario has 2" },
	{ "0,,1", "--schedule:1:3: unexpected ',', expected a thread number" },
	{ "", "--schedule:1:1: unexpected end of file, expected a thread name" },
	{ "T0 until", "--schedule:1:9: unexpected end of file" },
	{ "T0 0", "--schedule:1:4: step count must be at least 1" },
	{ "T0 T1", "--schedule:1:4: unexpected 'T1', expected ',' or the end" },
	{ "T0 until x #0", "--schedule:1:13: occurrence must be at least 1" },
	{ "T0 until x#99999", "--schedule:1:12: number out of range" },
};

START_TEST(test_schedule_bad)
{
	SimScenario *s = scn_ok(scn_text);
	SimSchedule sc;
	GError *err = NULL;

	ck_assert(!sim_parse_schedule(bad_sched[_i].text, "--schedule", s,
				      &sc, &err));
	ck_assert_msg(g_str_has_prefix(err->message, bad_sched[_i].message),
		      "got \"%s\", want \"%s\"", err->message,
		      bad_sched[_i].message);
	ck_assert_int_eq(sc.nseg, 0);
	ck_assert_ptr_null(sc.name);
	g_error_free(err);
	sim_scenario_free(s);
}
END_TEST

/* ---- robustness ------------------------------------------------------- */

static const char robust_model[] =
	"model r\nlock l rwsem\nlock h hashed_mutex 2\n"
	"fn g(a) { return a }\n"
	"op f(p, w) {\n"
	"  down_read(l); n = i_size_read(); b, z = get_block(p, w)\n"
	"  if p >= n && !w { up_read(l); return SIGBUS } else { x = g(b) }\n"
	"  while x > 0 { x = x - 1 }; for i in 0..LAST { hash_lock(h, i) }\n"
	"  summary = \"s\\\"\"\n"
	"}\n";

static void parse_any(const char *text)
{
	GError *err = NULL;
	SimModel *m = sim_parse_model_string(text, "r.model", "tests/bad",
					     &err);
	SimScenario *s;

	if (m)
		sim_model_free(m);
	else
		ck_assert(g_str_has_prefix(err->message, "r.model:"));
	g_clear_error(&err);
	s = sim_parse_scenario_string(text, "r.scn", &err);
	if (s)
		sim_scenario_free(s);
	else
		ck_assert(g_str_has_prefix(err->message, "r.scn:"));
	g_clear_error(&err);
}

/* Every prefix, and every single-byte change to a few interesting bytes,
 * of valid inputs: no crash, no leak (run under valgrind or ASan), and
 * a positioned message whenever it fails. */
START_TEST(test_robust)
{
	static const char repl[] = "{}()\"#,.;=-!0a\n\\";
	const char *texts[] = { robust_model, scn_text };

	for (size_t t = 0; t < G_N_ELEMENTS(texts); t++) {
		size_t len = strlen(texts[t]);
		char *buf = g_strdup(texts[t]);

		for (size_t n = 0; n <= len; n++) {
			char c = buf[n];

			buf[n] = '\0';
			parse_any(buf);
			buf[n] = c;
		}
		for (size_t n = 0; n < len; n++) {
			for (const char *r = repl; *r; r++) {
				char c = buf[n];

				buf[n] = *r;
				parse_any(buf);
				buf[n] = c;
			}
		}
		g_free(buf);
	}
}
END_TEST

/* ---- doc comments and citations -------------------------------------- */

START_TEST(test_doc_comment)
{
	SimModel *m = model_ok(
		"model m\n"
		"# not mine: a blank line follows\n"
		"\n"
		"# f, fs/f.c, v4.2\n"
		"#\n"
		"#   indented text   \n"
		"  # an indented comment line counts\n"
		"op f() {\n}\n"
		"fn g() {\n}\n"
		"# h's doc\n"
		"; fn h() {\n}\n"
		"# i's doc\n"
		"\tfn i() {\n}\n", "m.model");

	ck_assert_str_eq(m->procs[0].doc, "f, fs/f.c, v4.2\n\n"
			 "  indented text\nan indented comment line counts");
	ck_assert_ptr_null(m->procs[1].doc);
	ck_assert_ptr_null(m->procs[2].doc);    /* not first on its line */
	ck_assert_str_eq(m->procs[3].doc, "i's doc");
	sim_model_free(m);
}
END_TEST

static const struct {
	const char *doc;
	bool ok;
} citations[] = {
	{ "__dax_fault, fs/dax.c, v4.2", true },
	{ "__dax_fault, fs/dax.c, v4.2\nmore text below", true },
	{ "ext4_punch_hole, fs/ext4/inode.c, v4.1.27", true },
	{ "xfs_filemap_fault, fs/xfs/xfs_file.c, v4.2-rc1", true },
	{ "ext4_dax_fault, fs/ext4/file.c, v4.3; __dax_fault, fs/dax.c, v4.3",
	  true },
	{ "i_mmap_lock_write, include/linux/fs.h, v4.1", true },
	{ "proposal: Jan Kara, 9 Feb 2016 "
	  "<20160209172416.GB12245@quack.suse.cz>", true },
	{ "proposal: Kirill A. Shutemov, 10 Aug 2015 <a.b@c.d>; "
	  "__dax_fault, fs/dax.c, v4.2", true },
	{ "model: a user store, completed by the MMU or trapping", true },
	{ NULL, false },
	{ "", false },
	{ "__dax_fault(), fs/dax.c, v4.2", false },
	{ "__dax_fault, fs/dax.c", false },
	{ "__dax_fault, fs/dax.c, 4.2", false },
	{ "__dax_fault, fs/dax, v4.2", false },
	{ "__dax_fault, fs/dax.c, v4", false },
	{ "__dax_fault, fs/dax.c, v4.2: and why", false },
	{ "__dax_fault fs/dax.c v4.2", false },
	{ "x\n__dax_fault, fs/dax.c, v4.2", false },
	{ "__dax_fault, fs/dax.c, v4.2;", false },
	{ "proposal: Jan Kara, 9 Feb 2016", false },
	{ "proposal: Jan Kara, 2016-02-09 <a@b>", false },
	{ "proposal: Jan Kara, 9 Feb 2016 <no-at-sign>", false },
	{ "proposal: , 9 Feb 2016 <a@b>", false },
	{ "model:", false },
	{ "model: ", false },
};

START_TEST(test_citation_rule)
{
	ck_assert_msg(sim_parse_citation(citations[_i].doc) ==
		      citations[_i].ok, "'%s' should %sbe a citation",
		      citations[_i].doc ? citations[_i].doc : "(null)",
		      citations[_i].ok ? "" : "not ");
}
END_TEST

/* Every op and fn of every shipped model cites what it follows; an
 * inherited procedure is checked in the file that defines it. */
START_TEST(test_models_cited)
{
	GError *err = NULL;
	GDir *dir = g_dir_open("models", 0, &err);
	const char *name;
	int files = 0, procs = 0, uncited = 0;
	GString *missing = g_string_new(NULL);

	ck_assert_msg(dir != NULL, "%s", err ? err->message : "?");
	while ((name = g_dir_read_name(dir))) {
		char *path;
		SimModel *m;

		if (!g_str_has_suffix(name, ".model"))
			continue;
		path = g_build_filename("models", name, NULL);
		m = sim_parse_model_file(path, "models", &err);
		ck_assert_msg(m != NULL, "%s", err ? err->message : "?");
		for (int i = 0; i < m->nprocs; i++) {
			const SimProc *p = &m->procs[i];

			if (strcmp(p->file, path) != 0)
				continue;
			procs++;
			/* The first few suffice (check caps a message). */
			if (!sim_parse_citation(p->doc) && uncited++ < 8)
				g_string_append_printf(missing, " %s:%d:%s",
						       path, p->line, p->name);
		}
		sim_model_free(m);
		g_free(path);
		files++;
	}
	g_dir_close(dir);
	ck_assert_int_ge(files, 14);
	ck_assert_int_ge(procs, 100);
	ck_assert_msg(uncited == 0, "%d without a citation:%s ...", uncited,
		      missing->str);
	g_string_free(missing, TRUE);
}
END_TEST

Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc;

	tc = tcase_create("bad");
	tcase_add_loop_test(tc, test_bad_file, 0, (int)G_N_ELEMENTS(bad));
	tcase_add_test(tc, test_bad_all_listed);
	tcase_add_test(tc, test_bad_io);
	tcase_add_loop_test(tc, test_bad_text, 0,
			    (int)G_N_ELEMENTS(bad_text));
	tcase_add_test(tc, test_bad_nesting);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_add_test(tc, test_model_headers);
	tcase_add_test(tc, test_model_locks);
	tcase_add_test(tc, test_model_assign);
	tcase_add_test(tc, test_model_control);
	tcase_add_test(tc, test_model_calls);
	tcase_add_test(tc, test_model_separators);
	suite_add_tcase(s, tc);

	tc = tcase_create("extends");
	tcase_add_test(tc, test_extends);
	tcase_add_test(tc, test_extends_depth);
	suite_add_tcase(s, tc);

	tc = tcase_create("scenario");
	tcase_add_test(tc, test_scenario);
	tcase_add_test(tc, test_scenario_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("schedule");
	tcase_add_test(tc, test_schedule_forms);
	tcase_add_loop_test(tc, test_schedule_bad, 0,
			    (int)G_N_ELEMENTS(bad_sched));
	suite_add_tcase(s, tc);

	tc = tcase_create("robust");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_robust);
	suite_add_tcase(s, tc);

	tc = tcase_create("cite");
	tcase_add_test(tc, test_doc_comment);
	tcase_add_loop_test(tc, test_citation_rule, 0,
			    (int)G_N_ELEMENTS(citations));
	tcase_add_test(tc, test_models_cited);
	suite_add_tcase(s, tc);
	return s;
}
