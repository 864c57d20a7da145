/*
 * cmd_check.c - `faultline check` (the regression judge) and `faultline
 * matrix` (every scenario x model verdict), both over scenario files and
 * directories.
 *
 * Both run the exhaustive search (explore.h) for each pair; check compares
 * with the scenario's `expect` lines, matrix reports every pair whether or
 * not an expectation is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "explore.h"
#include "lockdep.h"
#include "parse.h"
#include "pool.h"
#include "report_ci.h"
#include "run.h"
#include "trace.h"

void sim_cli_cell_clear(SimCell *c)
{
	g_free(c->error_msg);
	g_free(c->diagram);
	g_free(c->trail);
	g_free(c->runs);
}

/* The models to judge: ONLY (each a name or a model file; abstract is
 * an error), or every concrete model on the path, sorted; loaded. */
static GPtrArray *select_models(SimCli *cli, char **only, GError **error)
{
	GPtrArray *models = g_ptr_array_new_with_free_func(
		(GDestroyNotify)sim_model_free);
	GPtrArray *names = only ? NULL :
			   sim_cli_model_names(cli->models_path, error);
	guint n = only ? g_strv_length(only) : names ? names->len : 0;
	bool ok = only || names;

	for (guint i = 0; ok && i < n; i++) {
		const char *name = only ? only[i] : names->pdata[i];
		SimModel *m = sim_cli_load_model(cli, name, error);
		if (m && m->abstract && only)
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
				    "%s: model '%s' is abstract: it is a base "
				    "for others and cannot run alone", m->file,
				    m->name);
		ok = m && !(m->abstract && only);
		if (m && m->abstract)
			sim_model_free(m);
		else if (m)
			g_ptr_array_add(models, m);
	}
	if (names)
		g_ptr_array_free(names, TRUE);
	if (!ok)
		g_clear_pointer(&models, g_ptr_array_unref);
	return models;
}

static bool cell_matches(const SimCell *c, const SimExpect *e);
static void draw_failure(const SimProgram *p, const SimExploreResult *r,
			 const SimExpect *e, SimCell *c);
static char *cell_runs(const SimProgram *p, const SimExploreResult *r);

void sim_cli_run_cell(const SimModel *m, const SimScenario *s,
		      const SimExpect *e, volatile int *stop, bool runs,
		      SimCell *c)
{
	GError *error = NULL;
	char *missing = NULL;
	SimProgram *p = sim_program_link(m, s, &missing, &error);
	SimExploreOptions o;
	SimExploreResult r = { 0 };

	memset(c, 0, sizeof(*c));
	c->model = m->name;
	if (!p) {
		c->na = missing != NULL;
		c->error = error != NULL;
		c->error_msg = error ? g_strdup(error->message) : NULL;
		g_clear_error(&error);
		g_free(missing);
		return;
	}
	sim_explore_options_default(&o);
	o.interrupted = stop;
	if (!sim_explore(p, &o, &r)) {
		c->error = true;
		c->error_msg = g_strdup(r.model_error_msg);
	}
	c->complete = r.complete;
	c->found = r.found & s->check;
	c->states = r.states;
	c->transitions = r.transitions;
	c->seconds = r.seconds;
	if (e && !cell_matches(c, e))
		draw_failure(p, &r, e, c);
	if (runs && !c->error)
		c->runs = cell_runs(p, &r);
	sim_explore_result_clear(&r);
	sim_program_free(p);
}

#define HANG_PROPS ((SimPropSet)(1u << SIM_PROP_DEADLOCK | \
				 1u << SIM_PROP_LOST_WAKEUP))
/* Cycles of the lock-class graph: noted beside the verdict, which says
 * what the interleavings do (lockdep.h). */
#define ORDER_PROPS ((SimPropSet)(1u << SIM_PROP_LOCK_ORDER | \
				  1u << SIM_PROP_WAIT_ORDER))

/* RACE / CLEAN / DEADLOCK / n/a / INCOMPLETE / ERROR. */
static const char *cell_verdict(const SimCell *c)
{
	if (c->na)
		return "n/a";
	if (c->error)
		return "ERROR";
	if (c->found & HANG_PROPS)
		return "DEADLOCK";
	if (c->found & 1u << SIM_PROP_LIVELOCK)
		return "LIVELOCK";
	if (c->found & (SimPropSet)~ORDER_PROPS)
		return "RACE";
	return c->complete ? "CLEAN" : "INCOMPLETE";
}

/* The expect line judging MODEL in S: its own, else the `expect *:`
 * default, else NULL. */
static const SimExpect *find_expect(const SimScenario *s, const char *model)
{
	const SimExpect *def = NULL;

	for (int i = 0; i < s->nexpects; i++) {
		if (strcmp(s->expects[i].model, model) == 0)
			return &s->expects[i];
		if (strcmp(s->expects[i].model, "*") == 0)
			def = &s->expects[i];
	}
	return def;
}

/* `never` and a property list name every checked property that happens:
 * the rest must never happen, which only a complete search proves.
 * `at least` and `sometimes` are met by what was found, complete or
 * not. */
