// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Simulated NAT (RFC 4787 behaviours) for the in-memory simulator. A flat
 * table of bindings, linear search: the simulator has a handful of flows,
 * clarity beats speed here.
 */
#include "tests/lib/sim/nat.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

/* Remote endpoints a binding has sent to, for AD/APD filtering. */
#define PERMIT_MAX 8

struct binding {
	bool used;
	uint64_t last_ms;
	struct sockaddr_storage priv;	/* private endpoint */
	struct sockaddr_storage pub;	/* public endpoint it maps to */
	struct sockaddr_storage remote; /* mapping key for AD/APD mapping */
	struct sockaddr_storage permit[PERMIT_MAX];
	size_t npermit, next_permit;
};

struct sim_nat {
	struct sim_nat_cfg cfg;
	uint64_t rng;
	size_t cap;
	struct binding *b;
};

static bool family_ok(int f)
{
	return f == AF_INET || f == AF_INET6;
}

static uint16_t ep_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

static void ep_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static bool addr_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			      &((const struct sockaddr_in6 *)b)->sin6_addr,
			      sizeof(struct in6_addr)) == 0;
	return false;
}

static bool ep_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return addr_eq(a, b) && ep_port(a) == ep_port(b);
}

/* Replace the address of @dst by that of @src, keeping @dst's port. */
static void set_addr(struct sockaddr_storage *dst, const struct sockaddr_storage *src)
{
	uint16_t port = ep_port(dst);

	*dst = *src;
	ep_set_port(dst, port);
}

/* Does @remote match @key under @beh (EI: anything; AD: address; APD: both)? */
static bool remote_match(enum sim_nat_behaviour beh, const struct sockaddr_storage *key,
			 const struct sockaddr_storage *remote)
{
	switch (beh) {
	case SIM_NAT_EI:
		return true;
	case SIM_NAT_AD:
		return addr_eq(key, remote);
	case SIM_NAT_APD:
		return ep_eq(key, remote);
	}
	return false;
}

static bool live(const struct sim_nat *nat, const struct binding *b, uint64_t now)
{
	return b->used && now - b->last_ms < nat->cfg.timeout_ms;
}

/* xorshift64*: deterministic, good enough to scatter ports. */
static uint64_t rng_next(struct sim_nat *nat)
{
	uint64_t x = nat->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	nat->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static bool is_1to1(const struct sim_nat *nat)
{
	return nat->cfg.private_1to1.ss_family != AF_UNSPEC;
}

struct sim_nat *sim_nat_new(const struct sim_nat_cfg *cfg)
{
	struct sim_nat *nat;

	if (cfg == NULL || !family_ok(cfg->pub.ss_family))
		return NULL;
	if (cfg->pub_4500.ss_family != AF_UNSPEC && cfg->pub_4500.ss_family != cfg->pub.ss_family)
		return NULL;
	if (cfg->private_1to1.ss_family != AF_UNSPEC &&
	    cfg->private_1to1.ss_family != cfg->pub.ss_family)
		return NULL;
	if (cfg->port_min > cfg->port_max)
		return NULL;
	nat = calloc(1, sizeof(*nat));
	if (nat == NULL)
		return NULL;
	nat->cfg = *cfg;
	if (nat->cfg.timeout_ms == 0)
		nat->cfg.timeout_ms = SIM_NAT_TIMEOUT_MS_DEFAULT;
	if (nat->cfg.port_min == 0 && nat->cfg.port_max == 0) {
		nat->cfg.port_min = 1024;
		nat->cfg.port_max = 65535;
	}
	if (nat->cfg.port_min == 0)
		nat->cfg.port_min = 1; /* port 0 is never a UDP source */
	nat->cap = cfg->max_mappings ? cfg->max_mappings : SIM_NAT_MAPPINGS_DEFAULT;
	/* xorshift must not start at 0. */
	nat->rng = cfg->seed ^ 0x9E3779B97F4A7C15ULL;
	if (nat->rng == 0)
		nat->rng = 1;
	nat->b = calloc(nat->cap, sizeof(*nat->b));
	if (nat->b == NULL) {
		free(nat);
		return NULL;
	}
	return nat;
}

void sim_nat_free(struct sim_nat *nat)
{
	if (nat == NULL)
		return;
	free(nat->b);
	free(nat);
}

const struct sockaddr_storage *sim_nat_pub(const struct sim_nat *nat)
{
	return &nat->cfg.pub;
}

void sim_nat_reboot(struct sim_nat *nat)
{
	memset(nat->b, 0, nat->cap * sizeof(*nat->b));
}

size_t sim_nat_binding_count(const struct sim_nat *nat, uint64_t now_ms)
{
	size_t n = 0;

	for (size_t i = 0; i < nat->cap; i++)
		n += live(nat, &nat->b[i], now_ms);
	return n;
}

bool sim_nat_owns(const struct sim_nat *nat, const struct sockaddr *addr)
{
	struct sockaddr_storage ss;
	size_t len = addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						 : sizeof(struct sockaddr_in);

	if (!family_ok(addr->sa_family))
		return false;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, addr, len);
	return addr_eq(&ss, &nat->cfg.pub) || addr_eq(&ss, &nat->cfg.pub_4500);
}

