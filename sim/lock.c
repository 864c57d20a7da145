/*
 * lock.c - lock primitives.  The rules per kind are data (lock_kinds[]);
 * the functions below apply them.  See lock.h for the contract.
 */
#include <stdio.h>
#include <string.h>
#include "bitset.h"
#include "lock.h"

typedef struct {
	const char *name;
	bool shared_ok;         /* has a read mode */
	bool ranged;            /* holders conflict only when ranges overlap */
	bool handoff;           /* release grants; else wake-and-retry */
} SimLockKindInfo;

static const SimLockKindInfo lock_kinds[SIM_LK_COUNT] = {
	[SIM_LK_MUTEX]  = { .name = "mutex",        .handoff = true },
	[SIM_LK_RWSEM]  = { .name = "rwsem",        .shared_ok = true,
			    .handoff = true },
	[SIM_LK_PAGE]   = { .name = "page_lock",    .handoff = true },
	/* wait_on_bit_lock(): a woken waiter re-tests the bit itself */
	[SIM_LK_ENTRY]  = { .name = "entry_lock",   .handoff = false },
	[SIM_LK_HASHED] = { .name = "hashed_mutex", .handoff = true },
	[SIM_LK_RANGE]  = { .name = "range_lock",   .shared_ok = true,
			    .ranged = true, .handoff = true },
};

#define WAIT_TID(x)  ((x) & 0x7f)
#define WAIT_MODE(x) ((x) >> 7)

enum {
	WANT = SIM_LOCK_WANT, OWN = SIM_LOCK_OWN, XOWN = SIM_LOCK_XOWN,
	HEAD = SIM_LOCK_HEAD,
};

uint8_t *sim_lock_queue(SimLock l)
{
	return l.st->data;
}

uint8_t *sim_lock_pages(SimLock l, int which, int tid)
{
	return sim_lock_queue(l) + l.nthreads +
	       (size_t)(which * l.nthreads + tid) * l.pgset;
}

uint8_t *sim_lock_tset(SimLock l, int which)
{
	return sim_lock_queue(l) + l.nthreads +
	       (size_t)(which == XOWN) * (size_t)sim_bits_bytes(l.nthreads);
}

/* A page set on the stack, as big as any lock's. */
typedef uint8_t PageSet[SIM_PAGES_MAX / 8];

/* The pseudo-page sets a non-range lock's rules read: held (or wanted)
 * and not. */
static const uint8_t ONE[1] = { 1 }, NONE[1] = { 0 };

static bool ranged(SimLock l)
{
	return lock_kinds[l.kind].ranged;
}

/* Set WHICH of thread TID, read-only: a range lock's page set, or for
 * the other kinds the pseudo-page set its thread sets give (want: queued;
 * head: held). */
static const uint8_t *set_of(SimLock l, int which, int tid)
{
	if (ranged(l))
		return sim_lock_pages(l, which, tid);
	if (which == WANT)
		return sim_lock_waiter_mode(l, tid) >= 0 ? ONE : NONE;
	return sim_bit(sim_lock_tset(l, which == XOWN ? XOWN : OWN), tid) ?
	       ONE : NONE;
}

/* What waiter I of the queue asks for. */
static const uint8_t *waiter_want(SimLock l, int i)
{
	return ranged(l) ? sim_lock_pages(l, WANT,
					  WAIT_TID(sim_lock_queue(l)[i])) : ONE;
}

size_t sim_lock_size(int kind, int nthreads, int pgset)
{
	size_t sets = lock_kinds[kind].ranged ?
		      4 * (size_t)nthreads * (size_t)pgset :
		      2 * (size_t)sim_bits_bytes(nthreads);
	return sizeof(SimLockState) + (size_t)nthreads + sets;
}

