/*
 * check_lock.c - the lock primitives (sim/lock.h), through their API.
 *
 * Contracts tested, one TCase each:
 *   kinds     every kind has a name and the name looks it up again;
 *   excl      mutex, page_lock and hashed_mutex (one rule, swept with a
 *             loop test): granted when free, queued when held, a release
 *             hands the lock to the first waiter only, in FIFO order;
 *   rwsem     readers share; a writer waits for readers; a queued writer
 *             blocks new readers; a release hands off in FIFO order,
 *             to a writer alone or to every consecutive reader at the
 *             head of the queue;
 *   entry     the DAX wait-bit: a release wakes one waiter to retry (it
 *             is not granted), wake_all wakes every waiter, a new arrival
 *             takes a clear bit even with sleepers queued;
 *   range     disjoint ranges are both granted, overlap conflicts (ends
 *             inclusive), read/read overlap shares, FIFO on overlap; one
 *             holder may hold several disjoint ranges (an interval tree)
 *             and releases them one at a time; a request over one's own
 *             range waits for oneself; the blockers of a waiter are the
 *             conflicting holders only;
 *   rmodel    the same through a model: two disjoint ranges in one op
 *             are not a broken model, an unlock must name one held
 *             range, re-taking one's own range is a self-deadlock that
 *             the oracle pins on the right thread;
 *   check     sim_lock_check accepts every state the API builds and
 *             rejects each corruption the header lists.
 *
 * Thread ids are 0..NT-1; masks are 1 << tid.
 */
#include <check.h>
#include <string.h>
#include <glib.h>
#include "bitset.h"
#include "lock.h"
#include "fixture.h"
#include "oracle.h"

Suite *lock_suite(void);

#define BIT(t) SIM_TSET(t)

/* A lock on the stack, shaped as the world shapes it for a scenario of
 * NT threads and 8 pages (one byte per page set). */
#define NT 4
typedef union {
	SimLockState st;
	uint64_t buf[8];
} LockBuf;
#define DECL_LOCK(name) \
	LockBuf name##_buf; \
	SimLock name

/* ---- kinds ------------------------------------------------------------ */

START_TEST(test_kind_names)
{
	static const char *const names[SIM_LK_COUNT] = {
		[SIM_LK_MUTEX] = "mutex", [SIM_LK_RWSEM] = "rwsem",
		[SIM_LK_PAGE] = "page_lock", [SIM_LK_ENTRY] = "entry_lock",
		[SIM_LK_HASHED] = "hashed_mutex",
		[SIM_LK_RANGE] = "range_lock",
	};

	for (int k = 0; k < SIM_LK_COUNT; k++) {
		ck_assert_str_eq(sim_lock_kind_name((SimLockKind)k), names[k]);
		ck_assert_int_eq(sim_lock_kind_lookup(names[k]), k);
	}
	ck_assert_int_eq(sim_lock_kind_lookup("spinlock"), -1);
	ck_assert_int_eq(sim_lock_kind_lookup(""), -1);
	ck_assert_int_eq(sim_lock_kind_lookup("Mutex"), -1);
}
END_TEST

START_TEST(test_init)
{
	DECL_LOCK(l);

	memset(&l_buf, 0xa5, sizeof(l_buf));
	l = sim_lock_init(&l_buf, SIM_LK_RANGE, NT, 1);
	ck_assert_int_eq(l.kind, SIM_LK_RANGE);
	ck_assert_int_eq(sim_lock_held(l), 0);
	ck_assert_int_eq(sim_lock_excl(l), 0);
	ck_assert_int_eq(l.st->nwait, 0);
	for (int t = 0; t < NT; t++) {
		ck_assert_int_eq(sim_lock_queue(l)[t], 0);
		ck_assert_int_eq(sim_lock_pages(l, SIM_LOCK_WANT, t)[0], 0);
		ck_assert_int_eq(sim_lock_pages(l, SIM_LOCK_OWN, t)[0], 0);
		ck_assert_int_eq(sim_lock_pages(l, SIM_LOCK_XOWN, t)[0], 0);
		ck_assert_int_eq(sim_lock_pages(l, SIM_LOCK_HEAD, t)[0], 0);
		ck_assert(!sim_lock_is_held_by(l, t));
		ck_assert_int_eq(sim_lock_waiter_mode(l, t), -1);
	}
	ck_assert(sim_lock_check(l));
}
END_TEST

/* ---- exclusive kinds: mutex, page_lock, hashed_mutex ------------------ */

static const SimLockKind excl_kinds[] = {
	SIM_LK_MUTEX, SIM_LK_PAGE, SIM_LK_HASHED,
};

