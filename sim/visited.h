/*
 * visited.h - the search's set of seen states.
 *
 * An open-addressing hash table (linear probing, power-of-two capacity,
 * grown x2 at 3/4 load) of 64-bit XXH3 fingerprints of a state's bytes.
 * Each state gets a dense id in insertion order, stable across growth, and
 * one byte of caller data (the search keeps its sleep set and an on-stack
 * bit there).
 *
 * Two modes:
 *   fingerprint  only the 64-bit hash is kept: 13 bytes a state at most
 *                load; two states with the same fingerprint are taken as
 *                one (probability at most n^2 / 2^65 over n states);
 *   exact        the whole state is kept as well and compared byte for
 *                byte, so a fingerprint collision is told apart (and
 *                counted).  Records can be read back by id (the
 *                counterexample search uses them as its node store).
 *
 * Memory grows only when a state is added (amortised doubling); lookups of
 * known states never allocate.  Not thread-safe; no globals.
 */
#ifndef SIM_VISITED_H
#define SIM_VISITED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct SimVisited SimVisited;

#define SIM_VISITED_NONE UINT32_MAX

/* sim_visited_new - an empty set of states of SIZE bytes; EXACT keeps
 * whole states.  CAPACITY_HINT presizes for that many states (0: small). */
SimVisited *sim_visited_new(size_t size, bool exact, uint64_t capacity_hint);
void sim_visited_free(SimVisited *v);

/* sim_visited_add - look STATE (SIZE bytes) up and add it if new.
 * Returns its id; *IS_NEW tells which.  A new state's data byte is 0. */
uint32_t sim_visited_add(SimVisited *v, const void *state, bool *is_new);

/* sim_visited_find - the id of STATE, or SIM_VISITED_NONE. */
uint32_t sim_visited_find(const SimVisited *v, const void *state);

/* sim_visited_data - the caller's byte of state ID. */
uint8_t *sim_visited_data(SimVisited *v, uint32_t id);

/* sim_visited_state - the bytes of state ID (exact mode only). */
const void *sim_visited_state(const SimVisited *v, uint32_t id);

/* sim_visited_count - states stored. */
uint64_t sim_visited_count(const SimVisited *v);

/* sim_visited_bytes - heap bytes in use. */uint64_t sim_visited_bytes(const SimVisited *v);

/* sim_visited_bytes_next - the most the heap bytes may reach during the
 * next SIM_VISITED_LOOKAHEAD adds: a growth holds the old arrays and
 * their doubled copies at once.  A memory bound checked against this
 * before adding is never overshot by a growth. */
#define SIM_VISITED_LOOKAHEAD 4     /* states one expansion may add */
uint64_t sim_visited_bytes_next(const SimVisited *v);

/* sim_visited_collisions - distinct states that shared a fingerprint
 * (exact mode; always 0 otherwise). */
uint64_t sim_visited_collisions(const SimVisited *v);

/* sim_visited_hash - the 64-bit fingerprint of SIZE bytes at STATE. */
uint64_t sim_visited_hash(const void *state, size_t size);

#endif
