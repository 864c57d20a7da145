/*
 * check_explore.c - the search (sim/explore.h), its visited set and PRNG.
 *
 * Contracts tested, one TCase each:
 *   prng      xoshiro256** from splitmix64 gives pinned values; below()
 *             stays in range;
 *   visited   ids are dense and stable across growth; exact mode keeps
 *             records; the fingerprint is XXH3-64 on every build of it;
 *   counts    two threads of k private steps: (k+1)^2 states and
 *             2k(k+1) transitions without reduction, fewer with it;
 *   sound     for every scenario in scenarios/ and tests/scenarios/
 *             under every applicable model, the reduction finds the
 *             same properties and is complete when the full search is;
 *             steps the reduction calls independent commute (checked by
 *             executing both orders along random walks, on every
 *             scenario x model pair, op-ending steps included);
 *   cex       fault-vs-truncate under boaz-early-unlock: one preemption,
 *             seed 001's shape; ABBA is a deadlock with the cycle; the
 *             counterexample re-runs to the property; `faultline replay`
 *             of the trail draws the same diagram (needs ./faultline);
 *   bounds    each bound ends with complete = false and its name;
 *   random    random walks and PCT find seed 001's race and are
 *             reproducible from the seed; every property the runs
 *             drawn reach is found;
 *   livelock  a livelock is found with and without reduction and its
 *             counterexample re-runs as a cycle; near misses (a waker
 *             that can always run) are not; programs the search
 *             deems acyclic are, by search.
 *
 * Runs from the repository root.
 */
#include <check.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <xxhash.h>
#include "../sim/explore.h"
#include "../sim/livelock.h"
#include "../sim/parse.h"
#include "../sim/por.h"
#include "../sim/prng.h"
#include "../sim/run.h"
#include "../sim/step.h"
#include "fixture.h"
#include "traces.h"
#include "../sim/visited.h"

Suite *explore_suite(void);

/* ---- helpers ---------------------------------------------------------- */

typedef struct {
	SimScenario *scn;
	SimModel *m;
	SimProgram *p;
} Job;

/* Load SCN with MODEL from DIR; false if the pair is n/a or abstract. */
static bool job_load(Job *j, const char *scn, const char *dir,
		     const char *model)
{
	GError *e = NULL;
	char *missing = NULL;

	memset(j, 0, sizeof(*j));
	j->scn = sim_parse_scenario_file(scn, &e);
	ck_assert_msg(j->scn, "%s", e ? e->message : "");
	j->m = sim_parse_model_load(dir, model, &e);
	ck_assert_msg(j->m, "%s", e ? e->message : "");
	if (j->m->abstract)
		return false;
	j->p = sim_program_link(j->m, j->scn, &missing, &e);
	g_free(missing);
	ck_assert_msg(j->p || !e, "%s", e ? e->message : "");
	return j->p != NULL;
}

static void job_free(Job *j)
{
	sim_program_free(j->p);
	sim_model_free(j->m);
	sim_scenario_free(j->scn);
}

static void explore_as(const Job *j, bool por, bool no_livelock,
		       SimExploreResult *r)
{
	SimExploreOptions o;

	sim_explore_options_default(&o);
	o.por = por;
	o.no_livelock = no_livelock;
	ck_assert(sim_explore(j->p, &o, r));
}

/* The full check: reduced unless livelock needs every transition. */
static void explore(const Job *j, bool por, SimExploreResult *r)
{
	explore_as(j, por, false, r);
}

/* The safety properties only (--no-livelock): reduced with POR whether
 * the program can cycle or not, so what tests of the reduction use. */
static void explore_safety(const Job *j, bool por, SimExploreResult *r)
{
	explore_as(j, por, true, r);
}

static GPtrArray *list_dir(const char *dir, const char *suffix)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *f;

	while (d && (f = g_dir_read_name(d)))
		if (g_str_has_suffix(f, suffix))
			g_ptr_array_add(a, g_strndup(f, strlen(f) -
						     strlen(suffix)));
	if (d)
		g_dir_close(d);
	return a;
}

/* Call FN on every scenario x model pair of SCN_DIR x MODEL_DIR that
 * links (a model lacking an op is skipped); returns how many. */
typedef void (*PairFn)(const Job *j, const char *path, const char *model,
		       void *arg);

static int for_each_pair(const char *scn_dir, const char *model_dir,
			 PairFn fn, void *arg)
{
	GPtrArray *scns = list_dir(scn_dir, ".scn");
	GPtrArray *models = list_dir(model_dir, ".model");
	int pairs = 0;

	for (guint s = 0; s < scns->len; s++) {
		char *path = g_strdup_printf("%s/%s.scn", scn_dir,
					     (char *)scns->pdata[s]);
		for (guint m = 0; m < models->len; m++) {
			Job j;
			if (job_load(&j, path, model_dir, models->pdata[m])) {
				fn(&j, path, models->pdata[m], arg);
				pairs++;
			}
			job_free(&j);
		}
		g_free(path);
	}
	g_ptr_array_free(scns, TRUE);
	g_ptr_array_free(models, TRUE);
	return pairs;
}

/* ---- prng, visited ---------------------------------------------------- */

START_TEST(test_prng_pinned)
{
	SimPrng g, h;

	sim_prng_seed(&g, 0);
	sim_prng_seed(&h, 0);
	uint64_t a = sim_prng_next(&g);
	ck_assert_uint_eq(a, sim_prng_next(&h));
	/* splitmix64(0) state, then xoshiro256**: pinned */
	sim_prng_seed(&g, 42);
	uint64_t first = sim_prng_next(&g);
	sim_prng_seed(&h, 42);
	ck_assert_uint_eq(first, sim_prng_next(&h));
	ck_assert_uint_ne(first, a);
	for (int i = 0; i < 10000; i++)
		ck_assert_uint_lt(sim_prng_below(&g, 7), 7);
	ck_assert_uint_eq(sim_prng_below(&g, 1), 0);
}
END_TEST

START_TEST(test_prng_reference)
{
	/* xoshiro256** reference with state {1, 2, 3, 4}: 11520, 0,
	 * 1509978240, 1215971899390074240. */
	SimPrng g = { .s = { 1, 2, 3, 4 } };

	ck_assert_uint_eq(sim_prng_next(&g), 11520);
	ck_assert_uint_eq(sim_prng_next(&g), 0);
	ck_assert_uint_eq(sim_prng_next(&g), 1509978240);
	ck_assert_uint_eq(sim_prng_next(&g), 1215971899390074240ull);
}
END_TEST

