/*
 * world.h - the simulated machine.
 *
 * One file (inode 0) and "another file" (inode 1, which only ever takes
 * blocks the allocator hands it, so that a freed block can come back to
 * someone else at once).  The machine is one flat allocation whose sizes
 * come from the scenario and the model (SimShape, computed when they are
 * linked; bounds.h holds only the ceilings):
 *
 *   inode      i_size in pages; block map pgoff -> block (0 = hole)
 *   blocks     B1..Bn: owner, state NEW / ZEROED / WRITTEN / FREE, the
 *              UNWRITTEN extent flag; a LIFO free stack, so the block
 *              freed last is allocated next
 *   mapping    per pgoff: a page-cache page (present, dirty, contents) or
 *              a DAX entry (kind, DIRTY / TOWRITE tags); the entry lock bit
 *              is the SIM_LOCKDECL_ENTRY lock instance of that pgoff
 *   procs      per process: page table pgoff -> zero page / block / page,
 *              writable; mmap_sem is a lock instance
 *   caches     one dirty bit per block's CPU cache lines
 *   threads    call stack (procedure, pc, register base), registers,
 *              runnable / blocked / done; the pages its running op removed
 *              or discarded or whose cached copy its direct write made
 *              old, the blocks its fsync must flush
 *   locks      lock instances (lock.h), each sized by the shape
 *
 * Layout: a small header (SimWorld) holds the offset of every array, set
 * once by sim_world_new; the state proper follows it and is what the
 * search hashes, compares and copies (sim_world_state, _hash_size,
 * _copy).  Code reads as over fixed arrays through the accessors:
 * sim_bmap(w)[p], sim_thread(w, t)->depth, sim_lock(w, i).  Annotations
 * for messages (who freed a block, at which step, where a lock was
 * taken) are not in the world: SimNotes, a separate allocation the step
 * context points to, never affect a transition.
 *
 * Invariants (sim_world_check):
 *   1. a block mapped at pgoff p of inode 0 is owned by (0, p) and not FREE;
 *   2. a FREE block is on the free stack exactly once, and nothing else is;
 *   3. every lock instance passes sim_lock_check;
 *   4. a BLOCKED thread is queued on exactly the lock it waits for;
 *   5. a RUNNABLE thread is parked at a PRIM instruction.
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bounds.h"
#include "lock.h"

typedef enum {
	SIM_BLK_FREE = 0,
	SIM_BLK_NEW,            /* allocated, still holds old contents */
	SIM_BLK_ZEROED,
	SIM_BLK_WRITTEN,        /* holds data stored by a user or write(2) */
} SimBlockState;

typedef enum {
	SIM_PTE_K_NONE = 0,
	SIM_PTE_K_ZERO,         /* the shared zero page, read-only */
	SIM_PTE_K_BLOCK,        /* DAX: maps block `target` */
	SIM_PTE_K_PAGE,         /* page cache page of pgoff `target` */
	SIM_PTE_K_ANON,         /* a private copy (COW): no file data */
} SimPteKind;

typedef enum {
	SIM_TH_RUNNABLE = 0,
	SIM_TH_BLOCKED,
	SIM_TH_DONE,
} SimThreadStatus;

/* Page-cache page and DAX entry flags (SimWorld.mflags). */
enum {
	SIM_MF_PAGE     = 1u << 0,   /* a page-cache page is present */
	SIM_MF_PDIRTY   = 1u << 1,   /* page dirty */
	SIM_MF_PSTALE   = 1u << 2,   /* page filled from a NEW block */
	SIM_MF_PWRITTEN = 1u << 3,   /* page holds user data */
	SIM_MF_DIRTY    = 1u << 4,   /* DAX entry tag DIRTY */
	SIM_MF_TOWRITE  = 1u << 5,   /* DAX entry tag TOWRITE */
	SIM_MF_POLD     = 1u << 6,   /* page older than its block: a direct
	                              * write completed into the block it was
	                              * read from (dio_write); the dio_done of
	                              * a writer that made it so (sim_dio_old)
	                              * makes it PSTALE */
	SIM_MF_PSTORED  = 1u << 7,   /* a user store or write(2) landed in
	                              * the page since it was last written
	                              * back: what dropping it loses.  A page
	                              * ->page_mkwrite dirtied before the
	                              * store is dirty without it */
};

