/*
 * cmd_perf.c - `faultline perf`: a scenario's workload run by des.h on
 * simulated time under one model (-m) or each applicable one
 * (--all-models), once per CPU count of --cpus and per factor of
 * --widen; the tables, the Universal Scalability Law fit and the race
 * rates come from report_perf.c.
 *
 * --widen F multiplies the service time of every primitive that is not a
 * lock primitive (the work between a scheme's lock operations: block
 * lookup and allocation, zeroing, PTE install, zap, flush, the user
 * access) by F, leaving locks, lock-word transfers, sleeps and wake-ups
 * as they are.  A race window is such work between two steps that a
 * lock does not keep apart, so its length scales with F while the
 * think time between ops does not: the races per million ops at F = 1
 * are what a test suite at realistic timing would hit, and how fast they
 * grow with F is how narrow the window is.  "no locking" (the single-CPU
 * cost column) is the same 1-CPU run with every lock primitive free.
 *
 * stdout is a function of the inputs only: the same command prints the
 * same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "cli.h"
#include "des.h"
#include "parse.h"
#include "report_perf.h"

#define PERF_COSTS_DEFAULT "dram-2015"
#define PERF_CPUS_MAX 64        /* the world's hard ceiling on threads */
#define PERF_WIDEN_MAX 1000     /* whole factors, so that cost counts
				 * stay within the cost file's 1e9 */
#define SEED_UNSET INT64_MIN   /* --seed not given: the workload's */

typedef struct {
	char **models;          /* -m, as given: one at most */
	const char *model;
	gboolean all_models;
	gboolean list_costs;
	char *cpus_arg;
	char *costs_arg;
	char *widen_arg;
	char *json;
	char *csv;
	gint64 seed;
	gint64 ops;
	gboolean races;
	gint64 episodes;
	const char *scenario;
	int cpus[PERF_CPUS_MAX];
	int ncpus;
	int widen[SIM_PERF_WIDEN_MAX];
	int nwiden;
	volatile int *interrupted;      /* SIGINT / SIGTERM came */
} Args;

/* ---- options ------------------------------------------------------------ */

/* "A,B,C" into OUT (at most MAX), each an integer in [LO, HI], strictly
 * ascending; FALSE after printing the usage error for OPT. */
static bool parse_list(const char *opt, const char *arg, int lo, int hi,
		       int *out, int max, int *n)
{
	char **items = g_strsplit(arg, ",", -1);
	bool ok = items[0] != NULL;

	*n = 0;
	for (int i = 0; ok && items[i]; i++) {
		char *end;
		gint64 v = g_ascii_strtoll(items[i], &end, 10);
		ok = *items[i] && !*end && v >= lo && v <= hi && *n < max &&
		     (*n == 0 || v > out[*n - 1]);
		if (ok)
			out[(*n)++] = (int)v;
	}
	g_strfreev(items);
	if (!ok)
		sim_cli_usage("perf", "%s takes whole numbers from %d to %d, "
			      "ascending, comma-separated (at most %d): '%s'",
			      opt, lo, hi, max, arg);
	return ok;
}

static bool check_args(Args *a, int argc)
{
	a->model = a->models ? a->models[0] : NULL;
	if (a->races && (argc < 2 || a->all_models || a->json || a->csv ||
			 a->cpus_arg || a->ops || (a->model && a->models[1])))
		return sim_cli_usage("perf", "--races takes scenarios or "
				     "directories, at most one -m MODEL (else "
				     "every model), no --all-models, --cpus, "
				     "--ops, --json or --csv") && false;
	if (!a->races && a->episodes)
		return sim_cli_usage("perf", "--episodes goes with --races") &&
		       false;
	if (a->episodes < 0)
		return sim_cli_usage("perf", "--episodes takes a positive "
				     "number") && false;
	if (a->list_costs)
		return sim_cli_usage("perf", "--list-costs stands alone") &&
		       false;
	if (a->races)
		return parse_list("--widen", a->widen_arg ? a->widen_arg :
				  "1,4,16", 1, PERF_WIDEN_MAX, a->widen,
				  SIM_PERF_WIDEN_MAX, &a->nwiden);
	if (argc != 2 || (!a->model == !a->all_models) ||
	    (a->model && a->models[1]))
		return sim_cli_usage("perf", "needs one SCENARIO and either "
				     "one -m MODEL or --all-models") && false;
	if (!parse_list("--cpus", a->cpus_arg ? a->cpus_arg : "1,2,4", 1,
			PERF_CPUS_MAX, a->cpus, PERF_CPUS_MAX, &a->ncpus) ||
	    !parse_list("--widen", a->widen_arg ? a->widen_arg : "1", 1,
			PERF_WIDEN_MAX, a->widen, SIM_PERF_WIDEN_MAX, &a->nwiden))
		return false;
	if ((a->seed < 0 && a->seed != SEED_UNSET) || a->ops < 0)
		return sim_cli_usage("perf", "--seed and --ops take "
				     "non-negative numbers") && false;
	return true;
}

