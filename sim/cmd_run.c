/*
 * cmd_run.c - `faultline run` and `faultline replay`: one interleaving,
 * drawn as columns.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "input.h"
#include "parse.h"
#include "run.h"

static void free_job(SimScenario *scn, SimModel *m, SimProgram *prog)
{
	sim_program_free(prog);
	sim_model_free(m);
	sim_scenario_free(scn);
}

/* Print the run; returns its exit code. */
static int report(const SimTrace *t, const char *errors, const char *json,
		  const char *trail, const char *command)
{
	const SimScenario *s = t->prog->scn;
	const SimModel *m = t->prog->model;
	GString *out = g_string_new(NULL);
	SimPropSet bad = t->found & s->check;
	GError *error = NULL;
	char *sched;
	int rc;

	if (t->end == SIM_END_MODEL_ERROR) {
		fprintf(stderr, "faultline: %s", errors);
		g_string_free(out, TRUE);
		return SIM_EXIT_USAGE;
	}
	sim_cli_scenario_line(s, out);
	g_string_append_printf(out, "model %s: %s\n\n", m->name,
			       m->summary ? m->summary : "");
	sim_trace_diagram(t, out);
	g_string_append_c(out, '\n');
	if (t->end_note)
		g_string_append_printf(out, "%s%s", t->end_note,
			g_str_has_suffix(t->end_note, "\n") ? "" : "\n");
	for (int i = 0; i < 2; i++)
		if (t->order[i] && (s->check >> sim_lockdep_props[i] & 1))
			g_string_append(out, t->order[i]);
	sched = sim_trace_schedule(t);
	g_string_append_printf(out, "schedule: %s\n", sched);
	g_free(sched);
	if (t->end == SIM_END_IMPOSSIBLE) {
		g_string_append_printf(out, "verdict: IMPOSSIBLE: this "
				       "interleaving cannot happen under %s\n",
				       m->name);
		rc = SIM_EXIT_IMPOSSIBLE;
	} else if (bad) {
		g_string_append(out, "verdict: ");
		/* a class cycle alone: the run itself went through */
		SimPropSet order = (SimPropSet)(1u << SIM_PROP_LOCK_ORDER |
						1u << SIM_PROP_WAIT_ORDER);
		g_string_append(out, bad & (1u << SIM_PROP_DEADLOCK |
				1u << SIM_PROP_LOST_WAKEUP) ? "DEADLOCK (" :
				bad & 1u << SIM_PROP_LIVELOCK ? "LIVELOCK (" :
				bad & (SimPropSet)~order ? "RACE (" :
				"LOCK CYCLE (");
		sim_props_format(out, bad);
		g_string_append(out, ")\n");
		rc = SIM_EXIT_VIOLATION;
	} else if (t->end == SIM_END_BOUND) {
		g_string_append(out, "verdict: BOUND: the run did not finish "
				"within SIM_STEPS_MAX steps\n");
		rc = SIM_EXIT_INCOMPLETE;
	} else {
		g_string_append(out, "verdict: no checked property violated "
				"in this interleaving\n");
		rc = SIM_EXIT_OK;
	}
	fputs(out->str, stdout);
	g_string_free(out, TRUE);
	if (json) {
		GString *j = g_string_new(NULL);
		sim_trace_json(t, command, j);
		if (!sim_cli_write_file(json, j->str, &error))
			rc = sim_cli_fail(error);
		g_string_free(j, TRUE);
	}
	if (trail && rc != SIM_EXIT_USAGE) {
		GString *j = g_string_new(NULL);
		sim_trace_trail(t, j);
		if (!sim_cli_write_file(trail, j->str, &error))
			rc = sim_cli_fail(error);
		g_string_free(j, TRUE);
	}
	return rc;
}

