/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hash indexes over SAs by a 32-bit key (serial, SPI): intrusive chains
 * (each object holds its chain pointer at @link), a keyed hash so a peer
 * that picks its SPIs cannot aim them at one bucket, doubling at load 1.
 * Lookup and unlink are O(1) expected. Objects with equal keys are all
 * kept; a lookup walks them newest first (as the SA lists did).
 */
#ifndef NATKEYD_IKE_SA_INDEX_H
#define NATKEYD_IKE_SA_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sa_index {
	void **b;
	unsigned nb, n;
	uint64_t key; /* hash key (per engine secret) */
	bool dense;   /* keys are our own serials: bucket = key, neighbours stay neighbours */
	size_t link;  /* offsetof the chain pointer in an object */
	uint32_t (*key_of)(const void *obj); /* the object's current key */
};

/**
 * sa_index_init() - an empty index over objects whose chain pointer is at
 * offset @link and whose key @key_of returns; @secret keys the hash.
 */
void sa_index_init(struct sa_index *ix, size_t link, uint32_t (*key_of)(const void *),
		   uint64_t secret);

/**
 * sa_index_init_dense() - as sa_index_init() for keys the engine assigns
 * in sequence (serials): no hashing needed, and consecutive keys land in
 * consecutive buckets, one object each.
 */
void sa_index_init_dense(struct sa_index *ix, size_t link, uint32_t (*key_of)(const void *));

/**
 * sa_index_free() - free the buckets (not the objects).
 */
void sa_index_free(struct sa_index *ix);

/**
 * sa_index_add() - index @obj under key_of(@obj). Return: 0 or -ENOMEM
 * (the object is then not indexed).
 */
int sa_index_add(struct sa_index *ix, void *obj);

/**
 * sa_index_del() - unindex @obj, whose key must be what it was when added.
 */
void sa_index_del(struct sa_index *ix, void *obj);

/**
 * sa_index_first() / sa_index_next() - the objects with key @k: the first,
 * then the next after @obj (NULL: no more).
 */
void *sa_index_first(const struct sa_index *ix, uint32_t k);
void *sa_index_next(const struct sa_index *ix, const void *obj, uint32_t k);

#endif