/* The threads with pages in set WHICH. */
static SimThreadSet with_pages(SimLock l, int which)
{
	SimThreadSet m = 0;

	if (!ranged(l)) {
		const uint8_t *set = sim_lock_tset(l, which);
		for (int i = 0; i < sim_bits_bytes(l.nthreads); i++)
			m |= (SimThreadSet)set[i] << 8 * i;
		return m;
	}
	for (int t = 0; t < l.nthreads; t++)
		if (sim_bits_any(sim_lock_pages(l, which, t), l.pgset))
			m |= SIM_TSET(t);
	return m;
}

const char *sim_lock_kind_name(SimLockKind kind)
{
	return lock_kinds[kind].name;
}

int sim_lock_kind_lookup(const char *name)
{
	for (int k = 0; k < SIM_LK_COUNT; k++)
		if (strcmp(lock_kinds[k].name, name) == 0)
			return k;
	return -1;
}

SimLock sim_lock_init(void *st, SimLockKind kind, int nthreads, int pgset)
{
	memset(st, 0, sim_lock_size(kind, nthreads, pgset));
	return sim_lock_at(st, kind, nthreads, pgset);
}

/* The pages a request over [start, end] names, into M: the range for a
 * range lock (bounds already clamped by the caller), the one pseudo-page
 * 0 for the other kinds. */
static void req_pages(SimLock l, int start, int end, uint8_t *m)
{
	memset(m, 0, l.pgset);
	if (!lock_kinds[l.kind].ranged) {
		m[0] = 1;
		return;
	}
	for (int p = start; p <= end && p < l.pgset * 8; p++)
		if (p >= 0)
			sim_bit_set(m, p);
}

/* Whether a request for PAGES in MODE conflicts with a hold or request
 * of OTHER_PAGES, of which OTHER_WRITE (NULL: none) are in write mode. */
static bool conflicts(SimLock l, const uint8_t *pages,
		      SimLockMode mode, const uint8_t *other_pages,
		      const uint8_t *other_write)
{
	if (!sim_bits_meet(pages, other_pages, l.pgset))
		return false;
	return mode == SIM_MODE_WRITE ||
	       (other_write && sim_bits_meet(pages, other_write, l.pgset)) ||
	       !lock_kinds[l.kind].shared_ok;
}

static const uint8_t *waiter_write(SimLock l, int i)
{
	return WAIT_MODE(sim_lock_queue(l)[i]) == SIM_MODE_WRITE ?
	       waiter_want(l, i) : NULL;
}

/* The holders a request conflicts with (the requester included: a range
 * it holds itself blocks it too). */
static SimThreadSet conflicting_holders(SimLock l,
					const uint8_t *pages, SimLockMode mode)
{
	SimThreadSet m = 0;

	for (int t = 0; t < l.nthreads; t++)
		if (conflicts(l, pages, mode, set_of(l, OWN, t),
			      set_of(l, XOWN, t)))
			m |= SIM_TSET(t);
	return m;
}

/* Whether any hold conflicts with a request: conflicting_holders != 0,
 * without the per-thread scan for a non-range lock, whose holders are a
 * thread set: the request conflicts when the set is not empty, among
 * the write holders only for a shared read.  A range lock's holds are
 * tested thread by thread (the scan goes past the first conflict only
 * for a request that is refused). */
static bool any_conflicting_holder(SimLock l, const uint8_t *pages,
				   SimLockMode mode)
{
	const SimLockKindInfo *k = &lock_kinds[l.kind];

	if (k->ranged)
		return conflicting_holders(l, pages, mode) != 0;
	return sim_bits_any(sim_lock_tset(l, mode == SIM_MODE_READ &&
					  k->shared_ok ? XOWN : OWN),
			    sim_bits_bytes(l.nthreads));
}

/* Whether a request can be granted, looking at holders and at the first
 * AHEAD waiters (those queued before it). */
