/*
 * check_por.c - the reduction's persistent sets (sim/por.h), one case per
 * cut: a state built step by step, its ample set, and the search with
 * and without reduction flagging the same properties.
 */
#include <check.h>
#include "explore.h"
#include "por.h"
#include "fixture.h"
Suite *por_suite(void);

/* The ample set of F's world, as the search computes it. */
static SimThreadSet ample_of(const Fx *f)
{
	SimPor *por = sim_por_new(f->p, true);
	SimThreadSet enabled = sim_step_runnable(f->w);
	SimFp fp[SIM_THREADS_MAX];
	SimFuture fut[SIM_THREADS_MAX];
	SimCuts cuts[SIM_THREADS_MAX], *cutp[SIM_THREADS_MAX];
	SimFuture *cutf = g_new(SimFuture, (gsize)f->w->nthreads *
				(gsize)sim_por_cuts(por));

	for (int t = 0; t < f->w->nthreads; t++) {
		if (enabled >> t & 1)
			fp[t] = sim_por_next_fp(por, f->w, t);
		fut[t] = sim_por_future(por, f->w, t);
		cuts[t] = (SimCuts){ 0, cutf + t * sim_por_cuts(por) };
		cutp[t] = &cuts[t];
	}
	SimThreadSet a = sim_por_ample(por, f->w, enabled, fp, fut, cutp);
	g_free(cutf);
	sim_por_free(por);
	return a;
}

/* F's program explored with and without reduction flags the same. */
static void same_verdicts(const Fx *f)
{
	SimExploreOptions o;
	SimExploreResult full, red;

	sim_explore_options_default(&o);
	o.no_livelock = true;   /* the search the reduction serves, even
				 * where the program could cycle */
	o.por = false;
	ck_assert(sim_explore(f->p, &o, &full));
	o.por = true;
	ck_assert(sim_explore(f->p, &o, &red));
	ck_assert(full.complete && red.complete);
	ck_assert_uint_eq(red.found, full.found);
	ck_assert_uint_le(red.states, full.states);
	sim_explore_result_clear(&full);
	sim_explore_result_clear(&red);
}

/* T0 writes i_size under sem; T1 reads it after taking sem (a writer)
 * or sharing it (a reader); T2 only reads i_size. */
static const char lock_model[] =
	"model t\n"
	"lock sem rwsem\n"
	"op wsize() {\n\tdown_write(sem)\n\ti_size_write(1)\n"
	"\ti_size_write(2)\n\tup_write(sem)\n\treturn 0\n}\n"
	"op rsize() {\n\tdown_read(sem)\n\ti_size_write(1)\n"
	"\ti_size_write(2)\n\tup_read(sem)\n\treturn 0\n}\n"
	"op wread() {\n\tdown_write(sem)\n\ti_size_read()\n"
	"\tup_write(sem)\n\treturn 0\n}\n"
	"op rread() {\n\tdown_read(sem)\n\ti_size_read()\n"
	"\tup_read(sem)\n\treturn 0\n}\n"
	"op wflush() {\n\tdown_write(sem)\n\ti_size_write(3)\n"
	"\tflush_cache(1)\n\tup_write(sem)\n\treturn 0\n}\n"
	"op look() {\n\ti_size_read()\n\ti_size_read()\n"
	"\ti_size_read()\n\treturn 0\n}\n"
	"op flush() {\n\tflush_cache(1)\n\tflush_cache(1)\n"
	"\tflush_cache(1)\n\treturn 0\n}\n";

/* MODEL with threads T0.. calling OPS[0..N) on FILE (a scenario's
 * file line). */
static Fx *file_fx(const char *model, const char *file,
		   const char *const *ops, int n)
{
	GString *scn = g_string_new("scenario s\n");

	g_string_append_printf(scn, "%s\n", file);

	for (int t = 0; t < n; t++)
		g_string_append_printf(scn, "thread T%d {\n%s\n}\n", t, ops[t]);
	Fx *f = fx_new(model, scn->str);
	g_string_free(scn, TRUE);
	return f;
}

