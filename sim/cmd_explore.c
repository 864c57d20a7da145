/*
 * cmd_explore.c - `faultline explore`: every interleaving of a scenario
 * under one model (-m) or each applicable model (--all-models), with a
 * verdict per checked property: never (proved over the whole state
 * space), sometimes (with the cheapest counterexample, drawn by
 * re-running it), or incomplete (a bound was hit); with --no-livelock,
 * livelock is "not checked" (never "never"), and a search that found
 * nothing exits 3 (incomplete), not 0: the safety properties are
 * proved, as by pan -DSAFETY, but not the whole check line.
 *
 * stdout is a function of the inputs only: the same command prints the
 * same bytes.  Timing (seconds, states/s) goes to a "stats:" line on
 * stderr, or on stdout with --stats (which also runs the search without
 * reduction to show what it saved).
 */
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "explore.h"
#include "parse.h"
#include "run.h"

typedef struct {
	char **models;          /* -m, as given: one at most */
	const char *model;
	gboolean all_models;
	char *json;
	char *trail;
	gboolean no_por;
	gboolean exact;
	gboolean no_livelock;
	gboolean stats;
	gint64 states_max;
	gint depth_max;
	gdouble time_max;
	gint64 memory_max;      /* MB */
	gint random;
	gint64 seed;
	gint pct;
	gint jobs;              /* --jobs: threads of one search */
	char *swarm;            /* --swarm I/N, as given */
	guint member, members;  /* its I and N */
	const char *scenario;
	volatile int *interrupted;      /* SIGINT / SIGTERM came */
} Args;

#define SEED_UNSET (-1)   /* --seed not given: it defaults to 1 */

/* One line on stderr, rewritten in place. */
static void show_progress(uint64_t states, uint64_t transitions,
			  uint32_t depth, uint64_t bytes, double seconds,
			  void *data)
{
	(void)data;
	fprintf(stderr, "\r%" G_GUINT64_FORMAT " states, %.0f states/s, %"
		G_GUINT64_FORMAT " transitions, depth %u, %.1f MB, %.1f s\033[K",
		states, (double)states / (seconds > 0 ? seconds : 1e-9),
		transitions, depth, (double)bytes / (1024.0 * 1024.0), seconds);
}

static void options_from(const Args *a, SimExploreOptions *o)
{
	sim_explore_options_default(o);
	o->por = !a->no_por;
	o->exact = a->exact;
	o->no_livelock = a->no_livelock;
	o->states_max = (uint64_t)a->states_max;
	o->depth_max = (uint32_t)a->depth_max;
	o->time_max = a->time_max;
	/* MB, clamped so that the shift cannot overflow */
	o->memory_max = (uint64_t)MIN(a->memory_max, (gint64)1 << 40) << 20;
	o->seed = (uint64_t)a->seed;
	/* member 1 searches in the plain order: a swarm never covers less
	 * than the plain search under the same bounds */
	o->order_seed = a->member > 1 ? a->member : 0;
	o->jobs = a->jobs;
	o->interrupted = a->interrupted;
	/* progress only for a person watching: stderr a terminal */
	if (isatty(STDERR_FILENO))
		o->progress = show_progress;
	if (a->pct) {
		o->kind = SIM_SEARCH_PCT;
		o->pct_depth = (uint32_t)a->pct;
		o->runs = a->random ? (uint32_t)a->random : 1000;
	} else if (a->random) {
		o->kind = SIM_SEARCH_RANDOM;
		o->runs = (uint32_t)a->random;
	}
}

