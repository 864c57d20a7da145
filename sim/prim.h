/*
 * prim.h - the primitives: atomic steps on the simulated machine.
 *
 * A model is written in terms of these.  Each primitive is one scheduling
 * point: another thread may run between any two of them, never inside one.
 * Everything else a model writes (arithmetic on locals, branches, calls,
 * returns) touches only the thread's own registers and runs without a
 * scheduling point before the next primitive.
 *
 * The table sim_prims[] (prim.c) is the single source of truth for a
 * primitive's name, arity and results; the parser, the stepper and the
 * trace read it.  The semantics of each primitive are in step.c, in the
 * handler table of the same order, and documented in README.md
 * ("Primitives"); what each touches, for partial-order reduction, is
 * por.c's prim_fp(), written from those handlers.
 *
 * Checklist when adding a primitive: enum here, row in sim_prims[], handler
 * in step.c, its footprint in por.c's prim_fp() (the compiler names a
 * missing case), its Promela in promela.c's emitters[] (export refuses a
 * primitive without one), a test in tests/check_prog.c, a line in
 * README.md.
 */
#ifndef SIM_PRIM_H
#define SIM_PRIM_H

#include <stdint.h>

typedef enum {
	/* locks: the first argument names a lock class (or, for the page,
	 * entry and hashed classes, an index follows) */
	SIM_P_MUTEX_LOCK,       /* mutex_lock(L) */
	SIM_P_MUTEX_UNLOCK,     /* mutex_unlock(L) */
	SIM_P_DOWN_READ,        /* down_read(L) */
	SIM_P_DOWN_WRITE,       /* down_write(L) */
	SIM_P_UP_READ,          /* up_read(L) */
	SIM_P_UP_WRITE,         /* up_write(L) */
	SIM_P_DOWNGRADE_WRITE,  /* downgrade_write(L): write hold -> read */
	SIM_P_LOCK_PAGE,        /* lock_page(pgoff) */
	SIM_P_UNLOCK_PAGE,      /* unlock_page(pgoff) */
	SIM_P_HASH_LOCK,        /* hash_lock(L, pgoff): mutex hash_fn(pgoff) */
	SIM_P_HASH_UNLOCK,      /* hash_unlock(L, pgoff) */
	SIM_P_RANGE_LOCK,       /* range_lock(L, start, end): write mode */
	SIM_P_RANGE_LOCK_READ,  /* range_lock_read(L, start, end) */
	SIM_P_RANGE_UNLOCK,     /* range_unlock(L, start, end) */
	SIM_P_GRAB_ENTRY,       /* e = grab_entry(pgoff): lock the DAX entry */
	SIM_P_UNLOCK_ENTRY,     /* unlock_entry(pgoff): clear bit, wake one */
	SIM_P_UNLOCK_ENTRY_ALL, /* unlock_entry_all(pgoff): clear bit, wake all */
	SIM_P_WAIT_ENTRY,       /* e = wait_entry(pgoff): sleep while locked,
				 * then look it up without locking it */
	SIM_P_GRAB_ENTRY_PAGE,  /* e = grab_entry_page(pgoff): as grab_entry,
				 * but a page-cache page in the slot is
				 * returned as ENTRY_PAGE, nothing locked */
	SIM_P_WAIT_DELETE_ENTRY, /* e = wait_delete_entry(pgoff): sleep while
				 * locked, then delete it in the same step
				 * (dax_delete_mapping_entry), wake all */

	/* inode and block map */
	SIM_P_I_SIZE_READ,      /* n = i_size_read() */
	SIM_P_I_SIZE_WRITE,     /* i_size_write(n) */
	SIM_P_GET_BLOCK,        /* b, new = get_block(pgoff, create) */
	SIM_P_GET_BLOCK_ZERO,   /* b, new = get_block_zeroed(pgoff, create) */
	SIM_P_GET_BLOCK_UNWRITTEN, /* b, new = get_block_unwritten(pgoff,
				 * create): allocate an unwritten extent */
	SIM_P_CONVERT_UNWRITTEN, /* convert_unwritten(pgoff): complete_unwritten */
	SIM_P_ZERO_BLOCK,       /* zero_block(b) */
	SIM_P_FREE_BLOCKS,      /* free_blocks(start, end) */
	SIM_P_SHIFT_BLOCKS,     /* shift_blocks(start, end): collapse */
	SIM_P_OTHER_ALLOC,      /* b = other_alloc(): another file takes a block */

	/* page tables (all processes unless noted) */
	SIM_P_PTE_LOOKUP,       /* s = pte_lookup(pgoff): this process */
	SIM_P_SET_PTE,          /* r = set_pte(pgoff, b, writable) */
	SIM_P_SET_PTE_ZERO,     /* r = set_pte_zero(pgoff) */
	SIM_P_SET_PTE_PAGE,     /* r = set_pte_page(pgoff, writable) */
	SIM_P_SET_PTE_ANON,     /* r = set_pte_anon(pgoff): a private copy */
	SIM_P_PTE_MKWRITE,      /* pte_mkwrite(pgoff): this process */
	SIM_P_PTE_BLOCK,        /* b = pte_block(pgoff): this process's PTE
				 * target block (0: none / not a block) */
	SIM_P_ZAP_PTES,         /* zap_ptes(start, end) */
	SIM_P_WRPROTECT,        /* wrprotect(pgoff): pfn_mkclean */
	SIM_P_PAGE_MAPPED,      /* m = page_mapped(pgoff): some process maps
				 * the page-cache page of pgoff */

	/* page cache */
	SIM_P_FIND_PAGE,        /* p = find_page(pgoff) */
	SIM_P_ADD_PAGE,         /* r = add_page(pgoff, b): read b (or zeroes) */
	SIM_P_DELETE_PAGES,     /* delete_pages(start, end) */
	SIM_P_SET_PAGE_DIRTY,   /* set_page_dirty(pgoff) */
	SIM_P_WRITEBACK_PAGE,   /* writeback_page(pgoff, b): copy to b, clean */
	SIM_P_READ_PAGE,        /* r = read_page(pgoff): copy_to_user from the
				 * page (-EIO if none) */
	SIM_P_FILL_PAGE,        /* r = fill_page(pgoff, b): ->readpage I/O
				 * completes: the (locked, inserted) page
				 * gets b's contents (zeroes for a hole);
				 * -EIO if no page */
	SIM_P_INVALIDATE_PAGE,  /* r = invalidate_page(pgoff): caller holds
				 * the page lock; drop a clean page, -EBUSY
				 * for a dirty one (invalidate_complete_page2) */
	SIM_P_DIO_DONE,         /* dio_done(start, end): a direct write is
				 * reported complete: a page in the range
				 * older than its block (POLD) is stale */
	SIM_P_WRITE_PAGE,       /* r = write_page(pgoff): copy_from_user into
				 * the page, dirty it (-EIO if none) */

	/* DAX radix-tree entries */
	SIM_P_GET_ENTRY,        /* e = get_entry(pgoff): unlocked lookup */
	SIM_P_SET_ENTRY,        /* set_entry(pgoff, kind) */
	SIM_P_DELETE_ENTRIES,   /* delete_entries(start, end): wakes all */
	SIM_P_TAG_DIRTY,        /* tag_dirty(pgoff) */
	SIM_P_TAG_TOWRITE,      /* tag_towrite(start, end): DIRTY -> TOWRITE */
	SIM_P_TEST_TOWRITE,     /* t = test_towrite(pgoff) */
	SIM_P_CLEAR_TAGS,       /* clear_tags(pgoff) */

	/* CPU caches and I/O */
	SIM_P_FLUSH_CACHE,      /* flush_cache(b) */
	SIM_P_DIO_WRITE,        /* dio_write(b): bio completes into b */
	SIM_P_READ_BLOCK,       /* read_block(pgoff, b): read(2) copies b
				 * (zeroes for a hole) to the user */
	SIM_P_WRITE_BLOCK,      /* write_block(pgoff, b): write(2) copies
				 * user data into b (DAX, non-temporal) */

	/* user-space accesses through the page table (this process) */
	SIM_P_USER_STORE,       /* r = user_store(pgoff) */
	SIM_P_USER_LOAD,        /* r = user_load(pgoff) */

	SIM_P_COUNT
} SimPrimId;

/* What a primitive's first argument is. */
typedef enum {
	SIM_PA_VALUE,           /* all arguments are expressions */
	SIM_PA_LOCK,            /* first argument names a lock class */
} SimPrimArgKind;

typedef struct {
	const char *name;
	uint8_t nargs;          /* arguments, counting a lock-class argument */
	uint8_t nresults;       /* 0, 1 or 2 */
	uint8_t argkind;        /* SimPrimArgKind */
	uint8_t lockkind;       /* for SIM_PA_LOCK: required SimLockKind */
} SimPrim;

extern const SimPrim sim_prims[SIM_P_COUNT];

/* sim_prim_lookup - primitive id for NAME, or -1. */
int sim_prim_lookup(const char *name);

#endif