/* The same on a 4-page file with a block at every pgoff. */
static Fx *ops_fx(const char *model, const char *const *ops, int n)
{
	return file_fx(model, "file size 4 blocks 0..3", ops, n);
}

/* Whether the futures computed along F's run by SCHED (from F's world
 * now) cover what each thread does later on it (sim_por_check_futures);
 * F's world is left at the run's end. */
static bool futures_hold(Fx *f, const char *sched)
{
	int n = (int)strlen(sched) + 1, bj, bt;
	SimWorld **run = g_new(SimWorld *, n);

	run[0] = sim_world_dup(f->w);
	for (int i = 1; i < n; i++) {
		fx_step(f, sched[i - 1] - '0');
		run[i] = sim_world_dup(f->w);
	}
	int bad = sim_por_check_futures(f->p, run, n, &bj, &bt);
	for (int i = 0; i < n; i++)
		g_free(run[i]);
	g_free(run);
	return bad < 0;
}

/* A thread holding a lock freezes the others at their acquisitions of it
 * that would sleep (por.c, Futures): T0 writing i_size under sem held
 * for write commutes with everything T1 can do before it gets sem, so
 * T0 alone is persistent; T1's read of i_size after its down_write is
 * on no path where T0 does not step.  Held for read, a down_read is no
 * barrier: T1 sharing sem reads i_size alongside T0's write.  Nobody
 * holding sem, both down_writes are dependent. */
START_TEST(test_frozen_at_held_lock)
{
	static const struct {
		const char *t0, *t1;
		SimThreadSet ample;
	} c[] = {
		{ "wsize()", "wread()", SIM_TSET(0) },
		{ "rsize()", "wread()", SIM_TSET(0) },
		{ "wsize()", "rread()", SIM_TSET(0) },
		{ "rsize()", "rread()", SIM_TSET(0) | SIM_TSET(1) },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		const char *ops[] = { c[i].t0, c[i].t1 };
		Fx *f = ops_fx(lock_model, ops, 2);
		ck_assert_uint_eq(ample_of(f), SIM_TSET(0) | SIM_TSET(1));
		fx_run(f, "0");                 /* T0 holds sem */
		ck_assert_msg(ample_of(f) == c[i].ample, "%s / %s: ample "
			      "0x%lx", c[i].t0, c[i].t1,
			      (unsigned long)ample_of(f));
		same_verdicts(f);
		fx_free(f);
	}
}
END_TEST

/* A thread asleep on a lock wakes only when a holder releases it: with
 * the holder in the persistent set, nothing outside it wakes the
 * sleeper, so the sleeper's dependent future does not make the set
 * every thread.  T1 sleeps on sem, which T0 holds; T2 reads the i_size
 * T0 and T1 write; T3's cache flushes conflict with T1's only.  {T0,
 * T2} is persistent (T1 asleep inside it), T3 is left for later. */
START_TEST(test_asleep_behind_member)
{
	const char *ops[] = { "wsize()", "wflush()", "look()", "flush()" };
	Fx *f = ops_fx(lock_model, ops, 4);

	fx_run(f, "01");                /* T0 holds sem, T1 sleeps on it */
	fx_run(f, "23");                /* both inside their ops */
	ck_assert_uint_eq(sim_step_runnable(f->w),
			  SIM_TSET(0) | SIM_TSET(2) | SIM_TSET(3));
	ck_assert_uint_eq(ample_of(f), SIM_TSET(0) | SIM_TSET(2));
	same_verdicts(f);
	fx_free(f);
}
END_TEST

/* Which threads are inside an op orders steps by kind (por.c,
 * op_dep()): two op returns commute (either order runs the quiescence
 * check on the state after both), unless one removed offsets that the
 * other's return check excuses while it runs; an op's first step and
 * another's return do not (the world is quiescent after the return only
 * if it comes first); two first steps commute. */
