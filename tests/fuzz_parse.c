/*
 * fuzz_parse.c - libFuzzer harness for the model and scenario parsers.
 *
 * Each input is parsed as a model, as a scenario, as a cost file and as a
 * trail file,
 * then (when it parses as a scenario) its first line is also tried as a
 * --schedule argument.  The parsers must never crash, never leak, and must report
 * every failure as "FILE:LINE:COL: message" with no trailing period.
 * `extends` loads parents from $FUZZ_MODELS_DIR (default: a directory
 * that does not exist), so the fuzzer can explore real model chains.
 *
 * Build:
 *   clang -fsanitize=fuzzer,address,undefined ... tests/fuzz_parse.c
 *   gcc -DFUZZ_MAIN -fsanitize=address,undefined ... tests/fuzz_parse.c
 * The FUZZ_MAIN build runs each file named on the command line once,
 * for replaying a corpus or a crash without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../sim/cost.h"
#include "../sim/parse.h"
#include "../sim/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failure must name its input and a position. */
static void check_error(GError *err, const char *file)
{
	size_t n = strlen(err->message);

	if (err->domain != SIM_PARSE_ERROR ||
	    !g_str_has_prefix(err->message, file) ||
	    (n > 0 && err->message[n - 1] == '.')) {
		fprintf(stderr, "bad error message: %s\n", err->message);
		abort();
	}
}

static void try_schedule(const char *text, const SimScenario *scn)
{
	const char *nl = strchr(text, '\n');
	char *line = nl ? g_strndup(text, (gsize)(nl - text)) : g_strdup(text);
	SimSchedule sc;
	GError *err = NULL;

	if (sim_parse_schedule(line, "--schedule", scn, &sc, &err))
		sim_schedule_clear(&sc);
	else
		check_error(err, "--schedule:1:");
	g_clear_error(&err);
	g_free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = getenv("FUZZ_MODELS_DIR");
	char *text = g_strndup((const char *)data, size);
	GError *err = NULL;
	SimModel *m;
	SimScenario *s;

	/* No ".model" suffix, so the model may have any name. */
	m = sim_parse_model_string(text, "fuzz", dir ? dir : "/nonexistent",
				   &err);
	if (m)
		sim_model_free(m);
	else if (!g_str_has_prefix(err->message, "fuzz:"))
		check_error(err, dir ? dir : "/nonexistent");
	else
		check_error(err, "fuzz:");
	g_clear_error(&err);

	SimCosts *c = sim_costs_parse(text, "fuzz.cost", &err);
	if (c)
		sim_costs_free(c);
	else
		check_error(err, "fuzz.cost:");
	g_clear_error(&err);

	s = sim_parse_scenario_string(text, "fuzz.scn", &err);
	if (s) {
		try_schedule(text, s);
		sim_scenario_free(s);
	} else {
		check_error(err, "fuzz.scn:");
	}
	g_clear_error(&err);

	SimTrail tr;
	if (sim_trail_parse(text, "fuzz.trail", &tr, &err)) {
		sim_trail_clear(&tr);
	} else if (!g_str_has_prefix(err->message, "fuzz.trail:")) {
		fprintf(stderr, "bad trail error message: %s\n", err->message);
		abort();
	}
	g_clear_error(&err);
	g_free(text);
	return 0;
}

#include "fuzz_main.h"
