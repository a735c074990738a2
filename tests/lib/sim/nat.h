/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A simulated NAT middlebox for the in-memory simulator, with the
 * behaviours of RFC 4787 that matter to IKE/ESP NAT traversal: mapping
 * (endpoint-independent, address-dependent, address-and-port-dependent),
 * port preservation, filtering (same three kinds), binding timeout, reboot,
 * separate public addresses for private source port 4500, and a static 1:1
 * NAT. Deterministic: port allocation follows a seeded generator and time
 * is passed in. Two NATs can be chained (double NAT): the public side of
 * one is the private side of the other. Hairpinning is not modelled.
 */
#ifndef NATKEYD_TESTS_SIM_NAT_H
#define NATKEYD_TESTS_SIM_NAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "tests/lib/sim/dgram.h"

/* RFC 4787 s4.1 (mapping) and s5 (filtering) behaviours. */
enum sim_nat_behaviour {
	SIM_NAT_EI,  /* endpoint-independent */
	SIM_NAT_AD,  /* address-dependent */
	SIM_NAT_APD, /* address-and-port-dependent */
};

#define SIM_NAT_TIMEOUT_MS_DEFAULT 120000u /* RFC 4787 REQ-5: at least 2 min */
#define SIM_NAT_MAPPINGS_DEFAULT   1024u

struct sim_nat_cfg {
	/* Public address of the NAT (port ignored). Family AF_INET or AF_INET6;
	 * datagrams of the other family are dropped. */
	struct sockaddr_storage pub;
	/* If its family is not AF_UNSPEC: mappings for private source port 4500
	 * use this public address instead of @pub (a NAT that maps IKE 500 and
	 * 4500 to different public addresses). */
	struct sockaddr_storage pub_4500;
	enum sim_nat_behaviour mapping;
	enum sim_nat_behaviour filtering;
	bool port_preservation; /* keep the private port if it is free */
	bool inbound_refresh;	/* inbound packets also refresh a binding */
	uint32_t timeout_ms;	/* binding idle timeout; 0 = default */
	uint16_t port_min;	/* allocation range; 0/0 = 1024..65535 */
	uint16_t port_max;
	uint64_t seed;	     /* seeds the port allocator */
	size_t max_mappings; /* 0 = default; outbound dropped when full */
	/* Static 1:1 NAT: if its family is not AF_UNSPEC, @private_1to1 is
	 * rewritten to @pub and back, ports untouched, no filtering, no
	 * timeout, no state; mapping/filtering fields are ignored. */
	struct sockaddr_storage private_1to1;
};

struct sim_nat;

/**
 * sim_nat_new() - create a NAT.
 * Return: the NAT, or NULL on a bad configuration or out of memory.
 */
struct sim_nat *sim_nat_new(const struct sim_nat_cfg *cfg);

/**
 * sim_nat_free() - destroy a NAT (NULL is allowed).
 */
void sim_nat_free(struct sim_nat *nat);

/**
 * sim_nat_outbound() - a datagram from the private side to the public side.
 * @nat: the NAT.
 * @d: the datagram; its source is rewritten to the mapped public endpoint.
 * @now_ms: current simulated time.
 *
 * Creates or refreshes the binding. Return: SIM_PASS, or SIM_DROP (family
 * mismatch, no free port, table full).
 */
enum sim_verdict sim_nat_outbound(struct sim_nat *nat, struct sim_dgram *d, uint64_t now_ms);

/**
 * sim_nat_inbound() - a datagram from the public side to the NAT.
 * @nat: the NAT.
 * @d: the datagram; its destination is rewritten to the private endpoint.
 * @now_ms: current simulated time.
 *
 * Return: SIM_PASS, or SIM_DROP (no live binding, or the filtering
 * behaviour refuses the remote endpoint).
 */
enum sim_verdict sim_nat_inbound(struct sim_nat *nat, struct sim_dgram *d, uint64_t now_ms);

/**
 * sim_nat_pub() - the NAT's public address (struct sim_nat_cfg.pub).
 */
const struct sockaddr_storage *sim_nat_pub(const struct sim_nat *nat);

/**
 * sim_nat_reboot() - lose every binding (the allocator state is kept, so
 * the same private endpoint usually gets a different public port).
 */
void sim_nat_reboot(struct sim_nat *nat);

/**
 * sim_nat_binding_count() - live bindings at @now_ms (expired ones are
 * not counted).
 */
size_t sim_nat_binding_count(const struct sim_nat *nat, uint64_t now_ms);

/**
 * sim_nat_owns() - is @addr (port ignored) one of this NAT's public
 * addresses? Lets the simulator route a datagram to sim_nat_inbound().
 */
bool sim_nat_owns(const struct sim_nat *nat, const struct sockaddr *addr);

#endif
