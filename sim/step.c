/*
 * step.c - one atomic step: a primitive, then local instructions.
 *
 * Shape of a step (sim_step):
 *   1. fetch the PRIM the thread is parked at;
 *   2. dispatch to its handler through prim_handlers[] (same order as
 *      sim_prims[]); a handler returns DONE (results written) or SLEEP
 *      (the thread queued on a lock; it will retry or be handed the lock);
 *   3. run_local(): local instructions up to the next PRIM, calling the
 *      oracles when an op returns and when the world turns quiescent.
 *
 * Model errors (unlock of a lock not held, an op returning with locks
 * held, a pgoff out of range, ...) stop the run with the model's
 * file:line; they are never reported as races.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bitset.h"
#include "step.h"
#include "oracle.h"
#include "lockdep.h"

typedef enum { DONE, SLEEP, BROKEN } HandlerResult;

/* Everything a handler needs: the instruction and its evaluated args. */
typedef struct {
	SimWorld *w;
	SimStepCtx *ctx;
	const SimInsn *in;
	int tid;
	int a[SIM_ARGS_MAX];
	int r0, r1;             /* results */
} Call;

typedef HandlerResult (*Handler)(Call *c);

static SimThread *th_of(Call *c)
{
	return sim_thread(c->w, c->tid);
}

static const SimProc *proc_of(const SimProgram *p, const SimThread *t)
{
	return p->procs[sim_th_frame(t)[t->depth - 1].proc];
}

static const SimInsn *cur_insn(const SimProgram *p, const SimThread *t)
{
	const SimFrame *f = &sim_th_frame(t)[t->depth - 1];
	return &p->procs[f->proc]->code[f->pc];
}

