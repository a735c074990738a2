// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 4-ary min-heap of timer entries (timer_heap.h): the four children of a
 * node are 64 bytes, one cache line, and the tree is half as deep as a
 * binary one, so a pop at 100,000 timers misses the cache half as often.
 */
#include "ike/sa/timer_heap.h"

#include <errno.h>
#include <stdlib.h>

static bool before(const struct th_ent *a, const struct th_ent *b)
{
	return a->at < b->at || (a->at == b->at && a->serial < b->serial);
}

int th_push(struct timer_heap *h, uint64_t at, uint32_t serial, bool ipsec)
{
	size_t i;

	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 256;
		struct th_ent *v = realloc(h->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	i = h->n++;
	h->v[i] = (struct th_ent){ .at = at, .serial = serial, .ipsec = ipsec };
	while (i > 0) {
		size_t p = (i - 1) / 4;
		struct th_ent t;

		if (!before(&h->v[i], &h->v[p]))
			break;
		t = h->v[i];
		h->v[i] = h->v[p];
		h->v[p] = t;
		i = p;
	}
	return 0;
}

void th_pop(struct timer_heap *h)
{
	size_t i = 0;

	if (!h->n)
		return;
	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t first = 4 * i + 1, m = i;
		struct th_ent t;

		for (size_t c = first; c < first + 4 && c < h->n; c++)
			if (before(&h->v[c], &h->v[m]))
				m = c;
		if (m == i)
			break;
		t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
}

void th_clear(struct timer_heap *h)
{
	h->n = 0;
}

void th_free(struct timer_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
