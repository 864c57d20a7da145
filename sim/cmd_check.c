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
#include "run.h"
#include "trace.h"

/* The verdict of one scenario x model pair. */
typedef struct {
	const char *model;
	bool na;                /* the model lacks an op the scenario calls */
	bool error;             /* broken model or bad input */
	char *error_msg;
	bool complete;
	SimPropSet found;       /* checked properties reached */
	uint64_t states, transitions;
	double seconds;
	char *runs;             /* matrix --json: the drawn runs (cell_runs) */
} Cell;

static int cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Scenario files named by PATHS (files, or directories searched for
 * *.scn), sorted so that output order never depends on the directory. */
static GPtrArray *scenario_files(char **paths, int n, GError **error)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);

	for (int i = 0; i < n; i++) {
		if (!g_file_test(paths[i], G_FILE_TEST_IS_DIR)) {
			g_ptr_array_add(files, g_strdup(paths[i]));
			continue;
		}
		GDir *d = g_dir_open(paths[i], 0, error);
		if (!d) {
			g_ptr_array_free(files, TRUE);
			return NULL;
		}
		const char *f;
		while ((f = g_dir_read_name(d)))
			if (g_str_has_suffix(f, ".scn"))
				g_ptr_array_add(files, g_build_filename(
						paths[i], f, NULL));
		g_dir_close(d);
	}
	g_ptr_array_sort(files, cmp_str);
	return files;
}

/* The concrete models of the models directory, sorted, loaded. */
static GPtrArray *all_models(const char *dir, GError **error)
{
	GPtrArray *models = g_ptr_array_new_with_free_func(
		(GDestroyNotify)sim_model_free);
	GPtrArray *names = sim_cli_model_names(dir, error);

	if (!names) {
		g_ptr_array_free(models, TRUE);
		return NULL;
	}
	for (guint i = 0; i < names->len; i++) {
		SimModel *m = sim_parse_model_load(dir, names->pdata[i], error);
		if (!m)
			goto fail;
		if (m->abstract)
			sim_model_free(m);
		else
			g_ptr_array_add(models, m);
	}
	g_ptr_array_free(names, TRUE);
	return models;
fail:
	g_ptr_array_free(names, TRUE);
	g_ptr_array_free(models, TRUE);
	return NULL;
}

static char *cell_runs(const SimProgram *p, const SimExploreResult *r);

/* Explore one pair into C; with RUNS, also keep its drawn runs. */
static void run_cell(const SimModel *m, const SimScenario *s, Cell *c,
		     bool runs)
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
	if (!sim_explore(p, &o, &r)) {
		c->error = true;
		c->error_msg = g_strdup(r.model_error_msg);
	}
	c->complete = r.complete;
	c->found = r.found & s->check;
	c->states = r.states;
	c->transitions = r.transitions;
	c->seconds = r.seconds;
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
static const char *cell_verdict(const Cell *c)
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

static const SimExpect *find_expect(const SimScenario *s, const char *model)
{
	for (int i = 0; i < s->nexpects; i++)
		if (strcmp(s->expects[i].model, model) == 0)
			return &s->expects[i];
	return NULL;
}

/* An expectation lists every checked property that happens; the rest
 * must never happen, which only a complete search proves. */
static bool cell_matches(const Cell *c, const SimExpect *e)
{
	if (e->na || c->na)
		return e->na && c->na;
	return !c->error && c->complete && c->found == e->props;
}

static void format_expect(GString *s, const SimExpect *e)
{
	if (e->na)
		g_string_append(s, "n/a");
	else if (!e->props)
		g_string_append(s, "never");
	else
		sim_props_format(s, e->props);
}

static void format_got(GString *s, const Cell *c)
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

static SimModel *find_model(GPtrArray *models, const char *name)
{
	for (guint i = 0; i < models->len; i++) {
		SimModel *m = models->pdata[i];
		if (strcmp(m->name, name) == 0)
			return m;
	}
	return NULL;
}