/* Model error: message with the model's file:line, run stops. */
static HandlerResult broken(Call *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static HandlerResult broken(Call *c, const char *fmt, ...)
{
	const SimProgram *p = c->ctx->prog;
	const SimProc *pr = proc_of(p, th_of(c));
	va_list ap;

	c->ctx->model_error = true;
	if (c->ctx->msg) {
		g_string_append_printf(c->ctx->msg, "%s:%d:%d: broken model: "
				       "T%d: ", pr->file, c->in->line,
				       c->in->col, c->tid);
		va_start(ap, fmt);
		g_string_append_vprintf(c->ctx->msg, fmt, ap);
		va_end(ap);
		g_string_append_c(c->ctx->msg, '\n');
	}
	return BROKEN;
}

/* A page offset outside the file reached a primitive.  When the
 * scenario's call passed that very value (store(9)), the scenario is
 * wrong, not the model: the message names its line first, then where
 * the model passed the value on. */
static HandlerResult out_of_range(Call *c, int bad, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
static HandlerResult out_of_range(Call *c, int bad, const char *fmt, ...)
{
	const SimProgram *p = c->ctx->prog;
	const SimThread *t = th_of(c);
	const SimFrame *body = &sim_th_frame(t)[0];
	const SimProc *bp = p->procs[body->proc];
	const SimInsn *call = &bp->code[body->pc > 0 ? body->pc - 1 : 0];
	const SimProc *pr = proc_of(p, t);
	bool passed = false;
	va_list ap;
	char *what;

	for (int k = 0; k < call->nargs && t->depth > 1; k++)
		passed |= (call->arg[k].kind == SIM_ARG_IMM ? call->arg[k].v :
			   sim_th_reg(t)[body->base + call->arg[k].v]) == bad;
	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (!passed) {
		broken(c, "%s: pgoff out of range", what);
	} else {
		c->ctx->model_error = true;
		if (c->ctx->msg)
			g_string_append_printf(c->ctx->msg, "%s:%d:%d: T%d: "
				"page offset %d out of range (the file has pgoff "
				"0..%d): %s at %s:%d:%d\n", bp->file, call->line,
				call->col, c->tid, bad, c->w->npages - 1, what,
				pr->file, c->in->line, c->in->col);
	}
	g_free(what);
	return BROKEN;
}

static bool pgoff_ok(const Call *c, int pgoff)
{
	return pgoff >= 0 && pgoff < c->w->npages;
}

static bool block_ok(const Call *c, int b)
{
	return b >= 1 && b <= c->w->nblocks;
}

/* Clamp [start, end] to the file's pages; false if empty. */
static bool clamp(const Call *c, int *start, int *end)
{
	if (*start < 0)
		*start = 0;
	if (*end > c->w->npages - 1)
		*end = c->w->npages - 1;
	return *start <= *end;
}

/* The running op removed pgoffs [start, end] (clamped): a PTE there may
 * be stale until it returns (oracle.h). */
static void removed(Call *c, int start, int end)
{
	if (!clamp(c, &start, &end))
		return;
	for (int p = start; p <= end; p++)
		sim_bit_set(sim_inval(c->w, c->tid), p);
}

/* ---- locks ------------------------------------------------------------- */

/* The lock instance a lock primitive names, and its range. */
static int lock_target(Call *c, int *start, int *end)
{
	const SimProgram *p = c->ctx->prog;
	int decl = c->in->lock;

	*start = *end = 0;
	switch (c->in->sub) {
	case SIM_P_LOCK_PAGE:
	case SIM_P_UNLOCK_PAGE:
		return pgoff_ok(c, c->a[0]) ?
		       sim_lock_instance(p, SIM_LOCKDECL_PAGE, c->a[0]) : -1;
	case SIM_P_GRAB_ENTRY:
	case SIM_P_GRAB_ENTRY_PAGE:
	case SIM_P_UNLOCK_ENTRY:
	case SIM_P_UNLOCK_ENTRY_ALL:
	case SIM_P_WAIT_ENTRY:
		return pgoff_ok(c, c->a[0]) ?
		       sim_lock_instance(p, SIM_LOCKDECL_ENTRY, c->a[0]) : -1;
	case SIM_P_HASH_LOCK:
	case SIM_P_HASH_UNLOCK:
		return sim_lock_instance(p, decl, c->a[0]);
	case SIM_P_RANGE_LOCK:
	case SIM_P_RANGE_LOCK_READ:
	case SIM_P_RANGE_UNLOCK:
		*start = c->a[0];
		*end = c->a[1];
		if (!clamp(c, start, end))
			return -1;
		return sim_lock_instance(p, decl, 0);
	default:
		/* delete_entries touches a range of entry locks: no single
		 * instance to name */
		if (decl < 0)
			return -1;
		if (p->model->locks[decl].per_proc)
			return sim_lock_instance(p, decl, th_of(c)->proc);
		return sim_lock_instance(p, decl, 0);
	}
}

static void held_push(Call *c, int inst)
{
	SimThread *t = th_of(c);

	SIM_ASSERT(t->nheld < SIM_HELD_MAX);
	t->held[t->nheld++] = (uint16_t)inst;
	if (c->ctx->notes)
		*sim_notes_acq(c->ctx->notes, c->tid, inst) = (SimSite) {
			.line = c->in->line,
			.proc = sim_th_frame(t)[t->depth - 1].proc,
		};
}

static void held_drop(SimThread *t, int inst)
{
	for (int i = 0; i < t->nheld; i++) {
		if (t->held[i] != inst)
			continue;
		memmove(&t->held[i], &t->held[i + 1],
			(size_t)(t->nheld - i - 1));
		t->held[--t->nheld] = 0;
		return;
	}
	SIM_ASSERT(!"held_drop: lock not on the held stack");
}

static HandlerResult do_acquire(Call *c, SimLockMode mode)
{
	SimThread *t = th_of(c);
	char name[48], ranges[64];
	int start, end;
	int inst = lock_target(c, &start, &end);

	if (inst < 0)
		return broken(c, "%s: index out of range",
			      sim_prims[c->in->sub].name);
	SimLock l = sim_lock(c->w, inst);
	if (t->granted) {
		/* woken by a handoff: we hold it already; this step is the
		 * return from the sleeping lock call */
		t->granted = 0;
		SIM_ASSERT(sim_lock_is_held_by(l, c->tid));
		held_push(c, inst);
		return DONE;
	}
	if (t->nheld >= SIM_HELD_MAX)
		return broken(c, "%s: T%d would hold more than SIM_HELD_MAX "
			      "(%d) locks", sim_prims[c->in->sub].name, c->tid,
			      SIM_HELD_MAX);
	/* lockdep checks at lock time, before a possible sleep: an attempt
	 * that never returns still orders the locks */
	if (c->ctx->lockdep)
		sim_lockdep_acquire(c->ctx->lockdep, c->w, c->ctx->notes,
				    c->tid, inst, c->in->line,
				    sim_th_frame(t)[t->depth - 1].proc);
	if (l.kind == SIM_LK_RANGE) {
		/* an interval tree: disjoint ranges of one holder are separate
		 * nodes; a range over one's own write range (or a write over
		 * one's read range) queues behind oneself: a self-deadlock */
		bool write_held;
		if (sim_lock_overlaps_own(l, c->tid, start, end, &write_held) &&
		    mode == SIM_MODE_READ && !write_held)
			return broken(c, "recursive %s(%d, %d) of %s, which "
				      "T%d holds over %s",
				      sim_prims[c->in->sub].name, start, end,
				      sim_lock_name(c->ctx->prog, inst, name,
						    sizeof(name)), c->tid,
				      sim_lock_ranges_str(l, c->tid, ranges,
							  sizeof(ranges)));
	} else if (sim_lock_is_held_by(l, c->tid)) {
		if (mode == SIM_MODE_READ && l.kind == SIM_LK_RWSEM)
			return broken(c, "recursive down_read of %s",
				      sim_lock_name(c->ctx->prog, inst, name,
						    sizeof(name)));
		/* Recursion on an exclusive lock sleeps forever: the kernel
		 * self-deadlocks (D1), so it is reported as a deadlock. */
		t->status = SIM_TH_BLOCKED;
		t->wait_lock = (uint16_t)inst;
		return SLEEP;
	}
	if (sim_lock_acquire(l, c->tid, mode, start, end) == SIM_LOCK_QUEUED) {
		t->status = SIM_TH_BLOCKED;
		t->wait_lock = (uint16_t)inst;
		return SLEEP;
	}
	held_push(c, inst);
	return DONE;
}

/* Make the threads in WOKEN runnable (and tell the caller: ctx->woken);
 * GRANTED ones hold the lock. */
static void wake(Call *c, SimThreadSet woken, SimThreadSet granted)
{
	SimWorld *w = c->w;

	c->ctx->woken |= woken;
	for (int t = 0; t < w->nthreads; t++) {
		if (!(woken >> t & 1))
			continue;
		SIM_ASSERT(sim_thread(w, t)->status == SIM_TH_BLOCKED);
		sim_thread(w, t)->status = SIM_TH_RUNNABLE;
		/* read only while blocked: clear it, or two worlds that
		 * differ only in a stale value would count as two states */
		sim_thread(w, t)->wait_lock = 0;
		sim_thread(w, t)->granted = granted >> t & 1;
	}
}

static HandlerResult do_release(Call *c, int want_mode, bool wake_all)
{
	char name[48], ranges[64];
	int start, end;
	int inst = lock_target(c, &start, &end);
	SimThreadSet granted;

	if (inst < 0)
		return broken(c, "%s: index out of range",
			      sim_prims[c->in->sub].name);
	SimLock l = sim_lock(c->w, inst);
	if (!sim_lock_is_held_by(l, c->tid))
		return broken(c, "%s of %s, which T%d does not hold",
			      sim_prims[c->in->sub].name,
			      sim_lock_name(c->ctx->prog, inst, name,
					    sizeof(name)), c->tid);
	if (want_mode == SIM_MODE_WRITE && l.kind == SIM_LK_RWSEM &&
	    sim_lock_mode_of(l, c->tid) == SIM_MODE_READ) {
		/* the kernel's own imbalance (D6): see lock.h */
		held_drop(th_of(c), inst);
		granted = sim_lock_release_unbalanced(l, c->tid);
		wake(c, granted, granted);
		return DONE;
	}
	if (want_mode >= 0 && (int)sim_lock_mode_of(l, c->tid) != want_mode)
		return broken(c, "%s of %s, which T%d holds for %s",
			      sim_prims[c->in->sub].name,
			      sim_lock_name(c->ctx->prog, inst, name,
					    sizeof(name)), c->tid,
			      want_mode == SIM_MODE_WRITE ? "read" : "write");
	if (l.kind == SIM_LK_RANGE &&
	    !sim_lock_holds_range(l, c->tid, start, end))
		return broken(c, "range_unlock(%d, %d) of %s held over %s",
			      start, end,
			      sim_lock_name(c->ctx->prog, inst, name,
					    sizeof(name)),
			      sim_lock_ranges_str(l, c->tid, ranges,
						  sizeof(ranges)));
	held_drop(th_of(c), inst);
	/* two statements: `granted` is set by the release, and C leaves
	 * the order of evaluation of function arguments unspecified */
	SimThreadSet woken = sim_lock_release(l, c->tid, start, end,
					      wake_all, &granted);
	wake(c, woken, granted);
	return DONE;
}

static HandlerResult h_lock_excl(Call *c)
{
	return do_acquire(c, SIM_MODE_WRITE);
}

static HandlerResult h_lock_read(Call *c)
{
	return do_acquire(c, SIM_MODE_READ);
}

static HandlerResult h_unlock(Call *c)
{
	return do_release(c, -1, false);
}

static HandlerResult h_up_read(Call *c)
{
	return do_release(c, SIM_MODE_READ, false);
}

static HandlerResult h_up_write(Call *c)
{
	return do_release(c, SIM_MODE_WRITE, false);
}

/* downgrade_write(): the write hold becomes a read hold in one step (no
 * writer can slip in between), and the readers queued at the head of the
 * queue are admitted (rwsem_downgrade_wake).  No acquisition: no lockdep
 * edge. */
static HandlerResult h_downgrade_write(Call *c)
{
	char name[48];
	int start, end;
	int inst = lock_target(c, &start, &end);

	if (inst < 0)
		return broken(c, "downgrade_write: index out of range");
	SimLock l = sim_lock(c->w, inst);
	if (!sim_lock_is_held_by(l, c->tid) ||
	    sim_lock_mode_of(l, c->tid) != SIM_MODE_WRITE)
		return broken(c, "downgrade_write of %s, which T%d does not "
			      "hold for write",
			      sim_lock_name(c->ctx->prog, inst, name,
					    sizeof(name)), c->tid);
	SimThreadSet granted = sim_lock_downgrade(l, c->tid);
	wake(c, granted, granted);
	return DONE;
}

static HandlerResult h_unlock_entry_all(Call *c)
{
	return do_release(c, -1, true);
}

/* grab_entry: lock the entry; insert a locked empty entry if none
 * (grab_mapping_entry); returns the entry kind. */
static HandlerResult h_grab_entry(Call *c)
{
	HandlerResult r = do_acquire(c, SIM_MODE_WRITE);

	if (r != DONE)
		return r;
	if (sim_entry(c->w)[c->a[0]] == SIM_ENTRY_NONE)
		sim_entry(c->w)[c->a[0]] = SIM_ENTRY_EMPTY;
	c->r0 = sim_entry(c->w)[c->a[0]];
	return DONE;
}

/* grab_mapping_entry() of v4.7-v4.14, where a hole is a page-cache page
 * that replaces the locked empty entry (dax_load_hole): the slot is looked
 * up under tree_lock, so a page found there is returned as ENTRY_PAGE with
 * nothing taken (the caller lock_page()s it and re-checks), else the entry
 * is locked as grab_entry does.  A woken sleeper retries the whole lookup
 * and so may find the page that replaced the entry. */
static HandlerResult h_grab_entry_page(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "grab_entry_page(%d)",
			      c->a[0]);
	if ((sim_mflags(c->w)[c->a[0]] & SIM_MF_PAGE) &&
	    sim_entry(c->w)[c->a[0]] == SIM_ENTRY_NONE) {
		c->r0 = SIM_ENTRY_PAGE;
		return DONE;
	}
	return h_grab_entry(c);
}

/* get_unlocked_mapping_entry(): sleep on the entry's wait queue while it
 * is locked; when woken, look again.  Returns the kind, lock not taken. */
static HandlerResult wait_entry(Call *c)
{
	int pgoff = c->a[0];
	SimThread *t = th_of(c);

	if (!pgoff_ok(c, pgoff))
		return out_of_range(c, pgoff, "wait_entry(%d)", pgoff);
	int inst = sim_lock_instance(c->ctx->prog, SIM_LOCKDECL_ENTRY, pgoff);
	SimLock l = sim_lock(c->w, inst);
	if (sim_lock_is_held_by(l, c->tid))
		return broken(c, "wait_entry(%d) on an entry T%d has locked",
			      pgoff, c->tid);
	/* a wait for the bit orders it after what we hold, as a lock
	 * attempt would (lockdep.h: wait-order) */
	if (c->ctx->lockdep)
		sim_lockdep_acquire(c->ctx->lockdep, c->w, c->ctx->notes,
				    c->tid, inst, c->in->line,
				    sim_th_frame(t)[t->depth - 1].proc);
	if (sim_lock_held(l)) {
		SIM_ASSERT(sim_lock_acquire(l, c->tid, SIM_MODE_WRITE, 0, 0) ==
			   SIM_LOCK_QUEUED);
		t->status = SIM_TH_BLOCKED;
		t->wait_lock = (uint16_t)inst;
		return SLEEP;
	}
	c->r0 = sim_entry(c->w)[pgoff];
	return DONE;
}

static HandlerResult h_wait_entry(Call *c)
{
	return wait_entry(c);
}

/* dax_delete_mapping_entry: the entry goes, and every sleeper on it is
 * woken to look it up again. */
static void delete_entry(Call *c, int pgoff)
{
	int inst = sim_lock_instance(c->ctx->prog, SIM_LOCKDECL_ENTRY, pgoff);

	sim_entry(c->w)[pgoff] = SIM_ENTRY_NONE;
	sim_mflags(c->w)[pgoff] &= (uint8_t)~(SIM_MF_DIRTY | SIM_MF_TOWRITE);
	wake(c, sim_lock_wake_all(sim_lock(c->w, inst)), 0);
}

/* dax_delete_mapping_entry() (fs/dax.c v4.7): get_unlocked_mapping_entry()
 * returns with tree_lock held, and radix_tree_delete() runs in the same
 * tree_lock section, so nobody can lock the entry between the wait and
 * the deletion.  Returns the kind found (ENTRY_NONE: nothing deleted). */
static HandlerResult h_wait_delete_entry(Call *c)
{
	HandlerResult r = wait_entry(c);

	if (r == DONE && c->r0 != SIM_ENTRY_NONE)
		delete_entry(c, c->a[0]);
	return r;
}

/* ---- inode and blocks -------------------------------------------------- */

static HandlerResult h_i_size_read(Call *c)
{
	c->r0 = sim_core(c->w)->i_size;
	return DONE;
}

static HandlerResult h_i_size_write(Call *c)
{
	int n = c->a[0];

	if (n < 0 || n > c->w->npages)
		return broken(c, "i_size_write(%d) out of range", n);
	if (n < sim_core(c->w)->i_size)
		removed(c, n, c->w->npages - 1);
	sim_core(c->w)->i_size = (uint16_t)n;
	return DONE;
}

/* The block mapped at pgoff; with create, allocate one in state FRESH
 * (UNWRITTEN set if UNWRITTEN).  The second result is what the DAX code
 * zeroes on: buffer_new (allocated now) or buffer_unwritten (an extent
 * not yet converted, whoever allocated it). */
static HandlerResult get_block(Call *c, SimBlockState fresh, bool unwritten)
{
	int pgoff = c->a[0];
	SimWorld *w = c->w;

	if (!pgoff_ok(c, pgoff))
		return out_of_range(c, pgoff, "get_block(%d)", pgoff);
	c->r0 = sim_bmap(w)[pgoff];
	c->r1 = c->r0 != SIM_HOLE && sim_block(w, c->r0)->unwritten;
	if (c->r0 != SIM_HOLE || !c->a[1])
		return DONE;
	int b = sim_world_alloc_block(w, 0, pgoff);
	if (b == 0)
		return broken(c, "disk full: all %d blocks in use",
			      c->w->nblocks);
	sim_block(w, b)->state = (uint8_t)fresh;
	sim_block(w, b)->unwritten = unwritten;
	sim_bmap(w)[pgoff] = (uint16_t)b;
	c->r0 = b;
	c->r1 = 1;              /* buffer_new */
	return DONE;
}

static HandlerResult h_get_block(Call *c)
{
	return get_block(c, SIM_BLK_NEW, false);
}

/* The filesystem zeroes the extent inside the allocation (ext4
 * c86d8db33a92, XFS 3fbbbea34bac BMAPI_ZERO): no window with old data. */
static HandlerResult h_get_block_zeroed(Call *c)
{
	return get_block(c, SIM_BLK_ZEROED, false);
}

/* ext4 (EXT4_GET_BLOCKS_UNWRIT_EXT) and XFS (XFS_BMAPI_PREALLOC) of
 * v4.1-v4.4 give DAX an unwritten extent: the device keeps its old
 * contents, the filesystem reads zeroes until it is converted. */
static HandlerResult h_get_block_unwritten(Call *c)
{
	return get_block(c, SIM_BLK_NEW, true);
}

/* complete_unwritten (ext4_end_io_unwritten ->
 * ext4_convert_unwritten_extents, xfs_end_io_dax_write ->
 * xfs_iomap_write_unwritten): the extent at pgoff becomes written; a
 * written extent or a hole is left alone. */
static HandlerResult h_convert_unwritten(Call *c)
{
	int pgoff = c->a[0];

	if (!pgoff_ok(c, pgoff))
		return broken(c, "convert_unwritten(%d): pgoff out of range",
			      pgoff);
	if (sim_bmap(c->w)[pgoff] != SIM_HOLE)
		sim_block(c->w, sim_bmap(c->w)[pgoff])->unwritten = 0;
	return DONE;
}

static HandlerResult h_zero_block(Call *c)
{
	int b = c->a[0];
	SimBlock *blk;

	if (!block_ok(c, b))
		return broken(c, "zero_block(%d): no such block", b);
	blk = sim_block(c->w, b);
	sim_oracle_block_write(c->w, c->tid,
			       sim_world_block_pgoff(c->w, c->ctx->notes, b),
			       b, "zeroed", c->ctx);
	sim_oracle_zero(c->w, c->tid, b, c->ctx);
	if (blk->state != SIM_BLK_FREE) {
		blk->state = SIM_BLK_ZEROED;
		blk->stored = 0;
	}
	if (c->ctx->notes) {
		c->ctx->notes->block[b].zeroed_by = (uint8_t)(c->tid + 1);
		c->ctx->notes->block[b].zeroed_step = c->ctx->notes->step;
	}
	return DONE;
}

static void free_one(Call *c, int pgoff)
{
	SimWorld *w = c->w;
	int b = sim_bmap(w)[pgoff];
	const SimThread *t = th_of(c);

	if (b == SIM_HOLE)
		return;
	sim_bmap(w)[pgoff] = SIM_HOLE;
	sim_world_free_block(w, b);
	if (c->ctx->notes) {
		SimBlockNote *n = &c->ctx->notes->block[b];
		n->freed_by = (uint8_t)(c->tid + 1);
		n->freed_step = c->ctx->notes->step;
		n->freed_proc = sim_th_frame(t)[1].proc;
		n->freed_pgoff = (uint16_t)pgoff;
	}
}

static HandlerResult h_free_blocks(Call *c)
{
	int start = c->a[0], end = c->a[1];

	if (!clamp(c, &start, &end))
		return DONE;
	for (int p = start; p <= end; p++)
		free_one(c, p);
	removed(c, start, end);
	return DONE;
}

/* Collapse range: free [start, end], move the extents after it down. */
static HandlerResult h_shift_blocks(Call *c)
{
	SimWorld *w = c->w;
	int start = c->a[0], end = c->a[1];

	if (!clamp(c, &start, &end))
		return DONE;
	for (int p = start; p <= end; p++)
		free_one(c, p);
	int n = end - start + 1;
	for (int p = start; p + n < w->npages; p++) {
		int b = sim_bmap(w)[p + n];
		sim_bmap(w)[p] = (uint16_t)b;
		sim_bmap(w)[p + n] = SIM_HOLE;
		if (b)
			sim_block(w, b)->owner_pgoff = (uint16_t)p;
	}
	removed(c, start, end);
	return DONE;
}

static HandlerResult h_other_alloc(Call *c)
{
	int b = sim_world_alloc_block(c->w, 1, 0);

	if (b == 0)
		return broken(c, "disk full: all %d blocks in use",
			      c->w->nblocks);
	sim_block(c->w, b)->state = SIM_BLK_WRITTEN;
	c->r0 = b;
	return DONE;
}

/* ---- page tables ------------------------------------------------------- */

static SimPte *own_pte(Call *c, int pgoff)
{
	return sim_pte(c->w, th_of(c)->proc, pgoff);
}

static HandlerResult h_pte_lookup(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "pte_lookup(%d)",
			      c->a[0]);
	const SimPte *pte = own_pte(c, c->a[0]);
	c->r0 = pte->kind == SIM_PTE_K_NONE ? SIM_PTE_NONE :
		pte->writable ? SIM_PTE_RW : SIM_PTE_RO;
	return DONE;
}