START_TEST(test_excl_grant_when_free)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, excl_kinds[_i], NT, 1);
	ck_assert_int_eq(sim_lock_acquire(l, 2, SIM_MODE_WRITE, 0, 0),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_held(l), BIT(2));
	ck_assert_int_eq(sim_lock_excl(l), BIT(2));
	ck_assert_int_eq(l.st->nwait, 0);
	ck_assert(sim_lock_is_held_by(l, 2));
	ck_assert(!sim_lock_is_held_by(l, 0));
	ck_assert_int_eq(sim_lock_mode_of(l, 2), SIM_MODE_WRITE);
	ck_assert(sim_lock_check(l));
}
END_TEST

START_TEST(test_excl_queue_when_held)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, excl_kinds[_i], NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_held(l), BIT(0));
	ck_assert_int_eq(l.st->nwait, 1);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 1), SIM_MODE_WRITE);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 0), -1);
	ck_assert(!sim_lock_is_held_by(l, 1));
	ck_assert(sim_lock_check(l));
}
END_TEST

/* Three waiters: each release hands the lock to exactly the next one. */
START_TEST(test_excl_fifo_handoff)
{
	DECL_LOCK(l);
	SimThreadSet granted = 0xff;

	l = sim_lock_init(&l_buf, excl_kinds[_i], NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 3, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 2, SIM_MODE_WRITE, 0, 0);
	ck_assert_int_eq(l.st->nwait, 3);

	ck_assert_int_eq(sim_lock_release(l, 0, 0, 0, false, &granted), BIT(3));
	ck_assert_int_eq(granted, BIT(3));
	ck_assert_int_eq(sim_lock_held(l), BIT(3));
	ck_assert_int_eq(sim_lock_excl(l), BIT(3));
	ck_assert_int_eq(l.st->nwait, 2);
	ck_assert(sim_lock_check(l));

	ck_assert_int_eq(sim_lock_release(l, 3, 0, 0, false, &granted), BIT(1));
	ck_assert_int_eq(granted, BIT(1));
	ck_assert_int_eq(sim_lock_release(l, 1, 0, 0, false, &granted), BIT(2));
	ck_assert_int_eq(granted, BIT(2));
	ck_assert_int_eq(l.st->nwait, 0);

	ck_assert_int_eq(sim_lock_release(l, 2, 0, 0, false, &granted), 0);
	ck_assert_int_eq(granted, 0);
	ck_assert_int_eq(sim_lock_held(l), 0);
	ck_assert_int_eq(sim_lock_excl(l), 0);
	ck_assert(sim_lock_check(l));
}
END_TEST

/* wake_all means nothing to a handoff lock: still one holder. */
START_TEST(test_excl_wake_all_still_one)
{
	DECL_LOCK(l);
	SimThreadSet granted;

	l = sim_lock_init(&l_buf, excl_kinds[_i], NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 2, SIM_MODE_WRITE, 0, 0);
	ck_assert_int_eq(sim_lock_release(l, 0, 0, 0, true, &granted), BIT(1));
	ck_assert_int_eq(granted, BIT(1));
	ck_assert_int_eq(l.st->nwait, 1);
	ck_assert(sim_lock_check(l));
}
END_TEST

/* Requests in read mode on a kind without one are exclusive anyway. */
START_TEST(test_excl_read_mode_excludes)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, excl_kinds[_i], NT, 1);
	ck_assert_int_eq(sim_lock_acquire(l, 0, SIM_MODE_READ, 0, 0),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_READ, 0, 0),
			 SIM_LOCK_QUEUED);
}
END_TEST

/* ---- rwsem ------------------------------------------------------------ */

START_TEST(test_rwsem_readers_share)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_RWSEM, NT, 1);
	ck_assert_int_eq(sim_lock_acquire(l, 0, SIM_MODE_READ, 0, 0),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_READ, 0, 0),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_acquire(l, 3, SIM_MODE_READ, 0, 0),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_held(l), BIT(0) | BIT(1) | BIT(3));
	ck_assert_int_eq(sim_lock_excl(l), 0);
	ck_assert_int_eq(sim_lock_mode_of(l, 1), SIM_MODE_READ);
	ck_assert(sim_lock_check(l));
}
END_TEST

START_TEST(test_rwsem_writer_waits_for_readers)
{
	DECL_LOCK(l);
	SimThreadSet granted;

	l = sim_lock_init(&l_buf, SIM_LK_RWSEM, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_READ, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_READ, 0, 0);
	ck_assert_int_eq(sim_lock_acquire(l, 2, SIM_MODE_WRITE, 0, 0),
			 SIM_LOCK_QUEUED);
	/* the first reader leaving is not enough */
	ck_assert_int_eq(sim_lock_release(l, 0, 0, 0, false, &granted), 0);
	ck_assert_int_eq(granted, 0);
	ck_assert_int_eq(l.st->nwait, 1);
	/* the last one hands it to the writer */
	ck_assert_int_eq(sim_lock_release(l, 1, 0, 0, false, &granted), BIT(2));
	ck_assert_int_eq(granted, BIT(2));
	ck_assert_int_eq(sim_lock_held(l), BIT(2));
	ck_assert_int_eq(sim_lock_excl(l), BIT(2));
	ck_assert_int_eq(sim_lock_mode_of(l, 2), SIM_MODE_WRITE);
}
END_TEST