/* The fingerprint is XXH3-64 whichever lanes compute it: the AVX2 build
 * of it (taken where the CPU has AVX2) and libxxhash's agree on every
 * length XXH3 treats apart (short, mid-size, stripes, blocks, tails). */
START_TEST(test_visited_hash_is_xxh3)
{
	uint8_t buf[2100];
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
	for (size_t n = 0; n <= sizeof(buf); n += n < 300 ? 1 : 37) {
		ck_assert_uint_eq(sim_visited_hash(buf, n), XXH3_64bits(buf, n));
#ifdef SIM_VISITED_AVX2
		if (__builtin_cpu_supports("avx2"))
			ck_assert_uint_eq(sim_visited_hash_avx2(buf + 1, n - !!n),
					  XXH3_64bits(buf + 1, n - !!n));
#endif
	}
}
END_TEST

START_TEST(test_visited_growth)
{
	for (int exact = 0; exact < 2; exact++) {
		SimVisited *v = sim_visited_new(8, exact, 0);
		bool is_new;
		for (uint64_t i = 0; i < 100000; i++) {
			uint32_t id = sim_visited_add(v, &i, &is_new);
			ck_assert(is_new);
			ck_assert_uint_eq(id, i);
			*sim_visited_data(v, id) = (uint8_t)i;
		}
		for (uint64_t i = 0; i < 100000; i += 7) {
			ck_assert_uint_eq(sim_visited_add(v, &i, &is_new), i);
			ck_assert(!is_new);
			ck_assert_uint_eq(*sim_visited_data(v, (uint32_t)i),
					  (uint8_t)i);
			if (exact)
				ck_assert(memcmp(sim_visited_state(v, (uint32_t)i),
						 &i, 8) == 0);
		}
		uint64_t absent = 1ull << 40;
		ck_assert_uint_eq(sim_visited_find(v, &absent),
				  SIM_VISITED_NONE);
		ck_assert_uint_eq(sim_visited_count(v), 100000);
		sim_visited_free(v);
	}
}
END_TEST

/* The shared fingerprint set: ADDERS adders at once, each adding the
 * same FPS fingerprints in its own order. */
#define FPS 50000
#define ADDERS 4

typedef struct {
	SimFpSet *f;
	int k;
	uint32_t id[FPS];
	bool is_new[FPS];
} Adder;

static gpointer adder(gpointer data)
{
	Adder *a = data;
	SimFpIds ids = { 0, 0 };

	static const int stride[ADDERS] = { 1, 3, 7, 9 };  /* prime to FPS */

	for (int i = 0; i < FPS; i++) {
		int x = (i * stride[a->k]) % FPS;
		a->id[x] = sim_fpset_add(a->f, (uint64_t)x * 0x9e3779b97f4a7c15ull,
					 &ids, &a->is_new[x]);
	}
	return NULL;
}

/* Every fingerprint is new to exactly one adder and has one id, the
 * same for all, distinct from the others'; growth keeps the ids. */
START_TEST(test_fpset_shared)
{
	SimFpSet *f = sim_fpset_new(ADDERS * FPS);
	Adder *a = g_new0(Adder, ADDERS);
	GThread *t[ADDERS];
	uint8_t *seen = g_malloc0(sim_fpset_ids(f) + ADDERS * FPS +
				  ADDERS * SIM_FPSET_BLOCK);

	for (int k = 0; k < ADDERS; k++) {
		a[k].f = f;
		a[k].k = k;
		t[k] = g_thread_new("adder", adder, &a[k]);
	}
	for (int k = 0; k < ADDERS; k++)
		g_thread_join(t[k]);
	for (int x = 0; x < FPS; x++) {
		int fresh = 0;
		for (int k = 0; k < ADDERS; k++) {
			fresh += a[k].is_new[x];
			ck_assert_uint_eq(a[k].id[x], a[0].id[x]);
		}
		ck_assert_int_eq(fresh, 1);
		ck_assert(!seen[a[0].id[x]]);
		seen[a[0].id[x]] = 1;
	}
	for (int g = 0; g < 3; g++)
		sim_fpset_grow(f);
	SimFpIds ids = { 0, 0 };
	for (int x = 0; x < FPS; x++) {
		bool is_new;
		ck_assert_uint_eq(sim_fpset_add(f, (uint64_t)x *
				  0x9e3779b97f4a7c15ull, &ids, &is_new),
				  a[0].id[x]);
		ck_assert(!is_new);
	}
	g_free(seen);
	g_free(a);
	sim_fpset_free(f);
}
END_TEST

/* ---- counts ----------------------------------------------------------- */

START_TEST(test_counts_independent)
{
	static const struct { const char *scn; uint64_t k; } c[] = {
		{ "tests/scenarios/indep3.scn", 3 },
		{ "tests/scenarios/indep4.scn", 4 },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		Job j;
		SimExploreResult full, red;
		uint64_t k = c[i].k;
		ck_assert(job_load(&j, c[i].scn, "tests/models", "indep"));
		explore_safety(&j, false, &full);
		explore_safety(&j, true, &red);
		ck_assert(full.complete && red.complete);
		ck_assert_uint_eq(full.states, (k + 1) * (k + 1));
		ck_assert_uint_eq(full.transitions, 2 * k * (k + 1));
		ck_assert_uint_lt(red.states, full.states);
		ck_assert_uint_lt(red.transitions, full.transitions);
		ck_assert_uint_eq(red.found, full.found);
		sim_explore_result_clear(&full);
		sim_explore_result_clear(&red);
		job_free(&j);
	}
}
END_TEST

/* SCN under tests/models' MODEL reduces exactly as two threads of four
 * private steps do (indep4: 25 states unreduced); returns indep4's
 * reduced state count. */
static uint64_t reduces_as_indep4(const char *scn, const char *model)
{
	Job j;
	SimExploreResult full, red, indep;
	uint64_t n;

	ck_assert(job_load(&j, "tests/scenarios/indep4.scn", "tests/models",
			   "indep"));
	explore_safety(&j, true, &indep);
	job_free(&j);
	ck_assert(job_load(&j, scn, "tests/models", model));
	explore_safety(&j, false, &full);
	explore_safety(&j, true, &red);
	ck_assert(full.complete && red.complete && indep.complete);
	ck_assert_uint_eq(full.states, 25);
	ck_assert_uint_eq(red.states, indep.states);
	ck_assert_uint_eq(red.transitions, indep.transitions);
	ck_assert_uint_eq(red.found, full.found);
	n = indep.states;
	sim_explore_result_clear(&full);
	sim_explore_result_clear(&red);
	sim_explore_result_clear(&indep);
	job_free(&j);
	return n;
}

