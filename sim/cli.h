/*
 * cli.h - what the subcommands share: loading inputs with file:line:col
 * errors, the options line, and exit codes.
 *
 * Exit codes, one meaning for every command (README "Exit status"; the
 * table `faultline help` prints is exit_table in cli.c):
 *   0  nothing found, and the answer is complete
 *   1  a checked property was found (run, replay, explore) / an
 *      expectation failed (check) / a cell got worse (diff)
 *   2  bad input: scenario, model, schedule, trail or options
 *   3  incomplete, and nothing found: a bound or an interruption
 *   4  the schedule cannot happen under the model (run, replay)
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <glib.h>
#include "explore.h"
#include "prog.h"
#include "trace.h"

enum {
	SIM_EXIT_OK = 0,
	SIM_EXIT_VIOLATION = 1,
	SIM_EXIT_USAGE = 2,
	SIM_EXIT_INCOMPLETE = 3,
	SIM_EXIT_IMPOSSIBLE = 4,
};

/* What the global options and the environment chose. */
typedef struct {
	char *models_path;      /* DIR:DIR:...: --models or FAULTLINE_MODELS,
				 * then the library */
	char *scenarios_dir;    /* the scenario library */
	volatile int *interrupted;      /* set once SIGINT or SIGTERM came */
} SimCli;

typedef int (*SimCommandFn)(SimCli *cli, int argc, char **argv);

typedef struct {
	const char *name;
	SimCommandFn fn;
	const char *args;
	const char *summary;
	const char *examples;   /* command lines, one a line */
} SimCommand;

/* Commands (cmd_*.c); the table is in main.c. */
int sim_cmd_run(SimCli *cli, int argc, char **argv);
int sim_cmd_replay(SimCli *cli, int argc, char **argv);
int sim_cmd_models(SimCli *cli, int argc, char **argv);
int sim_cmd_show(SimCli *cli, int argc, char **argv);
int sim_cmd_explore(SimCli *cli, int argc, char **argv);
int sim_cmd_check(SimCli *cli, int argc, char **argv);
int sim_cmd_matrix(SimCli *cli, int argc, char **argv);
int sim_cmd_scenarios(SimCli *cli, int argc, char **argv);
int sim_cmd_diff(SimCli *cli, int argc, char **argv);
int sim_cmd_merge(SimCli *cli, int argc, char **argv);
int sim_cmd_export(SimCli *cli, int argc, char **argv);
int sim_cmd_perf(SimCli *cli, int argc, char **argv);

/* sim_cli_load_model - the model MODEL: a file when MODEL names one (it
 * contains '/' or ends in ".model"; its parents are found in its own
 * directory, then along cli->models_path), else NAME.model along
 * cli->models_path.  NULL with ERROR set. */
SimModel *sim_cli_load_model(SimCli *cli, const char *model, GError **error);

/* sim_cli_load_scenario - the scenario ARG (sim_cli_scenario_path). */
SimScenario *sim_cli_load_scenario(SimCli *cli, const char *arg,
				   GError **error);

/* sim_cli_load - parse the scenario SCN_PATH and the model MODEL
 * (sim_cli_load_model) and link them.  Returns 0, or after printing why on
 * stderr an exit code: SIM_EXIT_USAGE for a parse error, an abstract
 * model, or a model lacking an op the scenario calls (n/a).  On failure
 * the outputs already loaded are set and must still be freed by the
 * caller (sim_program_free, sim_model_free, sim_scenario_free accept
 * NULL). */
int sim_cli_load(SimCli *cli, const char *scn_path, const char *model,
		 SimScenario **scn, SimModel **m, SimProgram **prog);

/* sim_cli_link - M linked with SCN; NULL with *WHY, why M is n/a for
 * SCN (abstract, or lacking an op SCN calls; caller frees), or with ERROR
 * and *WHY NULL.  For the commands that go over every model and report
 * each one n/a with the reason (explore and perf --all-models). */
