// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-memory network simulator: a min-heap of datagrams in flight ordered by
 * (delivery time, send sequence), plus one timer per node. Deterministic for
 * a given seed, so a failing test reproduces exactly.
 */
#include "tests/lib/sim/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#define SIM_NODES_MAX 2048 /* a gateway and a thousand road warriors, with room */

struct sim_flight {
	uint64_t at_ms;
	uint64_t seq;
	struct sockaddr_storage src, dst;
	bool from_inside; /* sender was inside and the mbox has not seen it yet */
	size_t len;
	uint8_t buf[];
};

struct sim_node {
	struct sockaddr_storage addr;
	bool inside;
	sim_deliver_fn deliver;
	sim_timer_fn timer;
	void *ctx;
	uint64_t timer_at; /* UINT64_MAX = disarmed */
};

struct sim_net {
	uint64_t now;
	uint64_t rng;
	uint32_t latency;
	uint64_t seq;
	struct sim_flight **heap;
	size_t n, cap;
	struct sim_node nodes[SIM_NODES_MAX];
	int n_nodes;
	bool has_mbox;
	struct sim_mbox mbox;
	sim_fault_fn fault;
	void *fault_ctx;
	unsigned loss, dup, reorder;
	unsigned mtu;
	bool drop_ipfrag;
	uint32_t reorder_ms;
	struct sim_net_stats st;
	struct sim_dgram scratch; /* the datagram handed to callbacks */
};

/* splitmix64: small, good enough, and reproducible everywhere. */
static uint64_t rng_next(struct sim_net *net)
{
	uint64_t z = (net->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool rng_permille(struct sim_net *net, unsigned p)
{
	return p && rng_next(net) % 1000 < p;
}

void sim_addr4(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, ip, &sin->sin_addr);
}

uint16_t sim_addr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

bool sim_addr_same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
	return false;
}

struct sim_net *sim_net_new(uint64_t seed, uint32_t latency_ms)
{
	struct sim_net *net = calloc(1, sizeof(*net));

	if (!net)
		return NULL;
	net->rng = seed;
	net->latency = latency_ms;
	return net;
}

void sim_net_free(struct sim_net *net)
{
	if (!net)
		return;
	for (size_t i = 0; i < net->n; i++)
		free(net->heap[i]);
	free(net->heap);
	free(net);
}

int sim_net_node_add(struct sim_net *net, const struct sockaddr_storage *addr, bool inside,
		     sim_deliver_fn deliver, sim_timer_fn timer, void *ctx)
{
	struct sim_node *nd;

	if (net->n_nodes >= SIM_NODES_MAX)
		return -ENOSPC;
	if (addr->ss_family != AF_INET && addr->ss_family != AF_INET6)
		return -EINVAL;
	nd = &net->nodes[net->n_nodes];
	nd->addr = *addr;
	nd->inside = inside;
	nd->deliver = deliver;
	nd->timer = timer;
	nd->ctx = ctx;
	nd->timer_at = UINT64_MAX;
	return net->n_nodes++;
}

int sim_net_node_move(struct sim_net *net, int node, const struct sockaddr_storage *addr)
{
	if (node < 0 || node >= net->n_nodes)
		return -EINVAL;
	net->nodes[node].addr = *addr;
	return 0;
}

void sim_net_mbox_set(struct sim_net *net, const struct sim_mbox *mbox)
{
	net->has_mbox = mbox != NULL;
	if (mbox)
		net->mbox = *mbox;
}

void sim_net_fault_set(struct sim_net *net, sim_fault_fn fn, void *ctx)
{
	net->fault = fn;
	net->fault_ctx = ctx;
}

void sim_net_random_set(struct sim_net *net, unsigned loss, unsigned dup, unsigned reorder,
			uint32_t reorder_ms)
{
	net->loss = loss;
	net->dup = dup;
	net->reorder = reorder;
	net->reorder_ms = reorder_ms;
}

static bool flight_before(const struct sim_flight *a, const struct sim_flight *b)
{
	return a->at_ms < b->at_ms || (a->at_ms == b->at_ms && a->seq < b->seq);
}

