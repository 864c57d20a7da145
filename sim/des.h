/*
 * des.h - timed runs: a discrete-event simulation of a scenario's workload
 * on N CPUs, driving the same stepper as run and explore.
 *
 * A scenario with a `workload` block (prog.h, SimWorkload) describes CPUs
 * each running a loop of ops with think time, and background loops (a
 * truncate, punch hole or fsync at a rate):
 *
 *   workload {
 *           cpus 4 in P0
 *           ops 100000              # and/or: duration 10ms
 *           seed 1
 *           loop think exp(1us) {   # every CPU; `cpu` is its number
 *                   store(cpu)
 *                   madvise_dontneed(cpu, cpu)
 *           }
 *           background in P0 think exp(100us) {
 *                   punch_hole(7, 7)
 *           }
 *   }
 *  sim_des_run() gives each CPU
 * and each background loop a thread and runs them on simulated time:
 *
 *   events   one pending event per runnable thread, in a binary heap keyed
 *            by (time in ns, thread, sequence number): ties are broken
 *            the same way on every run, so a seed fixes the output;
 *   a step   when a thread's event comes up it takes one sim_step() (one
 *            primitive, every oracle on) and its next event is set after
 *            the primitive's service time from cost.h, plus the think time
 *            when the step ended an op;
 *   locks    a step that blocks leaves the thread BLOCKED with no event;
 *            the step that hands it the lock (or wakes it) gives it an
 *            event after the wake-up cost.  A lock primitive whose lock
 *            word was last touched by another CPU first waits for the
 *            word's cache line, which moves one CPU at a time.
 *
 * A step that violates a property ends the episode: the violation is
 * recorded (with the steps before it) and the world starts again from the
 * scenario's initial state at that time, every loop from its top.  What a
 * corrupted machine does next measures nothing about the scheme, and so
 * every count is an independent occurrence: count per million ops is the
 * race's rate at this timing.
 *
 * There is no second semantics: what a step does, what blocks, who is
 * woken and which property is violated all come from sim_step(); this
 * module only decides who runs next and when.  Properties that need a
 * quiescent world (the checks run when every thread has finished) are
 * not seen in a workload's run, whose loops never finish, only in a race
 * scenario's episodes (below); a deadlock is, when no thread is left
 * runnable.  Livelock is judged by explore over every schedule;
 * a timed run sees one schedule, and stops as stalled when it spins:
 * when no op completes in SIM_DES_STALL_STEPS steps, or one thread takes
 * that many steps in one op while the others complete theirs.  The
 * result then names each looping thread with its op and the primitive
 * (FILE:LINE) it is at, and each sleeping thread with its lock class.
 * It cannot say whether the loop would end under another timing (a spin
 * that waits for a slow thread, bounded but longer than the bound, reads
 * as stalled too), nor see a livelock whose ops complete (a retry loop
 * around whole ops, or threads that undo each other's work): those are
 * explore's.
 *
 * Measured, per run: ops and throughput of the CPU loops; per op name the
 * count, mean and latency percentiles (from a log-linear histogram,
 * hist.h: each percentile is at most SIM_HIST_PRECISION, 0.79 %, above
 * the exact one; the mean and maximum are exact);
 * per lock class the /proc/lock_stat columns (acquisitions, contended
 * acquisitions, total wait and hold time);
 * optionally (sample_ns), the waiters per class counted off the world at
 * Poisson instants, so that a test can check Little's law,
 * L = (contended / T) * mean wait, against a measure of L that shares
 * nothing with the wait accounting: a waiter is
 * a thread BLOCKED on an instance of the class, or one a handoff granted
 * it that has not yet returned from its lock call (PASTA: the mean over
 * Poisson samples is the time average);
 * every property violated, how often, and for the first occurrence of
 * each the last steps before it with their times; events simulated.
 *
 * A race scenario (threads, no workload) runs in *episodes*, to measure
 * how often its race happens at realistic timing: each thread runs its
 * body once, starting at a uniform random offset in [0, spread], spread
 * being the time of the longest body run alone (under
 * cfg->offset_costs, so that widening the window does not also spread
 * the threads apart); the checks at quiescence run when the last op
 * returns; when no event is left the episode ends (every thread done, or
 * the rest wait for good: deadlock or lost wake-up, a violation) and the
 * world starts again.  A violation ends its episode as above.  The rate
 * of a property is then violations per episode and per million ops.
 *
 * Deterministic: everything depends on the inputs and the seed only.
 */
#ifndef SIM_DES_H
#define SIM_DES_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "cost.h"
#include "prog.h"

/* Episodes of a race scenario's run when cfg->episodes is 0. */
#define SIM_DES_EPISODES_DEFAULT 10000
/* Steps of a thread run alone to measure a race scenario's spread. */
#define SIM_DES_SOLO_STEPS 100000