START_TEST(test_op_returns_commute)
{
	static const char model[] =
		"model t\n"
		"op look() {\n\ti_size_read()\n\ti_size_read()\n"
		"\treturn 0\n}\n"
		"op shrink() {\n\ti_size_write(2)\n\ti_size_read()\n"
		"\treturn 0\n}\n";
	static const struct {
		const char *t0, *sched;
		bool indep;
	} c[] = {
		{ "look()", "01", true },       /* two returns */
		{ "shrink()", "01", false },     /* T0 removed pgoffs 2-3 */
		{ "look()", "0", false },       /* T0 returns, T1 enters */
		{ "look()", "", true },         /* two first steps */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		const char *ops[] = { c[i].t0, "look()" };
		Fx *f = ops_fx(model, ops, 2);
		fx_run(f, c[i].sched);
		ck_assert_msg(sim_por_independent(f->w, f->p, 0, 1) ==
			      c[i].indep, "%s after \"%s\": independent "
			      "should be %d", c[i].t0, c[i].sched, c[i].indep);
		same_verdicts(f);
		fx_free(f);
	}
}
END_TEST

/* A future knows the branches a thread's registers decide (por.c,
 * Futures): a branch whose condition was computed from an earlier
 * primitive's result, already in the thread's registers, is taken one
 * way only.  T0 has read i_size (4) and will take sem for write only if
 * it is below 4 (skip) or at least 4 (take); T1's next step is a
 * down_read of sem, which T0's down_write would not commute with.  In
 * skip, T0 never takes sem, so T1 alone is persistent; in take, T0's
 * down_write is ahead and T1 needs it in the set.  T0's next step, a
 * cache flush, conflicts with T1's last one either way. */
START_TEST(test_future_knows_branch)
{
	static const char model[] =
		"model t\n"
		"lock sem rwsem\n"
		"op skip() {\n\tflush_cache(1)\n\tn = i_size_read()\n"
		"\tflush_cache(1)\n\tif n < 4 {\n\t\tdown_write(sem)\n"
		"\t\tup_write(sem)\n\t}\n\treturn 0\n}\n"
		"op take() {\n\tflush_cache(1)\n\tn = i_size_read()\n"
		"\tflush_cache(1)\n\tif n >= 4 {\n\t\tdown_write(sem)\n"
		"\t\tup_write(sem)\n\t}\n\treturn 0\n}\n"
		"op rd() {\n\tflush_cache(1)\n\tdown_read(sem)\n"
		"\tup_read(sem)\n\tflush_cache(1)\n\treturn 0\n}\n";
	static const struct {
		const char *t0;
		SimThreadSet ample;
	} c[] = {
		{ "skip()", SIM_TSET(1) },
		{ "take()", SIM_TSET(0) | SIM_TSET(1) },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		const char *ops[] = { c[i].t0, "rd()" };
		Fx *f = ops_fx(model, ops, 2);
		fx_run(f, "001");       /* T0 knows i_size, T1 at down_read */
		ck_assert_msg(ample_of(f) == c[i].ample, "%s: ample 0x%lx",
			      c[i].t0, (unsigned long)ample_of(f));
		same_verdicts(f);
		fx_free(f);
	}
}
END_TEST

/* The start of a gate case's model: T1's rd() takes sem for read. */
#define GATE_MODEL \
	"model t\n" \
	"lock sem rwsem\n" \
	"op rd() {\n\tflush_cache(1)\n\tdown_read(sem)\n" \
	"\tup_read(sem)\n\tflush_cache(1)\n\treturn 0\n}\n"

/* A gate's two cases on MODEL's ops OPS (T0 gated, T1 at down_read
 * after T0 and T1 step once each, T2 able to open the gate) on FILE:
 * without T2, T1 alone is persistent; with it, the three threads. */