/* The op-return checks read the block map only at pgoffs with a PTE or
 * a page (por.h): T0 allocating the blocks of four unmapped pgoffs
 * commutes with T1's op return. */
START_TEST(test_counts_unwatched)
{
	reduces_as_indep4("tests/scenarios/alloc-vs-private.scn", "indep");
}
END_TEST

/* Trace counts (tests/traces.h): two threads of four private steps have
 * C(8,4) = 70 interleavings and three traces: one thread's op returns
 * before the other's first step (which enters its op: the world is
 * quiescent after that return only if it comes first), either way, or
 * both enter before either returns (the returns commute); T0 allocating
 * at unmapped pgoffs commutes with T1's return as well. */
START_TEST(test_trace_counts)
{
	static const char *const scn[] = {
		"tests/scenarios/indep4.scn",
		"tests/scenarios/alloc-vs-private.scn",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(scn); i++) {
		Job j;
		TraceCount tc;
		ck_assert(job_load(&j, scn[i], "tests/models", "indep"));
		trace_count(j.p, 1000, &tc);
		ck_assert(tc.complete);
		ck_assert_uint_eq(tc.runs, 70);
		ck_assert_uint_eq(tc.traces, 3);
		trace_count(j.p, 10, &tc);
		ck_assert(!tc.complete);
		job_free(&j);
	}
}
END_TEST

/* Readers share an rwsem no writer holds or waits for (por.h): two
 * readers, each around private steps, reduce exactly as two threads of
 * private steps do (indep4); a writer's lock steps stay dependent. */
START_TEST(test_counts_readers)
{
	Job j;
	SimExploreResult red;
	uint64_t indep = reduces_as_indep4("tests/scenarios/readers.scn",
					   "readers");

	ck_assert(job_load(&j, "tests/scenarios/reader-writer.scn",
			   "tests/models", "readers"));
	explore_safety(&j, true, &red);
	ck_assert_uint_gt(red.states, indep);
	sim_explore_result_clear(&red);
	job_free(&j);
}
END_TEST

/* ---- soundness -------------------------------------------------------- */

static void sound_pair(const Job *j, const char *path, const char *model,
		       void *arg)
{
	SimExploreResult full, red;

	(void)arg;
	explore_safety(j, false, &full);
	explore_safety(j, true, &red);
	ck_assert_msg(red.found == full.found, "%s -m %s: POR found 0x%x, "
		      "full search 0x%x", path, model, red.found, full.found);
	ck_assert(red.complete == full.complete);
	ck_assert_uint_le(red.states, full.states);
	/* the counterexamples come from searches without reduction (the
	 * 0-1 search, the livelock graph): the same runs, step for step */
	for (int p = 0; p < SIM_PROP_COUNT; p++) {
		const GArray *a = full.cex[p], *b = red.cex[p];
		if (p == SIM_PROP_LOCK_ORDER || p == SIM_PROP_WAIT_ORDER)
			continue;
		ck_assert_msg(!a == !b && (!a || (a->len == b->len &&
			      memcmp(a->data, b->data, a->len * sizeof(int)) ==
			      0)), "%s -m %s: %s's counterexample differs "
			      "with POR", path, model, sim_prop_name(p));
		ck_assert(red.cex_minimal[p] == full.cex_minimal[p]);
	}
	ck_assert_int_eq(red.cycle_from, full.cycle_from);
	sim_explore_result_clear(&full);
	sim_explore_result_clear(&red);
}

START_TEST(test_por_same_verdicts)
{
	int pairs = for_each_pair("scenarios", "models", sound_pair, NULL) +
		    for_each_pair("tests/scenarios", "tests/models", sound_pair,
				  NULL) +
		    for_each_pair("tests/scenarios", "models", sound_pair, NULL);

	ck_assert_int_ge(pairs, 5);
}
END_TEST

/* Every pair of threads runnable in W[0] that the reduction calls
 * independent commutes: both orders (run in W[1] and W[2]) give the same
 * state, flags and model error. */
static void pairs_commute(const Job *j, SimWorld *const *w)
{
	SimThreadSet r = sim_step_runnable(w[0]);

	for (int t = 0; t < w[0]->nthreads; t++)
	for (int u = t + 1; u < w[0]->nthreads; u++) {
		if (!(r >> t & 1) || !(r >> u & 1) ||
		    !sim_por_independent(w[0], j->p, t, u))
			continue;
		SimStepCtx c1 = { .prog = j->p }, c2 = c1;
		sim_world_copy(w[1], w[0]);
		sim_world_copy(w[2], w[0]);
		sim_step(w[1], t, &c1);
		if (sim_step_runnable(w[1]) >> u & 1)
			sim_step(w[1], u, &c1);
		sim_step(w[2], u, &c2);
		if (sim_step_runnable(w[2]) >> t & 1)
			sim_step(w[2], t, &c2);
		ck_assert_msg(sim_world_equal(w[1], w[2]) &&
			      c1.found == c2.found &&
			      c1.model_error == c2.model_error,
			      "%s -m %s: T%d and T%d do not commute",
			      j->scn->name, j->m->name, t, u);
	}
}

/* A PTE install is seen by the op-boundary oracles only if the PTE is
 * flagged (por.c, CL_SEEN): T0's set_pte of the block the file has at
 * pgoff 0 (B1), or of the zero page over a hole, commutes with T1's op
 * return, whose stale-pte check it cannot change; of another block
 * (B2) it does not: T1's return flags the PTE if T0 installs it first.
 * Both claims are checked by execution too.  The install is T0's
 * second step (its first enters the op, which an op return is ordered
 * against) and not its last (an op return of its own). */
static const char pte_model[] =
	"model t\n"
	"op park() {\n\ti_size_read()\n\treturn 0\n}\n"
	"op mapb(p, b) {\n\ti_size_read()\n\tr = set_pte(p, b, 1)\n"
	"\ti_size_read()\n\treturn r\n}\n"
	"op mapz(p) {\n\ti_size_read()\n\tr = set_pte_zero(p)\n"
	"\ti_size_read()\n\treturn r\n}\n";

/* Steps T0 then T1, and T1 then T0, from F's world: whether both
 * orders reach the same state with the same flags. */
