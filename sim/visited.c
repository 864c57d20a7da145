/*
 * visited.c - open-addressing state set.  See visited.h.
 *
 * slots[] holds {fingerprint, id}; tags[], a byte a slot, says which
 * slots are taken (0: empty, so fingerprint 0 is legal) and 8 bits of
 * their fingerprint's top (tag()).  A probe walks the tags, 16 times
 * smaller than the slots and mostly cached, and reads a slot only where
 * the tag matches: a state never seen (half the lookups of a search)
 * costs no read of the slot table, only the write that files it, which
 * does not stall.  Per id, in pages[id / SIM_VISITED_PAGE]:
 * the caller's byte, then (exact) the record.  A set has one of three
 * record kinds:
 *   none       fingerprint mode: the key hashed is the state;
 *   raw        the record is the key itself (a dictionary of pieces);
 *   collapsed  exact mode: the key is the state's vector of piece ids
 *              (`dict` interns the pieces), and the fingerprint is the
 *              hash of that vector: equal states, equal vectors.
 */
#include <stdatomic.h>
#include <string.h>
#include <glib.h>
#include <xxhash.h>
#include "bigmem.h"
#include "visited.h"

typedef struct {
	uint64_t fp;
	uint32_t id;
	uint32_t unused;        /* pads the slot to 16 bytes: 4 a line */
} Slot;

struct SimVisited {
	size_t size;            /* bytes per state */
	size_t rec_size;        /* bytes per record, 0: fingerprints only */
	SimVisited *dict;       /* collapsed: the set of pieces */
	uint32_t pieces;        /* collapsed: pieces per state */
	uint64_t mask;          /* capacity - 1 */
	Slot *slots;
	uint8_t *tags;          /* per slot: 0 empty, else tag(fp) */
	uint32_t count;
	uint8_t **pages;
	uint32_t npages, pages_cap;
	uint8_t *key;           /* collapsed: the vector of the state at hand */
	uint8_t *out;           /* collapsed: sim_visited_state's buffer */
	uint64_t collisions;
	uint64_t bytes, bytes_next;     /* heap_bytes(), bytes_next(LOOKAHEAD)
					 * as of the last add of a new state:
					 * a search asks at every transition,
					 * and only a new state moves them */
};

uint64_t sim_visited_hash(const void *state, size_t size)
{
#ifdef SIM_VISITED_AVX2
	if (__builtin_cpu_supports("avx2"))
		return sim_visited_hash_avx2(state, size);
#endif
	return XXH3_64bits(state, size);
}

/* The slot tables' shape, the same for both sets: a power of two
 * sized for CAPACITY_HINT entries, grown x2 once N entries pass 3/4 load. */
static uint64_t table_cap(uint64_t capacity_hint)
{
	uint64_t cap = 1024;

	while (cap / 4 * 3 < capacity_hint && cap < (1ull << 40))
		cap *= 2;
	return cap;
}

static bool past_load(uint64_t n, uint64_t cap)
{
	return n * 4 > cap * 3;
}

/* A slot's tag: the fingerprint's top byte (its low bits place the
 * slot), never 0. */
static uint8_t tag(uint64_t h)
{
	uint8_t t = (uint8_t)(h >> 56);

	return (uint8_t)(t + !t);
}

/* bytes of the table: slots and tags */
static uint64_t table_bytes(uint64_t cap)
{
	return cap * (sizeof(Slot) + 1);
}

/* an empty table: the tags zeroed (what sim_bigmem_alloc gives) */
static void alloc_table(SimVisited *v, uint64_t cap)
{
	v->mask = cap - 1;
	v->slots = sim_bigmem_alloc(sizeof(Slot) * cap);
	v->tags = sim_bigmem_alloc(cap);
}

static void free_table(Slot *slots, uint8_t *tags, uint64_t cap)
{
	sim_bigmem_free(slots, cap * sizeof(Slot));
	sim_bigmem_free(tags, cap);
}

static SimVisited *set_new(size_t size, size_t rec_size,
			   uint64_t capacity_hint)
{
	SimVisited *v = g_new0(SimVisited, 1);

	v->size = size;
	v->rec_size = rec_size;
	alloc_table(v, table_cap(capacity_hint));
	return v;
}

static void account(SimVisited *v);

