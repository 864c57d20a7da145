/*
 * parse.h - the model and scenario languages (README.md, "The model
 * language"), compiled to the IR of prog.h.
 *
 * One hand-written lexer (lex.h) serves both languages; a recursive-descent
 * parser compiles statements straight to SimInsn in one pass, back-patching
 * jump targets (parse_code.h).  The grammars: parse_model.c and
 * parse_scenario.c (with the --schedule argument).  The parser owns
 * nothing between calls: every function builds a fresh SimModel /
 * SimScenario / SimSchedule and either returns it whole or frees
 * everything and returns NULL / FALSE with ERROR set.
 *
 * Errors: domain SIM_PARSE_ERROR; the message is exactly
 * "FILE:LINE:COL: message" (1-based; columns count bytes, a tab is one),
 * naming the first character of the offending token, with no trailing
 * period.  Only a file that cannot be read at all (and an unknown model
 * passed to sim_parse_model_load) has no LINE:COL.  The parser never
 * crashes and never leaks on any input; tests/fuzz_parse.c fuzzes it.
 *
 * What the parser guarantees of its output:
 *   1. every instruction's registers are < the procedure's nregs (or
 *      SIM_NOREG), every jump target is <= ncode - 1, and the last
 *      instruction of every procedure is a RET;
 *   2. registers are numbered parameters, then named locals, then
 *      temporaries (regnames ""), and nregs <= SIM_REGS_MAX;
 *   3. in a model, every CALL's target is the index of its callee in
 *      model->procs and nargs equals the callee's nparams, except that an
 *      abstract model may call procedures only the models extending it
 *      define: those calls keep target 0 and must not be run (the CLI
 *      refuses to run an abstract model); in a scenario thread body,
 *      calls are left for sim_program_link (callee set, target 0) and
 *      no primitive appears;
 *   4. a PRIM of an SIM_PA_LOCK primitive has lock = the index of a lock
 *      class of the kind the primitive needs; every other PRIM has
 *      lock = -1; nargs counts value arguments only;
 *   5. CALL and PRIM whose result is discarded have dst = SIM_NOREG.
 *
 * Callers: the CLI and the tests.  No global state; thread-safe.
 */
#ifndef SIM_PARSE_H
#define SIM_PARSE_H

#include <glib.h>
#include "prog.h"

#define SIM_PARSE_ERROR (sim_parse_error_quark())
GQuark sim_parse_error_quark(void);

typedef enum {
	SIM_PARSE_ERROR_SYNTAX,     /* malformed input */
	SIM_PARSE_ERROR_BOUND,      /* a limits.h bound (or a range) exceeded */
	SIM_PARSE_ERROR_NAME,       /* unknown, duplicate or mismatched name */
	SIM_PARSE_ERROR_IO,         /* a file cannot be read */
} SimParseErrorCode;

/* Models are found along a search path: "DIR:DIR:...", the first
 * directory holding NAME.model wins, for the model asked for and for
 * every parent its `extends` chain names.
 *
 * sim_parse_model_load - load NAME.model from MODELS_PATH (NULL: the
 * current directory).  An unknown model (no such file on the path, or a
 * NAME that is not a plain model name) is SIM_PARSE_ERROR_IO
 * "unknown model 'NAME' (no NAME.model in PATH)".  Returns a new model
 * (free with sim_model_free) or NULL with ERROR set. */
SimModel *sim_parse_model_load(const char *models_path, const char *name,
			       GError **error);

/* sim_parse_model_file - parse the model file PATH (a regular file).
 * Parents named by `extends` are found along MODELS_PATH, or in PATH's
 * directory when MODELS_PATH is NULL.  Returns a new model or NULL with
 * ERROR set. */
SimModel *sim_parse_model_file(const char *path, const char *models_path,
			       GError **error);

/* sim_parse_model_string - parse model source TEXT as if read from
 * FILENAME (used in messages, in model->file, and, when it ends in
 * ".model", checked against the `model` name).  MODELS_PATH as above. */
SimModel *sim_parse_model_string(const char *text, const char *filename,
				 const char *models_path, GError **error);

/* sim_parse_scenario_file - parse the scenario file PATH (a regular file;
 * "-": standard input, named "<stdin>" in messages).  Returns a new
 * scenario (free with sim_scenario_free) or NULL with ERROR set. */
SimScenario *sim_parse_scenario_file(const char *path, GError **error);

/* sim_parse_scenario_string - parse scenario source TEXT as if read from
 * FILENAME. */
SimScenario *sim_parse_scenario_string(const char *text, const char *filename,
				       GError **error);

/* sim_parse_schedule - the --schedule argument TEXT against SCN: the name
 * of one of SCN's schedules; or a plain comma list of thread numbers
 * "0,0,1" (one step each); or the segment syntax of a `schedule` line
 * ("T0 until set_pte, T1 2, T0").  ORIGIN stands for the file in messages
 * ("ORIGIN:1:COL: ...").  Fills *OUT (name: the schedule's name, or TEXT
 * for the other two forms); the caller frees it with sim_schedule_clear().
 * On error *OUT is left empty and FALSE is returned. */
gboolean sim_parse_schedule(const char *text, const char *origin,
			    const SimScenario *scn, SimSchedule *out,
			    GError **error);

/* Doc comments and citations.  A model's op or fn keeps its doc comment
 * (SimProc.doc): the contiguous `#` lines directly above the line that
 * starts with `op` / `fn`, without the `#` and one space.  Its first line
 * is the procedure's citation, so that a reviewer can hold the op against
 * the code it follows.  sim_parse_citation - whether DOC's first line is
 * one, by this rule:
 *
 *   FUNCTION, PATH, vX.Y[.Z][-rcN]   the kernel function FUNCTION of file
 *                                    PATH at that release
 *                                    ("__dax_fault, fs/dax.c, v4.2");
 *   proposal: AUTHOR, D Mon YYYY <MESSAGE-ID>
 *                                    a patch or design that never merged,
 *                                    by its mail;
 *   model: WHAT                      a step no kernel function takes: the
 *                                    MMU or a user program (a user load,
 *                                    a store, DMA into a mapping); WHAT
 *                                    says what it stands for.
 *
 * The first two forms may be joined with "; " when an op follows several
 * functions (a filesystem's handler and the generic code it wraps).
 * Nothing else may share the line: free text goes below.  A parse does not
 * require citations (a scratch model runs without them); `faultline show
 * --lint` and the parse suite hold every file in models/ to the rule. */
bool sim_parse_citation(const char *doc);

/* sim_schedule_clear - free what S owns and zero it. */
void sim_schedule_clear(SimSchedule *s);

#endif
