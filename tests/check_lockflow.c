/*
 * check_lockflow.c - the static lock analysis behind `faultline show`
 * (sim/lockflow.h).
 *
 * Contracts tested:
 *   fixture   on a small model with a branch, a counted loop, an unbounded
 *             loop that takes a lock without dropping it, a flag that
 *             records a conditional acquisition and a call: every row, its
 *             must / may sets, and the acquisition-order edges;
 *   library   xfs-mmaplock's truncate (the documented i_iolock ->
 *             i_mmaplock -> i_mmap_rwsem order) and v4.2-dax's store
 *             (a write fault never reaches dax_load_hole).
 *
 * Runs from the repository root (models/ is read from there).
 */
#include <check.h>
#include <string.h>
#include "../sim/lockflow.h"
#include "../sim/parse.h"

Suite *lockflow_suite(void);

static int proc_index(const SimModel *m, const char *name)
{
	for (int i = 0; i < m->nprocs; i++)
		if (strcmp(m->procs[i].name, name) == 0)
			return i;
	ck_abort_msg("no procedure %s", name);
	return -1;
}

/* keys - SET as "a(R) b" in key order, for comparison. */
static char *keys(const SimModel *m, SimKeySet set)
{
	GString *s = g_string_new(NULL);
	char name[64];

	for (int k = 0; k < SIM_LOCKFLOW_KEYS; k++)
		if (set & (1u << k))
			g_string_append_printf(s, "%s%s", s->len ? " " : "",
				sim_lockflow_key_name(m, k, name,
						      sizeof(name)));
	return g_string_free(s, FALSE);
}

/* listing - every row as "KIND LINE must=.. may=..", one per line. */
static char *listing(const SimModel *m, const SimLockflow *f)
{
	static const char *const kinds[] = { "prim", "call", "end", "opaque" };
	GString *s = g_string_new(NULL);

	for (int i = 0; i < f->nrows; i++) {
		const SimFlowRow *r = &f->rows[i];
		char *must = keys(m, r->must);
		char *may = keys(m, r->may & ~r->must);

		g_string_append_printf(s, "%s %d%s must=%s may=%s\n",
				       kinds[r->kind], r->in->line,
				       r->reached ? "" : " unreached",
				       must, may);
		g_free(must);
		g_free(may);
	}
	return g_string_free(s, FALSE);
}

static char *edges(const SimModel *m, const SimLockflow *f)
{
	GString *s = g_string_new(NULL);
	char a[64], b[64];

	for (int i = 0; i < f->nedges; i++)
		g_string_append_printf(s, "%s%s->%s@%d ", f->edges[i].must ?
				       "" : "may:",
				       sim_lockflow_key_name(m, f->edges[i].from,
							     a, sizeof(a)),
				       sim_lockflow_key_name(m, f->edges[i].to,
							     b, sizeof(b)),
				       f->rows[f->edges[i].row].in->line);
	return g_string_free(s, FALSE);
}

static const char fixture[] =
	"model fx\n"                            /* 1 */
	"lock a rwsem\n"
	"lock b mutex\n"
	"op f(x) {\n"
	"\tdown_read(a)\n"                      /* 5 */
	"\tlocked = 0\n"
	"\tif x {\n"
	"\t\tmutex_lock(b)\n"                   /* 8 */
	"\t\tlocked = 1\n"
	"\t}\n"                                 /* 10 */
	"\ti_size_read()\n"
	"\tfor i in 0..2 {\n"
	"\t\tlock_page(i)\n"                    /* 13 */
	"\t\tunlock_page(i)\n"
	"\t}\n"                                 /* 15 */
	"\tn = i_size_read()\n"
	"\twhile n {\n"
	"\t\tlock_page(n)\n"                    /* 18: never dropped */
	"\t\tn = i_size_read()\n"
	"\t}\n"                                 /* 20 */
	"\tg(locked)\n"
	"\tif locked {\n"
	"\t\tmutex_unlock(b)\n"                 /* 23 */
	"\t}\n"
	"\tup_read(a)\n"                        /* 25 */
	"\treturn 0\n"
	"}\n"
	"fn g(l) {\n"
	"\tzap_ptes(0, 1)\n"                    /* 29 */
	"\tif l {\n"
	"\t\ti_size_write(1)\n"                 /* 31: only with b held */
	"\t}\n"
	"\tif l && !l {\n"
	"\t\tfree_blocks(0, 1)\n"               /* 34: never */
	"\t}\n"
	"}\n";

