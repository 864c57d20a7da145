/*
 * tracecount.c - the reduction against the Mazurkiewicz trace count, for
 * the README's Performance section (tests/traces.h).
 *
 *   tracecount SCENARIO MODEL [MODELS-DIR [MAX-RUNS]]
 *
 * Prints one line: the model, complete interleavings, their traces,
 * and the states and transitions explore stores and makes with and
 * without reduction (livelock not checked: it needs the unreduced
 * search); "incomplete" when the enumeration gave up
 * (MAX-RUNS, default 2,000,000, or a cycle).
 */
#include <stdio.h>
#include <stdlib.h>
#include "parse.h"
#include "explore.h"
#include "traces.h"

static void explore(const SimProgram *p, bool por, SimExploreResult *r)
{
	SimExploreOptions o;

	sim_explore_options_default(&o);
	o.por = por;
	o.no_livelock = true;   /* livelock takes the unreduced search */
	if (!sim_explore(p, &o, r))
		exit(2);
}

int main(int argc, char **argv)
{
	GError *err = NULL;
	char *missing = NULL;

	if (argc < 3) {
		fprintf(stderr, "usage: tracecount SCENARIO MODEL [MODELS-DIR "
			"[MAX-RUNS]]\n");
		return 2;
	}
	SimScenario *s = sim_parse_scenario_file(argv[1], &err);
	SimModel *m = s ? sim_parse_model_load(argc > 3 ? argv[3] : "models",
					       argv[2], &err) : NULL;
	SimProgram *p = m ? sim_program_link(m, s, &missing, &err) : NULL;
	if (!p) {
		fprintf(stderr, "tracecount: %s\n", err ? err->message :
			missing ? missing : "n/a");
		return 2;
	}
	TraceCount tc;
	SimExploreResult red, full;

	trace_count(p, argc > 4 ? strtoull(argv[4], NULL, 10) : 2000000, &tc);
	explore(p, true, &red);
	explore(p, false, &full);
	printf("%-24s runs %10lu traces %8lu%s  states %6lu/%6lu  "
	       "transitions %6lu/%6lu (POR/none)\n", argv[2],
	       (unsigned long)tc.runs, (unsigned long)tc.traces,
	       tc.complete ? "" : " incomplete",
	       (unsigned long)red.states, (unsigned long)full.states,
	       (unsigned long)red.transitions, (unsigned long)full.transitions);
	sim_explore_result_clear(&red);
	sim_explore_result_clear(&full);
	sim_program_free(p);
	sim_model_free(m);
	sim_scenario_free(s);
	g_free(missing);
	return 0;
}