START_TEST(test_rwsem_reader_waits_for_writer)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_RWSEM, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_READ, 0, 0),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_acquire(l, 2, SIM_MODE_WRITE, 0, 0),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 1), SIM_MODE_READ);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 2), SIM_MODE_WRITE);
}
END_TEST

/* A waiting writer makes a new reader wait, though only readers hold. */
START_TEST(test_rwsem_queued_writer_blocks_readers)
{
	DECL_LOCK(l);
	SimThreadSet granted;

	l = sim_lock_init(&l_buf, SIM_LK_RWSEM, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_READ, 0, 0);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_acquire(l, 2, SIM_MODE_READ, 0, 0),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_held(l), BIT(0));
	/* FIFO: the writer goes first, then the reader */
	ck_assert_int_eq(sim_lock_release(l, 0, 0, 0, false, &granted), BIT(1));
	ck_assert_int_eq(granted, BIT(1));
	ck_assert_int_eq(sim_lock_release(l, 1, 0, 0, false, &granted), BIT(2));
	ck_assert_int_eq(granted, BIT(2));
	ck_assert_int_eq(sim_lock_excl(l), 0);
}
END_TEST

/* Queue R R W R behind a writer: release admits the two readers at the
 * head, and the reader behind the writer stays queued behind it. */
START_TEST(test_rwsem_handoff_consecutive_readers)
{
	DECL_LOCK(l);
	SimThreadSet granted;

	l = sim_lock_init(&l_buf, SIM_LK_RWSEM, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_READ, 0, 0);
	sim_lock_acquire(l, 2, SIM_MODE_READ, 0, 0);
	sim_lock_acquire(l, 3, SIM_MODE_WRITE, 0, 0);
	ck_assert_int_eq(sim_lock_release(l, 0, 0, 0, false, &granted),
			 BIT(1) | BIT(2));
	ck_assert_int_eq(granted, BIT(1) | BIT(2));
	ck_assert_int_eq(sim_lock_held(l), BIT(1) | BIT(2));
	ck_assert_int_eq(sim_lock_excl(l), 0);
	ck_assert_int_eq(l.st->nwait, 1);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 3), SIM_MODE_WRITE);
	ck_assert(sim_lock_check(l));
}
END_TEST

START_TEST(test_rwsem_reader_behind_writer_stays)
{
	DECL_LOCK(l);
	SimThreadSet granted;

	l = sim_lock_init(&l_buf, SIM_LK_RWSEM, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_READ, 0, 0);
	sim_lock_acquire(l, 2, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 3, SIM_MODE_READ, 0, 0);
	ck_assert_int_eq(sim_lock_release(l, 0, 0, 0, false, &granted), BIT(1));
	ck_assert_int_eq(granted, BIT(1));
	ck_assert_int_eq(l.st->nwait, 2);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 3), SIM_MODE_READ);
	/* the writer gets it from the reader, then the last reader */
	ck_assert_int_eq(sim_lock_release(l, 1, 0, 0, false, &granted), BIT(2));
	ck_assert_int_eq(sim_lock_release(l, 2, 0, 0, false, &granted), BIT(3));
	ck_assert_int_eq(granted, BIT(3));
	ck_assert_int_eq(sim_lock_held(l), BIT(3));
	ck_assert_int_eq(l.st->nwait, 0);
}
END_TEST

/* ---- entry lock (DAX wait-bit) ------------------------------------------ */

START_TEST(test_entry_grant_and_queue)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_ENTRY, NT, 1);
	ck_assert_int_eq(sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_held(l), BIT(0));
	ck_assert_int_eq(l.st->nwait, 1);
}
END_TEST

/* unlock_entry: one waiter is woken, not granted; the bit is clear. */
START_TEST(test_entry_release_wakes_one_to_retry)
{
	DECL_LOCK(l);
	SimThreadSet granted = 0xff;

	l = sim_lock_init(&l_buf, SIM_LK_ENTRY, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 2, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0);
	ck_assert_int_eq(sim_lock_release(l, 0, 0, 0, false, &granted), BIT(2));
	ck_assert_int_eq(granted, 0);
	ck_assert_int_eq(sim_lock_held(l), 0);
	ck_assert_int_eq(sim_lock_excl(l), 0);
	ck_assert_int_eq(l.st->nwait, 1);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 1), SIM_MODE_WRITE);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 2), -1);
	ck_assert(sim_lock_check(l));
}
END_TEST