/* vm_insert_mixed(): -EBUSY if something is mapped there already. */
static HandlerResult set_pte(Call *c, int kind, int target, int writable)
{
	SimPte *pte = own_pte(c, c->a[0]);

	if (pte->kind != SIM_PTE_K_NONE) {
		c->r0 = SIM_EBUSY;
		return DONE;
	}
	pte->kind = (uint8_t)kind;
	pte->target = (uint16_t)target;
	pte->writable = writable ? 1 : 0;
	c->r0 = SIM_OK;
	return DONE;
}

static HandlerResult h_set_pte(Call *c)
{
	if (!pgoff_ok(c, c->a[0]) || !block_ok(c, c->a[1]))
		return broken(c, "set_pte(%d, %d): bad pgoff or block",
			      c->a[0], c->a[1]);
	return set_pte(c, SIM_PTE_K_BLOCK, c->a[1], c->a[2]);
}

static HandlerResult h_set_pte_zero(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "set_pte_zero(%d)",
			      c->a[0]);
	return set_pte(c, SIM_PTE_K_ZERO, 0, 0);
}

static HandlerResult h_set_pte_page(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "set_pte_page(%d)",
			      c->a[0]);
	if (!(sim_mflags(c->w)[c->a[0]] & SIM_MF_PAGE))
		return broken(c, "set_pte_page(%d): no page in the page "
			      "cache", c->a[0]);
	return set_pte(c, SIM_PTE_K_PAGE, c->a[0], c->a[1]);
}