static bool fx_commutes(const Fx *f)
{
	SimWorld *w[2];
	SimStepCtx c[2] = { { .prog = f->p }, { .prog = f->p } };
	bool same;

	for (int i = 0; i < 2; i++) {
		w[i] = sim_step_world_new(f->p);
		sim_world_copy(w[i], f->w);
		sim_step(w[i], i, &c[i]);
		sim_step(w[i], 1 - i, &c[i]);
	}
	same = sim_world_equal(w[0], w[1]) && c[0].found == c[1].found;
	g_free(w[0]);
	g_free(w[1]);
	return same;
}

/* A step that maps a PTE and returns runs its op-return check with that
 * pgoff watched: T0's set_pte of B4 at pgoff 3, past i_size (2 pages),
 * then its return, does not commute with T1 growing i_size over it
 * (the PTE is stale only if T0 goes first), though nothing was watched
 * at pgoff 3 before the step (por.c: SimFp.maps in brd). */
START_TEST(test_boundary_reads_own_maps)
{
	static const char model[] =
		"model t\n"
		"op mapb(p, b) {\n\ti_size_read()\n\tr = set_pte(p, b, 1)\n"
		"\treturn r\n}\n"
		"op grow(n) {\n\ti_size_read()\n\ti_size_write(n)\n"
		"\ti_size_read()\n\treturn 0\n}\n";
	Fx *f = fx_new(model, "scenario s\nfile size 2 blocks 0..3\n"
		       "thread T0 {\nmapb(3, 4)\n}\n"
		       "thread T1 {\ngrow(4)\n}\n");

	fx_run(f, "01");
	ck_assert(!fx_commutes(f));
	ck_assert(!sim_por_independent(f->w, f->p, 0, 1));
	fx_free(f);
}
END_TEST

START_TEST(test_pte_install_seen)
{
	static const struct { const char *t0; bool indep; } c[] = {
		{ "mapb(0, 1)", true },         /* B1 is at pgoff 0 */
		{ "mapb(0, 2)", false },        /* B2 is not */
		{ "mapz(3)", true },            /* ... over a hole */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		GString *scn = g_string_new(NULL);
		g_string_printf(scn, "scenario s\nfile size 4 blocks 0..2\n"
				"thread T0 {\n%s\n}\nthread T1 {\npark()\n}\n",
				c[i].t0);
		Fx *f = fx_new(pte_model, scn->str);
		fx_step(f, 0);
		ck_assert_msg(sim_por_independent(f->w, f->p, 0, 1) ==
			      c[i].indep, "%s: independent should be %d",
			      c[i].t0, c[i].indep);
		ck_assert_msg(fx_commutes(f) == c[i].indep, "%s: commutes "
			      "should be %d", c[i].t0, c[i].indep);
		fx_free(f);
		g_string_free(scn, TRUE);
	}
}
END_TEST

/* Along random walks, every pair the reduction calls independent
 * commutes: both orders give the same state bytes and flags. */
static void commute_job(const Job *j, SimPrng *g, int runs)
{
	SimWorld *w[3];
	SimStepCtx ctx = { .prog = j->p };

	for (int i = 0; i < 3; i++)
		w[i] = sim_step_world_new(j->p);
	for (int run = 0; run < runs; run++) {
		ck_assert(sim_step_init(w[0], j->p, &ctx));
		SimThreadSet r;
		int steps = 0;
		while ((r = sim_step_runnable(w[0])) != 0) {
			pairs_commute(j, w);
			int n = __builtin_popcountll(r);
			int pick = (int)sim_prng_below(g, (uint32_t)n);
			int t = 0;
			for (; t < w[0]->nthreads; t++)
				if ((r >> t & 1) && pick-- == 0)
					break;
			sim_step(w[0], t, &ctx);
			if (ctx.model_error || ++steps > 300)
				break;
		}
	}
	for (int i = 0; i < 3; i++)
		g_free(w[i]);
}

START_TEST(test_independent_commutes)
{
	GPtrArray *models = list_dir("models", ".model");
	SimPrng g;

	sim_prng_seed(&g, 7);
	for (guint m = 0; m < models->len; m++) {
		Job j;
		if (job_load(&j, "scenarios/fault-vs-truncate.scn", "models",
			     models->pdata[m]))
			commute_job(&j, &g, 40);
		job_free(&j);
	}
	g_ptr_array_free(models, TRUE);
}
END_TEST

/* The same claim on every scenario x model pair, including the op-ending
 * steps, whose footprint is the oracles' precise read set (por.c
 * CL_BOUNDARY: no DAX entries, no block contents): both orders must flag
 * the same properties. */
static void commute_pair(const Job *j, const char *path, const char *model,
			 void *g)
{
	(void)path;
	(void)model;
	commute_job(j, g, 8);
}

/* Every state of the full search (up to MAX states), every pair of
 * runnable threads the reduction calls independent: both orders give the
 * same state and flags. */
static void commute_all_states(const Job *j, uint64_t max)
{
	SimWorld *w[3];
	SimStepCtx ctx = { .prog = j->p };
	GArray *todo = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	bool is_new;

	for (int i = 0; i < 3; i++)
		w[i] = sim_step_world_new(j->p);
	ck_assert(sim_step_init(w[0], j->p, &ctx));
	size_t hs = sim_world_hash_size(w[0]);
	SimVisited *v = sim_visited_new(hs, true, 0);
	uint32_t id = sim_visited_add(v, sim_world_state(w[0]), &is_new);
	g_array_append_val(todo, id);
	while (todo->len) {
		id = g_array_index(todo, uint32_t, todo->len - 1);
		g_array_set_size(todo, todo->len - 1);
		memcpy(SIM_W_AT(w[0], w[0]->state), sim_visited_state(v, id),
		       hs);
		SimThreadSet r = sim_step_runnable(w[0]);
		pairs_commute(j, w);
		for (int t = 0; t < w[0]->nthreads; t++) {
			SimStepCtx c = { .prog = j->p };
			if (!(r >> t & 1))
				continue;
			sim_world_copy(w[1], w[0]);
			sim_step(w[1], t, &c);
			if (c.model_error || sim_visited_count(v) >= max)
				continue;
			id = sim_visited_add(v, sim_world_state(w[1]), &is_new);
			if (is_new)
				g_array_append_val(todo, id);
		}
	}
	sim_visited_free(v);
	g_array_free(todo, TRUE);
	for (int i = 0; i < 3; i++)
		g_free(w[i]);
}

