/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtual IP of a Mode Config client (leftsourceip=%config): what the
 * engine reports (IKE_ACT_MODECFG) becomes an address on this host and
 * routes through the tunnel, and goes again when the IKE SA that received
 * it goes (down, DPD, Delete, reload, daemon stop).
 *
 * As strongSwan does by default (charon.install_virtual_ip_on unset), the
 * address goes on the interface of the route to the gateway, as a /32; the
 * routes (the UNITY_SPLIT_INCLUDE networks, else the conn's rightsubnet=)
 * follow that route's gateway with the virtual IP as preferred source, so
 * that what this host sends there leaves from the address the tunnel's
 * policies protect. Only what natkeyd added is removed: an address or route
 * already there is left alone (and logged). DNS servers are logged and
 * passed to leftupdown= (PLUTO_PEER_DNS_INFO); no resolv.conf is written.
 *
 * The kernel calls go through struct nkd_vip_ops, so that tests/tools run
 * the whole lifecycle against a fake.
 */
#ifndef NATKEYD_TOOLS_NATKEYD_VIP_H
#define NATKEYD_TOOLS_NATKEYD_VIP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ike/engine.h"
#include "xfrm/route.h"

#define NKD_VIP_MAX    4 /* addresses of one conn at once (an IKE SA and its rekeyed successor) */
#define NKD_VIP_ROUTES (IKE_MODECFG_SPLIT_MAX > 8 ? IKE_MODECFG_SPLIT_MAX : 8)

struct nkd_vip_ops {
	int (*lookup)(int family, const uint8_t *dst, struct route_info *out);
	int (*addr)(bool add, int family, const uint8_t *addr, uint8_t plen, uint32_t ifindex);
	int (*route)(bool add, const struct route_change *r);
	void (*log)(void *arg, bool warn, const char *text);
	void *log_arg;
};

/* The kernel's (xfrm/route.c); log is left to the caller. */
extern const struct nkd_vip_ops nkd_vip_kernel_ops;

struct nkd_vip_route {
	struct ike_ts net;
	bool ours; /* natkeyd added it */
};

/* One address received on one IKE SA. */
struct nkd_vip {
	uint32_t serial; /* the IKE SA; 0 = free slot */
	struct xk_addr addr;
	uint32_t ifindex;
	bool has_gw;
	uint8_t gw[16];
	bool addr_ours; /* natkeyd added the address */
	unsigned n_routes;
	struct nkd_vip_route routes[NKD_VIP_ROUTES];
	uint8_t n_dns;
	struct xk_addr dns[IKE_MODECFG_DNS_MAX];
};

struct nkd_vip_set {
	struct nkd_vip v[NKD_VIP_MAX];
};

/**
 * nkd_vip_apply() - act on one IKE_ACT_MODECFG of conn @name: install (up)
 * or remove (!up) an address and its routes. @peer: the gateway's address
 * (the route to it gives the interface and next hop); @nets/@n_nets: the
 * conn's remote subnets, routed when the gateway sent no split network.
 *
 * Return: 0, or a negative errno when the address could not be installed
 * (logged; nothing of it stays).
 */
int nkd_vip_apply(struct nkd_vip_set *set, const struct nkd_vip_ops *ops, const char *name,
		  const struct ike_modecfg *m, const struct sockaddr_storage *peer,
		  const struct ike_ts *nets, unsigned n_nets);

/**
 * nkd_vip_flush() - remove every address and route of @set (conn unload,
 * daemon stop).
 */
void nkd_vip_flush(struct nkd_vip_set *set, const struct nkd_vip_ops *ops, const char *name);

/**
 * nkd_vip_count() - addresses installed (for tests and status).
 */
unsigned nkd_vip_count(const struct nkd_vip_set *set);

#endif