/* The command line, normalised: the first line of the output. */
static void print_command(const Args *a, GString *out)
{
	g_string_append_printf(out, "faultline perf %s", a->scenario);
	if (a->all_models)
		g_string_append(out, " --all-models");
	else
		g_string_append_printf(out, " -m %s", a->model);
	g_string_append(out, " --cpus ");
	for (int i = 0; i < a->ncpus; i++)
		g_string_append_printf(out, "%s%d", i ? "," : "", a->cpus[i]);
	if (a->nwiden > 1 || a->widen[0] != 1) {
		g_string_append(out, " --widen ");
		for (int i = 0; i < a->nwiden; i++)
			g_string_append_printf(out, "%s%d", i ? "," : "",
					       a->widen[i]);
	}
	g_string_append_printf(out, " --costs %s", a->costs_arg ?
			       a->costs_arg : PERF_COSTS_DEFAULT);
	if (a->seed != SEED_UNSET)
		g_string_append_printf(out, " --seed %" G_GINT64_FORMAT,
				       a->seed);
	if (a->ops)
		g_string_append_printf(out, " --ops %" G_GINT64_FORMAT, a->ops);
	g_string_append_c(out, '\n');
}

/* ---- cost models -------------------------------------------------------- */

/* The cost models' search path: costs/ in each directory of the model
 * search path, in its order. */
static char *costs_search_path(SimCli *cli)
{
	char **dirs = g_strsplit(cli->models_path, G_SEARCHPATH_SEPARATOR_S, -1);
	GString *s = g_string_new(NULL);

	for (int i = 0; dirs[i]; i++)
		g_string_append_printf(s, "%s%s/costs", i ?
				       G_SEARCHPATH_SEPARATOR_S : "", dirs[i]);
	g_strfreev(dirs);
	return g_string_free(s, FALSE);
}

/* The cost file ARG names: a path, or the first NAME.cost along the
 * costs search path (the last directory's, for the error, when none). */
static char *costs_path(SimCli *cli, const char *arg)
{
	char *search, **dirs, *path = NULL;

	if (strchr(arg, '/') || g_str_has_suffix(arg, ".cost"))
		return g_strdup(arg);
	search = costs_search_path(cli);
	dirs = g_strsplit(search, G_SEARCHPATH_SEPARATOR_S, -1);
	for (int i = 0; dirs[i]; i++) {
		g_free(path);
		path = g_strdup_printf("%s/%s.cost", dirs[i], arg);
		if (g_file_test(path, G_FILE_TEST_EXISTS))
			break;
	}
	g_strfreev(dirs);
	g_free(search);
	return path;
}

/* --list-costs: each cost model along the search path, with its summary
 * (for the bash completion, and for a person). */
static int list_costs(SimCli *cli)
{
	char *search = costs_search_path(cli);
	GError *error = NULL;
	GPtrArray *names = sim_cli_names(search, ".cost", &error);
	int rc = SIM_EXIT_OK;

	g_free(search);
	if (!names)
		return sim_cli_fail(error);
	for (guint i = 0; i < names->len && rc == SIM_EXIT_OK; i++) {
		char *path = costs_path(cli, names->pdata[i]);
		SimCosts *c = sim_costs_load(path, NULL, &error);
		if (c)
			printf("%-16s %s\n", (char *)names->pdata[i],
			       sim_costs_summary(c) ? sim_costs_summary(c) : "");
		else
			rc = sim_cli_fail(error);
		sim_costs_free(c);
		g_free(path);
	}
	g_ptr_array_free(names, TRUE);
	return rc;
}

