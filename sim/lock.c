/*
 * lock.c - lock primitives.  The rules per kind are data (lock_kinds[]);
 * the functions below apply them.  See lock.h for the contract.
 */
#include <stdio.h>
#include <string.h>
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

#define WAIT_TID(x)  ((x) & 0x0f)
#define WAIT_MODE(x) ((x) >> 4)

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

void sim_lock_init(SimLock *l, SimLockKind kind)
{
	memset(l, 0, sizeof(*l));
	l->kind = (uint8_t)kind;
}

/* The pages a request over [start, end] names: the range for a range
 * lock (bounds already clamped by the caller), the one pseudo-page 0
 * for the other kinds. */
static uint8_t req_pages(const SimLock *l, int start, int end)
{
	uint8_t m = 0;

	if (!lock_kinds[l->kind].ranged)
		return 1;
	for (int p = start; p <= end && p < SIM_PAGES_MAX; p++)
		if (p >= 0)
			m |= (uint8_t)(1u << p);
	return m;
}

/* Whether a request for PAGES in MODE conflicts with a hold or request
 * of OTHER_PAGES, of which OTHER_WRITE are in write mode. */
static bool conflicts(const SimLock *l, uint8_t pages, SimLockMode mode,
		      uint8_t other_pages, uint8_t other_write)
{
	if (!(pages & other_pages))
		return false;
	return mode == SIM_MODE_WRITE || (pages & other_write) ||
	       !lock_kinds[l->kind].shared_ok;
}

static uint8_t waiter_write(const SimLock *l, int i)
{
	int t = WAIT_TID(l->wait[i]);

	return WAIT_MODE(l->wait[i]) == SIM_MODE_WRITE ? l->want[t] : 0;
}

/* The holders a request conflicts with (the requester included: a range
 * it holds itself blocks it too). */
static uint8_t conflicting_holders(const SimLock *l, uint8_t pages,
				   SimLockMode mode)
{
	uint8_t m = 0;

	for (int t = 0; t < SIM_THREADS_MAX; t++)
		if (conflicts(l, pages, mode, l->own[t], l->xown[t]))
			m |= (uint8_t)(1u << t);
	return m;
}

/* Whether a request can be granted, looking at holders and at the first
 * AHEAD waiters (those queued before it). */
static bool grantable(const SimLock *l, SimLockMode mode, uint8_t pages,
		      int ahead)
{
	if (l->corrupt)
		return mode == SIM_MODE_READ;
	if (conflicting_holders(l, pages, mode))
		return false;
	/* FIFO fairness: a waiter we would conflict with queued first wins
	 * (this is what makes a queued rwsem writer block new readers).  A
	 * wait-bit has no such rule: whoever tests the bit first gets it. */
	if (!lock_kinds[l->kind].handoff)
		return true;
	for (int i = 0; i < ahead; i++) {
		int t = WAIT_TID(l->wait[i]);
		if (conflicts(l, pages, mode, l->want[t], waiter_write(l, i)))
			return false;
	}
	return true;
}

static void hold(SimLock *l, int tid, SimLockMode mode, uint8_t pages)
{
	l->own[tid] |= pages;
	/* the lowest page of the range starts it */
	l->head[tid] |= (uint8_t)(pages & -pages);
	l->held |= (uint8_t)(1u << tid);
	if (mode == SIM_MODE_WRITE) {
		l->xown[tid] |= pages;
		l->excl |= (uint8_t)(1u << tid);
	}
}

SimLockResult sim_lock_acquire(SimLock *l, int tid, SimLockMode mode,
			       int start, int end)
{
	uint8_t pages = req_pages(l, start, end);

	if (grantable(l, mode, pages, l->nwait)) {
		hold(l, tid, mode, pages);
		return SIM_LOCK_GRANTED;
	}
	l->want[tid] = pages;
	l->wait[l->nwait++] = (uint8_t)(tid | mode << 4);
	return SIM_LOCK_QUEUED;
}

static void dequeue(SimLock *l, int i)
{
	l->want[WAIT_TID(l->wait[i])] = 0;
	memmove(&l->wait[i], &l->wait[i + 1], (size_t)(l->nwait - i - 1));
	l->nwait--;
	l->wait[l->nwait] = 0;
}

/* Hand off in FIFO order to every waiter that now fits; a waiter that
 * does not fit stays queued and (by grantable's fairness rule) holds back
 * conflicting waiters behind it.  Returns the threads granted. */
static uint8_t hand_off(SimLock *l)
{
	uint8_t granted = 0;

	for (int i = 0; i < l->nwait;) {
		int t = WAIT_TID(l->wait[i]);
		SimLockMode m = (SimLockMode)WAIT_MODE(l->wait[i]);
		uint8_t want = l->want[t];
		if (grantable(l, m, want, i)) {
			dequeue(l, i);
			hold(l, t, m, want);
			granted |= (uint8_t)(1u << t);
		} else {
			i++;
		}
	}
	return granted;
}

/* TID's hold of PAGES goes (all of it for a non-range lock). */
static void drop(SimLock *l, int tid, uint8_t pages)
{
	uint8_t bit = (uint8_t)(1u << tid);

	l->own[tid] &= (uint8_t)~pages;
	l->xown[tid] &= (uint8_t)~pages;
	l->head[tid] &= (uint8_t)~pages;
	if (!l->own[tid])
		l->held &= (uint8_t)~bit;
	if (!l->xown[tid])
		l->excl &= (uint8_t)~bit;
}

