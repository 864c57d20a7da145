/*
 * visited.c - open-addressing state set.  See visited.h.
 *
 * slots[i] holds a fingerprint, ids[i] the state's dense id
 * (SIM_VISITED_NONE marks an empty slot, so fingerprint 0 is legal).
 * Dense arrays, indexed by id: data[] (caller byte) and, exact mode,
 * records[] (the states).
 */
#include <string.h>
#include <glib.h>
#include <xxhash.h>
#include "visited.h"

struct SimVisited {
	size_t size;            /* bytes per state */
	bool exact;
	uint64_t mask;          /* capacity - 1 */
	uint64_t *slots;
	uint32_t *ids;
	uint32_t count;
	uint32_t dense_cap;
	uint8_t *data;
	uint8_t *records;       /* exact: dense_cap * size */
	uint64_t collisions;
};

uint64_t sim_visited_hash(const void *state, size_t size)
{
	return XXH3_64bits(state, size);
}

static void alloc_table(SimVisited *v, uint64_t cap)
{
	v->mask = cap - 1;
	v->slots = g_new(uint64_t, cap);
	v->ids = g_new(uint32_t, cap);
	memset(v->ids, 0xff, sizeof(uint32_t) * cap);
}

SimVisited *sim_visited_new(size_t size, bool exact, uint64_t capacity_hint)
{
	SimVisited *v = g_new0(SimVisited, 1);
	uint64_t cap = 1024;

	while (cap / 4 * 3 < capacity_hint && cap < (1ull << 40))
		cap *= 2;
	v->size = size;
	v->exact = exact;
	alloc_table(v, cap);
	v->dense_cap = 1024;
	v->data = g_new0(uint8_t, v->dense_cap);
	if (exact)
		v->records = g_malloc((size_t)v->dense_cap * size);
	return v;
}

void sim_visited_free(SimVisited *v)
{
	if (!v)
		return;
	g_free(v->slots);
	g_free(v->ids);
	g_free(v->data);
	g_free(v->records);
	g_free(v);
}

static void grow_table(SimVisited *v)
{
	uint64_t old_cap = v->mask + 1;
	uint64_t *slots = v->slots;
	uint32_t *ids = v->ids;

	alloc_table(v, old_cap * 2);
	for (uint64_t i = 0; i < old_cap; i++) {
		if (ids[i] == SIM_VISITED_NONE)
			continue;
		uint64_t j = slots[i] & v->mask;
		while (v->ids[j] != SIM_VISITED_NONE)
			j = (j + 1) & v->mask;
		v->slots[j] = slots[i];
		v->ids[j] = ids[i];
	}
	g_free(slots);
	g_free(ids);
}

static void grow_dense(SimVisited *v)
{
	uint32_t cap = v->dense_cap * 2;

	v->data = g_realloc(v->data, cap);
	memset(v->data + v->dense_cap, 0, cap - v->dense_cap);
	if (v->exact)
		v->records = g_realloc(v->records, (size_t)cap * v->size);
	v->dense_cap = cap;
}

/* The slot holding STATE, or the empty slot where it would go. */
static uint64_t probe(const SimVisited *v, const void *state, uint64_t h,
		      uint64_t *collisions)
{
	uint64_t j = h & v->mask;

	for (;; j = (j + 1) & v->mask) {
		uint32_t id = v->ids[j];
		if (id == SIM_VISITED_NONE)
			return j;
		if (v->slots[j] != h)
			continue;
		if (!v->exact || memcmp(v->records + (size_t)id * v->size,
					state, v->size) == 0)
			return j;
		(*collisions)++;
	}
}

uint32_t sim_visited_add(SimVisited *v, const void *state, bool *is_new)
{
	uint64_t h = sim_visited_hash(state, v->size);
	uint64_t coll = 0;
	uint64_t j = probe(v, state, h, &coll);

	*is_new = v->ids[j] == SIM_VISITED_NONE;
	if (!*is_new)
		return v->ids[j];
	g_assert(v->count < SIM_VISITED_NONE - 1);
	v->collisions += coll ? 1 : 0;
	if (v->count == v->dense_cap)
		grow_dense(v);
	uint32_t id = v->count++;
	if (v->exact)
		memcpy(v->records + (size_t)id * v->size, state, v->size);
	v->slots[j] = h;
	v->ids[j] = id;
	if ((uint64_t)v->count * 4 > (v->mask + 1) * 3)
		grow_table(v);
	return id;
}

uint32_t sim_visited_find(const SimVisited *v, const void *state)
{
	uint64_t coll = 0;
	uint64_t j = probe(v, state, sim_visited_hash(state, v->size), &coll);

	return v->ids[j];
}

uint8_t *sim_visited_data(SimVisited *v, uint32_t id)
{
	return &v->data[id];
}

const void *sim_visited_state(const SimVisited *v, uint32_t id)
{
	g_assert(v->exact && id < v->count);
	return v->records + (size_t)id * v->size;
}

uint64_t sim_visited_count(const SimVisited *v)
{
	return v->count;
}

uint64_t sim_visited_bytes(const SimVisited *v)
{
	uint64_t cap = v->mask + 1;

	return cap * (sizeof(uint64_t) + sizeof(uint32_t)) + v->dense_cap +
	       (v->exact ? (uint64_t)v->dense_cap * v->size : 0);
}

uint64_t sim_visited_bytes_next(const SimVisited *v)
{
	uint64_t cap = v->mask + 1;
	uint64_t per_dense = 1 + (v->exact ? v->size : 0);
	uint64_t next = (uint64_t)v->count + SIM_VISITED_LOOKAHEAD;
	uint64_t bytes = sim_visited_bytes(v);

	/* a growth holds the old arrays and their doubled copies at once */
	if (next * 4 > cap * 3)
		bytes += 2 * cap * (sizeof(uint64_t) + sizeof(uint32_t));
	if (next > v->dense_cap)
		bytes += 2 * (uint64_t)v->dense_cap * per_dense;
	return bytes;
}

uint64_t sim_visited_collisions(const SimVisited *v)
{
	return v->collisions;
}
