/*
 * report_ci.h - `faultline check`'s judgements in the forms CI systems
 * read: JUnit XML (one testcase per scenario x model, the counterexample
 * in the failure body), TAP version 13, JSON, and an xfstests-style
 * results directory holding, for each failed expectation, what the judge
 * saw (NAME.out.bad) and the trail that replays it (NAME.trail).
 *
 * Every writer is a function of the cases alone (no timing, no host), so
 * each output is byte-identical across runs; tests/junit.xsd is the
 * schema the JUnit writer keeps to (tests/cli.sh validates against it).
 */
#ifndef SIM_REPORT_CI_H
#define SIM_REPORT_CI_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

/* One judged expectation (or a scenario that could not be judged:
 * model NULL). */
typedef struct {
	const char *scenario;   /* its name, or its file if it did not parse */
	const char *file;
	const char *model;      /* NULL: the scenario itself is bad input */
	int line, col;          /* the expect line */
	bool ok;
	bool error;             /* bad input or a broken model, not a verdict */
	const char *expected, *got;
	const char *message;    /* why it failed: "file:line:col: ..." */
	const char *diagram;    /* the counterexample drawn, or NULL */
	const char *trail;      /* its trail file, or NULL */
	uint64_t states;
} SimCase;

void sim_report_junit(const SimCase *c, int n, GString *out);
void sim_report_tap(const SimCase *c, int n, GString *out);
void sim_report_json(const SimCase *c, int n, GString *out);

/* sim_report_results - under DIR (created), DIR/SCENARIO/MODEL.out.bad
 * and DIR/SCENARIO/MODEL.trail for each failed case; FALSE with ERROR. */
gboolean sim_report_results(const char *dir, const SimCase *c, int n,
			    GError **error);

#endif
