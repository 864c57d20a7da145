/*
 * bigmem.c - large search tables on huge pages.  See bigmem.h.
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <glib.h>
#include "bigmem.h"

#define HUGE_PAGE SIM_BIGMEM_MIN

/* SIZE rounded up to whole huge pages. */
static size_t span(size_t size)
{
	return (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

void *sim_bigmem_alloc(size_t size)
{
	if (size < SIM_BIGMEM_MIN)
		return g_malloc0(size);
	/* one huge page more, to cut a 2 MB-aligned span out of it */
	size_t len = span(size), over = len + HUGE_PAGE;
	uint8_t *raw = mmap(NULL, over, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		g_error("out of memory: %zu bytes", size);
	uint8_t *p = (uint8_t *)(((uintptr_t)raw + HUGE_PAGE - 1) &
				 ~(uintptr_t)(HUGE_PAGE - 1));
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	if (raw + over > p + len)
		munmap(p + len, (size_t)(raw + over - (p + len)));
	/* advice only: without transparent huge pages this fails, harmless */
	(void)madvise(p, len, MADV_HUGEPAGE);
	return p;
}

void sim_bigmem_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size < SIM_BIGMEM_MIN)
		g_free(p);
	else
		munmap(p, span(size));
}