/* do_cow_fault() -> do_set_pte() of the new anonymous page, writable: the
 * private copy of a MAP_PRIVATE write fault.  Accesses through it touch
 * no file data. */
static HandlerResult h_set_pte_anon(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return broken(c, "set_pte_anon(%d): pgoff out of range",
			      c->a[0]);
	return set_pte(c, SIM_PTE_K_ANON, 0, 1);
}

static HandlerResult h_pte_mkwrite(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "pte_mkwrite(%d)",
			      c->a[0]);
	SimPte *pte = own_pte(c, c->a[0]);
	if (pte->kind == SIM_PTE_K_NONE || pte->kind == SIM_PTE_K_ZERO)
		return DONE;    /* zapped meanwhile: the access faults again */
	pte->writable = 1;
	return DONE;
}

static HandlerResult h_pte_block(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "pte_block(%d)", c->a[0]);
	const SimPte *pte = own_pte(c, c->a[0]);
	c->r0 = pte->kind == SIM_PTE_K_BLOCK ? pte->target : 0;
	return DONE;
}

static HandlerResult h_zap_ptes(Call *c)
{
	int start = c->a[0], end = c->a[1];

	if (!clamp(c, &start, &end))
		return DONE;
	for (int pr = 0; pr < c->w->nprocs; pr++)
		for (int p = start; p <= end; p++)
			memset(sim_pte(c->w, pr, p), 0, sizeof(SimPte));
	return DONE;
}

/* Every process's PTE for PGOFF loses its write bit - the file's page or
 * block only: a private copy (COW) is another page, which page_mkclean /
 * pfn_mkclean never reach. */
static void wrprotect_all(SimWorld *w, int pgoff)
{
	for (int pr = 0; pr < w->nprocs; pr++)
		if (sim_pte(w, pr, pgoff)->kind != SIM_PTE_K_ANON)
			sim_pte(w, pr, pgoff)->writable = 0;
}

/* pfn_mkclean / dax_mapping_entry_mkclean. */
static HandlerResult h_wrprotect(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "wrprotect(%d)", c->a[0]);
	wrprotect_all(c->w, c->a[0]);
	return DONE;
}

/* page_mapped(page): the page's mapcount, i.e. whether any process maps
 * the page-cache page of the pgoff (a DAX hole page is mapped as the zero
 * page, see set_pte_zero). */
static HandlerResult h_page_mapped(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return broken(c, "page_mapped(%d): pgoff out of range",
			      c->a[0]);
	c->r0 = 0;
	for (int pr = 0; pr < c->w->nprocs; pr++) {
		int k = sim_pte(c->w, pr, c->a[0])->kind;
		if (k == SIM_PTE_K_ZERO || k == SIM_PTE_K_PAGE)
			c->r0 = 1;
	}
	return DONE;
}

/* ---- page cache -------------------------------------------------------- */

/* The page at PGOFF stops being a copy that a direct write found older
 * than its block (refilled, written, written back, dropped, or already
 * found stale): it is not POLD, and no running write's dio_done owes it
 * a stale mark (sim_dio_old). */
static void page_not_old(SimWorld *w, int pgoff)
{
	sim_mflags(w)[pgoff] &= (uint8_t)~SIM_MF_POLD;
	for (int t = 0; t < w->nthreads; t++)
		sim_bit_clear(sim_dio_old(w, t), pgoff);
}

static HandlerResult h_find_page(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "find_page(%d)", c->a[0]);
	c->r0 = (sim_mflags(c->w)[c->a[0]] & SIM_MF_PAGE) ? 1 : 0;
	return DONE;
}

/* The page at PGOFF now holds what block B holds (zeroes for a hole):
 * stale if B is not the file's block there or was never initialised. */
static void fill_from_block(SimWorld *w, int pgoff, int b)
{
	const SimBlock *blk = sim_block(w, b);

	sim_page_src(w)[pgoff] = (uint16_t)b;
	if (b == SIM_HOLE)
		return;
	bool ours = blk->state != SIM_BLK_FREE && blk->owner_ino == 0 &&
		    blk->owner_pgoff == pgoff;
	if (!ours || blk->state == SIM_BLK_NEW)
		sim_mflags(w)[pgoff] |= SIM_MF_PSTALE;
	else if (blk->state == SIM_BLK_WRITTEN)
		sim_mflags(w)[pgoff] |= SIM_MF_PWRITTEN;
}

/* add_to_page_cache + readpage: the page gets B's contents (zeroes for a
 * hole).  -EBUSY (as -EEXIST) if a page is there already. */
static HandlerResult h_add_page(Call *c)
{
	int pgoff = c->a[0], b = c->a[1];
	uint8_t *f;

	if (!pgoff_ok(c, pgoff) || (b != SIM_HOLE && !block_ok(c, b)))
		return broken(c, "add_page(%d, %d): bad pgoff or block",
			      pgoff, b);
	f = &sim_mflags(c->w)[pgoff];
	if (*f & SIM_MF_PAGE) {
		c->r0 = SIM_EBUSY;
		return DONE;
	}
	*f = (uint8_t)((*f & (SIM_MF_DIRTY | SIM_MF_TOWRITE)) | SIM_MF_PAGE);
	fill_from_block(c->w, pgoff, b);
	c->r0 = SIM_OK;
	return DONE;
}

/* ->readpage completing: add_page(pgoff, HOLE) inserted the locked page
 * before the block was looked up (add_to_page_cache_lru, then readpage's
 * get_block); the read I/O now fills it from B (zeroes for a hole), with
 * B's state *now*, so a block freed or reused in between is seen. */
static HandlerResult h_fill_page(Call *c)
{
	int pgoff = c->a[0], b = c->a[1];
	uint8_t *f;

	if (!pgoff_ok(c, pgoff) || (b != SIM_HOLE && !block_ok(c, b)))
		return broken(c, "fill_page(%d, %d): bad pgoff or block",
			      pgoff, b);
	f = &sim_mflags(c->w)[pgoff];
	if (!(*f & SIM_MF_PAGE)) {
		c->r0 = SIM_EIO;
		return DONE;
	}
	*f = (uint8_t)(*f & ~(SIM_MF_PSTALE | SIM_MF_PWRITTEN));
	page_not_old(c->w, pgoff);
	fill_from_block(c->w, pgoff, b);
	c->r0 = SIM_OK;
	return DONE;
}

/* invalidate_inode_pages2_range() on one page, under its page lock:
 * invalidate_complete_page2() drops a clean page and fails with -EBUSY on
 * a dirty one ("If this invalidation fails, tough").  No page: OK. */
static HandlerResult h_invalidate_page(Call *c)
{
	int pgoff = c->a[0];
	uint8_t *f;

	if (!pgoff_ok(c, pgoff))
		return out_of_range(c, pgoff, "invalidate_page(%d)",
			      pgoff);
	f = &sim_mflags(c->w)[pgoff];
	c->r0 = SIM_OK;
	if (!(*f & SIM_MF_PAGE))
		return DONE;
	if (*f & SIM_MF_PDIRTY) {
		c->r0 = SIM_EBUSY;
		return DONE;
	}
	page_not_old(c->w, pgoff);
	*f &= (uint8_t)(SIM_MF_DIRTY | SIM_MF_TOWRITE);
	sim_page_src(c->w)[pgoff] = 0;
	return DONE;
}