SimProgram *sim_cli_link(const SimModel *m, const SimScenario *scn,
			 char **why, GError **error);

/* sim_cli_model_names - the names of the *.model files along PATH
 * (DIR:DIR:...), each once, sorted (a directory's order is not
 * deterministic); NULL with ERROR if a directory cannot be read.  A
 * directory of the path that does not exist is skipped (the installed
 * library may be absent). */
GPtrArray *sim_cli_model_names(const char *path, GError **error);

/* sim_cli_names - likewise, the names of the files NAME.SUFFIX (SUFFIX
 * with its dot) along PATH. */
GPtrArray *sim_cli_names(const char *path, const char *suffix,
			 GError **error);

/* sim_cli_scenario_files - the scenario files PATHS name: files as
 * given, directories searched for *.scn at any depth (symbolic links to
 * directories are not followed), sorted so that output order never
 * depends on a directory's; NULL with ERROR if a directory cannot be
 * read. */
GPtrArray *sim_cli_scenario_files(char **paths, int n, GError **error);

/* sim_cli_scenario_path - ARG as a scenario file: ARG itself when it
 * exists, has a '/' or is "-", else the library's ARG.scn if there is
 * one (else ARG, for the error message).  Caller frees. */
char *sim_cli_scenario_path(SimCli *cli, const char *arg);

/* sim_cli_is_scenario - whether ARG names a scenario rather than a
 * model (for `show`). */
gboolean sim_cli_is_scenario(SimCli *cli, const char *arg);

/* sim_cli_show_scenario - `faultline show SCENARIO`: its schedules and
 * expectations; the exit code. */
int sim_cli_show_scenario(SimCli *cli, const char *arg);

/* sim_cli_format_expect - an expect line's right-hand side: "never",
 * "n/a", or the properties. */
void sim_cli_format_expect(GString *s, const SimExpect *e);

/* sim_cli_scenario_line - "scenario NAME (RACE): SUMMARY\n" into OUT. */
void sim_cli_scenario_line(const SimScenario *s, GString *out);

/* sim_cli_check_untils - every `until NAME` of SC names a primitive or
 * one of PROG's model's ops; else FALSE with ERROR at the name (in the
 * scenario file for a named schedule, else in "--schedule"). */
gboolean sim_cli_check_untils(const SimProgram *prog, const SimSchedule *sc,
			      GError **error);

/* sim_cli_order_report - the lockdep report of PROP (lock-order,
 * wait-order) in R, or NULL. */
const char *sim_cli_order_report(const SimExploreResult *r, int prop);

/* sim_cli_draw - re-run the thread sequence PATH of PROG with text on
 * (a livelock's as a prefix of CYCLE_FROM steps and a cycle, else
 * CYCLE_FROM < 0) and append its diagram, end note and schedule to OUT;
 * the trace (caller frees with sim_trace_free). */
SimTrace *sim_cli_draw(const SimProgram *prog, const GArray *path,
		       int cycle_from, GString *out);

/* sim_cli_exit_worst - the exit code of two results together: bad input
 * over a property found over an impossible schedule over incomplete over
 * nothing found. */
int sim_cli_exit_worst(int a, int b);

/* sim_cli_exit_table - the exit table, as `help` prints it. */
void sim_cli_exit_table(GString *out);

/* sim_cli_fail - print "faultline: MESSAGE" for ERROR on stderr, return 2. */
int sim_cli_fail(GError *error);

/* sim_cli_usage - print a usage error naming the option, return 2. */
int sim_cli_usage(const char *command, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);

/* sim_cli_write_file - write TEXT to PATH ("-": stdout): a regular file
 * (or a new one) atomically, by renaming a complete copy over it; a FIFO,
 * device or symbolic link by writing through it, never replacing it.
 * FALSE with ERROR on failure. */
gboolean sim_cli_write_file(const char *path, const char *text,
			    GError **error);

/* sim_cli_outputs - the output files A and B of COMMAND (either NULL):
 * naming the same file is a usage error (FALSE, printed); when one is
 * "-" it gets stdout to itself and the text that would go there goes to
 * stderr from now on. */