/* Steps without a completed CPU-loop op (background ops are not
 * progress: see des.c, op_end), or by one thread in one op, after which
 * a run stops as stalled. */
#define SIM_DES_STALL_STEPS (1u << 20)

typedef struct {
	const SimCosts *costs;
	int cpus;               /* 0: the workload's `cpus` */
	bool seed_set;          /* else the workload's `seed` */
	uint64_t seed;
	uint64_t ops;           /* 0: the workload's end (ops or duration) */
	uint64_t duration_ns;   /* 0: likewise; both set: whichever first */
	uint64_t episodes;      /* race scenarios: 0 is
				 * SIM_DES_EPISODES_DEFAULT */
	const SimCosts *offset_costs;   /* race scenarios: the costs the
					 * spread is measured with (NULL:
					 * costs) */
	int trace_steps;        /* steps kept before a violation (0: 64) */
	uint64_t sample_ns;     /* mean gap of the queue samples (0: none) */
	volatile int *interrupted;      /* set (SIGINT, SIGTERM): stop the
					 * run with what it has, or NULL */
} SimDesConfig;

/* Per lock class: /proc/lock_stat's columns. */
typedef struct {
	const char *name;       /* the class (borrowed from the model) */
	uint64_t acquisitions;  /* grants, read and write */
	uint64_t contended;     /* grants that had to wait */
	uint64_t wait_ns;       /* total time from blocking to the grant */
	uint64_t hold_ns;       /* total time from the grant to the release */
	uint64_t wait_max_ns;
	uint64_t sampled;       /* waiters summed over the queue samples */
} SimDesLockStat;

/* Per op name (the outermost op a loop calls). */
typedef struct {
	const char *name;       /* borrowed from the model */
	bool background;        /* called by a background loop */
	uint64_t count;         /* ops completed */
	double mean_ns;
	uint64_t p50_ns, p99_ns, p999_ns, max_ns;
} SimDesOpStat;

/* One step of a timed trace. */
typedef struct {
	uint64_t t_ns;          /* when the step ran */
	int tid;                /* thread: CPUs first, then background loops */
	const char *op;         /* outermost op the thread is in, or NULL */
	const char *prim;       /* primitive name */
	const char *file;       /* where the primitive is written */
	int line;
} SimDesTraceStep;

/* A property violated during the run. */
typedef struct {
	SimProp prop;
	uint64_t count;         /* occurrences (each restarts the world) */
	uint64_t first_ns;      /* time of the first */
	char *msg;              /* the oracle's message for the first */
	SimDesTraceStep *trace; /* steps up to and including the first */
	int ntrace;
} SimDesViolation;

typedef struct {
	int cpus;
	int nthreads;           /* cpus + background loops */
	uint64_t seed;
	uint64_t sim_ns;        /* simulated time at the end */
	uint64_t ops;           /* ops completed by the CPU loops */
	double throughput;      /* ops per simulated second */
	uint64_t events;        /* steps simulated */
	uint64_t samples;       /* queue samples taken (cfg->sample_ns) */
	uint64_t episodes;      /* ended: by a violation, or (race
				 * scenarios) by every thread finishing */
	uint64_t spread_ns;     /* race scenarios: the start offsets' range */
	SimDesLockStat *locks;  /* one per lock class of the model */
	int nlocks;
	SimDesOpStat *opstats;  /* in order of first completion */
	int nopstats;
	SimDesViolation *violations;    /* in order of first occurrence */
	int nviolations;
	bool deadlock;          /* a workload's run ended with no runnable
				 * thread (a race scenario's episode ends
				 * so: a violation, and the next begins) */
	bool stalled;           /* ended because no CPU op completed in
				 * SIM_DES_STALL_STEPS steps: threads spin
				 * (a livelock, if explore agrees), or a
				 * background loop overloaded starves them;
				 * or because one thread took that many
				 * steps in one op (stall: which) */
	bool interrupted;       /* ended by cfg->interrupted */
	char *stall;            /* then why, naming the looping threads */
	char *model_error;      /* a model error ended the run, or NULL */
} SimDesResult;

typedef enum {
	SIM_DES_OK,             /* ran (it may have found violations) */
	SIM_DES_NA,             /* the model lacks an op: *missing names it */
	SIM_DES_ERROR,          /* bad input: ERROR set (exit 2) */
} SimDesStatus;

/* sim_des_run - run SCN's workload on MODEL with CFG into RES (cleared
 * first; free with sim_des_result_clear in every case). */
SimDesStatus sim_des_run(const SimModel *model, const SimScenario *scn,
			 const SimDesConfig *cfg, SimDesResult *res,
			 char **missing, GError **error);

void sim_des_result_clear(SimDesResult *res);

#endif
