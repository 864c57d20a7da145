/*
 * dist.h - a simulated time: a constant or a seeded distribution, in ns.
 *
 * What a cost file prices a primitive with (cost.h) and what a workload's
 * think time and background period are (prog.h, SimLoop).  The syntax
 * (`250ns`, `exp(1us)`, `uniform(1us, 2us)`) is read by cost.c for both
 * (sim_dist_parse); a draw takes the caller's SimPrng, so a seed fixes
 * every draw.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <stdint.h>
#include "prng.h"

/* A time: a constant or a seeded distribution (also the workload's think
 * time and background period). */
typedef enum {
	SIM_DIST_CONST,     /* a */
	SIM_DIST_EXP,       /* exponential, mean a */
	SIM_DIST_UNIFORM,   /* uniform in [a, b] */
} SimDistKind;

typedef struct {
	uint8_t kind;       /* SimDistKind */
	uint64_t a, b;      /* ns */
} SimDist;

/* sim_dist_draw - one draw of D, in ns. */
uint64_t sim_dist_draw(const SimDist *d, SimPrng *g);

#endif