static void gate_cases(const char *model, const char *file,
		       const char *const *ops)
{
	static const struct {
		int n;
		SimThreadSet ample;
	} c[] = {
		{ 2, SIM_TSET(1) },
		{ 3, SIM_TSET(0) | SIM_TSET(1) | SIM_TSET(2) },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		Fx *f = file_fx(model, file, ops, c[i].n);
		fx_run(f, "01");
		ck_assert_msg(ample_of(f) == c[i].ample, "%s, %d threads: "
			      "ample 0x%lx", ops[0], c[i].n,
			      (unsigned long)ample_of(f));
		same_verdicts(f);
		fx_free(f);
	}
}

/* What a thread may do only once a find_page found a page is gated by
 * that pgoff (por.c, Futures, Gates): with no page there and no thread
 * that may add one, it does not happen on the paths a persistent set
 * covers.  T0 will take sem for write only if find_page(0) finds a
 * page; T1's next step is a down_read of sem.  With no page at pgoff 0
 * and nobody to add one, T1 alone is persistent; with T2 about to
 * add_page(0), T0's down_write may happen and T1 needs it. */
START_TEST(test_future_gated_by_page)
{
	static const char model[] =
		GATE_MODEL
		"op look() {\n\tflush_cache(1)\n\tflush_cache(1)\n"
		"\tpg = find_page(0)\n\tif pg {\n\t\tdown_write(sem)\n"
		"\t\tup_write(sem)\n\t}\n\treturn 0\n}\n"
		"op fill() {\n\tflush_cache(1)\n\tr = add_page(0, HOLE)\n"
		"\treturn 0\n}\n";
	const char *ops[] = { "look()", "rd()", "fill()" };

	gate_cases(model, "file size 4 blocks 0..3", ops);
}
END_TEST

/* A get_block's block is zero only over a hole, its second result
 * nonzero only over a hole or an unwritten block (por.c, Futures,
 * Gates): with a written block at pgoff 0 and nobody to free or move
 * it, T0's down_writes behind "b == HOLE" and "n" do not happen on the
 * paths a persistent set covers, so T1 (at down_read) alone is
 * persistent; with T2 about to free block 0 they may.  Along a run in
 * which T2 punches the hole first, T0 takes sem: its futures cover it
 * (a gate claimed at another pgoff would not). */
START_TEST(test_future_gated_by_hole)
{
	static const char model[] =
		GATE_MODEL
		"op look() {\n\tflush_cache(1)\n\tflush_cache(1)\n"
		"\tb, n = get_block(0, 0)\n\tif b == HOLE {\n"
		"\t\tdown_write(sem)\n\t\tup_write(sem)\n\t}\n"
		"\tif n {\n\t\tdown_write(sem)\n\t\tup_write(sem)\n"
		"\t}\n\treturn 0\n}\n"
		"op punch() {\n\tflush_cache(1)\n\tfree_blocks(0, 0)\n"
		"\treturn 0\n}\n";
	const char *ops[] = { "look()", "rd()", "punch()" };

	gate_cases(model, "file size 4 blocks 0..3", ops);
	Fx *f = ops_fx(model, ops, 3);
	ck_assert(futures_hold(f, "220000"));
	ck_assert_uint_eq(sim_thread(f->w, 0)->nheld, 1);      /* T0 took
								 * sem */
	fx_free(f);
}
END_TEST

/* i_size compared with a known pgoff (por.c, Futures, Gates): past
 * "if n <= 2 { return }" T0 runs only while i_size is above 2.  With
 * i_size 2 and nobody to write it, T1 (at down_read) alone is
 * persistent; with T2 about to write i_size, T0's down_write may
 * happen.  With i_size 3 T0 goes on to take sem, and its futures cover
 * it (a gate claimed at pgoff 3 would not). */