static bool port_free(const struct sim_nat *nat, const struct sockaddr_storage *pub, uint16_t port,
		      uint64_t now)
{
	for (size_t i = 0; i < nat->cap; i++) {
		const struct binding *b = &nat->b[i];

		if (live(nat, b, now) && addr_eq(&b->pub, pub) && ep_port(&b->pub) == port)
			return false;
	}
	return true;
}

/* Pick a public port: the private one if preserved and free, else a
 * pseudo-random free one in the range. 0 = none left. */
static uint16_t port_alloc(struct sim_nat *nat, const struct sockaddr_storage *pub, uint16_t want,
			   uint64_t now)
{
	uint32_t span = (uint32_t)nat->cfg.port_max - nat->cfg.port_min + 1;
	uint32_t start;

	if (nat->cfg.port_preservation && want != 0 && port_free(nat, pub, want, now))
		return want;
	start = (uint32_t)(rng_next(nat) % span);
	for (uint32_t i = 0; i < span; i++) {
		uint16_t p = (uint16_t)(nat->cfg.port_min + (start + i) % span);

		if (port_free(nat, pub, p, now))
			return p;
	}
	return 0;
}

static void permit_add(struct binding *b, const struct sockaddr_storage *remote)
{
	for (size_t i = 0; i < b->npermit; i++)
		if (ep_eq(&b->permit[i], remote))
			return;
	b->permit[b->next_permit] = *remote;
	b->next_permit = (b->next_permit + 1) % PERMIT_MAX;
	if (b->npermit < PERMIT_MAX)
		b->npermit++;
}

static enum sim_verdict outbound_1to1(struct sim_nat *nat, struct sim_dgram *d)
{
	if (!addr_eq(&d->src, &nat->cfg.private_1to1))
		return SIM_DROP;
	set_addr(&d->src, &nat->cfg.pub);
	return SIM_PASS;
}

enum sim_verdict sim_nat_outbound(struct sim_nat *nat, struct sim_dgram *d, uint64_t now_ms)
{
	const struct sockaddr_storage *pub;
	struct binding *b = NULL, *slot = NULL;
	uint16_t port;

	if (d->src.ss_family != nat->cfg.pub.ss_family || d->dst.ss_family != d->src.ss_family)
		return SIM_DROP;
	if (is_1to1(nat))
		return outbound_1to1(nat, d);
	for (size_t i = 0; i < nat->cap && b == NULL; i++) {
		struct binding *c = &nat->b[i];

		if (!live(nat, c, now_ms)) {
			if (slot == NULL)
				slot = c;
			continue;
		}
		if (ep_eq(&c->priv, &d->src) && remote_match(nat->cfg.mapping, &c->remote, &d->dst))
			b = c;
	}
	if (b == NULL) {
		if (slot == NULL)
			return SIM_DROP; /* table full */
		pub = &nat->cfg.pub;
		if (nat->cfg.pub_4500.ss_family != AF_UNSPEC && ep_port(&d->src) == 4500)
			pub = &nat->cfg.pub_4500;
		port = port_alloc(nat, pub, ep_port(&d->src), now_ms);
		if (port == 0)
			return SIM_DROP;
		b = slot;
		memset(b, 0, sizeof(*b));
		b->used = true;
		b->priv = d->src;
		b->remote = d->dst;
		b->pub = *pub;
		ep_set_port(&b->pub, port);
	}
	b->last_ms = now_ms; /* RFC 4787 REQ-6: outbound refreshes */
	permit_add(b, &d->dst);
	d->src = b->pub;
	return SIM_PASS;
}

static enum sim_verdict inbound_1to1(struct sim_nat *nat, struct sim_dgram *d)
{
	if (!addr_eq(&d->dst, &nat->cfg.pub))
		return SIM_DROP;
	set_addr(&d->dst, &nat->cfg.private_1to1);
	return SIM_PASS;
}

enum sim_verdict sim_nat_inbound(struct sim_nat *nat, struct sim_dgram *d, uint64_t now_ms)
{
	if (d->dst.ss_family != nat->cfg.pub.ss_family || d->src.ss_family != d->dst.ss_family)
		return SIM_DROP;
	if (is_1to1(nat))
		return inbound_1to1(nat, d);
	for (size_t i = 0; i < nat->cap; i++) {
		struct binding *b = &nat->b[i];
		bool allowed = false;

		if (!live(nat, b, now_ms) || !ep_eq(&b->pub, &d->dst))
			continue;
		for (size_t j = 0; j < b->npermit && !allowed; j++)
			allowed = remote_match(nat->cfg.filtering, &b->permit[j], &d->src);
		if (!allowed)
			continue; /* another binding on the same port may allow it */
		if (nat->cfg.inbound_refresh)
			b->last_ms = now_ms;
		d->dst = b->priv;
		return SIM_PASS;
	}
	return SIM_DROP;
}
