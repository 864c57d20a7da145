/*
 * usl.h - Gunther's Universal Scalability Law, fitted to a throughput
 * sweep.
 *
 *     X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1))
 *
 * N CPUs, X(N) throughput; lambda the throughput of one CPU alone,
 * sigma contention (the share of the work that serialises: a lock held
 * across the op), kappa coherency (the cost of keeping N CPUs' copies of
 * shared data agreed, paid pairwise: a contended lock word's cache line
 * bouncing between them).  sigma = kappa = 0 is linear scaling; sigma = 1
 * is a scheme that runs one op at a time whatever N is.
 *
 * The fit (Gunther, "Guerrilla Capacity Planning", ch. 5): lambda is
 * X(1), and the deviation from linearity
 *
 *     N X(1) / X(N) - 1 = sigma (N - 1) + kappa N (N - 1)
 *
 * is linear in (sigma, kappa), so least squares through the origin
 * solves it in closed form.  Both figures are kept non-negative (a
 * negative one means superlinear data, which USL does not describe): the
 * fit is the best of the unconstrained pair and the two one-parameter
 * fits that stay in the quadrant.  Pure arithmetic, no state.
 */
#ifndef SIM_USL_H
#define SIM_USL_H

#include <stdbool.h>

typedef struct {
	double lambda;          /* X(1): ops per second of one CPU */
	double sigma;           /* contention, >= 0 */
	double kappa;           /* coherency, >= 0 */
	double r2;              /* of the fitted X(N) against the data */
	double peak;            /* N of the highest X: sqrt((1 - sigma) /
				 * kappa); 0 when kappa is 0 (no peak) */
} SimUsl;

/* sim_usl_fit - fit the N points (CPUS[i], X[i]).  FALSE (FIT untouched)
 * unless CPUS holds 1 with X > 0, at least one other count, and every X
 * is positive. */
bool sim_usl_fit(const int *cpus, const double *x, int n, SimUsl *fit);

/* sim_usl_eval - X(N) under FIT. */
double sim_usl_eval(const SimUsl *fit, double n);

#endif
