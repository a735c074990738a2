// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Keyed hash indexes over SAs (sa_index.h): linear probing, at most 3/4
 * full. Along the run of slots from a key's home, the objects with that
 * key are in order newest first: insertion puts the new one in the first
 * slot of its key and carries each older one to the next (a slot of the
 * key, or the empty one at the end of the run); removal shifts later
 * members of the run back, which never reorders two of one key; growth
 * reinserts in run order from an empty slot.
 */
#include "ike/sa/sa_index.h"

#include <errno.h>
#include <stdlib.h>

static unsigned home(const struct sa_index *ix, uint32_t k, unsigned nb)
{
	uint64_t z = (uint64_t)k ^ ix->key;

	/* Serials too: consecutive keys in consecutive slots would merge the
	 * runs of old and new SAs into one (linear probing). */
	return (unsigned)(sa_mix64(z) & (nb - 1));
}

void sa_index_init(struct sa_index *ix, uint32_t (*key_of)(const void *), uint64_t secret)
{
	ix->b = NULL;
	ix->nb = ix->n = 0;
	ix->key = secret;
	ix->key_of = key_of;
}

void sa_index_init_dense(struct sa_index *ix, uint32_t (*key_of)(const void *))
{
	sa_index_init(ix, key_of, 0x5bd1e9955bd1e995ULL);
}

void sa_index_free(struct sa_index *ix)
{
	free(ix->b);
	ix->b = NULL;
	ix->nb = ix->n = 0;
}

/* Put @s at the end of its run in @b (growth: called in run order). */
static void append(const struct sa_index *ix, struct sa_slot *b, unsigned nb,
		   const struct sa_slot *s)
{
	unsigned i = home(ix, s->key, nb);

	while (b[i].obj)
		i = (i + 1) & (nb - 1);
	b[i] = *s;
}

static int grow(struct sa_index *ix)
{
	unsigned n = ix->nb ? 2 * ix->nb : 64, start = 0;
	struct sa_slot *b;

	if (n <= ix->nb)
		return -ENOMEM;
	b = calloc(n, sizeof(*b));
	if (!b)
		return -ENOMEM;
	/* From an empty slot on, each run is met in its order. */
	while (start < ix->nb && ix->b[start].obj)
		start++;
	for (unsigned j = 0; j < ix->nb; j++) {
		const struct sa_slot *s = &ix->b[(start + j) & (ix->nb - 1)];

		if (s->obj)
			append(ix, b, n, s);
	}
	free(ix->b);
	ix->b = b;
	ix->nb = n;
	return 0;
}

int sa_index_add(struct sa_index *ix, void *obj)
{
	struct sa_slot carry = { .key = ix->key_of(obj), .obj = obj };
	unsigned i;

	/* At most 3/4 full; past that only if growing failed and a slot
	 * stays empty (a run always ends). */
	if (4 * ((size_t)ix->n + 1) > 3 * (size_t)ix->nb && grow(ix) < 0 && ix->n + 2 > ix->nb)
		return -ENOMEM;
	for (i = home(ix, carry.key, ix->nb); ix->b[i].obj; i = (i + 1) & (ix->nb - 1)) {
		if (ix->b[i].key == carry.key) {
			struct sa_slot t = ix->b[i];

			ix->b[i] = carry;
			carry = t;
		}
	}
	ix->b[i] = carry;
	ix->n++;
	return 0;
}

/* The slot of @obj (key @k), or -1. */
static long slot_of(const struct sa_index *ix, const void *obj, uint32_t k)
{
	if (!ix->nb)
		return -1;
	for (unsigned i = home(ix, k, ix->nb); ix->b[i].obj; i = (i + 1) & (ix->nb - 1))
		if (ix->b[i].obj == obj)
			return i;
	return -1;
}

void sa_index_del(struct sa_index *ix, void *obj)
{
	long at = slot_of(ix, obj, ix->key_of(obj));
	unsigned i, j, mask = ix->nb - 1;

	if (at < 0)
		return;
	/* Backward shift: a later member of the run moves into the hole
	 * unless its home lies after the hole (cyclically, in (i, j]). */
	i = j = (unsigned)at;
	for (;;) {
		unsigned h;

		j = (j + 1) & mask;
		if (!ix->b[j].obj)
			break;
		h = home(ix, ix->b[j].key, ix->nb);
		if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
			continue;
		ix->b[i] = ix->b[j];
		i = j;
	}
	ix->b[i].obj = NULL;
	ix->b[i].key = 0;
	ix->n--;
}

/* The first object with key @k from slot @i on, within the run. */
static void *scan(const struct sa_index *ix, unsigned i, uint32_t k)
{
	for (; ix->b[i].obj; i = (i + 1) & (ix->nb - 1))
		if (ix->b[i].key == k)
			return ix->b[i].obj;
	return NULL;
}

void *sa_index_first(const struct sa_index *ix, uint32_t k)
{
	if (!ix->nb)
		return NULL;
	return scan(ix, home(ix, k, ix->nb), k);
}

void *sa_index_next(const struct sa_index *ix, const void *obj, uint32_t k)
{
	long at = slot_of(ix, obj, k);

	if (at < 0)
		return NULL;
	return scan(ix, ((unsigned)at + 1) & (ix->nb - 1), k);
}
