// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Virtual-IP address pools (see pool.h). One slot per address, indexed by
 * its offset from the first address:
 *
 *   never used:  index >= next_unused (no list needed: slots are used in order)
 *   online:      held by a tunnel; in no list
 *   offline:     remembered for its owner; in the LRU list, oldest first
 *
 * Owners are found through a chained hash over the slots (each slot with an
 * owner sits in its owner's bucket), so "this user's offline address" is one
 * bucket walk. A user holding many addresses at once lengthens only its own
 * bucket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ike/sa/pool.h"

#define NIL UINT32_MAX

enum slot_state {
	SLOT_UNUSED = 0,
	SLOT_ONLINE,
	SLOT_OFFLINE,
};

struct slot {
	char *owner;   /* NULL while unused */
	uint32_t prev; /* LRU list (offline slots) */
	uint32_t next;
	uint32_t hnext; /* owner hash chain */
	uint8_t state;
};

struct pool {
	struct pool_addr first;
	uint32_t size;
	uint32_t next_unused;
	uint32_t lru_head; /* offline longest */
	uint32_t lru_tail;
	uint32_t n_online;
	uint32_t n_offline;
	uint32_t hmask;
	uint32_t *heads;
	struct slot *slots;
};

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* @first + @off, big-endian with carry; false if it wraps. */
static bool addr_add(const struct pool_addr *first, uint32_t off, struct pool_addr *out)
{
	size_t len = addr_len(first->family), i;
	uint64_t carry = off;

	*out = *first;
	for (i = len; i-- > 0 && carry;) {
		carry += out->bytes[i];
		out->bytes[i] = (uint8_t)carry;
		carry >>= 8;
	}
	return carry == 0;
}

/* The offset of @addr from the pool's first address, if inside. */
static bool addr_offset(const struct pool *p, const struct pool_addr *addr, uint32_t *off)
{
	size_t len = addr_len(p->first.family), i;
	uint64_t diff = 0;
	int borrow = 0;
	uint8_t d[16];

	if (addr->family != p->first.family)
		return false;
	for (i = len; i-- > 0;) {
		int v = (int)addr->bytes[i] - (int)p->first.bytes[i] - borrow;

		borrow = v < 0;
		d[i] = (uint8_t)(v + (borrow ? 256 : 0));
	}
	if (borrow)
		return false; /* below the first address */
	for (i = 0; i < len; i++) {
		if (i + 4 < len && d[i])
			return false; /* at least 2^32 above */
		diff = (diff << 8) | d[i];
	}
	if (diff >= p->size)
		return false;
	*off = (uint32_t)diff;
	return true;
}

static uint32_t owner_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

struct pool *pool_create(const struct pool_addr *first, uint32_t size)
{
	struct pool_addr last;
	struct pool *p;
	uint32_t nb = 16, i;

	if ((first->family != AF_INET && first->family != AF_INET6) || size == 0 ||
	    size > POOL_SIZE_MAX || !addr_add(first, size - 1, &last)) {
		errno = EINVAL;
		return NULL;
	}
	while (nb < size)
		nb <<= 1;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->slots = calloc(size, sizeof(*p->slots));
	p->heads = malloc(nb * sizeof(*p->heads));
	if (!p->slots || !p->heads) {
		pool_free(p);
		errno = ENOMEM;
		return NULL;
	}
	memset(&p->first, 0, sizeof(p->first));
	p->first.family = first->family;
	memcpy(p->first.bytes, first->bytes, addr_len(first->family));
	p->size = size;
	p->hmask = nb - 1;
	p->lru_head = p->lru_tail = NIL;
	for (i = 0; i < nb; i++)
		p->heads[i] = NIL;
	return p;
}

void pool_free(struct pool *p)
{
	uint32_t i;

	if (!p)
		return;
	if (p->slots)
		for (i = 0; i < p->size; i++)
			free(p->slots[i].owner);
	free(p->slots);
	free(p->heads);
	free(p);
}

static void lru_unlink(struct pool *p, uint32_t i)
{
	struct slot *s = &p->slots[i];

	if (s->prev != NIL)
		p->slots[s->prev].next = s->next;
	else
		p->lru_head = s->next;
	if (s->next != NIL)
		p->slots[s->next].prev = s->prev;
	else
		p->lru_tail = s->prev;
	s->prev = s->next = NIL;
}

static void lru_append(struct pool *p, uint32_t i)
{
	struct slot *s = &p->slots[i];

	s->next = NIL;
	s->prev = p->lru_tail;
	if (p->lru_tail != NIL)
		p->slots[p->lru_tail].next = i;
	else
		p->lru_head = i;
	p->lru_tail = i;
}

static void hash_unlink(struct pool *p, uint32_t i)
{
	uint32_t *link = &p->heads[owner_hash(p->slots[i].owner) & p->hmask];

	while (*link != NIL && *link != i)
		link = &p->slots[*link].hnext;
	if (*link == i)
		*link = p->slots[i].hnext;
	p->slots[i].hnext = NIL;
}

static void hash_link(struct pool *p, uint32_t i)
{
	uint32_t *head = &p->heads[owner_hash(p->slots[i].owner) & p->hmask];

	p->slots[i].hnext = *head;
	*head = i;
}

/* Give slot @i (unused or offline) to @owner. */
static int slot_take(struct pool *p, uint32_t i, const char *owner)
{
	struct slot *s = &p->slots[i];
	char *copy;

	if (!s->owner || strcmp(s->owner, owner)) {
		copy = strdup(owner);
		if (!copy)
			return -ENOMEM;
		if (s->owner) {
			hash_unlink(p, i);
			free(s->owner);
		}
		s->owner = copy;
		hash_link(p, i);
	}
	if (s->state == SLOT_OFFLINE) {
		lru_unlink(p, i);
		p->n_offline--;
	}
	s->state = SLOT_ONLINE;
	p->n_online++;
	return 0;
}

int pool_acquire(struct pool *p, const char *owner, struct pool_addr *out)
{
	uint32_t i;
	size_t len;
	int rc;

	len = owner ? strnlen(owner, POOL_OWNER_MAX + 1) : 0;
	if (!len || len > POOL_OWNER_MAX)
		return -EINVAL;
	/* The owner's own offline address. */
	for (i = p->heads[owner_hash(owner) & p->hmask]; i != NIL; i = p->slots[i].hnext)
		if (p->slots[i].state == SLOT_OFFLINE && !strcmp(p->slots[i].owner, owner))
			break;
	/* Else a never-used one, else the one offline longest. */
	if (i == NIL)
		i = p->next_unused < p->size ? p->next_unused : p->lru_head;
	if (i == NIL)
		return -ENOSPC;
	rc = slot_take(p, i, owner);
	if (rc < 0)
		return rc;
	if (i == p->next_unused)
		p->next_unused++;
	(void)addr_add(&p->first, i, out);
	return 0;
}

int pool_release(struct pool *p, const struct pool_addr *addr)
{
	uint32_t i;

	if (!addr_offset(p, addr, &i) || p->slots[i].state != SLOT_ONLINE)
		return -ENOENT;
	p->slots[i].state = SLOT_OFFLINE;
	p->n_online--;
	p->n_offline++;
	lru_append(p, i);
	return 0;
}

bool pool_contains(const struct pool *p, const struct pool_addr *addr)
{
	uint32_t i;

	return addr_offset(p, addr, &i);
}

int pool_lease_get(const struct pool *p, uint32_t index, struct pool_lease *out)
{
	if (index >= p->size)
		return -ERANGE;
	(void)addr_add(&p->first, index, &out->addr);
	out->owner = p->slots[index].owner;
	out->online = p->slots[index].state == SLOT_ONLINE;
	return 0;
}

uint32_t pool_size(const struct pool *p)
{
	return p->size;
}

uint32_t pool_online(const struct pool *p)
{
	return p->n_online;
}

uint32_t pool_offline(const struct pool *p)
{
	return p->n_offline;
}
