/*
 * oracle.c - the race detectors.  See oracle.h for where each is checked
 * and README.md ("Properties") for the definitions.
 */
#include <stdio.h>
#include <string.h>
#include "bitset.h"
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

/* SET (N bytes) as one hexadecimal number, at least two digits. */
static void append_hex(GString *out, const uint8_t *set, int n)
{
	int i = n - 1;

	while (i > 0 && !set[i])
		i--;
	for (; i >= 0; i--)
		g_string_append_printf(out, "%02x", set[i]);
}

/* " (freed by T1 at step 9, in truncate)" for block B. */
static void append_freed(const SimWorld *w, int b, SimStepCtx *ctx)
{
	const SimBlockNote *n = ctx->notes ? &ctx->notes->block[b] : NULL;

	(void)w;
	if (!n || !n->freed_by)
		return;
	g_string_append_printf(ctx->msg, ", freed by T%d at step %u (%s)",
			       n->freed_by - 1, n->freed_step + 1,
			       op_name(ctx, n->freed_proc));
}

void sim_oracle_block_write(const SimWorld *w, int tid, int pgoff, int b,
			    const char *how, SimStepCtx *ctx)
{
	const SimBlock *blk = sim_block(w, b);

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
		uint8_t f = sim_mflags(w)[pgoff];
		if (!(f & SIM_MF_PAGE))
			why = "a page no longer in the page cache";
		else if (f & SIM_MF_PSTALE)
			why = "a page read from a block never zeroed or "
			      "written for this file";
	} else if (sim_block(w, b)->state == SIM_BLK_FREE) {
		why = "a free block";
	} else if (sim_block(w, b)->owner_ino != 0) {
		why = "another file's block";
	} else if (sim_block(w, b)->state == SIM_BLK_NEW) {
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
	const SimBlock *blk = sim_block(w, b);
	const SimBlockNote *n = ctx->notes ? &ctx->notes->block[b] : NULL;

	if (blk->state != SIM_BLK_WRITTEN || !blk->stored ||
	    blk->owner_ino != 0)
		return;
	found(ctx, SIM_PROP_LOST_STORE);
	if (!want(ctx))
		return;
	g_string_append_printf(ctx->msg, "lost-store: T%d zeroed B%d (pgoff "
			       "%d) after ", tid, b, blk->owner_pgoff);
	if (n && n->stored_by)
		g_string_append_printf(ctx->msg, "T%d's store at step %u "
				       "had completed\n", n->stored_by - 1,
				       n->stored_step + 1);
	else
		g_string_append(ctx->msg, "a completed write\n");
}

/* Offsets a running op (other than TID's; TID < 0: none) has removed: a
 * PTE there may be stale until that op has unmapped it and returned.
 * Worked out at the first stale page only: an op returns at every few
 * steps and almost never finds one, and the union is over every thread. */
typedef struct {
	const SimWorld *w;
	int tid;
	bool known;
	uint8_t *m;             /* pgset bytes, once known */
} Excuse;

static bool excused(Excuse *e, int p)
{
	if (e->tid < 0)
		return false;
	if (!e->known) {
		memset(e->m, 0, e->w->pgset);
		for (int t = 0; t < e->w->nthreads; t++)
			if (t != e->tid && sim_oracle_in_op(e->w, t))
				sim_bits_or(e->m, sim_inval(e->w, t), e->w->pgset);
		e->known = true;
	}
	return sim_bit(e->m, p);
}

