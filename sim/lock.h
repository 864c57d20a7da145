/*
 * lock.h - lock primitives with the kernel's blocking and wake-up rules.
 *
 * A lock instance is a flat record inside SimWorld: who holds it, in
 * which mode, and a FIFO queue of waiters.  The primitives differ only in
 * three rules, given per kind in lock.c's table (sim_lock_kinds[]):
 *
 *   grant    whether a request (mode, range) can be granted now, given the
 *            holders and the waiters queued ahead of it;
 *   handoff  on release, whether the lock is handed to the waiters it can
 *            now admit (mutex, rwsem, page lock, hashed mutex, range lock:
 *            the woken thread returns from its lock call already holding
 *            it), or the waiters are only woken and retry their call
 *            (the DAX entry wait-bit: wake_up_bit(), then re-lookup, so a
 *            woken waiter may find the entry gone or locked again);
 *   wake     how many waiters a release wakes: one (unlock_entry, as
 *            dax_wake_entry(.., false)) or all (delete, wake-all).
 *
 *   kind          modes        grant rule
 *   mutex         excl         free
 *   rwsem         read, write  read: no writer holds and none is queued
 *                              (a waiting writer blocks new readers);
 *                              write: free
 *   page_lock     excl         free (one instance per pgoff)
 *   entry_lock    excl         bit clear; waiters sleep and retry
 *   hashed_mutex  excl         the slot hash(pgoff) is free; distinct
 *                              pgoffs that collide share the slot
 *   range_lock    read, write  no holder's range overlaps in a conflicting
 *                              mode, and no overlapping conflicting
 *                              waiter queued ahead (FIFO on overlap)
 *
 * Range locks are interval trees (Jan Kara's lib/range_lock.c): each
 * range_lock() call adds its own node, so one thread may hold several
 * disjoint ranges of one lock, and a request that overlaps a range the
 * thread holds itself waits for it like any other (a self-deadlock).
 * Ranges are over the world's pgoffs and kept per thread as page
 * sets (bitset.h): own (pages held), xown (held in write mode) and head (the
 * first page of each held range, so adjacent ranges stay distinct and an
 * unlock must name one range exactly); a queued request's pages are
 * want.  The other kinds keep only who holds them (in write mode) as
 * two thread sets, which the rules read as a set of one pseudo-page per
 * thread (held: {0}; want: {0} when queued), so one grant rule serves
 * every kind while the state stays a few bytes an instance (most of a
 * world's instances are per-page locks).
 *
 * An rwsem released with up_write() by a thread that holds it for read
 * (rwsem-xadd, v4.x: count = 1 - RWSEM_ACTIVE_WRITE_BIAS, positive with
 * no active bits) is left corrupt: the next writer's slow path sees a
 * count it can never take ("count == RWSEM_WAITING_BIAS" never holds
 * again) and sleeps forever, while readers' fast path still succeeds.  A
 * corrupt rwsem therefore grants every reader at once and no writer (D6,
 * do_cow_fault's i_mmap_unlock_write after a read lock).
 *
 * Invariants (sim_lock_check): xown and head lie in own, and every held
 * range starts at a head; no two holders overlap in a conflicting mode; a thread is queued
 * at most once, with a non-empty want, and (except for a range lock, where
 * a holder may wait for another range) is never both holder and waiter;
 * an exclusive holder of a non-range lock is the only holder, and its
 * thread sets name no thread past the last; only an rwsem is ever
 * corrupt, and then nobody holds it for write.
 *
 * Callers: step.c changes lock state; oracle.c and run.c only read it
 * (sim_lock_blockers, for the wait-for graph).  A thread that cannot be
 * granted is queued by sim_lock_acquire() and is not runnable until
 * sim_lock_release() hands it the lock or wakes it.
 */
#ifndef SIM_LOCK_H
#define SIM_LOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bounds.h"

typedef enum {
	SIM_LK_MUTEX,
	SIM_LK_RWSEM,
	SIM_LK_PAGE,
	SIM_LK_ENTRY,
	SIM_LK_HASHED,
	SIM_LK_RANGE,
	SIM_LK_COUNT
} SimLockKind;

