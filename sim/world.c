/*
 * world.c - the simulated machine's layout, allocator, staleness test and
 * invariant check.  See world.h.
 */
#include <string.h>
#include <glib.h>
#include "bitset.h"
#include "world.h"

/* Reserve N bytes aligned to ALIGN at *AT; returns the offset. */
static uint32_t place(size_t *at, size_t n, size_t align)
{
	size_t off = (*at + align - 1) & ~(align - 1);

	*at = off + n;
	return (uint32_t)off;
}

SimWorld *sim_world_new(const SimShape *s)
{
	size_t at = sizeof(SimWorld) + sizeof(uint32_t) * s->locks;
	int pgset = sim_bits_bytes(s->pages);
	int blkset = sim_bits_bytes(s->blocks + 1);
	SimWorld hdr = {
		.nthreads = s->threads, .nprocs = s->procs,
		.npages = s->pages, .nblocks = s->blocks,
		.nlocks = s->locks,
		.pgset = (uint16_t)pgset, .blkset = (uint16_t)blkset,
		.nframes = s->frames, .nregs = s->regs,
	};
	uint32_t *lock_off = g_new(uint32_t, s->locks > 0 ? s->locks : 1);
	SimWorld *w;

	/* the state proper, from an 8-aligned start */
	hdr.state = place(&at, sizeof(SimCore), 8);
	hdr.bmap = place(&at, sizeof(uint16_t) * s->pages, 2);
	hdr.page_src = place(&at, sizeof(uint16_t) * s->pages, 2);
	hdr.free_stack = place(&at, sizeof(uint16_t) * s->blocks, 2);
	hdr.pte = place(&at, sizeof(SimPte) * s->procs * s->pages, 2);
	hdr.block = place(&at, sizeof(SimBlock) * (s->blocks + 1u), 2);
	hdr.mflags = place(&at, s->pages, 1);
	hdr.entry = place(&at, s->pages, 1);
	hdr.cache_dirty = place(&at, (size_t)blkset, 1);
	hdr.inval = place(&at, (size_t)pgset * s->threads, 1);
	hdr.discarded = place(&at, (size_t)pgset * s->threads, 1);
	hdr.dio_old = place(&at, (size_t)pgset * s->threads, 1);
	hdr.fsync_pending = place(&at, (size_t)blkset * s->threads, 1);
	hdr.thsize = (uint16_t)sim_th_size(s->frames, s->regs);
	hdr.thread = place(&at, (size_t)hdr.thsize * s->threads, 2);
	for (int i = 0; i < s->locks; i++)
		lock_off[i] = place(&at, sim_lock_size(s->threads,
					s->ranged[i] ? pgset : 1), 2);
	hdr.size = (uint32_t)at;
	hdr.state_size = hdr.size - hdr.state;
	w = g_malloc0(at);
	memcpy(w, &hdr, sizeof(hdr));
	memcpy(w->lock_off, lock_off, sizeof(uint32_t) * s->locks);
	g_free(lock_off);
	sim_world_clear(w);
	return w;
}

void sim_world_clear(SimWorld *w)
{
	memset(SIM_W_AT(w, w->state), 0, w->state_size);
	for (int t = 0; t < w->nthreads; t++) {
		sim_thread(w, t)->nframes = w->nframes;
		sim_thread(w, t)->nregs = w->nregs;
	}
}

SimWorld *sim_world_dup(const SimWorld *w)
{
	return g_memdup2(w, w->size);
}

void sim_world_copy(SimWorld *dst, const SimWorld *src)
{
	memcpy(SIM_W_AT(dst, src->state), sim_world_state(src),
	       src->state_size);
}

size_t sim_world_hash_size(const SimWorld *w)
{
	return w->state_size;
}

bool sim_world_equal(const SimWorld *a, const SimWorld *b)
{
	return memcmp(sim_world_state(a), sim_world_state(b),
		      a->state_size) == 0;
}