static void check_ptes(const SimWorld *w, Excuse *skip, SimStepCtx *ctx)
{
	for (int pr = 0; pr < w->nprocs; pr++) {
		for (int p = 0; p < w->npages; p++) {
			const SimPte *pte = sim_pte(w, pr, p);
			if (!sim_world_pte_is_stale(w, pte, p) ||
			    excused(skip, p))
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
			if (p >= sim_core(w)->i_size)
				g_string_append_printf(ctx->msg, "i_size is %d "
					"pages", sim_core(w)->i_size);
			else if (pte->kind == SIM_PTE_K_BLOCK &&
				 sim_bmap(w)[p] != SIM_HOLE)
				g_string_append_printf(ctx->msg, "the file has "
					"B%d there", sim_bmap(w)[p]);
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
static void check_pages(const SimWorld *w, Excuse *skip, SimStepCtx *ctx)
{
	for (int p = 0; p < w->npages; p++) {
		int src = sim_page_src(w)[p];
		uint8_t f = sim_mflags(w)[p];
		/* A clean zero-filled page past EOF is what a fault that lost
		 * to truncate leaves behind (it returns SIGBUS under the page
		 * lock and the page stays cached): harmless, reads stop at
		 * i_size.  A page holding data past EOF is not. */
		bool past_eof = p >= sim_core(w)->i_size && (src != SIM_HOLE ||
			(f & (SIM_MF_PDIRTY | SIM_MF_PWRITTEN)));
		if (!(f & SIM_MF_PAGE) ||
		    (!past_eof && (src == SIM_HOLE || sim_bmap(w)[p] == src)) ||
		    excused(skip, p))
			continue;
		found(ctx, SIM_PROP_STALE_PTE);
		if (!want(ctx))
			continue;
		if (past_eof) {
			g_string_append_printf(ctx->msg, "stale-pte: the page "
				"cache holds pgoff %d, past i_size (%d pages)\n",
				p, sim_core(w)->i_size);
			continue;
		}
		g_string_append_printf(ctx->msg, "stale-pte: the page cache "
			"at pgoff %d holds B%d's data, but the file has ", p,
			src);
		if (sim_bmap(w)[p])
			g_string_append_printf(ctx->msg, "B%d", sim_bmap(w)[p]);
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
	uint8_t set[SIM_BLOCKS_MAX / 8 + 1];
	int unflushed = -1;

	/* lost: pages it dropped dirty and did not remove */
	memcpy(set, sim_discarded(w, tid), w->pgset);
	sim_bits_andnot(set, sim_inval(w, tid), w->pgset);
	if (sim_bits_any(set, w->pgset)) {
		found(ctx, SIM_PROP_LOST_STORE);
		if (want(ctx)) {
			g_string_append_printf(ctx->msg, "lost-store: T%d's "
				"%s dropped dirty page-cache data at pgoffs "
				"0x", tid, op_name(ctx, proc));
			append_hex(ctx->msg, set, w->pgset);
			g_string_append(ctx->msg, ", which it did not "
					"remove\n");
		}
	}
	/* bit 0 (no block) is never set, so the word-wise test says whether
	 * some block is both; only then find the first */
	if (sim_bits_meet(sim_fsync_pending(w, tid), sim_cache_dirty(w),
			  w->blkset))
		for (int b = 1; b <= w->nblocks && unflushed < 0; b++)
			if (sim_bit(sim_fsync_pending(w, tid), b) &&
			    sim_bit(sim_cache_dirty(w), b))
				unflushed = b;
	if (unflushed > 0) {
		found(ctx, SIM_PROP_LOST_FLUSH);
		if (want(ctx)) {
			int b = unflushed;
			g_string_append_printf(ctx->msg, "lost-flush: T%d's %s "
				"returned while B%d (pgoff %d), dirty in the "
				"CPU cache since before it started, was never "
				"flushed\n", tid, op_name(ctx, proc), b,
				sim_block(w, b)->owner_pgoff);
		}
	}
	Excuse skip = { .w = w, .tid = tid, .m = set };

	check_ptes(w, &skip, ctx);
	check_pages(w, &skip, ctx);
}

/* stale-zero-page's test: the zero page mapped where a block is. */
static bool zero_over_block(const SimWorld *w, const SimPte *pte, int p)
{
	return pte->kind == SIM_PTE_K_ZERO && sim_bmap(w)[p] != SIM_HOLE;
}

void sim_oracle_quiescent(const SimWorld *w, SimStepCtx *ctx)
{
	Excuse none = { .w = w, .tid = -1 };

	check_ptes(w, &none, ctx);
	check_pages(w, &none, ctx);
	for (int pr = 0; pr < w->nprocs; pr++) {
		for (int p = 0; p < w->npages; p++) {
			if (!zero_over_block(w, sim_pte(w, pr, p), p))
				continue;
			found(ctx, SIM_PROP_STALE_ZERO_PAGE);
			if (want(ctx))
				g_string_append_printf(ctx->msg,
					"stale-zero-page: P%d pgoff %d still "
					"maps the zero page, but B%d is "
					"allocated there\n", pr, p, sim_bmap(w)[p]);
		}
	}
}

/* check_ptes reads the block map and i_size only through
 * sim_world_pte_is_stale, which reads neither for an absent PTE;
 * check_pages only for a page in the page cache; the zero-page check
 * only under a zero-page PTE. */
/* Bit i set where byte i of X is not 0. */
static unsigned nonzero_bytes(uint64_t x)
{
	x |= x >> 4;
	x |= x >> 2;
	x |= x >> 1;            /* bit 0 of each byte: any bit of it */
	return (unsigned)((x & 0x0101010101010101ull) *
			  0x0102040810204080ull >> 56);
}

/* The watched bits of pgoffs P0..P0+7, eight whole pgoffs (a word of
 * page flags, two words of PTEs a process: SimPte is 4 bytes, kind
 * first, SIM_PTE_K_NONE is 0). */
static unsigned watched8(const SimWorld *w, int p0)
{
	uint64_t flags, kinds[4] = { 0 };

	memcpy(&flags, sim_mflags(w) + p0, sizeof(flags));
	for (int pr = 0; pr < w->nprocs; pr++)
		for (int k = 0; k < 4; k++) {
			uint64_t two;
			memcpy(&two, sim_pte(w, pr, p0 + 2 * k), sizeof(two));
			kinds[k] |= two;
		}
	unsigned set = nonzero_bytes(flags & (uint64_t)SIM_MF_PAGE *
				     0x0101010101010101ull);
	for (int k = 0; k < 4; k++) {
		/* bytes 0 and 4: the kinds of pgoffs p0 + 2k, + 2k + 1 */
		unsigned b = nonzero_bytes(kinds[k] & 0x000000ff000000ffull);
		set |= ((b & 1) | (b >> 3 & 2)) << 2 * k;
	}
	return set;
}

/* Eight pgoffs a word: the reduction asks this at every state. */
void sim_oracle_watched(const SimWorld *w, uint8_t *set)
{
	_Static_assert(sizeof(SimPte) == 4, "watched8 reads 2 PTEs a word");
	int p0 = 0;

	for (; p0 + 8 <= w->npages; p0 += 8)
		set[p0 / 8] = (uint8_t)watched8(w, p0);
	if (p0 == w->npages)
		return;
	set[p0 / 8] = 0;
	for (int p = p0; p < w->npages; p++) {
		bool any = sim_mflags(w)[p] & SIM_MF_PAGE;
		for (int pr = 0; pr < w->nprocs; pr++)
			any |= sim_pte(w, pr, p)->kind != SIM_PTE_K_NONE;
		if (any)
			sim_bit_set(set, p);
	}
}

/* check_ptes flags a stale PTE, sim_oracle_quiescent also a zero page
 * over a block: nothing else of a PTE decides what either flags (its
 * writable bit only words the message). */
bool sim_oracle_pte_flagged(const SimWorld *w, const SimPte *pte, int pgoff)
{
	return sim_world_pte_is_stale(w, pte, pgoff) ||
	       zero_over_block(w, pte, pgoff);
}

/* A thread parked at the first primitive of an op (run_local entered
 * it when the thread started or its previous op returned) has changed
 * nothing yet: it is not inside the op until it has taken a step of it. */
bool sim_oracle_in_op(const SimWorld *w, int tid)
{
	const SimThread *t = sim_thread(w, tid);

	return t->depth > 1 && t->begun;
}

/* Follow wait-for edges from T; returns a thread on a cycle or -1. */
static int find_cycle(const SimWorld *w, int start, int *next)
{
	int t = start;

	for (int n = 0; n <= w->nthreads; n++) {
		const SimThread *th = sim_thread(w, t);
		if (th->status != SIM_TH_BLOCKED)
			return -1;
		SimThreadSet holders =
			sim_lock_blockers(sim_lock(w, th->wait_lock), t);
		if (!holders)
			return -1;
		next[t] = __builtin_ctzll(holders);
		t = next[t];
	}
	return t;       /* after nthreads+1 hops we are inside the cycle */
}

static void describe_wait(const SimWorld *w, int t, int holder,
			  SimStepCtx *ctx)
{
	const SimThread *th = sim_thread(w, t);
	const SimProgram *p = ctx->prog;
	char name[48];
	int mode = sim_lock_waiter_mode(sim_lock(w, th->wait_lock), t);

	sim_lock_name(p, th->wait_lock, name, sizeof(name));
	bool moded = sim_lock(w, th->wait_lock).kind == SIM_LK_RWSEM ||
		     sim_lock(w, th->wait_lock).kind == SIM_LK_RANGE;

	if (!moded)
		mode = -1;
	g_string_append_printf(ctx->msg, "  T%d waits for %s%s held by T%d",
			       t, name, mode == SIM_MODE_READ ? " (read)" :
			       mode == SIM_MODE_WRITE ? " (write)" : "",
			       holder);
	if (ctx->notes) {
		const SimSite *at = sim_notes_acq(ctx->notes, holder,
						  th->wait_lock);
		const SimProc *taker = p->procs[at->proc];
		g_string_append_printf(ctx->msg, " (taken in %s, %s:%d)",
				       taker->name, taker->file, at->line);
	}
	g_string_append_c(ctx->msg, '\n');
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
		const SimThread *th = sim_thread(w, t);
		char name[48];
		if (th->status != SIM_TH_BLOCKED ||
		    sim_lock_blockers(sim_lock(w, th->wait_lock), t))
			continue;
		found(ctx, SIM_PROP_LOST_WAKEUP);
		if (want(ctx))
			g_string_append_printf(ctx->msg, "lost-wakeup: T%d "
				"sleeps on %s, which nobody holds, and no "
				"thread is left to wake it%s\n", t,
				sim_lock_name(ctx->prog, th->wait_lock, name,
					      sizeof(name)),
				sim_lock(w, th->wait_lock).st->corrupt ?
				" (its count was corrupted by up_write of a "
				"read hold)" : "");
		return;
	}
}
