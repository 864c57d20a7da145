/*
 * prog.h - the op IR: what models and scenarios compile to.
 *
 * A procedure (an op or fn of a model, or a scenario thread's body) is a
 * flat array of SimInsn over the thread's registers.  There are two kinds
 * of instruction:
 *
 *   local   MOV, ALU, JMP, JZ, CALL, RET, SIGNAL: touch only the thread's
 *           registers and call stack.  They are not scheduling points; the
 *           stepper runs them eagerly after each primitive, so a thread is
 *           always parked at a PRIM (or finished).
 *   PRIM    one primitive of prim.h: the only scheduling point.
 *
 * Operands are SimArg: a register or an immediate.  Registers are numbered
 * per procedure (parameters first, then locals and temporaries); at run time
 * a frame's registers sit at its base in the thread's register file.
 *
 * Calls are by name in the parser's output and bound by sim_program_link()
 * to an index into SimProgram.procs: the model's procedures followed by the
 * scenario's thread bodies.  A scenario calling an op the model lacks makes
 * the pair "n/a", not an error.
 *
 * Ownership: SimModel and SimScenario own everything they point to and are
 * freed with sim_model_free() / sim_scenario_free().  A SimProgram borrows
 * from both and is freed with sim_program_free().
 */
#ifndef SIM_PROG_H
#define SIM_PROG_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "bounds.h"
#include "prim.h"
#include "lock.h"
#include "dist.h"
#include "world.h"

typedef enum {
	SIM_I_MOV,      /* dst = a0 */
	SIM_I_ALU,      /* dst = a0 <sub> a1 (SimAluOp) */
	SIM_I_JMP,      /* pc = target */
	SIM_I_JZ,       /* if a0 == 0: pc = target */
	SIM_I_CALL,     /* dst = procs[target](a0..a(nargs-1)) */
	SIM_I_RET,      /* return a0 (or 0 with nargs == 0) */
	SIM_I_PRIM,     /* dst, dst2 = sim_prims[sub](lock, a0..) */
	SIM_I_COUNT
} SimOpcode;

typedef enum {
	SIM_ALU_ADD, SIM_ALU_SUB, SIM_ALU_MUL, SIM_ALU_DIV, SIM_ALU_MOD,
	SIM_ALU_EQ, SIM_ALU_NE, SIM_ALU_LT, SIM_ALU_LE, SIM_ALU_GT, SIM_ALU_GE,
	SIM_ALU_AND, SIM_ALU_OR, SIM_ALU_NOT, /* NOT: dst = !a0 */
	SIM_ALU_COUNT
} SimAluOp;

typedef enum {
	SIM_ARG_IMM = 0,
	SIM_ARG_REG = 1,
} SimArgKind;

/* An immediate that names the world's size (PAGES, LAST) holds the
 * default world's value until sim_program_link() rewrites it to the linked
 * shape's, so one model serves a file of any size.  The parser never folds
 * such an immediate into another. */
typedef enum {
	SIM_SHAPE_NONE = 0,     /* a plain number */
	SIM_SHAPE_PAGES,        /* the file's pages */
	SIM_SHAPE_LAST,         /* the file's last pgoff */
} SimArgShape;

typedef struct {
	uint8_t kind;           /* SimArgKind */
	uint8_t shape;          /* SimArgShape, for an immediate */
	int16_t v;              /* immediate value or register number */
} SimArg;

#define SIM_NOREG 0xff
#define SIM_ARGS_MAX 4

typedef struct {
	uint8_t op;             /* SimOpcode */
	uint8_t sub;            /* SimAluOp or SimPrimId */
	uint8_t dst, dst2;      /* result registers or SIM_NOREG */
	uint8_t nargs;
	int8_t lock;            /* lock class (SimLockDecl index) or -1 */
	uint16_t target;        /* jump target, or callee index once linked */
	SimArg arg[SIM_ARGS_MAX];
	char *callee;           /* CALL before linking: the name called */
	uint16_t line, col;     /* where the statement is in its file */
} SimInsn;

typedef struct {
	char *name;
	bool is_op;             /* callable from a scenario */
	bool is_thread;         /* a scenario thread's body */
	bool is_fsync;          /* the op fsync (set at link: the search
				 * asks per step, sim_step_is_fsync) */
	int nparams;
	int nregs;              /* parameters + locals + temporaries */
	char **regnames;        /* nregs names ("" for temporaries) */
	SimInsn *code;
	int ncode;
	char *file;             /* the file that defined it (for messages) */
	int line, col;
	char *doc;              /* its doc comment (parse.h), or NULL */
} SimProc;