static bool grantable(SimLock l, SimLockMode mode,
		      const uint8_t *pages, int ahead)
{
	if (l.st->corrupt)
		return mode == SIM_MODE_READ;
	/* FIFO fairness: a waiter we would conflict with queued first wins
	 * (this is what makes a queued rwsem writer block new readers).  A
	 * wait-bit has no such rule: whoever tests the bit first gets it.
	 * Tested before the holders (both tests are pure, so the order
	 * does not change the answer): a hand-off going down a queue of
	 * CPUs on one page stops each at the waiter ahead, not after a
	 * scan of every thread's hold. */
	if (lock_kinds[l.kind].handoff)
		for (int i = 0; i < ahead; i++)
			if (conflicts(l, pages, mode, waiter_want(l, i),
				      waiter_write(l, i)))
				return false;
	return !any_conflicting_holder(l, pages, mode);
}

static void hold(SimLock l, int tid, SimLockMode mode, const uint8_t *pages)
{
	if (!ranged(l)) {
		sim_bit_set(sim_lock_tset(l, OWN), tid);
		if (mode == SIM_MODE_WRITE)
			sim_bit_set(sim_lock_tset(l, XOWN), tid);
		return;
	}
	int first = sim_bits_first(pages, l.pgset);

	sim_bits_or(sim_lock_pages(l, OWN, tid), pages, l.pgset);
	/* the lowest page of the range starts it */
	if (first >= 0)
		sim_bit_set(sim_lock_pages(l, HEAD, tid), first);
	if (mode == SIM_MODE_WRITE)
		sim_bits_or(sim_lock_pages(l, XOWN, tid), pages, l.pgset);
}

SimLockResult sim_lock_acquire(SimLock l, int tid, SimLockMode mode,
			       int start, int end)
{
	PageSet pages;

	req_pages(l, start, end, pages);
	if (grantable(l, mode, pages, l.st->nwait)) {
		hold(l, tid, mode, pages);
		return SIM_LOCK_GRANTED;
	}
	if (ranged(l))
		memcpy(sim_lock_pages(l, WANT, tid), pages, l.pgset);
	sim_lock_queue(l)[l.st->nwait++] = (uint8_t)(tid | mode << 7);
	return SIM_LOCK_QUEUED;
}

static void dequeue(SimLock l, int i)
{
	uint8_t *q = sim_lock_queue(l);

	if (ranged(l))
		memset(sim_lock_pages(l, WANT, WAIT_TID(q[i])), 0, l.pgset);
	memmove(&q[i], &q[i + 1], (size_t)(l.st->nwait - i - 1));
	l.st->nwait--;
	q[l.st->nwait] = 0;
}

/* Hand off in FIFO order to every waiter that now fits; a waiter that
 * does not fit stays queued and (by grantable's fairness rule) holds back
 * conflicting waiters behind it.  Returns the threads granted. */
static SimThreadSet hand_off(SimLock l)
{
	SimThreadSet granted = 0;
	PageSet want;

	for (int i = 0; i < l.st->nwait;) {
		int t = WAIT_TID(sim_lock_queue(l)[i]);
		SimLockMode m = (SimLockMode)WAIT_MODE(sim_lock_queue(l)[i]);
		if (grantable(l, m, waiter_want(l, i), i)) {
			memcpy(want, waiter_want(l, i), l.pgset);
			dequeue(l, i);
			hold(l, t, m, want);
			granted |= SIM_TSET(t);
		} else {
			i++;
		}
	}
	return granted;
}

/* TID's hold of PAGES goes (all of it for a non-range lock). */
static void drop(SimLock l, int tid, const uint8_t *pages)
{
	if (!ranged(l)) {
		sim_bit_clear(sim_lock_tset(l, OWN), tid);
		sim_bit_clear(sim_lock_tset(l, XOWN), tid);
		return;
	}
	sim_bits_andnot(sim_lock_pages(l, OWN, tid), pages, l.pgset);
	sim_bits_andnot(sim_lock_pages(l, XOWN, tid), pages, l.pgset);
	sim_bits_andnot(sim_lock_pages(l, HEAD, tid), pages, l.pgset);
}

/* Dequeue the first waiter (every waiter with ALL), returning them. */
static SimThreadSet wake(SimLock l, bool all)
{
	SimThreadSet woken = 0;

	while (l.st->nwait > 0) {
		woken |= SIM_TSET(WAIT_TID(sim_lock_queue(l)[0]));
		dequeue(l, 0);
		if (!all)
			break;
	}
	return woken;
}