/* The cost models a sweep needs: one per widen factor, and the lock-free
 * one for "no locking". */
typedef struct {
	SimCosts *widen[SIM_PERF_WIDEN_MAX];
	SimCosts *lockfree;
	SimCosts *base;         /* as loaded: its name and summary, and
				 * where race scenarios' threads start
				 * (des.h, offset_costs) */
} Costs;

static void costs_clear(Costs *c)
{
	for (int i = 0; i < SIM_PERF_WIDEN_MAX; i++)
		sim_costs_free(c->widen[i]);
	sim_costs_free(c->lockfree);
	sim_costs_free(c->base);
}

static bool costs_load(SimCli *cli, const Args *a, Costs *c, GError **error)
{
	char *path = costs_path(cli, a->costs_arg ? a->costs_arg :
				PERF_COSTS_DEFAULT);
	SimCosts *base;
	bool ok;

	memset(c, 0, sizeof(*c));
	base = sim_costs_load(path, NULL, error);
	ok = base != NULL;
	for (int i = 0; ok && i < a->nwiden; i++)
		c->widen[i] = sim_costs_widened(base, (uint32_t)a->widen[i],
						false);
	if (ok)
		c->lockfree = sim_costs_widened(base, 1, true);
	c->base = base;
	g_free(path);
	return ok;
}

/* ---- runs --------------------------------------------------------------- */

/* One timed run; FALSE after printing why (a model error or bad input). */
static bool run_one(const Args *a, const SimModel *m, const SimScenario *scn,
		    const SimCosts *costs, int cpus, SimDesResult *r)
{
	SimDesConfig cfg = {
		.costs = costs, .cpus = cpus, .seed_set = a->seed != SEED_UNSET,
		.seed = (uint64_t)a->seed, .ops = (uint64_t)a->ops,
		.interrupted = a->interrupted,
	};
	GError *error = NULL;
	char *missing = NULL;
	SimDesStatus st = sim_des_run(m, scn, &cfg, r, &missing, &error);

	g_free(missing);
	if (st == SIM_DES_ERROR) {
		sim_cli_fail(error);
		return false;
	}
	if (r->model_error) {
		fprintf(stderr, "faultline: %s", r->model_error);
		return false;
	}
	return true;
}

/* M under every CPU count and widen factor into PM; the exit code. */
static int perf_model(const Args *a, const SimPerf *p, const Costs *c,
		      const SimModel *m, SimPerfModel *pm)
{
	SimDesResult nolock;

	pm->runs = g_new0(SimPerfRun, a->ncpus * a->nwiden);
	for (int w = 0; w < a->nwiden && !*a->interrupted; w++)
		for (int i = 0; i < a->ncpus && !*a->interrupted; i++) {
			SimPerfRun *r = &pm->runs[pm->nruns++];
			r->cpus = a->cpus[i];
			r->widen = a->widen[w];
			if (!run_one(a, m, p->scn, c->widen[w], r->cpus, &r->r))
				return SIM_EXIT_USAGE;
		}
	sim_perf_model_fit(p, pm);
	if (a->cpus[0] != 1 || *a->interrupted)
		return SIM_EXIT_OK;
	bool ok = run_one(a, m, p->scn, c->lockfree, 1, &nolock);
	pm->nolock_ns = sim_perf_mean_ns(&nolock);
	sim_des_result_clear(&nolock);
	return ok ? SIM_EXIT_OK : SIM_EXIT_USAGE;
}

/* The model NAME (MODEL, when given as -m), n/a with the reason, or
 * measured; the exit code. */
static int one_model(SimCli *cli, const Args *a, const SimPerf *p,
		     const Costs *c, const char *name, SimPerfModel *pm)
{
	GError *error = NULL;
	SimModel *m = a->all_models ?
		sim_parse_model_load(cli->models_path, name, &error) :
		sim_cli_load_model(cli, name, &error);
	SimProgram *prog = NULL;
	int rc = SIM_EXIT_OK;

	pm->model = m;
	pm->name = g_strdup(m ? m->name : name);
	if (!m)
		return sim_cli_fail(error);
	pm->summary = g_strdup(m->summary);
	if (!(prog = sim_cli_link(m, p->scn, &pm->why, &error)) && !pm->why)
		rc = sim_cli_fail(error);
	else if (!pm->why)
		rc = perf_model(a, p, c, m, pm);
	if (pm->why && !a->all_models) {
		fprintf(stderr, "faultline: %s: model '%s' is n/a: %s\n",
			p->scenario, name, pm->why);
		rc = SIM_EXIT_USAGE;
	}
	sim_program_free(prog);
	return rc;
}