SimVisited *sim_visited_new(size_t size, bool exact, uint64_t capacity_hint)
{
	SimVisited *v;

	if (!exact) {
		v = set_new(size, 0, capacity_hint);
	} else {
		uint32_t pieces = (uint32_t)((size + SIM_VISITED_CHUNK - 1) /
					     SIM_VISITED_CHUNK);
		v = set_new(size, pieces * sizeof(uint32_t), capacity_hint);
		v->pieces = pieces;
		v->dict = set_new(SIM_VISITED_CHUNK, SIM_VISITED_CHUNK, 0);
		v->key = g_malloc(v->rec_size);
		v->out = g_malloc((size_t)pieces * SIM_VISITED_CHUNK);
	}
	account(v);
	return v;
}

void sim_visited_free(SimVisited *v)
{
	if (!v)
		return;
	for (uint32_t i = 0; i < v->npages; i++)
		g_free(v->pages[i]);
	g_free(v->pages);
	free_table(v->slots, v->tags, v->mask + 1);
	sim_visited_free(v->dict);
	g_free(v->key);
	g_free(v->out);
	g_free(v);
}

static uint64_t page_bytes(const SimVisited *v)
{
	return SIM_VISITED_PAGE * (1 + (uint64_t)v->rec_size);
}

static uint8_t *record(const SimVisited *v, uint32_t id)
{
	return v->pages[id / SIM_VISITED_PAGE] + SIM_VISITED_PAGE +
	       (size_t)(id % SIM_VISITED_PAGE) * v->rec_size;
}

static void grow_table(SimVisited *v)
{
	uint64_t old_cap = v->mask + 1;
	Slot *old = v->slots;
	uint8_t *old_tags = v->tags;

	alloc_table(v, old_cap * 2);
	for (uint64_t i = 0; i < old_cap; i++) {
		if (!old_tags[i])
			continue;
		uint64_t j = old[i].fp & v->mask;
		while (v->tags[j])
			j = (j + 1) & v->mask;
		v->slots[j] = old[i];
		v->tags[j] = old_tags[i];
	}
	free_table(old, old_tags, old_cap);
}

static void add_page(SimVisited *v)
{
	if (v->npages == v->pages_cap) {
		v->pages_cap = v->pages_cap ? v->pages_cap * 2 : 16;
		v->pages = g_renew(uint8_t *, v->pages, v->pages_cap);
	}
	v->pages[v->npages] = g_malloc(page_bytes(v));
	memset(v->pages[v->npages], 0, SIM_VISITED_PAGE);
	v->npages++;
}

/* The slot holding KEY (fingerprint H), or the empty slot where it would
 * go; *COLLIDED is set if another key shared H. */
static uint64_t probe(const SimVisited *v, const void *key, uint64_t h,
		      bool *collided)
{
	uint8_t t = tag(h);

	/* the first slot is read if the state is known, written if new:
	 * its load overlaps the tag's instead of following it */
	__builtin_prefetch(&v->slots[h & v->mask], 1);
	for (uint64_t j = h & v->mask;; j = (j + 1) & v->mask) {
		if (!v->tags[j])
			return j;
		const Slot *s = &v->slots[j];
		if (v->tags[j] != t || s->fp != h)
			continue;
		if (!v->rec_size ||
		    memcmp(record(v, s->id), key, v->rec_size) == 0)
			return j;
		*collided = true;
	}
}

/* Add KEY (a state, a piece or a vector of piece ids: what V hashes). */
static uint32_t set_add(SimVisited *v, const void *key, size_t len,
			bool *is_new)
{
	uint64_t h = sim_visited_hash(key, len);
	bool collided = false;
	uint64_t j = probe(v, key, h, &collided);

	*is_new = !v->tags[j];
	if (!*is_new)
		return v->slots[j].id;
	g_assert(v->count < SIM_VISITED_NONE - 1);
	v->collisions += collided;
	if (v->count == v->npages * SIM_VISITED_PAGE)
		add_page(v);
	uint32_t id = v->count++;
	if (v->rec_size)
		memcpy(record(v, id), key, v->rec_size);
	v->slots[j].fp = h;
	v->slots[j].id = id;
	v->tags[j] = tag(h);
	if (past_load(v->count, v->mask + 1))
		grow_table(v);
	return id;
}

/* Piece I of STATE, zero-padded past the state's end into BUF. */
static const uint8_t *piece(const SimVisited *v, const uint8_t *state,
			    uint32_t i, uint8_t *buf)
{
	size_t at = (size_t)i * SIM_VISITED_CHUNK;

	if (at + SIM_VISITED_CHUNK <= v->size)
		return state + at;
	memset(buf, 0, SIM_VISITED_CHUNK);
	memcpy(buf, state + at, v->size - at);
	return buf;
}

/* Collapsed: STATE's vector of piece ids into v->key, interning new
 * pieces if ADD, else false as soon as a piece is unknown (then so is
 * the state). */
