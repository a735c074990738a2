/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The in-memory network simulator: a discrete-event scheduler that carries
 * datagrams between nodes (typically IKE engines) with simulated time, loss,
 * duplication, reordering, and a hook for one middlebox (a simulated NAT)
 * in front of a set of "inside" nodes.
 *
 * Nothing here touches a socket or a clock: time is the simulator's own
 * counter in milliseconds, advanced by sim_net_run().
 */
#ifndef NATKEYD_TESTS_SIM_NET_H
#define NATKEYD_TESTS_SIM_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "tests/lib/sim/dgram.h"

struct sim_net;

/* Called when a datagram reaches a node; @d->dst is the node's address. */
typedef void (*sim_deliver_fn)(void *ctx, struct sim_net *net, const struct sim_dgram *d,
			       uint64_t now_ms);
/* Called when a node's timer (sim_net_timer_set) expires. */
typedef void (*sim_timer_fn)(void *ctx, struct sim_net *net, uint64_t now_ms);

/* What the fault hook wants done with one datagram. */
struct sim_fault {
	bool drop;	   /* lose it */
	unsigned copies;   /* extra copies to deliver (duplication) */
	uint32_t delay_ms; /* extra delay on top of the link latency (reordering) */
};

/*
 * Fault hook: called once per datagram sent, in send order (@index counts
 * from 0), before the middlebox. Lets a test drop/duplicate/delay exactly
 * the Nth message.
 */
typedef void (*sim_fault_fn)(void *ctx, uint64_t index, const struct sim_dgram *d,
			     struct sim_fault *fault);

/* A middlebox between the inside nodes and the rest of the network. */
struct sim_mbox {
	/* Rewrite a datagram from an inside node to the outside. */
	enum sim_verdict (*outbound)(void *ctx, struct sim_dgram *d, uint64_t now_ms);
	/* Rewrite a datagram addressed to @public_addr towards an inside node. */
	enum sim_verdict (*inbound)(void *ctx, struct sim_dgram *d, uint64_t now_ms);
	void *ctx;
	struct sockaddr_storage public_addr; /* port ignored */
	/* A second public address (a NAT that maps 4500 elsewhere), or AF_UNSPEC. */
	struct sockaddr_storage public_addr2;
};

/* Counters, for tests. */
struct sim_net_stats {
	uint64_t sent, delivered, dropped_fault, dropped_random, dropped_mbox, undeliverable,
		duplicated;
	uint64_t ip_fragmented;	 /* datagrams larger than the path MTU (sim_net_mtu_set) */
	uint64_t dropped_ipfrag; /* ... that the path dropped for it */
};

/**
 * sim_net_new() - create a simulated network.
 * @seed: seed of the deterministic PRNG used for random impairments.
 * @latency_ms: one-way delay of every datagram.
 *
 * Return: the network, or NULL on allocation failure.
 */
struct sim_net *sim_net_new(uint64_t seed, uint32_t latency_ms);

/**
 * sim_net_free() - free the network and every datagram still in flight.
 */
void sim_net_free(struct sim_net *net);

/**
 * sim_net_node_add() - attach a node with one address (port ignored).
 * @inside: true if the node sits behind the middlebox.
 *
 * Return: node index >= 0, or -ENOSPC / -EINVAL.
 */
int sim_net_node_add(struct sim_net *net, const struct sockaddr_storage *addr, bool inside,
		     sim_deliver_fn deliver, sim_timer_fn timer, void *ctx);

/**
 * sim_net_node_move() - change a node's address (e.g. a road warrior
 * changing networks). Return: 0 or -EINVAL.
 */
int sim_net_node_move(struct sim_net *net, int node, const struct sockaddr_storage *addr);

/**
 * sim_net_mbox_set() - install (or with NULL remove) the middlebox.
 */
void sim_net_mbox_set(struct sim_net *net, const struct sim_mbox *mbox);

/**
 * sim_net_fault_set() - install (or with NULL remove) the fault hook.
 */
void sim_net_fault_set(struct sim_net *net, sim_fault_fn fn, void *ctx);

/**
 * sim_net_random_set() - random impairments, in parts per thousand.
 * @loss: probability of loss; @dup: of duplication; @reorder: of an extra
 * random delay of up to @reorder_ms.
 */
void sim_net_random_set(struct sim_net *net, unsigned loss, unsigned dup, unsigned reorder,
			uint32_t reorder_ms);

/**
 * sim_net_mtu_set() - a path MTU: a datagram whose IP packet (IPv4 20 or
 * IPv6 40 bytes of header, UDP 8, then the payload) exceeds @mtu would be
 * sent in IP fragments; with @drop_fragments the path loses it, as behind
 * a NAT or firewall that drops IP fragments (`iptables -A FORWARD -f -j
 * DROP`). @mtu 0 removes the limit.
 */
void sim_net_mtu_set(struct sim_net *net, unsigned mtu, bool drop_fragments);

/**
 * sim_net_send() - send a datagram; src/dst addresses and ports in @d.
 *
 * Return: 0, or -ENOMEM.
 */
int sim_net_send(struct sim_net *net, const struct sim_dgram *d);

/**
 * sim_net_timer_set() - arm (at_ms != UINT64_MAX) or disarm a node's timer.
 */
void sim_net_timer_set(struct sim_net *net, int node, uint64_t at_ms);

/**
 * sim_net_step() - run the next event (delivery or timer) if one is due at
 * or before @until_ms.
 *
 * Return: true if an event ran.
 */
bool sim_net_step(struct sim_net *net, uint64_t until_ms);

/**
 * sim_net_run() - run events until none is left before @until_ms, or
 * @max_events ran (a guard against livelock).
 *
 * Return: the number of events run.
 */
uint64_t sim_net_run(struct sim_net *net, uint64_t until_ms, uint64_t max_events);

/**
 * sim_net_now() - the simulated time in milliseconds.
 */
uint64_t sim_net_now(const struct sim_net *net);

/**
 * sim_net_stats_get() - copy the counters.
 */
void sim_net_stats_get(const struct sim_net *net, struct sim_net_stats *st);

/**
 * sim_addr4() - fill @ss with an IPv4 address "a.b.c.d" and port (host order).
 */
void sim_addr4(struct sockaddr_storage *ss, const char *ip, uint16_t port);

/**
 * sim_addr_port() - the port of @ss in host order (0 if not IPv4/IPv6).
 */
uint16_t sim_addr_port(const struct sockaddr_storage *ss);

/**
 * sim_addr_same_host() - true if both carry the same family and address.
 */
bool sim_addr_same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b);

#endif
