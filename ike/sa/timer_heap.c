// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 4-ary min-heap of timer entries with handles (timer_heap.h): the four
 * children of a node are 64 bytes, one cache line, and the tree is half as
 * deep as a binary one. Entries move by shifting a hole, each move noting
 * the entry's new position in pos[].
 */
#include "ike/sa/timer_heap.h"

#include <errno.h>
#include <stdlib.h>

static bool before(const struct th_ent *a, const struct th_ent *b)
{
	return a->at < b->at || (a->at == b->at && a->serial < b->serial);
}

static void place(struct timer_heap *h, size_t i, const struct th_ent *e)
{
	h->v[i] = *e;
	h->pos[e->slot] = (uint32_t)i;
}

/* Entry @e goes to hole @i or above it. Return: where it went. */
static size_t sift_up(struct timer_heap *h, size_t i, const struct th_ent *e)
{
	while (i > 0) {
		size_t p = (i - 1) / 4;

		if (!before(e, &h->v[p]))
			break;
		place(h, i, &h->v[p]);
		i = p;
	}
	place(h, i, e);
	return i;
}

/* Entry @e goes to hole @i or below it. */
static void sift_down(struct timer_heap *h, size_t i, const struct th_ent *e)
{
	for (;;) {
		size_t first = 4 * i + 1, m = SIZE_MAX;

		for (size_t c = first; c < first + 4 && c < h->n; c++)
			if (m == SIZE_MAX ? before(&h->v[c], e) : before(&h->v[c], &h->v[m]))
				m = c;
		if (m == SIZE_MAX)
			break;
		place(h, i, &h->v[m]);
		i = m;
	}
	place(h, i, e);
}

static int grow_slots(struct timer_heap *h)
{
	uint32_t cap = h->slot_cap ? 2 * h->slot_cap : 256;
	uint32_t *pos;
	void **owner;

	if (cap <= h->slot_cap)
		return -ENOMEM;
	pos = realloc(h->pos, cap * sizeof(*pos));
	if (!pos)
		return -ENOMEM;
	h->pos = pos;
	owner = realloc(h->owner, cap * sizeof(*owner));
	if (!owner)
		return -ENOMEM;
	h->owner = owner;
	h->slot_cap = cap;
	return 0;
}

int th_set(struct timer_heap *h, uint32_t *slot, uint64_t at, uint32_t serial, void *owner)
{
	struct th_ent e = { .at = at, .serial = serial, .slot = *slot };
	size_t i;

	if (e.slot != TH_NONE) {
		i = h->pos[e.slot];
		if (before(&e, &h->v[i]))
			sift_up(h, i, &e);
		else
			sift_down(h, i, &e);
		return 0;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 256;
		struct th_ent *v = realloc(h->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	if (h->free_slot == TH_NONE) {
		if (h->nslots == 0)
			h->nslots = 1; /* slot 0 is TH_NONE */
		if (h->nslots >= h->slot_cap && grow_slots(h) < 0)
			return -ENOMEM;
		e.slot = h->nslots++;
	} else {
		e.slot = h->free_slot;
		h->free_slot = h->pos[e.slot];
	}
	h->owner[e.slot] = owner;
	*slot = e.slot;
	sift_up(h, h->n++, &e);
	return 0;
}

void th_del(struct timer_heap *h, uint32_t *slot)
{
	uint32_t s = *slot;
	size_t i;
	struct th_ent last;

	if (s == TH_NONE)
		return;
	i = h->pos[s];
	last = h->v[--h->n];
	if (i < h->n) {
		/* The last entry fills the hole, up or down from there. */
		if (i > 0 && before(&last, &h->v[(i - 1) / 4]))
			sift_up(h, i, &last);
		else
			sift_down(h, i, &last);
	}
	h->owner[s] = NULL;
	h->pos[s] = h->free_slot;
	h->free_slot = s;
	*slot = TH_NONE;
}

void th_clear(struct timer_heap *h)
{
	h->n = 0;
	h->nslots = 0;
	h->free_slot = TH_NONE;
}

void th_free(struct timer_heap *h)
{
	free(h->v);
	free(h->pos);
	free(h->owner);
	h->v = NULL;
	h->pos = NULL;
	h->owner = NULL;
	h->n = h->cap = 0;
	h->nslots = h->slot_cap = 0;
	h->free_slot = TH_NONE;
}
