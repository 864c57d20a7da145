/*
 * parse_code.h - procedures: statements and expressions compiled to the
 * IR (prog.h), and the name tables both grammars look names up in
 * (internal to the parser; parse.h is the public contract).
 *
 * Code generation is one pass.  Each statement compiles straight into
 * the procedure's instruction array; forward jumps are patched when their
 * target is reached.  Expressions return a SimArg: an immediate for
 * numbers and constants, the register of a local, or a temporary.
 * Temporaries are a stack: an expression started with N temporaries in
 * use ends with N (its value is an immediate or a local) or N + 1 (its
 * value is temporary N), so a statement frees its temporaries by
 * restoring the count.  Temporaries get provisional numbers TEMP_BASE + i
 * and are renumbered after the named locals when the procedure is
 * finished, because a local may first be assigned after a temporary was
 * needed.
 *
 * A model's fn and op bodies and a scenario's thread bodies are compiled
 * the same way; SimParser.thread_body forbids primitives in the latter.
 */
#ifndef SIM_PARSE_CODE_H
#define SIM_PARSE_CODE_H

#include "lex.h"

/* A procedure being compiled. */
struct SimProcBuilder {
	GArray *code;           /* SimInsn */
	GPtrArray *names;       /* parameters, then named locals */
	int nparams;
	int ntemps, maxtemps;
};

int sim_parse_prim_find(const SimToken *t);

const SimConst *sim_parse_const_find(const SimToken *t);

int sim_parse_prop_find(const SimToken *t);

int sim_parse_lock_kind_find(const SimToken *t);

int sim_parse_lock_find(const SimModel *m, const SimToken *t);

int sim_parse_proc_find(const SimModel *m, const char *name);

/* Words the statement language reserves. */
bool sim_parse_is_reserved(const SimToken *t);

void sim_pb_init(SimProcBuilder *pb);

void sim_pb_free(SimProcBuilder *pb);

int sim_parse_local_find(const SimParser *p, const SimToken *t);

/* body - a procedure's block, compiled into OUT with the implicit
 * `RET 0` at its closing brace.  PB holds the parameters already. */
gboolean sim_parse_body(SimParser *p, SimProcBuilder *pb, SimProc *out);

#endif