START_TEST(test_entry_release_wake_all)
{
	DECL_LOCK(l);
	SimThreadSet granted = 0xff;

	l = sim_lock_init(&l_buf, SIM_LK_ENTRY, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 2, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 3, SIM_MODE_WRITE, 0, 0);
	ck_assert_int_eq(sim_lock_release(l, 0, 0, 0, true, &granted),
			 BIT(1) | BIT(2) | BIT(3));
	ck_assert_int_eq(granted, 0);
	ck_assert_int_eq(sim_lock_held(l), 0);
	ck_assert_int_eq(l.st->nwait, 0);
	for (int t = 0; t < NT; t++)
		ck_assert_int_eq(sim_lock_queue(l)[t], 0);
}
END_TEST

/* Whoever tests the bit first gets it: no FIFO fairness for a new
 * arrival, even with a sleeper queued (it was woken and has not yet
 * retried, or has not been woken at all). */
START_TEST(test_entry_new_arrival_takes_clear_bit)
{
	DECL_LOCK(l);
	SimThreadSet granted;

	l = sim_lock_init(&l_buf, SIM_LK_ENTRY, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 2, SIM_MODE_WRITE, 0, 0);
	sim_lock_release(l, 0, 0, 0, false, &granted);   /* wakes T1 only */
	ck_assert_int_eq(l.st->nwait, 1);               /* T2 still sleeps */
	ck_assert_int_eq(sim_lock_acquire(l, 3, SIM_MODE_WRITE, 0, 0),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_held(l), BIT(3));
	/* the woken T1 retries and now finds the bit set again */
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(l.st->nwait, 2);
	ck_assert(sim_lock_check(l));
}
END_TEST

/* sim_lock_wake_all dequeues every waiter and leaves the holder. */
START_TEST(test_wake_all_keeps_holder)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_ENTRY, NT, 1);
	ck_assert_int_eq(sim_lock_wake_all(l), 0);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 3, SIM_MODE_WRITE, 0, 0);
	ck_assert_int_eq(sim_lock_wake_all(l), BIT(1) | BIT(3));
	ck_assert_int_eq(sim_lock_held(l), BIT(0));
	ck_assert_int_eq(sim_lock_excl(l), BIT(0));
	ck_assert_int_eq(l.st->nwait, 0);
	ck_assert(sim_lock_check(l));
}
END_TEST

/* ---- range lock ------------------------------------------------------- */

START_TEST(test_range_disjoint_both_granted)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_RANGE, NT, 1);
	ck_assert_int_eq(sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 3),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 4, 7),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_held(l), BIT(0) | BIT(1));
	ck_assert_int_eq(sim_lock_excl(l), BIT(0) | BIT(1));
	ck_assert_int_eq(sim_lock_pages(l, SIM_LOCK_OWN, 1)[0], 0xf0);
	ck_assert(sim_lock_holds_range(l, 1, 4, 7));
	/* two exclusive holders are fine for a range lock */
	ck_assert(sim_lock_check(l));
}
END_TEST

START_TEST(test_range_overlap_conflicts)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_RANGE, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 2, 4);
	/* ends are inclusive: [4, 6] touches [2, 4] at 4 */
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 4, 6),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_acquire(l, 2, SIM_MODE_READ, 0, 2),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_acquire(l, 3, SIM_MODE_READ, 5, 5),
			 SIM_LOCK_QUEUED);      /* behind T1's [4, 6] */
	ck_assert_int_eq(sim_lock_held(l), BIT(0));
	ck_assert_int_eq(l.st->nwait, 3);
}
END_TEST

START_TEST(test_range_read_read_shares)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_RANGE, NT, 1);
	ck_assert_int_eq(sim_lock_acquire(l, 0, SIM_MODE_READ, 0, 5),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_READ, 3, 7),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_acquire(l, 2, SIM_MODE_WRITE, 6, 6),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_held(l), BIT(0) | BIT(1));
	ck_assert_int_eq(sim_lock_excl(l), 0);
}
END_TEST

/* FIFO on overlap: a reader that overlaps a queued writer waits behind
 * it, though it would share with the holders; a request that overlaps
 * nobody is granted at once. */
START_TEST(test_range_fifo_on_overlap)
{
	DECL_LOCK(l);
	SimThreadSet granted;

	l = sim_lock_init(&l_buf, SIM_LK_RANGE, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_READ, 0, 3);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 2, 2),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_acquire(l, 2, SIM_MODE_READ, 2, 3),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_acquire(l, 3, SIM_MODE_WRITE, 5, 6),
			 SIM_LOCK_GRANTED);

	ck_assert_int_eq(sim_lock_release(l, 0, 0, 3, false, &granted),
			 BIT(1));
	ck_assert_int_eq(granted, BIT(1));
	ck_assert_int_eq(sim_lock_held(l), BIT(1) | BIT(3));
	ck_assert(sim_lock_holds_range(l, 1, 2, 2));
	ck_assert_int_eq(sim_lock_pages(l, SIM_LOCK_WANT, 1)[0], 0);         /* cleared on the grant */
	ck_assert_int_eq(sim_lock_pages(l, SIM_LOCK_OWN, 0)[0], 0);          /* cleared on release */

	ck_assert_int_eq(sim_lock_release(l, 1, 2, 2, false, &granted),
			 BIT(2));
	ck_assert_int_eq(sim_lock_held(l), BIT(2) | BIT(3));
	ck_assert_int_eq(sim_lock_mode_of(l, 2), SIM_MODE_READ);
	ck_assert_int_eq(sim_lock_mode_of(l, 3), SIM_MODE_WRITE);
	ck_assert(sim_lock_check(l));
}
END_TEST

