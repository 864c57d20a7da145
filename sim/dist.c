/*
 * dist.c - draws of the simulated times of dist.h.
 */
#include <math.h>
#include "dist.h"

uint64_t sim_dist_draw(const SimDist *d, SimPrng *g)
{
	switch (d->kind) {
	case SIM_DIST_EXP: {
		/* inverse transform on a uniform in (0, 1], 53 bits */
		double u = (double)((sim_prng_next(g) >> 11) + 1) * 0x1p-53;
		return (uint64_t)llround(-log(u) * (double)d->a);
	}
	case SIM_DIST_UNIFORM:
		return d->a + sim_prng_next(g) % (d->b - d->a + 1);
	default:
		return d->a;
	}
}