/* Bit fields: four bytes a block (the world is zeroed when made, so the
 * unused bits are 0 and compare equal). */
typedef struct {
	uint16_t owner_pgoff;
	uint8_t owner_ino : 1;  /* 0 = the file, 1 = another file */
	uint8_t state : 2;      /* SimBlockState */
	uint8_t stored : 1;     /* a user store or write completed into it */
	uint8_t unwritten : 1;  /* UNWRITTEN: allocated as an unwritten extent
	                         * and not yet converted (complete_unwritten):
	                         * get_block reports it (buffer_unwritten), the
	                         * filesystem's read(2) returns zeroes, a DAX
	                         * mapping exposes the raw block.  An extent
	                         * flag, not a content state: a block zeroed or
	                         * stored into stays unwritten until converted,
	                         * and every fault that looks it up meanwhile
	                         * zeroes it again (dax_insert_mapping) */
} SimBlock;

typedef struct {
	uint8_t kind;           /* SimPteKind */
	uint8_t writable;
	uint16_t target;        /* block, or pgoff of the page-cache page */
} SimPte;

typedef struct {
	uint16_t proc;          /* index into SimProgram.procs */
	uint16_t pc;
	uint8_t base;           /* first register of this frame */
	uint8_t ret_reg;        /* caller's register for the result */
} SimFrame;

/* A thread's record: this header, then its frames and registers, as
 * many as the shape gives (the deepest call chain the program can take
 * and the registers along it): sim_th_frame(t)[d], sim_th_reg(t)[r].
 * Its page and block sets (what the running op removed, discarded, made
 * old, must flush) sit in per-thread bitsets of the world: sim_inval(),
 * sim_discarded(), sim_dio_old(), sim_fsync_pending(). */
typedef struct {
	uint8_t status;         /* SimThreadStatus */
	uint8_t proc;           /* process it runs in */
	uint8_t depth;          /* frames in use; 0 = done */
	uint8_t nheld;          /* lock instances held, in acquisition order */
	uint8_t granted;        /* a handoff gave it the lock it waits at */
	uint8_t nframes;        /* frames the record holds (the shape's) */
	uint8_t nregs;          /* registers the record holds, all frames */
	uint8_t begun;          /* it has taken a step of the outermost op
				 * it is in (oracle.h: "inside an op") */
	uint16_t wait_lock;     /* lock instance waited on when BLOCKED */
	uint16_t held[SIM_HELD_MAX];
} SimThread;

static inline SimFrame *sim_th_frame(const SimThread *t)
{
	return (SimFrame *)(uintptr_t)(t + 1);
}

static inline int16_t *sim_th_reg(const SimThread *t)
{
	return (int16_t *)(void *)(sim_th_frame(t) + t->nframes);
}

/* sim_th_size - bytes of a thread record with NFRAMES and NREGS. */
static inline size_t sim_th_size(int nframes, int nregs)
{
	return sizeof(SimThread) + sizeof(SimFrame) * (size_t)nframes +
	       sizeof(int16_t) * (size_t)nregs;
}

/* The sizes of one world, computed at load from the scenario and the
 * bound model (sim_program_link) and checked against bounds.h. */
typedef struct {
	uint16_t threads;
	uint16_t procs;
	uint16_t pages;         /* pgoff 0..pages-1 */
	uint16_t blocks;        /* B1..Bblocks */
	uint16_t locks;         /* lock instances */
	uint8_t frames;         /* per thread: deepest call chain */
	uint8_t regs;           /* per thread: registers along it */
	const uint8_t *ranged;  /* [locks]: instance is a range lock, whose
	                         * holds are page sets, not one bit */
} SimShape;

/* The mutable scalars of the state proper. */
typedef struct {
	uint16_t i_size;        /* inode 0's size in pages */
	uint16_t nfree;         /* blocks on the free stack */
} SimCore;

