/*
 * fuzz_engine.c - libFuzzer harness for the engine behind the parsers.
 *
 * An input is a model, a line "%%", and a scenario.  When both parse and
 * link, the pair is run by the default policy and explored with small
 * bounds; a scenario with a workload is also run timed (des.h) for a few
 * hundred ops under a cost model where every primitive takes 10 ns.  A malformed or broken model must end as a parse error or a
 * model error ("broken model"), never as an engine assertion: SIM_ASSERT
 * aborts, and libFuzzer reports the abort as a crash.  `extends` loads
 * parents from $FUZZ_MODELS_DIR (make fuzz sets models/).
 *
 * Build as tests/fuzz_parse.c (FUZZ_MAIN replays files without libFuzzer).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/parse.h"
#include "../sim/des.h"
#include "../sim/explore.h"
#include "../sim/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const SimProgram *p)
{
	SimTrace *t = sim_trace_new(p);
	SimRun r;
	SimExploreOptions o;
	SimExploreResult res = { 0 };

	if (sim_run_start(&r, p, t))
		sim_run_schedule(&r, NULL);
	sim_run_finish(&r);
	sim_trace_free(t);
	sim_explore_options_default(&o);
	o.states_max = 2000;
	o.depth_max = 120;
	sim_explore(p, &o, &res);
	sim_explore_result_clear(&res);
}

/* A timed run of S's workload on M: 300 ops, 1 ms at most. */
static void exercise_timed(const SimModel *m, const SimScenario *s)
{
	GString *t = g_string_new("costs fuzz\n");
	static const char *const events[] = {
		"contended", "sleep", "wake", "alloc", "shootdown",
	};
	for (int i = 0; i < SIM_P_COUNT; i++)
		g_string_append_printf(t, "prim %s 10ns\n", sim_prims[i].name);
	for (size_t i = 0; i < G_N_ELEMENTS(events); i++)
		g_string_append_printf(t, "event %s exp(20ns)\n", events[i]);
	SimCosts *c = sim_costs_parse(t->str, "fuzz.cost", NULL);
	SimDesConfig cfg = { .costs = c, .ops = 300, .duration_ns = 1000000 };
	SimDesResult r;
	char *missing = NULL;
	GError *err = NULL;

	sim_des_run(m, s, &cfg, &r, &missing, &err);
	sim_des_result_clear(&r);
	g_clear_error(&err);
	g_free(missing);
	sim_costs_free(c);
	g_string_free(t, TRUE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = getenv("FUZZ_MODELS_DIR");
	char *text = g_strndup((const char *)data, size);
	char *sep = strstr(text, "\n%%\n");
	GError *err = NULL;
	char *missing = NULL;

	if (!sep) {
		g_free(text);
		return 0;
	}
	*sep = '\0';
	SimModel *m = sim_parse_model_string(text, "fuzz", dir ? dir :
					     "/nonexistent", &err);
	g_clear_error(&err);
	SimScenario *s = sim_parse_scenario_string(sep + 4, "fuzz.scn", &err);
	g_clear_error(&err);
	if (m && s && !m->abstract) {
		SimProgram *p = sim_program_link(m, s, &missing, &err);
		if (p)
			exercise(p);
		sim_program_free(p);
		g_clear_error(&err);
		g_free(missing);
		if (s->workload)
			exercise_timed(m, s);
	}
	sim_scenario_free(s);
	sim_model_free(m);
	g_free(text);
	return 0;
}

#include "fuzz_main.h"
