/*
 * lock.c - lock primitives.  The rules per kind are data (lock_kinds[]);
 * the functions below apply them.  See lock.h for the contract.
 */
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

static bool overlaps(const SimLock *l, int a, int start, int end)
{
	return !(l->end[a] < start || end < l->start[a]);
}

/* Whether a request by TID conflicts with holder or waiter OTHER. */
static bool conflicts(const SimLock *l, int other, bool other_write,
		      SimLockMode mode, int start, int end)
{
	const SimLockKindInfo *k = &lock_kinds[l->kind];

	if (k->ranged && !overlaps(l, other, start, end))
		return false;
	return other_write || mode == SIM_MODE_WRITE || !k->shared_ok;
}

/* Whether a request can be granted, looking at holders and at the first
 * AHEAD waiters (those queued before it). */
static bool grantable(const SimLock *l, SimLockMode mode, int start, int end,
		      int ahead)
{
	if (l->corrupt)
		return mode == SIM_MODE_READ;
	for (int t = 0; t < SIM_THREADS_MAX; t++)
		if ((l->held >> t & 1) &&
		    conflicts(l, t, l->excl >> t & 1, mode, start, end))
			return false;
	/* FIFO fairness: a waiter we would conflict with queued first wins
	 * (this is what makes a queued rwsem writer block new readers).  A
	 * wait-bit has no such rule: whoever tests the bit first gets it. */
	if (!lock_kinds[l->kind].handoff)
		return true;
	for (int i = 0; i < ahead; i++) {
		int t = WAIT_TID(l->wait[i]);
		if (conflicts(l, t, WAIT_MODE(l->wait[i]) == SIM_MODE_WRITE,
			      mode, start, end))
			return false;
	}
	return true;
}

static void hold(SimLock *l, int tid, SimLockMode mode)
{
	l->held |= (uint8_t)(1u << tid);
	if (mode == SIM_MODE_WRITE)
		l->excl |= (uint8_t)(1u << tid);
}

SimLockResult sim_lock_acquire(SimLock *l, int tid, SimLockMode mode,
			       int start, int end)
{
	l->start[tid] = (uint8_t)start;
	l->end[tid] = (uint8_t)end;
	if (grantable(l, mode, start, end, l->nwait)) {
		hold(l, tid, mode);
		return SIM_LOCK_GRANTED;
	}
	l->wait[l->nwait++] = (uint8_t)(tid | mode << 4);
	return SIM_LOCK_QUEUED;
}

static void dequeue(SimLock *l, int i)
{
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
		if (grantable(l, m, l->start[t], l->end[t], i)) {
			hold(l, t, m);
			granted |= (uint8_t)(1u << t);
			dequeue(l, i);
		} else {
			i++;
		}
	}
	return granted;
}

uint8_t sim_lock_release(SimLock *l, int tid, bool wake_all, uint8_t *granted)
{
	uint8_t woken = 0;

	l->held &= (uint8_t)~(1u << tid);
	l->excl &= (uint8_t)~(1u << tid);
	l->start[tid] = l->end[tid] = 0;
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
	l->held &= (uint8_t)~(1u << tid);
	l->corrupt = 1;
	return hand_off(l);
}

uint8_t sim_lock_downgrade(SimLock *l, int tid)
{
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

bool sim_lock_check(const SimLock *l)
{
	uint8_t queued = 0;

	if (l->kind >= SIM_LK_COUNT || l->nwait > SIM_THREADS_MAX)
		return false;
	if (l->excl & ~l->held)
		return false;
	if (l->corrupt && (l->kind != SIM_LK_RWSEM || l->excl))
		return false;
	for (int i = 0; i < l->nwait; i++) {
		uint8_t bit = (uint8_t)(1u << WAIT_TID(l->wait[i]));
		if (WAIT_TID(l->wait[i]) >= SIM_THREADS_MAX || (queued & bit))
			return false;
		queued |= bit;
	}
	if (queued & l->held)
		return false;
	if (!lock_kinds[l->kind].ranged && l->excl &&
	    (l->held & (l->held - 1)))
		return false;
	return true;
}