/* The command line, normalised: the first line of the output. */
static void print_command(const Args *a, GString *out)
{
	g_string_append_printf(out, "faultline explore %s", a->scenario);
	if (a->all_models)
		g_string_append(out, " --all-models");
	else
		g_string_append_printf(out, " -m %s", a->model);
	if (a->random || a->pct)
		g_string_append_printf(out, " --random %d --seed %" G_GINT64_FORMAT,
				       a->random ? a->random : 1000, a->seed);
	if (a->pct)
		g_string_append_printf(out, " --pct %d", a->pct);
	if (a->swarm)
		g_string_append_printf(out, " --swarm %u/%u", a->member,
				       a->members);
	if (a->no_por)
		g_string_append(out, " --no-por");
	if (a->exact)
		g_string_append(out, " --exact");
	if (a->no_livelock)
		g_string_append(out, " --no-livelock");
	if (a->states_max)
		g_string_append_printf(out, " --states-max %" G_GINT64_FORMAT,
				       a->states_max);
	if (a->depth_max)
		g_string_append_printf(out, " --depth-max %d", a->depth_max);
	if (a->time_max > 0)
		g_string_append_printf(out, " --time-max %g", a->time_max);
	if (a->memory_max != SIM_EXPLORE_MEMORY_DEFAULT_MB)
		g_string_append_printf(out, " --memory-max %" G_GINT64_FORMAT,
				       a->memory_max);
	g_string_append_c(out, '\n');
}

/* ---- one model ------------------------------------------------------------ */

static void search_name(const SimExploreOptions *o,
			const SimExploreResult *r, GString *out)
{
	if (o->kind != SIM_SEARCH_EXHAUSTIVE)
		g_string_append(out, o->kind == SIM_SEARCH_RANDOM ?
				"random walks" : "PCT");
	else if (r->por)
		g_string_append(out, "exhaustive, partial-order reduction");
	else if (r->unreduced_why)
		g_string_append_printf(out, "exhaustive, no reduction (%s)",
				       r->unreduced_why);
	else
		g_string_append(out, "exhaustive, no reduction");
}

static void print_coverage(const SimExploreOptions *o,
			   const SimExploreResult *r, guint member,
			   guint members, GString *out)
{
	g_string_append(out, "search: ");
	search_name(o, r, out);
	g_string_append_printf(out, ", %s\n", o->kind != SIM_SEARCH_EXHAUSTIVE ?
			       "stateless" : o->exact ? "exact states" :
			       "64-bit fingerprints");
	if (o->kind == SIM_SEARCH_EXHAUSTIVE)
		g_string_append_printf(out, "covered: %" G_GUINT64_FORMAT
			" states, %" G_GUINT64_FORMAT " transitions, depth %u",
			r->states, r->transitions, r->depth);
	else
		g_string_append_printf(out, "covered: %" G_GUINT64_FORMAT
			" runs, %" G_GUINT64_FORMAT " steps, longest %u",
			r->runs, r->transitions, r->depth);
	if (r->complete)
		g_string_append(out, ": complete\n");
	else
		g_string_append_printf(out, ": incomplete (%s)\n", r->bound);
	if (members && o->order_seed)
		g_string_append_printf(out, "swarm: member %u of %u, its "
				       "choices in an order seeded %"
				       G_GUINT64_FORMAT "\n", member, members,
				       o->order_seed);
	else if (members)
		g_string_append_printf(out, "swarm: member %u of %u, its "
				       "choices in thread order\n", member,
				       members);
	if (members && !r->complete)
		g_string_append(out, "swarm: incomplete by design: `faultline "
				"merge` the members' --json\n");
	if (o->kind == SIM_SEARCH_EXHAUSTIVE && !o->exact)
		g_string_append_printf(out, "fingerprint collision probability"
			" <= %.2e (n^2/2^65)\n", r->collision_bound);
	if (o->exact)
		g_string_append_printf(out, "fingerprint collisions told apart:"
			" %" G_GUINT64_FORMAT "\n", r->collisions);
}

static int same_path_as(const SimExploreResult *r, int prop)
{
	for (int q = 0; q < prop; q++) {
		const GArray *a = r->cex[q], *b = r->cex[prop];
		if (a && a->len == b->len &&
		    memcmp(a->data, b->data, sizeof(int) * a->len) == 0)
			return q;
	}
	return -1;
}