static void commute_states_pair(const Job *j, const char *path,
				const char *model, void *arg)
{
	(void)path;
	(void)model;
	(void)arg;
	commute_all_states(j, 20000);
}

/* The commute claim at every state of every library scenario's space
 * (the random walks above reach few of the per-pgoff pairs). */
START_TEST(test_independent_commutes_states)
{
	int pairs = 0;
	const char *dirs[][2] = {
		{ "scenarios", "models" }, { "tests/scenarios", "tests/models" },
		{ "tests/scenarios", "models" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++)
		pairs += for_each_pair(dirs[i][0], dirs[i][1],
				       commute_states_pair, NULL);
	ck_assert_int_ge(pairs, 20);
}
END_TEST

/* Along random walks, the future the reduction computes for a thread
 * covers every step the thread takes later on the walk: the static
 * analysis of pgoffs (parameters, loop variables, calls) and of what is
 * reachable from each frame's pc is checked by execution. */
static void futures_job(const Job *j, SimPrng *g, int runs)
{
	SimWorld *run[302];
	SimStepCtx ctx = { .prog = j->p };

	for (int i = 0; i < 302; i++)
		run[i] = sim_step_world_new(j->p);
	for (int k = 0; k < runs; k++) {
		int n = 0, bj = -1, bt = -1;
		ck_assert(sim_step_init(run[0], j->p, &ctx));
		n = 1;
		SimThreadSet r;
		while ((r = sim_step_runnable(run[n - 1])) != 0 && n < 301) {
			int c = __builtin_popcountll(r);
			int pick = (int)sim_prng_below(g, (uint32_t)c);
			int t = 0;
			for (; t < run[n - 1]->nthreads; t++)
				if ((r >> t & 1) && pick-- == 0)
					break;
			sim_world_copy(run[n], run[n - 1]);
			sim_step(run[n], t, &ctx);
			if (ctx.model_error)
				break;
			n++;
		}
		int bi = sim_por_check_futures(j->p, run, n, &bj, &bt);
		ck_assert_msg(bi < 0, "%s: T%d's future at step %d misses its "
			      "step %d", j->m->name, bt, bi, bj);
	}
	for (int i = 0; i < 302; i++)
		g_free(run[i]);
}

static void futures_pair(const Job *j, const char *path, const char *model,
			 void *g)
{
	(void)path;
	(void)model;
	futures_job(j, g, 6);
}

/* Scenario and model directories the whole-library tests walk. */
static const char *const lib_dirs[][2] = {
	{ "scenarios", "models" }, { "tests/scenarios", "tests/models" },
	{ "tests/scenarios", "models" }, { "tests/bench", "models" },
};

START_TEST(test_futures_cover)
{
	SimPrng g;
	int pairs = 0;

	sim_prng_seed(&g, 13);
	for (size_t i = 0; i < G_N_ELEMENTS(lib_dirs); i++)
		pairs += for_each_pair(lib_dirs[i][0], lib_dirs[i][1],
				       futures_pair, &g);
	ck_assert_int_ge(pairs, 20);
}
END_TEST

START_TEST(test_independent_commutes_all)
{
	SimPrng g;
	int pairs = 0;

	sim_prng_seed(&g, 11);
	for (size_t i = 0; i < G_N_ELEMENTS(lib_dirs); i++)
		pairs += for_each_pair(lib_dirs[i][0], lib_dirs[i][1],
				       commute_pair, &g);
	ck_assert_int_ge(pairs, 20);
}
END_TEST

/* The bench scenario (tests/bench/scale-faults.scn): the reduced search
 * and the full one agree, and the reduction saves transitions. */
START_TEST(test_bench_scale_faults)
{
	Job j;
	SimExploreResult full, red;

	ck_assert(job_load(&j, "tests/bench/scale-faults.scn", "models",
			   "xfs-mmaplock"));
	explore_safety(&j, false, &full);
	explore_safety(&j, true, &red);
	ck_assert(full.complete && red.complete);
	ck_assert_uint_eq(red.found, full.found);
	ck_assert_uint_le(red.states, full.states);
	ck_assert_uint_lt(red.transitions, full.transitions);
	sim_explore_result_clear(&full);
	sim_explore_result_clear(&red);
	job_free(&j);
}
END_TEST

/* ---- counterexamples -------------------------------------------------- */

/* Draw PATH the way explore does. */
static char *draw(const SimProgram *p, const GArray *path, SimPropSet *found)
{
	SimTrace *t = sim_trace_new(p);
	GString *out = g_string_new(NULL);
	SimRun run;

	ck_assert(sim_run_start(&run, p, t));
	sim_run_choices(&run, (const int *)(const void *)path->data,
			(int)path->len, false);
	sim_run_finish(&run);
	sim_trace_diagram(t, out);
	*found = t->found;
	sim_trace_free(t);
	return g_string_free(out, FALSE);
}

START_TEST(test_cex_seed001)
{
	Job j;
	SimExploreResult r;
	SimPropSet found;
	static const int want[] = { 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1,
				    0, 0, 0 };

	ck_assert(job_load(&j, "scenarios/fault-vs-truncate.scn", "models",
			   "boaz-early-unlock"));
	explore(&j, true, &r);
	ck_assert(r.complete);
	ck_assert(r.found >> SIM_PROP_STALE_PTE & 1);
	ck_assert(!(r.found >> SIM_PROP_UNINIT_READ & 1));
	GArray *a = r.cex[SIM_PROP_STALE_PTE];
	ck_assert_int_eq(r.cex_preemptions[SIM_PROP_STALE_PTE], 1);
	ck_assert(r.cex_minimal[SIM_PROP_STALE_PTE]);
	ck_assert_uint_eq(a->len, G_N_ELEMENTS(want));
	ck_assert(memcmp(a->data, want, sizeof(want)) == 0);
	char *d = draw(j.p, a, &found);
	ck_assert(found >> SIM_PROP_STALE_PTE & 1);
	ck_assert_ptr_nonnull(strstr(d, "set_pte(3, B4, 1)"));
	g_free(d);
	sim_explore_result_clear(&r);
	job_free(&j);

	ck_assert(job_load(&j, "scenarios/fault-vs-truncate.scn", "models",
			   "xfs-mmaplock"));
	explore(&j, true, &r);
	ck_assert(r.complete);
	ck_assert_uint_eq(r.found & j.scn->check, 0);
	sim_explore_result_clear(&r);
	job_free(&j);
}
END_TEST

START_TEST(test_cex_abba)
{
	Job j;
	SimExploreResult r;
	SimTrace *t;
	SimRun run;

	ck_assert(job_load(&j, "tests/scenarios/abba.scn", "tests/models",
			   "abba"));
	explore(&j, true, &r);
	ck_assert(r.complete);
	ck_assert(r.found >> SIM_PROP_DEADLOCK & 1);
	ck_assert(r.found >> SIM_PROP_LOCK_ORDER & 1);
	ck_assert_ptr_nonnull(strstr(r.order[0], "circular locking "
				     "dependency detected\n"));
	ck_assert_ptr_nonnull(strstr(r.order[0], "   lock(lock_a);\n"));
	ck_assert_ptr_nonnull(strstr(r.order[0], "   lock(lock_b);\n"));
	ck_assert_ptr_null(r.order[1]);
	GArray *a = r.cex[SIM_PROP_DEADLOCK];
	ck_assert_uint_eq(a->len, 4);
	ck_assert_int_eq(r.cex_preemptions[SIM_PROP_DEADLOCK], 1);
	t = sim_trace_new(j.p);
	ck_assert(sim_run_start(&run, j.p, t));
	sim_run_choices(&run, (const int *)(const void *)a->data,
			(int)a->len, false);
	sim_run_finish(&run);
	ck_assert_int_eq(t->end, SIM_END_STUCK);
	ck_assert_ptr_nonnull(strstr(t->end_note, "T1 waits for lock_a"));
	ck_assert_ptr_nonnull(strstr(t->end_note, "T0 waits for lock_b"));
	sim_trace_free(t);
	sim_explore_result_clear(&r);
	job_free(&j);

	ck_assert(job_load(&j, "tests/scenarios/ab-ordered.scn",
			   "tests/models", "abba"));
	explore(&j, true, &r);
	ck_assert(r.complete);
	ck_assert_uint_eq(r.found, 0);
	sim_explore_result_clear(&r);
	job_free(&j);
}
END_TEST

/* The diagram block of faultline's output: from the column header to
 * the first blank line after it. */
static char *diagram_of(const char *out)
{
	const char *s = strstr(out, "      T0 (P0)");
	ck_assert_ptr_nonnull(s);
	const char *e = strstr(s, "\n\n");
	ck_assert_ptr_nonnull(e);
	return g_strndup(s, (gsize)(e - s));
}

static char *sh(const char *cmd, int *status)
{
	char *out = NULL;

	ck_assert(g_spawn_command_line_sync(cmd, &out, NULL, status, NULL));
	return out;
}

START_TEST(test_replay_trail)
{
	int st1, st2, st3;
	char *trail = g_strdup_printf("%s/faultline-cex-%d.trail",
				      g_get_tmp_dir(), (int)getpid());

	if (!g_file_test("./faultline", G_FILE_TEST_IS_EXECUTABLE)) {
		g_free(trail);
		return;         /* the CLI is not built: nothing to run */
	}
	char *cmd = g_strdup_printf("./faultline explore "
		"scenarios/fault-vs-truncate.scn -m boaz-early-unlock "
		"--trail %s", trail);
	char *a = sh(cmd, &st1), *b = sh(cmd, &st2);
	ck_assert_str_eq(a, b);         /* byte-identical stdout */
	/* exit 1: a checked property was found */
	ck_assert(WIFEXITED(st1) && WEXITSTATUS(st1) == 1);
	char *rcmd = g_strdup_printf("./faultline replay %s", trail);
	char *c = sh(rcmd, &st3);
	char *da = diagram_of(a), *dc = diagram_of(c);
	ck_assert_str_eq(da, dc);
	ck_assert_ptr_nonnull(strstr(c, "verdict: RACE"));
	g_unlink(trail);
	g_free(da);
	g_free(dc);
	g_free(a);
	g_free(b);
	g_free(c);
	g_free(cmd);
	g_free(rcmd);
	g_free(trail);
}
END_TEST

/* ---- bounds ----------------------------------------------------------- */

START_TEST(test_bounds)
{
	static volatile int stop = 1;
	Job j;

	ck_assert(job_load(&j, "scenarios/fault-vs-truncate.scn", "models",
			   "xfs-mmaplock"));
	for (int b = 0; b < 5; b++) {
		static const char *const names[] = { "states-max", "depth-max",
			"time-max", "memory-max", "interrupted" };
		SimExploreOptions o;
		SimExploreResult r;
		sim_explore_options_default(&o);
		if (b == 0)
			o.states_max = 20;
		else if (b == 1)
			o.depth_max = 5;
		else if (b == 2)
			o.time_max = 1e-9;
		else if (b == 3)
			o.memory_max = 1;
		else
			o.interrupted = &stop;
		ck_assert(sim_explore(j.p, &o, &r));
		ck_assert(!r.complete);
		ck_assert_str_eq(r.bound, names[b]);
		if (b == 0)
			ck_assert_uint_le(r.states, 20);
		if (b == 1)
			ck_assert_uint_le(r.depth, 5);
		sim_explore_result_clear(&r);
	}
	job_free(&j);
}
END_TEST

/* ---- random and PCT --------------------------------------------------- */

START_TEST(test_random_pct)
{
	Job j;

	ck_assert(job_load(&j, "scenarios/fault-vs-truncate.scn", "models",
			   "boaz-early-unlock"));
	for (int kind = SIM_SEARCH_RANDOM; kind <= SIM_SEARCH_PCT; kind++) {
		SimExploreOptions o;
		SimExploreResult r1, r2;
		sim_explore_options_default(&o);
		o.kind = kind;
		o.runs = 300;
		o.seed = 5;
		o.pct_depth = 2;
		o.cex_nodes_max = 1;    /* keep the walk's own path */
		ck_assert(sim_explore(j.p, &o, &r1));
		ck_assert(sim_explore(j.p, &o, &r2));
		ck_assert(!r1.complete);
		ck_assert_uint_eq(r1.runs, 300);
		ck_assert(r1.found >> SIM_PROP_STALE_PTE & 1);
		GArray *a = r1.cex[SIM_PROP_STALE_PTE], *b = r2.cex[SIM_PROP_STALE_PTE];
		ck_assert_uint_eq(a->len, b->len);
		ck_assert(memcmp(a->data, b->data, sizeof(int) * a->len) == 0);
		SimPropSet found;
		g_free(draw(j.p, a, &found));
		ck_assert(found >> SIM_PROP_STALE_PTE & 1);
		sim_explore_result_clear(&r1);
		sim_explore_result_clear(&r2);
	}
	job_free(&j);
}
END_TEST

/* ---- livelock ---------------------------------------------------------- */

/* Livelock verdicts with and without reduction, and the counterexample
 * re-runs as a prefix and a cycle that returns to where it started. */
static void livelock_case(const char *scn, const char *dir, const char *model,
			  bool want)
{
	Job j;

	ck_assert(job_load(&j, scn, dir, model));
	for (int por = 0; por <= 1; por++) {
		SimExploreResult r;
		explore(&j, por, &r);
		ck_assert_msg(r.complete, "%s por %d", scn, por);
		ck_assert_msg((r.found >> SIM_PROP_LIVELOCK & 1) == want,
			      "%s -m %s, por %d: livelock %d", scn, model, por,
			      !want);
		if (want) {
			GArray *a = r.cex[SIM_PROP_LIVELOCK];
			SimTrace *t = sim_trace_new(j.p);
			SimRun run;
			ck_assert(r.cycle_from >= 0 &&
				  r.cycle_from < (int)a->len);
			ck_assert(sim_run_start(&run, j.p, t));
			sim_run_cycle(&run, (const int *)(void *)a->data,
				      (int)a->len, r.cycle_from);
			ck_assert_int_eq(t->end, SIM_END_LIVELOCK);
			ck_assert(t->found >> SIM_PROP_LIVELOCK & 1);
			sim_run_finish(&run);
			sim_trace_free(t);
		}
		sim_explore_result_clear(&r);
	}
	job_free(&j);
}

START_TEST(test_livelock)
{
	/* a store retried for ever; a busy wait whose waker sleeps on the
	 * lock the waiter holds */
	livelock_case("tests/scenarios/spin.scn", "tests/models", "spin",
		      true);
	livelock_case("tests/scenarios/spin-held.scn", "tests/models", "spin",
		      true);
	/* T0 starves while T1 completes op after op: the cycle has
	 * progress, but none of T0's */
	livelock_case("tests/scenarios/spin-busy.scn", "tests/models", "spin",
		      true);
	/* near misses: the waker can always run (weak fairness), and
	 * models whose retry loops all end - the DAX models' load-then-store
	 * spun for ever while a hole page's write fault only made its PTE
	 * writable in place; since it goes to ->page_mkwrite it ends */
	livelock_case("tests/scenarios/spin-fair.scn", "tests/models", "spin",
		      false);
	livelock_case("scenarios/load-then-store-hole.scn", "models",
		      "invalidate-lock", false);
	livelock_case("scenarios/load-then-store-hole.scn", "models",
		      "v4.2-dax", false);
	livelock_case("scenarios/load-then-store-hole.scn", "models",
		      "xfs-mmaplock", false);
}
END_TEST

/* --jobs N (par.c) gives what one thread gives, field for field: the
 * figures, the first paths and their minimised form, lockdep's reports
 * with the sites where each edge was first seen (the walk in the
 * one-thread order), the depth; on lockdep cycles, a deadlock and a
 * livelock. */
START_TEST(test_jobs_same_result)
{
	static const struct { const char *scn, *dir, *model; } c[] = {
		{ "scenarios/iomap-begin-vs-entry-lock.scn", "models",
		  "dax-entry-lock" },
		{ "scenarios/write-from-own-mmap.scn", "models",
		  "vfs-range-lock-syscall" },
		{ "tests/scenarios/spin-held.scn", "tests/models", "spin" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
		Job j;
		SimExploreResult r[2];
		ck_assert(job_load(&j, c[i].scn, c[i].dir, c[i].model));
		for (int k = 0; k < 2; k++) {
			SimExploreOptions o;
			sim_explore_options_default(&o);
			o.jobs = 1 + k;
			ck_assert(sim_explore(j.p, &o, &r[k]));
			ck_assert(!r[k].por && r[k].complete);
		}
		ck_assert_msg(r[0].found && r[0].found == r[1].found, "%s",
			      c[i].scn);
		ck_assert_uint_eq(r[0].states, r[1].states);
		ck_assert_uint_eq(r[0].transitions, r[1].transitions);
		ck_assert_uint_eq(r[0].depth, r[1].depth);
		ck_assert_int_eq(r[0].cycle_from, r[1].cycle_from);
		for (int p = 0; p < SIM_PROP_COUNT; p++) {
			const GArray *a = r[0].cex[p], *b = r[1].cex[p];
			ck_assert(!a == !b);
			ck_assert(!a || (a->len == b->len && memcmp(a->data,
				  b->data, a->len * sizeof(int)) == 0));
		}
		for (int k = 0; k < 2; k++)
			ck_assert_str_eq(r[0].order[k] ? r[0].order[k] : "",
					 r[1].order[k] ? r[1].order[k] : "");
		sim_explore_result_clear(&r[0]);
		sim_explore_result_clear(&r[1]);
		job_free(&j);
	}
}
END_TEST

/* Graph of two threads: the root steps T0 to state A and T1 to state
 * B, each a fair self-loop of both threads (a livelock of T0, reached
 * at equal cost).  A first lists T0's edge and numbers A 1; the other
 * lists T1's first and numbers A 2, as par.c's workers may. */
static void two_loops(SimGraph *g, bool swap)
{
	uint32_t a = swap ? 2 : 1, b = swap ? 1 : 2;
	SimEdge e[] = { { 0, a, 0, 0, 0 }, { 0, b, 1, 0, 0 },
			{ a, a, 0, 0, 0 }, { a, a, 1, 0, 0 },
			{ b, b, 0, 0, 0 }, { b, b, 1, 0, 0 } };
	SimThreadSet both = 3;

	sim_graph_init(g);
	for (int i = 0; i < 6; i++)
		g_array_append_val(g->edges, e[swap ? 5 - i : i]);
	for (int i = 0; i < 3; i++) {
		g_array_append_val(g->enabled, both);
		g_array_append_val(g->live, both);
	}
}

/* The livelock drawn depends on the graph, not on how the search
 * numbered its states or in which order it took the threads (--jobs,
 * --order-seed): the same path either way. */
START_TEST(test_livelock_order_free)
{
	Job j;
	SimExploreResult r[2];

	ck_assert(job_load(&j, "tests/scenarios/spin-held.scn", "tests/models",
			   "spin"));
	for (int swap = 0; swap <= 1; swap++) {
		SimGraph g;
		SimCsr c;
		SimSearch s = { .p = j.p, .r = &r[swap] };
		memset(&r[swap], 0, sizeof(r[swap]));
		two_loops(&g, swap);
		sim_csr_init(&c, &g);
		sim_livelock_check(&s, &c, NULL);
		sim_csr_free(&c);
		sim_graph_free(&g);
		ck_assert(r[swap].found >> SIM_PROP_LIVELOCK & 1);
	}
	GArray *a = r[0].cex[SIM_PROP_LIVELOCK], *b = r[1].cex[SIM_PROP_LIVELOCK];
	ck_assert_int_eq(r[0].cycle_from, r[1].cycle_from);
	ck_assert_int_eq(a->len, b->len);
	ck_assert(memcmp(a->data, b->data, a->len * sizeof(int)) == 0);
	sim_explore_result_clear(&r[0]);
	sim_explore_result_clear(&r[1]);
	job_free(&j);
}
END_TEST

/* A depth-first search of the unreduced graph for a state met again
 * while on the stack. */
static bool has_cycle(const SimProgram *p, SimVisited *v, uint8_t *onstack,
		      const SimWorld *w, size_t hs)
{
	bool is_new;
	uint32_t id = sim_visited_add(v, sim_world_state(w), &is_new);
	SimStepCtx ctx = { .prog = p };
	bool found = false;

	if (!is_new)
		return onstack[id];
	onstack[id] = 1;
	SimWorld *c = sim_world_dup(w);
	SimThreadSet run = sim_step_runnable(w);
	for (int t = 0; run >> t && !found; t++) {
		if (!(run >> t & 1))
			continue;
		sim_world_copy(c, w);
		sim_step(c, t, &ctx);
		found = !ctx.model_error && has_cycle(p, v, onstack, c, hs);
	}
	g_free(c);
	onstack[id] = 0;
	(void)hs;
	return found;
}

/* The search skips the unreduced pass when the program cannot cycle
 * (no backward jump over a primitive or call but for loops): check that
 * claim by search on every library pair it covers. */
static void acyclic_pair(const Job *j, const char *path, const char *model,
			 void *arg)
{
	int *n = arg;

	if (sim_livelock_may_cycle(j->p))
		return;
	SimWorld *w = sim_step_world_new(j->p);
	SimStepCtx ctx = { .prog = j->p };
	ck_assert(sim_step_init(w, j->p, &ctx));
	size_t hs = sim_world_hash_size(w);
	SimVisited *v = sim_visited_new(hs, true, 0);
	uint8_t *onstack = g_malloc0(1u << 20);
	ck_assert_msg(!has_cycle(j->p, v, onstack, w, hs),
		      "%s -m %s: a cycle, though may_cycle says none", path,
		      model);
	ck_assert(sim_visited_count(v) < (1u << 20));
	g_free(onstack);
	sim_visited_free(v);
	g_free(w);
	(*n)++;
}

START_TEST(test_livelock_acyclic)
{
	int n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(lib_dirs); i++)
		if (strcmp(lib_dirs[i][0], "tests/bench") != 0)
			for_each_pair(lib_dirs[i][0], lib_dirs[i][1],
				      acyclic_pair, &n);
	/* the test models without retry loops (every library model has
	 * one: they all take the unreduced pass) */
	ck_assert_int_ge(n, 4);
}
END_TEST

/* Every property a counterexample's run reaches is found: the runs
 * drawn flag nothing the result lacks (random walks, seed 7 drew
 * stale-pte under write-to-freed and called stale-pte incomplete). */
START_TEST(test_walk_sees)
{
	Job j;

	ck_assert(job_load(&j, "scenarios/fault-vs-truncate.scn", "models",
			   "boaz-early-unlock"));
	for (uint64_t seed = 1; seed <= 8; seed++) {
		SimExploreOptions o;
		SimExploreResult r;
		sim_explore_options_default(&o);
		o.kind = SIM_SEARCH_RANDOM;
		o.runs = 100;
		o.seed = seed;
		ck_assert(sim_explore(j.p, &o, &r));
		for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
			SimPropSet found;
			if (!r.cex[prop])
				continue;
			g_free(draw(j.p, r.cex[prop], &found));
			ck_assert_msg(!(found & ~r.found), "seed %d: the run "
				      "for %s reaches 0x%x, found 0x%x",
				      (int)seed, sim_prop_name(prop), found,
				      r.found);
		}
		sim_explore_result_clear(&r);
	}
	job_free(&j);
}
END_TEST