typedef enum {
	SIM_MODE_READ = 0,
	SIM_MODE_WRITE = 1,
} SimLockMode;

/* A set of threads: bit t is thread t (SIM_THREADS_MAX <= 64). */
typedef uint64_t SimThreadSet;

#define SIM_TSET(t) ((SimThreadSet)1 << (t))

/* One lock instance's state in the world, sim_lock_size() bytes: what
 * changes while a search runs and nothing else (its kind, the thread
 * count and the page-set size are the world's, in SimLock below), with
 * no padding the init leaves unset, so memcmp and the state hash see
 * exactly the logical state.  data[] holds, in order:
 *   wait[nthreads]          tid | mode << 7, FIFO
 * then for a range lock, page sets of pgset bytes:
 *   want[nthreads][pgset]   pages a queued request asks for
 *   own[nthreads][pgset]    pages held
 *   xown[nthreads][pgset]   pages held in write mode
 *   head[nthreads][pgset]   first page of each held range
 * and for the other kinds, whose holds are one pseudo-page (so want is
 * "queued" and head is own), two thread sets of sim_bits_bytes(nthreads)
 * bytes, bit t for thread t:
 *   own                     the holders
 *   xown                    those holding it in write mode */
typedef struct {
	uint8_t nwait : 7;                 /* <= nthreads <= SIM_THREADS_MAX */
	uint8_t corrupt : 1;               /* rwsem: count corrupted */
	uint8_t data[];
} SimLockState;

_Static_assert(SIM_THREADS_MAX < 1 << 7, "SimLockState.nwait is 7 bits");

/* A lock instance as the functions below see it: its state in the world
 * and the constants that shape it.  A view, passed by value; the world
 * makes one per call (sim_lock() in world.h).  Who holds it (in which
 * mode) is who has pages (in xown): sim_lock_held(), sim_lock_excl(). */
typedef struct {
	SimLockState *st;
	uint8_t kind;                      /* SimLockKind */
	uint8_t nthreads;
	uint16_t pgset;                    /* bytes of a page set: the
	                                    * world's for a range lock, 1
	                                    * (the pseudo-page) otherwise */
} SimLock;

/* sim_lock_at - the view of the instance of KIND whose state is at ST,
 * in a world of NTHREADS threads whose page sets have PGSET bytes. */
static inline SimLock sim_lock_at(void *st, int kind, int nthreads,
				  int pgset)
{
	return (SimLock){ .st = (SimLockState *)st, .kind = (uint8_t)kind,
			  .nthreads = (uint8_t)nthreads,
			  .pgset = (uint16_t)(kind == SIM_LK_RANGE ? pgset :
					      1) };
}

/* The page sets of thread TID in range lock L, pgset bytes each (what it
 * waits for, holds, holds in write mode, the first page of each range
 * it holds); the thread sets OWN and XOWN of any other lock; L's FIFO
 * wait queue, nwait entries of tid | mode << 7.  Read by the invariant
 * check and the tests. */
enum { SIM_LOCK_WANT, SIM_LOCK_OWN, SIM_LOCK_XOWN, SIM_LOCK_HEAD };
uint8_t *sim_lock_pages(SimLock l, int which, int tid);
uint8_t *sim_lock_tset(SimLock l, int which);
uint8_t *sim_lock_queue(SimLock l);

/* sim_lock_size - bytes of the state of a lock of KIND for NTHREADS
 * threads, in a world whose page sets have PGSET bytes (all of them
 * bytes: it needs no alignment). */
size_t sim_lock_size(int kind, int nthreads, int pgset);

/* sim_lock_held - the threads holding L; sim_lock_excl - those holding
 * some of it in write mode. */
SimThreadSet sim_lock_held(SimLock l);
SimThreadSet sim_lock_excl(SimLock l);

/* Outcome of an acquire attempt. */
typedef enum {
	SIM_LOCK_GRANTED,
	SIM_LOCK_QUEUED,
} SimLockResult;

/* sim_lock_init - an unheld lock of KIND at ST, sim_lock_size(KIND,
 * NTHREADS, PGSET) bytes, and its view. */
