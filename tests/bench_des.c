/*
 * bench_des.c - how fast a timed run simulates: events (steps) per second
 * of wall time on one core, for `make bench` (tests/bench-des.sh).
 *
 *   bench_des SCENARIO MODEL [CPUS [OPS]]
 *
 * Runs SCENARIO's workload on MODEL (from models/) under dram-2015 and
 * prints one line: the model, CPUs, events, wall and CPU seconds, and
 * events per CPU second (the machine is shared: wall time counts other
 * processes' turns too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "cost.h"
#include "des.h"
#include "parse.h"

int main(int argc, char **argv)
{
	GError *err = NULL;
	char *missing = NULL;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_des SCENARIO MODEL [CPUS [OPS]]\n");
		return 2;
	}
	SimScenario *s = sim_parse_scenario_file(argv[1], &err);
	SimModel *m = s ? sim_parse_model_load("models", argv[2], &err) : NULL;
	SimCosts *c = m ? sim_costs_load("dram-2015", "models/costs", &err) :
		NULL;
	if (!c) {
		fprintf(stderr, "bench_des: %s\n", err->message);
		return 2;
	}
	SimDesConfig cfg = { .costs = c,
			     .cpus = argc > 3 ? atoi(argv[3]) : 0,
			     .ops = argc > 4 ? strtoull(argv[4], NULL, 10) : 0 };
	SimDesResult r;
	gint64 t0 = g_get_monotonic_time();
	clock_t c0 = clock();
	SimDesStatus st = sim_des_run(m, s, &cfg, &r, &missing, &err);
	double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
	double sec = (double)(g_get_monotonic_time() - t0) / 1e6;
	int rc = 0;

	if (st != SIM_DES_OK) {
		fprintf(stderr, "bench_des: %s\n", err ? err->message : missing);
		rc = 2;
	} else {
		printf("%-22s %4d %10lu %7.3f %7.3f %8.2f\n", argv[2], r.cpus,
		       (unsigned long)r.events, sec, cpu,
		       (double)r.events / cpu / 1e6);
	}
	sim_des_result_clear(&r);
	g_clear_error(&err);
	g_free(missing);
	sim_costs_free(c);
	sim_model_free(m);
	sim_scenario_free(s);
	return rc;
}