Suite *explore_suite(void)
{
	Suite *s = suite_create("explore");
	TCase *tc;

	tc = tcase_create("prng");
	tcase_add_test(tc, test_prng_pinned);
	tcase_add_test(tc, test_prng_reference);
	suite_add_tcase(s, tc);
	tc = tcase_create("visited");
	tcase_set_timeout(tc, 60);      /* 200k inserts: slow on a loaded
					 * machine, not wrong */
	tcase_add_test(tc, test_visited_hash_is_xxh3);
	tcase_add_test(tc, test_visited_growth);
	tcase_add_test(tc, test_fpset_shared);
	suite_add_tcase(s, tc);
	tc = tcase_create("counts");
	tcase_add_test(tc, test_counts_independent);
	tcase_add_test(tc, test_counts_readers);
	tcase_add_test(tc, test_counts_unwatched);
	tcase_add_test(tc, test_trace_counts);
	tcase_add_test(tc, test_pte_install_seen);
	tcase_add_test(tc, test_boundary_reads_own_maps);
	suite_add_tcase(s, tc);
	tc = tcase_create("sound");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_por_same_verdicts);
	tcase_add_test(tc, test_independent_commutes);
	tcase_add_test(tc, test_independent_commutes_all);
	tcase_add_test(tc, test_futures_cover);
	tcase_add_test(tc, test_independent_commutes_states);
	tcase_add_test(tc, test_bench_scale_faults);
	suite_add_tcase(s, tc);
	tc = tcase_create("cex");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cex_seed001);
	tcase_add_test(tc, test_cex_abba);
	tcase_add_test(tc, test_replay_trail);
	suite_add_tcase(s, tc);
	tc = tcase_create("bounds");
	tcase_add_test(tc, test_bounds);
	suite_add_tcase(s, tc);
	tc = tcase_create("random");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random_pct);
	tcase_add_test(tc, test_walk_sees);
	suite_add_tcase(s, tc);
	tc = tcase_create("livelock");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_livelock);
	tcase_add_test(tc, test_livelock_acyclic);
	tcase_add_test(tc, test_livelock_order_free);
	tcase_add_test(tc, test_jobs_same_result);
	suite_add_tcase(s, tc);
	return s;
}