static void perf_clear(SimPerf *p)
{
	for (int i = 0; i < p->nmodels; i++) {
		SimPerfModel *m = &p->models[i];
		for (int k = 0; k < m->nruns; k++)
			sim_des_result_clear(&m->runs[k].r);
		g_free(m->runs);
		sim_model_free(m->model);
		g_free(m->name);
		g_free(m->summary);
		g_free(m->why);
	}
	g_free(p->models);
}

static int perf(SimCli *cli, const Args *a, SimScenario *scn, GString *out)
{
	GError *error = NULL;
	GPtrArray *names = NULL;
	Costs c;
	SimPerf p = {
		.scn = scn, .scenario = a->scenario, .cpus = a->cpus,
		.ncpus = a->ncpus, .widen = a->widen, .nwiden = a->nwiden,
	};
	int rc = SIM_EXIT_OK;

	if (!costs_load(cli, a, &c, &error)) {
		costs_clear(&c);
		return sim_cli_fail(error);
	}
	p.costs = sim_costs_name(c.base);
	if (a->all_models && !(names = sim_cli_model_names(cli->models_path,
							   &error))) {
		costs_clear(&c);
		return sim_cli_fail(error);
	}
	int n = names ? (int)names->len : 1;
	p.models = g_new0(SimPerfModel, n);
	for (int i = 0; i < n && rc != SIM_EXIT_USAGE && !*a->interrupted;
	     i++, p.nmodels++)
		rc = one_model(cli, a, &p, &c, names ? names->pdata[i] :
			       a->model, &p.models[i]);
	for (int i = 0; i < p.nmodels && !p.seed; i++)
		if (p.models[i].nruns)
			p.seed = p.models[i].runs[0].r.seed;
	if (rc != SIM_EXIT_USAGE) {
		g_string_append_printf(out, "costs %s: %s; seed %" G_GUINT64_FORMAT
				       "\n\n", p.costs, sim_costs_summary(c.base) ?
				       sim_costs_summary(c.base) : "", p.seed);
		sim_perf_text(&p, out);
		if (*a->interrupted)    /* as explore says it */
			g_string_append(out, "incomplete (interrupted)\n");
		if (sim_perf_violations(&p))
			rc = SIM_EXIT_VIOLATION;
		else if (*a->interrupted)
			rc = SIM_EXIT_INCOMPLETE;
	}
	GString *doc = g_string_new(NULL);
	if (rc != SIM_EXIT_USAGE && a->json) {
		sim_perf_json(&p, doc);
		if (!sim_cli_write_file(a->json, doc->str, &error))
			rc = sim_cli_fail(error);
	}
	g_string_truncate(doc, 0);
	if (rc != SIM_EXIT_USAGE && a->csv) {
		sim_perf_csv(&p, doc);
		if (!sim_cli_write_file(a->csv, doc->str, &error))
			rc = sim_cli_fail(error);
	}
	g_string_free(doc, TRUE);
	perf_clear(&p);
	if (names)
		g_ptr_array_free(names, TRUE);
	costs_clear(&c);
	return rc;
}

/* ---- race rates --------------------------------------------------------- */

/* Cell C: M on SCN explored (the verdict: check's and matrix's cell,
 * sim_cli_run_cell) and run in timed episodes at every widen factor (the
 * rates).  FALSE after printing a link or model error; TRUE with
 * *APPLIES false when M lacks an op SCN calls (no cell). */
