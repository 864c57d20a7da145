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
#include <stdlib.h>
#include <string.h>
#include "cost.h"
#include "des.h"
#include "hist.h"
#include "parse.h"

/* "KIND NAME 0ns" unless OVERRIDES prices NAME. */
static void free_line(GString *t, const char *overrides, const char *kind,
		      const char *name)
{
	char *line = g_strdup_printf("%s %s ", kind, name);
	if (!strstr(overrides, line))
		g_string_append_printf(t, "%s0ns\n", line);
	g_free(line);
}

/* A cost model where everything is free but what OVERRIDES prices:
 * "prim NAME DIST" and "event NAME DIST" lines. */
static SimCosts *free_costs(const char *overrides)
{
	static const char *const events[] = {
		"contended", "sleep", "wake", "alloc", "shootdown",
	};
	GString *t = g_string_new("costs free\n");
	GError *err = NULL;

	for (int p = 0; p < SIM_P_COUNT; p++)
		free_line(t, overrides, "prim", sim_prims[p].name);
	for (size_t e = 0; e < G_N_ELEMENTS(events); e++)
		free_line(t, overrides, "event", events[e]);
	g_string_append(t, overrides);
	SimCosts *c = sim_costs_parse(t->str, "free.cost", &err);
	ck_assert_msg(c, "%s", err ? err->message : "");
	g_string_free(t, TRUE);
	return c;
}

