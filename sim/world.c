/*
 * world.c - the simulated machine's allocator, staleness test and
 * invariant check.  See world.h.
 */
#include <string.h>
#include "world.h"

size_t sim_world_hash_size(const SimWorld *w)
{
	return offsetof(SimWorld, lock) + sizeof(SimLock) * w->nlocks;
}

int sim_world_alloc_block(SimWorld *w, int ino, int pgoff)
{
	if (w->nfree == 0)
		return 0;
	int b = w->free_stack[--w->nfree];
	w->free_stack[w->nfree] = 0;
	w->block[b].owner_ino = (uint8_t)ino;
	w->block[b].owner_pgoff = (uint8_t)pgoff;
	w->block[b].state = SIM_BLK_NEW;
	w->block[b].stored = 0;
	w->block[b].unwritten = 0;
	return b;
}

void sim_world_free_block(SimWorld *w, int b)
{
	memset(&w->block[b], 0, sizeof(SimBlock));
	w->cache_dirty &= (uint16_t)~(1u << b);
	w->free_stack[w->nfree++] = (uint8_t)b;
}

int sim_world_block_pgoff(const SimWorld *w, int b)
{
	return w->block[b].state == SIM_BLK_FREE ? w->notes.freed_pgoff[b] :
	       w->block[b].owner_pgoff;
}

bool sim_world_pte_is_stale(const SimWorld *w, const SimPte *pte, int pgoff)
{
	switch (pte->kind) {
	case SIM_PTE_K_BLOCK:
		return pgoff >= w->i_size || w->bmap[pgoff] != pte->target;
	case SIM_PTE_K_PAGE:
		return pgoff >= w->i_size ||
		       !(w->mflags[pte->target] & SIM_MF_PAGE);
	case SIM_PTE_K_ZERO:
		return pgoff >= w->i_size;
	default:
		return false;
	}
}

static bool check_blocks(const SimWorld *w, const char **what)
{
	uint16_t on_stack = 0;

	for (int p = 0; p < SIM_PAGES_MAX; p++) {
		int b = w->bmap[p];
		if (b && (w->block[b].state == SIM_BLK_FREE ||
			  w->block[b].owner_ino != 0 ||
			  w->block[b].owner_pgoff != p)) {
			*what = "a mapped block is free or owned elsewhere";
			return false;
		}
	}
	for (int i = 0; i < w->nfree; i++) {
		int b = w->free_stack[i];
		if (b < 1 || b > SIM_BLOCKS_MAX || (on_stack >> b & 1) ||
		    w->block[b].state != SIM_BLK_FREE) {
			*what = "the free stack is corrupt";
			return false;
		}
		on_stack |= (uint16_t)(1u << b);
	}
	for (int b = 1; b <= SIM_BLOCKS_MAX; b++) {
		if (w->block[b].state == SIM_BLK_FREE && !(on_stack >> b & 1)) {
			*what = "a free block is missing from the free stack";
			return false;
		}
	}
	return true;
}

bool sim_world_check(const SimWorld *w, const char **what)
{
	if (!check_blocks(w, what))
		return false;
	for (int i = 0; i < w->nlocks; i++) {
		if (!sim_lock_check(&w->lock[i])) {
			*what = "a lock instance is inconsistent";
			return false;
		}
	}
	for (int t = 0; t < w->nthreads; t++) {
		const SimThread *th = &w->thread[t];
		if (th->status == SIM_TH_BLOCKED &&
		    sim_lock_waiter_mode(&w->lock[th->wait_lock], t) < 0 &&
		    !sim_lock_is_held_by(&w->lock[th->wait_lock], t)) {
			*what = "a blocked thread is not queued on its lock";
			return false;
		}
		if ((th->status == SIM_TH_DONE) != (th->depth == 0)) {
			*what = "a thread's status disagrees with its stack";
			return false;
		}
	}
	return true;
}