static bool encode(SimVisited *v, const void *state, bool add)
{
	uint8_t buf[SIM_VISITED_CHUNK];

	for (uint32_t i = 0; i < v->pieces; i++) {
		const uint8_t *p = piece(v, state, i, buf);
		bool is_new;
		uint32_t id = add ? set_add(v->dict, p, SIM_VISITED_CHUNK,
					    &is_new) :
				    sim_visited_find(v->dict, p);
		if (id == SIM_VISITED_NONE)
			return false;
		memcpy(v->key + (size_t)i * sizeof id, &id, sizeof id);
	}
	return true;
}

uint32_t sim_visited_add(SimVisited *v, const void *state, bool *is_new)
{
	uint32_t id;

	if (v->dict) {
		encode(v, state, true);
		id = set_add(v, v->key, v->rec_size, is_new);
	} else {
		id = set_add(v, state, v->size, is_new);
	}
	if (*is_new)    /* a known state's pieces are known too */
		account(v);
	return id;
}

uint32_t sim_visited_find(SimVisited *v, const void *state)
{
	const void *key = state;
	size_t len = v->size;
	bool collided = false;

	if (v->dict) {
		if (!encode(v, state, false))
			return SIM_VISITED_NONE;
		key = v->key;
		len = v->rec_size;
	}
	uint64_t j = probe(v, key, sim_visited_hash(key, len), &collided);

	return v->tags[j] ? v->slots[j].id : SIM_VISITED_NONE;
}

uint8_t *sim_visited_data(SimVisited *v, uint32_t id)
{
	return v->pages[id / SIM_VISITED_PAGE] + id % SIM_VISITED_PAGE;
}

const void *sim_visited_state(SimVisited *v, uint32_t id)
{
	g_assert(v->rec_size && id < v->count);
	if (!v->dict)
		return record(v, id);
	const uint8_t *ids = record(v, id);
	for (uint32_t i = 0; i < v->pieces; i++) {
		uint32_t p;
		memcpy(&p, ids + (size_t)i * sizeof p, sizeof p);
		memcpy(v->out + (size_t)i * SIM_VISITED_CHUNK,
		       record(v->dict, p), SIM_VISITED_CHUNK);
	}
	return v->out;
}

uint64_t sim_visited_count(const SimVisited *v)
{
	return v->count;
}

/* Heap bytes of V itself, its dictionary aside. */
static uint64_t own_bytes(const SimVisited *v)
{
	return table_bytes(v->mask + 1) + v->npages * page_bytes(v) +
	       v->pages_cap * sizeof(uint8_t *) + (v->key ? v->rec_size : 0) +
	       (v->out ? (uint64_t)v->pieces * SIM_VISITED_CHUNK : 0);
}

static uint64_t heap_bytes(const SimVisited *v)
{
	return own_bytes(v) + (v->dict ? heap_bytes(v->dict) : 0);
}

/* The most V's heap may reach during the next N adds. */
static uint64_t bytes_next(const SimVisited *v, uint64_t n)
{
	uint64_t cap = v->mask + 1;
	uint64_t next = (uint64_t)v->count + n;
	uint64_t have = (uint64_t)v->npages * SIM_VISITED_PAGE;
	uint64_t bytes = own_bytes(v);

	/* a growth holds the old slots and their doubled copy at once */
	if (past_load(next, cap))
		bytes += table_bytes(2 * cap);
	if (next > have) {
		uint64_t pages = (next - have + SIM_VISITED_PAGE - 1) /
				 SIM_VISITED_PAGE;
		bytes += pages * page_bytes(v);
		if (v->npages + pages > v->pages_cap)
			bytes += (2 * v->pages_cap + 16) *
				 sizeof(uint8_t *);
	}
	if (v->dict)    /* each state may bring all its pieces */
		bytes += bytes_next(v->dict, n * v->pieces);
	return bytes;
}

static void account(SimVisited *v)
{
	v->bytes = heap_bytes(v);
	v->bytes_next = bytes_next(v, SIM_VISITED_LOOKAHEAD);
}

uint64_t sim_visited_bytes(const SimVisited *v)
{
	return v->bytes;
}

uint64_t sim_visited_bytes_next(const SimVisited *v)
{
	return v->bytes_next;
}

uint64_t sim_visited_collisions(const SimVisited *v)
{
	return v->collisions;
}

/* ---- the shared fingerprint set ----------------------------------- */

/* Zeroed memory is an empty table (sim_bigmem_alloc gives it): no pass
 * over a new table, and its pages are touched only when probed. */
typedef struct {
	_Atomic uint64_t fp;    /* 0: empty */
	_Atomic uint32_t id1;   /* the id + 1; 0 until published */
	uint32_t unused;
} FpSlot;