/* One property's counterexample; *trail gets the first one drawn. */
static void print_cex(const SimProgram *prog, const SimExploreResult *r,
		      int prop, GString *out, char **trail)
{
	const GArray *a = r->cex[prop];
	int q = same_path_as(r, prop);

	bool cycle = prop == SIM_PROP_LIVELOCK;

	g_string_append_printf(out, "%s: sometimes: %d preemption%s, %u "
			       "steps", sim_prop_name(prop),
			       r->cex_preemptions[prop],
			       r->cex_preemptions[prop] == 1 ? "" : "s",
			       a->len);
	if (cycle)
		g_string_append_printf(out, " (%d to the cycle, %u in it)",
				       r->cycle_from,
				       a->len - (guint)r->cycle_from);
	g_string_append_printf(out, "%s\n", r->cex_minimal[prop] ? "" :
			       " (not minimised: budget)");
	if (q >= 0 && !cycle) {
		g_string_append_printf(out, "  (the run drawn for %s)\n",
				       sim_prop_name(q));
		return;
	}
	g_string_append_c(out, '\n');
	SimTrace *t = sim_cli_draw(prog, a, cycle ? r->cycle_from : -1, out);
	if (!(t->found >> prop & 1))
		g_string_append_printf(out, "engine bug: re-running the "
				       "counterexample did not reach %s\n",
				       sim_prop_name(prop));
	if (trail && !*trail) {
		GString *tr = g_string_new(NULL);
		sim_trace_trail(t, tr);
		*trail = g_string_free(tr, FALSE);
	}
	sim_trace_free(t);
	g_string_append_c(out, '\n');
}

/* Whether PROP was left out of the search by O (--no-livelock). */
static bool not_checked(const SimExploreOptions *o, int prop)
{
	return o->no_livelock && prop == SIM_PROP_LIVELOCK;
}

/* The verdict lines; returns how many checked properties are
 * incomplete, or not checked (--no-livelock: exit 3, not 0, when
 * nothing is found, for the answer says nothing of livelock). */
static int print_verdicts(const SimProgram *prog, const SimExploreOptions *o,
			  const SimExploreResult *r, GString *out, char **trail)
{
	SimPropSet check = prog->scn->check;
	int incomplete = 0;

	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		if (!(check >> prop & 1))
			continue;
		const char *order = sim_cli_order_report(r, prop);
		if (not_checked(o, prop)) {
			g_string_append_printf(out, "%s: not checked "
					       "(--no-livelock)\n",
					       sim_prop_name(prop));
			incomplete++;
		} else if (order) {
			g_string_append_printf(out, "%s: sometimes\n%s",
					       sim_prop_name(prop), order);
		} else if (r->found >> prop & 1 && r->cex[prop]) {
			print_cex(prog, r, prop, out, trail);
		} else if (r->complete) {
			g_string_append_printf(out, "%s: never\n",
					       sim_prop_name(prop));
		} else {
			g_string_append_printf(out, "%s: incomplete (%s)\n",
					       sim_prop_name(prop), r->bound);
			incomplete++;
		}
	}
	SimPropSet other = r->found & (SimPropSet)~check;
	if (other) {
		g_string_append(out, "reached, not checked by the scenario: ");
		sim_props_format(out, other);
		g_string_append_c(out, '\n');
	}
	return incomplete;
}

static void print_stats(const SimExploreOptions *o, const SimExploreResult *r,
			FILE *f)
{
	double sec = r->seconds > 0 ? r->seconds : 1e-9;

	fprintf(f, "stats: %.3f s, %.0f states/s, %.0f transitions/s, "
		"peak %.1f MB, %.0f bytes/state stored\n", r->seconds,
		o->kind == SIM_SEARCH_EXHAUSTIVE ? (double)r->states / sec :
		(double)r->runs / sec, (double)r->transitions / sec,
		(double)r->peak_bytes / (1024.0 * 1024.0),
		(double)r->store_bytes / (double)MAX(r->states, 1));
}