SimLock sim_lock_init(void *st, SimLockKind kind, int nthreads, int pgset);

/* sim_lock_acquire - try to take L for TID in MODE over [start, end] (the
 * range is ignored except for range locks).  Granted: TID holds it.
 * Queued: TID is appended to the wait queue and must block.  The caller
 * has ruled out that TID already holds L, or for a range lock that the
 * request overlaps a range TID holds in read mode with a read request
 * (recursive read: two nodes over one page, not representable).  A
 * request overlapping a range TID holds otherwise queues behind TID
 * itself. */
SimLockResult sim_lock_acquire(SimLock l, int tid, SimLockMode mode,
			       int start, int end);

/* sim_lock_release - TID drops L (which it holds; for a range lock the
 * one held range [start, end], see sim_lock_holds_range), then admits
 * waiters:
 * handoff kinds grant in FIFO order every waiter that now fits; the entry
 * wait-bit dequeues one waiter (WAKE_ALL: every waiter) for a retry.
 * Returns the bitmask of threads made runnable; *granted gets the subset
 * that now hold L (for an entry lock always 0). */
SimThreadSet sim_lock_release(SimLock l, int tid, int start, int end,
			 bool wake_all, SimThreadSet *granted);

/* sim_lock_downgrade - TID turns its write hold of rwsem L into a read
 * hold in one step (downgrade_write), then admits the waiters that now
 * fit: the readers queued ahead of the first writer.  Returns the bitmask
 * of threads granted L. */
SimThreadSet sim_lock_downgrade(SimLock l, int tid);

/* sim_lock_release_unbalanced - TID, holding rwsem L for read, releases
 * it with up_write: its hold goes, L becomes corrupt, and the queued
 * readers are admitted.  Returns the bitmask of threads granted L. */
SimThreadSet sim_lock_release_unbalanced(SimLock l, int tid);

/* sim_lock_wake_all - dequeue every waiter without changing holders (a
 * deleted DAX entry wakes all sleepers, which then re-look-up).  Returns
 * the bitmask of woken threads. */
SimThreadSet sim_lock_wake_all(SimLock l);

/* sim_lock_is_held_by - whether TID holds L. */
bool sim_lock_is_held_by(SimLock l, int tid);

/* sim_lock_holds_range - whether [start, end] is exactly one range TID
 * holds of range lock L. */
bool sim_lock_holds_range(SimLock l, int tid, int start, int end);

/* sim_lock_overlaps_own - whether [start, end] overlaps a range TID holds
 * of range lock L; *write_held: whether some overlapped page is held in
 * write mode. */
bool sim_lock_overlaps_own(SimLock l, int tid, int start, int end,
			   bool *write_held);

/* sim_lock_ranges_str - TID's held ranges of range lock L as text,
 * "[0, 1] [4, 4]", into BUF of LEN bytes. */
const char *sim_lock_ranges_str(SimLock l, int tid, char *buf,
				size_t len);

/* sim_lock_blockers - the threads queued TID waits for: the holders
 * whose hold conflicts with its request, and those that the conflicting
 * waiters queued ahead of it wait for (for the non-range kinds, every
 * holder, whether TID is queued or sleeps re-taking a lock it holds).
 * Includes TID itself when it waits for its own range.  For a range lock,
 * 0 when TID is not queued on L. */
SimThreadSet sim_lock_blockers(SimLock l, int tid);

/* sim_lock_mode_of - the mode TID holds L in (TID must hold it; for a
 * range lock, WRITE if any range it holds is). */
SimLockMode sim_lock_mode_of(SimLock l, int tid);

/* sim_lock_waiter_mode - the mode TID is queued for, or -1. */
int sim_lock_waiter_mode(SimLock l, int tid);

/* sim_lock_check - false if L breaks an invariant of the header. */
bool sim_lock_check(SimLock l);

/* sim_lock_kind_name - "mutex", "rwsem", ...; sim_lock_kind_lookup: the
 * kind for a name, or -1. */
const char *sim_lock_kind_name(SimLockKind kind);
int sim_lock_kind_lookup(const char *name);

#endif