gboolean sim_cli_outputs(const char *command, const char *a, const char *b);

/* sim_cli_parse_options - parse OPTIONS from argv (command COMMAND);
 * returns FALSE after printing the error. */
gboolean sim_cli_parse_options(const char *command, const char *params,
			       GOptionEntry *options, int *argc, char ***argv);

/* ---- cells (cmd_check.c): one scenario x model search, shared by
 * check, matrix, diff and perf --races ---- */

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
	char *diagram;          /* the counterexample of a failed
				 * expectation, drawn, or NULL */
	char *trail;            /* and its trail */
	char *runs;             /* matrix --json: the drawn runs (cell_runs) */
} SimCell;

/* sim_cli_run_cell - explore M x S into C, stopping early once *STOP is
 * set (a signal); when E is given and not met, draw why; with RUNS, also
 * keep its drawn runs (matrix --json).  A model lacking an op S calls is
 * C->na; a link error or a broken model is C->error with C->error_msg
 * (a broken model's ends in a newline).  sim_cli_cell_clear frees what
 * it allocated. */
void sim_cli_run_cell(const SimModel *m, const SimScenario *s,
		      const SimExpect *e, volatile int *stop, bool runs,
		      SimCell *c);
void sim_cli_cell_clear(SimCell *c);

/* ---- matrix documents (cmd_check.c), shared by matrix and merge ---- */

/* A matrix as text: models as rows, scenarios as columns. */
typedef struct {
	guint ncols, nrows;
	const char **label;     /* per column: the race id, else the name */
	const char **name, **summary;   /* per column, for the legend */
	const char **row;       /* per row: the model */
	char **cell;            /* [column * nrows + row] */
} SimMatrixText;

#define SIM_MATRIX_CELL_MAX 24   /* a cell's text, NUL included */

/* sim_cli_matrix_text_init - T for NCOLS x NROWS, each cell a buffer of
 * SIM_MATRIX_CELL_MAX; the caller points the labels and rows at its own
 * strings.  sim_cli_matrix_text_clear frees what init allocated. */
void sim_cli_matrix_text_init(SimMatrixText *t, guint ncols, guint nrows);
void sim_cli_matrix_text_clear(SimMatrixText *t);

/* sim_cli_matrix_table - print T as `faultline matrix` does. */
void sim_cli_matrix_table(const SimMatrixText *t);

/* sim_cli_matrix_cell - a cell's text: VERDICT, +LO / +WO for the
 * lock-order / wait-order in FOUND, and '!' when it DIFFERS from its
 * expect line. */
void sim_cli_matrix_cell(char *buf, size_t len, const char *verdict,
			 SimPropSet found, bool differs);

/* sim_cli_matrix_json - the matrix document into OUT: the SCENARIOS' and
 * MODELS' JSON arrays (as written), then the N CELLS' objects in order;
 * with SHARD ("I/N"), a shard's document holding only its cells. */
void sim_cli_matrix_json(GString *out, const char *shard,
			 const char *scenarios, const char *models,
			 char *const *cells, guint n);

/* Shards: cell K of a matrix (scenario-major: K = S * nmodels + M) is in
 * shard I of N when K % N == I - 1; round robin, so that each shard gets
 * cells of every scenario, expensive or cheap. */
#define SIM_SHARDS_MAX 65536
#define SIM_SHARD_OWNS(k, i, n) ((k) % (n) == (i) - 1)

/* sim_cli_shard_parse - SPEC as "I/N", 1 <= I <= N <= SIM_SHARDS_MAX. */
gboolean sim_cli_shard_parse(const char *spec, guint *i, guint *n);

/* sim_cli_jobs_option - --jobs JOBS of COMMAND as a thread count in
 * *OUT (0: the number of cores); FALSE after a usage error if
 * negative. */
gboolean sim_cli_jobs_option(const char *command, int jobs, int *out);

#endif