/* --stats: the same search without reduction, for comparison. */
static void print_reduction(const SimProgram *prog, const SimExploreOptions *o,
			    const SimExploreResult *r, GString *out)
{
	SimExploreOptions full = *o;
	SimExploreResult nr;

	if (o->kind == SIM_SEARCH_EXHAUSTIVE && !r->por && r->unreduced_why) {
		/* the search was the unreduced one: a second would be it */
		g_string_append_printf(out, "reduction: none (%s)\n",
				       r->unreduced_why);
		return;
	}
	/* --time-max bounds a model's run, not each search in it: the
	 * comparison gets what the reduced search left of it */
	if (o->time_max > 0) {
		full.time_max = o->time_max - r->seconds;
		if (full.time_max <= 0) {
			g_string_append(out, "reduction: not measured (--time-max "
					"spent by the reduced search)\n");
			return;
		}
	}
	full.por = false;
	sim_explore(prog, &full, &nr);
	g_string_append_printf(out, "reduction: %" G_GUINT64_FORMAT " states, %"
		G_GUINT64_FORMAT " transitions with POR; %" G_GUINT64_FORMAT
		" states, %" G_GUINT64_FORMAT " transitions without (%.2fx "
		"fewer states, %.2fx fewer transitions)%s\n", r->states,
		r->transitions, nr.states, nr.transitions,
		(double)nr.states / (double)MAX(r->states, 1),
		(double)nr.transitions / (double)MAX(r->transitions, 1),
		nr.found == r->found ? "" : "; VERDICTS DIFFER");
	g_string_append_printf(out, "stats without POR: %.3f s, %.0f "
			       "states/s\n", nr.seconds, (double)nr.states /
			       (nr.seconds > 0 ? nr.seconds : 1e-9));
	sim_explore_result_clear(&nr);
}

static void json_model(const SimProgram *prog, const SimExploreOptions *o,
		       const SimExploreResult *r, GString *j)
{
	SimPropSet check = prog->scn->check;
	bool first = true;

	g_string_append(j, "    {\"model\": ");
	sim_json_string(j, prog->model->name);
	g_string_append_printf(j, ", \"applicable\": true, \"search\": \"%s\", "
		"\"por\": %s, \"complete\": %s, \"bound\": ",
		o->kind == SIM_SEARCH_RANDOM ? "random" :
		o->kind == SIM_SEARCH_PCT ? "pct" : "exhaustive",
		r->por ? "true" : "false", r->complete ? "true" : "false");
	if (r->bound)
		sim_json_string(j, r->bound);
	else
		g_string_append(j, "null");
	g_string_append_printf(j, ", \"states\": %" G_GUINT64_FORMAT
		", \"transitions\": %" G_GUINT64_FORMAT ", \"runs\": %"
		G_GUINT64_FORMAT ", \"depth\": %u, \"properties\": {",
		r->states, r->transitions, r->runs, r->depth);
	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		if (!(check >> prop & 1))
			continue;
		const GArray *a = r->cex[prop];
		bool hit = r->found >> prop & 1;
		g_string_append_printf(j, "%s\"%s\": {\"verdict\": \"%s\"",
			first ? "" : ", ", sim_prop_name(prop), hit ?
			"sometimes" : not_checked(o, prop) ? "not checked" :
			r->complete ? "never" : "incomplete");
		first = false;
		if (hit && a) {
			g_string_append_printf(j, ", \"preemptions\": %d, "
				"\"steps\": %u, ", r->cex_preemptions[prop],
				a->len);
			if (prop == SIM_PROP_LIVELOCK)
				g_string_append_printf(j, "\"cycle_from\": %d, ",
						       r->cycle_from);
			g_string_append(j, "\"schedule\": [");
			for (guint i = 0; i < a->len; i++)
				g_string_append_printf(j, "%s%d", i ? ", " : "",
						       g_array_index(a, int, i));
			g_string_append_c(j, ']');
		}
		if (hit && sim_cli_order_report(r, prop)) {
			g_string_append(j, ", \"report\": ");
			sim_json_lines(j, sim_cli_order_report(r, prop));
		}
		g_string_append_c(j, '}');
	}
	g_string_append(j, "}}");
}