static bool cell_matches(const SimCell *c, const SimExpect *e)
{
	if (e->na || c->na)
		return e->na && c->na;
	if (c->error)
		return false;
	if (e->sometimes)
		return c->found != 0;
	if (e->at_least)
		return (c->found & e->props) == e->props;
	return c->complete && c->found == e->props;
}

static void format_got(GString *s, const SimCell *c)
{
	if (c->na)
		g_string_append(s, "n/a");
	else if (c->error)
		g_string_append(s, "error");
	else if (c->found)
		sim_props_format(s, c->found);
	else
		g_string_append(s, c->complete ? "never" : "incomplete");
}

/* A failed expectation's evidence: the counterexample of the first
 * property found that E does not allow, drawn (lock-order: the lockdep
 * report), with its trail; when E wanted a property the search did not
 * find, there is no run to draw and the message says so. */
static void draw_failure(const SimProgram *p, const SimExploreResult *r,
			 const SimExpect *e, SimCell *c)
{
	SimPropSet extra = e->sometimes || e->at_least || e->na ? 0 :
			   c->found & (SimPropSet)~e->props;
	GString *out = g_string_new(NULL);

	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		if (!(extra >> prop & 1))
			continue;
		g_string_append_printf(out, "%s: sometimes\n\n",
				       sim_prop_name(prop));
		if (r->cex[prop]) {
			SimTrace *t = sim_cli_draw(p, r->cex[prop],
				prop == SIM_PROP_LIVELOCK ? r->cycle_from : -1,
				out);
			GString *tr = g_string_new(NULL);
			sim_trace_trail(t, tr);
			c->trail = g_string_free(tr, FALSE);
			sim_trace_free(t);
		} else if (sim_cli_order_report(r, prop)) {
			g_string_append(out, sim_cli_order_report(r, prop));
		}
		break;
	}
	if (!out->len && !c->complete)
		g_string_printf(out, "search incomplete (%s): %" G_GUINT64_FORMAT
				" states\n", r->bound ? r->bound : "bound",
				r->states);
	else if (!out->len && !c->na)
		g_string_printf(out, "search complete over %" G_GUINT64_FORMAT
				" states: no run has the expected properties\n",
				r->states);
	c->diagram = g_string_free(out, FALSE);
}

static SimModel *find_model(GPtrArray *models, const char *name)
{
	for (guint i = 0; i < models->len; i++) {
		SimModel *m = models->pdata[i];
		if (strcmp(m->name, name) == 0)
			return m;
	}
	return NULL;
}

/* One testcase: a scenario x model pair and the line judging it, or a
 * scenario that is bad input (scn NULL, message set). */
typedef struct {
	const SimScenario *scn;
	const SimExpect *e;
	const SimModel *m;      /* NULL: not on the model path */
	const char *model;
	const char *file;
	SimCell cell;
	bool ok, bad_input;
	char *expected, *got, *message;
} Job;

static void job_add_bad(GArray *jobs, const char *file, char *message)
{
	Job j = { .file = file, .bad_input = true, .message = message };

	g_array_append_val(jobs, j);
}

/* The testcases of S: its expect lines in order, `expect *:` standing
 * for every selected model without a line of its own.  With -m (ONLY),
 * a line naming a model not selected is left out. */
static void jobs_of(const SimScenario *s, GPtrArray *models, bool only,
		    GArray *jobs)
{
	for (int i = 0; i < s->nexpects; i++) {
		const SimExpect *e = &s->expects[i];
		Job j = { .scn = s, .e = e, .file = s->file };

		if (strcmp(e->model, "*") != 0) {
			j.m = find_model(models, e->model);
			j.model = e->model;
			if (j.m || !only)
				g_array_append_val(jobs, j);
			continue;
		}
		for (guint k = 0; k < models->len; k++) {
			j.m = models->pdata[k];
			j.model = j.m->name;
			if (find_expect(s, j.model) == e)
				g_array_append_val(jobs, j);
		}
	}
}

static void judge(Job *j, volatile int *stop)
{
	GString *exp = g_string_new(NULL), *got = g_string_new(NULL);

	if (j->e->sometimes)
		g_string_append(exp, "sometimes");
	else if (j->e->at_least)
		g_string_append(exp, "at least ");
	if (!j->e->sometimes)
		sim_cli_format_expect(exp, j->e);
	if (!j->m) {
		g_string_append(got, "unknown model");
	} else {
		sim_cli_run_cell(j->m, j->scn, j->e, stop, false, &j->cell);
		format_got(got, &j->cell);
		j->ok = cell_matches(&j->cell, j->e);
	}
	if (!j->ok)
		j->message = g_strdup_printf("%s:%d:%d: %s", j->file,
					     j->e->line, j->e->col,
					     j->cell.error_msg ?
					     j->cell.error_msg :
					     j->m ? "expectation not met" :
					     "unknown model");
	j->expected = g_string_free(exp, FALSE);
	j->got = g_string_free(got, FALSE);
}

static void print_job(const Job *j, bool stats)
{
	if (j->bad_input) {
		/* judged as a failure, reported as bad input */
		printf("FAIL %s\n", j->message);
		fprintf(stderr, "faultline: %s\n", j->message);
		return;
	}
	printf("%-4s %-34s %-24s expected %-28s got %-28s %9llu states",
	       j->ok ? "ok" : "FAIL", j->scn->name, j->model, j->expected,
	       j->got, (unsigned long long)j->cell.states);
	if (stats)
		printf(" %7.2fs", j->cell.seconds);
	printf("\n");
	if (!j->ok)
		printf("     %s\n", j->message);
	fflush(stdout);
}