/* A lock class.  Instances: one (mutex, rwsem, range), one per page
 * (page, entry), nslots (hashed), one per process (mmap_sem). */
typedef struct {
	char *name;
	uint8_t kind;           /* SimLockKind */
	uint8_t nslots;         /* hashed_mutex array size */
	bool per_proc;          /* mmap_sem: one per process */
	int line, col;
} SimLockDecl;

/* Built-in lock classes every model has, in this order. */
enum {
	SIM_LOCKDECL_MMAP_SEM = 0,  /* rwsem, one per process */
	SIM_LOCKDECL_PAGE = 1,      /* page lock, one per pgoff */
	SIM_LOCKDECL_ENTRY = 2,     /* DAX entry lock bit, one per pgoff */
	SIM_LOCKDECL_BUILTIN = 3,
};

typedef struct {
	char *name;             /* "xfs-mmaplock" */
	char *file;
	char *summary;          /* one line, for `faultline models` */
	char *source;           /* commit / mail it follows */
	char *order;            /* lock ordering, as mm/filemap.c writes it */
	char *omits;            /* what the model leaves out */
	char *extends;          /* parent model name, or NULL */
	bool abstract;          /* a base others extend; never run alone */
	char *text;             /* the whole file, for `faultline show` */
	SimLockDecl locks[SIM_LOCKDECLS_MAX];
	int nlocks;
	SimProc *procs;
	int nprocs;
} SimModel;

/* Properties (oracle.h explains each). */
typedef enum {
	SIM_PROP_STALE_PTE,
	SIM_PROP_WRITE_TO_FREED,
	SIM_PROP_UNINIT_READ,
	SIM_PROP_LOST_STORE,
	SIM_PROP_LOST_FLUSH,
	SIM_PROP_STALE_ZERO_PAGE,
	SIM_PROP_DEADLOCK,
	SIM_PROP_LOST_WAKEUP,
	SIM_PROP_LIVELOCK,
	SIM_PROP_LOCK_ORDER,
	SIM_PROP_WAIT_ORDER,
	SIM_PROP_COUNT
} SimProp;

typedef uint16_t SimPropSet;    /* bitmask over SimProp */

const char *sim_prop_name(SimProp p);
int sim_prop_lookup(const char *name);

typedef struct {
	char *name;             /* "T0" */
	int proc;               /* process index */
	int body;               /* index into SimScenario.bodies */
	int arg;                /* a workload loop's `cpu` (its body's one
				 * parameter), else 0 */
	int line, col;
} SimThreadDecl;

/* One segment of a named schedule: run THREAD for COUNT steps, or (when
 * UNTIL is set) until its next primitive is UNTIL for the NTH time
 * counting from the segment's start, or (count == 0, no until) until it
 * finishes. */
typedef struct {
	int thread;
	int count;
	char *until;            /* primitive or op name, or NULL */
	int nth;
	int line, col;
	int uline, ucol;        /* where the until NAME is */
} SimSegment;

typedef struct {
	char *name;             /* "seed-001" */
	SimSegment *seg;
	int nseg;
	int line, col;
} SimSchedule;

/* A workload loop (scenario `workload` block): a thread body that calls
 * its ops over and over.  Closed (`think T`): an op starts T after the
 * previous one ended.  Open (`every T`): ops arrive T apart, whenever the
 * previous one ends (an op that arrives while the previous runs starts
 * when it ends; its latency counts from its arrival).  The body's one
 * parameter is `cpu`: the CPU's number (0..cpus-1), or the loop's number
 * among the background loops. */
typedef struct {
	int body;               /* index into SimScenario.bodies */
	int proc;               /* process it runs in */
	bool every;             /* open: THINK is the time between arrivals */
	SimDist think;          /* between two ops; before the first too */
	int line, col;
} SimLoop;

/* workload { cpus N in P ... }: what a timed run (des.h) runs. */
typedef struct {
	int cpus;               /* CPUs running the CPU loop */
	SimLoop cpu;            /* run by every CPU */
	SimLoop *background;    /* one thread each */
	int nbackground;
	uint64_t ops;           /* end after this many CPU-loop ops, or 0 */
	uint64_t duration_ns;   /* end at this simulated time, or 0 */
	uint64_t seed;
	int line, col;
} SimWorkload;

/* expect MODEL: never | PROP... | at least PROP... | sometimes | n/a
 * (MODEL "*": every model without an expect line of its own) */
typedef struct {
	char *model;
	SimPropSet props;       /* the properties that must happen; 0 = never */
	bool at_least;          /* others may happen too */
	bool sometimes;         /* some checked property happens */
	bool na;                /* the model does not apply */
	int line, col;
} SimExpect;

