/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The engine's timers: a 4-ary min-heap of (deadline, SA serial) entries,
 * O(log n) per timer. Entries are lazy: an SA keeps the time of its one live
 * entry (v1_xchg.th_at); an entry that no longer matches (the SA is gone,
 * or a sooner deadline was pushed since) is skipped when it comes up, and
 * a postponed deadline pops early, finds nothing due and pushes the SA's
 * next one. So nothing walks all SAs to find what is due.
 */
#ifndef NATKEYD_IKE_TIMER_HEAP_H
#define NATKEYD_IKE_TIMER_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct th_ent {
	uint64_t at;
	uint32_t serial;
	bool ipsec; /* an IPsec SA's serial, else an IKE SA's */
};

struct timer_heap {
	struct th_ent *v;
	size_t n, cap;
};

/**
 * th_push() - add an entry. Return: 0 or -ENOMEM.
 */
int th_push(struct timer_heap *h, uint64_t at, uint32_t serial, bool ipsec);

/**
 * th_top() - the earliest entry, or NULL when empty.
 */
static inline const struct th_ent *th_top(const struct timer_heap *h)
{
	return h->n ? &h->v[0] : NULL;
}

/**
 * th_pop() - remove the earliest entry.
 */
void th_pop(struct timer_heap *h);

/**
 * th_clear() - remove every entry (the memory stays); th_free() frees it.
 */
void th_clear(struct timer_heap *h);
void th_free(struct timer_heap *h);

#endif
