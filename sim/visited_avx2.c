/*
 * visited_avx2.c - the visited set's fingerprint (XXH3-64) compiled for
 * AVX2, which visited.c calls where the CPU has it.
 *
 * The default build targets every x86-64, where libxxhash's XXH3 takes
 * 16-byte SSE2 lanes; this file alone is compiled for AVX2 (the pragma
 * below, so that no build flag is needed), with XXH3 inlined so that it
 * takes 32-byte lanes.  XXH3 gives the same value whichever lanes it
 * uses, so the fingerprints, and every output, do not depend on the
 * machine.  GCC only (SIM_VISITED_AVX2): clang does not take the
 * pragma, and what it builds (the fuzzers) hashes with libxxhash.
 */
#include <stddef.h>
#include <stdint.h>
#include "visited.h"

#ifdef SIM_VISITED_AVX2
#pragma GCC target("avx2")
#define XXH_INLINE_ALL
#include <xxhash.h>

uint64_t sim_visited_hash_avx2(const void *state, size_t size)
{
	return XXH3_64bits(state, size);
}
#endif