SimThreadSet sim_lock_release(SimLock l, int tid, int start, int end,
			      bool wake_all, SimThreadSet *granted)
{
	PageSet pages;

	req_pages(l, start, end, pages);
	drop(l, tid, pages);
	*granted = 0;
	if (!lock_kinds[l.kind].handoff)
		return wake(l, wake_all);
	*granted = hand_off(l);
	return *granted;
}

SimThreadSet sim_lock_release_unbalanced(SimLock l, int tid)
{
	PageSet own;

	memcpy(own, set_of(l, OWN, tid), l.pgset);
	drop(l, tid, own);
	l.st->corrupt = 1;
	return hand_off(l);
}

SimThreadSet sim_lock_downgrade(SimLock l, int tid)
{
	if (ranged(l))
		memset(sim_lock_pages(l, XOWN, tid), 0, l.pgset);
	else
		sim_bit_clear(sim_lock_tset(l, XOWN), tid);
	return hand_off(l);
}

SimThreadSet sim_lock_wake_all(SimLock l)
{
	return wake(l, true);
}

SimThreadSet sim_lock_blockers(SimLock l, int tid)
{
	SimThreadSet by[SIM_THREADS_MAX];

	/* a non-range lock re-taken by its holder sleeps unqueued (step.c),
	 * so every holder counts, queued or not */
	if (!lock_kinds[l.kind].ranged)
		return sim_lock_held(l);
	/* by[i]: the holders waiter i waits for, directly or through the
	 * conflicting waiters ahead of it */
	for (int i = 0; i < l.st->nwait; i++) {
		int t = WAIT_TID(sim_lock_queue(l)[i]);
		SimLockMode m = (SimLockMode)WAIT_MODE(sim_lock_queue(l)[i]);
		const uint8_t *want = sim_lock_pages(l, WANT, t);
		by[i] = conflicting_holders(l, want, m);
		for (int j = 0; j < i; j++)
			if (conflicts(l, want, m,
				      sim_lock_pages(l, WANT, WAIT_TID(sim_lock_queue(l)[j])),
				      waiter_write(l, j)))
				by[i] |= by[j];
		if (t == tid)
			return by[i];
	}
	return 0;
}

bool sim_lock_holds_range(SimLock l, int tid, int start, int end)
{
	const uint8_t *own = sim_lock_pages(l, OWN, tid), *head = sim_lock_pages(l, HEAD, tid);
	PageSet pages;
	int first, last = -1;

	req_pages(l, start, end, pages);
	first = sim_bits_first(pages, l.pgset);
	if (first < 0)
		return false;
	for (int p = first; p < l.pgset * 8 && sim_bit(pages, p); p++) {
		if (!sim_bit(own, p) || sim_bit(head, p) != (p == first))
			return false;
		last = p;
	}
	/* the range ends there: the page after is not held, or starts
	 * another range */
	return last + 1 >= l.pgset * 8 || !sim_bit(own, last + 1) ||
	       sim_bit(head, last + 1);
}

bool sim_lock_overlaps_own(SimLock l, int tid, int start, int end,
			   bool *write_held)
{
	PageSet pages;

	req_pages(l, start, end, pages);
	*write_held = sim_bits_meet(set_of(l, XOWN, tid), pages, l.pgset);
	return sim_bits_meet(set_of(l, OWN, tid), pages, l.pgset);
}

const char *sim_lock_ranges_str(SimLock l, int tid, char *buf,
				size_t len)
{
	const uint8_t *own = sim_lock_pages(l, OWN, tid), *head = sim_lock_pages(l, HEAD, tid);
	int npages = l.pgset * 8;
	size_t n = 0;

	buf[0] = '\0';
	for (int p = 0; p < npages && n < len; p++) {
		if (!sim_bit(head, p))
			continue;
		int e = p;
		while (e + 1 < npages && sim_bit(own, e + 1) &&
		       !sim_bit(head, e + 1))
			e++;
		n += (size_t)snprintf(buf + n, len - n, "%s[%d, %d]",
				      n ? " " : "", p, e);
	}
	return buf;
}

