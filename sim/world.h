/*
 * world.h - the simulated machine.
 *
 * One file (inode 0) and "another file" (inode 1, which only ever takes
 * blocks the allocator hands it, so that a freed block can come back to
 * someone else at once).  The machine is a flat struct of small arrays:
 *
 *   inode      i_size in pages; block map pgoff -> block (0 = hole)
 *   blocks     B1..B12: owner, state NEW / ZEROED / WRITTEN / FREE, the
 *              UNWRITTEN extent flag; a LIFO free stack, so the block
 *              freed last is allocated next
 *   mapping    per pgoff: a page-cache page (present, dirty, contents) or
 *              a DAX entry (kind, DIRTY / TOWRITE tags); the entry lock bit
 *              is the SIM_LOCKDECL_ENTRY lock instance of that pgoff
 *   procs      per process: page table pgoff -> zero page / block / page,
 *              writable; mmap_sem is a lock instance
 *   caches     one dirty bit per block's CPU cache lines
 *   threads    call stack (procedure, pc, register base), registers,
 *              runnable / blocked / done
 *   locks      lock instances (lock.h)
 *
 * Layout: everything up to `locks` plus the used lock instances is the
 * state proper, hashed and compared by the search (sim_world_hash_size).
 * What follows (SimNotes) is annotation for messages only: who freed a
 * block, at which step; it never affects a transition.
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
	                              * read from (dio_write); dio_done makes
	                              * it PSTALE */
	SIM_MF_PSTORED  = 1u << 7,   /* a user store or write(2) landed in
	                              * the page since it was last written
	                              * back: what dropping it loses.  A page
	                              * ->page_mkwrite dirtied before the
	                              * store is dirty without it */
};

typedef struct {
	uint8_t owner_ino;      /* 0 = the file, 1 = another file */
	uint8_t owner_pgoff;
	uint8_t state;          /* SimBlockState */
	uint8_t stored;         /* a user store or write completed into it */
	uint8_t unwritten;      /* UNWRITTEN: allocated as an unwritten extent
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
	uint8_t target;
	uint8_t writable;
	uint8_t pad;
} SimPte;

typedef struct {
	uint16_t proc;          /* index into SimProgram.procs */
	uint16_t pc;
	uint8_t base;           /* first register of this frame */
	uint8_t ret_reg;        /* caller's register for the result */
} SimFrame;

typedef struct {
	uint8_t status;         /* SimThreadStatus */
	uint8_t proc;           /* process it runs in */
	uint8_t depth;          /* frames in use; 0 = done */
	uint8_t wait_lock;      /* lock instance waited on when BLOCKED */
	uint8_t nheld;          /* lock instances held, in acquisition order */
	uint8_t held[SIM_HELD_MAX];
	uint8_t granted;        /* a handoff gave it the lock it waits at */
	uint8_t inval;          /* pgoffs the running op removed (bitmask) */
	uint8_t discarded;      /* pgoffs whose dirty page it dropped */
	uint8_t pad;
	uint16_t fsync_pending; /* cache lines dirty when fsync started */
	SimFrame frame[SIM_FRAMES_MAX];
	int16_t reg[SIM_REGS_MAX];
} SimThread;

/* Annotation: not part of the hashed state. */
typedef struct {
	uint32_t step;                          /* steps taken so far */
	uint8_t freed_by[SIM_BLOCKS_MAX + 1];   /* tid + 1, 0 = never */
	uint32_t freed_step[SIM_BLOCKS_MAX + 1];
	uint16_t freed_proc[SIM_BLOCKS_MAX + 1];  /* procedure that freed it */
	uint8_t freed_pgoff[SIM_BLOCKS_MAX + 1];  /* where it was mapped */
	uint8_t zeroed_by[SIM_BLOCKS_MAX + 1];
	uint32_t zeroed_step[SIM_BLOCKS_MAX + 1];
	uint8_t stored_by[SIM_BLOCKS_MAX + 1];
	uint32_t stored_step[SIM_BLOCKS_MAX + 1];
	uint16_t acq_line[SIM_THREADS_MAX][SIM_LOCKS_MAX]; /* where taken: */
	uint16_t acq_proc[SIM_THREADS_MAX][SIM_LOCKS_MAX]; /* line, procedure */
} SimNotes;

typedef struct {
	/* inode 0 */
	uint8_t i_size;
	uint8_t nthreads;
	uint8_t nprocs;
	uint8_t nfree;
	uint8_t bmap[SIM_PAGES_MAX];
	uint8_t mflags[SIM_PAGES_MAX];
	uint8_t entry[SIM_PAGES_MAX];           /* SIM_ENTRY_* */
	uint8_t page_src[SIM_PAGES_MAX];        /* block a page was read from */
	uint8_t free_stack[SIM_BLOCKS_MAX];     /* top is free_stack[nfree-1] */
	SimBlock block[SIM_BLOCKS_MAX + 1];     /* [0] unused: 0 is HOLE */
	uint16_t cache_dirty;                   /* bit b: block b's lines */
	uint8_t pad[2];
	SimPte pte[SIM_PROCS_MAX][SIM_PAGES_MAX];
	SimThread thread[SIM_THREADS_MAX];
	uint8_t nlocks;
	uint8_t pad2[3];
	SimLock lock[SIM_LOCKS_MAX];
	SimNotes notes;
} SimWorld;

/* sim_world_hash_size - bytes of W that are state proper: the prefix up to
 * and including the lock instances in use. */
size_t sim_world_hash_size(const SimWorld *w);

/* sim_world_alloc_block - pop the free stack and give the block to
 * (ino, pgoff) in state NEW, or return 0 when the disk is full. */
int sim_world_alloc_block(SimWorld *w, int ino, int pgoff);

/* sim_world_free_block - return block B to the top of the free stack. */
void sim_world_free_block(SimWorld *w, int b);

/* sim_world_pte_is_stale - whether PTE maps something the file no longer
 * has at PGOFF: a block it does not own there, or an offset at or past
 * i_size. */
bool sim_world_pte_is_stale(const SimWorld *w, const SimPte *pte, int pgoff);

/* sim_world_block_pgoff - the pgoff block B belongs (or, if freed, last
 * belonged) to, for messages. */
int sim_world_block_pgoff(const SimWorld *w, int b);

/* sim_world_check - false (and *what set) if W breaks an invariant. */
bool sim_world_check(const SimWorld *w, const char **what);

#endif