/* A waiter whose range overlaps nobody still queued is handed the lock
 * on a release even if an earlier waiter stays queued. */
START_TEST(test_range_handoff_skips_blocked_waiter)
{
	DECL_LOCK(l);
	SimThreadSet granted;

	l = sim_lock_init(&l_buf, SIM_LK_RANGE, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 7);
	sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 1);
	sim_lock_acquire(l, 2, SIM_MODE_WRITE, 1, 2);  /* overlaps T1 */
	sim_lock_acquire(l, 3, SIM_MODE_WRITE, 5, 6);  /* overlaps no waiter */
	ck_assert_int_eq(l.st->nwait, 3);
	ck_assert_int_eq(sim_lock_release(l, 0, 0, 7, false, &granted),
			 BIT(1) | BIT(3));
	ck_assert_int_eq(granted, BIT(1) | BIT(3));
	ck_assert_int_eq(l.st->nwait, 1);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 2), SIM_MODE_WRITE);
}
END_TEST

/* One holder, two disjoint (adjacent) ranges: both granted, each a
 * range of its own; releasing one leaves the other, and a waiter over
 * both is granted only when both are gone. */
START_TEST(test_range_one_holder_disjoint)
{
	DECL_LOCK(l);
	SimThreadSet granted;
	char buf[64];

	l = sim_lock_init(&l_buf, SIM_LK_RANGE, NT, 1);
	ck_assert_int_eq(sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 1),
			 SIM_LOCK_GRANTED);
	ck_assert_int_eq(sim_lock_acquire(l, 0, SIM_MODE_READ, 2, 3),
			 SIM_LOCK_GRANTED);
	ck_assert(sim_lock_check(l));
	ck_assert(sim_lock_holds_range(l, 0, 0, 1));
	ck_assert(sim_lock_holds_range(l, 0, 2, 3));
	ck_assert(!sim_lock_holds_range(l, 0, 0, 3));  /* not one node */
	ck_assert(!sim_lock_holds_range(l, 0, 0, 0));
	ck_assert(!sim_lock_holds_range(l, 0, 2, 2));
	ck_assert_str_eq(sim_lock_ranges_str(l, 0, buf, sizeof(buf)),
			 "[0, 1] [2, 3]");
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 1, 2),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_blockers(l, 1), BIT(0));
	ck_assert_int_eq(sim_lock_release(l, 0, 0, 1, false, &granted), 0);
	ck_assert(sim_lock_is_held_by(l, 0));
	ck_assert_int_eq(sim_lock_mode_of(l, 0), SIM_MODE_READ);
	ck_assert(sim_lock_holds_range(l, 0, 2, 3));
	ck_assert(sim_lock_check(l));
	ck_assert_int_eq(sim_lock_release(l, 0, 2, 3, false, &granted),
			 BIT(1));
	ck_assert_int_eq(granted, BIT(1));
	ck_assert_int_eq(sim_lock_held(l), BIT(1));
	ck_assert(sim_lock_holds_range(l, 1, 1, 2));
	ck_assert(sim_lock_check(l));
}
END_TEST

/* A request over one's own write range queues behind oneself (Jan's
 * range lock is not recursive); a holder of a disjoint range is not
 * among its blockers. */
START_TEST(test_range_self_overlap_waits_for_self)
{
	DECL_LOCK(l);
	bool wh;

	l = sim_lock_init(&l_buf, SIM_LK_RANGE, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 5, 5);
	sim_lock_acquire(l, 1, SIM_MODE_WRITE, 1, 1);
	ck_assert(sim_lock_overlaps_own(l, 1, 0, 2, &wh));
	ck_assert(wh);
	ck_assert(!sim_lock_overlaps_own(l, 1, 2, 4, &wh));
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 2),
			 SIM_LOCK_QUEUED);
	ck_assert(sim_lock_is_held_by(l, 1));
	ck_assert_int_eq(sim_lock_waiter_mode(l, 1), SIM_MODE_WRITE);
	ck_assert_int_eq(sim_lock_blockers(l, 1), BIT(1));
	ck_assert(sim_lock_check(l));
}
END_TEST

/* A waiter held back by FIFO fairness alone waits for what the waiter
 * ahead of it waits for. */
