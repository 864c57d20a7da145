/*
 * oracle.c - the race detectors.  See oracle.h for where each is checked
 * and README.md ("Properties") for the definitions.
 */
#include <stdio.h>
#include "oracle.h"

static bool want(const SimStepCtx *ctx)
{
	return ctx->msg != NULL;
}

static void found(SimStepCtx *ctx, SimProp p)
{
	ctx->found |= (SimPropSet)(1u << p);
}

static const char *op_name(const SimStepCtx *ctx, int proc)
{
	return ctx->prog->procs[proc]->name;
}

/* " (freed by T1 at step 9, in truncate)" for block B. */
static void append_freed(const SimWorld *w, int b, SimStepCtx *ctx)
{
	const SimNotes *n = &w->notes;

	if (!n->freed_by[b])
		return;
	g_string_append_printf(ctx->msg, ", freed by T%d at step %u (%s)",
			       n->freed_by[b] - 1, n->freed_step[b] + 1,
			       op_name(ctx, n->freed_proc[b]));
}

void sim_oracle_block_write(const SimWorld *w, int tid, int pgoff, int b,
			    const char *how, SimStepCtx *ctx)
{
	const SimBlock *blk = &w->block[b];

	/* A block the file still has, at the offset written through, is
	 * fine; one freed and handed back to this file at another offset
	 * is someone else's data as much as another file's block is. */
	if (b != 0 && blk->state != SIM_BLK_FREE && blk->owner_ino == 0 &&
	    blk->owner_pgoff == pgoff)
		return;
	found(ctx, SIM_PROP_WRITE_TO_FREED);
	if (!want(ctx))
		return;
	g_string_append_printf(ctx->msg, "write-to-freed: T%d %s", tid, how);
	if (b == 0) {
		g_string_append_printf(ctx->msg, " (pgoff %d)\n", pgoff);
		return;
	}
	g_string_append_printf(ctx->msg, " B%d (pgoff %d): B%d is %s", b,
			       pgoff, b, blk->state == SIM_BLK_FREE ? "free" :
			       blk->owner_ino != 0 ? "another file's block now" :
			       "this file's block at another pgoff now");
	append_freed(w, b, ctx);
	g_string_append_c(ctx->msg, '\n');
}

void sim_oracle_read(const SimWorld *w, int tid, int pgoff, int b,
		     SimStepCtx *ctx)
{
	const char *why = NULL;

	if (b == 0) {
		uint8_t f = w->mflags[pgoff];
		if (!(f & SIM_MF_PAGE))
			why = "a page no longer in the page cache";
		else if (f & SIM_MF_PSTALE)
			why = "a page read from a block never zeroed or "
			      "written for this file";
	} else if (w->block[b].state == SIM_BLK_FREE) {
		why = "a free block";
	} else if (w->block[b].owner_ino != 0) {
		why = "another file's block";
	} else if (w->block[b].state == SIM_BLK_NEW) {
		why = "a block allocated but never zeroed or written";
	}
	if (!why)
		return;
	found(ctx, SIM_PROP_UNINIT_READ);
	if (!want(ctx))
		return;
	g_string_append_printf(ctx->msg, "uninit-read: T%d loaded pgoff %d "
			       "from %s", tid, pgoff, why);
	if (b) {
		g_string_append_printf(ctx->msg, " (B%d", b);
		append_freed(w, b, ctx);
		g_string_append_c(ctx->msg, ')');
	}
	g_string_append_c(ctx->msg, '\n');
}

void sim_oracle_zero(const SimWorld *w, int tid, int b, SimStepCtx *ctx)
{
	const SimBlock *blk = &w->block[b];
	const SimNotes *n = &w->notes;

	if (blk->state != SIM_BLK_WRITTEN || !blk->stored ||
	    blk->owner_ino != 0)
		return;
	found(ctx, SIM_PROP_LOST_STORE);
	if (!want(ctx))
		return;
	g_string_append_printf(ctx->msg, "lost-store: T%d zeroed B%d (pgoff "
			       "%d) after ", tid, b, blk->owner_pgoff);
	if (n->stored_by[b])
		g_string_append_printf(ctx->msg, "T%d's store at step %u "
				       "had completed\n", n->stored_by[b] - 1,
				       n->stored_step[b] + 1);
	else
		g_string_append(ctx->msg, "a completed write\n");
}

/* Offsets a running op (other than TID's) has removed: a PTE there may be
 * stale until that op has unmapped it and returned. */