static int heap_push(struct sim_net *net, struct sim_flight *f)
{
	size_t i;

	if (net->n == net->cap) {
		size_t cap = net->cap ? 2 * net->cap : 64;
		struct sim_flight **h = realloc(net->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		net->heap = h;
		net->cap = cap;
	}
	i = net->n++;
	net->heap[i] = f;
	while (i > 0 && flight_before(net->heap[i], net->heap[(i - 1) / 2])) {
		struct sim_flight *t = net->heap[i];

		net->heap[i] = net->heap[(i - 1) / 2];
		net->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return 0;
}

static struct sim_flight *heap_pop(struct sim_net *net)
{
	struct sim_flight *top = net->heap[0];
	size_t i = 0;

	net->heap[0] = net->heap[--net->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < net->n && flight_before(net->heap[l], net->heap[m]))
			m = l;
		if (r < net->n && flight_before(net->heap[r], net->heap[m]))
			m = r;
		if (m == i)
			break;
		struct sim_flight *t = net->heap[i];

		net->heap[i] = net->heap[m];
		net->heap[m] = t;
		i = m;
	}
	return top;
}

static int node_by_addr(const struct sim_net *net, const struct sockaddr_storage *a)
{
	for (int i = 0; i < net->n_nodes; i++)
		if (sim_addr_same_host(&net->nodes[i].addr, a))
			return i;
	return -1;
}

static int enqueue(struct sim_net *net, const struct sim_dgram *d, uint32_t delay, bool from_inside)
{
	struct sim_flight *f = malloc(sizeof(*f) + d->len);

	if (!f)
		return -ENOMEM;
	f->at_ms = net->now + net->latency + delay;
	f->seq = net->seq++;
	f->src = d->src;
	f->dst = d->dst;
	f->from_inside = from_inside;
	f->len = d->len;
	memcpy(f->buf, d->buf, d->len);
	if (heap_push(net, f) < 0) {
		free(f);
		return -ENOMEM;
	}
	return 0;
}

void sim_net_mtu_set(struct sim_net *net, unsigned mtu, bool drop_fragments)
{
	net->mtu = mtu;
	net->drop_ipfrag = drop_fragments;
}

/* Would @d leave its sender in IP fragments? */
static bool ip_fragmented(const struct sim_net *net, const struct sim_dgram *d)
{
	size_t ip = d->src.ss_family == AF_INET6 ? 40 : 20;

	return net->mtu && ip + 8 + d->len > net->mtu;
}

int sim_net_send(struct sim_net *net, const struct sim_dgram *d)
{
	struct sim_fault fault = { 0 };
	int sender = node_by_addr(net, &d->src);
	bool from_inside = sender >= 0 && net->nodes[sender].inside;
	uint64_t index = net->st.sent++;

	if (net->fault)
		net->fault(net->fault_ctx, index, d, &fault);
	if (fault.drop) {
		net->st.dropped_fault++;
		return 0;
	}
	if (ip_fragmented(net, d)) {
		net->st.ip_fragmented++;
		if (net->drop_ipfrag) {
			net->st.dropped_ipfrag++;
			return 0;
		}
	}
	if (rng_permille(net, net->loss)) {
		net->st.dropped_random++;
		return 0;
	}
	if (rng_permille(net, net->dup))
		fault.copies++;
	if (rng_permille(net, net->reorder) && net->reorder_ms)
		fault.delay_ms += (uint32_t)(rng_next(net) % net->reorder_ms);
	net->st.duplicated += fault.copies;
	for (unsigned c = 0; c <= fault.copies; c++) {
		/* Copies trail the original a little, as a real duplicate does. */
		int rc = enqueue(net, d, fault.delay_ms + c, from_inside);

		if (rc < 0)
			return rc;
	}
	return 0;
}

void sim_net_timer_set(struct sim_net *net, int node, uint64_t at_ms)
{
	if (node >= 0 && node < net->n_nodes)
		net->nodes[node].timer_at = at_ms;
}

/* Pass a datagram through the middlebox, then to its node. */
/* Is @a one of the middlebox's public addresses? */
static bool mbox_public(const struct sim_net *net, const struct sockaddr_storage *a)
{
	return sim_addr_same_host(a, &net->mbox.public_addr) ||
	       (net->mbox.public_addr2.ss_family != AF_UNSPEC &&
		sim_addr_same_host(a, &net->mbox.public_addr2));
}

static void deliver(struct sim_net *net, struct sim_flight *f)
{
	struct sim_dgram *d = &net->scratch;
	int dst;

	d->src = f->src;
	d->dst = f->dst;
	d->len = f->len;
	memcpy(d->buf, f->buf, f->len);
	if (net->has_mbox) {
		dst = node_by_addr(net, &d->dst);
		if (f->from_inside && (dst < 0 || !net->nodes[dst].inside)) {
			if (net->mbox.outbound(net->mbox.ctx, d, net->now) != SIM_PASS) {
				net->st.dropped_mbox++;
				return;
			}
		} else if (!f->from_inside && mbox_public(net, &d->dst)) {
			if (net->mbox.inbound(net->mbox.ctx, d, net->now) != SIM_PASS) {
				net->st.dropped_mbox++;
				return;
			}
		}
	}
	dst = node_by_addr(net, &d->dst);
	if (dst < 0 || !net->nodes[dst].deliver) {
		net->st.undeliverable++;
		return;
	}
	/* Outside nodes cannot reach inside nodes except through the mbox. */
	if (net->has_mbox && net->nodes[dst].inside && !f->from_inside &&
	    !mbox_public(net, &f->dst)) {
		net->st.undeliverable++;
		return;
	}
	net->st.delivered++;
	net->nodes[dst].deliver(net->nodes[dst].ctx, net, d, net->now);
}

bool sim_net_step(struct sim_net *net, uint64_t until_ms)
{
	uint64_t t_dgram = net->n ? net->heap[0]->at_ms : UINT64_MAX;
	uint64_t t_timer = UINT64_MAX;
	int tn = -1;

	for (int i = 0; i < net->n_nodes; i++) {
		if (net->nodes[i].timer_at < t_timer) {
			t_timer = net->nodes[i].timer_at;
			tn = i;
		}
	}
	if (t_dgram == UINT64_MAX && tn < 0)
		return false;
	if (t_dgram <= t_timer) {
		struct sim_flight *f;

		if (t_dgram > until_ms)
			return false;
		f = heap_pop(net);
		if (f->at_ms > net->now)
			net->now = f->at_ms;
		deliver(net, f);
		free(f);
		return true;
	}
	if (t_timer > until_ms)
		return false;
	if (t_timer > net->now)
		net->now = t_timer;
	net->nodes[tn].timer_at = UINT64_MAX;
	if (net->nodes[tn].timer)
		net->nodes[tn].timer(net->nodes[tn].ctx, net, net->now);
	return true;
}

uint64_t sim_net_run(struct sim_net *net, uint64_t until_ms, uint64_t max_events)
{
	uint64_t n = 0;

	while (n < max_events && sim_net_step(net, until_ms))
		n++;
	if (n < max_events && until_ms != UINT64_MAX && net->now < until_ms)
		net->now = until_ms;
	return n;
}

uint64_t sim_net_now(const struct sim_net *net)
{
	return net->now;
}

void sim_net_stats_get(const struct sim_net *net, struct sim_net_stats *st)
{
	*st = net->st;
}