START_TEST(test_fixture)
{
	GError *err = NULL;
	SimModel *m = sim_parse_model_string(fixture, "fx.model", NULL, &err);
	SimLockflow *f;
	char *got, *e;

	ck_assert_msg(m != NULL, "%s", err ? err->message : "?");
	f = sim_lockflow_op(m, proc_index(m, "f"));
	got = listing(m, f);
	ck_assert_str_eq(got,
		"prim 5 must= may=\n"
		"prim 8 must=a(R) may=\n"
		"prim 11 must=a(R) may=b\n"
		/* the counted loop: the page is dropped each time round */
		"prim 13 must=a(R) may=b\n"
		"prim 14 must=page a(R) may=b\n"
		"prim 16 must=a(R) may=b\n"
		/* the unbounded loop keeps what it took */
		"prim 18 must=a(R) may=page b\n"
		"prim 19 must=page a(R) may=b\n"
		"call 21 must=a(R) may=page b\n"
		"prim 29 must=a(R) may=page b\n"
		/* the flag follows the branch that took b */
		"prim 31 must=a(R) b may=page\n"
		"prim 34 unreached must= may=\n"
		"end 21 must=a(R) may=page b\n"
		"prim 23 must=a(R) b may=page\n"
		"prim 25 must=a(R) may=page\n");
	g_free(got);
	e = edges(m, f);
	ck_assert_str_eq(e, "a(R)->b@8 a(R)->page@13 may:b->page@13 "
			 "may:page->page@18 ");
	g_free(e);
	sim_lockflow_free(f);
	sim_model_free(m);
}
END_TEST

/* The row of the Nth primitive NAME in F. */
static const SimFlowRow *prim_row(const SimLockflow *f, const char *name,
				  int nth)
{
	for (int i = 0; i < f->nrows; i++)
		if (f->rows[i].kind == SIM_FLOW_PRIM &&
		    strcmp(sim_prims[f->rows[i].in->sub].name, name) == 0 &&
		    nth-- == 0)
			return &f->rows[i];
	ck_abort_msg("no primitive %s", name);
	return NULL;
}

START_TEST(test_library)
{
	GError *err = NULL;
	SimModel *m = sim_parse_model_load("models", "xfs-mmaplock", &err);
	SimLockflow *f;
	char *s;

	ck_assert_msg(m != NULL, "%s", err ? err->message : "?");
	f = sim_lockflow_op(m, proc_index(m, "truncate"));
	s = edges(m, f);
	ck_assert_msg(g_str_has_prefix(s, "i_iolock(W)->i_mmaplock(W)@"), "%s",
		      s);
	ck_assert_msg(strstr(s, " i_mmaplock(W)->i_mmap_rwsem(W)@") &&
		      strstr(s, " i_mmaplock(W)->page@") &&
		      !strstr(s, "may:"), "%s", s);
	g_free(s);
	s = keys(m, prim_row(f, "down_write", 2)->must);
	ck_assert_str_eq(s, "i_mmaplock(W) i_iolock(W)");
	g_free(s);
	sim_lockflow_free(f);
	sim_model_free(m);

	m = sim_parse_model_load("models", "v4.2-dax", &err);
	ck_assert_msg(m != NULL, "%s", err ? err->message : "?");
	f = sim_lockflow_op(m, proc_index(m, "store"));
	ck_assert(prim_row(f, "down_read", 0)->reached);
	/* store faults with write = 1: the hole is never loaded */
	ck_assert(!prim_row(f, "set_pte_zero", 0)->reached);
	ck_assert(prim_row(f, "set_pte", 0)->reached);
	s = keys(m, prim_row(f, "set_pte", 0)->must);
	ck_assert_str_eq(s, "mmap_sem(R) i_mmap_rwsem(R)");
	g_free(s);
	sim_lockflow_free(f);
	sim_model_free(m);
}
END_TEST

Suite *lockflow_suite(void)
{
	Suite *s = suite_create("lockflow");
	TCase *tc = tcase_create("lockflow");

	tcase_add_test(tc, test_fixture);
	tcase_add_test(tc, test_library);
	suite_add_tcase(s, tc);
	return s;
}
