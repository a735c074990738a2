/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The engine's timers: a 4-ary min-heap of (deadline, SA serial) entries,
 * O(log n) per operation, earliest deadline first and, at equal deadlines,
 * the lower serial first (deterministic).
 *
 * Each entry's owner (an SA) holds a handle, a slot number; the heap keeps
 * per slot the owner and the entry's position in dense arrays of its own.
 * So an entry is changed or removed in place when its SA's deadline comes
 * sooner or the SA is freed (no stale entries pile up behind a flood of
 * short-lived SAs), the SA of the top entry is known without a lookup, and
 * moving entries never touches the SAs (only the heap and the slot arrays,
 * which stay small and cached at 100,000 SAs).
 */
#ifndef NATKEYD_IKE_TIMER_HEAP_H
#define NATKEYD_IKE_TIMER_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TH_NONE 0u /* the handle of an owner without an entry */

struct th_ent {
	uint64_t at;
	uint32_t serial;
	uint32_t slot;
};

struct timer_heap {
	struct th_ent *v;
	size_t n, cap;
	uint32_t *pos;	 /* slot -> index in v; a free slot: the next free slot */
	void **owner;	 /* slot -> its owner */
	uint32_t nslots; /* slots handed out so far (slot 0 is never one) */
	uint32_t slot_cap;
	uint32_t free_slot; /* first free slot, TH_NONE if none */
};

/**
 * th_set() - give the owner @owner whose handle is *@slot an entry at @at
 * (@serial breaks ties): a new one if *@slot is TH_NONE (*@slot is set),
 * else its entry moves to @at (sooner or later).
 *
 * Return: 0 or -ENOMEM (nothing changed).
 */
int th_set(struct timer_heap *h, uint32_t *slot, uint64_t at, uint32_t serial, void *owner);

/**
 * th_del() - remove the entry of handle *@slot (none: nothing), *@slot
 * becomes TH_NONE.
 */
void th_del(struct timer_heap *h, uint32_t *slot);

/**
 * th_top() - the earliest entry, or NULL when empty.
 */
static inline const struct th_ent *th_top(const struct timer_heap *h)
{
	return h->n ? &h->v[0] : NULL;
}

/**
 * th_owner() - the owner of entry @e.
 */
static inline void *th_owner(const struct timer_heap *h, const struct th_ent *e)
{
	return h->owner[e->slot];
}

/**
 * th_clear() - remove every entry (the memory stays; the owners' handles
 * are stale: the caller resets them); th_free() frees it.
 */
void th_clear(struct timer_heap *h);
void th_free(struct timer_heap *h);

#endif