/* The world: one flat allocation of `size` bytes.  This header (offsets
 * of each array, set once from the shape by sim_world_new) is not state;
 * the state proper is the `state_size` bytes at `state`, hashed and
 * compared by the search:
 *
 *   SimCore, bmap[pages], page_src[pages], free_stack[blocks],
 *   pte[procs][pages], block[blocks + 1] ([0] unused: 0 is HOLE),
 *   mflags[pages], entry[pages], cache_dirty (bit b: block b's lines),
 *   per thread: inval, discarded, dio_old (page sets), fsync_pending
 *   (block set), thread[threads], lock instances (each at lock_off[i]).
 *
 * Copies go through sim_world_copy / sim_world_dup (the size is the
 * layout's, never sizeof(SimWorld)). */
typedef struct {
	uint32_t size;          /* bytes of the whole allocation */
	uint32_t state;         /* offset of the state proper */
	uint32_t state_size;
	uint16_t nthreads, nprocs, npages, nblocks, nlocks;
	uint16_t pgset;         /* bytes of a page set */
	uint16_t blkset;        /* bytes of a block set (bit 0 unused) */
	uint16_t thsize;        /* bytes of a thread record */
	uint8_t nframes, nregs; /* a thread record's capacities */
	uint32_t bmap, page_src, free_stack, pte, block, mflags, entry;
	uint32_t cache_dirty, inval, discarded, dio_old, fsync_pending, thread;
	uint32_t lock_off[];    /* [nlocks] */
} SimWorld;

/* Accessors.  They take a const world and return mutable pointers, so
 * that reading and writing code looks alike (sim_bmap(w)[p]); a function
 * given a const world only reads through them. */
#define SIM_W_AT(w, off) ((uint8_t *)(uintptr_t)(w) + (off))

static inline SimCore *sim_core(const SimWorld *w)
{
	return (SimCore *)(void *)SIM_W_AT(w, w->state);
}

static inline uint16_t *sim_bmap(const SimWorld *w)
{
	return (uint16_t *)(void *)SIM_W_AT(w, w->bmap);
}

/* block a page was read from */
static inline uint16_t *sim_page_src(const SimWorld *w)
{
	return (uint16_t *)(void *)SIM_W_AT(w, w->page_src);
}

/* top is free_stack[nfree - 1] */
static inline uint16_t *sim_free_stack(const SimWorld *w)
{
	return (uint16_t *)(void *)SIM_W_AT(w, w->free_stack);
}

static inline SimPte *sim_pte(const SimWorld *w, int proc, int pgoff)
{
	return (SimPte *)(void *)SIM_W_AT(w, w->pte) +
	       proc * w->npages + pgoff;
}

static inline SimBlock *sim_block(const SimWorld *w, int b)
{
	return (SimBlock *)(void *)SIM_W_AT(w, w->block) + b;
}

static inline uint8_t *sim_mflags(const SimWorld *w)
{
	return SIM_W_AT(w, w->mflags);
}

/* SIM_ENTRY_* */
static inline uint8_t *sim_entry(const SimWorld *w)
{
	return SIM_W_AT(w, w->entry);
}

static inline uint8_t *sim_cache_dirty(const SimWorld *w)
{
	return SIM_W_AT(w, w->cache_dirty);
}

/* pgoffs the running op of TID removed */
static inline uint8_t *sim_inval(const SimWorld *w, int tid)
{
	return SIM_W_AT(w, w->inval) + tid * w->pgset;
}

/* pgoffs whose dirty page TID dropped */
static inline uint8_t *sim_discarded(const SimWorld *w, int tid)
{
	return SIM_W_AT(w, w->discarded) + tid * w->pgset;
}

/* pgoffs whose cached page TID's running direct write made older than
 * its block (dio_write sets the page's POLD and this bit); its dio_done
 * makes those pages stale.  A bit goes when the page stops being that
 * old copy (refilled, written, written back, dropped: step.c
 * page_not_old), so another writer's POLD on a later copy is not TID's.
 * Written only where the page's flags are (por.c counts it in the
 * page's K_PCACHE class). */
static inline uint8_t *sim_dio_old(const SimWorld *w, int tid)
{
	return SIM_W_AT(w, w->dio_old) + tid * w->pgset;
}

