/*
 * hist.h - a log-linear histogram of non-negative integers (latencies in
 * ns), HdrHistogram-style: bounded memory whatever the count, percentiles
 * to a stated relative precision.
 *
 * Values below 2 * SIM_HIST_SUB are counted exactly; above, each power of
 * two [2^k, 2^(k+1)) is cut into SIM_HIST_SUB equal buckets, so a bucket
 * is at most 1/SIM_HIST_SUB of the values it holds wide.  A percentile is
 * reported as the highest value of its bucket: never below the exact
 * nearest-rank percentile, and above it by less than SIM_HIST_PRECISION
 * (1/128, 0.79 %) of it.  The count, sum (so the mean) and maximum are
 * exact.  A histogram is SIM_HIST_BUCKETS counters (59 KiB),
 * allocated once.
 */
#ifndef SIM_HIST_H
#define SIM_HIST_H

#include <stdint.h>

#define SIM_HIST_SUB 128        /* buckets per power of two */
#define SIM_HIST_PRECISION (1.0 / SIM_HIST_SUB)
#define SIM_HIST_BUCKETS (2 * SIM_HIST_SUB + 56 * SIM_HIST_SUB)

typedef struct {
	uint64_t count;
	double sum;
	uint64_t max;
	uint64_t *bucket;       /* SIM_HIST_BUCKETS counters */
} SimHist;

void sim_hist_init(SimHist *h);
void sim_hist_clear(SimHist *h);
void sim_hist_add(SimHist *h, uint64_t v);

/* sim_hist_pct - the nearest-rank P-quantile (0 < P <= 1) to within
 * SIM_HIST_PRECISION above (the exact maximum for P = 1); 0 when empty. */
uint64_t sim_hist_pct(const SimHist *h, double p);

#endif