static bool race_cell(const Args *a, const Costs *c, const SimModel *m,
		      const SimScenario *scn, bool *applies, SimRaceCell *cell)
{
	SimCell v;
	bool ok;

	sim_cli_run_cell(m, scn, NULL, a->interrupted, false, &v);
	ok = !v.error;
	if (!ok)        /* a broken model's message ends in a newline */
		fprintf(stderr, "faultline: %s%s", v.error_msg,
			g_str_has_suffix(v.error_msg, "\n") ? "" : "\n");
	*applies = !v.na;
	*cell = (SimRaceCell){
		.race = scn->race ? scn->race : scn->name, .model = m->name,
		.check = scn->check, .found = v.found, .complete = v.complete,
		.nwiden = a->nwiden };
	sim_cli_cell_clear(&v);
	for (int w = 0; ok && *applies && w < a->nwiden && !*a->interrupted;
	     w++) {
		SimDesConfig cfg = {
			.costs = c->widen[w], .offset_costs = c->base,
			.seed_set = a->seed != SEED_UNSET,
			.seed = (uint64_t)a->seed,
			.episodes = (uint64_t)a->episodes,
			.interrupted = a->interrupted,
		};
		SimDesResult d;
		GError *error = NULL;
		char *missing = NULL;
		if (sim_des_run(m, scn, &cfg, &d, &missing, &error) ==
		    SIM_DES_ERROR)
			ok = sim_cli_fail(error) && false;
		else if (d.model_error)
			ok = fprintf(stderr, "faultline: %s", d.model_error) &&
			     false;
		cell->ops[w] = d.ops;
		cell->episodes[w] = d.episodes;
		for (int i = 0; i < d.nviolations; i++)
			cell->count[w][d.violations[i].prop] = d.violations[i].count;
		sim_des_result_clear(&d);
		g_free(missing);
	}
	return ok;
}

/* --races: every race scenario of the paths under -m MODEL or each
 * model; the exit code. */
static int perf_races(SimCli *cli, const Args *a, char **paths, int npaths,
		      GString *out)
{
	GError *error = NULL;
	GPtrArray *files = sim_cli_scenario_files(paths, npaths, &error);
	GPtrArray *names = files && !a->model ?
		sim_cli_model_names(cli->models_path, &error) : NULL;
	GPtrArray *models = g_ptr_array_new_with_free_func(
		(GDestroyNotify)sim_model_free);
	GArray *cells = g_array_new(FALSE, FALSE, sizeof(SimRaceCell));
	Costs c = { 0 };
	int rc = SIM_EXIT_OK;

	if (!files || (!a->model && !names) || !costs_load(cli, a, &c, &error))
		rc = sim_cli_fail(error);
	for (guint i = 0; rc == SIM_EXIT_OK && i < (names ? names->len : 1);
	     i++) {
		SimModel *m = names ?
			sim_parse_model_load(cli->models_path, names->pdata[i],
					     &error) :
			sim_cli_load_model(cli, a->model, &error);
		if (!m)
			rc = sim_cli_fail(error);
		else if (m->abstract)
			sim_model_free(m);
		else
			g_ptr_array_add(models, m);
	}
	if (rc == SIM_EXIT_OK)
		g_string_append_printf(out, "costs %s: %s; timed episodes: "
				       "each thread's body once, the threads "
				       "starting within the longest body's solo "
				       "run\n\n", sim_costs_name(c.base),
				       sim_costs_summary(c.base) ?
				       sim_costs_summary(c.base) : "");
	GPtrArray *scns = g_ptr_array_new_with_free_func(
		(GDestroyNotify)sim_scenario_free);
	for (guint f = 0; rc == SIM_EXIT_OK && files && f < files->len &&
	     !*a->interrupted; f++) {
		SimScenario *scn = sim_cli_load_scenario(cli, files->pdata[f],
							 &error);
		if (!scn) {
			rc = sim_cli_fail(error);
			break;
		}
		g_ptr_array_add(scns, scn);
		for (guint i = 0; scn->nthreads && i < models->len &&
		     rc == SIM_EXIT_OK && !*a->interrupted; i++) {
			SimRaceCell cell;
			bool applies;
			if (!race_cell(a, &c, models->pdata[i], scn, &applies,
				       &cell))
				rc = SIM_EXIT_USAGE;
			else if (applies)
				g_array_append_val(cells, cell);
		}
	}
	if (rc == SIM_EXIT_OK &&
	    sim_perf_races_text((SimRaceCell *)(void *)cells->data,
				(int)cells->len, a->widen, a->nwiden, out))
		rc = SIM_EXIT_VIOLATION;
	if (rc != SIM_EXIT_USAGE && *a->interrupted) {
		g_string_append(out, "incomplete (interrupted)\n");
		rc = rc == SIM_EXIT_VIOLATION ? rc : SIM_EXIT_INCOMPLETE;
	}
	g_ptr_array_free(scns, TRUE);
	g_array_free(cells, TRUE);
	g_ptr_array_free(models, TRUE);
	if (names)
		g_ptr_array_free(names, TRUE);
	if (files)
		g_ptr_array_free(files, TRUE);
	costs_clear(&c);
	return rc;
}