/* dio_complete() reporting a direct write done: a page in [start, end]
 * still cached with data read from its block before this thread's bio
 * landed (POLD with this thread's sim_dio_old bit, both set by its
 * dio_write) is now stale: R7, "stale page cache vs disk"; reading it is
 * an uninit-read (the user sees stale data).  Each completion is one
 * dio's, over its own range, after its own bio: iomap_dio_complete
 * (fs/iomap/direct-io.c, v5.15) and dio_complete (fs/direct-io.c, v4.14)
 * invalidate "offset >> PAGE_SHIFT" to "(offset + dio->size - 1) >>
 * PAGE_SHIFT" of that dio, then complete its iocb; before 332391a9935d
 * the iocb completes after generic_file_direct_write's second
 * invalidate_inode_pages2_range (mm/filemap.c, v4.4).  A page cached
 * after this bio landed, which another direct write still in flight then
 * made old, is not stale for this one: a read concurrent with that write
 * may see either data, and that write's own completion judges it. */
static HandlerResult h_dio_done(Call *c)
{
	int start = c->a[0], end = c->a[1];

	if (!clamp(c, &start, &end))
		return DONE;
	/* a bit of the set is there only while its page is that POLD copy
	 * (page_not_old clears both) */
	for (int p = start; p <= end; p++)
		if (sim_bit(sim_dio_old(c->w, c->tid), p)) {
			page_not_old(c->w, p);
			sim_mflags(c->w)[p] |= SIM_MF_PSTALE;
		}
	return DONE;
}

static HandlerResult h_delete_pages(Call *c)
{
	int start = c->a[0], end = c->a[1];

	if (!clamp(c, &start, &end))
		return DONE;
	for (int p = start; p <= end; p++) {
		uint8_t *f = &sim_mflags(c->w)[p];
		if (!(*f & SIM_MF_PAGE))
			continue;
		/* dirty with nothing stored yet (->page_mkwrite's
		 * set_page_dirty before the store): nothing is lost */
		if (*f & SIM_MF_PSTORED)
			sim_bit_set(sim_discarded(c->w, c->tid), p);
		page_not_old(c->w, p);
		*f &= (uint8_t)(SIM_MF_DIRTY | SIM_MF_TOWRITE);
		sim_page_src(c->w)[p] = 0;
	}
	return DONE;
}

static HandlerResult h_set_page_dirty(Call *c)
{
	if (!pgoff_ok(c, c->a[0]) || !(sim_mflags(c->w)[c->a[0]] & SIM_MF_PAGE))
		return broken(c, "set_page_dirty(%d): no such page", c->a[0]);
	sim_mflags(c->w)[c->a[0]] |= SIM_MF_PDIRTY;
	return DONE;
}

/* write_cache_pages() on a dirty page, under its page lock:
 * clear_page_dirty_for_io() - page_mkclean() write-protects every PTE of
 * the page, so the next store through one traps to ->page_mkwrite - and
 * ->writepage writes it to block B.  A clean page is skipped ("someone
 * wrote it for us"). */
static HandlerResult h_writeback_page(Call *c)
{
	int pgoff = c->a[0], b = c->a[1];
	uint8_t *f;

	if (!pgoff_ok(c, pgoff) || !block_ok(c, b))
		return broken(c, "writeback_page(%d, %d): bad pgoff or block",
			      pgoff, b);
	f = &sim_mflags(c->w)[pgoff];
	if ((*f & (SIM_MF_PAGE | SIM_MF_PDIRTY)) !=
	    (SIM_MF_PAGE | SIM_MF_PDIRTY))
		return DONE;
	wrprotect_all(c->w, pgoff);
	sim_oracle_block_write(c->w, c->tid, pgoff, b, "wrote back", c->ctx);
	if (sim_block(c->w, b)->state != SIM_BLK_FREE) {
		sim_block(c->w, b)->state = SIM_BLK_WRITTEN;
		sim_block(c->w, b)->stored |= (*f & SIM_MF_PWRITTEN) ? 1 : 0;
	}
	*f &= (uint8_t)~(SIM_MF_PDIRTY | SIM_MF_PSTORED);
	page_not_old(c->w, pgoff);
	sim_page_src(c->w)[pgoff] = (uint16_t)b;
	return DONE;
}

/* read(2) / write(2) copying to or from a page-cache page. */
static HandlerResult h_read_page(Call *c)
{
	int pgoff = c->a[0];

	if (!pgoff_ok(c, pgoff))
		return out_of_range(c, pgoff, "read_page(%d)", pgoff);
	if (!(sim_mflags(c->w)[pgoff] & SIM_MF_PAGE)) {
		c->r0 = SIM_EIO;
		return DONE;
	}
	sim_oracle_read(c->w, c->tid, pgoff, 0, c->ctx);
	c->r0 = SIM_OK;
	return DONE;
}

static HandlerResult h_write_page(Call *c)
{
	int pgoff = c->a[0];
	uint8_t *f;

	if (!pgoff_ok(c, pgoff))
		return out_of_range(c, pgoff, "write_page(%d)", pgoff);
	f = &sim_mflags(c->w)[pgoff];
	if (!(*f & SIM_MF_PAGE)) {
		c->r0 = SIM_EIO;
		return DONE;
	}
	*f = (uint8_t)((*f | SIM_MF_PWRITTEN | SIM_MF_PDIRTY |
			SIM_MF_PSTORED) & ~SIM_MF_PSTALE);
	page_not_old(c->w, pgoff);
	c->r0 = SIM_OK;
	return DONE;
}

/* ---- DAX entries ------------------------------------------------------- */

static HandlerResult h_get_entry(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "get_entry(%d)", c->a[0]);
	c->r0 = sim_entry(c->w)[c->a[0]];
	return DONE;
}

static HandlerResult h_set_entry(Call *c)
{
	if (!pgoff_ok(c, c->a[0]) || c->a[1] < SIM_ENTRY_NONE ||
	    c->a[1] > SIM_ENTRY_BLOCK)
		return broken(c, "set_entry(%d, %d): bad pgoff or kind",
			      c->a[0], c->a[1]);
	sim_entry(c->w)[c->a[0]] = (uint8_t)c->a[1];
	return DONE;
}

static HandlerResult h_delete_entries(Call *c)
{
	int start = c->a[0], end = c->a[1];

	if (!clamp(c, &start, &end))
		return DONE;
	for (int pg = start; pg <= end; pg++)
		delete_entry(c, pg);
	return DONE;
}

static HandlerResult h_tag_dirty(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "tag_dirty(%d)", c->a[0]);
	sim_mflags(c->w)[c->a[0]] |= SIM_MF_DIRTY;
	return DONE;
}

static HandlerResult h_tag_towrite(Call *c)
{
	int start = c->a[0], end = c->a[1];

	if (!clamp(c, &start, &end))
		return DONE;
	for (int p = start; p <= end; p++)
		if (sim_mflags(c->w)[p] & SIM_MF_DIRTY)
			sim_mflags(c->w)[p] |= SIM_MF_TOWRITE;
	return DONE;
}

static HandlerResult h_test_towrite(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "test_towrite(%d)",
			      c->a[0]);
	c->r0 = (sim_mflags(c->w)[c->a[0]] & SIM_MF_TOWRITE) ? 1 : 0;
	return DONE;
}

static HandlerResult h_clear_tags(Call *c)
{
	if (!pgoff_ok(c, c->a[0]))
		return out_of_range(c, c->a[0], "clear_tags(%d)",
			      c->a[0]);
	sim_mflags(c->w)[c->a[0]] &= (uint8_t)~(SIM_MF_DIRTY | SIM_MF_TOWRITE);
	return DONE;
}

/* ---- caches and I/O ---------------------------------------------------- */

static HandlerResult h_flush_cache(Call *c)
{
	int b = c->a[0];

	if (!block_ok(c, b))
		return broken(c, "flush_cache(%d): no such block", b);
	if (sim_bit(sim_cache_dirty(c->w), b))
		sim_oracle_block_write(c->w, c->tid,
				       sim_world_block_pgoff(c->w,
							     c->ctx->notes, b),
				       b, "flushed dirty cache lines into",
				       c->ctx);
	sim_bit_clear(sim_cache_dirty(c->w), b);
	for (int t = 0; t < c->w->nthreads; t++)
		sim_bit_clear(sim_fsync_pending(c->w, t), b);
	return DONE;
}