/* Explore PROG and print; returns the exit code for this model. */
static int explore_one(const Args *a, const SimProgram *prog, GString *out,
		       GString *json, char **trail)
{
	SimExploreOptions o;
	SimExploreResult r;
	int rc = SIM_EXIT_OK;

	options_from(a, &o);
	bool ok = sim_explore(prog, &o, &r);
	if (o.progress)
		fputs("\r\033[K", stderr);    /* the progress line goes */
	if (!ok) {
		fflush(stdout);
		fprintf(stderr, "faultline: %s", r.model_error_msg ?
			r.model_error_msg : "model error\n");
		sim_explore_result_clear(&r);
		return SIM_EXIT_USAGE;
	}
	g_string_append_printf(out, "model %s: %s\n", prog->model->name,
			       prog->model->summary ? prog->model->summary : "");
	print_coverage(&o, &r, a->member, a->members, out);
	if (print_verdicts(prog, &o, &r, out, trail))
		rc = SIM_EXIT_INCOMPLETE;
	if (r.found & prog->scn->check)
		rc = SIM_EXIT_VIOLATION;
	if (a->stats) {
		GString *s = g_string_new(NULL);
		print_reduction(prog, &o, &r, s);
		fputs(out->str, stdout);
		g_string_truncate(out, 0);
		print_stats(&o, &r, stdout);
		fputs(s->str, stdout);
		g_string_free(s, TRUE);
	} else {
		fputs(out->str, stdout);
		g_string_truncate(out, 0);
		fflush(stdout);
		print_stats(&o, &r, stderr);
	}
	if (json)
		json_model(prog, &o, &r, json);
	sim_explore_result_clear(&r);
	return rc;
}

/* ---- models ------------------------------------------------------------- */

static void json_na(const char *model, const char *why, GString *j)
{
	g_string_append(j, "    {\"model\": ");
	sim_json_string(j, model);
	g_string_append(j, ", \"applicable\": false, \"why\": ");
	sim_json_string(j, why);
	g_string_append_c(j, '}');
}

/* One model of --all-models: explored, or n/a with the reason. */
static int all_models_one(SimCli *cli, const Args *a, const SimScenario *scn,
			  const char *name, GString *out, GString *json)
{
	GError *error = NULL;
	char *why = NULL;
	SimModel *m = sim_parse_model_load(cli->models_path, name, &error);
	SimProgram *prog = NULL;
	int rc = SIM_EXIT_OK;

	if (!m || (!(prog = sim_cli_link(m, scn, &why, &error)) && !why))
		rc = sim_cli_fail(error);
	if (why) {
		g_string_append_printf(out, "model %s: n/a: %s\n\n", name, why);
		if (json)
			json_na(name, why, json);
	} else if (prog) {
		rc = explore_one(a, prog, out, json, NULL);
		g_string_append_c(out, '\n');
	}
	g_free(why);
	sim_program_free(prog);
	sim_model_free(m);
	return rc;
}

static int run_all_models(SimCli *cli, const Args *a, GString *out,
			  GPtrArray *json)
{
	GError *error = NULL;
	SimScenario *scn = sim_cli_load_scenario(cli, a->scenario, &error);
	int rc = SIM_EXIT_OK;

	if (!scn)
		return sim_cli_fail(error);
	sim_cli_scenario_line(scn, out);
	g_string_append_c(out, '\n');
	GPtrArray *names = sim_cli_model_names(cli->models_path, &error);
	if (!names) {
		sim_scenario_free(scn);
		return sim_cli_fail(error);
	}
	for (guint i = 0; i < names->len && rc != SIM_EXIT_USAGE; i++) {
		GString *j = g_string_new(NULL);
		int one = all_models_one(cli, a, scn, names->pdata[i], out, j);
		if (j->len)
			g_ptr_array_add(json, g_string_free(j, FALSE));
		else
			g_string_free(j, TRUE);
		fputs(out->str, stdout);
		g_string_truncate(out, 0);
		rc = sim_cli_exit_worst(rc, one);
	}
	g_ptr_array_free(names, TRUE);
	sim_scenario_free(scn);
	return rc;
}

