/*
 * lockdep.h - lock-order analysis in the manner of the kernel's lockdep.
 *
 * Locks are grouped into classes (a model's lock declarations: every page
 * lock is class "page", every mmap_sem class "mmap_sem").  Each time a
 * thread tries to acquire a lock while holding others, the edge held ->
 * acquired is added to one graph kept across every step explored, with the
 * place it was first seen and when.  A cycle in that graph is a possible
 * deadlock even if no explored run deadlocked: this answers seed 003's
 * question.
 *
 * Two properties come out of one graph, because lockdep only sees classes
 * that carry a lockdep map (lockdep.c, tracks[]: mutexes, rwsems and the
 * journal handle did in 2013-2016; the page lock, the DAX entry lock bit
 * and the range-lock proposals did not):
 *
 *   lock-order   a cycle whose every class lockdep tracks: lockdep would
 *                print "possible circular locking dependency detected";
 *   wait-order   a cycle through at least one class it does not track: a
 *                possible deadlock of the same shape that lockdep cannot
 *                see.
 *
 * Rules, as lockdep's: an attempt that may sleep orders the locks from the
 * moment it is made (lockdep validates before sleeping), so an attempt
 * that is never granted counts; so does a wait for a DAX entry to be
 * unlocked (wait_entry, get_unlocked_mapping_entry()), which sleeps as
 * an attempt on the entry lock would.  An rwsem taken for read is an ordinary
 * acquisition (down_read is not a recursive read lock: a queued writer
 * makes readers wait, so read-read cycles deadlock too).  Nesting two
 * locks of the same class (two page locks) adds no edge, as lockdep's
 * subclass annotations would say.  An acquisition that cannot block adds
 * no edge (lockdep: a trylock adds no dependency; the model language has
 * no trylock): taking the page lock of pgoff p while holding the DAX entry
 * lock of p, or the entry lock of p while holding the page lock of p, is
 * the radix-tree slot changing form under its owner - find_or_create_page
 * inserts a page already locked (__SetPageLocked) in place of the locked
 * entry, dax_insert_mapping_entry a locked entry in place of the locked
 * page - and nobody else can hold the new form.
 *
 * lockdep itself records only the edge from the most recent held lock;
 * here every held lock gets one.  The transitive closure is the same
 * (each held lock was ordered before the later ones when they were
 * taken), so the same classes are found on cycles.
 */
#ifndef SIM_LOCKDEP_H
#define SIM_LOCKDEP_H

#include <glib.h>
#include "prog.h"
#include "world.h"

typedef struct SimLockdep SimLockdep;

SimLockdep *sim_lockdep_new(const SimProgram *p);
void sim_lockdep_free(SimLockdep *ld);

/* sim_lockdep_acquire - TID (in W, holding what W says, taken where
 * NOTES say) tries to take instance INST at line LINE of procedure PROC
 * (SimProgram.procs index).  NOTES may be NULL: the exhaustive search
 * carries none (copying them each step would cost more than the step);
 * a new edge is then left unsited until sim_lockdep_site(). */
void sim_lockdep_acquire(SimLockdep *ld, const SimWorld *w,
			 const SimNotes *notes, int tid, int inst, int line,
			 int proc);

/* sim_lockdep_take_event - the last acquisition LD was fed while the
 * thread held locks of other classes (since the last call): the class
 * acquired (*TO) and those held (*FROM, a bit a class), the edges it
 * orders whether or not LD had them; false (and *FROM 0) if none.  A
 * step makes at most one acquisition.  par.c keeps these on the graph's
 * edges so that the edges can be added later in the order a one-thread
 * search would have added them. */
bool sim_lockdep_take_event(SimLockdep *ld, uint8_t *to, uint16_t *from);

/* sim_lockdep_would_add - whether an acquisition of class TO holding
 * classes FROM orders an edge LD does not have yet. */
bool sim_lockdep_would_add(const SimLockdep *ld, int to, uint16_t from);

/* sim_lockdep_unsited - whether the last step added an edge without
 * where its held lock was taken (false for a NULL LD). */
bool sim_lockdep_unsited(const SimLockdep *ld);

/* sim_lockdep_site - those edges take it from NOTES: the notes of the
 * world the step was taken from (the search replays the path to it). */
void sim_lockdep_site(SimLockdep *ld, const SimNotes *notes);

/* sim_lockdep_report - describe every elementary cycle of kind PROP
 * (SIM_PROP_LOCK_ORDER or SIM_PROP_WAIT_ORDER) into OUT (may be NULL), as
 * lockdep's print_circular_bug() would: the acquisition that closed the
 * cycle, the existing dependency chain, and the "Possible unsafe locking
 * scenario" table.  Returns how many cycles there are. */
int sim_lockdep_report(const SimLockdep *ld, SimProp prop, GString *out);

/* The two properties of the graph: lock-order, wait-order. */
extern const SimProp sim_lockdep_props[2];

/* sim_lockdep_collect - both reports at once: sets the bit of each
 * property with a cycle in *FOUND and its report in TEXT[i] for
 * sim_lockdep_props[i], g_malloc'd; NULL where there is none. */
void sim_lockdep_collect(const SimLockdep *ld, SimPropSet *found,
			 char *text[2]);

/* sim_lockdep_edges - number of distinct class edges seen. */
int sim_lockdep_edges(const SimLockdep *ld);

#endif
