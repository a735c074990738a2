/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Virtual-IP address pools for Mode Config: a range of addresses handed out
 * to road warriors, one lease per tunnel.
 *
 * A lease belongs to an owner (the XAUTH user name, else the peer's
 * identity) and sticks to it: when a tunnel goes, its address goes offline
 * but stays assigned to its owner, so the same user gets the same address
 * when it comes back. A newcomer takes a never-used address first, and only
 * when there is none the address that has been offline longest (whose former
 * owner then loses it). An address is never given to two tunnels at once,
 * and when every address is online the pool refuses the newcomer.
 *
 * Every operation is O(1) expected (an intrusive LRU list of offline
 * addresses, a counter for never-used ones, a chained hash of owners over
 * the slots). Pure: no I/O, no clock, no logging (callers log).
 */
#ifndef NATKEYD_IKE_POOL_H
#define NATKEYD_IKE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POOL_SIZE_MAX  65536u /* addresses in one pool: a /16 (IPv4) or a /112 (IPv6) */
#define POOL_OWNER_MAX 255    /* bytes of an owner (user name or identity text) */

struct pool;

/* One address, in network byte order (4 or 16 bytes used). */
struct pool_addr {
	int family; /* AF_INET or AF_INET6 */
	uint8_t bytes[16];
};

/**
 * pool_create() - a pool of @size consecutive addresses starting at @first.
 * @first: the first address (AF_INET or AF_INET6).
 * @size: 1..POOL_SIZE_MAX; @first + @size - 1 must not wrap the address space.
 *
 * Return: the pool (free with pool_free()), or NULL with errno EINVAL or ENOMEM.
 */
struct pool *pool_create(const struct pool_addr *first, uint32_t size);

/**
 * pool_free() - free a pool and every lease in it (NULL is fine).
 */
void pool_free(struct pool *pool);

/**
 * pool_acquire() - lease an address to @owner.
 * @owner: a non-empty string of at most POOL_OWNER_MAX bytes.
 * @out: the address leased.
 *
 * The owner's offline address if it has one; else a never-used address;
 * else the address offline longest. The lease is online until
 * pool_release().
 *
 * Return: 0; -ENOSPC when every address is online (the pool is exhausted);
 * -EINVAL for a bad @owner; -ENOMEM.
 */
int pool_acquire(struct pool *pool, const char *owner, struct pool_addr *out);

/**
 * pool_release() - the tunnel using @addr is gone: its lease goes offline
 * (still remembered for its owner).
 *
 * Return: 0; -ENOENT when @addr is not an online lease of this pool (a
 * double release changes nothing).
 */
int pool_release(struct pool *pool, const struct pool_addr *addr);

/**
 * pool_contains() - whether @addr lies inside the pool's range.
 */
bool pool_contains(const struct pool *pool, const struct pool_addr *addr);

/* A lease as pool_lease_get() reports it. */
struct pool_lease {
	struct pool_addr addr;
	const char *owner; /* NULL: never used; valid until the next call that changes the pool */
	bool online;
};

/**
 * pool_lease_get() - the lease of slot @index (0..pool_size()-1), for
 * `natkeyctl leases` and tests.
 *
 * Return: 0, or -ERANGE.
 */
int pool_lease_get(const struct pool *pool, uint32_t index, struct pool_lease *out);

/**
 * pool_size() / pool_online() / pool_offline() - the number of addresses, of
 * online leases, and of offline (remembered) leases.
 */
uint32_t pool_size(const struct pool *pool);
uint32_t pool_online(const struct pool *pool);
uint32_t pool_offline(const struct pool *pool);

#endif