/* Judge one scenario's expectations; returns failures, adds to *passed. */
static int check_scenario(const SimScenario *s, GPtrArray *models,
			  int *passed)
{
	int failed = 0;

	for (int i = 0; i < s->nexpects; i++) {
		const SimExpect *e = &s->expects[i];
		SimModel *m = find_model(models, e->model);
		GString *exp = g_string_new(NULL), *got = g_string_new(NULL);
		Cell c;
		bool ok;

		format_expect(exp, e);
		if (!m) {
			ok = false;
			g_string_append(got, "unknown model");
			memset(&c, 0, sizeof(c));
		} else {
			run_cell(m, s, &c, false);
			format_got(got, &c);
			ok = cell_matches(&c, e);
		}
		printf("%-4s %-34s %-24s expected %-28s got %-28s %9llu "
		       "states %7.2fs\n", ok ? "ok" : "FAIL", s->name,
		       e->model, exp->str, got->str,
		       (unsigned long long)c.states, c.seconds);
		if (!ok && c.error_msg)
			printf("     %s:%d:%d: %s\n", s->file, e->line, e->col,
			       c.error_msg);
		else if (!ok)
			printf("     %s:%d:%d: expectation not met\n", s->file,
			       e->line, e->col);
		g_free(c.error_msg);
		g_string_free(exp, TRUE);
		g_string_free(got, TRUE);
		if (ok)
			(*passed)++;
		else
			failed++;
	}
	return failed;
}

