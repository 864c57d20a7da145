/*
 * prim.c - the primitive table.  See prim.h; semantics live in step.c.
 */
#include <string.h>
#include "prim.h"
#include "lock.h"

#define LOCKP(nm, n, res, k) \
	{ .name = (nm), .nargs = (n), .nresults = (res), .argkind = SIM_PA_LOCK, \
	  .lockkind = (k) }
#define VALP(nm, n, res) \
	{ .name = (nm), .nargs = (n), .nresults = (res), .argkind = SIM_PA_VALUE }


const SimPrim sim_prims[SIM_P_COUNT] = {
	[SIM_P_MUTEX_LOCK] = LOCKP("mutex_lock", 1, 0, SIM_LK_MUTEX),
	[SIM_P_MUTEX_UNLOCK] = LOCKP("mutex_unlock", 1, 0, SIM_LK_MUTEX),
	[SIM_P_DOWN_READ] = LOCKP("down_read", 1, 0, SIM_LK_RWSEM),
	[SIM_P_DOWN_WRITE] = LOCKP("down_write", 1, 0, SIM_LK_RWSEM),
	[SIM_P_UP_READ] = LOCKP("up_read", 1, 0, SIM_LK_RWSEM),
	[SIM_P_UP_WRITE] = LOCKP("up_write", 1, 0, SIM_LK_RWSEM),
	[SIM_P_DOWNGRADE_WRITE] = LOCKP("downgrade_write", 1, 0, SIM_LK_RWSEM),
	[SIM_P_LOCK_PAGE] = VALP("lock_page", 1, 0),
	[SIM_P_UNLOCK_PAGE] = VALP("unlock_page", 1, 0),
	[SIM_P_HASH_LOCK] = LOCKP("hash_lock", 2, 0, SIM_LK_HASHED),
	[SIM_P_HASH_UNLOCK] = LOCKP("hash_unlock", 2, 0, SIM_LK_HASHED),
	[SIM_P_RANGE_LOCK] = LOCKP("range_lock", 3, 0, SIM_LK_RANGE),
	[SIM_P_RANGE_LOCK_READ] = LOCKP("range_lock_read", 3, 0, SIM_LK_RANGE),
	[SIM_P_RANGE_UNLOCK] = LOCKP("range_unlock", 3, 0, SIM_LK_RANGE),
	[SIM_P_GRAB_ENTRY] = VALP("grab_entry", 1, 1),
	[SIM_P_UNLOCK_ENTRY] = VALP("unlock_entry", 1, 0),
	[SIM_P_UNLOCK_ENTRY_ALL] = VALP("unlock_entry_all", 1, 0),

	[SIM_P_WAIT_ENTRY] = VALP("wait_entry", 1, 1),
	[SIM_P_GRAB_ENTRY_PAGE] = VALP("grab_entry_page", 1, 1),
	[SIM_P_WAIT_DELETE_ENTRY] = VALP("wait_delete_entry", 1, 1),
	[SIM_P_I_SIZE_READ] = VALP("i_size_read", 0, 1),
	[SIM_P_I_SIZE_WRITE] = VALP("i_size_write", 1, 0),
	[SIM_P_GET_BLOCK] = VALP("get_block", 2, 2),
	[SIM_P_GET_BLOCK_ZERO] = VALP("get_block_zeroed", 2, 2),
	[SIM_P_GET_BLOCK_UNWRITTEN] = VALP("get_block_unwritten", 2, 2),
	[SIM_P_CONVERT_UNWRITTEN] = VALP("convert_unwritten", 1, 0),
	[SIM_P_ZERO_BLOCK] = VALP("zero_block", 1, 0),
	[SIM_P_FREE_BLOCKS] = VALP("free_blocks", 2, 0),
	[SIM_P_SHIFT_BLOCKS] = VALP("shift_blocks", 2, 0),
	[SIM_P_OTHER_ALLOC] = VALP("other_alloc", 0, 1),

	[SIM_P_PTE_LOOKUP] = VALP("pte_lookup", 1, 1),
	[SIM_P_SET_PTE] = VALP("set_pte", 3, 1),
	[SIM_P_SET_PTE_ZERO] = VALP("set_pte_zero", 1, 1),
	[SIM_P_SET_PTE_PAGE] = VALP("set_pte_page", 2, 1),
	[SIM_P_SET_PTE_ANON] = VALP("set_pte_anon", 1, 1),
	[SIM_P_PTE_MKWRITE] = VALP("pte_mkwrite", 1, 0),
	[SIM_P_PTE_BLOCK] = VALP("pte_block", 1, 1),
	[SIM_P_ZAP_PTES] = VALP("zap_ptes", 2, 0),
	[SIM_P_WRPROTECT] = VALP("wrprotect", 1, 0),
	[SIM_P_PAGE_MAPPED] = VALP("page_mapped", 1, 1),

	[SIM_P_FIND_PAGE] = VALP("find_page", 1, 1),
	[SIM_P_ADD_PAGE] = VALP("add_page", 2, 1),
	[SIM_P_DELETE_PAGES] = VALP("delete_pages", 2, 0),
	[SIM_P_SET_PAGE_DIRTY] = VALP("set_page_dirty", 1, 0),
	[SIM_P_WRITEBACK_PAGE] = VALP("writeback_page", 2, 0),

	[SIM_P_READ_PAGE] = VALP("read_page", 1, 1),
	[SIM_P_FILL_PAGE] = VALP("fill_page", 2, 1),
	[SIM_P_INVALIDATE_PAGE] = VALP("invalidate_page", 1, 1),
	[SIM_P_DIO_DONE] = VALP("dio_done", 2, 0),
	[SIM_P_WRITE_PAGE] = VALP("write_page", 1, 1),
	[SIM_P_GET_ENTRY] = VALP("get_entry", 1, 1),
	[SIM_P_SET_ENTRY] = VALP("set_entry", 2, 0),
	[SIM_P_DELETE_ENTRIES] = VALP("delete_entries", 2, 0),
	[SIM_P_TAG_DIRTY] = VALP("tag_dirty", 1, 0),
	[SIM_P_TAG_TOWRITE] = VALP("tag_towrite", 2, 0),
	[SIM_P_TEST_TOWRITE] = VALP("test_towrite", 1, 1),
	[SIM_P_CLEAR_TAGS] = VALP("clear_tags", 1, 0),

	[SIM_P_FLUSH_CACHE] = VALP("flush_cache", 1, 0),
	[SIM_P_DIO_WRITE] = VALP("dio_write", 1, 0),

	[SIM_P_READ_BLOCK] = VALP("read_block", 2, 0),
	[SIM_P_WRITE_BLOCK] = VALP("write_block", 2, 0),
	[SIM_P_USER_STORE] = VALP("user_store", 1, 1),
	[SIM_P_USER_LOAD] = VALP("user_load", 1, 1),
};

int sim_prim_lookup(const char *name)
{
	for (int i = 0; i < SIM_P_COUNT; i++)
		if (strcmp(sim_prims[i].name, name) == 0)
			return i;
	return -1;
}