static uint8_t excused(const SimWorld *w, int tid)
{
	uint8_t m = 0;

	for (int t = 0; t < w->nthreads; t++)
		if (t != tid && sim_oracle_in_op(w, t))
			m |= w->thread[t].inval;
	return m;
}

static void check_ptes(const SimWorld *w, uint8_t skip, SimStepCtx *ctx)
{
	for (int pr = 0; pr < w->nprocs; pr++) {
		for (int p = 0; p < SIM_PAGES_MAX; p++) {
			const SimPte *pte = &w->pte[pr][p];
			if ((skip >> p & 1) ||
			    !sim_world_pte_is_stale(w, pte, p))
				continue;
			found(ctx, SIM_PROP_STALE_PTE);
			if (!want(ctx))
				continue;
			g_string_append_printf(ctx->msg, "stale-pte: P%d "
				"pgoff %d maps ", pr, p);
			if (pte->kind == SIM_PTE_K_BLOCK) {
				g_string_append_printf(ctx->msg, "B%d", pte->target);
			} else if (pte->kind == SIM_PTE_K_PAGE) {
				g_string_append(ctx->msg, "a page-cache page");
			} else {
				g_string_append(ctx->msg, "the zero page");
			}
			g_string_append_printf(ctx->msg, "%s, but ",
				pte->writable ? " writable" : "");
			if (p >= w->i_size)
				g_string_append_printf(ctx->msg, "i_size is %d "
					"pages", w->i_size);
			else if (pte->kind == SIM_PTE_K_BLOCK &&
				 w->bmap[p] != SIM_HOLE)
				g_string_append_printf(ctx->msg, "the file has "
					"B%d there", w->bmap[p]);
			else
				g_string_append(ctx->msg, "the file has a hole "
					"there");
			if (pte->kind == SIM_PTE_K_BLOCK)
				append_freed(w, pte->target, ctx);
			g_string_append_c(ctx->msg, '\n');
		}
	}
}

/* A page-cache page read from a block the file no longer has there: the
 * page-cache form of a stale PTE (R9: read(2) vs punch hole). */
static void check_pages(const SimWorld *w, uint8_t skip, SimStepCtx *ctx)
{
	for (int p = 0; p < SIM_PAGES_MAX; p++) {
		int src = w->page_src[p];
		uint8_t f = w->mflags[p];
		/* A clean zero-filled page past EOF is what a fault that lost
		 * to truncate leaves behind (it returns SIGBUS under the page
		 * lock and the page stays cached): harmless, reads stop at
		 * i_size.  A page holding data past EOF is not. */
		bool past_eof = p >= w->i_size && (src != SIM_HOLE ||
			(f & (SIM_MF_PDIRTY | SIM_MF_PWRITTEN)));
		if ((skip >> p & 1) || !(f & SIM_MF_PAGE) ||
		    (!past_eof && (src == SIM_HOLE || w->bmap[p] == src)))
			continue;
		found(ctx, SIM_PROP_STALE_PTE);
		if (!want(ctx))
			continue;
		if (past_eof) {
			g_string_append_printf(ctx->msg, "stale-pte: the page "
				"cache holds pgoff %d, past i_size (%d pages)\n",
				p, w->i_size);
			continue;
		}
		g_string_append_printf(ctx->msg, "stale-pte: the page cache "
			"at pgoff %d holds B%d's data, but the file has ", p,
			src);
		if (w->bmap[p])
			g_string_append_printf(ctx->msg, "B%d", w->bmap[p]);
		else
			g_string_append(ctx->msg, "a hole");
		g_string_append(ctx->msg, " there");
		append_freed(w, src, ctx);
		g_string_append_c(ctx->msg, '\n');
	}
}

void sim_oracle_op_return(const SimWorld *w, int tid, int proc,
			  SimStepCtx *ctx)
{
	const SimThread *t = &w->thread[tid];
	uint8_t lost = t->discarded & (uint8_t)~t->inval;
	uint16_t unflushed = t->fsync_pending & w->cache_dirty;

	if (lost) {
		found(ctx, SIM_PROP_LOST_STORE);
		if (want(ctx))
			g_string_append_printf(ctx->msg, "lost-store: T%d's "
				"%s dropped dirty page-cache data at pgoffs "
				"0x%02x, which it did not remove\n", tid,
				op_name(ctx, proc), lost);
	}
	if (unflushed) {
		found(ctx, SIM_PROP_LOST_FLUSH);
		if (want(ctx)) {
			int b = __builtin_ctz(unflushed);
			g_string_append_printf(ctx->msg, "lost-flush: T%d's %s "
				"returned while B%d (pgoff %d), dirty in the "
				"CPU cache since before it started, was never "
				"flushed\n", tid, op_name(ctx, proc), b,
				w->block[b].owner_pgoff);
		}
	}
	check_ptes(w, excused(w, tid), ctx);
	check_pages(w, excused(w, tid), ctx);
}