/* The most CPUs a run may have, up to the 64 the scaling claims are about. */
static int cpus_max(void)
{
	return MIN(64, SIM_THREADS_MAX);
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

/* MODEL (from MODELS_DIR) on tests/workloads/WORKLOAD.scn under C. */
static Case workload_case(const char *models_dir, const char *model,
			  const char *workload, SimCosts *c)
{
	GError *err = NULL;
	char *path = g_strdup_printf("tests/workloads/%s.scn", workload);
	Case k = { NULL, sim_parse_scenario_file(path, &err), c };

	ck_assert_msg(k.s, "%s", err ? err->message : "");
	k.m = sim_parse_model_load(models_dir, model, &err);
	ck_assert_msg(k.m, "%s", err ? err->message : "");
	ck_assert(c);
	g_free(path);
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
			     .seed_set = true, .seed = 7, .sample_ns = 100 };
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

/* Little's law on every lock class of R: the time-average number of
 * waiters L equals the arrival rate of waits times the mean wait,
 * lambda W = (contended / T) * (wait_ns / contended).  L is the mean of
 * the waiters the run counted off the world at Poisson instants
 * (cfg.sample_ns; PASTA), which shares nothing with the wait sums, so
 * a wait accounting off by more than the tolerance shows (every wait
 * counted 10 % too long fails; 4 % too long passes, though the runs
 * here agree to 0.1 %).
 * The tolerance is statistical: 5 % of lambda W, and for a class that
 * barely waits 0.002 waiters (about 3 standard errors of a mean over
 * 10^5 samples of a queue that is empty nearly always). */
static void assert_little(const SimDesResult *r)
{
	ck_assert_uint_ge(r->samples, 100000);
	for (int c = 0; c < r->nlocks; c++) {
		const SimDesLockStat *l = &r->locks[c];
		double L = (double)l->sampled / (double)r->samples;
		double lambda_w = (double)l->wait_ns / (double)r->sim_ns;

		ck_assert_msg(fabs(L - lambda_w) <= MAX(0.05 * lambda_w, 0.002),
			      "%s: sampled L = %.4f, lambda W = %.4f (%lu "
			      "samples, %lu waits)", l->name, L, lambda_w,
			      (unsigned long)r->samples,
			      (unsigned long)l->contended);
	}
}

/* Open Poisson arrivals (each of N CPUs every exp(N / lambda), so
 * together lambda, whatever the queue does) at one mutex with exponential
 * service of mean 1 us, rho = 0.5: the mean wait in queue is
 * rho / (mu - lambda) (M/M/1).  An op that arrives while its CPU's
 * previous op still runs starts when that one ends, its latency counted
 * from its arrival: the lock is never idle while an op waits for it or
 * for its CPU, and the order of service does not depend on service
 * times, so the mean wait (latency minus service) is M/M/1's for any N;
 * the wait at the lock alone (lock_stat's) is shorter.  With closed loops
 * (think time from the end of an op) the same test gives the finite-
 * source queue's 404 ns instead of 1000 ns. */
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

/* A contended lock word's cache line moves one CPU at a time: with the
 * transfer free, N CPUs on one mutex keep one CPU's throughput; at 100 ns
 * a transfer (the critical section 100 ns too), each handoff moves the
 * line to the unlocker and back to the waiter, and throughput falls to
 * about a third (USL's coherency term). */
START_TEST(test_contended_line)
{
	static const char *const costs[] = {
		"prim i_size_read 100ns\n",
		"prim i_size_read 100ns\nevent contended 100ns\n",
	};
	int n = MIN(4, cpus_max());
	double x[2][2];

	for (int c = 0; c < 2; c++) {
		Case k = case_new(mm1_model, NULL,
				  "\twhile 1 {\n\t\tserve()\n\t}", costs[c]);
		for (int i = 0; i < 2; i++) {
			SimDesResult r;
			run(&k, i ? n : 1, 20000, &r);
			x[c][i] = r.throughput;
			sim_des_result_clear(&r);
		}
		case_free(&k);
	}
	ck_assert_msg(fabs(x[0][1] / x[0][0] - 1) < 0.05, "free lines: x%.2f",
		      x[0][1] / x[0][0]);
	ck_assert_msg(x[1][1] / x[1][0] < 0.5, "100 ns lines: x%.2f",
		      x[1][1] / x[1][0]);
}
END_TEST

/* An op that never returns stops the run as stalled, not for ever. */
START_TEST(test_stalled)
{
	static const char model[] =
		"model t\n"
		"op spin() {\n"
		"\twhile 1 {\n"
		"\t\tn = i_size_read()\n"
		"\t}\n"
		"}\n";
	Case k = case_new(model, NULL, "\twhile 1 {\n\t\tspin()\n\t}", "");
	SimDesResult r;

	run(&k, 1, 10, &r);
	ck_assert(r.stalled);
	ck_assert_uint_eq(r.ops, 0);
	sim_des_result_clear(&r);
	case_free(&k);
}
END_TEST

/* A busy wait under timing stops the run as stalled and names the
 * looping thread, its op and where it spins: with M held while its
 * waker sleeps on M, no op completes at all (spin-held); beside CPUs
 * that complete ops, one loop alone spins for ever (spin-busy). */
START_TEST(test_stalled_names_loop)
{
	static const struct {
		const char *workload, *looping, *ops, *also;
	} cases[] = {
		{ "spin-held", "CPU0 looping in op wait_pte_locked at "
		  "tests/models/spin.model:", "no CPU op completed",
		  "BG0 sleeps on M" },
		{ "spin-busy", "BG0 looping in op wait_pte at "
		  "tests/models/spin.model:", "steps in one op", "" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		Case k = workload_case("tests/models", "spin", cases[i].workload,
			free_costs("prim pte_lookup 10ns\n"
				   "prim i_size_read 10ns\n"));
		SimDesResult r;

		run(&k, 0, 0, &r);
		ck_assert_msg(r.stalled, "%s: not stalled", cases[i].workload);
		ck_assert_msg(r.stall && strstr(r.stall, cases[i].looping) &&
			      strstr(r.stall, cases[i].ops) &&
			      strstr(r.stall, cases[i].also),
			      "%s: %s", cases[i].workload,
			      r.stall ? r.stall : "(no message)");
		sim_des_result_clear(&r);
		case_free(&k);
	}
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

/* Little's law on every lock class of real models, on workloads where
 * their locks wait: v4.2-dax (faults queue on i_mmap_rwsem behind a
 * punch hole, with the races it lets through restarting the world) and
 * ext4-i_mmap_sem (on i_mmap_sem) under the shipped costs, sleep and
 * wake-up latencies included; dax-entry-lock on one shared page, where
 * the DAX entry's wait-bit is the only lock that waits.  A wait-bit
 * waiter is woken to retry, not handed the lock, and the world shows
 * nothing of it while its wake-up is under way (the wait accounting
 * still counts it waiting, as lock_stat does): that model runs under
 * the shipped costs with sleep and wake-up free. */
static void little_on(const char *workload, const char *model, SimCosts *c)
{
	Case k = workload_case("models", model, workload, c);
	SimDesResult r;
	uint64_t waits = 0;

	run(&k, 8, 100000, &r);
	for (int l = 0; l < r.nlocks; l++)
		waits += r.locks[l].contended;
	ck_assert_msg(waits > 5000, "%s: %lu waits", model,
		      (unsigned long)waits);
	assert_little(&r);
	sim_des_result_clear(&r);
	case_free(&k);
}

START_TEST(test_little_models)
{
	GError *err = NULL;

	little_on("fault-vs-punch", "v4.2-dax",
		  sim_costs_load("dram-2015", "models/costs", &err));
	little_on("fault-vs-punch", "ext4-i_mmap_sem",
		  sim_costs_load("dram-2015", "models/costs", &err));
	little_on("shared-faults", "dax-entry-lock", sim_costs_parse(
		"extends dram-2015\ncosts instant-wakeup\n"
		"event sleep 0ns\nevent wake 0ns\n",
		"models/costs/instant-wakeup.cost", &err));
	ck_assert_msg(!err, "%s", err ? err->message : "");
}
END_TEST

/* ---- the scaling cases ----------------------------------------------- */

/* Only the fault's own work takes time: the block lookup and the PTE. */
static const char fault_costs[] =
	"prim get_block 1us\nprim set_pte 200ns\n";

/* Throughput and mean latency of MODEL on WORKLOAD at CPUS. */
static void scale_point(const char *workload, const char *model, int cpus,
			double *x, double *lat)
{
	Case k = workload_case("models", model, workload,
			       free_costs(fault_costs));
	SimDesResult r;

	run(&k, cpus, 20000, &r);
	ck_assert_int_eq(r.nviolations, 0);
	*x = r.throughput;
	*lat = 0;
	for (int i = 0; i < r.nopstats; i++)
		if (strcmp(r.opstats[i].name, "store") == 0)
			*lat = r.opstats[i].mean_ns;
	ck_assert(*lat > 0);
	sim_des_result_clear(&r);
	case_free(&k);
}

/* S2 holds i_mmap_rwsem for write across every fault: at N CPUs the
 * faults take turns, so throughput stays what one CPU does and each
 * fault waits for the N - 1 others (the seed's "kills scalability
 * completely"). */
START_TEST(test_exclusive_flat)
{
	int n = cpus_max();
	double x1, l1, xn, ln;

	scale_point("disjoint-faults", "i_mmap-exclusive", 1, &x1, &l1);
	scale_point("disjoint-faults", "i_mmap-exclusive", n, &xn, &ln);
	ck_assert_msg(fabs(xn / x1 - 1) < 0.1, "throughput x%.2f at %d CPUs",
		      xn / x1, n);
	ck_assert_msg(fabs(ln / l1 / n - 1) < 0.1, "latency x%.2f at %d CPUs",
		      ln / l1, n);
}
END_TEST

/* Per-page and range schemes: N CPUs on N pages (the workload's file has
 * 64, so every CPU up to 64 has a page of its own) fault in parallel; on
 * one page they serialise like the exclusive lock. */
static const char *const per_page_models[] = {
	"dax-entry-lock", "kirill-range-lock", "page-lock",
};

START_TEST(test_per_page_scales)
{
	const char *model = per_page_models[_i];
	int n = cpus_max();                             /* a page each */
	double x1, l1, xn, ln;

	scale_point("disjoint-faults", model, 1, &x1, &l1);
	scale_point("disjoint-faults", model, n, &xn, &ln);
	ck_assert_msg(xn / x1 > 0.9 * n, "%s: disjoint pages: throughput x%.2f "
		      "at %d CPUs", model, xn / x1, n);
	scale_point("shared-faults", model, 1, &x1, &l1);
	scale_point("shared-faults", model, n, &xn, &ln);
	ck_assert_msg(xn / x1 < 1.1, "%s: one page: throughput x%.2f at %d "
		      "CPUs", model, xn / x1, n);
}
END_TEST

/* jan-hashed-mutex's table has 2 slots (pgoff mod 2, sized for the
 * exhaustive search): pages that collide share a mutex, so disjoint pages
 * scale only to 2 CPUs' worth, and one page not at all. */
START_TEST(test_hashed_collisions)
{
	int n = cpus_max();
	double x1, l1, xn, ln;

	scale_point("disjoint-faults", "jan-hashed-mutex", 1, &x1, &l1);
	scale_point("disjoint-faults", "jan-hashed-mutex", n, &xn, &ln);
	ck_assert_msg(fabs(xn / x1 - MIN(n, 2)) < 0.1 * MIN(n, 2),
		      "throughput x%.2f at %d CPUs", xn / x1, n);
	scale_point("shared-faults", "jan-hashed-mutex", n, &xn, &ln);
	ck_assert_msg(xn / x1 < 1.1, "one page: x%.2f", xn / x1);
}
END_TEST

/* ---- properties under timing ------------------------------------------ */

/* R2 (fault vs punch hole) races under timing where explore finds it, with
 * a timed trace ending at the violating step, and never where the scheme
 * fences the fault (scenarios/fault-vs-punch-hole.scn's expect lines). */
START_TEST(test_race_timed)
{
	static const struct { const char *model; bool races; } cells[] = {
		{ "v4.2-dax", true }, { "ext4-i_mmap_sem", false },
		{ "dax-entry-lock", false },
	};
	GError *err = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(cells); i++) {
		SimScenario *s = sim_parse_scenario_file(
			"tests/workloads/fault-vs-punch.scn", &err);
		ck_assert_msg(s, "%s", err ? err->message : "");
		SimModel *m = sim_parse_model_load("models", cells[i].model, &err);
		ck_assert_msg(m, "%s", err ? err->message : "");
		SimCosts *c = sim_costs_load("dram-2015", "models/costs", &err);
		ck_assert_msg(c, "%s", err ? err->message : "");
		Case k = { m, s, c };
		SimDesResult r;

		run(&k, 0, 0, &r);
		ck_assert_msg((r.nviolations > 0) == cells[i].races,
			      "%s: %d properties violated", cells[i].model,
			      r.nviolations);
		for (int v = 0; v < r.nviolations; v++) {
			const SimDesViolation *x = &r.violations[v];
			/* each occurrence restarts the world: far fewer
			 * than the ops (not one per later step) */
			ck_assert_uint_lt(x->count, r.ops / 4);
			ck_assert_int_gt(x->ntrace, 0);
			ck_assert_uint_eq(x->trace[x->ntrace - 1].t_ns,
					  x->first_ns);
			ck_assert_ptr_nonnull(x->msg);
		}
		sim_des_result_clear(&r);
		case_free(&k);
	}
}
END_TEST

/* ABBA: CPU 0 takes a then b, CPU 1 b then a.  Under timing they meet
 * and the run ends as a deadlock, with the steps that led there. */
START_TEST(test_deadlock_timed)
{
	static const char model[] =
		"model t\n"
		"lock a mutex\n"
		"lock b mutex\n"
		"op ab() {\n\tmutex_lock(a)\n\tmutex_lock(b)\n"
		"\tmutex_unlock(b)\n\tmutex_unlock(a)\n}\n"
		"op ba() {\n\tmutex_lock(b)\n\tmutex_lock(a)\n"
		"\tmutex_unlock(a)\n\tmutex_unlock(b)\n}\n";
	static const char scn[] =
		"scenario t\nfile size 1 blocks 0\nproc P0\n"
		"workload {\n\tcpus 2 in P0\n\tops 100000\n"
		"\tloop think exp(1us) {\n"
		"\t\tif cpu == 0 {\n\t\t\tab()\n\t\t} else {\n"
		"\t\t\tba()\n\t\t}\n\t}\n}\n";
	GError *err = NULL;
	Case k;
	SimDesResult r;

	k.m = sim_parse_model_string(model, "t.model", NULL, &err);
	ck_assert_msg(k.m, "%s", err ? err->message : "");
	k.s = sim_parse_scenario_string(scn, "s.scn", &err);
	ck_assert_msg(k.s, "%s", err ? err->message : "");
	k.c = free_costs("prim mutex_lock 100ns\n");
	run(&k, 0, 0, &r);
	ck_assert(r.deadlock);
	ck_assert_uint_lt(r.ops, 100000);
	ck_assert_int_eq(r.nviolations, 1);
	ck_assert_int_eq(r.violations[0].prop, SIM_PROP_DEADLOCK);
	ck_assert_int_gt(r.violations[0].ntrace, 0);
	sim_des_result_clear(&r);
	case_free(&k);
}
END_TEST

/* ---- the workload block --------------------------------------------- */

/* What a workload block says lands in SimWorkload, and a `duration` ends
 * the run at that simulated time. */
START_TEST(test_workload_block)
{
	static const char scn[] =
		"scenario t\nfile size 4 blocks 0..3\nproc P0\nproc P1\n"
		"workload {\n\tcpus 3 in P1\n\tduration 2ms\n\tseed 9\n"
		"\tloop think uniform(1us, 3us) {\n\t\tstore(cpu)\n\t}\n"
		"\tbackground in P0 every exp(50us) {\n\t\tfsync()\n\t}\n"
		"\tbackground in P1 think 1ms {\n\t\ttruncate(4)\n\t}\n}\n";
	GError *err = NULL;
	Case k;
	SimDesResult r;

	k.s = sim_parse_scenario_string(scn, "s.scn", &err);
	ck_assert_msg(k.s, "%s", err ? err->message : "");
	const SimWorkload *w = k.s->workload;
	ck_assert_int_eq(w->cpus, 3);
	ck_assert_int_eq(w->cpu.proc, 1);
	ck_assert_uint_eq(w->duration_ns, 2000000);
	ck_assert_uint_eq(w->ops, 0);
	ck_assert_uint_eq(w->seed, 9);
	ck_assert(!w->cpu.every);
	ck_assert_int_eq(w->cpu.think.kind, SIM_DIST_UNIFORM);
	ck_assert_uint_eq(w->cpu.think.a, 1000);
	ck_assert_uint_eq(w->cpu.think.b, 3000);
	ck_assert_int_eq(w->nbackground, 2);
	ck_assert(w->background[0].every);
	ck_assert_int_eq(w->background[0].proc, 0);
	ck_assert_int_eq(w->background[1].proc, 1);
	ck_assert_int_eq(w->background[1].think.kind, SIM_DIST_CONST);
	k.m = sim_parse_model_load("models", "dax-entry-lock", &err);
	ck_assert_msg(k.m, "%s", err ? err->message : "");
	k.c = sim_costs_load("dram-2015", "models/costs", &err);
	ck_assert_msg(k.c, "%s", err ? err->message : "");
	run(&k, 0, 0, &r);
	ck_assert_int_eq(r.cpus, 3);
	ck_assert_int_eq(r.nthreads, 5);
	ck_assert_uint_eq(r.sim_ns, 2000000);
	ck_assert_uint_gt(r.ops, 0);
	sim_des_result_clear(&r);
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

/* A race scenario runs in episodes: R2 (fault-vs-punch-hole.scn) races
 * at realistic timing under v4.2-dax (no fence between the fault and
 * punch hole) and never under xfs-mmaplock (the MMAPLOCK serialises
 * them); every episode ends, each violation ends one. */
START_TEST(test_race_episodes)
{
	static const struct { const char *model; bool races; } cells[] = {
		{ "v4.2-dax", true }, { "xfs-mmaplock", false },
	};
	GError *err = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(cells); i++) {
		Case k = {
			sim_parse_model_load("models", cells[i].model, &err),
			sim_parse_scenario_file("scenarios/fault-vs-punch-hole.scn",
						&err),
			sim_costs_load("dram-2015", "models/costs", &err) };
		ck_assert_msg(k.m && k.s && k.c, "%s", err ? err->message : "");
		SimDesConfig cfg = { .costs = k.c, .episodes = 500,
				     .seed_set = true, .seed = 7 };
		SimDesResult r;
		char *missing = NULL;
		uint64_t n = 0;

		ck_assert_int_eq(sim_des_run(k.m, k.s, &cfg, &r, &missing,
					     &err), SIM_DES_OK);
		ck_assert_msg(!r.model_error, "%s", r.model_error);
		ck_assert_uint_eq(r.episodes, 500);
		ck_assert_uint_gt(r.spread_ns, 0);
		for (int v = 0; v < r.nviolations; v++)
			n += k.s->check >> r.violations[v].prop & 1 ?
			     r.violations[v].count : 0;
		ck_assert_msg((n > 0) == cells[i].races, "%s: %llu races",
			      cells[i].model, (unsigned long long)n);
		/* the three ops (two stores, a punch) run in every
		 * episode a violation does not cut short */
		ck_assert_uint_le(r.ops, 3 * r.episodes);
		ck_assert_uint_ge(r.ops, 3 * (r.episodes - n));
		sim_des_result_clear(&r);
		case_free(&k);
	}
}
END_TEST

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The histogram's percentiles against the exact nearest-rank ones of
 * the same values: never below, at most SIM_HIST_PRECISION above. */
START_TEST(test_hist_precision)
{
	enum { N = 20000 };
	static uint64_t v[N];
	SimHist h;
	SimPrng g;
	const double ps[] = { 0.001, 0.5, 0.9, 0.99, 0.999, 1 };

	sim_hist_init(&h);
	sim_prng_seed(&g, 7);
	for (int i = 0; i < N; i++) {
		/* spread over nine decades, exact and bucketed values */
		v[i] = (uint64_t)exp((double)(sim_prng_next(&g) >> 11) *
				    0x1p-53 * 21);
		sim_hist_add(&h, v[i]);
	}
	qsort(v, N, sizeof(v[0]), cmp_u64);
	for (size_t k = 0; k < G_N_ELEMENTS(ps); k++) {
		uint64_t exact = v[(int)ceil(ps[k] * N) - 1];
		uint64_t got = sim_hist_pct(&h, ps[k]);
		ck_assert_msg(got >= exact && got - exact <=
			      exact * SIM_HIST_PRECISION, "p%g: %llu, exact %llu",
			      ps[k], (unsigned long long)got,
			      (unsigned long long)exact);
	}
	ck_assert_uint_eq(h.max, v[N - 1]);
	sim_hist_clear(&h);
}
END_TEST

Suite *des_suite(void);

Suite *des_suite(void)
{
	Suite *s = suite_create("des");
	TCase *tc = tcase_create("des");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_costs_shipped);
	tcase_add_test(tc, test_hist_precision);
	tcase_add_test(tc, test_costs_exp);
	tcase_add_test(tc, test_one_cpu_no_contention);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_contended_line);
	tcase_add_test(tc, test_stalled);
	tcase_add_test(tc, test_stalled_names_loop);
	tcase_add_test(tc, test_little_models);
	tcase_add_test(tc, test_mm1_mean_wait);
	tcase_add_test(tc, test_exclusive_flat);
	tcase_add_test(tc, test_race_timed);
	tcase_add_test(tc, test_race_episodes);
	tcase_add_test(tc, test_deadlock_timed);
	tcase_add_test(tc, test_workload_block);
	tcase_add_test(tc, test_hashed_collisions);
	tcase_add_loop_test(tc, test_per_page_scales, 0,
			    (int)G_N_ELEMENTS(per_page_models));
	suite_add_tcase(s, tc);
	return s;
}
