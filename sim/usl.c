/*
 * usl.c - the Universal Scalability Law fit.  See usl.h.
 */
#include <math.h>
#include "usl.h"

double sim_usl_eval(const SimUsl *fit, double n)
{
	return fit->lambda * n /
	       (1 + fit->sigma * (n - 1) + fit->kappa * n * (n - 1));
}

/* The sums of the normal equations of y = s a + k b through the origin,
 * a = N - 1 and b = N (N - 1). */
typedef struct {
	double aa, ab, bb, ay, by, yy;
} Sums;

/* The residual sum of squares of the line (S, K) on the data. */
static double rss(const Sums *m, double s, double k)
{
	return m->yy - 2 * (s * m->ay + k * m->by) +
	       s * s * m->aa + 2 * s * k * m->ab + k * k * m->bb;
}

/* Least squares with sigma, kappa >= 0: the unconstrained solution when
 * it lies in the quadrant, else the better of the two edges (a
 * one-parameter fit each, clamped at 0).  A convex problem: its optimum
 * is one of these. */
static void solve(const Sums *m, double *sigma, double *kappa)
{
	double det = m->aa * m->bb - m->ab * m->ab;
	double s_only = m->aa > 0 ? fmax(m->ay / m->aa, 0) : 0;
	double k_only = m->bb > 0 ? fmax(m->by / m->bb, 0) : 0;

	if (det > 1e-12 * m->aa * m->bb) {
		double s = (m->ay * m->bb - m->by * m->ab) / det;
		double k = (m->by * m->aa - m->ay * m->ab) / det;
		if (s >= 0 && k >= 0) {
			*sigma = s;
			*kappa = k;
			return;
		}
	}
	bool edge_s = rss(m, s_only, 0) <= rss(m, 0, k_only);
	*sigma = edge_s ? s_only : 0;
	*kappa = edge_s ? 0 : k_only;
}

bool sim_usl_fit(const int *cpus, const double *x, int n, SimUsl *fit)
{
	double x1 = 0, mean = 0, tot = 0, res = 0;
	int others = 0;
	Sums m = { 0 };

	for (int i = 0; i < n; i++) {
		if (!(x[i] > 0) || cpus[i] < 1)
			return false;
		if (cpus[i] == 1)
			x1 = x[i];
		else
			others++;
	}
	if (x1 <= 0 || others == 0)
		return false;
	for (int i = 0; i < n; i++) {
		double N = cpus[i], a = N - 1, b = N * (N - 1);
		double y = N * x1 / x[i] - 1;
		m.aa += a * a;
		m.ab += a * b;
		m.bb += b * b;
		m.ay += a * y;
		m.by += b * y;
		m.yy += y * y;
	}
	SimUsl f = { .lambda = x1 };
	solve(&m, &f.sigma, &f.kappa);
	for (int i = 0; i < n; i++)
		mean += x[i] / n;
	for (int i = 0; i < n; i++) {
		double d = x[i] - sim_usl_eval(&f, cpus[i]);
		res += d * d;
		tot += (x[i] - mean) * (x[i] - mean);
	}
	f.r2 = tot > 0 ? 1 - res / tot : 1;
	f.peak = f.kappa > 0 && f.sigma < 1 ?
		 sqrt((1 - f.sigma) / f.kappa) : 0;
	*fit = f;
	return true;
}