int sim_cmd_run(SimCli *cli, int argc, char **argv)
{
	char *model = NULL, *schedule = NULL, *json = NULL, *trail = NULL;
	char **models = NULL;
	GOptionEntry options[] = {
		{ "model", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &models,
		  "the model (models/NAME.model)", "NAME" },
		{ "schedule", 's', 0, G_OPTION_ARG_STRING, &schedule,
		  "a schedule name, segments, or thread list 0,0,1", "S" },
		{ "json", 0, 0, G_OPTION_ARG_FILENAME, &json,
		  "also write the run as JSON", "FILE" },
		{ "trail", 0, 0, G_OPTION_ARG_FILENAME, &trail,
		  "also write a trail for `faultline replay`", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	SimScenario *scn = NULL;
	SimModel *m = NULL;
	SimProgram *prog = NULL;
	SimSchedule sched = { 0 };
	GError *error = NULL;
	int rc;

	if (!sim_cli_parse_options("run", "SCENARIO", options, &argc, &argv))
		return SIM_EXIT_USAGE;
	model = models ? models[0] : NULL;
	if (argc != 2 || !model || models[1]) {
		rc = sim_cli_usage("run", "needs one SCENARIO and one -m MODEL");
		goto out;
	}
	if (!sim_cli_outputs("run", json, trail)) {
		rc = SIM_EXIT_USAGE;
		goto out;
	}
	rc = sim_cli_load(cli, argv[1], model, &scn, &m, &prog);
	if (rc)
		goto out;
	if (schedule && (!sim_parse_schedule(schedule, "--schedule", scn,
					     &sched, &error) ||
			 !sim_cli_check_untils(prog, &sched, &error))) {
		rc = sim_cli_fail(error);
		goto out;
	}
	printf("faultline run %s -m %s%s%s\n", argv[1], model,
	       schedule ? " --schedule " : "", schedule ? schedule : "");
	SimTrace *t = sim_trace_new(prog);
	SimRun r;
	if (sim_run_start(&r, prog, t))
		sim_run_schedule(&r, schedule ? &sched : NULL);
	rc = report(t, r.errors->str, json, trail, "run");
	sim_run_finish(&r);
	sim_trace_free(t);
out:
	sim_schedule_clear(&sched);
	free_job(scn, m, prog);
	g_strfreev(models);
	g_free(schedule);
	g_free(json);
	g_free(trail);
	return rc;
}

/* ---- replay ------------------------------------------------------------ */

/* Whether TID's next instruction comes from the trail's FILE (NULL: not
 * recorded), which is relative to the trail at TRAIL_PATH. */
static bool same_file(const SimRun *r, int tid, const char *file,
		      const char *trail_path)
{
	char *dir, *want, *have;
	bool same;

	if (!file)
		return true;
	dir = g_path_get_dirname(trail_path);
	want = g_canonicalize_filename(file, dir);
	have = g_canonicalize_filename(sim_run_insn_file(r, tid), NULL);
	same = strcmp(want, have) == 0;
	g_free(have);
	g_free(want);
	g_free(dir);
	return same;
}

/* Re-execute the trail, checking that each step is the instruction the
 * trail recorded; a mismatch means the scenario or model changed. */
static gboolean replay_steps(SimRun *r, const SimTrail *tr, const char *path,
			     GError **error)
{
	SimWorld *start = sim_world_dup(r->w);
	gboolean ok = TRUE;

	for (guint i = 0; i < tr->steps->len && ok; i++) {
		if ((int)i == tr->cycle_from) {
			sim_world_copy(start, r->w);
			r->completed = 0;
		}
		const SimTraceStep *want = &g_array_index(tr->steps,
							  SimTraceStep, i);
		int line = g_array_index(tr->lines, int, i);
		const SimInsn *in = NULL;
		if (want->tid < r->w->nthreads &&
		    sim_thread(r->w, want->tid)->status == SIM_TH_RUNNABLE)
			in = sim_step_next_insn(r->w, r->prog, want->tid);
		if (!in || in->line != want->line || in->col != want->col ||
		    in->sub != want->prim ||
		    !same_file(r, want->tid, tr->files->pdata[i], path)) {
			const char *f = tr->files->pdata[i];
			char *what = g_strdup_printf("step %u: T%d %s%s%s, but "
				"the trail says %s%s%d:%d %s: the scenario or "
				"model changed since the trail was written",
				i + 1, want->tid, in ? sim_prims[in->sub].name :
				"cannot run", in ? " in " : "",
				in ? sim_run_insn_file(r, want->tid) : "",
				f ? f : "", f ? ":" : "", want->line, want->col,
				sim_prims[want->prim].name);
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
				    "%s:%d:1: %s", path, line, what);
			g_free(what);
			ok = FALSE;
		} else if (!sim_run_step(r, want->tid)) {
			g_free(start);
			return TRUE;    /* model error: report() prints it */
		}
	}
	if (ok && tr->cycle_from >= 0)
		sim_run_end_cycle(r, start, tr->cycle_from);
	else if (ok)
		sim_run_choices(r, NULL, 0, false);
	g_free(start);
	return ok;
}

int sim_cmd_replay(SimCli *cli, int argc, char **argv)
{
	char *json = NULL;
	GOptionEntry options[] = {
		{ "json", 0, 0, G_OPTION_ARG_FILENAME, &json,
		  "also write the run as JSON", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	SimTrail tr = { 0 };
	SimScenario *scn = NULL;
	SimModel *m = NULL;
	SimProgram *prog = NULL;
	GError *error = NULL;
	int rc;

	if (!sim_cli_parse_options("replay", "TRAIL", options, &argc, &argv))
		return SIM_EXIT_USAGE;
	if (argc != 2) {
		rc = sim_cli_usage("replay", "needs one TRAIL file");
		goto out;
	}
	sim_cli_outputs("replay", json, NULL);
	gsize len;
	char *text = sim_input_read(argv[1], FALSE, &len, &error);
	if (!text || !sim_trail_parse(text, argv[1], &tr, &error)) {
		g_free(text);
		rc = sim_cli_fail(error);
		goto out;
	}
	g_free(text);
	/* the trail's paths are relative to the trail */
	char *dir = g_path_get_dirname(argv[1]);
	char *scn_path = g_canonicalize_filename(tr.scenario, dir);
	char *model_path = tr.model_file ?
			   g_canonicalize_filename(tr.model_file, dir) : NULL;
	rc = sim_cli_load(cli, scn_path, model_path ? model_path : tr.model,
			  &scn, &m, &prog);
	g_free(model_path);
	g_free(scn_path);
	g_free(dir);
	if (rc)
		goto out;
	printf("faultline replay %s\n", argv[1]);
	SimTrace *t = sim_trace_new(prog);
	SimRun r;
	if (sim_run_start(&r, prog, t) &&
	    !replay_steps(&r, &tr, argv[1], &error)) {
		rc = sim_cli_fail(error);
	} else {
		rc = report(t, r.errors->str, json, NULL, "replay");
	}
	sim_run_finish(&r);
	sim_trace_free(t);
out:
	sim_trail_clear(&tr);
	free_job(scn, m, prog);
	g_free(json);
	return rc;
}