START_TEST(test_range_blockers_through_queue)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_RANGE, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_READ, 0, 1);
	sim_lock_acquire(l, 3, SIM_MODE_WRITE, 6, 6);
	ck_assert_int_eq(sim_lock_acquire(l, 1, SIM_MODE_WRITE, 1, 2),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_acquire(l, 2, SIM_MODE_READ, 2, 3),
			 SIM_LOCK_QUEUED);
	ck_assert_int_eq(sim_lock_blockers(l, 1), BIT(0));
	ck_assert_int_eq(sim_lock_blockers(l, 2), BIT(0));
	ck_assert_int_eq(sim_lock_blockers(l, 3), 0);  /* not queued */
}
END_TEST

/* ---- range lock through a model ---------------------------------------- */

static const char range_model[] =
	"model t\n"
	"lock RL range_lock\n"
	"lock M mutex\n"
	"op two() {\n\trange_lock(RL, 0, 1)\n\trange_lock(RL, 2, 3)\n"
	"\ti_size_read()\n\trange_unlock(RL, 0, 1)\n\ti_size_read()\n"
	"\trange_unlock(RL, 2, 3)\n\treturn 0\n}\n"
	"op mid() {\n\trange_lock(RL, 1, 2)\n\trange_unlock(RL, 1, 2)\n"
	"\treturn 0\n}\n"
	"op whole() {\n\trange_lock(RL, 0, 1)\n\trange_lock(RL, 2, 3)\n"
	"\trange_unlock(RL, 0, 3)\n\treturn 0\n}\n"
	"op rdrd() {\n\trange_lock_read(RL, 0, 1)\n"
	"\trange_lock_read(RL, 1, 1)\n\treturn 0\n}\n"
	"op far_m() {\n\trange_lock(RL, 5, 5)\n\tmutex_lock(M)\n"
	"\tmutex_unlock(M)\n\trange_unlock(RL, 5, 5)\n\treturn 0\n}\n"
	"op m_self() {\n\tmutex_lock(M)\n\trange_lock(RL, 1, 1)\n"
	"\trange_lock(RL, 0, 2)\n\treturn 0\n}\n";

#define RSCN1(b0) "scenario s\nfile size 4\nthread T0 {\n" b0 "\n}\n"
#define RSCN2(b0, b1) \
	"scenario s\nfile size 4\nthread T0 {\n" b0 "\n}\n" \
	"thread T1 {\n" b1 "\n}\n"

/* The model-level contract of the interval tree: before it, the second
 * range_lock of two() was "one range per thread and lock", a broken
 * model. */
START_TEST(test_rmodel_two_disjoint_not_broken)
{
	Fx *f = fx_new(range_model, RSCN2("two()", "mid()"));

	fx_run(f, "001");       /* T0 holds [0,1] and [2,3]; T1 waits */
	ck_assert_msg(!f->ctx.model_error, "%s", f->msg->str);
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	fx_run(f, "00");        /* [0,1] released: [2,3] still blocks T1 */
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	fx_run(f, "00");        /* [2,3] released: T1 is handed [1,2] */
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(sim_thread(f->w, 0)->status, SIM_TH_DONE);
	fx_run(f, "11");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_DONE);
	ck_assert(!f->ctx.model_error);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

static void expect_range_error(const char *body, int steps, const char *what)
{
	Fx *f = fx_new(range_model, body);

	for (int i = 0; i < steps && !f->ctx.model_error; i++)
		fx_step(f, 0);
	ck_assert(f->ctx.model_error);
	ck_assert_msg(strstr(f->msg->str, what) != NULL, "%s", f->msg->str);
	fx_free(f);
}

START_TEST(test_rmodel_unlock_names_one_range)
{
	expect_range_error(RSCN1("whole()"), 3,
			   "range_unlock(0, 3) of RL held over [0, 1] [2, 3]");
	expect_range_error(RSCN1("rdrd()"), 2,
			   "recursive range_lock_read(1, 1) of RL, which T0 "
			   "holds over [0, 1]");
}
END_TEST

/* T1 holds M and re-takes its own range; T0 holds a disjoint range and
 * waits for M.  The cycle is T1 -> T1; T0 only waits on it.  (Blaming
 * every holder of RL would draw T1 -> T0 -> T1, an ABBA that is not
 * there.) */
START_TEST(test_rmodel_self_deadlock_blames_self)
{
	Fx *f = fx_new(range_model, RSCN2("far_m()", "m_self()"));

	fx_run(f, "01110");
	ck_assert_int_eq(sim_step_runnable(f->w), 0);
	sim_oracle_stuck(f->w, &f->ctx);
	ck_assert_int_eq(f->ctx.found, 1u << SIM_PROP_DEADLOCK);
	ck_assert_msg(strstr(f->msg->str, "T1 waits for RL (write) held by "
			     "T1") != NULL, "%s", f->msg->str);
	ck_assert_msg(strstr(f->msg->str, "held by T0") == NULL, "%s",
		      f->msg->str);
	fx_free(f);
}
END_TEST

/* ---- sim_lock_check --------------------------------------------------- */

