/*
 * lockdep.h - lock-order analysis in the manner of the kernel's lockdep.
 *
 * Locks are grouped into classes (a model's lock declarations: every page
 * lock is class "page", every mmap_sem class "mmap_sem").  Each time a
 * thread acquires a lock while holding others, the edge held -> acquired is
 * added to one graph kept across every step explored, with the place it was
 * first seen.  A cycle in that graph is a possible deadlock even if no
 * explored run deadlocked: this answers seed 003's question.
 *
 * Rules, as lockdep's: an rwsem taken for read is an ordinary acquisition
 * (down_read is not a recursive read lock: a queued writer makes readers
 * wait, so read-read cycles deadlock too).  Nesting two locks of the same
 * class (two page locks) adds no edge, as lockdep's subclass annotations
 * would say.  Being granted a lock after sleeping counts from the moment of
 * the attempt, as lockdep checks at lock time.
 */
#ifndef SIM_LOCKDEP_H
#define SIM_LOCKDEP_H

#include <glib.h>
#include "prog.h"
#include "world.h"

typedef struct SimLockdep SimLockdep;

SimLockdep *sim_lockdep_new(const SimProgram *p);
void sim_lockdep_free(SimLockdep *ld);

/* sim_lockdep_acquire - TID (in W, holding what W says) takes instance
 * INST at line LINE of procedure PROC (SimProgram.procs index). */
void sim_lockdep_acquire(SimLockdep *ld, const SimWorld *w, int tid, int inst,
			 int line, int proc);

/* sim_lockdep_report - describe every elementary cycle of the class graph
 * into OUT (may be NULL); returns how many there are. */
int sim_lockdep_report(const SimLockdep *ld, GString *out);

/* sim_lockdep_edges - number of distinct class edges seen. */
int sim_lockdep_edges(const SimLockdep *ld);

#endif
