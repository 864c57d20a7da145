/*
 * lockflow.h - what locks an op of a model may hold at each primitive,
 * found statically, for `faultline show` (a reviewer holds the listing
 * against the kernel function the op cites).
 *
 * sim_lockflow_op() walks procedure PROC of a model with every call
 * inlined (a callee is analysed afresh from the states at its call site)
 * and returns its rows in program order: each primitive and each call,
 * with the locks held just before it.  The analysis covers every path
 * through branches and loops that the values it can follow allow:
 * constants in locals and arguments decide branches (a flag set where a
 * lock is taken and tested where it is dropped, a write fault that never
 * loads a hole); conditions on primitives' results are unknown, so both
 * sides count.  Per lock key it gives the least and the greatest number
 * of instances held: a lock is MUST-held when every path holds it and
 * MAY-held when some path does; a row no path reaches is marked.  A lock
 * key is a lock class and, for rwsems and range locks, the mode (read or
 * write); the page and DAX-entry classes count instances of any pgoff
 * together.
 *
 * Lock effects, from step.c's handlers: mutex_lock, down_*, lock_page,
 * hash_lock, range_lock*, grab_entry take a key; grab_entry_page may take
 * the entry (it returns a page-cache page with nothing locked); the
 * unlocks drop one instance (range_unlock the write key if it may be held,
 * else the read key); wait_entry sleeps on the entry lock without taking
 * it, which orders it after what is held like an acquisition.
 *
 * Calls the model cannot resolve (an abstract base calling an op its
 * children define) and recursive calls are rows that are not expanded and
 * change nothing.  Ownership: the result is the caller's
 * (sim_lockflow_free).
 */
#ifndef SIM_LOCKFLOW_H
#define SIM_LOCKFLOW_H

#include <stdbool.h>
#include <stdint.h>
#include "prog.h"

/* A lock key: class * 2 + (1 for a write or exclusive hold). */
#define SIM_LOCKFLOW_KEYS (SIM_LOCKDECLS_MAX * 2)
typedef uint32_t SimKeySet;     /* bitmask over keys */

typedef enum {
	SIM_FLOW_PRIM,          /* a primitive */
	SIM_FLOW_CALL,          /* a call, expanded by the rows after it */
	SIM_FLOW_END,           /* the end of an expanded call */
	SIM_FLOW_OPAQUE,        /* a call not expanded (unresolved, recursive) */
} SimFlowKind;

typedef struct {
	SimFlowKind kind;
	int depth;              /* inlining depth: 0 in the op itself */
	const SimProc *proc;    /* where the row's instruction is */
	const SimInsn *in;      /* the PRIM or CALL (END: the CALL) */
	const SimProc *callee;  /* CALL, END: the procedure called */
	bool reached;           /* some path reaches it */
	SimKeySet must, may;    /* held before it (must is a subset of may) */
	int key;                /* the key it takes or waits for, or -1 */
	bool may_take;          /* it takes KEY only on some outcomes */
	bool waits;             /* it waits for KEY without taking it */
} SimFlowRow;

/* An acquisition order: TO is taken (or waited for) while FROM is held. */
typedef struct {
	int from, to;
	bool must;              /* FROM is held on every path at some site */
	int row;                /* the first row that takes TO under FROM */
} SimFlowEdge;

typedef struct {
	SimFlowRow *rows;
	int nrows;
	SimFlowEdge *edges;     /* in the order of their first row */
	int nedges;
} SimLockflow;

/* sim_lockflow_op - the rows of procedure PROC (an index into M->procs),
 * entered with no lock held. */
SimLockflow *sim_lockflow_op(const SimModel *m, int proc);
void sim_lockflow_free(SimLockflow *f);

/* sim_lockflow_key_name - "i_mmap_rwsem(W)", "page": KEY's class, and
 * the mode for rwsems and range locks, into BUF. */
const char *sim_lockflow_key_name(const SimModel *m, int key, char *buf,
				  size_t size);

#endif