/* Judging in parallel (--jobs, pool.h): each worker judges a testcase,
 * the main thread prints them in order. */
typedef struct {
	GArray *jobs;
	bool quiet, stats;
	volatile int *stop;
} Judging;

static void judge_work(guint i, void *data)
{
	Judging *g = data;
	Job *j = &g_array_index(g->jobs, Job, i);

	if (!j->bad_input)      /* judged already */
		judge(j, g->stop);
}

static void judge_done(guint i, void *data)
{
	Judging *g = data;

	if (!g->quiet)
		print_job(&g_array_index(g->jobs, Job, i), g->stats);
}

static SimCase *cases_of(GArray *jobs)
{
	SimCase *c = g_new0(SimCase, jobs->len);

	for (guint i = 0; i < jobs->len; i++) {
		const Job *j = &g_array_index(jobs, Job, i);
		c[i] = (SimCase){
			.scenario = j->scn ? j->scn->name : j->file,
			.file = j->file, .model = j->model,
			.line = j->e ? j->e->line : 0,
			.col = j->e ? j->e->col : 0,
			.ok = j->ok, .error = j->bad_input || j->cell.error,
			.expected = j->expected, .got = j->got,
			.message = j->message, .diagram = j->cell.diagram,
			.trail = j->cell.trail, .states = j->cell.states,
		};
	}
	return c;
}

typedef struct {
	char *junit, *json, *results;
	gboolean tap, stats;
	gint jobs;
	char **models;
} CheckArgs;

/* --junit, --json (FILE, or "-" for stdout instead of the text) and
 * --results. */
static int write_reports(const CheckArgs *a, GArray *jobs)
{
	SimCase *c = cases_of(jobs);
	GString *out = g_string_new(NULL);
	GError *error = NULL;
	int rc = SIM_EXIT_OK, n = (int)jobs->len;

	if (a->junit) {
		sim_report_junit(c, n, out);
		if (!sim_cli_write_file(a->junit, out->str, &error))
			rc = sim_cli_fail(error);
		g_string_truncate(out, 0);
	}
	if (a->json && !rc) {
		sim_report_json(c, n, out);
		if (!sim_cli_write_file(a->json, out->str, &error))
			rc = sim_cli_fail(error);
		g_string_truncate(out, 0);
	}
	if (a->tap && !rc) {
		sim_report_tap(c, n, out);
		fputs(out->str, stdout);
	}
	if (a->results && !rc && !sim_report_results(a->results, c, n, &error))
		rc = sim_cli_fail(error);
	g_string_free(out, TRUE);
	g_free(c);
	return rc;
}

static bool check_args(const CheckArgs *a)
{
	int to_stdout = !!a->tap + (a->junit && strcmp(a->junit, "-") == 0) +
			(a->json && strcmp(a->json, "-") == 0);

	if (to_stdout > 1)
		return sim_cli_usage("check", "only one of --tap, --junit - "
				     "and --json - can write to stdout") &&
		       false;
	if (a->junit && a->json && strcmp(a->junit, a->json) == 0 &&
	    strcmp(a->json, "-") != 0)
		return sim_cli_usage("check", "--junit and --json name the "
				     "same file") && false;
	return true;
}

/* A scenario check cannot judge: no `check` line means no property to
 * hold the expectations against. */
static char *unjudgeable(const SimScenario *s)
{
	/* livelock is checked everywhere (parse.h): it alone is no line */
	if (s->check & (SimPropSet)~(1u << SIM_PROP_LIVELOCK))
		return NULL;
	return g_strdup_printf("%s:1:1: scenario '%s' has no 'check' line: "
			       "nothing to judge", s->file, s->name);
}