START_TEST(test_check_rejects_bad_kind)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_MUTEX, NT, 1);
	l.kind = SIM_LK_COUNT;
	ck_assert(!sim_lock_check(l));
}
END_TEST

START_TEST(test_check_rejects_nwait_overflow)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_MUTEX, NT, 1);
	l.st->nwait = NT + 1;
	ck_assert(!sim_lock_check(l));
}
END_TEST

START_TEST(test_check_rejects_excl_not_held)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_RWSEM, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_READ, 0, 0);
	sim_bit_set(sim_lock_tset(l, SIM_LOCK_XOWN), 1); /* T1 holds nothing */
	ck_assert(!sim_lock_check(l));
}
END_TEST

START_TEST(test_check_rejects_bad_waiter_tid)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_MUTEX, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_queue(l)[0] = NT;                     /* tid 4 */
	l.st->nwait = 1;
	ck_assert(!sim_lock_check(l));
}
END_TEST

/* A non-range lock's holders are a thread set: a bit past the last
 * thread names no thread. */
START_TEST(test_check_rejects_stray_holder)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, excl_kinds[_i], NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	ck_assert(sim_lock_check(l));
	sim_bit_set(sim_lock_tset(l, SIM_LOCK_OWN), NT);
	ck_assert(!sim_lock_check(l));
}
END_TEST

START_TEST(test_check_rejects_double_queued)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_MUTEX, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(l, 1, SIM_MODE_WRITE, 0, 0);
	ck_assert(sim_lock_check(l));
	sim_lock_queue(l)[1] = sim_lock_queue(l)[0];
	l.st->nwait = 2;
	ck_assert(!sim_lock_check(l));
}
END_TEST

START_TEST(test_check_rejects_holder_waiting)
{
	DECL_LOCK(l);

	l = sim_lock_init(&l_buf, SIM_LK_MUTEX, NT, 1);
	sim_lock_acquire(l, 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_queue(l)[0] = 0 | SIM_MODE_WRITE << 7;
	l.st->nwait = 1;
	ck_assert(!sim_lock_check(l));
}
END_TEST

START_TEST(test_check_rejects_shared_exclusive)
{
	static const SimLockKind kinds[] = {
		SIM_LK_MUTEX, SIM_LK_RWSEM, SIM_LK_PAGE, SIM_LK_ENTRY,
		SIM_LK_HASHED,
	};

	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
		DECL_LOCK(l);
		l = sim_lock_init(&l_buf, kinds[i], NT, 1);
		sim_bit_set(sim_lock_tset(l, SIM_LOCK_OWN), 0);
		sim_bit_set(sim_lock_tset(l, SIM_LOCK_OWN), 2);
		sim_bit_set(sim_lock_tset(l, SIM_LOCK_XOWN), 2);
		ck_assert_msg(!sim_lock_check(l), "kind %s",
			      sim_lock_kind_name(kinds[i]));
	}
	/* an rwsem with two readers is fine; a writer among them is not */
	DECL_LOCK(r);
	r = sim_lock_init(&r_buf, SIM_LK_RWSEM, NT, 1);
	sim_lock_acquire(r, 0, SIM_MODE_READ, 0, 0);
	sim_lock_acquire(r, 2, SIM_MODE_READ, 0, 0);
	ck_assert(sim_lock_check(r));
	sim_bit_set(sim_lock_tset(r, SIM_LOCK_XOWN), 2);
	ck_assert(!sim_lock_check(r));
	/* two range holders overlapping, one in write mode */
	r = sim_lock_init(&r_buf, SIM_LK_RANGE, NT, 1);
	sim_lock_acquire(r, 0, SIM_MODE_READ, 0, 2);
	sim_lock_acquire(r, 1, SIM_MODE_READ, 2, 3);
	ck_assert(sim_lock_check(r));
	sim_lock_pages(r, SIM_LOCK_XOWN, 1)[0] = 0x04;
	ck_assert(!sim_lock_check(r));
}
END_TEST

/* The first range TID holds of range lock L, from its page masks. */
static void first_range(SimLock l, int tid, int *start, int *end)
{
	uint8_t own = sim_lock_pages(l, SIM_LOCK_OWN, tid)[0];
	uint8_t head = sim_lock_pages(l, SIM_LOCK_HEAD, tid)[0];

	*start = __builtin_ctz(head);
	*end = *start;
	while (*end + 1 < 8 && (own >> (*end + 1) & 1) &&
	       !(head >> (*end + 1) & 1))
		(*end)++;
}

/* Every state a random walk of the API builds passes the check: a thread
 * releases one of its ranges, or asks for a new one (range locks: also
 * while holding others, never a read over its own read range, which the
 * caller rules out), or a wake_all empties the queue. */
