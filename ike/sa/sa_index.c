// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Keyed hash indexes over SAs (sa_index.h), load factor at most 1.
 */
#include "ike/sa/sa_index.h"

#include <errno.h>
#include <stdlib.h>

static void **link_of(const struct sa_index *ix, const void *obj)
{
	return (void **)((char *)(uintptr_t)obj + ix->link);
}

static unsigned bucket(const struct sa_index *ix, uint32_t k, unsigned nb)
{
	uint64_t z = (uint64_t)k ^ ix->key;

	if (ix->dense)
		return k & (nb - 1);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (unsigned)(z & (nb - 1));
}

void sa_index_init(struct sa_index *ix, size_t link, uint32_t (*key_of)(const void *),
		   uint64_t secret)
{
	ix->b = NULL;
	ix->nb = ix->n = 0;
	ix->key = secret;
	ix->link = link;
	ix->key_of = key_of;
	ix->dense = false;
}

void sa_index_init_dense(struct sa_index *ix, size_t link, uint32_t (*key_of)(const void *))
{
	sa_index_init(ix, link, key_of, 0);
	ix->dense = true;
}

void sa_index_free(struct sa_index *ix)
{
	free(ix->b);
	ix->b = NULL;
	ix->nb = ix->n = 0;
}

static int grow(struct sa_index *ix)
{
	unsigned n = ix->nb ? 2 * ix->nb : 64;
	void **b = calloc(n, sizeof(*b));

	if (!b)
		return -ENOMEM;
	/* Walk each old chain from its tail end so equal keys keep their
	 * newest-first order: collect, then push in reverse. */
	for (unsigned i = 0; i < ix->nb; i++) {
		void *o = ix->b[i], *rev = NULL;

		while (o) {
			void *next = *link_of(ix, o);

			*link_of(ix, o) = rev;
			rev = o;
			o = next;
		}
		while (rev) {
			void *next = *link_of(ix, rev);
			unsigned h = bucket(ix, ix->key_of(rev), n);

			*link_of(ix, rev) = b[h];
			b[h] = rev;
			rev = next;
		}
	}
	free(ix->b);
	ix->b = b;
	ix->nb = n;
	return 0;
}

int sa_index_add(struct sa_index *ix, void *obj)
{
	unsigned h;

	if (ix->n + 1 > ix->nb && grow(ix) < 0 && !ix->nb)
		return -ENOMEM;
	h = bucket(ix, ix->key_of(obj), ix->nb);
	*link_of(ix, obj) = ix->b[h];
	ix->b[h] = obj;
	ix->n++;
	return 0;
}

void sa_index_del(struct sa_index *ix, void *obj)
{
	if (!ix->nb)
		return;
	for (void **p = &ix->b[bucket(ix, ix->key_of(obj), ix->nb)]; *p; p = link_of(ix, *p)) {
		if (*p == obj) {
			*p = *link_of(ix, obj);
			*link_of(ix, obj) = NULL;
			ix->n--;
			return;
		}
	}
}

void *sa_index_first(const struct sa_index *ix, uint32_t k)
{
	void *o;

	if (!ix->nb)
		return NULL;
	for (o = ix->b[bucket(ix, k, ix->nb)]; o && ix->key_of(o) != k; o = *link_of(ix, o))
		;
	return o;
}

void *sa_index_next(const struct sa_index *ix, const void *obj, uint32_t k)
{
	void *o;

	for (o = *link_of(ix, obj); o && ix->key_of(o) != k; o = *link_of(ix, o))
		;
	return o;
}
