/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hash indexes over SAs by a 32-bit key (serial, SPI, endpoint, cookie
 * hash): open addressing with linear probing, the key stored beside the
 * object pointer in the slot, so a lookup reads one or two slot lines and
 * touches only the object it returns (at 100,000 SAs every other object
 * is a cache miss). A keyed hash so a peer that picks its SPIs cannot aim
 * them at one run of slots; at most 3/4 full (doubling); removal shifts
 * the run back (no tombstones). Lookup, insertion and removal are O(1)
 * expected. Objects with equal keys are all kept; a lookup walks them
 * newest first.
 */
#ifndef NATKEYD_IKE_SA_INDEX_H
#define NATKEYD_IKE_SA_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * sa_mix64() - the splitmix64 finalizer: every output bit depends on every
 * input bit. The SA indexes and their keys fold a per-engine secret in with
 * it, so a peer that picks cookies, SPIs or identities cannot aim them.
 */
static inline uint64_t sa_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct sa_slot {
	uint32_t key;
	void *obj; /* NULL: empty */
};

struct sa_index {
	struct sa_slot *b;
	unsigned nb, n;
	uint64_t key;			     /* hash key (per engine secret) */
	uint32_t (*key_of)(const void *obj); /* the object's current key */
};

/**
 * sa_index_init() - an empty index over objects whose key @key_of returns;
 * @secret keys the hash.
 */
void sa_index_init(struct sa_index *ix, uint32_t (*key_of)(const void *), uint64_t secret);

/**
 * sa_index_init_dense() - as sa_index_init() for keys the engine assigns
 * in sequence (serials): no secret needed, but hashed all the same (with
 * linear probing, consecutive keys in consecutive slots would make the
 * serials of old and new SAs one long run).
 */
void sa_index_init_dense(struct sa_index *ix, uint32_t (*key_of)(const void *));

/**
 * sa_index_free() - free the slots (not the objects).
 */
void sa_index_free(struct sa_index *ix);

/**
 * sa_index_add() - index @obj under key_of(@obj), ahead of older objects
 * with that key. Return: 0 or -ENOMEM (the object is then not indexed).
 */
int sa_index_add(struct sa_index *ix, void *obj);

/**
 * sa_index_del() - unindex @obj, whose key must be what it was when added
 * (an object that is not indexed: nothing happens).
 */
void sa_index_del(struct sa_index *ix, void *obj);

/**
 * sa_index_first() / sa_index_next() - the objects with key @k, newest
 * first: the first, then the next after @obj (NULL: no more).
 */
void *sa_index_first(const struct sa_index *ix, uint32_t k);
void *sa_index_next(const struct sa_index *ix, const void *obj, uint32_t k);

#endif