struct SimFpSet {
	uint64_t mask;
	FpSlot *slots;
	_Atomic uint64_t ids;   /* handed out, in blocks: >= states */
};

static void fp_table(SimFpSet *f, uint64_t cap)
{
	f->mask = cap - 1;
	f->slots = sim_bigmem_alloc(sizeof(FpSlot) * cap);
}

SimFpSet *sim_fpset_new(uint64_t capacity_hint)
{
	SimFpSet *f = g_new0(SimFpSet, 1);

	fp_table(f, table_cap(capacity_hint));
	atomic_init(&f->ids, 0);
	return f;
}

void sim_fpset_free(SimFpSet *f)
{
	if (!f)
		return;
	sim_bigmem_free(f->slots, sim_fpset_bytes(f));
	g_free(f);
}

static uint32_t next_id(SimFpSet *f, SimFpIds *ids)
{
	if (ids->next == ids->end) {
		uint64_t at = atomic_fetch_add_explicit(&f->ids, SIM_FPSET_BLOCK,
							memory_order_relaxed);
		g_assert(at + SIM_FPSET_BLOCK < SIM_VISITED_NONE);
		ids->next = (uint32_t)at;
		ids->end = (uint32_t)at + SIM_FPSET_BLOCK;
	}
	return ids->next++;
}

/* a fingerprint 0 is stored as 1 (0 marks an empty slot) */
static uint64_t fp_stored(uint64_t h)
{
	return h + !h;
}

/* A prefetch never faults: one of a table a growth has just replaced
 * (it cannot be: growth waits for every adder) would only waste a load. */
void sim_fpset_prefetch(const SimFpSet *f, uint64_t h)
{
	__builtin_prefetch(&f->slots[fp_stored(h) & f->mask], 1);
}

uint32_t sim_fpset_add(SimFpSet *f, uint64_t h, SimFpIds *ids, bool *is_new)
{
	h = fp_stored(h);
	for (uint64_t j = h & f->mask;; j = (j + 1) & f->mask) {
		FpSlot *s = &f->slots[j];
		uint64_t seen = atomic_load_explicit(&s->fp,
						     memory_order_acquire);
		if (!seen && atomic_compare_exchange_strong(&s->fp, &seen, h)) {
			uint32_t id = next_id(f, ids);
			atomic_store_explicit(&s->id1, id + 1,
					      memory_order_release);
			*is_new = true;
			return id;
		}
		if (seen != h)  /* another's, or lost the race to another */
			continue;
		uint32_t id1;
		while (!(id1 = atomic_load_explicit(&s->id1,
						    memory_order_acquire)))
			;       /* the claimer is between its two stores */
		*is_new = false;
		return id1 - 1;
	}
}

/* by the ids handed out: at most SIM_FPSET_BLOCK an adder more than
 * the states */
bool sim_fpset_full(const SimFpSet *f)
{
	return past_load(sim_fpset_ids(f), f->mask + 1);
}

void sim_fpset_grow(SimFpSet *f)
{
	uint64_t old_cap = f->mask + 1;
	FpSlot *old = f->slots;

	fp_table(f, old_cap * 2);
	for (uint64_t i = 0; i < old_cap; i++) {
		uint64_t h = atomic_load_explicit(&old[i].fp,
						  memory_order_relaxed);
		if (!h)
			continue;
		uint64_t j = h & f->mask;
		while (atomic_load_explicit(&f->slots[j].fp,
					    memory_order_relaxed))
			j = (j + 1) & f->mask;
		atomic_store_explicit(&f->slots[j].fp, h, memory_order_relaxed);
		atomic_store_explicit(&f->slots[j].id1,
				      atomic_load_explicit(&old[i].id1,
							   memory_order_relaxed),
				      memory_order_relaxed);
	}
	sim_bigmem_free(old, old_cap * sizeof(FpSlot));
}

uint64_t sim_fpset_ids(const SimFpSet *f)
{
	return atomic_load(&f->ids);
}

uint64_t sim_fpset_bytes(const SimFpSet *f)
{
	return (f->mask + 1) * sizeof(FpSlot);
}

/* a growth holds the old slots and their doubled copy at once; the
 * adders between two checks add fewer than SIM_FPSET_LOOKAHEAD */
uint64_t sim_fpset_bytes_next(const SimFpSet *f)
{
	uint64_t next = sim_fpset_ids(f) + SIM_FPSET_LOOKAHEAD;

	return sim_fpset_bytes(f) * (past_load(next, f->mask + 1) ? 3 : 1);
}