int sim_cmd_perf(SimCli *cli, int argc, char **argv)
{
	Args a = { .seed = SEED_UNSET };
	GOptionEntry options[] = {
		{ "model", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &a.models,
		  "the model (models/NAME.model)", "NAME" },
		{ "all-models", 0, 0, G_OPTION_ARG_NONE, &a.all_models,
		  "every applicable model in the models directory", NULL },
		{ "cpus", 0, 0, G_OPTION_ARG_STRING, &a.cpus_arg,
		  "CPU counts, ascending (default 1,2,4)", "N,N,..." },
		{ "costs", 0, 0, G_OPTION_ARG_FILENAME, &a.costs_arg,
		  "the cost model: models/costs/NAME.cost or a file "
		  "(default " PERF_COSTS_DEFAULT ")", "NAME|FILE" },
		{ "widen", 0, 0, G_OPTION_ARG_STRING, &a.widen_arg,
		  "also run with every non-lock primitive F times slower "
		  "(default 1)", "F,F,..." },
		{ "seed", 0, 0, G_OPTION_ARG_INT64, &a.seed,
		  "seed of the draws (default: the workload's)", "S" },
		{ "ops", 0, 0, G_OPTION_ARG_INT64, &a.ops,
		  "end each run after N ops (default: the workload's end)",
		  "N" },
		{ "races", 0, 0, G_OPTION_ARG_NONE, &a.races,
		  "race rates: each race scenario of the paths (files or "
		  "directories) explored and run in timed episodes", NULL },
		{ "episodes", 0, 0, G_OPTION_ARG_INT64, &a.episodes,
		  "with --races: episodes per cell and widen factor "
		  "(default 10000)", "N" },
		{ "list-costs", 0, 0, G_OPTION_ARG_NONE, &a.list_costs,
		  "list the cost models and exit", NULL },
		{ "json", 0, 0, G_OPTION_ARG_FILENAME, &a.json,
		  "also write the results as JSON", "FILE" },
		{ "csv", 0, 0, G_OPTION_ARG_FILENAME, &a.csv,
		  "also write the results as CSV", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GString *out = g_string_new(NULL);
	GError *error = NULL;
	SimScenario *scn = NULL;
	int rc = SIM_EXIT_USAGE;

	if (!sim_cli_parse_options("perf", "SCENARIO", options, &argc, &argv))
		goto out;
	if (a.list_costs && argc == 1) {
		rc = list_costs(cli);
		goto out;
	}
	if (!check_args(&a, argc) || !sim_cli_outputs("perf", a.json, a.csv))
		goto out;
	a.scenario = argv[1];
	a.interrupted = cli->interrupted;
	if (a.races) {
		g_string_append(out, "faultline perf --races\n");
		rc = perf_races(cli, &a, argv + 1, argc - 1, out);
		if (rc != SIM_EXIT_USAGE)
			fputs(out->str, stdout);
		goto out;
	}
	if (!(scn = sim_cli_load_scenario(cli, a.scenario, &error))) {
		rc = sim_cli_fail(error);
		goto out;
	}
	if (!scn->workload) {
		fprintf(stderr, "faultline: %s: no workload block: `faultline "
			"perf` runs a scenario's workload (README \"faultline "
			"perf\")\n", a.scenario);
		goto out;
	}
	print_command(&a, out);
	sim_cli_scenario_line(scn, out);
	rc = perf(cli, &a, scn, out);
	if (rc != SIM_EXIT_USAGE)
		fputs(out->str, stdout);
out:
	sim_scenario_free(scn);
	g_string_free(out, TRUE);
	g_strfreev(a.models);
	g_free(a.cpus_arg);
	g_free(a.costs_arg);
	g_free(a.widen_arg);
	g_free(a.json);
	g_free(a.csv);
	return rc;
}