static int run_one_model(SimCli *cli, const Args *a, GString *out,
			 GPtrArray *json)
{
	SimScenario *scn = NULL;
	SimModel *m = NULL;
	SimProgram *prog = NULL;
	char *trail = NULL;
	GError *error = NULL;
	int rc = sim_cli_load(cli, a->scenario, a->model, &scn, &m, &prog);

	if (!rc) {
		GString *j = g_string_new(NULL);
		sim_cli_scenario_line(scn, out);
		g_string_append_c(out, '\n');
		rc = explore_one(a, prog, out, j, &trail);
		g_ptr_array_add(json, g_string_free(j, FALSE));
	}
	if (rc != SIM_EXIT_USAGE) {
		if (a->trail && trail &&
		    !sim_cli_write_file(a->trail, trail, &error))
			rc = sim_cli_fail(error);
		else if (a->trail && !trail)
			fprintf(stderr, "faultline explore: no counterexample: "
				"%s not written\n", a->trail);
	}
	g_free(trail);
	sim_program_free(prog);
	sim_model_free(m);
	sim_scenario_free(scn);
	return rc;
}

static void json_write(const Args *a, GPtrArray *models, GString *j)
{
	g_string_append_printf(j, "{\n  \"faultline\": %d,\n  \"command\": "
			       "\"explore\",\n  \"scenario\": ",
			       SIM_JSON_VERSION);
	sim_json_string(j, a->scenario);
	if (a->swarm)
		g_string_append_printf(j, ",\n  \"swarm\": \"%u/%u\"",
				       a->member, a->members);
	g_string_append(j, ",\n  \"models\": [\n");
	for (guint i = 0; i < models->len; i++)
		g_string_append_printf(j, "%s%s", (char *)models->pdata[i],
				       i + 1 < models->len ? ",\n" : "\n");
	g_string_append(j, "  ]\n}\n");
}

static bool check_args(Args *a, int argc)
{
	a->model = a->models ? a->models[0] : NULL;
	if (argc != 2 || (!a->model == !a->all_models) ||
	    (a->model && a->models[1]))
		return sim_cli_usage("explore", "needs one SCENARIO and either "
				     "one -m MODEL or --all-models") && false;
	if (a->trail && a->all_models)
		return sim_cli_usage("explore", "--trail needs -m MODEL") &&
		       false;
	if ((a->seed != SEED_UNSET || a->pct) && !a->random)
		return sim_cli_usage("explore", "--seed and --pct need "
				     "--random N") && false;
	if (a->jobs < 0)
		return sim_cli_usage("explore", "--jobs takes a positive "
				     "number") && false;
	/* merge reads a member's "not checked" as covered (never) */
	if (a->swarm && a->no_livelock)
		return sim_cli_usage("explore", "--swarm with --no-livelock: "
				     "`faultline merge` takes every member's "
				     "properties as checked") && false;
	if (a->swarm && (a->random || a->pct))
		return sim_cli_usage("explore", "--swarm diversifies the "
				     "exhaustive search, not --random") &&
		       false;
	if (a->swarm && !sim_cli_shard_parse(a->swarm, &a->member,
					     &a->members))
		return sim_cli_usage("explore", "--swarm takes I/N, 1 <= I "
				     "<= N <= %d (got '%s')", SIM_SHARDS_MAX,
				     a->swarm) && false;
	if (!isfinite(a->time_max))
		return sim_cli_usage("explore", "--time-max takes a finite "
				     "number of seconds") && false;
	if (a->states_max < 0 || a->depth_max < 0 || a->time_max < 0 ||
	    a->memory_max < 0 || a->random < 0 || a->pct < 0 ||
	    a->pct > 64 || (a->seed < 0 && a->seed != SEED_UNSET))
		return sim_cli_usage("explore", "bounds, --random, --seed and "
				     "--pct take non-negative numbers "
				     "(--pct at most 64)") && false;
	return true;
}

