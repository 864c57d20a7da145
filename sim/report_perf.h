/*
 * report_perf.h - what `faultline perf` measured, and its three
 * renderings: the text tables on stdout, --json (the schema is written
 * out in reports/perf.py's header, which plots it) and --csv.
 *
 * A SimPerf holds, per model, one timed run (des.h) per widen factor and
 * CPU count, in that order (widen-major), and the Universal Scalability
 * Law fitted on the runs of the first factor.  The renderers only lay
 * out what the runs measured: every figure is a run's, a sum or ratio of
 * a run's, or the fit's.  Deterministic: the same SimPerf gives the same
 * bytes.
 */
#ifndef SIM_REPORT_PERF_H
#define SIM_REPORT_PERF_H

#include <stdbool.h>
#include <glib.h>
#include "des.h"
#include "usl.h"

#define SIM_PERF_WIDEN_MAX 16   /* entries of --widen */

typedef struct {
	int cpus;
	int widen;
	SimDesResult r;
} SimPerfRun;

typedef struct {
	SimModel *model;        /* owned: the runs' names are borrowed from it */
	char *name;
	char *summary;
	char *why;              /* n/a: why (no runs), else NULL */
	SimPerfRun *runs;       /* widen-major, then CPUs, as SimPerf lists */
	int nruns;
	double nolock_ns;       /* mean op time at 1 CPU with every lock
				 * primitive free; 0: not measured (no 1) */
	bool usl_ok;            /* fitted (needs 1 and another count) */
	SimUsl usl;
} SimPerfModel;

typedef struct {
	const SimScenario *scn;
	const char *scenario;   /* as given */
	const char *costs;      /* the cost model's name */
	uint64_t seed;          /* the runs' seed */
	const int *cpus;
	int ncpus;
	const int *widen;       /* widen[0] is the timing the tables use */
	int nwiden;
	SimPerfModel *models;
	int nmodels;
} SimPerf;

/* sim_perf_model_fit - fit M's USL on its runs at the first factor. */
void sim_perf_model_fit(const SimPerf *p, SimPerfModel *m);

/* sim_perf_mean_ns - the mean latency of R's CPU-loop ops (0: none). */
double sim_perf_mean_ns(const SimDesResult *r);

/* sim_perf_text - the tables: per model its runs, USL, op latencies,
 * lock_stat and violations with the first one's timed trace; then one
 * summary row per model, and the race rates per widen factor. */
void sim_perf_text(const SimPerf *p, GString *out);

/* sim_perf_json - the --json document. */
void sim_perf_json(const SimPerf *p, GString *out);

/* sim_perf_csv - the --csv table: one row per run, op and lock class. */
void sim_perf_csv(const SimPerf *p, GString *out);

/* sim_perf_violations - whether any run saw a property P checks. */
bool sim_perf_violations(const SimPerf *p);

/* One cell of `perf --races`: a race scenario under a model, explored
 * (the properties explore found) and run in timed episodes once per
 * widen factor. */
typedef struct {
	const char *race;       /* the scenario's id (R1...), or its name */
	const char *model;
	SimPropSet check;       /* the scenario's checked properties */
	SimPropSet found;       /* explore's, checked ones */
	bool complete;          /* explore's search was complete */
	int nwiden;
	uint64_t ops[SIM_PERF_WIDEN_MAX];
	uint64_t episodes[SIM_PERF_WIDEN_MAX];
	uint64_t count[SIM_PERF_WIDEN_MAX][SIM_PROP_COUNT];
} SimRaceCell;

/* sim_perf_races_text - one row per property of each cell explore finds
 * racing (and of any other cell whose timed runs saw one), with its
 * races per million ops and per episode at each factor of WIDEN; then
 * the CLEAN cells' count.  Returns the number of cells explore found
 * CLEAN (complete) whose timed runs saw a checked property: a bug in
 * des, as explore's search covers every interleaving the timed runs can
 * take. */
int sim_perf_races_text(const SimRaceCell *cells, int n, const int *widen,
			int nwiden, GString *out);

#endif
