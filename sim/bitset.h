/*
 * bitset.h - sets of small integers as byte arrays (pages, blocks).
 *
 * The world sizes its page and block sets by the scenario: ceil(n / 8)
 * bytes, bit i of byte i / 8 is member i.  Byte-granular so that a small
 * scenario's sets stay one byte, as the uint8 masks they replace were.
 */
#ifndef SIM_BITSET_H
#define SIM_BITSET_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static inline int sim_bits_bytes(int n)
{
	return (n + 7) / 8;
}

static inline bool sim_bit(const uint8_t *s, int i)
{
	return s[i >> 3] >> (i & 7) & 1;
}

static inline void sim_bit_set(uint8_t *s, int i)
{
	s[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static inline void sim_bit_clear(uint8_t *s, int i)
{
	s[i >> 3] &= (uint8_t)~(1u << (i & 7));
}

/* The 8 bytes at S as one word (any alignment). */
static inline uint64_t sim_bits_word(const uint8_t *s)
{
	uint64_t w;

	memcpy(&w, s, sizeof(w));
	return w;
}

/* Whether S (of N bytes) has a member.  A word at a time: the timed
 * mode asks this of 64-thread hold sets at every lock grant. */
static inline bool sim_bits_any(const uint8_t *s, int n)
{
	int i = 0;

	for (; i + 8 <= n; i += 8)
		if (sim_bits_word(s + i))
			return true;
	for (; i < n; i++)
		if (s[i])
			return true;
	return false;
}

/* Whether A and B (N bytes each) meet. */
static inline bool sim_bits_meet(const uint8_t *a, const uint8_t *b, int n)
{
	int i = 0;

	for (; i + 8 <= n; i += 8)
		if (sim_bits_word(a + i) & sim_bits_word(b + i))
			return true;
	for (; i < n; i++)
		if (a[i] & b[i])
			return true;
	return false;
}

/* DST |= SRC; DST &= ~SRC (N bytes). */
static inline void sim_bits_or(uint8_t *dst, const uint8_t *src, int n)
{
	for (int i = 0; i < n; i++)
		dst[i] |= src[i];
}

static inline void sim_bits_andnot(uint8_t *dst, const uint8_t *src, int n)
{
	for (int i = 0; i < n; i++)
		dst[i] &= (uint8_t)~src[i];
}

/* Members of the 64-bit set X.  Bit arithmetic rather than
 * __builtin_popcountll: without -mpopcnt (the default build targets
 * every x86-64) that is a libgcc call, and the reduction counts thread
 * sets at every state. */
static inline int sim_bits_count64(uint64_t x)
{
	x -= x >> 1 & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + (x >> 2 & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (int)(x * 0x0101010101010101ull >> 56);
}

/* The lowest member of S (N bytes), or -1. */
static inline int sim_bits_first(const uint8_t *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i])
			return i * 8 + __builtin_ctz(s[i]);
	return -1;
}

#endif