int sim_cmd_explore(SimCli *cli, int argc, char **argv)
{
	Args a = { .memory_max = SIM_EXPLORE_MEMORY_DEFAULT_MB };
	GOptionEntry options[] = {
		{ "model", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &a.models,
		  "the model (models/NAME.model)", "NAME" },
		{ "all-models", 0, 0, G_OPTION_ARG_NONE, &a.all_models,
		  "every applicable model in the models directory", NULL },
		{ "json", 0, 0, G_OPTION_ARG_FILENAME, &a.json,
		  "also write the results as JSON", "FILE" },
		{ "trail", 0, 0, G_OPTION_ARG_FILENAME, &a.trail,
		  "write the first counterexample for `faultline replay`",
		  "FILE" },
		{ "no-por", 0, 0, G_OPTION_ARG_NONE, &a.no_por,
		  "no partial-order reduction", NULL },
		{ "exact", 0, 0, G_OPTION_ARG_NONE, &a.exact,
		  "store whole states, not fingerprints", NULL },
		{ "no-livelock", 0, 0, G_OPTION_ARG_NONE, &a.no_livelock,
		  "safety only, as SPIN's pan -DSAFETY: livelock is not "
		  "checked (printed \"not checked\") and its unreduced pass "
		  "not run", NULL },
		{ "stats", 0, 0, G_OPTION_ARG_NONE, &a.stats,
		  "timing on stdout, and the reduction against --no-por",
		  NULL },
		{ "states-max", 0, 0, G_OPTION_ARG_INT64, &a.states_max,
		  "stop after N states", "N" },
		{ "depth-max", 0, 0, G_OPTION_ARG_INT, &a.depth_max,
		  "explore paths up to N steps", "N" },
		{ "time-max", 0, 0, G_OPTION_ARG_DOUBLE, &a.time_max,
		  "stop after SEC seconds", "SEC" },
		{ "memory-max", 0, 0, G_OPTION_ARG_INT64, &a.memory_max,
		  "stop beyond MB megabytes", "MB" },
		{ "random", 0, 0, G_OPTION_ARG_INT, &a.random,
		  "N seeded random walks instead", "N" },
		{ "seed", 0, 0, G_OPTION_ARG_INT64, &a.seed,
		  "seed of --random / --pct (default 1)", "S" },
		{ "pct", 0, 0, G_OPTION_ARG_INT, &a.pct,
		  "PCT with DEPTH priority change points", "DEPTH" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &a.jobs,
		  "threads of the search (default 1); the output is the "
		  "same whatever N is", "N" },
		{ "swarm", 0, 0, G_OPTION_ARG_STRING, &a.swarm,
		  "member I of a swarm of N: the search's choices in an "
		  "order of its own (`faultline merge` the members)", "I/N" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GPtrArray *json = g_ptr_array_new_with_free_func(g_free);
	GString *out = g_string_new(NULL);
	GError *error = NULL;
	int rc;

	a.seed = SEED_UNSET;
	if (!sim_cli_parse_options("explore", "SCENARIO", options, &argc,
				   &argv)) {
		rc = SIM_EXIT_USAGE;
		goto out;
	}
	if (!check_args(&a, argc)) {
		rc = SIM_EXIT_USAGE;
		goto out;
	}
	if (a.seed == SEED_UNSET)
		a.seed = 1;
	if (!sim_cli_outputs("explore", a.json, a.trail)) {
		rc = SIM_EXIT_USAGE;
		goto out;
	}
	a.scenario = argv[1];
	a.interrupted = cli->interrupted;
	print_command(&a, out);
	rc = a.all_models ? run_all_models(cli, &a, out, json) :
	     run_one_model(cli, &a, out, json);
	if (rc == SIM_EXIT_USAGE && *a.interrupted) {
		/* the signal cut reading the input short */
		g_string_append(out, "incomplete (interrupted)\n");
		rc = SIM_EXIT_INCOMPLETE;
	}
	if (rc != SIM_EXIT_USAGE)
		fputs(out->str, stdout);
	if (a.json && rc != SIM_EXIT_USAGE) {
		GString *j = g_string_new(NULL);
		json_write(&a, json, j);
		if (!sim_cli_write_file(a.json, j->str, &error))
			rc = sim_cli_fail(error);
		g_string_free(j, TRUE);
	}
out:
	g_string_free(out, TRUE);
	g_ptr_array_free(json, TRUE);
	g_strfreev(a.models);
	g_free(a.json);
	g_free(a.trail);
	g_free(a.swarm);
	return rc;
}
