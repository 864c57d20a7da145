/*
 * fuzz_engine.c - libFuzzer harness for the engine behind the parsers.
 *
 * An input is a model, a line "%%", and a scenario.  When both parse and
 * link, the pair is run by the default policy and explored with small
 * bounds.  A malformed or broken model must end as a parse error or a
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
	}
	sim_scenario_free(s);
	sim_model_free(m);
	g_free(text);
	return 0;
}

#include "fuzz_main.h"