SimThreadSet sim_lock_held(SimLock l)
{
	return with_pages(l, OWN);
}

SimThreadSet sim_lock_excl(SimLock l)
{
	return with_pages(l, XOWN);
}

bool sim_lock_is_held_by(SimLock l, int tid)
{
	return sim_bits_any(set_of(l, OWN, tid), l.pgset);
}

SimLockMode sim_lock_mode_of(SimLock l, int tid)
{
	return sim_bits_any(set_of(l, XOWN, tid), l.pgset) ?
	       SIM_MODE_WRITE : SIM_MODE_READ;
}

int sim_lock_waiter_mode(SimLock l, int tid)
{
	for (int i = 0; i < l.st->nwait; i++)
		if (WAIT_TID(sim_lock_queue(l)[i]) == tid)
			return WAIT_MODE(sim_lock_queue(l)[i]);
	return -1;
}

/* Every held range starts at a head: head lies in own, and a held page
 * is a head or follows a held page. */
static bool ranges_ok(SimLock l, int tid)
{
	const uint8_t *own = set_of(l, OWN, tid), *head = set_of(l, HEAD, tid);

	for (int p = 0; p < l.pgset * 8; p++) {
		if (sim_bit(head, p) && !sim_bit(own, p))
			return false;
		if (sim_bit(own, p) && !sim_bit(head, p) &&
		    (p == 0 || !sim_bit(own, p - 1)))
			return false;
	}
	return true;
}

/* The per-thread rules: xown lies in own, ranges start at heads, no
 * two holds conflict. */
static bool holder_ok(SimLock l, const SimLockKindInfo *k, int t)
{
	const uint8_t *own = set_of(l, OWN, t), *xown = set_of(l, XOWN, t);
	PageSet outside;

	memcpy(outside, xown, l.pgset);
	sim_bits_andnot(outside, own, l.pgset);
	if (sim_bits_any(outside, l.pgset) || !ranges_ok(l, t))
		return false;
	for (int u = t + 1; u < l.nthreads; u++) {
		const uint8_t *uown = set_of(l, OWN, u);
		if (sim_bits_meet(own, uown, l.pgset) &&
		    (sim_bits_meet(own, set_of(l, XOWN, u), l.pgset) ||
		     sim_bits_meet(xown, uown, l.pgset) || !k->shared_ok))
			return false;
	}
	return true;
}

bool sim_lock_check(SimLock l)
{
	const SimLockKindInfo *k;
	SimThreadSet queued = 0;

	if (l.kind >= SIM_LK_COUNT || l.st->nwait > l.nthreads)
		return false;
	if (l.st->corrupt && (l.kind != SIM_LK_RWSEM || sim_lock_excl(l)))
		return false;
	k = &lock_kinds[l.kind];
	/* a non-range lock's thread sets name no thread past the last */
	if (!k->ranged && l.nthreads < 64 &&
	    ((sim_lock_held(l) | sim_lock_excl(l)) >> l.nthreads))
		return false;
	for (int t = 0; t < l.nthreads; t++)
		if (!holder_ok(l, k, t))
			return false;
	for (int i = 0; i < l.st->nwait; i++) {
		int t = WAIT_TID(sim_lock_queue(l)[i]);
		if (t >= l.nthreads || (queued & SIM_TSET(t)) ||
		    !sim_bits_any(set_of(l, WANT, t), l.pgset))
			return false;
		queued |= SIM_TSET(t);
	}
	for (int t = 0; t < l.nthreads; t++)
		if (!(queued >> t & 1) &&
		    sim_bits_any(set_of(l, WANT, t), l.pgset))
			return false;
	if (!k->ranged && (queued & sim_lock_held(l)))
		return false;
	return true;
}
