/*
 * visited.h - the search's set of seen states.
 *
 * An open-addressing hash table (linear probing, power-of-two capacity,
 * grown x2 at 3/4 load) of 16-byte slots, each a 64-bit XXH3 fingerprint
 * and the state's dense id, beside a byte a slot that tells empty slots
 * and 8 bits of the fingerprint: a probe reads the bytes, and a slot only
 * where they match, so a new state's lookup reads no slot.  Each state gets
 * a dense id in insertion order, stable across growth, and one byte of
 * caller data (the search keeps its sleep set and an on-stack bit there).
 * What is kept per id (that byte, exact records) lives in pages of
 * SIM_VISITED_PAGE ids, added one at a time: only the slot table is ever
 * copied to grow, and memory follows the states stored, not a doubled
 * reservation.
 *
 * Two modes:
 *   fingerprint  only the 64-bit hash is kept (17 bytes a slot, 23-45
 *                bytes a state with the load between 3/8 and 3/4); two
 *                states with the same fingerprint are taken as one
 *                (probability at most n^2 / 2^65 over n states);
 *   exact        the whole state is kept and compared, so a fingerprint
 *                collision is told apart (and counted), compressed as
 *                SPIN's -DCOLLAPSE does: the state is cut into
 *                SIM_VISITED_CHUNK-byte pieces, each piece is interned in
 *                a dictionary (a set of this kind, of pieces) and the
 *                record kept is the vector of piece ids.  A search's
 *                states share most pieces (a thread's record, a page
 *                table, a run of idle locks), so a record is 4 bytes a
 *                piece plus the new pieces it brought.  Records can be
 *                read back by id (the counterexample search uses them as
 *                its node store).
 *
 * Lookups of known states never allocate.  Not thread-safe (SimFpSet,
 * below, is); no globals.
 */
#ifndef SIM_VISITED_H
#define SIM_VISITED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct SimVisited SimVisited;

#define SIM_VISITED_NONE UINT32_MAX
#define SIM_VISITED_PAGE 4096u  /* ids a page of per-id storage holds */
#define SIM_VISITED_CHUNK 128u  /* bytes of state per dictionary piece */

/* sim_visited_new - an empty set of states of SIZE bytes; EXACT keeps
 * whole states.  CAPACITY_HINT presizes for that many states (0: small). */
SimVisited *sim_visited_new(size_t size, bool exact, uint64_t capacity_hint);
void sim_visited_free(SimVisited *v);

/* sim_visited_hash - the 64-bit fingerprint of SIZE bytes at STATE
 * (XXH3-64); sim_visited_hash_avx2 (SIM_VISITED_AVX2: x86-64 built by
 * GCC, whose target pragma builds it) the same computed with AVX2, which
 * only a CPU that has it may call. */
uint64_t sim_visited_hash(const void *state, size_t size);
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SIM_VISITED_AVX2 1
uint64_t sim_visited_hash_avx2(const void *state, size_t size);
#endif

/* sim_visited_add - look STATE (SIZE bytes) up and add it if new.
 * Returns its id; *IS_NEW tells which.  A new state's data byte is 0. */
uint32_t sim_visited_add(SimVisited *v, const void *state, bool *is_new);

/* sim_visited_find - the id of STATE, or SIM_VISITED_NONE. */
uint32_t sim_visited_find(SimVisited *v, const void *state);

/* sim_visited_data - the caller's byte of state ID. */
uint8_t *sim_visited_data(SimVisited *v, uint32_t id);

/* sim_visited_state - the bytes of state ID (exact mode only), valid
 * until the next call of this function on V. */
const void *sim_visited_state(SimVisited *v, uint32_t id);

/* sim_visited_count - states stored. */
uint64_t sim_visited_count(const SimVisited *v);

/* sim_visited_bytes - heap bytes in use (the dictionary's included). */
uint64_t sim_visited_bytes(const SimVisited *v);

/* sim_visited_bytes_next - the most the heap bytes may reach during the
 * next SIM_VISITED_LOOKAHEAD adds: a table growth holds the old slots and
 * their doubled copy at once, a page is added whole.  A memory bound
 * checked against this before adding is never overshot. */
#define SIM_VISITED_LOOKAHEAD 4     /* states one expansion may add */
uint64_t sim_visited_bytes_next(const SimVisited *v);

/* sim_visited_collisions - distinct states that shared a fingerprint
 * (exact mode; always 0 otherwise). */
uint64_t sim_visited_collisions(const SimVisited *v);

/* ---- a fingerprint set shared by threads (par.h) ------------------
 *
 * The same open addressing of 64-bit fingerprints (16-byte slots, linear
 * probing, grown x2 past 3/4 load), for several threads adding at once
 * without a lock: a slot is claimed by compare-and-swap of its
 * fingerprint from 0 (empty: a fingerprint 0 is stored as 1, one more
 * collision in 2^64), then its id is taken from a shared counter and
 * published; a thread that finds the fingerprint already there waits for
 * the id.  Each adder takes its ids from a block of its own
 * (SimFpIds, SIM_FPSET_BLOCK ids from the shared counter at a time: the
 * counter's cache line is not fought over on every add, and an adder's
 * states are numbered close together); the ids are in no fixed order,
 * and the blocks' unused tails leave holes the caller closes.
 * Growth is not concurrent: sim_fpset_full() says it is due, and the
 * caller grows with every other adder stopped (par.c parks them).
 * Fingerprints only (--exact searches on one thread). */
typedef struct SimFpSet SimFpSet;

SimFpSet *sim_fpset_new(uint64_t capacity_hint);
void sim_fpset_free(SimFpSet *f);

#define SIM_FPSET_BLOCK 1024u

/* An adder's block of ids: the next one and the end (next == end: none;
 * zero-initialised is empty). */
typedef struct {
	uint32_t next, end;
} SimFpIds;

/* sim_fpset_add - the id of fingerprint H, added if new (*IS_NEW) with
 * an id from IDS; safe against concurrent adds, each with its own IDS.
 * The table must not be more than 3/4 + (adds since sim_fpset_full()
 * turned true) / capacity full. */
uint32_t sim_fpset_add(SimFpSet *f, uint64_t h, SimFpIds *ids,
		       bool *is_new);

/* sim_fpset_prefetch - start loading the slot where H's probe begins,
 * for an add of H soon after. */
void sim_fpset_prefetch(const SimFpSet *f, uint64_t h);

/* sim_fpset_full - whether the load (counted in ids handed out) passed
 * 3/4: grow before the next capacity / 8 adds; sim_fpset_grow - double
 * it, alone. */
bool sim_fpset_full(const SimFpSet *f);
void sim_fpset_grow(SimFpSet *f);

/* sim_fpset_ids - ids handed out in blocks: at least the states stored
 * (the caller counts those). */
uint64_t sim_fpset_ids(const SimFpSet *f);

/* sim_fpset_bytes - heap bytes, and (_next) through the next growth
 * within SIM_FPSET_LOOKAHEAD adds. */
#define SIM_FPSET_LOOKAHEAD 4096
uint64_t sim_fpset_bytes(const SimFpSet *f);
uint64_t sim_fpset_bytes_next(const SimFpSet *f);

#endif