int sim_cmd_check(SimCli *cli, int argc, char **argv)
{
	CheckArgs a = { 0 };
	GOptionEntry options[] = {
		{ "model", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &a.models,
		  "judge only this model (repeatable; a name or a file)",
		  "MODEL" },
		{ "junit", 0, 0, G_OPTION_ARG_FILENAME, &a.junit,
		  "also write JUnit XML (- : stdout)", "FILE" },
		{ "json", 0, 0, G_OPTION_ARG_FILENAME, &a.json,
		  "also write the judgements as JSON (- : stdout)", "FILE" },
		{ "tap", 0, 0, G_OPTION_ARG_NONE, &a.tap,
		  "print TAP version 13 instead of the text", NULL },
		{ "results", 0, 0, G_OPTION_ARG_FILENAME, &a.results,
		  "write each failure's trail and diagram under DIR", "DIR" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &a.jobs,
		  "judge N pairs at once (default: the number of cores)", "N" },
		{ "stats", 0, 0, G_OPTION_ARG_NONE, &a.stats,
		  "the seconds of each pair on stdout", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GError *error = NULL;
	GPtrArray *files = NULL, *models = NULL, *scns;
	GArray *jobs = g_array_new(FALSE, TRUE, sizeof(Job));
	int passed = 0, failed = 0, unreadable = 0, rc;
	bool quiet;

	scns = g_ptr_array_new_with_free_func(
		(GDestroyNotify)sim_scenario_free);
	if (!sim_cli_parse_options("check", "[PATH...]", options, &argc,
				   &argv) || !check_args(&a) ||
	    !sim_cli_jobs_option("check", a.jobs, &a.jobs)) {
		rc = SIM_EXIT_USAGE;
		goto out;
	}
	files = argc > 1 ? sim_cli_scenario_files(argv + 1, argc - 1, &error) :
		sim_cli_scenario_files(&cli->scenarios_dir, 1, &error);
	if (files)
		models = select_models(cli, a.models, &error);
	if (!models) {
		rc = sim_cli_fail(error);
		goto out;
	}
	for (guint i = 0; i < files->len; i++) {
		SimScenario *s = sim_parse_scenario_file(files->pdata[i],
							 &error);
		char *why = s ? unjudgeable(s) : g_strdup(error->message);

		g_clear_error(&error);
		if (s)
			g_ptr_array_add(scns, s);
		if (why)
			job_add_bad(jobs, files->pdata[i], why);
		else
			jobs_of(s, models, a.models != NULL, jobs);
	}
	if (jobs->len == 0) {
		GString *under = g_string_new(NULL);
		for (guint i = 0; i < files->len; i++)
			g_string_append_printf(under, " %s",
					       (char *)files->pdata[i]);
		rc = sim_cli_usage("check", "no expectations found under%s",
				   files->len ? under->str :
				   argc > 1 ? " the paths given" :
				   " the scenario library");
		g_string_free(under, TRUE);
		goto out;
	}
	quiet = a.tap || (a.junit && strcmp(a.junit, "-") == 0) ||
		(a.json && strcmp(a.json, "-") == 0);
	Judging g = { jobs, quiet, a.stats, cli->interrupted };
	sim_pool_run(jobs->len, a.jobs, judge_work, judge_done, &g);
	for (guint i = 0; i < jobs->len; i++) {
		const Job *j = &g_array_index(jobs, Job, i);
		passed += j->ok;
		failed += !j->ok;
		unreadable += j->bad_input;
		if (quiet && j->bad_input)
			fprintf(stderr, "faultline: %s\n", j->message);
	}
	rc = write_reports(&a, jobs);
	if (!quiet)
		printf("%d passed, %d failed\n", passed, failed);
	else if (a.tap)
		printf("# %d passed, %d failed\n", passed, failed);
	if (!rc)
		rc = unreadable ? SIM_EXIT_USAGE : failed ? SIM_EXIT_VIOLATION :
		     SIM_EXIT_OK;
	/* interrupted: the failures may only be searches cut short */
	if (*cli->interrupted && rc != SIM_EXIT_USAGE)
		rc = SIM_EXIT_INCOMPLETE;
out:
	for (guint i = 0; i < jobs->len; i++) {
		Job *j = &g_array_index(jobs, Job, i);
		sim_cli_cell_clear(&j->cell);
		g_free(j->expected);
		g_free(j->got);
		g_free(j->message);
	}
	g_array_free(jobs, TRUE);
	g_ptr_array_free(scns, TRUE);
	if (files)
		g_ptr_array_free(files, TRUE);
	if (models)
		g_ptr_array_free(models, TRUE);
	g_free(a.junit);
	g_free(a.json);
	g_free(a.results);
	g_strfreev(a.models);
	return rc;
}

/* ---- matrix ------------------------------------------------------------ */

/* A cell's search and runs as JSON members: "depth" and "bound" (what
 * stopped an incomplete search), "counterexamples" (per checked property
 * reached, its cheapest counterexample re-run with text on, as `faultline
 * run --json` writes a run), "lock_order" and "wait_order" (the search's
 * lockdep reports) and "schedules" (the scenario's named schedules run
 * under this model), so that a report can draw every verdict without a
 * terminal. */
static char *cell_runs(const SimProgram *p, const SimExploreResult *r)
{
	const SimScenario *s = p->scn;
	GString *j = g_string_new(NULL);
	bool first = true;

	g_string_append_printf(j, ", \"depth\": %u, \"bound\": ", r->depth);
	if (r->bound)
		sim_json_string(j, r->bound);
	else
		g_string_append(j, "null");
	g_string_append(j, ", \"counterexamples\": {");
	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		if (!((r->found & s->check) >> prop & 1) || !r->cex[prop])
			continue;
		SimTrace *t = sim_run_path(p, r->cex[prop],
			prop == SIM_PROP_LIVELOCK ? r->cycle_from : -1);
		g_string_append_printf(j, "%s\n     \"%s\": {\"preemptions\": "
				       "%d, \"minimal\": %s, \"run\": ",
				       first ? "" : ",", sim_prop_name(prop),
				       r->cex_preemptions[prop],
				       r->cex_minimal[prop] ? "true" : "false");
		sim_trace_json_run(t, j);
		g_string_append_c(j, '}');
		sim_trace_free(t);
		first = false;
	}
	g_string_append_c(j, '}');
	for (int i = 0; i < 2; i++) {
		SimProp prop = sim_lockdep_props[i];
		char *key = g_strdelimit(g_strdup(sim_prop_name(prop)), "-",
					 '_');
		g_string_append_printf(j, ", \"%s\": ", key);
		sim_json_lines(j, s->check >> prop & 1 ? r->order[i] : NULL);
		g_free(key);
	}
	g_string_append(j, ", \"schedules\": {");
	for (int i = 0; i < s->nschedules; i++) {
		SimTrace *t = sim_trace_new(p);
		SimRun run;
		if (sim_run_start(&run, p, t))
			sim_run_schedule(&run, &s->schedules[i]);
		sim_run_finish(&run);
		g_string_append(j, i ? ",\n     " : "\n     ");
		sim_json_string(j, s->schedules[i].name);
		g_string_append(j, ": ");
		sim_trace_json_run(t, j);
		sim_trace_free(t);
	}
	g_string_append_c(j, '}');
	return g_string_free(j, FALSE);
}

static void matrix_json_cell(GString *j, const SimScenario *s, const SimCell *c)
{
	const SimExpect *e = find_expect(s, c->model);

	g_string_append(j, "{\"scenario\": ");
	sim_json_string(j, s->name);
	g_string_append(j, ", \"model\": ");
	sim_json_string(j, c->model);
	g_string_append(j, ", \"verdict\": ");
	sim_json_string(j, cell_verdict(c));
	g_string_append(j, ", \"properties\": ");
	sim_json_props(j, c->found);
	g_string_append_printf(j, ", \"complete\": %s, \"states\": %llu, "
			       "\"transitions\": %llu, \"expected\": ",
			       c->complete ? "true" : "false",
			       (unsigned long long)c->states,
			       (unsigned long long)c->transitions);
	if (e) {
		GString *x = g_string_new(NULL);
		sim_cli_format_expect(x, e);
		sim_json_string(j, x->str);
		g_string_free(x, TRUE);
		g_string_append_printf(j, ", \"match\": %s",
				       cell_matches(c, e) ? "true" : "false");
	} else {
		g_string_append(j, "null, \"match\": null");
	}
	g_string_append_printf(j, "%s}", c->runs ? c->runs : "");
}

/* Column label: the race id, else the scenario name. */
static const char *label(const SimScenario *s)
{
	return s->race ? s->race : s->name;
}

/* Columns in the order kernel-history.md numbers them: R1..R9, D1..D7,
 * then the rest by name. */
static int race_rank(const SimScenario *s, int *num, const char **rest)
{
	const char *r = s->race ? s->race : "";
	int cls = r[0] == 'R' ? 0 : r[0] == 'D' ? 1 : 2;
	char *end;

	*num = cls < 2 ? (int)strtol(r + 1, &end, 10) : 0;
	*rest = cls < 2 ? end : s->name;
	return cls;
}

static int cmp_race(gconstpointer a, gconstpointer b)
{
	const SimScenario *x = *(SimScenario *const *)a;
	const SimScenario *y = *(SimScenario *const *)b;
	int nx, ny;
	const char *rx, *ry;
	int cx = race_rank(x, &nx, &rx), cy = race_rank(y, &ny, &ry);

	if (cx != cy)
		return cx - cy;
	if (nx != ny)
		return nx - ny;
	int c = strcmp(rx, ry);
	return c ? c : strcmp(x->name, y->name);
}

void sim_cli_matrix_cell(char *buf, size_t len, const char *verdict,
			 SimPropSet found, bool differs)
{
	g_snprintf(buf, len, "%s%s%s%s", verdict,
		   found >> SIM_PROP_LOCK_ORDER & 1 ? "+LO" : "",
		   found >> SIM_PROP_WAIT_ORDER & 1 ? "+WO" : "",
		   differs ? "!" : "");
}

static void cell_text(const SimCell *c, const SimScenario *s, char *buf,
		      size_t len)
{
	const SimExpect *e = find_expect(s, c->model);

	sim_cli_matrix_cell(buf, len, cell_verdict(c), c->found,
			    e && !cell_matches(c, e));
}

void sim_cli_matrix_text_init(SimMatrixText *t, guint ncols, guint nrows)
{
	t->ncols = ncols;
	t->nrows = nrows;
	t->label = g_new(const char *, ncols);
	t->name = g_new(const char *, ncols);
	t->summary = g_new(const char *, ncols);
	t->row = g_new(const char *, nrows);
	t->cell = g_new(char *, ncols * nrows);
	for (guint k = 0; k < ncols * nrows; k++)
		t->cell[k] = g_malloc(SIM_MATRIX_CELL_MAX);
}

void sim_cli_matrix_text_clear(SimMatrixText *t)
{
	for (guint k = 0; k < t->ncols * t->nrows; k++)
		g_free(t->cell[k]);
	g_free(t->label);
	g_free(t->name);
	g_free(t->summary);
	g_free(t->row);
	g_free(t->cell);
}

void sim_cli_matrix_table(const SimMatrixText *t)
{
	int *width = g_new0(int, t->ncols);

	for (guint i = 0; i < t->ncols; i++) {
		width[i] = (int)strlen(t->label[i]);
		for (guint m = 0; m < t->nrows; m++)
			width[i] = MAX(width[i],
				       (int)strlen(t->cell[i * t->nrows + m]));
	}
	printf("%-23s", "model \\ race");
	for (guint i = 0; i < t->ncols; i++)
		printf(" %-*s", i + 1 < t->ncols ? width[i] : 0, t->label[i]);
	printf("\n");
	for (guint m = 0; m < t->nrows; m++) {
		printf("%-23s", t->row[m]);
		for (guint i = 0; i < t->ncols; i++)
			printf(" %-*s", i + 1 < t->ncols ? width[i] : 0,
			       t->cell[i * t->nrows + m]);
		printf("\n");
	}
	g_free(width);
	printf("\n");
	for (guint i = 0; i < t->ncols; i++)
		printf("%-10s %s: %s\n", t->label[i], t->name[i],
		       t->summary[i]);
	printf("\nRACE: a checked property is violated in some interleaving; "
	       "CLEAN: in none (complete search);\nDEADLOCK: a deadlock or lost "
	       "wake-up is reachable; LIVELOCK: a thread can spin for ever;\n"
	       "n/a: the model lacks an op the scenario needs;\n"
	       "+LO: lockdep would report a lock-order cycle (lock-order); "
	       "+WO: a cycle through locks lockdep\n"
	       "does not track - page, DAX entry, range locks (wait-order);"
	       "\n!: differs from the scenario's expect line "
	       "(faultline check fails on it)\n");
}

/* Models as rows, races as columns. */
static void matrix_table(GPtrArray *scns, GPtrArray *models, SimCell *cells)
{
	guint n = scns->len * models->len;
	SimMatrixText t;

	sim_cli_matrix_text_init(&t, scns->len, models->len);

	for (guint i = 0; i < scns->len; i++) {
		const SimScenario *s = scns->pdata[i];
		t.label[i] = label(s);
		t.name[i] = s->name;
		t.summary[i] = s->summary ? s->summary : "";
	}
	for (guint m = 0; m < models->len; m++)
		t.row[m] = ((SimModel *)models->pdata[m])->name;
	for (guint k = 0; k < n; k++)
		cell_text(&cells[k], scns->pdata[k / models->len], t.cell[k],
			  SIM_MATRIX_CELL_MAX);
	sim_cli_matrix_table(&t);
	sim_cli_matrix_text_clear(&t);
}

/* The scenarios' array of the JSON document. */
static void matrix_json_scenarios(GString *j, GPtrArray *scns)
{
	g_string_append_c(j, '[');
	for (guint i = 0; i < scns->len; i++) {
		const SimScenario *s = scns->pdata[i];
		g_string_append(j, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		sim_json_string(j, s->name);
		g_string_append(j, ", \"race\": ");
		sim_json_string(j, s->race ? s->race : "");
		g_string_append(j, ", \"summary\": ");
		sim_json_string(j, s->summary ? s->summary : "");
		g_string_append(j, ", \"file\": ");
		sim_json_string(j, s->file);
		g_string_append(j, ", \"source\": ");
		sim_json_string(j, s->source ? s->source : "");
		g_string_append(j, ", \"check\": ");
		sim_json_props(j, s->check);
		g_string_append(j, ", \"threads\": [");
		for (int t = 0; t < s->nthreads; t++) {
			g_string_append(j, t ? ", " : "");
			sim_json_string(j, s->threads[t].name);
		}
		g_string_append(j, "], \"processes\": [");
		for (int t = 0; t < s->nthreads; t++) {
			g_string_append(j, t ? ", " : "");
			sim_json_string(j, s->procnames[s->threads[t].proc]);
		}
		g_string_append(j, "]}");
	}
	g_string_append_c(j, ']');
}

/* The models' array of the JSON document. */
static void matrix_json_models(GString *j, GPtrArray *models)
{
	g_string_append_c(j, '[');
	for (guint m = 0; m < models->len; m++) {
		const SimModel *mo = models->pdata[m];
		g_string_append(j, m ? ",\n    {\"name\": " : "\n    {\"name\": ");
		sim_json_string(j, mo->name);
		g_string_append(j, ", \"summary\": ");
		sim_json_string(j, mo->summary ? mo->summary : "");
		g_string_append(j, ", \"file\": ");
		sim_json_string(j, mo->file);
		g_string_append(j, ", \"extends\": ");
		sim_json_string(j, mo->extends ? mo->extends : "");
		g_string_append(j, ", \"source\": ");
		sim_json_string(j, mo->source ? mo->source : "");
		g_string_append(j, "}");
	}
	g_string_append_c(j, ']');
}

void sim_cli_matrix_json(GString *out, const char *shard,
			 const char *scenarios, const char *models,
			 char *const *cells, guint n)
{
	g_string_append_printf(out, "{\"faultline\": %d, \"command\": "
			       "\"matrix\",", SIM_JSON_VERSION);
	if (shard) {
		g_string_append(out, " \"shard\": ");
		sim_json_string(out, shard);
		g_string_append_c(out, ',');
	}
	g_string_append_printf(out, "\n  \"scenarios\": %s,\n  \"models\": "
			       "%s,\n  \"cells\": [\n", scenarios, models);
	for (guint k = 0; k < n; k++)
		g_string_append_printf(out, "%s    %s", k ? ",\n" : "",
				       cells[k]);
	g_string_append(out, "\n  ]}\n");
}

gboolean sim_cli_shard_parse(const char *spec, guint *i, guint *n)
{
	char *end;
	guint64 a = g_ascii_strtoull(spec, &end, 10), b;

	if (end == spec || *end != '/' || !g_ascii_isdigit(end[1]))
		return FALSE;
	spec = end + 1;
	b = g_ascii_strtoull(spec, &end, 10);
	if (*end || a < 1 || a > b || b > SIM_SHARDS_MAX)
		return FALSE;
	*i = (guint)a;
	*n = (guint)b;
	return TRUE;
}

gboolean sim_cli_jobs_option(const char *command, int jobs, int *out)
{
	if (jobs < 0)
		return sim_cli_usage(command, "--jobs takes a positive "
				     "number") && FALSE;
	*out = jobs ? jobs : (int)g_get_num_processors();
	return TRUE;
}

/* Running the cells of a matrix (--jobs, pool.h): item I is the cell
 * index ALL[I], cell S x M at S * nmodels + M. */
typedef struct {
	GPtrArray *scns, *models;
	SimCell *cells;
	guint *index;
	volatile int *stop;
} Cells;

static void cell_work(guint i, void *data)
{
	Cells *c = data;
	guint k = c->index[i], nm = c->models->len;

	sim_cli_run_cell(c->models->pdata[k % nm], c->scns->pdata[k / nm],
			 NULL, c->stop, true, &c->cells[k]);
}

int sim_cmd_matrix(SimCli *cli, int argc, char **argv)
{
	char *json = NULL, *shard = NULL, **only = NULL;
	int jobs = 0;
	guint si = 1, sn = 1;
	GOptionEntry options[] = {
		{ "model", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &only,
		  "only this model (repeatable; a name or a file)", "MODEL" },
		{ "json", 0, 0, G_OPTION_ARG_FILENAME, &json,
		  "also write the matrix as JSON", "FILE" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
		  "search N cells at once (default: the number of cores)",
		  "N" },
		{ "shard", 0, 0, G_OPTION_ARG_STRING, &shard,
		  "only the cells of shard I of N, as JSON (to FILE with "
		  "--json, else stdout) for `faultline merge`; no table",
		  "I/N" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GError *error = NULL;
	GPtrArray *files = NULL, *models = NULL, *scns;
	int rc = SIM_EXIT_OK;

	if (!sim_cli_parse_options("matrix", "[PATH...]", options, &argc,
				   &argv) ||
	    !sim_cli_jobs_option("matrix", jobs, &jobs) ||
	    (shard && !sim_cli_shard_parse(shard, &si, &sn) &&
	     sim_cli_usage("matrix", "--shard takes I/N, 1 <= I <= N <= %d "
			    "(got '%s')", SIM_SHARDS_MAX, shard)) ||
	    !sim_cli_outputs("matrix", json ? json : shard ? "-" : NULL,
			     NULL)) {
		g_free(json);
		g_free(shard);
		g_strfreev(only);
		return SIM_EXIT_USAGE;
	}
	scns = g_ptr_array_new_with_free_func(
		(GDestroyNotify)sim_scenario_free);
	files = argc > 1 ? sim_cli_scenario_files(argv + 1, argc - 1, &error) :
		sim_cli_scenario_files(&cli->scenarios_dir, 1, &error);
	if (files)
		models = select_models(cli, only, &error);
	for (guint i = 0; models && i < files->len; i++) {
		SimScenario *s = sim_parse_scenario_file(files->pdata[i],
							 &error);
		if (!s)
			break;
		/* a workload alone (`faultline perf`'s) has no threads to
		 * interleave: no column */
		if (!s->nthreads && s->workload)
			sim_scenario_free(s);
		else
			g_ptr_array_add(scns, s);
	}
	if (error) {
		rc = sim_cli_fail(error);
		goto out;
	}
	g_ptr_array_sort(scns, cmp_race);
	guint n = scns->len * models->len, nrun = 0;
	Cells run = { scns, models, g_new0(SimCell, n), g_new(guint, n),
		      cli->interrupted };
	char **texts = g_new0(char *, n);
	for (guint k = 0; k < n; k++)
		if (SIM_SHARD_OWNS(k, si, sn))
			run.index[nrun++] = k;
	sim_pool_run(nrun, jobs, cell_work, NULL, &run);
	for (guint i = 0; i < nrun; i++) {
		guint k = run.index[i];
		GString *t = g_string_new(NULL);
		matrix_json_cell(t, scns->pdata[k / models->len],
				 &run.cells[k]);
		texts[i] = g_string_free(t, FALSE);
		/* a cell that differs from its expectation (a '!') fails,
		 * as in check */
		const SimExpect *e = find_expect(scns->pdata[k / models->len],
						 run.cells[k].model);
		if (e && !cell_matches(&run.cells[k], e))
			rc = SIM_EXIT_VIOLATION;
	}
	GString *ss = g_string_new(NULL), *ms = g_string_new(NULL),
		*j = g_string_new(NULL);
	matrix_json_scenarios(ss, scns);
	matrix_json_models(ms, models);
	sim_cli_matrix_json(j, shard, ss->str, ms->str, texts,
			    nrun);
	if (!shard)
		matrix_table(scns, models, run.cells);
	if (*cli->interrupted)
		rc = SIM_EXIT_INCOMPLETE;
	if ((json || shard) &&
	    !sim_cli_write_file(json ? json : "-", j->str, &error))
		rc = sim_cli_fail(error);
	for (guint k = 0; k < n; k++) {
		sim_cli_cell_clear(&run.cells[k]);
		g_free(texts[k]);
	}
	g_free(run.cells);
	g_free(run.index);
	g_free(texts);
	g_string_free(ss, TRUE);
	g_string_free(ms, TRUE);
	g_string_free(j, TRUE);
out:
	if (files)
		g_ptr_array_free(files, TRUE);
	if (models)
		g_ptr_array_free(models, TRUE);
	g_ptr_array_free(scns, TRUE);
	g_free(json);
	g_free(shard);
	g_strfreev(only);
	return rc;
}

/* ---- diff ------------------------------------------------------------- */

static bool cells_equal(const SimCell *a, const SimCell *b)
{
	return a->na == b->na && a->error == b->error &&
	       a->found == b->found && a->complete == b->complete;
}

/* B is worse than A: it finds a property A does not, or it has no
 * complete answer where A has one. */
static bool cell_worse(const SimCell *a, const SimCell *b)
{
	if (b->found & (SimPropSet)~a->found)
		return true;
	return (a->complete && !a->error && !a->na) &&
	       (!b->complete || b->error || b->na);
}

/* M re-explored on S with the other side's findings as the
 * expectation: draws the counterexample of what M finds beyond them. */
static void diff_side(GString *out, const SimModel *m, const SimScenario *s,
		      const SimCell *other, const char *tag, volatile int *stop)
{
	SimExpect want = { .model = (char *)"", .props = other->found };
	SimCell c;

	sim_cli_run_cell(m, s, &want, stop, false, &c);
	if (c.found & (SimPropSet)~other->found && c.diagram) {
		g_string_append_printf(out, "\n%s %s:\n", tag, m->name);
		g_string_append(out, c.diagram);
	}
	sim_cli_cell_clear(&c);
}

int sim_cmd_diff(SimCli *cli, int argc, char **argv)
{
	GOptionEntry options[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };
	GError *error = NULL;
	GPtrArray *files = NULL;
	SimModel *ma = NULL, *mb = NULL;
	int rc = SIM_EXIT_OK, differ = 0, worse = 0;

	if (!sim_cli_parse_options("diff", "MODEL_A MODEL_B [SCENARIO...]",
				   options, &argc, &argv))
		return SIM_EXIT_USAGE;
	if (argc < 3)
		return sim_cli_usage("diff", "needs MODEL_A and MODEL_B");
	files = argc > 3 ? sim_cli_scenario_files(argv + 3, argc - 3, &error) :
		sim_cli_scenario_files(&cli->scenarios_dir, 1, &error);
	if (files && (ma = sim_cli_load_model(cli, argv[1], &error)))
		mb = sim_cli_load_model(cli, argv[2], &error);
	if (!mb) {
		rc = sim_cli_fail(error);
		goto out;
	}
	printf("faultline diff %s %s\n", ma->name, mb->name);
	for (guint i = 0; i < files->len && rc != SIM_EXIT_USAGE; i++) {
		SimScenario *s = sim_parse_scenario_file(files->pdata[i],
							 &error);
		SimCell a, b;
		GString *ga = g_string_new(NULL), *gb = g_string_new(NULL);

		if (!s) {
			rc = sim_cli_fail(error);
			error = NULL;
			g_string_free(ga, TRUE);
			g_string_free(gb, TRUE);
			continue;
		}
		sim_cli_run_cell(ma, s, NULL, cli->interrupted, false, &a);
		sim_cli_run_cell(mb, s, NULL, cli->interrupted, false, &b);
		format_got(ga, &a);
		format_got(gb, &b);
		if (!cells_equal(&a, &b)) {
			GString *out = g_string_new(NULL);
			bool w = cell_worse(&a, &b);
			differ++;
			worse += w;
			g_string_append_printf(out, "\n%s %s: %s: %s, %s: %s\n",
					       w ? "WORSE " : "BETTER", s->name,
					       ma->name, ga->str, mb->name,
					       gb->str);
			diff_side(out, mb, s, &a, "found only by",
				  cli->interrupted);
			diff_side(out, ma, s, &b, "found only by",
				  cli->interrupted);
			fputs(out->str, stdout);
			g_string_free(out, TRUE);
		}
		sim_cli_cell_clear(&a);
		sim_cli_cell_clear(&b);
		g_string_free(ga, TRUE);
		g_string_free(gb, TRUE);
		sim_scenario_free(s);
	}
	printf("\n%d of %u scenarios differ, %d worse under %s\n", differ,
	       files->len, worse, mb->name);
	if (worse)
		rc = sim_cli_exit_worst(rc, SIM_EXIT_VIOLATION);
	if (*cli->interrupted)
		rc = sim_cli_exit_worst(rc, SIM_EXIT_INCOMPLETE);
out:
	if (files)
		g_ptr_array_free(files, TRUE);
	sim_model_free(ma);
	sim_model_free(mb);
	return rc;
}