int sim_world_alloc_block(SimWorld *w, int ino, int pgoff)
{
	SimCore *c = sim_core(w);
	SimBlock *blk;

	if (c->nfree == 0)
		return 0;
	int b = sim_free_stack(w)[--c->nfree];
	sim_free_stack(w)[c->nfree] = 0;
	blk = sim_block(w, b);
	blk->owner_ino = (uint8_t)ino;
	blk->owner_pgoff = (uint16_t)pgoff;
	blk->state = SIM_BLK_NEW;
	blk->stored = 0;
	blk->unwritten = 0;
	return b;
}

void sim_world_free_block(SimWorld *w, int b)
{
	memset(sim_block(w, b), 0, sizeof(SimBlock));
	sim_bit_clear(sim_cache_dirty(w), b);
	/* What a running fsync owes is data written before it started that
	 * still belongs to the file: the punched or truncated data does not,
	 * and lines dirtied after a reallocation came after it started. */
	for (int t = 0; t < w->nthreads; t++)
		sim_bit_clear(sim_fsync_pending(w, t), b);
	sim_free_stack(w)[sim_core(w)->nfree++] = (uint16_t)b;
}

int sim_world_block_pgoff(const SimWorld *w, const SimNotes *notes, int b)
{
	const SimBlock *blk = sim_block(w, b);

	if (blk->state == SIM_BLK_FREE)
		return notes ? notes->block[b].freed_pgoff : 0;
	return blk->owner_pgoff;
}

bool sim_world_pte_is_stale(const SimWorld *w, const SimPte *pte, int pgoff)
{
	int i_size = sim_core(w)->i_size;

	switch (pte->kind) {
	case SIM_PTE_K_BLOCK:
		return pgoff >= i_size || sim_bmap(w)[pgoff] != pte->target;
	case SIM_PTE_K_PAGE:
		return pgoff >= i_size ||
		       !(sim_mflags(w)[pte->target] & SIM_MF_PAGE);
	case SIM_PTE_K_ZERO:
		return pgoff >= i_size;
	default:
		return false;
	}
}

static bool check_blocks(const SimWorld *w, const char **what)
{
	uint8_t on_stack[SIM_BLOCKS_MAX / 8 + 1] = { 0 };

	for (int p = 0; p < w->npages; p++) {
		int b = sim_bmap(w)[p];
		const SimBlock *blk = sim_block(w, b);
		if (b && (blk->state == SIM_BLK_FREE || blk->owner_ino != 0 ||
			  blk->owner_pgoff != p)) {
			*what = "a mapped block is free or owned elsewhere";
			return false;
		}
	}
	for (int i = 0; i < sim_core(w)->nfree; i++) {
		int b = sim_free_stack(w)[i];
		if (b < 1 || b > w->nblocks || sim_bit(on_stack, b) ||
		    sim_block(w, b)->state != SIM_BLK_FREE) {
			*what = "the free stack is corrupt";
			return false;
		}
		sim_bit_set(on_stack, b);
	}
	for (int b = 1; b <= w->nblocks; b++) {
		if (sim_block(w, b)->state == SIM_BLK_FREE &&
		    !sim_bit(on_stack, b)) {
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
		if (!sim_lock_check(sim_lock(w, i))) {
			*what = "a lock instance is inconsistent";
			return false;
		}
	}
	for (int t = 0; t < w->nthreads; t++) {
		const SimThread *th = sim_thread(w, t);
		if (th->status == SIM_TH_BLOCKED &&
		    sim_lock_waiter_mode(sim_lock(w, th->wait_lock), t) < 0 &&
		    !sim_lock_is_held_by(sim_lock(w, th->wait_lock), t)) {
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

SimNotes *sim_notes_new(const SimWorld *w)
{
	size_t at = sizeof(SimNotes) + sizeof(SimBlockNote) * (w->nblocks + 1u);
	uint32_t acq = place(&at, sizeof(SimSite) * w->nthreads * w->nlocks, 4);
	SimNotes *n = g_malloc0(at);

	n->size = (uint32_t)at;
	n->nlocks = w->nlocks;
	n->acq = acq;
	return n;
}

void sim_notes_copy(SimNotes *dst, const SimNotes *src)
{
	memcpy(dst, src, src->size);
}
