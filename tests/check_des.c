/*
 * check_des.c - timed runs (des.h) against what queueing theory knows, and
 * the cost models (cost.h; bad cost files are in check_parse.c's table).
 *
 * The queueing cases run a one-mutex model under a cost model where only
 * the critical section takes time (an exponential service), so the lock's
 * queue is the textbook one: M/M/1 for open arrivals, Little's law on
 * every run.  The scaling cases run the real models of models/ on
 * workloads of disjoint and of shared pages.
 */
#include <check.h>
#include <math.h>
#include <string.h>
#include "cost.h"
#include "des.h"
#include "parse.h"

/* A cost model where everything is free but what OVERRIDES prices:
 * "prim NAME DIST" lines. */
static SimCosts *free_costs(const char *overrides)
{
	GString *t = g_string_new("costs free\n");
	GError *err = NULL;

	for (int p = 0; p < SIM_P_COUNT; p++) {
		char *line = g_strdup_printf("prim %s ", sim_prims[p].name);
		if (!strstr(overrides, line))
			g_string_append_printf(t, "%s0ns\n", line);
		g_free(line);
	}
	g_string_append(t, "event contended 0ns\nevent sleep 0ns\n"
			"event wake 0ns\nevent alloc 0ns\nevent shootdown 0ns\n");
	g_string_append(t, overrides);
	SimCosts *c = sim_costs_parse(t->str, "free.cost", &err);
	ck_assert_msg(c, "%s", err ? err->message : "");
	g_string_free(t, TRUE);
	return c;
}

/* ---- the queueing cases ---------------------------------------------- */

static const char mm1_model[] =
	"model t\n"
	"lock m mutex\n"
	"op serve() {\n"
	"\tmutex_lock(m)\n"
	"\tn = i_size_read()\n"        /* the service: priced by the test */
	"\tmutex_unlock(m)\n"
	"}\n";

typedef struct {
	SimModel *m;
	SimScenario *s;
	SimCosts *c;
} Case;

/* MODEL and a scenario whose one thread body is the workload's loop. */
static Case case_new(const char *model, const char *models_path,
		     const char *body, const char *costs)
{
	GError *err = NULL;
	Case k;
	char *scn = g_strdup_printf("scenario t\nfile size 8 blocks 0..7\n"
				    "proc P0\nthread T0 in P0 {\n%s\n}\n", body);

	k.m = model ? sim_parse_model_string(model, "t.model", models_path,
					     &err) :
		sim_parse_model_load(models_path, body, &err);
	ck_assert_msg(k.m, "%s", err ? err->message : "");
	k.s = sim_parse_scenario_string(scn, "s.scn", &err);
	ck_assert_msg(k.s, "%s", err ? err->message : "");
	k.s->workload = g_new0(SimWorkload, 1);
	k.s->workload->cpu.body = 0;
	k.s->workload->cpus = 1;
	k.c = free_costs(costs);
	g_free(scn);
	return k;
}

static void case_free(Case *k)
{
	sim_model_free(k->m);
	sim_scenario_free(k->s);
	sim_costs_free(k->c);
}

static void run(Case *k, int cpus, uint64_t ops, SimDesResult *r)
{
	SimDesConfig cfg = { .costs = k->c, .cpus = cpus, .ops = ops,
			     .seed_set = true, .seed = 7 };
	char *missing = NULL;
	GError *err = NULL;

	ck_assert_int_eq(sim_des_run(k->m, k->s, &cfg, r, &missing, &err),
			 SIM_DES_OK);
	ck_assert_msg(!r->model_error, "%s", r->model_error);
}

/* The stats of lock class NAME. */
static const SimDesLockStat *lock_stat(const SimDesResult *r, const char *name)
{
	for (int c = 0; c < r->nlocks; c++)
		if (strcmp(r->locks[c].name, name) == 0)
			return &r->locks[c];
	ck_abort_msg("no lock class %s", name);
	return NULL;
}

/* Little's law on lock class C of R: the time-average number of waiters
 * equals the arrival rate of waits times the mean wait. */
static void assert_little(const SimDesResult *r)
{
	for (int c = 0; c < r->nlocks; c++) {
	const SimDesLockStat *l = &r->locks[c];
	double T = (double)r->sim_ns;
	double L = l->queue_area / T;
	double lambda_w = (double)l->wait_ns / T;      /* = (n/T) * (w/n) */

	ck_assert_msg(fabs(L - lambda_w) <= 1e-9 * MAX(L, 1.0),
		      "%s: L = %g, lambda W = %g", l->name, L, lambda_w);
	}
}

/* Open Poisson arrivals (each CPU every exp(N / lambda), so together
 * lambda, whatever the queue does) at one mutex with exponential service
 * of mean 1 us, rho = 0.5: the mean wait in queue is rho / (mu - lambda)
 * (M/M/1).  An op that arrives while its CPU's previous op still waits
 * starts when that one ends, its latency counted from its arrival: the
 * lock is never idle while an op is waiting for it or for its CPU, and
 * the order of service does not depend on service times, so the mean
 * wait (latency minus service) is M/M/1's whatever the number of CPUs;
 * the wait at the lock alone (lock_stat's) is shorter. */
