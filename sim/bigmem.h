/*
 * bigmem.h - large search tables on huge pages.
 *
 * The state sets' slot tables (visited.h: SimVisited, SimFpSet) are
 * probed at random: past a few MB every probe misses the TLB as well as
 * the cache, and on a virtual machine a TLB miss walks two page tables.
 * Tables of SIM_BIGMEM_MIN bytes or more are mapped 2 MB-aligned and
 * marked MADV_HUGEPAGE, so that with transparent huge pages in "madvise"
 * or "always" mode one TLB entry covers 2 MB (and one page fault fills
 * it); where the kernel gives none the mapping is an ordinary one.
 * Smaller blocks come from g_malloc.  The memory is zeroed (the
 * mapping's, or g_malloc0's).  Not a pool: each block is its own
 * mapping, returned to the kernel when freed.
 */
#ifndef SIM_BIGMEM_H
#define SIM_BIGMEM_H

#include <stddef.h>

#define SIM_BIGMEM_MIN ((size_t)2 << 20)

/* sim_bigmem_alloc - SIZE zeroed bytes, aborting when out of memory as
 * g_malloc does; sim_bigmem_free - P (NULL: nothing) of that SIZE. */
void *sim_bigmem_alloc(size_t size);
void sim_bigmem_free(void *p, size_t size);

#endif