void sim_oracle_quiescent(const SimWorld *w, SimStepCtx *ctx)
{
	check_ptes(w, 0, ctx);
	check_pages(w, 0, ctx);
	for (int pr = 0; pr < w->nprocs; pr++) {
		for (int p = 0; p < SIM_PAGES_MAX; p++) {
			if (w->pte[pr][p].kind != SIM_PTE_K_ZERO ||
			    w->bmap[p] == SIM_HOLE)
				continue;
			found(ctx, SIM_PROP_STALE_ZERO_PAGE);
			if (want(ctx))
				g_string_append_printf(ctx->msg,
					"stale-zero-page: P%d pgoff %d still "
					"maps the zero page, but B%d is "
					"allocated there\n", pr, p, w->bmap[p]);
		}
	}
}

bool sim_oracle_in_op(const SimWorld *w, int tid)
{
	return w->thread[tid].depth > 1;
}

/* Follow wait-for edges from T; returns a thread on a cycle or -1. */
static int find_cycle(const SimWorld *w, int start, int *next)
{
	int t = start;

	for (int n = 0; n <= w->nthreads; n++) {
		const SimThread *th = &w->thread[t];
		if (th->status != SIM_TH_BLOCKED)
			return -1;
		uint8_t holders = sim_lock_blockers(&w->lock[th->wait_lock], t);
		if (!holders)
			return -1;
		next[t] = __builtin_ctz(holders);
		t = next[t];
	}
	return t;       /* after nthreads+1 hops we are inside the cycle */
}

static void describe_wait(const SimWorld *w, int t, int holder,
			  SimStepCtx *ctx)
{
	const SimThread *th = &w->thread[t];
	const SimProgram *p = ctx->prog;
	char name[48];
	int mode = sim_lock_waiter_mode(&w->lock[th->wait_lock], t);

	sim_lock_name(p, th->wait_lock, name, sizeof(name));
	bool moded = w->lock[th->wait_lock].kind == SIM_LK_RWSEM ||
		     w->lock[th->wait_lock].kind == SIM_LK_RANGE;

	if (!moded)
		mode = -1;
	const SimProc *taker =
		p->procs[w->notes.acq_proc[holder][th->wait_lock]];
	g_string_append_printf(ctx->msg, "  T%d waits for %s%s held by T%d "
			       "(taken in %s, %s:%d)\n", t, name,
			       mode == SIM_MODE_READ ? " (read)" :
			       mode == SIM_MODE_WRITE ? " (write)" : "",
			       holder, taker->name, taker->file,
			       w->notes.acq_line[holder][th->wait_lock]);
}

void sim_oracle_stuck(const SimWorld *w, SimStepCtx *ctx)
{
	int next[SIM_THREADS_MAX];

	for (int t = 0; t < w->nthreads; t++) {
		int c = find_cycle(w, t, next);
		if (c < 0)
			continue;
		found(ctx, SIM_PROP_DEADLOCK);
		if (!want(ctx))
			return;
		g_string_append(ctx->msg, "deadlock: wait-for cycle:\n");
		int u = c;
		do {
			describe_wait(w, u, next[u], ctx);
			u = next[u];
		} while (u != c);
		return;
	}
	for (int t = 0; t < w->nthreads; t++) {
		const SimThread *th = &w->thread[t];
		char name[48];
		if (th->status != SIM_TH_BLOCKED ||
		    sim_lock_blockers(&w->lock[th->wait_lock], t))
			continue;
		found(ctx, SIM_PROP_LOST_WAKEUP);
		if (want(ctx))
			g_string_append_printf(ctx->msg, "lost-wakeup: T%d "
				"sleeps on %s, which nobody holds, and no "
				"thread is left to wake it%s\n", t,
				sim_lock_name(ctx->prog, th->wait_lock, name,
					      sizeof(name)),
				w->lock[th->wait_lock].corrupt ?
				" (its count was corrupted by up_write of a "
				"read hold)" : "");
		return;
	}
}