/* blocks whose cache lines were dirty when TID's fsync started */
static inline uint8_t *sim_fsync_pending(const SimWorld *w, int tid)
{
	return SIM_W_AT(w, w->fsync_pending) + tid * w->blkset;
}

static inline SimThread *sim_thread(const SimWorld *w, int tid)
{
	return (SimThread *)(void *)(SIM_W_AT(w, w->thread) +
				     (size_t)tid * w->thsize);
}

static inline SimLock *sim_lock(const SimWorld *w, int inst)
{
	return (SimLock *)(void *)SIM_W_AT(w, w->lock_off[inst]);
}

/* sim_world_new - a zeroed world of SHAPE (no thread runs, every block
 * free but not on the free stack: sim_step_init fills it).  Freed with
 * g_free. */
SimWorld *sim_world_new(const SimShape *shape);

/* sim_world_clear - W's state zeroed: every thread record empty (with
 * its capacities), every block free, nothing on the free stack. */
void sim_world_clear(SimWorld *w);

/* sim_world_dup - a new world equal to W; sim_world_copy - DST (of the
 * same layout) becomes equal to SRC. */
SimWorld *sim_world_dup(const SimWorld *w);
void sim_world_copy(SimWorld *dst, const SimWorld *src);

/* sim_world_state - the state proper, sim_world_hash_size() bytes. */
static inline const uint8_t *sim_world_state(const SimWorld *w)
{
	return SIM_W_AT(w, w->state);
}

/* sim_world_hash_size - bytes of the state proper. */
size_t sim_world_hash_size(const SimWorld *w);

/* sim_world_equal - whether A and B (same layout) hold the same state. */
bool sim_world_equal(const SimWorld *a, const SimWorld *b);

/* sim_world_alloc_block - pop the free stack and give the block to
 * (ino, pgoff) in state NEW, or return 0 when the disk is full. */
int sim_world_alloc_block(SimWorld *w, int ino, int pgoff);

/* sim_world_free_block - return block B to the top of the free stack;
 * its cache lines are clean and no running fsync owes it any more. */
void sim_world_free_block(SimWorld *w, int b);

/* sim_world_pte_is_stale - whether PTE maps something the file no longer
 * has at PGOFF: a block it does not own there, or an offset at or past
 * i_size. */
bool sim_world_pte_is_stale(const SimWorld *w, const SimPte *pte, int pgoff);

/* sim_world_check - false (and *what set) if W breaks an invariant. */
bool sim_world_check(const SimWorld *w, const char **what);

/* Annotation, not state: who freed, zeroed or stored into each block and
 * at which step, where each held lock was taken.  One flat allocation
 * beside the world (SimStepCtx.notes), so the search can hash and copy
 * the state without it; never affects a transition. */
typedef struct {
	uint8_t freed_by;       /* tid + 1, 0 = never */
	uint8_t zeroed_by;
	uint8_t stored_by;
	uint8_t pad;
	uint16_t freed_proc;    /* procedure that freed it */
	uint16_t freed_pgoff;   /* where it was mapped */
	uint32_t freed_step;
	uint32_t zeroed_step;
	uint32_t stored_step;
} SimBlockNote;

typedef struct {
	uint16_t line;          /* where a lock was taken: line, procedure */
	uint16_t proc;
} SimSite;

typedef struct {
	uint32_t size;          /* bytes of the whole allocation */
	uint32_t step;          /* steps taken so far */
	uint16_t nlocks;
	uint16_t pad;
	uint32_t acq;           /* offset of SimSite acq[threads][locks] */
	SimBlockNote block[];   /* [blocks + 1] */
} SimNotes;

SimNotes *sim_notes_new(const SimWorld *w);
void sim_notes_copy(SimNotes *dst, const SimNotes *src);

static inline SimSite *sim_notes_acq(const SimNotes *n, int tid, int inst)
{
	return (SimSite *)(void *)SIM_W_AT(n, n->acq) + tid * n->nlocks + inst;
}

/* sim_world_block_pgoff - the pgoff block B belongs (or, if freed, last
 * belonged, when NOTES say) to, for messages. */
int sim_world_block_pgoff(const SimWorld *w, const SimNotes *notes, int b);

#endif