static HandlerResult h_dio_write(Call *c)
{
	int b = c->a[0];

	if (!block_ok(c, b))
		return broken(c, "dio_write(%d): no such block", b);
	sim_oracle_block_write(c->w, c->tid,
			       sim_world_block_pgoff(c->w, c->ctx->notes, b),
			       b, "completed a direct write into", c->ctx);
	if (sim_block(c->w, b)->state != SIM_BLK_FREE) {
		sim_block(c->w, b)->state = SIM_BLK_WRITTEN;
		sim_block(c->w, b)->stored = 1;
	}
	/* a page-cache copy of B now holds older data than B (R7), made
	 * old by this thread's write: its dio_done judges the copy */
	for (int p = 0; p < c->w->npages; p++)
		if ((sim_mflags(c->w)[p] & SIM_MF_PAGE) &&
		    sim_page_src(c->w)[p] == b) {
			sim_mflags(c->w)[p] |= SIM_MF_POLD;
			sim_bit_set(sim_dio_old(c->w, c->tid), p);
		}
	return DONE;
}

/* dax_iomap_actor: read(2) / write(2) copy straight to or from block B
 * found at PGOFF (B == 0: a hole reads as zeroes). */
static HandlerResult h_read_block(Call *c)
{
	int pgoff = c->a[0], b = c->a[1];

	if (!pgoff_ok(c, pgoff) || (b != SIM_HOLE && !block_ok(c, b)))
		return broken(c, "read_block(%d, %d): bad pgoff or block",
			      pgoff, b);
	/* dax_io(): "hole = !buffer_written(bh)": an unwritten extent reads
	 * as zeroes, whatever the device holds */
	if (b != SIM_HOLE && !sim_block(c->w, b)->unwritten)
		sim_oracle_read(c->w, c->tid, pgoff, b, c->ctx);
	return DONE;
}

static HandlerResult h_write_block(Call *c)
{
	int pgoff = c->a[0], b = c->a[1];

	if (!pgoff_ok(c, pgoff) || !block_ok(c, b))
		return broken(c, "write_block(%d, %d): bad pgoff or block",
			      pgoff, b);
	sim_oracle_block_write(c->w, c->tid, pgoff, b, "wrote", c->ctx);
	if (sim_block(c->w, b)->state != SIM_BLK_FREE) {
		sim_block(c->w, b)->state = SIM_BLK_WRITTEN;
		sim_block(c->w, b)->stored = 1;
	}
	return DONE;
}

/* ---- user accesses ----------------------------------------------------- */

static HandlerResult h_user_store(Call *c)
{
	int pgoff = c->a[0];
	SimWorld *w = c->w;

	if (!pgoff_ok(c, pgoff))
		return out_of_range(c, pgoff, "user_store(%d)", pgoff);
	const SimPte *pte = own_pte(c, pgoff);
	if (pte->kind == SIM_PTE_K_NONE) {
		c->r0 = SIM_FAULT_NOPTE;
		return DONE;
	}
	if (!pte->writable) {
		c->r0 = SIM_FAULT_WP;
		return DONE;
	}
	c->r0 = SIM_FAULT_NONE;
	if (pte->kind == SIM_PTE_K_ANON)
		return DONE;
	if (pte->kind == SIM_PTE_K_PAGE) {
		uint8_t *f = &sim_mflags(w)[pte->target];
		if (!(*f & SIM_MF_PAGE)) {
			sim_oracle_block_write(w, c->tid, pgoff, 0,
					       "stored into a page no longer "
					       "in the page cache", c->ctx);
			return DONE;
		}
		*f = (uint8_t)((*f | SIM_MF_PWRITTEN | SIM_MF_PDIRTY |
				SIM_MF_PSTORED) & ~SIM_MF_PSTALE);
		page_not_old(w, pte->target);
		return DONE;
	}
	int b = pte->target;
	sim_oracle_block_write(w, c->tid, pgoff, b, "stored into", c->ctx);
	if (sim_block(w, b)->state != SIM_BLK_FREE) {
		sim_block(w, b)->state = SIM_BLK_WRITTEN;
		sim_block(w, b)->stored = 1;
	}
	sim_bit_set(sim_cache_dirty(w), b);
	if (c->ctx->notes) {
		c->ctx->notes->block[b].stored_by = (uint8_t)(c->tid + 1);
		c->ctx->notes->block[b].stored_step = c->ctx->notes->step;
	}
	return DONE;
}

static HandlerResult h_user_load(Call *c)
{
	int pgoff = c->a[0];

	if (!pgoff_ok(c, pgoff))
		return out_of_range(c, pgoff, "user_load(%d)", pgoff);
	const SimPte *pte = own_pte(c, pgoff);
	c->r0 = SIM_FAULT_NONE;
	if (pte->kind == SIM_PTE_K_NONE)
		c->r0 = SIM_FAULT_NOPTE;
	else if (pte->kind == SIM_PTE_K_BLOCK)
		sim_oracle_read(c->w, c->tid, pgoff, pte->target, c->ctx);
	else if (pte->kind == SIM_PTE_K_PAGE)
		sim_oracle_read(c->w, c->tid, pgoff, 0, c->ctx);
	return DONE;
}

static const Handler prim_handlers[SIM_P_COUNT] = {
	[SIM_P_MUTEX_LOCK] = h_lock_excl,
	[SIM_P_MUTEX_UNLOCK] = h_unlock,
	[SIM_P_DOWN_READ] = h_lock_read,
	[SIM_P_DOWN_WRITE] = h_lock_excl,
	[SIM_P_UP_READ] = h_up_read,
	[SIM_P_UP_WRITE] = h_up_write,
	[SIM_P_DOWNGRADE_WRITE] = h_downgrade_write,
	[SIM_P_LOCK_PAGE] = h_lock_excl,
	[SIM_P_UNLOCK_PAGE] = h_unlock,
	[SIM_P_HASH_LOCK] = h_lock_excl,
	[SIM_P_HASH_UNLOCK] = h_unlock,
	[SIM_P_RANGE_LOCK] = h_lock_excl,
	[SIM_P_RANGE_LOCK_READ] = h_lock_read,
	[SIM_P_RANGE_UNLOCK] = h_unlock,
	[SIM_P_GRAB_ENTRY] = h_grab_entry,
	[SIM_P_UNLOCK_ENTRY] = h_unlock,
	[SIM_P_UNLOCK_ENTRY_ALL] = h_unlock_entry_all,
	[SIM_P_WAIT_ENTRY] = h_wait_entry,
	[SIM_P_GRAB_ENTRY_PAGE] = h_grab_entry_page,
	[SIM_P_WAIT_DELETE_ENTRY] = h_wait_delete_entry,
	[SIM_P_I_SIZE_READ] = h_i_size_read,
	[SIM_P_I_SIZE_WRITE] = h_i_size_write,
	[SIM_P_GET_BLOCK] = h_get_block,
	[SIM_P_GET_BLOCK_ZERO] = h_get_block_zeroed,
	[SIM_P_GET_BLOCK_UNWRITTEN] = h_get_block_unwritten,
	[SIM_P_CONVERT_UNWRITTEN] = h_convert_unwritten,
	[SIM_P_ZERO_BLOCK] = h_zero_block,
	[SIM_P_FREE_BLOCKS] = h_free_blocks,
	[SIM_P_SHIFT_BLOCKS] = h_shift_blocks,
	[SIM_P_OTHER_ALLOC] = h_other_alloc,
	[SIM_P_PTE_LOOKUP] = h_pte_lookup,
	[SIM_P_SET_PTE] = h_set_pte,
	[SIM_P_SET_PTE_ZERO] = h_set_pte_zero,
	[SIM_P_SET_PTE_ANON] = h_set_pte_anon,
	[SIM_P_SET_PTE_PAGE] = h_set_pte_page,
	[SIM_P_PTE_MKWRITE] = h_pte_mkwrite,
	[SIM_P_PTE_BLOCK] = h_pte_block,
	[SIM_P_ZAP_PTES] = h_zap_ptes,
	[SIM_P_WRPROTECT] = h_wrprotect,
	[SIM_P_PAGE_MAPPED] = h_page_mapped,
	[SIM_P_FIND_PAGE] = h_find_page,
	[SIM_P_ADD_PAGE] = h_add_page,
	[SIM_P_DELETE_PAGES] = h_delete_pages,
	[SIM_P_SET_PAGE_DIRTY] = h_set_page_dirty,
	[SIM_P_WRITEBACK_PAGE] = h_writeback_page,
	[SIM_P_READ_PAGE] = h_read_page,
	[SIM_P_FILL_PAGE] = h_fill_page,
	[SIM_P_INVALIDATE_PAGE] = h_invalidate_page,
	[SIM_P_DIO_DONE] = h_dio_done,
	[SIM_P_WRITE_PAGE] = h_write_page,
	[SIM_P_GET_ENTRY] = h_get_entry,
	[SIM_P_SET_ENTRY] = h_set_entry,
	[SIM_P_DELETE_ENTRIES] = h_delete_entries,
	[SIM_P_TAG_DIRTY] = h_tag_dirty,
	[SIM_P_TAG_TOWRITE] = h_tag_towrite,
	[SIM_P_TEST_TOWRITE] = h_test_towrite,
	[SIM_P_CLEAR_TAGS] = h_clear_tags,
	[SIM_P_FLUSH_CACHE] = h_flush_cache,
	[SIM_P_DIO_WRITE] = h_dio_write,
	[SIM_P_READ_BLOCK] = h_read_block,
	[SIM_P_WRITE_BLOCK] = h_write_block,
	[SIM_P_USER_STORE] = h_user_store,
	[SIM_P_USER_LOAD] = h_user_load,
};