typedef struct {
	char *name;
	char *file;
	char *summary;
	char *source;
	char *race;             /* kernel-history id: "R1", "D3", ... */
	int i_size;             /* pages */
	uint16_t blocks[SIM_PAGES_MAX];  /* initial block map: 0 hole, else Bn */
	uint8_t written[SIM_PAGES_MAX];  /* initial block holds file data */
	int nprocs;
	char *procnames[SIM_PROCS_MAX];
	SimThreadDecl threads[SIM_THREADS_MAX];
	int nthreads;
	SimProc *bodies;        /* thread bodies, compiled */
	int nbodies;
	SimPropSet check;       /* properties that must not happen */
	SimExpect *expects;
	int nexpects;
	SimSchedule *schedules;
	int nschedules;
	SimWorkload *workload;  /* or NULL */
} SimScenario;

/* A model bound to a scenario: every call resolved, PAGES and LAST the
 * world's.  Each procedure is the program's own copy of its code (names
 * still borrowed), patched for the shape. */
typedef struct {
	const SimModel *model;
	const SimScenario *scn;
	SimProc **procs;        /* model procs, then scenario bodies */
	int nprocs;
	int body0;              /* index of the first thread body */
	int lock_base[SIM_LOCKDECLS_MAX];  /* first instance of each class */
	int nlocks;             /* lock instances */
	SimShape shape;         /* the world's sizes (world.h) */
	uint8_t *lock_kind;     /* [nlocks]: SimLockKind of each instance */
	uint8_t *lock_decl;     /* [nlocks]: class of each instance (the
				 * search asks per step: a table, not a
				 * search of lock_base) */
	uint8_t *th_frames;     /* [threads]: thread records' capacities */
	uint8_t *th_regs;
} SimProgram;

/* sim_program_link - bind SCN's thread bodies to MODEL and compute the
 * world's shape.  Returns NULL with *missing set to the first op name the
 * model lacks (the pair is n/a).  ERROR is for a bound a link could
 * exceed; none can since the parser bounds procedures and threads. */
SimProgram *sim_program_link(const SimModel *model, const SimScenario *scn,
			     char **missing, GError **error);
void sim_program_free(SimProgram *p);

/* sim_lock_instances - how many instances lock class D has in a world of
 * NPROCS processes and NPAGES pages. */
int sim_lock_instances(const SimLockDecl *d, int nprocs, int npages);

/* sim_lock_instance - the instance index of class DECL for INDEX (pgoff,
 * process, or hashed key) in program P. */
int sim_lock_instance(const SimProgram *p, int decl, int index);

/* sim_lock_decl_of - the class of instance INST. */
int sim_lock_decl_of(const SimProgram *p, int inst);

/* sim_lock_name - "i_mmaplock", "page[3]", "mmap_sem[P0]" for instance
 * INST, into BUF. */
const char *sim_lock_name(const SimProgram *p, int inst, char *buf,
			  size_t len);

void sim_model_free(SimModel *m);
void sim_scenario_free(SimScenario *s);

/* sim_scenario_pages - the pages of S's file: its `file size`, at least
 * SIM_PAGES_DEFAULT (so a small file leaves room to extend it and every
 * scenario written for the fixed 8-page world keeps its world). */
int sim_scenario_pages(const SimScenario *s);
void sim_proc_clear(SimProc *p);

/* sim_alu - evaluate an ALU operation into *R; false for division or
 * modulo by zero (a model error: no value would be the kernel's). */
bool sim_alu(SimAluOp op, int a, int b, int *r);

/* Named constants of the model language (README: "Constants"). */
typedef struct {
	const char *name;
	int value;              /* in a default-sized world */
	SimArgShape shape;      /* value comes from the linked world */
} SimConst;
extern const SimConst sim_consts[];
int sim_const_lookup(const char *name, int *value);

/* Values primitives return. */
enum {
	SIM_HOLE = 0,
	SIM_OK = 0,
	SIM_SIGBUS = -7,        /* VM_FAULT_SIGBUS, returned by ops */
	SIM_EBUSY = -16,
	SIM_EIO = -5,
	SIM_PTE_NONE = 0, SIM_PTE_RO = 1, SIM_PTE_RW = 2,
	SIM_ENTRY_NONE = 0, SIM_ENTRY_EMPTY = 1, SIM_ENTRY_ZERO = 2,
	SIM_ENTRY_BLOCK = 3,
	SIM_ENTRY_PAGE = 4,     /* grab_entry_page: a page-cache page */
	SIM_FAULT_NONE = 0, SIM_FAULT_NOPTE = 1, SIM_FAULT_WP = 2,
};

#endif