START_TEST(test_mm1_mean_wait)
{
	const int cpus = 4;
	const double mu = 1e-3, lambda = 0.5e-3;        /* per ns */
	Case k = case_new(mm1_model, NULL, "\twhile 1 {\n\t\tserve()\n\t}",
			  "prim i_size_read exp(1us)\n");
	SimDesResult r;

	k.s->workload->cpu.every = true;
	k.s->workload->cpu.think = (SimDist){ SIM_DIST_EXP,
		(uint64_t)(cpus / lambda), 0 };
	run(&k, cpus, 1000000, &r);
	const SimDesLockStat *l = lock_stat(&r, "m");
	ck_assert_int_eq(r.nopstats, 1);
	double service = (double)l->hold_ns / (double)l->acquisitions;
	double wq = r.opstats[0].mean_ns - service;
	double rho = lambda / mu, want = rho / (mu - lambda);
	ck_assert_msg(fabs(service - 1 / mu) <= 0.01 / mu, "service %g", service);
	ck_assert_msg(fabs(wq - want) <= 0.05 * want,
		      "M/M/1 Wq %.1f ns, measured %.1f ns over %lu ops",
		      want, wq, (unsigned long)r.ops);
	assert_little(&r);
	sim_des_result_clear(&r);
	case_free(&k);
}
END_TEST

/* One CPU never waits for a lock, whatever the costs. */
START_TEST(test_one_cpu_no_contention)
{
	Case k = case_new(mm1_model, NULL, "\twhile 1 {\n\t\tserve()\n\t}",
			  "prim i_size_read exp(1us)\n");
	SimDesResult r;

	run(&k, 1, 10000, &r);
	ck_assert_uint_eq(r.ops, 10000);
	ck_assert_uint_eq(lock_stat(&r, "m")->acquisitions, 10000);
	for (int c = 0; c < r.nlocks; c++) {
		ck_assert_uint_eq(r.locks[c].contended, 0);
		ck_assert_uint_eq(r.locks[c].wait_ns, 0);
	}
	sim_des_result_clear(&r);
	case_free(&k);
}
END_TEST

/* The same inputs and seed give the same result, to the last field. */
START_TEST(test_deterministic)
{
	Case k = case_new(mm1_model, NULL, "\twhile 1 {\n\t\tserve()\n\t}",
			  "prim i_size_read exp(1us)\n");
	SimDesResult a, b;

	k.s->workload->cpu.think = (SimDist){ SIM_DIST_EXP, 3000, 0 };
	run(&k, 4, 20000, &a);
	run(&k, 4, 20000, &b);
	ck_assert_uint_eq(a.sim_ns, b.sim_ns);
	ck_assert_uint_eq(a.events, b.events);
	ck_assert_int_eq(memcmp(a.locks, b.locks,
				sizeof(*a.locks) * (size_t)a.nlocks), 0);
	ck_assert_int_eq(memcmp(a.opstats, b.opstats,
				sizeof(*a.opstats) * (size_t)a.nopstats), 0);
	ck_assert_uint_gt(lock_stat(&a, "m")->contended, 0);
	assert_little(&a);
	sim_des_result_clear(&a);
	sim_des_result_clear(&b);
	case_free(&k);
}
END_TEST

/* ---- the cost files -------------------------------------------------- */

START_TEST(test_costs_shipped)
{
	static const char *const names[] = { "dram-2015", "pmem-2016" };
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		GError *err = NULL;
		SimCosts *c = sim_costs_load(names[i], "models/costs", &err);
		ck_assert_msg(c, "%s", err ? err->message : "");
		ck_assert_str_eq(sim_costs_name(c), names[i]);
		sim_costs_free(c);
	}
}
END_TEST

/* exp(MEAN) draws have mean MEAN; a seed fixes them. */
START_TEST(test_costs_exp)
{
	SimDist d = { SIM_DIST_EXP, 1000, 0 };
	SimPrng g, h;
	double sum = 0;
	const int n = 200000;

	sim_prng_seed(&g, 3);
	sim_prng_seed(&h, 3);
	for (int i = 0; i < n; i++) {
		uint64_t x = sim_dist_draw(&d, &g);
		ck_assert_uint_eq(x, sim_dist_draw(&d, &h));
		sum += (double)x;
	}
	ck_assert_msg(fabs(sum / n - 1000) < 10, "mean %g", sum / n);
}
END_TEST

Suite *des_suite(void);

Suite *des_suite(void)
{
	Suite *s = suite_create("des");
	TCase *tc = tcase_create("des");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_costs_shipped);
	tcase_add_test(tc, test_costs_exp);
	tcase_add_test(tc, test_one_cpu_no_contention);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_mm1_mean_wait);
	suite_add_tcase(s, tc);
	return s;
}