/* ---- local instructions ------------------------------------------------ */

/* The registers of T's running frame. */
static int16_t *frame_regs(const SimThread *t)
{
	return sim_th_reg(t) + sim_th_frame(t)[t->depth - 1].base;
}

/* A's value in the frame of registers R. */
static int arg_in(const int16_t *r, const SimArg *a)
{
	return a->kind == SIM_ARG_IMM ? a->v : r[a->v];
}

static void set_in(int16_t *r, int reg, int v)
{
	if (reg != SIM_NOREG)
		r[reg] = (int16_t)v;
}

static int arg_value(const SimThread *t, const SimArg *a)
{
	return arg_in(frame_regs(t), a);
}

static void set_reg(SimThread *t, int reg, int v)
{
	set_in(frame_regs(t), reg, v);
}

/* Values print as blocks where the primitive deals in blocks. */
static void fmt_value(GString *s, int v, bool is_block)
{
	if (is_block)
		g_string_append_printf(s, v ? "B%d" : "hole", v);
	else
		g_string_append_printf(s, "%d", v);
}

static bool arg_is_block(int prim, int i)
{
	switch (prim) {
	case SIM_P_SET_PTE: return i == 1;
	case SIM_P_ADD_PAGE: case SIM_P_WRITEBACK_PAGE: case SIM_P_FILL_PAGE:
	case SIM_P_READ_BLOCK: case SIM_P_WRITE_BLOCK:
		return i == 1;
	case SIM_P_ZERO_BLOCK: case SIM_P_FLUSH_CACHE: case SIM_P_DIO_WRITE:
		return i == 0;
	default: return false;
	}
}

static void fmt_prim(Call *c)
{
	GString *s = c->ctx->text;
	const SimPrim *pr = &sim_prims[c->in->sub];
	int i = 0;
	char name[48];

	g_string_append_printf(s, "%s(", pr->name);
	if (pr->argkind == SIM_PA_LOCK) {
		g_string_append(s, c->ctx->prog->model->locks[c->in->lock].name);
		if (c->in->nargs)
			g_string_append(s, ", ");
	}
	for (i = 0; i < c->in->nargs; i++) {
		if (i)
			g_string_append(s, ", ");
		fmt_value(s, c->a[i], arg_is_block(c->in->sub, i));
	}
	g_string_append_c(s, ')');
	if (c->in->sub == SIM_P_GET_BLOCK || c->in->sub == SIM_P_GET_BLOCK_ZERO ||
	    c->in->sub == SIM_P_GET_BLOCK_UNWRITTEN) {
		g_string_append(s, " -> ");
		fmt_value(s, c->r0, true);
		if (c->r1)
			g_string_append(s, " (new)");
	} else if (c->in->sub == SIM_P_OTHER_ALLOC) {
		g_string_append_printf(s, " -> B%d", c->r0);
	} else if (pr->nresults) {
		g_string_append_printf(s, " -> %d", c->r0);
	}
	if (c->in->sub == SIM_P_HASH_LOCK || c->in->sub == SIM_P_HASH_UNLOCK) {
		int st, en;
		int inst = lock_target(c, &st, &en);
		g_string_append_printf(s, " [%s]", sim_lock_name(c->ctx->prog,
					inst, name, sizeof(name)));
	}
	g_string_append_c(s, '\n');
}

static void fmt_call(SimStepCtx *ctx, const SimProc *callee,
		     const SimThread *t, int base)
{
	g_string_append_printf(ctx->text, "%s(", callee->name);
	for (int i = 0; i < callee->nparams; i++)
		g_string_append_printf(ctx->text, "%s%s %d", i ? ", " : "",
				       callee->regnames[i], sim_th_reg(t)[base + i]);
	g_string_append(ctx->text, ") {\n");
}

/* The sets the outermost op of TID accumulates (what it removed,
 * discarded, made old, must flush) start empty and end with it. */
static void op_sets_clear(SimWorld *w, int tid)
{
	memset(sim_inval(w, tid), 0, w->pgset);
	memset(sim_discarded(w, tid), 0, w->pgset);
	memset(sim_dio_old(w, tid), 0, w->pgset);
	memset(sim_fsync_pending(w, tid), 0, w->blkset);
}

bool sim_step_is_fsync(const SimProc *op)
{
	return op->is_fsync;
}

static bool do_call(SimWorld *w, int tid, const SimInsn *in, SimStepCtx *ctx)
{
	SimThread *t = sim_thread(w, tid);
	const SimProgram *p = ctx->prog;
	const SimProc *caller = proc_of(p, t);
	const SimProc *callee = p->procs[in->target];
	int base = sim_th_frame(t)[t->depth - 1].base + caller->nregs;

	/* the shape has room for every call the program can make, unless
	 * it recurses past the ceilings (prog.c) */
	if (t->depth >= t->nframes || base + callee->nregs > t->nregs) {
		ctx->model_error = true;
		if (ctx->msg)
			g_string_append_printf(ctx->msg, "%s:%d:%d: broken "
				"model: T%d: call of %s nests deeper than "
				"SIM_FRAMES_MAX (%d) frames or SIM_REGS_MAX "
				"(%d) registers\n", caller->file, in->line,
				in->col, tid, callee->name, SIM_FRAMES_MAX,
				SIM_REGS_MAX);
		return false;
	}
	for (int i = 0; i < in->nargs; i++)
		sim_th_reg(t)[base + i] = (int16_t)arg_value(t, &in->arg[i]);
	sim_th_frame(t)[t->depth - 1].pc++;
	sim_th_frame(t)[t->depth].proc = in->target;
	sim_th_frame(t)[t->depth].pc = 0;
	sim_th_frame(t)[t->depth].base = (uint8_t)base;
	sim_th_frame(t)[t->depth].ret_reg = in->dst;
	t->depth++;
	if (callee->is_op && t->depth == 2) {
		op_sets_clear(w, tid);
		if (sim_step_is_fsync(callee))
			memcpy(sim_fsync_pending(w, tid), sim_cache_dirty(w),
			       w->blkset);
	}
	if (ctx->text && callee->is_op)
		fmt_call(ctx, callee, t, base);
	return true;
}

static bool do_return(SimWorld *w, int tid, int value, SimStepCtx *ctx)
{
	SimThread *t = sim_thread(w, tid);
	const SimProgram *p = ctx->prog;
	SimFrame *f = &sim_th_frame(t)[t->depth - 1];
	int callee_idx = f->proc;
	const SimProc *callee = p->procs[callee_idx];

	/* Dead registers are cleared so that equal states hash equal. */
	memset(&sim_th_reg(t)[f->base], 0, sizeof(int16_t) * (size_t)callee->nregs);
	int ret_reg = f->ret_reg;
	memset(f, 0, sizeof(*f));
	t->depth--;
	if (t->depth == 0) {
		t->status = SIM_TH_DONE;
		return true;
	}
	set_reg(t, ret_reg, value);
	if (t->depth == 1)
		t->begun = 0;
	if (!callee->is_op)
		return true;
	if (ctx->text)
		g_string_append_printf(ctx->text, "} %s%s%s\n", callee->name,
			value == SIM_SIGBUS ? " = SIGBUS" : "",
			value == SIM_EIO ? " = -EIO" : "");
	if (t->depth != 1)
		return true;
	/* The outermost op returns: its postconditions. */
	if (t->nheld) {
		char name[48];
		ctx->model_error = true;
		if (ctx->msg)
			g_string_append_printf(ctx->msg, "%s:%d:%d: broken "
				"model: T%d: %s returns holding %s\n",
				callee->file, callee->line, callee->col, tid,
				callee->name, sim_lock_name(p, t->held[0],
				name, sizeof(name)));
		return false;
	}
	sim_oracle_op_return(w, tid, callee_idx, ctx);
	ctx->op_done = true;
	op_sets_clear(w, tid);
	return true;
}