uint8_t sim_lock_release(SimLock *l, int tid, int start, int end,
			 bool wake_all, uint8_t *granted)
{
	uint8_t woken = 0;

	drop(l, tid, req_pages(l, start, end));
	*granted = 0;
	if (!lock_kinds[l->kind].handoff) {
		while (l->nwait > 0) {
			woken |= (uint8_t)(1u << WAIT_TID(l->wait[0]));
			dequeue(l, 0);
			if (!wake_all)
				break;
		}
		return woken;
	}
	*granted = hand_off(l);
	return *granted;
}

uint8_t sim_lock_release_unbalanced(SimLock *l, int tid)
{
	drop(l, tid, l->own[tid]);
	l->corrupt = 1;
	return hand_off(l);
}

uint8_t sim_lock_downgrade(SimLock *l, int tid)
{
	l->xown[tid] = 0;
	l->excl &= (uint8_t)~(1u << tid);
	return hand_off(l);
}

uint8_t sim_lock_wake_all(SimLock *l)
{
	uint8_t woken = 0;

	while (l->nwait > 0) {
		woken |= (uint8_t)(1u << WAIT_TID(l->wait[0]));
		dequeue(l, 0);
	}
	return woken;
}

uint8_t sim_lock_blockers(const SimLock *l, int tid)
{
	uint8_t by[SIM_THREADS_MAX];

	/* a non-range lock re-taken by its holder sleeps unqueued (step.c),
	 * so every holder counts, queued or not */
	if (!lock_kinds[l->kind].ranged)
		return l->held;
	/* by[i]: the holders waiter i waits for, directly or through the
	 * conflicting waiters ahead of it */
	for (int i = 0; i < l->nwait; i++) {
		int t = WAIT_TID(l->wait[i]);
		SimLockMode m = (SimLockMode)WAIT_MODE(l->wait[i]);
		by[i] = conflicting_holders(l, l->want[t], m);
		for (int j = 0; j < i; j++)
			if (conflicts(l, l->want[t], m,
				      l->want[WAIT_TID(l->wait[j])],
				      waiter_write(l, j)))
				by[i] |= by[j];
		if (t == tid)
			return by[i];
	}
	return 0;
}

bool sim_lock_holds_range(const SimLock *l, int tid, int start, int end)
{
	uint8_t pages = req_pages(l, start, end);
	uint8_t after = (uint8_t)(pages << 1 & ~pages);    /* page end + 1 */

	return pages && (l->own[tid] & pages) == pages &&
	       (l->head[tid] & pages) == (pages & -pages) &&
	       (!(l->own[tid] & after) || (l->head[tid] & after));
}

bool sim_lock_overlaps_own(const SimLock *l, int tid, int start, int end,
			   bool *write_held)
{
	uint8_t pages = req_pages(l, start, end);

	*write_held = (l->xown[tid] & pages) != 0;
	return (l->own[tid] & pages) != 0;
}

const char *sim_lock_ranges_str(const SimLock *l, int tid, char *buf,
				size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int p = 0; p < SIM_PAGES_MAX && n < len; p++) {
		if (!(l->head[tid] >> p & 1))
			continue;
		int e = p;
		while (e + 1 < SIM_PAGES_MAX && (l->own[tid] >> (e + 1) & 1) &&
		       !(l->head[tid] >> (e + 1) & 1))
			e++;
		n += (size_t)snprintf(buf + n, len - n, "%s[%d, %d]",
				      n ? " " : "", p, e);
	}
	return buf;
}

bool sim_lock_is_held_by(const SimLock *l, int tid)
{
	return l->held >> tid & 1;
}

SimLockMode sim_lock_mode_of(const SimLock *l, int tid)
{
	return (l->excl >> tid & 1) ? SIM_MODE_WRITE : SIM_MODE_READ;
}

int sim_lock_waiter_mode(const SimLock *l, int tid)
{
	for (int i = 0; i < l->nwait; i++)
		if (WAIT_TID(l->wait[i]) == tid)
			return WAIT_MODE(l->wait[i]);
	return -1;
}

/* Every held range starts at a head: a held page is a head, or follows
 * a held page. */
static bool ranges_ok(uint8_t own, uint8_t head)
{
	return (head & ~own) == 0 &&
	       (own & ~(uint8_t)(own << 1) & ~head) == 0;
}

bool sim_lock_check(const SimLock *l)
{
	const SimLockKindInfo *k;
	uint8_t queued = 0;

	if (l->kind >= SIM_LK_COUNT || l->nwait > SIM_THREADS_MAX)
		return false;
	if (l->corrupt && (l->kind != SIM_LK_RWSEM || l->excl))
		return false;
	k = &lock_kinds[l->kind];
	for (int t = 0; t < SIM_THREADS_MAX; t++) {
		uint8_t bit = (uint8_t)(1u << t);
		if (!(l->own[t] != 0) != !(l->held & bit) ||
		    !(l->xown[t] != 0) != !(l->excl & bit) ||
		    (l->xown[t] & ~l->own[t]) || !ranges_ok(l->own[t], l->head[t]))
			return false;
		if (!k->ranged && (l->own[t] & ~1u))
			return false;
		for (int u = t + 1; u < SIM_THREADS_MAX; u++)
			if ((l->own[t] & l->own[u]) &&
			    ((l->own[t] & l->xown[u]) ||
			     (l->xown[t] & l->own[u]) || !k->shared_ok))
				return false;
	}
	for (int i = 0; i < l->nwait; i++) {
		int t = WAIT_TID(l->wait[i]);
		uint8_t bit = (uint8_t)(1u << t);
		if (t >= SIM_THREADS_MAX || (queued & bit) || !l->want[t])
			return false;
		queued |= bit;
	}
	for (int t = 0; t < SIM_THREADS_MAX; t++)
		if (!(queued >> t & 1) && l->want[t])
			return false;
	if (!k->ranged && (queued & l->held))
		return false;
	return true;
}