START_TEST(test_check_accepts_api_states)
{
	uint32_t x = 2463534242u + (uint32_t)_i;

	for (int k = 0; k < SIM_LK_COUNT; k++) {
		DECL_LOCK(l);
		bool ranged = k == SIM_LK_RANGE;
		l = sim_lock_init(&l_buf, (SimLockKind)k, NT, 1);
		for (int n = 0; n < 200; n++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			int t = (int)(x % NT);
			int s = (int)(x >> 8 & 7), e = s + (int)(x >> 12 & 3);
			SimLockMode m = (x >> 16 & 1) ? SIM_MODE_WRITE :
					SIM_MODE_READ;
			SimThreadSet granted;
			bool wh;
			if (e > 7)
				e = 7;
			if (sim_lock_waiter_mode(l, t) >= 0) {
				if ((x >> 21 & 3) == 0)
					sim_lock_wake_all(l);
			} else if (sim_lock_is_held_by(l, t) &&
				   (!ranged || x >> 22 & 1)) {
				int rs = 0, re = 0;
				if (ranged)
					first_range(l, t, &rs, &re);
				sim_lock_release(l, t, rs, re, x >> 20 & 1,
						 &granted);
			} else if (!sim_lock_is_held_by(l, t) ||
				   !sim_lock_overlaps_own(l, t, s, e, &wh) ||
				   m == SIM_MODE_WRITE || wh) {
				if (!ranged && sim_lock_is_held_by(l, t))
					continue;
				sim_lock_acquire(l, t, m, s, e);
			}
			ck_assert_msg(sim_lock_check(l), "kind %d step %d",
				      k, n);
		}
	}
}
END_TEST

Suite *lock_suite(void)
{
	Suite *s = suite_create("lock");
	TCase *tc;
	int nexcl = (int)G_N_ELEMENTS(excl_kinds);

	tc = tcase_create("kinds");
	tcase_add_test(tc, test_kind_names);
	tcase_add_test(tc, test_init);
	suite_add_tcase(s, tc);

	tc = tcase_create("excl");
	tcase_add_loop_test(tc, test_excl_grant_when_free, 0, nexcl);
	tcase_add_loop_test(tc, test_excl_queue_when_held, 0, nexcl);
	tcase_add_loop_test(tc, test_excl_fifo_handoff, 0, nexcl);
	tcase_add_loop_test(tc, test_excl_wake_all_still_one, 0, nexcl);
	tcase_add_loop_test(tc, test_excl_read_mode_excludes, 0, nexcl);
	suite_add_tcase(s, tc);

	tc = tcase_create("rwsem");
	tcase_add_test(tc, test_rwsem_readers_share);
	tcase_add_test(tc, test_rwsem_writer_waits_for_readers);
	tcase_add_test(tc, test_rwsem_reader_waits_for_writer);
	tcase_add_test(tc, test_rwsem_queued_writer_blocks_readers);
	tcase_add_test(tc, test_rwsem_handoff_consecutive_readers);
	tcase_add_test(tc, test_rwsem_reader_behind_writer_stays);
	suite_add_tcase(s, tc);

	tc = tcase_create("entry");
	tcase_add_test(tc, test_entry_grant_and_queue);
	tcase_add_test(tc, test_entry_release_wakes_one_to_retry);
	tcase_add_test(tc, test_entry_release_wake_all);
	tcase_add_test(tc, test_entry_new_arrival_takes_clear_bit);
	tcase_add_test(tc, test_wake_all_keeps_holder);
	suite_add_tcase(s, tc);

	tc = tcase_create("range");
	tcase_add_test(tc, test_range_disjoint_both_granted);
	tcase_add_test(tc, test_range_overlap_conflicts);
	tcase_add_test(tc, test_range_read_read_shares);
	tcase_add_test(tc, test_range_fifo_on_overlap);
	tcase_add_test(tc, test_range_handoff_skips_blocked_waiter);
	tcase_add_test(tc, test_range_one_holder_disjoint);
	tcase_add_test(tc, test_range_self_overlap_waits_for_self);
	tcase_add_test(tc, test_range_blockers_through_queue);
	suite_add_tcase(s, tc);

	tc = tcase_create("rmodel");
	tcase_add_test(tc, test_rmodel_two_disjoint_not_broken);
	tcase_add_test(tc, test_rmodel_unlock_names_one_range);
	tcase_add_test(tc, test_rmodel_self_deadlock_blames_self);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_test(tc, test_check_rejects_bad_kind);
	tcase_add_test(tc, test_check_rejects_nwait_overflow);
	tcase_add_test(tc, test_check_rejects_excl_not_held);
	tcase_add_test(tc, test_check_rejects_bad_waiter_tid);
	tcase_add_loop_test(tc, test_check_rejects_stray_holder, 0,
			    G_N_ELEMENTS(excl_kinds));
	tcase_add_test(tc, test_check_rejects_double_queued);
	tcase_add_test(tc, test_check_rejects_holder_waiting);
	tcase_add_test(tc, test_check_rejects_shared_exclusive);
	tcase_add_loop_test(tc, test_check_accepts_api_states, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}