/* A local loop that can never reach a primitive: the thread's local
 * state (frames, registers) repeats.  Local instructions are a function
 * of that state alone, and registers are 16 bits, so a local run either
 * reaches a primitive (or the end) or repeats a state; a repeat is found
 * by Brent's cycle detection on the states at backward jumps (a run with
 * none is bounded by the code and call depth).  No fixed budget: a
 * `for i in 0..30000` runs to its end. */
typedef struct {
	union {                 /* the largest thread record */
		SimThread t;
		uint8_t bytes[sizeof(SimThread) +
			      sizeof(SimFrame) * SIM_FRAMES_MAX +
			      sizeof(int16_t) * SIM_REGS_MAX];
	} saved;
	uint32_t power, lam;
} LoopCheck;

static bool local_loop_repeats(LoopCheck *lc, const SimThread *t)
{
	size_t n = sim_th_size(t->nframes, t->nregs);

	if (lc->lam == lc->power) {     /* the tortoise moves here */
		memcpy(&lc->saved, t, n);
		lc->power *= 2;
		lc->lam = 0;
	} else if (memcmp(&lc->saved, t, n) == 0) {
		return true;
	}
	lc->lam++;
	return false;
}

static bool local_error(const SimProgram *p, const SimThread *t, int tid,
			const SimInsn *in, SimStepCtx *ctx, const char *what)
{
	ctx->model_error = true;
	if (ctx->msg)
		g_string_append_printf(ctx->msg, "%s:%d:%d: broken model: "
				       "T%d: %s\n", proc_of(p, t)->file,
				       in->line, in->col, tid, what);
	return false;
}

/* The ALU instruction IN over the frame's registers R; false (a model
 * error) on division by zero. */
static bool local_alu(const SimProgram *p, SimThread *t, int16_t *r, int tid,
		      const SimInsn *in, SimStepCtx *ctx)
{
	int a = arg_in(r, &in->arg[0]);
	int b = in->nargs > 1 ? arg_in(r, &in->arg[1]) : 0;
	int v;

	if (!sim_alu(in->sub, a, b, &v)) {
		char what[64];
		g_snprintf(what, sizeof(what), "%d %c 0: division by zero", a,
			   in->sub == SIM_ALU_DIV ? '/' : '%');
		return local_error(p, t, tid, in, ctx, what);
	}
	set_in(r, in->dst, v);
	return true;
}

/* Run TID's local instructions until it is parked at a primitive or done. */
static bool run_local(SimWorld *w, int tid, SimStepCtx *ctx)
{
	SimThread *t = sim_thread(w, tid);
	const SimProgram *p = ctx->prog;
	LoopCheck lc;   /* saved is read only after the first save */

	lc.power = 1;
	lc.lam = 1;     /* saves first */

	while (t->depth > 0) {
		/* the frame, and so the code and registers, change only at
		 * a CALL or RET */
		SimFrame *f = &sim_th_frame(t)[t->depth - 1];
		const SimInsn *code = p->procs[f->proc]->code;
		int16_t *r = frame_regs(t);
		bool in_frame = true;
		while (in_frame) {
			const SimInsn *in = &code[f->pc];
			switch (in->op) {
			case SIM_I_MOV:
				set_in(r, in->dst, arg_in(r, &in->arg[0]));
				f->pc++;
				break;
			case SIM_I_ALU:
				if (!local_alu(p, t, r, tid, in, ctx))
					return false;
				f->pc++;
				break;
			case SIM_I_JMP:
			case SIM_I_JZ: {
				int from = f->pc;
				if (in->op == SIM_I_JMP || !arg_in(r, &in->arg[0]))
					f->pc = in->target;
				else
					f->pc++;
				if (f->pc <= from && local_loop_repeats(&lc, t))
					return local_error(p, t, tid, in, ctx,
						"loops without a primitive");
				break;
			}
			case SIM_I_CALL:
				if (!do_call(w, tid, in, ctx))
					return false;
				in_frame = false;
				break;
			case SIM_I_RET:
				if (!do_return(w, tid, in->nargs ?
					       arg_in(r, &in->arg[0]) : 0, ctx))
					return false;
				in_frame = false;
				break;
			case SIM_I_PRIM:
				return true;
			default:
				SIM_ASSERT(!"unknown opcode");
			}
		}
	}
	return true;
}

static bool all_quiescent(const SimWorld *w)
{
	for (int t = 0; t < w->nthreads; t++)
		if (sim_oracle_in_op(w, t))
			return false;
	return true;
}

void sim_step(SimWorld *w, int tid, SimStepCtx *ctx)
{
	SimThread *t = sim_thread(w, tid);
	const SimProgram *p = ctx->prog;
	Call c = { .w = w, .ctx = ctx, .tid = tid };

	SIM_ASSERT(t->status == SIM_TH_RUNNABLE && t->depth > 0);
	c.in = cur_insn(p, t);
	SIM_ASSERT(c.in->op == SIM_I_PRIM);
	for (int i = 0; i < c.in->nargs; i++)
		c.a[i] = arg_value(t, &c.in->arg[i]);
	ctx->blocked = false;
	ctx->op_done = false;
	ctx->woken = 0;
	HandlerResult r = prim_handlers[c.in->sub](&c);
	if (ctx->notes)
		ctx->notes->step++;
	if (r == BROKEN)
		return;
	if (r == SLEEP) {
		ctx->blocked = true;
		if (ctx->text) {
			fmt_prim(&c);
			g_string_truncate(ctx->text, ctx->text->len - 1);
			g_string_append(ctx->text, " sleeps\n");
		}
		return;
	}
	if (ctx->text)
		fmt_prim(&c);
	set_reg(t, c.in->dst, c.r0);
	set_reg(t, c.in->dst2, c.r1);
	sim_th_frame(t)[t->depth - 1].pc++;
	if (t->depth > 1)
		t->begun = 1;
	if (!run_local(w, tid, ctx))
		return;
	/* A step from a quiescent world either begins an op (and so leaves
	 * it) or is a whole op: after it the world is new. */
	if (all_quiescent(w))
		sim_oracle_quiescent(w, ctx);
}

SimThreadSet sim_step_runnable(const SimWorld *w)
{
	SimThreadSet m = 0;

	for (int t = 0; t < w->nthreads; t++)
		if (sim_thread(w, t)->status == SIM_TH_RUNNABLE)
			m |= SIM_TSET(t);
	return m;
}

const SimInsn *sim_step_next_insn(const SimWorld *w, const SimProgram *p,
				  int tid)
{
	const SimThread *t = sim_thread(w, tid);

	if (t->depth == 0)
		return NULL;
	return cur_insn(p, t);
}

int sim_step_lock_target(const SimWorld *w, const SimProgram *p, int tid)
{
	const SimThread *t = sim_thread(w, tid);
	const SimInsn *in = cur_insn(p, t);
	SimStepCtx ctx = { .prog = p };
	Call c = { .w = (SimWorld *)w, .ctx = &ctx, .tid = tid, .in = in };
	int start, end;

	for (int i = 0; i < in->nargs; i++)
		c.a[i] = arg_value(t, &in->arg[i]);
	return lock_target(&c, &start, &end);
}

SimWorld *sim_step_world_new(const SimProgram *p)
{
	return sim_world_new(&p->shape);
}

bool sim_step_init(SimWorld *w, const SimProgram *p, SimStepCtx *ctx)
{
	const SimScenario *s = p->scn;
	int nb = 0;

	SIM_ASSERT(w->nthreads == p->shape.threads &&
		   w->nlocks == p->shape.locks);
	sim_world_clear(w);
	sim_core(w)->i_size = (uint16_t)s->i_size;
	for (int pg = 0; pg < w->npages; pg++) {
		if (!s->blocks[pg])
			continue;
		int b = ++nb;
		sim_bmap(w)[pg] = (uint16_t)b;
		sim_block(w, b)->owner_pgoff = (uint16_t)pg;
		sim_block(w, b)->state = SIM_BLK_WRITTEN;
	}
	/* Free blocks, highest id at the bottom: B(nb+1) is allocated first. */
	for (int b = w->nblocks; b > nb; b--)
		sim_free_stack(w)[sim_core(w)->nfree++] = (uint16_t)b;
	for (int t = 0; t < s->nthreads; t++) {
		SimThread *th = sim_thread(w, t);
		th->proc = (uint8_t)s->threads[t].proc;
		th->depth = 1;
		sim_th_frame(th)[0].proc = (uint16_t)(p->body0 + s->threads[t].body);
		sim_th_frame(th)[0].ret_reg = SIM_NOREG;
		if (p->procs[sim_th_frame(th)[0].proc]->nparams)   /* `cpu` */
			sim_th_reg(th)[0] = (int16_t)s->threads[t].arg;
		if (!run_local(w, t, ctx))
			return false;
	}
	return true;
}