int sim_cmd_check(SimCli *cli, int argc, char **argv)
{
	GOptionEntry options[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };
	GError *error = NULL;
	GPtrArray *files, *models;
	int passed = 0, failed = 0, unreadable = 0;

	if (!sim_cli_parse_options("check", "[PATH...]", options, &argc,
				   &argv))
		return SIM_EXIT_USAGE;
	char *def[] = { "scenarios" };
	files = argc > 1 ? scenario_files(argv + 1, argc - 1, &error) :
		scenario_files(def, 1, &error);
	if (!files)
		return sim_cli_fail(error);
	models = all_models(cli->models_dir, &error);
	if (!models) {
		g_ptr_array_free(files, TRUE);
		return sim_cli_fail(error);
	}
	for (guint i = 0; i < files->len; i++) {
		SimScenario *s = sim_parse_scenario_file(files->pdata[i],
							 &error);
		if (!s) {
			/* judged as a failure, reported as bad input */
			printf("FAIL %s\n", error->message);
			fprintf(stderr, "faultline: %s\n", error->message);
			g_clear_error(&error);
			failed++;
			unreadable++;
			continue;
		}
		failed += check_scenario(s, models, &passed);
		sim_scenario_free(s);
	}
	g_ptr_array_free(files, TRUE);
	g_ptr_array_free(models, TRUE);
	printf("%d passed, %d failed\n", passed, failed);
	if (unreadable)
		return SIM_EXIT_USAGE;
	return failed ? SIM_EXIT_VIOLATION : SIM_EXIT_OK;
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

static void matrix_json_cell(GString *j, const SimScenario *s, const Cell *c)
{
	const SimExpect *e = find_expect(s, c->model);

	g_string_append(j, "    {\"scenario\": ");
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
		format_expect(x, e);
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

static void cell_text(const Cell *c, const SimScenario *s, char *buf,
		      size_t len)
{
	const SimExpect *e = find_expect(s, c->model);

	g_snprintf(buf, len, "%s%s%s%s", cell_verdict(c),
		   c->found >> SIM_PROP_LOCK_ORDER & 1 ? "+LO" : "",
		   c->found >> SIM_PROP_WAIT_ORDER & 1 ? "+WO" : "",
		   e && !cell_matches(c, e) ? "!" : "");
}

/* Models as rows, races as columns, each column as wide as its widest
 * entry. */
static void matrix_table(GPtrArray *scns, GPtrArray *models, Cell *cells)
{
	int *width = g_new0(int, scns->len);
	char cell[24];

	for (guint i = 0; i < scns->len; i++) {
		width[i] = (int)strlen(label(scns->pdata[i]));
		for (guint m = 0; m < models->len; m++) {
			cell_text(&cells[i * models->len + m], scns->pdata[i],
				  cell, sizeof(cell));
			width[i] = MAX(width[i], (int)strlen(cell));
		}
	}
	printf("%-23s", "model \\ race");
	for (guint i = 0; i < scns->len; i++)
		printf(" %-*s", i + 1 < scns->len ? width[i] : 0,
		       label(scns->pdata[i]));
	printf("\n");
	for (guint m = 0; m < models->len; m++) {
		printf("%-23s", ((SimModel *)models->pdata[m])->name);
		for (guint i = 0; i < scns->len; i++) {
			cell_text(&cells[i * models->len + m], scns->pdata[i],
				  cell, sizeof(cell));
			printf(" %-*s", i + 1 < scns->len ? width[i] : 0, cell);
		}
		printf("\n");
	}
	g_free(width);
	printf("\n");
	for (guint i = 0; i < scns->len; i++) {
		const SimScenario *s = scns->pdata[i];
		printf("%-10s %s: %s\n", label(s), s->name,
		       s->summary ? s->summary : "");
	}
	printf("\nRACE: a checked property is violated in some interleaving; "
	       "CLEAN: in none (complete search);\nDEADLOCK: a deadlock or lost "
	       "wake-up is reachable; n/a: the model lacks an op the "
	       "scenario needs;\n+LO: lockdep would report a lock-order "
	       "cycle (lock-order); +WO: a cycle through locks lockdep\n"
	       "does not track - page, DAX entry, range locks (wait-order);"
	       "\n!: differs from the scenario's expectation "
	       "(models/README.md explains each)\n");
}

/* The JSON document up to its cells: version, scenarios, models. */
static void matrix_json_head(GString *j, GPtrArray *scns, GPtrArray *models)
{
	g_string_append_printf(j, "{\"faultline\": %d, \"command\": "
			       "\"matrix\",\n  \"scenarios\": [", SIM_JSON_VERSION);
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
	g_string_append(j, "],\n  \"models\": [");
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
}

int sim_cmd_matrix(SimCli *cli, int argc, char **argv)
{
	char *json = NULL;
	GOptionEntry options[] = {
		{ "json", 0, 0, G_OPTION_ARG_FILENAME, &json,
		  "also write the matrix as JSON", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GError *error = NULL;
	GPtrArray *files = NULL, *models = NULL, *scns;
	int rc = SIM_EXIT_OK;

	if (!sim_cli_parse_options("matrix", "[PATH...]", options, &argc,
				   &argv))
		return SIM_EXIT_USAGE;
	char *def[] = { "scenarios" };
	scns = g_ptr_array_new_with_free_func(
		(GDestroyNotify)sim_scenario_free);
	files = argc > 1 ? scenario_files(argv + 1, argc - 1, &error) :
		scenario_files(def, 1, &error);
	if (files)
		models = all_models(cli->models_dir, &error);
	for (guint i = 0; models && i < files->len; i++) {
		SimScenario *s = sim_parse_scenario_file(files->pdata[i],
							 &error);
		if (!s)
			break;
		g_ptr_array_add(scns, s);
	}
	if (error) {
		rc = sim_cli_fail(error);
		goto out;
	}
	g_ptr_array_sort(scns, cmp_race);
	Cell *cells = g_new0(Cell, scns->len * models->len);
	GString *j = g_string_new(NULL);
	matrix_json_head(j, scns, models);
	g_string_append(j, "],\n  \"cells\": [\n");
	for (guint i = 0; i < scns->len; i++) {
		for (guint m = 0; m < models->len; m++) {
			Cell *c = &cells[i * models->len + m];
			run_cell(models->pdata[m], scns->pdata[i], c, true);
			if (i || m)
				g_string_append(j, ",\n");
			matrix_json_cell(j, scns->pdata[i], c);
		}
	}
	g_string_append(j, "\n  ]}\n");
	matrix_table(scns, models, cells);
	if (json && !sim_cli_write_file(json, j->str, &error))
		rc = sim_cli_fail(error);
	for (guint k = 0; k < scns->len * models->len; k++) {
		g_free(cells[k].error_msg);
		g_free(cells[k].runs);
	}
	g_free(cells);
	g_string_free(j, TRUE);
out:
	if (files)
		g_ptr_array_free(files, TRUE);
	if (models)
		g_ptr_array_free(models, TRUE);
	g_ptr_array_free(scns, TRUE);
	g_free(json);
	return rc;
}