START_TEST(test_future_gated_by_isize)
{
	static const char model[] =
		GATE_MODEL
		"op look() {\n\tflush_cache(1)\n\tflush_cache(1)\n"
		"\tn = i_size_read()\n\tif n <= 2 {\n\t\treturn 0\n"
		"\t}\n\tdown_write(sem)\n\tup_write(sem)\n"
		"\treturn 0\n}\n"
		"op grow() {\n\tflush_cache(1)\n\ti_size_write(4)\n"
		"\treturn 0\n}\n";
	const char *ops[] = { "look()", "rd()", "grow()" };

	gate_cases(model, "file size 2 blocks 0..3", ops);
	Fx *f = file_fx(model, "file size 3 blocks 0..3", ops, 2);
	ck_assert(futures_hold(f, "0000"));
	ck_assert_uint_eq(sim_thread(f->w, 0)->nheld, 1);      /* T0 went
								 * past */
	fx_free(f);
}
END_TEST

/* A future tells its gated parts apart by the pgoffs of their
 * conditions (por.c, Futures, Gates): T0 flushes behind a hole at
 * pgoff 1 and takes sem behind a hole at pgoff 0.  T2 punching the hole
 * at 1 opens only the first: T1 (at down_read) alone is persistent, as
 * it is with nobody to punch; with T2 punching at 0, T0's down_write
 * may happen and T1 needs it.  Along a run in which T2 punches at 0
 * first, T0 takes sem: its futures cover it (the part claimed at
 * another pgoff would not). */
START_TEST(test_future_gated_per_pgoff)
{
	static const char model[] =
		GATE_MODEL
		"op look() {\n\tflush_cache(1)\n\tflush_cache(1)\n"
		"\tb, n = get_block(1, 0)\n\tif b == HOLE {\n"
		"\t\tflush_cache(1)\n\t}\n"
		"\tc, m = get_block(0, 0)\n\tif c == HOLE {\n"
		"\t\tdown_write(sem)\n\t\tup_write(sem)\n\t}\n"
		"\treturn 0\n}\n"
		"op punch0() {\n\tflush_cache(1)\n\tfree_blocks(0, 0)\n"
		"\treturn 0\n}\n"
		"op punch1() {\n\tflush_cache(1)\n\tfree_blocks(1, 1)\n"
		"\treturn 0\n}\n";
	static const struct {
		const char *t2;
		int n;
		SimThreadSet ample;
	} c[] = {
		{ "punch1()", 2, SIM_TSET(1) },
		{ "punch1()", 3, SIM_TSET(1) },
		{ "punch0()", 3, SIM_TSET(0) | SIM_TSET(1) | SIM_TSET(2) },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		const char *ops[] = { "look()", "rd()", c[i].t2 };
		Fx *f = ops_fx(model, ops, c[i].n);
		fx_run(f, "01");
		ck_assert_msg(ample_of(f) == c[i].ample, "%s, %d threads: "
			      "ample 0x%lx", c[i].t2, c[i].n,
			      (unsigned long)ample_of(f));
		same_verdicts(f);
		fx_free(f);
	}
	const char *ops[] = { "look()", "rd()", "punch0()" };
	Fx *f = ops_fx(model, ops, 3);
	ck_assert(futures_hold(f, "2200000"));
	ck_assert_uint_eq(sim_thread(f->w, 0)->nheld, 1);      /* T0 took
								 * sem */
	fx_free(f);
}
END_TEST

Suite *por_suite(void)
{
	Suite *s = suite_create("por");
	TCase *tc = tcase_create("ample");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_frozen_at_held_lock);
	tcase_add_test(tc, test_asleep_behind_member);
	tcase_add_test(tc, test_op_returns_commute);
	tcase_add_test(tc, test_future_knows_branch);
	tcase_add_test(tc, test_future_gated_by_page);
	tcase_add_test(tc, test_future_gated_by_hole);
	tcase_add_test(tc, test_future_gated_by_isize);
	tcase_add_test(tc, test_future_gated_per_pgoff);
	suite_add_tcase(s, tc);
	return s;
}
