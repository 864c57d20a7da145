/*
 * prng.h - the search's own pseudo-random numbers: xoshiro256** seeded by
 * splitmix64, integers only.
 *
 * The stream is fully specified (the published reference algorithms), so
 * a seed on the command line is a complete description of a random or
 * PCT run on any platform.  No global state: each caller owns a SimPrng.
 */
#ifndef SIM_PRNG_H
#define SIM_PRNG_H

#include <stdint.h>

typedef struct {
	uint64_t s[4];
} SimPrng;

/* sim_prng_seed - the state for SEED (any value, 0 included). */
void sim_prng_seed(SimPrng *g, uint64_t seed);

/* sim_prng_next - the next 64-bit value. */
uint64_t sim_prng_next(SimPrng *g);

/* sim_prng_below - a uniform value in [0, N); N > 0.  Unbiased
 * (rejection sampling). */
uint32_t sim_prng_below(SimPrng *g, uint32_t n);

#endif
