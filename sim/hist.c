/*
 * hist.c - the log-linear histogram (hist.h).
 *
 * Index of V: V itself below 2 * SUB; else with K the position of V's top
 * bit, SUB * (K - 7) + (V >> (K - 7)), the second term in [SUB, 2 SUB):
 * the groups follow each other without a gap.
 */
#include <glib.h>
#include "hist.h"

#define SUB_BITS 7              /* log2(SIM_HIST_SUB) */

static int index_of(uint64_t v)
{
	if (v < 2 * SIM_HIST_SUB)
		return (int)v;
	int shift = 63 - __builtin_clzll(v) - SUB_BITS;
	return SIM_HIST_SUB * shift + (int)(v >> shift);
}

/* The highest value with bucket I. */
static uint64_t highest_of(int i)
{
	if (i < 2 * SIM_HIST_SUB)
		return (uint64_t)i;
	int shift = i / SIM_HIST_SUB - 1;
	uint64_t low = (uint64_t)(i - SIM_HIST_SUB * shift) << shift;
	return low + ((uint64_t)1 << shift) - 1;
}

void sim_hist_init(SimHist *h)
{
	*h = (SimHist){ .bucket = g_new0(uint64_t, SIM_HIST_BUCKETS) };
}

void sim_hist_clear(SimHist *h)
{
	g_free(h->bucket);
	*h = (SimHist){ 0 };
}

void sim_hist_add(SimHist *h, uint64_t v)
{
	h->bucket[index_of(v)]++;
	h->count++;
	h->sum += (double)v;
	h->max = MAX(h->max, v);
}

uint64_t sim_hist_pct(const SimHist *h, double p)
{
	uint64_t rank = (uint64_t)(p * (double)h->count + 0.999999999), seen = 0;

	rank = MAX(rank, 1);
	for (int i = 0; i < SIM_HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			return MIN(highest_of(i), h->max);
	}
	return h->max;
}
